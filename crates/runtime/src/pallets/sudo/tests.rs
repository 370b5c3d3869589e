//! Tests of the Sudo pallet through the executive: every call's success path and its error.

use super::*;
use crate::dispatch::{Dispatch, DispatchEventInfo};
use crate::dispatch::{Pays, Weight};
use crate::events::{EventRecord, Phase};
use crate::executive::{Applied, ApplyError, Executive, validate_transaction};
use crate::pallets::balances::MultiAddress;
use crate::pallets::{Runtime, balances, system};
use crate::storage::{MemoryKv, Overlay};
use crate::test_utils::*;
use parity_scale_codec::Encode;

const FUNDS: u64 = 1_000_000_000_000;

fn block(genesis: &MemoryKv) -> Executive<&MemoryKv, Runtime> {
    Executive::initialize_block(genesis, Runtime, TEST_VERSION, 1, TEST_GENESIS_HASH)
}

fn apply(
    block: &mut Executive<&MemoryKv, Runtime>,
    who: &str,
    nonce: u32,
    call: Vec<u8>,
) -> Applied {
    block.apply_extrinsic(&sign_call(&dev_pair(who), nonce, call)).expect("valid extrinsic")
}

/// A top-level sudo call from anyone but the key is invalid (`SudoTransactionExtension`).
fn assert_bad_signer(
    block: &mut Executive<&MemoryKv, Runtime>,
    who: &str,
    nonce: u32,
    call: Vec<u8>,
) {
    let before = block.state().changes().clone();
    assert_eq!(
        block.apply_extrinsic(&sign_call(&dev_pair(who), nonce, call)).map(|a| a.result),
        Err(ApplyError::Validity(InvalidTransaction::BadSigner.into()))
    );
    assert_eq!(&before, block.state().changes(), "nothing written, no fee");
}

fn sudo_events(block: &Executive<&MemoryKv, Runtime>) -> Vec<EventRecord> {
    block.events().iter().filter(|r| r.event[0] == PALLET_INDEX).cloned().collect()
}

fn record(event: Event) -> EventRecord {
    EventRecord::new(Phase::ApplyExtrinsic(0), PALLET_INDEX, &event)
}

fn call_bytes(index: u8, args: &[u8]) -> Vec<u8> {
    let mut call = vec![PALLET_INDEX, index];
    call.extend_from_slice(args);
    call
}

#[test]
fn test_sudo_dispatches_as_root_and_is_free() {
    let genesis = dev_genesis_with_sudo(FUNDS, "Alice");
    let mut block = block(&genesis);
    let ferdie = dev_account("Ferdie");
    let applied = apply(&mut block, "Alice", 0, sudo_call(&force_set_balance(ferdie, 1_234_000)));
    assert_eq!((applied.result, applied.fee), (Ok(()), 0), "sudo pays no fee on success");
    assert_eq!(sudo_events(&block), vec![record(Event::Sudid { sudo_result: Ok(()) })]);
    let last = block.events().last().cloned().unwrap();
    let info = Runtime.info(&sudo_call(&force_set_balance(ferdie, 1_234_000))).unwrap();
    let post = DispatchEventInfo { pays_fee: Pays::No, ..info };
    assert_eq!(
        last,
        EventRecord::new(
            Phase::ApplyExtrinsic(0),
            system::PALLET_INDEX,
            &system::Event::ExtrinsicSuccess { dispatch_info: post }
        )
    );
    let state = block.finalize_block();
    assert_eq!(balances::free_balance(&state, &ferdie), 1_234_000);
    assert_eq!(balances::free_balance(&state, &dev_account("Alice")), FUNDS);
}

