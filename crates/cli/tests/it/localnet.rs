//! End to end: `rustensor localnet` runs the real network (a dev chain child process, the
//! text-embedding subnet, 2 staked validators and 5 miners running all-MiniLM-L6-v2 on
//! candle) and Yuma Consensus pays the honest miners, not the random or slow one.
//!
//! CI-sized: a 30-pair corpus, tasks of 8 pairs and 4 distractors, tempo 10, a 10 s query
//! timeout, 2 epochs with weights, one localnet at a time. The model weights come from
//! `scripts/fetch-models`; without them the test skips with a message locally and fails under
//! `CI`, where setup must have fetched them.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn model_dir() -> Option<PathBuf> {
    crate::common::model_root().map(|root| root.join("all-minilm-l6-v2"))
}

fn share(doc: &Value, behaviour: &str) -> f64 {
    doc["miner_incentive_share"][behaviour].as_f64().unwrap_or(0.0)
}

/// The ordering of miner incentive: honest ≥ 90 %, random ≤ 2 %, slow ≤ 5 % (a
/// behaviour the run did not have counts as 0).
fn assert_incentive_ordering(doc: &Value, stderr: &str) {
    let (honest, random, slow) = (share(doc, "honest"), share(doc, "random"), share(doc, "slow"));
    assert!(honest >= 0.9, "honest miners got {honest} of the incentive:\n{doc}\n{stderr}");
    assert!(random <= 0.02, "the random miner got {random}:\n{doc}");
    assert!(slow <= 0.05, "the slow miner got {slow}:\n{doc}");
}

/// One localnet at a time: two at once on a 2-core CI machine make every miner slow enough
/// to miss the validators' timeout, which tests the machine, not the network.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs a CI-sized localnet with `extra` arguments; returns its JSON document and stderr.
fn run_localnet(models: &Path, extra: &[&str]) -> (Value, String) {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let output = Command::new(env!("CARGO_BIN_EXE_rustensor"))
        .args([
            "localnet",
            "--json",
            "--epochs",
            "2",
            "--tempo",
            "10",
            "--corpus-pairs",
            "30",
            "--pairs",
            "8",
            "--distractors",
            "4",
            "--timeout",
            "10",
            "--rpc-port",
            "0",
        ])
        .args(extra)
        .arg("--models")
        .arg(models)
        .output()
        .expect("runs rustensor localnet");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "localnet failed:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let doc: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("one JSON document on stdout ({e}):\n{stdout}\n{stderr}"));
    (doc, stderr)
}

#[test]
fn test_slow_localnet_pays_honest_miners_and_not_random_or_slow_ones() {
    let _machine = crate::common::exclusive();
    let Some(models) = model_dir() else { return };
    let (doc, stderr) = run_localnet(&models, &[]);

    // Who is who: owner, 2 validators, 3 honest + 1 random + 1 slow miners.
    let neurons = doc["neurons"].as_array().expect("neurons");
    assert_eq!(neurons.len(), 8, "{doc}");
    let count = |role: &str, behaviour: Option<&str>| {
        neurons
            .iter()
            .filter(|n| n["role"] == role && behaviour.is_none_or(|b| n["behaviour"] == b))
            .count()
    };
    assert_eq!(count("owner", None), 1);
    assert_eq!(count("validator", None), 2);
    assert_eq!(count("miner", Some("honest")), 3);
    assert_eq!(count("miner", Some("random")), 1);
    assert_eq!(count("miner", Some("slow")), 1);
    assert_eq!(doc["epochs"], 2, "{doc}");

    assert_incentive_ordering(&doc, &stderr);
    // Honest miners are paid. Not necessarily all three: an honest miner that a loaded
    // machine makes miss the timeout is scored down, as latency is part of the score.
    let honest: Vec<&Value> = neurons.iter().filter(|n| n["behaviour"] == "honest").collect();
    let paid = honest
        .iter()
        .filter(|n| {
            n["incentive"].as_f64().unwrap_or(0.0) > 0.2
                && n["emission_rao"].as_u64().unwrap_or(0) > 0
        })
        .count();
    assert!(paid >= 2, "at least two of the three honest miners are paid:\n{doc}\n{stderr}");
    for n in &honest {
        assert!(n["axon"].as_str().is_some_and(|a| a.starts_with("127.0.0.2:")), "{n}");
    }
    // The validators' scores saw the difference too.
    for n in neurons.iter().filter(|n| n["behaviour"] == "random" || n["behaviour"] == "slow") {
        assert!(n["score"].as_f64().unwrap_or(1.0) < 0.05, "{n}");
    }

    // Validators earn dividends.
    let dividends: f64 = neurons
        .iter()
        .filter(|n| n["role"] == "validator")
        .map(|n| n["dividends"].as_f64().unwrap_or(0.0))
        .sum();
    assert!(dividends > 0.0, "{doc}");

    // What the last epoch paid adds up with the subnet's block emission less the owner cut.
    let check = &doc["emission_check"];
    assert_eq!(check["adds_up"], true, "{check}");
    assert_eq!(check["blocks_per_epoch"], 10, "{check}");
    assert!(check["paid_last_epoch_rao"].as_u64().unwrap_or(0) > 0, "{check}");
}

