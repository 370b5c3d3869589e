//! Consensus wiring: commonware simplex ordering our blocks' hashes.
//!
//! **Simplex alone, with our own finalized-block delivery** (no marshal yet):
//!
//! - [`App`] is simplex's `Automaton`: `propose` waits out the minimum block time after the
//!   parent, pulls extrinsics from a [`TxSource`], builds the block on the parent's state
//!   ([`Chain::build`]) and answers with its hash; `verify` accepts a hash only if it names a
//!   block on exactly the context's parent, re-executing blocks from other proposers with
//!   [`Chain::import`] (state root compared) and waiting while the body is missing;
//! - `Reporter`: on a finalization certificate it commits the block and its unfinalized
//!   ancestors to the store in order ([`Chain::finalize`], idempotent by height), and tells
//!   the [`TxSource`] which extrinsics were included;
//! - `Relay` is a no-op: with one validator nobody needs the body. Block dissemination to other
//!   validators (a p2p channel or commonware `broadcast` + marshal) is not wired yet, so only
//!   `n = 1` makes progress.
//!
//! All time goes through the commonware `Clock` of the context; nothing from consensus input
//! panics: unknown or invalid payloads are answered `false` or left pending.

mod engine;

pub use engine::{
    ConsensusConfig, NAMESPACE, Scheme, author_account, dev_signer, start, validator_set,
};

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use commonware_actor::Feedback;
use commonware_consensus::simplex::Plan;
use commonware_consensus::simplex::types::{Activity, Context};
use commonware_consensus::{Automaton, CertifiableAutomaton, Relay, Reporter};
use commonware_cryptography::ed25519;
use commonware_runtime::{Clock, Spawner, Supervisor};
use commonware_utils::channel::oneshot;

use crate::block::{Block, BlockDigest, Hash, from_digest, to_digest};
use crate::chain::{Chain, ChainError, author_of};
use rustensor_runtime::executive::ApplyError;

/// Where a proposer gets extrinsics (the mempool), and what it learns of their fate.
/// Implementations must be cheap and never block.
pub trait TxSource: Send + Sync + 'static {
    /// Up to `max` extrinsics to try, in order (none already in a pending block).
    fn ready(&self, max: usize) -> Vec<Vec<u8>>;
    /// Block `block` (built here or imported, not final) includes these extrinsics.
    fn in_block(&self, _block: Hash, _extrinsics: &[Vec<u8>]) {}
    /// Block `block` is finalized with these extrinsics: they leave the pool for good.
    fn finalized(&self, block: Hash, extrinsics: &[Vec<u8>]);
    /// Block `block` will never be finalized (a dead fork): its extrinsics may be tried again.
    fn retracted(&self, _block: Hash, _extrinsics: &[Vec<u8>]) {}
    /// The runtime rejected this extrinsic when building a block, for `reason`.
    fn rejected(&self, extrinsic: &[u8], reason: ApplyError);
}

/// Who hears about blocks as they become best or final (RPC head subscriptions, metrics).
/// Called with the application's lock released; implementations must be cheap and never
/// block.
pub trait Observer: Send + Sync + 'static {
    /// `block` was built here or imported, and is the new best block.
    fn on_best(&self, _block: &Block) {}
    /// `block` was committed as finalized (called in height order).
    fn on_finalized(&self, _block: &Block) {}
    /// Building or importing a block took `elapsed` (execution and state root).
    fn on_executed(&self, _elapsed: Duration, _extrinsics: usize) {}
}

/// An [`Observer`] that ignores everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoObserver;

impl Observer for NoObserver {}

/// A FIFO [`TxSource`] in memory (a stand-in for the mempool). Cloning shares the queue.
#[derive(Clone, Debug, Default)]
pub struct MemoryTxQueue(Arc<Mutex<VecDeque<Vec<u8>>>>);

impl MemoryTxQueue {
    /// Adds an extrinsic at the end of the queue.
    pub fn push(&self, extrinsic: Vec<u8>) {
        self.lock().push_back(extrinsic);
    }

    /// How many extrinsics wait.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the queue is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<Vec<u8>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl TxSource for MemoryTxQueue {
    fn ready(&self, max: usize) -> Vec<Vec<u8>> {
        self.lock().iter().take(max).cloned().collect()
    }

