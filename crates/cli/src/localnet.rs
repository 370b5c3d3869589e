//! `rustensor localnet`: a whole Bittensor network on this machine, with one command.
//!
//! 1. starts a development chain (`rustensor node --dev`, a child process of this one, its
//!    log in `<data>/node.log`; with `--validators N`, N node processes running simplex BFT
//!    over loopback, logs in `<data>/node-I.log`); the validators' and miners' log goes to
//!    `<data>/localnet.log`;
//! 2. creates the text-embedding subnet and starts it, with a short tempo set by the sudo key;
//! 3. funds, registers and stakes the owner, the subnet validators and the miners (by default
//!    2 validators and 5 miners: 3 honest, 1 random, 1 slow);
//! 4. runs them all in this process: each miner serves all-MiniLM-L6-v2 on its own axon
//!    (loopback, `127.0.0.2`), each validator queries, scores and sets weights;
//! 5. shows progress: a table at every epoch with each uid's score (the validators' mean
//!    moving average), incentive, dividends and emission;
//! 6. after `--epochs K` epochs with weights in place prints the final table (or one JSON
//!    document with `--json`) and stops everything; with `--forever` it runs until Ctrl-C.
//!
//! Keys are derived from fixed seeds (`rustensor localnet <role> <i>`) except the owner and
//! sudo key, `//Alice`: the same run gives the same addresses, and nothing here is meant for
//! a public network.

//! The work is in the `rustensor-localnet` crate; this module parses the options and prints
//! the outcome.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::Context as _;
use clap::Args;

/// Arguments of `rustensor localnet`.
#[derive(Debug, Args)]
pub struct LocalnetArgs {
    /// Epochs to run once every validator has set weights; then print the result and stop.
    #[arg(long, default_value_t = 5, value_name = "K")]
    pub epochs: u64,
    /// Keep running until Ctrl-C instead of stopping after --epochs.
    #[arg(long)]
    pub forever: bool,
    /// Print the final state as one JSON document on stdout (progress still goes to stderr).
    #[arg(long)]
    pub json: bool,
    /// Chain validators (1 to 16): with more than 1, one `rustensor node` process per
    /// validator (//Alice, //Bob, … as consensus keys) agreeing over loopback TCP with simplex
    /// BFT; the subnet runs on that chain through the first node's RPC.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub validators: usize,
    /// Subnet validators: staked hotkeys that score the miners and set weights.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub subnet_validators: usize,
    /// Honest miners (run the model).
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub honest: usize,
    /// Miners that answer random vectors.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub random: usize,
    /// Miners that answer only after the timeout.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub slow: usize,
    /// Miners that replay an answer cached from an honest miner.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub copy: usize,
    /// Blocks per epoch of the subnet (blocks are 250 ms on the dev chain).
    #[arg(long, default_value_t = 20, value_name = "BLOCKS")]
    pub tempo: u16,
    /// TAO each subnet validator stakes on itself.
    #[arg(long, default_value_t = 1000, value_name = "TAO")]
    pub stake: u64,
    /// Seconds a miner has to answer a validator's task.
    #[arg(long, default_value_t = 8.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// Query/passage pairs per task.
    #[arg(long, default_value_t = 12, value_name = "N")]
    pub pairs: usize,
    /// Distractor passages per task.
    #[arg(long, default_value_t = 6, value_name = "N")]
    pub distractors: usize,
    /// Use only the first N pairs of the shipped corpus (default: all 100).
    #[arg(long, value_name = "N")]
    pub corpus_pairs: Option<usize>,
    /// Turn commit-reveal on for the subnet: validators commit weights and reveal them later.
    #[arg(long)]
    pub commit_reveal: bool,
    /// Seed of the validators' task generators (validator i uses SEED + i).
    #[arg(long, default_value_t = 1, value_name = "SEED")]
    pub seed: u64,
    /// Keep the chain's data, node.log and localnet.log in DIR; default: a temporary directory,
    /// deleted on exit.
    #[arg(long, short = 'd', value_name = "DIR")]
    pub base_path: Option<PathBuf>,
    /// JSON-RPC port of the chain (0 picks a free one).
    #[arg(long, default_value_t = 9944, value_name = "PORT")]
    pub rpc_port: u16,
    /// Loopback address the miners' axons listen on and announce (the chain refuses
    /// 127.0.0.1 as an axon address, as subtensor does).
    #[arg(long, default_value = "127.0.0.2", value_name = "IP")]
    pub axon_ip: std::net::Ipv4Addr,
    /// Folder with all-MiniLM-L6-v2 (default: $RUSTENSOR_MODELS/all-minilm-l6-v2 or
    /// ./models/all-minilm-l6-v2; `scripts/fetch-models` fills it).
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
}

impl LocalnetArgs {
    /// The library's configuration for these options.
    pub fn config(&self) -> rustensor_localnet::Config {
        rustensor_localnet::Config {
            epochs: self.epochs,
            forever: self.forever,
            validators: self.validators,
            subnet_validators: self.subnet_validators,
            honest: self.honest,
            random: self.random,
            slow: self.slow,
            copy: self.copy,
            tempo: self.tempo,
            stake: self.stake,
            timeout: self.timeout,
            pairs: self.pairs,
            distractors: self.distractors,
            corpus_pairs: self.corpus_pairs,
            commit_reveal: self.commit_reveal,
            seed: self.seed,
            base_path: self.base_path.clone(),
            rpc_port: self.rpc_port,
            axon_ip: self.axon_ip,
            models: self.models.clone(),
        }
    }
}

/// Sends this process's `tracing` output (validators' rounds, weights, reveals; miners'
/// answers) to `path`, so the terminal keeps only the epoch tables. `RUST_LOG` filters
/// (default `info`). A file that cannot be opened only loses the log.
fn init_file_logging(path: &Path) {
    if let Ok(file) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
        crate::init_tracing("info", false, Mutex::new(file));
    }
}

/// `rustensor localnet`.
pub fn run(args: &LocalnetArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let exe = std::env::current_exe().context("cannot find the rustensor executable")?;
    let outcome = rustensor_localnet::run(&args.config(), &exe, |data| {
        init_file_logging(&data.join("localnet.log"));
    })?;
    if args.json {
        writeln!(out, "{}", outcome.document())?;
    } else {
        outcome.write_text(out)?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    #[test]
    fn test_localnet_defaults_are_the_library_defaults() {
        let cli = crate::Cli::parse_from(["rustensor", "localnet"]);
        let crate::Command::Localnet(args) = cli.command else { panic!("not localnet") };
        let (ours, lib) = (args.config(), rustensor_localnet::Config::default());
        assert_eq!(format!("{ours:?}"), format!("{lib:?}"));
    }
}
