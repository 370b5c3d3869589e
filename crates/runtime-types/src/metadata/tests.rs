//! Structural tests of the metadata: pallets, call/event/error indices against our codecs,
//! storage items against our aliases, and spot checks of names.

use std::collections::BTreeSet;

use frame_metadata::v15::{RuntimeMetadataV15, StorageEntryType, StorageHasher};
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use parity_scale_codec::{Decode, Encode};
use scale_info::form::PortableForm;
use scale_info::{TypeDef, Variant};

use super::*;
use crate::dispatch::CallError;
use crate::pallets::{RuntimeCall, admin_utils, subtensor};

fn md() -> RuntimeMetadataV15 {
    metadata_v15()
}

fn variants(md: &RuntimeMetadataV15, id: u32) -> Vec<Variant<PortableForm>> {
    match &md.types.resolve(id).expect("type in registry").type_def {
        TypeDef::Variant(v) => v.variants.clone(),
        other => panic!("type {id} is not an enum: {other:?}"),
    }
}

fn pallet<'a>(
    md: &'a RuntimeMetadataV15,
    name: &str,
) -> &'a frame_metadata::v15::PalletMetadata<PortableForm> {
    md.pallets.iter().find(|p| p.name == name).expect("pallet")
}

#[test]
fn test_pallet_names_and_indices_are_subtensors() {
    let md = md();
    let got: Vec<(&str, u8)> = md.pallets.iter().map(|p| (p.name.as_str(), p.index)).collect();
    assert_eq!(
        got,
        vec![
            ("System", 0),
            ("Aura", 3),
            ("Balances", 5),
            ("TransactionPayment", 6),
            ("SubtensorModule", 7),
            ("Utility", 11),
            ("Sudo", 12),
            ("AdminUtils", 19),
            ("Validators", 100),
        ]
    );
    // Outer enums: two path segments, variants named and indexed like the pallets.
    for (id, name) in [
        (md.outer_enums.call_enum_ty.id, "RuntimeCall"),
        (md.outer_enums.event_enum_ty.id, "RuntimeEvent"),
        (md.outer_enums.error_enum_ty.id, "RuntimeError"),
    ] {
        let ty = md.types.resolve(id).unwrap();
        assert_eq!(ty.path.segments, vec!["rustensor_runtime".to_string(), name.to_string()]);
        for v in variants(&md, id) {
            assert_eq!(pallet(&md, &v.name).index, v.index, "{name}.{}", v.name);
        }
    }
}

#[test]
fn test_every_call_index_round_trips_against_the_decoder() {
    let md = md();
    for p in md.pallets.iter().filter(|p| p.calls.is_some()) {
        let described: BTreeSet<u8> =
            variants(&md, p.calls.as_ref().unwrap().ty.id).iter().map(|v| v.index).collect();
        let accepted: BTreeSet<u8> = (0..=u8::MAX)
            .filter(|&call| {
                !matches!(RuntimeCall::decode(&[p.index, call]), Err(CallError::UnknownCall { .. }))
            })
            .collect();
        assert_eq!(described, accepted, "pallet {}", p.name);
    }
    // Pallets without calls in metadata have none in the router either.
    for p in md.pallets.iter().filter(|p| p.calls.is_none()) {
        assert_eq!(RuntimeCall::decode(&[p.index, 0]), Err(CallError::UnknownPallet(p.index)));
    }
}

#[test]
fn test_derived_call_names_are_snake_case_with_subtensor_args() {
    let md = md();
    let calls = variants(&md, pallet(&md, "SubtensorModule").calls.as_ref().unwrap().ty.id);
    let set_weights = calls.iter().find(|v| v.name == "set_weights").expect("set_weights");
    assert_eq!(set_weights.index, 0);
    let args: Vec<_> = set_weights.fields.iter().map(|f| f.name.clone().unwrap()).collect();
    assert_eq!(args, ["netuid", "dests", "weights", "version_key"]);
    // Every derived name matches the snake case of our variant (encoded index -> Debug name).
    for v in &calls {
        assert_eq!(v.name, v.name.to_lowercase(), "{}", v.name);
    }
    let admin = variants(&md, pallet(&md, "AdminUtils").calls.as_ref().unwrap().ty.id);
    assert!(admin.iter().any(|v| v.name == "sudo_set_tempo"));
    let balances = variants(&md, pallet(&md, "Balances").calls.as_ref().unwrap().ty.id);
    let tka = balances.iter().find(|v| v.name == "transfer_keep_alive").unwrap();
    assert_eq!(tka.index, crate::pallets::balances::CALL_TRANSFER_KEEP_ALIVE);
    let args: Vec<_> = tka.fields.iter().map(|f| f.name.clone().unwrap()).collect();
    assert_eq!(args, ["dest", "value"]);
}

