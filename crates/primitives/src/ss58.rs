//! SS58, Substrate's checksummed base58 address format.
//!
//! `address = base58(prefix ++ account32 ++ blake2b_512("SS58PRE" ++ prefix ++ account32)[0..2])`
//! with the Bitcoin alphabet (`reference/sdk.md` §2.5). Network prefixes 0..=63 take one byte;
//! 64..=16383 take two, laid out as sp-core's `Ss58Codec` does. Bittensor (mainnet and test
//! networks alike) uses prefix 42, the generic Substrate prefix.
//!
//! Wire format: matches sp-core `Ss58Codec` for 32-byte accounts; changing it breaks clients.
//!
//! # Deviations from sp-core
//!
//! * A two-byte prefix that encodes a value below 64 is rejected
//!   ([`Error::Ss58NonCanonicalPrefix`]) so that every accepted address re-encodes to itself;
//!   sp-core accepts it.
//! * The reserved prefixes 46 and 47 are accepted; sp-core refuses them on decode.

use core::fmt;

use crate::error::{Error, Result};
use crate::hashing::blake2_512;

/// Bytes of the account body in an SS58 address.
const BODY_LEN: usize = 32;
/// Bytes of the checksum at the end of an SS58 address.
const CHECKSUM_LEN: usize = 2;
/// Domain-separation prefix of the checksum hash.
const CHECKSUM_DOMAIN: &[u8] = b"SS58PRE";

/// An SS58 network prefix, guaranteed to be in 0..=16383.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Ss58Prefix(u16);

impl Ss58Prefix {
    /// The generic Substrate prefix 42, which Bittensor uses for every network.
    pub const SUBSTRATE: Self = Self(42);
    /// The prefix of Bittensor addresses (equal to [`Ss58Prefix::SUBSTRATE`]).
    pub const BITTENSOR: Self = Self::SUBSTRATE;
    /// The Polkadot relay chain prefix 0.
    pub const POLKADOT: Self = Self(0);
    /// The Kusama relay chain prefix 2.
    pub const KUSAMA: Self = Self(2);
    /// The largest prefix SS58 can carry (14 bits).
    pub const MAX: u16 = 16_383;

    /// Returns the prefix, or [`Error::Ss58PrefixOutOfRange`] if it exceeds 16383.
    pub const fn new(prefix: u16) -> Result<Self> {
        if prefix > Self::MAX {
            Err(Error::Ss58PrefixOutOfRange { prefix })
        } else {
            Ok(Self(prefix))
        }
    }

    /// Returns the numeric prefix.
    pub const fn get(self) -> u16 {
        self.0
    }

    /// Writes the one- or two-byte form of this prefix; returns the bytes and how many are used.
    fn to_bytes(self) -> ([u8; 2], usize) {
        let ident = self.0;
        if ident < 64 {
            // Fits in six bits: one byte.
            ([ident as u8, 0], 1)
        } else {
            // 01aaaaaa bbcccccc, where the 14-bit value in little-endian is aaaaaabb 00cccccc.
            let first = 0b0100_0000 | ((ident & 0b1111_1100) >> 2) as u8;
            let second = ((ident >> 8) as u8) | (((ident & 0b11) as u8) << 6);
            ([first, second], 2)
        }
    }
}

impl Default for Ss58Prefix {
    fn default() -> Self {
        Self::SUBSTRATE
    }
}

impl fmt::Display for Ss58Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl TryFrom<u16> for Ss58Prefix {
    type Error = Error;

    fn try_from(prefix: u16) -> Result<Self> {
        Self::new(prefix)
    }
}

impl From<Ss58Prefix> for u16 {
    fn from(prefix: Ss58Prefix) -> Self {
        prefix.0
    }
}

/// First two bytes of `blake2b_512("SS58PRE" ++ payload)`.
fn checksum(payload: &[u8]) -> [u8; 2] {
    let mut preimage = Vec::with_capacity(CHECKSUM_DOMAIN.len() + payload.len());
    preimage.extend_from_slice(CHECKSUM_DOMAIN);
    preimage.extend_from_slice(payload);
    let hash = blake2_512(&preimage);
    [hash[0], hash[1]]
}

/// Encodes a 32-byte account as an SS58 string with the given network prefix.
pub fn encode(prefix: Ss58Prefix, account: &[u8; 32]) -> String {
    let (prefix_bytes, prefix_len) = prefix.to_bytes();
    let mut data = Vec::with_capacity(prefix_len + BODY_LEN + CHECKSUM_LEN);
    data.extend_from_slice(&prefix_bytes[..prefix_len]);
    data.extend_from_slice(account);
    let sum = checksum(&data);
    data.extend_from_slice(&sum);
    bs58::encode(data).into_string()
}

