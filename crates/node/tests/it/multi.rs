//! Four validators on commonware's deterministic runtime and simulated network: blocks reach
//! every validator through marshal (buffered broadcast, backfill), all stores agree on hashes
//! and state roots, transfers submitted to one validator are finalized everywhere with fees
//! paid to the proposer, transactions sent to one validator's pool are gossiped to the others
//! and included in their blocks, a late validator catches up, and a block with a wrong state
//! root is refused.

use std::sync::Arc;
use std::time::Duration;

use commonware_cryptography::ed25519;
use commonware_p2p::simulated::{self, Link};
use commonware_runtime::deterministic;
use commonware_runtime::{Clock as _, Runner as _, Supervisor as _};
use commonware_utils::{NZUsize, probability};
use rustensor_node::chain::{Chain, ChainError};
use rustensor_node::consensus::{
    App, MAX_MESSAGE, MemoryTxQueue, NoObserver, ProductionConfig, TxSource, author_account,
    dev_signer, validator_set,
};
use rustensor_node::node::{Node, NodeConfig};
use rustensor_node::store::{StateStore, StoreConfig};
use rustensor_runtime::genesis::build_genesis;
use rustensor_runtime::pallets::balances;
use rustensor_runtime::test_utils::transfer_keep_alive;

use crate::support::{VALIDATORS, account, runner, sign, spec};

const LINK: Link = Link {
    latency: Duration::from_millis(50),
    jitter: Duration::from_millis(5),
    success_rate: probability!(1.0),
};

/// The simulated network of the four validators, every pair linked both ways.
async fn network(
    context: &deterministic::Context,
) -> simulated::Oracle<ed25519::PublicKey, deterministic::Context> {
    let participants = validator_set(&build_genesis(&spec()).unwrap().validators).unwrap();
    let (network, oracle) = simulated::Network::new_with_peers(
        context.child("network"),
        simulated::Config {
            max_size: MAX_MESSAGE,
            max_peers_per_set: NZUsize!(participants.len()),
            disconnect_on_block: true,
            tracked_peer_sets: NZUsize!(1),
        },
        participants.iter().cloned(),
    )
    .await;
    network.start();
    for a in participants.iter() {
        for b in participants.iter() {
            if a != b {
                oracle.add_link(a.clone(), b.clone(), LINK).await.unwrap();
            }
        }
    }
    oracle
}

struct Validator {
    node: Node<deterministic::Context>,
    queue: MemoryTxQueue,
    _dir: tempfile::TempDir,
}

async fn start(
    context: &deterministic::Context,
    oracle: &simulated::Oracle<ed25519::PublicKey, deterministic::Context>,
    index: usize,
) -> Validator {
    start_in(context, oracle, index, tempfile::tempdir().unwrap(), "simplex").await
}

async fn start_in(
    context: &deterministic::Context,
    oracle: &simulated::Oracle<ed25519::PublicKey, deterministic::Context>,
    index: usize,
    dir: tempfile::TempDir,
    partition: &str,
) -> Validator {
    let queue = MemoryTxQueue::default();
    let node =
        start_node(context, oracle, index, &dir, partition, |_| Arc::new(queue.clone())).await;
    Validator { node, queue, _dir: dir }
}

/// Starts validator `index` with its data in `dir`, taking block extrinsics from what
/// `txs` makes of its store.
async fn start_node(
    context: &deterministic::Context,
    oracle: &simulated::Oracle<ed25519::PublicKey, deterministic::Context>,
    index: usize,
    dir: &tempfile::TempDir,
    partition: &str,
    txs: impl FnOnce(&Arc<StateStore>) -> Arc<dyn TxSource>,
) -> Node<deterministic::Context> {
    let mut config = NodeConfig::dev(dir.path());
    config.spec = spec();
    config.validator_uri = VALIDATORS[index].into();
    config.consensus.partition = partition.into();
    let store = Node::<deterministic::Context>::open_store(&config).unwrap();
    let txs = txs(&store);
    Node::start_on(
        context.child("validator").with_attribute("index", index),
        config,
        store,
        txs,
        Arc::new(NoObserver),
        oracle,
    )
    .await
    .unwrap()
}

fn height(v: &Validator) -> u64 {
    v.node.store().latest().unwrap().unwrap().number
}

async fn wait_all(context: &deterministic::Context, validators: &[&Validator], target: u64) {
    loop {
        for v in validators {
            assert_eq!(v.node.fatal(), None);
        }
        if validators.iter().all(|v| height(v) >= target) {
            return;
        }
        context.sleep(Duration::from_millis(50)).await;
    }
}

/// Every store holds the same block hash and state root at every height up to the lowest
/// head; returns that height.
fn assert_agree(validators: &[&Validator]) -> u64 {
    let top = validators.iter().map(|v| height(v)).min().unwrap();
    let first = validators[0].node.store();
    for n in 0..=top {
        let hash = first.hash_of(n).unwrap().unwrap();
        let root = first.root_at(n).unwrap().unwrap();
        for v in &validators[1..] {
            assert_eq!(v.node.store().hash_of(n).unwrap(), Some(hash), "hash at #{n}");
            assert_eq!(v.node.store().root_at(n).unwrap(), Some(root), "root at #{n}");
        }
    }
    top
}

