//! The rustensor node: persistent authenticated state store, blocks, execution, consensus over
//! authenticated p2p, the transaction pool and the Substrate-compatible JSON-RPC server.
//!
//! | module | holds |
//! | --- | --- |
//! | [`rpc`] | the JSON-RPC server ([`rpc::start`]) over the [`rpc::ChainReader`] and [`rpc::TxPool`] seams: Substrate's method names, JSON shapes and error codes |
//! | [`store`] | [`store::StateStore`]: finalized state on disk (redb), one authenticated state root per block (jmt), historical read views implementing the runtime's [`KvRead`](rustensor_runtime::storage::KvRead), proofs |
//! | [`block`] | Substrate-shaped [`block::Header`] and [`block::Block`] (SCALE, blake2-256 hash), commonware codec and block traits |
//! | [`chain`] | [`chain::Chain`]: executing blocks on the parent's state (committed + unfinalized diffs), verifying, committing finalized blocks in order |
//! | [`consensus`] | commonware simplex + marshal wiring over p2p ([`consensus::tcp_p2p`], [`consensus::simulated_p2p`]): [`consensus::App`] proposes, verifies and commits finalized blocks; [`consensus::TxSource`] |
//! | [`follow`] | a full node outside the validator set: follows another node's finalized blocks over JSON-RPC, checking each finalization certificate and re-executing each block |
//! | [`reader`] | [`reader::NodeReader`]: the RPC's [`rpc::ChainReader`] over the running chain; [`reader::HeadFeed`] feeds head subscriptions |
//! | [`metrics`] | [`metrics::NodeMetrics`] and the Prometheus `/metrics` endpoint |
//! | [`mempool`] | [`mempool::Mempool`]: the transaction pool (validation via [`mempool::StoreValidator`] against the latest state, per-sender nonce queues, tip replacement, bounded size with eviction); implements [`rpc::TxPool`] and [`consensus::TxSource`] |
//! | [`node`] | [`node::NodeConfig`] (`dev`) and [`node::Node::start`] |
//! | [`service`] | [`service::run`]: the whole node as a process (tokio runtime, mempool, RPC, metrics, signals), what `rustensor node` runs |
//!
//! Data flows: a finalized block's state diff (from `Overlay::into_parts`) goes into
//! [`store::StateStore::commit_block`]; the next block executes on
//! [`store::StateStore::state_at`]; the consensus leader puts
//! [`store::StateStore::speculative_root`] into the header it proposes.
//!
//! # Example
//!
//! ```
//! use std::collections::BTreeMap;
//! use rustensor_node::store::{StateStore, StoreConfig, verify_proof};
//! use rustensor_runtime::storage::KvRead;
//!
//! let dir = tempfile::tempdir()?;
//! let store = StateStore::open(dir.path().join("state.redb"), StoreConfig::default())?;
//! let genesis = BTreeMap::from([(b"alice".to_vec(), Some(b"100".to_vec()))]);
//! let root = store.commit_block(0, [0; 32], &genesis)?;
//! assert_eq!(store.state_at(0)?.get(b"alice"), Some(b"100".to_vec()));
//! let (value, proof) = store.prove(b"alice", 0)?;
//! assert!(verify_proof(root, b"alice", value.as_deref(), &proof));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod block;
pub mod chain;
pub mod consensus;
pub mod follow;
pub mod mempool;
pub mod metrics;
pub mod node;
pub mod reader;
pub mod rpc;
pub mod service;
pub mod store;

/// `error` and each of its causes, joined by `": "` (what anyhow's `{:#}` prints), for the
/// places that keep an error as text: logs, fatal states and RPC error messages. Each error's
/// message describes its own layer only, so its `Display` alone would drop the cause.
pub(crate) fn error_text(error: &(dyn std::error::Error + 'static)) -> String {
    use std::fmt::Write as _;
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let _ = write!(text, ": {cause}");
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn test_error_text_prints_each_cause_once() {
        let io = std::io::Error::other("disk on fire");
        let error = crate::store::Error::CreateDir { path: "/x".into(), source: io };
        let text = super::error_text(&error);
        assert_eq!(text.matches("disk on fire").count(), 1, "{text}");
        assert!(
            text.starts_with("cannot create the directory of the state store \"/x\""),
            "{text}"
        );
        assert!(text.ends_with("or pass another --base-path): disk on fire"), "{text}");
    }
}
