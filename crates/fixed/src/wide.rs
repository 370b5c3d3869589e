//! Exact shifted division `trunc((a << shift) / b)` for 128-bit containers.
//!
//! `I64F64` division needs a 192-bit intermediate (`a << 64` with `a` an `i128`), which no
//! primitive type holds. Instead of a big-integer type we do what long division on paper does:
//! divide the integer part once, then produce the `shift` fractional quotient bits one at a
//! time from the running remainder. The remainder always stays below the divisor, so it never
//! needs more than 128 bits.

/// The full 256-bit product of two `u128`s, as `(high, low)` halves.
pub fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (a1, a0) = (a >> 64, a & MASK);
    let (b1, b0) = (b >> 64, b & MASK);
    // Each partial product of 64-bit limbs fits in 128 bits.
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    // Middle column: three terms below 2^64 each, so the sum fits in 128 bits.
    let mid = (p00 >> 64) + (p01 & MASK) + (p10 & MASK);
    let low = (p00 & MASK) | (mid << 64);
    let high = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (high, low)
}

/// Computes `floor(a · b / c)` without overflow in the intermediate product: the share-pool
/// and AMM arithmetic of the runtime (`shares · value / total`, `x · Δy / (y + Δy)`).
///
/// Returns `None` when `c == 0` or when the quotient does not fit in a `u128`.
///
/// # Examples
///
/// ```
/// use rustensor_fixed::wide::mul_div_floor;
/// assert_eq!(mul_div_floor(u128::MAX, u128::MAX, u128::MAX), Some(u128::MAX));
/// assert_eq!(mul_div_floor(7, 3, 2), Some(10));
/// assert_eq!(mul_div_floor(1, 1, 0), None);
/// assert_eq!(mul_div_floor(u128::MAX, 2, 1), None);
/// ```
pub fn mul_div_floor(a: u128, b: u128, c: u128) -> Option<u128> {
    if c == 0 {
        return None;
    }
    let (high, low) = mul_wide(a, b);
    if high == 0 {
        return Some(low / c);
    }
    if high >= c {
        return None;
    }
    // Long division of (high, low) by c, one quotient bit per step; the remainder stays below
    // c except for the carried-out top bit, handled by a wrapping subtraction.
    let mut rem = high;
    let mut q: u128 = 0;
    for i in (0..128).rev() {
        let carry = rem >> 127;
        rem = (rem << 1) | ((low >> i) & 1);
        q <<= 1;
        if carry == 1 || rem >= c {
            rem = rem.wrapping_sub(c);
            q |= 1;
        }
    }
    Some(q)
}

/// Computes `ceil(a · b / c)`; `None` as [`mul_div_floor`].
pub fn mul_div_ceil(a: u128, b: u128, c: u128) -> Option<u128> {
    let q = mul_div_floor(a, b, c)?;
    let (high, low) = mul_wide(a, b);
    let (ph, pl) = mul_wide(q, c);
    if (ph, pl) == (high, low) { Some(q) } else { q.checked_add(1) }
}

/// The integer square root `floor(sqrt(v))`.
pub fn isqrt(v: u128) -> u128 {
    if v < 2 {
        return v;
    }
    // Newton's method from a power-of-two guess above the root; decreasing until it settles.
    let bits = 128 - v.leading_zeros();
    let mut x: u128 = 1 << bits.div_ceil(2);
    loop {
        let y = (x + v / x) >> 1;
        if y >= x {
            return x;
        }
        x = y;
    }
}

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
    let (mut shi, mut slo) =
        if shift == 0 { (hi, lo) } else { (hi >> shift, (lo >> shift) | (hi << (128 - shift))) };
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

/// A divisor prepared for many exact truncating fixed-point divisions by the same value, as
/// the epoch's normalisations do (every element of a row or column divided by its sum).
///
/// `divide(v)` returns exactly what [`crate::I32F32::safe_div_by_bits`] returns, i.e.
/// `trunc((v << 32) / d)`, or 0 when `d` is zero or the quotient overflows. For non-negative
/// `v` and positive `d` it multiplies by a precomputed reciprocal `m = ⌊(2¹²⁸−1)/d⌋` instead
/// of dividing: `q̂ = ⌊N·m / 2¹²⁸⌋` is at most 2 below the true quotient (N < 2¹²⁸) and never
/// above it, and is corrected upward until the remainder is below `d`.
#[derive(Clone, Copy, Debug)]
pub struct Divisor {
    d: i128,
    m: u128,
}

impl Divisor {
    /// Prepares `d`, a raw-bit sum with 32 fractional bits (one 128-bit division).
    #[inline]
    pub fn new(d: i128) -> Self {
        let m = if d > 0 { u128::MAX / d as u128 } else { 0 };
        Self { d, m }
    }

    /// The prepared divisor.
    #[inline]
    pub fn get(&self) -> i128 {
        self.d
    }

