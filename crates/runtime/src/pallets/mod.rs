//! The pallets: plain Rust modules over the storage layer, one per subtensor pallet.
//!
//! Each module names the subtensor (or FRAME) pallet it mirrors and the storage items it owns,
//! and ends with its deviations. Pallet indices are subtensor's (`reference/subtensor.md` §0.1).
//!
//! | module | pallet (index) |
//! | --- | --- |
//! | [`system`] | `System` (0): accounts, nonces, block number and hashes |

pub mod system;
