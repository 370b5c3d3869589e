//! Interop: the official Python stack (async-substrate-interface + cyscale, as bittensor 10
//! and btcli use it) loads our metadata and decodes and encodes with it.
//!
//! Runs `tests/py/metadata_interop.py` with the workspace's `.venv/bin/python` (installed by
//! `scripts/setup`), or `$RUSTENSOR_PYTHON`; skipped with a message when that interpreter is
//! missing, except under `CI`, where that is a failure.

use std::path::PathBuf;
use std::process::Command;

use parity_scale_codec::{Compact, Encode};
use rustensor_primitives::{AccountId32, NetUid};
use rustensor_runtime::dispatch::{DispatchError, DispatchEventInfo, Weight};
use rustensor_runtime::events::{EventRecord, Phase, encode_events};
use rustensor_runtime::metadata;
use rustensor_runtime::pallets::subtensor::runtime_api::stake::StakeInfo;
use rustensor_runtime::pallets::{balances, subtensor, system};

/// `$RUSTENSOR_PYTHON` if set, else the workspace's `.venv/bin/python` if present.
fn python() -> Option<PathBuf> {
    if let Some(python) = std::env::var_os("RUSTENSOR_PYTHON") {
        return Some(PathBuf::from(python));
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let python = root.join(".venv/bin/python");
    python.exists().then_some(python)
}

#[test]
fn test_python_clients_use_our_metadata() {
    let Some(python) = python() else {
        // In CI scripts/setup has installed it: a missing interpreter is then a failure.
        assert!(
            std::env::var_os("CI").is_none(),
            ".venv/bin/python is missing in CI: scripts/setup should have installed it"
        );
        eprintln!(
            "SKIPPED: .venv/bin/python not found (run scripts/setup to install the Python clients)"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let metadata_path = dir.path().join("metadata.scale");
    std::fs::write(&metadata_path, metadata::metadata_v15_bytes()).expect("write metadata");

    let account = system::AccountInfo {
        nonce: 7,
        consumers: 0,
        providers: 1,
        sufficients: 0,
        data: system::AccountData { free: 123_456_789, ..Default::default() },
    };
    let info = DispatchEventInfo { weight: Weight::from_parts(1_234_567, 0), ..Default::default() };
    let failed = DispatchError::from(subtensor::Error::NotEnoughStakeToWithdraw);
    let events = encode_events(&[
        EventRecord::new(
            Phase::ApplyExtrinsic(0),
            system::PALLET_INDEX,
            &system::Event::ExtrinsicSuccess { dispatch_info: info },
        ),
        EventRecord::new(
            Phase::ApplyExtrinsic(1),
            system::PALLET_INDEX,
            &system::Event::ExtrinsicFailed { dispatch_error: failed, dispatch_info: info },
        ),
    ]);

    let bob = AccountId32([0x8e; 32]);
    let value = 1_000_000_000u64;
    let mut call = vec![balances::PALLET_INDEX, balances::CALL_TRANSFER_KEEP_ALIVE];
    balances::MultiAddress::Id(bob).encode_to(&mut call);
    Compact(value).encode_to(&mut call);

    let hotkey = AccountId32([0x11; 32]);
    let stake = vec![StakeInfo {
        hotkey,
        coldkey: bob,
        netuid: Compact(NetUid(3)),
        stake: Compact(5_000_000_000),
        locked: Compact(0),
        emission: Compact(17),
        tao_emission: Compact(0),
        drain: Compact(0),
        is_registered: true,
    }];

    let case = serde_json::json!({
        "metadata": metadata_path,
        "account": hex::encode(account.encode()),
        "account_nonce": 7,
        "account_free": 123_456_789,
        "events": hex::encode(events),
        "error_name": "NotEnoughStakeToWithdraw",
        "success_ref_time": 1_234_567,
        "dest_ss58": bob.to_ss58(),
        "value": value,
        "call": hex::encode(&call),
        "stake_info": hex::encode(stake.encode()),
        "stake_hotkey_ss58": hotkey.to_ss58(),
        "stake_netuid": 3,
        "stake_amount": 5_000_000_000u64,
    });
    let case_path = dir.path().join("case.json");
    std::fs::write(&case_path, case.to_string()).expect("write case");

    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/py/metadata_interop.py");
    let out = Command::new(python).arg(script).arg(&case_path).output().expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(out.status.success(), "python failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("all checks passed"), "{stdout}");
    println!("metadata size: {} bytes", metadata::metadata_v15_bytes().len());
}
