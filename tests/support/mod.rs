//! Fixtures: a scripted IMAP peer that plays `C:`/`S:` transcripts over
//! real sockets on 127.0.0.1, certificates made at test time, and a runner
//! for the built binary in a clean environment.

#![allow(dead_code)]

pub mod peer;
pub mod pki;
pub mod rig;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// One step of a transcript: what the client must send (text after the
/// tag), or a line the server sends (its tag rewritten to the client's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Client { tag: String, text: String },
    Server(String),
}

/// Reads a transcript in the draft's notation: `C:` and `S:` lines, where a
/// line ending in `\` continues on the next one (leading blanks dropped).
/// Other lines are comments.
pub fn parse_transcript(text: &str) -> Vec<Step> {
    let mut logical: Vec<String> = Vec::new();
    let mut continuing = false;
    for raw in text.lines() {
        let line = raw.trim();
        if continuing {
            let last = logical.last_mut().expect("a continued line");
            match line.strip_suffix('\\') {
                Some(part) => last.push_str(part),
                None => {
                    last.push_str(line);
                    continuing = false;
                }
            }
            continue;
        }
        if !(line.starts_with("C:") || line.starts_with("S:")) {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(part) => {
                logical.push(part.to_owned());
                continuing = true;
            }
            None => logical.push(line.to_owned()),
        }
    }
    logical
        .into_iter()
        .map(|l| {
            let body = l[2..].trim_start().to_owned();
            if l.starts_with("C:") {
                let (tag, text) = body.split_once(' ').expect("C: lines have a tag");
                Step::Client {
                    tag: tag.to_owned(),
                    text: text.to_owned(),
                }
            } else {
                Step::Server(body)
            }
        })
        .collect()
}

pub fn transcript(name: &str) -> Vec<Step> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/transcripts")
        .join(name);
    parse_transcript(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}")))
}

/// The built binary, with a clean environment: no inherited variables but
/// PATH, a fresh HOME, no color.
pub struct Bin {
    pub home: tempfile::TempDir,
    envs: Vec<(String, String)>,
}

impl Bin {
    pub fn new() -> Self {
        Self {
            home: tempfile::tempdir().expect("temp dir"),
            envs: vec![],
        }
    }

    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.envs.push((k.to_owned(), v.to_owned()));
        self
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_stdin(args, None)
    }

    /// Runs with `stdin` fed in (or closed when `None`).
    pub fn run_stdin(&self, args: &[&str], stdin: Option<&[u8]>) -> Run {
        let mut cmd = self.command(args);
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        let mut child = cmd.spawn().expect("run the binary");
        // Fed from a thread while the output is drained, so that neither
        // side can fill a pipe and wait on the other. The binary may exit
        // before reading its input (a usage error): a broken pipe is then
        // expected, not a failure of the test; its exit code tells.
        let feeder = match (stdin, child.stdin.take()) {
            (Some(data), Some(mut pipe)) => {
                let data = data.to_vec();
                Some(std::thread::spawn(move || match pipe.write_all(&data) {
                    Ok(()) => Ok(()),
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    Err(e) => Err(e),
                }))
            }
            _ => None,
        };
        let output = child.wait_with_output().expect("wait for the binary");
        if let Some(f) = feeder {
            f.join()
                .expect("the stdin feeder does not panic")
                .expect("write stdin (other than a broken pipe)");
        }
        Run(output)
    }

    /// Starts the binary with stdout piped, for commands that stream.
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        self.command(args).spawn().expect("run the binary")
    }

    /// Starts the binary with stdin and stdout piped, for input fed as
    /// the test goes.
    pub fn spawn_piped(&self, args: &[&str]) -> std::process::Child {
        let mut cmd = self.command(args);
        cmd.stdin(Stdio::piped());
        cmd.spawn().expect("run the binary")
    }

    /// Starts another program that runs the binary (a shell that sets
    /// something up first), with the binary's environment, stdout piped.
    pub fn spawn_via(&self, program: &str, args: &[&str]) -> std::process::Child {
        self.command_of(program, args)
            .spawn()
            .unwrap_or_else(|e| panic!("run {program}: {e}"))
    }

    /// The binary with the clean environment, stdin closed, output piped.
    fn command(&self, args: &[&str]) -> Command {
        self.command_of(env!("CARGO_BIN_EXE_imapwebpush"), args)
    }

    fn command_of(&self, program: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("XDG_DATA_HOME", self.home.path().join("data"))
            .env("NO_COLOR", "1")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }
}

/// A finished run of the binary.
pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().expect("exited, not killed")
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.stdout().trim())
            .unwrap_or_else(|e| panic!("{e}: {}", self.stdout()))
    }
    /// Asserts the exit code, showing both streams when it differs.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code(),
            code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
}

/// A port on 127.0.0.1 where connections are refused, held for as long as
/// the socket lives: bound but not listening, so no other test can take
/// it (a port freed by dropping a listener can be).
pub fn refused_port() -> (tokio::net::TcpSocket, u16) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let port = socket.local_addr().unwrap().port();
    (socket, port)
}

/// A field of `/proc/PID/status` (Linux), its value trimmed.
#[cfg(target_os = "linux")]
pub fn proc_status(pid: u32, field: &str) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let value = status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .unwrap_or_else(|| panic!("no {field} in {status}"));
    value.trim().to_owned()
}
