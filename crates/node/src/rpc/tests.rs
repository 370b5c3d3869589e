//! The server over a real socket, against an in-memory chain built with the real runtime.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use jsonrpsee_core::client::{ClientT, SubscriptionClientT};
use jsonrpsee_core::rpc_params;
use jsonrpsee_ws_client::WsClientBuilder;
use parity_scale_codec::{Decode, Encode};
use rustensor_primitives::AccountId32;
use rustensor_primitives::hashing::blake2_256;
use rustensor_runtime::executive::{Executive, validate_transaction};
use rustensor_runtime::genesis::{ChainSpec, DEV_BALANCE, build_genesis};
use rustensor_runtime::pallets::{Runtime, system};
use rustensor_runtime::storage::{KvIter, KvRead, MemoryKv, Overlay};
use rustensor_runtime::test_utils::{
    TEST_GENESIS_HASH, TEST_VERSION, dev_account, dev_pair, sign_call, transfer_keep_alive,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{broadcast, mpsc};

use super::*;

/// A state shared between the chain and the views it hands out.
struct SharedKv(Arc<MemoryKv>);

impl KvRead for SharedKv {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.0.get(key)
    }
    fn iter_from(&self, start: &[u8]) -> KvIter<'_> {
        self.0.iter_from(start)
    }
}

struct FakeBlock {
    hash: Hash,
    block: RpcBlock,
    state: Arc<MemoryKv>,
}

/// A chain held in memory: genesis from `ChainSpec::dev()`, then blocks executed by the real
/// `Executive`. Every block is final as soon as it is built.
struct FakeChain {
    blocks: Mutex<Vec<FakeBlock>>,
    new_heads: broadcast::Sender<RpcHeader>,
    finalized_heads: broadcast::Sender<RpcHeader>,
}

impl FakeChain {
    fn new() -> Arc<Self> {
        let genesis = build_genesis(&ChainSpec::dev()).expect("dev spec is valid");
        let state = MemoryKv::from(genesis.storage);
        let genesis = FakeBlock {
            hash: TEST_GENESIS_HASH,
            block: RpcBlock::default(),
            state: Arc::new(state),
        };
        let chain = Arc::new(Self {
            blocks: Mutex::new(vec![genesis]),
            new_heads: broadcast::channel(16).0,
            finalized_heads: broadcast::channel(16).0,
        });
        let transfer = sign_call(
            &dev_pair("Alice"),
            0,
            transfer_keep_alive(dev_account("Bob"), 1_000_000_000),
        );
        chain.push_block(vec![transfer]);
        chain.push_block(Vec::new());
        chain
    }

    /// Executes a block with `extrinsics` on the best state, appends it and announces it.
    fn push_block(&self, extrinsics: Vec<Vec<u8>>) -> Hash {
        let mut blocks = self.blocks.lock().expect("not poisoned");
        let parent = blocks.last().expect("genesis is always there");
        let number = u32::try_from(blocks.len()).expect("few blocks");
        let mut exec =
            Executive::initialize_block(&*parent.state, Runtime, TEST_VERSION, number, parent.hash);
        for xt in &extrinsics {
            exec.apply_extrinsic(xt).expect("test extrinsics are valid");
        }
        let mut overlay = exec.finalize_block();
        let mut state = (*parent.state).clone();
        overlay.drain_into(&mut state);
        let header = RpcHeader {
            parent_hash: parent.hash,
            number: u64::from(number),
            state_root: blake2_256(&state.entries().encode()),
            extrinsics_root: blake2_256(&extrinsics.encode()),
            digest_logs: vec![vec![6, b'a', b'u', b'r', b'a', 4, 0]],
        };
        let hash = blake2_256(&header.scale_encode());
        blocks.push(FakeBlock {
            hash,
            block: RpcBlock { header: header.clone(), extrinsics },
            state: Arc::new(state),
        });
        // No subscriber is fine.
        let _ = self.new_heads.send(header.clone());
        let _ = self.finalized_heads.send(header);
        hash
    }

    fn find(&self, hash: &Hash) -> Option<(RpcBlock, Arc<MemoryKv>)> {
        let blocks = self.blocks.lock().expect("not poisoned");
        blocks.iter().find(|b| &b.hash == hash).map(|b| (b.block.clone(), b.state.clone()))
    }

