//! The transaction pool: validated signed extrinsics waiting for a block.
//!
//! - **Validation** goes through the [`Validator`] seam ([`StoreValidator`] runs the runtime's
//!   `validate_transaction` on the latest committed state: decoding, signature, era, nonce,
//!   fee payment). It runs *outside* the pool lock: sr25519 verification is the cost, and
//!   concurrent submitters verify in parallel. Extrinsics longer than
//!   [`PoolConfig::max_extrinsic_len`] are refused before any decoding.
//! - **Per-sender nonce queues** (`BTreeMap` by nonce): a transaction is *ready* when its
//!   nonce is contiguous from the sender's next expected nonce (the state nonce at the latest
//!   committed block; transactions already in pending, unfinalized blocks stay in the pool
//!   until finalized and count towards contiguity), else *future*, held until the gap fills.
//! - **Replacement**: the same sender and nonce with a strictly higher `(priority, tip)`
//!   replaces the old transaction (its watcher gets [`TxStatus::Usurped`]), else
//!   [`PoolError::TooLowPriority`]; the same bytes again are [`PoolError::AlreadyImported`].
//! - **Limits** ([`PoolConfig`]): when a limit is exceeded the worst transaction is evicted
//!   (futures first; lowest priority, then lowest tip, then newest; of ready ones only a
//!   sender's highest nonce, so queues stay contiguous). A newcomer that is itself the worst
//!   is refused with [`PoolError::ImmediatelyDropped`]. Evicted watchers get
//!   [`TxStatus::Dropped`].
//! - **Block events** ([`TxSource`]): `in_block` marks transactions (not offered again),
//!   `finalized` removes them, re-reads the affected senders' nonces (dropping stale ones as
//!   [`TxStatus::Invalid`]), prunes expired mortal transactions and promotes futures;
//!   `retracted` offers them again; `rejected` keeps a transaction on a future nonce (held
//!   until the next finalized block) or on exhausted block resources, and drops the rest.
//!
//! - **Gossip** ([`TxSource::take_announcements`], [`TxSource::gossiped`]): a transaction a
//!   client submitted is announced once it is in the pool, for the node to pass on to the
//!   other validators; one a peer passed on is validated and pooled the same way but never
//!   announced again (every validator is every other's peer, so one hop reaches all and no
//!   message loops). The announcement queue is bounded; when the gossip task falls behind,
//!   announcements are dropped (the transaction stays in this pool and is still included
//!   when this validator leads).
//!
//! Every decision iterates `BTreeMap`s/`BTreeSet`s, so the pool's behaviour depends only on
//! the order of calls. Watch channels are bounded and written with `try_send`: a full or
//! closed receiver loses its subscription, never blocks the pool. Nothing here panics; a
//! poisoned lock is recovered (the pool's invariants are restored at each call's end).

mod validator;

#[cfg(test)]
mod tests;

pub use validator::StoreValidator;

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard};

use rustensor_primitives::AccountId32;
use rustensor_primitives::hashing::blake2_256;
use rustensor_runtime::executive::ApplyError;
use rustensor_runtime::extrinsic::{
    InvalidTransaction, TransactionValidityError, UncheckedExtrinsic,
};
use tokio::sync::mpsc;

use crate::consensus::TxSource;
use crate::rpc::{Hash, PoolError, TxPool, TxStatus, TxStatusStream};

/// How many statuses a watcher may have unread before its subscription is dropped.
pub const WATCH_CAPACITY: usize = 16;

/// What a [`Validator`] learned about a valid transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validated {
    /// `blake2_256` of the encoded extrinsic (length prefix included).
    pub hash: Hash,
    /// The verified signer.
    pub signer: AccountId32,
    /// The signed nonce.
    pub nonce: u64,
    /// The tip in RAO.
    pub tip: u64,
    /// The runtime's priority (higher goes first).
    pub priority: u64,
    /// Blocks it stays valid for, from the block it was validated for.
    pub longevity: u64,
    /// The first block number in which it is no longer valid (saturates at `u64::MAX` for an
    /// immortal era).
    pub death: u64,
    /// The encoded length in bytes.
    pub len: usize,
    /// The signer's nonce in the state it was validated against.
    pub account_nonce: u64,
}