#[test]
fn test_sudo_inner_failure_is_reported_and_rolled_back() {
    let genesis = dev_genesis_with_sudo(FUNDS, "Alice");
    let mut block = block(&genesis);
    // A remark needs a signed origin: from root it is BadOrigin.
    let applied = apply(&mut block, "Alice", 0, sudo_call(&remark(b"x")));
    assert_eq!(applied.result, Ok(()));
    assert_eq!(
        sudo_events(&block),
        vec![record(Event::Sudid { sudo_result: Err(DispatchError::BadOrigin) })]
    );
    // An inner batch_all that writes, then fails: its writes are gone, sudo succeeds.
    let ferdie = dev_account("Ferdie");
    let inner = batch_call(
        crate::pallets::utility::CALL_BATCH_ALL,
        &[force_set_balance(ferdie, 7_000), remark(b"root cannot remark")],
    );
    let applied = apply(&mut block, "Alice", 1, sudo_call(&inner));
    assert_eq!(applied.result, Ok(()));
    assert_eq!(balances::free_balance(block.state(), &ferdie), FUNDS);
    assert_eq!(Event::Sudid { sudo_result: Err(DispatchError::BadOrigin) }.encode(), vec![0, 1, 2]);
    assert_eq!(Event::Sudid { sudo_result: Ok(()) }.encode(), vec![0, 0]);
}

#[test]
fn test_sudo_from_another_signer_is_an_invalid_transaction() {
    let genesis = dev_genesis_with_sudo(FUNDS, "Alice");
    let mut block = block(&genesis);
    assert_bad_signer(&mut block, "Bob", 0, sudo_call(&remark(b"x")));
    // The pool says the same.
    let mut pool = Overlay::new(&genesis);
    system::initialize_block(&mut pool, 1, TEST_GENESIS_HASH);
    let xt = sign_call(&dev_pair("Bob"), 0, sudo_call(&remark(b"x")));
    assert_eq!(
        validate_transaction(&pool, &Runtime, TEST_VERSION, &xt).map(|_| ()),
        Err(ApplyError::Validity(InvalidTransaction::BadSigner.into()))
    );
    let alice = sign_call(&dev_pair("Alice"), 0, sudo_call(&remark(b"x")));
    assert!(validate_transaction(&pool, &Runtime, TEST_VERSION, &alice).is_ok());

    // With no key at all, even Alice is refused.
    let genesis = dev_genesis(FUNDS);
    let mut block = self::block(&genesis);
    assert_bad_signer(&mut block, "Alice", 0, sudo_call(&remark(b"x")));
}

#[test]
fn test_nested_sudo_requires_the_key_and_keeps_the_fee() {
    use crate::pallets::utility;
    let genesis = dev_genesis_with_sudo(FUNDS, "Alice");
    let mut block = block(&genesis);
    // batch_all([sudo(..)]) from Bob: the extension does not look inside, the pallet refuses.
    let call = batch_call(utility::CALL_BATCH_ALL, &[sudo_call(&remark(b"x"))]);
    let applied = apply(&mut block, "Bob", 0, call);
    assert_eq!(applied.result, Err(DispatchError::module(12, 0)));
    assert!(applied.fee > 0, "a refused sudo pays");
    // Pinned: DispatchError::Module { index: 12, error: [0, 0, 0, 0] }.
    assert_eq!(DispatchError::from(Error::RequireSudo).encode(), vec![3, 12, 0, 0, 0, 0]);
    assert!(sudo_events(&block).is_empty());
    let state = block.finalize_block();
    assert_eq!(balances::free_balance(&state, &dev_account("Bob")), FUNDS - applied.fee);
}

#[test]
fn test_sudo_unchecked_weight_uses_the_given_weight() {
    let genesis = dev_genesis_with_sudo(FUNDS, "Alice");
    let mut args = force_set_balance(dev_account("Ferdie"), 9_000);
    Weight::from_parts(42, 7).encode_to(&mut args);
    let call = call_bytes(CALL_SUDO_UNCHECKED_WEIGHT, &args);
    assert_eq!(Runtime.info(&call).unwrap().weight, Weight::from_parts(42, 7));
    let mut block = block(&genesis);
    let applied = apply(&mut block, "Alice", 0, call.clone());
    assert_eq!((applied.result, applied.fee), (Ok(()), 0));
    assert_eq!(sudo_events(&block), vec![record(Event::Sudid { sudo_result: Ok(()) })]);
    assert_eq!(balances::free_balance(block.state(), &dev_account("Ferdie")), 9_000);
    assert_bad_signer(&mut block, "Bob", 0, call);
}

