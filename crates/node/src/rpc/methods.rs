//! The RPC methods: each reads [`ChainReader`] or calls [`TxPool`] and shapes the answer as a
//! Substrate node does (`reference/substrate_compat.md` §2).

use std::sync::{Arc, OnceLock};

use jsonrpsee::types::{ErrorObjectOwned, Params};
use jsonrpsee::{PendingSubscriptionSink, RpcModule, SubscriptionMessage, SubscriptionSink};
use rustensor_primitives::AccountId32;
use rustensor_primitives::hashing::blake2_256;
use serde_json::{Value, json};
use tokio::sync::broadcast;

use super::api::{ChainReader, Hash, RpcHeader, TxPool, TxStatus, hex0x};
use super::error::{
    invalid_count, invalid_params, pool_error, runtime_call_error, state_error, too_many_keys,
};

/// The most keys one `state_getKeysPaged` call returns (Substrate's
/// `STORAGE_KEYS_PAGED_MAX_COUNT`).
pub const KEYS_PAGED_MAX_COUNT: u32 = 1000;

/// The most keys one `state_getKeys` call returns. Substrate's unpaged form has no bound; btcli
/// lists whole maps with it (`NetworksAdded`, `IsNetworkMember`, …), which stay far below this
/// on any chain, while a prefix that matches more (the empty prefix) is refused with 4002 and a
/// pointer to `state_getKeysPaged` instead of building an unbounded answer.
pub const KEYS_MAX_COUNT: u32 = 100_000;

/// What every method handler sees.
pub(crate) struct Ctx {
    pub(crate) chain: Arc<dyn ChainReader>,
    pub(crate) pool: Arc<dyn TxPool>,
}

type RpcResult<T = Value> = Result<T, ErrorObjectOwned>;

/// The positional parameters of a call (`[]` when absent).
struct Args(Vec<Value>);

impl Args {
    fn of(params: &Params<'_>) -> RpcResult<Self> {
        match params.as_str() {
            None => Ok(Self(Vec::new())),
            Some(_) if params.is_object() => {
                Err(invalid_params("named parameters are not supported; pass a list"))
            }
            Some(_) => params.parse::<Vec<Value>>().map(Self),
        }
    }

    /// Parameter `i`; `None` when absent or `null`.
    fn get(&self, i: usize) -> Option<&Value> {
        self.0.get(i).filter(|v| !v.is_null())
    }

    fn bytes(&self, i: usize, name: &str) -> RpcResult<Vec<u8>> {
        self.opt_bytes(i, name)?
            .ok_or_else(|| invalid_params(format!("missing parameter `{name}`")))
    }

    fn opt_bytes(&self, i: usize, name: &str) -> RpcResult<Option<Vec<u8>>> {
        self.get(i).map(|v| parse_bytes(v, name)).transpose()
    }

    fn opt_hash(&self, i: usize, name: &str) -> RpcResult<Option<Hash>> {
        self.opt_bytes(i, name)?
            .map(|b| {
                Hash::try_from(b.as_slice()).map_err(|_| {
                    invalid_params(format!("`{name}` must be 32 bytes, found {}", b.len()))
                })
            })
            .transpose()
    }

    fn string(&self, i: usize, name: &str) -> RpcResult<String> {
        match self.get(i) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => Err(invalid_params(format!("`{name}` must be a string, found {other}"))),
            None => Err(invalid_params(format!("missing parameter `{name}`"))),
        }
    }
}

/// `0x`-prefixed (or bare) hex into bytes.
fn parse_bytes(value: &Value, name: &str) -> RpcResult<Vec<u8>> {
    let Value::String(s) = value else {
        return Err(invalid_params(format!("`{name}` must be a hex string, found {value}")));
    };
    let digits = s.strip_prefix("0x").unwrap_or(s);
    hex::decode(digits).map_err(|e| invalid_params(format!("`{name}` is not valid hex: {e}")))
}

/// A block number given as a JSON number or a hex string (Substrate's `NumberOrHex`).
fn parse_number(value: &Value) -> RpcResult<u64> {
    let bad =
        || invalid_params(format!("block number must be a u64 or a hex string, found {value}"));
    match value {
        Value::Number(n) => n.as_u64().ok_or_else(bad),
        Value::String(s) => {
            let digits = s.strip_prefix("0x").ok_or_else(bad)?;
            u64::from_str_radix(digits, 16).map_err(|_| bad())
        }
        _ => Err(bad()),
    }
}

