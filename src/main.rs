/// mimalloc: `decode` and the endpoint allocate per response read from a
/// push (a plaintext that is not IMAP is a hundred RAW lines), where
/// glibc's malloc and free cost a third of reading one; mimalloc halves
/// that (`benches/decode_corpus.rs` sets the same allocator). The library
/// leaves the choice to its binaries.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    imapwebpush::commands::run(imapwebpush::cli::Cli::parse_args())
}
