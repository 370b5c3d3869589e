//! Validator-set rotation at an epoch boundary, on commonware's deterministic runtime and
//! simulated network: four genesis validators (Alice, Bob, Charlie, Dave) and Eve, who is in
//! no set at first and follows as an observer. Sudo schedules {Alice, Bob, Charlie, Eve} for
//! epoch 1 (epochs of 16 blocks). The chain must switch without halting, sign epoch 1 with the
//! new set only, let Eve sign (the quorum needs her while Bob is down), bring Bob back across
//! the boundary he slept through, and go on without Charlie and Dave.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use commonware_codec::Decode as _;
use commonware_consensus::simplex::types::Finalization;
use commonware_cryptography::certificate::Verifier as _;
use commonware_cryptography::{Signer as _, ed25519};
use commonware_p2p::simulated::{self, Link};
use commonware_parallel::Sequential;
use commonware_runtime::deterministic;
use commonware_runtime::{Clock as _, Runner as _, Supervisor as _};
use commonware_utils::ordered::Set;
use commonware_utils::{NZUsize, probability};
use rustensor_node::block::BlockDigest;
use rustensor_node::chain::header_author;
use rustensor_node::consensus::{
    MAX_MESSAGE, MAX_PEERS_PER_SET, MemoryTxQueue, NAMESPACE, NoObserver, Scheme, author_account,
    dev_signer,
};
use rustensor_node::node::{Node, NodeConfig, dev_spec_with_validators};
use rustensor_runtime::genesis::ChainSpec;
use rustensor_runtime::pallets::validators::{self, ValidatorInfo};
use rustensor_runtime::pallets::{RuntimeCall, sudo};

use crate::support::{runner, sign};

/// Blocks per epoch in this chain.
const EPOCH: u64 = 16;

/// Alice, Bob, Charlie, Dave (genesis validators) and Eve.
const KEYS: [&str; 5] = ["//Alice", "//Bob", "//Charlie", "//Dave", "//Eve"];

const LINK: Link = Link {
    latency: Duration::from_millis(50),
    jitter: Duration::from_millis(10),
    success_rate: probability!(1.0),
};

fn spec() -> ChainSpec {
    let mut spec = dev_spec_with_validators(&KEYS[..4]).unwrap();
    spec.epoch_length = Some(EPOCH);
    spec
}

fn key(index: usize) -> ed25519::PublicKey {
    dev_signer(KEYS[index]).unwrap().public_key()
}

fn info(index: usize) -> ValidatorInfo {
    let mut public_key = [0; 32];
    public_key.copy_from_slice(key(index).as_ref());
    let port = 30333 + u16::try_from(index).unwrap();
    ValidatorInfo { public_key, address: format!("127.0.0.1:{port}").into_bytes() }
}

fn set(indices: &[usize]) -> Set<ed25519::PublicKey> {
    Set::try_from(indices.iter().map(|i| key(*i)).collect::<Vec<_>>()).unwrap()
}

struct Validator {
    node: Node<deterministic::Context>,
    queue: MemoryTxQueue,
    dir: tempfile::TempDir,
}

async fn start(
    context: &deterministic::Context,
    oracle: &simulated::Oracle<ed25519::PublicKey, deterministic::Context>,
    index: usize,
    dir: tempfile::TempDir,
) -> Validator {
    let mut config = NodeConfig::dev(dir.path());
    config.spec = spec();
    config.validator_uri = KEYS[index].into();
    let store = Node::<deterministic::Context>::open_store(&config).unwrap();
    let queue = MemoryTxQueue::default();
    let node = Node::start_on(
        context.child("validator").with_attribute("index", index),
        config,
        store,
        Arc::new(queue.clone()),
        Arc::new(NoObserver),
        oracle,
    )
    .await
    .unwrap();
    Validator { node, queue, dir }
}

/// Stops `v` and waits until its aborted tasks have let go of its store (the next node on
/// the same directory locks it again); returns the directory.
async fn stop(context: &deterministic::Context, v: Validator) -> tempfile::TempDir {
    let store = v.node.store().clone();
    v.node.stop();
    for _ in 0..1000 {
        if Arc::strong_count(&store) == 1 {
            return v.dir;
        }
        context.sleep(Duration::from_millis(10)).await;
    }
    panic!("a task of the stopped node still holds its store after 10 s");
}

fn height(v: &Validator) -> u64 {
    v.node.store().latest().unwrap().unwrap().number
}

/// Waits until every validator in `validators` has committed `target`, checking that none
/// stopped on an error; `on_tick` runs on every poll (50 ms of simulated time).
async fn wait_all(
    context: &deterministic::Context,
    validators: &[&Validator],
    target: u64,
    mut on_tick: impl FnMut(),
) {
    loop {
        for v in validators {
            assert_eq!(v.node.fatal(), None);
        }
        if validators.iter().all(|v| height(v) >= target) {
            return;
        }
        on_tick();
        context.sleep(Duration::from_millis(50)).await;
    }
}

