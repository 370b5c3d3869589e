//! [`StateView`]: the state as of one committed block, as a runtime [`KvRead`].
//!
//! The head is the `flat` table itself. An older block `n` is the head with the undo log
//! applied: `undo[(key, b)]` holds the value `key` had before block `b` changed it, so the
//! value at `n` is the undo entry of the first change after `n`, or the flat value if the key
//! has not changed since.

use std::iter::Peekable;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use redb::{ReadOnlyTable, TableDefinition};
use rustensor_runtime::storage::{KvIter, KvRead};

use super::error::Error;

/// The state at the latest block: key → value.
pub(crate) const FLAT: TableDefinition<'_, &[u8], &[u8]> = TableDefinition::new("flat");
/// The undo log: (key, block) → the value before that block (`None`: the key was absent).
pub(crate) const UNDO: TableDefinition<'_, (&[u8], u64), Option<&[u8]>> =
    TableDefinition::new("undo");

/// The undo log, opened for reading.
type UndoTable = ReadOnlyTable<(&'static [u8], u64), Option<&'static [u8]>>;

/// A consistent read view of the state as of one committed block.
///
/// Implements the runtime's [`KvRead`], so `Executive` can run directly on it (under an
/// `Overlay`). Reads at the latest block are direct table lookups; reads at an older block
/// also consult the undo log (one range lookup per point read). The view is a redb read
/// snapshot: later commits do not change what it sees, and it keeps the pages it reads alive,
/// so drop it when done.
///
/// [`KvRead`] is infallible. If the disk fails mid-read, the view answers "absent" / ends the
/// iteration and records the error; call [`StateView::check`] after using the view (for
/// example after executing a block on it) and discard the results if it fails.
pub struct StateView {
    number: u64,
    flat: ReadOnlyTable<&'static [u8], &'static [u8]>,
    /// `None` at the head, where the undo log is not needed.
    undo: Option<UndoTable>,
    path: Arc<Path>,
    error: OnceLock<Error>,
}

impl StateView {
    pub(crate) fn new(
        number: u64,
        flat: ReadOnlyTable<&'static [u8], &'static [u8]>,
        undo: Option<UndoTable>,
        path: Arc<Path>,
    ) -> Self {
        Self { number, flat, undo, path, error: OnceLock::new() }
    }

    /// The block this view shows the state of.
    pub fn number(&self) -> u64 {
        self.number
    }

    /// `Ok` if every read so far succeeded; otherwise the first read error, which it clears.
    ///
    /// # Errors
    ///
    /// [`Error::Db`]: a read failed, so answers given since then may be wrong (a key reported
    /// absent, an iteration cut short). Discard whatever was computed from this view.
    pub fn check(&mut self) -> super::Result<()> {
        match self.error.take() {
            None => Ok(()),
            Some(e) => Err(e),
        }
    }

    fn fail(&self, context: &'static str, source: impl Into<redb::Error>) {
        let _ = self.error.set(Error::Db {
            path: self.path.to_path_buf(),
            context,
            source: Box::new(source.into()),
        });
    }

    fn flat_get(&self, key: &[u8]) -> Option<Vec<u8>> {
        match self.flat.get(key) {
            Ok(v) => v.map(|v| v.value().to_vec()),
            Err(e) => {
                self.fail("reading the flat state", e);
                None
            }
        }
    }

    /// The undo entry of the first change of `key` after this block: `Some(value at this
    /// block)`, or `None` if `key` has not changed since.
    fn undo_get(&self, undo: &UndoTable, key: &[u8]) -> Option<Option<Vec<u8>>> {
        let after = self.number.saturating_add(1);
        let result = undo.range((key, after)..=(key, u64::MAX)).and_then(|mut range| {
            range.next().transpose().map(|e| e.map(|(_, v)| v.value().map(<[u8]>::to_vec)))
        });
        match result {
            Ok(found) => found,
            Err(e) => {
                self.fail("reading the undo log", e);
                None
            }
        }
    }
}

impl KvRead for StateView {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        if let Some(undo) = &self.undo
            && let Some(before) = self.undo_get(undo, key)
        {
            return before;
        }
        self.flat_get(key)
    }

    fn iter_from(&self, start: &[u8]) -> KvIter<'_> {
        let flat = match self.flat.range(start..) {
            Ok(range) => range,
            Err(e) => {
                self.fail("iterating the flat state", e);
                return Box::new(std::iter::empty());
            }
        };
        let flat = FallibleIter { inner: flat, view: self, context: "iterating the flat state" }
            .map(|(k, v)| (k.value().to_vec(), v.value().to_vec()))
            .peekable();
        let Some(undo) = &self.undo else {
            return Box::new(flat);
        };
        let undo = match undo.range((start, 0)..) {
            Ok(range) => range,
            Err(e) => {
                self.fail("iterating the undo log", e);
                return Box::new(std::iter::empty());
            }
        };
        let undo = FallibleIter { inner: undo, view: self, context: "iterating the undo log" }
            .map(|(k, v)| {
                let (key, block) = k.value();
                (key.to_vec(), block, v.value().map(<[u8]>::to_vec))
            })
            .peekable();
        Box::new(Merge { number: self.number, flat, undo })
    }
}

/// Unwraps redb's per-item results, recording the first error in the view and stopping there.
struct FallibleIter<'v, I> {
    inner: I,
    view: &'v StateView,
    context: &'static str,
}

impl<T, I: Iterator<Item = Result<T, redb::StorageError>>> Iterator for FallibleIter<'_, I> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match self.inner.next()? {
            Ok(item) => Some(item),
            Err(e) => {
                self.view.fail(self.context, e);
                None
            }
        }
    }
}

/// Merges the head state with the undo log into the state at `number`, ascending by key.
struct Merge<F: Iterator, U: Iterator> {
    number: u64,
    flat: Peekable<F>,
    undo: Peekable<U>,
}

impl<F, U> Iterator for Merge<F, U>
where
    F: Iterator<Item = (Vec<u8>, Vec<u8>)>,
    U: Iterator<Item = (Vec<u8>, u64, Option<Vec<u8>>)>,
{
    type Item = (Vec<u8>, Vec<u8>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let key = match (self.flat.peek(), self.undo.peek()) {
                (None, None) => return None,
                (Some((f, _)), None) => f.clone(),
                (None, Some((u, _, _))) => u.clone(),
                (Some((f, _)), Some((u, _, _))) => f.min(u).clone(),
            };
            let head = self.flat.next_if(|(f, _)| *f == key).map(|(_, v)| v);
            // Undo entries of this key come in ascending block order; the first one after
            // `number` holds the value at `number`.
            let mut before: Option<Option<Vec<u8>>> = None;
            while let Some((_, block, value)) = self.undo.next_if(|(u, _, _)| *u == key) {
                if before.is_none() && block > self.number {
                    before = Some(value);
                }
            }
            let value = match before {
                Some(value) => value,
                None => head,
            };
            if let Some(value) = value {
                return Some((key, value));
            }
        }
    }
}
