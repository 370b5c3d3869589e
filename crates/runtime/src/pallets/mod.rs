//! The pallets' execution: what each call does, the per-block hooks, genesis, and [`Runtime`],
//! the router that dispatches call bytes to them by pallet index.
//!
//! The wire half of every pallet (its `Call`, `Event`, `Error`, storage items and constants)
//! lives in `rustensor-runtime-types` under the same module path and is re-exported by each
//! module here, so `pallets::balances::Call` and `pallets::balances::transfer` sit side by side.
//! Each module names the subtensor (or FRAME) pallet it mirrors and ends with its deviations.
//!
//! | module | pallet (index) |
//! | --- | --- |
//! | [`system`] | `System` (0): accounts, nonces, block number and hashes, events |
//! | [`balances`] | `Balances` (5): transfers, existential deposit, issuance |
//! | [`transaction_payment`] | `TransactionPayment` (6): fees (no calls) |
//! | [`utility`] | `Utility` (11): `batch`, `batch_all`, `force_batch` |
//! | [`subtensor`] | `SubtensorModule` (7): subnets, neurons, weights, stake, emission |
//! | [`sudo`] | `Sudo` (12): the root key |
//! | [`admin_utils`] | `AdminUtils` (19): the `sudo_set_*` hyperparameter setters |
//! | [`validators`] | `Validators` (100, rustensor's own): the consensus validators of each epoch |

pub mod admin_utils;
pub mod balances;
pub mod subtensor;
pub mod sudo;
pub mod system;
pub mod transaction_payment;
pub mod utility;
pub mod validators;

pub use rustensor_runtime_types::pallets::*;

use crate::dispatch::{
    CallError, Dispatch, DispatchContext, DispatchErrorWithPostInfo, DispatchEventInfo,
    DispatchResultWithPostInfo, Dispatchable, Origin, PostDispatchInfo,
};

/// Routes call bytes (`pallet index ++ call index ++ args`) to the pallets.
///
/// `System`, `Balances`, `SubtensorModule`, `Utility`, `Sudo`, `AdminUtils` and `Validators` are wired; other pallet indices are
/// [`CallError::UnknownPallet`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Runtime;

/// Runs the call from `origin`.
///
/// # Errors
///
/// The pallet's error, with default post-dispatch info unless the pallet says otherwise.
impl Dispatchable for RuntimeCall {
    type Output = DispatchResultWithPostInfo;

    fn dispatch(self, ctx: &mut DispatchContext<'_>, origin: &Origin) -> Self::Output {
        let result = match self {
            Self::System(call) => call.dispatch(ctx, origin),
            Self::Balances(call) => call.dispatch(ctx, origin),
            Self::Utility(call) => return call.dispatch(ctx, origin),
            Self::Sudo(call) => return call.dispatch(ctx, origin),
            Self::Subtensor(call) => return call.dispatch(ctx, origin),
            Self::AdminUtils(call) => return call.dispatch(ctx, origin),
            Self::Validators(call) => return call.dispatch(ctx, origin),
        };
        result.map(|()| PostDispatchInfo::default()).map_err(DispatchErrorWithPostInfo::from)
    }
}

impl Dispatch for Runtime {
    fn info(&self, call: &[u8]) -> Result<DispatchEventInfo, CallError> {
        RuntimeCall::decode(call).map(|call| call.info())
    }

