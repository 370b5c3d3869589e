//! `I32F32`: a signed number with 32 integer and 32 fractional bits in an `i64`.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

/// A signed fixed-point number with 32 fractional bits, stored in an `i64`
/// (value = bits / 2³²), with substrate-fixed 0.6.0 rounding.
///
/// Wire format: SCALE-encoded as its `i64` bits, as substrate-fixed encodes `I32F32`.
#[derive(
    Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode, MaxEncodedLen,
)]
pub struct I32F32(i64);

const FRAC: u32 = 32;

/// floor(e · 2²³): substrate-fixed's `E` constant, as the `I9F23` its `exp` returns for 1.0.
const E_I9F23: i64 = 22_802_600;

impl I32F32 {
    /// Number of fractional bits.
    pub const FRAC_BITS: u32 = FRAC;
    /// 0.
    pub const ZERO: Self = Self(0);
    /// 1.
    pub const ONE: Self = Self(1 << FRAC);
    /// ½.
    pub const HALF: Self = Self(1 << (FRAC - 1));
    /// The largest value, just below 2³¹.
    pub const MAX: Self = Self(i64::MAX);
    /// The smallest value, −2³¹.
    pub const MIN: Self = Self(i64::MIN);
    /// The smallest positive value, 2⁻³².
    pub const DELTA: Self = Self(1);

    /// Builds a number from its raw bits (value = bits / 2³²).
    #[inline]
    pub const fn from_bits(bits: i64) -> Self {
        Self(bits)
    }

    /// The raw bits (value × 2³²).
    #[inline]
    pub const fn to_bits(self) -> i64 {
        self.0
    }

    /// Converts an integer exactly, saturating to the range [−2³¹, 2³¹).
    #[inline]
    pub const fn from_num(v: i64) -> Self {
        if v > i32::MAX as i64 {
            Self::MAX
        } else if v < i32::MIN as i64 {
            Self::MIN
        } else {
            Self(v << FRAC)
        }
    }

    /// Converts a `u16` exactly (always in range).
    #[inline]
    pub const fn from_u16(v: u16) -> Self {
        Self((v as i64) << FRAC)
    }

    /// Converts a `u64`, saturating to [`I32F32::MAX`] when it exceeds the integer range.
    #[inline]
    pub const fn saturating_from_u64(v: u64) -> Self {
        if v > i32::MAX as u64 { Self::MAX } else { Self((v as i64) << FRAC) }
    }

    /// `v / 65535` with truncating division: the chain's reading of a `u16` proportion
    /// (Yuma-3 bonds, kappa, bonds penalty, alpha bounds). 65535 gives exactly 1.
    #[inline]
    pub const fn from_proportion_u16(v: u16) -> Self {
        // (v << 32 << 32) / (65535 << 32): the numerator fits in an i128.
        let num = ((v as i128) << FRAC) << FRAC;
        let den = (u16::MAX as i128) << FRAC;
        Self((num / den) as i64)
    }

