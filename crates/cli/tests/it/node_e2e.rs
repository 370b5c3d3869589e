//! End-to-end: `rustensor node --dev` as a child process, driven over its JSON-RPC port.
//!
//! - signed transfers submitted with `author_submitAndWatchExtrinsic` over WebSocket report
//!   `ready`, `inBlock` and `finalized`, and the balances read back with `state_getStorage`
//!   decode to what the transfers moved;
//! - bad input (malformed JSON, unknown methods, undecodable/oversized extrinsics, bad
//!   signatures, stale nonces, expired eras, subscription floods) gets a clear error and the
//!   node keeps serving;
//! - `/metrics` serves Prometheus text; SIGTERM stops the node cleanly and a restart continues
//!   the chain.

use std::time::Duration;

use crate::common::{NodeProcess, account_key, hex0x, sign, sign_with};
use jsonrpsee_core::client::{ClientT, Error as ClientError, SubscriptionClientT};
use jsonrpsee_core::rpc_params;
use jsonrpsee_ws_client::WsClientBuilder;
use parity_scale_codec::Decode;
use rustensor_runtime::extrinsic::Era;
use rustensor_runtime::genesis::DEV_BALANCE;
use rustensor_runtime::pallets::system::AccountInfo;
use rustensor_runtime::test_utils::{dev_account, transfer_keep_alive};
use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(60);

fn unhex(value: &Value) -> Vec<u8> {
    let s = value.as_str().unwrap_or_else(|| panic!("expected a hex string, got {value}"));
    hex::decode(s.trim_start_matches("0x")).expect("valid hex")
}

