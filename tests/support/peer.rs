//! A scripted IMAP server on 127.0.0.1:0. It greets, answers CAPABILITY,
//! STARTTLS, LOGIN, AUTHENTICATE PLAIN and LOGOUT by itself, and for every
//! other command checks it against the next `C:` step of the script and
//! sends the `S:` lines that follow, with the script's tag replaced by the
//! client's. The script runs on across connections, so a sequence of CLI
//! invocations can play one transcript.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use base64::Engine as _;

use super::Step;

pub const USER: &str = "demo";
pub const PASSWORD: &str = "s3cr\"et pw";

#[derive(Clone)]
pub enum PeerTls {
    None,
    Implicit(Arc<rustls::ServerConfig>),
    StartTls(Arc<rustls::ServerConfig>),
}

#[derive(Clone)]
pub struct PeerConfig {
    /// Capabilities before login (the greeting carries them).
    pub caps: String,
    pub tls: PeerTls,
    /// How many connections to accept before finishing.
    pub connections: usize,
    /// Send a forged line right after the STARTTLS OK, in plaintext.
    pub inject_after_starttls: bool,
    /// Leave the capabilities out of the greeting.
    pub bare_greeting: bool,
    /// The password LOGIN accepts when it comes as a literal.
    pub password: String,
}

impl Default for PeerConfig {
    fn default() -> Self {
        Self {
            caps: "IMAP4rev1 AUTH=PLAIN SASL-IR WEBPUSH".to_owned(),
            tls: PeerTls::None,
            connections: 1,
            inject_after_starttls: false,
            bare_greeting: false,
            password: PASSWORD.to_owned(),
        }
    }
}

/// What the peer saw.
#[derive(Debug, Default)]
pub struct PeerLog {
    /// Every line the client sent, in order.
    pub received: Vec<String>,
    /// Script steps never played.
    pub unplayed: Vec<Step>,
    /// Departures from the script.
    pub errors: Vec<String>,
    /// Literal data the client sent, in order.
    pub literals: Vec<Vec<u8>>,
}

pub struct Peer {
    pub port: u16,
    done: mpsc::Receiver<PeerLog>,
}

enum Conn {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ServerConnection, TcpStream>>),
}

impl Read for Conn {
    fn read(&mut self, b: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.read(b),
            Conn::Tls(s) => s.read(b),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.write(b),
            Conn::Tls(s) => s.write(b),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Conn::Plain(s) => s.flush(),
            Conn::Tls(s) => s.flush(),
        }
    }
}

fn tls(config: &Arc<rustls::ServerConfig>, tcp: TcpStream) -> Conn {
    let conn = rustls::ServerConnection::new(config.clone()).unwrap();
    Conn::Tls(Box::new(rustls::StreamOwned::new(conn, tcp)))
}

/// `… {n}` or `… {n+}` at the end of a line: the text before it, n, and
/// whether it is synchronizing.
fn literal_at_end(line: &str) -> Option<(String, usize, bool)> {
    let body = line.strip_suffix('}')?;
    let open = body.rfind('{')?;
    let inner = &body[open + 1..];
    let (digits, sync) = match inner.strip_suffix('+') {
        Some(d) => (d, false),
        None => (inner, true),
    };
    Some((body[..open].to_owned(), digits.parse().ok()?, sync))
}

fn read_line(c: &mut Conn) -> Option<String> {
    let mut line = Vec::new();
    let mut byte = [0u8];
    loop {
        match c.read(&mut byte) {
            Ok(1) => {
                line.push(byte[0]);
                if line.ends_with(b"\r\n") {
                    line.truncate(line.len() - 2);
                    return Some(String::from_utf8_lossy(&line).into_owned());
                }
            }
            _ => return None,
        }
    }
}

impl Peer {
    pub fn start(config: PeerConfig, script: Vec<Step>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut log = PeerLog::default();
            let mut script = std::collections::VecDeque::from(script);
            for _ in 0..config.connections {
                let Ok((tcp, _)) = listener.accept() else {
                    break;
                };
                tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                serve(&config, tcp, &mut script, &mut log);
            }
            log.unplayed = script.into_iter().collect();
            let _ = tx.send(log);
        });
        Self { port, done: rx }
    }

    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Waits for the peer to finish its connections (10 s at most).
    pub fn finish(self) -> PeerLog {
        self.done
            .recv_timeout(Duration::from_secs(10))
            .expect("the peer did not finish: the client never connected or hung")
    }

    /// Waits, then asserts that the script was played exactly.
    #[track_caller]
    pub fn finish_played(self) -> PeerLog {
        let log = self.finish();
        assert!(log.errors.is_empty(), "peer errors: {:?}", log.errors);
        assert!(
            log.unplayed.is_empty(),
            "unplayed steps: {:?}",
            log.unplayed
        );
        log
    }
}

fn send(c: &mut Conn, line: &str) {
    let _ = c.write_all(format!("{line}\r\n").as_bytes());
    let _ = c.flush();
}

