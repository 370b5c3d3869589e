//! Typed storage items: FRAME's key layout and SCALE values over a [`KvRead`] / [`Kv`].
//!
//! An item is a zero-sized prefix type (pallet and item names, declared with
//! [`storage_prefix!`](crate::storage_prefix)) plus a type alias naming its shape:
//!
//! ```
//! use rustensor_runtime_types::storage::{Identity, OptionQuery, StorageMap, ValueQuery, storage_prefix};
//!
//! storage_prefix!(
//!     /// `SubtensorModule.Tempo`.
//!     pub TempoPrefix = "SubtensorModule" :: "Tempo"
//! );
//! /// Wire format: matches subtensor `SubtensorModule.Tempo`.
//! pub type Tempo = StorageMap<TempoPrefix, Identity, u16, u16, ValueQuery>;
//! ```
//!
//! Keys are `twox128(pallet) ++ twox128(item) ++ H1(SCALE(k1)) ++ H2(SCALE(k2)) …`. Values are
//! SCALE. The query kind says what an absent key reads as: [`ValueQuery`] gives a default
//! (`Default::default()` or a [`Get`] type), [`OptionQuery`] gives `None`.
//!
//! As in FRAME, a stored value that fails to decode reads as absent (the default or `None`);
//! that can only happen if the state was written by something else than these accessors, and
//! `try_get` reports it. `mutate` under [`ValueQuery`] always writes the value back, defaults
//! included, as FRAME does; under [`OptionQuery`] a `None` left by the closure removes the key.
//!
//! Iteration (`iter`, `iter_prefix`) walks keys in ascending byte order, which for hashed keys
//! is not the key order; entries whose key or value do not decode are skipped.

use core::marker::PhantomData;

use parity_scale_codec::{Decode, Encode};
use rustensor_primitives::NetUid;
use rustensor_primitives::hashing::twox_128;

use super::backend::{Kv, KvRead};
use super::hasher::{ReversibleStorageHasher, StorageHasher};

/// The pallet and item names of a storage item.
pub trait StoragePrefix {
    /// The pallet name, e.g. `"System"`, `"SubtensorModule"`.
    const PALLET: &'static str;
    /// The item name, e.g. `"Account"`, `"Tempo"`.
    const ITEM: &'static str;

    /// `twox128(PALLET) ++ twox128(ITEM)`: the key of a value, or the prefix of a map.
    fn prefix() -> Vec<u8> {
        let mut out = Vec::with_capacity(32);
        out.extend_from_slice(&twox_128(Self::PALLET.as_bytes()));
        out.extend_from_slice(&twox_128(Self::ITEM.as_bytes()));
        out
    }
}

