//! The JSON-RPC server: Substrate's method names and JSON shapes, so the official Python
//! clients (bittensor, async-substrate-interface) work against rustensor
//! (`reference/substrate_compat.md` §2, ARCHITECTURE.md §1).
//!
//! The server knows the chain only through two traits, so it does not depend on consensus:
//! [`ChainReader`] (heads, headers, blocks, state views, head subscriptions) and [`TxPool`]
//! (submit, watch, next nonce). [`start`] serves HTTP and WebSocket on one port (default
//! `127.0.0.1:9944`); subscriptions need WebSocket.
//!
//! | group | methods |
//! | --- | --- |
//! | `system_*` | `name` (`"rustensor"`), `version`, `chain`, `chainType`, `properties`, `health`, `accountNextIndex` (+ `account_nextIndex`) |
//! | `chain_*` | `getBlockHash` (+ `getHead`), `getHeader`, `getBlock`, `getFinalizedHead` (+ `getFinalisedHead`), `getRuntimeVersion`, `subscribe{New,All,Finalized}Heads` and their unsubscribes |
//! | `state_*` | `getStorage` (+ `At`), `getStorageHash`, `getStorageSize`, `queryStorageAt`, `getKeys` (+ `At`, at most [`KEYS_MAX_COUNT`]), `getKeysPaged` (+ `At`, at most [`KEYS_PAGED_MAX_COUNT`] a page), `getRuntimeVersion`, `getMetadata`, `call` |
//! | `author_*` | `submitExtrinsic`, `submitAndWatchExtrinsic` / `unwatchExtrinsic` (`author_extrinsicUpdate`), `pendingExtrinsics` |
//! | `rpc_methods` | every name above |
//!
//! Errors are Substrate's: 1001/1010/1011/… for pool rejections (the `data` text as
//! `sp-runtime` writes it), 4002 for a too large count, 4003 for unknown blocks and failed
//! runtime calls (`Exported method {name} is not found` for an unknown one), and JSON-RPC's
//! -32700/-32601/-32602. Unknown blocks give `null` where Substrate does (`chain_getHeader`,
//! `chain_getBlock`, `chain_getBlockHash`).
//!
//! # Deviations from Substrate
//!
//! Named (object) parameters are refused; `state_getKeysPaged` and friends read the state
//! after the block as the [`ChainReader`] provides it; one runtime version for all blocks.

mod api;
mod error;
mod methods;
#[cfg(test)]
mod tests;

use std::net::SocketAddr;
use std::sync::Arc;

pub use api::{
    ChainInfo, ChainReader, ChainType, Hash, Health, PoolError, RpcBlock, RpcHeader,
    RuntimeVersionInfo, StateError, TxPool, TxStatus, TxStatusStream, api_id, hex0x,
};
pub use error::{
    AUTHOR_OTHER, BAD_FORMAT, INVALID_PARAMS, POOL_ALREADY_IMPORTED, POOL_IMMEDIATELY_DROPPED,
    POOL_INVALID_TX, POOL_TOO_LOW_PRIORITY, POOL_UNKNOWN_VALIDITY, STATE_CLIENT,
    STATE_INVALID_COUNT,
};
use jsonrpsee::server::middleware::rpc::{
    Batch, Notification, Request, RpcServiceBuilder, RpcServiceT,
};
use jsonrpsee::server::{RandomStringIdProvider, Server, ServerConfig, ServerHandle};
pub use methods::{KEYS_MAX_COUNT, KEYS_PAGED_MAX_COUNT, MAX_SYNC_BLOCKS};

/// Limits and the address of the server. The defaults suit a local node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RpcConfig {
    /// Where to listen (HTTP and WebSocket on the same port).
    pub addr: SocketAddr,
    /// The largest request body accepted, in bytes (larger: an error, connection kept).
    pub max_request_body_size: u32,
    /// The largest response, in bytes (the metadata is well below the default).
    pub max_response_body_size: u32,
    /// Concurrent connections; more are refused.
    pub max_connections: u32,
    /// Open subscriptions per WebSocket connection; more get error -32006.
    pub max_subscriptions_per_connection: u32,
}

/// The port Substrate nodes serve RPC on.
pub const DEFAULT_RPC_PORT: u16 = 9944;

impl Default for RpcConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], DEFAULT_RPC_PORT)),
            max_request_body_size: 10 * 1024 * 1024,
            max_response_body_size: 20 * 1024 * 1024,
            max_connections: 100,
            max_subscriptions_per_connection: 1024,
        }
    }
}

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The address could not be bound.
    #[error(
        "cannot listen for JSON-RPC on {addr} (is another node using the port? pass another \
         --rpc-port, or 0 for a free one)"
    )]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The socket error.
        #[source]
        source: std::io::Error,
    },
}

