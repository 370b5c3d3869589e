//! Wallets and keyfiles for rustensor, interoperable with the official Bittensor Python SDK.
//!
//! So far the crate holds [`wallet`]: the `~/.bittensor/wallets` folder layout, keyfile JSON and
//! coldkey encryption exactly as `bittensor-wallet` 4.x writes them, so that a wallet created by
//! either side opens in the other. The chain client, axon and dendrite will join it.
//!
//! # Example
//!
//! ```
//! use rustensor_sdk::wallet::{PasswordSource, Wallet};
//!
//! let root = tempfile::tempdir()?;
//! let wallet = Wallet::new(root.path(), "alice", "miner");
//! // An unencrypted coldkey keeps the example fast; real coldkeys take a password.
//! let created = wallet.create_coldkey(12, None, false)?;
//! let hotkey = wallet.create_hotkey(12, false)?;
//! assert_eq!(wallet.coldkeypub()?, created.account);
//! assert_eq!(wallet.hotkey()?.account_id(), hotkey.account);
//! let coldkey = wallet.coldkey(&PasswordSource::None)?;
//! assert_eq!(coldkey.account_id(), created.account);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Feature flags
//!
//! None.

pub mod wallet;
