//! Chain specs and the genesis state built from them.
//!
//! A [`ChainSpec`] is a JSON document (Substrate chain specs are the model: `name`, `id`,
//! `properties`, and the pallets' genesis config) with:
//!
//! | field | meaning |
//! | --- | --- |
//! | `name`, `id` | human name and short id (`"dev"`) |
//! | `properties` | `tokenSymbol` (`"TAO"`), `tokenDecimals` (9), `ss58Format` (42) |
//! | `balances` | `[["<ss58>", rao], …]`: endowed accounts, each at least the existential deposit |
//! | `sudo` | optional SS58 sudo key (`Sudo.Key`) |
//! | `validators` | `[{"public_key": "0x<ed25519, 32 bytes>", "address": "host:port"}, …]`: the chain validators of epoch 0 (consensus keys and network addresses) |
//! | `epoch_length` | optional blocks per consensus epoch (at least 2; 3600): validator-set changes take effect at epoch boundaries |
//! | `subtensor` | optional chain-wide `SubtensorModule` settings: `initial_tempo` (the `Tempo` of later subnets, 360), `network_rate_limit` (7200), `network_min_lock_cost` (RAO, 1000 TAO), `tx_rate_limit` (1000), `max_epochs_per_block` (2), `admin_freeze_window` (10) |
//! | `subnets` | optional subnets existing from block 0, as netuids 1, 2, …: `[{"owner_coldkey": "<ss58>", "owner_hotkey": "<ss58>", "tempo": 10, "pool_tao": rao, "pool_alpha": rao, "commit_reveal": false, "neurons": [{"hotkey", "coldkey", "stake"}]}]`; the root subnet (0) is always created |
//!
//! [`build_genesis`] validates the spec and returns the genesis storage (raw keys and SCALE
//! values, as `state_getStorage` will show them): `System.Account` and
//! `Balances.TotalIssuance` ([`balances::build_genesis`]), `Sudo.Key`, and
//! `TransactionPayment.NextFeeMultiplier`, and `SubtensorModule`'s root subnet, settings and
//! genesis subnets ([`subtensor::genesis`]), and the epoch length and epoch 0's validators
//! (`Validators.EpochLength`, `Validators.Active`, [`validators`]). [`ChainSpec::dev`] is the
//! built-in development spec: the six well-known dev accounts funded, Alice as sudo, one
//! validator, and subtensor's `fast-blocks` settings (tempo 10, up to 32 epochs per block) with
//! no admin freeze window.
//!
//! Every error names the field at fault (`balances[2]`, `validators[0].address`, …) and what
//! is wrong with it.
//!
//! # Deviations from subtensor
//!
//! - Subtensor's genesis always seeds a netuid 1 (`reference/subtensor.md` App. E); here
//!   genesis subnets are listed in the spec, and the dev spec has none, so the first
//!   `register_network` on a dev chain gets netuid 1.
//! - Subtensor's `fast-blocks` constants are a compile-time feature; here they are spec
//!   settings (`subtensor.initial_tempo` is stored as the rustensor-only item
//!   `SubtensorModule.InitialTempo`).
//! - Validators are commonware ed25519 keys with addresses, not Aura/GRANDPA authorities.

use std::collections::{BTreeMap, BTreeSet};

use rustensor_primitives::AccountId32;
use serde::{Deserialize, Serialize};

use crate::pallets::{balances, subtensor, sudo, transaction_payment, validators};
use crate::storage::{Kv, KvIter, KvRead};

/// The genesis storage: raw key to SCALE value, in key order.
pub type GenesisStorage = BTreeMap<Vec<u8>, Vec<u8>>;

