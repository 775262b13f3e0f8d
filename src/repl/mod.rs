//! The REPL (`imapwebpush repl`): one IMAP connection kept open, the
//! subcommands' operations run on it line by line, and a push endpoint in
//! the background whose pushes print as they arrive.
//!
//! Lines are read on their own thread ([`input`]: rustyline on a
//! terminal, plain lines from a pipe) and parsed by the subcommands' own
//! clap structs ([`command`]). One async loop owns the session and the
//! endpoint and waits on whichever comes first: the next line, a request at
//! the endpoint, a response the server sends between commands, the
//! confirmation push's deadline, or the keepalive. So `subscribe` returns at
//! once, and the ACKWEBPUSH for its token push (draft §5.3) is sent from
//! this loop, between the user's commands.
//!
//! Output goes through two [`Printer`]s: on a terminal their writer is the
//! line editor's external printer (text printed above the prompt, the line
//! being typed redrawn); from a pipe they are stdout and stderr, flushed per
//! result and per push.

pub mod command;
pub mod complete;
pub mod input;
pub mod outcome;
pub mod words;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::commands::subscribe::render;
use crate::endpoint::Event;
use crate::exit::{report, Exit, Failed, UsageError};
use crate::imap::{Arg, ImapError, Response, Session, Status, Untagged};
use crate::ops::endpoint::{load_or_create_keys, start, Started};
use crate::ops::ext::{self, ExtOutcome, ExtRequest};
use crate::ops::flow::{Flow, FlowError, FlowEvent, Timed};
use crate::ops::interrupt::Interrupt;
use crate::ops::{ConnectSpec, Login};
use crate::output::Printer;
use crate::push::keys::Keys;
use crate::webpush::{ExtResponse, SubscriptionId, VapidKey};

use command::ReplCommand;
use input::Input;
use outcome::{ImapOutcome, Note, Unsolicited};

/// Keeps the connection from the server's inactivity autologout (RFC 9051:
/// at least 30 minutes).
const KEEPALIVE: Duration = Duration::from_secs(5 * 60);
/// How long cleaning up and logging out may take after Ctrl-C stopped a
/// script (a second Ctrl-C gives up at once).
const STOP_GRACE: Duration = Duration::from_secs(5);

/// Largest file `append` reads.
const MAX_APPEND: u64 = 32 << 20;

/// How the REPL was started.
pub struct Options {
    /// Keys file for `listen`, `subscribe` and `keys` when they name none.
    pub keys: Option<PathBuf>,
    pub json: bool,
    /// Colour for results and for diagnostics.
    pub color: (bool, bool),
    /// Start with the protocol trace on (`-v`).
    pub trace: bool,
}

/// Where lines come from and where output goes.
pub struct Io {
    pub lines: mpsc::Receiver<Input>,
    /// Set on a terminal: the line editor shows a prompt when sent one.
    pub prompts: Option<std::sync::mpsc::Sender<String>>,
    pub out: Printer,
    pub diag: Printer,
}

/// The endpoint running in the background.
struct Endpoint {
    started: Started,
    /// Stop after this many pushes (`--count`).
    count: Option<u64>,
    pushes: u64,
}

/// A `subscribe` waiting for its confirmation push.
struct Pending {
    id: SubscriptionId,
    since: Instant,
    deadline: tokio::time::Instant,
    no_ack: bool,
    endpoint: String,
}

/// The selected mailbox.
struct Selected {
    name: String,
    read_only: bool,
}

enum Control {
    Continue,
    Quit,
}

/// What woke the loop up.
enum Wake {
    Input(Input),
    /// Ctrl-C (SIGINT) while no command runs: only a script gets it (a
    /// session is interactive when stdin and stdout are both terminals);
    /// at an interactive prompt the line editor reads Ctrl-C as a key.
    Interrupt,
    Endpoint(Option<Event>),
    Server(Result<crate::imap::Frame, ImapError>),
    Keepalive,
    TokenDeadline,
}

pub struct Repl {
    spec: ConnectSpec,
    session: Option<Session>,
    selected: Option<Selected>,
    endpoint: Option<Endpoint>,
    vapid: Option<VapidKey>,
    pending: Option<Pending>,
    /// The last subscription created with `webpush`, for its token push.
    awaiting: Option<SubscriptionId>,
    autoack: bool,
    trace: Arc<AtomicBool>,
    known: complete::Shared,
    keys: Option<PathBuf>,
    /// Deleted at the end (`subscribe --unsubscribe-on-exit`).
    cleanup: Vec<SubscriptionId>,
    out: Printer,
    diag: Printer,
    /// Whether any command got NO or BAD, or failed.
    failed: bool,
}

