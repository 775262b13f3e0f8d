//! One IMAP connection to the reference server: the state machine of
//! RFC 9051 (not authenticated → authenticated → selected), the standard
//! commands the toolkit needs, and the five WEBPUSH commands of draft §5
//! (with the server-specific XROTATEVAPID of §8).

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use tokio::sync::watch;

use super::conn::{Conn, ReadError};
use super::fault::Fault;
use super::mailbox::{self as mbx, Selected};
use super::refusal::{tokens, Refusal};
use super::store::{Enabled, Store};
use super::syntax::{self, Token};
use super::Shared;
use crate::push::vapid::VapidSigner;
use crate::webpush::{Command, Silence};

/// Releases the connection's `SILWEBPUSH … session` silences when it ends,
/// however it ends (§5.5: "as long as the connection is alive").
struct SessionSilence {
    store: Arc<Store>,
    user: Option<String>,
    serials: Vec<u64>,
}

impl Drop for SessionSilence {
    fn drop(&mut self) {
        if let Some(user) = &self.user {
            self.store.release_session(user, &self.serials);
        }
    }
}

pub(super) struct Session {
    shared: Arc<Shared>,
    /// Declared before `conn` so that it is dropped first: by the time the
    /// peer sees the connection close, its session silences have ended.
    silence: SessionSilence,
    pub(super) conn: Conn,
    pub(super) user: Option<String>,
    pub(super) enabled: Enabled,
    enabled_names: Vec<String>,
    pub(super) selected: Option<Selected>,
    changes: Option<watch::Receiver<u64>>,
    pub(super) out: Vec<u8>,
}

/// What the connection does after a command.
enum Next {
    Continue,
    Close,
}

impl Session {
    pub(super) fn new(shared: Arc<Shared>, conn: Conn) -> Self {
        let store = shared.store.clone();
        Self {
            shared,
            conn,
            user: None,
            enabled: Enabled::default(),
            enabled_names: Vec::new(),
            selected: None,
            changes: None,
            silence: SessionSilence {
                store,
                user: None,
                serials: Vec::new(),
            },
            out: Vec::new(),
        }
    }

    pub(super) fn store(&self) -> &Store {
        &self.shared.store
    }

    fn capabilities(&self) -> String {
        let mut caps = String::from(
            "IMAP4rev1 IMAP4rev2 LITERAL+ ENABLE IDLE UIDPLUS UNSELECT CONDSTORE QRESYNC \
             UTF8=ACCEPT WEBPUSH XROTATEVAPID",
        );
        if self.shared.store.faults().has(Fault::NoWebpushCapability) {
            caps = caps.replace(" WEBPUSH", "");
        }
        if self.user.is_none() {
            if !self.conn.is_tls() {
                caps.push_str(" STARTTLS");
            }
            if self.login_allowed() {
                caps.push_str(" AUTH=PLAIN SASL-IR");
            } else {
                caps.push_str(" LOGINDISABLED");
            }
        }
        caps
    }

    fn login_allowed(&self) -> bool {
        self.conn.is_tls() || self.shared.config.allow_plaintext_login
    }

    pub(super) fn line(&mut self, s: impl AsRef<[u8]>) {
        self.out.extend_from_slice(s.as_ref());
        self.out.extend_from_slice(b"\r\n");
    }

    async fn flush(&mut self) -> std::io::Result<()> {
        if self.out.is_empty() {
            return Ok(());
        }
        let out = std::mem::take(&mut self.out);
        self.conn.write(&out).await
    }

