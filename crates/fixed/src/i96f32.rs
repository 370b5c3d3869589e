//! `I96F32`: a signed number with 96 integer and 32 fractional bits in an `i128`.

use crate::{I32F32, wide};
use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

/// A signed fixed-point number with 32 fractional bits, stored in an `i128`
/// (value = bits / 2³²), with substrate-fixed 0.6.0 rounding.
///
/// The epoch uses it to turn an `I32F32` share into a rao amount: `share × emission`.
///
/// Wire format: SCALE-encoded as its `i128` bits, as substrate-fixed encodes `I96F32`.
#[derive(
    Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode, MaxEncodedLen,
)]
pub struct I96F32(i128);

const FRAC: u32 = 32;

impl I96F32 {
    /// Number of fractional bits.
    pub const FRAC_BITS: u32 = FRAC;
    /// 0.
    pub const ZERO: Self = Self(0);
    /// 1.
    pub const ONE: Self = Self(1 << FRAC);
    /// The largest value.
    pub const MAX: Self = Self(i128::MAX);
    /// The smallest value.
    pub const MIN: Self = Self(i128::MIN);

    /// Builds a number from its raw bits (value = bits / 2³²).
    #[inline]
    pub const fn from_bits(bits: i128) -> Self {
        Self(bits)
    }

    /// The raw bits (value × 2³²).
    #[inline]
    pub const fn to_bits(self) -> i128 {
        self.0
    }

    /// Converts a `u64` exactly (always in range).
    #[inline]
    pub const fn from_u64(v: u64) -> Self {
        Self((v as i128) << FRAC)
    }

    /// Widens an [`I32F32`] exactly (same fractional bits).
    #[inline]
    pub const fn from_i32f32(v: I32F32) -> Self {
        Self(v.to_bits() as i128)
    }

    /// Multiplication rounded down (floor), clamped to the container's range.
    #[inline]
    pub fn saturating_mul(self, rhs: Self) -> Self {
        match wide::mul_shift(self.0, rhs.0, FRAC) {
            Some(v) => Self(v),
            None => {
                if (self.0 < 0) == (rhs.0 < 0) {
                    Self::MAX
                } else {
                    Self::MIN
                }
            }
        }
    }

    /// Division truncated toward zero, `0` when `rhs` is zero or the quotient overflows.
    #[inline]
    pub fn safe_div(self, rhs: Self) -> Self {
        wide::div_shift(self.0, rhs.0, FRAC).map_or(Self::ZERO, Self)
    }

    /// Addition clamped to the container's range.
    #[inline]
    pub const fn saturating_add(self, rhs: Self) -> Self {
        Self(self.0.saturating_add(rhs.0))
    }

    /// Subtraction clamped to the container's range.
    #[inline]
    pub const fn saturating_sub(self, rhs: Self) -> Self {
        Self(self.0.saturating_sub(rhs.0))
    }

    /// Floor to an integer, clamped to `[0, u64::MAX]`.
    #[inline]
    pub const fn saturating_to_u64(self) -> u64 {
        let v = self.0 >> FRAC;
        if v < 0 {
            0
        } else if v > u64::MAX as i128 {
            u64::MAX
        } else {
            v as u64
        }
    }
}

crate::display::impl_fmt!(I96F32, FRAC);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn test_share_times_emission_floors(share in 0i64..=(1i64 << 32), e in any::<u64>()) {
            let rao = I96F32::from_i32f32(I32F32::from_bits(share))
                .saturating_mul(I96F32::from_u64(e))
                .saturating_to_u64();
            // floor(share/2^32 * e)
            let exact = (share as u128 * e as u128) >> 32;
            prop_assert_eq!(rao as u128, exact.min(u64::MAX as u128));
        }
    }

    #[test]
    fn test_full_share_of_max_emission_saturates_to_u64() {
        let rao = I96F32::from_i32f32(I32F32::ONE).saturating_mul(I96F32::from_u64(u64::MAX));
        assert_eq!(rao.saturating_to_u64(), u64::MAX);
    }
}
