//! The `SubtensorModule` calls: subtensor's call indices and argument encodings
//! (`reference/subtensor.md` App. A), their declared weights and fee mode, and the routing of
//! each call to the module that implements it.
//!
//! Wire format: `Call` encodes as `call index ++ SCALE(arguments)`, exactly subtensor's
//! encoding of the same call; never change an index or an argument type.
//!
//! Calls of subtensor not listed here (childkeys, swaps of keys, leases, locks, root claims,
//! timelocked commits, EVM association, mechanisms other than 0, voting power) decode as
//! [`CallError::UnknownCall`] and are rejected before execution.

use super::PALLET_INDEX;
use super::types::SubnetIdentityV3;
use crate::dispatch::{CallError, DispatchEventInfo, Weight};
use crate::pallets::subtensor_call_pays;
use parity_scale_codec::{Compact, Decode, Encode, Input};
use rustensor_primitives::{AccountId32, NetUid};

/// A `SubtensorModule` call. Field names are subtensor's argument names.
#[allow(missing_docs, reason = "variants and fields mirror subtensor's calls and arguments")]
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum Call {
    #[codec(index = 0)]
    SetWeights { netuid: NetUid, dests: Vec<u16>, weights: Vec<u16>, version_key: u64 },
    #[codec(index = 2)]
    AddStake { hotkey: AccountId32, netuid: NetUid, amount_staked: u64 },
    #[codec(index = 3)]
    RemoveStake { hotkey: AccountId32, netuid: NetUid, amount_unstaked: u64 },
    #[codec(index = 4)]
    ServeAxon {
        netuid: NetUid,
        version: u32,
        ip: u128,
        port: u16,
        ip_type: u8,
        protocol: u8,
        placeholder1: u8,
        placeholder2: u8,
    },
    #[codec(index = 5)]
    ServePrometheus { netuid: NetUid, version: u32, ip: u128, port: u16, ip_type: u8 },
    #[codec(index = 6)]
    Register {
        netuid: NetUid,
        block_number: u64,
        nonce: u64,
        work: Vec<u8>,
        hotkey: AccountId32,
        coldkey: AccountId32,
    },
    #[codec(index = 7)]
    BurnedRegister { netuid: NetUid, hotkey: AccountId32 },
    #[codec(index = 40)]
    ServeAxonTls {
        netuid: NetUid,
        version: u32,
        ip: u128,
        port: u16,
        ip_type: u8,
        protocol: u8,
        placeholder1: u8,
        placeholder2: u8,
        certificate: Vec<u8>,
    },
    #[codec(index = 59)]
    RegisterNetwork { hotkey: AccountId32 },
    #[codec(index = 61)]
    DissolveNetwork { coldkey: AccountId32, netuid: NetUid },
    #[codec(index = 62)]
    RootRegister { hotkey: AccountId32 },
    #[codec(index = 65)]
    DecreaseTake { hotkey: AccountId32, take: u16 },
    #[codec(index = 66)]
    IncreaseTake { hotkey: AccountId32, take: u16 },
    #[codec(index = 68)]
    SetIdentity {
        name: Vec<u8>,
        url: Vec<u8>,
        github_repo: Vec<u8>,
        image: Vec<u8>,
        discord: Vec<u8>,
        description: Vec<u8>,
        additional: Vec<u8>,
    },
    #[codec(index = 78)]
    SetSubnetIdentity {
        netuid: NetUid,
        subnet_name: Vec<u8>,
        github_repo: Vec<u8>,
        subnet_contact: Vec<u8>,
        subnet_url: Vec<u8>,
        discord: Vec<u8>,
        description: Vec<u8>,
        logo_url: Vec<u8>,
        additional: Vec<u8>,
    },
    #[codec(index = 79)]
    RegisterNetworkWithIdentity { hotkey: AccountId32, identity: Option<SubnetIdentityV3> },
    #[codec(index = 80)]
    BatchSetWeights {
        netuids: Vec<Compact<NetUid>>,
        weights: Vec<Vec<(Compact<u16>, Compact<u16>)>>,
        version_keys: Vec<Compact<u64>>,
    },
    #[codec(index = 83)]
    UnstakeAll { hotkey: AccountId32 },
    #[codec(index = 84)]
    UnstakeAllAlpha { hotkey: AccountId32 },
    #[codec(index = 85)]
    MoveStake {
        origin_hotkey: AccountId32,
        destination_hotkey: AccountId32,
        origin_netuid: NetUid,
        destination_netuid: NetUid,
        alpha_amount: u64,
    },
    #[codec(index = 86)]
    TransferStake {
        destination_coldkey: AccountId32,
        hotkey: AccountId32,
        origin_netuid: NetUid,
        destination_netuid: NetUid,
        alpha_amount: u64,
    },
    #[codec(index = 87)]
    SwapStake {
        hotkey: AccountId32,
        origin_netuid: NetUid,
        destination_netuid: NetUid,
        alpha_amount: u64,
    },
    #[codec(index = 88)]
    AddStakeLimit {
        hotkey: AccountId32,
        netuid: NetUid,
        amount_staked: u64,
        limit_price: u64,
        allow_partial: bool,
    },
    #[codec(index = 89)]
    RemoveStakeLimit {
        hotkey: AccountId32,
        netuid: NetUid,
        amount_unstaked: u64,
        limit_price: u64,
        allow_partial: bool,
    },
    #[codec(index = 90)]
    SwapStakeLimit {
        hotkey: AccountId32,
        origin_netuid: NetUid,
        destination_netuid: NetUid,
        alpha_amount: u64,
        limit_price: u64,
        allow_partial: bool,
    },
    #[codec(index = 91)]
    TryAssociateHotkey { hotkey: AccountId32 },
    #[codec(index = 92)]
    StartCall { netuid: NetUid },
    #[codec(index = 96)]
    CommitWeights { netuid: NetUid, commit_hash: [u8; 32] },
    #[codec(index = 97)]
    RevealWeights {
        netuid: NetUid,
        uids: Vec<u16>,
        values: Vec<u16>,
        salt: Vec<u16>,
        version_key: u64,
    },
    #[codec(index = 98)]
    BatchRevealWeights {
        netuid: NetUid,
        uids_list: Vec<Vec<u16>>,
        values_list: Vec<Vec<u16>>,
        salts_list: Vec<Vec<u16>>,
        version_keys: Vec<u64>,
    },
    #[codec(index = 100)]
    BatchCommitWeights { netuids: Vec<Compact<NetUid>>, commit_hashes: Vec<[u8; 32]> },
    #[codec(index = 101)]
    RecycleAlpha { hotkey: AccountId32, amount: u64, netuid: NetUid },
    #[codec(index = 102)]
    BurnAlpha { hotkey: AccountId32, amount: u64, netuid: NetUid },
    #[codec(index = 103)]
    RemoveStakeFullLimit { hotkey: AccountId32, netuid: NetUid, limit_price: Option<u64> },
    #[codec(index = 120)]
    RootDissolveNetwork { netuid: NetUid },
    #[codec(index = 134)]
    RegisterLimit { netuid: NetUid, hotkey: AccountId32, limit_price: u64 },
    #[codec(index = 139)]
    SetTempo { netuid: NetUid, tempo: u16 },
    #[codec(index = 140)]
    SetActivityCutoffFactor { netuid: NetUid, factor_milli: u32 },
    #[codec(index = 141)]
    TriggerEpoch { netuid: NetUid },
}

