//! The pool against real signed extrinsics on the dev chain (a store in a temp dir).

use std::sync::Arc;

use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_runtime::extrinsic::{
    AdditionalSigned, Era, MultiSignature, SignedExtra, UncheckedExtrinsic,
};
use rustensor_runtime::genesis::ChainSpec;
use rustensor_runtime::test_utils::{dev_account, dev_pair, transfer_keep_alive};

use super::*;
use crate::block::Block;
use crate::chain::{Chain, RUNTIME_VERSION};
use crate::store::{StateStore, StoreConfig};

struct Env {
    _dir: tempfile::TempDir,
    chain: Chain,
    pool: Mempool,
}

fn env_with(config: PoolConfig) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let store =
        Arc::new(StateStore::open(dir.path().join("state.redb"), StoreConfig::default()).unwrap());
    let chain = Chain::open(store.clone(), &ChainSpec::dev()).unwrap();
    let pool = Mempool::new(Arc::new(StoreValidator::new(store)), config);
    Env { _dir: dir, chain, pool }
}

fn env() -> Env {
    env_with(PoolConfig::default())
}

impl Env {
    /// A transfer of 1 000 RAO to Bob by `pair`, signed for this chain.
    fn signed_by(&self, pair: &Pair, nonce: u32, tip: u64, era: Era, birth: Hash) -> Vec<u8> {
        let genesis = self.chain.genesis_hash();
        let additional = AdditionalSigned {
            spec_version: RUNTIME_VERSION.spec_version,
            transaction_version: RUNTIME_VERSION.transaction_version,
            genesis_hash: genesis,
            birth_hash: birth,
            metadata_hash: None,
        };
        let extra = SignedExtra { era, nonce, tip, ..Default::default() };
        let call = transfer_keep_alive(dev_account("Bob"), 1_000);
        UncheckedExtrinsic::sign_sr25519(pair, call, extra, &additional).encode()
    }

    /// An immortal transfer by dev account `name`.
    fn xt(&self, name: &str, nonce: u32, tip: u64) -> Vec<u8> {
        self.signed_by(&dev_pair(name), nonce, tip, Era::Immortal, self.chain.genesis_hash())
    }

    /// Builds a block on the head with `xts`, tells the pool, finalizes it and tells the pool.
    fn block(&mut self, xts: Vec<Vec<u8>>) -> Block {
        let parent = self.chain.head().unwrap().hash;
        let built = self.chain.build(&parent, xts, None).unwrap();
        assert!(built.rejected.is_empty(), "{:?}", built.rejected);
        let hash = built.block.hash();
        self.pool.in_block(hash, &built.block.extrinsics);
        for block in self.chain.finalize(&hash).unwrap() {
            self.pool.finalized(block.hash(), &block.extrinsics);
        }
        built.block
    }
}

fn drain(rx: &mut TxStatusStream) -> Vec<TxStatus> {
    std::iter::from_fn(|| rx.try_recv().ok()).collect()
}

fn hash(xt: &[u8]) -> Hash {
    blake2_256(xt)
}

#[test]
fn valid_transaction_is_ready() {
    let env = env();
    let xt = env.xt("Alice", 0, 0);
    let (h, mut rx) = env.pool.watch(xt.clone()).unwrap();
    assert_eq!(h, hash(&xt));
    assert_eq!(drain(&mut rx), vec![TxStatus::Ready]);
    assert_eq!(env.pool.status(), PoolStatus { ready: 1, future: 0, bytes: xt.len() });
    assert_eq!(env.pool.ready(10), vec![xt.clone()]);
    assert_eq!(env.pool.pending(), vec![xt]);
}

#[test]
fn future_nonce_is_held_until_the_gap_fills() {
    let env = env();
    let later = env.xt("Alice", 1, 0);
    let (_, mut rx) = env.pool.watch(later.clone()).unwrap();
    assert_eq!(drain(&mut rx), vec![TxStatus::Future]);
    assert!(env.pool.ready(10).is_empty());
    assert_eq!(env.pool.status().future, 1);
    let first = env.xt("Alice", 0, 0);
    env.pool.submit(first.clone()).unwrap();
    assert_eq!(drain(&mut rx), vec![TxStatus::Ready]);
    assert_eq!(env.pool.ready(10), vec![first, later]);
    assert_eq!(env.pool.status().ready, 2);
    assert_eq!(env.pool.status().future, 0);
}

