//! Runs the selected checks: one session to learn the capabilities and the
//! VAPID key, the push endpoint, the check mailbox; then each check with a
//! deadline, its own transcript, and whatever it created removed after it
//! (also when it failed, timed out, or the run was interrupted). Checks
//! that wait a window for something not to happen run side by side, each
//! on an endpoint of its own, when the server can reach more than one.
//! The others then each get a fresh endpoint too: a push the server was
//! already sending for the previous check's subscription (deleting it
//! does not call the push back) lands on an endpoint no check reads,
//! instead of passing for the next check's token push. With one
//! `--public-url` or a self-signed endpoint they share one, as before.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;

use crate::exit::Exit;
use crate::imap::{Arg, Direction, ImapError, Session, Tracer};
use crate::ops::endpoint::{EndpointSpec, TlsChoice};
use crate::ops::{ConnectSpec, Login};
use crate::output::escape_line;
use crate::push::keys::Keys;
use crate::webpush::VapidKey;

use super::ctx::{lock, push_line, Ctx, Ep, Ledger, Log, Problem};
use super::{select, Check, CheckResult, Level, Outcome};

/// The mailbox created for the run when `--mailbox` is not given.
pub const DEFAULT_MAILBOX: &str = "imapwebpush-check";

/// What `check` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub only: Vec<String>,
    pub skip: Vec<String>,
    pub strict: bool,
    pub include_slow: bool,
    /// How long to watch for a retry that should wait 5 minutes.
    pub retry_window: Duration,
    /// How long the server's tokens live (§6.4: 10 minutes), which
    /// `6.4/token-expires` waits before it expects NO.
    pub token_lifetime: Duration,
    /// `--mailbox`; `None`: create [`DEFAULT_MAILBOX`] and delete it after.
    pub mailbox: Option<String>,
    pub endpoint: EndpointSpec,
    /// The network timeout (bounds each check's deadline too).
    pub timeout: Duration,
}

/// Why the suite could not run at all (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Imap(#[from] ImapError),
    #[error("cannot start the push endpoint: {0}")]
    Endpoint(String),
}

/// What happened, for the reports.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub server: String,
    pub started_at: String,
    pub duration_ms: u64,
    pub summary: Summary,
    pub checks: Vec<CheckResult>,
    /// Why the run stopped early (connection lost, interrupted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aborted: Option<String>,
    #[serde(skip)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Summary {
    pub total: usize,
    pub pass: usize,
    pub fail: usize,
    pub warn: usize,
    pub skip: usize,
}

impl Summary {
    fn of(results: &[CheckResult]) -> Self {
        let mut s = Self {
            total: results.len(),
            ..Self::default()
        };
        for r in results {
            match r.result {
                Outcome::Pass => s.pass += 1,
                Outcome::Fail => s.fail += 1,
                Outcome::Warn => s.warn += 1,
                Outcome::Skip => s.skip += 1,
            }
        }
        s
    }
}

impl Run {
    /// 0 when every MUST passed (and every SHOULD with `--strict`), 1 when
    /// a check failed, 2 when the run could not finish.
    pub fn exit(&self) -> Exit {
        if self.aborted.is_some() {
            return Exit::Error;
        }
        let failed = self.checks.iter().any(|r| {
            r.result == Outcome::Fail
                || (self.strict && r.result == Outcome::Warn && r.level == Level::Should)
        });
        Exit::from_ok(!failed)
    }
}

