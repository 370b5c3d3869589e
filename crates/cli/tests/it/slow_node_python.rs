//! The official Python client, `async-substrate-interface` 2.2.1 (installed by
//! `scripts/setup` with bittensor 10.5.0), against `rustensor node --dev`: it reads
//! `System.Account` of Alice, submits a signed `Balances.transfer_keep_alive` that is reported
//! successful, and sees an overdraft fail with `Token(FundsUnavailable)`, the dispatch error
//! subtensor's fungible-based balances pallet returns for it.

use crate::common::NodeProcess;
use serde_json::Value;

/// `$RUSTENSOR_PYTHON` if set, else the workspace's `.venv/bin/python` if present.
fn python() -> Option<std::path::PathBuf> {
    if let Some(python) = std::env::var_os("RUSTENSOR_PYTHON") {
        return Some(python.into());
    }
    let python =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    python.exists().then_some(python)
}

const SCRIPT: &str = r#"
import asyncio, json, sys
import async_substrate_interface
from async_substrate_interface import AsyncSubstrateInterface
from bittensor_wallet import Keypair

async def main(url):
    alice = Keypair.create_from_uri("//Alice")
    bob = Keypair.create_from_uri("//Bob")
    out = {"version": getattr(async_substrate_interface, "__version__", None)}
    async with AsyncSubstrateInterface(url) as s:
        before = await s.query("System", "Account", [alice.ss58_address])
        out["alice_free"] = before.value["data"]["free"]
        out["alice_nonce"] = before.value["nonce"]
        bob_before = (await s.query("System", "Account", [bob.ss58_address])).value["data"]["free"]

        call = await s.compose_call("Balances", "transfer_keep_alive",
                                    {"dest": bob.ss58_address, "value": 10**9})
        xt = await s.create_signed_extrinsic(call=call, keypair=alice)
        receipt = await s.submit_extrinsic(xt, wait_for_inclusion=True, wait_for_finalization=True)
        out["transfer_success"] = await receipt.is_success
        out["transfer_block"] = receipt.block_hash
        bob_after = (await s.query("System", "Account", [bob.ss58_address])).value["data"]["free"]
        out["bob_gained"] = bob_after - bob_before

        # An overdraft: more than Alice has. The fee is payable, so it is included and fails.
        free = (await s.query("System", "Account", [alice.ss58_address])).value["data"]["free"]
        call = await s.compose_call("Balances", "transfer_keep_alive",
                                    {"dest": bob.ss58_address, "value": free + 1})
        xt = await s.create_signed_extrinsic(call=call, keypair=alice)
        receipt = await s.submit_extrinsic(xt, wait_for_inclusion=True, wait_for_finalization=True)
        out["overdraft_success"] = await receipt.is_success
        out["overdraft_error"] = await receipt.error_message
    print(json.dumps(out, default=str))

asyncio.run(main(sys.argv[1]))
"#;

#[test]
fn test_async_substrate_interface_reads_transfers_and_sees_insufficient_balance() {
    let _machine = crate::common::exclusive();
    let Some(python) = python() else {
        assert!(
            std::env::var_os("CI").is_none(),
            ".venv/bin/python is missing in CI: scripts/setup should have installed it"
        );
        eprintln!("SKIPPED: .venv/bin/python not found (run scripts/setup)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let node = NodeProcess::start(dir.path(), &[]);
    let home = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(python)
        .args(["-c", SCRIPT, &node.ws_url])
        .env("HOME", home.path())
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "python failed:\n{stdout}\n{stderr}");
    let out: Value = serde_json::from_str(stdout.trim().lines().last().unwrap_or_default())
        .unwrap_or_else(|e| panic!("bad output {stdout:?}: {e}\n{stderr}"));
    assert_eq!(out["alice_free"].as_u64(), Some(rustensor_runtime::genesis::DEV_BALANCE), "{out}");
    assert_eq!(out["alice_nonce"].as_u64(), Some(0), "{out}");
    assert_eq!(out["transfer_success"], Value::Bool(true), "{out}");
    assert_eq!(out["bob_gained"].as_u64(), Some(1_000_000_000), "{out}");
    assert_eq!(out["overdraft_success"], Value::Bool(false), "{out}");
    assert_eq!(out["overdraft_error"]["type"], "System", "{out}");
    assert_eq!(out["overdraft_error"]["name"], "Token", "{out}");
    assert_eq!(out["overdraft_error"]["docs"], "FundsUnavailable", "{out}");
    drop(node);
}
