//! Tests of the read APIs: values against the state they read, byte layouts assembled by hand
//! (independent of the derives), and the `state_call` entry point's errors.

#![allow(clippy::arithmetic_side_effects, reason = "test arithmetic on small known values")]

use parity_scale_codec::{Compact, Decode, Encode};
use rustensor_primitives::{AccountId32, NetUid};

use super::delegate::*;
use super::dynamic::*;
use super::hyperparams::*;
use super::metagraph::*;
use super::neuron::*;
use super::stake::*;
use super::*;
use crate::pallets::subtensor::registration::append_neuron;
use crate::pallets::subtensor::share_pool::{credit_new_alpha, note_staking_hotkey};
use crate::pallets::subtensor::storage::*;
use crate::pallets::subtensor::subnets::{NewSubnet, init_network};
use crate::pallets::subtensor::types::{AxonInfo, ChainIdentityV2, SubnetIdentityV3};
use crate::pallets::subtensor::{ROOT, build_genesis, create_account_if_non_existent};
use crate::pallets::{balances, system};
use crate::storage::MemoryKv;

fn acc(b: u8) -> AccountId32 {
    AccountId32([b; 32])
}

const NET: NetUid = NetUid(1);
const OWNER_COLD: u8 = 200;
const OWNER_HOT: u8 = 201;

/// A chain at block 1000: the root subnet and subnet 1 (owner 200/201 as uid 0) with a
/// 1000 TAO / 500 α pool.
fn chain() -> MemoryKv {
    let mut s = MemoryKv::new();
    balances::build_genesis(&mut s, &[(acc(1), 10_000 * TAO)]).unwrap();
    build_genesis(&mut s, Some(&acc(9)), 10_000 * TAO);
    system::Number::put(&mut s, &1000);
    init_network(&mut s, NET, &acc(OWNER_COLD), &acc(OWNER_HOT), &NewSubnet::default(), 900);
    create_account_if_non_existent(&mut s, &acc(OWNER_COLD), &acc(OWNER_HOT));
    append_neuron(&mut s, NET, &acc(OWNER_HOT), 900);
    SubnetTAO::insert(&mut s, &NET, &(1000 * TAO));
    SubnetAlphaIn::insert(&mut s, &NET, &(500 * TAO));
    TokenSymbol::insert(&mut s, &NET, &b"\xCE\xB1".to_vec());
    s
}

/// Registers `hot` (owned by `cold`) on `netuid` and stakes `alpha` from `cold`.
fn neuron_with_stake(s: &mut MemoryKv, netuid: NetUid, hot: u8, cold: u8, alpha: u64) -> u16 {
    create_account_if_non_existent(s, &acc(cold), &acc(hot));
    let uid = append_neuron(s, netuid, &acc(hot), 950);
    if alpha > 0 {
        credit_new_alpha(s, &acc(hot), &acc(cold), netuid, alpha);
    }
    uid
}

/// SCALE compact encoding, written out from the spec (not through the codec).
fn compact(v: u128) -> Vec<u8> {
    if v < 1 << 6 {
        vec![(v as u8) << 2]
    } else if v < 1 << 14 {
        (((v as u16) << 2) | 1).to_le_bytes().to_vec()
    } else if v < 1 << 30 {
        (((v as u32) << 2) | 2).to_le_bytes().to_vec()
    } else {
        let bytes = v.to_le_bytes();
        let len = 16 - bytes.iter().rev().take_while(|b| **b == 0).count();
        let mut out = vec![(((len - 4) as u8) << 2) | 3];
        out.extend_from_slice(&bytes[..len]);
        out
    }
}

#[test]
fn test_compact_helper_matches_the_spec_examples() {
    assert_eq!(compact(0), vec![0x00]);
    assert_eq!(compact(1), vec![0x04]);
    assert_eq!(compact(42), vec![0xa8]);
    assert_eq!(compact(69), vec![0x15, 0x01]);
    assert_eq!(compact(65535), vec![0xfe, 0xff, 0x03, 0x00]);
    assert_eq!(compact(1 << 30), vec![0x03, 0x00, 0x00, 0x00, 0x40]);
    for v in [0u128, 63, 64, 16383, 16384, (1 << 30) - 1, 1 << 30, u64::MAX.into(), u128::MAX] {
        assert_eq!(compact(v), Compact(v).encode(), "{v}");
    }
}

