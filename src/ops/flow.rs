//! The subscription flow of PRODUCT.md (`subscribe`): ENABLE, GETVAPID,
//! WEBPUSH, wait for the push carrying the ACKWEBPUSH token, ACKWEBPUSH,
//! then stream. Each step is a function on an open session that returns a
//! typed result (the REPL calls them one at a time, between the lines a
//! user types); [`Flow`] strings them together with an endpoint and
//! reports every step as a [`FlowEvent`] to whoever renders it
//! (`subscribe`, `demo`, the REPL).

use std::fmt;
use std::time::{Duration, Instant};

use colored::Colorize;
use serde::Serialize;

use crate::endpoint::{EndpointHandle, Event, PushEvent};
use crate::imap::{ImapError, Session, Status, Untagged};
use crate::output::Transcript;
use crate::push::keys::Keys;
use crate::rules::Departure;
use crate::webpush::{Command, Endpoint, SubscriptionId, VapidKey};

use super::ext::{self, ExtOutcome, ExtRequest};

/// Why the flow stopped.
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    /// The connection failed (exit 2).
    #[error(transparent)]
    Imap(#[from] ImapError),
    /// The server answered NO or BAD (exit 1).
    #[error("{command} refused: {tagged}")]
    Refused {
        command: &'static str,
        tagged: String,
    },
    /// The server broke a rule the flow cannot go on without (exit 1).
    #[error("{0}")]
    Broke(Departure),
    /// No push with the token came in time (exit 1). `rejected` is the
    /// reason the endpoint refused what did arrive, if anything did.
    #[error("{}", no_token_message(.endpoint, .rejected.as_deref()))]
    NoTokenPush {
        endpoint: String,
        waited: Duration,
        rejected: Option<String>,
    },
}

fn no_token_message(endpoint: &str, rejected: Option<&str>) -> String {
    match rejected {
        Some(why) => format!(
            "a push reached {endpoint} but was refused ({why}), and no acceptable push with the ACKWEBPUSH token came"
        ),
        None => format!("the confirmation push did not arrive at {endpoint}"),
    }
}

impl FlowError {
    /// The next step to suggest.
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Imap(e) => e.hint().map(str::to_owned),
            Self::Refused { command: "GETVAPID", .. } => {
                Some("does the server advertise WEBPUSH? see: imapwebpush capability".to_owned())
            }
            Self::Refused { .. } => None,
            Self::Broke(_) => Some("check the server with: imapwebpush check".to_owned()),
            Self::NoTokenPush {
                rejected: Some(_), ..
            } => Some(
                "the server's push does not pass the endpoint's checks: run `imapwebpush check` against the server, or `imapwebpush listen` to see each request".to_owned(),
            ),
            Self::NoTokenPush { .. } => Some(NO_ACK_PUSH_HINT.to_owned()),
        }
    }

    /// Whether the server is at fault (exit 1) rather than the connection
    /// (exit 2).
    pub fn is_server_answer(&self) -> bool {
        !matches!(self, Self::Imap(_))
    }
}

/// What to say when the confirmation push does not come.
pub const NO_ACK_PUSH_HINT: &str = "check that the server can reach the endpoint (a loopback address is reachable only from this machine: use --listen 0.0.0.0:PORT with --public-url, or a tunnel), that the endpoint is https (the draft requires it: try --tls-self-signed and make the server trust the CA file it prints), and run with -v to see the exchange";

