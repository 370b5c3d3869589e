//! The axon: an HTTP/1.1 server that answers synapses, wire-compatible with the Python SDK's
//! `bittensor.Axon` (reference/sdk.md §1.7–1.9).
//!
//! Each attached synapse type `S` is served at `POST /<S::NAME>` (GET is routed too, as the SDK
//! does); `/Synapse` answers a bare [`SynapseBase`] as the SDK's built-in ping. A request goes
//! through, in order:
//!
//! 1. routing: unknown name -> 404 `Synapse name 'X' not found. Available synapses [...]`;
//! 2. headers -> [`SynapseBase`]: unparseable -> 400 `Improperly formatted request...`;
//!    a `Content-Length` over [`AxonConfig::max_body_bytes`] -> 413;
//! 3. per-IP in-flight limit -> 503;
//! 4. the blacklist hook, on the unverified headers as in the SDK -> 403
//!    `Forbidden. Key is blacklisted: <reason>.`;
//! 5. verification (nonce window and monotonicity per (hotkey, uuid), sr25519 signature over
//!    `nonce.dendrite.axon.uuid.body_hash` with this axon's own hotkey; the signatures of
//!    concurrent requests are checked as one batch) -> 401 `Not Verified with error: <reason>`;
//! 6. per-hotkey in-flight limit -> 503;
//! 7. the priority hook; an error -> 503 (its value does not reorder requests, as in the SDK);
//! 8. the body, read within the synapse timeout and the size limit -> 408 / 413; invalid JSON
//!    -> 500 (as the SDK), JSON of the wrong shape -> 422; body hash mismatch -> 500 (as the SDK);
//! 9. the forward function, within the synapse timeout -> 408 `Response timeout after: <t>s`;
//!    an error -> 500 `Internal Server Error #<id>`; else 200 with the whole synapse as compact
//!    JSON, `axon.status_code = 200`, `status_message = "Success"`, `process_time` in seconds,
//!    and the SDK's `bt_header_*` response headers.
//!
//! Errors are `{"message": ...}` with the status in the status line and in
//! `bt_header_axon_status_code`. Nothing a peer sends can panic the axon.
//!
//! # Deviations from the Python SDK
//!
//! * The synapse timeout is enforced (body read and forward); the SDK never cancels a forward.
//! * Oversized bodies get 413 and over-limit peers 503; the SDK has neither limit.
//! * The first-nonce time window applies to every dendrite version, and the timeout inside it is
//!   capped at [`AxonConfig::max_timeout`]; the nonce table is pruned of expired entries.
//! * A streaming forward is cut off at the synapse timeout (the stream ends there).
//!
//! # Streaming synapses
//!
//! [`Axon::attach_streaming`] serves a synapse whose forward returns a stream of byte chunks
//! instead of the filled synapse, as the SDK's `StreamingSynapse.create_streaming_response`:
//! the pipeline above runs the same way, then the reply is `200` with `content-type:
//! text/event-stream`, the `bt_header_*` headers of the request synapse (status 200, `Success`)
//! sent before the body, and the chunks as the forward yields them (HTTP/1.1 chunked, no
//! framing added), ending with the stream.
//!
//! # Examples
//!
//! ```no_run
//! use rustensor_primitives::crypto::sr25519::Pair;
//! use rustensor_sdk::axon::{Axon, AxonConfig};
//! use rustensor_sdk::synapse::Echo;
//!
//! # async fn run() -> std::io::Result<()> {
//! let hotkey = Pair::from_uri("//Bob", None).expect("dev key");
//! let axon = Axon::new(hotkey, AxonConfig::default()).attach(|mut e: Echo| async move {
//!     e.out = Some(e.text.clone());
//!     Ok(e)
//! });
//! let handle = axon.serve("127.0.0.1:0".parse().expect("address")).await?;
//! println!("serving on {}", handle.local_addr());
//! # Ok(()) }
//! ```

