//! `rustensor wallet`: create, regenerate, list and show bittensor-compatible wallets.
//!
//! Wallets live under `--wallet-path` (default `$BT_WALLET_PATH`, else `~/.bittensor/wallets`)
//! in bittensor-wallet's layout and formats, so btcli and the Python SDK open them too.
//! Coldkey passwords come from `RUSTENSOR_WALLET_PASSWORD` when set, else from a prompt.

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use rustensor_sdk::wallet::{
    DEFAULT_HOTKEY_NAME, DEFAULT_WALLET_NAME, KeySource, NewKey, PasswordSource, Wallet,
    default_root, list_wallets,
};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use zeroize::Zeroizing;

/// `rustensor wallet` subcommands.
#[derive(Debug, Subcommand)]
pub enum WalletCommand {
    /// Create a wallet: a new encrypted coldkey and a hotkey, each from a fresh mnemonic.
    ///
    /// Prints both mnemonics once; write them down, they are the only way to recover the keys.
    /// Refuses to replace existing keys unless --overwrite is given.
    ///
    /// Example: RUSTENSOR_WALLET_PASSWORD=... rustensor wallet create --wallet alice --hotkey miner1
    #[command(verbatim_doc_comment)]
    Create(CreateArgs),
    /// Create a new hotkey in an existing wallet.
    ///
    /// Example: rustensor wallet new-hotkey --wallet alice --hotkey miner2
    #[command(verbatim_doc_comment)]
    NewHotkey(NewHotkeyArgs),
    /// Restore a coldkey from its mnemonic, seed or keyfile JSON.
    ///
    /// Example: rustensor wallet regen-coldkey --wallet alice --mnemonic "word1 word2 ... word12"
    #[command(verbatim_doc_comment)]
    RegenColdkey(RegenColdkeyArgs),
    /// Restore a hotkey from its mnemonic, seed or keyfile JSON.
    ///
    /// Example: rustensor wallet regen-hotkey --wallet alice --hotkey miner1 --seed 0x1234...
    #[command(verbatim_doc_comment)]
    RegenHotkey(RegenHotkeyArgs),
    /// List the wallets under the wallet root with their coldkey and hotkey addresses.
    ///
    /// Example: rustensor wallet list --json
    #[command(verbatim_doc_comment)]
    List(ListArgs),
    /// Show one wallet: addresses, key files and how the coldkey is stored. Prints no secrets.
    ///
    /// Example: rustensor wallet show --wallet alice --hotkey miner1
    #[command(verbatim_doc_comment)]
    Show(ShowArgs),
    /// Show a coldkey's free balance and stake on chain.
    ///
    /// Example: rustensor wallet balance --wallet alice --network ws://127.0.0.1:9944
    #[command(verbatim_doc_comment)]
    Balance(crate::chain::BalanceArgs),
    /// Send TAO from the wallet's coldkey (asks for confirmation unless --yes).
    ///
    /// Example: rustensor wallet transfer --wallet alice --dest 5F... --amount 1.5
    #[command(verbatim_doc_comment)]
    Transfer(crate::chain::TransferArgs),
    /// Show the coldkey's balance and stake, and where each of the wallet's hotkeys is
    /// registered with its incentive, dividends and emission.
    ///
    /// Example: rustensor wallet overview --wallet alice --json
    #[command(verbatim_doc_comment)]
    Overview(crate::chain::OverviewArgs),
}

/// Which wallet root to use.
#[derive(Debug, Args)]
pub struct RootArgs {
    /// Folder holding the wallets [default: $BT_WALLET_PATH, else ~/.bittensor/wallets].
    #[arg(long, visible_alias = "wallet.path", value_name = "DIR")]
    pub wallet_path: Option<PathBuf>,
}

impl RootArgs {
    fn root(&self) -> PathBuf {
        self.wallet_path
            .as_deref()
            .map(rustensor_sdk::wallet::expand_tilde)
            .unwrap_or_else(default_root)
    }
}

