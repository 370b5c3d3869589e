//! Chain bootstrap: the subnet (created by `//Alice`, configured by sudo, started), then its
//! members funded, registered and, for validators, staked.

use std::sync::Arc;

use anyhow::Context as _;
use rustensor_embedding::miner::Behaviour;
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_primitives::hashing::blake2_256;
use rustensor_primitives::{AccountId32, NetUid};
use rustensor_runtime_types::pallets::balances::{self, MultiAddress};
use rustensor_runtime_types::pallets::{RuntimeCall, admin_utils, subtensor, sudo};
use rustensor_sdk::chain::{ChainClient, RuntimeEvent, TxOptions, TxReceipt, WaitFor};

/// RAO per TAO.
const RAO: u64 = 1_000_000_000;

/// The key pair of `label`, derived from a fixed seed (`rustensor localnet <label>`): the
/// same run gives the same addresses. Not for a public network.
pub fn seeded(label: &str) -> Pair {
    Pair::from_seed(&blake2_256(format!("rustensor localnet {label}").as_bytes()))
}

/// What a member does on the subnet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Scores miners and sets weights.
    Validator,
    /// Serves the model on an axon.
    Miner,
}

impl Role {
    /// `validator` or `miner`, as tables and the JSON document show it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Validator => "validator",
            Self::Miner => "miner",
        }
    }
}

/// One neuron the localnet runs.
#[derive(Clone, Debug)]
pub struct Member {
    /// Validator or miner.
    pub role: Role,
    /// A miner's behaviour; `None` for validators.
    pub behaviour: Option<Behaviour>,
    /// Its hotkey.
    pub hotkey: Pair,
    /// Its coldkey (the miners share one).
    pub coldkey: Pair,
}

/// The members: `validators` validators first (a coldkey each), then one miner per entry of
/// `behaviours` (sharing a coldkey), all with seeded keys.
pub fn members(validators: usize, behaviours: &[Behaviour]) -> Vec<Member> {
    let mut members = Vec::new();
    for i in 0..validators {
        members.push(Member {
            role: Role::Validator,
            behaviour: None,
            hotkey: seeded(&format!("validator hotkey {i}")),
            coldkey: seeded(&format!("validator coldkey {i}")),
        });
    }
    let miner_coldkey = seeded("miner coldkey");
    for (i, b) in behaviours.iter().enumerate() {
        members.push(Member {
            role: Role::Miner,
            behaviour: Some(*b),
            hotkey: seeded(&format!("miner hotkey {i}")),
            coldkey: miner_coldkey.clone(),
        });
    }
    members
}

/// `call` wrapped in `Sudo.sudo`.
pub fn sudo_call(call: admin_utils::Call) -> RuntimeCall {
    RuntimeCall::Sudo(sudo::Call::Sudo(Box::new(RuntimeCall::AdminUtils(call))))
}

/// Submits `call` signed by `signer` and waits for finalization.
///
/// # Errors
///
/// The submission fails; the error says it was `what`.
pub async fn submit(
    client: &ChainClient,
    signer: &Pair,
    call: RuntimeCall,
    what: &str,
) -> anyhow::Result<TxReceipt> {
    // Finalized: the node checks new transactions against finalized state, so a transfer
    // only in a block does not yet pay for the registration that follows it.
    let options = TxOptions { wait: WaitFor::Finalized, ..TxOptions::default() };
    client.submit(signer, call, options).await.with_context(|| format!("{what} failed"))
}

/// How the subnet is set up.
#[derive(Clone, Copy, Debug)]
pub struct SubnetSettings {
    /// Blocks per epoch.
    pub tempo: u16,
    /// Commit-reveal of weights on or off.
    pub commit_reveal: bool,
}