    /// Whether the value is exactly zero.
    #[inline]
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Whether the value is strictly negative.
    #[inline]
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Absolute value, saturating `MIN` to `MAX`.
    #[inline]
    pub const fn saturating_abs(self) -> Self {
        Self(self.0.saturating_abs())
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

    /// Addition, `None` on overflow.
    #[inline]
    pub const fn checked_add(self, rhs: Self) -> Option<Self> {
        match self.0.checked_add(rhs.0) {
            Some(v) => Some(Self(v)),
            None => None,
        }
    }

    /// Subtraction, `None` on overflow.
    #[inline]
    pub const fn checked_sub(self, rhs: Self) -> Option<Self> {
        match self.0.checked_sub(rhs.0) {
            Some(v) => Some(Self(v)),
            None => None,
        }
    }

    /// The exact product shifted right by 32 bits (floor toward −∞), before any range check.
    const fn wide_mul(self, rhs: Self) -> i128 {
        // |a·b| ≤ 2¹²⁶ for i64 operands: the i128 product never wraps.
        (self.0 as i128).wrapping_mul(rhs.0 as i128) >> FRAC
    }

    /// Multiplication rounded down (floor), clamped to the container's range.
    #[inline]
    pub const fn saturating_mul(self, rhs: Self) -> Self {
        Self(clamp_i64(self.wide_mul(rhs)))
    }

    /// Multiplication rounded down (floor), `None` on overflow.
    #[inline]
    pub const fn checked_mul(self, rhs: Self) -> Option<Self> {
        let p = self.wide_mul(rhs);
        if p > i64::MAX as i128 || p < i64::MIN as i128 { None } else { Some(Self(p as i64)) }
    }

    /// Division truncated toward zero, `None` when `rhs` is zero or the quotient overflows.
    #[inline]
    pub const fn checked_div(self, rhs: Self) -> Option<Self> {
        if rhs.0 == 0 {
            return None;
        }
        let q = ((self.0 as i128) << FRAC) / rhs.0 as i128;
        if q > i64::MAX as i128 || q < i64::MIN as i128 { None } else { Some(Self(q as i64)) }
    }

    /// subtensor's safe-math division: truncated toward zero, and `0` when `rhs` is zero or
    /// the quotient overflows.
    #[inline]
    pub const fn safe_div(self, rhs: Self) -> Self {
        match self.checked_div(rhs) {
            Some(q) => q,
            None => Self::ZERO,
        }
    }

    /// Division truncated toward zero, clamped to the container's range. Division by zero
    /// gives `MAX` for a non-negative dividend and `MIN` otherwise (substrate-fixed panics;
    /// the epoch never divides by zero here).
    #[inline]
    pub const fn saturating_div(self, rhs: Self) -> Self {
        if rhs.0 == 0 {
            return if self.0 >= 0 { Self::MAX } else { Self::MIN };
        }
        let q = ((self.0 as i128) << FRAC) / rhs.0 as i128;
        Self(clamp_i64(q))
    }

    /// Divides by a sum of raw bits that may exceed the container (sums in the epoch are
    /// exact): `trunc((self << 32) / sum)`, and `0` when `sum` is zero or the quotient does not
    /// fit. Equal to [`I32F32::safe_div`] whenever `sum` fits in an `I32F32`.
    #[inline]
    pub const fn safe_div_by_bits(self, sum: i128) -> Self {
        if sum == 0 {
            return Self::ZERO;
        }
        let q = ((self.0 as i128) << FRAC) / sum;
        if q > i64::MAX as i128 || q < i64::MIN as i128 { Self::ZERO } else { Self(q as i64) }
    }

    /// [`I32F32::safe_div_by_bits`] by a prepared divisor: the same bits, faster when many
    /// values are divided by one sum.
    #[inline]
    pub fn safe_div_by(self, divisor: &crate::wide::Divisor) -> Self {
        Self(divisor.divide(self.0))
    }

    /// Floor to an integer, clamped to `[0, 65535]`.
    #[inline]
    pub const fn saturating_to_u16(self) -> u16 {
        let v = self.0 >> FRAC;
        if v < 0 {
            0
        } else if v > u16::MAX as i64 {
            u16::MAX
        } else {
            v as u16
        }
    }

    /// Floor to an integer, clamped to `[0, u64::MAX]`.
    #[inline]
    pub const fn saturating_to_u64(self) -> u64 {
        let v = self.0 >> FRAC;
        if v < 0 { 0 } else { v as u64 }
    }

    /// subtensor's `fixed_proportion_to_u16`: `floor(self × 65535)` clamped to `[0, 65535]`,
    /// so 1 → 65535, ½ → 32767 and ⅓ → 21844.
    #[inline]
    pub const fn to_proportion_u16(self) -> u16 {
        self.saturating_mul(Self::from_u16(u16::MAX)).saturating_to_u16()
    }

    /// The smaller of two values.
    #[inline]
    pub fn min(self, other: Self) -> Self {
        Ord::min(self, other)
    }

    /// The larger of two values.
    #[inline]
    pub fn max(self, other: Self) -> Self {
        Ord::max(self, other)
    }

    /// `e^x` as the chain computes it for liquid alpha: the input is clamped to [−20, 20],
    /// then [`I32F32::checked_exp`] is evaluated; an overflow gives 0 for `x ≤ 0` and
    /// [`I32F32::MAX`] otherwise.
    #[inline]
    pub fn exp_safe(self) -> Self {
        let lo = Self::from_num(-20);
        let hi = Self::from_num(20);
        let x = if self < lo {
            lo
        } else if self > hi {
            hi
        } else {
            self
        };
        match x.checked_exp() {
            Some(r) => r,
            None => {
                if x.0 <= 0 {
                    Self::ZERO
                } else {
                    Self::MAX
                }
            }
        }
    }

    /// [`I32F32::exp_safe`] of every element of `xs`, written to `out` (same length); the
    /// results are bit-identical to calling `exp_safe` on each.
    ///
    /// After clamping to [−20, 20] no step of the series can overflow (every term stays below
    /// 2⁵⁸ and the sum below e²⁰·2³² < 2⁶¹), so four inputs are expanded in lockstep without
    /// per-lane overflow checks. The four independent dependency chains let the CPU overlap
    /// their multiplications, which a single chain cannot.
    ///
    /// # Panics
    ///
    /// If `out` is shorter than `xs`.
    pub fn exp_safe_batch(xs: &[Self], out: &mut [Self]) {
        const LANES: usize = 4;
        let lo = Self::from_num(-20).0;
        let hi = Self::from_num(20).0;
        let out = &mut out[..xs.len()];
        for (xc, oc) in xs.chunks(LANES).zip(out.chunks_mut(LANES)) {
            let mut x = [0u64; LANES];
            for (k, v) in xc.iter().enumerate() {
                x[k] = v.0.clamp(lo, hi).unsigned_abs();
            }
            let mut term = x;
            // |x| ≤ 20·2³², so 1 + x fits easily.
            let mut result = x.map(|v| v.wrapping_add(Self::ONE.0 as u64));
            // Terms i = 2..=31 in lockstep. Bounds (x ≤ 20): term·x < 2¹²⁸ trivially (both
            // < 2⁶⁴); (term·x) >> 32 < 2⁶²; every term < 2⁵⁸ and the running sum < 2⁶¹, so the
            // wrapping operations below never wrap. They stop once every lane's term is zero
            // (later terms of a zero term are zero).
            macro_rules! lockstep_terms {
                ($done:lifetime; $($i:literal)*) => {$(
                    let mut any = 0u64;
                    for k in 0..LANES {
                        let p = u128::from(term[k]).wrapping_mul(u128::from(x[k])) >> FRAC;
                        term[k] = (p as u64) / $i;
                        result[k] = result[k].wrapping_add(term[k]);
                        any |= term[k];
                    }
                    if any == 0 {
                        break $done;
                    }
                )*};
            }
            'done: {
                lockstep_terms!('done; 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31);
            }
            for (k, (v, o)) in xc.iter().zip(oc.iter_mut()).enumerate() {
                *o = if v.0 == 0 {
                    Self::ONE
                } else if *v == Self::ONE {
                    Self(E_I9F23 << (FRAC - 23))
                } else if v.0 < 0 {
                    // result ≥ 1, so 1/result is in (0, 1]: never overflows.
                    Self(((1u128 << (2 * FRAC)) / u128::from(result[k])) as i64)
                } else {
                    Self(result[k] as i64)
                };
            }
        }
    }

    /// substrate-fixed's Taylor-series `exp`, reproduced exactly (`reference/yuma.md` §2):
    ///
    /// * `exp(0) = 1`, and `exp(1)` is the constant `e` at 23-bit precision (22802600 / 2²³);
    /// * otherwise `1 + |x| + Σ_{i=2}^{31} term_i` with
    ///   `term_i = trunc(floor(term_{i−1} · |x|) / i)`, all in `I32F32`;
    /// * for `x < 0` the result is `1 / exp(|x|)` with truncating division.
    ///
    /// Returns `None` when any step overflows.
    pub fn checked_exp(self) -> Option<Self> {
        if self.0 == 0 {
            return Some(Self::ONE);
        }
        if self == Self::ONE {
            return Some(Self(E_I9F23 << (FRAC - 23)));
        }
        let negative = self.0 < 0;
        let x = if negative { Self(self.0.checked_neg()?) } else { self };
        let mut result = x.checked_add(Self::ONE)?;
        let mut term = x.0;
        // Terms i = 2..=31: term · x floored, then divided by the fixed-point integer i.
        // `(term << 32) / (i << 32)` equals `term / i` exactly, so plain i64 division by a
        // constant gives the same bits (and compiles to a multiplication). x ≥ 0 here, so once
        // a term is zero every later term is zero too and the loop may stop.
        macro_rules! taylor_terms {
            ($($i:literal)*) => {$(
                let p = (term as i128 * x.0 as i128) >> FRAC;
                term = i64::try_from(p).ok()? / $i;
                result = result.checked_add(Self(term))?;
                if term == 0 {
                    return finish(result, negative);
                }
            )*};
        }
        const fn finish(result: I32F32, negative: bool) -> Option<I32F32> {
            if negative { I32F32::ONE.checked_div(result) } else { Some(result) }
        }
        taylor_terms!(2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31);
        finish(result, negative)
    }
}

const fn clamp_i64(v: i128) -> i64 {
    if v > i64::MAX as i128 {
        i64::MAX
    } else if v < i64::MIN as i128 {
        i64::MIN
    } else {
        v as i64
    }
}

crate::display::impl_fmt!(I32F32, FRAC);

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;
    use num_rational::BigRational;
    use num_traits::{ToPrimitive, Zero};
    use proptest::prelude::*;

