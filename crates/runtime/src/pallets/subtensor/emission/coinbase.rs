//! Per-block emission and epoch scheduling (`reference/subtensor.md` §0.2, §1.5, §2.6, §3.2,
//! §7): subtensor's `block_step`, run by [`on_initialize`] at the start of every block.
//!
//! Per block, in this order:
//!
//! 1. **Registration prices** (§3.2): every subnet's `Burn` decays by f = 2^(−1/BurnHalfLife)
//!    (Q32, [`registration::burn_decay_factor_q32`]), clamped to `[MinBurn, MaxBurn]`; `RegistrationsThisBlock`
//!    is reset.
//! 2. **Block emission** (§1.5): E from `TotalIssuance` ([`block_emission_for_issuance`]),
//!    stored in `BlockEmission`; never more than 21M − `Balances.TotalIssuance` is minted.
//! 3. **Shares** (§7.1–7.2): eligible subnets (non-root, `FirstEmissionBlockNumber` set,
//!    `SubtokenEnabled`, `NetworkRegistrationAllowed`) share E by moving price ×
//!    (1 − `MinerBurned`), renormalised over `SubnetEmissionEnabled` subnets.
//! 4. **Injection and chain buy** (§7.3): α_in = e/p capped at root proportion × α emission;
//!    τ_in is minted into the subnet account and injected with α_in, the excess is minted and
//!    swapped for protocol alpha.
//! 5. **Alpha out** (§7.4): α emission goes to `SubnetAlphaOut`; the owner cut (18 %) and
//!    the 50/50 miner/validator split (minus the root share) accumulate in `Pending*`.
//! 6. **Epochs** (§2.6, §7.5): subnets whose epoch is due ([`weights::should_run_epoch`]) drain their pending
//!    amounts and distribute them through the Yuma epoch ([`crate::pallets::subtensor::emission::epoch::run_epoch`]), at
//!    most `MaxEpochsPerBlock` per block in ascending netuid order; the rest are deferred to
//!    the next block (`PendingEpochAt`, `EpochDeferred`).
//! 7. **Moving prices** (§7.2) and `RootProp` of every eligible subnet.
//!
//! Fixed point: every fractional quantity is a `U96F32` value held as its raw bits (`u128`,
//! 32 fractional bits; `U64F64` with 64 for the moving-price EMA), multiplied and divided
//! through 256-bit intermediates ([`mul_div_floor`]) and truncated like substrate-fixed's
//! `saturating_to_num`. No floats, no panics.
//!
//! # Issuance identity
//!
//! After [`on_initialize`], `SubtensorModule.TotalIssuance == Balances.TotalIssuance`: the step
//! starts by taking subtensor's issuance from Balances (so fees dropped and dust reaped since
//! the last block count as recycled, as `recycle_tao` would), every minted RAO goes through
//! [`balances::mint_into`], and the counter is written back from Balances at the end. TAO
//! emission that is not spent (rounding, zero shares, a failed mint) is never minted, which
//! equals subtensor's mint-then-recycle of the leftover credit.
//!
//! # Deviations from subtensor
//!
//! - No childkeys: dividends go to the hotkey that earned them.
//! - No root claims (`RootClaimable`): a validator's root alpha dividends (take included) are
//!   credited as alpha stake to its owner coldkey's position on the validator hotkey, on the
//!   subnet that paid them.
//! - Mechanism 0 only; no subnet leases, auto-stake destinations, owner-cut auto-lock or
//!   conviction-based owner changes; no timelocked (CRv3/v4) reveals; no auto root claims.
//! - Netuids are visited in ascending numeric order (subtensor: hashed-key order), which
//!   decides which subnets the `MaxEpochsPerBlock` cap defers.
//! - When no subnet besides root exists the step is a no-op (no `BlockEmission` write).
//! - Spot prices come from [`crate::pallets::subtensor::swap`] (constant product) rather than subtensor's swap
//!   pallet; `log2` of the emission curve is computed exactly (floor of the bit length)
//!   instead of through substrate-fixed's approximation.
//! - Subnet shares are computed as E × w_i / Σw in one 256-bit step (subtensor: a `U64F64`
//!   share, then E × share), so TAO amounts may differ in the last RAO.
//! - If the Yuma epoch rejects the stored inputs, the drained amounts are put back into the
//!   pending accumulators and `EpochSkipped` is emitted.

use std::collections::BTreeMap;

use rustensor_primitives::fixed::wide::mul_div_floor;
use rustensor_primitives::{AccountId32, NetUid};

use crate::dispatch::DispatchContext;
use crate::pallets::balances;
use crate::pallets::subtensor::emission::epoch::{inputs_consistent, run_epoch};
use crate::pallets::subtensor::events::Event;
use crate::pallets::subtensor::storage::*;
use crate::pallets::subtensor::types::RecycleOrBurn;
use crate::pallets::subtensor::{
    ROOT, TAO, deposit_event, registration, share_pool, swap, weights,
};
use crate::storage::{Kv, KvRead};

/// Total supply S: 21 million TAO in RAO.
pub const TOTAL_SUPPLY: u64 = 21_000_000 * TAO;
/// `DefaultBlockEmission`: 1 TAO.
pub const DEFAULT_BLOCK_EMISSION: u64 = TAO;

/// One in `U96F32` bits.
const ONE: u128 = 1 << 32;
/// One in `U64F64` bits.
const ONE64: u128 = 1 << 64;

/// `a × b` of two `U96F32` bit patterns, truncated, saturating.
fn fmul(a: u128, b: u128) -> u128 {
    mul_div_floor(a, b, ONE).unwrap_or(u128::MAX)
}

/// `a / b` of two `U96F32` bit patterns, truncated; 0 when `b` is 0.
fn fdiv(a: u128, b: u128) -> u128 {
    if b == 0 { 0 } else { mul_div_floor(a, ONE, b).unwrap_or(u128::MAX) }
}

