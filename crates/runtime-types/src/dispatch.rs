//! Dispatch results as they appear on the wire: `DispatchError`, weights and dispatch info.
//!
//! These are the types inside `System.ExtrinsicSuccess { dispatch_info }` and
//! `System.ExtrinsicFailed { dispatch_error, dispatch_info }` (`reference/substrate_compat.md`
//! §4.4). Clients decide success from them and turn `DispatchError::Module { index, error }`
//! into a pallet error name through our metadata, so `error[0]` must be the variant index of
//! the pallet's `Error` enum in subtensor's order.
//!
//! Wire format: every type here matches sp-runtime / frame-support SCALE encodings; changing
//! them breaks clients.

use parity_scale_codec::{Compact, Decode, Encode, Error as CodecError, Input, Output};

/// Why call bytes cannot be dispatched at all. An extrinsic with such a call is rejected before
/// execution (on Substrate it would not even decode).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// Fewer than two bytes: no pallet and call index.
    #[error("call too short: {0} bytes")]
    TooShort(usize),
    /// No pallet has this index.
    #[error("unknown pallet index {0}")]
    UnknownPallet(u8),
    /// The pallet has no call with this index.
    #[error("unknown call {call} in pallet {pallet}")]
    UnknownCall {
        /// The pallet index.
        pallet: u8,
        /// The call index.
        call: u8,
    },
    /// The arguments do not decode, or bytes are left over.
    #[error("malformed arguments for call {call} in pallet {pallet}")]
    BadArguments {
        /// The pallet index.
        pallet: u8,
        /// The call index.
        call: u8,
    },
}

/// Decodes one pallet's call (index and arguments, after the pallet index) with the pallet's
/// `decode_from`, and requires every argument byte to be used.
///
/// # Errors
///
/// What `decode_from` returns, or [`CallError::BadArguments`] when bytes are left over.
pub fn decode_exact<C>(
    pallet: u8,
    call_index: u8,
    mut args: &[u8],
    decode_from: impl FnOnce(u8, &mut &[u8]) -> Result<C, CallError>,
) -> Result<C, CallError> {
    let call = decode_from(call_index, &mut args)?;
    if args.is_empty() {
        Ok(call)
    } else {
        Err(CallError::BadArguments { pallet, call: call_index })
    }
}

/// What a call reports after running: FRAME's `PostDispatchInfo`.
///
/// The executive charges the fee on the pre-dispatch info and refunds the difference this
/// makes: `pays_fee: Pays::No` (e.g. a successful `Sudo.sudo`) refunds everything but the tip;
/// an `actual_weight` below the declared weight refunds the weight fee difference.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PostDispatchInfo {
    /// The weight actually used, if less than declared.
    pub actual_weight: Option<Weight>,
    /// Whether the call pays after all.
    pub pays_fee: Pays,
}

impl PostDispatchInfo {
    /// "Ran, and pays nothing."
    pub const FREE: Self = Self { actual_weight: None, pays_fee: Pays::No };
}

/// A failed call's error with its post-dispatch info (FRAME's `DispatchErrorWithPostInfo`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DispatchErrorWithPostInfo {
    /// What the call reports (usually the default: full weight, pays).
    pub post_info: PostDispatchInfo,
    /// Why it failed.
    pub error: DispatchError,
}

impl From<DispatchError> for DispatchErrorWithPostInfo {
    fn from(error: DispatchError) -> Self {
        Self { post_info: PostDispatchInfo::default(), error }
    }
}

/// The result of dispatching a call: FRAME's `DispatchResultWithPostInfo`.
pub type DispatchResultWithPostInfo = Result<PostDispatchInfo, DispatchErrorWithPostInfo>;

/// A weight: `Weight { ref_time: Compact<u64>, proof_size: Compact<u64> }`. Wire-visible.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, scale_info::TypeInfo,
)]
pub struct Weight {
    /// Computation time in picoseconds.
    #[codec(compact)]
    pub ref_time: u64,
    /// Proof size in bytes.
    #[codec(compact)]
    pub proof_size: u64,
}

impl Weight {
    /// A weight from its two parts.
    pub const fn from_parts(ref_time: u64, proof_size: u64) -> Self {
        Self { ref_time, proof_size }
    }

    /// Both parts added, saturating.
    #[must_use]
    pub const fn saturating_add(self, other: Self) -> Self {
        Self {
            ref_time: self.ref_time.saturating_add(other.ref_time),
            proof_size: self.proof_size.saturating_add(other.proof_size),
        }
    }

