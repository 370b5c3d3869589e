//! Tests of the Validators pallet through the executive: scheduling under sudo, every
//! refusal, and the rotation at an epoch boundary.

use super::*;
use crate::dispatch::CallError;
use crate::events::{EventRecord, Phase};
use crate::executive::Executive;
use crate::pallets::{Runtime, RuntimeCall, sudo};
use crate::storage::{MemoryKv, Overlay};
use crate::test_utils::*;
use parity_scale_codec::{Decode, Encode};

const FUNDS: u64 = 1_000_000_000_000;
const LENGTH: u64 = 8;

fn key(seed: &str) -> [u8; 32] {
    let pair = rustensor_primitives::crypto::ed25519::Pair::from_uri(seed, None).unwrap();
    *pair.public().as_bytes()
}

fn info(seed: &str, port: u16) -> ValidatorInfo {
    ValidatorInfo { public_key: key(seed), address: format!("127.0.0.1:{port}").into_bytes() }
}

fn genesis() -> MemoryKv {
    let mut state = dev_genesis_with_sudo(FUNDS, "Alice");
    build_genesis(&mut state, LENGTH, vec![info("//Alice", 1), info("//Bob", 2)]);
    // Immortal transactions name the genesis hash (checked against `BlockHash(0)`).
    crate::pallets::system::BlockHash::insert(&mut state, &0, &TEST_GENESIS_HASH);
    state
}

fn schedule_call(validators: Vec<ValidatorInfo>) -> Vec<u8> {
    RuntimeCall::Validators(Call::Schedule { validators }).to_bytes().unwrap()
}

/// The inner result of the last `Sudo.sudo` extrinsic applied in `block`.
fn sudo_result(block: &Executive<Overlay<&MemoryKv>, Runtime>) -> Result<(), DispatchError> {
    block
        .events()
        .iter()
        .rev()
        .find_map(|r| {
            (r.event[0] == sudo::PALLET_INDEX).then(|| {
                match sudo::Event::decode(&mut &r.event[1..]).unwrap() {
                    sudo::Event::Sudid { sudo_result } => sudo_result,
                    other => panic!("unexpected {other:?}"),
                }
            })
        })
        .expect("a Sudid event")
}

/// Runs block `number` over `state` with the given sudo'd calls from Alice (nonces from
/// `nonce`), and returns the post-state and the block's events.
fn run_block(
    state: &MemoryKv,
    number: u32,
    nonce: u32,
    calls: &[Vec<u8>],
) -> (MemoryKv, Vec<EventRecord>, Vec<Result<(), DispatchError>>) {
    let mut block =
        Executive::initialize_block(Overlay::new(state), Runtime, TEST_VERSION, number, [1; 32]);
    let mut results = Vec::new();
    for (i, call) in calls.iter().enumerate() {
        let xt = sign_call(
            &dev_pair("Alice"),
            nonce.saturating_add(u32::try_from(i).unwrap()),
            sudo_call(call),
        );
        let applied = block.apply_extrinsic(&xt).expect("valid extrinsic");
        assert_eq!(applied.result, Ok(()));
        results.push(sudo_result(&block));
    }
    let events = block.events().to_vec();
    let overlay = block.finalize_block();
    let mut next = state.clone();
    for (k, v) in overlay.into_parts().1 {
        match v {
            Some(v) => next.put(&k, &v),
            None => next.delete(&k),
        }
    }
    (next, events, results)
}

#[test]
fn test_schedule_takes_effect_at_the_next_epoch_boundary_only() {
    let state = genesis();
    let set = vec![info("//Alice", 1), info("//Charlie", 3)];
    // Block 3 of epoch 0 schedules epoch 1.
    let (state, events, results) = run_block(&state, 3, 0, &[schedule_call(set.clone())]);
    assert_eq!(results, vec![Ok(())]);
    assert!(events.contains(&EventRecord::new(
        Phase::ApplyExtrinsic(0),
        PALLET_INDEX,
        &Event::ValidatorSetScheduled { epoch: 1, validators: 2 }
    )));
    assert_eq!(Next::get(&state), Some(EpochSet { epoch: 1, validators: set.clone() }));
    assert_eq!(Active::get(&state).unwrap().epoch, 0, "not before the boundary");
    // Block 6 is not a boundary: nothing moves.
    let (state, _, _) = run_block(&state, 6, 1, &[]);
    assert_eq!(Active::get(&state).unwrap().validators.len(), 2);
    assert_eq!(Active::get(&state).unwrap().validators[1], info("//Bob", 2));
    // Block 7 (= L - 1) ends epoch 0.
    let (state, _, _) = run_block(&state, 7, 1, &[]);
    assert_eq!(Active::get(&state), Some(EpochSet { epoch: 1, validators: set.clone() }));
    assert_eq!(Previous::get(&state).unwrap().epoch, 0);
    assert_eq!(Previous::get(&state).unwrap().validators[1], info("//Bob", 2));
    assert_eq!(Next::get(&state), None);
    // Block 15 ends epoch 1 without a schedule: the same set carries on, no event.
    let (state, events, _) = run_block(&state, 15, 1, &[]);
    assert_eq!(Active::get(&state), Some(EpochSet { epoch: 2, validators: set.clone() }));
    assert_eq!(Previous::get(&state), Some(EpochSet { epoch: 1, validators: set }));
    assert!(!events.iter().any(|r| r.event[0] == PALLET_INDEX));
}

