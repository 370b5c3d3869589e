//! The node's state store: finalized chain state on disk, one authenticated root per block.
//!
//! # Why redb + jmt
//!
//! ARCHITECTURE.md §4 asks for a crash-safe ordered KV with an authenticated state root per
//! block, and allows jmt or commonware's QMDB. We use **redb** (a copy-on-write B-tree with
//! ACID transactions and a stable file format) under **jmt** (Penumbra's Jellyfish Merkle Tree,
//! a versioned sparse Merkle tree over any KV), because:
//!
//! - the API is synchronous: the state machine's [`KvRead`] seam is synchronous and infallible,
//!   and a synchronous store implements it directly, without an async runtime in between;
//! - redb's file format is stable and crash-safe (a commit is all or nothing, also under
//!   `kill -9` or power loss), while QMDB is ALPHA and may change its format without migration;
//! - redb iterates keys in byte order, which `state_getKeysPaged` and the runtime's prefix
//!   iteration need; QMDB `current` is keyed by hash and not ordered;
//! - jmt gives inclusion and exclusion proofs against the root, for light clients.
//!
//! # Layout
//!
//! One redb file; each [`StateStore::commit_block`] is one write transaction, so a crash leaves
//! either the whole block or none of it. Tables:
//!
//! | table | key → value | role |
//! | --- | --- | --- |
//! | `flat` | key → value | the state at the latest block: reads at the head are one lookup |
//! | `undo` | (key, block) → value before that block | older states, for the retained window |
//! | `changed` | (block, key) → () | which undo entries to prune with a block |
//! | `jmt_nodes` | node key → node | the Merkle tree, versioned by block number |
//! | `jmt_stale` | (stale since block, node key) → () | tree nodes to prune |
//! | `blocks` | number → (hash, root) | the block index, never pruned |
//! | `hashes` | hash → number | the reverse index, never pruned |
//! | `bodies` | number → SCALE block (header and extrinsics) | finalized blocks, never pruned |
//! | `meta` | name → u64 | format version, latest block, oldest retained state |
//!
//! The root commits to the set of `(sha256(key), sha256(value))` pairs only, so it depends on
//! the state and not on how it was reached. jmt versions are block numbers; genesis is block 0.
//!
//! # Pruning
//!
//! Unless [`StoreConfig::archive`] is set, after committing block `h` the state is readable
//! for blocks `h + 1 - keep_recent ..= h` only; older undo entries and stale tree nodes are
//! deleted in the same transaction. The block index is kept for all blocks.

mod error;
#[cfg(test)]
mod tests;
mod tree;
mod view;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use redb::{
    Database, ReadTransaction, ReadableDatabase, ReadableTable, TableDefinition, WriteTransaction,
};
use rustensor_runtime::storage::KvRead;
use rustensor_runtime::storage::overlay::Change;

pub use error::{Error, Result};
pub use tree::{Proof, verify_proof};
pub use view::StateView;

use tree::{EmptyReader, NODES, NodeReader, ProofReader, STALE, Tree, key_hash};
use view::{FLAT, UNDO};

/// Which undo entries belong to a block: (block, key) → ().
const CHANGED: TableDefinition<'_, (u64, &[u8]), ()> = TableDefinition::new("changed");
/// number → (block hash, state root).
const BLOCKS: TableDefinition<'_, u64, ([u8; 32], [u8; 32])> = TableDefinition::new("blocks");
/// number → the SCALE-encoded block as the node gave it (header and extrinsics).
const BODIES: TableDefinition<'_, u64, &[u8]> = TableDefinition::new("bodies");
/// number → an opaque finality proof of that block (the consensus finalization certificate),
/// kept for the latest few blocks.
const FINALITY: TableDefinition<'_, u64, &[u8]> = TableDefinition::new("finality");
/// block hash → number.
const HASHES: TableDefinition<'_, [u8; 32], u64> = TableDefinition::new("hashes");
/// Scalars: [`META_FORMAT`], [`META_LATEST`], [`META_OLDEST`].
const META: TableDefinition<'_, &str, u64> = TableDefinition::new("meta");

const META_FORMAT: &str = "format";
const META_LATEST: &str = "latest";
const META_OLDEST: &str = "oldest";
/// The on-disk format this build reads and writes.
const FORMAT_VERSION: u64 = 1;