    fn rat(x: I32F32) -> BigRational {
        BigRational::new(BigInt::from(x.to_bits()), BigInt::from(1u64 << 32))
    }

    /// Bits of floor(r · 2³²), or None if out of range.
    fn floor_bits(r: &BigRational) -> Option<i64> {
        (r * BigInt::from(1u64 << 32)).floor().to_integer().to_i64()
    }

    /// Bits of trunc(r · 2³²), or None if out of range.
    fn trunc_bits(r: &BigRational) -> Option<i64> {
        (r * BigInt::from(1u64 << 32)).trunc().to_integer().to_i64()
    }

    fn arb() -> impl Strategy<Value = I32F32> {
        prop_oneof![
            any::<i64>().prop_map(I32F32::from_bits),
            (-(1i64 << 34)..(1i64 << 34)).prop_map(I32F32::from_bits),
            (0u16..=u16::MAX).prop_map(I32F32::from_u16),
            Just(I32F32::ZERO),
            Just(I32F32::ONE),
            Just(I32F32::MAX),
            Just(I32F32::MIN),
        ]
    }

    #[test]
    fn test_proportion_u16_known_values() {
        assert_eq!(I32F32::ONE.to_proportion_u16(), 65535);
        assert_eq!(I32F32::HALF.to_proportion_u16(), 32767);
        assert_eq!(I32F32::ONE.safe_div(I32F32::from_num(3)).to_proportion_u16(), 21844);
        assert_eq!(I32F32::from_num(2).to_proportion_u16(), 65535);
        assert_eq!(I32F32::from_num(-1).to_proportion_u16(), 0);
    }

