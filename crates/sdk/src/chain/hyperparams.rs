//! The subnet hyperparameters an owner (or the chain's sudo key) can set, and the
//! `AdminUtils` call that sets each.
//!
//! [`HYPERPARAMETERS`] is the one table: [`hyperparameter_call`] parses a name and a value
//! through it, and a command's help text lists its names from it, so the two cannot drift.

use rustensor_primitives::NetUid;
use rustensor_runtime_types::pallets::admin_utils::Call;

/// What kind of value a hyperparameter takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// `true`/`false` (also `1`/`0`, `on`/`off`, `yes`/`no`).
    Flag,
    /// A whole number in the range of the call's field.
    Number,
}

impl ValueKind {
    /// What the value must look like, for error messages: "true or false", "a whole number".
    pub fn expected(self) -> &'static str {
        match self {
            Self::Flag => "true or false",
            Self::Number => "a whole number",
        }
    }
}

/// One settable hyperparameter: its name, its kind of value and how to build its call.
#[derive(Clone, Copy, Debug)]
pub struct Hyperparameter {
    /// The name users give (`kappa`, `commit_reveal_weights_enabled`).
    pub name: &'static str,
    /// The kind of value it takes.
    pub kind: ValueKind,
    /// Only the chain's sudo key may set it, not the subnet owner.
    pub sudo_only: bool,
    /// Builds the call from the value text; `None` if the text does not parse.
    build: fn(NetUid, &str) -> Option<Call>,
}

impl Hyperparameter {
    /// The `AdminUtils` call setting this hyperparameter on `netuid` to `value`.
    ///
    /// # Errors
    ///
    /// [`HyperparamError::BadValue`] if `value` is not of the hyperparameter's kind (or out
    /// of its field's range).
    pub fn call(&self, netuid: NetUid, value: &str) -> Result<Call, HyperparamError> {
        (self.build)(netuid, value).ok_or_else(|| HyperparamError::BadValue {
            name: self.name,
            kind: self.kind,
            value: value.to_owned(),
        })
    }
}

/// Why a hyperparameter could not be turned into a call.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HyperparamError {
    /// No hyperparameter has this name.
    #[error("unknown hyperparameter {name:?}")]
    Unknown {
        /// The name given.
        name: String,
    },
    /// The value is not of the hyperparameter's kind.
    #[error("{name} takes {}, not {value:?}", kind.expected())]
    BadValue {
        /// The hyperparameter.
        name: &'static str,
        /// The kind of value it takes.
        kind: ValueKind,
        /// The value given.
        value: String,
    },
}

/// Parses a flag: `true`/`1`/`on`/`yes` or `false`/`0`/`off`/`no`.
pub fn parse_flag(value: &str) -> Option<bool> {
    match value {
        "true" | "1" | "on" | "yes" => Some(true),
        "false" | "0" | "off" | "no" => Some(false),
        _ => None,
    }
}

macro_rules! flag {
    ($name:literal, $variant:ident, $field:ident) => {
        Hyperparameter {
            name: $name,
            kind: ValueKind::Flag,
            sudo_only: false,
            build: |netuid, v| Some(Call::$variant { netuid, $field: parse_flag(v)? }),
        }
    };
}

macro_rules! number {
    ($name:literal, $variant:ident, $field:ident) => {
        number!($name, $variant, $field, false)
    };
    ($name:literal, $variant:ident, $field:ident, $sudo_only:expr) => {
        Hyperparameter {
            name: $name,
            kind: ValueKind::Number,
            sudo_only: $sudo_only,
            build: |netuid, v| Some(Call::$variant { netuid, $field: v.parse().ok()? }),
        }
    };
}