/// `ENABLE caps…`: what the server said it enabled.
pub async fn enable(
    session: &mut Session,
    caps: &[String],
) -> Result<(Transcript, Vec<String>, Vec<Departure>), ImapError> {
    let reply = session.run(&format!("ENABLE {}", caps.join(" "))).await?;
    let enabled: Vec<String> = reply
        .responses()
        .filter_map(|u| match u {
            Untagged::Enabled(c) => Some(c.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    let missing = caps
        .iter()
        .filter(|c| !enabled.iter().any(|e| e.eq_ignore_ascii_case(c)))
        .map(|c| Departure::NotEnabled {
            capability: c.clone(),
        })
        .collect();
    Ok((Transcript::from_reply(&reply), enabled, missing))
}

/// GETVAPID: the key pushes must be signed with.
pub async fn getvapid(session: &mut Session) -> Result<(ExtOutcome, VapidKey), FlowError> {
    let outcome = ext::run(session, &ExtRequest::getvapid()).await?;
    if !outcome.is_ok() {
        return Err(FlowError::Refused {
            command: "GETVAPID",
            tagged: outcome.transcript.tagged.clone(),
        });
    }
    match outcome.vapid.clone() {
        Some(k) => Ok((outcome, k)),
        None => Err(FlowError::Broke(Departure::GetVapidWithoutVapid)),
    }
}

/// WEBPUSH create (or update) with these keys at `endpoint`. The answer's
/// departures include the §5.2 responses an inactive subscription must get.
pub async fn create(
    session: &mut Session,
    id: &SubscriptionId,
    endpoint: Endpoint,
    keys: &Keys,
) -> Result<ExtOutcome, FlowError> {
    let request = ExtRequest::subscribe(id, endpoint, keys);
    let mut outcome = ext::run(session, &request).await?;
    if !outcome.is_ok() {
        return Err(FlowError::Refused {
            command: "WEBPUSH",
            tagged: outcome.transcript.tagged.clone(),
        });
    }
    judge_created(&mut outcome, id);
    Ok(outcome)
}

/// §5.2: after a create (or an update that changed a field) the
/// subscription is inactive, shown as `* WEBPUSH <id> … NIL`, with a
/// `* VAPID`; showing it active is worse than not showing it.
pub fn judge_created(outcome: &mut ExtOutcome, id: &SubscriptionId) {
    let sid = id.to_string();
    match outcome.subscription(id).map(|s| s.is_active()) {
        Some(true) => outcome
            .warnings
            .push(Departure::ActiveBeforeAck { id: sid.clone() }),
        Some(false) => {}
        None => outcome
            .warnings
            .push(Departure::NoInactiveWebPush { id: sid.clone() }),
    }
    if outcome.vapid_count == 0 {
        outcome
            .warnings
            .push(Departure::NoVapidOnWebPush { id: sid });
    }
}

/// ACKWEBPUSH with a token; whether the subscription is then active.
pub async fn acknowledge(
    session: &mut Session,
    id: &SubscriptionId,
    token: &str,
) -> Result<(ExtOutcome, bool), ImapError> {
    // The token came from a push: send it as it came (a server's token
    // that is not an atom is the server's problem to answer).
    let request = ExtRequest::ackwebpush(token, false)
        .unwrap_or_else(|_| ExtRequest::Raw(format!("ACKWEBPUSH {token}")));
    let mut outcome = ext::run(session, &request).await?;
    let active = outcome.subscription(id).is_some_and(|s| s.is_active());
    if outcome.is_ok() && !active {
        outcome
            .warnings
            .push(Departure::AckNotActive { id: id.to_string() });
    }
    Ok((outcome, active))
}

/// WEBPUSH <id> NIL.
pub async fn delete(session: &mut Session, id: &SubscriptionId) -> Result<ExtOutcome, ImapError> {
    let request = ExtRequest::Command(Command::WebPush {
        id: id.clone(),
        subscription: None,
    });
    ext::run(session, &request).await
}

/// One step of the flow, as it happened.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum FlowEvent {
    /// Logged in, with the endpoint ready.
    Connected { server: String, endpoint: String },
    /// A command and its answer, as the draft writes them.
    #[serde(skip)]
    Exchange(Transcript),
    /// ENABLE's result.
    Enabled {
        requested: Vec<String>,
        enabled: Vec<String>,
    },
    /// GETVAPID's key, now pinned on the endpoint.
    Vapid { key: String },
    /// WEBPUSH answered OK: the subscription exists, inactive.
    Subscribed { id: String, endpoint: String },
    /// The push with the ACKWEBPUSH token arrived and decrypted.
    Token { token: String },
    /// ACKWEBPUSH's answer.
    #[serde(rename = "ack")]
    Acked {
        token: String,
        status: Status,
        #[serde(skip)]
        active: bool,
        #[serde(skip)]
        tagged: String,
    },
    /// `--no-ack`: the subscription stays inactive.
    NotAcked { id: String },
    /// Notifications now stream.
    Streaming,
    /// WEBPUSH <id> NIL's answer.
    Deleted { id: String, ok: bool },
    /// A rule of the draft the server broke on the way.
    Departure {
        section: &'static str,
        level: crate::rules::Level,
        #[serde(rename = "warning")]
        departure: Departure,
    },
    /// A line of explanation (the demo's narration).
    #[serde(skip)]
    Note(String),
    /// A step said in words (the demo's, and failures before an error).
    #[serde(skip)]
    Step { ok: bool, text: String },
    /// A request reached the endpoint (push or rejected).
    #[serde(untagged)]
    Endpoint(Event),
}

impl FlowEvent {
    pub fn departure(d: Departure) -> Self {
        Self::Departure {
            section: d.section(),
            level: d.level(),
            departure: d,
        }
    }

    /// Whether `--json` shows this event (the stream events of
    /// PRODUCT.md; narration is for people).
    pub fn in_json(&self) -> bool {
        matches!(
            self,
            Self::Endpoint(_)
                | Self::Acked { .. }
                | Self::Subscribed { .. }
                | Self::Departure { .. }
                | Self::Deleted { .. }
                | Self::NotAcked { .. }
        )
    }
}

/// A flow event with the time since the flow started, as people see it:
/// `[    12.3 ms] ✓ what happened`, exchanges indented under their step.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Timed {
    #[serde(skip)]
    pub elapsed: Duration,
    pub event: FlowEvent,
}

const INDENT: &str = "                ";

impl fmt::Display for Timed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.elapsed.as_secs_f64() * 1000.0;
        let step = |f: &mut fmt::Formatter<'_>, ok: bool, text: &dyn fmt::Display| {
            let mark = if ok {
                "✓".green().bold()
            } else {
                "✗".red().bold()
            };
            writeln!(f, "{} {mark} {text}", format!("[{ms:>8.1} ms]").dimmed())
        };
        match &self.event {
            FlowEvent::Connected { endpoint, .. } => step(
                f,
                true,
                &format_args!("connected and logged in; endpoint {endpoint}"),
            ),
            FlowEvent::Exchange(t) => {
                for line in t.to_string().lines() {
                    writeln!(f, "{INDENT}{line}")?;
                }
                Ok(())
            }
            FlowEvent::Enabled { requested, enabled } => {
                if enabled.is_empty() {
                    step(
                        f,
                        false,
                        &format_args!("ENABLE {}: nothing was enabled", requested.join(" ")),
                    )
                } else {
                    step(f, true, &format_args!("ENABLE {}", enabled.join(" ")))
                }
            }
            FlowEvent::Vapid { key } => step(
                f,
                true,
                &format_args!("GETVAPID: the server signs pushes with {key}"),
            ),
            FlowEvent::Subscribed { id, .. } => step(
                f,
                true,
                &format_args!("WEBPUSH: subscription {id} created, waiting for its confirmation"),
            ),
            FlowEvent::Endpoint(e) => writeln!(f, "{e}"),
            FlowEvent::Token { token } => step(
                f,
                true,
                &format_args!("the ACKWEBPUSH push arrived, VAPID verified against the GETVAPID key, decrypted: token {token}"),
            ),
            FlowEvent::Acked {
                active,
                status,
                tagged,
                ..
            } => match (status, active) {
                (Status::Ok, true) => step(f, true, &"ACKWEBPUSH: the subscription is active"),
                (Status::Ok, false) => step(
                    f,
                    false,
                    &"ACKWEBPUSH answered OK but no `* WEBPUSH <id> … 0` showed it active (draft §5.3)",
                ),
                _ => step(
                    f,
                    false,
                    &format_args!("ACKWEBPUSH refused: {}", crate::output::escape_line(tagged)),
                ),
            },
            FlowEvent::NotAcked { .. } => step(
                f,
                true,
                &"--no-ack: not confirming; the subscription stays inactive",
            ),
            FlowEvent::Streaming => step(f, true, &"streaming notifications (Ctrl-C to stop)"),
            FlowEvent::Deleted { id, ok } => step(
                f,
                *ok,
                &format_args!("WEBPUSH {id} NIL: subscription deleted"),
            ),
            FlowEvent::Departure {
                section,
                level,
                departure,
            } => step(
                f,
                false,
                &format_args!(
                    "{} {departure} [§{section} {level}]",
                    "the server departs from the draft:".yellow().bold()
                ),
            ),
            FlowEvent::Note(text) => writeln!(f, "{INDENT}{text}"),
            FlowEvent::Step { ok, text } => step(f, *ok, text),
        }
    }
}

