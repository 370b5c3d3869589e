//! Tests of chain specs: the dev spec end to end, JSON round trips, one test per rejection.

use super::*;
use crate::executive::Executive;
use crate::pallets::{Runtime, system};
use crate::storage::MemoryKv;
use crate::test_utils::{
    TEST_GENESIS_HASH, TEST_VERSION, dev_account, dev_pair, force_set_balance, sign_call, sudo_call,
};

fn memory(genesis: &Genesis) -> MemoryKv {
    MemoryKv::from(genesis.storage.clone())
}

#[test]
fn test_dev_spec_funds_dev_accounts_and_makes_alice_sudo() {
    let genesis = build_genesis(&ChainSpec::dev()).expect("the dev spec is valid");
    let state = memory(&genesis);
    for name in DEV_ACCOUNTS {
        assert_eq!(balances::free_balance(&state, &dev_account(name)), DEV_BALANCE, "{name}");
    }
    assert_eq!(balances::TotalIssuance::get(&state), 6 * DEV_BALANCE);
    assert_eq!(sudo::Key::get(&state), Some(dev_account("Alice")));
    assert_eq!(
        transaction_payment::NextFeeMultiplier::get(&state),
        transaction_payment::FEE_MULTIPLIER_ONE
    );
    // Six accounts, TotalIssuance, Sudo.Key, NextFeeMultiplier, and SubtensorModule's root
    // subnet (20 items) with its TotalIssuance and the three fast-block settings, and
    // Validators.EpochLength and Validators.Active: nothing else.
    assert_eq!(genesis.storage.len(), 9 + 23 + 2);
    assert_eq!(
        validators::EpochLength::get(&state),
        validators::DEFAULT_EPOCH_LENGTH,
        "the dev spec keeps the default epoch length"
    );
    let active = validators::Active::get(&state).expect("epoch 0's set");
    assert_eq!(active.epoch, 0);
    assert_eq!(active.validators.len(), 1);
    assert_eq!(active.validators[0].public_key, genesis.validators[0].public_key);
    assert_eq!(active.validators[0].address, b"127.0.0.1:30333".to_vec());
    assert_eq!(
        crate::pallets::subtensor::storage::TotalIssuance::get(&state),
        6 * DEV_BALANCE,
        "SubtensorModule's issuance starts equal to the balances'"
    );
    assert!(crate::pallets::subtensor::subnet_exists(&state, crate::pallets::subtensor::ROOT));
    let issuance_key = [
        rustensor_primitives::hashing::twox_128(b"Balances").as_slice(),
        rustensor_primitives::hashing::twox_128(b"TotalIssuance").as_slice(),
    ]
    .concat();
    assert_eq!(genesis.storage.get(&issuance_key), Some(&(6 * DEV_BALANCE).to_le_bytes().to_vec()));
    assert_eq!(genesis.validators.len(), 1);
    assert_eq!(genesis.validators[0].address, "127.0.0.1:30333");
    assert_eq!(ChainSpec::builtin("dev"), Some(ChainSpec::dev()));
    assert_eq!(ChainSpec::builtin("finney"), None);

    // A block on it: Alice's sudo works, Bob's transfer pays a fee.
    let mut block =
        Executive::initialize_block(&state, Runtime, TEST_VERSION, 1, TEST_GENESIS_HASH);
    let call = sudo_call(&force_set_balance(dev_account("Ferdie"), 42_000));
    let applied = block.apply_extrinsic(&sign_call(&dev_pair("Alice"), 0, call)).unwrap();
    assert_eq!(applied.result, Ok(()));
    let state = block.finalize_block();
    assert_eq!(balances::free_balance(&state, &dev_account("Ferdie")), 42_000);
    assert_eq!(system::account_nonce(&state, &dev_account("Alice")), 1);
}

