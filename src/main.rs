//! The `smartacct` binary: parse the command line, hand it to the library.
use clap::Parser;

/// mimalloc: the store's rows and the sweep's batches are many small
/// allocations, where glibc's malloc spent a fifth of the sweep's time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    smartacct::telemetry::init();
    let cli = smartacct::cli::Cli::parse();
    smartacct::cli::run(cli).await
}
