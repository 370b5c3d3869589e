//! Weights as the chain takes them: relative numbers scaled to `u16`, the largest at 65535
//! (what the Python SDK does before `set_weights`).

/// Why weights cannot be scaled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WeightsError {
    /// A weight is NaN, infinite or negative.
    #[error("weights must be finite and non-negative")]
    NotFiniteOrNegative,
    /// Every weight is zero (or there are none).
    #[error("at least one weight must be positive")]
    NoneIsPositive,
}

/// Scales relative `weights` to `u16` with the largest at 65535, each rounded to the nearest.
///
/// # Errors
///
/// [`WeightsError::NotFiniteOrNegative`] if any weight is NaN, infinite or negative;
/// [`WeightsError::NoneIsPositive`] if none is above zero.
///
/// # Examples
///
/// ```
/// use rustensor_sdk::chain::scale_weights;
/// assert_eq!(scale_weights(&[0.5, 0.25, 0.0]), Ok(vec![65535, 32768, 0]));
/// ```
pub fn scale_weights(weights: &[f64]) -> Result<Vec<u16>, WeightsError> {
    if weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
        return Err(WeightsError::NotFiniteOrNegative);
    }
    let max = weights.iter().copied().fold(0.0_f64, f64::max);
    if max <= 0.0 {
        return Err(WeightsError::NoneIsPositive);
    }
    // In [0, 65535] by the checks above; the chain sees only the u16 values.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(weights.iter().map(|w| (w / max * f64::from(u16::MAX)).round() as u16).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_weights_scale_so_the_largest_is_u16_max() {
        assert_eq!(scale_weights(&[0.5, 0.25, 0.0]).expect("valid"), vec![65535, 32768, 0]);
        assert!(scale_weights(&[0.0, 0.0]).is_err());
        assert!(scale_weights(&[f64::NAN]).is_err());
        assert!(scale_weights(&[-1.0, 2.0]).is_err());
    }
}
