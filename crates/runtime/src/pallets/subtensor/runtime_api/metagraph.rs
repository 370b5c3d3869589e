//! `SubnetInfoRuntimeApi`: the whole metagraph of a subnet (`Metagraph`), its mechanism view
//! (`get_mechagraph`) and the per-uid vectors of `get_subnet_state` (`SubnetState`).
//!
//! The wire half (its calls, events, errors, storage items and structs) is
//! `rustensor_runtime_types::pallets::subtensor::runtime_api::metagraph`, re-exported here.
//!
//! # Deviations
//!
//! - Deprecated vectors are empty (`pruning_score`, `trust`, `rank`) and deprecated scalars 0
//!   (`subnet_emission`, `pending_root_emission`, `tao_dividends_per_hotkey` amounts), as
//!   subtensor reports them.
//! - No childkeys: a hotkey's inherited stake is its own stake.
//! - `SubnetState.emission_history` reads `LastHotkeyEmissionOnNetuid`, which we do not keep:
//!   one row of zeros per subnet.
//! - Mechanism 0 only.

use super::hyperparams::activity_cutoff_blocks;
use super::{compact_bytes, subnet_name};
use crate::pallets::subtensor::storage::*;
use crate::pallets::subtensor::{ROOT, current_block, netuids, subnet_exists};
use crate::storage::KvRead;
use parity_scale_codec::Compact;
use rustensor_primitives::{AccountId32, NetUid};
pub use rustensor_runtime_types::pallets::subtensor::runtime_api::metagraph::*;

/// Per-uid stake as subtensor's `get_stake_weights_for_network` reports it, truncated to
/// integers: `(total, alpha, tao)` with `total = alpha + tao × w`, where `w` is `TaoWeight`
/// as a fraction of `u64::MAX` truncated to 32 fractional bits (`U96F32`), and every value
/// saturates at `i64::MAX` (`I64F64`).
pub fn stake_weights(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
) -> (Vec<u64>, Vec<u64>, Vec<u64>) {
    const I64F64_MAX_INT: u64 = i64::MAX as u64;
    let weight_q32: u128 =
        (u128::from(TaoWeight::get(state)) << 32).checked_div(u128::from(u64::MAX)).unwrap_or(0);
    let n = SubnetworkN::get(state, &netuid);
    let mut total = Vec::with_capacity(usize::from(n));
    let mut alpha = Vec::with_capacity(usize::from(n));
    let mut tao = Vec::with_capacity(usize::from(n));
    for uid in 0..n {
        let (a, t) = match Keys::try_get(state, &netuid, &uid) {
            Some(hotkey) => (
                TotalHotkeyAlpha::get(state, &hotkey, &netuid).min(I64F64_MAX_INT),
                TotalHotkeyAlpha::get(state, &hotkey, &ROOT).min(I64F64_MAX_INT),
            ),
            None => (0, 0),
        };
        let weighted = (u128::from(t).saturating_mul(weight_q32) >> 32).min(u128::from(u64::MAX));
        let weighted = u64::try_from(weighted).unwrap_or(u64::MAX);
        total.push(a.saturating_add(weighted).min(I64F64_MAX_INT));
        alpha.push(a);
        tao.push(t);
    }
    (total, alpha, tao)
}

/// Values as compacts.
fn compacts<T: Copy>(values: Vec<T>) -> Vec<Compact<T>> {
    values.into_iter().map(Compact).collect()
}