/// The metadata name of error `index` must be the Debug name of our error decoded from it.
fn check_errors<E: Decode + core::fmt::Debug>(md: &RuntimeMetadataV15, name: &str) {
    let described = variants(md, pallet(md, name).error.as_ref().unwrap().ty.id);
    assert!(!described.is_empty());
    for v in &described {
        let ours = E::decode(&mut &[v.index][..]).expect("our error decodes");
        assert_eq!(format!("{ours:?}"), v.name, "{name} error {}", v.index);
        assert!(!v.docs.is_empty(), "{name}.{} has docs", v.name);
    }
    // And no index past the described ones decodes.
    let next = u8::try_from(described.len()).unwrap();
    assert!(E::decode(&mut &[next][..]).is_err(), "{name}");
}

#[test]
fn test_error_indices_and_names_match_our_enums() {
    let md = md();
    check_errors::<subtensor::Error>(&md, "SubtensorModule");
    check_errors::<admin_utils::Error>(&md, "AdminUtils");
    check_errors::<crate::pallets::balances::Error>(&md, "Balances");
    check_errors::<crate::pallets::utility::Error>(&md, "Utility");
    check_errors::<crate::pallets::sudo::Error>(&md, "Sudo");
    // A module error our executive produces is named by the metadata.
    let err = crate::dispatch::DispatchError::from(subtensor::Error::NotEnoughStake);
    let crate::dispatch::DispatchError::Module(m) = err else { panic!() };
    let name = &variants(&md, pallet(&md, "SubtensorModule").error.as_ref().unwrap().ty.id)
        [usize::from(m.error[0])]
    .name;
    assert_eq!(name, "NotEnoughStake");
}

#[test]
fn test_event_indices_match_our_encoders() {
    let md = md();
    let system = variants(&md, pallet(&md, "System").event.as_ref().unwrap().ty.id);
    let failed = system.iter().find(|v| v.name == "ExtrinsicFailed").unwrap();
    let fields: Vec<_> = failed.fields.iter().map(|f| f.name.clone().unwrap()).collect();
    assert_eq!(fields, ["dispatch_error", "dispatch_info"]);
    let event = crate::pallets::system::Event::ExtrinsicFailed {
        dispatch_error: crate::dispatch::DispatchError::BadOrigin,
        dispatch_info: Default::default(),
    };
    assert_eq!(event.encode()[0], failed.index);
    // Subtensor events: every described index decodes in our enum to the same name.
    let described = variants(&md, pallet(&md, "SubtensorModule").event.as_ref().unwrap().ty.id);
    let added = described.iter().find(|v| v.name == "NetworkAdded").unwrap();
    let ours = subtensor::Event::NetworkAdded(rustensor_primitives::NetUid(3), 2).encode();
    assert_eq!(ours[0], added.index);
    assert!(described.iter().any(|v| v.name == "StakeAdded" && v.index == 2));
}

#[test]
fn test_storage_items_match_our_aliases() {
    let md = md();
    let source = include_str!("../pallets/subtensor/storage.rs");
    let aliases = source.lines().filter(|l| l.starts_with("pub type ")).count();
    let subtensor = pallet(&md, "SubtensorModule").storage.as_ref().unwrap();
    assert_eq!(subtensor.entries.len(), aliases);
    let names: BTreeSet<_> = subtensor.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names.len(), aliases, "names are unique");
    for item in ["TokenSymbol", "NetworksAdded", "Uids", "Keys", "Alpha", "Axons", "Weights"] {
        assert!(names.contains(item), "{item}");
    }
    let system = pallet(&md, "System").storage.as_ref().unwrap();
    let account = system.entries.iter().find(|e| e.name == "Account").unwrap();
    let StorageEntryType::Map { hashers, .. } = &account.ty else { panic!() };
    assert_eq!(hashers, &[StorageHasher::Blake2_128Concat]);
    let uids = subtensor.entries.iter().find(|e| e.name == "Uids").unwrap();
    let StorageEntryType::Map { hashers, .. } = &uids.ty else { panic!() };
    assert_eq!(hashers, &[StorageHasher::Identity, StorageHasher::Blake2_128Concat]);
    assert_eq!(uids.modifier, frame_metadata::v15::StorageEntryModifier::Optional);
    let symbol = subtensor.entries.iter().find(|e| e.name == "TokenSymbol").unwrap();
    assert_eq!(symbol.default, b"\xF0\x9D\x9C\x8F".to_vec().encode());
}

