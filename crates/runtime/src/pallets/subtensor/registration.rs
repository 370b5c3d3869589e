//! Neuron registration: `burned_register`, `register` (proof of work), `root_register`,
//! `try_associate_hotkey`, uid assignment and pruning, and the registration price dynamics
//! (`reference/subtensor.md` §3).
//!
//! A registration binds the hotkey to the paying coldkey (`Owner`), then either appends a uid
//! (`SubnetworkN < MaxAllowedUids`) or replaces the neuron [`neuron_to_prune`] picks: the
//! lowest last-epoch `Emission` among non-immune, non-owner uids (ties: older registration,
//! then lower uid), falling back to immune uids when too few are prunable.
//!
//! `burned_register` pays `Burn[netuid]` TAO into the subnet's pool and destroys the alpha it
//! buys (a buy-back), then multiplies the price by `BurnIncreaseMult` (×1.26); the price
//! decays back toward `MinBurn` every block ([`decay_burn`], halving every `BurnHalfLife`).
//!
//! `register` is switchable per subnet with `NetworkPowRegistrationAllowed`: when on, it is
//! the legacy hotkey-signed proof of work (seal `keccak256(sha256(nonce_le ‖
//! keccak256(block_hash ‖ hotkey)))`, valid iff `seal × Difficulty` does not overflow 256
//! bits, work at most 2 blocks old, per-block and per-interval limits, difficulty adjusted
//! every `AdjustmentInterval` blocks by [`adjust_difficulty`]); when off (the default), it is
//! `burned_register` signed by the coldkey, as subtensor at HEAD.
//!
//! Storage written: `Owner`, `OwnedHotkeys`, `StakingHotkeys`, `Keys`, `Uids`,
//! `IsNetworkMember`, `BlockAtRegistration`, `SubnetworkN`, the per-uid vectors, `Burn`,
//! `RegistrationsThisBlock`, `RegistrationsThisInterval`, `BurnRegistrationsThisInterval`,
//! `POWRegistrationsThisInterval`, `RAORecycledForRegistration`, `UsedWork`, `Difficulty`,
//! `LastAdjustmentBlock`, pool reserves.
//!
//! # Deviations from subtensor
//!
//! - `NetworkPowRegistrationAllowed` defaults to false (subtensor's storage default is true but
//!   its `register` ignores the work since March 2026); setting it on a subnet restores the
//!   legacy proof of work there.
//! - If the pool cannot absorb the burn as a swap (empty pool), the TAO is added to the pool's
//!   TAO reserve without buying alpha.
//! - A replaced neuron's incoming weights are set to 0 in every other row (kept as explicit
//!   zeros), as subtensor's `replace_neuron` does.
use rustensor_primitives::fixed::wide::mul_div_floor;

use rustensor_primitives::{AccountId32, NetUid};

use super::pow::{pow_seal, seal_meets_difficulty};
use super::storage::*;

use super::{
    Error, Event, ROOT, create_account_if_non_existent, current_block, deposit_event,
    ensure_subnet_exists, is_system_account, subnet_account_id, swap,
};

use crate::dispatch::{DispatchContext, DispatchError};

use crate::pallets::balances::{self, Preservation};

use crate::pallets::system;

use crate::storage::{Kv, KvRead};

/// The proof-of-work arguments of `register`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PowArgs {
    /// The block whose hash the work commits to.
    pub block_number: u64,
    /// The nonce.
    pub nonce: u64,
    /// The seal.
    pub work: Vec<u8>,
    /// The coldkey the hotkey binds to (PoW path).
    pub coldkey: AccountId32,
}

