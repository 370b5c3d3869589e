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
//!   [`crate::pallets::subtensor::tempo_control`].
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
//! # Deviations from subtensor
//!
//! - Calls for parts we do not implement are not decoded (`CallError::UnknownCall`): Aura and
//!   GRANDPA authorities (0, 59), EVM chain id (58), dissolve schedule (55), childkey takes
//!   (93), CK burn (73), mechanisms (76, 77, 88), UID trimming (78), TAO-flow parameters (81–83,
//!   91), coldkey-swap delays (86, 87), owner-cut auto-lock (95).
//! - Weights are constants chosen here ([`calls::call_weights`]), not subtensor's benchmarks.
//! - `sudo_set_max_allowed_uids` checks the mechanism bound with one mechanism (mechanism 0
//!   only, ARCHITECTURE.md §2).
//! - `sudo_set_nominator_min_required_stake` clears small nominations with this runtime's rule
//!   (`subtensor::staking`), visiting `Alpha` in ascending key order.

pub mod calls;

use crate::dispatch::DispatchContext;
pub use rustensor_runtime_types::pallets::admin_utils::*;
/// Records `event` of this pallet.
pub fn deposit_event(ctx: &mut DispatchContext<'_>, event: Event) {
    ctx.deposit_event(PALLET_INDEX, &event);
}

#[cfg(test)]
pub(crate) mod tests;
