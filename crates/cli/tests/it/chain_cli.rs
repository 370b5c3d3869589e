//! The chain client and the chain commands against a real `rustensor node --dev`: transfers,
//! a subnet created and started, burned registrations, stake, weights and the metagraph after
//! an epoch, every step asserted on `--json` output; plus the SDK's nonce management and HTTP
//! transport, and the errors a user meets (overdraft, unreachable node, no confirmation).

use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{NodeProcess, binary, cli, json, ss58};
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_runtime::pallets::{RuntimeCall, balances};
use rustensor_sdk::chain::{ChainClient, ChainError, TxOptions, WaitFor};
use serde_json::Value;

fn free(node: &NodeProcess, uri: &str) -> u64 {
    json(node, &["wallet", "balance", "--uri", uri, "--json"])["free_rao"]
        .as_u64()
        .expect("free_rao")
}

/// Runs a `weights set` until the validator has its permit (handed out at an epoch).
fn until_permitted(node: &NodeProcess, args: &[&str]) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let out = cli(node, args);
        if out.status.success() {
            return serde_json::from_slice(&out.stdout).expect("json");
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("NeuronNoValidatorPermit"), "{stderr}");
        assert!(Instant::now() < deadline, "no validator permit after 60 s");
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn sudo_set(node: &NodeProcess, netuid: &str, param: &str, value: &str) {
    let done = json(
        node,
        &[
            "sudo", "set", "--netuid", netuid, "--param", param, "--value", value, "--uri",
            "//Alice", "--json",
        ],
    );
    assert_eq!(done["finalized"], true, "{done}");
}

fn enable_pow(node: &NodeProcess, netuid: u64) {
    use parity_scale_codec::Encode as _;
    use rustensor_runtime::pallets::subtensor::storage::NetworkPowRegistrationAllowed;
    use rustensor_runtime::pallets::{sudo, system};
    let netuid = rustensor_primitives::NetUid(u16::try_from(netuid).expect("netuid"));
    let key = NetworkPowRegistrationAllowed::key(&netuid);
    let call = RuntimeCall::Sudo(sudo::Call::Sudo(Box::new(RuntimeCall::System(
        system::Call::SetStorage(vec![(key, true.encode())]),
    ))));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let client = ChainClient::connect(&node.ws_url).await.expect("connects");
        let alice = Pair::from_uri("//Alice", None).expect("alice");
        client.submit(&alice, call, TxOptions::default()).await.expect("sudo set_storage");
        assert!(client.read::<NetworkPowRegistrationAllowed>(&netuid, None).await.expect("read"));
    });
}

/// The CLI flow on one dev node, as named steps that share its state: each runs even when an
/// earlier one failed, and the test fails at the end naming every step that did.
#[test]
fn test_cli_flow_transfer_subnet_register_stake_weights_metagraph() {
    let _machine = crate::common::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let node = NodeProcess::start(dir.path(), &[]);
    let mut f = Flow { node, netuid: None, uids: Vec::new(), pow_uid: None };
    let mut steps = Steps::default();
    steps.run("transfer", || step_transfer(&mut f));
    steps.run("subnet", || step_subnet(&mut f));
    steps.run("register_burn", || step_register_burn(&mut f));
    steps.run("register_pow", || step_register_pow(&mut f));
    steps.run("axon", || step_axon(&mut f));
    steps.run("wallet_miner", || step_wallet_miner(&mut f));
    steps.run("stake", || step_stake(&mut f));
    steps.run("delegate_move_give", || step_delegate_move_give(&mut f));
    steps.run("weights_and_metagraph", || step_weights_and_metagraph(&mut f));
    steps.run("commit_reveal", || step_commit_reveal(&mut f));
    steps.run("rate_limit_and_table", || step_rate_limit_and_table(&mut f));
    steps.finish();
}

/// What the flow's steps share: the node and what earlier steps created.
struct Flow {
    node: NodeProcess,
    /// The subnet step 2 created.
    netuid: Option<u64>,
    /// The validator's and the two miners' uids (step 3).
    uids: Vec<u64>,
    /// The uid registered by proof of work (step 3b).
    pow_uid: Option<u64>,
}

impl Flow {
    fn netuid(&self) -> u64 {
        self.netuid.expect("an earlier step created no subnet")
    }
}

/// Runs named steps, catching each one's panic, and fails once at the end with them all.
#[derive(Default)]
struct Steps {
    failed: Vec<String>,
}

