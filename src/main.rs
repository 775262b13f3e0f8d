fn main() -> std::process::ExitCode {
    imapwebpush::commands::run(imapwebpush::cli::Cli::parse_args())
}
