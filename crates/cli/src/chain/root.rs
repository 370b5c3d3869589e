//! `rustensor root register`: a hotkey onto the root subnet.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use rustensor_primitives::NetUid;
use rustensor_runtime::pallets::{RuntimeCall, subtensor};
use serde_json::json;

use super::args::{KeyArgs, NetworkArgs, connect};
use super::output::{print_receipt, submit};

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
