//! `SubnetInfoRuntimeApi`: subnet parameters (`SubnetInfo`, `SubnetInfov2`,
//! `SubnetHyperparams`, `SubnetHyperparamsV2`, and V3's named entries).
//!
//! Wire format: each struct encodes exactly as subtensor's of the same name. Fixed-point
//! fields are raw bits: `alpha_sigmoid_steepness` is `I32F32` (8 bytes), `burn_increase_mult`
//! `U64F64` (16 bytes).
//!
//! What the calls do, and where this deviates from subtensor: `rustensor_runtime::pallets::subtensor::runtime_api::hyperparams`.

use crate::pallets::subtensor::types::SubnetIdentityV3;
use parity_scale_codec::{Compact, Decode, Encode};
use rustensor_primitives::{AccountId32, NetUid};
/// `SubnetInfo` (v1): the basic parameters of a subnet.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct SubnetInfo {
    /// The subnet.
    pub netuid: Compact<NetUid>,
    /// `Rho`.
    pub rho: Compact<u16>,
    /// `Kappa`.
    pub kappa: Compact<u16>,
    /// PoW difficulty.
    pub difficulty: Compact<u64>,
    /// `ImmunityPeriod`.
    pub immunity_period: Compact<u16>,
    /// `MaxAllowedValidators`.
    pub max_allowed_validators: Compact<u16>,
    /// `MinAllowedWeights`.
    pub min_allowed_weights: Compact<u16>,
    /// `MaxWeightsLimit`.
    pub max_weights_limit: Compact<u16>,
    /// `ScalingLawPower` (default 50).
    pub scaling_law_power: Compact<u16>,
    /// Number of uids.
    pub subnetwork_n: Compact<u16>,
    /// `MaxAllowedUids`.
    pub max_allowed_uids: Compact<u16>,
    /// `BlocksSinceLastStep`.
    pub blocks_since_last_step: Compact<u64>,
    /// `Tempo`.
    pub tempo: Compact<u16>,
    /// Deprecated: 0.
    pub network_modality: Compact<u16>,
    /// Deprecated: empty.
    pub network_connect: Vec<[u16; 2]>,
    /// Deprecated: 0.
    pub emission_values: Compact<u64>,
    /// Current burn (RAO).
    pub burn: Compact<u64>,
    /// The owner's coldkey.
    pub owner: AccountId32,
}

/// `SubnetInfov2`: [`SubnetInfo`] plus the subnet identity.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct SubnetInfov2 {
    /// The subnet.
    pub netuid: Compact<NetUid>,
    /// `Rho`.
    pub rho: Compact<u16>,
    /// `Kappa`.
    pub kappa: Compact<u16>,
    /// PoW difficulty.
    pub difficulty: Compact<u64>,
    /// `ImmunityPeriod`.
    pub immunity_period: Compact<u16>,
    /// `MaxAllowedValidators`.
    pub max_allowed_validators: Compact<u16>,
    /// `MinAllowedWeights`.
    pub min_allowed_weights: Compact<u16>,
    /// `MaxWeightsLimit`.
    pub max_weights_limit: Compact<u16>,
    /// `ScalingLawPower` (default 50).
    pub scaling_law_power: Compact<u16>,
    /// Number of uids.
    pub subnetwork_n: Compact<u16>,
    /// `MaxAllowedUids`.
    pub max_allowed_uids: Compact<u16>,
    /// `BlocksSinceLastStep`.
    pub blocks_since_last_step: Compact<u64>,
    /// `Tempo`.
    pub tempo: Compact<u16>,
    /// Deprecated: 0.
    pub network_modality: Compact<u16>,
    /// Deprecated: empty.
    pub network_connect: Vec<[u16; 2]>,
    /// Deprecated: 0.
    pub emission_value: Compact<u64>,
    /// Current burn (RAO).
    pub burn: Compact<u64>,
    /// The owner's coldkey.
    pub owner: AccountId32,
    /// The subnet identity, if set.
    pub identity: Option<SubnetIdentityV3>,
}

/// `SubnetHyperparams` (v1).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct SubnetHyperparams {
    /// `Rho`.
    pub rho: Compact<u16>,
    /// `Kappa`.
    pub kappa: Compact<u16>,
    /// `ImmunityPeriod`.
    pub immunity_period: Compact<u16>,
    /// `MinAllowedWeights`.
    pub min_allowed_weights: Compact<u16>,
    /// `MaxWeightsLimit`.
    pub max_weights_limit: Compact<u16>,
    /// `Tempo`.
    pub tempo: Compact<u16>,
    /// `MinDifficulty`.
    pub min_difficulty: Compact<u64>,
    /// `MaxDifficulty`.
    pub max_difficulty: Compact<u64>,
    /// `WeightsVersionKey`.
    pub weights_version: Compact<u64>,
    /// `WeightsSetRateLimit`.
    pub weights_rate_limit: Compact<u64>,
    /// `AdjustmentInterval`.
    pub adjustment_interval: Compact<u16>,
    /// Activity cutoff in blocks (`ActivityCutoffFactorMilli × Tempo / 1000`, at least 1).
    pub activity_cutoff: Compact<u64>,
    /// `NetworkRegistrationAllowed`.
    pub registration_allowed: bool,
    /// `TargetRegistrationsPerInterval`.
    pub target_regs_per_interval: Compact<u16>,
    /// `MinBurn`.
    pub min_burn: Compact<u64>,
    /// `MaxBurn`.
    pub max_burn: Compact<u64>,
    /// `BondsMovingAverage`.
    pub bonds_moving_avg: Compact<u64>,
    /// `MaxRegistrationsPerBlock`.
    pub max_regs_per_block: Compact<u16>,
    /// `ServingRateLimit`.
    pub serving_rate_limit: Compact<u64>,
    /// `MaxAllowedValidators`.
    pub max_validators: Compact<u16>,
    /// `AdjustmentAlpha`.
    pub adjustment_alpha: Compact<u64>,
    /// `Difficulty`.
    pub difficulty: Compact<u64>,
    /// `RevealPeriodEpochs`.
    pub commit_reveal_period: Compact<u64>,
    /// `CommitRevealWeightsEnabled`.
    pub commit_reveal_weights_enabled: bool,
    /// High liquid-alpha bound.
    pub alpha_high: Compact<u16>,
    /// Low liquid-alpha bound.
    pub alpha_low: Compact<u16>,
    /// `LiquidAlphaOn`.
    pub liquid_alpha_enabled: bool,
}

