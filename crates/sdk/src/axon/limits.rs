//! In-flight request counters per key (peer IP, caller hotkey).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// Counts requests in flight per key and refuses a key that is at its limit.
#[derive(Debug)]
pub(crate) struct Limiter<K: Hash + Eq + Clone> {
    counts: Mutex<HashMap<K, usize>>,
    max: usize,
}

impl<K: Hash + Eq + Clone> Limiter<K> {
    pub(crate) fn new(max: usize) -> Arc<Self> {
        Arc::new(Self { counts: Mutex::new(HashMap::new()), max })
    }

    /// Takes one slot for `key`; `None` when `key` already has `max` requests in flight.
    pub(crate) fn try_acquire(self: &Arc<Self>, key: K) -> Option<Slot<K>> {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let count = counts.entry(key.clone()).or_insert(0);
        if *count >= self.max {
            return None;
        }
        *count += 1;
        Some(Slot { limiter: Arc::clone(self), key })
    }
}

/// One request in flight; gives its slot back when dropped.
#[derive(Debug)]
pub(crate) struct Slot<K: Hash + Eq + Clone> {
    limiter: Arc<Limiter<K>>,
    key: K,
}

impl<K: Hash + Eq + Clone> Drop for Slot<K> {
    fn drop(&mut self) {
        let mut counts = self.limiter.counts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = counts.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                counts.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_limiter_refuses_over_limit_and_frees_on_drop() {
        let l = Limiter::new(2);
        let a = l.try_acquire(1u8).expect("first");
        let _b = l.try_acquire(1u8).expect("second");
        assert!(l.try_acquire(1u8).is_none());
        assert!(l.try_acquire(2u8).is_some());
        drop(a);
        assert!(l.try_acquire(1u8).is_some());
    }
}