#[test]
fn test_rotation_on_a_boundary_emits_new_validator_set_in_finalization() {
    let state = genesis();
    let set = vec![info("//Dave", 4)];
    let (state, _, results) = run_block(&state, 7, 0, &[schedule_call(set.clone())]);
    assert_eq!(results, vec![Ok(())]);
    assert_eq!(Active::get(&state), Some(EpochSet { epoch: 1, validators: set }));
    use crate::storage::StoragePrefix as _;
    let stored = state.get(&crate::pallets::system::EventsPrefix::prefix()).unwrap();
    let rotated = EventRecord::new(
        Phase::Finalization,
        PALLET_INDEX,
        &Event::NewValidatorSet { epoch: 1, validators: 1 },
    );
    let encoded = rotated.encode();
    assert!(
        stored.windows(encoded.len()).any(|w| w == encoded.as_slice()),
        "System.Events holds NewValidatorSet in the finalization phase"
    );
}

#[test]
fn test_schedule_refuses_bad_sets_and_a_second_schedule() {
    let state = genesis();
    let mut small_order = info("//Alice", 9);
    small_order.public_key = [0; 32];
    small_order.public_key[0] = 1; // the identity point: small order
    let mut non_canonical = info("//Alice", 9);
    non_canonical.public_key = [0xff; 32];
    non_canonical.public_key[31] = 0x7f; // y = 2^255 - 1 > p
    let mut bad_address = info("//Bob", 9);
    bad_address.address = b"127.0.0.1".to_vec();
    let mut zero_port = info("//Bob", 9);
    zero_port.address = b"host:0".to_vec();
    let mut long_address = info("//Bob", 9);
    long_address.address = format!("{}:1", "h".repeat(MAX_ADDRESS_LEN)).into_bytes();
    let too_many: Vec<_> =
        (0..=MAX_VALIDATORS).map(|i| info(&format!("//V{i}"), 1000 + i as u16)).collect();
    let cases = [
        (Vec::new(), Error::EmptySet),
        (too_many, Error::TooManyValidators),
        (vec![info("//Alice", 1), info("//Alice", 2)], Error::DuplicateKey),
        (vec![small_order], Error::InvalidKey),
        (vec![non_canonical], Error::InvalidKey),
        (vec![bad_address], Error::InvalidAddress),
        (vec![zero_port], Error::InvalidAddress),
        (vec![long_address], Error::InvalidAddress),
    ];
    let calls: Vec<_> = cases.iter().map(|(set, _)| schedule_call(set.clone())).collect();
    let (after, _, results) = run_block(&state, 2, 0, &calls);
    let expected: Vec<_> = cases.iter().map(|(_, e)| Err(DispatchError::from(*e))).collect();
    assert_eq!(results, expected);
    assert_eq!(Next::get(&after), None, "nothing scheduled");

    let good = schedule_call(vec![info("//Charlie", 3)]);
    let (_, _, results) = run_block(&state, 2, 0, &[good.clone(), good]);
    assert_eq!(results, vec![Ok(()), Err(Error::AlreadyScheduled.into())]);
}

#[test]
fn test_schedule_is_root_only() {
    let state = genesis();
    let call = schedule_call(vec![info("//Charlie", 3)]);
    let mut block =
        Executive::initialize_block(Overlay::new(&state), Runtime, TEST_VERSION, 2, [1; 32]);
    let applied = block.apply_extrinsic(&sign_call(&dev_pair("Bob"), 0, call)).unwrap();
    assert_eq!(applied.result, Err(DispatchError::BadOrigin));
    assert_eq!(Next::get(block.state()), None);
}

#[test]
fn test_call_bytes_round_trip_and_bad_bytes_are_errors() {
    let call = schedule_call(vec![info("//Alice", 1)]);
    assert_eq!(&call[..2], &[PALLET_INDEX, CALL_SCHEDULE]);
    assert_eq!(
        RuntimeCall::decode(&call),
        Ok(RuntimeCall::Validators(Call::Schedule { validators: vec![info("//Alice", 1)] }))
    );
    // A length prefix far beyond the input is refused, not allocated.
    assert_eq!(
        RuntimeCall::decode(&[PALLET_INDEX, CALL_SCHEDULE, 0xff, 0xff, 0xff, 0x7f]),
        Err(CallError::BadArguments { pallet: PALLET_INDEX, call: CALL_SCHEDULE })
    );
    assert_eq!(
        RuntimeCall::decode(&[PALLET_INDEX, 9]),
        Err(CallError::UnknownCall { pallet: PALLET_INDEX, call: 9 })
    );
}

#[test]
fn test_boundaries_follow_the_fixed_epocher() {
    assert!(is_boundary(8, 7));
    assert!(is_boundary(8, 15));
    assert!(!is_boundary(8, 8));
    assert!(!is_boundary(8, 0));
    assert!(!is_boundary(0, 7));
    assert!(!is_boundary(8, u64::MAX));
    let state = genesis();
    assert_eq!((epoch_of(&state, 7), epoch_of(&state, 8)), (0, 1));
}
