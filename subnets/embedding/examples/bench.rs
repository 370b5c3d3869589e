//! Embeddings per second of the reference miner's model, for requests of 1, 16 and 64 texts.
//!
//! ```sh
//! cargo run --release -p rustensor-embedding --example bench -- [SECONDS=10] [SIZES...=1 16 64]
//! ```
//!
//! The texts are 64 sentences of 8 to 40 words built from a fixed word list with a fixed seed
//! (about 12 to 50 tokens each, like the passages of reference/ml.md §3.A), so every run and the
//! Python comparison in `scripts/bench-embed` embed the same inputs; `RUSTENSOR_BENCH_TEXTS=FILE`
//! writes them to FILE, one per line. Each size runs one warm-up call, then calls for SECONDS,
//! and prints one JSON line: calls, embeddings per second, and the median and minimum call time.
//! `RUSTENSOR_BENCH_BATCH=N` sets the texts per forward pass (default: the embedder's).
//! The model is found as the tests find it (`$RUSTENSOR_MODELS` or `models/` at the repo root).

use std::path::Path;
use std::time::{Duration, Instant};

use rustensor_embedding::embedder::{Embedder, default_model_dir};

const WORDS: &[&str] = &[
    "the",
    "validator",
    "sends",
    "a",
    "batch",
    "of",
    "texts",
    "to",
    "every",
    "miner",
    "on",
    "subnet",
    "and",
    "scores",
    "how",
    "well",
    "their",
    "vectors",
    "pair",
    "queries",
    "with",
    "passages",
    "weather",
    "is",
    "lovely",
    "today",
    "stadium",
    "river",
    "mountain",
    "history",
    "quickly",
    "slowly",
    "network",
    "consensus",
    "token",
    "stake",
    "weights",
    "emission",
    "model",
    "language",
    "embedding",
    "similar",
    "different",
    "because",
    "although",
    "city",
    "music",
    "science",
    "children",
    "garden",
    "winter",
    "summer",
    "market",
    "price",
    "energy",
    "ocean",
];

/// A deterministic pseudo-random generator (64-bit LCG, Knuth's constants).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn texts() -> Vec<String> {
    let mut rng = Lcg(42);
    (0..64)
        .map(|_| {
            let n = 8 + rng.below(33);
            let mut s: Vec<&str> = (0..n).map(|_| WORDS[rng.below(WORDS.len())]).collect();
            s.push(".");
            s.join(" ")
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let secs: f64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(10.0);
    let sizes: Vec<usize> = args.map(|s| s.parse()).collect::<Result<_, _>>()?;
    let sizes = if sizes.is_empty() { vec![1, 16, 64] } else { sizes };

    let texts = texts();
    if let Some(path) = std::env::var_os("RUSTENSOR_BENCH_TEXTS") {
        std::fs::write(&path, texts.join("\n") + "\n")?;
    }
    let dir = default_model_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."));
    let t = Instant::now();
    let mut embedder = Embedder::load(&dir)?;
    if let Some(b) = std::env::var_os("RUSTENSOR_BENCH_BATCH") {
        let b: usize = b.to_str().ok_or("RUSTENSOR_BENCH_BATCH is not UTF-8")?.parse()?;
        embedder = embedder.with_batch_size(b)?;
    }
    eprintln!("loaded {} in {:?}", dir.display(), t.elapsed());

    for size in sizes {
        // Cycle through the 64 texts so that every call embeds a different slice.
        let requests: Vec<Vec<&str>> = (0..64)
            .map(|start| (0..size).map(|i| texts[(start + i) % texts.len()].as_str()).collect())
            .collect();
        embedder.embed(&requests[0])?;
        let mut times: Vec<Duration> = Vec::new();
        let begin = Instant::now();
        while begin.elapsed().as_secs_f64() < secs || times.is_empty() {
            let t = Instant::now();
            embedder.embed(&requests[times.len() % requests.len()])?;
            times.push(t.elapsed());
        }
        let total = begin.elapsed().as_secs_f64();
        times.sort();
        println!(
            "{{\"impl\":\"rustensor-candle\",\"batch\":{},\"batch_workers\":{},\"texts_per_call\":{size},\"calls\":{},\
             \"embeddings_per_s\":{:.1},\"median_ms\":{:.2},\"min_ms\":{:.2}}}",
            embedder.batch_size(),
            embedder.batch_workers(),
            times.len(),
            (times.len() * size) as f64 / total,
            times[times.len() / 2].as_secs_f64() * 1e3,
            times[0].as_secs_f64() * 1e3,
        );
    }
    Ok(())
}