/// What the runner tells the front end as it goes.
pub enum Progress<'a> {
    Started(&'a Check),
    Done(&'a CheckResult),
}

/// A spec whose sessions also write their exchange into `log`.
fn recording(base: &ConnectSpec, log: &Log) -> ConnectSpec {
    let mut spec = base.clone();
    let user = base.trace.clone();
    let log = log.clone();
    spec.trace = Some(Arc::new(move || {
        let log = log.clone();
        let mut user = user.as_ref().map(|f| f());
        Box::new(move |dir: Direction, line: &str| {
            if let Some(u) = user.as_mut() {
                u(dir, line);
            }
            let who = match dir {
                Direction::Client => "C:",
                Direction::Server => "S:",
            };
            push_line(&log, format!("{who} {}", escape_line(line)));
        }) as Tracer
    }));
    spec
}

/// Shared by every check of one run.
struct Shared {
    base: ConnectSpec,
    options: Options,
    vapid: Option<VapidKey>,
    mailbox: String,
    capabilities: Vec<String>,
    /// Every check's ledger, for the final clean-up.
    ledgers: Mutex<Vec<Ledger>>,
    no_token_push: Arc<std::sync::atomic::AtomicBool>,
}

impl Shared {
    fn ctx(&self, ep: Ep) -> Ctx {
        let log: Log = Arc::new(Mutex::new(Vec::new()));
        let ledger = Ledger::default();
        lock(&self.ledgers).push(ledger.clone());
        Ctx {
            spec: recording(&self.base, &log),
            ep,
            vapid: self.vapid.clone(),
            mailbox: self.mailbox.clone(),
            options: self.options.clone(),
            capabilities: self.capabilities.clone(),
            log,
            ledger,
            extra: Vec::new(),
            no_token_push: self.no_token_push.clone(),
        }
    }

    /// An endpoint of its own for a check that runs beside others, when
    /// the server can reach more than one (not through one --public-url,
    /// and not with a self-signed certificate per endpoint).
    async fn own_endpoint(&self) -> Option<Ep> {
        let mut spec = self.options.endpoint.clone();
        if spec.public_url.is_some() || spec.tls == TlsChoice::SelfSigned {
            return None;
        }
        spec.listen.set_port(0);
        let keys = Keys::generate().ok()?;
        let s = crate::ops::endpoint::start(&spec, keys, self.vapid.clone(), None)
            .await
            .ok()?;
        Some(Ep {
            handle: s.handle,
            keys: s.keys,
        })
    }
}

/// Runs one check in `cx`; its result, and the context back.
async fn run_one(check: &'static Check, mut cx: Ctx) -> (CheckResult, Ctx, bool) {
    while cx.ep.handle.events.try_recv().is_ok() {}
    let deadline = check.deadline(&cx.options);
    let started = Instant::now();
    let verdict = tokio::time::timeout(deadline, (check.run)(&mut cx)).await;
    cx.ep.handle.set_answer(None);
    cx.extra.clear();
    let duration_ms = started.elapsed().as_millis() as u64;
    let transcript = std::mem::take(&mut *lock(&cx.log));
    let mut r = CheckResult {
        transcript,
        duration_ms,
        ..CheckResult::skipped(check, "")
    };
    r.reason = None;
    let mut connection_error = false;
    let failed = |r: &mut CheckResult, expected: String, actual: String, outcome: Outcome| {
        r.result = outcome;
        r.expected = Some(expected);
        r.actual = Some(actual);
    };
    let soft = if check.level == Level::Must {
        Outcome::Fail
    } else {
        Outcome::Warn
    };
    match verdict {
        Ok(Ok(())) => r.result = Outcome::Pass,
        Ok(Err(Problem::Fail { expected, actual })) => failed(&mut r, expected, actual, soft),
        Ok(Err(Problem::Skip(why))) => {
            r.result = Outcome::Skip;
            r.reason = Some(why);
        }
        Ok(Err(Problem::Setup(why))) => {
            r.result = Outcome::Skip;
            r.reason = Some(format!("could not set up: {why}"));
        }
        Ok(Err(Problem::Imap(e))) => {
            connection_error = true;
            failed(
                &mut r,
                "the server answers".into(),
                e.to_string(),
                Outcome::Fail,
            );
        }
        Err(_) => failed(
            &mut r,
            format!("the check done within {} s", deadline.as_secs()),
            "no answer in time: the check was stopped".into(),
            Outcome::Fail,
        ),
    }
    (r, cx, connection_error)
}

/// Deletes the subscriptions checks created (a fresh session: the
/// check's may be gone).
async fn remove_subscriptions(base: &ConnectSpec, ledger: &Ledger) -> Result<(), ImapError> {
    let ids: Vec<_> = std::mem::take(&mut *lock(&ledger.subscriptions));
    if ids.is_empty() {
        return Ok(());
    }
    let mut s = base.open(Login::Required).await?;
    for id in &ids {
        let _ = crate::ops::flow::delete(&mut s, id).await?;
    }
    let _ = s.logout().await;
    Ok(())
}

/// Removes the mailbox (or, for a `--mailbox` of the user's, the messages)
/// the run created.
async fn remove_mailbox(
    s: &mut Session,
    mailbox: &str,
    created: bool,
    ledger: &Ledger,
) -> Result<(), ImapError> {
    let uids: Vec<u32> = std::mem::take(&mut *lock(&ledger.uids));
    if created {
        s.run_args(&[Arg::Raw("DELETE"), Arg::AString(mailbox)])
            .await?;
        return Ok(());
    }
    if uids.is_empty() {
        return Ok(());
    }
    let set = uids
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let r = s
        .run_args(&[Arg::Raw("SELECT"), Arg::AString(mailbox)])
        .await?;
    if r.is_ok() {
        s.run(&format!("UID STORE {set} +FLAGS.SILENT (\\Deleted)"))
            .await?;
        if s.has_capability("UIDPLUS") {
            s.run(&format!("UID EXPUNGE {set}")).await?;
        } else {
            s.run("EXPUNGE").await?;
        }
        s.run("CLOSE").await?;
    }
    Ok(())
}

/// Runs the checks `options` selects against the server `base` reaches;
/// `progress` hears of each as it starts and ends.
pub async fn run(
    base: ConnectSpec,
    options: Options,
    keys: Keys,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<Run, RunError> {
    // Ctrl-C is watched before anything is created.
    let interrupt = crate::ops::interrupt::Interrupt::watch();
    let started = Instant::now();
    let started_at = crate::datetime::rfc3339(SystemTime::now());
    let server = base.addr().to_string();
    let mut session = base.open(Login::Required).await?;
    session.refresh_capabilities().await?;
    let capabilities = session.capabilities().to_vec();
    let webpush = session.has_capability("WEBPUSH");
    let vapid = if webpush {
        crate::ops::flow::getvapid(&mut session)
            .await
            .ok()
            .map(|(_, k)| k)
    } else {
        None
    };
    let ep = crate::ops::endpoint::start(&options.endpoint, keys, vapid.clone(), None)
        .await
        .map_err(|e| RunError::Endpoint(e.to_string()))?;
    let mut shared_ep = Some(Ep {
        handle: ep.handle,
        keys: ep.keys,
    });
    let selected = select(&options.only, &options.skip);
    let runnable = |c: &Check| webpush && (options.include_slow || !c.slow);
    let mailbox = options
        .mailbox
        .clone()
        .unwrap_or_else(|| DEFAULT_MAILBOX.to_owned());
    let mut mailbox_created = false;
    if options.mailbox.is_none() && selected.iter().any(|c| c.mailbox && runnable(c)) {
        let r = session
            .run_args(&[Arg::Raw("CREATE"), Arg::AString(&mailbox)])
            .await?;
        // NO: it is left from an interrupted run; it is ours to remove.
        mailbox_created = r.is_ok() || r.line.status == crate::imap::Status::No;
    }
    let _ = session.logout().await;
    drop(session);
    let shared = Shared {
        base: base.clone(),
        options: options.clone(),
        vapid,
        mailbox: mailbox.clone(),
        capabilities,
        ledgers: Mutex::new(Vec::new()),
        no_token_push: Arc::default(),
    };

    let mut results: Vec<CheckResult> = Vec::new();
    let mut aborted: Option<String> = None;
    let mut windowed: Vec<&'static Check> = Vec::new();
    let interrupted = || interrupt.wait();

    let skip_reason = |c: &Check, aborted: &Option<String>| -> Option<String> {
        if let Some(a) = aborted {
            return Some(format!("not run: {a}"));
        }
        if !webpush && c.id != "4/capability-webpush" {
            return Some("the server does not advertise WEBPUSH (see 4/capability-webpush)".into());
        }
        if c.slow && !options.include_slow {
            return Some("slow (waits minutes): run with --include-slow".into());
        }
        None
    };

    // Checks that watch a window run in the background, side by side and
    // beside the others, when each can have an endpoint of its own.
    for &check in &selected {
        if check.windowed && skip_reason(check, &aborted).is_none() {
            windowed.push(check);
        }
    }
    let mut own = Vec::new();
    for _ in &windowed {
        match shared.own_endpoint().await {
            Some(ep) => own.push(ep),
            None => break,
        }
    }
    let mut background = tokio::task::JoinSet::new();
    let in_background = !windowed.is_empty() && own.len() == windowed.len();
    if in_background {
        for (&c, ep) in windowed.iter().zip(own) {
            progress(Progress::Started(c));
            background.spawn(run_one(c, shared.ctx(ep)));
        }
    }

    for &check in &selected {
        if let Some(why) = skip_reason(check, &aborted) {
            let r = CheckResult::skipped(check, why);
            progress(Progress::Done(&r));
            results.push(r);
            continue;
        }
        if check.windowed && in_background {
            continue;
        }
        progress(Progress::Started(check));
        // A fresh endpoint per check when the server can reach more than
        // one: a push still in flight for the previous check's (deleted)
        // subscriptions cannot land in this check's events.
        let own_ep = shared.own_endpoint().await;
        let is_own = own_ep.is_some();
        let ep = own_ep.unwrap_or_else(|| shared_ep.take().expect("the endpoint is back"));
        let cx = shared.ctx(ep);
        let outcome = tokio::select! {
            o = run_one(check, cx) => Some(o),
            _ = interrupted() => None,
        };
        let Some((r, cx, connection_error)) = outcome else {
            aborted = Some("interrupted".into());
            break;
        };
        let cleanup = remove_subscriptions(&base, &cx.ledger).await;
        if !is_own {
            shared_ep = Some(cx.ep);
        }
        if connection_error || cleanup.is_err() {
            if let Err(e) = base.open(Login::Required).await {
                aborted = Some(format!("the connection to the server failed: {e}"));
            }
        }
        progress(Progress::Done(&r));
        results.push(r);
    }

    if aborted.is_some() {
        background.abort_all();
    }
    loop {
        let next = tokio::select! {
            n = background.join_next() => n,
            _ = interrupted() => {
                aborted = Some("interrupted".into());
                background.abort_all();
                None
            }
        };
        match next {
            Some(Ok((r, _, _))) => {
                progress(Progress::Done(&r));
                results.push(r);
            }
            Some(Err(_)) => {}
            None => break,
        }
    }
    drop(interrupt);
    // Whatever happened, remove what the checks created.
    let all = Ledger::default();
    for l in lock(&shared.ledgers).iter() {
        lock(&all.subscriptions).append(&mut lock(&l.subscriptions));
        lock(&all.uids).append(&mut lock(&l.uids));
    }
    let _ = remove_subscriptions(&base, &all).await;
    let mut session = base.open(Login::Required).await.ok();
    if let Some(s) = session.as_mut() {
        let _ = remove_mailbox(s, &mailbox, mailbox_created, &all).await;
        let _ = s.logout().await;
    }

    // Catalogue order, whatever order they ran in; anything not reached
    // after an interruption is a skip.
    for &check in &selected {
        if !results.iter().any(|r| r.id == check.id) {
            results.push(CheckResult::skipped(
                check,
                aborted.clone().unwrap_or_else(|| "not run".into()),
            ));
        }
    }
    let order = |id: &str| selected.iter().position(|c| c.id == id);
    results.sort_by_key(|r| order(r.id));
    Ok(Run {
        server,
        started_at,
        duration_ms: started.elapsed().as_millis() as u64,
        summary: Summary::of(&results),
        checks: results,
        aborted,
        strict: options.strict,
    })
}