    fn best_state(&self) -> (u64, Hash, Arc<MemoryKv>) {
        let blocks = self.blocks.lock().expect("not poisoned");
        let last = blocks.last().expect("genesis");
        (last.block.header.number, last.hash, last.state.clone())
    }
}

impl ChainReader for FakeChain {
    fn best(&self) -> (u64, Hash) {
        let (n, h, _) = self.best_state();
        (n, h)
    }
    fn finalized(&self) -> (u64, Hash) {
        self.best()
    }
    fn genesis_hash(&self) -> Hash {
        TEST_GENESIS_HASH
    }
    fn hash_of(&self, number: u64) -> Option<Hash> {
        let blocks = self.blocks.lock().expect("not poisoned");
        blocks.get(usize::try_from(number).ok()?).map(|b| b.hash)
    }
    fn header(&self, hash: &Hash) -> Option<RpcHeader> {
        self.find(hash).map(|(b, _)| b.header)
    }
    fn block(&self, hash: &Hash) -> Option<RpcBlock> {
        self.find(hash).map(|(b, _)| b)
    }
    fn state_at(&self, hash: &Hash) -> Result<Box<dyn KvRead + '_>, StateError> {
        self.find(hash)
            .map(|(_, s)| Box::new(SharedKv(s)) as Box<dyn KvRead>)
            .ok_or(StateError::UnknownBlock(*hash))
    }
    fn chain_info(&self) -> ChainInfo {
        let spec = ChainSpec::dev();
        ChainInfo {
            name: spec.name,
            id: spec.id,
            properties: spec.properties,
            chain_type: ChainType::Development,
        }
    }
    fn runtime_version(&self) -> RuntimeVersionInfo {
        RuntimeVersionInfo::rustensor(TEST_VERSION)
    }
    fn subscribe_new_heads(&self) -> broadcast::Receiver<RpcHeader> {
        self.new_heads.subscribe()
    }
    fn subscribe_finalized_heads(&self) -> broadcast::Receiver<RpcHeader> {
        self.finalized_heads.subscribe()
    }
}

/// A pool that validates with the real runtime against the best state and never builds
/// blocks; watched transactions go ready → in block → finalized at the current best block.
struct FakePool {
    chain: Arc<FakeChain>,
}

impl FakePool {
    fn validate(&self, xt: &[u8]) -> Result<Hash, PoolError> {
        let (number, hash, state) = self.chain.best_state();
        let mut scratch = Overlay::new(&*state);
        let next = u32::try_from(number + 1).expect("few blocks");
        system::initialize_block(&mut scratch, next, hash);
        validate_transaction(&scratch, &Runtime, TEST_VERSION, xt)?;
        Ok(blake2_256(xt))
    }
}

impl TxPool for FakePool {
    fn submit(&self, xt: Vec<u8>) -> Result<Hash, PoolError> {
        self.validate(&xt)
    }
    fn watch(&self, xt: Vec<u8>) -> Result<(Hash, TxStatusStream), PoolError> {
        let hash = self.validate(&xt)?;
        let (tx, rx) = mpsc::channel(8);
        let at = self.chain.best().1;
        for status in [TxStatus::Ready, TxStatus::InBlock(at), TxStatus::Finalized(at)] {
            tx.try_send(status).expect("the channel has room");
        }
        Ok((hash, rx))
    }
    fn next_index(&self, account: &AccountId32) -> u64 {
        u64::from(system::account_nonce(&*self.chain.best_state().2, account))
    }
}

async fn serve_with(config: RpcConfig) -> (RpcServer, Arc<FakeChain>) {
    let chain = FakeChain::new();
    let pool = Arc::new(FakePool { chain: chain.clone() });
    let server = start(&config, chain.clone(), pool).await.expect("loopback port 0 binds");
    (server, chain)
}

async fn serve() -> (RpcServer, Arc<FakeChain>) {
    serve_with(RpcConfig { addr: ([127, 0, 0, 1], 0).into(), ..RpcConfig::default() }).await
}