    /// Serves the connection until LOGOUT, an error, or the peer leaves.
    pub(super) async fn run(mut self) {
        let greeting = format!(
            "* OK [CAPABILITY {}] imapwebpush reference server ready",
            self.capabilities()
        );
        self.line(greeting);
        if self.flush().await.is_err() {
            return;
        }
        loop {
            let cmd = match self.conn.read_command().await {
                Ok(c) => c,
                Err(ReadError::SyncLiteralTooLarge { line, size, max }) => {
                    let tag = tag_of(&line).unwrap_or("*").to_owned();
                    self.line(format!(
                        "{tag} NO [TOOBIG] literal of {size} bytes refused, the limit is {max}"
                    ));
                    if self.flush().await.is_err() {
                        return;
                    }
                    continue;
                }
                Err(e @ (ReadError::LineTooLong(_) | ReadError::NonSyncLiteralTooLarge { .. })) => {
                    self.line(format!("* BYE {e}"));
                    let _ = self.flush().await;
                    return;
                }
                Err(ReadError::Timeout(_)) => {
                    self.line("* BYE autologout, idle for too long");
                    let _ = self.flush().await;
                    return;
                }
                Err(_) => return,
            };
            let flow = self.command(&cmd).await;
            if self.flush().await.is_err() {
                return;
            }
            if let Next::Close = flow {
                return;
            }
        }
    }

    async fn command(&mut self, cmd: &[u8]) -> Next {
        let Some(tag) = tag_of(cmd) else {
            self.line("* BAD a command starts with a tag");
            return Next::Continue;
        };
        let tag = tag.to_owned();
        let rest = &cmd[tag.len()..];
        let rest = rest.strip_prefix(b" ").unwrap_or(rest);
        let (name, args) = split_word(rest);
        let mut name = name.to_ascii_uppercase();
        let mut args = args;
        if name == "UID" {
            let (sub, a) = split_word(args);
            name = format!("UID {}", sub.to_ascii_uppercase());
            args = a;
        }
        if name.is_empty() {
            self.line(format!("{tag} BAD no command name"));
            return Next::Continue;
        }
        match self.dispatch(&tag, &name, args).await {
            Ok(flow) => flow,
            Err(Refusal::Bad(why)) => {
                self.line(format!("{tag} BAD {why}"));
                Next::Continue
            }
            Err(Refusal::No(why)) => {
                self.line(format!("{tag} NO {why}"));
                Next::Continue
            }
            Err(Refusal::Close) => Next::Close,
        }
    }

