//! `I64F64`: a signed number with 64 integer and 64 fractional bits in an `i128`.

use crate::{I32F32, wide};
use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

/// A signed fixed-point number with 64 fractional bits, stored in an `i128`
/// (value = bits / 2⁶⁴), with substrate-fixed 0.6.0 rounding.
///
/// The epoch uses it to normalise raw stake and to turn `BondsMovingAverage` into a fraction.
///
/// Wire format: SCALE-encoded as its `i128` bits, as substrate-fixed encodes `I64F64`.
#[derive(
    Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode, MaxEncodedLen,
)]
pub struct I64F64(i128);

const FRAC: u32 = 64;

impl I64F64 {
    /// Number of fractional bits.
    pub const FRAC_BITS: u32 = FRAC;
    /// 0.
    pub const ZERO: Self = Self(0);
    /// 1.
    pub const ONE: Self = Self(1 << FRAC);
    /// The largest value, just below 2⁶³.
    pub const MAX: Self = Self(i128::MAX);

    /// Builds a number from its raw bits (value = bits / 2⁶⁴).
    #[inline]
    pub const fn from_bits(bits: i128) -> Self {
        Self(bits)
    }

    /// The raw bits (value × 2⁶⁴).
    #[inline]
    pub const fn to_bits(self) -> i128 {
        self.0
    }

    /// Converts a `u64`, saturating to [`I64F64::MAX`] above `i64::MAX`
    /// (substrate-fixed's `saturating_from_num`).
    #[inline]
    pub const fn saturating_from_u64(v: u64) -> Self {
        if v > i64::MAX as u64 { Self::MAX } else { Self((v as i128) << FRAC) }
    }

    /// Floor to an integer, clamped to `[0, u64::MAX]`.
    #[inline]
    pub const fn saturating_to_u64(self) -> u64 {
        let v = self.0 >> FRAC;
        if v < 0 { 0 } else { v as u64 }
    }

    /// Addition clamped to the container's range.
    #[inline]
    pub const fn saturating_add(self, rhs: Self) -> Self {
        Self(self.0.saturating_add(rhs.0))
    }

    /// Division truncated toward zero, `None` when `rhs` is zero or the quotient overflows.
    #[inline]
    pub fn checked_div(self, rhs: Self) -> Option<Self> {
        const LOW: i128 = (1 << FRAC) - 1;
        // Whole numbers (raw stake, the moving average): trunc(a·2⁶⁴ / b) with a = A·2⁶⁴ and
        // b = B·2⁶⁴ is trunc(A·2⁶⁴ / B), one 128-bit division when A·2⁶⁴ fits.
        if self.0 & LOW == 0 && rhs.0 & LOW == 0 && rhs.0 != 0 {
            let (a, b) = (self.0 >> FRAC, rhs.0 >> FRAC);
            if let Some(num) = a.checked_mul(1 << FRAC) {
                return num.checked_div(b).map(Self);
            }
        }
        wide::div_shift(self.0, rhs.0, FRAC).map(Self)
    }

    /// subtensor's safe-math division: truncated toward zero, and `0` when `rhs` is zero or the
    /// quotient overflows.
    #[inline]
    pub fn safe_div(self, rhs: Self) -> Self {
        self.checked_div(rhs).unwrap_or(Self::ZERO)
    }

    /// Multiplication rounded down (floor), `None` on overflow.
    #[inline]
    pub fn checked_mul(self, rhs: Self) -> Option<Self> {
        wide::mul_shift(self.0, rhs.0, FRAC).map(Self)
    }

    /// Narrows to [`I32F32`] by dropping the low 32 fractional bits (floor), clamping to the
    /// `I32F32` range.
    #[inline]
    pub const fn to_i32f32(self) -> I32F32 {
        let v = self.0 >> 32;
        I32F32::from_bits(if v > i64::MAX as i128 {
            i64::MAX
        } else if v < i64::MIN as i128 {
            i64::MIN
        } else {
            v as i64
        })
    }
}

crate::display::impl_fmt!(I64F64, FRAC);

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;
    use num_rational::BigRational;
    use num_traits::ToPrimitive;
    use proptest::prelude::*;

    fn rat(x: I64F64) -> BigRational {
        BigRational::new(BigInt::from(x.to_bits()), BigInt::from(1u128 << 64))
    }

    #[test]
    fn test_bonds_moving_average_fraction() {
        // 900_000 / 1_000_000 = 0.9, truncated to 64 bits then floored to 32.
        let q =
            I64F64::saturating_from_u64(900_000).safe_div(I64F64::saturating_from_u64(1_000_000));
        let exact = (9i128 << 64) / 10; // 0.9 · 2⁶⁴, truncated
        assert_eq!(q.to_bits(), exact);
        assert_eq!(q.to_i32f32().to_bits(), (exact >> 32) as i64);
    }

    #[test]
    fn test_saturating_from_u64_clamps_above_i64() {
        assert_eq!(I64F64::saturating_from_u64(u64::MAX), I64F64::MAX);
        assert_eq!(I64F64::saturating_from_u64(7).saturating_to_u64(), 7);
    }

    proptest! {
        #[test]
        fn test_div_truncates_exact_quotient(a in any::<u64>(), b in any::<u64>()) {
            let (x, y) = (I64F64::saturating_from_u64(a), I64F64::saturating_from_u64(b));
            if b == 0 {
                prop_assert_eq!(x.safe_div(y), I64F64::ZERO);
            } else {
                let exact = rat(x) / rat(y);
                let bits = (exact * BigInt::from(1u128 << 64)).trunc().to_integer().to_i128();
                prop_assert_eq!(x.checked_div(y).map(I64F64::to_bits), bits);
            }
        }

        #[test]
        fn test_stake_share_narrowing_floors(a in 0u64..(1u64 << 62), extra in 1u64..(1u64 << 62)) {
            let (x, tot) = (I64F64::saturating_from_u64(a), I64F64::saturating_from_u64(a + extra));
            let share = x.safe_div(tot).to_i32f32();
            let exact = BigRational::new(BigInt::from(a), BigInt::from(a + extra));
            // truncation then floor is the floor of the exact share in 32 bits
            let bits = (exact * BigInt::from(1u64 << 32)).floor().to_integer().to_i64().unwrap();
            prop_assert_eq!(share.to_bits(), bits);
        }

        #[test]
        fn test_mul_floors(a in any::<i128>(), b in any::<i128>()) {
            let (x, y) = (I64F64::from_bits(a), I64F64::from_bits(b));
            let exact = rat(x) * rat(y);
            let bits = (exact * BigInt::from(1u128 << 64)).floor().to_integer().to_i128();
            prop_assert_eq!(x.checked_mul(y).map(I64F64::to_bits), bits);
        }
    }
}
