//! `SubnetInfoRuntimeApi`: subnet parameters (`SubnetInfo`, `SubnetInfov2`,
//! `SubnetHyperparams`, `SubnetHyperparamsV2`, and V3's named entries).
//!
//! The wire half (its calls, events, errors, storage items and structs) is
//! `rustensor_runtime_types::pallets::subtensor::runtime_api::hyperparams`, re-exported here.
//!
//! # Deviations
//!
//! Items our state does not keep read as subtensor's defaults for a fresh chain:
//! `scaling_law_power` 50 (`ScalingLawPower`), `owner_cut_auto_lock_enabled` false,
//! `min_childkey_take` 0 (no childkeys), `user_liquidity_enabled` false (as subtensor);
//! `network_modality`, `network_connect` and `emission_value(s)` are the deprecated zeros
//! subtensor reports.

use crate::pallets::subtensor::storage::*;
use crate::pallets::subtensor::{netuids, subnet_exists};
use crate::storage::KvRead;
use parity_scale_codec::Compact;
use rustensor_primitives::NetUid;
pub use rustensor_runtime_types::pallets::subtensor::runtime_api::hyperparams::*;

/// `ScalingLawPower` default (not kept in our state).
use crate::pallets::subtensor::storage::SCALING_LAW_POWER;

/// Activity cutoff in blocks as subtensor derives it (`get_activity_cutoff_blocks`).
pub fn activity_cutoff_blocks(state: &(impl KvRead + ?Sized), netuid: NetUid) -> u64 {
    u64::from(ActivityCutoffFactorMilli::get(state, &netuid))
        .saturating_mul(u64::from(Tempo::get(state, &netuid)))
        .checked_div(1000)
        .unwrap_or(0)
        .max(1)
}

/// `AlphaSigmoidSteepness` as `I32F32` bits.
fn sigmoid_steepness_bits(state: &(impl KvRead + ?Sized), netuid: NetUid) -> i64 {
    i64::from(AlphaSigmoidSteepness::get(state, &netuid)).saturating_mul(1 << 32)
}

/// 3 on Yuma 3 subnets, else 2.
fn yuma_version(state: &(impl KvRead + ?Sized), netuid: NetUid) -> u16 {
    if Yuma3On::get(state, &netuid) { 3 } else { 2 }
}

/// `get_subnet_info_v2`: `None` if the subnet does not exist.
pub fn get_subnet_info_v2(state: &(impl KvRead + ?Sized), netuid: NetUid) -> Option<SubnetInfov2> {
    if !subnet_exists(state, netuid) {
        return None;
    }
    Some(SubnetInfov2 {
        netuid: Compact(netuid),
        rho: Compact(Rho::get(state, &netuid)),
        kappa: Compact(Kappa::get(state, &netuid)),
        difficulty: Compact(Difficulty::get(state, &netuid)),
        immunity_period: Compact(ImmunityPeriod::get(state, &netuid)),
        max_allowed_validators: Compact(MaxAllowedValidators::get(state, &netuid)),
        min_allowed_weights: Compact(MinAllowedWeights::get(state, &netuid)),
        max_weights_limit: Compact(MaxWeightsLimit::get(state, &netuid)),
        scaling_law_power: Compact(SCALING_LAW_POWER),
        subnetwork_n: Compact(SubnetworkN::get(state, &netuid)),
        max_allowed_uids: Compact(MaxAllowedUids::get(state, &netuid)),
        blocks_since_last_step: Compact(BlocksSinceLastStep::get(state, &netuid)),
        tempo: Compact(Tempo::get(state, &netuid)),
        network_modality: Compact(0),
        network_connect: Vec::new(),
        emission_value: Compact(0),
        burn: Compact(Burn::get(state, &netuid)),
        owner: SubnetOwner::get(state, &netuid),
        identity: SubnetIdentitiesV3::get(state, &netuid),
    })
}

/// `get_subnet_info`: `None` if the subnet does not exist.
pub fn get_subnet_info(state: &(impl KvRead + ?Sized), netuid: NetUid) -> Option<SubnetInfo> {
    get_subnet_info_v2(state, netuid).map(|v| SubnetInfo {
        netuid: v.netuid,
        rho: v.rho,
        kappa: v.kappa,
        difficulty: v.difficulty,
        immunity_period: v.immunity_period,
        max_allowed_validators: v.max_allowed_validators,
        min_allowed_weights: v.min_allowed_weights,
        max_weights_limit: v.max_weights_limit,
        scaling_law_power: v.scaling_law_power,
        subnetwork_n: v.subnetwork_n,
        max_allowed_uids: v.max_allowed_uids,
        blocks_since_last_step: v.blocks_since_last_step,
        tempo: v.tempo,
        network_modality: v.network_modality,
        network_connect: v.network_connect,
        emission_values: v.emission_value,
        burn: v.burn,
        owner: v.owner,
    })
}

