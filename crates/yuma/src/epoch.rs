//! The epoch, step by step, as subtensor's sparse `epoch_mechanism` runs it
//! (`reference/yuma.md` §4). Each step cites its section.

use crate::bonds::{self, BondStep, LiquidAlpha};
use crate::median;
use crate::sparse::{Row, interpolate, normalize, row_normalize, sum_bits};
use crate::{EpochInputs, EpochOutputs, FixedOutputs, InputError};
use rustensor_fixed::{I32F32, I64F64, I96F32};

/// Runs one Yuma Consensus epoch.
///
/// Deterministic and pure: the same inputs always give the same outputs, bit for bit equal to
/// subtensor's `epoch_mechanism` at commit 14bc6f9 (runtime spec 425). Arithmetic is fixed
/// point with substrate-fixed rounding; sums never wrap; nothing panics for well-formed inputs.
///
/// # Errors
///
/// [`InputError`] when the per-uid vectors do not all have `n` entries.
///
/// # Examples
///
/// ```
/// use rustensor_yuma::{EpochInputs, epoch};
///
/// // One validator (uid 0) weighting one miner (uid 1).
/// let inputs = EpochInputs {
///     current_block: 1000,
///     tempo: 360,
///     activity_cutoff: 5000,
///     stake: vec![1_000_000_000, 0],
///     validator_permit: vec![true, false],
///     max_allowed_validators: 64,
///     last_update: vec![999, 0],
///     block_at_registration: vec![0, 0],
///     weights: vec![vec![(1, 65535)], vec![]],
///     bonds: vec![vec![], vec![]],
///     rao_emission: 1_000_000_000,
///     ..Default::default()
/// };
/// let out = epoch(&inputs)?;
/// assert_eq!(out.incentive, vec![0, 65535]);
/// assert_eq!(out.dividends, vec![65535, 0]);
/// // The miner and the validator each get (just under) half of the emission.
/// assert!(out.server_emission[1] > 499_000_000 && out.validator_emission[0] > 499_000_000);
/// # Ok::<(), rustensor_yuma::InputError>(())
/// ```
pub fn epoch(inp: &EpochInputs) -> Result<EpochOutputs, InputError> {
    inp.validate()?;
    let n = inp.n();
    let hp = &inp.hyperparameters;
    let owner = inp.owner_uid.map(usize::from).filter(|&o| o < n);

    // §4.1 Activity.
    let active: Vec<bool> = inp
        .last_update
        .iter()
        .map(|&lu| lu.saturating_add(inp.activity_cutoff) >= inp.current_block)
        .collect();

    // §4.2 Stake: threshold (the owner is exempt), I64F64 normalisation, floor to I32F32.
    let stake = normalized_stake(inp, owner);

    // §4.3 Validator permits: this epoch uses the previous ones; new ones are top-k by stake.
    let mut permits = inp.validator_permit.clone();
    if let Some(o) = owner {
        permits[o] = true;
    }
    let mut new_permits = top_k_nonzero(&stake, usize::from(inp.max_allowed_validators));
    if let Some(o) = owner {
        new_permits[o] = true;
    }

    // §4.4 Active stake.
    let mut active_stake: Vec<I32F32> =
        (0..n).map(|i| if active[i] && permits[i] { stake[i] } else { I32F32::ZERO }).collect();
    normalize(&mut active_stake);

    // §4.5 Weights and their masks.
    let weights = masked_weights(inp, &permits, owner);

    // §4.6 Consensus.
    let kappa = I32F32::from_proportion_u16(hp.kappa);
    let consensus = median::consensus(&active_stake, &weights, n, kappa);

    // §4.7 Clipping, validator trust, rank, incentive.
    let clipped: Vec<Row> = weights
        .iter()
        .map(|row| {
            row.iter()
                .filter_map(|&(j, w)| {
                    let c = consensus[usize::from(j)];
                    if c < w { (c > I32F32::ZERO).then_some((j, c)) } else { Some((j, w)) }
                })
                .collect()
        })
        .collect();
    let validator_trust: Vec<I32F32> =
        clipped.iter().map(|row| saturate(sum_bits(row.iter().map(|(_, v)| v)))).collect();
    let mut ranks = vec![I32F32::ZERO; n];
    for (row, &s) in clipped.iter().zip(&active_stake) {
        for &(j, w) in row {
            let r = &mut ranks[usize::from(j)];
            *r = r.saturating_add(s.saturating_mul(w));
        }
    }
    let mut incentive = ranks.clone();
    normalize(&mut incentive);

    // §4.8 Bond weights with the bonds penalty.
    let penalty = I32F32::from_proportion_u16(hp.bonds_penalty);
    let bond_weights = interpolate(&weights, &clipped, n, penalty);

    // §4.9 First block of this tempo, for the recently-registered bond mask.
    let last_tempo = if inp.last_mechanism_step_block == 0 {
        inp.current_block.saturating_sub(u64::from(inp.tempo))
    } else {
        inp.last_mechanism_step_block.saturating_add(1)
    };
    let step = BondStep {
        n,
        stored: &inp.bonds,
        bond_weights: &bond_weights,
        active_stake: &active_stake,
        incentive: &incentive,
        consensus: &consensus,
        block_at_registration: &inp.block_at_registration,
        last_tempo,
        bonds_moving_average: hp.bonds_moving_average,
        liquid: hp.liquid_alpha_enabled.then(|| LiquidAlpha {
            low: I32F32::from_proportion_u16(hp.alpha_low),
            high: I32F32::from_proportion_u16(hp.alpha_high),
            steepness: I32F32::from_num(i64::from(hp.alpha_sigmoid_steepness)),
        }),
    };
    // §4.10 / §4.11 Bonds and dividends.
    let bond_result = if hp.yuma3_enabled { bonds::yuma3(&step) } else { bonds::legacy(&step) };
    let dividends = bond_result.dividends;

    // §4.12 Emission split.
    let combined: Vec<I32F32> =
        incentive.iter().zip(&dividends).map(|(i, d)| i.saturating_add(*d)).collect();
    let combined_sum = sum_bits(combined.iter());
    let (server_share, mut validator_share) = if combined_sum != 0 {
        (
            incentive.iter().map(|v| v.safe_div_by_bits(combined_sum)).collect(),
            dividends.iter().map(|v| v.safe_div_by_bits(combined_sum)).collect(),
        )
    } else {
        (incentive.clone(), dividends.clone())
    };
    let mut combined_share = combined;
    normalize(&mut combined_share);
    if combined_sum == 0 {
        // No usable weights: validators are paid by (active) stake.
        let fallback = if sum_bits(active_stake.iter()) == 0 { &stake } else { &active_stake };
        validator_share = fallback.clone();
        combined_share = fallback.clone();
    }
    let to_rao = |share: &I32F32| {
        I96F32::from_i32f32(*share)
            .saturating_mul(I96F32::from_u64(inp.rao_emission))
            .saturating_to_u64()
    };

    // §4.13 Bonds to store: only for uids holding a new permit.
    let bonds_out = bond_result
        .to_store
        .iter()
        .zip(&new_permits)
        .map(|(row, &permit)| {
            if permit {
                row.iter().map(|&(j, b)| (j, b.to_proportion_u16())).collect()
            } else {
                Vec::new()
            }
        })
        .collect();

    let u16s = |v: &[I32F32]| v.iter().map(|x| x.to_proportion_u16()).collect::<Vec<u16>>();
    Ok(EpochOutputs {
        active,
        new_validator_permit: new_permits,
        stake_weight: u16s(&stake),
        consensus: u16s(&consensus),
        incentive: u16s(&incentive),
        dividends: u16s(&dividends),
        validator_trust: u16s(&validator_trust),
        server_emission: server_share.iter().map(to_rao).collect(),
        validator_emission: validator_share.iter().map(to_rao).collect(),
        emission: combined_share.iter().map(to_rao).collect(),
        bonds: bonds_out,
        liquid_alpha_used: bond_result.liquid_used,
        fixed: FixedOutputs {
            stake,
            active_stake,
            consensus,
            ranks,
            incentive,
            dividends,
            validator_trust,
        },
    })
}

