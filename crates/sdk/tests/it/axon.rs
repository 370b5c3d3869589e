//! Axon and dendrite: the captured Python fixtures, Rust dendrite <-> Rust axon, and attacks
//! against a running axon on 127.0.0.1 (each rejected with the right status while the axon keeps
//! serving).

use std::path::Path;
use std::time::{Duration, Instant};

use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_sdk::axon::{Axon, AxonConfig, AxonHandle, Hooks};
use rustensor_sdk::dendrite::{AxonTarget, Dendrite};
use rustensor_sdk::synapse::{
    Echo, EchoHashed, Synapse, SynapseBase, body_hash, signature_message,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn alice() -> Pair {
    Pair::from_uri("//Alice", None).expect("dev key")
}

fn bob() -> Pair {
    Pair::from_uri("//Bob", None).expect("dev key")
}

fn fixture(name: &str) -> (Vec<(String, String)>, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/axon").join(name);
    let raw = std::fs::read_to_string(&path).expect("fixture");
    let (head, body) = raw.split_once("\r\n\r\n").expect("header/body split");
    let headers = head
        .split("\r\n")
        .skip(1)
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned()))
        .collect();
    (headers, body.to_owned())
}

fn base_of(headers: &[(String, String)]) -> SynapseBase {
    SynapseBase::from_headers(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .expect("headers parse")
}

fn check_fixture_request<S: Synapse>(file: &str) -> S {
    let (headers, body) = fixture(file);
    let base = base_of(&headers);
    let synapse: S = serde_json::from_str(&body).expect("body parses as the synapse");
    assert_eq!(synapse.body_hash(), base.computed_body_hash, "{file}: body hash");
    let d = &base.dendrite;
    let message = signature_message(
        d.nonce.expect("nonce"),
        d.hotkey.as_deref().expect("hotkey"),
        &bob().account_id().to_ss58(),
        d.uuid.as_deref().expect("uuid"),
        &base.computed_body_hash,
    );
    let sig = rustensor_primitives::crypto::sr25519::Signature::from_hex(
        d.signature.as_deref().expect("signature"),
    )
    .expect("hex");
    assert!(alice().public().verify(message.as_bytes(), &sig), "{file}: signature verifies");
    assert_eq!(d.hotkey.as_deref(), Some(alice().account_id().to_ss58().as_str()));
    synapse
}

#[test]
fn test_fixture_echo_request_parses_and_signature_verifies() {
    let e: Echo = check_fixture_request("echo_request.http");
    assert_eq!((e.n, e.text.as_str(), e.out.as_deref()), (41, "hello", None));
}

#[test]
fn test_fixture_echohashed_request_parses_and_signature_verifies() {
    let e: EchoHashed = check_fixture_request("echohashed_request.http");
    assert_eq!((e.n, e.text.as_str()), (7, "abc"));
    assert_eq!(e.body_hash(), "3d92e01f481fe355b5370db053dcfa666fa04f7508c814795625e4ff88d73d05");
}

#[test]
fn test_fixture_responses_parse_with_status_and_process_time() {
    for (file, out) in [("echo_response.http", "olleh42"), ("echohashed_response.http", "ABC")] {
        let (headers, body) = fixture(file);
        let base = base_of(&headers);
        assert_eq!(base.axon.status_code, Some(200));
        assert!(base.axon.process_time.is_some_and(|t| t > 0.0 && t < 1e-3));
        let v: Value = serde_json::from_str(&body).expect("json");
        assert_eq!(v["out"], out);
        assert_eq!(v["axon"]["status_message"], "Success");
        // Our serialization of the parsed reply has the same keys in the same order.
        let e: Echo = serde_json::from_str(&body).expect("parses");
        let ours: Value = serde_json::to_value(&e).expect("to value");
        let mut ours = ours;
        ours["name"] = v["name"].clone();
        assert_eq!(ours, v, "{file}");
    }
}

async fn echo_axon(config: AxonConfig, hooks: Hooks) -> AxonHandle {
    Axon::new(bob(), config)
        .attach_with(
            |mut e: Echo| async move {
                if e.text == "sleep" {
                    tokio::time::sleep(Duration::from_secs(3)).await;
                }
                if e.text == "fail" {
                    return Err("forward failed".to_owned());
                }
                e.out = Some(e.text.clone());
                Ok(e)
            },
            hooks.clone(),
        )
        .attach_with(
            |mut e: EchoHashed| async move {
                e.out = Some(e.text.to_uppercase());
                Ok(e)
            },
            hooks,
        )
        .serve("127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("binds")
}

fn target(h: &AxonHandle) -> AxonTarget {
    AxonTarget::new(h.local_addr(), bob().account_id())
}

/// Checks the axon still answers a good call.
async fn assert_serving(h: &AxonHandle) {
    let d = Dendrite::new(alice());
    let r = d.call(&target(h), Echo::new(1, "still here"), Duration::from_secs(5)).await;
    assert_eq!(r.status_code, 200, "axon keeps serving: {}", r.status_message);
}

/// A signed request as the Python dendrite writes it.
struct Req {
    name: &'static str,
    signer: Pair,
    axon_hotkey: String,
    nonce: u64,
    uuid: String,
    timeout: f64,
    body: Value,
    hash_fields: Vec<&'static str>,
}

fn now_ns() -> u64 {
    u64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_nanos(),
    )
    .expect("fits")
}

impl Req {
    fn echo(text: &str) -> Self {
        Self {
            name: "Echo",
            signer: alice(),
            axon_hotkey: bob().account_id().to_ss58(),
            nonce: now_ns(),
            uuid: rustensor_sdk::dendrite::new_uuid(),
            timeout: 5.0,
            body: json!({"n": 3, "text": text}),
            hash_fields: vec![],
        }
    }

    fn bytes(&self, extra_headers: &str, body: Option<&[u8]>) -> Vec<u8> {
        let hash = body_hash(&self.body, &self.hash_fields);
        let me = self.signer.account_id().to_ss58();
        let msg = signature_message(self.nonce, &me, &self.axon_hotkey, &self.uuid, &hash);
        let sig = self.signer.sign(msg.as_bytes()).to_hex();
        let body_bytes = serde_json::to_vec(&self.body).expect("json");
        let body = body.unwrap_or(&body_bytes);
        let mut out = format!(
            "POST /{} HTTP/1.1\r\nHost: 127.0.0.1\r\nname: {}\r\ntimeout: {:?}\r\nbt_header_axon_hotkey: {}\r\nbt_header_dendrite_version: 10005000\r\nbt_header_dendrite_nonce: {}\r\nbt_header_dendrite_uuid: {}\r\nbt_header_dendrite_hotkey: {me}\r\nbt_header_dendrite_signature: {sig}\r\ncomputed_body_hash: {hash}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra_headers}\r\n",
            self.name, self.name, self.timeout, self.axon_hotkey, self.nonce, self.uuid, body.len()
        )
        .into_bytes();
        out.extend_from_slice(body);
        out
    }
}

/// Sends raw bytes and returns (status, JSON body).
async fn send_raw(h: &AxonHandle, bytes: &[u8]) -> (u16, Value) {
    let mut s = TcpStream::connect(h.local_addr()).await.expect("connects");
    s.write_all(bytes).await.expect("writes");
    let mut buf = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut buf))
        .await
        .expect("reply within 10 s")
        .expect("reads");
    parse_reply(&buf)
}