/// A running server. Dropping it stops the server without waiting; [`RpcServer::stop`] waits.
#[derive(Debug)]
pub struct RpcServer {
    handle: ServerHandle,
    local_addr: SocketAddr,
}

impl RpcServer {
    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `ws://` URL of the server.
    pub fn ws_url(&self) -> String {
        format!("ws://{}", self.local_addr)
    }

    /// `http://` URL of the server.
    pub fn http_url(&self) -> String {
        format!("http://{}", self.local_addr)
    }

    /// Stops accepting connections and waits until the server has shut down.
    pub async fn stop(self) {
        // Already stopped is fine: the goal is reached either way.
        let _ = self.handle.stop();
        self.handle.stopped().await;
    }
}

/// Every method name the server answers, sorted (what `rpc_methods` lists).
pub fn method_names(chain: Arc<dyn ChainReader>, pool: Arc<dyn TxPool>) -> Vec<&'static str> {
    let mut names: Vec<_> = methods::build_module(chain, pool).method_names().collect();
    names.sort_unstable();
    names
}

/// Called with each JSON-RPC call's method name (`"unknown"` for names the server does not
/// serve, so clients cannot grow a metric without bound; `"batch"` once per batch).
pub type CallHook = Arc<dyn Fn(&str) + Send + Sync>;

/// Starts the server on `config.addr` over `chain` and `pool`; it runs on the current tokio
/// runtime until [`RpcServer::stop`].
///
/// # Errors
///
/// [`Error::Bind`] when the address cannot be bound.
pub async fn start(
    config: &RpcConfig,
    chain: Arc<dyn ChainReader>,
    pool: Arc<dyn TxPool>,
) -> Result<RpcServer, Error> {
    start_with_hook(config, chain, pool, Arc::new(|_: &str| {})).await
}

/// As [`start`], calling `hook` for every call (the node counts calls for its metrics).
///
/// # Errors
///
/// [`Error::Bind`] when the address cannot be bound.
pub async fn start_with_hook(
    config: &RpcConfig,
    chain: Arc<dyn ChainReader>,
    pool: Arc<dyn TxPool>,
    hook: CallHook,
) -> Result<RpcServer, Error> {
    let server_config = ServerConfig::builder()
        .max_request_body_size(config.max_request_body_size)
        .max_response_body_size(config.max_response_body_size)
        .max_connections(config.max_connections)
        .max_subscriptions_per_connection(config.max_subscriptions_per_connection)
        // Substrate's subscription ids: 16 random alphanumerics.
        .set_id_provider(RandomStringIdProvider::new(16))
        .build();
    let module = methods::build_module(chain, pool);
    let known: Arc<std::collections::BTreeSet<&'static str>> =
        Arc::new(module.method_names().collect());
    let middleware = RpcServiceBuilder::new().layer_fn(move |service| CountCalls {
        service,
        hook: hook.clone(),
        known: known.clone(),
    });
    let bind = |source| Error::Bind { addr: config.addr, source };
    let server = Server::builder()
        .set_config(server_config)
        .set_rpc_middleware(middleware)
        .build(config.addr)
        .await
        .map_err(bind)?;
    let local_addr = server.local_addr().map_err(bind)?;
    let handle = server.start(module);
    Ok(RpcServer { handle, local_addr })
}

/// Middleware calling the [`CallHook`] before each call.
#[derive(Clone)]
struct CountCalls<S> {
    service: S,
    hook: CallHook,
    known: Arc<std::collections::BTreeSet<&'static str>>,
}

impl<S> RpcServiceT for CountCalls<S>
where
    S: RpcServiceT + Send + Sync + Clone + 'static,
{
    type MethodResponse = S::MethodResponse;
    type NotificationResponse = S::NotificationResponse;
    type BatchResponse = S::BatchResponse;

    fn call<'a>(
        &self,
        request: Request<'a>,
    ) -> impl Future<Output = Self::MethodResponse> + Send + 'a {
        let name = request.method_name();
        (self.hook)(if self.known.contains(name) { name } else { "unknown" });
        self.service.call(request)
    }

    fn batch<'a>(&self, batch: Batch<'a>) -> impl Future<Output = Self::BatchResponse> + Send + 'a {
        (self.hook)("batch");
        self.service.batch(batch)
    }

    fn notification<'a>(
        &self,
        n: Notification<'a>,
    ) -> impl Future<Output = Self::NotificationResponse> + Send + 'a {
        self.service.notification(n)
    }
}
