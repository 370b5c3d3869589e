//! `DelegateInfoRuntimeApi`: delegates (hotkeys with a take) and their nominators
//! (`DelegateInfo`).
//!
//! Wire format: `DelegateInfo` encodes exactly as subtensor's.
//!
//! What the calls do, and where this deviates from subtensor: `rustensor_runtime::pallets::subtensor::runtime_api::delegate`.

use parity_scale_codec::{Compact, Decode, Encode};
use rustensor_primitives::{AccountId32, NetUid};
/// One nominator's `(netuid, alpha)` positions on a delegate.
pub type NominatorStakes = (AccountId32, Vec<(Compact<NetUid>, Compact<u64>)>);

/// One `get_delegated` row: the delegate and the coldkey's `(netuid, alpha)` with it.
pub type DelegatedRow = (DelegateInfo, (Compact<NetUid>, Compact<u64>));

/// `DelegateInfo`: a delegate hotkey, its take, nominators and returns.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct DelegateInfo {
    /// The delegate hotkey.
    pub delegate_ss58: AccountId32,
    /// Its take (u16 fraction).
    pub take: Compact<u16>,
    /// Per nominator coldkey, its `(netuid, alpha)` positions.
    pub nominators: Vec<NominatorStakes>,
    /// The coldkey owning the hotkey.
    pub owner_ss58: AccountId32,
    /// Subnets the hotkey is registered on.
    pub registrations: Vec<Compact<NetUid>>,
    /// Subnets where it holds a validator permit.
    pub validator_permits: Vec<Compact<NetUid>>,
    /// Daily return per 1000 TAO of root stake, after take.
    pub return_per_1000: Compact<u64>,
    /// Daily emission of the hotkey over its subnets.
    pub total_daily_return: Compact<u64>,
}