#[test]
fn test_slow_localnet_with_commit_reveal_pays_through_revealed_weights() {
    let _machine = crate::common::exclusive();
    // A round (bounded by the 10 s timeout) outlasts the 11-block reveal window of this fast
    // chain: reveals must not wait for rounds. Epochs count only once every validator has
    // revealed, so incentive here comes from revealed weights.
    let Some(models) = model_dir() else { return };
    let (doc, stderr) = run_localnet(
        &models,
        &["--commit-reveal", "--honest", "2", "--random", "1", "--slow", "1"],
    );
    assert_eq!(doc["epochs"], 2, "{doc}");
    assert_incentive_ordering(&doc, &stderr);
    assert_eq!(doc["emission_check"]["adds_up"], true, "{doc}");
}

#[test]
fn test_slow_localnet_on_four_chain_validators_pays_honest_miners() {
    let _machine = crate::common::exclusive();
    // The same subnet on a chain of four `rustensor node` processes agreeing by simplex BFT.
    let Some(models) = model_dir() else { return };
    let (doc, stderr) = run_localnet(
        &models,
        &["--validators", "4", "--honest", "2", "--random", "1", "--slow", "0"],
    );
    assert_eq!(doc["chain_validators"], 4, "{doc}");
    assert!(stderr.contains("starting 4 chain validators"), "{stderr}");
    // Every node's finalized height is shown, and all four are alive and close together.
    assert!(stderr.contains("chain validators' finalized heights: #0 "), "{stderr}");
    let heights: Vec<u64> = doc["chain_heights"]
        .as_array()
        .expect("chain_heights")
        .iter()
        .map(|h| h.as_u64().expect("every node answered"))
        .collect();
    assert_eq!(heights.len(), 4, "{doc}");
    let (low, high) = (heights.iter().min().unwrap(), heights.iter().max().unwrap());
    assert!(*low > 0 && high - low <= 5, "heights {heights:?}");
    assert_incentive_ordering(&doc, &stderr);
    assert_eq!(doc["emission_check"]["adds_up"], true, "{doc}");
}

#[test]
fn test_localnet_refuses_bad_settings_before_starting_anything() {
    let _machine = crate::common::shared();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_rustensor"))
            .arg("localnet")
            .args(args)
            .output()
            .expect("runs rustensor localnet")
    };
    for (args, says) in [
        (&["--validators", "0"][..], "1 to 16 chain validators"),
        (&["--validators", "17"][..], "1 to 16 chain validators"),
        (&["--subnet-validators", "0"][..], "at least 1"),
        (&["--honest", "0", "--random", "0", "--slow", "0"][..], "no miners"),
        (&["--tempo", "2"][..], "too short"),
        (&["--corpus-pairs", "4"][..], "raise --corpus-pairs"),
        (&["--models", "/nonexistent/rustensor-models"][..], "fetch-models"),
    ] {
        let out = run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
