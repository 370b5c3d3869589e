//! FRAME's storage hashers, as types the typed accessors are generic over.
//!
//! Subtensor uses [`Identity`] for `u16` netuid keys, [`Blake2_128Concat`] for accounts and
//! [`Twox64Concat`] for a few items (`reference/substrate_compat.md` §4.3). The `*Concat` hashers
//! and [`Identity`] keep the SCALE key after the hash, so keys can be decoded back
//! ([`ReversibleStorageHasher`]); the others cannot.
//!
//! Wire format: these define storage keys; changing any output breaks clients.

use rustensor_primitives::hashing;

/// A storage hasher: maps a SCALE-encoded key part to the bytes that go into the storage key.
pub trait StorageHasher {
    /// Hashes the SCALE encoding of a key part.
    fn hash(encoded: &[u8]) -> Vec<u8>;
}

/// A hasher whose output ends with the SCALE key itself, after a fixed-length hash.
pub trait ReversibleStorageHasher: StorageHasher {
    /// The length of the hash written before the key.
    const HASH_LEN: usize;
}

/// `Identity`: the SCALE key itself (subtensor's netuid keys). Wire-visible.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Identity;

/// `Twox64Concat`: `xxh64(key) LE ++ key`. Wire-visible.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Twox64Concat;

/// `Blake2_128Concat`: `blake2b-128(key) ++ key` (subtensor's account keys). Wire-visible.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Blake2_128Concat;

/// `Blake2_128`: `blake2b-128(key)`, not reversible. Wire-visible.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Blake2_128;

/// `Blake2_256`: `blake2b-256(key)`, not reversible. Wire-visible.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Blake2_256;

/// `Twox128`: xxh64 with seeds 0 and 1, not reversible. Wire-visible.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Twox128;

/// `Twox256`: xxh64 with seeds 0 to 3, not reversible. Wire-visible.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Twox256;

impl StorageHasher for Identity {
    fn hash(encoded: &[u8]) -> Vec<u8> {
        hashing::identity(encoded)
    }
}
impl ReversibleStorageHasher for Identity {
    const HASH_LEN: usize = 0;
}

impl StorageHasher for Twox64Concat {
    fn hash(encoded: &[u8]) -> Vec<u8> {
        hashing::twox_64_concat(encoded)
    }
}
impl ReversibleStorageHasher for Twox64Concat {
    const HASH_LEN: usize = 8;
}

impl StorageHasher for Blake2_128Concat {
    fn hash(encoded: &[u8]) -> Vec<u8> {
        hashing::blake2_128_concat(encoded)
    }
}
impl ReversibleStorageHasher for Blake2_128Concat {
    const HASH_LEN: usize = 16;
}

impl StorageHasher for Blake2_128 {
    fn hash(encoded: &[u8]) -> Vec<u8> {
        hashing::blake2_128(encoded).to_vec()
    }
}

impl StorageHasher for Blake2_256 {
    fn hash(encoded: &[u8]) -> Vec<u8> {
        hashing::blake2_256(encoded).to_vec()
    }
}

impl StorageHasher for Twox128 {
    fn hash(encoded: &[u8]) -> Vec<u8> {
        hashing::twox_128(encoded).to_vec()
    }
}

impl StorageHasher for Twox256 {
    fn hash(encoded: &[u8]) -> Vec<u8> {
        hashing::twox_256(encoded).to_vec()
    }
}
