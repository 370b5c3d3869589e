//! `AccountId32`, the 32-byte account identifier of Substrate and subtensor.
//!
//! An account is the raw public key of an sr25519 or ed25519 key pair. Humans see it as an SS58
//! address with prefix 42 ([`crate::ss58`]); the chain stores it as 32 raw bytes.
//!
//! Wire format: SCALE-encodes as 32 raw bytes, like sp-core `AccountId32`; changing it breaks
//! clients.

use core::fmt;
use core::str::FromStr;

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use crate::error::{Error, Result};
use crate::ss58::{self, Ss58Prefix};

/// A 32-byte account identifier (the public key of the account's key pair).
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Encode, Decode, MaxEncodedLen,
)]
pub struct AccountId32(pub [u8; 32]);

impl AccountId32 {
    /// Wraps raw account bytes.
    pub const fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// Returns the raw account bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Returns the raw account bytes by value.
    pub const fn to_bytes(self) -> [u8; 32] {
        self.0
    }

    /// Copies a 32-byte slice into an account.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidLength`] unless the slice is exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        <[u8; 32]>::try_from(bytes).map(Self).map_err(|_| Error::InvalidLength {
            what: "account id",
            expected: 32,
            found: bytes.len(),
        })
    }

    /// SS58 address with the Bittensor prefix 42.
    pub fn to_ss58(&self) -> String {
        ss58::encode(Ss58Prefix::BITTENSOR, &self.0)
    }

    /// SS58 address with the given network prefix.
    pub fn to_ss58_with_prefix(&self, prefix: Ss58Prefix) -> String {
        ss58::encode(prefix, &self.0)
    }

    /// Parses an SS58 address and requires the Bittensor prefix 42.
    ///
    /// # Errors
    ///
    /// Everything [`ss58::decode`] returns, and [`Error::Ss58UnexpectedPrefix`] for another prefix.
    pub fn from_ss58(address: &str) -> Result<Self> {
        ss58::decode_with_prefix(address, Ss58Prefix::BITTENSOR).map(Self)
    }

    /// Parses an SS58 address with any network prefix and returns the prefix too.
    ///
    /// # Errors
    ///
    /// Everything [`ss58::decode`] returns.
    pub fn from_ss58_any_prefix(address: &str) -> Result<(Self, Ss58Prefix)> {
        ss58::decode(address).map(|(prefix, bytes)| (Self(bytes), prefix))
    }

    /// Lowercase hex with a `0x` prefix, as Substrate JSON-RPC writes bytes.
    pub fn to_hex(&self) -> String {
        format!("0x{}", hex::encode(self.0))
    }

    /// Parses 64 hex digits, with or without a `0x` prefix.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidHex`] for non-hex characters or a wrong digit count.
    pub fn from_hex(s: &str) -> Result<Self> {
        let digits = s.strip_prefix("0x").unwrap_or(s);
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(digits, &mut bytes)
            .map_err(|source| Error::InvalidHex { what: "account id", source })?;
        Ok(Self(bytes))
    }
}

impl From<[u8; 32]> for AccountId32 {
    fn from(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
}

impl From<AccountId32> for [u8; 32] {
    fn from(account: AccountId32) -> Self {
        account.0
    }
}

impl AsRef<[u8]> for AccountId32 {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8; 32]> for AccountId32 {
    fn as_ref(&self) -> &[u8; 32] {
        &self.0
    }
}

impl TryFrom<&[u8]> for AccountId32 {
    type Error = Error;

    fn try_from(bytes: &[u8]) -> Result<Self> {
        Self::from_slice(bytes)
    }
}

/// Shows the SS58 address with prefix 42.
impl fmt::Display for AccountId32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_ss58())
    }
}

/// Shows the SS58 address and the hex bytes.
impl fmt::Debug for AccountId32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountId32({} {})", self.to_ss58(), self.to_hex())
    }
}

