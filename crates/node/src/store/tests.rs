use std::collections::BTreeMap;

use proptest::prelude::*;
use redb::{ReadableDatabase, ReadableTableMetadata};
use rustensor_runtime::storage::{Kv, KvRead, MemoryKv};

use super::*;

type Diff = BTreeMap<Vec<u8>, Change>;

fn diff(entries: &[(&str, Option<&str>)]) -> Diff {
    entries.iter().map(|(k, v)| (k.as_bytes().to_vec(), v.map(|v| v.as_bytes().to_vec()))).collect()
}

fn hash(n: u64) -> [u8; 32] {
    let mut h = [0xaa; 32];
    h[..8].copy_from_slice(&n.to_be_bytes());
    h
}

fn open(dir: &tempfile::TempDir, config: StoreConfig) -> StateStore {
    StateStore::open(dir.path().join("state.redb"), config).expect("open")
}

fn archive() -> StoreConfig {
    StoreConfig { keep_recent: 1, archive: true }
}

fn apply(kv: &mut MemoryKv, diff: &Diff) {
    for (k, v) in diff {
        match v {
            Some(v) => kv.put(k, v),
            None => kv.delete(k),
        }
    }
}

fn all(view: &impl KvRead) -> Vec<(Vec<u8>, Vec<u8>)> {
    view.iter_from(&[]).collect()
}

/// The whole state as one diff of puts: committing it on an empty tree gives its root.
fn as_puts(kv: &MemoryKv) -> Diff {
    kv.entries().iter().map(|(k, v)| (k.clone(), Some(v.clone()))).collect()
}

fn tree_nodes(store: &StateStore) -> u64 {
    let txn = store.db.begin_read().expect("read");
    txn.open_table(tree::NODES).expect("nodes").len().expect("len")
}

/// Keys with shared prefixes (`""`, `a`, `ab`, `abc`, `b` then 0–2 bytes), so that prefix
/// and `next_key` boundaries are exercised.
fn key() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(vec![&b""[..], b"a", b"ab", b"abc", b"b"]),
        prop::collection::vec(prop::sample::select(vec![0u8, 1, b'a', 0xff]), 0..3),
    )
        .prop_map(|(p, s)| [p, &s[..]].concat())
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        1 => Just(None),
        2 => prop::collection::vec(any::<u8>(), 0..4).prop_map(Some),
    ]
}

fn diffs() -> impl Strategy<Value = Vec<Diff>> {
    prop::collection::vec(prop::collection::btree_map(key(), change(), 0..12), 1..30)
}

#[test]
fn test_commit_then_reopen_keeps_latest_root_and_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (r0, r1) = {
        let store = open(&dir, StoreConfig::default());
        assert_eq!(store.latest().expect("latest"), None);
        let r0 = store
            .commit_block(0, hash(0), &diff(&[("a", Some("1")), ("b", Some("2"))]))
            .expect("commit");
        let r1 = store
            .commit_block(1, hash(1), &diff(&[("a", None), ("c", Some("3"))]))
            .expect("commit");
        (r0, r1)
    };
    let store = open(&dir, StoreConfig::default());
    assert_eq!(store.latest().expect("latest"), Some(Head { number: 1, hash: hash(1), root: r1 }));
    assert_eq!(store.root_at(0).expect("root"), Some(r0));
    assert_eq!(store.hash_of(1).expect("hash"), Some(hash(1)));
    assert_eq!(store.number_of(hash(0)).expect("number"), Some(0));
    assert_eq!(store.number_of([7; 32]).expect("number"), None);
    let head = store.state_at(1).expect("state");
    assert_eq!(all(&head), vec![(b"b".to_vec(), b"2".to_vec()), (b"c".to_vec(), b"3".to_vec())]);
    let before = store.state_at(0).expect("state");
    assert_eq!(before.get(b"a"), Some(b"1".to_vec()));
    assert_eq!(before.get(b"c"), None);
    // The next block continues where the first process stopped.
    assert!(matches!(
        store.commit_block(1, hash(9), &Diff::new()),
        Err(Error::NotNext { expected: 2, got: 1 })
    ));
    store.commit_block(2, hash(2), &Diff::new()).expect("commit");
}

