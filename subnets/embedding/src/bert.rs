//! The BERT encoder of all-MiniLM-L6-v2, written for CPU inference speed on candle.
//!
//! It computes what Hugging Face's `BertModel` (and candle-transformers' port of it) computes,
//! with three changes that cost no accuracy worth measuring (embeddings agree with
//! sentence-transformers' to 1e-5; see `tests/it/model.rs`) and make the miner faster:
//!
//! * **One QKV projection.** The query, key and value weights are stacked at load time into one
//!   `hidden → 3·hidden` matrix, so each layer makes one matrix product instead of three, and
//!   the `1/√head_size` attention scale is folded into the query rows.
//! * **Fused softmax** over the last dimension (`candle_nn::ops::softmax_last_dim`).
//! * **A vectorisable exact-form GELU.** `0.5·x·(1 + erf(x/√2))` with erf from Abramowitz &
//!   Stegun 7.1.26 (absolute error ≤ 1.5e-7, ≤ 6e-7 once rounded to f32) and `exp` by range reduction and a degree-6
//!   polynomial, branch-free so the compiler turns the loop into SIMD. candle's `gelu_erf` calls
//!   libm's scalar `erff` per element, which was a fifth of the model's time (perf, 1 thread).
//!
//! Dropout is absent: this is inference only.

use candle_core::{CpuStorage, CustomOp1, DType, Layout, Module, Result, Shape, Tensor, bail};
use candle_nn::{Embedding, LayerNorm, Linear, VarBuilder};
use candle_transformers::models::bert::{Config, HiddenAct};

/// The embeddings and encoder layers of a BERT model.
pub struct BertEncoder {
    word: Embedding,
    position: Embedding,
    token_type: Embedding,
    embeddings_norm: LayerNorm,
    layers: Vec<Layer>,
}

struct Layer {
    /// Query (pre-scaled), key and value stacked: `hidden → 3·hidden`.
    qkv: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    output_norm: LayerNorm,
    heads: usize,
    head_size: usize,
}

fn layer_norm(vb: &VarBuilder<'_>, size: usize, eps: f64) -> Result<LayerNorm> {
    let weight = vb.get(size, "weight")?;
    let bias = vb.get(size, "bias")?;
    Ok(LayerNorm::new(weight, bias, eps))
}

fn linear(vb: &VarBuilder<'_>, inputs: usize, outputs: usize) -> Result<Linear> {
    Ok(Linear::new(vb.get((outputs, inputs), "weight")?, Some(vb.get(outputs, "bias")?)))
}

impl BertEncoder {
    /// Loads the weights under `vb` (Hugging Face names: `embeddings.*`, `encoder.layer.N.*`,
    /// optionally under `bert.`).
    ///
    /// # Errors
    ///
    /// A missing or misshapen tensor, or a configuration this encoder does not run (an
    /// activation other than exact GELU, heads that do not divide the hidden size).
    pub fn load(vb: VarBuilder<'_>, config: &Config) -> Result<Self> {
        let vb = if vb.contains_tensor("bert.embeddings.word_embeddings.weight") {
            vb.pp("bert")
        } else {
            vb
        };
        if config.hidden_act != HiddenAct::Gelu {
            bail!("only BERT models with exact GELU are supported, not {:?}", config.hidden_act);
        }
        let hidden = config.hidden_size;
        let heads = config.num_attention_heads;
        if heads == 0 || !hidden.is_multiple_of(heads) {
            bail!("{heads} attention heads do not divide the hidden size {hidden}");
        }
        let head_size = hidden / heads;
        let e = vb.pp("embeddings");
        let embedding = |name: &str, rows: usize| -> Result<Embedding> {
            Ok(Embedding::new(e.pp(name).get((rows, hidden), "weight")?, hidden))
        };
        let word = embedding("word_embeddings", config.vocab_size)?;
        let position = embedding("position_embeddings", config.max_position_embeddings)?;
        let token_type = embedding("token_type_embeddings", config.type_vocab_size)?;
        let embeddings_norm = layer_norm(&e.pp("LayerNorm"), hidden, config.layer_norm_eps)?;

        let scale = 1.0 / (head_size as f64).sqrt();
        let mut layers = Vec::with_capacity(config.num_hidden_layers);
        for i in 0..config.num_hidden_layers {
            let l = vb.pp(format!("encoder.layer.{i}"));
            let a = l.pp("attention.self");
            let part = |name: &str| -> Result<(Tensor, Tensor)> {
                let p = a.pp(name);
                Ok((p.get((hidden, hidden), "weight")?, p.get(hidden, "bias")?))
            };
            let (qw, qb) = part("query")?;
            let (kw, kb) = part("key")?;
            let (vw, vb_) = part("value")?;
            let qkv = Linear::new(
                Tensor::cat(&[(qw * scale)?, kw, vw], 0)?,
                Some(Tensor::cat(&[(qb * scale)?, kb, vb_], 0)?),
            );
            layers.push(Layer {
                qkv,
                attention_out: linear(&l.pp("attention.output.dense"), hidden, hidden)?,
                attention_norm: layer_norm(
                    &l.pp("attention.output.LayerNorm"),
                    hidden,
                    config.layer_norm_eps,
                )?,
                intermediate: linear(
                    &l.pp("intermediate.dense"),
                    hidden,
                    config.intermediate_size,
                )?,
                output: linear(&l.pp("output.dense"), config.intermediate_size, hidden)?,
                output_norm: layer_norm(&l.pp("output.LayerNorm"), hidden, config.layer_norm_eps)?,
                heads,
                head_size,
            });
        }
        Ok(Self { word, position, token_type, embeddings_norm, layers })
    }