fn hash_json(hash: Option<Hash>) -> Value {
    hash.map_or(Value::Null, |h| json!(hex0x(&h)))
}

fn block_json(block: &super::api::RpcBlock) -> Value {
    json!({
        "block": {
            "header": block.header.to_json(),
            "extrinsics": block.extrinsics.iter().map(|x| hex0x(x)).collect::<Vec<_>>(),
        },
        "justifications": null,
    })
}

fn metadata_hex() -> &'static str {
    static HEX: OnceLock<String> = OnceLock::new();
    HEX.get_or_init(|| hex0x(rustensor_runtime::metadata::metadata_bytes()))
}

impl Ctx {
    fn at_or_best(&self, at: Option<Hash>) -> Hash {
        at.unwrap_or_else(|| self.chain.best().1)
    }

    /// `at` (or the best block), checked to be known.
    fn known_block(&self, at: Option<Hash>) -> RpcResult<Hash> {
        let hash = self.at_or_best(at);
        match self.chain.header(&hash) {
            Some(_) => Ok(hash),
            None => Err(state_error(&super::api::StateError::UnknownBlock(hash))),
        }
    }
}

/// A JSON value as a subscription notification payload.
fn message(value: &Value) -> Option<SubscriptionMessage> {
    serde_json::value::to_raw_value(value).ok().map(SubscriptionMessage::from)
}

