//! [`Metagraph`]: one subnet's neurons and settings, from `SubnetInfoRuntimeApi_get_metagraph`.
//!
//! The runtime API answers with compact-encoded parallel lists; this type regroups them per
//! neuron ([`Neuron`]) and keeps the raw answer ([`Metagraph::raw`]) for every subnet-level
//! field; validator trust comes from `get_neurons_lite` of the same block, and weights and
//! bonds (`metagraph_full`) from `get_neurons`. Normalised scores (`incentive`, `dividends`, …) stay the chain's `u16` fractions of
//! 65 535; [`fraction`] turns one into an `f64` for display. Stakes and emissions are RAO.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use parity_scale_codec::Compact;
use rustensor_primitives::{AccountId32, NetUid};
use rustensor_runtime_types::pallets::subtensor::runtime_api::metagraph::Metagraph as RawMetagraph;
use rustensor_runtime_types::pallets::subtensor::runtime_api::neuron::{
    NeuronInfo, NeuronInfoLite,
};
use rustensor_runtime_types::pallets::subtensor::types::AxonInfo;
use serde::Serialize;

/// A `u16` score as a fraction of `u16::MAX` (for display only; the chain never uses floats).
pub fn fraction(value: u16) -> f64 {
    f64::from(value) / f64::from(u16::MAX)
}

/// Where a neuron's axon listens, if it served one.
pub fn axon_addr(axon: &AxonInfo) -> Option<SocketAddr> {
    if axon.port == 0 || axon.ip == 0 {
        return None;
    }
    let ip = match axon.ip_type {
        4 => IpAddr::V4(Ipv4Addr::from(u32::try_from(axon.ip).ok()?)),
        6 => IpAddr::V6(Ipv6Addr::from(axon.ip)),
        _ => return None,
    };
    Some(SocketAddr::new(ip, axon.port))
}

/// One neuron (uid) of a subnet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Neuron {
    /// Its uid.
    pub uid: u16,
    /// Its hotkey.
    pub hotkey: AccountId32,
    /// The coldkey owning the hotkey.
    pub coldkey: AccountId32,
    /// Whether it set weights (or registered) within the activity cutoff.
    pub active: bool,
    /// Whether it may set weights that count (a validator).
    pub validator_permit: bool,
    /// Total stake weight in RAO: alpha stake plus the weighted root TAO stake.
    pub total_stake: u64,
    /// Alpha staked to it on this subnet.
    pub alpha_stake: u64,
    /// Its root TAO stake, weighted.
    pub tao_stake: u64,
    /// Rank (u16 fraction).
    pub rank: u16,
    /// Trust (u16 fraction).
    pub trust: u16,
    /// Consensus (u16 fraction).
    pub consensus: u16,
    /// Validator trust (u16 fraction), from `get_neurons_lite`.
    pub validator_trust: u16,
    /// Incentive: its share of miner emission (u16 fraction).
    pub incentive: u16,
    /// Dividends: its share of validator emission (u16 fraction).
    pub dividends: u16,
    /// Alpha it earned at the last epoch, in RAO.
    pub emission: u64,
    /// Block of its last weight update.
    pub last_update: u64,
    /// Block it registered at.
    pub block_at_registration: u64,
    /// Pruning score (u16 fraction).
    pub pruning_score: u16,
    /// Its axon's address, if served.
    pub axon: Option<SocketAddr>,
}

/// A subnet's metagraph at one block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metagraph {
    /// The subnet.
    pub netuid: NetUid,
    /// The block it was read at.
    pub block: u64,
    /// The subnet's name.
    pub name: String,
    /// Its token symbol.
    pub symbol: String,
    /// Blocks per epoch.
    pub tempo: u16,
    /// Blocks since its last epoch.
    pub blocks_since_last_step: u64,
    /// The neurons, by uid.
    pub neurons: Vec<Neuron>,
    /// Each uid's weights as `(uid, u16 weight)` pairs: only from
    /// [`ChainClient::metagraph_full`](super::ChainClient::metagraph_full) (the Python SDK's
    /// `lite=False`).
    pub weights: Option<Vec<Vec<(u16, u16)>>>,
    /// Each uid's bonds as `(uid, u16 bond)` pairs, as `weights`.
    pub bonds: Option<Vec<Vec<(u16, u16)>>>,
    /// Everything the runtime API returned.
    pub raw: RawMetagraph,
}

