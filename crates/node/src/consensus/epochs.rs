//! Consensus epochs: one simplex engine per epoch, each over the validator set that the chain
//! state names for it (`Validators.Active`, see `rustensor_runtime::pallets::validators`).
//!
//! An epoch is a fixed number of blocks (commonware's `FixedEpocher`, from
//! `Validators.EpochLength`). The set of epoch `e + 1` is in the committed state of the last
//! block of epoch `e` (the *boundary*), so every node learns it from the same block, in height
//! order, and switches without any message of its own:
//!
//! 1. the [`super::Committer`] commits the boundary block, registers the new epoch's scheme
//!    in [`EpochSchemes`] (signing if this node's key is in the set, verifying otherwise) and
//!    its leaders in [`super::Authors`], then asks the [`Orchestrator`] to enter the epoch and
//!    waits for it before acknowledging the block to marshal;
//! 2. the orchestrator starts the new epoch's engine, with the boundary block as its genesis
//!    floor, on the epoch's sub-channels of the vote, certificate and resolver channels
//!    (`commonware_p2p::utils::mux`), then stops the old engine (which by then only
//!    re-proposes the boundary block);
//! 3. p2p tracks the peer set `2e` (the epoch's validators) on entering epoch `e`, and `2e + 1`
//!    (the current and the scheduled validators together) once a schedule for `e + 1` is
//!    committed, so joining validators can connect before they are needed and leaving ones stay
//!    reachable for backfill.
//!
//! A node that missed the boundary (it was down, or slow) sees messages of a later epoch on
//! the muxers' backup channels; it then asks marshal for the finalization of its epoch's last
//! block from that peer (`hint_finalized`), commits it, and moves on, one epoch at a time.
//!
//! Everything here is a function of committed state: no clock and no local choice decides
//! which set signs an epoch.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use commonware_codec::DecodeExt as _;
use commonware_consensus::types::Epoch;
use commonware_cryptography::certificate::{Provider, Scoped};
use commonware_cryptography::ed25519;
use commonware_utils::ordered::Set;
use rustensor_runtime::pallets::validators::{self, EpochSet, ValidatorInfo};
use rustensor_runtime::storage::KvRead;

use super::{NAMESPACE, Scheme};

/// The signing scheme of every epoch this node knows: a marshal and simplex
/// [`Provider`] keyed by epoch. Cloning shares the table.
///
/// Every scope is served as a full scheme (also where this node only verifies), because
/// marshal decodes certificates through [`Provider::scheme`].
#[derive(Clone)]
pub struct EpochSchemes {
    schemes: Arc<Mutex<BTreeMap<u64, Arc<Scheme>>>>,
    signer: Option<ed25519::PrivateKey>,
}

/// How many past epochs' schemes are kept (certificates of older epochs are not checked
/// again once their blocks are committed).
const KEPT_EPOCHS: u64 = 4;

