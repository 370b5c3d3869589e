//! The stake-weighted κ-median of each column (`reference/yuma.md` §4.6).
//!
//! Consensus is not an interpolated median: it is the result of subtensor's deterministic
//! partition search with a middle pivot, which always returns one of the submitted scores. The
//! strict `<` and non-strict `≤` in the two recursion tests decide ties at the boundary (vectors
//! v13 and v14), so the search is reproduced step by step, including the order in which
//! entries are partitioned.

use crate::sparse::{Row, normalize, sum_bits};
use rustensor_fixed::I32F32;

/// Consensus `C[j]` for every column `j < n`, over the rows with positive active stake.
///
/// The positive stakes are re-normalised (truncating); `minority = Σstake − κ` (saturating).
/// Duplicate columns in a row: the last entry wins, as in the chain's dense column table.
pub(crate) fn consensus(
    active_stake: &[I32F32],
    weights: &[Row],
    n: usize,
    kappa: I32F32,
) -> Vec<I32F32> {
    let mut use_stake: Vec<I32F32> =
        active_stake.iter().copied().filter(|s| *s > I32F32::ZERO).collect();
    normalize(&mut use_stake);
    let total = sum_bits(use_stake.iter());
    // subtensor subtracts in I32F32 with saturation; the sum of a normalised vector fits.
    let total_fixed = I32F32::from_bits(i64::try_from(total).unwrap_or(i64::MAX));
    let minority = total_fixed.saturating_sub(kappa).to_bits();
    let m = use_stake.len();
    if m == 0 {
        return vec![I32F32::ZERO; n];
    }
    // The staked rows' entries transposed by column: `at[j]..at[j + 1]` index the entries of
    // column j in ascending row order `k`. Duplicate columns within a row keep their order, so
    // scattering them into a dense buffer lets the last one win, as the chain's table does.
    let mut at = vec![0u32; n + 1];
    for (s, row) in active_stake.iter().zip(weights) {
        if *s > I32F32::ZERO {
            for &(j, _) in row {
                if let Some(c) = at.get_mut(usize::from(j) + 1) {
                    *c += 1;
                }
            }
        }
    }
    for j in 0..n {
        at[j + 1] += at[j];
    }
    let nnz = at[n] as usize;
    let mut fill: Vec<u32> = at[..n].to_vec();
    let mut rows_of = vec![0u32; nnz];
    let mut scores = vec![0i64; nnz];
    let mut k = 0u32;
    for (s, row) in active_stake.iter().zip(weights) {
        if *s > I32F32::ZERO {
            for &(j, v) in row {
                let j = usize::from(j);
                if j < n {
                    let slot = fill[j] as usize;
                    rows_of[slot] = k;
                    scores[slot] = v.to_bits();
                    fill[j] += 1;
                }
            }
            k += 1;
        }
    }
    // Normalised stakes are at most 1.0 (2³² in bits) and there are at most 65536 of them, so
    // every partial sum below fits an i64 with room to spare.
    let stake: Vec<i64> = use_stake.iter().map(|s| s.to_bits()).collect();
    let total = i64::try_from(total).unwrap_or(i64::MAX);
    let mut search = Search::with_capacity(m);
    let mut column = vec![0i64; m];
    (0..n)
        .map(|j| {
            let (a, b) = (at[j] as usize, at[j + 1] as usize);
            if scores[a..b].iter().all(|&v| v == 0) {
                // Every score is 0: the search would pick the pivot 0 at once.
                return I32F32::ZERO;
            }
            column.iter_mut().for_each(|x| *x = 0);
            for (&k, &v) in rows_of[a..b].iter().zip(&scores[a..b]) {
                column[k as usize] = v;
            }
            I32F32::from_bits(search.run(&stake, &column, minority, total))
        })
        .collect()
}

/// Reusable buffers for the partition search.
struct Search {
    part: Vec<u32>,
    lower: Vec<u32>,
    upper: Vec<u32>,
}

impl Search {
    fn with_capacity(m: usize) -> Self {
        Self { part: Vec::with_capacity(m), lower: vec![0; m], upper: vec![0; m] }
    }

    /// subtensor's `weighted_median` over `score` with `stake`, starting from `[0, total)`.
    fn run(&mut self, stake: &[i64], score: &[i64], minority: i64, total: i64) -> i64 {
        let m = score.len();
        self.part.clear();
        // m ≤ n ≤ 65536, so every index fits in u32.
        self.part.extend((0..m).map(|i| i as u32));
        let (mut lo, mut hi) = (0i64, total);
        let mut iterations = 0usize;
        loop {
            match self.part.len() {
                0 => return 0,
                1 => return score[self.part[0] as usize],
                len => {
                    let pivot = score[self.part[len / 2] as usize];
                    // Branch-free stable partition: every index is written to both buffers,
                    // and each buffer's length only advances when the index belongs there.
                    let (mut nl, mut nu) = (0usize, 0usize);
                    let (mut lo_stake, mut hi_stake) = (0i64, 0i64);
                    for &i in &self.part {
                        let s = score[i as usize];
                        let st = stake[i as usize];
                        let (is_lo, is_hi) = (s < pivot, s > pivot);
                        self.lower[nl] = i;
                        self.upper[nu] = i;
                        nl += usize::from(is_lo);
                        nu += usize::from(is_hi);
                        lo_stake += if is_lo { st } else { 0 };
                        hi_stake += if is_hi { st } else { 0 };
                    }
                    if minority < lo + lo_stake && nl > 0 {
                        self.part.clear();
                        self.part.extend_from_slice(&self.lower[..nl]);
                        hi = lo + lo_stake;
                    } else if hi - hi_stake <= minority && nu > 0 {
                        self.part.clear();
                        self.part.extend_from_slice(&self.upper[..nu]);
                        lo = hi - hi_stake;
                    } else {
                        return pivot;
                    }
                }
            }
            iterations += 1;
            // Safety cap of the chain; each step strictly shrinks the partition, so it is
            // never reached.
            if iterations > m {
                return 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn median(stakes: &[i64], scores: &[i64], kappa: I32F32) -> i64 {
        let active: Vec<I32F32> = stakes.iter().map(|&s| I32F32::from_bits(s)).collect();
        let rows: Vec<Row> = scores.iter().map(|&v| vec![(0u16, I32F32::from_bits(v))]).collect();
        consensus(&active, &rows, 1, kappa)[0].to_bits()
    }

    #[test]
    fn test_median_of_two_equal_stakes_at_kappa_boundary_is_upper() {
        // v13: two 50/50 validators voting (1, 0) with kappa = 32767/65535 give 1.
        let kappa = I32F32::from_proportion_u16(32767);
        let one = I32F32::ONE.to_bits();
        assert_eq!(median(&[1 << 31, 1 << 31], &[one, 0], kappa), one);
    }

    #[test]
    fn test_median_with_majority_returns_majority_score() {
        let kappa = I32F32::from_proportion_u16(32767);
        assert_eq!(median(&[3, 1, 1], &[10, 20, 30], kappa), 10);
        assert_eq!(median(&[1, 1, 3], &[10, 20, 30], kappa), 30);
    }

    #[test]
    fn test_median_kappa_extremes() {
        // kappa 0: the largest value; kappa 1: the smallest (every stake must agree).
        assert_eq!(median(&[1, 1, 1], &[5, 9, 7], I32F32::ZERO), 9);
        assert_eq!(median(&[1, 1, 1], &[5, 9, 7], I32F32::ONE), 5);
    }

    #[test]
    fn test_median_without_stake_is_zero() {
        assert_eq!(median(&[0, 0], &[5, 9], I32F32::HALF), 0);
    }
}
