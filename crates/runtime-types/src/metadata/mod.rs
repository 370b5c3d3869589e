//! Metadata V14 and V15 built from our own types: `state_getMetadata` and `Metadata_metadata`
//! serve V14, `Metadata_metadata_at_version(14 | 15)` either, as subtensor does
//! (`reference/substrate_compat.md` §4.1).
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

pub mod apis;
pub mod storage;
pub mod types;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use frame_metadata::RuntimeMetadataPrefixed;
use frame_metadata::v14::{self, RuntimeMetadataV14};
use frame_metadata::v15::{
    CustomMetadata, ExtrinsicMetadata, OuterEnums, PalletCallMetadata, PalletConstantMetadata,
    PalletErrorMetadata, PalletEventMetadata, PalletMetadata, PalletStorageMetadata,
    RuntimeMetadataV15, SignedExtensionMetadata,
};
use parity_scale_codec::Encode;
use scale_info::{IntoPortable as _, MetaType, Registry, TypeInfo};

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

/// The V14 metadata of this runtime: the same pallets, types and signed extensions as
/// [`metadata_v15`], without runtime APIs, outer enums and docs, as FRAME's `Metadata_metadata`
/// serves it (and so `state_getMetadata`).
pub fn metadata_v14() -> RuntimeMetadataV14 {
    let pallets = pallets()
        .into_iter()
        .map(|p| v14::PalletMetadata {
            name: p.name,
            storage: p.storage,
            calls: p.calls,
            event: p.event,
            constants: p.constants,
            error: p.error,
            index: p.index,
        })
        .collect();
    let extrinsic = v14::ExtrinsicMetadata {
        ty: MetaType::new::<types::UncheckedExtrinsic>(),
        version: 4,
        signed_extensions: signed_extensions()
            .into_iter()
            .map(|e| v14::SignedExtensionMetadata {
                identifier: e.identifier,
                ty: e.ty,
                additional_signed: e.additional_signed,
            })
            .collect(),
    };
    RuntimeMetadataV14::new(pallets, extrinsic, MetaType::new::<types::Runtime>())
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
    let outer_enums = OuterEnums {
        call_enum_ty: MetaType::new::<RuntimeCall>(),
        event_enum_ty: MetaType::new::<RuntimeEvent>(),
        error_enum_ty: MetaType::new::<RuntimeError>(),
    };
    // The pallets' types are registered first, as in V14, so that a type has the same id in
    // both: clients decode storage with V14's entries and V15's registry (async-substrate-
    // interface 1.5.9 under bittensor 9.12.2 does), and `AccountId32` is type 0 in each.
    // frame-metadata's `RuntimeMetadataV15::new` registers the extrinsic's types first.
    let mut registry = Registry::new();
    let pallets = registry.map_into_portable(pallets());
    let extrinsic = extrinsic.into_portable(&mut registry);
    let ty = registry.register_type(&MetaType::new::<types::Runtime>());
    let apis = registry.map_into_portable(apis::runtime_apis());
    let outer_enums = outer_enums.into_portable(&mut registry);
    let custom = CustomMetadata { map: BTreeMap::new() }.into_portable(&mut registry);
    RuntimeMetadataV15 { types: registry.into(), pallets, extrinsic, ty, apis, outer_enums, custom }
}

/// The V15 metadata with its `"meta"` magic and version byte, as
/// `Metadata_metadata_at_version(15)` returns it.
pub fn metadata() -> RuntimeMetadataPrefixed {
    metadata_v15().into()
}

/// The SCALE bytes of the V14 metadata (computed once): what `state_getMetadata` and
/// `Metadata_metadata` serve, as FRAME does, and the `Vec<u8>` inside
/// `Metadata_metadata_at_version(14)`'s `Some`.
pub fn metadata_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| RuntimeMetadataPrefixed::from(metadata_v14()).encode())
}

/// The SCALE bytes of [`metadata`] (computed once): the `Vec<u8>` inside
/// `Metadata_metadata_at_version(15)`'s `Some`, which carries the runtime APIs.
pub fn metadata_v15_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| metadata().encode())
}

/// The metadata versions served: `Metadata_metadata_versions`, `[14, 15]` as subtensor lists
/// them. The Python clients ask for version 15 (runtime APIs) and older ones read V14 from
/// `state_getMetadata`.
pub fn metadata_versions() -> Vec<u32> {
    vec![14, METADATA_VERSION]
}

/// `Metadata_metadata_at_version(version)`: the SCALE `Option<OpaqueMetadata>` result, `Some`
/// with the metadata bytes for a served version, `None` otherwise.
pub fn metadata_at_version(version: u32) -> Vec<u8> {
    match version {
        14 => Some(metadata_bytes()).encode(),
        METADATA_VERSION => Some(metadata_v15_bytes()).encode(),
        _ => None::<Vec<u8>>.encode(),
    }
}