/// POSTs `body` over a fresh connection; returns the HTTP status and the parsed JSON body.
async fn http_raw(server: &RpcServer, body: &str) -> (u16, Value) {
    let mut stream = tokio::net::TcpStream::connect(server.local_addr()).await.expect("connect");
    let request = format!(
        "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    // The server may answer (and close) before reading an oversized body: not an error here.
    let _ = stream.write_all(request.as_bytes()).await;
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    let text = String::from_utf8(raw).expect("utf-8 response");
    let (head, mut payload) = text.split_once("\r\n\r\n").expect("headers end");
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status code");
    let chunked;
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        let mut out = String::new();
        let mut rest = payload;
        while let Some((size, tail)) = rest.split_once("\r\n") {
            let size = usize::from_str_radix(size.trim(), 16).expect("chunk size");
            if size == 0 {
                break;
            }
            out.push_str(&tail[..size]);
            rest = &tail[size + 2..];
        }
        chunked = out;
        payload = &chunked;
    }
    (status, serde_json::from_str(payload).unwrap_or(Value::Null))
}

/// One JSON-RPC call over HTTP; returns the whole response object.
async fn rpc(server: &RpcServer, method: &str, params: Value) -> Value {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    http_raw(server, &body.to_string()).await.1
}

/// The `result` of a call that must succeed.
async fn ok(server: &RpcServer, method: &str, params: Value) -> Value {
    let response = rpc(server, method, params).await;
    assert!(response.get("error").is_none(), "{method} failed: {response}");
    response["result"].clone()
}

fn unhex(value: &Value) -> Vec<u8> {
    let s = value.as_str().unwrap_or_else(|| panic!("expected a hex string, got {value}"));
    hex::decode(s.strip_prefix("0x").expect("0x prefix")).expect("valid hex")
}

fn system_account_prefix() -> Vec<u8> {
    let mut key = rustensor_primitives::hashing::twox_128(b"System").to_vec();
    key.extend(rustensor_primitives::hashing::twox_128(b"Account"));
    key
}

fn account_key(who: &AccountId32) -> Vec<u8> {
    let mut key = system_account_prefix();
    key.extend(rustensor_primitives::hashing::blake2_128_concat(who.as_ref()));
    key
}

#[tokio::test]
async fn test_system_methods_have_substrate_shapes() {
    let (server, _) = serve().await;
    assert_eq!(ok(&server, "system_name", json!([])).await, json!("rustensor"));
    assert_eq!(ok(&server, "system_chain", json!([])).await, json!("Development"));
    assert_eq!(ok(&server, "system_chainType", json!([])).await, json!("Development"));
    assert!(ok(&server, "system_version", json!([])).await.is_string());
    assert_eq!(
        ok(&server, "system_properties", json!([])).await,
        json!({"ss58Format": 42, "tokenDecimals": 9, "tokenSymbol": "TAO"})
    );
    assert_eq!(
        ok(&server, "system_health", json!([])).await,
        json!({"peers": 0, "isSyncing": false, "shouldHavePeers": false})
    );
    let alice = dev_account("Alice").to_ss58();
    // Alice sent one transfer in block 1.
    assert_eq!(ok(&server, "system_accountNextIndex", json!([alice])).await, json!(1));
    assert_eq!(
        ok(&server, "account_nextIndex", json!([dev_account("Bob").to_ss58()])).await,
        json!(0)
    );
    server.stop().await;
}

#[tokio::test]
async fn test_finalized_blocks_takes_any_range_without_failing() {
    let (server, _) = serve().await;
    // This reader keeps no raw blocks: every range is empty, the last u64 included.
    for params in [
        json!([1, 64]),
        json!([u64::MAX, 64]),
        json!(["0xffffffffffffffff"]),
        json!([0, 1_000_000]),
    ] {
        assert_eq!(ok(&server, "rustensor_finalizedBlocks", params).await, json!([]));
    }
    for params in [json!([]), json!(["x"]), json!([-1]), json!([1, "many"])] {
        let response = rpc(&server, "rustensor_finalizedBlocks", params.clone()).await;
        assert_eq!(response["error"]["code"], -32602, "{params}: {response}");
    }
    server.stop().await;
}

#[tokio::test]
async fn test_rpc_methods_lists_every_method_and_aliases() {
    let (server, _) = serve().await;
    let methods = ok(&server, "rpc_methods", json!([])).await;
    let names: Vec<&str> =
        methods["methods"].as_array().expect("a list").iter().filter_map(Value::as_str).collect();
    for name in [
        "account_nextIndex",
        "system_accountNextIndex",
        "chain_getHead",
        "chain_getBlockHash",
        "chain_getFinalisedHead",
        "chain_subscribeNewHeads",
        "chain_unsubscribeNewHeads",
        "chain_subscribeFinalizedHeads",
        "state_getStorageAt",
        "state_queryStorageAt",
        "state_getKeysPaged",
        "state_getKeys",
        "state_call",
        "state_getMetadata",
        "state_getRuntimeVersion",
        "chain_getRuntimeVersion",
        "author_submitAndWatchExtrinsic",
        "author_unwatchExtrinsic",
        "author_submitExtrinsic",
        "author_pendingExtrinsics",
        "rustensor_finalizedBlocks",
        "rpc_methods",
    ] {
        assert!(names.contains(&name), "rpc_methods lacks {name}: {names:?}");
    }
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    server.stop().await;
}