/// Appends `hotkey` as the next uid of `netuid` at block `now` (subtensor's
/// `append_neuron`): extends every per-uid vector and writes `Keys`, `Uids`,
/// `IsNetworkMember`, `BlockAtRegistration`. Returns the uid.
pub fn append_neuron(
    state: &mut (impl Kv + ?Sized),
    netuid: NetUid,
    hotkey: &AccountId32,
    now: u64,
) -> u16 {
    let uid = SubnetworkN::get(state, &netuid);
    SubnetworkN::insert(state, &netuid, &uid.saturating_add(1));
    Active::mutate(state, &netuid, |v| v.push(true));
    Emission::mutate(state, &netuid, |v| v.push(0));
    Consensus::mutate(state, &netuid, |v| v.push(0));
    Dividends::mutate(state, &netuid, |v| v.push(0));
    ValidatorTrust::mutate(state, &netuid, |v| v.push(0));
    ValidatorPermit::mutate(state, &netuid, |v| v.push(false));
    StakeWeight::mutate(state, &netuid, |v| v.push(0));
    Incentive::mutate(state, &netuid.0, |v| v.push(0));
    LastUpdate::mutate(state, &netuid.0, |v| v.push(now));
    Keys::insert(state, &netuid, &uid, hotkey);
    Uids::insert(state, &netuid, hotkey, &uid);
    IsNetworkMember::insert(state, hotkey, &netuid, &true);
    BlockAtRegistration::insert(state, &netuid, &uid, &now);
    uid
}

fn set_at<T: Copy>(v: &mut [T], uid: u16, value: T) {
    if let Some(slot) = v.get_mut(usize::from(uid)) {
        *slot = value;
    }
}

/// Replaces the neuron at `uid` of `netuid` by `hotkey` at block `now` (subtensor's
/// `replace_neuron`): the old hotkey loses its membership, axon, prometheus and certificate;
/// the uid's scores, weights and bonds are cleared and every weight pointing to it is zeroed.
/// Stake is untouched (it belongs to the hotkey). The subnet owner's hotkey is never replaced:
/// the call is then a no-op returning false.
pub fn replace_neuron(
    state: &mut (impl Kv + ?Sized),
    netuid: NetUid,
    uid: u16,
    hotkey: &AccountId32,
    now: u64,
) -> bool {
    let old = Keys::get(state, &netuid, &uid);
    if old == SubnetOwnerHotkey::get(state, &netuid) {
        return false;
    }
    Uids::remove(state, &netuid, &old);
    IsNetworkMember::remove(state, &old, &netuid);
    Axons::remove(state, &netuid, &old);
    Prometheus::remove(state, &netuid, &old);
    NeuronCertificates::remove(state, &netuid, &old);
    Keys::insert(state, &netuid, &uid, hotkey);
    Uids::insert(state, &netuid, hotkey, &uid);
    IsNetworkMember::insert(state, hotkey, &netuid, &true);
    Emission::mutate(state, &netuid, |v| set_at(v, uid, 0));
    Consensus::mutate(state, &netuid, |v| set_at(v, uid, 0));
    Dividends::mutate(state, &netuid, |v| set_at(v, uid, 0));
    ValidatorTrust::mutate(state, &netuid, |v| set_at(v, uid, 0));
    ValidatorPermit::mutate(state, &netuid, |v| set_at(v, uid, false));
    StakeWeight::mutate(state, &netuid, |v| set_at(v, uid, 0));
    Incentive::mutate(state, &netuid.0, |v| set_at(v, uid, 0));
    LastUpdate::mutate(state, &netuid.0, |v| set_at(v, uid, now));
    Weights::remove(state, &netuid.0, &uid);
    Bonds::remove(state, &netuid.0, &uid);
    let rows: Vec<(u16, Vec<(u16, u16)>)> = Weights::iter_prefix(state, &netuid.0)
        .filter(|(_, row)| row.iter().any(|&(j, w)| j == uid && w != 0))
        .collect();
    for (row_uid, mut row) in rows {
        for entry in &mut row {
            if entry.0 == uid {
                entry.1 = 0;
            }
        }
        Weights::insert(state, &netuid.0, &row_uid, &row);
    }
    BlockAtRegistration::insert(state, &netuid, &uid, &now);
    true
}

