//! Bonds and dividends in both modes (`reference/yuma.md` §4.9–§4.11).
//!
//! * **Legacy ("Yuma 2")**, `Yuma3On = false`: stored bonds are column max-upscaled u16 values,
//!   re-normalised per column on read; the EMA mixes them with the column-normalised,
//!   stake-weighted bond weights at a fixed α; dividends are `Σ_j I_j · B_ij`.
//! * **Yuma 3**, `Yuma3On = true`: stored bonds are absolute levels `b/65535` per
//!   validator–miner pair; the EMA uses a fixed α, or with liquid alpha a per-entry sigmoid α;
//!   dividends are `A_i · Σ_j B̂_ij · I_j`.
//!
//! Liquid alpha is evaluated only for the entries present in the bond-weight rows: those are
//! the only entries the EMA keeps, so the result equals subtensor's dense α matrix while saving
//! its n² Taylor expansions.

use crate::sparse::{
    Row, Scratch, WalkLookup, col_max_upscale, col_normalize, col_sums, ema_union, merge_ema,
    normalize, strictly_ascending,
};
use rustensor_fixed::wide::Divisor;
use rustensor_fixed::{I32F32, I64F64};

/// Inputs of the bond step shared by both modes.
pub(crate) struct BondStep<'a> {
    pub(crate) n: usize,
    /// Stored bond rows as the inputs hold them; columns `≥ n` are ignored by every reader.
    pub(crate) stored: &'a [Vec<(u16, u16)>],
    /// `Wb`, the bond weights (§4.8).
    pub(crate) bond_weights: &'a [Row],
    pub(crate) active_stake: &'a [I32F32],
    pub(crate) incentive: &'a [I32F32],
    pub(crate) consensus: &'a [I32F32],
    pub(crate) block_at_registration: &'a [u64],
    /// First block of the current tempo; bonds on miners registered since are dropped (§4.9).
    pub(crate) last_tempo: u64,
    pub(crate) bonds_moving_average: u64,
    pub(crate) liquid: Option<LiquidAlpha>,
}

/// Liquid-alpha parameters, already converted to fixed point.
#[derive(Clone, Copy)]
pub(crate) struct LiquidAlpha {
    pub(crate) low: I32F32,
    pub(crate) high: I32F32,
    pub(crate) steepness: I32F32,
}

/// What the bond step produces.
pub(crate) struct BondResult {
    /// Normalised dividends.
    pub(crate) dividends: Vec<I32F32>,
    /// Bond rows to store (before the permit mask and the u16 conversion).
    pub(crate) to_store: Vec<Row>,
    /// Whether liquid alpha drove the EMA.
    pub(crate) liquid_used: bool,
}

/// `α = 1 − floor32(bma / 10⁶)`: the I64F64 quotient narrowed to I32F32 (§4.10 step 3).
pub(crate) fn bma_alpha(bonds_moving_average: u64) -> I32F32 {
    let ma = I64F64::saturating_from_u64(bonds_moving_average)
        .safe_div(I64F64::saturating_from_u64(1_000_000));
    I32F32::ONE.saturating_sub(ma.to_i32f32())
}

/// Loads stored bonds with `value(b)` and drops those on recently registered miners.
fn load_masked(step: &BondStep<'_>, value: impl Fn(u16) -> I32F32) -> Vec<Row> {
    step.stored
        .iter()
        .map(|row| {
            row.iter()
                .filter(|&&(j, _)| {
                    usize::from(j) < step.n
                        && step.last_tempo > step.block_at_registration[usize::from(j)]
                })
                .map(|&(j, b)| (j, value(b)))
                .collect()
        })
        .collect()
}

/// Legacy (Yuma 2) bonds and dividends, §4.10.
pub(crate) fn legacy(step: &BondStep<'_>) -> BondResult {
    let n = step.n;
    let sorted = step.bond_weights.iter().all(|r| strictly_ascending(r))
        && step.stored.iter().all(|r| r.windows(2).all(|w| w[0].0 < w[1].0));
    let mut ema = if sorted { legacy_ema_merged(step) } else { legacy_ema_general(step) };
    col_normalize(&mut ema, n);
    let mut dividends: Vec<I32F32> = ema
        .iter()
        .map(|row| {
            let s: i128 = row
                .iter()
                .map(|&(j, b)| {
                    i128::from(step.incentive[usize::from(j)].saturating_mul(b).to_bits())
                })
                .sum();
            saturate(s)
        })
        .collect();
    normalize(&mut dividends);
    col_max_upscale(&mut ema, n);
    BondResult { dividends, to_store: ema, liquid_used: false }
}

