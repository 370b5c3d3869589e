//! `TypeInfo` of the types whose shape or path clients special-case, and of the outer enums.
//!
//! Decoders look some types up by path (`reference/substrate_compat.md` §4.1): accounts,
//! hashes, addresses, signatures, eras, event records, the extrinsic, and the outer
//! `RuntimeCall` / `RuntimeEvent` / `RuntimeError` (exactly two path segments). These are
//! written by hand here; everything else derives `TypeInfo` where it is declared.
//!
//! Wire format: the paths and shapes here go into the metadata clients decode with.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::{Mutex, PoisonError};

use parity_scale_codec::Compact;
use rustensor_primitives::AccountId32;
use scale_info::{
    Field, MetaType, Path, Type, TypeDefComposite, TypeDefVariant, TypeInfo, TypeParameter,
    Variant, build::Fields,
};

use crate::pallets::{
    RuntimeCall, admin_utils, balances, subtensor, sudo, system, transaction_payment, utility,
    validators,
};

/// Interns a name built at run time, so it can sit in a `MetaForm` type (`&'static str`).
///
/// Bounded: only variant names of our own types pass through here, each leaked once.
pub(crate) fn intern(name: String) -> &'static str {
    static NAMES: Mutex<BTreeMap<String, &'static str>> = Mutex::new(BTreeMap::new());
    let mut names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(found) = names.get(&name) {
        return found;
    }
    let leaked: &'static str = Box::leak(name.clone().into_boxed_str());
    names.insert(name, leaked);
    leaked
}

/// `SetWeights` -> `set_weights`: FRAME's call names are the functions' names.
pub(crate) fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len().saturating_add(8));
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i != 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `NotEnoughStake` -> `Not enough stake.`: a doc line for an error without one.
pub(crate) fn words(name: &str) -> String {
    let lower = snake_case(name).replace('_', " ");
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_ascii_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// A derived call enum with its variants renamed to snake case (`set_weights`), as FRAME
/// names calls. Field names and types are the derive's.
pub struct SnakeCaseCalls<T>(PhantomData<T>);

impl<T: TypeInfo + 'static> TypeInfo for SnakeCaseCalls<T> {
    type Identity = Self;

    fn type_info() -> Type {
        let mut ty = T::type_info();
        if let scale_info::TypeDef::Variant(def) = &mut ty.type_def {
            for variant in &mut def.variants {
                variant.name = intern(snake_case(variant.name));
            }
        }
        ty
    }
}

/// A derived error enum whose undocumented variants get a doc line from their name (clients
/// show it as the error's description).
pub struct DocumentedErrors<T>(PhantomData<T>);

impl<T: TypeInfo + 'static> TypeInfo for DocumentedErrors<T> {
    type Identity = Self;

    fn type_info() -> Type {
        let mut ty = T::type_info();
        if let scale_info::TypeDef::Variant(def) = &mut ty.type_def {
            for variant in &mut def.variants {
                if variant.docs.is_empty() {
                    variant.docs = vec![intern(words(variant.name))];
                }
            }
        }
        ty
    }
}

/// A named field of type `T`, shown as `type_name`.
pub(crate) fn field<T: TypeInfo + ?Sized + 'static>(
    name: &'static str,
    type_name: &'static str,
) -> Field {
    Field::new(Some(name), MetaType::new::<T>(), Some(type_name), Vec::new())
}

/// An unnamed field of type `T`.
fn unnamed<T: TypeInfo + ?Sized + 'static>(type_name: &'static str) -> Field {
    Field::new(None, MetaType::new::<T>(), Some(type_name), Vec::new())
}

/// A variant `name` at codec index `index`.
pub(crate) fn variant(name: &'static str, index: u8, fields: Vec<Field>) -> Variant {
    Variant::new(name, fields, index, Vec::new())
}

