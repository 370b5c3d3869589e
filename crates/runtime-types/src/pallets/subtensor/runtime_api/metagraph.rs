//! `SubnetInfoRuntimeApi`: the whole metagraph of a subnet (`Metagraph`), its mechanism view
//! (`get_mechagraph`) and the per-uid vectors of `get_subnet_state` (`SubnetState`).
//!
//! Wire format: both structs encode exactly as subtensor's of the same name; `moving_price`
//! is the `I96F32` bits.
//!
//! What the calls do, and where this deviates from subtensor: `rustensor_runtime::pallets::subtensor::runtime_api::metagraph`.

use crate::pallets::subtensor::types::{AxonInfo, ChainIdentityV2, SubnetIdentityV3};
use parity_scale_codec::{Compact, Decode, Encode};
use rustensor_primitives::{AccountId32, NetUid};
/// `Metagraph`: a subnet's parameters, pool and every uid's state.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct Metagraph {
    /// The subnet.
    pub netuid: Compact<NetUid>,
    /// Display name.
    pub name: Vec<Compact<u8>>,
    /// Token symbol.
    pub symbol: Vec<Compact<u8>>,
    /// Subnet identity, if set.
    pub identity: Option<SubnetIdentityV3>,
    /// Registration block.
    pub network_registered_at: Compact<u64>,
    /// Owner hotkey.
    pub owner_hotkey: AccountId32,
    /// Owner coldkey.
    pub owner_coldkey: AccountId32,
    /// The current block.
    pub block: Compact<u64>,
    /// Tempo.
    pub tempo: Compact<u16>,
    /// Block of the last epoch.
    pub last_step: Compact<u64>,
    /// Blocks since then.
    pub blocks_since_last_step: Compact<u64>,
    /// Deprecated: 0.
    pub subnet_emission: Compact<u64>,
    /// Alpha reserve.
    pub alpha_in: Compact<u64>,
    /// Alpha outstanding.
    pub alpha_out: Compact<u64>,
    /// TAO reserve.
    pub tao_in: Compact<u64>,
    /// Alpha emitted outstanding in the last block.
    pub alpha_out_emission: Compact<u64>,
    /// Alpha injected into the reserve in the last block.
    pub alpha_in_emission: Compact<u64>,
    /// TAO injected in the last block.
    pub tao_in_emission: Compact<u64>,
    /// Alpha waiting for the next epoch.
    pub pending_alpha_emission: Compact<u64>,
    /// Deprecated: 0.
    pub pending_root_emission: Compact<u64>,
    /// Traded volume.
    pub subnet_volume: Compact<u128>,
    /// EMA price, `I96F32` bits.
    pub moving_price: i128,
    /// `Rho`.
    pub rho: Compact<u16>,
    /// `Kappa`.
    pub kappa: Compact<u16>,
    /// `MinAllowedWeights`.
    pub min_allowed_weights: Compact<u16>,
    /// `MaxWeightsLimit`.
    pub max_weights_limit: Compact<u16>,
    /// `WeightsVersionKey`.
    pub weights_version: Compact<u64>,
    /// `WeightsSetRateLimit`.
    pub weights_rate_limit: Compact<u64>,
    /// Activity cutoff in blocks.
    pub activity_cutoff: Compact<u64>,
    /// `MaxAllowedValidators`.
    pub max_validators: Compact<u16>,
    /// Number of uids.
    pub num_uids: Compact<u16>,
    /// `MaxAllowedUids`.
    pub max_uids: Compact<u16>,
    /// Current burn.
    pub burn: Compact<u64>,
    /// PoW difficulty.
    pub difficulty: Compact<u64>,
    /// `NetworkRegistrationAllowed`.
    pub registration_allowed: bool,
    /// `NetworkPowRegistrationAllowed`.
    pub pow_registration_allowed: bool,
    /// `ImmunityPeriod`.
    pub immunity_period: Compact<u16>,
    /// `MinDifficulty`.
    pub min_difficulty: Compact<u64>,
    /// `MaxDifficulty`.
    pub max_difficulty: Compact<u64>,
    /// `MinBurn`.
    pub min_burn: Compact<u64>,
    /// `MaxBurn`.
    pub max_burn: Compact<u64>,
    /// `AdjustmentAlpha`.
    pub adjustment_alpha: Compact<u64>,
    /// `AdjustmentInterval`.
    pub adjustment_interval: Compact<u16>,
    /// `TargetRegistrationsPerInterval`.
    pub target_regs_per_interval: Compact<u16>,
    /// `MaxRegistrationsPerBlock`.
    pub max_regs_per_block: Compact<u16>,
    /// `ServingRateLimit`.
    pub serving_rate_limit: Compact<u64>,
    /// `CommitRevealWeightsEnabled`.
    pub commit_reveal_weights_enabled: bool,
    /// `RevealPeriodEpochs`.
    pub commit_reveal_period: Compact<u64>,
    /// `LiquidAlphaOn`.
    pub liquid_alpha_enabled: bool,
    /// High liquid-alpha bound.
    pub alpha_high: Compact<u16>,
    /// Low liquid-alpha bound.
    pub alpha_low: Compact<u16>,
    /// `BondsMovingAverage`.
    pub bonds_moving_avg: Compact<u64>,
    /// Hotkey per uid.
    pub hotkeys: Vec<AccountId32>,
    /// Coldkey per uid.
    pub coldkeys: Vec<AccountId32>,
    /// The coldkey's identity per uid.
    pub identities: Vec<Option<ChainIdentityV2>>,
    /// Axon per uid.
    pub axons: Vec<AxonInfo>,
    /// `Active` as stored.
    pub active: Vec<bool>,
    /// `ValidatorPermit` as stored.
    pub validator_permit: Vec<bool>,
    /// Deprecated: empty.
    pub pruning_score: Vec<Compact<u16>>,
    /// `LastUpdate` as stored.
    pub last_update: Vec<Compact<u64>>,
    /// `Emission` as stored.
    pub emission: Vec<Compact<u64>>,
    /// `Dividends` as stored.
    pub dividends: Vec<Compact<u16>>,
    /// `Incentive` as stored.
    pub incentives: Vec<Compact<u16>>,
    /// `Consensus` as stored.
    pub consensus: Vec<Compact<u16>>,
    /// Deprecated: empty.
    pub trust: Vec<Compact<u16>>,
    /// Deprecated: empty.
    pub rank: Vec<Compact<u16>>,
    /// Registration block per uid.
    pub block_at_registration: Vec<Compact<u64>>,
    /// Alpha stake per uid.
    pub alpha_stake: Vec<Compact<u64>>,
    /// Root (TAO) stake per uid.
    pub tao_stake: Vec<Compact<u64>>,
    /// Alpha + `TaoWeight` × TAO per uid.
    pub total_stake: Vec<Compact<u64>>,
    /// `(hotkey, 0)` per uid (root TAO dividends were removed).
    pub tao_dividends_per_hotkey: Vec<(AccountId32, Compact<u64>)>,
    /// `(hotkey, AlphaDividendsPerSubnet)` per uid.
    pub alpha_dividends_per_hotkey: Vec<(AccountId32, Compact<u64>)>,
}

