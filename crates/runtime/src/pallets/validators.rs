//! `Validators` (rustensor pallet index 100): who runs consensus in each epoch.
//!
//! The wire half (its calls, events, errors, storage items and structs) is
//! `rustensor_runtime_types::pallets::validators`, re-exported here.
//!
//! # Deviations from subtensor
//!
//! - The whole pallet is rustensor's own (subtensor has no such pallet); its index 100 is one
//!   subtensor does not use.

use crate::dispatch::Dispatchable;
use crate::dispatch::{
    DispatchContext, DispatchError, DispatchResultWithPostInfo, Origin, PostDispatchInfo,
};
use crate::pallets::system;
use crate::storage::{Kv, KvRead};
pub use rustensor_runtime_types::pallets::validators::*;

/// Runs the call from `origin`.
///
/// # Errors
///
/// `BadOrigin` unless root; the [`Error`] of an invalid set or a second schedule.
impl Dispatchable for Call {
    type Output = DispatchResultWithPostInfo;

    fn dispatch(self, ctx: &mut DispatchContext<'_>, origin: &Origin) -> Self::Output {
        origin.ensure_root()?;
        let Self::Schedule { validators } = self;
        check_set(&validators).map_err(DispatchError::from)?;
        if Next::exists(&*ctx.state) {
            return Err(DispatchError::from(Error::AlreadyScheduled).into());
        }
        let number = u64::from(system::Number::get(&*ctx.state));
        let epoch = epoch_of(&*ctx.state, number).saturating_add(1);
        let count = u32::try_from(validators.len()).unwrap_or(u32::MAX);
        Next::put(ctx.state, &EpochSet { epoch, validators });
        ctx.deposit_event(PALLET_INDEX, &Event::ValidatorSetScheduled { epoch, validators: count });
        Ok(PostDispatchInfo::default())
    }
}

/// The epoch of block `number` under the stored epoch length.
pub fn epoch_of(state: &(impl KvRead + ?Sized), number: u64) -> u64 {
    number.checked_div(EpochLength::get(state)).unwrap_or(0)
}

/// Whether block `number` is the last of its epoch (epoch length `length`).
pub fn is_boundary(length: u64, number: u64) -> bool {
    number.checked_add(1).and_then(|next| next.checked_rem(length)) == Some(0)
}

/// Checks a validator set: 1 to [`MAX_VALIDATORS`] entries, no key twice, canonical
/// non-small-order ed25519 keys (so commonware decodes every key this accepts), `host:port`
/// addresses.
///
/// # Errors
///
/// The first [`Error`] found.
pub fn check_set(validators: &[ValidatorInfo]) -> Result<(), Error> {
    if validators.is_empty() {
        return Err(Error::EmptySet);
    }
    if validators.len() > MAX_VALIDATORS {
        return Err(Error::TooManyValidators);
    }
    let mut keys = std::collections::BTreeSet::new();
    for validator in validators {
        if !keys.insert(validator.public_key) {
            return Err(Error::DuplicateKey);
        }
        if !is_valid_key(&validator.public_key) {
            return Err(Error::InvalidKey);
        }
        let address = std::str::from_utf8(&validator.address).map_err(|_| Error::InvalidAddress)?;
        if address.len() > MAX_ADDRESS_LEN || !is_host_port(address) {
            return Err(Error::InvalidAddress);
        }
    }
    Ok(())
}

/// Whether `key` is a canonical encoding of an ed25519 point that is not of small order.
pub fn is_valid_key(key: &[u8; 32]) -> bool {
    // `from_bytes` keeps the given bytes: re-compressing the point shows a non-canonical `y`.
    ed25519_dalek::VerifyingKey::from_bytes(key)
        .is_ok_and(|point| point.to_edwards().compress().to_bytes() == *key && !point.is_weak())
}

/// Whether `address` is `host:port` with a non-empty host and a port in 1..=65535.
pub fn is_host_port(address: &str) -> bool {
    address.rsplit_once(':').is_some_and(|(host, port)| {
        !host.is_empty() && port.parse::<u16>().is_ok_and(|port| port != 0)
    })
}

/// The block step at the end of block `System.Number`: on a boundary, rotates `Active` into
/// `Previous` and installs the next epoch's set (see the module docs).
pub fn on_finalize(ctx: &mut DispatchContext<'_>) {
    let length = EpochLength::get(&*ctx.state);
    let number = u64::from(system::Number::get(&*ctx.state));
    if !is_boundary(length, number) {
        return;
    }
    let epoch = number.saturating_add(1).checked_div(length).unwrap_or(0);
    let active = Active::get(&*ctx.state).unwrap_or_default();
    let scheduled = Next::take(ctx.state);
    let changed = scheduled.as_ref().is_some_and(|next| next.validators != active.validators);
    let validators = scheduled.map_or_else(|| active.validators.clone(), |next| next.validators);
    let count = u32::try_from(validators.len()).unwrap_or(u32::MAX);
    Previous::put(ctx.state, &active);
    Active::put(ctx.state, &EpochSet { epoch, validators });
    if changed {
        ctx.deposit_event(PALLET_INDEX, &Event::NewValidatorSet { epoch, validators: count });
    }
}

/// Genesis: the epoch length and epoch 0's set (no event).
pub fn build_genesis(
    state: &mut (impl Kv + ?Sized),
    epoch_length: u64,
    validators: Vec<ValidatorInfo>,
) {
    EpochLength::put(state, &epoch_length);
    Active::put(state, &EpochSet { epoch: 0, validators });
}

#[cfg(test)]
mod tests;
