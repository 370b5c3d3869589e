//! sr25519 (Schnorr signatures over Ristretto25519) keys, as Substrate and Bittensor use them.
//!
//! Built on `schnorrkel` with the signing context `b"substrate"`. A key pair comes from a 32-byte
//! mini secret (seed) expanded in Ed25519 mode, from a BIP39 phrase through
//! [`crate::mnemonic`], or from a secret URI such as `//Alice` through [`crate::derive`].
//!
//! Derivation follows sp-core `sr25519::Pair::derive`: a hard junction takes schnorrkel's
//! `SecretKey::hard_derive_mini_secret_key(Some(chain_code), b"")` and expands the resulting mini
//! secret in Ed25519 mode; a soft junction takes `derived_key_simple(chain_code, b"")`, which
//! public keys can follow too ([`Public::derive`]).
//!
//! Wire format: public keys and signatures are raw 32 and 64 bytes (SCALE fixed arrays), as
//! sp-core `sr25519::{Public, Signature}`; signatures are what `MultiSignature::Sr25519` carries.
//!
//! # Deviations from sp-core
//!
//! * Only the current (schnorrkel ≥ 0.8) signature format verifies; sp-core's
//!   `verify_deprecated` for 0.1.1 signatures is not provided.

use core::fmt;

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use schnorrkel::derive::{ChainCode, Derivation};
use schnorrkel::{ExpansionMode, Keypair, MiniSecretKey, PublicKey, SecretKey};
use zeroize::Zeroizing;

use super::strobe::Challenger;
use crate::account::AccountId32;
use crate::derive::{DeriveJunction, SecretUri};
use crate::error::{Error, Result};
use crate::mnemonic;

/// The signing context of every Substrate sr25519 signature.
pub const SIGNING_CONTEXT: &[u8] = b"substrate";

/// An sr25519 public key (a compressed Ristretto point), 32 bytes.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Encode, Decode, MaxEncodedLen,
)]
pub struct Public(pub [u8; 32]);

/// An sr25519 signature, 64 bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Encode, Decode, MaxEncodedLen)]
pub struct Signature(pub [u8; 64]);

/// An sr25519 key pair, with the seed it was expanded from when that seed is known.
#[derive(Clone)]
pub struct Pair {
    keypair: Keypair,
    seed: Option<Zeroizing<[u8; 32]>>,
}

impl Public {
    /// Copies a 32-byte slice into a public key (no curve check; see [`Public::is_valid_point`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidLength`] unless the slice is exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        <[u8; 32]>::try_from(bytes).map(Self).map_err(|_| Error::InvalidLength {
            what: "sr25519 public key",
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

    /// True when the bytes are a canonical Ristretto point encoding.
    pub fn is_valid_point(&self) -> bool {
        PublicKey::from_bytes(&self.0).is_ok()
    }

    /// Checks a signature on a message under the `substrate` context; never panics.
    ///
    /// Returns false for any malformed key or signature bytes as well as for a wrong signature.
    pub fn verify(&self, message: &[u8], signature: &Signature) -> bool {
        let Ok(public) = PublicKey::from_bytes(&self.0) else { return false };
        let Ok(signature) = schnorrkel::Signature::from_bytes(&signature.0) else { return false };
        public.verify_simple(SIGNING_CONTEXT, message, &signature).is_ok()
    }

    /// Decodes the key once for many verifications (the curve point is decompressed here, not
    /// per signature). A server that sees the same signers again (an axon) should keep these.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSr25519Key`] if these bytes are not a valid point.
    pub fn verifying_key(&self) -> Result<VerifyingKey> {
        PublicKey::from_bytes(&self.0)
            .map(VerifyingKey)
            .map_err(|e| Error::InvalidSr25519Key { what: "public key", reason: e.to_string() })
    }

