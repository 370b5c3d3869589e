//! The checks an extrinsic passes before it may run: signature, era, nonce, sender.
//!
//! They mirror what FRAME's `UncheckedExtrinsic::check` and subtensor's signed extensions do,
//! in the same order, with the same error variants:
//!
//! 1. unsigned extrinsics are refused ([`UnknownTransaction::NoUnsignedValidator`]); subtensor's
//!    unsigned calls (inherents, drand pulses) are not part of this chain;
//! 2. CheckMortality computes the era's birth block from the current block; if its hash is no
//!    longer (or not yet) known: [`InvalidTransaction::AncientBirthBlock`];
//! 3. the signature is verified over `call ++ extra ++ (spec_version, transaction_version,
//!    genesis hash, birth hash, metadata hash)` taken from *our* chain, so a wrong spec or
//!    transaction version, another chain's genesis, or an era signed for another birth block
//!    (including an expired one) all show as [`InvalidTransaction::BadProof`], as on Substrate;
//! 4. CheckNonZeroSender: the all-zero account is [`InvalidTransaction::BadSigner`];
//! 5. CheckNonce: a nonce below the account's is [`InvalidTransaction::Stale`]; above it is
//!    [`InvalidTransaction::Future`] when applying in a block, and allowed (for the pool to
//!    queue) when validating.
//!
//! Fees, weight and subtensor's own extension (rate limits, serving checks) come later, with
//! dispatch.
use rustensor_primitives::AccountId32;

use rustensor_runtime_types::extrinsic::{
    AdditionalSigned, Era, InvalidTransaction, MetadataHashMode, TransactionValidityError,
    UncheckedExtrinsic, UnknownTransaction, signing_message,
};

/// What the checks need to know about the chain. `runtime` implements it over storage
/// (`System.BlockHash`, `System.Account`); tests implement it in memory.
pub trait ChainContext {
    /// The runtime's `spec_version`.
    fn spec_version(&self) -> u32;
    /// The runtime's `transaction_version`.
    fn transaction_version(&self) -> u32;
    /// The number of the block the extrinsic is checked for: the block being built or
    /// executed, or for the pool, the best block + 1 (as FRAME's `validate_transaction`).
    fn current_block(&self) -> u32;
    /// The hash of block `number` if the chain still keeps it (`System.BlockHash`). Block 0
    /// (genesis) is always kept; the current block's own hash is not known yet.
    fn block_hash(&self, number: u32) -> Option<[u8; 32]>;
    /// The account's current nonce (`System.Account[who].nonce`, 0 for an unknown account).
    fn account_nonce(&self, who: &AccountId32) -> u32;
    /// The genesis hash; by default `block_hash(0)`, zeroes if unknown (as FRAME's
    /// `CheckGenesis`).
    fn genesis_hash(&self) -> [u8; 32] {
        self.block_hash(0).unwrap_or_default()
    }
    /// The runtime metadata hash signed when `CheckMetadataHash` is enabled; `None` by default
    /// (a runtime built without one signs `None` even then, as FRAME does).
    fn metadata_hash(&self) -> Option<[u8; 32]> {
        None
    }
}

/// Whether a future nonce is acceptable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckMode {
    /// For the transaction pool: a nonce above the account's is accepted (the pool waits for
    /// the gap to fill), as FRAME's `validate`.
    Validate,
    /// For execution in a block: the nonce must equal the account's, as FRAME's `pre_dispatch`.
    Apply,
}

/// A signed extrinsic that passed [`check`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedExtrinsic {
    /// The verified signer.
    pub signer: AccountId32,
    /// The signed nonce.
    pub nonce: u32,
    /// The tip in RAO.
    pub tip: u64,
    /// The era.
    pub era: Era,
    /// Blocks from the current one until the era ends (`u64::MAX` for immortal), for the
    /// pool's `longevity`.
    pub longevity: u64,
    /// The call: pallet index, call index, SCALE arguments.
    pub call: Vec<u8>,
}

/// Runs the checks of the module docs on `xt` against `chain`.
///
/// # Errors
///
/// - [`UnknownTransaction::NoUnsignedValidator`]: `xt` is unsigned;
/// - [`InvalidTransaction::AncientBirthBlock`]: the era's birth block hash is not kept;
/// - [`InvalidTransaction::BadProof`]: the signature does not verify over our chain's data
///   (wrong spec/tx version or genesis, expired or foreign era, tampered bytes, ECDSA);
/// - [`InvalidTransaction::BadSigner`]: the signer is the all-zero account;
/// - [`InvalidTransaction::Stale`]: the nonce is below the account's;
/// - [`InvalidTransaction::Future`]: the nonce is above the account's and `mode` is
///   [`CheckMode::Apply`].
pub fn check(
    xt: &UncheckedExtrinsic,
    chain: &impl ChainContext,
    mode: CheckMode,
) -> Result<CheckedExtrinsic, TransactionValidityError> {
    check_with(xt, chain, mode, None)
}

