//! Fixed-point numbers with the exact rounding of substrate-fixed 0.6.0, as the Yuma epoch uses them.
//!
//! The real chain computes Yuma Consensus with the `substrate-fixed` crate (tag `v0.6.0`). To
//! reproduce its results bit for bit we need the same containers and, above all, the same
//! rounding. This crate provides the three types the epoch touches:
//!
//! | type        | container | fractional bits | used for |
//! | ----------- | --------- | --------------- | -------- |
//! | [`I32F32`]  | `i64`     | 32              | nearly everything in the epoch |
//! | [`I64F64`]  | `i128`    | 64              | raw stake normalisation, the bonds moving average |
//! | [`I96F32`]  | `i128`    | 32              | `share × rao_emission` |
//!
//! # Rounding rules (`reference/yuma.md` §2)
//!
//! * multiplication is exact in double width, then shifted right: **floor** (toward −∞);
//! * division is `(a << frac) / b` with integer division: **truncation toward zero**;
//! * [`I32F32::safe_div`] is subtensor's safe-math division: `x / 0 = 0`, and overflow gives 0;
//! * narrowing the fractional bits (I64F64 → I32F32) drops low bits: floor;
//! * conversion to an integer floors, then clamps to the integer's range;
//! * `saturating_*` operations clamp to the container's range, `checked_*` return `None`.
//!
//! Every type is `Copy`, ordered by value, SCALE-encoded as its raw bits (as substrate-fixed is),
//! and displayed as its exact decimal value.
//!
//! # Example
//!
//! ```
//! use rustensor_fixed::I32F32;
//!
//! let third = I32F32::ONE.safe_div(I32F32::from_num(3));
//! // 1/3 truncates, so 3 × (1/3) floors to just below one.
//! assert!(third.saturating_mul(I32F32::from_num(3)) < I32F32::ONE);
//! // The chain's u16 proportion of 1/3 is floor(65535/3).
//! assert_eq!(third.to_proportion_u16(), 21844);
//! // Division by zero is zero under safe division.
//! assert_eq!(I32F32::ONE.safe_div(I32F32::ZERO), I32F32::ZERO);
//! ```

mod display;
mod i32f32;
mod i64f64;
mod i96f32;
pub mod wide;

pub use i32f32::I32F32;
pub use i64f64::I64F64;
pub use i96f32::I96F32;
