//! `System` (pallet index 0): accounts, nonces, the block number and recent block hashes.
//!
//! Mirrors `frame_system` as subtensor configures it (`reference/subtensor.md` §0.1, §1.3:
//! `u32` nonces and block numbers, `BlockHashCount` 2400). Storage items owned:
//!
//! | item | hasher | key | value |
//! | --- | --- | --- | --- |
//! | `System.Account` | Blake2_128Concat | `AccountId32` | [`AccountInfo`] |
//! | `System.Number` | – | – | `u32` |
//! | `System.ParentHash` | – | – | `[u8; 32]` |
//! | `System.BlockHash` | Twox64Concat | `u32` | `[u8; 32]` |
//! | `System.Events` | – | – | `Vec<EventRecord>` (written once, at `store_events`) |
//! | `System.EventCount` | – | – | `u32` |
//!
//! Calls: `remark` (0) and `remark_with_event` (7) for any signed origin; the others are root
//! calls and fail with `BadOrigin` when signed. From root (via `Sudo`), `set_storage` (4),
//! `kill_storage` (5) and `kill_prefix` (6) work; `set_heap_pages`, `set_code` and
//! `set_code_without_checks` fail with `Other` (deviation: no runtime upgrades).
//!
//! `ChainView` reads these to give `extrinsic::check`) its
//! `ChainContext`.
//!
//! What the calls do, and where this deviates from subtensor: `rustensor_runtime::pallets::system`.

use crate::dispatch::{CallError, DispatchError, DispatchEventInfo};
use crate::storage::{Blake2_128Concat, StorageMap, StorageValue, Twox64Concat};
use crate::storage_prefix;
use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use rustensor_primitives::AccountId32;

/// Subtensor's pallet index of `System`. Wire-visible.
pub const PALLET_INDEX: u8 = 0;

/// How many recent block hashes are kept (subtensor's `BlockHashCount`). A mortal extrinsic
/// whose birth block is older is rejected as `AncientBirthBlock`.
pub const BLOCK_HASH_COUNT: u32 = 2400;

/// `pallet_balances`' flag marking an account under the new reference-counting logic; the
/// default for every account created today.
pub const IS_NEW_LOGIC: u128 = 0x8000_0000_0000_0000_0000_0000_0000_0000;

/// `pallet_balances::AccountData<u64>`: an account's balances in RAO.
///
/// Wire format: matches subtensor `AccountData<u64>` (`free, reserved, frozen: u64,
/// flags: u128`); changing it breaks clients.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, scale_info::TypeInfo,
)]
pub struct AccountData {
    /// Spendable balance.
    pub free: u64,
    /// Reserved (held) balance.
    pub reserved: u64,
    /// The part of `free` that cannot be spent (locks and freezes).
    pub frozen: u64,
    /// `ExtraFlags`; [`IS_NEW_LOGIC`] by default, as pallet_balances.
    pub flags: u128,
}

impl Default for AccountData {
    fn default() -> Self {
        Self { free: 0, reserved: 0, frozen: 0, flags: IS_NEW_LOGIC }
    }
}

/// `frame_system::AccountInfo<u32, AccountData<u64>>`.
///
/// Wire format: matches subtensor `System.Account` values; changing it breaks clients.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, scale_info::TypeInfo,
)]
pub struct AccountInfo {
    /// The number of transactions this account has sent.
    pub nonce: u32,
    /// Modules that depend on this account existing.
    pub consumers: u32,
    /// Reasons this account may exist (a balance above the existential deposit is one).
    pub providers: u32,
    /// Self-sufficient references.
    pub sufficients: u32,
    /// The balances.
    pub data: AccountData,
}

storage_prefix!(
    /// `System.Account`.
    pub AccountPrefix = "System" :: "Account"
);

storage_prefix!(
    /// `System.Number`.
    pub NumberPrefix = "System" :: "Number"
);

storage_prefix!(
    /// `System.ParentHash`.
    pub ParentHashPrefix = "System" :: "ParentHash"
);

storage_prefix!(
    /// `System.BlockHash`.
    pub BlockHashPrefix = "System" :: "BlockHash"
);

/// `System.Account`: account id to nonce, reference counts and balances. Wire-visible.
pub type Account = StorageMap<AccountPrefix, Blake2_128Concat, AccountId32, AccountInfo>;

/// `System.Number`: the current block number. Wire-visible.
pub type Number = StorageValue<NumberPrefix, u32>;

/// `System.ParentHash`: the hash of the previous block. Wire-visible.
pub type ParentHash = StorageValue<ParentHashPrefix, [u8; 32]>;

