//! Where lines come from, each on its own thread (reading blocks) and sent
//! over a channel to the engine loop:
//!
//! - a terminal: rustyline, with completion and history; it shows the next
//!   prompt only when the engine asks (after a command's output), and its
//!   `ExternalPrinter` is the writer for everything printed, so that a push
//!   arriving while the user types prints above the prompt and the line
//!   being typed is redrawn intact;
//! - anything else (a pipe, a file): one command per line, no prompt.

use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};

use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::FileHistory;
use rustyline::validate::Validator;
use rustyline::{CompletionType, Config, Editor, ExternalPrinter};
use tokio::sync::mpsc;

use super::complete::{self, Shared};

/// Longest line read from a pipe; longer ones are skipped with an error.
pub const MAX_LINE: usize = 1 << 20;

/// What the input thread sends.
#[derive(Debug)]
pub enum Input {
    Line(String),
    /// A line that could not be read (the next ones may be).
    Error(String),
    /// End of input (Ctrl-D, end of the file, or the terminal failed).
    Eof,
}

/// Whether a line may go into the history file: never one that carries
/// credentials (`raw LOGIN …`, `raw AUTHENTICATE …`).
pub fn keep_in_history(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let first = words.next().unwrap_or("");
    let second = words.next().unwrap_or("");
    !(first.eq_ignore_ascii_case("raw")
        && ["LOGIN", "AUTHENTICATE"]
            .iter()
            .any(|c| second.eq_ignore_ascii_case(c)))
}

/// Reads lines from stdin (not a terminal) on a thread.
pub fn piped() -> mpsc::Receiver<Input> {
    let (tx, rx) = mpsc::channel(16);
    std::thread::spawn(move || {
        let mut stdin = io::stdin().lock();
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let read = (&mut stdin)
                .take(MAX_LINE as u64 + 1)
                .read_until(b'\n', &mut buf);
            let input = match read {
                Ok(0) => Input::Eof,
                Ok(_) if buf.len() > MAX_LINE && !buf.ends_with(b"\n") => {
                    // Skip the rest of the overlong line.
                    let mut skipped = Vec::new();
                    loop {
                        skipped.clear();
                        match (&mut stdin)
                            .take(MAX_LINE as u64)
                            .read_until(b'\n', &mut skipped)
                        {
                            Ok(0) | Err(_) => break,
                            Ok(_) if skipped.ends_with(b"\n") => break,
                            Ok(_) => {}
                        }
                    }
                    Input::Error(format!("a line longer than {MAX_LINE} bytes was skipped"))
                }
                Ok(_) => {
                    let line = String::from_utf8_lossy(&buf);
                    Input::Line(line.trim_end_matches(['\r', '\n']).to_owned())
                }
                Err(e) => Input::Error(format!("cannot read standard input: {e}")),
            };
            let eof = matches!(input, Input::Eof);
            if tx.blocking_send(input).is_err() || eof {
                return;
            }
        }
    });
    rx
}

/// The line editor's helper: completion only.
struct Helper {
    known: Shared,
    definition: clap::Command,
}

impl Completer for Helper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &rustyline::Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        let (start, words) = complete::complete(&line[..pos], &known, &self.definition);
        drop(known);
        let unique = words.len() == 1;
        Ok((
            start,
            words
                .into_iter()
                .map(|w| Pair {
                    replacement: if unique { format!("{w} ") } else { w.clone() },
                    display: w,
                })
                .collect(),
        ))
    }
}

impl Hinter for Helper {
    type Hint = String;
}
impl Highlighter for Helper {}
impl Validator for Helper {}
impl rustyline::Helper for Helper {}

/// A `Write` whose flushed chunks print above the prompt, whole.
struct AbovePrompt<P> {
    printer: P,
    buf: Vec<u8>,
}

impl<P: ExternalPrinter + Send> Write for AbovePrompt<P> {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&std::mem::take(&mut self.buf)).into_owned();
        self.printer.print(text).map_err(io::Error::other)
    }
}