/// Which wallet and hotkey to use.
#[derive(Debug, Args)]
pub struct WalletArgs {
    #[command(flatten)]
    root: RootArgs,
    /// Wallet name.
    #[arg(long = "wallet", visible_aliases = ["name", "wallet.name"], value_name = "NAME", default_value = DEFAULT_WALLET_NAME)]
    pub name: String,
    /// Hotkey name.
    #[arg(long, visible_alias = "wallet.hotkey", value_name = "NAME", default_value = DEFAULT_HOTKEY_NAME)]
    pub hotkey: String,
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}

impl WalletArgs {
    fn wallet(&self) -> Wallet {
        Wallet::new(self.root.root(), &self.name, &self.hotkey)
    }
}

/// Arguments of `rustensor wallet create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    #[command(flatten)]
    wallet: WalletArgs,
    /// Words per mnemonic.
    #[arg(long, default_value_t = 12, value_parser = parse_words)]
    pub words: usize,
    /// Store the coldkey unencrypted (as bittensor's `use_password=False`); not recommended.
    #[arg(long)]
    pub no_password: bool,
    /// Replace existing keys (they are lost unless you have their mnemonics).
    #[arg(long)]
    pub overwrite: bool,
}

/// Arguments of `rustensor wallet new-hotkey`.
#[derive(Debug, Args)]
pub struct NewHotkeyArgs {
    #[command(flatten)]
    wallet: WalletArgs,
    /// Words in the mnemonic.
    #[arg(long, default_value_t = 12, value_parser = parse_words)]
    pub words: usize,
    /// Replace an existing hotkey of that name.
    #[arg(long)]
    pub overwrite: bool,
}

/// Where a regenerated key comes from; exactly one.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct SourceArgs {
    /// The BIP39 mnemonic (quote it). Beware: it stays in your shell history.
    #[arg(long, value_name = "WORDS")]
    pub mnemonic: Option<String>,
    /// The 32-byte seed (or 64-byte secret key) as hex.
    #[arg(long, value_name = "HEX")]
    pub seed: Option<String>,
    /// An unencrypted keyfile JSON (bittensor's format) to take the key from.
    #[arg(long, value_name = "FILE")]
    pub json_file: Option<PathBuf>,
}

impl SourceArgs {
    fn source(&self) -> anyhow::Result<KeySource> {
        if let Some(m) = &self.mnemonic {
            return Ok(KeySource::Mnemonic(Zeroizing::new(m.clone())));
        }
        if let Some(s) = &self.seed {
            return Ok(KeySource::Seed(Zeroizing::new(s.clone())));
        }
        if let Some(path) = &self.json_file {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            return Ok(KeySource::Json(Zeroizing::new(bytes)));
        }
        bail!("give one of --mnemonic, --seed or --json-file")
    }
}

/// Arguments of `rustensor wallet regen-coldkey`.
#[derive(Debug, Args)]
pub struct RegenColdkeyArgs {
    #[command(flatten)]
    wallet: WalletArgs,
    #[command(flatten)]
    source: SourceArgs,
    /// Store the coldkey unencrypted; not recommended.
    #[arg(long)]
    pub no_password: bool,
    /// Replace an existing coldkey.
    #[arg(long)]
    pub overwrite: bool,
}

/// Arguments of `rustensor wallet regen-hotkey`.
#[derive(Debug, Args)]
pub struct RegenHotkeyArgs {
    #[command(flatten)]
    wallet: WalletArgs,
    #[command(flatten)]
    source: SourceArgs,
    /// Replace an existing hotkey of that name.
    #[arg(long)]
    pub overwrite: bool,
}

/// Arguments of `rustensor wallet list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    root: RootArgs,
    /// Print one JSON document instead of a tree.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `rustensor wallet show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    wallet: WalletArgs,
}

/// Parses `--words`: 12, 15, 18, 21 or 24.
fn parse_words(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n @ (12 | 15 | 18 | 21 | 24)) => Ok(n),
        _ => Err(format!("'{s}' is not one of 12, 15, 18, 21, 24")),
    }
}

const MNEMONIC_WARNING: &str = "IMPORTANT: store this mnemonic in a secure (preferably offline) place; \
anyone who has it controls the key, and it is the only way to recover the key";

