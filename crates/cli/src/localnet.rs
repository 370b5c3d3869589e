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

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader, IsTerminal as _, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use clap::Args;
use rustensor_embedding::embedder::{Embedder, default_model_dir};
use rustensor_embedding::miner::{AnswerCache, Behaviour, Miner, ValidatorView};
use rustensor_embedding::task::{Corpus, TaskConfig};
use rustensor_embedding::validator::{Validator, ValidatorConfig, ValidatorStatus};
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_primitives::hashing::blake2_256;
use rustensor_primitives::{AccountId32, NetUid};
use rustensor_runtime::pallets::balances::{self, MultiAddress};
use rustensor_runtime::pallets::subtensor::storage::SubnetOwnerCut;
use rustensor_runtime::pallets::{RuntimeCall, admin_utils, subtensor, sudo};
use rustensor_sdk::axon::{Axon, AxonConfig, AxonHandle};
use rustensor_sdk::chain::{ChainClient, Metagraph, TxOptions, WaitFor};
use serde_json::{Value, json};

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

/// One neuron the localnet runs.
#[derive(Clone, Debug)]
struct Member {
    role: &'static str,
    behaviour: Option<Behaviour>,
    hotkey: Pair,
    coldkey: Pair,
}

fn seeded(label: &str) -> Pair {
    Pair::from_seed(&blake2_256(format!("rustensor localnet {label}").as_bytes()))
}

/// Progress on stderr: plain lines, or nothing with `quiet`.
struct Progress {
    started: Instant,
}

impl Progress {
    fn say(&self, what: &str) {
        eprintln!("[{:>6.1}s] localnet: {what}", self.started.elapsed().as_secs_f64());
    }
}

/// The chain node child process; stopped (SIGTERM, then SIGKILL) when dropped.
struct NodeChild {
    child: Child,
}

