//! Rate limits: the `LastRateLimitedBlock` keys and the "has enough time passed" rule
//! (`reference/subtensor.md` §12).
//!
//! The wire half (its calls, events, errors, storage items and structs) is
//! `rustensor_runtime_types::pallets::subtensor::rate_limit`, re-exported here.

use super::storage::{
    LastRateLimitedBlock, OwnerHyperparamRateLimit, Tempo, TransactionKeyLastBlock,
    WeightsVersionKeyRateLimit,
};
use crate::storage::{Kv, KvRead};
use rustensor_primitives::{AccountId32, NetUid};
pub use rustensor_runtime_types::pallets::subtensor::rate_limit::*;

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
    use parity_scale_codec::Encode;
    use rustensor_primitives::AccountId32;
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