    async fn dispatch(&mut self, tag: &str, name: &str, args: &[u8]) -> Result<Next, Refusal> {
        let authed = self.user.is_some();
        let selected = self.selected.is_some();
        match name {
            "CAPABILITY" => {
                no_args(args)?;
                let caps = self.capabilities();
                self.line(format!("* CAPABILITY {caps}"));
                self.ok(tag, "CAPABILITY completed");
            }
            "NOOP" | "CHECK" => {
                self.updates();
                self.ok(tag, &format!("{name} completed"));
            }
            "LOGOUT" => {
                self.line("* BYE logging out");
                self.ok(tag, "LOGOUT completed");
                return Ok(Next::Close);
            }
            "STARTTLS" if !authed => {
                no_args(args)?;
                if self.conn.is_tls() {
                    return Err(Refusal::Bad("already in TLS".into()));
                }
                self.ok(tag, "begin TLS negotiation now");
                self.flush().await.map_err(|_| Refusal::Close)?;
                let tls = self.shared.tls.clone();
                self.conn.start_tls(tls).await.map_err(|_| Refusal::Close)?;
            }
            "LOGIN" if !authed => {
                let t = tokens(args)?;
                let [user, pass] = t.as_slice() else {
                    return Err(Refusal::Bad(
                        "LOGIN takes a user name and a password".into(),
                    ));
                };
                let user = user.astring().ok_or(Refusal::bad("bad user name"))?;
                let pass = match pass {
                    Token::Atom(a) => a.as_bytes().to_vec(),
                    Token::Str(s) => s.clone(),
                    Token::List(_) => return Err(Refusal::bad("bad password")),
                };
                self.login(tag, &user, &pass)?;
            }
            "AUTHENTICATE" if !authed => self.authenticate(tag, args).await?,
            "STARTTLS" | "LOGIN" | "AUTHENTICATE" => {
                return Err(Refusal::Bad("already authenticated".into()))
            }
            "GETVAPID" | "WEBPUSH" | "ACKWEBPUSH" | "LWEBPUSH" | "SILWEBPUSH"
                if self.shared.store.faults().has(Fault::ExtensionBeforeLogin) =>
            {
                self.extension(tag, name, args)?
            }
            _ if !authed => {
                return Err(Refusal::Bad(format!(
                    "{name} is only valid after LOGIN or AUTHENTICATE"
                )))
            }
            "ENABLE" => self.enable(tag, args)?,
            "IDLE" => {
                no_args(args)?;
                return self.idle(tag).await;
            }
            "LIST" => self.list(tag, args)?,
            "CREATE" => {
                let name = self.mailbox_arg(args)?;
                self.store()
                    .create(self.user(), &name)
                    .map_err(Refusal::no)?;
                self.ok(tag, "CREATE completed");
            }
            "DELETE" => {
                let name = self.mailbox_arg(args)?;
                self.store()
                    .delete(self.user(), &name)
                    .map_err(Refusal::no)?;
                if self.selected.as_ref().is_some_and(|s| s.name == name) {
                    self.selected = None;
                }
                self.ok(tag, "DELETE completed");
            }
            "SELECT" | "EXAMINE" => self.select(tag, name == "EXAMINE", args)?,
            "APPEND" => self.append(tag, args)?,
            "GETVAPID" | "WEBPUSH" | "ACKWEBPUSH" | "LWEBPUSH" | "SILWEBPUSH" => {
                self.extension(tag, name, args)?
            }
            "XROTATEVAPID" => self.rotate(tag, args)?,
            "UNSELECT" | "CLOSE" if selected => {
                no_args(args)?;
                if name == "CLOSE" {
                    let sel = self.selected.as_ref().ok_or(Refusal::bad("no mailbox"))?;
                    if !sel.read_only {
                        let name = sel.name.clone();
                        self.store().expunge(self.user(), &name, None);
                    }
                }
                self.selected = None;
                self.ok(tag, &format!("{name} completed"));
            }
            "FETCH" | "UID FETCH" | "STORE" | "UID STORE" | "EXPUNGE" | "UID EXPUNGE"
                if selected =>
            {
                mbx::command(self, tag, name, args)?
            }
            "FETCH" | "UID FETCH" | "STORE" | "UID STORE" | "EXPUNGE" | "UID EXPUNGE"
            | "UNSELECT" | "CLOSE" => {
                return Err(Refusal::Bad(format!("{name} needs a selected mailbox")))
            }
            _ => return Err(Refusal::Bad(format!("unknown command {name}"))),
        }
        Ok(Next::Continue)
    }

    pub(super) fn ok(&mut self, tag: &str, text: &str) {
        self.line(format!("{tag} OK {text}"));
    }

    pub(super) fn user(&self) -> &str {
        self.user.as_deref().unwrap_or_default()
    }

    fn login(&mut self, tag: &str, user: &str, pass: &[u8]) -> Result<(), Refusal> {
        if !self.login_allowed() {
            return Err(Refusal::No(
                "[PRIVACYREQUIRED] use STARTTLS before logging in".into(),
            ));
        }
        let Some(name) = self.store().login(user, pass) else {
            return Err(Refusal::No(
                "[AUTHENTICATIONFAILED] invalid credentials".into(),
            ));
        };
        self.changes = self.store().watch(&name);
        self.conn.set_max_literal(self.shared.config.max_literal);
        self.silence.user = Some(name.clone());
        self.user = Some(name);
        let caps = self.capabilities();
        self.ok(tag, &format!("[CAPABILITY {caps}] logged in"));
        Ok(())
    }

