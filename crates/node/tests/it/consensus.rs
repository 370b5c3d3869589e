//! The block flow on commonware's deterministic runtime: a single dev validator proposes,
//! finalizes and commits blocks (with signed transfers), and restarts from its store.

use std::sync::Arc;
use std::time::Duration;

use commonware_runtime::deterministic;
use commonware_runtime::{Clock as _, Runner as _, Supervisor as _};
use rustensor_node::chain::author_of;
use rustensor_node::consensus::{MemoryTxQueue, NoObserver};
use rustensor_node::node::{Node, NodeConfig};
use rustensor_runtime::extrinsic::{AdditionalSigned, Era, SignedExtra, UncheckedExtrinsic};
use rustensor_runtime::pallets::balances;
use rustensor_runtime::test_utils::{TEST_VERSION, dev_account, dev_pair, transfer_keep_alive};

fn runner(seed: u64) -> deterministic::Runner {
    deterministic::Runner::new(
        deterministic::Config::new().with_seed(seed).with_timeout(Some(Duration::from_secs(3600))),
    )
}

/// `test_utils::sign_call`, but for the node's real genesis hash (test_utils signs against
/// the fixed `TEST_GENESIS_HASH`).
fn sign(name: &str, nonce: u32, call: Vec<u8>, genesis_hash: [u8; 32]) -> Vec<u8> {
    let additional = AdditionalSigned {
        spec_version: TEST_VERSION.spec_version,
        transaction_version: TEST_VERSION.transaction_version,
        genesis_hash,
        birth_hash: genesis_hash,
        metadata_hash: None,
    };
    let extra = SignedExtra { era: Era::Immortal, nonce, ..Default::default() };
    UncheckedExtrinsic::sign_sr25519(&dev_pair(name), call, extra, &additional).encode()
}

async fn wait_for_height(
    context: &deterministic::Context,
    node: &Node<deterministic::Context>,
    height: u64,
) {
    loop {
        assert_eq!(node.fatal(), None);
        let latest = node.store().latest().unwrap().unwrap().number;
        if latest >= height {
            return;
        }
        context.sleep(Duration::from_millis(50)).await;
    }
}

#[test]
fn single_validator_finalizes_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    runner(1).start(|context| async move {
        let start = context.current();
        let node = Node::start(context.child("node"), NodeConfig::dev(&path)).await.unwrap();
        wait_for_height(&context, &node, 25).await;
        let elapsed = context.current().duration_since(start).unwrap();
        // The minimum block time (250 ms) holds: 25 blocks take at least 24 × 250 ms.
        assert!(elapsed >= Duration::from_millis(24 * 250), "{elapsed:?}");
        let store = node.store().clone();
        assert_eq!(store.hash_of(0).unwrap(), Some(node.genesis_hash()));
        for n in 0..=25 {
            assert!(store.hash_of(n).unwrap().is_some());
            assert!(store.root_at(n).unwrap().is_some());
        }
        println!("25 blocks in {elapsed:?} of virtual time");
        node.stop();
    });
}

#[test]
fn signed_transfers_are_finalized_and_fees_go_to_the_validator() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    runner(2).start(|context| async move {
        let queue = MemoryTxQueue::default();
        let config = NodeConfig::dev(&path);
        let store = Node::<deterministic::Context>::open_store(&config).unwrap();
        let node = Node::start_with(
            context.child("node"),
            config,
            store,
            Arc::new(queue.clone()),
            Arc::new(NoObserver),
        )
        .await
        .unwrap();
        wait_for_height(&context, &node, 2).await;
        let genesis = node.genesis_hash();
        let bob = dev_account("Bob");
        for nonce in 0..3 {
            queue.push(sign("Alice", nonce, transfer_keep_alive(bob, 1_000), genesis));
        }
        // Signed against the wrong genesis hash: rejected and dropped.
        queue.push(sign(
            "Charlie",
            0,
            transfer_keep_alive(bob, 1),
            rustensor_runtime::test_utils::TEST_GENESIS_HASH,
        ));
        loop {
            context.sleep(Duration::from_millis(50)).await;
            if queue.is_empty() {
                break;
            }
        }
        let latest = node.store().latest().unwrap().unwrap().number;
        let state = node.store().state_at(latest).unwrap();
        let dev = rustensor_runtime::genesis::DEV_BALANCE;
        assert_eq!(balances::free_balance(&state, &bob), dev + 3_000);
        assert_eq!(balances::free_balance(&state, &dev_account("Charlie")), dev);
        let mut author = [0u8; 32];
        author.copy_from_slice(node.public_key().as_ref());
        assert!(balances::free_balance(&state, &author_of(&author)) > 0, "fees paid to author");
        node.stop();
    });
}

#[test]
fn restart_continues_from_the_latest_committed_block() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let p = path.clone();
    let (first_head, genesis) = runner(3).start(|context| async move {
        let node = Node::start(context.child("node"), NodeConfig::dev(&p)).await.unwrap();
        wait_for_height(&context, &node, 5).await;
        let head = node.store().latest().unwrap().unwrap().number;
        let genesis = node.genesis_hash();
        node.stop();
        (head, genesis)
    });
    runner(4).start(|context| async move {
        let node = Node::start(context.child("node"), NodeConfig::dev(&path)).await.unwrap();
        assert_eq!(node.genesis_hash(), genesis);
        let head = node.store().latest().unwrap().unwrap().number;
        assert!(head >= first_head);
        wait_for_height(&context, &node, head + 5).await;
        node.stop();
    });
}