/// Declares a zero-sized [`StoragePrefix`] type for a pallet and item name.
///
/// ```
/// rustensor_runtime_types::storage_prefix!(
///     /// `System.Number`.
///     pub NumberPrefix = "System" :: "Number"
/// );
/// ```
#[macro_export]
macro_rules! storage_prefix {
    ($(#[$meta:meta])* $vis:vis $name:ident = $pallet:literal :: $item:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        $vis struct $name;

        impl $crate::storage::StoragePrefix for $name {
            const PALLET: &'static str = $pallet;
            const ITEM: &'static str = $item;
        }
    };
}

/// A value provider for [`ValueQuery`] defaults other than `Default::default()`.
pub trait Get<V> {
    /// The value.
    fn get() -> V;
}

/// `Default::default()` as a [`Get`]: the default of [`ValueQuery`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TypeDefault;

impl<V: Default> Get<V> for TypeDefault {
    fn get() -> V {
        V::default()
    }
}

/// Declares `Get` types holding a constant of one primitive type (FRAME's `ConstU16` …), for
/// [`ValueQuery`] defaults: `ValueQuery<ConstU16<360>>`.
macro_rules! const_get {
    ($($(#[$meta:meta])* $name:ident: $t:ty;)*) => {$(
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name<const N: $t>;

        impl<const N: $t> Get<$t> for $name<N> {
            fn get() -> $t {
                N
            }
        }
    )*};
}

const_get! {
    /// A constant `bool` default.
    ConstBool: bool;
    /// A constant `u8` default.
    ConstU8: u8;
    /// A constant `u16` default.
    ConstU16: u16;
    /// A constant `i16` default.
    ConstI16: i16;
    /// A constant `u32` default.
    ConstU32: u32;
    /// A constant `u64` default.
    ConstU64: u64;
    /// A constant `u128` default.
    ConstU128: u128;
}

/// What reading a storage item returns, and how a query result is written back.
pub trait QueryKind<V> {
    /// The type `get` returns.
    type Query;
    /// Turns the stored value (or its absence) into the query result.
    fn from_optional(value: Option<V>) -> Self::Query;
    /// Turns a query result back into what to store (`None` removes the key).
    fn into_optional(query: Self::Query) -> Option<V>;
}

/// Absent keys read as `D::get()` (FRAME's `ValueQuery` / `ValueQuery` with a default type).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValueQuery<D = TypeDefault>(PhantomData<D>);

impl<V, D: Get<V>> QueryKind<V> for ValueQuery<D> {
    type Query = V;
    fn from_optional(value: Option<V>) -> V {
        value.unwrap_or_else(D::get)
    }
    fn into_optional(query: V) -> Option<V> {
        Some(query)
    }
}

/// Absent keys read as `None` (FRAME's `OptionQuery`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OptionQuery;

impl<V> QueryKind<V> for OptionQuery {
    type Query = Option<V>;
    fn from_optional(value: Option<V>) -> Option<V> {
        value
    }
    fn into_optional(query: Option<V>) -> Option<V> {
        query
    }
}

fn decode_value<V: Decode>(bytes: Option<Vec<u8>>) -> Option<V> {
    bytes.and_then(|b| V::decode(&mut b.as_slice()).ok())
}

fn append_key<H: StorageHasher, K: Encode>(key: &mut Vec<u8>, part: &K) {
    key.extend(part.using_encoded(H::hash));
}

/// Decodes one key part written by a reversible hasher and advances `input` past it.
fn decode_key_part<H: ReversibleStorageHasher, K: Decode>(input: &mut &[u8]) -> Option<K> {
    *input = input.get(H::HASH_LEN..)?;
    K::decode(input).ok()
}

fn write<V: Encode, Q: QueryKind<V>>(s: &mut (impl Kv + ?Sized), key: &[u8], query: Q::Query) {
    match Q::into_optional(query) {
        Some(value) => s.put(key, &value.encode()),
        None => s.delete(key),
    }
}

/// Iterates the entries under `prefix`, decoding each `(key suffix, value)` with `decode`.
fn iter_decoded<'a, S: KvRead + ?Sized, T: 'a>(
    s: &'a S,
    prefix: Vec<u8>,
    decode: impl Fn(&[u8], &[u8]) -> Option<T> + 'a,
) -> impl Iterator<Item = T> + 'a {
    let len = prefix.len();
    s.iter_from(&prefix)
        .take_while(move |(k, _)| k.starts_with(&prefix))
        .filter_map(move |(k, v)| decode(k.get(len..)?, &v))
}

/// A single value under `twox128(pallet) ++ twox128(item)`.
pub struct StorageValue<P, V, Q = ValueQuery>(PhantomData<(P, V, Q)>);

impl<P: StoragePrefix, V: Encode + Decode, Q: QueryKind<V>> StorageValue<P, V, Q> {
    /// The storage key.
    pub fn key() -> Vec<u8> {
        P::prefix()
    }

    /// The value, or the query kind's answer for an absent key.
    pub fn get(s: &(impl KvRead + ?Sized)) -> Q::Query {
        Q::from_optional(Self::try_get(s))
    }

    /// The stored value, `None` if absent or undecodable.
    pub fn try_get(s: &(impl KvRead + ?Sized)) -> Option<V> {
        decode_value(s.get(&Self::key()))
    }

    /// Whether a value is stored.
    pub fn exists(s: &(impl KvRead + ?Sized)) -> bool {
        s.contains(&Self::key())
    }

    /// Stores `value`.
    pub fn put(s: &mut (impl Kv + ?Sized), value: &V) {
        s.put(&Self::key(), &value.encode());
    }

    /// Removes the value.
    pub fn kill(s: &mut (impl Kv + ?Sized)) {
        s.delete(&Self::key());
    }

    /// Removes the value and returns what [`Self::get`] returned before.
    pub fn take(s: &mut (impl Kv + ?Sized)) -> Q::Query {
        let value = Self::get(s);
        Self::kill(s);
        value
    }

    /// Reads, changes with `f`, and writes back.
    pub fn mutate<R>(s: &mut (impl Kv + ?Sized), f: impl FnOnce(&mut Q::Query) -> R) -> R {
        let mut value = Self::get(s);
        let result = f(&mut value);
        write::<V, Q>(s, &Self::key(), value);
        result
    }

    /// Like [`Self::mutate`], but writes back only if `f` returns `Ok`.
    ///
    /// # Errors
    ///
    /// Whatever `f` returns; storage is then unchanged.
    pub fn try_mutate<R, E>(
        s: &mut (impl Kv + ?Sized),
        f: impl FnOnce(&mut Q::Query) -> Result<R, E>,
    ) -> Result<R, E> {
        let mut value = Self::get(s);
        let result = f(&mut value)?;
        write::<V, Q>(s, &Self::key(), value);
        Ok(result)
    }
}

/// A map `K -> V` under `prefix ++ H(SCALE(k))`.
pub struct StorageMap<P, H, K, V, Q = ValueQuery>(PhantomData<(P, H, K, V, Q)>);

impl<P: StoragePrefix, H: StorageHasher, K: Encode + Decode, V: Encode + Decode, Q: QueryKind<V>>
    StorageMap<P, H, K, V, Q>
{
    /// The storage key of `k`.
    pub fn key(k: &K) -> Vec<u8> {
        let mut key = P::prefix();
        append_key::<H, K>(&mut key, k);
        key
    }

    /// The value under `k`, or the query kind's answer for an absent key.
    pub fn get(s: &(impl KvRead + ?Sized), k: &K) -> Q::Query {
        Q::from_optional(Self::try_get(s, k))
    }

    /// The stored value under `k`, `None` if absent or undecodable.
    pub fn try_get(s: &(impl KvRead + ?Sized), k: &K) -> Option<V> {
        decode_value(s.get(&Self::key(k)))
    }

    /// Whether a value is stored under `k`.
    pub fn contains_key(s: &(impl KvRead + ?Sized), k: &K) -> bool {
        s.contains(&Self::key(k))
    }

    /// Stores `value` under `k`.
    pub fn insert(s: &mut (impl Kv + ?Sized), k: &K, value: &V) {
        s.put(&Self::key(k), &value.encode());
    }

    /// Removes the value under `k`.
    pub fn remove(s: &mut (impl Kv + ?Sized), k: &K) {
        s.delete(&Self::key(k));
    }

    /// Removes the value under `k` and returns what [`Self::get`] returned before.
    pub fn take(s: &mut (impl Kv + ?Sized), k: &K) -> Q::Query {
        let value = Self::get(s, k);
        Self::remove(s, k);
        value
    }

    /// Reads the value under `k`, changes it with `f`, and writes it back.
    pub fn mutate<R>(s: &mut (impl Kv + ?Sized), k: &K, f: impl FnOnce(&mut Q::Query) -> R) -> R {
        let mut value = Self::get(s, k);
        let result = f(&mut value);
        write::<V, Q>(s, &Self::key(k), value);
        result
    }

    /// Like [`Self::mutate`], but writes back only if `f` returns `Ok`.
    ///
    /// # Errors
    ///
    /// Whatever `f` returns; storage is then unchanged.
    pub fn try_mutate<R, E>(
        s: &mut (impl Kv + ?Sized),
        k: &K,
        f: impl FnOnce(&mut Q::Query) -> Result<R, E>,
    ) -> Result<R, E> {
        let mut value = Self::get(s, k);
        let result = f(&mut value)?;
        write::<V, Q>(s, &Self::key(k), value);
        Ok(result)
    }

    /// Removes every entry of the map; returns how many were removed.
    pub fn clear(s: &mut (impl Kv + ?Sized)) -> u64 {
        s.delete_prefix(&P::prefix())
    }
}

impl<P, H, K, V, Q> StorageMap<P, H, K, V, Q>
where
    P: StoragePrefix,
    H: ReversibleStorageHasher,
    K: Encode + Decode + 'static,
    V: Encode + Decode + 'static,
    Q: QueryKind<V>,
{
    /// All `(key, value)` entries, in ascending storage-key order.
    pub fn iter<S: KvRead + ?Sized>(s: &S) -> impl Iterator<Item = (K, V)> + '_ {
        iter_decoded(s, P::prefix(), |mut suffix, value| {
            let k = decode_key_part::<H, K>(&mut suffix)?;
            suffix.is_empty().then_some(())?;
            Some((k, V::decode(&mut &value[..]).ok()?))
        })
    }

    /// All keys, in ascending storage-key order.
    pub fn iter_keys<S: KvRead + ?Sized>(s: &S) -> impl Iterator<Item = K> + '_ {
        Self::iter(s).map(|(k, _)| k)
    }
}

