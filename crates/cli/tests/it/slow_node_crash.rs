//! Crash safety of the whole node: load is sent over RPC while `rustensor node --dev` is killed
//! with SIGKILL at random moments, then restarted on the same data directory.
//!
//! After every restart, every transaction that was reported `finalized` before any kill is
//! still in its block, and that block is still the canonical one at its height. At the end the
//! stored blocks are replayed from genesis on a fresh store: each re-executed block gives the
//! state root in its header and the root the node committed. The node always comes back, and
//! every restart finalizes blocks and the load's transactions again before the next kill.
//!
//! Cycles: `RUSTENSOR_CRASH_CYCLES` (default 20). Kill times come from a seeded RNG
//! (`RUSTENSOR_CRASH_SEED`, default 7), so a failure can be replayed.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{NodeProcess, hex0x, sign};
use jsonrpsee_core::client::{ClientT, SubscriptionClientT};
use jsonrpsee_core::rpc_params;
use jsonrpsee_ws_client::WsClientBuilder;
use parity_scale_codec::Decode;
use rand::{Rng, SeedableRng};
use rustensor_node::block::Block;
use rustensor_node::chain::Chain;
use rustensor_node::store::{StateStore, StoreConfig};
use rustensor_runtime::genesis::ChainSpec;
use rustensor_runtime::test_utils::{dev_account, transfer_keep_alive};
use serde_json::Value;

/// The nodes' log filter: consensus and node debug lines, so a stalled restart's log tail
/// says where it stands.
const NODE_LOG: &str = "info,commonware_consensus=debug,rustensor_node=debug";

const SENDERS: [&str; 4] = ["Alice", "Bob", "Charlie", "Dave"];

/// `(block hash, extrinsic)` pairs reported finalized.
type Finalized = Arc<Mutex<Vec<(String, String)>>>;

