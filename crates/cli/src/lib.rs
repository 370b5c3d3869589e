//! The `rustensor` command: run, inspect and benchmark the rustensor network.
//!
//! The binary in `main.rs` only parses arguments and prints errors; every command lives here
//! so that it can be tested. Commands write their normal output to a `Write` they are given,
//! and report failure through the returned exit code or an error.
//!
//! Commands so far:
//!
//! * `rustensor yuma check FILE...`: recompute Yuma conformance vectors bit for bit;
//! * `rustensor yuma bench`: time the epoch on random realistic subnets;
//! * `rustensor wallet create | new-hotkey | regen-coldkey | regen-hotkey | list | show`:
//!   bittensor-compatible wallets;
//! * `rustensor axon echo`: serve the generic `Echo` synapse over the axon protocol;
//! * `rustensor dendrite call`: send any synapse to an axon and print the reply;
//! * `rustensor node`: run a chain node;
//! * `rustensor localnet`: a dev chain plus the text-embedding subnet's validators and miners,
//!   the README's main job (the work is in the `rustensor-localnet` crate);
//! * `rustensor wallet balance | transfer`, `subnet list | show | create | start | burn-cost |
//!   lock-cost`, `register` (burn or PoW), `stake add | remove | move | transfer | list`, `weights set |
//!   commit | reveal`, `metagraph`, `axon set`, `delegate take`, `root register`, `sudo set`: the
//!   chain flows, over the SDK's chain client (`chain`, one module per command group).

use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;

pub mod axon;
pub mod chain;
pub mod embedding;
pub mod localnet;
pub mod node;
pub mod spec;
pub mod wallet;
pub mod yuma;

/// rustensor: the Bittensor network, in Rust.
#[derive(Debug, Parser)]
#[command(
    name = "rustensor",
    version,
    about = "rustensor: the Bittensor network, in Rust",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Yuma Consensus: check conformance vectors, benchmark the epoch.
    ///
    /// Example: rustensor yuma bench --n 256
    #[command(subcommand, verbatim_doc_comment)]
    Yuma(yuma::YumaCommand),
    /// Wallets: create, regenerate, list and show keys; balances, transfers and overview.
    ///
    /// Example: rustensor wallet create --wallet alice --hotkey miner1
    #[command(subcommand, verbatim_doc_comment)]
    Wallet(wallet::WalletCommand),
    /// Axon (server side of the synapse protocol): serve synapses, announce the address.
    ///
    /// Example: rustensor axon echo --wallet miner --port 8091
    #[command(subcommand, verbatim_doc_comment)]
    Axon(axon::AxonCommand),
    /// Dendrite (client side of the synapse protocol): send synapses to axons.
    ///
    /// Example: rustensor dendrite call --help
    #[command(subcommand, verbatim_doc_comment)]
    Dendrite(axon::DendriteCommand),
    /// The whole network on this machine: a dev chain, the text-embedding subnet, its
    /// validators and miners (3 honest, 1 random, 1 slow by default), with live progress.
    ///
    /// Example: rustensor localnet --epochs 5
    /// Example: rustensor localnet --forever --honest 2 --random 2
    #[command(verbatim_doc_comment)]
    Localnet(localnet::LocalnetArgs),
    /// The text-embedding subnet: run a miner or a validator against a node.
    ///
    /// Example: rustensor embedding miner --netuid 1 --wallet miner --port 8091
    #[command(subcommand, verbatim_doc_comment)]
    Embedding(embedding::EmbeddingCommand),
    /// Run a chain node: `rustensor node --dev` for a local development chain.
    ///
    /// Example: rustensor node --dev --base-path ./chain
    /// Full node following a validator: rustensor node --dev --base-path ./full --rpc-port 9945 --sync-from ws://127.0.0.1:9944
    #[command(verbatim_doc_comment)]
    Node(node::NodeArgs),
    /// Subnets: list, show, create, start, set and show hyperparameters, costs.
    ///
    /// Example: rustensor subnet list --network ws://127.0.0.1:9944
    #[command(verbatim_doc_comment)]
    Subnet(chain::SubnetArgs),
    /// Register a hotkey on a subnet by burning TAO.
    ///
    /// Example: rustensor register --netuid 1 --wallet alice --hotkey miner1
    #[command(verbatim_doc_comment)]
    Register(chain::RegisterArgs),
    /// Stake: add, remove, move, transfer and list stake positions.
    ///
    /// Example: rustensor stake add --netuid 1 --amount 10 --hotkey-address 5F... --wallet alice
    #[command(verbatim_doc_comment)]
    Stake(chain::StakeArgs),
    /// Weights: set, commit and reveal a validator's weights on a subnet.
    ///
    /// Example: rustensor weights set --netuid 1 --uids 1,2 --weights 0.7,0.3 --wallet validator
    #[command(verbatim_doc_comment)]
    Weights(chain::WeightsArgs),
    /// Show a subnet's metagraph: every neuron's stake, scores, emission and axon.
    ///
    /// Example: rustensor metagraph 1 --json
    #[command(verbatim_doc_comment)]
    Metagraph(chain::MetagraphArgs),
    /// Delegation: set a validator hotkey's take.
    ///
    /// Example: rustensor delegate take --take 9 --wallet validator
    #[command(verbatim_doc_comment)]
    Delegate(chain::DelegateArgs),
    /// The root subnet: register a hotkey on it.
    ///
    /// Example: rustensor root register --wallet validator
    #[command(verbatim_doc_comment)]
    Root(chain::RootArgs),
    /// Root-only operations with the chain's sudo key.
    ///
    /// Example: rustensor sudo set --netuid 1 --param tempo --value 20 --uri //Alice
    #[command(verbatim_doc_comment)]
    Sudo(chain::SudoArgs),
    /// Keys for running a network: generate a validator's consensus key.
    ///
    /// Example: rustensor key generate-node-key --out validator.key
    #[command(subcommand, verbatim_doc_comment)]
    Key(spec::KeyCommand),
    /// Chain specs: build the genesis file of a new network.
    ///
    /// Example: rustensor chain-spec build --dev --validators 4 --out local.json
    #[command(subcommand, verbatim_doc_comment)]
    ChainSpec(spec::ChainSpecCommand),
}

