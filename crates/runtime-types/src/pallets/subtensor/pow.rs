//! The legacy proof-of-work registration seal (`SubtensorModule.register`): the chain checks it,
//! and clients solve it, with the same recipe (Keccak-256 over SHA-256, `reference/subtensor.md`
//! §4.2).

use parity_scale_codec::Encode;
use rustensor_primitives::AccountId32;
use sha2::Digest as _;

/// The legacy PoW seal of `hotkey` for `nonce` over block hash `block_hash`:
/// `keccak256(sha256(nonce_le ‖ keccak256(block_hash ‖ hotkey)))`.
pub fn pow_seal(block_hash: &[u8; 32], hotkey: &AccountId32, nonce: u64) -> [u8; 32] {
    let mut pre = Vec::with_capacity(64);
    pre.extend_from_slice(block_hash);
    pre.extend_from_slice(&hotkey.encode()[..32]);
    let inner: [u8; 32] = sha3::Keccak256::digest(&pre).into();
    let mut seed = Vec::with_capacity(40);
    seed.extend_from_slice(&nonce.to_le_bytes());
    seed.extend_from_slice(&inner);
    let sha: [u8; 32] = sha2::Sha256::digest(&seed).into();
    sha3::Keccak256::digest(sha).into()
}

/// Whether `seal`, read as a little-endian 256-bit integer, times `difficulty` fits in 256
/// bits.
pub fn seal_meets_difficulty(seal: &[u8; 32], difficulty: u64) -> bool {
    let mut carry: u128 = 0;
    for limb in seal.chunks_exact(8) {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(limb);
        // < 2^128: a 64×64-bit product plus a carry below 2^64.
        let product = u128::from(u64::from_le_bytes(bytes))
            .saturating_mul(u128::from(difficulty))
            .saturating_add(carry);
        carry = product >> 64;
    }
    carry == 0
}
