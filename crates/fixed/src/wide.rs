//! Exact shifted division `trunc((a << shift) / b)` for 128-bit containers.
//!
//! `I64F64` division needs a 192-bit intermediate (`a << 64` with `a` an `i128`), which no
//! primitive type holds. Instead of a big-integer type we do what long division on paper does:
//! divide the integer part once, then produce the `shift` fractional quotient bits one at a
//! time from the running remainder. The remainder always stays below the divisor, so it never
//! needs more than 128 bits.

/// Computes `trunc((a · 2^shift) / b)`, the quotient of a fixed-point division with `shift`
/// fractional bits, truncated toward zero as Rust integer division is.
///
/// Returns `None` when `b == 0` or when the quotient does not fit in an `i128`.
///
/// # Examples
///
/// ```
/// use rustensor_fixed::wide::div_shift;
/// // 1/3 with 64 fractional bits.
/// assert_eq!(div_shift(1, 3, 64), Some(((1i128 << 64) - 1) / 3));
/// assert_eq!(div_shift(-7, 2, 0), Some(-3));
/// assert_eq!(div_shift(1, 0, 64), None);
/// ```
pub fn div_shift(a: i128, b: i128, shift: u32) -> Option<i128> {
    if b == 0 {
        return None;
    }
    let negative = (a < 0) != (b < 0);
    let num = a.unsigned_abs();
    let den = b.unsigned_abs();
    let mut q = num / den;
    let mut r = num % den;
    for _ in 0..shift {
        // q must not lose its top bit when shifted left.
        if q >> 127 != 0 {
            return None;
        }
        q <<= 1;
        // r < den <= 2^127, so 2r < 2^128 fits.
        r <<= 1;
        if r >= den {
            r -= den;
            q |= 1;
        }
    }
    if negative {
        // Magnitudes up to 2^127 are representable as a negative i128.
        if q > 1u128 << 127 { None } else { Some((q as i128).wrapping_neg()) }
    } else {
        i128::try_from(q).ok()
    }
}

/// Multiplies two `i128` values exactly and shifts the 256-bit product right by `shift` bits
/// (an arithmetic shift: floor toward −∞).
///
/// Returns `None` if the shifted result does not fit in an `i128`.
pub fn mul_shift(a: i128, b: i128, shift: u32) -> Option<i128> {
    debug_assert!(shift < 128);
    let negative = (a < 0) != (b < 0) && a != 0 && b != 0;
    let (hi, lo) = mul_u128(a.unsigned_abs(), b.unsigned_abs());
    // Magnitude of the product, as (hi, lo) 256 bits. Shift right, remembering lost bits to
    // turn truncation of a negative magnitude into floor.
    let (mut shi, mut slo) = if shift == 0 {
        (hi, lo)
    } else {
        (hi >> shift, (lo >> shift) | (hi << (128 - shift)))
    };
    let lost = if shift == 0 { false } else { lo & ((1u128 << shift) - 1) != 0 };
    if negative && lost {
        // floor of a negative value = −(truncated magnitude + 1)
        let (nlo, carry) = slo.overflowing_add(1);
        slo = nlo;
        if carry {
            shi = shi.wrapping_add(1);
        }
    }
    if shi != 0 {
        return None;
    }
    if negative {
        if slo > 1u128 << 127 { None } else { Some((slo as i128).wrapping_neg()) }
    } else {
        i128::try_from(slo).ok()
    }
}

/// Full 128×128 → 256-bit unsigned multiplication, returned as `(high, low)`.
fn mul_u128(a: u128, b: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (a1, a0) = (a >> 64, a & MASK);
    let (b1, b0) = (b >> 64, b & MASK);
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    // middle = p01 + p10 + (p00 >> 64), may need 129 bits
    let (mid, carry1) = p01.overflowing_add(p10);
    let (mid, carry2) = mid.overflowing_add(p00 >> 64);
    let carries = (carry1 as u128) + (carry2 as u128);
    let lo = (mid << 64) | (p00 & MASK);
    let hi = p11 + (mid >> 64) + (carries << 64);
    (hi, lo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;
    use num_traits::{Signed, ToPrimitive, Zero};
    use proptest::prelude::*;

    fn big_div_shift(a: i128, b: i128, shift: u32) -> Option<i128> {
        if b == 0 {
            return None;
        }
        let n = BigInt::from(a) << shift;
        let d = BigInt::from(b);
        // BigInt division truncates toward zero, as Rust's does.
        (n / d).to_i128()
    }

    fn big_mul_shift(a: i128, b: i128, shift: u32) -> Option<i128> {
        let p = BigInt::from(a) * BigInt::from(b);
        let d = BigInt::from(1) << shift;
        // floor division
        let q = if p.is_negative() && !(&p % &d).is_zero() { &p / &d - 1 } else { &p / &d };
        q.to_i128()
    }

    #[test]
    fn test_div_shift_edges() {
        assert_eq!(div_shift(i128::MIN, 1, 0), Some(i128::MIN));
        assert_eq!(div_shift(i128::MIN, -1, 0), None);
        assert_eq!(div_shift(i128::MAX, 1, 1), None);
        assert_eq!(div_shift(0, 5, 64), Some(0));
        assert_eq!(div_shift(-1, 3, 64), big_div_shift(-1, 3, 64));
    }

    #[test]
    fn test_mul_shift_edges() {
        assert_eq!(mul_shift(-1, 1, 32), Some(-1));
        assert_eq!(mul_shift(1, 1, 32), Some(0));
        assert_eq!(mul_shift(i128::MAX, i128::MAX, 64), None);
        assert_eq!(mul_shift(i128::MIN, 1, 0), Some(i128::MIN));
    }

    proptest! {
        #[test]
        fn test_div_shift_matches_bigint(a in any::<i128>(), b in any::<i128>(), shift in 0u32..=64) {
            prop_assert_eq!(div_shift(a, b, shift), big_div_shift(a, b, shift));
        }

        #[test]
        fn test_div_shift_small_values_match_bigint(a in -1_000_000i128..1_000_000, b in -1000i128..1000, shift in 0u32..=64) {
            prop_assert_eq!(div_shift(a, b, shift), big_div_shift(a, b, shift));
        }

        #[test]
        fn test_mul_shift_matches_bigint(a in any::<i128>(), b in any::<i128>(), shift in 0u32..128) {
            prop_assert_eq!(mul_shift(a, b, shift), big_mul_shift(a, b, shift));
        }

        #[test]
        fn test_mul_shift_small_values_match_bigint(a in any::<i64>(), b in any::<i64>(), shift in 0u32..128) {
            prop_assert_eq!(mul_shift(a as i128, b as i128, shift), big_mul_shift(a as i128, b as i128, shift));
        }
    }
}