mod limits;
mod verify;

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use rustensor_primitives::crypto::sr25519::Pair;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::synapse::{HEADER_KEYS, Synapse, SynapseBase, VERSION_AS_INT};
use limits::{Limiter, Slot};
pub use verify::NONCE_BASE_WINDOW;
pub(crate) use verify::now_ns;
use verify::{BatchVerifier, KeyCache, NonceStore, verify_request};

/// Limits and timeouts of an axon.
#[derive(Clone, Debug)]
pub struct AxonConfig {
    /// Largest request body accepted, in bytes (413 above it).
    pub max_body_bytes: usize,
    /// Upper bound on the synapse timeout a caller may ask for (body read, forward, nonce window).
    pub max_timeout: Duration,
    /// Time a connection has to send a request's headers before it is closed.
    pub header_read_timeout: Duration,
    /// Requests one peer IP may have in flight (503 above it).
    pub max_in_flight_per_ip: usize,
    /// Requests one caller hotkey may have in flight (503 above it).
    pub max_in_flight_per_hotkey: usize,
    /// Nonce-table size above which expired entries are pruned.
    pub nonce_table_prune_at: usize,
}

impl Default for AxonConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 8 << 20,
            max_timeout: Duration::from_secs(120),
            header_read_timeout: Duration::from_secs(10),
            max_in_flight_per_ip: 256,
            max_in_flight_per_hotkey: 128,
            nonce_table_prune_at: 100_000,
        }
    }
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A blacklist hook: `Err(reason)` refuses the request with 403.
pub type BlacklistFn = Arc<dyn Fn(&SynapseBase) -> Result<(), String> + Send + Sync>;
/// A priority hook: the request's priority, or an error that refuses it with 503.
pub type PriorityFn = Arc<dyn Fn(&SynapseBase) -> Result<f64, String> + Send + Sync>;

/// The blacklist and priority hooks of one route; both see the unverified header fields, as in
/// the SDK.
#[derive(Clone, Default)]
pub struct Hooks {
    blacklist: Option<BlacklistFn>,
    priority: Option<PriorityFn>,
}

impl Hooks {
    /// No hooks: everyone is served.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the blacklist hook.
    pub fn blacklist(
        mut self,
        f: impl Fn(&SynapseBase) -> Result<(), String> + Send + Sync + 'static,
    ) -> Self {
        self.blacklist = Some(Arc::new(f));
        self
    }

    /// Sets the priority hook.
    pub fn priority(
        mut self,
        f: impl Fn(&SynapseBase) -> Result<f64, String> + Send + Sync + 'static,
    ) -> Self {
        self.priority = Some(Arc::new(f));
        self
    }
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks")
            .field("blacklist", &self.blacklist.is_some())
            .field("priority", &self.priority.is_some())
            .finish()
    }
}

/// The chunks a streaming forward yields, sent to the caller as they come.
pub type ChunkStream = Pin<Box<dyn futures::Stream<Item = Bytes> + Send>>;

/// The outcome of a request, before it becomes an HTTP response.
struct Reply {
    status: StatusCode,
    /// The `bt_header_*` headers and their kin, with the content type.
    headers: HeaderMap,
    body: Bytes,
    /// A streaming forward's chunks (the body is then unused).
    stream: Option<ChunkStream>,
}

/// [`HEADER_KEYS`] as header names.
static HEADER_NAMES: LazyLock<[HeaderName; 25]> =
    LazyLock::new(|| HEADER_KEYS.map(HeaderName::from_static));

/// A reply's headers: `content_type`, then what [`SynapseBase::to_headers`] gives for `base`
/// with `body_hash`. The values are copied into `buf` and shared from it, so all of them cost
/// one allocation.
fn reply_headers(
    base: &SynapseBase,
    body_hash: &str,
    content_type: &'static str,
    buf: &mut BytesMut,
) -> HeaderMap {
    let mut headers = HeaderMap::with_capacity(32);
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    base.visit_headers(body_hash, |i, value| {
        buf.extend_from_slice(value.as_bytes());
        // A value with control characters (e.g. from a hostile header echoed back) is dropped.
        if let Ok(value) = HeaderValue::from_maybe_shared(buf.split().freeze()) {
            headers.insert(HEADER_NAMES[i].clone(), value);
        }
    });
    headers
}

