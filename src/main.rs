/// mimalloc: `decode` and the endpoint allocate per response read from a
/// push (a plaintext that is not IMAP is a hundred RAW lines), where
/// glibc's malloc and free cost a third of reading one; mimalloc halves
/// that (`benches/decode_corpus.rs` sets the same allocator). The library
/// leaves the choice to its binaries. Built without its transparent huge
/// pages (`no_thp`): it asked for them on its arenas, and where the kernel
/// grants them on request (THP on `madvise`), every 2 MiB region touched
/// was backed whole: `decode` peaked at 45–61 MB instead of 16–18.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    imapwebpush::commands::run(imapwebpush::cli::Cli::parse_args())
}
