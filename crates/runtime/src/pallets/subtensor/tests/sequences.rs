//! Property tests over random sequences of signed extrinsics and blocks.
//!
//! A chain is built from the dev spec plus one genesis subnet, then a random sequence of
//! operations runs through [`Executive`] exactly as the node will run it: transfers (all three
//! kinds), subnet registration, `start_call`, burned registration, the staking calls (with and
//! without limits), `set_weights`, take changes, root dissolution through `Sudo`, and block
//! boundaries that may skip several empty blocks (so epochs run). After every block the
//! identities below are checked; at the end the whole sequence is replayed and must give
//! byte-identical state and events.
//!
//! **The books, exactly:**
//! 1. After every block, `Σ System.Account.free` (summed in `u128`) `==
//!    Balances.TotalIssuance`: there are no reserves or holds, so free is the whole balance;
//!    fees go to the block author or are burned, registration burns and recycled TAO leave
//!    the issuance. After every block step (`initialize_block`, before any extrinsic),
//!    `SubtensorModule.TotalIssuance == Balances.TotalIssuance` (the coinbase's issuance
//!    identity: what was burned or recycled during the previous block is taken over).
//! 2. For every subnet: the subnet account's free balance `≥ SubnetTAO` (the pool's TAO is
//!    really held), and the pool keeps at least the minimum reserve.
//! 3. For every subnet: `Σ alpha positions (hotkey, coldkey) ≤ SubnetAlphaOut`, and each
//!    hotkey's positions sum to at most its `TotalHotkeyAlpha`.
//! 4. No wrap: every balance `≤` the issuance, and the issuance `≤` 21M TAO.
//! 5. Emission within the schedule: per block, the issuance grows by at most
//!    `block_emission_for_issuance(issuance before)` (fees and burns only lower it), and each
//!    existing subnet's alpha (`SubnetAlphaIn + SubnetAlphaOut`) by at most two block
//!    emissions (alpha into the pool plus alpha out to the participants).

#![allow(clippy::arithmetic_side_effects, reason = "test arithmetic on bounded values")]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use parity_scale_codec::Encode;
use proptest::prelude::*;
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_primitives::{AccountId32, NetUid};

use crate::events::EventRecord;
use crate::executive::Executive;
use crate::genesis::{ChainSpec, NeuronSpec, SubnetSpec, build_genesis};
use crate::pallets::subtensor::calls::Call;
use crate::pallets::subtensor::emission::coinbase::{TOTAL_SUPPLY, block_emission_for_issuance};
use crate::pallets::subtensor::storage::*;
use crate::pallets::subtensor::{
    PALLET_INDEX, ROOT, TAO, netuids, share_pool, subnet_account_id, swap,
};
use crate::pallets::{Runtime, balances, system};
use crate::storage::{Kv, MemoryKv};
use crate::test_utils::{
    TEST_GENESIS_HASH, TEST_VERSION, sign_call, sudo_call, transfer_keep_alive,
};

/// Coldkeys: the dev accounts (Alice is sudo).
const COLDS: [&str; 6] = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"];
/// Hotkeys, each owned by the coldkey that first registers or stakes to it.
const HOTS: [&str; 4] = ["Hot0", "Hot1", "Hot2", "Hot3"];

fn pairs() -> &'static (Vec<Pair>, Vec<Pair>) {
    static PAIRS: OnceLock<(Vec<Pair>, Vec<Pair>)> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let make = |names: &[&str]| -> Vec<Pair> {
            names.iter().map(|n| Pair::from_uri(&format!("//{n}"), None).unwrap()).collect()
        };
        (make(&COLDS), make(&HOTS))
    })
}

fn cold(i: u8) -> &'static Pair {
    &pairs().0[usize::from(i) % COLDS.len()]
}

fn hot(i: u8) -> &'static Pair {
    &pairs().1[usize::from(i) % HOTS.len()]
}