#[test]
fn test_commit_block_rejects_gaps_duplicates_and_unknown_blocks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir, StoreConfig::default());
    assert!(matches!(
        store.commit_block(1, hash(1), &Diff::new()),
        Err(Error::NotNext { expected: 0, got: 1 })
    ));
    store.commit_block(0, hash(0), &Diff::new()).expect("genesis");
    assert!(matches!(
        store.commit_block(2, hash(2), &Diff::new()),
        Err(Error::NotNext { expected: 1, got: 2 })
    ));
    assert!(matches!(
        store.commit_block(1, hash(0), &Diff::new()),
        Err(Error::DuplicateHash { number: 0, .. })
    ));
    assert!(matches!(store.state_at(1), Err(Error::Unknown { number: 1, latest: Some(0) })));
    assert!(matches!(
        store.speculative_root(Some(3), &[], &Diff::new()),
        Err(Error::Unknown { .. })
    ));
    // A refused commit wrote nothing.
    assert_eq!(store.latest().expect("latest").map(|h| h.number), Some(0));
}

#[test]
fn test_open_reports_bad_files_and_config_without_panicking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let garbage = dir.path().join("garbage.redb");
    std::fs::write(&garbage, vec![0x5a; 8192]).expect("write");
    let err = StateStore::open(&garbage, StoreConfig::default()).expect_err("garbage");
    assert!(matches!(err, Error::Open { .. }), "{err}");
    assert!(err.to_string().contains("garbage.redb"), "{err}");

    let good = dir.path().join("nested/dir/state.redb");
    {
        let store = StateStore::open(&good, StoreConfig::default()).expect("open creates dirs");
        store.commit_block(0, hash(0), &diff(&[("a", Some("1"))])).expect("commit");
    }
    let bytes = std::fs::read(&good).expect("read");
    let truncated = dir.path().join("truncated.redb");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).expect("write");
    // Either refused with an error or opened; never a panic.
    if let Ok(store) = StateStore::open(&truncated, StoreConfig::default()) {
        let _ = store.latest();
    }

    assert!(matches!(
        StateStore::open(dir.path().join("x.redb"), StoreConfig { keep_recent: 0, archive: false }),
        Err(Error::Config(_))
    ));
    // A second open of a file in use is an error, not a hang or a panic.
    let store = StateStore::open(&good, StoreConfig::default()).expect("open");
    assert!(matches!(StateStore::open(&good, StoreConfig::default()), Err(Error::Open { .. })));
    drop(store);
}

#[test]
fn test_root_depends_only_on_the_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    // One block with everything, or three blocks reaching the same state.
    let one = open(&dir, archive());
    let r_one = one
        .commit_block(0, hash(0), &diff(&[("a", Some("1")), ("b", Some("2")), ("c", Some("3"))]))
        .expect("c");
    let dir2 = tempfile::tempdir().expect("tempdir");
    let three = open(&dir2, archive());
    three.commit_block(0, hash(0), &diff(&[("c", Some("3")), ("x", Some("9"))])).expect("c");
    three.commit_block(1, hash(1), &diff(&[("b", Some("0")), ("x", None)])).expect("c");
    let r_three = three
        .commit_block(2, hash(2), &diff(&[("a", Some("1")), ("b", Some("2")), ("zz", None)]))
        .expect("c");
    assert_eq!(r_one, r_three);
    // Map insertion order does not reach the tree.
    let mut reversed = Diff::new();
    for (k, v) in [("c", "3"), ("b", "2"), ("a", "1")] {
        reversed.insert(k.into(), Some(v.into()));
    }
    assert_eq!(one.speculative_root(None, &[], &reversed).expect("root"), r_one);
    // Another value, another key, or a missing key give another root; so does the empty state.
    for other in [
        diff(&[("a", Some("1")), ("b", Some("2")), ("c", Some("4"))]),
        diff(&[("a", Some("1")), ("b", Some("2")), ("d", Some("3"))]),
        diff(&[("a", Some("1")), ("b", Some("2"))]),
        diff(&[("a", Some("1")), ("b", Some("2")), ("c", Some(""))]),
        Diff::new(),
    ] {
        assert_ne!(one.speculative_root(None, &[], &other).expect("root"), r_one, "{other:?}");
    }
    // Deleting everything gives the empty root again.
    let r_empty = one.speculative_root(None, &[], &Diff::new()).expect("root");
    let gone =
        one.commit_block(1, hash(1), &diff(&[("a", None), ("b", None), ("c", None)])).expect("c");
    assert_eq!(gone, r_empty);
    // A block that changes nothing keeps the root.
    assert_eq!(one.commit_block(2, hash(2), &Diff::new()).expect("c"), r_empty);
    assert_eq!(one.commit_block(3, hash(3), &diff(&[("q", None)])).expect("c"), r_empty);
}