impl EpochSchemes {
    /// An empty table; `signer` signs in the epochs whose set holds its key.
    pub fn new(signer: Option<ed25519::PrivateKey>) -> Self {
        Self { schemes: Arc::default(), signer }
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<u64, Arc<Scheme>>> {
        self.schemes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers `participants` as the set of `epoch` (replacing nothing already there) and
    /// returns its scheme, and whether this node signs in it.
    pub fn insert(&self, epoch: u64, participants: Set<ed25519::PublicKey>) -> (Arc<Scheme>, bool) {
        let mut schemes = self.lock();
        if let Some(scheme) = schemes.get(&epoch) {
            let signs = self.signs(&participants);
            return (scheme.clone(), signs);
        }
        let signing = self
            .signer
            .clone()
            .and_then(|key| Scheme::signer(NAMESPACE, participants.clone(), key));
        let signs = signing.is_some();
        let scheme = Arc::new(signing.unwrap_or_else(|| Scheme::verifier(NAMESPACE, participants)));
        schemes.insert(epoch, scheme.clone());
        let floor = epoch.saturating_sub(KEPT_EPOCHS);
        schemes.retain(|e, _| *e >= floor);
        (scheme, signs)
    }

    fn signs(&self, participants: &Set<ed25519::PublicKey>) -> bool {
        use commonware_cryptography::Signer as _;
        self.signer.as_ref().is_some_and(|key| participants.position(&key.public_key()).is_some())
    }

    /// The scheme of `epoch`, if registered.
    pub fn get(&self, epoch: u64) -> Option<Arc<Scheme>> {
        self.lock().get(&epoch).cloned()
    }
}

impl Provider for EpochSchemes {
    type Scope = Epoch;
    type Scheme = Scheme;

    fn scoped(&self, scope: Epoch) -> Option<Scoped<Scheme>> {
        self.get(scope.get()).map(Scoped::scheme)
    }

    fn scheme(&self, scope: Epoch) -> Option<Arc<Scheme>> {
        self.get(scope.get())
    }
}

/// The validator sets in the committed state after one block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StateSets {
    /// Blocks per epoch.
    pub epoch_length: u64,
    /// The set of the next block's epoch.
    pub active: EpochSet,
    /// The set of the epoch before it, if any.
    pub previous: Option<EpochSet>,
    /// The set scheduled for the epoch after the current one, if any.
    pub next: Option<EpochSet>,
}

impl StateSets {
    /// Reads the sets from `state`.
    ///
    /// # Errors
    ///
    /// If the state has no epoch length or active set (a chain from before validator sets were
    /// kept in state: its data directory must be recreated).
    pub fn read(state: &impl KvRead) -> anyhow::Result<Self> {
        let epoch_length = validators::EpochLength::get(state);
        let active = validators::Active::get(state);
        match active {
            Some(active) if epoch_length >= 2 => Ok(Self {
                epoch_length,
                active,
                previous: validators::Previous::get(state),
                next: validators::Next::get(state),
            }),
            _ => anyhow::bail!(
                "the chain state holds no validator set (Validators.Active): this data \
                 directory was made by an older rustensor; remove it and sync again"
            ),
        }
    }
}

/// The consensus participant set of `validators` (state form).
///
/// # Errors
///
/// If a key does not decode (the runtime accepts only keys that do) or is listed twice.
pub fn participants(validators: &[ValidatorInfo]) -> anyhow::Result<Set<ed25519::PublicKey>> {
    let keys = validators
        .iter()
        .map(|v| {
            ed25519::PublicKey::decode(v.public_key.to_vec())
                .map_err(|e| anyhow::anyhow!("validator key {}: {e}", hex::encode(v.public_key)))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Set::try_from(keys).map_err(|_| anyhow::anyhow!("a validator key is listed twice"))
}

/// A peer of a tracked set: its key and, where the state names one, its `host:port`.
pub type Peer = (ed25519::PublicKey, String);

/// The peers of `validators` (keys that do not decode are left out with a warning).
pub fn peers(validators: &[ValidatorInfo]) -> Vec<Peer> {
    validators
        .iter()
        .filter_map(|v| match ed25519::PublicKey::decode(v.public_key.to_vec()) {
            Ok(key) => Some((key, String::from_utf8_lossy(&v.address).into_owned())),
            Err(e) => {
                tracing::warn!(key = hex::encode(v.public_key), %e, "skipping a validator key");
                None
            }
        })
        .collect()
}

/// Tells the p2p layer which peers to keep connections with: peer set `id` (strictly
/// increasing; a repeated or lower id is ignored by the network) is `peers`.
pub type PeerTracker = Box<dyn FnMut(u64, Vec<Peer>) + Send>;

/// What the committer asks the orchestrator.
pub(crate) enum Request {
    /// Run epoch `epoch` over `set` from the boundary block `floor` (a no-op answering `done`
    /// for an epoch not above the running one).
    Enter {
        /// The epoch to start.
        epoch: u64,
        /// Its validators.
        set: Vec<ValidatorInfo>,
        /// The digest of the last block of the epoch before.
        floor: crate::block::BlockDigest,
        /// Answered once the epoch's engine runs.
        done: futures::channel::oneshot::Sender<()>,
    },
    /// A set for `epoch` is scheduled: connect to `current` and `scheduled` together.
    Announce {
        /// The epoch it takes over.
        epoch: u64,
        /// The validators of the running epoch.
        current: Vec<ValidatorInfo>,
        /// The scheduled validators.
        scheduled: Vec<ValidatorInfo>,
    },
    /// A peer sent a message of `epoch` on an epoch sub-channel nobody listens on.
    Seen {
        /// The message's epoch.
        epoch: u64,
        /// Who sent it.
        from: ed25519::PublicKey,
    },
}

/// The orchestrator's mailbox (cloning shares it).
#[derive(Clone)]
pub(crate) struct Orchestrator(pub(crate) futures::channel::mpsc::UnboundedSender<Request>);

impl Orchestrator {
    /// Starts `epoch` over `set` from the boundary block `floor`, and waits until it runs.
    /// Returns `false` if the orchestrator has stopped.
    pub(crate) async fn enter(
        &self,
        epoch: u64,
        set: Vec<ValidatorInfo>,
        floor: crate::block::BlockDigest,
    ) -> bool {
        let (done, started) = futures::channel::oneshot::channel();
        if self.0.unbounded_send(Request::Enter { epoch, set, floor, done }).is_err() {
            return false;
        }
        started.await.is_ok()
    }

    /// Announces the set scheduled for `epoch` (p2p connects to it ahead of the switch).
    pub(crate) fn announce(
        &self,
        epoch: u64,
        current: Vec<ValidatorInfo>,
        scheduled: Vec<ValidatorInfo>,
    ) {
        let _ = self.0.unbounded_send(Request::Announce { epoch, current, scheduled });
    }
}

/// The union of two validator lists, first occurrence of a key first.
pub(crate) fn union(a: &[ValidatorInfo], b: &[ValidatorInfo]) -> Vec<ValidatorInfo> {
    let mut out: Vec<ValidatorInfo> = a.to_vec();
    for v in b {
        if !out.iter().any(|o| o.public_key == v.public_key) {
            out.push(v.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consensus::dev_signer;
    use commonware_cryptography::Signer as _;

    fn info(uri: &str) -> ValidatorInfo {
        let key = dev_signer(uri).unwrap().public_key();
        let mut public_key = [0; 32];
        public_key.copy_from_slice(key.as_ref());
        ValidatorInfo { public_key, address: b"127.0.0.1:1".to_vec() }
    }

    #[test]
    fn schemes_sign_only_in_epochs_whose_set_holds_the_key() {
        let schemes = EpochSchemes::new(Some(dev_signer("//Eve").unwrap()));
        let genesis = participants(&[info("//Alice"), info("//Bob")]).unwrap();
        let rotated = participants(&[info("//Alice"), info("//Eve")]).unwrap();
        assert!(!schemes.insert(0, genesis).1, "Eve only verifies in epoch 0");
        assert!(schemes.insert(1, rotated).1, "Eve signs in epoch 1");
        assert!(schemes.scheme(Epoch::new(0)).is_some(), "verify-only epochs serve a scheme");
        assert!(schemes.scoped(Epoch::new(2)).is_none());
        for epoch in 2..10 {
            schemes.insert(epoch, participants(&[info("//Alice")]).unwrap());
        }
        assert!(schemes.get(1).is_none(), "old epochs are dropped");
        assert!(schemes.get(9 - KEPT_EPOCHS).is_some());
    }

    #[test]
    fn union_keeps_each_key_once() {
        let u = union(&[info("//Alice"), info("//Bob")], &[info("//Bob"), info("//Eve")]);
        assert_eq!(u, vec![info("//Alice"), info("//Bob"), info("//Eve")]);
    }
}