#[test]
fn test_runtime_apis_cover_supported_methods() {
    let md = md();
    let described: BTreeSet<String> = md
        .apis
        .iter()
        .flat_map(|a| a.methods.iter().map(move |m| format!("{}_{}", a.name, m.name)))
        .collect();
    for method in subtensor::runtime_api::SUPPORTED_METHODS {
        assert!(described.contains(*method), "{method}");
    }
    let subtensor_apis = ["NeuronInfo", "SubnetInfo", "StakeInfo", "DelegateInfo", "SubnetRegis"];
    for method in &described {
        if subtensor_apis.iter().any(|a| method.starts_with(a)) {
            assert!(
                subtensor::runtime_api::SUPPORTED_METHODS.contains(&method.as_str()),
                "{method}"
            );
        }
    }
    let ext: Vec<_> =
        md.extrinsic.signed_extensions.iter().map(|e| e.identifier.as_str()).collect();
    assert_eq!(
        ext,
        [
            "CheckNonZeroSender",
            "CheckSpecVersion",
            "CheckTxVersion",
            "CheckGenesis",
            "CheckMortality",
            "CheckNonce",
            "CheckWeight",
            "ChargeTransactionPayment",
            "SubtensorTransactionExtension",
            "DrandPriority",
            "CheckMetadataHash",
        ]
    );
    // UncheckedExtrinsic is registered under its sp-runtime path.
    assert!(md.types.types.iter().any(|t| t.ty.path.segments.join("::")
        == "sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic"));
}

#[test]
fn test_bytes_decode_back_and_versions() {
    let bytes = metadata_v15_bytes();
    assert_eq!(&bytes[..4], b"meta");
    assert_eq!(bytes[4], 15);
    let prefixed = RuntimeMetadataPrefixed::decode(&mut &bytes[..]).expect("decodes");
    assert!(matches!(prefixed.1, RuntimeMetadata::V15(_)));
    assert_eq!(metadata_versions(), vec![14, 15]);
    let some = metadata_at_version(15);
    assert_eq!(Option::<Vec<u8>>::decode(&mut &some[..]).unwrap().as_deref(), Some(bytes));
    let v14 = metadata_bytes();
    assert_eq!(&v14[..5], b"meta\x0e");
    let some = metadata_at_version(14);
    assert_eq!(Option::<Vec<u8>>::decode(&mut &some[..]).unwrap().as_deref(), Some(v14));
    assert_eq!(metadata_at_version(16), vec![0]);
    let md = md();
    let constants = &pallet(&md, "Aura").constants;
    assert_eq!(constants[0].name, "SlotDuration");
    assert_eq!(constants[0].value, 12_000u64.encode());
}

/// The `SubtensorModule` items whose first key is a subnet, read from the metadata: a `u16`
/// first key (a `NetUid`, or its storage index for mechanism 0), whatever its hasher.
pub(crate) fn subtensor_items_keyed_by_netuid_first(md: &RuntimeMetadataV15) -> BTreeSet<String> {
    use scale_info::TypeDefPrimitive;
    let is_u16 = |id: u32| {
        matches!(
            md.types.resolve(id).map(|t| &t.type_def),
            Some(TypeDef::Primitive(TypeDefPrimitive::U16))
        )
    };
    let storage = pallet(md, "SubtensorModule").storage.as_ref().expect("storage");
    storage
        .entries
        .iter()
        .filter(|entry| {
            let StorageEntryType::Map { hashers, key, .. } = &entry.ty else { return false };
            let first = if hashers.len() == 1 {
                key.id
            } else {
                match &md.types.resolve(key.id).expect("key type").type_def {
                    TypeDef::Tuple(t) => t.fields[0].id,
                    _ => return false,
                }
            };
            is_u16(first)
        })
        .map(|entry| entry.name.clone())
        .collect()
}

