//! `rustensor axon set`: announce an axon address on chain (`serve_axon`, signed by the
//! hotkey).

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use rustensor_primitives::NetUid;
use rustensor_sdk::chain::serve_axon_call;
use serde_json::json;

use super::args::{KeyArgs, NetworkArgs, connect};
use super::output::{print_receipt, submit};

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
