//! Neuron registration: `burned_register`, PoW `register`, `root_register`, uid assignment
//! and pruning, and the registration price dynamics (`reference/subtensor.md` §3).

use rustensor_primitives::{AccountId32, NetUid};

use super::storage::*;
use super::{Error, Result};
use crate::dispatch::DispatchContext;
use crate::storage::Kv;

/// The proof-of-work arguments of `register`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PowArgs {
    /// The block whose hash the work commits to.
    pub block_number: u64,
    /// The nonce.
    pub nonce: u64,
    /// The seal.
    pub work: Vec<u8>,
    /// The coldkey the hotkey binds to (PoW path).
    pub coldkey: AccountId32,
}

/// Appends `hotkey` as the next uid of `netuid` at block `now` (subtensor's
/// `append_neuron`): extends every per-uid vector and writes `Keys`, `Uids`,
/// `IsNetworkMember`, `BlockAtRegistration`. Returns the uid.
pub fn append_neuron(
    state: &mut (impl Kv + ?Sized),
    netuid: NetUid,
    hotkey: &AccountId32,
    now: u64,
) -> u16 {
    let uid = SubnetworkN::get(state, &netuid);
    SubnetworkN::insert(state, &netuid, &uid.saturating_add(1));
    Active::mutate(state, &netuid, |v| v.push(true));
    Emission::mutate(state, &netuid, |v| v.push(0));
    Consensus::mutate(state, &netuid, |v| v.push(0));
    Dividends::mutate(state, &netuid, |v| v.push(0));
    ValidatorTrust::mutate(state, &netuid, |v| v.push(0));
    ValidatorPermit::mutate(state, &netuid, |v| v.push(false));
    StakeWeight::mutate(state, &netuid, |v| v.push(0));
    Incentive::mutate(state, &netuid.0, |v| v.push(0));
    LastUpdate::mutate(state, &netuid.0, |v| v.push(now));
    Keys::insert(state, &netuid, &uid, hotkey);
    Uids::insert(state, &netuid, hotkey, &uid);
    IsNetworkMember::insert(state, hotkey, &netuid, &true);
    BlockAtRegistration::insert(state, &netuid, &uid, &now);
    uid
}

/// `register` (PoW arguments; see the module docs for when the work is checked).
///
/// # Errors
///
/// Not implemented yet.
pub fn register(
    _ctx: &mut DispatchContext<'_>,
    _signer: &AccountId32,
    _netuid: NetUid,
    _hotkey: &AccountId32,
    _pow: PowArgs,
) -> Result<()> {
    Err(Error::CallDisabled)
}

/// `burned_register` (and `register_limit` with `limit_price`).
///
/// # Errors
///
/// Not implemented yet.
pub fn burned_register(
    _ctx: &mut DispatchContext<'_>,
    _coldkey: &AccountId32,
    _netuid: NetUid,
    _hotkey: &AccountId32,
    _limit_price: Option<u64>,
) -> Result<()> {
    Err(Error::CallDisabled)
}

/// `root_register`.
///
/// # Errors
///
/// Not implemented yet.
pub fn root_register(
    _ctx: &mut DispatchContext<'_>,
    _coldkey: &AccountId32,
    _hotkey: &AccountId32,
) -> Result<()> {
    Err(Error::CallDisabled)
}

/// `try_associate_hotkey`.
///
/// # Errors
///
/// Not implemented yet.
pub fn try_associate_hotkey(
    _ctx: &mut DispatchContext<'_>,
    _coldkey: &AccountId32,
    _hotkey: &AccountId32,
) -> Result<()> {
    Err(Error::CallDisabled)
}