#[tokio::test]
async fn test_chain_methods_return_hashes_headers_and_blocks() {
    let (server, chain) = serve().await;
    let (best_number, best) = chain.best();
    assert_eq!(best_number, 2);
    let best_hex = hex0x(&best);
    assert_eq!(ok(&server, "chain_getBlockHash", json!([])).await, json!(best_hex));
    assert_eq!(ok(&server, "chain_getHead", json!([])).await, json!(best_hex));
    assert_eq!(
        ok(&server, "chain_getBlockHash", json!([0])).await,
        json!(hex0x(&TEST_GENESIS_HASH))
    );
    assert_eq!(ok(&server, "chain_getBlockHash", json!(["0x2"])).await, json!(best_hex));
    assert_eq!(
        ok(&server, "chain_getBlockHash", json!([[0, 2, 99]])).await,
        json!([hex0x(&TEST_GENESIS_HASH), best_hex, null])
    );
    assert_eq!(ok(&server, "chain_getBlockHash", json!([99])).await, Value::Null);
    assert_eq!(ok(&server, "chain_getFinalizedHead", json!([])).await, json!(best_hex));
    assert_eq!(ok(&server, "chain_getFinalisedHead", json!([])).await, json!(best_hex));

    let header = ok(&server, "chain_getHeader", json!([best_hex])).await;
    let block1 = chain.hash_of(1).expect("block 1");
    assert_eq!(header["number"], json!("0x2"));
    assert_eq!(header["parentHash"], json!(hex0x(&block1)));
    assert_eq!(header["digest"]["logs"], json!(["0x0661757261 0400".replace(' ', "")]));
    assert!(header["stateRoot"].as_str().is_some_and(|s| s.len() == 66));
    assert!(header["extrinsicsRoot"].as_str().is_some_and(|s| s.len() == 66));
    // Without a hash: the best header.
    assert_eq!(ok(&server, "chain_getHeader", json!([])).await, header);
    // Unknown: null, as Substrate.
    assert_eq!(ok(&server, "chain_getHeader", json!([hex0x(&[9; 32])])).await, Value::Null);
    assert_eq!(ok(&server, "chain_getBlock", json!([hex0x(&[9; 32])])).await, Value::Null);

    let block = ok(&server, "chain_getBlock", json!([hex0x(&block1)])).await;
    assert_eq!(block["justifications"], Value::Null);
    assert_eq!(block["block"]["header"]["number"], json!("0x1"));
    let extrinsics = block["block"]["extrinsics"].as_array().expect("a list");
    assert_eq!(extrinsics.len(), 1);
    let xt = unhex(&extrinsics[0]);
    assert_eq!(xt, chain.block(&block1).expect("block 1").extrinsics[0]);
    server.stop().await;
}