async fn free_balance(client: &impl ClientT, who: &str, at: Option<&str>) -> u64 {
    let key = hex0x(&account_key(&dev_account(who)));
    let value: Value = match at {
        Some(at) => client.request("state_getStorage", rpc_params![key, at]).await,
        None => client.request("state_getStorage", rpc_params![key]).await,
    }
    .expect("state_getStorage");
    let info = AccountInfo::decode(&mut unhex(&value).as_slice()).expect("AccountInfo decodes");
    info.data.free
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_transfers_over_websocket_are_in_block_then_finalized_and_balances_read_back() {
    let _machine = crate::common::shared();
    let dir = tempfile::tempdir().unwrap();
    let node = NodeProcess::start(dir.path(), &[]);
    let client = WsClientBuilder::default().build(&node.ws_url).await.expect("ws connects");
    let amount = 1_000_000_000u64;
    let bob_before = free_balance(&client, "Bob", None).await;
    assert_eq!(bob_before, DEV_BALANCE);

    let mut watches = Vec::new();
    for nonce in 0..5 {
        let xt = sign(
            "Alice",
            nonce,
            transfer_keep_alive(dev_account("Bob"), amount),
            node.genesis_hash,
        );
        let sub = client
            .subscribe::<Value, _>(
                "author_submitAndWatchExtrinsic",
                rpc_params![hex0x(&xt)],
                "author_unwatchExtrinsic",
            )
            .await
            .expect("the pool takes the transfer");
        watches.push(sub);
    }
    let mut finalized_in = Vec::new();
    for mut sub in watches {
        let mut statuses = Vec::new();
        loop {
            let status = tokio::time::timeout(TIMEOUT, sub.next())
                .await
                .expect("a status in time")
                .expect("subscription open")
                .expect("a status");
            statuses.push(status.clone());
            if let Some(block) = status.get("finalized") {
                finalized_in.push(block.as_str().unwrap().to_owned());
                break;
            }
            assert!(
                status == json!("ready")
                    || status == json!("future")
                    || status.get("inBlock").is_some(),
                "unexpected status {status}: {statuses:?}"
            );
        }
        let in_block =
            statuses.iter().find_map(|s| s.get("inBlock")).expect("inBlock before finalized");
        assert_eq!(in_block, &json!(finalized_in.last().unwrap()), "{statuses:?}");
    }
    // The finalized block is readable and holds the extrinsic; the balance moved.
    let last = finalized_in.last().unwrap();
    let block: Value = client.request("chain_getBlock", rpc_params![last]).await.unwrap();
    assert!(!block["block"]["extrinsics"].as_array().unwrap().is_empty());
    let bob_after = free_balance(&client, "Bob", Some(last)).await;
    assert_eq!(bob_after, DEV_BALANCE + 5 * amount);
    let nonce: u64 = client
        .request("system_accountNextIndex", rpc_params![dev_account("Alice").to_ss58()])
        .await
        .unwrap();
    assert_eq!(nonce, 5);
}

/// A JSON-RPC error's code, or a panic if the call succeeded.
fn code(result: Result<Value, ClientError>) -> (i32, String) {
    match result {
        Err(ClientError::Call(e)) => {
            (e.code(), format!("{} {}", e.message(), e.data().map(|d| d.get()).unwrap_or_default()))
        }
        Err(other) => panic!("expected a call error, got {other}"),
        Ok(v) => panic!("expected an error, got {v}"),
    }
}

async fn http_post(url: &str, body: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let addr = url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "POST / HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    // A server refusing an oversized body may answer and close before reading all of it.
    let _ = stream.write_all(request.as_bytes()).await;
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out).await;
    let out = String::from_utf8_lossy(&out).into_owned();
    let status = out.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = out.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned();
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_bad_input_gets_clear_errors_and_the_node_keeps_running() {
    let _machine = crate::common::shared();
    let dir = tempfile::tempdir().unwrap();
    let node = NodeProcess::start(dir.path(), &[]);
    let client = WsClientBuilder::default().build(&node.ws_url).await.expect("ws connects");
    let genesis = node.genesis_hash;
    let submit = |xt: Vec<u8>| {
        let client = &client;
        async move {
            client.request::<Value, _>("author_submitExtrinsic", rpc_params![hex0x(&xt)]).await
        }
    };

    // Malformed JSON: parse error -32700.
    let (_, body) = http_post(&node.http_url, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":").await;
    assert!(body.contains("-32700"), "{body}");
    // Unknown method: -32601.
    let (c, _) = code(client.request("no_such_method", rpc_params![]).await);
    assert_eq!(c, -32601);
    // Undecodable extrinsic: 1001 (bad format) — and non-hex params are invalid params.
    let (c, msg) = code(submit(vec![0x10, 0xff, 0x00, 0x01, 0x02]).await);
    assert_eq!(c, 1001, "{msg}");
    let (c, _) = code(client.request("author_submitExtrinsic", rpc_params!["0xzz"]).await);
    assert_eq!(c, -32602);
    // A 4 MiB undecodable extrinsic fits the request limit and is refused as bad format.
    let (c, msg) = code(submit(vec![0u8; 4 * 1024 * 1024]).await);
    assert_eq!(c, 1001, "{msg}");
    // A 6 MiB extrinsic is 12 MiB of hex, over the 10 MiB request limit: refused whole.
    let big = format!(
        "{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"author_submitExtrinsic\",\"params\":[\"{}\"]}}",
        hex0x(&vec![0u8; 6 * 1024 * 1024])
    );
    let (status, body) = http_post(&node.http_url, &big).await;
    assert!(
        status == 413 || body.contains("-32600") || body.contains("-32007"),
        "{status} {}",
        &body[..body.len().min(300)]
    );
    // Bad signature: Alice's transfer signed for another chain → 1010 bad signature.
    let wrong_chain = sign("Alice", 0, transfer_keep_alive(dev_account("Bob"), 1), [7; 32]);
    let (c, msg) = code(submit(wrong_chain).await);
    assert_eq!(c, 1010, "{msg}");
    assert!(msg.contains("bad signature"), "{msg}");
    // Stale nonce: after one finalized transfer, nonce 0 again → outdated.
    let first = sign("Alice", 0, transfer_keep_alive(dev_account("Bob"), 1_000), genesis);
    let mut watch = client
        .subscribe::<Value, _>(
            "author_submitAndWatchExtrinsic",
            rpc_params![hex0x(&first)],
            "author_unwatchExtrinsic",
        )
        .await
        .unwrap();
    loop {
        let s = tokio::time::timeout(TIMEOUT, watch.next()).await.unwrap().unwrap().unwrap();
        if s.get("finalized").is_some() {
            break;
        }
    }
    let stale = sign("Alice", 0, transfer_keep_alive(dev_account("Bob"), 2_000), genesis);
    let (c, msg) = code(submit(stale).await);
    assert_eq!(c, 1010, "{msg}");
    assert!(msg.contains("outdated"), "{msg}");
    // Expired era: born at block 0 with a period of 4, now far past → ancient birth block
    // (wait until the chain is past the era).
    loop {
        let header: Value = client.request("chain_getHeader", rpc_params![]).await.unwrap();
        let n =
            u64::from_str_radix(header["number"].as_str().unwrap().trim_start_matches("0x"), 16)
                .unwrap();
        if n >= 6 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let expired = sign_with(
        "Bob",
        0,
        transfer_keep_alive(dev_account("Alice"), 1),
        genesis,
        Era::mortal(4, 0),
        genesis,
        0,
    );
    let (c, msg) = code(submit(expired).await);
    assert_eq!(c, 1010, "{msg}");
    // As in Substrate, a dead mortal era moves the birth block into the current period: if
    // that block's hash is known, the signature (made over genesis) no longer verifies
    // ("bad signature"); if it is the block being built, the birth is unknown ("ancient
    // birth block"). Which one depends on the height when it arrives.
    assert!(
        msg.contains("ancient birth block")
            || msg.contains("bad signature")
            || msg.contains("outdated"),
        "{msg}"
    );
    // A flood of subscriptions on one connection: past the limit each gets a clear error.
    let mut subs = Vec::new();
    let mut refused = 0;
    for _ in 0..1100 {
        match client
            .subscribe::<Value, _>(
                "chain_subscribeNewHeads",
                rpc_params![],
                "chain_unsubscribeNewHeads",
            )
            .await
        {
            Ok(s) => subs.push(s),
            Err(ClientError::Call(e)) => {
                refused += 1;
                assert!(e.message().to_lowercase().contains("subscription"), "{e}");
            }
            Err(e) => panic!("unexpected error {e}"),
        }
    }
    assert!(refused > 0, "the per-connection subscription limit applies");
    drop(subs);
    // Still serving, on a fresh connection too.
    let fresh = WsClientBuilder::default().build(&node.ws_url).await.expect("ws connects");
    let health: Value = fresh.request("system_health", rpc_params![]).await.unwrap();
    assert_eq!(health["isSyncing"], json!(false));
    let name: String = client.request("system_name", rpc_params![]).await.unwrap();
    assert_eq!(name, "rustensor");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_metrics_sigterm_and_restart_continue_the_chain() {
    let _machine = crate::common::shared();
    let dir = tempfile::tempdir().unwrap();
    let node = NodeProcess::start(dir.path(), &[]);
    let client = WsClientBuilder::default().build(&node.ws_url).await.expect("ws connects");
    // Wait for a few finalized blocks.
    let mut finalized = 0;
    for _ in 0..600 {
        let head: Value = client.request("chain_getFinalizedHead", rpc_params![]).await.unwrap();
        let header: Value = client.request("chain_getHeader", rpc_params![head]).await.unwrap();
        finalized =
            u64::from_str_radix(header["number"].as_str().unwrap().trim_start_matches("0x"), 16)
                .unwrap();
        if finalized >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(finalized >= 3);
    // Metrics.
    let metrics_url = node.metrics_url.clone().expect("metrics on");
    let addr = metrics_url.trim_start_matches("http://").trim_end_matches("/metrics").to_owned();
    let text = {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
        s.write_all(b"GET /metrics HTTP/1.1\r\nhost: x\r\n\r\n").await.unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out
    };
    for series in [
        "rustensor_block_height{status=\"finalized\"}",
        "rustensor_block_height{status=\"best\"}",
        "rustensor_block_execution_seconds_count",
        "rustensor_mempool_transactions{queue=\"ready\"}",
        "rustensor_rpc_calls_total{method=\"chain_getHeader\"}",
    ] {
        assert!(text.contains(series), "{series} missing from:\n{text}");
    }
    drop(client);
    // SIGTERM: a clean exit.
    let status = node.signal_and_wait("TERM", Duration::from_secs(30)).expect("exits on SIGTERM");
    assert!(status.success(), "{status:?}");
    // Restart on the same data: the chain continues from where it was.
    let node = NodeProcess::start(dir.path(), &[]);
    let client = WsClientBuilder::default().build(&node.ws_url).await.expect("ws connects");
    let genesis: Value = client.request("chain_getBlockHash", rpc_params![0]).await.unwrap();
    assert_eq!(unhex(&genesis), node.genesis_hash.to_vec());
    for _ in 0..600 {
        let head: Value = client.request("chain_getFinalizedHead", rpc_params![]).await.unwrap();
        let header: Value = client.request("chain_getHeader", rpc_params![head]).await.unwrap();
        let n =
            u64::from_str_radix(header["number"].as_str().unwrap().trim_start_matches("0x"), 16)
                .unwrap();
        if n > finalized {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the restarted node does not finalize new blocks");
}
