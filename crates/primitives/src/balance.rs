//! `Balance`, an amount of TAO counted in RAO (1 TAO = 10^9 RAO).
//!
//! Arithmetic is checked or saturating, never wrapping (ARCHITECTURE.md §2); there are no `+`/`-`
//! operators. Text conversions are exact decimal, never through floats.
//!
//! Wire format: SCALE-encodes as a plain `u64` of RAO (subtensor's `u64` balances and
//! `TaoCurrency`), and as `Compact<u64>` through `Compact<Balance>` where the chain uses compact
//! amounts (e.g. `Balances.transfer_keep_alive`'s `value`); changing it breaks clients.
//!
//! # Deviations from the Python SDK
//!
//! `Display` prints what bittensor's `Balance.__str__` prints (`τ1,234.500000000`) but exactly;
//! Python goes through a `float` and can be off in the last digits above about 10^7 TAO.

use core::fmt;
use core::str::FromStr;

use parity_scale_codec::{CompactAs, Decode, Encode, MaxEncodedLen};

use crate::error::{Error, Result};

/// An amount of TAO, held as a whole number of RAO.
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Encode,
    Decode,
    MaxEncodedLen,
    CompactAs,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Balance(u64);

impl Balance {
    /// RAO in one TAO.
    pub const RAO_PER_TAO: u64 = 1_000_000_000;
    /// Decimal places of a TAO amount.
    pub const DECIMALS: usize = 9;
    /// The TAO symbol, as bittensor prints it.
    pub const SYMBOL: char = 'τ';
    /// No TAO.
    pub const ZERO: Self = Self(0);
    /// The largest representable amount (u64::MAX RAO).
    pub const MAX: Self = Self(u64::MAX);

    /// An amount of RAO.
    pub const fn from_rao(rao: u64) -> Self {
        Self(rao)
    }

    /// The amount in RAO.
    pub const fn rao(self) -> u64 {
        self.0
    }

    /// A whole number of TAO; `None` if it exceeds `u64::MAX` RAO (about 1.8e10 TAO).
    pub const fn from_tao(tao: u64) -> Option<Self> {
        match tao.checked_mul(Self::RAO_PER_TAO) {
            Some(rao) => Some(Self(rao)),
            None => None,
        }
    }

    /// The whole TAO part (rounded down).
    pub const fn whole_tao(self) -> u64 {
        self.0 / Self::RAO_PER_TAO
    }

    /// The RAO below one TAO (0..10^9).
    pub const fn fractional_rao(self) -> u64 {
        self.0 % Self::RAO_PER_TAO
    }

    /// True for zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Sum, or `None` on overflow.
    pub const fn checked_add(self, other: Self) -> Option<Self> {
        match self.0.checked_add(other.0) {
            Some(rao) => Some(Self(rao)),
            None => None,
        }
    }

    /// Difference, or `None` if `other` is larger.
    pub const fn checked_sub(self, other: Self) -> Option<Self> {
        match self.0.checked_sub(other.0) {
            Some(rao) => Some(Self(rao)),
            None => None,
        }
    }

    /// Sum, clamped at [`Balance::MAX`].
    pub const fn saturating_add(self, other: Self) -> Self {
        Self(self.0.saturating_add(other.0))
    }

    /// Difference, clamped at zero.
    pub const fn saturating_sub(self, other: Self) -> Self {
        Self(self.0.saturating_sub(other.0))
    }

    /// Plain TAO decimal with exactly nine decimals, e.g. `1.500000000`.
    pub fn to_tao_string(self) -> String {
        format!("{}.{:09}", self.whole_tao(), self.fractional_rao())
    }

