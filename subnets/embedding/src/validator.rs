//! The reference validator: builds tasks it knows the answer to, queries every serving miner,
//! scores them, keeps a moving average and sets weights on chain once per tempo.
//!
//! One [`Validator::round`]:
//!
//! 1. reads the subnet's metagraph; without a validator permit it waits (weights it set would
//!    not count, and miners refuse callers without one);
//! 2. builds a [`Task`] from the corpus with its seeded generator ([`crate::task`]);
//! 3. sends the task's texts as a [`TextEmbedding`] to every uid with an axon (itself aside),
//!    all at once, with [`ValidatorConfig::timeout`];
//! 4. scores each answer ([`crate::scoring::score`]: top-1 recall, contrastive loss, latency;
//!    0 with a reason for a missing, late or malformed answer), divides by the round's best
//!    score and folds it into that uid's [`Ema`];
//! 5. logs a table of the scores.
//!
//! [`Validator::maybe_set_weights`] then turns the averages into `u16` weights when a new
//! epoch has run since it last did (and the chain's weights rate limit allows): `set_weights`
//! directly, or, when the subnet has commit-reveal on, `commit_weights` with a random salt
//! and `reveal_weights` of earlier commits as soon as the chain accepts them.
//!
//! A uid whose hotkey changes (deregistered and taken by someone else) starts from a fresh
//! average.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rustensor_primitives::NetUid;
use rustensor_primitives::crypto::sr25519::Pair as Keypair;
use rustensor_runtime_types::pallets::{RuntimeCall, subtensor};
use rustensor_sdk::chain::{ChainClient, ChainError, Metagraph, TxOptions, WaitFor};
use rustensor_sdk::dendrite::{AxonTarget, Dendrite};
use serde::Serialize;

use crate::embedder::EMBEDDING_DIM;
use crate::scoring::{self, Ema, Score};
use crate::synapse::TextEmbedding;
use crate::task::{self, Corpus, CorpusError, Task, TaskConfig};

/// What a validator does and how often.
#[derive(Clone, Debug)]
pub struct ValidatorConfig {
    /// The subnet.
    pub netuid: NetUid,
    /// Time a miner has to answer one task.
    pub timeout: Duration,
    /// Size of each task.
    pub task: TaskConfig,
    /// Weight of the newest score in the moving average, in (0, 1].
    pub ema_alpha: f64,
    /// Pause between the end of one round and the start of the next.
    pub round_interval: Duration,
    /// How often the chain is polled to set, commit or reveal weights, independently of
    /// rounds: a reveal must land inside its one-epoch window even when a round (bounded by
    /// `timeout`) lasts longer than that window, as on a fast dev chain.
    pub weights_interval: Duration,
    /// Seed of the task generator; `None` draws one from the OS.
    pub seed: Option<u64>,
    /// Where the tasks come from.
    pub corpus: Corpus,
}

impl ValidatorConfig {
    /// Defaults for `netuid`: 12 s timeout, 16 pairs and 8 distractors per task, EMA weight
    /// 0.3, 5 s between rounds, weights checked every 2 s, the shipped corpus.
    pub fn new(netuid: NetUid) -> Self {
        Self {
            netuid,
            timeout: Duration::from_secs(12),
            task: TaskConfig::default(),
            ema_alpha: 0.3,
            round_interval: Duration::from_secs(5),
            weights_interval: Duration::from_secs(2),
            seed: None,
            corpus: Corpus::builtin(),
        }
    }
}

/// What went wrong in a round.
#[derive(Debug, thiserror::Error)]
pub enum ValidatorError {
    /// Talking to the chain failed.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// The validator's hotkey has no uid on the subnet.
    #[error(
        "hotkey {hotkey} is not registered on subnet {netuid}: register it first (`rustensor register --netuid {netuid} --burn`)"
    )]
    NotRegistered {
        /// The hotkey (SS58).
        hotkey: String,
        /// The subnet.
        netuid: NetUid,
    },
    /// The corpus cannot make a task of the configured size.
    #[error(transparent)]
    Corpus(#[from] CorpusError),
}

/// One miner as this validator sees it.
#[derive(Clone, Debug, Serialize)]
pub struct MinerStatus {
    /// Its uid.
    pub uid: u16,
    /// Its hotkey (SS58).
    pub hotkey: String,
    /// Its latest score (before normalising by the round's best).
    pub last: Option<Score>,
    /// Its moving average of normalised scores.
    pub ema: Ema,
}

