//! `TransactionPayment` (pallet index 6): the fee every signed extrinsic pays.
//!
//! The wire half (its calls, events, errors, storage items and structs) is
//! `rustensor_runtime_types::pallets::transaction_payment`, re-exported here.
//!
//! # Deviations from subtensor
//!
//! - Call weights are not subtensor's benchmarked weights (they are not in our notes). Every
//!   call declares a constant chosen here ([`crate::pallets::call_weights`]); the fee formula and
//!   its constants are subtensor's, so fees have the right shape and order of magnitude but
//!   not the exact RAO of mainnet.
//! - `EXTRINSIC_BASE_WEIGHT` is FRAME's historical default (125 µs), not a value read from
//!   subtensor's runtime.
//! - Paying fees in alpha (`TransactionFeePaidWithAlpha`, §6.10) is not implemented: staking
//!   calls do not exist yet.
//! - The block author is whatever the node passes to the executive; with none, fees are
//!   dropped from the issuance (subtensor's fallback).

use crate::dispatch::{DispatchClass, DispatchEventInfo, Pays, PostDispatchInfo, Weight};
pub use rustensor_runtime_types::pallets::transaction_payment::*;
const PERBILL: u64 = 1_000_000_000;

/// Subtensor's `LinearWeightToFee`: `Perbill(500_000) × ref_time`, rounded to the nearest RAO
/// with ties down. Proof size is free.
pub fn weight_to_fee(weight: Weight) -> u64 {
    let w = u128::from(weight.ref_time);
    let parts = u128::from(WEIGHT_TO_FEE_PERBILL);
    let denom = u128::from(PERBILL);
    // w < 2^64 and parts < 2^30, so the product fits in u128.
    let product = w.saturating_mul(parts);
    // `denom` is a non-zero constant: neither falls back.
    let quotient = product.checked_div(denom).unwrap_or(0);
    let remainder = product.checked_rem(denom).unwrap_or(0);
    // Nearest, ties down: round up only when the remainder is more than half.
    let rounded =
        if remainder.saturating_mul(2) > denom { quotient.saturating_add(1) } else { quotient };
    u64::try_from(rounded).unwrap_or(u64::MAX)
}

/// Subtensor's `LengthToFee` (`IdentityFee`): one RAO per byte of the encoded extrinsic.
pub fn length_to_fee(len: u32) -> u64 {
    u64::from(len)
}

/// The fee breakdown of an extrinsic of `len` bytes with call info `info` and `tip`
/// (`compute_fee_details`).
pub fn compute_fee_details(len: u32, info: &DispatchEventInfo, tip: u64) -> FeeDetails {
    compute_fee_raw(len, info.weight, info.class, info.pays_fee, tip)
}

fn compute_fee_raw(
    len: u32,
    weight: Weight,
    _class: DispatchClass,
    pays_fee: Pays,
    tip: u64,
) -> FeeDetails {
    let inclusion_fee = (pays_fee == Pays::Yes).then(|| InclusionFee {
        base_fee: weight_to_fee(EXTRINSIC_BASE_WEIGHT),
        len_fee: length_to_fee(len),
        adjusted_weight_fee: weight_to_fee(weight),
    });
    FeeDetails { inclusion_fee, tip }
}

/// The fee withdrawn before dispatch (`compute_fee`): inclusion fee plus tip.
pub fn compute_fee(len: u32, info: &DispatchEventInfo, tip: u64) -> u64 {
    compute_fee_details(len, info, tip).final_fee()
}

/// The fee kept after dispatch (`compute_actual_fee`): the weight is the smaller of declared
/// and actual, and the call pays only if both the declared and the post-dispatch info say so.
pub fn compute_actual_fee(
    len: u32,
    info: &DispatchEventInfo,
    post: &PostDispatchInfo,
    tip: u64,
) -> u64 {
    let weight = post.actual_weight.map_or(info.weight, |actual| actual.min(info.weight));
    let pays =
        if info.pays_fee == Pays::No || post.pays_fee == Pays::No { Pays::No } else { Pays::Yes };
    compute_fee_raw(len, weight, info.class, pays, tip).final_fee()
}

