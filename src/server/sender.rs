//! The push sender (draft §7): turns store changes into push messages,
//! encrypts them (RFC 8291), signs them (RFC 8292), and delivers them with
//! the §7.4 rules on 429, 5xx and other 4xx answers.
//!
//! Delivery runs on tasks of its own, one per subscription, so that a slow
//! or dead endpoint delays only its own pushes, never an IMAP session or
//! another subscription. When a subscription's fields change (§5.2
//! update), the pushes still queued or retried for the old fields are
//! dropped and the new ones, starting with the ACKWEBPUSH token, go out at
//! once. Mailbox events that arrive within the coalescing
//! window go out together in one push per subscription.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{broadcast, mpsc, watch};

use super::fault::{Fault, Faults};
use super::store::{Enabled, MailEvent, Outgoing, Store, Target};
use super::syntax::{format_set, literal, mailbox};
use crate::push::content::{MAX_PLAINTEXT, RECOMMENDED_TTL};
use crate::push::ece::{self, EncryptOptions};
use crate::push::send::{PushClient, PushRequest};
use crate::push::vapid::VapidSigner;
use crate::webpush::{Subscription, VapidKey};

/// §7.2 and RFC 8292: a VAPID JWT's lifetime as this server signs it.
pub const JWT_LIFETIME: Duration = Duration::from_secs(12 * 3600);
/// A signed JWT is reused for this long (push services cache verification).
const JWT_REUSE: Duration = Duration::from_secs(3600);
/// Attempts at one push before it is given up (429, 5xx, network errors).
const MAX_ATTEMPTS: u32 = 5;
/// §6.5: a generic SYNC, for changes that fit in no push.
const GENERIC_SYNC: &[u8] = b"* SYNC\r\n";
/// The longest wait a push service's Retry-After can impose (§7.4): the
/// header's value is the peer's, and a subscription blocked for longer is
/// as good as dead.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// How the sender behaves.
#[derive(Debug, Clone)]
pub struct SenderConfig {
    pub client: PushClient,
    /// The JWT `sub` claim, `mailto:…` or `https:…`.
    pub subject: String,
    /// §7.4: the wait after a 5xx, and after a 429 without Retry-After.
    pub retry_delay: Duration,
    /// Events closer together than this go out in one push.
    pub coalesce: Duration,
}

/// What became of one push, for the server's log and for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub account: String,
    pub id: String,
    pub endpoint: String,
    /// `ack`, `event` or `rotation`.
    pub kind: &'static str,
    pub plaintext_len: usize,
    pub urgency: &'static str,
    /// The HTTP status, or `None` when no answer came.
    pub status: Option<u16>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// Sent again after this wait (429 or 5xx or a network error).
    Retry {
        after: Duration,
        reason: String,
    },
    /// §7.4: removed after a 4xx other than 429.
    Removed,
    /// A 4xx was answered but the subscription kept (`keep-after-410`).
    Kept,
    GaveUp {
        reason: String,
    },
}

impl std::fmt::Display for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status = self
            .status
            .map_or_else(|| "no answer".to_owned(), |s| s.to_string());
        write!(
            f,
            "push {} {} to {} ({} bytes, urgency {}): {status}, ",
            self.kind, self.id, self.endpoint, self.plaintext_len, self.urgency
        )?;
        match &self.outcome {
            Outcome::Delivered => f.write_str("delivered"),
            Outcome::Retry { after, reason } => {
                write!(f, "{reason}; next try in {}s", after.as_secs_f32())
            }
            Outcome::Removed => f.write_str("subscription removed (§7.4)"),
            Outcome::Kept => f.write_str("subscription kept (fault keep-after-410)"),
            Outcome::GaveUp { reason } => write!(f, "given up: {reason}"),
        }
    }
}

/// One plaintext to push, with its §7.2 header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plaintext {
    pub bytes: Vec<u8>,
    pub urgency: &'static str,
}

struct Job {
    /// The subscription as it was when the push was made.
    target: Target,
    kind: &'static str,
    plaintext: Plaintext,
    /// The key to sign with when not the current one (§8 rotation).
    signer: Option<Arc<VapidSigner>>,
}

/// Starts the dispatcher; it runs until `rx` closes.
pub fn spawn(
    store: Arc<Store>,
    rx: mpsc::UnboundedReceiver<Outgoing>,
    config: SenderConfig,
    log: broadcast::Sender<Delivery>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(dispatch(store, rx, config, log))
}

type WorkerKey = (String, u64);

/// The delivery task of one subscription, for one set of its fields.
struct Worker {
    tx: mpsc::UnboundedSender<Job>,
    fields: Subscription,
    /// Set when the subscription's fields changed: the task drops what it
    /// still holds.
    superseded: watch::Sender<bool>,
}

