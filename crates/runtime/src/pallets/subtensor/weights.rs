//! `set_weights`, `batch_set_weights`, `commit_weights`, `reveal_weights` and their batch
//! forms (`reference/subtensor.md` §5), plus the epoch-scheduling predicate
//! [`should_run_epoch`] (§2.6) that commit-reveal and the coinbase share.
//!
//! Mirrors subtensor's `subnets/weights.rs` (and `should_run_epoch` of
//! `coinbase/run_coinbase.rs`). A validator hotkey sets its weight row on a subnet either
//! directly (commit-reveal off) or by committing a hash and revealing it `RevealPeriodEpochs`
//! epochs later (commit-reveal v2, on by default).
//!
//! Storage read: `NetworksAdded`, `SubnetworkN`, `Uids`, `Keys`, `SubnetOwnerHotkey`,
//! `StakeThreshold` and stake ([`super::share_pool::stake_weight`]), `WeightsVersionKey`,
//! `WeightsSetRateLimit`, `ValidatorPermit`, `MinAllowedWeights`,
//! `CommitRevealWeightsEnabled`, `RevealPeriodEpochs`, `SubnetEpochIndex`, `Tempo`,
//! `PendingEpochAt`, `BlocksSinceLastStep`, `LastEpochBlock`, `System.Number`.
//! Storage written: `Weights[netuid][uid]`, `LastUpdate[netuid]`,
//! `WeightCommits[netuid][hotkey]`.
//!
//! Rules worth knowing:
//!
//! - `set_weights` refuses with `CommitRevealEnabled` while commit-reveal is on for the subnet
//!   (checked before anything else, as subtensor's dispatchable does); reveals go through the
//!   same validation without that refusal.
//! - The weights rate limit (`SettingWeightsTooFast`) applies only with commit-reveal off;
//!   with it on, the commit is rate-limited (`CommittingWeightsTooFast`) and the commit, not
//!   the reveal, refreshes `LastUpdate`.
//! - Values are max-upscaled to u16 exactly as subtensor's `vec_u16_max_upscale_to_u16`
//!   computes it in `I32F32` ([`max_upscale_to_u16`]); rows keep the caller's uid order.
//! - Epochs for commit-reveal are `SubnetEpochIndex`, plus one in a block where the subnet's
//!   epoch fires ([`current_epoch_with_lookahead`]).
//!
//! # Deviations from subtensor
//!
//! - Mechanism 0 only: the storage index is the netuid; the `_mechanism_` calls are not
//!   routed here.
//! - Timelocked commit-reveal (CRv3/v4, drand) is not implemented: no
//!   `TimelockedWeightCommits`, so [`earliest_commit_blocks`] looks at hash commits only.
//! - The pre-dispatch weight guards (`guards/check_weights.rs`) are not modelled; bad weight
//!   calls are included and fail in dispatch (they are free either way).
//! - Childkeys are not implemented, so the minimum-stake check reads the hotkey's own stake
//!   weight.
//! - `MaxWeightsLimit` is subtensor's constant `u16::MAX`, so the `MaxWeightExceeded` check
//!   always passes and is omitted.

use parity_scale_codec::Compact;
use rustensor_primitives::{AccountId32, NetUid};
pub use rustensor_runtime_types::pallets::subtensor::weights::*;

use super::storage::{
    BlocksSinceLastStep, CommitRevealWeightsEnabled, Keys, LastEpochBlock, LastUpdate,
    MinAllowedWeights, PendingEpochAt, RevealPeriodEpochs, StakeThreshold, SubnetEpochIndex,
    SubnetworkN, Tempo, Uids, ValidatorPermit, WeightCommits, Weights, WeightsSetRateLimit,
    WeightsVersionKey,
};
use super::types::WeightCommit;
use super::{Error, Event, ROOT, Result, current_block, deposit_event, subnet_exists};
use crate::dispatch::{DispatchContext, DispatchError};
use crate::storage::{Kv, KvRead};

/// `MAX_TEMPO`: the longest tempo, and the safety net of [`should_run_epoch`] (an epoch runs
/// once `BlocksSinceLastStep` exceeds it).
pub const MAX_TEMPO: u64 = 50_400;

/// At most this many unrevealed hash commits per hotkey and subnet.
pub const MAX_UNREVEALED_COMMITS: usize = 10;

/// Whether subnet `netuid`'s epoch slot fires at `block` (subtensor's `should_run_epoch`,
/// the dynamic-tempo rule of §2.6). With `tempo = Tempo[netuid]`:
///
/// - `tempo == 0`: never;
/// - (a) a manual trigger is due: `PendingEpochAt > 0 && block ≥ PendingEpochAt`;
/// - (b) the safety net: `BlocksSinceLastStep > MAX_TEMPO` (50 400);
/// - (c) a full tempo has passed: `block − LastEpochBlock ≥ tempo`.
///
/// The per-block cap (`MaxEpochsPerBlock`) and deferral are the caller's business: this only
/// says the slot is due. Commit-reveal uses it for the epoch look-ahead
/// ([`current_epoch_with_lookahead`]); the coinbase uses it to schedule epochs.
pub fn should_run_epoch(state: &(impl KvRead + ?Sized), netuid: NetUid, block: u64) -> bool {
    let tempo = Tempo::get(state, &netuid);
    if tempo == 0 {
        return false;
    }
    let pending = PendingEpochAt::get(state, &netuid);
    if pending > 0 && block >= pending {
        return true;
    }
    if BlocksSinceLastStep::get(state, &netuid) > MAX_TEMPO {
        return true;
    }
    block.saturating_sub(LastEpochBlock::get(state, &netuid)) >= u64::from(tempo)
}

/// The epoch a commit or reveal in the current block belongs to: `SubnetEpochIndex`, plus one
/// if the subnet's epoch fires in this block ([`should_run_epoch`]).
pub fn current_epoch_with_lookahead(state: &(impl KvRead + ?Sized), netuid: NetUid) -> u64 {
    let base = SubnetEpochIndex::get(state, &netuid);
    if should_run_epoch(state, netuid, current_block(state)) {
        base.saturating_add(1)
    } else {
        base
    }
}

/// Whether a commit of `commit_epoch` may be revealed now: the current epoch is exactly
/// `commit_epoch + RevealPeriodEpochs`.
pub fn is_reveal_epoch(state: &(impl KvRead + ?Sized), netuid: NetUid, commit_epoch: u64) -> bool {
    current_epoch_with_lookahead(state, netuid)
        == commit_epoch.saturating_add(RevealPeriodEpochs::get(state, &netuid))
}

/// Whether a commit of `commit_epoch` is past its reveal epoch.
pub fn is_commit_expired(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
    commit_epoch: u64,
) -> bool {
    current_epoch_with_lookahead(state, netuid)
        > commit_epoch.saturating_add(RevealPeriodEpochs::get(state, &netuid))
}

/// Per uid of `netuid`, the block of its earliest unexpired hash commit (`None` if it has
/// none), as the epoch's commit-reveal column mask reads it (§5.4). Expiry is judged at the
/// current block with the epoch look-ahead, as in subtensor's epoch.
pub fn earliest_commit_blocks(state: &(impl KvRead + ?Sized), netuid: NetUid) -> Vec<Option<u64>> {
    let n = usize::from(SubnetworkN::get(state, &netuid));
    let mut earliest: Vec<Option<u64>> = vec![None; n];
    let current = current_epoch_with_lookahead(state, netuid);
    let period = RevealPeriodEpochs::get(state, &netuid);
    for (hotkey, commits) in WeightCommits::iter_prefix(state, &netuid.0) {
        let Some(uid) = Uids::get(state, &netuid, &hotkey) else { continue };
        let Some(cell) = earliest.get_mut(usize::from(uid)) else { continue };
        for (_, commit_epoch, commit_block, _) in commits {
            if current <= commit_epoch.saturating_add(period) {
                *cell = Some(cell.map_or(commit_block, |b| b.min(commit_block)));
            }
        }
    }
    earliest
}

