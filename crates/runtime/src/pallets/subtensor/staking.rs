//! Staking calls: `add_stake`, `remove_stake`, `move_stake`, `transfer_stake`, `swap_stake`,
//! their `_limit` forms, `unstake_all(_alpha)`, `recycle_alpha`/`burn_alpha`, and delegate
//! take (`reference/subtensor.md` §6).

use super::Call;
use crate::dispatch::{DispatchContext, DispatchError, Origin};

/// Runs a staking call.
///
/// # Errors
///
/// Not implemented yet: `CallDisabled`.
pub fn dispatch(
    _ctx: &mut DispatchContext<'_>,
    origin: &Origin,
    _call: Call,
) -> Result<(), DispatchError> {
    origin.ensure_signed()?;
    Err(super::Error::CallDisabled.into())
}
