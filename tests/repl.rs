//! `repl` against `serve`, both as built binaries on loopback: a script
//! through a pipe (a REPL script is a test: exit 1 when a command failed),
//! a pseudo-terminal session (pushes above the prompt with the typed line
//! kept, completion, history, Ctrl-D), and a dropped connection restored
//! with `reconnect`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use imapwebpush::imap::{Arg, ConnectOptions, ServerAddr, Session};
use imapwebpush::secret::Secret;
use imapwebpush::tls::Trust;
use serde_json::Value;

use crate::support::Bin;

/// Bounds every wait here; far above what loopback needs.
const WAIT: Duration = Duration::from_secs(20);

/// The binary with a clean environment rooted at `bin`'s home.
fn command(bin: &Bin, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_imapwebpush"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", bin.home.path())
        .env("XDG_DATA_HOME", bin.path("data"))
        .env("NO_COLOR", "1")
        .env("IMAPWEBPUSH_PASSWORD", "demo")
        .args(args);
    cmd
}

/// Lines of a child's output, read on a thread; `None` at its end.
struct Lines {
    rx: mpsc::Receiver<Option<String>>,
    seen: Vec<String>,
    name: &'static str,
}

impl Lines {
    fn new(r: impl Read + Send + 'static, name: &'static str) -> Self {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(r).lines().map_while(Result::ok) {
                if tx.send(Some(line)).is_err() {
                    return;
                }
            }
            let _ = tx.send(None);
        });
        Self {
            rx,
            seen: Vec::new(),
            name,
        }
    }

    /// The next line that satisfies `pred`, within [`WAIT`].
    #[track_caller]
    fn until(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(Some(line)) => {
                    self.seen.push(line.clone());
                    if pred(&line) {
                        return line;
                    }
                }
                Ok(None) | Err(_) => panic!(
                    "{what}: not on {} within {WAIT:?}; it said:\n{}",
                    self.name,
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// The next JSON line that satisfies `pred`.
    #[track_caller]
    fn json(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let line = self.until(what, |l| {
            serde_json::from_str::<Value>(l).is_ok_and(|v| pred(&v))
        });
        serde_json::from_str(&line).unwrap()
    }

    /// Waits for the end of the output (the process is ending).
    #[track_caller]
    fn end(&mut self) {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(Some(line)) => self.seen.push(line),
                Ok(None) => return,
                Err(_) => panic!(
                    "{} did not end within {WAIT:?}; it said:\n{}",
                    self.name,
                    self.seen.join("\n")
                ),
            }
        }
    }
}

/// A `serve` process on loopback whose certificate comes from files (so
/// that a restarted server is trusted as the first was).
struct Serve {
    child: Child,
    url: String,
    _log: Lines,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A CA (written to `dir/ca.pem`) and a certificate for 127.0.0.1 from it
/// (`dir/cert.pem`, `dir/key.pem`).
fn certificates(dir: &Path) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .unwrap()
        .signed_by(&key, &ca, &ca_key)
        .unwrap();
    std::fs::write(dir.join("ca.pem"), ca.pem()).unwrap();
    std::fs::write(dir.join("cert.pem"), cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), key.serialize_pem()).unwrap();
}

impl Serve {
    /// Starts `serve` on `listen` (plain http endpoints allowed, so that the
    /// REPL's default endpoint is reachable without trust set-up).
    fn start(bin: &Bin, listen: &str) -> Self {
        if !bin.path("cert.pem").exists() {
            certificates(bin.home.path());
        }
        let cert = bin.path("cert.pem");
        let key = bin.path("key.pem");
        let mut child = command(
            bin,
            &[
                "serve",
                "--json",
                "--listen",
                listen,
                "--tls-cert",
                cert.to_str().unwrap(),
                "--tls-key",
                key.to_str().unwrap(),
            ],
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
        // The log is read to its end so that serve never blocks on it.
        let mut log = Lines::new(child.stdout.take().unwrap(), "serve's stdout");
        let serving = log.json("serve's first line", |v| v["event"] == "serving");
        Self {
            child,
            url: serving["imap"].as_str().unwrap().to_owned(),
            _log: log,
        }
    }

    fn addr(&self) -> &str {
        self.url.trim_start_matches("imap://")
    }

    /// APPENDs a message with `subject` over a connection of its own.
    fn append(&self, bin: &Bin, subject: &str) {
        let ca = std::fs::read_to_string(bin.path("ca.pem")).unwrap();
        let opts = ConnectOptions {
            addr: ServerAddr::parse(&self.url, None).unwrap(),
            trust: Trust::with_ca_pem(&ca).unwrap(),
            timeout: WAIT,
        };
        let message = format!("Subject: {subject}\r\nFrom: a@example.org\r\n\r\nhello\r\n");
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                let mut s = Session::connect(&opts, None).await.unwrap();
                s.login("demo", &Secret::new("demo".to_owned()))
                    .await
                    .unwrap();
                let r = s
                    .run_args(&[Arg::Raw("APPEND INBOX"), Arg::Literal(message.as_bytes())])
                    .await
                    .unwrap();
                assert!(r.is_ok(), "{}", r.tagged);
                s.logout().await.unwrap();
            });
    }
}

