//! The chain commands: balances and transfers, subnets, registration, staking, weights and the
//! metagraph, over the SDK's [`ChainClient`].
//!
//! Every command takes `--network` (`local` = ws://127.0.0.1:9944, or a `ws://` / `http://`
//! URL; also `$RUSTENSOR_NETWORK`), prints human tables by default and exactly one JSON
//! document with `--json`. Commands that move funds ask for confirmation unless `--yes` is
//! given, and refuse to guess when no terminal can answer. A failed transaction prints the
//! chain's module error with its docs and exits non-zero.
//!
//! Keys come from a bittensor wallet (`--wallet`, `--hotkey`, `--wallet-path`; the coldkey
//! password from `$RUSTENSOR_WALLET_PASSWORD` or a prompt), or, for development chains, from a
//! secret URI with `--uri //Alice`.

use std::io::{IsTerminal as _, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand};
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_primitives::{AccountId32, Balance, NetUid};
use rustensor_runtime::pallets::balances::{self, MultiAddress};
use rustensor_runtime::pallets::{RuntimeCall, admin_utils, subtensor, sudo};
use rustensor_sdk::chain::{
    ChainClient, ConnectOptions, TxOptions, TxReceipt, fraction, network_url,
};
use rustensor_sdk::wallet::{
    DEFAULT_HOTKEY_NAME, DEFAULT_WALLET_NAME, PasswordSource, Wallet, default_root,
};
use serde_json::{Value, json};

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
    fn wallet(&self) -> Wallet {
        let root = self
            .wallet_path
            .as_deref()
            .map(rustensor_sdk::wallet::expand_tilde)
            .unwrap_or_else(default_root);
        Wallet::new(root, &self.wallet, &self.hotkey)
    }

    /// The coldkey pair (asks for the password if it is encrypted).
    fn coldkey(&self) -> anyhow::Result<Pair> {
        if let Some(uri) = &self.uri {
            return Pair::from_uri(uri, None).map_err(|e| anyhow::anyhow!("bad --uri: {e}"));
        }
        Ok(self.wallet().coldkey(&PasswordSource::Interactive)?)
    }

    /// The coldkey's address (no password needed).
    fn coldkey_address(&self) -> anyhow::Result<AccountId32> {
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

fn connect(net: &NetworkArgs) -> anyhow::Result<(tokio::runtime::Runtime, ChainClient)> {
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

/// The `serve_axon` call announcing `addr` on `netuid`, refused before signing for the
/// loopback addresses the chain rejects (subtensor's rule).
///
/// # Errors
///
/// `addr` is 127.0.0.1 or ::1.
pub(crate) fn serve_axon_call(
    netuid: NetUid,
    addr: std::net::SocketAddr,
    version: u32,
) -> anyhow::Result<RuntimeCall> {
    let ip = addr.ip();
    if ip == std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)
        || ip == std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)
    {
        bail!(
            "the chain refuses {ip} as an axon address (subtensor's rule); on one machine use another \
               loopback address such as 127.0.0.2, which Linux also routes to this host"
        );
    }
    let (ip, ip_type) = match ip {
        std::net::IpAddr::V4(v4) => (u128::from(u32::from(v4)), 4),
        std::net::IpAddr::V6(v6) => (u128::from(v6), 6),
    };
    Ok(RuntimeCall::Subtensor(subtensor::Call::ServeAxon {
        netuid,
        version,
        ip,
        port: addr.port(),
        ip_type,
        protocol: 4,
        placeholder1: 0,
        placeholder2: 0,
    }))
}

fn parse_address(text: &str) -> anyhow::Result<AccountId32> {
    text.parse().map_err(|e| anyhow::anyhow!("{text:?} is not an SS58 address: {e}"))
}

fn parse_tao(text: &str) -> anyhow::Result<Balance> {
    Balance::parse_tao(text).map_err(|e| anyhow::anyhow!("{text:?} is not an amount of TAO: {e}"))
}

