//! The hash functions Substrate uses for storage keys, block hashes and signatures.
//!
//! Output bytes match `sp_crypto_hashing` exactly (blake2b with a shortened output length, and
//! xxHash64 with seeds 0, 1, … written little-endian). The storage-key hashers are the three that
//! subtensor uses: [`identity`], [`twox_64_concat`] and [`blake2_128_concat`]
//! (`reference/substrate_compat.md` §4.3).
//!
//! Wire format: these functions define storage keys; changing any output breaks clients.

use blake2::digest::consts::{U16, U32};
use blake2::{Blake2b, Blake2b512, Digest};
use twox_hash::XxHash64;

/// blake2b with a 16-byte output (not a truncation of blake2b-256).
pub fn blake2_128(data: &[u8]) -> [u8; 16] {
    Blake2b::<U16>::digest(data).into()
}

/// blake2b with a 32-byte output, Substrate's default hash (block and extrinsic hashes).
pub fn blake2_256(data: &[u8]) -> [u8; 32] {
    Blake2b::<U32>::digest(data).into()
}

/// blake2b with a 64-byte output (the SS58 checksum hash).
pub fn blake2_512(data: &[u8]) -> [u8; 64] {
    Blake2b512::digest(data).into()
}

/// xxHash64 with seed 0, written little-endian (8 bytes).
pub fn twox_64(data: &[u8]) -> [u8; 8] {
    XxHash64::oneshot(0, data).to_le_bytes()
}

/// xxHash64 with seeds 0 and 1, each written little-endian and concatenated (16 bytes).
///
/// This is the hasher of pallet and storage-item names: `twox_128(b"System")`.
pub fn twox_128(data: &[u8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&XxHash64::oneshot(0, data).to_le_bytes());
    out[8..].copy_from_slice(&XxHash64::oneshot(1, data).to_le_bytes());
    out
}

/// xxHash64 with seeds 0 to 3, each written little-endian and concatenated (32 bytes).
pub fn twox_256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (seed, chunk) in (0u64..).zip(out.chunks_exact_mut(8)) {
        chunk.copy_from_slice(&XxHash64::oneshot(seed, data).to_le_bytes());
    }
    out
}

/// The `Identity` storage hasher: the SCALE-encoded key itself.
pub fn identity(data: &[u8]) -> Vec<u8> {
    data.to_vec()
}

/// The `Twox64Concat` storage hasher: `twox_64(key) ++ key`.
pub fn twox_64_concat(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + data.len());
    out.extend_from_slice(&twox_64(data));
    out.extend_from_slice(data);
    out
}

/// The `Blake2_128Concat` storage hasher: `blake2_128(key) ++ key`.
pub fn blake2_128_concat(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + data.len());
    out.extend_from_slice(&blake2_128(data));
    out.extend_from_slice(data);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).expect("test vector is valid hex")
    }

    // twox_128 of pallet and item names: the `System.Account` prefix, known from every
    // Substrate chain (e.g. `state_getStorage` calls for
    // 26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9…).
    #[test]
    fn test_twox_128_matches_system_account_prefix() {
        assert_eq!(twox_128(b"System").to_vec(), h("26aa394eea5630e07c48ae0c9558cef7"));
        assert_eq!(twox_128(b"Account").to_vec(), h("b99d880ec681799c0cf30e8886371da9"));
        assert_eq!(twox_128(b"BlockHash").to_vec(), h("a44704b568d21667356a5a050c118746"));
    }

    // `System.BlockHash[0]` = twox128("System") ++ twox128("BlockHash") ++ twox64_concat(0u32).
    #[test]
    fn test_twox_64_concat_matches_block_hash_zero_key() {
        let mut key = twox_128(b"System").to_vec();
        key.extend(twox_128(b"BlockHash"));
        key.extend(twox_64_concat(&0u32.to_le_bytes()));
        assert_eq!(
            key,
            h(
                "26aa394eea5630e07c48ae0c9558cef7a44704b568d21667356a5a050c118746b4def25cfda6ef3a00000000"
            )
        );
    }

    // `System.Account[Alice]` with the Blake2_128Concat hasher.
    #[test]
    fn test_blake2_128_concat_matches_alice_account_key() {
        let alice = h("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
        let mut key = twox_128(b"System").to_vec();
        key.extend(twox_128(b"Account"));
        key.extend(blake2_128_concat(&alice));
        assert_eq!(
            key,
            h(concat!(
                "26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9",
                "de1e86a9a8c739864cf3cc5ec2bea59f",
                "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
            ))
        );
    }

    // Alice//stash's Blake2_128Concat key part, from the Substrate storage docs.
    #[test]
    fn test_blake2_128_matches_alice_stash_vector() {
        let stash = h("be5ddb1579b72e84524fc29e78609e3caf42e85aa118ebfe0b0ad404b5bdd25f");
        assert_eq!(blake2_128(&stash).to_vec(), h("32a5935f6edc617ae178fef9eb1e211f"));
    }

    // blake2b test values of the empty input (RFC 7693 parameters, variable output length).
    #[test]
    fn test_blake2_matches_empty_input_vectors() {
        assert_eq!(blake2_128(b"").to_vec(), h("cae66941d9efbd404e4d88758ea67670"));
        assert_eq!(
            blake2_256(b"").to_vec(),
            h("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
        );
        assert_eq!(
            blake2_512(b"abc").to_vec(),
            h(concat!(
                "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1",
                "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
            ))
        );
    }

    // xxHash64 of the empty input with seed 0 is 0xef46db3751d8e999 (xxHash reference).
    #[test]
    fn test_twox_64_matches_empty_input_vector() {
        assert_eq!(twox_64(b""), 0xef46db3751d8e999u64.to_le_bytes());
    }

    #[test]
    fn test_twox_256_extends_twox_128() {
        let wide = twox_256(b"Balances");
        assert_eq!(wide[..16], twox_128(b"Balances"));
    }

    #[test]
    fn test_identity_returns_input() {
        assert_eq!(identity(&[1, 2, 3]), vec![1, 2, 3]);
    }
}