/// An integer as `U96F32` bits.
fn fixed(v: u64) -> u128 {
    u128::from(v) << 32
}

/// The integer part of `U96F32` bits, saturating to `u64`.
fn int(bits: u128) -> u64 {
    u64::try_from(bits >> 32).unwrap_or(u64::MAX)
}

/// Block emission for an issuance of `issuance` RAO (§1.5): 0 at or above 21M TAO, else
/// `DefaultBlockEmission / 2^k` with k = ⌊log2(1 / (1 − I/S))⌋, every step in `I96F32` as
/// subtensor computes it (I/S and the reciprocal truncated to 32 fractional bits).
pub fn block_emission_for_issuance(issuance: u64) -> u64 {
    if issuance >= TOTAL_SUPPLY {
        return 0;
    }
    // q = I / S (truncated), d = 1 − q > 0, r = 1 / d (truncated) ≥ 1.
    let q = mul_div_floor(u128::from(issuance), ONE, u128::from(TOTAL_SUPPLY)).unwrap_or(ONE);
    let d = ONE.saturating_sub(q);
    if d == 0 {
        return 0;
    }
    let r = mul_div_floor(ONE, ONE, d).unwrap_or(u128::MAX);
    // ⌊log2(r / 2^32)⌋ = bit length of r − 33.
    let bits = 128u32.saturating_sub(r.leading_zeros());
    let k = bits.saturating_sub(33);
    DEFAULT_BLOCK_EMISSION.checked_shr(k).unwrap_or(0)
}

/// §7.1: non-root, started, subtoken enabled, registration allowed.
fn subnets_to_emit_to(state: &(impl KvRead + ?Sized), netuids: &[NetUid]) -> Vec<NetUid> {
    netuids
        .iter()
        .copied()
        .filter(|n| *n != ROOT)
        .filter(|n| FirstEmissionBlockNumber::get(state, n).is_some())
        .filter(|n| SubtokenEnabled::get(state, n))
        .filter(|n| NetworkRegistrationAllowed::get(state, n))
        .collect()
}

/// §3.2: burn decay and `RegistrationsThisBlock` reset for every subnet
/// ([`registration::decay_burn`]).
fn update_registration_prices(state: &mut (impl Kv + ?Sized), netuids: &[NetUid], now: u64) {
    for netuid in netuids {
        registration::decay_burn(state, *netuid, now);
        // Only subnets with PoW registration switched on (a no-op elsewhere).
        registration::adjust_difficulty(state, *netuid, now);
    }
}

/// The moving price of `netuid` as `U96F32` bits (negative stored values count as 0).
fn moving_price(state: &(impl KvRead + ?Sized), netuid: NetUid) -> u128 {
    u128::try_from(SubnetMovingPrice::get(state, &netuid)).unwrap_or(0)
}

/// The spot price as `U96F32` bits.
fn spot_price(state: &(impl KvRead + ?Sized), netuid: NetUid) -> u128 {
    u128::try_from(swap::price_i96f32_bits(state, netuid)).unwrap_or(0)
}

/// `TaoWeight` as `U96F32` bits.
fn tao_weight(state: &(impl KvRead + ?Sized)) -> u128 {
    mul_div_floor(u128::from(TaoWeight::get(state)), ONE, u128::from(u64::MAX)).unwrap_or(0)
}

/// The alpha issuance of `netuid`: `SubnetAlphaIn + SubnetAlphaOut`.
fn alpha_issuance(state: &(impl KvRead + ?Sized), netuid: NetUid) -> u64 {
    SubnetAlphaIn::get(state, &netuid).saturating_add(SubnetAlphaOut::get(state, &netuid))
}

/// Root proportion (`U96F32` bits): τ_root·w / (τ_root·w + alpha issuance).
pub fn root_proportion(state: &(impl KvRead + ?Sized), netuid: NetUid) -> u128 {
    let weighted = fmul(fixed(SubnetTAO::get(state, &ROOT)), tao_weight(state));
    fdiv(weighted, weighted.saturating_add(fixed(alpha_issuance(state, netuid))))
}

/// §7.2: TAO emission (`U96F32` bits) of each subnet in `subnets` out of `emission` RAO.
pub fn subnet_block_emissions(
    state: &(impl KvRead + ?Sized),
    subnets: &[NetUid],
    emission: u64,
) -> BTreeMap<NetUid, u128> {
    let prices: Vec<u128> = subnets.iter().map(|n| moving_price(state, *n)).collect();
    let penalised: Vec<u128> = subnets
        .iter()
        .zip(&prices)
        .map(|(n, p)| {
            let burned = MinerBurned::get(state, n).min(ONE);
            fmul(*p, ONE.saturating_sub(burned))
        })
        .collect();
    let total_penalised = penalised.iter().fold(0u128, |a, w| a.saturating_add(*w));
    let weights = if total_penalised == 0 { &prices } else { &penalised };
    // Only emission-enabled subnets share; the others keep their place with 0.
    let enabled: Vec<bool> = subnets.iter().map(|n| SubnetEmissionEnabled::get(state, n)).collect();
    let total = weights
        .iter()
        .zip(&enabled)
        .filter(|(_, e)| **e)
        .fold(0u128, |a, (w, _)| a.saturating_add(*w));
    subnets
        .iter()
        .zip(weights.iter().zip(&enabled))
        .map(|(n, (w, e))| {
            let e_bits = if *e && total > 0 {
                mul_div_floor(fixed(emission), *w, total).unwrap_or(0)
            } else {
                0
            };
            (*n, e_bits)
        })
        .collect()
}

/// Mints `amount` into the subnet account; false (nothing minted) if it cannot be received.
fn mint_to_subnet(ctx: &mut DispatchContext<'_>, netuid: NetUid, amount: u64) -> bool {
    amount == 0
        || balances::mint_into(ctx, &crate::pallets::subtensor::subnet_account_id(netuid), amount)
            .is_ok()
}

