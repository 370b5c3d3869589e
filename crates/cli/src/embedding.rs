//! `rustensor embedding miner | validator`: run one text-embedding subnet neuron against any
//! node, the way a miner or validator operator runs it on a real network.
//!
//! `rustensor localnet` runs all of these inside one process on its own dev chain; these
//! commands run one neuron each, with keys from a wallet (or a dev URI), against the node
//! given by `--network`. The hotkey must already be registered on the subnet (`rustensor
//! register`), and a validator needs stake for its permit (`rustensor stake add`).
//!
//! Logs go to stderr (`RUST_LOG` filters; default `info`): the miner logs refused and served
//! requests, the validator a score table every round and each weights submission.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand};
use rustensor_embedding::embedder::{Embedder, default_model_dir};
use rustensor_embedding::miner::{Behaviour, Miner, ValidatorView};
use rustensor_embedding::task::{Corpus, TaskConfig};
use rustensor_embedding::validator::{Validator, ValidatorConfig};
use rustensor_primitives::NetUid;
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_sdk::axon::{Axon, AxonConfig};
use rustensor_sdk::chain::{Metagraph, TxOptions, network_url};
use serde_json::json;

use crate::axon::{max_seconds, runtime, until_stopped};
use crate::chain::{KeyArgs, NetworkArgs, client_for};
use rustensor_sdk::chain::serve_axon_call;

/// `rustensor embedding` subcommands.
#[derive(Debug, Subcommand)]
pub enum EmbeddingCommand {
    /// Serve all-MiniLM-L6-v2 as a miner of the text-embedding subnet.
    ///
    /// Loads the model, checks the hotkey is registered on --netuid, listens on --ip:--port,
    /// announces the address on chain (serve_axon) unless it is already there, and answers
    /// TextEmbedding requests from the subnet's validators (others get 403; higher stake is
    /// served first). Prints `READY <ip:port> <hotkey> uid <uid>` once serving, then runs
    /// until Ctrl-C (or --max-seconds).
    ///
    /// Example: rustensor embedding miner --netuid 1 --wallet miner --hotkey default \
    ///   --port 8091 --external-ip 203.0.113.7 --network ws://127.0.0.1:9944
    #[command(verbatim_doc_comment)]
    Miner(MinerArgs),
    /// Validate the text-embedding subnet: query miners, score them, set weights.
    ///
    /// Each round builds a retrieval task from the shipped corpus (paraphrased queries,
    /// passages, distractors, a duplicated text), sends it to every serving miner, scores
    /// top-1 recall and contrastive loss with a latency penalty, and keeps a moving average.
    /// Once per epoch it sets weights (commit and later reveal when the subnet has
    /// commit-reveal on). Runs until Ctrl-C (or --max-seconds); with --json it then prints
    /// its final status as one JSON document.
    ///
    /// Example: rustensor embedding validator --netuid 1 --wallet validator --hotkey default \
    ///   --network ws://127.0.0.1:9944
    #[command(verbatim_doc_comment)]
    Validator(ValidatorArgs),
}

/// Arguments of `rustensor embedding miner`.
#[derive(Debug, Args)]
pub struct MinerArgs {
    #[command(flatten)]
    net: NetworkArgs,
    #[command(flatten)]
    keys: KeyArgs,
    /// The subnet to mine on.
    #[arg(long, value_name = "NETUID")]
    pub netuid: u16,
    /// Address to listen on.
    #[arg(long, default_value = "0.0.0.0")]
    pub ip: IpAddr,
    /// Port to listen on (0 picks a free one; the READY line says which).
    #[arg(long, default_value_t = 8091)]
    pub port: u16,
    /// Address validators reach this axon at, announced on chain [default: --ip when it is a
    /// concrete address; 127.0.0.2 when --ip is 0.0.0.0 and the node is on loopback (the
    /// chain refuses 127.0.0.1, as subtensor does; on Linux all of 127/8 is loopback)].
    #[arg(long, value_name = "IP")]
    pub external_ip: Option<IpAddr>,
    /// Do not announce the address on chain (it is already, or someone else does it).
    #[arg(long)]
    pub no_announce: bool,
    /// How to answer: honest (run the model), or random, copy, slow to see what the
    /// validators make of it.
    #[arg(long, default_value = "honest", value_name = "BEHAVIOUR")]
    pub behaviour: Behaviour,
    /// Folder with all-MiniLM-L6-v2 [default: $RUSTENSOR_MODELS/all-minilm-l6-v2, else
    /// ./models/all-minilm-l6-v2; `scripts/fetch-models` fills it].
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Seconds between re-reads of the validator list from the metagraph.
    #[arg(long, default_value_t = 12, value_name = "SECONDS")]
    pub refresh: u64,
    /// Stop after this many seconds (default: run until Ctrl-C).
    #[arg(long, value_name = "SECONDS")]
    pub max_seconds: Option<f64>,
}