#[test]
fn four_validators_finalize_agree_and_pay_fees_to_the_proposer() {
    runner(11).start(|context| async move {
        let oracle = network(&context).await;
        let mut validators = Vec::new();
        for i in 0..4 {
            validators.push(start(&context, &oracle, i).await);
        }
        let all: Vec<&Validator> = validators.iter().collect();
        wait_all(&context, &all, 20).await;
        assert!(assert_agree(&all) >= 20);

        // Transfers submitted to Alice's validator only: only it can include them.
        let genesis = validators[0].node.genesis_hash();
        let bob = account("Bob");
        for nonce in 0..3 {
            validators[0].queue.push(sign(
                "Alice",
                nonce,
                transfer_keep_alive(bob, 1_000),
                genesis,
            ));
        }
        while !validators[0].queue.is_empty() {
            assert_eq!(validators[0].node.fatal(), None);
            context.sleep(Duration::from_millis(50)).await;
        }
        let included_at = height(&validators[0]);
        wait_all(&context, &all, included_at + 2).await;
        let top = assert_agree(&all);

        let dev = rustensor_runtime::genesis::DEV_BALANCE;
        let alice_validator = author_account("//Alice").unwrap();
        for v in &validators {
            let state = v.node.store().state_at(top).unwrap();
            assert_eq!(balances::free_balance(&state, &bob), dev + 3_000);
            assert!(balances::free_balance(&state, &alice_validator) > 0, "fees to the proposer");
            for other in &VALIDATORS[1..] {
                // The other validators built only empty blocks: no fees.
                assert_eq!(balances::free_balance(&state, &author_account(other).unwrap()), 0);
            }
        }
        // The transfers' block is in every store, identical.
        let with_transfers = (1..=top)
            .find(|n| {
                let body = validators[1].node.app().with_chain(|c| c.committed_block(*n)).unwrap();
                body.is_some_and(|b| !b.extrinsics.is_empty())
            })
            .expect("a block with the transfers");
        println!("4 validators: {top} blocks, transfers in #{with_transfers}");
        for v in validators {
            v.node.stop();
        }
    });
}

/// Transfers submitted to Dave's pool alone (as over Dave's RPC) are gossiped to the other
/// validators' pools: blocks the others lead include them, so their authors collect fees.
/// Without gossip only Dave's blocks could carry them.
#[test]
fn transactions_submitted_to_one_validator_are_gossiped_to_the_others() {
    use rustensor_node::mempool::{Mempool, PoolConfig, StoreValidator};
    use rustensor_node::rpc::TxPool as _;
    runner(16).start(|context| async move {
        let oracle = network(&context).await;
        let mut nodes = Vec::new();
        let mut pools = Vec::new();
        let mut dirs = Vec::new();
        for i in 0..VALIDATORS.len() {
            let dir = tempfile::tempdir().unwrap();
            let mut pool = None;
            let node = start_node(&context, &oracle, i, &dir, "simplex", |store| {
                let mempool = Mempool::new(
                    Arc::new(StoreValidator::new(store.clone())),
                    PoolConfig::default(),
                );
                pool = Some(mempool.clone());
                Arc::new(mempool)
            })
            .await;
            nodes.push(node);
            pools.push(pool.expect("the pool was made"));
            dirs.push(dir);
        }
        let genesis = nodes[0].genesis_hash();
        let bob = account("Bob");
        let transfers = 12u32;
        for nonce in 0..transfers {
            let xt = sign("Alice", nonce, transfer_keep_alive(bob, 1_000), genesis);
            pools[3].submit(xt).expect("Dave's pool takes the transfer");
            // One transfer per block or so, so the leaders of several views see one.
            context.sleep(Duration::from_millis(400)).await;
        }
        let dev = rustensor_runtime::genesis::DEV_BALANCE;
        loop {
            let head = nodes[0].store().latest().unwrap().unwrap().number;
            let state = nodes[0].store().state_at(head).unwrap();
            if balances::free_balance(&state, &bob) == dev + u64::from(transfers) * 1_000 {
                break;
            }
            assert_eq!(nodes[0].fatal(), None);
            context.sleep(Duration::from_millis(100)).await;
        }
        let head = nodes[0].store().latest().unwrap().unwrap().number;
        let state = nodes[0].store().state_at(head).unwrap();
        let paid: Vec<bool> = VALIDATORS
            .iter()
            .map(|v| balances::free_balance(&state, &author_account(v).unwrap()) > 0)
            .collect();
        println!("gossip: validators that included a transfer: {paid:?}");
        assert!(
            paid[..3].iter().any(|p| *p),
            "only Dave's blocks included transfers sent to Dave: nothing was gossiped"
        );
        // Every pool drained once the transfers were finalized.
        context.sleep(Duration::from_secs(2)).await;
        for pool in &pools {
            assert!(pool.is_empty(), "a pool still holds {} transactions", pool.len());
        }
        for node in nodes {
            node.stop();
        }
    });
}

