//! The node's integration tests, one binary with a module per area (STYLE.md §4): the block
//! flow on one validator, crash safety of the state store, four validators on the simulated
//! network, validator-set rotation and the deterministic fault simulation.
//!
//! Tests whose name ends in `_slow_` are the slow tier (the simulation sweeps and the rotation
//! runs, a minute or more each): `cargo test -- --skip slow_`, as `scripts/test --quick` runs,
//! leaves them out.

mod consensus;
mod crash;
mod multi;
mod rotation;
mod sim;
mod support;
