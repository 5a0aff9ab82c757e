//! The `govgraph` binary: parse the command line, run it, print the error once, pick the exit
//! code.

use clap::Parser;
use std::process::ExitCode;

/// jemalloc for everything the process allocates, RocksDB's C++ too (see Cargo.toml).
#[cfg(all(feature = "rocksdb", target_os = "linux"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    // jemalloc purges freed memory only while the program allocates, unless a background thread
    // does it: a server that read the whole store at start, then went idle, kept what the reading
    // had freed (732 MiB against a restart's 105 at 100k entities). `MALLOC_CONF` can still
    // switch it off. Without the thread jemalloc still works, only keeps more.
    #[cfg(all(feature = "rocksdb", target_os = "linux"))]
    if std::env::var_os("MALLOC_CONF").is_none() {
        let _ = tikv_jemalloc_ctl::background_thread::write(true);
    }
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
