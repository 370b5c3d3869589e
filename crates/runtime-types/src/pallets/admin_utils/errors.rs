//! `AdminUtils` errors: `pallet_admin_utils::Error`, every variant in subtensor's order, so that
//! `DispatchError::Module { index: 19, error: [i, 0, 0, 0] }` names the same error for clients.
//! Variants this implementation never returns are kept for their index.
//!
//! Wire format: variant indices; never reorder.

use parity_scale_codec::{Decode, Encode};

use super::PALLET_INDEX;
use crate::dispatch::DispatchError;

/// `pallet_admin_utils::Error`, in subtensor's order. Wire-visible (variant indices).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum Error {
    /// The subnet does not exist.
    SubnetDoesNotExist,
    /// `max_allowed_validators` above the subnet's `MaxAllowedUids`.
    MaxValidatorsLargerThanMaxUIds,
    /// `max_allowed_uids` below the subnet's current neuron count.
    MaxAllowedUIdsLessThanCurrentUIds,
    /// An owner's `bonds_moving_average` above 975 000.
    BondsMovingAverageMaxReached,
    /// A negative sigmoid steepness from anyone but root.
    NegativeSigmoidSteepness,
    /// A value outside its allowed bounds.
    ValueNotInBounds,
    /// `min_allowed_uids` not below the current neuron count.
    MinAllowedUidsGreaterThanCurrentUids,
    /// `min_allowed_uids` not below `MaxAllowedUids`.
    MinAllowedUidsGreaterThanMaxAllowedUids,
    /// `max_allowed_uids` below `MinAllowedUids`.
    MaxAllowedUidsLessThanMinAllowedUids,
    /// `max_allowed_uids` above the default maximum (256).
    MaxAllowedUidsGreaterThanDefaultMaxAllowedUids,
    /// A bad parameter value.
    InvalidValue,
    /// Not permitted on the root subnet.
    NotPermittedOnRootSubnet,
    /// Proof-of-work registration can no longer be toggled.
    POWRegistrationDisabled,
    /// The call is deprecated.
    Deprecated,
}

impl From<Error> for DispatchError {
    fn from(e: Error) -> Self {
        // Fieldless enum: the discriminant is the variant index.
        Self::module(PALLET_INDEX, e as u8)
    }
}
