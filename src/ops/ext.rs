//! The five extension commands (draft §5) and CAPABILITY, run on an open
//! session and returned as values. A request is either a validated
//! [`Command`] or, for testing how a server answers bad input, a raw line
//! (`--raw`). The answer is judged here, once: the departures from the
//! draft it shows are typed [`Departure`]s in the outcome.

use std::fmt;

use colored::Colorize;
use serde::Serialize;

use crate::imap::{ImapError, Reply, Response, Session, Status, Untagged};
use crate::output::Transcript;
use crate::push::keys::Keys;
use crate::rules::Departure;
use crate::webpush::{
    AckToken, AuthSecret, Command, Endpoint, ExtResponse, FieldError, ListPattern, P256dh, Silence,
    Subscription, SubscriptionId, SubscriptionInfo, VapidKey,
};

/// An argument that does not follow the draft's grammar (§9).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what}: {error}")]
pub struct BadArgument {
    pub what: &'static str,
    #[source]
    pub error: FieldError,
}

impl BadArgument {
    pub const HINT: &'static str = "fix the argument, or pass --raw to send it unchecked";
}

fn field<T>(what: &'static str, r: Result<T, FieldError>) -> Result<T, BadArgument> {
    r.map_err(|error| BadArgument { what, error })
}

/// What to send: a command checked against the grammar, or a raw line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtRequest {
    Command(Command),
    /// Sent as it is, after the tag (`--raw`).
    Raw(String),
}

impl From<Command> for ExtRequest {
    fn from(c: Command) -> Self {
        Self::Command(c)
    }
}

impl ExtRequest {
    /// `GETVAPID`.
    pub fn getvapid() -> Self {
        Command::GetVapid.into()
    }

    /// `WEBPUSH <id> <endpoint> <p256dh> <auth>`, or `WEBPUSH <id> NIL`
    /// when `fields` is `None`.
    pub fn webpush(
        id: &str,
        fields: Option<(&str, &str, &str)>,
        raw: bool,
    ) -> Result<Self, BadArgument> {
        if raw {
            return Ok(Self::Raw(match fields {
                Some((e, p, a)) => format!("WEBPUSH {id} {e} {p} {a}"),
                None => format!("WEBPUSH {id} NIL"),
            }));
        }
        let id = field("subscription ID", SubscriptionId::parse(id))?;
        let subscription = match fields {
            Some((e, p, a)) => Some(Subscription {
                endpoint: field("endpoint", Endpoint::parse(e))?,
                p256dh: field("P256DH key", P256dh::parse(p))?,
                auth: field("auth secret", AuthSecret::parse(a))?,
            }),
            None => None,
        };
        Ok(Command::WebPush { id, subscription }.into())
    }

    /// `WEBPUSH <id> <endpoint> <p256dh> <auth>` for a subscriber's keys.
    pub fn subscribe(id: &SubscriptionId, endpoint: Endpoint, keys: &Keys) -> Self {
        Command::WebPush {
            id: id.clone(),
            subscription: Some(Subscription {
                endpoint,
                p256dh: keys.p256dh.clone(),
                auth: keys.auth.clone(),
            }),
        }
        .into()
    }

    /// `ACKWEBPUSH <token>`.
    pub fn ackwebpush(token: &str, raw: bool) -> Result<Self, BadArgument> {
        if raw {
            return Ok(Self::Raw(format!("ACKWEBPUSH {token}")));
        }
        Ok(Command::AckWebPush(field("token", AckToken::parse(token))?).into())
    }

    /// `LWEBPUSH <pattern>`.
    pub fn lwebpush(pattern: &str, raw: bool) -> Result<Self, BadArgument> {
        if raw {
            return Ok(Self::Raw(format!("LWEBPUSH {pattern}")));
        }
        Ok(Command::LWebPush(field("pattern", ListPattern::parse(pattern))?).into())
    }

    /// `SILWEBPUSH <id> <seconds|session>`.
    pub fn silwebpush(id: &str, duration: &str, raw: bool) -> Result<Self, BadArgument> {
        if raw {
            return Ok(Self::Raw(format!("SILWEBPUSH {id} {duration}")));
        }
        Ok(Command::SilWebPush(
            field("subscription ID", SubscriptionId::parse(id))?,
            field("duration", Silence::parse(duration))?,
        )
        .into())
    }

    /// The command line after the tag.
    pub fn line(&self) -> String {
        match self {
            Self::Command(c) => c.to_string(),
            Self::Raw(s) => s.clone(),
        }
    }

    fn is_getvapid(&self) -> bool {
        match self {
            Self::Command(c) => matches!(c, Command::GetVapid),
            Self::Raw(s) => s.trim().eq_ignore_ascii_case("GETVAPID"),
        }
    }
}

/// Sends `request` on `session` and reads the answer.
pub async fn run(session: &mut Session, request: &ExtRequest) -> Result<ExtOutcome, ImapError> {
    let reply = session.run(&request.line()).await?;
    Ok(ExtOutcome::judge(&reply, request.is_getvapid()))
}