/// Runs a `rustensor wallet` command.
///
/// # Errors
///
/// Wallet errors (missing wallet, wrong password, existing key, ...) with what to do next.
pub fn run(cmd: WalletCommand, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    match cmd {
        WalletCommand::Create(args) => create(&args, out),
        WalletCommand::NewHotkey(args) => {
            let w = args.wallet.wallet();
            if !w.exists() {
                // Same message as every other command on a missing wallet.
                w.coldkeypub()?;
            }
            let hot = w.create_hotkey(args.words, args.overwrite)?;
            report_new(out, args.wallet.json, &w, None, Some(&hot))
        }
        WalletCommand::RegenColdkey(args) => {
            let w = args.wallet.wallet();
            let password = new_password(args.no_password)?;
            let cold = w.regen_coldkey(
                &args.source.source()?,
                password.as_deref().map(|s| s.as_str()),
                args.overwrite,
            )?;
            report_regen(out, args.wallet.json, "coldkey", &w, &cold)
        }
        WalletCommand::RegenHotkey(args) => {
            let w = args.wallet.wallet();
            let hot = w.regen_hotkey(&args.source.source()?, args.overwrite)?;
            report_regen(out, args.wallet.json, "hotkey", &w, &hot)
        }
        WalletCommand::List(args) => list(&args, out),
        WalletCommand::Show(args) => show(&args, out),
        WalletCommand::Balance(args) => crate::chain::balance(&args, out),
        WalletCommand::Transfer(args) => crate::chain::transfer(&args, out),
        WalletCommand::Overview(args) => crate::chain::overview(&args, out),
    }
}

fn new_password(no_password: bool) -> anyhow::Result<Option<Zeroizing<String>>> {
    if no_password {
        return Ok(None);
    }
    Ok(Some(PasswordSource::Interactive.new_password()?))
}

fn create(args: &CreateArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let w = args.wallet.wallet();
    // Check both keys before asking for a password or writing anything.
    if !args.overwrite {
        for file in [w.coldkey_file(), w.coldkeypub_file(), w.hotkey_file(), w.hotkeypub_file()] {
            if file.path().exists() {
                return Err(rustensor_sdk::wallet::Error::AlreadyExists {
                    path: file.path().to_owned(),
                }
                .into());
            }
        }
    }
    let password = new_password(args.no_password)?;
    let cold =
        w.create_coldkey(args.words, password.as_deref().map(|s| s.as_str()), args.overwrite)?;
    let hot = w.create_hotkey(args.words, args.overwrite)?;
    report_new(out, args.wallet.json, &w, Some(&cold), Some(&hot))
}