    async fn authenticate(&mut self, tag: &str, args: &[u8]) -> Result<(), Refusal> {
        let t = tokens(args)?;
        let (mech, initial) = match t.as_slice() {
            [m] => (m, None),
            [m, Token::Atom(i)] => (m, Some(i.clone())),
            _ => {
                return Err(Refusal::bad(
                    "AUTHENTICATE takes a mechanism and an optional response",
                ))
            }
        };
        if !mech.atom().is_some_and(|m| m.eq_ignore_ascii_case("PLAIN")) {
            return Err(Refusal::No("only AUTHENTICATE PLAIN is supported".into()));
        }
        if !self.login_allowed() {
            return Err(Refusal::No(
                "[PRIVACYREQUIRED] use STARTTLS before logging in".into(),
            ));
        }
        let response = match initial {
            Some(i) => i,
            None => {
                self.line("+ ");
                self.flush().await.map_err(|_| Refusal::Close)?;
                let line = self.conn.read_line().await.map_err(|_| Refusal::Close)?;
                String::from_utf8_lossy(&line).trim_end().to_owned()
            }
        };
        if response == "*" {
            return Err(Refusal::Bad("AUTHENTICATE cancelled".into()));
        }
        let decoded = if response == "=" {
            Vec::new()
        } else {
            STANDARD
                .decode(response.as_bytes())
                .map_err(|_| Refusal::bad("the PLAIN response is not base64"))?
        };
        let parts: Vec<&[u8]> = decoded.split(|&c| c == 0).collect();
        let [authz, user, pass] = parts.as_slice() else {
            return Err(Refusal::bad(
                "a PLAIN response is authzid NUL authcid NUL password",
            ));
        };
        if !authz.is_empty() && authz != user {
            return Err(Refusal::No(
                "[AUTHORIZATIONFAILED] cannot act as another user".into(),
            ));
        }
        let user = String::from_utf8_lossy(user).into_owned();
        self.login(tag, &user, pass)
    }

    fn enable(&mut self, tag: &str, args: &[u8]) -> Result<(), Refusal> {
        let t = tokens(args)?;
        if t.is_empty() {
            return Err(Refusal::bad("ENABLE takes capability names"));
        }
        let mut now_on = Vec::new();
        for cap in &t {
            let cap = cap.atom().ok_or(Refusal::bad("a capability is an atom"))?;
            let upper = cap.to_ascii_uppercase();
            let e = &mut self.enabled;
            match upper.as_str() {
                "IMAP4REV2" | "UTF8=ACCEPT" => e.utf8 = true,
                "CONDSTORE" => e.condstore = true,
                "QRESYNC" => {
                    e.condstore = true;
                    e.qresync = true;
                }
                // RFC 5161: unknown capabilities are ignored.
                _ => continue,
            }
            // RFC 5161 §3.1: ENABLED lists what this command newly enabled.
            if !self.enabled_names.contains(&upper) {
                self.enabled_names.push(upper.clone());
                now_on.push(upper);
            }
        }
        self.line(format!("* ENABLED {}", now_on.join(" ")).trim_end());
        self.ok(tag, "ENABLE completed");
        Ok(())
    }

    /// A mailbox name argument, in UTF-8 (decoded from modified UTF-7
    /// unless the client enabled UTF-8).
    pub(super) fn mailbox_name(&self, t: &Token) -> Result<String, Refusal> {
        let raw = t.astring().ok_or(Refusal::bad("bad mailbox name"))?;
        let name = if self.enabled.utf8 {
            raw
        } else {
            syntax::utf7_decode(&raw).ok_or(Refusal::bad("mailbox name is not modified UTF-7"))?
        };
        if name.eq_ignore_ascii_case("INBOX") {
            return Ok("INBOX".into());
        }
        if name.is_empty() || name.len() > 1024 || name.chars().any(char::is_control) {
            return Err(Refusal::bad("bad mailbox name"));
        }
        Ok(name)
    }

    fn mailbox_arg(&self, args: &[u8]) -> Result<String, Refusal> {
        let t = tokens(args)?;
        let [name] = t.as_slice() else {
            return Err(Refusal::bad("expected one mailbox name"));
        };
        self.mailbox_name(name)
    }

