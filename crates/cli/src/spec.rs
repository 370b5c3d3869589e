//! `rustensor key generate-node-key` and `rustensor chain-spec build`: the tooling to set up a
//! network of several validators, on one machine or many.
//!
//! A validator's consensus identity is an ed25519 key. `generate-node-key` makes one from the
//! OS's randomness and prints its secret seed (what `rustensor node --validator` takes) and its
//! public key (what the chain spec lists). `chain-spec build` writes a chain spec JSON from
//! the built-in dev spec or a blank one, with the validators, balances, sudo key and optional
//! genesis subnet given on the command line; every node of a network must start from the same
//! file (the genesis hash is derived from it).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand};
use rustensor_primitives::Balance;
use rustensor_primitives::crypto::ed25519;
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_runtime::genesis::{ChainSpec, NeuronSpec, SubnetSpec, ValidatorSpec};
use serde_json::json;
use zeroize::Zeroizing;

/// `rustensor key` subcommands.
#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Generate a validator's ed25519 consensus key.
    ///
    /// Prints the secret seed (pass it to `rustensor node --validator`, keep it private) and
    /// the public key (list it in the chain spec: `chain-spec build --validator PUBKEY@IP:PORT`).
    /// With --out the seed is written to a file readable only by you instead of printed.
    /// Example: rustensor key generate-node-key --out alice.key
    #[command(verbatim_doc_comment)]
    GenerateNodeKey(GenerateNodeKeyArgs),
}

/// Arguments of `rustensor key generate-node-key`.
#[derive(Debug, Args)]
pub struct GenerateNodeKeyArgs {
    /// Write the secret seed (`0x…`) to this file (mode 0600) instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Print one JSON document.
    #[arg(long)]
    pub json: bool,
}