/// The owner's "immortal" uids of `netuid`: the owner hotkey's, then the owner coldkey's other
/// registered hotkeys by oldest registration, at most `ImmuneOwnerUidsLimit`.
pub fn immortal_owner_uids(state: &(impl KvRead + ?Sized), netuid: NetUid) -> Vec<u16> {
    let limit = usize::from(ImmuneOwnerUidsLimit::get(state, &netuid));
    let owner_hot = SubnetOwnerHotkey::get(state, &netuid);
    let owner_cold = SubnetOwner::get(state, &netuid);
    let mut out = Vec::new();
    if let Some(uid) = Uids::get(state, &netuid, &owner_hot) {
        out.push(uid);
    }
    let mut others: Vec<(u64, u16)> = OwnedHotkeys::get(state, &owner_cold)
        .iter()
        .filter(|h| **h != owner_hot)
        .filter_map(|h| Uids::get(state, &netuid, h))
        .map(|uid| (BlockAtRegistration::get(state, &netuid, &uid), uid))
        .collect();
    others.sort_unstable();
    out.extend(others.into_iter().map(|(_, uid)| uid));
    out.truncate(limit);
    out
}

/// The uid a registration on a full `netuid` replaces at block `now` (§3.3), if any.
pub fn neuron_to_prune(state: &(impl KvRead + ?Sized), netuid: NetUid, now: u64) -> Option<u16> {
    let n = SubnetworkN::get(state, &netuid);
    let immortal = immortal_owner_uids(state, netuid);
    let immunity = u64::from(ImmunityPeriod::get(state, &netuid));
    let emission = Emission::get(state, &netuid);
    let mut best_free: Option<(u64, u64, u16)> = None;
    let mut best_immune: Option<(u64, u64, u16)> = None;
    let mut free_count = 0u16;
    for uid in 0..n {
        if immortal.contains(&uid) {
            continue;
        }
        let registered = BlockAtRegistration::get(state, &netuid, &uid);
        let key = (emission.get(usize::from(uid)).copied().unwrap_or(0), registered, uid);
        if now.saturating_sub(registered) < immunity {
            best_immune = Some(best_immune.map_or(key, |b| b.min(key)));
        } else {
            free_count = free_count.saturating_add(1);
            best_free = Some(best_free.map_or(key, |b| b.min(key)));
        }
    }
    if free_count > MinNonImmuneUids::get(state, &netuid) {
        best_free.map(|(_, _, uid)| uid)
    } else {
        best_immune.or(best_free).map(|(_, _, uid)| uid)
    }
}

/// Gives `hotkey` a uid on `netuid`: appends if there is room, otherwise replaces
/// [`neuron_to_prune`].
///
/// # Errors
///
/// [`Error::NoNeuronIdAvailable`] when `MaxAllowedUids` is 0 or nothing can be pruned.
pub fn assign_uid(
    state: &mut (impl Kv + ?Sized),
    netuid: NetUid,
    hotkey: &AccountId32,
    now: u64,
) -> Result<u16, Error> {
    let max = MaxAllowedUids::get(state, &netuid);
    if max == 0 {
        return Err(Error::NoNeuronIdAvailable);
    }
    if SubnetworkN::get(state, &netuid) < max {
        return Ok(append_neuron(state, netuid, hotkey, now));
    }
    let uid = neuron_to_prune(state, netuid, now).ok_or(Error::NoNeuronIdAvailable)?;
    if replace_neuron(state, netuid, uid, hotkey, now) {
        Ok(uid)
    } else {
        Err(Error::NoNeuronIdAvailable)
    }
}

/// `Burn × BurnIncreaseMult` clamped to `[MinBurn, MaxBurn]`: the price after a registration.
pub fn bumped_burn(state: &(impl KvRead + ?Sized), netuid: NetUid) -> u64 {
    let burn = Burn::get(state, &netuid);
    let mult = BurnIncreaseMult::get(state, &netuid);
    let bumped = mul_div_floor(u128::from(burn), mult, 1 << 64)
        .and_then(|v| u64::try_from(v).ok())
        .unwrap_or(u64::MAX);
    clamp_burn(state, netuid, bumped)
}