/// `SubnetHyperparamsV2`: [`SubnetHyperparams`] plus the newer switches.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct SubnetHyperparamsV2 {
    /// `Rho`.
    pub rho: Compact<u16>,
    /// `Kappa`.
    pub kappa: Compact<u16>,
    /// `ImmunityPeriod`.
    pub immunity_period: Compact<u16>,
    /// `MinAllowedWeights`.
    pub min_allowed_weights: Compact<u16>,
    /// `MaxWeightsLimit`.
    pub max_weights_limit: Compact<u16>,
    /// `Tempo`.
    pub tempo: Compact<u16>,
    /// `MinDifficulty`.
    pub min_difficulty: Compact<u64>,
    /// `MaxDifficulty`.
    pub max_difficulty: Compact<u64>,
    /// `WeightsVersionKey`.
    pub weights_version: Compact<u64>,
    /// `WeightsSetRateLimit`.
    pub weights_rate_limit: Compact<u64>,
    /// `AdjustmentInterval`.
    pub adjustment_interval: Compact<u16>,
    /// Activity cutoff in blocks (`ActivityCutoffFactorMilli × Tempo / 1000`, at least 1).
    pub activity_cutoff: Compact<u64>,
    /// `NetworkRegistrationAllowed`.
    pub registration_allowed: bool,
    /// `TargetRegistrationsPerInterval`.
    pub target_regs_per_interval: Compact<u16>,
    /// `MinBurn`.
    pub min_burn: Compact<u64>,
    /// `MaxBurn`.
    pub max_burn: Compact<u64>,
    /// `BondsMovingAverage`.
    pub bonds_moving_avg: Compact<u64>,
    /// `MaxRegistrationsPerBlock`.
    pub max_regs_per_block: Compact<u16>,
    /// `ServingRateLimit`.
    pub serving_rate_limit: Compact<u64>,
    /// `MaxAllowedValidators`.
    pub max_validators: Compact<u16>,
    /// `AdjustmentAlpha`.
    pub adjustment_alpha: Compact<u64>,
    /// `Difficulty`.
    pub difficulty: Compact<u64>,
    /// `RevealPeriodEpochs`.
    pub commit_reveal_period: Compact<u64>,
    /// `CommitRevealWeightsEnabled`.
    pub commit_reveal_weights_enabled: bool,
    /// High liquid-alpha bound.
    pub alpha_high: Compact<u16>,
    /// Low liquid-alpha bound.
    pub alpha_low: Compact<u16>,
    /// `LiquidAlphaOn`.
    pub liquid_alpha_enabled: bool,
    /// `AlphaSigmoidSteepness` as `I32F32` bits.
    pub alpha_sigmoid_steepness: i64,
    /// 3 with `Yuma3On`, else 2.
    pub yuma_version: Compact<u16>,
    /// `SubtokenEnabled`.
    pub subnet_is_active: bool,
    /// `TransferToggle`.
    pub transfers_enabled: bool,
    /// `BondsResetOn`.
    pub bonds_reset_enabled: bool,
    /// Always false (no user liquidity).
    pub user_liquidity_enabled: bool,
}

/// `HyperparamValue`: the typed value of one V3 entry (variant order is the wire tag).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum HyperparamValue {
    /// A flag.
    Bool(bool),
    /// A `u16`.
    U16(Compact<u16>),
    /// A `u32`.
    U32(Compact<u32>),
    /// A `u64`.
    U64(Compact<u64>),
    /// A `u128`.
    U128(Compact<u128>),
    /// An amount of TAO in RAO.
    TaoBalance(Compact<u64>),
    /// `I32F32` bits.
    I32F32(i64),
    /// `U64F64` bits.
    U64F64(u128),
}

/// `HyperparamEntry`: one named V3 hyperparameter.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct HyperparamEntry {
    /// ASCII name (the V2 field name).
    pub name: Vec<u8>,
    /// Its value.
    pub value: HyperparamValue,
}

/// `SubnetHyperparamsV3`: a list of named entries.
pub type SubnetHyperparamsV3 = Vec<HyperparamEntry>;
