//! Load benchmark of a running node over JSON-RPC: signed transfers submitted at a target rate
//! over WebSocket, counted when finalized.
//!
//! ```text
//! rustensor node --dev --base-path /tmp/bench &          # release build
//! cargo run --release -p rustensor-cli --example rpc_bench -- ws://127.0.0.1:9944 60 5000
//! ```
//!
//! Arguments: URL, seconds of load (default 60), target submissions per second (default 5000),
//! connections (default 8). All transfers are signed before the clock starts (six dev senders,
//! consecutive nonces). Every 50th is submitted with `author_submitAndWatchExtrinsic` to sample
//! submit-to-finalized latency; the rest with `author_submitExtrinsic`. Finalized extrinsics are
//! counted from `chain_subscribeFinalizedHeads` + `chain_getBlock`, as are finalized blocks per
//! second (first to last finalized head seen). Prints one summary line per second and a final
//! JSON line.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jsonrpsee_core::client::{ClientT, SubscriptionClientT};
use jsonrpsee_core::rpc_params;
use jsonrpsee_ws_client::{WsClient, WsClientBuilder};
use rustensor_runtime::extrinsic::{AdditionalSigned, Era, SignedExtra, UncheckedExtrinsic};
use rustensor_runtime::test_utils::{TEST_VERSION, dev_account, dev_pair, transfer_keep_alive};
use serde_json::Value;
use tokio::sync::Mutex;

const SENDERS: [&str; 6] = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"];
const SAMPLE_EVERY: usize = 50;

fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