/// `get_metagraph`: the metagraph of `netuid`, `None` if it does not exist.
pub fn get_metagraph(state: &(impl KvRead + ?Sized), netuid: NetUid) -> Option<Metagraph> {
    if !subnet_exists(state, netuid) {
        return None;
    }
    let n = SubnetworkN::get(state, &netuid);
    let hotkeys: Vec<AccountId32> = (0..n).map(|uid| Keys::get(state, &netuid, &uid)).collect();
    let coldkeys: Vec<AccountId32> = hotkeys.iter().map(|h| Owner::get(state, h)).collect();
    let identities = coldkeys.iter().map(|c| IdentitiesV2::get(state, c)).collect();
    let axons = hotkeys.iter().map(|h| Axons::get(state, &netuid, h).unwrap_or_default()).collect();
    let block_at_registration =
        (0..n).map(|uid| Compact(BlockAtRegistration::get(state, &netuid, &uid))).collect();
    let tao_dividends_per_hotkey = hotkeys.iter().map(|h| (*h, Compact(0))).collect();
    let alpha_dividends_per_hotkey = hotkeys
        .iter()
        .map(|h| (*h, Compact(AlphaDividendsPerSubnet::get(state, &netuid, h))))
        .collect();
    let (total_stake, alpha_stake, tao_stake) = stake_weights(state, netuid);
    let now = current_block(state);
    let last_step = LastMechansimStepBlock::get(state, &netuid);
    let (alpha_low, alpha_high) = AlphaValues::get(state, &netuid);
    Some(Metagraph {
        netuid: Compact(netuid),
        name: compact_bytes(&subnet_name(state, netuid)),
        symbol: compact_bytes(&TokenSymbol::get(state, &netuid)),
        identity: SubnetIdentitiesV3::get(state, &netuid),
        network_registered_at: Compact(NetworkRegisteredAt::get(state, &netuid)),
        owner_hotkey: SubnetOwnerHotkey::get(state, &netuid),
        owner_coldkey: SubnetOwner::get(state, &netuid),
        block: Compact(now),
        tempo: Compact(Tempo::get(state, &netuid)),
        last_step: Compact(last_step),
        blocks_since_last_step: Compact(now.saturating_sub(last_step)),
        subnet_emission: Compact(0),
        alpha_in: Compact(SubnetAlphaIn::get(state, &netuid)),
        alpha_out: Compact(SubnetAlphaOut::get(state, &netuid)),
        tao_in: Compact(SubnetTAO::get(state, &netuid)),
        alpha_out_emission: Compact(SubnetAlphaOutEmission::get(state, &netuid)),
        alpha_in_emission: Compact(SubnetAlphaInEmission::get(state, &netuid)),
        tao_in_emission: Compact(SubnetTaoInEmission::get(state, &netuid)),
        pending_alpha_emission: Compact(
            PendingValidatorEmission::get(state, &netuid)
                .saturating_add(PendingServerEmission::get(state, &netuid)),
        ),
        pending_root_emission: Compact(0),
        subnet_volume: Compact(SubnetVolume::get(state, &netuid)),
        moving_price: SubnetMovingPrice::get(state, &netuid),
        rho: Compact(Rho::get(state, &netuid)),
        kappa: Compact(Kappa::get(state, &netuid)),
        min_allowed_weights: Compact(MinAllowedWeights::get(state, &netuid)),
        max_weights_limit: Compact(MaxWeightsLimit::get(state, &netuid)),
        weights_version: Compact(WeightsVersionKey::get(state, &netuid)),
        weights_rate_limit: Compact(WeightsSetRateLimit::get(state, &netuid)),
        activity_cutoff: Compact(activity_cutoff_blocks(state, netuid)),
        max_validators: Compact(MaxAllowedValidators::get(state, &netuid)),
        num_uids: Compact(n),
        max_uids: Compact(MaxAllowedUids::get(state, &netuid)),
        burn: Compact(Burn::get(state, &netuid)),
        difficulty: Compact(Difficulty::get(state, &netuid)),
        registration_allowed: NetworkRegistrationAllowed::get(state, &netuid),
        pow_registration_allowed: NetworkPowRegistrationAllowed::get(state, &netuid),
        immunity_period: Compact(ImmunityPeriod::get(state, &netuid)),
        min_difficulty: Compact(MinDifficulty::get(state, &netuid)),
        max_difficulty: Compact(MaxDifficulty::get(state, &netuid)),
        min_burn: Compact(MinBurn::get(state, &netuid)),
        max_burn: Compact(MaxBurn::get(state, &netuid)),
        adjustment_alpha: Compact(AdjustmentAlpha::get(state, &netuid)),
        adjustment_interval: Compact(AdjustmentInterval::get(state, &netuid)),
        target_regs_per_interval: Compact(TargetRegistrationsPerInterval::get(state, &netuid)),
        max_regs_per_block: Compact(MaxRegistrationsPerBlock::get(state, &netuid)),
        serving_rate_limit: Compact(ServingRateLimit::get(state, &netuid)),
        commit_reveal_weights_enabled: CommitRevealWeightsEnabled::get(state, &netuid),
        commit_reveal_period: Compact(RevealPeriodEpochs::get(state, &netuid)),
        liquid_alpha_enabled: LiquidAlphaOn::get(state, &netuid),
        alpha_high: Compact(alpha_high),
        alpha_low: Compact(alpha_low),
        bonds_moving_avg: Compact(BondsMovingAverage::get(state, &netuid)),
        hotkeys,
        coldkeys,
        identities,
        axons,
        active: Active::get(state, &netuid),
        validator_permit: ValidatorPermit::get(state, &netuid),
        pruning_score: Vec::new(),
        last_update: compacts(LastUpdate::get(state, &netuid.0)),
        emission: compacts(Emission::get(state, &netuid)),
        dividends: compacts(Dividends::get(state, &netuid)),
        incentives: compacts(Incentive::get(state, &netuid.0)),
        consensus: compacts(Consensus::get(state, &netuid)),
        trust: Vec::new(),
        rank: Vec::new(),
        block_at_registration,
        alpha_stake: compacts(alpha_stake),
        tao_stake: compacts(tao_stake),
        total_stake: compacts(total_stake),
        tao_dividends_per_hotkey,
        alpha_dividends_per_hotkey,
    })
}

