//! Prometheus metrics of a running node, in the text exposition format.
//!
//! [`NodeMetrics`] holds the node's own series (plain atomics, so updating one never blocks
//! block production); [`serve`] answers `GET /metrics` on its own port (Substrate's default is
//! 9615) with them, the mempool's gauges and anything else the caller appends (the commonware
//! runtime's own metrics).
//!
//! | series | type | meaning |
//! | --- | --- | --- |
//! | `rustensor_block_height{status="best"}` | gauge | best block number |
//! | `rustensor_block_height{status="finalized"}` | gauge | last finalized block number |
//! | `rustensor_block_execution_seconds` | histogram | time to build or import a block (execution and state root) |
//! | `rustensor_block_extrinsics_total` | counter | extrinsics in built or imported blocks |
//! | `rustensor_mempool_transactions{queue="ready"\|"future"}` | gauge | transactions in the pool |
//! | `rustensor_mempool_bytes` | gauge | encoded bytes in the pool |
//! | `rustensor_rpc_calls_total{method}` | counter | JSON-RPC calls per method (unknown names counted as `unknown`) |

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

/// Upper bounds of the block execution histogram, in microseconds.
const EXECUTION_BUCKETS_US: [u64; 10] =
    [1_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 5_000_000];

/// The node's own metric series.
#[derive(Debug, Default)]
pub struct NodeMetrics {
    best: AtomicU64,
    finalized: AtomicU64,
    exec_buckets: [AtomicU64; EXECUTION_BUCKETS_US.len()],
    exec_count: AtomicU64,
    exec_sum_us: AtomicU64,
    extrinsics: AtomicU64,
    rpc_calls: Mutex<BTreeMap<String, u64>>,
}

/// The mempool's sizes at the time of a scrape.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolGauges {
    /// Transactions ready for a block.
    pub ready: u64,
    /// Transactions waiting for an earlier nonce.
    pub future: u64,
    /// Their encoded bytes.
    pub bytes: u64,
}

impl NodeMetrics {
    /// Sets the best block number.
    pub fn set_best(&self, number: u64) {
        self.best.fetch_max(number, Ordering::Relaxed);
    }

    /// Sets the last finalized block number.
    pub fn set_finalized(&self, number: u64) {
        self.finalized.fetch_max(number, Ordering::Relaxed);
    }

    /// The best block number last set.
    pub fn best(&self) -> u64 {
        self.best.load(Ordering::Relaxed)
    }

    /// The finalized block number last set.
    pub fn finalized(&self) -> u64 {
        self.finalized.load(Ordering::Relaxed)
    }

