//! Tests of neuron registration: `burned_register`, proof-of-work `register`, `root_register`
//! and `try_associate_hotkey`, with their error paths, pruning and burn and difficulty dynamics.

#![allow(clippy::arithmetic_side_effects, reason = "test arithmetic on small known values")]
use rustensor_primitives::{AccountId32, NetUid};

use super::*;
use crate::pallets::subtensor::tests::{COLD, HOT, acc, chain, err, has_event, new_subnet, run};
use crate::pallets::subtensor::*;
use crate::pallets::{balances, system};
use crate::storage::MemoryKv;

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
