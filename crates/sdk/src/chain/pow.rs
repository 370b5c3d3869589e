//! Proof-of-work registration: find a nonce whose seal meets a subnet's difficulty.
//!
//! The seal recipe and the difficulty test are the runtime's own
//! (`subtensor::pow::pow_seal`, `seal_meets_difficulty`), so a solution found here is exactly
//! what the chain checks. The search runs on every core (nonce `i` goes to thread
//! `i mod threads`), can be cancelled, and reports how many hashes it has tried so a caller
//! can show progress.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rustensor_primitives::AccountId32;
use rustensor_runtime_types::pallets::subtensor::pow::{pow_seal, seal_meets_difficulty};

/// A nonce and the seal it produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PowSolution {
    /// The nonce.
    pub nonce: u64,
    /// `pow_seal(block_hash, hotkey, nonce)`.
    pub seal: [u8; 32],
}

/// Shared progress of a running search: hashes tried, and a stop switch.
#[derive(Clone, Debug, Default)]
pub struct PowProgress {
    hashes: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl PowProgress {
    /// Hashes tried so far.
    pub fn hashes(&self) -> u64 {
        self.hashes.load(Ordering::Relaxed)
    }

    /// Asks the search to give up (it returns `None`).
    pub fn cancel(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Searches nonces from `start` for a seal of `hotkey` over `block_hash` that meets
/// `difficulty`, on `threads` threads (at least one). Blocks until found or cancelled.
pub fn solve(
    block_hash: &[u8; 32],
    hotkey: &AccountId32,
    difficulty: u64,
    start: u64,
    threads: usize,
    progress: &PowProgress,
) -> Option<PowSolution> {
    let threads = threads.max(1);
    let found: Arc<std::sync::Mutex<Option<PowSolution>>> = Arc::default();
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (found, progress) = (found.clone(), progress.clone());
            scope.spawn(move || {
                let step = threads as u64;
                let mut nonce = start.wrapping_add(t as u64);
                let mut tried = 0u64;
                while !progress.stop.load(Ordering::Relaxed) {
                    let seal = pow_seal(block_hash, hotkey, nonce);
                    tried += 1;
                    if seal_meets_difficulty(&seal, difficulty) {
                        if let Ok(mut slot) = found.lock() {
                            slot.get_or_insert(PowSolution { nonce, seal });
                        }
                        progress.stop.store(true, Ordering::Relaxed);
                    }
                    if tried.is_multiple_of(1024) {
                        progress.hashes.fetch_add(1024, Ordering::Relaxed);
                    }
                    nonce = nonce.wrapping_add(step);
                }
                progress.hashes.fetch_add(tried % 1024, Ordering::Relaxed);
            });
        }
    });
    found.lock().ok().and_then(|slot| *slot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_a_found_seal_meets_the_difficulty_and_matches_the_recipe() {
        let hotkey = AccountId32::new([7; 32]);
        let hash = [3; 32];
        let progress = PowProgress::default();
        let solution = solve(&hash, &hotkey, 5_000, 0, 2, &progress).expect("found");
        assert_eq!(solution.seal, pow_seal(&hash, &hotkey, solution.nonce));
        assert!(seal_meets_difficulty(&solution.seal, 5_000));
        assert!(progress.hashes() > 0);
    }

    #[test]
    fn test_a_cancelled_search_returns_nothing() {
        let progress = PowProgress::default();
        progress.cancel();
        assert_eq!(solve(&[0; 32], &AccountId32::new([1; 32]), u64::MAX, 0, 2, &progress), None);
    }
}