#[test]
fn late_validator_catches_up_through_backfill() {
    runner(12).start(|context| async move {
        let oracle = network(&context).await;
        let mut validators = Vec::new();
        // Three of four (a quorum) start; Dave joins once they are past block 15.
        for i in 0..3 {
            validators.push(start(&context, &oracle, i).await);
        }
        {
            let first: Vec<&Validator> = validators.iter().collect();
            wait_all(&context, &first, 15).await;
        }
        let behind = height(&validators[0]);
        validators.push(start(&context, &oracle, 3).await);
        let all: Vec<&Validator> = validators.iter().collect();
        wait_all(&context, &all, behind + 15).await;
        let top = assert_agree(&all);
        assert!(top >= behind + 15);
        println!("late validator: started at #{behind} behind, agrees up to #{top}");
        for v in validators {
            v.node.stop();
        }
    });
}

#[test]
fn validator_offline_for_a_while_restarts_and_catches_up() {
    offline_and_back(14, "simplex");
}

/// As above, but the restarted validator's consensus storage is gone (a fresh partition):
/// it resumes from its store alone (the head's finalization certificate as floor).
#[test]
fn validator_restarting_without_consensus_storage_resumes_from_its_store() {
    offline_and_back(15, "fresh");
}

fn offline_and_back(seed: u64, restart_partition: &'static str) {
    runner(seed).start(|context| async move {
        let oracle = network(&context).await;
        let mut validators = Vec::new();
        for i in 0..4 {
            validators.push(start(&context, &oracle, i).await);
        }
        {
            let all: Vec<&Validator> = validators.iter().collect();
            wait_all(&context, &all, 10).await;
        }
        // Dave goes down (its store and consensus storage stay), the others go on.
        let dave = validators.pop().unwrap();
        let stopped_at = height(&dave);
        let Validator { node, _dir: dir, .. } = dave;
        node.stop();
        context.sleep(Duration::from_millis(100)).await;
        {
            let rest: Vec<&Validator> = validators.iter().collect();
            wait_all(&context, &rest, stopped_at + 15).await;
        }
        let resumed_behind = height(&validators[0]);
        validators.push(start_in(&context, &oracle, 3, dir, restart_partition).await);
        assert!(height(&validators[3]) >= stopped_at);
        let all: Vec<&Validator> = validators.iter().collect();
        wait_all(&context, &all, resumed_behind + 10).await;
        let top = assert_agree(&all);
        println!("offline validator: stopped at #{stopped_at}, rejoined at #{resumed_behind}, agrees up to #{top}");
        for v in validators {
            v.node.stop();
        }
    });
}

#[test]
fn a_block_with_a_wrong_state_root_is_not_accepted() {
    let spec = spec();
    let dir_a = tempfile::tempdir().unwrap();
    let dir_b = tempfile::tempdir().unwrap();
    let open = |dir: &tempfile::TempDir| {
        let store = StateStore::open(dir.path().join("state.redb"), StoreConfig::default());
        Chain::open(Arc::new(store.unwrap()), &spec).unwrap()
    };
    let mut proposer = open(&dir_a);
    let verifier = open(&dir_b);
    let leader = dev_signer("//Bob").unwrap();
    let author = author_account("//Bob").unwrap();
    let genesis = proposer.genesis_hash();
    let bob = account("Bob");
    let xt = sign("Alice", 0, transfer_keep_alive(bob, 5), genesis);
    let good = proposer.build(&genesis, vec![xt], Some(author)).unwrap().block;
    assert_eq!(good.extrinsics.len(), 1);
    let mut bad = good.clone();
    bad.header.state_root[0] ^= 1;

    runner(13).start(|context| async move {
        let app = App::new(context.child("app"), verifier, Arc::new(MemoryTxQueue::default()), {
            ProductionConfig::default()
        });
        use commonware_cryptography::Signer as _;
        let leader = leader.public_key();
        // What `verify` answers: false for the wrong root, true for the honest block.
        assert_eq!(app.import(&bad, &leader), Some(false));
        // The honest block re-executed with another author has another root: refused too.
        let charlie = dev_signer("//Charlie").unwrap().public_key();
        assert_eq!(app.import(&good, &charlie), Some(false));
        assert_eq!(app.import(&good, &leader), Some(true));
        // Chain::import reports the reason.
        let mut bad_child = good.clone();
        bad_child.header.state_root = [0; 32];
        let err = app.with_chain_mut(|chain| chain.import(bad_child, Some(author)));
        assert!(matches!(err, Err(ChainError::Invalid("state root mismatch"))), "{err:?}");
    });
}
