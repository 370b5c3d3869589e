//! An error chain is printed with each cause once (issue 19): `rustensor node` on a state
//! store file that is not a redb database fails with one `rustensor: ` line on stderr, the
//! store's message (with what to do next) followed by redb's cause, once. Before, the store's
//! message also interpolated the cause, and the node logged the whole chain before `main`
//! printed it again.

use std::process::Command;

/// redb's own words for a file that is not one of its databases.
const CAUSE: &str = "I/O error: Not a redb database: magic number mismatch";

#[test]
fn test_node_on_a_corrupt_store_prints_the_cause_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("state.redb");
    std::fs::write(&store, b"not a redb database, just some bytes").expect("write the store file");
    let output = Command::new(env!("CARGO_BIN_EXE_rustensor"))
        .args(["node", "--dev", "--rpc-port", "0", "--no-prometheus", "--base-path"])
        .arg(dir.path())
        // The node's default log filter, whatever the caller's environment says.
        .env_remove("RUST_LOG")
        .output()
        .expect("run rustensor node");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let expected = format!(
        "rustensor: cannot open the state store {store:?} (check the path and its permissions, \
         that no other node process uses it, and restore or resync it if the file is damaged): \
         {CAUSE}\n"
    );
    assert_eq!(stderr, expected);
    assert_eq!(stderr.matches("magic number mismatch").count(), 1, "{stderr}");
    assert_eq!(stderr.matches("cannot open the state store").count(), 1, "{stderr}");
}