    /// The last hidden states, `(batch, tokens, hidden)`, for token ids, token type ids and an
    /// attention mask (1 for real tokens, 0 for padding), each `(batch, tokens)` of `u32`.
    ///
    /// # Errors
    ///
    /// Shapes that do not match, or more tokens than the model has positions.
    pub fn forward(&self, ids: &Tensor, type_ids: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let (_batch, tokens) = ids.dims2()?;
        let positions =
            Tensor::arange(0u32, u32::try_from(tokens).unwrap_or(u32::MAX), ids.device())?;
        let x = self
            .word
            .forward(ids)?
            .add(&self.token_type.forward(type_ids)?)?
            .broadcast_add(&self.position.forward(&positions)?)?;
        let mut x = self.embeddings_norm.forward(&x)?;
        // 0 where attended, the most negative f32 where padded: (batch, 1, 1, tokens).
        let bias = ((mask.to_dtype(DType::F32)?.affine(-1.0, 1.0)?) * f64::from(f32::MIN))?
            .unsqueeze(1)?
            .unsqueeze(1)?;
        for layer in &self.layers {
            x = layer.forward(&x, &bias)?;
        }
        Ok(x)
    }
}

impl Layer {
    fn forward(&self, x: &Tensor, mask_bias: &Tensor) -> Result<Tensor> {
        let (batch, tokens, hidden) = x.dims3()?;
        let qkv = self
            .qkv
            .forward(x)?
            .reshape((batch, tokens, 3, self.heads, self.head_size))?
            .permute((2, 0, 3, 1, 4))?
            .contiguous()?;
        let (q, k, v) = (qkv.get(0)?, qkv.get(1)?, qkv.get(2)?);
        let scores = q.matmul(&k.t()?)?.broadcast_add(mask_bias)?;
        let probs = candle_nn::ops::softmax_last_dim(&scores)?;
        let context =
            probs.matmul(&v)?.transpose(1, 2)?.contiguous()?.reshape((batch, tokens, hidden))?;
        let attended =
            self.attention_norm.forward(&(self.attention_out.forward(&context)? + x)?)?;
        let inner = self.intermediate.forward(&attended)?.apply_op1_no_bwd(&Gelu)?;
        self.output_norm.forward(&(self.output.forward(&inner)? + attended)?)
    }
}

/// `0.5·x·(1 + erf(x/√2))` on f32 CPU tensors, see the module docs.
struct Gelu;

impl CustomOp1 for Gelu {
    fn name(&self) -> &'static str {
        "rustensor-gelu-erf"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        let CpuStorage::F32(data) = storage else { bail!("gelu: f32 tensors only") };
        let Some((start, end)) = layout.contiguous_offsets() else {
            bail!("gelu: contiguous tensors only")
        };
        let xs = data.get(start..end).unwrap_or_default();
        let mut out = vec![0f32; xs.len()];
        gelu_slice(xs, &mut out);
        Ok((CpuStorage::F32(out), layout.shape().clone()))
    }
}

/// Writes `gelu(xs[i])` to `out[i]`; large inputs are split across rayon's threads.
fn gelu_slice(xs: &[f32], out: &mut [f32]) {
    use rayon::prelude::*;
    const CHUNK: usize = 1 << 14;
    if xs.len() <= CHUNK {
        out.iter_mut().zip(xs).for_each(|(o, &x)| *o = gelu(x));
    } else {
        out.par_chunks_mut(CHUNK).zip(xs.par_chunks(CHUNK)).for_each(|(o, x)| {
            o.iter_mut().zip(x).for_each(|(o, &x)| *o = gelu(x));
        });
    }
}

