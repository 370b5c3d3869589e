//! The Yuma epoch of one subnet, through `rustensor-yuma` (`reference/subtensor.md` §8).
//!
//! [`run_epoch`] gathers [`EpochInputs`] from storage, runs [`rustensor_yuma::epoch`] (bit-exact
//! with subtensor's `epoch_mechanism`), persists the outputs (`Active`, `Emission`,
//! `Consensus`, `Dividends`, `ValidatorTrust`, `ValidatorPermit`, `StakeWeight`, `Incentive`,
//! `Bonds`, `LastMechansimStepBlock`) and hands the per-uid `(hotkey, server α, validator α)`
//! back to the coinbase, which pays them out ([`crate::pallets::subtensor::emission::coinbase`]).
//!
//! # Deviations from subtensor
//!
//! - Mechanism 0 only: the storage index of `Incentive`, `LastUpdate`, `Weights` and `Bonds` is
//!   the netuid.
//! - Commit blocks come from hash commits only ([`crate::pallets::subtensor::weights::earliest_commit_blocks`]);
//!   timelocked (CRv3/v4) commits do not exist here.
//! - Stake is [`crate::pallets::subtensor::share_pool::stake_weight_bits`], fraction included (no childkeys: inherited
//!   = own stake).

use rustensor_primitives::{AccountId32, NetUid};
use rustensor_yuma::{EpochInputs, Hyperparameters, InputError};

use crate::pallets::subtensor::share_pool::stake_weight_bits;
use crate::pallets::subtensor::storage::*;
use crate::storage::{Kv, KvRead};

/// What an epoch pays: per uid, in uid order, `(hotkey, server α, validator α)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EpochPayout {
    /// `(hotkey, server (miner) emission, validator emission)` per uid.
    pub per_uid: Vec<(AccountId32, u64, u64)>,
}

/// Why an epoch did not run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EpochError {
    /// The stored vectors do not describe the subnet.
    #[error("inconsistent epoch inputs: {0}")]
    Inputs(InputError),
}

impl From<InputError> for EpochError {
    fn from(e: InputError) -> Self {
        Self::Inputs(e)
    }
}

/// Whether the subnet's epoch inputs are consistent (subtensor's
/// `is_epoch_input_state_consistent`): no hotkey holds two uids in `Keys`.
pub fn inputs_consistent(state: &(impl KvRead + ?Sized), netuid: NetUid) -> bool {
    let n = SubnetworkN::get(state, &netuid);
    let mut keys: Vec<AccountId32> = (0..n).map(|uid| Keys::get(state, &netuid, &uid)).collect();
    keys.sort_unstable();
    keys.windows(2).all(|w| w.first() != w.get(1))
}

/// A stored per-uid vector resized to `n` (missing entries take `fill`).
fn sized<T: Clone>(mut v: Vec<T>, n: usize, fill: T) -> Vec<T> {
    v.resize(n, fill);
    v
}

