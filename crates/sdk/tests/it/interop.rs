//! Interop with the official `bittensor-wallet==4.1.1` Python package.
//!
//! The interpreter is `<workspace>/.venv/bin/python`, which `scripts/setup` creates. These
//! tests fail (they do not skip) when it is missing, because the issue requires them.

use std::path::{Path, PathBuf};
use std::process::Command;

use rustensor_sdk::wallet::{KeySource, Keyfile, PasswordSource, Wallet};

const PASSWORD: &str = "interop password 7";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn python() -> PathBuf {
    let py = workspace().join(".venv/bin/python");
    assert!(
        py.is_file(),
        "{} is missing: run scripts/setup to install bittensor-wallet==4.1.1 for the interop tests",
        py.display()
    );
    py
}

/// Runs a script of `tests/py` and parses the JSON on its last stdout line.
fn run_py(script: &str, root: &Path, name: &str, hotkey: &str) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/py").join(script);
    let out = Command::new(python())
        .arg(&script)
        .arg(root)
        .arg(name)
        .arg(hotkey)
        .env("RUSTENSOR_WALLET_PASSWORD", PASSWORD)
        .output()
        .expect("python starts");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{} failed: {}\nstdout: {stdout}\nstderr: {}",
        script.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let last = stdout.lines().rev().find(|l| l.starts_with('{')).expect("a JSON line");
    serde_json::from_str(last).expect("valid JSON")
}

#[test]
fn test_interop_rustensor_wallet_opens_in_bittensor_wallet_slow_() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wallet = Wallet::new(dir.path(), "rs", "miner");
    let cold = wallet.create_coldkey(12, Some(PASSWORD), false).expect("coldkey");
    let hot = wallet.create_hotkey(24, false).expect("hotkey");

    let py = run_py("open_wallet.py", dir.path(), "rs", "miner");
    assert_eq!(py["coldkey"], cold.account.to_ss58());
    assert_eq!(py["coldkeypub"], cold.account.to_ss58());
    assert_eq!(py["coldkey_public_key"], cold.account.to_hex());
    assert_eq!(py["coldkey_encrypted"], true);
    assert_eq!(py["hotkey"], hot.account.to_ss58());
    assert_eq!(py["hotkeypub"], hot.account.to_ss58());
    assert_eq!(py["signature_verifies"], true);
}

#[test]
fn test_interop_bittensor_wallet_opens_in_rustensor_slow_() {
    let dir = tempfile::tempdir().expect("tempdir");
    let py = run_py("create_wallet.py", dir.path(), "py", "validator");
    let wallet = Wallet::new(dir.path(), "py", "validator");

    let password = PasswordSource::Fixed(PASSWORD.to_owned().into());
    let cold = wallet.coldkey(&password).expect("decrypts the Python coldkey");
    assert_eq!(py["coldkey"], cold.account_id().to_ss58());
    assert_eq!(py["coldkey"], wallet.coldkeypub().expect("coldkeypub").to_ss58());
    let hot = wallet.hotkey().expect("hotkey");
    assert_eq!(py["hotkey"], hot.account_id().to_ss58());
    assert_eq!(py["hotkey"], wallet.hotkeypub().expect("hotkeypub").to_ss58());

    // A wrong password is reported as such.
    let wrong = PasswordSource::Fixed("not it".to_owned().into());
    let err = wallet.coldkey(&wrong).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("wrong password for {}", wallet.coldkey_file().path().display())
    );

    // The Python hotkey's mnemonic, seed and whole JSON regenerate the same key here, and our
    // keyfile JSON has exactly the Python one's fields and values.
    let raw = std::fs::read(wallet.hotkey_file().path()).expect("read");
    let data =
        Keyfile::new(wallet.hotkey_file().path()).read(&PasswordSource::None, true).expect("plain");
    let phrase = data.secret_phrase.clone().expect("phrase");
    assert_eq!(phrase.split_whitespace().count(), 24);
    let other = Wallet::new(dir.path(), "regen", "validator");
    let regen = other.regen_hotkey(&KeySource::Mnemonic(phrase.into()), false).expect("regen");
    assert_eq!(py["hotkey"], regen.account.to_ss58());
    let ours: serde_json::Value =
        serde_json::from_slice(&std::fs::read(other.hotkey_file().path()).expect("read"))
            .expect("json");
    let theirs: serde_json::Value = serde_json::from_slice(&raw).expect("json");
    assert_eq!(ours, theirs);
    let ours_pub: serde_json::Value =
        serde_json::from_slice(&std::fs::read(other.hotkeypub_file().path()).expect("read"))
            .expect("json");
    let theirs_pub: serde_json::Value =
        serde_json::from_slice(&std::fs::read(wallet.hotkeypub_file().path()).expect("read"))
            .expect("json");
    assert_eq!(ours_pub, theirs_pub);
    for source in
        [KeySource::Seed(data.secret_seed.expect("seed").into()), KeySource::Json(raw.into())]
    {
        assert_eq!(py["hotkey"], source.to_pair().expect("valid").0.account_id().to_ss58());
    }
}
