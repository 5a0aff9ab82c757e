//! The `govgraph` binary: parse the command line, run it, print the error once, pick the exit
//! code.

use clap::Parser;
use std::process::ExitCode;

/// jemalloc for everything the process allocates, RocksDB's C++ too (see Cargo.toml).
#[cfg(all(feature = "rocksdb", target_os = "linux"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = govgraph::config::Cli::parse();
    match govgraph::run(cli) {
        Ok(code) => code,
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.code().exit_code())
        }
    }
}