#[test]
fn test_set_key_changes_the_key() {
    let genesis = dev_genesis_with_sudo(FUNDS, "Alice");
    let mut block = block(&genesis);
    let (alice, bob) = (dev_account("Alice"), dev_account("Bob"));
    let set_bob = call_bytes(CALL_SET_KEY, &MultiAddress::Id(bob).encode());
    let applied = apply(&mut block, "Alice", 0, set_bob.clone());
    assert_eq!((applied.result, applied.fee), (Ok(()), 0));
    assert_eq!(sudo_events(&block), vec![record(Event::KeyChanged { old: Some(alice), new: bob })]);
    assert_eq!(Key::get(block.state()), Some(bob));
    // Alice is no longer sudo; a non-Id address cannot be looked up.
    assert_bad_signer(&mut block, "Alice", 1, set_bob);
    let raw = call_bytes(CALL_SET_KEY, &MultiAddress::Raw(vec![1]).encode());
    let applied = apply(&mut block, "Bob", 0, raw);
    assert_eq!(applied.result, Err(DispatchError::CannotLookup));
}

#[test]
fn test_sudo_as_dispatches_as_the_target() {
    let genesis = dev_genesis_with_sudo(FUNDS, "Alice");
    let mut block = block(&genesis);
    let bob = dev_account("Bob");
    let mut args = MultiAddress::Id(bob).encode();
    args.extend_from_slice(&remark_with_event(b"as bob"));
    let call = call_bytes(CALL_SUDO_AS, &args);
    let applied = apply(&mut block, "Alice", 0, call.clone());
    assert_eq!(applied.result, Ok(()));
    assert_eq!(sudo_events(&block), vec![record(Event::SudoAsDone { sudo_result: Ok(()) })]);
    let remarked = system::Event::Remarked {
        sender: bob,
        hash: rustensor_primitives::hashing::blake2_256(b"as bob"),
    };
    assert!(block.events().contains(&EventRecord::new(Phase::ApplyExtrinsic(0), 0, &remarked)));
    assert_bad_signer(&mut block, "Bob", 0, call);
}

#[test]
fn test_remove_key_leaves_no_sudo() {
    let genesis = dev_genesis_with_sudo(FUNDS, "Alice");
    let mut block = block(&genesis);
    let remove = call_bytes(CALL_REMOVE_KEY, &[]);
    assert_bad_signer(&mut block, "Bob", 0, remove.clone());
    let applied = apply(&mut block, "Alice", 0, remove);
    assert_eq!(applied.result, Ok(()));
    assert!(sudo_events(&block).ends_with(&[EventRecord::new(
        Phase::ApplyExtrinsic(0),
        PALLET_INDEX,
        &Event::KeyRemoved
    )]));
    assert_eq!(Key::get(block.state()), None);
}

#[test]
fn test_sudo_key_storage_layout() {
    let mut state = Overlay::new(MemoryKv::new());
    build_genesis(&mut state, Some(&dev_account("Alice")));
    let key = [
        rustensor_primitives::hashing::twox_128(b"Sudo").as_slice(),
        rustensor_primitives::hashing::twox_128(b"Key").as_slice(),
    ]
    .concat();
    assert_eq!(
        hex::encode(&key),
        "5c0d1176a568c1f92944340dbfed9e9c530ebca703c85910e7164cb7d1c9e47b"
    );
    assert_eq!(state.get(&key), Some(dev_account("Alice").0.to_vec()));
}