fn clamp_burn(state: &(impl KvRead + ?Sized), netuid: NetUid, burn: u64) -> u64 {
    let (min, max) = (MinBurn::get(state, &netuid), MaxBurn::get(state, &netuid));
    burn.min(max).max(min)
}

/// The per-block decay factor `2^(−1/half_life)` in Q32: the largest `f` with
/// `f^half_life ≤ 0.5` (binary search, as subtensor computes it).
pub fn burn_decay_factor_q32(half_life: u16) -> u64 {
    if half_life == 0 {
        return 1 << 32;
    }
    let (mut lo, mut hi) = (0u64, 1u64 << 32);
    while lo < hi {
        let mid = lo.saturating_add(hi.saturating_sub(lo).div_ceil(2));
        if pow_q32(mid, half_life) <= 1 << 31 { lo = mid } else { hi = mid.saturating_sub(1) }
    }
    lo
}

/// `f^n` for `f` in Q32 (≤ 1.0), rounding down.
fn pow_q32(f: u64, n: u16) -> u64 {
    let (mut acc, mut base, mut n) = (1u128 << 32, u128::from(f), n);
    while n > 0 {
        if n & 1 == 1 {
            acc = acc.saturating_mul(base) >> 32;
        }
        base = base.saturating_mul(base) >> 32;
        n >>= 1;
    }
    u64::try_from(acc).unwrap_or(u64::MAX)
}

/// One block of registration-price decay on `netuid` at block `now` (§3.2): `Burn ←
/// clamp(Burn × f, MinBurn, MaxBurn)` (no decay at block ≤ 1, only the clamp), and
/// `RegistrationsThisBlock ← 0`. Run from the block step for every subnet.
pub fn decay_burn(state: &mut (impl Kv + ?Sized), netuid: NetUid, now: u64) {
    let burn = Burn::get(state, &netuid);
    let decayed = if now > 1 {
        let f = burn_decay_factor_q32(BurnHalfLife::get(state, &netuid));
        u64::try_from(u128::from(burn).saturating_mul(u128::from(f)) >> 32).unwrap_or(burn)
    } else {
        burn
    };
    let next = clamp_burn(state, netuid, decayed);
    if next != burn {
        Burn::insert(state, &netuid, &next);
    }
    RegistrationsThisBlock::insert(state, &netuid, &0);
}

/// The legacy difficulty adjustment (§3.4) for a proof-of-work subnet, run from the block step:
/// every `AdjustmentInterval` blocks, `Difficulty ← clamp(α·D + (1−α)·D·(r+t)/(2t))` with r
/// registrations this interval and t the target, then the interval counters reset.
/// Only difficulty moves: the burn follows the per-block decay on every subnet.
pub fn adjust_difficulty(state: &mut (impl Kv + ?Sized), netuid: NetUid, now: u64) {
    if !NetworkPowRegistrationAllowed::get(state, &netuid) {
        return;
    }
    let interval = u64::from(AdjustmentInterval::get(state, &netuid));
    if interval == 0 || now.saturating_sub(LastAdjustmentBlock::get(state, &netuid)) < interval {
        return;
    }
    let r = u128::from(RegistrationsThisInterval::get(state, &netuid));
    let t = u128::from(TargetRegistrationsPerInterval::get(state, &netuid)).max(1);
    let d = u128::from(Difficulty::get(state, &netuid));
    let updated = mul_div_floor(d, r.saturating_add(t), t.saturating_mul(2)).unwrap_or(d);
    let alpha = u128::from(AdjustmentAlpha::get(state, &netuid));
    let max = u128::from(u64::MAX);
    let blended = mul_div_floor(d, alpha, max)
        .unwrap_or(0)
        .saturating_add(mul_div_floor(updated, max.saturating_sub(alpha), max).unwrap_or(0));
    let (lo, hi) = (MinDifficulty::get(state, &netuid), MaxDifficulty::get(state, &netuid));
    let next = u64::try_from(blended).unwrap_or(u64::MAX).min(hi).max(lo);
    Difficulty::insert(state, &netuid, &next);
    RegistrationsThisInterval::insert(state, &netuid, &0);
    POWRegistrationsThisInterval::insert(state, &netuid, &0);
    BurnRegistrationsThisInterval::insert(state, &netuid, &0);
    LastAdjustmentBlock::insert(state, &netuid, &now);
}

