//! Emission, from the block reward to each neuron's share, in one place.
//!
//! | module | holds |
//! | --- | --- |
//! | [`coinbase`] | per-block emission: the block reward, its split across subnets by EMA price, injection into the pools, the pending accumulators, epoch scheduling, and at each subnet's epoch the owner cut and the payouts to miners, validators and nominators |
//! | [`epoch`] | the Yuma epoch of one subnet: gathers its inputs from storage, runs `rustensor-yuma`, and writes back incentive, dividends, bonds and consensus |
//!
//! A block's path: `coinbase::on_initialize` accrues emission every block; when a subnet's
//! epoch is due it calls `epoch::run` and splits the pending emission by the epoch's outputs.

pub mod coinbase;
pub mod epoch;
