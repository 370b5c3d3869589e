//! Signature schemes: sr25519 (the default for Bittensor keys) and ed25519.
//!
//! Each scheme has a `Public` key, a `Signature` and a key `Pair` built from a seed, a BIP39
//! phrase or a secret URI. Verification returns `bool` and never panics on malformed bytes.

pub mod ed25519;
pub mod sr25519;
mod strobe;