/// A map `(K1, K2) -> V` under `prefix ++ H1(SCALE(k1)) ++ H2(SCALE(k2))`.
pub struct StorageDoubleMap<P, H1, K1, H2, K2, V, Q = ValueQuery>(
    PhantomData<(P, H1, K1, H2, K2, V, Q)>,
);

impl<P, H1, K1, H2, K2, V, Q> StorageDoubleMap<P, H1, K1, H2, K2, V, Q>
where
    P: StoragePrefix,
    H1: StorageHasher,
    K1: Encode + Decode,
    H2: StorageHasher,
    K2: Encode + Decode,
    V: Encode + Decode,
    Q: QueryKind<V>,
{
    /// The storage key of `(k1, k2)`.
    pub fn key(k1: &K1, k2: &K2) -> Vec<u8> {
        let mut key = Self::prefix_key(k1);
        append_key::<H2, K2>(&mut key, k2);
        key
    }

    /// The prefix shared by every entry with first key `k1`.
    pub fn prefix_key(k1: &K1) -> Vec<u8> {
        let mut key = P::prefix();
        append_key::<H1, K1>(&mut key, k1);
        key
    }

    /// The value under `(k1, k2)`, or the query kind's answer for an absent key.
    pub fn get(s: &(impl KvRead + ?Sized), k1: &K1, k2: &K2) -> Q::Query {
        Q::from_optional(Self::try_get(s, k1, k2))
    }

    /// The stored value under `(k1, k2)`, `None` if absent or undecodable.
    pub fn try_get(s: &(impl KvRead + ?Sized), k1: &K1, k2: &K2) -> Option<V> {
        decode_value(s.get(&Self::key(k1, k2)))
    }

    /// Whether a value is stored under `(k1, k2)`.
    pub fn contains_key(s: &(impl KvRead + ?Sized), k1: &K1, k2: &K2) -> bool {
        s.contains(&Self::key(k1, k2))
    }

    /// Stores `value` under `(k1, k2)`.
    pub fn insert(s: &mut (impl Kv + ?Sized), k1: &K1, k2: &K2, value: &V) {
        s.put(&Self::key(k1, k2), &value.encode());
    }

    /// Removes the value under `(k1, k2)`.
    pub fn remove(s: &mut (impl Kv + ?Sized), k1: &K1, k2: &K2) {
        s.delete(&Self::key(k1, k2));
    }

    /// Removes the value under `(k1, k2)` and returns what [`Self::get`] returned before.
    pub fn take(s: &mut (impl Kv + ?Sized), k1: &K1, k2: &K2) -> Q::Query {
        let value = Self::get(s, k1, k2);
        Self::remove(s, k1, k2);
        value
    }

    /// Reads the value under `(k1, k2)`, changes it with `f`, and writes it back.
    pub fn mutate<R>(
        s: &mut (impl Kv + ?Sized),
        k1: &K1,
        k2: &K2,
        f: impl FnOnce(&mut Q::Query) -> R,
    ) -> R {
        let mut value = Self::get(s, k1, k2);
        let result = f(&mut value);
        write::<V, Q>(s, &Self::key(k1, k2), value);
        result
    }

    /// Like [`Self::mutate`], but writes back only if `f` returns `Ok`.
    ///
    /// # Errors
    ///
    /// Whatever `f` returns; storage is then unchanged.
    pub fn try_mutate<R, E>(
        s: &mut (impl Kv + ?Sized),
        k1: &K1,
        k2: &K2,
        f: impl FnOnce(&mut Q::Query) -> Result<R, E>,
    ) -> Result<R, E> {
        let mut value = Self::get(s, k1, k2);
        let result = f(&mut value)?;
        write::<V, Q>(s, &Self::key(k1, k2), value);
        Ok(result)
    }

    /// Removes every entry with first key `k1`; returns how many were removed.
    pub fn clear_prefix(s: &mut (impl Kv + ?Sized), k1: &K1) -> u64 {
        s.delete_prefix(&Self::prefix_key(k1))
    }
}