/// Declared weights (and so fees) of the calls: constants chosen here, as subtensor's
/// benchmarked weights are not in our notes (deviation, like `pallets::weights`).
pub mod call_weights {
    use crate::dispatch::Weight;

    /// Weight-setting, commits and reveals (free calls; the weight only bounds block space).
    pub const WEIGHTS: Weight = Weight::from_parts(100_000_000, 0);
    /// Serving calls (free).
    pub const SERVE: Weight = Weight::from_parts(25_000_000, 0);
    /// A stake operation through the pool: 400 µs.
    pub const STAKE: Weight = Weight::from_parts(400_000_000, 0);
    /// A registration: 400 µs.
    pub const REGISTER: Weight = Weight::from_parts(400_000_000, 0);
    /// Subnet registration and dissolution: 1 ms.
    pub const NETWORK: Weight = Weight::from_parts(1_000_000_000, 0);
    /// Small bookkeeping calls (identity, take, start_call, the owner tempo calls): 50 µs.
    pub const SMALL: Weight = Weight::from_parts(50_000_000, 0);
}

/// An [`Input`] yielding one byte (the call index) before the rest of a slice, so that the
/// derived decoder sees `call index ++ arguments`.
pub(crate) struct Prefixed<'a, 'b> {
    pub(crate) first: Option<u8>,
    pub(crate) rest: &'a mut &'b [u8],
}