impl NodeChild {
    fn stop(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for NodeChild {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Most chain validators `--validators` takes: each is a node process on this machine.
const MAX_CHAIN_VALIDATORS: usize = 16;

/// Consensus keys of local chain validators: the dev names, then numbered URIs.
fn validator_uri(i: usize) -> String {
    const NAMES: [&str; 6] = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"];
    NAMES.get(i).map_or_else(|| format!("//Validator{i}"), |n| format!("//{n}"))
}

/// Starts the chain: `rustensor node --dev`, or with `validators > 1` one node per validator
/// on a dev spec listing them all, and waits until every node is ready. Returns the nodes and
/// every node's RPC URL (the first one's is where the subnet talks to the chain).
fn start_chain(
    data: &Path,
    validators: usize,
    rpc_port: u16,
    progress: &Progress,
) -> anyhow::Result<(Vec<NodeChild>, Vec<String>)> {
    if validators <= 1 {
        let args: Vec<String> = vec![
            "node".into(),
            "--dev".into(),
            "--no-prometheus".into(),
            "--base-path".into(),
            data.join("chain").display().to_string(),
            "--rpc-port".into(),
            rpc_port.to_string(),
        ];
        progress.say("starting the dev chain");
        let (node, url) = spawn_node(&args, &data.join("node.log"), rpc_port)?;
        return Ok((vec![node], vec![url]));
    }
    let uris: Vec<String> = (0..validators).map(validator_uri).collect();
    let uri_refs: Vec<&str> = uris.iter().map(String::as_str).collect();
    let mut spec = rustensor_node::node::dev_spec_with_validators(&uri_refs)?;
    // Free loopback ports for the validators' p2p links (bound, then released for the nodes).
    let listeners = (0..validators)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0"))
        .collect::<Result<Vec<_>, _>>()
        .context("cannot find free loopback ports for the validators")?;
    for (v, l) in spec.validators.iter_mut().zip(&listeners) {
        v.address = format!("127.0.0.1:{}", l.local_addr()?.port());
    }
    drop(listeners);
    let spec_path = data.join("spec.json");
    std::fs::write(&spec_path, spec.to_json())
        .with_context(|| format!("cannot write {}", spec_path.display()))?;
    progress.say(&format!(
        "starting {validators} chain validators ({}; logs: node-N.log)",
        uris.join(", ")
    ));
    // Start them all before waiting: none is ready until a quorum is up.
    let mut pending = Vec::new();
    for (i, uri) in uris.iter().enumerate() {
        let port = if i == 0 { rpc_port } else { 0 };
        let args: Vec<String> = vec![
            "node".into(),
            "--chain".into(),
            spec_path.display().to_string(),
            "--base-path".into(),
            data.join(format!("validator-{i}")).display().to_string(),
            "--validator".into(),
            uri.clone(),
            "--rpc-port".into(),
            port.to_string(),
            "--no-prometheus".into(),
            "--min-block-time".into(),
            "250".into(),
        ];
        pending.push(launch_node(&args, &data.join(format!("node-{i}.log")), port)?);
    }
    let mut nodes = Vec::new();
    let mut urls = Vec::new();
    for p in pending {
        let (node, url) = p.wait()?;
        urls.push(url);
        nodes.push(node);
    }
    Ok((nodes, urls))
}

/// A node process started but perhaps not ready yet.
struct PendingNode {
    node: NodeChild,
    ready: std::sync::mpsc::Receiver<String>,
    log_path: PathBuf,
    rpc_port: u16,
}

impl PendingNode {
    /// Waits (up to 120 s) for the node's ready line; returns it with its RPC URL.
    fn wait(self) -> anyhow::Result<(NodeChild, String)> {
        match self.ready.recv_timeout(Duration::from_secs(120)) {
            Ok(url) => Ok((self.node, url)),
            Err(_) => {
                let tail = std::fs::read_to_string(&self.log_path).unwrap_or_default();
                let tail: Vec<&str> = tail.lines().rev().take(5).collect();
                bail!(
                    "the chain node did not become ready within 120 s; the last lines of {}:\n{}\n\
                     (if port {} is taken, pass --rpc-port 0 or another port)",
                    self.log_path.display(),
                    tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
                    self.rpc_port
                )
            }
        }
    }
}

/// Starts `rustensor <args>` with its log copied to `log_path`, and waits until it is ready.
fn spawn_node(
    args: &[String],
    log_path: &Path,
    rpc_port: u16,
) -> anyhow::Result<(NodeChild, String)> {
    launch_node(args, log_path, rpc_port)?.wait()
}

/// Starts `rustensor <args>` (a node) with its log copied to `log_path`.
fn launch_node(args: &[String], log_path: &Path, rpc_port: u16) -> anyhow::Result<PendingNode> {
    let exe = std::env::current_exe().context("cannot find the rustensor executable")?;
    let mut log = std::fs::File::create(log_path)
        .with_context(|| format!("cannot create {}", log_path.display()))?;
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot start the chain node")?;
    let stderr = child.stderr.take().context("no stderr from the node")?;
    let node = NodeChild { child };
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    // Copies the node's log to its file and reports the ready line.
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            let _ = writeln!(log, "{line}");
            if let Some(rest) = line.split("ready rpc=").nth(1) {
                let url = rest.split_whitespace().next().unwrap_or_default().to_owned();
                let _ = tx.send(url);
            }
        }
    });
    Ok(PendingNode { node, ready: rx, log_path: log_path.to_owned(), rpc_port })
}

fn sudo_call(call: admin_utils::Call) -> RuntimeCall {
    RuntimeCall::Sudo(sudo::Call::Sudo(Box::new(RuntimeCall::AdminUtils(call))))
}

async fn submit(
    client: &ChainClient,
    signer: &Pair,
    call: RuntimeCall,
    what: &str,
) -> anyhow::Result<rustensor_sdk::chain::TxReceipt> {
    // Finalized: the node checks new transactions against finalized state, so a transfer
    // only in a block does not yet pay for the registration that follows it.
    let options = TxOptions { wait: WaitFor::Finalized, ..TxOptions::default() };
    client.submit(signer, call, options).await.with_context(|| format!("{what} failed"))
}

/// Everything the final report needs.
struct Report {
    netuid: NetUid,
    members: Vec<Member>,
    owner_hotkey: AccountId32,
    chain_validators: usize,
}