/// An enum type at `path` with these variants.
pub(crate) fn enum_type(path: Path, variants: Vec<Variant>) -> Type {
    Type::new(path, Vec::<TypeParameter>::new(), TypeDefVariant::new(variants), Vec::new())
}

/// A composite type at `path` with these fields and type parameters.
fn composite_type(path: Path, params: Vec<TypeParameter>, fields: Vec<Field>) -> Type {
    Type::new(path, params, TypeDefComposite::new(fields), Vec::new())
}

/// A type parameter `name` bound to `T`.
fn param<T: TypeInfo + 'static>(name: &'static str) -> TypeParameter {
    TypeParameter::new(name, Some(MetaType::new::<T>()))
}

/// `primitive_types::H256`: a 32-byte hash.
pub struct H256;

impl TypeInfo for H256 {
    type Identity = Self;

    fn type_info() -> Type {
        Type::builder()
            .path(Path::new("H256", "primitive_types"))
            .composite(Fields::unnamed().field(|f| f.ty::<[u8; 32]>().type_name("[u8; 32]")))
    }
}

impl TypeInfo for balances::MultiAddress {
    type Identity = Self;

    fn type_info() -> Type {
        let mut ty = enum_type(
            Path::new("MultiAddress", "sp_runtime::multiaddress"),
            vec![
                variant("Id", 0, vec![unnamed::<AccountId32>("AccountId")]),
                variant("Index", 1, vec![unnamed::<Compact<()>>("AccountIndex")]),
                variant("Raw", 2, vec![unnamed::<Vec<u8>>("Vec<u8>")]),
                variant("Address32", 3, vec![unnamed::<[u8; 32]>("[u8; 32]")]),
                variant("Address20", 4, vec![unnamed::<[u8; 20]>("[u8; 20]")]),
            ],
        );
        ty.type_params = vec![param::<AccountId32>("AccountId"), param::<()>("AccountIndex")];
        ty
    }
}

/// Declares a signature type `sp_core::<scheme>::Signature` of `N` bytes.
macro_rules! signature_types {
    ($($name:ident = $module:literal, $len:literal;)*) => {$(
        #[doc = concat!("`", $module, "::Signature`: ", stringify!($len), " bytes.")]
        pub struct $name;

        impl TypeInfo for $name {
            type Identity = Self;

            fn type_info() -> Type {
                Type::builder().path(Path::new("Signature", $module)).composite(
                    Fields::unnamed()
                        .field(|f| f.ty::<[u8; $len]>().type_name(concat!("[u8; ", $len, "]"))),
                )
            }
        }
    )*};
}

signature_types! {
    Ed25519Signature = "sp_core::ed25519", 64;
    Sr25519Signature = "sp_core::sr25519", 64;
    EcdsaSignature = "sp_core::ecdsa", 65;
}

/// `sp_runtime::MultiSignature`: Ed25519 0, Sr25519 1, Ecdsa 2.
pub struct MultiSignature;

impl TypeInfo for MultiSignature {
    type Identity = Self;

    fn type_info() -> Type {
        enum_type(
            Path::new("MultiSignature", "sp_runtime"),
            vec![
                variant("Ed25519", 0, vec![unnamed::<Ed25519Signature>("ed25519::Signature")]),
                variant("Sr25519", 1, vec![unnamed::<Sr25519Signature>("sr25519::Signature")]),
                variant("Ecdsa", 2, vec![unnamed::<EcdsaSignature>("ecdsa::Signature")]),
            ],
        )
    }
}

/// `sp_runtime::generic::era::Era`: `Immortal` (0) and `Mortal1`..`Mortal255`, each mortal
/// variant carrying the era's second byte, as sp-runtime describes it.
pub struct Era;

impl TypeInfo for Era {
    type Identity = Self;

    fn type_info() -> Type {
        let mut variants = vec![variant("Immortal", 0, Vec::new())];
        for index in 1..=u8::MAX {
            let name = intern(format!("Mortal{index}"));
            variants.push(variant(name, index, vec![unnamed::<u8>("u8")]));
        }
        enum_type(Path::new("Era", "sp_runtime::generic::era"), variants)
    }
}

