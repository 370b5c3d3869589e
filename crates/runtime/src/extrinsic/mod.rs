//! Extrinsics: the Substrate v4 wire format (decode, encode, sign) is `rustensor-runtime-types`'
//! and is re-exported here; this module adds the checks an extrinsic passes against the chain's
//! state before it may run ([`check()`]: signature, era, nonce, sender).

pub mod check;

pub use check::{
    ChainContext, CheckMode, CheckedExtrinsic, check, check_with, signature_valid,
    signed_message_of,
};
pub use rustensor_runtime_types::extrinsic::*;

#[cfg(test)]
mod tests;
