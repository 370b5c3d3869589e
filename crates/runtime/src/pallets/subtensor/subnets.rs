//! Subnets: creation (`register_network`), the lock cost, `start_call`, identities, pruning
//! and dissolution, and the root subnet (`reference/subtensor.md` §2, §3.6).
//!
//! A subnet is created by a coldkey that locks [`lock_cost`] TAO: the lock moves to the
//! subnet's account and seeds its pool at the median price of the existing subnets, the owner
//! hotkey becomes uid 0, and the subnet stays silent (no staking, no emission) until the owner
//! calls `start_call`. When all `SubnetLimit` slots are taken, registering prunes the subnet
//! with the lowest moving price among those past `NetworkImmunityPeriod`.
//!
//! Dissolution pays the pool's TAO out to stakers pro rata to their alpha (largest remainder),
//! the protocol's alpha (`SubnetAlphaIn` + `SubnetProtocolAlpha`) taking its share unpaid;
//! everything left in the subnet account is recycled, and every per-subnet item is cleared.
//!
//! # Deviations from subtensor
//!
//! - Root validators are not scheduled as parents of the new owner hotkey (no childkeys).
//! - Dissolution is one pass over the subnet's positions; there are no leases, locks or root
//!   claims to settle, and no owner refund (every subnet here is "new").
//! - Netuids are scanned in ascending numeric order (subtensor: hashed-key order).

use rustensor_primitives::fixed::wide::mul_div_floor;
use rustensor_primitives::{AccountId32, NetUid};

use super::storage::*;
use super::symbols::SYMBOLS;
use super::types::{ChainIdentityV2, SubnetIdentityV3};
use super::{
    Error, Event, ROOT, TAO, create_account_if_non_existent, current_block, deposit_event,
    ensure_subnet_exists, is_system_account, netuids, rate_limit, registration, subnet_account_id,
    swap,
};
use crate::dispatch::{DispatchContext, DispatchError};
use crate::pallets::balances::{self, Preservation};
use crate::storage::{Kv, KvRead};

/// The hyperparameters `register_network` writes for a new subnet (subtensor's
/// `init_new_network`), and what tests and genesis use to create one directly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewSubnet {
    /// `Tempo` (360 in production).
    pub tempo: u16,
    /// `MaxAllowedUids` (256).
    pub max_allowed_uids: u16,
    /// `MaxAllowedValidators` (64).
    pub max_allowed_validators: u16,
    /// `MinAllowedWeights` (1).
    pub min_allowed_weights: u16,
    /// `ImmunityPeriod` (5000).
    pub immunity_period: u16,
    /// `Burn`, the first registration price (1 TAO).
    pub burn: u64,
}

impl Default for NewSubnet {
    fn default() -> Self {
        Self {
            tempo: 360,
            max_allowed_uids: 256,
            max_allowed_validators: 64,
            min_allowed_weights: 1,
            immunity_period: 5000,
            burn: TAO,
        }
    }
}

/// Writes the per-subnet state of a new dynamic subnet `netuid` at block `now` (subtensor's
/// `init_new_network` plus the registry entries): existence, owner, tempo and the staggered
/// `LastEpochBlock`, the new-subnet hyperparameters. No pool, no neurons.
pub fn init_network(
    state: &mut (impl Kv + ?Sized),
    netuid: NetUid,
    owner_coldkey: &AccountId32,
    owner_hotkey: &AccountId32,
    params: &NewSubnet,
    now: u64,
) {
    NetworksAdded::insert(state, &netuid, &true);
    SubnetworkN::insert(state, &netuid, &0);
    Tempo::insert(state, &netuid, &params.tempo);
    let stagger = u64::from(netuid.0).checked_rem(u64::from(params.tempo)).unwrap_or(0);
    LastEpochBlock::insert(state, &netuid, &now.saturating_sub(stagger));
    NetworkRegistrationAllowed::insert(state, &netuid, &true);
    MaxAllowedUids::insert(state, &netuid, &params.max_allowed_uids);
    MaxAllowedValidators::insert(state, &netuid, &params.max_allowed_validators);
    MinAllowedWeights::insert(state, &netuid, &params.min_allowed_weights);
    ImmunityPeriod::insert(state, &netuid, &params.immunity_period);
    Yuma3On::insert(state, &netuid, &true);
    Burn::insert(state, &netuid, &params.burn);
    SubnetOwner::insert(state, &netuid, owner_coldkey);
    SubnetOwnerHotkey::insert(state, &netuid, owner_hotkey);
    SubnetMechanism::insert(state, &netuid, &if netuid == ROOT { 0 } else { 1 });
    NetworkRegisteredAt::insert(state, &netuid, &now);
    RegisteredSubnetCounter::mutate(state, &netuid, |c| *c = c.saturating_add(1));
    TotalNetworks::mutate(state, |n| *n = n.saturating_add(1));
}

