//! Tests of subnet creation, dissolution and neuron registration (`subnets.rs`,
//! `registration.rs`): every call's success path and each of its error paths, pruning, price
//! dynamics, and one end-to-end run through signed extrinsics.

#![allow(clippy::arithmetic_side_effects, reason = "test arithmetic on small known values")]

use parity_scale_codec::Encode;
use rustensor_primitives::{AccountId32, NetUid};

use super::storage::*;
use super::*;
use crate::dispatch::{DispatchContext, DispatchError};
use crate::events::{EventRecord, Phase};
use crate::pallets::{balances, system};
use crate::storage::MemoryKv;

fn acc(b: u8) -> AccountId32 {
    AccountId32([b; 32])
}

const COLD: u8 = 1;
const HOT: u8 = 2;

/// A chain at block 1000 with the root subnet and accounts 1..=9 holding 10 000 TAO each.
fn chain() -> MemoryKv {
    let mut s = MemoryKv::new();
    let funded: Vec<(AccountId32, u64)> = (1..=9).map(|b| (acc(b), 10_000 * TAO)).collect();
    balances::build_genesis(&mut s, &funded).unwrap();
    build_genesis(&mut s, Some(&acc(9)), 90_000 * TAO);
    system::Number::put(&mut s, &1000);
    s
}

