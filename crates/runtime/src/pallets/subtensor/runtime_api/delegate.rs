//! `DelegateInfoRuntimeApi`: delegates (hotkeys with a take) and their nominators
//! (`DelegateInfo`).
//!
//! The wire half (its calls, events, errors, storage items and structs) is
//! `rustensor_runtime_types::pallets::subtensor::runtime_api::delegate`, re-exported here.
//!
//! # Deviations
//!
//! - Nominator stake is each position's value on its own subnet's pool (subtensor picks the
//!   pool by the netuid's position in the subnet list, the same while netuids are contiguous).
//! - Delegates and nominators are listed in storage-key order, as subtensor.

use super::at;
use crate::pallets::subtensor::share_pool::alpha_of;
use crate::pallets::subtensor::storage::{
    Alpha, Delegates, Emission, IsNetworkMember, Owner, Tempo, TotalHotkeyAlpha, Uids,
    ValidatorPermit,
};
use crate::pallets::subtensor::{ROOT, subnet_exists};
use crate::storage::KvRead;
use parity_scale_codec::Compact;
use rustensor_primitives::fixed::wide::mul_div_floor;
use rustensor_primitives::{AccountId32, NetUid};
pub use rustensor_runtime_types::pallets::subtensor::runtime_api::delegate::*;

/// `U64F64` one, as bits.
const ONE: u128 = 1 << 64;

/// `a × b` of two `U64F64` bit patterns, saturating.
fn fmul(a: u128, b: u128) -> u128 {
    mul_div_floor(a, b, ONE).unwrap_or(u128::MAX)
}

/// `a / b` of two `U64F64` bit patterns, saturating; 0 when `b` is 0 (`safe_div`).
fn fdiv(a: u128, b: u128) -> u128 {
    if b == 0 { 0 } else { mul_div_floor(a, ONE, b).unwrap_or(u128::MAX) }
}

/// `U64F64` bits to an integer, truncating and saturating.
fn to_u64(bits: u128) -> u64 {
    u64::try_from(bits >> 64).unwrap_or(u64::MAX)
}

/// Subnets `hotkey` is registered on (`IsNetworkMember` true), in storage-key order.
fn registrations(state: &(impl KvRead + ?Sized), hotkey: &AccountId32) -> Vec<NetUid> {
    IsNetworkMember::iter_prefix(state, hotkey)
        .filter(|(_, member)| *member)
        .map(|(n, _)| n)
        .collect()
}

/// The delegate view of `delegate`; nominators are left empty when `skip_nominators`.
fn delegate_info(
    state: &(impl KvRead + ?Sized),
    delegate: &AccountId32,
    skip_nominators: bool,
) -> DelegateInfo {
    let mut nominators: Vec<NominatorStakes> = Vec::new();
    if !skip_nominators {
        // Alpha keys are (hotkey, coldkey, netuid): one coldkey's entries are adjacent.
        for (coldkey, netuid, shares) in Alpha::iter_prefix1(state, delegate) {
            if shares == 0 || !subnet_exists(state, netuid) {
                continue;
            }
            let value = Compact(alpha_of(state, delegate, &coldkey, netuid));
            match nominators.last_mut() {
                Some((last, rows)) if *last == coldkey => rows.push((Compact(netuid), value)),
                _ => nominators.push((coldkey, vec![(Compact(netuid), value)])),
            }
        }
        // Subtensor groups through an ordered map keyed by coldkey.
        nominators.sort_by_key(|n| n.0);
    }
    let registrations = registrations(state, delegate);
    let mut validator_permits = Vec::new();
    let mut emissions_per_day: u128 = 0;
    for netuid in &registrations {
        let Some(uid) = Uids::get(state, netuid, delegate) else { continue };
        if at(&ValidatorPermit::get(state, netuid), uid) {
            validator_permits.push(Compact(*netuid));
        }
        let emission = u128::from(at(&Emission::get(state, netuid), uid));
        let tempo = u128::from(Tempo::get(state, netuid));
        if tempo > 0 {
            let epochs_per_day = fdiv(7200 * ONE, tempo << 64);
            emissions_per_day =
                emissions_per_day.saturating_add(emission.saturating_mul(epochs_per_day));
        }
    }
    let take = Delegates::get(state, delegate);
    let total_stake = u128::from(TotalHotkeyAlpha::get(state, delegate, &ROOT)) << 64;
    let return_per_1000 = if total_stake > 0 {
        let without_take =
            ONE.saturating_sub(fdiv(u128::from(take) << 64, u128::from(u16::MAX) << 64));
        let per_1000_tao = fdiv(total_stake, 1_000_000_000_000u128 << 64);
        fdiv(fmul(emissions_per_day, without_take), per_1000_tao)
    } else {
        0
    };
    DelegateInfo {
        delegate_ss58: *delegate,
        take: Compact(take),
        nominators,
        owner_ss58: Owner::get(state, delegate),
        registrations: registrations.into_iter().map(Compact).collect(),
        validator_permits,
        return_per_1000: Compact(to_u64(return_per_1000)),
        total_daily_return: Compact(to_u64(emissions_per_day)),
    }
}

/// `get_delegate`: `None` unless `hotkey` is a delegate (`Delegates` holds it).
pub fn get_delegate(state: &(impl KvRead + ?Sized), hotkey: &AccountId32) -> Option<DelegateInfo> {
    Delegates::contains_key(state, hotkey).then(|| delegate_info(state, hotkey, false))
}

/// `get_delegates`: every delegate, in storage-key order.
pub fn get_delegates(state: &(impl KvRead + ?Sized)) -> Vec<DelegateInfo> {
    Delegates::iter_keys(state).map(|d| delegate_info(state, &d, false)).collect()
}

/// `get_delegated`: for every delegate `coldkey` has a position entry with, per subnet, the
/// delegate (without nominators) and `(netuid, alpha)`.
pub fn get_delegated(state: &(impl KvRead + ?Sized), coldkey: &AccountId32) -> Vec<DelegatedRow> {
    let mut out = Vec::new();
    for delegate in Delegates::iter_keys(state) {
        for (netuid, _) in Alpha::iter_prefix2(state, &delegate, coldkey) {
            let info = delegate_info(state, &delegate, true);
            let alpha = alpha_of(state, &delegate, coldkey, netuid);
            out.push((info, (Compact(netuid), Compact(alpha))));
        }
    }
    out
}
