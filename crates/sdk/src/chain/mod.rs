//! The chain client: read state, call runtime APIs and submit signed extrinsics over
//! JSON-RPC, against rustensor or any node that speaks subtensor's RPC.
//!
//! * [`ChainClient`] connects over WebSocket (`ws://`) or HTTP (`http://`), with timeouts
//!   and reconnection ([`ConnectOptions`]).
//! * Typed reads use the runtime's own storage items ([`ChainClient::read`]) and runtime API
//!   structs, so keys, defaults and layouts cannot drift from the chain's.
//! * Calls are the runtime's [`RuntimeCall`](rustensor_runtime_types::pallets::RuntimeCall):
//!   every call the state machine offers can be built, signed and submitted
//!   ([`ChainClient::submit`]), with nonces managed across submissions.
//! * Outcomes come back with decoded events ([`RuntimeEvent`]) and module errors named
//!   through the node's metadata ([`DispatchFailure`]).
//! * [`Alpha`] amounts beside [`Balance`](rustensor_primitives::Balance) for TAO, both
//!   formatted exactly.
//! * [`Metagraph`] regroups a subnet's metagraph per neuron.
//! * [`solve_pow`] finds proof-of-work registration seals on every core, and
//!   [`register_pow`] registers with them, solving again when a seal arrives too late.
//! * Helpers for building calls and showing what they will do: [`hyperparameter_call`]
//!   (one table of settable subnet hyperparameters), [`scale_weights`],
//!   [`serve_axon_call`], and the stake swap preview ([`stake_preview()`],
//!   [`unstake_preview`]).
//!
//! # Example
//!
//! ```no_run
//! use rustensor_primitives::crypto::sr25519::Pair;
//! use rustensor_runtime_types::pallets::{RuntimeCall, balances};
//! use rustensor_sdk::chain::{ChainClient, TxOptions};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = ChainClient::connect("ws://127.0.0.1:9944").await?;
//! let alice = Pair::from_uri("//Alice", None)?;
//! let bob = Pair::from_uri("//Bob", None)?.account_id();
//! let call = RuntimeCall::Balances(balances::Call::TransferKeepAlive {
//!     dest: balances::MultiAddress::Id(bob),
//!     value: 1_000_000_000,
//! });
//! let receipt = client.submit(&alice, call, TxOptions::default()).await?;
//! println!("finalized in block {:?}, fee {} RAO", receipt.block, receipt.fee);
//! println!("Bob has {}", client.free_balance(&bob, None).await?);
//! # Ok(())
//! # }
//! ```

mod amount;
mod client;
mod error;
mod events;
mod hyperparams;
mod metagraph;
mod pow;
mod pow_register;
mod rpc;
mod serve;
mod stake_preview;
mod tx;
mod weights;

pub use amount::Alpha;
pub use client::{BlockHash, BlockRef, ChainClient, LOCAL_URL, RuntimeVersion, network_url};
pub use error::{ChainError, Result};
pub use events::{
    DispatchFailure, ErrorInfo, ErrorTable, EventRecord, ExtrinsicResult, RuntimeEvent,
    decode_events,
};
pub use hyperparams::{
    HYPERPARAMETERS, HyperparamError, Hyperparameter, ValueKind, hyperparameter,
    hyperparameter_call, parse_flag,
};
pub use metagraph::{Metagraph, Neuron, axon_addr, fraction};
pub use pow::{PowProgress, PowSolution, solve as solve_pow};
pub use pow_register::{POW_ATTEMPTS, PowEvent, PowRegisterError, PowRegistration, register_pow};
pub use rpc::ConnectOptions;
pub use serve::{ServeAxonError, serve_axon_call};
pub use stake_preview::{price_text, slippage_text, stake_preview, swap_preview, unstake_preview};
pub use tx::{TxOptions, TxReceipt, WaitFor};
pub use weights::{WeightsError, scale_weights};