/// subtensor's `vec_u16_max_upscale_to_u16`: scales `values` so the largest becomes 65 535,
/// computed as subtensor does in `I32F32` (reproduced here on the raw 32.32 bits):
///
/// - all zero (or empty): unchanged;
/// - max > 32 768: `round(v × (65535 / max))`, the quotient truncated to 32 fractional bits;
/// - otherwise: `round(v × 65535 / max)`, the quotient truncated to 32 fractional bits;
///
/// rounding half away from zero.
pub fn max_upscale_to_u16(values: &[u16]) -> Vec<u16> {
    /// `I32F32` one: 2^32.
    const ONE: u128 = 1 << 32;
    /// `I32F32` one half.
    const HALF: u128 = ONE / 2;
    let max = u128::from(values.iter().copied().max().unwrap_or(0));
    if max == 0 {
        return values.to_vec();
    }
    let u16_max = u128::from(u16::MAX);
    // `round()` (half away from zero) then `saturating_to_num::<u16>()`.
    let round = |bits: u128| {
        u16::try_from(bits.saturating_add(HALF).checked_div(ONE).unwrap_or(0)).unwrap_or(u16::MAX)
    };
    if max > 32_768 {
        // I32F32 bits of 65535 / max (truncated), times an integer: exact.
        let ratio = u16_max.saturating_mul(ONE).checked_div(max).unwrap_or(0);
        values.iter().map(|&v| round(u128::from(v).saturating_mul(ratio))).collect()
    } else {
        // I32F32 bits of (v × 65535) / max (truncated).
        values
            .iter()
            .map(|&v| {
                let scaled = u128::from(v).saturating_mul(u16_max).saturating_mul(ONE);
                round(scaled.checked_div(max).unwrap_or(0))
            })
            .collect()
    }
}

/// `set_weights`: refused while commit-reveal is enabled for the subnet, otherwise
/// [`do_set_weights`].
///
/// # Errors
///
/// [`Error::CommitRevealEnabled`], then those of [`do_set_weights`].
pub fn set_weights(
    ctx: &mut DispatchContext<'_>,
    hotkey: &AccountId32,
    netuid: NetUid,
    dests: &[u16],
    weights: &[u16],
    version_key: u64,
) -> Result<()> {
    if CommitRevealWeightsEnabled::get(ctx.state, &netuid) {
        return Err(Error::CommitRevealEnabled);
    }
    do_set_weights(ctx, hotkey, netuid, dests, weights, version_key)
}

/// subtensor's `do_set_weights` (used by `set_weights`, the batch and the reveals): validates
/// and stores `hotkey`'s weight row on `netuid`. Stores `Weights[netuid][uid]` as
/// `(uid, max-upscaled value)` pairs in the given order; with commit-reveal off sets
/// `LastUpdate[uid] = now`. Event `WeightsSet(netuid, uid)`.
///
/// # Errors
///
/// In this order: [`Error::CanNotSetRootNetworkWeights`], [`Error::WeightVecNotEqualSize`],
/// [`Error::MechanismDoesNotExist`] (no such subnet), [`Error::UidsLengthExceedUidsInSubNet`],
/// [`Error::HotKeyNotRegisteredInSubNet`], [`Error::NotEnoughStakeToSetWeights`] (not for the
/// owner hotkey), [`Error::IncorrectWeightVersionKey`], [`Error::SettingWeightsTooFast`]
/// (commit-reveal off only), [`Error::NeuronNoValidatorPermit`] (not for a self-weight or the
/// owner), [`Error::DuplicateUids`], [`Error::UidVecContainInvalidOne`],
/// [`Error::WeightVecLengthIsLow`].
pub fn do_set_weights(
    ctx: &mut DispatchContext<'_>,
    hotkey: &AccountId32,
    netuid: NetUid,
    uids: &[u16],
    values: &[u16],
    version_key: u64,
) -> Result<()> {
    let state = &*ctx.state;
    if netuid == ROOT {
        return Err(Error::CanNotSetRootNetworkWeights);
    }
    if uids.len() != values.len() {
        return Err(Error::WeightVecNotEqualSize);
    }
    if !subnet_exists(state, netuid) {
        return Err(Error::MechanismDoesNotExist);
    }
    let subnet_n = SubnetworkN::get(state, &netuid);
    if uids.len() > usize::from(subnet_n) {
        return Err(Error::UidsLengthExceedUidsInSubNet);
    }
    let uid = Uids::get(state, &netuid, hotkey).ok_or(Error::HotKeyNotRegisteredInSubNet)?;
    let is_owner = super::owner_uid(state, netuid) == Some(uid);
    if !is_owner
        && super::share_pool::stake_weight(state, hotkey, netuid) < StakeThreshold::get(state)
    {
        return Err(Error::NotEnoughStakeToSetWeights);
    }
    let network_key = WeightsVersionKey::get(state, &netuid);
    if network_key != 0 && version_key < network_key {
        return Err(Error::IncorrectWeightVersionKey);
    }
    let now = current_block(state);
    let commit_reveal = CommitRevealWeightsEnabled::get(state, &netuid);
    if !commit_reveal && !passes_rate_limit(state, netuid, uid, now) {
        return Err(Error::SettingWeightsTooFast);
    }
    let self_weight = is_self_weight(uid, uids, values);
    let permitted =
        ValidatorPermit::get(state, &netuid).get(usize::from(uid)).copied().unwrap_or(false);
    if !(self_weight || is_owner || permitted) {
        return Err(Error::NeuronNoValidatorPermit);
    }
    if has_duplicates(uids) {
        return Err(Error::DuplicateUids);
    }
    if uids.iter().any(|u| !Keys::contains_key(state, &netuid, u)) {
        return Err(Error::UidVecContainInvalidOne);
    }
    let min_allowed = MinAllowedWeights::get(state, &netuid).min(subnet_n);
    if !self_weight && values.len() < usize::from(min_allowed) {
        return Err(Error::WeightVecLengthIsLow);
    }
    let row: Vec<(u16, u16)> = uids.iter().copied().zip(max_upscale_to_u16(values)).collect();
    Weights::insert(ctx.state, &netuid.0, &uid, &row);
    if !commit_reveal {
        set_last_update(ctx.state, netuid, uid, now);
    }
    deposit_event(ctx, Event::WeightsSet(netuid.0, uid));
    Ok(())
}

/// `batch_set_weights`: [`set_weights`] for each `(netuid, row, version_key)`, continuing on
/// errors. Every failed item becomes `BatchWeightItemFailed(netuid, error)` after one
/// `BatchCompletedWithErrors()`; then `BatchWeightsCompleted(netuids, hotkey)`.
///
/// # Errors
///
/// [`Error::InputLengthsUnequal`] if the three vectors differ in length; item errors never
/// fail the call.
pub fn batch_set_weights(
    ctx: &mut DispatchContext<'_>,
    hotkey: &AccountId32,
    netuids: &[Compact<NetUid>],
    weights: &[Vec<(Compact<u16>, Compact<u16>)>],
    version_keys: &[Compact<u64>],
) -> Result<()> {
    if netuids.len() != weights.len() || netuids.len() != version_keys.len() {
        return Err(Error::InputLengthsUnequal);
    }
    let mut results = Vec::with_capacity(netuids.len());
    for ((netuid, row), version_key) in netuids.iter().zip(weights).zip(version_keys) {
        let netuid = netuid.0;
        let uids: Vec<u16> = row.iter().map(|(u, _)| u.0).collect();
        let values: Vec<u16> = row.iter().map(|(_, v)| v.0).collect();
        let result = ctx
            .transactional(|ctx| set_weights(ctx, hotkey, netuid, &uids, &values, version_key.0));
        results.push((netuid, result));
    }
    finish_batch(ctx, hotkey, netuids, results);
    Ok(())
}