/// Validates extrinsics for the pool. Called without any pool lock held, possibly from many
/// threads at once; must never panic.
pub trait Validator: Send + Sync + 'static {
    /// Checks `xt` (encoded, length prefix included) against the latest state.
    ///
    /// # Errors
    ///
    /// The [`PoolError`] that tells the submitter why it is refused.
    fn validate(&self, xt: &[u8]) -> Result<Validated, PoolError>;
    /// The account's nonce at the latest committed block (0 if unknown or unreadable).
    fn account_nonce(&self, who: &AccountId32) -> u64;
    /// The latest committed block number (0 if unreadable).
    fn best_number(&self) -> u64;
}

/// The pool's limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolConfig {
    /// The most ready transactions kept (default 8192, as Substrate).
    pub max_ready: usize,
    /// The most future transactions kept (default 1024).
    pub max_future: usize,
    /// The most bytes of transactions kept, ready and future together (default 20 MiB).
    pub max_bytes: usize,
    /// The longest extrinsic accepted, checked before decoding (default: the block size
    /// limit, [`crate::block::BlockLimits`]).
    pub max_extrinsic_len: usize,
}

impl Default for PoolConfig {
    fn default() -> Self {
        Self {
            max_ready: 8192,
            max_future: 1024,
            max_bytes: 20 * 1024 * 1024,
            max_extrinsic_len: crate::block::BlockLimits::default().max_bytes,
        }
    }
}

/// The pool's counters (for metrics).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolStatus {
    /// Ready transactions (including those in pending blocks).
    pub ready: usize,
    /// Future transactions.
    pub future: usize,
    /// Bytes of all transactions in the pool.
    pub bytes: usize,
}

/// The refusal of an extrinsic of `len` bytes over the limit `max`.
pub(crate) fn oversized(len: usize, max: usize) -> PoolError {
    PoolError::BadFormat(format!("extrinsic of {len} bytes exceeds the limit of {max} bytes"))
}

/// One pooled transaction.
#[derive(Debug)]
struct Entry {
    bytes: Vec<u8>,
    v: Validated,
    /// Arrival order (unique, increasing).
    arrival: u64,
    /// Whether it counts as ready (else future).
    ready: bool,
    /// Rejected by a block builder as a future nonce: held until the next finalized block.
    held: bool,
    /// The pending block that includes it, if any.
    in_block: Option<Hash>,
    watcher: Option<mpsc::Sender<TxStatus>>,
}

impl Entry {
    /// Sends `status` to the watcher; a full or closed channel, or a final status, ends the
    /// subscription.
    fn notify(&mut self, status: TxStatus) {
        if let Some(w) = &self.watcher {
            let last = status.is_final();
            if w.try_send(status).is_err() || last {
                self.watcher = None;
            }
        }
    }

    /// The eviction rank: the smallest is evicted first.
    fn rank(&self) -> (u64, u64, Reverse<u64>) {
        (self.v.priority, self.v.tip, Reverse(self.arrival))
    }
}

/// One sender's transactions.
#[derive(Debug, Default)]
struct Queue {
    /// The sender's nonce at the latest committed block, as last learned.
    base: u64,
    txs: BTreeMap<u64, Entry>,
}

#[derive(Debug, Default)]
struct Inner {
    senders: BTreeMap<AccountId32, Queue>,
    by_hash: BTreeMap<Hash, (AccountId32, u64)>,
    next_arrival: u64,
    ready: usize,
    future: usize,
    bytes: usize,
}

impl Inner {
    fn status(&self) -> PoolStatus {
        PoolStatus { ready: self.ready, future: self.future, bytes: self.bytes }
    }

