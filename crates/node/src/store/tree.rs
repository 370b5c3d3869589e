//! The Jellyfish Merkle Tree over redb: node encoding, `TreeReader`, proofs.
//!
//! jmt addresses values by `sha256(key)` and versions by block number. Its nodes are stored
//! borsh-encoded in the `nodes` table (key: the borsh `NodeKey`). jmt also hands us each
//! version's values; we do not store them, because the flat table plus the undo log already
//! answer "value of key at block n" (see [`super::view`]). The only jmt path that reads values,
//! `get_with_proof`, is served by [`ProofReader`], which knows the single key being proved.

use borsh::BorshDeserialize;
use jmt::storage::{LeafNode, Node, NodeKey, TreeReader};
use jmt::{KeyHash, OwnedValue, Version};
use redb::{ReadableTable, TableDefinition};
use sha2::Sha256;

/// jmt nodes: borsh `NodeKey` → borsh `Node`.
pub(crate) const NODES: TableDefinition<'_, &[u8], &[u8]> = TableDefinition::new("jmt_nodes");
/// Nodes that left the tree: (version since which the node is stale, borsh `NodeKey`).
pub(crate) const STALE: TableDefinition<'_, (u64, &[u8]), ()> = TableDefinition::new("jmt_stale");

/// The tree with the hash we use.
pub(crate) type Tree<'a, R> = jmt::JellyfishMerkleTree<'a, R, Sha256>;

/// The key hash jmt files `key` under.
pub(crate) fn key_hash(key: &[u8]) -> KeyHash {
    KeyHash::with::<Sha256>(key)
}

/// Encodes a node key for the `nodes` and `stale` tables.
pub(crate) fn encode_node_key(key: &NodeKey) -> Vec<u8> {
    borsh::to_vec(key).expect("borsh encoding into a Vec cannot fail")
}

/// Encodes a node for the `nodes` table.
pub(crate) fn encode_node(node: &Node) -> Vec<u8> {
    borsh::to_vec(node).expect("borsh encoding into a Vec cannot fail")
}

/// Reads jmt nodes from any redb table holding them (a write transaction's table during
/// commit, a read transaction's table otherwise).
pub(crate) struct NodeReader<'t, T>(pub(crate) &'t T);

impl<T: ReadableTable<&'static [u8], &'static [u8]>> TreeReader for NodeReader<'_, T> {
    fn get_node_option(&self, node_key: &NodeKey) -> anyhow::Result<Option<Node>> {
        let Some(bytes) = self.0.get(encode_node_key(node_key).as_slice())? else {
            return Ok(None);
        };
        let node = Node::try_from_slice(bytes.value())
            .map_err(|e| anyhow::anyhow!("undecodable node {node_key:?}: {e}"))?;
        Ok(Some(node))
    }

    fn get_value_option(
        &self,
        _: Version,
        key_hash: KeyHash,
    ) -> anyhow::Result<Option<OwnedValue>> {
        // Values are not kept by key hash; nothing on the commit path asks for them.
        anyhow::bail!("value of key hash {key_hash:?} is not readable through the node table")
    }

    fn get_rightmost_leaf(&self) -> anyhow::Result<Option<(NodeKey, LeafNode)>> {
        anyhow::bail!("rightmost leaf is not tracked (only tree restore needs it)")
    }
}

/// A reader that knows nothing: the tree before genesis.
pub(crate) struct EmptyReader;

impl TreeReader for EmptyReader {
    fn get_node_option(&self, _: &NodeKey) -> anyhow::Result<Option<Node>> {
        Ok(None)
    }

    fn get_value_option(&self, _: Version, _: KeyHash) -> anyhow::Result<Option<OwnedValue>> {
        Ok(None)
    }

    fn get_rightmost_leaf(&self) -> anyhow::Result<Option<(NodeKey, LeafNode)>> {
        Ok(None)
    }
}

/// Nodes from a table; the value of the one key being proved from the caller.
pub(crate) struct ProofReader<'t, T> {
    pub(crate) nodes: NodeReader<'t, T>,
    pub(crate) key_hash: KeyHash,
    pub(crate) value: Option<Vec<u8>>,
}

impl<T: ReadableTable<&'static [u8], &'static [u8]>> TreeReader for ProofReader<'_, T> {
    fn get_node_option(&self, node_key: &NodeKey) -> anyhow::Result<Option<Node>> {
        self.nodes.get_node_option(node_key)
    }

    fn get_value_option(
        &self,
        _: Version,
        key_hash: KeyHash,
    ) -> anyhow::Result<Option<OwnedValue>> {
        anyhow::ensure!(key_hash == self.key_hash, "proof asked for another key's value");
        Ok(self.value.clone())
    }

    fn get_rightmost_leaf(&self) -> anyhow::Result<Option<(NodeKey, LeafNode)>> {
        self.nodes.get_rightmost_leaf()
    }
}

/// A Merkle proof that a key has a given value, or is absent, under a state root.
///
/// Check it with [`verify_proof`]. The encoding of [`Proof::to_bytes`] is jmt's borsh
/// encoding of a `SparseMerkleProof` (SHA-256).
#[derive(Clone, Debug, PartialEq)]
pub struct Proof(pub(crate) jmt::proof::SparseMerkleProof<Sha256>);

impl Proof {
    /// The proof as bytes, for sending to a light client.
    pub fn to_bytes(&self) -> Vec<u8> {
        borsh::to_vec(&self.0).expect("borsh encoding into a Vec cannot fail")
    }

    /// Decodes a proof made by [`Proof::to_bytes`]; `None` if the bytes are not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        jmt::proof::SparseMerkleProof::try_from_slice(bytes).ok().map(Self)
    }
}

/// Whether `proof` shows that, under state root `root`, `key` holds `value` (`Some`) or is
/// absent (`None`).
///
/// Returns `false` for any mismatch: another value, another root, a proof for another key, a
/// malformed proof. Never panics.
pub fn verify_proof(root: [u8; 32], key: &[u8], value: Option<&[u8]>, proof: &Proof) -> bool {
    proof.0.verify(jmt::RootHash(root), key_hash(key), value).is_ok()
}