/// §4.10 steps 1–3 for sorted rows without duplicates, in one merge per row: the old bonds
/// (masked, column-normalised) and the bond deltas `Wb_ij·A_i` (column-normalised) are divided
/// by their precomputed column sums as they are read, so neither matrix is materialised. The
/// divisions, and so the bits, are those of [`legacy_ema_general`].
fn legacy_ema_merged(step: &BondStep<'_>) -> Vec<Row> {
    let n = step.n;
    let keep =
        |j: u16| usize::from(j) < n && step.last_tempo > step.block_at_registration[usize::from(j)];
    let mut old_sums = vec![0i128; n];
    for row in step.stored {
        for &(j, b) in row.iter().filter(|e| keep(e.0)) {
            old_sums[usize::from(j)] += i128::from(I32F32::from_u16(b).to_bits());
        }
    }
    let mut delta_sums = vec![0i128; n];
    for (row, &a) in step.bond_weights.iter().zip(step.active_stake) {
        for &(j, w) in row {
            delta_sums[usize::from(j)] += i128::from(w.saturating_mul(a).to_bits());
        }
    }
    let old_div: Vec<Divisor> = old_sums.into_iter().map(Divisor::new).collect();
    let delta_div: Vec<Divisor> = delta_sums.into_iter().map(Divisor::new).collect();
    let normalized = |v: I32F32, d: &Divisor| if d.get() != 0 { v.safe_div_by(d) } else { v };
    let alpha = bma_alpha(step.bonds_moving_average);
    step.bond_weights
        .iter()
        .zip(step.active_stake)
        .zip(step.stored)
        .map(|((wrow, &a), brow)| {
            let delta = wrow
                .iter()
                .map(|&(j, w)| (j, normalized(w.saturating_mul(a), &delta_div[usize::from(j)])));
            let bond = brow
                .iter()
                .filter(|e| keep(e.0))
                .map(|&(j, b)| (j, normalized(I32F32::from_u16(b), &old_div[usize::from(j)])));
            merge_ema(delta, bond, alpha)
        })
        .collect()
}

/// §4.10 steps 1–3 for any rows (unsorted or with duplicate columns), materialising each
/// intermediate matrix as the chain does.
fn legacy_ema_general(step: &BondStep<'_>) -> Vec<Row> {
    let n = step.n;
    let mut old = load_masked(step, I32F32::from_u16);
    col_normalize(&mut old, n);
    let mut delta: Vec<Row> = step
        .bond_weights
        .iter()
        .zip(step.active_stake)
        .map(|(row, &s)| row.iter().map(|&(j, w)| (j, w.saturating_mul(s))).collect())
        .collect();
    col_normalize(&mut delta, n);
    ema_union(&delta, &old, n, bma_alpha(step.bonds_moving_average))
}

/// Yuma 3 bonds and dividends, §4.11.
pub(crate) fn yuma3(step: &BondStep<'_>) -> BondResult {
    let n = step.n;
    let old = load_masked(step, I32F32::from_proportion_u16);
    let liquid = step.liquid.filter(|_| step.consensus.iter().any(|c| !c.is_zero()));
    let ema = match liquid {
        Some(la) => ema_liquid(step.bond_weights, &old, step.consensus, n, la),
        None => ema_union(step.bond_weights, &old, n, bma_alpha(step.bonds_moving_average)),
    };
    // B̂ = column-normalised B' (§4.11 step 3), computed entry by entry instead of as a copy:
    // the same divisions col_normalize would do.
    let sums: Vec<Divisor> = col_sums(&ema, n).into_iter().map(Divisor::new).collect();
    let mut dividends: Vec<I32F32> = ema
        .iter()
        .zip(step.active_stake)
        .map(|(row, &stake)| {
            let per_validator: i128 = row
                .iter()
                .map(|&(j, b)| {
                    let sj = &sums[usize::from(j)];
                    let b_hat = if sj.get() != 0 { b.safe_div_by(sj) } else { b };
                    i128::from(b_hat.saturating_mul(step.incentive[usize::from(j)]).to_bits())
                })
                .sum();
            checked_mul_wide(per_validator, stake).unwrap_or(I32F32::ZERO)
        })
        .collect();
    normalize(&mut dividends);
    BondResult { dividends, to_store: ema, liquid_used: liquid.is_some() }
}

