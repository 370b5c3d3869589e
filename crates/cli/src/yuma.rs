//! `rustensor yuma`: conformance checks and benchmarks of the Yuma Consensus epoch.

use anyhow::Context;
use clap::{Args, Subcommand};
use rustensor_yuma::random::{BondsSource, Realistic, realistic};
use rustensor_yuma::vector;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// `rustensor yuma` subcommands.
#[derive(Debug, Subcommand)]
pub enum YumaCommand {
    /// Recompute conformance vectors and compare every output exactly
    ///
    /// Prints one line per epoch step: `OK <file> step <k>`, or
    /// `DIFF <file> step <k>: <field>[<index>] expected <x> got <y>` for the first difference
    /// (followed by how many more there are). Exits 0 only if every step matches; 1 if any
    /// differs; 2 if a file cannot be read.
    ///
    /// Example: rustensor yuma check vectors/yuma/*.json
    #[command(verbatim_doc_comment)]
    Check(CheckArgs),
    /// Time the epoch on random realistic subnets, single-threaded
    ///
    /// Each subnet has the given number of uids, the top `--validators` of them staked
    /// validators with permits and recent weights over `--weights-per-validator` random miners,
    /// and bonds from an earlier epoch. Both bond modes are timed: legacy (Yuma 2) and Yuma 3
    /// with liquid alpha. Build with `--release` for meaningful numbers.
    ///
    /// Example: rustensor yuma bench --n 256 --n 4096 --iterations 20
    #[command(verbatim_doc_comment)]
    Bench(BenchArgs),
}

/// Arguments of `rustensor yuma check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Vector files (`yuma-epoch-vector/1` JSON).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Arguments of `rustensor yuma bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Subnet sizes (uids) to time; repeat the flag for several.
    #[arg(long = "n", value_name = "UIDS", default_values_t = [256usize, 4096])]
    pub sizes: Vec<usize>,
    /// Validators per subnet.
    #[arg(long, default_value_t = 64)]
    pub validators: usize,
    /// Miners each validator weights (capped at the number of miners).
    #[arg(long, default_value_t = 256)]
    pub weights_per_validator: usize,
    /// Timed runs per case (after one warm-up run).
    #[arg(long, default_value_t = 10)]
    pub iterations: usize,
    /// Seed of the random subnets.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Bond modes to time.
    #[arg(long, value_enum, default_value_t = BenchMode::All)]
    pub mode: BenchMode,
    /// Where the stored bonds come from: `warm-up` runs five earlier epochs of the same subnet
    /// (what a live subnet holds); `random` draws every bond uniformly (the worst case for
    /// liquid alpha).
    #[arg(long, value_enum, default_value_t = BenchBonds::WarmUp)]
    pub bonds: BenchBonds,
    /// Also write each case's inputs to DIR as `n<N>-<mode>.json` (the conformance-vector
    /// `inputs` schema), so other implementations can be timed on the same subnets.
    #[arg(long, value_name = "DIR")]
    pub dump_inputs: Option<PathBuf>,
    /// Print one JSON document instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Where `rustensor yuma bench` takes the stored bonds from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchBonds {
    /// Bonds from earlier epochs of the same subnet.
    WarmUp,
    /// Uniformly random bonds.
    Random,
}

/// Which bond modes `rustensor yuma bench` times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchMode {
    /// Both modes.
    All,
    /// Legacy (Yuma 2) bonds.
    Legacy,
    /// Yuma 3 bonds with liquid alpha.
    Yuma3,
}

/// Runs a `rustensor yuma` subcommand.
///
/// # Errors
///
/// Failure to write the output.
pub fn run(cmd: YumaCommand, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    match cmd {
        YumaCommand::Check(args) => check(&args, out),
        YumaCommand::Bench(args) => bench(&args, out),
    }
}

