//! A whole rustensor network on one machine: chain node processes, the text-embedding
//! subnet's bootstrap, its miners and validators, and the epoch watch.
//!
//! [`run`] is `rustensor localnet`; its steps are public so tests and other tools can use
//! them one by one:
//!
//! 1. [`process`]: start `rustensor node` child processes, wait for their ready line
//!    ([`process::Ready`]), copy their logs, stop them; [`chain::start_chain`] starts a dev
//!    chain of one node or N validators;
//! 2. [`bootstrap`]: create, configure and start the subnet ([`bootstrap::create_subnet`],
//!    [`bootstrap::configure_and_start`]), fund, register and stake its members;
//! 3. [`neurons`]: miners on their own axons, announced on chain, and validators;
//! 4. [`watch`]: a table at every epoch until enough epochs had weights in place;
//! 5. [`report`]: the final table and JSON document, with the emission check.
//!
//! Keys are derived from fixed seeds ([`bootstrap::seeded`]) except the owner and sudo key,
//! `//Alice`: the same run gives the same addresses, and nothing here is meant for a public
//! network.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use rustensor_embedding::embedder::{Embedder, default_model_dir};
use rustensor_embedding::miner::{Behaviour, ValidatorView};
use rustensor_embedding::task::{Corpus, TaskConfig};
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_sdk::chain::ChainClient;
use serde_json::Value;

pub mod bootstrap;
pub mod chain;
pub mod neurons;
pub mod process;
pub mod report;
pub mod watch;

pub use chain::MAX_CHAIN_VALIDATORS;
use report::{LastState, Report};

/// What to run: the chain, the subnet's neurons and when to stop. [`Config::default`] is
/// `rustensor localnet` without options.
#[derive(Clone, Debug)]
pub struct Config {
    /// Epochs to run once every validator has set weights.
    pub epochs: u64,
    /// Run until Ctrl-C instead of stopping after `epochs`.
    pub forever: bool,
    /// Chain validators (1 to [`MAX_CHAIN_VALIDATORS`] node processes).
    pub validators: usize,
    /// Subnet validators.
    pub subnet_validators: usize,
    /// Honest miners (run the model).
    pub honest: usize,
    /// Miners that answer random vectors.
    pub random: usize,
    /// Miners that answer only after the timeout.
    pub slow: usize,
    /// Miners that replay an answer cached from an honest miner.
    pub copy: usize,
    /// Blocks per epoch of the subnet.
    pub tempo: u16,
    /// TAO each subnet validator stakes on itself.
    pub stake: u64,
    /// Seconds a miner has to answer a validator's task.
    pub timeout: f64,
    /// Query/passage pairs per task.
    pub pairs: usize,
    /// Distractor passages per task.
    pub distractors: usize,
    /// Use only the first N pairs of the shipped corpus (`None`: all).
    pub corpus_pairs: Option<usize>,
    /// Commit-reveal of weights on the subnet.
    pub commit_reveal: bool,
    /// Seed of the validators' task generators (validator i uses `seed + i`).
    pub seed: u64,
    /// Where the chain's data and logs go (`None`: a temporary directory, deleted after).
    pub base_path: Option<PathBuf>,
    /// JSON-RPC port of the (first) chain node; 0 picks a free one.
    pub rpc_port: u16,
    /// Loopback address the miners' axons listen on and announce.
    pub axon_ip: std::net::Ipv4Addr,
    /// Folder with all-MiniLM-L6-v2 (`None`: the default model folder).
    pub models: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            epochs: 5,
            forever: false,
            validators: 1,
            subnet_validators: 2,
            honest: 3,
            random: 1,
            slow: 1,
            copy: 0,
            tempo: 20,
            stake: 1000,
            timeout: 8.0,
            pairs: 12,
            distractors: 6,
            corpus_pairs: None,
            commit_reveal: false,
            seed: 1,
            base_path: None,
            rpc_port: 9944,
            axon_ip: std::net::Ipv4Addr::new(127, 0, 0, 2),
            models: None,
        }
    }
}

impl Config {
    /// The miners' behaviours, in uid order: honest, random, slow, copy.
    pub fn behaviours(&self) -> Vec<Behaviour> {
        let mut v = Vec::new();
        v.extend(std::iter::repeat_n(Behaviour::Honest, self.honest));
        v.extend(std::iter::repeat_n(Behaviour::Random, self.random));
        v.extend(std::iter::repeat_n(Behaviour::Slow, self.slow));
        v.extend(std::iter::repeat_n(Behaviour::Copy, self.copy));
        v
    }

