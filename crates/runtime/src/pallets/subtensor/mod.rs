//! `SubtensorModule` (pallet index 7): subnets, neurons, weights, stake and emission — the
//! Bittensor part of the chain (`reference/subtensor.md`). This is the execution half; the
//! wire half (calls, events, errors, storage items, runtime-API structs) is
//! `rustensor_runtime_types::pallets::subtensor`, re-exported here.
//!
//! Plain functions over the storage layer, one file per concern; [`calls`] routes each decoded
//! [`Call`] to them.
//!
//! | module | holds |
//! | --- | --- |
//! | [`calls`] | what each call does: the exhaustive match from [`Call`] to the functions below |
//! | [`rate_limit`] | the rate-limit rule and owner limits over `LastRateLimitedBlock` |
//! | [`subnets`] | `register_network`, lock cost, `start_call`, pruning and dissolution, root subnet |
//! | [`registration`] | `burned_register`, PoW `register`, `root_register`, uid assignment and pruning, burn dynamics |
//! | [`serving`] | `serve_axon`, `serve_prometheus` |
//! | [`weights`] | `set_weights`, `commit_weights`, `reveal_weights` |
//! | [`share_pool`] | share pools: stake positions `(hotkey, coldkey, netuid)` as alpha |
//! | [`swap`] | the per-subnet TAO/alpha pool (constant product) |
//! | [`staking`] | `add_stake`, `remove_stake`, `move/transfer/swap_stake` and their `_limit` forms, take |
//! | [`emission`] | per-block emission, injection, epoch scheduling, the Yuma epoch and its payouts |
//! | [`genesis`] | the root subnet, chain-spec settings and genesis subnets |
//! | [`tempo_control`] | owner-or-root checks, owner rate limits, the admin freeze window, `set_tempo`, `trigger_epoch` |
//! | [`runtime_api`] | the runtime APIs' answers: metagraph, neuron info, dynamic info, hyperparameters, stake info, delegates |
//! | [`symbols`] | the token symbol of each netuid |
//!
//! Determinism: where subtensor iterates hashed storage maps we iterate netuids in ascending
//! numeric order and other maps in ascending key-byte order (`ARCHITECTURE.md` §2). Balance
//! arithmetic is checked or saturating.

pub mod calls;
pub mod emission;
pub mod genesis;
pub mod rate_limit;
pub mod registration;
pub mod runtime_api;
pub mod serving;
pub mod share_pool;
pub mod staking;
pub mod subnets;
pub mod swap;
pub mod symbols;
pub mod tempo_control;
pub mod weights;

pub use rustensor_runtime_types::pallets::subtensor::*;

use rustensor_primitives::{AccountId32, NetUid};

use crate::dispatch::DispatchContext;
use crate::pallets::system;
use crate::storage::KvRead;
use storage::{NetworksAdded, Owner, SubnetOwner};

/// The current block number (`System.Number`), widened as subtensor does.
pub fn current_block(state: &(impl KvRead + ?Sized)) -> u64 {
    u64::from(system::Number::get(state))
}

/// Records `event` of this pallet.
pub fn deposit_event(ctx: &mut DispatchContext<'_>, event: Event) {
    ctx.deposit_event(PALLET_INDEX, &event);
}

/// Every existing netuid, in ascending numeric order (the module's deterministic iteration
/// order; hashed keys are not numerically ordered).
pub fn netuids(state: &(impl KvRead + ?Sized)) -> Vec<NetUid> {
    let mut all: Vec<NetUid> =
        NetworksAdded::iter(state).filter(|(_, added)| *added).map(|(n, _)| n).collect();
    // Identity-hashed little-endian keys are not in numeric order past 255.
    all.sort_unstable();
    all
}

/// The uid of the subnet owner's hotkey on `netuid`, if it is registered there.
pub fn owner_uid(state: &(impl KvRead + ?Sized), netuid: NetUid) -> Option<u16> {
    let owner_hotkey = storage::SubnetOwnerHotkey::try_get(state, &netuid)?;
    storage::Uids::get(state, &netuid, &owner_hotkey)
}

