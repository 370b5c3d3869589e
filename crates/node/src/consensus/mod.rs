//! Consensus wiring: commonware simplex + marshal ordering and disseminating our blocks.
//!
//! - [`App`] is a commonware marshal `Application`, run under marshal's standard
//!   [`Inline`](commonware_consensus::marshal::standard::Inline) wrapper (which is simplex's
//!   `Automaton`, `Relay` and `Reporter`): `propose` waits out the minimum block time after
//!   the parent, pulls extrinsics from a [`TxSource`], builds the block on the parent's state
//!   ([`Chain::build`]); `verify` re-executes a block with [`Chain::import`] (state root
//!   compared) with the round's leader as author, answers `false` only for a block that is
//!   invalid for good and stays pending while its parent is not executed here;
//! - blocks travel to the other validators through `commonware_broadcast::buffered` (the
//!   wrapper broadcasts what we propose), and missing blocks or certificates come through
//!   marshal's p2p resolver (backfill);
//! - [`Committer`] receives marshal's finalized blocks in height order (at least once): it
//!   stores the block's finalization certificate ([`StateStore::put_finality`]), imports a
//!   block never executed here (author: the leader of the finalization's round), commits it
//!   ([`Chain::finalize`], idempotent by height), tells the [`TxSource`] and the [`Observer`],
//!   then acknowledges it to marshal.
//!
//! - [`gossip`] passes the transactions each validator's clients submit to the other
//!   validators' pools (p2p channel 5).
//!
//! All time goes through the commonware `Clock` of the context; nothing from consensus input
//! panics: unknown or invalid payloads are answered `false` or left pending.

mod engine;
pub mod epochs;
pub mod gossip;

pub use engine::{
    Consensus, ConsensusConfig, MAX_MESSAGE, MAX_PEERS_PER_SET, NAMESPACE, NodeRuntime,
    P2P_NAMESPACE, P2p, Scheme, author_account, dev_signer, local_network, simulated_p2p, start,
    tcp_p2p, validator_set,
};

use std::collections::{BTreeMap, VecDeque};

use futures::StreamExt as _;
use rustensor_primitives::AccountId32;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use commonware_actor::Feedback;
use commonware_codec::Encode as _;
use commonware_consensus::marshal::Update;
use commonware_consensus::marshal::ancestry::Ancestry;
use commonware_consensus::marshal::core::Mailbox;
use commonware_consensus::marshal::standard::Standard;
use commonware_consensus::simplex::elector::{Elector as _, RoundRobinElector};
use commonware_consensus::simplex::types::Context;
use commonware_consensus::types::Height;
use commonware_consensus::{Application, Reporter};
use commonware_cryptography::{Digested, ed25519};
use commonware_runtime::{Clock, Metrics, Spawner, Supervisor};
use commonware_utils::Acknowledgement as _;
use commonware_utils::acknowledgement::Exact;
use commonware_utils::ordered::Set;

use crate::block::{Block, BlockDigest, Hash, from_digest, to_digest};
use crate::chain::{Chain, ChainError, author_of};
use crate::store::StateStore;
use rustensor_runtime::executive::ApplyError;
use rustensor_runtime::pallets::validators;

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
    /// The extrinsics this node's clients submit from now on (once pooled), for the node to
    /// gossip to the other validators; `None` (the default) when the source does not gossip.
    /// A later call replaces the earlier receiver.
    fn take_announcements(&self) -> Option<futures::channel::mpsc::Receiver<Vec<u8>>> {
        None
    }
    /// An extrinsic another validator gossiped: pool it like a client's (if valid), without
    /// announcing it again.
    fn gossiped(&self, _extrinsic: Vec<u8>) {}
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

/// What the application shares between consensus calls.
struct Shared {
    chain: Chain,
    /// When each recent block was built or imported (for the minimum block time).
    times: BTreeMap<Hash, SystemTime>,
    /// The last error met on finalization (a fatal condition for the operator).
    fatal: Option<String>,
    /// Set when the node stops: waits inside consensus calls give up.
    stopped: bool,
}

