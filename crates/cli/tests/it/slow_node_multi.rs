//! Four `rustensor node` processes, one per validator of a shared chain spec, over the real
//! authenticated TCP transport on loopback: they finalize the same blocks, a transfer sent to
//! one node is finalized and readable on another, the chain goes on with one validator killed
//! (simplex tolerates f = 1 of n = 4), the killed one comes back to the same state root,
//! finality halts with two of four down without losing anything, and resumes when they return;
//! a full node outside the validator set then follows one of them and agrees.

use std::time::{Duration, Instant};

use crate::common::{
    NodeProcess, block_hash, finalized_number, free_ports, hex0x, node_args, sign, wait_finalized,
};
use jsonrpsee_core::client::ClientT;
use jsonrpsee_core::rpc_params;
use jsonrpsee_ws_client::WsClientBuilder;
use rustensor_runtime::test_utils::{dev_account, transfer_keep_alive};
use serde_json::Value;

/// How long a node gets to finalize a block the test waits for.
const WAIT: Duration = Duration::from_secs(90);

const VALIDATORS: [&str; 4] = ["//Alice", "//Bob", "//Charlie", "//Dave"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_four_validators_over_tcp_agree_survive_crashes_halt_without_quorum_and_resume() {
    let _machine = crate::common::exclusive();
    let dir = tempfile::tempdir().unwrap();
    let ports = free_ports(VALIDATORS.len());
    let mut spec = rustensor_node::node::dev_spec_with_validators(&VALIDATORS).unwrap();
    for (v, port) in spec.validators.iter_mut().zip(&ports) {
        v.address = format!("127.0.0.1:{port}");
    }
    let spec_path = dir.path().join("spec.json");
    std::fs::write(&spec_path, spec.to_json()).unwrap();

    let args_of: Vec<Vec<String>> = VALIDATORS
        .iter()
        .enumerate()
        .map(|(i, uri)| {
            let base = dir.path().join(format!("v{i}"));
            node_args(&spec_path, &base, &["--validator", uri, "--min-block-time", "250"])
        })
        .collect();
    let mut nodes: Vec<NodeProcess> = args_of.iter().map(|a| NodeProcess::launch(a)).collect();
    let genesis = nodes[0].genesis_hash;
    assert!(nodes.iter().all(|n| n.genesis_hash == genesis), "one chain");
    let mut clients = Vec::new();
    for node in &nodes {
        clients.push(WsClientBuilder::default().build(&node.ws_url).await.unwrap());
    }

    // All four finalize, and agree on what.
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let mut lowest = u64::MAX;
        for c in &clients {
            lowest = lowest.min(finalized_number(c).await);
        }
        if lowest >= 5 {
            break;
        }
        assert!(Instant::now() < deadline, "the validators did not finalize 5 blocks");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for number in 1..=5 {
        let first = block_hash(&clients[0], number).await;
        for c in &clients[1..] {
            assert_eq!(block_hash(c, number).await, first, "block #{number} differs");
        }
    }

    // A transfer sent to Alice's node is finalized and visible on Dave's.
    let amount = 777_000_000u64;
    let xt = sign("Alice", 0, transfer_keep_alive(dev_account("Ferdie"), amount), genesis);
    let _: String =
        clients[0].request("author_submitExtrinsic", rpc_params![hex0x(&xt)]).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let nonce: u64 = clients[3]
            .request("system_accountNextIndex", rpc_params![dev_account("Alice").to_ss58()])
            .await
            .unwrap();
        if nonce == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "the transfer never reached Dave's node");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Kill Dave: three of four still finalize.
    let dave = nodes.pop().unwrap();
    dave.kill();
    clients.pop();
    let before = finalized_number(&clients[0]).await;
    wait_finalized(&clients[0], before + 5, WAIT, "the chain stopped with one validator down")
        .await;
    let number = finalized_number(&clients[2]).await.min(before + 5);
    assert_eq!(block_hash(&clients[0], number).await, block_hash(&clients[2], number).await);

    // Restart Dave from its own storage: it catches up to the same blocks and state roots.
    nodes.push(NodeProcess::launch(&args_of[3]));
    clients.push(WsClientBuilder::default().build(&nodes[3].ws_url).await.unwrap());
    let target = finalized_number(&clients[0]).await;
    wait_finalized(&clients[3], target, WAIT, "Dave did not catch up after restarting").await;
    for number in [1, target / 2, target] {
        let hash = block_hash(&clients[0], number).await;
        assert_eq!(block_hash(&clients[3], number).await, hash, "block #{number} differs");
        let a: Value =
            clients[0].request("chain_getHeader", rpc_params![hash.clone()]).await.unwrap();
        let d: Value = clients[3].request("chain_getHeader", rpc_params![hash]).await.unwrap();
        assert_eq!(a["stateRoot"], d["stateRoot"], "state root of #{number}");
    }

    // Stop Charlie and Dave: finality halts (2 of 4 < quorum) but nothing is lost ...
    for _ in 0..2 {
        nodes.pop().unwrap().kill();
        clients.pop();
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let halted = finalized_number(&clients[0]).await;
    let pending = sign("Alice", 1, transfer_keep_alive(dev_account("Ferdie"), amount), genesis);
    let _: String =
        clients[0].request("author_submitExtrinsic", rpc_params![hex0x(&pending)]).await.unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(finalized_number(&clients[0]).await, halted, "finalized without a quorum");
    assert_eq!(finalized_number(&clients[1]).await.max(halted), halted);

    // ... and resumes when they come back; the transfer sent meanwhile is finalized.
    for i in 2..4 {
        nodes.push(NodeProcess::launch(&args_of[i]));
        clients.push(WsClientBuilder::default().build(&nodes[i].ws_url).await.unwrap());
    }
    wait_finalized(&clients[0], halted + 3, WAIT, "finality did not resume").await;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let nonce: u64 = clients[2]
            .request("system_accountNextIndex", rpc_params![dev_account("Alice").to_ss58()])
            .await
            .unwrap();
        if nonce == 2 {
            break;
        }
        assert!(Instant::now() < deadline, "the transfer sent during the halt was lost");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // A full node outside the validator set follows validator 3, checking the four
    // validators' finalization certificates, and agrees with validator 0.
    let full_base = dir.path().join("full");
    let full_args = node_args(&spec_path, &full_base, &["--sync-from", nodes[3].ws_url.as_str()]);
    let full = NodeProcess::launch(&full_args);
    let full_client = WsClientBuilder::default().build(&full.ws_url).await.unwrap();
    let target = finalized_number(&clients[0]).await;
    wait_finalized(&full_client, target, WAIT, "the full node did not catch up").await;
    assert_eq!(block_hash(&full_client, target).await, block_hash(&clients[0], target).await);
    let root_of = |header: Value| header["stateRoot"].as_str().unwrap().to_owned();
    let at = block_hash(&clients[0], target).await;
    let theirs: Value = full_client.request("chain_getHeader", rpc_params![&at]).await.unwrap();
    let ours: Value = clients[0].request("chain_getHeader", rpc_params![&at]).await.unwrap();
    assert_eq!(root_of(theirs), root_of(ours), "state root at #{target}");
    full.kill();
    for node in nodes {
        node.kill();
    }
}
