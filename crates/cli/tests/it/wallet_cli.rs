//! End-to-end tests of `rustensor wallet ...` on a temporary wallet root, with the password in
//! `RUSTENSOR_WALLET_PASSWORD`.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use rustensor_sdk::wallet::{PasswordSource, Wallet};

const PASSWORD: &str = "cli test password";
const DEV_PHRASE: &str = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

fn rustensor(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rustensor"))
        .arg("wallet")
        .args(args)
        .arg("--wallet-path")
        .arg(root)
        .env("RUSTENSOR_WALLET_PASSWORD", PASSWORD)
        .env_remove("BT_WALLET_PATH")
        .output()
        .expect("rustensor runs")
}

fn json_of(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout.clone()).expect("utf8");
    // Exactly one JSON document.
    assert_eq!(text.trim_end().lines().count(), 1, "{text}");
    serde_json::from_str(&text).expect("valid JSON")
}

#[test]
fn test_wallet_create_list_show_agree_and_coldkey_decrypts() {
    let _machine = crate::common::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let created =
        json_of(&rustensor(root, &["create", "--wallet", "alice", "--hotkey", "m1", "--json"]));
    let cold = created["coldkey"]["ss58"].as_str().expect("ss58").to_owned();
    let hot = created["hotkey"]["ss58"].as_str().expect("ss58").to_owned();
    assert_eq!(created["coldkey"]["mnemonic"].as_str().map(|m| m.split(' ').count()), Some(12));

    for file in
        ["alice/coldkey", "alice/coldkeypub.txt", "alice/hotkeys/m1", "alice/hotkeys/m1pub.txt"]
    {
        let mode = std::fs::metadata(root.join(file)).expect("exists").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file}");
    }
    let mode = std::fs::metadata(root.join("alice")).expect("dir").permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);

    let listed = json_of(&rustensor(root, &["list", "--json"]));
    assert_eq!(listed["wallets"][0]["name"], "alice");
    assert_eq!(listed["wallets"][0]["coldkey"]["ss58"], cold.as_str());
    assert_eq!(listed["wallets"][0]["hotkeys"][0]["ss58"], hot.as_str());

    let shown =
        json_of(&rustensor(root, &["show", "--wallet", "alice", "--hotkey", "m1", "--json"]));
    assert_eq!(shown["coldkey"]["ss58"], cold.as_str());
    assert_eq!(shown["coldkey"]["encryption"], "nacl");
    assert_eq!(shown["hotkey"]["address"]["ss58"], hot.as_str());
    let shown_text = String::from_utf8_lossy(&shown.to_string().into_bytes()).into_owned();
    assert!(!shown_text.contains("mnemonic"), "show prints no secrets: {shown_text}");

    // The coldkey opens with the password and only with it.
    let wallet = Wallet::new(root, "alice", "m1");
    let pair =
        wallet.coldkey(&PasswordSource::Fixed(PASSWORD.to_owned().into())).expect("decrypts");
    assert_eq!(pair.account_id().to_ss58(), cold);

    // A second create refuses, names the file, and changes nothing.
    let again = rustensor(root, &["create", "--wallet", "alice", "--hotkey", "m1"]);
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("already exists") && err.contains("--overwrite"), "{err}");
    assert_eq!(wallet.coldkeypub().expect("pub").to_ss58(), cold);
}

#[test]
fn test_wallet_regen_from_mnemonic_and_seed_gives_dev_address() {
    let _machine = crate::common::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let out = json_of(&rustensor(
        root,
        &["regen-coldkey", "--wallet", "dev", "--mnemonic", DEV_PHRASE, "--no-password", "--json"],
    ));
    assert_eq!(out["ss58"], "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV");
    // The seed the coldkey file recorded for the phrase.
    let cold: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("dev/coldkey")).expect("read"))
            .expect("json");
    let seed = cold["secretSeed"].as_str().expect("seed");
    let out = json_of(&rustensor(
        root,
        &["regen-hotkey", "--wallet", "dev", "--hotkey", "h", "--seed", seed, "--json"],
    ));
    assert_eq!(out["ss58"], "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV");
    // The regenerated hotkey file regenerates the same key from JSON.
    let json_file = root.join("dev/hotkeys/h");
    let out = json_of(&rustensor(
        root,
        &[
            "regen-hotkey",
            "--wallet",
            "dev",
            "--hotkey",
            "h2",
            "--json-file",
            json_file.to_str().expect("utf8"),
            "--json",
        ],
    ));
    assert_eq!(out["ss58"], "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV");
    // Without --overwrite an existing key stays.
    let again =
        rustensor(root, &["regen-hotkey", "--wallet", "dev", "--hotkey", "h", "--seed", seed]);
    assert!(!again.status.success());
}

#[test]
fn test_wallet_show_missing_wallet_says_how_to_create_one() {
    let _machine = crate::common::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = rustensor(dir.path(), &["show", "--wallet", "nope"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no wallet 'nope' under") && err.contains("rustensor wallet create"),
        "{err}"
    );
    let out = rustensor(dir.path(), &["new-hotkey", "--wallet", "nope"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no wallet 'nope'"));
}

#[test]
fn test_wallet_show_reports_insecure_hotkey_permissions() {
    let _machine = crate::common::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    json_of(&rustensor(
        root,
        &["regen-coldkey", "--wallet", "w", "--mnemonic", DEV_PHRASE, "--no-password", "--json"],
    ));
    let path = root.join("w/coldkey");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let err = Wallet::new(root, "w", "default").coldkey(&PasswordSource::None).unwrap_err();
    assert!(err.to_string().contains("chmod 600"), "{err}");
}

#[test]
fn test_wallet_every_command_help_has_an_example() {
    let _machine = crate::common::shared();
    for cmd in ["create", "new-hotkey", "regen-coldkey", "regen-hotkey", "list", "show"] {
        let out = Command::new(env!("CARGO_BIN_EXE_rustensor"))
            .args(["wallet", cmd, "--help"])
            .output()
            .expect("runs");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && help.contains("Example: "), "{cmd}: {help}");
    }
}