/// The dispatch info that goes into `ExtrinsicSuccess` / `ExtrinsicFailed` after dispatch
/// (FRAME's `extract_actual_weight` and `extract_actual_pays_fee`).
pub fn post_dispatch_event_info(
    info: &DispatchEventInfo,
    post: &PostDispatchInfo,
) -> DispatchEventInfo {
    let weight = post.actual_weight.map_or(info.weight, |actual| actual.min(info.weight));
    let pays_fee =
        if info.pays_fee == Pays::No || post.pays_fee == Pays::No { Pays::No } else { Pays::Yes };
    DispatchEventInfo { weight, class: info.class, pays_fee }
}

/// Why `query_info` / `query_fee_details` cannot answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// The extrinsic bytes do not decode.
    #[error("undecodable extrinsic: {0}")]
    Decode(crate::extrinsic::DecodeError),
    /// The call does not decode.
    #[error("undecodable call: {0}")]
    Call(crate::dispatch::CallError),
}

impl From<crate::extrinsic::DecodeError> for QueryError {
    fn from(e: crate::extrinsic::DecodeError) -> Self {
        Self::Decode(e)
    }
}

impl From<crate::dispatch::CallError> for QueryError {
    fn from(e: crate::dispatch::CallError) -> Self {
        Self::Call(e)
    }
}

/// `TransactionPaymentApi_query_info(uxt, len)`: the weight, class and fee (tip excluded) of an
/// extrinsic, without checking its signature (clients query with a zero signature).
///
/// # Errors
///
/// [`QueryError`] if the extrinsic or its call does not decode.
pub fn query_info(
    dispatcher: &impl crate::dispatch::Dispatch,
    uxt: &[u8],
    len: u32,
) -> Result<RuntimeDispatchInfo, QueryError> {
    let xt = crate::extrinsic::UncheckedExtrinsic::decode(uxt)?;
    let info = dispatcher.info(&xt.call)?;
    let partial_fee = if xt.signature.is_some() { compute_fee(len, &info, 0) } else { 0 };
    Ok(RuntimeDispatchInfo { weight: info.weight, class: info.class, partial_fee })
}

/// `TransactionPaymentApi_query_fee_details(uxt, len)`: the fee breakdown (tip 0), or no
/// inclusion fee for an unsigned extrinsic.
///
/// # Errors
///
/// [`QueryError`] if the extrinsic or its call does not decode.
pub fn query_fee_details(
    dispatcher: &impl crate::dispatch::Dispatch,
    uxt: &[u8],
    len: u32,
) -> Result<FeeDetails, QueryError> {
    let xt = crate::extrinsic::UncheckedExtrinsic::decode(uxt)?;
    let info = dispatcher.info(&xt.call)?;
    if xt.signature.is_some() {
        Ok(compute_fee_details(len, &info, 0))
    } else {
        Ok(FeeDetails { inclusion_fee: None, tip: 0 })
    }
}

