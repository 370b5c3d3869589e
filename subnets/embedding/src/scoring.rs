//! Scoring a miner's answer to a [`Task`], and the score's moving average.
//!
//! reference/ml.md §3.A: with L2-normalised vectors, each query is ranked against every
//! candidate passage by cosine similarity. Two measures of the ranking:
//!
//! * **top-1 recall**: the share of queries whose own passage ranks first;
//! * **contrastive (InfoNCE) loss**: the mean over queries of `-ln softmax(s / τ)[true]` with
//!   `τ` = [`TEMPERATURE`]; low when the true passage stands out clearly.
//!
//! The quality is `(top1 + exp(-loss)) / 2`, in [0, 1], multiplied by a latency factor
//! `1 - LATENCY_WEIGHT × min(1, elapsed / timeout)`. An answer that is missing, late, of the
//! wrong shape (count or dimension), not finite, not unit length, or that gives the duplicated
//! text two different vectors scores 0 with the reason recorded.
//!
//! Scores are off-chain and local to one validator, so they use `f64`; only the `u16` weights
//! derived from them reach the chain.

use std::time::Duration;

use crate::task::Task;

/// The softmax temperature of the contrastive loss (SN5 uses 0.05).
pub const TEMPERATURE: f64 = 0.05;

/// How much a reply at the timeout loses against an instant one.
pub const LATENCY_WEIGHT: f64 = 0.2;

/// Largest distance of a vector's norm from 1 that is accepted as unit length.
pub const NORM_TOLERANCE: f64 = 1e-2;

/// Smallest cosine between the two vectors of the duplicated text.
pub const DUPLICATE_MIN_COSINE: f64 = 0.99;

/// One answer's score and how it came about.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Score {
    /// Top-1 recall in [0, 1].
    pub top1: f64,
    /// Mean InfoNCE loss (0 for a rejected answer).
    pub loss: f64,
    /// Seconds the answer took.
    pub latency_s: f64,
    /// The final score in [0, 1].
    pub score: f64,
    /// Why the answer scored 0, if it was rejected.
    pub rejected: Option<String>,
}

impl Score {
    /// A zero score for `reason`.
    pub fn rejected(reason: impl Into<String>, latency: Duration) -> Self {
        Self {
            top1: 0.0,
            loss: 0.0,
            latency_s: latency.as_secs_f64(),
            score: 0.0,
            rejected: Some(reason.into()),
        }
    }
}

fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(x, y)| f64::from(*x) * f64::from(*y)).sum()
}

/// Checks the shape and values of `embeddings` for `task`; `Err(reason)` if unusable.
fn check(task: &Task, embeddings: &[Vec<f32>], dim: usize) -> Result<(), String> {
    if embeddings.len() != task.texts.len() {
        return Err(format!("{} vectors for {} texts", embeddings.len(), task.texts.len()));
    }
    for (i, v) in embeddings.iter().enumerate() {
        if v.len() != dim {
            return Err(format!("vector {i} has {} dimensions, not {dim}", v.len()));
        }
        if v.iter().any(|x| !x.is_finite()) {
            return Err(format!("vector {i} is not finite"));
        }
        let norm = dot(v, v).sqrt();
        if (norm - 1.0).abs() > NORM_TOLERANCE {
            return Err(format!("vector {i} has norm {norm:.4}, not 1"));
        }
    }
    let (a, b) = task.duplicate;
    let cos = dot(&embeddings[a], &embeddings[b]);
    if cos < DUPLICATE_MIN_COSINE {
        return Err(format!(
            "the same text got two different vectors (cosine {cos:.3}): answers are not a deterministic model's"
        ));
    }
    Ok(())
}

/// Scores `embeddings` (the miner's vectors for `task.texts`, of `dim` dimensions) that took
/// `elapsed` against a `timeout`.
pub fn score(
    task: &Task,
    embeddings: &[Vec<f32>],
    dim: usize,
    elapsed: Duration,
    timeout: Duration,
) -> Score {
    if let Err(reason) = check(task, embeddings, dim) {
        return Score::rejected(reason, elapsed);
    }
    let mut hits = 0usize;
    let mut loss = 0.0;
    for &(q, p) in &task.pairs {
        let sims: Vec<(usize, f64)> =
            task.candidates.iter().map(|&c| (c, dot(&embeddings[q], &embeddings[c]))).collect();
        let best = sims.iter().copied().fold((usize::MAX, f64::NEG_INFINITY), |acc, (c, s)| {
            if s > acc.1 { (c, s) } else { acc }
        });
        if best.0 == p {
            hits += 1;
        }
        // -ln softmax, computed stably around the largest logit.
        let max = best.1 / TEMPERATURE;
        let sum: f64 = sims.iter().map(|(_, s)| (s / TEMPERATURE - max).exp()).sum();
        let own = sims.iter().find(|(c, _)| *c == p).map_or(0.0, |(_, s)| *s) / TEMPERATURE;
        loss += -(own - max - sum.ln());
    }
    let n = task.pairs.len().max(1);
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let (top1, loss) = (hits as f64 / n as f64, loss / n as f64);
    let quality = 0.5 * (top1 + (-loss).exp());
    let late = if timeout.is_zero() {
        1.0
    } else {
        (elapsed.as_secs_f64() / timeout.as_secs_f64()).min(1.0)
    };
    let score = (quality * (1.0 - LATENCY_WEIGHT * late)).clamp(0.0, 1.0);
    Score { top1, loss, latency_s: elapsed.as_secs_f64(), score, rejected: None }
}

