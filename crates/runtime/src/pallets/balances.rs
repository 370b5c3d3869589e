//! `Balances` (pallet index 5): TAO balances in RAO, transfers, existential deposit, issuance.
//!
//! The wire half (its calls, events, errors, storage items and structs) is
//! `rustensor_runtime_types::pallets::balances`, re-exported here.
//!
//! # Deviations from subtensor
//!
//! - No reserves, holds, locks or freezes are ever placed yet, so `consumers` stays 0 and every
//!   provider reference may be dropped; `frozen` is honoured if set.
//! - `upgrade_accounts` (6) and `burn` (10) are not wired: they are `CallError::UnknownCall`.
//! - Old-logic accounts (`flags` without [`IS_NEW_LOGIC`]) are not upgraded: none exist here.

use super::system::{self, Account, AccountData, IS_NEW_LOGIC};
use crate::dispatch::Dispatchable;
use crate::dispatch::{ArithmeticError, DispatchContext, DispatchError, Origin, TokenError};
use crate::storage::{Kv, KvRead};
use rustensor_primitives::AccountId32;
pub use rustensor_runtime_types::pallets::balances::*;

/// Runs the call from `origin`.
///
/// # Errors
///
/// See [`transfer`]; `CannotLookup` for a non-`Id` account; `BadOrigin` for root calls
/// from a signed origin and for transfers from root; `Other` for unsupported root calls.
impl Dispatchable for Call {
    type Output = Result<(), DispatchError>;

    fn dispatch(self, ctx: &mut DispatchContext<'_>, origin: &Origin) -> Self::Output {
        match self {
            Self::TransferAllowDeath { dest, value } => {
                let who = *origin.ensure_signed()?;
                transfer(ctx, &who, &dest.lookup()?, value, Preservation::Expendable)
            }
            Self::TransferKeepAlive { dest, value } => {
                let who = *origin.ensure_signed()?;
                transfer(ctx, &who, &dest.lookup()?, value, Preservation::Preserve)
            }
            Self::TransferAll { dest, keep_alive } => {
                let who = *origin.ensure_signed()?;
                let preservation =
                    if keep_alive { Preservation::Preserve } else { Preservation::Expendable };
                // FRAME computes the amount before resolving the destination.
                let amount = reducible_balance(&*ctx.state, &who, preservation);
                transfer(ctx, &who, &dest.lookup()?, amount, preservation)
            }
            Self::ForceTransfer { source, dest, value } => {
                origin.ensure_root()?;
                transfer(ctx, &source.lookup()?, &dest.lookup()?, value, Preservation::Expendable)
            }
            Self::ForceSetBalance { who, new_free } => {
                origin.ensure_root()?;
                force_set_balance(ctx, &who.lookup()?, new_free);
                Ok(())
            }
            Self::RootOnly(_) => {
                origin.ensure_root()?;
                Err(DispatchError::Other("root call not supported by rustensor"))
            }
        }
    }
}

/// `force_set_balance`: sets `who`'s free balance (below the existential deposit reaps it),
/// moves the total issuance by the difference (saturating) and emits `BalanceSet`.
pub fn force_set_balance(ctx: &mut DispatchContext<'_>, who: &AccountId32, new_free: u64) {
    let new_free = if new_free < EXISTENTIAL_DEPOSIT { 0 } else { new_free };
    let old = free_balance(&*ctx.state, who);
    write_free(ctx, who, new_free);
    TotalIssuance::mutate(ctx.state, |t| {
        *t = if new_free >= old {
            t.saturating_add(new_free.saturating_sub(old))
        } else {
            t.saturating_sub(old.saturating_sub(new_free))
        };
    });
    ctx.deposit_event(PALLET_INDEX, &Event::BalanceSet { who: *who, free: new_free });
}

/// The account's free balance in RAO.
pub fn free_balance(state: &(impl KvRead + ?Sized), who: &AccountId32) -> u64 {
    Account::get(state, who).data.free
}