#[tokio::test]
async fn test_state_get_storage_reads_alice_account() {
    let (server, chain) = serve().await;
    let alice = dev_account("Alice");
    let key = hex0x(&account_key(&alice));
    for method in ["state_getStorage", "state_getStorageAt"] {
        let value = ok(&server, method, json!([key, null])).await;
        let info = system::AccountInfo::decode(&mut unhex(&value).as_slice()).expect("AccountInfo");
        assert_eq!(info.nonce, 1);
        assert!(info.data.free < DEV_BALANCE && info.data.free > DEV_BALANCE - 2_000_000_000);
    }
    // At genesis: the dev balance, nonce 0.
    let at_genesis = ok(&server, "state_getStorage", json!([key, hex0x(&TEST_GENESIS_HASH)])).await;
    let info = system::AccountInfo::decode(&mut unhex(&at_genesis).as_slice()).expect("decodes");
    assert_eq!((info.nonce, info.data.free), (0, DEV_BALANCE));

    let size = ok(&server, "state_getStorageSize", json!([key])).await;
    assert_eq!(size, json!(unhex(&at_genesis).len()));
    let hash = ok(&server, "state_getStorageHash", json!([key])).await;
    let value = ok(&server, "state_getStorage", json!([key])).await;
    assert_eq!(unhex(&hash), blake2_256(&unhex(&value)));
    assert_eq!(ok(&server, "state_getStorage", json!(["0x00"])).await, Value::Null);

    let unknown = rpc(&server, "state_getStorage", json!([key, hex0x(&[9; 32])])).await;
    assert_eq!(unknown["error"]["code"], json!(STATE_CLIENT), "{unknown}");
    assert!(unknown["error"]["message"].as_str().is_some_and(|m| m.contains("UnknownBlock")));

    // queryStorageAt: every key, present or not, at the given block.
    let best = hex0x(&chain.best().1);
    let q = ok(&server, "state_queryStorageAt", json!([[key, "0x00"], best])).await;
    assert_eq!(q, json!([{ "block": best, "changes": [[key, value], ["0x00", null]] }]));
    server.stop().await;
}

#[tokio::test]
async fn test_state_get_keys_paged_pages_through_system_account_in_order() {
    let (server, chain) = serve().await;
    let prefix = hex0x(&system_account_prefix());
    let mut all = Vec::new();
    let mut start: Option<String> = None;
    loop {
        let page = ok(&server, "state_getKeysPaged", json!([prefix, 2, start, null])).await;
        let page: Vec<String> =
            page.as_array().expect("list").iter().map(|k| k.as_str().unwrap().into()).collect();
        assert!(page.len() <= 2);
        let Some(last) = page.last().cloned() else { break };
        all.extend(page);
        start = Some(last);
    }
    let state = chain.state_at(&chain.best().1).expect("best state");
    let expected: Vec<String> =
        state.iter_prefix(&system_account_prefix()).map(|(k, _)| hex0x(&k)).collect();
    assert!(expected.len() >= 6, "six dev accounts at least");
    assert_eq!(all, expected);
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted);

    // state_getKeys: the same keys in one answer, at the best block or a given one.
    assert_eq!(ok(&server, "state_getKeys", json!([prefix])).await, json!(expected));
    let best = hex0x(&chain.best().1);
    assert_eq!(ok(&server, "state_getKeysAt", json!([prefix, best])).await, json!(expected));
    let none = ok(&server, "state_getKeys", json!(["0x0102030405"])).await;
    assert_eq!(none, json!([]));

    // The count cap: Substrate's 4002.
    let too_many = rpc(&server, "state_getKeysPaged", json!([prefix, 1001])).await;
    assert_eq!(too_many["error"]["code"], json!(STATE_INVALID_COUNT), "{too_many}");
    assert_eq!(
        too_many["error"]["message"],
        json!("count exceeds maximum value. value: 1001, max: 1000")
    );
    server.stop().await;
}

#[tokio::test]
async fn test_state_runtime_version_metadata_and_call() {
    let (server, _) = serve().await;
    let version = ok(&server, "state_getRuntimeVersion", json!([])).await;
    assert_eq!(version["specName"], json!("node-subtensor"));
    assert_eq!(version["specVersion"], json!(TEST_VERSION.spec_version));
    assert_eq!(version["transactionVersion"], json!(TEST_VERSION.transaction_version));
    assert_eq!(version["stateVersion"], json!(1));
    let apis = version["apis"].as_array().expect("apis");
    // Metadata API: blake2_64("Metadata") = 0x37e397fc7c91f5e4, version 2.
    assert!(apis.contains(&json!(["0x37e397fc7c91f5e4", 2])), "{apis:?}");
    assert_eq!(ok(&server, "chain_getRuntimeVersion", json!([])).await, version);

    let metadata = unhex(&ok(&server, "state_getMetadata", json!([])).await);
    assert_eq!(metadata, rustensor_runtime::metadata::metadata_bytes());

    let result =
        ok(&server, "state_call", json!(["Metadata_metadata_at_version", "0x0f000000", null]))
            .await;
    let decoded = Option::<Vec<u8>>::decode(&mut unhex(&result).as_slice()).expect("Option<Vec>");
    let meta = decoded.expect("V15 is served");
    assert_eq!(&meta[..5], b"meta\x0f");

    let nonce = ok(
        &server,
        "state_call",
        json!(["AccountNonceApi_account_nonce", hex0x(dev_account("Alice").as_ref())]),
    )
    .await;
    assert_eq!(u32::decode(&mut unhex(&nonce).as_slice()).expect("u32"), 1);

    let unknown = rpc(&server, "state_call", json!(["Nope_nothing", "0x"])).await;
    assert_eq!(unknown["error"]["code"], json!(STATE_CLIENT), "{unknown}");
    let message = unknown["error"]["message"].as_str().expect("message");
    assert!(message.contains("Exported method Nope_nothing is not found"), "{message}");
    let bad = rpc(&server, "state_call", json!(["Metadata_metadata_at_version", "0x0f"])).await;
    assert_eq!(bad["error"]["code"], json!(STATE_CLIENT), "{bad}");
    server.stop().await;
}