/// Arguments of `rustensor embedding validator`.
#[derive(Debug, Args)]
pub struct ValidatorArgs {
    #[command(flatten)]
    net: NetworkArgs,
    #[command(flatten)]
    keys: KeyArgs,
    /// The subnet to validate.
    #[arg(long, value_name = "NETUID")]
    pub netuid: u16,
    /// Seconds a miner has to answer one task.
    #[arg(long, default_value_t = 12.0, value_name = "SECONDS")]
    pub query_timeout: f64,
    /// Query/passage pairs per task.
    #[arg(long, default_value_t = 16)]
    pub pairs: usize,
    /// Passages per task that answer no query.
    #[arg(long, default_value_t = 8)]
    pub distractors: usize,
    /// Seconds between the end of one round and the start of the next.
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    pub round_interval: f64,
    /// A corpus file instead of the shipped one: one `category<TAB>question<TAB>passage`
    /// per line (the format of subnets/embedding/corpus/pairs.tsv).
    #[arg(long, value_name = "FILE")]
    pub corpus: Option<PathBuf>,
    /// Seed of the task generator (default: random).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Stop after this many seconds (default: run until Ctrl-C).
    #[arg(long, value_name = "SECONDS")]
    pub max_seconds: Option<f64>,
}

/// Runs `rustensor embedding …`.
///
/// # Errors
///
/// Missing model or keys, an unreachable node, a hotkey not registered on the subnet, a port
/// that cannot be bound, or a refused `serve_axon`; each message says what to do.
pub fn run(cmd: EmbeddingCommand, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    crate::init_tracing("info", true, std::io::stderr);
    match cmd {
        EmbeddingCommand::Miner(args) => miner(&args, out),
        EmbeddingCommand::Validator(args) => validator(&args, out),
    }
}

/// The hotkey's uid on the subnet, or an error that says how to register.
fn uid_of(mg: &Metagraph, hotkey: &Pair, netuid: u16) -> anyhow::Result<u16> {
    let me = hotkey.account_id();
    mg.neuron_by_hotkey(&me).map(|n| n.uid).with_context(|| {
        format!(
            "hotkey {me} is not registered on subnet {netuid}: register it first \
             (`rustensor register --netuid {netuid} --wallet <coldkey wallet> --hotkey <name>`)"
        )
    })
}

/// Whether the node URL points at this machine.
fn is_loopback_url(url: &str) -> bool {
    let host = url.split("://").nth(1).unwrap_or(url);
    host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]")
}

/// The address to announce: `--external-ip`, else a concrete `--ip`, else loopback for a
/// node on loopback (127.0.0.2: the chain refuses 127.0.0.1 as subtensor does).
fn announced_ip(args: &MinerArgs) -> anyhow::Result<IpAddr> {
    if let Some(ip) = args.external_ip {
        return Ok(ip);
    }
    if !args.ip.is_unspecified() {
        return Ok(args.ip);
    }
    if is_loopback_url(&network_url(&args.net.network)) {
        return Ok(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)));
    }
    bail!(
        "--ip {} listens on every interface, so validators' address for this axon is unknown: \
         pass --external-ip <the public IP they reach> (or --no-announce)",
        args.ip
    )
}

