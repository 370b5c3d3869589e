//! `rustensor register`: a hotkey onto a subnet, by burning TAO or by proof of work (the
//! SDK's [`register_pow`](rustensor_sdk::chain::register_pow)).

use std::io::{IsTerminal as _, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::bail;
use clap::Args;
use rustensor_primitives::NetUid;
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_runtime::pallets::{RuntimeCall, subtensor};
use rustensor_sdk::chain::{ChainClient, POW_ATTEMPTS, PowEvent, PowProgress, PowRegisterError};
use serde_json::json;

use super::args::{KeyArgs, NetworkArgs, confirm, connect};
use super::output::{print_receipt, submit};

/// Arguments of `rustensor register`.
#[derive(Debug, Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    net: NetworkArgs,
    #[command(flatten)]
    keys: KeyArgs,
    /// The subnet to register on.
    #[arg(long, value_name = "NETUID")]
    pub netuid: u16,
    /// Register by burning TAO (the default).
    #[arg(long, conflicts_with = "pow")]
    pub burn: bool,
    /// Register by proof of work, solved on every core (the subnet must allow PoW).
    #[arg(long)]
    pub pow: bool,
    /// Threads for --pow [default: all cores].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

/// `rustensor register`: burned (default) or proof-of-work registration of the hotkey.
pub fn register(args: &RegisterArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let netuid = NetUid(args.netuid);
    let (rt, client) = connect(&args.net)?;
    let hotkey_pair = args.keys.hotkey()?;
    let hotkey = hotkey_pair.account_id();
    if let Some(uid) = rt.block_on(client.uid_of(netuid, &hotkey, None))? {
        bail!("hotkey {hotkey} is already registered on subnet {netuid} as uid {uid}");
    }
    if args.pow {
        return register_pow(args, &rt, &client, &hotkey_pair, out);
    }
    let cost = rt.block_on(client.burn_cost(netuid, None))?;
    let signer = args.keys.coldkey()?;
    confirm(&args.net, &format!("Register hotkey {hotkey} on subnet {netuid}, burning {cost}"))?;
    let call = RuntimeCall::Subtensor(subtensor::Call::BurnedRegister { netuid, hotkey });
    let receipt = submit(&rt, &client, &signer, call)?;
    let uid = rt.block_on(client.uid_of(netuid, &hotkey, None))?;
    print_receipt(
        out,
        &args.net,
        &format!(
            "registered {hotkey} on subnet {netuid} as uid {}",
            uid.map_or("?".into(), |u| u.to_string())
        ),
        &receipt,
        json!({"netuid": args.netuid, "hotkey": hotkey.to_string(), "uid": uid, "burn_rao": cost.rao(), "method": "burn"}),
    )
}

/// `rustensor register --pow`: the SDK's [`register_pow`], with hashes and rate shown on a
/// terminal.
fn register_pow(
    args: &RegisterArgs,
    rt: &tokio::runtime::Runtime,
    client: &ChainClient,
    hotkey: &Pair,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let netuid = NetUid(args.netuid);
    let coldkey = args.keys.coldkey_address()?;
    let threads =
        args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let tty = std::io::stderr().is_terminal();
    let mut reporter: Option<Reporter> = None;
    let on_event = |event: PowEvent<'_>| match event {
        PowEvent::Solving { difficulty, progress, .. } => {
            reporter = tty.then(|| Reporter::start(difficulty, threads, progress.clone()));
        }
        PowEvent::Solved { .. } => {
            if let Some(r) = reporter.take() {
                r.stop();
            }
        }
        PowEvent::TooLate { attempt } => {
            if tty {
                eprintln!(
                    "work block too old by the time it was included; solving again ({attempt}/{POW_ATTEMPTS})"
                );
            }
        }
    };
    let registration = match rt.block_on(rustensor_sdk::chain::register_pow(
        client, hotkey, coldkey, netuid, threads, on_event,
    )) {
        Ok(r) => r,
        Err(PowRegisterError::NotAllowed { .. }) => {
            bail!("subnet {netuid} does not allow proof-of-work registration: register with --burn")
        }
        Err(e @ PowRegisterError::TooLate { .. }) => bail!("{e}; try --burn"),
        Err(e) => return Err(e.into()),
    };
    let uid = rt.block_on(client.uid_of(netuid, &hotkey.account_id(), None))?;
    print_receipt(
        out,
        &args.net,
        &format!("registered {} on subnet {netuid} by proof of work", hotkey.account_id()),
        &registration.receipt,
        json!({"netuid": args.netuid, "hotkey": hotkey.account_id().to_string(), "uid": uid,
               "method": "pow", "nonce": registration.nonce, "difficulty": registration.difficulty,
               "attempts": registration.attempts}),
    )
}

/// Shows a running search's hashes and rate on stderr until stopped.
struct Reporter {
    done: Arc<AtomicBool>,
    handle: std::thread::JoinHandle<()>,
}

impl Reporter {
    fn start(difficulty: u64, threads: usize, progress: PowProgress) -> Self {
        let done = Arc::new(AtomicBool::new(false));
        let handle = {
            let done = done.clone();
            std::thread::spawn(move || {
                #[allow(clippy::disallowed_methods, reason = "progress display only")]
                let began = std::time::Instant::now();
                while !done.load(Ordering::Relaxed) {
                    std::thread::sleep(std::time::Duration::from_millis(200));
                    let secs = began.elapsed().as_secs_f64().max(0.001);
                    #[allow(clippy::cast_precision_loss, reason = "display only")]
                    let rate = progress.hashes() as f64 / secs;
                    eprint!(
                        "\r\x1b[2K⠿ proof of work (difficulty {difficulty}, {threads} threads): {} hashes, {rate:.0}/s",
                        progress.hashes()
                    );
                }
                eprint!("\r\x1b[2K");
            })
        };
        Self { done, handle }
    }

    fn stop(self) {
        self.done.store(true, Ordering::Relaxed);
        let _ = self.handle.join();
    }
}