#[test]
fn next_index_counts_contiguous_pool_transactions() {
    let env = env();
    let alice = dev_account("Alice");
    assert_eq!(env.pool.next_index(&alice), 0);
    for nonce in [0, 1, 3] {
        env.pool.submit(env.xt("Alice", nonce, 0)).unwrap();
    }
    assert_eq!(env.pool.next_index(&alice), 2);
    assert_eq!(env.pool.next_index(&dev_account("Bob")), 0);
}

#[test]
fn higher_tip_replaces_and_usurps() {
    let env = env();
    let old = env.xt("Alice", 0, 0);
    let (_, mut rx) = env.pool.watch(old.clone()).unwrap();
    let new = env.xt("Alice", 0, 10);
    let new_hash = env.pool.submit(new.clone()).unwrap();
    assert_eq!(drain(&mut rx), vec![TxStatus::Ready, TxStatus::Usurped(new_hash)]);
    assert!(rx.try_recv().is_err(), "the subscription ends");
    assert!(!env.pool.contains(&hash(&old)));
    assert_eq!(env.pool.pending(), vec![new.clone()]);
    assert_eq!(env.pool.status(), PoolStatus { ready: 1, future: 0, bytes: new.len() });
}

#[test]
fn equal_or_lower_tip_is_refused() {
    let env = env();
    env.pool.submit(env.xt("Alice", 0, 10)).unwrap();
    // sr25519 signatures are randomized: same content, other bytes.
    assert_eq!(
        env.pool.submit(env.xt("Alice", 0, 10)),
        Err(PoolError::TooLowPriority { old: 1, new: 1 })
    );
    assert!(matches!(
        env.pool.submit(env.xt("Alice", 0, 5)),
        Err(PoolError::TooLowPriority { .. })
    ));
    assert_eq!(env.pool.len(), 1);
}

#[test]
fn same_bytes_twice_are_already_imported() {
    let env = env();
    let xt = env.xt("Alice", 0, 0);
    let h = env.pool.submit(xt.clone()).unwrap();
    assert_eq!(env.pool.submit(xt.clone()), Err(PoolError::AlreadyImported(h)));
    assert!(matches!(env.pool.watch(xt), Err(PoolError::AlreadyImported(_))));
}

#[test]
fn full_ready_pool_evicts_the_worst_and_drops_a_worst_newcomer() {
    let env = env_with(PoolConfig { max_ready: 2, ..PoolConfig::default() });
    let (_, mut alice) = env.pool.watch(env.xt("Alice", 0, 0)).unwrap();
    env.pool.submit(env.xt("Bob", 0, 5)).unwrap();
    // Charlie tips more than Alice: Alice (lowest tip) is evicted.
    env.pool.submit(env.xt("Charlie", 0, 10)).unwrap();
    assert_eq!(drain(&mut alice), vec![TxStatus::Ready, TxStatus::Dropped]);
    assert_eq!(env.pool.status().ready, 2);
    // Dave tips nothing: he is the worst himself.
    assert_eq!(env.pool.submit(env.xt("Dave", 0, 0)), Err(PoolError::ImmediatelyDropped));
    assert_eq!(env.pool.len(), 2);
    assert_eq!(env.pool.status().ready, 2);
}

#[test]
fn full_ready_pool_evicts_only_a_senders_highest_nonce() {
    let env = env_with(PoolConfig { max_ready: 2, ..PoolConfig::default() });
    let first = env.xt("Alice", 0, 0);
    env.pool.submit(first.clone()).unwrap();
    let (_, mut second) = env.pool.watch(env.xt("Alice", 1, 100)).unwrap();
    env.pool.submit(env.xt("Bob", 0, 200)).unwrap();
    // Alice's nonce 0 has the lowest tip, but only her nonce 1 (below Bob's tip) can go.
    assert_eq!(drain(&mut second), vec![TxStatus::Ready, TxStatus::Dropped]);
    assert!(env.pool.contains(&hash(&first)));
    assert_eq!(env.pool.next_index(&dev_account("Alice")), 1);
}

#[test]
fn full_future_queue_drops_the_newest() {
    let env = env_with(PoolConfig { max_future: 1, ..PoolConfig::default() });
    env.pool.submit(env.xt("Alice", 5, 0)).unwrap();
    assert_eq!(env.pool.submit(env.xt("Bob", 5, 0)), Err(PoolError::ImmediatelyDropped));
    // A better future transaction evicts the older, worse one.
    env.pool.submit(env.xt("Bob", 5, 1)).unwrap();
    assert_eq!(env.pool.status(), PoolStatus { future: 1, ..env.pool.status() });
    assert_eq!(env.pool.len(), 1);
}