    /// The smaller of each part.
    #[must_use]
    pub fn min(self, other: Self) -> Self {
        Self {
            ref_time: self.ref_time.min(other.ref_time),
            proof_size: self.proof_size.min(other.proof_size),
        }
    }
}

impl Encode for Weight {
    fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
        Compact(self.ref_time).encode_to(dest);
        Compact(self.proof_size).encode_to(dest);
    }
}

impl Decode for Weight {
    fn decode<I: Input>(input: &mut I) -> Result<Self, CodecError> {
        let ref_time = Compact::<u64>::decode(input)?.0;
        let proof_size = Compact::<u64>::decode(input)?.0;
        Ok(Self { ref_time, proof_size })
    }
}

/// `frame_support::dispatch::DispatchClass`. Wire-visible: Normal 0, Operational 1, Mandatory 2.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Encode, Decode, scale_info::TypeInfo,
)]
pub enum DispatchClass {
    /// Ordinary transactions.
    #[default]
    #[codec(index = 0)]
    Normal,
    /// Operational transactions (higher priority).
    #[codec(index = 1)]
    Operational,
    /// Inherents and hooks that must run.
    #[codec(index = 2)]
    Mandatory,
}

/// `frame_support::dispatch::Pays`. Wire-visible: Yes 0, No 1.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Encode, Decode, scale_info::TypeInfo,
)]
pub enum Pays {
    /// The sender pays the fee.
    #[default]
    #[codec(index = 0)]
    Yes,
    /// The call is free (subtensor: weights, serving, take changes, …).
    #[codec(index = 1)]
    No,
}

/// `frame_system::DispatchEventInfo`: what `ExtrinsicSuccess` / `ExtrinsicFailed` carry.
/// Wire-visible.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Encode, Decode, scale_info::TypeInfo,
)]
pub struct DispatchEventInfo {
    /// The weight the call used.
    pub weight: Weight,
    /// Its class.
    pub class: DispatchClass,
    /// Whether a fee was charged.
    pub pays_fee: Pays,
}

/// `sp_runtime::ModuleError`: a pallet's error. Wire-visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Encode, Decode, scale_info::TypeInfo)]
pub struct ModuleError {
    /// The pallet index (subtensor's: System 0, Balances 5, SubtensorModule 7, …).
    pub index: u8,
    /// `error[0]` is the variant index of the pallet's `Error` enum; the rest is zero.
    pub error: [u8; 4],
}

/// `sp_runtime::TokenError`. Wire-visible (variant order).
#[allow(missing_docs, reason = "variant names are sp-runtime's and self-describing")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Encode, Decode, scale_info::TypeInfo)]
pub enum TokenError {
    FundsUnavailable,
    OnlyProvider,
    BelowMinimum,
    CannotCreate,
    UnknownAsset,
    Frozen,
    Unsupported,
    CannotCreateHold,
    NotExpendable,
    Blocked,
}

/// `sp_arithmetic::ArithmeticError`. Wire-visible (variant order).
#[allow(missing_docs, reason = "variant names are sp-arithmetic's and self-describing")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Encode, Decode, scale_info::TypeInfo)]
pub enum ArithmeticError {
    Underflow,
    Overflow,
    DivisionByZero,
}

/// `sp_runtime::TransactionalError`. Wire-visible (variant order).
#[allow(missing_docs, reason = "variant names are sp-runtime's and self-describing")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Encode, Decode, scale_info::TypeInfo)]
pub enum TransactionalError {
    LimitReached,
    NoLayer,
}

/// `sp_runtime::DispatchError`: why a dispatched call failed. Wire-visible (variant order).
///
/// `Other`'s text is not encoded (as in sp-runtime), so it decodes as `Other("")`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error, scale_info::TypeInfo)]
pub enum DispatchError {
    /// Index 0: an error with only a description.
    #[error("other: {0}")]
    Other(#[codec(skip)] &'static str),
    /// Index 1: an account lookup failed.
    #[error("cannot lookup")]
    CannotLookup,
    /// Index 2: the origin may not make this call.
    #[error("bad origin")]
    BadOrigin,
    /// Index 3: a pallet's error.
    #[error("module error: pallet {}, error {}", .0.index, .0.error[0])]
    Module(ModuleError),
    /// Index 4: an account still has consumers.
    #[error("consumer remaining")]
    ConsumerRemaining,
    /// Index 5: an account has no providers.
    #[error("no providers")]
    NoProviders,
    /// Index 6: too many consumers.
    #[error("too many consumers")]
    TooManyConsumers,
    /// Index 7: a token (balance) error.
    #[error("token error: {0:?}")]
    Token(TokenError),
    /// Index 8: an arithmetic error.
    #[error("arithmetic error: {0:?}")]
    Arithmetic(ArithmeticError),
    /// Index 9: transactional layers exhausted or missing.
    #[error("transactional error: {0:?}")]
    Transactional(TransactionalError),
    /// Index 10: resources exhausted.
    #[error("resources exhausted")]
    Exhausted,
    /// Index 11: the state is corrupt.
    #[error("state corrupt")]
    Corruption,
    /// Index 12: a resource is unavailable.
    #[error("resource unavailable")]
    Unavailable,
    /// Index 13: root may not make this call.
    #[error("root not allowed")]
    RootNotAllowed,
}

impl DispatchError {
    /// The `Module` error of variant `error` in pallet `index`.
    pub const fn module(index: u8, error: u8) -> Self {
        Self::Module(ModuleError { index, error: [error, 0, 0, 0] })
    }