#[test]
fn test_proofs_verify_present_and_absent_keys_and_reject_wrong_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir, StoreConfig::default());
    let entries: Vec<(String, Option<String>)> =
        (0..50).map(|i| (format!("key{i}"), Some(format!("v{i}")))).collect();
    let genesis: Diff = entries
        .iter()
        .map(|(k, v)| (k.clone().into_bytes(), v.clone().map(String::into_bytes)))
        .collect();
    let r0 = store.commit_block(0, hash(0), &genesis).expect("commit");
    let r1 = store
        .commit_block(1, hash(1), &diff(&[("key3", None), ("key4", Some("new"))]))
        .expect("commit");

    let (value, proof) = store.prove(b"key7", 1).expect("prove");
    assert_eq!(value.as_deref(), Some(&b"v7"[..]));
    assert!(verify_proof(r1, b"key7", Some(b"v7"), &proof));
    assert!(!verify_proof(r1, b"key7", Some(b"v8"), &proof));
    assert!(!verify_proof(r1, b"key7", None, &proof));
    assert!(!verify_proof(r1, b"key8", Some(b"v7"), &proof));
    assert!(!verify_proof([1; 32], b"key7", Some(b"v7"), &proof));
    // Unchanged between blocks 0 and 1, but the roots differ: a proof is for one root.
    assert!(!verify_proof(r0, b"key7", Some(b"v7"), &proof));

    // Absent: never written, and deleted in block 1.
    for key in [&b"nope"[..], b"key3"] {
        let (value, proof) = store.prove(key, 1).expect("prove");
        assert_eq!(value, None);
        assert!(verify_proof(r1, key, None, &proof));
        assert!(!verify_proof(r1, key, Some(b"v3"), &proof));
    }
    // Historical: key3 existed at block 0, key4 had its old value.
    let (value, proof) = store.prove(b"key3", 0).expect("prove");
    assert_eq!(value.as_deref(), Some(&b"v3"[..]));
    assert!(verify_proof(r0, b"key3", Some(b"v3"), &proof));
    let (value, proof) = store.prove(b"key4", 0).expect("prove");
    assert!(verify_proof(r0, b"key4", value.as_deref(), &proof));
    assert_eq!(value.as_deref(), Some(&b"v4"[..]));

    // The wire form round-trips and junk does not decode.
    let decoded = Proof::from_bytes(&proof.to_bytes()).expect("decode");
    assert!(verify_proof(r0, b"key4", Some(b"v4"), &decoded));
    assert!(Proof::from_bytes(&[0xff; 7]).is_none());

    // Proofs over an empty state.
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = open(&dir, StoreConfig::default());
    let r = empty.commit_block(0, hash(0), &Diff::new()).expect("commit");
    let (value, proof) = empty.prove(b"a", 0).expect("prove");
    assert_eq!(value, None);
    assert!(verify_proof(r, b"a", None, &proof));
}