/// A validator's progress, for display.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ValidatorStatus {
    /// Its uid, once known.
    pub uid: Option<u16>,
    /// Whether it holds a validator permit.
    pub permit: bool,
    /// Rounds scored.
    pub rounds: u64,
    /// Miners by uid.
    pub miners: BTreeMap<u16, MinerStatus>,
    /// Times weights were set (or committed).
    pub weights_submitted: u64,
    /// Times committed weights were revealed.
    pub weights_revealed: u64,
    /// Block of the epoch after which weights were last submitted.
    pub weights_for_epoch_at: Option<u64>,
    /// The latest error, if the latest step failed.
    pub last_error: Option<String>,
}

/// The outcome of one [`Validator::round`].
#[derive(Clone, Debug, PartialEq)]
pub enum RoundOutcome {
    /// No permit yet: nothing was queried.
    NoPermit,
    /// No uid serves an axon yet.
    NoMiners,
    /// Miners were queried and scored: `(uid, score)` in uid order.
    Scored(Vec<(u16, Score)>),
}

/// A weights commit waiting to be revealed.
#[derive(Clone, Debug)]
struct PendingReveal {
    uids: Vec<u16>,
    values: Vec<u16>,
    salt: Vec<u16>,
    version_key: u64,
}

/// The embedding subnet's validator.
pub struct Validator {
    client: Arc<ChainClient>,
    hotkey: Keypair,
    dendrite: Dendrite,
    config: ValidatorConfig,
    rng: Mutex<StdRng>,
    status: Arc<Mutex<ValidatorStatus>>,
    reveals: Mutex<Vec<PendingReveal>>,
}