fn text(bytes: &[Compact<u8>]) -> String {
    String::from_utf8_lossy(&bytes.iter().map(|c| c.0).collect::<Vec<u8>>()).into_owned()
}

fn at<T: Copy + Default>(list: &[Compact<T>], i: usize) -> T {
    list.get(i).map_or_else(T::default, |c| c.0)
}

fn flag(list: &[bool], i: usize) -> bool {
    list.get(i).copied().unwrap_or(false)
}

impl From<RawMetagraph> for Metagraph {
    fn from(raw: RawMetagraph) -> Self {
        let neurons = raw
            .hotkeys
            .iter()
            .enumerate()
            .map(|(i, hotkey)| Neuron {
                uid: u16::try_from(i).unwrap_or(u16::MAX),
                hotkey: *hotkey,
                coldkey: raw.coldkeys.get(i).copied().unwrap_or(*hotkey),
                active: flag(&raw.active, i),
                validator_permit: flag(&raw.validator_permit, i),
                total_stake: at(&raw.total_stake, i),
                alpha_stake: at(&raw.alpha_stake, i),
                tao_stake: at(&raw.tao_stake, i),
                rank: at(&raw.rank, i),
                trust: at(&raw.trust, i),
                consensus: at(&raw.consensus, i),
                validator_trust: 0,
                incentive: at(&raw.incentives, i),
                dividends: at(&raw.dividends, i),
                emission: at(&raw.emission, i),
                last_update: at(&raw.last_update, i),
                block_at_registration: at(&raw.block_at_registration, i),
                pruning_score: at(&raw.pruning_score, i),
                axon: raw.axons.get(i).and_then(axon_addr),
            })
            .collect();
        Self {
            netuid: raw.netuid.0,
            block: raw.block.0,
            name: text(&raw.name),
            symbol: text(&raw.symbol),
            tempo: raw.tempo.0,
            blocks_since_last_step: raw.blocks_since_last_step.0,
            neurons,
            weights: None,
            bonds: None,
            raw,
        }
    }
}

impl Metagraph {
    /// Takes the per-neuron fields the metagraph API lacks (validator trust) from
    /// `NeuronInfoRuntimeApi_get_neurons_lite` of the same block.
    pub fn with_neurons_lite(mut self, lite: &[NeuronInfoLite]) -> Self {
        for info in lite {
            if let Some(neuron) = self.neurons.get_mut(usize::from(info.uid.0)) {
                neuron.validator_trust = info.validator_trust.0;
            }
        }
        self
    }

    /// Takes validator trust, weights and bonds from `NeuronInfoRuntimeApi_get_neurons` of the
    /// same block.
    pub fn with_neurons(mut self, full: &[NeuronInfo]) -> Self {
        let pairs = |list: &[(Compact<u16>, Compact<u16>)]| {
            list.iter().map(|(a, b)| (a.0, b.0)).collect::<Vec<_>>()
        };
        let n = self.neurons.len();
        let (mut weights, mut bonds) = (vec![Vec::new(); n], vec![Vec::new(); n]);
        for info in full {
            let uid = usize::from(info.uid.0);
            if let Some(neuron) = self.neurons.get_mut(uid) {
                neuron.validator_trust = info.validator_trust.0;
                weights[uid] = pairs(&info.weights);
                bonds[uid] = pairs(&info.bonds);
            }
        }
        self.weights = Some(weights);
        self.bonds = Some(bonds);
        self
    }

    /// The number of neurons.
    pub fn n(&self) -> usize {
        self.neurons.len()
    }

    /// The neuron with this hotkey.
    pub fn neuron_by_hotkey(&self, hotkey: &AccountId32) -> Option<&Neuron> {
        self.neurons.iter().find(|n| n.hotkey == *hotkey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_axon_addresses_decode_v4_and_skip_unserved() {
        let mut axon = AxonInfo {
            ip: u128::from(u32::from(Ipv4Addr::new(127, 0, 0, 1))),
            port: 8091,
            ip_type: 4,
            ..AxonInfo::default()
        };
        assert_eq!(axon_addr(&axon), Some("127.0.0.1:8091".parse().expect("addr")));
        axon.port = 0;
        assert_eq!(axon_addr(&axon), None);
        assert!((fraction(u16::MAX) - 1.0).abs() < f64::EPSILON);
    }
}
