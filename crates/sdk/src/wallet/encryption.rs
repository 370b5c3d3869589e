//! Coldkey encryption as bittensor-wallet 4.x does it, and detection of the older formats.
//!
//! Wire format (`reference/sdk.md` §2.3; constants as in `opentensor/btwallet` `src/keyfile.rs`,
//! which calls libsodium's `crypto_pwhash_argon2i` and `crypto_secretbox`):
//!
//! ```text
//! file = "$NACL" ++ nonce (24 random bytes) ++ tag (16 bytes) ++ XSalsa20(plaintext)
//! key  = Argon2i v1.3 (password, salt = NACL_SALT, t = 8, m = 512 MiB, p = 1, 32 bytes)
//! ```
//!
//! Changing any constant here makes our coldkeys unreadable by the Python SDK and theirs by us.
//! The fixed salt means two wallets with one password share a key; we keep it to stay
//! compatible.

use argon2::{Algorithm, Argon2, Params, Version};
use crypto_secretbox::aead::{Aead, KeyInit};
use crypto_secretbox::{Nonce, XSalsa20Poly1305};
use rand_core::{OsRng, RngCore};
use zeroize::Zeroizing;

/// The header of a NaCl-encrypted keyfile.
pub const NACL_HEADER: &[u8; 5] = b"$NACL";

/// The header of an Ansible Vault keyfile (bittensor before the NaCl format).
pub const ANSIBLE_VAULT_HEADER: &[u8] = b"$ANSIBLE_VAULT";

/// The prefix of a Fernet token, the oldest bittensor keyfile encryption.
pub const LEGACY_FERNET_HEADER: &[u8] = b"gAAAAA";

/// bittensor-wallet's fixed Argon2i salt (`NACL_SALT`), the same for every wallet.
pub const NACL_SALT: [u8; 16] = [
    0x13, 0x71, 0x83, 0xdf, 0xf1, 0x5a, 0x09, 0xbc, 0x9c, 0x90, 0xb5, 0x51, 0x87, 0x39, 0xe9, 0xb1,
];

/// Argon2i passes: libsodium's `crypto_pwhash_argon2i_OPSLIMIT_SENSITIVE`.
pub const ARGON2_OPSLIMIT: u32 = 8;

/// Argon2i memory in bytes: libsodium's `crypto_pwhash_argon2i_MEMLIMIT_SENSITIVE` (512 MiB).
pub const ARGON2_MEMLIMIT_BYTES: u32 = 536_870_912;

/// Argon2i lanes: libsodium always uses one.
pub const ARGON2_PARALLELISM: u32 = 1;

/// Length of the XSalsa20 nonce that follows the header.
pub const NONCE_LEN: usize = 24;

/// Length of the Poly1305 tag that precedes the ciphertext.
pub const TAG_LEN: usize = 16;

/// How a keyfile's bytes are encrypted, judged by their first bytes as bittensor-wallet does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Not encrypted: keyfile JSON as is.
    Plain,
    /// `$NACL`: secretbox with an Argon2i key, the current format.
    Nacl,
    /// `$ANSIBLE_VAULT`: Ansible Vault AES256, older bittensor; not supported.
    AnsibleVault,
    /// `gAAAAA`: Fernet with a PBKDF2 key, the oldest format; not supported.
    LegacyFernet,
}

impl Format {
    /// The format of keyfile bytes.
    pub fn detect(data: &[u8]) -> Self {
        if data.starts_with(NACL_HEADER) {
            Self::Nacl
        } else if data.starts_with(ANSIBLE_VAULT_HEADER) {
            Self::AnsibleVault
        } else if data.starts_with(LEGACY_FERNET_HEADER) {
            Self::LegacyFernet
        } else {
            Self::Plain
        }
    }

    /// Whether the bytes are encrypted in any format.
    pub fn is_encrypted(self) -> bool {
        self != Self::Plain
    }

    /// A short name: `plain`, `nacl`, `ansible-vault`, `legacy-fernet`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Plain => "plain",
            Self::Nacl => "nacl",
            Self::AnsibleVault => "ansible-vault",
            Self::LegacyFernet => "legacy-fernet",
        }
    }
}

/// Why [`decrypt`] failed; the keyfile layer adds the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecryptError {
    /// The data is not in the NaCl format (see [`Format::detect`]).
    #[error("not in the $NACL format ({})", .0.name())]
    NotNacl(Format),
    /// Too short to hold a nonce and a tag.
    #[error("truncated: {0} bytes, need at least {min}", min = NACL_HEADER.len() + NONCE_LEN + TAG_LEN)]
    Truncated(usize),
    /// The tag does not verify: a wrong password or altered bytes.
    #[error("wrong password or altered data")]
    Authentication,
}