fn genesis_state() -> MemoryKv {
    static GENESIS: OnceLock<MemoryKv> = OnceLock::new();
    GENESIS
        .get_or_init(|| {
            let mut spec = ChainSpec::dev();
            spec.subtensor.network_rate_limit = Some(0);
            spec.subtensor.tx_rate_limit = Some(0);
            let ss58 = |p: &Pair| p.account_id().to_ss58();
            spec.subnets = vec![SubnetSpec {
                owner_coldkey: ss58(cold(1)),
                owner_hotkey: ss58(hot(0)),
                tempo: Some(5),
                pool_tao: 100 * TAO,
                pool_alpha: 100 * TAO,
                commit_reveal: false,
                neurons: vec![NeuronSpec {
                    hotkey: ss58(hot(1)),
                    coldkey: ss58(cold(2)),
                    stake: 50 * TAO,
                }],
            }];
            MemoryKv::from(build_genesis(&spec).unwrap().storage)
        })
        .clone()
}

/// One step of a random sequence. Indices pick actors and subnets modulo what exists;
/// fractions (`frac`, out of 65 536) scale amounts to the actor's holdings, so that a good
/// share of the calls succeed.
#[derive(Clone, Debug)]
enum Op {
    Transfer { from: u8, to: u8, frac: u16, kind: u8 },
    RegisterNetwork { cold: u8, hot: u8 },
    StartCall { cold: u8, net: u8 },
    BurnedRegister { cold: u8, net: u8, hot: u8 },
    AddStake { cold: u8, hot: u8, net: u8, tao: u64, limit: Option<u64> },
    RemoveStake { cold: u8, hot: u8, net: u8, frac: u16, limit: Option<u64> },
    MoveStake { cold: u8, hot: u8, hot2: u8, net: u8, net2: u8, frac: u16 },
    TransferStake { cold: u8, cold2: u8, hot: u8, net: u8, net2: u8, frac: u16 },
    SwapStake { cold: u8, hot: u8, net: u8, net2: u8, frac: u16, limit: Option<u64> },
    UnstakeAll { cold: u8, hot: u8 },
    SetWeights { hot: u8, net: u8, weights: Vec<(u16, u16)> },
    Take { cold: u8, hot: u8, take: u16, increase: bool },
    Dissolve { net: u8 },
    EndBlock { empty_blocks: u8, author: Option<u8> },
}

fn op() -> impl Strategy<Value = Op> {
    let i = || 0u8..8;
    let frac = || any::<u16>();
    let limit = || proptest::option::of(0u64..4 * TAO);
    prop_oneof![
        3 => (i(), i(), frac(), 0u8..3)
            .prop_map(|(from, to, frac, kind)| Op::Transfer { from, to, frac, kind }),
        1 => (i(), i()).prop_map(|(cold, hot)| Op::RegisterNetwork { cold, hot }),
        1 => (i(), i()).prop_map(|(cold, net)| Op::StartCall { cold, net }),
        2 => (i(), i(), i()).prop_map(|(cold, net, hot)| Op::BurnedRegister { cold, net, hot }),
        4 => (i(), i(), i(), 1u64..200 * TAO, limit())
            .prop_map(|(cold, hot, net, tao, limit)| Op::AddStake { cold, hot, net, tao, limit }),
        3 => (i(), i(), i(), frac(), limit()).prop_map(|(cold, hot, net, frac, limit)| {
            Op::RemoveStake { cold, hot, net, frac, limit }
        }),
        1 => (i(), i(), i(), i(), i(), frac()).prop_map(|(cold, hot, hot2, net, net2, frac)| {
            Op::MoveStake { cold, hot, hot2, net, net2, frac }
        }),
        1 => (i(), i(), i(), i(), i(), frac()).prop_map(|(cold, cold2, hot, net, net2, frac)| {
            Op::TransferStake { cold, cold2, hot, net, net2, frac }
        }),
        1 => (i(), i(), i(), i(), frac(), limit()).prop_map(
            |(cold, hot, net, net2, frac, limit)| Op::SwapStake { cold, hot, net, net2, frac, limit }
        ),
        1 => (i(), i()).prop_map(|(cold, hot)| Op::UnstakeAll { cold, hot }),
        2 => (i(), i(), proptest::collection::vec((0u16..6, any::<u16>()), 0..5))
            .prop_map(|(hot, net, weights)| Op::SetWeights { hot, net, weights }),
        1 => (i(), i(), 0u16..12_000, any::<bool>())
            .prop_map(|(cold, hot, take, increase)| Op::Take { cold, hot, take, increase }),
        1 => i().prop_map(|net| Op::Dissolve { net }),
        4 => (0u8..12, proptest::option::of(i()))
            .prop_map(|(empty_blocks, author)| Op::EndBlock { empty_blocks, author }),
    ]
}