// ---- NeuronInfoRuntimeApi ---------------------------------------------------------------

/// Subnet 1 with a second neuron (uid 1) whose per-uid vectors, axon and rows are set.
fn chain_with_neurons() -> MemoryKv {
    let mut s = chain();
    let uid = neuron_with_stake(&mut s, NET, 2, 3, 7_000);
    assert_eq!(uid, 1);
    credit_new_alpha(&mut s, &acc(2), &acc(4), NET, 3_000);
    note_staking_hotkey(&mut s, &acc(4), &acc(2));
    Active::insert(&mut s, &NET, &vec![false, true]);
    Emission::insert(&mut s, &NET, &vec![11, 22]);
    Incentive::insert(&mut s, &NET.0, &vec![33, 44]);
    Consensus::insert(&mut s, &NET, &vec![55, 66]);
    ValidatorTrust::insert(&mut s, &NET, &vec![77, 88]);
    Dividends::insert(&mut s, &NET, &vec![99, 111]);
    LastUpdate::insert(&mut s, &NET.0, &vec![5, 990]);
    ValidatorPermit::insert(&mut s, &NET, &vec![false, true]);
    Weights::insert(&mut s, &NET.0, &1, &vec![(0, 65535), (1, 0)]);
    Bonds::insert(&mut s, &NET.0, &1, &vec![(0, 0), (1, 1234)]);
    let axon = AxonInfo {
        block: 960,
        version: 7,
        ip: 0x7f00_0001,
        port: 8091,
        ip_type: 4,
        protocol: 4,
        ..AxonInfo::default()
    };
    Axons::insert(&mut s, &NET, &acc(2), &axon);
    s
}

#[test]
fn test_neuron_info_reports_the_stored_per_uid_values() {
    let s = chain_with_neurons();
    let n = get_neuron(&s, NET, 1).unwrap();
    assert_eq!(n.hotkey, acc(2));
    assert_eq!(n.coldkey, acc(3));
    assert_eq!(n.uid, Compact(1));
    assert_eq!(n.netuid, Compact(NET));
    assert!(n.active);
    assert_eq!(n.axon_info.port, 8091);
    assert_eq!(n.prometheus_info, Default::default());
    assert_eq!(n.stake, vec![(acc(3), Compact(10_000))], "owner, all alpha on the hotkey");
    assert_eq!(n.emission, Compact(22));
    assert_eq!(n.incentive, Compact(44));
    assert_eq!(n.consensus, Compact(66));
    assert_eq!(n.validator_trust, Compact(88));
    assert_eq!(n.dividends, Compact(111));
    assert_eq!(n.last_update, Compact(990));
    assert!(n.validator_permit);
    assert_eq!((n.rank, n.trust, n.pruning_score), (Compact(0), Compact(0), Compact(u16::MAX)));
    assert_eq!(n.weights, vec![(Compact(0), Compact(65535))], "zero weights dropped");
    assert_eq!(n.bonds, vec![(Compact(1), Compact(1234))], "zero bonds dropped");

    let all = get_neurons(&s, NET);
    assert_eq!(all.len(), 2);
    assert_eq!(all[1], n);
    assert_eq!(all[0].hotkey, acc(OWNER_HOT));
    assert_eq!(all[0].coldkey, acc(OWNER_COLD));
    assert_eq!(all[0].emission, Compact(11));

    let lite = get_neurons_lite(&s, NET);
    assert_eq!(lite.len(), 2);
    assert_eq!(lite[1], NeuronInfoLite::from(n));
    assert_eq!(get_neuron_lite(&s, NET, 1), Some(lite[1].clone()));

    assert_eq!(get_neuron(&s, NET, 2), None, "no such uid");
    assert_eq!(get_neuron_lite(&s, NetUid(7), 0), None, "no such subnet");
    assert!(get_neurons(&s, NetUid(7)).is_empty());
    assert!(get_neurons_lite(&s, NetUid(7)).is_empty());
}

