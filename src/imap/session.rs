//! One client connection: connect (TLS or STARTTLS), greeting, tags, the
//! command/response loop with literals in both directions, capabilities,
//! login, and the `-v` trace.

use std::future::Future;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::framer::Framer;
use super::response::{Frame, Response, Status, StatusLine, Untagged};
use super::transport::{ServerAddr, Stream, TlsMode};
use super::ImapError;
use crate::secret::Secret;
use crate::tls::Trust;

/// Largest response the client buffers (literals included).
pub const MAX_RESPONSE: usize = 8 << 20;
/// Untagged responses kept for one command: a server that sends more
/// before its tagged answer is refused rather than followed until memory
/// runs out.
pub const MAX_UNTAGGED: usize = 100_000;
/// Bytes of untagged responses kept for one command.
pub const MAX_UNTAGGED_BYTES: usize = 64 << 20;

/// Which side sent a traced line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Client,
    Server,
}

/// Receives every line sent and received, credentials already replaced by
/// `***`. The CLI prints them as `C:`/`S:` on stderr for `-v`.
pub type Tracer = Box<dyn FnMut(Direction, &str) + Send>;

/// Where and how to connect.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub addr: ServerAddr,
    pub trust: Trust,
    /// Bounds each whole operation: connecting (TCP, TLS, greeting,
    /// STARTTLS), logging in, and each command from sending it to its
    /// tagged answer.
    pub timeout: Duration,
}

