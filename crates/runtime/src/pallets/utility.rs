//! `Utility` (pallet index 11): several calls in one extrinsic.
//!
//! Mirrors `pallet_utility` as subtensor forks it (`reference/subtensor.md` §0.1, §10):
//!
//! - `batch(calls)` (0): runs the calls in order and stops at the first failure, which it
//!   reports as `BatchInterrupted { index, error }`; the calls before it stay applied and the
//!   extrinsic succeeds. `BatchCompleted` if all ran.
//! - `batch_all(calls)` (2): all or nothing; the first failure fails the extrinsic with that
//!   call's error and rolls back every call (and its events).
//! - `force_batch(calls)` (4): runs every call; each failure is `ItemFailed { error }` and
//!   rolls back only that call; ends with `BatchCompleted` or `BatchCompletedWithErrors`.
//!
//! Each successful call emits `ItemCompleted`. Each call runs in its own transactional layer,
//! as every FRAME dispatch does. The calls run from the batch's origin (signed, or root under
//! `Sudo`). More than [`BATCHED_CALLS_LIMIT`] calls fail with [`Error::TooManyCalls`].
//!
//! No storage items.
//!
//! # Deviations from subtensor
//!
//! - `as_derivative` (1), `dispatch_as` (3), `with_weight` (5), `if_else` and
//!   `dispatch_as_fallible` are not wired ([`CallError::UnknownCall`]).
//! - Subtensor's fork disallows nested batches; here a batch call nested in a batch from a
//!   signed origin fails with `System.CallFiltered` (FRAME's error for a filtered call, which
//!   is what FRAME's `batch_all` nesting filter gives). Root may nest.
//! - [`BATCHED_CALLS_LIMIT`] and the weights are constants chosen here, not derived from
//!   subtensor's `RuntimeCall` size and benchmarks.

use crate::dispatch::Dispatchable;
use crate::dispatch::{
    DispatchContext, DispatchError, DispatchErrorWithPostInfo, DispatchResultWithPostInfo, Origin,
    Pays, PostDispatchInfo, Weight,
};
pub use rustensor_runtime_types::pallets::utility::*;

/// Runs the batch from `origin` (see the module docs).
///
/// # Errors
///
/// [`Error::TooManyCalls`]; for `batch_all`, the first failing call's error (with the
/// weight used so far).
impl Dispatchable for Call {
    type Output = DispatchResultWithPostInfo;

    fn dispatch(self, ctx: &mut DispatchContext<'_>, origin: &Origin) -> Self::Output {
        let len = u32::try_from(self.calls.len()).unwrap_or(u32::MAX);
        if len > BATCHED_CALLS_LIMIT {
            return Err(DispatchError::from(Error::TooManyCalls).into());
        }
        let mut used = Weight::default();
        let mut failed = false;
        for (index, call) in (0u32..).zip(self.calls) {
            used = used.saturating_add(call.info().weight).saturating_add(PER_CALL_WEIGHT);
            let result = if *origin != Origin::Root && call.is_batch() {
                Err(DispatchError::module(super::system::PALLET_INDEX, SYSTEM_CALL_FILTERED))
            } else {
                ctx.transactional(|inner| call.dispatch(inner, origin))
                    .map(|_| ())
                    .map_err(|e| e.error)
            };
            let post_info = PostDispatchInfo { actual_weight: Some(used), pays_fee: Pays::Yes };
            match (result, self.mode) {
                (Ok(()), _) => ctx.deposit_event(PALLET_INDEX, &Event::ItemCompleted),
                (Err(error), Mode::Batch) => {
                    ctx.deposit_event(PALLET_INDEX, &Event::BatchInterrupted { index, error });
                    return Ok(post_info);
                }
                (Err(error), Mode::BatchAll) => {
                    return Err(DispatchErrorWithPostInfo { post_info, error });
                }
                (Err(error), Mode::ForceBatch) => {
                    failed = true;
                    ctx.deposit_event(PALLET_INDEX, &Event::ItemFailed { error });
                }
            }
        }
        let done = if failed { Event::BatchCompletedWithErrors } else { Event::BatchCompleted };
        ctx.deposit_event(PALLET_INDEX, &done);
        Ok(PostDispatchInfo { actual_weight: Some(used), pays_fee: Pays::Yes })
    }
}

#[cfg(test)]
mod tests;
