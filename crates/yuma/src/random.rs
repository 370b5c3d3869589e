//! Seeded random subnets for fuzzing and benchmarks.
//!
//! Nothing here decides chain state: it builds [`EpochInputs`] for tests and benchmarks from a
//! seed, so any failing case can be replayed from the seed alone. The generator is SplitMix64,
//! chosen for being tiny, fast and fully specified.

use crate::{EpochInputs, Hyperparameters, SparseRowU16};

/// SplitMix64: a small, fully specified 64-bit PRNG. The same seed always gives the same
/// stream.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// Starts the stream at `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..bound` (`0` when `bound` is 0). Slightly biased for huge bounds, which
    /// does not matter for test generation.
    pub fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 { 0 } else { self.next_u64() % bound }
    }

    /// A value in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// `true` with probability `permille / 1000`.
    pub fn chance(&mut self, permille: u64) -> bool {
        self.below(1000) < permille
    }

    /// A random `u16`.
    pub fn u16(&mut self) -> u16 {
        (self.next_u64() >> 48) as u16
    }

    /// Shuffles a slice in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}

/// The shape of a realistic subnet for benchmarks.
#[derive(Clone, Copy, Debug)]
pub struct Realistic {
    /// Number of uids.
    pub n: usize,
    /// Number of validators (the highest-staked uids `0..validators`).
    pub validators: usize,
    /// Each validator weights this many random miners (capped at the number of miners).
    pub weights_per_validator: usize,
    /// Yuma 3 bonds.
    pub yuma3: bool,
    /// Liquid alpha (only has an effect with Yuma 3).
    pub liquid_alpha: bool,
    /// Where the bonds come from.
    pub bonds: BondsSource,
}

/// How [`realistic`] fills the stored bonds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BondsSource {
    /// Bonds from [`REALISTIC_WARMUP_EPOCHS`] earlier epochs of the same subnet, as a live
    /// subnet holds them.
    WarmUp,
    /// A uniformly random u16 bond on 80 % of each validator's weighted miners: no live subnet
    /// looks like this, but it is the worst case for liquid alpha (every entry needs an exp).
    Random,
}

/// A realistic mainnet-like epoch: `validators` staked validators with permits and recent
/// weights, bonds from earlier epochs, default hyperparameters.
///
/// The bonds are not invented: the generator runs [`REALISTIC_WARMUP_EPOCHS`] epochs on the same
/// subnet first and carries their bonds and permits forward, as the chain does, so the timed
/// epoch sees the bonds a live subnet would hold.
///
/// Validators largely agree, as on a healthy subnet: each miner has a hidden quality, and
/// every validator weights about 90 % of a shared pool of `weights_per_validator` miners by
/// that quality with ±12.5 % noise, plus a few random others. So consensus is non-zero on the
/// pool and liquid alpha really runs.
pub fn realistic(seed: u64, shape: Realistic) -> EpochInputs {
    let mut rng = SplitMix64::new(seed);
    let n = shape.n;
    let v = shape.validators.min(n);
    let current_block = 1_000_000;
    let mut miners: Vec<u16> = (v..n).map(|j| j as u16).collect();
    let k = shape.weights_per_validator.min(miners.len());
    rng.shuffle(&mut miners);
    let pool = &miners[..k];
    let quality: Vec<u32> = (0..n).map(|_| u32::from(rng.u16()) / 2 + 16384).collect();
    let mut weights = vec![Vec::new(); n];
    for slot in weights.iter_mut().take(v) {
        let mut cols: Vec<u16> = pool.iter().copied().filter(|_| rng.chance(900)).collect();
        for _ in 0..k / 10 {
            cols.push(miners[rng.below(miners.len() as u64) as usize]);
        }
        cols.sort_unstable();
        cols.dedup();
        let mut row: SparseRowU16 = cols
            .iter()
            .map(|&j| {
                let q = quality[usize::from(j)];
                let noise = rng.below(u64::from(q / 4) + 1) as u32;
                (j, (q - q / 8 + noise).min(65535) as u16)
            })
            .collect();
        if let Some(max) = row.iter().map(|e| e.1).max().filter(|&m| m > 0) {
            // set_weights stores rows max-upscaled.
            for e in &mut row {
                e.1 = ((u32::from(e.1) * 65535) / u32::from(max)) as u16;
            }
        }
        *slot = row;
    }
    let stake: Vec<u64> = (0..n)
        .map(|i| {
            if i < v {
                rng.range(1_000, 1_000_000) * 1_000_000_000
            } else {
                rng.below(1_000_000_000)
            }
        })
        .collect();
    let mut inputs = EpochInputs {
        stake_fraction: Vec::new(),
        current_block,
        tempo: 360,
        last_mechanism_step_block: current_block - 361,
        activity_cutoff: 5000,
        stake,
        stake_threshold: 0,
        owner_uid: None,
        validator_permit: (0..n).map(|i| i < v).collect(),
        max_allowed_validators: v as u16,
        last_update: (0..n)
            .map(|i| if i < v { current_block - rng.below(300) } else { 0 })
            .collect(),
        block_at_registration: (0..n).map(|_| rng.below(current_block / 2)).collect(),
        weights,
        bonds: vec![Vec::new(); n],
        commit_block: Vec::new(),
        hyperparameters: Hyperparameters {
            yuma3_enabled: shape.yuma3,
            liquid_alpha_enabled: shape.liquid_alpha,
            ..Hyperparameters::default()
        },
        rao_emission: 360 * 1_000_000_000,
    };
    match shape.bonds {
        BondsSource::WarmUp => {
            for _ in 0..REALISTIC_WARMUP_EPOCHS {
                // The inputs are consistent by construction, so the epoch cannot fail.
                let Ok(out) = crate::epoch(&inputs) else { break };
                inputs.bonds = out.bonds;
                inputs.validator_permit = out.new_validator_permit;
            }
        }
        BondsSource::Random => {
            for i in 0..v {
                let row: SparseRowU16 = inputs.weights[i]
                    .iter()
                    .filter(|_| rng.chance(800))
                    .map(|&(j, _)| (j, 0))
                    .collect();
                inputs.bonds[i] = row.into_iter().map(|(j, _)| (j, rng.u16())).collect();
            }
        }
    }
    inputs
}

