//! `rustensor axon echo` and `rustensor dendrite call`: serve and send synapses over the
//! Python SDK's axon/dendrite protocol.
//!
//! The hotkey comes from a wallet under `--wallet-path` (default `$BT_WALLET_PATH`, else
//! `~/.bittensor/wallets`), in bittensor-wallet's layout.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use rustensor_primitives::AccountId32;
use rustensor_sdk::axon::{Axon, AxonConfig, ChunkStream, Hooks};
use rustensor_sdk::dendrite::{AxonTarget, Dendrite};
use rustensor_sdk::synapse::{Echo, EchoHashed, StreamEcho, SynapseBase};
use rustensor_sdk::wallet::{DEFAULT_HOTKEY_NAME, DEFAULT_WALLET_NAME, Wallet, default_root};
use serde_json::{Value, json};

/// `rustensor axon` subcommands.
#[derive(Debug, Subcommand)]
pub enum AxonCommand {
    /// Serve the generic `Echo` and `EchoHashed` synapses (the reply sets `out` to `text`),
    /// and the streaming `StreamEcho` (the words of `text`, one chunk each).
    ///
    /// For health checks and interop tests. Prints `READY <ip:port> <hotkey ss58>` once
    /// listening, then serves until interrupted (or --max-seconds).
    ///
    /// Example: rustensor axon echo --wallet miner --hotkey default --port 8091
    #[command(verbatim_doc_comment)]
    Echo(EchoArgs),
    /// Announce the hotkey's axon address on a subnet (`serve_axon`), signed by the hotkey.
    ///
    /// Example: rustensor axon set --netuid 1 --ip 203.0.113.7 --port 8091 --wallet miner
    #[command(verbatim_doc_comment)]
    Set(crate::chain::AxonSetArgs),
}

/// `rustensor dendrite` subcommands.
#[derive(Debug, Subcommand)]
pub enum DendriteCommand {
    /// Send one synapse to an axon and print the reply as JSON.
    ///
    /// On success prints the axon's synapse; otherwise prints
    /// {"status_code": ..., "status_message": ...} and exits with status 1.
    ///
    /// With --stream (a streaming synapse), prints each chunk as it arrives instead.
    ///
    /// Example: rustensor dendrite call --wallet validator --hotkey default \
    ///   --axon 127.0.0.1:8091 --axon-hotkey 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty \
    ///   --synapse Echo --body '{"n": 1, "text": "hello"}'
    /// Streaming: ... --synapse StreamEcho --body '{"text": "one two three"}' --stream
    #[command(verbatim_doc_comment)]
    Call(CallArgs),
}

/// The wallet whose hotkey signs.
#[derive(Debug, Args)]
pub struct HotkeyArgs {
    /// Folder holding the wallets [default: $BT_WALLET_PATH, else ~/.bittensor/wallets].
    #[arg(long, visible_alias = "wallet.path", value_name = "DIR")]
    pub wallet_path: Option<PathBuf>,
    /// Wallet name.
    #[arg(long = "wallet", visible_aliases = ["name", "wallet.name"], value_name = "NAME", default_value = DEFAULT_WALLET_NAME)]
    pub name: String,
    /// Hotkey name.
    #[arg(long, visible_alias = "wallet.hotkey", value_name = "NAME", default_value = DEFAULT_HOTKEY_NAME)]
    pub hotkey: String,
}

impl HotkeyArgs {
    fn pair(&self) -> anyhow::Result<rustensor_primitives::crypto::sr25519::Pair> {
        let root = self
            .wallet_path
            .as_deref()
            .map(rustensor_sdk::wallet::expand_tilde)
            .unwrap_or_else(default_root);
        Wallet::new(&root, &self.name, &self.hotkey)
            .hotkey()
            .with_context(|| format!("opening hotkey '{}' of wallet '{}'", self.hotkey, self.name))
    }
}