/// The cost in RAO of registering a subnet now (§2.3): the last lock doubled (once anything
/// was registered), minus a linear decay over `NetworkLockReductionInterval` (scaled by the
/// block emission), floored at `NetworkMinLockCost`.
pub fn lock_cost(state: &(impl KvRead + ?Sized)) -> u64 {
    let now = current_block(state);
    let last_block =
        rate_limit::last_block(state, &rate_limit::RateLimitKey::NetworkLastRegistered);
    let last_lock = NetworkLastLockCost::get(state);
    let min_lock = NetworkMinLockCost::get(state);
    let mult: u64 = if last_block == 0 { 1 } else { 2 };
    let interval = mul_div_floor(
        u128::from(NetworkLockReductionInterval::get(state)),
        u128::from(BlockEmission::get(state)),
        u128::from(TAO),
    )
    .and_then(|v| u64::try_from(v).ok())
    .unwrap_or(u64::MAX)
    .max(1);
    let decay =
        last_lock.checked_div(interval).unwrap_or(0).saturating_mul(now.saturating_sub(last_block));
    last_lock.saturating_mul(mult).saturating_sub(decay).max(min_lock)
}

/// The subnet a new registration would prune (§2.5): among non-root subnets older than
/// `NetworkImmunityPeriod`, the lowest `SubnetMovingPrice`; ties go to the earliest
/// registration, then the lowest netuid.
pub fn subnet_to_prune(state: &(impl KvRead + ?Sized)) -> Option<NetUid> {
    let now = current_block(state);
    let immunity = NetworkImmunityPeriod::get(state);
    netuids(state)
        .into_iter()
        .filter(|n| *n != ROOT)
        .filter(|n| now.saturating_sub(NetworkRegisteredAt::get(state, n)) >= immunity)
        .min_by_key(|n| (SubnetMovingPrice::get(state, n), NetworkRegisteredAt::get(state, n), *n))
}

/// The median spot price (`I96F32` bits) of the existing dynamic subnets; 1.0 if none.
pub fn median_price_bits(state: &(impl KvRead + ?Sized)) -> i128 {
    let mut prices: Vec<i128> = netuids(state)
        .into_iter()
        .filter(|n| !swap::is_stable(state, *n))
        .map(|n| swap::price_i96f32_bits(state, n))
        .collect();
    prices.sort_unstable();
    let mid = prices.len() / 2;
    match (prices.len() % 2, prices.get(mid.saturating_sub(1)), prices.get(mid)) {
        (1, _, Some(&m)) => m,
        (_, Some(&lo), Some(&hi)) => (lo / 2).saturating_add(hi / 2),
        _ => 1 << 32,
    }
}

/// The first symbol of the built-in table no subnet uses (the default symbol if all are).
pub fn free_symbol(state: &(impl KvRead + ?Sized)) -> Vec<u8> {
    let used: Vec<Vec<u8>> = netuids(state).iter().map(|n| TokenSymbol::get(state, n)).collect();
    SYMBOLS
        .iter()
        .skip(1)
        .find(|s| !used.iter().any(|u| u.as_slice() == **s))
        .map_or_else(<DefaultSymbol as crate::storage::Get<Vec<u8>>>::get, |s| s.to_vec())
}

