//! A full node that is not a validator (`rustensor node --sync-from`): started late, it syncs
//! the 1,000+ finalized blocks of a running validator, re-executing each (every 256th and the
//! latest ones proven by their finalization certificates), then serves the same
//! `chain_getBlockHash` and `state_getStorage` answers as the validator; a transfer sent to
//! the full node is passed on to the validator and reported finalized by the full node; a
//! restarted full node goes on from its own store; `system_health` shows the source as its peer,
//! and its loss.

use std::time::{Duration, Instant};

use crate::common::{NodeProcess, account_key, finalized_number, hex0x, sign, wait_finalized};
use jsonrpsee_core::client::{ClientT, SubscriptionClientT};
use jsonrpsee_core::rpc_params;
use jsonrpsee_ws_client::{WsClient, WsClientBuilder};
use rustensor_runtime::test_utils::{dev_account, transfer_keep_alive};
use serde_json::Value;

/// How many blocks the validator makes before the full node starts.
const BLOCKS: u64 = 1_000;

/// How long the validator and the full node get for their 1,000+ blocks.
const SYNC_TIME: Duration = Duration::from_secs(300);

/// The storage keys compared between the nodes: accounts, issuance and a subtensor item.
fn keys() -> Vec<String> {
    use rustensor_primitives::hashing::twox_128;
    let mut keys: Vec<String> = ["Alice", "Bob", "Charlie", "Ferdie"]
        .iter()
        .map(|who| hex0x(&account_key(&dev_account(who))))
        .collect();
    keys.push(hex0x(&[twox_128(b"Balances"), twox_128(b"TotalIssuance")].concat()));
    keys.push(hex0x(&[twox_128(b"SubtensorModule"), twox_128(b"TotalIssuance")].concat()));
    keys.push(hex0x(&[twox_128(b"System"), twox_128(b"Number")].concat()));
    keys
}

/// Both nodes give the same block hash and the same storage values at `number`.
async fn assert_same_at(validator: &WsClient, full: &WsClient, number: u64) {
    let hash: Option<String> =
        validator.request("chain_getBlockHash", rpc_params![number]).await.unwrap();
    let theirs: Option<String> =
        full.request("chain_getBlockHash", rpc_params![number]).await.unwrap();
    assert!(hash.is_some(), "the validator has block #{number}");
    assert_eq!(hash, theirs, "block hash at #{number}");
    for key in keys() {
        let a: Option<String> =
            validator.request("state_getStorage", rpc_params![&key, &hash]).await.unwrap();
        let b: Option<String> =
            full.request("state_getStorage", rpc_params![&key, &hash]).await.unwrap();
        assert_eq!(a, b, "state_getStorage({key}) at #{number}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_late_full_node_syncs_a_thousand_blocks_and_serves_the_same_state() {
    let _machine = crate::common::exclusive();
    let validator_dir = tempfile::tempdir().unwrap();
    // Fast blocks, all states kept (the full node is compared at old heights too).
    let validator = NodeProcess::start(
        validator_dir.path(),
        &["--min-block-time", "1", "--state-pruning", "archive"],
    );
    let v = WsClientBuilder::default().build(&validator.ws_url).await.unwrap();
    // A few transfers early on, so the state differs from block to block.
    for nonce in 0..3 {
        let xt = sign("Alice", nonce, transfer_keep_alive(dev_account("Ferdie"), 7), {
            validator.genesis_hash
        });
        let _: String = v.request("author_submitExtrinsic", rpc_params![hex0x(&xt)]).await.unwrap();
    }
    wait_finalized(&v, BLOCKS, SYNC_TIME, "validator").await;

    let full_dir = tempfile::tempdir().unwrap();
    let source = validator.ws_url.clone();
    let full_args = ["--sync-from", source.as_str(), "--state-pruning", "archive"];
    let full = NodeProcess::start(full_dir.path(), &full_args);
    let f = WsClientBuilder::default().build(&full.ws_url).await.unwrap();
    let began = Instant::now();
    wait_finalized(&f, BLOCKS, SYNC_TIME, "full node").await;
    eprintln!("full node synced {BLOCKS} blocks in {:?}", began.elapsed());
    let chain_type: String = f.request("system_chainType", rpc_params![]).await.unwrap();
    assert_eq!(chain_type, "Development");
    // The full node counts its source as its peer; the lone validator has none.
    let health: Value = f.request("system_health", rpc_params![]).await.unwrap();
    assert_eq!(
        (health["peers"].as_u64(), health["shouldHavePeers"].as_bool()),
        (Some(1), Some(true))
    );
    let health: Value = v.request("system_health", rpc_params![]).await.unwrap();
    assert_eq!(health["peers"], 0);
    for number in [0, 1, 2, 3, 255, 256, 257, 500, 511, 512, 777, 999, BLOCKS] {
        assert_same_at(&v, &f, number).await;
    }
    // At the full node's head too (no `at`: latest).
    let head = finalized_number(&f).await;
    assert_same_at(&v, &f, head).await;

    // A transfer sent to the full node reaches the validator and is reported finalized.
    let nonce: u64 = f
        .request("system_accountNextIndex", rpc_params![dev_account("Bob").to_ss58()])
        .await
        .unwrap();
    let xt = sign(
        "Bob",
        u32::try_from(nonce).unwrap(),
        transfer_keep_alive(dev_account("Ferdie"), 1_000),
        full.genesis_hash,
    );
    let mut sub = f
        .subscribe::<Value, _>(
            "author_submitAndWatchExtrinsic",
            rpc_params![hex0x(&xt)],
            "author_unwatchExtrinsic",
        )
        .await
        .expect("the full node takes the transfer");
    let finalized_in = loop {
        let status = tokio::time::timeout(Duration::from_secs(120), sub.next())
            .await
            .expect("a status in time")
            .expect("the subscription stays open")
            .expect("a status");
        if let Some(block) = status.get("finalized").and_then(Value::as_str) {
            break block.to_owned();
        }
        assert!(status.is_string() || status.get("inBlock").is_some(), "status {status}");
    };
    let block: Value = v.request("chain_getBlock", rpc_params![&finalized_in]).await.unwrap();
    let extrinsics = block["block"]["extrinsics"].as_array().expect("the validator has it");
    assert!(extrinsics.iter().any(|x| x.as_str() == Some(hex0x(&xt).as_str())));
    let number = u64::from_str_radix(
        block["block"]["header"]["number"].as_str().unwrap().trim_start_matches("0x"),
        16,
    )
    .unwrap();
    assert_same_at(&v, &f, number).await;

    // Restarted, the full node goes on from its own store.
    let at_stop = finalized_number(&f).await;
    full.kill();
    let full = NodeProcess::start(full_dir.path(), &full_args);
    let f = WsClientBuilder::default().build(&full.ws_url).await.unwrap();
    assert!(finalized_number(&f).await >= at_stop, "the restarted full node lost blocks");
    wait_finalized(&f, at_stop + 50, SYNC_TIME, "restarted full node").await;
    assert_same_at(&v, &f, at_stop + 50).await;
    // With its source gone, the full node says so (and still serves what it has).
    validator.kill();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let health: Value = f.request("system_health", rpc_params![]).await.unwrap();
        if health["peers"] == 0 && health["isSyncing"] == true {
            break;
        }
        assert!(Instant::now() < deadline, "the full node still reports its source: {health}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(finalized_number(&f).await >= at_stop + 50);
    full.kill();
}
