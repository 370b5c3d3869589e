//! Staking calls: `add_stake`, `remove_stake`, `move_stake`, `transfer_stake`, `swap_stake`,
//! their `_limit` forms, `unstake_all(_alpha)`, `recycle_alpha`/`burn_alpha`, and delegate
//! take (`reference/subtensor.md` §6.4–§6.7; subtensor's `staking/add_stake.rs`,
//! `remove_stake.rs`, `move_stake.rs`, `recycle_alpha.rs`, `increase_take.rs`,
//! `decrease_take.rs` and the validators in `stake_utils.rs`).
//!
//! Every call is signed by the **coldkey** and runs in its own transactional layer, so a
//! failing call writes nothing even when called outside the executive.
//!
//! # Money movement
//!
//! A subnet's pool TAO lives in its account [`super::subnet_account_id`]. Staking transfers
//! TAO from the coldkey to that account (keep-alive), buys alpha ([`swap::buy`], which raises
//! `SubnetTAO` and `SubnetAlphaOut`) and credits the alpha to the `(hotkey, coldkey)`
//! position ([`share_pool::increase_stake`]). Unstaking debits the position
//! ([`share_pool::decrease_stake`]), sells the alpha ([`swap::sell`]) and transfers the TAO from
//! the subnet account to the coldkey. Hence after every call, for every subnet `n`:
//! `balance(subnet_account(n)) ≥ SubnetTAO[n]` and `Σ positions(n) ≤ SubnetAlphaOut[n]`.
//!
//! # Storage touched
//!
//! Reads `NetworksAdded`, `SubtokenEnabled`, `SubnetMechanism`, `SubnetTAO`, `SubnetAlphaIn`,
//! `Owner`, `TransferToggle`, `NominatorMinRequiredStake`, `MinDelegateTake`,
//! `MaxDelegateTake`, `TxDelegateTakeRateLimit`; writes `Alpha`, `TotalHotkeyAlpha`,
//! `TotalHotkeyShares`, `SubnetTAO`, `SubnetAlphaIn`, `SubnetAlphaOut`, `TotalStake`,
//! `SubnetVolume`, `StakingHotkeys`, `LastColdkeyHotkeyStakeBlock`, `Delegates`,
//! `LastRateLimitedBlock[LastTxBlockDelegateTake]`, and `Balances.Account` of coldkeys and
//! subnet accounts.
//!
//! # Cross-subnet moves
//!
//! `move_stake`/`transfer_stake`/`swap_stake` across subnets sell on the origin (TAO stays in
//! the origin's subnet account), transfer that TAO to the destination's subnet account and
//! buy there for the destination `(hotkey, coldkey)`. Only one swap fee is charged: the
//! origin sell pays it and the destination buy is fee-free, unless the origin is stable
//! (root: no fee) in which case the destination buy pays it. They emit `StakeRemoved` and
//! `StakeAdded` for the two legs and then `StakeMoved`/`StakeTransferred`/`StakeSwapped` with
//! the TAO moved. Same-subnet moves transfer alpha between positions without swapping (their
//! event carries the TAO value at spot price).
//!
//! # Deviations from subtensor
//!
//! - Fees are swap fees only, in the input token, and stay in the pool (see [`swap`]); there
//!   is no block-author payout and no transaction fee paid in alpha.
//! - No conviction locks (`StakeUnavailable` never fires), no childkeys (pending childkeys are
//!   not cancelled on unstake), no root-claim bookkeeping, no `add_stake_burn`.
//! - The `_limit` forms whose limit allows nothing at all fail with `SlippageTooHigh`
//!   (subtensor: `ZeroMaxStakeAmount`, an error our `Error` does not have).
//! - `add_stake_limit` does not write `Delegates` for a non-owner staker (subtensor's
//!   `maybe_become_delegate`): `Delegates` is a value query with the default take already.
//! - `swap_stake_limit`'s executable amount is found by bisection over simulated swaps on
//!   both pools instead of subtensor's closed form; the resulting price ratio is at or above
//!   the limit.
//! - `unstake_all_alpha` re-stakes on root through the coldkey (TAO arrives at the coldkey
//!   and is staked on root from there with `Expendable`, so only the unstaked TAO moves).
//! - The take checks follow subtensor: the "strictly lower/higher than current" rule applies
//!   only when `Delegates[hotkey]` was explicitly set.

use rustensor_primitives::fixed::wide::mul_div_floor;
use rustensor_primitives::{AccountId32, NetUid};

use super::rate_limit::{self, RateLimitKey};
use super::storage::{
    Delegates, LastColdkeyHotkeyStakeBlock, MaxDelegateTake, MinDelegateTake,
    NominatorMinRequiredStake, SubnetAlphaOut, SubtokenEnabled, TransferToggle,
    TxDelegateTakeRateLimit,
};
use super::swap::{self, SwapResult};
use super::{Call, Error, Event, MIN_STAKE, ROOT, share_pool};
use crate::dispatch::{DispatchContext, DispatchError, Origin};
use crate::pallets::balances::{self, Preservation};
use crate::storage::KvRead;

type DResult<T> = core::result::Result<T, DispatchError>;

/// RAO per TAO: the scale of limit prices.
const PRICE_SCALE: u64 = 1_000_000_000;

/// A limit price (RAO per alpha, or the origin/destination price ratio × 10⁹ for
/// `swap_stake_limit`) and whether a partial fill is acceptable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// The limit price.
    pub price: u64,
    /// Whether executing only the part within the limit is acceptable.
    pub allow_partial: bool,
}

/// Which stake transition a call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Move,
    Transfer,
    Swap,
}

/// A stake transition: alpha from `(origin_hotkey, origin_coldkey, origin_netuid)` to
/// `(destination_hotkey, destination_coldkey, destination_netuid)`.
#[derive(Clone, Copy, Debug)]
struct Transition {
    kind: Kind,
    origin_coldkey: AccountId32,
    destination_coldkey: AccountId32,
    origin_hotkey: AccountId32,
    destination_hotkey: AccountId32,
    origin_netuid: NetUid,
    destination_netuid: NetUid,
    alpha: u64,
    limit: Option<Limit>,
}

/// Runs a staking call.
///
/// # Errors
///
/// `BadOrigin` unless signed; the module [`Error`]s listed in `reference/subtensor.md` §6.4
/// (validation) and balance errors of the TAO transfers. Nothing is written on error.
pub fn dispatch(
    ctx: &mut DispatchContext<'_>,
    origin: &Origin,
    call: Call,
) -> Result<(), DispatchError> {
    let coldkey = *origin.ensure_signed()?;
    ctx.transactional(|ctx| dispatch_signed(ctx, &coldkey, call))
}

