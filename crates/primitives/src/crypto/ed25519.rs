//! ed25519 keys, as Substrate uses them (Bittensor wallets may hold ed25519 coldkeys).
//!
//! Built on `ed25519-dalek`. A key pair is its 32-byte seed (RFC 8032 secret key), which comes
//! from a BIP39 phrase through [`crate::mnemonic`] (the same mini secret as sr25519) or from a
//! secret URI. Only hard junctions exist: each replaces the seed by
//! `blake2_256(SCALE(("Ed25519HDKD", seed, chain_code)))`, as sp-core `ed25519::Pair::derive`.
//!
//! Wire format: public keys and signatures are raw 32 and 64 bytes, as sp-core
//! `ed25519::{Public, Signature}`; signatures are what `MultiSignature::Ed25519` carries.
//!
//! # Deviations from sp-core
//!
//! * sp-core verifies with `ed25519-zebra` (ZIP-215 rules); this module uses `ed25519-dalek`'s
//!   `verify`. Both accept every signature an honest signer makes; they can disagree on crafted
//!   edge cases (non-canonical point encodings, small-order components).

use core::fmt;

use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use zeroize::Zeroizing;

use crate::account::AccountId32;
use crate::derive::{DeriveJunction, SecretUri};
use crate::error::{Error, Result};
use crate::hashing::blake2_256;
use crate::mnemonic;

/// Domain tag of ed25519 hard derivation.
const HDKD_TAG: &str = "Ed25519HDKD";

/// An ed25519 public key, 32 bytes.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Encode, Decode, MaxEncodedLen,
)]
pub struct Public(pub [u8; 32]);

/// An ed25519 signature, 64 bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Encode, Decode, MaxEncodedLen)]
pub struct Signature(pub [u8; 64]);

/// An ed25519 key pair (its seed and the public key computed from it).
#[derive(Clone)]
pub struct Pair {
    signing: SigningKey,
}

impl Public {
    /// Copies a 32-byte slice into a public key (no curve check).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidLength`] unless the slice is exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        <[u8; 32]>::try_from(bytes).map(Self).map_err(|_| Error::InvalidLength {
            what: "ed25519 public key",
            expected: 32,
            found: bytes.len(),
        })
    }

    /// The raw bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The account this key controls (the same 32 bytes).
    pub const fn to_account_id(self) -> AccountId32 {
        AccountId32::new(self.0)
    }

    /// Checks a signature on a message; never panics, false for malformed keys too.
    pub fn verify(&self, message: &[u8], signature: &Signature) -> bool {
        let Ok(public) = VerifyingKey::from_bytes(&self.0) else { return false };
        let signature = ed25519_dalek::Signature::from_bytes(&signature.0);
        public.verify(message, &signature).is_ok()
    }
}

impl From<Public> for AccountId32 {
    fn from(public: Public) -> Self {
        public.to_account_id()
    }
}

impl From<AccountId32> for Public {
    fn from(account: AccountId32) -> Self {
        Self(account.to_bytes())
    }
}

/// Shows the SS58 address with prefix 42.
impl fmt::Display for Public {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_account_id(), f)
    }
}

/// Shows the SS58 address and hex bytes.
impl fmt::Debug for Public {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ed25519::Public({} 0x{})", self.to_account_id(), hex::encode(self.0))
    }
}

impl Signature {
    /// Copies a 64-byte slice into a signature.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidLength`] unless the slice is exactly 64 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        <[u8; 64]>::try_from(bytes).map(Self).map_err(|_| Error::InvalidLength {
            what: "ed25519 signature",
            expected: 64,
            found: bytes.len(),
        })
    }

    /// Parses 128 hex digits, with or without a `0x` prefix.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidHex`] for non-hex characters or a wrong digit count.
    pub fn from_hex(s: &str) -> Result<Self> {
        let mut bytes = [0u8; 64];
        hex::decode_to_slice(s.strip_prefix("0x").unwrap_or(s), &mut bytes)
            .map_err(|source| Error::InvalidHex { what: "ed25519 signature", source })?;
        Ok(Self(bytes))
    }

    /// Lowercase hex with a `0x` prefix.
    pub fn to_hex(&self) -> String {
        format!("0x{}", hex::encode(self.0))
    }
}

/// Shows the hex bytes.
impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ed25519::Signature({})", self.to_hex())
    }
}

