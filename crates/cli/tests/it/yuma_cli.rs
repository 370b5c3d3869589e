//! End-to-end tests of `rustensor yuma`, running the real binary.

use std::path::PathBuf;
use std::process::{Command, Output};

fn rustensor(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rustensor")).args(args).output().unwrap()
}

fn vector(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../yuma/tests/vectors").join(name)
}

#[test]
fn test_yuma_check_prints_ok_for_every_step_and_exits_zero() {
    let _machine = crate::common::shared();
    let v = vector("v03_multi_epoch_yuma2_bonds_ema.json");
    let out = rustensor(&["yuma", "check", v.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    for (k, line) in lines.iter().enumerate() {
        assert_eq!(*line, format!("OK {} step {k}", v.display()));
    }
}

#[test]
fn test_yuma_check_reports_first_diff_and_exits_one() {
    let _machine = crate::common::shared();
    let text = std::fs::read_to_string(vector("v02_small_hand_3v2m.json")).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Tamper with one expected incentive value (was 49647).
    json["steps"][0]["expected"]["incentive"][3] = serde_json::json!(49646);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tampered.json");
    std::fs::write(&path, serde_json::to_string(&json).unwrap()).unwrap();
    let out = rustensor(&["yuma", "check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.trim_end(),
        format!("DIFF {} step 0: incentive[3] expected 49646 got 49647", path.display())
    );
}

#[test]
fn test_yuma_check_names_bond_cell_in_diff() {
    let _machine = crate::common::shared();
    let text = std::fs::read_to_string(vector("v02_small_hand_3v2m.json")).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["steps"][0]["expected"]["bonds"][1] = serde_json::json!([[3, 17475], [4, 1]]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bonds.json");
    std::fs::write(&path, serde_json::to_string(&json).unwrap()).unwrap();
    let out = rustensor(&["yuma", "check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("step 0: bonds[1][4] expected 1 got 39320"), "{stdout}");
}

#[test]
fn test_yuma_check_missing_file_is_a_clear_error_with_exit_two() {
    let _machine = crate::common::shared();
    let out = rustensor(&["yuma", "check", "/nonexistent/vector.json"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("failed to read /nonexistent/vector.json"), "{stderr}");
}

#[test]
fn test_yuma_check_malformed_json_is_a_clear_error() {
    let _machine = crate::common::shared();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    std::fs::write(&path, "{\"steps\": [{\"inputs\": 3}]}").unwrap();
    let out = rustensor(&["yuma", "check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("is not a yuma-epoch-vector/1 file"), "{stderr}");
}

#[test]
fn test_yuma_bench_runs_and_prints_json() {
    let _machine = crate::common::shared();
    let out = rustensor(&[
        "yuma",
        "bench",
        "--n",
        "32",
        "--validators",
        "4",
        "--iterations",
        "2",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0]["mode"], "legacy");
    assert_eq!(cases[1]["mode"], "yuma3+liquid");
}

#[test]
fn test_help_lists_yuma_commands_with_examples() {
    let _machine = crate::common::shared();
    let out = rustensor(&["yuma", "check", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("Example: rustensor yuma check"), "{stdout}");
}
