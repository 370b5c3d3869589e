//! `SubtensorModule`'s genesis: the root subnet, global settings, and optional subnets that
//! exist from block 0.
//!
//! Subtensor builds its genesis from runtime constants (`InitialTempo` 360, or 10 with the
//! `fast-blocks` feature) and seeds netuid 1 with a small pool. We have no compile-time
//! variants, so the chain spec carries the settings a development chain wants to change
//! ([`GenesisConfig`]), and any number of genesis subnets ([`GenesisSubnet`]).
//!
//! A genesis subnet is what `register_network` + `start_call` would leave, except that its
//! pool is minted rather than paid from a coldkey: the subnet account is endowed with the
//! pool's TAO (so `Σ free = TotalIssuance` and `subnet account ≥ SubnetTAO` hold from block
//! 0), and each listed neuron's alpha is minted into `SubnetAlphaOut`.

use rustensor_primitives::{AccountId32, NetUid};

use super::storage::*;
use super::{
    ROOT, create_account_if_non_existent, registration, share_pool, subnet_account_id, subnets,
};
use crate::storage::Kv;

/// Chain-wide `SubtensorModule` settings a chain spec may override (`None`: the production
/// default).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GenesisConfig {
    /// `Tempo` of every subnet registered after genesis ([`InitialTempo`]; 360, fast: 10).
    pub initial_tempo: Option<u16>,
    /// `NetworkRateLimit`: blocks between subnet registrations (7200).
    pub network_rate_limit: Option<u64>,
    /// `NetworkMinLockCost`: the lock-cost floor in RAO (1000 TAO).
    pub network_min_lock_cost: Option<u64>,
    /// `TxRateLimit`: blocks between a coldkey's rate-limited transactions (1000).
    pub tx_rate_limit: Option<u64>,
    /// `MaxEpochsPerBlock` (2, fast: 32).
    pub max_epochs_per_block: Option<u8>,
    /// `AdminFreezeWindow`: blocks before each epoch when owners may not change
    /// hyperparameters (10).
    pub admin_freeze_window: Option<u16>,
}

/// One neuron registered on a genesis subnet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenesisNeuron {
    /// Its hotkey.
    pub hotkey: AccountId32,
    /// The coldkey owning the hotkey (and the stake).
    pub coldkey: AccountId32,
    /// Alpha (RAO) staked by `coldkey` on `hotkey`, minted at genesis.
    pub stake: u64,
}

/// A subnet that exists from block 0, started (staking and emission on).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenesisSubnet {
    /// The owner coldkey (`SubnetOwner`).
    pub owner_coldkey: AccountId32,
    /// The owner hotkey, registered as uid 0 (`SubnetOwnerHotkey`).
    pub owner_hotkey: AccountId32,
    /// `Tempo`; `None` takes the chain's initial tempo.
    pub tempo: Option<u16>,
    /// TAO (RAO) in the pool, minted into the subnet account.
    pub pool_tao: u64,
    /// Alpha (RAO) in the pool; the spot price is `pool_tao / pool_alpha`.
    pub pool_alpha: u64,
    /// `CommitRevealWeightsEnabled` (subtensor's default is on).
    pub commit_reveal: bool,
    /// Further neurons, registered after the owner in this order (uids 1, 2, …).
    pub neurons: Vec<GenesisNeuron>,
}

/// The RAO each genesis subnet's account must be endowed with, by netuid (1, 2, …), for
/// the balances genesis.
pub fn subnet_endowments(subnets: &[GenesisSubnet]) -> Vec<(AccountId32, u64)> {
    (1u16..)
        .zip(subnets)
        .map(|(netuid, subnet)| (subnet_account_id(NetUid(netuid)), subnet.pool_tao))
        .collect()
}

/// Writes the root subnet (owned by `root_owner`, the zero account if none), the settings in
/// `config`, the `subnets` as netuids 1, 2, …, and `SubtensorModule.TotalIssuance` =
/// `total_issuance` (the balances' issuance, subnet endowments included).
pub fn build(
    state: &mut (impl Kv + ?Sized),
    root_owner: Option<&AccountId32>,
    total_issuance: u64,
    config: &GenesisConfig,
    subnets: &[GenesisSubnet],
) {
    subnets::init_root_network(state, root_owner.unwrap_or(&AccountId32([0; 32])));
    TotalIssuance::put(state, &total_issuance);
    if let Some(v) = config.initial_tempo {
        InitialTempo::put(state, &v);
    }
    if let Some(v) = config.network_rate_limit {
        NetworkRateLimit::put(state, &v);
    }
    if let Some(v) = config.network_min_lock_cost {
        NetworkMinLockCost::put(state, &v);
        NetworkLastLockCost::put(state, &v);
    }
    if let Some(v) = config.tx_rate_limit {
        TxRateLimit::put(state, &v);
    }
    if let Some(v) = config.max_epochs_per_block {
        MaxEpochsPerBlock::put(state, &v);
    }
    if let Some(v) = config.admin_freeze_window {
        AdminFreezeWindow::put(state, &v);
    }
    for (netuid, subnet) in (1u16..).map(NetUid).zip(subnets) {
        build_subnet(state, netuid, subnet);
    }
}

fn build_subnet(state: &mut (impl Kv + ?Sized), netuid: NetUid, subnet: &GenesisSubnet) {
    debug_assert!(netuid != ROOT);
    let (cold, hot) = (&subnet.owner_coldkey, &subnet.owner_hotkey);
    create_account_if_non_existent(state, cold, hot);
    let params = subnets::NewSubnet {
        tempo: subnet.tempo.unwrap_or_else(|| InitialTempo::get(state)),
        ..subnets::NewSubnet::default()
    };
    subnets::init_network(state, netuid, cold, hot, &params, 0);
    let symbol = subnets::free_symbol(state);
    TokenSymbol::insert(state, &netuid, &symbol);
    registration::append_neuron(state, netuid, hot, 0);
    SubnetTAO::insert(state, &netuid, &subnet.pool_tao);
    SubnetAlphaIn::insert(state, &netuid, &subnet.pool_alpha);
    SubnetAlphaOut::insert(state, &netuid, &0);
    SubnetLocked::insert(state, &netuid, &subnet.pool_tao);
    TotalStake::mutate(state, |t| *t = t.saturating_add(subnet.pool_tao));
    CommitRevealWeightsEnabled::insert(state, &netuid, &subnet.commit_reveal);
    // Started: staking and emission from block 1.
    FirstEmissionBlockNumber::insert(state, &netuid, &1);
    SubtokenEnabled::insert(state, &netuid, &true);
    for neuron in &subnet.neurons {
        create_account_if_non_existent(state, &neuron.coldkey, &neuron.hotkey);
        registration::append_neuron(state, netuid, &neuron.hotkey, 0);
        if neuron.stake > 0 {
            share_pool::credit_new_alpha(
                state,
                &neuron.hotkey,
                &neuron.coldkey,
                netuid,
                neuron.stake,
            );
        }
    }
}