#[test]
fn test_pruning_drops_history_beyond_keep_recent_and_archive_keeps_all() {
    let block = |n: u64| diff(&[("counter", Some(&n.to_string())), ("same", Some("x"))]);
    let dir = tempfile::tempdir().expect("tempdir");
    let pruned = open(&dir, StoreConfig { keep_recent: 3, archive: false });
    let dir2 = tempfile::tempdir().expect("tempdir");
    let full = open(&dir2, StoreConfig { keep_recent: 3, archive: true });
    for n in 0..40 {
        let a = pruned.commit_block(n, hash(n), &block(n)).expect("commit");
        let b = full.commit_block(n, hash(n), &block(n)).expect("commit");
        assert_eq!(a, b);
    }
    assert_eq!(pruned.oldest_retained().expect("oldest"), Some(37));
    assert!(matches!(pruned.state_at(36), Err(Error::Pruned { number: 36, oldest: 37 })));
    assert!(matches!(pruned.prove(b"counter", 0), Err(Error::Pruned { .. })));
    assert!(matches!(
        pruned.speculative_root(Some(36), &[], &Diff::new()),
        Err(Error::Pruned { .. })
    ));
    for n in 37..40 {
        assert_eq!(
            pruned.state_at(n).expect("state").get(b"counter"),
            Some(n.to_string().into_bytes())
        );
        let (value, proof) = pruned.prove(b"counter", n).expect("prove");
        let root = pruned.root_at(n).expect("root").expect("known");
        assert!(verify_proof(root, b"counter", value.as_deref(), &proof));
    }
    // The block index outlives the state.
    assert!(pruned.root_at(0).expect("root").is_some());
    assert_eq!(full.oldest_retained().expect("oldest"), Some(0));
    for n in 0..40 {
        assert_eq!(
            full.state_at(n).expect("state").get(b"counter"),
            Some(n.to_string().into_bytes())
        );
    }
    // Stale tree nodes and undo entries are really gone.
    assert!(
        tree_nodes(&pruned) * 5 < tree_nodes(&full),
        "{} vs {}",
        tree_nodes(&pruned),
        tree_nodes(&full)
    );
    // Reads at 37..=39 need the undo entries of blocks 38 and 39 only (two keys each).
    let txn = pruned.db.begin_read().expect("read");
    assert_eq!(txn.open_table(UNDO).expect("undo").len().expect("len"), 2 * 2);
    assert_eq!(txn.open_table(CHANGED).expect("changed").len().expect("len"), 2 * 2);
}

#[test]
fn test_reopen_without_archive_prunes_an_archive() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let store = open(&dir, archive());
        for n in 0..10 {
            store.commit_block(n, hash(n), &diff(&[("k", Some(&n.to_string()))])).expect("commit");
        }
    }
    let store = open(&dir, StoreConfig { keep_recent: 2, archive: false });
    store.commit_block(10, hash(10), &Diff::new()).expect("commit");
    assert_eq!(store.oldest_retained().expect("oldest"), Some(9));
    assert_eq!(store.state_at(9).expect("state").get(b"k"), Some(b"9".to_vec()));
    assert!(matches!(store.state_at(8), Err(Error::Pruned { .. })));
}

