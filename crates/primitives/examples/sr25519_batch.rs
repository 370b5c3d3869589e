//! Micro-benchmark of sr25519 batch verification, as an axon does it: `BATCH` signatures by one
//! key over axon-like messages, verified together, `ROUNDS` times.
//!
//! ```text
//! cargo run --release -p rustensor-primitives --example sr25519_batch [BATCH=32] [ROUNDS=300]
//! ```
//!
//! Prints one JSON line: microseconds per signature in a batch, and one by one for comparison.

use std::time::Instant;

use rustensor_primitives::crypto::sr25519::{Pair, verify_batch};

fn main() {
    let mut args = std::env::args().skip(1);
    let batch: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(32).max(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(300).max(1);
    let pair = Pair::from_uri("//Alice", None).expect("dev key");
    let key = pair.public().verifying_key().expect("valid key");
    let messages: Vec<String> = (0..batch)
        .map(|i| {
            format!(
                "{}.5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY.5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty.7a0b5adc-e61e-11f1-91f7-02fc00000001.a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
                1_795_315_399_617_658_964u64 + i as u64
            )
        })
        .collect();
    let signatures: Vec<_> = messages.iter().map(|m| pair.sign(m.as_bytes())).collect();
    let items: Vec<_> =
        messages.iter().zip(&signatures).map(|(m, s)| (&key, m.as_bytes(), s)).collect();

    assert!(verify_batch(&items), "the batch verifies");
    let start = Instant::now();
    for _ in 0..rounds {
        assert!(verify_batch(&items));
    }
    let batched = start.elapsed().as_secs_f64() * 1e6 / (rounds * batch) as f64;

    let start = Instant::now();
    for _ in 0..rounds.div_ceil(4) {
        for (key, message, signature) in &items {
            assert!(key.verify(message, signature));
        }
    }
    let single = start.elapsed().as_secs_f64() * 1e6 / (rounds.div_ceil(4) * batch) as f64;
    println!(
        "{{\"batch\":{batch},\"rounds\":{rounds},\"batched_us_per_sig\":{batched:.2},\"single_us_per_sig\":{single:.2}}}"
    );
}
