//! What a check's code works with: sessions that record their exchange
//! into the check's transcript, the push endpoint and its events (each
//! read logged, with the instant it was read), and helpers for the steps
//! many checks share (create, the token push, activation, a new message).
//! Everything a check creates is noted here, so the runner can remove it
//! whatever became of the check.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::endpoint::{EndpointHandle, Event, PushEvent};
use crate::imap::{Arg, ImapError, Session};
use crate::ops::endpoint::TlsChoice;
use crate::ops::ext::{self, ExtOutcome, ExtRequest};
use crate::ops::{ConnectSpec, Login};
use crate::output::escape_line;
use crate::push::content::PushResponse;
use crate::push::keys::Keys;
use crate::webpush::{Endpoint, SubscriptionId, VapidKey};

use super::runner::Options;

/// Why a check did not pass.
#[derive(Debug)]
pub enum Problem {
    /// The server broke the rule: what was expected, what happened.
    Fail { expected: String, actual: String },
    /// The check cannot run here (a capability missing, an option).
    Skip(String),
    /// A step before the one checked went wrong (another check reports
    /// it): the check is skipped, saying which step.
    Setup(String),
    /// The connection failed.
    Imap(ImapError),
}

impl From<ImapError> for Problem {
    fn from(e: ImapError) -> Self {
        Self::Imap(e)
    }
}

/// A failure with its expectation.
pub fn fail(expected: impl Into<String>, actual: impl Into<String>) -> Problem {
    Problem::Fail {
        expected: expected.into(),
        actual: actual.into(),
    }
}

/// The push endpoint a check uses.
pub struct Ep {
    pub handle: EndpointHandle,
    pub keys: Arc<Keys>,
}

/// What checks created: subscriptions to delete, UIDs to expunge.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub subscriptions: Arc<Mutex<Vec<SubscriptionId>>>,
    pub uids: Arc<Mutex<Vec<u32>>>,
}

pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Lines of evidence, shared with the sessions' tracers.
pub type Log = Arc<Mutex<Vec<String>>>;

/// Caps the evidence kept per check.
const MAX_LOG: usize = 400;

pub fn push_line(log: &Log, line: String) {
    let mut l = log.lock().unwrap_or_else(|e| e.into_inner());
    if l.len() < MAX_LOG {
        l.push(line);
    } else if l.len() == MAX_LOG {
        l.push("… (transcript truncated)".to_owned());
    }
}

/// How long an expected push may take (loopback pushes take milliseconds;
/// a real server may batch).
pub const PUSH_WAIT: Duration = Duration::from_secs(10);
/// How long to watch for a push that must not come.
pub const QUIET: Duration = Duration::from_secs(2);

/// One check's world.
pub struct Ctx {
    pub spec: ConnectSpec,
    pub ep: Ep,
    /// The key GETVAPID gave before the run (pinned on the endpoint).
    pub vapid: Option<VapidKey>,
    pub mailbox: String,
    pub options: Options,
    /// The server's capabilities after login.
    pub capabilities: Vec<String>,
    pub log: Log,
    /// What the check created, for the runner to remove whatever becomes
    /// of the check (shared, so that it survives a check cut short).
    pub ledger: Ledger,
    /// More endpoints this check started, kept alive until it ends.
    pub extra: Vec<Ep>,
    /// Set once a token push failed to come: later checks that need one
    /// do not wait for it again.
    pub no_token_push: Arc<std::sync::atomic::AtomicBool>,
}

impl Ctx {
    /// A line of evidence.
    pub fn note(&self, line: impl Into<String>) {
        push_line(&self.log, line.into());
    }

    fn log_len(&self) -> usize {
        self.log.lock().map_or(0, |l| l.len())
    }

    fn truncate_log(&self, n: usize) {
        if let Ok(mut l) = self.log.lock() {
            l.truncate(n);
        }
    }

    /// A logged-in session; the greeting and login are left out of the
    /// transcript once they succeed.
    pub async fn open(&self) -> Result<Session, Problem> {
        let before = self.log_len();
        let s = self.spec.open(Login::Required).await?;
        self.truncate_log(before);
        self.note(format!(
            "(connected and logged in as {})",
            self.spec.user.as_deref().unwrap_or("?")
        ));
        Ok(s)
    }