    #[test]
    fn test_from_proportion_u16_known_values() {
        assert_eq!(I32F32::from_proportion_u16(65535), I32F32::ONE);
        assert_eq!(I32F32::from_proportion_u16(0), I32F32::ZERO);
        // 32767/65535 = 0.4999923704...
        assert_eq!(I32F32::from_proportion_u16(32767).to_bits(), (32767i128 << 32) as i64 / 65535);
        assert!(I32F32::from_proportion_u16(32767) < I32F32::HALF);
    }

    #[test]
    fn test_safe_div_by_zero_is_zero() {
        assert_eq!(I32F32::ONE.safe_div(I32F32::ZERO), I32F32::ZERO);
        assert_eq!(I32F32::MAX.safe_div(I32F32::DELTA), I32F32::ZERO);
        assert_eq!(I32F32::ONE.checked_div(I32F32::ZERO), None);
    }

    /// substrate-fixed's loop as written: every step in fixed point, all 30 terms.
    fn exp_literal(x: I32F32) -> Option<I32F32> {
        if x.is_zero() {
            return Some(I32F32::ONE);
        }
        if x == I32F32::ONE {
            return Some(I32F32::from_bits(22_802_600 << 9));
        }
        let neg = x.is_negative();
        let x = if neg { I32F32::from_bits(x.to_bits().checked_neg()?) } else { x };
        let mut result = x.checked_add(I32F32::ONE)?;
        let mut term = x;
        for i in 2..32 {
            term = term.checked_mul(x)?;
            term = term.checked_div(I32F32::from_num(i))?;
            result = result.checked_add(term)?;
        }
        if neg { I32F32::ONE.checked_div(result) } else { Some(result) }
    }

