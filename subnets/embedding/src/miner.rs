//! The reference miner: answers [`TextEmbedding`] requests with all-MiniLM-L6-v2 vectors.
//!
//! A request is checked before any model work, so a hostile or careless validator cannot make
//! the miner spend unbounded memory or time:
//!
//! * at least one text and at most [`Limits::max_texts`] ([`MAX_TEXTS`] by default);
//! * at most [`Limits::max_total_bytes`] of text in all ([`MAX_TOTAL_TEXT_BYTES`]);
//! * each text is then cut to [`MAX_TEXT_BYTES`] and [`MAX_SEQ_TOKENS`] tokens by the
//!   [`Embedder`], as sentence-transformers truncates, so one long text costs no more than a
//!   256-token one;
//! * [`Limits::max_concurrent`] requests run the model at once (default 1: the model already
//!   uses every core, and each running request holds its activations); the others wait.
//!
//! The axon in front (rustensor-sdk) bounds the body size (8 MiB by default) and the time, and
//! rejects bodies that are not UTF-8 JSON; [`decode_request`] gives the same checks with typed
//! errors for callers that hold raw bytes.
//!
//! The model runs on a blocking thread ([`tokio::task::spawn_blocking`]) so that it never
//! stalls the axon's async workers.
//!
//! **Who is served.** A miner built [`Miner::with_validators`] holds a [`ValidatorView`], the subnet's
//! validators as the metagraph last showed them. A caller whose hotkey is not a registered
//! validator with a permit is refused with 403 before its signature is even checked (the
//! SDK's blacklist order), and waiting requests take the model in order of their caller's
//! stake, largest first ([`PriorityGate`]).
//!
//! **Behaviours** ([`Behaviour`]) exist for demonstrations and tests of the validator:
//! `honest` runs the model; `random` answers random unit vectors; `copy` replays an answer
//! cached from another miner ([`AnswerCache`]); `slow` answers honestly but only after the
//! request's timeout has passed.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use rand::Rng;
use rustensor_primitives::NetUid;
use rustensor_sdk::axon::{Axon, Hooks};
use rustensor_sdk::chain::{ChainClient, Metagraph};
use rustensor_sdk::synapse::SynapseBase;
use tokio::sync::oneshot;

use crate::embedder::{self, Embedder};
#[cfg(doc)]
use crate::embedder::{MAX_SEQ_TOKENS, MAX_TEXT_BYTES};
use crate::synapse::TextEmbedding;

/// Most texts one request may carry: 2 × 64 (query, passage) pairs, the largest round
/// reference/ml.md §3.A plans, twice over. About 6 CPU-s of work at 60 tokens per text.
pub const MAX_TEXTS: usize = 256;

/// Most bytes of text, summed over all texts, in one request.
pub const MAX_TOTAL_TEXT_BYTES: usize = 4 << 20;

/// A request the miner refuses, with what the sender should do instead.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// `texts` is empty.
    #[error("the request has no texts: send at least one")]
    NoTexts,
    /// More texts than the limit.
    #[error(
        "the request has {count} texts, more than the limit of {max}: split it into requests of at most {max}"
    )]
    TooManyTexts {
        /// Texts in the request.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// More bytes of text than the limit.
    #[error(
        "the request's texts hold {bytes} bytes, more than the limit of {max}: send shorter texts or fewer of them"
    )]
    TooManyBytes {
        /// Bytes of text in the request.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// The body is not UTF-8.
    #[error(
        "the request body is not valid UTF-8 (first bad byte at offset {offset}): texts must be UTF-8 JSON strings"
    )]
    NotUtf8 {
        /// Offset of the first byte that is not part of a valid UTF-8 sequence.
        offset: usize,
    },
    /// The body is UTF-8 but not a `TextEmbedding` synapse.
    #[error("the request body is not a TextEmbedding synapse")]
    Json(#[source] serde_json::Error),
}

/// Why the miner could not answer.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request was refused.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// The model failed.
    #[error(transparent)]
    Model(#[from] embedder::Error),
    /// The blocking task running the model did not finish (it panicked or the runtime is
    /// shutting down).
    #[error("the embedding task did not complete")]
    Task(#[source] tokio::task::JoinError),
}

/// The miner's request limits; [`Limits::default`] gives the constants of this module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most texts per request.
    pub max_texts: usize,
    /// Most bytes of text per request, summed over texts.
    pub max_total_bytes: usize,
    /// Requests that may run the model at the same time (at least 1).
    pub max_concurrent: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_texts: MAX_TEXTS, max_total_bytes: MAX_TOTAL_TEXT_BYTES, max_concurrent: 1 }
    }
}