fn scale(amount: u64, frac: u16) -> u64 {
    u64::try_from(u128::from(amount) * u128::from(frac) / 65_536).unwrap()
}

fn subtensor_call(call: &Call) -> Vec<u8> {
    let mut bytes = vec![PALLET_INDEX];
    call.encode_to(&mut bytes);
    bytes
}

/// A chain under test: its state, the next block number and everything it emitted.
struct Chain {
    state: MemoryKv,
    number: u32,
    parent: [u8; 32],
    pending: Vec<(&'static Pair, Vec<u8>)>,
    author: Option<AccountId32>,
    events: Vec<EventRecord>,
    /// Per block: (extrinsics applied, extrinsics that dispatched successfully).
    applied: (u64, u64),
}

impl Chain {
    fn new() -> Self {
        Self {
            state: genesis_state(),
            number: 1,
            parent: TEST_GENESIS_HASH,
            pending: Vec::new(),
            author: None,
            events: Vec::new(),
            applied: (0, 0),
        }
    }

    /// The netuid that index `i` picks among the existing subnets (root included).
    fn net(&self, i: u8) -> NetUid {
        let nets = netuids(&self.state);
        nets[usize::from(i) % nets.len()]
    }

    fn alpha(&self, hot: &Pair, cold: &Pair, net: NetUid) -> u64 {
        share_pool::alpha_of(&self.state, &hot.account_id(), &cold.account_id(), net)
    }