#[tokio::test]
async fn test_protocol_errors_have_json_rpc_codes() {
    let (server, _) = serve().await;
    let (_, malformed) = http_raw(&server, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":").await;
    assert_eq!(malformed["error"]["code"], json!(-32700), "{malformed}");
    let unknown = rpc(&server, "system_nothing", json!([])).await;
    assert_eq!(unknown["error"]["code"], json!(-32601), "{unknown}");
    for (method, params) in [
        ("chain_getHeader", json!(["0x1234"])),
        ("chain_getHeader", json!([5])),
        ("chain_getBlockHash", json!([-1])),
        ("chain_getBlockHash", json!(["zz"])),
        ("state_getStorage", json!(["0xzz"])),
        ("state_getStorage", json!([])),
        ("state_getKeysPaged", json!(["0x"])),
        ("system_accountNextIndex", json!(["not an address"])),
        ("state_call", json!([1, "0x"])),
        ("system_name", json!({"named": 1})),
    ] {
        let response = rpc(&server, method, params.clone()).await;
        assert_eq!(
            response["error"]["code"],
            json!(INVALID_PARAMS),
            "{method} {params}: {response}"
        );
    }
    // Oversized bodies are refused without harming the server.
    let big = format!("[\"{}\"]", "a".repeat(11 * 1024 * 1024));
    let (status, _) = http_raw(&server, &big).await;
    assert_eq!(status, 413);
    assert_eq!(ok(&server, "system_name", json!([])).await, json!("rustensor"));
    server.stop().await;
}

#[tokio::test]
async fn test_author_rejects_invalid_transactions_with_substrate_codes() {
    let (server, _) = serve().await;
    // Alice's next nonce is 1; signed with nonce 0 it is stale.
    let stale =
        sign_call(&dev_pair("Alice"), 0, transfer_keep_alive(dev_account("Bob"), 1_000_000_000));
    let response = rpc(&server, "author_submitExtrinsic", json!([hex0x(&stale)])).await;
    assert_eq!(response["error"]["code"], json!(POOL_INVALID_TX), "{response}");
    assert_eq!(response["error"]["message"], json!("Invalid Transaction"));
    assert_eq!(response["error"]["data"], json!("Transaction is outdated"));

    let mut forged =
        sign_call(&dev_pair("Alice"), 1, transfer_keep_alive(dev_account("Bob"), 1_000_000_000));
    // The signature sits after the length prefix, version byte and 33-byte address.
    let sig_byte = 2 + 1 + 33 + 5;
    forged[sig_byte] ^= 0xff;
    let response = rpc(&server, "author_submitExtrinsic", json!([hex0x(&forged)])).await;
    assert_eq!(response["error"]["code"], json!(POOL_INVALID_TX), "{response}");
    assert_eq!(response["error"]["data"], json!("Transaction has a bad signature"));

    let garbage = rpc(&server, "author_submitExtrinsic", json!(["0x0102"])).await;
    assert_eq!(garbage["error"]["code"], json!(BAD_FORMAT), "{garbage}");

    let good =
        sign_call(&dev_pair("Alice"), 1, transfer_keep_alive(dev_account("Bob"), 1_000_000_000));
    let hash = ok(&server, "author_submitExtrinsic", json!([hex0x(&good)])).await;
    assert_eq!(hash, json!(hex0x(&blake2_256(&good))));
    assert_eq!(ok(&server, "author_pendingExtrinsics", json!([])).await, json!([]));
    server.stop().await;
}

