//! Dispatching calls: who calls ([`Origin`]), what a call may touch ([`DispatchContext`]), and
//! the [`Dispatch`] seam the executive drives. The wire types of dispatch results
//! (`DispatchError`, weights, dispatch info) live in `rustensor-runtime-types` and are
//! re-exported here.

use parity_scale_codec::Encode;
use rustensor_primitives::AccountId32;

pub use rustensor_runtime_types::dispatch::*;

use crate::events::{EventRecord, Phase};
use crate::storage::{Kv, Overlay};

/// Who dispatches a call: FRAME's `RawOrigin`, the variants subtensor uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A signed account (the extrinsic's signer, or a `sudo_as` target).
    Signed(AccountId32),
    /// The root origin (`Sudo.sudo`).
    Root,
}

impl Origin {
    /// The signer: FRAME's `ensure_signed`.
    ///
    /// # Errors
    ///
    /// `BadOrigin` for [`Origin::Root`].
    pub fn ensure_signed(&self) -> Result<&AccountId32, DispatchError> {
        match self {
            Self::Signed(who) => Ok(who),
            Self::Root => Err(DispatchError::BadOrigin),
        }
    }

    /// FRAME's `ensure_root`.
    ///
    /// # Errors
    ///
    /// `BadOrigin` for a signed origin.
    pub fn ensure_root(&self) -> Result<(), DispatchError> {
        match self {
            Self::Root => Ok(()),
            Self::Signed(_) => Err(DispatchError::BadOrigin),
        }
    }
}

/// What a dispatched call may touch: the state (inside the extrinsic's transactional layer)
/// and the block's event buffer.
pub struct DispatchContext<'a> {
    /// The state; every write is rolled back if the call fails.
    pub state: &'a mut dyn Kv,
    events: &'a mut Vec<EventRecord>,
    phase: Phase,
}

impl<'a> DispatchContext<'a> {
    /// A context writing events with `phase` into `events`.
    pub fn new(state: &'a mut dyn Kv, events: &'a mut Vec<EventRecord>, phase: Phase) -> Self {
        Self { state, events, phase }
    }

    /// Records `event` (the pallet's `Event` value) of pallet `pallet_index`.
    pub fn deposit_event(&mut self, pallet_index: u8, event: &impl Encode) {
        self.events.push(EventRecord::new(self.phase, pallet_index, event));
    }

    /// Runs `f` in a nested transactional layer (FRAME's `with_storage_layer`): its writes
    /// and events are kept if it returns `Ok` and dropped if it returns `Err`.
    pub fn transactional<T, E>(
        &mut self,
        f: impl FnOnce(&mut DispatchContext<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mark = self.events.len();
        let (result, changes) = {
            let mut layer = Overlay::new(&*self.state);
            let result = {
                let mut inner =
                    DispatchContext { state: &mut layer, events: self.events, phase: self.phase };
                f(&mut inner)
            };
            (result, layer.into_parts().1)
        };
        if result.is_ok() {
            for (key, change) in changes {
                match change {
                    Some(value) => self.state.put(&key, &value),
                    None => self.state.delete(&key),
                }
            }
        } else {
            self.events.truncate(mark);
        }
        result
    }
}

/// The call layer the executive drives: decodes call bytes by pallet and call index and runs
/// them. The runtime's router implements it; tests can plug in their own.
pub trait Dispatch {
    /// The weight, class and fee mode of `call`, without running it.
    ///
    /// # Errors
    ///
    /// [`CallError`] if the call does not decode.
    fn info(&self, call: &[u8]) -> Result<DispatchEventInfo, CallError>;

    /// Runs `call` from `origin`.
    ///
    /// # Errors
    ///
    /// The call's error with its post-dispatch info; the executive then rolls its writes and
    /// events back (but keeps the fee).
    fn dispatch(
        &self,
        ctx: &mut DispatchContext<'_>,
        origin: &Origin,
        call: &[u8],
    ) -> DispatchResultWithPostInfo;
}

/// Running a decoded call: FRAME's `UnfilteredDispatchable`. Implemented by every pallet's
/// `Call` (each returns its pallet's result type) and by
/// [`RuntimeCall`](crate::pallets::RuntimeCall), which routes to them.
pub trait Dispatchable {
    /// What running the call returns.
    type Output;

    /// Runs the call from `origin` on `ctx`.
    fn dispatch(self, ctx: &mut DispatchContext<'_>, origin: &Origin) -> Self::Output;
}