impl Input for Prefixed<'_, '_> {
    fn remaining_len(&mut self) -> Result<Option<usize>, parity_scale_codec::Error> {
        Ok(Some(self.rest.len().saturating_add(usize::from(self.first.is_some()))))
    }

    fn read(&mut self, into: &mut [u8]) -> Result<(), parity_scale_codec::Error> {
        let Some((head, tail)) = into.split_first_mut() else { return Ok(()) };
        match self.first.take() {
            Some(b) => {
                *head = b;
                self.rest.read(tail)
            }
            None => self.rest.read(into),
        }
    }
}

impl Call {
    /// Decodes the call's arguments (after the pallet and call indices) from the front of
    /// `input` and leaves the rest.
    ///
    /// # Errors
    ///
    /// [`CallError::UnknownCall`] for a call index not listed above,
    /// [`CallError::BadArguments`] for arguments that do not decode.
    pub fn decode_from(call_index: u8, input: &mut &[u8]) -> Result<Self, CallError> {
        let mut prefixed = Prefixed { first: Some(call_index), rest: input };
        Self::decode(&mut prefixed).map_err(|_| {
            if Self::is_known_index(call_index) {
                CallError::BadArguments { pallet: PALLET_INDEX, call: call_index }
            } else {
                CallError::UnknownCall { pallet: PALLET_INDEX, call: call_index }
            }
        })
    }

    fn is_known_index(call_index: u8) -> bool {
        KNOWN_CALLS.contains(&call_index)
    }

    /// This call's index.
    pub fn call_index(&self) -> u8 {
        self.encode()[0]
    }

    /// The declared weight, class and fee mode (subtensor's free calls pay only their tip).
    pub fn info(&self) -> DispatchEventInfo {
        use call_weights::*;
        let weight: Weight = match self {
            Self::SetWeights { .. }
            | Self::BatchSetWeights { .. }
            | Self::CommitWeights { .. }
            | Self::RevealWeights { .. }
            | Self::BatchRevealWeights { .. }
            | Self::BatchCommitWeights { .. } => WEIGHTS,
            Self::ServeAxon { .. } | Self::ServePrometheus { .. } | Self::ServeAxonTls { .. } => {
                SERVE
            }
            Self::Register { .. }
            | Self::BurnedRegister { .. }
            | Self::RootRegister { .. }
            | Self::RegisterLimit { .. } => REGISTER,
            Self::RegisterNetwork { .. }
            | Self::RegisterNetworkWithIdentity { .. }
            | Self::DissolveNetwork { .. }
            | Self::RootDissolveNetwork { .. } => NETWORK,
            Self::DecreaseTake { .. }
            | Self::IncreaseTake { .. }
            | Self::SetIdentity { .. }
            | Self::SetSubnetIdentity { .. }
            | Self::TryAssociateHotkey { .. }
            | Self::StartCall { .. }
            | Self::SetTempo { .. }
            | Self::SetActivityCutoffFactor { .. }
            | Self::TriggerEpoch { .. } => SMALL,
            _ => STAKE,
        };
        DispatchEventInfo {
            weight,
            class: Default::default(),
            pays_fee: subtensor_call_pays(self.call_index()),
        }
    }
}

/// Every call index [`Call`] decodes.
pub const KNOWN_CALLS: &[u8] = &[
    0, 2, 3, 4, 5, 6, 7, 40, 59, 61, 62, 65, 66, 68, 78, 79, 80, 83, 84, 85, 86, 87, 88, 89, 90,
    91, 92, 96, 97, 98, 100, 101, 102, 103, 120, 134, 139, 140, 141,
];
