//! The seams between the RPC server and the rest of the node: what it reads from the chain
//! ([`ChainReader`]) and where it sends transactions ([`TxPool`]), with the plain data types
//! both sides exchange. Nothing here knows about consensus or the block format on disk.

use blake2::Blake2bVar;
use blake2::digest::{Update, VariableOutput};
use parity_scale_codec::{Compact, Encode};
use rustensor_primitives::AccountId32;
use rustensor_runtime::extrinsic::{InvalidTransaction, UnknownTransaction};
use rustensor_runtime::genesis::Properties;
use rustensor_runtime::storage::KvRead;
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc};

/// A block hash (32 bytes; the RPC shows it as `0x` and 64 hex digits).
pub type Hash = [u8; 32];

/// A block header as the RPC shows it, already decoded into its fields.
///
/// Wire format: [`RpcHeader::to_json`] matches Substrate's `Header` JSON (`parentHash`,
/// `number` as a hex string, `stateRoot`, `extrinsicsRoot`, `digest.logs`); changing it breaks
/// clients.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RpcHeader {
    /// The parent block's hash (all zeros for genesis).
    pub parent_hash: Hash,
    /// The block number.
    pub number: u64,
    /// The state root after this block.
    pub state_root: Hash,
    /// The extrinsics root.
    pub extrinsics_root: Hash,
    /// The digest items, each SCALE-encoded (`DigestItem`), shown as hex.
    pub digest_logs: Vec<Vec<u8>>,
}

impl RpcHeader {
    /// The header as Substrate's JSON object.
    pub fn to_json(&self) -> Value {
        json!({
            "parentHash": hex0x(&self.parent_hash),
            "number": format!("{:#x}", self.number),
            "stateRoot": hex0x(&self.state_root),
            "extrinsicsRoot": hex0x(&self.extrinsics_root),
            "digest": { "logs": self.digest_logs.iter().map(|l| hex0x(l)).collect::<Vec<_>>() },
        })
    }

    /// The SCALE encoding of a Substrate header with these fields (number as `Compact`,
    /// digest as `Vec<DigestItem>` of the already-encoded items).
    pub fn scale_encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 * 3 + 16);
        self.parent_hash.encode_to(&mut out);
        Compact(self.number).encode_to(&mut out);
        self.state_root.encode_to(&mut out);
        self.extrinsics_root.encode_to(&mut out);
        Compact(u32::try_from(self.digest_logs.len()).unwrap_or(u32::MAX)).encode_to(&mut out);
        for log in &self.digest_logs {
            out.extend_from_slice(log);
        }
        out
    }
}

/// A block as the RPC shows it: its header and its extrinsics.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RpcBlock {
    /// The header.
    pub header: RpcHeader,
    /// Each extrinsic as encoded on the wire, its compact length prefix included (clients
    /// find theirs by `blake2_256` of exactly these bytes).
    pub extrinsics: Vec<Vec<u8>>,
}

/// What kind of chain this is (`system_chainType`).
///
/// Wire format: serialized as Substrate's `ChainType`: `"Development"`, `"Local"`, `"Live"`
/// or `{"Custom": name}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainType {
    /// A development chain (one local authority, well-known keys).
    Development,
    /// A local test network.
    Local,
    /// A live network (btcli adds explorer links for it).
    Live,
    /// Anything else.
    Custom(String),
}

impl ChainType {
    /// The JSON value Substrate gives this chain type.
    pub fn to_json(&self) -> Value {
        match self {
            Self::Development => json!("Development"),
            Self::Local => json!("Local"),
            Self::Live => json!("Live"),
            Self::Custom(name) => json!({ "Custom": name }),
        }
    }
}

/// Facts about the chain that do not change while the node runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainInfo {
    /// The chain name (`system_chain`), from the chain spec.
    pub name: String,
    /// The chain id, from the chain spec.
    pub id: String,
    /// Token properties (`system_properties`).
    pub properties: Properties,
    /// The chain type (`system_chainType`).
    pub chain_type: ChainType,
}

