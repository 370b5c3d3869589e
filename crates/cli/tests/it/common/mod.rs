//! Starting `rustensor node` as a child process for end-to-end tests, signing extrinsics
//! against its genesis, running CLI commands against it, and finding the model weights.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use rustensor_localnet::process::{Launch, RunningNode, free_loopback_ports};

use rustensor_runtime::extrinsic::{AdditionalSigned, Era, SignedExtra, UncheckedExtrinsic};
use rustensor_runtime::test_utils::{TEST_VERSION, dev_pair};

/// Tests that load the machine (several nodes, the localnet, the crash loop, Python) take
/// this exclusively; every other test shares it. All tests are in one binary now, so without
/// it a localnet would run beside a four-node test on a 2-core machine, which the separate
/// binaries never did.
static MACHINE: RwLock<()> = RwLock::new(());

/// A test's turn on the machine, until dropped.
pub struct Turn(#[allow(dead_code)] TurnGuard);

enum TurnGuard {
    Shared(#[allow(dead_code)] RwLockReadGuard<'static, ()>),
    Exclusive(#[allow(dead_code)] RwLockWriteGuard<'static, ()>),
}

/// The machine, shared with the other light tests (hold it for the whole test).
pub fn shared() -> Turn {
    Turn(TurnGuard::Shared(MACHINE.read().unwrap_or_else(PoisonError::into_inner)))
}

/// The machine, alone (hold it for the whole test).
pub fn exclusive() -> Turn {
    Turn(TurnGuard::Exclusive(MACHINE.write().unwrap_or_else(PoisonError::into_inner)))
}

/// A running `rustensor node` child (started by `rustensor-localnet`'s process supervision);
/// killed on drop.
pub struct NodeProcess {
    /// The process, its ready line and its log.
    pub process: RunningNode,
    pub ws_url: String,
    pub http_url: String,
    pub metrics_url: Option<String>,
    pub genesis_hash: [u8; 32],
}

/// The `rustensor` binary under test.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rustensor"))
}

impl NodeProcess {
    /// Starts a dev node on `base_path` with free ports and waits (up to 120 s) for its
    /// `ready` line.
    pub fn start(base_path: &Path, extra: &[&str]) -> Self {
        Self::start_logging(base_path, extra, "info")
    }

    /// As [`NodeProcess::start`], logging with the `tracing` filter `default_log` unless
    /// `RUST_LOG` is set.
    pub fn start_logging(base_path: &Path, extra: &[&str], default_log: &str) -> Self {
        let mut args: Vec<String> =
            ["node", "--dev", "--rpc-port", "0", "--prometheus-port", "0", "--base-path"]
                .into_iter()
                .map(String::from)
                .collect();
        args.push(base_path.display().to_string());
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        Self::launch_logging(&args, default_log)
    }

    /// Runs `rustensor ARGS` (a `node` command) and waits (up to 120 s) for its `ready` line.
    pub fn launch(args: &[String]) -> Self {
        Self::launch_logging(args, "info")
    }

    /// As [`NodeProcess::launch`], logging with the `tracing` filter `default_log` unless
    /// `RUST_LOG` is set.
    pub fn launch_logging(args: &[String], default_log: &str) -> Self {
        let mut launch = Launch::new(binary(), args.to_vec());
        launch.env.push((
            "RUST_LOG".into(),
            std::env::var("RUST_LOG").unwrap_or_else(|_| default_log.into()),
        ));
        // `RUSTENSOR_TEST_NODE_LOG=FILE` appends every node's log there, for debugging.
        launch.log = std::env::var_os("RUSTENSOR_TEST_NODE_LOG")
            .and_then(|path| std::fs::OpenOptions::new().create(true).append(true).open(path).ok());
        let pending = launch.spawn().expect("the rustensor binary starts");
        let process = pending
            .wait(Duration::from_secs(120))
            .unwrap_or_else(|e| panic!("the node did not become ready:\n{}", e.log.join("\n")));
        let ready = process.ready.clone();
        Self {
            ws_url: ready.rpc.clone(),
            http_url: ready.http_url(),
            metrics_url: ready.metrics,
            genesis_hash: ready.genesis,
            process,
        }
    }

    /// Sends SIGKILL and reaps the child.
    pub fn kill(mut self) {
        self.process.node.kill();
    }

    /// Sends `signal` (e.g. "TERM") and waits up to `timeout` for the exit status.
    pub fn signal_and_wait(
        mut self,
        signal: &str,
        timeout: Duration,
    ) -> Option<std::process::ExitStatus> {
        self.process.node.signal_and_wait(signal, timeout)
    }
}

impl Drop for NodeProcess {
    fn drop(&mut self) {
        self.process.node.kill();
    }
}

/// A signed extrinsic from dev account `name` for the node with `genesis_hash`, immortal.
pub fn sign(name: &str, nonce: u32, call: Vec<u8>, genesis_hash: [u8; 32]) -> Vec<u8> {
    sign_with(name, nonce, call, genesis_hash, Era::Immortal, genesis_hash, 0)
}

/// As [`sign`] with a chosen era, birth block hash and tip.
pub fn sign_with(
    name: &str,
    nonce: u32,
    call: Vec<u8>,
    genesis_hash: [u8; 32],
    era: Era,
    birth_hash: [u8; 32],
    tip: u64,
) -> Vec<u8> {
    let additional = AdditionalSigned {
        spec_version: TEST_VERSION.spec_version,
        transaction_version: TEST_VERSION.transaction_version,
        genesis_hash,
        birth_hash,
        metadata_hash: None,
    };
    let extra = SignedExtra { era, nonce, tip, ..Default::default() };
    UncheckedExtrinsic::sign_sr25519(&dev_pair(name), call, extra, &additional).encode()
}

/// `0x` and lowercase hex.
pub fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// The `System.Account` storage key of `who`.
pub fn account_key(who: &rustensor_primitives::AccountId32) -> Vec<u8> {
    let mut key = rustensor_primitives::hashing::twox_128(b"System").to_vec();
    key.extend(rustensor_primitives::hashing::twox_128(b"Account"));
    key.extend(rustensor_primitives::hashing::blake2_128_concat(who.as_ref()));
    key
}

/// Runs `rustensor ARGS --network <node>` (ignoring any `RUSTENSOR_NETWORK` of the caller).
pub fn cli(node: &NodeProcess, args: &[&str]) -> std::process::Output {
    Command::new(binary())
        .args(args)
        .args(["--network", &node.ws_url])
        .env_remove("RUSTENSOR_NETWORK")
        .output()
        .expect("the rustensor binary runs")
}

/// Runs a command that must succeed and returns its one JSON document.
pub fn json(node: &NodeProcess, args: &[&str]) -> serde_json::Value {
    let out = cli(node, args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "rustensor {args:?} failed: {stderr}\n{stdout}");
    serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("not one JSON document ({e}): {stdout}"))
}

/// The SS58 address of a dev secret URI such as `//Bob//miner`.
pub fn ss58(uri: &str) -> String {
    rustensor_primitives::crypto::sr25519::Pair::from_uri(uri, None)
        .expect("uri")
        .account_id()
        .to_string()
}

/// The folder holding `all-minilm-l6-v2/` (`$RUSTENSOR_MODELS`, else the repository's
/// `models/`), or `None` after a message when the weights are not installed. Under `CI`,
/// where `scripts/setup` must have fetched them, a missing model fails the test instead.
pub fn model_root() -> Option<PathBuf> {
    let root = std::env::var_os("RUSTENSOR_MODELS")
        .filter(|v| !v.is_empty())
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models"), PathBuf::from);
    if root.join("all-minilm-l6-v2/model.safetensors").is_file() {
        return Some(root);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "all-MiniLM-L6-v2 is missing from {} in CI: scripts/setup should have run scripts/fetch-models",
        root.display()
    );
    eprintln!("skipping: no model in {} (run scripts/fetch-models)", root.display());
    None
}

/// The number of `client`'s node's finalized head.
pub async fn finalized_number(client: &impl jsonrpsee_core::client::ClientT) -> u64 {
    use jsonrpsee_core::rpc_params;
    let hash: String = client.request("chain_getFinalizedHead", rpc_params![]).await.unwrap();
    let header: serde_json::Value =
        client.request("chain_getHeader", rpc_params![hash]).await.unwrap();
    u64::from_str_radix(header["number"].as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

/// Waits until `client`'s node has finalized block `number`; panics with `what` after `within`.
pub async fn wait_finalized(
    client: &impl jsonrpsee_core::client::ClientT,
    number: u64,
    within: Duration,
    what: &str,
) {
    let deadline = Instant::now() + within;
    while finalized_number(client).await < number {
        assert!(
            Instant::now() < deadline,
            "{what}: block #{number} not finalized within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Free loopback ports (bound, then released for the node to take).
pub fn free_ports(n: usize) -> Vec<u16> {
    free_loopback_ports(n).expect("free loopback ports")
}

/// `rustensor node` on the chain spec at `spec`, data in `base`, RPC on a free port, no
/// metrics, then `extra`.
pub fn node_args(spec: &Path, base: &Path, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["node", "--chain"].into_iter().map(String::from).collect();
    args.push(spec.display().to_string());
    args.push("--base-path".into());
    args.push(base.display().to_string());
    args.extend(["--rpc-port", "0", "--no-prometheus"].into_iter().map(String::from));
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    args
}

/// The hash of block `number` on `client`'s node, if it has one.
pub async fn block_hash(
    client: &impl jsonrpsee_core::client::ClientT,
    number: u64,
) -> Option<String> {
    use jsonrpsee_core::rpc_params;
    client.request::<Option<String>, _>("chain_getBlockHash", rpc_params![number]).await.unwrap()
}