    fn list(&mut self, tag: &str, args: &[u8]) -> Result<(), Refusal> {
        let t = tokens(args)?;
        let [_reference, pattern] = t.as_slice() else {
            return Err(Refusal::bad("LIST takes a reference and a pattern"));
        };
        let pattern = pattern.astring().ok_or(Refusal::bad("bad pattern"))?;
        // Matching costs pattern × name: bound the pattern like a name.
        if pattern.len() > 1024 {
            return Err(Refusal::bad("pattern longer than 1024 bytes"));
        }
        if pattern.is_empty() {
            self.line("* LIST (\\Noselect) \"/\" \"\"");
        } else {
            for name in self.store().mailboxes(self.user()) {
                let wire = if self.enabled.utf8 {
                    name.clone()
                } else {
                    syntax::utf7_encode(&name)
                };
                if syntax::list_match(pattern.as_bytes(), wire.as_bytes(), b'/') {
                    let shown = syntax::mailbox(&name, self.enabled.utf8);
                    self.line(format!("* LIST (\\HasNoChildren) \"/\" {shown}"));
                }
            }
        }
        self.ok(tag, "LIST completed");
        Ok(())
    }

    fn select(&mut self, tag: &str, read_only: bool, args: &[u8]) -> Result<(), Refusal> {
        let t = tokens(args)?;
        let name = match t.as_slice() {
            [n] | [n, Token::List(_)] => self.mailbox_name(n)?,
            _ => return Err(Refusal::bad("SELECT takes a mailbox name")),
        };
        self.selected = None;
        let user = self.user().to_owned();
        let (sel, info) = self
            .store()
            .read(&user, &name, |mb| {
                (
                    Selected::open(mb, read_only),
                    (
                        mb.messages.len(),
                        mb.uidvalidity,
                        mb.uidnext,
                        mb.highest_modseq,
                    ),
                )
            })
            .ok_or(Refusal::No("[NONEXISTENT] no such mailbox".into()))?;
        let (exists, uidvalidity, uidnext, modseq) = info;
        self.line("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)");
        self.line(
            "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] flags",
        );
        self.line(format!("* {exists} EXISTS"));
        self.line(format!("* OK [UIDVALIDITY {uidvalidity}] UIDs valid"));
        self.line(format!("* OK [UIDNEXT {uidnext}] next UID"));
        self.line(format!("* OK [HIGHESTMODSEQ {modseq}] highest"));
        self.selected = Some(sel);
        let mode = if read_only { "READ-ONLY" } else { "READ-WRITE" };
        self.ok(
            tag,
            &format!(
                "[{mode}] {} completed",
                if read_only { "EXAMINE" } else { "SELECT" }
            ),
        );
        Ok(())
    }

    fn append(&mut self, tag: &str, args: &[u8]) -> Result<(), Refusal> {
        let t = tokens(args)?;
        let (name, rest) = t
            .split_first()
            .ok_or(Refusal::bad("APPEND takes a mailbox"))?;
        let name = self.mailbox_name(name)?;
        let (message, opts) = rest
            .split_last()
            .ok_or(Refusal::bad("APPEND needs a message literal"))?;
        let Token::Str(message) = message else {
            return Err(Refusal::bad("the message must be a literal"));
        };
        let mut flags = Vec::new();
        for o in opts {
            match o {
                Token::List(l) => flags = mbx::flag_list(l)?,
                Token::Str(_) => {} // date-time: INTERNALDATE is the arrival time
                Token::Atom(_) => return Err(Refusal::bad("unexpected APPEND argument")),
            }
        }
        let (uidvalidity, uid) = self
            .store()
            .append(self.user(), &name, message.clone(), flags)
            .map_err(Refusal::no)?;
        self.updates();
        self.ok(
            tag,
            &format!("[APPENDUID {uidvalidity} {uid}] APPEND completed"),
        );
        Ok(())
    }

    /// Untagged EXPUNGE/VANISHED, FETCH FLAGS and EXISTS for what other
    /// connections changed in the selected mailbox.
    pub(super) fn updates(&mut self) {
        mbx::updates(self);
    }