impl<P, H1, K1, H2, K2, V, Q> StorageDoubleMap<P, H1, K1, H2, K2, V, Q>
where
    P: StoragePrefix,
    H1: StorageHasher,
    K1: Encode + Decode + 'static,
    H2: ReversibleStorageHasher,
    K2: Encode + Decode + 'static,
    V: Encode + Decode + 'static,
    Q: QueryKind<V>,
{
    /// The `(k2, value)` entries with first key `k1`, in ascending storage-key order.
    pub fn iter_prefix<'a, S: KvRead + ?Sized>(
        s: &'a S,
        k1: &K1,
    ) -> impl Iterator<Item = (K2, V)> + 'a {
        iter_decoded(s, Self::prefix_key(k1), |mut suffix, value| {
            let k2 = decode_key_part::<H2, K2>(&mut suffix)?;
            suffix.is_empty().then_some(())?;
            Some((k2, V::decode(&mut &value[..]).ok()?))
        })
    }
}

impl<P, H1, K1, H2, K2, V, Q> StorageDoubleMap<P, H1, K1, H2, K2, V, Q>
where
    P: StoragePrefix,
    H1: ReversibleStorageHasher,
    K1: Encode + Decode + 'static,
    H2: ReversibleStorageHasher,
    K2: Encode + Decode + 'static,
    V: Encode + Decode + 'static,
    Q: QueryKind<V>,
{
    /// All `(k1, k2, value)` entries, in ascending storage-key order.
    pub fn iter<S: KvRead + ?Sized>(s: &S) -> impl Iterator<Item = (K1, K2, V)> + '_ {
        iter_decoded(s, P::prefix(), |mut suffix, value| {
            let k1 = decode_key_part::<H1, K1>(&mut suffix)?;
            let k2 = decode_key_part::<H2, K2>(&mut suffix)?;
            suffix.is_empty().then_some(())?;
            Some((k1, k2, V::decode(&mut &value[..]).ok()?))
        })
    }
}

/// A map `(K1, K2, K3) -> V` under `prefix ++ H1(k1) ++ H2(k2) ++ H3(k3)`: FRAME's
/// `StorageNMap` with three keys (subtensor's `Alpha`).
#[allow(clippy::type_complexity, reason = "a marker tuple of the type parameters")]
pub struct StorageNMap3<P, H1, K1, H2, K2, H3, K3, V, Q = ValueQuery>(
    PhantomData<(P, H1, K1, H2, K2, H3, K3, V, Q)>,
);

