//! Tests of the Balances pallet: one per call outcome, FRAME's event order, issuance.

use super::*;
use crate::dispatch::{CallError, Dispatchable};
use crate::events::{EventRecord, Phase};
use crate::pallets::balances::MultiAddress;
use crate::storage::MemoryKv;
use parity_scale_codec::{Compact, Encode};
use rustensor_primitives::AccountId32;

fn acc(n: u8) -> AccountId32 {
    AccountId32([n; 32])
}

const PHASE: Phase = Phase::ApplyExtrinsic(0);

struct World {
    state: MemoryKv,
    events: Vec<EventRecord>,
}

impl World {
    fn new(balances: &[(AccountId32, u64)]) -> Self {
        let mut state = MemoryKv::new();
        build_genesis(&mut state, balances).expect("valid genesis");
        Self { state, events: Vec::new() }
    }

    fn call(
        &mut self,
        who: &AccountId32,
        call_index: u8,
        args: &[u8],
    ) -> Result<(), DispatchError> {
        let call = Call::decode(call_index, args).expect("call decodes");
        let mut ctx = DispatchContext::new(&mut self.state, &mut self.events, PHASE);
        call.dispatch(&mut ctx, &crate::dispatch::Origin::Signed(*who))
    }

    fn transfer(
        &mut self,
        from: u8,
        to: u8,
        value: u64,
        call_index: u8,
    ) -> Result<(), DispatchError> {
        let mut args = MultiAddress::Id(acc(to)).encode();
        Compact(value).encode_to(&mut args);
        self.call(&acc(from), call_index, &args)
    }

    fn free(&self, n: u8) -> u64 {
        free_balance(&self.state, &acc(n))
    }

    fn take_events(&mut self) -> Vec<EventRecord> {
        std::mem::take(&mut self.events)
    }
}

fn balances_event(event: Event) -> EventRecord {
    EventRecord::new(PHASE, PALLET_INDEX, &event)
}

fn system_event(event: system::Event) -> EventRecord {
    EventRecord::new(PHASE, system::PALLET_INDEX, &event)
}

#[test]
fn test_genesis_sets_issuance_and_providers() {
    let w = World::new(&[(acc(1), 1_000), (acc(2), 5_000)]);
    assert_eq!(TotalIssuance::get(&w.state), 6_000);
    let info = Account::get(&w.state, &acc(1));
    assert_eq!((info.providers, info.data.free, info.data.flags), (1, 1_000, IS_NEW_LOGIC));
    let mut state = MemoryKv::new();
    assert_eq!(
        build_genesis(&mut state, &[(acc(1), 499)]),
        Err(DispatchError::module(PALLET_INDEX, 3))
    );
}

#[test]
fn test_transfer_keep_alive_between_existing_accounts() {
    let mut w = World::new(&[(acc(1), 10_000), (acc(2), 1_000)]);
    assert_eq!(w.transfer(1, 2, 3_000, CALL_TRANSFER_KEEP_ALIVE), Ok(()));
    assert_eq!((w.free(1), w.free(2)), (7_000, 4_000));
    assert_eq!(
        w.take_events(),
        vec![balances_event(Event::Transfer { from: acc(1), to: acc(2), amount: 3_000 })]
    );
    assert_eq!(TotalIssuance::get(&w.state), 11_000);
}

#[test]
fn test_transfer_creates_account_with_frame_events() {
    let mut w = World::new(&[(acc(1), 10_000)]);
    assert_eq!(w.transfer(1, 3, 600, CALL_TRANSFER_ALLOW_DEATH), Ok(()));
    assert_eq!(w.free(3), 600);
    assert_eq!(Account::get(&w.state, &acc(3)).providers, 1);
    assert_eq!(
        w.take_events(),
        vec![
            system_event(system::Event::NewAccount { account: acc(3) }),
            balances_event(Event::Endowed { account: acc(3), free_balance: 600 }),
            balances_event(Event::Transfer { from: acc(1), to: acc(3), amount: 600 }),
        ]
    );
}

#[test]
fn test_transfer_allow_death_reaps_sender_and_drops_dust() {
    let mut w = World::new(&[(acc(1), 1_000), (acc(2), 1_000)]);
    system::inc_account_nonce(&mut w.state, &acc(1));
    assert_eq!(w.transfer(1, 2, 600, CALL_TRANSFER_ALLOW_DEATH), Ok(()));
    assert_eq!((w.free(1), w.free(2)), (0, 1_600));
    assert!(!Account::contains_key(&w.state, &acc(1)), "reaped: nonce and record gone");
    assert_eq!(TotalIssuance::get(&w.state), 2_000 - 400);
    assert_eq!(
        w.take_events(),
        vec![
            system_event(system::Event::KilledAccount { account: acc(1) }),
            balances_event(Event::DustLost { account: acc(1), amount: 400 }),
            balances_event(Event::Transfer { from: acc(1), to: acc(2), amount: 600 }),
        ]
    );
}

