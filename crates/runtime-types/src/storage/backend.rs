//! The byte key-value view the state machine runs on.
//!
//! This is the seam between `runtime` and `node` (STYLE.md §1): the runtime only needs point
//! reads and writes and ordered iteration, so that is all the trait asks for. Keys and values are
//! raw bytes; ordering is plain lexicographic byte order, which is what `state_getKeysPaged`
//! exposes to clients.
//!
//! The methods are infallible on purpose. A state machine cannot go on deterministically after a
//! failed read, so a disk-backed implementation must stop the node (or fail the whole block
//! import) on an I/O error rather than report "missing".

/// An ascending iterator over `(key, value)` pairs, as returned by [`KvRead::iter_from`].
pub type KvIter<'a> = Box<dyn Iterator<Item = (Vec<u8>, Vec<u8>)> + 'a>;

/// Read access to a byte key-value state.
pub trait KvRead {
    /// The value under `key`, or `None` if the key is absent.
    fn get(&self, key: &[u8]) -> Option<Vec<u8>>;

    /// All entries with a key greater than or equal to `start`, in ascending byte order.
    fn iter_from(&self, start: &[u8]) -> KvIter<'_>;

    /// Whether `key` is present.
    fn contains(&self, key: &[u8]) -> bool {
        self.get(key).is_some()
    }

    /// The smallest key strictly greater than `key`, or `None` if there is none.
    ///
    /// This is the primitive behind `state_getKeysPaged` and `state_getStorageKeys`.
    fn next_key(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.iter_from(key).map(|(k, _)| k).find(|k| k.as_slice() != key)
    }

    /// All entries whose key starts with `prefix`, in ascending byte order.
    fn iter_prefix<'a>(&'a self, prefix: &'a [u8]) -> KvIter<'a> {
        Box::new(self.iter_from(prefix).take_while(move |(k, _)| k.starts_with(prefix)))
    }
}

/// Read and write access to a byte key-value state.
pub trait Kv: KvRead {
    /// Stores `value` under `key`, replacing any previous value.
    fn put(&mut self, key: &[u8], value: &[u8]);

    /// Removes `key`; removing an absent key does nothing.
    fn delete(&mut self, key: &[u8]);

    /// Removes every key that starts with `prefix` and returns how many were removed.
    fn delete_prefix(&mut self, prefix: &[u8]) -> u64 {
        let keys: Vec<Vec<u8>> = self.iter_prefix(prefix).map(|(k, _)| k).collect();
        for key in &keys {
            self.delete(key);
        }
        u64::try_from(keys.len()).unwrap_or(u64::MAX)
    }
}

impl<T: KvRead + ?Sized> KvRead for &T {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        (**self).get(key)
    }
    fn iter_from(&self, start: &[u8]) -> KvIter<'_> {
        (**self).iter_from(start)
    }
    fn contains(&self, key: &[u8]) -> bool {
        (**self).contains(key)
    }
    fn next_key(&self, key: &[u8]) -> Option<Vec<u8>> {
        (**self).next_key(key)
    }
}

impl<T: KvRead + ?Sized> KvRead for &mut T {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        (**self).get(key)
    }
    fn iter_from(&self, start: &[u8]) -> KvIter<'_> {
        (**self).iter_from(start)
    }
    fn contains(&self, key: &[u8]) -> bool {
        (**self).contains(key)
    }
    fn next_key(&self, key: &[u8]) -> Option<Vec<u8>> {
        (**self).next_key(key)
    }
}

impl<T: Kv + ?Sized> Kv for &mut T {
    fn put(&mut self, key: &[u8], value: &[u8]) {
        (**self).put(key, value);
    }
    fn delete(&mut self, key: &[u8]) {
        (**self).delete(key);
    }
}
