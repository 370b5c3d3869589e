//! Keyfile JSON and keyfiles on disk.
//!
//! Wire format (`reference/sdk.md` §2.2): one JSON object with the camelCase keys of
//! bittensor-wallet 4.1 (`accountId`, `publicKey`, `privateKey`, `secretPhrase`, `secretSeed`,
//! `ss58Address`, `cryptoType`). Hex values carry `0x`; `privateKey` is the 64-byte schnorrkel
//! secret key (scalar ++ nonce), `secretSeed` the 32-byte mini secret. Readers must not depend
//! on key order. A key is rebuilt from `secretPhrase`, else `secretSeed`, else `privateKey`,
//! as bittensor-wallet does.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rustensor_primitives::AccountId32;
use rustensor_primitives::crypto::sr25519::Pair;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::encryption::{self, DecryptError, Format};
use super::error::{Error, Result};
use super::password::PasswordSource;

/// `cryptoType` of an sr25519 key, as bittensor-wallet 4.1 writes it.
pub const CRYPTO_TYPE_SR25519: u8 = 1;

/// The JSON content of a keyfile; every field is optional on input.
///
/// `Debug` prints only the address.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyfileData {
    /// `0x` + public key hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// `0x` + public key hex (the same as `accountId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    /// `0x` + 64-byte sr25519 secret key hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
    /// The BIP39 mnemonic, when the key came from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_phrase: Option<String>,
    /// `0x` + 32-byte mini secret hex, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_seed: Option<String>,
    /// SS58 address, prefix 42.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ss58_address: Option<String>,
    /// `1` for sr25519 (`0` would be ed25519, which rustensor wallets do not use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crypto_type: Option<u8>,
}

impl std::fmt::Debug for KeyfileData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyfileData")
            .field("ss58Address", &self.ss58_address)
            .finish_non_exhaustive()
    }
}

impl KeyfileData {
    /// The full keyfile of a key pair, with its mnemonic when it came from one.
    pub fn from_pair(pair: &Pair, phrase: Option<&str>) -> Self {
        let public = format!("0x{}", hex::encode(pair.public().0));
        Self {
            account_id: Some(public.clone()),
            public_key: Some(public),
            private_key: Some(format!("0x{}", hex::encode(*pair.to_secret_key_bytes()))),
            secret_phrase: phrase.map(str::to_owned),
            secret_seed: pair.seed().map(|s| format!("0x{}", hex::encode(s))),
            ss58_address: Some(pair.account_id().to_ss58()),
            crypto_type: Some(CRYPTO_TYPE_SR25519),
        }
    }

    /// The public-only keyfile of an account (`coldkeypub.txt`, `<hotkey>pub.txt`).
    pub fn public_only(account: &AccountId32) -> Self {
        Self {
            account_id: Some(account.to_hex()),
            public_key: Some(account.to_hex()),
            ss58_address: Some(account.to_ss58()),
            crypto_type: Some(CRYPTO_TYPE_SR25519),
            ..Self::default()
        }
    }

    /// Parses keyfile JSON.
    ///
    /// # Errors
    ///
    /// A description of the problem when the bytes are not a keyfile JSON object.
    pub fn from_json(bytes: &[u8]) -> core::result::Result<Self, String> {
        serde_json::from_slice(bytes).map_err(|e| format!("not keyfile JSON ({e})"))
    }

    /// Serializes to one line of JSON.
    pub fn to_json(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(serde_json::to_vec(self).expect("a struct of strings always serializes"))
    }

    /// Whether the file holds a secret (phrase, seed or private key).
    pub fn has_secret(&self) -> bool {
        self.secret_phrase.is_some() || self.secret_seed.is_some() || self.private_key.is_some()
    }

