//! Benchmark probes for a full subnet: `set_weights` throughput and the cost of the epoch
//! block.
//!
//! Run in release:
//!
//! ```sh
//! cargo run --release -p rustensor-runtime --example subnet_bench -- set-weights [N]
//! cargo run --release -p rustensor-runtime --example subnet_bench -- epoch [REPS]
//! ```
//!
//! The chain: the dev spec with one genesis subnet (tempo 10, commit-reveal off) holding 256
//! uids: the owner, 64 validators with stake (hotkeys `//V0` … `//V63`) and 191 miners. The
//! chain runs to its first epoch, which gives the 64 validators their permits.
//!
//! * `set-weights N` (default 5 120): N signed `SubtensorModule.set_weights` extrinsics, each a
//!   256-entry row over every uid, signed by the 64 validators in turn (so each signs
//!   ⌈N/64⌉ with consecutive nonces; `WeightsSetRateLimit` is set to 0 for the run, which is
//!   the only way one subnet can take more than 64 rows in a block). They go through
//!   `Executive::apply_extrinsics` into one block: decoding, signature checks (on all cores),
//!   fees (none: `set_weights` is free) and every validation rule. Issue 3's target is ≥ 5 000/s.
//! * `epoch REPS` (default 200): with every validator's 256-entry row stored, the time of the
//!   block whose block step runs the subnet's Yuma epoch (and pays out), against the time of
//!   the block before it (emission but no epoch), each from the same parent state, REPS times.
//!   Issue 3's target: the epoch block is ≤ 5 ms slower than the empty one.
//!
//! Prints one JSON line.

#![allow(clippy::disallowed_methods, reason = "a benchmark reads the clock")]
#![allow(clippy::arithmetic_side_effects, reason = "benchmark bookkeeping")]

use std::time::{Duration, Instant};

use parity_scale_codec::Encode;
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_primitives::{AccountId32, NetUid};
use rustensor_runtime::executive::Executive;
use rustensor_runtime::genesis::{ChainSpec, NeuronSpec, SubnetSpec, build_genesis};
use rustensor_runtime::pallets::Runtime;
use rustensor_runtime::pallets::subtensor::calls::Call;
use rustensor_runtime::pallets::subtensor::storage::{SubnetEpochIndex, WeightsSetRateLimit};
use rustensor_runtime::pallets::subtensor::weights::should_run_epoch;
use rustensor_runtime::pallets::subtensor::{PALLET_INDEX, TAO};
use rustensor_runtime::storage::{Kv, MemoryKv};
use rustensor_runtime::test_utils::{TEST_GENESIS_HASH, TEST_VERSION, sign_call};

const NET: NetUid = NetUid(1);
const VALIDATORS: u16 = 64;
const UIDS: u16 = 256;

fn validators() -> Vec<Pair> {
    (0..VALIDATORS).map(|i| Pair::from_uri(&format!("//V{i}"), None).unwrap()).collect()
}

/// Block `number`'s parent hash; block 1's is the genesis hash the test signer signs with.
fn parent_hash(number: u32) -> [u8; 32] {
    if number == 1 {
        TEST_GENESIS_HASH
    } else {
        rustensor_primitives::hashing::blake2_256(&number.to_le_bytes())
    }
}

/// Runs block `number` with `xts` on `state`, commits it, and returns how long it took.
fn block(state: &mut MemoryKv, number: u32, xts: &[Vec<u8>]) -> (Duration, usize) {
    let start = Instant::now();
    let mut exec =
        Executive::initialize_block(&*state, Runtime, TEST_VERSION, number, parent_hash(number));
    let results = exec.apply_extrinsics(xts);
    if let Some(failure) = results.iter().find(|r| !matches!(r, Ok(a) if a.result.is_ok())) {
        eprintln!("first failure: {failure:?}");
    }
    let ok = results.iter().filter(|r| matches!(r, Ok(a) if a.result.is_ok())).count();
    let (_, changes) = exec.finalize_block().into_parts();
    let elapsed = start.elapsed();
    for (key, change) in changes {
        match change {
            Some(v) => state.put(&key, &v),
            None => state.delete(&key),
        }
    }
    (elapsed, ok)
}

