//! Replays every committed fuzz input (`fuzz/corpus/<target>/*` and the
//! crashers kept in `fuzz/artifacts/<target>/*`) through the same functions
//! the cargo-fuzz targets call, so that a stable `cargo test` guards what
//! the fuzzer found. Inputs that still crash are kept in `fuzz/known/`,
//! which this test does not read.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use imapwebpush::fuzzing::TARGETS;

/// Far above what any input takes (milliseconds, unoptimized); an input
/// over it means a parser went super-linear.
const SLOW: Duration = Duration::from_secs(10);

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of `fuzz/<kind>/<target>/`, after checking that every
/// directory there names a target.
fn inputs(kind: &str) -> Vec<(String, PathBuf)> {
    let Ok(dirs) = std::fs::read_dir(fuzz_dir().join(kind)) else {
        return vec![];
    };
    let mut out = vec![];
    for d in dirs {
        let d = d.expect("a readable directory entry").path();
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            TARGETS.iter().any(|(t, _)| *t == name),
            "fuzz/{kind}/{name} is not a target of imapwebpush::fuzzing::TARGETS"
        );
        for f in std::fs::read_dir(&d).expect("a readable target directory") {
            out.push((name.clone(), f.expect("a readable file entry").path()));
        }
    }
    out.sort();
    out
}

#[test]
fn fuzz_corpus_and_crashers_replay_without_panic_or_hang() {
    let corpus = inputs("corpus");
    for (t, _) in TARGETS {
        assert!(
            corpus.iter().any(|(name, _)| name == t),
            "fuzz/corpus/{t} is empty: run fuzz/seeds.py, then the target"
        );
    }
    let mut all = corpus;
    all.extend(inputs("artifacts"));
    // The fuzzer runs targets on the main thread (8 MiB of stack); so do we.
    let failures = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let mut failures = vec![];
            for (target, path) in &all {
                let data = std::fs::read(path).expect("a readable input");
                let run = TARGETS.iter().find(|(t, _)| t == target).unwrap().1;
                let start = Instant::now();
                let outcome = catch_unwind(AssertUnwindSafe(|| run(&data)));
                let took = start.elapsed();
                if outcome.is_err() {
                    failures.push(format!("{}: panicked", path.display()));
                } else if took > SLOW {
                    failures.push(format!("{}: took {took:?}", path.display()));
                }
            }
            failures
        })
        .expect("a replay thread")
        .join()
        .expect("the replay thread returns");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