/// `register_network(hotkey)` / `register_network_with_identity(hotkey, identity)` signed by
/// `coldkey` (§2.2). Returns the new netuid.
///
/// # Errors
///
/// In order: `CannotUseSystemAccount`, `NonAssociatedColdKey` (hotkey owned by another
/// coldkey), `SubNetRegistrationDisabled` (before `NetworkRegistrationStartBlock`),
/// `NetworkTxRateLimitExceeded`, `SubnetLimitReached`, `CannotAffordLockCost`,
/// `InvalidIdentity`.
pub fn register_network(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    hotkey: &AccountId32,
    identity: Option<SubnetIdentityV3>,
) -> Result<NetUid, DispatchError> {
    let now = current_block(&*ctx.state);
    let state = &*ctx.state;
    if is_system_account(hotkey) {
        return Err(Error::CannotUseSystemAccount.into());
    }
    if Owner::try_get(state, hotkey).is_some_and(|owner| owner != *coldkey) {
        return Err(Error::NonAssociatedColdKey.into());
    }
    if now < NetworkRegistrationStartBlock::get(state) {
        return Err(Error::SubNetRegistrationDisabled.into());
    }
    let last = rate_limit::last_block(state, &rate_limit::RateLimitKey::NetworkLastRegistered);
    if !rate_limit::passes(last, now, NetworkRateLimit::get(state)) {
        return Err(Error::NetworkTxRateLimitExceeded.into());
    }
    let existing = netuids(state);
    let dynamic = existing.iter().filter(|n| **n != ROOT).count();
    let to_prune = if dynamic >= usize::from(SubnetLimit::get(state)) {
        Some(subnet_to_prune(state).ok_or(Error::SubnetLimitReached)?)
    } else {
        None
    };
    let lock = lock_cost(state);
    if balances::reducible_balance(state, coldkey, Preservation::Preserve) < lock {
        return Err(Error::CannotAffordLockCost.into());
    }
    if identity.as_ref().is_some_and(|id| !id.is_valid()) {
        return Err(Error::InvalidIdentity.into());
    }

    if let Some(pruned) = to_prune {
        dissolve_network(ctx, pruned)?;
    }
    let netuid = match to_prune {
        Some(n) => n,
        None => (1..=u16::MAX)
            .map(NetUid)
            .find(|n| !NetworksAdded::get(&*ctx.state, n))
            .ok_or(Error::SubnetLimitReached)?,
    };
    let median = median_price_bits(&*ctx.state);

    balances::transfer(ctx, coldkey, &subnet_account_id(netuid), lock, Preservation::Preserve)
        .map_err(|_| Error::CannotAffordLockCost)?;
    NetworkLastLockCost::put(ctx.state, &lock);
    rate_limit::set_last_block(ctx.state, &rate_limit::RateLimitKey::NetworkLastRegistered, now);

    create_account_if_non_existent(ctx.state, coldkey, hotkey);
    let params = NewSubnet { tempo: InitialTempo::get(&*ctx.state), ..NewSubnet::default() };
    init_network(ctx.state, netuid, coldkey, hotkey, &params, now);
    SubnetEmissionEnabled::insert(ctx.state, &netuid, &true);
    let symbol = free_symbol(&*ctx.state);
    TokenSymbol::insert(ctx.state, &netuid, &symbol);
    registration::append_neuron(ctx.state, netuid, hotkey, now);

    // Seed the pool at the median price: pool alpha = lock / price.
    let pool_tao = lock.max(NetworkMinLockCost::get(&*ctx.state));
    let pool_alpha = u128::try_from(median)
        .ok()
        .filter(|p| *p > 0)
        .and_then(|p| mul_div_floor(u128::from(pool_tao), 1 << 32, p))
        .and_then(|a| u64::try_from(a).ok())
        .unwrap_or(pool_tao);
    SubnetTAO::insert(ctx.state, &netuid, &pool_tao);
    SubnetAlphaIn::insert(ctx.state, &netuid, &pool_alpha);
    SubnetAlphaOut::insert(ctx.state, &netuid, &0);
    SubnetLocked::insert(ctx.state, &netuid, &lock);
    TotalStake::mutate(ctx.state, |t| *t = t.saturating_add(pool_tao));

    if let Some(identity) = identity {
        SubnetIdentitiesV3::insert(ctx.state, &netuid, &identity);
        deposit_event(ctx, Event::SubnetIdentitySet(netuid));
    }
    deposit_event(ctx, Event::NetworkAdded(netuid, 1));
    // New subnets get no TAO-side emission until root enables it.
    SubnetEmissionEnabled::insert(ctx.state, &netuid, &false);
    Ok(netuid)
}

