//! `StakeInfoRuntimeApi`: a coldkey's stake positions (`StakeInfo`).
//!
//! The wire half (its calls, events, errors, storage items and structs) is
//! `rustensor_runtime_types::pallets::subtensor::runtime_api::stake`, re-exported here.
//!
//! # Deviations
//!
//! None in the values: `locked`, `tao_emission` and `drain` are 0 as subtensor reports them.
//! Positions are listed per subnet in ascending netuid order, then in the coldkey's
//! `StakingHotkeys` order, as subtensor.

use crate::pallets::subtensor::netuids;
use crate::pallets::subtensor::share_pool::alpha_of;
use crate::pallets::subtensor::storage::{AlphaDividendsPerSubnet, StakingHotkeys, Uids};
use crate::storage::KvRead;
use parity_scale_codec::Compact;
use rustensor_primitives::{AccountId32, NetUid};
pub use rustensor_runtime_types::pallets::subtensor::runtime_api::stake::*;

/// The position of `coldkey` on `hotkey` in `netuid` (zero stake included).
fn position(
    state: &(impl KvRead + ?Sized),
    hotkey: &AccountId32,
    coldkey: &AccountId32,
    netuid: NetUid,
    alpha: u64,
) -> StakeInfo {
    StakeInfo {
        hotkey: *hotkey,
        coldkey: *coldkey,
        netuid: Compact(netuid),
        stake: Compact(alpha),
        locked: Compact(0),
        emission: Compact(AlphaDividendsPerSubnet::get(state, &netuid, hotkey)),
        tao_emission: Compact(0),
        drain: Compact(0),
        is_registered: Uids::contains_key(state, &netuid, hotkey),
    }
}

/// `get_stake_info_for_coldkey`: every non-zero position of `coldkey`.
pub fn get_stake_info_for_coldkey(
    state: &(impl KvRead + ?Sized),
    coldkey: &AccountId32,
) -> Vec<StakeInfo> {
    let hotkeys = StakingHotkeys::get(state, coldkey);
    let mut out = Vec::new();
    for netuid in netuids(state) {
        for hotkey in &hotkeys {
            let alpha = alpha_of(state, hotkey, coldkey, netuid);
            if alpha > 0 {
                out.push(position(state, hotkey, coldkey, netuid, alpha));
            }
        }
    }
    out
}

/// `get_stake_info_for_coldkeys`: [`get_stake_info_for_coldkey`] of each coldkey, in the
/// given order.
pub fn get_stake_info_for_coldkeys(
    state: &(impl KvRead + ?Sized),
    coldkeys: &[AccountId32],
) -> Vec<(AccountId32, Vec<StakeInfo>)> {
    coldkeys.iter().map(|c| (*c, get_stake_info_for_coldkey(state, c))).collect()
}

/// `get_stake_info_for_hotkey_coldkey_netuid`: the position, always `Some` (zero if none), as
/// subtensor.
pub fn get_stake_info_for_hotkey_coldkey_netuid(
    state: &(impl KvRead + ?Sized),
    hotkey: &AccountId32,
    coldkey: &AccountId32,
    netuid: NetUid,
) -> Option<StakeInfo> {
    let alpha = alpha_of(state, hotkey, coldkey, netuid);
    Some(position(state, hotkey, coldkey, netuid, alpha))
}
