//! The Yuma Consensus epoch as a pure function, bit-exact with subtensor's on-chain epoch.
//!
//! Every tempo the chain turns the weights validators have set on a subnet into emission:
//! incentive for the miners the stake-weighted majority agrees on, dividends for the
//! validators who bonded to them early. This crate computes one such epoch:
//!
//! ```text
//! EpochInputs ──epoch()──▶ EpochOutputs
//!  stake, permits,          active, permits, consensus, incentive,
//!  weights, bonds,          dividends, validator trust, bonds,
//!  blocks, hyperparams      server / validator / combined emission (rao)
//! ```
//!
//! [`epoch`] follows subtensor's sparse `epoch_mechanism` at commit 14bc6f9 step by step
//! (`reference/yuma.md` §4): activity, stake normalisation, validator permits, weight masks,
//! the κ-weighted median, clipping, incentive, bonds in both modes (legacy "Yuma 2" and Yuma 3
//! with optional liquid alpha), dividends and the emission split. All arithmetic is fixed point
//! ([`rustensor_fixed`]) with the chain's rounding, so outputs are equal, not merely close.
//!
//! The crate knows nothing of the chain: the runtime gathers the inputs from storage and
//! writes the outputs back.
//!
//! # Example
//!
//! ```
//! use rustensor_yuma::{EpochInputs, Hyperparameters, epoch};
//!
//! // Two validators with 3:1 stake disagree on two miners; the majority's view wins.
//! let inputs = EpochInputs {
//!     current_block: 1000,
//!     tempo: 360,
//!     activity_cutoff: 5000,
//!     stake: vec![3_000_000_000, 1_000_000_000, 0, 0],
//!     validator_permit: vec![true, true, false, false],
//!     max_allowed_validators: 64,
//!     last_update: vec![999, 999, 0, 0],
//!     block_at_registration: vec![0; 4],
//!     weights: vec![vec![(2, 65535)], vec![(3, 65535)], vec![], vec![]],
//!     bonds: vec![vec![]; 4],
//!     hyperparameters: Hyperparameters::default(),
//!     rao_emission: 1_000_000_000,
//!     ..Default::default()
//! };
//! let out = epoch(&inputs)?;
//! assert_eq!(out.incentive[2], 65535);
//! assert_eq!(out.incentive[3], 0);
//! assert_eq!(out.validator_trust, vec![65535, 0, 0, 0]);
//! # Ok::<(), rustensor_yuma::InputError>(())
//! ```
//!
//! # Feature flags
//!
//! * `vectors`: parse, run and compare the JSON conformance vectors of `reference/yuma.md` §9
//!   ([`vector`]).

// No floats in consensus code. (Integer arithmetic here is uid indexing and exact sums carried
// in i128; every fixed-point operation is an explicit saturating/checked method.)
#![deny(clippy::float_arithmetic)]

mod bonds;
mod epoch;
mod inputs;
mod median;
mod outputs;
pub mod random;
mod sparse;
#[cfg(feature = "vectors")]
pub mod vector;

pub use epoch::epoch;
pub use inputs::{EpochInputs, Hyperparameters, InputError, SparseRowU16};
pub use outputs::{EpochOutputs, FixedOutputs};
pub use rustensor_fixed as fixed;