/// §7.3–7.4 for one block.
fn emit_to_subnets(
    ctx: &mut DispatchContext<'_>,
    subnets: &[NetUid],
    emissions: &BTreeMap<NetUid, u128>,
    mut mintable: u64,
) {
    let cut = mul_div_floor(u128::from(SubnetOwnerCut::get(&*ctx.state)), ONE, 65_535).unwrap_or(0);
    let total_price =
        subnets.iter().fold(0u128, |a, n| a.saturating_add(moving_price(&*ctx.state, *n)));
    let root_sell = total_price > ONE;
    for netuid in subnets {
        let netuid = *netuid;
        let e = emissions.get(&netuid).copied().unwrap_or(0);
        let alpha_emission =
            fixed(block_emission_for_issuance(alpha_issuance(&*ctx.state, netuid)));
        let price = spot_price(&*ctx.state, netuid);
        let rp = root_proportion(&*ctx.state, netuid);
        let mut tao_in = e;
        let mut alpha_in = fdiv(e, price);
        let cap = fmul(rp, alpha_emission);
        if alpha_in > cap {
            alpha_in = cap;
            tao_in = fmul(alpha_in, price);
        }
        let excess = int(e.saturating_sub(tao_in)).min(mintable);
        let (tao_in, alpha_in) = (int(tao_in).min(mintable.saturating_sub(excess)), int(alpha_in));

        SubnetExcessTao::insert(ctx.state, &netuid, &0);
        SubnetTaoInEmission::insert(ctx.state, &netuid, &0);
        // Chain buy: only minted when the swap can execute.
        if excess > 0
            && swap::sim_buy(&*ctx.state, netuid, excess, None).is_ok()
            && mint_to_subnet(ctx, netuid, excess)
        {
            mintable = mintable.saturating_sub(excess);
            if let Ok(r) = swap::buy(ctx.state, netuid, excess, None) {
                SubnetProtocolAlpha::mutate(ctx.state, &netuid, |v| {
                    *v = v.saturating_add(r.amount_out)
                });
                SubnetExcessTao::insert(ctx.state, &netuid, &r.amount_in);
            }
        }
        // Liquidity injection.
        let tao_injected = if mint_to_subnet(ctx, netuid, tao_in) { tao_in } else { 0 };
        mintable = mintable.saturating_sub(tao_injected);
        swap::inject(ctx.state, netuid, tao_injected, alpha_in);
        SubnetTaoInEmission::insert(ctx.state, &netuid, &tao_injected);
        SubnetAlphaInEmission::insert(ctx.state, &netuid, &alpha_in);

        // Alpha out and the pending accumulators.
        let mut alpha_out = alpha_emission;
        let alpha_created = int(alpha_out);
        SubnetAlphaOutEmission::insert(ctx.state, &netuid, &alpha_created);
        SubnetAlphaOut::mutate(ctx.state, &netuid, |v| *v = v.saturating_add(alpha_created));
        if OwnerCutEnabled::get(&*ctx.state, &netuid) {
            let owner_cut = fmul(alpha_out, cut);
            alpha_out = alpha_out.saturating_sub(owner_cut);
            PendingOwnerCut::mutate(ctx.state, &netuid, |v| *v = v.saturating_add(int(owner_cut)));
        }
        let root_alpha = fmul(rp, alpha_out) >> 1;
        let server = alpha_out >> 1;
        let validator = alpha_out.saturating_sub(server).saturating_sub(root_alpha);
        PendingServerEmission::mutate(ctx.state, &netuid, |v| *v = v.saturating_add(int(server)));
        PendingValidatorEmission::mutate(ctx.state, &netuid, |v| {
            *v = v.saturating_add(int(validator))
        });
        if root_sell {
            PendingRootAlphaDivs::mutate(ctx.state, &netuid, |v| {
                *v = v.saturating_add(int(root_alpha))
            });
        } else {
            SubnetAlphaOut::mutate(ctx.state, &netuid, |v| *v = v.saturating_sub(int(root_alpha)));
        }
    }
}

/// Pending amounts drained for one epoch: (server, validator, root, owner cut).
type Drained = (u64, u64, u64, u64);

/// §2.6 / §7.5: advances schedules and drains the subnets whose epoch runs this block.
fn drain_pending(
    ctx: &mut DispatchContext<'_>,
    subnets: &[NetUid],
    now: u64,
) -> BTreeMap<NetUid, Drained> {
    let cap = u32::from(MaxEpochsPerBlock::get(&*ctx.state));
    let mut ran: u32 = 0;
    let mut drained = BTreeMap::new();
    for netuid in subnets {
        let netuid = *netuid;
        BlocksSinceLastStep::mutate(ctx.state, &netuid, |v| *v = v.saturating_add(1));
        if !weights::should_run_epoch(&*ctx.state, netuid, now) {
            continue;
        }
        if ran >= cap {
            let next = now.saturating_add(1);
            PendingEpochAt::insert(ctx.state, &netuid, &next);
            deposit_event(ctx, Event::EpochDeferred { netuid, from_block: now, to_block: next });
            continue;
        }
        if inputs_consistent(&*ctx.state, netuid) {
            BlocksSinceLastStep::insert(ctx.state, &netuid, &0);
            let amounts = (
                PendingServerEmission::take(ctx.state, &netuid),
                PendingValidatorEmission::take(ctx.state, &netuid),
                PendingRootAlphaDivs::take(ctx.state, &netuid),
                PendingOwnerCut::take(ctx.state, &netuid),
            );
            drained.insert(netuid, amounts);
            ran = ran.saturating_add(1);
        } else {
            deposit_event(ctx, Event::EpochSkipped { netuid, block: now });
        }
        LastEpochBlock::insert(ctx.state, &netuid, &now);
        PendingEpochAt::insert(ctx.state, &netuid, &0);
        SubnetEpochIndex::mutate(ctx.state, &netuid, |v| *v = v.saturating_add(1));
    }
    drained
}

