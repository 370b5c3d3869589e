//! [`ChainClient`]: reads, runtime API calls and signed submissions against one node.

use std::collections::BTreeMap;

use jsonrpsee_core::params::ArrayParams;
use jsonrpsee_core::rpc_params;
use parity_scale_codec::{Decode, Encode};
use rustensor_primitives::{AccountId32, Balance, NetUid};
use rustensor_runtime_types::pallets::subtensor::runtime_api::{
    dynamic::DynamicInfo, stake::StakeInfo,
};
use rustensor_runtime_types::pallets::subtensor::storage as st;
use rustensor_runtime_types::pallets::system;
use rustensor_runtime_types::storage::StorageItem;
use serde_json::Value;
use tokio::sync::Mutex;

use super::error::{ChainError, Result};
use super::events::{ErrorTable, EventRecord, decode_events};
use super::metagraph::Metagraph;
use super::rpc::{ConnectOptions, Retry, Rpc};

/// A block hash.
pub type BlockHash = [u8; 32];

/// A block by number and hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockRef {
    /// Its height.
    pub number: u64,
    /// Its hash.
    pub hash: BlockHash,
}

/// The runtime's versions that go into every signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuntimeVersion {
    /// `specVersion`.
    pub spec_version: u32,
    /// `transactionVersion`.
    pub transaction_version: u32,
}

/// The endpoint `--network local` means.
pub const LOCAL_URL: &str = "ws://127.0.0.1:9944";

/// Turns a `--network` value into a URL: `local` (or `dev`) is [`LOCAL_URL`], anything else is
/// taken as given.
pub fn network_url(network: &str) -> String {
    match network {
        "local" | "dev" | "localhost" => LOCAL_URL.to_owned(),
        other => other.to_owned(),
    }
}

/// A connection to one rustensor (or subtensor) node over JSON-RPC.
///
/// Connecting reads the genesis hash, the runtime version and the metadata's error table once.
/// Every read takes an optional block hash (`None`: the best block). Submissions
/// ([`ChainClient::submit`]) sign with the next nonce of the signer, tracked across submissions
/// so several can be sent in a row without waiting.
pub struct ChainClient {
    pub(crate) rpc: Rpc,
    genesis_hash: BlockHash,
    runtime: RuntimeVersion,
    errors: ErrorTable,
    pub(crate) nonces: Mutex<BTreeMap<AccountId32, u32>>,
}

impl std::fmt::Debug for ChainClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChainClient")
            .field("url", &self.rpc.url())
            .field("genesis_hash", &hex::encode(self.genesis_hash))
            .field("runtime", &self.runtime)
            .finish_non_exhaustive()
    }
}

pub(crate) fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

pub(crate) fn parse_hex(what: &str, value: &str) -> Result<Vec<u8>> {
    hex::decode(value.trim_start_matches("0x"))
        .map_err(|e| ChainError::Decode { what: what.to_owned(), reason: e.to_string() })
}

pub(crate) fn parse_hash(what: &str, value: &Value) -> Result<BlockHash> {
    let text = value.as_str().ok_or_else(|| ChainError::Decode {
        what: what.to_owned(),
        reason: format!("expected a hex string, got {value}"),
    })?;
    parse_hex(what, text)?.try_into().map_err(|_| ChainError::Decode {
        what: what.to_owned(),
        reason: "expected 32 bytes".into(),
    })
}

fn parse_number(what: &str, value: &Value) -> Result<u64> {
    let bad = || ChainError::Decode {
        what: what.to_owned(),
        reason: format!("not a block number: {value}"),
    };
    match value {
        Value::String(s) => u64::from_str_radix(s.trim_start_matches("0x"), 16).map_err(|_| bad()),
        Value::Number(n) => n.as_u64().ok_or_else(bad),
        _ => Err(bad()),
    }
}

fn decode<T: Decode>(what: &str, bytes: &[u8]) -> Result<T> {
    let mut input = bytes;
    let value = T::decode(&mut input)
        .map_err(|e| ChainError::Decode { what: what.to_owned(), reason: e.to_string() })?;
    if input.is_empty() {
        Ok(value)
    } else {
        Err(ChainError::Decode {
            what: what.to_owned(),
            reason: format!("{} bytes left over", input.len()),
        })
    }
}

fn at_param(at: Option<BlockHash>) -> Value {
    at.map_or(Value::Null, |h| Value::String(hex0x(&h)))
}

