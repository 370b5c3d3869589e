//! The storage layer's wire half: the byte key-value seam and the typed item declarations
//! (key layout and SCALE values) that clients read with `state_getStorage`.
//!
//! The layers, bottom to top (the transactional `Overlay` lives in `rustensor-runtime`, which
//! executes blocks):
//!
//! | module | holds | role |
//! | --- | --- | --- |
//! | [`backend`] | [`KvRead`], [`Kv`] | the narrow byte-KV seam: declared here, implemented by the runtime's overlay and the node's state store |
//! | `memory` | `MemoryKv` | a `BTreeMap` implementation for tests (feature `test-utils`, always in `cfg(test)`) |
//! | [`hasher`] | [`Identity`], [`Twox64Concat`], [`Blake2_128Concat`], … | FRAME's storage hashers |
//! | [`types`] | [`StorageValue`], [`StorageMap`], [`StorageDoubleMap`], [`StorageNMap3`] | typed items: key layout + SCALE values |
//!
//! Typed items
//! compute `twox128(pallet) ++ twox128(item) ++ hasher(key)…` and SCALE-encode values, exactly as
//! FRAME does (`reference/substrate_compat.md` §4.3).
//!
//! Wire format: the key layout and value encodings produced here are what clients read with
//! `state_getStorage`; changing them breaks clients.
//!
//! # Example
//!
//! ```
//! use rustensor_runtime_types::storage::{
//!     Blake2_128Concat, MemoryKv, StorageMap, ValueQuery, storage_prefix,
//! };
//!
//! storage_prefix!(
//!     /// `Demo.Counter`.
//!     pub CounterPrefix = "Demo" :: "Counter"
//! );
//! type Counter = StorageMap<CounterPrefix, Blake2_128Concat, u32, u64, ValueQuery>;
//!
//! let mut state = MemoryKv::default();
//! Counter::insert(&mut state, &7, &100);
//! Counter::mutate(&mut state, &7, |v| *v += 1);
//! assert_eq!(Counter::get(&state, &7), 101);
//! assert_eq!(Counter::iter(&state).collect::<Vec<_>>(), vec![(7, 101)]);
//! ```

pub mod backend;
pub mod hasher;
#[cfg(any(test, feature = "test-utils"))]
pub mod memory;
pub mod types;

#[doc(inline)]
pub use crate::storage_prefix;
pub use backend::{Kv, KvIter, KvRead};
pub use hasher::{
    Blake2_128, Blake2_128Concat, Blake2_256, Identity, ReversibleStorageHasher, StorageHasher,
    Twox64Concat, Twox128, Twox256,
};
#[cfg(any(test, feature = "test-utils"))]
pub use memory::MemoryKv;
pub use types::{
    ConstBool, ConstI16, ConstU8, ConstU16, ConstU32, ConstU64, ConstU128, Get, KeyedBySubnet,
    OptionQuery, QueryKind, StorageDoubleMap, StorageItem, StorageMap, StorageNMap3, StoragePrefix,
    StorageValue, SubnetKey, TypeDefault, ValueQuery,
};