/// `get_all_metagraphs`: [`get_metagraph`] of every subnet in ascending netuid order.
pub fn get_all_metagraphs(state: &(impl KvRead + ?Sized)) -> Vec<Option<Metagraph>> {
    netuids(state).into_iter().map(|n| get_metagraph(state, n)).collect()
}

/// `get_mechagraph`: mechanism 0 is the metagraph; other mechanisms do not exist.
pub fn get_mechagraph(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
    mecid: u8,
) -> Option<Metagraph> {
    if mecid == 0 { get_metagraph(state, netuid) } else { None }
}

/// `get_subnet_state`: the per-uid vectors of `netuid`, `None` if it does not exist.
pub fn get_subnet_state(state: &(impl KvRead + ?Sized), netuid: NetUid) -> Option<SubnetState> {
    if !subnet_exists(state, netuid) {
        return None;
    }
    let n = SubnetworkN::get(state, &netuid);
    let hotkeys: Vec<AccountId32> = (0..n).map(|uid| Keys::get(state, &netuid, &uid)).collect();
    let coldkeys = hotkeys.iter().map(|h| Owner::get(state, h)).collect();
    let block_at_registration =
        (0..n).map(|uid| Compact(BlockAtRegistration::get(state, &netuid, &uid))).collect();
    let (total_stake, alpha_stake, tao_stake) = stake_weights(state, netuid);
    let emission_history =
        netuids(state).iter().map(|_| hotkeys.iter().map(|_| Compact(0)).collect()).collect();
    Some(SubnetState {
        netuid: Compact(netuid),
        hotkeys,
        coldkeys,
        active: Active::get(state, &netuid),
        validator_permit: ValidatorPermit::get(state, &netuid),
        pruning_score: Vec::new(),
        last_update: compacts(LastUpdate::get(state, &netuid.0)),
        emission: compacts(Emission::get(state, &netuid)),
        dividends: compacts(Dividends::get(state, &netuid)),
        incentives: compacts(Incentive::get(state, &netuid.0)),
        consensus: compacts(Consensus::get(state, &netuid)),
        trust: Vec::new(),
        rank: Vec::new(),
        block_at_registration,
        alpha_stake: compacts(alpha_stake),
        tao_stake: compacts(tao_stake),
        total_stake: compacts(total_stake),
        emission_history,
    })
}
