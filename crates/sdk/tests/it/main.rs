//! The SDK's integration tests, one binary with a module per area (STYLE.md §4): the axon and
//! dendrite against each other and the recorded Python fixtures, and interop with the official
//! Python packages (wallets, axon and dendrite).
//!
//! Tests whose name ends in `_slow_` are the slow tier (the Python interop tests, which start
//! Python processes): `cargo test -- --skip slow_`, as `scripts/test --quick` runs, leaves them
//! out.

mod axon;
mod axon_interop;
mod interop;