#[test]
fn byte_limit_evicts_futures_first() {
    let env = env();
    let ready = env.xt("Alice", 0, 0);
    let limit = ready.len().saturating_mul(2);
    let env = Env {
        pool: Mempool::new(
            Arc::new(StoreValidator::new(env.chain.store().clone())),
            PoolConfig { max_bytes: limit, ..PoolConfig::default() },
        ),
        ..env
    };
    env.pool.submit(ready).unwrap();
    let (_, mut future) = env.pool.watch(env.xt("Bob", 3, 50)).unwrap();
    env.pool.submit(env.xt("Charlie", 0, 0)).unwrap();
    assert_eq!(drain(&mut future), vec![TxStatus::Future, TxStatus::Dropped]);
    assert_eq!(env.pool.status().ready, 2);
    assert!(env.pool.status().bytes <= limit);
}

#[test]
fn oversized_extrinsic_is_refused_before_decoding() {
    let env = env_with(PoolConfig { max_extrinsic_len: 100, ..PoolConfig::default() });
    let Err(PoolError::BadFormat(reason)) = env.pool.submit(vec![0xff; 101]) else {
        panic!("oversized bytes must be refused as bad format")
    };
    assert!(reason.contains("101 bytes exceeds the limit of 100"), "{reason}");
    let validator = StoreValidator::new(env.chain.store().clone()).with_max_len(10);
    let Err(PoolError::BadFormat(reason)) = validator.validate(&env.xt("Alice", 0, 0)) else {
        panic!("the validator has its own limit")
    };
    assert!(reason.contains("exceeds the limit of 10"), "{reason}");
}

#[test]
fn garbage_bytes_are_bad_format() {
    let env = env();
    for garbage in [vec![], vec![1, 2, 3], vec![0x0c, 0x99, 0, 0], vec![0xff; 64]] {
        assert!(
            matches!(env.pool.submit(garbage.clone()), Err(PoolError::BadFormat(_))),
            "{garbage:?}"
        );
    }
    assert!(env.pool.is_empty());
}

#[test]
fn bad_signature_is_invalid_bad_proof() {
    let env = env();
    let mut xt = UncheckedExtrinsic::decode(&env.xt("Alice", 0, 0)).unwrap();
    if let Some(part) = xt.signature.as_mut() {
        part.signature = MultiSignature::Sr25519([7; 64]);
    }
    assert_eq!(env.pool.submit(xt.encode()), Err(PoolError::Invalid(InvalidTransaction::BadProof)));
}

#[test]
fn stale_nonce_is_invalid_stale() {
    let mut env = env();
    env.block(vec![env.xt("Alice", 0, 0)]);
    assert_eq!(
        env.pool.submit(env.xt("Alice", 0, 0)),
        Err(PoolError::Invalid(InvalidTransaction::Stale))
    );
    assert_eq!(env.pool.next_index(&dev_account("Alice")), 1);
}

#[test]
fn era_from_an_unknown_birth_block_is_ancient() {
    let env = env();
    // Born at block 10, which does not exist yet.
    let xt = env.signed_by(&dev_pair("Alice"), 0, 0, Era::mortal(64, 10), [1; 32]);
    assert_eq!(env.pool.submit(xt), Err(PoolError::Invalid(InvalidTransaction::AncientBirthBlock)));
}

#[test]
fn expired_era_is_pruned_then_refused() {
    let mut env = env();
    let genesis = env.chain.genesis_hash();
    let era = Era::mortal(4, 0);
    // A future nonce, so it stays in the pool while blocks go by.
    let xt = env.signed_by(&dev_pair("Alice"), 1, 0, era, genesis);
    let (_, mut rx) = env.pool.watch(xt.clone()).unwrap();
    for _ in 0..4 {
        env.block(vec![]);
    }
    assert_eq!(drain(&mut rx), vec![TxStatus::Future, TxStatus::Invalid]);
    assert!(env.pool.is_empty());
    assert_eq!(env.pool.status(), PoolStatus::default());
    // Out of its era it signs the wrong birth hash: a bad proof, as on Substrate.
    assert_eq!(env.pool.submit(xt), Err(PoolError::Invalid(InvalidTransaction::BadProof)));
}