    /// Checks the settings before anything starts; returns the validators' corpus and task
    /// shape.
    ///
    /// # Errors
    ///
    /// A setting out of range, with the option to change.
    pub fn check(&self) -> anyhow::Result<(Corpus, TaskConfig)> {
        if !(1..=MAX_CHAIN_VALIDATORS).contains(&self.validators) {
            bail!(
                "--validators {}: use 1 to {MAX_CHAIN_VALIDATORS} chain validators on one machine; \
                 for a network across machines see docs/network.md",
                self.validators
            );
        }
        if self.subnet_validators == 0 {
            bail!(
                "--subnet-validators must be at least 1: without validators nobody scores the miners"
            );
        }
        if self.behaviours().is_empty() {
            bail!("no miners: give at least one of --honest, --random, --slow, --copy");
        }
        if self.tempo < 5 {
            bail!("--tempo {} is too short: use at least 5 blocks", self.tempo);
        }
        if !(self.timeout.is_finite() && self.timeout > 0.0 && self.timeout <= 120.0) {
            bail!("--timeout must be between 0 and 120 seconds");
        }
        let corpus = match self.corpus_pairs {
            Some(n) => Corpus::builtin().truncated(n),
            None => Corpus::builtin(),
        };
        let task = TaskConfig { pairs: self.pairs, distractors: self.distractors };
        if corpus.len() < task.corpus_pairs_needed() {
            bail!(
                "a corpus of {} pairs cannot make tasks of {} pairs and {} distractors (needs {}): \
                 raise --corpus-pairs or lower --pairs/--distractors",
                corpus.len(),
                self.pairs,
                self.distractors,
                task.corpus_pairs_needed()
            );
        }
        Ok((corpus, task))
    }
}

/// Progress lines on stderr, stamped with the seconds since the start.
#[derive(Debug)]
pub struct Progress {
    started: Instant,
}

impl Progress {
    /// Starts the clock.
    pub fn new() -> Self {
        Self { started: Instant::now() }
    }

    /// Prints `[  12.3s] localnet: what`.
    pub fn say(&self, what: &str) {
        eprintln!("[{:>6.1}s] localnet: {what}", self.started.elapsed().as_secs_f64());
    }
}

impl Default for Progress {
    fn default() -> Self {
        Self::new()
    }
}

/// How a localnet ended: who was who, and the last epoch's state.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Who was who.
    pub report: Report,
    /// The last epoch's state.
    pub last: LastState,
}

impl Outcome {
    /// The final JSON document (`rustensor localnet --json`).
    pub fn document(&self) -> Value {
        report::final_document(&self.report, &self.last)
    }

    /// The final table and the emission check, as text.
    ///
    /// # Errors
    ///
    /// Writing fails.
    pub fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()> {
        report::print_table(out, &self.report, &self.last, None)?;
        if let Some(check) = self.document().get("emission_check") {
            writeln!(out, "emission check: {check}")?;
        }
        Ok(())
    }
}

/// Runs a localnet: checks `config`, loads the model, starts the chain (`rustensor` is
/// `exe`), bootstraps the subnet, runs its neurons until the epochs are done (or Ctrl-C),
/// then stops everything. `on_data_dir` is called with the data folder before the chain
/// starts (`rustensor localnet` sends its log to `localnet.log` there).
///
/// # Errors
///
/// A bad setting, a missing model, a chain that does not start, or any failed bootstrap step.
pub fn run(
    config: &Config,
    exe: &Path,
    on_data_dir: impl FnOnce(&Path),
) -> anyhow::Result<Outcome> {
    let (corpus, task) = config.check()?;
    let model_dir = config.models.clone().unwrap_or_else(|| default_model_dir(Path::new(".")));
    // Fail fast, before any chain work, if the model is not there.
    let embedder = Embedder::load(&model_dir)
        .with_context(|| format!("cannot load the embedding model from {}", model_dir.display()))?;
    let progress = Progress::new();
    let (data, _temp) = data_dir(config.base_path.as_deref())?;
    on_data_dir(&data);
    let mut chain = chain::start_chain(exe, &data, config.validators, config.rpc_port, &progress)?;
    progress.say(&format!("chain ready at {}", chain.urls[0]));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let settings = neurons::ValidatorSettings {
        timeout: Duration::from_secs_f64(config.timeout),
        task,
        corpus,
        seed: config.seed,
    };
    let result = rt.block_on(run_network(config, &chain.urls, embedder, settings, &progress));
    // Stop validators and axons first (dropping the runtime), then the chain.
    drop(rt);
    chain.stop();
    result
}

