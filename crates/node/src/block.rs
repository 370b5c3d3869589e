//! Blocks and headers: Substrate-shaped, SCALE-encoded, hashed with blake2-256.
//!
//! | item | encoding | as Substrate? |
//! | --- | --- | --- |
//! | [`Header`] | SCALE: `parent_hash: [u8; 32]`, `number: Compact<u32>`, `state_root: [u8; 32]`, `extrinsics_root: [u8; 32]`, `digest: Vec<DigestItem>` | yes, `sp_runtime::generic::Header<u32, BlakeTwo256>` |
//! | block hash | `blake2_256(SCALE(header))` ([`Header::hash`]) | yes |
//! | [`DigestItem`] | SCALE enum, Substrate's variant indices (`Other` 0, `Consensus` 4, `Seal` 5, `PreRuntime` 6, `RuntimeEnvironmentUpdated` 8) | yes; block producers write one `PreRuntime(*b"rtsn", proposer key)` ([`crate::chain::AUTHOR_ENGINE`]) |
//! | [`Block`] | SCALE: header, then `Vec<Vec<u8>>` extrinsics (each already a SCALE `Vec<u8>` with its length prefix, so the same bytes as Substrate's `Vec<OpaqueExtrinsic>`) | yes |
//! | extrinsics root | [`extrinsics_root`]: binary blake2-256 Merkle root | **no**, see below |
//! | state root | the node store's jmt root ([`crate::store`]) | **no**: Substrate uses a base-16 Patricia trie |
//!
//! # Deviation: the extrinsics root
//!
//! Substrate's extrinsics root is the ordered trie root (`LayoutV0<BlakeTwo256>`, keys are
//! `Compact<u32>` indices) of the extrinsics. We do not have a Patricia-trie implementation,
//! so [`extrinsics_root`] is a plain binary Merkle tree: leaves are
//! `blake2_256(0x00 ‖ extrinsic)`, inner nodes `blake2_256(0x01 ‖ left ‖ right)`, an odd node
//! at the end of a level is promoted unchanged, and the root of no extrinsics is
//! `blake2_256([])`. Domain separation of leaves and nodes prevents second-preimage tricks.
//! Clients that recompute the root from the body (rare; polkadot.js does not) would see the
//! difference.
//!
//! # Commonware
//!
//! [`Block`] implements commonware's codec (`Write`/`Read`/`EncodeSize`, wrapping the SCALE
//! bytes) and the `Digestible`/`Committable`/`Heightable`/`Block` traits that marshal needs,
//! with [`BlockDigest`] (commonware's 32-byte `sha256::Digest` type used as a plain 32-byte
//! container: its contents are our blake2 hash, nothing here hashes with SHA-256).

use bytes::BufMut;
use commonware_codec::{Buf, EncodeSize, Error as CodecError, Read, Write};
use parity_scale_codec::{Decode, Encode};
use rustensor_primitives::hashing::blake2_256;

/// The consensus digest of a block: its 32-byte blake2-256 hash, in commonware's 32-byte
/// digest container (the type's name says SHA-256; the bytes are our blake2 block hash).
pub type BlockDigest = commonware_cryptography::sha256::Digest;

/// A block hash as bytes.
pub type Hash = [u8; 32];

/// Converts a block hash into the consensus digest.
pub fn to_digest(hash: Hash) -> BlockDigest {
    BlockDigest::from(hash)
}

/// Converts a consensus digest back into a block hash.
pub fn from_digest(digest: &BlockDigest) -> Hash {
    let mut hash = [0; 32];
    hash.copy_from_slice(digest.as_ref());
    hash
}