impl ChainClient {
    /// Connects to `url` (`ws://…` or `http://…`) with default timeouts.
    ///
    /// # Errors
    ///
    /// [`ChainError::Connect`] if nothing answers there, or a decode error if what answers is
    /// not a Substrate-compatible node.
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_with(url, ConnectOptions::default()).await
    }

    /// Connects to `url` with explicit timeouts and reconnection attempts.
    ///
    /// # Errors
    ///
    /// As [`ChainClient::connect`].
    pub async fn connect_with(url: &str, options: ConnectOptions) -> Result<Self> {
        let rpc = Rpc::connect(url, options).await?;
        let genesis: Value =
            rpc.request("chain_getBlockHash", rpc_params![0], Retry::Idempotent).await?;
        let genesis_hash = parse_hash("the genesis hash", &genesis)?;
        let version: Value =
            rpc.request("state_getRuntimeVersion", ArrayParams::new(), Retry::Idempotent).await?;
        let field = |name: &str| {
            version
                .get(name)
                .and_then(Value::as_u64)
                .and_then(|v| u32::try_from(v).ok())
                .ok_or_else(|| ChainError::Decode {
                    what: "the runtime version".into(),
                    reason: format!("no {name}"),
                })
        };
        let runtime = RuntimeVersion {
            spec_version: field("specVersion")?,
            transaction_version: field("transactionVersion")?,
        };
        let metadata: String =
            rpc.request("state_getMetadata", ArrayParams::new(), Retry::Idempotent).await?;
        let errors = ErrorTable::from_metadata(&parse_hex("the metadata", &metadata)?)
            .map_err(|reason| ChainError::Decode { what: "the metadata".into(), reason })?;
        Ok(Self { rpc, genesis_hash, runtime, errors, nonces: Mutex::new(BTreeMap::new()) })
    }

    /// The node's URL.
    pub fn url(&self) -> &str {
        self.rpc.url()
    }

    /// The chain's genesis hash.
    pub fn genesis_hash(&self) -> BlockHash {
        self.genesis_hash
    }

    /// The runtime version read at connection.
    pub fn runtime_version(&self) -> RuntimeVersion {
        self.runtime
    }

    /// The chain's pallet errors, from its metadata.
    pub fn errors(&self) -> &ErrorTable {
        &self.errors
    }

    /// Calls any JSON-RPC method (reads are retried once after a reconnect).
    ///
    /// # Errors
    ///
    /// Transport, timeout or node errors.
    pub async fn raw_request(&self, method: &str, params: ArrayParams) -> Result<Value> {
        self.rpc.request(method, params, Retry::Idempotent).await
    }

    async fn header(&self, hash: Option<BlockHash>) -> Result<Value> {
        let header: Value =
            self.raw_request("chain_getHeader", rpc_params![at_param(hash)]).await?;
        if header.is_null() {
            return Err(ChainError::NotFound("the node does not know that block".into()));
        }
        Ok(header)
    }

    /// The best (latest imported) block.
    ///
    /// # Errors
    ///
    /// Transport or decode errors.
    pub async fn best_block(&self) -> Result<BlockRef> {
        let header = self.header(None).await?;
        let number = parse_number("the best block number", &header["number"])?;
        let hash = self.block_hash(number).await?.ok_or_else(|| {
            ChainError::NotFound(format!("block #{number} has no hash on the node"))
        })?;
        Ok(BlockRef { number, hash })
    }

    /// The latest finalized block.
    ///
    /// # Errors
    ///
    /// Transport or decode errors.
    pub async fn finalized_block(&self) -> Result<BlockRef> {
        let hash: Value = self.raw_request("chain_getFinalizedHead", ArrayParams::new()).await?;
        let hash = parse_hash("the finalized head", &hash)?;
        let number = self.block_number(hash).await?;
        Ok(BlockRef { number, hash })
    }

    /// The number of the block with this hash.
    ///
    /// # Errors
    ///
    /// [`ChainError::NotFound`] if the node does not know it.
    pub async fn block_number(&self, hash: BlockHash) -> Result<u64> {
        let header = self.header(Some(hash)).await?;
        parse_number("a block number", &header["number"])
    }

    /// The canonical hash at `number`, if the chain is that long.
    ///
    /// # Errors
    ///
    /// Transport or decode errors.
    pub async fn block_hash(&self, number: u64) -> Result<Option<BlockHash>> {
        let hash: Value = self.raw_request("chain_getBlockHash", rpc_params![number]).await?;
        if hash.is_null() { Ok(None) } else { parse_hash("a block hash", &hash).map(Some) }
    }

    /// The extrinsics of a block, as submitted (length-prefixed) bytes.
    ///
    /// # Errors
    ///
    /// [`ChainError::NotFound`] for an unknown block.
    pub async fn block_extrinsics(&self, hash: BlockHash) -> Result<Vec<Vec<u8>>> {
        let block: Value = self.raw_request("chain_getBlock", rpc_params![hex0x(&hash)]).await?;
        let list = block["block"]["extrinsics"].as_array().ok_or_else(|| {
            ChainError::NotFound(format!("block {} is not known to the node", hex0x(&hash)))
        })?;
        list.iter().map(|x| parse_hex("an extrinsic", x.as_str().unwrap_or_default())).collect()
    }

    /// The raw value under `key`.
    ///
    /// # Errors
    ///
    /// Transport errors, or an unknown / pruned block.
    pub async fn storage_raw(&self, key: &[u8], at: Option<BlockHash>) -> Result<Option<Vec<u8>>> {
        let value: Value =
            self.raw_request("state_getStorage", rpc_params![hex0x(key), at_param(at)]).await?;
        match value {
            Value::Null => Ok(None),
            Value::String(s) => parse_hex("a storage value", &s).map(Some),
            other => Err(ChainError::Decode {
                what: "a storage value".into(),
                reason: other.to_string(),
            }),
        }
    }

    /// Reads one entry of a runtime storage item, with the item's default for absent keys:
    /// `client.read::<st::Burn>(&netuid, None)`.
    ///
    /// # Errors
    ///
    /// Transport errors, or a value that does not decode as the item's type.
    pub async fn read<S: StorageItem>(
        &self,
        key: &S::Key,
        at: Option<BlockHash>,
    ) -> Result<S::Query> {
        let raw = self.storage_raw(&S::storage_key(key), at).await?;
        let value = match raw {
            Some(bytes) => Some(decode::<S::Value>("a storage value", &bytes)?),
            None => None,
        };
        Ok(S::query(value))
    }

    /// Calls a runtime API (`state_call`) with SCALE `params` and decodes the answer.
    ///
    /// # Errors
    ///
    /// Node errors (unknown method, bad parameters) or an answer that does not decode as `R`.
    pub async fn runtime_api<R: Decode>(
        &self,
        method: &str,
        params: &impl Encode,
        at: Option<BlockHash>,
    ) -> Result<R> {
        let answer: Value = self
            .raw_request("state_call", rpc_params![method, hex0x(&params.encode()), at_param(at)])
            .await?;
        let bytes = parse_hex(method, answer.as_str().unwrap_or_default())?;
        decode(&format!("the answer of {method}"), &bytes)
    }

    /// The events of a block.
    ///
    /// # Errors
    ///
    /// Transport errors or events this client cannot decode.
    pub async fn events(&self, at: BlockHash) -> Result<Vec<EventRecord>> {
        let key =
            <system::EventsPrefix as rustensor_runtime_types::storage::StoragePrefix>::prefix();
        let raw = self.storage_raw(&key, Some(at)).await?.unwrap_or_else(|| vec![0]);
        decode_events(&raw)
            .map_err(|reason| ChainError::Decode { what: "the block's events".into(), reason })
    }

    /// An account's free balance.
    ///
    /// # Errors
    ///
    /// Transport or decode errors.
    pub async fn free_balance(&self, who: &AccountId32, at: Option<BlockHash>) -> Result<Balance> {
        Ok(Balance::from_rao(self.account(who, at).await?.data.free))
    }

    /// An account's `System.Account` entry (nonce and balances; zero for a new account).
    ///
    /// # Errors
    ///
    /// Transport or decode errors.
    pub async fn account(
        &self,
        who: &AccountId32,
        at: Option<BlockHash>,
    ) -> Result<system::AccountInfo> {
        self.read::<system::Account>(who, at).await
    }

    /// The next nonce the node expects from `who`, counting its transactions in the pool.
    ///
    /// # Errors
    ///
    /// Transport or decode errors.
    pub async fn next_nonce(&self, who: &AccountId32) -> Result<u32> {
        let value: Value =
            self.raw_request("system_accountNextIndex", rpc_params![who.to_string()]).await?;
        value.as_u64().and_then(|n| u32::try_from(n).ok()).ok_or_else(|| ChainError::Decode {
            what: "the account's next nonce".into(),
            reason: value.to_string(),
        })
    }

    /// The subnets that exist, in netuid order (root, 0, included).
    ///
    /// # Errors
    ///
    /// Transport or decode errors.
    pub async fn subnets(&self, at: Option<BlockHash>) -> Result<Vec<DynamicInfo>> {
        let all: Vec<Option<DynamicInfo>> =
            self.runtime_api("SubnetInfoRuntimeApi_get_all_dynamic_info", &(), at).await?;
        Ok(all.into_iter().flatten().collect())
    }

    /// One subnet's pool and emission state.
    ///
    /// # Errors
    ///
    /// [`ChainError::NotFound`] if the subnet does not exist.
    pub async fn subnet(&self, netuid: NetUid, at: Option<BlockHash>) -> Result<DynamicInfo> {
        let info: Option<DynamicInfo> =
            self.runtime_api("SubnetInfoRuntimeApi_get_dynamic_info", &netuid, at).await?;
        info.ok_or_else(|| no_subnet(netuid))
    }

    /// A subnet's hyperparameters as named entries (`SubnetInfoRuntimeApi_get_subnet_hyperparams_v3`).
    ///
    /// # Errors
    ///
    /// [`ChainError::NotFound`] if the subnet does not exist.
    pub async fn hyperparameters(
        &self,
        netuid: NetUid,
        at: Option<BlockHash>,
    ) -> Result<
        Vec<rustensor_runtime_types::pallets::subtensor::runtime_api::hyperparams::HyperparamEntry>,
    > {
        let entries: Option<Vec<_>> =
            self.runtime_api("SubnetInfoRuntimeApi_get_subnet_hyperparams_v3", &netuid, at).await?;
        entries.ok_or_else(|| no_subnet(netuid))
    }

    /// The metagraph of a subnet: every neuron's keys, stake, axon and Yuma outputs (the
    /// Python SDK's `lite=True`), read at one block.
    ///
    /// # Errors
    ///
    /// [`ChainError::NotFound`] if the subnet does not exist.
    pub async fn metagraph(&self, netuid: NetUid, at: Option<BlockHash>) -> Result<Metagraph> {
        let at = Some(match at {
            Some(hash) => hash,
            None => self.best_block().await?.hash,
        });
        let raw: Option<
            rustensor_runtime_types::pallets::subtensor::runtime_api::metagraph::Metagraph,
        > = self.runtime_api("SubnetInfoRuntimeApi_get_metagraph", &netuid, at).await?;
        let metagraph = raw.map(Metagraph::from).ok_or_else(|| no_subnet(netuid))?;
        let lite: Vec<
            rustensor_runtime_types::pallets::subtensor::runtime_api::neuron::NeuronInfoLite,
        > = self.runtime_api("NeuronInfoRuntimeApi_get_neurons_lite", &netuid, at).await?;
        Ok(metagraph.with_neurons_lite(&lite))
    }

    /// The metagraph with every neuron's weights and bonds (the Python SDK's `lite=False`).
    ///
    /// # Errors
    ///
    /// [`ChainError::NotFound`] if the subnet does not exist.
    pub async fn metagraph_full(&self, netuid: NetUid, at: Option<BlockHash>) -> Result<Metagraph> {
        let at = Some(match at {
            Some(hash) => hash,
            None => self.best_block().await?.hash,
        });
        let raw: Option<
            rustensor_runtime_types::pallets::subtensor::runtime_api::metagraph::Metagraph,
        > = self.runtime_api("SubnetInfoRuntimeApi_get_metagraph", &netuid, at).await?;
        let metagraph = raw.map(Metagraph::from).ok_or_else(|| no_subnet(netuid))?;
        let full: Vec<
            rustensor_runtime_types::pallets::subtensor::runtime_api::neuron::NeuronInfo,
        > = self.runtime_api("NeuronInfoRuntimeApi_get_neurons", &netuid, at).await?;
        Ok(metagraph.with_neurons(&full))
    }

    /// Every stake position of a coldkey.
    ///
    /// # Errors
    ///
    /// Transport or decode errors.
    pub async fn stake_of_coldkey(
        &self,
        coldkey: &AccountId32,
        at: Option<BlockHash>,
    ) -> Result<Vec<StakeInfo>> {
        self.runtime_api("StakeInfoRuntimeApi_get_stake_info_for_coldkey", coldkey, at).await
    }

    /// What registering a new subnet locks now (`SubnetRegistrationRuntimeApi`).
    ///
    /// # Errors
    ///
    /// Transport or decode errors.
    pub async fn subnet_lock_cost(&self, at: Option<BlockHash>) -> Result<Balance> {
        let rao: u64 = self
            .runtime_api("SubnetRegistrationRuntimeApi_get_network_registration_cost", &(), at)
            .await?;
        Ok(Balance::from_rao(rao))
    }

    /// What `burned_register` on `netuid` costs now.
    ///
    /// # Errors
    ///
    /// [`ChainError::NotFound`] if the subnet does not exist.
    pub async fn burn_cost(&self, netuid: NetUid, at: Option<BlockHash>) -> Result<Balance> {
        if !self.read::<st::NetworksAdded>(&netuid, at).await? {
            return Err(no_subnet(netuid));
        }
        Ok(Balance::from_rao(self.read::<st::Burn>(&netuid, at).await?))
    }

    /// The uid of `hotkey` on `netuid`, if it is registered there.
    ///
    /// # Errors
    ///
    /// Transport or decode errors.
    pub async fn uid_of(
        &self,
        netuid: NetUid,
        hotkey: &AccountId32,
        at: Option<BlockHash>,
    ) -> Result<Option<u16>> {
        self.read::<st::Uids>(&(netuid, *hotkey), at).await
    }
}

fn no_subnet(netuid: NetUid) -> ChainError {
    ChainError::NotFound(format!(
        "subnet {netuid} does not exist (list the subnets with `rustensor subnet list`)"
    ))
}