/// `get_subnets_info`: every subnet in ascending netuid order.
pub fn get_subnets_info(state: &(impl KvRead + ?Sized)) -> Vec<Option<SubnetInfo>> {
    netuids(state).into_iter().map(|n| get_subnet_info(state, n)).collect()
}

/// `get_subnets_info_v2`: every subnet in ascending netuid order.
pub fn get_subnets_info_v2(state: &(impl KvRead + ?Sized)) -> Vec<Option<SubnetInfov2>> {
    netuids(state).into_iter().map(|n| get_subnet_info_v2(state, n)).collect()
}

/// `get_subnet_hyperparams_v2`: `None` if the subnet does not exist.
pub fn get_subnet_hyperparams_v2(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
) -> Option<SubnetHyperparamsV2> {
    if !subnet_exists(state, netuid) {
        return None;
    }
    let (alpha_low, alpha_high) = AlphaValues::get(state, &netuid);
    Some(SubnetHyperparamsV2 {
        rho: Compact(Rho::get(state, &netuid)),
        kappa: Compact(Kappa::get(state, &netuid)),
        immunity_period: Compact(ImmunityPeriod::get(state, &netuid)),
        min_allowed_weights: Compact(MinAllowedWeights::get(state, &netuid)),
        max_weights_limit: Compact(MaxWeightsLimit::get(state, &netuid)),
        tempo: Compact(Tempo::get(state, &netuid)),
        min_difficulty: Compact(MinDifficulty::get(state, &netuid)),
        max_difficulty: Compact(MaxDifficulty::get(state, &netuid)),
        weights_version: Compact(WeightsVersionKey::get(state, &netuid)),
        weights_rate_limit: Compact(WeightsSetRateLimit::get(state, &netuid)),
        adjustment_interval: Compact(AdjustmentInterval::get(state, &netuid)),
        activity_cutoff: Compact(activity_cutoff_blocks(state, netuid)),
        registration_allowed: NetworkRegistrationAllowed::get(state, &netuid),
        target_regs_per_interval: Compact(TargetRegistrationsPerInterval::get(state, &netuid)),
        min_burn: Compact(MinBurn::get(state, &netuid)),
        max_burn: Compact(MaxBurn::get(state, &netuid)),
        bonds_moving_avg: Compact(BondsMovingAverage::get(state, &netuid)),
        max_regs_per_block: Compact(MaxRegistrationsPerBlock::get(state, &netuid)),
        serving_rate_limit: Compact(ServingRateLimit::get(state, &netuid)),
        max_validators: Compact(MaxAllowedValidators::get(state, &netuid)),
        adjustment_alpha: Compact(AdjustmentAlpha::get(state, &netuid)),
        difficulty: Compact(Difficulty::get(state, &netuid)),
        commit_reveal_period: Compact(RevealPeriodEpochs::get(state, &netuid)),
        commit_reveal_weights_enabled: CommitRevealWeightsEnabled::get(state, &netuid),
        alpha_high: Compact(alpha_high),
        alpha_low: Compact(alpha_low),
        liquid_alpha_enabled: LiquidAlphaOn::get(state, &netuid),
        alpha_sigmoid_steepness: sigmoid_steepness_bits(state, netuid),
        yuma_version: Compact(yuma_version(state, netuid)),
        subnet_is_active: SubtokenEnabled::get(state, &netuid),
        transfers_enabled: TransferToggle::get(state, &netuid),
        bonds_reset_enabled: BondsResetOn::get(state, &netuid),
        user_liquidity_enabled: false,
    })
}