impl<P, H1, K1, H2, K2, H3, K3, V, Q> StorageNMap3<P, H1, K1, H2, K2, H3, K3, V, Q>
where
    P: StoragePrefix,
    H1: StorageHasher,
    K1: Encode + Decode,
    H2: StorageHasher,
    K2: Encode + Decode,
    H3: StorageHasher,
    K3: Encode + Decode,
    V: Encode + Decode,
    Q: QueryKind<V>,
{
    /// The storage key of `(k1, k2, k3)`.
    pub fn key(k1: &K1, k2: &K2, k3: &K3) -> Vec<u8> {
        let mut key = Self::prefix_key2(k1, k2);
        append_key::<H3, K3>(&mut key, k3);
        key
    }

    /// The prefix shared by every entry with first key `k1`.
    pub fn prefix_key1(k1: &K1) -> Vec<u8> {
        let mut key = P::prefix();
        append_key::<H1, K1>(&mut key, k1);
        key
    }

    /// The prefix shared by every entry with first keys `(k1, k2)`.
    pub fn prefix_key2(k1: &K1, k2: &K2) -> Vec<u8> {
        let mut key = Self::prefix_key1(k1);
        append_key::<H2, K2>(&mut key, k2);
        key
    }

    /// The value under the keys, or the query kind's answer for an absent key.
    pub fn get(s: &(impl KvRead + ?Sized), k1: &K1, k2: &K2, k3: &K3) -> Q::Query {
        Q::from_optional(Self::try_get(s, k1, k2, k3))
    }

    /// The stored value under the keys, `None` if absent or undecodable.
    pub fn try_get(s: &(impl KvRead + ?Sized), k1: &K1, k2: &K2, k3: &K3) -> Option<V> {
        decode_value(s.get(&Self::key(k1, k2, k3)))
    }

    /// Whether a value is stored under the keys.
    pub fn contains_key(s: &(impl KvRead + ?Sized), k1: &K1, k2: &K2, k3: &K3) -> bool {
        s.contains(&Self::key(k1, k2, k3))
    }

    /// Stores `value` under the keys.
    pub fn insert(s: &mut (impl Kv + ?Sized), k1: &K1, k2: &K2, k3: &K3, value: &V) {
        s.put(&Self::key(k1, k2, k3), &value.encode());
    }

    /// Removes the value under the keys.
    pub fn remove(s: &mut (impl Kv + ?Sized), k1: &K1, k2: &K2, k3: &K3) {
        s.delete(&Self::key(k1, k2, k3));
    }

    /// Reads the value under the keys, changes it with `f`, and writes it back.
    pub fn mutate<R>(
        s: &mut (impl Kv + ?Sized),
        k1: &K1,
        k2: &K2,
        k3: &K3,
        f: impl FnOnce(&mut Q::Query) -> R,
    ) -> R {
        let mut value = Self::get(s, k1, k2, k3);
        let result = f(&mut value);
        write::<V, Q>(s, &Self::key(k1, k2, k3), value);
        result
    }
}

impl<P, H1, K1, H2, K2, H3, K3, V, Q> StorageNMap3<P, H1, K1, H2, K2, H3, K3, V, Q>
where
    P: StoragePrefix,
    H1: StorageHasher,
    K1: Encode + Decode + 'static,
    H2: StorageHasher,
    K2: Encode + Decode + 'static,
    H3: ReversibleStorageHasher,
    K3: Encode + Decode + 'static,
    V: Encode + Decode + 'static,
    Q: QueryKind<V>,
{
    /// The `(k3, value)` entries with first keys `(k1, k2)`, in ascending storage-key order.
    pub fn iter_prefix2<'a, S: KvRead + ?Sized>(
        s: &'a S,
        k1: &K1,
        k2: &K2,
    ) -> impl Iterator<Item = (K3, V)> + 'a {
        iter_decoded(s, Self::prefix_key2(k1, k2), |mut suffix, value| {
            let k3 = decode_key_part::<H3, K3>(&mut suffix)?;
            suffix.is_empty().then_some(())?;
            Some((k3, V::decode(&mut &value[..]).ok()?))
        })
    }
}

impl<P, H1, K1, H2, K2, H3, K3, V, Q> StorageNMap3<P, H1, K1, H2, K2, H3, K3, V, Q>
where
    P: StoragePrefix,
    H1: StorageHasher,
    K1: Encode + Decode + 'static,
    H2: ReversibleStorageHasher,
    K2: Encode + Decode + 'static,
    H3: ReversibleStorageHasher,
    K3: Encode + Decode + 'static,
    V: Encode + Decode + 'static,
    Q: QueryKind<V>,
{
    /// The `(k2, k3, value)` entries with first key `k1`, in ascending storage-key order.
    pub fn iter_prefix1<'a, S: KvRead + ?Sized>(
        s: &'a S,
        k1: &K1,
    ) -> impl Iterator<Item = (K2, K3, V)> + 'a {
        iter_decoded(s, Self::prefix_key1(k1), |mut suffix, value| {
            let k2 = decode_key_part::<H2, K2>(&mut suffix)?;
            let k3 = decode_key_part::<H3, K3>(&mut suffix)?;
            suffix.is_empty().then_some(())?;
            Some((k2, k3, V::decode(&mut &value[..]).ok()?))
        })
    }
}

impl<P, H1, K1, H2, K2, H3, K3, V, Q> StorageNMap3<P, H1, K1, H2, K2, H3, K3, V, Q>
where
    P: StoragePrefix,
    H1: ReversibleStorageHasher,
    K1: Encode + Decode + 'static,
    H2: ReversibleStorageHasher,
    K2: Encode + Decode + 'static,
    H3: ReversibleStorageHasher,
    K3: Encode + Decode + 'static,
    V: Encode + Decode + 'static,
    Q: QueryKind<V>,
{
    /// Every `(k1, k2, k3, value)` entry, in ascending storage-key order.
    pub fn iter<S: KvRead + ?Sized>(s: &S) -> impl Iterator<Item = (K1, K2, K3, V)> + '_ {
        iter_decoded(s, P::prefix(), |mut suffix, value| {
            let k1 = decode_key_part::<H1, K1>(&mut suffix)?;
            let k2 = decode_key_part::<H2, K2>(&mut suffix)?;
            let k3 = decode_key_part::<H3, K3>(&mut suffix)?;
            suffix.is_empty().then_some(())?;
            Some((k1, k2, k3, V::decode(&mut &value[..]).ok()?))
        })
    }
}

