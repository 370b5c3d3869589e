//! Subnet-owner governance: who may change a subnet's parameters (owner or root), the owner
//! rate limits, the admin freeze window before each epoch, and the owner's tempo calls
//! `set_tempo` (139), `set_activity_cutoff_factor` (140) and `trigger_epoch` (141)
//! (`reference/subtensor.md` §2.6, §2.8, §12).
//!
//! The `AdminUtils` setters (`crate::pallets::admin_utils`) use the helpers here, as
//! subtensor's admin-utils calls `pallet_subtensor`'s.
//!
//! Storage items read or written: `SubnetOwner`, `Tempo`, `LastEpochBlock`, `PendingEpochAt`,
//! `AdminFreezeWindow`, `OwnerHyperparamRateLimit`, `WeightsVersionKeyRateLimit`,
//! `LastRateLimitedBlock`, `TransactionKeyLastBlock`, `ActivityCutoffFactorMilli`,
//! `CommitRevealWeightsEnabled`.

use rustensor_primitives::{AccountId32, NetUid};

use super::rate_limit::{Hyperparameter, MAX_TEMPO, MIN_TEMPO, OwnerLimit};
use super::storage::{
    ActivityCutoffFactorMilli, AdminFreezeWindow, CommitRevealWeightsEnabled, LastEpochBlock,
    PendingEpochAt, SubnetOwner, Tempo,
};
use super::{Error, Event, current_block, deposit_event};
use crate::dispatch::{DispatchContext, DispatchError, Origin};
use crate::storage::{Kv, KvRead};

pub use super::storage::{MAX_ACTIVITY_CUTOFF_FACTOR_MILLI, MIN_ACTIVITY_CUTOFF_FACTOR_MILLI};

/// subtensor's `ensure_subnet_owner_or_root`: `None` for root, `Some(owner)` for the subnet's
/// owner coldkey. The subnet need not exist (a missing subnet has the zero account as owner).
///
/// # Errors
///
/// `BadOrigin` for any other signer.
pub fn ensure_subnet_owner_or_root(
    state: &(impl KvRead + ?Sized),
    origin: &Origin,
    netuid: NetUid,
) -> Result<Option<AccountId32>, DispatchError> {
    match origin {
        Origin::Root => Ok(None),
        Origin::Signed(who) if SubnetOwner::get(state, &netuid) == *who => Ok(Some(*who)),
        Origin::Signed(_) => Err(DispatchError::BadOrigin),
    }
}

/// subtensor's `ensure_subnet_owner`: the owner coldkey of `netuid`, signed only.
///
/// # Errors
///
/// `BadOrigin` for root or any other signer.
pub fn ensure_subnet_owner(
    state: &(impl KvRead + ?Sized),
    origin: &Origin,
    netuid: NetUid,
) -> Result<AccountId32, DispatchError> {
    let who = origin.ensure_signed()?;
    if SubnetOwner::get(state, &netuid) == *who { Ok(*who) } else { Err(DispatchError::BadOrigin) }
}

/// subtensor's `ensure_sn_owner_or_root_with_limits`: [`ensure_subnet_owner_or_root`], then,
/// for the owner only, every limit in `limits` must pass at the current block.
///
/// # Errors
///
/// `BadOrigin`, or [`Error::TxRateLimitExceeded`] when an owner limit has not elapsed.
pub fn ensure_owner_or_root_with_limits(
    state: &(impl KvRead + ?Sized),
    origin: &Origin,
    netuid: NetUid,
    limits: &[OwnerLimit],
) -> Result<Option<AccountId32>, DispatchError> {
    let maybe_owner = ensure_subnet_owner_or_root(state, origin, netuid)?;
    if let Some(who) = &maybe_owner {
        let now = current_block(state);
        if !limits.iter().all(|limit| limit.passes(state, who, netuid, now)) {
            return Err(Error::TxRateLimitExceeded.into());
        }
    }
    Ok(maybe_owner)
}

