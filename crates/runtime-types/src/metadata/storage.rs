//! Storage entry metadata from the typed storage aliases.
//!
//! [`StorageEntry`] is implemented once for each storage shape ([`StorageValue`],
//! [`StorageMap`], [`StorageDoubleMap`], [`StorageNMap3`]): the name comes from the alias's
//! prefix type, the hashers from its hasher types, key and value types from their `TypeInfo`,
//! the default from its query kind. [`pallet_storage`] lists every item per pallet.
//!
//! Wire format: names, hashers and types are how clients build keys and decode values.

use frame_metadata::v15::{
    StorageEntryMetadata, StorageEntryModifier, StorageEntryType, StorageHasher as MetaHasher,
};
use parity_scale_codec::Encode;
use scale_info::{MetaType, TypeInfo};

use super::types::{Digest, EventRecord, H256};
use crate::pallets::{
    admin_utils, balances, subtensor, sudo, system, transaction_payment, validators,
};
use crate::storage::{
    Blake2_128, Blake2_128Concat, Blake2_256, Get, Identity, OptionQuery, StorageDoubleMap,
    StorageHasher, StorageMap, StorageNMap3, StoragePrefix, StorageValue, Twox64Concat, Twox128,
    Twox256, ValueQuery,
};

/// A storage hasher's metadata name.
pub trait HasherMetadata: StorageHasher {
    /// The hasher as metadata names it.
    const HASHER: MetaHasher;
}

/// Declares the metadata name of each hasher.
macro_rules! hashers {
    ($($ty:ident),*) => {$(
        impl HasherMetadata for $ty {
            const HASHER: MetaHasher = MetaHasher::$ty;
        }
    )*};
}

hashers!(Identity, Twox64Concat, Blake2_128Concat, Blake2_128, Blake2_256, Twox128, Twox256);

/// A query kind's metadata: modifier and default bytes.
pub trait QueryMetadata<V> {
    /// `Default` for a value query, `Optional` for an option query.
    const MODIFIER: StorageEntryModifier;

    /// What a client decodes when the key is absent.
    fn default_bytes() -> Vec<u8>;
}

impl<V: Encode, D: Get<V>> QueryMetadata<V> for ValueQuery<D> {
    const MODIFIER: StorageEntryModifier = StorageEntryModifier::Default;

    fn default_bytes() -> Vec<u8> {
        D::get().encode()
    }
}

impl<V> QueryMetadata<V> for OptionQuery {
    const MODIFIER: StorageEntryModifier = StorageEntryModifier::Optional;

    fn default_bytes() -> Vec<u8> {
        // `Option::<V>::None`.
        vec![0]
    }
}

/// A typed storage item that can describe itself in metadata.
pub trait StorageEntry {
    /// The pallet it belongs to.
    const PALLET: &'static str;

    /// Its metadata entry.
    fn entry() -> StorageEntryMetadata;
}

/// The metadata entry of storage alias `S`.
pub fn entry<S: StorageEntry>() -> StorageEntryMetadata {
    S::entry()
}

fn build(
    name: &'static str,
    modifier: StorageEntryModifier,
    ty: StorageEntryType,
    default: Vec<u8>,
) -> StorageEntryMetadata {
    StorageEntryMetadata { name, modifier, ty, default, docs: Vec::new() }
}

impl<P, V, Q> StorageEntry for StorageValue<P, V, Q>
where
    P: StoragePrefix,
    V: TypeInfo + 'static,
    Q: QueryMetadata<V>,
{
    const PALLET: &'static str = P::PALLET;

    fn entry() -> StorageEntryMetadata {
        build(
            P::ITEM,
            Q::MODIFIER,
            StorageEntryType::Plain(MetaType::new::<V>()),
            Q::default_bytes(),
        )
    }
}

