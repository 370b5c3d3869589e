//! `Validators` (rustensor pallet index 100): who runs consensus in each epoch.
//!
//! Subtensor gets its block authors from `Aura` and its finality voters from `Grandpa`, both
//! changed by runtime upgrades. rustensor's chain validators are commonware simplex signers
//! (ed25519 keys with p2p addresses), and the engine runs one simplex instance per *epoch*, a
//! fixed number of blocks ([`EpochLength`]). This pallet holds the set of each epoch in state,
//! so every node derives the same sets from the same blocks, and lets root schedule the next
//! one.
//!
//! Epoch `e` covers the block numbers `e·L ..= e·L + L − 1` (commonware's `FixedEpocher`, so
//! epoch 0 includes genesis). The last block of an epoch is its *boundary*.
//!
//! Storage items owned:
//!
//! | item | hasher | value |
//! | --- | --- | --- |
//! | `Validators.EpochLength` | – | `u64`: blocks per epoch, fixed at genesis |
//! | `Validators.Active` | – | [`EpochSet`]: the set of the epoch of the *next* block |
//! | `Validators.Previous` | – | [`EpochSet`]: the set of the epoch before `Active` (absent in epoch 0) |
//! | `Validators.Next` | – | [`EpochSet`]: the set scheduled for the next epoch, if any |
//!
//! So in the state after block `h`, `Active` is the set that signs block `h + 1`: the node
//! reads it after committing a boundary block to start the next epoch's engine.
//!
//! Calls: `schedule(validators)` (0), root only (through `Sudo.sudo`). It checks the set (1 to
//! [`MAX_VALIDATORS`] entries, no key twice, every key a canonical and not small-order ed25519
//! point, every address `host:port`) and stores it as `Next` for the epoch after the current
//! block's. One schedule per epoch: a second one fails with [`Error::AlreadyScheduled`].
//!
//! Block step (`finalize_block` of a boundary block, `on_finalize`): `Previous ← Active`,
//! and `Active ←` the scheduled set (or the same validators again) for the new epoch, with
//! [`Event::NewValidatorSet`] when the set changed.
//!
//! What the calls do, and where this deviates from subtensor: `rustensor_runtime::pallets::validators`.

use crate::dispatch::{CallError, DispatchError, DispatchEventInfo, Pays, Weight};
use crate::pallets::subtensor::calls::Prefixed;
use crate::storage::{OptionQuery, StorageValue, ValueQuery, storage_prefix};
use parity_scale_codec::{Decode, Encode};

/// rustensor's pallet index of `Validators` (not used by subtensor).
pub const PALLET_INDEX: u8 = 100;

/// Call index of `schedule(validators)`.
pub const CALL_SCHEDULE: u8 = 0;

/// The most validators one epoch may have (simplex sends every vote to every validator, and
/// each node's p2p queues are sized for all of them).
pub const MAX_VALIDATORS: usize = 32;

/// The longest validator address (`host:port`), in bytes.
pub const MAX_ADDRESS_LEN: usize = 255;

/// Blocks per epoch when the chain spec does not say: one hour of 1-second blocks, or 15
/// minutes at the dev chain's 250 ms.
pub const DEFAULT_EPOCH_LENGTH: u64 = 3600;

/// The weight of `schedule` (chosen): 1 ms, a root call.
pub const SCHEDULE_WEIGHT: Weight = Weight::from_parts(1_000_000_000, 0);

/// One chain validator: its consensus key and p2p address.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct ValidatorInfo {
    /// The ed25519 public key.
    pub public_key: [u8; 32],
    /// Where its p2p endpoint listens, `host:port` (UTF-8).
    pub address: Vec<u8>,
}

/// The validators of one epoch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct EpochSet {
    /// The epoch.
    pub epoch: u64,
    /// Its validators, in the order they were given.
    pub validators: Vec<ValidatorInfo>,
}

