//! `SubnetInfoRuntimeApi_get_dynamic_info` / `get_all_dynamic_info`: a subnet's pool and
//! emission state (`DynamicInfo`).
//!
//! Wire format: `DynamicInfo` encodes exactly as subtensor's; `moving_price` is the `I96F32`
//! bits (16 bytes little-endian), names and symbols are `Vec<Compact<u8>>`.
//!
//! What the calls do, and where this deviates from subtensor: `rustensor_runtime::pallets::subtensor::runtime_api::dynamic`.

use crate::pallets::subtensor::types::SubnetIdentityV3;
use parity_scale_codec::{Compact, Decode, Encode};
use rustensor_primitives::{AccountId32, NetUid};
/// `DynamicInfo`: a subnet's owner, name, tempo and pool.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct DynamicInfo {
    /// The subnet.
    pub netuid: Compact<NetUid>,
    /// The owner's hotkey.
    pub owner_hotkey: AccountId32,
    /// The owner's coldkey.
    pub owner_coldkey: AccountId32,
    /// Display name (UTF-8 bytes).
    pub subnet_name: Vec<Compact<u8>>,
    /// Token symbol (UTF-8 bytes).
    pub token_symbol: Vec<Compact<u8>>,
    /// Tempo.
    pub tempo: Compact<u16>,
    /// Block of the last epoch.
    pub last_step: Compact<u64>,
    /// Blocks since then.
    pub blocks_since_last_step: Compact<u64>,
    /// Deprecated: always 0.
    pub emission: Compact<u64>,
    /// Alpha reserve of the pool.
    pub alpha_in: Compact<u64>,
    /// Alpha outstanding (staked).
    pub alpha_out: Compact<u64>,
    /// TAO reserve of the pool.
    pub tao_in: Compact<u64>,
    /// Alpha emitted outstanding in the last block.
    pub alpha_out_emission: Compact<u64>,
    /// Alpha injected into the reserve in the last block.
    pub alpha_in_emission: Compact<u64>,
    /// TAO injected in the last block.
    pub tao_in_emission: Compact<u64>,
    /// Alpha waiting for the next epoch (server + validator).
    pub pending_alpha_emission: Compact<u64>,
    /// Deprecated: always 0.
    pub pending_root_emission: Compact<u64>,
    /// Traded volume.
    pub subnet_volume: Compact<u128>,
    /// Block the subnet was registered at.
    pub network_registered_at: Compact<u64>,
    /// The subnet identity, if set.
    pub subnet_identity: Option<SubnetIdentityV3>,
    /// EMA price, `I96F32` bits.
    pub moving_price: i128,
}
