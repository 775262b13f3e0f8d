//! [`target!`] makes a cargo-fuzz target from a function of
//! `imapwebpush::fuzzing`, the same function `tests/fuzz_corpus.rs` replays
//! the corpus through.

pub use imapwebpush::fuzzing;
pub use libfuzzer_sys;

/// `target!(name)`: the fuzz target `name`, calling `fuzzing::name`.
#[macro_export]
macro_rules! target {
    ($name:ident) => {
        $crate::libfuzzer_sys::fuzz_target!(|data: &[u8]| $crate::fuzzing::$name(data));
    };
}
