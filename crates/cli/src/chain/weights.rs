//! `rustensor weights`: set, commit and reveal a validator's weights, scaled by the SDK's
//! [`scale_weights`].

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, Subcommand};
use rustensor_primitives::NetUid;
use rustensor_runtime::pallets::{RuntimeCall, subtensor};
use rustensor_sdk::chain::scale_weights;
use serde_json::json;

use super::args::{KeyArgs, NetworkArgs, connect};
use super::output::{print_receipt, submit};

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

/// `rustensor weights …`.
pub fn weights(args: &WeightsArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let net = &args.net;
    match &args.cmd {
        WeightsCommand::Commit(c) => commit(net, &args.keys, c, out),
        WeightsCommand::Reveal(c) => reveal(net, &args.keys, c, out),
        WeightsCommand::Set(w) => set(net, &args.keys, w, out),
    }
}

/// The weights as the chain takes them, one per uid.
fn checked(w: &SetWeightsArgs) -> anyhow::Result<Vec<u16>> {
    if w.uids.len() != w.weights.len() {
        bail!("{} uids but {} weights: give one weight per uid", w.uids.len(), w.weights.len());
    }
    Ok(scale_weights(&w.weights)?)
}

/// `rustensor weights commit`: the salt (random unless given) is printed for the reveal.
fn commit(
    net: &NetworkArgs,
    keys: &KeyArgs,
    c: &CommitWeightsArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let w = &c.weights;
    let scaled = checked(w)?;
    let salt = if c.salt.is_empty() {
        use rand::Rng as _;
        let mut rng = rand::rngs::OsRng;
        (0..8).map(|_| rng.r#gen::<u16>()).collect()
    } else {
        c.salt.clone()
    };
    let (rt, client) = connect(net)?;
    let hotkey = keys.hotkey()?;
    let commit_hash = subtensor::weights::commit_hash(
        &hotkey.account_id(),
        w.netuid,
        &w.uids,
        &scaled,
        &salt,
        w.version_key,
    );
    let netuid = NetUid(w.netuid);
    let call = RuntimeCall::Subtensor(subtensor::Call::CommitWeights { netuid, commit_hash });
    let receipt = submit(&rt, &client, &hotkey, call)?;
    let join = |v: &[u16]| v.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
    if !net.json {
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
        net,
        &format!("committed weights on subnet {netuid}"),
        &receipt,
        json!({"netuid": w.netuid, "uids": w.uids, "weights_u16": scaled, "salt": salt,
               "commit_hash": format!("0x{}", hex::encode(commit_hash))}),
    )
}

/// `rustensor weights reveal`.
fn reveal(
    net: &NetworkArgs,
    keys: &KeyArgs,
    c: &CommitWeightsArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let w = &c.weights;
    let scaled = checked(w)?;
    if c.salt.is_empty() {
        bail!("--salt is required: give the salt `weights commit` printed");
    }
    let (rt, client) = connect(net)?;
    let hotkey = keys.hotkey()?;
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
        net,
        &format!("revealed {} weights on subnet {netuid}", w.uids.len()),
        &receipt,
        json!({"netuid": w.netuid, "uids": w.uids, "weights_u16": scaled}),
    )
}

/// `rustensor weights set`.
fn set(
    net: &NetworkArgs,
    keys: &KeyArgs,
    w: &SetWeightsArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let scaled = checked(w)?;
    let (rt, client) = connect(net)?;
    let hotkey = keys.hotkey()?;
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
        net,
        &format!("set {} weights on subnet {netuid}", w.uids.len()),
        &receipt,
        json!({"netuid": w.netuid, "uids": w.uids, "weights_u16": scaled}),
    )
}

// ---------------------------------------------------------------------------------------------
// axon set, delegate take, root register, sudo set
