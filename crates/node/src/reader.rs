//! The RPC server's view of the running chain: [`NodeReader`] implements
//! [`rpc::ChainReader`](crate::rpc::ChainReader) over the consensus application's
//! [`Chain`](crate::chain::Chain) and the state store, and [`HeadFeed`] turns the application's
//! block notifications ([`Observer`]) into the head subscriptions' broadcast channels.
//!
//! Reads of committed blocks go to the store without the application's lock; reads of an
//! unfinalized block copy its unfinalized ancestors' diffs (a few blocks at most) under the lock
//! and then read without it.

use std::sync::Arc;
use std::time::Duration;

use parity_scale_codec::Encode;
use rustensor_runtime::storage::{Kv as _, KvRead, Overlay};
use tokio::sync::broadcast;

use crate::block::{Block, Hash, Header};
use crate::chain::{Chain, RUNTIME_VERSION};
use crate::consensus::{App, Observer};
use crate::metrics::NodeMetrics;
use crate::rpc::{ChainInfo, ChainReader, RpcBlock, RpcHeader, RuntimeVersionInfo, StateError};

/// How many headers a slow head subscriber may fall behind before it skips some.
const HEAD_BUFFER: usize = 256;

/// The header as the RPC shows it.
pub fn rpc_header(header: &Header) -> RpcHeader {
    RpcHeader {
        parent_hash: header.parent_hash,
        number: u64::from(header.number),
        state_root: header.state_root,
        extrinsics_root: header.extrinsics_root,
        digest_logs: header.digest.iter().map(Encode::encode).collect(),
    }
}

/// The block as the RPC shows it.
pub fn rpc_block(block: &Block) -> RpcBlock {
    RpcBlock { header: rpc_header(&block.header), extrinsics: block.extrinsics.clone() }
}

/// Broadcasts new best and finalized headers to subscribers and updates the node metrics.
#[derive(Debug)]
pub struct HeadFeed {
    new_heads: broadcast::Sender<RpcHeader>,
    finalized_heads: broadcast::Sender<RpcHeader>,
    metrics: Arc<NodeMetrics>,
}

impl HeadFeed {
    /// A feed with no subscribers yet, reporting to `metrics`.
    pub fn new(metrics: Arc<NodeMetrics>) -> Arc<Self> {
        Arc::new(Self {
            new_heads: broadcast::channel(HEAD_BUFFER).0,
            finalized_heads: broadcast::channel(HEAD_BUFFER).0,
            metrics,
        })
    }

    /// Finalized headers from now on.
    pub fn subscribe_finalized(&self) -> broadcast::Receiver<RpcHeader> {
        self.finalized_heads.subscribe()
    }
}

impl Observer for HeadFeed {
    fn on_best(&self, block: &Block) {
        self.metrics.set_best(u64::from(block.header.number));
        // No subscriber is not an error.
        let _ = self.new_heads.send(rpc_header(&block.header));
    }

    fn on_finalized(&self, block: &Block) {
        let number = u64::from(block.header.number);
        self.metrics.set_finalized(number);
        self.metrics.set_best(number);
        let header = rpc_header(&block.header);
        // Blocks imported from elsewhere were not announced as best; with one validator the
        // finalized block is always the best one.
        let _ = self.finalized_heads.send(header);
    }

    fn on_executed(&self, elapsed: Duration, extrinsics: usize) {
        self.metrics.observe_block_execution(elapsed, extrinsics);
    }
}

/// [`ChainReader`] over a running node's application and store.
pub struct NodeReader<E> {
    app: App<E>,
    feed: Arc<HeadFeed>,
    info: ChainInfo,
    version: RuntimeVersionInfo,
    sync: Option<crate::follow::SyncStatus>,
}

impl<E> NodeReader<E> {
    /// A reader of `app`'s chain, with head subscriptions from `feed` (which must be `app`'s
    /// observer) and `info` for `system_*`.
    pub fn new(app: App<E>, feed: Arc<HeadFeed>, info: ChainInfo) -> Self {
        Self {
            app,
            feed,
            info,
            version: RuntimeVersionInfo::rustensor(RUNTIME_VERSION),
            sync: None,
        }
    }