impl<P, H, K, V, Q> StorageEntry for StorageMap<P, H, K, V, Q>
where
    P: StoragePrefix,
    H: HasherMetadata,
    K: TypeInfo + 'static,
    V: TypeInfo + 'static,
    Q: QueryMetadata<V>,
{
    const PALLET: &'static str = P::PALLET;

    fn entry() -> StorageEntryMetadata {
        let ty = StorageEntryType::Map {
            hashers: vec![H::HASHER],
            key: MetaType::new::<K>(),
            value: MetaType::new::<V>(),
        };
        build(P::ITEM, Q::MODIFIER, ty, Q::default_bytes())
    }
}

impl<P, H1, K1, H2, K2, V, Q> StorageEntry for StorageDoubleMap<P, H1, K1, H2, K2, V, Q>
where
    P: StoragePrefix,
    H1: HasherMetadata,
    K1: TypeInfo + 'static,
    H2: HasherMetadata,
    K2: TypeInfo + 'static,
    V: TypeInfo + 'static,
    Q: QueryMetadata<V>,
{
    const PALLET: &'static str = P::PALLET;

    fn entry() -> StorageEntryMetadata {
        let ty = StorageEntryType::Map {
            hashers: vec![H1::HASHER, H2::HASHER],
            key: MetaType::new::<(K1, K2)>(),
            value: MetaType::new::<V>(),
        };
        build(P::ITEM, Q::MODIFIER, ty, Q::default_bytes())
    }
}

impl<P, H1, K1, H2, K2, H3, K3, V, Q> StorageEntry for StorageNMap3<P, H1, K1, H2, K2, H3, K3, V, Q>
where
    P: StoragePrefix,
    H1: HasherMetadata,
    K1: TypeInfo + 'static,
    H2: HasherMetadata,
    K2: TypeInfo + 'static,
    H3: HasherMetadata,
    K3: TypeInfo + 'static,
    V: TypeInfo + 'static,
    Q: QueryMetadata<V>,
{
    const PALLET: &'static str = P::PALLET;

    fn entry() -> StorageEntryMetadata {
        let ty = StorageEntryType::Map {
            hashers: vec![H1::HASHER, H2::HASHER, H3::HASHER],
            key: MetaType::new::<(K1, K2, K3)>(),
            value: MetaType::new::<V>(),
        };
        build(P::ITEM, Q::MODIFIER, ty, Q::default_bytes())
    }
}

/// A plain value entry written without a typed alias (`System.Events`).
fn plain<V: TypeInfo + 'static>(name: &'static str, default: Vec<u8>) -> StorageEntryMetadata {
    build(
        name,
        StorageEntryModifier::Default,
        StorageEntryType::Plain(MetaType::new::<V>()),
        default,
    )
}

/// Every storage item of pallet `pallet`, or `None` for a pallet without storage.
///
/// `System.ParentHash` and `System.BlockHash` are described as `H256` (their values are the
/// raw 32 bytes either way).
pub fn pallet_storage(pallet: &str) -> Option<Vec<StorageEntryMetadata>> {
    Some(match pallet {
        "System" => {
            let mut parent_hash = entry::<system::ParentHash>();
            parent_hash.ty = StorageEntryType::Plain(MetaType::new::<H256>());
            let mut block_hash = entry::<system::BlockHash>();
            if let StorageEntryType::Map { value, .. } = &mut block_hash.ty {
                *value = MetaType::new::<H256>();
            }
            vec![
                entry::<system::Account>(),
                entry::<system::Number>(),
                parent_hash,
                block_hash,
                plain::<Digest>("Digest", vec![0]),
                plain::<Vec<EventRecord>>("Events", vec![0]),
                entry::<system::EventCount>(),
            ]
        }
        "Balances" => {
            vec![entry::<balances::TotalIssuance>(), entry::<balances::InactiveIssuance>()]
        }
        "TransactionPayment" => vec![entry::<transaction_payment::NextFeeMultiplier>()],
        "SubtensorModule" => subtensor::storage::metadata_entries(),
        "Sudo" => vec![entry::<sudo::Key>()],
        "AdminUtils" => vec![entry::<admin_utils::PrecompileEnable>()],
        "Validators" => vec![
            entry::<validators::EpochLength>(),
            entry::<validators::Active>(),
            entry::<validators::Previous>(),
            entry::<validators::Next>(),
        ],
        _ => return None,
    })
}
