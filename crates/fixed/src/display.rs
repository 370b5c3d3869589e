//! Exact decimal rendering of fixed-point bits.

use core::fmt;

/// Writes `bits / 2^frac` as an exact decimal: every binary fraction has a finite decimal
/// expansion (at most `frac` digits), so nothing is rounded. Trailing zeros are dropped.
pub(crate) fn write_exact(f: &mut fmt::Formatter<'_>, bits: i128, frac: u32) -> fmt::Result {
    let negative = bits < 0;
    let mag = bits.unsigned_abs();
    let int = mag >> frac;
    let mut rem = mag & ((1u128 << frac) - 1);
    let mut s = String::new();
    if negative {
        s.push('-');
    }
    s.push_str(&int.to_string());
    if rem != 0 {
        s.push('.');
        // rem < 2^frac <= 2^64, so rem * 10 fits in a u128.
        while rem != 0 {
            rem *= 10;
            let digit = (rem >> frac) as u8;
            s.push((b'0' + digit) as char);
            rem &= (1u128 << frac) - 1;
        }
    }
    f.pad(&s)
}

/// `Debug` as `Type(value)` and `Display` as the exact decimal value, for a fixed-point type
/// whose raw bits have `$frac` fractional bits.
macro_rules! impl_fmt {
    ($ty:ident, $frac:expr) => {
        impl core::fmt::Debug for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{}({})", stringify!($ty), self)
            }
        }

        impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                crate::display::write_exact(f, i128::from(self.to_bits()), $frac)
            }
        }
    };
}
pub(crate) use impl_fmt;