/// Room for a typical reply's JSON body.
const REPLY_BUFFER: usize = 2048;

/// Room for a typical reply's header values (about 700 bytes for a signed `Echo`).
const HEADER_BUFFER: usize = 1024;

/// A response body: a whole JSON document, or a streaming forward's chunks.
type AxonBody = http_body_util::Either<
    Full<Bytes>,
    http_body_util::StreamBody<
        Pin<Box<dyn futures::Stream<Item = Result<hyper::body::Frame<Bytes>, Infallible>> + Send>>,
    >,
>;

trait Route: Send + Sync {
    fn hooks(&self) -> &Hooks;
    fn call(
        &self,
        base: SynapseBase,
        body: Bytes,
        start: Instant,
        deadline: tokio::time::Instant,
    ) -> BoxFuture<'_, Reply>;
}

/// What a forward function answers with, and how it becomes the reply: the filled synapse
/// (sent as JSON), or a [`ChunkStream`] (streamed).
trait Answer<S>: Send + 'static {
    /// The success reply. `request` is the request synapse's base with this axon's terminal
    /// info, `request_hash` its body hash.
    fn into_reply(
        self,
        request: &mut SynapseBase,
        request_hash: &str,
        start: Instant,
        deadline: tokio::time::Instant,
    ) -> Reply;
}

/// Sets the success status on a synapse base, as the SDK does before answering.
fn succeed(base: &mut SynapseBase, name: &str, start: Instant) {
    base.name = name.to_owned();
    base.axon.status_code = Some(200);
    base.axon.status_message = Some("Success".to_owned());
    base.axon.process_time = Some(start.elapsed().as_secs_f64());
}

impl<S: Synapse> Answer<S> for S {
    fn into_reply(
        mut self,
        request: &mut SynapseBase,
        _request_hash: &str,
        start: Instant,
        _deadline: tokio::time::Instant,
    ) -> Reply {
        succeed(self.base_mut(), S::NAME, start);
        let hash = self.body_hash();
        match json_reply(StatusCode::OK, &self, self.base(), &hash) {
            Ok(reply) => reply,
            Err(_) => {
                let msg = format!("Internal Server Error #{}", error_id());
                error_reply(request, StatusCode::INTERNAL_SERVER_ERROR, msg, start)
            }
        }
    }
}

impl<S: Synapse> Answer<S> for ChunkStream {
    fn into_reply(
        self,
        request: &mut SynapseBase,
        request_hash: &str,
        start: Instant,
        deadline: tokio::time::Instant,
    ) -> Reply {
        // Status and headers go out before the body, as the SDK's streaming response sends
        // them; the stream ends at the synapse timeout at the latest.
        succeed(request, S::NAME, start);
        let cut = futures::StreamExt::take_until(self, tokio::time::sleep_until(deadline));
        let mut buf = BytesMut::with_capacity(REPLY_BUFFER);
        Reply {
            status: StatusCode::OK,
            headers: reply_headers(request, request_hash, EVENT_STREAM, &mut buf),
            body: Bytes::new(),
            stream: Some(Box::pin(cut)),
        }
    }
}

/// A synapse type's forward function and hooks; `A` is what the forward answers with.
struct TypedRoute<S, F, A> {
    forward: F,
    hooks: Hooks,
    _types: std::marker::PhantomData<fn() -> (S, A)>,
}

