//! Proof-of-work registration end to end: solve on a recent finalized block, submit, and
//! solve again when the work's block ages out before inclusion (the chain accepts work on
//! one of its last 3 blocks only).

use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_primitives::{AccountId32, NetUid};
use rustensor_runtime_types::pallets::subtensor::storage as st;
use rustensor_runtime_types::pallets::{RuntimeCall, subtensor};

use super::client::ChainClient;
use super::error::ChainError;
use super::pow::{PowProgress, solve};
use super::tx::{TxOptions, TxReceipt};

/// How many times [`register_pow`] re-solves when its work block ages out.
pub const POW_ATTEMPTS: u32 = 10;

/// What [`register_pow`] is doing, for a progress display.
#[derive(Debug)]
pub enum PowEvent<'a> {
    /// A search starts (attempt `attempt`, from 1) at `difficulty`; `progress` counts its
    /// hashes until [`PowEvent::Solved`].
    Solving {
        /// Which try this is, from 1.
        attempt: u32,
        /// The subnet's difficulty at the work's block.
        difficulty: u64,
        /// The search's hash counter.
        progress: &'a PowProgress,
    },
    /// The search of attempt `attempt` ended (found, or cancelled); submission follows.
    Solved {
        /// Which try this is, from 1.
        attempt: u32,
    },
    /// The work's block was too old by the time the registration was included: solving
    /// again on a newer block.
    TooLate {
        /// The try that came too late, from 1.
        attempt: u32,
    },
}

/// A successful proof-of-work registration.
#[derive(Clone, Debug)]
pub struct PowRegistration {
    /// The registration's receipt.
    pub receipt: TxReceipt,
    /// The nonce of the seal the chain accepted.
    pub nonce: u64,
    /// The difficulty it met.
    pub difficulty: u64,
    /// Tries it took, from 1.
    pub attempts: u32,
}

/// Why a proof-of-work registration failed.
#[derive(Debug, thiserror::Error)]
pub enum PowRegisterError {
    /// The subnet has `NetworkPowRegistrationAllowed` off.
    #[error("subnet {netuid} does not allow proof-of-work registration")]
    NotAllowed {
        /// The subnet.
        netuid: NetUid,
    },
    /// The search was cancelled before it found a seal.
    #[error("proof of work cancelled")]
    Cancelled,
    /// Every one of `attempts` solutions arrived after its block had aged out.
    #[error(
        "proof of work kept arriving too late ({attempts} tries): the difficulty is high for this machine"
    )]
    TooLate {
        /// Tries made.
        attempts: u32,
    },
    /// Reading the chain or submitting failed.
    #[error(transparent)]
    Chain(#[from] ChainError),
}

/// Registers `hotkey` (signing with it) for `coldkey` on `netuid` by proof of work solved on
/// `threads` threads, re-solving up to [`POW_ATTEMPTS`] times when the work's block ages out.
/// `on_event` hears each search start and end, and each late try.
///
/// # Errors
///
/// [`PowRegisterError::NotAllowed`] if the subnet does not allow PoW registration,
/// [`PowRegisterError::TooLate`] after [`POW_ATTEMPTS`] late tries,
/// [`PowRegisterError::Chain`] for any other read or submission failure (a failed
/// registration is [`ChainError::Failed`]).
pub async fn register_pow(
    client: &ChainClient,
    hotkey: &Pair,
    coldkey: AccountId32,
    netuid: NetUid,
    threads: usize,
    mut on_event: impl FnMut(PowEvent<'_>),
) -> Result<PowRegistration, PowRegisterError> {
    if !client.read::<st::NetworkPowRegistrationAllowed>(&netuid, None).await? {
        return Err(PowRegisterError::NotAllowed { netuid });
    }
    let account = hotkey.account_id();
    let mut start_nonce = 0u64;
    for attempt in 1..=POW_ATTEMPTS {
        let block = client.finalized_block().await?;
        let difficulty = client.read::<st::Difficulty>(&netuid, Some(block.hash)).await?;
        let progress = PowProgress::default();
        on_event(PowEvent::Solving { attempt, difficulty, progress: &progress });
        let search = {
            let progress = progress.clone();
            tokio::task::spawn_blocking(move || {
                solve(&block.hash, &account, difficulty, start_nonce, threads, &progress)
            })
        };
        let solution = match search.await {
            Ok(solution) => solution,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => None,
        };
        on_event(PowEvent::Solved { attempt });
        let Some(solution) = solution else { return Err(PowRegisterError::Cancelled) };
        start_nonce = solution.nonce.wrapping_add(1);
        let call = RuntimeCall::Subtensor(subtensor::Call::Register {
            netuid,
            block_number: block.number,
            nonce: solution.nonce,
            work: solution.seal.to_vec(),
            hotkey: account,
            coldkey,
        });
        match client.submit(hotkey, call, TxOptions::default()).await {
            Ok(receipt) => {
                return Ok(PowRegistration {
                    receipt,
                    nonce: solution.nonce,
                    difficulty,
                    attempts: attempt,
                });
            }
            // The work's block aged out before inclusion: solve again on a newer block.
            Err(ChainError::Failed { failure, .. }) if failure.name == "InvalidWorkBlock" => {
                on_event(PowEvent::TooLate { attempt });
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(PowRegisterError::TooLate { attempts: POW_ATTEMPTS })
}
