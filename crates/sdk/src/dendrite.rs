//! The dendrite: an HTTP/1.1 client that sends signed synapses to axons, wire-compatible with
//! the Python SDK's `bittensor.Dendrite` (reference/sdk.md §1.3–1.6, §1.9).
//!
//! One [`Dendrite`] holds a hotkey, a uuid (constant across its calls, as in the SDK), a
//! strictly increasing nonce clock and a keep-alive connection pool. [`Dendrite::call`] sends
//! one typed synapse, [`Dendrite::call_json`] any JSON synapse by name, and
//! [`Dendrite::query`] fans one synapse out to many axons concurrently, each call under its own
//! timeout. Calls never fail: the outcome is a [`Response`] whose `status_code` follows the SDK
//! (200 success, the axon's error status, 408 client timeout, 503 unreachable, 422 unusable
//! reply).
//!
//! # Examples
//!
//! ```no_run
//! use std::time::Duration;
//! use rustensor_primitives::crypto::sr25519::Pair;
//! use rustensor_sdk::dendrite::{AxonTarget, Dendrite};
//! use rustensor_sdk::synapse::Echo;
//!
//! # async fn run() {
//! let dendrite = Dendrite::new(Pair::from_uri("//Alice", None).expect("dev key"));
//! let bob = Pair::from_uri("//Bob", None).expect("dev key").account_id();
//! let target = AxonTarget::new("127.0.0.1:8091".parse().expect("address"), bob);
//! let reply = dendrite.call(&target, Echo::new(1, "hi"), Duration::from_secs(5)).await;
//! println!("{} {:?}", reply.status_code, reply.synapse.out);
//! # }
//! ```

use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{Method, Request};
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rand_core::{OsRng, RngCore};
use rustensor_primitives::AccountId32;
use rustensor_primitives::crypto::sr25519::Pair;
use serde_json::{Map, Value};

use crate::synapse::{
    Synapse, SynapseBase, TerminalInfo, VERSION_AS_INT, body_hash, signature_message,
};

/// Largest response body a dendrite reads, in bytes.
pub const MAX_RESPONSE_BYTES: usize = 64 << 20;

/// A random RFC 4122 version-4 uuid string (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`).
pub fn new_uuid() -> String {
    let mut b = [0u8; 16];
    OsRng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// Where to send a synapse: the axon's address and the hotkey it signs for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AxonTarget {
    /// IP and port of the axon.
    pub addr: SocketAddr,
    /// The axon's hotkey; it is part of the signed message.
    pub hotkey: AccountId32,
}

impl AxonTarget {
    /// A target at `addr` whose hotkey is `hotkey`.
    pub fn new(addr: SocketAddr, hotkey: AccountId32) -> Self {
        Self { addr, hotkey }
    }
}

/// The outcome of one call; never an error value, as in the SDK.
#[derive(Clone, Debug)]
pub struct Response<S> {
    /// 200 on success; the axon's HTTP status; or a client-side status: 408 timeout, 503
    /// connection failure, 422 a reply that is not the synapse's JSON.
    pub status_code: u16,
    /// `Success` or what went wrong.
    pub status_message: String,
    /// Seconds the axon reports it spent (`bt_header_axon_process_time`), when it says.
    pub process_time: Option<f64>,
    /// Wall time of the whole call on this side.
    pub elapsed: Duration,
    /// The axon's synapse on success; the request as sent otherwise. Its `dendrite` and `axon`
    /// terminal infos carry the status as the SDK sets them.
    pub synapse: S,
}

impl<S> Response<S> {
    /// True for status 200.
    pub fn is_success(&self) -> bool {
        self.status_code == 200
    }
}

