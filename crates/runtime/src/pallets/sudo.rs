//! `Sudo` (pallet index 12): one key that may dispatch calls as root.
//!
//! The wire half (its calls, events, errors, storage items and structs) is
//! `rustensor_runtime_types::pallets::sudo`, re-exported here.
//!
//! # Deviations from subtensor
//!
//! - Weights are constants chosen here ([`SUDO_WEIGHT`]), not pallet_sudo's benchmarks.

use super::RuntimeCall;
use crate::dispatch::Dispatchable;
use crate::dispatch::{
    DispatchContext, DispatchError, DispatchResultWithPostInfo, Origin, PostDispatchInfo,
};
use crate::extrinsic::InvalidTransaction;
use crate::storage::{Kv, KvRead};
use rustensor_primitives::AccountId32;
pub use rustensor_runtime_types::pallets::sudo::*;

/// Runs the call from `origin`.
///
/// # Errors
///
/// `BadOrigin` from root; [`Error::RequireSudo`] if the signer is not the key;
/// `CannotLookup` for a non-`Id` address.
impl Dispatchable for Call {
    type Output = DispatchResultWithPostInfo;

    fn dispatch(self, ctx: &mut DispatchContext<'_>, origin: &Origin) -> Self::Output {
        let who = *origin.ensure_signed()?;
        ensure_sudo(&*ctx.state, &who).map_err(DispatchError::from)?;
        match self {
            Self::Sudo(call) | Self::SudoUncheckedWeight(call, _) => {
                let sudo_result = dispatch_inner(ctx, Origin::Root, *call);
                ctx.deposit_event(PALLET_INDEX, &Event::Sudid { sudo_result });
            }
            Self::SudoAs(target, call) => {
                let target = target.lookup()?;
                let sudo_result = dispatch_inner(ctx, Origin::Signed(target), *call);
                ctx.deposit_event(PALLET_INDEX, &Event::SudoAsDone { sudo_result });
            }
            Self::SetKey(new) => {
                let new = new.lookup()?;
                Key::put(ctx.state, &new);
                ctx.deposit_event(PALLET_INDEX, &Event::KeyChanged { old: Some(who), new });
            }
            Self::RemoveKey => {
                Key::kill(ctx.state);
                ctx.deposit_event(PALLET_INDEX, &Event::KeyRemoved);
            }
        }
        Ok(PostDispatchInfo::FREE)
    }
}

/// Runs `call` from `origin` in its own layer and returns its bare result.
fn dispatch_inner(
    ctx: &mut DispatchContext<'_>,
    origin: Origin,
    call: RuntimeCall,
) -> Result<(), DispatchError> {
    ctx.transactional(|inner| call.dispatch(inner, &origin)).map(|_| ()).map_err(|e| e.error)
}

/// `Ok` if `who` is the sudo key.
///
/// # Errors
///
/// [`Error::RequireSudo`] otherwise, or when there is no key.
pub fn ensure_sudo(state: &(impl KvRead + ?Sized), who: &AccountId32) -> Result<(), Error> {
    if Key::get(state).as_ref() == Some(who) { Ok(()) } else { Err(Error::RequireSudo) }
}

/// Subtensor's `SudoTransactionExtension::validate`: a top-level `Sudo` call (`call[0]` is
/// [`PALLET_INDEX`]) must be signed by the sudo key.
///
/// # Errors
///
/// `InvalidTransaction::BadSigner` if it is not, or if there is no key.
pub fn validate_signer(
    state: &(impl KvRead + ?Sized),
    signer: &AccountId32,
    call: &[u8],
) -> Result<(), InvalidTransaction> {
    if call.first() == Some(&PALLET_INDEX) && ensure_sudo(state, signer).is_err() {
        return Err(InvalidTransaction::BadSigner);
    }
    Ok(())
}

/// Genesis: sets the sudo key (no event), if any.
pub fn build_genesis(state: &mut (impl Kv + ?Sized), key: Option<&AccountId32>) {
    if let Some(key) = key {
        Key::put(state, key);
    }
}

#[cfg(test)]
mod tests;
