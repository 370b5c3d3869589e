//! `state_call`: every runtime API method this runtime answers, in one entry point for the node.
//!
//! A Substrate node answers `state_call(method, params)` by running the runtime's exported
//! function `method` on SCALE `params` at some block. Here that is [`call`] over the block's
//! state. It covers the metadata APIs ([`crate::metadata`]), `AccountNonceApi`,
//! `TransactionPaymentApi`, and `SubtensorModule`'s read APIs
//! ([`subtensor::runtime_api::call_runtime_api`]). `BlockBuilder_apply_extrinsic` is described in the
//! metadata (decoders need its types) but needs a block being built, so the node answers it.

use parity_scale_codec::{Compact, Decode, Encode};
use rustensor_primitives::AccountId32;

use crate::metadata;
use crate::pallets::subtensor::runtime_api::InfoError;
use crate::pallets::{Runtime, subtensor, system, transaction_payment};
use crate::storage::KvRead;

/// The methods [`call`] answers itself, before the `SubtensorModule` read APIs.
pub const CORE_METHODS: &[&str] = &[
    "Metadata_metadata",
    "Metadata_metadata_at_version",
    "Metadata_metadata_versions",
    "AccountNonceApi_account_nonce",
    "TransactionPaymentApi_query_info",
    "TransactionPaymentApi_query_fee_details",
];

/// Runs runtime API `method` (`"<Api>_<method>"`) on SCALE `params` over `state`, returning
/// the SCALE result.
///
/// # Errors
///
/// [`InfoError::UnknownMethod`] for a method not answered here, [`InfoError::BadParams`] when
/// `params` do not decode as its arguments (or the extrinsic given to `TransactionPaymentApi`
/// does not decode), [`InfoError::TrailingBytes`] when bytes are left over.
pub fn call(
    state: &(impl KvRead + ?Sized),
    method: &str,
    params: &[u8],
) -> Result<Vec<u8>, InfoError> {
    let bad = |reason: String| InfoError::BadParams { method: method.to_owned(), reason };
    match method {
        "Metadata_metadata" => {
            no_args(method, params)?;
            Ok(metadata::metadata_bytes().encode())
        }
        "Metadata_metadata_at_version" => {
            let version: u32 = exact(method, params)?;
            Ok(metadata::metadata_at_version(version))
        }
        "Metadata_metadata_versions" => {
            no_args(method, params)?;
            Ok(metadata::metadata_versions().encode())
        }
        "AccountNonceApi_account_nonce" => {
            let who: AccountId32 = exact(method, params)?;
            Ok(system::account_nonce(state, &who).encode())
        }
        "TransactionPaymentApi_query_info" | "TransactionPaymentApi_query_fee_details" => {
            let (uxt, len) = extrinsic_and_len(method, params)?;
            if method.ends_with("query_info") {
                transaction_payment::query_info(&Runtime, uxt, len)
                    .map(|info| info.encode())
                    .map_err(|e| bad(e.to_string()))
            } else {
                transaction_payment::query_fee_details(&Runtime, uxt, len)
                    .map(|details| details.encode())
                    .map_err(|e| bad(e.to_string()))
            }
        }
        _ => subtensor::runtime_api::call_runtime_api(state, method, params),
    }
}

/// Every method [`call`] answers.
pub fn supported_methods() -> impl Iterator<Item = &'static str> {
    CORE_METHODS.iter().chain(subtensor::runtime_api::SUPPORTED_METHODS).copied()
}

fn no_args(method: &str, params: &[u8]) -> Result<(), InfoError> {
    if params.is_empty() {
        Ok(())
    } else {
        Err(InfoError::TrailingBytes { method: method.to_owned(), extra: params.len() })
    }
}

fn exact<T: Decode>(method: &str, params: &[u8]) -> Result<T, InfoError> {
    let mut input = params;
    let value = T::decode(&mut input)
        .map_err(|e| InfoError::BadParams { method: method.to_owned(), reason: e.to_string() })?;
    no_args(method, input)?;
    Ok(value)
}

