//! Conformance vectors: the JSON schema of `reference/yuma.md` §9 (`yuma-epoch-vector/1`).
//!
//! A vector file holds one or more self-contained epoch steps, each with its `inputs` and the
//! `expected` outputs computed by the reference oracle. [`load`] reads a file, [`run_step`]
//! recomputes a step and [`compare`] lists every normative field that differs. Bonds are
//! compared densely (an absent entry equals 0), as the schema specifies.

use crate::{EpochInputs, EpochOutputs, Hyperparameters, SparseRowU16, epoch};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

/// Errors reading a vector file.
#[derive(Debug, thiserror::Error)]
pub enum VectorError {
    /// The file could not be read.
    #[error("failed to read {path} (check the path and its permissions)")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a vector in the expected schema.
    #[error("{path} is not a yuma-epoch-vector/1 file")]
    Json {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: serde_json::Error,
    },
    /// A step's inputs are inconsistent.
    #[error("{path} step {step} has inconsistent inputs")]
    Inputs {
        /// The file.
        path: PathBuf,
        /// The step index.
        step: usize,
        /// What is wrong.
        #[source]
        source: crate::InputError,
    },
}

/// A step's `inputs` object, field for field.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct InputsJson {
    pub n: usize,
    pub current_block: u64,
    #[serde(default = "default_tempo")]
    pub tempo: u16,
    #[serde(default)]
    pub last_mechanism_step_block: u64,
    pub activity_cutoff: u64,
    pub stake: Vec<u64>,
    #[serde(default)]
    pub stake_threshold: u64,
    #[serde(default)]
    pub owner_uid: Option<u16>,
    pub validator_permit: Vec<bool>,
    pub max_allowed_validators: u16,
    pub last_update: Vec<u64>,
    pub block_at_registration: Vec<u64>,
    pub weights: Vec<SparseRowU16>,
    #[serde(default)]
    pub bonds: Vec<SparseRowU16>,
    #[serde(default)]
    pub commit_block: Option<Vec<Option<u64>>>,
    #[serde(default)]
    pub hyperparameters: Hyperparameters,
    pub rao_emission: u64,
}

fn default_tempo() -> u16 {
    360
}

impl InputsJson {
    /// Converts to [`EpochInputs`], checking that `n` matches every per-uid vector (a missing
    /// `bonds` list means no bonds).
    ///
    /// # Errors
    ///
    /// [`crate::InputError`] when a length differs from `n`.
    pub fn to_inputs(&self) -> Result<EpochInputs, crate::InputError> {
        if self.stake.len() != self.n {
            return Err(crate::InputError::LengthMismatch {
                field: "stake",
                len: self.stake.len(),
                n: self.n,
            });
        }
        let inputs = EpochInputs {
            stake_fraction: Vec::new(),
            current_block: self.current_block,
            tempo: self.tempo,
            last_mechanism_step_block: self.last_mechanism_step_block,
            activity_cutoff: self.activity_cutoff,
            stake: self.stake.clone(),
            stake_threshold: self.stake_threshold,
            owner_uid: self.owner_uid,
            validator_permit: self.validator_permit.clone(),
            max_allowed_validators: self.max_allowed_validators,
            last_update: self.last_update.clone(),
            block_at_registration: self.block_at_registration.clone(),
            weights: self.weights.clone(),
            bonds: if self.bonds.is_empty() {
                vec![Vec::new(); self.n]
            } else {
                self.bonds.clone()
            },
            commit_block: self.commit_block.clone().unwrap_or_default(),
            hyperparameters: self.hyperparameters.clone(),
            rao_emission: self.rao_emission,
        };
        inputs.validate()?;
        Ok(inputs)
    }
}

impl From<&EpochInputs> for InputsJson {
    fn from(i: &EpochInputs) -> Self {
        Self {
            n: i.n(),
            current_block: i.current_block,
            tempo: i.tempo,
            last_mechanism_step_block: i.last_mechanism_step_block,
            activity_cutoff: i.activity_cutoff,
            stake: i.stake.clone(),
            stake_threshold: i.stake_threshold,
            owner_uid: i.owner_uid,
            validator_permit: i.validator_permit.clone(),
            max_allowed_validators: i.max_allowed_validators,
            last_update: i.last_update.clone(),
            block_at_registration: i.block_at_registration.clone(),
            weights: i.weights.clone(),
            bonds: i.bonds.clone(),
            commit_block: (!i.commit_block.is_empty()).then(|| i.commit_block.clone()),
            hyperparameters: i.hyperparameters.clone(),
            rao_emission: i.rao_emission,
        }
    }
}

/// The normative `expected` fields of a step; absent fields are not compared.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct Expected {
    pub active: Option<Vec<bool>>,
    pub new_validator_permit: Option<Vec<bool>>,
    pub stake_weight: Option<Vec<u16>>,
    pub consensus: Option<Vec<u16>>,
    pub incentive: Option<Vec<u16>>,
    pub dividends: Option<Vec<u16>>,
    pub validator_trust: Option<Vec<u16>>,
    pub server_emission: Option<Vec<u64>>,
    pub validator_emission: Option<Vec<u64>>,
    pub emission: Option<Vec<u64>>,
    pub bonds: Option<Vec<SparseRowU16>>,
}