    /// Parses a TAO amount exactly: `[τ] INT [. FRAC]`, where INT is digits, optionally grouped
    /// by commas in threes (`1,234`), and FRAC is 1 to 9 digits. Surrounding whitespace is
    /// ignored. This accepts everything [`Balance`]'s `Display` and [`Balance::to_tao_string`]
    /// print.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidTaoAmount`] for a sign, an empty part, a misplaced comma, more than nine
    /// decimals, any other character, or an amount above `u64::MAX` RAO.
    pub fn parse_tao(input: &str) -> Result<Self> {
        let invalid =
            |reason: &'static str| Error::InvalidTaoAmount { input: input.to_owned(), reason };
        let s = input.trim();
        let s = s.strip_prefix(Self::SYMBOL).unwrap_or(s);
        let (int_part, frac_part) = match s.split_once('.') {
            Some((int_part, frac_part)) => (int_part, Some(frac_part)),
            None => (s, None),
        };

        let int_digits =
            strip_grouping(int_part).ok_or_else(|| invalid("misplaced thousands separator"))?;
        if int_digits.is_empty() {
            return Err(invalid("no digits before the decimal point"));
        }
        if !int_digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("expected only digits, commas and one decimal point"));
        }

        let frac_rao = match frac_part {
            None => 0,
            Some(frac) => {
                if frac.is_empty() {
                    return Err(invalid("no digits after the decimal point"));
                }
                if !frac.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(invalid("expected only digits after the decimal point"));
                }
                if frac.len() > Self::DECIMALS {
                    return Err(invalid("more than 9 decimals (1 rao = 0.000000001 tao)"));
                }
                // At most nine digits: fits in u64. Scale up to nine decimals.
                let digits: u64 = frac
                    .parse()
                    .map_err(|_| invalid("expected only digits after the decimal point"))?;
                let scale = 10u64.pow((Self::DECIMALS - frac.len()) as u32);
                digits * scale
            }
        };

        let too_large = || invalid("exceeds the largest balance (18446744073.709551615 tao)");
        let whole: u64 = int_digits.parse().map_err(|_| too_large())?;
        whole
            .checked_mul(Self::RAO_PER_TAO)
            .and_then(|rao| rao.checked_add(frac_rao))
            .map(Self)
            .ok_or_else(too_large)
    }
}

/// Removes well-formed thousands separators: "1,234,567" -> "1234567"; `None` if misplaced.
fn strip_grouping(int_part: &str) -> Option<String> {
    if !int_part.contains(',') {
        return Some(int_part.to_owned());
    }
    let mut groups = int_part.split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 {
        return None;
    }
    let mut out = first.to_owned();
    for group in groups {
        if group.len() != 3 {
            return None;
        }
        out.push_str(group);
    }
    Some(out)
}

/// Writes the whole TAO part with commas every three digits.
fn write_grouped(f: &mut fmt::Formatter<'_>, whole: u64) -> fmt::Result {
    let digits = whole.to_string();
    let first = digits.len() % 3;
    let (head, tail) = digits.split_at(first);
    f.write_str(head)?;
    for (i, chunk) in tail.as_bytes().chunks(3).enumerate() {
        if i > 0 || !head.is_empty() {
            f.write_str(",")?;
        }
        // Chunks of an ASCII digit string are ASCII.
        f.write_str(core::str::from_utf8(chunk).map_err(|_| fmt::Error)?)?;
    }
    Ok(())
}

/// Shows the amount as bittensor does: `τ` then TAO with thousands separators and nine
/// decimals, e.g. `τ1,234.500000000`.
impl fmt::Display for Balance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Self::SYMBOL)?;
        write_grouped(f, self.whole_tao())?;
        write!(f, ".{:09}", self.fractional_rao())
    }
}

/// Shows the RAO count and the TAO amount.
impl fmt::Debug for Balance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Balance({} rao = {} tao)", self.0, self.to_tao_string())
    }
}

/// Parses a TAO amount; see [`Balance::parse_tao`].
impl FromStr for Balance {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Self::parse_tao(s)
    }
}

impl From<Balance> for u64 {
    fn from(balance: Balance) -> Self {
        balance.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parity_scale_codec::Compact;
    use proptest::prelude::*;

    fn tao(s: &str) -> Balance {
        s.parse().expect("valid amount")
    }

    fn reason(s: &str) -> &'static str {
        match Balance::parse_tao(s) {
            Err(Error::InvalidTaoAmount { reason, .. }) => reason,
            other => panic!("expected an invalid amount for {s:?}, got {other:?}"),
        }
    }

    #[test]
    fn test_balance_display_matches_bittensor_format() {
        assert_eq!(Balance::from_rao(1_500_000_000).to_string(), "τ1.500000000");
        assert_eq!(Balance::ZERO.to_string(), "τ0.000000000");
        assert_eq!(Balance::from_rao(1).to_string(), "τ0.000000001");
        assert_eq!(Balance::from_rao(1_234_500_000_000).to_string(), "τ1,234.500000000");
        assert_eq!(Balance::from_rao(123_456_000_000_000).to_string(), "τ123,456.000000000");
        assert_eq!(
            Balance::from_tao(21_000_000).map(|b| b.to_string()),
            Some("τ21,000,000.000000000".into())
        );
        assert_eq!(Balance::MAX.to_string(), "τ18,446,744,073.709551615");
    }

    #[test]
    fn test_balance_to_tao_string_is_plain() {
        assert_eq!(Balance::from_rao(1_500_000_000).to_tao_string(), "1.500000000");
        assert_eq!(Balance::MAX.to_tao_string(), "18446744073.709551615");
    }

