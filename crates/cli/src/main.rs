//! The `rustensor` binary: parse arguments, run the command, print any error once.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = rustensor_cli::Cli::parse();
    match rustensor_cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("rustensor: {err:#}");
            ExitCode::from(2)
        }
    }
}
