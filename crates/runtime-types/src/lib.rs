//! The rustensor chain as a client sees it: every call, event, error, storage item and key,
//! runtime-API struct, the extrinsic format and the metadata that describes them, shaped like
//! subtensor on the wire (`ARCHITECTURE.md` §1). No execution: what the calls do is
//! `rustensor-runtime`'s, which builds on these types.
//!
//! Clients (the SDK, the subnets, the CLI) depend on this crate and not on the state machine,
//! so they build without any pallet logic.
//!
//! | module | holds |
//! | --- | --- |
//! | [`storage`] | the [`storage::KvRead`]/[`storage::Kv`] seam, storage hashers and typed items ([`storage::StorageMap`], …): key layout and SCALE values |
//! | [`extrinsic`] | [`extrinsic::UncheckedExtrinsic`] decode/encode, eras, signed extensions, signing; [`extrinsic::TransactionValidityError`] |
//! | [`dispatch`] | dispatch results on the wire: `DispatchError`, `Weight`, `DispatchEventInfo` |
//! | [`events`] | `System.Events` records |
//! | [`pallets`] | one module per pallet: `Call`, `Event`, `Error`, storage items, constants; [`pallets::RuntimeCall`] |
//! | [`metadata`] | Metadata V14 and V15 generated from these types ([`metadata::metadata_bytes`], [`metadata::metadata_v15_bytes`]) |
//!
//! Every module path is the same as in `rustensor-runtime`, which re-exports these types next
//! to the logic: `rustensor_runtime_types::pallets::balances::Call` is
//! `rustensor_runtime_types::pallets::balances::Call`.
//!
//! # Example
//!
//! Build the call bytes of a transfer, and read a balance's storage key:
//!
//! ```
//! use rustensor_primitives::AccountId32;
//! use rustensor_runtime_types::pallets::{RuntimeCall, balances, system};
//!
//! let bob = AccountId32([2; 32]);
//! let call = RuntimeCall::Balances(balances::Call::TransferKeepAlive {
//!     dest: balances::MultiAddress::Id(bob),
//!     value: 1_000_000_000,
//! });
//! let bytes = call.to_bytes().expect("a transfer encodes");
//! assert_eq!(&bytes[..2], &[balances::PALLET_INDEX, balances::CALL_TRANSFER_KEEP_ALIVE]);
//! assert_eq!(RuntimeCall::decode(&bytes), Ok(call));
//! let key = system::Account::key(&bob);
//! assert_eq!(key.len(), 32 + 16 + 32); // twox128 ++ twox128 ++ blake2_128 ++ account
//! ```
//!
//! # Feature flags
//!
//! - `test-utils`: the in-memory backend `storage::MemoryKv`.

#![deny(clippy::float_arithmetic)]
#![warn(clippy::arithmetic_side_effects)]

pub mod dispatch;
pub mod events;
pub mod extrinsic;
pub mod metadata;
pub mod pallets;
pub mod storage;
