//! `set_weights`, `batch_set_weights`, `commit_weights`, `reveal_weights` and their batch
//! forms (`reference/subtensor.md` §5).

use parity_scale_codec::Compact;
use rustensor_primitives::{AccountId32, NetUid};

use super::{Error, Result};
use crate::dispatch::DispatchContext;

/// `set_weights`.
///
/// # Errors
///
/// Not implemented yet: [`Error::CallDisabled`].
pub fn set_weights(
    _ctx: &mut DispatchContext<'_>,
    _hotkey: &AccountId32,
    _netuid: NetUid,
    _dests: &[u16],
    _weights: &[u16],
    _version_key: u64,
) -> Result<()> {
    Err(Error::CallDisabled)
}

/// `batch_set_weights`.
///
/// # Errors
///
/// Not implemented yet: [`Error::CallDisabled`].
pub fn batch_set_weights(
    _ctx: &mut DispatchContext<'_>,
    _hotkey: &AccountId32,
    _netuids: &[Compact<NetUid>],
    _weights: &[Vec<(Compact<u16>, Compact<u16>)>],
    _version_keys: &[Compact<u64>],
) -> Result<()> {
    Err(Error::CallDisabled)
}

/// `commit_weights`.
///
/// # Errors
///
/// Not implemented yet: [`Error::CallDisabled`].
pub fn commit_weights(
    _ctx: &mut DispatchContext<'_>,
    _hotkey: &AccountId32,
    _netuid: NetUid,
    _commit_hash: [u8; 32],
) -> Result<()> {
    Err(Error::CallDisabled)
}

/// `batch_commit_weights`.
///
/// # Errors
///
/// Not implemented yet: [`Error::CallDisabled`].
pub fn batch_commit_weights(
    _ctx: &mut DispatchContext<'_>,
    _hotkey: &AccountId32,
    _netuids: &[Compact<NetUid>],
    _commit_hashes: &[[u8; 32]],
) -> Result<()> {
    Err(Error::CallDisabled)
}

/// `reveal_weights`.
///
/// # Errors
///
/// Not implemented yet: [`Error::CallDisabled`].
pub fn reveal_weights(
    _ctx: &mut DispatchContext<'_>,
    _hotkey: &AccountId32,
    _netuid: NetUid,
    _uids: &[u16],
    _values: &[u16],
    _salt: &[u16],
    _version_key: u64,
) -> Result<()> {
    Err(Error::CallDisabled)
}

/// `batch_reveal_weights`.
///
/// # Errors
///
/// Not implemented yet: [`Error::CallDisabled`].
pub fn batch_reveal_weights(
    _ctx: &mut DispatchContext<'_>,
    _hotkey: &AccountId32,
    _netuid: NetUid,
    _uids_list: &[Vec<u16>],
    _values_list: &[Vec<u16>],
    _salts_list: &[Vec<u16>],
    _version_keys: &[u64],
) -> Result<()> {
    Err(Error::CallDisabled)
}