/// A signing HTTP client for axons, with a keep-alive connection pool.
#[derive(Debug)]
pub struct Dendrite {
    keypair: Pair,
    hotkey_ss58: String,
    uuid: String,
    /// Uuids not in use by a call; see [`Dendrite::call_json`] on concurrency.
    free_uuids: Mutex<Vec<String>>,
    external_ip: Option<String>,
    last_nonce: AtomicU64,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Dendrite {
    /// A dendrite signing with `keypair`, with a fresh uuid.
    pub fn new(keypair: Pair) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(Duration::from_secs(10)));
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(64)
            .build(connector);
        let hotkey_ss58 = keypair.account_id().to_ss58();
        let uuid = new_uuid();
        Self {
            keypair,
            hotkey_ss58,
            free_uuids: Mutex::new(vec![uuid.clone()]),
            uuid,
            external_ip: None,
            last_nonce: AtomicU64::new(0),
            client,
        }
    }

    /// Sets the IP sent as `bt_header_dendrite_ip` (informational; unset by default).
    pub fn with_external_ip(mut self, ip: impl Into<String>) -> Self {
        self.external_ip = Some(ip.into());
        self
    }

    /// The uuid this dendrite sends when it has one call in flight (concurrent calls use more;
    /// see [`Dendrite::call_json`]).
    pub fn uuid(&self) -> &str {
        &self.uuid
    }

    /// The hotkey this dendrite signs with, as SS58.
    pub fn hotkey(&self) -> &str {
        &self.hotkey_ss58
    }

    /// A nonce: `time.time_ns()`, bumped to stay strictly above the previous one.
    fn next_nonce(&self) -> u64 {
        let now = crate::axon_now_ns();
        let mut prev = self.last_nonce.load(Ordering::Relaxed);
        loop {
            let next = now.max(prev.saturating_add(1));
            match self.last_nonce.compare_exchange_weak(
                prev,
                next,
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => return next,
                Err(actual) => prev = actual,
            }
        }
    }

    /// Sends `synapse` to `target` and waits at most `timeout` for the reply.
    pub async fn call<S: Synapse + Clone>(
        &self,
        target: &AxonTarget,
        mut synapse: S,
        timeout: Duration,
    ) -> Response<S> {
        let body = request_body(&mut synapse);
        let raw = self.call_json(target, S::NAME, body, S::REQUIRED_HASH_FIELDS, timeout).await;
        let mut status_code = raw.status_code;
        let mut status_message = raw.status_message;
        let mut out = synapse;
        if status_code == 200 {
            match raw.body.map(serde_json::from_value::<S>) {
                Some(Ok(parsed)) => out = parsed,
                Some(Err(e)) => {
                    status_code = 422;
                    status_message = format!("reply is not a valid {} synapse: {e}", S::NAME);
                }
                None => {
                    status_code = 422;
                    status_message = "reply has no JSON body".to_owned();
                }
            }
        }
        record_outcome(
            out.base_mut(),
            raw.sent_dendrite,
            status_code,
            &status_message,
            raw.process_time,
            raw.elapsed,
        );
        Response {
            status_code,
            status_message,
            process_time: raw.process_time,
            elapsed: raw.elapsed,
            synapse: out,
        }
    }

    /// Sends `synapse` to every target concurrently, each call under `timeout`; the responses
    /// come back in the order of `targets`.
    pub async fn query<S: Synapse + Clone>(
        &self,
        targets: &[AxonTarget],
        synapse: &S,
        timeout: Duration,
    ) -> Vec<Response<S>> {
        let calls = targets.iter().map(|t| self.call(t, synapse.clone(), timeout));
        join_all(calls).await
    }

    /// Takes a uuid no other call is using, giving it back when the lane is dropped.
    fn lane(&self) -> Lane<'_> {
        let uuid = self.free_uuids.lock().unwrap_or_else(|e| e.into_inner()).pop();
        Lane { dendrite: self, uuid: uuid.unwrap_or_else(new_uuid) }
    }

    /// Sends a synapse given as a JSON object under route `name`, hashing `hash_fields` (the
    /// synapse's `required_hash_fields`), and waits at most `timeout`.
    ///
    /// Concurrency: axons accept only strictly increasing nonces per (hotkey, uuid), so two
    /// calls in flight under one uuid can overtake each other and the later-signed one can make
    /// the other fail with 401. Each call in flight therefore uses its own uuid, taken from a
    /// pool that grows to the largest number of concurrent calls; with one call at a time the
    /// dendrite sends one constant uuid, as the Python SDK does.
    pub async fn call_json<F: AsRef<str>>(
        &self,
        target: &AxonTarget,
        name: &str,
        body: Map<String, Value>,
        hash_fields: &[F],
        timeout: Duration,
    ) -> RawResponse {
        let start = Instant::now();
        let lane = self.lane();
        let timeout_s = timeout.as_secs_f64();
        let (request, sent) =
            self.signed_request(&lane.uuid, target, name, body, hash_fields, timeout);
        let sent_dendrite = Some(sent);
        let fail = |status_code: u16, status_message: String| RawResponse {
            status_code,
            status_message,
            process_time: None,
            elapsed: start.elapsed(),
            body: None,
            sent_dendrite: sent_dendrite.clone(),
        };
        let request = match request {
            Ok(r) => r,
            Err(e) => return fail(400, e),
        };

        let exchange = async {
            let response = self.client.request(request).await.map_err(|e| (503, e.to_string()))?;
            let status = response.status().as_u16();
            let process_time = axon_process_time(response.headers());
            let is_json = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/json"));
            let bytes = Limited::new(response.into_body(), MAX_RESPONSE_BYTES)
                .collect()
                .await
                .map_err(|e| (503, format!("reading the reply: {e}")))?
                .to_bytes();
            Ok::<_, (u16, String)>((status, process_time, is_json, bytes))
        };
        match tokio::time::timeout(timeout, exchange).await {
            Err(_) => fail(408, format!("Request timeout after {timeout_s} seconds")),
            Ok(Err((code, msg))) => {
                fail(code, format!("Service at {} unavailable: {msg}", target.addr))
            }
            Ok(Ok((status, process_time, is_json, bytes))) => {
                let json: Option<Value> =
                    if is_json { serde_json::from_slice(&bytes).ok() } else { None };
                let Some(json) = json else {
                    let mut r = fail(422, format!("reply with status {status} is not JSON"));
                    r.process_time = process_time;
                    return r;
                };
                let status_message = if status == 200 {
                    "Success".to_owned()
                } else {
                    json.get("message").and_then(Value::as_str).unwrap_or("").to_owned()
                };
                RawResponse {
                    status_code: status,
                    status_message,
                    process_time,
                    elapsed: start.elapsed(),
                    body: (status == 200).then_some(json),
                    sent_dendrite,
                }
            }
        }
    }

    /// `synapse` as [`Dendrite::call`] would send it to `target`, signed with a fresh nonce under
    /// `uuid`, for callers that send requests themselves (a load generator replaying them over
    /// raw connections, say). The request's body is the whole JSON synapse.
    ///
    /// An axon accepts each (hotkey, uuid) pair's nonces once and in increasing order: requests
    /// made under one uuid must reach the axon in the order they were made, and no
    /// [`Dendrite::call`] may use the same uuid meanwhile (pick one with [`new_uuid`]).
    pub fn sign_request<S: Synapse>(
        &self,
        target: &AxonTarget,
        uuid: &str,
        mut synapse: S,
        timeout: Duration,
    ) -> Result<Request<Full<Bytes>>, String> {
        let body = request_body(&mut synapse);
        self.signed_request(uuid, target, S::NAME, body, S::REQUIRED_HASH_FIELDS, timeout).0
    }

    /// The signed request for a synapse given as a JSON object (see [`Dendrite::call_json`]),
    /// and the dendrite terminal info it carries.
    fn signed_request<F: AsRef<str>>(
        &self,
        uuid: &str,
        target: &AxonTarget,
        name: &str,
        mut body: Map<String, Value>,
        hash_fields: &[F],
        timeout: Duration,
    ) -> (Result<Request<Full<Bytes>>, String>, TerminalInfo) {
        let axon_hotkey = target.hotkey.to_ss58();
        let nonce = self.next_nonce();
        let hash = body_hash(&Value::Object(body.clone()), hash_fields);
        let message = signature_message(nonce, &self.hotkey_ss58, &axon_hotkey, uuid, &hash);
        let signature = self.keypair.sign(message.as_bytes()).to_hex();

        let mut base = SynapseBase::named(name);
        base.timeout = timeout.as_secs_f64();
        base.dendrite = TerminalInfo {
            ip: self.external_ip.clone(),
            version: Some(VERSION_AS_INT),
            nonce: Some(nonce),
            uuid: Some(uuid.to_owned()),
            hotkey: Some(self.hotkey_ss58.clone()),
            signature: Some(signature),
            ..TerminalInfo::default()
        };
        base.axon = TerminalInfo {
            ip: Some(target.addr.ip().to_string()),
            port: Some(i64::from(target.addr.port())),
            hotkey: Some(axon_hotkey),
            ..TerminalInfo::default()
        };
        // The body carries the whole synapse with the terminal infos filled, as the SDK sends it.
        if let Ok(Value::Object(base_json)) = serde_json::to_value(&base) {
            for (k, v) in base_json {
                body.insert(k, v);
            }
        }
        let sent = base.dendrite.clone();
        let body_bytes = match serde_json::to_vec(&body) {
            Ok(b) => b,
            Err(e) => return (Err(format!("cannot encode the synapse: {e}")), sent),
        };
        let uri = format!("http://{}/{name}", target.addr);
        let mut builder = Request::builder().method(Method::POST).uri(&uri);
        for (k, v) in base.to_headers(&hash) {
            builder = builder.header(k, v);
        }
        let request = builder
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(Full::new(Bytes::from(body_bytes)))
            .map_err(|e| format!("cannot build the request to {uri}: {e}"));
        (request, sent)
    }

    /// Sends the streaming synapse `synapse` to `target` and returns as soon as the axon
    /// answers: the status, and on success the chunks as the axon sends them (the SDK's
    /// `call_stream`). `timeout` bounds the whole call, stream included: a stream still going
    /// at the deadline ends with an `Err` item.
    pub async fn call_stream<S: Synapse + Clone>(
        &self,
        target: &AxonTarget,
        mut synapse: S,
        timeout: Duration,
    ) -> StreamResponse<S> {
        let body = request_body(&mut synapse);
        let raw =
            self.call_stream_json(target, S::NAME, body, S::REQUIRED_HASH_FIELDS, timeout).await;
        record_outcome(
            synapse.base_mut(),
            raw.sent_dendrite,
            raw.status_code,
            &raw.status_message,
            raw.process_time,
            raw.elapsed,
        );
        StreamResponse {
            status_code: raw.status_code,
            status_message: raw.status_message,
            process_time: raw.process_time,
            synapse,
            chunks: raw.chunks,
        }
    }

    /// As [`Dendrite::call_stream`], for a synapse given as a JSON object under route `name`
    /// (see [`Dendrite::call_json`]).
    pub async fn call_stream_json<F: AsRef<str>>(
        &self,
        target: &AxonTarget,
        name: &str,
        body: Map<String, Value>,
        hash_fields: &[F],
        timeout: Duration,
    ) -> RawStream {
        let start = Instant::now();
        let deadline = tokio::time::Instant::now() + timeout;
        // The uuid stays this call's until the axon has answered (and so verified the nonce).
        let lane = self.lane();
        let (request, sent) =
            self.signed_request(&lane.uuid, target, name, body, hash_fields, timeout);
        let done =
            |status_code: u16, status_message: String, process_time: Option<f64>| RawStream {
                status_code,
                status_message,
                process_time,
                elapsed: start.elapsed(),
                sent_dendrite: Some(sent.clone()),
                chunks: Box::pin(futures::stream::empty()),
            };
        let request = match request {
            Ok(r) => r,
            Err(e) => return done(400, e, None),
        };
        let response = match tokio::time::timeout_at(deadline, self.client.request(request)).await {
            Err(_) => {
                let msg = format!("Request timeout after {} seconds", timeout.as_secs_f64());
                return done(408, msg, None);
            }
            Ok(Err(e)) => {
                return done(503, format!("Service at {} unavailable: {e}", target.addr), None);
            }
            Ok(Ok(response)) => response,
        };
        drop(lane);
        let status = response.status().as_u16();
        let process_time = axon_process_time(response.headers());
        if status != 200 {
            let bytes = tokio::time::timeout_at(
                deadline,
                Limited::new(response.into_body(), MAX_RESPONSE_BYTES).collect(),
            )
            .await;
            let message = bytes
                .ok()
                .and_then(Result::ok)
                .and_then(|b| serde_json::from_slice::<Value>(&b.to_bytes()).ok())
                .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_default();
            return done(status, message, process_time);
        }
        let mut reply = done(200, "Success".to_owned(), process_time);
        let timeout_s = timeout.as_secs_f64();
        let body = response.into_body();
        reply.chunks = Box::pin(futures::stream::unfold(
            (body, false),
            move |(mut body, finished)| async move {
                if finished {
                    return None;
                }
                loop {
                    match tokio::time::timeout_at(deadline, body.frame()).await {
                        Err(_) => {
                            let e = format!("Request timeout after {timeout_s} seconds");
                            return Some((Err(e), (body, true)));
                        }
                        Ok(None) => return None,
                        Ok(Some(Err(e))) => {
                            return Some((Err(format!("reading the stream: {e}")), (body, true)));
                        }
                        Ok(Some(Ok(frame))) => {
                            if let Ok(data) = frame.into_data() {
                                return Some((Ok(data), (body, false)));
                            }
                        }
                    }
                }
            },
        ));
        reply
    }
}