/// `sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic`: the extrinsic as opaque
/// bytes, with its address, call, signature and extra types as parameters. cyscale builds its
/// extrinsic codec from this type.
pub struct UncheckedExtrinsic;

impl TypeInfo for UncheckedExtrinsic {
    type Identity = Self;

    fn type_info() -> Type {
        composite_type(
            Path::new("UncheckedExtrinsic", "sp_runtime::generic::unchecked_extrinsic"),
            vec![
                param::<balances::MultiAddress>("Address"),
                param::<RuntimeCall>("Call"),
                param::<MultiSignature>("Signature"),
                param::<SignedExtensions>("Extra"),
            ],
            vec![unnamed::<Vec<u8>>("Vec<u8>")],
        )
    }
}

/// `sp_core::OpaqueMetadata`: metadata bytes.
pub struct OpaqueMetadata;

impl TypeInfo for OpaqueMetadata {
    type Identity = Self;

    fn type_info() -> Type {
        composite_type(
            Path::new("OpaqueMetadata", "sp_core"),
            Vec::new(),
            vec![unnamed::<Vec<u8>>("Vec<u8>")],
        )
    }
}

/// `frame_system::EventRecord { phase, event: RuntimeEvent, topics: Vec<H256> }`, the
/// element of `System.Events`.
pub struct EventRecord;

impl TypeInfo for EventRecord {
    type Identity = Self;

    fn type_info() -> Type {
        composite_type(
            Path::new("EventRecord", "frame_system"),
            vec![param::<RuntimeEvent>("E"), param::<H256>("T")],
            vec![
                field::<crate::events::Phase>("phase", "Phase"),
                field::<RuntimeEvent>("event", "E"),
                field::<Vec<H256>>("topics", "Vec<T>"),
            ],
        )
    }
}

/// `sp_runtime::generic::digest::DigestItem`: the header digest log entries, with
/// Substrate's variant indices. Clients decode block headers' `digest.logs` with it (the node
/// writes a `PreRuntime` author entry into every block).
pub struct DigestItem;

impl TypeInfo for DigestItem {
    type Identity = Self;

    fn type_info() -> Type {
        let engine = || unnamed::<[u8; 4]>("ConsensusEngineId");
        enum_type(
            Path::new("DigestItem", "sp_runtime::generic::digest"),
            vec![
                variant("PreRuntime", 6, vec![engine(), unnamed::<Vec<u8>>("Vec<u8>")]),
                variant("Consensus", 4, vec![engine(), unnamed::<Vec<u8>>("Vec<u8>")]),
                variant("Seal", 5, vec![engine(), unnamed::<Vec<u8>>("Vec<u8>")]),
                variant("Other", 0, vec![unnamed::<Vec<u8>>("Vec<u8>")]),
                variant("RuntimeEnvironmentUpdated", 8, Vec::new()),
            ],
        )
    }
}

/// `sp_runtime::generic::digest::Digest { logs: Vec<DigestItem> }` (`System.Digest`).
pub struct Digest;

impl TypeInfo for Digest {
    type Identity = Self;

    fn type_info() -> Type {
        composite_type(
            Path::new("Digest", "sp_runtime::generic::digest"),
            Vec::new(),
            vec![field::<Vec<DigestItem>>("logs", "Vec<DigestItem>")],
        )
    }
}

/// The runtime type (`<crate>::Runtime`), referenced by the metadata's `ty`.
pub struct Runtime;

impl TypeInfo for Runtime {
    type Identity = Self;

    fn type_info() -> Type {
        composite_type(Path::new("Runtime", "rustensor_runtime"), Vec::new(), Vec::new())
    }
}

/// The call type of each pallet, as the metadata describes it.
pub mod call_types {
    use super::*;