    fn entry_mut(&mut self, hash: &Hash) -> Option<&mut Entry> {
        let (who, nonce) = self.by_hash.get(hash)?;
        self.senders.get_mut(who)?.txs.get_mut(nonce)
    }

    /// Removes `hash`, sending `status` to its watcher. Does not refresh the sender's queue.
    fn remove(&mut self, hash: &Hash, status: TxStatus) -> Option<AccountId32> {
        let (who, nonce) = self.by_hash.remove(hash)?;
        let queue = self.senders.get_mut(&who)?;
        let mut entry = queue.txs.remove(&nonce)?;
        if entry.ready {
            self.ready = self.ready.saturating_sub(1);
        } else {
            self.future = self.future.saturating_sub(1);
        }
        self.bytes = self.bytes.saturating_sub(entry.v.len);
        entry.notify(status);
        Some(who)
    }

    /// Recomputes which of `who`'s transactions are ready, notifying changes, and forgets an
    /// empty queue.
    fn refresh(&mut self, who: &AccountId32) {
        let Some(queue) = self.senders.get_mut(who) else { return };
        if queue.txs.is_empty() {
            self.senders.remove(who);
            return;
        }
        let mut expected = Some(queue.base);
        for (nonce, entry) in &mut queue.txs {
            let ready = expected == Some(*nonce) && !entry.held;
            expected = if ready { nonce.checked_add(1) } else { None };
            if ready != entry.ready {
                entry.ready = ready;
                if ready {
                    self.ready = self.ready.saturating_add(1);
                    self.future = self.future.saturating_sub(1);
                    entry.notify(TxStatus::Ready);
                } else {
                    self.future = self.future.saturating_add(1);
                    self.ready = self.ready.saturating_sub(1);
                    entry.notify(TxStatus::Future);
                }
            }
        }
    }

    /// Removes `who`'s transactions below its base nonce (stale) as invalid.
    fn drop_stale(&mut self, who: &AccountId32) {
        let Some(queue) = self.senders.get(who) else { return };
        let stale: Vec<Hash> = queue.txs.range(..queue.base).map(|(_, e)| e.v.hash).collect();
        for hash in stale {
            self.remove(&hash, TxStatus::Invalid);
        }
    }

    /// The worst future transaction.
    fn worst_future(&self) -> Option<Hash> {
        self.senders
            .values()
            .flat_map(|q| q.txs.values())
            .filter(|e| !e.ready)
            .min_by_key(|e| e.rank())
            .map(|e| e.v.hash)
    }

    /// The worst ready transaction among each sender's highest ready nonce (not in a block).
    fn worst_ready(&self) -> Option<Hash> {
        self.senders
            .values()
            .filter_map(|q| q.txs.values().rev().find(|e| e.ready))
            .filter(|e| e.in_block.is_none())
            .min_by_key(|e| e.rank())
            .map(|e| e.v.hash)
    }

    /// Evicts the worst transactions until the limits hold; returns whether `newcomer` was
    /// evicted.
    fn enforce_limits(&mut self, config: &PoolConfig, newcomer: &Hash) -> bool {
        let mut evicted_newcomer = false;
        loop {
            let pick = if self.future > config.max_future {
                self.worst_future()
            } else if self.ready > config.max_ready {
                self.worst_ready()
            } else if self.bytes > config.max_bytes {
                self.worst_future().or_else(|| self.worst_ready())
            } else {
                None
            };
            let Some(hash) = pick else { break };
            evicted_newcomer |= hash == *newcomer;
            if let Some(who) = self.remove(&hash, TxStatus::Dropped) {
                self.refresh(&who);
            }
        }
        evicted_newcomer
    }