/// A storage item seen from outside the state machine: how to build the key of an entry and
/// how to read its raw value. Lets a remote client (the SDK) read state over JSON-RPC with
/// exactly the keys and defaults the runtime uses, e.g. `client.read::<Burn>(&netuid)`.
pub trait StorageItem {
    /// The key arguments: `()` for a value, `K` for a map, `(K1, K2)` for a double map.
    type Key;
    /// The stored value type.
    type Value: Decode;
    /// What a read returns (the value, or `Option` of it for `OptionQuery` items).
    type Query;
    /// The full storage key of the entry at `key`.
    fn storage_key(key: &Self::Key) -> Vec<u8>;
    /// The read result for a stored value (or its absence), with the item's default.
    fn query(value: Option<Self::Value>) -> Self::Query;
}

impl<P: StoragePrefix, V: Encode + Decode, Q: QueryKind<V>> StorageItem for StorageValue<P, V, Q> {
    type Key = ();
    type Value = V;
    type Query = Q::Query;
    fn storage_key(_: &()) -> Vec<u8> {
        Self::key()
    }
    fn query(value: Option<V>) -> Q::Query {
        Q::from_optional(value)
    }
}

impl<P: StoragePrefix, H: StorageHasher, K: Encode + Decode, V: Encode + Decode, Q: QueryKind<V>>
    StorageItem for StorageMap<P, H, K, V, Q>
{
    type Key = K;
    type Value = V;
    type Query = Q::Query;
    fn storage_key(key: &K) -> Vec<u8> {
        Self::key(key)
    }
    fn query(value: Option<V>) -> Q::Query {
        Q::from_optional(value)
    }
}

impl<P, H1, K1, H2, K2, V, Q> StorageItem for StorageDoubleMap<P, H1, K1, H2, K2, V, Q>
where
    P: StoragePrefix,
    H1: StorageHasher,
    K1: Encode + Decode,
    H2: StorageHasher,
    K2: Encode + Decode,
    V: Encode + Decode,
    Q: QueryKind<V>,
{
    type Key = (K1, K2);
    type Value = V;
    type Query = Q::Query;
    fn storage_key((k1, k2): &(K1, K2)) -> Vec<u8> {
        Self::key(k1, k2)
    }
    fn query(value: Option<V>) -> Q::Query {
        Q::from_optional(value)
    }
}

/// A first key that names a subnet: a [`NetUid`], or the `u16` storage index of its mechanism 0
/// (the same two bytes).
pub trait SubnetKey: Encode + Decode {
    /// The key of `netuid`.
    fn of(netuid: NetUid) -> Self;
}

impl SubnetKey for NetUid {
    fn of(netuid: NetUid) -> Self {
        netuid
    }
}

impl SubnetKey for u16 {
    fn of(netuid: NetUid) -> Self {
        netuid.0
    }
}

/// A map whose first key is a subnet ([`SubnetKey`]): every entry of one subnet shares a key
/// prefix, so the subnet's entries can be cleared without knowing the other keys.
pub trait KeyedBySubnet {
    /// The item's name.
    const ITEM: &'static str;

    /// The key prefix of every entry of `netuid` (the whole key, for a one-key map).
    fn subnet_prefix(netuid: NetUid) -> Vec<u8>;
}

impl<P, H, K, V, Q> KeyedBySubnet for StorageMap<P, H, K, V, Q>
where
    P: StoragePrefix,
    H: StorageHasher,
    K: SubnetKey,
    V: Encode + Decode,
    Q: QueryKind<V>,
{
    const ITEM: &'static str = P::ITEM;

    fn subnet_prefix(netuid: NetUid) -> Vec<u8> {
        Self::key(&K::of(netuid))
    }
}

impl<P, H1, K1, H2, K2, V, Q> KeyedBySubnet for StorageDoubleMap<P, H1, K1, H2, K2, V, Q>
where
    P: StoragePrefix,
    H1: StorageHasher,
    K1: SubnetKey,
    H2: StorageHasher,
    K2: Encode + Decode,
    V: Encode + Decode,
    Q: QueryKind<V>,
{
    const ITEM: &'static str = P::ITEM;

    fn subnet_prefix(netuid: NetUid) -> Vec<u8> {
        Self::prefix_key(&K1::of(netuid))
    }
}

impl<P, H1, K1, H2, K2, H3, K3, V, Q> KeyedBySubnet
    for StorageNMap3<P, H1, K1, H2, K2, H3, K3, V, Q>