/// What `who` can move (FRAME's `reducible_balance` with `Fortitude::Polite`): free minus
/// the frozen part, and minus the existential deposit when `Preserve`.
pub fn reducible_balance(
    state: &(impl KvRead + ?Sized),
    who: &AccountId32,
    preservation: Preservation,
) -> u64 {
    let a = Account::get(state, who).data;
    let mut untouchable = a.frozen.saturating_sub(a.reserved);
    // With no consumers, `can_dec_provider` always holds: only `Preserve` keeps the ED.
    if preservation == Preservation::Preserve {
        untouchable = untouchable.max(EXISTENTIAL_DEPOSIT);
    }
    a.free.saturating_sub(untouchable)
}

/// FRAME's `can_withdraw(..).into_result(keep_alive)`.
fn can_withdraw(
    state: &(impl KvRead + ?Sized),
    who: &AccountId32,
    amount: u64,
    keep_alive: bool,
) -> Result<(), DispatchError> {
    if amount == 0 {
        return Ok(());
    }
    if TotalIssuance::get(state).checked_sub(amount).is_none() {
        return Err(DispatchError::Arithmetic(ArithmeticError::Underflow));
    }
    let account = Account::get(state, who).data;
    let new_free = account
        .free
        .checked_sub(amount)
        .ok_or(DispatchError::Token(TokenError::FundsUnavailable))?;
    if amount > reducible_balance(state, who, Preservation::Expendable) {
        return Err(DispatchError::Token(TokenError::Frozen));
    }
    let reduced_to_zero = new_free < EXISTENTIAL_DEPOSIT;
    if new_free.saturating_add(account.reserved) < account.frozen {
        return Err(DispatchError::Token(TokenError::Frozen));
    }
    if reduced_to_zero && keep_alive {
        return Err(DispatchError::Token(TokenError::NotExpendable));
    }
    Ok(())
}

/// FRAME's `can_deposit(.., Extant).into_result()`.
fn can_deposit(
    state: &(impl KvRead + ?Sized),
    who: &AccountId32,
    amount: u64,
) -> Result<(), DispatchError> {
    if amount == 0 {
        return Ok(());
    }
    let account = Account::get(state, who).data;
    let new_free = account
        .free
        .checked_add(amount)
        .ok_or(DispatchError::Arithmetic(ArithmeticError::Overflow))?;
    if new_free < EXISTENTIAL_DEPOSIT {
        return Err(DispatchError::Token(TokenError::BelowMinimum));
    }
    if account.reserved.checked_add(new_free).is_none() {
        return Err(DispatchError::Arithmetic(ArithmeticError::Overflow));
    }
    Ok(())
}

/// Sets `who`'s free balance, keeping the provider reference, reaping and dust rules of
/// pallet_balances' `try_mutate_account` over `System.Account`. Returns the dust dropped.
fn write_free(ctx: &mut DispatchContext<'_>, who: &AccountId32, new_free: u64) -> Option<u64> {
    let mut info = Account::get(&*ctx.state, who);
    // `System`'s `StoredMap`: default data reads as "no account data".
    let is_new = info.data == AccountData::default();
    let did_provide = info.data.free >= EXISTENTIAL_DEPOSIT;
    info.data.free = new_free;
    let does_provide = new_free >= EXISTENTIAL_DEPOSIT;

    if !did_provide && does_provide {
        // `inc_providers`: the account comes into existence if nothing else provided for it.
        if info.providers == 0 && info.sufficients == 0 {
            ctx.deposit_event(system::PALLET_INDEX, &system::Event::NewAccount { account: *who });
        }
        info.providers = info.providers.saturating_add(1);
    }
    let mut reaped = false;
    if did_provide && !does_provide {
        // `dec_providers` with no consumers: the last provider reaps the account.
        if info.providers <= 1 && info.sufficients == 0 {
            ctx.deposit_event(
                system::PALLET_INDEX,
                &system::Event::KilledAccount { account: *who },
            );
            reaped = true;
        } else {
            info.providers = info.providers.saturating_sub(1);
        }
    }

    let below_ed = new_free < EXISTENTIAL_DEPOSIT && info.data.reserved == 0;
    let dust = (below_ed && new_free != 0).then_some(new_free);
    if below_ed {
        // The balance data goes; the account record stays only if something else provides.
        info.data = AccountData::default();
    }
    if reaped || (info.providers == 0 && info.sufficients == 0) {
        Account::remove(ctx.state, who);
    } else {
        Account::insert(ctx.state, who, &info);
    }

    if is_new {
        ctx.deposit_event(PALLET_INDEX, &Event::Endowed { account: *who, free_balance: new_free });
    }
    if let Some(amount) = dust {
        ctx.deposit_event(PALLET_INDEX, &Event::DustLost { account: *who, amount });
        // `DustRemoval = ()`: the dropped credit decreases the issuance.
        TotalIssuance::mutate(ctx.state, |t| *t = t.saturating_sub(amount));
    }
    dust
}