impl Limits {
    /// Checks `texts` against these limits.
    ///
    /// # Errors
    ///
    /// [`RequestError::NoTexts`], [`RequestError::TooManyTexts`] or
    /// [`RequestError::TooManyBytes`]. The count is checked before any text is looked at.
    pub fn check(&self, texts: &[String]) -> Result<(), RequestError> {
        if texts.is_empty() {
            return Err(RequestError::NoTexts);
        }
        if texts.len() > self.max_texts {
            return Err(RequestError::TooManyTexts { count: texts.len(), max: self.max_texts });
        }
        let bytes = texts.iter().fold(0usize, |sum, t| sum.saturating_add(t.len()));
        if bytes > self.max_total_bytes {
            return Err(RequestError::TooManyBytes { bytes, max: self.max_total_bytes });
        }
        Ok(())
    }
}

/// Parses a raw request body as a [`TextEmbedding`] synapse.
///
/// # Errors
///
/// [`RequestError::NotUtf8`] for bytes that are not UTF-8 (checked first, so the offset points
/// at the culprit), [`RequestError::Json`] for anything else that is not the synapse's JSON.
/// JSON escapes that do not make a Unicode scalar value (a lone `\udc80`) are refused as JSON.
pub fn decode_request(body: &[u8]) -> Result<TextEmbedding, RequestError> {
    let text =
        std::str::from_utf8(body).map_err(|e| RequestError::NotUtf8 { offset: e.valid_up_to() })?;
    serde_json::from_str(text).map_err(RequestError::Json)
}

/// How a miner answers; everything but `honest` exists to show and test the validator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Behaviour {
    /// Runs the model.
    #[default]
    Honest,
    /// Answers random unit vectors of the right shape.
    Random,
    /// Replays the latest answer in its [`AnswerCache`], made by another miner for other texts.
    Copy,
    /// Sleeps until the request's timeout has passed, then runs the model.
    Slow,
}

impl Behaviour {
    /// Every behaviour, in the order the CLI lists them.
    pub const ALL: [Self; 4] = [Self::Honest, Self::Random, Self::Copy, Self::Slow];

    /// Its lower-case name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Honest => "honest",
            Self::Random => "random",
            Self::Copy => "copy",
            Self::Slow => "slow",
        }
    }
}

impl std::fmt::Display for Behaviour {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Behaviour {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|b| b.name() == s).ok_or_else(|| {
            format!("unknown behaviour {s:?}: use one of honest, random, copy, slow")
        })
    }
}

/// The latest answer one miner gave, shared with a `copy` miner: `(texts, embeddings)`.
///
/// An honest miner that holds a cache publishes each answer to it; a `copy` miner answers
/// every request from it: the cached vector of the same text where there is one, otherwise
/// the cached vector at the same position. Fresh texts every round make such answers worthless,
/// which is what the validator's design intends to show.
#[derive(Clone, Debug, Default)]
pub struct AnswerCache(Arc<Mutex<Option<CachedAnswer>>>);

/// Texts and the vectors given for them.
type CachedAnswer = (Vec<String>, Vec<Vec<f32>>);

impl AnswerCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    fn publish(&self, texts: &[String], embeddings: &[Vec<f32>]) {
        let mut slot = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *slot = Some((texts.to_vec(), embeddings.to_vec()));
    }

    /// What a copier answers for `texts`, or `None` while the cache is empty.
    pub fn replay(&self, texts: &[String]) -> Option<Vec<Vec<f32>>> {
        let slot = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (cached_texts, cached) = slot.as_ref()?;
        if cached.is_empty() {
            return None;
        }
        Some(
            texts
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let at = cached_texts.iter().position(|c| c == t).unwrap_or(i % cached.len());
                    cached[at].clone()
                })
                .collect(),
        )
    }
}

/// The subnet's validators as a miner last read them from the metagraph: hotkey (SS58) to
/// stake in RAO. Shared between the miner's request path and whatever refreshes it.
#[derive(Clone, Debug, Default)]
pub struct ValidatorView(Arc<RwLock<BTreeMap<String, u64>>>);

impl ValidatorView {
    /// An empty view: everyone is refused until [`ValidatorView::replace`] fills it.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the validator set.
    pub fn replace(&self, validators: BTreeMap<String, u64>) {
        *self.0.write().unwrap_or_else(std::sync::PoisonError::into_inner) = validators;
    }

