//! The chain commands: balances and transfers, subnets, registration, staking, weights and the
//! metagraph, over the SDK's [`ChainClient`](rustensor_sdk::chain::ChainClient).
//!
//! Every command takes `--network` (`local` = ws://127.0.0.1:9944, or a `ws://` / `http://`
//! URL; also `$RUSTENSOR_NETWORK`), prints human tables by default and exactly one JSON
//! document with `--json`. Commands that move funds ask for confirmation unless `--yes` is
//! given, and refuse to guess when no terminal can answer. A failed transaction prints the
//! chain's module error with its docs and exits non-zero.
//!
//! Keys come from a bittensor wallet (`--wallet`, `--hotkey`, `--wallet-path`; the coldkey
//! password from `$RUSTENSOR_WALLET_PASSWORD` or a prompt), or, for development chains, from a
//! secret URI with `--uri //Alice`.
//!
//! One module per command group; the arguments every command shares ([`NetworkArgs`],
//! [`KeyArgs`]) are in `args`, submitting and printing receipts in `output`:
//!
//! * [`balance`](mod@balance) for `wallet balance | transfer | overview`;
//! * [`subnet`](mod@subnet) for `subnet list | show | create | start | burn-cost | lock-cost |
//!   hyperparameters | set`;
//! * [`register`](mod@register) for `register` (burn or proof of work);
//! * [`stake`](mod@stake) for `stake add | remove | move | transfer | list`;
//! * [`weights`](mod@weights) for `weights set | commit | reveal`;
//! * [`axon`](mod@axon) for `axon set`;
//! * [`delegate`](mod@delegate) for `delegate take`;
//! * [`root`](mod@root) for `root register`;
//! * [`sudo`](mod@sudo) for `sudo set | validators`;
//! * [`metagraph`](mod@metagraph) for `metagraph`.

mod args;
mod output;

pub mod axon;
pub mod balance;
pub mod delegate;
pub mod metagraph;
pub mod register;
pub mod root;
pub mod stake;
pub mod subnet;
pub mod sudo;
pub mod weights;

pub(crate) use args::client_for;
pub use args::{KeyArgs, NetworkArgs};

pub use axon::{AxonSetArgs, axon_set};
pub use balance::{BalanceArgs, OverviewArgs, TransferArgs, balance, overview, transfer};
pub use delegate::{DelegateArgs, delegate};
pub use metagraph::{MetagraphArgs, metagraph};
pub use register::{RegisterArgs, register};
pub use root::{RootArgs, root};
pub use stake::{StakeArgs, stake};
pub use subnet::{SubnetArgs, subnet};
pub use sudo::{SudoArgs, sudo_cmd};
pub use weights::{WeightsArgs, weights};
