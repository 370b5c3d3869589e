//! The chain of a localnet: one `rustensor node --dev`, or N validator node processes on a
//! dev chain spec that lists them all, agreeing by simplex BFT over loopback.

use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;

use crate::Progress;
use crate::process::{Launch, NodeChild, free_loopback_ports, not_ready, start_and_wait};

/// Most chain validators a localnet runs: each is a node process on this machine.
pub const MAX_CHAIN_VALIDATORS: usize = 16;

/// How long a node has to print its ready line.
const READY_TIMEOUT: Duration = Duration::from_secs(120);

/// Consensus key of local chain validator `i`: the dev names, then numbered URIs.
pub fn validator_uri(i: usize) -> String {
    const NAMES: [&str; 6] = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"];
    NAMES.get(i).map_or_else(|| format!("//Validator{i}"), |n| format!("//{n}"))
}

/// The running chain: its node processes (stopped on drop) and every node's RPC URL, the
/// first one's being where the subnet talks to the chain.
#[derive(Debug)]
pub struct Chain {
    /// The node processes, in validator order.
    pub nodes: Vec<NodeChild>,
    /// Each node's RPC URL, in the same order.
    pub urls: Vec<String>,
}

impl Chain {
    /// Stops every node (SIGTERM, then SIGKILL).
    pub fn stop(&mut self) {
        for node in &mut self.nodes {
            node.stop();
        }
    }
}

fn log_file(path: &Path) -> anyhow::Result<std::fs::File> {
    std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))
}

/// Starts the chain with its data under `data` (`rustensor` is `exe`): `node --dev` (log in
/// `node.log`), or with `validators > 1` one node per validator (logs in `node-I.log`, the
/// spec in `spec.json`), and waits until every node is ready.
///
/// # Errors
///
/// A file cannot be written, a node cannot be started or does not become ready.
pub fn start_chain(
    exe: &Path,
    data: &Path,
    validators: usize,
    rpc_port: u16,
    progress: &Progress,
) -> anyhow::Result<Chain> {
    if validators <= 1 {
        return start_dev_node(exe, data, rpc_port, progress);
    }
    let uris: Vec<String> = (0..validators).map(validator_uri).collect();
    let uri_refs: Vec<&str> = uris.iter().map(String::as_str).collect();
    let mut spec = rustensor_node::node::dev_spec_with_validators(&uri_refs)?;
    let ports = free_loopback_ports(validators)
        .context("cannot find free loopback ports for the validators")?;
    for (v, port) in spec.validators.iter_mut().zip(ports) {
        v.address = format!("127.0.0.1:{port}");
    }
    let spec_path = data.join("spec.json");
    std::fs::write(&spec_path, spec.to_json())
        .with_context(|| format!("cannot write {}", spec_path.display()))?;
    progress.say(&format!(
        "starting {validators} chain validators ({}; logs: node-N.log)",
        uris.join(", ")
    ));
    // Start them all before waiting: none is ready until a quorum is up.
    let mut pending = Vec::new();
    for (i, uri) in uris.iter().enumerate() {
        let port = if i == 0 { rpc_port } else { 0 };
        let args = validator_args(&spec_path, &data.join(format!("validator-{i}")), uri, port);
        let log_path = data.join(format!("node-{i}.log"));
        let mut launch = Launch::new(exe, args);
        launch.log = Some(log_file(&log_path)?);
        pending.push((launch.spawn().context("cannot start the chain node")?, log_path, port));
    }
    let mut chain = Chain { nodes: Vec::new(), urls: Vec::new() };
    for (p, log_path, port) in pending {
        let running =
            p.wait(READY_TIMEOUT).or_else(|e| not_ready(&e, READY_TIMEOUT, &log_path, port))?;
        chain.urls.push(running.ready.rpc.clone());
        chain.nodes.push(running.node);
    }
    Ok(chain)
}

fn start_dev_node(
    exe: &Path,
    data: &Path,
    rpc_port: u16,
    progress: &Progress,
) -> anyhow::Result<Chain> {
    let args: Vec<String> = vec![
        "node".into(),
        "--dev".into(),
        "--no-prometheus".into(),
        "--base-path".into(),
        data.join("chain").display().to_string(),
        "--rpc-port".into(),
        rpc_port.to_string(),
    ];
    progress.say("starting the dev chain");
    let log_path = data.join("node.log");
    let mut launch = Launch::new(exe, args);
    launch.log = Some(log_file(&log_path)?);
    let running = start_and_wait(launch, READY_TIMEOUT, &log_path, rpc_port)?;
    Ok(Chain { urls: vec![running.ready.rpc.clone()], nodes: vec![running.node] })
}

/// `rustensor node` arguments of validator `uri` on the spec at `spec`, data in `base`.
fn validator_args(spec: &Path, base: &Path, uri: &str, rpc_port: u16) -> Vec<String> {
    vec![
        "node".into(),
        "--chain".into(),
        spec.display().to_string(),
        "--base-path".into(),
        base.display().to_string(),
        "--validator".into(),
        uri.to_owned(),
        "--rpc-port".into(),
        rpc_port.to_string(),
        "--no-prometheus".into(),
        "--min-block-time".into(),
        "250".into(),
    ]
}