    /// The stake of `hotkey` if it is a validator.
    pub fn stake_of(&self, hotkey: &str) -> Option<u64> {
        self.0.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(hotkey).copied()
    }

    /// Number of validators in the view.
    pub fn len(&self) -> usize {
        self.0.read().unwrap_or_else(std::sync::PoisonError::into_inner).len()
    }

    /// Whether the view is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The blacklist rule: `Err(reason)` unless the caller is a known validator.
    ///
    /// # Errors
    ///
    /// A reason naming the caller, for the 403's message.
    pub fn check(&self, base: &SynapseBase) -> Result<u64, String> {
        let hotkey = base.dendrite.hotkey.as_deref().unwrap_or("");
        self.stake_of(hotkey).ok_or_else(|| {
            format!("hotkey {hotkey} is not a registered validator with a permit on this subnet")
        })
    }
}

impl ValidatorView {
    /// Replaces the view with the validators (neurons holding a permit) of `netuid` in
    /// `metagraph`, with their total stake.
    pub fn update_from(&self, metagraph: &Metagraph) {
        self.replace(
            metagraph
                .neurons
                .iter()
                .filter(|n| n.validator_permit)
                .map(|n| (n.hotkey.to_string(), n.total_stake))
                .collect(),
        );
    }

    /// Re-reads the subnet's metagraph every `every` until `stop` turns true (or its sender
    /// is dropped), keeping the view current as permits and stake change. A failed read keeps
    /// the previous view and is logged; the loop goes on.
    pub async fn keep_updated(
        &self,
        client: &ChainClient,
        netuid: NetUid,
        every: Duration,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        loop {
            if *stop.borrow() {
                return;
            }
            match client.metagraph(netuid, None).await {
                Ok(mg) => self.update_from(&mg),
                Err(e) => tracing::warn!(
                    target: "rustensor::embedding::miner",
                    "cannot refresh the validator list (keeping the last one): {e}"
                ),
            }
            tokio::select! {
                () = tokio::time::sleep(every) => {}
                _ = stop.changed() => return,
            }
        }
    }
}

/// Grants model slots to waiting requests in priority order (highest first, then first come).
#[derive(Debug)]
pub struct PriorityGate {
    state: Mutex<GateState>,
}

#[derive(Debug)]
struct GateState {
    free: usize,
    seq: u64,
    waiting: BinaryHeap<(u64, Reverse<u64>, WaiterSlot)>,
}

/// A waiting request's channel; ordered by nothing (the heap orders by priority and sequence).
#[derive(Debug)]
struct WaiterSlot(oneshot::Sender<()>);

impl PartialEq for WaiterSlot {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for WaiterSlot {}
impl PartialOrd for WaiterSlot {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for WaiterSlot {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

/// A held slot of a [`PriorityGate`]; dropping it hands the slot to the best waiter.
#[derive(Debug)]
pub struct GatePermit {
    gate: Arc<PriorityGate>,
}

impl Drop for GatePermit {
    fn drop(&mut self) {
        self.gate.release();
    }
}

impl PriorityGate {
    /// A gate with `slots` slots (at least 1).
    pub fn new(slots: usize) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(GateState { free: slots.max(1), seq: 0, waiting: BinaryHeap::new() }),
        })
    }

    /// Waits for a slot; among waiters the highest `priority` goes first.
    pub async fn acquire(self: &Arc<Self>, priority: u64) -> GatePermit {
        let rx = {
            let mut st = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if st.free > 0 {
                st.free -= 1;
                return GatePermit { gate: Arc::clone(self) };
            }
            let (tx, rx) = oneshot::channel();
            st.seq += 1;
            let seq = st.seq;
            st.waiting.push((priority, Reverse(seq), WaiterSlot(tx)));
            rx
        };
        // The sender is only dropped after a successful hand-over or never (release keeps
        // trying waiters), so an error here cannot happen; treat it as a grant all the same.
        let _ = rx.await;
        GatePermit { gate: Arc::clone(self) }
    }

    fn release(&self) {
        let mut st = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while let Some((_, _, WaiterSlot(tx))) = st.waiting.pop() {
            // A waiter that gave up (its request timed out) dropped its receiver: skip it.
            if tx.send(()).is_ok() {
                return;
            }
        }
        st.free += 1;
    }
}

