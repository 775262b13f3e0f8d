//! Replays every committed fuzz input (`fuzz/corpus/<target>/*` and the
//! crashers kept in `fuzz/artifacts/<target>/*`) through the same functions
//! the cargo-fuzz targets call, so that a stable `cargo test` guards what
//! the fuzzer found. Inputs that still crash would be kept in
//! `fuzz/known/`, which this test does not read (there are none now).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

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
    let (tx, rx) = mpsc::channel();
    // The fuzzer runs targets on the main thread (8 MiB of stack); so do we.
    let replay = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            for (target, path) in all {
                let data = std::fs::read(&path).expect("a readable input");
                let run = TARGETS.iter().find(|(t, _)| *t == target).unwrap().1;
                let _ = tx.send(Replay::Start(path.clone()));
                if catch_unwind(AssertUnwindSafe(|| run(&data))).is_err() {
                    let _ = tx.send(Replay::Panicked(path));
                }
            }
        })
        .expect("a replay thread");
    let mut current = PathBuf::new();
    let mut failures = vec![];
    loop {
        match rx.recv_timeout(SLOW) {
            Ok(Replay::Start(p)) => current = p,
            Ok(Replay::Panicked(p)) => failures.push(format!("{}: panicked", p.display())),
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => panic!(
                "{} has run for over {SLOW:?}: a parser went super-linear",
                current.display()
            ),
        }
    }
    replay.join().expect("the replay thread runs to its end");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

enum Replay {
    Start(PathBuf),
    Panicked(PathBuf),
}