/// The chain after its first epoch, and the next block number.
fn chain(validators: &[Pair]) -> (MemoryKv, u32) {
    let ss58 = |a: AccountId32| a.to_ss58();
    let owner = AccountId32([0xaa; 32]);
    let mut neurons: Vec<NeuronSpec> = validators
        .iter()
        .enumerate()
        .map(|(i, v)| NeuronSpec {
            hotkey: ss58(v.account_id()),
            coldkey: ss58(AccountId32([0xcc; 32])),
            stake: (1_000 + i as u64) * TAO,
        })
        .collect();
    for m in neurons.len()..usize::from(UIDS - 1) {
        let mut id = [0x77u8; 32];
        id[..2].copy_from_slice(&(m as u16).to_le_bytes());
        neurons.push(NeuronSpec {
            hotkey: ss58(AccountId32(id)),
            coldkey: ss58(AccountId32([0xdd; 32])),
            stake: 0,
        });
    }
    let mut spec = ChainSpec::dev();
    spec.subnets = vec![SubnetSpec {
        owner_coldkey: ss58(owner),
        owner_hotkey: ss58(AccountId32([0xab; 32])),
        tempo: Some(10),
        pool_tao: 10_000 * TAO,
        pool_alpha: 10_000 * TAO,
        commit_reveal: false,
        neurons,
    }];
    let mut state = MemoryKv::from(build_genesis(&spec).unwrap().storage);
    let mut number = 1;
    while SubnetEpochIndex::get(&state, &NET) == 0 {
        block(&mut state, number, &[]);
        number += 1;
    }
    (state, number)
}

fn weights_call(seed: u16) -> Vec<u8> {
    let dests: Vec<u16> = (0..UIDS).collect();
    let weights: Vec<u16> =
        (0..UIDS).map(|j| 1 + (j.wrapping_mul(31).wrapping_add(seed)) % 1000).collect();
    let mut call = vec![PALLET_INDEX];
    Call::SetWeights { netuid: NET, dests, weights, version_key: 0 }.encode_to(&mut call);
    call
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "set-weights".into());
    let count: Option<usize> = args.next().and_then(|a| a.parse().ok());
    let validators = validators();
    let (mut state, number) = chain(&validators);
    match mode.as_str() {
        "set-weights" => {
            let n = count.unwrap_or(5_120);
            WeightsSetRateLimit::insert(&mut state, &NET, &0);
            let xts: Vec<Vec<u8>> = (0..n)
                .map(|i| {
                    let v = &validators[i % validators.len()];
                    let nonce = u32::try_from(i / validators.len()).unwrap();
                    sign_call(v, nonce, weights_call(i as u16))
                })
                .collect();
            let (elapsed, ok) = block(&mut state, number, &xts);
            let secs = elapsed.as_secs_f64();
            println!(
                "{{\"set_weights\":{n},\"succeeded\":{ok},\"row_len\":{UIDS},\"seconds\":{secs:.4},\"per_second\":{:.0}}}",
                ok as f64 / secs
            );
        }
        "epoch" => {
            let reps = count.unwrap_or(200);
            // Every validator stores a full row.
            let xts: Vec<Vec<u8>> = validators
                .iter()
                .enumerate()
                .map(|(i, v)| sign_call(v, 0, weights_call(i as u16)))
                .collect();
            let (_, ok) = block(&mut state, number, &xts);
            assert_eq!(ok, validators.len(), "every validator's row is stored");
            let mut number = number + 1;
            // Advance until block `number + 1` is the next epoch's.
            while !should_run_epoch(&state, NET, u64::from(number + 1)) {
                block(&mut state, number, &[]);
                number += 1;
            }
            let index = SubnetEpochIndex::get(&state, &NET);
            let (mut empty, mut epoch) = (Vec::new(), Vec::new());
            for _ in 0..reps {
                let mut s = state.clone();
                let (t, _) = block(&mut s, number, &[]);
                assert_eq!(SubnetEpochIndex::get(&s, &NET), index, "no epoch in the empty block");
                empty.push(t);
                let (t, _) = block(&mut s, number + 1, &[]);
                assert_eq!(SubnetEpochIndex::get(&s, &NET), index + 1, "the epoch ran");
                epoch.push(t);
            }
            let (e, p) = (median(empty), median(epoch));
            println!(
                "{{\"uids\":{UIDS},\"validators\":{VALIDATORS},\"reps\":{reps},\"empty_block_ms\":{:.3},\"epoch_block_ms\":{:.3},\"difference_ms\":{:.3}}}",
                e.as_secs_f64() * 1e3,
                p.as_secs_f64() * 1e3,
                (p.as_secs_f64() - e.as_secs_f64()) * 1e3
            );
        }
        other => {
            eprintln!("unknown mode `{other}`: use `set-weights [N]` or `epoch [REPS]`");
            std::process::exit(2);
        }
    }
}