/// §4.2: raw stake as I64F64, zeroed below the threshold (except the owner), normalised with
/// truncating I64F64 division, then floored to I32F32.
fn normalized_stake(inp: &EpochInputs, owner: Option<usize>) -> Vec<I32F32> {
    let raw: Vec<I64F64> = inp
        .stake
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let frac = inp.stake_fraction.get(i).copied().unwrap_or(0);
            let v = match i64::try_from(s) {
                Ok(int) => I64F64::from_bits((i128::from(int) << 64) | i128::from(frac)),
                Err(_) => I64F64::MAX,
            };
            if Some(i) != owner && v.saturating_to_u64() < inp.stake_threshold {
                I64F64::ZERO
            } else {
                v
            }
        })
        .collect();
    let total = raw.iter().fold(I64F64::ZERO, |acc, v| acc.saturating_add(*v));
    raw.iter()
        .map(|v| if total == I64F64::ZERO { *v } else { v.safe_div(total) }.to_i32f32())
        .collect()
}

/// §4.3 `is_topk_nonzero`: uids with non-zero stake, and when `n ≥ k` only the top `k`. The
/// stable ascending sort keeps lower uids first, so among equal stakes at the cut-off the
/// higher uid keeps its permit.
fn top_k_nonzero(stake: &[I32F32], k: usize) -> Vec<bool> {
    let n = stake.len();
    let mut result: Vec<bool> = stake.iter().map(|s| !s.is_zero()).collect();
    if n < k {
        return result;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| stake[i]);
    for &i in &order[..n - k] {
        result[i] = false;
    }
    result
}

