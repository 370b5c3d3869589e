//! Benchmark probe: signed `Balances.transfer_keep_alive` executed into one block, signature
//! checks and fees included: signatures verified on all cores (`Executive::apply_extrinsics`),
//! execution on one thread.
//!
//! Run in release: `cargo run --release -p rustensor-runtime --example transfer_throughput [N]`
//! (default N = 5000). Prints one JSON line. Issue 3's target is ≥ 20 000 per second.

#![allow(clippy::disallowed_methods, reason = "a benchmark reads the clock")]

use rustensor_runtime::executive::Executive;
use rustensor_runtime::pallets::{Runtime, balances};
use rustensor_runtime::test_utils::{
    TEST_GENESIS_HASH, TEST_VERSION, dev_account, dev_genesis, dev_pair, sign_call,
    transfer_keep_alive,
};

fn main() {
    let n: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5_000);
    let alice = dev_pair("Alice");
    let bob = dev_account("Bob");
    let genesis = dev_genesis(u64::MAX / 16);
    let txs: Vec<Vec<u8>> =
        (0..n).map(|nonce| sign_call(&alice, nonce, transfer_keep_alive(bob, 1_000_000))).collect();

    let start = std::time::Instant::now();
    let mut block =
        Executive::initialize_block(&genesis, Runtime, TEST_VERSION, 1, TEST_GENESIS_HASH);
    // The block importer's path: signatures verified on all cores first, then executed.
    let results = block.apply_extrinsics(&txs);
    let ok =
        u32::try_from(results.iter().filter(|r| matches!(r, Ok(a) if a.result.is_ok())).count())
            .unwrap_or(u32::MAX);
    let state = block.finalize_block();
    let elapsed = start.elapsed();
    let bob_balance = balances::free_balance(&state, &bob);
    let per_second = f64::from(ok) / elapsed.as_secs_f64();
    println!(
        "{{\"transfers\":{n},\"succeeded\":{ok},\"seconds\":{:.4},\"per_second\":{per_second:.0},\"bob_balance\":{bob_balance}}}",
        elapsed.as_secs_f64()
    );
}