fn parse_reply(buf: &[u8]) -> (u16, Value) {
    let text = String::from_utf8_lossy(buf);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn message(v: &Value) -> &str {
    v["message"].as_str().unwrap_or("")
}

#[tokio::test]
async fn test_dendrite_to_axon_echo_succeeds_with_status_and_process_time() {
    let h = echo_axon(AxonConfig::default(), Hooks::new()).await;
    let d = Dendrite::new(alice());
    let r = d.call(&target(&h), Echo::new(41, "hello"), Duration::from_secs(5)).await;
    assert_eq!(r.status_code, 200, "{}", r.status_message);
    assert_eq!(r.synapse.out.as_deref(), Some("hello"));
    assert_eq!(r.synapse.base.axon.status_code, Some(200));
    assert!(r.process_time.is_some_and(|t| t >= 0.0));
    assert_eq!(r.synapse.base.dendrite.status_code, Some(200));

    let r = d.call(&target(&h), EchoHashed::new(7, "abc"), Duration::from_secs(5)).await;
    assert_eq!((r.status_code, r.synapse.out.as_deref()), (200, Some("ABC")));

    // The built-in ping.
    let r = d.call(&target(&h), SynapseBase::named("Synapse"), Duration::from_secs(5)).await;
    assert_eq!(r.status_code, 200, "{}", r.status_message);
}

#[tokio::test]
async fn test_dendrite_fan_out_reports_each_axon_without_panicking() {
    let a = echo_axon(AxonConfig::default(), Hooks::new()).await;
    let b = echo_axon(AxonConfig::default(), Hooks::new()).await;
    // A port with nothing listening.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr")
    };
    let targets = vec![target(&a), AxonTarget::new(dead, bob().account_id()), target(&b)];
    let d = Dendrite::new(alice());
    let start = Instant::now();
    let rs = d.query(&targets, &Echo::new(1, "x"), Duration::from_secs(2)).await;
    let codes: Vec<u16> = rs.iter().map(|r| r.status_code).collect();
    assert_eq!(codes, vec![200, 503, 200]);
    assert!(start.elapsed() < Duration::from_secs(2));
    // Many concurrent calls over the keep-alive pool.
    let many = vec![target(&a); 100];
    let rs = d.query(&many, &Echo::new(2, "y"), Duration::from_secs(5)).await;
    assert!(rs.iter().all(|r| r.status_code == 200), "all 100 succeed");
}