impl<S, F, Fut, A> Route for TypedRoute<S, F, A>
where
    S: Synapse,
    A: Answer<S>,
    F: Fn(S) -> Fut + Send + Sync,
    Fut: Future<Output = Result<A, String>> + Send + 'static,
{
    fn hooks(&self) -> &Hooks {
        &self.hooks
    }

    fn call(
        &self,
        mut base: SynapseBase,
        body: Bytes,
        start: Instant,
        deadline: tokio::time::Instant,
    ) -> BoxFuture<'_, Reply> {
        Box::pin(async move {
            let (mut synapse, hash): (S, String) = match parse_synapse(&mut base, &body, start) {
                Ok(parsed) => parsed,
                Err(reply) => return *reply,
            };
            // The forward function sees the caller as verified from the headers, as a Python
            // forward sees `synapse.dendrite`, whatever the body claimed.
            synapse.base_mut().dendrite = base.dendrite.clone();
            match tokio::time::timeout_at(deadline, (self.forward)(synapse)).await {
                Ok(Ok(answer)) => answer.into_reply(&mut base, &hash, start, deadline),
                Ok(Err(_)) => {
                    let msg = format!("Internal Server Error #{}", error_id());
                    error_reply(&mut base, StatusCode::INTERNAL_SERVER_ERROR, msg, start)
                }
                Err(_) => {
                    let msg = format!("Response timeout after: {}s", base.timeout);
                    error_reply(&mut base, StatusCode::REQUEST_TIMEOUT, msg, start)
                }
            }
        })
    }
}

/// Parses the body as synapse `S` and checks its body hash against the signed header one;
/// gives the synapse and its body hash, or the reply to send.
fn parse_synapse<S: Synapse>(
    base: &mut SynapseBase,
    body: &[u8],
    start: Instant,
) -> Result<(S, String), Box<Reply>> {
    let synapse: S = match crate::synapse::parse_synapse(body) {
        Ok(s) => s,
        Err(e) if e.classify() == serde_json::error::Category::Data => {
            let msg = format!("Unprocessable body for synapse {}: {e}", S::NAME);
            return Err(Box::new(error_reply(base, StatusCode::UNPROCESSABLE_ENTITY, msg, start)));
        }
        Err(e) => {
            let msg = format!("Internal Server Error #{}: invalid JSON body: {e}", error_id());
            return Err(Box::new(error_reply(base, StatusCode::INTERNAL_SERVER_ERROR, msg, start)));
        }
    };
    let parsed_hash = synapse.body_hash();
    if parsed_hash != base.computed_body_hash {
        let msg = format!(
            "Hash mismatch between header body hash {} and parsed body hash {parsed_hash}",
            base.computed_body_hash
        );
        return Err(Box::new(error_reply(base, StatusCode::INTERNAL_SERVER_ERROR, msg, start)));
    }
    Ok((synapse, parsed_hash))
}

/// A random id for an internal error, shown to the caller as the SDK does.
fn error_id() -> String {
    crate::dendrite::new_uuid()
}

fn error_reply(
    base: &mut SynapseBase,
    status: StatusCode,
    message: String,
    start: Instant,
) -> Reply {
    base.axon.status_code = Some(i64::from(status.as_u16()));
    base.axon.status_message = Some(message.clone());
    base.axon.process_time = Some(start.elapsed().as_secs_f64());
    /// An error reply's body.
    #[derive(serde::Serialize)]
    struct ErrorBody<'a> {
        message: &'a str,
    }
    let body = ErrorBody { message: &message };
    json_reply(status, &body, base, &base.computed_body_hash).unwrap_or_else(|_| Reply {
        status,
        headers: reply_headers(base, &base.computed_body_hash, JSON, &mut BytesMut::new()),
        body: Bytes::from_static(b"{}"),
        stream: None,
    })
}

/// A reply of `status` with `body` as JSON and the headers of `base` with `body_hash`.
fn json_reply(
    status: StatusCode,
    body: &impl serde::Serialize,
    base: &SynapseBase,
    body_hash: &str,
) -> serde_json::Result<Reply> {
    // serde_json writes many small pieces, which a `Vec` takes faster than a `BytesMut` writer,
    // and `Bytes` takes the `Vec` over without a copy.
    let mut json = Vec::with_capacity(REPLY_BUFFER);
    serde_json::to_writer(&mut json, body)?;
    let body = Bytes::from(json);
    let headers = reply_headers(base, body_hash, JSON, &mut BytesMut::with_capacity(HEADER_BUFFER));
    Ok(Reply { status, headers, body, stream: None })
}