    /// `System` calls (hand-decoded in [`system::Call`]).
    pub struct SystemCall;
    /// `Balances` calls (hand-decoded in [`balances::Call`]).
    pub struct BalancesCall;
    /// `Utility` calls (hand-decoded in [`utility::Call`]).
    pub struct UtilityCall;
    /// `Sudo` calls (hand-decoded in [`sudo::Call`]).
    pub struct SudoCall;
    /// `SubtensorModule` calls: the derive of [`subtensor::Call`], snake-cased.
    pub type SubtensorCall = SnakeCaseCalls<subtensor::Call>;
    /// `AdminUtils` calls: the derive of [`admin_utils::Call`], snake-cased.
    pub type AdminUtilsCall = SnakeCaseCalls<admin_utils::Call>;
    /// `Validators` calls: the derive of [`validators::Call`], snake-cased.
    pub type ValidatorsCall = SnakeCaseCalls<validators::Call>;

    /// A call variant `name` at `index` with named arguments.
    fn call(name: &'static str, index: u8, args: Vec<Field>) -> Variant {
        variant(name, index, args)
    }

    impl TypeInfo for SystemCall {
        type Identity = Self;

        fn type_info() -> Type {
            enum_type(
                Path::new("Call", "frame_system::pallet"),
                vec![
                    call(
                        "remark",
                        system::CALL_REMARK,
                        vec![field::<Vec<u8>>("remark", "Vec<u8>")],
                    ),
                    call("set_heap_pages", 1, vec![field::<u64>("pages", "u64")]),
                    call("set_code", 2, vec![field::<Vec<u8>>("code", "Vec<u8>")]),
                    call("set_code_without_checks", 3, vec![field::<Vec<u8>>("code", "Vec<u8>")]),
                    call(
                        "set_storage",
                        4,
                        vec![field::<Vec<(Vec<u8>, Vec<u8>)>>("items", "Vec<KeyValue>")],
                    ),
                    call("kill_storage", 5, vec![field::<Vec<Vec<u8>>>("keys", "Vec<Key>")]),
                    call(
                        "kill_prefix",
                        6,
                        vec![field::<Vec<u8>>("prefix", "Key"), field::<u32>("subkeys", "u32")],
                    ),
                    call(
                        "remark_with_event",
                        system::CALL_REMARK_WITH_EVENT,
                        vec![field::<Vec<u8>>("remark", "Vec<u8>")],
                    ),
                ],
            )
        }
    }

    /// `pallet_balances::AdjustmentDirection`: Increase 0, Decrease 1.
    pub struct AdjustmentDirection;

    impl TypeInfo for AdjustmentDirection {
        type Identity = Self;

        fn type_info() -> Type {
            enum_type(
                Path::new("AdjustmentDirection", "pallet_balances::types"),
                vec![variant("Increase", 0, Vec::new()), variant("Decrease", 1, Vec::new())],
            )
        }
    }

    impl TypeInfo for BalancesCall {
        type Identity = Self;

        fn type_info() -> Type {
            use balances::MultiAddress as Address;
            let dest = || field::<Address>("dest", "AccountIdLookupOf<T>");
            let value = || field::<Compact<u64>>("value", "T::Balance");
            enum_type(
                Path::new("Call", "pallet_balances::pallet"),
                vec![
                    call(
                        "transfer_allow_death",
                        balances::CALL_TRANSFER_ALLOW_DEATH,
                        vec![dest(), value()],
                    ),
                    call(
                        "force_transfer",
                        balances::CALL_FORCE_TRANSFER,
                        vec![field::<Address>("source", "AccountIdLookupOf<T>"), dest(), value()],
                    ),
                    call(
                        "transfer_keep_alive",
                        balances::CALL_TRANSFER_KEEP_ALIVE,
                        vec![dest(), value()],
                    ),
                    call(
                        "transfer_all",
                        balances::CALL_TRANSFER_ALL,
                        vec![dest(), field::<bool>("keep_alive", "bool")],
                    ),
                    call(
                        "force_unreserve",
                        5,
                        vec![
                            field::<Address>("who", "AccountIdLookupOf<T>"),
                            field::<u64>("amount", "T::Balance"),
                        ],
                    ),
                    call(
                        "force_set_balance",
                        balances::CALL_FORCE_SET_BALANCE,
                        vec![
                            field::<Address>("who", "AccountIdLookupOf<T>"),
                            field::<Compact<u64>>("new_free", "T::Balance"),
                        ],
                    ),
                    call(
                        "force_adjust_total_issuance",
                        9,
                        vec![
                            field::<AdjustmentDirection>("direction", "AdjustmentDirection"),
                            field::<Compact<u64>>("delta", "T::Balance"),
                        ],
                    ),
                ],
            )
        }
    }