/// Moves `amount` RAO from `from` to `to`: FRAME's `fungible::Mutate::transfer`.
///
/// # Errors
///
/// - `Arithmetic(Underflow)`: `amount` exceeds the total issuance;
/// - `Token(FundsUnavailable)`: `amount` exceeds the free balance;
/// - `Token(Frozen)`: it would touch the frozen part;
/// - `Token(NotExpendable)`: `Preserve` and the sender would drop below the existential deposit;
/// - `Token(BelowMinimum)`: the recipient would hold less than the existential deposit;
/// - `Arithmetic(Overflow)`: the recipient's balance would overflow.
pub fn transfer(
    ctx: &mut DispatchContext<'_>,
    from: &AccountId32,
    to: &AccountId32,
    amount: u64,
    preservation: Preservation,
) -> Result<(), DispatchError> {
    can_withdraw(&*ctx.state, from, amount, preservation == Preservation::Preserve)?;
    can_deposit(&*ctx.state, to, amount)?;
    if from == to {
        return Ok(());
    }
    // `decrease_balance(BestEffort)`: the checks above make the best effort the full amount.
    let moved = amount.min(reducible_balance(&*ctx.state, from, preservation));
    let old = free_balance(&*ctx.state, from);
    write_free(ctx, from, old.saturating_sub(moved));
    // `increase_balance(BestEffort)`: a no-op below the minimum or for zero.
    let old = free_balance(&*ctx.state, to);
    let new = old.saturating_add(amount);
    if new >= EXISTENTIAL_DEPOSIT && new != old {
        write_free(ctx, to, new);
    }
    ctx.deposit_event(PALLET_INDEX, &Event::Transfer { from: *from, to: *to, amount });
    Ok(())
}

/// `amount` out of `data` leaving at least the existential deposit and the frozen part:
/// FRAME's `withdraw(.., Exact, Preserve, Polite)` checks on one read of the account.
fn check_withdraw_keep_alive(data: &AccountData, amount: u64) -> Result<(), DispatchError> {
    if data.free < amount {
        return Err(DispatchError::Token(TokenError::FundsUnavailable));
    }
    let frozen = data.frozen.saturating_sub(data.reserved);
    if data.free.saturating_sub(frozen) < amount {
        return Err(DispatchError::Token(TokenError::Frozen));
    }
    if data.free.saturating_sub(frozen.max(EXISTENTIAL_DEPOSIT)) < amount {
        return Err(DispatchError::Token(TokenError::NotExpendable));
    }
    Ok(())
}

/// Whether `who` can pay `amount` and stay alive: FRAME's `withdraw(.., Exact, Preserve,
/// Polite)` precondition, as the fee adapter uses it.
pub fn can_withdraw_keep_alive(
    state: &(impl KvRead + ?Sized),
    who: &AccountId32,
    amount: u64,
) -> bool {
    amount == 0 || check_withdraw_keep_alive(&Account::get(state, who).data, amount).is_ok()
}

/// Takes `amount` out of `who`'s free balance, keeping the account alive, and emits
/// `Withdraw`: FRAME's `fungible::Balanced::withdraw(.., Exact, Preserve, Polite)`. The
/// issuance is untouched: the caller holds the credit and must [`resolve`] or [`burn_credit`] it.
///
/// # Errors
///
/// `Token(FundsUnavailable)` above the free balance, `Token(Frozen)` into the frozen part,
/// `Token(NotExpendable)` below the existential deposit; nothing is written then.
pub fn withdraw(
    ctx: &mut DispatchContext<'_>,
    who: &AccountId32,
    amount: u64,
) -> Result<(), DispatchError> {
    if amount == 0 {
        return Ok(());
    }
    let data = Account::get(&*ctx.state, who).data;
    check_withdraw_keep_alive(&data, amount)?;
    write_free(ctx, who, data.free.saturating_sub(amount));
    ctx.deposit_event(PALLET_INDEX, &Event::Withdraw { who: *who, amount });
    Ok(())
}

