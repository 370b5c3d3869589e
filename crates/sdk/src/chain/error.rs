//! What can go wrong talking to a chain, phrased so a user knows what to do next.

use rustensor_runtime_types::pallets::UnencodableCall;

use super::events::DispatchFailure;

/// An error from the chain client.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// The node could not be reached at all.
    #[error(
        "cannot connect to {url}: {reason}. Is a node running there? Start a local one with \
         `rustensor node --dev`, or point --network at another node"
    )]
    Connect {
        /// The endpoint.
        url: String,
        /// What the transport said.
        reason: String,
    },
    /// The URL is not a `ws://`, `wss://`, `http://` or `https://` URL.
    #[error("{url:?} is not a node URL: use ws://HOST:PORT (or http://, or `local`)")]
    BadUrl {
        /// What was given.
        url: String,
    },
    /// A request got no answer in time.
    #[error("the node did not answer {method} within {seconds} s; it may be overloaded or stuck")]
    Timeout {
        /// The JSON-RPC method.
        method: String,
        /// The timeout.
        seconds: u64,
    },
    /// The connection failed during a request.
    #[error("{method} failed: {reason}")]
    Transport {
        /// The JSON-RPC method.
        method: String,
        /// What the transport said.
        reason: String,
    },
    /// The node answered with a JSON-RPC error.
    #[error("the node refused {method}: {message} (code {code}){}", hint(*.code))]
    Rpc {
        /// The JSON-RPC method.
        method: String,
        /// The JSON-RPC error code (Substrate's: 1010 invalid transaction, …).
        code: i32,
        /// The error message, with its data if any.
        message: String,
    },
    /// The node's answer could not be decoded.
    #[error("cannot decode {what} from the node: {reason}")]
    Decode {
        /// What was being decoded.
        what: String,
        /// Why it failed.
        reason: String,
    },
    /// A subscription was asked of an HTTP connection.
    #[error("{what} needs a WebSocket connection (ws://); this client uses HTTP")]
    NeedsWebSocket {
        /// What needed it.
        what: &'static str,
    },
    /// The call cannot be encoded.
    #[error(transparent)]
    Unencodable(#[from] UnencodableCall),
    /// The transaction was included in a block but failed; its fee was still paid.
    #[error("the transaction failed in block #{block_number}: {failure}")]
    Failed {
        /// The block it was included in.
        block_number: u64,
        /// Why it failed.
        failure: DispatchFailure,
    },
    /// The pool dropped, invalidated or replaced the transaction before inclusion.
    #[error("the transaction was {status} before it was included{}", status_hint(status))]
    NotIncluded {
        /// The final status the node reported (`dropped`, `invalid`, `usurped`, …).
        status: String,
    },
    /// The node stopped reporting on the transaction before the awaited stage.
    #[error("the node stopped watching the transaction before it was {stage}")]
    WatchEnded {
        /// The stage that was awaited.
        stage: &'static str,
    },
    /// A requested item does not exist on chain.
    #[error("{0}")]
    NotFound(String),
}

fn hint(code: i32) -> &'static str {
    match code {
        1010 => {
            "; the transaction is invalid for the current state (check the balance, nonce and arguments)"
        }
        1014 => {
            "; the pool already holds a transaction with this nonce: raise the tip to replace it, or wait"
        }
        1016 => "; the node's transaction pool is full: retry in a moment",
        _ => "",
    }
}

fn status_hint(status: &str) -> &'static str {
    match status {
        "usurped" => " (another transaction with the same nonce replaced it)",
        "dropped" => " (the pool was full or the node restarted: submit it again)",
        "invalid" => " (it became invalid: check the nonce and the balance)",
        _ => "",
    }
}

/// A chain client result.
pub type Result<T, E = ChainError> = std::result::Result<T, E>;