/// The terminal front end: lines, prompts asked for, and two writers that
/// print above the prompt (results, diagnostics).
pub struct Terminal {
    pub lines: mpsc::Receiver<Input>,
    /// Send the next prompt to show it; drop to end the editor.
    pub prompts: std::sync::mpsc::Sender<String>,
    pub out: Box<dyn Write + Send>,
    pub diag: Box<dyn Write + Send>,
}

type Writers = (Box<dyn Write + Send>, Box<dyn Write + Send>);

/// Creates (0600, in a 0700 directory) the history file if it is missing.
pub fn prepare_history(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        if let Some(dir) = path.parent() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(e),
        }
    }
    #[cfg(not(unix))]
    {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        Ok(())
    }
}

/// Starts the line editor on its own thread.
pub fn terminal(known: Shared, history: Option<PathBuf>) -> io::Result<Terminal> {
    let (tx, lines) = mpsc::channel(4);
    let (prompts, prompt_rx) = std::sync::mpsc::channel::<String>();
    let (ready, writers) = std::sync::mpsc::channel::<Result<Writers, String>>();
    std::thread::spawn(move || {
        let config = Config::builder()
            .completion_type(CompletionType::List)
            .auto_add_history(false)
            .build();
        let mut rl: Editor<Helper, FileHistory> = match Editor::with_config(config) {
            Ok(rl) => rl,
            Err(e) => {
                let _ = ready.send(Err(e.to_string()));
                return;
            }
        };
        rl.set_helper(Some(Helper {
            known,
            definition: super::command::definition(),
        }));
        if let Some(h) = &history {
            // A missing or unreadable history is not worth stopping for.
            let _ = rl.load_history(h);
        }
        let made = rl.create_external_printer().and_then(|a| {
            let b = rl.create_external_printer()?;
            Ok((a, b))
        });
        match made {
            Ok((a, b)) => {
                let out: Box<dyn Write + Send> = Box::new(AbovePrompt {
                    printer: a,
                    buf: Vec::new(),
                });
                let diag: Box<dyn Write + Send> = Box::new(AbovePrompt {
                    printer: b,
                    buf: Vec::new(),
                });
                if ready.send(Ok((out, diag))).is_err() {
                    return;
                }
            }
            Err(e) => {
                let _ = ready.send(Err(e.to_string()));
                return;
            }
        }
        while let Ok(prompt) = prompt_rx.recv() {
            let input = loop {
                match rl.readline(prompt.as_str()) {
                    Ok(line) => {
                        if !line.trim().is_empty() && keep_in_history(&line) {
                            let _ = rl.add_history_entry(line.as_str());
                            if let Some(h) = &history {
                                let _ = rl.append_history(h);
                            }
                        }
                        break Input::Line(line);
                    }
                    // Ctrl-C cancels the line being typed.
                    Err(ReadlineError::Interrupted) => continue,
                    Err(ReadlineError::Eof) => break Input::Eof,
                    Err(e) => {
                        let _ = tx.blocking_send(Input::Error(format!("the terminal failed: {e}")));
                        break Input::Eof;
                    }
                }
            };
            let eof = matches!(input, Input::Eof);
            if tx.blocking_send(input).is_err() || eof {
                return;
            }
        }
    });
    let (out, diag) = writers
        .recv()
        .map_err(|_| io::Error::other("the line editor did not start"))?
        .map_err(io::Error::other)?;
    Ok(Terminal {
        lines,
        prompts,
        out,
        diag,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_reach_the_history() {
        assert!(!keep_in_history("raw LOGIN demo secret"));
        assert!(!keep_in_history(
            "  RAW  authenticate PLAIN AGRlbW8AZGVtbw=="
        ));
        assert!(keep_in_history("raw NOOP"));
        assert!(keep_in_history("lwebpush"));
    }
}
