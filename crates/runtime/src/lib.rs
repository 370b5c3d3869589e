//! The rustensor state machine: storage layer, extrinsic decoding and checks, and (later) the pallets.
//!
//! Plain Rust over a byte key-value view, shaped like subtensor on the wire
//! (`ARCHITECTURE.md` §1): the same storage keys and SCALE values, the same Substrate v4
//! extrinsics. Nothing here touches the network or disk.
//!
//! | module | holds |
//! | --- | --- |
//! | [`storage`] | the [`storage::KvRead`]/[`storage::Kv`] seam, the transactional [`storage::Overlay`], typed items ([`storage::StorageMap`], …) |
//! | [`extrinsic`] | [`extrinsic::UncheckedExtrinsic`] decode/encode, eras, signed extensions, signing, and [`extrinsic::check()`] |
//!
//! | [`dispatch`] | wire types of dispatch results (`DispatchError`, `DispatchEventInfo`) and the [`dispatch::Dispatch`] seam |
//! | [`events`] | `System.Events` records |
//! | [`pallets`] | the pallets (`System` so far) and the [`pallets::Runtime`] router |
//! | [`executive`] | [`executive::Executive`]: initialize, apply extrinsics (one transactional layer each), finalize |
//!
//! Data flows: the node hands a block's extrinsic bytes to [`extrinsic::UncheckedExtrinsic::decode`],
//! checks them against the chain ([`extrinsic::check()`], which yields the signer, nonce and tip),
//! and dispatches the call on an [`storage::Overlay`] over the parent state, one transactional
//! layer per extrinsic.
//!
//! # Feature flags
//!
//! - `test-utils`: the in-memory backend `storage::MemoryKv` for tests of dependent crates.

#![deny(clippy::float_arithmetic)]
#![warn(clippy::arithmetic_side_effects)]

pub mod dispatch;
pub mod events;
pub mod executive;
pub mod extrinsic;
pub mod pallets;
pub mod storage;