async fn dispatch(
    store: Arc<Store>,
    mut rx: mpsc::UnboundedReceiver<Outgoing>,
    config: SenderConfig,
    log: broadcast::Sender<Delivery>,
) {
    let config = Arc::new(config);
    let mut workers: HashMap<WorkerKey, Worker> = HashMap::new();
    let mut pending: Vec<(String, String, MailEvent)> = Vec::new();
    let mut deadline: Option<tokio::time::Instant> = None;
    loop {
        let next = match deadline {
            Some(d) => tokio::select! {
                o = rx.recv() => o.map(Some),
                () = tokio::time::sleep_until(d) => Some(None),
            },
            None => rx.recv().await.map(Some),
        };
        let Some(next) = next else { break };
        let mut to_send: Vec<Job> = Vec::new();
        match next {
            Some(Outgoing::Ack { target, token }) => to_send.push(Job {
                target,
                kind: "ack",
                plaintext: fixed(
                    format!("* ACKWEBPUSH {token}\r\n").into_bytes(),
                    store.faults(),
                ),
                signer: None,
            }),
            Some(Outgoing::Rotated {
                target,
                new_key,
                old,
            }) => to_send.push(Job {
                target,
                kind: "rotation",
                plaintext: fixed(
                    format!("* VAPID {new_key}\r\n").into_bytes(),
                    store.faults(),
                ),
                signer: Some(old),
            }),
            Some(Outgoing::Event {
                account,
                mailbox,
                event,
            }) => {
                pending.push((account, mailbox, event));
                deadline.get_or_insert_with(|| tokio::time::Instant::now() + config.coalesce);
            }
            None => {
                deadline = None;
                let mut by_account: BTreeMap<String, Vec<(String, MailEvent)>> = BTreeMap::new();
                for (account, mailbox, event) in pending.drain(..) {
                    by_account
                        .entry(account)
                        .or_default()
                        .push((mailbox, event));
                }
                for (account, events) in by_account {
                    let faults = store.faults();
                    for target in store.push_targets(&account) {
                        let enabled = match faults.has(Fault::IgnoreEnabled) {
                            true => Enabled::default(),
                            false => target.enabled,
                        };
                        let times = if faults.has(Fault::PushTwice) { 2 } else { 1 };
                        for plaintext in build(&events, enabled, faults) {
                            // Copied only for the fault's second push.
                            for plaintext in std::iter::repeat_n(plaintext, times) {
                                to_send.push(Job {
                                    target: target.clone(),
                                    kind: "event",
                                    plaintext,
                                    signer: None,
                                });
                            }
                        }
                    }
                }
            }
        }
        for job in to_send {
            let key = (job.target.account.clone(), job.target.serial);
            let current = workers
                .get(&key)
                .is_some_and(|w| !w.tx.is_closed() && w.fields == job.target.fields);
            if !current {
                // An update to other fields: what the old task holds is
                // for an endpoint (or keys) no longer subscribed.
                if let Some(old) = workers.remove(&key) {
                    let _ = old.superseded.send(true);
                }
                let (tx, wrx) = mpsc::unbounded_channel();
                let (superseded, watch_rx) = watch::channel(false);
                let task = tokio::spawn(worker(
                    store.clone(),
                    config.clone(),
                    log.clone(),
                    wrx,
                    watch_rx,
                ));
                tokio::spawn(watch_worker(task, job.target.id.to_string()));
                workers.insert(
                    key.clone(),
                    Worker {
                        tx,
                        fields: job.target.fields.clone(),
                        superseded,
                    },
                );
            }
            if let Some(w) = workers.get(&key) {
                let _ = w.tx.send(job);
            }
        }
        workers.retain(|_, w| !w.tx.is_closed());
    }
}

/// A worker that panicked lost the pushes it held: say so on stderr. The
/// dispatcher starts a new worker for the subscription's next push.
async fn watch_worker(task: tokio::task::JoinHandle<()>, id: String) {
    if let Err(e) = task.await {
        if e.is_panic() {
            eprintln!(
                "imapwebpush: the push worker of subscription {id} failed ({e}); \
                 its pending pushes are lost, later ones are sent by a new worker"
            );
        }
    }
}

/// When a wait of `after` (from the peer) ends, clamped to
/// [`MAX_RETRY_AFTER`] so that no arithmetic on it can overflow.
pub fn retry_deadline(now: Instant, after: Duration) -> (Duration, Instant) {
    let after = after.min(MAX_RETRY_AFTER);
    // 24 hours past now fits in any Instant; fall back to now if not.
    (after, now.checked_add(after).unwrap_or(now))
}

fn fixed(bytes: Vec<u8>, faults: &Faults) -> Plaintext {
    // No SELECT in these pushes: §7.2 says low.
    Plaintext {
        bytes,
        urgency: urgency("low", faults),
    }
}