/// Creates a subnet owned by `owner` (a coldkey) with `owner_hotkey`; returns its netuid.
///
/// # Errors
///
/// The submission fails, or the chain reports no `NetworkAdded` event.
pub async fn create_subnet(
    client: &ChainClient,
    owner: &Pair,
    owner_hotkey: &AccountId32,
) -> anyhow::Result<NetUid> {
    let receipt = submit(
        client,
        owner,
        RuntimeCall::Subtensor(subtensor::Call::RegisterNetwork { hotkey: *owner_hotkey }),
        "creating the subnet",
    )
    .await?;
    receipt
        .events
        .iter()
        .find_map(|e| match e {
            RuntimeEvent::Subtensor(subtensor::Event::NetworkAdded(n, _)) => Some(*n),
            _ => None,
        })
        .context("the chain reported no NetworkAdded event for the new subnet")
}

/// With the chain's sudo key `sudo_key` (also the owner here): sets the subnet's tempo and
/// commit-reveal, lifts the weights and registration rate limits, and starts it.
///
/// # Errors
///
/// A submission fails.
pub async fn configure_and_start(
    client: &ChainClient,
    sudo_key: &Pair,
    netuid: NetUid,
    settings: SubnetSettings,
) -> anyhow::Result<()> {
    use admin_utils::Call as A;
    let calls = [
        A::SudoSetTempo { netuid, tempo: settings.tempo },
        A::SudoSetWeightsSetRateLimit { netuid, weights_set_rate_limit: 0 },
        A::SudoSetCommitRevealWeightsEnabled { netuid, enabled: settings.commit_reveal },
        A::SudoSetMaxRegistrationsPerBlock { netuid, max_registrations_per_block: 64 },
        A::SudoSetTargetRegistrationsPerInterval { netuid, target_registrations_per_interval: 64 },
    ];
    for call in calls {
        submit(client, sudo_key, sudo_call(call), "configuring the subnet").await?;
    }
    submit(
        client,
        sudo_key,
        RuntimeCall::Subtensor(subtensor::Call::StartCall { netuid }),
        "starting the subnet",
    )
    .await?;
    Ok(())
}

/// Sends `stake + 100` TAO from `funder` to each distinct coldkey of `members`.
///
/// # Errors
///
/// A transfer fails.
pub async fn fund(
    client: &ChainClient,
    funder: &Pair,
    members: &[Member],
    stake_tao: u64,
) -> anyhow::Result<()> {
    let mut coldkeys: Vec<AccountId32> = members.iter().map(|m| m.coldkey.account_id()).collect();
    coldkeys.sort();
    coldkeys.dedup();
    let amount = stake_tao.saturating_add(100).saturating_mul(RAO);
    for who in &coldkeys {
        let call = RuntimeCall::Balances(balances::Call::TransferKeepAlive {
            dest: MultiAddress::Id(*who),
            value: amount,
        });
        submit(client, funder, call, "funding a coldkey").await?;
    }
    Ok(())
}

/// Registers every member on `netuid` by burning, all at once (the subnet allows many
/// registrations per block).
///
/// # Errors
///
/// A registration fails.
pub async fn register_all(
    client: &Arc<ChainClient>,
    netuid: NetUid,
    members: &[Member],
) -> anyhow::Result<()> {
    let regs = members.iter().map(|m| {
        let call = RuntimeCall::Subtensor(subtensor::Call::BurnedRegister {
            netuid,
            hotkey: m.hotkey.account_id(),
        });
        let client = Arc::clone(client);
        let coldkey = m.coldkey.clone();
        async move { submit(&client, &coldkey, call, "registering a hotkey").await }
    });
    for r in futures::future::join_all(regs).await {
        r?;
    }
    Ok(())
}

/// Each validator's coldkey stakes `stake_tao` TAO to its hotkey on `netuid`.
///
/// # Errors
///
/// A stake fails.
pub async fn stake_validators(
    client: &ChainClient,
    netuid: NetUid,
    members: &[Member],
    stake_tao: u64,
) -> anyhow::Result<()> {
    for m in members.iter().filter(|m| m.role == Role::Validator) {
        let call = RuntimeCall::Subtensor(subtensor::Call::AddStake {
            hotkey: m.hotkey.account_id(),
            netuid,
            amount_staked: stake_tao.saturating_mul(RAO),
        });
        submit(client, &m.coldkey, call, "staking to a validator").await?;
    }
    Ok(())
}
