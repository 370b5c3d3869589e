//! The `AdminUtils` calls: subtensor's call indices and argument encodings, their declared
//! weights and fee mode, and what each does.
//!
//! The wire half (its calls, events, errors, storage items and structs) is
//! `rustensor_runtime_types::pallets::admin_utils::calls`, re-exported here.

use super::{
    DEFAULT_MAX_ALLOWED_UIDS, Error, Event, IMMUNE_OWNER_UIDS_LIMIT, MAX_BURN_HALF_LIFE,
    MAX_BURN_LOWER_BOUND, MIN_ALPHA_VALUE, MIN_BURN_UPPER_BOUND, OWNER_MAX_BONDS_MOVING_AVERAGE,
    PrecompileEnable, REVEAL_PERIOD_EPOCHS, SET_SN_OWNER_HOTKEY_RATE_LIMIT, deposit_event,
};
use crate::dispatch::Dispatchable;
use crate::dispatch::{
    DispatchContext, DispatchError, DispatchResultWithPostInfo, Origin, PostDispatchInfo,
};
use crate::pallets::subtensor::rate_limit::{
    self, Hyperparameter, OwnerLimit, RateLimitKey, passes,
};
use crate::pallets::subtensor::storage as st;
use crate::pallets::subtensor::tempo_control::{
    apply_tempo_with_cycle_reset, ensure_admin_window_open, ensure_owner_or_root_with_limits,
    ensure_subnet_owner_or_root, record_owner_limits,
};
use crate::pallets::subtensor::{
    self, Error as SubtensorError, Event as SubtensorEvent, ROOT, current_block, staking,
};
use crate::storage::KvRead;
use rustensor_primitives::{AccountId32, NetUid};
pub use rustensor_runtime_types::pallets::admin_utils::calls::*;

/// A fixed-point `1` in `U64F64` bits.
const U64F64_ONE: u128 = 1 << 64;

/// Runs the call from `origin`.
///
/// # Errors
///
/// `BadOrigin`, this pallet's [`Error`] or `SubtensorModule`'s, per call (see the module
/// doc), with default post-dispatch info.
impl Dispatchable for Call {
    type Output = DispatchResultWithPostInfo;

    fn dispatch(self, ctx: &mut DispatchContext<'_>, origin: &Origin) -> Self::Output {
        dispatch_call(ctx, origin, self).map(|()| PostDispatchInfo::default()).map_err(Into::into)
    }
}

type Res = Result<(), DispatchError>;

/// `SubnetDoesNotExist` unless `netuid` exists.
fn ensure_exists(state: &(impl KvRead + ?Sized), netuid: NetUid) -> Res {
    if subtensor::subnet_exists(state, netuid) {
        Ok(())
    } else {
        Err(Error::SubnetDoesNotExist.into())
    }
}

/// `Err(e)` unless `ok`.
fn ensure(ok: bool, e: impl Into<DispatchError>) -> Res {
    if ok { Ok(()) } else { Err(e.into()) }
}

/// Owner-or-root with the owner rate limit of `param`, then the freeze window: the preamble
/// of subtensor's owner-settable setters. `Some(owner)` when the owner called.
fn owner_preamble(
    ctx: &DispatchContext<'_>,
    origin: &Origin,
    netuid: NetUid,
    limit: OwnerLimit,
) -> Result<Option<AccountId32>, DispatchError> {
    let maybe_owner = ensure_owner_or_root_with_limits(ctx.state, origin, netuid, &[limit])?;
    ensure_admin_window_open(ctx.state, netuid)?;
    Ok(maybe_owner)
}

/// Root, then (if `window`) the freeze window, then (if `exists`) the subnet must exist.
fn root_preamble(
    ctx: &DispatchContext<'_>,
    origin: &Origin,
    netuid: NetUid,
    window: bool,
    exists: bool,
) -> Res {
    origin.ensure_root()?;
    if window {
        ensure_admin_window_open(ctx.state, netuid)?;
    }
    if exists {
        ensure_exists(ctx.state, netuid)?;
    }
    Ok(())
}

/// Records the owner rate limit `limit` if the owner called.
fn record(
    ctx: &mut DispatchContext<'_>,
    owner: Option<AccountId32>,
    netuid: NetUid,
    limit: OwnerLimit,
) {
    record_owner_limits(ctx.state, owner.as_ref(), netuid, &[limit]);
}

