//! A named wallet under a wallet root: one coldkey and any number of hotkeys.

use std::path::{Path, PathBuf};

use rustensor_primitives::AccountId32;
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_primitives::mnemonic;
use zeroize::Zeroizing;

use super::error::{Error, Result};
use super::keyfile::{Keyfile, KeyfileData};
use super::password::PasswordSource;

/// The wallet name used when none is given, as bittensor's.
pub const DEFAULT_WALLET_NAME: &str = "default";

/// The hotkey name used when none is given, as bittensor's.
pub const DEFAULT_HOTKEY_NAME: &str = "default";

/// The environment variable that overrides the wallet root, as in bittensor-wallet.
pub const WALLET_PATH_ENV: &str = "BT_WALLET_PATH";

/// The wallet root: `$BT_WALLET_PATH` if set, else `~/.bittensor/wallets`.
pub fn default_root() -> PathBuf {
    match std::env::var_os(WALLET_PATH_ENV) {
        Some(p) if !p.is_empty() => expand_tilde(Path::new(&p)),
        _ => expand_tilde(Path::new("~/.bittensor/wallets")),
    }
}

/// Replaces a leading `~` with `$HOME`; other paths are returned as they are.
pub fn expand_tilde(path: &Path) -> PathBuf {
    let Ok(rest) = path.strip_prefix("~") else { return path.to_owned() };
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(rest),
        None => path.to_owned(),
    }
}

/// The names of the wallets under `root` (its sub-folders), sorted; empty if `root` is missing.
///
/// # Errors
///
/// [`Error::Io`] when `root` exists but cannot be listed.
pub fn list_wallets(root: &Path) -> Result<Vec<String>> {
    list_dir(root, |entry| entry.is_dir())
}

fn list_dir(dir: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(Error::Io { action: "list", path: dir.to_owned(), source }),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|source| Error::Io { action: "list", path: dir.to_owned(), source })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') && keep(&entry.path()) {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Key material to regenerate a key from.
#[derive(Clone)]
pub enum KeySource {
    /// A BIP39 mnemonic (12 to 24 English words).
    Mnemonic(Zeroizing<String>),
    /// A 32-byte mini secret (or a 64-byte secret key) as hex, with or without `0x`.
    Seed(Zeroizing<String>),
    /// An unencrypted keyfile JSON document (bittensor's keyfile format).
    Json(Zeroizing<Vec<u8>>),
}

impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Mnemonic(_) => "Mnemonic(..)",
            Self::Seed(_) => "Seed(..)",
            Self::Json(_) => "Json(..)",
        })
    }
}

impl KeySource {
    /// The key pair and, for a mnemonic (or JSON holding one), the phrase.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad mnemonic, hex seed or JSON.
    pub fn to_pair(&self) -> Result<(Pair, Option<Zeroizing<String>>)> {
        match self {
            Self::Mnemonic(words) => {
                let phrase = Zeroizing::new(words.split_whitespace().collect::<Vec<_>>().join(" "));
                let pair = Pair::from_phrase(&phrase, None)
                    .map_err(|e| Error::InvalidInput { what: "mnemonic", reason: e.to_string() })?;
                Ok((pair, Some(phrase)))
            }
            Self::Seed(hex_seed) => {
                let s = hex_seed.trim();
                let s = s.strip_prefix("0x").unwrap_or(s);
                let bytes = Zeroizing::new(hex::decode(s).map_err(|e| Error::InvalidInput {
                    what: "seed",
                    reason: format!("bad hex ({e})"),
                })?);
                let pair = Pair::from_seed_slice(&bytes)
                    .map_err(|e| Error::InvalidInput { what: "seed", reason: e.to_string() })?;
                Ok((pair, None))
            }
            Self::Json(bytes) => {
                let invalid = |reason: String| Error::InvalidInput { what: "keyfile JSON", reason };
                if super::encryption::Format::detect(bytes).is_encrypted() {
                    return Err(invalid(
                        "the file is encrypted; pass an unencrypted keyfile".to_owned(),
                    ));
                }
                let data = KeyfileData::from_json(bytes).map_err(invalid)?;
                data.account().map_err(invalid)?;
                let pair = data
                    .to_pair()
                    .map_err(invalid)?
                    .ok_or_else(|| invalid("no secret key in it".to_owned()))?;
                let phrase = data.secret_phrase.map(Zeroizing::new);
                Ok((pair, phrase))
            }
        }
    }
}