/// Splits `(uxt, len)`: an encoded extrinsic (its own compact length prefix included) then a
/// `u32`.
fn extrinsic_and_len<'a>(method: &str, params: &'a [u8]) -> Result<(&'a [u8], u32), InfoError> {
    let bad =
        |reason: &str| InfoError::BadParams { method: method.to_owned(), reason: reason.into() };
    let mut input = params;
    let body = Compact::<u32>::decode(&mut input).map_err(|_| bad("no extrinsic length prefix"))?;
    let prefix = params.len().saturating_sub(input.len());
    let end = usize::try_from(body.0)
        .ok()
        .and_then(|b| prefix.checked_add(b))
        .filter(|end| *end <= params.len())
        .ok_or_else(|| bad("the extrinsic is shorter than its length prefix"))?;
    let (uxt, rest) = params.split_at(end);
    let len: u32 = exact(method, rest)?;
    Ok((uxt, len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::genesis::{ChainSpec, build_genesis};
    use crate::storage::MemoryKv;
    use crate::test_utils::{dev_account, dev_pair, sign_call, transfer_keep_alive};

    fn dev() -> MemoryKv {
        MemoryKv::from(build_genesis(&ChainSpec::dev()).unwrap().storage)
    }

    #[test]
    fn test_metadata_and_nonce_apis_answer() {
        let s = dev();
        let bytes = call(&s, "Metadata_metadata_at_version", &15u32.encode()).unwrap();
        assert_eq!(bytes, Some(metadata::metadata_v15_bytes().to_vec()).encode());
        assert_eq!(
            call(&s, "Metadata_metadata_at_version", &14u32.encode()).unwrap(),
            Some(metadata::metadata_bytes().to_vec()).encode()
        );
        assert_eq!(
            call(&s, "Metadata_metadata_at_version", &16u32.encode()).unwrap(),
            None::<Vec<u8>>.encode()
        );
        assert_eq!(call(&s, "Metadata_metadata_versions", &[]).unwrap(), vec![14u32, 15].encode());
        assert_eq!(
            call(&s, "Metadata_metadata", &[]).unwrap(),
            metadata::metadata_bytes().encode()
        );
        let nonce = call(&s, "AccountNonceApi_account_nonce", &dev_account("Bob").encode());
        assert_eq!(nonce.unwrap(), 0u32.encode());
    }

    #[test]
    fn test_query_info_prices_a_signed_transfer() {
        let s = dev();
        let xt = sign_call(&dev_pair("Alice"), 0, transfer_keep_alive(dev_account("Bob"), 1));
        let len = u32::try_from(xt.len()).unwrap();
        let mut params = xt.clone();
        params.extend(len.encode());
        let out = call(&s, "TransactionPaymentApi_query_info", &params).unwrap();
        let info = transaction_payment::RuntimeDispatchInfo::decode(&mut &out[..]).unwrap();
        assert_eq!(info, transaction_payment::query_info(&Runtime, &xt, len).unwrap());
        assert!(info.partial_fee > 0);
        let out = call(&s, "TransactionPaymentApi_query_fee_details", &params).unwrap();
        assert!(transaction_payment::FeeDetails::decode(&mut &out[..]).is_ok());
    }

    #[test]
    fn test_bad_params_are_typed_errors() {
        let s = dev();
        assert!(matches!(
            call(&s, "Metadata_metadata_versions", &[1]),
            Err(InfoError::TrailingBytes { extra: 1, .. })
        ));
        assert!(matches!(
            call(&s, "AccountNonceApi_account_nonce", &[1, 2]),
            Err(InfoError::BadParams { .. })
        ));
        for params in [&[][..], &[0xfc][..], &[0x10, 1, 2][..], &[0x04, 1, 2, 3][..]] {
            assert!(
                matches!(
                    call(&s, "TransactionPaymentApi_query_info", params),
                    Err(InfoError::BadParams { .. } | InfoError::TrailingBytes { .. })
                ),
                "{params:?}"
            );
        }
        assert!(matches!(call(&s, "Core_nothing", &[]), Err(InfoError::UnknownMethod(_))));
    }

    #[test]
    fn test_every_method_in_the_metadata_is_answered() {
        let described: Vec<String> = metadata::metadata_v15()
            .apis
            .iter()
            .flat_map(|api| api.methods.iter().map(move |m| format!("{}_{}", api.name, m.name)))
            .collect();
        let answered: Vec<&str> = supported_methods().collect();
        for method in &described {
            if method == "BlockBuilder_apply_extrinsic" {
                continue; // answered by the node, which has the block being built
            }
            assert!(answered.contains(&method.as_str()), "{method} is described but not answered");
        }
        for method in answered {
            assert!(
                described.iter().any(|d| d == method),
                "{method} is answered but not described"
            );
        }
    }
}
