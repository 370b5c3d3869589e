//! The rustensor state machine: the transactional storage overlay, extrinsic checks, the
//! executive, what every pallet's calls and hooks do, genesis and the runtime-API entry point.
//!
//! Plain Rust over a byte key-value view, shaped like subtensor on the wire
//! (`ARCHITECTURE.md` §1): the same storage keys and SCALE values, the same Substrate v4
//! extrinsics. Nothing here touches the network or disk. The wire surface itself (calls,
//! events, errors, storage items, runtime-API structs, the extrinsic format, metadata) is
//! `rustensor-runtime-types`; each module here re-exports its part under the same path.
//!
//! | module | holds |
//! | --- | --- |
//! | [`storage`] | the transactional [`storage::Overlay`]; re-exports the [`storage::KvRead`]/[`storage::Kv`] seam and typed items ([`storage::StorageMap`], …) |
//! | [`extrinsic`] | [`extrinsic::check()`]: signature, era, nonce against the chain; re-exports the format ([`extrinsic::UncheckedExtrinsic`]) |
//! | [`dispatch`] | [`dispatch::Origin`], [`dispatch::DispatchContext`], the [`dispatch::Dispatch`] seam and [`dispatch::Dispatchable`]; re-exports the wire types of dispatch results |
//! | [`events`] | `System.Events` records (re-exported) |
//! | [`pallets`] | what the pallets (`System`, `Balances`, `TransactionPayment`, `SubtensorModule`, `Utility`, `Sudo`, `AdminUtils`, `Validators`) do, and the [`pallets::Runtime`] router |
//! | [`genesis`] | [`genesis::ChainSpec`] (JSON, built-in `dev`) and [`genesis::build_genesis`] |
//! | [`metadata`] | Metadata V14 and V15 generated from the wire types ([`metadata::metadata_bytes`], re-exported) |
//! | [`runtime_api`] | `state_call`: every runtime API method in one entry point ([`runtime_api::call`]) |
//! | [`executive`] | [`executive::Executive`]: initialize, apply extrinsics (fee withdrawn first, then one transactional layer each), finalize |
//!
//! Data flows: the node hands a block's extrinsic bytes to [`extrinsic::UncheckedExtrinsic::decode`],
//! checks them against the chain ([`extrinsic::check()`], which yields the signer, nonce and tip),
//! and dispatches the call on an [`storage::Overlay`] over the parent state, one transactional
//! layer per extrinsic.
//!
//! # Example
//!
//! A block with one signed transfer, from genesis to events:
//!
//! ```
//! use parity_scale_codec::{Compact, Encode};
//! use rustensor_primitives::crypto::sr25519::Pair;
//! use rustensor_runtime::executive::{Executive, RuntimeVersion};
//! use rustensor_runtime::extrinsic::{AdditionalSigned, SignedExtra, UncheckedExtrinsic};
//! use rustensor_runtime::pallets::{Runtime, balances, system};
//! use rustensor_runtime::storage::MemoryKv;
//!
//! let alice = Pair::from_uri("//Alice", None)?;
//! let bob = Pair::from_uri("//Bob", None)?.account_id();
//! let mut genesis = MemoryKv::new();
//! balances::build_genesis(&mut genesis, &[(alice.account_id(), 10_000_000_000)]).unwrap();
//!
//! let version = RuntimeVersion { spec_version: 425, transaction_version: 1 };
//! let genesis_hash = [0x47; 32];
//! let mut call = vec![balances::PALLET_INDEX, balances::CALL_TRANSFER_KEEP_ALIVE];
//! balances::MultiAddress::Id(bob).encode_to(&mut call);
//! Compact(1_000_000_000u64).encode_to(&mut call);
//! let additional = AdditionalSigned {
//!     spec_version: 425,
//!     transaction_version: 1,
//!     genesis_hash,
//!     birth_hash: genesis_hash, // immortal era
//!     metadata_hash: None,
//! };
//! let xt = UncheckedExtrinsic::sign_sr25519(&alice, call, SignedExtra::default(), &additional);
//!
//! let mut block = Executive::initialize_block(&genesis, Runtime, version, 1, genesis_hash);
//! let applied = block.apply_extrinsic(&xt.encode()).expect("valid extrinsic");
//! assert_eq!(applied.result, Ok(()));
//! let state = block.finalize_block();
//! assert_eq!(balances::free_balance(&state, &bob), 1_000_000_000);
//! assert_eq!(system::account_nonce(&state, &alice.account_id()), 1);
//! # Ok::<(), rustensor_primitives::Error>(())
//! ```
//!
//! # Feature flags
//!
//! - `test-utils`: the in-memory backend `storage::MemoryKv` and `test_utils` (dev keys, a
//!   funded dev genesis, signed extrinsics) for tests of dependent crates.

#![deny(clippy::float_arithmetic)]
#![warn(clippy::arithmetic_side_effects)]

pub mod dispatch;
pub mod executive;
pub mod extrinsic;
pub mod genesis;
pub mod pallets;
pub mod runtime_api;
pub mod storage;
#[cfg(any(test, feature = "test-utils"))]
pub mod test_utils;

pub use rustensor_runtime_types::{events, metadata, storage_prefix};