/// Forwards headers from `rx` to `sink` until either side closes; a lagging receiver skips
/// the headers it lost.
async fn pipe_heads(mut rx: broadcast::Receiver<RpcHeader>, sink: SubscriptionSink) {
    loop {
        tokio::select! {
            () = sink.closed() => break,
            next = rx.recv() => match next {
                Ok(header) => {
                    let Some(msg) = message(&header.to_json()) else { break };
                    if sink.send(msg).await.is_err() {
                        break;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => break,
            },
        }
    }
}

/// Which head stream a subscription follows.
#[derive(Clone, Copy)]
enum Heads {
    New,
    Finalized,
}

async fn subscribe_heads(pending: PendingSubscriptionSink, ctx: Arc<Ctx>, heads: Heads) {
    let (rx, current) = match heads {
        Heads::New => (ctx.chain.subscribe_new_heads(), ctx.chain.best().1),
        Heads::Finalized => (ctx.chain.subscribe_finalized_heads(), ctx.chain.finalized().1),
    };
    let Ok(sink) = pending.accept().await else { return };
    // As Substrate: the current head first, then each new one.
    if let Some(msg) = ctx.chain.header(&current).and_then(|h| message(&h.to_json()))
        && sink.send(msg).await.is_err()
    {
        return;
    }
    pipe_heads(rx, sink).await;
}

async fn watch_extrinsic(params: Params<'static>, pending: PendingSubscriptionSink, ctx: Arc<Ctx>) {
    let xt = match Args::of(&params).and_then(|a| a.bytes(0, "extrinsic")) {
        Ok(xt) => xt,
        Err(e) => return pending.reject(e).await,
    };
    let mut rx = match ctx.pool.watch(xt) {
        Ok((_, rx)) => rx,
        Err(e) => return pending.reject(pool_error(&e)).await,
    };
    let Ok(sink) = pending.accept().await else { return };
    loop {
        tokio::select! {
            () = sink.closed() => break,
            next = rx.recv() => {
                let Some(status) = next else { break };
                let Some(msg) = message(&status.to_json()) else { break };
                if sink.send(msg).await.is_err() || TxStatus::is_final(&status) {
                    break;
                }
            }
        }
    }
}

/// Registers `name` with a synchronous handler over the positional arguments.
fn method<F>(module: &mut RpcModule<Ctx>, name: &'static str, f: F)
where
    F: Fn(&Args, &Ctx) -> RpcResult + Send + Sync + 'static,
{
    module
        .register_method(name, move |params, ctx, _| Args::of(&params).and_then(|a| f(&a, ctx)))
        .expect("each method name is registered once");
}

/// As [`method`], on a blocking thread (state reads and runtime calls may touch the disk or
/// run long).
fn blocking<F>(module: &mut RpcModule<Ctx>, name: &'static str, f: F)
where
    F: Fn(&Args, &Ctx) -> RpcResult + Clone + Send + Sync + 'static,
{
    module
        .register_blocking_method(name, move |params, ctx, _| {
            Args::of(&params).and_then(|a| f(&a, &ctx))
        })
        .expect("each method name is registered once");
}

fn alias(module: &mut RpcModule<Ctx>, alias: &'static str, existing: &'static str) {
    module.register_alias(alias, existing).expect("the aliased method is registered");
}

/// Every RPC method over `chain` and `pool`, `rpc_methods` included.
///
/// # Panics
///
/// Never: method names are distinct constants (a duplicate is a bug caught by every test).
pub(crate) fn build_module(chain: Arc<dyn ChainReader>, pool: Arc<dyn TxPool>) -> RpcModule<Ctx> {
    let mut m = RpcModule::new(Ctx { chain, pool });
    register_system(&mut m);
    register_chain(&mut m);
    register_state(&mut m);
    register_author(&mut m);
    register_sync(&mut m);

    let mut names: Vec<&'static str> = m.method_names().collect();
    names.push("rpc_methods");
    names.sort_unstable();
    let listing = json!({ "methods": names });
    method(&mut m, "rpc_methods", move |_, _| Ok(listing.clone()));
    m
}

/// The most blocks one `rustensor_finalizedBlocks` call returns.
pub const MAX_SYNC_BLOCKS: u64 = 64;

/// `rustensor_finalizedBlocks(from, count)`: up to `count` (at most [`MAX_SYNC_BLOCKS`])
/// finalized blocks from number `from` on, each `{number, block, finality}` with the block's
/// SCALE encoding in hex and its own finalization certificate's (or `null` where none is kept:
/// only the latest blocks' and every 256th block's are); stops at the first block not
/// finalized here. What a full node (`rustensor node --sync-from`) follows a chain with; not a
/// Substrate method.
fn register_sync(m: &mut RpcModule<Ctx>) {
    blocking(m, "rustensor_finalizedBlocks", |a, ctx| {
        let from = parse_number(a.get(0).ok_or_else(|| invalid_params("missing `from`"))?)?;
        let count = match a.get(1) {
            Some(v) => parse_number(v)?.min(MAX_SYNC_BLOCKS),
            None => MAX_SYNC_BLOCKS,
        };
        let mut out = Vec::new();
        let mut number = from;
        for _ in 0..count {
            let Some((block, finality)) = ctx.chain.finalized_raw(number) else { break };
            out.push(json!({
                "number": number,
                "block": hex0x(&block),
                "finality": finality.map(|f| hex0x(&f)),
            }));
            let Some(next) = number.checked_add(1) else { break };
            number = next;
        }
        Ok(Value::from(out))
    });
}

fn register_system(m: &mut RpcModule<Ctx>) {
    method(m, "system_name", |_, _| Ok(json!("rustensor")));
    method(m, "system_version", |_, _| Ok(json!(env!("CARGO_PKG_VERSION"))));
    method(m, "system_chain", |_, ctx| Ok(json!(ctx.chain.chain_info().name)));
    method(m, "system_chainType", |_, ctx| Ok(ctx.chain.chain_info().chain_type.to_json()));
    method(m, "system_properties", |_, ctx| {
        let p = ctx.chain.chain_info().properties;
        Ok(json!({
            "ss58Format": p.ss58_format,
            "tokenDecimals": p.token_decimals,
            "tokenSymbol": p.token_symbol,
        }))
    });
    method(m, "system_health", |_, ctx| {
        let h = ctx.chain.health();
        Ok(json!({
            "peers": h.peers,
            "isSyncing": h.is_syncing,
            "shouldHavePeers": h.should_have_peers,
        }))
    });
    blocking(m, "system_accountNextIndex", |a, ctx| {
        let address = a.string(0, "account")?;
        let (who, _) = AccountId32::from_ss58_any_prefix(&address).map_err(|e| {
            invalid_params(format!("`{address}` is not an SS58 address: {}", crate::error_text(&e)))
        })?;
        Ok(json!(ctx.pool.next_index(&who)))
    });
    alias(m, "account_nextIndex", "system_accountNextIndex");
}

fn register_chain(m: &mut RpcModule<Ctx>) {
    method(m, "chain_getBlockHash", |a, ctx| {
        let one = |v: &Value| parse_number(v).map(|n| hash_json(ctx.chain.hash_of(n)));
        match a.get(0) {
            None => Ok(json!(hex0x(&ctx.chain.best().1))),
            Some(Value::Array(list)) => {
                list.iter().map(one).collect::<RpcResult<Vec<_>>>().map(Value::from)
            }
            Some(v) => one(v),
        }
    });
    alias(m, "chain_getHead", "chain_getBlockHash");
    method(m, "chain_getFinalizedHead", |_, ctx| Ok(json!(hex0x(&ctx.chain.finalized().1))));
    alias(m, "chain_getFinalisedHead", "chain_getFinalizedHead");
    method(m, "chain_getHeader", |a, ctx| {
        let hash = ctx.at_or_best(a.opt_hash(0, "hash")?);
        Ok(ctx.chain.header(&hash).map_or(Value::Null, |h| h.to_json()))
    });
    blocking(m, "chain_getBlock", |a, ctx| {
        let hash = ctx.at_or_best(a.opt_hash(0, "hash")?);
        Ok(ctx.chain.block(&hash).map_or(Value::Null, |b| block_json(&b)))
    });
    blocking(m, "chain_getRuntimeVersion", |a, ctx| {
        ctx.known_block(a.opt_hash(0, "at")?)?;
        Ok(ctx.chain.runtime_version().to_json())
    });

    let subs: [(&'static str, &'static str, &'static str, Heads); 3] = [
        ("chain_subscribeNewHeads", "chain_newHead", "chain_unsubscribeNewHeads", Heads::New),
        ("chain_subscribeAllHeads", "chain_allHead", "chain_unsubscribeAllHeads", Heads::New),
        (
            "chain_subscribeFinalizedHeads",
            "chain_finalizedHead",
            "chain_unsubscribeFinalizedHeads",
            Heads::Finalized,
        ),
    ];
    for (sub, notif, unsub, heads) in subs {
        m.register_subscription(sub, notif, unsub, move |_, pending, ctx, _| {
            subscribe_heads(pending, ctx, heads)
        })
        .expect("each subscription name is registered once");
    }
    alias(m, "chain_subscribeFinalisedHeads", "chain_subscribeFinalizedHeads");
    alias(m, "chain_unsubscribeFinalisedHeads", "chain_unsubscribeFinalizedHeads");
}

fn register_state(m: &mut RpcModule<Ctx>) {
    blocking(m, "state_getStorage", |a, ctx| {
        let key = a.bytes(0, "key")?;
        let at = ctx.at_or_best(a.opt_hash(1, "at")?);
        let state = ctx.chain.state_at(&at).map_err(|e| state_error(&e))?;
        Ok(state.get(&key).map_or(Value::Null, |v| json!(hex0x(&v))))
    });
    alias(m, "state_getStorageAt", "state_getStorage");
    blocking(m, "state_getStorageHash", |a, ctx| {
        let key = a.bytes(0, "key")?;
        let at = ctx.at_or_best(a.opt_hash(1, "at")?);
        let state = ctx.chain.state_at(&at).map_err(|e| state_error(&e))?;
        Ok(state.get(&key).map_or(Value::Null, |v| json!(hex0x(&blake2_256(&v)))))
    });
    alias(m, "state_getStorageHashAt", "state_getStorageHash");
    blocking(m, "state_getStorageSize", |a, ctx| {
        let key = a.bytes(0, "key")?;
        let at = ctx.at_or_best(a.opt_hash(1, "at")?);
        let state = ctx.chain.state_at(&at).map_err(|e| state_error(&e))?;
        Ok(state.get(&key).map_or(Value::Null, |v| json!(v.len())))
    });
    alias(m, "state_getStorageSizeAt", "state_getStorageSize");
    blocking(m, "state_queryStorageAt", |a, ctx| {
        let keys = match a.get(0) {
            Some(Value::Array(keys)) => keys,
            _ => return Err(invalid_params("`keys` must be a list of hex keys")),
        };
        let keys = keys.iter().map(|k| parse_bytes(k, "key")).collect::<RpcResult<Vec<_>>>()?;
        let at = ctx.at_or_best(a.opt_hash(1, "at")?);
        let state = ctx.chain.state_at(&at).map_err(|e| state_error(&e))?;
        let changes: Vec<Value> =
            keys.iter().map(|k| json!([hex0x(k), state.get(k).map(|v| hex0x(&v))])).collect();
        Ok(json!([{ "block": hex0x(&at), "changes": changes }]))
    });
    blocking(m, "state_getKeysPaged", |a, ctx| {
        let prefix = a.opt_bytes(0, "prefix")?.unwrap_or_default();
        let count = match a.get(1) {
            Some(v) => v.as_u64().ok_or_else(|| invalid_params("`count` must be a u32"))?,
            None => return Err(invalid_params("missing parameter `count`")),
        };
        if count > u64::from(KEYS_PAGED_MAX_COUNT) {
            return Err(invalid_count(count, KEYS_PAGED_MAX_COUNT));
        }
        let start_key = a.opt_bytes(2, "start_key")?;
        let at = ctx.at_or_best(a.opt_hash(3, "at")?);
        let state = ctx.chain.state_at(&at).map_err(|e| state_error(&e))?;
        let start = match &start_key {
            Some(s) if s.as_slice() > prefix.as_slice() => s.clone(),
            _ => prefix.clone(),
        };
        let keys: Vec<String> = state
            .iter_from(&start)
            .map(|(k, _)| k)
            .filter(|k| Some(k) != start_key.as_ref())
            .take_while(|k| k.starts_with(&prefix))
            .take(usize::try_from(count).unwrap_or(usize::MAX))
            .map(|k| hex0x(&k))
            .collect();
        Ok(json!(keys))
    });
    alias(m, "state_getKeysPagedAt", "state_getKeysPaged");
    blocking(m, "state_getKeys", |a, ctx| {
        let prefix = a.bytes(0, "prefix")?;
        let at = ctx.at_or_best(a.opt_hash(1, "at")?);
        let state = ctx.chain.state_at(&at).map_err(|e| state_error(&e))?;
        let limit = usize::try_from(KEYS_MAX_COUNT).unwrap_or(usize::MAX);
        let keys: Vec<String> = state
            .iter_from(&prefix)
            .map(|(k, _)| k)
            .take_while(|k| k.starts_with(&prefix))
            .take(limit.saturating_add(1))
            .map(|k| hex0x(&k))
            .collect();
        if keys.len() > limit {
            return Err(too_many_keys(KEYS_MAX_COUNT));
        }
        Ok(json!(keys))
    });
    alias(m, "state_getKeysAt", "state_getKeys");
    blocking(m, "state_getRuntimeVersion", |a, ctx| {
        ctx.known_block(a.opt_hash(0, "at")?)?;
        Ok(ctx.chain.runtime_version().to_json())
    });
    blocking(m, "state_getMetadata", |a, ctx| {
        ctx.known_block(a.opt_hash(0, "at")?)?;
        Ok(json!(metadata_hex()))
    });
    blocking(m, "state_call", |a, ctx| {
        let name = a.string(0, "method")?;
        let data = a.opt_bytes(1, "data")?.unwrap_or_default();
        let at = ctx.at_or_best(a.opt_hash(2, "at")?);
        let state = ctx.chain.state_at(&at).map_err(|e| state_error(&e))?;
        let out = rustensor_runtime::runtime_api::call(&*state, &name, &data)
            .map_err(|e| runtime_call_error(&e))?;
        Ok(json!(hex0x(&out)))
    });
    alias(m, "state_callAt", "state_call");
}

fn register_author(m: &mut RpcModule<Ctx>) {
    blocking(m, "author_submitExtrinsic", |a, ctx| {
        let xt = a.bytes(0, "extrinsic")?;
        ctx.pool.submit(xt).map(|h| json!(hex0x(&h))).map_err(|e| pool_error(&e))
    });
    method(m, "author_pendingExtrinsics", |_, ctx| {
        Ok(json!(ctx.pool.pending().iter().map(|x| hex0x(x)).collect::<Vec<_>>()))
    });
    m.register_subscription(
        "author_submitAndWatchExtrinsic",
        "author_extrinsicUpdate",
        "author_unwatchExtrinsic",
        |params, pending, ctx, _| watch_extrinsic(params, pending, ctx),
    )
    .expect("each subscription name is registered once");
}