/// `rustensor key …`.
pub fn key(cmd: &KeyCommand, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let KeyCommand::GenerateNodeKey(args) = cmd;
    let mut seed = Zeroizing::new([0u8; 32]);
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, seed.as_mut());
    let secret = Zeroizing::new(format!("0x{}", hex::encode(seed.as_ref())));
    let public = format!("0x{}", hex::encode(ed25519::Pair::from_seed(&seed).public().0));
    if let Some(path) = &args.out {
        write_private(path, secret.as_bytes())?;
    }
    let shown_secret = if args.out.is_some() { None } else { Some(secret.as_str()) };
    if args.json {
        writeln!(
            out,
            "{}",
            json!({"public_key": public, "secret_seed": shown_secret, "secret_file": args.out})
        )?;
    } else {
        writeln!(out, "public key:  {public}")?;
        match (shown_secret, &args.out) {
            (Some(secret), _) => writeln!(
                out,
                "secret seed: {secret}   (keep it private: it signs this validator's votes)"
            )?,
            (None, Some(path)) => writeln!(out, "secret seed: written to {}", path.display())?,
            (None, None) => {}
        }
        writeln!(
            out,
            "use: rustensor node --chain SPEC --validator <secret seed>  (spec entry: {public}@IP:PORT)"
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_private(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {} (it must not exist yet)", path.display()))?;
    file.write_all(bytes)?;
    file.write_all(b"\n")?;
    file.sync_all()?;
    Ok(())
}

/// `rustensor chain-spec` subcommands.
#[derive(Debug, Subcommand)]
pub enum ChainSpecCommand {
    /// Write a chain spec JSON for a new network.
    ///
    /// Starts from the dev spec (--dev: funded dev accounts, //Alice as sudo, fast subnet
    /// settings) or a blank one, then sets the validators, balances, sudo key and an optional
    /// genesis subnet. Every node of the network must use the same file.
    /// Example (three machines):
    ///   rustensor chain-spec build --name mynet \
    ///     --validator 0xPUBKEY1@10.0.0.1:30333 --validator 0xPUBKEY2@10.0.0.2:30333 \
    ///     --validator 0xPUBKEY3@10.0.0.3:30333 --sudo 5F... --balance 5F...=1000 --out mynet.json
    /// Example (local): rustensor chain-spec build --dev --validators 4 --subnet-neurons 16
    #[command(verbatim_doc_comment)]
    Build(BuildArgs),
}

/// Arguments of `rustensor chain-spec build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Start from the dev spec (funded dev accounts, //Alice as sudo) instead of a blank one.
    #[arg(long)]
    pub dev: bool,
    /// The chain's name (also its id, lower-cased).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// A validator: its ed25519 public key (or, on dev chains, a secret URI like //Bob) and
    /// p2p address, as KEY@IP:PORT. Repeat for each validator.
    #[arg(long = "validator", value_name = "KEY@IP:PORT", conflicts_with = "validators")]
    pub validator: Vec<String>,
    /// With --dev: N validators //Alice, //Bob, … on 127.0.0.1 ports 30333, 30334, ….
    #[arg(long, value_name = "N", requires = "dev")]
    pub validators: Option<usize>,
    /// The sudo key's SS58 address (default with --dev: //Alice).
    #[arg(long, value_name = "SS58")]
    pub sudo: Option<String>,
    /// Blocks per consensus epoch: a validator set scheduled with `rustensor sudo validators`
    /// takes over at the next epoch boundary (default 3600).
    #[arg(long, value_name = "BLOCKS")]
    pub epoch_length: Option<u64>,
    /// A genesis balance, ADDRESS=TAO. Repeat as needed.
    #[arg(long = "balance", value_name = "SS58=TAO")]
    pub balances: Vec<String>,
    /// Add a genesis subnet owned by //Alice with this many uids: the owner's hotkey
    /// (//Alice//owner, uid 0) and N-1 neurons //Alice//neuron1, …, each staked with
    /// 1 000 TAO; needs --dev.
    #[arg(long, value_name = "N", requires = "dev")]
    pub subnet_neurons: Option<u16>,
    /// Write the spec here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// The dev URIs used for `--validators N`.
const DEV_VALIDATORS: [&str; 8] =
    ["//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie", "//One", "//Two"];

/// Builds the spec `args` describe.
///
/// # Errors
///
/// Bad keys, addresses or amounts, with the offending argument named.
pub fn build_spec(args: &BuildArgs) -> anyhow::Result<ChainSpec> {
    let mut spec = if let Some(n) = args.validators {
        if n == 0 || n > DEV_VALIDATORS.len() {
            bail!("--validators takes 1 to {}", DEV_VALIDATORS.len());
        }
        rustensor_node::node::dev_spec_with_validators(&DEV_VALIDATORS[..n])?
    } else if args.dev {
        ChainSpec::dev()
    } else {
        ChainSpec {
            name: "rustensor".into(),
            id: "rustensor".into(),
            properties: Default::default(),
            balances: Vec::new(),
            sudo: None,
            validators: Vec::new(),
            epoch_length: None,
            subtensor: Default::default(),
            subnets: Vec::new(),
        }
    };
    if let Some(name) = &args.name {
        spec.name.clone_from(name);
        spec.id = name.to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "_");
    }
    if !args.validator.is_empty() {
        spec.validators = args
            .validator
            .iter()
            .map(|v| {
                let (key, addr) = rustensor_node::node::parse_peer(v)?;
                Ok(ValidatorSpec {
                    public_key: format!("0x{}", hex::encode(key.as_ref())),
                    address: addr.to_string(),
                })
            })
            .collect::<anyhow::Result<_>>()?;
    }
    if spec.validators.is_empty() {
        bail!(
            "a chain needs at least one validator: give --validator KEY@IP:PORT (see `rustensor key generate-node-key`) or --dev"
        );
    }
    if let Some(length) = args.epoch_length {
        if length < 2 {
            bail!("--epoch-length {length}: an epoch needs at least 2 blocks");
        }
        spec.epoch_length = Some(length);
    }
    if let Some(sudo) = &args.sudo {
        let who: rustensor_primitives::AccountId32 = sudo
            .parse()
            .map_err(|e| anyhow::anyhow!("--sudo {sudo:?} is not an SS58 address: {e}"))?;
        spec.sudo = Some(who.to_string());
    }
    for entry in &args.balances {
        let (who, amount) = entry
            .split_once('=')
            .with_context(|| format!("--balance {entry:?}: expected SS58=TAO"))?;
        let who: rustensor_primitives::AccountId32 = who.parse().map_err(|e| {
            anyhow::anyhow!("--balance {entry:?}: {who:?} is not an SS58 address: {e}")
        })?;
        let amount =
            Balance::parse_tao(amount).map_err(|e| anyhow::anyhow!("--balance {entry:?}: {e}"))?;
        spec.balances.retain(|(account, _)| *account != who.to_string());
        spec.balances.push((who.to_string(), amount.rao()));
    }
    if let Some(n) = args.subnet_neurons {
        let uri = |u: &str| -> anyhow::Result<String> {
            Ok(Pair::from_uri(u, None)
                .map_err(|e| anyhow::anyhow!("{u}: {e}"))?
                .account_id()
                .to_string())
        };
        let alice = uri("//Alice")?;
        if n == 0 {
            bail!("--subnet-neurons counts the owner's uid too: give at least 1");
        }
        let neurons = (1..n)
            .map(|i| {
                Ok(NeuronSpec {
                    hotkey: uri(&format!("//Alice//neuron{i}"))?,
                    coldkey: alice.clone(),
                    stake: 1_000 * 1_000_000_000,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        spec.subnets.push(SubnetSpec {
            owner_coldkey: alice,
            owner_hotkey: uri("//Alice//owner")?,
            tempo: None,
            pool_tao: 10 * 1_000_000_000,
            pool_alpha: 10 * 1_000_000_000,
            commit_reveal: false,
            neurons,
        });
    }
    // Catch every genesis error now rather than when a node first starts.
    rustensor_runtime::genesis::build_genesis(&spec)
        .map_err(|e| anyhow::anyhow!("the spec would not start a chain: {e}"))?;
    Ok(spec)
}

/// `rustensor chain-spec …`.
pub fn chain_spec(cmd: &ChainSpecCommand, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let ChainSpecCommand::Build(args) = cmd;
    let spec = build_spec(args)?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, spec.to_json())
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "wrote {} ({} validators, {} balances, {} subnets)",
                path.display(),
                spec.validators.len(),
                spec.balances.len(),
                spec.subnets.len()
            );
        }
        None => writeln!(out, "{}", spec.to_json())?,
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> BuildArgs {
        BuildArgs {
            dev: false,
            name: None,
            validator: vec![],
            validators: None,
            sudo: None,
            epoch_length: None,
            balances: vec![],
            subnet_neurons: None,
            out: None,
        }
    }

    #[test]
    fn test_a_blank_spec_needs_a_validator_and_takes_keys_addresses_and_balances() {
        assert!(build_spec(&args()).is_err());
        let key = format!("0x{}", hex::encode(ed25519::Pair::from_seed(&[9; 32]).public().0));
        let alice = Pair::from_uri("//Alice", None).expect("uri").account_id().to_string();
        let spec = build_spec(&BuildArgs {
            name: Some("My Net".into()),
            validator: vec![format!("{key}@10.0.0.1:30333")],
            sudo: Some(alice.clone()),
            balances: vec![format!("{alice}=12.5")],
            ..args()
        })
        .expect("valid");
        assert_eq!(spec.id, "my_net");
        assert_eq!(spec.validators[0].public_key, key);
        assert_eq!(spec.validators[0].address, "10.0.0.1:30333");
        assert_eq!(spec.balances, vec![(alice, 12_500_000_000)]);
        let bad = build_spec(&BuildArgs { validator: vec!["nonsense".into()], ..args() });
        assert!(bad.is_err());
    }

    #[test]
    fn test_dev_specs_with_validators_and_a_genesis_subnet_build() {
        let spec = build_spec(&BuildArgs {
            dev: true,
            validators: Some(4),
            subnet_neurons: Some(16),
            ..args()
        })
        .expect("valid");
        assert_eq!(spec.validators.len(), 4);
        assert_eq!(spec.validators[3].address, "127.0.0.1:30336");
        assert_eq!(spec.subnets[0].neurons.len(), 15, "16 uids with the owner's");
        let round_trip = ChainSpec::from_json(&spec.to_json()).expect("parses");
        assert_eq!(round_trip, spec);
    }
}