/// Asks "proceed?" unless `--yes`; refuses without a terminal.
fn confirm(net: &NetworkArgs, what: &str) -> anyhow::Result<()> {
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

/// Submits `call`, showing progress on a terminal.
fn submit(
    rt: &tokio::runtime::Runtime,
    client: &ChainClient,
    signer: &Pair,
    call: RuntimeCall,
) -> anyhow::Result<TxReceipt> {
    let result = with_spinner("signing, submitting and waiting for finalization", || {
        rt.block_on(client.submit(signer, call, TxOptions::default()))
    });
    Ok(result?)
}

/// Runs `work` while a spinner with the elapsed seconds turns on stderr (only on a terminal,
/// so scripts and `--json` consumers see nothing of it).
pub(crate) fn with_spinner<T>(what: &str, work: impl FnOnce() -> T) -> T {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let done = Arc::new(AtomicBool::new(false));
    let spinner = {
        let (done, what) = (done.clone(), what.to_owned());
        std::thread::spawn(move || {
            const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
            #[allow(clippy::disallowed_methods, reason = "progress display only")]
            let began = std::time::Instant::now();
            let mut frame = 0usize;
            while !done.load(Ordering::Relaxed) {
                eprint!(
                    "\r\x1b[2K{} {what}… {:.1} s",
                    FRAMES[frame % FRAMES.len()],
                    began.elapsed().as_secs_f32()
                );
                frame = frame.wrapping_add(1);
                std::thread::sleep(std::time::Duration::from_millis(80));
            }
            eprint!("\r\x1b[2K");
        })
    };
    let result = work();
    done.store(true, Ordering::Relaxed);
    let _ = spinner.join();
    result
}

fn receipt_json(receipt: &TxReceipt) -> Value {
    json!({
        "extrinsic_hash": format!("0x{}", hex::encode(receipt.hash)),
        "block_number": receipt.block.map(|b| b.number),
        "block_hash": receipt.block.map(|b| format!("0x{}", hex::encode(b.hash))),
        "finalized": receipt.finalized,
        "fee_rao": receipt.fee,
        "events": receipt.events.iter().map(|e| format!("{}.{}", e.pallet(), e.name())).collect::<Vec<_>>(),
    })
}

fn print_receipt(
    out: &mut dyn Write,
    net: &NetworkArgs,
    what: &str,
    receipt: &TxReceipt,
    extra: Value,
) -> anyhow::Result<ExitCode> {
    if net.json {
        let mut doc = receipt_json(receipt);
        if let (Value::Object(doc), Value::Object(extra)) = (&mut doc, extra) {
            doc.extend(extra);
        }
        writeln!(out, "{doc}")?;
    } else {
        let block = receipt.block.map_or_else(|| "?".into(), |b| format!("#{}", b.number));
        writeln!(
            out,
            "✔ {what}: finalized in block {block} (fee {})",
            Balance::from_rao(receipt.fee)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------------------------------------
// wallet balance | transfer

/// Arguments of `rustensor wallet balance`.
#[derive(Debug, Args)]
pub struct BalanceArgs {
    #[command(flatten)]
    net: NetworkArgs,
    #[command(flatten)]
    keys: KeyArgs,
    /// Show this address instead of the wallet's coldkey.
    #[arg(long, value_name = "SS58")]
    pub address: Option<String>,
}

/// Arguments of `rustensor wallet transfer`.
#[derive(Debug, Args)]
pub struct TransferArgs {
    #[command(flatten)]
    net: NetworkArgs,
    #[command(flatten)]
    keys: KeyArgs,
    /// The recipient's SS58 address.
    #[arg(long, value_name = "SS58")]
    pub dest: String,
    /// TAO to send (e.g. 1.5).
    #[arg(long, value_name = "TAO")]
    pub amount: String,
    /// Allow the transfer to empty the sender's account below the existential deposit.
    #[arg(long)]
    pub allow_death: bool,
}

/// Arguments of `rustensor wallet overview`.
#[derive(Debug, Args)]
pub struct OverviewArgs {
    #[command(flatten)]
    net: NetworkArgs,
    #[command(flatten)]
    keys: KeyArgs,
}

/// `rustensor wallet overview`: the coldkey's balance and stake, and for every hotkey of the
/// wallet (or the one given by URI) where it is registered and what it earns.
pub fn overview(args: &OverviewArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let coldkey = args.keys.coldkey_address()?;
    let hotkeys: Vec<(String, AccountId32)> =
        if args.keys.uri.is_some() || args.keys.hotkey_uri.is_some() {
            let pair = args.keys.hotkey()?;
            vec![(
                args.keys.hotkey_uri.clone().or_else(|| args.keys.uri.clone()).unwrap_or_default(),
                pair.account_id(),
            )]
        } else {
            let wallet = args.keys.wallet();
            let mut keys = Vec::new();
            for name in wallet.hotkey_names()? {
                let w = Wallet::new(wallet.root(), wallet.name(), &name);
                match w.hotkeypub().or_else(|_| w.hotkey().map(|p| p.account_id())) {
                    Ok(account) => keys.push((name, account)),
                    Err(e) => eprintln!("skipping hotkey {name}: {e}"),
                }
            }
            keys
        };
    let (rt, client) = connect(&args.net)?;
    let account = rt.block_on(client.account(&coldkey, None))?;
    let stakes = rt.block_on(client.stake_of_coldkey(&coldkey, None))?;
    let subnets = rt.block_on(client.subnets(None))?;
    let mut neurons = Vec::new();
    for subnet in subnets.iter().filter(|s| s.netuid.0.0 != 0) {
        let netuid = subnet.netuid.0;
        let mut metagraph = None;
        for (name, hotkey) in &hotkeys {
            if let Some(uid) = rt.block_on(client.uid_of(netuid, hotkey, None))? {
                if metagraph.is_none() {
                    metagraph = Some(rt.block_on(client.metagraph(netuid, None))?);
                }
                let n = metagraph.as_ref().and_then(|m| m.neurons.get(usize::from(uid)));
                neurons.push(json!({
                    "hotkey_name": name, "hotkey": hotkey.to_string(), "netuid": netuid.0, "uid": uid,
                    "stake_rao": n.map(|n| n.total_stake), "incentive": n.map(|n| fraction(n.incentive)),
                    "dividends": n.map(|n| fraction(n.dividends)), "emission_rao": n.map(|n| n.emission),
                    "validator_permit": n.map(|n| n.validator_permit), "axon": n.and_then(|n| n.axon).map(|a| a.to_string()),
                }));
            }
        }
    }
    let positions: Vec<Value> = stakes
        .iter()
        .map(|s| {
            json!({
                "netuid": s.netuid.0.0, "hotkey": s.hotkey.to_string(), "alpha_rao": s.stake.0,
            })
        })
        .collect();
    if args.net.json {
        writeln!(
            out,
            "{}",
            json!({
                "coldkey": coldkey.to_string(), "free_rao": account.data.free, "stakes": positions, "neurons": neurons,
            })
        )?;
    } else {
        writeln!(out, "coldkey {coldkey}: free {}", Balance::from_rao(account.data.free))?;
        writeln!(out, "stake positions: {}", stakes.len())?;
        for s in &stakes {
            writeln!(
                out,
                "  subnet {:>3}  {}  {} alpha",
                s.netuid.0.0,
                s.hotkey,
                Balance::from_rao(s.stake.0).to_tao_string()
            )?;
        }
        writeln!(out, "registered hotkeys: {}", neurons.len())?;
        for n in &neurons {
            writeln!(
                out,
                "  subnet {:>3} uid {:>4}  {:<12} incentive {:.5} dividends {:.5} emission {} {}",
                n["netuid"],
                n["uid"],
                n["hotkey_name"].as_str().unwrap_or(""),
                n["incentive"].as_f64().unwrap_or(0.0),
                n["dividends"].as_f64().unwrap_or(0.0),
                n["emission_rao"],
                n["axon"].as_str().unwrap_or("")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `rustensor wallet balance`.
pub fn balance(args: &BalanceArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let who = match &args.address {
        Some(a) => parse_address(a)?,
        None => args.keys.coldkey_address()?,
    };
    let (rt, client) = connect(&args.net)?;
    let account = rt.block_on(client.account(&who, None))?;
    let stakes = rt.block_on(client.stake_of_coldkey(&who, None))?;
    let staked: u64 = stakes.iter().map(|s| s.stake.0).fold(0, u64::saturating_add);
    if args.net.json {
        writeln!(
            out,
            "{}",
            json!({
                "address": who.to_string(),
                "free_rao": account.data.free,
                "free_tao": Balance::from_rao(account.data.free).to_tao_string(),
                "staked_alpha_rao": staked,
                "nonce": account.nonce,
            })
        )?;
    } else {
        writeln!(out, "{who}")?;
        writeln!(out, "  free    {}", Balance::from_rao(account.data.free))?;
        writeln!(out, "  staked  {} alpha positions, {} RAO of alpha", stakes.len(), staked)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `rustensor wallet transfer`.
pub fn transfer(args: &TransferArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let dest = parse_address(&args.dest)?;
    let amount = parse_tao(&args.amount)?;
    let (rt, client) = connect(&args.net)?;
    let signer = args.keys.coldkey()?;
    confirm(&args.net, &format!("Transfer {amount} from {} to {dest}", signer.account_id()))?;
    let value = amount.rao();
    let call = if args.allow_death {
        balances::Call::TransferAllowDeath { dest: MultiAddress::Id(dest), value }
    } else {
        balances::Call::TransferKeepAlive { dest: MultiAddress::Id(dest), value }
    };
    let receipt = submit(&rt, &client, &signer, RuntimeCall::Balances(call))?;
    print_receipt(
        out,
        &args.net,
        &format!("sent {amount} to {dest}"),
        &receipt,
        json!({"amount_rao": value, "dest": dest.to_string()}),
    )
}

// ---------------------------------------------------------------------------------------------
// subnet

/// `rustensor subnet` subcommands.
#[derive(Debug, Subcommand)]
pub enum SubnetCommand {
    /// List the subnets with their pools and emission.
    ///
    /// Example: rustensor subnet list --network ws://127.0.0.1:9944
    #[command(verbatim_doc_comment)]
    List,
    /// Show one subnet's neurons (same as `rustensor metagraph NETUID`).
    ///
    /// Example: rustensor subnet show 1
    #[command(verbatim_doc_comment)]
    Show(NetuidArg),
    /// Create a subnet owned by the wallet's coldkey, with the wallet's hotkey as owner hotkey.
    /// Locks the current lock cost (see `subnet lock-cost`).
    ///
    /// Example: rustensor subnet create --wallet owner --hotkey default
    #[command(verbatim_doc_comment)]
    Create,
    /// Start a subnet's emission (owner only, after the start delay).
    ///
    /// Example: rustensor subnet start 1 --wallet owner
    #[command(verbatim_doc_comment)]
    Start(NetuidArg),
    /// What registering a neuron on the subnet burns now.
    ///
    /// Example: rustensor subnet burn-cost 1
    #[command(verbatim_doc_comment)]
    BurnCost(NetuidArg),
    /// Show a subnet's hyperparameters.
    ///
    /// Example: rustensor subnet hyperparameters 1 --json
    #[command(verbatim_doc_comment)]
    Hyperparameters(NetuidArg),
    /// What creating a subnet locks now.
    ///
    /// Example: rustensor subnet lock-cost
    #[command(verbatim_doc_comment)]
    LockCost,
    /// Set a subnet hyperparameter as its owner (or, with --sudo, as the chain's sudo key).
    ///
    /// Parameters: commit_reveal_weights_enabled, weights_rate_limit, immunity_period,
    /// min_allowed_weights, min_allowed_uids, max_allowed_uids, kappa, rho, activity_cutoff,
    /// registration_allowed, pow_registration_allowed, max_allowed_validators,
    /// min_burn, max_burn, bonds_moving_average, liquid_alpha_enabled,
    /// commit_reveal_period, serving_rate_limit, tempo (sudo only), weights_version_key,
    /// difficulty, min_difficulty, max_difficulty.
    /// Example: rustensor subnet set 1 --param commit_reveal_weights_enabled --value false
    #[command(verbatim_doc_comment)]
    Set(SetParamArgs),
}

/// Arguments of `rustensor subnet set`.
#[derive(Debug, Args)]
pub struct SetParamArgs {
    /// The subnet's netuid.
    #[arg(value_name = "NETUID")]
    pub netuid: u16,
    /// The hyperparameter's name.
    #[arg(long, value_name = "NAME")]
    pub param: String,
    /// Its new value (a number, or true/false).
    #[arg(long, value_name = "VALUE")]
    pub value: String,
    /// Sign as the chain's sudo key (wraps the call in `Sudo.sudo`).
    #[arg(long)]
    pub sudo: bool,
}

/// The `AdminUtils` call that sets `param` on `netuid` to `value`.
fn hyperparameter_call(
    netuid: NetUid,
    param: &str,
    value: &str,
) -> anyhow::Result<admin_utils::Call> {
    use admin_utils::Call as C;
    fn num<T: std::str::FromStr>(param: &str, value: &str) -> anyhow::Result<T> {
        value.parse().map_err(|_| anyhow::anyhow!("{param} takes a whole number, not {value:?}"))
    }
    fn flag(param: &str, value: &str) -> anyhow::Result<bool> {
        match value {
            "true" | "1" | "on" | "yes" => Ok(true),
            "false" | "0" | "off" | "no" => Ok(false),
            _ => bail!("{param} takes true or false, not {value:?}"),
        }
    }
    let v = value;
    Ok(match param {
        "commit_reveal_weights_enabled" => {
            C::SudoSetCommitRevealWeightsEnabled { netuid, enabled: flag(param, v)? }
        }
        "liquid_alpha_enabled" => C::SudoSetLiquidAlphaEnabled { netuid, enabled: flag(param, v)? },
        "registration_allowed" => {
            C::SudoSetNetworkRegistrationAllowed { netuid, registration_allowed: flag(param, v)? }
        }
        "pow_registration_allowed" => C::SudoSetNetworkPowRegistrationAllowed {
            netuid,
            registration_allowed: flag(param, v)?,
        },
        "weights_rate_limit" => {
            C::SudoSetWeightsSetRateLimit { netuid, weights_set_rate_limit: num(param, v)? }
        }
        "weights_version_key" => {
            C::SudoSetWeightsVersionKey { netuid, weights_version_key: num(param, v)? }
        }
        "immunity_period" => C::SudoSetImmunityPeriod { netuid, immunity_period: num(param, v)? },
        "min_allowed_weights" => {
            C::SudoSetMinAllowedWeights { netuid, min_allowed_weights: num(param, v)? }
        }
        "min_allowed_uids" => C::SudoSetMinAllowedUids { netuid, min_allowed_uids: num(param, v)? },
        "max_allowed_uids" => C::SudoSetMaxAllowedUids { netuid, max_allowed_uids: num(param, v)? },
        "max_allowed_validators" => {
            C::SudoSetMaxAllowedValidators { netuid, max_allowed_validators: num(param, v)? }
        }
        "kappa" => C::SudoSetKappa { netuid, kappa: num(param, v)? },
        "rho" => C::SudoSetRho { netuid, rho: num(param, v)? },
        "activity_cutoff" => C::SudoSetActivityCutoff { netuid, activity_cutoff: num(param, v)? },
        "min_burn" => C::SudoSetMinBurn { netuid, min_burn: num(param, v)? },
        "max_burn" => C::SudoSetMaxBurn { netuid, max_burn: num(param, v)? },
        "bonds_moving_average" => {
            C::SudoSetBondsMovingAverage { netuid, bonds_moving_average: num(param, v)? }
        }
        "commit_reveal_period" => {
            C::SudoSetCommitRevealWeightsInterval { netuid, interval: num(param, v)? }
        }
        "serving_rate_limit" => {
            C::SudoSetServingRateLimit { netuid, serving_rate_limit: num(param, v)? }
        }
        "tempo" => C::SudoSetTempo { netuid, tempo: num(param, v)? },
        "difficulty" => C::SudoSetDifficulty { netuid, difficulty: num(param, v)? },
        "min_difficulty" => C::SudoSetMinDifficulty { netuid, min_difficulty: num(param, v)? },
        "max_difficulty" => C::SudoSetMaxDifficulty { netuid, max_difficulty: num(param, v)? },
        other => bail!(
            "unknown hyperparameter {other:?}; see `rustensor subnet set --help` for the list"
        ),
    })
}

/// A subnet id.
#[derive(Debug, Args)]
pub struct NetuidArg {
    /// The subnet's netuid.
    #[arg(value_name = "NETUID")]
    pub netuid: u16,
}

/// Arguments of `rustensor subnet`.
#[derive(Debug, Args)]
pub struct SubnetArgs {
    #[command(flatten)]
    net: NetworkArgs,
    #[command(flatten)]
    keys: KeyArgs,
    #[command(subcommand)]
    cmd: SubnetCommand,
}

fn text(bytes: &[parity_scale_codec::Compact<u8>]) -> String {
    String::from_utf8_lossy(&bytes.iter().map(|c| c.0).collect::<Vec<u8>>()).into_owned()
}

/// `rustensor subnet …`.
pub fn subnet(args: &SubnetArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let net = &args.net;
    match &args.cmd {
        SubnetCommand::List => {
            let (rt, client) = connect(net)?;
            let subnets = rt.block_on(client.subnets(None))?;
            let rows: Vec<Value> = subnets
                .iter()
                .map(|s| {
                    json!({
                        "netuid": s.netuid.0.0,
                        "name": text(&s.subnet_name),
                        "symbol": text(&s.token_symbol),
                        "owner_coldkey": s.owner_coldkey.to_string(),
                        "tempo": s.tempo.0,
                        "tao_in_rao": s.tao_in.0,
                        "alpha_in_rao": s.alpha_in.0,
                        "alpha_out_rao": s.alpha_out.0,
                        // DynamicInfo's `emission` is deprecated (always 0, as in subtensor);
                        // what the subnet receives each block is the TAO injected into its pool.
                        "emission_rao": s.tao_in_emission.0,
                        "alpha_out_emission_rao": s.alpha_out_emission.0,
                        "registered_at": s.network_registered_at.0,
                    })
                })
                .collect();
            if net.json {
                writeln!(out, "{}", json!({ "subnets": rows }))?;
            } else {
                writeln!(
                    out,
                    "{:>6}  {:<16} {:>6} {:>18} {:>18} {:>18}",
                    "NETUID", "NAME", "TEMPO", "TAO IN", "ALPHA IN", "EMISSION τ/BLOCK"
                )?;
                for s in &subnets {
                    writeln!(
                        out,
                        "{:>6}  {:<16} {:>6} {:>18} {:>18} {:>18}",
                        s.netuid.0.0,
                        text(&s.subnet_name),
                        s.tempo.0,
                        Balance::from_rao(s.tao_in.0).to_string(),
                        s.alpha_in.0,
                        Balance::from_rao(s.tao_in_emission.0).to_string()
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        SubnetCommand::Show(n) => metagraph_of(net, NetUid(n.netuid), false, out),
        SubnetCommand::Create => {
            let (rt, client) = connect(net)?;
            let cost = rt.block_on(client.subnet_lock_cost(None))?;
            let signer = args.keys.coldkey()?;
            let hotkey = args.keys.hotkey()?.account_id();
            confirm(net, &format!("Create a subnet locking {cost} from {}", signer.account_id()))?;
            let call = RuntimeCall::Subtensor(subtensor::Call::RegisterNetwork { hotkey });
            let receipt = submit(&rt, &client, &signer, call)?;
            let netuid = receipt.events.iter().find_map(|e| match e {
                rustensor_sdk::chain::RuntimeEvent::Subtensor(subtensor::Event::NetworkAdded(
                    netuid,
                    _,
                )) => Some(netuid.0),
                _ => None,
            });
            let label = netuid
                .map_or_else(|| "created a subnet".to_owned(), |n| format!("created subnet {n}"));
            print_receipt(
                out,
                net,
                &label,
                &receipt,
                json!({"netuid": netuid, "lock_cost_rao": cost.rao()}),
            )
        }
        SubnetCommand::Start(n) => {
            let (rt, client) = connect(net)?;
            let signer = args.keys.coldkey()?;
            let call =
                RuntimeCall::Subtensor(subtensor::Call::StartCall { netuid: NetUid(n.netuid) });
            let receipt = submit(&rt, &client, &signer, call)?;
            print_receipt(
                out,
                net,
                &format!("started subnet {}", n.netuid),
                &receipt,
                json!({"netuid": n.netuid}),
            )
        }
        SubnetCommand::BurnCost(n) => {
            let (rt, client) = connect(net)?;
            let cost = rt.block_on(client.burn_cost(NetUid(n.netuid), None))?;
            print_amount(out, net, "burn_cost", cost, json!({"netuid": n.netuid}))
        }
        SubnetCommand::Set(p) => {
            let netuid = NetUid(p.netuid);
            let call = RuntimeCall::AdminUtils(hyperparameter_call(netuid, &p.param, &p.value)?);
            let call =
                if p.sudo { RuntimeCall::Sudo(sudo::Call::Sudo(Box::new(call))) } else { call };
            let (rt, client) = connect(net)?;
            let signer = args.keys.coldkey()?;
            let receipt = submit(&rt, &client, &signer, call)?;
            // `Sudo.sudo` succeeds even when the inner call fails: report the inner result.
            for event in &receipt.events {
                if let rustensor_sdk::chain::RuntimeEvent::Sudo(sudo::Event::Sudid {
                    sudo_result: Err(e),
                }) = event
                {
                    bail!("the sudo call failed: {}", client.errors().describe(e));
                }
            }
            print_receipt(
                out,
                net,
                &format!("set {} = {} on subnet {netuid}", p.param, p.value),
                &receipt,
                json!({"netuid": p.netuid, "param": p.param, "value": p.value}),
            )
        }
        SubnetCommand::Hyperparameters(n) => {
            use rustensor_runtime::pallets::subtensor::runtime_api::hyperparams::HyperparamValue as V;
            let (rt, client) = connect(net)?;
            let entries = rt.block_on(client.hyperparameters(NetUid(n.netuid), None))?;
            let rows: Vec<(String, Value)> = entries
                .iter()
                .map(|e| {
                    let value = match &e.value {
                        V::Bool(b) => json!(b),
                        V::U16(v) => json!(v.0),
                        V::U32(v) => json!(v.0),
                        V::U64(v) | V::TaoBalance(v) => json!(v.0),
                        // Wide and fixed-point values as exact strings (raw bits for fixed point).
                        V::U128(v) => json!(v.0.to_string()),
                        V::I32F32(bits) => json!(format!("I32F32 bits {bits}")),
                        V::U64F64(bits) => json!(format!("U64F64 bits {bits}")),
                    };
                    (String::from_utf8_lossy(&e.name).into_owned(), value)
                })
                .collect();
            if net.json {
                let map: serde_json::Map<String, Value> = rows.into_iter().collect();
                writeln!(out, "{}", json!({"netuid": n.netuid, "hyperparameters": map}))?;
            } else {
                for (name, value) in rows {
                    writeln!(out, "{name:<32} {value}")?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        SubnetCommand::LockCost => {
            let (rt, client) = connect(net)?;
            let cost = rt.block_on(client.subnet_lock_cost(None))?;
            print_amount(out, net, "lock_cost", cost, json!({}))
        }
    }
}

fn print_amount(
    out: &mut dyn Write,
    net: &NetworkArgs,
    name: &str,
    amount: Balance,
    extra: Value,
) -> anyhow::Result<ExitCode> {
    if net.json {
        let mut doc = json!({ format!("{name}_rao"): amount.rao(), format!("{name}_tao"): amount.to_tao_string() });
        if let (Value::Object(doc), Value::Object(extra)) = (&mut doc, extra) {
            doc.extend(extra);
        }
        writeln!(out, "{doc}")?;
    } else {
        writeln!(out, "{amount}")?;
    }
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------------------------------------
// register

/// Arguments of `rustensor register`.
#[derive(Debug, Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    net: NetworkArgs,
    #[command(flatten)]
    keys: KeyArgs,
    /// The subnet to register on.
    #[arg(long, value_name = "NETUID")]
    pub netuid: u16,
    /// Register by burning TAO (the default).
    #[arg(long, conflicts_with = "pow")]
    pub burn: bool,
    /// Register by proof of work, solved on every core (the subnet must allow PoW).
    #[arg(long)]
    pub pow: bool,
    /// Threads for --pow [default: all cores].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

/// `rustensor register`: burned (default) or proof-of-work registration of the hotkey.
pub fn register(args: &RegisterArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let netuid = NetUid(args.netuid);
    let (rt, client) = connect(&args.net)?;
    let hotkey_pair = args.keys.hotkey()?;
    let hotkey = hotkey_pair.account_id();
    if let Some(uid) = rt.block_on(client.uid_of(netuid, &hotkey, None))? {
        bail!("hotkey {hotkey} is already registered on subnet {netuid} as uid {uid}");
    }
    if args.pow {
        return register_pow(args, &rt, &client, &hotkey_pair, out);
    }
    let cost = rt.block_on(client.burn_cost(netuid, None))?;
    let signer = args.keys.coldkey()?;
    confirm(&args.net, &format!("Register hotkey {hotkey} on subnet {netuid}, burning {cost}"))?;
    let call = RuntimeCall::Subtensor(subtensor::Call::BurnedRegister { netuid, hotkey });
    let receipt = submit(&rt, &client, &signer, call)?;
    let uid = rt.block_on(client.uid_of(netuid, &hotkey, None))?;
    print_receipt(
        out,
        &args.net,
        &format!(
            "registered {hotkey} on subnet {netuid} as uid {}",
            uid.map_or("?".into(), |u| u.to_string())
        ),
        &receipt,
        json!({"netuid": args.netuid, "hotkey": hotkey.to_string(), "uid": uid, "burn_rao": cost.rao(), "method": "burn"}),
    )
}

/// How many times a PoW registration is re-solved when its block ages out (the chain accepts
/// work on one of the last 3 blocks only).
const POW_ATTEMPTS: u32 = 10;

fn register_pow(
    args: &RegisterArgs,
    rt: &tokio::runtime::Runtime,
    client: &ChainClient,
    hotkey: &Pair,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    use rustensor_runtime::pallets::subtensor::storage as st;
    use rustensor_sdk::chain::{ChainError, PowProgress, solve_pow};
    let netuid = NetUid(args.netuid);
    if !rt.block_on(client.read::<st::NetworkPowRegistrationAllowed>(&netuid, None))? {
        bail!("subnet {netuid} does not allow proof-of-work registration: register with --burn");
    }
    let coldkey = args.keys.coldkey_address()?;
    let threads =
        args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let tty = std::io::stderr().is_terminal();
    let mut start_nonce = 0u64;
    for attempt in 1..=POW_ATTEMPTS {
        let block = rt.block_on(client.finalized_block())?;
        let difficulty = rt.block_on(client.read::<st::Difficulty>(&netuid, Some(block.hash)))?;
        let progress = PowProgress::default();
        // Show hashes and rate while the search runs.
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reporter = tty.then(|| {
            let (progress, done) = (progress.clone(), done.clone());
            std::thread::spawn(move || {
                #[allow(clippy::disallowed_methods, reason = "progress display only")]
                let began = std::time::Instant::now();
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    std::thread::sleep(std::time::Duration::from_millis(200));
                    let secs = began.elapsed().as_secs_f64().max(0.001);
                    #[allow(clippy::cast_precision_loss, reason = "display only")]
                    let rate = progress.hashes() as f64 / secs;
                    eprint!(
                        "\r\x1b[2K⠿ proof of work (difficulty {difficulty}, {threads} threads): {} hashes, {rate:.0}/s",
                        progress.hashes()
                    );
                }
                eprint!("\r\x1b[2K");
            })
        });
        let solution = solve_pow(
            &block.hash,
            &hotkey.account_id(),
            difficulty,
            start_nonce,
            threads,
            &progress,
        );
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(handle) = reporter {
            let _ = handle.join();
        }
        let Some(solution) = solution else { bail!("proof of work cancelled") };
        start_nonce = solution.nonce.wrapping_add(1);
        let call = RuntimeCall::Subtensor(subtensor::Call::Register {
            netuid,
            block_number: block.number,
            nonce: solution.nonce,
            work: solution.seal.to_vec(),
            hotkey: hotkey.account_id(),
            coldkey,
        });
        match submit(rt, client, hotkey, call) {
            Ok(receipt) => {
                let uid = rt.block_on(client.uid_of(netuid, &hotkey.account_id(), None))?;
                return print_receipt(
                    out,
                    &args.net,
                    &format!(
                        "registered {} on subnet {netuid} by proof of work",
                        hotkey.account_id()
                    ),
                    &receipt,
                    json!({"netuid": args.netuid, "hotkey": hotkey.account_id().to_string(), "uid": uid,
                           "method": "pow", "nonce": solution.nonce, "difficulty": difficulty, "attempts": attempt}),
                );
            }
            // The work's block aged out before inclusion: solve again on a newer block.
            Err(e) if matches!(e.downcast_ref::<ChainError>(), Some(ChainError::Failed { failure, .. }) if failure.name == "InvalidWorkBlock") => {
                if tty {
                    eprintln!(
                        "work block too old by the time it was included; solving again ({attempt}/{POW_ATTEMPTS})"
                    );
                }
            }
            Err(e) => return Err(e),
        }
    }
    bail!(
        "proof of work kept arriving too late ({POW_ATTEMPTS} tries): the difficulty is high for this machine; try --burn"
    )
}

// ---------------------------------------------------------------------------------------------
// stake

/// `rustensor stake` subcommands.
#[derive(Debug, Subcommand)]
pub enum StakeCommand {
    /// Stake TAO from the coldkey to a hotkey on a subnet (bought as alpha at the pool price).
    ///
    /// Example: rustensor stake add --netuid 1 --amount 10 --hotkey-address 5F...
    #[command(verbatim_doc_comment)]
    Add(StakeAmountArgs),
    /// Unstake alpha (in RAO of alpha, or --all) from a hotkey on a subnet, back to TAO.
    ///
    /// Example: rustensor stake remove --netuid 1 --amount 5 --hotkey-address 5F...
    #[command(verbatim_doc_comment)]
    Remove(StakeAmountArgs),
    /// Move alpha between hotkeys and/or subnets, staying with the same coldkey.
    ///
    /// Example: rustensor stake move --origin-netuid 1 --dest-netuid 2 --amount 5 --origin-hotkey 5F... --dest-hotkey 5G...
    #[command(verbatim_doc_comment)]
    Move(StakeMoveArgs),
    /// Give alpha to another coldkey (same hotkey), optionally into another subnet.
    ///
    /// Example: rustensor stake transfer --origin-netuid 1 --dest-netuid 1 --amount 5 --hotkey-address 5F... --dest-coldkey 5H...
    #[command(verbatim_doc_comment)]
    Transfer(StakeTransferArgs),
    /// List the coldkey's stake positions.
    ///
    /// Example: rustensor stake list --wallet alice --json
    #[command(verbatim_doc_comment)]
    List,
}

/// Amount and target of a stake operation.
#[derive(Debug, Args)]
pub struct StakeAmountArgs {
    /// The subnet.
    #[arg(long, value_name = "NETUID")]
    pub netuid: u16,
    /// TAO to stake, or alpha to unstake (decimal, 9 places).
    #[arg(long, value_name = "AMOUNT")]
    pub amount: String,
    /// The hotkey to stake to [default: the wallet's hotkey].
    #[arg(long, value_name = "SS58")]
    pub hotkey_address: Option<String>,
    /// Refuse to trade past this price, in TAO per alpha (a maximum when staking, a minimum
    /// when unstaking): uses `add_stake_limit` / `remove_stake_limit`.
    #[arg(long, value_name = "TAO")]
    pub limit_price: Option<String>,
    /// With --limit-price: fill as much as the price allows instead of failing.
    #[arg(long, requires = "limit_price")]
    pub allow_partial: bool,
}

/// What a swap against a constant-product pool gives, before fees: `(expected, at spot)`.
fn swap_preview(amount: u64, reserve_in: u64, reserve_out: u64) -> (u64, u64) {
    let (a, rin, rout) = (u128::from(amount), u128::from(reserve_in), u128::from(reserve_out));
    let expected = rout.saturating_mul(a).checked_div(rin.saturating_add(a)).unwrap_or(0);
    let spot = rout.saturating_mul(a).checked_div(rin).unwrap_or(0);
    (u64::try_from(expected).unwrap_or(u64::MAX), u64::try_from(spot).unwrap_or(u64::MAX))
}

/// The slippage of `expected` against `spot`, in percent with two decimals (display only).
fn slippage_text(expected: u64, spot: u64) -> String {
    if spot == 0 {
        return "n/a".into();
    }
    let basis_points = u128::from(spot.saturating_sub(expected)) * 10_000 / u128::from(spot);
    format!("{}.{:02} %", basis_points / 100, basis_points % 100)
}

/// Arguments of `rustensor stake move`.
#[derive(Debug, Args)]
pub struct StakeMoveArgs {
    /// The subnet the alpha is on.
    #[arg(long, value_name = "NETUID")]
    pub origin_netuid: u16,
    /// The subnet to move it to.
    #[arg(long, value_name = "NETUID")]
    pub dest_netuid: u16,
    /// Alpha to move (decimal, 9 places).
    #[arg(long, value_name = "AMOUNT")]
    pub amount: String,
    /// The hotkey it is staked to now.
    #[arg(long, value_name = "SS58")]
    pub origin_hotkey: String,
    /// The hotkey to stake it to.
    #[arg(long, value_name = "SS58")]
    pub dest_hotkey: String,
}

/// Arguments of `rustensor stake transfer`.
#[derive(Debug, Args)]
pub struct StakeTransferArgs {
    /// The subnet the alpha is on.
    #[arg(long, value_name = "NETUID")]
    pub origin_netuid: u16,
    /// The subnet the recipient gets it on.
    #[arg(long, value_name = "NETUID")]
    pub dest_netuid: u16,
    /// Alpha to transfer (decimal, 9 places).
    #[arg(long, value_name = "AMOUNT")]
    pub amount: String,
    /// The hotkey it is staked to.
    #[arg(long, value_name = "SS58")]
    pub hotkey_address: String,
    /// The coldkey receiving it.
    #[arg(long, value_name = "SS58")]
    pub dest_coldkey: String,
}

/// Arguments of `rustensor stake`.
#[derive(Debug, Args)]
pub struct StakeArgs {
    #[command(flatten)]
    net: NetworkArgs,
    #[command(flatten)]
    keys: KeyArgs,
    #[command(subcommand)]
    cmd: StakeCommand,
}

/// `rustensor stake …`.
pub fn stake(args: &StakeArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let net = &args.net;
    let target = |a: &StakeAmountArgs| -> anyhow::Result<AccountId32> {
        match &a.hotkey_address {
            Some(h) => parse_address(h),
            None => Ok(args.keys.hotkey()?.account_id()),
        }
    };
    match &args.cmd {
        StakeCommand::Add(a) => {
            let hotkey = target(a)?;
            let amount = parse_tao(&a.amount)?;
            let netuid = NetUid(a.netuid);
            let limit = a.limit_price.as_deref().map(parse_tao).transpose()?;
            let (rt, client) = connect(net)?;
            let pool = rt.block_on(client.subnet(netuid, None))?;
            let signer = args.keys.coldkey()?;
            let price = price_text(pool.tao_in.0, pool.alpha_in.0);
            // Root (netuid 0) is TAO itself: 1:1, no pool.
            let (expected, spot) = if a.netuid == 0 {
                (amount.rao(), amount.rao())
            } else {
                swap_preview(amount.rao(), pool.tao_in.0, pool.alpha_in.0)
            };
            let slippage = slippage_text(expected, spot);
            let limit_text = limit.map_or_else(String::new, |l| {
                format!(", limit {} TAO per alpha", l.to_tao_string())
            });
            confirm(
                net,
                &format!(
                    "Stake {amount} to {hotkey} on subnet {netuid}: pool price {price} TAO per alpha, \
                 about {} alpha expected, slippage {slippage}{limit_text}",
                    Balance::from_rao(expected).to_tao_string()
                ),
            )?;
            let call = match limit {
                Some(limit) => subtensor::Call::AddStakeLimit {
                    hotkey,
                    netuid,
                    amount_staked: amount.rao(),
                    limit_price: limit.rao(),
                    allow_partial: a.allow_partial,
                },
                None => subtensor::Call::AddStake { hotkey, netuid, amount_staked: amount.rao() },
            };
            let receipt = submit(&rt, &client, &signer, RuntimeCall::Subtensor(call))?;
            print_receipt(
                out,
                net,
                &format!("staked {amount} to {hotkey} on subnet {netuid}"),
                &receipt,
                json!({"netuid": a.netuid, "hotkey": hotkey.to_string(), "amount_rao": amount.rao(),
                       "expected_alpha_rao": expected, "slippage": slippage, "limit_price_rao": limit.map(Balance::rao)}),
            )
        }
        StakeCommand::Remove(a) => {
            let hotkey = target(a)?;
            let amount = parse_tao(&a.amount)?;
            let netuid = NetUid(a.netuid);
            let limit = a.limit_price.as_deref().map(parse_tao).transpose()?;
            let (rt, client) = connect(net)?;
            let pool = rt.block_on(client.subnet(netuid, None))?;
            let signer = args.keys.coldkey()?;
            let (expected, spot) = if a.netuid == 0 {
                (amount.rao(), amount.rao())
            } else {
                swap_preview(amount.rao(), pool.alpha_in.0, pool.tao_in.0)
            };
            let slippage = slippage_text(expected, spot);
            let limit_text = limit.map_or_else(String::new, |l| {
                format!(", limit {} TAO per alpha", l.to_tao_string())
            });
            confirm(
                net,
                &format!(
                    "Unstake {} alpha from {hotkey} on subnet {netuid}: about {} expected, slippage {slippage}{limit_text}",
                    amount.to_tao_string(),
                    Balance::from_rao(expected)
                ),
            )?;
            let call = match limit {
                Some(limit) => subtensor::Call::RemoveStakeLimit {
                    hotkey,
                    netuid,
                    amount_unstaked: amount.rao(),
                    limit_price: limit.rao(),
                    allow_partial: a.allow_partial,
                },
                None => {
                    subtensor::Call::RemoveStake { hotkey, netuid, amount_unstaked: amount.rao() }
                }
            };
            let receipt = submit(&rt, &client, &signer, RuntimeCall::Subtensor(call))?;
            print_receipt(
                out,
                net,
                &format!("unstaked from {hotkey} on subnet {netuid}"),
                &receipt,
                json!({"netuid": a.netuid, "hotkey": hotkey.to_string(), "amount_rao": amount.rao(),
                       "expected_tao_rao": expected, "slippage": slippage, "limit_price_rao": limit.map(Balance::rao)}),
            )
        }
        StakeCommand::Move(m) => {
            let (origin_hotkey, destination_hotkey) =
                (parse_address(&m.origin_hotkey)?, parse_address(&m.dest_hotkey)?);
            let amount = parse_tao(&m.amount)?;
            let (rt, client) = connect(net)?;
            let signer = args.keys.coldkey()?;
            confirm(
                net,
                &format!(
                    "Move {} alpha from {origin_hotkey} on subnet {} to {destination_hotkey} on subnet {}",
                    amount.to_tao_string(),
                    m.origin_netuid,
                    m.dest_netuid
                ),
            )?;
            let call = RuntimeCall::Subtensor(subtensor::Call::MoveStake {
                origin_hotkey,
                destination_hotkey,
                origin_netuid: NetUid(m.origin_netuid),
                destination_netuid: NetUid(m.dest_netuid),
                alpha_amount: amount.rao(),
            });
            let receipt = submit(&rt, &client, &signer, call)?;
            print_receipt(
                out,
                net,
                "moved stake",
                &receipt,
                json!({"origin_netuid": m.origin_netuid,
                "dest_netuid": m.dest_netuid, "alpha_rao": amount.rao()}),
            )
        }
        StakeCommand::Transfer(t) => {
            let (hotkey, destination_coldkey) =
                (parse_address(&t.hotkey_address)?, parse_address(&t.dest_coldkey)?);
            let amount = parse_tao(&t.amount)?;
            let (rt, client) = connect(net)?;
            let signer = args.keys.coldkey()?;
            confirm(
                net,
                &format!(
                    "Give {} alpha staked to {hotkey} on subnet {} to coldkey {destination_coldkey}",
                    amount.to_tao_string(),
                    t.origin_netuid
                ),
            )?;
            let call = RuntimeCall::Subtensor(subtensor::Call::TransferStake {
                destination_coldkey,
                hotkey,
                origin_netuid: NetUid(t.origin_netuid),
                destination_netuid: NetUid(t.dest_netuid),
                alpha_amount: amount.rao(),
            });
            let receipt = submit(&rt, &client, &signer, call)?;
            print_receipt(
                out,
                net,
                "transferred stake",
                &receipt,
                json!({"origin_netuid": t.origin_netuid,
                "dest_netuid": t.dest_netuid, "alpha_rao": amount.rao(), "dest_coldkey": destination_coldkey.to_string()}),
            )
        }
        StakeCommand::List => {
            let who = args.keys.coldkey_address()?;
            let (rt, client) = connect(net)?;
            let stakes = rt.block_on(client.stake_of_coldkey(&who, None))?;
            if net.json {
                let rows: Vec<Value> = stakes.iter().map(|s| json!({
                    "netuid": s.netuid.0.0, "hotkey": s.hotkey.to_string(), "alpha_rao": s.stake.0,
                    "emission_rao": s.emission.0, "registered": s.is_registered,
                })).collect();
                writeln!(out, "{}", json!({"coldkey": who.to_string(), "stakes": rows}))?;
            } else {
                writeln!(out, "{:>6}  {:<48} {:>20}", "NETUID", "HOTKEY", "ALPHA")?;
                for s in &stakes {
                    writeln!(
                        out,
                        "{:>6}  {:<48} {:>20}",
                        s.netuid.0.0,
                        s.hotkey.to_string(),
                        Balance::from_rao(s.stake.0).to_tao_string()
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn price_text(tao_in: u64, alpha_in: u64) -> String {
    if alpha_in == 0 {
        return "n/a".into();
    }
    // Nine decimals, exact integer division (display only).
    let scaled = u128::from(tao_in) * 1_000_000_000 / u128::from(alpha_in);
    format!("{}.{:09}", scaled / 1_000_000_000, scaled % 1_000_000_000)
}

// ---------------------------------------------------------------------------------------------
// weights

/// `rustensor weights` subcommands.
#[derive(Debug, Subcommand)]
pub enum WeightsCommand {
    /// Set weights on a subnet with the wallet's hotkey (a validator).
    ///
    /// Weights are relative; they are scaled so the largest is 65535.
    /// Example: rustensor weights set --netuid 1 --uids 0,1,2 --weights 0.5,0.3,0.2
    #[command(verbatim_doc_comment)]
    Set(SetWeightsArgs),
    /// Commit a hash of weights (subnets with commit-reveal on); prints the salt to reveal with.
    ///
    /// Example: rustensor weights commit --netuid 1 --uids 0,1 --weights 0.6,0.4 --json
    #[command(verbatim_doc_comment)]
    Commit(CommitWeightsArgs),
    /// Reveal committed weights with the same uids, weights, salt and version key.
    ///
    /// Example: rustensor weights reveal --netuid 1 --uids 0,1 --weights 0.6,0.4 --salt 12,7,99
    #[command(verbatim_doc_comment)]
    Reveal(CommitWeightsArgs),
}

/// Arguments of `rustensor weights commit` and `reveal`.
#[derive(Debug, Args)]
pub struct CommitWeightsArgs {
    #[command(flatten)]
    weights: SetWeightsArgs,
    /// The salt, comma-separated u16 values [commit: 8 random values; reveal: required].
    #[arg(long, value_delimiter = ',', value_name = "SALT")]
    pub salt: Vec<u16>,
}

/// Arguments of `rustensor weights set`.
#[derive(Debug, Args)]
pub struct SetWeightsArgs {
    /// The subnet.
    #[arg(long, value_name = "NETUID")]
    pub netuid: u16,
    /// Uids, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "UIDS")]
    pub uids: Vec<u16>,
    /// Weights, comma-separated, one per uid (any non-negative numbers).
    #[arg(long, value_delimiter = ',', value_name = "WEIGHTS")]
    pub weights: Vec<f64>,
    /// The subnet's weights version key.
    #[arg(long, default_value_t = 0)]
    pub version_key: u64,
}

/// Arguments of `rustensor weights`.
#[derive(Debug, Args)]
pub struct WeightsArgs {
    #[command(flatten)]
    net: NetworkArgs,
    #[command(flatten)]
    keys: KeyArgs,
    #[command(subcommand)]
    cmd: WeightsCommand,
}

/// Scales relative weights to u16 with the largest at 65535 (what the Python SDK does).
fn scale_weights(weights: &[f64]) -> anyhow::Result<Vec<u16>> {
    if weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
        bail!("weights must be finite and non-negative");
    }
    let max = weights.iter().copied().fold(0.0_f64, f64::max);
    if max <= 0.0 {
        bail!("at least one weight must be positive");
    }
    // Display-side conversion of user input; the chain sees only the u16 values.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(weights.iter().map(|w| (w / max * f64::from(u16::MAX)).round() as u16).collect())
}

/// `rustensor weights …`.
pub fn weights(args: &WeightsArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let checked = |w: &SetWeightsArgs| -> anyhow::Result<Vec<u16>> {
        if w.uids.len() != w.weights.len() {
            bail!("{} uids but {} weights: give one weight per uid", w.uids.len(), w.weights.len());
        }
        scale_weights(&w.weights)
    };
    match &args.cmd {
        WeightsCommand::Commit(c) => {
            let w = &c.weights;
            let scaled = checked(w)?;
            let salt = if c.salt.is_empty() {
                use rand::Rng as _;
                let mut rng = rand::rngs::OsRng;
                (0..8).map(|_| rng.r#gen::<u16>()).collect()
            } else {
                c.salt.clone()
            };
            let (rt, client) = connect(&args.net)?;
            let hotkey = args.keys.hotkey()?;
            let commit_hash = subtensor::weights::commit_hash(
                &hotkey.account_id(),
                w.netuid,
                &w.uids,
                &scaled,
                &salt,
                w.version_key,
            );
            let netuid = NetUid(w.netuid);
            let call =
                RuntimeCall::Subtensor(subtensor::Call::CommitWeights { netuid, commit_hash });
            let receipt = submit(&rt, &client, &hotkey, call)?;
            let join = |v: &[u16]| v.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
            if !args.net.json {
                let weights = w.weights.iter().map(f64::to_string).collect::<Vec<_>>().join(",");
                writeln!(
                    out,
                    "reveal later with: --uids {} --weights {weights} --salt {} --version-key {}",
                    join(&w.uids),
                    join(&salt),
                    w.version_key
                )?;
            }
            print_receipt(
                out,
                &args.net,
                &format!("committed weights on subnet {netuid}"),
                &receipt,
                json!({"netuid": w.netuid, "uids": w.uids, "weights_u16": scaled, "salt": salt,
                       "commit_hash": format!("0x{}", hex::encode(commit_hash))}),
            )
        }
        WeightsCommand::Reveal(c) => {
            let w = &c.weights;
            let scaled = checked(w)?;
            if c.salt.is_empty() {
                bail!("--salt is required: give the salt `weights commit` printed");
            }
            let (rt, client) = connect(&args.net)?;
            let hotkey = args.keys.hotkey()?;
            let netuid = NetUid(w.netuid);
            let call = RuntimeCall::Subtensor(subtensor::Call::RevealWeights {
                netuid,
                uids: w.uids.clone(),
                values: scaled.clone(),
                salt: c.salt.clone(),
                version_key: w.version_key,
            });
            let receipt = submit(&rt, &client, &hotkey, call)?;
            print_receipt(
                out,
                &args.net,
                &format!("revealed {} weights on subnet {netuid}", w.uids.len()),
                &receipt,
                json!({"netuid": w.netuid, "uids": w.uids, "weights_u16": scaled}),
            )
        }
        WeightsCommand::Set(w) => {
            let scaled = checked(w)?;
            let (rt, client) = connect(&args.net)?;
            let hotkey = args.keys.hotkey()?;
            let netuid = NetUid(w.netuid);
            let call = RuntimeCall::Subtensor(subtensor::Call::SetWeights {
                netuid,
                dests: w.uids.clone(),
                weights: scaled.clone(),
                version_key: w.version_key,
            });
            let receipt = submit(&rt, &client, &hotkey, call)?;
            print_receipt(
                out,
                &args.net,
                &format!("set {} weights on subnet {netuid}", w.uids.len()),
                &receipt,
                json!({"netuid": w.netuid, "uids": w.uids, "weights_u16": scaled}),
            )
        }
    }
}

// ---------------------------------------------------------------------------------------------
// axon set, delegate take, root register, sudo set

/// Arguments of `rustensor axon set`.
#[derive(Debug, Args)]
pub struct AxonSetArgs {
    #[command(flatten)]
    net: NetworkArgs,
    #[command(flatten)]
    keys: KeyArgs,
    /// The subnet.
    #[arg(long, value_name = "NETUID")]
    pub netuid: u16,
    /// The public IP address miners and validators reach the axon at.
    #[arg(long, value_name = "IP")]
    pub ip: std::net::IpAddr,
    /// The axon's port.
    #[arg(long, value_name = "PORT")]
    pub port: u16,
    /// The axon software's version.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub axon_version: u32,
}

/// `rustensor axon set`: `serve_axon` signed by the hotkey.
pub fn axon_set(args: &AxonSetArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let addr = std::net::SocketAddr::new(args.ip, args.port);
    let call = serve_axon_call(NetUid(args.netuid), addr, args.axon_version)?;
    let (rt, client) = connect(&args.net)?;
    let hotkey = args.keys.hotkey()?;
    let receipt = submit(&rt, &client, &hotkey, call)?;
    print_receipt(
        out,
        &args.net,
        &format!("axon of {} on subnet {} is {addr}", hotkey.account_id(), args.netuid),
        &receipt,
        json!({"netuid": args.netuid, "hotkey": hotkey.account_id().to_string(), "axon": addr.to_string()}),
    )
}

/// `rustensor delegate` subcommands.
#[derive(Debug, Subcommand)]
pub enum DelegateCommand {
    /// Set the hotkey's delegate take (share of nominators' dividends kept), in percent.
    /// Decreases apply at once; increases are rate limited by the chain.
    ///
    /// Example: rustensor delegate take --take 9 --wallet validator
    #[command(verbatim_doc_comment)]
    Take(TakeArgs),
}

/// Arguments of `rustensor delegate take`.
#[derive(Debug, Args)]
pub struct TakeArgs {
    /// The new take in percent (0 to 18; the chain's bounds apply).
    #[arg(long, value_name = "PERCENT")]
    pub take: f64,
}

/// Arguments of `rustensor delegate`.
#[derive(Debug, Args)]
pub struct DelegateArgs {
    #[command(flatten)]
    net: NetworkArgs,
    #[command(flatten)]
    keys: KeyArgs,
    #[command(subcommand)]
    cmd: DelegateCommand,
}

/// A take in percent as the chain's u16 fraction of 65535.
fn take_u16(percent: f64) -> anyhow::Result<u16> {
    if !percent.is_finite() || !(0.0..=100.0).contains(&percent) {
        bail!("the take is a percentage between 0 and 100, not {percent}");
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "in 0..=65535 by the check above"
    )]
    Ok((percent / 100.0 * f64::from(u16::MAX)).round() as u16)
}

/// `rustensor delegate …`.
pub fn delegate(args: &DelegateArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    use rustensor_runtime::pallets::subtensor::storage as st;
    let DelegateCommand::Take(t) = &args.cmd;
    let take = take_u16(t.take)?;
    let (rt, client) = connect(&args.net)?;
    let hotkey = args.keys.hotkey()?.account_id();
    let current = rt.block_on(client.read::<st::Delegates>(&hotkey, None))?;
    if take == current {
        bail!("the take of {hotkey} is already {:.2} %", fraction(current) * 100.0);
    }
    let signer = args.keys.coldkey()?;
    let call = if take < current {
        subtensor::Call::DecreaseTake { hotkey, take }
    } else {
        subtensor::Call::IncreaseTake { hotkey, take }
    };
    let receipt = submit(&rt, &client, &signer, RuntimeCall::Subtensor(call))?;
    print_receipt(
        out,
        &args.net,
        &format!("take of {hotkey} is now {:.2} %", fraction(take) * 100.0),
        &receipt,
        json!({"hotkey": hotkey.to_string(), "take_u16": take, "previous_u16": current}),
    )
}

/// `rustensor root` subcommands.
#[derive(Debug, Subcommand)]
pub enum RootCommand {
    /// Register the hotkey on the root subnet (netuid 0), signed by the coldkey.
    ///
    /// Example: rustensor root register --wallet validator
    #[command(verbatim_doc_comment)]
    Register,
}

/// Arguments of `rustensor root`.
#[derive(Debug, Args)]
pub struct RootArgs {
    #[command(flatten)]
    net: NetworkArgs,
    #[command(flatten)]
    keys: KeyArgs,
    #[command(subcommand)]
    cmd: RootCommand,
}

/// `rustensor root register`.
pub fn root(args: &RootArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let RootCommand::Register = &args.cmd;
    let (rt, client) = connect(&args.net)?;
    let hotkey = args.keys.hotkey()?.account_id();
    let signer = args.keys.coldkey()?;
    let receipt = submit(
        &rt,
        &client,
        &signer,
        RuntimeCall::Subtensor(subtensor::Call::RootRegister { hotkey }),
    )?;
    let uid = rt.block_on(client.uid_of(NetUid(0), &hotkey, None))?;
    print_receipt(
        out,
        &args.net,
        &format!("registered {hotkey} on the root subnet"),
        &receipt,
        json!({"netuid": 0, "hotkey": hotkey.to_string(), "uid": uid}),
    )
}

/// `rustensor sudo` subcommands.
#[derive(Debug, Subcommand)]
pub enum SudoCommand {
    /// Set a subnet hyperparameter with the chain's sudo key (see `subnet set --help`).
    ///
    /// Example: rustensor sudo set --netuid 1 --param tempo --value 20 --uri //Alice
    #[command(verbatim_doc_comment)]
    Set(SudoSetArgs),
    /// Schedule the chain validators (consensus keys and p2p addresses) of the next epoch.
    ///
    /// The set takes over at the next epoch boundary (the chain spec's epoch_length blocks
    /// per epoch); validators outside it follow the chain without signing. One schedule per
    /// epoch. Each --validator is KEY@HOST:PORT, KEY the ed25519 consensus key in hex or,
    /// on dev chains, its secret URI.
    ///
    /// Example: rustensor sudo validators --validator //Alice@127.0.0.1:30333 \
    ///     --validator //Eve@127.0.0.1:30337 --uri //Alice --yes
    #[command(verbatim_doc_comment)]
    Validators(SudoValidatorsArgs),
}

/// Arguments of `rustensor sudo validators`.
#[derive(Debug, Args)]
pub struct SudoValidatorsArgs {
    /// A validator of the next epoch, KEY@HOST:PORT (repeat for each).
    #[arg(long = "validator", value_name = "KEY@HOST:PORT", required = true)]
    pub validators: Vec<String>,
}

/// Parses `KEY@HOST:PORT` (KEY: 32 bytes of hex, or a `//URI` dev secret).
fn parse_validator_info(
    text: &str,
) -> anyhow::Result<rustensor_runtime::pallets::validators::ValidatorInfo> {
    use rustensor_runtime::pallets::validators::{ValidatorInfo, is_host_port, is_valid_key};
    let (key, address) = text
        .rsplit_once('@')
        .ok_or_else(|| anyhow::anyhow!("--validator {text:?}: expected KEY@HOST:PORT"))?;
    let public_key: [u8; 32] = if key.starts_with("//") {
        let pair = rustensor_primitives::crypto::ed25519::Pair::from_uri(key, None)
            .map_err(|e| anyhow::anyhow!("--validator {text:?}: {e}"))?;
        *pair.public().as_bytes()
    } else {
        hex::decode(key.trim_start_matches("0x"))
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| {
                anyhow::anyhow!("--validator {text:?}: the key must be 32 bytes of hex or a //URI")
            })?
    };
    if !is_valid_key(&public_key) {
        bail!("--validator {text:?}: not a valid ed25519 public key");
    }
    if !is_host_port(address) {
        bail!("--validator {text:?}: {address:?} is not HOST:PORT");
    }
    Ok(ValidatorInfo { public_key, address: address.as_bytes().to_vec() })
}

/// Arguments of `rustensor sudo set`.
#[derive(Debug, Args)]
pub struct SudoSetArgs {
    /// The subnet.
    #[arg(long, value_name = "NETUID")]
    pub netuid: u16,
    /// The hyperparameter's name.
    #[arg(long, value_name = "NAME")]
    pub param: String,
    /// Its new value.
    #[arg(long, value_name = "VALUE")]
    pub value: String,
}

/// Arguments of `rustensor sudo`.
#[derive(Debug, Args)]
pub struct SudoArgs {
    #[command(flatten)]
    net: NetworkArgs,
    #[command(flatten)]
    keys: KeyArgs,
    #[command(subcommand)]
    cmd: SudoCommand,
}

/// `rustensor sudo set`: `subnet set --sudo`.
pub fn sudo_cmd(args: &SudoArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let p = match &args.cmd {
        SudoCommand::Set(p) => p,
        SudoCommand::Validators(v) => return sudo_validators(args, v, out),
    };
    let subnet_args = SubnetArgs {
        net: args.net.clone(),
        keys: args.keys.clone(),
        cmd: SubnetCommand::Set(SetParamArgs {
            netuid: p.netuid,
            param: p.param.clone(),
            value: p.value.clone(),
            sudo: true,
        }),
    };
    subnet(&subnet_args, out)
}

/// `rustensor sudo validators`: `Sudo.sudo(Validators.schedule(..))`.
fn sudo_validators(
    args: &SudoArgs,
    v: &SudoValidatorsArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    use rustensor_runtime::pallets::validators;
    let set =
        v.validators.iter().map(|t| parse_validator_info(t)).collect::<anyhow::Result<Vec<_>>>()?;
    validators::check_set(&set).map_err(|e| anyhow::anyhow!("the validator set: {e}"))?;
    let net = &args.net;
    confirm(net, &format!("Schedule {} validators for the next consensus epoch", set.len()))?;
    let call = RuntimeCall::Sudo(sudo::Call::Sudo(Box::new(RuntimeCall::Validators(
        validators::Call::Schedule { validators: set.clone() },
    ))));
    let (rt, client) = connect(net)?;
    let signer = args.keys.coldkey()?;
    let receipt = submit(&rt, &client, &signer, call)?;
    let mut epoch = None;
    for event in &receipt.events {
        match event {
            rustensor_sdk::chain::RuntimeEvent::Sudo(sudo::Event::Sudid {
                sudo_result: Err(e),
            }) => {
                bail!("the sudo call failed: {}", client.errors().describe(e));
            }
            rustensor_sdk::chain::RuntimeEvent::Validators(
                validators::Event::ValidatorSetScheduled { epoch: e, .. },
            ) => epoch = Some(*e),
            _ => {}
        }
    }
    let keys: Vec<String> =
        set.iter().map(|v| format!("0x{}", hex::encode(v.public_key))).collect();
    print_receipt(
        out,
        net,
        &format!(
            "scheduled {} validators for epoch {}",
            set.len(),
            epoch.map_or_else(|| "?".to_owned(), |e| e.to_string())
        ),
        &receipt,
        json!({"epoch": epoch, "validators": keys}),
    )
}

// ---------------------------------------------------------------------------------------------
// metagraph

/// Arguments of `rustensor metagraph`.
#[derive(Debug, Args)]
pub struct MetagraphArgs {
    #[command(flatten)]
    net: NetworkArgs,
    /// The subnet.
    #[arg(value_name = "NETUID")]
    pub netuid: u16,
    /// Include every neuron's weights and bonds (slower on big subnets).
    #[arg(long)]
    pub full: bool,
}

/// `rustensor metagraph NETUID`.
pub fn metagraph(args: &MetagraphArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    metagraph_of(&args.net, NetUid(args.netuid), args.full, out)
}

fn metagraph_of(
    net: &NetworkArgs,
    netuid: NetUid,
    full: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let (rt, client) = connect(net)?;
    let m = if full {
        rt.block_on(client.metagraph_full(netuid, None))?
    } else {
        rt.block_on(client.metagraph(netuid, None))?
    };
    if net.json {
        let neurons: Vec<Value> = m.neurons.iter().map(|n| json!({
            "uid": n.uid, "hotkey": n.hotkey.to_string(), "coldkey": n.coldkey.to_string(),
            "active": n.active, "validator_permit": n.validator_permit,
            "stake_rao": n.total_stake, "alpha_stake_rao": n.alpha_stake, "tao_stake_rao": n.tao_stake,
            "rank": fraction(n.rank), "trust": fraction(n.trust), "consensus": fraction(n.consensus),
            "incentive": fraction(n.incentive), "dividends": fraction(n.dividends),
            "incentive_u16": n.incentive, "dividends_u16": n.dividends,
            "validator_trust": fraction(n.validator_trust),
            "weights": m.weights.as_ref().map(|w| w[usize::from(n.uid)].clone()),
            "bonds": m.bonds.as_ref().map(|b| b[usize::from(n.uid)].clone()),
            "emission_rao": n.emission, "last_update": n.last_update,
            "block_at_registration": n.block_at_registration,
            "axon": n.axon.map(|a| a.to_string()),
        })).collect();
        writeln!(
            out,
            "{}",
            json!({
                "netuid": m.netuid.0, "block": m.block, "name": m.name, "symbol": m.symbol, "tempo": m.tempo,
                "blocks_since_last_step": m.blocks_since_last_step, "n": m.n(), "neurons": neurons,
            })
        )?;
    } else {
        writeln!(
            out,
            "subnet {} {} ({}) at block {}: {} neurons, tempo {}, {} blocks since the last epoch",
            m.netuid,
            m.name,
            m.symbol,
            m.block,
            m.n(),
            m.tempo,
            m.blocks_since_last_step
        )?;
        writeln!(
            out,
            "{:>4} {:<10} {:>16} {:>8} {:>8} {:>8} {:>14} {:>3} {:<21}",
            "UID", "HOTKEY", "STAKE", "CONS", "INCENT", "DIVS", "EMISSION", "VP", "AXON"
        )?;
        for n in &m.neurons {
            let hk = n.hotkey.to_string();
            writeln!(
                out,
                "{:>4} {:<10} {:>16} {:>8.5} {:>8.5} {:>8.5} {:>14} {:>3} {:<21}",
                n.uid,
                &hk[..hk.len().min(8)],
                Balance::from_rao(n.total_stake).to_tao_string(),
                fraction(n.consensus),
                fraction(n.incentive),
                fraction(n.dividends),
                n.emission,
                if n.validator_permit { "*" } else { "" },
                n.axon.map_or_else(|| "-".into(), |a| a.to_string())
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_weights_scale_so_the_largest_is_u16_max() {
        assert_eq!(scale_weights(&[0.5, 0.25, 0.0]).expect("valid"), vec![65535, 32768, 0]);
        assert!(scale_weights(&[0.0, 0.0]).is_err());
        assert!(scale_weights(&[f64::NAN]).is_err());
        assert!(scale_weights(&[-1.0, 2.0]).is_err());
    }

    #[test]
    fn test_hyperparameters_map_to_their_admin_calls_and_bad_values_are_named() {
        let call = hyperparameter_call(NetUid(3), "commit_reveal_weights_enabled", "false")
            .expect("valid");
        assert_eq!(
            call,
            admin_utils::Call::SudoSetCommitRevealWeightsEnabled {
                netuid: NetUid(3),
                enabled: false
            }
        );
        let err = hyperparameter_call(NetUid(3), "kappa", "lots").expect_err("not a number");
        assert!(err.to_string().contains("kappa takes a whole number"));
        let err = hyperparameter_call(NetUid(3), "colour", "1").expect_err("unknown");
        assert!(err.to_string().contains("unknown hyperparameter"));
    }

    #[test]
    fn test_swap_preview_is_constant_product_and_slippage_grows_with_size() {
        // 100 TAO into a 1 000 TAO / 2 000 alpha pool: 2000·100/1100 = 181.818… alpha, spot 200.
        let (expected, spot) = swap_preview(100, 1_000, 2_000);
        assert_eq!((expected, spot), (181, 200));
        assert_eq!(slippage_text(181_818, 200_000), "9.09 %");
        assert_eq!(slippage_text(5, 0), "n/a");
        let (small, small_spot) = swap_preview(1_000_000, 1_000_000_000_000, 2_000_000_000_000);
        assert_eq!(slippage_text(small, small_spot), "0.00 %");
    }

    #[test]
    fn test_price_is_exact_to_nine_places() {
        assert_eq!(price_text(1_000_000_000, 4_000_000_000), "0.250000000");
        assert_eq!(price_text(1, 0), "n/a");
    }
}