/// The trace switch and the tracer factory that honours it.
pub fn tracer(trace: Arc<AtomicBool>, diag: Printer) -> crate::ops::connect::TraceFactory {
    Arc::new(move || {
        let trace = trace.clone();
        let diag = diag.clone();
        Box::new(move |dir, line: &str| {
            if trace.load(Ordering::Relaxed) {
                diag.trace(dir, line);
            }
        }) as crate::imap::Tracer
    })
}

impl Repl {
    /// Connects and logs in (exit 2 on failure, as the subcommands).
    pub async fn connect(
        mut spec: ConnectSpec,
        opts: &Options,
        known: complete::Shared,
        out: Printer,
        diag: Printer,
    ) -> anyhow::Result<Self> {
        let trace = Arc::new(AtomicBool::new(opts.trace));
        spec.trace = Some(tracer(trace.clone(), diag.clone()));
        let session = spec.open(Login::Required).await?;
        let mut repl = Self {
            spec,
            session: Some(session),
            selected: None,
            endpoint: None,
            vapid: None,
            pending: None,
            awaiting: None,
            autoack: true,
            trace,
            known,
            keys: opts.keys.clone(),
            cleanup: Vec::new(),
            out,
            diag,
            failed: false,
        };
        repl.learn_mailboxes().await;
        Ok(repl)
    }