/// `commit_weights`: records a hash commit for the current epoch (with look-ahead) and
/// refreshes `LastUpdate[uid]`. Expired commits are dropped from the front of the queue
/// first. Event `WeightsCommitted(hotkey, netuid, hash)`.
///
/// # Errors
///
/// In this order: [`Error::MechanismDoesNotExist`] (no such subnet),
/// [`Error::CommitRevealDisabled`], [`Error::HotKeyNotRegisteredInSubNet`],
/// [`Error::CommittingWeightsTooFast`], [`Error::TooManyUnrevealedCommits`] (10 pending).
pub fn commit_weights(
    ctx: &mut DispatchContext<'_>,
    hotkey: &AccountId32,
    netuid: NetUid,
    commit_hash: [u8; 32],
) -> Result<()> {
    let state = &*ctx.state;
    if !subnet_exists(state, netuid) {
        return Err(Error::MechanismDoesNotExist);
    }
    if !CommitRevealWeightsEnabled::get(state, &netuid) {
        return Err(Error::CommitRevealDisabled);
    }
    let uid = Uids::get(state, &netuid, hotkey).ok_or(Error::HotKeyNotRegisteredInSubNet)?;
    let now = current_block(state);
    if !passes_rate_limit(state, netuid, uid, now) {
        return Err(Error::CommittingWeightsTooFast);
    }
    let commit_epoch = current_epoch_with_lookahead(state, netuid);
    let mut commits = WeightCommits::get(state, &netuid.0, hotkey).unwrap_or_default();
    let expired = commits.iter().take_while(|c| is_commit_expired(state, netuid, c.1)).count();
    commits.drain(..expired);
    if commits.len() >= MAX_UNREVEALED_COMMITS {
        return Err(Error::TooManyUnrevealedCommits);
    }
    commits.push((commit_hash, commit_epoch, now, 0));
    WeightCommits::insert(ctx.state, &netuid.0, hotkey, &commits);
    deposit_event(ctx, Event::WeightsCommitted(*hotkey, netuid.0, commit_hash));
    set_last_update(ctx.state, netuid, uid, now);
    Ok(())
}

/// `batch_commit_weights`: [`commit_weights`] for each `(netuid, hash)`, continuing on
/// errors, with the events of [`batch_set_weights`].
///
/// # Errors
///
/// [`Error::InputLengthsUnequal`]; item errors never fail the call.
pub fn batch_commit_weights(
    ctx: &mut DispatchContext<'_>,
    hotkey: &AccountId32,
    netuids: &[Compact<NetUid>],
    commit_hashes: &[[u8; 32]],
) -> Result<()> {
    if netuids.len() != commit_hashes.len() {
        return Err(Error::InputLengthsUnequal);
    }
    let mut results = Vec::with_capacity(netuids.len());
    for (netuid, hash) in netuids.iter().zip(commit_hashes) {
        let netuid = netuid.0;
        let result = ctx.transactional(|ctx| commit_weights(ctx, hotkey, netuid, *hash));
        results.push((netuid, result));
    }
    finish_batch(ctx, hotkey, netuids, results);
    Ok(())
}

/// `reveal_weights`: finds the commit whose hash matches the revealed data, checks it is in
/// its reveal epoch, drops it and every earlier commit, and sets the weights through
/// [`do_set_weights`] (no `CommitRevealEnabled` refusal, no rate limit). Expired commits are
/// dropped from the front first. Event `WeightsRevealed(hotkey, netuid, hash)` after
/// `WeightsSet`. Atomic: on any error nothing changes.
///
/// # Errors
///
/// [`Error::CommitRevealDisabled`]; [`Error::NoWeightsCommitFound`] (no commits, or only
/// expired ones that do not match); [`Error::ExpiredWeightCommit`] (matches an expired one);
/// [`Error::RevealTooEarly`]; [`Error::InvalidRevealCommitHashNotMatch`]; then those of
/// [`do_set_weights`].
pub fn reveal_weights(
    ctx: &mut DispatchContext<'_>,
    hotkey: &AccountId32,
    netuid: NetUid,
    uids: &[u16],
    values: &[u16],
    salt: &[u16],
    version_key: u64,
) -> Result<()> {
    if !CommitRevealWeightsEnabled::get(ctx.state, &netuid) {
        return Err(Error::CommitRevealDisabled);
    }
    ctx.transactional(|ctx| {
        let state = &*ctx.state;
        let mut commits =
            WeightCommits::get(state, &netuid.0, hotkey).ok_or(Error::NoWeightsCommitFound)?;
        let expired_hashes = pop_expired(state, netuid, &mut commits);
        let hash = commit_hash(hotkey, netuid.0, uids, values, salt, version_key);
        if commits.is_empty() {
            return Err(if expired_hashes.contains(&hash) {
                Error::ExpiredWeightCommit
            } else {
                Error::NoWeightsCommitFound
            });
        }
        let Some(position) = commits.iter().position(|c| c.0 == hash) else {
            return Err(if expired_hashes.contains(&hash) {
                Error::ExpiredWeightCommit
            } else {
                Error::InvalidRevealCommitHashNotMatch
            });
        };
        let commit_epoch = commits.get(position).map_or(0, |c| c.1);
        if !is_reveal_epoch(state, netuid, commit_epoch) {
            return Err(Error::RevealTooEarly);
        }
        commits.drain(..=position);
        store_commits(ctx.state, netuid, hotkey, &commits);
        do_set_weights(ctx, hotkey, netuid, uids, values, version_key)?;
        deposit_event(ctx, Event::WeightsRevealed(*hotkey, netuid.0, hash));
        Ok(())
    })
}

