//! The JSON-RPC transport: WebSocket (with subscriptions and reconnection) or plain HTTP.
//!
//! A WebSocket connection that drops is rebuilt on the next request, and read-only requests
//! are retried once on the new connection; submissions are never retried blindly (a resent
//! extrinsic would be refused as a duplicate at best). Every request has a timeout, so a stuck
//! node gives [`ChainError::Timeout`] instead of a hang.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt as _, Full, Limited};
use jsonrpsee_core::client::{
    ClientT as _, Error as RpcError, Subscription, SubscriptionClientT as _,
};
use jsonrpsee_core::params::ArrayParams;
use jsonrpsee_ws_client::{WsClient, WsClientBuilder};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::RwLock;

use super::error::{ChainError, Result};

/// How a client connects and how long it waits.
#[derive(Clone, Debug)]
pub struct ConnectOptions {
    /// How long to wait for the connection to open.
    pub connect_timeout: Duration,
    /// How long to wait for the answer to one request.
    pub request_timeout: Duration,
    /// How often to try to re-open a dropped WebSocket before giving up on a request.
    pub reconnect_attempts: u32,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            reconnect_attempts: 3,
        }
    }
}

/// The largest HTTP answer accepted (metadata is ~75 KB; a full block a few MB).
const MAX_HTTP_RESPONSE: usize = 64 << 20;

type HttpClient = hyper_util::client::legacy::Client<
    hyper_util::client::legacy::connect::HttpConnector,
    Full<bytes::Bytes>,
>;

enum Inner {
    Ws(RwLock<Arc<WsClient>>),
    Http(Box<HttpClient>),
}

/// A JSON-RPC connection to one node.
pub(crate) struct Rpc {
    url: String,
    options: ConnectOptions,
    inner: Inner,
}

/// Whether a failed request may be sent again on a fresh connection.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// A read: safe to repeat.
    Idempotent,
    /// A write (a submission): never repeated.
    Once,
}

impl Rpc {
    /// Opens a connection to `url` (`ws://` or `http://`).
    pub(crate) async fn connect(url: &str, options: ConnectOptions) -> Result<Self> {
        if url.starts_with("wss://") || url.starts_with("https://") {
            return Err(ChainError::Connect {
                url: url.to_owned(),
                reason: "TLS is not built into this client; connect with ws:// or http:// \
                         (through a TLS-terminating proxy or an SSH tunnel for remote nodes)"
                    .into(),
            });
        }
        let inner = if url.starts_with("ws://") {
            Inner::Ws(RwLock::new(Arc::new(open_ws(url, &options).await?)))
        } else if url.starts_with("http://") {
            let client =
                hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                    .build_http();
            Inner::Http(Box::new(client))
        } else {
            return Err(ChainError::BadUrl { url: url.to_owned() });
        };
        let rpc = Self { url: url.to_owned(), options, inner };
        if matches!(rpc.inner, Inner::Http(_)) {
            // HTTP is connectionless: make one cheap call so a wrong URL fails here.
            let _: Value = rpc
                .request("system_chain", ArrayParams::new(), Retry::Idempotent)
                .await
                .map_err(|e| match e {
                    ChainError::Transport { reason, .. }
                    | ChainError::Timeout { method: reason, .. } => {
                        ChainError::Connect { url: url.to_owned(), reason }
                    }
                    other => other,
                })?;
        }
        Ok(rpc)
    }

    /// The endpoint.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Whether subscriptions are available.
    pub(crate) fn is_ws(&self) -> bool {
        matches!(self.inner, Inner::Ws(_))
    }

    /// Calls `method` and decodes its result.
    pub(crate) async fn request<R: DeserializeOwned>(
        &self,
        method: &str,
        params: ArrayParams,
        retry: Retry,
    ) -> Result<R> {
        match &self.inner {
            Inner::Ws(slot) => {
                let mut attempt = 0;
                loop {
                    let client = slot.read().await.clone();
                    match client.request::<R, _>(method, params.clone()).await {
                        Ok(value) => return Ok(value),
                        Err(RpcError::RestartNeeded(_))
                            if attempt < self.options.reconnect_attempts =>
                        {
                            attempt += 1;
                            self.reconnect(slot, &client).await?;
                            if retry == Retry::Once {
                                return Err(ChainError::Transport {
                                    method: method.to_owned(),
                                    reason: "the connection dropped; the transaction may or may not \
                                             have reached the node (check the account's nonce before resending)"
                                        .into(),
                                });
                            }
                        }
                        Err(e) => return Err(self.map_error(method, e)),
                    }
                }
            }
            Inner::Http(client) => self.http_request(client, method, params).await,
        }
    }