    /// Reads and runs lines until the end of input or `quit`; the status is
    /// 1 if any command failed (for scripts).
    pub async fn run(mut self, mut io: Io) -> Exit {
        let _ = self.out.text(&Note::new(format!(
            "connected to {} as {}; `help` lists the commands, Ctrl-D leaves",
            self.spec.addr(),
            self.spec.user.as_deref().unwrap_or("-")
        )));
        let mut keepalive = tokio::time::interval(KEEPALIVE);
        keepalive.reset();
        let interactive = io.prompts.is_some();
        let mut interrupt = Interrupt::watch();
        // Set when Ctrl-C stopped a script; `Some(true)` if a command was
        // running, which leaves its connection in an unknown state.
        let mut stopped: Option<bool> = None;
        'lines: loop {
            if let Some(p) = &io.prompts {
                if p.send(self.prompt()).is_err() {
                    break;
                }
            }
            loop {
                let wake = tokio::select! {
                    i = io.lines.recv() => Wake::Input(i.unwrap_or(Input::Eof)),
                    e = next_event(&mut self.endpoint) => Wake::Endpoint(e),
                    f = unsolicited(&mut self.session) => Wake::Server(f),
                    _ = keepalive.tick() => Wake::Keepalive,
                    _ = deadline(&self.pending) => Wake::TokenDeadline,
                    _ = interrupt.wait() => Wake::Interrupt,
                };
                match wake {
                    // A line read as Ctrl-C came is not run.
                    Wake::Input(Input::Line(_)) if !interactive && interrupt.pressed() => {
                        stopped = Some(false);
                        break 'lines;
                    }
                    Wake::Input(Input::Line(line)) => {
                        // Ctrl-C stops the command where it is (checked
                        // first: a command polled once may already have
                        // written to the server).
                        let done = tokio::select! {
                            biased;
                            _ = interrupt.wait() => None,
                            c = self.execute(&line) => Some(c),
                        };
                        match done {
                            Some(Control::Quit) => break 'lines,
                            Some(Control::Continue) => continue 'lines,
                            None if interactive => {
                                self.interrupted(&line);
                                interrupt = Interrupt::watch();
                                continue 'lines;
                            }
                            None => {
                                stopped = Some(true);
                                break 'lines;
                            }
                        }
                    }
                    Wake::Interrupt if interactive => interrupt = Interrupt::watch(),
                    Wake::Interrupt => {
                        stopped = Some(false);
                        break 'lines;
                    }
                    Wake::Input(Input::Error(e)) => {
                        self.fail(Failed {
                            message: e,
                            hint: None,
                        });
                    }
                    Wake::Input(Input::Eof) => break 'lines,
                    Wake::Endpoint(ev) => self.on_endpoint(ev).await,
                    Wake::Server(Ok(frame)) => {
                        let _ = self.out.event(&Unsolicited::new(&frame.raw));
                    }
                    Wake::Server(Err(e)) => self.lost(e),
                    Wake::Keepalive => {
                        if let Some(s) = self.session.as_mut() {
                            if let Err(e) = s.run("NOOP").await {
                                self.lost(e);
                            }
                        }
                    }
                    Wake::TokenDeadline => self.token_timeout(),
                }
            }
        }
        if let Some(mid_command) = stopped {
            self.fail(Failed {
                message: "interrupted".to_owned(),
                hint: None,
            });
            if mid_command {
                // The server may be part-way through the command, or wait
                // for the rest of it: that connection is closed, and the
                // clean-up done on a new one.
                self.session = None;
                self.selected = None;
            }
            let again = Interrupt::watch();
            let cleanup = async {
                if self.session.is_none() && !self.cleanup.is_empty() {
                    if let Ok(s) = self.spec.open(Login::Required).await {
                        self.session = Some(s);
                    }
                }
                self.finish().await;
            };
            tokio::select! {
                biased;
                _ = again.wait() => {}
                _ = tokio::time::sleep(STOP_GRACE) => {}
                _ = cleanup => {}
            }
            self.left_behind();
            return Exit::Error;
        }
        // Ctrl-C while logging out (a server that does not answer) stops
        // waiting for it.
        let finished = tokio::select! {
            biased;
            _ = interrupt.wait() => false,
            _ = self.finish() => true,
        };
        if !finished {
            self.fail(Failed {
                message: "interrupted while logging out".to_owned(),
                hint: None,
            });
            self.left_behind();
            return Exit::Error;
        }
        if interactive || !self.failed {
            Exit::Success
        } else {
            Exit::Failure
        }
    }

    /// Names the subscriptions `--unsubscribe-on-exit` could not delete.
    fn left_behind(&mut self) {
        if self.cleanup.is_empty() {
            return;
        }
        let ids: Vec<String> = self.cleanup.iter().map(ToString::to_string).collect();
        self.fail(Failed {
            message: format!("not deleted (--unsubscribe-on-exit): {}", ids.join(", ")),
            hint: Some(format!(
                "delete it with: imapwebpush webpush {} --delete",
                ids[0]
            )),
        });
    }

    /// A command stopped by Ctrl-C on a terminal: the server may still be
    /// running it, or wait for the rest of it, so its connection is closed
    /// at once (a LOGOUT could be taken for the rest of the command);
    /// `reconnect` opens another, and the endpoint keeps running.
    fn interrupted(&mut self, line: &str) {
        let command = words::first_and_rest(line).0.to_owned();
        self.session = None;
        self.selected = None;
        self.fail(Failed {
            message: format!(
                "interrupted: `{command}` stopped, and the connection closed (the server may have been part-way through it)"
            ),
            hint: Some(
                "type `reconnect` to open a new one (the endpoint keeps running)".to_owned(),
            ),
        });
    }

    /// `user@host state> `.
    fn prompt(&self) -> String {
        let state = match (&self.session, &self.selected) {
            (None, _) => "disconnected".to_owned(),
            (Some(_), None) => "auth".to_owned(),
            (Some(_), Some(s)) if s.read_only => format!("{} (read-only)", s.name),
            (Some(_), Some(s)) => s.name.clone(),
        };
        format!("{} {state}> ", self.spec.display_name())
    }

    /// Deletes what `--unsubscribe-on-exit` asked for, and logs out. An
    /// ID is kept until its deletion is answered, so that what is left can
    /// be named when this fails or is cut short.
    async fn finish(&mut self) {
        while let Some(id) = self.cleanup.first().cloned() {
            let Some(s) = self.session.as_mut() else {
                break;
            };
            let Ok(o) = crate::ops::flow::delete(s, &id).await else {
                break;
            };
            self.cleanup.remove(0);
            self.show_timed(Instant::now(), FlowEvent::Exchange(o.transcript.clone()));
            self.show_timed(
                Instant::now(),
                FlowEvent::Deleted {
                    id: id.to_string(),
                    ok: o.is_ok(),
                },
            );
        }
        if let Some(mut s) = self.session.take() {
            let _ = s.logout().await;
        }
    }

    /// Prints an error (with its hint) and remembers the failure.
    fn fail(&mut self, e: impl Into<anyhow::Error>) {
        self.failed = true;
        report(&self.diag, &e.into());
    }

    /// The connection is gone: say so, with what to do.
    fn lost(&mut self, e: ImapError) {
        self.session = None;
        self.selected = None;
        self.fail(Failed {
            message: format!("the connection to {} was lost: {e}", self.spec.addr()),
            hint: Some(
                "type `reconnect` to open a new one (the endpoint keeps running)".to_owned(),
            ),
        });
    }

    /// A session result: on a connection error, the session is dropped
    /// and the error says so.
    fn check<T>(&mut self, r: Result<T, ImapError>) -> anyhow::Result<T> {
        match r {
            Ok(v) => Ok(v),
            Err(e @ ImapError::LineBreakInArgument) => Err(e.into()),
            Err(e) => {
                self.session = None;
                self.selected = None;
                Err(Failed {
                    message: format!("the connection to {} was lost: {e}", self.spec.addr()),
                    hint: Some(
                        "type `reconnect` to open a new one (the endpoint keeps running)"
                            .to_owned(),
                    ),
                }
                .into())
            }
        }
    }

    fn session(&mut self) -> anyhow::Result<&mut Session> {
        self.session.as_mut().ok_or_else(|| {
            Failed {
                message: "not connected".to_owned(),
                hint: Some("type `reconnect` to open a new connection".to_owned()),
            }
            .into()
        })
    }

    fn show_timed(&self, since: Instant, event: FlowEvent) {
        render(&self.out)(Timed {
            elapsed: since.elapsed(),
            event,
        });
    }

    /// Remembers the subscription IDs an answer shows (for completion).
    fn learn_ids(&self, outcome: &ExtOutcome) {
        let mut k = self.known.lock().unwrap_or_else(|e| e.into_inner());
        for s in &outcome.subscriptions {
            k.add_id(s.id.as_str());
        }
    }

    /// Remembers IDs and mailbox names from any answer.
    fn learn_reply(&self, r: &crate::imap::Reply) {
        let mut k = self.known.lock().unwrap_or_else(|e| e.into_inner());
        for f in &r.untagged {
            match &f.response {
                Response::Untagged(Untagged::Ext(ExtResponse::WebPush(info))) => {
                    k.add_id(info.id.as_str());
                }
                _ => {
                    if let Some(name) = list_mailbox(&f.raw) {
                        k.add_mailbox(&name);
                    }
                }
            }
        }
    }

    /// LIST "" "*", quietly, for mailbox completion.
    async fn learn_mailboxes(&mut self) {
        if let Some(s) = self.session.as_mut() {
            if let Ok(r) = s.run("LIST \"\" \"*\"").await {
                self.learn_reply(&r);
            }
        }
    }

    /// Runs one line.
    async fn execute(&mut self, line: &str) -> Control {
        let (first, rest) = words::first_and_rest(line);
        if first.is_empty() {
            return Control::Continue;
        }
        let words = match words::split(line) {
            Ok(w) => w,
            Err(e) => {
                self.fail(UsageError::new(e.to_string(), None));
                return Control::Continue;
            }
        };
        let command = match <command::Line as clap::Parser>::try_parse_from(&words) {
            Ok(l) => l.command,
            Err(e) => {
                use clap::error::ErrorKind;
                let text = format!("{}", e.render().ansi());
                if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                    let _ = self.out.plain(&text);
                } else {
                    self.failed = true;
                    let _ = self.diag.plain(&text);
                }
                return Control::Continue;
            }
        };
        if let ReplCommand::Quit = command {
            return Control::Quit;
        }
        match self.dispatch(command, rest).await {
            Ok(true) => {}
            Ok(false) => self.failed = true,
            Err(e) => self.fail(e),
        }
        Control::Continue
    }

    /// Runs a parsed command; `Ok(false)` when the server said NO or BAD.
    async fn dispatch(&mut self, command: ReplCommand, rest: &str) -> anyhow::Result<bool> {
        match command {
            ReplCommand::Capability => {
                let r = ext::capability(self.session()?).await;
                let outcome = self.check(r)?;
                self.out.show(&outcome)?;
                Ok(outcome.status == Status::Ok)
            }
            ReplCommand::Getvapid(a) => {
                let outcome = self.ext(&ExtRequest::getvapid()).await?;
                if let Some(key) = &outcome.vapid {
                    self.vapid = Some(key.clone());
                    if let Some(ep) = &self.endpoint {
                        ep.started.handle.expect_vapid(key.clone());
                    }
                    if a.qr {
                        self.out.text(&crate::output::qr(key.as_str()))?;
                    }
                }
                Ok(outcome.is_ok() && outcome.vapid.is_some())
            }
            ReplCommand::Webpush(a) => {
                let outcome = self.ext(&a.request()?).await?;
                if outcome.is_ok() && !a.delete {
                    if let Ok(id) = SubscriptionId::parse(&a.id) {
                        if outcome.subscription(&id).is_some_and(|s| !s.is_active()) {
                            self.awaiting = Some(id);
                        }
                    }
                }
                if outcome.code.as_deref() == Some("LIMIT") {
                    self.diag.warn(&"the server holds as many subscriptions as it allows for this account: list them with `lwebpush`, then remove old ones with `webpush ID --delete`");
                }
                Ok(outcome.is_ok())
            }
            ReplCommand::Ackwebpush(a) => Ok(self.ext(&a.request()?).await?.is_ok()),
            ReplCommand::Lwebpush(a) => Ok(self.ext(&a.request()?).await?.is_ok()),
            ReplCommand::Silwebpush(a) => Ok(self.ext(&a.request()?).await?.is_ok()),
            ReplCommand::Select(a) => {
                self.imap(&[Arg::Raw("SELECT"), Arg::AString(&a.mailbox)])
                    .await
            }
            ReplCommand::Examine(a) => {
                self.imap(&[Arg::Raw("EXAMINE"), Arg::AString(&a.mailbox)])
                    .await
            }
            ReplCommand::Append(a) => {
                let message = match &a.file {
                    Some(path) => read_message(path)?,
                    None => outcome::sample_message(self.spec.user.as_deref().unwrap_or("demo")),
                };
                let mut args = vec![Arg::Raw("APPEND"), Arg::AString(&a.mailbox)];
                let flags = a.flags.as_ref().map(|f| {
                    if f.starts_with('(') {
                        f.clone()
                    } else {
                        format!("({f})")
                    }
                });
                if let Some(f) = &flags {
                    args.push(Arg::Raw(f));
                }
                args.push(Arg::Literal(&message));
                self.imap(&args).await
            }
            ReplCommand::Store(a) => self.imap(&[Arg::Raw(&a.line())]).await,
            ReplCommand::Expunge => self.imap(&[Arg::Raw("EXPUNGE")]).await,
            ReplCommand::Raw(_) => self.raw(rest).await,
            ReplCommand::Listen(a) => {
                let expected = match a.vapid.as_deref() {
                    Some(v) => Some(VapidKey::parse(v).map_err(|e| {
                        UsageError::new(
                            format!("--vapid: {e}"),
                            "give the key GETVAPID prints (getvapid)".to_owned(),
                        )
                    })?),
                    None => self.vapid.clone(),
                };
                self.listen(&a.endpoint, expected, a.reply).await?;
                Ok(true)
            }
            ReplCommand::Subscribe(a) => self.subscribe(&a).await,
            ReplCommand::Keys => {
                let (keys, url) = match &self.endpoint {
                    Some(ep) => (ep.started.keys.clone(), Some(ep.started.handle.url.clone())),
                    None => (Arc::new(load_or_create_keys(self.keys.as_deref())?.0), None),
                };
                let json = keys.subscription_json(url.as_deref());
                let text = if self.out.is_json() {
                    json.to_string()
                } else {
                    serde_json::to_string_pretty(&json)?
                };
                self.out.plain(&format_args!("{text}\n"))?;
                Ok(true)
            }
            ReplCommand::Trace(s) => {
                self.trace.store(s.on(), Ordering::Relaxed);
                self.out.text(&Note::new(format!(
                    "trace {}",
                    if s.on() { "on" } else { "off" }
                )))?;
                Ok(true)
            }
            ReplCommand::Autoack(s) => {
                self.autoack = s.on();
                self.out.text(&Note::new(format!(
                    "autoack {}",
                    if s.on() { "on" } else { "off" }
                )))?;
                Ok(true)
            }
            ReplCommand::Reconnect => {
                if let Some(mut old) = self.session.take() {
                    let _ = old.logout().await;
                }
                self.selected = None;
                let session = self.spec.open(Login::Required).await?;
                self.session = Some(session);
                self.learn_mailboxes().await;
                self.out.event(&Note::new(format!(
                    "reconnected to {} as {}",
                    self.spec.addr(),
                    self.spec.user.as_deref().unwrap_or("-")
                )))?;
                Ok(true)
            }
            ReplCommand::Quit => Ok(true),
        }
    }

    /// One of the five extension commands: shown, IDs remembered.
    async fn ext(&mut self, request: &ExtRequest) -> anyhow::Result<ExtOutcome> {
        let r = ext::run(self.session()?, request).await;
        let outcome = self.check(r)?;
        self.learn_ids(&outcome);
        self.out.show(&outcome)?;
        Ok(outcome)
    }

    /// A plain IMAP command: shown; the state follows SELECT, EXAMINE,
    /// CLOSE and UNSELECT.
    async fn imap(&mut self, args: &[Arg<'_>]) -> anyhow::Result<bool> {
        let r = self.session()?.run_args(args).await;
        let reply = self.check(r)?;
        self.learn_reply(&reply);
        let outcome = ImapOutcome::new(&reply);
        self.out.show(&outcome)?;
        let verb = outcome
            .command
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        match verb.as_str() {
            "SELECT" | "EXAMINE" => {
                // RFC 9051 §6.3.2: a failed SELECT leaves no mailbox selected.
                self.selected = outcome.is_ok().then(|| Selected {
                    name: selected_name(&outcome.command),
                    read_only: verb == "EXAMINE" || outcome.code.as_deref() == Some("READ-ONLY"),
                });
            }
            "CLOSE" | "UNSELECT" if outcome.is_ok() => self.selected = None,
            _ => {}
        }
        Ok(outcome.is_ok())
    }

    /// `raw LINE`: sent as typed, except that LOGIN's and AUTHENTICATE's
    /// credentials are sent as secrets (shown as `***`).
    async fn raw(&mut self, line: &str) -> anyhow::Result<bool> {
        let words = words::split(line).unwrap_or_default();
        let verb = words.first().map(|w| w.to_ascii_uppercase());
        match (verb.as_deref(), words.as_slice()) {
            (Some("LOGIN"), [_, user, password]) => {
                self.imap(&[Arg::Raw("LOGIN"), Arg::AString(user), Arg::Secret(password)])
                    .await
            }
            (Some("AUTHENTICATE"), [_, mechanism, response]) => {
                let head = format!("AUTHENTICATE {mechanism}");
                self.imap(&[Arg::Raw(&head), Arg::Secret(response)]).await
            }
            _ => self.imap(&[Arg::Raw(line)]).await,
        }
    }

    /// Starts the endpoint (unless one runs) and shows its `listening` event.
    async fn listen(
        &mut self,
        opts: &crate::cli::EndpointOpts,
        expected: Option<VapidKey>,
        answer: Option<crate::endpoint::Answer>,
    ) -> anyhow::Result<()> {
        if let Some(ep) = &self.endpoint {
            self.out.text(&Note::new(format!(
                "the endpoint is already listening at {}",
                ep.started.handle.url
            )))?;
            return Ok(());
        }
        let keys_path = opts.keys.clone().or_else(|| self.keys.clone());
        let (keys, _) = load_or_create_keys(keys_path.as_deref())?;
        let started = start(&opts.spec(), keys, expected, answer).await?;
        self.out.event(&started.listening())?;
        if started.handle.url.starts_with("http://") {
            self.diag.warn(&"the endpoint is plain http: the draft requires https, and a conforming server answers BAD (use --tls-self-signed or an https --public-url)");
        }
        self.endpoint = Some(Endpoint {
            started,
            count: opts.count,
            pushes: 0,
        });
        Ok(())
    }

    /// The flow's first steps now (ENABLE, GETVAPID, WEBPUSH); the token
    /// push is handled by the loop when it arrives.
    async fn subscribe(
        &mut self,
        a: &crate::commands::subscribe::SubscribeArgs,
    ) -> anyhow::Result<bool> {
        if self.pending.is_some() {
            return Err(UsageError::new(
                "a subscription is already waiting for its confirmation push",
                "wait for it, or for its --wait to run out".to_owned(),
            )
            .into());
        }
        self.session()?;
        self.listen(&a.endpoint, self.vapid.clone(), None).await?;
        let Some(ep) = self.endpoint.as_mut() else {
            unreachable!("listen started an endpoint")
        };
        let keys: Arc<Keys> = ep.started.keys.clone();
        let id =
            a.id.clone()
                .or_else(|| keys.subscription_id.clone())
                .unwrap_or_else(crate::webpush::types::new_uuid_v4);
        let id =
            SubscriptionId::parse(&id).map_err(|e| UsageError::new(format!("--id: {e}"), None))?;
        let since = Instant::now();
        let Some(session) = self.session.as_mut() else {
            unreachable!("checked above")
        };
        let out = self.out.clone();
        let mut sink = render(&out);
        let mut flow = Flow::new(session, &mut ep.started.handle, since, &mut sink);
        let result: Result<VapidKey, FlowError> = async {
            flow.enable(&a.enable).await?;
            let key = flow.getvapid().await?;
            flow.webpush(&id, &keys).await?;
            Ok(key)
        }
        .await;
        let endpoint = flow.endpoint.url.clone();
        drop(flow);
        match result {
            Ok(key) => self.vapid = Some(key),
            Err(FlowError::Imap(e)) => return self.check(Err(e)),
            Err(FlowError::Refused { .. }) => return Ok(false),
            Err(e) => return Err(e.into()),
        }
        self.known
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .add_id(id.as_str());
        if a.unsubscribe_on_exit {
            self.cleanup.push(id.clone());
        }
        self.pending = Some(Pending {
            id,
            since,
            deadline: tokio::time::Instant::now() + Duration::from_secs(a.wait),
            no_ack: a.no_ack,
            endpoint,
        });
        self.out.text(&Note::new(
            "waiting in the background for the confirmation push; the prompt is yours",
        ))?;
        Ok(true)
    }

    /// A request reached the endpoint: show it; acknowledge a token.
    async fn on_endpoint(&mut self, ev: Option<Event>) {
        let Some(ev) = ev else {
            self.endpoint = None;
            self.fail(Failed {
                message: "the endpoint stopped".to_owned(),
                hint: Some("type `listen` to start it again".to_owned()),
            });
            return;
        };
        let token = match &ev {
            Event::Push(p) => Some(p.ack_token().map(str::to_owned)),
            _ => None,
        };
        let since = self.pending.as_ref().map_or_else(Instant::now, |p| p.since);
        self.show_timed(since, FlowEvent::Endpoint(ev));
        match token {
            Some(Some(token)) => self.on_token(token).await,
            Some(None) => {
                let Some(ep) = self.endpoint.as_mut() else {
                    return;
                };
                ep.pushes += 1;
                if ep.count.is_some_and(|c| ep.pushes >= c) {
                    let n = ep.pushes;
                    self.endpoint = None;
                    let _ = self.out.event(&Note::new(format!(
                        "the endpoint stopped after {n} pushes (--count)"
                    )));
                }
            }
            None => {}
        }
    }

    /// The push with an ACKWEBPUSH token: ACKWEBPUSH it (autoack), or say
    /// how to.
    async fn on_token(&mut self, token: String) {
        let pending = self.pending.take();
        let since = pending.as_ref().map_or_else(Instant::now, |p| p.since);
        let id = pending
            .as_ref()
            .map(|p| p.id.clone())
            .or_else(|| self.awaiting.take());
        if !self.autoack || pending.as_ref().is_some_and(|p| p.no_ack) {
            self.show_timed(
                since,
                FlowEvent::Token {
                    token: token.clone(),
                },
            );
            let _ = self.out.text(&Note::new(format!(
                "not acknowledged (autoack is off); type `ackwebpush {token}` to confirm"
            )));
            return;
        }
        let Some(session) = self.session.as_mut() else {
            self.fail(Failed {
                message: format!("cannot acknowledge token {token}: not connected"),
                hint: Some(
                    "type `reconnect`, then `ackwebpush TOKEN` within 10 minutes (§5.3)".to_owned(),
                ),
            });
            return;
        };
        let request = ExtRequest::ackwebpush(&token, false)
            .unwrap_or_else(|_| ExtRequest::Raw(format!("ACKWEBPUSH {token}")));
        let r = ext::run(session, &request).await;
        let outcome = match r {
            Ok(o) => o,
            Err(e) => {
                self.lost(e);
                return;
            }
        };
        self.learn_ids(&outcome);
        let active = match &id {
            Some(id) => outcome.subscription(id).is_some_and(|s| s.is_active()),
            None => outcome.subscriptions.iter().any(|s| s.is_active()),
        };
        self.show_timed(since, FlowEvent::Exchange(outcome.transcript.clone()));
        self.show_timed(
            since,
            FlowEvent::Acked {
                token,
                status: outcome.status,
                active,
                tagged: outcome.transcript.tagged.clone(),
            },
        );
        if !(outcome.is_ok() && active) {
            self.failed = true;
        }
    }

    /// The confirmation push did not come in time.
    fn token_timeout(&mut self) {
        let Some(p) = self.pending.take() else {
            return;
        };
        let waited = p
            .deadline
            .duration_since(tokio::time::Instant::now().min(p.deadline));
        let e = FlowError::NoTokenPush {
            endpoint: p.endpoint,
            waited,
            rejected: None,
        };
        self.show_timed(
            p.since,
            FlowEvent::Step {
                ok: false,
                text: format!(
                    "no push with the ACKWEBPUSH token for subscription {}",
                    p.id
                ),
            },
        );
        self.fail(e);
    }
}

