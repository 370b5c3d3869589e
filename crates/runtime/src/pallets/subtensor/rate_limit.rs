//! Rate limits: the `LastRateLimitedBlock` keys and the "has enough time passed" rule
//! (`reference/subtensor.md` §12).
//!
//! Wire format: [`RateLimitKey`] and [`Hyperparameter`] are storage keys of
//! `LastRateLimitedBlock`; their SCALE encodings (variant indices) are subtensor's.

use parity_scale_codec::{Decode, Encode};
use rustensor_primitives::{AccountId32, NetUid};

use super::storage::{
    LastRateLimitedBlock, OwnerHyperparamRateLimit, Tempo, TransactionKeyLastBlock,
    WeightsVersionKeyRateLimit,
};
use crate::storage::{Kv, KvRead};

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

/// subtensor's generic rule: an action passes if it never happened (`last == 0`), the limit is
/// 0, or at least `limit` blocks have passed since `last`.
pub fn passes(last: u64, now: u64, limit: u64) -> bool {
    last == 0 || limit == 0 || now.saturating_sub(last) >= limit
}

/// The block `key` was last recorded at (0 if never).
pub fn last_block(state: &(impl KvRead + ?Sized), key: &RateLimitKey) -> u64 {
    LastRateLimitedBlock::get(state, key)
}

/// Records `key` at `block`.
pub fn set_last_block(state: &mut (impl Kv + ?Sized), key: &RateLimitKey, block: u64) {
    LastRateLimitedBlock::insert(state, key, &block);
}

/// An owner-side rate limit on one subnet: subtensor's `TransactionType` as checked by
/// `passes_rate_limit_on_subnet` for the owner-settable parameters.
///
/// Wire format: where it is recorded is subtensor's (`LastRateLimitedBlock` for hyperparameters,
/// `TransactionKeyLastBlock[(who, netuid, type)]` for the others, with subtensor's type numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnerLimit {
    /// `OwnerHyperparamUpdate(param)`: `OwnerHyperparamRateLimit` tempos.
    Hyperparam(Hyperparameter),
    /// `SetWeightsVersionKey`: `WeightsVersionKeyRateLimit` tempos.
    WeightsVersionKey,
    /// `TempoUpdate` (owner `set_tempo`): a fixed `MIN_TEMPO` (360) blocks.
    TempoUpdate,
}

/// subtensor's `TransactionType::SetWeightsVersionKey` number. Wire-visible (storage key).
pub const TX_SET_WEIGHTS_VERSION_KEY: u16 = 4;
/// subtensor's `TransactionType::TempoUpdate` number. Wire-visible (storage key).
pub const TX_TEMPO_UPDATE: u16 = 11;
/// `MIN_TEMPO`: the shortest tempo an owner may set, also the owner `set_tempo` cooldown.
pub const MIN_TEMPO: u16 = 360;
/// `MAX_TEMPO`: the longest tempo an owner may set.
pub const MAX_TEMPO: u16 = 50_400;

impl OwnerLimit {
    /// The limit in blocks on `netuid` (tempo multiples saturate).
    pub fn blocks(self, state: &(impl KvRead + ?Sized), netuid: NetUid) -> u64 {
        let tempo = u64::from(Tempo::get(state, &netuid));
        match self {
            Self::Hyperparam(_) => {
                tempo.saturating_mul(u64::from(OwnerHyperparamRateLimit::get(state)))
            }
            Self::WeightsVersionKey => tempo.saturating_mul(WeightsVersionKeyRateLimit::get(state)),
            Self::TempoUpdate => u64::from(MIN_TEMPO),
        }
    }

    /// The block `who` last did this on `netuid` (0 if never).
    pub fn last_block(
        self,
        state: &(impl KvRead + ?Sized),
        who: &AccountId32,
        netuid: NetUid,
    ) -> u64 {
        match self {
            Self::Hyperparam(param) => {
                last_block(state, &RateLimitKey::OwnerHyperparamUpdate(netuid, param))
            }
            Self::WeightsVersionKey => {
                TransactionKeyLastBlock::get(state, who, &netuid, &TX_SET_WEIGHTS_VERSION_KEY)
            }
            Self::TempoUpdate => {
                TransactionKeyLastBlock::get(state, who, &netuid, &TX_TEMPO_UPDATE)
            }
        }
    }

    /// Records that `who` did this on `netuid` at `block`.
    pub fn record(
        self,
        state: &mut (impl Kv + ?Sized),
        who: &AccountId32,
        netuid: NetUid,
        block: u64,
    ) {
        match self {
            Self::Hyperparam(param) => {
                set_last_block(state, &RateLimitKey::OwnerHyperparamUpdate(netuid, param), block);
            }
            Self::WeightsVersionKey => TransactionKeyLastBlock::insert(
                state,
                who,
                &netuid,
                &TX_SET_WEIGHTS_VERSION_KEY,
                &block,
            ),
            Self::TempoUpdate => {
                TransactionKeyLastBlock::insert(state, who, &netuid, &TX_TEMPO_UPDATE, &block);
            }
        }
    }

    /// Whether `who` may do this on `netuid` at block `now` ([`passes`]).
    pub fn passes(
        self,
        state: &(impl KvRead + ?Sized),
        who: &AccountId32,
        netuid: NetUid,
        now: u64,
    ) -> bool {
        passes(self.last_block(state, who, netuid), now, self.blocks(state, netuid))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_rate_limit_keys_encode_as_subtensor() {
        assert_eq!(RateLimitKey::NetworkLastRegistered.encode(), vec![2]);
        assert_eq!(
            RateLimitKey::OwnerHyperparamUpdate(NetUid(3), Hyperparameter::Kappa).encode(),
            vec![1, 3, 0, 7]
        );
        assert_eq!(RateLimitKey::LastTxBlockDelegateTake(AccountId32([9; 32])).encode()[0], 5);
    }

    #[test]
    fn test_passes_follows_subtensors_rule() {
        assert!(passes(0, 5, 100), "never happened");
        assert!(passes(10, 11, 0), "no limit");
        assert!(!passes(10, 109, 100));
        assert!(passes(10, 110, 100));
    }
}
