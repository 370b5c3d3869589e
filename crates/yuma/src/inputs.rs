//! What one epoch reads: the subnet's state at the epoch block (`reference/yuma.md` §3).

/// One sparse matrix row: `(column uid, value)` pairs in storage order.
///
/// Order and explicit zeros are significant (`reference/yuma.md` §8): subtensor stores weight
/// rows in submission order and keeps `(j, 0)` entries, and Yuma 3 with liquid alpha treats an
/// explicit zero differently from an absent entry.
pub type SparseRowU16 = Vec<(u16, u16)>;

/// The subnet hyperparameters the epoch reads, in their stored (integer) form.
///
/// With the `vectors` feature it (de)serializes as the vector schema's `hyperparameters`
/// object, missing fields taking subtensor's defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "vectors", derive(serde::Serialize, serde::Deserialize), serde(default))]
pub struct Hyperparameters {
    /// `Kappa`, the consensus majority as a u16 proportion (default 32767 ≈ 0.5).
    pub kappa: u16,
    /// `BondsPenalty` β as a u16 proportion (default 65535 = 1.0).
    pub bonds_penalty: u16,
    /// `BondsMovingAverage` per 10⁶ (default 900 000, so the EMA α is 0.1).
    pub bonds_moving_average: u64,
    /// `Yuma3On`: relative (Yuma 3) bonds instead of the legacy (Yuma 2) ones.
    pub yuma3_enabled: bool,
    /// `LiquidAlphaOn`: per-entry sigmoid α (only has an effect with Yuma 3).
    pub liquid_alpha_enabled: bool,
    /// Lower α bound as a u16 proportion (default 45875 ≈ 0.7).
    pub alpha_low: u16,
    /// Upper α bound as a u16 proportion (default 58982 ≈ 0.9).
    pub alpha_high: u16,
    /// `AlphaSigmoidSteepness` (default 1000).
    pub alpha_sigmoid_steepness: i16,
    /// `CommitRevealWeightsEnabled`: mask weights committed before a miner registered.
    pub commit_reveal_enabled: bool,
}

impl Default for Hyperparameters {
    /// subtensor's runtime defaults.
    fn default() -> Self {
        Self {
            kappa: 32767,
            bonds_penalty: 65535,
            bonds_moving_average: 900_000,
            yuma3_enabled: false,
            liquid_alpha_enabled: false,
            alpha_low: 45875,
            alpha_high: 58982,
            alpha_sigmoid_steepness: 1000,
            commit_reveal_enabled: false,
        }
    }
}

/// Everything one epoch of one subnet (mechanism 0) reads. Every per-uid vector has length
/// `n`, the number of registered uids.
///
/// The field names follow the conformance-vector schema (`reference/yuma.md` §9).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct EpochInputs {
    /// Current block number.
    pub current_block: u64,
    /// `Tempo` of the subnet.
    pub tempo: u16,
    /// `LastMechansimStepBlock`: block of the previous epoch, 0 if never (§4.9).
    pub last_mechanism_step_block: u64,
    /// Activity cutoff in blocks (already derived from the per-mille factor).
    pub activity_cutoff: u64,
    /// Stake weight of each uid in rao (alpha stake + TAO stake × TAO weight), integer part.
    pub stake: Vec<u64>,
    /// The fractional part of each stake weight, as the low 64 bits of its `I64F64` value
    /// (subtensor keeps the fraction that `TAO stake × TAO weight` leaves). Empty means zero
    /// fractions (the conformance vectors have integer stakes); otherwise one per uid.
    pub stake_fraction: Vec<u64>,
    /// `StakeThreshold`: uids below it (other than the owner) count as zero stake.
    pub stake_threshold: u64,
    /// The subnet owner's uid, if the owner hotkey is registered.
    pub owner_uid: Option<u16>,
    /// `ValidatorPermit` from the previous epoch.
    pub validator_permit: Vec<bool>,
    /// `MaxAllowedValidators` (K of the top-k permit rule).
    pub max_allowed_validators: u16,
    /// `LastUpdate`: block each uid last set weights (or registered).
    pub last_update: Vec<u64>,
    /// `BlockAtRegistration` of each uid.
    pub block_at_registration: Vec<u64>,
    /// Stored weight rows (`Weights`), max-upscaled u16 values, in storage order.
    pub weights: Vec<SparseRowU16>,
    /// Stored bond rows (`Bonds`) from the previous epoch.
    pub bonds: Vec<SparseRowU16>,
    /// Earliest unexpired weight-commit block of each uid, if any (used only when
    /// commit-reveal is enabled). An empty vector means "no commits".
    pub commit_block: Vec<Option<u64>>,
    /// Subnet hyperparameters.
    pub hyperparameters: Hyperparameters,
    /// Rao to distribute in this epoch.
    pub rao_emission: u64,
}

impl EpochInputs {
    /// The number of uids, `n`.
    pub fn n(&self) -> usize {
        self.stake.len()
    }

    /// Checks that every per-uid vector has length `n` and that `n` fits a u16 uid space.
    ///
    /// # Errors
    ///
    /// [`InputError::TooManyUids`] when `n > 65536`, [`InputError::LengthMismatch`] naming the
    /// first field whose length differs from `stake`'s.
    pub fn validate(&self) -> Result<(), InputError> {
        let n = self.n();
        if n > usize::from(u16::MAX) + 1 {
            return Err(InputError::TooManyUids { n });
        }
        let lens: [(&'static str, usize); 7] = [
            ("validator_permit", self.validator_permit.len()),
            ("last_update", self.last_update.len()),
            ("block_at_registration", self.block_at_registration.len()),
            ("weights", self.weights.len()),
            ("bonds", self.bonds.len()),
            (
                "commit_block",
                if self.commit_block.is_empty() { n } else { self.commit_block.len() },
            ),
            (
                "stake_fraction",
                if self.stake_fraction.is_empty() { n } else { self.stake_fraction.len() },
            ),
        ];
        for (field, len) in lens {
            if len != n {
                return Err(InputError::LengthMismatch { field, len, n });
            }
        }
        Ok(())
    }
}

/// Inputs that cannot describe a subnet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// A per-uid vector does not have one entry per uid.
    #[error("`{field}` has {len} entries but the subnet has n = {n} uids (the length of `stake`)")]
    LengthMismatch {
        /// The offending field.
        field: &'static str,
        /// Its length.
        len: usize,
        /// The number of uids.
        n: usize,
    },
    /// More uids than a u16 can address.
    #[error("a subnet has at most 65536 uids, got n = {n}")]
    TooManyUids {
        /// The number of uids.
        n: usize,
    },
}
