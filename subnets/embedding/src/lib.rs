//! Reference text-embedding subnet: all-MiniLM-L6-v2 sentence embeddings in Rust (candle), the TextEmbedding synapse, its miner and its validator.
//!
//! The subnet follows reference/ml.md §3.A (SN5-style): a validator sends a list of texts, a
//! miner returns one unit-length vector per text, and the validator scores how well the
//! vectors pair up texts whose pairing it knows. `rustensor localnet` runs the whole subnet on
//! a dev chain; `rustensor embedding miner | validator` runs one neuron against any node.
//!
//! * [`task`]: the shipped corpus (`corpus/pairs.tsv`) and the retrieval tasks built from it
//!   (paraphrased queries, their passages, distractors, splices and one duplicated text).
//! * [`scoring`]: top-1 recall and InfoNCE loss with a latency penalty, sanity checks that
//!   reject malformed or non-deterministic answers, moving averages, and u16 weights.
//! * [`validator`]: [`validator::Validator`] runs rounds (metagraph, task, query every served
//!   axon, score) and sets or commits/reveals weights once per epoch.
//!
//! * [`embedder`]: [`embedder::Embedder`] loads all-MiniLM-L6-v2 from the files
//!   `scripts/fetch-models` installs (nothing is downloaded at run time) and embeds texts on
//!   the CPU exactly as sentence-transformers does (mean pooling over the attention mask, L2
//!   normalisation), in batches.
//! * [`synapse`]: [`synapse::TextEmbedding`], the request/response type on the wire.
//! * [`miner`]: [`miner::Miner`] checks each request against bounded limits and answers it
//!   on an axon, with a blacklist of non-validators ([`miner::ValidatorView`]), model slots
//!   granted by stake ([`miner::PriorityGate`]) and demonstration [`miner::Behaviour`]s.
//!
//! Data flows: dendrite -> axon -> [`miner::Miner::forward`] -> [`miner::Limits::check`] ->
//! [`embedder::Embedder::embed`] (tokenize, BERT, pool, normalise) -> the synapse's
//! `embeddings` -> back over the axon.
//!
//! # Example
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use rustensor_embedding::embedder::{Embedder, default_model_dir};
//! use rustensor_embedding::miner::Miner;
//! use rustensor_primitives::crypto::sr25519::Pair;
//! use rustensor_sdk::axon::{Axon, AxonConfig};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let embedder = Embedder::load(default_model_dir(std::path::Path::new(".")))?;
//! let miner = Arc::new(Miner::new(embedder));
//! let hotkey = Pair::from_uri("//Bob", None).expect("dev key");
//! let axon = miner.attach(Axon::new(hotkey, AxonConfig::default()));
//! let handle = axon.serve("127.0.0.1:8091".parse()?).await?;
//! println!("miner serving on {}", handle.local_addr());
//! # Ok(()) }
//! ```
//!
//! # Feature flags
//!
//! None.

pub mod bert;
pub mod embedder;
pub mod miner;
pub mod scoring;
pub mod synapse;
pub mod task;
pub mod validator;