/// Whether `coldkey` may register `hotkey`: not a system account, and unbound or bound to
/// `coldkey`.
fn check_hotkey_binding(
    state: &(impl KvRead + ?Sized),
    coldkey: &AccountId32,
    hotkey: &AccountId32,
) -> Result<(), Error> {
    if is_system_account(hotkey) {
        return Err(Error::CannotUseSystemAccount);
    }
    if Owner::try_get(state, hotkey).is_some_and(|owner| owner != *coldkey) {
        return Err(Error::NonAssociatedColdKey);
    }
    Ok(())
}

fn bind_hotkey(
    state: &mut (impl Kv + ?Sized),
    coldkey: &AccountId32,
    hotkey: &AccountId32,
) -> Result<(), Error> {
    check_hotkey_binding(state, coldkey, hotkey)?;
    create_account_if_non_existent(state, coldkey, hotkey);
    Ok(())
}

fn count_registration(state: &mut (impl Kv + ?Sized), netuid: NetUid, pow: bool) {
    RegistrationsThisBlock::mutate(state, &netuid, |c| *c = c.saturating_add(1));
    RegistrationsThisInterval::mutate(state, &netuid, |c| *c = c.saturating_add(1));
    if pow {
        POWRegistrationsThisInterval::mutate(state, &netuid, |c| *c = c.saturating_add(1));
    } else {
        BurnRegistrationsThisInterval::mutate(state, &netuid, |c| *c = c.saturating_add(1));
    }
}

/// `burned_register(netuid, hotkey)` signed by `coldkey` (and `register_limit` with
/// `limit_price`, RAO): pays `Burn[netuid]` and gives `hotkey` a uid.
///
/// # Errors
///
/// In subtensor's order: `RegistrationNotPermittedOnRootSubnet`, `SubnetNotExists`,
/// `SubNetRegistrationDisabled`, `HotKeyAlreadyRegisteredInSubNet`,
/// `RegistrationPriceLimitExceeded`, `NotEnoughBalanceToStake`, `CannotUseSystemAccount`,
/// `NonAssociatedColdKey`, `NoNeuronIdAvailable`.
pub fn burned_register(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    netuid: NetUid,
    hotkey: &AccountId32,
    limit_price: Option<u64>,
) -> Result<(), DispatchError> {
    let now = current_block(&*ctx.state);
    if netuid == ROOT {
        return Err(Error::RegistrationNotPermittedOnRootSubnet.into());
    }
    ensure_subnet_exists(&*ctx.state, netuid)?;
    if !NetworkRegistrationAllowed::get(&*ctx.state, &netuid) {
        return Err(Error::SubNetRegistrationDisabled.into());
    }
    if Uids::contains_key(&*ctx.state, &netuid, hotkey) {
        return Err(Error::HotKeyAlreadyRegisteredInSubNet.into());
    }
    let burn = Burn::get(&*ctx.state, &netuid);
    if limit_price.is_some_and(|limit| burn > limit) {
        return Err(Error::RegistrationPriceLimitExceeded.into());
    }
    if balances::reducible_balance(&*ctx.state, coldkey, Preservation::Preserve) < burn {
        return Err(Error::NotEnoughBalanceToStake.into());
    }
    bind_hotkey(ctx.state, coldkey, hotkey)?;
    let uid = assign_uid(ctx.state, netuid, hotkey, now)?;

    // Pay: TAO into the pool account, bought alpha destroyed.
    balances::transfer(ctx, coldkey, &subnet_account_id(netuid), burn, Preservation::Preserve)
        .map_err(|_| Error::NotEnoughBalanceToStake)?;
    match swap::buy(ctx.state, netuid, burn, None) {
        Ok(bought) => {
            SubnetAlphaOut::mutate(ctx.state, &netuid, |v| {
                *v = v.saturating_sub(bought.amount_out)
            });
        }
        Err(_) => swap::inject(ctx.state, netuid, burn, 0),
    }
    RAORecycledForRegistration::mutate(ctx.state, &netuid, |v| *v = v.saturating_add(burn));

    let next = bumped_burn(&*ctx.state, netuid);
    Burn::insert(ctx.state, &netuid, &next);
    count_registration(ctx.state, netuid, false);
    deposit_event(ctx, Event::NeuronRegistered(netuid, uid, *hotkey));
    Ok(())
}