/// Exponential moving average of a miner's scores.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Ema {
    /// The current average.
    pub value: f64,
    /// Rounds averaged.
    pub rounds: u64,
}

impl Ema {
    /// An average that has seen nothing yet (0).
    pub const fn new() -> Self {
        Self { value: 0.0, rounds: 0 }
    }

    /// Folds in `x` with weight `alpha` (the first value is taken as it is).
    pub fn update(&mut self, x: f64, alpha: f64) {
        self.value = if self.rounds == 0 { x } else { alpha * x + (1.0 - alpha) * self.value };
        self.rounds += 1;
    }
}

impl Default for Ema {
    fn default() -> Self {
        Self::new()
    }
}

/// Scales non-negative `scores` to `u16` weights, the largest at 65535
/// ([`rustensor_sdk::chain::scale_weights`]); `None` if none is positive. Entries that are not
/// finite and positive, or that round to 0, are dropped.
pub fn to_weights(scores: &[(u16, f64)]) -> Option<(Vec<u16>, Vec<u16>)> {
    let kept: Vec<(u16, f64)> =
        scores.iter().copied().filter(|(_, s)| s.is_finite() && *s > 0.0).collect();
    let values: Vec<f64> = kept.iter().map(|(_, s)| *s).collect();
    let scaled = rustensor_sdk::chain::scale_weights(&values).ok()?;
    Some(kept.iter().zip(scaled).filter(|(_, w)| *w > 0).map(|((uid, _), w)| (*uid, w)).unzip())
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;

    /// A task over 4 texts: query 0 ↔ passage 1, query 2 ↔ passage 3, text 3 duplicated at 4.
    fn task() -> Task {
        Task {
            texts: ["q0", "p0", "q1", "p1", "p1"].map(String::from).to_vec(),
            pairs: vec![(0, 1), (2, 3)],
            candidates: vec![1, 3],
            duplicate: (3, 4),
        }
    }

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    fn perfect() -> Vec<Vec<f32>> {
        vec![
            unit(&[1.0, 0.1]),
            unit(&[1.0, 0.0]),
            unit(&[0.1, 1.0]),
            unit(&[0.0, 1.0]),
            unit(&[0.0, 1.0]),
        ]
    }

    const T: Duration = Duration::from_secs(10);

    #[test]
    fn test_perfect_pairing_scores_near_one_and_latency_costs_a_little() {
        let s = score(&task(), &perfect(), 2, Duration::ZERO, T);
        assert_eq!(s.top1, 1.0);
        assert!(s.loss < 1e-6, "{s:?}");
        assert!(s.score > 0.999, "{s:?}");
        let slow = score(&task(), &perfect(), 2, T, T);
        assert!((slow.score - s.score * (1.0 - LATENCY_WEIGHT)).abs() < 1e-9, "{slow:?}");
    }

    #[test]
    fn test_swapped_pairing_scores_low() {
        let mut e = perfect();
        e.swap(0, 2);
        let s = score(&task(), &e, 2, Duration::ZERO, T);
        assert_eq!(s.top1, 0.0);
        assert!(s.loss > 10.0, "{s:?}");
        assert!(s.score < 0.01, "{s:?}");
    }

    #[test]
    fn test_random_vectors_fail_the_duplicate_check() {
        let mut rng = StdRng::seed_from_u64(3);
        let e: Vec<Vec<f32>> =
            (0..5).map(|_| unit(&[rng.gen_range(-1.0..1.0), rng.gen_range(-1.0..1.0)])).collect();
        let s = score(&task(), &e, 2, Duration::ZERO, T);
        if dot(&e[3], &e[4]) < DUPLICATE_MIN_COSINE {
            assert_eq!(s.score, 0.0);
            assert!(s.rejected.as_deref().is_some_and(|r| r.contains("same text")), "{s:?}");
        }
    }

    #[test]
    fn test_malformed_answers_are_rejected_with_a_reason() {
        let cases: Vec<(Vec<Vec<f32>>, &str)> = vec![
            (perfect()[..4].to_vec(), "4 vectors for 5 texts"),
            (
                perfect()
                    .into_iter()
                    .map(|mut v| {
                        v.push(0.0);
                        v
                    })
                    .collect(),
                "3 dimensions",
            ),
            (
                {
                    let mut e = perfect();
                    e[2][0] = f32::NAN;
                    e
                },
                "not finite",
            ),
            (
                {
                    let mut e = perfect();
                    e[1] = vec![2.0, 0.0];
                    e
                },
                "norm 2.0000",
            ),
        ];
        for (e, why) in cases {
            let s = score(&task(), &e, 2, Duration::ZERO, T);
            assert_eq!(s.score, 0.0);
            let reason = s.rejected.expect("rejected");
            assert!(reason.contains(why), "{reason} / {why}");
        }
    }

    #[test]
    fn test_ema_starts_at_the_first_value_then_moves_by_alpha() {
        let mut ema = Ema::new();
        ema.update(0.8, 0.25);
        assert_eq!(ema.value, 0.8);
        ema.update(0.0, 0.25);
        assert!((ema.value - 0.6).abs() < 1e-12);
        assert_eq!(ema.rounds, 2);
    }

    #[test]
    fn test_weights_put_the_best_at_u16_max_and_drop_zeros() {
        let (uids, w) = to_weights(&[(1, 0.5), (2, 1.0), (3, 0.0), (4, f64::NAN)]).expect("some");
        assert_eq!(uids, [1, 2]);
        assert_eq!(w, [32768, 65535]);
        assert_eq!(to_weights(&[(1, 0.0)]), None);
    }
}