/// The subnet owner's hotkeys registered on `netuid` (owner hotkey included).
fn owner_hotkeys(state: &(impl KvRead + ?Sized), netuid: NetUid) -> Vec<AccountId32> {
    let owner = SubnetOwner::get(state, &netuid);
    let mut hotkeys: Vec<AccountId32> = OwnedHotkeys::get(state, &owner)
        .into_iter()
        .filter(|h| Uids::contains_key(state, &netuid, h))
        .collect();
    let owner_hotkey = SubnetOwnerHotkey::get(state, &netuid);
    if Uids::contains_key(state, &netuid, &owner_hotkey) && !hotkeys.contains(&owner_hotkey) {
        hotkeys.push(owner_hotkey);
    }
    hotkeys
}

/// `amount × part / whole` (0 if `whole` is 0), rounded down.
fn pro_rata(amount: u64, part: u128, whole: u128) -> u64 {
    if whole == 0 {
        return 0;
    }
    mul_div_floor(u128::from(amount), part, whole).and_then(|v| u64::try_from(v).ok()).unwrap_or(0)
}

/// §7.5: runs the epoch of `netuid` over the drained amounts and pays them out.
fn distribute_emission(ctx: &mut DispatchContext<'_>, netuid: NetUid, now: u64, d: Drained) {
    let (server, mut validator, root, owner_cut) = d;
    let total = server.saturating_add(validator).saturating_add(root);
    let payout = match run_epoch(ctx.state, netuid, now, total) {
        Ok(p) => p,
        Err(_) => {
            // Put the drained amounts back: they are paid by the next successful epoch.
            PendingServerEmission::mutate(ctx.state, &netuid, |v| *v = v.saturating_add(server));
            PendingValidatorEmission::mutate(ctx.state, &netuid, |v| {
                *v = v.saturating_add(validator)
            });
            PendingRootAlphaDivs::mutate(ctx.state, &netuid, |v| *v = v.saturating_add(root));
            PendingOwnerCut::mutate(ctx.state, &netuid, |v| *v = v.saturating_add(owner_cut));
            deposit_event(ctx, Event::EpochSkipped { netuid, block: now });
            return;
        }
    };
    // Aggregate per hotkey (ascending key order).
    let mut incentives: BTreeMap<AccountId32, u64> = BTreeMap::new();
    let mut dividends: BTreeMap<AccountId32, u64> = BTreeMap::new();
    for (hotkey, s, v) in &payout.per_uid {
        let e = incentives.entry(*hotkey).or_default();
        *e = e.saturating_add(*s);
        let e = dividends.entry(*hotkey).or_default();
        *e = e.saturating_add(*v);
    }
    let incentive_sum = incentives.values().fold(0u64, |a, v| a.saturating_add(*v));
    if incentive_sum == 0 {
        validator = validator.saturating_add(server);
    }

    // Split dividends into alpha and root parts by the hotkey's alpha vs weighted root stake.
    let tw = tao_weight(&*ctx.state);
    let mut alpha_divs: BTreeMap<AccountId32, u128> = BTreeMap::new();
    let mut root_divs: BTreeMap<AccountId32, u128> = BTreeMap::new();
    for (hotkey, div) in &dividends {
        let alpha_stake = fixed(share_pool::total_hotkey_alpha(&*ctx.state, hotkey, netuid));
        let root_stake = fmul(fixed(share_pool::total_hotkey_alpha(&*ctx.state, hotkey, ROOT)), tw);
        let prop = fdiv(root_stake, alpha_stake.saturating_add(root_stake));
        let r = fmul(fixed(*div), prop);
        alpha_divs.insert(*hotkey, fixed(*div).saturating_sub(r));
        root_divs.insert(*hotkey, r);
    }
    let total_alpha = alpha_divs.values().fold(0u128, |a, v| a.saturating_add(*v));
    let total_root = root_divs.values().fold(0u128, |a, v| a.saturating_add(*v));

    // Owner cut.
    let owner_coldkey = SubnetOwner::get(&*ctx.state, &netuid);
    let owner_hotkey = SubnetOwnerHotkey::get(&*ctx.state, &netuid);
    if owner_hotkey != AccountId32([0; 32]) {
        share_pool::increase_stake(ctx.state, &owner_hotkey, &owner_coldkey, netuid, owner_cut);
    }

    // Miner incentives; the owner's own hotkeys' share is withheld.
    let withheld_keys = owner_hotkeys(&*ctx.state, netuid);
    let mut withheld: u64 = 0;
    for (hotkey, incentive) in &incentives {
        if *incentive == 0 {
            continue;
        }
        if withheld_keys.contains(hotkey) {
            withheld = withheld.saturating_add(*incentive);
            if RecycleOrBurnOf::get(&*ctx.state, &netuid) == RecycleOrBurn::Recycle {
                SubnetAlphaOut::mutate(ctx.state, &netuid, |v| *v = v.saturating_sub(*incentive));
            }
            continue;
        }
        let coldkey = crate::pallets::subtensor::owning_coldkey(&*ctx.state, hotkey);
        share_pool::increase_stake(ctx.state, hotkey, &coldkey, netuid, *incentive);
    }
    MinerBurned::insert(ctx.state, &netuid, &fdiv(fixed(withheld), fixed(incentive_sum)));

    // Alpha dividends: take to the owner coldkey, the rest to the hotkey's pool.
    AlphaDividendsPerSubnet::clear_prefix(ctx.state, &netuid);
    for (hotkey, share) in &alpha_divs {
        let amount = pro_rata(validator, *share, total_alpha);
        if amount == 0 {
            continue;
        }
        let coldkey = crate::pallets::subtensor::owning_coldkey(&*ctx.state, hotkey);
        let take = pro_rata(amount, u128::from(Delegates::get(&*ctx.state, hotkey)), 65_535);
        let rest = amount.saturating_sub(take);
        share_pool::increase_stake(ctx.state, hotkey, &coldkey, netuid, take);
        share_pool::increase_pool_value(ctx.state, hotkey, &coldkey, netuid, rest);
        AlphaDividendsPerSubnet::mutate(ctx.state, &netuid, hotkey, |v| {
            *v = v.saturating_add(rest)
        });
        let value = share_pool::total_hotkey_alpha(&*ctx.state, hotkey, netuid);
        TotalHotkeyAlphaLastEpoch::insert(ctx.state, hotkey, &netuid, &value);
    }

    // Root dividends (no RootClaimable): all of it to the owner coldkey's position.
    RootAlphaDividendsPerSubnet::clear_prefix(ctx.state, &netuid);
    for (hotkey, share) in &root_divs {
        let amount = pro_rata(root, *share, total_root);
        if amount == 0 {
            continue;
        }
        let coldkey = crate::pallets::subtensor::owning_coldkey(&*ctx.state, hotkey);
        share_pool::increase_stake(ctx.state, hotkey, &coldkey, netuid, amount);
        RootAlphaDividendsPerSubnet::mutate(ctx.state, &netuid, hotkey, |v| {
            *v = v.saturating_add(amount)
        });
    }
    if total_root == 0 && root > 0 {
        // Nobody to pay root dividends to: the alpha leaves circulation (recycled).
        SubnetAlphaOut::mutate(ctx.state, &netuid, |v| *v = v.saturating_sub(root));
    }
}