    /// Queues the signed extrinsics for `op`, or ends the block.
    fn apply(&mut self, op: &Op) {
        let queue = |c: &mut Self, signer: &'static Pair, call: Vec<u8>| {
            c.pending.push((signer, call));
        };
        match *op {
            Op::Transfer { from, to, frac, kind } => {
                let (from, to) = (cold(from), cold(to).account_id());
                let amount = scale(balances::free_balance(&self.state, &from.account_id()), frac);
                let call = match kind {
                    0 => transfer_keep_alive(to, amount),
                    1 => {
                        let mut call =
                            vec![balances::PALLET_INDEX, balances::CALL_TRANSFER_ALLOW_DEATH];
                        balances::MultiAddress::Id(to).encode_to(&mut call);
                        parity_scale_codec::Compact(amount).encode_to(&mut call);
                        call
                    }
                    _ => {
                        let mut call = vec![balances::PALLET_INDEX, balances::CALL_TRANSFER_ALL];
                        balances::MultiAddress::Id(to).encode_to(&mut call);
                        (frac % 2 == 0).encode_to(&mut call);
                        call
                    }
                };
                queue(self, from, call);
            }
            Op::RegisterNetwork { cold: c, hot: h } => {
                let call = Call::RegisterNetwork { hotkey: hot(h).account_id() };
                queue(self, cold(c), subtensor_call(&call));
            }
            Op::StartCall { cold: c, net } => {
                let call = Call::StartCall { netuid: self.net(net) };
                queue(self, cold(c), subtensor_call(&call));
            }
            Op::BurnedRegister { cold: c, net, hot: h } => {
                let call =
                    Call::BurnedRegister { netuid: self.net(net), hotkey: hot(h).account_id() };
                queue(self, cold(c), subtensor_call(&call));
            }
            Op::AddStake { cold: c, hot: h, net, tao, limit } => {
                let (hotkey, netuid) = (hot(h).account_id(), self.net(net));
                let call = match limit {
                    None => Call::AddStake { hotkey, netuid, amount_staked: tao },
                    Some(limit_price) => Call::AddStakeLimit {
                        hotkey,
                        netuid,
                        amount_staked: tao,
                        limit_price,
                        allow_partial: limit_price % 2 == 0,
                    },
                };
                queue(self, cold(c), subtensor_call(&call));
            }
            Op::RemoveStake { cold: c, hot: h, net, frac, limit } => {
                let netuid = self.net(net);
                let amount = scale(self.alpha(hot(h), cold(c), netuid), frac);
                let hotkey = hot(h).account_id();
                let call = match limit {
                    None => Call::RemoveStake { hotkey, netuid, amount_unstaked: amount },
                    Some(limit_price) => Call::RemoveStakeLimit {
                        hotkey,
                        netuid,
                        amount_unstaked: amount,
                        limit_price,
                        allow_partial: limit_price % 2 == 0,
                    },
                };
                queue(self, cold(c), subtensor_call(&call));
            }
            Op::MoveStake { cold: c, hot: h, hot2, net, net2, frac } => {
                let (o, d) = (self.net(net), self.net(net2));
                let call = Call::MoveStake {
                    origin_hotkey: hot(h).account_id(),
                    destination_hotkey: hot(hot2).account_id(),
                    origin_netuid: o,
                    destination_netuid: d,
                    alpha_amount: scale(self.alpha(hot(h), cold(c), o), frac),
                };
                queue(self, cold(c), subtensor_call(&call));
            }
            Op::TransferStake { cold: c, cold2, hot: h, net, net2, frac } => {
                let (o, d) = (self.net(net), self.net(net2));
                let call = Call::TransferStake {
                    destination_coldkey: cold(cold2).account_id(),
                    hotkey: hot(h).account_id(),
                    origin_netuid: o,
                    destination_netuid: d,
                    alpha_amount: scale(self.alpha(hot(h), cold(c), o), frac),
                };
                queue(self, cold(c), subtensor_call(&call));
            }
            Op::SwapStake { cold: c, hot: h, net, net2, frac, limit } => {
                let (o, d) = (self.net(net), self.net(net2));
                let (hotkey, alpha_amount) =
                    (hot(h).account_id(), scale(self.alpha(hot(h), cold(c), o), frac));
                let call = match limit {
                    None => Call::SwapStake {
                        hotkey,
                        origin_netuid: o,
                        destination_netuid: d,
                        alpha_amount,
                    },
                    Some(limit_price) => Call::SwapStakeLimit {
                        hotkey,
                        origin_netuid: o,
                        destination_netuid: d,
                        alpha_amount,
                        limit_price,
                        allow_partial: limit_price % 2 == 0,
                    },
                };
                queue(self, cold(c), subtensor_call(&call));
            }
            Op::UnstakeAll { cold: c, hot: h } => {
                let call = Call::UnstakeAll { hotkey: hot(h).account_id() };
                queue(self, cold(c), subtensor_call(&call));
            }
            Op::SetWeights { hot: h, net, ref weights } => {
                let (dests, weights): (Vec<u16>, Vec<u16>) = weights.iter().copied().unzip();
                let call =
                    Call::SetWeights { netuid: self.net(net), dests, weights, version_key: 0 };
                queue(self, hot(h), subtensor_call(&call));
            }
            Op::Take { cold: c, hot: h, take, increase } => {
                let hotkey = hot(h).account_id();
                let call = if increase {
                    Call::IncreaseTake { hotkey, take }
                } else {
                    Call::DecreaseTake { hotkey, take }
                };
                queue(self, cold(c), subtensor_call(&call));
            }
            Op::Dissolve { net } => {
                let call = Call::RootDissolveNetwork { netuid: self.net(net) };
                queue(self, cold(0), sudo_call(&subtensor_call(&call)));
            }
            Op::EndBlock { empty_blocks, author } => {
                self.author = author.map(|a| cold(a).account_id());
                self.end_block();
                for _ in 0..empty_blocks {
                    self.end_block();
                }
            }
        }
        // A block holds at most 8 extrinsics here, so that blocks come often.
        if self.pending.len() >= 8 {
            self.end_block();
        }
    }