fn behaviour_list(args: &LocalnetArgs) -> Vec<Behaviour> {
    let mut v = Vec::new();
    v.extend(std::iter::repeat_n(Behaviour::Honest, args.honest));
    v.extend(std::iter::repeat_n(Behaviour::Random, args.random));
    v.extend(std::iter::repeat_n(Behaviour::Slow, args.slow));
    v.extend(std::iter::repeat_n(Behaviour::Copy, args.copy));
    v
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
    if !(1..=MAX_CHAIN_VALIDATORS).contains(&args.validators) {
        bail!(
            "--validators {}: use 1 to {MAX_CHAIN_VALIDATORS} chain validators on one machine; \
             for a network across machines see docs/network.md",
            args.validators
        );
    }
    if args.subnet_validators == 0 {
        bail!(
            "--subnet-validators must be at least 1: without validators nobody scores the miners"
        );
    }
    let behaviours = behaviour_list(args);
    if behaviours.is_empty() {
        bail!("no miners: give at least one of --honest, --random, --slow, --copy");
    }
    if args.tempo < 5 {
        bail!("--tempo {} is too short: use at least 5 blocks", args.tempo);
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 120.0) {
        bail!("--timeout must be between 0 and 120 seconds");
    }
    let corpus = match args.corpus_pairs {
        Some(n) => Corpus::builtin().truncated(n),
        None => Corpus::builtin(),
    };
    let task = TaskConfig { pairs: args.pairs, distractors: args.distractors };
    if corpus.len() < task.corpus_pairs_needed() {
        bail!(
            "a corpus of {} pairs cannot make tasks of {} pairs and {} distractors (needs {}): \
             raise --corpus-pairs or lower --pairs/--distractors",
            corpus.len(),
            args.pairs,
            args.distractors,
            task.corpus_pairs_needed()
        );
    }
    let model_dir = args.models.clone().unwrap_or_else(|| default_model_dir(Path::new(".")));
    // Fail fast, before any chain work, if the model is not there.
    let embedder = Embedder::load(&model_dir)
        .with_context(|| format!("cannot load the embedding model from {}", model_dir.display()))?;

    let progress = Progress { started: Instant::now() };
    let (data, _temp) = match &args.base_path {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            (dir.clone(), None)
        }
        None => {
            let t = tempfile::Builder::new()
                .prefix("rustensor-localnet-")
                .tempdir()
                .context("cannot create a temporary directory")?;
            (t.path().to_path_buf(), Some(t))
        }
    };
    init_file_logging(&data.join("localnet.log"));
    let (mut nodes, urls) = start_chain(&data, args.validators, args.rpc_port, &progress)?;
    let url = urls[0].clone();
    progress.say(&format!("chain ready at {url}"));

    let rt = crate::axon::runtime()?;
    let result = rt.block_on(run_network(args, &urls, embedder, corpus, task, &progress));
    // Stop validators and axons first (dropping the runtime), then the chain.
    drop(rt);
    for node in &mut nodes {
        node.stop();
    }
    let (report, last) = result?;
    let doc = final_document(&report, &last);
    if args.json {
        writeln!(out, "{doc}")?;
    } else {
        print_table(out, &report, &last, None)?;
        if let Some(check) = doc.get("emission_check") {
            writeln!(out, "emission check: {check}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What the final table and document show.
struct LastState {
    metagraph: Metagraph,
    scores: BTreeMap<u16, f64>,
    epochs: u64,
    owner_cut: u16,
    /// Blocks between the last two epochs (what the last epoch paid out for); 0 if unknown.
    epoch_blocks: u64,
    /// Each chain node's finalized height (`None`: it did not answer), with `--validators N`.
    heights: Vec<Option<u64>>,
}

/// Every chain node's finalized height, in node order (`None` for a node that does not answer).
async fn chain_heights(clients: &[ChainClient]) -> Vec<Option<u64>> {
    let mut heights = Vec::with_capacity(clients.len());
    for c in clients {
        heights.push(c.finalized_block().await.ok().map(|b| b.number));
    }
    heights
}

/// `#0 1234, #1 1234, #2 down, ...`
fn heights_line(heights: &[Option<u64>]) -> String {
    heights
        .iter()
        .enumerate()
        .map(|(i, h)| h.map_or_else(|| format!("#{i} down"), |h| format!("#{i} {h}")))
        .collect::<Vec<_>>()
        .join(", ")
}

#[allow(clippy::too_many_lines)]
async fn run_network(
    args: &LocalnetArgs,
    urls: &[String],
    embedder: Embedder,
    corpus: Corpus,
    task: TaskConfig,
    progress: &Progress,
) -> anyhow::Result<(Report, LastState)> {
    let url = urls[0].as_str();
    let client = Arc::new(ChainClient::connect(url).await?);
    // One client per chain node, for the heights line under each epoch table.
    let mut node_clients = Vec::new();
    if urls.len() > 1 {
        for u in urls {
            node_clients.push(ChainClient::connect(u).await?);
        }
    }
    let alice = Pair::from_uri("//Alice", None).context("dev key //Alice")?;

    // 1. The subnet.
    let owner_hotkey = seeded("owner hotkey");
    let receipt = submit(
        &client,
        &alice,
        RuntimeCall::Subtensor(subtensor::Call::RegisterNetwork {
            hotkey: owner_hotkey.account_id(),
        }),
        "creating the subnet",
    )
    .await?;
    let netuid = receipt
        .events
        .iter()
        .find_map(|e| match e {
            rustensor_sdk::chain::RuntimeEvent::Subtensor(subtensor::Event::NetworkAdded(n, _)) => {
                Some(*n)
            }
            _ => None,
        })
        .context("the chain reported no NetworkAdded event for the new subnet")?;
    progress.say(&format!("subnet {netuid} created (owner //Alice)"));
    use admin_utils::Call as A;
    let settings = [
        A::SudoSetTempo { netuid, tempo: args.tempo },
        A::SudoSetWeightsSetRateLimit { netuid, weights_set_rate_limit: 0 },
        A::SudoSetCommitRevealWeightsEnabled { netuid, enabled: args.commit_reveal },
        A::SudoSetMaxRegistrationsPerBlock { netuid, max_registrations_per_block: 64 },
        A::SudoSetTargetRegistrationsPerInterval { netuid, target_registrations_per_interval: 64 },
    ];
    for call in settings {
        submit(&client, &alice, sudo_call(call), "configuring the subnet").await?;
    }
    submit(
        &client,
        &alice,
        RuntimeCall::Subtensor(subtensor::Call::StartCall { netuid }),
        "starting the subnet",
    )
    .await?;
    progress.say(&format!(
        "subnet {netuid} started: tempo {} blocks, commit-reveal {}",
        args.tempo,
        if args.commit_reveal { "on" } else { "off" }
    ));

    // 2. Members: validators first, then miners.
    let mut members = Vec::new();
    for i in 0..args.subnet_validators {
        members.push(Member {
            role: "validator",
            behaviour: None,
            hotkey: seeded(&format!("validator hotkey {i}")),
            coldkey: seeded(&format!("validator coldkey {i}")),
        });
    }
    let miner_coldkey = seeded("miner coldkey");
    for (i, b) in behaviour_list(args).into_iter().enumerate() {
        members.push(Member {
            role: "miner",
            behaviour: Some(b),
            hotkey: seeded(&format!("miner hotkey {i}")),
            coldkey: miner_coldkey.clone(),
        });
    }
    // Fund the coldkeys.
    let mut coldkeys: Vec<AccountId32> = members.iter().map(|m| m.coldkey.account_id()).collect();
    coldkeys.sort();
    coldkeys.dedup();
    let fund = (args.stake.saturating_add(100)).saturating_mul(1_000_000_000);
    for who in &coldkeys {
        submit(
            &client,
            &alice,
            RuntimeCall::Balances(balances::Call::TransferKeepAlive {
                dest: MultiAddress::Id(*who),
                value: fund,
            }),
            "funding a coldkey",
        )
        .await?;
    }
    // Register everyone (in parallel: the subnet allows many registrations per block now).
    let regs = members.iter().map(|m| {
        let call = RuntimeCall::Subtensor(subtensor::Call::BurnedRegister {
            netuid,
            hotkey: m.hotkey.account_id(),
        });
        let client = Arc::clone(&client);
        let coldkey = m.coldkey.clone();
        async move { submit(&client, &coldkey, call, "registering a hotkey").await }
    });
    for r in futures::future::join_all(regs).await {
        r?;
    }
    progress.say(&format!(
        "registered {} validators and {} miners",
        args.subnet_validators,
        members.len() - args.subnet_validators
    ));
    for m in members.iter().filter(|m| m.role == "validator") {
        submit(
            &client,
            &m.coldkey,
            RuntimeCall::Subtensor(subtensor::Call::AddStake {
                hotkey: m.hotkey.account_id(),
                netuid,
                amount_staked: args.stake.saturating_mul(1_000_000_000),
            }),
            "staking to a validator",
        )
        .await?;
    }
    progress.say(&format!("each validator staked {} TAO", args.stake));

    // 3. Miners: an axon each, announced on chain.
    let view = ValidatorView::new();
    let cache = AnswerCache::new();
    let mut axons: Vec<AxonHandle> = Vec::new();
    let embedder = Arc::new(embedder);
    let mut first_honest = true;
    for m in members.iter().filter(|m| m.role == "miner") {
        let behaviour = m.behaviour.unwrap_or_default();
        let shared = match behaviour {
            Behaviour::Honest if first_honest => {
                first_honest = false;
                Some(cache.clone())
            }
            Behaviour::Copy => Some(cache.clone()),
            _ => None,
        };
        let miner = Miner::from_shared(Arc::clone(&embedder))
            .with_behaviour(behaviour, shared)
            .with_validators(view.clone());
        let axon = Arc::new(miner).attach(Axon::new(m.hotkey.clone(), AxonConfig::default()));
        let handle =
            axon.serve(std::net::SocketAddr::from((args.axon_ip, 0))).await.with_context(|| {
                format!(
                    "cannot listen on {}: on Linux every 127.x.y.z address is loopback",
                    args.axon_ip
                )
            })?;
        let port = handle.local_addr().port();
        submit(
            &client,
            &m.hotkey,
            crate::chain::serve_axon_call(
                netuid,
                std::net::SocketAddr::from((args.axon_ip, port)),
                1,
            )?,
            "announcing an axon",
        )
        .await?;
        axons.push(handle);
    }
    progress.say(&format!("{} miners serving on {}", axons.len(), args.axon_ip));

    // The miners' view of the validators, refreshed from the metagraph.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    {
        let client = Arc::clone(&client);
        let view = view.clone();
        let stop = stop_rx.clone();
        tokio::spawn(async move {
            view.keep_updated(&client, netuid, Duration::from_secs(1), stop).await;
        });
    }

    // 4. Validators.
    let mut statuses: Vec<Arc<Mutex<ValidatorStatus>>> = Vec::new();
    let mut tasks = Vec::new();
    for (i, m) in members.iter().filter(|m| m.role == "validator").enumerate() {
        let mut config = ValidatorConfig::new(netuid);
        config.timeout = Duration::from_secs_f64(args.timeout);
        config.task = task;
        config.corpus = corpus.clone();
        config.round_interval = Duration::from_millis(500);
        config.weights_interval = Duration::from_millis(250);
        config.seed = Some(args.seed.wrapping_add(i as u64));
        let v = Validator::new(Arc::clone(&client), m.hotkey.clone(), config);
        statuses.push(v.status_handle());
        let stop = stop_rx.clone();
        tasks.push(tokio::spawn(async move { v.run(stop).await }));
    }
    progress.say("validators running; they score miners once the first epoch gives them a permit");

    // 5. Watch epochs.
    let report = Report {
        netuid,
        members: members.clone(),
        owner_hotkey: owner_hotkey.account_id(),
        chain_validators: args.validators,
    };
    let owner_cut = client.read::<SubnetOwnerCut>(&(), None).await.unwrap_or(11_796);
    let mut last_step = None;
    let mut counted = 0u64;
    let mut last: Option<LastState> = None;
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let terminal = std::io::stderr().is_terminal();
    loop {
        tokio::select! {
            _ = &mut ctrl_c => {
                progress.say("Ctrl-C: stopping");
                break;
            }
            () = tokio::time::sleep(Duration::from_millis(500)) => {}
        }
        let mg = match client.metagraph(netuid, None).await {
            Ok(mg) => mg,
            Err(e) => {
                progress.say(&format!("cannot read the metagraph: {e}"));
                continue;
            }
        };
        let step = mg.raw.last_step.0;
        let scores = mean_scores(&statuses);
        if terminal {
            eprint!(
                "\r  block {} · next epoch in {} blocks · rounds {}   ",
                mg.block,
                u64::from(mg.tempo).saturating_sub(mg.blocks_since_last_step),
                statuses.iter().map(|s| s.lock().map_or(0, |s| s.rounds)).sum::<u64>()
            );
        }
        if last_step == Some(step) {
            continue;
        }
        let Some(previous) = last_step.replace(step) else { continue };
        let all_set = statuses.iter().all(|s| {
            s.lock().is_ok_and(|s| {
                if args.commit_reveal { s.weights_revealed > 0 } else { s.weights_submitted > 0 }
            })
        });
        if all_set {
            counted += 1;
        }
        if terminal {
            eprintln!();
        }
        let epoch_blocks = step.saturating_sub(previous);
        let heights = chain_heights(&node_clients).await;
        let state =
            LastState { metagraph: mg, scores, epochs: counted, owner_cut, epoch_blocks, heights };
        let title = if all_set {
            format!(
                "epoch {counted}/{} at block {}",
                if args.forever { "∞".to_owned() } else { args.epochs.to_string() },
                step
            )
        } else {
            format!("epoch at block {step} (waiting for every validator's first weights)")
        };
        let mut err = std::io::stderr().lock();
        let _ = print_table(&mut err, &report, &state, Some(&title));
        if !state.heights.is_empty() {
            let _ = writeln!(
                err,
                "  chain validators' finalized heights: {}",
                heights_line(&state.heights)
            );
        }
        for (i, s) in statuses.iter().enumerate() {
            if let Some(e) = s.lock().ok().and_then(|s| s.last_error.clone()) {
                let _ = writeln!(err, "  validator {i}: {e}");
            }
        }
        drop(err);
        last = Some(state);
        if !args.forever && counted >= args.epochs {
            break;
        }
    }
    let _ = stop_tx.send(true);
    for t in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(30), t).await;
    }
    for a in &axons {
        a.stop();
    }
    let last = match last {
        Some(l) => l,
        None => LastState {
            metagraph: client.metagraph(netuid, None).await?,
            scores: mean_scores(&statuses),
            epochs: counted,
            owner_cut,
            epoch_blocks: 0,
            heights: chain_heights(&node_clients).await,
        },
    };
    Ok((report, last))
}

