//! Closed-loop load against an `Echo` axon: C concurrent callers on one dendrite (one keep-alive
//! pool) send signed `Echo` requests back to back for a fixed time, then print req/s and latency
//! percentiles as one JSON line.
//!
//! Usage: `echo_load ADDR AXON_HOTKEY_SS58 [CONCURRENCY=64] [SECONDS=10] [WARMUP_SECONDS=1]`
//!
//! Example (axon on CPU 0, load on CPU 1):
//! `taskset -c 0 rustensor axon echo --ip 127.0.0.1 --port 18100 &`
//! `taskset -c 1 cargo run --release -p rustensor-sdk --example echo_load -- 127.0.0.1:18100 5F...`

use std::time::{Duration, Instant};

use rustensor_primitives::AccountId32;
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_sdk::dendrite::{AxonTarget, Dendrite};
use rustensor_sdk::synapse::Echo;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(addr), Some(hotkey)) = (args.get(1), args.get(2)) else {
        return Err(
            "usage: echo_load ADDR AXON_HOTKEY_SS58 [CONCURRENCY] [SECONDS] [WARMUP]".into()
        );
    };
    let target = AxonTarget::new(addr.parse()?, AccountId32::from_ss58(hotkey)?);
    let concurrency: usize = args.get(3).map_or(Ok(64), |s| s.parse())?;
    let seconds: f64 = args.get(4).map_or(Ok(10.0), |s| s.parse())?;
    let warmup: f64 = args.get(5).map_or(Ok(1.0), |s| s.parse())?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async move {
        let dendrite = Dendrite::new(Pair::from_uri("//Alice", None)?);
        let text = "x".repeat(64);
        let run = |secs: f64| {
            let (dendrite, target, text) = (&dendrite, &target, &text);
            async move {
                let deadline = Instant::now() + Duration::from_secs_f64(secs);
                let worker = || async move {
                    let mut lat = Vec::new();
                    let mut errors = 0u64;
                    while Instant::now() < deadline {
                        let t0 = Instant::now();
                        let r = dendrite
                            .call(target, Echo::new(1, text.clone()), Duration::from_secs(12))
                            .await;
                        if r.is_success() {
                            lat.push(t0.elapsed());
                        } else {
                            errors += 1;
                        }
                    }
                    (lat, errors)
                };
                let start = Instant::now();
                let mut handles = Vec::new();
                for _ in 0..concurrency {
                    handles.push(worker());
                }
                let results = join(handles).await;
                let wall = start.elapsed().as_secs_f64();
                let mut lat: Vec<Duration> = results.iter().flat_map(|r| r.0.clone()).collect();
                let errors: u64 = results.iter().map(|r| r.1).sum();
                lat.sort();
                (lat, errors, wall)
            }
        };
        if warmup > 0.0 {
            run(warmup).await;
        }
        let (lat, errors, wall) = run(seconds).await;
        let pct = |q: f64| {
            lat.get(((lat.len().saturating_sub(1)) as f64 * q).round() as usize)
                .map_or(f64::NAN, |d| d.as_secs_f64() * 1e3)
        };
        println!(
            "{{\"concurrency\":{concurrency},\"seconds\":{wall:.3},\"ok\":{},\"errors\":{errors},\"rps\":{:.1},\"p50_ms\":{:.3},\"p90_ms\":{:.3},\"p99_ms\":{:.3},\"max_ms\":{:.3}}}",
            lat.len(),
            lat.len() as f64 / wall,
            pct(0.5),
            pct(0.9),
            pct(0.99),
            pct(1.0)
        );
        Ok::<_, Box<dyn std::error::Error>>(())
    })
}

/// Polls all futures on this task until every one is done (a small join_all).
async fn join<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut out: Vec<Option<F::Output>> = set.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, o) in set.iter_mut().zip(out.iter_mut()) {
            if o.is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *o = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending { std::task::Poll::Pending } else { std::task::Poll::Ready(()) }
    })
    .await;
    out.into_iter().flatten().collect()
}
