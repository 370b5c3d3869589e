//! Substrate v4 extrinsics: decoding, encoding and signing (the pre-execution checks against
//! chain state are the runtime's, in `rustensor_runtime_types::extrinsic::check`).
//!
//! An extrinsic on the wire (`reference/substrate_compat.md` §4.2) is
//!
//! ```text
//! Compact<u32>(len) ++ 0x84 ++ MultiAddress::Id(0x00 ++ account32)
//!                   ++ MultiSignature(variant ++ sig) ++ extra ++ call      (signed)
//! Compact<u32>(len) ++ 0x04 ++ call                                         (unsigned)
//! ```
//!
//! where `call = pallet index ++ call index ++ SCALE args` and `extra` is [`SignedExtra`]. The
//! signature covers `call ++ extra ++ additional` ([`AdditionalSigned`]), hashed with
//! `blake2_256` when longer than 256 bytes ([`signing_message`]).
//!
//! | module | holds |
//! | --- | --- |
//! | this one | [`UncheckedExtrinsic`] (decode, encode, sign), [`MultiSignature`], [`DecodeError`] |
//! | [`era`] | [`Era`]: immortal / mortal, birth and death blocks |
//! | [`extensions`] | [`SignedExtra`], [`AdditionalSigned`], the signing payload |
//! | [`validity`] | [`TransactionValidityError`]: why a transaction is refused |
//!
//! The call stays raw bytes here; dispatch decodes it by subtensor's pallet and call indices.
//!
//! # Example
//!
//! ```
//! use rustensor_primitives::crypto::sr25519::Pair;
//! use rustensor_runtime_types::extrinsic::{AdditionalSigned, SignedExtra, UncheckedExtrinsic};
//!
//! let alice = Pair::from_uri("//Alice", None).expect("dev key");
//! let call = vec![0x05, 0x03]; // Balances.transfer_keep_alive, arguments omitted
//! let extra = SignedExtra { nonce: 0, ..Default::default() };
//! let additional = AdditionalSigned { spec_version: 425, transaction_version: 1, ..Default::default() };
//! let xt = UncheckedExtrinsic::sign_sr25519(&alice, call, extra, &additional);
//! let bytes = xt.encode();
//! assert_eq!(UncheckedExtrinsic::decode(&bytes), Ok(xt));
//! ```

pub mod era;
pub mod extensions;
pub mod validity;

pub use era::Era;
pub use extensions::{
    AdditionalSigned, ExtraField, MetadataHashMode, SignedExtra, signing_message, signing_payload,
};
pub use validity::{InvalidTransaction, TransactionValidityError, UnknownTransaction};

use parity_scale_codec::{Compact, Decode, Encode};
use rustensor_primitives::AccountId32;
use rustensor_primitives::crypto::{ed25519, sr25519};
use rustensor_primitives::hashing::blake2_256;

/// The extrinsic format version this chain speaks.
pub const EXTRINSIC_FORMAT_VERSION: u8 = 4;
/// The version byte of a signed v4 extrinsic (`0x80 | 4`). Wire-visible.
pub const SIGNED_VERSION_BYTE: u8 = 0x84;
/// The version byte of an unsigned v4 extrinsic. Wire-visible.
pub const UNSIGNED_VERSION_BYTE: u8 = 0x04;

/// `MultiAddress` variant indices (sp-runtime). Only `Id` is accepted. Wire-visible.
pub mod address_variant {
    /// `MultiAddress::Id(AccountId32)`.
    pub const ID: u8 = 0;
    /// `MultiAddress::Index(Compact<AccountIndex>)`.
    pub const INDEX: u8 = 1;
    /// `MultiAddress::Raw(Vec<u8>)`.
    pub const RAW: u8 = 2;
    /// `MultiAddress::Address32([u8; 32])`.
    pub const ADDRESS32: u8 = 3;
    /// `MultiAddress::Address20([u8; 20])`.
    pub const ADDRESS20: u8 = 4;
}

/// A signature of any scheme `sp_runtime::MultiSignature` allows.
///
/// Wire format: variant byte `0x00` Ed25519 (64 bytes), `0x01` Sr25519 (64 bytes), `0x02`
/// Ecdsa (65 bytes), as sp-runtime; changing it breaks clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MultiSignature {
    /// An Ed25519 signature; the signer account is the public key.
    Ed25519([u8; 64]),
    /// An Sr25519 signature (schnorrkel, context `b"substrate"`); the signer account is the
    /// public key. What every Bittensor wallet uses.
    Sr25519([u8; 64]),
    /// A secp256k1 ECDSA signature (`r ++ s ++ v`). Decoded, but not verified: see
    /// `check()`.
    Ecdsa([u8; 65]),
}