/// Why a chain spec is rejected. Each variant names the field at fault.
#[derive(Debug, thiserror::Error)]
pub enum GenesisError {
    /// The JSON does not parse or does not have the spec's shape (serde_json says where).
    #[error("malformed chain spec: {0}")]
    Json(serde_json::Error),
    /// A field is present but its value is wrong.
    #[error("chain spec field `{field}`: {reason}")]
    Invalid {
        /// The field, as a path (`balances[2]`, `validators[0].public_key`).
        field: String,
        /// What is wrong, with the value found.
        reason: String,
    },
}

impl From<serde_json::Error> for GenesisError {
    fn from(e: serde_json::Error) -> Self {
        Self::Json(e)
    }
}

impl GenesisError {
    fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), reason: reason.into() }
    }
}

/// Chain properties, as `system_properties` returns them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Properties {
    /// The token symbol (`"TAO"`).
    pub token_symbol: String,
    /// Decimals of the token (9: 1 TAO = 10^9 RAO).
    pub token_decimals: u8,
    /// The SS58 address prefix (42).
    pub ss58_format: u16,
}

impl Default for Properties {
    fn default() -> Self {
        Self { token_symbol: "TAO".into(), token_decimals: 9, ss58_format: 42 }
    }
}

/// One chain validator: its consensus key and where to reach it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidatorSpec {
    /// The ed25519 public key, `0x` and 64 hex digits.
    pub public_key: String,
    /// The p2p address, `host:port`.
    pub address: String,
}

/// A chain spec as JSON holds it (see the module docs). Unknown fields are rejected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainSpec {
    /// Human-readable name.
    pub name: String,
    /// Short identifier (`"dev"`).
    pub id: String,
    /// Token properties.
    #[serde(default)]
    pub properties: Properties,
    /// `(SS58 account, free balance in RAO)` pairs.
    pub balances: Vec<(String, u64)>,
    /// The sudo key, SS58.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sudo: Option<String>,
    /// The chain validators (of epoch 0).
    pub validators: Vec<ValidatorSpec>,
    /// Blocks per consensus epoch (absent: [`validators::DEFAULT_EPOCH_LENGTH`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoch_length: Option<u64>,
    /// Chain-wide `SubtensorModule` settings (absent: production defaults).
    #[serde(default, skip_serializing_if = "SubtensorSpec::is_default")]
    pub subtensor: SubtensorSpec,
    /// Subnets that exist from block 0 (netuids 1, 2, … in this order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<SubnetSpec>,
}

/// The `subtensor` section of a chain spec: each field absent keeps subtensor's production
/// value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SubtensorSpec {
    /// `Tempo` of subnets registered later (1..=`MAX_TEMPO`; 360, fast: 10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_tempo: Option<u16>,
    /// Blocks between subnet registrations (7200).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_rate_limit: Option<u64>,
    /// Floor of the subnet lock cost, RAO (1000 TAO).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_min_lock_cost: Option<u64>,
    /// Blocks between a coldkey's rate-limited transactions (1000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tx_rate_limit: Option<u64>,
    /// Most subnet epochs run in one block (1..; 2, fast: 32).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_epochs_per_block: Option<u8>,
    /// Blocks before each epoch when owners may not change hyperparameters (10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_freeze_window: Option<u16>,
}

impl SubtensorSpec {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// A genesis subnet as the chain spec holds it (see [`subtensor::genesis::GenesisSubnet`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubnetSpec {
    /// The owner coldkey, SS58.
    pub owner_coldkey: String,
    /// The owner hotkey (uid 0), SS58.
    pub owner_hotkey: String,
    /// `Tempo` (1..=`MAX_TEMPO`); absent: `subtensor.initial_tempo`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tempo: Option<u16>,
    /// TAO in the pool, RAO (at least 1 000 000, the pool's minimum reserve; default 10 TAO).
    #[serde(default = "default_pool")]
    pub pool_tao: u64,
    /// Alpha in the pool, RAO (at least 1 000 000; default 10 α).
    #[serde(default = "default_pool")]
    pub pool_alpha: u64,
    /// Whether weights must be committed and revealed (default true, as subtensor).
    #[serde(default = "default_true")]
    pub commit_reveal: bool,
    /// Neurons registered after the owner (uids 1, 2, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub neurons: Vec<NeuronSpec>,
}