    /// The same reader for a full node: `system_health` reports its source as its one peer
    /// and whether it is still catching up.
    #[must_use]
    pub fn with_sync_status(mut self, status: crate::follow::SyncStatus) -> Self {
        self.sync = Some(status);
        self
    }
}

impl<E> NodeReader<E> {
    fn chain<T>(&self, f: impl FnOnce(&Chain) -> T) -> T {
        self.app.with_chain(f)
    }
}

impl<E: Send + Sync + 'static> ChainReader for NodeReader<E> {
    fn health(&self) -> crate::rpc::Health {
        match &self.sync {
            None => crate::rpc::Health::default(),
            Some(status) => {
                let (connected, syncing) = status.get();
                crate::rpc::Health {
                    peers: u64::from(connected),
                    is_syncing: syncing,
                    should_have_peers: true,
                }
            }
        }
    }

    fn finalized_raw(&self, number: u64) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
        let store = self.chain(|c| c.store().clone());
        let block = store.body(number).ok()??;
        Some((block, store.finality(number).ok().flatten()))
    }

    fn best(&self) -> (u64, Hash) {
        self.chain(|c| c.best().ok()).unwrap_or_else(|| self.finalized())
    }

    fn finalized(&self) -> (u64, Hash) {
        let store = self.chain(|c| c.store().clone());
        match store.latest() {
            Ok(Some(head)) => (head.number, head.hash),
            _ => (0, self.genesis_hash()),
        }
    }

    fn genesis_hash(&self) -> Hash {
        self.chain(Chain::genesis_hash)
    }

    fn hash_of(&self, number: u64) -> Option<Hash> {
        self.chain(|c| {
            if let Ok(Some(hash)) = c.store().hash_of(number) {
                return Some(hash);
            }
            // An unfinalized block on the best chain.
            let (best_number, mut cursor) = c.best().ok()?;
            if number > best_number {
                return None;
            }
            for _ in number..best_number {
                cursor = c.pending_block(&cursor)?.header.parent_hash;
            }
            Some(cursor)
        })
    }

    fn header(&self, hash: &Hash) -> Option<RpcHeader> {
        self.block(hash).map(|b| b.header)
    }

    fn block(&self, hash: &Hash) -> Option<RpcBlock> {
        if let Some(block) = self.chain(|c| c.pending_block(hash).map(rpc_block)) {
            return Some(block);
        }
        let store = self.chain(|c| c.store().clone());
        let number = store.number_of(*hash).ok()??;
        let bytes = store.body(number).ok()??;
        let block = <Block as parity_scale_codec::Decode>::decode(&mut bytes.as_slice()).ok()?;
        Some(rpc_block(&block))
    }

    fn state_at(&self, hash: &Hash) -> Result<Box<dyn KvRead + '_>, StateError> {
        let (store, recipe) = self.chain(|c| (c.store().clone(), c.state_recipe(hash)));
        let (base, diffs) = recipe
            .map_err(|e| StateError::Backend(crate::error_text(&e)))?
            .ok_or(StateError::UnknownBlock(*hash))?;
        let view = store.state_at(base).map_err(|e| match e {
            crate::store::Error::Pruned { .. } => StateError::Pruned(*hash),
            crate::store::Error::Unknown { .. } => StateError::UnknownBlock(*hash),
            e => StateError::Backend(crate::error_text(&e)),
        })?;
        if diffs.is_empty() {
            return Ok(Box::new(view));
        }
        let mut overlay = Overlay::new(view);
        for diff in &diffs {
            for (key, change) in diff {
                match change {
                    Some(value) => overlay.put(key, value),
                    None => overlay.delete(key),
                }
            }
        }
        Ok(Box::new(overlay))
    }

    fn chain_info(&self) -> ChainInfo {
        self.info.clone()
    }

    fn runtime_version(&self) -> RuntimeVersionInfo {
        self.version.clone()
    }

    fn subscribe_new_heads(&self) -> broadcast::Receiver<RpcHeader> {
        self.feed.new_heads.subscribe()
    }

    fn subscribe_finalized_heads(&self) -> broadcast::Receiver<RpcHeader> {
        self.feed.finalized_heads.subscribe()
    }
}