/// Puts a credit of `amount` (taken earlier with [`withdraw`]) into `who`'s free balance and
/// emits `Deposit`: FRAME's `fungible::Balanced::resolve`. The issuance is untouched.
///
/// # Errors
///
/// The credit back (`Err(amount)`) if the account would hold less than the existential
/// deposit or overflow; nothing is written then, and the caller decides (usually
/// [`burn_credit`]).
pub fn resolve(ctx: &mut DispatchContext<'_>, who: &AccountId32, amount: u64) -> Result<(), u64> {
    if amount == 0 {
        return Ok(());
    }
    if can_deposit(&*ctx.state, who, amount).is_err() {
        return Err(amount);
    }
    let old = free_balance(&*ctx.state, who);
    write_free(ctx, who, old.saturating_add(amount));
    ctx.deposit_event(PALLET_INDEX, &Event::Deposit { who: *who, amount });
    Ok(())
}

/// Drops a credit of `amount`: the total issuance falls by it (saturating), as when FRAME
/// drops an unhandled imbalance.
pub fn burn_credit(state: &mut (impl Kv + ?Sized), amount: u64) {
    TotalIssuance::mutate(state, |t| *t = t.saturating_sub(amount));
}

/// Mints `amount` into `who`: a new credit resolved into the account, raising the total
/// issuance (FRAME's `fungible::Balanced::deposit` of an issued credit). The coinbase mints
/// block emission into subnet accounts with it.
///
/// # Errors
///
/// `Token(BelowMinimum)` if the account would hold less than the existential deposit,
/// `Arithmetic(Overflow)` if the balance or the issuance would overflow; nothing is written
/// then.
pub fn mint_into(
    ctx: &mut DispatchContext<'_>,
    who: &AccountId32,
    amount: u64,
) -> Result<(), DispatchError> {
    if amount == 0 {
        return Ok(());
    }
    let issuance = TotalIssuance::get(&*ctx.state)
        .checked_add(amount)
        .ok_or(DispatchError::Arithmetic(ArithmeticError::Overflow))?;
    can_deposit(&*ctx.state, who, amount)?;
    resolve(ctx, who, amount).map_err(|_| DispatchError::Token(TokenError::BelowMinimum))?;
    TotalIssuance::put(ctx.state, &issuance);
    Ok(())
}

/// Burns `amount` out of `who`: withdrawn (keeping the account alive) and dropped, lowering
/// the total issuance (subtensor's `recycle_tao`).
///
/// # Errors
///
/// As [`withdraw`]; nothing is written then.
pub fn burn_from(
    ctx: &mut DispatchContext<'_>,
    who: &AccountId32,
    amount: u64,
) -> Result<(), DispatchError> {
    withdraw(ctx, who, amount)?;
    burn_credit(ctx.state, amount);
    Ok(())
}

/// Genesis: endows each account (at least the existential deposit each) and sets the total
/// issuance to their sum, as pallet_balances' genesis build (no events).
///
/// # Errors
///
/// The first account below the existential deposit, or `Overflow` if the sum overflows.
pub fn build_genesis(
    state: &mut (impl Kv + ?Sized),
    balances: &[(AccountId32, u64)],
) -> Result<(), DispatchError> {
    let mut total = 0u64;
    for (who, free) in balances {
        if *free < EXISTENTIAL_DEPOSIT {
            return Err(Error::ExistentialDeposit.into());
        }
        total =
            total.checked_add(*free).ok_or(DispatchError::Arithmetic(ArithmeticError::Overflow))?;
        Account::mutate(state, who, |info| {
            info.providers = info.providers.saturating_add(1);
            info.data = AccountData { free: *free, flags: IS_NEW_LOGIC, ..Default::default() };
        });
    }
    TotalIssuance::put(state, &total);
    Ok(())
}

#[cfg(test)]
mod tests;
