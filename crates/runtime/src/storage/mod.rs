//! The storage layer: the byte key-value seam and typed items are `rustensor-runtime-types`'
//! (re-exported here); this module adds [`Overlay`], buffered writes over a base view with nested
//! transactional layers (commit / rollback).
//!
//! A block runs on an [`Overlay`] over the parent state; each extrinsic opens a transactional
//! layer so that a failed call is rolled back and leaves no trace (issue 3, item 1).
//!
//! # Example
//!
//! ```
//! use rustensor_runtime::storage::{
//!     Blake2_128Concat, MemoryKv, Overlay, StorageMap, ValueQuery, storage_prefix,
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

pub mod overlay;

pub use overlay::{Overlay, OverlayError};
pub use rustensor_runtime_types::storage::*;