/// Accepts an SS58 address with prefix 42, or `0x` followed by 64 hex digits.
impl FromStr for AccountId32 {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        if s.starts_with("0x") { Self::from_hex(s) } else { Self::from_ss58(s) }
    }
}

/// Serializes as the SS58 string with prefix 42 (as sp-core does).
impl serde::Serialize for AccountId32 {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> core::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_ss58())
    }
}

/// Deserializes from an SS58 string with prefix 42 or `0x`-prefixed hex.
impl<'de> serde::Deserialize<'de> for AccountId32 {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> core::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_vectors::DEV_ACCOUNTS;
    use proptest::prelude::*;

    #[test]
    fn test_account_ss58_matches_dev_accounts() {
        for (name, public, address) in DEV_ACCOUNTS {
            let account = AccountId32::from_hex(public).expect("vector is hex");
            assert_eq!(account.to_ss58(), *address, "{name}");
            assert_eq!(account.to_string(), *address, "{name}");
            assert_eq!(address.parse::<AccountId32>(), Ok(account), "{name}");
        }
    }

    #[test]
    fn test_account_from_str_accepts_hex() {
        let account: AccountId32 =
            "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
                .parse()
                .expect("valid hex");
        assert_eq!(account.to_ss58(), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
        assert_eq!(
            account.to_hex(),
            "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
        );
    }

    #[test]
    fn test_account_from_str_rejects_bad_hex() {
        let err = "0xgc55177d67b064bb5d189a3e1ddad9bc6646e02e64d6e308f5acbb1533ac430d"
            .parse::<AccountId32>()
            .unwrap_err();
        assert!(matches!(err, Error::InvalidHex { what: "account id", .. }), "{err}");
        let err = "0xd435".parse::<AccountId32>().unwrap_err();
        assert!(matches!(err, Error::InvalidHex { .. }), "{err}");
    }

    #[test]
    fn test_account_from_ss58_rejects_polkadot_prefix() {
        let err =
            AccountId32::from_ss58("15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5").unwrap_err();
        assert_eq!(err, Error::Ss58UnexpectedPrefix { expected: 42, found: 0 });
        let (account, prefix) =
            AccountId32::from_ss58_any_prefix("15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5")
                .expect("valid");
        assert_eq!(prefix, Ss58Prefix::POLKADOT);
        assert_eq!(account.to_ss58(), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
    }

    #[test]
    fn test_account_scale_is_32_raw_bytes() {
        let account = AccountId32::new([7u8; 32]);
        let encoded = account.encode();
        assert_eq!(encoded, vec![7u8; 32]);
        assert_eq!(AccountId32::max_encoded_len(), 32);
        assert_eq!(AccountId32::decode(&mut &encoded[..]), Ok(account));
        assert!(AccountId32::decode(&mut &[0u8; 31][..]).is_err());
    }

    #[test]
    fn test_account_serde_uses_ss58() {
        let account = AccountId32::from_ss58("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")
            .expect("valid");
        let json = serde_json::to_string(&account).expect("serializes");
        assert_eq!(json, "\"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\"");
        assert_eq!(serde_json::from_str::<AccountId32>(&json).expect("deserializes"), account);
        assert!(serde_json::from_str::<AccountId32>("\"5GrwvaEF\"").is_err());
    }

    #[test]
    fn test_account_from_slice_rejects_wrong_length() {
        assert_eq!(
            AccountId32::from_slice(&[0u8; 31]).unwrap_err(),
            Error::InvalidLength { what: "account id", expected: 32, found: 31 }
        );
    }

    proptest! {
        #[test]
        fn test_account_display_parse_round_trips(bytes in any::<[u8; 32]>()) {
            let account = AccountId32::new(bytes);
            prop_assert_eq!(account.to_string().parse::<AccountId32>(), Ok(account));
            prop_assert_eq!(account.to_hex().parse::<AccountId32>(), Ok(account));
        }
    }
}
