//! `rustensor sudo`: root-only operations with the chain's sudo key (a hyperparameter, the
//! next epoch's chain validators).

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, Subcommand};
use rustensor_runtime::pallets::{RuntimeCall, sudo};
use serde_json::json;

use super::args::{KeyArgs, NetworkArgs, confirm, connect};
use super::output::{print_receipt, submit};
use super::subnet::{SetParamArgs, set_param};

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
    let set = SetParamArgs {
        netuid: p.netuid,
        param: p.param.clone(),
        value: p.value.clone(),
        sudo: true,
    };
    set_param(&args.net, &args.keys, &set, out)
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