#[test]
fn test_netuid_keyed_lists_every_item_keyed_by_a_subnet_first() {
    let from_metadata = subtensor_items_keyed_by_netuid_first(&md());
    let listed: BTreeSet<String> = subtensor::storage::NETUID_KEYED
        .iter()
        .chain(subtensor::storage::NETUID_KEYED_KEPT.iter().map(|(item, _)| item))
        .map(|s| s.to_string())
        .collect();
    let count =
        subtensor::storage::NETUID_KEYED.len() + subtensor::storage::NETUID_KEYED_KEPT.len();
    assert_eq!(listed.len(), count, "no item listed twice");
    let missing: Vec<_> = from_metadata.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&from_metadata).collect();
    assert!(
        missing.is_empty(),
        "keyed by netuid first but in neither NETUID_KEYED nor NETUID_KEYED_KEPT: {missing:?}"
    );
    assert!(extra.is_empty(), "in NETUID_KEYED but not keyed by netuid first: {extra:?}");
}

#[test]
fn test_v14_describes_the_same_pallets_and_types_as_v15() {
    let RuntimeMetadata::V14(v14) =
        RuntimeMetadataPrefixed::decode(&mut metadata_bytes()).expect("V14 decodes").1
    else {
        panic!("state_getMetadata serves V14");
    };
    let v15 = md();
    let names14: Vec<(&str, u8)> = v14.pallets.iter().map(|p| (p.name.as_str(), p.index)).collect();
    let names15: Vec<(&str, u8)> = v15.pallets.iter().map(|p| (p.name.as_str(), p.index)).collect();
    assert_eq!(names14, names15);
    let entries = |s: &Option<frame_metadata::v15::PalletStorageMetadata<PortableForm>>| {
        s.iter().flat_map(|s| s.entries.iter().map(|e| e.name.clone())).collect::<Vec<_>>()
    };
    for (p14, p15) in v14.pallets.iter().zip(&v15.pallets) {
        assert_eq!(entries(&p14.storage), entries(&p15.storage), "{}", p14.name);
        let constants = |c: &[frame_metadata::v15::PalletConstantMetadata<PortableForm>]| {
            c.iter().map(|c| (c.name.clone(), c.value.clone())).collect::<Vec<_>>()
        };
        assert_eq!(constants(&p14.constants), constants(&p15.constants), "{}", p14.name);
    }
    assert_eq!(v14.extrinsic.version, 4);
    let ids14: Vec<_> = v14.extrinsic.signed_extensions.iter().map(|e| &e.identifier).collect();
    let ids15: Vec<_> = v15.extrinsic.signed_extensions.iter().map(|e| &e.identifier).collect();
    assert_eq!(ids14, ids15);
    // FRAME's V14 registers the pallets' types first, so `System.Account`'s key, AccountId32,
    // is type 0: older clients (bittensor 9.x's decoders) rely on it.
    // V15 registers in the same order, so every pallet type has one id in both.
    for types in [&v14.types, &v15.types] {
        let first = &types.types[0];
        let path = first.ty.path.segments.join("::");
        assert_eq!((first.id, path.as_str()), (0, "sp_core::crypto::AccountId32"));
    }
    for (p14, p15) in v14.pallets.iter().zip(&v15.pallets) {
        assert_eq!(p14.storage, p15.storage, "{}: the same type ids", p14.name);
        assert_eq!(p14.calls, p15.calls, "{}", p14.name);
        assert_eq!(p14.event, p15.event, "{}", p14.name);
        assert_eq!(p14.error, p15.error, "{}", p14.name);
    }
}

/// `SubtensorModule.<name>` decoded as `T`, after checking it is described as the primitive
/// `prim` and its bytes are exactly one `T`.
fn subtensor_constant<T: Decode>(
    md: &RuntimeMetadataV15,
    name: &str,
    prim: scale_info::TypeDefPrimitive,
) -> T {
    let c = pallet(md, "SubtensorModule")
        .constants
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("constant {name}"));
    let ty = md.types.resolve(c.ty.id).expect("constant type");
    assert_eq!(ty.type_def, TypeDef::Primitive(prim), "{name}");
    let mut bytes = c.value.as_slice();
    let value = T::decode(&mut bytes).expect("constant decodes");
    assert!(bytes.is_empty(), "{name}: trailing bytes");
    value
}