/// A neuron of a genesis subnet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeuronSpec {
    /// The hotkey, SS58.
    pub hotkey: String,
    /// The coldkey owning it, SS58.
    pub coldkey: String,
    /// Alpha staked by the coldkey on the hotkey, RAO (default 0).
    #[serde(default)]
    pub stake: u64,
}

fn default_pool() -> u64 {
    10 * subtensor::TAO
}

fn default_true() -> bool {
    true
}

/// A validator checked by [`build_genesis`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validator {
    /// The ed25519 public key (a valid curve point).
    pub public_key: [u8; 32],
    /// The address, `host:port`.
    pub address: String,
}

/// What [`build_genesis`] produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Genesis {
    /// The genesis state.
    pub storage: GenesisStorage,
    /// The chain validators, in spec order.
    pub validators: Vec<Validator>,
}

/// RAO each dev account holds in [`ChainSpec::dev`]: 1,000,000 TAO.
pub const DEV_BALANCE: u64 = 1_000_000_000_000_000;

/// The dev accounts [`ChainSpec::dev`] funds (`//Alice` … `//Ferdie`, sr25519).
pub const DEV_ACCOUNTS: [&str; 6] = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"];

impl ChainSpec {
    /// Parses a chain spec from JSON.
    ///
    /// # Errors
    ///
    /// [`GenesisError::Json`] for malformed JSON, a missing or unknown field, or a value of
    /// the wrong type (the message gives the line and column).
    pub fn from_json(json: &str) -> Result<Self, GenesisError> {
        Ok(serde_json::from_str(json)?)
    }

    /// The spec as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The built-in development spec: each of [`DEV_ACCOUNTS`] (sr25519 `//<name>`) holds
    /// [`DEV_BALANCE`], Alice is sudo, and one validator (ed25519 `//Alice`) listens on
    /// `127.0.0.1:30333`.
    ///
    /// # Panics
    ///
    /// Never: the dev secret URIs are valid.
    pub fn dev() -> Self {
        use rustensor_primitives::crypto::{ed25519, sr25519};
        let account = |name: &str| {
            sr25519::Pair::from_uri(&format!("//{name}"), None)
                .expect("a dev secret URI is valid")
                .account_id()
        };
        let validator =
            ed25519::Pair::from_uri("//Alice", None).expect("a dev secret URI is valid");
        Self {
            name: "Development".into(),
            id: "dev".into(),
            properties: Properties::default(),
            balances: DEV_ACCOUNTS.iter().map(|n| (account(n).to_ss58(), DEV_BALANCE)).collect(),
            sudo: Some(account("Alice").to_ss58()),
            validators: vec![ValidatorSpec {
                public_key: format!("0x{}", hex::encode(validator.public().as_bytes())),
                address: "127.0.0.1:30333".into(),
            }],
            epoch_length: None,
            subtensor: SubtensorSpec {
                initial_tempo: Some(10),
                max_epochs_per_block: Some(32),
                // With tempo 10 the default 10-block window would freeze owners for good.
                admin_freeze_window: Some(0),
                ..SubtensorSpec::default()
            },
            subnets: Vec::new(),
        }
    }

    /// The spec for `name`: only `"dev"` is built in.
    pub fn builtin(name: &str) -> Option<Self> {
        (name == "dev").then(Self::dev)
    }
}

fn parse_account(field: &str, value: &str) -> Result<AccountId32, GenesisError> {
    AccountId32::from_ss58(value).map_err(|e| {
        GenesisError::invalid(
            field,
            format!("`{value}` is not an SS58 address with prefix 42: {e}"),
        )
    })
}

