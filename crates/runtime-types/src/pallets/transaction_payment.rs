//! `TransactionPayment` (pallet index 6): the fee every signed extrinsic pays.
//!
//! Mirrors `pallet_transaction_payment` as subtensor configures it (`reference/subtensor.md`
//! §0.1, §1.4, §6.10; `reference/substrate_compat.md` §4.4):
//!
//! ```text
//! fee = base_fee + length_fee + weight_fee + tip        (Pays::Yes)
//! fee = tip                                             (Pays::No)
//!
//! base_fee   = weight_to_fee(EXTRINSIC_BASE_WEIGHT)
//! length_fee = encoded extrinsic length in bytes         (IdentityFee: 1 RAO per byte)
//! weight_fee = weight_to_fee(call weight) × 1             (ConstFeeMultiplier = 1)
//! weight_to_fee(w) = Perbill(500_000) × w.ref_time        (subtensor's LinearWeightToFee)
//! ```
//!
//! `Perbill × u64` rounds to the nearest RAO, ties down (sp-arithmetic's `NearestPrefDown`).
//! The operational multiplier (5) and tips only affect pool priority in FRAME, and subtensor's
//! priorities are flat, so neither changes the fee.
//!
//! The executive (`crate::executive`) withdraws the fee before dispatch with
//! `balances::withdraw` (keep-alive: paying a fee never reaps the payer; a payer who cannot pay
//! makes the extrinsic invalid, `InvalidTransaction::Payment`, and nothing is written). After
//! dispatch it refunds what the post-dispatch info forgives (`compute_actual_fee`) and pays the
//! rest, tip included, to the block author if there is one, else drops it (the issuance
//! falls), as subtensor does (§1.4). Nothing is refunded because a call failed: a failed call
//! leaves its fee, its nonce bump and its failure event.
//!
//! Storage items owned:
//!
//! | item | hasher | value |
//! | --- | --- | --- |
//! | `TransactionPayment.NextFeeMultiplier` | – | `FixedU128` as `u128` (always 10^18 = 1.0) |
//!
//! Events: [`Event::TransactionFeePaid`] (index 0) for every signed extrinsic, fee or not.
//!
//! What the calls do, and where this deviates from subtensor: `rustensor_runtime::pallets::transaction_payment`.

use crate::dispatch::{DispatchClass, Weight};
use crate::storage::{StorageValue, storage_prefix};
use parity_scale_codec::{Decode, Encode};
use rustensor_primitives::AccountId32;

/// Subtensor's pallet index of `TransactionPayment`. Wire-visible.
pub const PALLET_INDEX: u8 = 6;

/// The weight every extrinsic pays for on top of its call: FRAME's `ExtrinsicBaseWeight`
/// default of 125 µs (see the deviations).
pub const EXTRINSIC_BASE_WEIGHT: Weight = Weight::from_parts(125_000_000, 0);

/// Subtensor's `LinearWeightToFee` coefficient in parts per billion: 500,000 (0.0005 RAO per
/// unit of ref time).
pub const WEIGHT_TO_FEE_PERBILL: u64 = 500_000;

/// `OperationalFeeMultiplier`: only scales pool priority; kept for the metadata constant.
pub const OPERATIONAL_FEE_MULTIPLIER: u8 = 5;

/// `FixedU128` 1.0, the constant `NextFeeMultiplier` (subtensor's `ConstFeeMultiplier`).
pub const FEE_MULTIPLIER_ONE: u128 = 1_000_000_000_000_000_000;

storage_prefix!(
    /// `TransactionPayment.NextFeeMultiplier`.
    pub NextFeeMultiplierPrefix = "TransactionPayment" :: "NextFeeMultiplier"
);

/// `TransactionPayment.NextFeeMultiplier`: the weight fee multiplier (`FixedU128`, inner
/// `u128`). Constant 1.0 in subtensor. Wire-visible.
pub type NextFeeMultiplier = StorageValue<NextFeeMultiplierPrefix, u128>;

/// `pallet_transaction_payment::Event`. Wire-visible (variant indices, field names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum Event {
    /// A transaction fee `actual_fee`, of which `tip` was the tip, was paid by `who`.
    #[codec(index = 0)]
    TransactionFeePaid {
        /// The payer.
        who: AccountId32,
        /// The whole fee, tip included, after refunds.
        actual_fee: u64,
        /// The tip.
        tip: u64,
    },
}

/// `pallet_transaction_payment::InclusionFee`. Wire-visible (`query_fee_details`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct InclusionFee {
    /// `weight_to_fee(EXTRINSIC_BASE_WEIGHT)`.
    pub base_fee: u64,
    /// One RAO per encoded byte.
    pub len_fee: u64,
    /// `weight_to_fee(call weight)` times the multiplier (1).
    pub adjusted_weight_fee: u64,
}

impl InclusionFee {
    /// The sum of the three parts, saturating.
    pub fn total(&self) -> u64 {
        self.base_fee.saturating_add(self.len_fee).saturating_add(self.adjusted_weight_fee)
    }
}

/// `pallet_transaction_payment::FeeDetails`. Wire-visible (`query_fee_details`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct FeeDetails {
    /// `None` for `Pays::No` calls.
    pub inclusion_fee: Option<InclusionFee>,
    /// The tip.
    pub tip: u64,
}

impl FeeDetails {
    /// What is charged: inclusion fee plus tip, saturating.
    pub fn final_fee(&self) -> u64 {
        self.inclusion_fee.map_or(0, |f| f.total()).saturating_add(self.tip)
    }
}

/// `pallet_transaction_payment::RuntimeDispatchInfo`: what
/// `TransactionPaymentApi_query_info` returns. Wire-visible.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct RuntimeDispatchInfo {
    /// The call's declared weight.
    pub weight: Weight,
    /// Its class.
    pub class: DispatchClass,
    /// The fee without the tip (0 for an unsigned extrinsic).
    pub partial_fee: u64,
}
