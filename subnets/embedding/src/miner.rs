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

use std::sync::Arc;

use rustensor_sdk::axon::Axon;
use tokio::sync::Semaphore;

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
    #[error("the request body is not a TextEmbedding synapse: {0}")]
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
    #[error("the embedding task did not complete: {0}")]
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

/// A miner: an [`Embedder`] behind request limits.
#[derive(Debug)]
pub struct Miner {
    embedder: Arc<Embedder>,
    limits: Limits,
    running: Arc<Semaphore>,
}

impl Miner {
    /// A miner with the default [`Limits`].
    pub fn new(embedder: Embedder) -> Self {
        Self::with_limits(embedder, Limits::default())
    }

    /// A miner with `limits` (a `max_concurrent` of 0 is taken as 1).
    pub fn with_limits(embedder: Embedder, limits: Limits) -> Self {
        let running = Arc::new(Semaphore::new(limits.max_concurrent.max(1)));
        Self { embedder: Arc::new(embedder), limits, running }
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

    /// Answers `request`: checks it, waits for a free model slot, embeds its texts on a
    /// blocking thread and returns it with `embeddings` filled in.
    ///
    /// # Errors
    ///
    /// As [`Miner::embed_texts`], plus [`Error::Task`] if the blocking task does not complete.
    pub async fn forward(&self, mut request: TextEmbedding) -> Result<TextEmbedding, Error> {
        self.limits.check(&request.texts)?;
        // The semaphore is never closed, so acquiring only waits. The slot moves into the
        // blocking task: if the caller gives up (the axon's timeout drops this future), the
        // model keeps its slot until it has actually finished.
        let slot = Arc::clone(&self.running).acquire_owned().await;
        let embedder = Arc::clone(&self.embedder);
        let texts = std::mem::take(&mut request.texts);
        let (texts, result) = tokio::task::spawn_blocking(move || {
            let result = embedder.embed(&texts);
            drop(slot);
            (texts, result)
        })
        .await
        .map_err(Error::Task)?;
        request.texts = texts;
        request.embeddings = Some(result?);
        Ok(request)
    }

    /// Serves [`TextEmbedding`] on `axon` with this miner.
    ///
    /// A refused request or a model failure answers 500, as the axon reports any forward
    /// error (the Python SDK does the same for an exception in a forward function).
    pub fn attach(self: Arc<Self>, axon: Axon) -> Axon {
        axon.attach(move |request: TextEmbedding| {
            let miner = Arc::clone(&self);
            async move { miner.forward(request).await.map_err(|e| e.to_string()) }
        })
    }
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
}