/// The stores agree on hash and state root at every height up to the lowest head.
fn assert_agree(validators: &[&Validator]) -> u64 {
    let top = validators.iter().map(|v| height(v)).min().unwrap();
    let first = validators[0].node.store();
    for n in 0..=top {
        for v in &validators[1..] {
            assert_eq!(v.node.store().hash_of(n).unwrap(), first.hash_of(n).unwrap(), "#{n}");
            assert_eq!(v.node.store().root_at(n).unwrap(), first.root_at(n).unwrap(), "#{n}");
        }
    }
    top
}

fn finalization(v: &Validator, number: u64) -> Option<Finalization<Scheme, BlockDigest>> {
    let bytes = v.node.store().finality(number).unwrap()?;
    Some(
        Finalization::decode_cfg(
            bytes::Bytes::from(bytes),
            &Scheme::certificate_codec_config_unbounded(),
        )
        .unwrap(),
    )
}

/// The seeds run: `RUSTENSOR_ROTATION_SEEDS` (default 4) from `RUSTENSOR_ROTATION_FIRST_SEED`
/// (default 71). A failure names its seed.
fn seeds() -> std::ops::Range<u64> {
    let var = |name: &str, default: u64| {
        std::env::var(name).map_or(default, |v| v.parse().unwrap_or_else(|e| panic!("{name}: {e}")))
    };
    let first = var("RUSTENSOR_ROTATION_FIRST_SEED", 71);
    first..first + var("RUSTENSOR_ROTATION_SEEDS", 4)
}

#[test]
fn sudo_rotates_the_validator_set_at_the_epoch_boundary_without_halting_slow_() {
    for seed in seeds() {
        println!("rotation: seed {seed}");
        rotation(seed);
    }
}

