//! The pallets' wire surface: one module per subtensor pallet with its `Call` (call indices and
//! argument encodings), `Event`, `Error`, storage items and constants, and [`RuntimeCall`], a
//! decoded call of any pallet. What the calls do is `rustensor-runtime`'s.
//!
//! Pallet indices are subtensor's (`reference/subtensor.md` §0.1).
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
//! [`call_weights`] holds the weight every call declares (and so its fee).

pub mod admin_utils;
pub mod balances;
mod encode;
pub mod subtensor;
pub mod sudo;
pub mod system;
pub mod transaction_payment;
pub mod utility;
pub mod validators;

use crate::dispatch::{CallError, DispatchEventInfo, Pays};
pub use encode::UnencodableCall;

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
            Self::System(system::Call::Remark(_)) => call_weights::REMARK,
            Self::System(system::Call::RemarkWithEvent(_)) => call_weights::REMARK_WITH_EVENT,
            Self::System(_) => call_weights::ROOT_CALL,
            Self::Balances(
                balances::Call::TransferAllowDeath { .. }
                | balances::Call::TransferKeepAlive { .. }
                | balances::Call::TransferAll { .. },
            ) => call_weights::TRANSFER,
            Self::Balances(_) => call_weights::ROOT_CALL,
            Self::Utility(call) => return call.info(),
            Self::Sudo(call) => return call.info(),
            Self::Subtensor(call) => return call.info(),
            Self::AdminUtils(call) => return call.info(),
            Self::Validators(call) => return call.info(),
        };
        DispatchEventInfo { weight, class: Default::default(), pays_fee: Pays::Yes }
    }
}

/// Subtensor's `SubtensorModule` (pallet 7) calls that are free (`Pays::No`):
/// `reference/subtensor.md` App. A "free" column and §6.10 (weights, commits, reveals,
/// serving, take changes, `associate_evm_key`, and the `pow-faucet` `faucet`). Wire-visible
/// through fees: a call listed here pays only its tip.
pub const SUBTENSOR_FREE_CALLS: [u8; 19] =
    [0, 4, 5, 40, 60, 65, 66, 80, 93, 96, 97, 98, 100, 113, 115, 116, 117, 118, 119];

/// The weight each call declares: the input of its fee.
///
/// Subtensor's benchmarked weights are not in our notes, so these are constants chosen here
/// (documented in `transaction_payment`'s deviations). Only `ref_time` costs a fee.
pub mod call_weights {
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

/// Whether `SubtensorModule` call `call_index` pays a fee (`Pays::Yes`), per
/// [`SUBTENSOR_FREE_CALLS`].
pub fn subtensor_call_pays(call_index: u8) -> Pays {
    if SUBTENSOR_FREE_CALLS.contains(&call_index) { Pays::No } else { Pays::Yes }
}