    /// Subscribes with `method`, unsubscribing with `unsubscribe` on drop.
    pub(crate) async fn subscribe(
        &self,
        method: &str,
        params: ArrayParams,
        unsubscribe: &str,
    ) -> Result<Subscription<Value>> {
        let Inner::Ws(slot) = &self.inner else {
            return Err(ChainError::NeedsWebSocket { what: "a subscription" });
        };
        let client = slot.read().await.clone();
        let result = client.subscribe::<Value, _>(method, params.clone(), unsubscribe).await;
        match result {
            Err(RpcError::RestartNeeded(_)) => {
                self.reconnect(slot, &client).await?;
                let client = slot.read().await.clone();
                client
                    .subscribe(method, params, unsubscribe)
                    .await
                    .map_err(|e| self.map_error(method, e))
            }
            other => other.map_err(|e| self.map_error(method, e)),
        }
    }

    async fn reconnect(&self, slot: &RwLock<Arc<WsClient>>, broken: &Arc<WsClient>) -> Result<()> {
        let mut guard = slot.write().await;
        // Another task may have reconnected already.
        if Arc::ptr_eq(&guard, broken) {
            tracing::warn!(url = %self.url, "connection to the node dropped; reconnecting");
            *guard = Arc::new(open_ws(&self.url, &self.options).await?);
        }
        Ok(())
    }

    fn map_error(&self, method: &str, error: RpcError) -> ChainError {
        match error {
            RpcError::Call(object) => {
                let mut message = object.message().to_owned();
                if let Some(data) = object.data() {
                    message = format!("{message}: {}", data.get().trim_matches('"'));
                }
                ChainError::Rpc { method: method.to_owned(), code: object.code(), message }
            }
            RpcError::RequestTimeout => ChainError::Timeout {
                method: method.to_owned(),
                seconds: self.options.request_timeout.as_secs(),
            },
            RpcError::ParseError(e) => ChainError::Decode {
                what: format!("the answer to {method}"),
                reason: e.to_string(),
            },
            other => ChainError::Transport { method: method.to_owned(), reason: other.to_string() },
        }
    }

    async fn http_request<R: DeserializeOwned>(
        &self,
        client: &HttpClient,
        method: &str,
        params: ArrayParams,
    ) -> Result<R> {
        use jsonrpsee_core::traits::ToRpcParams as _;
        let transport =
            |reason: String| ChainError::Transport { method: method.to_owned(), reason };
        let params = params.to_rpc_params().map_err(|e| transport(e.to_string()))?;
        let params: Value = match params {
            Some(raw) => serde_json::from_str(raw.get()).map_err(|e| transport(e.to_string()))?,
            None => Value::Array(Vec::new()),
        };
        let body =
            serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let request = http::Request::post(&self.url)
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(Full::new(bytes::Bytes::from(body.to_string())))
            .map_err(|e| transport(e.to_string()))?;
        let exchange = async {
            let response = client.request(request).await.map_err(|e| transport(e.to_string()))?;
            let status = response.status();
            let body = Limited::new(response.into_body(), MAX_HTTP_RESPONSE)
                .collect()
                .await
                .map_err(|e| transport(e.to_string()))?
                .to_bytes();
            Ok::<_, ChainError>((status, body))
        };
        let (status, body) = tokio::time::timeout(self.options.request_timeout, exchange)
            .await
            .map_err(|_| ChainError::Timeout {
            method: method.to_owned(),
            seconds: self.options.request_timeout.as_secs(),
        })??;
        let answer: Value = serde_json::from_slice(&body)
            .map_err(|e| transport(format!("HTTP {status}: not a JSON-RPC answer ({e})")))?;
        if let Some(error) = answer.get("error") {
            let code = error.get("code").and_then(Value::as_i64).unwrap_or(0);
            let mut message = error.get("message").and_then(Value::as_str).unwrap_or("").to_owned();
            if let Some(data) = error.get("data") {
                let data = data.as_str().map_or_else(|| data.to_string(), str::to_owned);
                message = format!("{message}: {data}");
            }
            return Err(ChainError::Rpc {
                method: method.to_owned(),
                code: i32::try_from(code).unwrap_or(i32::MIN),
                message,
            });
        }
        let result = answer.get("result").cloned().unwrap_or(Value::Null);
        serde_json::from_value(result).map_err(|e| ChainError::Decode {
            what: format!("the answer to {method}"),
            reason: e.to_string(),
        })
    }
}

async fn open_ws(url: &str, options: &ConnectOptions) -> Result<WsClient> {
    WsClientBuilder::default()
        .connection_timeout(options.connect_timeout)
        .request_timeout(options.request_timeout)
        .max_response_size(MAX_HTTP_RESPONSE as u32)
        .build(url)
        .await
        .map_err(|e| ChainError::Connect { url: url.to_owned(), reason: e.to_string() })
}