    /// The key pair, from `secretPhrase`, else `secretSeed`, else `privateKey`; `None` for a
    /// public-only file.
    ///
    /// # Errors
    ///
    /// A description of the problem for malformed key material.
    pub fn to_pair(&self) -> core::result::Result<Option<Pair>, String> {
        if let Some(phrase) = &self.secret_phrase {
            return Pair::from_phrase(phrase, None)
                .map(Some)
                .map_err(|e| format!("secretPhrase: {e}"));
        }
        if let Some(seed) = &self.secret_seed {
            let bytes = decode_hex(seed).map_err(|e| format!("secretSeed: {e}"))?;
            return Pair::from_seed_slice(&bytes).map(Some).map_err(|e| format!("secretSeed: {e}"));
        }
        if let Some(key) = &self.private_key {
            let bytes = decode_hex(key).map_err(|e| format!("privateKey: {e}"))?;
            return Pair::from_secret_key_bytes(&bytes)
                .map(Some)
                .map_err(|e| format!("privateKey: {e}"));
        }
        Ok(None)
    }

    /// The account: from the secret when there is one, else from `publicKey`/`accountId`,
    /// else from `ss58Address`. Checks that the fields present agree.
    ///
    /// # Errors
    ///
    /// A description of the problem for malformed or disagreeing fields, or no key at all.
    pub fn account(&self) -> core::result::Result<AccountId32, String> {
        let mut found: Option<(AccountId32, &'static str)> = None;
        let mut check = |acc: AccountId32, field: &'static str| match found {
            Some((prev, prev_field)) if prev != acc => {
                Err(format!("{field} does not match {prev_field}"))
            }
            Some(_) => Ok(()),
            None => {
                found = Some((acc, field));
                Ok(())
            }
        };
        if let Some(pair) = self.to_pair()? {
            check(pair.account_id(), "the secret key")?;
        }
        for (field, value) in [("publicKey", &self.public_key), ("accountId", &self.account_id)] {
            if let Some(v) = value {
                let acc = AccountId32::from_hex(v)
                    .map_err(|e| format!("{field}: {}", crate::error_text(&e)))?;
                check(acc, field)?;
            }
        }
        if let Some(v) = &self.ss58_address {
            let acc = AccountId32::from_ss58_any_prefix(v)
                .map_err(|e| format!("ss58Address: {}", crate::error_text(&e)))?
                .0;
            check(acc, "ss58Address")?;
        }
        found.map(|(acc, _)| acc).ok_or_else(|| "no key in the file".to_owned())
    }
}

/// Decodes hex with or without `0x`, keeping the bytes zeroized on drop.
fn decode_hex(s: &str) -> core::result::Result<Zeroizing<Vec<u8>>, String> {
    let s = s.strip_prefix("0x").unwrap_or(s);
    hex::decode(s).map(Zeroizing::new).map_err(|e| format!("bad hex ({e})"))
}

/// A keyfile on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyfile {
    path: PathBuf,
}

impl Keyfile {
    /// The keyfile at `path` (which need not exist).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file exists.
    pub fn exists(&self) -> bool {
        self.path.is_file()
    }

    /// The raw bytes.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read.
    pub fn read_bytes(&self) -> Result<Vec<u8>> {
        fs::read(&self.path).map_err(|source| Error::Io {
            action: "read",
            path: self.path.clone(),
            source,
        })
    }

    /// The encryption format of the file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read.
    pub fn format(&self) -> Result<Format> {
        Ok(Format::detect(&self.read_bytes()?))
    }