/// The next endpoint event, or never when no endpoint runs.
async fn next_event(ep: &mut Option<Endpoint>) -> Option<Event> {
    match ep {
        Some(ep) => ep.started.handle.events.recv().await,
        None => std::future::pending().await,
    }
}

/// A response the server sends between commands (or the connection's
/// end), or never when not connected. Reading is cancel-safe: bytes are
/// kept by the session until a whole response is there.
async fn unsolicited(s: &mut Option<Session>) -> Result<crate::imap::Frame, ImapError> {
    let Some(s) = s else {
        return std::future::pending().await;
    };
    loop {
        match s.read_frame_within(Duration::from_secs(24 * 3600)).await {
            Err(ImapError::Timeout { .. }) => continue,
            other => return other,
        }
    }
}

/// When the confirmation push is due, or never.
async fn deadline(p: &Option<Pending>) {
    match p {
        Some(p) => tokio::time::sleep_until(p.deadline).await,
        None => std::future::pending().await,
    }
}

/// The mailbox a `* LIST (…) delim name` response names (atom or quoted
/// string; literals are skipped).
fn list_mailbox(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix("* LIST ")?;
    let rest = rest.strip_prefix('(')?;
    let rest = &rest[rest.find(')')? + 1..];
    let rest = rest.trim_start();
    // The delimiter: NIL or a quoted character.
    let rest = if let Some(r) = rest.strip_prefix("NIL") {
        r
    } else {
        let r = rest.strip_prefix('"')?;
        let r = r.strip_prefix('\\').unwrap_or(r);
        let mut chars = r.chars();
        chars.next()?;
        chars.as_str().strip_prefix('"')?
    };
    let name = rest.trim();
    if let Some(q) = name.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = q.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Some(out),
                '\\' => out.push(chars.next()?),
                c => out.push(c),
            }
        }
        None
    } else if name.is_empty() || name.starts_with('{') {
        None
    } else {
        Some(name.to_owned())
    }
}

