//! The `smartacct` binary: parse the command line, hand it to the library.
use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    smartacct::telemetry::init();
    let cli = smartacct::cli::Cli::parse();
    smartacct::cli::run(cli).await
}