fn unhex(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap_or_default().trim_start_matches("0x")).unwrap_or_default()
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let url = args.get(1).cloned().unwrap_or_else(|| "ws://127.0.0.1:9944".into());
    let seconds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(60);
    let rate: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(5000);
    let connections: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(8);

    let control = WsClientBuilder::default().build(&url).await?;
    let genesis: [u8; 32] =
        unhex(&control.request::<Value, _>("chain_getBlockHash", rpc_params![0]).await?)
            .try_into()
            .map_err(|_| anyhow::anyhow!("bad genesis hash"))?;
    let total = usize::try_from(seconds * rate)?;
    eprintln!("signing {total} transfers from {} senders...", SENDERS.len());
    let mut nonces = Vec::new();
    for who in SENDERS {
        let n: u64 = control
            .request("system_accountNextIndex", rpc_params![dev_account(who).to_ss58()])
            .await?;
        nonces.push(u32::try_from(n)?);
    }
    let additional = AdditionalSigned {
        spec_version: TEST_VERSION.spec_version,
        transaction_version: TEST_VERSION.transaction_version,
        genesis_hash: genesis,
        birth_hash: genesis,
        metadata_hash: None,
    };
    // Round-robin over senders: item i is sender i % 6 with its next nonce.
    let pairs: Vec<_> = SENDERS.iter().map(|s| dev_pair(s)).collect();
    let xts: Vec<String> = {
        let signed: Vec<Vec<u8>> = (0..total)
            .map(|i| {
                let s = i % SENDERS.len();
                let nonce = nonces[s] + u32::try_from(i / SENDERS.len()).unwrap_or(u32::MAX);
                let dest = dev_account(SENDERS[(s + 1) % SENDERS.len()]);
                let extra = SignedExtra { era: Era::Immortal, nonce, ..Default::default() };
                UncheckedExtrinsic::sign_sr25519(
                    &pairs[s],
                    transfer_keep_alive(dest, 1),
                    extra,
                    &additional,
                )
                .encode()
            })
            .collect();
        signed.iter().map(|x| hex0x(x)).collect()
    };
    let sampled: BTreeSet<String> = xts.iter().step_by(SAMPLE_EVERY).cloned().collect();
    let sampled = Arc::new(sampled);

    // Count finalized extrinsics from our set.
    let finalized = Arc::new(AtomicU64::new(0));
    // Finalized block numbers: the first seen and the latest, with when each was seen.
    let heights = Arc::new(std::sync::Mutex::new(None::<((u64, Instant), (u64, Instant))>));
    {
        let finalized = finalized.clone();
        let heights = heights.clone();
        let url = url.clone();
        let mut sub = control
            .subscribe::<Value, _>(
                "chain_subscribeFinalizedHeads",
                rpc_params![],
                "chain_unsubscribeFinalizedHeads",
            )
            .await?;
        let reader = WsClientBuilder::default().build(&url).await?;
        tokio::spawn(async move {
            while let Some(Ok(header)) = sub.next().await {
                let number = header["number"].clone();
                if let Some(n) = number
                    .as_str()
                    .and_then(|h| u64::from_str_radix(h.trim_start_matches("0x"), 16).ok())
                {
                    let now = Instant::now();
                    let mut h = heights.lock().unwrap();
                    *h = Some(match *h {
                        None => ((n, now), (n, now)),
                        Some((first, _)) => (first, (n, now)),
                    });
                }
                let Ok(hash) =
                    reader.request::<Value, _>("chain_getBlockHash", rpc_params![number]).await
                else {
                    continue;
                };
                let Ok(block) =
                    reader.request::<Value, _>("chain_getBlock", rpc_params![hash]).await
                else {
                    continue;
                };
                let n = block["block"]["extrinsics"].as_array().map_or(0, Vec::len);
                finalized.fetch_add(n as u64, Ordering::Relaxed);
            }
        });
    }

    let clients: Vec<Arc<WsClient>> = {
        let mut v = Vec::new();
        for _ in 0..connections {
            v.push(Arc::new(
                WsClientBuilder::default().max_concurrent_requests(4096).build(&url).await?,
            ));
        }
        v
    };
    let latencies = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let submitted = Arc::new(AtomicU64::new(0));
    let rejected = Arc::new(AtomicU64::new(0));
    let xts = Arc::new(xts);
    let start = Instant::now();
    // Pace: item i is due at start + i / rate.
    let per_conn = connections;
    let mut tasks = Vec::new();
    for (c, client) in clients.iter().enumerate() {
        let (client, xts, sampled, latencies, submitted, rejected) = (
            client.clone(),
            xts.clone(),
            sampled.clone(),
            latencies.clone(),
            submitted.clone(),
            rejected.clone(),
        );
        tasks.push(tokio::spawn(async move {
            // This connection sends the senders whose index % connections == c, keeping each
            // sender's nonces in order on one connection.
            let mine: Vec<usize> =
                (0..xts.len()).filter(|i| (i % SENDERS.len()) % per_conn == c).collect();
            let mut inflight = futures::stream::FuturesUnordered::new();
            use futures::StreamExt as _;
            for i in mine {
                let due = start + Duration::from_secs_f64(i as f64 / rate as f64);
                tokio::time::sleep_until(due.into()).await;
                let xt = xts[i].clone();
                let client = client.clone();
                let (sampled, latencies, submitted, rejected) =
                    (sampled.clone(), latencies.clone(), submitted.clone(), rejected.clone());
                inflight.push(tokio::spawn(async move {
                    let t0 = Instant::now();
                    if sampled.contains(&xt) {
                        match client
                            .subscribe::<Value, _>(
                                "author_submitAndWatchExtrinsic",
                                rpc_params![xt],
                                "author_unwatchExtrinsic",
                            )
                            .await
                        {
                            Ok(mut sub) => {
                                submitted.fetch_add(1, Ordering::Relaxed);
                                tokio::spawn(async move {
                                    while let Some(Ok(s)) = sub.next().await {
                                        if s.get("finalized").is_some() {
                                            latencies.lock().await.push(t0.elapsed());
                                            break;
                                        }
                                    }
                                });
                            }
                            Err(e) => {
                                if rejected.fetch_add(1, Ordering::Relaxed) < 5 {
                                    eprintln!("rejected: {e}");
                                }
                            }
                        }
                    } else {
                        match client
                            .request::<Value, _>("author_submitExtrinsic", rpc_params![xt])
                            .await
                        {
                            Ok(_) => {
                                submitted.fetch_add(1, Ordering::Relaxed);
                            }
                            Err(e) => {
                                if rejected.fetch_add(1, Ordering::Relaxed) < 5 {
                                    eprintln!("rejected: {e}");
                                }
                            }
                        }
                    }
                }));
                while inflight.len() > 2048 {
                    inflight.next().await;
                }
            }
            while inflight.next().await.is_some() {}
        }));
    }
    let mut last = (0u64, 0u64);
    let deadline = start + Duration::from_secs(seconds);
    while Instant::now() < deadline + Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let (s, f) = (submitted.load(Ordering::Relaxed), finalized.load(Ordering::Relaxed));
        eprintln!(
            "t={:>3}s submitted {s} (+{}/s) finalized {f} (+{}/s) rejected {}",
            start.elapsed().as_secs(),
            s - last.0,
            f - last.1,
            rejected.load(Ordering::Relaxed)
        );
        last = (s, f);
        if Instant::now() >= deadline && f >= s {
            break;
        }
    }
    for t in tasks {
        t.abort();
    }
    let elapsed = start.elapsed().as_secs_f64();
    let mut lat = latencies.lock().await.clone();
    lat.sort();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 - 1.0) * p).round() as usize)
            .map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    let s = submitted.load(Ordering::Relaxed);
    let f = finalized.load(Ordering::Relaxed);
    let (blocks, blocks_per_s) = match *heights.lock().unwrap() {
        Some(((n0, t0), (n1, t1))) if n1 > n0 => {
            (n1 - n0, (n1 - n0) as f64 / t1.duration_since(t0).as_secs_f64())
        }
        _ => (0, 0.0),
    };
    println!(
        "{}",
        serde_json::json!({
            "target_rate": rate, "seconds": seconds, "submitted": s, "finalized": f,
            "rejected": rejected.load(Ordering::Relaxed),
            "finalized_per_s_over_load": f as f64 / seconds as f64,
            "elapsed_s": elapsed,
            "latency_samples": lat.len(), "p50_ms": pct(0.5), "p99_ms": pct(0.99),
            "blocks_finalized": blocks, "blocks_per_s": blocks_per_s,
        })
    );
    Ok(())
}