#[test]
fn test_neuron_info_lite_byte_layout() {
    let s = chain_with_neurons();
    let n = get_neuron_lite(&s, NET, 1).unwrap();
    let mut want = Vec::new();
    want.extend_from_slice(&[2; 32]); // hotkey
    want.extend_from_slice(&[3; 32]); // coldkey
    want.extend(compact(1)); // uid
    want.extend(compact(1)); // netuid
    want.push(1); // active
    // AxonInfo: block u64, version u32, ip u128, port u16, ip_type u8, protocol u8, 2 × u8.
    want.extend_from_slice(&960u64.to_le_bytes());
    want.extend_from_slice(&7u32.to_le_bytes());
    want.extend_from_slice(&0x7f00_0001u128.to_le_bytes());
    want.extend_from_slice(&8091u16.to_le_bytes());
    want.extend_from_slice(&[4, 4, 0, 0]);
    // PrometheusInfo: block u64, version u32, ip u128, port u16, ip_type u8.
    want.extend_from_slice(&[0; 8 + 4 + 16 + 2 + 1]);
    want.extend(compact(1)); // stake: one entry
    want.extend_from_slice(&[3; 32]);
    want.extend(compact(10_000));
    want.extend(compact(0)); // rank
    want.extend(compact(22)); // emission
    want.extend(compact(44)); // incentive
    want.extend(compact(66)); // consensus
    want.extend(compact(0)); // trust
    want.extend(compact(88)); // validator_trust
    want.extend(compact(111)); // dividends
    want.extend(compact(990)); // last_update
    want.push(1); // validator_permit
    want.extend(compact(65535)); // pruning_score
    assert_eq!(n.encode(), want);

    let full = get_neuron(&s, NET, 1).unwrap().encode();
    // NeuronInfo: the lite fields, with weights and bonds before pruning_score.
    let head = want.len() - compact(65535).len();
    assert_eq!(full[..head], want[..head]);
    let mut tail = compact(1);
    tail.extend(compact(0));
    tail.extend(compact(65535));
    tail.extend(compact(1));
    tail.extend(compact(1));
    tail.extend(compact(1234));
    tail.extend(compact(65535));
    assert_eq!(full[head..], tail[..]);
}

// ---- StakeInfoRuntimeApi ----------------------------------------------------------------

#[test]
fn test_stake_info_lists_non_zero_positions_per_subnet() {
    let mut s = chain_with_neurons();
    // Coldkey 4 also stakes on root to hotkey 2 and holds a zero position on hotkey 5.
    credit_new_alpha(&mut s, &acc(2), &acc(4), ROOT, 2_500);
    create_account_if_non_existent(&mut s, &acc(4), &acc(5));
    AlphaDividendsPerSubnet::insert(&mut s, &NET, &acc(2), &321);
    let infos = get_stake_info_for_coldkey(&s, &acc(4));
    let got: Vec<(AccountId32, NetUid, u64, u64, bool)> = infos
        .iter()
        .map(|i| (i.hotkey, i.netuid.0, i.stake.0, i.emission.0, i.is_registered))
        .collect();
    assert_eq!(got, vec![(acc(2), ROOT, 2_500, 0, false), (acc(2), NET, 3_000, 321, true)]);
    assert!(infos.iter().all(|i| i.coldkey == acc(4) && i.locked.0 == 0 && i.drain.0 == 0));

    let many = get_stake_info_for_coldkeys(&s, &[acc(3), acc(77)]);
    assert_eq!(many.len(), 2);
    assert_eq!(many[0].0, acc(3));
    assert_eq!(many[0].1.len(), 1);
    assert_eq!(many[0].1[0].stake, Compact(7_000));
    assert_eq!(many[1], (acc(77), Vec::new()));

    let one = get_stake_info_for_hotkey_coldkey_netuid(&s, &acc(2), &acc(3), NET).unwrap();
    assert_eq!(one, many[0].1[0]);
    let none = get_stake_info_for_hotkey_coldkey_netuid(&s, &acc(5), &acc(4), NET).unwrap();
    assert_eq!((none.stake, none.is_registered), (Compact(0), false), "zero position is Some");
}

#[test]
fn test_stake_info_byte_layout() {
    let info = StakeInfo {
        hotkey: acc(2),
        coldkey: acc(3),
        netuid: Compact(NetUid(300)),
        stake: Compact(5 * TAO),
        locked: Compact(0),
        emission: Compact(17),
        tao_emission: Compact(0),
        drain: Compact(0),
        is_registered: true,
    };
    let mut want = [[2u8; 32], [3u8; 32]].concat();
    want.extend(compact(300));
    want.extend(compact(u128::from(5 * TAO)));
    want.extend(compact(0));
    want.extend(compact(17));
    want.extend(compact(0));
    want.extend(compact(0));
    want.push(1);
    assert_eq!(info.encode(), want);
    assert_eq!(StakeInfo::decode(&mut &want[..]).unwrap(), info);
}