fn check(args: &CheckArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let (mut ok, mut diff, mut errors) = (0usize, 0usize, 0usize);
    for path in &args.files {
        let shown = path.display();
        let steps = match vector::load(path) {
            Ok(steps) => steps,
            Err(e) => {
                eprintln!("rustensor: {:#}", anyhow::Error::from(e));
                errors += 1;
                continue;
            }
        };
        for (k, step) in steps.iter().enumerate() {
            match vector::run_step(step) {
                Ok(diffs) if diffs.is_empty() => {
                    ok += 1;
                    writeln!(out, "OK {shown} step {k}")?;
                }
                Ok(diffs) => {
                    diff += 1;
                    let more = match diffs.len() {
                        1 => String::new(),
                        m => format!(" (and {} more)", m - 1),
                    };
                    writeln!(out, "DIFF {shown} step {k}: {}{more}", diffs[0])?;
                }
                Err(e) => {
                    eprintln!("rustensor: {shown} step {k}: invalid inputs: {e}");
                    errors += 1;
                }
            }
        }
    }
    out.flush()?;
    eprintln!("{ok} steps OK, {diff} differ, {errors} errors");
    Ok(if errors > 0 {
        ExitCode::from(2)
    } else if diff > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Timing of one benchmark case.
struct Timing {
    n: usize,
    mode: &'static str,
    entries: usize,
    min: Duration,
    median: Duration,
    mean: Duration,
}

fn bench(args: &BenchArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.iterations > 0, "--iterations must be at least 1");
    if cfg!(debug_assertions) {
        eprintln!(
            "rustensor: warning: this is a debug build; build with --release for real timings"
        );
    }
    let modes = [("legacy", false, false), ("yuma3+liquid", true, true)];
    let mut timings = Vec::new();
    for &n in &args.sizes {
        anyhow::ensure!(n > 0 && n <= 65536, "--n must be between 1 and 65536, got {n}");
        for &(mode, yuma3, liquid_alpha) in &modes {
            let wanted = match args.mode {
                BenchMode::All => true,
                BenchMode::Legacy => !yuma3,
                BenchMode::Yuma3 => yuma3,
            };
            if !wanted {
                continue;
            }
            let shape = Realistic {
                n,
                validators: args.validators,
                weights_per_validator: args.weights_per_validator,
                yuma3,
                liquid_alpha,
                bonds: match args.bonds {
                    BenchBonds::WarmUp => BondsSource::WarmUp,
                    BenchBonds::Random => BondsSource::Random,
                },
            };
            let inputs = realistic(args.seed, shape);
            let entries = inputs.weights.iter().map(Vec::len).sum();
            if let Some(dir) = &args.dump_inputs {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("failed to create {}", dir.display()))?;
                let path = dir.join(format!("n{n}-{mode}.json"));
                let json = serde_json::to_string(&vector::InputsJson::from(&inputs))?;
                std::fs::write(&path, json)
                    .with_context(|| format!("failed to write {}", path.display()))?;
            }
            // Warm-up; also proves the case is valid.
            let warm = rustensor_yuma::epoch(&inputs).context("benchmark inputs are invalid")?;
            if liquid_alpha && !warm.liquid_alpha_used {
                eprintln!("rustensor: warning: liquid alpha was not used for n={n}");
            }
            let mut samples: Vec<Duration> = (0..args.iterations)
                .map(|_| {
                    let start = Instant::now();
                    let o = rustensor_yuma::epoch(&inputs);
                    let t = start.elapsed();
                    std::hint::black_box(o).ok();
                    t
                })
                .collect();
            samples.sort();
            let total: Duration = samples.iter().sum();
            timings.push(Timing {
                n,
                mode,
                entries,
                min: samples[0],
                median: samples[samples.len() / 2],
                mean: total / args.iterations as u32,
            });
        }
    }
    if args.json {
        let cases: Vec<serde_json::Value> = timings
            .iter()
            .map(|t| {
                serde_json::json!({
                    "n": t.n,
                    "mode": t.mode,
                    "validators": args.validators,
                    "weight_entries": t.entries,
                    "iterations": args.iterations,
                    "min_ms": t.min.as_secs_f64() * 1e3,
                    "median_ms": t.median.as_secs_f64() * 1e3,
                    "mean_ms": t.mean.as_secs_f64() * 1e3,
                })
            })
            .collect();
        let bonds = match args.bonds {
            BenchBonds::WarmUp => "warm-up",
            BenchBonds::Random => "random",
        };
        writeln!(
            out,
            "{}",
            serde_json::json!({ "seed": args.seed, "bonds": bonds, "cases": cases })
        )?;
    } else {
        writeln!(
            out,
            "{:>6}  {:<13} {:>10} {:>10} {:>12} {:>10}",
            "n", "mode", "validators", "weights", "median ms", "min ms"
        )?;
        for t in &timings {
            writeln!(
                out,
                "{:>6}  {:<13} {:>10} {:>10} {:>12.3} {:>10.3}",
                t.n,
                t.mode,
                args.validators,
                t.entries,
                t.median.as_secs_f64() * 1e3,
                t.min.as_secs_f64() * 1e3
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