/// A key that was just created, with the mnemonic to show the user once.
#[derive(Clone)]
pub struct NewKey {
    /// The mnemonic (`None` when regenerated from a seed or a JSON without one).
    pub phrase: Option<Zeroizing<String>>,
    /// The key's account.
    pub account: AccountId32,
}

impl std::fmt::Debug for NewKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewKey").field("account", &self.account).finish_non_exhaustive()
    }
}

/// A wallet: `<root>/<name>/{coldkey, coldkeypub.txt, hotkeys/<hotkey>, hotkeys/<hotkey>pub.txt}`.
///
/// Wire format: the layout and file formats of bittensor-wallet (`reference/sdk.md` §2.1);
/// files are mode 0600 and folders rustensor creates are mode 0700.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wallet {
    root: PathBuf,
    name: String,
    hotkey: String,
}

impl Wallet {
    /// The wallet `name` under `root`, with `hotkey` as its selected hotkey. A leading `~` in
    /// `root` is expanded. Nothing is read or created.
    pub fn new(root: impl AsRef<Path>, name: impl Into<String>, hotkey: impl Into<String>) -> Self {
        Self { root: expand_tilde(root.as_ref()), name: name.into(), hotkey: hotkey.into() }
    }

    /// The wallet root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The wallet name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The selected hotkey's name.
    pub fn hotkey_name(&self) -> &str {
        &self.hotkey
    }

    /// The wallet folder, `<root>/<name>`.
    pub fn dir(&self) -> PathBuf {
        self.root.join(&self.name)
    }

    /// Whether the wallet folder exists.
    pub fn exists(&self) -> bool {
        self.dir().is_dir()
    }

    /// The encrypted (or plain) coldkey file.
    pub fn coldkey_file(&self) -> Keyfile {
        Keyfile::new(self.dir().join("coldkey"))
    }

    /// The public coldkey file, `coldkeypub.txt`.
    pub fn coldkeypub_file(&self) -> Keyfile {
        Keyfile::new(self.dir().join("coldkeypub.txt"))
    }

    /// The file of hotkey `name`.
    pub fn hotkey_file_named(&self, name: &str) -> Keyfile {
        Keyfile::new(self.dir().join("hotkeys").join(name))
    }

    /// The public file of hotkey `name`, `hotkeys/<name>pub.txt`.
    pub fn hotkeypub_file_named(&self, name: &str) -> Keyfile {
        Keyfile::new(self.dir().join("hotkeys").join(format!("{name}pub.txt")))
    }

    /// The selected hotkey's file.
    pub fn hotkey_file(&self) -> Keyfile {
        self.hotkey_file_named(&self.hotkey)
    }

    /// The selected hotkey's public file.
    pub fn hotkeypub_file(&self) -> Keyfile {
        self.hotkeypub_file_named(&self.hotkey)
    }

    /// The names of the wallet's hotkeys, sorted (files in `hotkeys/` other than `*pub.txt`).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the folder exists but cannot be listed.
    pub fn hotkey_names(&self) -> Result<Vec<String>> {
        let mut names = list_dir(&self.dir().join("hotkeys"), Path::is_file)?;
        names.retain(|n| !n.ends_with("pub.txt"));
        Ok(names)
    }

    fn check_names(&self) -> Result<()> {
        check_name("wallet", &self.name)?;
        check_name("hotkey", &self.hotkey)
    }

    fn require_exists(&self) -> Result<()> {
        self.check_names()?;
        if !self.exists() {
            return Err(Error::NoWallet { name: self.name.clone(), root: self.root.clone() });
        }
        Ok(())
    }

    /// Creates a new coldkey from a fresh mnemonic of `words` words (12, 15, 18, 21 or 24),
    /// encrypted with `password` (`None`: stored unencrypted), and its `coldkeypub.txt`.
    ///
    /// # Errors
    ///
    /// [`Error::AlreadyExists`] if either file exists and `overwrite` is false (nothing is
    /// written then); [`Error::Key`] for a bad word count; [`Error::Io`].
    pub fn create_coldkey(
        &self,
        words: usize,
        password: Option<&str>,
        overwrite: bool,
    ) -> Result<NewKey> {
        let phrase = mnemonic::generate_phrase(words)?;
        self.regen_coldkey(&KeySource::Mnemonic(phrase), password, overwrite)
    }