fn rotation(seed: u64) {
    runner(seed).start(|context| async move {
        let genesis = set(&[0, 1, 2, 3]);
        let (network, oracle) = simulated::Network::new_with_peers(
            context.child("network"),
            simulated::Config {
                max_size: MAX_MESSAGE,
                max_peers_per_set: NZUsize!(MAX_PEERS_PER_SET),
                disconnect_on_block: true,
                tracked_peer_sets: NZUsize!(3),
            },
            genesis.iter().cloned(),
        )
        .await;
        network.start();
        for a in 0..KEYS.len() {
            for b in 0..KEYS.len() {
                if a != b {
                    oracle.add_link(key(a), key(b), LINK).await.unwrap();
                }
            }
        }
        let mut nodes: Vec<Option<Validator>> = Vec::new();
        for i in 0..KEYS.len() {
            nodes.push(Some(start(&context, &oracle, i, tempfile::tempdir().unwrap()).await));
        }
        macro_rules! v {
            ($i:expr) => {
                nodes[$i].as_ref().unwrap()
            };
        }
        wait_all(&context, &[v!(0), v!(1), v!(2), v!(3)], 3, || {}).await;

        // Sudo schedules {Alice, Bob, Charlie, Eve} for epoch 1.
        let genesis_hash = v!(0).node.genesis_hash();
        let schedule = RuntimeCall::Validators(validators::Call::Schedule {
            validators: vec![info(0), info(1), info(2), info(4)],
        })
        .to_bytes()
        .unwrap();
        let mut call = vec![sudo::PALLET_INDEX, sudo::CALL_SUDO];
        call.extend_from_slice(&schedule);
        let xt = sign("Alice", 0, call, genesis_hash);
        for v in nodes.iter().take(4).flatten() {
            v.queue.push(xt.clone());
        }

        // Bob goes down in epoch 0 and sleeps through the boundary.
        wait_all(&context, &[v!(0)], 8, || {}).await;
        let bob = nodes[1].take().unwrap();
        let bob_dir = stop(&context, bob).await;

        // Epoch 1's quorum is 3 of {Alice, Bob, Charlie, Eve}: without Bob, Eve must sign.
        let mut grew: Vec<(u64, SystemTime)> = Vec::new();
        {
            let alice = v!(0);
            let clock = context.child("clock");
            wait_all(&context, &[v!(0), v!(2), v!(4)], 2 * EPOCH - 4, || {
                let h = height(alice);
                if grew.last().is_none_or(|(last, _)| *last < h) {
                    grew.push((h, clock.current()));
                }
            })
            .await;
        }
        // No halt at the boundary: the longest wait for the next block around it.
        let around: Vec<_> =
            grew.iter().filter(|(h, _)| (EPOCH - 3..=EPOCH + 2).contains(h)).collect();
        let worst = around
            .windows(2)
            .map(|w| w[1].1.duration_since(w[0].1).unwrap())
            .max()
            .unwrap();
        println!("rotation: longest block gap around the boundary {worst:?} ({} heights)", around.len());
        // Bob (down) leads some views: a gap of one leader timeout (2 s) is expected, a stall
        // would be many.
        assert!(worst < Duration::from_secs(5), "the chain stalled at the boundary: {worst:?}");

        // The state names the new set, and epoch 1's certificates are signed by it.
        let state = v!(0).node.store().state_at(EPOCH).unwrap();
        let active = validators::Active::get(&state).unwrap();
        assert_eq!(active.epoch, 1);
        assert_eq!(active.validators, vec![info(0), info(1), info(2), info(4)]);
        let new_set = Scheme::verifier(NAMESPACE, set(&[0, 1, 2, 4]));
        let old_set = Scheme::verifier(NAMESPACE, genesis.clone());
        let mut rng = commonware_utils::test_rng();
        let top = height(v!(0));
        let mut checked = 0;
        for n in EPOCH..=top {
            let Some(f) = finalization(v!(0), n) else { continue };
            assert_eq!(f.proposal.round.epoch().get(), n / EPOCH, "certificate epoch of #{n}");
            if n / EPOCH == 1 {
                assert!(f.verify(&mut rng, &new_set, &Sequential), "#{n} verifies under the new set");
                assert!(!f.verify(&mut rng, &old_set, &Sequential), "#{n} is not the old set's");
                checked += 1;
            }
        }
        assert!(checked >= 4, "epoch-1 certificates checked: {checked}");
        let eve = author_account(KEYS[4]).unwrap();
        let authored_by_eve = (EPOCH..=top)
            .filter(|n| {
                v!(0).node.app().with_chain(|c| {
                    let block = c.committed_block(*n).unwrap().unwrap();
                    header_author(&block.header).unwrap() == Some(eve)
                })
            })
            .count();
        assert!(authored_by_eve > 0, "Eve led rounds of epoch 1");

        // Bob comes back: he must fetch the boundary he missed and join epoch 1 (or 2).
        println!("rotation: Bob restarts");
        let bob = start(&context, &oracle, 1, bob_dir).await;
        nodes[1] = Some(bob);
        let target = height(v!(0)) + 6;
        wait_all(&context, &[v!(0), v!(1), v!(2), v!(4)], target, || {}).await;

        // Eve restarts in the middle of an epoch after the switch (her floor is a certificate
        // of that epoch), then Alice restarts on the last block of an epoch if the poll
        // catches it (her floor is then the next epoch's genesis).
        let eve = nodes[4].take().unwrap();
        let eve_dir = stop(&context, eve).await;
        let target = height(v!(0)) + 3;
        wait_all(&context, &[v!(0), v!(1), v!(2)], target, || {}).await;
        println!("rotation: Eve restarts");
        nodes[4] = Some(start(&context, &oracle, 4, eve_dir).await);
        let boundary = (height(v!(0)) / EPOCH + 1) * EPOCH - 1;
        loop {
            assert_eq!(v!(0).node.fatal(), None);
            if height(v!(0)) >= boundary {
                break;
            }
            context.sleep(Duration::from_millis(5)).await;
        }
        let alice = nodes[0].take().unwrap();
        let alice_stopped_at = height(&alice);
        let alice_dir = stop(&context, alice).await;
        nodes[0] = Some(start(&context, &oracle, 0, alice_dir).await);
        let target = height(v!(1)) + 6;
        wait_all(&context, &[v!(0), v!(1), v!(2), v!(4)], target, || {}).await;
        println!(
            "rotation: Alice restarted at #{alice_stopped_at} (boundary #{boundary}: {})",
            alice_stopped_at == boundary
        );

        // Charlie and Dave go: Alice, Bob and Eve are a quorum of the new set on their own.
        let charlie = nodes[2].take().unwrap();
        charlie.node.stop();
        let dave = nodes[3].take().unwrap();
        let dave_top = height(&dave);
        let dave_agrees_to = {
            let all = [v!(0), &dave];
            assert_agree(&all)
        };
        dave.node.stop();
        let target = height(v!(0)) + 10;
        wait_all(&context, &[v!(0), v!(1), v!(4)], target, || {}).await;
        let top = assert_agree(&[v!(0), v!(1), v!(4)]);
        println!(
            "rotation: Alice, Bob and Eve agree up to #{top} (epoch {}); Dave followed to #{dave_top}, agreeing to #{dave_agrees_to}; Eve authored {authored_by_eve} blocks",
            top / EPOCH
        );
        assert!(dave_agrees_to >= EPOCH - 1, "Dave agrees up to the boundary");
        for v in nodes.into_iter().flatten() {
            v.node.stop();
        }
    });
}
