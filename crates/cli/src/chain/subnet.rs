//! `rustensor subnet`: list, show, create and start subnets, their costs and hyperparameters,
//! and `subnet set` for one hyperparameter (through the SDK's table of them).

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, Subcommand};
use rustensor_primitives::{Balance, NetUid};
use rustensor_runtime::pallets::{RuntimeCall, admin_utils, subtensor, sudo};
use rustensor_sdk::chain::{HYPERPARAMETERS, HyperparamError};
use serde_json::{Value, json};

use super::args::{KeyArgs, NetworkArgs, confirm, connect};
use super::metagraph::metagraph_of;
use super::output::{print_amount, print_receipt, submit};

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
    #[command(long_about = set_long_help())]
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

/// The long help of `subnet set`: the parameter names come from the SDK's table, the same
/// one [`hyperparameter_call`] parses with.
fn set_long_help() -> String {
    let names: Vec<String> = HYPERPARAMETERS
        .iter()
        .map(|h| if h.sudo_only { format!("{} (sudo only)", h.name) } else { h.name.to_owned() })
        .collect();
    format!(
        "Set a subnet hyperparameter as its owner (or, with --sudo, as the chain's sudo key).\n\n\
         Parameters: {}.\n\
         Example: rustensor subnet set 1 --param commit_reveal_weights_enabled --value false",
        names.join(", ")
    )
}

/// The `AdminUtils` call that sets `param` on `netuid` to `value` (the SDK's
/// [`HYPERPARAMETERS`] table).
fn hyperparameter_call(
    netuid: NetUid,
    param: &str,
    value: &str,
) -> anyhow::Result<admin_utils::Call> {
    rustensor_sdk::chain::hyperparameter_call(netuid, param, value).map_err(|e| match e {
        HyperparamError::Unknown { .. } => {
            anyhow::anyhow!("{e}; see `rustensor subnet set --help` for the list")
        }
        HyperparamError::BadValue { .. } => e.into(),
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
        SubnetCommand::List => list(net, out),
        SubnetCommand::Show(n) => metagraph_of(net, NetUid(n.netuid), false, out),
        SubnetCommand::Create => create(net, &args.keys, out),
        SubnetCommand::Start(n) => start(net, &args.keys, n, out),
        SubnetCommand::BurnCost(n) => {
            let (rt, client) = connect(net)?;
            let cost = rt.block_on(client.burn_cost(NetUid(n.netuid), None))?;
            print_amount(out, net, "burn_cost", cost, json!({"netuid": n.netuid}))
        }
        SubnetCommand::Set(p) => set_param(net, &args.keys, p, out),
        SubnetCommand::Hyperparameters(n) => hyperparameters(net, n, out),
        SubnetCommand::LockCost => {
            let (rt, client) = connect(net)?;
            let cost = rt.block_on(client.subnet_lock_cost(None))?;
            print_amount(out, net, "lock_cost", cost, json!({}))
        }
    }
}

/// `rustensor subnet list`.
fn list(net: &NetworkArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
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

/// `rustensor subnet create`: `register_network`, locking the current lock cost.
fn create(net: &NetworkArgs, keys: &KeyArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let (rt, client) = connect(net)?;
    let cost = rt.block_on(client.subnet_lock_cost(None))?;
    let signer = keys.coldkey()?;
    let hotkey = keys.hotkey()?.account_id();
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
    let label =
        netuid.map_or_else(|| "created a subnet".to_owned(), |n| format!("created subnet {n}"));
    print_receipt(
        out,
        net,
        &label,
        &receipt,
        json!({"netuid": netuid, "lock_cost_rao": cost.rao()}),
    )
}

/// `rustensor subnet start`.
fn start(
    net: &NetworkArgs,
    keys: &KeyArgs,
    n: &NetuidArg,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let (rt, client) = connect(net)?;
    let signer = keys.coldkey()?;
    let call = RuntimeCall::Subtensor(subtensor::Call::StartCall { netuid: NetUid(n.netuid) });
    let receipt = submit(&rt, &client, &signer, call)?;
    print_receipt(
        out,
        net,
        &format!("started subnet {}", n.netuid),
        &receipt,
        json!({"netuid": n.netuid}),
    )
}

/// `rustensor subnet hyperparameters`.
fn hyperparameters(
    net: &NetworkArgs,
    n: &NetuidArg,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
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

/// `rustensor subnet set` (and `sudo set`, with `p.sudo`).
pub(super) fn set_param(
    net: &NetworkArgs,
    keys: &KeyArgs,
    p: &SetParamArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let netuid = NetUid(p.netuid);
    let call = RuntimeCall::AdminUtils(hyperparameter_call(netuid, &p.param, &p.value)?);
    let call = if p.sudo { RuntimeCall::Sudo(sudo::Call::Sudo(Box::new(call))) } else { call };
    let (rt, client) = connect(net)?;
    let signer = keys.coldkey()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_hyperparameter_errors_name_the_parameter_and_point_to_the_help() {
        let err = hyperparameter_call(NetUid(3), "kappa", "lots").expect_err("not a number");
        assert!(err.to_string().contains("kappa takes a whole number"));
        let err = hyperparameter_call(NetUid(3), "colour", "1").expect_err("unknown");
        assert!(err.to_string().contains("unknown hyperparameter"));
        assert!(err.to_string().contains("rustensor subnet set --help"));
    }

    #[test]
    fn test_subnet_set_help_lists_every_hyperparameter_of_the_table() {
        let help = set_long_help();
        for h in HYPERPARAMETERS {
            assert!(help.contains(h.name), "{} is missing from the help", h.name);
        }
        assert!(help.contains("tempo (sudo only)"));
        assert!(help.contains("Example"));
    }
}