impl MultiSignature {
    /// The variant byte on the wire.
    pub fn variant(&self) -> u8 {
        match self {
            Self::Ed25519(_) => 0,
            Self::Sr25519(_) => 1,
            Self::Ecdsa(_) => 2,
        }
    }

    /// Whether this signature is valid for `message` by `signer`.
    ///
    /// ECDSA is never valid here: its signer account is a hash of the public key, which needs
    /// secp256k1 recovery that this chain does not carry (no Bittensor client signs with it).
    pub fn verify(&self, message: &[u8], signer: &AccountId32) -> bool {
        match self {
            Self::Sr25519(sig) => {
                sr25519::Public(signer.0).verify(message, &sr25519::Signature(*sig))
            }
            Self::Ed25519(sig) => {
                ed25519::Public(signer.0).verify(message, &ed25519::Signature(*sig))
            }
            Self::Ecdsa(_) => false,
        }
    }

    fn encode_to(&self, out: &mut Vec<u8>) {
        out.push(self.variant());
        match self {
            Self::Ed25519(sig) | Self::Sr25519(sig) => out.extend_from_slice(sig),
            Self::Ecdsa(sig) => out.extend_from_slice(sig),
        }
    }
}

/// The signature part of a signed extrinsic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignaturePart {
    /// The signer (`MultiAddress::Id`).
    pub signer: AccountId32,
    /// The signature over [`signing_message`].
    pub signature: MultiSignature,
    /// The signed extensions' extra data.
    pub extra: SignedExtra,
}

/// Why bytes are not a well-formed v4 extrinsic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input ended before the compact length prefix did, or the prefix is not canonical.
    #[error("bad compact length prefix")]
    BadLengthPrefix,
    /// The length prefix does not match the bytes that follow it.
    #[error("length prefix says {declared} bytes, {actual} follow")]
    LengthMismatch {
        /// The length the prefix declares.
        declared: u32,
        /// The number of bytes after the prefix.
        actual: usize,
    },
    /// Nothing follows the length prefix.
    #[error("missing version byte")]
    MissingVersion,
    /// The version byte is not `0x84` (signed v4) or `0x04` (unsigned v4).
    #[error("unsupported extrinsic version byte {0:#04x}, expected 0x84 or 0x04")]
    UnsupportedVersion(u8),
    /// The signer is a `MultiAddress` variant other than `Id`.
    #[error("unsupported signer address variant {0}, expected 0 (Id)")]
    UnsupportedAddress(u8),
    /// The signer address variant byte is not a `MultiAddress` variant, or the input ended.
    #[error("malformed signer address")]
    BadAddress,
    /// The signature variant byte is not a `MultiSignature` variant.
    #[error("unknown signature variant {0}, expected 0 (ed25519), 1 (sr25519) or 2 (ecdsa)")]
    UnknownSignatureVariant(u8),
    /// The input ended inside the signature.
    #[error("truncated signature")]
    BadSignature,
    /// A signed extension's extra data is malformed.
    #[error("malformed signed extension data: {0}")]
    BadExtra(ExtraField),
    /// Fewer than two call bytes (pallet index and call index) remain.
    #[error("missing call: {0} bytes, need at least the pallet and call index")]
    MissingCall(usize),
}

/// A decoded but not yet checked extrinsic: `sp_runtime::generic::UncheckedExtrinsic` v4.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UncheckedExtrinsic {
    /// The signature part, `None` for an unsigned (bare) extrinsic.
    pub signature: Option<SignaturePart>,
    /// The call: pallet index, call index, SCALE arguments.
    pub call: Vec<u8>,
}

fn take<'a>(input: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    let (head, tail) = input.split_at_checked(n)?;
    *input = tail;
    Some(head)
}

fn take_array<const N: usize>(input: &mut &[u8]) -> Option<[u8; N]> {
    take(input, N)?.try_into().ok()
}

impl UncheckedExtrinsic {
    /// An unsigned extrinsic carrying `call`.
    pub fn new_unsigned(call: Vec<u8>) -> Self {
        Self { signature: None, call }
    }

    /// A signed extrinsic from its parts (the signature is not checked).
    pub fn new_signed(
        call: Vec<u8>,
        signer: AccountId32,
        signature: MultiSignature,
        extra: SignedExtra,
    ) -> Self {
        Self { signature: Some(SignaturePart { signer, signature, extra }), call }
    }

    /// Signs `call` with an sr25519 key, as the official clients do.
    pub fn sign_sr25519(
        pair: &sr25519::Pair,
        call: Vec<u8>,
        extra: SignedExtra,
        additional: &AdditionalSigned,
    ) -> Self {
        let message = signing_message(&call, &extra, additional);
        let signature = MultiSignature::Sr25519(pair.sign(&message).0);
        Self::new_signed(call, pair.account_id(), signature, extra)
    }

