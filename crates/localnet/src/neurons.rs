//! The subnet's neurons, in this process: miners serving the model on their own axons
//! (announced on chain), and validators scoring them and setting weights.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use rustensor_embedding::embedder::Embedder;
use rustensor_embedding::miner::{AnswerCache, Behaviour, Miner, ValidatorView};
use rustensor_embedding::task::{Corpus, TaskConfig};
use rustensor_embedding::validator::{Validator, ValidatorConfig, ValidatorStatus};
use rustensor_primitives::NetUid;
use rustensor_sdk::axon::{Axon, AxonConfig, AxonHandle};
use rustensor_sdk::chain::{ChainClient, serve_axon_call};
use tokio::sync::watch;

use crate::bootstrap::{Member, Role, submit};

/// Starts an axon for every miner of `members` on `ip` (a free port each) and announces it on
/// chain. The first honest miner's answers are cached for the copy miners to replay; every
/// miner answers only the validators in `view`.
///
/// # Errors
///
/// An axon cannot listen, or an announcement fails.
pub async fn start_miners(
    client: &ChainClient,
    netuid: NetUid,
    members: &[Member],
    embedder: Arc<Embedder>,
    ip: Ipv4Addr,
    view: &ValidatorView,
) -> anyhow::Result<Vec<AxonHandle>> {
    let cache = AnswerCache::new();
    let mut axons = Vec::new();
    let mut first_honest = true;
    for m in members.iter().filter(|m| m.role == Role::Miner) {
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
        let handle = axon.serve(SocketAddr::from((ip, 0))).await.with_context(|| {
            format!("cannot listen on {ip}: on Linux every 127.x.y.z address is loopback")
        })?;
        let port = handle.local_addr().port();
        let call = serve_axon_call(netuid, SocketAddr::from((ip, port)), 1)?;
        submit(client, &m.hotkey, call, "announcing an axon").await?;
        axons.push(handle);
    }
    Ok(axons)
}

/// Keeps the miners' `view` of the validators up to date from the metagraph (every second)
/// until `stop` turns true.
pub fn keep_view_updated(
    client: &Arc<ChainClient>,
    netuid: NetUid,
    view: &ValidatorView,
    stop: watch::Receiver<bool>,
) {
    let (client, view) = (Arc::clone(client), view.clone());
    tokio::spawn(async move {
        view.keep_updated(&client, netuid, Duration::from_secs(1), stop).await;
    });
}

/// How the validators query and score.
#[derive(Clone, Debug)]
pub struct ValidatorSettings {
    /// Seconds a miner has to answer.
    pub timeout: Duration,
    /// The shape of each task.
    pub task: TaskConfig,
    /// The texts tasks are drawn from.
    pub corpus: Corpus,
    /// Validator `i` seeds its task generator with `seed + i`.
    pub seed: u64,
}

/// Running validators: their status (scores, rounds, weights) and tasks.
#[derive(Debug)]
pub struct Validators {
    /// Each validator's status, in member order.
    pub statuses: Vec<Arc<Mutex<ValidatorStatus>>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Validators {
    /// Waits up to 30 s for each validator to stop (after `stop` was sent).
    pub async fn join(self) {
        for t in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(30), t).await;
        }
    }
}

/// Starts every validator of `members`, each running until `stop` turns true.
pub fn start_validators(
    client: &Arc<ChainClient>,
    netuid: NetUid,
    members: &[Member],
    settings: &ValidatorSettings,
    stop: &watch::Receiver<bool>,
) -> Validators {
    let mut statuses = Vec::new();
    let mut tasks = Vec::new();
    for (i, m) in members.iter().filter(|m| m.role == Role::Validator).enumerate() {
        let mut config = ValidatorConfig::new(netuid);
        config.timeout = settings.timeout;
        config.task = settings.task;
        config.corpus = settings.corpus.clone();
        config.round_interval = Duration::from_millis(500);
        config.weights_interval = Duration::from_millis(250);
        config.seed = Some(settings.seed.wrapping_add(i as u64));
        let v = Validator::new(Arc::clone(client), m.hotkey.clone(), config);
        statuses.push(v.status_handle());
        let stop = stop.clone();
        tasks.push(tokio::spawn(async move { v.run(stop).await }));
    }
    Validators { statuses, tasks }
}