/// Receives the flow's events.
pub type Sink<'a> = &'a mut (dyn FnMut(Timed) + Send);

/// The steps of a subscription over one session and one endpoint, each
/// reported to `sink` as it happens.
pub struct Flow<'a> {
    pub session: &'a mut Session,
    pub endpoint: &'a mut EndpointHandle,
    pub started: Instant,
    pub sink: Sink<'a>,
    /// The last reason the endpoint refused a request, if any.
    pub last_rejection: Option<String>,
}

impl<'a> Flow<'a> {
    pub fn new(
        session: &'a mut Session,
        endpoint: &'a mut EndpointHandle,
        started: Instant,
        sink: Sink<'a>,
    ) -> Self {
        Self {
            session,
            endpoint,
            started,
            sink,
            last_rejection: None,
        }
    }

    /// Reports an event.
    pub fn emit(&mut self, event: FlowEvent) {
        (self.sink)(Timed {
            elapsed: self.started.elapsed(),
            event,
        });
    }

    fn exchange(&mut self, t: &Transcript) {
        self.emit(FlowEvent::Exchange(t.clone()));
    }

    fn departures(&mut self, ds: &[Departure]) {
        for d in ds {
            self.emit(FlowEvent::departure(d.clone()));
        }
    }

    pub fn note(&mut self, text: impl Into<String>) {
        self.emit(FlowEvent::Note(text.into()));
    }

    /// A step said in words.
    pub fn step(&mut self, ok: bool, text: impl Into<String>) {
        self.emit(FlowEvent::Step {
            ok,
            text: text.into(),
        });
    }