    /// Executes one block with the queued extrinsics, commits it and checks the books.
    fn end_block(&mut self) {
        let before = Snapshot::take(&self.state);
        let mut block = Executive::initialize_block(
            &self.state,
            Runtime,
            TEST_VERSION,
            self.number,
            self.parent,
        );
        assert_eq!(
            TotalIssuance::get(block.state()),
            balances::TotalIssuance::get(block.state()),
            "after the block step: SubtensorModule.TotalIssuance == Balances.TotalIssuance"
        );
        block.set_author(self.author);
        for (signer, call) in std::mem::take(&mut self.pending) {
            let nonce = system::account_nonce(block.state(), &signer.account_id());
            if let Ok(applied) = block.apply_extrinsic(&sign_call(signer, nonce, call)) {
                self.applied.0 += 1;
                self.applied.1 += u64::from(applied.result.is_ok());
            }
        }
        self.events.extend_from_slice(block.events());
        let (_, changes) = block.finalize_block().into_parts();
        for (key, change) in changes {
            match change {
                Some(v) => self.state.put(&key, &v),
                None => self.state.delete(&key),
            }
        }
        self.parent = rustensor_primitives::hashing::blake2_256(&self.number.to_le_bytes());
        self.number += 1;
        check_books(&self.state);
        before.check_emission(&self.state);
    }
}

/// What block-to-block emission limits are checked against.
struct Snapshot {
    issuance: u64,
    /// Per subnet: (registered at, alpha in + alpha out).
    alpha: BTreeMap<NetUid, (u64, u128)>,
}

impl Snapshot {
    fn take(s: &MemoryKv) -> Self {
        let alpha = netuids(s)
            .into_iter()
            .map(|n| {
                let total =
                    u128::from(SubnetAlphaIn::get(s, &n)) + u128::from(SubnetAlphaOut::get(s, &n));
                (n, (NetworkRegisteredAt::get(s, &n), total))
            })
            .collect();
        Self { issuance: balances::TotalIssuance::get(s), alpha }
    }

    fn check_emission(&self, s: &MemoryKv) {
        let issuance = balances::TotalIssuance::get(s);
        let cap = block_emission_for_issuance(self.issuance);
        assert!(
            issuance <= self.issuance + cap,
            "issuance grew by {} > block emission {cap}",
            issuance - self.issuance
        );
        for n in netuids(s).into_iter().filter(|n| *n != ROOT) {
            // Only subnets that existed (with the same registration) before the block.
            let Some(&(registered, before)) = self.alpha.get(&n) else { continue };
            if registered != NetworkRegisteredAt::get(s, &n) {
                continue;
            }
            let now =
                u128::from(SubnetAlphaIn::get(s, &n)) + u128::from(SubnetAlphaOut::get(s, &n));
            let cap = 2 * u128::from(BlockEmission::get(s).max(TAO));
            assert!(now <= before + cap, "subnet {n:?} alpha grew by {} > {cap}", now - before);
        }
    }
}

/// The identities of the module docs.
fn check_books(s: &MemoryKv) {
    let issuance = balances::TotalIssuance::get(s);
    let mut free = 0u128;
    for (who, info) in system::Account::iter(s) {
        assert!(info.data.free <= issuance, "{who:?} holds more than the issuance");
        free += u128::from(info.data.free);
    }
    assert_eq!(free, u128::from(issuance), "Σ free == Balances.TotalIssuance");
    assert!(issuance <= TOTAL_SUPPLY);
    let hotkeys: Vec<AccountId32> = pairs().1.iter().map(Pair::account_id).collect();
    let coldkeys: Vec<AccountId32> = pairs().0.iter().map(Pair::account_id).collect();
    for n in netuids(s) {
        let account = balances::free_balance(s, &subnet_account_id(n));
        assert!(account >= SubnetTAO::get(s, &n), "subnet {n:?}: account {account} < SubnetTAO");
        if n != ROOT {
            let (tao, alpha) = swap::reserves(s, n);
            assert!(tao >= swap::MINIMUM_RESERVE && alpha >= swap::MINIMUM_RESERVE, "{n:?}");
        }
        let mut positions = 0u128;
        let mut subnet_hotkeys: std::collections::BTreeSet<AccountId32> =
            hotkeys.iter().copied().collect();
        subnet_hotkeys.insert(SubnetOwnerHotkey::get(s, &n));
        for h in &subnet_hotkeys {
            let per_hot: u128 =
                coldkeys.iter().map(|c| u128::from(share_pool::alpha_of(s, h, c, n))).sum();
            assert!(per_hot <= u128::from(TotalHotkeyAlpha::get(s, h, &n)));
            positions += per_hot;
        }
        assert!(positions <= u128::from(SubnetAlphaOut::get(s, &n)), "{n:?}: positions > out");
    }
}