/// A header digest item, as Substrate's `sp_runtime::generic::DigestItem` encodes it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum DigestItem {
    /// Arbitrary data.
    #[codec(index = 0)]
    Other(Vec<u8>),
    /// A message from the consensus engine to the runtime.
    #[codec(index = 4)]
    Consensus([u8; 4], Vec<u8>),
    /// A seal (signature) of the block by the consensus engine.
    #[codec(index = 5)]
    Seal([u8; 4], Vec<u8>),
    /// A pre-runtime digest (e.g. the Aura slot).
    #[codec(index = 6)]
    PreRuntime([u8; 4], Vec<u8>),
    /// The runtime code or heap pages changed.
    #[codec(index = 8)]
    RuntimeEnvironmentUpdated,
}

/// A block header (Substrate's `generic::Header<u32, BlakeTwo256>`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Header {
    /// The parent block's hash (all zeros for genesis).
    pub parent_hash: Hash,
    /// The block number (genesis is 0).
    #[codec(compact)]
    pub number: u32,
    /// The state root after the block.
    pub state_root: Hash,
    /// [`extrinsics_root`] of the block's extrinsics.
    pub extrinsics_root: Hash,
    /// Digest items (empty for now).
    pub digest: Vec<DigestItem>,
}

impl Header {
    /// The block hash: `blake2_256(SCALE(header))`, as Substrate computes it.
    pub fn hash(&self) -> Hash {
        blake2_256(&self.encode())
    }
}

/// The genesis header for a genesis state root: number 0, zero parent, no extrinsics.
pub fn genesis_header(state_root: Hash) -> Header {
    Header {
        parent_hash: [0; 32],
        number: 0,
        state_root,
        extrinsics_root: extrinsics_root(&[]),
        digest: Vec::new(),
    }
}

/// The extrinsics root (a documented deviation from Substrate, see the module docs).
pub fn extrinsics_root(extrinsics: &[Vec<u8>]) -> Hash {
    if extrinsics.is_empty() {
        return blake2_256(&[]);
    }
    let mut level: Vec<Hash> = extrinsics
        .iter()
        .map(|xt| {
            let mut leaf = Vec::with_capacity(xt.len() + 1);
            leaf.push(0x00);
            leaf.extend_from_slice(xt);
            blake2_256(&leaf)
        })
        .collect();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [left, right] => {
                    let mut node = [0u8; 65];
                    node[0] = 0x01;
                    node[1..33].copy_from_slice(left);
                    node[33..].copy_from_slice(right);
                    blake2_256(&node)
                }
                [single] => *single,
                _ => unreachable!("chunks(2) yields one or two items"),
            })
            .collect();
    }
    level[0]
}

/// A block: header and opaque extrinsics (each one the encoded `UncheckedExtrinsic`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Block {
    /// The header.
    pub header: Header,
    /// The extrinsics, in order.
    pub extrinsics: Vec<Vec<u8>>,
}

impl Block {
    /// The block hash (the header's hash).
    pub fn hash(&self) -> Hash {
        self.header.hash()
    }

    /// The block number.
    pub fn number(&self) -> u32 {
        self.header.number
    }

    /// Whether the header's extrinsics root matches the body.
    pub fn body_matches(&self) -> bool {
        self.header.extrinsics_root == extrinsics_root(&self.extrinsics)
    }
}

/// Limits on a decoded block (commonware `Read` config): untrusted bytes never allocate more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockLimits {
    /// The largest encoded block accepted, in bytes.
    pub max_bytes: usize,
}

impl Default for BlockLimits {
    fn default() -> Self {
        Self { max_bytes: 5 * 1024 * 1024 }
    }
}

// Commonware codec: a u32 length (big-endian) then the SCALE bytes.
impl Write for Block {
    fn write(&self, buf: &mut impl BufMut) {
        let bytes = self.encode();
        // A block over 4 GiB cannot be built: blocks are limited far below that.
        buf.put_u32(u32::try_from(bytes.len()).unwrap_or(u32::MAX));
        buf.put_slice(&bytes);
    }
}

impl EncodeSize for Block {
    fn encode_size(&self) -> usize {
        4 + self.encoded_size()
    }
}

impl Read for Block {
    type Cfg = BlockLimits;