#[test]
fn test_transfer_errors_match_frame() {
    let mut w = World::new(&[(acc(1), 1_000), (acc(2), 1_000)]);
    let token = DispatchError::Token;
    // Keep-alive may not go below the ED.
    assert_eq!(
        w.transfer(1, 2, 600, CALL_TRANSFER_KEEP_ALIVE),
        Err(token(TokenError::NotExpendable))
    );
    assert_eq!(
        w.transfer(1, 2, 1_000, CALL_TRANSFER_KEEP_ALIVE),
        Err(token(TokenError::NotExpendable))
    );
    // More than the free balance.
    assert_eq!(
        w.transfer(1, 2, 1_001, CALL_TRANSFER_ALLOW_DEATH),
        Err(token(TokenError::FundsUnavailable))
    );
    // More than the total issuance.
    assert_eq!(
        w.transfer(1, 2, 2_001, CALL_TRANSFER_ALLOW_DEATH),
        Err(DispatchError::Arithmetic(ArithmeticError::Underflow))
    );
    // A new account below the ED.
    assert_eq!(
        w.transfer(1, 9, 499, CALL_TRANSFER_ALLOW_DEATH),
        Err(token(TokenError::BelowMinimum))
    );
    // Frozen funds.
    Account::mutate(&mut w.state, &acc(1), |i| i.data.frozen = 800);
    assert_eq!(w.transfer(1, 2, 300, CALL_TRANSFER_ALLOW_DEATH), Err(token(TokenError::Frozen)));
    assert_eq!(w.transfer(1, 2, 200, CALL_TRANSFER_ALLOW_DEATH), Ok(()));
    // Recipient overflow.
    let mut w = World::new(&[(acc(1), 1_000), (acc(2), u64::MAX - 2_000)]);
    TotalIssuance::put(&mut w.state, &u64::MAX);
    assert_eq!(w.transfer(1, 2, 600, CALL_TRANSFER_ALLOW_DEATH).and(Ok(())), Ok(()), "fits");
    Account::mutate(&mut w.state, &acc(1), |i| i.data.free = 5_000);
    assert_eq!(
        w.transfer(1, 2, 2_000, CALL_TRANSFER_ALLOW_DEATH),
        Err(DispatchError::Arithmetic(ArithmeticError::Overflow))
    );
}

#[test]
fn test_transfer_to_self_and_zero() {
    let mut w = World::new(&[(acc(1), 1_000)]);
    assert_eq!(w.transfer(1, 1, 100, CALL_TRANSFER_KEEP_ALIVE), Ok(()));
    assert!(w.take_events().is_empty(), "self-transfer returns before any event");
    assert_eq!(w.transfer(1, 2, 0, CALL_TRANSFER_ALLOW_DEATH), Ok(()));
    assert_eq!(w.free(2), 0);
    assert!(!Account::contains_key(&w.state, &acc(2)));
    assert_eq!(
        w.take_events(),
        vec![balances_event(Event::Transfer { from: acc(1), to: acc(2), amount: 0 })]
    );
}

#[test]
fn test_transfer_all_keep_alive_and_allow_death() {
    let mut w = World::new(&[(acc(1), 2_000), (acc(2), 1_000)]);
    let mut args = MultiAddress::Id(acc(2)).encode();
    args.push(1);
    assert_eq!(w.call(&acc(1), CALL_TRANSFER_ALL, &args), Ok(()));
    assert_eq!((w.free(1), w.free(2)), (EXISTENTIAL_DEPOSIT, 2_500));
    args.pop();
    args.push(0);
    assert_eq!(w.call(&acc(1), CALL_TRANSFER_ALL, &args), Ok(()));
    assert_eq!((w.free(1), w.free(2)), (0, 3_000));
    assert!(!Account::contains_key(&w.state, &acc(1)));
}

#[test]
fn test_lookup_and_origin_errors() {
    let mut w = World::new(&[(acc(1), 2_000)]);
    let mut args = MultiAddress::Address32([2; 32]).encode();
    Compact(600u64).encode_to(&mut args);
    assert_eq!(w.call(&acc(1), CALL_TRANSFER_KEEP_ALIVE, &args), Err(DispatchError::CannotLookup));
    let mut args = MultiAddress::Index(()).encode();
    assert_eq!(args, vec![1]);
    Compact(600u64).encode_to(&mut args);
    assert_eq!(w.call(&acc(1), CALL_TRANSFER_KEEP_ALIVE, &args), Err(DispatchError::CannotLookup));
    let mut force = MultiAddress::Id(acc(1)).encode();
    MultiAddress::Id(acc(2)).encode_to(&mut force);
    Compact(600u64).encode_to(&mut force);
    assert_eq!(w.call(&acc(1), CALL_FORCE_TRANSFER, &force), Err(DispatchError::BadOrigin));
    let mut set = MultiAddress::Id(acc(1)).encode();
    Compact(600u64).encode_to(&mut set);
    assert_eq!(w.call(&acc(1), CALL_FORCE_SET_BALANCE, &set), Err(DispatchError::BadOrigin));
    assert_eq!(
        Call::decode(CALL_FORCE_TRANSFER, &[]),
        Err(CallError::BadArguments { pallet: PALLET_INDEX, call: CALL_FORCE_TRANSFER })
    );
}