/// Sends transfers from each sender in turn, watching each, until the task is dropped;
/// records what is reported finalized.
async fn load(ws_url: String, genesis: [u8; 32], finalized: Finalized) {
    let Ok(client) = WsClientBuilder::default().build(&ws_url).await else { return };
    let client = Arc::new(client);
    let mut nonces = vec![0u64; SENDERS.len()];
    let mut round = 0usize;
    loop {
        // A restarted node may still be committing blocks finalized before the kill, so the
        // nonces read at connection can be stale; take the node's newer ones as they appear.
        for (i, who) in SENDERS.iter().enumerate() {
            let Ok(n) = client
                .request::<u64, _>(
                    "system_accountNextIndex",
                    rpc_params![dev_account(who).to_ss58()],
                )
                .await
            else {
                return;
            };
            nonces[i] = nonces[i].max(n);
        }
        for (i, who) in SENDERS.iter().enumerate() {
            let to = dev_account(SENDERS[(i + 1) % SENDERS.len()]);
            let nonce = u32::try_from(nonces[i]).unwrap();
            let xt =
                hex0x(&sign(who, nonce, transfer_keep_alive(to, 1_000 + round as u64), genesis));
            let Ok(mut sub) = client
                .subscribe::<Value, _>(
                    "author_submitAndWatchExtrinsic",
                    rpc_params![xt.clone()],
                    "author_unwatchExtrinsic",
                )
                .await
            else {
                return;
            };
            nonces[i] += 1;
            let finalized = finalized.clone();
            tokio::spawn(async move {
                while let Some(Ok(status)) = sub.next().await {
                    if let Some(block) = status.get("finalized").and_then(Value::as_str) {
                        finalized.lock().unwrap().push((block.to_owned(), xt));
                        return;
                    }
                }
            });
        }
        round += 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Every recorded `(block, extrinsic)` is in that block, and the block is canonical.
async fn check_finalized_survived(ws_url: &str, finalized: &[(String, String)]) {
    let client = WsClientBuilder::default().build(ws_url).await.expect("ws connects");
    for (block_hash, xt) in finalized {
        let block: Value = client.request("chain_getBlock", rpc_params![block_hash]).await.unwrap();
        assert!(!block.is_null(), "finalized block {block_hash} is gone after a crash");
        let extrinsics = block["block"]["extrinsics"].as_array().unwrap();
        assert!(extrinsics.iter().any(|x| x.as_str() == Some(xt)), "a finalized extrinsic is gone");
        let number = block["block"]["header"]["number"].as_str().unwrap();
        let number = u64::from_str_radix(number.trim_start_matches("0x"), 16).unwrap();
        let canonical: Value =
            client.request("chain_getBlockHash", rpc_params![number]).await.unwrap();
        assert_eq!(canonical.as_str(), Some(block_hash.as_str()), "block #{number} was replaced");
    }
}

/// Waits (up to 60 s) for the node's "first block finalized" log line (which may come before
/// its `ready` line: a restarted node can commit a block finalized before the kill while it
/// starts); panics if the restarted node never finalizes (a stalled restart loses no data yet
/// is just as broken), printing the node's last log lines so a failure on CI can be diagnosed.
async fn wait_first_finalized(node: &NodeProcess) -> Duration {
    let began = std::time::Instant::now();
    if node.process.startup_log.iter().any(|line| line.contains("first block finalized")) {
        return Duration::ZERO;
    }
    let deadline = began + Duration::from_secs(60);
    let mut tail: std::collections::VecDeque<String> =
        node.process.startup_log.iter().rev().take(200).rev().cloned().collect();
    loop {
        match node.process.lines.try_recv() {
            Ok(line) if line.contains("first block finalized") => return began.elapsed(),
            Ok(line) => {
                if tail.len() == 200 {
                    tail.pop_front();
                }
                tail.push_back(line);
                continue;
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => panic!("the node exited"),
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
        }
        if std::time::Instant::now() >= deadline {
            for line in &tail {
                eprintln!("node: {line}");
            }
            panic!("the restarted node finalized nothing in 60 s (its last log lines above)");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Waits (up to 60 s) until the load has had a transaction finalized beyond `count`; panics
/// with the node's state otherwise.
async fn wait_transactions_finalized(finalized: &Finalized, count: usize, cycle: usize) {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while finalized.lock().unwrap().len() <= count {
        assert!(
            std::time::Instant::now() < deadline,
            "cycle {cycle}: the restarted node finalized blocks but none of the load's \
             transactions in 60 s"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_sigkill_under_load_keeps_every_finalized_transaction_and_replays_to_the_same_roots() {
    let _machine = crate::common::exclusive();
    let cycles: usize =
        std::env::var("RUSTENSOR_CRASH_CYCLES").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let seed: u64 =
        std::env::var("RUSTENSOR_CRASH_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(7);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let dir = tempfile::tempdir().unwrap();
    let finalized: Finalized = Arc::default();
    for cycle in 0..cycles {
        let count_before = finalized.lock().unwrap().len();
        let node = NodeProcess::start_logging(dir.path(), &[], NODE_LOG);
        let before: Vec<_> = finalized.lock().unwrap().clone();
        check_finalized_survived(&node.ws_url, &before).await;
        let task = tokio::spawn(load(node.ws_url.clone(), node.genesis_hash, finalized.clone()));
        // Liveness after a crash: every restart must finalize blocks again, and the load's
        // transactions. The kill then comes at a random moment after that, so on a slow or
        // loaded machine the test measures the same thing (kills during progress) instead of
        // killing nodes still starting up.
        let started = wait_first_finalized(&node).await;
        wait_transactions_finalized(&finalized, count_before, cycle).await;
        let wait = Duration::from_millis(rng.gen_range(300..1_500));
        tokio::time::sleep(wait).await;
        node.kill();
        task.abort();
        let _ = task.await;
        let count = finalized.lock().unwrap().len();
        eprintln!(
            "cycle {cycle}: first block finalized {started:?} after ready (0: before it), killed \
             {wait:?} after the first finalized transaction; \
             {count} transactions finalized so far"
        );
    }
    // One more start: everything finalized is still there.
    let node = NodeProcess::start(dir.path(), &[]);
    let all: Vec<_> = finalized.lock().unwrap().clone();
    assert!(!all.is_empty(), "the load finalized nothing");
    check_finalized_survived(&node.ws_url, &all).await;
    // ... and it still finalizes new transactions.
    let task = tokio::spawn(load(node.ws_url.clone(), node.genesis_hash, finalized.clone()));
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while finalized.lock().unwrap().len() == all.len() {
        assert!(std::time::Instant::now() < deadline, "no transaction finalized after restarts");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    task.abort();
    let _ = task.await;
    node.kill();
    let all: Vec<_> = finalized.lock().unwrap().clone();

    // Replay every stored block on a fresh store: same header roots and committed roots.
    let store = StateStore::open(dir.path().join("state.redb"), StoreConfig::default()).unwrap();
    let latest = store.latest().unwrap().unwrap().number;
    let replay_dir = tempfile::tempdir().unwrap();
    let fresh = Arc::new(
        StateStore::open(replay_dir.path().join("state.redb"), StoreConfig::default()).unwrap(),
    );
    let spec = ChainSpec::dev();
    let mut chain = Chain::open(fresh.clone(), &spec).unwrap();
    assert_eq!(Some(chain.genesis_hash()), store.hash_of(0).unwrap());
    let author = rustensor_node::consensus::author_account("//Alice").unwrap();
    for number in 1..=latest {
        let body = store.body(number).unwrap().expect("every committed block has its body");
        let block = Block::decode(&mut body.as_slice()).unwrap();
        let hash = block.hash();
        assert_eq!(store.hash_of(number).unwrap(), Some(hash));
        chain
            .import(block.clone(), Some(author))
            .expect("the block re-executes to its header's root");
        chain.finalize(&hash).unwrap();
        assert_eq!(fresh.root_at(number).unwrap(), store.root_at(number).unwrap(), "#{number}");
        assert_eq!(fresh.root_at(number).unwrap(), Some(block.header.state_root));
    }
    eprintln!("replayed {latest} blocks; {} finalized transactions checked", all.len());
}