/// `System.BlockHash`: block number to hash, for the last [`BLOCK_HASH_COUNT`] blocks and
/// genesis. Wire-visible.
pub type BlockHash = StorageMap<BlockHashPrefix, Twox64Concat, u32, [u8; 32]>;

storage_prefix!(
    /// `System.Events`.
    pub EventsPrefix = "System" :: "Events"
);

storage_prefix!(
    /// `System.EventCount`.
    pub EventCountPrefix = "System" :: "EventCount"
);

/// `System.EventCount`: the number of records in `System.Events`. Wire-visible.
pub type EventCount = StorageValue<EventCountPrefix, u32>;

/// `frame_system::Event`, the variants subtensor clients read. Wire-visible (variant indices).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum Event {
    /// An extrinsic completed successfully.
    #[codec(index = 0)]
    ExtrinsicSuccess {
        /// Its weight, class and whether it paid.
        dispatch_info: DispatchEventInfo,
    },
    /// An extrinsic failed; its state changes were rolled back.
    #[codec(index = 1)]
    ExtrinsicFailed {
        /// Why.
        dispatch_error: DispatchError,
        /// Its weight, class and whether it paid.
        dispatch_info: DispatchEventInfo,
    },
    /// A new account was created.
    #[codec(index = 3)]
    NewAccount {
        /// The account.
        account: AccountId32,
    },
    /// An account was reaped.
    #[codec(index = 4)]
    KilledAccount {
        /// The account.
        account: AccountId32,
    },
    /// `remark_with_event` was called.
    #[codec(index = 5)]
    Remarked {
        /// The caller.
        sender: AccountId32,
        /// `blake2_256` of the remark.
        hash: [u8; 32],
    },
}

/// Call index of `System.remark(remark: Vec<u8>)`. Wire-visible.
pub const CALL_REMARK: u8 = 0;

/// Call index of `System.remark_with_event(remark: Vec<u8>)`. Wire-visible.
pub const CALL_REMARK_WITH_EVENT: u8 = 7;

/// The `System` calls a signed origin can make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Call {
    /// `remark(remark)`: does nothing.
    Remark(Vec<u8>),
    /// `remark_with_event(remark)`: emits [`Event::Remarked`].
    RemarkWithEvent(Vec<u8>),
    /// `set_storage(items)` (root): writes raw key-value pairs.
    SetStorage(Vec<(Vec<u8>, Vec<u8>)>),
    /// `kill_storage(keys)` (root): deletes raw keys.
    KillStorage(Vec<Vec<u8>>),
    /// `kill_prefix(prefix, subkeys)` (root): deletes every key under a raw prefix.
    KillPrefix(Vec<u8>, u32),
    /// Another root-only call (`set_heap_pages`, `set_code`, `set_code_without_checks`), by
    /// call index: `BadOrigin` when signed, unsupported from root.
    RootOnly(u8),
}

impl Call {
    /// Decodes the call index and arguments (after the pallet index); all bytes must be used.
    ///
    /// # Errors
    ///
    /// [`CallError`] for an unknown call index or arguments that do not decode exactly.
    pub fn decode(call_index: u8, args: &[u8]) -> Result<Self, CallError> {
        crate::dispatch::decode_exact(PALLET_INDEX, call_index, args, Self::decode_from)
    }

    /// Decodes the call's arguments from the front of `input` and leaves the rest (for calls
    /// nested in `Utility.batch` or `Sudo.sudo`).
    ///
    /// # Errors
    ///
    /// [`CallError`] for an unknown call index or arguments that do not decode.
    pub fn decode_from(call_index: u8, input: &mut &[u8]) -> Result<Self, CallError> {
        let bad = |_| CallError::BadArguments { pallet: PALLET_INDEX, call: call_index };
        Ok(match call_index {
            CALL_REMARK => Self::Remark(Vec::<u8>::decode(input).map_err(bad)?),
            CALL_REMARK_WITH_EVENT => Self::RemarkWithEvent(Vec::<u8>::decode(input).map_err(bad)?),
            1 => {
                u64::decode(input).map_err(bad)?;
                Self::RootOnly(call_index)
            }
            2 | 3 => {
                Vec::<u8>::decode(input).map_err(bad)?;
                Self::RootOnly(call_index)
            }
            4 => Self::SetStorage(Decode::decode(input).map_err(bad)?),
            5 => Self::KillStorage(Decode::decode(input).map_err(bad)?),
            6 => {
                let prefix = Vec::<u8>::decode(input).map_err(bad)?;
                Self::KillPrefix(prefix, u32::decode(input).map_err(bad)?)
            }
            _ => return Err(CallError::UnknownCall { pallet: PALLET_INDEX, call: call_index }),
        })
    }
}
