//! The signed extensions subtensor uses: the extra data an extrinsic carries, and the
//! additional data its signature covers without carrying it.
//!
//! Subtensor declares (metadata order, `reference/substrate_compat.md` App. B.F):
//! CheckNonZeroSender, CheckSpecVersion, CheckTxVersion, CheckGenesis, CheckMortality,
//! CheckNonce, CheckWeight, ChargeTransactionPayment, SubtensorTransactionExtension,
//! DrandPriority, CheckMetadataHash (mainnet adds more zero-sized ones). Only four carry extra
//! bytes and five carry additional bytes; the rest are zero-sized and encode to nothing:
//!
//! | extension | extra (in the extrinsic) | additional (signed only) |
//! | --- | --- | --- |
//! | CheckSpecVersion | – | `spec_version: u32` |
//! | CheckTxVersion | – | `transaction_version: u32` |
//! | CheckGenesis | – | genesis hash `[u8; 32]` |
//! | CheckMortality | [`Era`] | hash of the era's birth block `[u8; 32]` (genesis if immortal) |
//! | CheckNonce | `Compact<u32>` nonce | – |
//! | ChargeTransactionPayment | `Compact<u64>` tip (RAO) | – |
//! | CheckMetadataHash | [`MetadataHashMode`] byte | `Option<[u8; 32]>` |
//!
//! Wire format: the order and encodings above are what the official clients sign; changing them
//! breaks every client.

use parity_scale_codec::{Compact, Decode, Encode, Error as CodecError, Input, Output};
use rustensor_primitives::hashing::blake2_256;

use super::era::Era;

/// A signing payload longer than this is signed as its `blake2_256` hash instead.
pub const MAX_UNHASHED_PAYLOAD: usize = 256;

/// `CheckMetadataHash`'s mode (RFC-0078). Wire-visible: `0x00` disabled, `0x01` enabled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub enum MetadataHashMode {
    /// No metadata hash is signed (what the official Python clients send).
    #[default]
    Disabled,
    /// The runtime's metadata hash is signed (metadata-verifying signers such as Ledger).
    Enabled,
}

impl Encode for MetadataHashMode {
    fn size_hint(&self) -> usize {
        1
    }
    fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
        dest.push_byte(match self {
            Self::Disabled => 0,
            Self::Enabled => 1,
        });
    }
}

impl Decode for MetadataHashMode {
    fn decode<I: Input>(input: &mut I) -> Result<Self, CodecError> {
        match input.read_byte()? {
            0 => Ok(Self::Disabled),
            1 => Ok(Self::Enabled),
            _ => Err("invalid metadata hash mode".into()),
        }
    }
}

/// The extra data a signed extrinsic carries, in subtensor's extension order.
///
/// Wire format: `era ++ Compact<u32>(nonce) ++ Compact<u64>(tip) ++ mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub struct SignedExtra {
    /// CheckMortality: the validity window.
    pub era: Era,
    /// CheckNonce: the sender's account nonce.
    pub nonce: u32,
    /// ChargeTransactionPayment: the tip in RAO, on top of the fee.
    pub tip: u64,
    /// CheckMetadataHash: whether a metadata hash is signed.
    pub metadata_hash: MetadataHashMode,
}

impl Encode for SignedExtra {
    fn size_hint(&self) -> usize {
        self.era.size_hint().saturating_add(5).saturating_add(9).saturating_add(1)
    }
    fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
        self.era.encode_to(dest);
        Compact(self.nonce).encode_to(dest);
        Compact(self.tip).encode_to(dest);
        self.metadata_hash.encode_to(dest);
    }
}

/// The field of [`SignedExtra`] that failed to decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtraField {
    /// The era (CheckMortality).
    Era,
    /// The compact nonce (CheckNonce).
    Nonce,
    /// The compact tip (ChargeTransactionPayment).
    Tip,
    /// The metadata hash mode byte (CheckMetadataHash).
    MetadataHashMode,
}

impl core::fmt::Display for ExtraField {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Era => "era",
            Self::Nonce => "nonce",
            Self::Tip => "tip",
            Self::MetadataHashMode => "metadata hash mode",
        })
    }
}

impl SignedExtra {
    /// Decodes the extra data, saying which field was malformed.
    ///
    /// # Errors
    ///
    /// The [`ExtraField`] that failed to decode.
    pub fn decode_fields(input: &mut &[u8]) -> Result<Self, ExtraField> {
        let era = Era::decode(input).map_err(|_| ExtraField::Era)?;
        let nonce = Compact::<u32>::decode(input).map_err(|_| ExtraField::Nonce)?.0;
        let tip = Compact::<u64>::decode(input).map_err(|_| ExtraField::Tip)?.0;
        let metadata_hash =
            MetadataHashMode::decode(input).map_err(|_| ExtraField::MetadataHashMode)?;
        Ok(Self { era, nonce, tip, metadata_hash })
    }
}