    /// Inserts a validated transaction (see the module docs); returns its initial status.
    fn insert(
        &mut self,
        bytes: Vec<u8>,
        v: Validated,
        config: &PoolConfig,
    ) -> Result<TxStatus, PoolError> {
        let hash = v.hash;
        if self.by_hash.contains_key(&hash) {
            return Err(PoolError::AlreadyImported(hash));
        }
        let who = v.signer;
        let queue = self.senders.entry(who).or_default();
        queue.base = queue.base.max(v.account_nonce);
        self.drop_stale(&who);
        let queue = self.senders.entry(who).or_default();
        if v.nonce < queue.base {
            self.refresh(&who);
            return Err(PoolError::Invalid(InvalidTransaction::Stale));
        }
        if let Some(old) = queue.txs.get(&v.nonce) {
            if old.in_block.is_some() || (v.priority, v.tip) <= (old.v.priority, old.v.tip) {
                return Err(PoolError::TooLowPriority { old: old.v.priority, new: v.priority });
            }
            let old_hash = old.v.hash;
            self.remove(&old_hash, TxStatus::Usurped(hash));
        }
        let arrival = self.next_arrival;
        self.next_arrival = self.next_arrival.saturating_add(1);
        let nonce = v.nonce;
        self.future = self.future.saturating_add(1);
        self.bytes = self.bytes.saturating_add(v.len);
        self.by_hash.insert(hash, (who, nonce));
        let entry =
            Entry { bytes, v, arrival, ready: false, held: false, in_block: None, watcher: None };
        self.senders.entry(who).or_default().txs.insert(nonce, entry);
        self.refresh(&who);
        if self.enforce_limits(config, &hash) {
            return Err(PoolError::ImmediatelyDropped);
        }
        let ready = self.entry_mut(&hash).is_some_and(|e| e.ready);
        Ok(if ready { TxStatus::Ready } else { TxStatus::Future })
    }

    /// The number of `who`'s transactions contiguous from nonce `base`.
    fn contiguous(&self, who: &AccountId32, base: u64) -> u64 {
        let Some(queue) = self.senders.get(who) else { return 0 };
        let mut count = 0u64;
        let mut expected = base;
        for nonce in queue.txs.range(base..).map(|(n, _)| *n) {
            if nonce != expected {
                break;
            }
            count = count.saturating_add(1);
            let Some(next) = expected.checked_add(1) else { break };
            expected = next;
        }
        count
    }
}

/// The transaction pool. Cloning shares it.
#[derive(Clone)]
pub struct Mempool {
    inner: Arc<Mutex<Inner>>,
    validator: Arc<dyn Validator>,
    config: PoolConfig,
    announce: Arc<Mutex<Option<futures::channel::mpsc::Sender<Vec<u8>>>>>,
}

/// How many client transactions may wait to be gossiped before announcements are dropped.
pub const ANNOUNCE_CAPACITY: usize = 4096;