fn dispatch_signed(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    call: Call,
) -> DResult<()> {
    match call {
        Call::AddStake { hotkey, netuid, amount_staked } => {
            do_add_stake(ctx, coldkey, &hotkey, netuid, amount_staked, None).map(drop)
        }
        Call::AddStakeLimit { hotkey, netuid, amount_staked, limit_price, allow_partial } => {
            let limit = Limit { price: limit_price, allow_partial };
            do_add_stake(ctx, coldkey, &hotkey, netuid, amount_staked, Some(limit)).map(drop)
        }
        Call::RemoveStake { hotkey, netuid, amount_unstaked } => {
            do_remove_stake(ctx, coldkey, &hotkey, netuid, amount_unstaked, None)
        }
        Call::RemoveStakeLimit { hotkey, netuid, amount_unstaked, limit_price, allow_partial } => {
            let limit = Limit { price: limit_price, allow_partial };
            do_remove_stake(ctx, coldkey, &hotkey, netuid, amount_unstaked, Some(limit))
        }
        Call::RemoveStakeFullLimit { hotkey, netuid, limit_price } => {
            let all = share_pool::alpha_of(&*ctx.state, &hotkey, coldkey, netuid);
            let limit = limit_price.map(|price| Limit { price, allow_partial: false });
            do_remove_stake(ctx, coldkey, &hotkey, netuid, all, limit)
        }
        Call::UnstakeAll { hotkey } => do_unstake_all(ctx, coldkey, &hotkey, false),
        Call::UnstakeAllAlpha { hotkey } => do_unstake_all(ctx, coldkey, &hotkey, true),
        Call::MoveStake {
            origin_hotkey,
            destination_hotkey,
            origin_netuid,
            destination_netuid,
            alpha_amount,
        } => do_transition(
            ctx,
            &Transition {
                kind: Kind::Move,
                origin_coldkey: *coldkey,
                destination_coldkey: *coldkey,
                origin_hotkey,
                destination_hotkey,
                origin_netuid,
                destination_netuid,
                alpha: alpha_amount,
                limit: None,
            },
        ),
        Call::TransferStake {
            destination_coldkey,
            hotkey,
            origin_netuid,
            destination_netuid,
            alpha_amount,
        } => do_transition(
            ctx,
            &Transition {
                kind: Kind::Transfer,
                origin_coldkey: *coldkey,
                destination_coldkey,
                origin_hotkey: hotkey,
                destination_hotkey: hotkey,
                origin_netuid,
                destination_netuid,
                alpha: alpha_amount,
                limit: None,
            },
        ),
        Call::SwapStake { hotkey, origin_netuid, destination_netuid, alpha_amount } => {
            do_transition(
                ctx,
                &Transition {
                    kind: Kind::Swap,
                    origin_coldkey: *coldkey,
                    destination_coldkey: *coldkey,
                    origin_hotkey: hotkey,
                    destination_hotkey: hotkey,
                    origin_netuid,
                    destination_netuid,
                    alpha: alpha_amount,
                    limit: None,
                },
            )
        }
        Call::SwapStakeLimit {
            hotkey,
            origin_netuid,
            destination_netuid,
            alpha_amount,
            limit_price,
            allow_partial,
        } => do_transition(
            ctx,
            &Transition {
                kind: Kind::Swap,
                origin_coldkey: *coldkey,
                destination_coldkey: *coldkey,
                origin_hotkey: hotkey,
                destination_hotkey: hotkey,
                origin_netuid,
                destination_netuid,
                alpha: alpha_amount,
                limit: Some(Limit { price: limit_price, allow_partial }),
            },
        ),
        Call::RecycleAlpha { hotkey, amount, netuid } => {
            do_recycle_or_burn(ctx, coldkey, &hotkey, netuid, amount, true)
        }
        Call::BurnAlpha { hotkey, amount, netuid } => {
            do_recycle_or_burn(ctx, coldkey, &hotkey, netuid, amount, false)
        }
        Call::IncreaseTake { hotkey, take } => do_increase_take(ctx, coldkey, &hotkey, take),
        Call::DecreaseTake { hotkey, take } => do_decrease_take(ctx, coldkey, &hotkey, take),
        _ => Err(DispatchError::Other("not a staking call")),
    }
}

fn err(e: Error) -> DispatchError {
    e.into()
}

/// `SubtokenDisabled` unless `SubtokenEnabled[netuid]`.
///
/// # Errors
///
/// [`Error::SubtokenDisabled`].
pub fn ensure_subtoken_enabled(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
) -> super::Result<()> {
    if SubtokenEnabled::get(state, &netuid) { Ok(()) } else { Err(Error::SubtokenDisabled) }
}

/// The TAO value of `alpha` on `netuid` at spot price (rounded down).
pub fn alpha_to_tao_at_spot(state: &(impl KvRead + ?Sized), netuid: NetUid, alpha: u64) -> u64 {
    mul_div_floor(
        u128::from(alpha),
        u128::from(swap::price_rao(state, netuid)),
        u128::from(PRICE_SCALE),
    )
    .and_then(|v| u64::try_from(v).ok())
    .unwrap_or(u64::MAX)
}

/// The TAO value of `coldkey`'s position on `hotkey` in `netuid` at spot price.
pub fn position_tao_value(
    state: &(impl KvRead + ?Sized),
    hotkey: &AccountId32,
    coldkey: &AccountId32,
    netuid: NetUid,
) -> u64 {
    alpha_to_tao_at_spot(state, netuid, share_pool::alpha_of(state, hotkey, coldkey, netuid))
}

/// The most of `tao` a buy on `netuid` can spend keeping the price at or below `limit`
/// (`get_max_amount_add`, capped at `tao`).
///
/// # Errors
///
/// [`Error::InsufficientLiquidity`] if the pool cannot be simulated.
pub fn max_amount_add(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
    tao: u64,
    limit: u64,
) -> super::Result<u64> {
    swap::sim_buy(state, netuid, tao, Some(limit))
        .map(|r| r.amount_in)
        .map_err(|_| Error::InsufficientLiquidity)
}

/// The most of `alpha` a sell on `netuid` can sell keeping the price at or above `limit`
/// (`get_max_amount_remove`, capped at `alpha`).
///
/// # Errors
///
/// [`Error::InsufficientLiquidity`] if the pool cannot be simulated.
pub fn max_amount_remove(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
    alpha: u64,
    limit: u64,
) -> super::Result<u64> {
    swap::sim_sell(state, netuid, alpha, Some(limit))
        .map(|r| r.amount_in)
        .map_err(|_| Error::InsufficientLiquidity)
}

/// The origin/destination price ratio (× 10⁹) after the simulated cross-subnet move of
/// `alpha` from `origin` to `destination`, or `None` if either swap would fail. Stable pools
/// count as price 1.
fn move_ratio_after(
    state: &(impl KvRead + ?Sized),
    origin: NetUid,
    destination: NetUid,
    alpha: u64,
) -> Option<u64> {
    let (po_tao, po_alpha, tao) = if swap::is_stable(state, origin) {
        (1u64, 1u64, alpha)
    } else {
        let s = swap::sim_sell(state, origin, alpha, None).ok()?;
        let (x, y) = swap::reserves(state, origin);
        (y.checked_sub(s.amount_out)?, x.checked_add(s.amount_in)?, s.amount_out)
    };
    let (pd_tao, pd_alpha) = if swap::is_stable(state, destination) {
        (1u64, 1u64)
    } else if tao == 0 {
        let (x, y) = swap::reserves(state, destination);
        (y, x)
    } else {
        let charge = swap::is_stable(state, origin);
        let b = swap::sim_buy_with_fee(state, destination, tao, None, charge).ok()?;
        let (x, y) = swap::reserves(state, destination);
        (y.checked_add(b.amount_in)?, x.checked_sub(b.amount_out)?)
    };
    // (po_tao / po_alpha) / (pd_tao / pd_alpha) × 10⁹.
    let num = u128::from(po_tao).checked_mul(u128::from(pd_alpha))?;
    let den = u128::from(po_alpha).checked_mul(u128::from(pd_tao))?;
    mul_div_floor(num, u128::from(PRICE_SCALE), den).map(|v| u64::try_from(v).unwrap_or(u64::MAX))
}

