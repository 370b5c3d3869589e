//! What one epoch writes (`reference/yuma.md` §4.13).

use crate::SparseRowU16;
use rustensor_fixed::I32F32;

/// The results of one epoch. Every per-uid vector has length `n`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct EpochOutputs {
    /// `Active`: set weights within the activity cutoff.
    pub active: Vec<bool>,
    /// `ValidatorPermit` for the next epoch (top-k by stake, plus the owner).
    pub new_validator_permit: Vec<bool>,
    /// `StakeWeight`: normalised stake as a u16 proportion.
    pub stake_weight: Vec<u16>,
    /// `Consensus`: the stake-weighted κ-median weight of each uid.
    pub consensus: Vec<u16>,
    /// `Incentive`: normalised rank of clipped weights.
    pub incentive: Vec<u16>,
    /// `Dividends`: normalised bond-weighted incentive.
    pub dividends: Vec<u16>,
    /// `ValidatorTrust`: the share of each validator's weight that survived clipping.
    pub validator_trust: Vec<u16>,
    /// Rao paid to each uid as a miner.
    pub server_emission: Vec<u64>,
    /// Rao paid to each uid as a validator (used downstream as proportions).
    pub validator_emission: Vec<u64>,
    /// `Emission`: the combined share of the epoch's rao (used for pruning).
    pub emission: Vec<u64>,
    /// `Bonds` to store: the EMA bond row of each uid holding a new permit, empty otherwise.
    pub bonds: Vec<SparseRowU16>,
    /// Whether liquid alpha actually drove the bond EMA (informative).
    pub liquid_alpha_used: bool,
    /// The unrounded fixed-point vectors behind the u16 outputs, for debugging a mismatch.
    pub fixed: FixedOutputs,
}

/// Raw `I32F32` intermediate vectors of an epoch (informative, as in the vector files).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FixedOutputs {
    /// Normalised stake.
    pub stake: Vec<I32F32>,
    /// Normalised active stake of permitted, active validators.
    pub active_stake: Vec<I32F32>,
    /// Consensus weights.
    pub consensus: Vec<I32F32>,
    /// Unnormalised ranks.
    pub ranks: Vec<I32F32>,
    /// Incentive.
    pub incentive: Vec<I32F32>,
    /// Dividends.
    pub dividends: Vec<I32F32>,
    /// Validator trust.
    pub validator_trust: Vec<I32F32>,
}
