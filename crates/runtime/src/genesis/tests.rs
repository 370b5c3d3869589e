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
    // subnet (20 items) with its TotalIssuance: nothing else.
    assert_eq!(genesis.storage.len(), 9 + 20);
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
            Box::new(|s| s.subnets.push(serde_json::json!({"netuid": 1}))),
            "subnets",
            "not supported yet",
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