// ---- DynamicInfo ------------------------------------------------------------------------

#[test]
fn test_dynamic_info_reports_the_pool_and_names() {
    let mut s = chain();
    LastMechansimStepBlock::insert(&mut s, &NET, &940);
    SubnetAlphaOut::insert(&mut s, &NET, &(200 * TAO));
    SubnetAlphaInEmission::insert(&mut s, &NET, &5);
    SubnetAlphaOutEmission::insert(&mut s, &NET, &6);
    SubnetTaoInEmission::insert(&mut s, &NET, &7);
    PendingServerEmission::insert(&mut s, &NET, &100);
    PendingValidatorEmission::insert(&mut s, &NET, &23);
    SubnetVolume::insert(&mut s, &NET, &(u128::from(u64::MAX) + 1));
    SubnetMovingPrice::insert(&mut s, &NET, &(3i128 << 31));
    let d = get_dynamic_info(&s, NET).unwrap();
    assert_eq!(d.netuid, Compact(NET));
    assert_eq!((d.owner_hotkey, d.owner_coldkey), (acc(OWNER_HOT), acc(OWNER_COLD)));
    assert_eq!(d.subnet_name, compact_bytes(b"apex"), "built-in name without identity");
    assert_eq!(d.token_symbol, compact_bytes(b"\xCE\xB1"));
    assert_eq!(d.tempo, Compact(360));
    assert_eq!((d.last_step, d.blocks_since_last_step), (Compact(940), Compact(60)));
    assert_eq!(d.alpha_in, Compact(500 * TAO));
    assert_eq!(d.alpha_out, Compact(200 * TAO));
    assert_eq!(d.tao_in, Compact(1000 * TAO));
    assert_eq!((d.alpha_in_emission, d.alpha_out_emission), (Compact(5), Compact(6)));
    assert_eq!(d.tao_in_emission, Compact(7));
    assert_eq!(d.pending_alpha_emission, Compact(123));
    assert_eq!(d.subnet_volume, Compact(u128::from(u64::MAX) + 1));
    assert_eq!(d.network_registered_at, Compact(900));
    assert_eq!(d.subnet_identity, None);
    assert_eq!(d.moving_price, 3i128 << 31, "1.5 in I96F32 bits");

    let identity = SubnetIdentityV3 { subnet_name: b"mine".to_vec(), ..Default::default() };
    SubnetIdentitiesV3::insert(&mut s, &NET, &identity);
    let d = get_dynamic_info(&s, NET).unwrap();
    assert_eq!(d.subnet_name, compact_bytes(b"mine"));
    assert_eq!(d.subnet_identity, Some(identity));

    assert_eq!(get_dynamic_info(&s, NetUid(2)), None);
    let all = get_all_dynamic_info(&s);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].as_ref().unwrap().subnet_name, compact_bytes(b"root"));
    assert_eq!(all[1], Some(d));
}

#[test]
fn test_subnet_names_fall_back_to_the_table_then_unknown() {
    let s = chain();
    assert_eq!(subnet_name(&s, NetUid(2)), b"omron".to_vec());
    assert_eq!(subnet_name(&s, NetUid(438)), b"ra".to_vec());
    assert_eq!(subnet_name(&s, NetUid(439)), b"unknown".to_vec());
}

