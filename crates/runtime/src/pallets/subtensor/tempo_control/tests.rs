//! Tests of the owner tempo calls (`set_tempo`, `trigger_epoch`, `set_activity_cutoff_factor`,
//! call indices 139–141): who may call them, their bounds and cool-downs, and the freeze window.

#![allow(clippy::arithmetic_side_effects, reason = "test arithmetic on small known values")]

use crate::dispatch::{DispatchContext, DispatchError, Dispatchable, Origin};
use crate::events::Phase;
use crate::pallets::admin_utils::Call;
use crate::pallets::admin_utils::tests::{
    NET, OWNER, STRANGER, WINDOW, acc, chain, e, root, set_block,
};
use crate::pallets::subtensor::storage as st;
use crate::pallets::subtensor::{self, Error as StError};
use crate::storage::MemoryKv;

fn sub(s: &mut MemoryKv, origin: &Origin, call: subtensor::Call) -> Result<(), DispatchError> {
    let mut events = Vec::new();
    let mut ctx = DispatchContext::new(s, &mut events, Phase::ApplyExtrinsic(0));
    ctx.transactional(|ctx| call.dispatch(ctx, origin).map(drop).map_err(|e| e.error))
}

#[test]
fn test_set_tempo_is_owner_only_bounded_cooled_down_and_resets_the_cycle() {
    let mut s = chain();
    let own = Origin::Signed(acc(OWNER));
    let call = |t| subtensor::Call::SetTempo { netuid: NET, tempo: t };
    assert_eq!(sub(&mut s, &Origin::Root, call(400)), Err(DispatchError::BadOrigin));
    assert_eq!(
        sub(&mut s, &Origin::Signed(acc(STRANGER)), call(400)),
        Err(DispatchError::BadOrigin)
    );
    assert_eq!(sub(&mut s, &own, call(359)), Err(e(StError::TempoOutOfBounds)));
    assert_eq!(sub(&mut s, &own, call(50_401)), Err(e(StError::TempoOutOfBounds)));
    set_block(&mut s, 1010);
    assert_eq!(sub(&mut s, &own, call(400)), Ok(()));
    assert_eq!(st::Tempo::get(&s, &NET), 400);
    assert_eq!(st::LastEpochBlock::get(&s, &NET), 1010, "cycle restarts now");
    set_block(&mut s, 1369);
    assert_eq!(sub(&mut s, &own, call(500)), Err(e(StError::TxRateLimitExceeded)));
    set_block(&mut s, 1370);
    assert_eq!(sub(&mut s, &own, call(500)), Ok(()));
    // In the freeze window: next epoch at 1870.
    set_block(&mut s, 1861);
    assert_eq!(sub(&mut s, &own, call(600)), Err(WINDOW));
}

#[test]
fn test_trigger_epoch_schedules_an_epoch_and_arms_the_freeze_window() {
    let mut s = chain();
    let own = Origin::Signed(acc(OWNER));
    let call = || subtensor::Call::TriggerEpoch { netuid: NET };
    assert_eq!(sub(&mut s, &own, call()), Err(e(StError::DynamicTempoBlockedByCommitReveal)));
    st::CommitRevealWeightsEnabled::insert(&mut s, &NET, &false);
    assert_eq!(sub(&mut s, &Origin::Root, call()), Err(DispatchError::BadOrigin));
    assert_eq!(sub(&mut s, &own, call()), Ok(()));
    assert_eq!(st::PendingEpochAt::get(&s, &NET), 1010);
    assert_eq!(
        root(&mut s, Call::SudoSetKappa { netuid: NET, kappa: 1 }),
        Ok(()),
        "kappa has no window"
    );
    assert_eq!(root(&mut s, Call::SudoSetRho { netuid: NET, rho: 1 }), Err(WINDOW));
    assert_eq!(sub(&mut s, &own, call()), Err(e(StError::EpochTriggerAlreadyPending)));
    // The trigger fired; the owner limit (2 tempos) still holds.
    st::PendingEpochAt::insert(&mut s, &NET, &0);
    assert_eq!(sub(&mut s, &own, call()), Err(e(StError::TxRateLimitExceeded)));
    // Next auto epoch 5 blocks away: already imminent.
    let mut s = chain();
    st::CommitRevealWeightsEnabled::insert(&mut s, &NET, &false);
    set_block(&mut s, 1354);
    assert_eq!(sub(&mut s, &own, call()), Err(e(StError::AutoEpochAlreadyImminent)));
}

#[test]
fn test_activity_cutoff_factor_bounds_and_root_bypasses_window_and_limit() {
    let mut s = chain();
    let own = Origin::Signed(acc(OWNER));
    let call = |f| subtensor::Call::SetActivityCutoffFactor { netuid: NET, factor_milli: f };
    assert_eq!(sub(&mut s, &own, call(999)), Err(e(StError::ActivityCutoffFactorMilliOutOfBounds)));
    assert_eq!(
        sub(&mut s, &own, call(50_001)),
        Err(e(StError::ActivityCutoffFactorMilliOutOfBounds))
    );
    assert_eq!(sub(&mut s, &own, call(2000)), Ok(()));
    assert_eq!(st::ActivityCutoffFactorMilli::get(&s, &NET), 2000);
    assert_eq!(sub(&mut s, &own, call(3000)), Err(e(StError::TxRateLimitExceeded)));
    set_block(&mut s, 1355);
    assert_eq!(sub(&mut s, &Origin::Root, call(4000)), Ok(()), "root: no window, no limit");
    assert_eq!(
        sub(&mut s, &Origin::Signed(acc(STRANGER)), call(4000)),
        Err(DispatchError::BadOrigin)
    );
}
