//! The `rustensor` command's integration tests, in one binary (one link of the world instead
//! of one per file): each module was a test file of its own.
//!
//! Tests that start several nodes, run the localnet or the model end to end, kill nodes
//! repeatedly or need Python have `slow_` in their path: `cargo test -p rustensor-cli --test it
//! -- --skip slow_` runs the rest.

mod common;

mod axon_cli;
mod chain_cli;
mod embedding_cli;
mod localnet;
mod node_e2e;
mod slow_node_crash;
mod slow_node_follow;
mod slow_node_multi;
mod slow_node_python;
mod slow_node_rotation;
mod store_error;
mod wallet_cli;
mod yuma_cli;