/// `register(netuid, block_number, nonce, work, hotkey, coldkey)` signed by `signer`: the
/// legacy proof of work where `NetworkPowRegistrationAllowed[netuid]`, `burned_register`
/// (signer = paying coldkey) elsewhere.
///
/// # Errors
///
/// PoW path, in order: `TransactorAccountShouldBeHotKey`, `RegistrationNotPermittedOnRootSubnet`,
/// `SubnetNotExists`, `TooManyRegistrationsThisBlock`, `TooManyRegistrationsThisInterval`,
/// `HotKeyAlreadyRegisteredInSubNet`, `InvalidWorkBlock`, `InvalidDifficulty`, `InvalidSeal`
/// (also for reused work), `CannotUseSystemAccount`, `NonAssociatedColdKey`,
/// `NoNeuronIdAvailable`. Otherwise as [`burned_register`].
pub fn register(
    ctx: &mut DispatchContext<'_>,
    signer: &AccountId32,
    netuid: NetUid,
    hotkey: &AccountId32,
    pow: PowArgs,
) -> Result<(), DispatchError> {
    if !NetworkPowRegistrationAllowed::get(&*ctx.state, &netuid) {
        return burned_register(ctx, signer, netuid, hotkey, None);
    }
    let now = current_block(&*ctx.state);
    if signer != hotkey {
        return Err(Error::TransactorAccountShouldBeHotKey.into());
    }
    if netuid == ROOT {
        return Err(Error::RegistrationNotPermittedOnRootSubnet.into());
    }
    ensure_subnet_exists(&*ctx.state, netuid)?;
    let state = &*ctx.state;
    if RegistrationsThisBlock::get(state, &netuid) >= MaxRegistrationsPerBlock::get(state, &netuid)
    {
        return Err(Error::TooManyRegistrationsThisBlock.into());
    }
    let target = TargetRegistrationsPerInterval::get(state, &netuid);
    if RegistrationsThisInterval::get(state, &netuid) >= target.saturating_mul(3) {
        return Err(Error::TooManyRegistrationsThisInterval.into());
    }
    if Uids::contains_key(state, &netuid, hotkey) {
        return Err(Error::HotKeyAlreadyRegisteredInSubNet.into());
    }
    if pow.block_number > now || now.saturating_sub(pow.block_number) >= 3 {
        return Err(Error::InvalidWorkBlock.into());
    }
    let block_hash = u32::try_from(pow.block_number)
        .map(|n| system::BlockHash::get(state, &n))
        .unwrap_or([0; 32]);
    let seal = pow_seal(&block_hash, hotkey, pow.nonce);
    if !seal_meets_difficulty(&seal, Difficulty::get(state, &netuid)) {
        return Err(Error::InvalidDifficulty.into());
    }
    if pow.work != seal || UsedWork::contains_key(state, &pow.work) {
        return Err(Error::InvalidSeal.into());
    }
    bind_hotkey(ctx.state, &pow.coldkey, hotkey)?;
    let uid = assign_uid(ctx.state, netuid, hotkey, now)?;
    UsedWork::insert(ctx.state, &pow.work, &now);
    count_registration(ctx.state, netuid, true);
    deposit_event(ctx, Event::NeuronRegistered(netuid, uid, *hotkey));
    Ok(())
}