/// The block application: building, re-executing and committing blocks over a [`Chain`].
/// Cloning shares the chain.
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

    /// Runs `f` on the chain mutably (under the application's lock: keep it short). For tests
    /// and tools; consensus never needs it.
    pub fn with_chain_mut<T>(&self, f: impl FnOnce(&mut Chain) -> T) -> T {
        f(&mut self.lock().chain)
    }

    /// Where block producers take extrinsics from (the mempool).
    pub(crate) fn txs(&self) -> &Arc<dyn TxSource> {
        &self.txs
    }

    /// The error that stopped finalized blocks from being committed, if any.
    pub fn fatal(&self) -> Option<String> {
        self.lock().fatal.clone()
    }

    /// Tells the application that its node stops: verifications still waiting for a parent
    /// give up, so no task keeps the chain (and its store) open.
    pub fn stop(&self) {
        self.lock().stopped = true;
    }

    fn stopped(&self) -> bool {
        self.lock().stopped
    }

    pub(crate) fn set_fatal(&self, error: String) {
        tracing::error!(%error, "cannot commit a finalized block");
        self.lock().fatal = Some(error);
    }
}

impl<E: Clock + Spawner + Supervisor + Send + Sync + 'static> App<E> {
    /// An application over `chain`, taking extrinsics from `txs`.
    pub fn new(context: E, chain: Chain, txs: Arc<dyn TxSource>, config: ProductionConfig) -> Self {
        let shared = Shared { chain, times: BTreeMap::new(), fatal: None, stopped: false };
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

    fn build(&self, parent: Hash, leader: &ed25519::PublicKey) -> Option<Block> {
        let candidates = self.txs.ready(self.config.max_block_extrinsics);
        let author = author_of(&pk_bytes(leader));
        let now = self.context.current();
        let started = now;
        let mut shared = self.lock();
        match shared.chain.build(&parent, candidates, Some(author)) {
            Ok(built) => {
                drop_times(&mut shared.times);
                let hash = built.block.hash();
                shared.times.insert(hash, now);
                let is_best = shared.chain.best().is_ok_and(|(_, best)| best == hash);
                drop(shared);
                self.observer
                    .on_executed(elapsed(&*self.context, started), built.block.extrinsics.len());
                if is_best {
                    self.observer.on_best(&built.block);
                }
                self.txs.in_block(hash, &built.block.extrinsics);
                for (xt, reason) in &built.rejected {
                    self.txs.rejected(xt, *reason);
                }
                Some(built.block)
            }
            Err(e) => {
                tracing::warn!(error = %crate::error_text(&e), "cannot build a block");
                None
            }
        }
    }

    /// Re-executes `block` from `author` (see [`Chain::import`]): `Some(true)` once it is
    /// valid (or already known), `Some(false)` if it is invalid for good, `None` while its
    /// parent is not executed here (or the store fails): the caller may retry later.
    pub fn import(&self, block: &Block, author: &ed25519::PublicKey) -> Option<bool> {
        self.import_as(block, Some(author_of(&pk_bytes(author))))
    }

    /// As [`App::import`], checking the header's author against `expected` only when given
    /// (an ancestor vouched for by consensus is executed with the author its header names).
    fn import_as(&self, block: &Block, expected: Option<AccountId32>) -> Option<bool> {
        let hash = block.hash();
        let now = self.context.current();
        let started = now;
        let mut shared = self.lock();
        if shared.chain.number_of(&hash).ok()?.is_some() {
            return Some(true);
        }
        match shared.chain.import(block.clone(), expected) {
            Ok(()) => {
                drop_times(&mut shared.times);
                shared.times.insert(hash, now);
                let is_best = shared.chain.best().is_ok_and(|(_, best)| best == hash);
                drop(shared);
                self.observer.on_executed(elapsed(&*self.context, started), block.extrinsics.len());
                if is_best {
                    self.observer.on_best(block);
                }
                self.txs.in_block(hash, &block.extrinsics);
                Some(true)
            }
            Err(ChainError::Invalid(reason)) => {
                tracing::warn!(number = block.header.number, reason, "invalid block");
                Some(false)
            }
            Err(ChainError::UnknownParent(_)) => None,
            Err(e) => {
                tracing::warn!(error = %crate::error_text(&e), "cannot import a block yet");
                None
            }
        }
    }

    /// Whether the block `hash` is executed here (pending or committed).
    fn knows(&self, hash: &Hash) -> bool {
        self.lock().chain.number_of(hash).ok().flatten().is_some()
    }

    /// Executes the blocks of `ancestry` (newest first, as marshal yields a parent and its
    /// ancestors) that are not executed here, oldest first, each with the author its header
    /// names: they are notarized or finalized, so consensus vouches for them. Stops at the
    /// first block already known; gives up (leaving the caller to wait) on a block that does
    /// not execute.
    async fn import_ancestors(&self, mut ancestry: impl Ancestry<Block>) {
        let mut missing = Vec::new();
        while let Some(block) = ancestry.next().await {
            if self.knows(&block.inner().hash()) {
                break;
            }
            let parent = block.inner().header.parent_hash;
            missing.push(block);
            if self.knows(&parent) || missing.len() > MAX_CATCH_UP {
                break;
            }
        }
        for block in missing.iter().rev() {
            if self.import_as(block.inner(), None) != Some(true) {
                tracing::warn!(number = block.inner().header.number, "cannot execute an ancestor");
                return;
            }
        }
    }

    /// Commits the finalized `block` (importing it first, from `author`, if it was never
    /// executed here) and notifies the [`TxSource`] and [`Observer`]. Idempotent.
    pub(crate) fn commit(
        &self,
        block: &Block,
        author: Option<&ed25519::PublicKey>,
    ) -> Result<(), String> {
        let hash = block.hash();
        let mut shared = self.lock();
        let known = shared.chain.number_of(&hash).map_err(|e| crate::error_text(&e))?.is_some();
        if !known {
            // The finalization's leader when known, else the author the header names.
            shared.chain.import(block.clone(), author.map(|a| author_of(&pk_bytes(a)))).map_err(
                |e| format!("finalized block #{}: {}", block.number(), crate::error_text(&e)),
            )?;
        }
        let blocks = shared.chain.finalize(&hash).map_err(|e| crate::error_text(&e))?;
        let dead = shared.chain.take_dropped();
        drop(shared);
        for block in &dead {
            self.txs.retracted(block.hash(), &block.extrinsics);
        }
        for block in &blocks {
            tracing::debug!(number = block.header.number, "finalized");
            if !known {
                self.observer.on_best(block);
            }
            self.observer.on_finalized(block);
            self.txs.finalized(block.hash(), &block.extrinsics);
        }
        Ok(())
    }
}