/// `batch_reveal_weights`: reveals several commits at once. All reveals are validated first
/// (each must match an unexpired commit in its reveal epoch); then each matched commit alone
/// is removed and its weights set through [`do_set_weights`], in the given order (so the last
/// one's row stays). Event `WeightsBatchRevealed(hotkey, netuid, hashes)`. Atomic.
///
/// # Errors
///
/// [`Error::InputLengthsUnequal`], [`Error::CommitRevealDisabled`],
/// [`Error::NoWeightsCommitFound`] (no commits stored), then per reveal
/// [`Error::ExpiredWeightCommit`] / [`Error::InvalidRevealCommitHashNotMatch`] /
/// [`Error::RevealTooEarly`], then those of [`do_set_weights`].
pub fn batch_reveal_weights(
    ctx: &mut DispatchContext<'_>,
    hotkey: &AccountId32,
    netuid: NetUid,
    uids_list: &[Vec<u16>],
    values_list: &[Vec<u16>],
    salts_list: &[Vec<u16>],
    version_keys: &[u64],
) -> Result<()> {
    let n = uids_list.len();
    if n != values_list.len() || n != salts_list.len() || n != version_keys.len() {
        return Err(Error::InputLengthsUnequal);
    }
    if !CommitRevealWeightsEnabled::get(ctx.state, &netuid) {
        return Err(Error::CommitRevealDisabled);
    }
    ctx.transactional(|ctx| {
        let state = &*ctx.state;
        let mut commits =
            WeightCommits::get(state, &netuid.0, hotkey).ok_or(Error::NoWeightsCommitFound)?;
        let expired_hashes = pop_expired(state, netuid, &mut commits);
        let hashes: Vec<[u8; 32]> = (0..n)
            .map(|i| {
                commit_hash(
                    hotkey,
                    netuid.0,
                    &uids_list[i],
                    &values_list[i],
                    &salts_list[i],
                    version_keys[i],
                )
            })
            .collect();
        for hash in &hashes {
            let Some(commit) = commits.iter().find(|c| c.0 == *hash) else {
                return Err(if expired_hashes.contains(hash) {
                    Error::ExpiredWeightCommit
                } else {
                    Error::InvalidRevealCommitHashNotMatch
                });
            };
            if !is_reveal_epoch(state, netuid, commit.1) {
                return Err(Error::RevealTooEarly);
            }
        }
        let mut revealed = Vec::with_capacity(n);
        for (i, hash) in hashes.into_iter().enumerate() {
            let Some(position) = commits.iter().position(|c| c.0 == hash) else {
                // The same reveal twice: its commit went with the first.
                return Err(if expired_hashes.contains(&hash) {
                    Error::ExpiredWeightCommit
                } else {
                    Error::InvalidRevealCommitHashNotMatch
                });
            };
            commits.remove(position);
            do_set_weights(ctx, hotkey, netuid, &uids_list[i], &values_list[i], version_keys[i])?;
            revealed.push(hash);
        }
        store_commits(ctx.state, netuid, hotkey, &commits);
        deposit_event(ctx, Event::WeightsBatchRevealed(*hotkey, netuid, revealed));
        Ok(())
    })
}

/// subtensor's `check_rate_limit`: never set (0) or `WeightsSetRateLimit` blocks since
/// `LastUpdate[uid]`; false for a uid that does not exist.
fn passes_rate_limit(state: &(impl KvRead + ?Sized), netuid: NetUid, uid: u16, now: u64) -> bool {
    if !Keys::contains_key(state, &netuid, &uid) {
        return false;
    }
    let last = LastUpdate::get(state, &netuid.0).get(usize::from(uid)).copied().unwrap_or(0);
    last == 0 || now.saturating_sub(last) >= WeightsSetRateLimit::get(state, &netuid)
}

/// `LastUpdate[netuid][uid] = block` (no-op for a uid beyond the vector, as in subtensor).
fn set_last_update(state: &mut (impl Kv + ?Sized), netuid: NetUid, uid: u16, block: u64) {
    let mut last = LastUpdate::get(state, &netuid.0);
    if let Some(cell) = last.get_mut(usize::from(uid)) {
        *cell = block;
        LastUpdate::insert(state, &netuid.0, &last);
    }
}

/// A single weight on the caller's own uid.
fn is_self_weight(uid: u16, uids: &[u16], values: &[u16]) -> bool {
    values.len() == 1 && uids.first() == Some(&uid)
}

fn has_duplicates(uids: &[u16]) -> bool {
    let mut seen = std::collections::BTreeSet::new();
    uids.iter().any(|u| !seen.insert(*u))
}

/// Drops expired commits from the front of the queue; returns their hashes.
fn pop_expired(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
    commits: &mut Vec<WeightCommit>,
) -> Vec<[u8; 32]> {
    let expired = commits.iter().take_while(|c| is_commit_expired(state, netuid, c.1)).count();
    commits.drain(..expired).map(|c| c.0).collect()
}

/// Writes the commit queue back, removing the entry when it is empty.
fn store_commits(
    state: &mut (impl Kv + ?Sized),
    netuid: NetUid,
    hotkey: &AccountId32,
    commits: &[WeightCommit],
) {
    if commits.is_empty() {
        WeightCommits::remove(state, &netuid.0, hotkey);
    } else {
        WeightCommits::insert(state, &netuid.0, hotkey, &commits.to_vec());
    }
}

/// The closing events of a weights batch.
fn finish_batch(
    ctx: &mut DispatchContext<'_>,
    hotkey: &AccountId32,
    netuids: &[Compact<NetUid>],
    results: Vec<(NetUid, Result<()>)>,
) {
    let mut reported = false;
    for (netuid, result) in results {
        if let Err(error) = result {
            if !reported {
                deposit_event(ctx, Event::BatchCompletedWithErrors());
                reported = true;
            }
            deposit_event(ctx, Event::BatchWeightItemFailed(netuid, DispatchError::from(error)));
        }
    }
    deposit_event(ctx, Event::BatchWeightsCompleted(netuids.to_vec(), *hotkey));
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "test arithmetic on small constants")]
mod tests {
    use parity_scale_codec::{Decode, Encode};
    use rustensor_primitives::hashing::blake2_256;

    use super::*;
    use crate::events::{EventRecord, Phase};
    use crate::pallets::system;
    use crate::storage::MemoryKv;

    const NET: NetUid = NetUid(1);
    const MISSING: NetUid = NetUid(9);
    const OWNER_HOT: u8 = 2;

    fn acc(b: u8) -> AccountId32 {
        AccountId32([b; 32])
    }

    /// The hotkey of uid `uid` in [`setup`].
    fn hot(uid: u16) -> AccountId32 {
        acc(10 + u8::try_from(uid).unwrap())
    }

    /// Subnet `NET` (tempo 360, commit-reveal off) with `n` neurons registered at block 1
    /// (uid i = `hot(i)`), uid 0 holding a validator permit; block 1000, the last epoch at
    /// block 1000 (index 5), so the next fires at 1360.
    fn setup(n: u16) -> MemoryKv {
        let mut state = MemoryKv::new();
        super::super::subnets::init_network(
            &mut state,
            NET,
            &acc(1),
            &acc(OWNER_HOT),
            &Default::default(),
            1,
        );
        for uid in 0..n {
            let cold = acc(100 + u8::try_from(uid).unwrap());
            super::super::create_account_if_non_existent(&mut state, &cold, &hot(uid));
            assert_eq!(
                super::super::registration::append_neuron(&mut state, NET, &hot(uid), 1),
                uid
            );
        }
        let mut permits = vec![false; usize::from(n)];
        if let Some(p) = permits.first_mut() {
            *p = true;
        }
        ValidatorPermit::insert(&mut state, &NET, &permits);
        CommitRevealWeightsEnabled::insert(&mut state, &NET, &false);
        LastEpochBlock::insert(&mut state, &NET, &1000);
        SubnetEpochIndex::insert(&mut state, &NET, &5);
        system::Number::put(&mut state, &1000);
        state
    }

    /// [`setup`] with commit-reveal on (the default).
    fn setup_cr(n: u16) -> MemoryKv {
        let mut state = setup(n);
        CommitRevealWeightsEnabled::remove(&mut state, &NET);
        state
    }

    fn at(state: &mut MemoryKv, block: u64) {
        system::Number::put(state, &u32::try_from(block).unwrap());
    }

    /// Moves to `block` as if the epoch fired at `fired_at` (index + 1).
    fn epoch_fired(state: &mut MemoryKv, fired_at: u64, block: u64) {
        SubnetEpochIndex::mutate(state, &NET, |i| *i += 1);
        LastEpochBlock::insert(state, &NET, &fired_at);
        at(state, block);
    }