/// The result of one of the five extension commands (PRODUCT.md's JSON).
#[derive(Debug, Clone, Serialize)]
pub struct ExtOutcome {
    /// The command as sent, without its tag.
    pub command: String,
    pub status: Status,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub vapid: Option<VapidKey>,
    pub subscriptions: Vec<SubscriptionInfo>,
    /// Untagged responses other than VAPID and WEBPUSH, verbatim.
    pub other: Vec<String>,
    /// Departures from the draft noticed in the answer.
    pub warnings: Vec<Departure>,
    /// The number of `* VAPID` responses (the draft asks for one).
    #[serde(skip)]
    pub vapid_count: usize,
    /// `* ACKWEBPUSH` tokens in the answer (a server may send one inline).
    #[serde(skip)]
    pub tokens: Vec<String>,
    #[serde(skip)]
    pub transcript: Transcript,
}

impl ExtOutcome {
    /// Reads an answer; `getvapid` says whether the command was GETVAPID
    /// (whose OK must carry a VAPID response).
    pub fn judge(r: &Reply, getvapid: bool) -> Self {
        let mut vapid = None;
        let mut subscriptions = Vec::new();
        let mut other = Vec::new();
        let mut warnings = Vec::new();
        let mut tokens = Vec::new();
        let mut vapids = 0;
        for f in &r.untagged {
            match &f.response {
                Response::Untagged(Untagged::Ext(ExtResponse::Vapid { key })) => {
                    vapids += 1;
                    vapid.get_or_insert_with(|| key.clone());
                }
                Response::Untagged(Untagged::Ext(ExtResponse::WebPush(info))) => {
                    if !info.endpoint.is_https() {
                        warnings.push(Departure::NonHttpsEndpoint {
                            id: info.id.to_string(),
                        });
                    }
                    subscriptions.push(info.clone());
                }
                Response::Untagged(Untagged::Ext(ExtResponse::AckWebPush { token })) => {
                    tokens.push(token.to_string());
                    other.push(f.raw.clone());
                }
                Response::Untagged(Untagged::Other { warning: Some(w) }) => {
                    warnings.push(Departure::Malformed { detail: w.clone() });
                    other.push(f.raw.clone());
                }
                _ => other.push(f.raw.clone()),
            }
        }
        if vapids > 1 {
            warnings.push(Departure::SeveralVapid { count: vapids });
        }
        if getvapid && r.is_ok() && vapids == 0 {
            warnings.push(Departure::GetVapidWithoutVapid);
        }
        let command = r
            .command
            .split_once(' ')
            .map_or(r.command.as_str(), |(_, c)| c)
            .to_owned();
        let mut transcript = Transcript::from_reply(r);
        transcript.highlight = vec!["WEBPUSH", "VAPID"];
        Self {
            command,
            status: r.line.status,
            text: r.line.text.clone(),
            code: r.line.code.clone(),
            vapid,
            subscriptions,
            other,
            warnings,
            vapid_count: vapids,
            tokens,
            transcript,
        }
    }

    pub fn is_ok(&self) -> bool {
        self.status == Status::Ok
    }

    /// The subscription with this ID in the answer, if any.
    pub fn subscription(&self, id: &SubscriptionId) -> Option<&SubscriptionInfo> {
        self.subscriptions.iter().find(|s| &s.id == id)
    }
}

impl fmt::Display for ExtOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.transcript.fmt(f)?;
        for w in &self.warnings {
            writeln!(f, "{} {w}", "warning:".yellow().bold())?;
        }
        Ok(())
    }
}

/// Asks for the capabilities again (after login they may change).
pub async fn capability(session: &mut Session) -> Result<CapabilityOutcome, ImapError> {
    let reply = session.refresh_capabilities().await?;
    let mut transcript = Transcript::from_reply(&reply);
    transcript.highlight = vec!["WEBPUSH"];
    Ok(CapabilityOutcome {
        status: reply.line.status,
        capabilities: session.capabilities().to_vec(),
        webpush: session.has_capability("WEBPUSH"),
        authenticated: session.is_authenticated(),
        tls: session.is_tls(),
        transcript,
    })
}

/// The result of `capability`.
#[derive(Debug, Clone, Serialize)]
pub struct CapabilityOutcome {
    #[serde(skip)]
    pub status: Status,
    pub capabilities: Vec<String>,
    pub webpush: bool,
    pub authenticated: bool,
    pub tls: bool,
    #[serde(skip)]
    pub transcript: Transcript,
}

impl fmt::Display for CapabilityOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.transcript.fmt(f)?;
        if self.webpush {
            writeln!(f, "{}", "WEBPUSH is advertised.".green().bold())
        } else if self.authenticated {
            writeln!(f, "{}", "WEBPUSH is not advertised.".red().bold())
        } else {
            writeln!(
                f,
                "{}",
                "WEBPUSH is not advertised before login; pass --user to see the capabilities after it."
                    .yellow()
            )
        }
    }
}