/// Every hyperparameter [`hyperparameter_call`] knows, in the order help text lists them.
pub const HYPERPARAMETERS: &[Hyperparameter] = &[
    flag!("commit_reveal_weights_enabled", SudoSetCommitRevealWeightsEnabled, enabled),
    number!("weights_rate_limit", SudoSetWeightsSetRateLimit, weights_set_rate_limit),
    number!("immunity_period", SudoSetImmunityPeriod, immunity_period),
    number!("min_allowed_weights", SudoSetMinAllowedWeights, min_allowed_weights),
    number!("min_allowed_uids", SudoSetMinAllowedUids, min_allowed_uids),
    number!("max_allowed_uids", SudoSetMaxAllowedUids, max_allowed_uids),
    number!("kappa", SudoSetKappa, kappa),
    number!("rho", SudoSetRho, rho),
    number!("activity_cutoff", SudoSetActivityCutoff, activity_cutoff),
    flag!("registration_allowed", SudoSetNetworkRegistrationAllowed, registration_allowed),
    flag!("pow_registration_allowed", SudoSetNetworkPowRegistrationAllowed, registration_allowed),
    number!("max_allowed_validators", SudoSetMaxAllowedValidators, max_allowed_validators),
    number!("min_burn", SudoSetMinBurn, min_burn),
    number!("max_burn", SudoSetMaxBurn, max_burn),
    number!("bonds_moving_average", SudoSetBondsMovingAverage, bonds_moving_average),
    flag!("liquid_alpha_enabled", SudoSetLiquidAlphaEnabled, enabled),
    number!("commit_reveal_period", SudoSetCommitRevealWeightsInterval, interval),
    number!("serving_rate_limit", SudoSetServingRateLimit, serving_rate_limit),
    number!("tempo", SudoSetTempo, tempo, true),
    number!("weights_version_key", SudoSetWeightsVersionKey, weights_version_key),
    number!("difficulty", SudoSetDifficulty, difficulty),
    number!("min_difficulty", SudoSetMinDifficulty, min_difficulty),
    number!("max_difficulty", SudoSetMaxDifficulty, max_difficulty),
];

/// The hyperparameter called `name`, if there is one.
pub fn hyperparameter(name: &str) -> Option<&'static Hyperparameter> {
    HYPERPARAMETERS.iter().find(|h| h.name == name)
}

/// The `AdminUtils` call that sets `param` on `netuid` to `value`.
///
/// # Errors
///
/// [`HyperparamError::Unknown`] for a name not in [`HYPERPARAMETERS`],
/// [`HyperparamError::BadValue`] for a value of the wrong kind.
pub fn hyperparameter_call(
    netuid: NetUid,
    param: &str,
    value: &str,
) -> Result<Call, HyperparamError> {
    hyperparameter(param)
        .ok_or_else(|| HyperparamError::Unknown { name: param.to_owned() })?
        .call(netuid, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_hyperparameters_map_to_their_admin_calls_and_bad_values_are_named() {
        let call = hyperparameter_call(NetUid(3), "commit_reveal_weights_enabled", "false")
            .expect("valid");
        assert_eq!(
            call,
            Call::SudoSetCommitRevealWeightsEnabled { netuid: NetUid(3), enabled: false }
        );
        let err = hyperparameter_call(NetUid(3), "kappa", "lots").expect_err("not a number");
        assert!(err.to_string().contains("kappa takes a whole number"));
        let err = hyperparameter_call(NetUid(3), "colour", "1").expect_err("unknown");
        assert!(err.to_string().contains("unknown hyperparameter"));
    }

    #[test]
    fn test_hyperparameter_names_are_unique_and_every_one_builds_a_call() {
        let mut names: Vec<&str> = HYPERPARAMETERS.iter().map(|h| h.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), HYPERPARAMETERS.len());
        for h in HYPERPARAMETERS {
            let value = match h.kind {
                ValueKind::Flag => "true",
                ValueKind::Number => "1",
            };
            assert!(h.call(NetUid(1), value).is_ok(), "{} does not take {value}", h.name);
        }
        assert_eq!(
            hyperparameter_call(NetUid(2), "tempo", "20"),
            Ok(Call::SudoSetTempo { netuid: NetUid(2), tempo: 20 })
        );
        assert!(hyperparameter_call(NetUid(2), "tempo", "70000").is_err(), "tempo is a u16");
    }
}