    /// Follows a path of soft junctions from this public key.
    ///
    /// # Errors
    ///
    /// [`Error::HardJunctionOnPublic`] if the path has a hard junction, and
    /// [`Error::InvalidSr25519Key`] if these bytes are not a valid point.
    pub fn derive<'a>(&self, path: impl IntoIterator<Item = &'a DeriveJunction>) -> Result<Self> {
        let mut acc = PublicKey::from_bytes(&self.0)
            .map_err(|e| Error::InvalidSr25519Key { what: "public key", reason: e.to_string() })?;
        for junction in path {
            match junction {
                DeriveJunction::Soft(cc) => acc = acc.derived_key_simple(ChainCode(*cc), []).0,
                DeriveJunction::Hard(_) => return Err(Error::HardJunctionOnPublic),
            }
        }
        Ok(Self(acc.to_bytes()))
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
        write!(f, "sr25519::Public({} 0x{})", self.to_account_id(), hex::encode(self.0))
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
            what: "sr25519 signature",
            expected: 64,
            found: bytes.len(),
        })
    }

    /// Parses 128 hex digits, with or without a `0x` prefix (as the axon headers carry them).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidHex`] for non-hex characters or a wrong digit count.
    pub fn from_hex(s: &str) -> Result<Self> {
        let digits = s.strip_prefix("0x").unwrap_or(s);
        let mut bytes = [0u8; 64];
        // `const_hex` decodes with SIMD (an axon parses one signature per request); anything
        // it refuses goes through `hex` for the error type this crate reports.
        if const_hex::decode_to_slice(digits, &mut bytes).is_err() {
            hex::decode_to_slice(digits, &mut bytes)
                .map_err(|source| Error::InvalidHex { what: "sr25519 signature", source })?;
        }
        Ok(Self(bytes))
    }

    /// Lowercase hex with a `0x` prefix.
    pub fn to_hex(&self) -> String {
        format!("0x{}", hex::encode(self.0))
    }

    /// The raw bytes.
    pub const fn as_bytes(&self) -> &[u8; 64] {
        &self.0
    }
}

/// Shows the hex bytes.
impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sr25519::Signature({})", self.to_hex())
    }
}

impl Pair {
    /// The key pair of a 32-byte mini secret, expanded in Ed25519 mode (as sp-core and
    /// bittensor-wallet do).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        let mini = MiniSecretKey::from_bytes(seed)
            .expect("a 32-byte array is always a valid mini secret key");
        Self {
            keypair: mini.expand_to_keypair(ExpansionMode::Ed25519),
            seed: Some(Zeroizing::new(*seed)),
        }
    }

    /// A key pair from 32 seed bytes (a mini secret) or 64 secret-key bytes (schnorrkel's
    /// `SecretKey::to_bytes`, the `privateKey` of a keyfile).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidLength`] for any other length, [`Error::InvalidSr25519Key`] for a 64-byte
    /// key whose scalar is not canonical.
    pub fn from_seed_slice(bytes: &[u8]) -> Result<Self> {
        match bytes.len() {
            32 => {
                let mut seed = Zeroizing::new([0u8; 32]);
                seed.copy_from_slice(bytes);
                Ok(Self::from_seed(&seed))
            }
            64 => Self::from_secret_key_bytes(bytes),
            found => Err(Error::InvalidLength {
                what: "sr25519 seed (or a 64-byte secret key)",
                expected: 32,
                found,
            }),
        }
    }

    /// A key pair from 64 secret-key bytes (32-byte canonical scalar ++ 32-byte nonce).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidLength`] unless 64 bytes, [`Error::InvalidSr25519Key`] for a scalar that
    /// is not canonical.
    pub fn from_secret_key_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() != 64 {
            return Err(Error::InvalidLength {
                what: "sr25519 secret key",
                expected: 64,
                found: bytes.len(),
            });
        }
        let secret = SecretKey::from_bytes(bytes)
            .map_err(|e| Error::InvalidSr25519Key { what: "secret key", reason: e.to_string() })?;
        Ok(Self { keypair: secret.to_keypair(), seed: None })
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

    /// The key pair a secret URI names, as sp-core `Pair::from_string` resolves it: `//Alice`,
    /// `phrase//hard/soft///password`, `0x<64 hex digits>//path`.
    ///
    /// `password_override`, when given, replaces the URI's own `///password`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSecretUri`] for bad syntax, and everything [`SecretUri::root_seed`] returns.
    pub fn from_uri(uri: &str, password_override: Option<&str>) -> Result<Self> {
        let uri = SecretUri::parse(uri)?;
        let seed = uri.root_seed(password_override)?;
        Ok(Self::from_seed(&seed).derive(uri.junctions()))
    }

    /// A new key pair from the OS random source.
    pub fn generate() -> Self {
        let mut seed = Zeroizing::new([0u8; 32]);
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, seed.as_mut());
        Self::from_seed(&seed)
    }

    /// Follows a derivation path; the child has a [`Pair::seed`] only when this pair has one and
    /// every junction is hard.
    pub fn derive<'a>(&self, path: impl IntoIterator<Item = &'a DeriveJunction>) -> Self {
        let mut secret = self.keypair.secret.clone();
        let mut seed = self.seed.clone();
        for junction in path {
            match junction {
                DeriveJunction::Soft(cc) => {
                    secret = secret.derived_key_simple(ChainCode(*cc), []).0;
                    seed = None;
                }
                DeriveJunction::Hard(cc) => {
                    let mini = secret.hard_derive_mini_secret_key(Some(ChainCode(*cc)), []).0;
                    secret = mini.expand(ExpansionMode::Ed25519);
                    // As sp-core: once the seed is lost (soft step, 64-byte key) it stays lost.
                    seed = seed.map(|_| Zeroizing::new(mini.to_bytes()));
                }
            }
        }
        Self { keypair: secret.to_keypair(), seed }
    }

    /// The public key.
    pub fn public(&self) -> Public {
        Public(self.keypair.public.to_bytes())
    }

    /// The account this key pair controls.
    pub fn account_id(&self) -> AccountId32 {
        self.public().to_account_id()
    }

    /// The 32-byte mini secret this pair was expanded from; `None` after a soft derivation or
    /// when built from 64 secret-key bytes.
    pub fn seed(&self) -> Option<&[u8; 32]> {
        self.seed.as_deref()
    }

    /// The 64 secret-key bytes (scalar ++ nonce), the `privateKey` of a bittensor keyfile.
    pub fn to_secret_key_bytes(&self) -> Zeroizing<[u8; 64]> {
        Zeroizing::new(self.keypair.secret.to_bytes())
    }

    /// Signs a message under the `substrate` context (randomized: two signatures of one message
    /// differ, and both verify).
    pub fn sign(&self, message: &[u8]) -> Signature {
        Signature(self.keypair.sign_simple(SIGNING_CONTEXT, message).to_bytes())
    }

    /// Checks a signature against this pair's public key; see [`Public::verify`].
    pub fn verify(&self, message: &[u8], signature: &Signature) -> bool {
        self.public().verify(message, signature)
    }
}