/// subtensor's `record_owner_rl`: for an owner (`Some`), records each limit at the current
/// block; root records nothing.
pub fn record_owner_limits(
    state: &mut (impl Kv + ?Sized),
    maybe_owner: Option<&AccountId32>,
    netuid: NetUid,
    limits: &[OwnerLimit],
) {
    if let Some(who) = maybe_owner {
        let now = current_block(state);
        for limit in limits {
            limit.record(state, who, netuid, now);
        }
    }
}

/// Blocks from `now` until the next automatic epoch of `netuid` (`LastEpochBlock + tempo`,
/// saturating at 0); `u64::MAX` for tempo 0 (never).
pub fn blocks_until_next_auto_epoch(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
    now: u64,
) -> u64 {
    let tempo = Tempo::get(state, &netuid);
    if tempo == 0 {
        return u64::MAX;
    }
    LastEpochBlock::get(state, &netuid).saturating_add(u64::from(tempo)).saturating_sub(now)
}

/// subtensor's `is_in_admin_freeze_window`: tempo ≠ 0 and either a manual trigger is pending
/// (`PendingEpochAt` after `now`) or fewer than `AdminFreezeWindow` blocks remain before the next
/// automatic epoch.
pub fn is_in_admin_freeze_window(state: &(impl KvRead + ?Sized), netuid: NetUid, now: u64) -> bool {
    if Tempo::get(state, &netuid) == 0 {
        return false;
    }
    let pending = PendingEpochAt::get(state, &netuid);
    if pending > 0 && pending > now {
        return true;
    }
    blocks_until_next_auto_epoch(state, netuid, now) < u64::from(AdminFreezeWindow::get(state))
}

/// subtensor's `ensure_admin_window_open` at the current block. It applies to every origin,
/// root included, wherever subtensor calls it.
///
/// # Errors
///
/// [`Error::AdminActionProhibitedDuringWeightsWindow`] inside the freeze window.
pub fn ensure_admin_window_open(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
) -> Result<(), DispatchError> {
    if is_in_admin_freeze_window(state, netuid, current_block(state)) {
        Err(Error::AdminActionProhibitedDuringWeightsWindow.into())
    } else {
        Ok(())
    }
}

/// subtensor's `apply_tempo_with_cycle_reset`: sets `Tempo` (event `TempoSet`) and restarts the
/// epoch cycle at the current block (`LastEpochBlock = now`).
pub fn apply_tempo_with_cycle_reset(ctx: &mut DispatchContext<'_>, netuid: NetUid, tempo: u16) {
    Tempo::insert(ctx.state, &netuid, &tempo);
    deposit_event(ctx, Event::TempoSet(netuid, tempo));
    let now = current_block(ctx.state);
    LastEpochBlock::insert(ctx.state, &netuid, &now);
}

/// `set_tempo(netuid, tempo)` (139): the owner (not root) sets a tempo in
/// [`MIN_TEMPO`]`..=`[`MAX_TEMPO`], outside the freeze window, at most once per [`MIN_TEMPO`]
/// blocks; the epoch cycle restarts now.
///
/// # Errors
///
/// `BadOrigin`, [`Error::TempoOutOfBounds`], [`Error::AdminActionProhibitedDuringWeightsWindow`],
/// [`Error::TxRateLimitExceeded`].
pub fn set_tempo(
    ctx: &mut DispatchContext<'_>,
    origin: &Origin,
    netuid: NetUid,
    tempo: u16,
) -> Result<(), DispatchError> {
    let who = ensure_subnet_owner(ctx.state, origin, netuid)?;
    if !(MIN_TEMPO..=MAX_TEMPO).contains(&tempo) {
        return Err(Error::TempoOutOfBounds.into());
    }
    ensure_admin_window_open(ctx.state, netuid)?;
    let now = current_block(ctx.state);
    if !OwnerLimit::TempoUpdate.passes(ctx.state, &who, netuid, now) {
        return Err(Error::TxRateLimitExceeded.into());
    }
    apply_tempo_with_cycle_reset(ctx, netuid, tempo);
    OwnerLimit::TempoUpdate.record(ctx.state, &who, netuid, now);
    Ok(())
}