    fn subtensor_events(events: &[EventRecord]) -> Vec<Event> {
        events
            .iter()
            .filter(|r| r.event.first() == Some(&super::super::PALLET_INDEX))
            .map(|r| Event::decode(&mut &r.event[1..]).expect("a subtensor event"))
            .collect()
    }

    /// Runs `f` in a fresh dispatch context; returns its result and the subtensor events.
    fn run<T>(
        state: &mut MemoryKv,
        f: impl FnOnce(&mut DispatchContext<'_>) -> T,
    ) -> (T, Vec<Event>) {
        let mut events = Vec::new();
        let result = {
            let mut ctx = DispatchContext::new(state, &mut events, Phase::ApplyExtrinsic(0));
            f(&mut ctx)
        };
        (result, subtensor_events(&events))
    }

    fn set(
        state: &mut MemoryKv,
        who: &AccountId32,
        net: NetUid,
        uids: &[u16],
        vals: &[u16],
    ) -> Result<()> {
        run(state, |ctx| set_weights(ctx, who, net, uids, vals, 0)).0
    }

    fn commit(state: &mut MemoryKv, who: &AccountId32, hash: [u8; 32]) -> Result<()> {
        run(state, |ctx| commit_weights(ctx, who, NET, hash)).0
    }

    fn reveal(
        state: &mut MemoryKv,
        who: &AccountId32,
        uids: &[u16],
        vals: &[u16],
        salt: &[u16],
    ) -> (Result<()>, Vec<Event>) {
        run(state, |ctx| reveal_weights(ctx, who, NET, uids, vals, salt, 0))
    }

    fn hash_of(who: &AccountId32, uids: &[u16], vals: &[u16], salt: &[u16]) -> [u8; 32] {
        commit_hash(who, NET.0, uids, vals, salt, 0)
    }

    fn last_update(state: &MemoryKv, uid: u16) -> u64 {
        LastUpdate::get(state, &NET.0)[usize::from(uid)]
    }

    // ---- should_run_epoch / look-ahead ---------------------------------------------------

    #[test]
    fn test_should_run_epoch_follows_dynamic_tempo_rules() {
        let mut state = setup(1);
        assert!(!should_run_epoch(&state, NET, 1359), "tempo not yet elapsed");
        assert!(should_run_epoch(&state, NET, 1360), "tempo elapsed");
        PendingEpochAt::insert(&mut state, &NET, &1100);
        assert!(!should_run_epoch(&state, NET, 1099));
        assert!(should_run_epoch(&state, NET, 1100), "manual trigger due");
        PendingEpochAt::remove(&mut state, &NET);
        BlocksSinceLastStep::insert(&mut state, &NET, &MAX_TEMPO);
        assert!(!should_run_epoch(&state, NET, 1001));
        BlocksSinceLastStep::insert(&mut state, &NET, &(MAX_TEMPO + 1));
        assert!(should_run_epoch(&state, NET, 1001), "safety net");
        Tempo::insert(&mut state, &NET, &0);
        PendingEpochAt::insert(&mut state, &NET, &1000);
        assert!(!should_run_epoch(&state, NET, 1_000_000), "tempo 0 never runs");
    }

    #[test]
    fn test_current_epoch_looks_ahead_on_fire_block() {
        let mut state = setup(1);
        assert_eq!(current_epoch_with_lookahead(&state, NET), 5);
        at(&mut state, 1360);
        assert_eq!(current_epoch_with_lookahead(&state, NET), 6);
    }

    // ---- max upscale ---------------------------------------------------------------------

    #[test]
    fn test_max_upscale_matches_subtensor_fixed_point_rounding() {
        let cases: [(&[u16], &[u16]); 7] = [
            (&[], &[]),
            (&[0, 0], &[0, 0]),
            (&[1, 2], &[32_768, 65_535]),
            (&[1, 3], &[21_845, 65_535]),
            (&[5], &[65_535]),
            // max > 32768: 65535/max is truncated to 32 fractional bits first, so an exact
            // half (20000 × 65535/40000 = 32767.5) rounds down.
            (&[20_000, 40_000, 0], &[32_767, 65_535, 0]),
            (&[65_535, 1, 32_768], &[65_535, 1, 32_768]),
        ];
        for (input, expected) in cases {
            assert_eq!(max_upscale_to_u16(input), expected, "{input:?}");
        }
    }

    // ---- set_weights ---------------------------------------------------------------------

    #[test]
    fn test_set_weights_stores_upscaled_row_in_given_order() {
        let mut state = setup(3);
        let (result, events) =
            run(&mut state, |ctx| set_weights(ctx, &hot(0), NET, &[2, 1], &[2, 1], 0));
        assert_eq!(result, Ok(()));
        assert_eq!(events, vec![Event::WeightsSet(NET.0, 0)]);
        assert_eq!(Weights::get(&state, &NET.0, &0), vec![(2, 65_535), (1, 32_768)]);
        assert_eq!(last_update(&state, 0), 1000);
        assert_eq!(last_update(&state, 1), 1, "other uids untouched");
    }

    #[test]
    fn test_set_weights_refused_while_commit_reveal_enabled() {
        let mut state = setup_cr(3);
        assert_eq!(set(&mut state, &hot(0), NET, &[0], &[1]), Err(Error::CommitRevealEnabled));
        // Checked before anything else: also on root and on a missing subnet (default on).
        assert_eq!(set(&mut state, &hot(0), ROOT, &[0], &[1]), Err(Error::CommitRevealEnabled));
        assert_eq!(set(&mut state, &hot(0), MISSING, &[0], &[1]), Err(Error::CommitRevealEnabled));
        assert_eq!(Weights::get(&state, &NET.0, &0), vec![]);
    }

    #[test]
    fn test_set_weights_errors_in_subtensor_order() {
        type Prepare = fn(&mut MemoryKv);
        /// Name, state change, caller, netuid, uids, values, expected error.
        type Case = (&'static str, Prepare, u8, NetUid, Vec<u16>, Vec<u16>, Error);
        let nothing: Prepare = |_| {};
        let cases: Vec<Case> = vec![
            (
                "root",
                |s| CommitRevealWeightsEnabled::insert(s, &ROOT, &false),
                10,
                ROOT,
                vec![0, 1],
                vec![1],
                Error::CanNotSetRootNetworkWeights,
            ),
            ("lengths", nothing, 10, NET, vec![0, 1], vec![1], Error::WeightVecNotEqualSize),
            (
                "missing subnet",
                |s| CommitRevealWeightsEnabled::insert(s, &MISSING, &false),
                99,
                MISSING,
                vec![0],
                vec![1],
                Error::MechanismDoesNotExist,
            ),
            (
                "too many uids",
                nothing,
                99,
                NET,
                vec![0, 1, 2, 3],
                vec![1, 1, 1, 1],
                Error::UidsLengthExceedUidsInSubNet,
            ),
            (
                "unregistered",
                nothing,
                99,
                NET,
                vec![0],
                vec![1],
                Error::HotKeyNotRegisteredInSubNet,
            ),
            (
                "stake",
                |s| StakeThreshold::put(s, &1),
                10,
                NET,
                vec![0, 0],
                vec![1, 1],
                Error::NotEnoughStakeToSetWeights,
            ),
            (
                "version key",
                |s| WeightsVersionKey::insert(s, &NET, &1),
                10,
                NET,
                vec![0, 0],
                vec![1, 1],
                Error::IncorrectWeightVersionKey,
            ),
            (
                "rate limit",
                |s| LastUpdate::insert(s, &NET.0, &vec![950, 950, 950]),
                10,
                NET,
                vec![0, 0],
                vec![1, 1],
                Error::SettingWeightsTooFast,
            ),
            ("permit", nothing, 11, NET, vec![0, 0], vec![1, 1], Error::NeuronNoValidatorPermit),
            ("duplicates", nothing, 10, NET, vec![1, 1], vec![1, 1], Error::DuplicateUids),
            (
                "invalid uid",
                |s| SubnetworkN::insert(s, &NET, &5),
                10,
                NET,
                vec![1, 4],
                vec![1, 1],
                Error::UidVecContainInvalidOne,
            ),
            (
                "too few",
                |s| MinAllowedWeights::insert(s, &NET, &3),
                10,
                NET,
                vec![1, 2],
                vec![1, 1],
                Error::WeightVecLengthIsLow,
            ),
        ];
        for (name, prepare, who, net, uids, vals, error) in cases {
            let mut state = setup(3);
            prepare(&mut state);
            let (result, events) =
                run(&mut state, |ctx| set_weights(ctx, &acc(who), net, &uids, &vals, 0));
            assert_eq!(result, Err(error), "{name}");
            assert!(events.is_empty(), "{name}");
            assert_eq!(Weights::iter(&state).count(), 0, "{name}");
        }
    }

    #[test]
    fn test_set_weights_min_stake_counts_stake_and_exempts_owner() {
        let mut state = setup(2);
        StakeThreshold::put(&mut state, &1_000);
        assert_eq!(
            set(&mut state, &hot(0), NET, &[1], &[1]),
            Err(Error::NotEnoughStakeToSetWeights)
        );
        super::super::share_pool::credit_new_alpha(&mut state, &hot(0), &acc(100), NET, 1_000);
        assert_eq!(set(&mut state, &hot(0), NET, &[1], &[1]), Ok(()));
        // The owner hotkey needs neither stake nor a permit.
        super::super::registration::append_neuron(&mut state, NET, &acc(OWNER_HOT), 1);
        assert_eq!(set(&mut state, &acc(OWNER_HOT), NET, &[0, 1], &[1, 1]), Ok(()));
        assert_eq!(Weights::get(&state, &NET.0, &2), vec![(0, 65_535), (1, 65_535)]);
    }

    #[test]
    fn test_set_weights_version_key_must_reach_the_network_key() {
        let mut state = setup(2);
        WeightsVersionKey::insert(&mut state, &NET, &7);
        let (result, _) = run(&mut state, |ctx| set_weights(ctx, &hot(0), NET, &[1], &[1], 6));
        assert_eq!(result, Err(Error::IncorrectWeightVersionKey));
        let (result, _) = run(&mut state, |ctx| set_weights(ctx, &hot(0), NET, &[1], &[1], 8));
        assert_eq!(result, Ok(()));
    }

    #[test]
    fn test_set_weights_rate_limit_counts_from_last_update() {
        let mut state = setup(2);
        assert_eq!(set(&mut state, &hot(0), NET, &[1], &[1]), Ok(()));
        at(&mut state, 1099);
        assert_eq!(set(&mut state, &hot(0), NET, &[1], &[1]), Err(Error::SettingWeightsTooFast));
        at(&mut state, 1100);
        assert_eq!(set(&mut state, &hot(0), NET, &[1], &[1]), Ok(()));
        WeightsSetRateLimit::insert(&mut state, &NET, &0);
        assert_eq!(set(&mut state, &hot(0), NET, &[0], &[1]), Ok(()), "limit 0");
    }

    #[test]
    fn test_set_weights_self_weight_needs_no_permit_nor_min_length() {
        let mut state = setup(3);
        MinAllowedWeights::insert(&mut state, &NET, &3);
        assert_eq!(set(&mut state, &hot(1), NET, &[1], &[9]), Ok(()));
        assert_eq!(Weights::get(&state, &NET.0, &1), vec![(1, 65_535)]);
        assert_eq!(set(&mut state, &hot(2), NET, &[1], &[9]), Err(Error::NeuronNoValidatorPermit));
        // MinAllowedWeights is capped at the subnet size.
        MinAllowedWeights::insert(&mut state, &NET, &50);
        assert_eq!(set(&mut state, &hot(0), NET, &[0, 1, 2], &[1, 1, 0]), Ok(()));
    }

    // ---- batch_set_weights ---------------------------------------------------------------

    fn row(pairs: &[(u16, u16)]) -> Vec<(Compact<u16>, Compact<u16>)> {
        pairs.iter().map(|&(u, w)| (Compact(u), Compact(w))).collect()
    }

    #[test]
    fn test_batch_set_weights_reports_item_failures_as_events() {
        let mut state = setup(2);
        let netuids = vec![Compact(NET), Compact(MISSING)];
        let rows = vec![row(&[(1, 4), (0, 2)]), row(&[(0, 1)])];
        let keys = vec![Compact(0u64), Compact(0)];
        let (result, events) =
            run(&mut state, |ctx| batch_set_weights(ctx, &hot(0), &netuids, &rows, &keys));
        assert_eq!(result, Ok(()));
        assert_eq!(
            events,
            vec![
                Event::WeightsSet(NET.0, 0),
                Event::BatchCompletedWithErrors(),
                Event::BatchWeightItemFailed(MISSING, Error::CommitRevealEnabled.into()),
                Event::BatchWeightsCompleted(netuids.clone(), hot(0)),
            ]
        );
        assert_eq!(Weights::get(&state, &NET.0, &0), vec![(1, 65_535), (0, 32_768)]);
    }

    #[test]
    fn test_batch_set_weights_all_ok_emits_only_completion() {
        let mut state = setup(2);
        let netuids = vec![Compact(NET)];
        let (result, events) = run(&mut state, |ctx| {
            batch_set_weights(ctx, &hot(0), &netuids, &[row(&[(1, 1)])], &[Compact(0)])
        });
        assert_eq!(result, Ok(()));
        assert_eq!(
            events,
            vec![Event::WeightsSet(NET.0, 0), Event::BatchWeightsCompleted(netuids, hot(0))]
        );
    }

    #[test]
    fn test_batch_set_weights_unequal_inputs_fail_the_call() {
        let mut state = setup(2);
        let (result, events) = run(&mut state, |ctx| {
            batch_set_weights(ctx, &hot(0), &[Compact(NET)], &[], &[Compact(0)])
        });
        assert_eq!(result, Err(Error::InputLengthsUnequal));
        assert!(events.is_empty());
    }

    // ---- commit_weights ------------------------------------------------------------------

    #[test]
    fn test_commit_weights_records_epoch_block_and_last_update() {
        let mut state = setup_cr(2);
        let (result, events) = run(&mut state, |ctx| commit_weights(ctx, &hot(1), NET, [7; 32]));
        assert_eq!(result, Ok(()));
        assert_eq!(events, vec![Event::WeightsCommitted(hot(1), NET.0, [7; 32])]);
        assert_eq!(WeightCommits::get(&state, &NET.0, &hot(1)), Some(vec![([7; 32], 5, 1000, 0)]));
        assert_eq!(last_update(&state, 1), 1000, "a commit counts as activity");
    }

    #[test]
    fn test_commit_on_fire_block_belongs_to_next_epoch() {
        let mut state = setup_cr(2);
        at(&mut state, 1360);
        assert_eq!(commit(&mut state, &hot(1), [7; 32]), Ok(()));
        assert_eq!(WeightCommits::get(&state, &NET.0, &hot(1)), Some(vec![([7; 32], 6, 1360, 0)]));
    }

    #[test]
    fn test_commit_weights_errors() {
        let mut state = setup_cr(2);
        let (result, _) = run(&mut state, |ctx| commit_weights(ctx, &hot(0), MISSING, [1; 32]));
        assert_eq!(result, Err(Error::MechanismDoesNotExist));
        assert_eq!(commit(&mut state, &acc(99), [1; 32]), Err(Error::HotKeyNotRegisteredInSubNet));
        assert_eq!(commit(&mut state, &hot(0), [1; 32]), Ok(()));
        at(&mut state, 1099);
        assert_eq!(commit(&mut state, &hot(0), [2; 32]), Err(Error::CommittingWeightsTooFast));
        CommitRevealWeightsEnabled::insert(&mut state, &NET, &false);
        assert_eq!(commit(&mut state, &hot(0), [2; 32]), Err(Error::CommitRevealDisabled));
        assert_eq!(WeightCommits::get(&state, &NET.0, &hot(0)).unwrap().len(), 1);
    }

    #[test]
    fn test_commit_weights_caps_unrevealed_commits_and_pops_expired() {
        let mut state = setup_cr(1);
        WeightsSetRateLimit::insert(&mut state, &NET, &0);
        for i in 0..10u8 {
            assert_eq!(commit(&mut state, &hot(0), [i; 32]), Ok(()));
        }
        assert_eq!(commit(&mut state, &hot(0), [10; 32]), Err(Error::TooManyUnrevealedCommits));
        // Two epochs later (period 1) all ten are expired and dropped by the next commit.
        epoch_fired(&mut state, 1360, 1400);
        assert_eq!(commit(&mut state, &hot(0), [10; 32]), Err(Error::TooManyUnrevealedCommits));
        epoch_fired(&mut state, 1720, 1750);
        assert_eq!(commit(&mut state, &hot(0), [10; 32]), Ok(()));
        assert_eq!(WeightCommits::get(&state, &NET.0, &hot(0)), Some(vec![([10; 32], 7, 1750, 0)]));
    }

    #[test]
    fn test_batch_commit_weights_continues_on_errors() {
        let mut state = setup_cr(2);
        let netuids = vec![Compact(MISSING), Compact(NET)];
        let (result, events) = run(&mut state, |ctx| {
            batch_commit_weights(ctx, &hot(0), &netuids, &[[1; 32], [2; 32]])
        });
        assert_eq!(result, Ok(()));
        assert_eq!(
            events,
            vec![
                Event::WeightsCommitted(hot(0), NET.0, [2; 32]),
                Event::BatchCompletedWithErrors(),
                Event::BatchWeightItemFailed(MISSING, Error::MechanismDoesNotExist.into()),
                Event::BatchWeightsCompleted(netuids.clone(), hot(0)),
            ]
        );
        let (result, _) = run(&mut state, |ctx| batch_commit_weights(ctx, &hot(0), &netuids, &[]));
        assert_eq!(result, Err(Error::InputLengthsUnequal));
    }

    // ---- reveal_weights ------------------------------------------------------------------

    #[test]
    fn test_commit_reveal_window_across_epochs() {
        let mut state = setup_cr(3);
        let (uids, vals, salt) = ([1u16, 2], [1u16, 2], [9u16, 9, 9]);
        let hash = hash_of(&hot(0), &uids, &vals, &salt);
        at(&mut state, 1300);
        assert_eq!(commit(&mut state, &hot(0), hash), Ok(()));
        // Same epoch: too early.
        at(&mut state, 1359);
        assert_eq!(reveal(&mut state, &hot(0), &uids, &vals, &salt).0, Err(Error::RevealTooEarly));
        // The fire block of the next epoch already counts as epoch 6 = 5 + 1; the weights
        // rate limit (100 blocks since the commit) does not apply to reveals.
        at(&mut state, 1360);
        let (result, events) = reveal(&mut state, &hot(0), &uids, &vals, &salt);
        assert_eq!(result, Ok(()));
        assert_eq!(
            events,
            vec![Event::WeightsSet(NET.0, 0), Event::WeightsRevealed(hot(0), NET.0, hash)]
        );
        assert_eq!(Weights::get(&state, &NET.0, &0), vec![(1, 32_768), (2, 65_535)]);
        assert_eq!(WeightCommits::get(&state, &NET.0, &hot(0)), None, "entry removed");
        assert_eq!(last_update(&state, 0), 1300, "the reveal does not touch LastUpdate");
        // Revealing again: nothing left.
        let (result, _) = reveal(&mut state, &hot(0), &uids, &vals, &salt);
        assert_eq!(result, Err(Error::NoWeightsCommitFound));
    }

    #[test]
    fn test_reveal_in_epoch_after_commit_and_expiry_after() {
        let mut state = setup_cr(3);
        let (uids, vals, salt) = ([1u16], [1u16], [3u16]);
        assert_eq!(commit(&mut state, &hot(0), hash_of(&hot(0), &uids, &vals, &salt)), Ok(()));
        epoch_fired(&mut state, 1360, 1400); // epoch 6: reveal window
        let mut in_window = state.clone();
        assert_eq!(reveal(&mut in_window, &hot(0), &uids, &vals, &salt).0, Ok(()));
        epoch_fired(&mut state, 1720, 1750); // epoch 7: expired
        assert_eq!(
            reveal(&mut state, &hot(0), &uids, &vals, &salt).0,
            Err(Error::ExpiredWeightCommit)
        );
        // An unknown hash with only expired commits left: no commit found.
        assert_eq!(
            reveal(&mut state, &hot(0), &uids, &vals, &[4]).0,
            Err(Error::NoWeightsCommitFound)
        );
        assert!(
            WeightCommits::get(&state, &NET.0, &hot(0)).is_some(),
            "failed reveals write nothing"
        );
    }

    #[test]
    fn test_reveal_drops_commits_up_to_the_matched_one() {
        let mut state = setup_cr(3);
        WeightsSetRateLimit::insert(&mut state, &NET, &0);
        let hashes: Vec<[u8; 32]> = (0..3u16).map(|s| hash_of(&hot(0), &[1], &[1], &[s])).collect();
        for h in &hashes {
            assert_eq!(commit(&mut state, &hot(0), *h), Ok(()));
        }
        epoch_fired(&mut state, 1360, 1400);
        assert_eq!(reveal(&mut state, &hot(0), &[1], &[1], &[1]).0, Ok(()));
        let left = WeightCommits::get(&state, &NET.0, &hot(0)).unwrap();
        assert_eq!(left.iter().map(|c| c.0).collect::<Vec<_>>(), vec![hashes[2]]);
        // A hash that matches nothing while commits remain.
        assert_eq!(
            reveal(&mut state, &hot(0), &[1], &[1], &[0]).0,
            Err(Error::InvalidRevealCommitHashNotMatch)
        );
    }

    #[test]
    fn test_reveal_errors_without_commit_or_with_cr_disabled() {
        let mut state = setup_cr(2);
        assert_eq!(
            reveal(&mut state, &hot(0), &[1], &[1], &[1]).0,
            Err(Error::NoWeightsCommitFound)
        );
        CommitRevealWeightsEnabled::insert(&mut state, &NET, &false);
        assert_eq!(
            reveal(&mut state, &hot(0), &[1], &[1], &[1]).0,
            Err(Error::CommitRevealDisabled)
        );
    }

    #[test]
    fn test_reveal_of_invalid_weights_fails_and_keeps_the_commit() {
        let mut state = setup_cr(3);
        // uid 1 has no permit: its non-self weights are refused at reveal time.
        let hash = hash_of(&hot(1), &[0, 2], &[1, 1], &[5]);
        assert_eq!(commit(&mut state, &hot(1), hash), Ok(()));
        epoch_fired(&mut state, 1360, 1400);
        let (result, events) = reveal(&mut state, &hot(1), &[0, 2], &[1, 1], &[5]);
        assert_eq!(result, Err(Error::NeuronNoValidatorPermit));
        assert!(events.is_empty());
        assert_eq!(WeightCommits::get(&state, &NET.0, &hot(1)).unwrap().len(), 1);
    }

    // ---- batch_reveal_weights ------------------------------------------------------------

    fn batch_reveal(state: &mut MemoryKv, salts: &[u16], vals: &[u16]) -> (Result<()>, Vec<Event>) {
        let n = salts.len();
        let uids_list = vec![vec![1u16]; n];
        let values_list: Vec<Vec<u16>> = vals.iter().map(|v| vec![*v]).collect();
        let salts_list: Vec<Vec<u16>> = salts.iter().map(|s| vec![*s]).collect();
        run(state, |ctx| {
            batch_reveal_weights(
                ctx,
                &hot(0),
                NET,
                &uids_list,
                &values_list,
                &salts_list,
                &vec![0; n],
            )
        })
    }

    /// Two commits of `[1] → [v]` with salts 1 and 2, made at block 1000 (epoch 5).
    fn two_commits() -> (MemoryKv, [[u8; 32]; 2]) {
        let mut state = setup_cr(2);
        WeightsSetRateLimit::insert(&mut state, &NET, &0);
        let hashes = [hash_of(&hot(0), &[1], &[3], &[1]), hash_of(&hot(0), &[1], &[4], &[2])];
        for h in hashes {
            assert_eq!(commit(&mut state, &hot(0), h), Ok(()));
        }
        (state, hashes)
    }

    #[test]
    fn test_batch_reveal_weights_reveals_all_in_order() {
        let (mut state, hashes) = two_commits();
        epoch_fired(&mut state, 1360, 1400);
        let (result, events) = batch_reveal(&mut state, &[1, 2], &[3, 4]);
        assert_eq!(result, Ok(()));
        assert_eq!(
            events,
            vec![
                Event::WeightsSet(NET.0, 0),
                Event::WeightsSet(NET.0, 0),
                Event::WeightsBatchRevealed(hot(0), NET, hashes.to_vec()),
            ]
        );
        assert_eq!(Weights::get(&state, &NET.0, &0), vec![(1, 65_535)]);
        assert_eq!(WeightCommits::get(&state, &NET.0, &hot(0)), None);
    }

    #[test]
    fn test_batch_reveal_weights_errors() {
        let (state, _) = two_commits();
        let mut early = state.clone();
        assert_eq!(batch_reveal(&mut early, &[1], &[3]).0, Err(Error::RevealTooEarly));
        let mut window = state.clone();
        epoch_fired(&mut window, 1360, 1400);
        assert_eq!(
            batch_reveal(&mut window, &[1, 9], &[3, 4]).0,
            Err(Error::InvalidRevealCommitHashNotMatch)
        );
        assert_eq!(WeightCommits::get(&window, &NET.0, &hot(0)).unwrap().len(), 2, "atomic");
        let (result, _) = run(&mut window, |ctx| {
            batch_reveal_weights(ctx, &hot(0), NET, &[vec![1]], &[], &[vec![1]], &[0])
        });
        assert_eq!(result, Err(Error::InputLengthsUnequal));
        let mut expired = state;
        epoch_fired(&mut expired, 1360, 1400);
        epoch_fired(&mut expired, 1720, 1750);
        assert_eq!(batch_reveal(&mut expired, &[1], &[3]).0, Err(Error::ExpiredWeightCommit));
        let mut none = setup_cr(2);
        assert_eq!(batch_reveal(&mut none, &[1], &[3]).0, Err(Error::NoWeightsCommitFound));
        CommitRevealWeightsEnabled::insert(&mut none, &NET, &false);
        assert_eq!(batch_reveal(&mut none, &[1], &[3]).0, Err(Error::CommitRevealDisabled));
    }

    // ---- helpers for the epoch -----------------------------------------------------------

    #[test]
    fn test_earliest_commit_blocks_per_uid_skip_expired() {
        let mut state = setup_cr(3);
        WeightsSetRateLimit::insert(&mut state, &NET, &0);
        assert_eq!(commit(&mut state, &hot(2), [1; 32]), Ok(()));
        at(&mut state, 1010);
        assert_eq!(commit(&mut state, &hot(2), [2; 32]), Ok(()));
        assert_eq!(commit(&mut state, &hot(0), [3; 32]), Ok(()));
        assert_eq!(earliest_commit_blocks(&state, NET), vec![Some(1010), None, Some(1000)]);
        epoch_fired(&mut state, 1360, 1400);
        assert_eq!(earliest_commit_blocks(&state, NET), vec![Some(1010), None, Some(1000)]);
        epoch_fired(&mut state, 1720, 1750);
        assert_eq!(earliest_commit_blocks(&state, NET), vec![None, None, None]);
    }

    #[test]
    fn test_commit_hash_is_blake2_of_scale_tuple() {
        let who = acc(5);
        let mut bytes = who.0.to_vec();
        bytes.extend([1, 0]); // netuid u16
        bytes.extend([4, 1, 0]); // uids [1]
        bytes.extend([8, 2, 0, 3, 0]); // values [2, 3]
        bytes.extend([0]); // salt []
        bytes.extend(7u64.to_le_bytes());
        assert_eq!(commit_hash(&who, 1, &[1], &[2, 3], &[], 7), blake2_256(&bytes));
    }

    // ---- through the executive -----------------------------------------------------------

    #[test]
    fn test_signed_set_weights_extrinsic_is_free() {
        use crate::executive::Executive;
        use crate::pallets::Runtime;
        use crate::test_utils::{
            TEST_GENESIS_HASH, TEST_VERSION, dev_account, dev_genesis, dev_pair, sign_call,
        };

        let alice = dev_account("Alice");
        let mut genesis = dev_genesis(10_000_000_000);
        super::super::subnets::init_network(
            &mut genesis,
            NET,
            &acc(1),
            &acc(OWNER_HOT),
            &Default::default(),
            0,
        );
        super::super::create_account_if_non_existent(&mut genesis, &acc(100), &alice);
        super::super::registration::append_neuron(&mut genesis, NET, &alice, 0);
        super::super::registration::append_neuron(&mut genesis, NET, &hot(1), 0);
        ValidatorPermit::insert(&mut genesis, &NET, &vec![true, false]);
        CommitRevealWeightsEnabled::insert(&mut genesis, &NET, &false);

        let mut block =
            Executive::initialize_block(&genesis, Runtime, TEST_VERSION, 1, TEST_GENESIS_HASH);
        let mut call = vec![super::super::PALLET_INDEX];
        super::super::Call::SetWeights {
            netuid: NET,
            dests: vec![0, 1],
            weights: vec![1, 3],
            version_key: 0,
        }
        .encode_to(&mut call);
        let applied = block.apply_extrinsic(&sign_call(&dev_pair("Alice"), 0, call)).unwrap();
        assert_eq!(applied.result, Ok(()));
        assert_eq!(applied.fee, 0, "set_weights is Pays::No");
        let state = block.finalize_block();
        assert_eq!(Weights::get(&state, &NET.0, &0), vec![(0, 21_845), (1, 65_535)]);
        assert_eq!(LastUpdate::get(&state, &NET.0), vec![1, 0]);
    }
}
