//! Interop of the Rust axon and dendrite with the official Python SDK, `bittensor==10.5.0`.
//!
//! The interpreter is `<workspace>/.venv/bin/python`, which `scripts/setup` creates with
//! bittensor-wallet 4.1.1 and bittensor 10.5.0. These tests fail (they do not skip) when it is
//! missing, because issue 5 requires them. Everything runs on 127.0.0.1 with ephemeral ports.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use rustensor_primitives::AccountId32;
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_sdk::axon::{Axon, AxonConfig, ChunkStream, Hooks};
use rustensor_sdk::dendrite::{AxonTarget, Dendrite};
use rustensor_sdk::synapse::{Echo, EchoHashed, StreamEcho, SynapseBase};
use serde_json::Value;

fn dev(uri: &str) -> Pair {
    Pair::from_uri(uri, None).expect("dev key")
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/py").join(name)
}

/// The venv's python, after checking that it has bittensor 10.5.0.
fn python() -> PathBuf {
    let py = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    assert!(
        py.is_file(),
        "{} is missing: run scripts/setup to install bittensor==10.5.0 for the axon interop tests",
        py.display()
    );
    let out = Command::new(&py)
        .args(["-c", "import bittensor; print(bittensor.__version__)"])
        .output()
        .expect("python starts");
    let version = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && version.trim() == "10.5.0",
        "{} has no bittensor 10.5.0 (found {:?}, stderr {}): run scripts/setup",
        py.display(),
        version.trim(),
        String::from_utf8_lossy(&out.stderr)
    );
    py
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_interop_python_dendrite_queries_rust_axon_slow_() {
    let py = python();
    let charlie = dev("//Charlie").account_id().to_ss58();
    let hooks = Hooks::new().blacklist(move |b: &SynapseBase| {
        if b.dendrite.hotkey.as_deref() == Some(charlie.as_str()) {
            Err("hotkey is on the blacklist".to_owned())
        } else {
            Ok(())
        }
    });
    let axon = Axon::new(dev("//Bob"), AxonConfig::default())
        .attach_with(
            |mut e: Echo| async move {
                e.out = Some(e.text.clone());
                Ok(e)
            },
            hooks.clone(),
        )
        .attach_with(
            |mut e: EchoHashed| async move {
                e.out = Some(e.text.clone());
                Ok(e)
            },
            hooks,
        )
        .attach_streaming(|s: StreamEcho| async move {
            let words: Vec<bytes::Bytes> =
                s.text.split(' ').map(|w| bytes::Bytes::from(format!("{w} "))).collect();
            let chunks = futures::stream::iter(words).then(|w| async move {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                w
            });
            Ok(Box::pin(chunks) as ChunkStream)
        })
        .serve("127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("binds");
    let port = axon.local_addr().port().to_string();
    let hotkey = axon.hotkey().to_owned();
    let home = tempfile::tempdir().expect("tempdir");
    let home_path = home.path().to_owned();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(py)
            .arg(script("dendrite_query.py"))
            .arg(port)
            .arg(hotkey)
            .env("HOME", home_path)
            .output()
            .expect("python starts")
    })
    .await
    .expect("joins");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "dendrite_query.py failed: {}\nstdout: {stdout}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let last = stdout.lines().rev().find(|l| l.starts_with('{')).expect("a JSON line");
    let r: Value = serde_json::from_str(last).expect("valid JSON");

    for case in ["echo", "echo_hashed", "after"] {
        assert_eq!(r[case]["status_code"], 200, "{case}: {}", r[case]);
        assert_eq!(r[case]["axon_status_code"], 200, "{case}");
        assert_eq!(r[case]["status_message"], "Success", "{case}");
        assert_eq!(r[case]["out"], r[case]["text"], "{case}");
        assert!(r[case]["axon_process_time"].as_f64().is_some_and(|t| t > 0.0), "{case}");
    }
    assert_eq!(r["echo"]["out"], "hello");
    assert_eq!(r["echo_hashed"]["out"], "abc");
    assert_eq!(r["blacklisted"]["status_code"], 403);
    assert_eq!(
        r["blacklisted"]["status_message"],
        "Forbidden. Key is blacklisted: hotkey is on the blacklist."
    );
    // The relay rewrote "abc" to "abd": the hashed synapse is refused (500, as the SDK does)...
    assert_eq!(r["tampered_hashed"]["status_code"], 500, "{}", r["tampered_hashed"]);
    assert!(
        r["tampered_hashed"]["status_message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Hash mismatch between header body hash")),
        "{}",
        r["tampered_hashed"]
    );
    // ...while an unhashed synapse is not protected, exactly as with a Python axon.
    assert_eq!(r["tampered_plain"]["status_code"], 200);
    assert_eq!(r["tampered_plain"]["out"], "abd");
    // A Python StreamingSynapse reads our stream chunk by chunk and fills itself.
    let stream = &r["stream"];
    let chunks: Vec<&str> =
        stream["chunks"].as_array().expect("chunks").iter().filter_map(Value::as_str).collect();
    assert_eq!(chunks.concat(), "one two three ", "{stream}");
    assert!(chunks.len() >= 2, "streamed, not buffered: {stream}");
    assert_eq!(stream["out"], "one two three ", "{stream}");
    assert_eq!(stream["axon_status_code"], 200, "{stream}");
}