    /// Fails with [`Error::InsecurePermissions`] if group or others have any access.
    ///
    /// # Errors
    ///
    /// As above, or [`Error::Io`] when the file's metadata cannot be read.
    pub fn check_permissions(&self) -> Result<()> {
        let meta = fs::metadata(&self.path).map_err(|source| Error::Io {
            action: "read",
            path: self.path.clone(),
            source,
        })?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(Error::InsecurePermissions { path: self.path.clone(), mode });
        }
        Ok(())
    }

    /// Reads and, if encrypted, decrypts the keyfile JSON. Asks `password` only for an
    /// encrypted file. When `secret` is true (the file must hold a key), the file's permissions
    /// are checked first.
    ///
    /// # Errors
    ///
    /// [`Error::Io`], [`Error::InsecurePermissions`], [`Error::LegacyFormat`] for Ansible Vault and
    /// Fernet files, [`Error::WrongPassword`], [`Error::Corrupt`] for anything unparsable, and
    /// whatever the password source returns.
    pub fn read(&self, password: &PasswordSource, secret: bool) -> Result<KeyfileData> {
        if secret {
            self.check_permissions()?;
        }
        let bytes = self.read_bytes()?;
        let plain = match Format::detect(&bytes) {
            Format::Plain => Zeroizing::new(bytes),
            Format::Nacl => {
                let pw = password.get(&self.path)?;
                encryption::decrypt(&bytes, &pw).map_err(|e| match e {
                    DecryptError::Authentication => {
                        Error::WrongPassword { path: self.path.clone() }
                    }
                    other => Error::Corrupt { path: self.path.clone(), reason: other.to_string() },
                })?
            }
            Format::AnsibleVault => {
                return Err(Error::LegacyFormat {
                    path: self.path.clone(),
                    format: "ansible-vault",
                });
            }
            Format::LegacyFernet => {
                return Err(Error::LegacyFormat { path: self.path.clone(), format: "fernet" });
            }
        };
        KeyfileData::from_json(&plain)
            .map_err(|reason| Error::Corrupt { path: self.path.clone(), reason })
    }

    /// The key pair in the file.
    ///
    /// # Errors
    ///
    /// As [`Keyfile::read`]; [`Error::PublicOnly`] for a file without a secret;
    /// [`Error::Corrupt`] for bad key material.
    pub fn pair(&self, password: &PasswordSource) -> Result<Pair> {
        let data = self.read(password, true)?;
        // `account` also checks that the public fields agree with the secret.
        data.account().map_err(|reason| Error::Corrupt { path: self.path.clone(), reason })?;
        data.to_pair()
            .map_err(|reason| Error::Corrupt { path: self.path.clone(), reason })?
            .ok_or_else(|| Error::PublicOnly { path: self.path.clone() })
    }

    /// The account in a file that is not encrypted (public files and plain hotkeys).
    ///
    /// # Errors
    ///
    /// As [`Keyfile::read`] with no password (an encrypted file gives [`Error::NoPassword`]);
    /// [`Error::Corrupt`] for bad or disagreeing fields.
    pub fn account(&self) -> Result<AccountId32> {
        let data = self.read(&PasswordSource::None, false)?;
        data.account().map_err(|reason| Error::Corrupt { path: self.path.clone(), reason })
    }

    /// Writes keyfile JSON, encrypted when a password is given, creating the parent folder
    /// (mode 0700) if needed. The file is written to a temporary file of mode 0600 and renamed
    /// into place, so a crash leaves either the old or the new file.
    ///
    /// # Errors
    ///
    /// [`Error::AlreadyExists`] when the file exists and `overwrite` is false; [`Error::Io`].
    pub fn write(&self, data: &KeyfileData, password: Option<&str>, overwrite: bool) -> Result<()> {
        if self.path.exists() && !overwrite {
            return Err(Error::AlreadyExists { path: self.path.clone() });
        }
        let json = data.to_json();
        let bytes = match password {
            Some(pw) => Zeroizing::new(encryption::encrypt(&json, pw)),
            None => json,
        };
        self.write_bytes(&bytes)
    }

    fn write_bytes(&self, bytes: &[u8]) -> Result<()> {
        fn io<'a>(
            action: &'static str,
            path: &'a Path,
        ) -> impl FnOnce(std::io::Error) -> Error + 'a {
            move |source| Error::Io { action, path: path.to_owned(), source }
        }
        if let Some(dir) = self.path.parent() {
            create_private_dir(dir)?;
        }
        let file_name =
            self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = self.path.with_file_name(format!(".{file_name}.tmp{}", std::process::id()));
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(io("create", &tmp))?;
        // `mode` is masked by the umask only towards fewer rights; set it exactly anyway.
        file.set_permissions(fs::Permissions::from_mode(0o600)).map_err(io("chmod", &tmp))?;
        file.write_all(bytes).map_err(io("write", &tmp))?;
        file.sync_all().map_err(io("write", &tmp))?;
        drop(file);
        fs::rename(&tmp, &self.path).map_err(io("write", &self.path))
    }
}