/// Arguments of `rustensor axon echo`.
#[derive(Debug, Args)]
pub struct EchoArgs {
    #[command(flatten)]
    wallet: HotkeyArgs,
    /// Address to listen on.
    #[arg(long, default_value = "0.0.0.0")]
    pub ip: IpAddr,
    /// Port to listen on (0 picks a free one; the READY line says which).
    #[arg(long, default_value_t = 8091)]
    pub port: u16,
    /// Refuse calls from this hotkey with 403 (repeatable).
    #[arg(long, value_name = "SS58")]
    pub blacklist: Vec<String>,
    /// Stop after this many seconds (default: serve until interrupted).
    #[arg(long, value_name = "SECONDS")]
    pub max_seconds: Option<f64>,
    /// Worker threads; 1 serves everything on the main thread (best when pinned to one core)
    /// [default: one per CPU].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

/// Arguments of `rustensor dendrite call`.
#[derive(Debug, Args)]
pub struct CallArgs {
    #[command(flatten)]
    wallet: HotkeyArgs,
    /// The axon's address.
    #[arg(long, value_name = "IP:PORT")]
    pub axon: SocketAddr,
    /// The axon's hotkey (it is part of the signed message).
    #[arg(long, value_name = "SS58")]
    pub axon_hotkey: String,
    /// Synapse name: the route, the Python class name.
    #[arg(long, value_name = "NAME")]
    pub synapse: String,
    /// The synapse's own fields as a JSON object.
    #[arg(long, value_name = "JSON", default_value = "{}")]
    pub body: String,
    /// Fields covered by the body hash, comma-separated (the class's required_hash_fields).
    #[arg(long, value_name = "FIELDS", value_delimiter = ',')]
    pub hash_fields: Vec<String>,
    /// Seconds to wait for the reply (with --stream: for the whole stream).
    #[arg(long, default_value_t = 12.0)]
    pub timeout: f64,
    /// The synapse streams its reply (a Python `StreamingSynapse`): print each chunk to
    /// stdout as it arrives, unchanged.
    #[arg(long)]
    pub stream: bool,
}

/// A multi-threaded async runtime, one worker per core.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// `--max-seconds` as a duration (`None`: no limit).
///
/// # Errors
///
/// A negative, infinite or NaN number of seconds.
pub(crate) fn max_seconds(seconds: Option<f64>) -> anyhow::Result<Option<Duration>> {
    seconds
        .map(|s| {
            Duration::try_from_secs_f64(s)
                .map_err(|_| anyhow::anyhow!("--max-seconds {s} is not a number of seconds"))
        })
        .transpose()
}

/// Waits for Ctrl-C, or until `limit` has passed.
pub(crate) async fn until_stopped(limit: Option<Duration>) {
    match limit {
        Some(l) => {
            tokio::select! {
                () = tokio::time::sleep(l) => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        None => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// Runs `rustensor axon ...`.
///
/// # Errors
///
/// A missing wallet or hotkey, a bad blacklist address, or a port that cannot be bound.
pub fn run_axon(cmd: AxonCommand, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let args = match cmd {
        AxonCommand::Echo(args) => args,
        AxonCommand::Set(args) => return crate::chain::axon_set(&args, out),
    };
    let pair = args.wallet.pair()?;
    let mut blacklist = Vec::with_capacity(args.blacklist.len());
    for ss58 in &args.blacklist {
        AccountId32::from_ss58(ss58)
            .with_context(|| format!("--blacklist {ss58:?} is not an SS58 address"))?;
        blacklist.push(ss58.clone());
    }
    let hooks =
        Hooks::new().blacklist(move |base: &SynapseBase| match base.dendrite.hotkey.as_deref() {
            Some(h) if blacklist.iter().any(|b| b == h) => {
                Err("hotkey is on the blacklist".to_owned())
            }
            _ => Ok(()),
        });
    let axon = Axon::new(pair, AxonConfig::default())
        .attach_with(
            |mut e: Echo| async move {
                e.out = Some(e.text.clone());
                Ok(e)
            },
            hooks.clone(),
        )
        .attach_with(
            |mut e: EchoHashed| async move {
                e.out = Some(e.text.clone());
                Ok(e)
            },
            hooks.clone(),
        )
        .attach_streaming_with(
            |s: StreamEcho| async move {
                let words: Vec<bytes::Bytes> =
                    s.text.split(' ').map(|w| bytes::Bytes::from(format!("{w} "))).collect();
                Ok(Box::pin(futures::stream::iter(words)) as ChunkStream)
            },
            hooks,
        );
    let limit = max_seconds(args.max_seconds)?;
    let rt = runtime_with(args.threads)?;
    rt.block_on(async {
        let addr = SocketAddr::new(args.ip, args.port);
        let handle = axon.serve(addr).await.with_context(|| format!("binding {addr}"))?;
        writeln!(out, "READY {} {}", handle.local_addr(), handle.hotkey())?;
        out.flush()?;
        until_stopped(limit).await;
        handle.stop();
        Ok(ExitCode::SUCCESS)
    })
}

/// Runs `rustensor dendrite ...`.
///
/// # Errors
///
/// A missing wallet or hotkey, a bad axon hotkey, or a body that is not a JSON object. A call
/// that reaches no answer is not an error: it prints the status and returns exit code 1.
pub fn run_dendrite(cmd: DendriteCommand, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let DendriteCommand::Call(args) = cmd;
    let pair = args.wallet.pair()?;
    let hotkey = AccountId32::from_ss58(&args.axon_hotkey)
        .with_context(|| format!("--axon-hotkey {:?} is not an SS58 address", args.axon_hotkey))?;
    let body: Value = serde_json::from_str(&args.body).context("--body is not valid JSON")?;
    let Value::Object(body) = body else {
        bail!("--body must be a JSON object, like '{{\"n\": 1}}'")
    };
    let Ok(timeout) = Duration::try_from_secs_f64(args.timeout) else {
        bail!("--timeout {} is not a number of seconds", args.timeout)
    };
    let rt = runtime()?;
    if args.stream {
        return rt.block_on(async {
            use futures::StreamExt as _;
            let dendrite = Dendrite::new(pair);
            let target = AxonTarget::new(args.axon, hotkey);
            let mut reply = dendrite
                .call_stream_json(&target, &args.synapse, body, &args.hash_fields, timeout)
                .await;
            if reply.status_code != 200 {
                let doc = json!({
                    "status_code": reply.status_code,
                    "status_message": reply.status_message,
                    "process_time": reply.process_time,
                });
                writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
                return Ok(ExitCode::from(1));
            }
            while let Some(chunk) = reply.chunks.next().await {
                match chunk {
                    Ok(bytes) => {
                        out.write_all(&bytes)?;
                        out.flush()?;
                    }
                    Err(e) => {
                        writeln!(out)?;
                        bail!("the stream broke off: {e}");
                    }
                }
            }
            writeln!(out)?;
            Ok(ExitCode::SUCCESS)
        });
    }
    let reply = rt.block_on(async {
        let dendrite = Dendrite::new(pair);
        let target = AxonTarget::new(args.axon, hotkey);
        dendrite.call_json(&target, &args.synapse, body, &args.hash_fields, timeout).await
    });
    match reply.body {
        Some(body) if reply.status_code == 200 => {
            writeln!(out, "{}", serde_json::to_string_pretty(&body)?)?;
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            let doc = json!({
                "status_code": reply.status_code,
                "status_message": reply.status_message,
                "process_time": reply.process_time,
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
            Ok(ExitCode::from(1))
        }
    }
}

fn runtime_with(threads: Option<usize>) -> anyhow::Result<tokio::runtime::Runtime> {
    let mut builder = match threads {
        None => return runtime(),
        Some(0) => bail!("--threads must be at least 1"),
        Some(1) => tokio::runtime::Builder::new_current_thread(),
        Some(n) => {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(n);
            b
        }
    };
    builder.enable_all().build().context("starting the async runtime")
}