/// The 32-byte secretbox key of a password (Argon2i with bittensor-wallet's parameters).
///
/// Takes several seconds and 512 MiB of memory, by design.
fn derive_key(password: &[u8]) -> Zeroizing<[u8; 32]> {
    let params =
        Params::new(ARGON2_MEMLIMIT_BYTES / 1024, ARGON2_OPSLIMIT, ARGON2_PARALLELISM, Some(32))
            .expect("the constant Argon2 parameters are within the crate's limits");
    let argon = Argon2::new(Algorithm::Argon2i, Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password, &NACL_SALT, key.as_mut())
        .expect("a 16-byte salt and a 32-byte output are within Argon2's limits");
    key
}

/// Encrypts keyfile bytes with a password into the `$NACL` format, with a random nonce.
pub fn encrypt(plaintext: &[u8], password: &str) -> Vec<u8> {
    let key = derive_key(password.as_bytes());
    let cipher = XSalsa20Poly1305::new(key.as_ref().into());
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(Nonce::from_slice(&nonce), plaintext)
        .expect("secretbox encryption into a Vec cannot fail");
    let mut out = Vec::with_capacity(NACL_HEADER.len() + NONCE_LEN + sealed.len());
    out.extend_from_slice(NACL_HEADER);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    out
}

/// Decrypts `$NACL` keyfile bytes with a password.
///
/// # Errors
///
/// [`DecryptError::NotNacl`] for any other format, [`DecryptError::Truncated`] for data too
/// short to be a secretbox, [`DecryptError::Authentication`] for a wrong password or altered
/// bytes.
pub fn decrypt(data: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, DecryptError> {
    let format = Format::detect(data);
    if format != Format::Nacl {
        return Err(DecryptError::NotNacl(format));
    }
    let body = &data[NACL_HEADER.len()..];
    if body.len() < NONCE_LEN + TAG_LEN {
        return Err(DecryptError::Truncated(data.len()));
    }
    let (nonce, sealed) = body.split_at(NONCE_LEN);
    let key = derive_key(password.as_bytes());
    let cipher = XSalsa20Poly1305::new(key.as_ref().into());
    cipher
        .decrypt(Nonce::from_slice(nonce), sealed)
        .map(Zeroizing::new)
        .map_err(|_| DecryptError::Authentication)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_encrypt_round_trips_and_rejects_wrong_password() {
        let plain = br#"{"ss58Address":"5x"}"#;
        let sealed = encrypt(plain, "correct horse");
        assert!(sealed.starts_with(b"$NACL"));
        assert_eq!(sealed.len(), 5 + NONCE_LEN + TAG_LEN + plain.len());
        assert_eq!(&decrypt(&sealed, "correct horse").expect("right password")[..], plain);
        assert_eq!(decrypt(&sealed, "wrong horse").unwrap_err(), DecryptError::Authentication);
        // Any flipped bit fails authentication.
        let mut altered = sealed;
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert_eq!(decrypt(&altered, "correct horse").unwrap_err(), DecryptError::Authentication);
    }

    #[test]
    fn test_decrypt_rejects_truncated_and_foreign_data() {
        assert_eq!(decrypt(b"$NACLshort", "pw").unwrap_err(), DecryptError::Truncated(10));
        assert_eq!(
            decrypt(b"$ANSIBLE_VAULT;1.1;AES256\n6162", "pw").unwrap_err(),
            DecryptError::NotNacl(Format::AnsibleVault)
        );
        assert_eq!(decrypt(b"{\"a\":1}", "pw").unwrap_err(), DecryptError::NotNacl(Format::Plain));
    }

    #[test]
    fn test_format_detect_names_every_format() {
        assert_eq!(Format::detect(b"$NACL\0\0"), Format::Nacl);
        assert_eq!(Format::detect(b"$ANSIBLE_VAULT;1.1;AES256"), Format::AnsibleVault);
        assert_eq!(Format::detect(b"gAAAAABkxyz"), Format::LegacyFernet);
        assert_eq!(Format::detect(b"{}"), Format::Plain);
        assert!(!Format::Plain.is_encrypted());
        assert!(Format::LegacyFernet.is_encrypted());
    }
}