    /// Records one block execution.
    pub fn observe_block_execution(&self, elapsed: Duration, extrinsics: usize) {
        let us = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        for (bound, bucket) in EXECUTION_BUCKETS_US.iter().zip(&self.exec_buckets) {
            if us <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.exec_count.fetch_add(1, Ordering::Relaxed);
        self.exec_sum_us.fetch_add(us, Ordering::Relaxed);
        self.extrinsics.fetch_add(extrinsics as u64, Ordering::Relaxed);
    }

    /// Counts one call of the JSON-RPC method `method`.
    pub fn count_rpc_call(&self, method: &str) {
        let mut calls = self.rpc_calls.lock().unwrap_or_else(|e| e.into_inner());
        match calls.get_mut(method) {
            Some(n) => *n += 1,
            None => {
                calls.insert(method.to_owned(), 1);
            }
        }
    }

    /// The series in Prometheus' text format, with the pool's gauges.
    pub fn render(&self, pool: PoolGauges) -> String {
        let mut out = String::new();
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let _ = writeln!(out, "# HELP rustensor_block_height Block height by status.");
        let _ = writeln!(out, "# TYPE rustensor_block_height gauge");
        let _ = writeln!(out, "rustensor_block_height{{status=\"best\"}} {}", load(&self.best));
        let _ = writeln!(
            out,
            "rustensor_block_height{{status=\"finalized\"}} {}",
            load(&self.finalized)
        );
        let _ = writeln!(
            out,
            "# HELP rustensor_block_execution_seconds Time to build or import a block."
        );
        let _ = writeln!(out, "# TYPE rustensor_block_execution_seconds histogram");
        for (bound, bucket) in EXECUTION_BUCKETS_US.iter().zip(&self.exec_buckets) {
            let le = *bound as f64 / 1e6;
            let _ = writeln!(
                out,
                "rustensor_block_execution_seconds_bucket{{le=\"{le}\"}} {}",
                load(bucket)
            );
        }
        let count = load(&self.exec_count);
        let _ = writeln!(out, "rustensor_block_execution_seconds_bucket{{le=\"+Inf\"}} {count}");
        let sum = load(&self.exec_sum_us) as f64 / 1e6;
        let _ = writeln!(out, "rustensor_block_execution_seconds_sum {sum}");
        let _ = writeln!(out, "rustensor_block_execution_seconds_count {count}");
        let _ =
            writeln!(out, "# HELP rustensor_block_extrinsics_total Extrinsics in executed blocks.");
        let _ = writeln!(out, "# TYPE rustensor_block_extrinsics_total counter");
        let _ = writeln!(out, "rustensor_block_extrinsics_total {}", load(&self.extrinsics));
        let _ = writeln!(out, "# HELP rustensor_mempool_transactions Transactions in the pool.");
        let _ = writeln!(out, "# TYPE rustensor_mempool_transactions gauge");
        let _ = writeln!(out, "rustensor_mempool_transactions{{queue=\"ready\"}} {}", pool.ready);
        let _ = writeln!(out, "rustensor_mempool_transactions{{queue=\"future\"}} {}", pool.future);
        let _ = writeln!(out, "# HELP rustensor_mempool_bytes Encoded bytes in the pool.");
        let _ = writeln!(out, "# TYPE rustensor_mempool_bytes gauge");
        let _ = writeln!(out, "rustensor_mempool_bytes {}", pool.bytes);
        let _ = writeln!(out, "# HELP rustensor_rpc_calls_total JSON-RPC calls by method.");
        let _ = writeln!(out, "# TYPE rustensor_rpc_calls_total counter");
        let calls = self.rpc_calls.lock().unwrap_or_else(|e| e.into_inner());
        for (method, n) in calls.iter() {
            let _ = writeln!(out, "rustensor_rpc_calls_total{{method=\"{method}\"}} {n}");
        }
        out
    }
}

/// The most bytes of a request head read before answering (the request is not parsed
/// beyond its first line).
const MAX_REQUEST_HEAD: usize = 8 * 1024;

/// Serves `GET /metrics` on `listener` until the task is dropped; `render` gives the body.
/// Any other path gets 404; a client that sends garbage just gets its connection closed.
pub async fn serve(listener: TcpListener, render: impl Fn() -> String + Send + Sync + 'static) {
    let render = std::sync::Arc::new(render);
    loop {
        let Ok((mut socket, _)) = listener.accept().await else { continue };
        let render = render.clone();
        tokio::spawn(async move {
            let mut head = Vec::with_capacity(512);
            let mut buf = [0u8; 1024];
            // Read until the end of the request head, with a limit and a timeout.
            let read = tokio::time::timeout(Duration::from_secs(5), async {
                while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_REQUEST_HEAD {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return false,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                true
            })
            .await;
            if !matches!(read, Ok(true)) {
                return;
            }
            let first = head.split(|b| *b == b'\n').next().unwrap_or_default();
            let (status, body) = if first.starts_with(b"GET /metrics ") {
                ("200 OK", render())
            } else {
                ("404 Not Found", "try GET /metrics\n".to_owned())
            };
            let response = format!(
                "HTTP/1.1 {status}\r\ncontent-type: text/plain; version=0.0.4\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        });
    }
}

/// Binds the metrics listener on `addr`.
///
/// # Errors
///
/// If the address cannot be bound.
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_render_has_heights_histogram_pool_and_rpc_counts() {
        let m = NodeMetrics::default();
        m.set_best(7);
        m.set_finalized(6);
        m.set_best(5); // never goes back
        m.observe_block_execution(Duration::from_millis(3), 10);
        m.count_rpc_call("chain_getHeader");
        m.count_rpc_call("chain_getHeader");
        let text = m.render(PoolGauges { ready: 3, future: 1, bytes: 400 });
        assert!(text.contains("rustensor_block_height{status=\"best\"} 7\n"));
        assert!(text.contains("rustensor_block_height{status=\"finalized\"} 6\n"));
        assert!(text.contains("rustensor_block_execution_seconds_bucket{le=\"0.001\"} 0\n"));
        assert!(text.contains("rustensor_block_execution_seconds_bucket{le=\"0.005\"} 1\n"));
        assert!(text.contains("rustensor_block_execution_seconds_count 1\n"));
        assert!(text.contains("rustensor_block_extrinsics_total 10\n"));
        assert!(text.contains("rustensor_mempool_transactions{queue=\"ready\"} 3\n"));
        assert!(text.contains("rustensor_rpc_calls_total{method=\"chain_getHeader\"} 2\n"));
    }

    #[tokio::test]
    async fn test_serve_answers_metrics_and_404() {
        let listener = bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(serve(listener, || "x 1\n".to_owned()));
        for (path, want) in [("/metrics", "200 OK"), ("/nope", "404")] {
            let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
            s.write_all(format!("GET {path} HTTP/1.1\r\nhost: x\r\n\r\n").as_bytes())
                .await
                .unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).await.unwrap();
            assert!(out.contains(want), "{out}");
            if path == "/metrics" {
                assert!(out.ends_with("x 1\n"));
            }
        }
        task.abort();
    }
}