/// Decodes an SS58 string holding a 32-byte account; returns its prefix and the account bytes.
///
/// # Errors
///
/// [`Error::Ss58Base58`] for a character outside the alphabet, [`Error::Ss58TooShort`] or
/// [`Error::Ss58Length`] when the decoded bytes cannot hold a 32-byte account,
/// [`Error::Ss58ReservedPrefixByte`] or [`Error::Ss58NonCanonicalPrefix`] for a bad prefix, and
/// [`Error::Ss58Checksum`] when the checksum does not match.
pub fn decode(address: &str) -> Result<(Ss58Prefix, [u8; 32])> {
    let data = bs58::decode(address).into_vec()?;
    let first = *data.first().ok_or(Error::Ss58TooShort { len: 0 })?;
    let (prefix_len, ident) = match first {
        0..=63 => (1, u16::from(first)),
        64..=127 => {
            let second = *data.get(1).ok_or(Error::Ss58TooShort { len: data.len() })?;
            // 01aaaaaa bbcccccc -> lower byte aaaaaabb, upper byte 00cccccc.
            let lower = (first << 2) | (second >> 6);
            let upper = second & 0b0011_1111;
            let ident = u16::from(lower) | (u16::from(upper) << 8);
            if ident < 64 {
                return Err(Error::Ss58NonCanonicalPrefix { prefix: ident });
            }
            (2, ident)
        }
        _ => return Err(Error::Ss58ReservedPrefixByte { byte: first }),
    };
    let expected = prefix_len + BODY_LEN + CHECKSUM_LEN;
    if data.len() != expected {
        return Err(Error::Ss58Length { len: data.len(), expected, prefix_len });
    }
    let (payload, found) = data.split_at(prefix_len + BODY_LEN);
    let want = checksum(payload);
    if found != want {
        let mut found_arr = [0u8; 2];
        found_arr.copy_from_slice(found);
        return Err(Error::Ss58Checksum { expected: want, found: found_arr });
    }
    let mut account = [0u8; 32];
    account.copy_from_slice(&payload[prefix_len..]);
    // ident <= 16383 by construction: 8 bits + 6 bits.
    Ok((Ss58Prefix(ident), account))
}

