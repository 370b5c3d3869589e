//! What a client computes to set weights: the hash a `commit_weights` call carries, which the
//! chain recomputes at `reveal_weights` (`reference/subtensor.md` §5).

use parity_scale_codec::Encode;
use rustensor_primitives::AccountId32;
use rustensor_primitives::hashing::blake2_256;

/// The commit hash of a reveal: BLAKE2-256 of SCALE
/// `(hotkey, netuid_index: u16, uids, values, salt, version_key: u64)`.
pub fn commit_hash(
    hotkey: &AccountId32,
    netuid_index: u16,
    uids: &[u16],
    values: &[u16],
    salt: &[u16],
    version_key: u64,
) -> [u8; 32] {
    blake2_256(&(hotkey, netuid_index, uids, values, salt, version_key).encode())
}