impl Steps {
    fn run(&mut self, name: &str, step: impl FnOnce()) {
        eprintln!("step {name}");
        if let Err(panic) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            eprintln!("step {name} failed: {message}");
            self.failed.push(format!("{name}: {message}"));
        }
    }

    fn finish(self) {
        assert!(self.failed.is_empty(), "failed steps:\n{}", self.failed.join("\n"));
    }
}

/// `weights set` by `//Bob//validator` of weight 1 on `uid` (steps 5 and 7).
fn validator_weights_args<'a>(netuid_s: &'a str, uid: &'a str) -> [&'a str; 13] {
    [
        "weights",
        "set",
        "--netuid",
        netuid_s,
        "--uids",
        uid,
        "--weights",
        "1",
        "--uri",
        "//Bob",
        "--hotkey-uri",
        "//Bob//validator",
        "--json",
    ]
}

/// Step 1: Transfer to a fresh account and read it back.
fn step_transfer(f: &mut Flow) {
    let node = &f.node;

    let fresh = ss58("//Fresh");
    let before = free(node, "//Fresh");
    let sent = json(
        node,
        &[
            "wallet", "transfer", "--uri", "//Alice", "--dest", &fresh, "--amount", "2.5", "--yes",
            "--json",
        ],
    );
    assert_eq!(sent["finalized"], true, "{sent}");
    assert_eq!(sent["amount_rao"], 2_500_000_000u64);
    assert!(sent["fee_rao"].as_u64().expect("fee") > 0, "transfers pay a fee: {sent}");
    assert_eq!(free(node, "//Fresh"), before + 2_500_000_000);
}

/// Step 2: Create a subnet and start it.
fn step_subnet(f: &mut Flow) {
    let node = &f.node;

    let lock = json(node, &["subnet", "lock-cost", "--json"]);
    assert!(lock["lock_cost_rao"].as_u64().is_some(), "{lock}");
    let created = json(
        node,
        &[
            "subnet",
            "create",
            "--uri",
            "//Alice",
            "--hotkey-uri",
            "//Alice//owner",
            "--yes",
            "--json",
        ],
    );
    let netuid = created["netuid"].as_u64().expect("the NetworkAdded event names the netuid");
    let netuid_s = netuid.to_string();
    let started = json(node, &["subnet", "start", &netuid_s, "--uri", "//Alice", "--json"]);
    assert_eq!(started["finalized"], true);
    let list = json(node, &["subnet", "list", "--json"]);
    let listed = list["subnets"]
        .as_array()
        .expect("list")
        .iter()
        .any(|s| s["netuid"].as_u64() == Some(netuid));
    assert!(listed, "subnet {netuid} listed: {list}");
    f.netuid = Some(netuid);
}

