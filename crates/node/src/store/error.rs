//! Errors of the state store.

use std::path::PathBuf;

/// What can go wrong in the state store.
///
/// Disk and database failures carry the store's path and say what to do next; usage errors
/// (a block out of order, a pruned or unknown block) carry the numbers involved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database file could not be opened or created.
    #[error(
        "cannot open the state store {path:?} (check the path and its permissions, that no other \
         node process uses it, and restore or resync it if the file is damaged)"
    )]
    Open {
        /// The database file.
        path: PathBuf,
        /// What redb reported.
        #[source]
        source: Box<redb::DatabaseError>,
    },
    /// The directory for the database file could not be created.
    #[error(
        "cannot create the directory of the state store {path:?} (check that its parent exists \
         and is writable, or pass another --base-path)"
    )]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A read or write of the database failed.
    #[error(
        "state store {path:?}: {context} failed (the disk may be full or failing; the last \
         committed block is intact, restart the node once the disk is fixed)"
    )]
    Db {
        /// The database file.
        path: PathBuf,
        /// What the store was doing.
        context: &'static str,
        /// What redb reported.
        #[source]
        source: Box<redb::Error>,
    },
    /// The database holds data this store did not write, or that was damaged.
    #[error(
        "state store {path:?} is corrupt: {what} (restore it from a backup or resync the node)"
    )]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// What is inconsistent.
        what: String,
    },
    /// The database was written by a build with another on-disk format.
    #[error(
        "state store {path:?} has format version {found}, this build reads version {expected} \
         (use a matching build, or resync into a new directory)"
    )]
    Format {
        /// The database file.
        path: PathBuf,
        /// The version found on disk.
        found: u64,
        /// The version this build writes.
        expected: u64,
    },
    /// The Merkle tree could not be read or updated (a missing or undecodable node).
    #[error(
        "state store {path:?}: cannot read or update the merkle tree (restore it from a backup or \
         resync the node)"
    )]
    Tree {
        /// The database file.
        path: PathBuf,
        /// What jmt reported.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The configuration cannot work.
    #[error("invalid state store configuration: {0}")]
    Config(&'static str),
    /// `commit_block` was given a block that does not directly follow the latest one.
    #[error("block {got} does not follow the latest committed block; expected block {expected}")]
    NotNext {
        /// The only number that can be committed now.
        expected: u64,
        /// The number that was given.
        got: u64,
    },
    /// `commit_block` was given a block hash that is already committed.
    #[error("block hash 0x{} is already committed as block {number}", hex32(.hash))]
    DuplicateHash {
        /// The hash.
        hash: [u8; 32],
        /// The block it belongs to.
        number: u64,
    },
    /// The state of this block was pruned (only the latest `keep_recent` blocks are kept).
    #[error("the state of block {number} is pruned; the oldest retained block is {oldest}")]
    Pruned {
        /// The block asked for.
        number: u64,
        /// The oldest block whose state is still readable.
        oldest: u64,
    },
    /// The block is not committed (yet).
    #[error("block {number} is not committed; the latest committed block is {latest:?}")]
    Unknown {
        /// The block asked for.
        number: u64,
        /// The latest committed block, `None` before genesis.
        latest: Option<u64>,
    },
}

/// The state store's result type.
pub type Result<T> = core::result::Result<T, Error>;

fn hex32(bytes: &[u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