/// The data folder: `base` (created), or a temporary one deleted with the returned guard.
fn data_dir(base: Option<&Path>) -> anyhow::Result<(PathBuf, Option<tempfile::TempDir>)> {
    match base {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            Ok((dir.to_path_buf(), None))
        }
        None => {
            let t = tempfile::Builder::new()
                .prefix("rustensor-localnet-")
                .tempdir()
                .context("cannot create a temporary directory")?;
            Ok((t.path().to_path_buf(), Some(t)))
        }
    }
}

/// Steps 2 to 5 against a running chain whose nodes serve `urls`.
async fn run_network(
    config: &Config,
    urls: &[String],
    embedder: Embedder,
    settings: neurons::ValidatorSettings,
    progress: &Progress,
) -> anyhow::Result<Outcome> {
    let client = Arc::new(ChainClient::connect(&urls[0]).await?);
    // One client per chain node, for the heights line under each epoch table.
    let mut node_clients = Vec::new();
    if urls.len() > 1 {
        for u in urls {
            node_clients.push(ChainClient::connect(u).await?);
        }
    }
    let alice = Pair::from_uri("//Alice", None).context("dev key //Alice")?;

    let owner_hotkey = bootstrap::seeded("owner hotkey");
    let netuid = bootstrap::create_subnet(&client, &alice, &owner_hotkey.account_id()).await?;
    progress.say(&format!("subnet {netuid} created (owner //Alice)"));
    let subnet =
        bootstrap::SubnetSettings { tempo: config.tempo, commit_reveal: config.commit_reveal };
    bootstrap::configure_and_start(&client, &alice, netuid, subnet).await?;
    progress.say(&format!(
        "subnet {netuid} started: tempo {} blocks, commit-reveal {}",
        config.tempo,
        if config.commit_reveal { "on" } else { "off" }
    ));

    let members = bootstrap::members(config.subnet_validators, &config.behaviours());
    bootstrap::fund(&client, &alice, &members, config.stake).await?;
    bootstrap::register_all(&client, netuid, &members).await?;
    progress.say(&format!(
        "registered {} validators and {} miners",
        config.subnet_validators,
        members.len() - config.subnet_validators
    ));
    bootstrap::stake_validators(&client, netuid, &members, config.stake).await?;
    progress.say(&format!("each validator staked {} TAO", config.stake));

    let view = ValidatorView::new();
    let axons =
        neurons::start_miners(&client, netuid, &members, Arc::new(embedder), config.axon_ip, &view)
            .await?;
    progress.say(&format!("{} miners serving on {}", axons.len(), config.axon_ip));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    neurons::keep_view_updated(&client, netuid, &view, stop_rx.clone());
    let validators = neurons::start_validators(&client, netuid, &members, &settings, &stop_rx);
    progress.say("validators running; they score miners once the first epoch gives them a permit");

    let report = Report {
        netuid,
        members,
        owner_hotkey: owner_hotkey.account_id(),
        chain_validators: config.validators,
    };
    let watch = watch::WatchSettings {
        epochs: config.epochs,
        forever: config.forever,
        commit_reveal: config.commit_reveal,
    };
    let (last, counted) =
        watch::watch_epochs(&client, &node_clients, &report, &validators.statuses, watch, progress)
            .await;
    let _ = stop_tx.send(true);
    let statuses = validators.statuses.clone();
    validators.join().await;
    for a in &axons {
        a.stop();
    }
    let last = match last {
        Some(l) => l,
        None => LastState {
            metagraph: client.metagraph(netuid, None).await?,
            scores: watch::mean_scores(&statuses),
            epochs: counted,
            owner_cut: watch::owner_cut(&client).await,
            epoch_blocks: 0,
            heights: watch::chain_heights(&node_clients).await,
        },
    };
    Ok(Outcome { report, last })
}