/// §7.2: EMA of the spot price (clipped at 1.0) with the warm-up factor b/(b+H).
fn update_moving_price(state: &mut (impl Kv + ?Sized), netuid: NetUid, now: u64) {
    let start = FirstEmissionBlockNumber::get(state, &netuid).unwrap_or(0).saturating_sub(1);
    let b = u128::from(now.saturating_sub(start));
    let h = u128::from(EMAPriceHalvingBlocks::get(state, &netuid));
    // α in U64F64: SubnetMovingAlpha (I96F32 bits) << 32, times b / (b + H).
    let ma = SubnetMovingAlpha::get(state).saturating_mul(1 << 32);
    let alpha = mul_div_floor(ma, b, b.saturating_add(h)).unwrap_or(0).min(ONE64);
    let price = spot_price(state, netuid).min(ONE).saturating_mul(1 << 32);
    let moving = moving_price(state, netuid).saturating_mul(1 << 32);
    let new = mul_div_floor(alpha, price, ONE64)
        .unwrap_or(0)
        .saturating_add(mul_div_floor(ONE64.saturating_sub(alpha), moving, ONE64).unwrap_or(0));
    let bits = i128::try_from(new >> 32).unwrap_or(i128::MAX);
    SubnetMovingPrice::insert(state, &netuid, &bits);
}

/// The block step (module docs). Runs after `system::initialize_block`; its events carry
/// the context's phase (`Phase::Initialization` from the executive).
pub fn on_initialize(ctx: &mut DispatchContext<'_>) {
    let now = crate::pallets::subtensor::current_block(&*ctx.state);
    // Subtensor's issuance, taken from Balances (issuance identity), even with no subnets.
    let balances_issuance = balances::TotalIssuance::get(&*ctx.state);
    if TotalIssuance::get(&*ctx.state) != balances_issuance {
        TotalIssuance::put(ctx.state, &balances_issuance);
    }
    let netuids = crate::pallets::subtensor::netuids(&*ctx.state);
    let subnets: Vec<NetUid> = netuids.iter().copied().filter(|n| *n != ROOT).collect();
    if subnets.is_empty() {
        return;
    }
    // 1. Registration prices.
    update_registration_prices(ctx.state, &netuids, now);
    // 2. Block emission from subtensor's issuance.
    let emission = block_emission_for_issuance(balances_issuance);
    if BlockEmission::get(&*ctx.state) != emission {
        BlockEmission::put(ctx.state, &emission);
    }
    let mintable = emission.min(TOTAL_SUPPLY.saturating_sub(balances_issuance));
    // 3–5. Shares, injection, chain buys, alpha out.
    let eligible = subnets_to_emit_to(&*ctx.state, &subnets);
    let emissions = subnet_block_emissions(&*ctx.state, &eligible, mintable);
    emit_to_subnets(ctx, &eligible, &emissions, mintable);
    // 6. Epochs.
    let drained = drain_pending(ctx, &subnets, now);
    for (netuid, amounts) in drained {
        distribute_emission(ctx, netuid, now, amounts);
    }
    // 7. Moving prices and root proportions, after they were used.
    for netuid in &eligible {
        update_moving_price(ctx.state, *netuid, now);
        let rp = root_proportion(&*ctx.state, *netuid);
        RootProp::insert(ctx.state, netuid, &rp);
    }
    let issuance = balances::TotalIssuance::get(&*ctx.state);
    TotalIssuance::put(ctx.state, &issuance);
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "test arithmetic on small known values")]
mod tests {
    use super::*;
    use crate::events::EventRecord;
    use crate::executive::Executive;
    use crate::pallets::Runtime;
    use crate::pallets::subtensor::registration::append_neuron;
    use crate::pallets::subtensor::subnets::{NewSubnet, init_network};
    use crate::pallets::system;
    use crate::storage::MemoryKv;
    use crate::test_utils::TEST_VERSION;

    fn acc(b: u8) -> AccountId32 {
        AccountId32([b; 32])
    }

    const OWNER_COLD: u8 = 200;
    const OWNER_HOT: u8 = 201;