/// Chunks of a streamed reply, in order; an `Err` item (the total timeout passed, or the
/// connection broke) is the last one.
pub type Chunks = std::pin::Pin<Box<dyn futures::Stream<Item = Result<Bytes, String>> + Send>>;

/// The outcome of [`Dendrite::call_stream_json`].
pub struct RawStream {
    /// As [`Response::status_code`]; 200 once the axon started streaming.
    pub status_code: u16,
    /// As [`Response::status_message`].
    pub status_message: String,
    /// As [`Response::process_time`] (the axon's time up to the start of the stream).
    pub process_time: Option<f64>,
    /// Time until the axon answered (the stream may go on after).
    pub elapsed: Duration,
    /// The dendrite terminal info that was signed and sent.
    pub sent_dendrite: Option<TerminalInfo>,
    /// The chunks; empty unless the status is 200.
    pub chunks: Chunks,
}

impl std::fmt::Debug for RawStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawStream")
            .field("status_code", &self.status_code)
            .field("status_message", &self.status_message)
            .field("process_time", &self.process_time)
            .finish_non_exhaustive()
    }
}

/// The answer to [`Dendrite::call_stream`]: the status as for [`Response`], and the chunks.
pub struct StreamResponse<S> {
    /// As [`Response::status_code`]; 200 once the axon started streaming.
    pub status_code: u16,
    /// As [`Response::status_message`].
    pub status_message: String,
    /// As [`Response::process_time`] (the axon's time up to the start of the stream).
    pub process_time: Option<f64>,
    /// The request as sent, with the terminal infos' status filled.
    pub synapse: S,
    /// The chunks as the axon sent them (see [`Chunks`]); empty unless the status is 200.
    pub chunks: Chunks,
}