#[test]
fn test_root_force_transfer_and_set_balance() {
    let mut w = World::new(&[(acc(1), 2_000)]);
    let root = crate::dispatch::Origin::Root;
    let mut force = MultiAddress::Id(acc(1)).encode();
    MultiAddress::Id(acc(2)).encode_to(&mut force);
    Compact(600u64).encode_to(&mut force);
    let call = Call::decode(CALL_FORCE_TRANSFER, &force).unwrap();
    let mut ctx = DispatchContext::new(&mut w.state, &mut w.events, PHASE);
    assert_eq!(call.dispatch(&mut ctx, &root), Ok(()));
    assert_eq!((w.free(1), w.free(2)), (1_400, 600));

    let mut set = MultiAddress::Id(acc(3)).encode();
    Compact(5_000u64).encode_to(&mut set);
    let call = Call::decode(CALL_FORCE_SET_BALANCE, &set).unwrap();
    let mut ctx = DispatchContext::new(&mut w.state, &mut w.events, PHASE);
    assert_eq!(call.dispatch(&mut ctx, &root), Ok(()));
    assert_eq!(w.free(3), 5_000);
    assert_eq!(TotalIssuance::get(&w.state), 7_000);
    assert_eq!(
        w.events.last(),
        Some(&balances_event(Event::BalanceSet { who: acc(3), free: 5_000 }))
    );
    // A transfer from root has no sender.
    let mut args = MultiAddress::Id(acc(2)).encode();
    Compact(600u64).encode_to(&mut args);
    let call = Call::decode(CALL_TRANSFER_KEEP_ALIVE, &args).unwrap();
    let mut ctx = DispatchContext::new(&mut w.state, &mut w.events, PHASE);
    assert_eq!(call.dispatch(&mut ctx, &root), Err(DispatchError::BadOrigin));
}

#[test]
fn test_fee_withdraw_resolve_and_burn() {
    let mut w = World::new(&[(acc(1), 2_000)]);
    let mut ctx = DispatchContext::new(&mut w.state, &mut w.events, PHASE);
    assert!(!can_withdraw_keep_alive(ctx.state, &acc(1), 1_501));
    assert!(can_withdraw_keep_alive(ctx.state, &acc(1), 1_500));
    assert_eq!(
        withdraw(&mut ctx, &acc(1), 1_501),
        Err(DispatchError::Token(TokenError::NotExpendable))
    );
    assert_eq!(withdraw(&mut ctx, &acc(1), 1_500), Ok(()));
    // Resolving below the existential deposit to a new account gives the credit back.
    assert_eq!(resolve(&mut ctx, &acc(2), 499), Err(499));
    assert_eq!(resolve(&mut ctx, &acc(2), 1_000), Ok(()));
    burn_credit(ctx.state, 500);
    assert_eq!((w.free(1), w.free(2)), (500, 1_000));
    assert_eq!(TotalIssuance::get(&w.state), 1_500);
    let events = w.take_events();
    assert_eq!(events[0], balances_event(Event::Withdraw { who: acc(1), amount: 1_500 }));
    assert_eq!(events.last(), Some(&balances_event(Event::Deposit { who: acc(2), amount: 1_000 })));
}

#[test]
fn test_call_decoding() {
    // The call bytes of the Python-built extrinsic vector (extrinsic/testdata).
    let bob =
        AccountId32::from_hex("0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
            .expect("valid hex");
    let mut bytes = vec![0x00];
    bytes.extend_from_slice(bob.as_ref());
    bytes.extend([0x02, 0x28, 0x6b, 0xee]);
    assert_eq!(
        Call::decode(CALL_TRANSFER_KEEP_ALIVE, &bytes),
        Ok(Call::TransferKeepAlive { dest: MultiAddress::Id(bob), value: 1_000_000_000 })
    );
    let bad = CallError::BadArguments { pallet: PALLET_INDEX, call: CALL_TRANSFER_KEEP_ALIVE };
    assert_eq!(Call::decode(CALL_TRANSFER_KEEP_ALIVE, &bytes[..34]), Err(bad));
    bytes.push(0);
    assert_eq!(Call::decode(CALL_TRANSFER_KEEP_ALIVE, &bytes), Err(bad));
    assert_eq!(Call::decode(7, &[]), Err(CallError::UnknownCall { pallet: PALLET_INDEX, call: 7 }));
}

#[test]
fn test_error_indices_match_pallet_balances() {
    assert_eq!(DispatchError::from(Error::VestingBalance), DispatchError::module(5, 0));
    assert_eq!(DispatchError::from(Error::InsufficientBalance).encode(), vec![3, 5, 2, 0, 0, 0]);
    assert_eq!(DispatchError::from(Error::DeltaZero), DispatchError::module(5, 11));
}

#[test]
fn test_storage_keys_match_frame_layout() {
    // twox128("Balances") ++ twox128("TotalIssuance"), the key every client reads.
    assert_eq!(
        hex::encode(TotalIssuance::key()),
        "c2261276cc9d1f8598ea4b6a74b15c2f57c875e4cff74148e4628f264b974c80"
    );
}
