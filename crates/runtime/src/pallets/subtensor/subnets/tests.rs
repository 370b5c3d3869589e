//! Tests of subnet creation, `start_call`, identities and dissolution: every call's success
//! path and each of its error paths, and pruning of the cheapest subnet.

#![allow(clippy::arithmetic_side_effects, reason = "test arithmetic on small known values")]
use rustensor_primitives::NetUid;

use super::*;
use crate::dispatch::DispatchError;
use crate::pallets::subtensor::tests::{COLD, HOT, acc, chain, err, has_event, new_subnet, run};
use crate::pallets::subtensor::*;
use crate::pallets::{balances, system};
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

#[test]
fn test_dissolve_network_clears_every_netuid_keyed_item_and_keeps_the_generation() {
    use crate::storage::{Kv as _, KvRead as _};
    let mut s = chain();
    let netuid = new_subnet(&mut s, COLD, HOT);
    let other = new_subnet(&mut s, COLD + 2, HOT + 2);
    // An entry in every netuid-keyed item, for the subnet going away and for one that stays;
    // double maps get a second key after the netuid.
    let written = |n: NetUid| -> Vec<Vec<u8>> {
        netuid_key_prefixes(n)
            .into_iter()
            .flat_map(|p| [p.clone(), [p, vec![7; 3]].concat()])
            .collect()
    };
    for key in written(netuid).iter().chain(&written(other)) {
        s.put(key, &[1]);
    }
    let generation = RegisteredSubnetCounter::get(&s, &netuid);
    assert_eq!(run(&mut s, |ctx| subnets::dissolve_network(ctx, netuid)).0, Ok(()));
    for (item, gone) in NETUID_KEYED.iter().zip(netuid_key_prefixes(netuid)) {
        assert_eq!(
            s.iter_prefix(&gone).count(),
            0,
            "{item} still has entries of subnet {netuid:?}"
        );
    }
    for key in written(other) {
        assert!(s.get(&key).is_some(), "an entry of another subnet was lost: {key:02x?}");
    }
    assert_eq!(RegisteredSubnetCounter::get(&s, &netuid), generation, "the generation outlives it");
}