fn parse_validator(index: usize, spec: &ValidatorSpec) -> Result<Validator, GenesisError> {
    let field = format!("validators[{index}].public_key");
    let hex_part = spec.public_key.strip_prefix("0x").ok_or_else(|| {
        GenesisError::invalid(&field, format!("`{}` must start with 0x", spec.public_key))
    })?;
    let bytes = hex::decode(hex_part).map_err(|e| {
        GenesisError::invalid(&field, format!("`{}` is not hex: {e}", spec.public_key))
    })?;
    let public_key = <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| {
        GenesisError::invalid(&field, format!("expected 32 bytes, found {}", bytes.len()))
    })?;
    if !validators::is_valid_key(&public_key) {
        return Err(GenesisError::invalid(
            &field,
            "not a valid ed25519 public key (a canonical curve point not of small order)",
        ));
    }
    let field = format!("validators[{index}].address");
    let (host, port) = spec.address.rsplit_once(':').ok_or_else(|| {
        GenesisError::invalid(&field, format!("`{}` is not host:port", spec.address))
    })?;
    match port.parse::<u16>() {
        Ok(port)
            if port != 0
                && !host.is_empty()
                && spec.address.len() <= validators::MAX_ADDRESS_LEN => {}
        _ => {
            return Err(GenesisError::invalid(
                &field,
                format!("`{}` is not host:port with a port in 1..=65535", spec.address),
            ));
        }
    }
    Ok(Validator { public_key, address: spec.address.clone() })
}

fn check_tempo(field: &str, tempo: u16) -> Result<(), GenesisError> {
    if tempo == 0 || u64::from(tempo) > subtensor::weights::MAX_TEMPO {
        return Err(GenesisError::invalid(
            field,
            format!("tempo {tempo} is outside 1..={}", subtensor::weights::MAX_TEMPO),
        ));
    }
    Ok(())
}

fn parse_subtensor(
    spec: &SubtensorSpec,
) -> Result<subtensor::genesis::GenesisConfig, GenesisError> {
    if let Some(tempo) = spec.initial_tempo {
        check_tempo("subtensor.initial_tempo", tempo)?;
    }
    if spec.max_epochs_per_block == Some(0) {
        return Err(GenesisError::invalid(
            "subtensor.max_epochs_per_block",
            "must be at least 1, or no subnet would ever run its epoch",
        ));
    }
    Ok(subtensor::genesis::GenesisConfig {
        initial_tempo: spec.initial_tempo,
        network_rate_limit: spec.network_rate_limit,
        network_min_lock_cost: spec.network_min_lock_cost,
        tx_rate_limit: spec.tx_rate_limit,
        max_epochs_per_block: spec.max_epochs_per_block,
        admin_freeze_window: spec.admin_freeze_window,
    })
}