    /// Writes the coldkey given by `source` (encrypted with `password`, if any) and its public
    /// file.
    ///
    /// # Errors
    ///
    /// As [`Wallet::create_coldkey`], and [`Error::InvalidInput`] for bad key material.
    pub fn regen_coldkey(
        &self,
        source: &KeySource,
        password: Option<&str>,
        overwrite: bool,
    ) -> Result<NewKey> {
        self.check_names()?;
        let (pair, phrase) = source.to_pair()?;
        write_pair(
            &self.coldkey_file(),
            &self.coldkeypub_file(),
            &pair,
            phrase.as_deref().map(|s| s.as_str()),
            password,
            overwrite,
        )?;
        Ok(NewKey { phrase, account: pair.account_id() })
    }

    /// Creates the selected hotkey from a fresh mnemonic, unencrypted as bittensor does by
    /// default, with its public file.
    ///
    /// # Errors
    ///
    /// As [`Wallet::create_coldkey`].
    pub fn create_hotkey(&self, words: usize, overwrite: bool) -> Result<NewKey> {
        let phrase = mnemonic::generate_phrase(words)?;
        self.regen_hotkey(&KeySource::Mnemonic(phrase), overwrite)
    }

    /// Writes the selected hotkey given by `source` (unencrypted) and its public file.
    ///
    /// # Errors
    ///
    /// As [`Wallet::regen_coldkey`].
    pub fn regen_hotkey(&self, source: &KeySource, overwrite: bool) -> Result<NewKey> {
        self.check_names()?;
        let (pair, phrase) = source.to_pair()?;
        write_pair(
            &self.hotkey_file(),
            &self.hotkeypub_file(),
            &pair,
            phrase.as_deref().map(|s| s.as_str()),
            None,
            overwrite,
        )?;
        Ok(NewKey { phrase, account: pair.account_id() })
    }

    /// The coldkey pair, decrypting with a password from `password` if the file is encrypted.
    ///
    /// # Errors
    ///
    /// [`Error::NoWallet`], [`Error::MissingKeyfile`], and what [`Keyfile::pair`] returns
    /// ([`Error::WrongPassword`], [`Error::InsecurePermissions`], [`Error::Corrupt`],
    /// [`Error::LegacyFormat`], ...).
    pub fn coldkey(&self, password: &PasswordSource) -> Result<Pair> {
        self.require_exists()?;
        let file = self.coldkey_file();
        self.require_file(&file, "coldkey", "restore it with `rustensor wallet regen-coldkey`")?;
        file.pair(password)
    }

    /// The coldkey's account, from `coldkeypub.txt`; no password needed.
    ///
    /// # Errors
    ///
    /// [`Error::NoWallet`], [`Error::MissingKeyfile`], [`Error::Corrupt`], [`Error::Io`].
    pub fn coldkeypub(&self) -> Result<AccountId32> {
        self.require_exists()?;
        let file = self.coldkeypub_file();
        self.require_file(
            &file,
            "coldkeypub.txt",
            "restore it with `rustensor wallet regen-coldkey`",
        )?;
        file.account()
    }

    /// The selected hotkey pair (hotkeys are normally unencrypted; an encrypted one needs no
    /// special handling and uses the environment password or a prompt).
    ///
    /// # Errors
    ///
    /// As [`Wallet::coldkey`].
    pub fn hotkey(&self) -> Result<Pair> {
        self.require_exists()?;
        let file = self.hotkey_file();
        self.require_file(
            &file,
            &format!("hotkey '{}'", self.hotkey),
            "create it with `rustensor wallet new-hotkey`",
        )?;
        file.pair(&PasswordSource::Interactive)
    }

    /// The selected hotkey's account: from `<hotkey>pub.txt`, else from the public fields of
    /// the (unencrypted) hotkey file.
    ///
    /// # Errors
    ///
    /// As [`Wallet::coldkeypub`].
    pub fn hotkeypub(&self) -> Result<AccountId32> {
        self.require_exists()?;
        let public = self.hotkeypub_file();
        if public.exists() {
            return public.account();
        }
        let file = self.hotkey_file();
        self.require_file(
            &file,
            &format!("hotkey '{}'", self.hotkey),
            "create it with `rustensor wallet new-hotkey`",
        )?;
        file.account()
    }

    fn require_file(&self, file: &Keyfile, what: &str, hint: &'static str) -> Result<()> {
        if file.exists() {
            Ok(())
        } else {
            Err(Error::MissingKeyfile { what: what.to_owned(), path: file.path().to_owned(), hint })
        }
    }
}

