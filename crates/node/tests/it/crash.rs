//! Crash safety of the state store: a child process commits blocks in a loop and is killed
//! with SIGKILL at random moments; every reopen must find the last committed block whole.
//!
//! The child is this test binary itself, re-run with [`CHILD_ENV`] set so that only
//! [`crash_child`] does anything.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rustensor_node::store::{StateStore, StoreConfig};
use rustensor_runtime::storage::overlay::Change;
use rustensor_runtime::storage::{Kv, KvRead, MemoryKv};

/// Set (to the store's path) in the child process only.
const CHILD_ENV: &str = "RUSTENSOR_STORE_CRASH_CHILD";

const CONFIG: StoreConfig = StoreConfig { keep_recent: 8, archive: false };

fn block_hash(n: u64) -> [u8; 32] {
    let mut h = [0x5c; 32];
    h[..8].copy_from_slice(&n.to_be_bytes());
    h
}

/// Block `n`'s diff, a pure function of `n`: 100 puts over 400 keys, then 10 deletes.
fn block_diff(n: u64) -> BTreeMap<Vec<u8>, Change> {
    let mut diff = BTreeMap::new();
    for i in 0..100u64 {
        let key = format!("key/{:03}", (n * 37 + i * 11) % 400);
        diff.insert(key.into_bytes(), Some(format!("{n}:{i}").repeat(4).into_bytes()));
    }
    for i in 0..10u64 {
        diff.insert(format!("key/{:03}", (n * 13 + i * 41) % 400).into_bytes(), None);
    }
    diff
}

/// The child: commits blocks after the latest one until it is killed (or 5 000 blocks).
#[test]
fn crash_child() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let store = StateStore::open(Path::new(&path), CONFIG).expect("child opens the store");
    let first = store.latest().expect("latest").map_or(0, |h| h.number + 1);
    // Tell the parent that the kill can come now, so it does not land during process start.
    let mut stdout = std::io::stdout();
    stdout
        .write_all(b"\ncrash-child-ready\n")
        .and_then(|()| stdout.flush())
        .expect("signal the parent");
    // Bounded, so that a child whose parent died stops by itself.
    for n in first..first + 5_000 {
        store.commit_block(n, block_hash(n), &block_diff(n)).expect("child commits");
    }
}

#[test]
fn test_store_survives_sigkill_during_commits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("state.redb");
    let exe = std::env::current_exe().expect("test binary");
    let mut rng = StdRng::seed_from_u64(0x5eed);
    let mut replay = MemoryKv::default();
    let mut replayed: Option<u64> = None;
    let mut advanced = 0;
    for cycle in 0..12 {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash::crash_child", "--test-threads=1", "--nocapture"])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        // Wait (at most 30 s, never forever) until the child has opened the store.
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let ready = BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .any(|line| line.contains("crash-child-ready"));
            let _ = tx.send(ready);
        });
        if rx.recv_timeout(Duration::from_secs(30)) != Ok(true) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cycle {cycle}: the child did not start committing");
        }
        std::thread::sleep(Duration::from_millis(rng.gen_range(2..40)));
        // `Child::kill` is SIGKILL on Unix: no destructor, no flush, mid-commit most times.
        child.kill().expect("kill child");
        child.wait().expect("reap child");

        let store = StateStore::open(&path, CONFIG).expect("reopen after SIGKILL");
        let Some(head) = store.latest().expect("latest") else {
            assert_eq!(replayed, None, "cycle {cycle}: committed blocks were lost");
            continue;
        };
        // Nothing committed is lost.
        assert!(
            replayed.is_none_or(|r| head.number >= r),
            "cycle {cycle}: went back to {}",
            head.number
        );
        if replayed != Some(head.number) {
            advanced += 1;
        }
        assert_eq!(head.hash, block_hash(head.number));
        let from = replayed.map_or(0, |r| r + 1);
        for n in from..=head.number {
            for (k, v) in block_diff(n) {
                match v {
                    Some(v) => replay.put(&k, &v),
                    None => replay.delete(&k),
                }
            }
        }
        replayed = Some(head.number);

        // The state is exactly the replay of blocks 0..=head, and the root is its root.
        let mut view = store.state_at(head.number).expect("state at head");
        let state: Vec<_> = view.iter_from(&[]).collect();
        view.check().expect("no read errors");
        let expected: Vec<_> = replay.iter_from(&[]).collect();
        assert_eq!(state, expected, "cycle {cycle}: state of block {}", head.number);
        let puts: BTreeMap<Vec<u8>, Change> =
            expected.into_iter().map(|(k, v)| (k, Some(v))).collect();
        let fresh = store.speculative_root(None, &[], &puts).expect("root of a fresh tree");
        assert_eq!(fresh, head.root, "cycle {cycle}: root of block {}", head.number);
        // The retained history is readable too.
        let oldest = store.oldest_retained().expect("oldest").expect("some");
        assert_eq!(oldest, head.number.saturating_sub(CONFIG.keep_recent - 1));
        store.prove(b"key/000", oldest).expect("proof at the oldest retained block");
    }
    eprintln!("12 kill/reopen cycles: head reached block {replayed:?}, advanced in {advanced}");
    assert!(advanced >= 8, "the child committed in only {advanced} of 12 cycles");
}