#[test]
fn test_dynamic_info_byte_layout() {
    let mut s = chain();
    SubnetMovingPrice::insert(&mut s, &NET, &-1i128);
    let d = get_dynamic_info(&s, NET).unwrap();
    let mut want = compact(1); // netuid
    want.extend_from_slice(&[OWNER_HOT; 32]);
    want.extend_from_slice(&[OWNER_COLD; 32]);
    want.extend(compact(4)); // subnet_name: 4 × Compact<u8>
    for b in b"apex" {
        want.extend(compact(u128::from(*b)));
    }
    want.extend(compact(2)); // token_symbol
    want.extend(compact(0xCE));
    want.extend(compact(0xB1));
    want.extend(compact(360)); // tempo
    want.extend(compact(0)); // last_step
    want.extend(compact(1000)); // blocks_since_last_step
    want.extend(compact(0)); // emission
    want.extend(compact(u128::from(500 * TAO))); // alpha_in
    want.extend(compact(0)); // alpha_out
    want.extend(compact(u128::from(1000 * TAO))); // tao_in
    want.extend(compact(0)); // alpha_out_emission
    want.extend(compact(0)); // alpha_in_emission
    want.extend(compact(0)); // tao_in_emission
    want.extend(compact(0)); // pending_alpha_emission
    want.extend(compact(0)); // pending_root_emission
    want.extend(compact(0)); // subnet_volume
    want.extend(compact(900)); // network_registered_at
    want.push(0); // subnet_identity: None
    want.extend_from_slice(&[0xff; 16]); // moving_price: I96F32 bits
    assert_eq!(d.encode(), want);
}

// ---- Metagraph --------------------------------------------------------------------------

#[test]
fn test_metagraph_reports_keys_vectors_and_stake_weights() {
    let mut s = chain_with_neurons();
    // Hotkey 2 also holds 4 TAO on root; TaoWeight 0.5.
    credit_new_alpha(&mut s, &acc(2), &acc(3), ROOT, 4 * TAO);
    TaoWeight::put(&mut s, &(u64::MAX / 2));
    BlockAtRegistration::insert(&mut s, &NET, &1, &950);
    let identity = ChainIdentityV2 { name: b"three".to_vec(), ..Default::default() };
    IdentitiesV2::insert(&mut s, &acc(3), &identity);
    AlphaDividendsPerSubnet::insert(&mut s, &NET, &acc(2), &42);
    let m = get_metagraph(&s, NET).unwrap();
    assert_eq!(m.netuid, Compact(NET));
    assert_eq!(m.name, compact_bytes(b"apex"));
    assert_eq!(m.block, Compact(1000));
    assert_eq!(m.num_uids, Compact(2));
    assert_eq!(m.max_uids, Compact(256));
    assert_eq!(m.burn, Compact(TAO));
    assert_eq!(m.activity_cutoff, Compact(13_889 * 360 / 1000));
    assert_eq!(m.hotkeys, vec![acc(OWNER_HOT), acc(2)]);
    assert_eq!(m.coldkeys, vec![acc(OWNER_COLD), acc(3)]);
    assert_eq!(m.identities, vec![None, Some(identity)]);
    assert_eq!(m.axons[1].port, 8091);
    assert_eq!(m.active, vec![false, true]);
    assert_eq!(m.validator_permit, vec![false, true]);
    assert_eq!(m.emission, vec![Compact(11), Compact(22)]);
    assert_eq!(m.incentives, vec![Compact(33), Compact(44)]);
    assert_eq!(m.consensus, vec![Compact(55), Compact(66)]);
    assert_eq!(m.dividends, vec![Compact(99), Compact(111)]);
    assert_eq!(m.last_update, vec![Compact(5), Compact(990)]);
    assert!(m.pruning_score.is_empty() && m.trust.is_empty() && m.rank.is_empty());
    assert_eq!(m.block_at_registration, vec![Compact(900), Compact(950)]);
    assert_eq!(m.alpha_stake, vec![Compact(0), Compact(10_000)]);
    assert_eq!(m.tao_stake, vec![Compact(0), Compact(4 * TAO)]);
    // w = floor(2^63-1 … / (2^64-1) in Q32) = 0x7fffffff / 2^32: just under one half.
    let w: u128 = ((u128::from(u64::MAX / 2)) << 32) / u128::from(u64::MAX);
    let weighted = ((u128::from(4 * TAO) * w) >> 32) as u64;
    assert_eq!(m.total_stake, vec![Compact(0), Compact(10_000 + weighted)]);
    assert!(weighted < 2 * TAO && weighted > 2 * TAO - 2);
    assert_eq!(
        m.alpha_dividends_per_hotkey,
        vec![(acc(OWNER_HOT), Compact(0)), (acc(2), Compact(42))]
    );
    assert_eq!(
        m.tao_dividends_per_hotkey,
        vec![(acc(OWNER_HOT), Compact(0)), (acc(2), Compact(0))]
    );

    assert_eq!(get_mechagraph(&s, NET, 0), Some(m.clone()));
    assert_eq!(get_mechagraph(&s, NET, 1), None);
    assert_eq!(get_metagraph(&s, NetUid(5)), None);
    let all = get_all_metagraphs(&s);
    assert_eq!(all.len(), 2);
    assert_eq!(all[1], Some(m.clone()));

    let st = get_subnet_state(&s, NET).unwrap();
    assert_eq!(st.hotkeys, m.hotkeys);
    assert_eq!(st.total_stake, m.total_stake);
    assert_eq!(st.emission_history, vec![vec![Compact(0); 2]; 2], "2 subnets × 2 hotkeys");

    // The encoding round-trips through the derived decoder.
    assert_eq!(Metagraph::decode(&mut &m.encode()[..]).unwrap(), m);
}