/// The most unexecuted ancestors caught up at once before proposing or verifying (older ones
/// arrive through finalization).
const MAX_CATCH_UP: usize = 1024;

/// Keeps the block-time map small: times only matter for the latest blocks.
fn drop_times(times: &mut BTreeMap<Hash, SystemTime>) {
    if times.len() > 1024 {
        times.clear();
    }
}

/// Time since `since` on the commonware clock (execution metrics only).
fn elapsed(clock: &impl Clock, since: SystemTime) -> Duration {
    clock.current().duration_since(since).unwrap_or_default()
}

fn pk_bytes(pk: &ed25519::PublicKey) -> [u8; 32] {
    let mut out = [0; 32];
    out.copy_from_slice(pk.as_ref());
    out
}

impl<E> Application<E> for App<E>
where
    E: Clock + Spawner + Supervisor + Send + Sync + 'static,
{
    type SigningScheme = Scheme;
    type Context = Context<BlockDigest, ed25519::PublicKey>;
    type Block = Block;
    type Input = ();

    async fn propose(
        &mut self,
        (clock, context): (E, Self::Context),
        ancestry: impl Ancestry<Block>,
        _input: (),
    ) -> Option<Digested<Block>> {
        let parent = from_digest(&context.parent.1);
        if !self.knows(&parent) {
            // A notarized parent we never executed, or lost in a crash: catch up first.
            self.import_ancestors(ancestry).await;
        }
        let earliest = self.lock().times.get(&parent).map(|t| *t + self.config.min_block_time);
        if let Some(earliest) = earliest {
            clock.sleep_until(earliest).await;
        }
        let block = self.build(parent, &context.leader)?;
        let digest = to_digest(block.hash());
        Some(Digested::precomputed(block, digest))
    }

    async fn verify(
        &mut self,
        (clock, context): (E, Self::Context),
        ancestry: impl Ancestry<Block>,
    ) -> bool {
        // The wrapper puts the block under verification first (its parent and height are
        // already checked against the context).
        let Some(block) = ancestry.peek().cloned() else { return false };
        if !self.knows(&block.inner().header.parent_hash) {
            let mut ancestors = ancestry.clone();
            let _ = ancestors.next().await;
            self.import_ancestors(ancestors).await;
        }
        loop {
            if let Some(verdict) = self.import(block.inner(), &context.leader) {
                return verdict;
            }
            if self.stopped() {
                return false;
            }
            // The parent is not executed here yet (we missed it): wait for it to be imported
            // on finalization, or for consensus to cancel this verification.
            clock.sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Who led (and so authored the block of) each consensus round: simplex's round-robin
/// election over the validator set of the round's epoch. Cloning shares the table.
#[derive(Clone, Default)]
pub struct Authors(Arc<Mutex<BTreeMap<u64, EpochLeaders>>>);

/// One epoch's participants and their election.
struct EpochLeaders {
    participants: Set<ed25519::PublicKey>,
    elector: RoundRobinElector<Scheme>,
}

/// How many epochs of leaders [`Authors`] keeps.
const KEPT_AUTHOR_EPOCHS: u64 = 4;

impl Authors {
    /// The leaders of epoch 0's `participants` under the election the engine uses.
    pub fn new(participants: Set<ed25519::PublicKey>) -> Self {
        let authors = Self::default();
        authors.insert(0, participants);
        authors
    }

    /// Adds (or replaces) the participants of `epoch`; forgets epochs more than a few older.
    pub fn insert(&self, epoch: u64, participants: Set<ed25519::PublicKey>) {
        use commonware_consensus::simplex::elector::Config as _;
        let elector = engine::elector_config().build(&participants);
        let mut table = self.0.lock().unwrap_or_else(|e| e.into_inner());
        table.insert(epoch, EpochLeaders { participants, elector });
        let floor = epoch.saturating_sub(KEPT_AUTHOR_EPOCHS);
        table.retain(|e, _| *e >= floor);
    }

    /// The leader of `round`, if its epoch is known.
    pub fn of(&self, round: commonware_consensus::types::Round) -> Option<ed25519::PublicKey> {
        let table = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let leaders = table.get(&round.epoch().get())?;
        let leader = leaders.elector.elect(round, ());
        leaders.participants.get(leader.get() as usize).cloned()
    }
}

/// Marshal's reporter: commits finalized blocks in height order, moves consensus to the next
/// epoch after a boundary block, and acknowledges them.
pub struct Committer<E> {
    app: App<E>,
    marshal: Mailbox<Scheme, Standard<Block>>,
    authors: Authors,
    store: Arc<StateStore>,
    schemes: epochs::EpochSchemes,
    orchestrator: epochs::Orchestrator,
    epoch_length: u64,
    /// The last epoch whose scheduled set was announced to the orchestrator.
    announced: Arc<std::sync::atomic::AtomicU64>,
}

impl<E> Clone for Committer<E> {
    fn clone(&self) -> Self {
        Self {
            app: self.app.clone(),
            marshal: self.marshal.clone(),
            authors: self.authors.clone(),
            store: self.store.clone(),
            schemes: self.schemes.clone(),
            orchestrator: self.orchestrator.clone(),
            epoch_length: self.epoch_length,
            announced: self.announced.clone(),
        }
    }
}

impl<E: Clock + Spawner + Supervisor + Metrics + Send + Sync + 'static> Committer<E> {
    /// A committer of `app`'s finalized blocks delivered by `marshal`; `authors` names the
    /// leader (block author) of a finalization's round, `schemes` and `orchestrator` learn
    /// each new epoch's set from the boundary blocks (epochs of `epoch_length` blocks).
    pub(crate) fn new(
        app: App<E>,
        marshal: Mailbox<Scheme, Standard<Block>>,
        authors: Authors,
        schemes: epochs::EpochSchemes,
        orchestrator: epochs::Orchestrator,
        epoch_length: u64,
    ) -> Self {
        let store = app.with_chain(|c| c.store().clone());
        let announced = Arc::new(std::sync::atomic::AtomicU64::new(0));
        Self { app, marshal, authors, store, schemes, orchestrator, epoch_length, announced }
    }

    async fn deliver(self, block: Digested<Block>, ack: Exact) {
        let block = block.inner();
        let number = u64::from(block.header.number);
        let hash = block.hash();
        let boundary = validators::is_boundary(self.epoch_length, number);
        if self.store.number_of(hash).ok().flatten().is_some() {
            // Redelivered after a restart or a floor: already committed. A boundary may not
            // have started its epoch yet (a crash in between).
            if boundary && let Err(e) = self.after_commit(number, hash).await {
                tracing::warn!(number, error = %e, "cannot move to the next epoch");
                return;
            }
            ack.acknowledge();
            return;
        }
        let finalization = self.marshal.get_finalization(Height::new(number)).await;
        let mut author = None;
        if let Some(finalization) = &finalization {
            if finalization.proposal.payload != to_digest(hash) {
                self.app.set_fatal(format!("finalization of #{number} names another block"));
                return;
            }
            if let Err(e) =
                self.store.put_finality(number, &finalization.encode(), self.epoch_length)
            {
                self.app.set_fatal(crate::error_text(&e));
                return;
            }
            // The last block of an epoch is re-proposed in later rounds until the next epoch
            // starts, so its finalization's leader may not be its author: trust the header
            // there (consensus vouches for the block either way).
            if !boundary {
                author = self.authors.of(finalization.proposal.round);
            }
        }
        if let Err(e) = self.app.commit(block, author.as_ref()) {
            // Without the acknowledgement marshal stops delivering: the node halts.
            self.app.set_fatal(e);
            return;
        }
        match self.after_commit(number, hash).await {
            Ok(()) => ack.acknowledge(),
            Err(e) => self.app.set_fatal(e),
        }
    }

    /// After block `number` is committed: announces a newly scheduled validator set, and on an
    /// epoch boundary registers the next epoch's set and starts its engine.
    async fn after_commit(&self, number: u64, hash: Hash) -> Result<(), String> {
        use std::sync::atomic::Ordering;
        let boundary = validators::is_boundary(self.epoch_length, number);
        let sets = match self.store.state_at(number) {
            Ok(state) => epochs::StateSets::read(&state).map_err(|e| format!("{e:#}"))?,
            // An old block redelivered after a restart: its epoch was handled then.
            Err(_) if !boundary => return Ok(()),
            Err(e) => {
                return Err(format!(
                    "state of boundary block #{number}: {}",
                    crate::error_text(&e)
                ));
            }
        };
        if let Some(next) = &sets.next
            && self.announced.fetch_max(next.epoch, Ordering::Relaxed) < next.epoch
        {
            self.orchestrator.announce(
                next.epoch,
                sets.active.validators.clone(),
                next.validators.clone(),
            );
        }
        if boundary {
            let epoch = sets.active.epoch;
            let participants =
                epochs::participants(&sets.active.validators).map_err(|e| format!("{e:#}"))?;
            self.schemes.insert(epoch, participants.clone());
            self.authors.insert(epoch, participants);
            if !self.orchestrator.enter(epoch, sets.active.validators, to_digest(hash)).await {
                return Err("consensus stopped before the next epoch started".into());
            }
        }
        Ok(())
    }
}

impl<E: Clock + Spawner + Supervisor + Metrics + Send + Sync + 'static> Reporter for Committer<E> {
    type Activity = Update<Block, Exact>;

    fn report(&mut self, activity: Self::Activity) -> Feedback {
        if let Update::Block(block, ack) = activity {
            // Marshal dispatches the next block only after this one is acknowledged
            // (`max_pending_acks` = 1), so commits stay in height order.
            let this = self.clone();
            self.app.context.child("commit").spawn(move |_| this.deliver(block, ack));
        }
        Feedback::Ok
    }
}