#[test]
fn test_spec_json_round_trip_and_determinism() {
    let spec = ChainSpec::dev();
    let json = spec.to_json();
    let parsed = ChainSpec::from_json(&json).expect("our own JSON parses");
    assert_eq!(parsed, spec);
    assert_eq!(build_genesis(&parsed).unwrap(), build_genesis(&spec).unwrap());
    assert!(json.contains("\"tokenSymbol\": \"TAO\""), "{json}");
    // Minimal spec: properties, sudo and subnets are optional.
    let minimal = format!(
        r#"{{"name": "x", "id": "x", "balances": [["{}", 500]], "validators": {}}}"#,
        dev_account("Bob").to_ss58(),
        serde_json::to_string(&spec.validators).unwrap()
    );
    let genesis = build_genesis(&ChainSpec::from_json(&minimal).unwrap()).unwrap();
    assert_eq!(sudo::Key::get(&memory(&genesis)), None);
    assert_eq!(balances::TotalIssuance::get(&memory(&genesis)), 500);
}

/// A genesis subnet owned by `//<owner>` with hotkey `//<hot>`, and two staked neurons
/// (hotkeys `//Eve`, `//Ferdie`, owned by `//Dave`).
fn subnet_spec(owner: &str, hot: &str) -> SubnetSpec {
    let ss58 = |name: &str| dev_account(name).to_ss58();
    SubnetSpec {
        owner_coldkey: ss58(owner),
        owner_hotkey: ss58(hot),
        tempo: Some(10),
        pool_tao: 100 * crate::pallets::subtensor::TAO,
        pool_alpha: 50 * crate::pallets::subtensor::TAO,
        commit_reveal: false,
        neurons: vec![
            NeuronSpec { hotkey: ss58("Eve"), coldkey: ss58("Dave"), stake: 1_000_000_000 },
            NeuronSpec { hotkey: ss58("Ferdie"), coldkey: ss58("Dave"), stake: 0 },
        ],
    }
}

#[test]
fn test_genesis_subnets_are_started_funded_and_balance_the_books() {
    use crate::pallets::subtensor::{self, storage as st};
    use rustensor_primitives::NetUid;
    let mut spec = ChainSpec::dev();
    spec.subnets = vec![subnet_spec("Bob", "Charlie"), {
        let mut second = subnet_spec("Bob", "Charlie");
        second.tempo = None;
        second.neurons.clear();
        second.commit_reveal = true;
        second
    }];
    let json = spec.to_json();
    assert_eq!(ChainSpec::from_json(&json).unwrap(), spec, "round trip");
    let genesis = build_genesis(&spec).unwrap();
    let state = memory(&genesis);
    let (one, two) = (NetUid(1), NetUid(2));
    assert_eq!(subtensor::netuids(&state), vec![subtensor::ROOT, one, two]);
    // Books: the pools' TAO is minted into the subnet accounts and counted in both issuances.
    let pools = 200 * subtensor::TAO;
    assert_eq!(balances::TotalIssuance::get(&state), 6 * DEV_BALANCE + pools);
    assert_eq!(st::TotalIssuance::get(&state), 6 * DEV_BALANCE + pools);
    for n in [one, two] {
        let account = subtensor::subnet_account_id(n);
        assert_eq!(balances::free_balance(&state, &account), st::SubnetTAO::get(&state, &n));
        assert_eq!(st::SubnetAlphaIn::get(&state, &n), 50 * subtensor::TAO);
        assert_eq!(st::SubnetOwner::get(&state, &n), dev_account("Bob"));
        assert!(st::SubtokenEnabled::get(&state, &n), "started");
        assert_eq!(st::FirstEmissionBlockNumber::get(&state, &n), Some(1));
    }
    assert_eq!(st::Tempo::get(&state, &one), 10);
    assert_eq!(st::Tempo::get(&state, &two), 10, "the dev spec's initial tempo");
    assert!(!st::CommitRevealWeightsEnabled::get(&state, &one));
    assert!(st::CommitRevealWeightsEnabled::get(&state, &two));
    // Owner at uid 0, then the listed neurons; Eve's stake is minted alpha.
    assert_eq!(st::SubnetworkN::get(&state, &one), 3);
    assert_eq!(st::Keys::get(&state, &one, &0), dev_account("Charlie"));
    assert_eq!(st::Keys::get(&state, &one, &2), dev_account("Ferdie"));
    assert_eq!(st::Owner::get(&state, &dev_account("Eve")), dev_account("Dave"));
    let eve =
        subtensor::share_pool::alpha_of(&state, &dev_account("Eve"), &dev_account("Dave"), one);
    assert_eq!(eve, 1_000_000_000);
    assert_eq!(st::SubnetAlphaOut::get(&state, &one), 1_000_000_000);
    assert_ne!(st::TokenSymbol::get(&state, &one), st::TokenSymbol::get(&state, &two));
    // Later subnets take the spec's initial tempo.
    assert_eq!(st::InitialTempo::get(&state), 10);
}