/// How much history the store keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreConfig {
    /// How many of the latest blocks keep a readable state (at least 1). Default 256.
    pub keep_recent: u64,
    /// Keep the state of every block, never prune. Default `false`.
    pub archive: bool,
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self { keep_recent: 256, archive: false }
    }
}

/// The latest committed block: its number, hash and state root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    /// Block number (genesis is 0).
    pub number: u64,
    /// Block hash, as given to [`StateStore::commit_block`].
    pub hash: [u8; 32],
    /// State root after the block.
    pub root: [u8; 32],
}

/// Finality proofs of blocks whose number is a multiple of this are kept for good (see
/// [`StateStore::put_finality`]).
pub const FINALITY_CHECKPOINT: u64 = 256;

/// The persistent state store: finalized blocks' state, roots, history and proofs.
///
/// Thread-safe (`Send + Sync`): reads run concurrently with each other and with a commit;
/// commits are serialized by redb.
pub struct StateStore {
    db: Database,
    path: Arc<Path>,
    config: StoreConfig,
}

impl std::fmt::Debug for StateStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StateStore")
            .field("path", &self.path)
            .field("config", &self.config)
            .finish()
    }
}

impl StateStore {
    /// Opens the store at `path` (a file), creating it and its directory if missing.
    ///
    /// Reopening after a crash gives the state of the last committed block (redb repairs the
    /// file on open, which can take a while for a large file).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if `keep_recent` is 0; [`Error::CreateDir`]/[`Error::Open`] if the
    /// file cannot be opened (another process holds it, not a redb file, damaged);
    /// [`Error::Format`] if it was written by a build with another format; [`Error::Corrupt`]
    /// if it is a redb file but not a state store.
    pub fn open(path: impl AsRef<Path>, config: StoreConfig) -> Result<Self> {
        if config.keep_recent == 0 {
            return Err(Error::Config("keep_recent must be at least 1"));
        }
        let path: Arc<Path> = Arc::from(path.as_ref());
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| Error::CreateDir { path: dir.to_path_buf(), source })?;
        }
        let db = Database::create(&path)
            .map_err(|e| Error::Open { path: path.to_path_buf(), source: Box::new(e) })?;
        let store = Self { db, path, config };
        store.init_format()?;
        Ok(store)
    }

    /// Checks the format version, or writes it and creates the tables in a new file.
    fn init_format(&self) -> Result<()> {
        let txn = self.write_txn()?;
        {
            let mut meta = txn.open_table(META).map_err(self.db_err("opening meta"))?;
            let format =
                meta.get(META_FORMAT).map_err(self.db_err("reading meta"))?.map(|v| v.value());
            match format {
                Some(FORMAT_VERSION) => {}
                Some(found) => {
                    return Err(Error::Format {
                        path: self.path.to_path_buf(),
                        found,
                        expected: FORMAT_VERSION,
                    });
                }
                None => {
                    if meta.get(META_LATEST).map_err(self.db_err("reading meta"))?.is_some() {
                        return Err(self.corrupt("a latest block but no format version"));
                    }
                    meta.insert(META_FORMAT, FORMAT_VERSION)
                        .map_err(self.db_err("writing meta"))?;
                }
            }
            // Create every table, so that read transactions can open them.
            txn.open_table(FLAT).map_err(self.db_err("creating tables"))?;
            txn.open_table(UNDO).map_err(self.db_err("creating tables"))?;
            txn.open_table(CHANGED).map_err(self.db_err("creating tables"))?;
            txn.open_table(NODES).map_err(self.db_err("creating tables"))?;
            txn.open_table(STALE).map_err(self.db_err("creating tables"))?;
            txn.open_table(BLOCKS).map_err(self.db_err("creating tables"))?;
            txn.open_table(HASHES).map_err(self.db_err("creating tables"))?;
        }
        txn.commit().map_err(self.db_err("committing the format version"))
    }

    /// The path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The configuration the store was opened with.
    pub fn config(&self) -> StoreConfig {
        self.config
    }

    /// Commits one finalized block: applies its state diff, updates the Merkle tree, records
    /// number ↔ hash ↔ root, and prunes history beyond `keep_recent`, all in one transaction.
    /// Returns the new state root.
    ///
    /// `changes` is the block's diff (`Overlay::into_parts().1`): `Some(value)` puts, `None`
    /// deletes (deleting an absent key is allowed). Genesis is `commit_block(0, ..)` on an
    /// empty store. The root equals [`StateStore::speculative_root`] for the same diff.
    ///
    /// # Errors
    ///
    /// [`Error::NotNext`] unless `number` is the latest block + 1 (0 on an empty store);
    /// [`Error::DuplicateHash`] if `block_hash` is already committed; [`Error::Db`],
    /// [`Error::Tree`] or [`Error::Corrupt`] on disk failure, in which case nothing was written.
    pub fn commit_block(
        &self,
        number: u64,
        block_hash: [u8; 32],
        changes: &BTreeMap<Vec<u8>, Change>,
    ) -> Result<[u8; 32]> {
        self.commit_block_with_body(number, block_hash, changes, None)
    }

    /// As [`StateStore::commit_block`], and stores `body` (the encoded block) in the same
    /// transaction, readable with [`StateStore::body`]: a block is committed with its body or
    /// not at all.
    ///
    /// # Errors
    ///
    /// As [`StateStore::commit_block`].
    pub fn commit_block_with_body(
        &self,
        number: u64,
        block_hash: [u8; 32],
        changes: &BTreeMap<Vec<u8>, Change>,
        body: Option<&[u8]>,
    ) -> Result<[u8; 32]> {
        let txn = self.write_txn()?;
        let mut meta = txn.open_table(META).map_err(self.db_err("opening meta"))?;
        let latest = meta.get(META_LATEST).map_err(self.db_err("reading meta"))?.map(|v| v.value());
        let expected = match latest {
            None => 0,
            Some(latest) => {
                latest.checked_add(1).ok_or(Error::NotNext { expected: u64::MAX, got: number })?
            }
        };
        if number != expected {
            return Err(Error::NotNext { expected, got: number });
        }
        let mut hashes = txn.open_table(HASHES).map_err(self.db_err("opening hashes"))?;
        if let Some(existing) = hashes.get(block_hash).map_err(self.db_err("reading hashes"))? {
            return Err(Error::DuplicateHash { hash: block_hash, number: existing.value() });
        }

        // The tree first: jmt reads the parent version's nodes from the same table it writes.
        let mut nodes = txn.open_table(NODES).map_err(self.db_err("opening tree nodes"))?;
        let (root, batch) = {
            let reader = NodeReader(&nodes);
            let set = changes.iter().map(|(k, v)| (key_hash(k), v.clone()));
            Tree::new(&reader).put_value_set(set, number).map_err(|e| self.tree_err(e))?
        };
        for (key, node) in batch.node_batch.nodes() {
            nodes
                .insert(tree::encode_node_key(key).as_slice(), tree::encode_node(node).as_slice())
                .map_err(self.db_err("writing tree nodes"))?;
        }
        let mut stale = txn.open_table(STALE).map_err(self.db_err("opening stale nodes"))?;
        for index in &batch.stale_node_index_batch {
            let key = tree::encode_node_key(&index.node_key);
            stale
                .insert((index.stale_since_version, key.as_slice()), ())
                .map_err(self.db_err("writing stale nodes"))?;
        }

        // The flat state, and the undo log for reads of older blocks.
        let mut flat = txn.open_table(FLAT).map_err(self.db_err("opening flat state"))?;
        let mut undo = txn.open_table(UNDO).map_err(self.db_err("opening undo log"))?;
        let mut changed = txn.open_table(CHANGED).map_err(self.db_err("opening undo index"))?;
        for (key, change) in changes {
            let before = match change {
                Some(value) => flat.insert(key.as_slice(), value.as_slice()),
                None => flat.remove(key.as_slice()),
            }
            .map_err(self.db_err("writing flat state"))?
            .map(|v| v.value().to_vec());
            // Nothing reads the state before genesis.
            if number > 0 {
                undo.insert((key.as_slice(), number), before.as_deref())
                    .map_err(self.db_err("writing undo log"))?;
                changed
                    .insert((number, key.as_slice()), ())
                    .map_err(self.db_err("writing undo index"))?;
            }
        }

        let root = root.0;
        let mut blocks = txn.open_table(BLOCKS).map_err(self.db_err("opening block index"))?;
        blocks.insert(number, (block_hash, root)).map_err(self.db_err("writing block index"))?;
        hashes.insert(block_hash, number).map_err(self.db_err("writing block index"))?;
        if let Some(body) = body {
            let mut bodies = txn.open_table(BODIES).map_err(self.db_err("opening bodies"))?;
            bodies.insert(number, body).map_err(self.db_err("writing a block body"))?;
        }
        meta.insert(META_LATEST, number).map_err(self.db_err("writing meta"))?;

        if !self.config.archive {
            let oldest = meta
                .get(META_OLDEST)
                .map_err(self.db_err("reading meta"))?
                .map_or(0, |v| v.value());
            // keep_recent >= 1 (checked in `open`).
            let new_oldest = number.saturating_sub(self.config.keep_recent - 1);
            if new_oldest > oldest {
                // Undo entries of blocks <= new_oldest only serve reads below new_oldest.
                let entries: Vec<(u64, Vec<u8>)> = changed
                    .range((oldest + 1, &[][..])..(new_oldest + 1, &[][..]))
                    .map_err(self.db_err("reading undo index"))?
                    .map(|e| e.map(|(k, _)| (k.value().0, k.value().1.to_vec())))
                    .collect::<core::result::Result<_, _>>()
                    .map_err(self.db_err("reading undo index"))?;
                for (block, key) in &entries {
                    undo.remove((key.as_slice(), *block))
                        .map_err(self.db_err("pruning undo log"))?;
                    changed
                        .remove((*block, key.as_slice()))
                        .map_err(self.db_err("pruning undo index"))?;
                }
                // Nodes stale since a block <= new_oldest are in no retained tree.
                let dead: Vec<(u64, Vec<u8>)> = stale
                    .range(..(new_oldest + 1, &[][..]))
                    .map_err(self.db_err("reading stale nodes"))?
                    .map(|e| e.map(|(k, _)| (k.value().0, k.value().1.to_vec())))
                    .collect::<core::result::Result<_, _>>()
                    .map_err(self.db_err("reading stale nodes"))?;
                for (since, key) in &dead {
                    nodes.remove(key.as_slice()).map_err(self.db_err("pruning tree nodes"))?;
                    stale
                        .remove((*since, key.as_slice()))
                        .map_err(self.db_err("pruning stale nodes"))?;
                }
                meta.insert(META_OLDEST, new_oldest).map_err(self.db_err("writing meta"))?;
            }
        }

        drop((meta, hashes, nodes, stale, flat, undo, changed, blocks));
        txn.commit().map_err(self.db_err("committing a block"))?;
        Ok(root)
    }

    /// The latest committed block, or `None` before genesis.
    ///
    /// # Errors
    ///
    /// [`Error::Db`] or [`Error::Corrupt`] on disk failure.
    pub fn latest(&self) -> Result<Option<Head>> {
        let txn = self.read_txn()?;
        let Some(number) = self.meta(&txn, META_LATEST)? else {
            return Ok(None);
        };
        let (hash, root) = self
            .block(&txn, number)?
            .ok_or_else(|| self.corrupt("the latest block is not in the block index"))?;
        Ok(Some(Head { number, hash, root }))
    }

    /// The oldest block whose state is readable, or `None` before genesis.
    ///
    /// # Errors
    ///
    /// [`Error::Db`] on disk failure.
    pub fn oldest_retained(&self) -> Result<Option<u64>> {
        let txn = self.read_txn()?;
        if self.meta(&txn, META_LATEST)?.is_none() {
            return Ok(None);
        }
        Ok(Some(self.meta(&txn, META_OLDEST)?.unwrap_or(0)))
    }

    /// The state root after block `number`, or `None` if it is not committed. Kept for every
    /// committed block, also pruned ones.
    ///
    /// # Errors
    ///
    /// [`Error::Db`] on disk failure.
    pub fn root_at(&self, number: u64) -> Result<Option<[u8; 32]>> {
        let txn = self.read_txn()?;
        Ok(self.block(&txn, number)?.map(|(_, root)| root))
    }

    /// The hash of committed block `number`, or `None` if it is not committed.
    ///
    /// # Errors
    ///
    /// [`Error::Db`] on disk failure.
    pub fn hash_of(&self, number: u64) -> Result<Option<[u8; 32]>> {
        let txn = self.read_txn()?;
        Ok(self.block(&txn, number)?.map(|(hash, _)| hash))
    }

    /// The encoded body stored with committed block `number`, or `None` if there is none (the
    /// block is not committed, or was committed without a body).
    ///
    /// # Errors
    ///
    /// [`Error::Db`] on disk failure.
    pub fn body(&self, number: u64) -> Result<Option<Vec<u8>>> {
        let txn = self.read_txn()?;
        let table = match txn.open_table(BODIES) {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(self.db_err("opening bodies")(e)),
        };
        Ok(table
            .get(number)
            .map_err(self.db_err("reading a block body"))?
            .map(|v| v.value().to_vec()))
    }

    /// Stores `proof`, an opaque finality proof (consensus certificate) of block `number`, in
    /// its own transaction, and forgets proofs of blocks more than 16 below it, except those of
    /// every [`FINALITY_CHECKPOINT`]th block and of the last block of every consensus epoch
    /// (epochs of `epoch_length` blocks), which are kept for good (a full node catching up
    /// checks one certificate per segment and the parent links below it, and learns each
    /// epoch's validators from the state after the epoch before). Stored proofs are
    /// not checked against committed blocks: callers write the proof before committing the
    /// block it proves and read it for the committed head.
    ///
    /// # Errors
    ///
    /// [`Error::Db`] on disk failure.
    pub fn put_finality(&self, number: u64, proof: &[u8], epoch_length: u64) -> Result<()> {
        let txn = self.write_txn()?;
        {
            let mut table = txn.open_table(FINALITY).map_err(self.db_err("opening finality"))?;
            table.insert(number, proof).map_err(self.db_err("writing finality"))?;
            // Each call leaves at most a few newly old proofs; a bounded window finds them
            // without walking the checkpoints kept below.
            let below = number.saturating_sub(16);
            let old: Vec<u64> = table
                .range(below.saturating_sub(FINALITY_CHECKPOINT)..below)
                .map_err(self.db_err("reading finality"))?
                .map(|e| e.map(|(k, _)| k.value()))
                .collect::<core::result::Result<Vec<_>, _>>()
                .map_err(self.db_err("reading finality"))?
                .into_iter()
                .filter(|n| {
                    n % FINALITY_CHECKPOINT != 0
                        && !rustensor_runtime::pallets::validators::is_boundary(epoch_length, *n)
                })
                .collect();
            for n in old {
                table.remove(n).map_err(self.db_err("pruning finality"))?;
            }
        }
        txn.commit().map_err(self.db_err("committing finality"))?;
        Ok(())
    }

    /// The finality proof stored for block `number` with [`StateStore::put_finality`], if any.
    ///
    /// # Errors
    ///
    /// [`Error::Db`] on disk failure.
    pub fn finality(&self, number: u64) -> Result<Option<Vec<u8>>> {
        let txn = self.read_txn()?;
        let table = match txn.open_table(FINALITY) {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(self.db_err("opening finality")(e)),
        };
        Ok(table.get(number).map_err(self.db_err("reading finality"))?.map(|v| v.value().to_vec()))
    }

    /// The number of the committed block with this hash, or `None` if there is none.
    ///
    /// # Errors
    ///
    /// [`Error::Db`] on disk failure.
    pub fn number_of(&self, hash: [u8; 32]) -> Result<Option<u64>> {
        let txn = self.read_txn()?;
        let table = txn.open_table(HASHES).map_err(self.db_err("opening hashes"))?;
        Ok(table.get(hash).map_err(self.db_err("reading hashes"))?.map(|v| v.value()))
    }

    /// A read view of the state after block `number` (see [`StateView`]).
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] if the block is not committed; [`Error::Pruned`] if its state is
    /// older than the retained window; [`Error::Db`] on disk failure.
    pub fn state_at(&self, number: u64) -> Result<StateView> {
        let txn = self.read_txn()?;
        let latest = self.retained(&txn, number)?;
        let flat = txn.open_table(FLAT).map_err(self.db_err("opening flat state"))?;
        let undo = if number == latest {
            None
        } else {
            Some(txn.open_table(UNDO).map_err(self.db_err("opening undo log"))?)
        };
        Ok(StateView::new(number, flat, undo, self.path.clone()))
    }

    /// The value of `key` after block `number`, with a [`Proof`] of it (or of its absence)
    /// against that block's state root; check it with [`verify_proof`].
    ///
    /// # Errors
    ///
    /// As [`StateStore::state_at`]; [`Error::Tree`] if the tree is damaged.
    pub fn prove(&self, key: &[u8], number: u64) -> Result<(Option<Vec<u8>>, Proof)> {
        let mut view = self.state_at(number)?;
        let value = view.get(key);
        view.check()?;
        let txn = self.read_txn()?;
        let nodes = txn.open_table(NODES).map_err(self.db_err("opening tree nodes"))?;
        let reader = ProofReader { nodes: NodeReader(&nodes), key_hash: key_hash(key), value };
        let (value, proof) = Tree::new(&reader)
            .get_with_proof(key_hash(key), number)
            .map_err(|e| self.tree_err(e))?;
        Ok((value, Proof(proof)))
    }

    /// The state root a block would have, without writing anything: the committed state after
    /// block `parent` (`None`: the empty state before genesis), then the not-yet-finalized
    /// diffs `pending` (blocks `parent + 1 ..`), then `changes`.
    ///
    /// Equals the root that committing the same diffs in order returns. The consensus leader
    /// puts it in the header it proposes; validators recompute it to check.
    ///
    /// # Errors
    ///
    /// [`Error::Unknown`] or [`Error::Pruned`] if `parent`'s state is not retained;
    /// [`Error::Db`] or [`Error::Tree`] on disk failure.
    pub fn speculative_root(
        &self,
        parent: Option<u64>,
        pending: &[&BTreeMap<Vec<u8>, Change>],
        changes: &BTreeMap<Vec<u8>, Change>,
    ) -> Result<[u8; 32]> {
        let sets = pending
            .iter()
            .copied()
            .chain(std::iter::once(changes))
            .map(|diff| diff.iter().map(|(k, v)| (key_hash(k), v.clone())));
        let roots = match parent {
            None => Tree::new(&EmptyReader).put_value_sets(sets, 0),
            Some(parent) => {
                let txn = self.read_txn()?;
                self.retained(&txn, parent)?;
                let nodes = txn.open_table(NODES).map_err(self.db_err("opening tree nodes"))?;
                let first = parent.checked_add(1).ok_or(Error::Config("block number overflow"))?;
                Tree::new(&NodeReader(&nodes)).put_value_sets(sets, first)
            }
        }
        .map_err(|e| self.tree_err(e))?
        .0;
        let root = roots
            .last()
            .expect("put_value_sets returns one root per set, and there is at least one");
        Ok(root.0)
    }

    /// Checks that `number`'s state is readable in `txn`; returns the latest block.
    fn retained(&self, txn: &ReadTransaction, number: u64) -> Result<u64> {
        let latest = self.meta(txn, META_LATEST)?;
        match latest {
            Some(latest) if number <= latest => {
                let oldest = self.meta(txn, META_OLDEST)?.unwrap_or(0);
                if number < oldest {
                    return Err(Error::Pruned { number, oldest });
                }
                Ok(latest)
            }
            _ => Err(Error::Unknown { number, latest }),
        }
    }

    fn meta(&self, txn: &ReadTransaction, name: &str) -> Result<Option<u64>> {
        let table = txn.open_table(META).map_err(self.db_err("opening meta"))?;
        Ok(table.get(name).map_err(self.db_err("reading meta"))?.map(|v| v.value()))
    }

    fn block(&self, txn: &ReadTransaction, number: u64) -> Result<Option<([u8; 32], [u8; 32])>> {
        let table = txn.open_table(BLOCKS).map_err(self.db_err("opening block index"))?;
        Ok(table.get(number).map_err(self.db_err("reading block index"))?.map(|v| v.value()))
    }

    fn read_txn(&self) -> Result<ReadTransaction> {
        self.db.begin_read().map_err(self.db_err("starting a read"))
    }

    fn write_txn(&self) -> Result<WriteTransaction> {
        self.db.begin_write().map_err(self.db_err("starting a write"))
    }

    fn db_err<E: Into<redb::Error>>(&self, context: &'static str) -> impl Fn(E) -> Error + '_ {
        move |e| Error::Db { path: self.path.to_path_buf(), context, source: Box::new(e.into()) }
    }

    fn tree_err(&self, e: anyhow::Error) -> Error {
        Error::Tree { path: self.path.to_path_buf(), source: e.into() }
    }

    fn corrupt(&self, what: &str) -> Error {
        Error::Corrupt { path: self.path.to_path_buf(), what: what.to_owned() }
    }
}
