//! `NeuronInfoRuntimeApi`: one neuron's view (`NeuronInfo`, `NeuronInfoLite`).
//!
//! Wire format: the structs encode exactly as subtensor's of the same name; the SDK decodes
//! them field by field in this order.
//!
//! What the calls do, and where this deviates from subtensor: `rustensor_runtime::pallets::subtensor::runtime_api::neuron`.

use crate::pallets::subtensor::types::{AxonInfo, PrometheusInfo};
use parity_scale_codec::{Compact, Decode, Encode};
use rustensor_primitives::{AccountId32, NetUid};
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