#[test]
fn test_genesis_subnet_runs_its_epoch_and_pays_the_staked_validator() {
    use crate::pallets::subtensor::{self, storage as st};
    use rustensor_primitives::NetUid;
    let mut spec = ChainSpec::dev();
    spec.subnets = vec![subnet_spec("Bob", "Charlie")];
    let mut state = memory(&build_genesis(&spec).unwrap());
    let (one, eve, dave) = (NetUid(1), dev_account("Eve"), dev_account("Dave"));
    let before = subtensor::share_pool::alpha_of(&state, &eve, &dave, one);
    let issuance = balances::TotalIssuance::get(&state);
    let mut parent = TEST_GENESIS_HASH;
    for number in 1..=12u32 {
        let block = Executive::initialize_block(&state, Runtime, TEST_VERSION, number, parent);
        let (_, changes) = block.finalize_block().into_parts();
        for (key, change) in changes {
            match change {
                Some(v) => crate::storage::Kv::put(&mut state, &key, &v),
                None => crate::storage::Kv::delete(&mut state, &key),
            }
        }
        parent = [u8::try_from(number).unwrap(); 32];
    }
    assert!(st::SubnetEpochIndex::get(&state, &one) >= 1, "tempo 10: an epoch ran");
    assert!(subtensor::share_pool::alpha_of(&state, &eve, &dave, one) > before, "dividends");
    let free: u64 = system::Account::iter(&state).map(|(_, a)| a.data.free).sum();
    assert_eq!(free, balances::TotalIssuance::get(&state));
    // Moving prices start at 0 and warm up over weeks, so no TAO is emitted yet: the
    // block emission is all alpha.
    assert_eq!(balances::TotalIssuance::get(&state), issuance);
    assert!(st::SubnetAlphaOut::get(&state, &one) > before, "alpha emitted");
}