    fn dispatch(
        &self,
        ctx: &mut DispatchContext<'_>,
        origin: &Origin,
        call: &[u8],
    ) -> DispatchResultWithPostInfo {
        match RuntimeCall::decode(call) {
            Ok(call) => call.dispatch(ctx, origin),
            // `info` is checked before dispatch; reaching this is a caller bug.
            Err(_) => Err(crate::dispatch::DispatchError::Other("undecodable call").into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::Pays;
    use proptest::prelude::*;

    // Call bytes as subtensor clients build them: pallet index, call index, SCALE args.
    #[test]
    fn test_call_indices_are_subtensors() {
        // Sudo(12).sudo(0)(System(0).remark(0)(b"hi")).
        assert_eq!(
            RuntimeCall::decode(&hex_bytes("0c0000000868 69")),
            Ok(RuntimeCall::Sudo(sudo::Call::Sudo(Box::new(RuntimeCall::System(
                system::Call::Remark(b"hi".to_vec())
            )))))
        );
        // Utility(11).batch_all(2)([System.remark(b"")]) and force_batch(4)([]), batch(0)([]).
        let batch_all = RuntimeCall::decode(&hex_bytes("0b02 04 0000 00")).unwrap();
        assert_eq!(
            batch_all,
            RuntimeCall::Utility(utility::Call {
                mode: utility::Mode::BatchAll,
                calls: vec![RuntimeCall::System(system::Call::Remark(Vec::new()))],
            })
        );
        for (bytes, mode) in
            [("0b0000", utility::Mode::Batch), ("0b0400", utility::Mode::ForceBatch)]
        {
            assert_eq!(
                RuntimeCall::decode(&hex_bytes(bytes)),
                Ok(RuntimeCall::Utility(utility::Call { mode, calls: Vec::new() }))
            );
        }
        // Sudo(12).set_key(2)(MultiAddress::Id), remove_key(4).
        let mut set_key = hex_bytes("0c0200");
        set_key.extend_from_slice(&[7; 32]);
        assert_eq!(
            RuntimeCall::decode(&set_key),
            Ok(RuntimeCall::Sudo(sudo::Call::SetKey(balances::MultiAddress::Id(
                rustensor_primitives::AccountId32([7; 32])
            ))))
        );
        assert_eq!(
            RuntimeCall::decode(&hex_bytes("0c04")),
            Ok(RuntimeCall::Sudo(sudo::Call::RemoveKey))
        );
        assert_eq!(
            RuntimeCall::decode(&hex_bytes("0c05")),
            Err(CallError::UnknownCall { pallet: 12, call: 5 })
        );
    }

    fn hex_bytes(s: &str) -> Vec<u8> {
        hex::decode(s.replace(' ', "")).expect("test hex")
    }

    proptest! {
        // Untrusted call bytes never panic the decoder, and what decodes dispatches' info.
        #[test]
        fn test_call_decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(call) = RuntimeCall::decode(&bytes) {
                let _ = call.info();
            }
        }

        #[test]
        fn test_nested_call_prefixes_never_panic(
            prefix in proptest::collection::vec(prop_oneof![Just(0x0bu8), Just(0x0c), Just(0x00), Just(0x02), Just(0x04)], 0..300),
        ) {
            let _ = RuntimeCall::decode(&prefix);
        }
    }

    #[test]
    fn test_subtensor_free_calls_match_the_reference() {
        // set_weights, serve_axon, serve_prometheus, commit_weights, reveal_weights.
        for idx in [0, 4, 5, 96, 97] {
            assert_eq!(subtensor_call_pays(idx), Pays::No, "call {idx}");
        }
        // add_stake, remove_stake, burned_register, register_network pay.
        for idx in [2, 3, 7, 59] {
            assert_eq!(subtensor_call_pays(idx), Pays::Yes, "call {idx}");
        }
    }

    #[test]
    fn test_runtime_call_decodes_one_call_and_leaves_the_rest() {
        let mut bytes = crate::test_utils::remark(b"ab");
        bytes.extend_from_slice(&[0xff, 0xee]);
        let mut input = bytes.as_slice();
        assert_eq!(
            RuntimeCall::decode_from(&mut input),
            Ok(RuntimeCall::System(system::Call::Remark(b"ab".to_vec())))
        );
        assert_eq!(input, &[0xff, 0xee]);
        assert_eq!(
            RuntimeCall::decode(&bytes),
            Err(CallError::BadArguments { pallet: 0, call: 0 })
        );
    }
}