/// The epoch inputs of `netuid` at block `now`, distributing `rao_emission`.
pub fn build_inputs(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
    now: u64,
    rao_emission: u64,
) -> (Vec<AccountId32>, EpochInputs) {
    let n_u16 = SubnetworkN::get(state, &netuid);
    let n = usize::from(n_u16);
    let hotkeys: Vec<AccountId32> = (0..n_u16).map(|uid| Keys::get(state, &netuid, &uid)).collect();
    let tempo = Tempo::get(state, &netuid);
    let activity_cutoff = u64::from(ActivityCutoffFactorMilli::get(state, &netuid))
        .saturating_mul(u64::from(tempo))
        .checked_div(1000)
        .unwrap_or(0);
    let owner_uid = crate::pallets::subtensor::owner_uid(state, netuid).filter(|uid| *uid < n_u16);
    let (alpha_low, alpha_high) = AlphaValues::get(state, &netuid);
    let commit_reveal_enabled = CommitRevealWeightsEnabled::get(state, &netuid);
    let weights_bits: Vec<u128> =
        hotkeys.iter().map(|h| stake_weight_bits(state, h, netuid)).collect();
    let inputs = EpochInputs {
        current_block: now,
        tempo,
        last_mechanism_step_block: LastMechansimStepBlock::get(state, &netuid),
        activity_cutoff,
        stake: weights_bits.iter().map(|b| u64::try_from(b >> 64).unwrap_or(u64::MAX)).collect(),
        stake_fraction: weights_bits.iter().map(|b| *b as u64).collect(),
        stake_threshold: StakeThreshold::get(state),
        owner_uid,
        validator_permit: sized(ValidatorPermit::get(state, &netuid), n, false),
        max_allowed_validators: MaxAllowedValidators::get(state, &netuid),
        last_update: sized(LastUpdate::get(state, &netuid.0), n, 0),
        block_at_registration: (0..n_u16)
            .map(|uid| BlockAtRegistration::get(state, &netuid, &uid))
            .collect(),
        weights: (0..n_u16).map(|uid| Weights::get(state, &netuid.0, &uid)).collect(),
        bonds: (0..n_u16).map(|uid| Bonds::get(state, &netuid.0, &uid)).collect(),
        // Commit-reveal masking (§5.4): each uid's earliest unexpired hash commit.
        commit_block: if commit_reveal_enabled {
            crate::pallets::subtensor::weights::earliest_commit_blocks(state, netuid)
        } else {
            Vec::new()
        },
        hyperparameters: Hyperparameters {
            kappa: Kappa::get(state, &netuid),
            bonds_penalty: BondsPenalty::get(state, &netuid),
            bonds_moving_average: BondsMovingAverage::get(state, &netuid),
            yuma3_enabled: Yuma3On::get(state, &netuid),
            liquid_alpha_enabled: LiquidAlphaOn::get(state, &netuid),
            alpha_low,
            alpha_high,
            alpha_sigmoid_steepness: AlphaSigmoidSteepness::get(state, &netuid),
            commit_reveal_enabled,
        },
        rao_emission,
    };
    (hotkeys, inputs)
}

/// Runs the epoch of `netuid` at block `now` over `rao_emission` α, persists its outputs and
/// returns the per-uid payout (see the module docs).
///
/// # Errors
///
/// [`EpochError::Inputs`] if the stored vectors are inconsistent; nothing is written then.
pub fn run_epoch(
    state: &mut (impl Kv + ?Sized),
    netuid: NetUid,
    now: u64,
    rao_emission: u64,
) -> Result<EpochPayout, EpochError> {
    let (hotkeys, inputs) = build_inputs(state, netuid, now, rao_emission);
    let out = rustensor_yuma::epoch(&inputs)?;
    Active::insert(state, &netuid, &out.active);
    Emission::insert(state, &netuid, &out.emission);
    Consensus::insert(state, &netuid, &out.consensus);
    Dividends::insert(state, &netuid, &out.dividends);
    ValidatorTrust::insert(state, &netuid, &out.validator_trust);
    ValidatorPermit::insert(state, &netuid, &out.new_validator_permit);
    StakeWeight::insert(state, &netuid, &out.stake_weight);
    Incentive::insert(state, &netuid.0, &out.incentive);
    for (uid, row) in (0u16..).zip(out.bonds.iter()) {
        if row.is_empty() {
            Bonds::remove(state, &netuid.0, &uid);
        } else {
            Bonds::insert(state, &netuid.0, &uid, row);
        }
    }
    LastMechansimStepBlock::insert(state, &netuid, &now);
    let per_uid = hotkeys
        .into_iter()
        .zip(out.server_emission.iter().zip(out.validator_emission.iter()))
        .map(|(h, (s, v))| (h, *s, *v))
        .collect();
    Ok(EpochPayout { per_uid })
}