fn report_new(
    out: &mut dyn Write,
    json: bool,
    w: &Wallet,
    cold: Option<&NewKey>,
    hot: Option<&NewKey>,
) -> anyhow::Result<ExitCode> {
    if json {
        let mut doc = json!({ "wallet": w.name(), "path": w.dir() });
        if let Some(c) = cold {
            doc["coldkey"] = json!({ "ss58": c.account.to_ss58(), "mnemonic": c.phrase.as_deref().map(|s| s.as_str()) });
        }
        if let Some(h) = hot {
            doc["hotkey"] = json!({ "name": w.hotkey_name(), "ss58": h.account.to_ss58(), "mnemonic": h.phrase.as_deref().map(|s| s.as_str()) });
        }
        doc["warning"] = json!(MNEMONIC_WARNING);
        writeln!(out, "{doc}")?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(c) = cold {
        writeln!(out, "coldkey {} in {}", c.account, w.dir().display())?;
        if let Some(p) = &c.phrase {
            writeln!(out, "  mnemonic: {}", p.as_str())?;
        }
    }
    if let Some(h) = hot {
        writeln!(
            out,
            "hotkey '{}' {} in {}",
            w.hotkey_name(),
            h.account,
            w.dir().join("hotkeys").display()
        )?;
        if let Some(p) = &h.phrase {
            writeln!(out, "  mnemonic: {}", p.as_str())?;
        }
    }
    writeln!(out, "{MNEMONIC_WARNING}")?;
    Ok(ExitCode::SUCCESS)
}

fn report_regen(
    out: &mut dyn Write,
    json: bool,
    what: &str,
    w: &Wallet,
    key: &NewKey,
) -> anyhow::Result<ExitCode> {
    if json {
        let mut doc = json!({ "wallet": w.name(), "path": w.dir(), "key": what, "ss58": key.account.to_ss58() });
        if what == "hotkey" {
            doc["hotkey"] = json!(w.hotkey_name());
        }
        writeln!(out, "{doc}")?;
    } else if what == "hotkey" {
        writeln!(
            out,
            "restored hotkey '{}' {} in wallet '{}'",
            w.hotkey_name(),
            key.account,
            w.name()
        )?;
    } else {
        writeln!(out, "restored coldkey {} in wallet '{}'", key.account, w.name())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A key's address, or the error that kept it from being read, for `list` and `show`.
fn address(
    result: rustensor_sdk::wallet::Result<rustensor_primitives::AccountId32>,
) -> serde_json::Value {
    match result {
        Ok(acc) => json!({ "ss58": acc.to_ss58() }),
        Err(e) => json!({ "error": e.to_string() }),
    }
}

fn text(v: &serde_json::Value) -> String {
    match (v.get("ss58").and_then(|s| s.as_str()), v.get("error").and_then(|s| s.as_str())) {
        (Some(s), _) => s.to_owned(),
        (None, Some(e)) => format!("? ({e})"),
        _ => "?".to_owned(),
    }
}

fn list(args: &ListArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let root = args.root.root();
    let mut wallets = Vec::new();
    for name in list_wallets(&root)? {
        let w = Wallet::new(&root, &name, DEFAULT_HOTKEY_NAME);
        let mut hotkeys = Vec::new();
        for hk in w.hotkey_names()? {
            let hw = Wallet::new(&root, &name, &hk);
            let mut entry = address(hw.hotkeypub());
            entry["name"] = json!(hk);
            hotkeys.push(entry);
        }
        let coldkey = if w.coldkeypub_file().exists() {
            address(w.coldkeypub())
        } else {
            serde_json::Value::Null
        };
        wallets.push(json!({ "name": name, "coldkey": coldkey, "hotkeys": hotkeys }));
    }
    if args.json {
        writeln!(out, "{}", json!({ "path": root, "wallets": wallets }))?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "wallets under {}", root.display())?;
    if wallets.is_empty() {
        writeln!(out, "  (none; create one with `rustensor wallet create`)")?;
    }
    for w in &wallets {
        let cold = if w["coldkey"].is_null() {
            "(no coldkeypub.txt)".to_owned()
        } else {
            text(&w["coldkey"])
        };
        writeln!(out, "{}  coldkey {cold}", w["name"].as_str().unwrap_or("?"))?;
        for h in w["hotkeys"].as_array().into_iter().flatten() {
            writeln!(out, "  hotkey {}  {}", h["name"].as_str().unwrap_or("?"), text(h))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show(args: &ShowArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let w = args.wallet.wallet();
    let coldkeypub = w.coldkeypub()?;
    let format =
        if w.coldkey_file().exists() { w.coldkey_file().format()?.name() } else { "missing" };
    let hotkey = if w.hotkey_file().exists() || w.hotkeypub_file().exists() {
        address(w.hotkeypub())
    } else {
        serde_json::Value::Null
    };
    let hotkeys = w.hotkey_names()?;
    if args.wallet.json {
        let doc = json!({
            "wallet": w.name(),
            "path": w.dir(),
            "coldkey": { "ss58": coldkeypub.to_ss58(), "public_key": coldkeypub.to_hex(), "encryption": format },
            "hotkey": { "name": w.hotkey_name(), "address": hotkey },
            "hotkeys": hotkeys,
        });
        writeln!(out, "{doc}")?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "wallet   {} ({})", w.name(), w.dir().display())?;
    writeln!(out, "coldkey  {coldkeypub} (file: {format})")?;
    let hot = if hotkey.is_null() { "(none)".to_owned() } else { text(&hotkey) };
    writeln!(out, "hotkey   {}  {hot}", w.hotkey_name())?;
    writeln!(out, "hotkeys  {}", hotkeys.join(", "))?;
    Ok(ExitCode::SUCCESS)
}