#[test]
fn test_executive_runs_on_a_state_view() {
    use rustensor_runtime::executive::Executive;
    use rustensor_runtime::pallets::Runtime;
    use rustensor_runtime::test_utils::{
        TEST_GENESIS_HASH, TEST_VERSION, dev_account, dev_genesis, dev_pair, sign_call,
        transfer_keep_alive,
    };

    let genesis = dev_genesis(1_000_000_000_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(&dir, StoreConfig::default());
    store.commit_block(0, TEST_GENESIS_HASH, &as_puts(&genesis)).expect("genesis");

    let transfer = sign_call(&dev_pair("Alice"), 0, transfer_keep_alive(dev_account("Bob"), 7));
    let run = |base: &dyn KvRead| {
        let mut block =
            Executive::initialize_block(base, Runtime, TEST_VERSION, 1, TEST_GENESIS_HASH);
        assert_eq!(block.apply_extrinsic(&transfer).map(|a| a.result), Ok(Ok(())));
        block.finalize_block().into_parts().1
    };
    let mut view = store.state_at(0).expect("state");
    let changes = run(&view);
    view.check().expect("no read errors");
    assert_eq!(changes, run(&genesis));
    let root = store.commit_block(1, [1; 32], &changes).expect("commit");

    let mut expected = genesis;
    apply(&mut expected, &changes);
    assert_eq!(all(&store.state_at(1).expect("state")), all(&expected));
    assert_eq!(store.speculative_root(None, &[], &as_puts(&expected)).expect("root"), root);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn test_state_at_matches_memory_replay(diffs in diffs(), keep_recent in 1u64..40) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = open(&dir, StoreConfig { keep_recent, archive: false });
        let mut replay = Vec::new();
        let mut kv = MemoryKv::default();
        for (n, d) in (0u64..).zip(&diffs) {
            store.commit_block(n, hash(n), d).expect("commit");
            apply(&mut kv, d);
            replay.push(kv.clone());
        }
        let latest = replay.len() as u64 - 1;
        let oldest = latest.saturating_sub(keep_recent - 1);
        prop_assert_eq!(store.oldest_retained().expect("oldest"), Some(oldest));
        let probes: Vec<Vec<u8>> = diffs.iter().flat_map(|d| d.keys().cloned()).chain([vec![], b"a".to_vec(), b"zz".to_vec()]).collect();
        for (n, expected) in (0u64..).zip(&replay) {
            if n < oldest {
                let pruned = matches!(store.state_at(n), Err(Error::Pruned { .. }));
                prop_assert!(pruned, "block {} is not pruned", n);
                continue;
            }
            let mut view = store.state_at(n).expect("state");
            prop_assert_eq!(all(&view), all(expected));
            for key in &probes {
                prop_assert_eq!(view.get(key), expected.get(key));
                prop_assert_eq!(view.next_key(key), expected.next_key(key));
                prop_assert_eq!(view.iter_from(key).collect::<Vec<_>>(), expected.iter_from(key).collect::<Vec<_>>());
                prop_assert_eq!(view.iter_prefix(key).collect::<Vec<_>>(), expected.iter_prefix(key).collect::<Vec<_>>());
            }
            view.check().expect("no read errors");
            // The committed root is the root of the state, however it was reached.
            let root = store.root_at(n).expect("root").expect("known");
            prop_assert_eq!(store.speculative_root(None, &[], &as_puts(expected)).expect("root"), root);
        }
    }

    #[test]
    fn test_speculative_root_equals_committed_root(diffs in diffs(), split in 0usize..30) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = open(&dir, archive());
        let split = split % diffs.len();
        // Before genesis: the whole chain as pending diffs.
        let refs: Vec<&Diff> = diffs.iter().collect();
        let (last, pending) = refs.split_last().expect("at least one block");
        let chain_root = store.speculative_root(None, pending, last).expect("root");
        let mut roots = Vec::new();
        for (n, d) in (0u64..).zip(&diffs) {
            let parent = n.checked_sub(1);
            let predicted = store.speculative_root(parent, &[], d).expect("root");
            let committed = store.commit_block(n, hash(n), d).expect("commit");
            prop_assert_eq!(predicted, committed);
            roots.push(committed);
        }
        prop_assert_eq!(chain_root, *roots.last().expect("roots"));
        // From a committed block in the middle, with later blocks as pending diffs (also
        // when those blocks are committed already).
        let (last, pending) = refs[split..].split_last().expect("non-empty");
        let parent = (split as u64).checked_sub(1);
        prop_assert_eq!(store.speculative_root(parent, pending, last).expect("root"), *roots.last().expect("roots"));
    }
}

#[test]
fn finality_proofs_of_the_latest_blocks_checkpoints_and_epoch_ends_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, StoreConfig::default());
    for n in 1..=700u64 {
        store.put_finality(n, &n.to_le_bytes(), 1000).unwrap();
    }
    let kept: Vec<u64> = (1..=700).filter(|n| store.finality(*n).unwrap().is_some()).collect();
    let mut expected = vec![256, 512];
    expected.extend(684..=700);
    assert_eq!(kept, expected);
    assert_eq!(store.finality(512).unwrap(), Some(512u64.to_le_bytes().to_vec()));

    // With epochs of 100 blocks, the last block of each epoch is kept too.
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, StoreConfig::default());
    for n in 1..=700u64 {
        store.put_finality(n, &n.to_le_bytes(), 100).unwrap();
    }
    let kept: Vec<u64> = (1..=700).filter(|n| store.finality(*n).unwrap().is_some()).collect();
    let mut expected = vec![99, 199, 256, 299, 399, 499, 512, 599];
    expected.extend(684..=700);
    assert_eq!(kept, expected);
}
