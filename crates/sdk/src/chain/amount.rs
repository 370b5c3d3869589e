//! [`Alpha`]: an amount of a subnet's alpha token, beside [`Balance`] for TAO.
//!
//! Alpha is counted in the same 10^-9 units as TAO (subtensor's `AlphaCurrency` is a `u64`
//! with 9 decimals) but is a different token per subnet, so it gets its own type: adding TAO
//! to alpha does not compile. `Display` prints the exact decimal with the subnet's symbol when
//! known (`α12.500000000`, or the subnet's own symbol), never through a float.

use core::fmt;

use rustensor_primitives::Balance;

/// An amount of one subnet's alpha, in 10^-9 units.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Alpha(u64);

impl Alpha {
    /// No alpha.
    pub const ZERO: Self = Self(0);

    /// An amount of raw units (10^-9 alpha).
    pub const fn from_raw(raw: u64) -> Self {
        Self(raw)
    }

    /// The amount in raw units.
    pub const fn raw(self) -> u64 {
        self.0
    }

    /// Parses a decimal amount with up to 9 places (`"12.5"`).
    ///
    /// # Errors
    ///
    /// For text that is not such a number or does not fit.
    pub fn parse(text: &str) -> rustensor_primitives::Result<Self> {
        Balance::parse_tao(text).map(|b| Self(b.rao()))
    }

    /// The exact decimal text without a symbol (`"12.500000000"`).
    pub fn to_decimal_string(self) -> String {
        Balance::from_rao(self.0).to_tao_string()
    }

    /// The amount with a subnet's token symbol (`"β12.500000000"`).
    pub fn display_with(self, symbol: &str) -> String {
        format!("{symbol}{}", self.to_decimal_string())
    }

    /// Checked addition.
    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.0.checked_add(other.0).map(Self)
    }

    /// Saturating subtraction.
    pub fn saturating_sub(self, other: Self) -> Self {
        Self(self.0.saturating_sub(other.0))
    }
}

impl fmt::Display for Alpha {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "α{}", self.to_decimal_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_alpha_formats_exactly_and_parses_back() {
        let a = Alpha::parse("12.5").expect("valid");
        assert_eq!(a.raw(), 12_500_000_000);
        assert_eq!(a.to_string(), "α12.500000000");
        assert_eq!(a.display_with("β"), "β12.500000000");
        assert_eq!(Alpha::parse(&a.to_decimal_string()).expect("round trip"), a);
        assert_eq!(Alpha::from_raw(1).checked_add(Alpha::from_raw(u64::MAX)), None);
        assert_eq!(Alpha::from_raw(1).saturating_sub(Alpha::from_raw(2)), Alpha::ZERO);
        assert!(Alpha::parse("abc").is_err());
    }
}
