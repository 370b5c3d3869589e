//! Subnet and neuron identifiers: `NetUid` and `Uid`.
//!
//! Wire format: both SCALE-encode as a plain little-endian `u16`, and as `Compact<u16>` through
//! `Compact<NetUid>` / `Compact<Uid>` (runtime APIs such as `DynamicInfo.netuid`), matching
//! subtensor's `NetUid` and its `u16` uids; changing it breaks clients.

use core::fmt;
use core::str::FromStr;

use parity_scale_codec::{CompactAs, Decode, Encode, MaxEncodedLen};

use crate::error::{Error, Result};

/// Declares a `u16` identifier newtype with its conversions and text forms.
macro_rules! u16_id {
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $(#[$meta])*
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
        pub struct $name(pub u16);

        impl $name {
            /// Wraps a raw value.
            pub const fn new(value: u16) -> Self {
                Self(value)
            }

            /// The raw value.
            pub const fn get(self) -> u16 {
                self.0
            }
        }

        impl From<u16> for $name {
            fn from(value: u16) -> Self {
                Self(value)
            }
        }

        impl From<$name> for u16 {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        /// Shows the decimal value.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        /// Shows the type name and the decimal value.
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        /// Parses a decimal value in 0..=65535 (surrounding whitespace is not allowed).
        impl FromStr for $name {
            type Err = Error;

            fn from_str(s: &str) -> Result<Self> {
                s.parse::<u16>()
                    .map(Self)
                    .map_err(|source| Error::InvalidId { what: $what, input: s.to_owned(), source })
            }
        }
    };
}

u16_id!(
    /// A subnet identifier (`netuid`); subnet 0 is the root network.
    NetUid,
    "netuid"
);

u16_id!(
    /// A neuron's position in a subnet (`uid`), 0..subnet size.
    Uid,
    "uid"
);

impl NetUid {
    /// The root network, subnet 0.
    pub const ROOT: Self = Self(0);

    /// True for the root network.
    pub const fn is_root(self) -> bool {
        self.0 == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parity_scale_codec::Compact;

    #[test]
    fn test_netuid_scale_is_u16_le() {
        assert_eq!(NetUid(0x0102).encode(), vec![0x02, 0x01]);
        assert_eq!(NetUid::decode(&mut &[0x02, 0x01][..]), Ok(NetUid(0x0102)));
        assert_eq!(NetUid::max_encoded_len(), 2);
        // Compact<NetUid> encodes as Compact<u16>: 7 -> 7 << 2.
        assert_eq!(Compact(NetUid(7)).encode(), vec![28]);
        assert_eq!(Compact(Uid(300)).encode(), Compact(300u16).encode());
    }

    #[test]
    fn test_ids_display_and_parse_decimal() {
        assert_eq!(NetUid(18).to_string(), "18");
        assert_eq!("18".parse::<NetUid>(), Ok(NetUid(18)));
        assert_eq!("65535".parse::<Uid>(), Ok(Uid(u16::MAX)));
        assert_eq!(format!("{:?}", Uid(3)), "Uid(3)");
    }

    #[test]
    fn test_ids_parse_rejects_out_of_range_and_text() {
        let err = "65536".parse::<NetUid>().unwrap_err();
        assert!(
            matches!(&err, Error::InvalidId { what: "netuid", input, .. } if input == "65536"),
            "{err}"
        );
        assert_eq!(err.to_string(), "invalid netuid \"65536\"");
        let cause = std::error::Error::source(&err).expect("the parse error is the cause");
        assert_eq!(cause.to_string(), "number too large to fit in target type");
        assert!(matches!("-1".parse::<Uid>(), Err(Error::InvalidId { what: "uid", .. })));
        assert!("x".parse::<Uid>().is_err());
    }

    #[test]
    fn test_netuid_root_is_zero() {
        assert!(NetUid::ROOT.is_root());
        assert!(!NetUid(1).is_root());
    }
}