    /// A started dynamic subnet with a 1000 TAO / 1000 α pool (price 1.0), moving price
    /// `moving` (U96F32 bits), the subnet account funded with the pool's TAO.
    fn add_subnet(s: &mut MemoryKv, netuid: NetUid, tempo: u16, moving: i128) {
        let params = NewSubnet { tempo, ..NewSubnet::default() };
        init_network(s, netuid, &acc(OWNER_COLD), &acc(OWNER_HOT), &params, 0);
        crate::pallets::subtensor::create_account_if_non_existent(
            s,
            &acc(OWNER_COLD),
            &acc(OWNER_HOT),
        );
        SubnetTAO::insert(s, &netuid, &(1000 * TAO));
        SubnetAlphaIn::insert(s, &netuid, &(1000 * TAO));
        TotalStake::mutate(s, |v| *v += 1000 * TAO);
        FirstEmissionBlockNumber::insert(s, &netuid, &1);
        SubtokenEnabled::insert(s, &netuid, &true);
        SubnetMovingPrice::insert(s, &netuid, &moving);
    }

    fn genesis(netuids: &[NetUid]) -> MemoryKv {
        let mut s = MemoryKv::new();
        let mut funded: Vec<(AccountId32, u64)> = netuids
            .iter()
            .map(|n| (crate::pallets::subtensor::subnet_account_id(*n), 1000 * TAO))
            .collect();
        funded.push((acc(1), 10_000 * TAO));
        balances::build_genesis(&mut s, &funded).unwrap();
        s
    }

    /// Registers `hotkey` (owned by `coldkey`) with `alpha` stake.
    fn neuron(s: &mut MemoryKv, netuid: NetUid, hot: u8, cold: u8, alpha: u64) -> u16 {
        crate::pallets::subtensor::create_account_if_non_existent(s, &acc(cold), &acc(hot));
        let uid = append_neuron(s, netuid, &acc(hot), 0);
        if alpha > 0 {
            share_pool::credit_new_alpha(s, &acc(hot), &acc(cold), netuid, alpha);
        }
        uid
    }

    /// Runs block `number` over `state` and writes its changes back; returns its events.
    fn step(state: &mut MemoryKv, number: u32) -> Vec<EventRecord> {
        let (events, changes) = {
            let block =
                Executive::initialize_block(&*state, Runtime, TEST_VERSION, number, [0; 32]);
            let events = block.events().to_vec();
            (events, block.finalize_block().into_parts().1)
        };
        for (key, change) in changes {
            match change {
                Some(v) => crate::storage::Kv::put(state, &key, &v),
                None => crate::storage::Kv::delete(state, &key),
            }
        }
        events
    }

    fn assert_books(s: &MemoryKv, netuids: &[NetUid]) {
        let free: u64 = system::Account::iter(s).map(|(_, info)| info.data.free).sum();
        assert_eq!(free, balances::TotalIssuance::get(s), "Σ free == Balances issuance");
        assert_eq!(TotalIssuance::get(s), balances::TotalIssuance::get(s), "issuance identity");
        for n in netuids {
            let bal = balances::free_balance(s, &crate::pallets::subtensor::subnet_account_id(*n));
            assert!(bal >= SubnetTAO::get(s, n), "subnet {n:?}: {bal} < SubnetTAO");
        }
    }

    #[test]
    fn test_block_emission_halves_at_exact_thresholds() {
        assert_eq!(block_emission_for_issuance(0), TAO);
        assert_eq!(block_emission_for_issuance(10_500_000 * TAO - 1), TAO);
        assert_eq!(block_emission_for_issuance(10_500_000 * TAO), TAO / 2);
        assert_eq!(block_emission_for_issuance(15_750_000 * TAO - 1), TAO / 2);
        assert_eq!(block_emission_for_issuance(15_750_000 * TAO), TAO / 4);
        assert_eq!(block_emission_for_issuance(18_375_000 * TAO), TAO / 8);
        assert_eq!(block_emission_for_issuance(TOTAL_SUPPLY), 0);
        assert_eq!(block_emission_for_issuance(u64::MAX), 0);
    }

    #[test]
    fn test_burn_decay_halves_over_half_life() {
        let mut s = MemoryKv::new();
        let net = NetUid(1);
        init_network(&mut s, net, &acc(1), &acc(2), &NewSubnet::default(), 0);
        Burn::insert(&mut s, &net, &(10 * TAO));
        RegistrationsThisBlock::insert(&mut s, &net, &3);
        for now in 2..(2 + 360) {
            update_registration_prices(&mut s, &[net], now);
        }
        let burn = Burn::get(&s, &net);
        // f is the largest Q32 value with f^360 ≤ 1/2, and each step truncates.
        assert!(burn <= 5 * TAO && burn > 5 * TAO - 5 * TAO / 1000, "{burn}");
        assert_eq!(RegistrationsThisBlock::get(&s, &net), 0);
        // Clamped to MinBurn.
        for now in 0..20_000 {
            update_registration_prices(&mut s, &[net], now + 400);
        }
        assert_eq!(Burn::get(&s, &net), MinBurn::get(&s, &net));
    }

    #[test]
    fn test_emission_split_follows_moving_price() {
        let (a, b, c) = (NetUid(1), NetUid(2), NetUid(3));
        let mut s = genesis(&[a, b, c]);
        add_subnet(&mut s, a, 360, 1 << 31);
        add_subnet(&mut s, b, 360, 1 << 30);
        add_subnet(&mut s, c, 360, 1 << 30);
        SubnetEmissionEnabled::insert(&mut s, &c, &false);
        let e = subnet_block_emissions(&s, &[a, b, c], TAO);
        assert_eq!(int(e[&a]), 666_666_666);
        assert_eq!(int(e[&b]), 333_333_333);
        assert_eq!(e[&c], 0, "disabled subnets get no TAO");
        // Miner burn penalises: half burned halves the weight.
        MinerBurned::insert(&mut s, &a, &(1 << 31));
        let e = subnet_block_emissions(&s, &[a, b], TAO);
        assert_eq!(int(e[&a]), TAO / 2);
    }

