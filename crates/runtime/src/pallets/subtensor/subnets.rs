//! Subnets: creation (`register_network`), the lock cost, `start_call`, identities, pruning
//! and dissolution, and the root subnet (`reference/subtensor.md` §2, §3.6).

use rustensor_primitives::{AccountId32, NetUid};

use super::storage::*;
use super::types::{ChainIdentityV2, SubnetIdentityV3};
use super::{Error, ROOT, Result, TAO};
use crate::dispatch::DispatchContext;
use crate::storage::Kv;

/// The hyperparameters `register_network` writes for a new subnet (subtensor's
/// `init_new_network`), and what tests and genesis use to create one directly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewSubnet {
    /// `Tempo` (360 in production).
    pub tempo: u16,
    /// `MaxAllowedUids` (256).
    pub max_allowed_uids: u16,
    /// `MaxAllowedValidators` (64).
    pub max_allowed_validators: u16,
    /// `MinAllowedWeights` (1).
    pub min_allowed_weights: u16,
    /// `ImmunityPeriod` (5000).
    pub immunity_period: u16,
    /// `Burn`, the first registration price (1 TAO).
    pub burn: u64,
}

impl Default for NewSubnet {
    fn default() -> Self {
        Self {
            tempo: 360,
            max_allowed_uids: 256,
            max_allowed_validators: 64,
            min_allowed_weights: 1,
            immunity_period: 5000,
            burn: TAO,
        }
    }
}

/// Writes the per-subnet state of a new dynamic subnet `netuid` at block `now` (subtensor's
/// `init_new_network` plus the registry entries): existence, owner, tempo and the staggered
/// `LastEpochBlock`, the new-subnet hyperparameters. No pool, no neurons.
pub fn init_network(
    state: &mut (impl Kv + ?Sized),
    netuid: NetUid,
    owner_coldkey: &AccountId32,
    owner_hotkey: &AccountId32,
    params: &NewSubnet,
    now: u64,
) {
    NetworksAdded::insert(state, &netuid, &true);
    SubnetworkN::insert(state, &netuid, &0);
    Tempo::insert(state, &netuid, &params.tempo);
    let stagger = u64::from(netuid.0).checked_rem(u64::from(params.tempo)).unwrap_or(0);
    LastEpochBlock::insert(state, &netuid, &now.saturating_sub(stagger));
    NetworkRegistrationAllowed::insert(state, &netuid, &true);
    MaxAllowedUids::insert(state, &netuid, &params.max_allowed_uids);
    MaxAllowedValidators::insert(state, &netuid, &params.max_allowed_validators);
    MinAllowedWeights::insert(state, &netuid, &params.min_allowed_weights);
    ImmunityPeriod::insert(state, &netuid, &params.immunity_period);
    Yuma3On::insert(state, &netuid, &true);
    Burn::insert(state, &netuid, &params.burn);
    SubnetOwner::insert(state, &netuid, owner_coldkey);
    SubnetOwnerHotkey::insert(state, &netuid, owner_hotkey);
    SubnetMechanism::insert(state, &netuid, &if netuid == ROOT { 0 } else { 1 });
    NetworkRegisteredAt::insert(state, &netuid, &now);
    RegisteredSubnetCounter::mutate(state, &netuid, |c| *c = c.saturating_add(1));
    TotalNetworks::mutate(state, |n| *n = n.saturating_add(1));
}

/// `register_network` / `register_network_with_identity`.
///
/// # Errors
///
/// Not implemented yet.
pub fn register_network(
    _ctx: &mut DispatchContext<'_>,
    _coldkey: &AccountId32,
    _hotkey: &AccountId32,
    _identity: Option<SubnetIdentityV3>,
) -> Result<NetUid> {
    Err(Error::CallDisabled)
}

/// `dissolve_network` / `root_dissolve_network` (root origin checked by the caller).
///
/// # Errors
///
/// Not implemented yet.
pub fn dissolve_network(_ctx: &mut DispatchContext<'_>, _netuid: NetUid) -> Result<()> {
    Err(Error::CallDisabled)
}

/// `start_call`.
///
/// # Errors
///
/// Not implemented yet.
pub fn start_call(
    _ctx: &mut DispatchContext<'_>,
    _coldkey: &AccountId32,
    _netuid: NetUid,
) -> Result<()> {
    Err(Error::CallDisabled)
}

/// `set_subnet_identity`.
///
/// # Errors
///
/// Not implemented yet.
pub fn set_subnet_identity(
    _ctx: &mut DispatchContext<'_>,
    _coldkey: &AccountId32,
    _netuid: NetUid,
    _identity: SubnetIdentityV3,
) -> Result<()> {
    Err(Error::CallDisabled)
}

/// `set_identity`.
///
/// # Errors
///
/// Not implemented yet.
pub fn set_identity(
    _ctx: &mut DispatchContext<'_>,
    _coldkey: &AccountId32,
    _identity: ChainIdentityV2,
) -> Result<()> {
    Err(Error::CallDisabled)
}