fn serve(
    config: &PeerConfig,
    tcp: TcpStream,
    script: &mut std::collections::VecDeque<Step>,
    log: &mut PeerLog,
) {
    let mut c = match &config.tls {
        PeerTls::Implicit(cfg) => tls(cfg, tcp),
        _ => Conn::Plain(tcp),
    };
    let mut caps = config.caps.clone();
    if matches!(config.tls, PeerTls::StartTls(_)) {
        caps.push_str(" STARTTLS");
    }
    if config.bare_greeting {
        send(&mut c, "* OK scripted peer ready");
    } else {
        send(
            &mut c,
            &format!("* OK [CAPABILITY {caps}] scripted peer ready"),
        );
    }
    let after_login = format!(
        "{} ENABLE",
        config
            .caps
            .replace("AUTH=PLAIN", "")
            .replace("SASL-IR", "")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    );
    while let Some(mut line) = read_line(&mut c) {
        // Literals: `{n}` waits for our `+`, `{n+}` (LITERAL+) does not.
        while let Some((head, size, sync)) = literal_at_end(&line) {
            if sync {
                send(&mut c, "+ go ahead");
            }
            let mut data = vec![0u8; size];
            if c.read_exact(&mut data).is_err() {
                return;
            }
            let Some(rest) = read_line(&mut c) else {
                return;
            };
            log.literals.push(data.clone());
            line = format!(
                "{head}{{literal {size}}}{}{rest}",
                String::from_utf8_lossy(&data)
            );
        }
        log.received.push(line.clone());
        let (tag, rest) = line.split_once(' ').unwrap_or((&line, ""));
        let (verb, args) = rest.split_once(' ').unwrap_or((rest, ""));
        match verb.to_ascii_uppercase().as_str() {
            "CAPABILITY" => {
                send(&mut c, &format!("* CAPABILITY {caps}"));
                send(&mut c, &format!("{tag} OK CAPABILITY completed"));
            }
            "STARTTLS" => {
                let PeerTls::StartTls(cfg) = &config.tls else {
                    send(&mut c, &format!("{tag} BAD no STARTTLS here"));
                    continue;
                };
                if config.inject_after_starttls {
                    // One write: the OK and a forged response together.
                    let _ = c.write_all(format!("{tag} OK Begin TLS\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n").as_bytes());
                    return;
                }
                send(&mut c, &format!("{tag} OK Begin TLS negotiation now"));
                let Conn::Plain(tcp) = c else { return };
                c = tls(cfg, tcp);
                caps = config.caps.clone();
            }
            "LOGIN" => {
                let quoted = format!(
                    "{USER} \"{}\"",
                    config.password.replace('\\', "\\\\").replace('"', "\\\"")
                );
                let literal = format!(
                    "{USER} {{literal {}}}{}",
                    config.password.len(),
                    config.password
                );
                if args == quoted || args == literal {
                    send(
                        &mut c,
                        &format!("{tag} OK [CAPABILITY {after_login}] LOGIN completed"),
                    );
                    caps = after_login.clone();
                } else {
                    log.errors.push(format!("bad LOGIN arguments: {args}"));
                    send(
                        &mut c,
                        &format!("{tag} NO [AUTHENTICATIONFAILED] invalid credentials"),
                    );
                }
            }
            "AUTHENTICATE" => {
                let ir = match args.split_once(' ') {
                    Some((_, ir)) => {
                        // RFC 4959: an initial response only to a server
                        // that advertises SASL-IR.
                        if !caps.split_whitespace().any(|c| c == "SASL-IR") {
                            log.errors
                                .push(format!("initial response without SASL-IR: {line}"));
                        }
                        ir.to_owned()
                    }
                    None => {
                        send(&mut c, "+ ");
                        let Some(l) = read_line(&mut c) else { return };
                        log.received.push(l.clone());
                        l
                    }
                };
                let want = base64::engine::general_purpose::STANDARD
                    .encode(format!("\0{USER}\0{PASSWORD}"));
                if ir == want {
                    send(
                        &mut c,
                        &format!("{tag} OK [CAPABILITY {after_login}] AUTHENTICATE completed"),
                    );
                    caps = after_login.clone();
                } else {
                    send(
                        &mut c,
                        &format!("{tag} NO [AUTHENTICATIONFAILED] invalid credentials"),
                    );
                }
            }
            "LOGOUT" => {
                send(&mut c, "* BYE logging out");
                send(&mut c, &format!("{tag} OK LOGOUT completed"));
                return;
            }
            _ => match script.pop_front() {
                Some(Step::Client {
                    tag: script_tag,
                    text,
                }) if text == rest => {
                    while let Some(Step::Server(_)) = script.front() {
                        let Some(Step::Server(s)) = script.pop_front() else {
                            unreachable!()
                        };
                        let s = match s.strip_prefix(&format!("{script_tag} ")) {
                            Some(r) => format!("{tag} {r}"),
                            None => s,
                        };
                        send(&mut c, &s);
                    }
                }
                other => {
                    log.errors
                        .push(format!("client sent {rest:?}, script expected {other:?}"));
                    send(&mut c, &format!("{tag} BAD not in the script"));
                }
            },
        }
    }
}
