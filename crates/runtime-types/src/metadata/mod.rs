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

use crate::pallets::subtensor::{self, rate_limit, storage as st};
use crate::pallets::{RuntimeCall, admin_utils, balances, system, transaction_payment};
use crate::storage::{Get, StorageMap, StorageValue, ValueQuery};
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
        "SubtensorModule" => subtensor_constants(),
        _ => Vec::new(),
    }
}

/// The typed default of a value-query storage alias: what reading an absent key returns.
trait StorageDefault {
    /// The item's value type.
    type Value;
    /// The default value.
    fn default_value() -> Self::Value;
}

impl<P, V, D: Get<V>> StorageDefault for StorageValue<P, V, ValueQuery<D>> {
    type Value = V;
    fn default_value() -> V {
        D::get()
    }
}

impl<P, H, K, V, D: Get<V>> StorageDefault for StorageMap<P, H, K, V, ValueQuery<D>> {
    type Value = V;
    fn default_value() -> V {
        D::get()
    }
}

/// The default of storage alias `S`.
fn default_of<S: StorageDefault>() -> S::Value {
    S::default_value()
}

/// `SubtensorModule`'s constants: subtensor's `#[pallet::constant]` config items, in its
/// order. SCALE types: `TaoBalance` is `u64`, block numbers `u32`, `Percent` `u8`, `PalletId`
/// `[u8; 8]`.
///
/// Where rustensor has the concept, the value is ours (mostly the storage default the
/// constant seeds in subtensor); otherwise it is upstream's production value, as each doc
/// says.
fn subtensor_constants() -> Vec<PalletConstantMetadata> {
    let (alpha_low, alpha_high) = default_of::<st::AlphaValues>();
    vec![
        constant("InitialIssuance", default_of::<st::TotalIssuance>(), " TAO issued at genesis."),
        constant(
            "InitialMinAllowedWeights",
            default_of::<st::MinAllowedWeights>(),
            " Default least number of weights a validator must set.",
        ),
        constant(
            "InitialEmissionValue",
            0u16,
            " Default emission value of a subnet (upstream's value; rustensor does not \
             implement emission values yet).",
        ),
        constant("InitialTempo", default_of::<st::InitialTempo>(), " Tempo of a new subnet."),
        constant(
            "InitialDifficulty",
            default_of::<st::Difficulty>(),
            " Default proof-of-work registration difficulty.",
        ),
        constant(
            "InitialMaxDifficulty",
            default_of::<st::MaxDifficulty>(),
            " Default upper bound of the registration difficulty.",
        ),
        constant(
            "InitialMinDifficulty",
            default_of::<st::MinDifficulty>(),
            " Default lower bound of the registration difficulty.",
        ),
        constant(
            "InitialRAORecycledForRegistration",
            default_of::<st::RAORecycledForRegistration>(),
            " RAO a subnet starts with as recycled by registrations.",
        ),
        constant("InitialBurn", default_of::<st::Burn>(), " Default registration burn in RAO."),
        constant(
            "InitialMaxBurn",
            default_of::<st::MaxBurn>(),
            " Default upper bound of the registration burn in RAO.",
        ),
        constant(
            "InitialMinBurn",
            default_of::<st::MinBurn>(),
            " Default lower bound of the registration burn in RAO.",
        ),
        constant("InitialMinStake", subtensor::MIN_STAKE, " Least TAO value of a stake operation."),
        constant(
            "MinBurnUpperBound",
            admin_utils::MIN_BURN_UPPER_BOUND,
            " Highest value an owner may give a subnet's minimum burn.",
        ),
        constant(
            "MaxBurnLowerBound",
            admin_utils::MAX_BURN_LOWER_BOUND,
            " Lowest value an owner may give a subnet's maximum burn.",
        ),
        constant("MinTempo", rate_limit::MIN_TEMPO, " Shortest tempo a subnet owner may set."),
        constant("MaxTempo", rate_limit::MAX_TEMPO, " Longest tempo a subnet owner may set."),
        constant(
            "MinActivityCutoffFactorMilli",
            st::MIN_ACTIVITY_CUTOFF_FACTOR_MILLI,
            " Least activity-cutoff factor an owner may set, in thousandths of a tempo.",
        ),
        constant(
            "MaxActivityCutoffFactorMilli",
            st::MAX_ACTIVITY_CUTOFF_FACTOR_MILLI,
            " Largest activity-cutoff factor an owner may set, in thousandths of a tempo.",
        ),
        constant(
            "InitialAdjustmentInterval",
            default_of::<st::AdjustmentInterval>(),
            " Default blocks between registration difficulty and burn adjustments.",
        ),
        constant(
            "InitialBondsMovingAverage",
            default_of::<st::BondsMovingAverage>(),
            " Default bonds moving-average factor, in millionths.",
        ),
        constant(
            "InitialBondsPenalty",
            default_of::<st::BondsPenalty>(),
            " Default penalty on bonds to out-of-consensus weights (u16 fraction).",
        ),
        constant(
            "InitialBondsResetOn",
            default_of::<st::BondsResetOn>(),
            " Whether bonds reset is on for a subnet by default.",
        ),
        constant(
            "InitialTargetRegistrationsPerInterval",
            default_of::<st::TargetRegistrationsPerInterval>(),
            " Default target number of registrations per adjustment interval.",
        ),
        constant("InitialRho", default_of::<st::Rho>(), " Default rho of the epoch."),
        constant(
            "InitialAlphaSigmoidSteepness",
            default_of::<st::AlphaSigmoidSteepness>(),
            " Default steepness of the liquid-alpha sigmoid.",
        ),
        constant(
            "InitialKappa",
            default_of::<st::Kappa>(),
            " Default consensus majority threshold kappa (u16 fraction).",
        ),
        constant(
            "InitialMinAllowedUids",
            default_of::<st::MinAllowedUids>(),
            " Default least number of uids a subnet may be limited to.",
        ),
        constant(
            "InitialMaxAllowedUids",
            default_of::<st::MaxAllowedUids>(),
            " Default number of uids a subnet may hold.",
        ),
        constant(
            "InitialValidatorPruneLen",
            1u64,
            " Default validator context pruning length (upstream's value; rustensor does not \
             implement it yet).",
        ),
        constant(
            "InitialScalingLawPower",
            st::SCALING_LAW_POWER,
            " Scaling law power every subnet reports (50 = 0.5).",
        ),
        constant(
            "InitialImmunityPeriod",
            default_of::<st::ImmunityPeriod>(),
            " Default blocks a new neuron is immune from pruning.",
        ),
        constant(
            "InitialActivityCutoff",
            default_of::<st::ActivityCutoff>(),
            " Default activity cutoff in blocks.",
        ),
        constant(
            "InitialMaxRegistrationsPerBlock",
            default_of::<st::MaxRegistrationsPerBlock>(),
            " Default most registrations a subnet accepts per block.",
        ),
        constant(
            "InitialPruningScore",
            st::PRUNING_SCORE,
            " Pruning score a neuron starts with (and every neuron reports).",
        ),
        constant(
            "InitialMaxAllowedValidators",
            default_of::<st::MaxAllowedValidators>(),
            " Default most validator permits per subnet.",
        ),
        constant(
            "InitialDefaultDelegateTake",
            default_of::<st::Delegates>(),
            " Take of a delegate that never set one (u16 fraction).",
        ),
        constant(
            "InitialMinDelegateTake",
            default_of::<st::MinDelegateTake>(),
            " Default least delegate take (u16 fraction).",
        ),
        constant(
            "InitialDefaultChildKeyTake",
            0u16,
            " Default childkey take, u16 fraction (upstream's value; rustensor does not \
             implement childkeys yet).",
        ),
        constant(
            "InitialMinChildKeyTake",
            0u16,
            " Default least childkey take, u16 fraction (upstream's value; rustensor does not \
             implement childkeys yet).",
        ),
        constant(
            "InitialMaxChildKeyTake",
            11_796u16,
            " Default largest childkey take, u16 fraction (upstream's value; rustensor does not \
             implement childkeys yet).",
        ),
        constant(
            "InitialWeightsVersionKey",
            default_of::<st::WeightsVersionKey>(),
            " Default weights version key of a subnet.",
        ),
        constant(
            "InitialServingRateLimit",
            default_of::<st::ServingRateLimit>(),
            " Default blocks between a neuron's axon or prometheus updates.",
        ),
        constant(
            "InitialTxRateLimit",
            default_of::<st::TxRateLimit>(),
            " Default blocks between a coldkey's rate-limited transactions.",
        ),
        constant(
            "InitialTxDelegateTakeRateLimit",
            default_of::<st::TxDelegateTakeRateLimit>(),
            " Default blocks between a hotkey's delegate take increases.",
        ),
        constant(
            "InitialTxChildKeyTakeRateLimit",
            216_000u64,
            " Default blocks between childkey take changes (upstream's value; rustensor does \
             not implement childkeys yet).",
        ),
        constant(
            "InitialAdjustmentAlpha",
            default_of::<st::AdjustmentAlpha>(),
            " Default weight of the previous value in difficulty and burn adjustments.",
        ),
        constant(
            "InitialNetworkImmunityPeriod",
            default_of::<st::NetworkImmunityPeriod>(),
            " Default blocks a new subnet is immune from pruning.",
        ),
        constant(
            "InitialNetworkMinLockCost",
            default_of::<st::NetworkMinLockCost>(),
            " Default floor of the subnet registration lock cost in RAO.",
        ),
        constant(
            "InitialSubnetOwnerCut",
            default_of::<st::SubnetOwnerCut>(),
            " Default subnet owner share of emission (u16 fraction).",
        ),
        constant(
            "InitialNetworkLockReductionInterval",
            default_of::<st::NetworkLockReductionInterval>(),
            " Default blocks over which the subnet lock cost decays to its floor.",
        ),
        constant(
            "InitialNetworkRateLimit",
            default_of::<st::NetworkRateLimit>(),
            " Default blocks between subnet registrations.",
        ),
        constant(
            "KeySwapCost",
            st::KEY_SWAP_COST,
            " RAO charged for swapping a hotkey (upstream's value; rustensor does not \
             implement hotkey swaps yet).",
        ),
        constant("AlphaHigh", alpha_high, " Default upper bound of liquid alpha (u16 fraction)."),
        constant("AlphaLow", alpha_low, " Default lower bound of liquid alpha (u16 fraction)."),
        constant(
            "LiquidAlphaOn",
            default_of::<st::LiquidAlphaOn>(),
            " Whether liquid alpha is on for a subnet by default.",
        ),
        constant(
            "Yuma3On",
            default_of::<st::Yuma3On>(),
            " Whether Yuma 3 is on for a subnet by default.",
        ),
        constant(
            "InitialColdkeySwapAnnouncementDelay",
            36_000u32,
            " Blocks between a coldkey swap announcement and the swap (upstream's value; \
             rustensor does not implement coldkey swaps yet).",
        ),
        constant(
            "InitialColdkeySwapReannouncementDelay",
            7_200u32,
            " Blocks before a coldkey swap may be announced again (upstream's value; rustensor \
             does not implement coldkey swaps yet).",
        ),
        constant(
            "InitialDissolveNetworkScheduleDuration",
            36_000u32,
            " Blocks until a scheduled subnet dissolution runs (upstream's value; rustensor \
             does not implement scheduled dissolution yet).",
        ),
        constant(
            "InitialTaoWeight",
            default_of::<st::TaoWeight>(),
            " Default weight of root TAO in stake weights (fraction of u64::MAX).",
        ),
        constant(
            "InitialEmaPriceHalvingPeriod",
            default_of::<st::EMAPriceHalvingBlocks>(),
            " Default halving period in blocks of the subnet price moving average.",
        ),
        constant(
            "InitialStartCallDelay",
            default_of::<st::StartCallDelay>(),
            " Default blocks after registration before a subnet's start call is allowed.",
        ),
        constant(
            "KeySwapOnSubnetCost",
            1_000_000u64,
            " RAO charged for swapping a hotkey on one subnet (upstream's value; rustensor \
             does not implement hotkey swaps yet).",
        ),
        constant(
            "HotkeySwapOnSubnetInterval",
            7_200u64,
            " Blocks between a coldkey's per-subnet hotkey swaps (upstream's value; rustensor \
             does not implement hotkey swaps yet).",
        ),
        constant(
            "LeaseDividendsDistributionInterval",
            100u32,
            " Blocks between subnet lease dividend distributions (upstream's value; rustensor \
             does not implement leases yet).",
        ),
        constant(
            "MaxImmuneUidsPercentage",
            80u8,
            " Largest percentage of immune uids when trimming a subnet (upstream's value; \
             rustensor does not implement uid trimming yet).",
        ),
        constant(
            "SubtensorPalletId",
            st::SUBTENSOR_PALLET_ID,
            " Pallet id from which the subnet accounts are derived.",
        ),
        constant(
            "BurnAccountId",
            *b"burntnsr",
            " Pallet id of the TAO burn account (upstream's value; rustensor does not \
             implement the burn account yet).",
        ),
        constant(
            "InitialMaxEpochsPerBlock",
            default_of::<st::MaxEpochsPerBlock>(),
            " Default most subnet epochs run in one block; the rest wait a block.",
        ),
    ]
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