    /// A session that stays in the not-authenticated state.
    pub async fn open_unauthenticated(&self) -> Result<Session, Problem> {
        let before = self.log_len();
        let s = self.spec.open(Login::Never).await?;
        self.truncate_log(before);
        self.note("(connected, not authenticated)");
        Ok(s)
    }

    pub fn has_capability(&self, cap: &str) -> bool {
        self.capabilities
            .iter()
            .any(|c| c.eq_ignore_ascii_case(cap))
    }

    /// Sends an extension command.
    pub async fn ext(&self, s: &mut Session, r: &ExtRequest) -> Result<ExtOutcome, Problem> {
        Ok(ext::run(s, r).await?)
    }

    /// A fresh subscription ID, noted for removal.
    pub fn new_id(&mut self) -> SubscriptionId {
        let id = SubscriptionId::parse(&crate::webpush::types::new_uuid_v4())
            .expect("a UUID is an atom");
        lock(&self.ledger.subscriptions).push(id.clone());
        id
    }

    /// This check's endpoint URL as the draft's type.
    pub fn endpoint_of(ep: &Ep) -> Endpoint {
        Endpoint::parse_allowing_http(&ep.handle.url).expect("the endpoint's own URL parses")
    }

    /// `WEBPUSH id <endpoint> <p256dh> <auth>` for an endpoint and keys.
    pub async fn webpush(
        &self,
        s: &mut Session,
        id: &SubscriptionId,
        endpoint: Endpoint,
        keys: &Keys,
    ) -> Result<ExtOutcome, Problem> {
        self.ext(s, &ExtRequest::subscribe(id, endpoint, keys))
            .await
    }

    /// WEBPUSH create on this check's endpoint; a refusal is a failed setup.
    pub async fn create(
        &mut self,
        s: &mut Session,
    ) -> Result<(SubscriptionId, ExtOutcome), Problem> {
        let id = self.new_id();
        let keys = self.ep.keys.clone();
        let outcome = self
            .webpush(s, &id, Self::endpoint_of(&self.ep), &keys)
            .await?;
        if !outcome.is_ok() {
            return Err(Problem::Setup(format!(
                "WEBPUSH create was refused: {}",
                escape_line(&outcome.transcript.tagged)
            )));
        }
        Ok((id, outcome))
    }

    /// Logs an endpoint event as evidence.
    fn log_event(&self, ev: &Event) {
        for l in Self::describe(ev, &self.ep.handle.url) {
            push_line(&self.log, l);
        }
    }

    /// Another endpoint, with its own keys, where the server can reach it
    /// as it reaches the first (same address, another port).
    pub async fn second_endpoint(&self) -> Result<Ep, Problem> {
        let mut spec = self.options.endpoint.clone();
        if spec.public_url.is_some() {
            return Err(Problem::Skip(
                "needs a second endpoint, and --public-url names only one".into(),
            ));
        }
        if spec.tls == TlsChoice::SelfSigned {
            return Err(Problem::Skip(
                "needs a second endpoint the server trusts: give --tls-cert/--tls-key (a self-signed endpoint has a CA of its own)".into(),
            ));
        }
        spec.listen.set_port(0);
        let keys = Keys::generate().map_err(|e| Problem::Setup(e.to_string()))?;
        let started = crate::ops::endpoint::start(&spec, keys, self.vapid.clone(), None)
            .await
            .map_err(|e| Problem::Setup(format!("cannot start a second endpoint: {e}")))?;
        Ok(Ep {
            handle: started.handle,
            keys: started.keys,
        })
    }

    /// The next request that reached `ep`, with the instant it was read,
    /// or `None` after `wait`.
    pub async fn next_event_on(ep: &mut Ep, log: &Log, wait: Duration) -> Option<(Event, Instant)> {
        let ev = tokio::time::timeout(wait, ep.handle.events.recv())
            .await
            .ok()??;
        let at = Instant::now();
        for l in Ctx::describe(&ev, &ep.handle.url) {
            push_line(log, l);
        }
        Some((ev, at))
    }

