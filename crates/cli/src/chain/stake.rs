//! `rustensor stake`: add, remove, move, transfer and list stake, with the pool price,
//! expected amount and slippage (the SDK's stake preview) shown before signing.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use rustensor_primitives::{AccountId32, Balance, NetUid};
use rustensor_runtime::pallets::{RuntimeCall, subtensor};
use rustensor_sdk::chain::{price_text, slippage_text, stake_preview, unstake_preview};
use serde_json::{Value, json};

use super::args::{KeyArgs, NetworkArgs, confirm, connect, parse_address, parse_tao};
use super::output::{print_receipt, submit};

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
    match &args.cmd {
        StakeCommand::Add(a) => add(net, &args.keys, a, out),
        StakeCommand::Remove(a) => remove(net, &args.keys, a, out),
        StakeCommand::Move(m) => move_stake(net, &args.keys, m, out),
        StakeCommand::Transfer(t) => transfer_stake(net, &args.keys, t, out),
        StakeCommand::List => list(net, &args.keys, out),
    }
}

/// The hotkey a stake operation targets: `--hotkey-address`, else the wallet's hotkey.
fn target(keys: &KeyArgs, a: &StakeAmountArgs) -> anyhow::Result<AccountId32> {
    match &a.hotkey_address {
        Some(h) => parse_address(h),
        None => Ok(keys.hotkey()?.account_id()),
    }
}

/// `rustensor stake add`: the expected alpha and slippage shown, then `add_stake` (or `add_stake_limit`).
fn add(
    net: &NetworkArgs,
    keys: &KeyArgs,
    a: &StakeAmountArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let hotkey = target(keys, a)?;
    let amount = parse_tao(&a.amount)?;
    let netuid = NetUid(a.netuid);
    let limit = a.limit_price.as_deref().map(parse_tao).transpose()?;
    let (rt, client) = connect(net)?;
    let pool = rt.block_on(client.subnet(netuid, None))?;
    let signer = keys.coldkey()?;
    let price = price_text(pool.tao_in.0, pool.alpha_in.0);
    let (expected, spot) = stake_preview(netuid, amount.rao(), pool.tao_in.0, pool.alpha_in.0);
    let slippage = slippage_text(expected, spot);
    let limit_text =
        limit.map_or_else(String::new, |l| format!(", limit {} TAO per alpha", l.to_tao_string()));
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

/// `rustensor stake remove`: the expected TAO and slippage shown, then `remove_stake` (or `remove_stake_limit`).
fn remove(
    net: &NetworkArgs,
    keys: &KeyArgs,
    a: &StakeAmountArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let hotkey = target(keys, a)?;
    let amount = parse_tao(&a.amount)?;
    let netuid = NetUid(a.netuid);
    let limit = a.limit_price.as_deref().map(parse_tao).transpose()?;
    let (rt, client) = connect(net)?;
    let pool = rt.block_on(client.subnet(netuid, None))?;
    let signer = keys.coldkey()?;
    let (expected, spot) = unstake_preview(netuid, amount.rao(), pool.tao_in.0, pool.alpha_in.0);
    let slippage = slippage_text(expected, spot);
    let limit_text =
        limit.map_or_else(String::new, |l| format!(", limit {} TAO per alpha", l.to_tao_string()));
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
        None => subtensor::Call::RemoveStake { hotkey, netuid, amount_unstaked: amount.rao() },
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

/// `rustensor stake move`.
fn move_stake(
    net: &NetworkArgs,
    keys: &KeyArgs,
    m: &StakeMoveArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let (origin_hotkey, destination_hotkey) =
        (parse_address(&m.origin_hotkey)?, parse_address(&m.dest_hotkey)?);
    let amount = parse_tao(&m.amount)?;
    let (rt, client) = connect(net)?;
    let signer = keys.coldkey()?;
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

/// `rustensor stake transfer`.
fn transfer_stake(
    net: &NetworkArgs,
    keys: &KeyArgs,
    t: &StakeTransferArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let (hotkey, destination_coldkey) =
        (parse_address(&t.hotkey_address)?, parse_address(&t.dest_coldkey)?);
    let amount = parse_tao(&t.amount)?;
    let (rt, client) = connect(net)?;
    let signer = keys.coldkey()?;
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

/// `rustensor stake list`.
fn list(net: &NetworkArgs, keys: &KeyArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let who = keys.coldkey_address()?;
    let (rt, client) = connect(net)?;
    let stakes = rt.block_on(client.stake_of_coldkey(&who, None))?;
    if net.json {
        let rows: Vec<Value> = stakes
            .iter()
            .map(|s| {
                json!({
                    "netuid": s.netuid.0.0, "hotkey": s.hotkey.to_string(), "alpha_rao": s.stake.0,
                    "emission_rao": s.emission.0, "registered": s.is_registered,
                })
            })
            .collect();
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
