//! `AdminUtils` (pallet index 19): the `sudo_set_*` hyperparameter setters of subtensor's
//! `pallet-admin-utils` (`reference/subtensor.md` §2.8, §9, §12).
//!
//! Each setter writes a `SubtensorModule` storage item (the items and their defaults are in
//! [`crate::pallets::subtensor::storage`]) and emits the `SubtensorModule` event subtensor's
//! setter emits, or one of this pallet's [`Event`]s. Who may call:
//!
//! - **root only** (`Sudo.sudo`): global parameters and the subnet parameters subtensor reserves
//!   for root (kappa, difficulty, weights rate limit, …);
//! - **subnet owner or root**: the owner-settable parameters. An owner is rate-limited per
//!   (subnet, parameter) to once per `OwnerHyperparamRateLimit` × tempo blocks (recorded in
//!   `SubtensorModule.LastRateLimitedBlock[OwnerHyperparamUpdate(netuid, param)]`); root is not.
//!   `sudo_set_weights_version_key` uses `WeightsVersionKeyRateLimit` tempos instead, recorded
//!   in `SubtensorModule.TransactionKeyLastBlock`.
//! - **the admin freeze window**: wherever subtensor calls `ensure_admin_window_open`, the call
//!   fails with `SubtensorModule::AdminActionProhibitedDuringWeightsWindow` when fewer than
//!   `AdminFreezeWindow` blocks remain before the subnet's next automatic epoch, or while a
//!   manual epoch trigger is pending. As in subtensor this applies to root too (root-only
//!   setters such as `sudo_set_tempo` and `sudo_set_difficulty` included); the helpers are in
//!   `crate::pallets::subtensor::tempo_control`.
//!
//! Checks run in subtensor's order (origin and owner rate limit, then the freeze window, then
//! existence and value checks), so the first failing check names the same error.
//!
//! Storage items owned:
//!
//! | item | hasher | value |
//! | --- | --- | --- |
//! | `AdminUtils.PrecompileEnable` | `Blake2_128Concat` | `PrecompileEnum` → `bool` (default `true`) |
//!
//! What the calls do, and where this deviates from subtensor: `rustensor_runtime::pallets::admin_utils`.

use crate::storage::{Blake2_128Concat, ConstBool, StorageMap, ValueQuery, storage_prefix};
pub use calls::Call;
pub use errors::Error;
pub use events::Event;
use parity_scale_codec::{Decode, Encode};

pub mod calls;

pub mod errors;

pub mod events;

/// Subtensor's pallet index of `AdminUtils`. Wire-visible.
pub const PALLET_INDEX: u8 = 19;

/// `DefaultMaxAllowedUids`: the most UIDs a subnet may have (256).
pub const DEFAULT_MAX_ALLOWED_UIDS: u16 = 256;

/// `MinBurnUpperBound`: `MinBurn` must stay below 1 TAO.
pub const MIN_BURN_UPPER_BOUND: u64 = 1_000_000_000;

/// `MaxBurnLowerBound`: `MaxBurn` must stay above 0.1 TAO.
pub const MAX_BURN_LOWER_BOUND: u64 = 100_000_000;

/// The largest `BondsMovingAverage` a subnet owner may set (root may set more).
pub const OWNER_MAX_BONDS_MOVING_AVERAGE: u64 = 975_000;

/// `MaxBurnHalfLife`: the longest burn half-life in blocks.
pub const MAX_BURN_HALF_LIFE: u16 = 36_100;

/// `MinImmuneOwnerUidsLimit` / `MaxImmuneOwnerUidsLimit`: bounds of `ImmuneOwnerUidsLimit`.
pub const IMMUNE_OWNER_UIDS_LIMIT: core::ops::RangeInclusive<u16> = 1..=10;

/// `MIN_COMMIT_REVEAL_PEROIDS` / `MAX_COMMIT_REVEAL_PEROIDS`: bounds of `RevealPeriodEpochs`.
pub const REVEAL_PERIOD_EPOCHS: core::ops::RangeInclusive<u64> = 1..=100;

/// `DefaultSetSNOwnerHotkeyRateLimit`: blocks between owner-hotkey changes of one subnet (both
/// owner and root).
pub const SET_SN_OWNER_HOTKEY_RATE_LIMIT: u64 = 50_400;

/// The least `alpha_low` and `alpha_high` of liquid alpha: `u16::MAX / 40` (1638).
pub const MIN_ALPHA_VALUE: u16 = 1638;

/// `PrecompileEnum`: the EVM precompiles root may switch off. Wire-visible (variant indices).
#[allow(missing_docs, reason = "variant names are subtensor's and self-describing")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum PrecompileEnum {
    BalanceTransfer,
    Staking,
    Subnet,
    Metagraph,
    Neuron,
    UidLookup,
    Alpha,
    Crowdloan,
    Proxy,
    Leasing,
    AddressMapping,
    VotingPower,
}

storage_prefix!(
    /// `AdminUtils.PrecompileEnable`.
    pub PrecompileEnablePrefix = "AdminUtils" :: "PrecompileEnable"
);

/// `AdminUtils.PrecompileEnable[PrecompileEnum]`: whether a precompile is enabled (default
/// `true`). Wire-visible. Kept for clients; this runtime has no EVM.
pub type PrecompileEnable = StorageMap<
    PrecompileEnablePrefix,
    Blake2_128Concat,
    PrecompileEnum,
    bool,
    ValueQuery<ConstBool<true>>,
>;