/// Creates a folder and its missing parents with mode 0700.
pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(|source| Error::Io {
        action: "create directory",
        path: dir.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHRASE: &str =
        "legal winner thank year wave sausage worth useful legal winner thank yellow";

    #[test]
    fn test_keyfile_data_matches_measured_bittensor_hotkey() {
        // sdk.md §2.2: bittensor-wallet's keyfile for the BIP39 test phrase.
        let pair = Pair::from_phrase(PHRASE, None).expect("valid phrase");
        let data = KeyfileData::from_pair(&pair, Some(PHRASE));
        assert_eq!(
            data.ss58_address.as_deref(),
            Some("5EHgWw2Af1pnoc7f1A8bfmM97W3DAYW8xr82RfhLL9oAabAe")
        );
        assert!(
            data.secret_seed
                .as_deref()
                .is_some_and(|s| s.starts_with("0x6fa2") && s.ends_with("9bd2"))
        );
        assert!(
            data.account_id
                .as_deref()
                .is_some_and(|s| s.starts_with("0x625e") && s.ends_with("b715"))
        );
        assert!(
            data.private_key.as_deref().is_some_and(|s| s.starts_with("0xad8a") && s.len() == 130)
        );
        let json: serde_json::Value = serde_json::from_slice(&data.to_json()).expect("json");
        let mut keys: Vec<_> = json.as_object().expect("object").keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "accountId",
                "cryptoType",
                "privateKey",
                "publicKey",
                "secretPhrase",
                "secretSeed",
                "ss58Address"
            ]
        );
        assert_eq!(json["cryptoType"], 1);
    }

    #[test]
    fn test_keyfile_data_json_round_trips() {
        let pair = Pair::from_phrase(PHRASE, None).expect("valid phrase");
        let data = KeyfileData::from_pair(&pair, Some(PHRASE));
        let back = KeyfileData::from_json(&data.to_json()).expect("parses");
        assert_eq!(back, data);
        let again = back.to_pair().expect("valid").expect("has secret");
        assert_eq!(again.account_id(), pair.account_id());
        assert_eq!(back.account().expect("consistent"), pair.account_id());
    }

    #[test]
    fn test_keyfile_data_loads_from_seed_or_private_key_alone() {
        let pair = Pair::from_phrase(PHRASE, None).expect("valid phrase");
        let full = KeyfileData::from_pair(&pair, Some(PHRASE));
        let seed_only =
            KeyfileData { secret_seed: full.secret_seed.clone(), ..KeyfileData::default() };
        let key_only = KeyfileData { private_key: full.private_key, ..KeyfileData::default() };
        for data in [seed_only, key_only] {
            let got = data.to_pair().expect("valid").expect("secret");
            assert_eq!(got.account_id(), pair.account_id());
        }
        let public = KeyfileData::public_only(&pair.account_id());
        assert!(!public.has_secret());
        assert!(public.to_pair().expect("valid").is_none());
        assert_eq!(public.account().expect("valid"), pair.account_id());
    }

    #[test]
    fn test_keyfile_data_account_rejects_mismatched_fields() {
        let pair = Pair::from_phrase(PHRASE, None).expect("valid phrase");
        let other = Pair::from_uri("//Alice", None).expect("dev key");
        let mut data = KeyfileData::from_pair(&pair, Some(PHRASE));
        data.ss58_address = Some(other.account_id().to_ss58());
        let err = data.account().unwrap_err();
        assert!(err.contains("ss58Address does not match"), "{err}");
    }

    #[test]
    fn test_keyfile_write_sets_mode_0600_and_refuses_overwrite() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = Keyfile::new(dir.path().join("w/hotkeys/hk"));
        let pair = Pair::from_uri("//Alice", None).expect("dev key");
        let data = KeyfileData::from_pair(&pair, None);
        file.write(&data, None, false).expect("writes");
        let mode = fs::metadata(file.path()).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dmode =
            fs::metadata(dir.path().join("w/hotkeys")).expect("meta").permissions().mode() & 0o777;
        assert_eq!(dmode, 0o700);
        assert!(matches!(file.write(&data, None, false), Err(Error::AlreadyExists { .. })));
        file.write(&data, None, true).expect("overwrite allowed");
        assert_eq!(
            file.pair(&PasswordSource::None).expect("reads").account_id(),
            pair.account_id()
        );
    }

    #[test]
    fn test_keyfile_read_rejects_group_readable_secret() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = Keyfile::new(dir.path().join("hk"));
        let pair = Pair::from_uri("//Bob", None).expect("dev key");
        file.write(&KeyfileData::from_pair(&pair, None), None, false).expect("writes");
        fs::set_permissions(file.path(), fs::Permissions::from_mode(0o640)).expect("chmod");
        let err = file.pair(&PasswordSource::None).unwrap_err();
        assert!(matches!(err, Error::InsecurePermissions { mode: 0o640, .. }), "{err}");
        assert!(err.to_string().contains("chmod 600"), "{err}");
        // The public address can still be read.
        assert_eq!(file.account().expect("public read"), pair.account_id());
    }

    #[test]
    fn test_keyfile_read_reports_corrupt_file_with_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("coldkey");
        fs::write(&path, b"{\"secretPhrase\": 12").expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");
        let err = Keyfile::new(&path).pair(&PasswordSource::None).unwrap_err();
        assert!(matches!(err, Error::Corrupt { .. }), "{err}");
        assert!(err.to_string().contains(&path.display().to_string()), "{err}");
        // A truncated $NACL file is corrupt, not a wrong password.
        fs::write(&path, b"$NACL0123").expect("write");
        let err =
            Keyfile::new(&path).pair(&PasswordSource::Fixed("pw".to_owned().into())).unwrap_err();
        assert!(matches!(err, Error::Corrupt { .. }), "{err}");
    }

    #[test]
    fn test_keyfile_read_names_legacy_formats() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("coldkey");
        for (content, name) in [
            (&b"$ANSIBLE_VAULT;1.1;AES256\n3633"[..], "ansible-vault"),
            (&b"gAAAAABlxyz"[..], "fernet"),
        ] {
            fs::write(&path, content).expect("write");
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");
            let err = Keyfile::new(&path).pair(&PasswordSource::None).unwrap_err();
            assert!(matches!(err, Error::LegacyFormat { format, .. } if format == name), "{err}");
            let msg = err.to_string();
            assert!(msg.contains("not support") && msg.contains("mnemonic"), "{msg}");
        }
    }

    #[test]
    fn test_keyfile_encrypted_round_trip_and_wrong_password() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = Keyfile::new(dir.path().join("coldkey"));
        let pair = Pair::from_phrase(PHRASE, None).expect("valid phrase");
        file.write(&KeyfileData::from_pair(&pair, Some(PHRASE)), Some("hunter22"), false)
            .expect("writes");
        assert_eq!(file.format().expect("reads"), Format::Nacl);
        let good = PasswordSource::Fixed("hunter22".to_owned().into());
        assert_eq!(file.pair(&good).expect("decrypts").account_id(), pair.account_id());
        let bad = PasswordSource::Fixed("hunter23".to_owned().into());
        let err = file.pair(&bad).unwrap_err();
        assert!(matches!(err, Error::WrongPassword { .. }), "{err}");
        assert_eq!(err.to_string(), format!("wrong password for {}", file.path().display()));
    }
}