/// Each miner uid's mean moving-average score over the validators that scored it.
fn mean_scores(statuses: &[Arc<Mutex<ValidatorStatus>>]) -> BTreeMap<u16, f64> {
    let mut sums: BTreeMap<u16, (f64, u32)> = BTreeMap::new();
    for s in statuses {
        let Ok(s) = s.lock() else { continue };
        for (uid, m) in &s.miners {
            let e = sums.entry(*uid).or_default();
            e.0 += m.ema.value;
            e.1 += 1;
        }
    }
    sums.into_iter().map(|(uid, (sum, n))| (uid, sum / f64::from(n.max(1)))).collect()
}

fn member_of<'a>(report: &'a Report, hotkey: &AccountId32) -> Option<&'a Member> {
    report.members.iter().find(|m| m.hotkey.account_id() == *hotkey)
}

fn role_of(report: &Report, hotkey: &AccountId32) -> (&'static str, Option<Behaviour>) {
    if *hotkey == report.owner_hotkey {
        return ("owner", None);
    }
    member_of(report, hotkey).map_or(("other", None), |m| (m.role, m.behaviour))
}

fn frac(v: u16) -> f64 {
    f64::from(v) / f64::from(u16::MAX)
}

fn print_table(
    out: &mut dyn Write,
    report: &Report,
    s: &LastState,
    title: Option<&str>,
) -> std::io::Result<()> {
    let mg = &s.metagraph;
    if let Some(title) = title {
        writeln!(out, "{title} (subnet {}, block {})", report.netuid, mg.block)?;
    } else {
        writeln!(
            out,
            "subnet {} after {} epochs with weights, block {}",
            report.netuid, s.epochs, mg.block
        )?;
    }
    writeln!(
        out,
        "  {:>4}  {:<9} {:<9} {:>6} {:>10} {:>10} {:>16}",
        "UID", "ROLE", "BEHAVIOUR", "SCORE", "INCENTIVE", "DIVIDENDS", "EMISSION (α)"
    )?;
    for n in &mg.neurons {
        let (role, behaviour) = role_of(report, &n.hotkey);
        let score = s.scores.get(&n.uid).map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"));
        writeln!(
            out,
            "  {:>4}  {:<9} {:<9} {:>6} {:>10.4} {:>10.4} {:>16.9}",
            n.uid,
            role,
            behaviour.map_or("-", Behaviour::name),
            score,
            frac(n.incentive),
            frac(n.dividends),
            n.emission as f64 / 1e9,
        )?;
    }
    Ok(())
}