storage_prefix!(
    /// `Validators.EpochLength`.
    pub EpochLengthPrefix = "Validators" :: "EpochLength"
);

storage_prefix!(
    /// `Validators.Active`.
    pub ActivePrefix = "Validators" :: "Active"
);

storage_prefix!(
    /// `Validators.Previous`.
    pub PreviousPrefix = "Validators" :: "Previous"
);

storage_prefix!(
    /// `Validators.Next`.
    pub NextPrefix = "Validators" :: "Next"
);

/// `Validators.EpochLength`: blocks per epoch (0 only before genesis is built).
pub type EpochLength = StorageValue<EpochLengthPrefix, u64, ValueQuery>;

/// `Validators.Active`: the set of the next block's epoch.
pub type Active = StorageValue<ActivePrefix, EpochSet, OptionQuery>;

/// `Validators.Previous`: the set of the epoch before `Active`'s.
pub type Previous = StorageValue<PreviousPrefix, EpochSet, OptionQuery>;

/// `Validators.Next`: the set scheduled for the epoch after the current one.
pub type Next = StorageValue<NextPrefix, EpochSet, OptionQuery>;

/// The pallet's errors (variant index in `DispatchError::Module`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, thiserror::Error, scale_info::TypeInfo,
)]
pub enum Error {
    /// The set is empty.
    #[error("a validator set needs at least one validator")]
    EmptySet,
    /// The set has more than [`MAX_VALIDATORS`] validators.
    #[error("too many validators in one set")]
    TooManyValidators,
    /// A key is listed twice.
    #[error("a validator key is listed twice")]
    DuplicateKey,
    /// A key is not a canonical ed25519 point, or is of small order.
    #[error("a validator key is not a valid ed25519 public key")]
    InvalidKey,
    /// An address is not `host:port` with a port in 1..=65535.
    #[error("a validator address is not host:port")]
    InvalidAddress,
    /// A set is already scheduled for the next epoch.
    #[error("a validator set is already scheduled for the next epoch")]
    AlreadyScheduled,
}

impl From<Error> for DispatchError {
    fn from(e: Error) -> Self {
        Self::module(PALLET_INDEX, e as u8)
    }
}

/// The pallet's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum Event {
    /// A set of `validators` validators was scheduled for `epoch`.
    #[codec(index = 0)]
    ValidatorSetScheduled {
        /// The epoch it takes over.
        epoch: u64,
        /// How many validators it has.
        validators: u32,
    },
    /// From the next block on, epoch `epoch` runs with a new set of `validators` validators.
    #[codec(index = 1)]
    NewValidatorSet {
        /// The epoch that starts.
        epoch: u64,
        /// How many validators it has.
        validators: u32,
    },
}

/// A `Validators` call.
#[allow(missing_docs, reason = "fields are the call's arguments")]
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum Call {
    /// Schedules `validators` for the next epoch (root only).
    #[codec(index = 0)]
    Schedule { validators: Vec<ValidatorInfo> },
}

impl Call {
    /// Decodes the call's arguments from the front of `input`.
    ///
    /// # Errors
    ///
    /// [`CallError`] for an unknown call index or arguments that do not decode.
    pub(crate) fn decode_from(call_index: u8, input: &mut &[u8]) -> Result<Self, CallError> {
        let mut prefixed = Prefixed { first: Some(call_index), rest: input };
        Self::decode(&mut prefixed).map_err(|_| {
            if call_index == CALL_SCHEDULE {
                CallError::BadArguments { pallet: PALLET_INDEX, call: call_index }
            } else {
                CallError::UnknownCall { pallet: PALLET_INDEX, call: call_index }
            }
        })
    }

    /// The declared weight: [`SCHEDULE_WEIGHT`], paid (root calls under sudo pay nothing).
    pub fn info(&self) -> DispatchEventInfo {
        DispatchEventInfo {
            weight: SCHEDULE_WEIGHT,
            class: Default::default(),
            pays_fee: Pays::Yes,
        }
    }
}
