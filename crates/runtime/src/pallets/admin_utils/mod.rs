//! `AdminUtils` (pallet index 19): the `sudo_set_*` hyperparameter setters of subtensor's
//! `pallet-admin-utils` (`reference/subtensor.md` §2.8, §9, §12).
//!
//! The wire half (its calls, events, errors, storage items and structs) is
//! `rustensor_runtime_types::pallets::admin_utils`, re-exported here.
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