/// Genesis: `NextFeeMultiplier` = 1.0.
pub fn build_genesis(state: &mut (impl crate::storage::Kv + ?Sized)) {
    NextFeeMultiplier::put(state, &FEE_MULTIPLIER_ONE);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::{Pays, Weight};
    use parity_scale_codec::Encode;
    use rustensor_primitives::AccountId32;
    #[test]
    fn test_weight_to_fee_is_linear_with_nearest_rounding() {
        assert_eq!(weight_to_fee(Weight::from_parts(0, 123)), 0);
        assert_eq!(weight_to_fee(Weight::from_parts(2_000, 0)), 1);
        assert_eq!(weight_to_fee(Weight::from_parts(1_000, 0)), 0, "a tie rounds down");
        assert_eq!(weight_to_fee(Weight::from_parts(1_001, 0)), 1);
        assert_eq!(weight_to_fee(Weight::from_parts(1_000_000_000, 0)), 500_000);
        assert_eq!(weight_to_fee(EXTRINSIC_BASE_WEIGHT), 62_500);
        assert_eq!(weight_to_fee(Weight::from_parts(u64::MAX, 0)), u64::MAX / 2_000 + 1);
    }

    #[test]
    fn test_fee_formula_and_pays_no() {
        let info = DispatchEventInfo {
            weight: Weight::from_parts(200_000_000, 0),
            class: DispatchClass::Normal,
            pays_fee: Pays::Yes,
        };
        let details = compute_fee_details(150, &info, 7);
        assert_eq!(
            details,
            FeeDetails {
                inclusion_fee: Some(InclusionFee {
                    base_fee: 62_500,
                    len_fee: 150,
                    adjusted_weight_fee: 100_000
                }),
                tip: 7
            }
        );
        assert_eq!(compute_fee(150, &info, 7), 162_657);
        let free = DispatchEventInfo { pays_fee: Pays::No, ..info };
        assert_eq!(compute_fee(150, &free, 7), 7, "a free call still pays its tip");
        // Post-dispatch Pays::No refunds all but the tip; a lower actual weight refunds part.
        assert_eq!(compute_actual_fee(150, &info, &PostDispatchInfo::FREE, 7), 7);
        let lighter = PostDispatchInfo {
            actual_weight: Some(Weight::from_parts(2_000, 0)),
            pays_fee: Pays::Yes,
        };
        assert_eq!(compute_actual_fee(150, &info, &lighter, 0), 62_500 + 150 + 1);
        let heavier = PostDispatchInfo {
            actual_weight: Some(Weight::from_parts(u64::MAX, 0)),
            pays_fee: Pays::Yes,
        };
        assert_eq!(compute_actual_fee(150, &info, &heavier, 0), 162_650, "never above declared");
    }

    #[test]
    fn test_query_info_matches_the_charged_fee() {
        use crate::executive::Executive;
        use crate::pallets::Runtime;
        use crate::test_utils::*;
        let genesis = dev_genesis(1_000_000_000_000);
        let xt = sign_call(&dev_pair("Alice"), 0, transfer_keep_alive(dev_account("Bob"), 1));
        let len = u32::try_from(xt.len()).unwrap();
        let info = query_info(&Runtime, &xt, len).unwrap();
        assert_eq!(info.weight, crate::pallets::call_weights::TRANSFER);
        assert_eq!(info.partial_fee, 62_500 + u64::from(len) + 62_500);
        let details = query_fee_details(&Runtime, &xt, len).unwrap();
        assert_eq!(details.final_fee(), info.partial_fee);
        let mut block =
            Executive::initialize_block(&genesis, Runtime, TEST_VERSION, 1, TEST_GENESIS_HASH);
        assert_eq!(block.apply_extrinsic(&xt).unwrap().fee, info.partial_fee);
        // weight Compact(125_000_000)/Compact(0), Normal, partial_fee u64.
        assert_eq!(info.encode().len(), 4 + 1 + 1 + 8);
        assert!(query_info(&Runtime, &[0x00], 1).is_err());
    }

    #[test]
    fn test_fee_types_encoding() {
        let who = AccountId32([1; 32]);
        let event = Event::TransactionFeePaid { who, actual_fee: 5, tip: 1 };
        let mut expected = vec![0u8];
        expected.extend_from_slice(&[1; 32]);
        expected.extend_from_slice(&5u64.to_le_bytes());
        expected.extend_from_slice(&1u64.to_le_bytes());
        assert_eq!(event.encode(), expected);
        let details = FeeDetails {
            inclusion_fee: Some(InclusionFee { base_fee: 1, len_fee: 2, adjusted_weight_fee: 3 }),
            tip: 4,
        };
        assert_eq!(details.encode().len(), 1 + 24 + 8);
        assert_eq!(
            NextFeeMultiplier::key(),
            [
                rustensor_primitives::hashing::twox_128(b"TransactionPayment").as_slice(),
                rustensor_primitives::hashing::twox_128(b"NextFeeMultiplier").as_slice()
            ]
            .concat()
        );
    }
}