fn parse_subnet(
    index: usize,
    spec: &SubnetSpec,
) -> Result<subtensor::genesis::GenesisSubnet, GenesisError> {
    use subtensor::genesis::{GenesisNeuron, GenesisSubnet};
    let at = |field: &str| format!("subnets[{index}].{field}");
    let owner_coldkey = parse_account(&at("owner_coldkey"), &spec.owner_coldkey)?;
    let owner_hotkey = parse_account(&at("owner_hotkey"), &spec.owner_hotkey)?;
    if let Some(tempo) = spec.tempo {
        check_tempo(&at("tempo"), tempo)?;
    }
    let reserve = subtensor::swap::MINIMUM_RESERVE.max(balances::EXISTENTIAL_DEPOSIT);
    for (field, value) in [("pool_tao", spec.pool_tao), ("pool_alpha", spec.pool_alpha)] {
        if value < reserve {
            return Err(GenesisError::invalid(
                at(field),
                format!("{value} RAO is below the pool's minimum reserve of {reserve} RAO"),
            ));
        }
    }
    let max_neurons = usize::from(subtensor::subnets::NewSubnet::default().max_allowed_uids);
    if spec.neurons.len() >= max_neurons {
        return Err(GenesisError::invalid(
            at("neurons"),
            format!(
                "{} neurons plus the owner exceed the subnet's {max_neurons} uids",
                spec.neurons.len()
            ),
        ));
    }
    let mut hotkeys = BTreeSet::from([owner_hotkey]);
    let mut neurons = Vec::with_capacity(spec.neurons.len());
    for (n, neuron) in spec.neurons.iter().enumerate() {
        let hotkey = parse_account(&at(&format!("neurons[{n}].hotkey")), &neuron.hotkey)?;
        let coldkey = parse_account(&at(&format!("neurons[{n}].coldkey")), &neuron.coldkey)?;
        if !hotkeys.insert(hotkey) {
            return Err(GenesisError::invalid(
                at(&format!("neurons[{n}].hotkey")),
                format!("hotkey {} is already registered on this subnet", neuron.hotkey),
            ));
        }
        neurons.push(GenesisNeuron { hotkey, coldkey, stake: neuron.stake });
    }
    Ok(GenesisSubnet {
        owner_coldkey,
        owner_hotkey,
        tempo: spec.tempo,
        pool_tao: spec.pool_tao,
        pool_alpha: spec.pool_alpha,
        commit_reveal: spec.commit_reveal,
        neurons,
    })
}

/// A hotkey belongs to one coldkey (`SubtensorModule.Owner`): the spec may not bind it to two.
fn check_hotkey_owners(subnets: &[subtensor::genesis::GenesisSubnet]) -> Result<(), GenesisError> {
    let mut owners = BTreeMap::new();
    for (index, subnet) in subnets.iter().enumerate() {
        let pairs = std::iter::once((
            format!("subnets[{index}].owner_hotkey"),
            subnet.owner_hotkey,
            subnet.owner_coldkey,
        ))
        .chain(subnet.neurons.iter().enumerate().map(|(n, neuron)| {
            (format!("subnets[{index}].neurons[{n}].hotkey"), neuron.hotkey, neuron.coldkey)
        }));
        for (field, hotkey, coldkey) in pairs {
            if *owners.entry(hotkey).or_insert(coldkey) != coldkey {
                return Err(GenesisError::invalid(
                    field,
                    format!("hotkey {} is bound to two different coldkeys", hotkey.to_ss58()),
                ));
            }
        }
    }
    Ok(())
}

/// A write target for the pallets' genesis builders.
struct Storage(GenesisStorage);

impl KvRead for Storage {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.0.get(key).cloned()
    }
    fn iter_from(&self, start: &[u8]) -> KvIter<'_> {
        Box::new(self.0.range(start.to_vec()..).map(|(k, v)| (k.clone(), v.clone())))
    }
}

impl Kv for Storage {
    fn put(&mut self, key: &[u8], value: &[u8]) {
        self.0.insert(key.to_vec(), value.to_vec());
    }
    fn delete(&mut self, key: &[u8]) {
        self.0.remove(key);
    }
}