    proptest! {
        #[test]
        fn test_exp_equals_literal_taylor_loop(a in -(24i64 << 32)..(24i64 << 32)) {
            let x = I32F32::from_bits(a);
            prop_assert_eq!(x.checked_exp(), exp_literal(x));
        }
    }

    proptest! {
        #[test]
        fn test_exp_batch_equals_scalar(xs in proptest::collection::vec(any::<i64>(), 0..11)) {
            let xs: Vec<I32F32> = xs.into_iter().map(I32F32::from_bits).collect();
            let mut out = vec![I32F32::ZERO; xs.len()];
            I32F32::exp_safe_batch(&xs, &mut out);
            let want: Vec<I32F32> = xs.iter().map(|x| x.exp_safe()).collect();
            prop_assert_eq!(out, want);
        }

        #[test]
        fn test_exp_batch_equals_scalar_in_sigmoid_range(xs in proptest::collection::vec(-(6i64 << 32)..(6i64 << 32), 0..11)) {
            let xs: Vec<I32F32> = xs.into_iter().map(I32F32::from_bits).collect();
            let mut out = vec![I32F32::ZERO; xs.len()];
            I32F32::exp_safe_batch(&xs, &mut out);
            let want: Vec<I32F32> = xs.iter().map(|x| x.exp_safe()).collect();
            prop_assert_eq!(out, want);
        }
    }

    #[test]
    fn test_exp_batch_special_values() {
        let xs = [
            I32F32::ZERO,
            I32F32::ONE,
            I32F32::from_num(-1),
            I32F32::MAX,
            I32F32::MIN,
            I32F32::from_num(20),
            I32F32::from_num(-20),
            I32F32::DELTA,
            I32F32::from_bits(-1),
        ];
        let mut out = [I32F32::ZERO; 9];
        I32F32::exp_safe_batch(&xs, &mut out);
        for (x, o) in xs.iter().zip(out) {
            assert_eq!(o, x.exp_safe(), "x = {x}");
        }
    }

    #[test]
    fn test_exp_equals_literal_taylor_loop_on_grid() {
        let mut x = -(22i64 << 32);
        while x < (22i64 << 32) {
            let v = I32F32::from_bits(x);
            assert_eq!(v.checked_exp(), exp_literal(v), "x = {v}");
            x += 0x1234_5679;
        }
    }

    #[test]
    fn test_exp_special_cases() {
        assert_eq!(I32F32::ZERO.checked_exp(), Some(I32F32::ONE));
        assert_eq!(I32F32::ONE.checked_exp(), Some(I32F32::from_bits(22_802_600 << 9)));
        // Large inputs overflow the Taylor sum; the safe form saturates.
        assert_eq!(I32F32::from_num(30).checked_exp(), None);
        assert_eq!(I32F32::from_num(30).exp_safe(), I32F32::from_num(20).exp_safe());
        assert!(I32F32::from_num(-20).exp_safe() >= I32F32::ZERO);
    }

    #[test]
    fn test_exp_close_to_real_exponential() {
        // The Taylor series is accurate to a few ulps for moderate inputs.
        for (x_bits, expect) in [(1i64 << 31, 1.6487212707f64), (-(1i64 << 32), 0.36787944117)] {
            let got = I32F32::from_bits(x_bits).checked_exp().unwrap().to_bits() as f64
                / (1u64 << 32) as f64;
            assert!((got - expect).abs() < 1e-6, "exp({x_bits}) = {got}, want {expect}");
        }
    }

    #[test]
    fn test_display_is_exact_decimal() {
        assert_eq!(I32F32::HALF.to_string(), "0.5");
        assert_eq!(I32F32::from_num(-3).to_string(), "-3");
        assert_eq!(I32F32::DELTA.to_string(), "0.00000000023283064365386962890625");
        assert_eq!(I32F32::from_bits(-(1 << 30)).to_string(), "-0.25");
    }

    #[test]
    fn test_scale_encodes_raw_bits() {
        let x = I32F32::from_bits(0x0102_0304_0506_0708);
        assert_eq!(x.encode(), 0x0102_0304_0506_0708i64.to_le_bytes().to_vec());
        assert_eq!(I32F32::decode(&mut &x.encode()[..]).unwrap(), x);
    }