impl<S: std::fmt::Debug> std::fmt::Debug for StreamResponse<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamResponse")
            .field("status_code", &self.status_code)
            .field("status_message", &self.status_message)
            .field("process_time", &self.process_time)
            .field("synapse", &self.synapse)
            .finish_non_exhaustive()
    }
}

/// The JSON object sent for `synapse`, named after its type.
fn request_body<S: Synapse>(synapse: &mut S) -> Map<String, Value> {
    synapse.base_mut().name = S::NAME.to_owned();
    match serde_json::to_value(&*synapse) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// Records a call's outcome in the synapse's terminal infos, as the SDK does: the dendrite
/// info that was sent, the status on both sides, the axon's and this side's process times.
fn record_outcome(
    base: &mut SynapseBase,
    sent: Option<TerminalInfo>,
    status_code: u16,
    status_message: &str,
    axon_time: Option<f64>,
    elapsed: Duration,
) {
    if let Some(sent) = sent {
        base.dendrite = sent;
    }
    base.axon.status_code = Some(i64::from(status_code));
    base.axon.status_message = Some(status_message.to_owned());
    if axon_time.is_some() {
        base.axon.process_time = axon_time;
    }
    base.dendrite.status_code = Some(i64::from(status_code));
    base.dendrite.status_message = Some(status_message.to_owned());
    base.dendrite.process_time = Some(elapsed.as_secs_f64());
}

/// The axon's `bt_header_axon_process_time`, when it sends a number.
fn axon_process_time(headers: &http::HeaderMap) -> Option<f64> {
    headers.get("bt_header_axon_process_time").and_then(|v| v.to_str().ok()?.trim().parse().ok())
}

/// A uuid held by one call in flight.
struct Lane<'a> {
    dendrite: &'a Dendrite,
    uuid: String,
}

