//! The `AdminUtils` calls: subtensor's call indices and argument encodings, their declared
//! weights and fee mode, and what each does.
//!
//! Wire format: `Call` encodes as `call index ++ SCALE(arguments)`, exactly subtensor's
//! encoding of the same call; never change an index or an argument type. `U64F64` and
//! `I96F32` arguments are carried as their 128-bit raw bits (the same 16 bytes).
//!
//! What the calls do: `rustensor_runtime::pallets::admin_utils::calls`.

use super::{PALLET_INDEX, PrecompileEnum};
use crate::dispatch::{CallError, DispatchClass, DispatchEventInfo, Pays};
use crate::pallets::subtensor::calls::Prefixed;
use crate::pallets::subtensor::types::RecycleOrBurn;
use parity_scale_codec::{Decode, Encode};
use rustensor_primitives::{AccountId32, NetUid};
/// An `AdminUtils` call. Variant names are subtensor's call names in camel case, field names
/// its argument names.
#[allow(missing_docs, reason = "variants and fields mirror subtensor's calls and arguments")]
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum Call {
    #[codec(index = 1)]
    SudoSetDefaultTake { default_take: u16 },
    #[codec(index = 2)]
    SudoSetTxRateLimit { tx_rate_limit: u64 },
    #[codec(index = 3)]
    SudoSetServingRateLimit { netuid: NetUid, serving_rate_limit: u64 },
    #[codec(index = 4)]
    SudoSetMinDifficulty { netuid: NetUid, min_difficulty: u64 },
    #[codec(index = 5)]
    SudoSetMaxDifficulty { netuid: NetUid, max_difficulty: u64 },
    #[codec(index = 6)]
    SudoSetWeightsVersionKey { netuid: NetUid, weights_version_key: u64 },
    #[codec(index = 7)]
    SudoSetWeightsSetRateLimit { netuid: NetUid, weights_set_rate_limit: u64 },
    #[codec(index = 8)]
    SudoSetAdjustmentInterval { netuid: NetUid, adjustment_interval: u16 },
    #[codec(index = 9)]
    SudoSetAdjustmentAlpha { netuid: NetUid, adjustment_alpha: u64 },
    #[codec(index = 13)]
    SudoSetImmunityPeriod { netuid: NetUid, immunity_period: u16 },
    #[codec(index = 14)]
    SudoSetMinAllowedWeights { netuid: NetUid, min_allowed_weights: u16 },
    #[codec(index = 15)]
    SudoSetMaxAllowedUids { netuid: NetUid, max_allowed_uids: u16 },
    #[codec(index = 16)]
    SudoSetKappa { netuid: NetUid, kappa: u16 },
    #[codec(index = 17)]
    SudoSetRho { netuid: NetUid, rho: u16 },
    #[codec(index = 18)]
    SudoSetActivityCutoff { netuid: NetUid, activity_cutoff: u16 },
    #[codec(index = 19)]
    SudoSetNetworkRegistrationAllowed { netuid: NetUid, registration_allowed: bool },
    #[codec(index = 20)]
    SudoSetNetworkPowRegistrationAllowed { netuid: NetUid, registration_allowed: bool },
    #[codec(index = 21)]
    SudoSetTargetRegistrationsPerInterval { netuid: NetUid, target_registrations_per_interval: u16 },
    #[codec(index = 22)]
    SudoSetMinBurn { netuid: NetUid, min_burn: u64 },
    #[codec(index = 23)]
    SudoSetMaxBurn { netuid: NetUid, max_burn: u64 },
    #[codec(index = 24)]
    SudoSetDifficulty { netuid: NetUid, difficulty: u64 },
    #[codec(index = 25)]
    SudoSetMaxAllowedValidators { netuid: NetUid, max_allowed_validators: u16 },
    #[codec(index = 26)]
    SudoSetBondsMovingAverage { netuid: NetUid, bonds_moving_average: u64 },
    #[codec(index = 27)]
    SudoSetMaxRegistrationsPerBlock { netuid: NetUid, max_registrations_per_block: u16 },
    #[codec(index = 28)]
    SudoSetSubnetOwnerCut { subnet_owner_cut: u16 },
    #[codec(index = 29)]
    SudoSetNetworkRateLimit { rate_limit: u64 },
    #[codec(index = 30)]
    SudoSetTempo { netuid: NetUid, tempo: u16 },
    #[codec(index = 33)]
    SudoSetTotalIssuance { total_issuance: u64 },
    #[codec(index = 35)]
    SudoSetNetworkImmunityPeriod { immunity_period: u64 },
    #[codec(index = 36)]
    SudoSetNetworkMinLockCost { lock_cost: u64 },
    #[codec(index = 37)]
    SudoSetSubnetLimit { max_subnets: u16 },
    #[codec(index = 38)]
    SudoSetLockReductionInterval { interval: u64 },
    #[codec(index = 39)]
    SudoSetRaoRecycled { netuid: NetUid, rao_recycled: u64 },
    #[codec(index = 42)]
    SudoSetStakeThreshold { min_stake: u64 },
    #[codec(index = 43)]
    SudoSetNominatorMinRequiredStake { min_stake: u64 },
    #[codec(index = 45)]
    SudoSetTxDelegateTakeRateLimit { tx_rate_limit: u64 },
    #[codec(index = 46)]
    SudoSetMinDelegateTake { take: u16 },
    #[codec(index = 49)]
    SudoSetCommitRevealWeightsEnabled { netuid: NetUid, enabled: bool },
    #[codec(index = 50)]
    SudoSetLiquidAlphaEnabled { netuid: NetUid, enabled: bool },
    #[codec(index = 51)]
    SudoSetAlphaValues { netuid: NetUid, alpha_low: u16, alpha_high: u16 },
    #[codec(index = 57)]
    SudoSetCommitRevealWeightsInterval { netuid: NetUid, interval: u64 },
    #[codec(index = 60)]
    SudoSetBondsPenalty { netuid: NetUid, bonds_penalty: u16 },
    #[codec(index = 61)]
    SudoSetToggleTransfer { netuid: NetUid, toggle: bool },
    #[codec(index = 62)]
    SudoToggleEvmPrecompile { precompile_id: PrecompileEnum, enabled: bool },
    /// `alpha` is an `I96F32`: its raw bits.
    #[codec(index = 63)]
    SudoSetSubnetMovingAlpha { alpha: i128 },
    #[codec(index = 64)]
    SudoSetSubnetOwnerHotkey { netuid: NetUid, hotkey: AccountId32 },
    #[codec(index = 65)]
    SudoSetEmaPriceHalvingPeriod { netuid: NetUid, ema_halving: u64 },
    #[codec(index = 66)]
    SudoSetSubtokenEnabled { netuid: NetUid, subtoken_enabled: bool },
    #[codec(index = 67)]
    SudoSetSnOwnerHotkey { netuid: NetUid, hotkey: AccountId32 },
    #[codec(index = 68)]
    SudoSetAlphaSigmoidSteepness { netuid: NetUid, steepness: i16 },
    #[codec(index = 69)]
    SudoSetYuma3Enabled { netuid: NetUid, enabled: bool },
    #[codec(index = 70)]
    SudoSetBondsResetEnabled { netuid: NetUid, enabled: bool },
    #[codec(index = 71)]
    SudoSetCommitRevealVersion { version: u16 },
    #[codec(index = 72)]
    SudoSetOwnerImmuneNeuronLimit { netuid: NetUid, immune_neurons: u16 },
    #[codec(index = 74)]
    SudoSetAdminFreezeWindow { window: u16 },
    #[codec(index = 75)]
    SudoSetOwnerHparamRateLimit { epochs: u16 },
    #[codec(index = 79)]
    SudoSetMinAllowedUids { netuid: NetUid, min_allowed_uids: u16 },
    #[codec(index = 80)]
    SudoSetRecycleOrBurn { netuid: NetUid, recycle_or_burn: RecycleOrBurn },
    #[codec(index = 84)]
    SudoSetMinNonImmuneUids { netuid: NetUid, min: u16 },
    #[codec(index = 85)]
    SudoSetStartCallDelay { delay: u64 },
    #[codec(index = 89)]
    SudoSetBurnHalfLife { netuid: NetUid, burn_half_life: u16 },
    /// `burn_increase_mult` is a `U64F64`: its raw bits.
    #[codec(index = 90)]
    SudoSetBurnIncreaseMult { netuid: NetUid, burn_increase_mult: u128 },
    #[codec(index = 92)]
    SudoSetOwnerCutEnabled { netuid: NetUid, enabled: bool },
    #[codec(index = 94)]
    SudoSetSubnetEmissionEnabled { netuid: NetUid, enabled: bool },
    #[codec(index = 96)]
    SudoSetMaxEpochsPerBlock { max_epochs_per_block: u8 },
}