    fn finalized(&self, _block: Hash, extrinsics: &[Vec<u8>]) {
        self.lock().retain(|xt| !extrinsics.contains(xt));
    }

    fn rejected(&self, extrinsic: &[u8], _reason: ApplyError) {
        self.lock().retain(|xt| xt.as_slice() != extrinsic);
    }
}

/// Block-production settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProductionConfig {
    /// The least time between a block and its child (dev default 250 ms).
    pub min_block_time: Duration,
    /// The most extrinsics a proposer tries per block.
    pub max_block_extrinsics: usize,
}

impl Default for ProductionConfig {
    fn default() -> Self {
        Self { min_block_time: Duration::from_millis(250), max_block_extrinsics: 1024 }
    }
}

/// What the application shares between simplex's calls.
struct Shared {
    chain: Chain,
    /// When each recent block was built or imported (for the minimum block time).
    times: BTreeMap<Hash, SystemTime>,
    /// The last error met on finalization (a fatal condition for the operator).
    fatal: Option<String>,
}

/// The simplex application: block building, verification and finalized-block commits.
pub struct App<E> {
    context: Arc<E>,
    shared: Arc<Mutex<Shared>>,
    txs: Arc<dyn TxSource>,
    observer: Arc<dyn Observer>,
    config: ProductionConfig,
}

impl<E> Clone for App<E> {
    fn clone(&self) -> Self {
        Self {
            context: self.context.clone(),
            shared: self.shared.clone(),
            txs: self.txs.clone(),
            observer: self.observer.clone(),
            config: self.config,
        }
    }
}

impl<E> App<E> {
    fn lock(&self) -> MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the chain (under the application's lock: keep it short).
    pub fn with_chain<T>(&self, f: impl FnOnce(&Chain) -> T) -> T {
        f(&self.lock().chain)
    }

    /// The error that stopped finalized blocks from being committed, if any.
    pub fn fatal(&self) -> Option<String> {
        self.lock().fatal.clone()
    }
}

impl<E: Clock + Spawner + Supervisor + Send + Sync + 'static> App<E> {
    /// An application over `chain`, taking extrinsics from `txs`.
    pub fn new(context: E, chain: Chain, txs: Arc<dyn TxSource>, config: ProductionConfig) -> Self {
        let shared = Shared { chain, times: BTreeMap::new(), fatal: None };
        Self {
            context: Arc::new(context),
            shared: Arc::new(Mutex::new(shared)),
            txs,
            observer: Arc::new(NoObserver),
            config,
        }
    }

    /// The same application, reporting to `observer`.
    #[must_use]
    pub fn with_observer(mut self, observer: Arc<dyn Observer>) -> Self {
        self.observer = observer;
        self
    }

    fn build(&self, parent: Hash, leader: &ed25519::PublicKey) -> Option<BlockDigest> {
        let candidates = self.txs.ready(self.config.max_block_extrinsics);
        let author = author_of(&pk_bytes(leader));
        let now = self.context.current();
        let started = std::time::Instant::now();
        let mut shared = self.lock();
        match shared.chain.build(&parent, candidates, Some(author)) {
            Ok(built) => {
                drop_times(&mut shared.times);
                let hash = built.block.hash();
                shared.times.insert(hash, now);
                let is_best = shared.chain.best().is_ok_and(|(_, best)| best == hash);
                drop(shared);
                self.observer.on_executed(started.elapsed(), built.block.extrinsics.len());
                if is_best {
                    self.observer.on_best(&built.block);
                }
                self.txs.in_block(hash, &built.block.extrinsics);
                for (xt, reason) in &built.rejected {
                    self.txs.rejected(xt, *reason);
                }
                Some(to_digest(hash))
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot build a block");
                None
            }
        }
    }

