//! Differential fuzzing against the reference oracle (`tests/oracle/yuma_ref.py`).
//!
//! Random adversarial subnets (n up to 64, both bond modes, liquid alpha on and off, every mask
//! exercised) are generated from a seed, run through both implementations, and every normative
//! output must be **equal**, not close.
//!
//! * `YUMA_FUZZ_EPOCHS` (default 600) sets how many epochs run;
//! * `YUMA_FUZZ_SEED` (default fixed) sets the seed; a failure prints the seed and the case
//!   index, and the failing inputs as JSON, so it can be replayed exactly.

use rustensor_yuma::random::{SplitMix64, fuzz_case};
use rustensor_yuma::vector::{Expected, InputsJson, compare};
use rustensor_yuma::{EpochInputs, epoch};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Runs the oracle on a batch of inputs and returns its outputs (one per input).
fn oracle(cases: &[EpochInputs]) -> Vec<(Expected, bool)> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/run_oracle.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 must be installed to run the differential test against the oracle");
    let mut input = String::new();
    for c in cases {
        input.push_str(&serde_json::to_string(&InputsJson::from(c)).unwrap());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(out.status.success(), "oracle failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let used = v["liquid_alpha_used"].as_bool().unwrap();
            (serde_json::from_value(v).unwrap(), used)
        })
        .collect()
}

#[test]
fn test_epoch_equals_oracle_on_random_subnets_slow_() {
    let epochs = env_u64("YUMA_FUZZ_EPOCHS", 600) as usize;
    let seed = env_u64("YUMA_FUZZ_SEED", 0x5EED_0001);
    let mut rng = SplitMix64::new(seed);
    let cases: Vec<EpochInputs> = (0..epochs).map(|_| fuzz_case(&mut rng, 64)).collect();

    let mut failures = Vec::new();
    let (mut legacy, mut yuma3_fixed, mut yuma3_liquid, mut cr) = (0, 0, 0, 0);
    for (chunk_idx, chunk) in cases.chunks(200).enumerate() {
        let expected = oracle(chunk);
        assert_eq!(expected.len(), chunk.len(), "oracle returned a wrong number of results");
        for (k, (case, (want, liquid_used))) in chunk.iter().zip(&expected).enumerate() {
            let index = chunk_idx * 200 + k;
            let got = epoch(case).unwrap();
            let diffs = compare(want, &got);
            if got.liquid_alpha_used != *liquid_used {
                failures.push(format!("case {index}: liquid_alpha_used differs"));
            }
            if !diffs.is_empty() {
                failures.push(format!(
                    "case {index}: {} differences, first {}\n  inputs: {}",
                    diffs.len(),
                    diffs[0],
                    serde_json::to_string(&InputsJson::from(case)).unwrap()
                ));
            }
            let hp = &case.hyperparameters;
            match (hp.yuma3_enabled, got.liquid_alpha_used) {
                (false, _) => legacy += 1,
                (true, false) => yuma3_fixed += 1,
                (true, true) => yuma3_liquid += 1,
            }
            cr += usize::from(hp.commit_reveal_enabled);
        }
    }
    assert!(
        failures.is_empty(),
        "seed {seed:#x}: {} of {epochs} epochs differ from the oracle (replay with \
         YUMA_FUZZ_SEED={seed})\n{}",
        failures.len(),
        failures.iter().take(5).cloned().collect::<Vec<_>>().join("\n")
    );
    eprintln!(
        "{epochs} epochs equal to the oracle: {legacy} legacy, {yuma3_fixed} Yuma 3 fixed alpha, \
         {yuma3_liquid} Yuma 3 liquid alpha, {cr} with commit-reveal"
    );
    // The sweep must actually cover every mode.
    if epochs >= 500 {
        assert!(legacy >= 100 && yuma3_fixed >= 50 && yuma3_liquid >= 100 && cr >= 50);
    }
}