#[tokio::test]
async fn test_pool_error_mapping_covers_unknown_and_limits() {
    use rustensor_runtime::extrinsic::{InvalidTransaction, UnknownTransaction};
    let cases = [
        (PoolError::Invalid(InvalidTransaction::Payment), POOL_INVALID_TX),
        (PoolError::Invalid(InvalidTransaction::Custom(3)), POOL_INVALID_TX),
        (PoolError::Unknown(UnknownTransaction::CannotLookup), POOL_UNKNOWN_VALIDITY),
        (PoolError::AlreadyImported([1; 32]), POOL_ALREADY_IMPORTED),
        (PoolError::TooLowPriority { old: 2, new: 1 }, POOL_TOO_LOW_PRIORITY),
        (PoolError::ImmediatelyDropped, POOL_IMMEDIATELY_DROPPED),
    ];
    for (e, code) in cases {
        assert_eq!(super::error::pool_error(&e).code(), code, "{e:?}");
    }
    let payment = super::error::pool_error(&PoolError::Invalid(InvalidTransaction::Payment));
    assert_eq!(
        payment.data().map(|d| d.get().to_owned()),
        Some("\"Inability to pay some fees (e.g. account balance too low)\"".to_owned())
    );
    let custom = super::error::pool_error(&PoolError::Invalid(InvalidTransaction::Custom(3)));
    assert_eq!(custom.data().map(|d| d.get().to_owned()), Some("\"Custom error: 3\"".to_owned()));
}

#[tokio::test]
async fn test_subscriptions_deliver_heads_and_watch_statuses() {
    let (server, chain) = serve().await;
    let client = WsClientBuilder::default().build(server.ws_url()).await.expect("ws connects");
    let mut heads = client
        .subscribe::<Value, _>(
            "chain_subscribeNewHeads",
            rpc_params![],
            "chain_unsubscribeNewHeads",
        )
        .await
        .expect("subscribes");
    let mut finalized = client
        .subscribe::<Value, _>(
            "chain_subscribeFinalizedHeads",
            rpc_params![],
            "chain_unsubscribeFinalizedHeads",
        )
        .await
        .expect("subscribes");
    let next = |n: u64| json!(format!("{n:#x}"));
    let recv = async |sub: &mut jsonrpsee_core::client::Subscription<Value>| {
        tokio::time::timeout(Duration::from_secs(10), sub.next())
            .await
            .expect("a head in time")
            .expect("subscription open")
            .expect("a header")
    };
    // The current head first, then each new block.
    assert_eq!(recv(&mut heads).await["number"], next(2));
    assert_eq!(recv(&mut finalized).await["number"], next(2));
    chain.push_block(Vec::new());
    chain.push_block(Vec::new());
    assert_eq!(recv(&mut heads).await["number"], next(3));
    assert_eq!(recv(&mut heads).await["number"], next(4));
    assert_eq!(recv(&mut finalized).await["number"], next(3));
    assert_eq!(recv(&mut finalized).await["number"], next(4));

    // Watching a valid extrinsic: ready, inBlock, finalized.
    let good =
        sign_call(&dev_pair("Alice"), 1, transfer_keep_alive(dev_account("Bob"), 1_000_000_000));
    let mut watch = client
        .subscribe::<Value, _>(
            "author_submitAndWatchExtrinsic",
            rpc_params![hex0x(&good)],
            "author_unwatchExtrinsic",
        )
        .await
        .expect("watch accepted");
    let best = hex0x(&chain.best().1);
    assert_eq!(recv(&mut watch).await, json!("ready"));
    assert_eq!(recv(&mut watch).await, json!({ "inBlock": best }));
    assert_eq!(recv(&mut watch).await, json!({ "finalized": best }));

    // An invalid one: the subscription call itself fails with 1010.
    let stale =
        sign_call(&dev_pair("Alice"), 0, transfer_keep_alive(dev_account("Bob"), 1_000_000_000));
    let err = client
        .subscribe::<Value, _>(
            "author_submitAndWatchExtrinsic",
            rpc_params![hex0x(&stale)],
            "author_unwatchExtrinsic",
        )
        .await
        .expect_err("stale nonce");
    match err {
        jsonrpsee_core::client::Error::Call(e) => assert_eq!(e.code(), POOL_INVALID_TX),
        other => panic!("expected a call error, got {other}"),
    }
    // Plain requests work on the same connection.
    let name: String = client.request("system_name", rpc_params![]).await.expect("call");
    assert_eq!(name, "rustensor");
    server.stop().await;
}