#[tokio::test]
async fn test_dendrite_timeout_gives_408_and_axon_timeout_cuts_forward() {
    let h = echo_axon(AxonConfig::default(), Hooks::new()).await;
    let d = Dendrite::new(alice());
    let start = Instant::now();
    let r = d.call(&target(&h), Echo::new(1, "sleep"), Duration::from_millis(300)).await;
    assert_eq!(r.status_code, 408, "{}", r.status_message);
    assert!(start.elapsed() < Duration::from_secs(1));
    // The axon enforces the timeout header itself too.
    let mut req = Req::echo("sleep");
    req.timeout = 0.5;
    let start = Instant::now();
    let (status, body) = send_raw(&h, &req.bytes("", None)).await;
    assert_eq!(status, 408, "{body}");
    assert!(message(&body).starts_with("Response timeout after: 0.5s"));
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_serving(&h).await;
}

#[tokio::test]
async fn test_axon_rejects_replayed_request_with_401() {
    let h = echo_axon(AxonConfig::default(), Hooks::new()).await;
    let bytes = Req::echo("once").bytes("", None);
    assert_eq!(send_raw(&h, &bytes).await.0, 200);
    let (status, body) = send_raw(&h, &bytes).await;
    assert_eq!(status, 401);
    assert_eq!(
        message(&body),
        "Not Verified with error: Nonce is too old, a newer one was last processed"
    );
    assert_serving(&h).await;
}

#[tokio::test]
async fn test_axon_rejects_reused_and_lower_nonce_with_401() {
    let h = echo_axon(AxonConfig::default(), Hooks::new()).await;
    let first = Req::echo("a");
    assert_eq!(send_raw(&h, &first.bytes("", None)).await.0, 200);
    // Same nonce, different body and fresh signature.
    let mut reuse = Req::echo("b");
    reuse.uuid.clone_from(&first.uuid);
    reuse.nonce = first.nonce;
    assert_eq!(send_raw(&h, &reuse.bytes("", None)).await.0, 401);
    let mut lower = Req::echo("c");
    lower.uuid.clone_from(&first.uuid);
    lower.nonce = first.nonce - 1;
    assert_eq!(send_raw(&h, &lower.bytes("", None)).await.0, 401);
    assert_serving(&h).await;
}