    fn read_cfg(buf: &mut impl Buf, cfg: &BlockLimits) -> Result<Self, CodecError> {
        if buf.remaining() < 4 {
            return Err(CodecError::EndOfBuffer);
        }
        let len = buf.get_u32() as usize;
        if len > cfg.max_bytes {
            return Err(CodecError::Invalid("Block", "too large"));
        }
        if buf.remaining() < len {
            return Err(CodecError::EndOfBuffer);
        }
        let mut bytes = vec![0; len];
        buf.copy_to_slice(&mut bytes);
        let mut input = bytes.as_slice();
        let block =
            Self::decode(&mut input).map_err(|_| CodecError::Invalid("Block", "bad SCALE"))?;
        if !input.is_empty() {
            return Err(CodecError::Invalid("Block", "trailing bytes"));
        }
        Ok(block)
    }
}

impl commonware_cryptography::Digestible for Block {
    type Digest = BlockDigest;

    fn digest(&self) -> BlockDigest {
        to_digest(self.hash())
    }
}

impl commonware_cryptography::Committable for Block {
    type Commitment = BlockDigest;

    fn commitment(&self) -> BlockDigest {
        to_digest(self.hash())
    }
}

impl commonware_consensus::Heightable for Block {
    fn height(&self) -> commonware_consensus::types::Height {
        commonware_consensus::types::Height::new(u64::from(self.header.number))
    }
}

impl commonware_consensus::Block for Block {
    fn parent(&self) -> BlockDigest {
        to_digest(self.header.parent_hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_codec::Decode as _;
    use parity_scale_codec::Compact;

    fn compact_u32(n: u32) -> Vec<u8> {
        parity_scale_codec::Encode::encode(&Compact(n))
    }

    #[test]
    fn header_encodes_as_substrate() {
        let header = Header {
            parent_hash: [1; 32],
            number: 5,
            state_root: [2; 32],
            extrinsics_root: [3; 32],
            digest: vec![DigestItem::PreRuntime(*b"aura", vec![9])],
        };
        let bytes = parity_scale_codec::Encode::encode(&header);
        let mut expected = vec![1; 32];
        expected.extend(compact_u32(5));
        expected.extend([2; 32]);
        expected.extend([3; 32]);
        expected.extend([4, 6, b'a', b'u', b'r', b'a', 4, 9]);
        assert_eq!(bytes, expected);
        assert_eq!(header.hash(), blake2_256(&expected));
    }

    #[test]
    fn extrinsics_root_is_order_sensitive_and_promotes_odd_nodes() {
        let a = vec![1u8];
        let b = vec![2u8];
        let c = vec![3u8];
        assert_ne!(
            extrinsics_root(&[a.clone(), b.clone()]),
            extrinsics_root(&[b.clone(), a.clone()])
        );
        assert_ne!(extrinsics_root(std::slice::from_ref(&a)), extrinsics_root(&[]));
        let three = extrinsics_root(&[a.clone(), b.clone(), c.clone()]);
        let leaf = |x: &[u8]| blake2_256(&[&[0u8][..], x].concat());
        let ab = blake2_256(&[&[1u8][..], &leaf(&a), &leaf(&b)].concat());
        assert_eq!(three, blake2_256(&[&[1u8][..], &ab, &leaf(&c)].concat()));
    }

    #[test]
    fn commonware_codec_round_trips_and_rejects_junk() {
        let block =
            Block { header: genesis_header([7; 32]), extrinsics: vec![vec![1, 2, 3], vec![]] };
        let bytes = commonware_codec::Encode::encode(&block);
        let limits = BlockLimits::default();
        assert_eq!(Block::decode_cfg(bytes.to_vec(), &limits).unwrap(), block);
        assert!(Block::decode_cfg(bytes[..bytes.len() - 1].to_vec(), &limits).is_err());
        assert!(Block::decode_cfg(vec![0xff, 0xff, 0xff, 0xff], &limits).is_err());
        assert!(Block::decode_cfg(vec![0, 0, 0, 1, 0xff], &limits).is_err());
    }
}
