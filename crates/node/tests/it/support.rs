//! Helpers shared by the multi-validator tests (`multi`, `rotation`, `sim`): the four dev
//! validators' chain spec, the seeded deterministic runner and signed transfers.

// Not every helper is used by every test module.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use commonware_runtime::deterministic;
use rustensor_node::node::dev_spec_with_validators;
use rustensor_primitives::AccountId32;
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_runtime::extrinsic::{AdditionalSigned, Era, SignedExtra, UncheckedExtrinsic};
use rustensor_runtime::genesis::ChainSpec;
use rustensor_runtime::test_utils::{TEST_VERSION, dev_pair};

/// The validators' consensus secret URIs, in the chain spec's (and round-robin leader) order.
pub(crate) const VALIDATORS: [&str; 4] = ["//Alice", "//Bob", "//Charlie", "//Dave"];

/// A deterministic runner seeded with `seed`, stopped (with a panic) after `limit` of
/// simulated time.
pub(crate) fn runner_with_limit(seed: u64, limit: Duration) -> deterministic::Runner {
    deterministic::Runner::new(
        deterministic::Config::new().with_seed(seed).with_timeout(Some(limit)),
    )
}

/// A deterministic runner seeded with `seed` (an hour of simulated time at most).
pub(crate) fn runner(seed: u64) -> deterministic::Runner {
    runner_with_limit(seed, Duration::from_secs(3600))
}

/// The dev chain spec with [`VALIDATORS`] as its validator set (derived once per process: dev
/// key derivation runs PBKDF2, which dominates unoptimised simulation runs).
pub(crate) fn spec() -> ChainSpec {
    static SPEC: OnceLock<ChainSpec> = OnceLock::new();
    SPEC.get_or_init(|| dev_spec_with_validators(&VALIDATORS).unwrap()).clone()
}

/// The sr25519 dev key pair `//<name>`, derived once per process.
pub(crate) fn pair(name: &str) -> Pair {
    static PAIRS: OnceLock<Mutex<BTreeMap<String, Pair>>> = OnceLock::new();
    let mut pairs = PAIRS.get_or_init(Mutex::default).lock().unwrap();
    pairs.entry(name.to_owned()).or_insert_with(|| dev_pair(name)).clone()
}

/// The account of the sr25519 dev key `//<name>` (see [`pair`]).
pub(crate) fn account(name: &str) -> AccountId32 {
    pair(name).account_id()
}

/// An immortal extrinsic calling `call`, signed by the sr25519 dev account `//<name>` with
/// `nonce`, for the chain `genesis_hash`.
pub(crate) fn sign(name: &str, nonce: u32, call: Vec<u8>, genesis_hash: [u8; 32]) -> Vec<u8> {
    let additional = AdditionalSigned {
        spec_version: TEST_VERSION.spec_version,
        transaction_version: TEST_VERSION.transaction_version,
        genesis_hash,
        birth_hash: genesis_hash,
        metadata_hash: None,
    };
    let extra = SignedExtra { era: Era::Immortal, nonce, ..Default::default() };
    UncheckedExtrinsic::sign_sr25519(&pair(name), call, extra, &additional).encode()
}
