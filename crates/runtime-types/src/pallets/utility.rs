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
//! What the calls do, and where this deviates from subtensor: `rustensor_runtime::pallets::utility`.

use super::RuntimeCall;
use crate::dispatch::{CallError, DispatchClass, DispatchError, DispatchEventInfo, Pays, Weight};
use parity_scale_codec::{Compact, Decode, Encode};

/// Subtensor's pallet index of `Utility`. Wire-visible.
pub const PALLET_INDEX: u8 = 11;

/// Call index of `batch(calls)`. Wire-visible.
pub const CALL_BATCH: u8 = 0;

/// Call index of `batch_all(calls)`. Wire-visible.
pub const CALL_BATCH_ALL: u8 = 2;

/// Call index of `force_batch(calls)`. Wire-visible.
pub const CALL_FORCE_BATCH: u8 = 4;

/// The most calls one batch may hold (chosen, see the deviations).
pub const BATCHED_CALLS_LIMIT: u32 = 10_000;

/// The weight a batch adds per call (chosen): 5 µs.
pub const PER_CALL_WEIGHT: Weight = Weight::from_parts(5_000_000, 0);

/// `frame_system::Error::CallFiltered`'s index in `System`'s error enum. Wire-visible.
pub const SYSTEM_CALL_FILTERED: u8 = 5;

/// `pallet_utility::Error`. Wire-visible (variant index in `DispatchError::Module`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, thiserror::Error, scale_info::TypeInfo,
)]
pub enum Error {
    /// More than [`BATCHED_CALLS_LIMIT`] calls.
    #[error("too many calls batched")]
    TooManyCalls,
}

impl From<Error> for DispatchError {
    fn from(e: Error) -> Self {
        Self::module(PALLET_INDEX, e as u8)
    }
}

/// `pallet_utility::Event`, the variants of the batch calls. Wire-visible (variant indices,
/// field names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum Event {
    /// `batch` stopped at call `index` with `error`.
    #[codec(index = 0)]
    BatchInterrupted {
        /// The failed call's index in the batch.
        index: u32,
        /// Its error.
        error: DispatchError,
    },
    /// Every call of the batch succeeded.
    #[codec(index = 1)]
    BatchCompleted,
    /// `force_batch` ran every call, and some failed.
    #[codec(index = 2)]
    BatchCompletedWithErrors,
    /// One call of the batch succeeded.
    #[codec(index = 3)]
    ItemCompleted,
    /// One call of a `force_batch` failed.
    #[codec(index = 4)]
    ItemFailed {
        /// Its error.
        error: DispatchError,
    },
}

/// Which batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `batch`: stop at the first failure, keep what ran.
    Batch,
    /// `batch_all`: all or nothing.
    BatchAll,
    /// `force_batch`: run everything, skip failures.
    ForceBatch,
}

/// A `Utility` call: one of the batches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// Which batch.
    pub mode: Mode,
    /// The calls, in order.
    pub calls: Vec<RuntimeCall>,
}

impl Call {
    /// Decodes the call's arguments from the front of `input`; `depth` bounds nesting.
    ///
    /// # Errors
    ///
    /// [`CallError`] for an unknown call index or arguments that do not decode.
    pub(crate) fn decode_from(
        call_index: u8,
        input: &mut &[u8],
        depth: u32,
    ) -> Result<Self, CallError> {
        let mode = match call_index {
            CALL_BATCH => Mode::Batch,
            CALL_BATCH_ALL => Mode::BatchAll,
            CALL_FORCE_BATCH => Mode::ForceBatch,
            _ => return Err(CallError::UnknownCall { pallet: PALLET_INDEX, call: call_index }),
        };
        let bad = CallError::BadArguments { pallet: PALLET_INDEX, call: call_index };
        let len = Compact::<u32>::decode(input).map_err(|_| bad)?.0;
        // No pre-allocation from an untrusted length: every call takes at least two bytes.
        let mut calls = Vec::new();
        for _ in 0..len {
            calls.push(RuntimeCall::decode_nested(input, depth)?);
        }
        Ok(Self { mode, calls })
    }

    fn weight_of(calls: &[RuntimeCall]) -> Weight {
        calls.iter().fold(Weight::default(), |total, call| {
            total.saturating_add(call.info().weight).saturating_add(PER_CALL_WEIGHT)
        })
    }

    /// The declared weight (the calls' weights plus [`PER_CALL_WEIGHT`] each) and class
    /// (operational only if every call is). Always pays.
    pub fn info(&self) -> DispatchEventInfo {
        let all_operational = !self.calls.is_empty()
            && self.calls.iter().all(|c| c.info().class == DispatchClass::Operational);
        let class =
            if all_operational { DispatchClass::Operational } else { DispatchClass::Normal };
        DispatchEventInfo { weight: Self::weight_of(&self.calls), class, pays_fee: Pays::Yes }
    }
}