/// Whether `xt`'s signature verifies over the data `chain` signs (the first checks of
/// [`check()`], without the nonce). Within one block the answer cannot change, so a block
/// importer may compute it for many extrinsics at once, on several threads, and hand it to
/// [`check_with`].
///
/// # Errors
///
/// `NoUnsignedValidator` and `AncientBirthBlock` as [`check()`].
pub fn signature_valid(
    xt: &UncheckedExtrinsic,
    chain: &impl ChainContext,
) -> Result<bool, TransactionValidityError> {
    let part = xt.signature.as_ref().ok_or(UnknownTransaction::NoUnsignedValidator)?;
    let message = signed_message(xt, part, chain)?;
    Ok(part.signature.verify(&message, &part.signer))
}

/// The bytes `xt`'s signature must cover on `chain` (the payload, hashed when over 256
/// bytes), for verifying it elsewhere, e.g. with a cached key.
///
/// # Errors
///
/// `NoUnsignedValidator` and `AncientBirthBlock` as [`check()`].
pub fn signed_message_of(
    xt: &UncheckedExtrinsic,
    chain: &impl ChainContext,
) -> Result<Vec<u8>, TransactionValidityError> {
    let part = xt.signature.as_ref().ok_or(UnknownTransaction::NoUnsignedValidator)?;
    signed_message(xt, part, chain)
}

/// The bytes `part`'s signature must cover on `chain`.
fn signed_message(
    xt: &UncheckedExtrinsic,
    part: &super::SignaturePart,
    chain: &impl ChainContext,
) -> Result<Vec<u8>, TransactionValidityError> {
    let extra = &part.extra;
    let current = u64::from(chain.current_block());
    // CheckMortality's implicit data: the birth block must still be known.
    let birth = u32::try_from(extra.era.birth(current))
        .map_err(|_| InvalidTransaction::AncientBirthBlock)?;
    let birth_hash = chain.block_hash(birth).ok_or(InvalidTransaction::AncientBirthBlock)?;
    let additional = AdditionalSigned {
        spec_version: chain.spec_version(),
        transaction_version: chain.transaction_version(),
        genesis_hash: chain.genesis_hash(),
        birth_hash,
        metadata_hash: match extra.metadata_hash {
            MetadataHashMode::Disabled => None,
            MetadataHashMode::Enabled => chain.metadata_hash(),
        },
    };
    Ok(signing_message(&xt.call, extra, &additional))
}

/// [`check()`] with the signature verdict already known: `verified` is what
/// [`signature_valid`] returned for `xt` on this same `chain` state (`None`: verify here).
///
/// # Errors
///
/// As [`check()`].
pub fn check_with(
    xt: &UncheckedExtrinsic,
    chain: &impl ChainContext,
    mode: CheckMode,
    verified: Option<bool>,
) -> Result<CheckedExtrinsic, TransactionValidityError> {
    let part = xt.signature.as_ref().ok_or(UnknownTransaction::NoUnsignedValidator)?;
    let extra = &part.extra;
    let current = u64::from(chain.current_block());
    let valid = match verified {
        Some(valid) => {
            // The birth block must still be known, as when the verdict was computed.
            let birth = u32::try_from(extra.era.birth(current))
                .map_err(|_| InvalidTransaction::AncientBirthBlock)?;
            chain.block_hash(birth).ok_or(InvalidTransaction::AncientBirthBlock)?;
            valid
        }
        None => part.signature.verify(&signed_message(xt, part, chain)?, &part.signer),
    };
    if !valid {
        return Err(InvalidTransaction::BadProof.into());
    }

    if part.signer.0 == [0u8; 32] {
        return Err(InvalidTransaction::BadSigner.into());
    }

    let expected = chain.account_nonce(&part.signer);
    if extra.nonce < expected {
        return Err(InvalidTransaction::Stale.into());
    }
    if extra.nonce > expected && mode == CheckMode::Apply {
        return Err(InvalidTransaction::Future.into());
    }

    Ok(CheckedExtrinsic {
        signer: part.signer,
        nonce: extra.nonce,
        tip: extra.tip,
        era: extra.era,
        longevity: extra.era.death(current).saturating_sub(current),
        call: xt.call.clone(),
    })
}
