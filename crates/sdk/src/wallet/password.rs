//! Where coldkey passwords come from: a value, the environment, or a terminal prompt.
//!
//! For non-interactive use set [`PASSWORD_ENV`] (`RUSTENSOR_WALLET_PASSWORD`). rustensor also
//! reads bittensor-wallet's per-keyfile variable (`reference/sdk.md` §2.3):
//! `BT_PW_<PATH>`, where `<PATH>` is the keyfile's path with `/` and `.` replaced by `_` and
//! upper-cased, holding base64 of the password XOR-ed with the variable's name. That is
//! obfuscation, not encryption; prefer [`PASSWORD_ENV`] in a protected environment.

use std::path::Path;

use base64::Engine;
use zeroize::Zeroizing;

use super::error::{Error, Result};

/// The environment variable rustensor reads a wallet password from.
pub const PASSWORD_ENV: &str = "RUSTENSOR_WALLET_PASSWORD";

/// How to obtain a password when one is needed.
#[derive(Clone, Default)]
pub enum PasswordSource {
    /// No password available: opening an encrypted keyfile fails with [`Error::NoPassword`].
    #[default]
    None,
    /// This password.
    Fixed(Zeroizing<String>),
    /// [`PASSWORD_ENV`], then bittensor's `BT_PW_<PATH>`, then a prompt on the terminal.
    Interactive,
}

impl std::fmt::Debug for PasswordSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::None => "None",
            Self::Fixed(_) => "Fixed(..)",
            Self::Interactive => "Interactive",
        })
    }
}

impl PasswordSource {
    /// The password to decrypt the keyfile at `path`.
    ///
    /// # Errors
    ///
    /// [`Error::NoPassword`] when none is available (no value, no variable and no terminal);
    /// [`Error::Prompt`] when the terminal cannot be read.
    pub fn get(&self, path: &Path) -> Result<Zeroizing<String>> {
        match self {
            Self::None => Err(Error::NoPassword(format!(
                "keyfile {} is encrypted and no password was given (set {PASSWORD_ENV})",
                path.display()
            ))),
            Self::Fixed(pw) => Ok(pw.clone()),
            Self::Interactive => {
                if let Some(pw) = from_env() {
                    return Ok(pw);
                }
                if let Some(pw) = bittensor_env_password(path) {
                    return Ok(pw);
                }
                prompt(&format!("Password for {}: ", path.display()))
            }
        }
    }

    /// A password to encrypt a new coldkey: the value, [`PASSWORD_ENV`], or a prompt asked
    /// twice.
    ///
    /// # Errors
    ///
    /// [`Error::NoPassword`] for [`PasswordSource::None`], an empty password, or no terminal;
    /// [`Error::PasswordMismatch`] when the two entries differ; [`Error::Prompt`].
    pub fn new_password(&self) -> Result<Zeroizing<String>> {
        let pw = match self {
            Self::None => {
                return Err(Error::NoPassword("no password given for the new coldkey".to_owned()));
            }
            Self::Fixed(pw) => pw.clone(),
            Self::Interactive => match from_env() {
                Some(pw) => pw,
                None => {
                    let first = prompt("Password for the new coldkey: ")?;
                    let second = prompt("Retype the password: ")?;
                    if first != second {
                        return Err(Error::PasswordMismatch);
                    }
                    first
                }
            },
        };
        if pw.is_empty() {
            return Err(Error::NoPassword(
                "the password is empty (use --no-password for an unencrypted coldkey)".to_owned(),
            ));
        }
        Ok(pw)
    }
}

fn from_env() -> Option<Zeroizing<String>> {
    std::env::var(PASSWORD_ENV).ok().map(Zeroizing::new)
}

fn prompt(text: &str) -> Result<Zeroizing<String>> {
    match rpassword::prompt_password(text) {
        Ok(pw) => Ok(Zeroizing::new(pw)),
        // No controlling terminal (CI, a pipe): say how to pass the password instead.
        Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::Other) => {
            Err(Error::NoPassword(format!(
                "a password is needed but there is no terminal to ask on (set {PASSWORD_ENV})"
            )))
        }
        Err(e) => Err(Error::Prompt(e)),
    }
}

/// bittensor-wallet's variable name for a keyfile: `BT_PW_` + the path with `/` and `.` as `_`,
/// upper-cased.
pub fn bittensor_env_var_name(path: &Path) -> String {
    let p = path.to_string_lossy().replace(['/', '.'], "_");
    format!("BT_PW_{}", p.to_uppercase())
}

/// Decodes bittensor-wallet's obfuscated value: base64 of the password XOR-ed with the name.
pub fn decode_bittensor_env_value(name: &str, value: &str) -> Option<Zeroizing<String>> {
    let bytes =
        Zeroizing::new(base64::engine::general_purpose::STANDARD.decode(value.trim()).ok()?);
    let key = name.as_bytes();
    if key.is_empty() {
        return None;
    }
    let plain: Vec<u8> = bytes.iter().zip(key.iter().cycle()).map(|(b, k)| b ^ k).collect();
    String::from_utf8(plain).ok().map(Zeroizing::new)
}

/// Encodes a password the way bittensor-wallet stores it in `BT_PW_<PATH>`.
pub fn encode_bittensor_env_value(name: &str, password: &str) -> String {
    let key = name.as_bytes();
    let mixed: Zeroizing<Vec<u8>> =
        Zeroizing::new(password.bytes().zip(key.iter().cycle()).map(|(b, k)| b ^ k).collect());
    base64::engine::general_purpose::STANDARD.encode(&*mixed)
}

fn bittensor_env_password(path: &Path) -> Option<Zeroizing<String>> {
    let name = bittensor_env_var_name(path);
    let value = Zeroizing::new(std::env::var(&name).ok()?);
    decode_bittensor_env_value(&name, &value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_bittensor_env_var_name_matches_sdk_example() {
        assert_eq!(
            bittensor_env_var_name(Path::new("/home/me/.bittensor/wallets/mywallet/coldkey")),
            "BT_PW__HOME_ME__BITTENSOR_WALLETS_MYWALLET_COLDKEY"
        );
    }

    #[test]
    fn test_bittensor_env_value_round_trips() {
        let name = "BT_PW__TMP_W_COLDKEY";
        let enc = encode_bittensor_env_value(name, "a long password, longer than the name itself!");
        let dec = decode_bittensor_env_value(name, &enc).expect("decodes");
        assert_eq!(&*dec, "a long password, longer than the name itself!");
        assert!(decode_bittensor_env_value(name, "not base64!").is_none());
    }

    #[test]
    fn test_password_source_none_names_the_env_var() {
        let err = PasswordSource::None.get(Path::new("/w/coldkey")).unwrap_err();
        assert!(err.to_string().contains(PASSWORD_ENV), "{err}");
        let err = PasswordSource::Fixed(String::new().into()).new_password().unwrap_err();
        assert!(err.to_string().contains("empty"), "{err}");
    }
}