fn urgency(right: &'static str, faults: &Faults) -> &'static str {
    if faults.has(Fault::WrongUrgency) {
        "very-low"
    } else {
        right
    }
}

/// One subscription's deliveries, in order, with §7.4 waits between them.
async fn worker(
    store: Arc<Store>,
    config: Arc<SenderConfig>,
    log: broadcast::Sender<Delivery>,
    mut rx: mpsc::UnboundedReceiver<Job>,
    mut superseded: watch::Receiver<bool>,
) {
    let faults = store.faults().clone();
    let mut blocked_until: Option<Instant> = None;
    let mut jwt: Option<JwtCache> = None;
    let mut current: Option<Job> = None;
    let supersede = async {
        let _ = superseded.wait_for(|s| *s).await;
    };
    tokio::pin!(supersede);
    let work = async {
        while let Some(job) = rx.recv().await {
            current = Some(job);
            let Some(job) = current.as_ref() else { break };
            if deliver(
                &store,
                &config,
                &log,
                &faults,
                &mut blocked_until,
                &mut jwt,
                job,
            )
            .await
            {
                return;
            }
        }
    };
    tokio::select! {
        () = work => return,
        () = &mut supersede => {}
    }
    // The subscription's fields changed: the push under way (and any
    // §7.4 wait before it) and those queued are for the old ones.
    rx.close();
    let dropped = current
        .into_iter()
        .chain(std::iter::from_fn(|| rx.try_recv().ok()));
    for job in dropped {
        report(
            &log,
            &job,
            None,
            Outcome::GaveUp {
                reason: "the subscription was updated to other fields; dropped".to_owned(),
            },
        );
    }
}

/// Delivers one push with the §7.4 retries. Returns true when the
/// subscription is gone (removed after a 4xx).
async fn deliver(
    store: &Arc<Store>,
    config: &SenderConfig,
    log: &broadcast::Sender<Delivery>,
    faults: &Faults,
    blocked_until: &mut Option<Instant>,
    jwt: &mut Option<JwtCache>,
    job: &Job,
) -> bool {
    // Fields may change under one serial (an update to a new endpoint):
    // each job carries the target it was made for.
    let target = &job.target;
    // Deleted (or removed after a 4xx) while this push waited.
    if !store.exists(&target.account, target.serial) {
        return false;
    }
    // Fault wrong-vapid-key: a signer GETVAPID never showed.
    let stranger = faults
        .has(Fault::WrongVapidKey)
        .then(VapidSigner::generate)
        .and_then(Result::ok)
        .map(Arc::new);
    let signer = match stranger {
        Some(s) => s,
        None => job.signer.clone().unwrap_or_else(|| store.vapid_signer()),
    };
    // Fault wrong-encryption-key: a key that is not the subscription's.
    let stranger_key = faults
        .has(Fault::WrongEncryptionKey)
        .then(ece::UaKeys::generate)
        .and_then(Result::ok)
        .map(|k| *k.public());
    let authorization = match cached_jwt(jwt, &signer, target, config, store) {
        Some(a) => a,
        None => return false,
    };
    let body = match ece::encrypt(
        stranger_key
            .as_ref()
            .unwrap_or(target.fields.p256dh.point()),
        target.fields.auth.bytes(),
        &job.plaintext.bytes,
        &EncryptOptions::default(),
    ) {
        Ok(b) => b,
        Err(e) => {
            report(
                log,
                job,
                None,
                Outcome::GaveUp {
                    reason: e.to_string(),
                },
            );
            return false;
        }
    };
    let mut request = PushRequest::new(target.fields.endpoint.as_str(), body);
    request.authorization = Some(authorization);
    request.ttl = Some(match faults.has(Fault::ShortTtl) {
        true => 60,
        false => RECOMMENDED_TTL,
    });
    request.urgency = Some(job.plaintext.urgency.to_owned());
    if faults.has(Fault::TopicOnEveryPush) {
        request.topic = Some("mailbox".to_owned());
    }
    for attempt in 1..=MAX_ATTEMPTS {
        if let Some(until) = blocked_until.take() {
            tokio::time::sleep_until(until.into()).await;
        }
        let (status, outcome) = match config.client.send(&request).await {
            Ok(r) if (200..300).contains(&r.status) => (Some(r.status), Outcome::Delivered),
            Ok(r) if r.status == 429 => {
                let after = if faults.has(Fault::IgnoreRetryAfter) {
                    Duration::ZERO
                } else {
                    r.retry_after
                        .unwrap_or(config.retry_delay)
                        .min(MAX_RETRY_AFTER)
                };
                let reason = match r.retry_after {
                    Some(_) => "429 with Retry-After".to_owned(),
                    None => "429 without Retry-After".to_owned(),
                };
                (Some(r.status), Outcome::Retry { after, reason })
            }
            Ok(r) if (400..500).contains(&r.status) => {
                if faults.has(Fault::KeepAfter410) {
                    (Some(r.status), Outcome::Kept)
                } else {
                    store.remove(&target.account, target.serial);
                    (Some(r.status), Outcome::Removed)
                }
            }
            Ok(r) => (
                Some(r.status),
                Outcome::Retry {
                    after: match faults.has(Fault::Retry5xxAtOnce) {
                        true => Duration::ZERO,
                        false => config.retry_delay,
                    },
                    reason: format!("{} from the push service", r.status),
                },
            ),
            Err(e) => (
                None,
                Outcome::Retry {
                    after: config.retry_delay,
                    reason: e.to_string(),
                },
            ),
        };
        let outcome = match outcome {
            Outcome::Retry { reason, .. } if attempt == MAX_ATTEMPTS => Outcome::GaveUp {
                reason: format!("{reason}, {MAX_ATTEMPTS} attempts"),
            },
            o => o,
        };
        report(log, job, status, outcome.clone());
        match outcome {
            Outcome::Retry { after, .. } => {
                *blocked_until = Some(retry_deadline(Instant::now(), after).1);
            }
            Outcome::Removed => return true,
            _ => break,
        }
    }
    false
}

/// The last JWT a worker signed: for which key and audience, and when.
struct JwtCache {
    signer: VapidKey,
    aud: String,
    at: Instant,
    value: String,
}

fn cached_jwt(
    cache: &mut Option<JwtCache>,
    signer: &Arc<VapidSigner>,
    target: &Target,
    config: &SenderConfig,
    store: &Store,
) -> Option<String> {
    let faults = store.faults();
    // By public key, not by the Arc's address: after two rotations a new
    // signer may be allocated where a dropped one was.
    let id = signer.public();
    let aud = if faults.has(Fault::BadJwtAud) {
        "https://wrong-audience.invalid".to_owned()
    } else {
        target.fields.endpoint.origin().to_owned()
    };
    // An update may move a subscription to another origin (and a rotation
    // changes the key): reuse a JWT only for the same key and audience.
    if let Some(c) = cache.as_ref() {
        if &c.signer == id && c.aud == aud && c.at.elapsed() < JWT_REUSE {
            return Some(c.value.clone());
        }
    }
    let lifetime = if faults.has(Fault::LongJwtExp) {
        Duration::from_secs(48 * 3600)
    } else {
        JWT_LIFETIME
    };
    let exp = store
        .now()
        .checked_add(lifetime)
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    let sub = (!faults.has(Fault::NoJwtSub)).then_some(config.subject.as_str());
    let jwt = signer.sign(&aud, exp, sub).ok()?;
    let value = signer.authorization(&jwt);
    *cache = Some(JwtCache {
        signer: id.clone(),
        aud,
        at: Instant::now(),
        value: value.clone(),
    });
    Some(value)
}

fn report(log: &broadcast::Sender<Delivery>, job: &Job, status: Option<u16>, outcome: Outcome) {
    let target = &job.target;
    // No listener (a quiet server) is fine.
    let _ = log.send(Delivery {
        account: target.account.clone(),
        id: target.id.to_string(),
        endpoint: target.fields.endpoint.to_string(),
        kind: job.kind,
        plaintext_len: job.plaintext.bytes.len(),
        urgency: job.plaintext.urgency,
        status,
        outcome,
    });
}

/// The pushes for one subscription from a batch of one account's mailbox
/// events, in order: each mailbox's responses after its SELECT (§7.1),
/// new mail as the richest UIDFETCH that fits in 3993 bytes, expunges as
/// one VANISHED, flag changes as FETCH FLAGS; several pushes if one would
/// be too long.
pub fn build(events: &[(String, MailEvent)], enabled: Enabled, faults: &Faults) -> Vec<Plaintext> {
    let mut order: Vec<&str> = Vec::new();
    for (m, _) in events {
        if !order.contains(&m.as_str()) {
            order.push(m);
        }
    }
    let oversize = faults.has(Fault::OversizePush);
    let mut packer = Packer {
        done: Vec::new(),
        cur: Vec::new(),
        cur_mailbox: None,
        select: !faults.has(Fault::NoSelectBeforeFetch),
        has_fetch: false,
        has_select: false,
        faults,
    };
    for name in order {
        let select = format!("* SELECT {}\r\n", mailbox(name, enabled.utf8)).into_bytes();
        let mut vanished: Vec<u32> = Vec::new();
        // Flag changes of a message expunged in the same batch tell nothing.
        let gone: Vec<u32> = events
            .iter()
            .filter(|(m, _)| m == name)
            .filter_map(|(_, e)| match e {
                MailEvent::Vanished { uid } => Some(*uid),
                _ => None,
            })
            .collect();
        for (_, ev) in events.iter().filter(|(m, _)| m == name) {
            match ev {
                MailEvent::New {
                    uid,
                    modseq,
                    raw,
                    envelope,
                } => {
                    let modseq = if enabled.condstore {
                        format!(" MODSEQ ({modseq})")
                    } else {
                        String::new()
                    };
                    let env = envelope.render(enabled.utf8);
                    let mut full = format!("* {uid} UIDFETCH (ENVELOPE ").into_bytes();
                    full.extend_from_slice(&env);
                    let mut short = full.clone();
                    full.extend_from_slice(b" BINARY[] ");
                    full.extend_from_slice(&literal(raw));
                    full.extend_from_slice(format!("{modseq})\r\n").as_bytes());
                    short.extend_from_slice(format!("{modseq})\r\n").as_bytes());
                    let minimal = format!("* {uid} UIDFETCH (UID {uid}{modseq})\r\n").into_bytes();
                    let mut choices: Vec<Vec<u8>> = if oversize {
                        vec![full]
                    } else {
                        vec![full, short, minimal, b"* SYNC EXISTS\r\n".to_vec()]
                    };
                    if faults.has(Fault::FetchNotUidfetch) {
                        for c in &mut choices {
                            if let Some(at) = c.windows(10).position(|w| w == b" UIDFETCH ") {
                                c.splice(at..at + 10, b" FETCH ".iter().copied());
                            }
                        }
                    }
                    packer.add(name, &select, choices, oversize);
                }
                MailEvent::Flags { uid, .. } if gone.contains(uid) => {}
                MailEvent::Flags {
                    uid,
                    seq,
                    flags,
                    modseq,
                } => {
                    let modseq = if enabled.condstore {
                        format!(" MODSEQ ({modseq})")
                    } else {
                        String::new()
                    };
                    let line = format!(
                        "* {seq} FETCH (UID {uid} FLAGS ({}){modseq})\r\n",
                        flags.join(" ")
                    );
                    packer.add(
                        name,
                        &select,
                        vec![line.into_bytes(), b"* SYNC FETCH\r\n".to_vec()],
                        oversize,
                    );
                }
                MailEvent::Vanished { uid } => vanished.push(*uid),
            }
        }
        if !vanished.is_empty() {
            vanished.sort_unstable();
            let line = if faults.has(Fault::NoVanished) {
                vanished
                    .iter()
                    .map(|u| format!("* {u} EXPUNGE\r\n"))
                    .collect::<String>()
                    .into_bytes()
            } else {
                format!("* VANISHED {}\r\n", format_set(&vanished)).into_bytes()
            };
            packer.add(
                name,
                &select,
                if faults.has(Fault::NoVanished) {
                    vec![line]
                } else {
                    vec![line, b"* SYNC VANISHED\r\n".to_vec()]
                },
                oversize,
            );
        }
    }
    packer.finish();
    packer.done
}

struct Packer<'a> {
    done: Vec<Plaintext>,
    cur: Vec<u8>,
    cur_mailbox: Option<String>,
    select: bool,
    has_fetch: bool,
    has_select: bool,
    faults: &'a Faults,
}

