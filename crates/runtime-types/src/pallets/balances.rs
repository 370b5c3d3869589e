//! `Balances` (pallet index 5): TAO balances in RAO, transfers, existential deposit, issuance.
//!
//! Mirrors `pallet_balances` as subtensor configures it (`reference/subtensor.md` §1.3–1.4):
//! `u64` balances, existential deposit 500 RAO, balances stored in `System.Account`'s `data`
//! (`AccountStore = System`), dust of reaped accounts dropped (reducing `TotalIssuance`). The
//! transfer rules are FRAME's `fungible::Mutate::transfer` over pallet_balances' `Inspect`:
//! `can_withdraw`, `can_deposit`, `reducible_balance`, then the account mutation with its
//! provider reference and dust handling.
//!
//! Storage items owned:
//!
//! | item | hasher | key | value |
//! | --- | --- | --- | --- |
//! | `Balances.TotalIssuance` | – | – | `u64` |
//! | `Balances.InactiveIssuance` | – | – | `u64` (never non-zero here) |
//! | `System.Account[who].data` | Blake2_128Concat | `AccountId32` | `AccountData` |
//!
//! Calls: `transfer_allow_death` (0), `transfer_keep_alive` (3), `transfer_all` (4); the root
//! calls (`force_transfer` 2, `force_unreserve` 5, `force_set_balance` 8,
//! `force_adjust_total_issuance` 9) fail with `BadOrigin` for a signed origin. From root
//! (via `Sudo`), `force_transfer` and `force_set_balance` work; `force_unreserve` and
//! `force_adjust_total_issuance` fail with `Other` (deviation).
//!
//! For `TransactionPayment`: `withdraw` (keep-alive, `Balances.Withdraw`), `resolve`
//! (`Balances.Deposit`) and `burn_credit` move fees as FRAME's `fungible::Balanced` does.
//!
//! Events emitted by a transfer, in FRAME's order: `System.KilledAccount` and
//! `Balances.DustLost` if the source is reaped, `System.NewAccount` and `Balances.Endowed` if
//! the destination is created, then `Balances.Transfer`.
//!
//! What the calls do, and where this deviates from subtensor: `rustensor_runtime::pallets::balances`.

use crate::dispatch::{CallError, DispatchError};
use crate::storage::StorageValue;
use crate::storage_prefix;
use parity_scale_codec::{Compact, Decode, Encode};
use rustensor_primitives::AccountId32;

/// Subtensor's pallet index of `Balances`. Wire-visible.
pub const PALLET_INDEX: u8 = 5;

/// The existential deposit: the least balance an account may hold (subtensor: 500 RAO).
pub const EXISTENTIAL_DEPOSIT: u64 = 500;

/// Call index of `transfer_allow_death(dest, Compact<u64> value)`. Wire-visible.
pub const CALL_TRANSFER_ALLOW_DEATH: u8 = 0;

/// Call index of `force_transfer` (root only). Wire-visible.
pub const CALL_FORCE_TRANSFER: u8 = 2;

/// Call index of `transfer_keep_alive(dest, Compact<u64> value)`. Wire-visible.
pub const CALL_TRANSFER_KEEP_ALIVE: u8 = 3;

/// Call index of `transfer_all(dest, keep_alive: bool)`. Wire-visible.
pub const CALL_TRANSFER_ALL: u8 = 4;

/// Call index of `force_set_balance(who, Compact<u64> new_free)` (root only). Wire-visible.
pub const CALL_FORCE_SET_BALANCE: u8 = 8;

storage_prefix!(
    /// `Balances.TotalIssuance`.
    pub TotalIssuancePrefix = "Balances" :: "TotalIssuance"
);

storage_prefix!(
    /// `Balances.InactiveIssuance`.
    pub InactiveIssuancePrefix = "Balances" :: "InactiveIssuance"
);

/// `Balances.TotalIssuance`: all TAO in existence, in RAO. Wire-visible.
pub type TotalIssuance = StorageValue<TotalIssuancePrefix, u64>;

/// `Balances.InactiveIssuance`: issuance excluded from governance (always 0 here). Wire-visible.
pub type InactiveIssuance = StorageValue<InactiveIssuancePrefix, u64>;

/// `pallet_balances::Error`, in subtensor's order: `error[0]` of `DispatchError::Module`.
/// Wire-visible (variant indices).
#[allow(missing_docs, reason = "variant names are pallet_balances' and self-describing")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum Error {
    VestingBalance,
    LiquidityRestrictions,
    InsufficientBalance,
    ExistentialDeposit,
    Expendability,
    ExistingVestingSchedule,
    DeadAccount,
    TooManyReserves,
    TooManyHolds,
    TooManyFreezes,
    IssuanceDeactivated,
    DeltaZero,
}

impl From<Error> for DispatchError {
    fn from(e: Error) -> Self {
        // Fieldless enum: the discriminant is the variant index.
        Self::module(PALLET_INDEX, e as u8)
    }
}

