//! Metadata V15 built from our own types: what `state_getMetadata` and
//! `state_call Metadata_metadata_at_version(15)` serve (`reference/substrate_compat.md` §4.1).
//!
//! The official clients are driven by metadata: pallet, call, argument, storage, event, error,
//! constant and runtime-API names, storage hashers, the signed-extension order and a few type
//! paths all come from here. Everything is generated from the runtime's types:
//!
//! | part | source |
//! | --- | --- |
//! | calls | derived `TypeInfo` of `SubtensorModule` / `AdminUtils` calls (snake-cased), hand tables for the hand-decoded `System`, `Balances`, `Utility`, `Sudo` calls ([`types::call_types`]) |
//! | events, errors | derived `TypeInfo` of each pallet's `Event` / `Error` |
//! | storage | the typed aliases through [`storage::StorageEntry`], listed per pallet in [`storage::pallet_storage`] |
//! | runtime APIs | [`apis`]: every method `call_runtime_api` answers, with typed outputs |
//! | special paths | [`types`]: `AccountId32`, `H256`, `MultiAddress`, `MultiSignature`, `Era`, `EventRecord`, `UncheckedExtrinsic`, the outer enums |
//!
//! # Deviations from subtensor
//!
//! - Only the pallets and items this runtime implements are described, plus `Aura` for its
//!   `SlotDuration` constant (clients read the block time from it).
//! - `NetUid` is described as a plain `u16` (subtensor: a one-field composite); both encode
//!   the same, and clients accept plain numbers for either.
//! - Fixed-point values are described by their raw bits (`u128` / `i128` / `u64`), which is
//!   what the SDK's `fixed_to_float` accepts.
//! - Only V15 is offered ([`metadata_versions`]); `state_getMetadata` serves the same bytes.

pub mod apis;
pub mod storage;
pub mod types;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use frame_metadata::RuntimeMetadataPrefixed;
use frame_metadata::v15::{
    CustomMetadata, ExtrinsicMetadata, OuterEnums, PalletCallMetadata, PalletConstantMetadata,
    PalletErrorMetadata, PalletEventMetadata, PalletMetadata, PalletStorageMetadata,
    RuntimeMetadataV15, SignedExtensionMetadata,
};
use parity_scale_codec::Encode;
use scale_info::{MetaType, TypeInfo};

use crate::pallets::{RuntimeCall, balances, system, transaction_payment};
use types::{H256, MultiSignature, RuntimeError, RuntimeEvent, SignedExtensions, extensions};

/// The metadata version served.
pub const METADATA_VERSION: u32 = 15;

/// Subtensor's SS58 prefix (`System.SS58Prefix`).
pub const SS58_PREFIX: u16 = 42;

/// Subtensor's block time in milliseconds (`Aura.SlotDuration`).
pub const SLOT_DURATION_MS: u64 = 12_000;

/// A constant entry of value `value` described as `T`.
fn constant<T: TypeInfo + Encode + 'static>(
    name: &'static str,
    value: T,
    docs: &'static str,
) -> PalletConstantMetadata {
    PalletConstantMetadata {
        name,
        ty: MetaType::new::<T>(),
        value: value.encode(),
        docs: vec![docs],
    }
}

/// The constants of pallet `pallet`.
fn pallet_constants(pallet: &str) -> Vec<PalletConstantMetadata> {
    match pallet {
        "System" => vec![
            constant(
                "BlockHashCount",
                system::BLOCK_HASH_COUNT,
                " Maximum number of block number to block hash mappings to keep.",
            ),
            constant("SS58Prefix", SS58_PREFIX, " The SS58 prefix of this chain's addresses."),
        ],
        "Aura" => vec![constant(
            "SlotDuration",
            SLOT_DURATION_MS,
            " The slot duration (block time) in milliseconds.",
        )],
        "Balances" => vec![constant(
            "ExistentialDeposit",
            balances::EXISTENTIAL_DEPOSIT,
            " The minimum balance an account must keep to exist.",
        )],
        "TransactionPayment" => vec![constant(
            "OperationalFeeMultiplier",
            transaction_payment::OPERATIONAL_FEE_MULTIPLIER,
            " The priority multiplier of operational transactions.",
        )],
        _ => Vec::new(),
    }
}

