//! End-to-end tests of `rustensor axon echo` and `rustensor dendrite call` on 127.0.0.1.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

fn rustensor(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rustensor"))
        .args(args)
        .env_remove("BT_WALLET_PATH")
        .output()
        .expect("rustensor runs")
}

fn make_wallet(root: &Path, name: &str) -> String {
    let root = root.to_str().expect("utf8 path");
    let out = rustensor(&[
        "wallet",
        "create",
        "--wallet-path",
        root,
        "--wallet",
        name,
        "--hotkey",
        "h",
        "--no-password",
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["hotkey"]["ss58"].as_str().expect("ss58").to_owned()
}

/// `rustensor axon echo` on an ephemeral port; killed on drop.
struct EchoAxon {
    child: Child,
    addr: String,
    hotkey: String,
}

impl Drop for EchoAxon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_axon(root: &Path, blacklist: &[&str]) -> EchoAxon {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rustensor"));
    cmd.args(["axon", "echo", "--wallet-path"])
        .arg(root)
        .args(["--wallet", "miner", "--hotkey", "h", "--ip", "127.0.0.1", "--port", "0"])
        .args(["--max-seconds", "60"]);
    for b in blacklist {
        cmd.args(["--blacklist", b]);
    }
    let mut child = cmd.stdout(Stdio::piped()).spawn().expect("axon starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("READY line");
    let mut parts = line.split_whitespace();
    assert_eq!(parts.next(), Some("READY"), "{line}");
    let addr = parts.next().expect("addr").to_owned();
    let hotkey = parts.next().expect("hotkey").to_owned();
    EchoAxon { child, addr, hotkey }
}

fn call(root: &Path, wallet: &str, axon: &EchoAxon, extra: &[&str]) -> Output {
    let root = root.to_str().expect("utf8 path");
    let mut args = vec![
        "dendrite",
        "call",
        "--wallet-path",
        root,
        "--wallet",
        wallet,
        "--hotkey",
        "h",
        "--axon",
        &axon.addr,
        "--axon-hotkey",
        &axon.hotkey,
    ];
    args.extend_from_slice(extra);
    rustensor(&args)
}

#[test]
fn test_axon_echo_and_dendrite_call_round_trip() {
    let _machine = crate::common::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    make_wallet(dir.path(), "miner");
    make_wallet(dir.path(), "validator");
    let banned = make_wallet(dir.path(), "banned");
    let axon = start_axon(dir.path(), &[&banned]);

    let out = call(
        dir.path(),
        "validator",
        &axon,
        &["--synapse", "Echo", "--body", r#"{"n": 3, "text": "hi"}"#],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!((v["out"].as_str(), v["n"].as_i64()), (Some("hi"), Some(3)));
    assert_eq!(v["axon"]["status_code"], 200);

    let out = call(
        dir.path(),
        "validator",
        &axon,
        &[
            "--synapse",
            "EchoHashed",
            "--hash-fields",
            "n,text",
            "--body",
            r#"{"n": 7, "text": "abc"}"#,
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));

    // Hashing the wrong fields is a body-hash mismatch.
    let out =
        call(dir.path(), "validator", &axon, &["--synapse", "EchoHashed", "--body", r#"{"n": 7}"#]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["status_code"], 500);

    let out = call(dir.path(), "banned", &axon, &["--synapse", "Echo"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["status_code"], 403);

    let out = call(dir.path(), "validator", &axon, &["--synapse", "Nope"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["status_code"], 404);

    // The streaming StreamEcho, printed chunk by chunk.
    let args = ["--synapse", "StreamEcho", "--body", r#"{"text": "one two three"}"#, "--stream"];
    let out = call(dir.path(), "validator", &axon, &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "one two three \n");
    let out = call(dir.path(), "banned", &axon, &args);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["status_code"], 403);
}

#[test]
fn test_dendrite_call_bad_body_is_a_clear_error() {
    let _machine = crate::common::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    make_wallet(dir.path(), "validator");
    let fake = EchoAxon {
        child: Command::new("true").spawn().expect("true runs"),
        addr: "127.0.0.1:9".to_owned(),
        hotkey: "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty".to_owned(),
    };
    let out = call(dir.path(), "validator", &fake, &["--synapse", "Echo", "--body", "[1]"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--body must be a JSON object"));
    // Nothing listens on port 9 of loopback: 503, exit 1, no panic.
    let out = call(dir.path(), "validator", &fake, &["--synapse", "Echo", "--timeout", "2"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["status_code"], 503);
}

#[test]
fn test_axon_and_dendrite_help_show_examples() {
    let _machine = crate::common::shared();
    for args in [["axon", "echo", "--help"], ["dendrite", "call", "--help"]] {
        let out = rustensor(&args);
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Example: rustensor"), "{text}");
    }
}
