//! `rustensor metagraph` (and `subnet show`): every neuron of a subnet.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use rustensor_primitives::{Balance, NetUid};
use rustensor_sdk::chain::fraction;
use serde_json::{Value, json};

use super::args::{NetworkArgs, connect};

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

pub(super) fn metagraph_of(
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