/// An sr25519 public key decoded for verification; [`VerifyingKey::verify`] accepts exactly
/// the signatures [`Public::verify`] accepts, without decompressing the key each time.
#[derive(Clone)]
pub struct VerifyingKey(PublicKey);

impl VerifyingKey {
    /// Whether `signature` is this key's signature of `message` under the `substrate` signing
    /// context. Never panics on malformed signatures.
    pub fn verify(&self, message: &[u8], signature: &Signature) -> bool {
        let Ok(signature) = schnorrkel::Signature::from_bytes(&signature.0) else { return false };
        self.0.verify_simple(SIGNING_CONTEXT, message, &signature).is_ok()
    }
}

/// Whether every `(key, message, signature)` of `items` verifies, as [`VerifyingKey::verify`]
/// would say of each, checked at once. `false` means at least one item fails;
/// [`VerifyingKey::verify`] finds which. An empty batch verifies.
///
/// Each signature `(R, s)` on challenge `k` (schnorrkel's transcript over the `substrate`
/// context, the message, the key and `R`) satisfies `R = s·B − k·A`. The batch draws a random
/// 64-bit weight `z` per signature from the operating system and checks
/// `−(Σ z·s)·B + Σ z·R + Σ_A (Σ z·k)·A = 0` with one multiscalar multiplication, the scheme of
/// schnorrkel's `verify_batch` with its deterministic-randomness transcript left out (that
/// transcript was about 6 % of an axon's time). The challenges come from our own STROBE
/// transcript (`crypto::strobe`), which gives merlin's bytes without its byte-at-a-time
/// absorbing and its wiping of every dropped transcript (about 2 % of an axon's time).
/// Signatures by the same key share one term (the batch is ordered by key), so a batch from one
/// caller costs about 40 % less per signature than a batch of distinct keys. If the random
/// weights cannot be drawn, the batch reports `false` and the caller checks one by one.
///
/// # Soundness
///
/// A batch holding any invalid signature passes with probability at most 2⁻⁶⁴ over the weights
/// (for any choice of the others, at most one value of a bad signature's `z` cancels its error
/// in the prime-order group), and the weights are drawn after the signatures are fixed. An
/// attacker therefore needs about 2⁶⁴ requests per expected forgery: over five hundred thousand
/// years at a million requests a second. schnorrkel and ed25519-dalek draw 128-bit weights, a
/// margin sized for offline use too; a verifier that answers requests one by one does not need
/// it, and the shorter weights make verification about 11 % cheaper per signature
/// (`sr25519_batch 64`: 10.0 against 11.2 µs). Lighthouse, an Ethereum consensus client, batches
/// BLS signatures with 64-bit weights on the same argument.
pub fn verify_batch(items: &[(&VerifyingKey, &[u8], &Signature)]) -> bool {
    /// Bytes of randomness per signature's weight.
    const WEIGHT_BYTES: usize = 8;
    use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
    use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
    use curve25519_dalek::scalar::Scalar;
    use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
    use rand_core::RngCore;

    if items.is_empty() {
        return true;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| {
        items[a].0.0.as_compressed().as_bytes().cmp(items[b].0.0.as_compressed().as_bytes())
    });
    let mut weights = vec![0u8; WEIGHT_BYTES * items.len()];
    if rand_core::OsRng.try_fill_bytes(&mut weights).is_err() {
        return false;
    }
    let challenger = challenger();

    // Terms: the base point, one per signature's R, one per distinct key.
    let mut scalars: Vec<Scalar> = Vec::with_capacity(2 * items.len() + 1);
    let mut points: Vec<Option<RistrettoPoint>> = Vec::with_capacity(2 * items.len() + 1);
    let mut key_scalars: Vec<Scalar> = Vec::new();
    let mut key_points: Vec<Option<RistrettoPoint>> = Vec::new();
    let mut last_key: Option<&[u8; 32]> = None;
    let mut base = Scalar::ZERO;
    scalars.push(Scalar::ZERO);
    points.push(Some(RISTRETTO_BASEPOINT_POINT));
    for (n, &i) in order.iter().enumerate() {
        let (key, message, signature) = items[i];
        // schnorrkel's checks: the sr25519 marker bit set, and `s` canonical once it is cleared.
        if signature.0[63] & 0x80 == 0 {
            return false;
        }
        let mut r = [0u8; 32];
        r.copy_from_slice(&signature.0[..32]);
        let mut s_bytes = [0u8; 32];
        s_bytes.copy_from_slice(&signature.0[32..]);
        s_bytes[31] &= 0x7f;
        let Some(s) = Option::<Scalar>::from(Scalar::from_canonical_bytes(s_bytes)) else {
            return false;
        };
        let key_bytes = key.0.as_compressed().as_bytes();
        let k = Scalar::from_bytes_mod_order_wide(&challenger.challenge(message, key_bytes, &r));

        let mut z = [0u8; WEIGHT_BYTES];
        z.copy_from_slice(&weights[WEIGHT_BYTES * n..WEIGHT_BYTES * (n + 1)]);
        let z = Scalar::from(u64::from_le_bytes(z));
        base += z * s;
        scalars.push(z);
        points.push(CompressedRistretto(r).decompress());
        if last_key == Some(key_bytes) {
            if let Some(sum) = key_scalars.last_mut() {
                *sum += z * k;
            }
        } else {
            key_scalars.push(z * k);
            key_points.push(Some(*key.0.as_point()));
            last_key = Some(key_bytes);
        }
    }
    scalars[0] = -base;
    scalars.extend(key_scalars);
    points.extend(key_points);
    RistrettoPoint::optional_multiscalar_mul(scalars, points).is_some_and(|p| p.is_identity())
}

