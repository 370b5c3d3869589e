//! Wallets: the `~/.bittensor/wallets` layout, keyfiles and coldkey encryption of
//! bittensor-wallet 4.x (`reference/sdk.md` §2).
//!
//! * [`Wallet`]: a named wallet under a root folder, with its coldkey and hotkeys;
//! * [`keyfile`]: the keyfile JSON ([`KeyfileData`]) and files on disk ([`Keyfile`]);
//! * [`encryption`]: the `$NACL` format (XSalsa20-Poly1305 with an Argon2i key) and detection
//!   of the legacy Ansible Vault and Fernet formats, which are named but not decrypted;
//! * [`password`]: passwords from a value, `RUSTENSOR_WALLET_PASSWORD`, bittensor's
//!   `BT_PW_<PATH>` or a terminal prompt.
//!
//! Secret keyfiles that group or others can read are refused, as ssh refuses such keys.

pub mod encryption;
mod error;
pub mod keyfile;
pub mod password;
#[allow(clippy::module_inception)]
mod wallet;

pub use error::{Error, Result};
pub use keyfile::{Keyfile, KeyfileData};
pub use password::{PASSWORD_ENV, PasswordSource};
pub use wallet::{
    DEFAULT_HOTKEY_NAME, DEFAULT_WALLET_NAME, KeySource, NewKey, WALLET_PATH_ENV, Wallet,
    default_root, expand_tilde, list_wallets,
};