/// `get_subnet_hyperparams` (v1): `None` if the subnet does not exist.
pub fn get_subnet_hyperparams(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
) -> Option<SubnetHyperparams> {
    get_subnet_hyperparams_v2(state, netuid).map(|v| SubnetHyperparams {
        rho: v.rho,
        kappa: v.kappa,
        immunity_period: v.immunity_period,
        min_allowed_weights: v.min_allowed_weights,
        max_weights_limit: v.max_weights_limit,
        tempo: v.tempo,
        min_difficulty: v.min_difficulty,
        max_difficulty: v.max_difficulty,
        weights_version: v.weights_version,
        weights_rate_limit: v.weights_rate_limit,
        adjustment_interval: v.adjustment_interval,
        activity_cutoff: v.activity_cutoff,
        registration_allowed: v.registration_allowed,
        target_regs_per_interval: v.target_regs_per_interval,
        min_burn: v.min_burn,
        max_burn: v.max_burn,
        bonds_moving_avg: v.bonds_moving_avg,
        max_regs_per_block: v.max_regs_per_block,
        serving_rate_limit: v.serving_rate_limit,
        max_validators: v.max_validators,
        adjustment_alpha: v.adjustment_alpha,
        difficulty: v.difficulty,
        commit_reveal_period: v.commit_reveal_period,
        commit_reveal_weights_enabled: v.commit_reveal_weights_enabled,
        alpha_high: v.alpha_high,
        alpha_low: v.alpha_low,
        liquid_alpha_enabled: v.liquid_alpha_enabled,
    })
}

/// `get_subnet_hyperparams_v3`: the named entries in subtensor's order; `None` if the subnet
/// does not exist.
pub fn get_subnet_hyperparams_v3(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
) -> Option<SubnetHyperparamsV3> {
    use HyperparamValue::{Bool, I32F32, TaoBalance, U16, U32, U64, U64F64};
    if !subnet_exists(state, netuid) {
        return None;
    }
    let (alpha_low, alpha_high) = AlphaValues::get(state, &netuid);
    let n = &netuid;
    let entries: [(&str, HyperparamValue); 32] = [
        ("kappa", U16(Compact(Kappa::get(state, n)))),
        ("immunity_period", U16(Compact(ImmunityPeriod::get(state, n)))),
        ("min_allowed_weights", U16(Compact(MinAllowedWeights::get(state, n)))),
        ("max_weights_limit", U16(Compact(MaxWeightsLimit::get(state, n)))),
        ("tempo", U16(Compact(Tempo::get(state, n)))),
        ("weights_version", U64(Compact(WeightsVersionKey::get(state, n)))),
        ("weights_rate_limit", U64(Compact(WeightsSetRateLimit::get(state, n)))),
        ("activity_cutoff", U64(Compact(activity_cutoff_blocks(state, netuid)))),
        ("activity_cutoff_factor", U32(Compact(ActivityCutoffFactorMilli::get(state, n)))),
        ("registration_allowed", Bool(NetworkRegistrationAllowed::get(state, n))),
        ("target_regs_per_interval", U16(Compact(TargetRegistrationsPerInterval::get(state, n)))),
        ("min_burn", TaoBalance(Compact(MinBurn::get(state, n)))),
        ("max_burn", TaoBalance(Compact(MaxBurn::get(state, n)))),
        ("burn_half_life", U16(Compact(BurnHalfLife::get(state, n)))),
        ("burn_increase_mult", U64F64(BurnIncreaseMult::get(state, n))),
        ("bonds_moving_avg", U64(Compact(BondsMovingAverage::get(state, n)))),
        ("max_regs_per_block", U16(Compact(MaxRegistrationsPerBlock::get(state, n)))),
        ("serving_rate_limit", U64(Compact(ServingRateLimit::get(state, n)))),
        ("max_validators", U16(Compact(MaxAllowedValidators::get(state, n)))),
        ("commit_reveal_period", U64(Compact(RevealPeriodEpochs::get(state, n)))),
        ("commit_reveal_weights_enabled", Bool(CommitRevealWeightsEnabled::get(state, n))),
        ("alpha_high", U16(Compact(alpha_high))),
        ("alpha_low", U16(Compact(alpha_low))),
        ("liquid_alpha_enabled", Bool(LiquidAlphaOn::get(state, n))),
        ("alpha_sigmoid_steepness", I32F32(sigmoid_steepness_bits(state, netuid))),
        ("yuma_version", U16(Compact(yuma_version(state, netuid)))),
        ("subnet_is_active", Bool(SubtokenEnabled::get(state, n))),
        ("transfers_enabled", Bool(TransferToggle::get(state, n))),
        ("bonds_reset_enabled", Bool(BondsResetOn::get(state, n))),
        ("user_liquidity_enabled", Bool(false)),
        ("owner_cut_enabled", Bool(OwnerCutEnabled::get(state, n))),
        ("owner_cut_auto_lock_enabled", Bool(false)),
    ];
    let mut out: SubnetHyperparamsV3 = entries
        .into_iter()
        .map(|(name, value)| HyperparamEntry { name: name.as_bytes().to_vec(), value })
        .collect();
    out.push(HyperparamEntry { name: b"min_childkey_take".to_vec(), value: U16(Compact(0)) });
    Some(out)
}
