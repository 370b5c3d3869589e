//! `Sudo` (pallet index 12): one key that may dispatch calls as root.
//!
//! Mirrors `pallet_sudo` as subtensor uses it (`reference/subtensor.md` §0.1, §9): the genesis
//! key holds the root origin; all root-only setters require it.
//!
//! Storage items owned:
//!
//! | item | hasher | value |
//! | --- | --- | --- |
//! | `Sudo.Key` | – | `AccountId32` (absent: no sudo) |
//!
//! Calls (indices are `pallet_sudo`'s): `sudo(call)` (0), `sudo_unchecked_weight(call, weight)`
//! (1), `set_key(new)` (2), `sudo_as(who, call)` (3), `remove_key()` (4). Each requires the
//! signer to be the key ([`Error::RequireSudo`] otherwise, and the fee is kept). On success
//! the sudo key pays no fee (post-dispatch `Pays::No`, only the tip is kept). The inner call
//! runs in its own transactional layer: its failure is reported in `Sudid` /
//! `SudoAsDone { sudo_result: Err(..) }` and rolls back only the inner call, while the sudo
//! extrinsic itself succeeds.
//!
//! Subtensor's `SudoTransactionExtension` (`validate_signer`) makes a top-level `Sudo` call
//! from anyone but the key an invalid transaction (`InvalidTransaction::BadSigner`), in the
//! pool and in blocks alike, so it is never included and pays nothing. [`Error::RequireSudo`]
//! is therefore only seen for `Sudo` calls nested in another call (e.g. a `Utility` batch).
//!
//! What the calls do, and where this deviates from subtensor: `rustensor_runtime::pallets::sudo`.

use super::RuntimeCall;
use super::balances::MultiAddress;
use crate::dispatch::{CallError, DispatchError, DispatchEventInfo, Pays, Weight};
use crate::storage::{OptionQuery, StorageValue, storage_prefix};
use parity_scale_codec::{Decode, Encode};
use rustensor_primitives::AccountId32;

/// Subtensor's pallet index of `Sudo`. Wire-visible.
pub const PALLET_INDEX: u8 = 12;

/// Call index of `sudo(call)`. Wire-visible.
pub const CALL_SUDO: u8 = 0;

/// Call index of `sudo_unchecked_weight(call, weight)`. Wire-visible.
pub const CALL_SUDO_UNCHECKED_WEIGHT: u8 = 1;

/// Call index of `set_key(new: MultiAddress)`. Wire-visible.
pub const CALL_SET_KEY: u8 = 2;

/// Call index of `sudo_as(who: MultiAddress, call)`. Wire-visible.
pub const CALL_SUDO_AS: u8 = 3;

/// Call index of `remove_key()`. Wire-visible.
pub const CALL_REMOVE_KEY: u8 = 4;

/// The weight sudo adds on top of the inner call (chosen, see the deviations): 10 µs.
pub const SUDO_WEIGHT: Weight = Weight::from_parts(10_000_000, 0);

storage_prefix!(
    /// `Sudo.Key`.
    pub KeyPrefix = "Sudo" :: "Key"
);

/// `Sudo.Key`: the sudo account. Wire-visible.
pub type Key = StorageValue<KeyPrefix, AccountId32, OptionQuery>;

/// `pallet_sudo::Error`. Wire-visible (variant index 0 in `DispatchError::Module`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, thiserror::Error, scale_info::TypeInfo,
)]
pub enum Error {
    /// The signer is not the sudo key (or there is none).
    #[error("sender must be the sudo key")]
    RequireSudo,
}

impl From<Error> for DispatchError {
    fn from(e: Error) -> Self {
        Self::module(PALLET_INDEX, e as u8)
    }
}

/// `pallet_sudo::Event`. Wire-visible (variant indices, field names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum Event {
    /// A call was dispatched as root.
    #[codec(index = 0)]
    Sudid {
        /// The inner call's result.
        sudo_result: Result<(), DispatchError>,
    },
    /// The sudo key changed.
    #[codec(index = 1)]
    KeyChanged {
        /// The previous key, if any.
        old: Option<AccountId32>,
        /// The new key.
        new: AccountId32,
    },
    /// The sudo key was removed.
    #[codec(index = 2)]
    KeyRemoved,
    /// A call was dispatched as another signed account.
    #[codec(index = 3)]
    SudoAsDone {
        /// The inner call's result.
        sudo_result: Result<(), DispatchError>,
    },
}

/// A `Sudo` call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Call {
    /// `sudo(call)`.
    Sudo(Box<RuntimeCall>),
    /// `sudo_unchecked_weight(call, weight)`.
    SudoUncheckedWeight(Box<RuntimeCall>, Weight),
    /// `set_key(new)`.
    SetKey(MultiAddress),
    /// `sudo_as(who, call)`.
    SudoAs(MultiAddress, Box<RuntimeCall>),
    /// `remove_key()`.
    RemoveKey,
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
        let bad = |_| CallError::BadArguments { pallet: PALLET_INDEX, call: call_index };
        let inner = |input: &mut &[u8]| RuntimeCall::decode_nested(input, depth).map(Box::new);
        Ok(match call_index {
            CALL_SUDO => Self::Sudo(inner(input)?),
            CALL_SUDO_UNCHECKED_WEIGHT => {
                let call = inner(input)?;
                Self::SudoUncheckedWeight(call, Weight::decode(input).map_err(bad)?)
            }
            CALL_SET_KEY => Self::SetKey(MultiAddress::decode(input).map_err(bad)?),
            CALL_SUDO_AS => {
                let who = MultiAddress::decode(input).map_err(bad)?;
                Self::SudoAs(who, inner(input)?)
            }
            CALL_REMOVE_KEY => Self::RemoveKey,
            _ => return Err(CallError::UnknownCall { pallet: PALLET_INDEX, call: call_index }),
        })
    }

    /// The declared weight and class: the inner call's plus [`SUDO_WEIGHT`] (`sudo`,
    /// `sudo_as`), the given weight (`sudo_unchecked_weight`), or [`SUDO_WEIGHT`]. Pays
    /// before dispatch; a successful call is refunded.
    pub fn info(&self) -> DispatchEventInfo {
        let (weight, class) = match self {
            Self::Sudo(call) | Self::SudoAs(_, call) => {
                let inner = call.info();
                (inner.weight.saturating_add(SUDO_WEIGHT), inner.class)
            }
            Self::SudoUncheckedWeight(call, weight) => (*weight, call.info().class),
            Self::SetKey(_) | Self::RemoveKey => (SUDO_WEIGHT, Default::default()),
        };
        DispatchEventInfo { weight, class, pays_fee: Pays::Yes }
    }
}
