//! The one place our errors become JSON-RPC error objects, with Substrate's codes and texts
//! (STYLE.md §3). Clients match on some of these texts, so they are wire-visible.

use jsonrpsee::types::{ErrorObject, ErrorObjectOwned};
use rustensor_runtime::extrinsic::InvalidTransaction;
use rustensor_runtime::pallets::subtensor::runtime_api::InfoError;

use super::api::{PoolError, StateError};
use super::methods::KEYS_PAGED_MAX_COUNT;

/// JSON-RPC: invalid method parameters.
pub const INVALID_PARAMS: i32 = -32602;
/// Substrate author errors start here (`BASE_ERROR` of `sc-rpc-api::author`).
const AUTHOR_BASE: i32 = 1000;
/// `author`: the extrinsic does not decode.
pub const BAD_FORMAT: i32 = AUTHOR_BASE + 1;
/// `author`: the pool rejected the transaction as invalid.
pub const POOL_INVALID_TX: i32 = AUTHOR_BASE + 10;
/// `author`: the transaction's validity cannot be determined.
pub const POOL_UNKNOWN_VALIDITY: i32 = POOL_INVALID_TX + 1;
/// `author`: already in the pool.
pub const POOL_ALREADY_IMPORTED: i32 = POOL_INVALID_TX + 3;
/// `author`: too low priority to replace a pooled transaction.
pub const POOL_TOO_LOW_PRIORITY: i32 = POOL_INVALID_TX + 4;
/// `author`: dropped because of the pool limits.
pub const POOL_IMMEDIATELY_DROPPED: i32 = POOL_INVALID_TX + 6;
/// `author`: other errors.
pub const AUTHOR_OTHER: i32 = AUTHOR_BASE + 40;
/// Substrate state errors start here (`BASE_ERROR` of `sc-rpc-api::state`).
const STATE_BASE: i32 = 4000;
/// `state`: a count above the maximum (`state_getKeysPaged`).
pub const STATE_INVALID_COUNT: i32 = STATE_BASE + 2;
/// `state`: client errors (unknown block, runtime call failure).
pub const STATE_CLIENT: i32 = STATE_BASE + 3;

/// `-32602` with `message` as the reason.
pub(crate) fn invalid_params(message: impl Into<String>) -> ErrorObjectOwned {
    ErrorObject::owned(INVALID_PARAMS, message.into(), None::<()>)
}

/// A state read at a block that cannot be read: Substrate's `Client error: …` (4003).
pub(crate) fn state_error(e: &StateError) -> ErrorObjectOwned {
    ErrorObject::owned(STATE_CLIENT, format!("Client error: {e}"), None::<()>)
}

/// `state_getKeysPaged` asked for more than `max` keys (4002).
pub(crate) fn invalid_count(value: u64, max: u32) -> ErrorObjectOwned {
    ErrorObject::owned(
        STATE_INVALID_COUNT,
        format!("count exceeds maximum value. value: {value}, max: {max}"),
        None::<()>,
    )
}

/// `state_getKeys` matched more than `max` keys (4002): the caller should page instead.
pub(crate) fn too_many_keys(max: u32) -> ErrorObjectOwned {
    ErrorObject::owned(
        STATE_INVALID_COUNT,
        format!(
            "more than {max} keys under this prefix; list them with state_getKeysPaged \
             (at most {KEYS_PAGED_MAX_COUNT} a page) or use a longer prefix"
        ),
        None::<()>,
    )
}

/// A failed `state_call` (4003). An unknown method says `Exported method {name} is not
/// found`, as a wasm runtime does: the Python clients look for that text to fall back.
pub(crate) fn runtime_call_error(e: &InfoError) -> ErrorObjectOwned {
    let detail = match e {
        InfoError::UnknownMethod(name) => format!("Exported method {name} is not found"),
        other => other.to_string(),
    };
    ErrorObject::owned(
        STATE_CLIENT,
        format!("Client error: Execution failed: {detail}"),
        None::<()>,
    )
}

/// A pool rejection as Substrate's `author` error object.
pub(crate) fn pool_error(e: &PoolError) -> ErrorObjectOwned {
    match e {
        PoolError::BadFormat(reason) => ErrorObject::owned(
            BAD_FORMAT,
            format!("Extrinsic has invalid format: {reason}"),
            None::<()>,
        ),
        PoolError::Invalid(InvalidTransaction::Custom(code)) => ErrorObject::owned(
            POOL_INVALID_TX,
            "Invalid Transaction",
            Some(format!("Custom error: {code}")),
        ),
        PoolError::Invalid(invalid) => {
            ErrorObject::owned(POOL_INVALID_TX, "Invalid Transaction", Some(invalid.description()))
        }
        PoolError::Unknown(unknown) => ErrorObject::owned(
            POOL_UNKNOWN_VALIDITY,
            "Unknown Transaction Validity",
            Some(format!("{unknown:?}")),
        ),
        PoolError::AlreadyImported(hash) => ErrorObject::owned(
            POOL_ALREADY_IMPORTED,
            "Transaction Already Imported",
            Some(super::api::hex0x(hash)),
        ),
        PoolError::TooLowPriority { old, new } => ErrorObject::owned(
            POOL_TOO_LOW_PRIORITY,
            format!("Priority is too low: ({old} vs {new})"),
            Some(
                "The transaction has too low priority to replace another transaction already in the pool.",
            ),
        ),
        PoolError::ImmediatelyDropped => ErrorObject::owned(
            POOL_IMMEDIATELY_DROPPED,
            "Immediately Dropped",
            Some("The transaction couldn't enter the pool because of the limit"),
        ),
        PoolError::Other(message) => ErrorObject::owned(AUTHOR_OTHER, message.clone(), None::<()>),
    }
}
