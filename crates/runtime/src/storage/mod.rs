//! The storage layer: a byte key-value view, a transactional overlay, and typed accessors.
//!
//! Three layers, bottom to top:
//!
//! | module | holds | role |
//! | --- | --- | --- |
//! | [`backend`] | [`KvRead`], [`Kv`] | the narrow byte-KV seam: `runtime` declares it, `node` implements it over its state store |
//! | `memory` | `MemoryKv` | a `BTreeMap` implementation for tests (feature `test-utils`, always in `cfg(test)`) |
//! | [`overlay`] | [`Overlay`] | buffered writes over a base view, with nested transactional layers (commit / rollback) |
//! | [`hasher`] | [`Identity`], [`Twox64Concat`], [`Blake2_128Concat`], … | FRAME's storage hashers |
//! | [`types`] | [`StorageValue`], [`StorageMap`], [`StorageDoubleMap`], [`StorageNMap3`] | typed items: key layout + SCALE values |
//!
//! A block runs on an [`Overlay`] over the parent state; each extrinsic opens a transactional
//! layer so that a failed call is rolled back and leaves no trace (issue 3, item 1). Typed items
//! compute `twox128(pallet) ++ twox128(item) ++ hasher(key)…` and SCALE-encode values, exactly as
//! FRAME does (`reference/substrate_compat.md` §4.3).
//!
//! Wire format: the key layout and value encodings produced here are what clients read with
//! `state_getStorage`; changing them breaks clients.
//!
//! # Example
//!
//! ```
//! use rustensor_runtime::storage::{
//!     Blake2_128Concat, Kv, MemoryKv, Overlay, StorageMap, ValueQuery, storage_prefix,
//! };
//!
//! storage_prefix!(
//!     /// `Demo.Counter`.
//!     pub CounterPrefix = "Demo" :: "Counter"
//! );
//! type Counter = StorageMap<CounterPrefix, Blake2_128Concat, u32, u64, ValueQuery>;
//!
//! let mut state = Overlay::new(MemoryKv::default());
//! Counter::insert(&mut state, &7, &100);
//! state.start_transaction();
//! Counter::mutate(&mut state, &7, |v| *v += 1);
//! state.rollback_transaction().expect("a layer is open");
//! assert_eq!(Counter::get(&state, &7), 100);
//! assert_eq!(Counter::iter(&state).collect::<Vec<_>>(), vec![(7, 100)]);
//! ```

pub mod backend;
pub mod hasher;
#[cfg(any(test, feature = "test-utils"))]
pub mod memory;
pub mod overlay;
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
pub use overlay::{Overlay, OverlayError};
pub use types::{
    ConstBool, ConstI16, ConstU8, ConstU16, ConstU32, ConstU64, ConstU128, Get, OptionQuery,
    QueryKind, StorageDoubleMap, StorageItem, StorageMap, StorageNMap3, StoragePrefix,
    StorageValue, TypeDefault, ValueQuery,
};