/// `pallet_balances::Event`, the variants emitted here. Wire-visible (variant indices).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum Event {
    /// An account was created with some free balance.
    #[codec(index = 0)]
    Endowed {
        /// The account.
        account: AccountId32,
        /// Its free balance.
        free_balance: u64,
    },
    /// An account was reaped and its dust (below the existential deposit) lost.
    #[codec(index = 1)]
    DustLost {
        /// The account.
        account: AccountId32,
        /// The dust.
        amount: u64,
    },
    /// A transfer succeeded.
    #[codec(index = 2)]
    Transfer {
        /// The sender.
        from: AccountId32,
        /// The recipient.
        to: AccountId32,
        /// The amount in RAO.
        amount: u64,
    },
    /// A balance was set by root.
    #[codec(index = 3)]
    BalanceSet {
        /// The account.
        who: AccountId32,
        /// Its new free balance.
        free: u64,
    },
    /// Some amount was deposited (e.g. a fee refund, or fees paid to the block author).
    #[codec(index = 7)]
    Deposit {
        /// The account.
        who: AccountId32,
        /// The amount in RAO.
        amount: u64,
    },
    /// Some amount was withdrawn from the account (e.g. a transaction fee).
    #[codec(index = 8)]
    Withdraw {
        /// The account.
        who: AccountId32,
        /// The amount in RAO.
        amount: u64,
    },
}

/// `sp_runtime::MultiAddress<AccountId32, ()>`, subtensor's call argument for accounts.
/// Wire-visible: Id 0, Index 1 (empty), Raw 2, Address32 3, Address20 4.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum MultiAddress {
    /// An account id: the only variant that resolves.
    #[codec(index = 0)]
    Id(AccountId32),
    /// An account index (`()` in subtensor: no indices pallet).
    #[codec(index = 1)]
    Index(#[codec(compact)] ()),
    /// Raw bytes.
    #[codec(index = 2)]
    Raw(Vec<u8>),
    /// A 32-byte address.
    #[codec(index = 3)]
    Address32([u8; 32]),
    /// A 20-byte address.
    #[codec(index = 4)]
    Address20([u8; 20]),
}

impl MultiAddress {
    /// The account, as subtensor's `AccountIdLookup` resolves it.
    ///
    /// # Errors
    ///
    /// `DispatchError::CannotLookup` for every variant but `Id`.
    pub fn lookup(&self) -> Result<AccountId32, DispatchError> {
        match self {
            Self::Id(who) => Ok(*who),
            _ => Err(DispatchError::CannotLookup),
        }
    }
}

/// Whether a transfer may reap the sender (FRAME's `Preservation`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preservation {
    /// The sender may be reaped.
    Expendable,
    /// The sender must keep at least the existential deposit.
    Preserve,
}

/// A signed `Balances` call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Call {
    /// `transfer_allow_death(dest, value)`.
    TransferAllowDeath {
        /// The recipient.
        dest: MultiAddress,
        /// RAO.
        value: u64,
    },
    /// `transfer_keep_alive(dest, value)`.
    TransferKeepAlive {
        /// The recipient.
        dest: MultiAddress,
        /// RAO.
        value: u64,
    },
    /// `transfer_all(dest, keep_alive)`.
    TransferAll {
        /// The recipient.
        dest: MultiAddress,
        /// Keep the existential deposit.
        keep_alive: bool,
    },
    /// `force_transfer(source, dest, value)` (root).
    ForceTransfer {
        /// The sender.
        source: MultiAddress,
        /// The recipient.
        dest: MultiAddress,
        /// RAO.
        value: u64,
    },
    /// `force_set_balance(who, new_free)` (root).
    ForceSetBalance {
        /// The account.
        who: MultiAddress,
        /// Its new free balance.
        new_free: u64,
    },
    /// Another root-only call (`force_unreserve` 5, `force_adjust_total_issuance` 9), by call
    /// index: `BadOrigin` when signed, unsupported from root.
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

    /// Decodes the call's arguments from the front of `input` and leaves the rest (for nested
    /// calls).
    ///
    /// # Errors
    ///
    /// [`CallError`] for an unknown call index or arguments that do not decode.
    pub fn decode_from(call_index: u8, input: &mut &[u8]) -> Result<Self, CallError> {
        let bad = |_| CallError::BadArguments { pallet: PALLET_INDEX, call: call_index };
        Ok(match call_index {
            CALL_TRANSFER_ALLOW_DEATH | CALL_TRANSFER_KEEP_ALIVE => {
                let dest = MultiAddress::decode(input).map_err(bad)?;
                let value = Compact::<u64>::decode(input).map_err(bad)?.0;
                if call_index == CALL_TRANSFER_ALLOW_DEATH {
                    Self::TransferAllowDeath { dest, value }
                } else {
                    Self::TransferKeepAlive { dest, value }
                }
            }
            CALL_TRANSFER_ALL => {
                let dest = MultiAddress::decode(input).map_err(bad)?;
                let keep_alive = bool::decode(input).map_err(bad)?;
                Self::TransferAll { dest, keep_alive }
            }
            CALL_FORCE_TRANSFER => {
                let source = MultiAddress::decode(input).map_err(bad)?;
                let dest = MultiAddress::decode(input).map_err(bad)?;
                let value = Compact::<u64>::decode(input).map_err(bad)?.0;
                Self::ForceTransfer { source, dest, value }
            }
            5 => {
                MultiAddress::decode(input).map_err(bad)?;
                u64::decode(input).map_err(bad)?;
                Self::RootOnly(call_index)
            }
            CALL_FORCE_SET_BALANCE => {
                let who = MultiAddress::decode(input).map_err(bad)?;
                let new_free = Compact::<u64>::decode(input).map_err(bad)?.0;
                Self::ForceSetBalance { who, new_free }
            }
            9 => {
                if u8::decode(input).map_err(bad)? > 1 {
                    return Err(CallError::BadArguments { pallet: PALLET_INDEX, call: call_index });
                }
                Compact::<u64>::decode(input).map_err(bad)?;
                Self::RootOnly(call_index)
            }
            _ => return Err(CallError::UnknownCall { pallet: PALLET_INDEX, call: call_index }),
        })
    }
}