impl Drop for Lane<'_> {
    fn drop(&mut self) {
        let uuid = std::mem::take(&mut self.uuid);
        self.dendrite.free_uuids.lock().unwrap_or_else(|e| e.into_inner()).push(uuid);
    }
}

/// The outcome of [`Dendrite::call_json`].
#[derive(Clone, Debug)]
pub struct RawResponse {
    /// As [`Response::status_code`].
    pub status_code: u16,
    /// As [`Response::status_message`].
    pub status_message: String,
    /// As [`Response::process_time`].
    pub process_time: Option<f64>,
    /// As [`Response::elapsed`].
    pub elapsed: Duration,
    /// The reply's JSON on status 200.
    pub body: Option<Value>,
    /// The dendrite terminal info that was signed and sent.
    pub sent_dendrite: Option<TerminalInfo>,
}

/// Runs futures concurrently on the current task and returns their outputs in order.
async fn join_all<F: std::future::Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    use std::pin::Pin;
    use std::task::{Context, Poll};

    struct JoinAll<F: std::future::Future> {
        futures: Vec<Pin<Box<F>>>,
        outputs: Vec<Option<F::Output>>,
    }
    // The futures are boxed and outputs are never pinned, so moving the struct is fine.
    impl<F: std::future::Future> Unpin for JoinAll<F> {}
    impl<F: std::future::Future> std::future::Future for JoinAll<F> {
        type Output = Vec<F::Output>;
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let this = self.get_mut();
            let mut pending = false;
            for (fut, out) in this.futures.iter_mut().zip(this.outputs.iter_mut()) {
                if out.is_none() {
                    match fut.as_mut().poll(cx) {
                        Poll::Ready(v) => *out = Some(v),
                        Poll::Pending => pending = true,
                    }
                }
            }
            if pending {
                return Poll::Pending;
            }
            Poll::Ready(this.outputs.iter_mut().filter_map(Option::take).collect())
        }
    }
    let futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let outputs = futures.iter().map(|_| None).collect();
    JoinAll { futures, outputs }.await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_new_uuid_is_version_4_shaped() {
        let u = new_uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(u.as_bytes()[14], b'4');
        assert_ne!(u, new_uuid());
    }

    #[test]
    fn test_lanes_are_distinct_while_held_and_reused_after() {
        let d = Dendrite::new(Pair::from_seed(&[1; 32]));
        let a = d.lane();
        assert_eq!(a.uuid, d.uuid(), "one call at a time uses the primary uuid");
        let b = d.lane();
        assert_ne!(a.uuid, b.uuid);
        let b_uuid = b.uuid.clone();
        drop(b);
        assert_eq!(d.lane().uuid, b_uuid);
    }

    #[test]
    fn test_nonces_strictly_increase() {
        let d = Dendrite::new(Pair::from_seed(&[1; 32]));
        let a = d.next_nonce();
        let b = d.next_nonce();
        assert!(b > a);
    }
}
