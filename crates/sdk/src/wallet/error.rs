//! Errors of the wallet module.

use std::path::PathBuf;

/// Everything that can go wrong with a wallet or keyfile.
///
/// File errors carry the path; messages are lowercase and say what to do next where there is
/// something to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file or directory failed.
    #[error("cannot {action} {path} (check the path and its permissions)")]
    Io {
        /// What was attempted (`read`, `write`, `create directory`, ...).
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The wallet folder does not exist.
    #[error("no wallet '{name}' under {root} (create one with `rustensor wallet create`)")]
    NoWallet {
        /// Wallet name.
        name: String,
        /// Wallet root folder.
        root: PathBuf,
    },
    /// A keyfile the operation needs does not exist.
    #[error("no {what} at {path} ({hint})")]
    MissingKeyfile {
        /// Which key (`coldkey`, `hotkey 'default'`, ...).
        what: String,
        /// Where it was expected.
        path: PathBuf,
        /// What to do about it.
        hint: &'static str,
    },
    /// Refused to replace an existing keyfile.
    #[error(
        "{path} already exists (pass --overwrite to replace it; the old key is lost unless you have its mnemonic)"
    )]
    AlreadyExists {
        /// The existing file.
        path: PathBuf,
    },
    /// The password does not decrypt the keyfile.
    #[error("wrong password for {path}")]
    WrongPassword {
        /// The encrypted keyfile.
        path: PathBuf,
    },
    /// The keyfile's content cannot be understood.
    #[error("corrupt keyfile {path}: {reason}")]
    Corrupt {
        /// The keyfile.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A keyfile holding a secret can be read by other users.
    #[error("keyfile {path} has mode {mode:03o}, readable by other users (run `chmod 600 {path}`)")]
    InsecurePermissions {
        /// The keyfile.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The keyfile uses an encryption format rustensor does not read.
    #[error(
        "keyfile {path} is encrypted with the legacy {format} format, which rustensor does not \
         support (regenerate the key from its mnemonic with `rustensor wallet regen-coldkey`, \
         or convert it with an older bittensor)"
    )]
    LegacyFormat {
        /// The keyfile.
        path: PathBuf,
        /// The format's name.
        format: &'static str,
    },
    /// The keyfile has only a public key, but a secret was needed.
    #[error("keyfile {path} holds no secret key (only a public address)")]
    PublicOnly {
        /// The keyfile.
        path: PathBuf,
    },
    /// A password was needed but none could be obtained.
    #[error("{0}")]
    NoPassword(String),
    /// Reading a password from the terminal failed.
    #[error(
        "cannot read the password from the terminal (set RUSTENSOR_WALLET_PASSWORD to pass it instead)"
    )]
    Prompt(#[source] std::io::Error),
    /// Two password entries differed.
    #[error("the passwords do not match")]
    PasswordMismatch,
    /// Invalid key material given by the user (mnemonic, seed, JSON).
    #[error("invalid {what}: {reason}")]
    InvalidInput {
        /// What was given (`mnemonic`, `seed`, `keyfile JSON`).
        what: &'static str,
        /// Why it is invalid.
        reason: String,
    },
    /// A wallet or hotkey name that is not a single path component.
    #[error("invalid {what} name '{name}': use letters, digits, '-', '_' or '.', not a path")]
    InvalidName {
        /// `wallet` or `hotkey`.
        what: &'static str,
        /// The name given.
        name: String,
    },
    /// An error from key handling in `rustensor-primitives`.
    #[error(transparent)]
    Key(#[from] rustensor_primitives::Error),
}

/// Result with the wallet [`enum@Error`].
pub type Result<T> = core::result::Result<T, Error>;
