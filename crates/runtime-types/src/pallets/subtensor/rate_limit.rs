//! Rate limits: the `LastRateLimitedBlock` keys and the "has enough time passed" rule
//! (`reference/subtensor.md` §12).
//!
//! Wire format: [`RateLimitKey`] and [`Hyperparameter`] are storage keys of
//! `LastRateLimitedBlock`; their SCALE encodings (variant indices) are subtensor's.
//!
//! What the calls do: `rustensor_runtime::pallets::subtensor::rate_limit`.

use parity_scale_codec::{Decode, Encode};
use rustensor_primitives::{AccountId32, NetUid};
/// `RateLimitKey<AccountId>`: what a `LastRateLimitedBlock` entry limits.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum RateLimitKey {
    /// Changing a subnet's owner hotkey.
    #[codec(index = 0)]
    SetSNOwnerHotkey(NetUid),
    /// An owner's update of one hyperparameter of a subnet.
    #[codec(index = 1)]
    OwnerHyperparamUpdate(NetUid, Hyperparameter),
    /// The last subnet registration (global).
    #[codec(index = 2)]
    NetworkLastRegistered,
    /// A coldkey's last rate-limited transaction (hotkey swaps).
    #[codec(index = 3)]
    LastTxBlock(AccountId32),
    /// A hotkey's last childkey-take change.
    #[codec(index = 4)]
    LastTxBlockChildKeyTake(AccountId32),
    /// A hotkey's last delegate-take change.
    #[codec(index = 5)]
    LastTxBlockDelegateTake(AccountId32),
    /// `add_stake_burn` per subnet (kept for its index; not enforced).
    #[codec(index = 6)]
    AddStakeBurn(NetUid),
}

/// `Hyperparameter`: which owner-settable parameter a rate limit is about.
#[allow(missing_docs, reason = "variant names are subtensor's and self-describing")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum Hyperparameter {
    Unknown = 0,
    ServingRateLimit = 1,
    MaxDifficulty = 2,
    AdjustmentAlpha = 3,
    MaxWeightLimit = 4,
    ImmunityPeriod = 5,
    MinAllowedWeights = 6,
    Kappa = 7,
    Rho = 8,
    ActivityCutoff = 9,
    PowRegistrationAllowed = 10,
    MinBurn = 11,
    MaxBurn = 12,
    BondsMovingAverage = 13,
    BondsPenalty = 14,
    CommitRevealEnabled = 15,
    LiquidAlphaEnabled = 16,
    AlphaValues = 17,
    WeightCommitInterval = 18,
    TransferEnabled = 19,
    AlphaSigmoidSteepness = 20,
    Yuma3Enabled = 21,
    BondsResetEnabled = 22,
    ImmuneNeuronLimit = 23,
    RecycleOrBurn = 24,
    MaxAllowedUids = 25,
    BurnHalfLife = 26,
    BurnIncreaseMult = 27,
    SubnetEmissionEnabled = 28,
    MinChildkeyTake = 29,
    ActivityCutoffFactorMilli = 30,
    TriggerEpoch = 31,
}

/// subtensor's `TransactionType::SetWeightsVersionKey` number. Wire-visible (storage key).
pub const TX_SET_WEIGHTS_VERSION_KEY: u16 = 4;

/// subtensor's `TransactionType::TempoUpdate` number. Wire-visible (storage key).
pub const TX_TEMPO_UPDATE: u16 = 11;

/// `MIN_TEMPO`: the shortest tempo an owner may set, also the owner `set_tempo` cooldown.
pub const MIN_TEMPO: u16 = 360;

/// `MAX_TEMPO`: the longest tempo an owner may set.
pub const MAX_TEMPO: u16 = 50_400;