/// The node's view of the network (`system_health`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Health {
    /// Connected peers.
    pub peers: u64,
    /// Whether the node is catching up.
    pub is_syncing: bool,
    /// Whether the node expects peers (false for a single-node dev chain).
    pub should_have_peers: bool,
}

/// The runtime version as `state_getRuntimeVersion` shows it.
///
/// Wire format: [`RuntimeVersionInfo::to_json`] matches Substrate's `RuntimeVersion` JSON; the
/// Python clients need `specName`, `specVersion` and `transactionVersion`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeVersionInfo {
    /// `specName` (subtensor: `"node-subtensor"`).
    pub spec_name: String,
    /// `implName`.
    pub impl_name: String,
    /// `authoringVersion`.
    pub authoring_version: u32,
    /// `specVersion`: clients cache metadata by it, so it changes whenever metadata does.
    pub spec_version: u32,
    /// `implVersion`.
    pub impl_version: u32,
    /// `(blake2_64(api name), version)` for each runtime API.
    pub apis: Vec<([u8; 8], u32)>,
    /// `transactionVersion`.
    pub transaction_version: u32,
    /// `stateVersion` (0 or 1).
    pub state_version: u8,
}

/// The versions of the runtime APIs Substrate clients may check (others are version 1).
const API_VERSIONS: &[(&str, u32)] = &[
    ("Core", 5),
    ("Metadata", 2),
    ("BlockBuilder", 6),
    ("TaggedTransactionQueue", 3),
    ("OffchainWorkerApi", 2),
    ("AuraApi", 1),
    ("SessionKeys", 1),
    ("GrandpaApi", 3),
    ("AccountNonceApi", 1),
    ("TransactionPaymentApi", 4),
    ("TransactionPaymentCallApi", 3),
    ("GenesisBuilder", 1),
];

impl RuntimeVersionInfo {
    /// The version of this runtime: subtensor's names (`node-subtensor`), the given spec and
    /// transaction versions, and one entry per runtime API in the metadata.
    pub fn rustensor(version: rustensor_runtime::executive::RuntimeVersion) -> Self {
        let apis = rustensor_runtime::metadata::apis::runtime_apis()
            .iter()
            .map(|api| {
                let v = API_VERSIONS.iter().find(|(n, _)| *n == api.name).map_or(1, |(_, v)| *v);
                (api_id(api.name), v)
            })
            .collect();
        Self {
            spec_name: "node-subtensor".into(),
            impl_name: "node-subtensor".into(),
            authoring_version: 1,
            spec_version: version.spec_version,
            impl_version: 1,
            apis,
            transaction_version: version.transaction_version,
            state_version: 1,
        }
    }

    /// The version as Substrate's JSON object (`apis` as `[["0x…8 bytes", version], …]`).
    pub fn to_json(&self) -> Value {
        json!({
            "specName": self.spec_name,
            "implName": self.impl_name,
            "authoringVersion": self.authoring_version,
            "specVersion": self.spec_version,
            "implVersion": self.impl_version,
            "apis": self.apis.iter().map(|(id, v)| json!([hex0x(id), v])).collect::<Vec<_>>(),
            "transactionVersion": self.transaction_version,
            "stateVersion": self.state_version,
        })
    }
}

/// A runtime API's id: the 8-byte blake2b hash of its trait name, as `sp_api` computes it.
pub fn api_id(name: &str) -> [u8; 8] {
    let mut out = [0u8; 8];
    let mut hasher = Blake2bVar::new(8).expect("8 is a valid blake2b output size");
    hasher.update(name.as_bytes());
    hasher.finalize_variable(&mut out).expect("the buffer is the requested size");
    out
}

/// Why state at a block cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    /// No block with this hash is known.
    #[error("UnknownBlock: header not found for block 0x{}", hex::encode(.0))]
    UnknownBlock(Hash),
    /// The block is known but its state was pruned.
    #[error("UnknownBlock: state already discarded for block 0x{}", hex::encode(.0))]
    Pruned(Hash),
    /// The backend failed (disk error).
    #[error("backend error: {0}")]
    Backend(String),
}

