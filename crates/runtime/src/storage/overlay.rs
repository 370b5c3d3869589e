//! Buffered writes over a base view, with nested transactional layers.
//!
//! An [`Overlay`] holds every change made on top of a read-only base (the parent block's state,
//! or another overlay) as one map `key -> Some(value) | None (deleted)`. Reads look at that map
//! first and fall through to the base; ordered iteration merges both and hides deleted keys.
//!
//! Transactions are kept as an undo journal per open layer rather than a map per layer, so
//! reads cost one lookup however deep the nesting is. [`Overlay::start_transaction`] opens a
//! layer; [`Overlay::commit_transaction`] keeps its writes (handing the undo entries to the
//! layer below, so an outer rollback still undoes them); [`Overlay::rollback_transaction`]
//! restores every key the layer touched. [`Overlay::with_transaction`] wraps a closure: `Ok`
//! commits, `Err` rolls back. This is how a failed extrinsic leaves no trace.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::iter::Peekable;
use std::ops::Bound;

use super::backend::{Kv, KvIter, KvRead};

/// The pending change of one key: `Some(value)` written, `None` deleted.
pub type Change = Option<Vec<u8>>;

/// Errors from transactional layer bookkeeping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OverlayError {
    /// Commit or rollback was asked for while no transactional layer was open.
    #[error("no open transactional layer to commit or roll back")]
    NoTransaction,
}

/// Writes buffered over a base view `B`, with nested transactional layers.
#[derive(Clone, Debug)]
pub struct Overlay<B> {
    base: B,
    changes: BTreeMap<Vec<u8>, Change>,
    /// One undo journal per open layer: `(key, entry before the write)`, where the outer
    /// `None` means the key had no pending change.
    layers: Vec<Vec<(Vec<u8>, Option<Change>)>>,
}

impl<B: KvRead> Overlay<B> {
    /// An overlay with no changes over `base`.
    pub fn new(base: B) -> Self {
        Self { base, changes: BTreeMap::new(), layers: Vec::new() }
    }

    /// The base view.
    pub fn base(&self) -> &B {
        &self.base
    }

    /// The pending changes in ascending key order (`None` = deleted), open layers included.
    pub fn changes(&self) -> &BTreeMap<Vec<u8>, Change> {
        &self.changes
    }

    /// The number of open transactional layers.
    pub fn transaction_depth(&self) -> usize {
        self.layers.len()
    }

    /// Gives back the base and the pending changes; open layers count as committed.
    pub fn into_parts(self) -> (B, BTreeMap<Vec<u8>, Change>) {
        (self.base, self.changes)
    }

    /// Opens a transactional layer.
    pub fn start_transaction(&mut self) {
        self.layers.push(Vec::new());
    }

    /// Closes the innermost layer and keeps its writes.
    ///
    /// # Errors
    ///
    /// [`OverlayError::NoTransaction`] if no layer is open.
    pub fn commit_transaction(&mut self) -> Result<(), OverlayError> {
        let journal = self.layers.pop().ok_or(OverlayError::NoTransaction)?;
        if let Some(parent) = self.layers.last_mut() {
            parent.extend(journal);
        }
        Ok(())
    }

    /// Closes the innermost layer and undoes every write made in it.
    ///
    /// # Errors
    ///
    /// [`OverlayError::NoTransaction`] if no layer is open.
    pub fn rollback_transaction(&mut self) -> Result<(), OverlayError> {
        let journal = self.layers.pop().ok_or(OverlayError::NoTransaction)?;
        for (key, before) in journal.into_iter().rev() {
            match before {
                None => {
                    self.changes.remove(&key);
                }
                Some(change) => {
                    self.changes.insert(key, change);
                }
            }
        }
        Ok(())
    }

    /// Runs `f` in a new layer: commits it if `f` returns `Ok`, rolls it back on `Err`.
    pub fn with_transaction<T, E>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, E>,
    ) -> Result<T, E> {
        self.start_transaction();
        let depth = self.layers.len();
        let result = f(self);
        // `f` may have left inner layers open; they belong to this transaction.
        while self.layers.len() > depth {
            let closed = if result.is_ok() {
                self.commit_transaction()
            } else {
                self.rollback_transaction()
            };
            debug_assert!(closed.is_ok(), "layers.len() > depth >= 1, so one is open");
        }
        let closed =
            if result.is_ok() { self.commit_transaction() } else { self.rollback_transaction() };
        debug_assert!(closed.is_ok(), "the layer opened above is still open");
        result
    }

    /// Writes every pending change into `target` and clears them (open layers are dropped).
    pub fn drain_into(&mut self, target: &mut impl Kv) {
        self.layers.clear();
        for (key, change) in std::mem::take(&mut self.changes) {
            match change {
                Some(value) => target.put(&key, &value),
                None => target.delete(&key),
            }
        }
    }

    fn record(&mut self, key: &[u8], change: Change) {
        let before = self.changes.insert(key.to_vec(), change);
        if let Some(journal) = self.layers.last_mut() {
            journal.push((key.to_vec(), before));
        }
    }
}