    fn describe(ev: &Event, url: &str) -> Vec<String> {
        let mut out = Vec::new();
        match ev {
            Event::Push(p) => {
                let h = &p.headers;
                out.push(format!(
                    "HTTP POST {url} → {} ({}, TTL {}, Urgency {}, Topic {}, VAPID {})",
                    p.status,
                    p.encoding,
                    h.ttl.map_or("-".into(), |t| t.to_string()),
                    h.urgency.as_deref().unwrap_or("-"),
                    h.topic.as_deref().unwrap_or("-"),
                    if p.vapid.valid { "valid" } else { "invalid" }
                ));
                for line in p.plaintext.split_inclusive("\r\n") {
                    out.push(format!("Push: {}", escape_line(line)));
                }
            }
            Event::Rejected { status, reason, .. } => {
                out.push(format!("HTTP POST {url} → {status} refused: {reason}"));
            }
            _ => {}
        }
        out
    }

    /// The next request on this check's endpoint.
    pub async fn next_event(&mut self, wait: Duration) -> Option<(Event, Instant)> {
        let ev = tokio::time::timeout(wait, self.ep.handle.events.recv())
            .await
            .ok()??;
        let at = Instant::now();
        self.log_event(&ev);
        Some((ev, at))
    }

    /// The first request after a WEBPUSH: `None` when none came in time
    /// (or none came earlier in the run, so waiting again is pointless).
    pub async fn first_request(&mut self, wait: Duration) -> Option<(Event, Instant)> {
        use std::sync::atomic::Ordering;
        if self.no_token_push.load(Ordering::Relaxed) {
            self.note("(no token push came earlier in this run: not waiting again)");
            return None;
        }
        let ev = self.next_event(wait).await;
        if ev.is_none() {
            self.no_token_push.store(true, Ordering::Relaxed);
        }
        ev
    }

