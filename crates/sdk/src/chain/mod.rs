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
//! * [`solve_pow`] finds proof-of-work registration seals on every core.
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
mod metagraph;
mod pow;
mod rpc;
mod tx;

pub use amount::Alpha;
pub use client::{BlockHash, BlockRef, ChainClient, LOCAL_URL, RuntimeVersion, network_url};
pub use error::{ChainError, Result};
pub use events::{
    DispatchFailure, ErrorInfo, ErrorTable, EventRecord, ExtrinsicResult, RuntimeEvent,
    decode_events,
};
pub use metagraph::{Metagraph, Neuron, axon_addr, fraction};
pub use pow::{PowProgress, PowSolution, solve as solve_pow};
pub use rpc::ConnectOptions;
pub use tx::{TxOptions, TxReceipt, WaitFor};
