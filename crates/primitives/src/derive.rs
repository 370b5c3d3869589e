//! Secret URIs and derivation junctions, as sp-core parses them.
//!
//! A secret URI is `PHRASE PATH* [///PASSWORD]` (`reference/sdk.md` §2.4):
//!
//! * `PHRASE` is a BIP39 phrase or `0x` with 64 hex digits (a raw 32-byte seed), made only of
//!   ASCII letters, digits and spaces. Without a phrase (the URI starts with `/`) the public
//!   [`DEV_PHRASE`] is used, so `//Alice` is `DEV_PHRASE//Alice`.
//! * each `//name` is a hard junction and each `/name` a soft one; `name` runs to the next `/`.
//! * `///password` (everything to the end, no newline) is the BIP39 passphrase. It is ignored
//!   for a hex seed, as in sp-core.
//!
//! A junction's 32-byte chain code is the SCALE encoding of its name, a `u64` (8 bytes
//! little-endian) when the name parses as one and otherwise a `String` (compact length, then the
//! bytes), zero-padded to 32 bytes, or hashed with blake2-256 when the encoding is longer.
//!
//! Wire format: chain codes decide which keys a URI names; they match sp-core `DeriveJunction`.

use core::fmt;
use core::str::FromStr;

use parity_scale_codec::Encode;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::hashing::blake2_256;
use crate::mnemonic::{DEV_PHRASE, mini_secret_from_phrase};

/// Bytes of a chain code.
pub const CHAIN_CODE_LEN: usize = 32;

/// One step of a derivation path: a soft (`/`) or hard (`//`) junction with its chain code.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum DeriveJunction {
    /// Soft derivation: the child's public key can be derived from the parent's public key.
    Soft([u8; CHAIN_CODE_LEN]),
    /// Hard derivation: the child's key needs the parent's secret.
    Hard([u8; CHAIN_CODE_LEN]),
}

/// The chain code of a SCALE-encoded junction name: zero-padded, or blake2-256 if over 32 bytes.
fn chain_code(encoded: &[u8]) -> [u8; CHAIN_CODE_LEN] {
    if encoded.len() > CHAIN_CODE_LEN {
        blake2_256(encoded)
    } else {
        let mut cc = [0u8; CHAIN_CODE_LEN];
        cc[..encoded.len()].copy_from_slice(encoded);
        cc
    }
}

impl DeriveJunction {
    /// A soft junction for a numeric index (chain code = index as 8 bytes little-endian).
    pub fn soft_index(index: u64) -> Self {
        Self::Soft(chain_code(&index.encode()))
    }

    /// A hard junction for a numeric index (chain code = index as 8 bytes little-endian).
    pub fn hard_index(index: u64) -> Self {
        Self::Hard(chain_code(&index.encode()))
    }

    /// A soft junction for a name (chain code from the SCALE-encoded string).
    pub fn soft_name(name: &str) -> Self {
        Self::Soft(chain_code(&name.encode()))
    }

    /// A hard junction for a name (chain code from the SCALE-encoded string).
    pub fn hard_name(name: &str) -> Self {
        Self::Hard(chain_code(&name.encode()))
    }

    /// Reads one path element as sp-core does: a leading `/` makes it hard; a name that parses as
    /// a `u64` (Rust's `u64::from_str`, so `+7` and `007` are 7) is an index, anything else a name.
    pub fn parse(element: &str) -> Self {
        let (code, hard) = match element.strip_prefix('/') {
            Some(rest) => (rest, true),
            None => (element, false),
        };
        let cc = match code.parse::<u64>() {
            Ok(index) => chain_code(&index.encode()),
            Err(_) => chain_code(&code.encode()),
        };
        if hard { Self::Hard(cc) } else { Self::Soft(cc) }
    }

    /// The 32-byte chain code.
    pub fn chain_code(&self) -> &[u8; CHAIN_CODE_LEN] {
        match self {
            Self::Soft(cc) | Self::Hard(cc) => cc,
        }
    }

    /// True for a hard (`//`) junction.
    pub fn is_hard(&self) -> bool {
        matches!(self, Self::Hard(_))
    }

    /// True for a soft (`/`) junction.
    pub fn is_soft(&self) -> bool {
        matches!(self, Self::Soft(_))
    }
}

