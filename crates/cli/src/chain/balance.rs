//! `rustensor wallet balance | transfer | overview`: a coldkey's TAO and stake, sending TAO,
//! and where the wallet's hotkeys are registered.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use rustensor_primitives::{AccountId32, Balance};
use rustensor_runtime::pallets::RuntimeCall;
use rustensor_runtime::pallets::balances::{self, MultiAddress};
use rustensor_sdk::chain::fraction;
use rustensor_sdk::wallet::Wallet;
use serde_json::{Value, json};

use super::args::{KeyArgs, NetworkArgs, confirm, connect, parse_address, parse_tao};
use super::output::{print_receipt, submit};

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
