//! `SubtensorModule`'s pallet-level tests: calls through signed extrinsics, the random call
//! sequences of [`sequences`], and the fixtures the per-module tests share (a funded chain,
//! running a call in a transactional layer, event checks).
//!
//! Placement rule, for every pallet: a module's unit tests are its child module `tests`, inline
//! at the end of its file or, when long, in `<module>/tests.rs`; tests that span the pallet
//! live here.

#![allow(clippy::arithmetic_side_effects, reason = "test arithmetic on small known values")]

use parity_scale_codec::Encode;
use rustensor_primitives::{AccountId32, NetUid};

use super::storage::*;
use super::*;
use crate::dispatch::{DispatchContext, DispatchError};
use crate::events::{EventRecord, Phase};
use crate::pallets::{balances, system};
use crate::storage::MemoryKv;

pub(crate) fn acc(b: u8) -> AccountId32 {
    AccountId32([b; 32])
}

pub(crate) const COLD: u8 = 1;
pub(crate) const HOT: u8 = 2;

/// A chain at block 1000 with the root subnet and accounts 1..=9 holding 10 000 TAO each.
pub(crate) fn chain() -> MemoryKv {
    let mut s = MemoryKv::new();
    let funded: Vec<(AccountId32, u64)> = (1..=9).map(|b| (acc(b), 10_000 * TAO)).collect();
    balances::build_genesis(&mut s, &funded).unwrap();
    build_genesis(&mut s, Some(&acc(9)), 90_000 * TAO);
    system::Number::put(&mut s, &1000);
    s
}

pub(crate) fn run<T>(
    s: &mut MemoryKv,
    f: impl FnOnce(&mut DispatchContext<'_>) -> Result<T, DispatchError>,
) -> (Result<T, DispatchError>, Vec<EventRecord>) {
    let mut events = Vec::new();
    let result = {
        let mut ctx = DispatchContext::new(s, &mut events, Phase::ApplyExtrinsic(0));
        ctx.transactional(f)
    };
    (result, events)
}

pub(crate) fn err(e: Error) -> DispatchError {
    e.into()
}

pub(crate) fn has_event(events: &[EventRecord], event: &Event) -> bool {
    let mut bytes = vec![PALLET_INDEX];
    event.encode_to(&mut bytes);
    events.iter().any(|r| r.event == bytes)
}

/// Registers a subnet owned by (`cold`, `hot`) and starts it.
pub(crate) fn new_subnet(s: &mut MemoryKv, cold: u8, hot: u8) -> NetUid {
    let (netuid, _) = run(s, |ctx| subnets::register_network(ctx, &acc(cold), &acc(hot), None));
    let netuid = netuid.unwrap();
    NetworkRateLimit::put(s, &0);
    netuid
}

mod sequences;

// ---- through signed extrinsics -------------------------------------------------------------

#[test]
fn test_subnet_lifecycle_through_signed_extrinsics() {
    use crate::executive::Executive;
    use crate::genesis::{ChainSpec, build_genesis};
    use crate::pallets::Runtime;
    use crate::test_utils::{
        TEST_GENESIS_HASH, TEST_VERSION, dev_account, dev_pair, sign_call, sudo_call,
    };

    let genesis = build_genesis(&ChainSpec::dev()).unwrap();
    let mut state = MemoryKv::new();
    for (k, v) in &genesis.storage {
        crate::storage::Kv::put(&mut state, k, v);
    }
    let (bob, charlie) = (dev_pair("Bob"), dev_account("Charlie"));
    let call = |c: Call| {
        let mut bytes = vec![PALLET_INDEX];
        c.encode_to(&mut bytes);
        bytes
    };
    let mut block =
        Executive::initialize_block(&state, Runtime, TEST_VERSION, 1, TEST_GENESIS_HASH);
    let r = block
        .apply_extrinsic(&sign_call(&bob, 0, call(Call::RegisterNetwork { hotkey: charlie })))
        .unwrap();
    assert_eq!(r.result, Ok(()));
    let r = block
        .apply_extrinsic(&sign_call(&bob, 1, call(Call::StartCall { netuid: NetUid(1) })))
        .unwrap();
    assert_eq!(r.result, Ok(()));
    let eve = dev_account("Eve");
    let r = block
        .apply_extrinsic(&sign_call(
            &dev_pair("Dave"),
            0,
            call(Call::BurnedRegister { netuid: NetUid(1), hotkey: eve }),
        ))
        .unwrap();
    assert_eq!(r.result, Ok(()));
    assert!(r.fee > 0, "registration pays a fee");
    // A failing call: Module error index 7, SubtensorModule's HotKeyAlreadyRegisteredInSubNet.
    let r = block
        .apply_extrinsic(&sign_call(
            &dev_pair("Dave"),
            1,
            call(Call::BurnedRegister { netuid: NetUid(1), hotkey: eve }),
        ))
        .unwrap();
    assert_eq!(r.result, Err(err(Error::HotKeyAlreadyRegisteredInSubNet)));
    // Dissolution needs root: Alice is sudo in the dev spec.
    let r = block
        .apply_extrinsic(&sign_call(&bob, 2, call(Call::RootDissolveNetwork { netuid: NetUid(1) })))
        .unwrap();
    assert_eq!(r.result, Err(DispatchError::BadOrigin));
    let r = block
        .apply_extrinsic(&sign_call(
            &dev_pair("Alice"),
            0,
            sudo_call(&call(Call::RootDissolveNetwork { netuid: NetUid(1) })),
        ))
        .unwrap();
    assert_eq!(r.result, Ok(()));
    let state = block.finalize_block();
    assert!(!subnet_exists(&state, NetUid(1)));
    assert_eq!(Uids::get(&state, &NetUid(1), &eve), None);
}

#[test]
fn test_unknown_subtensor_call_index_is_rejected_before_execution() {
    assert_eq!(
        Call::decode_from(1, &mut &[][..]),
        Err(crate::dispatch::CallError::UnknownCall { pallet: PALLET_INDEX, call: 1 })
    );
    assert_eq!(
        Call::decode_from(7, &mut &[1u8][..]),
        Err(crate::dispatch::CallError::BadArguments { pallet: PALLET_INDEX, call: 7 })
    );
    let call = Call::BurnedRegister { netuid: NetUid(3), hotkey: acc(4) };
    let bytes = call.encode();
    assert_eq!(bytes[0], 7);
    assert_eq!(Call::decode_from(bytes[0], &mut &bytes[1..]), Ok(call));
}