/// Epochs [`realistic`] runs before returning, to give its subnet real bonds.
pub const REALISTIC_WARMUP_EPOCHS: usize = 5;

/// An adversarial random epoch for differential fuzzing, with `n` in `1..=max_n`.
///
/// It mixes what the chain can hold and what makes the epoch interesting: zero and tied stakes,
/// stake thresholds, an owner uid, stale permits, inactive and outdated validators, recent
/// registrations, explicit zero weights, duplicate and unsorted columns, uids out of range,
/// bonds, commit-reveal blocks, every bond mode and extreme hyperparameters.
pub fn fuzz_case(rng: &mut SplitMix64, max_n: usize) -> EpochInputs {
    let n = rng.range(1, max_n.max(1) as u64) as usize;
    let current_block = rng.range(1, 20_000);
    let tempo = [1u16, 10, 100, 360][rng.below(4) as usize];
    let pick_block = |rng: &mut SplitMix64| rng.below(current_block + 10);
    // Up to 10^15 rao per uid: totals stay within the 21M TAO supply's order of magnitude, where
    // the chain's I64F64 sums cannot overflow.
    let stake_scale = [1u64, 1_000, 1_000_000_000, 1_000_000_000_000][rng.below(4) as usize];
    let tie_value = rng.range(1, 1000) * stake_scale;
    let stake: Vec<u64> = (0..n)
        .map(|_| match rng.below(10) {
            0..=2 => 0,
            3 => tie_value,
            _ => rng.range(1, 1000) * stake_scale + rng.below(stake_scale),
        })
        .collect();
    let stake_threshold = if rng.chance(200) { rng.below(500) * stake_scale } else { 0 };
    let owner_uid = if rng.chance(300) { Some(rng.below(n as u64 + 2) as u16) } else { None };
    let validator_permit: Vec<bool> = (0..n).map(|_| rng.chance(700)).collect();
    let max_allowed_validators = match rng.below(4) {
        0 => 0,
        1 => rng.range(1, n as u64) as u16,
        _ => rng.range(1, 128) as u16,
    };
    // Half the cases are "calm": validators recently active, miners registered long ago, so
    // consensus is non-zero and bonds (and liquid alpha) really run. The rest are chaotic.
    let calm = rng.chance(500);
    let block_at_registration: Vec<u64> = (0..n)
        .map(|_| {
            if calm && !rng.chance(100) {
                rng.below(current_block / 2 + 1)
            } else {
                pick_block(rng)
            }
        })
        .collect();
    let last_update: Vec<u64> = (0..n)
        .map(|_| {
            if calm && !rng.chance(100) {
                current_block.saturating_sub(rng.below(50))
            } else {
                pick_block(rng)
            }
        })
        .collect();
    let row = |rng: &mut SplitMix64, density: u64| -> SparseRowU16 {
        let mut cols: Vec<u16> = (0..n as u16).filter(|_| rng.chance(density)).collect();
        if rng.chance(100) {
            rng.shuffle(&mut cols);
        }
        if rng.chance(50) && !cols.is_empty() {
            let c = cols[rng.below(cols.len() as u64) as usize];
            cols.push(c);
        }
        if rng.chance(50) {
            cols.push(n as u16 + rng.below(3) as u16);
        }
        cols.into_iter()
            .map(|j| {
                let v = match rng.below(8) {
                    0 => 0,
                    1 => 65535,
                    _ => rng.u16(),
                };
                (j, v)
            })
            .collect()
    };
    let density = if calm { rng.range(400, 950) } else { rng.range(50, 900) };
    let row_chance = if calm { 950 } else { 700 };
    let weights: Vec<SparseRowU16> = (0..n)
        .map(|_| if rng.chance(row_chance) { row(rng, density) } else { Vec::new() })
        .collect();
    let bonds: Vec<SparseRowU16> =
        (0..n).map(|_| if rng.chance(500) { row(rng, density) } else { Vec::new() }).collect();
    let commit_block: Vec<Option<u64>> =
        (0..n).map(|_| if rng.chance(500) { Some(pick_block(rng)) } else { None }).collect();
    let u16_extreme = |rng: &mut SplitMix64| match rng.below(6) {
        0 => 0,
        1 => 65535,
        2 => 32767,
        _ => rng.u16(),
    };
    let yuma3_enabled = rng.chance(500);
    let alpha_low = rng.range(1638, 65535) as u16;
    let hyperparameters = Hyperparameters {
        kappa: if calm && rng.chance(700) { 32767 } else { u16_extreme(rng) },
        bonds_penalty: u16_extreme(rng),
        bonds_moving_average: match rng.below(5) {
            0 => 900_000,
            1 => 975_000,
            2 => 1_000_000,
            3 => 0,
            _ => rng.below(1_000_001),
        },
        yuma3_enabled,
        liquid_alpha_enabled: rng.chance(if yuma3_enabled { 850 } else { 300 }),
        alpha_low,
        alpha_high: rng.range(u64::from(alpha_low), 65535) as u16,
        alpha_sigmoid_steepness: match rng.below(4) {
            0 => 1000,
            1 => -(rng.below(2000) as i16),
            _ => rng.below(5000) as i16,
        },
        commit_reveal_enabled: rng.chance(300),
    };
    EpochInputs {
        stake_fraction: Vec::new(),
        current_block,
        tempo,
        last_mechanism_step_block: if rng.chance(500) { 0 } else { pick_block(rng) },
        activity_cutoff: if calm { 5000 } else { [1u64, 100, 5000][rng.below(3) as usize] },
        stake,
        stake_threshold,
        owner_uid,
        validator_permit,
        max_allowed_validators,
        last_update,
        block_at_registration,
        weights,
        bonds,
        commit_block,
        hyperparameters,
        rao_emission: [0u64, 1, 1_000_000_000, rng.below(1 << 50)][rng.below(4) as usize],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_splitmix_is_deterministic() {
        let a: Vec<u64> = {
            let mut r = SplitMix64::new(7);
            (0..4).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = SplitMix64::new(7);
            (0..4).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        // Published first output of SplitMix64 seeded with 0.
        assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn test_generated_inputs_are_valid() {
        let mut rng = SplitMix64::new(1);
        for _ in 0..50 {
            fuzz_case(&mut rng, 16).validate().unwrap();
        }
        for bonds in [BondsSource::WarmUp, BondsSource::Random] {
            let shape = Realistic {
                n: 64,
                validators: 8,
                weights_per_validator: 16,
                yuma3: true,
                liquid_alpha: true,
                bonds,
            };
            let inputs = realistic(3, shape);
            inputs.validate().unwrap();
            assert!(inputs.bonds.iter().any(|row| !row.is_empty()), "{bonds:?} gave no bonds");
        }
    }
}