/// The liquid-alpha EMA: for each entry `(j, w)` of a validator's `Wb` row,
/// `min(1, (1 − α_ij)·B_ij + max(0, α_ij·w))`, keeping values `> 0`. Bonds on columns absent
/// from the `Wb` row are dropped.
fn ema_liquid(
    bond_weights: &[Row],
    old: &[Row],
    consensus: &[I32F32],
    n: usize,
    la: LiquidAlpha,
) -> Vec<Row> {
    // The sigmoid's slope, `steepness / −100`, truncating.
    let slope = la.steepness.saturating_div(I32F32::from_num(-100));
    // σ at d = 0 (a weight at or below consensus) is the same for every entry: compute once.
    let sigma_at_zero = sigma(slope, I32F32::ZERO);
    let mut old_dense = Scratch::new(n);
    let (mut bonds_at, mut exponents, mut exps) = (Vec::new(), Vec::new(), Vec::new());
    bond_weights
        .iter()
        .zip(old)
        .map(|(wrow, brow)| {
            let mut out = Vec::with_capacity(wrow.len());
            let mut push = |j: u16, w: I32F32, alpha: I32F32, bond: Option<I32F32>| {
                let decayed = bond
                    .map_or(I32F32::ZERO, |b| I32F32::ONE.saturating_sub(alpha).saturating_mul(b));
                let increment = alpha.saturating_mul(w).max(I32F32::ZERO);
                let v = decayed.saturating_add(increment).min(I32F32::ONE);
                if v > I32F32::ZERO {
                    out.push((j, v));
                }
            };
            let alpha = |j: u16, w: I32F32, b: I32F32| {
                alpha_sigmoid(consensus[usize::from(j)], w, b, la, slope, sigma_at_zero)
            };
            if strictly_ascending(wrow) && strictly_ascending(brow) {
                // Sorted rows without duplicates (what set_weights and the epoch store): the
                // merge-walk sees every entry, so one pointer into the bond row suffices. The
                // sigmoid's exponentials are computed for the whole row at once
                // (`exp_safe_batch`, bit-identical to one at a time).
                // σ at d = 0 is the precomputed constant; only other entries need an exp.
                bonds_at.clear();
                exponents.clear();
                let mut p = 0;
                for &(j, w) in wrow {
                    while p < brow.len() && brow[p].0 < j {
                        p += 1;
                    }
                    let bond = brow.get(p).filter(|e| e.0 == j).map(|e| e.1);
                    let d = distance(consensus[usize::from(j)], w, bond.unwrap_or(I32F32::ZERO));
                    bonds_at.push((bond, !d.is_zero()));
                    if !d.is_zero() {
                        exponents.push(slope.saturating_mul(d.saturating_sub(I32F32::HALF)));
                    }
                }
                exps.resize(exponents.len(), I32F32::ZERO);
                I32F32::exp_safe_batch(&exponents, &mut exps);
                let mut next_exp = exps.iter();
                for (&(j, w), &(bond, has_exp)) in wrow.iter().zip(bonds_at.iter()) {
                    // One exp was computed for each entry with has_exp, in order.
                    let s = if has_exp {
                        next_exp.next().map_or(sigma_at_zero, |&e| sigma_from_exp(e))
                    } else {
                        sigma_at_zero
                    };
                    push(j, w, alpha_from_sigma(s, la), bond);
                }
            } else {
                // Unsorted rows: α is looked up through the chain's merge-walk of both rows
                // (entries hidden behind a larger column read as zero), and the decayed bond at
                // j uses the last stored entry for j.
                let w_walk = WalkLookup::new(wrow);
                let b_walk = WalkLookup::new(brow);
                old_dense.clear();
                for &(j, b) in brow {
                    old_dense.set(j, b);
                }
                for &(j, w) in wrow {
                    let a = alpha(j, w_walk.get(j), b_walk.get(j));
                    let bond = old_dense.contains(j).then(|| old_dense.get(j));
                    push(j, w, a, bond);
                }
            }
            out
        })
        .collect()
}