/// `set_activity_cutoff_factor(netuid, factor_milli)` (140): owner or root sets
/// `ActivityCutoffFactorMilli` in [`MIN_ACTIVITY_CUTOFF_FACTOR_MILLI`]`..=`
/// [`MAX_ACTIVITY_CUTOFF_FACTOR_MILLI`]; the owner is subject to the freeze window and the
/// hyperparameter rate limit, root to neither.
///
/// # Errors
///
/// `BadOrigin`, [`Error::ActivityCutoffFactorMilliOutOfBounds`],
/// [`Error::AdminActionProhibitedDuringWeightsWindow`], [`Error::TxRateLimitExceeded`].
pub fn set_activity_cutoff_factor(
    ctx: &mut DispatchContext<'_>,
    origin: &Origin,
    netuid: NetUid,
    factor_milli: u32,
) -> Result<(), DispatchError> {
    let maybe_owner = ensure_subnet_owner_or_root(ctx.state, origin, netuid)?;
    if !(MIN_ACTIVITY_CUTOFF_FACTOR_MILLI..=MAX_ACTIVITY_CUTOFF_FACTOR_MILLI)
        .contains(&factor_milli)
    {
        return Err(Error::ActivityCutoffFactorMilliOutOfBounds.into());
    }
    let limit = OwnerLimit::Hyperparam(Hyperparameter::ActivityCutoffFactorMilli);
    if let Some(who) = &maybe_owner {
        ensure_admin_window_open(ctx.state, netuid)?;
        if !limit.passes(ctx.state, who, netuid, current_block(ctx.state)) {
            return Err(Error::TxRateLimitExceeded.into());
        }
    }
    ActivityCutoffFactorMilli::insert(ctx.state, &netuid, &factor_milli);
    deposit_event(ctx, Event::ActivityCutoffFactorMilliSet { netuid, factor_milli });
    record_owner_limits(ctx.state, maybe_owner.as_ref(), netuid, &[limit]);
    Ok(())
}

/// `trigger_epoch(netuid)` (141): the owner schedules an epoch `AdminFreezeWindow` blocks from
/// now (`PendingEpochAt`, event `EpochTriggered`), which also arms the freeze window.
///
/// # Errors
///
/// `BadOrigin`; [`Error::DynamicTempoBlockedByCommitReveal`] with commit-reveal on;
/// [`Error::EpochTriggerAlreadyPending`]; [`Error::AutoEpochAlreadyImminent`] when the next
/// automatic epoch is less than the window away; [`Error::TxRateLimitExceeded`].
pub fn trigger_epoch(
    ctx: &mut DispatchContext<'_>,
    origin: &Origin,
    netuid: NetUid,
) -> Result<(), DispatchError> {
    let who = ensure_subnet_owner(ctx.state, origin, netuid)?;
    if CommitRevealWeightsEnabled::get(ctx.state, &netuid) {
        return Err(Error::DynamicTempoBlockedByCommitReveal.into());
    }
    if PendingEpochAt::get(ctx.state, &netuid) != 0 {
        return Err(Error::EpochTriggerAlreadyPending.into());
    }
    let now = current_block(ctx.state);
    let window = u64::from(AdminFreezeWindow::get(ctx.state));
    if blocks_until_next_auto_epoch(ctx.state, netuid, now) < window {
        return Err(Error::AutoEpochAlreadyImminent.into());
    }
    let limit = OwnerLimit::Hyperparam(Hyperparameter::TriggerEpoch);
    if !limit.passes(ctx.state, &who, netuid, now) {
        return Err(Error::TxRateLimitExceeded.into());
    }
    let fires_at = now.saturating_add(window);
    PendingEpochAt::insert(ctx.state, &netuid, &fires_at);
    limit.record(ctx.state, &who, netuid, now);
    deposit_event(ctx, Event::EpochTriggered { netuid, by: who, fires_at });
    Ok(())
}

#[cfg(test)]
mod tests;