    /// `Some(verdict)` once decidable, `None` while the body or the parent is missing.
    fn check(&self, parent: Hash, payload: Hash) -> Option<bool> {
        let shared = self.lock();
        if let Some(block) = shared.chain.pending_block(&payload) {
            return Some(block.header.parent_hash == parent);
        }
        let chain = &shared.chain;
        match (chain.number_of(&parent), chain.store().number_of(payload)) {
            // A committed block is valid only on its own parent.
            (Ok(parent_number), Ok(Some(number))) => {
                Some(parent_number.map(|n| n + 1) == Some(number))
            }
            // A block from another proposer: its body comes from block relay (not wired yet,
            // then it is re-executed with `Chain::import` and the proposer as author).
            _ => None,
        }
    }

    fn on_finalized(&self, payload: Hash) {
        let mut shared = self.lock();
        match shared.chain.finalize(&payload) {
            Ok(blocks) => {
                let dead = shared.chain.take_dropped();
                drop(shared);
                for block in &dead {
                    self.txs.retracted(block.hash(), &block.extrinsics);
                }
                for block in &blocks {
                    tracing::debug!(number = block.header.number, "finalized");
                    self.observer.on_finalized(block);
                    self.txs.finalized(block.hash(), &block.extrinsics);
                }
            }
            Err(ChainError::UnknownParent(_)) => {
                // The body is not here (a block we never saw): backfill is marshal's job.
                tracing::warn!("finalized block unknown locally");
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot commit a finalized block");
                shared.fatal = Some(e.to_string());
            }
        }
    }
}

/// Keeps the block-time map small: times only matter for the latest blocks.
fn drop_times(times: &mut BTreeMap<Hash, SystemTime>) {
    if times.len() > 1024 {
        times.clear();
    }
}

fn pk_bytes(pk: &ed25519::PublicKey) -> [u8; 32] {
    let mut out = [0; 32];
    out.copy_from_slice(pk.as_ref());
    out
}

impl<E: Clock + Spawner + Supervisor + Send + Sync + 'static> Automaton for App<E> {
    type Context = Context<BlockDigest, ed25519::PublicKey>;
    type Digest = BlockDigest;

    async fn propose(&mut self, context: Self::Context) -> oneshot::Receiver<BlockDigest> {
        let (sender, receiver) = oneshot::channel();
        let app = self.clone();
        let parent = from_digest(&context.parent.1);
        let earliest = {
            let shared = self.lock();
            shared.times.get(&parent).map(|t| *t + self.config.min_block_time)
        };
        self.context.child("propose").spawn(move |clock| async move {
            if let Some(earliest) = earliest {
                clock.sleep_until(earliest).await;
            }
            if let Some(digest) = app.build(parent, &context.leader) {
                let _ = sender.send(digest);
            }
        });
        receiver
    }

    async fn verify(
        &mut self,
        context: Self::Context,
        payload: BlockDigest,
    ) -> oneshot::Receiver<bool> {
        // The proposer (`context.leader`) becomes the author when bodies from other validators
        // are re-executed (block relay is not wired yet).
        let (sender, receiver) = oneshot::channel();
        let app = self.clone();
        let parent = from_digest(&context.parent.1);
        let payload = from_digest(&payload);
        self.context.child("verify").spawn(move |clock| async move {
            loop {
                if let Some(verdict) = app.check(parent, payload) {
                    let _ = sender.send(verdict);
                    return;
                }
                if sender.is_closed() {
                    return;
                }
                clock.sleep(Duration::from_millis(50)).await;
            }
        });
        receiver
    }
}

impl<E: Clock + Spawner + Supervisor + Send + Sync + 'static> CertifiableAutomaton for App<E> {}

impl<E: Send + Sync + 'static> Relay for App<E> {
    type Digest = BlockDigest;
    type PublicKey = ed25519::PublicKey;
    type Plan = Plan<ed25519::PublicKey>;

    fn broadcast(&mut self, _payload: BlockDigest, _plan: Self::Plan) -> Feedback {
        // One validator: nobody to send the body to (see the module docs).
        Feedback::Ok
    }
}

impl<E: Clock + Spawner + Supervisor + Send + Sync + 'static> Reporter for App<E> {
    type Activity = Activity<Scheme, BlockDigest>;

    fn report(&mut self, activity: Self::Activity) -> Feedback {
        if let Activity::Finalization(finalization) = activity {
            self.on_finalized(from_digest(&finalization.proposal.payload));
        }
        Feedback::Ok
    }
}