/// An axon under construction: a hotkey, limits, and the synapse types it serves.
pub struct Axon {
    hotkey: Pair,
    config: AxonConfig,
    routes: BTreeMap<&'static str, Arc<dyn Route>>,
}

impl std::fmt::Debug for Axon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<_> = self.routes.keys().collect();
        f.debug_struct("Axon")
            .field("hotkey", &self.hotkey.account_id().to_ss58())
            .field("config", &self.config)
            .field("routes", &names)
            .finish()
    }
}

impl Axon {
    /// An axon signing as `hotkey`, serving only the built-in `/Synapse` ping so far.
    pub fn new(hotkey: Pair, config: AxonConfig) -> Self {
        let mut axon = Self { hotkey, config, routes: BTreeMap::new() };
        axon = axon.attach(|s: SynapseBase| async move { Ok(s) });
        axon
    }

    /// Serves synapse type `S` with `forward` and no hooks (replaces an earlier route of `S`).
    pub fn attach<S, F, Fut>(self, forward: F) -> Self
    where
        S: Synapse,
        F: Fn(S) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<S, String>> + Send + 'static,
    {
        self.attach_with(forward, Hooks::new())
    }

    /// Serves synapse type `S` with `forward` and the given blacklist/priority hooks.
    ///
    /// `forward` returning `Err` answers 500 `Internal Server Error #<id>`, as the SDK does for
    /// an exception.
    pub fn attach_with<S, F, Fut>(self, forward: F, hooks: Hooks) -> Self
    where
        S: Synapse,
        F: Fn(S) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<S, String>> + Send + 'static,
    {
        self.route::<S, F, Fut, S>(forward, hooks)
    }

    /// Serves the streaming synapse type `S` with `forward`, which answers with a stream of
    /// byte chunks sent to the caller as they come (see the module docs), and no hooks.
    pub fn attach_streaming<S, F, Fut>(self, forward: F) -> Self
    where
        S: Synapse,
        F: Fn(S) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<ChunkStream, String>> + Send + 'static,
    {
        self.attach_streaming_with(forward, Hooks::new())
    }

    /// As [`Axon::attach_streaming`], with blacklist/priority hooks.
    pub fn attach_streaming_with<S, F, Fut>(self, forward: F, hooks: Hooks) -> Self
    where
        S: Synapse,
        F: Fn(S) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<ChunkStream, String>> + Send + 'static,
    {
        self.route::<S, F, Fut, ChunkStream>(forward, hooks)
    }

    /// Serves `S` at `/<S::NAME>` with `forward` answering `A` (replaces an earlier route).
    fn route<S, F, Fut, A>(mut self, forward: F, hooks: Hooks) -> Self
    where
        S: Synapse,
        A: Answer<S>,
        F: Fn(S) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<A, String>> + Send + 'static,
    {
        let route = TypedRoute::<S, F, A> { forward, hooks, _types: std::marker::PhantomData };
        self.routes.insert(S::NAME, Arc::new(route));
        self
    }

    /// Binds `addr` and serves in the background until the handle is stopped or dropped.
    ///
    /// # Errors
    ///
    /// The I/O error of binding `addr`.
    pub async fn serve(self, addr: SocketAddr) -> std::io::Result<AxonHandle> {
        let listener = TcpListener::bind(addr).await?;
        self.serve_listener(listener)
    }

    /// Serves on an already bound listener, in the background.
    ///
    /// # Errors
    ///
    /// The I/O error of reading the listener's address.
    pub fn serve_listener(self, listener: TcpListener) -> std::io::Result<AxonHandle> {
        let local_addr = listener.local_addr()?;
        let hotkey_ss58 = self.hotkey.account_id().to_ss58();
        let names: Vec<&'static str> = self.routes.keys().copied().collect();
        let inner = Arc::new(Inner {
            nonces: NonceStore::new(self.config.nonce_table_prune_at, self.config.max_timeout),
            keys: KeyCache::new(KEY_CACHE_CAPACITY),
            signatures: BatchVerifier::default(),
            per_ip: Limiter::new(self.config.max_in_flight_per_ip),
            per_hotkey: Limiter::new(self.config.max_in_flight_per_hotkey),
            uuid: crate::dendrite::new_uuid(),
            hotkey_ss58: hotkey_ss58.clone(),
            config: self.config,
            routes: self.routes,
            route_names: names,
        });
        let task = tokio::spawn(accept_loop(listener, inner));
        Ok(AxonHandle { local_addr, hotkey_ss58, task })
    }
}