    impl TypeInfo for UtilityCall {
        type Identity = Self;

        fn type_info() -> Type {
            let calls =
                || vec![field::<Vec<RuntimeCall>>("calls", "Vec<<T as Config>::RuntimeCall>")];
            enum_type(
                Path::new("Call", "pallet_utility::pallet"),
                vec![
                    call("batch", utility::CALL_BATCH, calls()),
                    call("batch_all", utility::CALL_BATCH_ALL, calls()),
                    call("force_batch", utility::CALL_FORCE_BATCH, calls()),
                ],
            )
        }
    }

    impl TypeInfo for SudoCall {
        type Identity = Self;

        fn type_info() -> Type {
            use balances::MultiAddress as Address;
            let inner = || field::<Box<RuntimeCall>>("call", "Box<<T as Config>::RuntimeCall>");
            enum_type(
                Path::new("Call", "pallet_sudo::pallet"),
                vec![
                    call("sudo", sudo::CALL_SUDO, vec![inner()]),
                    call(
                        "sudo_unchecked_weight",
                        sudo::CALL_SUDO_UNCHECKED_WEIGHT,
                        vec![inner(), field::<crate::dispatch::Weight>("weight", "Weight")],
                    ),
                    call(
                        "set_key",
                        sudo::CALL_SET_KEY,
                        vec![field::<Address>("new", "AccountIdLookupOf<T>")],
                    ),
                    call(
                        "sudo_as",
                        sudo::CALL_SUDO_AS,
                        vec![field::<Address>("who", "AccountIdLookupOf<T>"), inner()],
                    ),
                    call("remove_key", sudo::CALL_REMOVE_KEY, Vec::new()),
                ],
            )
        }
    }

    /// `frame_system::Error`: FRAME's errors, in FRAME's order (this runtime returns none of
    /// them, but clients name any `Module { index: 0 }` error with this list).
    pub struct SystemError;

    impl TypeInfo for SystemError {
        type Identity = Self;

        fn type_info() -> Type {
            let names = [
                "InvalidSpecName",
                "SpecVersionNeedsToIncrease",
                "FailedToExtractRuntimeVersion",
                "NonDefaultComposite",
                "NonZeroRefCount",
                "CallFiltered",
                "MultiBlockMigrationsOngoing",
                "NothingAuthorized",
                "Unauthorized",
            ];
            let variants = (0u8..)
                .zip(names)
                .map(|(i, name)| Variant::new(name, Vec::new(), i, vec![intern(words(name))]))
                .collect();
            enum_type(Path::new("Error", "frame_system::pallet"), variants)
        }
    }
}

/// One pallet's entry in the outer enums: its name, index and call/event/error types.
pub(crate) struct PalletTypes {
    /// The pallet name.
    pub name: &'static str,
    /// The pallet index.
    pub index: u8,
    /// Its call type, if it has calls.
    pub call: Option<MetaType>,
    /// Its event type, if it has events.
    pub event: Option<MetaType>,
    /// Its error type, if it has errors.
    pub error: Option<MetaType>,
}