#[tokio::test]
async fn test_subscription_flood_gets_a_clear_error() {
    let config = RpcConfig {
        addr: ([127, 0, 0, 1], 0).into(),
        max_subscriptions_per_connection: 4,
        ..RpcConfig::default()
    };
    let (server, _) = serve_with(config).await;
    let client = WsClientBuilder::default().build(server.ws_url()).await.expect("ws connects");
    let mut subs = Vec::new();
    for _ in 0..4 {
        subs.push(
            client
                .subscribe::<Value, _>(
                    "chain_subscribeNewHeads",
                    rpc_params![],
                    "chain_unsubscribeNewHeads",
                )
                .await
                .expect("within the limit"),
        );
    }
    let err = client
        .subscribe::<Value, _>(
            "chain_subscribeNewHeads",
            rpc_params![],
            "chain_unsubscribeNewHeads",
        )
        .await
        .expect_err("over the limit");
    match err {
        jsonrpsee_core::client::Error::Call(e) => {
            assert_eq!(e.code(), -32006);
            assert!(e.message().contains("Too many subscriptions"), "{}", e.message());
        }
        other => panic!("expected a call error, got {other}"),
    }
    // The connection survives and other calls still work.
    let name: String = client.request("system_name", rpc_params![]).await.expect("call");
    assert_eq!(name, "rustensor");
    // Another connection has its own budget.
    let other = WsClientBuilder::default().build(server.ws_url()).await.expect("ws connects");
    other
        .subscribe::<Value, _>(
            "chain_subscribeNewHeads",
            rpc_params![],
            "chain_unsubscribeNewHeads",
        )
        .await
        .expect("a fresh connection may subscribe");
    drop(subs);
    server.stop().await;
}

#[test]
fn test_api_id_matches_substrate() {
    // Well-known ids from any Substrate runtime version.
    assert_eq!(hex0x(&api_id("Core")), "0xdf6acb689907609b");
    assert_eq!(hex0x(&api_id("Metadata")), "0x37e397fc7c91f5e4");
}

/// `$RUSTENSOR_PYTHON` if set, else the workspace's `.venv/bin/python` if present.
fn python() -> Option<std::path::PathBuf> {
    if let Some(python) = std::env::var_os("RUSTENSOR_PYTHON") {
        return Some(python.into());
    }
    let python =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    python.exists().then_some(python)
}

/// The official `async_substrate_interface` connects (runtime version, metadata through
/// `state_call`, `rpc_methods`) and reads `System.Account` of Alice.
const PY_QUERY: &str = r#"
import asyncio, json, sys
from async_substrate_interface import AsyncSubstrateInterface

async def main(url, who):
    async with AsyncSubstrateInterface(url) as substrate:
        account = await substrate.query("System", "Account", [who])
        nonce = await substrate.get_account_nonce(who)
        chain = await substrate.rpc_request("system_chain", [])
        print(json.dumps({"free": account.value["data"]["free"], "nonce": nonce, "chain": chain["result"]}))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_python_async_substrate_interface_reads_alice() {
    let Some(python) = python() else {
        assert!(
            std::env::var_os("CI").is_none(),
            ".venv/bin/python is missing in CI: scripts/setup should have installed it"
        );
        eprintln!(
            "SKIPPED: .venv/bin/python not found (run scripts/setup to install the Python clients)"
        );
        return;
    };
    let (server, _) = serve().await;
    let url = server.ws_url();
    let alice = dev_account("Alice").to_ss58();
    let output = tokio::task::spawn_blocking(move || {
        let home = tempfile::tempdir().expect("temp home");
        std::process::Command::new(python)
            .args(["-c", PY_QUERY, &url, &alice])
            .env("HOME", home.path())
            .output()
            .expect("python runs")
    })
    .await
    .expect("joins");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "python failed:\n{stdout}\n{stderr}");
    let result: Value = serde_json::from_str(stdout.trim().lines().last().unwrap_or_default())
        .unwrap_or_else(|e| panic!("bad output {stdout:?}: {e}\n{stderr}"));
    let free = result["free"].as_u64().expect("free balance");
    assert!(free < DEV_BALANCE && free > DEV_BALANCE - 2_000_000_000, "{result}");
    assert_eq!(result["nonce"], json!(1));
    assert_eq!(result["chain"], json!("Development"));
    server.stop().await;
}