/// A running axon. Dropping it stops accepting connections.
#[derive(Debug)]
pub struct AxonHandle {
    local_addr: SocketAddr,
    hotkey_ss58: String,
    task: JoinHandle<()>,
}

impl AxonHandle {
    /// The address the axon listens on (with the real port when bound to port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The axon's hotkey as SS58: what callers must sign for.
    pub fn hotkey(&self) -> &str {
        &self.hotkey_ss58
    }

    /// Stops accepting connections; requests already being served finish.
    pub fn stop(&self) {
        self.task.abort();
    }
}

impl Drop for AxonHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Decoded caller keys the axon keeps (a few hundred validators at most on a real subnet).
const KEY_CACHE_CAPACITY: usize = 4096;

struct Inner {
    config: AxonConfig,
    routes: BTreeMap<&'static str, Arc<dyn Route>>,
    route_names: Vec<&'static str>,
    nonces: NonceStore,
    keys: KeyCache,
    signatures: BatchVerifier,
    per_ip: Arc<Limiter<IpAddr>>,
    per_hotkey: Arc<Limiter<String>>,
    uuid: String,
    hotkey_ss58: String,
}

async fn accept_loop(listener: TcpListener, inner: Arc<Inner>) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(conn) => conn,
            // Out of file descriptors and the like: back off instead of spinning.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let inner = Arc::clone(&inner);
        let header_timeout = inner.config.header_read_timeout;
        let peer = Arc::new(Peer { addr: peer, ip: peer.ip().to_string() });
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let (inner, peer) = (Arc::clone(&inner), Arc::clone(&peer));
                async move { Ok::<_, Infallible>(handle(&inner, &peer, req).await) }
            });
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The content type of a JSON reply.
const JSON: &str = "application/json";
/// The content type of a streaming reply.
const EVENT_STREAM: &str = "text/event-stream";

/// The other end of a connection.
struct Peer {
    addr: SocketAddr,
    /// `addr`'s IP as text, rendered once per connection.
    ip: String,
}

async fn handle(inner: &Inner, peer: &Peer, req: Request<Incoming>) -> Response<AxonBody> {
    let reply = pipeline(inner, peer, req).await;
    let body = match reply.stream {
        None => http_body_util::Either::Left(Full::new(reply.body)),
        Some(chunks) => {
            let frames = futures::StreamExt::map(chunks, |chunk| {
                Ok::<_, Infallible>(hyper::body::Frame::data(chunk))
            });
            let frames: Pin<Box<dyn futures::Stream<Item = _> + Send>> = Box::pin(frames);
            http_body_util::Either::Right(http_body_util::StreamBody::new(frames))
        }
    };
    let mut response = Response::new(body);
    *response.status_mut() = reply.status;
    *response.headers_mut() = reply.headers;
    response
}