impl std::fmt::Debug for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validator")
            .field("hotkey", &self.hotkey.account_id().to_string())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Validator {
    /// A validator signing with `hotkey`, reading and writing the chain through `client`.
    pub fn new(client: Arc<ChainClient>, hotkey: Keypair, config: ValidatorConfig) -> Self {
        let seed = config.seed.unwrap_or_else(|| rand::thread_rng().r#gen());
        Self {
            client,
            dendrite: Dendrite::new(hotkey.clone()),
            hotkey,
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            config,
            status: Arc::new(Mutex::new(ValidatorStatus::default())),
            reveals: Mutex::new(Vec::new()),
        }
    }

    /// A shared handle on its progress.
    pub fn status_handle(&self) -> Arc<Mutex<ValidatorStatus>> {
        Arc::clone(&self.status)
    }

    /// A snapshot of its progress.
    pub fn status(&self) -> ValidatorStatus {
        lock(&self.status).clone()
    }

    /// Its configuration.
    pub fn config(&self) -> &ValidatorConfig {
        &self.config
    }

    fn own_uid(&self, mg: &Metagraph) -> Result<u16, ValidatorError> {
        let me = self.hotkey.account_id();
        mg.neuron_by_hotkey(&me).map(|n| n.uid).ok_or_else(|| ValidatorError::NotRegistered {
            hotkey: me.to_string(),
            netuid: self.config.netuid,
        })
    }

    /// One round: query every serving miner with a fresh task and score the answers.
    ///
    /// # Errors
    ///
    /// [`ValidatorError`] if the metagraph cannot be read, the hotkey is not registered, or
    /// the corpus is too small for the task size. Miners failing is no error: they score 0.
    pub async fn round(&self) -> Result<RoundOutcome, ValidatorError> {
        let mg = self.client.metagraph(self.config.netuid, None).await?;
        let own = self.own_uid(&mg)?;
        let permit = mg.neurons.get(usize::from(own)).is_some_and(|n| n.validator_permit);
        {
            let mut st = lock(&self.status);
            st.uid = Some(own);
            st.permit = permit;
        }
        if !permit {
            return Ok(RoundOutcome::NoPermit);
        }
        let miners: Vec<(u16, String, AxonTarget)> = mg
            .neurons
            .iter()
            .filter(|n| n.uid != own)
            .filter_map(|n| {
                let addr = n.axon.as_ref().and_then(|a| axon_addr_of(*a))?;
                Some((n.uid, n.hotkey.to_string(), AxonTarget::new(addr, n.hotkey)))
            })
            .collect();
        if miners.is_empty() {
            return Ok(RoundOutcome::NoMiners);
        }
        let task: Task = {
            let mut rng = lock(&self.rng);
            task::build_task(&self.config.corpus, self.config.task, &mut *rng)?
        };
        let mut request = TextEmbedding::new(task.texts.iter().cloned());
        request.base.timeout = self.config.timeout.as_secs_f64();
        let targets: Vec<AxonTarget> = miners.iter().map(|(_, _, t)| t.clone()).collect();
        let started = Instant::now();
        let responses = self.dendrite.query(&targets, &request, self.config.timeout).await;
        let wall = started.elapsed();
        let scores: Vec<(u16, Score)> = miners
            .iter()
            .zip(&responses)
            .map(|((uid, _, _), r)| {
                let score = match (&r.synapse.embeddings, r.is_success()) {
                    (Some(e), true) => scoring::score(
                        &task,
                        e,
                        EMBEDDING_DIM,
                        r.elapsed.min(wall),
                        self.config.timeout,
                    ),
                    _ => Score::rejected(
                        format!("{} {}", r.status_code, r.status_message),
                        r.elapsed,
                    ),
                };
                (*uid, score)
            })
            .collect();
        let best = scores.iter().map(|(_, s)| s.score).fold(0.0_f64, f64::max);
        {
            let mut st = lock(&self.status);
            st.rounds += 1;
            for ((uid, hotkey, _), (_, score)) in miners.iter().zip(&scores) {
                let entry = st.miners.entry(*uid).or_insert_with(|| MinerStatus {
                    uid: *uid,
                    hotkey: hotkey.clone(),
                    last: None,
                    ema: Ema::new(),
                });
                if entry.hotkey != *hotkey {
                    *entry = MinerStatus {
                        uid: *uid,
                        hotkey: hotkey.clone(),
                        last: None,
                        ema: Ema::new(),
                    };
                }
                let normalised = if best > 0.0 { score.score / best } else { 0.0 };
                entry.ema.update(normalised, self.config.ema_alpha);
                entry.last = Some(score.clone());
            }
            // Uids that no longer serve are forgotten.
            let serving: Vec<u16> = miners.iter().map(|(u, _, _)| *u).collect();
            st.miners.retain(|uid, _| serving.contains(uid));
            st.last_error = None;
        }
        self.log_table(&scores);
        Ok(RoundOutcome::Scored(scores))
    }

    fn log_table(&self, scores: &[(u16, Score)]) {
        let st = lock(&self.status);
        let me = st.uid.map_or_else(|| "?".to_owned(), |u| u.to_string());
        let mut table = format!(
            "validator uid {me} round {}: uid  score  top1   loss   secs   ema\n",
            st.rounds
        );
        for (uid, s) in scores {
            let ema = st.miners.get(uid).map_or(0.0, |m| m.ema.value);
            let why = s.rejected.as_deref().map(|r| format!("  ({r})")).unwrap_or_default();
            table.push_str(&format!(
                "  {uid:>4}  {:.3}  {:.3}  {:6.3}  {:5.2}  {ema:.3}{why}\n",
                s.score, s.top1, s.loss, s.latency_s
            ));
        }
        tracing::info!(target: "rustensor::embedding::validator", "{}", table.trim_end());
    }

    /// Sets (or commits) weights from the moving averages if an epoch has run since the last
    /// time and the chain's rate limit allows; reveals earlier commits that are due. Returns
    /// whether weights were submitted.
    ///
    /// # Errors
    ///
    /// [`ValidatorError::Chain`] when the chain refuses for a reason other than "too early".
    pub async fn maybe_set_weights(&self) -> Result<bool, ValidatorError> {
        let mg = self.client.metagraph(self.config.netuid, None).await?;
        let own = self.own_uid(&mg)?;
        let Some(me) = mg.neurons.get(usize::from(own)) else { return Ok(false) };
        if !me.validator_permit {
            return Ok(false);
        }
        let commit_reveal = mg.raw.commit_reveal_weights_enabled;
        if commit_reveal {
            self.reveal_due().await?;
        }
        let last_epoch = mg.raw.last_step.0;
        let rate_limit = mg.raw.weights_rate_limit.0;
        let already = lock(&self.status).weights_for_epoch_at == Some(last_epoch);
        if already || mg.block.saturating_sub(me.last_update) < rate_limit {
            return Ok(false);
        }
        let scores: Vec<(u16, f64)> =
            lock(&self.status).miners.values().map(|m| (m.uid, m.ema.value)).collect();
        let Some((uids, values)) = scoring::to_weights(&scores) else { return Ok(false) };
        let netuid = self.config.netuid;
        let version_key = mg.raw.weights_version.0;
        let call = if commit_reveal {
            let salt: Vec<u16> = {
                let mut rng = lock(&self.rng);
                (0..8).map(|_| rng.r#gen()).collect()
            };
            let commit_hash = subtensor::weights::commit_hash(
                &self.hotkey.account_id(),
                netuid.0,
                &uids,
                &values,
                &salt,
                version_key,
            );
            lock(&self.reveals).push(PendingReveal {
                uids: uids.clone(),
                values: values.clone(),
                salt,
                version_key,
            });
            RuntimeCall::Subtensor(subtensor::Call::CommitWeights { netuid, commit_hash })
        } else {
            RuntimeCall::Subtensor(subtensor::Call::SetWeights {
                netuid,
                dests: uids.clone(),
                weights: values.clone(),
                version_key,
            })
        };
        let options = TxOptions { wait: WaitFor::InBlock, ..TxOptions::default() };
        match self.client.submit(&self.hotkey, call, options).await {
            Ok(_) => {
                let mut st = lock(&self.status);
                st.weights_submitted += 1;
                st.weights_for_epoch_at = Some(last_epoch);
                let what = if commit_reveal { "committed" } else { "set" };
                tracing::info!(
                    target: "rustensor::embedding::validator",
                    "validator uid {own} {what} weights at block {} on uids {uids:?}: {values:?}",
                    mg.block
                );
                Ok(true)
            }
            Err(ChainError::Failed { failure, .. })
                if failure.name == "SettingWeightsTooFast"
                    || failure.name == "CommittingWeightsTooFast" =>
            {
                if commit_reveal {
                    lock(&self.reveals).pop();
                }
                Ok(false)
            }
            Err(e) => {
                if commit_reveal {
                    lock(&self.reveals).pop();
                }
                Err(e.into())
            }
        }
    }

    /// Reveals pending commits, oldest first; stops at the first one that is too early.
    async fn reveal_due(&self) -> Result<(), ValidatorError> {
        loop {
            let Some(next) = lock(&self.reveals).first().cloned() else { return Ok(()) };
            let call = RuntimeCall::Subtensor(subtensor::Call::RevealWeights {
                netuid: self.config.netuid,
                uids: next.uids.clone(),
                values: next.values.clone(),
                salt: next.salt.clone(),
                version_key: next.version_key,
            });
            let options = TxOptions { wait: WaitFor::InBlock, ..TxOptions::default() };
            match self.client.submit(&self.hotkey, call, options).await {
                Ok(_) => {
                    lock(&self.reveals).remove(0);
                    lock(&self.status).weights_revealed += 1;
                    tracing::info!(
                        target: "rustensor::embedding::validator",
                        "revealed weights on uids {:?}", next.uids
                    );
                }
                Err(ChainError::Failed { failure, .. }) if failure.name == "RevealTooEarly" => {
                    return Ok(());
                }
                Err(ChainError::Failed { failure, .. }) => {
                    // Expired or unknown: this commit can never be revealed; drop it.
                    tracing::warn!(
                        target: "rustensor::embedding::validator",
                        "dropping a weights commit the chain will not take: {failure}"
                    );
                    lock(&self.reveals).remove(0);
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Runs rounds and, alongside them, weight setting and reveals until `stop` turns true
    /// (or its sender is dropped). Errors are logged and kept in the status; the loops go on.
    pub async fn run(&self, stop: tokio::sync::watch::Receiver<bool>) {
        let rounds = every(stop.clone(), self.config.round_interval, || async {
            match self.round().await {
                Ok(RoundOutcome::NoPermit) => tracing::info!(
                    target: "rustensor::embedding::validator",
                    "no validator permit yet (it comes with stake at the next epoch); waiting"
                ),
                Ok(_) => {}
                Err(e) => self.record_error(&e),
            }
        });
        let weights = every(stop, self.config.weights_interval, || async {
            if let Err(e) = self.maybe_set_weights().await {
                self.record_error(&e);
            }
        });
        tokio::join!(rounds, weights);
    }

    fn record_error(&self, e: &ValidatorError) {
        tracing::warn!(target: "rustensor::embedding::validator", "{e}");
        lock(&self.status).last_error = Some(e.to_string());
    }
}

/// Runs `step`, pauses `pause`, and again, until `stop` turns true or its sender is dropped
/// (a step in progress is abandoned then).
async fn every<F, Fut>(mut stop: tokio::sync::watch::Receiver<bool>, pause: Duration, mut step: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    loop {
        if *stop.borrow() {
            return;
        }
        tokio::select! {
            () = step() => {}
            _ = stop.changed() => return,
        }
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            _ = stop.changed() => return,
        }
    }
}

/// The socket address of a metagraph axon entry.
fn axon_addr_of(addr: std::net::SocketAddr) -> Option<std::net::SocketAddr> {
    (addr.port() != 0 && !addr.ip().is_unspecified()).then_some(addr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_unserved_axons_are_skipped() {
        assert_eq!(axon_addr_of("0.0.0.0:0".parse().expect("addr")), None);
        let a = "127.0.0.2:8091".parse().expect("addr");
        assert_eq!(axon_addr_of(a), Some(a));
    }

    #[test]
    fn test_default_config_makes_tasks_from_the_builtin_corpus() {
        let c = ValidatorConfig::new(NetUid(1));
        assert!(c.corpus.len() >= c.task.corpus_pairs_needed());
        assert!(c.ema_alpha > 0.0 && c.ema_alpha <= 1.0);
    }
}
