//! Validator-set rotation across real `rustensor node` processes over authenticated TCP on
//! loopback: four genesis validators and Eve (in no set, following as an observer), epochs of
//! 20 blocks. `rustensor sudo validators` schedules {Alice, Bob, Charlie, Eve}; once the
//! next epoch runs, Alice, Bob and Eve finalize on their own (Charlie and Dave killed), so Eve
//! signs over the network; a full node started afterwards syncs across the boundaries,
//! checking each epoch's certificates against that epoch's set.

use std::time::Duration;

use crate::common::{
    NodeProcess, block_hash, finalized_number, free_ports, json, node_args, wait_finalized,
};
use jsonrpsee_ws_client::WsClientBuilder;

const WAIT: Duration = Duration::from_secs(120);

/// Blocks per epoch.
const EPOCH: u64 = 20;

const KEYS: [&str; 5] = ["//Alice", "//Bob", "//Charlie", "//Dave", "//Eve"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_sudo_validators_rotates_the_set_over_tcp_and_a_full_node_follows_it() {
    let _machine = crate::common::exclusive();
    let dir = tempfile::tempdir().unwrap();
    let ports = free_ports(KEYS.len());
    let mut spec = rustensor_node::node::dev_spec_with_validators(&KEYS[..4]).unwrap();
    for (v, port) in spec.validators.iter_mut().zip(&ports) {
        v.address = format!("127.0.0.1:{port}");
    }
    spec.epoch_length = Some(EPOCH);
    let spec_path = dir.path().join("spec.json");
    std::fs::write(&spec_path, spec.to_json()).unwrap();

    let mut nodes: Vec<Option<NodeProcess>> = Vec::new();
    for (i, uri) in KEYS.iter().enumerate() {
        let base = dir.path().join(format!("v{i}"));
        let p2p = format!("127.0.0.1:{}", ports[i]);
        let args = node_args(
            &spec_path,
            &base,
            &["--validator", uri, "--p2p-addr", &p2p, "--min-block-time", "250"],
        );
        nodes.push(Some(NodeProcess::launch(&args)));
    }
    let node = |nodes: &[Option<NodeProcess>], i: usize| nodes[i].as_ref().unwrap().ws_url.clone();
    let alice = WsClientBuilder::default().build(node(&nodes, 0)).await.unwrap();
    wait_finalized(&alice, 3, WAIT, "the genesis validators did not start").await;

    // Schedule the next epoch's set through the CLI, signed by the sudo key.
    let validator = |i: usize| format!("{}@127.0.0.1:{}", KEYS[i], ports[i]);
    let (a, b, c, e) = (validator(0), validator(1), validator(2), validator(4));
    let receipt = json(
        nodes[0].as_ref().unwrap(),
        &[
            "sudo",
            "validators",
            "--validator",
            &a,
            "--validator",
            &b,
            "--validator",
            &c,
            "--validator",
            &e,
            "--uri",
            "//Alice",
            "--yes",
            "--json",
        ],
    );
    let epoch = receipt["epoch"].as_u64().expect("the scheduled epoch");
    assert!(receipt["finalized"].as_bool().unwrap());
    let first = epoch * EPOCH;
    println!("rotation over tcp: scheduled for epoch {epoch} (from block #{first})");

    // The new set runs, and Eve's node agrees with Alice's.
    wait_finalized(&alice, first + 5, WAIT, "the chain did not cross the boundary").await;
    let eve = WsClientBuilder::default().build(node(&nodes, 4)).await.unwrap();
    wait_finalized(&eve, first + 5, WAIT, "Eve's node did not follow").await;
    assert_eq!(block_hash(&eve, first + 5).await, block_hash(&alice, first + 5).await);

    // Charlie and Dave go: Alice, Bob and Eve are 3 of the 4 validators of the new set.
    for i in [2, 3] {
        nodes[i].take().unwrap().kill();
    }
    let before = finalized_number(&alice).await;
    wait_finalized(&alice, before + 10, WAIT, "Alice, Bob and Eve did not finalize").await;
    let top = before + 10;
    assert_eq!(block_hash(&eve, top).await, block_hash(&alice, top).await);

    // A full node syncs from Bob across the boundary, each epoch checked under its own set.
    let full_args =
        node_args(&spec_path, &dir.path().join("full"), &["--sync-from", &node(&nodes, 1)]);
    let full = NodeProcess::launch(&full_args);
    let full_client = WsClientBuilder::default().build(&full.ws_url).await.unwrap();
    wait_finalized(&full_client, top, WAIT, "the full node did not sync past the rotation").await;
    assert_eq!(block_hash(&full_client, top).await, block_hash(&alice, top).await);
    println!("rotation over tcp: Alice, Bob and Eve finalized to #{top}; the full node agrees");
    full.kill();
    for n in nodes.into_iter().flatten() {
        n.kill();
    }
}