async fn pipeline(inner: &Inner, peer: &Peer, req: Request<Incoming>) -> Reply {
    let start = Instant::now();
    let name = req.uri().path().split('/').nth(1).unwrap_or("");
    let Some(route) = inner.routes.get(name).map(Arc::clone) else {
        let mut base = SynapseBase::named(name);
        let list: Vec<String> = inner.route_names.iter().map(|n| format!("'{n}'")).collect();
        let msg =
            format!("Synapse name '{name}' not found. Available synapses [{}]", list.join(", "));
        return error_reply(&mut base, StatusCode::NOT_FOUND, msg, start);
    };

    let mut pairs = Vec::with_capacity(req.headers().len());
    for (k, v) in req.headers() {
        match v.to_str() {
            Ok(v) => pairs.push((k.as_str(), v)),
            Err(_) => {
                let mut base = SynapseBase::named(name);
                let msg = format!(
                    "Improperly formatted request. Could not parse headers into synapse of type {name}: header {k} is not visible ASCII"
                );
                return error_reply(&mut base, StatusCode::BAD_REQUEST, msg, start);
            }
        }
    }
    let mut base = match SynapseBase::from_headers(pairs) {
        Ok(base) => base,
        Err(e) => {
            let mut base = SynapseBase::named(name);
            let msg = format!(
                "Improperly formatted request. Could not parse headers into synapse of type {name}: {e}"
            );
            return error_reply(&mut base, StatusCode::BAD_REQUEST, msg, start);
        }
    };
    name.clone_into(&mut base.name);
    base.axon.version = Some(VERSION_AS_INT);
    base.axon.uuid = Some(inner.uuid.clone());
    base.axon.nonce = Some(now_ns());
    base.dendrite.ip = Some(peer.ip.clone());
    base.dendrite.port = Some(i64::from(peer.addr.port()));

    let max_body = inner.config.max_body_bytes;
    let declared =
        req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max_body as u64) {
        let msg = format!(
            "Request body of {} bytes exceeds the limit of {max_body} bytes",
            declared.unwrap_or(0)
        );
        return error_reply(&mut base, StatusCode::PAYLOAD_TOO_LARGE, msg, start);
    }

    let Some(_ip_slot) = inner.per_ip.try_acquire(peer.addr.ip()) else {
        let msg = format!("Service unavailable: too many requests in flight from {}", peer.ip);
        return error_reply(&mut base, StatusCode::SERVICE_UNAVAILABLE, msg, start);
    };

    let hooks = route.hooks();
    if let Some(blacklist) = &hooks.blacklist
        && let Err(reason) = blacklist(&base)
    {
        let msg = format!("Forbidden. Key is blacklisted: {reason}.");
        return error_reply(&mut base, StatusCode::FORBIDDEN, msg, start);
    }

    if let Err(reason) =
        verify_request(&inner.nonces, &inner.keys, &inner.signatures, &inner.hotkey_ss58, &base)
            .await
    {
        let msg = format!("Not Verified with error: {}", reason.reason());
        return error_reply(&mut base, StatusCode::UNAUTHORIZED, msg, start);
    }

    let hotkey = base.dendrite.hotkey.clone().unwrap_or_default();
    let _hotkey_slot: Slot<String> = match inner.per_hotkey.try_acquire(hotkey) {
        Some(slot) => slot,
        None => {
            let msg = "Service unavailable: too many requests in flight for this hotkey".to_owned();
            return error_reply(&mut base, StatusCode::SERVICE_UNAVAILABLE, msg, start);
        }
    };

    if let Some(priority) = &hooks.priority
        && let Err(reason) = priority(&base)
    {
        let msg = format!("Service unavailable: priority hook failed: {reason}");
        return error_reply(&mut base, StatusCode::SERVICE_UNAVAILABLE, msg, start);
    }

    let timeout = Duration::try_from_secs_f64(base.timeout.max(0.0))
        .unwrap_or(inner.config.max_timeout)
        .min(inner.config.max_timeout);
    let deadline = tokio::time::Instant::from_std(start) + timeout;
    let body =
        match tokio::time::timeout_at(deadline, Limited::new(req.into_body(), max_body).collect())
            .await
        {
            Ok(Ok(collected)) => collected.to_bytes(),
            Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
                let msg = format!("Request body exceeds the limit of {max_body} bytes");
                return error_reply(&mut base, StatusCode::PAYLOAD_TOO_LARGE, msg, start);
            }
            Ok(Err(e)) => {
                let msg = format!("Improperly formatted request. Could not read the body: {e}");
                return error_reply(&mut base, StatusCode::BAD_REQUEST, msg, start);
            }
            Err(_) => {
                let msg = format!(
                    "Response timeout after: {}s (request body not received)",
                    base.timeout
                );
                return error_reply(&mut base, StatusCode::REQUEST_TIMEOUT, msg, start);
            }
        };
    route.call(base, body, start, deadline).await
}