/// The `--json` document (also the source of the emission check printed with the table).
fn final_document(report: &Report, s: &LastState) -> Value {
    let mg = &s.metagraph;
    let neurons: Vec<Value> = mg
        .neurons
        .iter()
        .map(|n| {
            let (role, behaviour) = role_of(report, &n.hotkey);
            json!({
                "uid": n.uid,
                "hotkey": n.hotkey.to_string(),
                "role": role,
                "behaviour": behaviour.map(Behaviour::name),
                "score": s.scores.get(&n.uid),
                "incentive": frac(n.incentive),
                "dividends": frac(n.dividends),
                "emission_rao": n.emission,
                "stake_rao": n.total_stake,
                "validator_permit": n.validator_permit,
                "axon": n.axon.map(|a| a.to_string()),
            })
        })
        .collect();
    // Miner incentive shares by behaviour.
    let mut by_behaviour: BTreeMap<&str, u64> = BTreeMap::new();
    let mut total: u64 = 0;
    for n in &mg.neurons {
        let (_, behaviour) = role_of(report, &n.hotkey);
        total += u64::from(n.incentive);
        if let Some(b) = behaviour {
            *by_behaviour.entry(b.name()).or_default() += u64::from(n.incentive);
        }
    }
    let shares: BTreeMap<&str, f64> = by_behaviour
        .iter()
        .map(|(b, v)| (*b, if total == 0 { 0.0 } else { *v as f64 / total as f64 }))
        .collect();
    // Emission: what the last epoch paid (Σ of every uid's emission) against what the subnet
    // accumulated since the epoch before: per block, the alpha emission less the owner's cut
    // (the owner's cut is paid to the owner's hotkey separately, not as uid emission). With
    // no root stake on the dev chain nothing goes to root dividends. Each block's split
    // rounds down a few RAO, hence the tolerance.
    let paid: u64 = mg.neurons.iter().map(|n| n.emission).sum();
    let blocks = s.epoch_blocks;
    let per_block = mg.raw.alpha_out_emission.0;
    let after_cut =
        u128::from(per_block) * u128::from(u16::MAX - s.owner_cut) / u128::from(u16::MAX);
    let expected = u64::try_from(after_cut * u128::from(blocks)).unwrap_or(u64::MAX);
    let diff = paid.abs_diff(expected);
    json!({
        "netuid": report.netuid.0,
        "chain_validators": report.chain_validators,
        "chain_heights": s.heights,
        "block": mg.block,
        "tempo": mg.tempo,
        "epochs": s.epochs,
        "neurons": neurons,
        "miner_incentive_share": shares,
        "validator_dividends_total": mg.neurons.iter().filter(|n| role_of(report, &n.hotkey).0 == "validator").map(|n| frac(n.dividends)).sum::<f64>(),
        "emission_check": {
            "paid_last_epoch_rao": paid,
            "expected_rao": expected,
            "blocks_per_epoch": blocks,
            "alpha_emission_per_block_rao": per_block,
            "owner_cut_u16": s.owner_cut,
            "difference_rao": diff,
            "adds_up": blocks > 0 && diff <= blocks * 4 + mg.neurons.len() as u64,
        },
    })
}