/// Decodes an SS58 string and requires the given network prefix.
///
/// # Errors
///
/// Everything [`decode`] returns, and [`Error::Ss58UnexpectedPrefix`] when the prefix differs.
pub fn decode_with_prefix(address: &str, expected: Ss58Prefix) -> Result<[u8; 32]> {
    let (prefix, account) = decode(address)?;
    if prefix != expected {
        return Err(Error::Ss58UnexpectedPrefix { expected: expected.get(), found: prefix.get() });
    }
    Ok(account)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn account(hex_str: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        hex::decode_to_slice(hex_str.trim_start_matches("0x"), &mut out)
            .expect("test vector is 32 bytes of hex");
        out
    }

    fn prefix(p: u16) -> Ss58Prefix {
        Ss58Prefix::new(p).expect("test prefix is in range")
    }

    // The "SUBKEY" table of polkadot-js/common packages/util-crypto/src/address/encode.spec.ts:
    // addresses produced by subkey for one- and two-byte prefixes.
    const SUBKEY_VECTORS: &[(&str, &str, u16)] = &[
        (
            "5DA4D4GL5iakrn22h5uKoevgvo18Pqj5BcdEUv8etEDPdijA",
            "3050f8456519829fe03302da802d22d3233a5f4037b9a3e2bcc403ccfcb2d735",
            42,
        ),
        (
            "cLtA6nCDyvwKcEHH4QkZDSHMhS9s78BvUJUsKUbUAn1Jc2SCF",
            "08e8969768fc14399930d4b8d693f68a2ff6c6a597325d6946095e5e9d9d1b0e",
            65,
        ),
        (
            "cTGShekJ1L1UKFZR9xmv9UTJod7vqjFAPo4sDhXih2c3y1yLS",
            "04a047d52fe542484c69bc528990cfeaf3a663dded0638ee1b51cf78bacd1072",
            66,
        ),
        (
            "cnVRwXfAnz3RSVQyBUC8f8McrK3YBX2QYd4WoctpeSC6VTJYm",
            "ae640d53cfa815f4a6a50ae70235cd7d9d134d0f1c3a4ccd118e321dfb6ab51f",
            69,
        ),
        (
            "xw5g1Eec8LT99pZLZMaTWwrwvNtfM6vrSuZeVbtEszCDUwByg",
            "5c64f1151f0ce4358c27238fb20c88e7c899825436f565410724c8c2c5add869",
            252,
        ),
        (
            "yGF4JP7q5AK46d1FPCEm9sYQ4KooSjHMpyVAjLnsCSWVafPnf",
            "66cd6cf085627d6c85af1aaf2bd10cf843033e929b4e3b1c2ba8e4aa46fe111b",
            255,
        ),
        (
            "yGDYxQatQwuxqT39Zs4LtcTnpzE12vXb7ZJ6xpdiHv6gTu1hF",
            "242fd5a078ac6b7c3c2531e9bcf1314343782aeb58e7bc6880794589e701db55",
            255,
        ),
        (
            "mHm8k9Emsvyfp3piCauSH684iA6NakctF8dySQcX94GDdrJrE",
            "44d5a3ac156335ea99d33a83c57c7146c40c8e2260a8a4adf4e7a86256454651",
            4242,
        ),
        (
            "r6Gr4gaMP8TsjhFbqvZhv3YvnasugLiRJpzpRHifsqqG18UXa",
            "88f01441682a17b52d6ae12d1a5670cf675fd254897efabaa5069eb3a701ab73",
            14269,
        ),
    ];

    #[test]
    fn test_encode_matches_subkey_vectors_for_all_prefix_forms() {
        for (address, public, p) in SUBKEY_VECTORS {
            assert_eq!(encode(prefix(*p), &account(public)), *address, "prefix {p}");
        }
    }

    #[test]
    fn test_decode_matches_subkey_vectors_for_all_prefix_forms() {
        for (address, public, p) in SUBKEY_VECTORS {
            assert_eq!(decode(address).expect("vector decodes"), (prefix(*p), account(public)));
        }
    }

    // Alice (sr25519 //Alice) re-encoded for Polkadot and Kusama, from the same spec file.
    #[test]
    fn test_encode_alice_matches_relay_chain_vectors() {
        let alice = account("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
        assert_eq!(
            encode(Ss58Prefix::SUBSTRATE, &alice),
            "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
        );
        assert_eq!(
            encode(Ss58Prefix::POLKADOT, &alice),
            "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5"
        );
        assert_eq!(
            encode(Ss58Prefix::KUSAMA, &alice),
            "HNZata7iMYWmk5RvZRTiAsSDhV8366zq2YGb3tLH5Upf74F"
        );
    }

    #[test]
    fn test_decode_rejects_bad_checksum() {
        // Last character of Alice's address changed: same length, wrong checksum.
        let err = decode("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ").unwrap_err();
        assert!(matches!(err, Error::Ss58Checksum { .. }), "{err}");
    }

    #[test]
    fn test_decode_rejects_non_base58_character() {
        // '0', 'O', 'I' and 'l' are not in the alphabet.
        let err = decode("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKut0Y").unwrap_err();
        assert!(matches!(err, Error::Ss58Base58(_)), "{err}");
        assert!(err.to_string().starts_with("invalid base58 in ss58 address"), "{err}");
    }

    #[test]
    fn test_decode_rejects_wrong_length() {
        // Prefix 42 with a 31-byte body.
        let mut data = vec![42u8];
        data.extend([1u8; 33]);
        let err = decode(&bs58::encode(data).into_string()).unwrap_err();
        assert_eq!(err, Error::Ss58Length { len: 34, expected: 35, prefix_len: 1 });
        assert_eq!(
            err.to_string(),
            "ss58 address decodes to 34 bytes, expected 35 for a 1-byte prefix"
        );
        // A 33-byte key (ecdsa) with prefix 42 from encode.spec.ts.
        let err = decode("KWCv1L3QX9LDPwY4VzvLmarEmXjVJidUzZcinvVnmxAJJCBou").unwrap_err();
        assert!(matches!(err, Error::Ss58Length { len: 36, expected: 35, .. }), "{err}");
        assert_eq!(decode("").unwrap_err(), Error::Ss58TooShort { len: 0 });
    }

    #[test]
    fn test_decode_rejects_reserved_prefix_byte() {
        let mut data = vec![0x80u8];
        data.extend([0u8; 34]);
        let err = decode(&bs58::encode(data).into_string()).unwrap_err();
        assert_eq!(err, Error::Ss58ReservedPrefixByte { byte: 0x80 });
    }

    #[test]
    fn test_decode_rejects_non_canonical_two_byte_prefix() {
        // 42 written in the two-byte form: 01aaaaaa bbcccccc with aaaaaabb = 42, cccccc = 0.
        let mut data = vec![0b0100_0000 | (42 >> 2), (42 & 0b11) << 6];
        data.extend([7u8; 32]);
        let sum = checksum(&data);
        data.extend(sum);
        let err = decode(&bs58::encode(data).into_string()).unwrap_err();
        assert_eq!(err, Error::Ss58NonCanonicalPrefix { prefix: 42 });
    }

    #[test]
    fn test_decode_with_prefix_rejects_other_network() {
        let err = decode_with_prefix(
            "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5",
            Ss58Prefix::SUBSTRATE,
        )
        .unwrap_err();
        assert_eq!(err, Error::Ss58UnexpectedPrefix { expected: 42, found: 0 });
        assert_eq!(err.to_string(), "ss58 address has prefix 0, expected 42");
    }

    #[test]
    fn test_prefix_new_rejects_above_14_bits() {
        assert_eq!(
            Ss58Prefix::new(16_384).unwrap_err(),
            Error::Ss58PrefixOutOfRange { prefix: 16_384 }
        );
        assert_eq!(Ss58Prefix::new(16_383).map(Ss58Prefix::get), Ok(16_383));
    }

    proptest! {
        #[test]
        fn test_ss58_round_trips_any_prefix_and_account(p in 0u16..=16_383, body in any::<[u8; 32]>()) {
            let prefix = prefix(p);
            let address = encode(prefix, &body);
            prop_assert_eq!(decode(&address), Ok((prefix, body)));
        }

        #[test]
        fn test_ss58_decode_never_panics(s in "\\PC{0,60}") {
            let _ = decode(&s);
        }
    }
}