impl std::fmt::Debug for Mempool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mempool")
            .field("config", &self.config)
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl Mempool {
    /// An empty pool validating with `validator`, within `config`'s limits.
    pub fn new(validator: Arc<dyn Validator>, config: PoolConfig) -> Self {
        Self {
            inner: Arc::new(Mutex::new(Inner::default())),
            validator,
            config,
            announce: Arc::default(),
        }
    }

    /// Whether a gossip task listens for client transactions (else nothing is copied for it).
    fn announcing(&self) -> bool {
        self.announce.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    /// Passes `xt` (just pooled from a client) to the gossip task, if one listens.
    fn announce(&self, xt: Vec<u8>) {
        let mut announce = self.announce.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(sender) = announce.as_mut()
            && let Err(e) = sender.try_send(xt)
        {
            if e.is_disconnected() {
                *announce = None;
            } else {
                tracing::debug!("gossip queue full: a transaction is not passed on");
            }
        }
    }

    /// The limits.
    pub fn config(&self) -> PoolConfig {
        self.config
    }

    /// Ready and future counts and bytes.
    pub fn status(&self) -> PoolStatus {
        self.lock().status()
    }

    /// Whether the transaction with this hash is in the pool.
    pub fn contains(&self, hash: &Hash) -> bool {
        self.lock().by_hash.contains_key(hash)
    }

    /// How many transactions the pool holds.
    pub fn len(&self) -> usize {
        self.lock().by_hash.len()
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Validates (without the lock) and inserts `xt`, attaching a watcher if asked.
    fn import(
        &self,
        xt: Vec<u8>,
        watch: bool,
    ) -> Result<(Hash, Option<TxStatusStream>), PoolError> {
        if xt.len() > self.config.max_extrinsic_len {
            return Err(oversized(xt.len(), self.config.max_extrinsic_len));
        }
        let hash = blake2_256(&xt);
        if self.contains(&hash) {
            return Err(PoolError::AlreadyImported(hash));
        }
        let mut v = self.validator.validate(&xt)?;
        v.hash = hash;
        v.len = xt.len();
        let mut inner = self.lock();
        let first = inner.insert(xt, v, &self.config)?;
        if !watch {
            return Ok((hash, None));
        }
        let (sender, receiver) = mpsc::channel(WATCH_CAPACITY);
        if let Some(entry) = inner.entry_mut(&hash) {
            entry.watcher = Some(sender);
            entry.notify(first);
        }
        Ok((hash, Some(receiver)))
    }

    /// The signers of `extrinsics` that decode (others are skipped).
    fn signers(extrinsics: &[Vec<u8>]) -> BTreeSet<AccountId32> {
        extrinsics
            .iter()
            .filter_map(|xt| UncheckedExtrinsic::decode(xt).ok())
            .filter_map(|xt| xt.signature.map(|s| s.signer))
            .collect()
    }
}

impl TxPool for Mempool {
    fn submit(&self, xt: Vec<u8>) -> Result<Hash, PoolError> {
        let copy = self.announcing().then(|| xt.clone());
        let (hash, _) = self.import(xt, false)?;
        if let Some(xt) = copy {
            self.announce(xt);
        }
        Ok(hash)
    }

    fn watch(&self, xt: Vec<u8>) -> Result<(Hash, TxStatusStream), PoolError> {
        let copy = self.announcing().then(|| xt.clone());
        let imported = self.import(xt, true)?;
        if let Some(xt) = copy {
            self.announce(xt);
        }
        match imported {
            (hash, Some(stream)) => Ok((hash, stream)),
            // Unreachable by construction: `import` with `watch` returns a stream.
            (_, None) => Err(PoolError::Other("no watcher".into())),
        }
    }

    fn next_index(&self, account: &AccountId32) -> u64 {
        let state = self.validator.account_nonce(account);
        let inner = self.lock();
        let base = inner.senders.get(account).map_or(state, |q| q.base.max(state));
        base.saturating_add(inner.contiguous(account, base))
    }

    fn pending(&self) -> Vec<Vec<u8>> {
        let inner = self.lock();
        inner.senders.values().flat_map(|q| q.txs.values()).map(|e| e.bytes.clone()).collect()
    }
}

impl TxSource for Mempool {
    fn take_announcements(&self) -> Option<futures::channel::mpsc::Receiver<Vec<u8>>> {
        let (sender, receiver) = futures::channel::mpsc::channel(ANNOUNCE_CAPACITY);
        *self.announce.lock().unwrap_or_else(|e| e.into_inner()) = Some(sender);
        Some(receiver)
    }

    fn gossiped(&self, xt: Vec<u8>) {
        if let Err(e) = self.import(xt, false) {
            tracing::trace!(error = %e, "a gossiped transaction is not pooled");
        }
    }

    fn ready(&self, max: usize) -> Vec<Vec<u8>> {
        let inner = self.lock();
        // Each sender's offerable chain, in nonce order.
        let chains: BTreeMap<AccountId32, Vec<&Entry>> = inner
            .senders
            .iter()
            .map(|(who, q)| {
                let chain: Vec<&Entry> = q
                    .txs
                    .values()
                    .take_while(|e| e.ready)
                    .filter(|e| e.in_block.is_none())
                    .collect();
                (*who, chain)
            })
            .filter(|(_, chain)| !chain.is_empty())
            .collect();
        type Key = (Reverse<u64>, Reverse<u64>, u64, AccountId32, usize);
        let key = |who: &AccountId32, i: usize, e: &Entry| -> Key {
            (Reverse(e.v.priority), Reverse(e.v.tip), e.arrival, *who, i)
        };
        let mut heads: BTreeSet<Key> = chains
            .iter()
            .filter_map(|(who, chain)| chain.first().map(|e| key(who, 0, e)))
            .collect();
        let mut out = Vec::new();
        while out.len() < max {
            let Some((_, _, _, who, i)) = heads.pop_first() else { break };
            let Some(chain) = chains.get(&who) else { continue };
            if let Some(e) = chain.get(i) {
                out.push(e.bytes.clone());
            }
            if let Some(next) = i.checked_add(1)
                && let Some(e) = chain.get(next)
            {
                heads.insert(key(&who, next, e));
            }
        }
        out
    }

    fn in_block(&self, block: Hash, extrinsics: &[Vec<u8>]) {
        let mut inner = self.lock();
        for xt in extrinsics {
            if let Some(entry) = inner.entry_mut(&blake2_256(xt)) {
                entry.in_block = Some(block);
                entry.notify(TxStatus::InBlock(block));
            }
        }
    }

    fn finalized(&self, block: Hash, extrinsics: &[Vec<u8>]) {
        // State reads first, without the lock.
        let signers = Self::signers(extrinsics);
        let nonces: BTreeMap<AccountId32, u64> =
            signers.iter().map(|who| (*who, self.validator.account_nonce(who))).collect();
        let next_block = self.validator.best_number().saturating_add(1);
        let mut inner = self.lock();
        let mut touched: BTreeSet<AccountId32> = BTreeSet::new();
        for xt in extrinsics {
            if let Some(who) = inner.remove(&blake2_256(xt), TxStatus::Finalized(block)) {
                touched.insert(who);
            }
        }
        for (who, nonce) in &nonces {
            if let Some(queue) = inner.senders.get_mut(who) {
                queue.base = queue.base.max(*nonce);
                touched.insert(*who);
            }
        }
        // Expired mortal transactions (not in a pending block), and the end of holds.
        let mut expired = Vec::new();
        for (who, queue) in &mut inner.senders {
            for entry in queue.txs.values_mut() {
                if entry.held {
                    entry.held = false;
                    touched.insert(*who);
                }
                if entry.in_block.is_none() && entry.v.death <= next_block {
                    expired.push(entry.v.hash);
                    touched.insert(*who);
                }
            }
        }
        for hash in expired {
            inner.remove(&hash, TxStatus::Invalid);
        }
        for who in &touched {
            inner.drop_stale(who);
            inner.refresh(who);
        }
    }

    fn retracted(&self, block: Hash, extrinsics: &[Vec<u8>]) {
        let mut inner = self.lock();
        for xt in extrinsics {
            if let Some(entry) = inner.entry_mut(&blake2_256(xt))
                && entry.in_block == Some(block)
            {
                entry.in_block = None;
                entry.notify(TxStatus::Retracted(block));
            }
        }
    }

    fn rejected(&self, extrinsic: &[u8], reason: ApplyError) {
        let hash = blake2_256(extrinsic);
        let mut inner = self.lock();
        match reason {
            ApplyError::Validity(TransactionValidityError::Invalid(InvalidTransaction::Future)) => {
                let who = inner.entry_mut(&hash).map(|entry| {
                    entry.held = true;
                    entry.v.signer
                });
                if let Some(who) = who {
                    inner.refresh(&who);
                }
            }
            // No room in this block: it stays ready for the next one.
            ApplyError::Validity(TransactionValidityError::Invalid(
                InvalidTransaction::ExhaustsResources,
            )) => {}
            _ => {
                if let Some(who) = inner.remove(&hash, TxStatus::Invalid) {
                    inner.refresh(&who);
                }
            }
        }
    }
}
