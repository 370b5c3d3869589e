//! The arguments every chain command shares: where the node is ([`NetworkArgs`]) and which
//! keys sign ([`KeyArgs`]), and the small parsers and prompts built on them.

use std::io::IsTerminal as _;
use std::path::PathBuf;

use anyhow::{Context as _, bail};
use clap::Args;
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_primitives::{AccountId32, Balance};
use rustensor_sdk::chain::{ChainClient, ConnectOptions, network_url};
use rustensor_sdk::wallet::{
    DEFAULT_HOTKEY_NAME, DEFAULT_WALLET_NAME, PasswordSource, Wallet, default_root,
};

/// Where the chain is and how to print.
#[derive(Debug, Clone, Args)]
pub struct NetworkArgs {
    /// The node: `local` (ws://127.0.0.1:9944), or a ws:// or http:// URL.
    #[arg(
        long,
        global = true,
        env = "RUSTENSOR_NETWORK",
        default_value = "local",
        value_name = "NETWORK"
    )]
    pub network: String,
    /// Print exactly one JSON document instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Do not ask for confirmation before moving funds.
    #[arg(long, short = 'y', global = true)]
    pub yes: bool,
    /// Seconds to wait for the node to answer one request.
    #[arg(long, global = true, default_value_t = 30, value_name = "SECONDS")]
    pub timeout: u64,
}

/// Which keys sign.
#[derive(Debug, Clone, Args)]
pub struct KeyArgs {
    /// Folder holding the wallets [default: $BT_WALLET_PATH, else ~/.bittensor/wallets].
    #[arg(long, global = true, value_name = "DIR")]
    pub wallet_path: Option<PathBuf>,
    /// Wallet name.
    #[arg(long = "wallet", global = true, value_name = "NAME", default_value = DEFAULT_WALLET_NAME)]
    pub wallet: String,
    /// Hotkey name in the wallet.
    #[arg(long, global = true, value_name = "NAME", default_value = DEFAULT_HOTKEY_NAME)]
    pub hotkey: String,
    /// Sign with this secret URI instead of the wallet's coldkey (development chains:
    /// `//Alice`); it is also the hotkey unless --hotkey-uri is given.
    #[arg(long, global = true, value_name = "URI")]
    pub uri: Option<String>,
    /// Use this secret URI as the hotkey (development chains: `//Alice//miner1`).
    #[arg(long, global = true, value_name = "URI")]
    pub hotkey_uri: Option<String>,
}

impl KeyArgs {
    pub(super) fn wallet(&self) -> Wallet {
        let root = self
            .wallet_path
            .as_deref()
            .map(rustensor_sdk::wallet::expand_tilde)
            .unwrap_or_else(default_root);
        Wallet::new(root, &self.wallet, &self.hotkey)
    }

    /// The coldkey pair (asks for the password if it is encrypted).
    pub(super) fn coldkey(&self) -> anyhow::Result<Pair> {
        if let Some(uri) = &self.uri {
            return Pair::from_uri(uri, None).map_err(|e| anyhow::anyhow!("bad --uri: {e}"));
        }
        Ok(self.wallet().coldkey(&PasswordSource::Interactive)?)
    }

    /// The coldkey's address (no password needed).
    pub(super) fn coldkey_address(&self) -> anyhow::Result<AccountId32> {
        if let Some(uri) = &self.uri {
            return Ok(Pair::from_uri(uri, None)
                .map_err(|e| anyhow::anyhow!("bad --uri: {e}"))?
                .account_id());
        }
        Ok(self.wallet().coldkeypub()?)
    }

    /// The hotkey pair.
    pub(crate) fn hotkey(&self) -> anyhow::Result<Pair> {
        if let Some(uri) = self.hotkey_uri.as_ref().or(self.uri.as_ref()) {
            return Pair::from_uri(uri, None).map_err(|e| anyhow::anyhow!("bad hotkey URI: {e}"));
        }
        Ok(self.wallet().hotkey()?)
    }
}

pub(super) fn connect(net: &NetworkArgs) -> anyhow::Result<(tokio::runtime::Runtime, ChainClient)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let client = runtime.block_on(client_for(net))?;
    Ok((runtime, client))
}

/// Connects to the node `--network` names, with `--timeout` per request.
pub(crate) async fn client_for(net: &NetworkArgs) -> anyhow::Result<ChainClient> {
    let options = ConnectOptions {
        request_timeout: std::time::Duration::from_secs(net.timeout.max(1)),
        ..ConnectOptions::default()
    };
    Ok(ChainClient::connect_with(&network_url(&net.network), options).await?)
}

/// Parses an SS58 address, naming the text that is not one.
pub(super) fn parse_address(text: &str) -> anyhow::Result<AccountId32> {
    text.parse().map_err(|e| anyhow::anyhow!("{text:?} is not an SS58 address: {e}"))
}

/// Parses an amount of TAO (decimal, 9 places).
pub(super) fn parse_tao(text: &str) -> anyhow::Result<Balance> {
    Balance::parse_tao(text).map_err(|e| anyhow::anyhow!("{text:?} is not an amount of TAO: {e}"))
}

/// Asks "proceed?" unless `--yes`; refuses without a terminal.
pub(super) fn confirm(net: &NetworkArgs, what: &str) -> anyhow::Result<()> {
    if net.yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        bail!(
            "{what}: confirmation needed, but there is no terminal to ask; pass --yes to proceed"
        );
    }
    eprint!("{what}. Proceed? [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    if matches!(answer.trim(), "y" | "Y" | "yes") { Ok(()) } else { bail!("cancelled") }
}
