//! The epoch watch: poll the metagraph, and at every epoch print the table; count epochs
//! once every validator has set (or revealed) weights.

use std::collections::BTreeMap;
use std::io::{IsTerminal as _, Write as _};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustensor_embedding::validator::ValidatorStatus;
use rustensor_runtime_types::pallets::subtensor::storage::SubnetOwnerCut;
use rustensor_sdk::chain::ChainClient;

use crate::Progress;
use crate::report::{LastState, Report, heights_line, print_table};

/// When the watch stops.
#[derive(Clone, Copy, Debug)]
pub struct WatchSettings {
    /// Epochs to count once every validator has weights in place.
    pub epochs: u64,
    /// Run until Ctrl-C instead.
    pub forever: bool,
    /// Weights count once revealed (commit-reveal) rather than once submitted.
    pub commit_reveal: bool,
}

/// Each miner uid's mean moving-average score over the validators that scored it.
pub fn mean_scores(statuses: &[Arc<Mutex<ValidatorStatus>>]) -> BTreeMap<u16, f64> {
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

/// Every chain node's finalized height, in node order (`None` for a node that does not answer).
pub async fn chain_heights(clients: &[ChainClient]) -> Vec<Option<u64>> {
    let mut heights = Vec::with_capacity(clients.len());
    for c in clients {
        heights.push(c.finalized_block().await.ok().map(|b| b.number));
    }
    heights
}

/// The subnet owner's cut (the chain's default, 11 796, if it cannot be read).
pub async fn owner_cut(client: &ChainClient) -> u16 {
    client.read::<SubnetOwnerCut>(&(), None).await.unwrap_or(11_796)
}

/// Watches epochs of `report.netuid` until `settings` says stop or Ctrl-C, printing a table
/// on stderr at every epoch (and a live line on a terminal). `node_clients` are the chain
/// nodes for the heights line (empty with one node). Returns the last epoch's state, `None`
/// if no epoch passed.
pub async fn watch_epochs(
    client: &ChainClient,
    node_clients: &[ChainClient],
    report: &Report,
    statuses: &[Arc<Mutex<ValidatorStatus>>],
    settings: WatchSettings,
    progress: &Progress,
) -> (Option<LastState>, u64) {
    let netuid = report.netuid;
    let owner_cut = owner_cut(client).await;
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
        let scores = mean_scores(statuses);
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
        let all_set = every_validator_has_weights(statuses, settings.commit_reveal);
        if all_set {
            counted += 1;
        }
        if terminal {
            eprintln!();
        }
        let epoch_blocks = step.saturating_sub(previous);
        let heights = chain_heights(node_clients).await;
        let state =
            LastState { metagraph: mg, scores, epochs: counted, owner_cut, epoch_blocks, heights };
        let title = if all_set {
            format!(
                "epoch {counted}/{} at block {}",
                if settings.forever { "∞".to_owned() } else { settings.epochs.to_string() },
                step
            )
        } else {
            format!("epoch at block {step} (waiting for every validator's first weights)")
        };
        print_epoch(report, &state, &title, statuses);
        last = Some(state);
        if !settings.forever && counted >= settings.epochs {
            break;
        }
    }
    (last, counted)
}

fn every_validator_has_weights(statuses: &[Arc<Mutex<ValidatorStatus>>], revealed: bool) -> bool {
    statuses.iter().all(|s| {
        s.lock()
            .is_ok_and(|s| if revealed { s.weights_revealed > 0 } else { s.weights_submitted > 0 })
    })
}

/// The epoch's table on stderr, the chain heights and each validator's last error.
fn print_epoch(
    report: &Report,
    state: &LastState,
    title: &str,
    statuses: &[Arc<Mutex<ValidatorStatus>>],
) {
    let mut err = std::io::stderr().lock();
    let _ = print_table(&mut err, report, state, Some(title));
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
}