    #[test]
    fn test_owner_cut_is_18_percent_and_pending_accumulates() {
        let net = NetUid(1);
        let mut s = genesis(&[net]);
        add_subnet(&mut s, net, 100, 1 << 31);
        step(&mut s, 1);
        let cut = PendingOwnerCut::get(&s, &net);
        assert_eq!(cut, int(fmul(fixed(TAO), fdiv(fixed(11_796), fixed(65_535)))));
        assert!((179_990_000..=180_000_000).contains(&cut), "{cut}");
        let rest = TAO - cut;
        assert!(PendingServerEmission::get(&s, &net).abs_diff(rest / 2) <= 1);
        assert!(PendingValidatorEmission::get(&s, &net).abs_diff(rest / 2) <= 1);
        assert_eq!(BlockEmission::get(&s), TAO);
        step(&mut s, 2);
        assert_eq!(PendingOwnerCut::get(&s, &net), 2 * cut);
        assert_books(&s, &[net]);
    }

    #[test]
    fn test_no_subnet_block_step_is_a_no_op() {
        let mut s = genesis(&[]);
        let events = step(&mut s, 1);
        assert!(events.is_empty());
        assert!(!BlockEmission::exists(&s));
    }

    /// 3 honest validators weight miner A, one weights miner B; tempo 10.
    fn scenario() -> (MemoryKv, NetUid, u16, u16) {
        let net = NetUid(1);
        let mut s = genesis(&[net]);
        add_subnet(&mut s, net, 10, 1 << 31);
        let vals: Vec<u16> =
            (0..4).map(|i| neuron(&mut s, net, 10 + i, 20 + i, 100 * TAO)).collect();
        let miner_a = neuron(&mut s, net, 30, 40, 0);
        let miner_b = neuron(&mut s, net, 31, 41, 0);
        for (i, uid) in vals.iter().enumerate() {
            let target = if i < 3 { miner_a } else { miner_b };
            Weights::insert(&mut s, &net.0, uid, &vec![(target, u16::MAX)]);
        }
        ValidatorPermit::insert(&mut s, &net, &vec![true, true, true, true, false, false]);
        // Weights set after the miners registered (block 0), else the epoch masks them.
        LastUpdate::insert(&mut s, &net.0, &vec![1, 1, 1, 1, 0, 0]);
        Delegates::insert(&mut s, &acc(10), &0);
        (s, net, miner_a, miner_b)
    }

    #[test]
    fn test_pending_drains_at_each_epoch_and_pays_what_accumulated() {
        let (mut s, net, _, _) = scenario();
        let staked = |s: &MemoryKv| -> u64 {
            [10u8, 11, 12, 13, 30, 31, OWNER_HOT]
                .iter()
                .map(|h| share_pool::total_hotkey_alpha(s, &acc(*h), net))
                .sum()
        };
        let pending = |s: &MemoryKv| {
            PendingServerEmission::get(s, &net)
                + PendingValidatorEmission::get(s, &net)
                + PendingRootAlphaDivs::get(s, &net)
                + PendingOwnerCut::get(s, &net)
        };
        let mut block = 1u32;
        // Four epochs in a row: each pays out what accumulated since the previous one.
        for epoch in 0..4 {
            let out_before = SubnetAlphaOut::get(&s, &net);
            let index = SubnetEpochIndex::get(&s, &net);
            while !crate::pallets::subtensor::weights::should_run_epoch(&s, net, u64::from(block)) {
                step(&mut s, block);
                assert!(PendingServerEmission::get(&s, &net) > 0);
                block += 1;
            }
            let staked_before = staked(&s);
            let accumulated_before = pending(&s);
            let events = step(&mut s, block);
            assert!(events.iter().all(|e| e.phase == crate::events::Phase::Initialization));
            assert_eq!(SubnetEpochIndex::get(&s, &net), index + 1, "epoch {epoch} ran");
            assert_eq!(pending(&s), 0, "drained");
            assert_eq!(LastEpochBlock::get(&s, &net), u64::from(block));
            assert_eq!(LastMechansimStepBlock::get(&s, &net), u64::from(block));
            // This block's own emission was accumulated and drained in the same block.
            let accumulated = accumulated_before + TAO;
            let paid = staked(&s) - staked_before;
            // Rounding bound: the epoch block's own accumulators truncate < 1 RAO each (3
            // terms), Yuma truncates each uid's server share (< 1 RAO × n) and the per-hotkey
            // dividend scaling truncates < 1 RAO per hotkey (n): accumulated − paid < 2n + 3,
            // n = 6.
            assert!(
                paid <= accumulated && accumulated - paid < 2 * 6 + 3,
                "epoch {epoch}: paid {paid} vs accumulated {accumulated}"
            );
            // Positions never exceed what circulates.
            assert!(staked(&s) <= SubnetAlphaOut::get(&s, &net));
            assert!(SubnetAlphaOut::get(&s, &net) > out_before);
            assert_books(&s, &[net]);
            block += 1;
        }
    }

    #[test]
    fn test_honest_majority_miner_gets_the_incentive() {
        let (mut s, net, miner_a, miner_b) = scenario();
        for b in 1..=45 {
            step(&mut s, b);
        }
        assert!(SubnetEpochIndex::get(&s, &net) >= 4);
        let incentive = Incentive::get(&s, &net.0);
        assert_eq!(incentive[usize::from(miner_a)], u16::MAX);
        assert_eq!(incentive[usize::from(miner_b)], 0);
        assert!(share_pool::total_hotkey_alpha(&s, &acc(30), net) > 0);
        assert_eq!(share_pool::total_hotkey_alpha(&s, &acc(31), net), 0);
        assert_eq!(MinerBurned::get(&s, &net), 0);
        // Validators earned dividends; the honest ones more than the outlier.
        let divs = Dividends::get(&s, &net);
        assert!(divs[0] > divs[3], "{divs:?}");
        assert!(share_pool::total_hotkey_alpha(&s, &acc(10), net) > 100 * TAO);
        assert_books(&s, &[net]);
    }