/// Step 3: Register two miners and a validator by burn.
fn step_register_burn(f: &mut Flow) {
    let node = &f.node;
    let netuid = f.netuid();
    let netuid_s = netuid.to_string();

    let cost = json(node, &["subnet", "burn-cost", &netuid_s, "--json"]);
    assert!(cost["burn_cost_rao"].as_u64().is_some(), "{cost}");
    let mut uids = Vec::new();
    for hotkey in ["//Bob//validator", "//Bob//miner1", "//Bob//miner2"] {
        let reg = json(
            node,
            &[
                "register",
                "--netuid",
                &netuid_s,
                "--uri",
                "//Bob",
                "--hotkey-uri",
                hotkey,
                "--yes",
                "--json",
            ],
        );
        uids.push(reg["uid"].as_u64().expect("registered uid"));
    }
    let again = cli(
        node,
        &[
            "register",
            "--netuid",
            &netuid_s,
            "--uri",
            "//Bob",
            "--hotkey-uri",
            "//Bob//miner1",
            "--yes",
        ],
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already registered"));
    f.uids = uids;
}

/// Step 3b: One more miner by proof of work: the owner allows PoW, the sudo key lowers the
/// difficulty, and the hotkey (which signs PoW registrations and pays their fee) is funded.
fn step_register_pow(f: &mut Flow) {
    let node = &f.node;
    let netuid = f.netuid();
    let netuid_s = netuid.to_string();

    let pow_hotkey = ss58("//Carol//pow");
    json(
        node,
        &[
            "wallet",
            "transfer",
            "--uri",
            "//Alice",
            "--dest",
            &pow_hotkey,
            "--amount",
            "1",
            "--yes",
            "--json",
        ],
    );
    // Subtensor no longer lets anyone toggle PoW registration; on a dev chain the sudo key
    // can still write the flag with `System.set_storage`.
    let refused = cli(
        node,
        &[
            "subnet",
            "set",
            &netuid_s,
            "--param",
            "pow_registration_allowed",
            "--value",
            "true",
            "--uri",
            "//Alice",
        ],
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("POWRegistrationDisabled"));
    enable_pow(node, netuid);
    json(
        node,
        &[
            "sudo",
            "set",
            "--netuid",
            &netuid_s,
            "--param",
            "difficulty",
            "--value",
            "10000",
            "--uri",
            "//Alice",
            "--json",
        ],
    );
    let pow = json(
        node,
        &[
            "register",
            "--pow",
            "--netuid",
            &netuid_s,
            "--uri",
            "//Carol",
            "--hotkey-uri",
            "//Carol//pow",
            "--yes",
            "--json",
        ],
    );
    assert_eq!(pow["method"], "pow", "{pow}");
    assert_eq!(pow["difficulty"], 10000, "{pow}");
    let pow_uid = pow["uid"].as_u64().expect("registered by PoW");
    f.pow_uid = Some(pow_uid);
}

/// Step 3c: Miner 1 announces its axon (127.0.0.1 itself is refused with a hint).
fn step_axon(f: &mut Flow) {
    let node = &f.node;
    let netuid = f.netuid();
    let netuid_s = netuid.to_string();

    let localhost = cli(
        node,
        &[
            "axon",
            "set",
            "--netuid",
            &netuid_s,
            "--ip",
            "127.0.0.1",
            "--port",
            "8091",
            "--uri",
            "//Bob",
            "--hotkey-uri",
            "//Bob//miner1",
        ],
    );
    assert!(String::from_utf8_lossy(&localhost.stderr).contains("127.0.0.2"));
    let axon = json(
        node,
        &[
            "axon",
            "set",
            "--netuid",
            &netuid_s,
            "--ip",
            "127.0.0.2",
            "--port",
            "8091",
            "--uri",
            "//Bob",
            "--hotkey-uri",
            "//Bob//miner1",
            "--json",
        ],
    );
    assert_eq!(axon["axon"], "127.0.0.2:8091");
}

/// Step 3d: A miner from a real wallet: create it, fund its coldkey, register its hotkey with
/// the wallet's own keys, and see it in `wallet overview`.
fn step_wallet_miner(f: &mut Flow) {
    let node = &f.node;
    let netuid = f.netuid();
    let netuid_s = netuid.to_string();

    let wallets = tempfile::tempdir().expect("tempdir");
    let root = wallets.path().display().to_string();
    let created = Command::new(binary())
        .args([
            "wallet",
            "create",
            "--wallet",
            "miner",
            "--wallet-path",
            &root,
            "--no-password",
            "--json",
        ])
        .output()
        .expect("runs");
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let created: Value = serde_json::from_slice(&created.stdout).expect("json");
    let miner_coldkey = created["coldkey"]["ss58"].as_str().expect("coldkey").to_owned();
    let miner_hotkey = created["hotkey"]["ss58"].as_str().expect("hotkey").to_owned();
    json(
        node,
        &[
            "wallet",
            "transfer",
            "--uri",
            "//Alice",
            "--dest",
            &miner_coldkey,
            "--amount",
            "100",
            "--yes",
            "--json",
        ],
    );
    let reg = json(
        node,
        &[
            "register",
            "--netuid",
            &netuid_s,
            "--wallet",
            "miner",
            "--wallet-path",
            &root,
            "--yes",
            "--json",
        ],
    );
    let wallet_uid = reg["uid"].as_u64().expect("uid");
    let overview =
        json(node, &["wallet", "overview", "--wallet", "miner", "--wallet-path", &root, "--json"]);
    assert_eq!(overview["coldkey"], miner_coldkey.as_str());
    let listed = &overview["neurons"][0];
    assert_eq!(
        (listed["hotkey"].as_str(), listed["netuid"].as_u64(), listed["uid"].as_u64()),
        (Some(miner_hotkey.as_str()), Some(netuid), Some(wallet_uid)),
        "{overview}"
    );
}

/// Step 4: Stake to the validator and list it.
fn step_stake(f: &mut Flow) {
    let node = &f.node;
    let netuid = f.netuid();
    let netuid_s = netuid.to_string();
    let pow_hotkey = ss58("//Carol//pow");

    let validator = ss58("//Bob//validator");
    let staked = json(
        node,
        &[
            "stake",
            "add",
            "--netuid",
            &netuid_s,
            "--amount",
            "100",
            "--hotkey-address",
            &validator,
            "--uri",
            "//Alice",
            "--yes",
            "--json",
        ],
    );
    assert_eq!(staked["finalized"], true);
    // The PoW-registered hotkey becomes the second validator.
    let staked2 = json(
        node,
        &[
            "stake",
            "add",
            "--netuid",
            &netuid_s,
            "--amount",
            "50",
            "--hotkey-address",
            &pow_hotkey,
            "--uri",
            "//Alice",
            "--yes",
            "--json",
        ],
    );
    assert_eq!(staked2["finalized"], true);
    // With a limit price the slippage is shown and the limit variant is used.
    let limited = json(
        node,
        &[
            "stake",
            "add",
            "--netuid",
            &netuid_s,
            "--amount",
            "1",
            "--limit-price",
            "1000",
            "--hotkey-address",
            &validator,
            "--uri",
            "//Alice",
            "--yes",
            "--json",
        ],
    );
    assert!(limited["expected_alpha_rao"].as_u64() > Some(0), "{limited}");
    assert!(limited["slippage"].as_str().is_some_and(|s| s.ends_with('%')), "{limited}");
    assert_eq!(limited["limit_price_rao"], 1_000_000_000_000u64);
    let stakes = json(node, &["stake", "list", "--uri", "//Alice", "--json"]);
    let position = stakes["stakes"]
        .as_array()
        .expect("stakes")
        .iter()
        .find(|s| s["hotkey"] == validator.as_str() && s["netuid"].as_u64() == Some(netuid))
        .cloned();
    assert!(position.is_some_and(|p| p["alpha_rao"].as_u64() > Some(0)), "{stakes}");
}

/// Step 4b: The validator lowers its delegate take; Alice moves a little stake to miner 1's
/// hotkey and gives a little to //Fresh.
fn step_delegate_move_give(f: &mut Flow) {
    let node = &f.node;
    let netuid = f.netuid();
    let netuid_s = netuid.to_string();
    let fresh = ss58("//Fresh");
    let validator = ss58("//Bob//validator");

    let take = json(
        node,
        &[
            "delegate",
            "take",
            "--take",
            "10",
            "--uri",
            "//Bob",
            "--hotkey-uri",
            "//Bob//validator",
            "--json",
        ],
    );
    assert_eq!(take["take_u16"], 6554, "{take}");
    assert!(take["previous_u16"].as_u64() > Some(6554), "{take}");
    let miner1_hotkey = ss58("//Bob//miner1");
    let moved = json(
        node,
        &[
            "stake",
            "move",
            "--origin-netuid",
            &netuid_s,
            "--dest-netuid",
            &netuid_s,
            "--amount",
            "1",
            "--origin-hotkey",
            &validator,
            "--dest-hotkey",
            &miner1_hotkey,
            "--uri",
            "//Alice",
            "--yes",
            "--json",
        ],
    );
    assert_eq!(moved["finalized"], true);
    let given = json(
        node,
        &[
            "stake",
            "transfer",
            "--origin-netuid",
            &netuid_s,
            "--dest-netuid",
            &netuid_s,
            "--amount",
            "1",
            "--hotkey-address",
            &validator,
            "--dest-coldkey",
            &fresh,
            "--uri",
            "//Alice",
            "--yes",
            "--json",
        ],
    );
    assert_eq!(given["finalized"], true);
    let fresh_stakes = json(node, &["stake", "list", "--uri", "//Fresh", "--json"]);
    assert!(
        fresh_stakes["stakes"]
            .as_array()
            .is_some_and(|s| s.iter().any(|p| p["hotkey"] == validator.as_str())),
        "{fresh_stakes}"
    );
}

/// Step 5: The owner turns commit-reveal off; the validator weights miner 2 only; after an
/// epoch the metagraph shows it.
fn step_weights_and_metagraph(f: &mut Flow) {
    let node = &f.node;
    let netuid = f.netuid();
    let netuid_s = netuid.to_string();
    let pow_hotkey = ss58("//Carol//pow");
    let uids = f.uids.clone();
    let pow_uid = f.pow_uid.expect("an earlier step registered no PoW miner");

    let off = json(
        node,
        &[
            "subnet",
            "set",
            &netuid_s,
            "--param",
            "commit_reveal_weights_enabled",
            "--value",
            "false",
            "--uri",
            "//Alice",
            "--json",
        ],
    );
    assert_eq!(off["finalized"], true);
    // The weights rate limit is root's to change: the sudo key does it.
    let params = json(node, &["subnet", "hyperparameters", &netuid_s, "--json"]);
    assert_eq!(params["hyperparameters"]["commit_reveal_weights_enabled"], false, "{params}");
    assert!(params["hyperparameters"]["tempo"].as_u64().is_some(), "{params}");
    let limit = json(
        node,
        &[
            "subnet",
            "set",
            &netuid_s,
            "--param",
            "weights_rate_limit",
            "--value",
            "0",
            "--sudo",
            "--uri",
            "//Alice",
            "--json",
        ],
    );
    assert_eq!(limit["finalized"], true);
    let miner2 = uids[2].to_string();
    // Validator permits are handed out at the next epoch after the stake arrives.
    let weights_args = validator_weights_args(&netuid_s, &miner2);
    let set = until_permitted(node, &weights_args);
    assert_eq!(set["weights_u16"][0], 65535);
    // The second validator (registered by PoW) agrees; permits were handed out together.
    let set2 = until_permitted(
        node,
        &[
            "weights",
            "set",
            "--netuid",
            &netuid_s,
            "--uids",
            &miner2,
            "--weights",
            "1",
            "--uri",
            "//Carol",
            "--hotkey-uri",
            "//Carol//pow",
            "--json",
        ],
    );
    assert_eq!(set2["finalized"], true);
    let deadline = Instant::now() + Duration::from_secs(60);
    let meta = loop {
        let meta = json(node, &["metagraph", &netuid_s, "--json"]);
        let incentive = meta["neurons"][uids[2] as usize]["incentive_u16"].as_u64().unwrap_or(0);
        if incentive > 0 {
            break meta;
        }
        assert!(Instant::now() < deadline, "no incentive after 60 s: {meta}");
        std::thread::sleep(Duration::from_millis(500));
    };
    let neurons = meta["neurons"].as_array().expect("neurons");
    // uid 0 is the owner's hotkey, registered with the subnet.
    assert_eq!(meta["n"].as_u64(), Some(6));
    assert_eq!(neurons[pow_uid as usize]["hotkey"], pow_hotkey.as_str());
    assert_eq!(neurons[uids[1] as usize]["axon"], "127.0.0.2:8091");
    assert_eq!(
        neurons[uids[2] as usize]["incentive_u16"], 65535,
        "miner 2 gets all incentive: {meta}"
    );
    assert_eq!(neurons[uids[1] as usize]["incentive_u16"], 0, "miner 1 gets none: {meta}");
    assert!(
        neurons[uids[0] as usize]["dividends_u16"].as_u64() > Some(0),
        "the validator earns dividends: {meta}"
    );
    assert_eq!(neurons[uids[0] as usize]["validator_permit"], true);
    assert_eq!(neurons[pow_uid as usize]["validator_permit"], true, "{meta}");
    assert!(
        neurons[uids[2] as usize]["emission_rao"].as_u64() > Some(0),
        "miner 2 is paid: {meta}"
    );
    assert_eq!(neurons[uids[1] as usize]["emission_rao"], 0, "miner 1 is not: {meta}");
    // The full metagraph carries the weights as set, and the validators' trust.
    let full = json(node, &["metagraph", &netuid_s, "--full", "--json"]);
    let validator_row = &full["neurons"][uids[0] as usize];
    assert_eq!(validator_row["weights"], serde_json::json!([[uids[2], 65535]]), "{full}");
    assert!(validator_row["validator_trust"].as_f64() > Some(0.0), "{full}");
}

/// Step 6: Commit-reveal back on (by sudo: no owner rate limit); the validator commits weights
/// for miner 1, reveals them once the reveal epoch comes, and miner 1 takes over.
fn step_commit_reveal(f: &mut Flow) {
    let node = &f.node;
    let netuid = f.netuid();
    let netuid_s = netuid.to_string();
    let uids = f.uids.clone();

    let on = json(
        node,
        &[
            "subnet",
            "set",
            &netuid_s,
            "--param",
            "commit_reveal_weights_enabled",
            "--value",
            "true",
            "--sudo",
            "--uri",
            "//Alice",
            "--json",
        ],
    );
    assert_eq!(on["finalized"], true);
    let miner1 = uids[1].to_string();
    let committed = json(
        node,
        &[
            "weights",
            "commit",
            "--netuid",
            &netuid_s,
            "--uids",
            &miner1,
            "--weights",
            "1",
            "--uri",
            "//Bob",
            "--hotkey-uri",
            "//Bob//validator",
            "--json",
        ],
    );
    let salt: Vec<String> =
        committed["salt"].as_array().expect("salt").iter().map(|v| v.to_string()).collect();
    assert_eq!(salt.len(), 8);
    let salt = salt.join(",");
    let reveal_args = [
        "weights",
        "reveal",
        "--netuid",
        &netuid_s,
        "--uids",
        &miner1,
        "--weights",
        "1",
        "--salt",
        &salt,
        "--uri",
        "//Bob",
        "--hotkey-uri",
        "//Bob//validator",
        "--json",
    ];
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let out = cli(node, &reveal_args);
        if out.status.success() {
            break;
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("RevealTooEarly"), "{stderr}");
        assert!(Instant::now() < deadline, "could not reveal within 60 s");
        std::thread::sleep(Duration::from_millis(500));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let meta = json(node, &["metagraph", &netuid_s, "--json"]);
        if meta["neurons"][uids[1] as usize]["incentive_u16"] == 65535 {
            assert_eq!(meta["neurons"][uids[2] as usize]["incentive_u16"], 0, "{meta}");
            break;
        }
        assert!(Instant::now() < deadline, "revealed weights never took effect: {meta}");
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// Step 7: Weights again under a rate limit are refused by name.
fn step_rate_limit_and_table(f: &mut Flow) {
    let node = &f.node;
    let netuid = f.netuid();
    let netuid_s = netuid.to_string();
    let miner2 = f.uids[2].to_string();
    let weights_args = validator_weights_args(&netuid_s, &miner2);

    json(
        node,
        &[
            "sudo",
            "set",
            "--netuid",
            &netuid_s,
            "--param",
            "commit_reveal_weights_enabled",
            "--value",
            "false",
            "--uri",
            "//Alice",
            "--json",
        ],
    );
    json(
        node,
        &[
            "sudo",
            "set",
            "--netuid",
            &netuid_s,
            "--param",
            "weights_rate_limit",
            "--value",
            "1000",
            "--uri",
            "//Alice",
            "--json",
        ],
    );
    let too_fast = cli(node, &weights_args);
    assert!(!too_fast.status.success());
    let stderr = String::from_utf8_lossy(&too_fast.stderr);
    assert!(stderr.contains("SettingWeightsTooFast") && !stderr.contains("panicked"), "{stderr}");

    // Human output works too.
    let table = cli(node, &["metagraph", &netuid_s]);
    assert!(table.status.success());
    assert!(String::from_utf8_lossy(&table.stdout).contains("INCENT"));
}

#[test]
fn test_cli_errors_are_clear_and_exit_non_zero() {
    let _machine = crate::common::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let node = NodeProcess::start(dir.path(), &[]);
    let bob = ss58("//Bob");

    // An overdraft fails in the pool (cannot pay) or in the block, with the reason.
    let out = cli(
        &node,
        &["wallet", "transfer", "--uri", "//Nobody", "--dest", &bob, "--amount", "1", "--yes"],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("rustensor:") && !stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("1010") || stderr.contains("FundsUnavailable"), "{stderr}");

    // Moving funds without a terminal and without --yes is refused before anything is sent.
    let out =
        cli(&node, &["wallet", "transfer", "--uri", "//Alice", "--dest", &bob, "--amount", "1"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));

    // A wrong wallet password: the coldkey does not open, nothing is sent.
    let wallets = tempfile::tempdir().expect("tempdir");
    let root = wallets.path().display().to_string();
    let created = Command::new(binary())
        .args(["wallet", "create", "--wallet", "locked", "--wallet-path", &root, "--json"])
        .env("RUSTENSOR_WALLET_PASSWORD", "the right password")
        .output()
        .expect("runs");
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let out = Command::new(binary())
        .args([
            "wallet",
            "transfer",
            "--wallet",
            "locked",
            "--wallet-path",
            &root,
            "--dest",
            &bob,
            "--amount",
            "1",
            "--yes",
            "--network",
            &node.ws_url,
        ])
        .env("RUSTENSOR_WALLET_PASSWORD", "a wrong password")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.to_lowercase().contains("password") && !stderr.contains("panicked"), "{stderr}");
    eprintln!("wrong password: {stderr}");

    // A full subnet where no neuron may be pruned (its only uid is the owner's immortal
    // hotkey): registration fails with the chain's reason. (With ordinary neurons subtensor
    // prunes the lowest-emission one, immune or not, so a full subnet alone is no error.)
    let created = json(
        &node,
        &[
            "subnet",
            "create",
            "--uri",
            "//Alice",
            "--hotkey-uri",
            "//Alice//owner2",
            "--yes",
            "--json",
        ],
    );
    let netuid = created["netuid"].as_u64().expect("netuid").to_string();
    sudo_set(&node, &netuid, "min_allowed_uids", "0");
    sudo_set(&node, &netuid, "max_allowed_uids", "1");
    let full = cli(
        &node,
        &[
            "register",
            "--netuid",
            &netuid,
            "--uri",
            "//Bob",
            "--hotkey-uri",
            "//Bob//late",
            "--yes",
        ],
    );
    assert!(!full.status.success());
    let stderr = String::from_utf8_lossy(&full.stderr);
    assert!(stderr.contains("NoNeuronIdAvailable") && !stderr.contains("panicked"), "{stderr}");

    // A subnet that does not exist.
    let out = cli(&node, &["metagraph", "77"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("subnet 77 does not exist"));

    // An unreachable node.
    let out = Command::new(binary())
        .args(["subnet", "list", "--network", "ws://127.0.0.1:1"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot connect to ws://127.0.0.1:1")
            && stderr.contains("rustensor node --dev"),
        "{stderr}"
    );
}

#[test]
fn test_sdk_submits_in_a_row_over_ws_and_http_with_managed_nonces() {
    let _machine = crate::common::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let node = NodeProcess::start(dir.path(), &[]);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let alice = Pair::from_uri("//Alice", None).expect("alice");
        let dave = Pair::from_uri("//Dave", None).expect("dave").account_id();
        let transfer = || {
            RuntimeCall::Balances(balances::Call::TransferKeepAlive {
                dest: balances::MultiAddress::Id(dave),
                value: 1_000_000,
            })
        };
        for url in [&node.ws_url, &node.http_url] {
            let client = ChainClient::connect(url).await.expect("connects");
            assert_eq!(client.genesis_hash(), node.genesis_hash);
            let before = client.free_balance(&dave, None).await.expect("balance").rao();
            // Five accepted in a row without waiting: nonces come from the client's count.
            let accepted = TxOptions { wait: WaitFor::Accepted, ..TxOptions::default() };
            let mut nonces = Vec::new();
            for _ in 0..5 {
                nonces.push(
                    client.submit(&alice, transfer(), accepted).await.expect("accepted").nonce,
                );
            }
            assert!(nonces.windows(2).all(|w| w[1] == w[0] + 1), "{nonces:?}");
            // A sixth, followed to finality, lands after them.
            let receipt =
                client.submit(&alice, transfer(), TxOptions::default()).await.expect("finalized");
            assert!(receipt.finalized);
            assert_eq!(receipt.nonce, nonces[4] + 1);
            assert!(receipt.events.iter().any(|e| e.name() == "Transfer"), "{:?}", receipt.events);
            let after = client.free_balance(&dave, None).await.expect("balance").rao();
            assert_eq!(after, before + 6 * 1_000_000, "over {url}");
        }

        // A failing call comes back named, from the chain's metadata.
        let client = ChainClient::connect(&node.ws_url).await.expect("connects");
        let call =
            RuntimeCall::Subtensor(rustensor_runtime::pallets::subtensor::Call::RemoveStake {
                hotkey: dave,
                netuid: rustensor_primitives::NetUid(0),
                amount_unstaked: 1_000,
            });
        match client
            .submit(&alice, call, TxOptions { wait: WaitFor::InBlock, ..TxOptions::default() })
            .await
        {
            Err(ChainError::Failed { failure, .. }) => {
                assert_eq!(failure.pallet, "SubtensorModule", "{failure}");
                assert!(!failure.name.is_empty());
            }
            other => panic!("expected a named failure, got {other:?}"),
        }
    });
}
