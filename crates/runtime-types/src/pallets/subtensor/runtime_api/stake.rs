//! `StakeInfoRuntimeApi`: a coldkey's stake positions (`StakeInfo`).
//!
//! Wire format: `StakeInfo` encodes exactly as subtensor's.
//!
//! What the calls do, and where this deviates from subtensor: `rustensor_runtime::pallets::subtensor::runtime_api::stake`.

use parity_scale_codec::{Compact, Decode, Encode};
use rustensor_primitives::{AccountId32, NetUid};
/// `StakeInfo`: one `(hotkey, coldkey, netuid)` position.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct StakeInfo {
    /// The hotkey staked to.
    pub hotkey: AccountId32,
    /// The staking coldkey.
    pub coldkey: AccountId32,
    /// The subnet.
    pub netuid: Compact<NetUid>,
    /// The position's alpha.
    pub stake: Compact<u64>,
    /// Always 0.
    pub locked: Compact<u64>,
    /// The hotkey's alpha dividends on the subnet at its last epoch.
    pub emission: Compact<u64>,
    /// Always 0 (root TAO dividends were removed).
    pub tao_emission: Compact<u64>,
    /// Always 0.
    pub drain: Compact<u64>,
    /// Whether the hotkey holds a uid on the subnet.
    pub is_registered: bool,
}
