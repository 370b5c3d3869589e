//! The full node as a process: state store, mempool, consensus, JSON-RPC and metrics on a
//! commonware tokio runtime, until SIGINT or SIGTERM. This is what `rustensor node` runs.
//!
//! # Start
//!
//! 1. the state store is opened (genesis committed on first start) under `<base>/state.redb`;
//! 2. the mempool validates against the store's latest block;
//! 3. consensus starts from the latest committed block; its journal and the marshal's
//!    archives of finalized blocks and certificates live in `<base>/consensus` and are kept
//!    across restarts (see [`crate::node`]);
//! 4. JSON-RPC (HTTP + WebSocket, default `127.0.0.1:9944`) and Prometheus metrics (default
//!    `127.0.0.1:9615`) start listening; their bound addresses are logged and reported to the
//!    caller's `on_ready`.
//!
//! # Stop
//!
//! On SIGINT/SIGTERM the RPC server stops taking connections, block production stops, and the
//! process exits once no block commit is in progress. Every finalized block is already durable
//! (each is one redb transaction), so a SIGKILL loses at most unfinalized blocks, whose
//! transactions clients never saw finalized.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context as _;
use commonware_runtime::Runner as _;

use crate::chain::Chain;
use crate::consensus::{App, Observer, TxSource};
use crate::follow::FollowConfig;
use crate::mempool::{Mempool, PoolConfig, StoreValidator};
use crate::metrics::{self, NodeMetrics, PoolGauges};
use crate::node::{Node, NodeConfig};
use crate::reader::{HeadFeed, NodeReader};
use crate::rpc::{self, ChainInfo, ChainType, RpcConfig, TxPool};

/// Everything a node process needs to run.
#[derive(Clone, Debug)]
pub struct ServiceConfig {
    /// Store, chain spec, validator key, block production and consensus settings.
    pub node: NodeConfig,
    /// The JSON-RPC server.
    pub rpc: RpcConfig,
    /// Where to serve Prometheus metrics; `None` disables them.
    pub metrics_addr: Option<SocketAddr>,
    /// The transaction pool's limits.
    pub pool: PoolConfig,
    /// Tokio worker threads (at least 1).
    pub worker_threads: usize,
    /// Whether this is a development chain (`system_chainType` says `Development`).
    pub dev: bool,
    /// Run as a full node following this source instead of as a validator (see
    /// [`crate::follow`]); the validator key and p2p settings of `node` are then unused.
    pub follow: Option<FollowConfig>,
}

/// The port Substrate nodes serve Prometheus metrics on.
pub const DEFAULT_METRICS_PORT: u16 = 9615;

impl ServiceConfig {
    /// The dev node (see [`NodeConfig::dev`]) with RPC on 127.0.0.1:9944 and metrics on
    /// 127.0.0.1:9615.
    pub fn dev(base_path: impl Into<PathBuf>) -> Self {
        Self {
            node: NodeConfig::dev(base_path),
            rpc: RpcConfig::default(),
            metrics_addr: Some(SocketAddr::from(([127, 0, 0, 1], DEFAULT_METRICS_PORT))),
            pool: PoolConfig::default(),
            worker_threads: std::thread::available_parallelism().map_or(2, |n| n.get().max(2)),
            dev: true,
            follow: None,
        }
    }
}

/// What a started node tells its caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ready {
    /// The bound JSON-RPC address.
    pub rpc: SocketAddr,
    /// The bound metrics address, if enabled.
    pub metrics: Option<SocketAddr>,
    /// The genesis block hash.
    pub genesis_hash: [u8; 32],
    /// The latest committed block number at start.
    pub head: u64,
}

/// Runs the node until SIGINT or SIGTERM, calling `on_ready` once everything listens.
///
/// # Errors
///
/// If the store cannot be opened or holds another chain, the chain spec or validator key is
/// invalid, an address cannot be bound, or committing a finalized block failed (the node stops
/// rather than run on with a store it cannot write).
pub fn run(
    config: ServiceConfig,
    on_ready: impl FnOnce(&Ready) + Send + 'static,
) -> anyhow::Result<()> {
    // Process start-up time for the log only; nothing that decides state reads it.
    #[allow(clippy::disallowed_methods)]
    let started = Instant::now();
    // Consensus storage (simplex journal, marshal archives of finalized blocks and
    // certificates) persists across restarts next to the state store.
    let consensus_dir = config.node.base_path.join("consensus");
    let runtime = commonware_runtime::tokio::Config::new()
        .with_worker_threads(config.worker_threads.max(1))
        .with_storage_directory(consensus_dir)
        .with_catch_panics(false);
    // The error is returned, not logged: the binary prints it once (with its causes).
    commonware_runtime::tokio::Runner::new(runtime)
        .start(|context| async move { serve(context, config, on_ready, started).await })
}