/// A miner: an [`Embedder`] behind request limits, answering with a [`Behaviour`].
#[derive(Debug)]
pub struct Miner {
    embedder: Arc<Embedder>,
    limits: Limits,
    gate: Arc<PriorityGate>,
    behaviour: Behaviour,
    cache: Option<AnswerCache>,
    validators: Option<ValidatorView>,
}

impl Miner {
    /// An honest miner with the default [`Limits`].
    pub fn new(embedder: Embedder) -> Self {
        Self::with_limits(embedder, Limits::default())
    }

    /// An honest miner with the default [`Limits`] over a model shared with other miners
    /// (each miner still runs its own requests one at a time).
    pub fn from_shared(embedder: Arc<Embedder>) -> Self {
        let limits = Limits::default();
        let gate = PriorityGate::new(limits.max_concurrent);
        Self { embedder, limits, gate, behaviour: Behaviour::Honest, cache: None, validators: None }
    }

    /// An honest miner with `limits` (a `max_concurrent` of 0 is taken as 1).
    pub fn with_limits(embedder: Embedder, limits: Limits) -> Self {
        let gate = PriorityGate::new(limits.max_concurrent);
        Self {
            embedder: Arc::new(embedder),
            limits,
            gate,
            behaviour: Behaviour::Honest,
            cache: None,
            validators: None,
        }
    }

    /// Answers with `behaviour`; `cache` is where an honest miner publishes its answers and a
    /// copy miner reads them (a copy miner without one replays its own first answer).
    #[must_use]
    pub fn with_behaviour(mut self, behaviour: Behaviour, cache: Option<AnswerCache>) -> Self {
        self.behaviour = behaviour;
        self.cache = match (behaviour, cache) {
            (Behaviour::Copy, None) => Some(AnswerCache::new()),
            (_, cache) => cache,
        };
        self
    }

    /// Serves only the validators in `view`, in order of stake.
    #[must_use]
    pub fn with_validators(mut self, view: ValidatorView) -> Self {
        self.validators = Some(view);
        self
    }

    /// How it answers.
    pub fn behaviour(&self) -> Behaviour {
        self.behaviour
    }

    /// The limits this miner enforces.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The model.
    pub fn embedder(&self) -> &Embedder {
        &self.embedder
    }