/// `root_register(hotkey)` signed by `coldkey` (§3.6): a uid on the root subnet, replacing the
/// member with the least root stake when full.
///
/// # Errors
///
/// `RootNetworkDoesNotExist`, `CannotUseSystemAccount`, `NonAssociatedColdKey`,
/// `TooManyRegistrationsThisBlock`, `TooManyRegistrationsThisInterval`,
/// `HotKeyAlreadyRegisteredInSubNet`, `StakeTooLowForRoot`.
pub fn root_register(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    hotkey: &AccountId32,
) -> Result<(), DispatchError> {
    let now = current_block(&*ctx.state);
    let state = &*ctx.state;
    if !NetworksAdded::get(state, &ROOT) {
        return Err(Error::RootNetworkDoesNotExist.into());
    }
    check_hotkey_binding(state, coldkey, hotkey)?;
    if RegistrationsThisBlock::get(state, &ROOT) >= MaxRegistrationsPerBlock::get(state, &ROOT) {
        return Err(Error::TooManyRegistrationsThisBlock.into());
    }
    let target = TargetRegistrationsPerInterval::get(state, &ROOT);
    if RegistrationsThisInterval::get(state, &ROOT) >= target.saturating_mul(3) {
        return Err(Error::TooManyRegistrationsThisInterval.into());
    }
    if Uids::contains_key(state, &ROOT, hotkey) {
        return Err(Error::HotKeyAlreadyRegisteredInSubNet.into());
    }
    let n = SubnetworkN::get(state, &ROOT);
    let uid = if n < MaxAllowedUids::get(state, &ROOT) {
        None
    } else {
        // The member with the least root stake (ties: higher uid goes first, as subtensor's
        // scan keeps the last minimum).
        let weakest = (0..n)
            .map(|uid| {
                (
                    super::share_pool::total_hotkey_alpha(
                        state,
                        &Keys::get(state, &ROOT, &uid),
                        ROOT,
                    ),
                    uid,
                )
            })
            .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let Some((weakest_stake, uid)) = weakest else {
            return Err(Error::StakeTooLowForRoot.into());
        };
        if super::share_pool::total_hotkey_alpha(state, hotkey, ROOT) <= weakest_stake {
            return Err(Error::StakeTooLowForRoot.into());
        }
        Some(uid)
    };
    create_account_if_non_existent(ctx.state, coldkey, hotkey);
    let uid = match uid {
        None => append_neuron(ctx.state, ROOT, hotkey, now),
        Some(uid) => {
            replace_neuron(ctx.state, ROOT, uid, hotkey, now);
            uid
        }
    };
    Delegates::insert(ctx.state, hotkey, &MaxDelegateTake::get(&*ctx.state));
    count_registration(ctx.state, ROOT, false);
    deposit_event(ctx, Event::NeuronRegistered(ROOT, uid, *hotkey));
    Ok(())
}

/// `try_associate_hotkey(hotkey)`: binds an unbound hotkey to `coldkey` (a no-op if it is
/// already bound, to anyone).
///
/// # Errors
///
/// `CannotUseSystemAccount`.
pub fn try_associate_hotkey(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    hotkey: &AccountId32,
) -> Result<(), DispatchError> {
    if is_system_account(hotkey) {
        return Err(Error::CannotUseSystemAccount.into());
    }
    create_account_if_non_existent(ctx.state, coldkey, hotkey);
    Ok(())
}

#[cfg(test)]
mod tests;
