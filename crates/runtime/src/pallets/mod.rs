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
//! | [`transaction_payment`] | `TransactionPayment` (6): fees (no calls) |
//! | [`utility`] | `Utility` (11): `batch`, `batch_all`, `force_batch` |
//! | [`subtensor`] | `SubtensorModule` (7): subnets, neurons, weights, stake, emission |
//! | [`sudo`] | `Sudo` (12): the root key |
//! | [`admin_utils`] | `AdminUtils` (19): the `sudo_set_*` hyperparameter setters |
//! | [`validators`] | `Validators` (100, rustensor's own): the consensus validators of each epoch |
//!
//! [`weights`] holds the weight every call declares (and so its fee).

pub mod admin_utils;
pub mod balances;
mod encode;
pub mod subtensor;
pub mod sudo;
pub mod system;
pub mod transaction_payment;
pub mod utility;
pub mod validators;

pub use encode::UnencodableCall;

use crate::dispatch::{
    CallError, Dispatch, DispatchContext, DispatchErrorWithPostInfo, DispatchEventInfo,
    DispatchResultWithPostInfo, Origin, Pays, PostDispatchInfo,
};

/// The weight each call declares: the input of its fee.
///
/// Subtensor's benchmarked weights are not in our notes, so these are constants chosen here
/// (documented in `transaction_payment`'s deviations). Only `ref_time` costs a fee.
pub mod weights {
    use crate::dispatch::Weight;

    /// `System.remark`: 2 µs.
    pub const REMARK: Weight = Weight::from_parts(2_000_000, 0);
    /// `System.remark_with_event`: 8 µs.
    pub const REMARK_WITH_EVENT: Weight = Weight::from_parts(8_000_000, 0);
    /// Root calls of `System` and `Balances`: 100 µs.
    pub const ROOT_CALL: Weight = Weight::from_parts(100_000_000, 0);
    /// A `Balances` transfer (`transfer_allow_death`, `transfer_keep_alive`, `transfer_all`):
    /// 125 µs, so a transfer costs about 0.000125 TAO with the base fee.
    pub const TRANSFER: Weight = Weight::from_parts(125_000_000, 0);
}

/// Routes call bytes (`pallet index ++ call index ++ args`) to the pallets.
///
/// `System`, `Balances`, `SubtensorModule`, `Utility`, `Sudo`, `AdminUtils` and `Validators` are wired; other pallet indices are
/// [`CallError::UnknownPallet`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Runtime;

/// A decoded call of any pallet: FRAME's `RuntimeCall`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeCall {
    /// A `System` call.
    System(system::Call),
    /// A `Balances` call.
    Balances(balances::Call),
    /// A `Utility` call (holds calls).
    Utility(utility::Call),
    /// A `Sudo` call (may hold a call).
    Sudo(sudo::Call),
    /// A `SubtensorModule` call.
    Subtensor(subtensor::Call),
    /// An `AdminUtils` call.
    AdminUtils(admin_utils::Call),
    /// A `Validators` call.
    Validators(validators::Call),
}

/// How deep calls may nest (`batch` in `sudo` in `batch` …) before decoding refuses: FRAME's
/// `MAX_EXTRINSIC_DEPTH`.
pub const MAX_CALL_DEPTH: u32 = 256;

impl RuntimeCall {
    /// Decodes exactly one call from `call` (no bytes may be left).
    ///
    /// # Errors
    ///
    /// [`CallError`] if it does not decode or bytes are left over.
    pub fn decode(call: &[u8]) -> Result<Self, CallError> {
        let mut input = call;
        let decoded = Self::decode_from(&mut input)?;
        if input.is_empty() {
            Ok(decoded)
        } else {
            let (pallet, call) = (call[0], call[1]);
            Err(CallError::BadArguments { pallet, call })
        }
    }

    /// Decodes one call from the front of `input`, leaving the rest.
    ///
    /// # Errors
    ///
    /// [`CallError`] if it does not decode (or nests deeper than [`MAX_CALL_DEPTH`]).
    pub fn decode_from(input: &mut &[u8]) -> Result<Self, CallError> {
        Self::decode_nested(input, 0)
    }

