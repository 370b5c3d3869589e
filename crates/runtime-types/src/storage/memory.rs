//! An in-memory [`Kv`] over a `BTreeMap`, for tests.
//!
//! Available with the `test-utils` feature (and always in this crate's own tests). The node's
//! real backend lives in `node`.

use std::collections::BTreeMap;

use super::backend::{Kv, KvIter, KvRead};

/// A byte key-value state held in a `BTreeMap` (ascending key order, deterministic).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryKv {
    entries: BTreeMap<Vec<u8>, Vec<u8>>,
}

impl MemoryKv {
    /// An empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of stored keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no key is stored.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The underlying map, in ascending key order.
    pub fn entries(&self) -> &BTreeMap<Vec<u8>, Vec<u8>> {
        &self.entries
    }
}

impl From<BTreeMap<Vec<u8>, Vec<u8>>> for MemoryKv {
    fn from(entries: BTreeMap<Vec<u8>, Vec<u8>>) -> Self {
        Self { entries }
    }
}

impl KvRead for MemoryKv {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.entries.get(key).cloned()
    }

    fn iter_from(&self, start: &[u8]) -> KvIter<'_> {
        Box::new(
            self.entries
                .range::<[u8], _>((std::ops::Bound::Included(start), std::ops::Bound::Unbounded))
                .map(|(k, v)| (k.clone(), v.clone())),
        )
    }

    fn contains(&self, key: &[u8]) -> bool {
        self.entries.contains_key(key)
    }
}

impl Kv for MemoryKv {
    fn put(&mut self, key: &[u8], value: &[u8]) {
        self.entries.insert(key.to_vec(), value.to_vec());
    }

    fn delete(&mut self, key: &[u8]) {
        self.entries.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_memory_iter_prefix_is_ordered_and_bounded() {
        let mut kv = MemoryKv::new();
        for key in [&b"b2"[..], b"a", b"b1", b"c", b"b"] {
            kv.put(key, key);
        }
        let keys: Vec<Vec<u8>> = kv.iter_prefix(b"b").map(|(k, _)| k).collect();
        assert_eq!(keys, vec![b"b".to_vec(), b"b1".to_vec(), b"b2".to_vec()]);
        assert_eq!(kv.next_key(b"b"), Some(b"b1".to_vec()));
        assert_eq!(kv.next_key(b"b0"), Some(b"b1".to_vec()));
        assert_eq!(kv.next_key(b"c"), None);
    }

    #[test]
    fn test_memory_delete_prefix_removes_only_prefix() {
        let mut kv = MemoryKv::new();
        for key in [&b"a"[..], b"ab", b"abc", b"b"] {
            kv.put(key, b"v");
        }
        assert_eq!(kv.delete_prefix(b"ab"), 2);
        assert_eq!(
            kv.entries().keys().cloned().collect::<Vec<_>>(),
            vec![b"a".to_vec(), b"b".to_vec()]
        );
    }
}
