//! Why a transaction is refused: sp-runtime's `TransactionValidityError` and its parts, as they
//! go out in `TaggedTransactionQueue_validate_transaction` results and JSON-RPC error data.

use parity_scale_codec::{Decode, Encode};

/// Why a transaction is invalid: sp-runtime's `InvalidTransaction`.
///
/// Wire format: the variant indices are sp-runtime's (they go out in
/// `TaggedTransactionQueue_validate_transaction` results); changing them breaks clients.
/// [`Self::description`] gives Substrate's text for RPC error data.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, thiserror::Error, scale_info::TypeInfo,
)]
pub enum InvalidTransaction {
    /// The call is not allowed.
    #[error("transaction call is not expected")]
    #[codec(index = 0)]
    Call,
    /// The sender cannot pay the fee.
    #[error("inability to pay some fees (e.g. account balance too low)")]
    #[codec(index = 1)]
    Payment,
    /// The nonce is above the account's.
    #[error("transaction will be valid in the future")]
    #[codec(index = 2)]
    Future,
    /// The nonce is below the account's.
    #[error("transaction is outdated")]
    #[codec(index = 3)]
    Stale,
    /// The signature does not verify against our chain's signed data.
    #[error("transaction has a bad signature")]
    #[codec(index = 4)]
    BadProof,
    /// The era's birth block hash is not kept (too old, or not built yet).
    #[error("transaction has an ancient birth block")]
    #[codec(index = 5)]
    AncientBirthBlock,
    /// The block has no room for it.
    #[error("transaction would exhaust the block limits")]
    #[codec(index = 6)]
    ExhaustsResources,
    /// A runtime-specific reason (subtensor's custom codes).
    #[error("custom invalid transaction error {0}")]
    #[codec(index = 7)]
    Custom(u8),
    /// A mandatory (inherent) dispatch failed.
    #[error("a call was labelled as mandatory, but resulted in an error")]
    #[codec(index = 8)]
    BadMandatory,
    /// A mandatory dispatch was sent as a transaction.
    #[error("transaction dispatch is mandatory; transactions must not be validated")]
    #[codec(index = 9)]
    MandatoryValidation,
    /// The signer is not allowed (the all-zero account).
    #[error("invalid signing address")]
    #[codec(index = 10)]
    BadSigner,
    /// The implicit (additional) data could not be computed.
    #[error("the implicit data was unable to be calculated")]
    #[codec(index = 11)]
    IndeterminateImplicit,
    /// The origin is unknown.
    #[error("the transaction extension did not authorize any origin")]
    #[codec(index = 12)]
    UnknownOrigin,
}

impl InvalidTransaction {
    /// Substrate's text, as the node puts in JSON-RPC error 1010's data.
    pub fn description(&self) -> &'static str {
        match self {
            Self::Call => "Transaction call is not expected",
            Self::Payment => "Inability to pay some fees (e.g. account balance too low)",
            Self::Future => "Transaction will be valid in the future",
            Self::Stale => "Transaction is outdated",
            Self::BadProof => "Transaction has a bad signature",
            Self::AncientBirthBlock => "Transaction has an ancient birth block",
            Self::ExhaustsResources => "Transaction would exhaust the block limits",
            Self::Custom(_) => "Custom error",
            Self::BadMandatory => "A call was labelled as mandatory, but resulted in an Error.",
            Self::MandatoryValidation => {
                "Transaction dispatch is mandatory; transactions must not be validated."
            }
            Self::BadSigner => "Invalid signing address",
            Self::IndeterminateImplicit => "The implicit data was unable to be calculated",
            Self::UnknownOrigin => "The transaction extension did not authorize any origin",
        }
    }
}

/// Why a transaction's validity cannot be decided: sp-runtime's `UnknownTransaction`.
///
/// Wire format: sp-runtime's variant indices.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, thiserror::Error, scale_info::TypeInfo,
)]
pub enum UnknownTransaction {
    /// An account or index lookup failed.
    #[error("could not lookup information required to validate the transaction")]
    #[codec(index = 0)]
    CannotLookup,
    /// Unsigned transactions are not accepted for this call.
    #[error("could not find an unsigned validator for the unsigned transaction")]
    #[codec(index = 1)]
    NoUnsignedValidator,
    /// A runtime-specific reason.
    #[error("unknown transaction validity: {0}")]
    #[codec(index = 2)]
    Custom(u8),
}

/// sp-runtime's `TransactionValidityError`. Wire format: `Invalid` = 0, `Unknown` = 1.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, thiserror::Error, scale_info::TypeInfo,
)]
pub enum TransactionValidityError {
    /// The transaction is invalid.
    #[error("invalid transaction: {0}")]
    #[codec(index = 0)]
    Invalid(InvalidTransaction),
    /// The transaction's validity cannot be decided.
    #[error("unknown transaction validity: {0}")]
    #[codec(index = 1)]
    Unknown(UnknownTransaction),
}

impl From<InvalidTransaction> for TransactionValidityError {
    fn from(e: InvalidTransaction) -> Self {
        Self::Invalid(e)
    }
}

impl From<UnknownTransaction> for TransactionValidityError {
    fn from(e: UnknownTransaction) -> Self {
        Self::Unknown(e)
    }
}