    fn variant(&self) -> u8 {
        match self {
            Self::Other(_) => 0,
            Self::CannotLookup => 1,
            Self::BadOrigin => 2,
            Self::Module(_) => 3,
            Self::ConsumerRemaining => 4,
            Self::NoProviders => 5,
            Self::TooManyConsumers => 6,
            Self::Token(_) => 7,
            Self::Arithmetic(_) => 8,
            Self::Transactional(_) => 9,
            Self::Exhausted => 10,
            Self::Corruption => 11,
            Self::Unavailable => 12,
            Self::RootNotAllowed => 13,
        }
    }
}

impl Encode for DispatchError {
    fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
        dest.push_byte(self.variant());
        match self {
            Self::Module(e) => e.encode_to(dest),
            Self::Token(e) => e.encode_to(dest),
            Self::Arithmetic(e) => e.encode_to(dest),
            Self::Transactional(e) => e.encode_to(dest),
            _ => {}
        }
    }
}

impl Decode for DispatchError {
    fn decode<I: Input>(input: &mut I) -> Result<Self, CodecError> {
        Ok(match input.read_byte()? {
            0 => Self::Other(""),
            1 => Self::CannotLookup,
            2 => Self::BadOrigin,
            3 => Self::Module(ModuleError::decode(input)?),
            4 => Self::ConsumerRemaining,
            5 => Self::NoProviders,
            6 => Self::TooManyConsumers,
            7 => Self::Token(TokenError::decode(input)?),
            8 => Self::Arithmetic(ArithmeticError::decode(input)?),
            9 => Self::Transactional(TransactionalError::decode(input)?),
            10 => Self::Exhausted,
            11 => Self::Corruption,
            12 => Self::Unavailable,
            13 => Self::RootNotAllowed,
            _ => return Err("unknown DispatchError variant".into()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_dispatch_error_encodings() {
        assert_eq!(DispatchError::module(7, 12).encode(), vec![3, 7, 12, 0, 0, 0]);
        assert_eq!(DispatchError::BadOrigin.encode(), vec![2]);
        assert_eq!(DispatchError::Other("x").encode(), vec![0]);
        assert_eq!(DispatchError::Token(TokenError::FundsUnavailable).encode(), vec![7, 0]);
        assert_eq!(DispatchError::Token(TokenError::NotExpendable).encode(), vec![7, 8]);
        assert_eq!(DispatchError::Arithmetic(ArithmeticError::Overflow).encode(), vec![8, 1]);
        assert_eq!(DispatchError::RootNotAllowed.encode(), vec![13]);
        for e in [
            DispatchError::module(5, 2),
            DispatchError::Token(TokenError::Blocked),
            DispatchError::Transactional(TransactionalError::NoLayer),
            DispatchError::Corruption,
        ] {
            assert_eq!(DispatchError::decode(&mut &e.encode()[..]), Ok(e));
        }
        assert!(DispatchError::decode(&mut &[14u8][..]).is_err());
    }

    #[test]
    fn test_dispatch_event_info_encoding() {
        let info = DispatchEventInfo {
            weight: Weight::from_parts(1_000_000, 0),
            class: DispatchClass::Normal,
            pays_fee: Pays::No,
        };
        // Compact(1_000_000) = 0x02093d00, Compact(0) = 0x00, Normal 0x00, Pays::No 0x01.
        assert_eq!(hex::encode(info.encode()), "02093d00000001");
        assert_eq!(DispatchEventInfo::decode(&mut &info.encode()[..]), Ok(info));
    }
}