/// One hard derivation step: `blake2_256(SCALE(("Ed25519HDKD", seed, chain_code)))`.
fn derive_hard(seed: &[u8; 32], chain_code: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let preimage = Zeroizing::new((HDKD_TAG, seed, chain_code).encode());
    Zeroizing::new(blake2_256(&preimage))
}

impl Pair {
    /// The key pair of a 32-byte seed (the RFC 8032 secret key).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self { signing: SigningKey::from_bytes(seed) }
    }

    /// The key pair of a 32-byte seed given as a slice.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidLength`] unless the slice is exactly 32 bytes.
    pub fn from_seed_slice(bytes: &[u8]) -> Result<Self> {
        let seed = Zeroizing::new(<[u8; 32]>::try_from(bytes).map_err(|_| {
            Error::InvalidLength { what: "ed25519 seed", expected: 32, found: bytes.len() }
        })?);
        Ok(Self::from_seed(&seed))
    }

    /// The key pair of a BIP39 phrase with Substrate's entropy-based seed ([`crate::mnemonic`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMnemonic`] for an invalid phrase.
    pub fn from_phrase(phrase: &str, password: Option<&str>) -> Result<Self> {
        let seed = mnemonic::mini_secret_from_phrase(phrase, password)?;
        Ok(Self::from_seed(&seed))
    }

    /// The key pair a secret URI names (`//Alice`, `phrase//hard///password`, `0x<seed>//hard`).
    ///
    /// `password_override`, when given, replaces the URI's own `///password`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSecretUri`] for bad syntax, [`Error::SoftJunctionUnsupported`] for a `/`
    /// junction, and everything [`SecretUri::root_seed`] returns.
    pub fn from_uri(uri: &str, password_override: Option<&str>) -> Result<Self> {
        let uri = SecretUri::parse(uri)?;
        let seed = uri.root_seed(password_override)?;
        Self::from_seed(&seed).derive(uri.junctions())
    }

    /// A new key pair from the OS random source.
    pub fn generate() -> Self {
        let mut seed = Zeroizing::new([0u8; 32]);
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, seed.as_mut());
        Self::from_seed(&seed)
    }

    /// Follows a path of hard junctions.
    ///
    /// # Errors
    ///
    /// [`Error::SoftJunctionUnsupported`] if the path has a soft junction.
    pub fn derive<'a>(&self, path: impl IntoIterator<Item = &'a DeriveJunction>) -> Result<Self> {
        let mut seed = self.seed();
        for junction in path {
            match junction {
                DeriveJunction::Hard(cc) => seed = derive_hard(&seed, cc),
                DeriveJunction::Soft(_) => {
                    return Err(Error::SoftJunctionUnsupported { scheme: "ed25519" });
                }
            }
        }
        Ok(Self::from_seed(&seed))
    }

    /// The 32-byte seed (RFC 8032 secret key).
    pub fn seed(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.signing.to_bytes())
    }

    /// The public key.
    pub fn public(&self) -> Public {
        Public(self.signing.verifying_key().to_bytes())
    }

    /// The account this key pair controls.
    pub fn account_id(&self) -> AccountId32 {
        self.public().to_account_id()
    }

    /// Signs a message (deterministic, RFC 8032).
    pub fn sign(&self, message: &[u8]) -> Signature {
        Signature(self.signing.sign(message).to_bytes())
    }

    /// Checks a signature against this pair's public key; see [`Public::verify`].
    pub fn verify(&self, message: &[u8], signature: &Signature) -> bool {
        self.public().verify(message, signature)
    }
}