/// `SubnetState`: the per-uid vectors of a subnet.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct SubnetState {
    /// The subnet.
    pub netuid: Compact<NetUid>,
    /// Hotkey per uid.
    pub hotkeys: Vec<AccountId32>,
    /// Coldkey per uid.
    pub coldkeys: Vec<AccountId32>,
    /// `Active` as stored.
    pub active: Vec<bool>,
    /// `ValidatorPermit` as stored.
    pub validator_permit: Vec<bool>,
    /// Deprecated: empty.
    pub pruning_score: Vec<Compact<u16>>,
    /// `LastUpdate` as stored.
    pub last_update: Vec<Compact<u64>>,
    /// `Emission` as stored.
    pub emission: Vec<Compact<u64>>,
    /// `Dividends` as stored.
    pub dividends: Vec<Compact<u16>>,
    /// `Incentive` as stored.
    pub incentives: Vec<Compact<u16>>,
    /// `Consensus` as stored.
    pub consensus: Vec<Compact<u16>>,
    /// Deprecated: empty.
    pub trust: Vec<Compact<u16>>,
    /// Deprecated: empty.
    pub rank: Vec<Compact<u16>>,
    /// Registration block per uid.
    pub block_at_registration: Vec<Compact<u64>>,
    /// Alpha stake per uid.
    pub alpha_stake: Vec<Compact<u64>>,
    /// Root (TAO) stake per uid.
    pub tao_stake: Vec<Compact<u64>>,
    /// Alpha + `TaoWeight` × TAO per uid.
    pub total_stake: Vec<Compact<u64>>,
    /// Per subnet, the last emission of each hotkey (zeros: not kept).
    pub emission_history: Vec<Vec<Compact<u64>>>,
}