#[tokio::test]
async fn test_axon_rejects_stale_nonce_with_401() {
    let h = echo_axon(AxonConfig::default(), Hooks::new()).await;
    let mut req = Req::echo("old");
    req.timeout = 5.0;
    req.nonce = now_ns() - 20_000_000_000; // 20 s old; the window is 4 s + 5 s
    let (status, body) = send_raw(&h, &req.bytes("", None)).await;
    assert_eq!(status, 401);
    assert!(
        message(&body).contains("Nonce is too old: acceptable delta is 9.00 seconds"),
        "{body}"
    );
    // 8 s old is inside the window.
    let mut ok = Req::echo("recent");
    ok.nonce = now_ns() - 8_000_000_000;
    assert_eq!(send_raw(&h, &ok.bytes("", None)).await.0, 200);
    // The captured Python request (old nonce, signed for //Bob) is rejected too.
    let raw = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/axon/echo_request.http"),
    )
    .expect("fixture")
    .replacen("\r\n", "\r\nConnection: close\r\n", 1);
    let (status, body) = send_raw(&h, raw.as_bytes()).await;
    assert_eq!(status, 401, "{body}");
    assert_serving(&h).await;
}

#[tokio::test]
async fn test_axon_rejects_signature_by_another_key_with_401() {
    let h = echo_axon(AxonConfig::default(), Hooks::new()).await;
    let req = Req::echo("forged");
    let mut bytes = req.bytes("", None);
    // Claim to be Alice but sign with Charlie: rewrite the signature header.
    let charlie = Pair::from_uri("//Charlie", None).expect("dev key");
    let hash = body_hash(&req.body, &req.hash_fields);
    let msg = signature_message(
        req.nonce,
        &alice().account_id().to_ss58(),
        &req.axon_hotkey,
        &req.uuid,
        &hash,
    );
    let forged = charlie.sign(msg.as_bytes()).to_hex();
    let text = String::from_utf8(bytes.clone()).expect("utf8");
    let start = text.find("bt_header_dendrite_signature: ").expect("header") + 30;
    bytes.splice(start..start + 130, forged.bytes());
    let (status, body) = send_raw(&h, &bytes).await;
    assert_eq!(status, 401);
    assert!(
        message(&body).starts_with("Not Verified with error: Signature mismatch with "),
        "{body}"
    );
    assert_serving(&h).await;
}

#[tokio::test]
async fn test_axon_rejects_request_addressed_to_other_hotkey_with_401() {
    let h = echo_axon(AxonConfig::default(), Hooks::new()).await;
    let mut req = Req::echo("misdirected");
    req.axon_hotkey = Pair::from_uri("//Dave", None).expect("dev key").account_id().to_ss58();
    let (status, body) = send_raw(&h, &req.bytes("", None)).await;
    assert_eq!(status, 401, "{body}");
    // And through the dendrite.
    let d = Dendrite::new(alice());
    let wrong = AxonTarget::new(h.local_addr(), alice().account_id());
    let r = d.call(&wrong, Echo::new(1, "x"), Duration::from_secs(5)).await;
    assert_eq!(r.status_code, 401);
    assert_serving(&h).await;
}