/// Validates `spec` and builds the genesis state (see the module docs).
///
/// # Errors
///
/// [`GenesisError::Invalid`] naming the field: an empty `name` or `id`; an account that is
/// not SS58 with prefix 42; a balance below the existential deposit (500 RAO); an account
/// listed twice; balances whose total overflows `u64`; a bad `sudo`; no validators; a
/// validator key that is not `0x` + 32 bytes of a valid ed25519 point; an address that is not
/// `host:port`; a validator key listed twice; a `subtensor` setting out of range; a genesis
/// subnet with a bad key, a tempo out of range, a pool below the minimum reserve, a neuron
/// listed twice, more neurons than uids, or a hotkey bound to two coldkeys.
pub fn build_genesis(spec: &ChainSpec) -> Result<Genesis, GenesisError> {
    if spec.name.trim().is_empty() {
        return Err(GenesisError::invalid("name", "must not be empty"));
    }
    if spec.id.trim().is_empty() {
        return Err(GenesisError::invalid("id", "must not be empty"));
    }
    let mut seen = BTreeSet::new();
    let mut endowed = Vec::with_capacity(spec.balances.len());
    let mut total = 0u64;
    for (index, (address, free)) in spec.balances.iter().enumerate() {
        let field = format!("balances[{index}]");
        let who = parse_account(&field, address)?;
        if !seen.insert(who) {
            return Err(GenesisError::invalid(field, format!("account {address} is listed twice")));
        }
        if *free < balances::EXISTENTIAL_DEPOSIT {
            return Err(GenesisError::invalid(
                field,
                format!(
                    "balance {free} RAO is below the existential deposit of {} RAO",
                    balances::EXISTENTIAL_DEPOSIT
                ),
            ));
        }
        total = total.checked_add(*free).ok_or_else(|| {
            GenesisError::invalid(field, "the total of all balances overflows u64 RAO")
        })?;
        endowed.push((who, *free));
    }
    let sudo_key = spec.sudo.as_deref().map(|s| parse_account("sudo", s)).transpose()?;
    if spec.validators.is_empty() {
        return Err(GenesisError::invalid("validators", "at least one validator is required"));
    }
    if spec.validators.len() > validators::MAX_VALIDATORS {
        return Err(GenesisError::invalid(
            "validators",
            format!(
                "{} validators: at most {} are allowed",
                spec.validators.len(),
                validators::MAX_VALIDATORS
            ),
        ));
    }
    let mut validators = Vec::with_capacity(spec.validators.len());
    let mut keys = BTreeSet::new();
    for (index, validator) in spec.validators.iter().enumerate() {
        let validator = parse_validator(index, validator)?;
        if !keys.insert(validator.public_key) {
            return Err(GenesisError::invalid(
                format!("validators[{index}].public_key"),
                "this key is listed twice",
            ));
        }
        validators.push(validator);
    }
    let epoch_length = spec.epoch_length.unwrap_or(validators::DEFAULT_EPOCH_LENGTH);
    if epoch_length < 2 {
        return Err(GenesisError::invalid(
            "epoch_length",
            format!("{epoch_length} blocks per epoch: it must be at least 2"),
        ));
    }
    let config = parse_subtensor(&spec.subtensor)?;
    let subnets = spec
        .subnets
        .iter()
        .enumerate()
        .map(|(index, subnet)| parse_subnet(index, subnet))
        .collect::<Result<Vec<_>, _>>()?;
    check_hotkey_owners(&subnets)?;
    for (index, (account, tao)) in
        subtensor::genesis::subnet_endowments(&subnets).into_iter().enumerate()
    {
        let field = format!("subnets[{index}].pool_tao");
        if !seen.insert(account) {
            return Err(GenesisError::invalid(
                field,
                format!("the subnet account {} is also listed in balances", account.to_ss58()),
            ));
        }
        total = total.checked_add(tao).ok_or_else(|| {
            GenesisError::invalid(field, "the total of all balances overflows u64 RAO")
        })?;
        endowed.push((account, tao));
    }

    let mut storage = Storage(GenesisStorage::new());
    balances::build_genesis(&mut storage, &endowed)
        .map_err(|e| GenesisError::invalid("balances", e.to_string()))?;
    sudo::build_genesis(&mut storage, sudo_key.as_ref());
    transaction_payment::build_genesis(&mut storage);
    subtensor::genesis::build(&mut storage, sudo_key.as_ref(), total, &config, &subnets);
    let set = validators
        .iter()
        .map(|v| validators::ValidatorInfo {
            public_key: v.public_key,
            address: v.address.clone().into_bytes(),
        })
        .collect();
    validators::build_genesis(&mut storage, epoch_length, set);
    Ok(Genesis { storage: storage.0, validators })
}

#[cfg(test)]
mod tests;
