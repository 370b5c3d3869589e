//! Tests of the Utility pallet through the executive: each batch's success and failure paths.

use super::*;
use crate::dispatch::CallError;
use crate::events::Phase;
use crate::executive::{Applied, Executive};
use crate::pallets::{Runtime, balances, system};
use crate::storage::MemoryKv;
use crate::test_utils::*;
use parity_scale_codec::{Decode, Encode};

const FUNDS: u64 = 1_000_000_000_000;

fn block(genesis: &MemoryKv) -> Executive<&MemoryKv, Runtime> {
    Executive::initialize_block(genesis, Runtime, TEST_VERSION, 1, TEST_GENESIS_HASH)
}

fn apply(block: &mut Executive<&MemoryKv, Runtime>, nonce: u32, call: Vec<u8>) -> Applied {
    block.apply_extrinsic(&sign_call(&dev_pair("Alice"), nonce, call)).expect("valid extrinsic")
}

/// The `Utility` events of extrinsic `index`, decoded.
fn utility_events(block: &Executive<&MemoryKv, Runtime>, index: u32) -> Vec<Event> {
    block
        .events()
        .iter()
        .filter(|r| r.phase == Phase::ApplyExtrinsic(index) && r.event[0] == PALLET_INDEX)
        .map(|r| Event::decode(&mut &r.event[1..]).expect("a utility event"))
        .collect()
}

fn pay_bob(amount: u64) -> Vec<u8> {
    transfer_keep_alive(dev_account("Bob"), amount)
}

const TOO_MUCH: u64 = FUNDS * 2;

fn token_funds() -> DispatchError {
    DispatchError::Token(crate::dispatch::TokenError::FundsUnavailable)
}

#[test]
fn test_batch_runs_every_call() {
    let genesis = dev_genesis(FUNDS);
    let mut block = block(&genesis);
    let applied = apply(&mut block, 0, batch_call(CALL_BATCH, &[pay_bob(10), remark(b"x")]));
    assert_eq!(applied.result, Ok(()));
    assert_eq!(
        utility_events(&block, 0),
        vec![Event::ItemCompleted, Event::ItemCompleted, Event::BatchCompleted]
    );
    assert_eq!(balances::free_balance(block.state(), &dev_account("Bob")), FUNDS + 10);
}

#[test]
fn test_batch_stops_at_the_first_failure_and_keeps_the_rest() {
    let genesis = dev_genesis(FUNDS);
    let mut block = block(&genesis);
    let calls = [pay_bob(10), pay_bob(TOO_MUCH), pay_bob(20)];
    let call = batch_call(CALL_BATCH, &calls);
    let applied = apply(&mut block, 0, call.clone());
    assert_eq!(applied.result, Ok(()), "an interrupted batch succeeds");
    assert_eq!(
        utility_events(&block, 0),
        vec![Event::ItemCompleted, Event::BatchInterrupted { index: 1, error: token_funds() }]
    );
    assert_eq!(balances::free_balance(block.state(), &dev_account("Bob")), FUNDS + 10);
    // The third call never ran: its weight is refunded.
    let declared = crate::dispatch::Dispatch::info(&Runtime, &call).unwrap();
    let full = crate::pallets::transaction_payment::compute_fee(
        u32::try_from(sign_call(&dev_pair("Alice"), 0, call).len()).unwrap(),
        &declared,
        0,
    );
    assert!(applied.fee < full);
}

#[test]
fn test_batch_all_is_all_or_nothing() {
    let genesis = dev_genesis(FUNDS);
    let mut block = block(&genesis);
    let ok = apply(&mut block, 0, batch_call(CALL_BATCH_ALL, &[pay_bob(10), pay_bob(20)]));
    assert_eq!(ok.result, Ok(()));
    assert_eq!(
        utility_events(&block, 0),
        vec![Event::ItemCompleted, Event::ItemCompleted, Event::BatchCompleted]
    );

    let calls = [pay_bob(100), remark_with_event(b"gone"), pay_bob(TOO_MUCH)];
    let failed = apply(&mut block, 1, batch_call(CALL_BATCH_ALL, &calls));
    assert_eq!(failed.result, Err(token_funds()), "the failing call's error");
    assert!(failed.fee > 0, "the fee is kept");
    assert!(utility_events(&block, 1).is_empty(), "ItemCompleted events rolled back");
    let phase1: Vec<_> =
        block.events().iter().filter(|r| r.phase == Phase::ApplyExtrinsic(1)).collect();
    // Withdraw, TransactionFeePaid, ExtrinsicFailed: nothing of the calls.
    assert_eq!(phase1.len(), 3);
    let state = block.finalize_block();
    assert_eq!(balances::free_balance(&state, &dev_account("Bob")), FUNDS + 30);
}