/// The pallets, in index order.
fn pallets() -> Vec<PalletMetadata> {
    types::pallet_types()
        .into_iter()
        .map(|p| PalletMetadata {
            name: p.name,
            storage: storage::pallet_storage(p.name)
                .map(|entries| PalletStorageMetadata { prefix: p.name, entries }),
            calls: p.call.map(|ty| PalletCallMetadata { ty }),
            event: p.event.map(|ty| PalletEventMetadata { ty }),
            constants: pallet_constants(p.name),
            error: p.error.map(|ty| PalletErrorMetadata { ty }),
            index: p.index,
            docs: Vec::new(),
        })
        .collect()
}

/// The signed extensions in subtensor's metadata order, with their extra and additional types.
fn signed_extensions() -> Vec<SignedExtensionMetadata> {
    use extensions::*;
    fn ext<T: TypeInfo + 'static, A: TypeInfo + 'static>(
        identifier: &'static str,
    ) -> SignedExtensionMetadata {
        SignedExtensionMetadata {
            identifier,
            ty: MetaType::new::<T>(),
            additional_signed: MetaType::new::<A>(),
        }
    }
    vec![
        ext::<CheckNonZeroSender, ()>("CheckNonZeroSender"),
        ext::<CheckSpecVersion, u32>("CheckSpecVersion"),
        ext::<CheckTxVersion, u32>("CheckTxVersion"),
        ext::<CheckGenesis, H256>("CheckGenesis"),
        ext::<CheckMortality, H256>("CheckMortality"),
        ext::<CheckNonce, ()>("CheckNonce"),
        ext::<CheckWeight, ()>("CheckWeight"),
        ext::<ChargeTransactionPayment, ()>("ChargeTransactionPayment"),
        ext::<SubtensorTransactionExtension, ()>("SubtensorTransactionExtension"),
        ext::<DrandPriority, ()>("DrandPriority"),
        ext::<CheckMetadataHash, Option<[u8; 32]>>("CheckMetadataHash"),
    ]
}

/// The V15 metadata of this runtime.
pub fn metadata_v15() -> RuntimeMetadataV15 {
    let extrinsic = ExtrinsicMetadata {
        version: 4,
        address_ty: MetaType::new::<balances::MultiAddress>(),
        call_ty: MetaType::new::<RuntimeCall>(),
        signature_ty: MetaType::new::<MultiSignature>(),
        extra_ty: MetaType::new::<SignedExtensions>(),
        signed_extensions: signed_extensions(),
    };
    RuntimeMetadataV15::new(
        pallets(),
        extrinsic,
        MetaType::new::<types::Runtime>(),
        apis::runtime_apis(),
        OuterEnums {
            call_enum_ty: MetaType::new::<RuntimeCall>(),
            event_enum_ty: MetaType::new::<RuntimeEvent>(),
            error_enum_ty: MetaType::new::<RuntimeError>(),
        },
        CustomMetadata { map: BTreeMap::new() },
    )
}

/// The metadata with its `"meta"` magic and version byte, as the metadata APIs return it.
pub fn metadata() -> RuntimeMetadataPrefixed {
    metadata_v15().into()
}

/// The SCALE bytes of [`metadata`] (computed once): the body of `state_getMetadata` and the
/// `Vec<u8>` inside `Metadata_metadata_at_version(15)`'s `Some`.
pub fn metadata_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| metadata().encode())
}

/// The metadata versions served: `Metadata_metadata_versions` (only V15; the Python clients
/// ask for version 15 and fall back to `state_getMetadata`).
pub fn metadata_versions() -> Vec<u32> {
    vec![METADATA_VERSION]
}

/// `Metadata_metadata_at_version(version)`: the SCALE `Option<OpaqueMetadata>` result, `Some`
/// with the metadata bytes for a served version, `None` otherwise.
pub fn metadata_at_version(version: u32) -> Vec<u8> {
    if metadata_versions().contains(&version) {
        Some(metadata_bytes()).encode()
    } else {
        None::<Vec<u8>>.encode()
    }
}