// ---- Hyperparameters --------------------------------------------------------------------

#[test]
fn test_hyperparams_v2_and_v3_report_the_stored_values() {
    let mut s = chain();
    Kappa::insert(&mut s, &NET, &1234);
    AlphaValues::insert(&mut s, &NET, &(100, 200));
    AlphaSigmoidSteepness::insert(&mut s, &NET, &-3);
    LiquidAlphaOn::insert(&mut s, &NET, &true);
    SubtokenEnabled::insert(&mut s, &NET, &true);
    let h = get_subnet_hyperparams_v2(&s, NET).unwrap();
    assert_eq!(h.kappa, Compact(1234));
    assert_eq!(h.tempo, Compact(360));
    assert_eq!((h.alpha_low, h.alpha_high), (Compact(100), Compact(200)));
    assert_eq!(h.alpha_sigmoid_steepness, -3i64 << 32);
    assert_eq!(h.yuma_version, Compact(3), "new subnets run Yuma 3");
    assert!(h.liquid_alpha_enabled && h.subnet_is_active && h.transfers_enabled);
    assert!(h.registration_allowed && h.commit_reveal_weights_enabled);
    assert!(!h.user_liquidity_enabled && !h.bonds_reset_enabled);
    let v1 = get_subnet_hyperparams(&s, NET).unwrap();
    assert_eq!(h.encode()[..v1.encode().len()], v1.encode()[..], "v2 extends v1");

    let v3 = get_subnet_hyperparams_v3(&s, NET).unwrap();
    let names: Vec<&str> = v3.iter().map(|e| core::str::from_utf8(&e.name).unwrap()).collect();
    assert_eq!(names.len(), 33);
    assert_eq!(names[0], "kappa");
    assert_eq!(names[32], "min_childkey_take");
    let value = |name: &str| v3.iter().find(|e| e.name == name.as_bytes()).unwrap().value.clone();
    assert_eq!(value("kappa"), HyperparamValue::U16(Compact(1234)));
    assert_eq!(value("alpha_sigmoid_steepness"), HyperparamValue::I32F32(-3i64 << 32));
    assert_eq!(value("min_burn"), HyperparamValue::TaoBalance(Compact(500_000)));
    assert_eq!(
        value("burn_increase_mult"),
        HyperparamValue::U64F64(DEFAULT_BURN_INCREASE_MULT_BITS)
    );
    // Variant tags: Bool 0, U16 1, …, I32F32 6, U64F64 7.
    assert_eq!(HyperparamValue::I32F32(1).encode(), [&[6u8][..], &1i64.to_le_bytes()].concat());
    assert_eq!(HyperparamValue::U16(Compact(5)).encode(), vec![1, 20]);

    assert_eq!(get_subnet_hyperparams_v2(&s, NetUid(9)), None);
    assert_eq!(get_subnet_hyperparams_v3(&s, NetUid(9)), None);

    let info = get_subnet_info_v2(&s, NET).unwrap();
    assert_eq!(info.subnetwork_n, Compact(1));
    assert_eq!(info.scaling_law_power, Compact(50));
    assert_eq!(info.owner, acc(OWNER_COLD));
    let v1 = get_subnet_info(&s, NET).unwrap();
    assert_eq!(info.encode()[..v1.encode().len()], v1.encode()[..], "v2 extends v1");
    assert_eq!(get_subnets_info_v2(&s).len(), 2);
}

// ---- Delegates --------------------------------------------------------------------------