/// Per-entry α = `clamp(low + σ·(high − low), low, high)` with
/// `σ = 1 / (1 + exp(slope · (d − ½)))`, where `d` is how far the validator's bond weight is
/// above consensus when buying (`w ≥ b`) or how far it drops below its bond when selling.
fn alpha_sigmoid(
    c: I32F32,
    w: I32F32,
    b: I32F32,
    la: LiquidAlpha,
    slope: I32F32,
    sigma_at_zero: I32F32,
) -> I32F32 {
    let d = distance(c, w, b);
    let s = if d.is_zero() { sigma_at_zero } else { sigma(slope, d) };
    alpha_from_sigma(s, la)
}

/// How far the validator moves: above consensus when buying (`w ≥ b`), below its bond when
/// selling, clamped to [0, 1].
fn distance(c: I32F32, w: I32F32, b: I32F32) -> I32F32 {
    let clamp01 = |x: I32F32| x.max(I32F32::ZERO).min(I32F32::ONE);
    if w >= b { clamp01(w.saturating_sub(c)) } else { clamp01(b.saturating_sub(w)) }
}

/// `clamp(low + σ·(high − low), low, high)`.
fn alpha_from_sigma(s: I32F32, la: LiquidAlpha) -> I32F32 {
    let a = la.low.saturating_add(s.saturating_mul(la.high.saturating_sub(la.low)));
    a.min(la.high).max(la.low)
}

/// `σ(d) = 1 / (1 + exp(slope · (d − ½)))`.
fn sigma(slope: I32F32, d: I32F32) -> I32F32 {
    sigma_from_exp(slope.saturating_mul(d.saturating_sub(I32F32::HALF)).exp_safe())
}

/// `1 / (1 + e)` for `e = exp(…) ≥ 0`: the denominator is ≥ 1 and the quotient is in (0, 1],
/// so an unsigned division gives the same truncated bits as `saturating_div`.
fn sigma_from_exp(e: I32F32) -> I32F32 {
    let den = I32F32::ONE.saturating_add(e).to_bits() as u128;
    I32F32::from_bits(((1u128 << 64) / den) as i64)
}

/// `checked_mul` of an exact sum (which may exceed the container) by a fixed-point value.
fn checked_mul_wide(a_bits: i128, b: I32F32) -> Option<I32F32> {
    let p = rustensor_fixed::wide::mul_shift(a_bits, i128::from(b.to_bits()), 32)?;
    i64::try_from(p).ok().map(I32F32::from_bits)
}

/// An exact sum of bits as an `I32F32`, clamped to its range.
fn saturate(bits: i128) -> I32F32 {
    I32F32::from_bits(bits.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_bma_alpha_default_is_about_one_tenth() {
        let a = bma_alpha(900_000);
        // 1 - floor32(0.9) is a hair above 0.1
        assert!(a > I32F32::ONE.safe_div(I32F32::from_num(10)));
        assert!(a < I32F32::ONE.safe_div(I32F32::from_num(9)));
        assert_eq!(bma_alpha(1_000_000), I32F32::ZERO);
        assert_eq!(bma_alpha(0), I32F32::ONE);
    }

    #[test]
    fn test_alpha_sigmoid_stays_within_bounds() {
        let la = LiquidAlpha {
            low: I32F32::from_proportion_u16(45875),
            high: I32F32::from_proportion_u16(58982),
            steepness: I32F32::from_num(1000),
        };
        let slope = la.steepness.saturating_div(I32F32::from_num(-100));
        for (c, w, b) in [(0, 65535, 0), (65535, 0, 65535), (30000, 30000, 30000), (0, 0, 0)] {
            let a = alpha_sigmoid(
                I32F32::from_proportion_u16(c),
                I32F32::from_proportion_u16(w),
                I32F32::from_proportion_u16(b),
                la,
                slope,
                sigma(slope, I32F32::ZERO),
            );
            assert!(a >= la.low && a <= la.high, "alpha {a} out of bounds");
        }
    }
}
