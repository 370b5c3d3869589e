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
//! * `rustensor wallet balance | transfer`, `subnet list | show | create | start | burn-cost |
//!   lock-cost`, `register` (burn or PoW), `stake add | remove | move | transfer | list`, `weights set |
//!   commit | reveal`, `metagraph`, `axon set`, `delegate take`, `root register`, `sudo set`: the
//!   chain flows, over the SDK's chain client (`chain`).

use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;

pub mod axon;
pub mod chain;
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
    #[command(subcommand)]
    Yuma(yuma::YumaCommand),
    /// Wallets: create, regenerate, list and show coldkeys and hotkeys.
    #[command(subcommand)]
    Wallet(wallet::WalletCommand),
    /// Axon (server side of the synapse protocol): serve synapses.
    #[command(subcommand)]
    Axon(axon::AxonCommand),
    /// Dendrite (client side of the synapse protocol): send synapses to axons.
    #[command(subcommand)]
    Dendrite(axon::DendriteCommand),
    /// Run a chain node: `rustensor node --dev` for a local development chain.
    Node(node::NodeArgs),
    /// Subnets: list, show, create, start, registration and lock costs.
    Subnet(chain::SubnetArgs),
    /// Register a hotkey on a subnet by burning TAO.
    ///
    /// Example: rustensor register --netuid 1 --wallet alice --hotkey miner1
    #[command(verbatim_doc_comment)]
    Register(chain::RegisterArgs),
    /// Stake: add, remove and list stake positions.
    Stake(chain::StakeArgs),
    /// Weights: set a validator's weights on a subnet.
    Weights(chain::WeightsArgs),
    /// Show a subnet's metagraph: every neuron's stake, scores, emission and axon.
    ///
    /// Example: rustensor metagraph 1 --json
    #[command(verbatim_doc_comment)]
    Metagraph(chain::MetagraphArgs),
    /// Delegation: set a validator hotkey's take.
    Delegate(chain::DelegateArgs),
    /// The root subnet: register a hotkey on it.
    Root(chain::RootArgs),
    /// Root-only operations with the chain's sudo key.
    Sudo(chain::SudoArgs),
    /// Keys for running a network: generate a validator's consensus key.
    #[command(subcommand)]
    Key(spec::KeyCommand),
    /// Chain specs: build the genesis file of a new network.
    #[command(subcommand)]
    ChainSpec(spec::ChainSpecCommand),
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
}
