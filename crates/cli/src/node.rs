//! `rustensor node`: run a chain node (state store, mempool, consensus, JSON-RPC, metrics).
//!
//! The flags follow Substrate's node where one exists (`--dev`, `--chain`, `--base-path`,
//! `--rpc-port`, `--rpc-external`, `--prometheus-port`, `--state-pruning`), so scripts written
//! for subtensor's node mostly carry over.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, bail};
use clap::Args;
use rustensor_node::consensus::ProductionConfig;
use rustensor_node::node::NodeConfig;
use rustensor_node::rpc::{DEFAULT_RPC_PORT, RpcConfig};
use rustensor_node::service::{self, DEFAULT_METRICS_PORT, ServiceConfig};
use rustensor_node::store::StoreConfig;
use rustensor_runtime::genesis::ChainSpec;

/// `rustensor node` arguments.
#[derive(Debug, Args)]
pub struct NodeArgs {
    /// Run a development chain: the built-in `dev` spec, `//Alice` as the only validator,
    /// 250 ms blocks, well-known dev accounts funded. Data goes to a temporary directory
    /// (deleted on exit) unless --base-path is given.
    #[arg(long)]
    pub dev: bool,
    /// The chain spec: a JSON file, or the name of a built-in spec (`dev`).
    #[arg(long, value_name = "PATH|NAME", conflicts_with = "dev")]
    pub chain: Option<String>,
    /// Where the node keeps its state and consensus journal (required without --dev).
    #[arg(long, short = 'd', value_name = "DIR")]
    pub base_path: Option<PathBuf>,
    /// The validator's consensus key as a secret URI (`//Alice`, a mnemonic, or `0x` and a
    /// 32-byte hex seed). Defaults to `//Alice` with --dev.
    #[arg(long, value_name = "SURI")]
    pub validator: Option<String>,
    /// The JSON-RPC port (HTTP and WebSocket). 0 picks a free port (logged at start).
    #[arg(long, default_value_t = DEFAULT_RPC_PORT)]
    pub rpc_port: u16,
    /// Listen for JSON-RPC on all interfaces instead of 127.0.0.1.
    #[arg(long)]
    pub rpc_external: bool,
    /// The most concurrent JSON-RPC connections.
    #[arg(long, default_value_t = 100)]
    pub rpc_max_connections: u32,
    /// The Prometheus metrics port (`GET /metrics`). 0 picks a free port.
    #[arg(long, default_value_t = DEFAULT_METRICS_PORT)]
    pub prometheus_port: u16,
    /// Do not serve Prometheus metrics.
    #[arg(long)]
    pub no_prometheus: bool,
    /// Keep the state of every block (same as --state-pruning archive).
    #[arg(long)]
    pub archive: bool,
    /// How many recent blocks keep a readable state (at least 256 is advised: mortal
    /// transactions refer to recent blocks), or `archive`.
    #[arg(long, value_name = "N|archive", default_value = "256")]
    pub state_pruning: String,
    /// The least time between blocks, in milliseconds (default: 250 with --dev, else 12000).
    #[arg(long, value_name = "MS")]
    pub min_block_time: Option<u64>,
    /// The most extrinsics per block.
    #[arg(long, default_value_t = 8192)]
    pub max_block_extrinsics: usize,
    /// Tokio worker threads (default: the number of CPUs, at least 2).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Where to accept p2p connections from the other validators (authenticated, encrypted
    /// TCP). Default: all interfaces on the port the chain spec lists for this validator
    /// (else 30333), or a free loopback port with --dev.
    #[arg(long, value_name = "IP:PORT")]
    pub p2p_addr: Option<SocketAddr>,
    /// Where to reach another validator, instead of the address the chain spec lists: its
    /// ed25519 consensus key (hex) or, on dev/test chains, its secret URI (`//Bob`), then
    /// `@IP:PORT`. Repeatable.
    #[arg(long = "peer", value_name = "KEY@IP:PORT")]
    pub peers: Vec<String>,
    /// Run as a full node, not a validator: follow the finalized chain of the node whose
    /// WebSocket RPC is at this URL (`ws://HOST:PORT`), checking each block's finalization
    /// certificate against the chain spec's validators and re-executing it, and serve RPC
    /// from this node's own store. Transactions sent here are passed on to that node.
    #[arg(long, value_name = "WS_URL", conflicts_with_all = ["validator", "p2p_addr", "peers"])]
    pub sync_from: Option<String>,
}