/// Every call index [`Call`] decodes.
pub const KNOWN_CALLS: &[u8] = &[
    1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
    30, 33, 35, 36, 37, 38, 39, 42, 43, 45, 46, 49, 50, 51, 57, 60, 61, 62, 63, 64, 65, 66, 67, 68,
    69, 70, 71, 72, 74, 75, 79, 80, 84, 85, 89, 90, 92, 94, 96,
];

/// Declared weights (and so fees) of the calls: constants chosen here, as subtensor's
/// benchmarked weights are not in our notes (deviation, like `pallets::weights`).
pub mod call_weights {
    use crate::dispatch::Weight;

    /// A setter writing one or two items: 25 µs.
    pub const SETTER: Weight = Weight::from_parts(25_000_000, 0);
    /// `sudo_set_nominator_min_required_stake`, which may visit every stake position: 1 ms.
    pub const NOMINATOR_MIN_STAKE: Weight = Weight::from_parts(1_000_000_000, 0);
}

impl Call {
    /// Decodes the call's arguments (after the pallet and call indices) from the front of
    /// `input` and leaves the rest.
    ///
    /// # Errors
    ///
    /// [`CallError::UnknownCall`] for a call index not listed above,
    /// [`CallError::BadArguments`] for arguments that do not decode.
    pub fn decode_from(call_index: u8, input: &mut &[u8]) -> Result<Self, CallError> {
        let mut prefixed = Prefixed { first: Some(call_index), rest: input };
        Self::decode(&mut prefixed).map_err(|_| {
            if KNOWN_CALLS.contains(&call_index) {
                CallError::BadArguments { pallet: PALLET_INDEX, call: call_index }
            } else {
                CallError::UnknownCall { pallet: PALLET_INDEX, call: call_index }
            }
        })
    }

    /// This call's index.
    pub fn call_index(&self) -> u8 {
        self.encode()[0]
    }

    /// The declared weight, class and fee mode: every admin-utils call pays (`Pays::Yes`, the
    /// FRAME default); `sudo_set_burn_half_life`, `sudo_set_burn_increase_mult` and
    /// `sudo_set_owner_cut_enabled` are `Operational`, as subtensor declares them.
    pub fn info(&self) -> DispatchEventInfo {
        let weight = match self {
            Self::SudoSetNominatorMinRequiredStake { .. } => call_weights::NOMINATOR_MIN_STAKE,
            _ => call_weights::SETTER,
        };
        let class = match self {
            Self::SudoSetBurnHalfLife { .. }
            | Self::SudoSetBurnIncreaseMult { .. }
            | Self::SudoSetOwnerCutEnabled { .. } => DispatchClass::Operational,
            _ => DispatchClass::Normal,
        };
        DispatchEventInfo { weight, class, pays_fee: Pays::Yes }
    }
}