    #[test]
    fn test_root_dividends_paid_as_alpha_to_owner_position() {
        let (mut s, net, _, _) = scenario();
        // Root stake on validator 10 and a moving price sum above 1.0 (root sell on).
        share_pool::increase_stake(&mut s, &acc(10), &acc(20), ROOT, 1000 * TAO);
        SubnetTAO::insert(&mut s, &ROOT, &(1000 * TAO));
        SubnetMovingPrice::insert(&mut s, &net, &(3 << 31));
        let before = share_pool::alpha_of(&s, &acc(10), &acc(20), net);
        for b in 1..=12 {
            step(&mut s, b);
        }
        assert!(SubnetEpochIndex::get(&s, &net) >= 1);
        let root_divs = RootAlphaDividendsPerSubnet::get(&s, &net, &acc(10));
        assert!(root_divs > 0);
        assert_eq!(RootAlphaDividendsPerSubnet::get(&s, &net, &acc(11)), 0, "no root stake");
        assert!(share_pool::alpha_of(&s, &acc(10), &acc(20), net) >= before + root_divs);
        assert_books(&s, &[net]);
    }

    #[test]
    fn test_epoch_cap_defers_extra_subnets() {
        let nets = [NetUid(1), NetUid(2), NetUid(3)];
        let mut s = genesis(&nets);
        for n in nets {
            add_subnet(&mut s, n, 10, 1 << 30);
            LastEpochBlock::insert(&mut s, &n, &0);
        }
        MaxEpochsPerBlock::put(&mut s, &2);
        for b in 1..10 {
            step(&mut s, b);
        }
        let events = step(&mut s, 10);
        assert_eq!(LastEpochBlock::get(&s, &NetUid(1)), 10);
        assert_eq!(LastEpochBlock::get(&s, &NetUid(2)), 10);
        assert_eq!(PendingEpochAt::get(&s, &NetUid(3)), 11);
        let deferred = EventRecord::new(
            crate::events::Phase::Initialization,
            crate::pallets::subtensor::PALLET_INDEX,
            &Event::EpochDeferred { netuid: NetUid(3), from_block: 10, to_block: 11 },
        );
        assert!(events.contains(&deferred));
        step(&mut s, 11);
        assert_eq!(LastEpochBlock::get(&s, &NetUid(3)), 11);
        assert_eq!(PendingEpochAt::get(&s, &NetUid(3)), 0);
    }

    #[test]
    fn test_full_256_uid_subnet_epoch_runs() {
        let net = NetUid(1);
        let mut s = genesis(&[net]);
        add_subnet(&mut s, net, 360, 1 << 31);
        for i in 0..256u32 {
            let b = i.to_le_bytes();
            let hot = AccountId32([
                b[0], b[1], 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
                7, 7, 7, 7, 7, 1,
            ]);
            let cold = AccountId32([
                b[0], b[1], 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
                9, 9, 9, 9, 9, 1,
            ]);
            crate::pallets::subtensor::create_account_if_non_existent(&mut s, &cold, &hot);
            append_neuron(&mut s, net, &hot, 0);
            share_pool::credit_new_alpha(&mut s, &hot, &cold, net, u64::from(i + 1) * TAO);
        }
        let permits: Vec<bool> = (0..256).map(|i| i >= 192).collect();
        ValidatorPermit::insert(&mut s, &net, &permits);
        for uid in 192..256u16 {
            let row: Vec<(u16, u16)> = (0..192u16).step_by(3).map(|j| (j, 1000 + uid)).collect();
            Weights::insert(&mut s, &net.0, &uid, &row);
        }
        let payout = run_epoch(&mut s, net, 100, 1000 * TAO).unwrap();
        assert_eq!(payout.per_uid.len(), 256);
        let total: u64 = payout.per_uid.iter().map(|(_, a, b)| a + b).sum();
        // Yuma truncates each uid's share (u64 conversions of I96F32 products).
        assert!(total <= 1000 * TAO && 1000 * TAO - total < 1_000_000, "{total}");
        assert_eq!(Incentive::get(&s, &net.0).len(), 256);
        assert_eq!(LastMechansimStepBlock::get(&s, &net), 100);
    }

    #[test]
    fn test_books_balance_over_many_blocks() {
        let nets = [NetUid(1), NetUid(2)];
        let mut s = genesis(&nets);
        add_subnet(&mut s, nets[0], 10, 1 << 31);
        add_subnet(&mut s, nets[1], 7, 1 << 29);
        neuron(&mut s, nets[0], 10, 20, 50 * TAO);
        neuron(&mut s, nets[1], 11, 21, 50 * TAO);
        // Some root stake so injection (not only chain buys) happens.
        SubnetTAO::insert(&mut s, &ROOT, &(5000 * TAO));
        let issuance0 = balances::TotalIssuance::get(&s);
        for b in 1..=120 {
            step(&mut s, b);
        }
        assert_books(&s, &nets);
        // Every block mints its emission less < 1 RAO of truncation per subnet and term.
        let minted = balances::TotalIssuance::get(&s) - issuance0;
        assert!(minted <= 120 * TAO && 120 * TAO - minted < 120 * 8, "{minted}");
        assert!(SubnetTaoInEmission::get(&s, &nets[0]) > 0, "liquidity injected");
        assert!(SubnetMovingPrice::get(&s, &nets[0]) > 0);
    }
}