/// Read access to the chain for the RPC server.
///
/// Implementations answer from finalized (and, if they have it, best-chain) data; every
/// method is cheap or does bounded disk reads, and none may panic. Methods are called from
/// async tasks and from blocking threads.
pub trait ChainReader: Send + Sync + 'static {
    /// The best block: `(number, hash)`.
    fn best(&self) -> (u64, Hash);
    /// The last finalized block: `(number, hash)`.
    fn finalized(&self) -> (u64, Hash);
    /// The genesis block's hash (block 0).
    fn genesis_hash(&self) -> Hash;
    /// The hash of block `number` on the best chain, or `None` if there is none (yet).
    fn hash_of(&self, number: u64) -> Option<Hash>;
    /// The header of block `hash`, or `None` if unknown.
    fn header(&self, hash: &Hash) -> Option<RpcHeader>;
    /// Block `hash` with its extrinsics, or `None` if unknown (or its body was pruned).
    fn block(&self, hash: &Hash) -> Option<RpcBlock>;
    /// A read view of the state after block `hash`.
    ///
    /// # Errors
    ///
    /// [`StateError::UnknownBlock`] for an unknown hash, [`StateError::Pruned`] when the
    /// state is no longer kept, [`StateError::Backend`] on a disk error.
    fn state_at(&self, hash: &Hash) -> Result<Box<dyn KvRead + '_>, StateError>;
    /// Chain name, id, properties and type.
    fn chain_info(&self) -> ChainInfo;
    /// The runtime version (one runtime for the whole chain: no upgrades yet).
    fn runtime_version(&self) -> RuntimeVersionInfo;
    /// Peers and sync status. The default is a lone, synced node.
    fn health(&self) -> Health {
        Health::default()
    }
    /// Finalized block `number` as stored: its SCALE encoding and, where kept, the SCALE
    /// encoding of its own finalization certificate (see
    /// [`crate::store::StateStore::put_finality`]), for full nodes that follow this one
    /// (`rustensor_finalizedBlocks`). `None` when not finalized here, or when the reader keeps
    /// no blocks (the default).
    fn finalized_raw(&self, _number: u64) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
        None
    }
    /// A receiver of each new best block's header, in import order. A lagging receiver loses
    /// the oldest headers (the subscription then skips them).
    fn subscribe_new_heads(&self) -> broadcast::Receiver<RpcHeader>;
    /// A receiver of each newly finalized block's header, in order.
    fn subscribe_finalized_heads(&self) -> broadcast::Receiver<RpcHeader>;
}

/// A watched transaction's progress (`author_extrinsicUpdate`).
///
/// Wire format: serialized as Substrate's `TransactionStatus`: `"future"`, `"ready"`,
/// `{"broadcast":[peers]}`, `{"inBlock":h}`, `{"retracted":h}`, `{"finalityTimeout":h}`,
/// `{"finalized":h}`, `{"usurped":h}`, `"dropped"`, `"invalid"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxStatus {
    /// In the pool, waiting for an earlier nonce.
    Future,
    /// In the pool, ready to be included.
    Ready,
    /// Gossiped to these peers.
    Broadcast(Vec<String>),
    /// Included in this block.
    InBlock(Hash),
    /// The block that included it left the best chain.
    Retracted(Hash),
    /// Finality did not come in time after inclusion in this block (final status).
    FinalityTimeout(Hash),
    /// Included in this finalized block (final status).
    Finalized(Hash),
    /// Replaced by the transaction with this hash (final status).
    Usurped(Hash),
    /// Dropped from the pool (limits; final status).
    Dropped,
    /// Became invalid (final status).
    Invalid,
}