/// Runs `ops` on a fresh chain (plus a final block) and returns it.
fn run(ops: &[Op]) -> Chain {
    let mut chain = Chain::new();
    for op in ops {
        chain.apply(op);
    }
    chain.end_block();
    chain
}

#[test]
fn test_random_blocks_keep_the_books_and_replay_identically() {
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config::with_cases(32));
    let totals = std::cell::Cell::new((0u64, 0u64, 0u64));
    runner
        .run(&proptest::collection::vec(op(), 1..80), |ops| {
            let first = run(&ops);
            let second = run(&ops);
            prop_assert!(first.state == second.state, "replay gave a different state");
            prop_assert_eq!(&first.events, &second.events);
            prop_assert_eq!(first.number, second.number);
            let (applied, succeeded, blocks) = totals.get();
            totals.set((
                applied + first.applied.0,
                succeeded + first.applied.1,
                blocks + u64::from(first.number),
            ));
            Ok(())
        })
        .unwrap();
    // The sequences must do real work, not only get rejected.
    let (applied, succeeded, blocks) = totals.get();
    eprintln!("{applied} extrinsics applied, {succeeded} dispatched successfully, {blocks} blocks");
    // About a third succeed in practice (the rest are rejections the rules demand).
    assert!(succeeded * 5 >= applied, "only {succeeded} of {applied} extrinsics succeeded");
}

#[test]
fn test_a_busy_fixed_sequence_mostly_succeeds_and_keeps_the_books() {
    // Not random: shows the harness exercises real successes, not only rejections.
    let ops = vec![
        Op::RegisterNetwork { cold: 3, hot: 2 },
        Op::EndBlock { empty_blocks: 0, author: Some(5) },
        Op::StartCall { cold: 3, net: 2 },
        Op::AddStake { cold: 2, hot: 1, net: 1, tao: 30 * TAO, limit: None },
        Op::AddStake { cold: 4, hot: 1, net: 1, tao: 10 * TAO, limit: Some(3 * TAO) },
        Op::BurnedRegister { cold: 5, net: 1, hot: 3 },
        Op::EndBlock { empty_blocks: 2, author: None },
        Op::AddStake { cold: 3, hot: 2, net: 2, tao: 50 * TAO, limit: None },
        Op::Transfer { from: 0, to: 5, frac: 1000, kind: 0 },
        Op::Transfer { from: 5, to: 0, frac: 65_535, kind: 2 },
        Op::RemoveStake { cold: 2, hot: 1, net: 1, frac: 30_000, limit: None },
        Op::SwapStake { cold: 4, hot: 1, net: 1, net2: 2, frac: 20_000, limit: None },
        Op::EndBlock { empty_blocks: 11, author: Some(0) },
        // Hot1 has held a validator permit since the first epoch.
        Op::SetWeights { hot: 1, net: 1, weights: vec![(0, 100), (2, 65_535)] },
        Op::Dissolve { net: 2 },
        Op::EndBlock { empty_blocks: 3, author: None },
    ];
    let chain = run(&ops);
    let (applied, succeeded) = chain.applied;
    assert_eq!((applied, succeeded), (12, 12), "every extrinsic of this sequence succeeds");
    assert_eq!(netuids(&chain.state), vec![ROOT, NetUid(1)], "subnet 2 dissolved");
    assert!(SubnetEpochIndex::get(&chain.state, &NetUid(1)) >= 2, "tempo 5: epochs ran");
}
