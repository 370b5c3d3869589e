//! The crate's error type.
//!
//! Messages never contain secret material: a bad phrase is reported by word index, a bad secret
//! URI by byte position, never by echoing the input.

/// Result alias used by every fallible function in this crate.
pub type Result<T> = core::result::Result<T, Error>;

/// Everything that can go wrong while parsing or deriving the primitives of this crate.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An SS58 string contains a character outside the Bitcoin base58 alphabet.
    #[error("invalid base58 in ss58 address (check that it was copied whole)")]
    Ss58Base58(#[from] bs58::decode::Error),

    /// An SS58 string decodes to a byte count that no 32-byte account can have.
    #[error(
        "ss58 address decodes to {len} bytes, expected {expected} for a {prefix_len}-byte prefix"
    )]
    Ss58Length {
        /// Decoded byte count.
        len: usize,
        /// Byte count a 32-byte account needs with this prefix form.
        expected: usize,
        /// Length of the prefix form that the first byte announced (1 or 2).
        prefix_len: usize,
    },

    /// An SS58 string is too short to hold even a prefix.
    #[error("ss58 address decodes to {len} bytes, too short for a prefix and a 32-byte account")]
    Ss58TooShort {
        /// Decoded byte count.
        len: usize,
    },

    /// The first byte of an SS58 string is in the reserved range 128..=255.
    #[error("ss58 prefix byte {byte:#04x} is reserved (expected < 0x80)")]
    Ss58ReservedPrefixByte {
        /// The offending first byte.
        byte: u8,
    },

    /// A two-byte SS58 prefix encodes a value below 64, which has a one-byte form.
    #[error(
        "ss58 prefix {prefix} is written in the two-byte form, but values below 64 use one byte"
    )]
    Ss58NonCanonicalPrefix {
        /// The decoded prefix value.
        prefix: u16,
    },

    /// An SS58 prefix outside 0..=16383 was requested.
    #[error("ss58 prefix {prefix} is out of range (expected 0..=16383)")]
    Ss58PrefixOutOfRange {
        /// The requested prefix.
        prefix: u16,
    },

    /// The two checksum bytes of an SS58 string do not match its content.
    #[error(
        "ss58 checksum mismatch: expected {}, found {}",
        hex::encode(expected),
        hex::encode(found)
    )]
    Ss58Checksum {
        /// Checksum computed from the prefix and account bytes.
        expected: [u8; 2],
        /// Checksum carried by the address.
        found: [u8; 2],
    },

    /// An SS58 address carries a different network prefix than the caller requires.
    #[error("ss58 address has prefix {found}, expected {expected}")]
    Ss58UnexpectedPrefix {
        /// The prefix the caller requires.
        expected: u16,
        /// The prefix in the address.
        found: u16,
    },

    /// A hex string could not be decoded.
    #[error("invalid hex for {what}")]
    InvalidHex {
        /// What the hex was meant to hold (e.g. "account id").
        what: &'static str,
        /// The decoder's error.
        #[source]
        source: hex::FromHexError,
    },

    /// A byte string has the wrong length for what it is meant to hold.
    #[error("{what} must be {expected} bytes, found {found}")]
    InvalidLength {
        /// What the bytes were meant to hold (e.g. "sr25519 seed").
        what: &'static str,
        /// The required length.
        expected: usize,
        /// The length given.
        found: usize,
    },

    /// A BIP39 mnemonic is malformed (unknown word, bad checksum, bad word count).
    #[error("invalid bip39 mnemonic (check the words and their order)")]
    InvalidMnemonic(#[from] bip39::Error),

    /// A mnemonic of an unsupported word count was requested.
    #[error("mnemonic word count {0} is not supported (expected 12, 15, 18, 21 or 24)")]
    InvalidWordCount(usize),

    /// Entropy handed to the Substrate seed derivation has an invalid length.
    #[error("bip39 entropy must be 16..=32 bytes in steps of 4, found {0} bytes")]
    InvalidEntropyLength(usize),

    /// A secret URI (`phrase//hard/soft///password`) does not follow the grammar.
    #[error("invalid secret uri at byte {position}: {reason}")]
    InvalidSecretUri {
        /// Byte offset of the problem in the URI.
        position: usize,
        /// What is wrong there.
        reason: &'static str,
    },

    /// A derivation path contains a soft junction for a scheme that only supports hard ones.
    #[error("{scheme} keys support only hard derivation (`//`), found a soft junction (`/`)")]
    SoftJunctionUnsupported {
        /// The signature scheme, e.g. "ed25519".
        scheme: &'static str,
    },

    /// A public key cannot be derived along a path with hard junctions.
    #[error("a public key cannot follow a hard junction (`//`); only soft junctions (`/`) work")]
    HardJunctionOnPublic,

    /// Bytes are not a valid sr25519 key (non-canonical scalar or point).
    #[error("invalid sr25519 {what}: {reason}")]
    InvalidSr25519Key {
        /// "secret key" or "public key".
        what: &'static str,
        /// schnorrkel's description of the problem.
        reason: String,
    },

    /// A TAO amount string could not be parsed.
    #[error("invalid tao amount {input:?}: {reason}")]
    InvalidTaoAmount {
        /// The input as given.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A decimal identifier (netuid, uid) could not be parsed.
    #[error("invalid {what} {input:?}")]
    InvalidId {
        /// "netuid" or "uid".
        what: &'static str,
        /// The input as given.
        input: String,
        /// The integer parser's error.
        #[source]
        source: core::num::ParseIntError,
    },
}