async fn serve(
    context: commonware_runtime::tokio::Context,
    config: ServiceConfig,
    on_ready: impl FnOnce(&Ready),
    started: Instant,
) -> anyhow::Result<()> {
    use commonware_runtime::{Metrics as _, Spawner as _, Supervisor as _};

    let node_metrics = Arc::new(NodeMetrics::default());
    let store = Node::<commonware_runtime::tokio::Context>::open_store(&config.node)?;
    let pool = Mempool::new(Arc::new(StoreValidator::new(store.clone())), config.pool);
    let feed = HeadFeed::new(node_metrics.clone());
    // Start-up time to the first finalized block, for operators and the start-up benchmark.
    let mut first = feed.subscribe_finalized();
    tokio::spawn(async move {
        if let Ok(header) = first.recv().await {
            tracing::info!(
                number = %header.number,
                since_start_ms = started.elapsed().as_millis() as u64,
                "first block finalized",
            );
        }
    });
    let spec = config.node.spec.clone();
    let txs: Arc<dyn TxSource> = Arc::new(pool.clone());
    let observer: Arc<dyn Observer> = feed.clone();
    let mut sync_status = None;
    let (app, node) = match &config.follow {
        None => {
            let node = Node::start_with(
                context.child("node"),
                config.node.clone(),
                store.clone(),
                txs,
                observer,
            )
            .await?;
            (node.app().clone(), Some(node))
        }
        Some(follow) => {
            let chain = Chain::open(store.clone(), &spec)?;
            let app = App::new(context.child("app"), chain, txs, config.node.production)
                .with_observer(observer);
            let (follower, follow) = (app.clone(), follow.clone());
            let status = crate::follow::SyncStatus::default();
            sync_status = Some(status.clone());
            tracing::info!(source = %follow.source, "full node: following");
            context.child("follow").spawn(move |context| async move {
                if let Err(e) = crate::follow::run(context, follower.clone(), follow, status).await
                {
                    follower.set_fatal(crate::error_text(&e));
                }
            });
            (app, None)
        }
    };
    let head = store.latest()?.map_or(0, |h| h.number);
    node_metrics.set_finalized(head);
    node_metrics.set_best(head);

    let info = ChainInfo {
        name: spec.name.clone(),
        id: spec.id.clone(),
        properties: spec.properties.clone(),
        chain_type: if config.dev { ChainType::Development } else { ChainType::Live },
    };
    let mut reader = NodeReader::new(app.clone(), feed, info);
    if let Some(status) = sync_status {
        reader = reader.with_sync_status(status);
    }
    let reader = Arc::new(reader);
    let counter = node_metrics.clone();
    let tx_pool: Arc<dyn TxPool> = Arc::new(pool.clone());
    let server = rpc::start_with_hook(
        &config.rpc,
        reader,
        tx_pool,
        Arc::new(move |method: &str| counter.count_rpc_call(method)),
    )
    .await?;

    let metrics_addr = match config.metrics_addr {
        Some(addr) => {
            let listener = metrics::bind(addr)
                .await
                .with_context(|| format!("cannot listen for metrics on {addr}"))?;
            let bound = listener.local_addr()?;
            let (m, p, runtime) = (node_metrics.clone(), pool.clone(), context.child("metrics"));
            tokio::spawn(metrics::serve(listener, move || {
                let status = p.status();
                let mut text = m.render(PoolGauges {
                    ready: status.ready as u64,
                    future: status.future as u64,
                    bytes: status.bytes as u64,
                });
                text.push_str(&runtime.encode());
                text
            }));
            Some(bound)
        }
        None => None,
    };

    let ready = Ready {
        rpc: server.local_addr(),
        metrics: metrics_addr,
        genesis_hash: app.with_chain(Chain::genesis_hash),
        head,
    };
    tracing::info!(
        rpc = %ready.rpc,
        metrics = ?ready.metrics,
        genesis = %rpc::hex0x(&ready.genesis_hash),
        head,
        startup_ms = started.elapsed().as_millis() as u64,
        "node running",
    );
    on_ready(&ready);

    let stop = wait_for_signal_or_fatal(&app).await;
    tracing::info!(reason = %stop, "stopping");
    server.stop().await;
    // Taking the chain lock waits out a commit in progress; then consensus stops.
    app.with_chain(|_| ());
    let fatal = app.fatal();
    if let Some(node) = node {
        node.stop();
    }
    match fatal {
        Some(e) if config.follow.is_some() => Err(anyhow::anyhow!("stopped following: {e}")),
        Some(e) => Err(anyhow::anyhow!("cannot commit finalized blocks: {e}")),
        None => Ok(()),
    }
}

/// Waits for SIGINT, SIGTERM or a fatal commit error; returns which.
async fn wait_for_signal_or_fatal(app: &App<commonware_runtime::tokio::Context>) -> String {
    let term = async {
        #[cfg(unix)]
        {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await;
    };
    let fatal = async {
        loop {
            if app.fatal().is_some() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => "SIGINT".into(),
        () = term => "SIGTERM".into(),
        () = fatal => "a fatal error".into(),
    }
}