/// Parses a derivation path made only of junctions (`//hard/soft`); empty is the empty path.
///
/// # Errors
///
/// [`Error::InvalidSecretUri`] when the path does not start with `/`, has an empty junction, or
/// contains `///`.
pub fn parse_path(path: &str) -> Result<Vec<DeriveJunction>> {
    let uri = SecretUri::parse(path)?;
    if uri.password.is_some() {
        return Err(Error::InvalidSecretUri {
            position: 0,
            reason: "a derivation path cannot hold a password",
        });
    }
    if !uri.phrase_given {
        return Ok(uri.junctions);
    }
    Err(Error::InvalidSecretUri { position: 0, reason: "a derivation path must start with '/'" })
}

/// A parsed secret URI: phrase or hex seed, derivation junctions and optional password.
///
/// `Debug` redacts the phrase and password.
#[derive(Clone)]
pub struct SecretUri {
    phrase: Zeroizing<String>,
    phrase_given: bool,
    password: Option<Zeroizing<String>>,
    junctions: Vec<DeriveJunction>,
}

impl SecretUri {
    /// Parses a secret URI with sp-core's grammar (see the module documentation).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSecretUri`] with the byte position of an empty junction or of a character
    /// that may not appear there (e.g. `.` in the phrase, or a newline in the password).
    pub fn parse(uri: &str) -> Result<Self> {
        let position = |rest: &str| uri.len() - rest.len();

        let phrase_end =
            uri.find(|c: char| !(c.is_ascii_alphanumeric() || c == ' ')).unwrap_or(uri.len());
        let (phrase, mut rest) = uri.split_at(phrase_end);

        let mut junctions = Vec::new();
        let mut password: Option<Zeroizing<String>> = None;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("///") {
                let end = after.find('\n').unwrap_or(after.len());
                password = Some(Zeroizing::new(after[..end].to_owned()));
                rest = &after[end..];
            } else if let Some(after) = rest.strip_prefix("//") {
                let end = after.find('/').unwrap_or(after.len());
                if end == 0 {
                    return Err(Error::InvalidSecretUri {
                        position: position(rest),
                        reason: "empty hard junction",
                    });
                }
                junctions
                    .push(DeriveJunction::Hard(*DeriveJunction::parse(&after[..end]).chain_code()));
                rest = &after[end..];
            } else if let Some(after) = rest.strip_prefix('/') {
                let end = after.find('/').unwrap_or(after.len());
                if end == 0 {
                    return Err(Error::InvalidSecretUri {
                        position: position(rest),
                        reason: "empty soft junction",
                    });
                }
                junctions.push(DeriveJunction::parse(&after[..end]));
                rest = &after[end..];
            } else {
                let reason = if password.is_some() {
                    "newline in password"
                } else {
                    "the phrase may hold only ascii letters, digits and spaces"
                };
                return Err(Error::InvalidSecretUri { position: position(rest), reason });
            }
        }

        let phrase_given = !phrase.is_empty();
        let phrase = Zeroizing::new(if phrase_given { phrase } else { DEV_PHRASE }.to_owned());
        Ok(Self { phrase, phrase_given, password, junctions })
    }

    /// The phrase or `0x` hex seed; [`DEV_PHRASE`] when the URI started with `/`.
    pub fn phrase(&self) -> &str {
        &self.phrase
    }

    /// The password after `///`, if any.
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref().map(String::as_str)
    }

    /// The derivation junctions in order.
    pub fn junctions(&self) -> &[DeriveJunction] {
        &self.junctions
    }

    /// The 32-byte root seed: the hex seed itself, or the mini secret of the phrase with the
    /// password (`password_override` wins over the URI's own password).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidHex`] or [`Error::InvalidLength`] for a bad hex seed,
    /// [`Error::InvalidMnemonic`] for a bad phrase.
    pub fn root_seed(&self, password_override: Option<&str>) -> Result<Zeroizing<[u8; 32]>> {
        if let Some(digits) = self.phrase.strip_prefix("0x") {
            let bytes = Zeroizing::new(
                hex::decode(digits)
                    .map_err(|source| Error::InvalidHex { what: "secret seed", source })?,
            );
            let mut seed = Zeroizing::new([0u8; 32]);
            if bytes.len() != seed.len() {
                return Err(Error::InvalidLength {
                    what: "secret seed",
                    expected: 32,
                    found: bytes.len(),
                });
            }
            seed.copy_from_slice(&bytes);
            return Ok(seed);
        }
        let password = password_override.or(self.password());
        mini_secret_from_phrase(&self.phrase, password)
    }
}