/// The mailbox name of a `SELECT name` command as sent.
fn selected_name(command: &str) -> String {
    let arg = command.split_once(' ').map_or("", |(_, a)| a).trim();
    match arg.strip_prefix('"').and_then(|a| a.strip_suffix('"')) {
        Some(q) => q.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => arg.to_owned(),
    }
}

/// A message file for APPEND, bounded in size.
fn read_message(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let mut buf = Vec::new();
    file.take(MAX_APPEND + 1)
        .read_to_end(&mut buf)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    if buf.len() as u64 > MAX_APPEND {
        return Err(UsageError::new(
            format!("{} is larger than {} MiB", path.display(), MAX_APPEND >> 20),
            None,
        )
        .into());
    }
    // IMAP messages end lines with CRLF.
    if !buf.contains(&b'\r') {
        let mut crlf = Vec::with_capacity(buf.len() + buf.len() / 32);
        for &b in &buf {
            if b == b'\n' {
                crlf.push(b'\r');
            }
            crlf.push(b);
        }
        buf = crlf;
    }
    Ok(buf)
}

/// Starts the REPL with lines from `io`; `spec` is connected first.
pub async fn run(
    spec: ConnectSpec,
    opts: Options,
    io: Io,
    known: complete::Shared,
) -> anyhow::Result<Exit> {
    let repl = Repl::connect(spec, &opts, known, io.out.clone(), io.diag.clone()).await?;
    Ok(repl.run(io).await)
}

/// A fresh shared [`complete::Known`].
pub fn known() -> complete::Shared {
    Arc::new(Mutex::new(complete::Known::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailbox_names_come_from_list_responses() {
        assert_eq!(
            list_mailbox("* LIST (\\HasNoChildren) \"/\" INBOX").as_deref(),
            Some("INBOX")
        );
        assert_eq!(
            list_mailbox("* LIST () \"/\" \"My \\\"Box\\\"\"").as_deref(),
            Some("My \"Box\"")
        );
        assert_eq!(
            list_mailbox("* LIST () NIL Archive").as_deref(),
            Some("Archive")
        );
        assert_eq!(list_mailbox("* LIST () \"/\" {5}"), None);
        assert_eq!(list_mailbox("* 3 EXISTS"), None);
        assert_eq!(list_mailbox("* LIST (\\Noselect"), None);
    }

    #[test]
    fn the_selected_name_is_unquoted() {
        assert_eq!(selected_name("SELECT INBOX"), "INBOX");
        assert_eq!(selected_name("EXAMINE \"My Box\""), "My Box");
    }
}
