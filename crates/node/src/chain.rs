//! Block execution and the unfinalized part of the chain (no consensus, no async).
//!
//! [`Chain`] owns the [`StateStore`] (finalized state) and, in memory, the blocks that were
//! built or verified but are not finalized yet, each with its state diff. To execute a block
//! on a parent it layers the parent's unfinalized ancestors' diffs over the committed state,
//! runs the runtime's `Executive`, and computes the new root with
//! [`StateStore::speculative_root`]. [`Chain::finalize`] commits a finalized block and its
//! unfinalized ancestors in height order; it is idempotent by height.
//!
//! # Genesis
//!
//! [`Chain::open`] commits the chain spec's genesis state as block 0 on an empty store. The
//! genesis header is `genesis_header(root)` ([`crate::block::genesis_header`]); its hash is the
//! chain's genesis hash, block 1's parent hash, so block 1's `System::initialize_block` writes it
//! to `System.BlockHash[0]`, where the extrinsic checks read the genesis hash that signatures
//! commit to. On a non-empty store it checks that block 0's hash is the spec's genesis hash.
//!
//! # The block author
//!
//! The fee recipient of a block is [`author_of`] its proposer: the `AccountId32` whose 32 bytes
//! are the proposer's ed25519 public key, as Substrate maps an ed25519 signer
//! (`MultiSigner::Ed25519(pk).into_account()`) and hence an ed25519 Aura authority. Validators
//! know the proposer from the consensus context; the proposer also names itself in the header,
//! as a pre-runtime digest item `PreRuntime(*b"rtsn", public key)` ([`AUTHOR_ENGINE`]), so a
//! block vouched for by consensus (a notarized or finalized ancestor, recovered after a crash
//! or fetched from a peer) can be re-executed without knowing the round it was proposed in.

use std::collections::BTreeMap;
use std::sync::Arc;

use parity_scale_codec::{Decode, Encode};
use rustensor_primitives::AccountId32;
use rustensor_runtime::executive::{ApplyError, Executive, RuntimeVersion};
use rustensor_runtime::genesis::{ChainSpec, GenesisError, build_genesis};
use rustensor_runtime::pallets::Runtime;
use rustensor_runtime::storage::{Kv, Overlay};

use crate::block::{Block, DigestItem, Hash, Header, extrinsics_root, genesis_header};
use crate::store::{self, StateStore};

/// A block's state diff: `Some(value)` puts, `None` deletes.
pub type Diff = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// The runtime version the node executes with (subtensor spec 425, transaction version 1).
pub const RUNTIME_VERSION: RuntimeVersion =
    RuntimeVersion { spec_version: 425, transaction_version: 1 };