    /// `trunc((v << 32) / d)`, or 0 when `d` is zero or the quotient does not fit an `i64`.
    #[inline]
    pub fn divide(&self, v: i64) -> i64 {
        if self.d == 0 {
            return 0;
        }
        if v < 0 || self.d < 0 {
            let q = (i128::from(v) << 32) / self.d;
            return i64::try_from(q).unwrap_or(0);
        }
        let n = (v as u128) << 32;
        let d = self.d as u128;
        // q̂ = ⌊n·m / 2¹²⁸⌋ = ⌊v·m / 2⁹⁶⌋, from two 64×64-bit products:
        // v·m = v·m_hi·2⁶⁴ + v·m_lo, and ⌊(a + f)/k⌋ = ⌊(a + ⌊f⌋)/k⌋ for integer a.
        // None of the operations below can wrap (bounds in the comments); wrapping forms keep
        // release builds, which check overflow, free of redundant checks in this hot path.
        let v = v as u64;
        // 64×64-bit products fit a u128.
        let lo = u128::from(v).wrapping_mul(u128::from(self.m as u64)) >> 64;
        let hi = u128::from(v).wrapping_mul(u128::from((self.m >> 64) as u64));
        // hi < 2¹²⁸⁻⁶⁴⁺⁶³ = 2¹²⁷ (v < 2⁶³) and lo < 2⁶⁴.
        let mut q = hi.wrapping_add(lo) >> 32;
        // q̂ ≤ n/d, so q̂·d ≤ n < 2⁹⁵: no overflow, no underflow. When both fit in 64 bits
        // (the usual case: sums near 1.0 and quotients ≤ 1.0) it is one 64×64 multiply.
        let qd = match (u64::try_from(q), u64::try_from(d)) {
            (Ok(q64), Ok(d64)) => u128::from(q64).wrapping_mul(u128::from(d64)),
            _ => q.wrapping_mul(d),
        };
        let mut r = n.wrapping_sub(qd);
        // At most two corrections; q stays ≤ n/d < 2⁹⁵ and r ≥ d before each subtraction.
        while r >= d {
            q = q.wrapping_add(1);
            r = r.wrapping_sub(d);
        }
        i64::try_from(q).unwrap_or(0)
    }
}

/// Full 128×128 → 256-bit unsigned multiplication, returned as `(high, low)`.
fn mul_u128(a: u128, b: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (a1, a0) = ((a >> 64) as u64, a as u64);
    let (b1, b0) = ((b >> 64) as u64, b as u64);
    let wide = |x: u64, y: u64| u128::from(x) * u128::from(y);
    let p00 = wide(a0, b0);
    let p01 = wide(a0, b1);
    let p10 = wide(a1, b0);
    let p11 = wide(a1, b1);
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

    fn any_u128() -> impl Strategy<Value = u128> {
        prop_oneof![any::<u128>(), any::<u64>().prop_map(u128::from), 0u128..1000]
    }

    proptest! {
        #[test]
        fn test_mul_div_matches_bigint(a in any_u128(), b in any_u128(), c in any_u128()) {
            use num_bigint::BigUint;
            let expect = |round_up: bool| {
                if c == 0 { return None; }
                let p = BigUint::from(a) * BigUint::from(b);
                let d = BigUint::from(c);
                let mut q = &p / &d;
                if round_up && !(&p % &d).is_zero() { q += 1u32; }
                q.to_u128()
            };
            prop_assert_eq!(mul_div_floor(a, b, c), expect(false));
            prop_assert_eq!(mul_div_ceil(a, b, c), expect(true));
        }

        #[test]
        fn test_isqrt_is_the_floor_root(v in any_u128()) {
            let r = isqrt(v);
            prop_assert!(r.checked_mul(r).is_some_and(|sq| sq <= v));
            prop_assert!((r + 1).checked_mul(r + 1).is_none_or(|sq| sq > v));
        }
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

    fn slow_divide(v: i64, d: i128) -> i64 {
        if d == 0 {
            return 0;
        }
        i64::try_from((i128::from(v) << 32) / d).unwrap_or(0)
    }

    #[test]
    fn test_divisor_edges() {
        for d in [
            1i128,
            2,
            3,
            65535,
            (1 << 32) - 1,
            1 << 32,
            (1 << 32) + 1,
            1 << 64,
            i128::MAX,
            -1,
            -(1 << 32),
            0,
        ] {
            let div = Divisor::new(d);
            for v in [0i64, 1, 2, 3, (1 << 32) - 1, 1 << 32, i64::MAX, i64::MIN, -1, 65535 << 32] {
                assert_eq!(div.divide(v), slow_divide(v, d), "v={v} d={d}");
            }
        }
    }

    proptest! {
        #[test]
        fn test_divisor_equals_plain_division(v in any::<i64>(), d in any::<i128>()) {
            prop_assert_eq!(Divisor::new(d).divide(v), slow_divide(v, d));
        }

        #[test]
        fn test_divisor_equals_plain_division_for_sums(v in 0i64..(1i64 << 50), d in 1i128..(1i128 << 70)) {
            prop_assert_eq!(Divisor::new(d).divide(v), slow_divide(v, d));
        }

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