    /// ENABLE, when capabilities are asked for.
    pub async fn enable(&mut self, caps: &[String]) -> Result<(), FlowError> {
        if caps.is_empty() {
            return Ok(());
        }
        let (t, enabled, missing) = enable(self.session, caps).await?;
        self.exchange(&t);
        self.emit(FlowEvent::Enabled {
            requested: caps.to_vec(),
            enabled,
        });
        self.departures(&missing);
        Ok(())
    }

    /// GETVAPID, and pins its key on the endpoint.
    pub async fn getvapid(&mut self) -> Result<VapidKey, FlowError> {
        let result = getvapid(self.session).await;
        match &result {
            Ok((outcome, _)) => self.exchange(&outcome.transcript.clone()),
            Err(FlowError::Broke(d)) => self.emit(FlowEvent::departure(d.clone())),
            Err(_) => {}
        }
        let (outcome, key) = result?;
        self.departures(&outcome.warnings);
        self.endpoint.expect_vapid(key.clone());
        self.emit(FlowEvent::Vapid {
            key: key.to_string(),
        });
        Ok(key)
    }

    /// WEBPUSH create, with this endpoint's URL and `keys`.
    pub async fn webpush(&mut self, id: &SubscriptionId, keys: &Keys) -> Result<(), FlowError> {
        let endpoint =
            Endpoint::parse_allowing_http(&self.endpoint.url).map_err(|e| ImapError::BadUrl {
                url: self.endpoint.url.clone(),
                reason: e.to_string(),
            })?;
        match create(self.session, id, endpoint, keys).await {
            Ok(outcome) => {
                self.exchange(&outcome.transcript);
                self.emit(FlowEvent::Subscribed {
                    id: id.to_string(),
                    endpoint: self.endpoint.url.clone(),
                });
                self.departures(&outcome.warnings);
                Ok(())
            }
            Err(FlowError::Refused { command, tagged }) => {
                self.emit(FlowEvent::Step {
                    ok: false,
                    text: format!("WEBPUSH refused: {}", crate::output::escape_line(&tagged)),
                });
                Err(FlowError::Refused { command, tagged })
            }
            Err(e) => Err(e),
        }
    }

    /// The next push, reporting every request on the way; `None` when
    /// nothing acceptable arrives within `wait`.
    pub async fn next_push(&mut self, wait: Duration) -> Option<Box<PushEvent>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let ev = tokio::time::timeout_at(deadline, self.endpoint.events.recv())
                .await
                .ok()??;
            if let Event::Rejected { reason, .. } = &ev {
                self.last_rejection = Some(reason.clone());
            }
            let push = match &ev {
                Event::Push(p) => Some(p.clone()),
                _ => None,
            };
            self.emit(FlowEvent::Endpoint(ev));
            if push.is_some() {
                return push;
            }
        }
    }

    /// Waits for the push carrying `* ACKWEBPUSH <token>`.
    pub async fn await_token(&mut self, wait: Duration) -> Result<String, FlowError> {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(push) = self.next_push(left).await else {
                self.emit(FlowEvent::Step {
                    ok: false,
                    text: format!(
                        "no push with the ACKWEBPUSH token within {} s",
                        wait.as_secs()
                    ),
                });
                return Err(FlowError::NoTokenPush {
                    endpoint: self.endpoint.url.clone(),
                    waited: wait,
                    rejected: self.last_rejection.clone(),
                });
            };
            if let Some(token) = push.ack_token() {
                self.emit(FlowEvent::Token {
                    token: token.to_owned(),
                });
                return Ok(token.to_owned());
            }
        }
    }

    /// ACKWEBPUSH; whether the subscription is then active.
    pub async fn ack(&mut self, id: &SubscriptionId, token: &str) -> Result<bool, FlowError> {
        let (outcome, active) = acknowledge(self.session, id, token).await?;
        self.exchange(&outcome.transcript);
        self.emit(FlowEvent::Acked {
            token: token.to_owned(),
            status: outcome.status,
            active,
            tagged: outcome.transcript.tagged.clone(),
        });
        // AckNotActive is already said by the `Acked` line.
        let others: Vec<Departure> = outcome
            .warnings
            .iter()
            .filter(|d| !matches!(d, Departure::AckNotActive { .. }))
            .cloned()
            .collect();
        self.departures(&others);
        Ok(outcome.is_ok() && active)
    }

    /// WEBPUSH <id> NIL.
    pub async fn delete(&mut self, id: &SubscriptionId) -> Result<(), FlowError> {
        let outcome = delete(self.session, id).await?;
        self.exchange(&outcome.transcript);
        self.emit(FlowEvent::Deleted {
            id: id.to_string(),
            ok: outcome.is_ok(),
        });
        Ok(())
    }
}