/// A REPL reading a pipe.
struct Piped {
    child: Child,
    stdin: Option<std::process::ChildStdin>,
    out: Lines,
    err: Lines,
}

impl Piped {
    fn start(bin: &Bin, serve: &Serve, extra: &[&str]) -> Self {
        let mut child = repl(bin, serve, extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the repl");
        let out = Lines::new(child.stdout.take().unwrap(), "the REPL's stdout");
        let err = Lines::new(child.stderr.take().unwrap(), "the REPL's stderr");
        Self {
            stdin: child.stdin.take(),
            child,
            out,
            err,
        }
    }

    fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(format!("{line}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Closes stdin and returns the exit code.
    #[track_caller]
    fn finish(mut self) -> (i32, Vec<String>, Vec<String>) {
        drop(self.stdin.take());
        self.out.end();
        self.err.end();
        let code = self.child.wait().unwrap().code().expect("exited");
        (code, self.out.seen, self.err.seen)
    }
}

fn is_push(v: &Value) -> bool {
    v["event"] == "push"
}

#[test]
fn a_piped_script_subscribes_sees_pushes_and_exits_1_after_a_no() {
    let bin = Bin::new();
    let serve = Serve::start(&bin, "127.0.0.1:0");
    let mut repl = Piped::start(&bin, &serve, &["--json"]);

    repl.send("capability");
    let caps = repl
        .out
        .json("CAPABILITY's result", |v| v["capabilities"].is_array());
    assert_eq!(caps["webpush"], true, "{caps}");

    // subscribe returns at once; the token push is acknowledged by itself.
    repl.send("subscribe --wait 15");
    let listening = repl.out.json("the endpoint", |v| v["event"] == "listening");
    assert!(
        listening["endpoint"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://127.0.0.1:")),
        "{listening}"
    );
    let subscribed = repl.out.json("WEBPUSH", |v| v["event"] == "subscribed");
    let id = subscribed["id"].as_str().unwrap().to_owned();
    let token_push = repl.out.json("the token push", is_push);
    assert_eq!(
        token_push["responses"][0]["type"], "ACKWEBPUSH",
        "{token_push}"
    );
    let ack = repl
        .out
        .json("the automatic ACKWEBPUSH", |v| v["event"] == "ack");
    assert_eq!(ack["status"], "OK", "{ack}");

    // A message from another connection while the script waits on its
    // next line: the push is printed now, not when the next line comes.
    serve.append(&bin, "first mail");
    let push = repl.out.json("the new-mail push", is_push);
    assert!(
        push["plaintext"].as_str().unwrap().contains("first mail"),
        "{push}"
    );

    repl.send("lwebpush");
    let listed = repl.out.json("LWEBPUSH", |v| v["command"] == "LWEBPUSH *");
    assert_eq!(listed["status"], "OK");
    assert_eq!(listed["subscriptions"][0]["id"], id.as_str());
    assert_eq!(
        listed["subscriptions"][0]["silenced"], 0,
        "active: {listed}"
    );

    // Silenced: the next APPEND sends nothing. The server computes a
    // push's recipients after a short coalescing delay, so a second
    // subscription (another REPL's) shows when that has happened; each
    // subscription's pushes are delivered in order, so once the silence
    // ends, the first push this REPL sees must be for the next message.
    let mut control = Piped::start(&bin, &serve, &["--json"]);
    control.send("subscribe --id control-1 --wait 15");
    let ack = control
        .out
        .json("the control's ACKWEBPUSH", |v| v["event"] == "ack");
    assert_eq!(ack["status"], "OK", "{ack}");
    repl.send(&format!("silwebpush {id} 60"));
    let silenced = repl.out.json("SILWEBPUSH 60", |v| {
        v["command"]
            .as_str()
            .is_some_and(|c| c.starts_with("SILWEBPUSH"))
    });
    assert_eq!(silenced["status"], "OK", "{silenced}");
    assert_eq!(silenced["subscriptions"][0]["silenced"], 60, "{silenced}");
    serve.append(&bin, "silenced mail");
    control
        .out
        .json("the control's push for the silenced mail", |v| {
            is_push(v)
                && v["plaintext"]
                    .as_str()
                    .is_some_and(|p| p.contains("silenced mail"))
        });
    repl.send(&format!("silwebpush {id} 0"));
    repl.out.json("SILWEBPUSH 0", |v| {
        v["command"] == format!("SILWEBPUSH {id} 0").as_str() && v["status"] == "OK"
    });
    serve.append(&bin, "loud mail");
    let next = repl.out.json("the push after the silence", is_push);
    assert!(
        next["plaintext"].as_str().unwrap().contains("loud mail"),
        "the push for the silenced APPEND came anyway: {next}"
    );
    let (code, _, _) = control.finish();
    assert_eq!(code, 0, "the control REPL ran good commands only");

    repl.send("raw NOOP");
    let noop = repl.out.json("NOOP", |v| v["command"] == "NOOP");
    assert_eq!(noop["status"], "OK");

    // Credentials typed in a raw LOGIN are sent as secrets: never shown.
    repl.send("trace on");
    repl.send("raw LOGIN demo s3cr3t");
    let login = repl.out.json("LOGIN", |v| {
        v["command"]
            .as_str()
            .is_some_and(|c| c.starts_with("LOGIN"))
    });
    assert_eq!(login["command"], "LOGIN demo ***", "{login}");
    repl.err
        .until("the traced LOGIN", |l| l.ends_with("LOGIN demo ***"));
    repl.send("trace off");

    repl.send("ackwebpush no-such-token");
    let refused = repl.out.json("ACKWEBPUSH of an unknown token", |v| {
        v["command"] == "ACKWEBPUSH no-such-token"
    });
    assert_eq!(refused["status"], "NO", "{refused}");

    repl.send(&format!("webpush {id} --delete"));
    let deleted = repl.out.json("WEBPUSH NIL", |v| {
        v["command"] == format!("WEBPUSH {id} NIL").as_str()
    });
    assert_eq!(deleted["status"], "OK", "{deleted}");

    let (code, out, err) = repl.finish();
    assert_eq!(code, 1, "the NO makes the script fail\n{out:?}\n{err:?}");
    assert!(
        !out.iter()
            .any(|l| l.contains("silenced mail") && l.contains("\"push\"")),
        "{out:?}"
    );
    assert!(
        !out.iter().chain(&err).any(|l| l.contains("s3cr3t")),
        "a password was printed: {out:?} {err:?}"
    );
}

#[test]
fn a_script_of_good_commands_exits_0_and_trace_shows_the_wire() {
    let bin = Bin::new();
    let serve = Serve::start(&bin, "127.0.0.1:0");
    let mut repl = Piped::start(&bin, &serve, &[]);
    for line in [
        "capability",
        "getvapid",
        "lwebpush",
        "raw NOOP",
        "select INBOX",
        "append",
        "store 1 +FLAGS \\Deleted",
        "expunge",
        "examine INBOX",
        "trace on",
        "lwebpush",
        "trace off",
        "autoack off",
        "keys",
        "help webpush",
        "",
    ] {
        repl.send(line);
    }
    let (code, out, err) = repl.finish();
    let out = out.join("\n");
    let err = err.join("\n");
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    for expected in [
        "WEBPUSH is advertised.",
        "S: * VAPID ",
        "OK LWEBPUSH completed",
        "OK NOOP completed",
        "OK [READ-WRITE] SELECT completed",
        "C: a",
        "OK STORE completed",
        "* 1 EXPUNGE",
        "OK [READ-ONLY] EXAMINE completed",
        "\"p256dh\"",
        "--delete",
    ] {
        assert!(out.contains(expected), "{expected:?} missing:\n{out}");
    }
    // The trace went to stderr, and only while on.
    assert!(err.contains("C: a") && err.contains("LWEBPUSH *"), "{err}");
    assert!(!err.contains("NOOP"), "traced before `trace on`: {err}");
}

#[test]
fn a_dropped_connection_is_reported_with_a_hint_and_reconnect_restores_it() {
    let bin = Bin::new();
    let serve = Serve::start(&bin, "127.0.0.1:0");
    let addr = serve.addr().to_owned();
    let mut repl = Piped::start(&bin, &serve, &["--json"]);
    repl.send("listen");
    let listening = repl.out.json("the endpoint", |v| v["event"] == "listening");
    repl.send("raw NOOP");
    repl.out.json("NOOP", |v| v["command"] == "NOOP");

    drop(serve);
    let lost = repl
        .err
        .until("the lost connection", |l| l.contains("was lost"));
    assert!(lost.contains(&addr), "{lost}");
    repl.err.until("the hint", |l| {
        l.starts_with("hint:") && l.contains("reconnect")
    });

    let serve = Serve::start(&bin, &addr);
    repl.send("reconnect");
    repl.out.json("reconnected", |v| {
        v["event"] == "note"
            && v["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("reconnected"))
    });
    repl.send("raw NOOP");
    let noop = repl
        .out
        .json("NOOP after reconnect", |v| v["command"] == "NOOP");
    assert_eq!(noop["status"], "OK");
    // The endpoint kept running: `listen` finds it.
    repl.send("keys");
    let keys = repl.out.json("keys", |v| v["endpoint"].is_string());
    assert_eq!(keys["endpoint"], listening["endpoint"]);
    drop(serve);
    let (code, _, _) = repl.finish();
    assert_eq!(code, 1, "the lost connection counts as a failure");
}

/// Ctrl-C killed a script's REPL where it stood: no LOGOUT, and what
/// `--unsubscribe-on-exit` asked for stayed on the server. It now stops
/// the command, deletes the subscription over a new connection (the
/// stopped one is in IDLE), logs out and exits 2.
#[test]
fn ctrl_c_stops_a_script_which_cleans_up_logs_out_and_exits_2() {
    let bin = Bin::new();
    let serve = Serve::start(&bin, "127.0.0.1:0");
    let mut repl = Piped::start(&bin, &serve, &["-v", "--json"]);
    repl.send("subscribe --unsubscribe-on-exit");
    let ack = repl
        .out
        .json("the automatic ACKWEBPUSH", |v| v["event"] == "ack");
    assert_eq!(ack["status"], "OK", "{ack}");
    // IDLE waits for DONE: the command never ends by itself.
    repl.send("raw IDLE");
    repl.err.until("IDLE under way", |l| l.starts_with("S: +"));
    let pressed = Instant::now();
    let kill = Command::new("kill")
        .args(["-INT", &repl.child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let (code, _, err) = repl.finish();
    let err = err.join("\n");
    assert_eq!(code, 2, "{err}");
    assert!(pressed.elapsed() < Duration::from_secs(10), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    assert!(!err.contains("not deleted"), "{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("S: ") && l.contains(" OK LOGOUT")),
        "the LOGOUT answered: {err}"
    );
    let mut other = Piped::start(&bin, &serve, &["--json"]);
    other.send("lwebpush");
    let listed = other.out.json("LWEBPUSH", |v| v["command"] == "LWEBPUSH *");
    assert_eq!(listed["subscriptions"], serde_json::json!([]), "{listed}");
    other.finish();
}

/// On a terminal, Ctrl-C during a command stops that command and closes
/// its connection (the server may be part-way through it); the session
/// goes on, `reconnect` opens another, Ctrl-D still leaves with 0.
#[test]
fn on_a_terminal_ctrl_c_stops_the_command_and_the_session_goes_on() {
    let bin = Bin::new();
    let serve = Serve::start(&bin, "127.0.0.1:0");
    let mut p = on_a_pty(&bin, &serve, &["-v"]);
    p.exp_string("demo@127.0.0.1 auth> ").expect("the prompt");
    // Twice: the watch for Ctrl-C is set up anew after each.
    for round in 1..=2 {
        p.send_line("raw IDLE").unwrap();
        p.exp_string("S: + ")
            .unwrap_or_else(|e| panic!("round {round}: IDLE under way: {e}"));
        p.send_control('c').unwrap();
        p.exp_string("interrupted: `raw` stopped")
            .unwrap_or_else(|e| panic!("round {round}: the command stopped: {e}"));
        p.exp_string("demo@127.0.0.1 disconnected> ")
            .unwrap_or_else(|e| panic!("round {round}: the prompt, disconnected: {e}"));
        p.send_line("reconnect").unwrap();
        p.exp_string("demo@127.0.0.1 auth> ")
            .unwrap_or_else(|e| panic!("round {round}: the prompt, connected again: {e}"));
    }
    ctrl_d_exits_0(&mut p);
}

/// The history file, under the test's data directory.
fn history(bin: &Bin) -> PathBuf {
    bin.path("data").join("imapwebpush").join("history")
}

/// The REPL's command line, logged in to `serve` as demo.
fn repl(bin: &Bin, serve: &Serve, extra: &[&str]) -> Command {
    let ca = bin.path("ca.pem");
    let mut args = vec![
        "repl",
        "-s",
        &serve.url,
        "-u",
        "demo",
        "--ca-file",
        ca.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    command(bin, &args)
}

/// The REPL on a pseudo-terminal.
fn on_a_pty(bin: &Bin, serve: &Serve, extra: &[&str]) -> rexpect::session::PtySession {
    let mut cmd = repl(bin, serve, extra);
    cmd.env("TERM", "xterm");
    rexpect::session::spawn_command(cmd, Some(WAIT.as_millis() as u64)).expect("spawn on a pty")
}

/// Ctrl-D logs out and exits 0.
#[track_caller]
fn ctrl_d_exits_0(p: &mut rexpect::session::PtySession) {
    p.send_control('d').unwrap();
    p.exp_eof().expect("the end");
    // nix's WaitStatus, which rexpect does not re-export: Exited(pid, 0).
    let status = format!("{:?}", p.process().wait().unwrap());
    assert!(
        status.starts_with("Exited(") && status.ends_with(", 0)"),
        "{status}"
    );
}

#[test]
fn on_a_terminal_pushes_print_above_the_prompt_and_the_typed_line_stays() {
    let bin = Bin::new();
    let serve = Serve::start(&bin, "127.0.0.1:0");
    let mut p = on_a_pty(&bin, &serve, &[]);
    let prompt = "demo@127.0.0.1 auth> ";
    p.exp_string(prompt).expect("the prompt");

    p.send_line("subscribe").unwrap();
    let (_, id) = p
        .exp_regex(r"subscription [0-9a-f-]{36}")
        .expect("the subscription");
    let id = id.trim_start_matches("subscription ").to_owned();
    p.exp_string("ACKWEBPUSH: the subscription is active")
        .expect("the automatic ACKWEBPUSH, printed above the prompt");

    // Part of a command typed, not entered; a push comes meanwhile.
    p.send("lweb").unwrap();
    p.flush().unwrap();
    p.exp_string("lweb").expect("the echo of what was typed");
    serve.append(&bin, "while typing");
    p.exp_string("Push: * ").expect("the push");
    p.exp_string("while typing").expect("the push's subject");
    // The line editor redraws the prompt with the typed part after it.
    p.exp_string(&format!("{prompt}lweb"))
        .expect("the typed part redrawn on the prompt line");

    // Tab completes the command name; Enter runs it.
    p.send("\t").unwrap();
    p.flush().unwrap();
    p.exp_string("lwebpush").expect("the completed command");
    p.send_line("").unwrap();
    p.exp_string("OK LWEBPUSH completed").expect("lwebpush ran");
    p.exp_string(prompt).expect("the prompt again");

    // Tab completes a subscription ID seen in this session.
    p.send(&format!("silwebpush {}", &id[..6])).unwrap();
    p.send("\t").unwrap();
    p.flush().unwrap();
    p.exp_string(&id).expect("the completed ID");
    p.send_line("60").unwrap();
    p.exp_string("OK SILWEBPUSH completed")
        .expect("silwebpush ran");
    p.exp_string(prompt).expect("the prompt again");

    ctrl_d_exits_0(&mut p);

    let history_file = history(&bin);
    let text = std::fs::read_to_string(&history_file).unwrap();
    assert!(text.contains("lwebpush"), "{text}");
    assert!(text.contains(&format!("silwebpush {id} 60")), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&history_file)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