/// Runs the node until SIGINT/SIGTERM.
///
/// # Errors
///
/// Bad arguments, an unreadable chain spec, or anything that stops the node (see
/// [`service::run`]).
pub fn run(args: NodeArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    init_logging();
    let (spec, dev) = match (&args.chain, args.dev) {
        (_, true) => (ChainSpec::dev(), true),
        (Some(chain), false) => (load_spec(chain)?, chain == "dev"),
        (None, false) => bail!(
            "say which chain to run: --dev for a development chain, or --chain spec.json \
             --base-path DIR --validator SURI"
        ),
    };
    // A temporary directory lives as long as this function; it is deleted on exit.
    let (base_path, _temp) = match (&args.base_path, dev) {
        (Some(path), _) => (path.clone(), None),
        (None, true) => {
            let temp = tempfile::Builder::new()
                .prefix("rustensor-dev-")
                .tempdir()
                .context("cannot create a temporary data directory")?;
            (temp.path().to_path_buf(), Some(temp))
        }
        (None, false) => bail!("--base-path DIR is required with --chain (or use --dev)"),
    };
    if let Some(url) = &args.sync_from
        && !(url.starts_with("ws://") || url.starts_with("wss://"))
    {
        bail!(
            "--sync-from {url:?}: give the source node's WebSocket RPC URL, like ws://127.0.0.1:9944"
        );
    }
    let validator = match (&args.validator, dev) {
        (Some(uri), _) => uri.clone(),
        // A full node signs nothing; the key only fills the unused validator settings.
        (None, true) => "//Alice".to_owned(),
        (None, false) if args.sync_from.is_some() => "//Alice".to_owned(),
        (None, false) => bail!(
            "--validator SURI is required with --chain: the node's consensus key (or \
             --sync-from WS_URL to run a full node that is not a validator)"
        ),
    };
    let store = if args.archive || args.state_pruning == "archive" {
        StoreConfig { archive: true, ..StoreConfig::default() }
    } else {
        let keep: u64 = args.state_pruning.parse().ok().filter(|n| *n > 0).with_context(|| {
            format!(
                "--state-pruning {:?}: expected a positive number or `archive`",
                args.state_pruning
            )
        })?;
        StoreConfig { keep_recent: keep, archive: false }
    };
    let min_block_time =
        Duration::from_millis(args.min_block_time.unwrap_or(if dev { 250 } else { 12_000 }));
    if args.max_block_extrinsics == 0 {
        bail!("--max-block-extrinsics must be at least 1");
    }
    let host = if args.rpc_external {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    } else {
        Ipv4Addr::LOCALHOST.into()
    };
    let mut config = ServiceConfig::dev(&base_path);
    config.node = NodeConfig {
        spec: spec.clone(),
        validator_uri: validator.clone(),
        production: ProductionConfig {
            min_block_time,
            max_block_extrinsics: args.max_block_extrinsics,
        },
        store,
        listen_addr: match args.p2p_addr {
            Some(addr) => addr,
            None if dev => SocketAddr::from(([127, 0, 0, 1], 0)),
            // The port this validator has in the chain spec, on all interfaces.
            None => {
                let port = own_spec_port(&spec, &validator).unwrap_or(30333);
                SocketAddr::from(([0, 0, 0, 0], port))
            }
        },
        peers: args
            .peers
            .iter()
            .map(|p| rustensor_node::node::parse_peer(p))
            .collect::<anyhow::Result<_>>()?,
        ..NodeConfig::dev(&base_path)
    };
    config.rpc = RpcConfig {
        addr: SocketAddr::new(host, args.rpc_port),
        max_connections: args.rpc_max_connections,
        ..RpcConfig::default()
    };
    config.metrics_addr = (!args.no_prometheus)
        .then(|| SocketAddr::new(Ipv4Addr::LOCALHOST.into(), args.prometheus_port));
    config.dev = dev;
    config.follow = args.sync_from.clone().map(rustensor_node::follow::FollowConfig::new);
    if let Some(threads) = args.threads {
        config.worker_threads = threads.max(1);
    }
    writeln!(out, "rustensor node: data in {}", base_path.display())?;
    out.flush()?;
    service::run(config, |ready| {
        // One machine-readable line for scripts and tests: where to connect.
        eprintln!(
            "rustensor node: ready rpc=ws://{} metrics={} genesis={} head={}",
            ready.rpc,
            ready.metrics.map_or_else(|| "off".to_owned(), |m| format!("http://{m}/metrics")),
            rustensor_node::rpc::hex0x(&ready.genesis_hash),
            ready.head,
        );
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The p2p port the chain spec lists for the validator with secret URI `validator`.
fn own_spec_port(spec: &ChainSpec, validator: &str) -> Option<u16> {
    let key = rustensor_node::consensus::author_account(validator).ok()?;
    let hex_key = format!("0x{}", hex::encode(key.as_bytes()));
    let entry = spec.validators.iter().find(|v| v.public_key.eq_ignore_ascii_case(&hex_key))?;
    entry.address.rsplit_once(':')?.1.parse().ok()
}

fn load_spec(chain: &str) -> anyhow::Result<ChainSpec> {
    if let Some(spec) = ChainSpec::builtin(chain) {
        return Ok(spec);
    }
    let json = std::fs::read_to_string(chain).with_context(|| {
        format!("cannot read the chain spec {chain:?} (a JSON file, or a built-in name: dev)")
    })?;
    ChainSpec::from_json(&json).with_context(|| format!("chain spec {chain:?}"))
}

/// Logs to stderr through `tracing`; `RUST_LOG` filters (default `info`, consensus internals
/// at `warn`).
fn init_logging() {
    crate::init_tracing(
        "info,commonware_consensus=warn,commonware_p2p=warn,commonware_storage=warn,\
         commonware_broadcast=warn,commonware_resolver=warn,commonware_runtime=warn",
        true,
        std::io::stderr,
    );
}