    proptest! {
        #[test]
        fn test_mul_floors_exact_product(a in arb(), b in arb()) {
            let exact = rat(a) * rat(b);
            match floor_bits(&exact) {
                Some(bits) => {
                    prop_assert_eq!(a.checked_mul(b), Some(I32F32::from_bits(bits)));
                    prop_assert_eq!(a.saturating_mul(b), I32F32::from_bits(bits));
                }
                None => {
                    prop_assert_eq!(a.checked_mul(b), None);
                    let sat = if exact > BigRational::zero() { I32F32::MAX } else { I32F32::MIN };
                    prop_assert_eq!(a.saturating_mul(b), sat);
                }
            }
        }

        #[test]
        fn test_div_truncates_exact_quotient(a in arb(), b in arb()) {
            if b.is_zero() {
                prop_assert_eq!(a.checked_div(b), None);
                prop_assert_eq!(a.safe_div(b), I32F32::ZERO);
            } else {
                let exact = rat(a) / rat(b);
                match trunc_bits(&exact) {
                    Some(bits) => {
                        prop_assert_eq!(a.checked_div(b), Some(I32F32::from_bits(bits)));
                        prop_assert_eq!(a.safe_div(b), I32F32::from_bits(bits));
                        prop_assert_eq!(a.saturating_div(b), I32F32::from_bits(bits));
                        prop_assert_eq!(a.safe_div_by_bits(b.to_bits() as i128), I32F32::from_bits(bits));
                    }
                    None => {
                        prop_assert_eq!(a.checked_div(b), None);
                        prop_assert_eq!(a.safe_div(b), I32F32::ZERO);
                        let sat = if exact > BigRational::zero() { I32F32::MAX } else { I32F32::MIN };
                        prop_assert_eq!(a.saturating_div(b), sat);
                    }
                }
            }
        }

        #[test]
        fn test_add_sub_saturate(a in arb(), b in arb()) {
            let sum = a.to_bits() as i128 + b.to_bits() as i128;
            let diff = a.to_bits() as i128 - b.to_bits() as i128;
            prop_assert_eq!(a.saturating_add(b).to_bits() as i128, sum.clamp(i64::MIN as i128, i64::MAX as i128));
            prop_assert_eq!(a.saturating_sub(b).to_bits() as i128, diff.clamp(i64::MIN as i128, i64::MAX as i128));
            prop_assert_eq!(a.checked_add(b).is_some(), i64::try_from(sum).is_ok());
        }

        #[test]
        fn test_to_u16_floors_and_clamps(a in arb()) {
            let floor = rat(a).floor().to_integer();
            let expect = floor.to_i64().unwrap().clamp(0, 65535) as u16;
            prop_assert_eq!(a.saturating_to_u16(), expect);
        }

        #[test]
        fn test_proportion_roundtrip_is_floor(v in 0u16..=u16::MAX) {
            // u16 -> proportion truncates; proportion -> u16 floors. The round trip may lose one.
            let back = I32F32::from_proportion_u16(v).to_proportion_u16();
            prop_assert!(back == v || back + 1 == v);
            // and it is exactly floor(trunc(v/65535) * 65535)
            let p = rat(I32F32::from_proportion_u16(v));
            let expect = (p * BigInt::from(65535)).floor().to_integer().to_u16().unwrap();
            prop_assert_eq!(back, expect);
        }

        #[test]
        fn test_from_num_is_exact_or_saturates(v in any::<i64>()) {
            let x = I32F32::from_num(v);
            if v >= i32::MIN as i64 && v <= i32::MAX as i64 {
                prop_assert_eq!(rat(x), BigRational::from_integer(BigInt::from(v)));
            } else if v > 0 {
                prop_assert_eq!(x, I32F32::MAX);
            } else {
                prop_assert_eq!(x, I32F32::MIN);
            }
        }

        #[test]
        fn test_exp_safe_never_panics_and_is_monotone(a in -(25i64 << 32)..(25i64 << 32), d in 0i64..(1i64 << 28)) {
            let x = I32F32::from_bits(a);
            let y = I32F32::from_bits(a.saturating_add(d));
            let (ex, ey) = (x.exp_safe(), y.exp_safe());
            prop_assert!(ex >= I32F32::ZERO);
            // The series is monotone except at the exp(1) special constant, which is below the
            // series value; allow that single point.
            if x != I32F32::ONE && y != I32F32::ONE {
                prop_assert!(ex <= ey, "exp({}) = {} > exp({}) = {}", x, ex, y, ey);
            }
        }
    }
}