fn hp(param: Hyperparameter) -> OwnerLimit {
    OwnerLimit::Hyperparam(param)
}

fn event(ctx: &mut DispatchContext<'_>, e: SubtensorEvent) {
    subtensor::deposit_event(ctx, e);
}

/// An owner-settable per-subnet setter of the common shape: preamble, existence, `check`, then
/// `write` (which stores and emits), then the owner rate limit is recorded.
fn owner_set(
    ctx: &mut DispatchContext<'_>,
    origin: &Origin,
    netuid: NetUid,
    param: Hyperparameter,
    check: impl FnOnce(&DispatchContext<'_>) -> Res,
    write: impl FnOnce(&mut DispatchContext<'_>) -> Res,
) -> Res {
    let owner = owner_preamble(ctx, origin, netuid, hp(param))?;
    ensure_exists(ctx.state, netuid)?;
    check(ctx)?;
    write(ctx)?;
    record(ctx, owner, netuid, hp(param));
    Ok(())
}

/// Whether `hotkey` is the pool account of an existing subnet (or of root): subtensor's
/// `is_subnet_account_id(hotkey).is_some()`.
fn is_subnet_account(state: &(impl KvRead + ?Sized), hotkey: &AccountId32) -> bool {
    *hotkey == subtensor::subnet_account_id(ROOT)
        || subtensor::netuids(state).into_iter().any(|n| subtensor::subnet_account_id(n) == *hotkey)
}

fn ok() -> Res {
    Ok(())
}

#[allow(clippy::too_many_lines, reason = "one arm per call, each short")]
fn dispatch_call(ctx: &mut DispatchContext<'_>, origin: &Origin, call: Call) -> Res {
    use Hyperparameter as H;
    match call {
        Call::SudoSetDefaultTake { default_take } => {
            origin.ensure_root()?;
            st::MaxDelegateTake::put(ctx.state, &default_take);
            event(ctx, SubtensorEvent::MaxDelegateTakeSet(default_take));
        }
        Call::SudoSetTxRateLimit { tx_rate_limit } => {
            origin.ensure_root()?;
            st::TxRateLimit::put(ctx.state, &tx_rate_limit);
            event(ctx, SubtensorEvent::TxRateLimitSet(tx_rate_limit));
        }
        Call::SudoSetServingRateLimit { netuid, serving_rate_limit } => {
            // Subtensor checks no existence here.
            let owner = owner_preamble(ctx, origin, netuid, hp(H::ServingRateLimit))?;
            st::ServingRateLimit::insert(ctx.state, &netuid, &serving_rate_limit);
            event(ctx, SubtensorEvent::ServingRateLimitSet(netuid, serving_rate_limit));
            record(ctx, owner, netuid, hp(H::ServingRateLimit));
        }
        Call::SudoSetMinDifficulty { netuid, min_difficulty } => {
            root_preamble(ctx, origin, netuid, true, true)?;
            st::MinDifficulty::insert(ctx.state, &netuid, &min_difficulty);
            event(ctx, SubtensorEvent::MinDifficultySet(netuid, min_difficulty));
        }
        Call::SudoSetMaxDifficulty { netuid, max_difficulty } => {
            owner_set(
                ctx,
                origin,
                netuid,
                H::MaxDifficulty,
                |_| ok(),
                |ctx| {
                    st::MaxDifficulty::insert(ctx.state, &netuid, &max_difficulty);
                    event(ctx, SubtensorEvent::MaxDifficultySet(netuid, max_difficulty));
                    ok()
                },
            )?;
        }
        Call::SudoSetWeightsVersionKey { netuid, weights_version_key } => {
            let limit = OwnerLimit::WeightsVersionKey;
            let owner = owner_preamble(ctx, origin, netuid, limit)?;
            ensure_exists(ctx.state, netuid)?;
            record(ctx, owner, netuid, limit);
            st::WeightsVersionKey::insert(ctx.state, &netuid, &weights_version_key);
            event(ctx, SubtensorEvent::WeightsVersionKeySet(netuid, weights_version_key));
        }
        Call::SudoSetWeightsSetRateLimit { netuid, weights_set_rate_limit } => {
            root_preamble(ctx, origin, netuid, false, true)?;
            st::WeightsSetRateLimit::insert(ctx.state, &netuid, &weights_set_rate_limit);
            event(ctx, SubtensorEvent::WeightsSetRateLimitSet(netuid, weights_set_rate_limit));
        }
        Call::SudoSetAdjustmentInterval { netuid, adjustment_interval } => {
            root_preamble(ctx, origin, netuid, false, true)?;
            st::AdjustmentInterval::insert(ctx.state, &netuid, &adjustment_interval);
            event(ctx, SubtensorEvent::AdjustmentIntervalSet(netuid, adjustment_interval));
        }
        Call::SudoSetAdjustmentAlpha { netuid, adjustment_alpha } => {
            owner_set(
                ctx,
                origin,
                netuid,
                H::AdjustmentAlpha,
                |_| ok(),
                |ctx| {
                    st::AdjustmentAlpha::insert(ctx.state, &netuid, &adjustment_alpha);
                    event(ctx, SubtensorEvent::AdjustmentAlphaSet(netuid, adjustment_alpha));
                    ok()
                },
            )?;
        }
        Call::SudoSetImmunityPeriod { netuid, immunity_period } => {
            owner_set(
                ctx,
                origin,
                netuid,
                H::ImmunityPeriod,
                |_| ok(),
                |ctx| {
                    st::ImmunityPeriod::insert(ctx.state, &netuid, &immunity_period);
                    event(ctx, SubtensorEvent::ImmunityPeriodSet(netuid, immunity_period));
                    ok()
                },
            )?;
        }
        Call::SudoSetMinAllowedWeights { netuid, min_allowed_weights } => {
            owner_set(
                ctx,
                origin,
                netuid,
                H::MinAllowedWeights,
                |_| ok(),
                |ctx| {
                    st::MinAllowedWeights::insert(ctx.state, &netuid, &min_allowed_weights);
                    event(ctx, SubtensorEvent::MinAllowedWeightSet(netuid, min_allowed_weights));
                    ok()
                },
            )?;
        }
        Call::SudoSetMaxAllowedUids { netuid, max_allowed_uids } => {
            let check = |ctx: &DispatchContext<'_>| {
                let state = &*ctx.state;
                ensure(
                    max_allowed_uids >= st::MinAllowedUids::get(state, &netuid),
                    Error::MaxAllowedUidsLessThanMinAllowedUids,
                )?;
                ensure(
                    st::SubnetworkN::get(state, &netuid) <= max_allowed_uids,
                    Error::MaxAllowedUIdsLessThanCurrentUIds,
                )?;
                // With one mechanism, subtensor's `max_allowed_uids × mechanisms ≤ 256`
                // (`TooManyUIDsPerMechanism`) is implied by this bound.
                ensure(
                    max_allowed_uids <= DEFAULT_MAX_ALLOWED_UIDS,
                    Error::MaxAllowedUidsGreaterThanDefaultMaxAllowedUids,
                )
            };
            owner_set(ctx, origin, netuid, H::MaxAllowedUids, check, |ctx| {
                st::MaxAllowedUids::insert(ctx.state, &netuid, &max_allowed_uids);
                event(ctx, SubtensorEvent::MaxAllowedUidsSet(netuid, max_allowed_uids));
                ok()
            })?;
        }
        Call::SudoSetKappa { netuid, kappa } => {
            root_preamble(ctx, origin, netuid, false, true)?;
            st::Kappa::insert(ctx.state, &netuid, &kappa);
            event(ctx, SubtensorEvent::KappaSet(netuid, kappa));
        }
        Call::SudoSetRho { netuid, rho } => {
            // Subtensor's `set_rho` emits no event.
            owner_set(
                ctx,
                origin,
                netuid,
                H::Rho,
                |_| ok(),
                |ctx| {
                    st::Rho::insert(ctx.state, &netuid, &rho);
                    ok()
                },
            )?;
        }
        Call::SudoSetActivityCutoff { netuid, activity_cutoff } => {
            let check = |ctx: &DispatchContext<'_>| {
                ensure(
                    activity_cutoff >= st::MinActivityCutoff::get(ctx.state),
                    SubtensorError::ActivityCutoffTooLow,
                )
            };
            owner_set(ctx, origin, netuid, H::ActivityCutoff, check, |ctx| {
                st::ActivityCutoff::insert(ctx.state, &netuid, &activity_cutoff);
                event(ctx, SubtensorEvent::ActivityCutoffSet(netuid, activity_cutoff));
                ok()
            })?;
        }
        Call::SudoSetNetworkRegistrationAllowed { netuid, registration_allowed } => {
            // Root only, no existence check and no freeze window, as in subtensor.
            origin.ensure_root()?;
            st::NetworkRegistrationAllowed::insert(ctx.state, &netuid, &registration_allowed);
            event(ctx, SubtensorEvent::RegistrationAllowed(netuid, registration_allowed));
        }
        Call::SudoSetNetworkPowRegistrationAllowed { .. } => {
            return Err(Error::POWRegistrationDisabled.into());
        }
        Call::SudoSetTargetRegistrationsPerInterval {
            netuid,
            target_registrations_per_interval,
        } => {
            root_preamble(ctx, origin, netuid, true, true)?;
            let value = target_registrations_per_interval;
            st::TargetRegistrationsPerInterval::insert(ctx.state, &netuid, &value);
            event(ctx, SubtensorEvent::RegistrationPerIntervalSet(netuid, value));
        }
        Call::SudoSetMinBurn { netuid, min_burn } => {
            let check = |ctx: &DispatchContext<'_>| {
                ensure(min_burn < MIN_BURN_UPPER_BOUND, Error::ValueNotInBounds)?;
                ensure(min_burn < st::MaxBurn::get(ctx.state, &netuid), Error::ValueNotInBounds)
            };
            owner_set(ctx, origin, netuid, H::MinBurn, check, |ctx| {
                st::MinBurn::insert(ctx.state, &netuid, &min_burn);
                event(ctx, SubtensorEvent::MinBurnSet(netuid, min_burn));
                ok()
            })?;
        }
        Call::SudoSetMaxBurn { netuid, max_burn } => {
            let check = |ctx: &DispatchContext<'_>| {
                ensure(max_burn > MAX_BURN_LOWER_BOUND, Error::ValueNotInBounds)?;
                ensure(max_burn > st::MinBurn::get(ctx.state, &netuid), Error::ValueNotInBounds)
            };
            owner_set(ctx, origin, netuid, H::MaxBurn, check, |ctx| {
                st::MaxBurn::insert(ctx.state, &netuid, &max_burn);
                event(ctx, SubtensorEvent::MaxBurnSet(netuid, max_burn));
                ok()
            })?;
        }
        Call::SudoSetDifficulty { netuid, difficulty } => {
            root_preamble(ctx, origin, netuid, true, true)?;
            st::Difficulty::insert(ctx.state, &netuid, &difficulty);
            event(ctx, SubtensorEvent::DifficultySet(netuid, difficulty));
        }
        Call::SudoSetMaxAllowedValidators { netuid, max_allowed_validators } => {
            root_preamble(ctx, origin, netuid, true, true)?;
            ensure(
                max_allowed_validators <= st::MaxAllowedUids::get(ctx.state, &netuid),
                Error::MaxValidatorsLargerThanMaxUIds,
            )?;
            st::MaxAllowedValidators::insert(ctx.state, &netuid, &max_allowed_validators);
            event(ctx, SubtensorEvent::MaxAllowedValidatorsSet(netuid, max_allowed_validators));
        }
        Call::SudoSetBondsMovingAverage { netuid, bonds_moving_average } => {
            let limit = hp(H::BondsMovingAverage);
            let owner = owner_preamble(ctx, origin, netuid, limit)?;
            if owner.is_some() {
                ensure(
                    bonds_moving_average <= OWNER_MAX_BONDS_MOVING_AVERAGE,
                    Error::BondsMovingAverageMaxReached,
                )?;
            }
            ensure_exists(ctx.state, netuid)?;
            st::BondsMovingAverage::insert(ctx.state, &netuid, &bonds_moving_average);
            event(ctx, SubtensorEvent::BondsMovingAverageSet(netuid, bonds_moving_average));
            record(ctx, owner, netuid, limit);
        }
        Call::SudoSetMaxRegistrationsPerBlock { netuid, max_registrations_per_block } => {
            root_preamble(ctx, origin, netuid, true, true)?;
            let value = max_registrations_per_block;
            st::MaxRegistrationsPerBlock::insert(ctx.state, &netuid, &value);
            event(ctx, SubtensorEvent::MaxRegistrationsPerBlockSet(netuid, value));
        }
        Call::SudoSetSubnetOwnerCut { subnet_owner_cut } => {
            origin.ensure_root()?;
            st::SubnetOwnerCut::put(ctx.state, &subnet_owner_cut);
            event(ctx, SubtensorEvent::SubnetOwnerCutSet(subnet_owner_cut));
        }
        Call::SudoSetNetworkRateLimit { rate_limit } => {
            origin.ensure_root()?;
            st::NetworkRateLimit::put(ctx.state, &rate_limit);
            event(ctx, SubtensorEvent::NetworkRateLimitSet(rate_limit));
        }
        Call::SudoSetTempo { netuid, tempo } => {
            root_preamble(ctx, origin, netuid, true, true)?;
            apply_tempo_with_cycle_reset(ctx, netuid, tempo);
        }
        Call::SudoSetTotalIssuance { .. } => return Err(Error::Deprecated.into()),
        Call::SudoSetNetworkImmunityPeriod { immunity_period } => {
            origin.ensure_root()?;
            st::NetworkImmunityPeriod::put(ctx.state, &immunity_period);
            event(ctx, SubtensorEvent::NetworkImmunityPeriodSet(immunity_period));
        }
        Call::SudoSetNetworkMinLockCost { lock_cost } => {
            origin.ensure_root()?;
            st::NetworkMinLockCost::put(ctx.state, &lock_cost);
            event(ctx, SubtensorEvent::NetworkMinLockCostSet(lock_cost));
        }
        Call::SudoSetSubnetLimit { max_subnets } => {
            origin.ensure_root()?;
            st::SubnetLimit::put(ctx.state, &max_subnets);
            event(ctx, SubtensorEvent::SubnetLimitSet(max_subnets));
        }
        Call::SudoSetLockReductionInterval { interval } => {
            origin.ensure_root()?;
            st::NetworkLockReductionInterval::put(ctx.state, &interval);
            event(ctx, SubtensorEvent::NetworkLockCostReductionIntervalSet(interval));
        }
        Call::SudoSetRaoRecycled { netuid, rao_recycled } => {
            root_preamble(ctx, origin, netuid, false, true)?;
            st::RAORecycledForRegistration::insert(ctx.state, &netuid, &rao_recycled);
            event(ctx, SubtensorEvent::RAORecycledForRegistrationSet(netuid, rao_recycled));
        }
        Call::SudoSetStakeThreshold { min_stake } => {
            origin.ensure_root()?;
            st::StakeThreshold::put(ctx.state, &min_stake);
            event(ctx, SubtensorEvent::StakeThresholdSet(min_stake));
        }
        Call::SudoSetNominatorMinRequiredStake { min_stake } => {
            origin.ensure_root()?;
            let previous = st::NominatorMinRequiredStake::get(ctx.state);
            st::NominatorMinRequiredStake::put(ctx.state, &min_stake);
            if min_stake > previous {
                // Ascending key order (deterministic), positions collected first.
                let positions: Vec<(AccountId32, AccountId32, NetUid)> = st::Alpha::iter(ctx.state)
                    .map(|(hot, cold, netuid, _)| (hot, cold, netuid))
                    .collect();
                for (hot, cold, netuid) in positions {
                    staking::clear_small_nomination(ctx, &cold, &hot, netuid);
                }
            }
        }
        Call::SudoSetTxDelegateTakeRateLimit { tx_rate_limit } => {
            origin.ensure_root()?;
            st::TxDelegateTakeRateLimit::put(ctx.state, &tx_rate_limit);
            event(ctx, SubtensorEvent::TxDelegateTakeRateLimitSet(tx_rate_limit));
        }
        Call::SudoSetMinDelegateTake { take } => {
            origin.ensure_root()?;
            st::MinDelegateTake::put(ctx.state, &take);
            event(ctx, SubtensorEvent::MinDelegateTakeSet(take));
        }
        Call::SudoSetCommitRevealWeightsEnabled { netuid, enabled } => {
            owner_set(
                ctx,
                origin,
                netuid,
                H::CommitRevealEnabled,
                |_| ok(),
                |ctx| {
                    st::CommitRevealWeightsEnabled::insert(ctx.state, &netuid, &enabled);
                    event(ctx, SubtensorEvent::CommitRevealEnabled(netuid, enabled));
                    ok()
                },
            )?;
        }
        Call::SudoSetLiquidAlphaEnabled { netuid, enabled } => {
            let owner = owner_preamble(ctx, origin, netuid, hp(H::LiquidAlphaEnabled))?;
            st::LiquidAlphaOn::insert(ctx.state, &netuid, &enabled);
            record(ctx, owner, netuid, hp(H::LiquidAlphaEnabled));
        }
        Call::SudoSetAlphaValues { netuid, alpha_low, alpha_high } => {
            let owner = owner_preamble(ctx, origin, netuid, hp(H::AlphaValues))?;
            // subtensor's `do_set_alpha_values`.
            ensure_subnet_owner_or_root(ctx.state, origin, netuid)?;
            ensure(
                st::LiquidAlphaOn::get(ctx.state, &netuid),
                SubtensorError::LiquidAlphaDisabled,
            )?;
            ensure(alpha_high >= MIN_ALPHA_VALUE, SubtensorError::AlphaHighTooLow)?;
            ensure(
                alpha_low >= MIN_ALPHA_VALUE && alpha_low <= alpha_high,
                SubtensorError::AlphaLowOutOfRange,
            )?;
            st::AlphaValues::insert(ctx.state, &netuid, &(alpha_low, alpha_high));
            record(ctx, owner, netuid, hp(H::AlphaValues));
        }
        Call::SudoSetCommitRevealWeightsInterval { netuid, interval } => {
            let check = |_: &DispatchContext<'_>| {
                ensure(
                    interval <= *REVEAL_PERIOD_EPOCHS.end(),
                    SubtensorError::RevealPeriodTooLarge,
                )?;
                ensure(
                    interval >= *REVEAL_PERIOD_EPOCHS.start(),
                    SubtensorError::RevealPeriodTooSmall,
                )
            };
            owner_set(ctx, origin, netuid, H::WeightCommitInterval, check, |ctx| {
                st::RevealPeriodEpochs::insert(ctx.state, &netuid, &interval);
                event(ctx, SubtensorEvent::CommitRevealPeriodsSet(netuid, interval));
                ok()
            })?;
        }
        Call::SudoSetBondsPenalty { netuid, bonds_penalty } => {
            owner_set(
                ctx,
                origin,
                netuid,
                H::BondsPenalty,
                |_| ok(),
                |ctx| {
                    st::BondsPenalty::insert(ctx.state, &netuid, &bonds_penalty);
                    event(ctx, SubtensorEvent::BondsPenaltySet(netuid, bonds_penalty));
                    ok()
                },
            )?;
        }
        Call::SudoSetToggleTransfer { netuid, toggle } => {
            let owner = owner_preamble(ctx, origin, netuid, hp(H::TransferEnabled))?;
            st::TransferToggle::insert(ctx.state, &netuid, &toggle);
            event(ctx, SubtensorEvent::TransferToggle(netuid, toggle));
            record(ctx, owner, netuid, hp(H::TransferEnabled));
        }
        Call::SudoToggleEvmPrecompile { precompile_id, enabled } => {
            origin.ensure_root()?;
            if PrecompileEnable::get(ctx.state, &precompile_id) != enabled {
                PrecompileEnable::insert(ctx.state, &precompile_id, &enabled);
                deposit_event(ctx, Event::PrecompileUpdated { precompile_id, enabled });
            }
        }
        Call::SudoSetSubnetMovingAlpha { alpha } => {
            origin.ensure_root()?;
            // Stored as the same 16 bytes of `I96F32` bits.
            st::SubnetMovingAlpha::put(ctx.state, &u128::from_le_bytes(alpha.to_le_bytes()));
        }
        Call::SudoSetSubnetOwnerHotkey { netuid, hotkey }
        | Call::SudoSetSnOwnerHotkey { netuid, hotkey } => {
            // subtensor's `do_set_sn_owner_hotkey`: rate-limited for root too.
            ensure_subnet_owner_or_root(ctx.state, origin, netuid)?;
            subtensor::ensure_subnet_exists(ctx.state, netuid)?;
            let key = RateLimitKey::SetSNOwnerHotkey(netuid);
            let now = current_block(ctx.state);
            let last = rate_limit::last_block(ctx.state, &key);
            ensure(
                passes(last, now, SET_SN_OWNER_HOTKEY_RATE_LIMIT),
                SubtensorError::TxRateLimitExceeded,
            )?;
            rate_limit::set_last_block(ctx.state, &key, now);
            ensure(!is_subnet_account(ctx.state, &hotkey), SubtensorError::CannotUseSystemAccount)?;
            st::SubnetOwnerHotkey::insert(ctx.state, &netuid, &hotkey);
            event(ctx, SubtensorEvent::SubnetOwnerHotkeySet(netuid, hotkey));
        }
        Call::SudoSetEmaPriceHalvingPeriod { netuid, ema_halving } => {
            origin.ensure_root()?;
            st::EMAPriceHalvingBlocks::insert(ctx.state, &netuid, &ema_halving);
        }
        Call::SudoSetSubtokenEnabled { netuid, subtoken_enabled } => {
            root_preamble(ctx, origin, netuid, true, false)?;
            st::SubtokenEnabled::insert(ctx.state, &netuid, &subtoken_enabled);
        }
        Call::SudoSetAlphaSigmoidSteepness { netuid, steepness } => {
            let check = |_: &DispatchContext<'_>| {
                ensure(*origin == Origin::Root || steepness >= 0, Error::NegativeSigmoidSteepness)
            };
            owner_set(ctx, origin, netuid, H::AlphaSigmoidSteepness, check, |ctx| {
                st::AlphaSigmoidSteepness::insert(ctx.state, &netuid, &steepness);
                ok()
            })?;
        }
        Call::SudoSetYuma3Enabled { netuid, enabled } => {
            let owner = owner_preamble(ctx, origin, netuid, hp(H::Yuma3Enabled))?;
            st::Yuma3On::insert(ctx.state, &netuid, &enabled);
            deposit_event(ctx, Event::Yuma3EnableToggled { netuid, enabled });
            record(ctx, owner, netuid, hp(H::Yuma3Enabled));
        }
        Call::SudoSetBondsResetEnabled { netuid, enabled } => {
            let owner = owner_preamble(ctx, origin, netuid, hp(H::BondsResetEnabled))?;
            st::BondsResetOn::insert(ctx.state, &netuid, &enabled);
            event(ctx, SubtensorEvent::BondsResetOnSet(netuid, enabled));
            deposit_event(ctx, Event::BondsResetToggled { netuid, enabled });
            record(ctx, owner, netuid, hp(H::BondsResetEnabled));
        }
        Call::SudoSetCommitRevealVersion { version } => {
            origin.ensure_root()?;
            st::CommitRevealWeightsVersion::put(ctx.state, &version);
            event(ctx, SubtensorEvent::CommitRevealVersionSet(version));
        }
        Call::SudoSetOwnerImmuneNeuronLimit { netuid, immune_neurons } => {
            let owner = owner_preamble(ctx, origin, netuid, hp(H::ImmuneNeuronLimit))?;
            ensure(
                IMMUNE_OWNER_UIDS_LIMIT.contains(&immune_neurons),
                SubtensorError::InvalidValue,
            )?;
            st::ImmuneOwnerUidsLimit::insert(ctx.state, &netuid, &immune_neurons);
            record(ctx, owner, netuid, hp(H::ImmuneNeuronLimit));
        }
        Call::SudoSetAdminFreezeWindow { window } => {
            origin.ensure_root()?;
            st::AdminFreezeWindow::put(ctx.state, &window);
            event(ctx, SubtensorEvent::AdminFreezeWindowSet(window));
        }
        Call::SudoSetOwnerHparamRateLimit { epochs } => {
            origin.ensure_root()?;
            st::OwnerHyperparamRateLimit::put(ctx.state, &epochs);
            event(ctx, SubtensorEvent::OwnerHyperparamRateLimitSet(epochs));
        }
        Call::SudoSetMinAllowedUids { netuid, min_allowed_uids } => {
            root_preamble(ctx, origin, netuid, true, true)?;
            ensure(
                min_allowed_uids < st::MaxAllowedUids::get(ctx.state, &netuid),
                Error::MinAllowedUidsGreaterThanMaxAllowedUids,
            )?;
            ensure(
                min_allowed_uids < st::SubnetworkN::get(ctx.state, &netuid),
                Error::MinAllowedUidsGreaterThanCurrentUids,
            )?;
            st::MinAllowedUids::insert(ctx.state, &netuid, &min_allowed_uids);
            event(ctx, SubtensorEvent::MinAllowedUidsSet(netuid, min_allowed_uids));
        }
        Call::SudoSetRecycleOrBurn { netuid, recycle_or_burn } => {
            let owner = owner_preamble(ctx, origin, netuid, hp(H::RecycleOrBurn))?;
            st::RecycleOrBurnOf::insert(ctx.state, &netuid, &recycle_or_burn);
            record(ctx, owner, netuid, hp(H::RecycleOrBurn));
        }
        Call::SudoSetMinNonImmuneUids { netuid, min } => {
            origin.ensure_root()?;
            st::MinNonImmuneUids::insert(ctx.state, &netuid, &min);
            event(ctx, SubtensorEvent::MinNonImmuneUidsSet(netuid, min));
        }
        Call::SudoSetStartCallDelay { delay } => {
            origin.ensure_root()?;
            st::StartCallDelay::put(ctx.state, &delay);
            event(ctx, SubtensorEvent::StartCallDelaySet(delay));
        }
        Call::SudoSetBurnHalfLife { netuid, burn_half_life } => {
            let check = |_: &DispatchContext<'_>| {
                ensure(netuid != ROOT, Error::NotPermittedOnRootSubnet)?;
                ensure(
                    burn_half_life > 0 && burn_half_life <= MAX_BURN_HALF_LIFE,
                    Error::InvalidValue,
                )
            };
            owner_set(ctx, origin, netuid, H::BurnHalfLife, check, |ctx| {
                st::BurnHalfLife::insert(ctx.state, &netuid, &burn_half_life);
                deposit_event(ctx, Event::BurnHalfLifeSet { netuid, burn_half_life });
                ok()
            })?;
        }
        Call::SudoSetBurnIncreaseMult { netuid, burn_increase_mult } => {
            let check = |_: &DispatchContext<'_>| {
                ensure(netuid != ROOT, Error::NotPermittedOnRootSubnet)?;
                ensure(
                    (U64F64_ONE..=U64F64_ONE.saturating_mul(3)).contains(&burn_increase_mult),
                    Error::InvalidValue,
                )
            };
            owner_set(ctx, origin, netuid, H::BurnIncreaseMult, check, |ctx| {
                st::BurnIncreaseMult::insert(ctx.state, &netuid, &burn_increase_mult);
                deposit_event(ctx, Event::BurnIncreaseMultSet { netuid, burn_increase_mult });
                ok()
            })?;
        }
        Call::SudoSetOwnerCutEnabled { netuid, enabled } => {
            // Owner or root, without an owner rate limit.
            ensure_subnet_owner_or_root(ctx.state, origin, netuid)?;
            ensure_admin_window_open(ctx.state, netuid)?;
            ensure_exists(ctx.state, netuid)?;
            ensure(netuid != ROOT, Error::NotPermittedOnRootSubnet)?;
            st::OwnerCutEnabled::insert(ctx.state, &netuid, &enabled);
        }
        Call::SudoSetSubnetEmissionEnabled { netuid, enabled } => {
            root_preamble(ctx, origin, netuid, false, true)?;
            ensure(netuid != ROOT, Error::NotPermittedOnRootSubnet)?;
            st::SubnetEmissionEnabled::insert(ctx.state, &netuid, &enabled);
            deposit_event(ctx, Event::SubnetEmissionEnabledSet { netuid, enabled });
        }
        Call::SudoSetMaxEpochsPerBlock { max_epochs_per_block } => {
            origin.ensure_root()?;
            ensure(max_epochs_per_block >= 1, Error::ValueNotInBounds)?;
            st::MaxEpochsPerBlock::put(ctx.state, &max_epochs_per_block);
            event(ctx, SubtensorEvent::MaxEpochsPerBlockSet(max_epochs_per_block));
        }
    }
    Ok(())
}
