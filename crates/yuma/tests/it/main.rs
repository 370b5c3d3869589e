//! Yuma Consensus integration tests, one binary with a module per area (STYLE.md §4): the
//! conformance vectors bit for bit, differential fuzzing against the reference oracle, and
//! invariants on any input.
//!
//! Tests whose name ends in `_slow_` are the slow tier (the differential sweep through the Python
//! oracle): `cargo test -- --skip slow_`, as `scripts/test --quick` runs, leaves them out.

mod differential;
mod invariants;
mod vectors;