impl Decode for SignedExtra {
    fn decode<I: Input>(input: &mut I) -> Result<Self, CodecError> {
        let era = Era::decode(input)?;
        let nonce = Compact::<u32>::decode(input)?.0;
        let tip = Compact::<u64>::decode(input)?.0;
        let metadata_hash = MetadataHashMode::decode(input)?;
        Ok(Self { era, nonce, tip, metadata_hash })
    }
}

/// The data a signature covers without the extrinsic carrying it.
///
/// Wire format: `spec_version u32 ++ transaction_version u32 ++ genesis ++ birth_hash ++
/// Option<[u8; 32]>`, in the order of [`SignedExtra`]'s extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash, Encode, Decode)]
pub struct AdditionalSigned {
    /// CheckSpecVersion: the runtime's `spec_version`.
    pub spec_version: u32,
    /// CheckTxVersion: the runtime's `transaction_version`.
    pub transaction_version: u32,
    /// CheckGenesis: the hash of block 0.
    pub genesis_hash: [u8; 32],
    /// CheckMortality: the hash of the era's birth block (the genesis hash if immortal).
    pub birth_hash: [u8; 32],
    /// CheckMetadataHash: `Some(hash)` only when the mode is enabled and the runtime has one.
    pub metadata_hash: Option<[u8; 32]>,
}

/// `call ++ extra ++ additional`: the bytes a signer signs, before hashing.
pub fn signing_payload(call: &[u8], extra: &SignedExtra, additional: &AdditionalSigned) -> Vec<u8> {
    let mut payload = Vec::with_capacity(
        call.len().saturating_add(extra.size_hint()).saturating_add(additional.size_hint()),
    );
    payload.extend_from_slice(call);
    extra.encode_to(&mut payload);
    additional.encode_to(&mut payload);
    payload
}

/// The message actually signed: the payload, or its `blake2_256` if longer than 256 bytes.
pub fn signing_message(call: &[u8], extra: &SignedExtra, additional: &AdditionalSigned) -> Vec<u8> {
    let payload = signing_payload(call, extra, additional);
    if payload.len() > MAX_UNHASHED_PAYLOAD { blake2_256(&payload).to_vec() } else { payload }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_extra_encoding_matches_layout() {
        let extra = SignedExtra {
            era: Era::mortal(64, 42),
            nonce: 5,
            tip: 1_000_000_000,
            metadata_hash: MetadataHashMode::Disabled,
        };
        // a502 | Compact(5) = 0x14 | Compact(1e9) = four-byte mode 0x02 9a 6b ee ... | 00
        assert_eq!(hex::encode(extra.encode()), "a50214".to_owned() + "02286bee" + "00");
        assert_eq!(SignedExtra::decode(&mut &extra.encode()[..]), Ok(extra));
        assert_eq!(SignedExtra::decode_fields(&mut &extra.encode()[..]), Ok(extra));
    }

    #[test]
    fn test_extra_decode_names_bad_field() {
        assert_eq!(SignedExtra::decode_fields(&mut &[0x10u8, 0][..]), Err(ExtraField::Era));
        assert_eq!(SignedExtra::decode_fields(&mut &[0u8][..]), Err(ExtraField::Nonce));
        assert_eq!(SignedExtra::decode_fields(&mut &[0u8, 0][..]), Err(ExtraField::Tip));
        assert_eq!(
            SignedExtra::decode_fields(&mut &[0u8, 0, 0, 2][..]),
            Err(ExtraField::MetadataHashMode)
        );
        assert_eq!(
            SignedExtra::decode_fields(&mut &[0u8, 0, 0][..]),
            Err(ExtraField::MetadataHashMode)
        );
    }

    #[test]
    fn test_additional_encoding_matches_layout() {
        let additional = AdditionalSigned {
            spec_version: 425,
            transaction_version: 1,
            genesis_hash: [1; 32],
            birth_hash: [2; 32],
            metadata_hash: None,
        };
        let bytes = additional.encode();
        assert_eq!(bytes.len(), 4 + 4 + 32 + 32 + 1);
        assert_eq!(&bytes[..8], &[0xa9, 0x01, 0, 0, 1, 0, 0, 0]);
        assert_eq!(bytes[72], 0);
    }

    #[test]
    fn test_long_payload_is_hashed() {
        let extra = SignedExtra::default();
        let additional = AdditionalSigned::default();
        let short = signing_message(&[7; 10], &extra, &additional);
        assert_eq!(short, signing_payload(&[7; 10], &extra, &additional));
        let long_call = vec![7u8; 300];
        let long = signing_message(&long_call, &extra, &additional);
        assert_eq!(long, blake2_256(&signing_payload(&long_call, &extra, &additional)).to_vec());
        // Exactly 256 bytes is not hashed.
        let call = vec![7u8; 256 - 4 - 73];
        assert_eq!(signing_payload(&call, &extra, &additional).len(), 256);
        assert_eq!(signing_message(&call, &extra, &additional).len(), 256);
    }
}