    fn decode_nested(input: &mut &[u8], depth: u32) -> Result<Self, CallError> {
        let &[pallet, call_index, ref rest @ ..] = *input else {
            return Err(CallError::TooShort(input.len()));
        };
        if depth >= MAX_CALL_DEPTH {
            return Err(CallError::BadArguments { pallet, call: call_index });
        }
        let depth = depth.saturating_add(1);
        let mut args = rest;
        let call = match pallet {
            system::PALLET_INDEX => Self::System(system::Call::decode_from(call_index, &mut args)?),
            balances::PALLET_INDEX => {
                Self::Balances(balances::Call::decode_from(call_index, &mut args)?)
            }
            utility::PALLET_INDEX => {
                Self::Utility(utility::Call::decode_from(call_index, &mut args, depth)?)
            }
            sudo::PALLET_INDEX => {
                Self::Sudo(sudo::Call::decode_from(call_index, &mut args, depth)?)
            }
            subtensor::PALLET_INDEX => {
                Self::Subtensor(subtensor::Call::decode_from(call_index, &mut args)?)
            }
            admin_utils::PALLET_INDEX => {
                Self::AdminUtils(admin_utils::Call::decode_from(call_index, &mut args)?)
            }
            validators::PALLET_INDEX => {
                Self::Validators(validators::Call::decode_from(call_index, &mut args)?)
            }
            other => return Err(CallError::UnknownPallet(other)),
        };
        *input = args;
        Ok(call)
    }

    /// Whether this is one of `Utility`'s batches.
    pub fn is_batch(&self) -> bool {
        matches!(self, Self::Utility(_))
    }

    /// The call's declared weight, class and fee mode.
    pub fn info(&self) -> DispatchEventInfo {
        let weight = match self {
            Self::System(system::Call::Remark(_)) => weights::REMARK,
            Self::System(system::Call::RemarkWithEvent(_)) => weights::REMARK_WITH_EVENT,
            Self::System(_) => weights::ROOT_CALL,
            Self::Balances(
                balances::Call::TransferAllowDeath { .. }
                | balances::Call::TransferKeepAlive { .. }
                | balances::Call::TransferAll { .. },
            ) => weights::TRANSFER,
            Self::Balances(_) => weights::ROOT_CALL,
            Self::Utility(call) => return call.info(),
            Self::Sudo(call) => return call.info(),
            Self::Subtensor(call) => return call.info(),
            Self::AdminUtils(call) => return call.info(),
            Self::Validators(call) => return call.info(),
        };
        DispatchEventInfo { weight, class: Default::default(), pays_fee: Pays::Yes }
    }

    /// Runs the call from `origin`.
    ///
    /// # Errors
    ///
    /// The pallet's error, with default post-dispatch info unless the pallet says otherwise.
    pub fn dispatch(
        self,
        ctx: &mut DispatchContext<'_>,
        origin: &Origin,
    ) -> DispatchResultWithPostInfo {
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

/// Subtensor's `SubtensorModule` (pallet 7) calls that are free (`Pays::No`):
/// `reference/subtensor.md` App. A "free" column and §6.10 (weights, commits, reveals,
/// serving, take changes, `associate_evm_key`, and the `pow-faucet` `faucet`). Wire-visible
/// through fees: a call listed here pays only its tip.
pub const SUBTENSOR_FREE_CALLS: [u8; 19] =
    [0, 4, 5, 40, 60, 65, 66, 80, 93, 96, 97, 98, 100, 113, 115, 116, 117, 118, 119];

/// Whether `SubtensorModule` call `call_index` pays a fee (`Pays::Yes`), per
/// [`SUBTENSOR_FREE_CALLS`].
pub fn subtensor_call_pays(call_index: u8) -> Pays {
    if SUBTENSOR_FREE_CALLS.contains(&call_index) { Pays::No } else { Pays::Yes }
}

#[cfg(test)]
mod tests {
    use super::*;
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