/// GELU with the exact (erf) form; branch-free.
#[inline(always)]
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// erf by Abramowitz & Stegun 7.1.26: `1 − t·P(t)·e^(−x²)`, `t = 1/(1 + p·|x|)`, odd in x.
/// Absolute error ≤ 1.5e-7 in exact arithmetic; |x| is capped at 4 (erf(4) = 1 − 1.5e-8).
/// Written with selects and bit operations only, so that loops over it vectorise.
#[inline(always)]
fn erf(x: f32) -> f32 {
    const P: f32 = 0.327_591_1;
    const A: [f32; 5] = [0.254_829_6, -0.284_496_74, 1.421_413_8, -1.453_152_1, 1.061_405_4];
    const SIGN: u32 = 0x8000_0000;
    let bits = x.to_bits();
    let a = f32::from_bits(bits & !SIGN);
    let a = if a > 4.0 { 4.0 } else { a };
    let t = 1.0 / (1.0 + P * a);
    let poly = t * (A[0] + t * (A[1] + t * (A[2] + t * (A[3] + t * A[4]))));
    let y = 1.0 - poly * exp_neg(a * a);
    f32::from_bits(y.to_bits() | (bits & SIGN))
}

/// `e^(−z)` for `z` in [0, 16]: `2^(−n)·e^(−r)` with `n = round(z·log2 e)`, |r| ≤ ln2/2
/// (Cody–Waite: ln2 split in two so that `n·LN2_HI` is exact), and a degree-6 Taylor
/// polynomial (relative error < 3e-7). Rounding uses the 1.5·2²³ trick (the integer lands in
/// the low mantissa bits), so there are only adds, multiplies and integer bit operations: it
/// vectorises on any x86-64 (no SSE4.1 `round`, no FMA needed).
#[inline(always)]
fn exp_neg(z: f32) -> f32 {
    const LN2_HI: f32 = 0.693_145_75; // 0x3f317200: few mantissa bits, n·LN2_HI is exact
    const LN2_LO: f32 = 1.428_606_8e-6;
    const ROUND: f32 = 12_582_912.0; // 1.5·2²³
    let shifted = z * std::f32::consts::LOG2_E + ROUND;
    let n_bits = shifted.to_bits().wrapping_sub(ROUND.to_bits()); // n, 0 ≤ n ≤ 24
    let nf = shifted - ROUND;
    let r = (nf * LN2_HI - z) + nf * LN2_LO; // −z + n·ln2 ∈ [−ln2/2, ln2/2]
    let p = 1.0
        + r * (1.0
            + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r / 720.0)))));
    // 2^(−n): an exact power of two built from its exponent bits.
    let two_pow = f32::from_bits(127u32.wrapping_sub(n_bits) << 23);
    p * two_pow
}

#[cfg(test)]
mod tests {
    use super::*;

    /// erf to ~1e-12 by Simpson's rule on exp(−t²) (4000 intervals): the test's yardstick.
    fn erf_f64(x: f64) -> f64 {
        let n = 4000;
        let h = x / f64::from(n);
        let f = |t: f64| (-t * t).exp();
        let mut s = f(0.0) + f(x);
        for i in 1..n {
            let t = h * f64::from(i);
            s += if i % 2 == 1 { 4.0 * f(t) } else { 2.0 * f(t) };
        }
        s * h / 3.0 * 2.0 / std::f64::consts::PI.sqrt()
    }

    #[test]
    fn test_erf_is_within_six_ten_millionths_everywhere() {
        let mut worst = 0.0f64;
        for i in -6000..=6000 {
            let x = f64::from(i) / 1000.0;
            #[allow(clippy::cast_possible_truncation)]
            let got = f64::from(erf(x as f32));
            worst = worst.max((got - erf_f64(x)).abs());
        }
        assert!(worst < 6e-7, "worst absolute error {worst}");
    }

    #[test]
    fn test_exp_neg_is_accurate_over_its_range() {
        for i in 0..=1600 {
            let z = i as f32 / 100.0;
            let want = (-f64::from(z)).exp();
            let got = f64::from(exp_neg(z));
            assert!(((got - want) / want).abs() < 3e-7, "z {z}: {got} vs {want}");
        }
    }

    #[test]
    fn test_gelu_matches_the_exact_form_and_its_limits() {
        for i in -2000..=2000 {
            let x = f64::from(i) / 100.0;
            let want = 0.5 * x * (1.0 + erf_f64(x / std::f64::consts::SQRT_2));
            #[allow(clippy::cast_possible_truncation)]
            let got = f64::from(gelu(x as f32));
            assert!((got - want).abs() <= 2e-7 * x.abs().max(1.0), "x {x}: {got} vs {want}");
        }
        assert_eq!(gelu(0.0), 0.0);
        assert_eq!(gelu(50.0), 50.0);
        assert_eq!(gelu(-50.0), -0.0);
    }

    #[test]
    fn test_gelu_op_runs_on_tensors_of_any_size() {
        let device = candle_core::Device::Cpu;
        for len in [1usize, 7, 20_000, 70_001] {
            let xs: Vec<f32> = (0..len).map(|i| (i as f32 / len as f32 - 0.5) * 12.0).collect();
            let t = Tensor::from_vec(xs.clone(), len, &device).expect("tensor");
            let got = t.apply_op1_no_bwd(&Gelu).expect("gelu").to_vec1::<f32>().expect("vec");
            for (g, x) in got.iter().zip(&xs) {
                assert_eq!(*g, gelu(*x));
            }
        }
    }
}