    /// The first request after WEBPUSH: it must carry the token.
    pub async fn token_push(&mut self) -> Result<(Box<PushEvent>, String), Problem> {
        let deadline = Instant::now() + PUSH_WAIT;
        let mut first = true;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let ev = if first {
                first = false;
                self.first_request(left).await
            } else {
                self.next_event(left).await
            };
            match ev {
                None => {
                    return Err(fail(
                        "a push carrying `* ACKWEBPUSH <token>` at the endpoint",
                        format!("no request within {} s", PUSH_WAIT.as_secs()),
                    ))
                }
                Some((Event::Push(p), _)) => match p.ack_token() {
                    Some(t) => {
                        let t = t.to_owned();
                        return Ok((p, t));
                    }
                    None => continue,
                },
                Some((Event::Rejected { status, reason, .. }, _)) => {
                    return Err(fail(
                        "a push the endpoint accepts (RFC 8291 encryption, VAPID with the GETVAPID key)",
                        format!("refused with {status}: {reason}"),
                    ))
                }
                Some(_) => continue,
            }
        }
    }

    /// A subscription made active: WEBPUSH, the token push, ACKWEBPUSH.
    /// Any step that goes wrong is a failed setup.
    pub async fn activate(&mut self, s: &mut Session) -> Result<SubscriptionId, Problem> {
        let (id, _) = self.create(s).await?;
        let (_, token) = self.token_push().await.map_err(setup("the token push"))?;
        let (outcome, active) = crate::ops::flow::acknowledge(s, &id, &token).await?;
        if !outcome.is_ok() {
            return Err(Problem::Setup(format!(
                "ACKWEBPUSH was refused: {}",
                escape_line(&outcome.transcript.tagged)
            )));
        }
        if !active {
            // Confirm with LWEBPUSH: the WEBPUSH response is a separate check.
            let l = self
                .ext(
                    s,
                    &ExtRequest::lwebpush(id.as_str(), false).expect("an ID is a pattern"),
                )
                .await?;
            if !l.subscription(&id).is_some_and(|i| i.is_active()) {
                return Err(Problem::Setup(
                    "the subscription is not active after ACKWEBPUSH".into(),
                ));
            }
        }
        Ok(id)
    }

    /// APPENDs a small message to the check mailbox; its UID (APPENDUID)
    /// is noted for removal.
    pub async fn append(&mut self, s: &mut Session, subject: &str) -> Result<(), Problem> {
        self.append_sized(s, subject, 0).await
    }

    /// Like [`Ctx::append`], with `extra` more bytes of body.
    pub async fn append_sized(
        &mut self,
        s: &mut Session,
        subject: &str,
        extra: usize,
    ) -> Result<(), Problem> {
        let mut msg = format!(
            "From: imapwebpush check <check@imapwebpush.invalid>\r\n\
             To: <check@imapwebpush.invalid>\r\n\
             Subject: {subject}\r\n\
             Message-ID: <{}@imapwebpush.invalid>\r\n\
             \r\n\
             A message the conformance check appends and removes.\r\n",
            crate::webpush::types::new_uuid_v4()
        );
        for _ in 0..extra / 76 {
            msg.push_str(&"x".repeat(74));
            msg.push_str("\r\n");
        }
        let mailbox = self.mailbox.clone();
        let r = s
            .run_args(&[
                Arg::Raw("APPEND"),
                Arg::AString(&mailbox),
                Arg::Literal(msg.as_bytes()),
            ])
            .await?;
        if !r.is_ok() {
            return Err(Problem::Setup(format!(
                "APPEND was refused: {}",
                escape_line(&r.tagged)
            )));
        }
        if let Some(uid) = r
            .line
            .code
            .as_deref()
            .and_then(|c| c.strip_prefix("APPENDUID "))
            .and_then(|c| c.split(' ').nth(1))
            .and_then(|u| u.parse().ok())
        {
            lock(&self.ledger.uids).push(uid);
        }
        Ok(())
    }

    /// The next push about a mailbox (not a token push), or a failure.
    pub async fn mailbox_push(&mut self, what: &str) -> Result<Box<PushEvent>, Problem> {
        let deadline = Instant::now() + PUSH_WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next_event(left).await {
                None => {
                    return Err(fail(
                        format!("a push after {what}"),
                        format!("no request within {} s", PUSH_WAIT.as_secs()),
                    ))
                }
                Some((Event::Push(p), _)) if p.ack_token().is_none() => return Ok(p),
                Some((Event::Rejected { status, reason, .. }, _)) => {
                    return Err(fail(
                        format!("a push after {what} that the endpoint accepts"),
                        format!("refused with {status}: {reason}"),
                    ))
                }
                Some(_) => continue,
            }
        }
    }

    /// Subscribes, appends a message, and returns the push it caused; a
    /// push that did not come or was refused is a failed setup.
    pub async fn new_mail_push(&mut self) -> Result<Box<PushEvent>, Problem> {
        self.new_mail_push_as_is()
            .await
            .map_err(setup("the new-mail push"))
    }

    /// Like [`Ctx::new_mail_push`], a refused push being a failure.
    pub async fn new_mail_push_as_is(&mut self) -> Result<Box<PushEvent>, Problem> {
        let mut s = self.open().await?;
        self.activate(&mut s).await?;
        self.append(&mut s, "imapwebpush check: new mail").await?;
        let p = self.mailbox_push("APPEND").await?;
        let _ = s.logout().await;
        Ok(p)
    }

    /// Asserts no request arrives within `wait`.
    pub async fn quiet(&mut self, wait: Duration, why: &str) -> Result<(), Problem> {
        match self.next_event(wait).await {
            None => Ok(()),
            Some((Event::Push(p), _)) => Err(fail(
                format!("no push {why}"),
                format!(
                    "a push arrived: {}",
                    escape_line(p.plaintext.lines().next().unwrap_or(""))
                ),
            )),
            Some((Event::Rejected { status, .. }, _)) => Err(fail(
                format!("no request {why}"),
                format!("a request arrived (answered {status})"),
            )),
            Some(_) => Ok(()),
        }
    }

    /// Whether any UIDFETCH, SYNC or FETCH is in a push.
    pub fn has_response(p: &PushEvent, f: impl Fn(&PushResponse) -> bool) -> bool {
        p.responses.iter().any(f)
    }
}

/// Maps a failure of a step a check builds on to a failed setup.
pub fn setup(step: &'static str) -> impl Fn(Problem) -> Problem {
    move |p| match p {
        Problem::Fail { actual, .. } => Problem::Setup(format!("{step}: {actual}")),
        other => other,
    }
}