/// The most of `alpha` a cross-subnet move from `origin` to `destination` can move keeping
/// the origin/destination price ratio (× 10⁹) at or above `limit` (`get_max_amount_move`),
/// by bisection over simulated swaps.
pub fn max_amount_move(
    state: &(impl KvRead + ?Sized),
    origin: NetUid,
    destination: NetUid,
    alpha: u64,
    limit: u64,
) -> u64 {
    let ok = |a: u64| move_ratio_after(state, origin, destination, a).is_some_and(|r| r >= limit);
    if !ok(0) {
        return 0;
    }
    if ok(alpha) {
        return alpha;
    }
    let (mut lo, mut hi) = (0u64, alpha);
    // Invariant: ok(lo), !ok(hi).
    while hi.saturating_sub(lo) > 1 {
        let mid = lo.saturating_add(hi.saturating_sub(lo) / 2);
        if ok(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

fn note_stake_block(ctx: &mut DispatchContext<'_>, coldkey: &AccountId32, hotkey: &AccountId32) {
    let now = super::current_block(&*ctx.state);
    LastColdkeyHotkeyStakeBlock::insert(ctx.state, coldkey, hotkey, &now);
}

/// Buys alpha on `netuid` with `tao` for `(hotkey, coldkey)`: takes the TAO from `payer`
/// (into the subnet account; `None` if it is already there), swaps, credits the position and
/// emits `StakeAdded`.
fn stake_into(
    ctx: &mut DispatchContext<'_>,
    payer: Option<(&AccountId32, Preservation)>,
    coldkey: &AccountId32,
    hotkey: &AccountId32,
    netuid: NetUid,
    tao: u64,
    charge_fee: bool,
) -> DResult<SwapResult> {
    let sim = swap::sim_buy_with_fee(&*ctx.state, netuid, tao, None, charge_fee)
        .map_err(|_| err(Error::InsufficientLiquidity))?;
    if sim.amount_out == 0 {
        return Err(err(Error::InsufficientLiquidity));
    }
    if let Some((payer, preservation)) = payer {
        let account = super::subnet_account_id(netuid);
        balances::transfer(ctx, payer, &account, tao, preservation)
            .map_err(|_| err(Error::NotEnoughBalanceToStake))?;
    }
    let r = swap::buy_with_fee(ctx.state, netuid, tao, None, charge_fee)
        .map_err(|_| err(Error::InsufficientLiquidity))?;
    if share_pool::increase_stake(ctx.state, hotkey, coldkey, netuid, r.amount_out) != r.amount_out
    {
        return Err(err(Error::InsufficientLiquidity));
    }
    share_pool::note_staking_hotkey(ctx.state, coldkey, hotkey);
    note_stake_block(ctx, coldkey, hotkey);
    super::deposit_event(
        ctx,
        Event::StakeAdded(*coldkey, *hotkey, r.amount_in, r.amount_out, netuid, r.fee),
    );
    Ok(r)
}

/// Sells `alpha` of `(hotkey, coldkey)` on `netuid`: debits the position, swaps, pays the TAO
/// from the subnet account to `recipient` (`None`: it stays there) and emits `StakeRemoved`.
fn unstake_from(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    hotkey: &AccountId32,
    netuid: NetUid,
    alpha: u64,
    recipient: Option<&AccountId32>,
) -> DResult<SwapResult> {
    swap::sim_sell(&*ctx.state, netuid, alpha, None)
        .map_err(|_| err(Error::InsufficientLiquidity))?;
    if share_pool::decrease_stake(ctx.state, hotkey, coldkey, netuid, alpha) != alpha {
        return Err(err(Error::NotEnoughStakeToWithdraw));
    }
    let r = swap::sell(ctx.state, netuid, alpha, None)
        .map_err(|_| err(Error::InsufficientLiquidity))?;
    if let Some(to) = recipient
        && r.amount_out > 0
    {
        balances::transfer(
            ctx,
            &super::subnet_account_id(netuid),
            to,
            r.amount_out,
            Preservation::Expendable,
        )?;
    }
    note_stake_block(ctx, coldkey, hotkey);
    super::deposit_event(
        ctx,
        Event::StakeRemoved(*coldkey, *hotkey, r.amount_out, r.amount_in, netuid, r.fee),
    );
    Ok(r)
}

/// The money movement of a stake (no validation beyond the swap's): `tao` from `coldkey`
/// (keep-alive) into the subnet account, bought as alpha for `(hotkey, coldkey)` on `netuid`,
/// `StakeAdded` emitted. Returns the swap.
///
/// # Errors
///
/// `NotEnoughBalanceToStake` if the transfer fails, `InsufficientLiquidity` if the swap
/// yields nothing or fails. Run it in a transactional layer: a failure may leave writes.
pub fn add_stake_inner(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    hotkey: &AccountId32,
    netuid: NetUid,
    tao: u64,
) -> DResult<SwapResult> {
    stake_into(ctx, Some((coldkey, Preservation::Preserve)), coldkey, hotkey, netuid, tao, true)
}

/// The money movement of an unstake: `alpha` off `(hotkey, coldkey)` on `netuid`, sold, the
/// TAO paid from the subnet account to `coldkey`, `StakeRemoved` emitted. Returns the swap.
///
/// # Errors
///
/// `NotEnoughStakeToWithdraw` above the position, `InsufficientLiquidity` if the swap fails,
/// balance errors of the payout. Run it in a transactional layer.
pub fn remove_stake_inner(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    hotkey: &AccountId32,
    netuid: NetUid,
    alpha: u64,
) -> DResult<SwapResult> {
    unstake_from(ctx, coldkey, hotkey, netuid, alpha, Some(coldkey))
}

/// `add_stake` / `add_stake_limit`.
fn do_add_stake(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    hotkey: &AccountId32,
    netuid: NetUid,
    amount: u64,
    limit: Option<Limit>,
) -> DResult<SwapResult> {
    let state = &*ctx.state;
    super::ensure_subnet_exists(state, netuid)?;
    ensure_subtoken_enabled(state, netuid)?;
    let min_fee = swap::sim_buy(state, netuid, MIN_STAKE, None).map(|r| r.fee).unwrap_or(0);
    if amount < MIN_STAKE.saturating_add(min_fee) {
        return Err(err(Error::AmountTooLow));
    }
    let mut possible = amount;
    if let Some(limit) = limit {
        let max = max_amount_add(state, netuid, amount, limit.price)?;
        if (!limit.allow_partial && max < amount) || max == 0 {
            return Err(err(Error::SlippageTooHigh));
        }
        possible = max.min(amount);
    }
    if balances::reducible_balance(state, coldkey, Preservation::Preserve) < possible {
        return Err(err(Error::NotEnoughBalanceToStake));
    }
    if !super::hotkey_account_exists(state, hotkey) {
        return Err(err(Error::HotKeyAccountNotExists));
    }
    let sim = swap::sim_buy(state, netuid, possible, None)
        .map_err(|_| err(Error::InsufficientLiquidity))?;
    if sim.amount_out == 0 {
        return Err(err(Error::InsufficientLiquidity));
    }
    add_stake_inner(ctx, coldkey, hotkey, netuid, possible)
}

/// `remove_stake` (amount capped to the position) / `remove_stake_limit` /
/// `remove_stake_full_limit`.
fn do_remove_stake(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    hotkey: &AccountId32,
    netuid: NetUid,
    amount: u64,
    limit: Option<Limit>,
) -> DResult<()> {
    let state = &*ctx.state;
    super::ensure_subnet_exists(state, netuid)?;
    ensure_subtoken_enabled(state, netuid)?;
    let position = share_pool::alpha_of(state, hotkey, coldkey, netuid);
    let amount = if limit.is_none() { amount.min(position) } else { amount };
    if amount == 0 {
        return Err(err(Error::AmountTooLow));
    }
    let remaining = position.checked_sub(amount).ok_or(Error::NotEnoughStakeToWithdraw)?;
    let sim = swap::sim_sell(state, netuid, amount, None)
        .map_err(|_| err(Error::InsufficientLiquidity))?;
    if remaining != 0 && sim.amount_out < MIN_STAKE {
        return Err(err(Error::AmountTooLow));
    }
    let mut possible = amount;
    if let Some(limit) = limit {
        let max = max_amount_remove(state, netuid, amount, limit.price)?;
        if (!limit.allow_partial && max < amount) || max == 0 {
            return Err(err(Error::SlippageTooHigh));
        }
        possible = max.min(amount);
    }
    if !super::hotkey_account_exists(state, hotkey) {
        return Err(err(Error::HotKeyAccountNotExists));
    }
    remove_stake_inner(ctx, coldkey, hotkey, netuid, possible)?;
    clear_small_nomination(ctx, coldkey, hotkey, netuid);
    Ok(())
}

/// subtensor's `clear_small_nomination_if_required`: a nominator (not the hotkey's owner)
/// whose remaining position is worth less than `NominatorMinRequiredStake` per-million of
/// [`MIN_STAKE`] is unstaked completely (best effort: left alone if that fails).
pub(crate) fn clear_small_nomination(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    hotkey: &AccountId32,
    netuid: NetUid,
) {
    let state = &*ctx.state;
    if super::coldkey_owns_hotkey(state, coldkey, hotkey) {
        return;
    }
    let factor = NominatorMinRequiredStake::get(state);
    let left = share_pool::alpha_of(state, hotkey, coldkey, netuid);
    if factor == 0 || left == 0 {
        return;
    }
    let min = mul_div_floor(u128::from(MIN_STAKE), u128::from(factor), 1_000_000)
        .and_then(|v| u64::try_from(v).ok())
        .unwrap_or(u64::MAX);
    let value = swap::sim_sell(state, netuid, left, None).map(|r| r.amount_out).unwrap_or(0);
    if value < min {
        let _ = ctx.transactional(|ctx| remove_stake_inner(ctx, coldkey, hotkey, netuid, left));
    }
}

/// `unstake_all` (every enabled subnet, root included) / `unstake_all_alpha` (non-root
/// subnets, the TAO re-staked on root to the same hotkey). Subnets whose position cannot be
/// unstaked are skipped.
fn do_unstake_all(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    hotkey: &AccountId32,
    only_alpha: bool,
) -> DResult<()> {
    if !super::hotkey_account_exists(&*ctx.state, hotkey) {
        return Err(err(Error::HotKeyAccountNotExists));
    }
    let mut total = 0u64;
    for netuid in super::netuids(&*ctx.state) {
        let state = &*ctx.state;
        if !SubtokenEnabled::get(state, &netuid) || (only_alpha && netuid == ROOT) {
            continue;
        }
        let alpha = share_pool::alpha_of(state, hotkey, coldkey, netuid);
        if alpha == 0 || swap::sim_sell(state, netuid, alpha, None).is_err() {
            continue;
        }
        let r = remove_stake_inner(ctx, coldkey, hotkey, netuid, alpha)?;
        total = total.saturating_add(r.amount_out);
    }
    if only_alpha && total > 0 {
        stake_into(
            ctx,
            Some((coldkey, Preservation::Expendable)),
            coldkey,
            hotkey,
            ROOT,
            total,
            true,
        )?;
    }
    Ok(())
}

/// `move_stake` / `transfer_stake` / `swap_stake` / `swap_stake_limit`.
fn do_transition(ctx: &mut DispatchContext<'_>, t: &Transition) -> DResult<()> {
    let state = &*ctx.state;
    let (o, d) = (t.origin_netuid, t.destination_netuid);
    if t.origin_coldkey == t.destination_coldkey
        && t.origin_hotkey == t.destination_hotkey
        && o == d
    {
        return Err(err(Error::SameNetuid));
    }
    super::ensure_subnet_exists(state, o)?;
    super::ensure_subnet_exists(state, d)?;
    ensure_subtoken_enabled(state, o)?;
    ensure_subtoken_enabled(state, d)?;
    if !super::hotkey_account_exists(state, &t.origin_hotkey)
        || !super::hotkey_account_exists(state, &t.destination_hotkey)
    {
        return Err(err(Error::HotKeyAccountNotExists));
    }
    let position = share_pool::alpha_of(state, &t.origin_hotkey, &t.origin_coldkey, o);
    if t.alpha > position {
        return Err(err(Error::NotEnoughStakeToWithdraw));
    }
    let mut possible = t.alpha;
    if o == d {
        if alpha_to_tao_at_spot(state, o, t.alpha) < MIN_STAKE {
            return Err(err(Error::AmountTooLow));
        }
    } else {
        let sim = swap::sim_sell(state, o, t.alpha, None)
            .map_err(|_| err(Error::InsufficientLiquidity))?;
        if sim.amount_out <= MIN_STAKE {
            return Err(err(Error::AmountTooLow));
        }
        if let Some(limit) = t.limit {
            let max = max_amount_move(state, o, d, t.alpha, limit.price);
            if (!limit.allow_partial && max < t.alpha) || max == 0 {
                return Err(err(Error::SlippageTooHigh));
            }
            possible = max.min(t.alpha);
        }
    }
    if t.kind == Kind::Transfer
        && (!TransferToggle::get(state, &o) || !TransferToggle::get(state, &d))
    {
        return Err(err(Error::TransferDisallowed));
    }

    let tao_moved = if o == d {
        let tao = alpha_to_tao_at_spot(state, o, possible);
        let moved =
            share_pool::decrease_stake(ctx.state, &t.origin_hotkey, &t.origin_coldkey, o, possible);
        let credited = share_pool::increase_stake(
            ctx.state,
            &t.destination_hotkey,
            &t.destination_coldkey,
            d,
            moved,
        );
        if moved != possible || credited != moved {
            return Err(err(Error::InsufficientLiquidity));
        }
        share_pool::note_staking_hotkey(ctx.state, &t.destination_coldkey, &t.destination_hotkey);
        note_stake_block(ctx, &t.origin_coldkey, &t.origin_hotkey);
        note_stake_block(ctx, &t.destination_coldkey, &t.destination_hotkey);
        tao
    } else {
        let sold = unstake_from(ctx, &t.origin_coldkey, &t.origin_hotkey, o, possible, None)?;
        let origin_account = super::subnet_account_id(o);
        if sold.amount_out < MIN_STAKE {
            // Too little to stake: paid out as free balance.
            if sold.amount_out > 0 {
                balances::transfer(
                    ctx,
                    &origin_account,
                    &t.destination_coldkey,
                    sold.amount_out,
                    Preservation::Expendable,
                )?;
            }
        } else {
            let charge_fee = swap::is_stable(&*ctx.state, o);
            stake_into(
                ctx,
                Some((&origin_account, Preservation::Expendable)),
                &t.destination_coldkey,
                &t.destination_hotkey,
                d,
                sold.amount_out,
                charge_fee,
            )?;
        }
        sold.amount_out
    };

    let event = match t.kind {
        Kind::Move => Event::StakeMoved(
            t.origin_coldkey,
            t.origin_hotkey,
            o,
            t.destination_hotkey,
            d,
            tao_moved,
        ),
        Kind::Transfer => Event::StakeTransferred(
            t.origin_coldkey,
            t.destination_coldkey,
            t.origin_hotkey,
            o,
            d,
            tao_moved,
        ),
        Kind::Swap => Event::StakeSwapped(t.origin_coldkey, t.origin_hotkey, o, d, tao_moved),
    };
    super::deposit_event(ctx, event);
    Ok(())
}

/// `recycle_alpha` (position and `SubnetAlphaOut` shrink) / `burn_alpha` (position only).
fn do_recycle_or_burn(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    hotkey: &AccountId32,
    netuid: NetUid,
    amount: u64,
    recycle: bool,
) -> DResult<()> {
    let state = &*ctx.state;
    super::ensure_subnet_exists(state, netuid)?;
    if netuid == ROOT {
        return Err(err(Error::CannotBurnOrRecycleOnRootSubnet));
    }
    ensure_subtoken_enabled(state, netuid)?;
    if !super::hotkey_account_exists(state, hotkey) {
        return Err(err(Error::HotKeyAccountNotExists));
    }
    let amount = amount.min(share_pool::alpha_of(state, hotkey, coldkey, netuid));
    if SubnetAlphaOut::get(state, &netuid) < amount {
        return Err(err(Error::InsufficientLiquidity));
    }
    let removed = share_pool::decrease_stake(ctx.state, hotkey, coldkey, netuid, amount);
    if recycle {
        SubnetAlphaOut::mutate(ctx.state, &netuid, |v| *v = v.saturating_sub(removed));
    }
    note_stake_block(ctx, coldkey, hotkey);
    let event = if recycle {
        Event::AlphaRecycled(*coldkey, *hotkey, removed, netuid)
    } else {
        Event::AlphaBurned(*coldkey, *hotkey, removed, netuid)
    };
    super::deposit_event(ctx, event);
    Ok(())
}

/// `do_take_checks`: the hotkey exists and `coldkey` owns it.
fn take_checks(
    state: &(impl KvRead + ?Sized),
    coldkey: &AccountId32,
    hotkey: &AccountId32,
) -> super::Result<()> {
    if !super::hotkey_account_exists(state, hotkey) {
        return Err(Error::HotKeyAccountNotExists);
    }
    if !super::coldkey_owns_hotkey(state, coldkey, hotkey) {
        return Err(Error::NonAssociatedColdKey);
    }
    Ok(())
}

/// `decrease_take`.
fn do_decrease_take(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    hotkey: &AccountId32,
    take: u16,
) -> DResult<()> {
    let state = &*ctx.state;
    take_checks(state, coldkey, hotkey)?;
    if Delegates::try_get(state, hotkey).is_some_and(|current| take >= current) {
        return Err(err(Error::DelegateTakeTooLow));
    }
    if take < MinDelegateTake::get(state) {
        return Err(err(Error::DelegateTakeTooLow));
    }
    let now = super::current_block(state);
    Delegates::insert(ctx.state, hotkey, &take);
    rate_limit::set_last_block(ctx.state, &RateLimitKey::LastTxBlockDelegateTake(*hotkey), now);
    super::deposit_event(ctx, Event::TakeDecreased(*coldkey, *hotkey, take));
    Ok(())
}

/// `increase_take`: rate-limited by `TxDelegateTakeRateLimit` (exceeded while at most that
/// many blocks have passed since the last take change).
fn do_increase_take(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    hotkey: &AccountId32,
    take: u16,
) -> DResult<()> {
    let state = &*ctx.state;
    take_checks(state, coldkey, hotkey)?;
    if Delegates::try_get(state, hotkey).is_some_and(|current| take <= current) {
        return Err(err(Error::DelegateTakeTooLow));
    }
    if take > MaxDelegateTake::get(state) {
        return Err(err(Error::DelegateTakeTooHigh));
    }
    let now = super::current_block(state);
    let key = RateLimitKey::LastTxBlockDelegateTake(*hotkey);
    let last = rate_limit::last_block(state, &key);
    let limit = TxDelegateTakeRateLimit::get(state);
    if limit != 0 && last != 0 && now.saturating_sub(last) <= limit {
        return Err(err(Error::DelegateTxRateLimitExceeded));
    }
    rate_limit::set_last_block(ctx.state, &key, now);
    Delegates::insert(ctx.state, hotkey, &take);
    super::deposit_event(ctx, Event::TakeIncreased(*coldkey, *hotkey, take));
    Ok(())
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "test arithmetic on small known values")]
mod tests {
    use super::*;
    use crate::events::{EventRecord, Phase};
    use crate::pallets::subtensor::storage::{
        SubnetAlphaIn, SubnetTAO, TotalHotkeyAlpha, TxDelegateTakeRateLimit,
    };
    use crate::pallets::subtensor::{registration, subnets};
    use crate::pallets::system;
    use crate::storage::MemoryKv;
    use parity_scale_codec::{Decode, Encode};
    use proptest::prelude::*;

    const TAO: u64 = super::super::TAO;
    const NET: NetUid = NetUid(1);
    const NET2: NetUid = NetUid(2);
    const NETS: [NetUid; 3] = [ROOT, NET, NET2];

    fn acc(b: u8) -> AccountId32 {
        AccountId32([b; 32])
    }
    /// The owner coldkey of `HOT` and of the subnets.
    fn owner() -> AccountId32 {
        acc(1)
    }
    fn hot() -> AccountId32 {
        acc(2)
    }
    /// A nominator coldkey.
    fn staker() -> AccountId32 {
        acc(3)
    }
    /// A second coldkey owning `hot2`.
    fn other() -> AccountId32 {
        acc(5)
    }
    fn hot2() -> AccountId32 {
        acc(6)
    }
    /// A coldkey with little TAO.
    fn poor() -> AccountId32 {
        acc(7)
    }
    const COLDKEYS: [u8; 4] = [1, 3, 5, 7];
    const HOTKEYS: [u8; 2] = [2, 6];

    /// Root (stable), `NET` (100 TAO / 100 α, price 1) and `NET2` (50 TAO / 100 α, price 0.5),
    /// all enabled; subnet accounts hold their `SubnetTAO` plus 1 TAO.
    fn setup() -> MemoryKv {
        let mut s = MemoryKv::new();
        system::Number::put(&mut s, &100);
        balances::build_genesis(
            &mut s,
            &[
                (owner(), 1_000 * TAO),
                (staker(), 1_000 * TAO),
                (other(), 1_000 * TAO),
                (poor(), 1_000_000),
                (super::super::subnet_account_id(ROOT), TAO),
                (super::super::subnet_account_id(NET), 101 * TAO),
                (super::super::subnet_account_id(NET2), 51 * TAO),
            ],
        )
        .unwrap();
        for net in NETS {
            subnets::init_network(
                &mut s,
                net,
                &owner(),
                &hot(),
                &subnets::NewSubnet::default(),
                100,
            );
            SubtokenEnabled::insert(&mut s, &net, &true);
        }
        SubnetTAO::insert(&mut s, &NET, &(100 * TAO));
        SubnetAlphaIn::insert(&mut s, &NET, &(100 * TAO));
        SubnetTAO::insert(&mut s, &NET2, &(50 * TAO));
        SubnetAlphaIn::insert(&mut s, &NET2, &(100 * TAO));
        super::super::create_account_if_non_existent(&mut s, &owner(), &hot());
        super::super::create_account_if_non_existent(&mut s, &other(), &hot2());
        registration::append_neuron(&mut s, NET, &hot(), 100);
        s
    }

    fn run(s: &mut MemoryKv, who: AccountId32, call: Call) -> (DResult<()>, Vec<Event>) {
        let mut records: Vec<EventRecord> = Vec::new();
        let result = {
            let mut ctx = DispatchContext::new(s, &mut records, Phase::ApplyExtrinsic(0));
            dispatch(&mut ctx, &Origin::Signed(who), call)
        };
        (result, decode_events(&records))
    }

    fn decode_events(records: &[EventRecord]) -> Vec<Event> {
        records
            .iter()
            .filter(|r| r.event[0] == super::super::PALLET_INDEX)
            .map(|r| Event::decode(&mut &r.event[1..]).unwrap())
            .collect()
    }

    fn ok(s: &mut MemoryKv, who: AccountId32, call: Call) -> Vec<Event> {
        let (r, events) = run(s, who, call);
        r.unwrap();
        check_invariants(s);
        events
    }

    /// Runs `call`, expects `e`, and checks nothing was written.
    fn fails(s: &mut MemoryKv, who: AccountId32, call: Call, e: Error) {
        let before = s.clone();
        let (r, events) = run(s, who, call);
        assert_eq!(r, Err(e.into()));
        assert!(events.is_empty());
        assert!(*s == before, "a failed call wrote state");
    }

    fn check_invariants(s: &MemoryKv) {
        for n in NETS {
            let account = balances::free_balance(s, &super::super::subnet_account_id(n));
            assert!(account >= SubnetTAO::get(s, &n), "subnet {n:?} account below SubnetTAO");
            let mut sum = 0u64;
            for h in HOTKEYS {
                let mut per_hot = 0u64;
                for c in COLDKEYS {
                    per_hot += share_pool::alpha_of(s, &acc(h), &acc(c), n);
                }
                assert!(per_hot <= TotalHotkeyAlpha::get(s, &acc(h), &n));
                sum += per_hot;
            }
            assert!(sum <= SubnetAlphaOut::get(s, &n), "positions exceed SubnetAlphaOut on {n:?}");
        }
    }

    fn total_free(s: &MemoryKv) -> u64 {
        COLDKEYS
            .iter()
            .map(|c| acc(*c))
            .chain(NETS.iter().map(|n| super::super::subnet_account_id(*n)))
            .map(|a| balances::free_balance(s, &a))
            .sum()
    }

    fn add(hotkey: AccountId32, netuid: NetUid, amount: u64) -> Call {
        Call::AddStake { hotkey, netuid, amount_staked: amount }
    }
    fn remove(hotkey: AccountId32, netuid: NetUid, amount: u64) -> Call {
        Call::RemoveStake { hotkey, netuid, amount_unstaked: amount }
    }
    fn pos(s: &MemoryKv, h: AccountId32, c: AccountId32, n: NetUid) -> u64 {
        share_pool::alpha_of(s, &h, &c, n)
    }

    // ---- add_stake ----

    #[test]
    fn test_add_stake_buys_alpha_and_moves_tao_to_the_subnet_account() {
        let mut s = setup();
        let expected = swap::sim_buy(&s, NET, 10 * TAO, None).unwrap();
        let events = ok(&mut s, staker(), add(hot(), NET, 10 * TAO));
        assert_eq!(balances::free_balance(&s, &staker()), 990 * TAO);
        assert_eq!(balances::free_balance(&s, &super::super::subnet_account_id(NET)), 111 * TAO);
        assert_eq!(SubnetTAO::get(&s, &NET), 110 * TAO);
        assert_eq!(pos(&s, hot(), staker(), NET), expected.amount_out);
        assert_eq!(SubnetAlphaOut::get(&s, &NET), expected.amount_out, "counted once");
        assert!(super::super::storage::StakingHotkeys::get(&s, &staker()).contains(&hot()));
        assert_eq!(LastColdkeyHotkeyStakeBlock::get(&s, &staker(), &hot()), Some(100));
        assert_eq!(
            events,
            vec![Event::StakeAdded(
                staker(),
                hot(),
                10 * TAO,
                expected.amount_out,
                NET,
                expected.fee
            )]
        );
    }

    #[test]
    fn test_add_stake_on_root_is_one_to_one() {
        let mut s = setup();
        ok(&mut s, staker(), add(hot(), ROOT, 5 * TAO));
        assert_eq!(pos(&s, hot(), staker(), ROOT), 5 * TAO);
        assert_eq!(SubnetTAO::get(&s, &ROOT), 5 * TAO);
    }

    #[test]
    fn test_add_stake_rejects_bad_input_in_order() {
        let mut s = setup();
        fails(&mut s, staker(), add(hot(), NetUid(9), 10 * TAO), Error::SubnetNotExists);
        SubtokenEnabled::insert(&mut s, &NET2, &false);
        fails(&mut s, staker(), add(hot(), NET2, 10 * TAO), Error::SubtokenDisabled);
        fails(&mut s, staker(), add(hot(), NET, MIN_STAKE), Error::AmountTooLow);
        fails(&mut s, staker(), add(hot(), NET, 2_000 * TAO), Error::NotEnoughBalanceToStake);
        // Keep-alive: the whole balance cannot be staked.
        fails(&mut s, staker(), add(hot(), NET, 1_000 * TAO), Error::NotEnoughBalanceToStake);
        fails(&mut s, staker(), add(acc(99), NET, 10 * TAO), Error::HotKeyAccountNotExists);
        // A buy that would drain the alpha reserve below the minimum.
        SubnetAlphaIn::insert(&mut s, &NET, &1_000_001);
        fails(&mut s, staker(), add(hot(), NET, 10 * TAO), Error::InsufficientLiquidity);
    }

    #[test]
    fn test_add_stake_yielding_zero_alpha_is_insufficient_liquidity() {
        let mut s = setup();
        // A pool so expensive that 0.003 TAO buys less than one alpha RAO.
        SubnetAlphaIn::insert(&mut s, &NET, &1_000_000);
        SubnetTAO::insert(&mut s, &NET, &(100_000 * TAO));
        fails(&mut s, staker(), add(hot(), NET, 3_000_000), Error::InsufficientLiquidity);
    }

    #[test]
    fn test_add_stake_rejects_a_bad_origin() {
        let mut s = setup();
        let mut records = Vec::new();
        let mut ctx = DispatchContext::new(&mut s, &mut records, Phase::ApplyExtrinsic(0));
        assert_eq!(
            dispatch(&mut ctx, &Origin::Root, add(hot(), NET, TAO)),
            Err(DispatchError::BadOrigin)
        );
    }

    #[test]
    fn test_non_staking_call_is_refused() {
        let mut s = setup();
        let (r, _) = run(&mut s, staker(), Call::StartCall { netuid: NET });
        assert_eq!(r, Err(DispatchError::Other("not a staking call")));
    }

    // ---- add_stake_limit ----

    fn add_limit(amount: u64, limit_price: u64, allow_partial: bool) -> Call {
        Call::AddStakeLimit {
            hotkey: hot(),
            netuid: NET,
            amount_staked: amount,
            limit_price,
            allow_partial,
        }
    }

    #[test]
    fn test_add_stake_limit_executes_fully_within_the_limit() {
        let mut s = setup();
        ok(&mut s, staker(), add_limit(TAO, 2 * TAO, false));
        assert_eq!(balances::free_balance(&s, &staker()), 999 * TAO);
    }

    #[test]
    fn test_add_stake_limit_partial_fill_stops_at_the_limit() {
        let mut s = setup();
        // Price 1.0 → limit 1.21 lets the TAO reserve reach ~110 TAO.
        ok(&mut s, staker(), add_limit(50 * TAO, 1_210_000_000, true));
        let spent = 1_000 * TAO - balances::free_balance(&s, &staker());
        assert!(spent < 50 * TAO && spent > 9 * TAO, "{spent}");
        assert!(swap::price_rao(&s, NET) <= 1_210_000_000);
    }

    #[test]
    fn test_add_stake_limit_without_partial_fails_beyond_the_limit() {
        let mut s = setup();
        fails(&mut s, staker(), add_limit(50 * TAO, 1_210_000_000, false), Error::SlippageTooHigh);
        // Limit below the current price: nothing can execute even partially.
        fails(&mut s, staker(), add_limit(TAO, 500_000_000, true), Error::SlippageTooHigh);
    }

    // ---- remove_stake ----

    fn staked() -> MemoryKv {
        let mut s = setup();
        ok(&mut s, staker(), add(hot(), NET, 10 * TAO));
        s
    }

    #[test]
    fn test_remove_stake_sells_alpha_and_pays_the_coldkey() {
        let mut s = staked();
        let alpha = pos(&s, hot(), staker(), NET);
        let half = alpha / 2;
        let expected = swap::sim_sell(&s, NET, half, None).unwrap();
        let before = balances::free_balance(&s, &staker());
        let events = ok(&mut s, staker(), remove(hot(), NET, half));
        assert_eq!(balances::free_balance(&s, &staker()), before + expected.amount_out);
        assert_eq!(pos(&s, hot(), staker(), NET), alpha - half);
        assert_eq!(
            events,
            vec![Event::StakeRemoved(
                staker(),
                hot(),
                expected.amount_out,
                half,
                NET,
                expected.fee
            )]
        );
    }

    #[test]
    fn test_remove_stake_caps_the_amount_to_the_position() {
        let mut s = staked();
        ok(&mut s, staker(), remove(hot(), NET, u64::MAX));
        assert_eq!(pos(&s, hot(), staker(), NET), 0);
        assert_eq!(SubnetAlphaOut::get(&s, &NET), 0);
        assert!(balances::free_balance(&s, &staker()) < 1_000 * TAO, "fees stay in the pool");
    }

    #[test]
    fn test_remove_stake_error_paths() {
        let mut s = staked();
        fails(&mut s, staker(), remove(hot(), NetUid(9), TAO), Error::SubnetNotExists);
        SubtokenEnabled::insert(&mut s, &NET2, &false);
        fails(&mut s, staker(), remove(hot(), NET2, TAO), Error::SubtokenDisabled);
        fails(&mut s, other(), remove(hot(), NET, TAO), Error::AmountTooLow);
        fails(&mut s, staker(), remove(hot(), NET, 0), Error::AmountTooLow);
        // Leaving a remainder while selling less than the minimum stake.
        fails(&mut s, staker(), remove(hot(), NET, 1_000), Error::AmountTooLow);
        // A position on an unbound hotkey (positions are plain storage here).
        share_pool::increase_stake(&mut s, &acc(99), &staker(), NET, TAO);
        SubnetAlphaOut::mutate(&mut s, &NET, |v| *v += TAO);
        fails(&mut s, staker(), remove(acc(99), NET, TAO), Error::HotKeyAccountNotExists);
        // A sell that would drain the TAO reserve.
        SubnetTAO::insert(&mut s, &NET, &1_000_001);
        fails(&mut s, staker(), remove(hot(), NET, TAO), Error::InsufficientLiquidity);
    }

    #[test]
    fn test_small_nomination_is_cleared_after_remove() {
        let mut s = staked();
        NominatorMinRequiredStake::put(&mut s, &(1_000_000 * 1_000));
        let alpha = pos(&s, hot(), staker(), NET);
        ok(&mut s, staker(), remove(hot(), NET, alpha - TAO));
        assert_eq!(pos(&s, hot(), staker(), NET), 0, "1 TAO < 2 TAO minimum nomination");
    }

    // ---- remove_stake_limit / remove_stake_full_limit ----

    fn remove_limit(amount: u64, limit_price: u64, allow_partial: bool) -> Call {
        Call::RemoveStakeLimit {
            hotkey: hot(),
            netuid: NET,
            amount_unstaked: amount,
            limit_price,
            allow_partial,
        }
    }

    #[test]
    fn test_remove_stake_limit_paths() {
        let mut s = staked();
        let alpha = pos(&s, hot(), staker(), NET);
        fails(&mut s, staker(), remove_limit(alpha + 1, 0, false), Error::NotEnoughStakeToWithdraw);
        fails(&mut s, staker(), remove_limit(alpha, 1_200_000_000, false), Error::SlippageTooHigh);
        fails(&mut s, staker(), remove_limit(alpha, 1_300_000_000, true), Error::SlippageTooHigh);
        let price = swap::price_rao(&s, NET);
        ok(&mut s, staker(), remove_limit(alpha, price - 10_000_000, true));
        let left = pos(&s, hot(), staker(), NET);
        assert!(left > 0 && left < alpha);
        assert!(swap::price_rao(&s, NET) >= price - 10_000_000);
        ok(&mut s, staker(), remove_limit(left, 0, false));
        assert_eq!(pos(&s, hot(), staker(), NET), 0);
    }

    #[test]
    fn test_remove_stake_full_limit_sells_the_whole_position() {
        let mut s = staked();
        let full =
            |limit_price| Call::RemoveStakeFullLimit { hotkey: hot(), netuid: NET, limit_price };
        fails(&mut s, staker(), full(Some(2 * TAO)), Error::SlippageTooHigh);
        ok(&mut s, staker(), full(Some(1_000)));
        assert_eq!(pos(&s, hot(), staker(), NET), 0);
        ok(&mut s, staker(), add(hot(), NET, 10 * TAO));
        ok(&mut s, staker(), full(None));
        assert_eq!(pos(&s, hot(), staker(), NET), 0);
        fails(&mut s, staker(), full(None), Error::AmountTooLow);
    }

    // ---- unstake_all / unstake_all_alpha ----

    #[test]
    fn test_unstake_all_sells_every_position_including_root() {
        let mut s = staked();
        ok(&mut s, staker(), add(hot(), NET2, 10 * TAO));
        ok(&mut s, staker(), add(hot(), ROOT, 10 * TAO));
        let events = ok(&mut s, staker(), Call::UnstakeAll { hotkey: hot() });
        for n in NETS {
            assert_eq!(pos(&s, hot(), staker(), n), 0);
        }
        assert_eq!(events.len(), 3);
        fails(
            &mut s,
            staker(),
            Call::UnstakeAll { hotkey: acc(99) },
            Error::HotKeyAccountNotExists,
        );
    }

    #[test]
    fn test_unstake_all_alpha_restakes_on_root() {
        let mut s = staked();
        ok(&mut s, staker(), add(hot(), NET2, 10 * TAO));
        let before = balances::free_balance(&s, &staker());
        let events = ok(&mut s, staker(), Call::UnstakeAllAlpha { hotkey: hot() });
        assert_eq!(pos(&s, hot(), staker(), NET), 0);
        assert_eq!(pos(&s, hot(), staker(), NET2), 0);
        let root = pos(&s, hot(), staker(), ROOT);
        assert!(root > 19 * TAO && root < 20 * TAO, "{root}");
        assert_eq!(balances::free_balance(&s, &staker()), before);
        assert!(matches!(events.last(), Some(Event::StakeAdded(_, _, _, _, ROOT, _))));
        fails(
            &mut s,
            staker(),
            Call::UnstakeAllAlpha { hotkey: acc(99) },
            Error::HotKeyAccountNotExists,
        );
    }

    // ---- move / transfer / swap ----

    fn move_call(dh: AccountId32, o: NetUid, d: NetUid, alpha: u64) -> Call {
        Call::MoveStake {
            origin_hotkey: hot(),
            destination_hotkey: dh,
            origin_netuid: o,
            destination_netuid: d,
            alpha_amount: alpha,
        }
    }

    #[test]
    fn test_move_stake_same_subnet_moves_shares_without_swapping() {
        let mut s = staked();
        let alpha = pos(&s, hot(), staker(), NET);
        let reserves = swap::reserves(&s, NET);
        let events = ok(&mut s, staker(), move_call(hot2(), NET, NET, alpha));
        assert_eq!(pos(&s, hot(), staker(), NET), 0);
        assert_eq!(pos(&s, hot2(), staker(), NET), alpha);
        assert_eq!(swap::reserves(&s, NET), reserves);
        let tao = alpha_to_tao_at_spot(&s, NET, alpha);
        assert_eq!(events, vec![Event::StakeMoved(staker(), hot(), NET, hot2(), NET, tao)]);
    }

    #[test]
    fn test_move_stake_across_subnets_charges_one_fee() {
        let mut s = staked();
        let alpha = pos(&s, hot(), staker(), NET);
        let sold = swap::sim_sell(&s, NET, alpha, None).unwrap();
        let bought = swap::sim_buy_with_fee(&s, NET2, sold.amount_out, None, false).unwrap();
        let free = balances::free_balance(&s, &staker());
        let events = ok(&mut s, staker(), move_call(hot2(), NET, NET2, alpha));
        assert_eq!(pos(&s, hot2(), staker(), NET2), bought.amount_out);
        assert_eq!(balances::free_balance(&s, &staker()), free);
        assert_eq!(
            events.last(),
            Some(&Event::StakeMoved(staker(), hot(), NET, hot2(), NET2, sold.amount_out))
        );
        assert!(matches!(events[1], Event::StakeAdded(_, _, _, _, NET2, 0)), "fee-free buy");
    }

    #[test]
    fn test_move_from_root_pays_the_fee_on_the_destination_buy() {
        let mut s = setup();
        ok(&mut s, staker(), add(hot(), ROOT, 10 * TAO));
        let events = ok(&mut s, staker(), move_call(hot(), ROOT, NET, 10 * TAO));
        assert!(matches!(events[1], Event::StakeAdded(_, _, _, _, NET, fee) if fee > 0));
    }

    #[test]
    fn test_move_stake_error_paths() {
        let mut s = staked();
        let alpha = pos(&s, hot(), staker(), NET);
        fails(&mut s, staker(), move_call(hot(), NET, NET, alpha), Error::SameNetuid);
        fails(&mut s, staker(), move_call(hot(), NetUid(9), NET, alpha), Error::SubnetNotExists);
        fails(&mut s, staker(), move_call(hot(), NET, NetUid(9), alpha), Error::SubnetNotExists);
        fails(
            &mut s,
            staker(),
            move_call(acc(99), NET, NET2, alpha),
            Error::HotKeyAccountNotExists,
        );
        fails(
            &mut s,
            staker(),
            move_call(hot(), NET, NET2, alpha + 1),
            Error::NotEnoughStakeToWithdraw,
        );
        fails(&mut s, staker(), move_call(hot(), NET, NET2, 1_000), Error::AmountTooLow);
        fails(&mut s, staker(), move_call(hot2(), NET, NET, 1_000), Error::AmountTooLow);
        SubtokenEnabled::insert(&mut s, &NET2, &false);
        fails(&mut s, staker(), move_call(hot(), NET, NET2, alpha), Error::SubtokenDisabled);
        SubtokenEnabled::insert(&mut s, &NET2, &true);
        SubnetTAO::insert(&mut s, &NET, &1_000_001);
        fails(&mut s, staker(), move_call(hot(), NET, NET2, alpha), Error::InsufficientLiquidity);
    }

    fn transfer_call(to: AccountId32, o: NetUid, d: NetUid, alpha: u64) -> Call {
        Call::TransferStake {
            destination_coldkey: to,
            hotkey: hot(),
            origin_netuid: o,
            destination_netuid: d,
            alpha_amount: alpha,
        }
    }

    #[test]
    fn test_transfer_stake_gives_the_position_to_another_coldkey() {
        let mut s = staked();
        let alpha = pos(&s, hot(), staker(), NET);
        let events = ok(&mut s, staker(), transfer_call(other(), NET, NET, alpha / 2));
        assert_eq!(pos(&s, hot(), other(), NET), alpha / 2);
        assert!(matches!(events[..], [Event::StakeTransferred(_, _, _, NET, NET, _)]));
        let events = ok(&mut s, staker(), transfer_call(other(), NET, NET2, alpha - alpha / 2));
        assert!(pos(&s, hot(), other(), NET2) > 0);
        assert_eq!(pos(&s, hot(), staker(), NET), 0);
        assert!(matches!(events.last(), Some(Event::StakeTransferred(_, _, _, NET, NET2, _))));
    }

    #[test]
    fn test_transfer_stake_requires_the_transfer_toggle_on_both_subnets() {
        let mut s = staked();
        let alpha = pos(&s, hot(), staker(), NET);
        TransferToggle::insert(&mut s, &NET2, &false);
        fails(
            &mut s,
            staker(),
            transfer_call(other(), NET, NET2, alpha),
            Error::TransferDisallowed,
        );
        TransferToggle::insert(&mut s, &NET2, &true);
        TransferToggle::insert(&mut s, &NET, &false);
        fails(&mut s, staker(), transfer_call(other(), NET, NET, alpha), Error::TransferDisallowed);
        fails(&mut s, staker(), transfer_call(staker(), NET, NET, alpha), Error::SameNetuid);
    }

    fn swap_call(o: NetUid, d: NetUid, alpha: u64) -> Call {
        Call::SwapStake {
            hotkey: hot(),
            origin_netuid: o,
            destination_netuid: d,
            alpha_amount: alpha,
        }
    }

    #[test]
    fn test_swap_stake_changes_subnet() {
        let mut s = staked();
        let alpha = pos(&s, hot(), staker(), NET);
        let events = ok(&mut s, staker(), swap_call(NET, NET2, alpha));
        assert_eq!(pos(&s, hot(), staker(), NET), 0);
        assert!(pos(&s, hot(), staker(), NET2) > alpha, "NET2 alpha is cheaper");
        assert!(matches!(events.last(), Some(Event::StakeSwapped(_, _, NET, NET2, _))));
        fails(&mut s, staker(), swap_call(NET2, NET2, 1), Error::SameNetuid);
        fails(&mut s, staker(), swap_call(NET, NET2, 1), Error::NotEnoughStakeToWithdraw);
    }

    fn swap_limit(alpha: u64, limit_price: u64, allow_partial: bool) -> Call {
        Call::SwapStakeLimit {
            hotkey: hot(),
            origin_netuid: NET,
            destination_netuid: NET2,
            alpha_amount: alpha,
            limit_price,
            allow_partial,
        }
    }

    #[test]
    fn test_swap_stake_limit_paths() {
        let mut s = staked();
        let alpha = pos(&s, hot(), staker(), NET);
        // Ratio now ≈ 1.21 / 0.5 ≈ 2.4; a limit of 2.3 allows only part of the swap.
        fails(&mut s, staker(), swap_limit(alpha, 2_300_000_000, false), Error::SlippageTooHigh);
        fails(&mut s, staker(), swap_limit(alpha, 5_000_000_000, true), Error::SlippageTooHigh);
        ok(&mut s, staker(), swap_limit(alpha, 2_300_000_000, true));
        let left = pos(&s, hot(), staker(), NET);
        assert!(left > 0 && left < alpha, "{left}");
        let ratio = mul_div_floor(
            u128::from(swap::price_rao(&s, NET)),
            1_000_000_000,
            u128::from(swap::price_rao(&s, NET2)),
        )
        .unwrap();
        assert!(ratio >= 2_290_000_000, "{ratio}");
        ok(&mut s, staker(), swap_limit(left, 1_000, false));
        assert_eq!(pos(&s, hot(), staker(), NET), 0);
    }

    // ---- recycle / burn ----

    #[test]
    fn test_recycle_alpha_shrinks_position_and_alpha_out() {
        let mut s = staked();
        let alpha = pos(&s, hot(), staker(), NET);
        let out = SubnetAlphaOut::get(&s, &NET);
        let events =
            ok(&mut s, staker(), Call::RecycleAlpha { hotkey: hot(), amount: TAO, netuid: NET });
        assert_eq!(pos(&s, hot(), staker(), NET), alpha - TAO);
        assert_eq!(SubnetAlphaOut::get(&s, &NET), out - TAO);
        assert_eq!(events, vec![Event::AlphaRecycled(staker(), hot(), TAO, NET)]);
        // Capped at the position.
        ok(&mut s, staker(), Call::RecycleAlpha { hotkey: hot(), amount: u64::MAX, netuid: NET });
        assert_eq!(pos(&s, hot(), staker(), NET), 0);
    }

    #[test]
    fn test_burn_alpha_shrinks_the_position_only() {
        let mut s = staked();
        let alpha = pos(&s, hot(), staker(), NET);
        let out = SubnetAlphaOut::get(&s, &NET);
        let events =
            ok(&mut s, staker(), Call::BurnAlpha { hotkey: hot(), amount: TAO, netuid: NET });
        assert_eq!(pos(&s, hot(), staker(), NET), alpha - TAO);
        assert_eq!(SubnetAlphaOut::get(&s, &NET), out);
        assert_eq!(events, vec![Event::AlphaBurned(staker(), hot(), TAO, NET)]);
    }

    #[test]
    fn test_recycle_and_burn_error_paths() {
        let mut s = staked();
        for recycle in [true, false] {
            let call = |hotkey, netuid| {
                if recycle {
                    Call::RecycleAlpha { hotkey, amount: TAO, netuid }
                } else {
                    Call::BurnAlpha { hotkey, amount: TAO, netuid }
                }
            };
            fails(&mut s, staker(), call(hot(), NetUid(9)), Error::SubnetNotExists);
            fails(&mut s, staker(), call(hot(), ROOT), Error::CannotBurnOrRecycleOnRootSubnet);
            fails(&mut s, staker(), call(acc(99), NET), Error::HotKeyAccountNotExists);
            SubtokenEnabled::insert(&mut s, &NET, &false);
            fails(&mut s, staker(), call(hot(), NET), Error::SubtokenDisabled);
            SubtokenEnabled::insert(&mut s, &NET, &true);
            let out = SubnetAlphaOut::get(&s, &NET);
            SubnetAlphaOut::insert(&mut s, &NET, &1);
            fails(&mut s, staker(), call(hot(), NET), Error::InsufficientLiquidity);
            SubnetAlphaOut::insert(&mut s, &NET, &out);
        }
    }

    // ---- take ----

    #[test]
    fn test_decrease_take_paths() {
        let mut s = setup();
        let dec = |take| Call::DecreaseTake { hotkey: hot(), take };
        fails(
            &mut s,
            owner(),
            Call::DecreaseTake { hotkey: acc(99), take: 1 },
            Error::HotKeyAccountNotExists,
        );
        fails(&mut s, staker(), dec(1), Error::NonAssociatedColdKey);
        let events = ok(&mut s, owner(), dec(5_000));
        assert_eq!(Delegates::get(&s, &hot()), 5_000);
        assert_eq!(events, vec![Event::TakeDecreased(owner(), hot(), 5_000)]);
        assert_eq!(rate_limit::last_block(&s, &RateLimitKey::LastTxBlockDelegateTake(hot())), 100);
        fails(&mut s, owner(), dec(5_000), Error::DelegateTakeTooLow);
        MinDelegateTake::put(&mut s, &1_000);
        fails(&mut s, owner(), dec(999), Error::DelegateTakeTooLow);
        ok(&mut s, owner(), dec(1_000));
    }

    #[test]
    fn test_increase_take_paths() {
        let mut s = setup();
        let inc = |take| Call::IncreaseTake { hotkey: hot(), take };
        fails(
            &mut s,
            owner(),
            Call::IncreaseTake { hotkey: acc(99), take: 1 },
            Error::HotKeyAccountNotExists,
        );
        fails(&mut s, staker(), inc(1), Error::NonAssociatedColdKey);
        fails(&mut s, owner(), inc(11_797), Error::DelegateTakeTooHigh);
        // Unset take: any value up to the maximum.
        let events = ok(&mut s, owner(), inc(11_000));
        assert_eq!(events, vec![Event::TakeIncreased(owner(), hot(), 11_000)]);
        fails(&mut s, owner(), inc(11_000), Error::DelegateTakeTooLow);
        fails(&mut s, owner(), inc(11_500), Error::DelegateTxRateLimitExceeded);
        TxDelegateTakeRateLimit::put(&mut s, &10);
        system::Number::put(&mut s, &110);
        fails(&mut s, owner(), inc(11_500), Error::DelegateTxRateLimitExceeded);
        system::Number::put(&mut s, &111);
        ok(&mut s, owner(), inc(11_500));
        assert_eq!(Delegates::get(&s, &hot()), 11_500);
        // A decrease also starts the rate-limit window.
        ok(&mut s, owner(), Call::DecreaseTake { hotkey: hot(), take: 100 });
        fails(&mut s, owner(), inc(200), Error::DelegateTxRateLimitExceeded);
    }

    // ---- through the executive ----

    #[test]
    fn test_add_stake_through_a_signed_extrinsic() {
        use crate::executive::Executive;
        use crate::pallets::Runtime;
        use crate::test_utils::{
            TEST_GENESIS_HASH, TEST_VERSION, dev_account, dev_pair, sign_call,
        };

        let alice = dev_account("Alice");
        let mut genesis = setup();
        balances::build_genesis(
            &mut genesis,
            &[(alice, 1_000 * TAO), (super::super::subnet_account_id(NET), 101 * TAO)],
        )
        .unwrap();
        let mut call = vec![super::super::PALLET_INDEX];
        call.extend(add(hot(), NET, 10 * TAO).encode());
        assert_eq!(call[..2], [7, 2]);
        let mut block =
            Executive::initialize_block(&genesis, Runtime, TEST_VERSION, 1, TEST_GENESIS_HASH);
        let applied = block.apply_extrinsic(&sign_call(&dev_pair("Alice"), 0, call)).unwrap();
        assert_eq!(applied.result, Ok(()));
        let events = decode_events(block.events());
        assert!(
            matches!(events[..], [Event::StakeAdded(c, h, 10_000_000_000, _, NET, _)] if c == alice && h == hot())
        );
        let state = block.finalize_block();
        assert!(share_pool::alpha_of(&state, &hot(), &alice, NET) > 9 * TAO);
        assert_eq!(SubnetTAO::get(&state, &NET), 110 * TAO);
    }

    // ---- property ----

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        // Random stake operations keep the books consistent and conserve TAO.
        #[test]
        fn test_random_staking_keeps_invariants_and_conserves_tao(
            ops in proptest::collection::vec(
                (0u8..6, 0usize..3, 0usize..2, 0usize..3, 0usize..3, 1u64..50_000_000_000),
                1..25,
            )
        ) {
            let mut s = setup();
            let total = total_free(&s);
            let colds = [owner(), staker(), other()];
            let hots = [hot(), hot2()];
            for (op, c, h, o, d, amount) in ops {
                let (cold, hotkey) = (colds[c], hots[h]);
                let (o, d) = (NETS[o], NETS[d]);
                let call = match op {
                    0 | 1 => add(hotkey, o, amount),
                    2 => remove(hotkey, o, amount),
                    3 => Call::MoveStake {
                        origin_hotkey: hotkey,
                        destination_hotkey: hots[1 - h],
                        origin_netuid: o,
                        destination_netuid: d,
                        alpha_amount: amount.min(pos(&s, hotkey, cold, o)),
                    },
                    4 => Call::SwapStake {
                        hotkey,
                        origin_netuid: o,
                        destination_netuid: d,
                        alpha_amount: amount.min(pos(&s, hotkey, cold, o)),
                    },
                    _ => Call::UnstakeAll { hotkey },
                };
                let before = s.clone();
                let (r, _) = run(&mut s, cold, call);
                if r.is_err() {
                    prop_assert!(s == before, "failed call wrote state");
                }
                check_invariants(&s);
                prop_assert_eq!(total_free(&s), total);
            }
            // Everyone can leave; the pools keep at least what they started with.
            for cold in colds {
                for hotkey in hots {
                    let _ = run(&mut s, cold, Call::UnstakeAll { hotkey });
                }
            }
            check_invariants(&s);
            prop_assert_eq!(total_free(&s), total);
        }
    }
}
