//! Wallets, synapses, axon and dendrite for rustensor, interoperable with the official Bittensor Python SDK.
//!
//! * [`wallet`]: the `~/.bittensor/wallets` folder layout, keyfile JSON and coldkey encryption
//!   exactly as `bittensor-wallet` 4.x writes them, so that a wallet created by either side
//!   opens in the other.
//! * [`chain`]: the JSON-RPC chain client: typed reads, runtime APIs, signed submissions with
//!   nonce management, decoded events and named module errors, and the metagraph.
//! * [`synapse`]: request/response types that serialize to the Python SDK's pydantic JSON, and
//!   the SDK's body hash.
//! * [`axon`]: the HTTP/1.1 server that verifies and answers synapses (a miner's side).
//! * [`dendrite`]: the signing client that sends synapses to axons (a validator's side).
//!
//! A validator's [`dendrite::Dendrite`] signs each request with its hotkey from a
//! [`wallet::Wallet`]; a miner's [`axon::Axon`] checks the signature against its own hotkey,
//! runs the forward function of the synapse type and replies with the filled synapse.
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

pub mod axon;
pub mod chain;
pub mod dendrite;
pub mod synapse;
pub mod wallet;

pub(crate) use axon::now_ns as axon_now_ns;

/// `error` and each of its causes, joined by `": "` (what anyhow's `{:#}` prints), for the
/// places that keep an error as text (a reason sent to a caller, a corrupt keyfile's reason).
/// Each error's message describes its own layer only, so its `Display` alone drops the cause.
pub(crate) fn error_text(error: &(dyn std::error::Error + 'static)) -> String {
    use std::fmt::Write as _;
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let _ = write!(text, ": {cause}");
        source = cause.source();
    }
    text
}