/// A Python axon process, killed on drop.
struct PyAxon {
    child: Child,
    port: u16,
    hotkey: AccountId32,
    _home: tempfile::TempDir,
}

impl Drop for PyAxon {
    fn drop(&mut self) {
        // Closing stdin asks the script to stop; kill in case it does not.
        drop(self.child.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_python_axon(blacklisted: &str) -> PyAxon {
    let py = python();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let home = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(py)
        .arg(script("axon_serve.py"))
        .arg(port.to_string())
        .arg(home.path().join("wallets"))
        .arg(blacklisted)
        .arg("120")
        .env("HOME", home.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = Vec::new();
    let mut axon = PyAxon { child, port, hotkey: AccountId32::from([0; 32]), _home: home };
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx.recv_timeout(left).unwrap_or_else(|_| {
            panic!("the Python axon did not print READY within 60 s; output: {seen:?}")
        });
        if let Some(rest) = line.strip_prefix("READY ") {
            let hotkey = rest.split_whitespace().nth(1).expect("hotkey on the READY line");
            axon.hotkey = AccountId32::from_ss58(hotkey).expect("ss58");
            return axon;
        }
        seen.push(line);
    }
}

#[test]
fn test_interop_rust_dendrite_queries_python_axon_slow_() {
    let charlie = dev("//Charlie");
    let py_axon = start_python_axon(&charlie.account_id().to_ss58());
    let target = AxonTarget::new(
        format!("127.0.0.1:{}", py_axon.port).parse().expect("addr"),
        py_axon.hotkey,
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let alice = Dendrite::new(dev("//Alice"));
        let t = Duration::from_secs(10);

        let r = alice.call(&target, Echo::new(41, "hello"), t).await;
        assert_eq!(r.status_code, 200, "{}", r.status_message);
        assert_eq!(r.synapse.out.as_deref(), Some("hello"));
        assert_eq!(r.synapse.base.axon.status_code, Some(200));
        assert!(r.process_time.is_some_and(|p| p > 0.0), "process time header");

        // The body hash over n and text, computed in Rust, matches the Python axon's.
        let r = alice.call(&target, EchoHashed::new(7, "abc"), t).await;
        assert_eq!(r.status_code, 200, "{}", r.status_message);
        assert_eq!(r.synapse.out.as_deref(), Some("ABC"));

        let r = Dendrite::new(charlie).call(&target, Echo::new(1, "x"), t).await;
        assert_eq!(r.status_code, 403);
        assert_eq!(r.status_message, "Forbidden. Key is blacklisted: hotkey is on the blacklist.");

        // The forward sleeps 3 s; the call gives up at 0.5 s.
        let start = Instant::now();
        let r = alice.call(&target, Echo::new(1, "sleep"), Duration::from_millis(500)).await;
        assert_eq!(r.status_code, 408, "{}", r.status_message);
        assert!(start.elapsed() < Duration::from_secs(2));

        // The same dendrite (same uuid, increasing nonces) keeps working.
        let r = alice.call(&target, Echo::new(2, "again"), t).await;
        assert_eq!((r.status_code, r.synapse.out.as_deref()), (200, Some("again")));

        // A Python streaming forward (create_streaming_response): chunks as it sends them.
        let began = Instant::now();
        let mut r = alice.call_stream(&target, StreamEcho::new("one two three"), t).await;
        assert_eq!(r.status_code, 200, "{}", r.status_message);
        assert_eq!(r.synapse.base.axon.status_code, Some(200));
        let mut chunks = Vec::new();
        let mut arrivals = Vec::new();
        while let Some(chunk) = r.chunks.next().await {
            chunks
                .push(String::from_utf8(chunk.expect("no stream error").to_vec()).expect("utf-8"));
            arrivals.push(began.elapsed());
        }
        assert_eq!(chunks.concat(), "one two three ");
        assert!(
            arrivals.len() >= 2
                && *arrivals.last().unwrap() - arrivals[0] >= Duration::from_millis(30),
            "streamed, not buffered: {chunks:?} at {arrivals:?}"
        );
        // A Python stream that outlasts the call's timeout ends with a timeout error.
        let mut r = alice
            .call_stream(&target, StreamEcho::new("forever"), Duration::from_millis(600))
            .await;
        assert_eq!(r.status_code, 200, "{}", r.status_message);
        let mut last = None;
        while let Some(item) = r.chunks.next().await {
            last = Some(item);
        }
        assert!(matches!(last, Some(Err(e)) if e.contains("timeout")));
    });
    // Stop the Python axon before the runtime goes away.
    drop(py_axon);
    std::io::stdout().flush().ok();
}