#[test]
fn test_delegates_list_nominators_registrations_and_returns() {
    let mut s = chain_with_neurons();
    Delegates::insert(&mut s, &acc(2), &0);
    credit_new_alpha(&mut s, &acc(2), &acc(3), ROOT, 1000 * TAO);
    Tempo::insert(&mut s, &NET, &100);
    Emission::insert(&mut s, &NET, &vec![0, 1_000]);
    let d = get_delegate(&s, &acc(2)).unwrap();
    assert_eq!(d.delegate_ss58, acc(2));
    assert_eq!(d.take, Compact(0));
    assert_eq!(d.owner_ss58, acc(3));
    assert_eq!(d.registrations, vec![Compact(NET)]);
    assert_eq!(d.validator_permits, vec![Compact(NET)]);
    // 72 epochs a day × 1000 = 72 000 per day; 1000 TAO staked on root, no take.
    assert_eq!(d.total_daily_return, Compact(72_000));
    assert_eq!(d.return_per_1000, Compact(72_000));
    let nominators: Vec<(AccountId32, Vec<(NetUid, u64)>)> = d
        .nominators
        .iter()
        .map(|(c, rows)| (*c, rows.iter().map(|(n, v)| (n.0, v.0)).collect()))
        .collect();
    assert_eq!(
        nominators,
        vec![(acc(3), vec![(ROOT, 1000 * TAO), (NET, 7_000)]), (acc(4), vec![(NET, 3_000)])]
    );

    assert_eq!(get_delegate(&s, &acc(OWNER_HOT)), None, "not a delegate");
    assert_eq!(get_delegates(&s), vec![d]);

    let delegated = get_delegated(&s, &acc(3));
    assert_eq!(delegated.len(), 2);
    assert!(delegated.iter().all(|(info, _)| info.nominators.is_empty()));
    let rows: Vec<(NetUid, u64)> = delegated.iter().map(|(_, (n, a))| (n.0, a.0)).collect();
    assert_eq!(rows, vec![(ROOT, 1000 * TAO), (NET, 7_000)]);
}

#[test]
fn test_delegate_take_reduces_the_return_per_1000() {
    let mut s = chain_with_neurons();
    Delegates::insert(&mut s, &acc(2), &(u16::MAX / 2));
    credit_new_alpha(&mut s, &acc(2), &acc(3), ROOT, 2000 * TAO);
    Tempo::insert(&mut s, &NET, &100);
    Emission::insert(&mut s, &NET, &vec![0, 1_000]);
    let d = get_delegate(&s, &acc(2)).unwrap();
    assert_eq!(d.total_daily_return, Compact(72_000));
    // 72 000 × (1 − 32767/65535) / 2 ≈ 18 000, truncated.
    assert_eq!(d.return_per_1000, Compact(18_000));
}

// ---- Costs and small APIs ---------------------------------------------------------------

#[test]
fn test_costs_and_small_subnet_apis() {
    let mut s = chain();
    assert_eq!(
        get_network_registration_cost(&s),
        crate::pallets::subtensor::subnets::lock_cost(&s)
    );
    assert_eq!(burn_cost(&s, NET), Some(TAO));
    assert_eq!(burn_cost(&s, NetUid(4)), None);
    assert_eq!(
        get_subnet_account_id(&s, NET),
        Some(crate::pallets::subtensor::subnet_account_id(NET))
    );
    assert_eq!(get_subnet_account_id(&s, NetUid(4)), None);
    let last = LastEpochBlock::get(&s, &NET);
    assert_eq!(get_next_epoch_start_block(&s, NET), Some(last + 360));
    PendingEpochAt::insert(&mut s, &NET, &(last + 5));
    assert_eq!(get_next_epoch_start_block(&s, NET), Some(last + 5));
    Tempo::insert(&mut s, &NET, &0);
    assert_eq!(get_next_epoch_start_block(&s, NET), None);
}

// ---- call_runtime_api -------------------------------------------------------------------