/// Every pallet, in index order, with its call, event and error types.
pub(crate) fn pallet_types() -> Vec<PalletTypes> {
    use call_types::*;
    vec![
        PalletTypes {
            name: "System",
            index: system::PALLET_INDEX,
            call: Some(MetaType::new::<SystemCall>()),
            event: Some(MetaType::new::<system::Event>()),
            error: Some(MetaType::new::<SystemError>()),
        },
        PalletTypes { name: "Aura", index: AURA_INDEX, call: None, event: None, error: None },
        PalletTypes {
            name: "Balances",
            index: balances::PALLET_INDEX,
            call: Some(MetaType::new::<BalancesCall>()),
            event: Some(MetaType::new::<balances::Event>()),
            error: Some(MetaType::new::<DocumentedErrors<balances::Error>>()),
        },
        PalletTypes {
            name: "TransactionPayment",
            index: transaction_payment::PALLET_INDEX,
            call: None,
            event: Some(MetaType::new::<transaction_payment::Event>()),
            error: None,
        },
        PalletTypes {
            name: "SubtensorModule",
            index: subtensor::PALLET_INDEX,
            call: Some(MetaType::new::<SubtensorCall>()),
            event: Some(MetaType::new::<subtensor::Event>()),
            error: Some(MetaType::new::<DocumentedErrors<subtensor::Error>>()),
        },
        PalletTypes {
            name: "Utility",
            index: utility::PALLET_INDEX,
            call: Some(MetaType::new::<UtilityCall>()),
            event: Some(MetaType::new::<utility::Event>()),
            error: Some(MetaType::new::<DocumentedErrors<utility::Error>>()),
        },
        PalletTypes {
            name: "Sudo",
            index: sudo::PALLET_INDEX,
            call: Some(MetaType::new::<SudoCall>()),
            event: Some(MetaType::new::<sudo::Event>()),
            error: Some(MetaType::new::<DocumentedErrors<sudo::Error>>()),
        },
        PalletTypes {
            name: "AdminUtils",
            index: admin_utils::PALLET_INDEX,
            call: Some(MetaType::new::<AdminUtilsCall>()),
            event: Some(MetaType::new::<admin_utils::Event>()),
            error: Some(MetaType::new::<DocumentedErrors<admin_utils::Error>>()),
        },
        PalletTypes {
            name: "Validators",
            index: validators::PALLET_INDEX,
            call: Some(MetaType::new::<ValidatorsCall>()),
            event: Some(MetaType::new::<validators::Event>()),
            error: Some(MetaType::new::<DocumentedErrors<validators::Error>>()),
        },
    ]
}

/// Subtensor's pallet index of `Aura` (only its `SlotDuration` constant is described).
pub const AURA_INDEX: u8 = 3;

/// An outer enum at `rustensor_runtime_types::<name>`: one variant per pallet (named like it, at
/// its index) holding that pallet's type picked by `pick`.
fn outer_enum(name: &'static str, pick: impl Fn(&PalletTypes) -> Option<MetaType>) -> Type {
    let variants = pallet_types()
        .iter()
        .filter_map(|p| {
            let ty = pick(p)?;
            Some(Variant::new(
                p.name,
                vec![Field::new(None, ty, None, Vec::new())],
                p.index,
                Vec::new(),
            ))
        })
        .collect();
    enum_type(Path::new(name, "rustensor_runtime"), variants)
}

impl TypeInfo for RuntimeCall {
    type Identity = Self;

    fn type_info() -> Type {
        outer_enum("RuntimeCall", |p| p.call)
    }
}

/// `<crate>::RuntimeEvent`: the event of any pallet, by pallet index.
pub struct RuntimeEvent;

impl TypeInfo for RuntimeEvent {
    type Identity = Self;

    fn type_info() -> Type {
        outer_enum("RuntimeEvent", |p| p.event)
    }
}

/// `<crate>::RuntimeError`: the error of any pallet, by pallet index.
pub struct RuntimeError;