    async fn idle(&mut self, tag: &str) -> Result<Next, Refusal> {
        self.line("+ idling");
        self.updates();
        self.flush().await.map_err(|_| Refusal::Close)?;
        let mut changes = self.changes.clone();
        loop {
            if let Some(line) = self.conn.take_line().map_err(|_| Refusal::Close)? {
                if line.trim_ascii().eq_ignore_ascii_case(b"DONE") {
                    self.ok(tag, "IDLE terminated");
                    return Ok(Next::Continue);
                }
                self.line(format!("{tag} BAD expected DONE"));
                return Ok(Next::Continue);
            }
            let changed = async {
                match changes.as_mut() {
                    Some(c) => c.changed().await.is_ok(),
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                r = self.conn.fill() => if r.is_err() { return Ok(Next::Close) },
                ok = changed => {
                    if !ok { return Ok(Next::Close) }
                    self.updates();
                    self.flush().await.map_err(|_| Refusal::Close)?;
                }
                () = tokio::time::sleep(super::IDLE_LIMIT) => {
                    self.line("* BYE IDLE for too long");
                    return Ok(Next::Close);
                }
            }
        }
    }

    fn extension(&mut self, tag: &str, name: &str, args: &[u8]) -> Result<(), Refusal> {
        let text =
            std::str::from_utf8(args).map_err(|_| Refusal::bad("arguments are not UTF-8"))?;
        let faults = self.shared.store.faults().clone();
        let allow_http =
            self.shared.config.allow_http_endpoints || faults.has(Fault::AcceptHttpEndpoint);
        let cmd =
            match Command::parse(name, text, allow_http).ok_or(Refusal::bad("unknown command"))? {
                Ok(c) => c,
                Err(_) if faults.has(Fault::AcceptBadKeys) && name == "WEBPUSH" => {
                    // Fault: answer as if the fields were fine, storing nothing.
                    let mut words = text.split(' ');
                    let (id, endpoint) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
                    self.line(format!("* WEBPUSH {id} {endpoint} NIL"));
                    self.ok(tag, "WEBPUSH completed");
                    return Ok(());
                }
                Err(e) => return Err(Refusal::Bad(e.to_string())),
            };
        let user = match &self.user {
            Some(u) => u.clone(),
            // Fault extension-before-login: nobody logged in, and the
            // commands act on the first account.
            None => self.shared.config.first_account.clone(),
        };
        let store = self.shared.store.clone();
        let vapid_line = |s: &mut Self| {
            if faults.has(Fault::MalformedVapidKey) {
                s.line(format!("* VAPID {}", &store.vapid_key().as_str()[..40]));
            } else if !faults.has(Fault::NoVapidResponse) {
                s.line(format!("* VAPID {}", store.vapid_key()));
            }
        };
        match cmd {
            Command::GetVapid => {
                vapid_line(self);
                self.ok(tag, "GETVAPID completed");
            }
            Command::WebPush {
                id,
                subscription: Some(fields),
            } => {
                let outcome = store
                    .webpush_set(&user, &id, fields, self.enabled)
                    .map_err(|e| Refusal::No(e.to_string()))?;
                // §5.2: MUST when inactive after the command; we also send
                // them when it stays active (MAY), so that a client always
                // sees the key and the state.
                vapid_line(self);
                if !faults.has(Fault::NoWebpushResponse) {
                    self.line(format!("* {}", outcome.info));
                }
                self.ok(tag, "WEBPUSH completed");
            }
            Command::WebPush {
                id,
                subscription: None,
            } => {
                let known = !store
                    .lwebpush(
                        &user,
                        &crate::webpush::ListPattern::parse(id.as_str())
                            .map_err(|e| Refusal::Bad(e.to_string()))?,
                    )
                    .is_empty();
                if !known && faults.has(Fault::RefuseUnknownDelete) {
                    return Err(Refusal::No(format!("no subscription {id}")));
                }
                if !faults.has(Fault::IgnoreDelete) {
                    store.webpush_delete(&user, &id);
                }
                self.ok(tag, "WEBPUSH completed");
            }
            Command::AckWebPush(token) => match store.ackwebpush(&user, token.as_str()) {
                Some(info) => {
                    if !faults.has(Fault::NoWebpushResponse) {
                        self.line(format!("* {info}"));
                    }
                    self.ok(tag, "ACKWEBPUSH completed");
                }
                None if faults.has(Fault::AcceptUnknownToken) => {
                    self.ok(tag, "ACKWEBPUSH completed")
                }
                // The draft's own wording (§5.3 example).
                None => self.line(format!("{tag} NO ACKWEBPUSH completed")),
            },
            Command::LWebPush(pattern) => {
                let all = store.lwebpush(&user, &pattern);
                let shown = if faults.has(Fault::EmptyLwebpush) {
                    &[][..]
                } else {
                    &all[..]
                };
                for info in shown {
                    self.line(format!("* {info}"));
                }
                self.ok(tag, "LWEBPUSH completed");
            }
            Command::SilWebPush(id, silence) => {
                let silence = if faults.has(Fault::ForgetSilence) {
                    Silence::Seconds(0)
                } else {
                    silence
                };
                let info = match silence {
                    Silence::Seconds(n) => store.silence(&user, &id, n),
                    Silence::Session => store.silence_session(&user, &id).map(|(info, serial)| {
                        self.silence.serials.push(serial);
                        info
                    }),
                };
                match info {
                    Some(info) => {
                        self.line(format!("* {info}"));
                        self.ok(tag, "SILWEBPUSH completed");
                    }
                    None if faults.has(Fault::SilenceUnknownOk) => {
                        self.ok(tag, "SILWEBPUSH completed")
                    }
                    None => {
                        return Err(Refusal::No(format!(
                            "SILWEBPUSH: {id} is unknown or inactive"
                        )))
                    }
                }
            }
        }
        Ok(())
    }

    fn rotate(&mut self, tag: &str, args: &[u8]) -> Result<(), Refusal> {
        no_args(args)?;
        if !self.store().is_admin(self.user()) {
            return Err(Refusal::No(
                "[NOPERM] XROTATEVAPID is for administrators".into(),
            ));
        }
        let new = VapidSigner::generate().map_err(|e| Refusal::No(e.to_string()))?;
        if let Some(path) = &self.shared.config.vapid_key_file {
            super::vapid_file::save(path, &new)
                .map_err(|e| Refusal::No(format!("[SERVERBUG] {e}")))?;
        }
        let key = new.public().clone();
        let told = self.store().rotate_vapid(new);
        self.line(format!("* VAPID {key}"));
        self.ok(
            tag,
            &format!("XROTATEVAPID completed, {told} active subscriptions told and deactivated"),
        );
        Ok(())
    }
}

fn no_args(args: &[u8]) -> Result<(), Refusal> {
    if args.iter().all(|c| *c == b' ') {
        Ok(())
    } else {
        Err(Refusal::bad("this command takes no arguments"))
    }
}

/// RFC 9051 `tag`: 1*<any ASTRING-CHAR except "+">.
pub(crate) fn tag_of(cmd: &[u8]) -> Option<&str> {
    let end = cmd.iter().position(|&c| c == b' ').unwrap_or(cmd.len());
    let tag = &cmd[..end];
    let ok = !tag.is_empty()
        && tag
            .iter()
            .all(|&c| (crate::webpush::types::is_atom_char(c) || c == b']') && c != b'+');
    ok.then(|| std::str::from_utf8(tag).ok()).flatten()
}

pub(crate) fn split_word(b: &[u8]) -> (String, &[u8]) {
    let end = b.iter().position(|&c| c == b' ').unwrap_or(b.len());
    let word = String::from_utf8_lossy(&b[..end]).into_owned();
    let rest = b.get(end + 1..).unwrap_or_default();
    (word, rest)
}

impl mbx::Ctx for Session {
    fn store(&self) -> &Store {
        Session::store(self)
    }
    fn user(&self) -> &str {
        Session::user(self)
    }
    fn enabled(&self) -> Enabled {
        self.enabled
    }
    fn selected(&mut self) -> &mut Option<Selected> {
        &mut self.selected
    }
    fn line(&mut self, s: impl AsRef<[u8]>) {
        Session::line(self, s)
    }
    fn ok(&mut self, tag: &str, text: &str) {
        Session::ok(self, tag, text)
    }
}
