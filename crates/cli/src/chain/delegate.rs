//! `rustensor delegate take`: set a validator hotkey's take.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, Subcommand};
use rustensor_runtime::pallets::{RuntimeCall, subtensor};
use rustensor_sdk::chain::fraction;
use serde_json::json;

use super::args::{KeyArgs, NetworkArgs, connect};
use super::output::{print_receipt, submit};

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