impl Packer<'_> {
    /// Adds the richest of `choices` (richest first) that fits: in this
    /// push if it fits there as rich as in a push of its own, else in a new
    /// push. If none fits even alone (a mailbox name near the size limit),
    /// a generic `* SYNC` push (§6.5) says that something changed. `force`
    /// puts the first choice in this push whatever its size.
    fn add(&mut self, name: &str, select: &[u8], choices: Vec<Vec<u8>>, force: bool) {
        let header_here = if self.select && self.cur_mailbox.as_deref() != Some(name) {
            select.len()
        } else {
            0
        };
        let header_fresh = if self.select { select.len() } else { 0 };
        let here = choices
            .iter()
            .position(|l| self.cur.len() + header_here + l.len() <= MAX_PLAINTEXT);
        let fresh = choices
            .iter()
            .position(|l| header_fresh + l.len() <= MAX_PLAINTEXT);
        let pick = match (here, fresh) {
            _ if force => 0,
            (Some(h), Some(f)) if f < h => {
                self.finish();
                f
            }
            (Some(h), _) => h,
            (None, Some(f)) => {
                self.finish();
                f
            }
            (None, None) => return self.generic_sync(),
        };
        let line = &choices[pick];
        if self.select && self.cur_mailbox.as_deref() != Some(name) {
            self.cur.extend_from_slice(select);
            self.cur_mailbox = Some(name.to_owned());
            self.has_select = true;
        }
        self.cur.extend_from_slice(line);
        self.has_fetch |= line.windows(10).any(|w| w == b" UIDFETCH ");
    }

    /// A `* SYNC` push of its own (no SELECT: it names no mailbox), once
    /// for a run of changes that fit nowhere.
    fn generic_sync(&mut self) {
        self.finish();
        if self.done.last().is_some_and(|p| p.bytes == GENERIC_SYNC) {
            return;
        }
        self.cur.extend_from_slice(GENERIC_SYNC);
        self.finish();
    }

    fn finish(&mut self) {
        if self.cur.is_empty() {
            return;
        }
        let right = if self.has_fetch {
            "high"
        } else if !self.has_select {
            "low"
        } else {
            "normal"
        };
        self.done.push(Plaintext {
            bytes: std::mem::take(&mut self.cur),
            urgency: urgency(right, self.faults),
        });
        self.cur_mailbox = None;
        self.has_fetch = false;
        self.has_select = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::push::content::{analyze, PushHeaders};
    use crate::server::message::Envelope;

    fn new_mail(uid: u32, body_len: usize) -> MailEvent {
        let raw = format!(
            "From: A <a@example.org>\r\nSubject: hello {uid}\r\n\r\n{}",
            "x".repeat(body_len)
        )
        .into_bytes();
        MailEvent::New {
            uid,
            modseq: 7,
            envelope: Arc::new(Envelope::parse(&raw)),
            raw: raw.into(),
        }
    }

    fn check(p: &Plaintext) -> crate::push::content::Content {
        let c = analyze(
            &p.bytes,
            Some(&PushHeaders {
                content_encoding: Some("aes128gcm".into()),
                ttl: Some(RECOMMENDED_TTL),
                urgency: Some(p.urgency.into()),
                topic: None,
            }),
        );
        assert!(
            c.warnings.is_empty(),
            "{:?}\n{}",
            c.warnings,
            String::from_utf8_lossy(&p.bytes)
        );
        c
    }

    #[test]
    fn retry_after_is_clamped_and_never_overflows() {
        let now = Instant::now();
        let (after, at) = retry_deadline(now, Duration::from_secs(u64::MAX));
        assert_eq!(after, MAX_RETRY_AFTER);
        assert_eq!(at - now, MAX_RETRY_AFTER);
        let (after, _) = retry_deadline(now, Duration::MAX);
        assert_eq!(after, MAX_RETRY_AFTER);
        assert_eq!(
            retry_deadline(now, Duration::from_secs(7)).0,
            Duration::from_secs(7)
        );
        // §7.4 waits are the peer's to set, up to a day.
        let day = Duration::from_secs(24 * 3600);
        assert_eq!(retry_deadline(now, day + Duration::from_secs(1)).0, day);
        assert_eq!(retry_deadline(now, day).0, day);
        let (after, at) = retry_deadline(now, day - Duration::from_secs(1));
        assert_eq!((after, at - now), (day - Duration::from_secs(1), after));
    }

    #[test]
    fn new_mail_falls_back_from_binary_to_envelope_to_sync() {
        let none = Faults::default();
        let small = build(
            &[("INBOX".into(), new_mail(3, 100))],
            Enabled::default(),
            &none,
        );
        assert_eq!(small.len(), 1);
        let text = String::from_utf8_lossy(&small[0].bytes).into_owned();
        assert!(
            text.starts_with("* SELECT INBOX\r\n* 3 UIDFETCH (ENVELOPE ("),
            "{text}"
        );
        assert!(text.contains("BINARY[] {"), "{text}");
        assert_eq!(small[0].urgency, "high");
        check(&small[0]);

        let big = build(
            &[("INBOX".into(), new_mail(4, 5000))],
            Enabled::default(),
            &none,
        );
        let text = String::from_utf8_lossy(&big[0].bytes).into_owned();
        assert!(
            text.contains("UIDFETCH (ENVELOPE (") && !text.contains("BINARY"),
            "{text}"
        );
        check(&big[0]);

        let oversize = build(
            &[("INBOX".into(), new_mail(4, 5000))],
            Enabled::default(),
            &Faults::new([Fault::OversizePush]),
        );
        assert!(oversize[0].bytes.len() > MAX_PLAINTEXT);
    }

    #[test]
    fn batches_split_into_pushes_that_each_fit() {
        let events: Vec<(String, MailEvent)> = (1..=10)
            .map(|uid| ("New Messages".to_owned(), new_mail(uid, 1500)))
            .collect();
        let pushes = build(&events, Enabled::default(), &Faults::default());
        assert!(pushes.len() > 1);
        for p in &pushes {
            assert!(p.bytes.len() <= MAX_PLAINTEXT);
            assert!(p.bytes.starts_with(b"* SELECT \"New Messages\"\r\n"));
            check(p);
        }
    }

    #[test]
    fn vanished_flags_and_condstore() {
        let events = vec![
            ("INBOX".to_owned(), MailEvent::Vanished { uid: 1 }),
            (
                "INBOX".to_owned(),
                MailEvent::Flags {
                    uid: 5,
                    seq: 2,
                    flags: vec!["\\Seen".into()],
                    modseq: 9,
                },
            ),
            ("INBOX".to_owned(), MailEvent::Vanished { uid: 3 }),
            ("INBOX".to_owned(), MailEvent::Vanished { uid: 2 }),
        ];
        let enabled = Enabled {
            condstore: true,
            ..Enabled::default()
        };
        let p = build(&events, enabled, &Faults::default());
        assert_eq!(
            String::from_utf8_lossy(&p[0].bytes),
            "* SELECT INBOX\r\n* 2 FETCH (UID 5 FLAGS (\\Seen) MODSEQ (9))\r\n* VANISHED 1:3\r\n"
        );
        // A flag change of a message expunged in the same batch is dropped.
        let mut events = events;
        events.push(("INBOX".to_owned(), MailEvent::Vanished { uid: 5 }));
        let p = build(&events, enabled, &Faults::default());
        assert_eq!(
            String::from_utf8_lossy(&p[0].bytes),
            "* SELECT INBOX\r\n* VANISHED 1:3,5\r\n"
        );
        assert_eq!(p[0].urgency, "normal");
        check(&p[0]);
    }

    /// New mail with a subject of `subject_len` bytes and a body of
    /// `body_len`.
    fn mail_with_subject(uid: u32, subject_len: usize, body_len: usize) -> MailEvent {
        let raw = format!(
            "Subject: {}\r\n\r\n{}",
            "s".repeat(subject_len),
            "x".repeat(body_len)
        )
        .into_bytes();
        MailEvent::New {
            uid,
            modseq: 7,
            envelope: Arc::new(Envelope::parse(&raw)),
            raw: raw.into(),
        }
    }

    fn texts(pushes: &[Plaintext]) -> Vec<String> {
        pushes
            .iter()
            .map(|p| String::from_utf8_lossy(&p.bytes).into_owned())
            .collect()
    }

    /// How many pushes name new mail `uid` in a UIDFETCH.
    fn mentions(pushes: &[Plaintext], uid: u32) -> usize {
        texts(pushes)
            .iter()
            .map(|t| t.matches(&format!("* {uid} UIDFETCH (")).count())
            .sum()
    }

    #[test]
    fn every_message_of_a_batch_is_pushed_exactly_once() {
        // Sizes that fill pushes unevenly: small, middling, over a push.
        let events: Vec<(String, MailEvent)> = (1..=40u32)
            .map(|uid| {
                let body = [10, 900, 2500, 3900, 6000][uid as usize % 5];
                let mailbox = if uid % 3 == 0 { "Archive" } else { "INBOX" };
                (mailbox.to_owned(), new_mail(uid, body))
            })
            .collect();
        let pushes = build(&events, Enabled::default(), &Faults::default());
        // Each message is named once, or stood for by a `* SYNC EXISTS`
        // where not even its UID fitted in the push: none is lost.
        let syncs: usize = texts(&pushes)
            .iter()
            .map(|t| t.matches("* SYNC EXISTS\r\n").count())
            .sum();
        let named: Vec<u32> = (1..=40).filter(|&uid| mentions(&pushes, uid) > 0).collect();
        for uid in 1..=40 {
            assert!(
                mentions(&pushes, uid) <= 1,
                "uid {uid}: {:?}",
                texts(&pushes)
            );
        }
        assert_eq!(named.len() + syncs, 40, "{:?}", texts(&pushes));
        for p in &pushes {
            assert!(p.bytes.len() <= MAX_PLAINTEXT);
            check(p);
        }
        // Mail is pushed in the order it came, mailbox by mailbox.
        let all = texts(&pushes).concat();
        let at = |uid: u32| all.find(&format!("* {uid} UIDFETCH (")).unwrap();
        assert!(at(1) < at(2) && at(2) < at(4) && at(3) < at(6));
        assert!(at(40) < at(3), "INBOX first, as its mail came first");
        // The same batch with room to spare names every message.
        let small: Vec<(String, MailEvent)> = (1..=40u32)
            .map(|uid| ("INBOX".to_owned(), new_mail(uid, 10)))
            .collect();
        let pushes = build(&small, Enabled::default(), &Faults::default());
        for uid in 1..=40 {
            assert_eq!(mentions(&pushes, uid), 1, "uid {uid}: {:?}", texts(&pushes));
        }
    }

    #[test]
    fn an_envelope_too_big_falls_back_to_the_uid() {
        // A 5000-byte subject: neither BINARY nor ENVELOPE fits.
        let p = build(
            &[("INBOX".into(), mail_with_subject(9, 5000, 10))],
            Enabled::default(),
            &Faults::default(),
        );
        assert_eq!(texts(&p), ["* SELECT INBOX\r\n* 9 UIDFETCH (UID 9)\r\n"]);
        assert_eq!(p[0].urgency, "high");
        check(&p[0]);
        let condstore = Enabled {
            condstore: true,
            ..Enabled::default()
        };
        let p = build(
            &[("INBOX".into(), mail_with_subject(9, 5000, 10))],
            condstore,
            &Faults::default(),
        );
        assert_eq!(
            texts(&p),
            ["* SELECT INBOX\r\n* 9 UIDFETCH (UID 9 MODSEQ (7))\r\n"]
        );
        // Next to a small one, each takes the richest form that fits.
        let p = build(
            &[
                ("INBOX".into(), new_mail(1, 10)),
                ("INBOX".into(), mail_with_subject(2, 5000, 10)),
            ],
            Enabled::default(),
            &Faults::default(),
        );
        assert_eq!(p.len(), 1, "{:?}", texts(&p));
        let t = &texts(&p)[0];
        assert!(
            t.contains("* 1 UIDFETCH (ENVELOPE (") && t.contains("BINARY[] {"),
            "{t}"
        );
        assert!(t.ends_with("* 2 UIDFETCH (UID 2)\r\n"), "{t}");
    }

    #[test]
    fn when_not_even_the_uid_fits_sync_exists_says_there_is_mail() {
        // A mailbox name so long that its SELECT leaves room for the 15
        // bytes of `* SYNC EXISTS` but not for a UIDFETCH.
        let name = "m".repeat(MAX_PLAINTEXT - 11 - 18);
        let select = format!("* SELECT {name}\r\n");
        let p = build(
            &[
                (name.clone(), new_mail(1234, 10)),
                (name.clone(), new_mail(1235, 10)),
            ],
            Enabled::default(),
            &Faults::default(),
        );
        // One push each: the second does not fit after the first.
        assert_eq!(
            texts(&p),
            [
                format!("{select}* SYNC EXISTS\r\n"),
                format!("{select}* SYNC EXISTS\r\n")
            ]
        );
        for p in &p {
            assert!(p.bytes.len() <= MAX_PLAINTEXT);
        }
    }

    #[test]
    fn new_mail_that_fits_whole_in_a_push_of_its_own_starts_one() {
        // The first fills more than half a push: the second, whole, fits
        // only in a push of its own, which beats its envelope alone here.
        let p = build(
            &[
                ("INBOX".into(), new_mail(1, 2500)),
                ("INBOX".into(), new_mail(2, 2500)),
            ],
            Enabled::default(),
            &Faults::default(),
        );
        assert_eq!(p.len(), 2, "{:?}", texts(&p));
        for (uid, t) in [1, 2].iter().zip(texts(&p)) {
            assert!(
                t.starts_with(&format!("* SELECT INBOX\r\n* {uid} UIDFETCH (ENVELOPE ("))
                    && t.contains("BINARY[] {"),
                "{t}"
            );
        }
        for p in &p {
            check(p);
        }
    }

    #[test]
    fn changes_that_fit_in_no_push_become_one_generic_sync() {
        // A mailbox name so long that its SELECT leaves no room at all.
        let name = "m".repeat(MAX_PLAINTEXT - 12);
        let events = vec![
            (name.clone(), new_mail(1, 10)),
            (name.clone(), new_mail(2, 10)),
            (
                name.clone(),
                MailEvent::Flags {
                    uid: 1,
                    seq: 1,
                    flags: vec![],
                    modseq: 3,
                },
            ),
            (name.clone(), MailEvent::Vanished { uid: 9 }),
            ("INBOX".into(), MailEvent::Vanished { uid: 4 }),
        ];
        let p = build(&events, Enabled::default(), &Faults::default());
        assert_eq!(
            texts(&p),
            ["* SYNC\r\n", "* SELECT INBOX\r\n* VANISHED 4\r\n"]
        );
        assert_eq!(p[0].urgency, "low", "§7.2: no SELECT");
        for p in &p {
            check(p);
        }
    }

    #[test]
    fn flag_changes_and_expunges_fall_back_to_sync() {
        let name = "m".repeat(MAX_PLAINTEXT - 11 - 15);
        let flags = MailEvent::Flags {
            uid: 5,
            seq: 2,
            flags: vec!["\\Seen".into()],
            modseq: 9,
        };
        let p = build(
            &[(name.clone(), flags)],
            Enabled::default(),
            &Faults::default(),
        );
        assert_eq!(texts(&p), [format!("* SELECT {name}\r\n* SYNC FETCH\r\n")]);
        assert_eq!(p[0].urgency, "normal");
        // A VANISHED set longer than a push: one `* SYNC VANISHED`.
        let gone: Vec<(String, MailEvent)> = (0..2000u32)
            .map(|i| ("INBOX".to_owned(), MailEvent::Vanished { uid: 2 * i + 1 }))
            .collect();
        let p = build(&gone, Enabled::default(), &Faults::default());
        assert_eq!(texts(&p), ["* SELECT INBOX\r\n* SYNC VANISHED\r\n"]);
        assert_eq!(p[0].urgency, "normal");
        // Short enough, the set itself, in order and compressed.
        let p = build(&gone[..5], Enabled::default(), &Faults::default());
        assert_eq!(texts(&p), ["* SELECT INBOX\r\n* VANISHED 1,3,5,7,9\r\n"]);
    }

    #[test]
    fn the_fetch_not_uidfetch_fault_renames_the_chosen_response() {
        let fault = Faults::new([Fault::FetchNotUidfetch]);
        // A small message goes whole, a large one as its envelope: each
        // as FETCH, the rest of the response untouched.
        for body_len in [10, 100_000] {
            let p = build(
                &[("INBOX".into(), new_mail(3, body_len))],
                Enabled::default(),
                &fault,
            );
            let text = texts(&p).concat();
            assert!(
                text.starts_with("* SELECT INBOX\r\n* 3 FETCH (ENVELOPE (NIL \"hello 3\""),
                "{text}"
            );
            assert!(!text.contains("UIDFETCH"), "{text}");
        }
    }

    #[test]
    fn urgency_follows_the_content() {
        let none = Faults::default();
        let flags = |uid| MailEvent::Flags {
            uid,
            seq: 1,
            flags: vec![],
            modseq: 3,
        };
        let p = build(&[("INBOX".into(), flags(1))], Enabled::default(), &none);
        assert_eq!(
            texts(&p),
            ["* SELECT INBOX\r\n* 1 FETCH (UID 1 FLAGS ())\r\n"]
        );
        assert_eq!(p[0].urgency, "normal");
        // Mail in a batch makes the whole push high.
        let p = build(
            &[("INBOX".into(), flags(1)), ("INBOX".into(), new_mail(2, 1))],
            Enabled::default(),
            &none,
        );
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].urgency, "high");
        // A push after a high one starts over.
        let p = build(
            &[
                ("INBOX".into(), new_mail(2, 3000)),
                ("INBOX".into(), flags(1)),
                ("INBOX".into(), new_mail(3, 3000)),
            ],
            Enabled::default(),
            &none,
        );
        for p in &p {
            check(p);
        }
        assert_eq!(
            fixed(b"* SYNC\r\n".to_vec(), &none).urgency,
            "low",
            "no SELECT: low"
        );
        let wrong = Faults::new([Fault::WrongUrgency]);
        assert_eq!(fixed(b"* SYNC\r\n".to_vec(), &wrong).urgency, "very-low");
        let p = build(
            &[("INBOX".into(), new_mail(2, 1))],
            Enabled::default(),
            &wrong,
        );
        assert_eq!(p[0].urgency, "very-low");
        let p = build(
            &[("INBOX".into(), new_mail(2, 1))],
            Enabled::default(),
            &Faults::new([Fault::NoSelectBeforeFetch]),
        );
        assert!(
            texts(&p)[0].starts_with("* 2 UIDFETCH ("),
            "{:?}",
            texts(&p)
        );
    }
}