#[tokio::test]
async fn test_axon_rejects_malformed_headers_with_400() {
    let h = echo_axon(AxonConfig::default(), Hooks::new()).await;
    let req = Req::echo("x");
    let text = String::from_utf8(req.bytes("", None)).expect("utf8");
    for (from, to) in [
        (
            format!("bt_header_dendrite_nonce: {}", req.nonce),
            "bt_header_dendrite_nonce: abc".to_owned(),
        ),
        ("timeout: 5.0".to_owned(), "timeout: nan".to_owned()),
        ("timeout: 5.0".to_owned(), "timeout: five".to_owned()),
        (
            "bt_header_dendrite_version: 10005000".to_owned(),
            "bt_header_dendrite_version: 1e99".to_owned(),
        ),
    ] {
        let bad = text.replacen(&from, &to, 1);
        let (status, body) = send_raw(&h, bad.as_bytes()).await;
        assert_eq!(status, 400, "{to}: {body}");
        assert!(message(&body).starts_with("Improperly formatted request."), "{body}");
    }
    // A header value with a non-ASCII byte.
    let mut bytes = req.bytes("x_evil: caf\r\n", None);
    let at = bytes.windows(3).position(|w| w == b"caf").expect("header") + 3;
    bytes.insert(at, 0xe9);
    let (status, _) = send_raw(&h, &bytes).await;
    assert_eq!(status, 400);
    // Missing signature headers entirely.
    let (status, body) = send_raw(
        &h,
        b"POST /Echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
    )
    .await;
    assert_eq!(
        (status, message(&body)),
        (401, "Not Verified with error: No SS58 formatted address or public key provided.")
    );
    // Garbage that is not HTTP at all.
    let mut s = TcpStream::connect(h.local_addr()).await.expect("connects");
    s.write_all(b"\x00\x01\x02 hello\r\n\r\n").await.expect("writes");
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    assert_serving(&h).await;
}