fn rejected(edit: impl FnOnce(&mut ChainSpec)) -> (String, String) {
    let mut spec = ChainSpec::dev();
    edit(&mut spec);
    match build_genesis(&spec) {
        Err(GenesisError::Invalid { field, reason }) => (field, reason),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn test_malformed_json_is_rejected_with_position() {
    let err =
        ChainSpec::from_json("{\"name\": \"x\", \"id\": \"x\", \"balance\": []}").unwrap_err();
    let text = err.to_string();
    assert!(text.contains("unknown field `balance`") && text.contains("line 1"), "{text}");
    let err = ChainSpec::from_json(
        r#"{"name": "x", "id": "x", "balances": [["a", -1]], "validators": []}"#,
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("malformed chain spec: invalid value"), "{err}");
    assert!(ChainSpec::from_json("{").is_err());
}

#[test]
fn test_each_invalid_field_is_named() {
    let alice = dev_account("Alice").to_ss58();
    type Edit = Box<dyn FnOnce(&mut ChainSpec)>;
    let cases: Vec<(Edit, &str, &str)> = vec![
        (Box::new(|s| s.name = " ".into()), "name", "must not be empty"),
        (Box::new(|s| s.id.clear()), "id", "must not be empty"),
        (Box::new(|s| s.balances[1].0 = "5notss58".into()), "balances[1]", "not an SS58 address"),
        (Box::new(|s| s.balances[2].1 = 499), "balances[2]", "below the existential deposit"),
        (Box::new(move |s| s.balances[3].0 = alice), "balances[3]", "listed twice"),
        (Box::new(|s| s.balances[5].1 = u64::MAX), "balances[5]", "overflows"),
        (Box::new(|s| s.sudo = Some("nope".into())), "sudo", "not an SS58 address"),
        (Box::new(|s| s.validators.clear()), "validators", "at least one"),
        (
            Box::new(|s| s.validators[0].public_key = "abcd".into()),
            "validators[0].public_key",
            "must start with 0x",
        ),
        (
            Box::new(|s| s.validators[0].public_key = "0xzz".into()),
            "validators[0].public_key",
            "is not hex",
        ),
        (
            Box::new(|s| s.validators[0].public_key = "0xabcd".into()),
            "validators[0].public_key",
            "expected 32 bytes, found 2",
        ),
        (
            // y = 2 is not on the curve.
            Box::new(|s| {
                s.validators[0].public_key = format!("0x02{}", "00".repeat(31));
            }),
            "validators[0].public_key",
            "not a valid ed25519 public key",
        ),
        (
            Box::new(|s| s.validators[0].address = "localhost".into()),
            "validators[0].address",
            "is not host:port",
        ),
        (
            Box::new(|s| s.validators[0].address = "localhost:0".into()),
            "validators[0].address",
            "port in 1..=65535",
        ),
        (
            Box::new(|s| {
                let again = s.validators[0].clone();
                s.validators.push(again);
            }),
            "validators[1].public_key",
            "listed twice",
        ),
        (
            // The identity point: on the curve, but of small order.
            Box::new(|s| {
                s.validators[0].public_key = format!("0x01{}", "00".repeat(31));
            }),
            "validators[0].public_key",
            "not of small order",
        ),
        (Box::new(|s| s.epoch_length = Some(1)), "epoch_length", "at least 2"),
        (
            Box::new(|s| s.subtensor.initial_tempo = Some(0)),
            "subtensor.initial_tempo",
            "outside 1..=50400",
        ),
        (
            Box::new(|s| s.subtensor.max_epochs_per_block = Some(0)),
            "subtensor.max_epochs_per_block",
            "at least 1",
        ),
        (
            Box::new(|s| {
                let mut second = subnet_spec("Bob", "Alice");
                second.neurons[0].hotkey = dev_account("Charlie").to_ss58();
                s.subnets = vec![subnet_spec("Bob", "Charlie"), second];
            }),
            "subnets[1].neurons[0].hotkey",
            "bound to two different coldkeys",
        ),
        (
            Box::new(|s| {
                let mut subnet = subnet_spec("Bob", "Charlie");
                subnet.owner_coldkey = "x".into();
                s.subnets = vec![subnet];
            }),
            "subnets[0].owner_coldkey",
            "not an SS58 address",
        ),
        (
            Box::new(|s| {
                let mut subnet = subnet_spec("Bob", "Charlie");
                subnet.tempo = Some(50_401);
                s.subnets = vec![subnet];
            }),
            "subnets[0].tempo",
            "outside 1..=50400",
        ),
        (
            Box::new(|s| {
                let mut subnet = subnet_spec("Bob", "Charlie");
                subnet.pool_alpha = 999_999;
                s.subnets = vec![subnet];
            }),
            "subnets[0].pool_alpha",
            "below the pool's minimum reserve",
        ),
        (
            Box::new(|s| {
                let mut subnet = subnet_spec("Bob", "Charlie");
                let again = subnet.neurons[0].clone();
                subnet.neurons.push(again);
                s.subnets = vec![subnet];
            }),
            "subnets[0].neurons[2].hotkey",
            "already registered",
        ),
        (
            Box::new(|s| {
                let mut subnet = subnet_spec("Bob", "Charlie");
                let dave = dev_account("Dave").to_ss58();
                subnet.neurons = (0..=255u8)
                    .map(|b| NeuronSpec {
                        hotkey: rustensor_primitives::AccountId32([b; 32]).to_ss58(),
                        coldkey: dave.clone(),
                        stake: 0,
                    })
                    .collect();
                s.subnets = vec![subnet];
            }),
            "subnets[0].neurons",
            "exceed the subnet's 256 uids",
        ),
        (
            Box::new(|s| {
                let account =
                    crate::pallets::subtensor::subnet_account_id(rustensor_primitives::NetUid(1));
                s.balances.push((account.to_ss58(), 1_000));
                s.subnets = vec![subnet_spec("Bob", "Charlie")];
            }),
            "subnets[0].pool_tao",
            "also listed in balances",
        ),
    ];
    for (edit, field, reason) in cases {
        let (got_field, got_reason) = rejected(edit);
        assert_eq!(got_field, field);
        assert!(got_reason.contains(reason), "{field}: {got_reason}");
    }
    let err = GenesisError::invalid("sudo", "bad");
    assert_eq!(err.to_string(), "chain spec field `sudo`: bad");
}