impl TypeInfo for RuntimeError {
    type Identity = Self;

    fn type_info() -> Type {
        outer_enum("RuntimeError", |p| p.error)
    }
}

/// Signed extension types (`reference/substrate_compat.md` App. B.F), in metadata order.
pub mod extensions {
    use super::*;

    /// Declares a zero-sized extension type at `path`.
    macro_rules! empty_extensions {
        ($($name:ident = $module:literal;)*) => {$(
            #[doc = concat!("`", $module, "::", stringify!($name), "`: carries nothing.")]
            pub struct $name;

            impl TypeInfo for $name {
                type Identity = Self;

                fn type_info() -> Type {
                    composite_type(Path::new(stringify!($name), $module), Vec::new(), Vec::new())
                }
            }
        )*};
    }

    empty_extensions! {
        CheckNonZeroSender = "frame_system::extensions::check_non_zero_sender";
        CheckSpecVersion = "frame_system::extensions::check_spec_version";
        CheckTxVersion = "frame_system::extensions::check_tx_version";
        CheckGenesis = "frame_system::extensions::check_genesis";
        CheckWeight = "frame_system::extensions::check_weight";
        SubtensorTransactionExtension = "pallet_subtensor::transaction_extension";
        DrandPriority = "pallet_drand::drand_priority";
    }

    /// `CheckMortality(Era)`.
    pub struct CheckMortality;

    impl TypeInfo for CheckMortality {
        type Identity = Self;

        fn type_info() -> Type {
            composite_type(
                Path::new("CheckMortality", "frame_system::extensions::check_mortality"),
                Vec::new(),
                vec![unnamed::<Era>("Era")],
            )
        }
    }

    /// `CheckNonce(Compact<u32>)`.
    pub struct CheckNonce;

    impl TypeInfo for CheckNonce {
        type Identity = Self;

        fn type_info() -> Type {
            composite_type(
                Path::new("CheckNonce", "frame_system::extensions::check_nonce"),
                Vec::new(),
                vec![unnamed::<Compact<u32>>("T::Nonce")],
            )
        }
    }

    /// `ChargeTransactionPayment(Compact<u64>)`: the tip.
    pub struct ChargeTransactionPayment;

    impl TypeInfo for ChargeTransactionPayment {
        type Identity = Self;

        fn type_info() -> Type {
            composite_type(
                Path::new("ChargeTransactionPayment", "pallet_transaction_payment"),
                Vec::new(),
                vec![unnamed::<Compact<u64>>("BalanceOf<T>")],
            )
        }
    }

    /// `frame_metadata_hash_extension::Mode`: Disabled 0, Enabled 1.
    pub struct Mode;

    impl TypeInfo for Mode {
        type Identity = Self;

        fn type_info() -> Type {
            enum_type(
                Path::new("Mode", "frame_metadata_hash_extension"),
                vec![variant("Disabled", 0, Vec::new()), variant("Enabled", 1, Vec::new())],
            )
        }
    }

    /// `CheckMetadataHash { mode }`.
    pub struct CheckMetadataHash;

    impl TypeInfo for CheckMetadataHash {
        type Identity = Self;

        fn type_info() -> Type {
            composite_type(
                Path::new("CheckMetadataHash", "frame_metadata_hash_extension"),
                Vec::new(),
                vec![field::<Mode>("mode", "Mode")],
            )
        }
    }
}

/// The tuple of every signed extension: the extrinsic's `Extra` type.
pub type SignedExtensions = (
    extensions::CheckNonZeroSender,
    extensions::CheckSpecVersion,
    extensions::CheckTxVersion,
    extensions::CheckGenesis,
    extensions::CheckMortality,
    extensions::CheckNonce,
    extensions::CheckWeight,
    extensions::ChargeTransactionPayment,
    extensions::SubtensorTransactionExtension,
    extensions::DrandPriority,
    extensions::CheckMetadataHash,
);