fn run<T>(
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

fn err(e: Error) -> DispatchError {
    e.into()
}

fn has_event(events: &[EventRecord], event: &Event) -> bool {
    let mut bytes = vec![PALLET_INDEX];
    event.encode_to(&mut bytes);
    events.iter().any(|r| r.event == bytes)
}

/// Registers a subnet owned by (`cold`, `hot`) and starts it.
fn new_subnet(s: &mut MemoryKv, cold: u8, hot: u8) -> NetUid {
    let (netuid, _) = run(s, |ctx| subnets::register_network(ctx, &acc(cold), &acc(hot), None));
    let netuid = netuid.unwrap();
    NetworkRateLimit::put(s, &0);
    netuid
}

// ---- register_network ------------------------------------------------------------------

#[test]
fn test_register_network_locks_the_cost_seeds_the_pool_and_makes_the_owner_uid_0() {
    let mut s = chain();
    let cost = subnets::lock_cost(&s);
    assert_eq!(cost, 1000 * TAO, "first registration pays the floor");
    let before = balances::free_balance(&s, &acc(COLD));
    let (netuid, events) =
        run(&mut s, |ctx| subnets::register_network(ctx, &acc(COLD), &acc(HOT), None));
    let netuid = netuid.unwrap();
    assert_eq!(netuid, NetUid(1));
    assert_eq!(balances::free_balance(&s, &acc(COLD)), before - cost);
    assert_eq!(balances::free_balance(&s, &subnet_account_id(netuid)), cost);
    assert_eq!(SubnetTAO::get(&s, &netuid), cost);
    assert_eq!(SubnetAlphaIn::get(&s, &netuid), cost, "seeded at price 1.0 with no other subnet");
    assert_eq!(TotalStake::get(&s), cost);
    assert_eq!(SubnetOwner::get(&s, &netuid), acc(COLD));
    assert_eq!(Keys::get(&s, &netuid, &0), acc(HOT));
    assert_eq!(Owner::get(&s, &acc(HOT)), acc(COLD));
    assert_eq!(Tempo::get(&s, &netuid), 360);
    assert!(Yuma3On::get(&s, &netuid));
    assert!(!SubnetEmissionEnabled::get(&s, &netuid));
    assert!(!SubtokenEnabled::get(&s, &netuid), "silent until start_call");
    assert_eq!(TokenSymbol::get(&s, &netuid), b"\xCE\xB1".to_vec(), "first free symbol: alpha");
    assert!(has_event(&events, &Event::NetworkAdded(netuid, 1)));
}

#[test]
fn test_lock_cost_doubles_then_decays_linearly_to_the_floor() {
    let mut s = chain();
    new_subnet(&mut s, COLD, HOT);
    assert_eq!(subnets::lock_cost(&s), 2000 * TAO, "doubles right after a registration");
    let interval = NetworkLockReductionInterval::get(&s);
    system::Number::put(&mut s, &u32::try_from(1000 + interval / 2).unwrap());
    assert_eq!(subnets::lock_cost(&s), 2000 * TAO - (1000 * TAO / interval) * (interval / 2));
    system::Number::put(&mut s, &u32::try_from(1000 + 2 * interval).unwrap());
    assert_eq!(subnets::lock_cost(&s), 1000 * TAO, "never below NetworkMinLockCost");
}

#[test]
fn test_register_network_errors() {
    // Rate limit: a second registration in the window.
    let mut s = chain();
    run(&mut s, |ctx| subnets::register_network(ctx, &acc(COLD), &acc(HOT), None)).0.unwrap();
    let (r, _) = run(&mut s, |ctx| subnets::register_network(ctx, &acc(3), &acc(4), None));
    assert_eq!(r, Err(err(Error::NetworkTxRateLimitExceeded)));

    // The hotkey belongs to another coldkey.
    let mut s = chain();
    create_account_if_non_existent(&mut s, &acc(5), &acc(HOT));
    let (r, _) = run(&mut s, |ctx| subnets::register_network(ctx, &acc(COLD), &acc(HOT), None));
    assert_eq!(r, Err(err(Error::NonAssociatedColdKey)));

    // A system account as hotkey.
    let (r, _) = run(&mut s, |ctx| {
        subnets::register_network(ctx, &acc(COLD), &subnet_account_id(NetUid(5)), None)
    });
    assert_eq!(r, Err(err(Error::CannotUseSystemAccount)));

    // Too poor.
    let (r, _) = run(&mut s, |ctx| subnets::register_network(ctx, &acc(77), &acc(78), None));
    assert_eq!(r, Err(err(Error::CannotAffordLockCost)));

    // An identity field over its limit.
    let identity = types::SubnetIdentityV3 { subnet_name: vec![b'x'; 257], ..Default::default() };
    let (r, _) =
        run(&mut s, |ctx| subnets::register_network(ctx, &acc(COLD), &acc(3), Some(identity)));
    assert_eq!(r, Err(err(Error::InvalidIdentity)));

    // Before NetworkRegistrationStartBlock.
    NetworkRegistrationStartBlock::put(&mut s, &2000);
    let (r, _) = run(&mut s, |ctx| subnets::register_network(ctx, &acc(COLD), &acc(3), None));
    assert_eq!(r, Err(err(Error::SubNetRegistrationDisabled)));

    // No slot and nothing prunable (all subnets immune).
    let mut s = chain();
    new_subnet(&mut s, COLD, HOT);
    SubnetLimit::put(&mut s, &1);
    let (r, _) = run(&mut s, |ctx| subnets::register_network(ctx, &acc(3), &acc(4), None));
    assert_eq!(r, Err(err(Error::SubnetLimitReached)));
}

#[test]
fn test_register_network_with_identity_stores_it() {
    let mut s = chain();
    let identity = types::SubnetIdentityV3 { subnet_name: b"text".to_vec(), ..Default::default() };
    let (r, events) = run(&mut s, |ctx| {
        subnets::register_network(ctx, &acc(COLD), &acc(HOT), Some(identity.clone()))
    });
    let netuid = r.unwrap();
    assert_eq!(SubnetIdentitiesV3::get(&s, &netuid), Some(identity));
    assert!(has_event(&events, &Event::SubnetIdentitySet(netuid)));
}

#[test]
fn test_full_subnet_slots_prune_the_cheapest_old_subnet_and_pay_its_stakers() {
    let mut s = chain();
    let first = new_subnet(&mut s, COLD, HOT);
    let second = new_subnet(&mut s, 3, 4);
    // A staker holds alpha on the first subnet: 100 TAO bought into the pool.
    let staker = acc(6);
    let bought = swap::buy(&mut s, first, 100 * TAO, None).unwrap();
    share_pool::increase_stake(&mut s, &acc(HOT), &staker, first, bought.amount_out);
    // Keep the account books right: the staker paid 100 TAO into the subnet account.
    let (paid, _) = run(&mut s, |ctx| {
        balances::transfer(
            ctx,
            &staker,
            &subnet_account_id(first),
            100 * TAO,
            balances::Preservation::Preserve,
        )
    });
    paid.unwrap();
    SubnetMovingPrice::insert(&mut s, &first, &1);
    SubnetMovingPrice::insert(&mut s, &second, &2);
    SubnetLimit::put(&mut s, &2);
    NetworkImmunityPeriod::put(&mut s, &0);
    system::Number::put(&mut s, &5000);
    let staker_before = balances::free_balance(&s, &staker);
    let (r, events) = run(&mut s, |ctx| subnets::register_network(ctx, &acc(7), &acc(8), None));
    assert_eq!(r, Ok(first), "the pruned netuid is reused");
    assert!(has_event(&events, &Event::NetworkRemoved(first)));
    assert_eq!(SubnetOwner::get(&s, &first), acc(7));
    let payout = balances::free_balance(&s, &staker) - staker_before;
    // The staker's share of the 1100 TAO pot is its alpha over all alpha (its own + the pool's).
    let pot = 1100u128 * u128::from(TAO);
    let alpha = u128::from(bought.amount_out);
    let expected = pot * alpha / (alpha + u128::from(1000 * TAO - bought.amount_out));
    assert!((i128::from(payout) - i128::try_from(expected).unwrap()).abs() <= 1);
    assert_eq!(share_pool::alpha_of(&s, &acc(HOT), &staker, first), 0, "old positions are gone");
    assert!(!IsNetworkMember::get(&s, &acc(HOT), &first));
}

// ---- start_call, identities, dissolution -------------------------------------------------

#[test]
fn test_start_call_enables_staking_next_block_and_its_errors() {
    let mut s = chain();
    let netuid = new_subnet(&mut s, COLD, HOT);
    let (r, _) = run(&mut s, |ctx| subnets::start_call(ctx, &acc(3), netuid));
    assert_eq!(r, Err(DispatchError::BadOrigin));
    let (r, _) = run(&mut s, |ctx| subnets::start_call(ctx, &acc(COLD), NetUid(42)));
    assert_eq!(r, Err(err(Error::SubnetNotExists)));
    StartCallDelay::put(&mut s, &10);
    let (r, _) = run(&mut s, |ctx| subnets::start_call(ctx, &acc(COLD), netuid));
    assert_eq!(r, Err(err(Error::NeedWaitingMoreBlocksToStarCall)));
    system::Number::put(&mut s, &1010);
    let (r, events) = run(&mut s, |ctx| subnets::start_call(ctx, &acc(COLD), netuid));
    assert_eq!(r, Ok(()));
    assert_eq!(FirstEmissionBlockNumber::get(&s, &netuid), Some(1011));
    assert!(SubtokenEnabled::get(&s, &netuid));
    assert!(has_event(&events, &Event::FirstEmissionBlockNumberSet(netuid, 1011)));
    let (r, _) = run(&mut s, |ctx| subnets::start_call(ctx, &acc(COLD), netuid));
    assert_eq!(r, Err(err(Error::FirstEmissionBlockNumberAlreadySet)));
}

#[test]
fn test_subnet_and_chain_identities() {
    let mut s = chain();
    let netuid = new_subnet(&mut s, COLD, HOT);
    let good = types::SubnetIdentityV3 { description: b"d".to_vec(), ..Default::default() };
    assert_eq!(
        run(&mut s, |ctx| subnets::set_subnet_identity(ctx, &acc(3), netuid, good.clone())).0,
        Err(DispatchError::BadOrigin)
    );
    let bad = types::SubnetIdentityV3 { discord: vec![0; 257], ..Default::default() };
    assert_eq!(
        run(&mut s, |ctx| subnets::set_subnet_identity(ctx, &acc(COLD), netuid, bad)).0,
        Err(err(Error::InvalidIdentity))
    );
    assert_eq!(
        run(&mut s, |ctx| subnets::set_subnet_identity(ctx, &acc(COLD), NetUid(9), good.clone())).0,
        Err(err(Error::SubnetNotExists))
    );
    assert_eq!(
        run(&mut s, |ctx| subnets::set_subnet_identity(ctx, &acc(COLD), netuid, good.clone())).0,
        Ok(())
    );
    assert_eq!(SubnetIdentitiesV3::get(&s, &netuid), Some(good));

    let id = types::ChainIdentityV2 { name: b"me".to_vec(), ..Default::default() };
    assert_eq!(
        run(&mut s, |ctx| subnets::set_identity(ctx, &acc(3), id.clone())).0,
        Err(err(Error::HotKeyNotRegisteredInNetwork))
    );
    let bad = types::ChainIdentityV2 { url: vec![0; 257], ..Default::default() };
    assert_eq!(
        run(&mut s, |ctx| subnets::set_identity(ctx, &acc(COLD), bad)).0,
        Err(err(Error::InvalidIdentity))
    );
    let (r, events) = run(&mut s, |ctx| subnets::set_identity(ctx, &acc(COLD), id.clone()));
    assert_eq!(r, Ok(()));
    assert_eq!(IdentitiesV2::get(&s, &acc(COLD)), Some(id));
    assert!(has_event(&events, &Event::ChainIdentitySet(acc(COLD))));
}

#[test]
fn test_dissolve_network_recycles_the_lock_and_clears_the_subnet() {
    let mut s = chain();
    let netuid = new_subnet(&mut s, COLD, HOT);
    let issuance = balances::TotalIssuance::get(&s);
    assert_eq!(
        run(&mut s, |ctx| subnets::dissolve_network(ctx, ROOT)).0,
        Err(err(Error::InvalidSubnetNumber))
    );
    assert_eq!(
        run(&mut s, |ctx| subnets::dissolve_network(ctx, NetUid(9))).0,
        Err(err(Error::SubnetNotExists))
    );
    let (r, events) = run(&mut s, |ctx| subnets::dissolve_network(ctx, netuid));
    assert_eq!(r, Ok(()));
    assert!(has_event(&events, &Event::NetworkRemoved(netuid)));
    assert!(!subnet_exists(&s, netuid));
    assert_eq!(balances::free_balance(&s, &subnet_account_id(netuid)), 0);
    assert_eq!(
        balances::TotalIssuance::get(&s),
        issuance - 1000 * TAO,
        "the unclaimed pot is recycled"
    );
    assert_eq!(TotalStake::get(&s), 0);
    assert_eq!(Uids::get(&s, &netuid, &acc(HOT)), None);
    assert_eq!(SubnetworkN::get(&s, &netuid), 0);
    assert_eq!(Tempo::get(&s, &netuid), 360, "back to the storage default");
}

// ---- burned_register ----------------------------------------------------------------------

#[test]
fn test_burned_register_pays_the_burn_assigns_a_uid_and_bumps_the_price() {
    let mut s = chain();
    let netuid = new_subnet(&mut s, COLD, HOT);
    let burn = Burn::get(&s, &netuid);
    assert_eq!(burn, TAO);
    let before = balances::free_balance(&s, &acc(3));
    let pool_alpha = SubnetAlphaIn::get(&s, &netuid);
    let (r, events) =
        run(&mut s, |ctx| registration::burned_register(ctx, &acc(3), netuid, &acc(4), None));
    assert_eq!(r, Ok(()));
    assert_eq!(balances::free_balance(&s, &acc(3)), before - burn);
    assert_eq!(SubnetTAO::get(&s, &netuid), 1001 * TAO, "the burn stays in the pool");
    assert!(SubnetAlphaIn::get(&s, &netuid) < pool_alpha, "alpha bought back");
    assert_eq!(SubnetAlphaOut::get(&s, &netuid), 0, "and destroyed");
    assert_eq!(Uids::get(&s, &netuid, &acc(4)), Some(1));
    assert_eq!(Owner::get(&s, &acc(4)), acc(3));
    assert_eq!(Burn::get(&s, &netuid), 1_260_000_000, "×1.26");
    assert_eq!(RAORecycledForRegistration::get(&s, &netuid), burn);
    assert!(has_event(&events, &Event::NeuronRegistered(netuid, 1, acc(4))));
}

#[test]
fn test_burned_register_errors() {
    let mut s = chain();
    let netuid = new_subnet(&mut s, COLD, HOT);
    let reg = |s: &mut MemoryKv, cold: u8, net: NetUid, hot: AccountId32, limit: Option<u64>| {
        run(s, |ctx| registration::burned_register(ctx, &acc(cold), net, &hot, limit)).0
    };
    assert_eq!(
        reg(&mut s, 3, ROOT, acc(4), None),
        Err(err(Error::RegistrationNotPermittedOnRootSubnet))
    );
    assert_eq!(reg(&mut s, 3, NetUid(9), acc(4), None), Err(err(Error::SubnetNotExists)));
    assert_eq!(
        reg(&mut s, 3, netuid, acc(HOT), None),
        Err(err(Error::HotKeyAlreadyRegisteredInSubNet))
    );
    assert_eq!(
        reg(&mut s, 3, netuid, acc(4), Some(TAO - 1)),
        Err(err(Error::RegistrationPriceLimitExceeded))
    );
    assert_eq!(reg(&mut s, 77, netuid, acc(4), None), Err(err(Error::NotEnoughBalanceToStake)));
    assert_eq!(
        reg(&mut s, 5, netuid, subnet_account_id(ROOT), None),
        Err(err(Error::CannotUseSystemAccount))
    );
    create_account_if_non_existent(&mut s, &acc(6), &acc(4));
    assert_eq!(reg(&mut s, 5, netuid, acc(4), None), Err(err(Error::NonAssociatedColdKey)));
    MaxAllowedUids::insert(&mut s, &netuid, &0);
    assert_eq!(reg(&mut s, 3, netuid, acc(33), None), Err(err(Error::NoNeuronIdAvailable)));
    NetworkRegistrationAllowed::insert(&mut s, &netuid, &false);
    assert_eq!(reg(&mut s, 3, netuid, acc(33), None), Err(err(Error::SubNetRegistrationDisabled)));
}

#[test]
fn test_a_full_subnet_replaces_the_lowest_emission_non_immune_neuron() {
    let mut s = chain();
    let netuid = new_subnet(&mut s, COLD, HOT);
    MaxAllowedUids::insert(&mut s, &netuid, &4);
    MinNonImmuneUids::insert(&mut s, &netuid, &0);
    for hot in 10..13u8 {
        run(&mut s, |ctx| registration::burned_register(ctx, &acc(3), netuid, &acc(hot), None))
            .0
            .unwrap();
    }
    assert_eq!(SubnetworkN::get(&s, &netuid), 4);
    Emission::insert(&mut s, &netuid, &vec![0, 50, 7, 90]);
    Weights::insert(&mut s, &netuid.0, &1, &vec![(2, 100), (3, 5)]);
    // Still immune: the newest immune neuron with the lowest emission (uid 2) goes.
    system::Number::put(&mut s, &1001);
    assert_eq!(registration::neuron_to_prune(&s, netuid, 1001), Some(2));
    system::Number::put(&mut s, &(1000 + 5000));
    let (r, _) =
        run(&mut s, |ctx| registration::burned_register(ctx, &acc(3), netuid, &acc(20), None));
    assert_eq!(r, Ok(()));
    assert_eq!(
        Keys::get(&s, &netuid, &2),
        acc(20),
        "uid 2 (emission 7) replaced, owner uid 0 immortal"
    );
    assert!(!IsNetworkMember::get(&s, &acc(11), &netuid));
    assert_eq!(Weights::get(&s, &netuid.0, &1), vec![(2, 0), (3, 5)], "incoming weights zeroed");
    assert_eq!(BlockAtRegistration::get(&s, &netuid, &2), 6000);
}

#[test]
fn test_burn_decays_by_half_over_the_half_life() {
    let f = registration::burn_decay_factor_q32(360);
    let mut x: u128 = 1 << 32;
    for _ in 0..360 {
        x = (x * u128::from(f)) >> 32;
    }
    assert!(x <= 1 << 31 && x > (1 << 31) - (1 << 20), "f^360 ≈ 0.5, got {x}");
    let mut s = chain();
    let netuid = new_subnet(&mut s, COLD, HOT);
    Burn::insert(&mut s, &netuid, &(10 * TAO));
    for _ in 0..360 {
        registration::decay_burn(&mut s, netuid, 1000);
    }
    let b = Burn::get(&s, &netuid);
    assert!(b <= 5 * TAO && b > 5 * TAO - 5 * TAO / 1000, "{b}");
    Burn::insert(&mut s, &netuid, &1);
    registration::decay_burn(&mut s, netuid, 1000);
    assert_eq!(Burn::get(&s, &netuid), MinBurn::get(&s, &netuid), "clamped to MinBurn");
}

// ---- register (proof of work) --------------------------------------------------------

fn pow_for(s: &MemoryKv, hot: &AccountId32, block: u64, difficulty: u64) -> (u64, Vec<u8>) {
    let hash = system::BlockHash::get(s, &u32::try_from(block).unwrap());
    (0u64..)
        .map(|nonce| (nonce, pow::pow_seal(&hash, hot, nonce)))
        .find(|(_, seal)| pow::seal_meets_difficulty(seal, difficulty))
        .map(|(n, seal)| (n, seal.to_vec()))
        .unwrap()
}

#[test]
fn test_pow_register_checks_the_seal_and_difficulty() {
    let mut s = chain();
    let netuid = new_subnet(&mut s, COLD, HOT);
    // Without PoW enabled, `register` is `burned_register` for the signer.
    let pow = registration::PowArgs { block_number: 0, nonce: 0, work: vec![], coldkey: acc(3) };
    assert_eq!(
        run(&mut s, |ctx| registration::register(ctx, &acc(3), netuid, &acc(30), pow)).0,
        Ok(())
    );
    assert_eq!(Owner::get(&s, &acc(30)), acc(3));

    NetworkPowRegistrationAllowed::insert(&mut s, &netuid, &true);
    Difficulty::insert(&mut s, &netuid, &1000);
    RegistrationsThisBlock::insert(&mut s, &netuid, &0);
    system::BlockHash::insert(&mut s, &999, &[7; 32]);
    let hot = acc(31);
    let (nonce, work) = pow_for(&s, &hot, 999, 1000);
    let args = |nonce: u64, work: Vec<u8>, block: u64| registration::PowArgs {
        block_number: block,
        nonce,
        work,
        coldkey: acc(5),
    };
    let reg = |s: &mut MemoryKv, signer: AccountId32, a: registration::PowArgs| {
        run(s, |ctx| registration::register(ctx, &signer, netuid, &hot, a)).0
    };
    assert_eq!(
        reg(&mut s, acc(5), args(nonce, work.clone(), 999)),
        Err(err(Error::TransactorAccountShouldBeHotKey))
    );
    assert_eq!(
        reg(&mut s, hot, args(nonce, work.clone(), 1001)),
        Err(err(Error::InvalidWorkBlock))
    );
    assert_eq!(reg(&mut s, hot, args(nonce, work.clone(), 990)), Err(err(Error::InvalidWorkBlock)));
    assert_eq!(reg(&mut s, hot, args(nonce, vec![1; 32], 999)), Err(err(Error::InvalidSeal)));
    Difficulty::insert(&mut s, &netuid, &u64::MAX);
    if !pow::seal_meets_difficulty(&work.clone().try_into().unwrap(), u64::MAX) {
        assert_eq!(
            reg(&mut s, hot, args(nonce, work.clone(), 999)),
            Err(err(Error::InvalidDifficulty))
        );
    }
    Difficulty::insert(&mut s, &netuid, &1000);
    assert_eq!(reg(&mut s, hot, args(nonce, work.clone(), 999)), Ok(()));
    assert_eq!(Owner::get(&s, &hot), acc(5), "bound to the coldkey argument");
    assert_eq!(UsedWork::get(&s, &work), 1000);
    let hot2 = acc(32);
    assert_eq!(
        run(&mut s, |ctx| registration::register(
            ctx,
            &hot2,
            netuid,
            &hot2,
            args(nonce, work.clone(), 999)
        ))
        .0,
        Err(err(Error::TooManyRegistrationsThisBlock))
    );
    RegistrationsThisBlock::insert(&mut s, &netuid, &0);
    RegistrationsThisInterval::insert(&mut s, &netuid, &6);
    assert_eq!(
        run(&mut s, |ctx| registration::register(
            ctx,
            &hot2,
            netuid,
            &hot2,
            args(nonce, work.clone(), 999)
        ))
        .0,
        Err(err(Error::TooManyRegistrationsThisInterval))
    );
}

#[test]
fn test_difficulty_adjusts_toward_the_registration_target() {
    let mut s = chain();
    let netuid = new_subnet(&mut s, COLD, HOT);
    NetworkPowRegistrationAllowed::insert(&mut s, &netuid, &true);
    Difficulty::insert(&mut s, &netuid, &20_000_000);
    RegistrationsThisInterval::insert(&mut s, &netuid, &6); // target 2: (6+2)/(2·2) = 2×
    registration::adjust_difficulty(&mut s, netuid, 1000);
    assert_eq!(Difficulty::get(&s, &netuid), 40_000_000);
    assert_eq!(RegistrationsThisInterval::get(&s, &netuid), 0);
    registration::adjust_difficulty(&mut s, netuid, 1050);
    assert_eq!(Difficulty::get(&s, &netuid), 40_000_000, "not before AdjustmentInterval");
    registration::adjust_difficulty(&mut s, netuid, 1100);
    assert_eq!(Difficulty::get(&s, &netuid), 20_000_000, "no registrations: halves");
}

#[test]
fn test_block_step_adjusts_difficulty_only_on_pow_subnets() {
    use crate::executive::Executive;
    use crate::pallets::Runtime;
    use crate::test_utils::TEST_VERSION;
    let mut s = chain();
    let pow = new_subnet(&mut s, COLD, HOT);
    let burn_only = new_subnet(&mut s, 3, 4);
    NetworkPowRegistrationAllowed::insert(&mut s, &pow, &true);
    for n in [pow, burn_only] {
        Difficulty::insert(&mut s, &n, &40_000_000);
        AdjustmentInterval::insert(&mut s, &n, &1);
        LastAdjustmentBlock::insert(&mut s, &n, &0);
    }
    // Block 1001's step: no registrations in the interval halves the PoW subnet's difficulty.
    let block = Executive::initialize_block(&s, Runtime, TEST_VERSION, 1001, [1; 32]);
    let state = block.finalize_block();
    assert_eq!(Difficulty::get(&state, &pow), 20_000_000);
    assert_eq!(LastAdjustmentBlock::get(&state, &pow), 1001);
    assert_eq!(Difficulty::get(&state, &burn_only), 40_000_000, "PoW off: untouched");
}

// ---- root_register, try_associate_hotkey -------------------------------------------------

#[test]
fn test_root_register_appends_then_replaces_the_least_staked_member() {
    let mut s = chain();
    MaxAllowedUids::insert(&mut s, &ROOT, &2);
    TargetRegistrationsPerInterval::insert(&mut s, &ROOT, &10);
    for (i, hot) in [40u8, 41].into_iter().enumerate() {
        share_pool::credit_new_alpha(&mut s, &acc(hot), &acc(3), ROOT, 100 * (i as u64 + 1));
        RegistrationsThisBlock::insert(&mut s, &ROOT, &0);
        let (r, events) = run(&mut s, |ctx| registration::root_register(ctx, &acc(3), &acc(hot)));
        assert_eq!(r, Ok(()));
        assert!(has_event(&events, &Event::NeuronRegistered(ROOT, i as u16, acc(hot))));
    }
    RegistrationsThisBlock::insert(&mut s, &ROOT, &0);
    assert_eq!(
        run(&mut s, |ctx| registration::root_register(ctx, &acc(3), &acc(40))).0,
        Err(err(Error::HotKeyAlreadyRegisteredInSubNet))
    );
    share_pool::credit_new_alpha(&mut s, &acc(42), &acc(3), ROOT, 100);
    assert_eq!(
        run(&mut s, |ctx| registration::root_register(ctx, &acc(3), &acc(42))).0,
        Err(err(Error::StakeTooLowForRoot))
    );
    share_pool::credit_new_alpha(&mut s, &acc(42), &acc(3), ROOT, 1);
    assert_eq!(run(&mut s, |ctx| registration::root_register(ctx, &acc(3), &acc(42))).0, Ok(()));
    assert_eq!(Keys::get(&s, &ROOT, &0), acc(42), "uid 0 (stake 100) replaced");
    assert_eq!(Delegates::get(&s, &acc(42)), 11_796);
    assert_eq!(
        run(&mut s, |ctx| registration::root_register(ctx, &acc(3), &acc(43))).0,
        Err(err(Error::TooManyRegistrationsThisBlock))
    );
    create_account_if_non_existent(&mut s, &acc(5), &acc(44));
    assert_eq!(
        run(&mut s, |ctx| registration::root_register(ctx, &acc(3), &acc(44))).0,
        Err(err(Error::NonAssociatedColdKey))
    );
}

#[test]
fn test_try_associate_hotkey_binds_once() {
    let mut s = chain();
    assert_eq!(
        run(&mut s, |ctx| registration::try_associate_hotkey(ctx, &acc(3), &acc(4))).0,
        Ok(())
    );
    assert_eq!(Owner::get(&s, &acc(4)), acc(3));
    assert_eq!(
        run(&mut s, |ctx| registration::try_associate_hotkey(ctx, &acc(5), &acc(4))).0,
        Ok(())
    );
    assert_eq!(Owner::get(&s, &acc(4)), acc(3), "first binding wins");
    assert_eq!(
        run(&mut s, |ctx| registration::try_associate_hotkey(
            ctx,
            &acc(3),
            &subnet_account_id(ROOT)
        ))
        .0,
        Err(err(Error::CannotUseSystemAccount))
    );
}

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