#[test]
fn test_subtensor_constants_are_upstreams_in_order() {
    use scale_info::TypeDefPrimitive as P;
    use subtensor::storage as st;
    let md = md();
    let names: Vec<&str> =
        pallet(&md, "SubtensorModule").constants.iter().map(|c| c.name.as_str()).collect();
    // subtensor's `#[pallet::constant]` config items, in `config.rs` order (spec 425).
    let upstream = [
        "InitialIssuance",
        "InitialMinAllowedWeights",
        "InitialEmissionValue",
        "InitialTempo",
        "InitialDifficulty",
        "InitialMaxDifficulty",
        "InitialMinDifficulty",
        "InitialRAORecycledForRegistration",
        "InitialBurn",
        "InitialMaxBurn",
        "InitialMinBurn",
        "InitialMinStake",
        "MinBurnUpperBound",
        "MaxBurnLowerBound",
        "MinTempo",
        "MaxTempo",
        "MinActivityCutoffFactorMilli",
        "MaxActivityCutoffFactorMilli",
        "InitialAdjustmentInterval",
        "InitialBondsMovingAverage",
        "InitialBondsPenalty",
        "InitialBondsResetOn",
        "InitialTargetRegistrationsPerInterval",
        "InitialRho",
        "InitialAlphaSigmoidSteepness",
        "InitialKappa",
        "InitialMinAllowedUids",
        "InitialMaxAllowedUids",
        "InitialValidatorPruneLen",
        "InitialScalingLawPower",
        "InitialImmunityPeriod",
        "InitialActivityCutoff",
        "InitialMaxRegistrationsPerBlock",
        "InitialPruningScore",
        "InitialMaxAllowedValidators",
        "InitialDefaultDelegateTake",
        "InitialMinDelegateTake",
        "InitialDefaultChildKeyTake",
        "InitialMinChildKeyTake",
        "InitialMaxChildKeyTake",
        "InitialWeightsVersionKey",
        "InitialServingRateLimit",
        "InitialTxRateLimit",
        "InitialTxDelegateTakeRateLimit",
        "InitialTxChildKeyTakeRateLimit",
        "InitialAdjustmentAlpha",
        "InitialNetworkImmunityPeriod",
        "InitialNetworkMinLockCost",
        "InitialSubnetOwnerCut",
        "InitialNetworkLockReductionInterval",
        "InitialNetworkRateLimit",
        "KeySwapCost",
        "AlphaHigh",
        "AlphaLow",
        "LiquidAlphaOn",
        "Yuma3On",
        "InitialColdkeySwapAnnouncementDelay",
        "InitialColdkeySwapReannouncementDelay",
        "InitialDissolveNetworkScheduleDuration",
        "InitialTaoWeight",
        "InitialEmaPriceHalvingPeriod",
        "InitialStartCallDelay",
        "KeySwapOnSubnetCost",
        "HotkeySwapOnSubnetInterval",
        "LeaseDividendsDistributionInterval",
        "MaxImmuneUidsPercentage",
        "SubtensorPalletId",
        "BurnAccountId",
        "InitialMaxEpochsPerBlock",
    ];
    assert_eq!(names, upstream);
    for c in &pallet(&md, "SubtensorModule").constants {
        assert_eq!(c.docs.len(), 1, "{}: one doc line", c.name);
    }

    // Spot checks against our own values, read back through the storage API where the
    // constant is a storage default.
    let empty = crate::storage::MemoryKv::new();
    assert_eq!(
        subtensor_constant::<u16>(&md, "MinTempo", P::U16),
        subtensor::rate_limit::MIN_TEMPO
    );
    assert_eq!(
        subtensor_constant::<u16>(&md, "MaxTempo", P::U16),
        subtensor::rate_limit::MAX_TEMPO
    );
    assert_eq!(
        subtensor_constant::<u16>(&md, "InitialTempo", P::U16),
        st::InitialTempo::get(&empty)
    );
    assert_eq!(subtensor_constant::<u64>(&md, "KeySwapCost", P::U64), st::KEY_SWAP_COST);
    assert_eq!(
        subtensor_constant::<u8>(&md, "InitialMaxEpochsPerBlock", P::U8),
        st::MaxEpochsPerBlock::get(&empty)
    );
    let c = pallet(&md, "SubtensorModule")
        .constants
        .iter()
        .find(|c| c.name == "SubtensorPalletId")
        .expect("SubtensorPalletId");
    assert!(matches!(
        &md.types.resolve(c.ty.id).expect("type").type_def,
        TypeDef::Array(a) if a.len == 8
    ));
    assert_eq!(<[u8; 8]>::decode(&mut c.value.as_slice()).unwrap(), st::SUBTENSOR_PALLET_ID);
    // Pinned: the id subnet accounts are derived from (wire-visible in every pool account).
    assert_eq!(&st::SUBTENSOR_PALLET_ID, b"subtensr");
}
