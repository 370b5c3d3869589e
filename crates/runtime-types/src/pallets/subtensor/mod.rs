//! `SubtensorModule` (pallet index 7) on the wire: its calls, events, errors, storage items and
//! the structs its runtime APIs answer with (`reference/subtensor.md`). What the calls do is
//! `rustensor_runtime_types::pallets::subtensor`.
//!
//! | module | holds |
//! | --- | --- |
//! | [`storage`] | every storage item: name, hasher, key and value types, default |
//! | [`types`] | stored structs (`AxonInfo`, identities, …) |
//! | [`errors`] / [`events`] | `Error` and `Event` in subtensor's variant order |
//! | [`calls`] | the `Call` enum (call indices and argument encodings), declared weights and fee mode |
//! | [`rate_limit`] | `LastRateLimitedBlock` keys, hyperparameter and transaction-type ids |
//! | [`runtime_api`] | the runtime-API response structs (`Metagraph`, `NeuronInfo`, `DynamicInfo`, …) |
//! | [`pow`] | the legacy proof-of-work registration seal, for clients that solve it |
//! | [`weights`] | the commit hash of hash commit-reveal |

pub mod calls;
pub mod errors;
pub mod events;
pub mod pow;
pub mod rate_limit;
pub mod runtime_api;
pub mod storage;
pub mod types;
pub mod weights;

pub use calls::Call;
pub use errors::Error;
pub use events::Event;
pub use storage::TAO;

use rustensor_primitives::NetUid;

/// Subtensor's pallet index of `SubtensorModule`. Wire-visible.
pub const PALLET_INDEX: u8 = 7;

/// The root subnet.
pub const ROOT: NetUid = NetUid(0);

/// `DefaultMinStake`: the least TAO value of a stake operation (0.002 TAO).
pub const MIN_STAKE: u64 = 2_000_000;

/// The result type of the module's functions.
pub type Result<T, E = Error> = core::result::Result<T, E>;