/// §4.5: stored weights as I32F32 integers (columns `< n`), rows of uids without a permit
/// emptied, the diagonal removed (except the owner's), outdated entries and entries committed
/// before the miner registered removed, then rows normalised.
fn masked_weights(inp: &EpochInputs, permits: &[bool], owner: Option<usize>) -> Vec<Row> {
    let n = inp.n();
    let cr = inp.hyperparameters.commit_reveal_enabled;
    let mut weights: Vec<Row> = inp
        .weights
        .iter()
        .enumerate()
        .map(|(i, row)| {
            if !permits[i] {
                return Vec::new();
            }
            let commit = if cr { inp.commit_block.get(i).copied().flatten() } else { None };
            row.iter()
                .filter(|&&(j, _)| {
                    let ju = usize::from(j);
                    ju < n
                        && (ju != i || owner == Some(i))
                        && inp.last_update[i] > inp.block_at_registration[ju]
                        && commit.is_none_or(|c| c >= inp.block_at_registration[ju])
                })
                .map(|&(j, w)| (j, I32F32::from_u16(w)))
                .collect()
        })
        .collect();
    row_normalize(&mut weights);
    weights
}

fn saturate(bits: i128) -> I32F32 {
    I32F32::from_bits(bits.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_top_k_ties_keep_higher_uid() {
        let s = [I32F32::ONE, I32F32::ONE, I32F32::ONE, I32F32::HALF];
        assert_eq!(top_k_nonzero(&s, 2), vec![false, true, true, false]);
        assert_eq!(top_k_nonzero(&s, 0), vec![false; 4]);
        assert_eq!(top_k_nonzero(&s, 5), vec![true; 4]);
        assert_eq!(top_k_nonzero(&[I32F32::ZERO, I32F32::ONE], 5), vec![false, true]);
    }

    #[test]
    fn test_epoch_rejects_mismatched_lengths() {
        let inp = EpochInputs { stake: vec![1, 2], ..Default::default() };
        assert!(matches!(
            epoch(&inp),
            Err(InputError::LengthMismatch { field: "validator_permit", .. })
        ));
    }

    #[test]
    fn test_epoch_of_empty_subnet_is_empty() {
        let out = epoch(&EpochInputs::default()).unwrap();
        assert!(out.emission.is_empty() && out.bonds.is_empty());
    }
}
