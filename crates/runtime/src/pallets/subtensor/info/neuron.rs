//! `NeuronInfoRuntimeApi`: one neuron's view (`NeuronInfo`, `NeuronInfoLite`).
//!
//! Wire format: the structs encode exactly as subtensor's of the same name; the SDK decodes
//! them field by field in this order.
//!
//! # Deviations
//!
//! None in the values: `rank` and `trust` are 0 and `pruning_score` is `u16::MAX`, as
//! subtensor reports them since it stopped computing them; `stake` has the single entry
//! `(coldkey owning the hotkey, all alpha staked to the hotkey on the subnet)` as subtensor.

use parity_scale_codec::{Compact, Decode, Encode};
use rustensor_primitives::{AccountId32, NetUid};

use super::at;
use crate::pallets::subtensor::storage::{
    Active, Axons, Bonds, Consensus, Dividends, Emission, Incentive, Keys, LastUpdate, Owner,
    Prometheus, SubnetworkN, TotalHotkeyAlpha, ValidatorPermit, ValidatorTrust, Weights,
};
use crate::pallets::subtensor::subnet_exists;
use crate::pallets::subtensor::types::{AxonInfo, PrometheusInfo};
use crate::storage::KvRead;

/// `NeuronInfo`: a neuron with its weights and bonds.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct NeuronInfo {
    /// The neuron's hotkey.
    pub hotkey: AccountId32,
    /// The coldkey owning the hotkey.
    pub coldkey: AccountId32,
    /// Its uid.
    pub uid: Compact<u16>,
    /// The subnet.
    pub netuid: Compact<NetUid>,
    /// Active at the last epoch.
    pub active: bool,
    /// Served axon (zeros if none).
    pub axon_info: AxonInfo,
    /// Served Prometheus endpoint (zeros if none).
    pub prometheus_info: PrometheusInfo,
    /// `(coldkey, alpha)`: the owner and all alpha staked to the hotkey on the subnet.
    pub stake: Vec<(AccountId32, Compact<u64>)>,
    /// Deprecated: always 0.
    pub rank: Compact<u16>,
    /// Alpha emitted to the uid at the last epoch.
    pub emission: Compact<u64>,
    /// Incentive (u16 fraction).
    pub incentive: Compact<u16>,
    /// Consensus (u16 fraction).
    pub consensus: Compact<u16>,
    /// Deprecated: always 0.
    pub trust: Compact<u16>,
    /// Validator trust (u16 fraction).
    pub validator_trust: Compact<u16>,
    /// Dividends (u16 fraction).
    pub dividends: Compact<u16>,
    /// Block of its last weights.
    pub last_update: Compact<u64>,
    /// Holds a validator permit.
    pub validator_permit: bool,
    /// `(uid, weight)` rows with non-zero weight.
    pub weights: Vec<(Compact<u16>, Compact<u16>)>,
    /// `(uid, bond)` rows with non-zero bond.
    pub bonds: Vec<(Compact<u16>, Compact<u16>)>,
    /// Deprecated: always `u16::MAX`.
    pub pruning_score: Compact<u16>,
}

/// `NeuronInfoLite`: [`NeuronInfo`] without weights and bonds.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct NeuronInfoLite {
    /// The neuron's hotkey.
    pub hotkey: AccountId32,
    /// The coldkey owning the hotkey.
    pub coldkey: AccountId32,
    /// Its uid.
    pub uid: Compact<u16>,
    /// The subnet.
    pub netuid: Compact<NetUid>,
    /// Active at the last epoch.
    pub active: bool,
    /// Served axon (zeros if none).
    pub axon_info: AxonInfo,
    /// Served Prometheus endpoint (zeros if none).
    pub prometheus_info: PrometheusInfo,
    /// `(coldkey, alpha)`: the owner and all alpha staked to the hotkey on the subnet.
    pub stake: Vec<(AccountId32, Compact<u64>)>,
    /// Deprecated: always 0.
    pub rank: Compact<u16>,
    /// Alpha emitted to the uid at the last epoch.
    pub emission: Compact<u64>,
    /// Incentive (u16 fraction).
    pub incentive: Compact<u16>,
    /// Consensus (u16 fraction).
    pub consensus: Compact<u16>,
    /// Deprecated: always 0.
    pub trust: Compact<u16>,
    /// Validator trust (u16 fraction).
    pub validator_trust: Compact<u16>,
    /// Dividends (u16 fraction).
    pub dividends: Compact<u16>,
    /// Block of its last weights.
    pub last_update: Compact<u64>,
    /// Holds a validator permit.
    pub validator_permit: bool,
    /// Deprecated: always `u16::MAX`.
    pub pruning_score: Compact<u16>,
}

impl From<NeuronInfo> for NeuronInfoLite {
    fn from(n: NeuronInfo) -> Self {
        Self {
            hotkey: n.hotkey,
            coldkey: n.coldkey,
            uid: n.uid,
            netuid: n.netuid,
            active: n.active,
            axon_info: n.axon_info,
            prometheus_info: n.prometheus_info,
            stake: n.stake,
            rank: n.rank,
            emission: n.emission,
            incentive: n.incentive,
            consensus: n.consensus,
            trust: n.trust,
            validator_trust: n.validator_trust,
            dividends: n.dividends,
            last_update: n.last_update,
            validator_permit: n.validator_permit,
            pruning_score: n.pruning_score,
        }
    }
}

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
        pruning_score: Compact(u16::MAX),
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
