//! `Utility` (pallet index 11): several calls in one extrinsic.
//!
//! The wire half (its calls, events, errors, storage items and structs) is
//! `rustensor_runtime_types::pallets::utility`, re-exported here.
//!
//! # Deviations from subtensor
//!
//! - `as_derivative` (1), `dispatch_as` (3), `with_weight` (5), `if_else` and
//!   `dispatch_as_fallible` are not wired (`CallError::UnknownCall`).
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
