//! The pallets: plain Rust modules over the storage layer, one per subtensor pallet, and
//! [`Runtime`], the router that dispatches call bytes to them by pallet index.
//!
//! Each module names the subtensor (or FRAME) pallet it mirrors and the storage items it owns,
//! and ends with its deviations. Pallet indices are subtensor's (`reference/subtensor.md` §0.1).
//!
//! | module | pallet (index) |
//! | --- | --- |
//! | [`system`] | `System` (0): accounts, nonces, block number and hashes, events |
//! | [`balances`] | `Balances` (5): transfers, existential deposit, issuance |

pub mod balances;
pub mod system;

use rustensor_primitives::AccountId32;

use crate::dispatch::{CallError, Dispatch, DispatchContext, DispatchError, DispatchEventInfo};

/// Routes call bytes (`pallet index ++ call index ++ args`) to the pallets.
///
/// `System` and `Balances` are wired so far; other pallet indices are [`CallError::UnknownPallet`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Runtime;

enum RuntimeCall {
    System(system::Call),
    Balances(balances::Call),
}

fn decode_call(call: &[u8]) -> Result<RuntimeCall, CallError> {
    let [pallet, call_index, args @ ..] = call else {
        return Err(CallError::TooShort(call.len()));
    };
    match *pallet {
        system::PALLET_INDEX => Ok(RuntimeCall::System(system::Call::decode(*call_index, args)?)),
        balances::PALLET_INDEX => {
            Ok(RuntimeCall::Balances(balances::Call::decode(*call_index, args)?))
        }
        other => Err(CallError::UnknownPallet(other)),
    }
}

impl Dispatch for Runtime {
    fn info(&self, call: &[u8]) -> Result<DispatchEventInfo, CallError> {
        // Weights are placeholders (zero) until the benchmarked weights are ported.
        decode_call(call).map(|_| DispatchEventInfo::default())
    }

    fn dispatch(
        &self,
        ctx: &mut DispatchContext<'_>,
        who: &AccountId32,
        call: &[u8],
    ) -> Result<(), DispatchError> {
        match decode_call(call) {
            Ok(RuntimeCall::System(call)) => call.dispatch(ctx, who),
            Ok(RuntimeCall::Balances(call)) => call.dispatch(ctx, who),
            // `info` is checked before dispatch; reaching this is a caller bug.
            Err(_) => Err(DispatchError::Other("undecodable call")),
        }
    }
}