/// Whether `netuid` exists.
pub fn subnet_exists(state: &(impl KvRead + ?Sized), netuid: NetUid) -> bool {
    NetworksAdded::get(state, &netuid)
}

/// `SubnetNotExists` unless `netuid` exists.
///
/// # Errors
///
/// [`Error::SubnetNotExists`].
pub fn ensure_subnet_exists(state: &(impl KvRead + ?Sized), netuid: NetUid) -> Result<()> {
    if subnet_exists(state, netuid) { Ok(()) } else { Err(Error::SubnetNotExists) }
}

/// Whether `hotkey` is bound to some coldkey (`Owner[hotkey]` set).
pub fn hotkey_account_exists(state: &(impl KvRead + ?Sized), hotkey: &AccountId32) -> bool {
    storage::Owner::contains_key(state, hotkey)
}

/// The coldkey owning `hotkey` (the zero account if none).
pub fn owning_coldkey(state: &(impl KvRead + ?Sized), hotkey: &AccountId32) -> AccountId32 {
    Owner::get(state, hotkey)
}

/// Whether `coldkey` owns `hotkey`.
pub fn coldkey_owns_hotkey(
    state: &(impl KvRead + ?Sized),
    coldkey: &AccountId32,
    hotkey: &AccountId32,
) -> bool {
    Owner::try_get(state, hotkey).is_some_and(|owner| owner == *coldkey)
}

/// Whether `coldkey` owns subnet `netuid`.
pub fn is_subnet_owner(
    state: &(impl KvRead + ?Sized),
    coldkey: &AccountId32,
    netuid: NetUid,
) -> bool {
    subnet_exists(state, netuid) && SubnetOwner::get(state, &netuid) == *coldkey
}

/// The account holding a subnet's pool TAO: `PalletId(*b"subtensr")`'s sub-account for
/// `netuid` (`b"modl" ++ b"subtensr" ++ SCALE(netuid)`, zero-padded), as subtensor derives it.
pub fn subnet_account_id(netuid: NetUid) -> AccountId32 {
    let mut bytes = [0u8; 32];
    bytes[..4].copy_from_slice(b"modl");
    bytes[4..12].copy_from_slice(&storage::SUBTENSOR_PALLET_ID);
    bytes[12..14].copy_from_slice(&netuid.0.to_le_bytes());
    AccountId32(bytes)
}

/// Whether `who` is a pallet system account (subnet or burn account), which may never be
/// used as a hotkey (`CannotUseSystemAccount`).
pub fn is_system_account(who: &AccountId32) -> bool {
    who.0[..4] == *b"modl"
}

/// Binds `hotkey` to `coldkey` if it is unbound (`create_account_if_non_existent`): sets
/// `Owner`, appends to `OwnedHotkeys`, and appends to `StakingHotkeys`.
pub fn create_account_if_non_existent(
    state: &mut (impl crate::storage::Kv + ?Sized),
    coldkey: &AccountId32,
    hotkey: &AccountId32,
) {
    if hotkey_account_exists(state, hotkey) {
        return;
    }
    Owner::insert(state, hotkey, coldkey);
    storage::OwnedHotkeys::mutate(state, coldkey, |hotkeys| {
        if !hotkeys.contains(hotkey) {
            hotkeys.push(*hotkey);
        }
    });
    storage::StakingHotkeys::mutate(state, coldkey, |hotkeys| {
        if !hotkeys.contains(hotkey) {
            hotkeys.push(*hotkey);
        }
    });
}

/// Genesis with no subnets and default settings: the root subnet (owned by `root_owner`, the
/// zero account if none) and `SubtensorModule.TotalIssuance` equal to the balances' issuance
/// `total_issuance`. See [`genesis::build`] for the full form.
pub fn build_genesis(
    state: &mut (impl crate::storage::Kv + ?Sized),
    root_owner: Option<&AccountId32>,
    total_issuance: u64,
) {
    genesis::build(state, root_owner, total_issuance, &genesis::GenesisConfig::default(), &[]);
}

#[cfg(test)]
pub(crate) mod tests;
