use clap::Parser;

fn main() -> std::process::ExitCode {
    imapwebpush::commands::run(imapwebpush::cli::Cli::parse())
}