#[test]
fn test_call_runtime_api_encodes_what_the_functions_return() {
    let s = chain_with_neurons();
    let call = |m: &str, p: Vec<u8>| call_runtime_api(&s, m, &p).unwrap();
    assert_eq!(
        call("NeuronInfoRuntimeApi_get_neurons_lite", NET.encode()),
        get_neurons_lite(&s, NET).encode()
    );
    assert_eq!(
        call("NeuronInfoRuntimeApi_get_neuron", (NET, 1u16).encode()),
        get_neuron(&s, NET, 1).encode()
    );
    assert_eq!(
        call("SubnetInfoRuntimeApi_get_metagraph", NET.encode()),
        get_metagraph(&s, NET).encode()
    );
    assert_eq!(
        call("SubnetInfoRuntimeApi_get_mechagraph", (NET, 0u8).encode()),
        get_metagraph(&s, NET).encode()
    );
    assert_eq!(
        call("SubnetInfoRuntimeApi_get_all_dynamic_info", vec![]),
        get_all_dynamic_info(&s).encode()
    );
    assert_eq!(
        call("StakeInfoRuntimeApi_get_stake_info_for_coldkeys", vec![acc(3), acc(4)].encode()),
        get_stake_info_for_coldkeys(&s, &[acc(3), acc(4)]).encode()
    );
    assert_eq!(
        call(
            "StakeInfoRuntimeApi_get_stake_info_for_hotkey_coldkey_netuid",
            (acc(2), acc(3), NET).encode()
        ),
        get_stake_info_for_hotkey_coldkey_netuid(&s, &acc(2), &acc(3), NET).encode()
    );
    assert_eq!(
        call("SubnetRegistrationRuntimeApi_get_network_registration_cost", vec![]),
        get_network_registration_cost(&s).encode()
    );
    assert_eq!(call("SubnetInfoRuntimeApi_get_dynamic_info", NetUid(77).encode()), vec![0], "None");
    assert_eq!(call("DelegateInfoRuntimeApi_get_delegates", vec![]), vec![0], "empty Vec");
}

#[test]
fn test_call_runtime_api_rejects_unknown_methods_bad_and_trailing_params() {
    let s = chain();
    assert_eq!(
        call_runtime_api(&s, "NeuronInfoRuntimeApi_get_everything", &[]),
        Err(InfoError::UnknownMethod("NeuronInfoRuntimeApi_get_everything".into()))
    );
    assert!(matches!(
        call_runtime_api(&s, "NeuronInfoRuntimeApi_get_neuron", &[1, 0]),
        Err(InfoError::BadParams { .. })
    ));
    assert!(matches!(
        call_runtime_api(&s, "DelegateInfoRuntimeApi_get_delegate", &[7; 31]),
        Err(InfoError::BadParams { .. })
    ));
    assert_eq!(
        call_runtime_api(&s, "SubnetInfoRuntimeApi_get_metagraph", &[1, 0, 9]),
        Err(InfoError::TrailingBytes {
            method: "SubnetInfoRuntimeApi_get_metagraph".into(),
            extra: 1
        })
    );
    assert!(matches!(
        call_runtime_api(&s, "SubnetInfoRuntimeApi_get_all_dynamic_info", &[0]),
        Err(InfoError::TrailingBytes { extra: 1, .. })
    ));
    // A Vec length prefix far past the input must fail cleanly, not allocate or panic.
    assert!(matches!(
        call_runtime_api(
            &s,
            "StakeInfoRuntimeApi_get_stake_info_for_coldkeys",
            &[0xff, 0xff, 0xff, 0xff]
        ),
        Err(InfoError::BadParams { .. })
    ));
}

#[test]
fn test_every_supported_method_answers_and_never_panics_on_junk() {
    let s = chain_with_neurons();
    let mut sorted = SUPPORTED_METHODS.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), SUPPORTED_METHODS.len(), "no duplicates");
    // Well-formed arguments for every shape a method takes.
    let candidates: Vec<Vec<u8>> = vec![
        vec![],
        NET.encode(),
        (NET, 1u16).encode(),
        (NET, 0u8).encode(),
        acc(3).encode(),
        vec![acc(3)].encode(),
        (acc(3), NET).encode(),
        (acc(2), acc(3), NET).encode(),
    ];
    for method in SUPPORTED_METHODS {
        let answered =
            candidates.iter().filter(|p| call_runtime_api(&s, method, p).is_ok()).count();
        assert_eq!(answered, 1, "{method}: exactly one argument shape decodes");
        for junk in [&[0xffu8; 3][..], &[0x01; 70][..], &[0xfe; 200][..]] {
            let _ = call_runtime_api(&s, method, junk);
        }
    }
}