impl From<&EpochOutputs> for Expected {
    fn from(o: &EpochOutputs) -> Self {
        Self {
            active: Some(o.active.clone()),
            new_validator_permit: Some(o.new_validator_permit.clone()),
            stake_weight: Some(o.stake_weight.clone()),
            consensus: Some(o.consensus.clone()),
            incentive: Some(o.incentive.clone()),
            dividends: Some(o.dividends.clone()),
            validator_trust: Some(o.validator_trust.clone()),
            server_emission: Some(o.server_emission.clone()),
            validator_emission: Some(o.validator_emission.clone()),
            emission: Some(o.emission.clone()),
            bonds: Some(o.bonds.clone()),
        }
    }
}

/// One epoch step of a vector file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Step {
    /// The epoch's inputs.
    pub inputs: InputsJson,
    /// The oracle's outputs.
    pub expected: Expected,
}

/// Reads every step of a vector file (a file without `steps` is a single step).
///
/// # Errors
///
/// [`VectorError::Io`] if the file cannot be read, [`VectorError::Json`] if it does not follow
/// the schema.
pub fn load(path: &Path) -> Result<Vec<Step>, VectorError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| VectorError::Io { path: path.to_owned(), source })?;
    parse(&text).map_err(|source| VectorError::Json { path: path.to_owned(), source })
}

/// Parses the steps of a vector file's text.
///
/// # Errors
///
/// The JSON error when the text does not follow the schema.
pub fn parse(text: &str) -> Result<Vec<Step>, serde_json::Error> {
    #[derive(Deserialize)]
    struct File {
        steps: Vec<Step>,
    }
    let value: serde_json::Value = serde_json::from_str(text)?;
    if value.get("steps").is_some() {
        Ok(serde_json::from_value::<File>(value)?.steps)
    } else {
        Ok(vec![serde_json::from_value::<Step>(value)?])
    }
}

/// One differing value: `field[index] expected x got y`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diff {
    /// The output field.
    pub field: &'static str,
    /// The index in it (`i` or `i][j` for bonds, `len` for a length mismatch).
    pub index: String,
    /// The expected value.
    pub expected: String,
    /// The computed value.
    pub got: String,
}

impl fmt::Display for Diff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}] expected {} got {}", self.field, self.index, self.expected, self.got)
    }
}

fn diff_vec<T: PartialEq + fmt::Display>(
    field: &'static str,
    want: &Option<Vec<T>>,
    got: &[T],
    out: &mut Vec<Diff>,
) {
    let Some(want) = want else { return };
    if want.len() != got.len() {
        out.push(Diff {
            field,
            index: "len".into(),
            expected: want.len().to_string(),
            got: got.len().to_string(),
        });
        return;
    }
    for (i, (w, g)) in want.iter().zip(got).enumerate() {
        if w != g {
            out.push(Diff {
                field,
                index: i.to_string(),
                expected: w.to_string(),
                got: g.to_string(),
            });
        }
    }
}

fn dense_row(row: &[(u16, u16)], n: usize) -> Vec<u16> {
    let mut d = vec![0u16; n];
    for &(j, v) in row {
        if let Some(x) = d.get_mut(usize::from(j)) {
            *x = v;
        }
    }
    d
}

/// Every difference between the expected fields and `got`, in the schema's field order.
pub fn compare(expected: &Expected, got: &EpochOutputs) -> Vec<Diff> {
    let mut out = Vec::new();
    diff_vec("active", &expected.active, &got.active, &mut out);
    diff_vec(
        "new_validator_permit",
        &expected.new_validator_permit,
        &got.new_validator_permit,
        &mut out,
    );
    diff_vec("stake_weight", &expected.stake_weight, &got.stake_weight, &mut out);
    diff_vec("consensus", &expected.consensus, &got.consensus, &mut out);
    diff_vec("incentive", &expected.incentive, &got.incentive, &mut out);
    diff_vec("dividends", &expected.dividends, &got.dividends, &mut out);
    diff_vec("validator_trust", &expected.validator_trust, &got.validator_trust, &mut out);
    diff_vec("server_emission", &expected.server_emission, &got.server_emission, &mut out);
    diff_vec("validator_emission", &expected.validator_emission, &got.validator_emission, &mut out);
    diff_vec("emission", &expected.emission, &got.emission, &mut out);
    if let Some(want) = &expected.bonds {
        let n = got.bonds.len();
        if want.len() != n {
            out.push(Diff {
                field: "bonds",
                index: "len".into(),
                expected: want.len().to_string(),
                got: n.to_string(),
            });
        } else {
            for (i, (w, g)) in want.iter().zip(&got.bonds).enumerate() {
                let (dw, dg) = (dense_row(w, n), dense_row(g, n));
                for (j, (a, b)) in dw.iter().zip(&dg).enumerate() {
                    if a != b {
                        out.push(Diff {
                            field: "bonds",
                            index: format!("{i}][{j}"),
                            expected: a.to_string(),
                            got: b.to_string(),
                        });
                    }
                }
            }
        }
    }
    out
}

/// Recomputes a step and compares it with its expected outputs.
///
/// # Errors
///
/// [`crate::InputError`] when the step's inputs are inconsistent.
pub fn run_step(step: &Step) -> Result<Vec<Diff>, crate::InputError> {
    let got = epoch(&step.inputs.to_inputs()?)?;
    Ok(compare(&step.expected, &got))
}
