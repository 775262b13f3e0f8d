//! The five extension commands (draft §5) as subcommands: each opens a
//! session, runs one [`ExtRequest`] through [`ops::ext`], prints the
//! exchange and logs out. Arguments are checked against the §9 grammar
//! before anything is sent; `--raw` skips that, to test how a server
//! answers bad input. The REPL parses its lines with these same structs.

use clap::Args;

use crate::exit::Exit;
use crate::ops::ext::{self, ExtOutcome, ExtRequest};
use crate::ops::Login;
use crate::output;

use super::Context;

/// `--raw`, shared by the commands that take arguments.
#[derive(Debug, Clone, Copy, Args)]
pub struct RawArg {
    /// Send the arguments without checking them (to test a server's BAD handling)
    #[arg(long)]
    pub raw: bool,
}

#[derive(Debug, Clone, Args)]
pub struct GetvapidArgs {
    /// Also draw the key as a QR code
    #[arg(long)]
    pub qr: bool,
}

#[derive(Debug, Clone, Args)]
pub struct WebpushArgs {
    /// Subscription ID (an IMAP atom; a UUID is usual)
    #[arg(value_name = "ID")]
    pub id: String,
    /// Push endpoint URL (https)
    #[arg(value_name = "ENDPOINT", required_unless_present = "delete")]
    pub endpoint: Option<String>,
    /// User agent public key: 87 base64url characters, uncompressed P-256
    #[arg(value_name = "P256DH", required_unless_present = "delete")]
    pub p256dh: Option<String>,
    /// Authentication secret: 22 base64url characters (16 bytes)
    #[arg(value_name = "AUTH", required_unless_present = "delete")]
    pub auth: Option<String>,
    /// Delete the subscription (sends WEBPUSH <ID> NIL)
    #[arg(long, conflicts_with_all = ["endpoint", "p256dh", "auth"])]
    pub delete: bool,
    #[command(flatten)]
    pub raw: RawArg,
}

#[derive(Debug, Clone, Args)]
pub struct AckwebpushArgs {
    /// The token of the ACKWEBPUSH push
    #[arg(value_name = "TOKEN")]
    pub token: String,
    #[command(flatten)]
    pub raw: RawArg,
}

#[derive(Debug, Clone, Args)]
pub struct LwebpushArgs {
    /// A subscription ID, or a pattern with * and %
    #[arg(value_name = "PATTERN", default_value = "*")]
    pub pattern: String,
    #[command(flatten)]
    pub raw: RawArg,
}

#[derive(Debug, Clone, Args)]
pub struct SilwebpushArgs {
    /// Subscription ID
    #[arg(value_name = "ID")]
    pub id: String,
    /// Seconds, or "session"
    #[arg(value_name = "SECONDS|session")]
    pub duration: String,
    #[command(flatten)]
    pub raw: RawArg,
}

impl WebpushArgs {
    pub fn request(&self) -> Result<ExtRequest, ext::BadArgument> {
        let fields = match (&self.endpoint, &self.p256dh, &self.auth, self.delete) {
            (Some(e), Some(p), Some(a), false) => Some((e.as_str(), p.as_str(), a.as_str())),
            _ => None,
        };
        ExtRequest::webpush(&self.id, fields, self.raw.raw)
    }
}

impl AckwebpushArgs {
    pub fn request(&self) -> Result<ExtRequest, ext::BadArgument> {
        ExtRequest::ackwebpush(&self.token, self.raw.raw)
    }
}

impl LwebpushArgs {
    pub fn request(&self) -> Result<ExtRequest, ext::BadArgument> {
        ExtRequest::lwebpush(&self.pattern, self.raw.raw)
    }
}

impl SilwebpushArgs {
    pub fn request(&self) -> Result<ExtRequest, ext::BadArgument> {
        ExtRequest::silwebpush(&self.id, &self.duration, self.raw.raw)
    }

    /// Whether this silences "for this session" (which a one-shot command
    /// ends as soon as it exits).
    pub fn is_session(&self) -> bool {
        self.duration.eq_ignore_ascii_case("session")
    }
}

/// Runs one request in its own session, prints the exchange, and maps
/// NO/BAD (or a departure that leaves nothing usable) to exit 1.
async fn send(cx: &Context, request: &ExtRequest) -> anyhow::Result<ExtOutcome> {
    let mut session = cx.connect_spec()?.open(Login::Required).await?;
    let outcome = ext::run(&mut session, request).await?;
    cx.out.show(&outcome)?;
    session.logout().await?;
    Ok(outcome)
}

pub async fn getvapid(cx: &Context, a: &GetvapidArgs) -> anyhow::Result<Exit> {
    let outcome = send(cx, &ExtRequest::getvapid()).await?;
    if outcome.is_ok() && outcome.vapid.is_none() {
        return Ok(Exit::Failure);
    }
    if let (true, Some(key)) = (a.qr, &outcome.vapid) {
        cx.out.text(&output::qr(key.as_str()))?;
    }
    Ok(Exit::from_ok(outcome.is_ok()))
}

pub async fn webpush(cx: &Context, a: &WebpushArgs) -> anyhow::Result<Exit> {
    let outcome = send(cx, &a.request()?).await?;
    if outcome.code.as_deref() == Some("LIMIT") {
        cx.diag.warn(&"the server holds as many subscriptions as it allows for this account: list them with `imapwebpush lwebpush`, then remove old ones with `imapwebpush webpush ID --delete`");
    }
    Ok(Exit::from_ok(outcome.is_ok()))
}

pub async fn ackwebpush(cx: &Context, a: &AckwebpushArgs) -> anyhow::Result<Exit> {
    Ok(Exit::from_ok(send(cx, &a.request()?).await?.is_ok()))
}

pub async fn lwebpush(cx: &Context, a: &LwebpushArgs) -> anyhow::Result<Exit> {
    Ok(Exit::from_ok(send(cx, &a.request()?).await?.is_ok()))
}

pub async fn silwebpush(cx: &Context, a: &SilwebpushArgs) -> anyhow::Result<Exit> {
    let request = a.request()?;
    let outcome = send(cx, &request).await?;
    if a.is_session() && outcome.is_ok() {
        cx.diag.warn(&"`session` silences for as long as this connection lasts, and this command's connection has just ended: nothing stays silenced (use `imapwebpush repl` to keep a session open)");
    }
    Ok(Exit::from_ok(outcome.is_ok()))
}