#[test]
fn insufficient_balance_is_invalid_payment() {
    let env = env();
    let pauper = Pair::from_uri("//Pauper", None).unwrap();
    let xt = env.signed_by(&pauper, 0, 0, Era::Immortal, env.chain.genesis_hash());
    assert_eq!(env.pool.submit(xt), Err(PoolError::Invalid(InvalidTransaction::Payment)));
}

#[test]
fn in_block_transactions_are_not_offered_again() {
    let env = env();
    let first = env.xt("Alice", 0, 0);
    let second = env.xt("Alice", 1, 0);
    let (_, mut rx) = env.pool.watch(first.clone()).unwrap();
    env.pool.submit(second.clone()).unwrap();
    env.pool.in_block([9; 32], std::slice::from_ref(&first));
    assert_eq!(drain(&mut rx), vec![TxStatus::Ready, TxStatus::InBlock([9; 32])]);
    assert_eq!(env.pool.ready(10), vec![second]);
    assert_eq!(env.pool.next_index(&dev_account("Alice")), 2);
}

#[test]
fn finalized_delivers_finalized_and_removes() {
    let env = env();
    let xt = env.xt("Alice", 0, 0);
    let (_, mut rx) = env.pool.watch(xt.clone()).unwrap();
    env.pool.finalized([5; 32], std::slice::from_ref(&xt));
    assert_eq!(drain(&mut rx), vec![TxStatus::Ready, TxStatus::Finalized([5; 32])]);
    assert!(env.pool.is_empty());
    assert_eq!(env.pool.status(), PoolStatus::default());
}

#[test]
fn retracted_transactions_are_ready_again() {
    let env = env();
    let xt = env.xt("Alice", 0, 0);
    let (_, mut rx) = env.pool.watch(xt.clone()).unwrap();
    env.pool.in_block([3; 32], std::slice::from_ref(&xt));
    assert!(env.pool.ready(10).is_empty());
    env.pool.retracted([3; 32], std::slice::from_ref(&xt));
    assert_eq!(
        drain(&mut rx),
        vec![TxStatus::Ready, TxStatus::InBlock([3; 32]), TxStatus::Retracted([3; 32])]
    );
    assert_eq!(env.pool.ready(10), vec![xt]);
}

#[test]
fn rejected_as_future_is_kept_until_the_next_finalized_block() {
    let env = env();
    let xt = env.xt("Alice", 0, 0);
    let (_, mut rx) = env.pool.watch(xt.clone()).unwrap();
    env.pool.rejected(&xt, ApplyError::Validity(InvalidTransaction::Future.into()));
    assert!(env.pool.contains(&hash(&xt)));
    assert!(env.pool.ready(10).is_empty(), "held back");
    assert_eq!(env.pool.status().future, 1);
    env.pool.finalized([1; 32], &[]);
    assert_eq!(drain(&mut rx), vec![TxStatus::Ready, TxStatus::Future, TxStatus::Ready]);
    assert_eq!(env.pool.ready(10), vec![xt]);
}

#[test]
fn rejected_for_another_reason_is_removed_as_invalid() {
    let env = env();
    let first = env.xt("Alice", 0, 0);
    let second = env.xt("Alice", 1, 0);
    let (_, mut rx) = env.pool.watch(first.clone()).unwrap();
    let (_, mut next) = env.pool.watch(second).unwrap();
    env.pool.rejected(&first, ApplyError::Validity(InvalidTransaction::Payment.into()));
    assert_eq!(drain(&mut rx), vec![TxStatus::Ready, TxStatus::Invalid]);
    // The gap makes the next nonce wait again.
    assert_eq!(drain(&mut next), vec![TxStatus::Ready, TxStatus::Future]);
    assert_eq!(env.pool.status().ready, 0);
    assert_eq!(env.pool.status().future, 1);
}

#[test]
fn ready_order_is_deterministic_and_nonce_ordered() {
    let env = env();
    let alice0 = env.xt("Alice", 0, 0);
    let alice1 = env.xt("Alice", 1, 100);
    let bob0 = env.xt("Bob", 0, 50);
    let charlie0 = env.xt("Charlie", 0, 50);
    for xt in [&alice1, &alice0, &bob0, &charlie0] {
        env.pool.submit(xt.clone()).unwrap();
    }
    // Tip first, then arrival; Alice's high tip on nonce 1 waits for her nonce 0.
    let expected = vec![bob0.clone(), charlie0, alice0, alice1];
    assert_eq!(env.pool.ready(10), expected);
    assert_eq!(env.pool.ready(10), expected);
    assert_eq!(env.pool.ready(1), vec![bob0]);
    assert!(env.pool.ready(0).is_empty());
}