impl<B: KvRead> KvRead for Overlay<B> {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        match self.changes.get(key) {
            Some(change) => change.clone(),
            None => self.base.get(key),
        }
    }

    fn contains(&self, key: &[u8]) -> bool {
        match self.changes.get(key) {
            Some(change) => change.is_some(),
            None => self.base.contains(key),
        }
    }

    fn iter_from(&self, start: &[u8]) -> KvIter<'_> {
        let changes = self
            .changes
            .range::<[u8], _>((Bound::Included(start), Bound::Unbounded))
            .map(|(k, v)| (k.clone(), v.clone()));
        Box::new(Merge { changes: changes.peekable(), base: self.base.iter_from(start).peekable() })
    }
}

impl<B: KvRead> Kv for Overlay<B> {
    fn put(&mut self, key: &[u8], value: &[u8]) {
        self.record(key, Some(value.to_vec()));
    }

    fn delete(&mut self, key: &[u8]) {
        self.record(key, None);
    }
}

/// Merges the overlay's changes with the base, both ascending; a change shadows the base entry
/// with the same key, and a deletion hides it.
struct Merge<'a, C: Iterator<Item = (Vec<u8>, Change)>> {
    changes: Peekable<C>,
    base: Peekable<KvIter<'a>>,
}

impl<C: Iterator<Item = (Vec<u8>, Change)>> Iterator for Merge<'_, C> {
    type Item = (Vec<u8>, Vec<u8>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let order = match (self.changes.peek(), self.base.peek()) {
                (None, None) => return None,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some((ck, _)), Some((bk, _))) => ck.cmp(bk),
            };
            if order == Ordering::Equal {
                // The change shadows the base entry.
                self.base.next();
            }
            let take_change = order != Ordering::Greater;
            if !take_change {
                return self.base.next();
            }
            match self.changes.next() {
                Some((key, Some(value))) => return Some((key, value)),
                // Deleted: hide it and look further.
                Some((_, None)) => continue,
                None => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryKv;
    use proptest::prelude::*;

    fn base() -> MemoryKv {
        let mut kv = MemoryKv::new();
        for (k, v) in [(&b"a"[..], &b"1"[..]), (b"b", b"2"), (b"c", b"3"), (b"d", b"4")] {
            kv.put(k, v);
        }
        kv
    }

    fn all(kv: &impl KvRead) -> Vec<(Vec<u8>, Vec<u8>)> {
        kv.iter_from(b"").collect()
    }

    #[test]
    fn test_overlay_reads_through_and_shadows_base() {
        let mut ov = Overlay::new(base());
        ov.put(b"b", b"20");
        ov.delete(b"c");
        ov.put(b"bb", b"25");
        ov.delete(b"zz");
        assert_eq!(ov.get(b"a"), Some(b"1".to_vec()));
        assert_eq!(ov.get(b"b"), Some(b"20".to_vec()));
        assert_eq!(ov.get(b"c"), None);
        assert!(!ov.contains(b"c"));
        let keys: Vec<Vec<u8>> = all(&ov).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, vec![b"a".to_vec(), b"b".to_vec(), b"bb".to_vec(), b"d".to_vec()]);
        assert_eq!(ov.next_key(b"b"), Some(b"bb".to_vec()));
        assert_eq!(ov.next_key(b"bb"), Some(b"d".to_vec()));
        assert_eq!(ov.iter_prefix(b"b").count(), 2);
    }

    #[test]
    fn test_overlay_rollback_restores_nested_layers() {
        let mut ov = Overlay::new(base());
        ov.put(b"a", b"10");
        ov.start_transaction();
        ov.put(b"a", b"11");
        ov.delete(b"b");
        ov.start_transaction();
        ov.put(b"e", b"5");
        ov.put(b"a", b"12");
        ov.commit_transaction().unwrap();
        assert_eq!(ov.get(b"a"), Some(b"12".to_vec()));
        assert_eq!(ov.get(b"e"), Some(b"5".to_vec()));
        ov.rollback_transaction().unwrap();
        assert_eq!(ov.get(b"a"), Some(b"10".to_vec()));
        assert_eq!(ov.get(b"b"), Some(b"2".to_vec()));
        assert_eq!(ov.get(b"e"), None);
        assert_eq!(ov.changes().len(), 1);
        assert_eq!(ov.rollback_transaction(), Err(OverlayError::NoTransaction));
        assert_eq!(ov.commit_transaction(), Err(OverlayError::NoTransaction));
    }

    #[test]
    fn test_overlay_with_transaction_commits_ok_and_rolls_back_err() {
        let mut ov = Overlay::new(base());
        let ok: Result<(), ()> = ov.with_transaction(|ov| {
            ov.put(b"x", b"1");
            Ok(())
        });
        assert!(ok.is_ok());
        let err: Result<(), &str> = ov.with_transaction(|ov| {
            ov.put(b"y", b"1");
            ov.start_transaction(); // left open on purpose
            ov.delete(b"x");
            Err("failed")
        });
        assert_eq!(err, Err("failed"));
        assert_eq!(ov.transaction_depth(), 0);
        assert_eq!(ov.get(b"x"), Some(b"1".to_vec()));
        assert_eq!(ov.get(b"y"), None);
    }

    #[test]
    fn test_overlay_drain_into_applies_changes() {
        let mut ov = Overlay::new(MemoryKv::new());
        ov.put(b"k", b"v");
        let mut target = base();
        ov.delete(b"a");
        ov.drain_into(&mut target);
        assert_eq!(target.get(b"k"), Some(b"v".to_vec()));
        assert_eq!(target.get(b"a"), None);
        assert!(ov.changes().is_empty());
    }

    #[test]
    fn test_overlay_nests_over_overlay() {
        let mut outer = Overlay::new(base());
        outer.delete(b"a");
        let mut inner = Overlay::new(&outer);
        inner.put(b"a", b"back");
        assert_eq!(all(&inner)[0], (b"a".to_vec(), b"back".to_vec()));
        assert_eq!(outer.get(b"a"), None);
    }

    #[derive(Clone, Debug)]
    enum Op {
        Put(Vec<u8>, Vec<u8>),
        Delete(Vec<u8>),
        Start,
        Commit,
        Rollback,
    }

    fn small_key() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(0u8..4, 0..3)
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (small_key(), proptest::collection::vec(any::<u8>(), 0..3)).prop_map(|(k, v)| Op::Put(k, v)),
            2 => small_key().prop_map(Op::Delete),
            1 => Just(Op::Start),
            1 => Just(Op::Commit),
            1 => Just(Op::Rollback),
        ]
    }

    proptest! {
        // The overlay behaves exactly like a plain map with snapshots per layer.
        #[test]
        fn test_overlay_matches_model(
            base_entries in proptest::collection::btree_map(small_key(), proptest::collection::vec(any::<u8>(), 0..3), 0..8),
            ops in proptest::collection::vec(op(), 0..40),
            start in small_key(),
        ) {
            let base = MemoryKv::from(base_entries.clone());
            let mut ov = Overlay::new(&base);
            let mut model = base_entries;
            let mut snapshots = Vec::new();
            for op in ops {
                match op {
                    Op::Put(k, v) => { ov.put(&k, &v); model.insert(k, v); }
                    Op::Delete(k) => { ov.delete(&k); model.remove(&k); }
                    Op::Start => { ov.start_transaction(); snapshots.push(model.clone()); }
                    Op::Commit => { prop_assert_eq!(ov.commit_transaction().is_ok(), snapshots.pop().is_some()); }
                    Op::Rollback => {
                        let ok = ov.rollback_transaction().is_ok();
                        match snapshots.pop() { Some(s) => { prop_assert!(ok); model = s; } None => prop_assert!(!ok) }
                    }
                }
            }
            let merged: Vec<_> = ov.iter_from(&start).collect();
            let expected: Vec<_> = model.range(start.clone()..).map(|(k, v)| (k.clone(), v.clone())).collect();
            prop_assert_eq!(merged, expected);
            for (k, v) in &model {
                prop_assert_eq!(ov.get(k), Some(v.clone()));
            }
            let next = ov.next_key(&start);
            let expected_next = model.range::<Vec<u8>, _>((Bound::Excluded(start), Bound::Unbounded)).next().map(|(k, _)| k.clone());
            prop_assert_eq!(next, expected_next);
        }
    }
}
