//! `rustensor embedding miner` and `rustensor embedding validator` as separate processes
//! against a real `rustensor node --dev`, set up with the CLI the way an operator would: a
//! subnet created and started, a miner and a validator registered, the validator staked. The
//! miner announces its axon, the validator scores it and sets weights, and the metagraph pays
//! the miner.
//!
//! Needs the model weights (`scripts/fetch-models`); without them the test skips with a
//! message locally and fails under `CI`.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{NodeProcess, binary, cli, json, model_root, ss58};
use serde_json::Value;

/// Kills a child process on drop, so a failed assertion leaves nothing running.
struct Reaped(std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn test_slow_embedding_miner_and_validator_processes_earn_on_a_dev_node() {
    let _machine = crate::common::exclusive();
    let Some(models) = model_root() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let node = NodeProcess::start(dir.path(), &[]);

    // The subnet: created and started by //Alice, short tempo, no weights rate limit.
    let created = json(
        &node,
        &[
            "subnet",
            "create",
            "--uri",
            "//Alice",
            "--hotkey-uri",
            "//Alice//owner",
            "--yes",
            "--json",
        ],
    );
    let netuid = created["netuid"].as_u64().expect("netuid").to_string();
    for (param, value) in [("tempo", "10"), ("weights_rate_limit", "0")] {
        json(
            &node,
            &[
                "sudo", "set", "--netuid", &netuid, "--param", param, "--value", value, "--uri",
                "//Alice", "--json",
            ],
        );
    }
    json(&node, &["subnet", "start", &netuid, "--uri", "//Alice", "--json"]);
    let mut uids = Vec::new();
    for hotkey in ["//Bob//validator", "//Bob//miner"] {
        let reg = json(
            &node,
            &[
                "register",
                "--netuid",
                &netuid,
                "--uri",
                "//Bob",
                "--hotkey-uri",
                hotkey,
                "--yes",
                "--json",
            ],
        );
        uids.push(reg["uid"].as_u64().expect("uid"));
    }
    json(
        &node,
        &[
            "stake",
            "add",
            "--netuid",
            &netuid,
            "--amount",
            "100",
            "--hotkey-address",
            &ss58("//Bob//validator"),
            "--uri",
            "//Bob",
            "--yes",
            "--json",
        ],
    );

    // A validator that is not registered is told how to register.
    let stranger = cli(
        &node,
        &["embedding", "validator", "--netuid", &netuid, "--hotkey-uri", "//Nobody", "--json"],
    );
    assert!(!stranger.status.success());
    let says = String::from_utf8_lossy(&stranger.stderr);
    assert!(says.contains("not registered") && says.contains("rustensor register"), "{says}");

    // The miner: serves on loopback and announces its axon.
    let mut miner = Reaped(
        Command::new(binary())
            .args([
                "embedding",
                "miner",
                "--netuid",
                &netuid,
                "--hotkey-uri",
                "//Bob//miner",
                "--ip",
                "127.0.0.2",
                "--port",
                "0",
                "--refresh",
                "1",
                "--max-seconds",
                "300",
                "--network",
                &node.ws_url,
            ])
            .env("RUSTENSOR_MODELS", &models)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(dir.path().join("miner.log")).expect("log file"))
            .spawn()
            .expect("starts the miner"),
    );
    let mut ready = String::new();
    BufReader::new(miner.0.stdout.take().expect("stdout"))
        .read_line(&mut ready)
        .expect("reads READY");
    let fields: Vec<&str> = ready.split_whitespace().collect();
    let log = || std::fs::read_to_string(dir.path().join("miner.log")).unwrap_or_default();
    assert_eq!(fields.first(), Some(&"READY"), "{ready}\n{}", log());
    let addr = fields[1].to_owned();
    assert_eq!(fields[2], ss58("//Bob//miner"), "{ready}");
    assert_eq!(fields[4], uids[1].to_string(), "{ready}");
    let meta = json(&node, &["metagraph", &netuid, "--json"]);
    assert_eq!(meta["neurons"][uids[1] as usize]["axon"], addr.as_str(), "{meta}");

    // The validator: runs until the miner is paid, then Ctrl-C (SIGINT) ends it cleanly.
    let validator = Command::new(binary())
        .args([
            "embedding",
            "validator",
            "--netuid",
            &netuid,
            "--hotkey-uri",
            "//Bob//validator",
            "--query-timeout",
            "10",
            "--pairs",
            "8",
            "--distractors",
            "4",
            "--round-interval",
            "0.5",
            "--max-seconds",
            "300",
            "--json",
            "--network",
            &node.ws_url,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts the validator");
    let mut validator = Reaped(validator);
    let deadline = Instant::now() + Duration::from_secs(240);
    let paid = loop {
        let meta = json(&node, &["metagraph", &netuid, "--json"]);
        let miner_row = &meta["neurons"][uids[1] as usize];
        if miner_row["incentive_u16"].as_u64().unwrap_or(0) > 0 {
            break meta;
        }
        assert!(Instant::now() < deadline, "the miner was not paid within 240 s: {meta}");
        std::thread::sleep(Duration::from_millis(500));
    };
    let miner_row = &paid["neurons"][uids[1] as usize];
    assert_eq!(miner_row["incentive_u16"], 65535, "the only miner earns all incentive: {paid}");
    let validator_row = &paid["neurons"][uids[0] as usize];
    assert!(validator_row["dividends_u16"].as_u64().unwrap_or(0) > 0, "{paid}");

    let _ = Command::new("kill").arg("-INT").arg(validator.0.id().to_string()).status();
    let end = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = validator.0.try_wait().expect("wait") {
            break s;
        }
        assert!(Instant::now() < end, "the validator did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut stdout = String::new();
    std::io::Read::read_to_string(&mut validator.0.stdout.take().expect("stdout"), &mut stdout)
        .expect("read");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut validator.0.stderr.take().expect("stderr"), &mut stderr)
        .expect("read");
    assert!(status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let doc: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("one JSON document ({e}): {stdout}\n{stderr}"));
    assert_eq!(doc["uid"], uids[0], "{doc}");
    let status = &doc["status"];
    assert!(status["rounds"].as_u64().unwrap_or(0) >= 1, "{doc}");
    assert!(status["weights_submitted"].as_u64().unwrap_or(0) >= 1, "{doc}");
    let scored = &status["miners"][uids[1].to_string()];
    assert!(scored["ema"]["value"].as_f64().unwrap_or(0.0) > 0.5, "{doc}");
    drop(miner);
}