    #[test]
    fn test_balance_parse_is_exact() {
        assert_eq!(tao("1.5").rao(), 1_500_000_000);
        assert_eq!(tao("0.000000001").rao(), 1);
        assert_eq!(tao("1").rao(), 1_000_000_000);
        assert_eq!(tao("  2.25 ").rao(), 2_250_000_000);
        assert_eq!(tao("τ1,234.5").rao(), 1_234_500_000_000);
        assert_eq!(tao("007.10").rao(), 7_100_000_000);
        // 0.1 + 0.2 is exact here, unlike in floating point.
        assert_eq!(tao("0.1").checked_add(tao("0.2")), Some(tao("0.3")));
        assert_eq!(tao("18446744073.709551615"), Balance::MAX);
    }

    #[test]
    fn test_balance_parse_rejects_bad_input() {
        assert_eq!(reason("1.0000000001"), "more than 9 decimals (1 rao = 0.000000001 tao)");
        assert_eq!(
            reason("18446744073.709551616"),
            "exceeds the largest balance (18446744073.709551615 tao)"
        );
        assert_eq!(
            reason("99999999999999999999999"),
            "exceeds the largest balance (18446744073.709551615 tao)"
        );
        assert_eq!(reason("-1"), "expected only digits, commas and one decimal point");
        assert_eq!(reason("+1"), "expected only digits, commas and one decimal point");
        assert_eq!(reason(""), "no digits before the decimal point");
        assert_eq!(reason(".5"), "no digits before the decimal point");
        assert_eq!(reason("1."), "no digits after the decimal point");
        assert_eq!(reason("1.2.3"), "expected only digits after the decimal point");
        assert_eq!(reason("1e9"), "expected only digits, commas and one decimal point");
        assert_eq!(reason("12,34"), "misplaced thousands separator");
        assert_eq!(reason(",123"), "misplaced thousands separator");
        assert_eq!(reason("1234,567"), "misplaced thousands separator");
        let err = Balance::parse_tao("1.0000000001").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid tao amount \"1.0000000001\": more than 9 decimals (1 rao = 0.000000001 tao)"
        );
    }

    #[test]
    fn test_balance_checked_and_saturating_arithmetic() {
        let one = Balance::from_rao(1);
        assert_eq!(Balance::MAX.checked_add(one), None);
        assert_eq!(Balance::MAX.saturating_add(one), Balance::MAX);
        assert_eq!(Balance::ZERO.checked_sub(one), None);
        assert_eq!(Balance::ZERO.saturating_sub(one), Balance::ZERO);
        assert_eq!(one.checked_add(one), Some(Balance::from_rao(2)));
        assert_eq!(Balance::from_tao(u64::MAX), None);
        assert_eq!(Balance::from_tao(3), Some(Balance::from_rao(3_000_000_000)));
    }

    #[test]
    fn test_balance_scale_is_u64_and_compact() {
        let balance = Balance::from_rao(1_000_000_000);
        assert_eq!(balance.encode(), 1_000_000_000u64.encode());
        assert_eq!(Balance::decode(&mut &balance.encode()[..]), Ok(balance));
        assert_eq!(Compact(balance).encode(), Compact(1_000_000_000u64).encode());
        assert_eq!(
            Compact::<Balance>::decode(&mut &Compact(balance).encode()[..]).map(|c| c.0),
            Ok(balance)
        );
        assert_eq!(Balance::max_encoded_len(), 8);
    }

    #[test]
    fn test_balance_serde_is_rao_number() {
        assert_eq!(serde_json::to_string(&Balance::from_rao(42)).expect("serializes"), "42");
        assert_eq!(
            serde_json::from_str::<Balance>("42").expect("deserializes"),
            Balance::from_rao(42)
        );
    }

    proptest! {
        #[test]
        fn test_balance_display_parse_round_trips(rao in any::<u64>()) {
            let balance = Balance::from_rao(rao);
            prop_assert_eq!(balance.to_string().parse::<Balance>(), Ok(balance));
            prop_assert_eq!(balance.to_tao_string().parse::<Balance>(), Ok(balance));
        }

        #[test]
        fn test_balance_parse_never_panics(s in "\\PC{0,40}") {
            let _ = Balance::parse_tao(&s);
        }

        #[test]
        fn test_balance_parse_short_fraction_scales(whole in 0u64..18_000_000_000, frac in 0u64..1000) {
            let parsed = Balance::parse_tao(&format!("{whole}.{frac:03}"));
            prop_assert_eq!(parsed.map(Balance::rao), Ok(whole * Balance::RAO_PER_TAO + frac * 1_000_000));
        }
    }
}
