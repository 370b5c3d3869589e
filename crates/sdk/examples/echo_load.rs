//! Closed-loop load against an `Echo` axon: C concurrent callers on one dendrite (one keep-alive
//! pool) send signed `Echo` requests back to back for a fixed time, then print req/s and latency
//! percentiles as one JSON line.
//!
//! Usage: `echo_load ADDR AXON_HOTKEY_SS58 [CONCURRENCY=64] [SECONDS=10] [WARMUP_SECONDS=1]
//! [MODE=dendrite|raw] [MAX_RPS=40000]`
//!
//! Modes:
//! * `dendrite` (default): every caller sends through [`Dendrite::call`], signing each request
//!   as it goes. Signing and the client's HTTP and JSON work cost about as much CPU as the axon
//!   spends, so on one load core this mode saturates before a fast axon does.
//! * `raw`: the requests are made and signed with [`Dendrite::sign_request`] before the clock
//!   starts (`MAX_RPS × (WARMUP + SECONDS)` of them, one uuid and increasing nonces per
//!   connection), then each caller writes its requests over its own keep-alive HTTP/1.1
//!   connection and reads each reply (status line, `content-length` body) before the next. The
//!   axon still checks every signature, nonce and body hash; only the client's work is taken
//!   out. A caller that runs out of requests stops early, and the result says so
//!   (`"exhausted"`): raise `MAX_RPS` then. The synapse timeout is 60 s, so that the first
//!   request of each connection is still inside the axon's nonce window after all are signed.
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
    match args.get(6).map_or("dendrite", String::as_str) {
        "dendrite" => {}
        "raw" => {
            let max_rps: f64 = args.get(7).map_or(Ok(40_000.0), |s| s.parse())?;
            return rt.block_on(raw::run(target, concurrency, seconds, warmup, max_rps));
        }
        other => return Err(format!("unknown mode {other:?}: dendrite or raw").into()),
    }
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
        report(concurrency, "", lat, errors, wall);
        Ok::<_, Box<dyn std::error::Error>>(())
    })
}

/// Prints one run's result as one JSON line; `lat` is sorted, `extra` is inserted as is.
fn report(concurrency: usize, extra: &str, lat: Vec<Duration>, errors: u64, wall: f64) {
    let pct = |q: f64| {
        lat.get(((lat.len().saturating_sub(1)) as f64 * q).round() as usize)
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1e3)
    };
    println!(
        "{{\"concurrency\":{concurrency},{extra}\"seconds\":{wall:.3},\"ok\":{},\"errors\":{errors},\"rps\":{:.1},\"p50_ms\":{:.3},\"p90_ms\":{:.3},\"p99_ms\":{:.3},\"max_ms\":{:.3}}}",
        lat.len(),
        lat.len() as f64 / wall,
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0)
    );
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

/// The `raw` mode: pre-signed requests replayed over plain keep-alive connections.
mod raw {
    use std::time::{Duration, Instant};

    use http_body_util::BodyExt;
    use rustensor_primitives::crypto::sr25519::Pair;
    use rustensor_sdk::dendrite::{AxonTarget, Dendrite, new_uuid};
    use rustensor_sdk::synapse::Echo;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    type Error = Box<dyn std::error::Error>;

    /// One connection's requests, serialized as HTTP/1.1, in nonce order.
    async fn requests(
        dendrite: &Dendrite,
        target: &AxonTarget,
        count: usize,
    ) -> Result<Vec<Vec<u8>>, Error> {
        let uuid = new_uuid();
        let text = "x".repeat(64);
        let mut out = Vec::with_capacity(count);
        for _ in 0..count {
            let request = dendrite.sign_request(
                target,
                &uuid,
                Echo::new(1, text.clone()),
                // The axon's first-nonce window is 4 s plus the synapse timeout: long enough
                // for the first request of every connection to wait out the signing of all.
                Duration::from_secs(60),
            )?;
            let (parts, body) = request.into_parts();
            let body = body.collect().await?.to_bytes();
            let mut raw =
                format!("POST {} HTTP/1.1\r\nhost: {}\r\n", parts.uri.path(), target.addr)
                    .into_bytes();
            for (name, value) in &parts.headers {
                raw.extend_from_slice(name.as_str().as_bytes());
                raw.extend_from_slice(b": ");
                raw.extend_from_slice(value.as_bytes());
                raw.extend_from_slice(b"\r\n");
            }
            raw.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
            raw.extend_from_slice(&body);
            out.push(raw);
        }
        Ok(out)
    }

    /// Reads one reply and returns its status code.
    async fn reply(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<u16, Error> {
        buf.clear();
        let mut chunk = [0u8; 16 * 1024];
        let head_end = loop {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Err("the axon closed the connection".into());
            }
            buf.extend_from_slice(&chunk[..n]);
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
        };
        let head = std::str::from_utf8(&buf[..head_end])?;
        let status: u16 = head.get(9..12).ok_or("short status line")?.parse()?;
        let length: usize = head
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse().ok())?
            })
            .ok_or("reply without content-length")?;
        while buf.len() < head_end + length {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Err("the axon closed the connection mid-reply".into());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        Ok(status)
    }

    pub(crate) async fn run(
        target: AxonTarget,
        concurrency: usize,
        seconds: f64,
        warmup: f64,
        max_rps: f64,
    ) -> Result<(), Error> {
        let dendrite = Dendrite::new(Pair::from_uri("//Alice", None)?);
        let per_conn = ((max_rps * (seconds + warmup)) / concurrency as f64).ceil() as usize;
        let prepared = Instant::now();
        let mut all = Vec::with_capacity(concurrency);
        for _ in 0..concurrency {
            all.push(requests(&dendrite, &target, per_conn.max(1)).await?);
        }
        let sign_s = prepared.elapsed().as_secs_f64();
        let start = Instant::now();
        let measure_from = start + Duration::from_secs_f64(warmup);
        let deadline = measure_from + Duration::from_secs_f64(seconds);
        let mut tasks = Vec::with_capacity(concurrency);
        for queue in all {
            let addr = target.addr;
            tasks.push(tokio::spawn(async move {
                let mut stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
                stream.set_nodelay(true).map_err(|e| e.to_string())?;
                let (mut lat, mut errors, mut exhausted) = (Vec::new(), 0u64, true);
                let mut buf = Vec::with_capacity(4096);
                for raw in queue {
                    let t0 = Instant::now();
                    if t0 >= deadline {
                        exhausted = false;
                        break;
                    }
                    stream.write_all(&raw).await.map_err(|e| e.to_string())?;
                    let status = reply(&mut stream, &mut buf).await.map_err(|e| e.to_string())?;
                    if t0 >= measure_from {
                        if status == 200 { lat.push(t0.elapsed()) } else { errors += 1 }
                    }
                }
                Ok::<_, String>((lat, errors, exhausted, Instant::now()))
            }));
        }
        let (mut lat, mut errors, mut exhausted, mut end) = (Vec::new(), 0, false, measure_from);
        for task in tasks {
            let (l, e, x, t) = task.await??;
            lat.extend(l);
            errors += e;
            exhausted |= x;
            end = end.max(t);
        }
        let wall = end.min(deadline).saturating_duration_since(measure_from).as_secs_f64();
        lat.sort();
        let extra =
            format!("\"mode\":\"raw\",\"signing_s\":{sign_s:.1},\"exhausted\":{exhausted},");
        super::report(concurrency, &extra, lat, errors, wall);
        Ok(())
    }
}