/// `start_call(netuid)` by the subnet owner: staking and emission start next block.
///
/// # Errors
///
/// `SubnetNotExists`, `BadOrigin` (not the owner), `FirstEmissionBlockNumberAlreadySet`,
/// `NeedWaitingMoreBlocksToStarCall`.
pub fn start_call(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    netuid: NetUid,
) -> Result<(), DispatchError> {
    ensure_subnet_exists(&*ctx.state, netuid)?;
    if SubnetOwner::get(&*ctx.state, &netuid) != *coldkey {
        return Err(DispatchError::BadOrigin);
    }
    if FirstEmissionBlockNumber::get(&*ctx.state, &netuid).is_some() {
        return Err(Error::FirstEmissionBlockNumberAlreadySet.into());
    }
    let now = current_block(&*ctx.state);
    let registered = NetworkRegisteredAt::get(&*ctx.state, &netuid);
    if now < registered.saturating_add(StartCallDelay::get(&*ctx.state)) {
        return Err(Error::NeedWaitingMoreBlocksToStarCall.into());
    }
    let first = now.saturating_add(1);
    FirstEmissionBlockNumber::insert(ctx.state, &netuid, &first);
    SubtokenEnabled::insert(ctx.state, &netuid, &true);
    deposit_event(ctx, Event::FirstEmissionBlockNumberSet(netuid, first));
    Ok(())
}

/// `set_subnet_identity` by the subnet owner.
///
/// # Errors
///
/// `SubnetNotExists`, `BadOrigin` (not the owner), `InvalidIdentity` (a field over its limit).
pub fn set_subnet_identity(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    netuid: NetUid,
    identity: SubnetIdentityV3,
) -> Result<(), DispatchError> {
    ensure_subnet_exists(&*ctx.state, netuid)?;
    if SubnetOwner::get(&*ctx.state, &netuid) != *coldkey {
        return Err(DispatchError::BadOrigin);
    }
    if !identity.is_valid() {
        return Err(Error::InvalidIdentity.into());
    }
    SubnetIdentitiesV3::insert(ctx.state, &netuid, &identity);
    deposit_event(ctx, Event::SubnetIdentitySet(netuid));
    Ok(())
}

/// `set_identity` by a coldkey with at least one hotkey registered on some subnet.
///
/// # Errors
///
/// `HotKeyNotRegisteredInNetwork` (no registered hotkey), `InvalidIdentity`.
pub fn set_identity(
    ctx: &mut DispatchContext<'_>,
    coldkey: &AccountId32,
    identity: ChainIdentityV2,
) -> Result<(), DispatchError> {
    let registered = OwnedHotkeys::get(&*ctx.state, coldkey)
        .iter()
        .any(|hot| IsNetworkMember::iter_prefix(&*ctx.state, hot).any(|(_, member)| member));
    if !registered {
        return Err(Error::HotKeyNotRegisteredInNetwork.into());
    }
    if !identity.is_valid() {
        return Err(Error::InvalidIdentity.into());
    }
    IdentitiesV2::insert(ctx.state, coldkey, &identity);
    deposit_event(ctx, Event::ChainIdentitySet(*coldkey));
    Ok(())
}

/// Splits `pot` over `weights` pro rata, rounding down, then hands the remaining units to the
/// largest remainders (ties: earlier entries first). The result sums to `pot` when any weight
/// is non-zero.
fn largest_remainder(pot: u64, weights: &[u128]) -> Vec<u64> {
    let total: u128 = weights.iter().fold(0u128, |a, w| a.saturating_add(*w));
    if total == 0 {
        return vec![0; weights.len()];
    }
    let mut shares = Vec::with_capacity(weights.len());
    let mut rems = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = u128::from(pot).saturating_mul(*w);
        shares.push(exact.checked_div(total).and_then(|q| u64::try_from(q).ok()).unwrap_or(0));
        rems.push((exact.checked_rem(total).unwrap_or(0), i));
    }
    let handed: u64 = shares.iter().fold(0u64, |a, s| a.saturating_add(*s));
    let mut left = pot.saturating_sub(handed);
    rems.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in rems {
        if left == 0 {
            break;
        }
        if let Some(share) = shares.get_mut(i) {
            *share = share.saturating_add(1);
        }
        left = left.saturating_sub(1);
    }
    shares
}