impl FromStr for SecretUri {
    type Err = Error;

    fn from_str(uri: &str) -> Result<Self> {
        Self::parse(uri)
    }
}

impl fmt::Debug for SecretUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretUri")
            .field("phrase", &"<redacted>")
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("junctions", &self.junctions)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase_of(uri: &str) -> String {
        SecretUri::parse(uri).expect("valid uri").phrase().to_owned()
    }

    #[test]
    fn test_junction_numeric_encodes_u64_le() {
        let mut expected = [0u8; 32];
        expected[0] = 1;
        assert_eq!(DeriveJunction::parse("1"), DeriveJunction::Soft(expected));
        assert_eq!(DeriveJunction::parse("/1"), DeriveJunction::Hard(expected));
        assert_eq!(DeriveJunction::soft_index(1), DeriveJunction::Soft(expected));
        assert_eq!(DeriveJunction::hard_index(1), DeriveJunction::Hard(expected));
    }

    #[test]
    fn test_junction_name_encodes_scale_string() {
        // "Alice" -> compact(5) = 0x14, then the bytes, zero-padded.
        let mut expected = [0u8; 32];
        expected[0] = 0x14;
        expected[1..6].copy_from_slice(b"Alice");
        assert_eq!(DeriveJunction::parse("/Alice"), DeriveJunction::Hard(expected));
        assert_eq!(DeriveJunction::hard_name("Alice"), DeriveJunction::Hard(expected));
    }

    #[test]
    fn test_junction_long_name_is_hashed() {
        let name = "0123456789012345678901234567890123456789";
        let encoded = name.encode();
        assert!(encoded.len() > 32);
        assert_eq!(DeriveJunction::parse(name), DeriveJunction::Soft(blake2_256(&encoded)));
        // A 31-byte name encodes to exactly 32 bytes and is not hashed.
        let name31 = "a".repeat(31);
        assert_eq!(DeriveJunction::soft_name(&name31).chain_code()[1..], *name31.as_bytes());
    }

    // The cases of sp-core crypto.rs `interpret_std_secret_string_should_work`.
    #[test]
    fn test_secret_uri_parses_sp_core_cases() {
        let cases: &[(&str, Option<&str>, Vec<DeriveJunction>)] = &[
            ("hello world", None, vec![]),
            ("hello world/1", None, vec![DeriveJunction::soft_index(1)]),
            ("hello world/DOT", None, vec![DeriveJunction::soft_name("DOT")]),
            ("hello world//1", None, vec![DeriveJunction::hard_index(1)]),
            ("hello world//DOT", None, vec![DeriveJunction::hard_name("DOT")]),
            (
                "hello world//1/DOT",
                None,
                vec![DeriveJunction::hard_index(1), DeriveJunction::soft_name("DOT")],
            ),
            (
                "hello world//DOT/1",
                None,
                vec![DeriveJunction::hard_name("DOT"), DeriveJunction::soft_index(1)],
            ),
            ("hello world///password", Some("password"), vec![]),
            (
                "hello world//1/DOT///password",
                Some("password"),
                vec![DeriveJunction::hard_index(1), DeriveJunction::soft_name("DOT")],
            ),
            (
                "hello world/1//DOT///password",
                Some("password"),
                vec![DeriveJunction::soft_index(1), DeriveJunction::hard_name("DOT")],
            ),
        ];
        for (input, password, junctions) in cases {
            let uri = SecretUri::parse(input).expect("valid uri");
            assert_eq!(uri.phrase(), "hello world", "{input}");
            assert_eq!(uri.password(), *password, "{input}");
            assert_eq!(uri.junctions(), &junctions[..], "{input}");
        }
    }

    // The cases of sp-core address_uri.rs tests.
    #[test]
    fn test_secret_uri_matches_address_uri_grammar() {
        let uri = SecretUri::parse("///").expect("valid");
        assert_eq!((uri.password(), uri.junctions().len()), (Some(""), 0));
        let uri = SecretUri::parse("////////").expect("valid");
        assert_eq!(uri.password(), Some("/////"));
        let uri = SecretUri::parse("sdasd/xx//a/b//c///pass").expect("valid");
        assert_eq!(uri.password(), Some("pass"));
        assert_eq!(
            uri.junctions(),
            &[
                DeriveJunction::soft_name("xx"),
                DeriveJunction::hard_name("a"),
                DeriveJunction::soft_name("b"),
                DeriveJunction::hard_name("c")
            ]
        );
        let uri = SecretUri::parse("sdasd//asd.a").expect("junction names may hold dots");
        assert_eq!(uri.junctions(), &[DeriveJunction::hard_name("asd.a")]);

        assert_eq!(
            SecretUri::parse("sdasd//").unwrap_err(),
            Error::InvalidSecretUri { position: 5, reason: "empty hard junction" }
        );
        assert_eq!(
            SecretUri::parse("sdasd/xx//").unwrap_err(),
            Error::InvalidSecretUri { position: 8, reason: "empty hard junction" }
        );
        assert_eq!(
            SecretUri::parse("sdasd/").unwrap_err(),
            Error::InvalidSecretUri { position: 5, reason: "empty soft junction" }
        );
        assert!(matches!(
            SecretUri::parse("sd.asd").unwrap_err(),
            Error::InvalidSecretUri { position: 2, .. }
        ));
        assert!(matches!(
            SecretUri::parse("sd.asd//asd.a").unwrap_err(),
            Error::InvalidSecretUri { position: 2, .. }
        ));
        assert_eq!(
            SecretUri::parse("///a\n").unwrap_err(),
            Error::InvalidSecretUri { position: 4, reason: "newline in password" }
        );
    }

    #[test]
    fn test_secret_uri_defaults_to_dev_phrase() {
        assert_eq!(phrase_of("//Alice"), DEV_PHRASE);
        assert_eq!(phrase_of(""), DEV_PHRASE);
        assert_eq!(phrase_of("/Alice///pw"), DEV_PHRASE);
        assert_eq!(phrase_of("0x00ff"), "0x00ff");
    }

    #[test]
    fn test_secret_uri_debug_redacts_secrets() {
        let uri = SecretUri::parse("bottom drive obey//Alice///hunter2").expect("valid");
        let shown = format!("{uri:?}");
        assert!(!shown.contains("bottom") && !shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn test_root_seed_reads_hex_seed_and_rejects_bad_hex() {
        let uri = SecretUri::parse(
            "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60//x",
        )
        .expect("valid");
        assert_eq!(
            hex::encode(*uri.root_seed(None).expect("32 bytes")),
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
        );
        let short = SecretUri::parse("0x0102").expect("valid syntax");
        assert_eq!(
            short.root_seed(None).unwrap_err(),
            Error::InvalidLength { what: "secret seed", expected: 32, found: 2 }
        );
        let bad = SecretUri::parse("0xzz").expect("valid syntax");
        assert!(matches!(
            bad.root_seed(None).unwrap_err(),
            Error::InvalidHex { what: "secret seed", .. }
        ));
    }

    #[test]
    fn test_root_seed_password_override_wins() {
        let with_pw = SecretUri::parse("//Alice///a").expect("valid");
        let other = SecretUri::parse("//Alice///b").expect("valid");
        assert_eq!(*with_pw.root_seed(Some("b")).expect("ok"), *other.root_seed(None).expect("ok"));
        assert_ne!(*with_pw.root_seed(None).expect("ok"), *other.root_seed(None).expect("ok"));
    }

    #[test]
    fn test_parse_path_accepts_only_junctions() {
        assert_eq!(
            parse_path("//Alice/0").expect("valid"),
            vec![DeriveJunction::hard_name("Alice"), DeriveJunction::soft_index(0)]
        );
        assert_eq!(parse_path("").expect("empty path"), vec![]);
        assert!(parse_path("word//Alice").is_err());
        assert!(parse_path("//Alice///pw").is_err());
    }
}