    /// Checks `texts` and embeds them on the calling thread.
    ///
    /// # Errors
    ///
    /// [`Error::Request`] when the limits refuse the request, [`Error::Model`] if the model
    /// fails.
    pub fn embed_texts(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, Error> {
        self.limits.check(texts)?;
        Ok(self.embedder.embed(texts)?)
    }

    /// Answers `request`: checks it, waits for a model slot (callers with more stake first),
    /// embeds its texts on a blocking thread and returns it with `embeddings` filled in, as
    /// its [`Behaviour`] says.
    ///
    /// # Errors
    ///
    /// As [`Miner::embed_texts`], plus [`Error::Task`] if the blocking task does not complete.
    pub async fn forward(&self, mut request: TextEmbedding) -> Result<TextEmbedding, Error> {
        self.limits.check(&request.texts)?;
        let embeddings = match self.behaviour {
            Behaviour::Random => random_unit_vectors(request.texts.len(), self.embedder.dim()),
            Behaviour::Copy => {
                let own = AnswerCache::new();
                let cache = self.cache.as_ref().unwrap_or(&own);
                match cache.replay(&request.texts) {
                    Some(e) => e,
                    None => {
                        let e = self.run_model(&mut request).await?;
                        cache.publish(&request.texts, &e);
                        e
                    }
                }
            }
            Behaviour::Slow => {
                // Past the caller's timeout first: the axon cuts the call off there (the caller
                // sees 408) and the model never runs, so a slow miner costs no CPU.
                let secs = if request.base.timeout.is_finite() && request.base.timeout > 0.0 {
                    request.base.timeout.min(600.0)
                } else {
                    12.0
                };
                tokio::time::sleep(Duration::from_secs_f64(secs + 1.0)).await;
                self.run_model(&mut request).await?
            }
            Behaviour::Honest => {
                let e = self.run_model(&mut request).await?;
                if let Some(cache) = &self.cache {
                    cache.publish(&request.texts, &e);
                }
                e
            }
        };
        request.embeddings = Some(embeddings);
        Ok(request)
    }

    /// Runs the model over the request's texts once a slot is free.
    async fn run_model(&self, request: &mut TextEmbedding) -> Result<Vec<Vec<f32>>, Error> {
        let priority = request
            .base
            .dendrite
            .hotkey
            .as_deref()
            .and_then(|h| self.validators.as_ref()?.stake_of(h))
            .unwrap_or(0);
        // The permit moves into the blocking task: if the caller gives up (the axon's timeout
        // drops this future), the model keeps its slot until it has actually finished.
        let permit = self.gate.acquire(priority).await;
        let embedder = Arc::clone(&self.embedder);
        let texts = std::mem::take(&mut request.texts);
        let (texts, result) = tokio::task::spawn_blocking(move || {
            let result = embedder.embed(&texts);
            drop(permit);
            (texts, result)
        })
        .await
        .map_err(Error::Task)?;
        request.texts = texts;
        Ok(result?)
    }

    /// Serves [`TextEmbedding`] on `axon` with this miner, and with the blacklist of its
    /// [`ValidatorView`] if it has one.
    ///
    /// A refused request or a model failure answers 500, as the axon reports any forward
    /// error (the Python SDK does the same for an exception in a forward function).
    pub fn attach(self: Arc<Self>, axon: Axon) -> Axon {
        let hooks = match &self.validators {
            Some(view) => {
                let view = view.clone();
                Hooks::new().blacklist(move |base| view.check(base).map(|_| ()))
            }
            None => Hooks::new(),
        };
        axon.attach_with(
            move |request: TextEmbedding| {
                let miner = Arc::clone(&self);
                async move { miner.forward(request).await.map_err(|e| e.to_string()) }
            },
            hooks,
        )
    }
}

/// `n` random unit vectors of `dim` dimensions (fresh randomness every call).
pub fn random_unit_vectors(n: usize, dim: usize) -> Vec<Vec<f32>> {
    let mut rng = rand::thread_rng();
    (0..n)
        .map(|_| {
            let v: Vec<f32> = (0..dim).map(|_| rng.gen_range(-1.0f32..1.0)).collect();
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(f32::MIN_POSITIVE);
            v.into_iter().map(|x| x / norm).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_limits_reject_an_empty_request() {
        let err = Limits::default().check(&[]).expect_err("empty");
        assert!(matches!(err, RequestError::NoTexts));
        assert!(err.to_string().contains("send at least one"));
    }

    #[test]
    fn test_limits_reject_ten_thousand_texts() {
        let texts = vec![String::from("a short text"); 10_000];
        let err = Limits::default().check(&texts).expect_err("too many");
        assert!(
            matches!(err, RequestError::TooManyTexts { count: 10_000, max: MAX_TEXTS }),
            "{err:?}"
        );
        assert!(err.to_string().contains("split it into requests of at most 256"), "{err}");
    }

    #[test]
    fn test_limits_accept_the_maximum_and_reject_one_more() {
        let limits = Limits::default();
        let mut texts = vec![String::from("x"); MAX_TEXTS];
        limits.check(&texts).expect("at the limit");
        texts.push("x".into());
        assert!(limits.check(&texts).is_err());
    }

    #[test]
    fn test_limits_count_bytes_over_all_texts() {
        let one_mb = "a".repeat(1 << 20);
        let limits = Limits::default();
        // A single 1 MB text is accepted (the embedder truncates it).
        limits.check(std::slice::from_ref(&one_mb)).expect("1 MB text");
        let texts = vec![one_mb; 5];
        let err = limits.check(&texts).expect_err("5 MB");
        assert!(
            matches!(err, RequestError::TooManyBytes { bytes, max: MAX_TOTAL_TEXT_BYTES } if bytes == 5 << 20),
            "{err:?}"
        );
    }

    #[test]
    fn test_decode_request_rejects_non_utf8_with_offset() {
        let body = b"{\"texts\": [\"ok\", \"bad \xff\xfe here\"]}";
        let err = decode_request(body).expect_err("not utf-8");
        assert!(matches!(err, RequestError::NotUtf8 { offset: 22 }), "{err:?}");
        assert!(err.to_string().contains("offset 22"), "{err}");
    }

    #[test]
    fn test_decode_request_rejects_lone_surrogate_escape_and_wrong_shape() {
        let err = decode_request(br#"{"texts": ["\udc80"]}"#).expect_err("lone surrogate");
        assert!(matches!(err, RequestError::Json(_)), "{err:?}");
        let err = decode_request(br#"{"texts": "not a list"}"#).expect_err("wrong shape");
        assert!(matches!(err, RequestError::Json(_)), "{err:?}");
    }

    #[test]
    fn test_decode_request_parses_a_python_style_body() {
        let body = br#"{"name": "TextEmbedding", "timeout": 12.0, "total_size": 0,
            "header_size": 0, "dendrite": {}, "axon": {}, "computed_body_hash": "",
            "texts": ["caf\u00e9", "b"], "embeddings": null}"#;
        let req = decode_request(body).expect("parses");
        assert_eq!(req.texts, ["café", "b"]);
        assert_eq!(req.embeddings, None);
    }

    #[test]
    fn test_behaviour_names_round_trip_and_unknown_names_are_refused() {
        for b in Behaviour::ALL {
            assert_eq!(b.name().parse::<Behaviour>(), Ok(b));
        }
        let err = "lazy".parse::<Behaviour>().expect_err("unknown");
        assert!(err.contains("honest, random, copy, slow"), "{err}");
    }

    #[test]
    fn test_validator_view_admits_only_known_hotkeys_with_their_stake() {
        let view = ValidatorView::new();
        let mut base = SynapseBase::default();
        base.dendrite.hotkey = Some("5Validator".to_owned());
        assert!(view.check(&base).is_err(), "an empty view refuses everyone");
        view.replace([("5Validator".to_owned(), 42)].into_iter().collect());
        assert_eq!(view.check(&base), Ok(42));
        base.dendrite.hotkey = Some("5Stranger".to_owned());
        let reason = view.check(&base).expect_err("stranger");
        assert!(reason.contains("5Stranger"), "{reason}");
        base.dendrite.hotkey = None;
        assert!(view.check(&base).is_err(), "no hotkey header is refused");
    }

    #[test]
    fn test_answer_cache_replays_by_text_then_by_position() {
        let cache = AnswerCache::new();
        assert_eq!(cache.replay(&["a".to_owned()]), None);
        cache.publish(&["a".to_owned(), "b".to_owned()], &[vec![1.0], vec![2.0]]);
        let texts = ["b".to_owned(), "x".to_owned(), "y".to_owned()];
        // "b" by text; "x" takes position 1 → cached[1]; "y" position 2 wraps to cached[0].
        assert_eq!(cache.replay(&texts), Some(vec![vec![2.0], vec![2.0], vec![1.0]]));
    }

    #[test]
    fn test_random_vectors_are_unit_length_and_fresh() {
        let a = random_unit_vectors(3, 384);
        let b = random_unit_vectors(3, 384);
        for v in &a {
            assert_eq!(v.len(), 384);
            let n: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((n - 1.0).abs() < 1e-4, "{n}");
        }
        assert_ne!(a, b);
    }

    #[tokio::test]
    async fn test_priority_gate_serves_waiters_by_stake_then_arrival() {
        let gate = PriorityGate::new(1);
        let held = gate.acquire(0).await;
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut tasks = Vec::new();
        for (name, priority) in [("low", 5u64), ("high", 50), ("mid", 10), ("mid-later", 10)] {
            let waiter = Arc::clone(&gate);
            let tx = tx.clone();
            tasks.push(tokio::spawn(async move {
                let permit = waiter.acquire(priority).await;
                let _ = tx.send(name);
                drop(permit);
            }));
            // Let it enqueue before the next one arrives.
            while gate.state.lock().expect("lock").waiting.len() < tasks.len() {
                tokio::task::yield_now().await;
            }
        }
        drop(held);
        for t in tasks {
            t.await.expect("task");
        }
        let mut order = Vec::new();
        while let Ok(name) = rx.try_recv() {
            order.push(name);
        }
        assert_eq!(order, ["high", "mid", "mid-later", "low"]);
        // Every slot came back.
        assert_eq!(gate.state.lock().expect("lock").free, 1);
    }

    #[tokio::test]
    async fn test_priority_gate_skips_a_waiter_that_gave_up() {
        let gate = PriorityGate::new(1);
        let held = gate.acquire(0).await;
        let quitter = {
            let waiter = Arc::clone(&gate);
            tokio::spawn(async move { waiter.acquire(100).await })
        };
        while gate.state.lock().expect("lock").waiting.is_empty() {
            tokio::task::yield_now().await;
        }
        quitter.abort();
        let _ = quitter.await;
        drop(held);
        // The slot went back to the pool, not to the aborted waiter.
        let again = tokio::time::timeout(Duration::from_secs(5), gate.acquire(1)).await;
        assert!(again.is_ok(), "the slot was lost to a waiter that gave up");
    }
}