/// Dissolves `netuid` (root origin, or pruning): pays out stakers, recycles what is left in
/// the subnet account, and clears every per-subnet item (§2.5). Emits `NetworkRemoved`.
///
/// # Errors
///
/// `InvalidSubnetNumber` for the root subnet, `SubnetNotExists`.
pub fn dissolve_network(
    ctx: &mut DispatchContext<'_>,
    netuid: NetUid,
) -> Result<(), DispatchError> {
    if netuid == ROOT {
        return Err(Error::InvalidSubnetNumber.into());
    }
    ensure_subnet_exists(&*ctx.state, netuid)?;
    let account = subnet_account_id(netuid);

    // 1. Positions on this subnet and their alpha.
    let positions: Vec<(AccountId32, AccountId32, u64)> = Alpha::iter(&*ctx.state)
        .filter(|(_, _, n, _)| *n == netuid)
        .map(|(hot, cold, _, _)| {
            let alpha = super::share_pool::alpha_of(&*ctx.state, &hot, &cold, netuid);
            (hot, cold, alpha)
        })
        .collect();
    let pot = SubnetTAO::get(&*ctx.state, &netuid);
    let protocol = SubnetAlphaIn::get(&*ctx.state, &netuid)
        .saturating_add(SubnetProtocolAlpha::get(&*ctx.state, &netuid));
    let staked: u128 = positions.iter().map(|p| u128::from(p.2)).sum();
    let all = staked.saturating_add(u128::from(protocol));
    let stakers_pot = if all == 0 {
        0
    } else {
        mul_div_floor(u128::from(pot), staked, all).and_then(|v| u64::try_from(v).ok()).unwrap_or(0)
    };
    let weights: Vec<u128> = positions.iter().map(|p| u128::from(p.2)).collect();
    let payouts = largest_remainder(stakers_pot, &weights);

    // 2. Pay each coldkey (summed over its positions), then recycle the rest of the account.
    let mut per_cold: std::collections::BTreeMap<AccountId32, u64> = Default::default();
    for ((_, cold, _), paid) in positions.iter().zip(&payouts) {
        let entry = per_cold.entry(*cold).or_default();
        *entry = entry.saturating_add(*paid);
    }
    for (cold, amount) in per_cold {
        // A payout the recipient cannot hold (below the existential deposit) is recycled.
        let _ = balances::transfer(ctx, &account, &cold, amount, Preservation::Expendable);
    }
    if balances::free_balance(&*ctx.state, &account) > 0 {
        balances::force_set_balance(ctx, &account, 0);
    }
    TotalStake::mutate(ctx.state, |t| *t = t.saturating_sub(pot));

    // 3. Positions and pools.
    for (hot, cold, _) in &positions {
        Alpha::remove(ctx.state, hot, cold, &netuid);
    }
    let hot_keyed: Vec<AccountId32> = TotalHotkeyAlpha::iter(&*ctx.state)
        .filter(|(_, n, _)| *n == netuid)
        .map(|(hot, _, _)| hot)
        .chain(
            TotalHotkeyShares::iter(&*ctx.state)
                .filter(|(_, n, _)| *n == netuid)
                .map(|(h, _, _)| h),
        )
        .chain(
            IsNetworkMember::iter(&*ctx.state).filter(|(_, n, _)| *n == netuid).map(|(h, _, _)| h),
        )
        .collect();
    for hot in hot_keyed {
        TotalHotkeyAlpha::remove(ctx.state, &hot, &netuid);
        TotalHotkeyAlphaLastEpoch::remove(ctx.state, &hot, &netuid);
        TotalHotkeyShares::remove(ctx.state, &hot, &netuid);
        IsNetworkMember::remove(ctx.state, &hot, &netuid);
    }
    clear_subnet_items(ctx.state, netuid);
    TotalNetworks::mutate(ctx.state, |n| *n = n.saturating_sub(1));
    deposit_event(ctx, Event::NetworkRemoved(netuid));
    Ok(())
}

/// Removes every item keyed by `netuid` first: each of
/// [`NETUID_KEYED`](super::storage::NETUID_KEYED).
fn clear_subnet_items(state: &mut (impl Kv + ?Sized), netuid: NetUid) {
    for prefix in netuid_key_prefixes(netuid) {
        state.delete_prefix(&prefix);
    }
}

/// Creates the root subnet (netuid 0, stable mechanism) at genesis, as subtensor's genesis
/// does: 64 uids, 64 validators, no minimum weights, tempo 100, one registration target per
/// interval, staking enabled.
pub fn init_root_network(state: &mut (impl Kv + ?Sized), owner: &AccountId32) {
    let params = NewSubnet {
        tempo: 100,
        max_allowed_uids: 64,
        max_allowed_validators: 64,
        min_allowed_weights: 0,
        immunity_period: 4096,
        burn: Burn::get(state, &ROOT),
    };
    init_network(state, ROOT, owner, owner, &params, 0);
    Yuma3On::remove(state, &ROOT);
    TargetRegistrationsPerInterval::insert(state, &ROOT, &1);
    SubtokenEnabled::insert(state, &ROOT, &true);
    TokenSymbol::insert(state, &ROOT, &super::symbols::ROOT_SYMBOL.to_vec());
}

#[cfg(test)]
mod tests;