#[test]
fn closed_watcher_does_not_break_the_pool() {
    let env = env();
    let xt = env.xt("Alice", 0, 0);
    let (_, rx) = env.pool.watch(xt.clone()).unwrap();
    drop(rx);
    env.pool.in_block([2; 32], std::slice::from_ref(&xt));
    env.pool.retracted([2; 32], std::slice::from_ref(&xt));
    assert_eq!(env.pool.ready(10), vec![xt.clone()]);
    env.pool.finalized([2; 32], std::slice::from_ref(&xt));
    assert!(env.pool.is_empty());
}

#[test]
fn full_watcher_loses_its_subscription_without_blocking() {
    let env = env();
    let xt = env.xt("Alice", 0, 0);
    let (_, mut rx) = env.pool.watch(xt.clone()).unwrap();
    for _ in 0..WATCH_CAPACITY.saturating_mul(2) {
        env.pool.in_block([4; 32], std::slice::from_ref(&xt));
        env.pool.retracted([4; 32], std::slice::from_ref(&xt));
    }
    assert_eq!(drain(&mut rx).len(), WATCH_CAPACITY);
    assert!(env.pool.contains(&hash(&xt)));
    assert_eq!(env.pool.ready(10), vec![xt]);
}

#[test]
fn finalization_drops_transactions_made_stale_by_another_one() {
    let mut env = env();
    let pooled = env.xt("Alice", 0, 0);
    let (_, mut rx) = env.pool.watch(pooled).unwrap();
    let future = env.xt("Alice", 2, 0);
    let (_, mut later) = env.pool.watch(future).unwrap();
    // Another Alice nonce-0 transaction, not from this pool, gets finalized, then nonce 1.
    env.block(vec![env.xt("Alice", 0, 1)]);
    assert_eq!(drain(&mut rx), vec![TxStatus::Ready, TxStatus::Invalid]);
    env.pool.submit(env.xt("Alice", 1, 0)).unwrap();
    assert_eq!(drain(&mut later), vec![TxStatus::Future, TxStatus::Ready]);
    assert_eq!(env.pool.next_index(&dev_account("Alice")), 3);
}

#[test]
fn transactions_flow_from_pool_to_block_to_finalized() {
    let mut env = env();
    let mut watchers = Vec::new();
    for nonce in 0..3 {
        watchers.push(env.pool.watch(env.xt("Alice", nonce, 0)).unwrap());
    }
    env.pool.submit(env.xt("Bob", 0, 0)).unwrap();
    let candidates = env.pool.ready(100);
    assert_eq!(candidates.len(), 4);
    let block = env.block(candidates);
    assert_eq!(block.extrinsics.len(), 4);
    let h = block.hash();
    for (_, rx) in &mut watchers {
        assert_eq!(drain(rx), vec![TxStatus::Ready, TxStatus::InBlock(h), TxStatus::Finalized(h)]);
    }
    assert!(env.pool.is_empty());
    assert_eq!(env.pool.status(), PoolStatus::default());
    assert_eq!(env.pool.next_index(&dev_account("Alice")), 3);
    // The next nonce is ready at once on the new state.
    let (_, mut rx) = env.pool.watch(env.xt("Alice", 3, 0)).unwrap();
    assert_eq!(drain(&mut rx), vec![TxStatus::Ready]);
}

#[test]
fn concurrent_submits_are_all_taken() {
    let env = env();
    let xts: Vec<Vec<u8>> = ["Alice", "Bob", "Charlie", "Dave"]
        .iter()
        .flat_map(|name| (0..8).map(|n| env.xt(name, n, 0)).collect::<Vec<_>>())
        .collect();
    std::thread::scope(|s| {
        for chunk in xts.chunks(8) {
            let pool = env.pool.clone();
            s.spawn(move || {
                for xt in chunk.iter().rev() {
                    pool.submit(xt.clone()).unwrap();
                }
            });
        }
    });
    assert_eq!(env.pool.status().ready, 32);
    assert_eq!(env.pool.ready(100).len(), 32);
}