where
    P: StoragePrefix,
    H1: StorageHasher,
    K1: SubnetKey,
    H2: StorageHasher,
    K2: Encode + Decode,
    H3: StorageHasher,
    K3: Encode + Decode,
    V: Encode + Decode,
    Q: QueryKind<V>,
{
    const ITEM: &'static str = P::ITEM;

    fn subnet_prefix(netuid: NetUid) -> Vec<u8> {
        Self::prefix_key1(&K1::of(netuid))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{Blake2_128Concat, Identity, MemoryKv, Twox64Concat};
    use rustensor_primitives::AccountId32;

    storage_prefix!(NumberPrefix = "System" :: "Number");
    storage_prefix!(AccountPrefix = "System" :: "Account");
    storage_prefix!(BlockHashPrefix = "System" :: "BlockHash");
    storage_prefix!(TempoPrefix = "SubtensorModule" :: "Tempo");
    storage_prefix!(KeysPrefix = "SubtensorModule" :: "Keys");
    storage_prefix!(UidsPrefix = "SubtensorModule" :: "Uids");
    storage_prefix!(IsNetworkMemberPrefix = "SubtensorModule" :: "IsNetworkMember");
    storage_prefix!(AlphaPrefix = "SubtensorModule" :: "Alpha");
    storage_prefix!(MechanismCountCurrentPrefix = "SubtensorModule" :: "MechanismCountCurrent");
    storage_prefix!(TotalNetworksPrefix = "SubtensorModule" :: "TotalNetworks");

    type Number = StorageValue<NumberPrefix, u32>;
    type Account = StorageMap<AccountPrefix, Blake2_128Concat, AccountId32, u64>;
    type BlockHash = StorageMap<BlockHashPrefix, Twox64Concat, u32, [u8; 32]>;
    type Tempo = StorageMap<TempoPrefix, Identity, u16, u16, ValueQuery<DefaultTempo>>;
    type Keys = StorageDoubleMap<KeysPrefix, Identity, u16, Identity, u16, AccountId32>;
    type Uids = StorageDoubleMap<
        UidsPrefix,
        Identity,
        u16,
        Blake2_128Concat,
        AccountId32,
        u16,
        OptionQuery,
    >;
    type IsNetworkMember =
        StorageDoubleMap<IsNetworkMemberPrefix, Blake2_128Concat, AccountId32, Identity, u16, bool>;
    type Alpha = StorageNMap3<
        AlphaPrefix,
        Blake2_128Concat,
        AccountId32,
        Blake2_128Concat,
        AccountId32,
        Identity,
        u16,
        u128,
    >;
    type MechanismCountCurrent = StorageMap<MechanismCountCurrentPrefix, Twox64Concat, u16, u8>;
    type TotalNetworks = StorageValue<TotalNetworksPrefix, u16>;

    struct DefaultTempo;
    impl Get<u16> for DefaultTempo {
        fn get() -> u16 {
            360
        }
    }

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).expect("test vector is valid hex")
    }

    fn alice() -> AccountId32 {
        AccountId32::from_hex("0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
            .expect("valid hex")
    }

    fn bob() -> AccountId32 {
        AccountId32::from_hex("0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
            .expect("valid hex")
    }

    // Keys below are pinned to fixed bytes. `System.Account[Alice]` and `System.Number` are the
    // well-known keys every Substrate chain (subtensor included) serves; the SubtensorModule keys
    // were computed independently in Python (`xxhash` + `hashlib.blake2b`, see the module
    // report) from the layout in substrate_compat.md §4.3 / App. B.A. Changing them is a format
    // change, never a way to make a test pass.

    #[test]
    fn test_system_account_key_matches_chain_bytes() {
        assert_eq!(
            Account::key(&alice()),
            h(concat!(
                "26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9",
                "de1e86a9a8c739864cf3cc5ec2bea59f",
                "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
            ))
        );
    }

    #[test]
    fn test_system_number_and_block_hash_keys_match_chain_bytes() {
        assert_eq!(
            Number::key(),
            h("26aa394eea5630e07c48ae0c9558cef702a5c1b19ab7a04f536c519aca4983ac")
        );
        assert_eq!(
            BlockHash::key(&0),
            h(
                "26aa394eea5630e07c48ae0c9558cef7a44704b568d21667356a5a050c118746b4def25cfda6ef3a00000000"
            )
        );
        assert_eq!(
            BlockHash::key(&7),
            h(
                "26aa394eea5630e07c48ae0c9558cef7a44704b568d21667356a5a050c1187460e0d969b0e48cab707000000"
            )
        );
    }

    #[test]
    fn test_subtensor_keys_match_python_computed_bytes() {
        assert_eq!(
            TotalNetworks::key(),
            h("658faa385070e074c85bf6b568cf05555f3bb7bcd0a076a48abf8c256d221721")
        );
        assert_eq!(
            Tempo::key(&1),
            h("658faa385070e074c85bf6b568cf05557641384bb339f3758acddfd7053d33170100")
        );
        assert_eq!(
            Keys::key(&1, &2),
            h("658faa385070e074c85bf6b568cf05559f99a2ce711f3a31b2fc05604c93f17901000200")
        );
        assert_eq!(
            Uids::key(&3, &alice()),
            h(concat!(
                "658faa385070e074c85bf6b568cf0555aab1b4e78e1ea8305462ee53b3686dc80300",
                "de1e86a9a8c739864cf3cc5ec2bea59f",
                "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
            ))
        );
        assert_eq!(
            IsNetworkMember::key(&alice(), &3),
            h(concat!(
                "658faa385070e074c85bf6b568cf0555ea6aa4e81a33d2c120ef55203e0eb560",
                "de1e86a9a8c739864cf3cc5ec2bea59f",
                "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d0300"
            ))
        );
        assert_eq!(
            Alpha::key(&alice(), &bob(), &1),
            h(concat!(
                "658faa385070e074c85bf6b568cf05557261f9a8fde18018cccf70368697902f",
                "de1e86a9a8c739864cf3cc5ec2bea59f",
                "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d",
                "4f9aea1afa791265fae359272badc1cf",
                "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48",
                "0100"
            ))
        );
        assert_eq!(
            MechanismCountCurrent::key(&1),
            h(
                "658faa385070e074c85bf6b568cf0555604fb97037feb8522bf37d42d54fa6e9f1577fbf1d628fdd0100"
            )
        );
    }

    #[test]
    fn test_value_query_defaults_and_option_query_absent() {
        let mut s = MemoryKv::new();
        assert_eq!(Number::get(&s), 0);
        assert!(!Number::exists(&s));
        assert_eq!(Tempo::get(&s, &1), 360);
        assert_eq!(Uids::get(&s, &1, &alice()), None);
        Number::put(&mut s, &42);
        assert_eq!(s.get(&Number::key()), Some(42u32.to_le_bytes().to_vec()));
        assert_eq!(Number::take(&mut s), 42);
        assert!(!Number::exists(&s));
        // ValueQuery writes defaults back, as FRAME does.
        Tempo::mutate(&mut s, &2, |_| ());
        assert!(Tempo::contains_key(&s, &2));
        // OptionQuery: None removes.
        Uids::insert(&mut s, &1, &alice(), &5);
        Uids::mutate(&mut s, &1, &alice(), |v| *v = None);
        assert!(!Uids::contains_key(&s, &1, &alice()));
    }

    #[test]
    fn test_try_mutate_err_leaves_storage_unchanged() {
        let mut s = MemoryKv::new();
        Account::insert(&mut s, &alice(), &10);
        let r: Result<(), &str> = Account::try_mutate(&mut s, &alice(), |v| {
            *v = 99;
            Err("no")
        });
        assert_eq!(r, Err("no"));
        assert_eq!(Account::get(&s, &alice()), 10);
        assert_eq!(
            Account::try_mutate(&mut s, &alice(), |v| -> Result<u64, ()> {
                *v += 1;
                Ok(*v)
            }),
            Ok(11)
        );
        assert_eq!(Account::get(&s, &alice()), 11);
    }

    #[test]
    fn test_undecodable_value_reads_as_default() {
        let mut s = MemoryKv::new();
        s.put(&Number::key(), &[1, 2]);
        assert_eq!(Number::get(&s), 0);
        assert_eq!(Number::try_get(&s), None);
    }

    #[test]
    fn test_iteration_decodes_keys_back() {
        let mut s = MemoryKv::new();
        Account::insert(&mut s, &alice(), &1);
        Account::insert(&mut s, &bob(), &2);
        let mut accounts: Vec<_> = Account::iter(&s).collect();
        accounts.sort();
        let mut expected = vec![(alice(), 1), (bob(), 2)];
        expected.sort();
        assert_eq!(accounts, expected);

        for uid in [3u16, 1, 2] {
            Keys::insert(&mut s, &1, &uid, &alice());
        }
        Keys::insert(&mut s, &2, &0, &bob());
        // Identity keys of u16 iterate in byte order of their little-endian encoding.
        let uids: Vec<u16> = Keys::iter_prefix(&s, &1).map(|(uid, _)| uid).collect();
        assert_eq!(uids, vec![1, 2, 3]);
        assert_eq!(Keys::iter(&s).count(), 4);
        assert_eq!(Keys::clear_prefix(&mut s, &1), 3);
        assert_eq!(Keys::iter(&s).collect::<Vec<_>>(), vec![(2, 0, bob())]);

        Alpha::insert(&mut s, &alice(), &bob(), &1, &7);
        Alpha::insert(&mut s, &alice(), &bob(), &2, &8);
        Alpha::insert(&mut s, &alice(), &alice(), &2, &9);
        assert_eq!(
            Alpha::iter_prefix2(&s, &alice(), &bob()).collect::<Vec<_>>(),
            vec![(1, 7), (2, 8)]
        );
        assert_eq!(Alpha::iter_prefix1(&s, &alice()).count(), 3);
        Alpha::mutate(&mut s, &alice(), &bob(), &1, |v| *v += 1);
        assert_eq!(Alpha::get(&s, &alice(), &bob(), &1), 8);

        assert_eq!(Account::clear(&mut s), 2);
        assert_eq!(Account::iter_keys(&s).count(), 0);
    }

    #[test]
    fn test_iteration_skips_foreign_suffixes() {
        let mut s = MemoryKv::new();
        Tempo::insert(&mut s, &1, &10);
        // A key under the same prefix with a trailing byte does not decode as a u16 key.
        let mut odd = Tempo::key(&2);
        odd.push(0);
        s.put(&odd, &5u16.encode());
        assert_eq!(Tempo::iter(&s).collect::<Vec<_>>(), vec![(1, 10)]);
    }
}