/// The `substrate` signing context's transcript, built once.
fn challenger() -> &'static Challenger {
    static CHALLENGER: std::sync::OnceLock<Challenger> = std::sync::OnceLock::new();
    CHALLENGER.get_or_init(|| Challenger::new(SIGNING_CONTEXT))
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sr25519::VerifyingKey({:?})", Public(self.0.to_bytes()))
    }
}

/// Shows only the public key.
impl fmt::Debug for Pair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("sr25519::Pair").field("public", &self.public()).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn test_signature_from_hex_agrees_with_the_hex_crate() {
        let sig = super::Pair::from_uri("//Alice", None).unwrap().sign(b"m");
        let hex_text = sig.to_hex();
        assert_eq!(super::Signature::from_hex(&hex_text).unwrap(), sig);
        assert_eq!(
            super::Signature::from_hex(&hex_text.to_uppercase().replace("0X", "0x")).unwrap(),
            sig
        );
        assert_eq!(super::Signature::from_hex(&hex_text[2..]).unwrap(), sig);
        for bad in [&hex_text[..hex_text.len() - 1], "0x", "0xzz", &hex_text.replace('a', "g")] {
            // Our message and its cause, as `{:#}` prints them.
            let ours = super::Signature::from_hex(bad).map_err(|e| {
                let cause = std::error::Error::source(&e).map(ToString::to_string);
                format!("{e}: {}", cause.unwrap_or_default())
            });
            let theirs =
                hex::decode_to_slice(bad.strip_prefix("0x").unwrap_or(bad), &mut [0u8; 64])
                    .expect_err("bad hex");
            assert!(ours.expect_err("bad hex").contains(&theirs.to_string()), "{bad}");
        }
    }

    #[test]
    fn test_verifying_key_accepts_exactly_what_public_accepts() {
        let pair = super::Pair::from_uri("//Alice", None).unwrap();
        let key = pair.public().verifying_key().unwrap();
        let sig = pair.sign(b"message");
        assert!(key.verify(b"message", &sig));
        assert!(!key.verify(b"messagE", &sig));
        let mut bad = sig.0;
        bad[3] ^= 1;
        let bad = super::Signature(bad);
        assert_eq!(key.verify(b"message", &bad), pair.public().verify(b"message", &bad));
        assert!(!key.verify(b"message", &super::Signature([0xff; 64])));
    }

    use super::*;
    use crate::mnemonic::DEV_PHRASE;
    use crate::test_vectors::DEV_ACCOUNTS;

    fn public(hex_str: &str) -> Public {
        Public(AccountId32::from_hex(hex_str).expect("vector is hex").to_bytes())
    }

    fn pair(uri: &str) -> Pair {
        Pair::from_uri(uri, None).expect("valid uri")
    }

    #[test]
    fn test_from_uri_matches_dev_accounts() {
        for (uri, public_hex, address) in DEV_ACCOUNTS {
            let pair = pair(uri);
            assert_eq!(pair.public(), public(public_hex), "{uri}");
            assert_eq!(pair.account_id().to_ss58(), *address, "{uri}");
        }
    }

    // sp-core sr25519 tests `derive_hard_known_pair_should_work` / `derive_soft_known_pair_should_work`.
    #[test]
    fn test_from_uri_matches_sp_core_known_pairs() {
        assert_eq!(
            pair(&format!("{DEV_PHRASE}//Alice")).public(),
            public("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
        );
        assert_eq!(
            pair(&format!("{DEV_PHRASE}/Alice")).public(),
            public("d6c71059dbbe9ad2b0ed3f289738b800836eb425544ce694825285b958ca755e")
        );
        assert_eq!(pair("/Alice").public(), pair(&format!("{DEV_PHRASE}/Alice")).public());
    }

    // sp-core crypto.rs DEV_ADDRESS: the dev phrase itself, without a path.
    #[test]
    fn test_from_phrase_dev_phrase_matches_dev_address() {
        let root = Pair::from_phrase(DEV_PHRASE, None).expect("valid");
        assert_eq!(root.account_id().to_ss58(), "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV");
        assert_eq!(root.public(), pair("").public());
    }

    // `subkey inspect //Alice` and `//Bob` print these secret seeds (mini secrets); a hard-only
    // path keeps its seed.
    #[test]
    fn test_hard_derivation_keeps_subkey_secret_seed() {
        assert_eq!(
            hex::encode(pair("//Alice").seed().expect("hard path keeps its seed")),
            "e5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a"
        );
        let bob_seed = pair("//Bob").seed().copied().expect("hard path keeps its seed");
        assert_eq!(
            hex::encode(bob_seed),
            "398f0c28f98885e046333d4a41c19cee4c37368a9832c6502f6cfd182e2aef89"
        );
        assert_eq!(
            Pair::from_seed(&bob_seed).account_id().to_ss58(),
            "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
        );
        assert!(pair("//Alice/soft").seed().is_none());
    }

    // sp-core `sr_test_vector_should_work` and `seeded_pair_should_work`.
    #[test]
    fn test_from_seed_matches_sp_core_vectors() {
        let mut seed = [0u8; 32];
        hex::decode_to_slice(
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            &mut seed,
        )
        .expect("vector is hex");
        assert_eq!(
            Pair::from_seed(&seed).public(),
            public("44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f")
        );
        assert_eq!(
            Pair::from_seed(b"12345678901234567890123456789012").public(),
            public("741c08a06f41c596608f6774259bd9043304adfa5d3eea62760bd9be97634d63")
        );
    }

    // `subkey inspect "caution juice atom organ advance problem want pledge someone senior holiday
    // very"` (subkey docs): public key and generic-substrate address.
    #[test]
    fn test_from_phrase_matches_subkey_inspect_vector() {
        let pair = Pair::from_phrase(
            "caution juice atom organ advance problem want pledge someone senior holiday very",
            None,
        )
        .expect("valid");
        assert_eq!(
            pair.public(),
            public("d6a3105d6768e956e9e5d41050ac29843f98561410d3a47f9dd5b3b227ab8746")
        );
        assert_eq!(pair.account_id().to_ss58(), "5Gv8YYFu8H1btvmrJy9FjjAWfb99wrhV3uhPFoNEr918utyR");
    }

    // bittensor-wallet hotkey measured in `reference/sdk.md` §2.2 (BIP39 test phrase).
    #[test]
    fn test_from_phrase_matches_bittensor_wallet_keyfile() {
        let pair = Pair::from_phrase(
            "legal winner thank year wave sausage worth useful legal winner thank yellow",
            None,
        )
        .expect("valid");
        assert_eq!(pair.account_id().to_ss58(), "5EHgWw2Af1pnoc7f1A8bfmM97W3DAYW8xr82RfhLL9oAabAe");
        let seed = hex::encode(pair.seed().expect("phrase pairs keep their seed"));
        assert!(seed.starts_with("6fa2") && seed.ends_with("9bd2"), "{seed}");
        let public = hex::encode(pair.public().0);
        assert!(public.starts_with("625e") && public.ends_with("b715"), "{public}");
        let private = hex::encode(*pair.to_secret_key_bytes());
        assert!(private.starts_with("ad8a") && private.ends_with("0595"), "{private}");
    }

    #[test]
    fn test_password_changes_the_key() {
        assert_eq!(
            pair("//Alice///password").public(),
            Pair::from_uri("//Alice", Some("password")).expect("ok").public()
        );
        assert_ne!(pair("//Alice///password").public(), pair("//Alice").public());
    }

    // polkadot-js/common util-crypto signature/verify.spec.ts: "hello world" signed by a Kusama
    // (prefix 2) sr25519 account.
    #[test]
    fn test_verify_accepts_known_polkadot_js_signature() {
        let (account, prefix) =
            AccountId32::from_ss58_any_prefix("EK1bFgKm2FsghcttHT7TB7rNyXApFgs9fCbijMGQNyFGBQm")
                .expect("valid");
        assert_eq!(prefix.get(), 2);
        let signature = Signature::from_hex(
            "0xca01419b5a17219f7b78335658cab3b126db523a5df7be4bfc2bef76c2eb3b1dcf4ca86eb877d0a6cf6df12db5995c51d13b00e005d053b892bd09c594434288",
        )
        .expect("valid hex");
        let public = Public::from(account);
        assert!(public.verify(b"hello world", &signature));
        assert!(!public.verify(b"hello world!", &signature));
    }

    // Same file: the message wrapped in <Bytes>…</Bytes>, as polkadot-js extensions sign.
    #[test]
    fn test_verify_accepts_known_wrapped_signature() {
        let account =
            AccountId32::from_ss58_any_prefix("J9nD3s7zssCX7bion1xctAF6xcVexcpy2uwy4jTm9JL8yuK")
                .expect("valid")
                .0;
        let signature = Signature::from_hex(
            "0x84b6afb1c8e54bbcb3f4872baf172580e21310e9387a53742627d6652d121447fa406b82805ed3184fb7bd519175cc9f99f283f97954d95cf966ee164df85489",
        )
        .expect("valid hex");
        assert!(Public::from(account).verify(b"<Bytes>hello world</Bytes>", &signature));
    }

    #[test]
    fn test_sign_verify_round_trips_and_rejects_tampering() {
        let alice = pair("//Alice");
        let message = b"rustensor";
        let signature = alice.sign(message);
        assert!(alice.public().verify(message, &signature));
        assert!(alice.verify(message, &signature));

        let mut tampered = signature;
        tampered.0[0] ^= 1;
        assert!(!alice.public().verify(message, &tampered));
        assert!(!alice.public().verify(b"rustensoR", &signature));
        assert!(!pair("//Bob").public().verify(message, &signature));
    }

    #[test]
    fn test_verify_returns_false_on_garbage_bytes() {
        let signature = pair("//Alice").sign(b"m");
        // Not a Ristretto point.
        assert!(!Public([0xff; 32]).verify(b"m", &signature));
        // Signature without schnorrkel's marker bit.
        let mut unmarked = signature;
        unmarked.0[63] &= 0x7f;
        assert!(!pair("//Alice").public().verify(b"m", &unmarked));
        assert!(!Public::default().verify(b"m", &Signature([0u8; 64])));
    }

    // sp-core `derive_soft_public_should_work` and `derive_hard_public_should_fail`.
    #[test]
    fn test_public_derive_follows_soft_path_and_refuses_hard() {
        let root = Pair::from_seed(&[9u8; 32]);
        let path = [DeriveJunction::soft_index(1), DeriveJunction::soft_name("x")];
        assert_eq!(root.public().derive(&path), Ok(root.derive(&path).public()));
        assert_eq!(
            root.public().derive(&[DeriveJunction::hard_index(1)]),
            Err(Error::HardJunctionOnPublic)
        );
        assert!(matches!(
            Public([0xff; 32]).derive(&path),
            Err(Error::InvalidSr25519Key { what: "public key", .. })
        ));
    }

    #[test]
    fn test_secret_key_bytes_round_trip() {
        let alice = pair("//Alice");
        let restored =
            Pair::from_seed_slice(alice.to_secret_key_bytes().as_ref()).expect("64 bytes");
        assert_eq!(restored.public(), alice.public());
        assert!(restored.seed().is_none());
        let signature = restored.sign(b"m");
        assert!(alice.public().verify(b"m", &signature));
        assert_eq!(
            Pair::from_seed_slice(&[0u8; 31]).unwrap_err(),
            Error::InvalidLength {
                what: "sr25519 seed (or a 64-byte secret key)",
                expected: 32,
                found: 31
            }
        );
        assert!(matches!(
            Pair::from_secret_key_bytes(&[0xff; 64]).unwrap_err(),
            Error::InvalidSr25519Key { what: "secret key", .. }
        ));
    }

    #[test]
    fn test_from_uri_reports_bad_input() {
        assert!(matches!(Pair::from_uri("not a phrase", None), Err(Error::InvalidMnemonic(_))));
        assert!(matches!(Pair::from_uri("//", None), Err(Error::InvalidSecretUri { .. })));
        assert!(matches!(Pair::from_uri("0x1234", None), Err(Error::InvalidLength { .. })));
    }

    #[test]
    fn test_hex_seed_uri_matches_from_seed() {
        let from_uri = pair("0xe5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a");
        assert_eq!(from_uri.public(), pair("//Alice").public());
        let stash =
            pair("0xe5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a//stash");
        assert_eq!(stash.public(), pair("//Alice//stash").public());
    }

    #[test]
    fn test_generate_gives_distinct_working_pairs() {
        let (a, b) = (Pair::generate(), Pair::generate());
        assert_ne!(a.public(), b.public());
        assert!(a.public().verify(b"x", &a.sign(b"x")));
    }

    #[test]
    fn test_signature_scale_is_64_raw_bytes() {
        let signature = Signature([3u8; 64]);
        assert_eq!(signature.encode(), vec![3u8; 64]);
        assert_eq!(Signature::decode(&mut &[3u8; 64][..]), Ok(signature));
        assert_eq!(Public::max_encoded_len(), 32);
    }

    #[test]
    fn test_pair_debug_hides_secret() {
        let shown = format!("{:?}", pair("//Alice"));
        assert!(shown.contains("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"), "{shown}");
        assert!(!shown.contains("e5be9a50"), "{shown}");
    }

    /// Alice's, Bob's and Charlie's dev pairs and their verifying keys.
    fn three_signers() -> (Vec<super::Pair>, Vec<super::VerifyingKey>) {
        let pairs: Vec<super::Pair> = ["//Alice", "//Bob", "//Charlie"]
            .iter()
            .map(|u| super::Pair::from_uri(u, None).unwrap())
            .collect();
        let keys = pairs.iter().map(|p| p.public().verifying_key().unwrap()).collect();
        (pairs, keys)
    }

    #[test]
    fn test_verify_batch_agrees_with_one_by_one() {
        let (pairs, keys) = three_signers();
        let messages: Vec<Vec<u8>> = (0..3).map(|i| format!("message {i}").into_bytes()).collect();
        let sigs: Vec<_> = pairs.iter().zip(&messages).map(|(p, m)| p.sign(m)).collect();
        let items: Vec<_> = (0..3).map(|i| (&keys[i], messages[i].as_slice(), &sigs[i])).collect();
        assert!(super::verify_batch(&items));
        assert!(super::verify_batch(&[]));
        // One wrong message, one signature of another key, or a junk signature fails the batch.
        let mut wrong = items.clone();
        wrong[1].1 = b"tampered";
        assert!(!super::verify_batch(&wrong));
        let mut swapped = items.clone();
        swapped[0].2 = &sigs[1];
        assert!(!super::verify_batch(&swapped));
        let junk = super::Signature([0xff; 64]);
        let mut bad = items.clone();
        bad[2].2 = &junk;
        assert!(!super::verify_batch(&bad));
    }

    #[test]
    fn test_verify_batch_says_what_one_by_one_says_over_random_corruptions() {
        let (pairs, keys) = three_signers();
        // A fixed LCG picks sizes, signers and corruptions, so a failure replays.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |bound: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) as usize) % bound
        };
        let (mut good, mut bad) = (0, 0);
        for round in 0..300 {
            let n = 1 + next(12);
            let signers: Vec<usize> = (0..n).map(|_| next(3)).collect();
            let mut messages: Vec<Vec<u8>> =
                (0..n).map(|i| format!("round {round} request {i}").into_bytes()).collect();
            let mut sigs: Vec<super::Signature> =
                (0..n).map(|i| pairs[signers[i]].sign(&messages[i])).collect();
            let mut claimed: Vec<usize> = signers.clone();
            // Half the rounds corrupt one item: its message, R, s, marker bit, or signer.
            if round % 2 == 1 {
                let i = next(n);
                match next(5) {
                    0 => messages[i].push(b'!'),
                    1 => sigs[i].0[next(32)] ^= 1 << next(8),
                    2 => sigs[i].0[32 + next(31)] ^= 1 << next(8),
                    3 => sigs[i].0[63] &= 0x7f,
                    _ => claimed[i] = (claimed[i] + 1 + next(2)) % 3,
                }
            }
            let items: Vec<_> =
                (0..n).map(|i| (&keys[claimed[i]], messages[i].as_slice(), &sigs[i])).collect();
            let one_by_one = items.iter().all(|(k, m, s)| k.verify(m, s));
            assert_eq!(super::verify_batch(&items), one_by_one, "round {round}");
            if one_by_one { good += 1 } else { bad += 1 }
        }
        assert!(good >= 150 && bad >= 100, "{good} good, {bad} bad batches");
    }

    #[test]
    fn test_verify_batch_with_repeated_keys_in_any_order() {
        let alice = super::Pair::from_uri("//Alice", None).unwrap();
        let bob = super::Pair::from_uri("//Bob", None).unwrap();
        let (a, b) =
            (alice.public().verifying_key().unwrap(), bob.public().verifying_key().unwrap());
        // Interleaved signers, so merging equal keys needs the reordering.
        let signers = [(&alice, &a), (&bob, &b), (&alice, &a), (&alice, &a), (&bob, &b)];
        let messages: Vec<Vec<u8>> = (0..5).map(|i| format!("request {i}").into_bytes()).collect();
        let sigs: Vec<_> = signers.iter().zip(&messages).map(|((p, _), m)| p.sign(m)).collect();
        let items: Vec<_> =
            (0..5).map(|i| (signers[i].1, messages[i].as_slice(), &sigs[i])).collect();
        assert!(super::verify_batch(&items));
        // Two of Alice's signatures swapped between her own messages fail the batch.
        let mut swapped = items.clone();
        swapped[0].2 = &sigs[3];
        swapped[3].2 = &sigs[0];
        assert!(!super::verify_batch(&swapped));
        // Alice's signature presented as Bob's fails, even with Bob elsewhere in the batch.
        let mut claimed = items.clone();
        claimed[2].0 = &b;
        assert!(!super::verify_batch(&claimed));
    }
}