    /// Signs `call` with an ed25519 key (deterministic signatures: handy for fixed vectors).
    pub fn sign_ed25519(
        pair: &ed25519::Pair,
        call: Vec<u8>,
        extra: SignedExtra,
        additional: &AdditionalSigned,
    ) -> Self {
        let message = signing_message(&call, &extra, additional);
        let signature = MultiSignature::Ed25519(pair.sign(&message).0);
        Self::new_signed(call, pair.account_id(), signature, extra)
    }

    /// Whether the extrinsic is signed.
    pub fn is_signed(&self) -> bool {
        self.signature.is_some()
    }

    /// Decodes one extrinsic that spans all of `bytes`, length prefix included.
    ///
    /// Never panics, whatever the input.
    ///
    /// # Errors
    ///
    /// The [`DecodeError`] variant naming the first malformed part.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut input = bytes;
        let declared =
            Compact::<u32>::decode(&mut input).map_err(|_| DecodeError::BadLengthPrefix)?.0;
        if usize::try_from(declared).ok() != Some(input.len()) {
            return Err(DecodeError::LengthMismatch { declared, actual: input.len() });
        }
        Self::decode_body(input)
    }

    /// Decodes the extrinsic body (everything after the length prefix) that spans `body`.
    ///
    /// # Errors
    ///
    /// As [`Self::decode`], without the length-prefix errors.
    pub fn decode_body(body: &[u8]) -> Result<Self, DecodeError> {
        let mut input = body;
        let version =
            *take(&mut input, 1).and_then(|b| b.first()).ok_or(DecodeError::MissingVersion)?;
        let signature = match version {
            SIGNED_VERSION_BYTE => Some(Self::decode_signature_part(&mut input)?),
            UNSIGNED_VERSION_BYTE => None,
            other => return Err(DecodeError::UnsupportedVersion(other)),
        };
        if input.len() < 2 {
            return Err(DecodeError::MissingCall(input.len()));
        }
        Ok(Self { signature, call: input.to_vec() })
    }

    fn decode_signature_part(input: &mut &[u8]) -> Result<SignaturePart, DecodeError> {
        let variant = *take(input, 1).and_then(|b| b.first()).ok_or(DecodeError::BadAddress)?;
        let signer = match variant {
            address_variant::ID => {
                AccountId32(take_array::<32>(input).ok_or(DecodeError::BadAddress)?)
            }
            address_variant::INDEX..=address_variant::ADDRESS20 => {
                return Err(DecodeError::UnsupportedAddress(variant));
            }
            _ => return Err(DecodeError::BadAddress),
        };
        let variant = *take(input, 1).and_then(|b| b.first()).ok_or(DecodeError::BadSignature)?;
        let signature = match variant {
            0 => MultiSignature::Ed25519(take_array(input).ok_or(DecodeError::BadSignature)?),
            1 => MultiSignature::Sr25519(take_array(input).ok_or(DecodeError::BadSignature)?),
            2 => MultiSignature::Ecdsa(take_array(input).ok_or(DecodeError::BadSignature)?),
            other => return Err(DecodeError::UnknownSignatureVariant(other)),
        };
        let extra = SignedExtra::decode_fields(input).map_err(DecodeError::BadExtra)?;
        Ok(SignaturePart { signer, signature, extra })
    }

    /// The body: version byte, signature part if any, call (no length prefix).
    pub fn encode_body(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.call.len().saturating_add(120));
        match &self.signature {
            Some(part) => {
                out.push(SIGNED_VERSION_BYTE);
                out.push(address_variant::ID);
                out.extend_from_slice(part.signer.as_ref());
                part.signature.encode_to(&mut out);
                part.extra.encode_to(&mut out);
            }
            None => out.push(UNSIGNED_VERSION_BYTE),
        }
        out.extend_from_slice(&self.call);
        out
    }

    /// The wire encoding: `Compact<u32>(len) ++ body`.
    ///
    /// # Panics
    ///
    /// Never for bodies under 4 GiB; longer ones cannot be built from decoded input.
    pub fn encode(&self) -> Vec<u8> {
        let body = self.encode_body();
        let len = u32::try_from(body.len()).expect("an extrinsic body is shorter than 4 GiB");
        let mut out = Compact(len).encode();
        out.extend_from_slice(&body);
        out
    }

    /// The extrinsic hash: `blake2_256` of the whole encoding, as clients compute it.
    pub fn hash(&self) -> [u8; 32] {
        blake2_256(&self.encode())
    }
}
