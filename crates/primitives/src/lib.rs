//! Accounts, keys, balances, hashing and fixed-point numbers shared by every rustensor crate.

pub use rustensor_fixed as fixed;
