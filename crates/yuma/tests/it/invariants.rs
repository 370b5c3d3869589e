//! Properties every epoch must have, whatever its inputs (STYLE.md §4).
//!
//! The differential test checks *what* the epoch computes against the oracle; these check
//! invariants directly, on inputs the oracle never sees (including huge stakes and emissions).

use proptest::prelude::*;
use rustensor_yuma::random::{BondsSource, Realistic, SplitMix64, fuzz_case, realistic};
use rustensor_yuma::{EpochInputs, epoch};

/// An arbitrary epoch built from a seed, so shrinking keeps inputs consistent.
fn arb_epoch() -> impl Strategy<Value = EpochInputs> {
    (any::<u64>(), 1usize..48)
        .prop_map(|(seed, max_n)| fuzz_case(&mut SplitMix64::new(seed), max_n))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn test_epoch_never_panics_and_outputs_have_length_n(inp in arb_epoch()) {
        let out = epoch(&inp).unwrap();
        let n = inp.n();
        prop_assert_eq!(out.active.len(), n);
        prop_assert_eq!(out.incentive.len(), n);
        prop_assert_eq!(out.dividends.len(), n);
        prop_assert_eq!(out.server_emission.len(), n);
        prop_assert_eq!(out.validator_emission.len(), n);
        prop_assert_eq!(out.emission.len(), n);
        prop_assert_eq!(out.bonds.len(), n);
    }

    #[test]
    fn test_emission_never_exceeds_what_is_distributed(inp in arb_epoch()) {
        let out = epoch(&inp).unwrap();
        let e = u128::from(inp.rao_emission);
        let server: u128 = out.server_emission.iter().map(|&x| u128::from(x)).sum();
        let validator: u128 = out.validator_emission.iter().map(|&x| u128::from(x)).sum();
        let combined: u128 = out.emission.iter().map(|&x| u128::from(x)).sum();
        // Every share is floored, so the totals can only fall short, by at most 1 rao per
        // uid and share.
        prop_assert!(server + validator <= e, "{server} + {validator} > {e}");
        prop_assert!(combined <= e);
        if server + validator > 0 {
            let n = inp.n() as u128;
            // Shares are truncated fixed-point fractions: the shortfall is bounded by one rao
            // per uid per share plus the truncation of each share (≤ n·2⁻³² of E each).
            let slack = 2 * n + 2 * n * (e >> 32) + 2;
            prop_assert!(server + validator + slack >= e, "lost too much: {} of {e}", e - server - validator);
        }
    }

    #[test]
    fn test_clipping_never_raises_a_weight(inp in arb_epoch()) {
        let out = epoch(&inp).unwrap();
        // Validator trust is the sum of a normalised row after clipping: at most 1.
        for (i, &t) in out.fixed.validator_trust.iter().enumerate() {
            prop_assert!(t <= rustensor_yuma::fixed::I32F32::ONE, "uid {i} trust {t}");
        }
        // Consensus is one of the submitted (normalised) weights or 0, never above 1.
        for &c in &out.fixed.consensus {
            prop_assert!(c >= rustensor_yuma::fixed::I32F32::ZERO && c <= rustensor_yuma::fixed::I32F32::ONE);
        }
    }

    #[test]
    fn test_epoch_is_deterministic(inp in arb_epoch()) {
        prop_assert_eq!(epoch(&inp).unwrap(), epoch(&inp).unwrap());
    }

    #[test]
    fn test_bonds_only_for_new_permits(inp in arb_epoch()) {
        let out = epoch(&inp).unwrap();
        for (row, permit) in out.bonds.iter().zip(&out.new_validator_permit) {
            prop_assert!(*permit || row.is_empty());
        }
    }
}

#[test]
fn test_huge_stakes_and_emission_do_not_panic() {
    let shape = Realistic {
        n: 64,
        validators: 8,
        weights_per_validator: 32,
        yuma3: true,
        liquid_alpha: true,
        bonds: BondsSource::Random,
    };
    let mut inp = realistic(5, shape);
    inp.stake = vec![u64::MAX; 64];
    inp.rao_emission = u64::MAX;
    let out = epoch(&inp).unwrap();
    let total: u128 = out.emission.iter().map(|&x| u128::from(x)).sum();
    assert!(total <= u128::from(u64::MAX));
}

#[test]
fn test_realistic_subnet_pays_consensus_miners() {
    let shape = Realistic {
        n: 128,
        validators: 16,
        weights_per_validator: 64,
        yuma3: false,
        liquid_alpha: false,
        bonds: BondsSource::WarmUp,
    };
    let inp = realistic(11, shape);
    let out = epoch(&inp).unwrap();
    // Validators agree on a pool of miners: incentive goes to miners, dividends to validators.
    let miner_incentive: u32 = out.incentive[16..].iter().map(|&x| u32::from(x)).sum();
    assert!(miner_incentive > 60_000, "miners got {miner_incentive}");
    assert!(out.dividends[..16].iter().all(|&d| d > 0));
}