fn miner(args: &MinerArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let hotkey = args.keys.hotkey()?;
    let limit = max_seconds(args.max_seconds)?;
    let external = if args.no_announce { None } else { Some(announced_ip(args)?) };
    let model_dir = args.models.clone().unwrap_or_else(|| default_model_dir(Path::new(".")));
    let embedder = Embedder::load(&model_dir)
        .with_context(|| format!("cannot load the embedding model from {}", model_dir.display()))?;
    let netuid = NetUid(args.netuid);
    let rt = runtime()?;
    rt.block_on(async {
        let client = Arc::new(client_for(&args.net).await?);
        let mg = client.metagraph(netuid, None).await?;
        let uid = uid_of(&mg, &hotkey, args.netuid)?;
        let view = ValidatorView::new();
        view.update_from(&mg);
        let miner =
            Miner::new(embedder).with_behaviour(args.behaviour, None).with_validators(view.clone());
        let axon = Arc::new(miner).attach(Axon::new(hotkey.clone(), AxonConfig::default()));
        let bind = SocketAddr::new(args.ip, args.port);
        let handle = axon.serve(bind).await.with_context(|| {
            format!("cannot listen on {bind}: pick a free --port (0 lets the system choose)")
        })?;
        let port = handle.local_addr().port();
        if let Some(ip) = external {
            let announced = SocketAddr::new(ip, port);
            let current = mg.neurons.get(usize::from(uid)).and_then(|n| n.axon);
            if current == Some(announced) {
                tracing::info!("axon {announced} is already on chain");
            } else {
                let call = serve_axon_call(netuid, announced, 1)?;
                client
                    .submit(&hotkey, call, TxOptions::default())
                    .await
                    .with_context(|| format!("announcing axon {announced} (serve_axon)"))?;
                tracing::info!("announced axon {announced} on subnet {netuid}");
            }
        }
        writeln!(out, "READY {} {} uid {uid}", handle.local_addr(), handle.hotkey())?;
        out.flush()?;
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let refresher = {
            let client = Arc::clone(&client);
            let every = Duration::from_secs(args.refresh.max(1));
            tokio::spawn(async move { view.keep_updated(&client, netuid, every, stop_rx).await })
        };
        until_stopped(limit).await;
        let _ = stop_tx.send(true);
        let _ = refresher.await;
        handle.stop();
        Ok(ExitCode::SUCCESS)
    })
}

fn validator(args: &ValidatorArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let hotkey = args.keys.hotkey()?;
    let limit = max_seconds(args.max_seconds)?;
    let Ok(query_timeout) = Duration::try_from_secs_f64(args.query_timeout) else {
        bail!("--query-timeout {} is not a number of seconds", args.query_timeout)
    };
    let Ok(round_interval) = Duration::try_from_secs_f64(args.round_interval) else {
        bail!("--round-interval {} is not a number of seconds", args.round_interval)
    };
    let corpus = match &args.corpus {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the corpus {}", path.display()))?;
            Corpus::parse(&text).with_context(|| format!("corpus {}", path.display()))?
        }
        None => Corpus::builtin(),
    };
    let task = TaskConfig { pairs: args.pairs, distractors: args.distractors };
    if corpus.len() < task.corpus_pairs_needed() {
        bail!(
            "a corpus of {} pairs cannot make tasks of {} pairs and {} distractors (needs {}): \
             lower --pairs/--distractors or give a bigger --corpus",
            corpus.len(),
            args.pairs,
            args.distractors,
            task.corpus_pairs_needed()
        );
    }
    let mut config = ValidatorConfig::new(NetUid(args.netuid));
    config.timeout = query_timeout;
    config.task = task;
    config.corpus = corpus;
    config.round_interval = round_interval;
    config.seed = args.seed;
    let rt = runtime()?;
    rt.block_on(async {
        let client = Arc::new(client_for(&args.net).await?);
        let mg = client.metagraph(NetUid(args.netuid), None).await?;
        let uid = uid_of(&mg, &hotkey, args.netuid)?;
        tracing::info!(
            "validator uid {uid} on subnet {}: {} neurons, block {}",
            args.netuid,
            mg.neurons.len(),
            mg.block
        );
        let v = Validator::new(client, hotkey, config);
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let run = v.run(stop_rx);
        tokio::pin!(run);
        tokio::select! {
            () = &mut run => {}
            () = until_stopped(limit) => {
                let _ = stop_tx.send(true);
                run.await;
            }
        }
        let status = v.status();
        if args.net.json {
            writeln!(out, "{}", json!({ "uid": uid, "netuid": args.netuid, "status": status }))?;
        } else {
            writeln!(
                out,
                "validator uid {uid}: {} rounds, weights submitted {} times, revealed {} times",
                status.rounds, status.weights_submitted, status.weights_revealed
            )?;
            if let Some(e) = &status.last_error {
                writeln!(out, "last error: {e}")?;
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_loopback_urls_are_recognised() {
        assert!(is_loopback_url("ws://127.0.0.1:9944"));
        assert!(is_loopback_url("ws://localhost:9944"));
        assert!(is_loopback_url("http://[::1]:9944"));
        assert!(!is_loopback_url("wss://entrypoint-finney.opentensor.ai:443"));
    }
}