/// Writes a secret keyfile and its public file, checking both for `overwrite` first.
fn write_pair(
    secret: &Keyfile,
    public: &Keyfile,
    pair: &Pair,
    phrase: Option<&str>,
    password: Option<&str>,
    overwrite: bool,
) -> Result<()> {
    if !overwrite {
        for file in [secret, public] {
            if file.path().exists() {
                return Err(Error::AlreadyExists { path: file.path().to_owned() });
            }
        }
    }
    secret.write(&KeyfileData::from_pair(pair, phrase), password, overwrite)?;
    public.write(&KeyfileData::public_only(&pair.account_id()), None, overwrite)
}

/// A wallet or hotkey name must be one plain path component.
fn check_name(what: &'static str, name: &str) -> Result<()> {
    let bad = name.is_empty()
        || name == "."
        || name == ".."
        || name.starts_with('.')
        || name.contains(['/', '\\', '\0']);
    if bad {
        return Err(Error::InvalidName { what, name: name.to_owned() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHRASE: &str = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

    #[test]
    fn test_wallet_layout_matches_bittensor() {
        let w = Wallet::new("/r", "w", "h");
        assert_eq!(w.coldkey_file().path(), Path::new("/r/w/coldkey"));
        assert_eq!(w.coldkeypub_file().path(), Path::new("/r/w/coldkeypub.txt"));
        assert_eq!(w.hotkey_file().path(), Path::new("/r/w/hotkeys/h"));
        assert_eq!(w.hotkeypub_file().path(), Path::new("/r/w/hotkeys/hpub.txt"));
    }

    #[test]
    fn test_wallet_regen_from_mnemonic_gives_dev_address() {
        let dir = tempfile::tempdir().expect("tempdir");
        let w = Wallet::new(dir.path(), "dev", "default");
        let key =
            w.regen_hotkey(&KeySource::Mnemonic(PHRASE.to_owned().into()), false).expect("regen");
        assert_eq!(key.account.to_ss58(), "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV");
        assert_eq!(w.hotkeypub().expect("pub"), key.account);
        assert_eq!(w.hotkey().expect("pair").account_id(), key.account);
        assert_eq!(w.hotkey_names().expect("list"), ["default"]);
        // The same key from its seed and from its keyfile JSON.
        let seed = w
            .hotkey_file()
            .read(&PasswordSource::None, true)
            .expect("read")
            .secret_seed
            .expect("seed");
        let json = Zeroizing::new(std::fs::read(w.hotkey_file().path()).expect("read"));
        for source in [KeySource::Seed(seed.into()), KeySource::Json(json)] {
            let (pair, _) = source.to_pair().expect("valid");
            assert_eq!(pair.account_id(), key.account);
        }
    }

    #[test]
    fn test_wallet_missing_names_the_wallet_and_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let w = Wallet::new(dir.path(), "default", "default");
        let err = w.coldkeypub().unwrap_err();
        assert!(matches!(err, Error::NoWallet { .. }));
        assert_eq!(
            err.to_string(),
            format!(
                "no wallet 'default' under {} (create one with `rustensor wallet create`)",
                dir.path().display()
            )
        );
    }

    #[test]
    fn test_wallet_create_refuses_overwrite_and_writes_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let w = Wallet::new(dir.path(), "w", "default");
        let first = w.create_coldkey(12, None, false).expect("create");
        let err = w.create_coldkey(24, None, false).unwrap_err();
        assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
        assert_eq!(w.coldkeypub().expect("pub"), first.account);
        let second = w.create_coldkey(24, None, true).expect("overwrite");
        assert_eq!(second.phrase.as_ref().map(|p| p.split_whitespace().count()), Some(24));
        assert_eq!(w.coldkey(&PasswordSource::None).expect("plain").account_id(), second.account);
        assert_eq!(list_wallets(dir.path()).expect("list"), ["w"]);
    }

    #[test]
    fn test_wallet_rejects_path_like_names() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, hk) in [("../x", "h"), ("w", "a/b"), ("", "h"), ("w", "..")] {
            let err = Wallet::new(dir.path(), name, hk).create_hotkey(12, false).unwrap_err();
            assert!(matches!(err, Error::InvalidName { .. }), "{err}");
        }
    }

    #[test]
    fn test_key_source_rejects_bad_input() {
        for source in [
            KeySource::Mnemonic("not a mnemonic".to_owned().into()),
            KeySource::Seed("0x1234".to_owned().into()),
            KeySource::Seed("zz".to_owned().into()),
            KeySource::Json(b"{}".to_vec().into()),
            KeySource::Json(b"$NACLxxxx".to_vec().into()),
        ] {
            assert!(matches!(source.to_pair(), Err(Error::InvalidInput { .. })), "{source:?}");
        }
    }
}