/// Installs the process's `tracing` subscriber writing to `writer`: `RUST_LOG` filters, else
/// `default_filter`. A second call (tests running several commands) changes nothing.
pub(crate) fn init_tracing<W>(default_filter: &str, ansi: bool, writer: W)
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(writer)
        .try_init();
}

/// Runs a parsed command line, writing its output to stdout.
///
/// # Errors
///
/// Any failure that stops the command (unreadable input, bad arguments); the message says
/// what to do about it.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = run_with(cli, &mut out);
    match result {
        // A closed pipe (`rustensor ... | head`) is not an error.
        Err(e) if is_broken_pipe(&e) => Ok(ExitCode::SUCCESS),
        other => other,
    }
}

/// Runs a parsed command line, writing its output to `out`.
///
/// # Errors
///
/// As [`run`].
pub fn run_with(cli: Cli, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Yuma(cmd) => yuma::run(cmd, out),
        Command::Wallet(cmd) => wallet::run(cmd, out),
        Command::Axon(cmd) => axon::run_axon(cmd, out),
        Command::Dendrite(cmd) => axon::run_dendrite(cmd, out),
        Command::Localnet(args) => localnet::run(&args, out),
        Command::Embedding(cmd) => embedding::run(cmd, out),
        Command::Node(args) => node::run(args, out),
        Command::Subnet(args) => chain::subnet(&args, out),
        Command::Register(args) => chain::register(&args, out),
        Command::Stake(args) => chain::stake(&args, out),
        Command::Weights(args) => chain::weights(&args, out),
        Command::Metagraph(args) => chain::metagraph(&args, out),
        Command::Delegate(args) => chain::delegate(&args, out),
        Command::Root(args) => chain::root(&args, out),
        Command::Sudo(args) => chain::sudo_cmd(&args, out),
        Command::Key(cmd) => spec::key(&cmd, out),
        Command::ChainSpec(cmd) => spec::chain_spec(&cmd, out),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    #[test]
    fn test_the_command_tree_is_consistent() {
        // Duplicate argument names, bad defaults and conflicting globals panic here rather than
        // when a user first runs the affected subcommand.
        super::Cli::command().debug_assert();
    }

    #[test]
    fn test_every_command_help_has_an_example() {
        fn walk(cmd: &mut clap::Command, path: &str, missing: &mut Vec<String>) {
            let help = cmd.render_long_help().to_string();
            if !help.contains("Example") {
                missing.push(path.to_owned());
            }
            for sub in cmd.get_subcommands_mut() {
                // clap's generated `help` subcommand prints other commands' help.
                if sub.get_name() != "help" {
                    let name = format!("{path} {}", sub.get_name());
                    walk(sub, &name, missing);
                }
            }
        }
        let mut root = super::Cli::command();
        root.build();
        let mut missing = Vec::new();
        for sub in root.get_subcommands_mut() {
            let name = format!("rustensor {}", sub.get_name());
            if name != "rustensor help" {
                walk(sub, &name, &mut missing);
            }
        }
        assert!(missing.is_empty(), "commands whose --help has no example: {missing:?}");
    }
}