impl TxStatus {
    /// The JSON value Substrate gives this status.
    pub fn to_json(&self) -> Value {
        match self {
            Self::Future => json!("future"),
            Self::Ready => json!("ready"),
            Self::Broadcast(peers) => json!({ "broadcast": peers }),
            Self::InBlock(h) => json!({ "inBlock": hex0x(h) }),
            Self::Retracted(h) => json!({ "retracted": hex0x(h) }),
            Self::FinalityTimeout(h) => json!({ "finalityTimeout": hex0x(h) }),
            Self::Finalized(h) => json!({ "finalized": hex0x(h) }),
            Self::Usurped(h) => json!({ "usurped": hex0x(h) }),
            Self::Dropped => json!("dropped"),
            Self::Invalid => json!("invalid"),
        }
    }

    /// Whether no status follows this one (the subscription then ends).
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::FinalityTimeout(_)
                | Self::Finalized(_)
                | Self::Usurped(_)
                | Self::Dropped
                | Self::Invalid
        )
    }
}

/// Why the pool did not take a transaction. Each maps to Substrate's author error code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    /// The bytes are not a well-formed extrinsic (code 1001).
    #[error("invalid extrinsic format: {0}")]
    BadFormat(String),
    /// The transaction is invalid (code 1010, Substrate's text in `data`).
    #[error("invalid transaction: {0}")]
    Invalid(InvalidTransaction),
    /// The transaction's validity cannot be determined (code 1011).
    #[error("unknown transaction validity: {0}")]
    Unknown(UnknownTransaction),
    /// The same transaction is already in the pool (code 1013).
    #[error("transaction already imported")]
    AlreadyImported(Hash),
    /// A transaction with the same tags and a higher or equal priority is in the pool (1014).
    #[error("priority is too low: ({old} vs {new})")]
    TooLowPriority {
        /// The priority of the transaction already in the pool.
        old: u64,
        /// The priority of the new one.
        new: u64,
    },
    /// The pool is full (code 1016).
    #[error("immediately dropped: the pool is full")]
    ImmediatelyDropped,
    /// Anything else (code 1040).
    #[error("{0}")]
    Other(String),
}

impl From<rustensor_runtime::executive::ApplyError> for PoolError {
    fn from(e: rustensor_runtime::executive::ApplyError) -> Self {
        use rustensor_runtime::executive::ApplyError;
        use rustensor_runtime::extrinsic::TransactionValidityError;
        match e {
            ApplyError::Decode(d) => Self::BadFormat(d.to_string()),
            ApplyError::Call(c) => Self::BadFormat(c.to_string()),
            ApplyError::Validity(TransactionValidityError::Invalid(i)) => Self::Invalid(i),
            ApplyError::Validity(TransactionValidityError::Unknown(u)) => Self::Unknown(u),
        }
    }
}

/// A stream of one transaction's statuses, ending after a final one ([`TxStatus::is_final`])
/// or when the pool drops the sender.
pub type TxStatusStream = mpsc::Receiver<TxStatus>;

/// The transaction pool as the RPC server sees it.
pub trait TxPool: Send + Sync + 'static {
    /// Validates `xt` (the encoded extrinsic, length prefix included) and adds it to the pool;
    /// returns its hash (`blake2_256` of `xt`).
    ///
    /// # Errors
    ///
    /// A [`PoolError`] saying why it was not taken.
    fn submit(&self, xt: Vec<u8>) -> Result<Hash, PoolError>;
    /// As [`TxPool::submit`], and returns the stream of its statuses (the first is usually
    /// [`TxStatus::Ready`] or [`TxStatus::Future`]).
    ///
    /// # Errors
    ///
    /// As [`TxPool::submit`].
    fn watch(&self, xt: Vec<u8>) -> Result<(Hash, TxStatusStream), PoolError>;
    /// The next nonce `account` should use: its nonce at the best block, past any of its
    /// transactions already in the pool.
    fn next_index(&self, account: &AccountId32) -> u64;
    /// The transactions in the pool (`author_pendingExtrinsics`). Default: none reported.
    fn pending(&self) -> Vec<Vec<u8>> {
        Vec::new()
    }
}

/// `0x` and the lowercase hex digits of `bytes`.
pub fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}