#[tokio::test]
async fn test_axon_rejects_malformed_json_with_500_and_wrong_shape_with_422() {
    let h = echo_axon(AxonConfig::default(), Hooks::new()).await;
    let (status, body) = send_raw(&h, &Req::echo("x").bytes("", Some(b"{not json"))).await;
    assert_eq!(status, 500, "{body}");
    assert!(message(&body).starts_with("Internal Server Error #"));
    let (status, _) = send_raw(&h, &Req::echo("x").bytes("", Some(b""))).await;
    assert_eq!(status, 500);
    let (status, body) = send_raw(&h, &Req::echo("x").bytes("", Some(br#"{"n": "three"}"#))).await;
    assert_eq!(status, 422, "{body}");
    // A forward error is a 500 without details.
    let (status, body) = send_raw(&h, &Req::echo("fail").bytes("", None)).await;
    assert_eq!(status, 500);
    assert!(!message(&body).contains("forward failed"));
    assert_serving(&h).await;
}

#[tokio::test]
async fn test_axon_rejects_unknown_synapse_with_404() {
    let h = echo_axon(AxonConfig::default(), Hooks::new()).await;
    let (status, body) = send_raw(
        &h,
        b"POST /Nope HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        message(&body),
        "Synapse name 'Nope' not found. Available synapses ['Echo', 'EchoHashed', 'Synapse']"
    );
    assert_serving(&h).await;
}

#[tokio::test]
async fn test_axon_rejects_tampered_hashed_body_with_500() {
    let h = echo_axon(AxonConfig::default(), Hooks::new()).await;
    let mut req = Req::echo("abc");
    req.name = "EchoHashed";
    req.hash_fields = vec!["n", "text"];
    assert_eq!(send_raw(&h, &req.bytes("", None)).await.0, 200);
    let mut req2 = Req::echo("abc");
    req2.name = "EchoHashed";
    req2.hash_fields = vec!["n", "text"];
    let tampered = serde_json::to_vec(&json!({"n": 3, "text": "abd"})).expect("json");
    let (status, body) = send_raw(&h, &req2.bytes("", Some(&tampered))).await;
    assert_eq!(status, 500);
    assert!(message(&body).starts_with("Hash mismatch between header body hash"), "{body}");
    assert_serving(&h).await;
}

#[tokio::test]
async fn test_axon_rejects_oversized_body_with_413() {
    let config = AxonConfig { max_body_bytes: 1024, ..AxonConfig::default() };
    let h = echo_axon(config, Hooks::new()).await;
    let mut req = Req::echo(&"x".repeat(2000));
    let (status, body) = send_raw(&h, &req.bytes("", None)).await;
    assert_eq!(status, 413, "{body}");
    // Chunked, so no Content-Length to reject up front: the limit applies while reading.
    req.nonce = now_ns();
    let body_bytes = serde_json::to_vec(&req.body).expect("json");
    let head = String::from_utf8(req.bytes("", Some(b"")))
        .expect("utf8")
        .replace("Content-Length: 0\r\n", "Transfer-Encoding: chunked\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(format!("{:x}\r\n", body_bytes.len()).as_bytes());
    bytes.extend_from_slice(&body_bytes);
    bytes.extend_from_slice(b"\r\n0\r\n\r\n");
    let (status, _) = send_raw(&h, &bytes).await;
    assert_eq!(status, 413);
    assert_serving(&h).await;
}

#[tokio::test]
async fn test_axon_cuts_off_trickled_body_at_timeout_with_408() {
    let h = echo_axon(AxonConfig::default(), Hooks::new()).await;
    let mut req = Req::echo("slow");
    req.timeout = 0.5;
    let full = req.bytes("", None);
    let mut s = TcpStream::connect(h.local_addr()).await.expect("connects");
    // Everything but the last 5 body bytes, then silence.
    s.write_all(&full[..full.len() - 5]).await.expect("writes");
    let start = Instant::now();
    let mut buf = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf))
        .await
        .expect("cut off well before 5 s")
        .expect("reads");
    let (status, body) = parse_reply(&buf);
    assert_eq!(status, 408, "{body}");
    assert!(start.elapsed() < Duration::from_secs(2), "cut off at the 0.5 s timeout");
    assert_serving(&h).await;
}

#[tokio::test]
async fn test_axon_blacklist_gives_403_before_verification() {
    let hooks = Hooks::new().blacklist(|b: &SynapseBase| {
        if b.dendrite.hotkey.as_deref() == Some(&*alice().account_id().to_ss58()) {
            Err("alice is banned".to_owned())
        } else {
            Ok(())
        }
    });
    let h = echo_axon(AxonConfig::default(), hooks).await;
    let d = Dendrite::new(alice());
    let r = d.call(&target(&h), Echo::new(1, "x"), Duration::from_secs(5)).await;
    assert_eq!(r.status_code, 403);
    assert_eq!(r.status_message, "Forbidden. Key is blacklisted: alice is banned.");
    // Others are served.
    let charlie = Dendrite::new(Pair::from_uri("//Charlie", None).expect("dev key"));
    let r = charlie.call(&target(&h), Echo::new(1, "x"), Duration::from_secs(5)).await;
    assert_eq!(r.status_code, 200);
}

#[tokio::test]
async fn test_axon_priority_error_gives_503() {
    let hooks = Hooks::new().priority(|_| Err("queue full".to_owned()));
    let h = echo_axon(AxonConfig::default(), hooks).await;
    let d = Dendrite::new(alice());
    let r = d.call(&target(&h), Echo::new(1, "x"), Duration::from_secs(5)).await;
    assert_eq!(r.status_code, 503, "{}", r.status_message);
}

#[tokio::test]
async fn test_axon_per_ip_and_per_hotkey_limits_give_503() {
    for config in [
        AxonConfig { max_in_flight_per_ip: 1, ..AxonConfig::default() },
        AxonConfig { max_in_flight_per_hotkey: 1, ..AxonConfig::default() },
    ] {
        let h = echo_axon(config, Hooks::new()).await;
        let d = Dendrite::new(alice());
        let t = target(&h);
        let slow = d.call(&t, Echo::new(1, "sleep"), Duration::from_secs(5));
        let fast = async {
            tokio::time::sleep(Duration::from_millis(200)).await;
            d.call(&t, Echo::new(2, "x"), Duration::from_secs(5)).await
        };
        let (slow, fast) = tokio::join!(slow, fast);
        assert_eq!(slow.status_code, 200);
        assert_eq!(fast.status_code, 503, "{}", fast.status_message);
        assert_serving(&h).await;
    }
}

/// A streaming axon: StreamEcho answers with the words of `text`, one chunk each, 20 ms apart;
/// the text "forever" streams without end. Charlie is blacklisted.
async fn stream_axon(config: AxonConfig) -> AxonHandle {
    use rustensor_sdk::axon::ChunkStream;
    use rustensor_sdk::synapse::StreamEcho;
    let charlie = Pair::from_uri("//Charlie", None).expect("dev key").account_id().to_ss58();
    let hooks = Hooks::new().blacklist(move |b: &SynapseBase| {
        if b.dendrite.hotkey.as_deref() == Some(charlie.as_str()) {
            Err("hotkey is on the blacklist".to_owned())
        } else {
            Ok(())
        }
    });
    Axon::new(bob(), config)
        .attach_streaming_with(
            |s: StreamEcho| async move {
                let words: Vec<String> = if s.text == "forever" {
                    Vec::new()
                } else {
                    s.text.split(' ').map(|w| format!("{w} ")).collect()
                };
                let forever = s.text == "forever";
                let chunks = futures::stream::unfold(0usize, move |i| {
                    let word =
                        if forever { Some("tick ".to_owned()) } else { words.get(i).cloned() };
                    async move {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        word.map(|w| (bytes::Bytes::from(w), i + 1))
                    }
                });
                Ok(Box::pin(chunks) as ChunkStream)
            },
            hooks,
        )
        .serve("127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("binds")
}

#[tokio::test]
async fn test_streaming_synapse_chunks_arrive_in_order_with_status_headers() {
    use futures::StreamExt as _;
    use rustensor_sdk::synapse::StreamEcho;
    let axon = stream_axon(AxonConfig::default()).await;
    let dendrite = Dendrite::new(alice());
    let began = Instant::now();
    let mut reply = dendrite
        .call_stream(&target(&axon), StreamEcho::new("one two three four"), Duration::from_secs(5))
        .await;
    assert_eq!(reply.status_code, 200, "{}", reply.status_message);
    assert_eq!(reply.status_message, "Success");
    assert!(reply.process_time.is_some_and(|t| t >= 0.0));
    let mut chunks = Vec::new();
    let mut arrivals = Vec::new();
    while let Some(chunk) = reply.chunks.next().await {
        let chunk = chunk.expect("no stream error");
        arrivals.push(began.elapsed());
        chunks.push(String::from_utf8(chunk.to_vec()).expect("utf-8"));
    }
    // One chunk per word, as the forward yielded them (HTTP may merge none of them here: each
    // is flushed 20 ms apart).
    assert_eq!(chunks.concat(), "one two three four ");
    assert!(chunks.len() >= 2, "chunks were streamed, not buffered: {chunks:?}");
    // The words are produced 20 ms apart: the first arrived well before the last.
    let spread = *arrivals.last().unwrap() - arrivals[0];
    assert!(spread >= Duration::from_millis(30), "chunks arrived together: {arrivals:?}");
}

#[tokio::test]
async fn test_streaming_synapse_refusals_and_timeouts() {
    use futures::StreamExt as _;
    use rustensor_sdk::synapse::StreamEcho;
    let axon = stream_axon(AxonConfig::default()).await;
    // Blacklisted: 403 and no stream.
    let charlie = Dendrite::new(Pair::from_uri("//Charlie", None).expect("dev key"));
    let mut reply =
        charlie.call_stream(&target(&axon), StreamEcho::new("x"), Duration::from_secs(5)).await;
    assert_eq!(reply.status_code, 403);
    assert_eq!(reply.status_message, "Forbidden. Key is blacklisted: hotkey is on the blacklist.");
    assert!(reply.chunks.next().await.is_none());
    // Addressed to another hotkey: 401.
    let dendrite = Dendrite::new(alice());
    let wrong = AxonTarget::new(axon.local_addr(), alice().account_id());
    let reply = dendrite.call_stream(&wrong, StreamEcho::new("x"), Duration::from_secs(5)).await;
    assert_eq!(reply.status_code, 401, "{}", reply.status_message);
    // An endless stream: the client's total timeout ends it with an error item...
    let mut reply = dendrite
        .call_stream(&target(&axon), StreamEcho::new("forever"), Duration::from_millis(500))
        .await;
    assert_eq!(reply.status_code, 200);
    let mut ticks = 0;
    let mut error = None;
    while let Some(item) = reply.chunks.next().await {
        match item {
            Ok(_) => ticks += 1,
            Err(e) => error = Some(e),
        }
    }
    assert!(ticks > 0);
    assert!(error.is_some_and(|e| e.contains("timeout")));
    // ...and the axon cuts it at the synapse timeout on its side too (a raw client that keeps
    // reading sees the body end).
    let config = AxonConfig { max_timeout: Duration::from_millis(400), ..AxonConfig::default() };
    let short = stream_axon(config).await;
    let mut reply = dendrite
        .call_stream(&target(&short), StreamEcho::new("forever"), Duration::from_secs(5))
        .await;
    assert_eq!(reply.status_code, 200);
    let began = Instant::now();
    let mut items = Vec::new();
    while let Some(item) = reply.chunks.next().await {
        items.push(item);
    }
    assert!(items.iter().all(Result::is_ok), "the axon ended the stream cleanly");
    assert!(began.elapsed() < Duration::from_secs(3), "the stream ended at the axon's timeout");
    // The axon still serves.
    let reply =
        dendrite.call_stream(&target(&axon), StreamEcho::new("a b"), Duration::from_secs(5)).await;
    assert_eq!(reply.status_code, 200);
}

/// A request made by [`Dendrite::sign_request`] as HTTP/1.1 bytes, closing the connection.
async fn presigned_bytes(request: http::Request<http_body_util::Full<bytes::Bytes>>) -> Vec<u8> {
    use http_body_util::BodyExt;
    let (parts, body) = request.into_parts();
    let body = body.collect().await.expect("full body").to_bytes();
    let mut out = format!("POST {} HTTP/1.1\r\nhost: 127.0.0.1\r\n", parts.uri.path()).into_bytes();
    for (name, value) in &parts.headers {
        out.extend_from_slice(format!("{name}: ").as_bytes());
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(
        format!("content-length: {}\r\nconnection: close\r\n\r\n", body.len()).as_bytes(),
    );
    out.extend_from_slice(&body);
    out
}

#[tokio::test]
async fn test_presigned_requests_are_accepted_in_signing_order_only() {
    let h = echo_axon(AxonConfig::default(), Hooks::new()).await;
    let dendrite = Dendrite::new(alice());
    let uuid = rustensor_sdk::dendrite::new_uuid();
    let sign = |text: &str| {
        dendrite
            .sign_request(&target(&h), &uuid, Echo::new(1, text.to_owned()), Duration::from_secs(5))
            .expect("signs")
    };
    let (first, second, third) = (sign("first"), sign("second"), sign("third"));
    let (first, second, third) =
        (presigned_bytes(first).await, presigned_bytes(second).await, presigned_bytes(third).await);
    // The second is sent first: its nonce is the newest, so the first becomes a replay.
    let (status, body) = send_raw(&h, &second).await;
    assert_eq!((status, body["out"].as_str()), (200, Some("second")));
    let (status, body) = send_raw(&h, &first).await;
    assert_eq!(status, 401);
    assert_eq!(
        message(&body),
        "Not Verified with error: Nonce is too old, a newer one was last processed"
    );
    assert_eq!(send_raw(&h, &third).await.0, 200);
    assert_serving(&h).await;
}
