//! `AdminUtils` events: `pallet_admin_utils::Event` with subtensor's variant indices and field
//! types. Most setters emit `SubtensorModule` events instead (as subtensor's do).
//!
//! Wire format: variant indices and field order; never reorder.

use parity_scale_codec::{Decode, Encode};
use rustensor_primitives::NetUid;

use super::PrecompileEnum;

/// `pallet_admin_utils::Event`. Wire-visible.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum Event {
    /// A precompile was enabled or disabled.
    #[codec(index = 0)]
    PrecompileUpdated {
        /// Which precompile.
        precompile_id: PrecompileEnum,
        /// Whether it is now enabled.
        enabled: bool,
    },
    /// Yuma3 was switched on or off for a subnet.
    #[codec(index = 1)]
    Yuma3EnableToggled {
        /// The subnet.
        netuid: NetUid,
        /// Whether Yuma3 is now on.
        enabled: bool,
    },
    /// Bonds reset was switched on or off for a subnet.
    #[codec(index = 2)]
    BondsResetToggled {
        /// The subnet.
        netuid: NetUid,
        /// Whether bonds reset is now on.
        enabled: bool,
    },
    /// A subnet's burn half-life was set.
    #[codec(index = 3)]
    BurnHalfLifeSet {
        /// The subnet.
        netuid: NetUid,
        /// The half-life in blocks.
        burn_half_life: u16,
    },
    /// A subnet's burn increase multiplier was set.
    #[codec(index = 4)]
    BurnIncreaseMultSet {
        /// The subnet.
        netuid: NetUid,
        /// The multiplier as `U64F64` bits.
        burn_increase_mult: u128,
    },
    /// Pool-side emission of a subnet was enabled or disabled.
    #[codec(index = 5)]
    SubnetEmissionEnabledSet {
        /// The subnet.
        netuid: NetUid,
        /// Whether it is now enabled.
        enabled: bool,
    },
}
