//! Accounts, keys, balances, hashing and fixed-point numbers shared by every rustensor crate.
//!
//! Everything here is shaped like its Substrate/subtensor counterpart on the wire (SCALE bytes,
//! SS58 text, signatures), without depending on `sp-core`:
//!
//! | module | holds | matches |
//! | --- | --- | --- |
//! | [`account`] | [`AccountId32`] | sp-core `AccountId32` (32 raw bytes, SS58 text) |
//! | [`ss58`] | SS58 encode/decode, [`Ss58Prefix`] | sp-core `Ss58Codec` |
//! | [`crypto::sr25519`], [`crypto::ed25519`] | `Public`, `Signature`, `Pair` | sp-core `sr25519`, `ed25519` |
//! | [`derive`](mod@derive) | [`SecretUri`], [`DeriveJunction`] | sp-core secret URIs (`//Alice`) |
//! | [`mnemonic`] | BIP39 phrases, Substrate's entropy-based seed | `substrate-bip39` |
//! | [`hashing`] | blake2 and xxhash hashers | `sp-crypto-hashing`, FRAME storage hashers |
//! | [`balance`] | [`Balance`] (RAO) | subtensor `u64` balances, bittensor's `Balance` text |
//! | [`ids`] | [`NetUid`], [`Uid`] | subtensor `NetUid`, `u16` uids |
//! | [`fixed`] | `I32F32`, `I64F64`, `I96F32` | `substrate-fixed` 0.6.0 |
//!
//! Keys flow one way: a phrase or secret URI gives a 32-byte seed ([`mnemonic`], [`derive`](mod@derive)), the
//! seed gives a key `Pair`, the pair's public key is an [`AccountId32`], and the account is shown
//! as SS58 and stored under `blake2_128_concat` keys ([`hashing`]).
//!
//! # Example
//!
//! ```
//! use rustensor_primitives::{AccountId32, Balance, crypto::sr25519};
//!
//! let alice = sr25519::Pair::from_uri("//Alice", None)?;
//! assert_eq!(alice.account_id().to_string(), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
//!
//! let signature = alice.sign(b"hello");
//! assert!(alice.public().verify(b"hello", &signature));
//!
//! let bob: AccountId32 = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty".parse()?;
//! assert_eq!(bob.to_hex(), "0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48");
//!
//! let amount: Balance = "1.5".parse()?;
//! assert_eq!(amount.rao(), 1_500_000_000);
//! assert_eq!(amount.to_string(), "τ1.500000000");
//! # Ok::<(), rustensor_primitives::Error>(())
//! ```
//!
//! # Feature flags
//!
//! None. `serde` support (SS58 strings for accounts, numbers for balances and ids) is always on.

pub use rustensor_fixed as fixed;

pub mod account;
pub mod balance;
pub mod crypto;
pub mod derive;
mod error;
pub mod hashing;
pub mod ids;
pub mod mnemonic;
pub mod ss58;
#[cfg(feature = "scale-info")]
mod type_info;

#[cfg(test)]
mod test_vectors;

pub use account::AccountId32;
pub use balance::Balance;
pub use derive::{DeriveJunction, SecretUri};
pub use error::{Error, Result};
pub use ids::{NetUid, Uid};
pub use ss58::Ss58Prefix;
