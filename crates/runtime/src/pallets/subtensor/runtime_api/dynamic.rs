//! `SubnetInfoRuntimeApi_get_dynamic_info` / `get_all_dynamic_info`: a subnet's pool and
//! emission state (`DynamicInfo`).
//!
//! The wire half (its calls, events, errors, storage items and structs) is
//! `rustensor_runtime_types::pallets::subtensor::runtime_api::dynamic`, re-exported here.
//!
//! # Deviations
//!
//! - `emission` and `pending_root_emission` are 0, as subtensor reports them (deprecated).
//! - `get_all_dynamic_info` lists subnets in ascending netuid order (subtensor: storage-key
//!   order, the same below netuid 256).

use super::{compact_bytes, subnet_name};
use crate::pallets::subtensor::storage::{
    LastMechansimStepBlock, NetworkRegisteredAt, PendingServerEmission, PendingValidatorEmission,
    SubnetAlphaIn, SubnetAlphaInEmission, SubnetAlphaOut, SubnetAlphaOutEmission,
    SubnetIdentitiesV3, SubnetMovingPrice, SubnetOwner, SubnetOwnerHotkey, SubnetTAO,
    SubnetTaoInEmission, SubnetVolume, Tempo, TokenSymbol,
};
use crate::pallets::subtensor::{current_block, netuids, subnet_exists};
use crate::storage::KvRead;
use parity_scale_codec::Compact;
use rustensor_primitives::NetUid;
pub use rustensor_runtime_types::pallets::subtensor::runtime_api::dynamic::*;

/// `get_dynamic_info`: the pool state of `netuid`, `None` if it does not exist.
pub fn get_dynamic_info(state: &(impl KvRead + ?Sized), netuid: NetUid) -> Option<DynamicInfo> {
    if !subnet_exists(state, netuid) {
        return None;
    }
    let last_step = LastMechansimStepBlock::get(state, &netuid);
    Some(DynamicInfo {
        netuid: Compact(netuid),
        owner_hotkey: SubnetOwnerHotkey::get(state, &netuid),
        owner_coldkey: SubnetOwner::get(state, &netuid),
        subnet_name: compact_bytes(&subnet_name(state, netuid)),
        token_symbol: compact_bytes(&TokenSymbol::get(state, &netuid)),
        tempo: Compact(Tempo::get(state, &netuid)),
        last_step: Compact(last_step),
        blocks_since_last_step: Compact(current_block(state).saturating_sub(last_step)),
        emission: Compact(0),
        alpha_in: Compact(SubnetAlphaIn::get(state, &netuid)),
        alpha_out: Compact(SubnetAlphaOut::get(state, &netuid)),
        tao_in: Compact(SubnetTAO::get(state, &netuid)),
        alpha_out_emission: Compact(SubnetAlphaOutEmission::get(state, &netuid)),
        alpha_in_emission: Compact(SubnetAlphaInEmission::get(state, &netuid)),
        tao_in_emission: Compact(SubnetTaoInEmission::get(state, &netuid)),
        pending_alpha_emission: Compact(
            PendingValidatorEmission::get(state, &netuid)
                .saturating_add(PendingServerEmission::get(state, &netuid)),
        ),
        pending_root_emission: Compact(0),
        subnet_volume: Compact(SubnetVolume::get(state, &netuid)),
        network_registered_at: Compact(NetworkRegisteredAt::get(state, &netuid)),
        subnet_identity: SubnetIdentitiesV3::get(state, &netuid),
        moving_price: SubnetMovingPrice::get(state, &netuid),
    })
}

/// `get_all_dynamic_info`: [`get_dynamic_info`] of every subnet, root included.
pub fn get_all_dynamic_info(state: &(impl KvRead + ?Sized)) -> Vec<Option<DynamicInfo>> {
    netuids(state).into_iter().map(|netuid| get_dynamic_info(state, netuid)).collect()
}