/// Shows only the public key.
impl fmt::Debug for Pair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ed25519::Pair").field("public", &self.public()).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mnemonic::DEV_PHRASE;

    fn bytes32(hex_str: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        hex::decode_to_slice(hex_str, &mut out).expect("vector is 32 bytes of hex");
        out
    }

    fn pair(uri: &str) -> Pair {
        Pair::from_uri(uri, None).expect("valid uri")
    }

    // The ed25519 dev keys (GRANDPA authorities of polkadot-sdk dev chain specs).
    #[test]
    fn test_from_uri_matches_dev_grandpa_keys() {
        assert_eq!(
            pair("//Alice").public(),
            Public(bytes32("88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"))
        );
        assert_eq!(
            pair("//Bob").public(),
            Public(bytes32("d17c2d7823ebf260fd138f2d7e27d114c0145d968b5ff5006125f2414fadae69"))
        );
        assert_eq!(pair("//Alice").public(), pair(&format!("{DEV_PHRASE}//Alice")).public());
    }

    // RFC 8032 §7.1 TEST 1, also sp-core `test_vector_should_work` and
    // `test_vector_by_string_should_work`.
    #[test]
    fn test_sign_matches_rfc8032_test_1() {
        let seed = bytes32("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        let expected_sig = Signature::from_hex(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        )
        .expect("valid hex");
        for pair in [
            Pair::from_seed(&seed),
            pair("0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"),
        ] {
            assert_eq!(
                pair.public(),
                Public(bytes32("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
            );
            assert_eq!(pair.sign(b""), expected_sig);
            assert!(pair.public().verify(b"", &expected_sig));
        }
    }

    // sp-core `seed_and_derive_should_work`: one hard junction with an all-zero chain code.
    #[test]
    fn test_derive_hard_matches_sp_core_vector() {
        let root = Pair::from_seed(&bytes32(
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        ));
        let child = root.derive(&[DeriveJunction::Hard([0u8; 32])]).expect("hard only");
        assert_eq!(
            *child.seed(),
            bytes32("ede3354e133f9c8e337ddd6ee5415ed4b4ffe5fc7d21e933f4930a3730e5b21c")
        );
    }

    // polkadot-js/common util-crypto signature/verify.spec.ts: "hello world" signed by a Kusama
    // ed25519 account.
    #[test]
    fn test_verify_accepts_known_polkadot_js_signature() {
        let (account, _) =
            AccountId32::from_ss58_any_prefix("DxN4uvzwPzJLtn17yew6jEffPhXQfdKHTp2brufb98vGbPN")
                .expect("valid");
        let signature = Signature::from_hex(
            "0x299d3bf4c8bb51af732f8067b3a3015c0862a5ff34721749d8ed6577ea2708365d1c5f76bd519009971e41156f12c70abc2533837ceb3bad9a05a99ab923de06",
        )
        .expect("valid hex");
        assert!(Public::from(account).verify(b"hello world", &signature));
        assert!(!Public::from(account).verify(b"hello world.", &signature));
    }

    #[test]
    fn test_derive_rejects_soft_junction() {
        assert_eq!(
            Pair::from_uri("//Alice/soft", None).unwrap_err(),
            Error::SoftJunctionUnsupported { scheme: "ed25519" }
        );
        assert_eq!(
            Error::SoftJunctionUnsupported { scheme: "ed25519" }.to_string(),
            "ed25519 keys support only hard derivation (`//`), found a soft junction (`/`)"
        );
    }

    #[test]
    fn test_sign_verify_round_trips_and_rejects_tampering() {
        let alice = pair("//Alice");
        let signature = alice.sign(b"payload");
        assert!(alice.verify(b"payload", &signature));
        let mut tampered = signature;
        tampered.0[10] ^= 0x40;
        assert!(!alice.public().verify(b"payload", &tampered));
        assert!(!pair("//Bob").public().verify(b"payload", &signature));
        // Garbage key bytes: false, no panic.
        assert!(!Public([0xff; 32]).verify(b"payload", &signature));
        assert!(!Public::default().verify(b"payload", &Signature([0u8; 64])));
    }

    #[test]
    fn test_phrase_and_sr25519_share_the_mini_secret() {
        let phrase =
            "caution juice atom organ advance problem want pledge someone senior holiday very";
        let ed = Pair::from_phrase(phrase, None).expect("valid");
        assert_eq!(
            *ed.seed(),
            bytes32("c8fa03532fb22ee1f7f6908b9c02b4e72483f0dbd66e4cd456b8f34c6230b849")
        );
    }

    #[test]
    fn test_from_seed_slice_rejects_wrong_length() {
        assert_eq!(
            Pair::from_seed_slice(&[1u8; 64]).unwrap_err(),
            Error::InvalidLength { what: "ed25519 seed", expected: 32, found: 64 }
        );
    }

    #[test]
    fn test_generate_gives_distinct_working_pairs() {
        let (a, b) = (Pair::generate(), Pair::generate());
        assert_ne!(a.public(), b.public());
        assert!(a.verify(b"x", &a.sign(b"x")));
    }
}
