//! `NeuronInfoRuntimeApi`: one neuron's view (`NeuronInfo`, `NeuronInfoLite`).
//!
//! The wire half (its calls, events, errors, storage items and structs) is
//! `rustensor_runtime_types::pallets::subtensor::runtime_api::neuron`, re-exported here.
//!
//! # Deviations
//!
//! None in the values: `rank` and `trust` are 0 and `pruning_score` is `u16::MAX`, as
//! subtensor reports them since it stopped computing them; `stake` has the single entry
//! `(coldkey owning the hotkey, all alpha staked to the hotkey on the subnet)` as subtensor.

use super::at;
use crate::pallets::subtensor::storage::{
    Active, Axons, Bonds, Consensus, Dividends, Emission, Incentive, Keys, LastUpdate, Owner,
    Prometheus, SubnetworkN, TotalHotkeyAlpha, ValidatorPermit, ValidatorTrust, Weights,
};
use crate::pallets::subtensor::subnet_exists;
use crate::storage::KvRead;
use parity_scale_codec::Compact;
use rustensor_primitives::NetUid;
pub use rustensor_runtime_types::pallets::subtensor::runtime_api::neuron::*;

/// Non-zero entries of a sparse row as compact pairs.
fn compact_row(row: Vec<(u16, u16)>) -> Vec<(Compact<u16>, Compact<u16>)> {
    row.into_iter().filter(|(_, v)| *v > 0).map(|(i, v)| (Compact(i), Compact(v))).collect()
}

/// The neuron `uid` of an existing subnet; `with_rows` also reads its weights and bonds.
fn neuron(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
    uid: u16,
    with_rows: bool,
) -> Option<NeuronInfo> {
    let hotkey = Keys::try_get(state, &netuid, &uid)?;
    let coldkey = Owner::get(state, &hotkey);
    let alpha = TotalHotkeyAlpha::get(state, &hotkey, &netuid);
    let (weights, bonds) = if with_rows {
        (
            compact_row(Weights::get(state, &netuid.0, &uid)),
            compact_row(Bonds::get(state, &netuid.0, &uid)),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Some(NeuronInfo {
        axon_info: Axons::get(state, &netuid, &hotkey).unwrap_or_default(),
        prometheus_info: Prometheus::get(state, &netuid, &hotkey).unwrap_or_default(),
        hotkey,
        coldkey,
        uid: Compact(uid),
        netuid: Compact(netuid),
        active: at(&Active::get(state, &netuid), uid),
        stake: vec![(coldkey, Compact(alpha))],
        rank: Compact(0),
        emission: Compact(at(&Emission::get(state, &netuid), uid)),
        incentive: Compact(at(&Incentive::get(state, &netuid.0), uid)),
        consensus: Compact(at(&Consensus::get(state, &netuid), uid)),
        trust: Compact(0),
        validator_trust: Compact(at(&ValidatorTrust::get(state, &netuid), uid)),
        dividends: Compact(at(&Dividends::get(state, &netuid), uid)),
        last_update: Compact(at(&LastUpdate::get(state, &netuid.0), uid)),
        validator_permit: at(&ValidatorPermit::get(state, &netuid), uid),
        weights,
        bonds,
        pruning_score: Compact(crate::pallets::subtensor::storage::PRUNING_SCORE),
    })
}

/// The neurons of `netuid` in uid order, stopping at the first uid without a hotkey; empty
/// if the subnet does not exist.
fn neurons(state: &(impl KvRead + ?Sized), netuid: NetUid, with_rows: bool) -> Vec<NeuronInfo> {
    if !subnet_exists(state, netuid) {
        return Vec::new();
    }
    (0..SubnetworkN::get(state, &netuid))
        .map_while(|uid| neuron(state, netuid, uid, with_rows))
        .collect()
}

/// `get_neurons`: every neuron of `netuid` with weights and bonds.
pub fn get_neurons(state: &(impl KvRead + ?Sized), netuid: NetUid) -> Vec<NeuronInfo> {
    neurons(state, netuid, true)
}

/// `get_neuron`: neuron `uid` of `netuid`, if both exist.
pub fn get_neuron(state: &(impl KvRead + ?Sized), netuid: NetUid, uid: u16) -> Option<NeuronInfo> {
    subnet_exists(state, netuid).then(|| neuron(state, netuid, uid, true)).flatten()
}

/// `get_neurons_lite`: every neuron of `netuid` without weights and bonds.
pub fn get_neurons_lite(state: &(impl KvRead + ?Sized), netuid: NetUid) -> Vec<NeuronInfoLite> {
    neurons(state, netuid, false).into_iter().map(NeuronInfoLite::from).collect()
}

/// `get_neuron_lite`: neuron `uid` of `netuid` without weights and bonds.
pub fn get_neuron_lite(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
    uid: u16,
) -> Option<NeuronInfoLite> {
    subnet_exists(state, netuid)
        .then(|| neuron(state, netuid, uid, false))
        .flatten()
        .map(NeuronInfoLite::from)
}
