//! The `rustensor` binary: parse arguments, run the command, print any error once.

use clap::Parser;
use std::process::ExitCode;

/// mimalloc rather than the system allocator: the axon, the node's RPC and the miner allocate
/// per request, and glibc's malloc and free were about a tenth of the axon's CPU time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