/// One argument of a command.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    /// Sent as it is (keywords, atoms already validated, `--raw` text).
    Raw(&'a str),
    /// An `astring`: atom, quoted string or literal, whichever fits.
    AString(&'a str),
    /// Like `AString`, but traced as `***`.
    Secret(&'a str),
    /// A literal (APPEND's message): `{n}` and a continuation, or `{n+}`
    /// when the server has LITERAL+.
    Literal(&'a [u8]),
}

/// The server's answer to one command.
#[derive(Debug, Clone)]
pub struct Reply {
    pub tag: String,
    /// The command line as sent, tag included, credentials as `***`.
    pub command: String,
    pub untagged: Vec<Frame>,
    /// The tagged response line, as received.
    pub tagged: String,
    pub line: StatusLine,
}

impl Reply {
    pub fn is_ok(&self) -> bool {
        self.line.status == Status::Ok
    }

    /// The untagged responses, typed.
    pub fn responses(&self) -> impl Iterator<Item = &Untagged> {
        self.untagged.iter().filter_map(|f| match &f.response {
            Response::Untagged(u) => Some(u),
            _ => None,
        })
    }
}

pub struct Session {
    stream: Stream,
    framer: Framer,
    next_tag: u32,
    caps: Vec<String>,
    tracer: Option<Tracer>,
    timeout: Duration,
    mode: TlsMode,
    authenticated: bool,
    bye: Option<String>,
    addr: ServerAddr,
    /// Where reads land before the framer; on the heap, not in every
    /// future that reads.
    read_buf: Box<[u8]>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("addr", &self.addr)
            .field("tls", &self.stream.is_tls())
            .field("authenticated", &self.authenticated)
            .finish_non_exhaustive()
    }
}

/// The untagged responses gathered for one command, within
/// [`MAX_UNTAGGED`] and [`MAX_UNTAGGED_BYTES`].
#[derive(Default)]
struct Collected {
    frames: Vec<Frame>,
    bytes: usize,
}

impl Collected {
    fn push(&mut self, frame: Frame) -> Result<(), ImapError> {
        let (count, bytes) = (self.frames.len() + 1, self.bytes + frame.raw.len());
        if count > MAX_UNTAGGED || bytes > MAX_UNTAGGED_BYTES {
            return Err(ImapError::TooManyResponses {
                max_count: MAX_UNTAGGED,
                max_bytes: MAX_UNTAGGED_BYTES,
            });
        }
        self.frames.push(frame);
        self.bytes = bytes;
        Ok(())
    }
}

/// Runs `op` within `after`, the time allowed for the whole of it.
async fn within<T>(
    after: Duration,
    what: &'static str,
    op: impl Future<Output = Result<T, ImapError>>,
) -> Result<T, ImapError> {
    // Boxed: the operation's future is large, and callers nest these.
    tokio::time::timeout(after, Box::pin(op))
        .await
        .map_err(|_| ImapError::Timeout { what, after })?
}

/// How an astring is best sent.
enum Encoded {
    Text(String),
    Literal,
}

fn encode_astring(s: &str) -> Encoded {
    if !s.is_empty()
        && s.bytes()
            .all(|c| crate::webpush::types::is_atom_char(c) || c == b']')
    {
        Encoded::Text(s.to_owned())
    } else if s.bytes().all(|c| (0x20..0x7f).contains(&c)) {
        Encoded::Text(format!(
            "\"{}\"",
            s.replace('\\', "\\\\").replace('"', "\\\"")
        ))
    } else {
        Encoded::Literal
    }
}

impl Session {
    /// Connects, reads the greeting, and for STARTTLS upgrades the
    /// connection, refusing to go on in plaintext; all within the timeout.
    pub async fn connect(opts: &ConnectOptions, tracer: Option<Tracer>) -> Result<Self, ImapError> {
        within(
            opts.timeout,
            "connecting",
            Self::connect_inner(opts, tracer),
        )
        .await
    }

    async fn connect_inner(
        opts: &ConnectOptions,
        tracer: Option<Tracer>,
    ) -> Result<Self, ImapError> {
        let addr = &opts.addr;
        let target = (addr.host.as_str(), addr.port);
        let tcp = tokio::time::timeout(opts.timeout, TcpStream::connect(target))
            .await
            .map_err(|_| ImapError::Timeout {
                what: "connecting",
                after: opts.timeout,
            })?
            .map_err(|source| ImapError::Connect {
                addr: addr.to_string(),
                source,
            })?;
        let _ = tcp.set_nodelay(true);
        let config = match addr.tls {
            TlsMode::None => None,
            _ => Some(opts.trust.client_config()?),
        };
        let stream = match (&config, addr.tls) {
            (Some(c), TlsMode::Implicit) => {
                tokio::time::timeout(opts.timeout, Stream::handshake(tcp, c.clone(), addr))
                    .await
                    .map_err(|_| ImapError::Timeout {
                        what: "in the TLS handshake",
                        after: opts.timeout,
                    })??
            }
            _ => Stream::Plain(tcp),
        };
        let mut s = Self {
            stream,
            framer: Framer::new(MAX_RESPONSE),
            next_tag: 1,
            caps: Vec::new(),
            tracer,
            timeout: opts.timeout,
            mode: addr.tls,
            authenticated: false,
            bye: None,
            addr: addr.clone(),
            read_buf: vec![0; 16 << 10].into_boxed_slice(),
        };
        s.read_greeting().await?;
        if addr.tls == TlsMode::Starttls {
            s.starttls(config.expect("a TLS config exists unless --tls none"))
                .await?;
        }
        Ok(s)
    }

    async fn read_greeting(&mut self) -> Result<(), ImapError> {
        // A server that waits in silence on a plaintext connection is
        // usually an implicit-TLS port waiting for our ClientHello.
        let limit = self.timeout.mul_f32(0.9).min(Duration::from_secs(10));
        let frame = match self.read_frame_within(limit).await {
            Err(ImapError::Timeout { after, .. }) if !self.stream.is_tls() => {
                return Err(ImapError::NoGreeting { after })
            }
            other => other?,
        };
        match frame.response {
            Response::Untagged(Untagged::Status(line)) => match line.status {
                Status::Ok => {}
                Status::PreAuth => self.authenticated = true,
                Status::Bye => return Err(ImapError::Bye(line.text)),
                _ => return Err(ImapError::Greeting(frame.raw)),
            },
            _ => return Err(ImapError::Greeting(frame.raw)),
        }
        Ok(())
    }

    async fn starttls(
        &mut self,
        config: std::sync::Arc<rustls::ClientConfig>,
    ) -> Result<(), ImapError> {
        if self.caps.is_empty() {
            self.refresh_capabilities().await?;
        }
        if self.authenticated || !self.has_capability("STARTTLS") {
            return Err(ImapError::StartTlsNotOffered);
        }
        let reply = self.run("STARTTLS").await?;
        if !reply.is_ok() {
            return Err(ImapError::StartTlsRefused(reply.tagged));
        }
        // Anything already received after the OK was sent before the
        // handshake, in plaintext, and would be read as if it came over TLS.
        if self.framer.pending() > 0 {
            return Err(ImapError::StartTlsInjection(self.framer.pending()));
        }
        let Stream::Plain(tcp) = std::mem::replace(&mut self.stream, Stream::Upgrading) else {
            return Err(ImapError::StartTlsRefused("already TLS".into()));
        };
        self.stream =
            tokio::time::timeout(self.timeout, Stream::handshake(tcp, config, &self.addr))
                .await
                .map_err(|_| ImapError::Timeout {
                    what: "in the TLS handshake",
                    after: self.timeout,
                })??;
        // RFC 9051 §6.2.1: capabilities learnt before STARTTLS are void.
        self.caps.clear();
        self.refresh_capabilities().await?;
        Ok(())
    }

    pub fn capabilities(&self) -> &[String] {
        &self.caps
    }

    pub fn has_capability(&self, cap: &str) -> bool {
        self.caps.iter().any(|c| c.eq_ignore_ascii_case(cap))
    }

    pub fn is_tls(&self) -> bool {
        self.stream.is_tls()
    }

    pub fn is_authenticated(&self) -> bool {
        self.authenticated
    }

    pub fn addr(&self) -> &ServerAddr {
        &self.addr
    }

    pub async fn refresh_capabilities(&mut self) -> Result<Reply, ImapError> {
        self.run("CAPABILITY").await
    }

    /// Logs in with AUTHENTICATE PLAIN where advertised, else LOGIN. Over a
    /// plaintext connection only when it was asked for with `--tls none`.
    /// All within the timeout.
    pub async fn login(&mut self, user: &str, password: &Secret<String>) -> Result<(), ImapError> {
        within(self.timeout, "logging in", self.login_inner(user, password)).await
    }

    async fn login_inner(
        &mut self,
        user: &str,
        password: &Secret<String>,
    ) -> Result<(), ImapError> {
        if self.authenticated {
            return Ok(());
        }
        if !self.stream.is_tls() && self.mode != TlsMode::None {
            return Err(ImapError::PlaintextLogin);
        }
        if self.caps.is_empty() {
            self.refresh_capabilities().await?;
        }
        let reply = if self.has_capability("AUTH=PLAIN") {
            let ir = STANDARD.encode(format!("\0{user}\0{}", password.expose()));
            if self.has_capability("SASL-IR") {
                self.run_args(&[Arg::Raw("AUTHENTICATE PLAIN"), Arg::Secret(&ir)])
                    .await?
            } else {
                self.authenticate_with_continuation("AUTHENTICATE PLAIN", &Secret::new(ir))
                    .await?
            }
        } else if self.has_capability("LOGINDISABLED") {
            return Err(ImapError::LoginDisabled);
        } else {
            self.run_args(&[
                Arg::Raw("LOGIN"),
                Arg::AString(user),
                Arg::Secret(password.expose()),
            ])
            .await?
        };
        if !reply.is_ok() {
            return Err(ImapError::AuthFailed(reply.tagged));
        }
        self.authenticated = true;
        match reply.line.capabilities() {
            Some(caps) => self.caps = caps,
            None => {
                self.caps.clear();
                self.refresh_capabilities().await?;
            }
        }
        Ok(())
    }

    /// `tag COMMAND`, then the secret after the server's `+`.
    async fn authenticate_with_continuation(
        &mut self,
        command: &str,
        response: &Secret<String>,
    ) -> Result<Reply, ImapError> {
        let tag = self.tag();
        let line = format!("{tag} {command}");
        self.write_line(line.as_bytes(), &line).await?;
        let mut untagged = Collected::default();
        if let Some(refused) = self.await_continuation(&tag, &mut untagged).await? {
            return Ok(Self::reply(tag, line, untagged, refused));
        }
        self.write_line(response.expose().as_bytes(), "***").await?;
        self.finish(tag, line, untagged).await
    }

    fn tag(&mut self) -> String {
        let t = format!("a{}", self.next_tag);
        self.next_tag += 1;
        t
    }

    /// Sends `command` (text after the tag, sent as it is) and collects the
    /// answer.
    pub async fn run(&mut self, command: &str) -> Result<Reply, ImapError> {
        self.run_args(&[Arg::Raw(command)]).await
    }

    /// Sends a command built from `args`, joined by spaces, and collects
    /// the answer; the whole exchange within the timeout.
    pub async fn run_args(&mut self, args: &[Arg<'_>]) -> Result<Reply, ImapError> {
        let after = self.timeout;
        within(
            after,
            "waiting for the answer to a command",
            self.run_args_inner(args),
        )
        .await
    }

    async fn run_args_inner(&mut self, args: &[Arg<'_>]) -> Result<Reply, ImapError> {
        let bad = |s: &str| s.bytes().any(|c| matches!(c, b'\r' | b'\n' | 0));
        if args.iter().any(|a| match a {
            Arg::Raw(s) | Arg::AString(s) | Arg::Secret(s) => bad(s),
            Arg::Literal(_) => false,
        }) {
            return Err(ImapError::LineBreakInArgument);
        }
        let tag = self.tag();
        let mut line = tag.clone().into_bytes();
        let mut traced = tag.clone();
        let mut command = tag.clone();
        let mut untagged = Collected::default();
        for arg in args {
            line.push(b' ');
            traced.push(' ');
            command.push(' ');
            let (literal, secret): (&[u8], bool) = match *arg {
                Arg::Raw(s) => {
                    line.extend_from_slice(s.as_bytes());
                    traced.push_str(s);
                    command.push_str(s);
                    continue;
                }
                Arg::AString(s) | Arg::Secret(s) => {
                    let secret = matches!(arg, Arg::Secret(_));
                    match encode_astring(s) {
                        Encoded::Text(t) => {
                            line.extend_from_slice(t.as_bytes());
                            let shown = if secret { "***" } else { t.as_str() };
                            traced.push_str(shown);
                            command.push_str(shown);
                            continue;
                        }
                        Encoded::Literal => (s.as_bytes(), secret),
                    }
                }
                Arg::Literal(b) => (b, false),
            };
            // A literal: announce it, end the line, maybe wait for `+`.
            let non_sync = self.has_capability("LITERAL+")
                || (self.has_capability("LITERAL-") && literal.len() <= 4096);
            let announce = format!("{{{}{}}}", literal.len(), if non_sync { "+" } else { "" });
            line.extend_from_slice(announce.as_bytes());
            traced.push_str(&announce);
            command.push_str(&announce);
            self.write_line(&line, &traced).await?;
            line.clear();
            traced.clear();
            if !non_sync {
                if let Some(refused) = self.await_continuation(&tag, &mut untagged).await? {
                    return Ok(Self::reply(tag, command, untagged, refused));
                }
            }
            self.write_raw(literal).await?;
            if secret {
                traced.push_str("***");
            } else {
                // The literal and what follows it are traced as one text,
                // so a message's lines each get their `C:` prefix.
                traced.push_str(&String::from_utf8_lossy(literal));
            }
        }
        self.write_line(&line, &traced).await?;
        self.finish(tag, command, untagged).await
    }

    /// Waits for the server's `+`, collecting untagged responses on the way.
    /// Returns the tagged response instead if the server refuses the
    /// command before asking for more.
    async fn await_continuation(
        &mut self,
        tag: &str,
        untagged: &mut Collected,
    ) -> Result<Option<Frame>, ImapError> {
        loop {
            let frame = self.read_frame().await?;
            match &frame.response {
                Response::Continue(_) => return Ok(None),
                Response::Tagged { tag: t, .. } if t == tag => return Ok(Some(frame)),
                _ => untagged.push(frame)?,
            }
        }
    }

    /// Reads until the tagged response for `tag`.
    async fn finish(
        &mut self,
        tag: String,
        command: String,
        mut untagged: Collected,
    ) -> Result<Reply, ImapError> {
        loop {
            let frame = self.read_frame().await?;
            match &frame.response {
                Response::Tagged { tag: t, .. } if *t == tag => {
                    return Ok(Self::reply(tag, command, untagged, frame));
                }
                _ => untagged.push(frame)?,
            }
        }
    }

    fn reply(tag: String, command: String, untagged: Collected, frame: Frame) -> Reply {
        let Response::Tagged { line, .. } = frame.response else {
            unreachable!("callers pass a tagged frame")
        };
        Reply {
            tag,
            command,
            untagged: untagged.frames,
            tagged: frame.raw,
            line,
        }
    }

    /// Sends LOGOUT and waits for the server to answer or close.
    pub async fn logout(&mut self) -> Result<(), ImapError> {
        match self.run("LOGOUT").await {
            Ok(_) | Err(ImapError::Closed | ImapError::Bye(_)) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Writes `bytes` and CRLF; `traced` is what the trace shows.
    pub async fn write_line(&mut self, bytes: &[u8], traced: &str) -> Result<(), ImapError> {
        let mut buf = Vec::with_capacity(bytes.len() + 2);
        buf.extend_from_slice(bytes);
        buf.extend_from_slice(b"\r\n");
        self.write_raw(&buf).await?;
        if let Some(t) = self.tracer.as_mut() {
            for l in traced.split("\r\n") {
                t(Direction::Client, l);
            }
        }
        Ok(())
    }

    async fn write_raw(&mut self, bytes: &[u8]) -> Result<(), ImapError> {
        let io = async {
            self.stream.write_all(bytes).await?;
            self.stream.flush().await
        };
        tokio::time::timeout(self.timeout, io)
            .await
            .map_err(|_| ImapError::Timeout {
                what: "sending to the server",
                after: self.timeout,
            })?
            .map_err(ImapError::Io)
    }

    /// The next response from the server, traced; capabilities announced in
    /// it are remembered.
    pub async fn read_frame(&mut self) -> Result<Frame, ImapError> {
        self.read_frame_within(self.timeout).await
    }

    /// Like [`Session::read_frame`] with another time limit (IDLE waits).
    /// The limit is for the whole response, however slowly it trickles in.
    pub async fn read_frame_within(&mut self, limit: Duration) -> Result<Frame, ImapError> {
        let now = tokio::time::Instant::now();
        // A limit too large to add is as good as none.
        let deadline = now
            .checked_add(limit)
            .unwrap_or_else(|| now + Duration::from_secs(365 * 24 * 3600));
        loop {
            if let Some(bytes) = self.framer.next_frame()? {
                let frame = Frame::parse(&bytes);
                if let Some(t) = self.tracer.as_mut() {
                    for l in frame.raw.split("\r\n") {
                        t(Direction::Server, l);
                    }
                }
                self.observe(&frame);
                return Ok(frame);
            }
            let n = tokio::time::timeout_at(deadline, self.stream.read(&mut self.read_buf))
                .await
                .map_err(|_| ImapError::Timeout {
                    what: "waiting for the server",
                    after: limit,
                })??;
            if n == 0 {
                return Err(match self.bye.take() {
                    Some(text) => ImapError::Bye(text),
                    None => ImapError::Closed,
                });
            }
            self.framer.extend(&self.read_buf[..n]);
        }
    }

    fn observe(&mut self, frame: &Frame) {
        match &frame.response {
            Response::Untagged(Untagged::Capability(c)) => self.caps = c.clone(),
            Response::Untagged(Untagged::Status(l)) | Response::Tagged { line: l, .. } => {
                if let Some(c) = l.capabilities() {
                    self.caps = c;
                }
                if l.status == Status::Bye {
                    self.bye = Some(l.text.clone());
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    //! Logging in against a small scripted server on 127.0.0.1: which
    //! command is chosen, how the user name and password are sent, and
    //! what a refusal gives.

    use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, BufReader};
    use tokio::net::TcpListener;

    use super::*;
    use crate::tls::{Identity, Trust};

    const WAIT: Duration = Duration::from_secs(10);

    /// What the scripted server offers and accepts.
    #[derive(Clone)]
    struct Script {
        greeting: &'static str,
        caps: &'static str,
        /// The LOGIN arguments, or the AUTHENTICATE PLAIN response, that
        /// succeed, exactly as they must arrive.
        good: String,
        /// Capabilities sent with the OK of a login.
        caps_after_login: bool,
    }

    impl Script {
        fn new(caps: &'static str, good: &str) -> Self {
            Self {
                greeting: "* OK scripted",
                caps,
                good: good.to_owned(),
                caps_after_login: true,
            }
        }
    }

    /// Serves one connection; returns every line the client sent.
    async fn serve<S: AsyncRead + AsyncWrite + Unpin>(stream: S, script: Script) -> Vec<String> {
        let mut io = BufReader::new(stream);
        let mut got = Vec::new();
        let say = |s: String| s.into_bytes();
        io.write_all(&say(format!("{}\r\n", script.greeting)))
            .await
            .unwrap();
        loop {
            let mut line = String::new();
            if io.read_line(&mut line).await.unwrap_or(0) == 0 {
                return got;
            }
            let line = line.trim_end().to_owned();
            got.push(line.clone());
            let (tag, cmd) = line.split_once(' ').unwrap_or((&line, ""));
            let (tag, cmd) = (tag.to_owned(), cmd.to_owned());
            let ok = if script.caps_after_login {
                format!("{tag} OK [CAPABILITY IMAP4rev1 AFTER-LOGIN] in\r\n")
            } else {
                format!("{tag} OK in\r\n")
            };
            let no = format!("{tag} NO [AUTHENTICATIONFAILED] no\r\n");
            let answer = if cmd == "CAPABILITY" {
                format!("* CAPABILITY {}\r\n{tag} OK done\r\n", script.caps)
            } else if cmd == "LOGOUT" {
                format!("* BYE\r\n{tag} OK bye\r\n")
            } else if let Some(args) = cmd.strip_prefix("LOGIN ") {
                if args == script.good {
                    ok
                } else {
                    no
                }
            } else if cmd == "AUTHENTICATE PLAIN" {
                io.write_all(b"+ \r\n").await.unwrap();
                let mut response = String::new();
                io.read_line(&mut response).await.unwrap();
                let response = response.trim_end().to_owned();
                got.push(response.clone());
                if response == script.good {
                    ok
                } else {
                    no
                }
            } else if let Some(ir) = cmd.strip_prefix("AUTHENTICATE PLAIN ") {
                if ir == script.good {
                    ok
                } else {
                    no
                }
            } else {
                format!("{tag} BAD unknown\r\n")
            };
            io.write_all(answer.as_bytes()).await.unwrap();
        }
    }

    struct Conn {
        session: Session,
        server: tokio::task::JoinHandle<Vec<String>>,
    }

    impl Conn {
        /// Everything the client sent, once it has logged out.
        async fn lines(mut self) -> Vec<String> {
            self.session.logout().await.unwrap();
            drop(self.session);
            tokio::time::timeout(WAIT, self.server)
                .await
                .expect("the scripted server ends when the client leaves")
                .unwrap()
        }
    }

    async fn connect(script: Script, tls: TlsMode) -> Conn {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let acceptor = (tls == TlsMode::Implicit).then(|| {
            let id = Identity::generate(&["127.0.0.1"]).unwrap();
            tokio_rustls::TlsAcceptor::from(id.server_config(&[]).unwrap())
        });
        let server = tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.unwrap();
            match acceptor {
                Some(a) => serve(a.accept(tcp).await.unwrap(), script).await,
                None => serve(tcp, script).await,
            }
        });
        let opts = ConnectOptions {
            addr: ServerAddr {
                host: "127.0.0.1".into(),
                port,
                tls,
            },
            trust: Trust::dangerous_accept_any(),
            timeout: WAIT,
        };
        let session = Session::connect(&opts, None).await.unwrap();
        Conn { session, server }
    }

    fn secret(s: &str) -> Secret<String> {
        Secret::new(s.to_owned())
    }

    #[tokio::test]
    async fn login_sends_atoms_bare_and_quotes_the_rest() {
        // RFC 9051 astring: `]` is an ASTRING-CHAR; a space, a quote, a
        // backslash or an empty string need a quoted string.
        for (user, password, wire) in [
            ("us]er", "pw", "us]er pw"),
            ("a b", "p\"w\\", "\"a b\" \"p\\\"w\\\\\""),
            ("user", "", "user \"\""),
            ("x%", "{", "\"x%\" \"{\""),
        ] {
            let mut c = connect(Script::new("IMAP4rev1", wire), TlsMode::None).await;
            assert!(!c.session.is_authenticated());
            c.session
                .login(user, &secret(password))
                .await
                .unwrap_or_else(|e| panic!("{user:?} {password:?}: {e}"));
            assert!(c.session.is_authenticated());
            assert!(c.session.has_capability("AFTER-LOGIN"));
            // A second login is a no-op.
            c.session.login(user, &secret("other")).await.unwrap();
            let lines = c.lines().await;
            assert_eq!(
                lines,
                [
                    "a1 CAPABILITY".to_owned(),
                    format!("a2 LOGIN {wire}"),
                    "a3 LOGOUT".to_owned()
                ]
            );
        }
    }

    #[tokio::test]
    async fn a_refused_login_is_auth_failed() {
        let mut c = connect(Script::new("IMAP4rev1", "demo right"), TlsMode::None).await;
        match c.session.login("demo", &secret("wrong")).await {
            Err(ImapError::AuthFailed(line)) => assert!(line.contains("NO"), "{line}"),
            other => panic!("expected AuthFailed, got {other:?}"),
        }
        assert!(!c.session.is_authenticated());
        c.session.login("demo", &secret("right")).await.unwrap();
        assert!(c.session.is_authenticated());
    }

    #[tokio::test]
    async fn auth_plain_is_preferred_with_or_without_sasl_ir() {
        let plain = STANDARD.encode("\0demo\0pw");
        let script = Script::new("IMAP4rev1 AUTH=PLAIN SASL-IR", &plain);
        let mut c = connect(script, TlsMode::None).await;
        c.session.login("demo", &secret("pw")).await.unwrap();
        assert_eq!(
            c.lines().await,
            [
                "a1 CAPABILITY".to_owned(),
                format!("a2 AUTHENTICATE PLAIN {plain}"),
                "a3 LOGOUT".to_owned()
            ]
        );
        // No SASL-IR: the response goes after the `+`; no capabilities in
        // the OK, so they are asked for again.
        let mut script = Script::new("IMAP4rev1 AUTH=PLAIN", &plain);
        script.caps_after_login = false;
        let mut c = connect(script, TlsMode::None).await;
        c.session.login("demo", &secret("pw")).await.unwrap();
        assert!(c.session.is_authenticated());
        assert!(!c.session.has_capability("AFTER-LOGIN"));
        assert!(c.session.has_capability("AUTH=PLAIN"));
        assert_eq!(
            c.lines().await,
            [
                "a1 CAPABILITY".to_owned(),
                "a2 AUTHENTICATE PLAIN".to_owned(),
                plain.clone(),
                "a3 CAPABILITY".to_owned(),
                "a4 LOGOUT".to_owned()
            ]
        );
        let mut c = connect(Script::new("IMAP4rev1 AUTH=PLAIN", &plain), TlsMode::None).await;
        assert!(matches!(
            c.session.login("demo", &secret("bad")).await,
            Err(ImapError::AuthFailed(_))
        ));
    }

    #[tokio::test]
    async fn logindisabled_stops_before_the_password_is_sent() {
        let script = Script::new("IMAP4rev1 LOGINDISABLED", "demo pw");
        let mut c = connect(script, TlsMode::None).await;
        assert!(matches!(
            c.session.login("demo", &secret("pw")).await,
            Err(ImapError::LoginDisabled)
        ));
        assert_eq!(c.lines().await, ["a1 CAPABILITY", "a2 LOGOUT"]);
    }

    #[tokio::test]
    async fn login_over_tls() {
        let mut c = connect(Script::new("IMAP4rev1", "demo pw"), TlsMode::Implicit).await;
        assert!(c.session.is_tls());
        c.session.login("demo", &secret("pw")).await.unwrap();
        assert!(c.session.is_authenticated());
        assert_eq!(
            c.lines().await,
            ["a1 CAPABILITY", "a2 LOGIN demo pw", "a3 LOGOUT"]
        );
    }

    #[tokio::test]
    async fn preauth_needs_no_login() {
        let mut script = Script::new("IMAP4rev1", "demo pw");
        script.greeting = "* PREAUTH welcome";
        let mut c = connect(script, TlsMode::None).await;
        assert!(c.session.is_authenticated());
        c.session.login("demo", &secret("pw")).await.unwrap();
        assert_eq!(c.lines().await, ["a1 LOGOUT"]);
    }
}