#[test]
fn test_force_batch_skips_failures() {
    let genesis = dev_genesis(FUNDS);
    let mut block = block(&genesis);
    let calls = [pay_bob(10), pay_bob(TOO_MUCH), pay_bob(20)];
    let applied = apply(&mut block, 0, batch_call(CALL_FORCE_BATCH, &calls));
    assert_eq!(applied.result, Ok(()));
    assert_eq!(
        utility_events(&block, 0),
        vec![
            Event::ItemCompleted,
            Event::ItemFailed { error: token_funds() },
            Event::ItemCompleted,
            Event::BatchCompletedWithErrors
        ]
    );
    assert_eq!(balances::free_balance(block.state(), &dev_account("Bob")), FUNDS + 30);
    let applied = apply(&mut block, 1, batch_call(CALL_FORCE_BATCH, &[remark(b"a")]));
    assert_eq!(applied.result, Ok(()));
    assert_eq!(utility_events(&block, 1), vec![Event::ItemCompleted, Event::BatchCompleted]);
}

#[test]
fn test_too_many_calls() {
    let genesis = dev_genesis(FUNDS);
    let calls = vec![remark(b""); usize::try_from(BATCHED_CALLS_LIMIT).unwrap() + 1];
    for index in [CALL_BATCH, CALL_BATCH_ALL, CALL_FORCE_BATCH] {
        let mut block = block(&genesis);
        let applied = apply(&mut block, 0, batch_call(index, &calls));
        assert_eq!(applied.result, Err(Error::TooManyCalls.into()));
    }
    // Pinned: DispatchError::Module { index: 11, error: [0, 0, 0, 0] }.
    assert_eq!(DispatchError::from(Error::TooManyCalls).encode(), vec![3, 11, 0, 0, 0, 0]);
}

#[test]
fn test_nested_batches_are_filtered_for_signed_origins_only() {
    let genesis = dev_genesis_with_sudo(FUNDS, "Alice");
    let mut block = block(&genesis);
    let inner = batch_call(CALL_BATCH, &[remark(b"x")]);
    let applied = apply(&mut block, 0, batch_call(CALL_BATCH, &[inner]));
    assert_eq!(applied.result, Ok(()));
    let filtered = DispatchError::module(system::PALLET_INDEX, SYSTEM_CALL_FILTERED);
    assert_eq!(filtered.encode(), vec![3, 0, 5, 0, 0, 0]);
    assert_eq!(
        utility_events(&block, 0),
        vec![Event::BatchInterrupted { index: 0, error: filtered }]
    );
    // Root may nest: sudo(batch(batch(force_set_balance))).
    let ferdie = dev_account("Ferdie");
    let nested =
        batch_call(CALL_BATCH, &[batch_call(CALL_BATCH, &[force_set_balance(ferdie, 777)])]);
    let applied = apply(&mut block, 1, sudo_call(&nested));
    assert_eq!(applied.result, Ok(()));
    assert_eq!(balances::free_balance(block.state(), &ferdie), 777);
}

#[test]
fn test_event_encodings_and_decoding_limits() {
    assert_eq!(Event::BatchCompleted.encode(), vec![1]);
    assert_eq!(Event::ItemCompleted.encode(), vec![3]);
    assert_eq!(
        Event::BatchInterrupted { index: 2, error: DispatchError::BadOrigin }.encode(),
        vec![0, 2, 0, 0, 0, 2]
    );
    assert_eq!(
        Event::ItemFailed { error: DispatchError::module(5, 2) }.encode(),
        vec![4, 3, 5, 2, 0, 0, 0]
    );
    // A batch claiming more calls than it has bytes for is malformed, not a huge allocation.
    let mut bytes = vec![PALLET_INDEX, CALL_BATCH];
    parity_scale_codec::Compact(u32::MAX).encode_to(&mut bytes);
    assert!(crate::pallets::RuntimeCall::decode(&bytes).is_err());
    // Nesting deeper than MAX_CALL_DEPTH is refused.
    let mut deep = remark(b"");
    for _ in 0..crate::pallets::MAX_CALL_DEPTH {
        deep = batch_call(CALL_BATCH, &[deep]);
    }
    assert!(crate::pallets::RuntimeCall::decode(&deep).is_err());
    assert_eq!(
        crate::pallets::RuntimeCall::decode(&[PALLET_INDEX, 1]),
        Err(CallError::UnknownCall { pallet: PALLET_INDEX, call: 1 })
    );
}