/// Why a block cannot be built, imported or committed.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// The chain spec is invalid.
    #[error(transparent)]
    Genesis(#[from] GenesisError),
    /// The store holds another chain.
    #[error("the store's genesis hash 0x{found} is not the chain spec's 0x{expected}")]
    WrongGenesis {
        /// Block 0's hash in the store.
        found: String,
        /// The spec's genesis hash.
        expected: String,
    },
    /// The parent is neither committed nor an unfinalized block we know.
    #[error("unknown parent block 0x{0}")]
    UnknownParent(String),
    /// The block is not valid on its parent.
    #[error("invalid block: {0}")]
    Invalid(&'static str),
    /// A finalization conflicts with what is committed (a safety failure of consensus).
    #[error("finalized block #{0} conflicts with the committed chain")]
    Conflict(u64),
}

/// The fee recipient for a block proposed by the ed25519 key `proposer` (see the module docs).
pub fn author_of(proposer: &[u8; 32]) -> AccountId32 {
    AccountId32::new(*proposer)
}

/// The engine id of the author digest item (see the module docs).
pub const AUTHOR_ENGINE: [u8; 4] = *b"rtsn";

/// The author a header names: `None` for no digest items, the key of a single
/// `PreRuntime(AUTHOR_ENGINE, 32 bytes)` item, or an error for anything else.
///
/// # Errors
///
/// [`ChainError::Invalid`] for other or extra digest items.
pub fn header_author(header: &Header) -> Result<Option<AccountId32>, ChainError> {
    match header.digest.as_slice() {
        [] => Ok(None),
        [DigestItem::PreRuntime(engine, key)] if *engine == AUTHOR_ENGINE => {
            let key: [u8; 32] = key
                .as_slice()
                .try_into()
                .map_err(|_| ChainError::Invalid("the author digest is not a 32-byte key"))?;
            Ok(Some(author_of(&key)))
        }
        _ => Err(ChainError::Invalid("unexpected digest items")),
    }
}

/// What [`Chain::execute`] returns: header, included and rejected extrinsics, diff.
type Executed = (Header, Vec<Vec<u8>>, Vec<(Vec<u8>, ApplyError)>, Diff);

/// An executed, not yet finalized block.
#[derive(Clone, Debug)]
struct Pending {
    block: Block,
    diff: Diff,
}

/// Finalized state (the store) plus the unfinalized blocks built or verified on top of it.
#[derive(Debug)]
pub struct Chain {
    store: Arc<StateStore>,
    genesis_hash: Hash,
    pending: BTreeMap<Hash, Pending>,
    /// Pending blocks dropped as dead forks by [`Chain::finalize`], until taken.
    dropped: Vec<Block>,
}

/// A block built by [`Chain::build`]: the block and the extrinsics left out of it.
#[derive(Clone, Debug)]
pub struct Built {
    /// The new block (also kept as pending in the chain).
    pub block: Block,
    /// Candidate extrinsics that the runtime rejected, not included, with the reason.
    pub rejected: Vec<(Vec<u8>, ApplyError)>,
}

impl Chain {
    /// Opens the chain on `store`, committing `spec`'s genesis as block 0 if the store is empty.
    ///
    /// # Errors
    ///
    /// [`ChainError::Genesis`] for an invalid spec, [`ChainError::WrongGenesis`] if the store
    /// holds another chain, [`ChainError::Store`] on disk failure.
    pub fn open(store: Arc<StateStore>, spec: &ChainSpec) -> Result<Self, ChainError> {
        let genesis = build_genesis(spec)?;
        let diff: Diff = genesis.storage.into_iter().map(|(k, v)| (k, Some(v))).collect();
        let root = store.speculative_root(None, &[], &diff)?;
        let genesis = Block { header: genesis_header(root), extrinsics: Vec::new() };
        let genesis_hash = genesis.hash();
        match store.hash_of(0)? {
            None => {
                store.commit_block_with_body(0, genesis_hash, &diff, Some(&genesis.encode()))?;
            }
            Some(found) if found == genesis_hash => {}
            Some(found) => {
                return Err(ChainError::WrongGenesis {
                    found: hex(&found),
                    expected: hex(&genesis_hash),
                });
            }
        }
        Ok(Self { store, genesis_hash, pending: BTreeMap::new(), dropped: Vec::new() })
    }

    /// The genesis block hash.
    pub fn genesis_hash(&self) -> Hash {
        self.genesis_hash
    }

    /// The state store.
    pub fn store(&self) -> &Arc<StateStore> {
        &self.store
    }

    /// The latest committed (finalized) block.
    ///
    /// # Errors
    ///
    /// [`ChainError::Store`] on disk failure.
    pub fn head(&self) -> Result<store::Head, ChainError> {
        self.store.latest()?.ok_or(ChainError::Invalid("the store has no genesis"))
    }

    /// An unfinalized block we built or verified.
    pub fn pending_block(&self, hash: &Hash) -> Option<&Block> {
        self.pending.get(hash).map(|p| &p.block)
    }

    /// The best block: the highest unfinalized block descending from the committed head
    /// (ties broken by the smaller hash, so the choice is deterministic), else the head.
    ///
    /// # Errors
    ///
    /// [`ChainError::Store`] on disk failure.
    pub fn best(&self) -> Result<(u64, Hash), ChainError> {
        let head = self.head()?;
        let mut best = (head.number, head.hash);
        for (hash, p) in &self.pending {
            let number = u64::from(p.block.header.number);
            if (number > best.0 || (number == best.0 && number > head.number && *hash < best.1))
                && self.ancestry(hash).is_ok()
            {
                best = (number, *hash);
            }
        }
        Ok(best)
    }

    /// Block `hash`, unfinalized or committed (with its stored body), or `None` if unknown.
    ///
    /// # Errors
    ///
    /// [`ChainError::Store`] on disk failure; [`ChainError::Invalid`] if a stored body does
    /// not decode (a damaged store).
    pub fn block(&self, hash: &Hash) -> Result<Option<Block>, ChainError> {
        if let Some(p) = self.pending.get(hash) {
            return Ok(Some(p.block.clone()));
        }
        match self.store.number_of(*hash)? {
            Some(number) => self.committed_block(number),
            None => Ok(None),
        }
    }

    /// Committed block `number` from the store, or `None` if it is not committed (or was
    /// committed without a body).
    ///
    /// # Errors
    ///
    /// As [`Chain::block`].
    pub fn committed_block(&self, number: u64) -> Result<Option<Block>, ChainError> {
        let Some(bytes) = self.store.body(number)? else { return Ok(None) };
        Block::decode(&mut bytes.as_slice())
            .map(Some)
            .map_err(|_| ChainError::Invalid("a stored block body does not decode"))
    }

    /// What reading the state after block `hash` needs: the committed block it builds on and
    /// copies of the unfinalized diffs from there up to `hash` (oldest first; none for a
    /// committed block), or `None` if `hash` is unknown.
    ///
    /// # Errors
    ///
    /// [`ChainError::Store`] on disk failure.
    pub fn state_recipe(&self, hash: &Hash) -> Result<Option<(u64, Vec<Diff>)>, ChainError> {
        match self.ancestry(hash) {
            Ok((base, diffs)) => Ok(Some((base, diffs.into_iter().cloned().collect()))),
            Err(ChainError::UnknownParent(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Takes the pending blocks that finalization dropped as dead forks (they will never be
    /// finalized), oldest call first.
    pub fn take_dropped(&mut self) -> Vec<Block> {
        std::mem::take(&mut self.dropped)
    }

    /// How many unfinalized blocks are kept.
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }

    /// The number of block `hash` if it is committed or pending.
    ///
    /// # Errors
    ///
    /// [`ChainError::Store`] on disk failure.
    pub fn number_of(&self, hash: &Hash) -> Result<Option<u64>, ChainError> {
        if let Some(p) = self.pending.get(hash) {
            return Ok(Some(u64::from(p.block.header.number)));
        }
        Ok(self.store.number_of(*hash)?)
    }

    /// The committed block the parent builds on, and the unfinalized ancestors' diffs from it
    /// up to and including `parent` (oldest first).
    fn ancestry(&self, parent: &Hash) -> Result<(u64, Vec<&Diff>), ChainError> {
        let mut diffs = Vec::new();
        let mut cursor = *parent;
        loop {
            if let Some(p) = self.pending.get(&cursor) {
                diffs.push(&p.diff);
                cursor = p.block.header.parent_hash;
                continue;
            }
            match self.store.number_of(cursor)? {
                Some(number) => {
                    diffs.reverse();
                    return Ok((number, diffs));
                }
                None => return Err(ChainError::UnknownParent(hex(parent))),
            }
        }
    }

    /// Executes `extrinsics` on `parent`; with `strict`, any rejected extrinsic fails the
    /// block, else it is left out. Returns the header, the included extrinsics, the rejected
    /// ones and the diff.
    fn execute(
        &self,
        parent: &Hash,
        extrinsics: Vec<Vec<u8>>,
        author: Option<AccountId32>,
        strict: bool,
    ) -> Result<Executed, ChainError> {
        let (base, diffs) = self.ancestry(parent)?;
        let number = base
            .checked_add(diffs.len() as u64 + 1)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or(ChainError::Invalid("block number overflows u32"))?;
        let view = self.store.state_at(base)?;
        let mut parent_state = Overlay::new(view);
        for diff in &diffs {
            for (key, change) in diff.iter() {
                match change {
                    Some(value) => parent_state.put(key, value),
                    None => parent_state.delete(key),
                }
            }
        }
        let mut executive =
            Executive::initialize_block(&parent_state, Runtime, RUNTIME_VERSION, number, *parent);
        executive.set_author(author);
        let mut included = Vec::with_capacity(extrinsics.len());
        let mut rejected = Vec::new();
        for xt in extrinsics {
            match executive.apply_extrinsic(&xt) {
                Ok(_) => included.push(xt),
                Err(_) if strict => return Err(ChainError::Invalid("an extrinsic is rejected")),
                Err(e) => rejected.push((xt, e)),
            }
        }
        let diff = executive.finalize_block().into_parts().1;
        let state_root = self.store.speculative_root(Some(base), &diffs, &diff)?;
        let header = Header {
            parent_hash: *parent,
            number,
            state_root,
            extrinsics_root: extrinsics_root(&included),
            digest: author
                .map(|a| vec![DigestItem::PreRuntime(AUTHOR_ENGINE, a.as_bytes().to_vec())])
                .unwrap_or_default(),
        };
        Ok((header, included, rejected, diff))
    }

    /// Builds a block on `parent` from the candidate `extrinsics` (rejected ones are left out)
    /// with `author` as the fee recipient, and keeps it as pending.
    ///
    /// # Errors
    ///
    /// [`ChainError::UnknownParent`], [`ChainError::Store`].
    pub fn build(
        &mut self,
        parent: &Hash,
        extrinsics: Vec<Vec<u8>>,
        author: Option<AccountId32>,
    ) -> Result<Built, ChainError> {
        let (header, included, rejected, diff) = self.execute(parent, extrinsics, author, false)?;
        let block = Block { header, extrinsics: included };
        self.pending.insert(block.hash(), Pending { block: block.clone(), diff });
        Ok(Built { block, rejected })
    }

    /// Verifies a block from another proposer by re-executing it on its parent with the
    /// author its header names ([`header_author`]), which must be `expected` when given (the
    /// round's leader), and keeps it as pending. A block we already hold is accepted at once.
    ///
    /// # Errors
    ///
    /// [`ChainError::Invalid`] if its number, extrinsics root, state root or author is wrong or
    /// an extrinsic is rejected; [`ChainError::UnknownParent`] if its parent is unknown (it may
    /// arrive later); [`ChainError::Store`].
    pub fn import(
        &mut self,
        block: Block,
        expected: Option<AccountId32>,
    ) -> Result<(), ChainError> {
        let hash = block.hash();
        if self.number_of(&hash)?.is_some() {
            return Ok(());
        }
        if !block.body_matches() {
            return Err(ChainError::Invalid("extrinsics root mismatch"));
        }
        let author = header_author(&block.header)?;
        if expected.is_some() && author != expected {
            return Err(ChainError::Invalid("the block's author is not the round's leader"));
        }
        let (header, _, _, diff) =
            self.execute(&block.header.parent_hash, block.extrinsics.clone(), author, true)?;
        if header.number != block.header.number {
            return Err(ChainError::Invalid("wrong block number"));
        }
        if header.state_root != block.header.state_root {
            return Err(ChainError::Invalid("state root mismatch"));
        }
        debug_assert_eq!(header, block.header);
        self.pending.insert(hash, Pending { block, diff });
        Ok(())
    }

    /// Commits the finalized block `hash` and its unfinalized ancestors in height order, and
    /// drops pending blocks at or below its height (dead forks, see [`Chain::take_dropped`]). Idempotent: a block already
    /// committed is skipped. Returns the newly committed blocks, oldest first.
    ///
    /// # Errors
    ///
    /// [`ChainError::UnknownParent`] if `hash` or an ancestor is neither pending nor committed;
    /// [`ChainError::Conflict`] if it conflicts with a committed block; [`ChainError::Store`].
    pub fn finalize(&mut self, hash: &Hash) -> Result<Vec<Block>, ChainError> {
        let mut chain = Vec::new();
        let mut cursor = *hash;
        while self.store.number_of(cursor)?.is_none() {
            let p =
                self.pending.get(&cursor).ok_or_else(|| ChainError::UnknownParent(hex(&cursor)))?;
            chain.push(cursor);
            cursor = p.block.header.parent_hash;
        }
        chain.reverse();
        let mut committed = Vec::with_capacity(chain.len());
        for h in chain {
            let Some(p) = self.pending.remove(&h) else { continue };
            let number = u64::from(p.block.header.number);
            let body = p.block.encode();
            let root = match self.store.commit_block_with_body(number, h, &p.diff, Some(&body)) {
                Ok(root) => root,
                Err(store::Error::NotNext { .. }) => return Err(ChainError::Conflict(number)),
                Err(e) => {
                    self.pending.insert(h, p);
                    return Err(e.into());
                }
            };
            if root != p.block.header.state_root {
                // Speculative and committed roots are equal by the store's contract.
                return Err(ChainError::Invalid("committed root differs from the header"));
            }
            committed.push(p.block);
        }
        let head = self.head()?.number;
        let dead: Vec<Hash> = self
            .pending
            .iter()
            .filter(|(_, p)| u64::from(p.block.header.number) <= head)
            .map(|(h, _)| *h)
            .collect();
        for h in dead {
            if let Some(p) = self.pending.remove(&h) {
                self.dropped.push(p.block);
            }
        }
        Ok(committed)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
