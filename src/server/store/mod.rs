//! The reference server's state, in memory: accounts, mailboxes, messages,
//! push subscriptions, acknowledgement tokens and the VAPID key. Every
//! change goes through one lock held briefly; changes that matter to push
//! are handed to the sender as [`Outgoing`] values, in order, while the lock
//! is held, and sessions learn of them through a per-account watch counter.
//!
//! This file holds the state, its types, accounts and the VAPID key;
//! [`mail`] the mailboxes and messages; [`subscriptions`] the push
//! subscriptions, their tokens and silences, and what the sender reads.

mod mail;
mod subscriptions;
#[cfg(test)]
mod tests;

pub use mail::same_mailbox;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use tokio::sync::{mpsc, watch};

use super::fault::{Fault, Faults};
use super::message::Envelope;
use crate::push::vapid::VapidSigner;
use crate::secret::Secret;
use crate::webpush::{ListPattern, Subscription, SubscriptionId, SubscriptionInfo, VapidKey};

/// §6.4: the token SHOULD be valid for 10 minutes.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(600);
/// Pending tokens kept per account; older ones are dropped first.
const MAX_TOKENS: usize = 256;

/// Where the server reads the time: the system clock, or a clock a test
/// moves by hand (token expiry, silence) instead of sleeping.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> SystemTime;
}

#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that moves only when told to.
#[derive(Debug)]
pub struct ManualClock(Mutex<SystemTime>);

impl ManualClock {
    pub fn new(start: SystemTime) -> Self {
        Self(Mutex::new(start))
    }

    pub fn advance(&self, d: Duration) {
        let mut t = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *t += d;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The capabilities a client ENABLEd (RFC 5161), which shape what it is
/// sent, pushes included (§5.2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Enabled {
    /// IMAP4rev2 or UTF8=ACCEPT: mailbox names and strings in UTF-8.
    pub utf8: bool,
    /// CONDSTORE (or QRESYNC, which implies it): MODSEQ in FETCH data.
    pub condstore: bool,
    pub qresync: bool,
}

/// A message in a mailbox.
#[derive(Debug, Clone)]
pub struct Message {
    pub uid: u32,
    pub flags: Vec<String>,
    pub modseq: u64,
    pub internal_date: SystemTime,
    pub raw: Arc<[u8]>,
    pub envelope: Arc<Envelope>,
}

#[derive(Debug, Clone)]
pub struct Mailbox {
    pub name: String,
    pub uidvalidity: u32,
    pub uidnext: u32,
    pub highest_modseq: u64,
    pub messages: Vec<Message>,
}

/// How STORE changes flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagOp {
    Replace,
    Add,
    Remove,
}

/// A subscription as the sender needs it, copied out of the store.
#[derive(Debug, Clone)]
pub struct Target {
    pub account: String,
    pub id: SubscriptionId,
    /// Distinguishes this subscription from a later one with the same ID.
    pub serial: u64,
    pub fields: Subscription,
    pub enabled: Enabled,
}

/// A mailbox change that may be pushed (§7).
#[derive(Debug, Clone)]
pub enum MailEvent {
    New {
        uid: u32,
        modseq: u64,
        raw: Arc<[u8]>,
        envelope: Arc<Envelope>,
    },
    Flags {
        uid: u32,
        seq: u32,
        flags: Vec<String>,
        modseq: u64,
    },
    Vanished {
        uid: u32,
    },
}

/// What the store hands to the push sender.
#[derive(Debug, Clone)]
pub enum Outgoing {
    /// §5.2: the ACKWEBPUSH token, to a new or changed subscription.
    Ack { target: Target, token: String },
    /// A mailbox changed; the sender pushes it to the account's active,
    /// unsilenced subscriptions.
    Event {
        account: String,
        mailbox: String,
        event: MailEvent,
    },
    /// §8: the new VAPID key, signed with the old one.
    Rotated {
        target: Target,
        new_key: VapidKey,
        old: Arc<VapidSigner>,
    },
}

/// Why a WEBPUSH create/update is refused with NO.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebPushRefused {
    #[error("[LIMIT] at most {0} subscriptions per account")]
    Limit(usize),
    /// The session's account is gone (accounts are fixed at start, so
    /// this does not happen while the server runs).
    #[error("[SERVERBUG] no such account")]
    NoAccount,
}

/// The result of WEBPUSH create/update.
#[derive(Debug, Clone)]
pub struct WebPushOutcome {
    pub info: SubscriptionInfo,
    /// The subscription is inactive after the command (the draft then
    /// requires the untagged WEBPUSH and VAPID responses).
    pub inactive: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SubState {
    Inactive,
    /// Acknowledged while this VAPID key generation was current.
    Active {
        generation: u32,
    },
}

#[derive(Debug)]
struct Sub {
    id: SubscriptionId,
    fields: Subscription,
    enabled: Enabled,
    state: SubState,
    silenced_until: Option<SystemTime>,
    /// Connections that hold `SILWEBPUSH <id> session`.
    session_silencers: u32,
    serial: u64,
    /// Bumped on every change that needs a new acknowledgement.
    version: u64,
}

#[derive(Debug)]
struct Token {
    token: String,
    serial: u64,
    version: u64,
    issued: SystemTime,
    generation: u32,
}

#[derive(Debug)]
struct Account {
    password: Secret<String>,
    admin: bool,
    mailboxes: Vec<Mailbox>,
    subs: Vec<Sub>,
    tokens: Vec<Token>,
    changed: watch::Sender<u64>,
    /// The bytes of all its messages, against [`Limits::max_account_bytes`].
    bytes: usize,
}

#[derive(Debug)]
struct Vapid {
    current: Arc<VapidSigner>,
    generation: u32,
    previous: Option<Arc<VapidSigner>>,
}

#[derive(Debug)]
struct State {
    accounts: HashMap<String, Account>,
    vapid: Vapid,
    next_serial: u64,
    next_uidvalidity: u32,
}

/// Limits the store enforces.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_subscriptions: usize,
    /// Message bytes per account, all mailboxes together; an APPEND past
    /// it is refused with `NO [OVERQUOTA]` (RFC 9208 §4.3).
    pub max_account_bytes: usize,
    /// How long an ACKWEBPUSH token is accepted ([`TOKEN_LIFETIME`], as
    /// §6.4 says; shorter in tests of `6.4/token-expires`, which waits it).
    pub token_lifetime: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_subscriptions: 32,
            max_account_bytes: 256 << 20,
            token_lifetime: TOKEN_LIFETIME,
        }
    }
}

#[derive(Debug)]
pub struct Store {
    state: Mutex<State>,
    clock: Arc<dyn Clock>,
    faults: Faults,
    limits: Limits,
    out: mpsc::UnboundedSender<Outgoing>,
}

/// An account to create: name, password, administrator (may XROTATEVAPID).
#[derive(Debug, Clone)]
pub struct AccountSpec {
    pub name: String,
    pub password: Secret<String>,
    pub admin: bool,
}

fn remaining(until: Option<SystemTime>, now: SystemTime) -> u32 {
    until
        .and_then(|u| u.duration_since(now).ok())
        .map_or(0, |d| {
            let s = d.as_secs() + u64::from(d.subsec_nanos() > 0);
            u32::try_from(s).unwrap_or(u32::MAX)
        })
}

impl Store {
    pub fn new(
        accounts: Vec<AccountSpec>,
        vapid: VapidSigner,
        clock: Arc<dyn Clock>,
        faults: Faults,
        limits: Limits,
        out: mpsc::UnboundedSender<Outgoing>,
    ) -> Self {
        let now = clock
            .now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(1, |d| d.as_secs() as u32);
        let mut next_uidvalidity = now.max(1);
        let accounts = accounts
            .into_iter()
            .map(|a| {
                let inbox = Mailbox {
                    name: "INBOX".into(),
                    uidvalidity: next_uidvalidity,
                    uidnext: 1,
                    highest_modseq: 1,
                    messages: Vec::new(),
                };
                next_uidvalidity += 1;
                (
                    a.name,
                    Account {
                        password: a.password,
                        admin: a.admin,
                        mailboxes: vec![inbox],
                        subs: Vec::new(),
                        tokens: Vec::new(),
                        changed: watch::channel(0).0,
                        bytes: 0,
                    },
                )
            })
            .collect();
        Self {
            state: Mutex::new(State {
                accounts,
                vapid: Vapid {
                    current: Arc::new(vapid),
                    generation: 1,
                    previous: None,
                },
                next_serial: 1,
                next_uidvalidity,
            }),
            clock,
            faults,
            limits,
            out,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves consistent data (every
        // mutation is a few field writes); keep serving.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn now(&self) -> SystemTime {
        self.clock.now()
    }

    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    fn emit(&self, o: Outgoing) {
        // The sender lives as long as the server; if it is gone, the server
        // is shutting down and the push has nowhere to go.
        let _ = self.out.send(o);
    }

    /// Checks a password in constant time; returns the account name.
    pub fn login(&self, user: &str, password: &[u8]) -> Option<String> {
        let st = self.lock();
        let acct = st.accounts.get(user)?;
        aws_lc_rs::constant_time::verify_slices_are_equal(
            acct.password.expose().as_bytes(),
            password,
        )
        .ok()
        .map(|()| user.to_owned())
    }

    pub fn is_admin(&self, user: &str) -> bool {
        self.lock().accounts.get(user).is_some_and(|a| a.admin)
    }

    /// A receiver that changes whenever the account's mailboxes do.
    pub fn watch(&self, user: &str) -> Option<watch::Receiver<u64>> {
        self.lock()
            .accounts
            .get(user)
            .map(|a| a.changed.subscribe())
    }

    fn touched(acct: &Account) {
        acct.changed.send_modify(|v| *v += 1);
    }

    /// The current VAPID public key.
    pub fn vapid_key(&self) -> VapidKey {
        self.lock().vapid.current.public().clone()
    }

    /// The current VAPID signer, for pushes.
    pub fn vapid_signer(&self) -> Arc<VapidSigner> {
        self.lock().vapid.current.clone()
    }

    fn info(sub: &Sub, now: SystemTime) -> SubscriptionInfo {
        SubscriptionInfo {
            id: sub.id.clone(),
            endpoint: sub.fields.endpoint.clone(),
            silenced: match sub.state {
                SubState::Inactive => None,
                SubState::Active { .. } => Some(remaining(sub.silenced_until, now)),
            },
        }
    }

    fn target(user: &str, sub: &Sub) -> Target {
        Target {
            account: user.to_owned(),
            id: sub.id.clone(),
            serial: sub.serial,
            fields: sub.fields.clone(),
            enabled: sub.enabled,
        }
    }

    /// §8: makes `new` the current key. Pending tokens die; every active
    /// subscription is told the new key in a push signed with the old one,
    /// then deactivated until it is acknowledged again under the new key.
    /// Returns the number of subscriptions told. The notice goes to
    /// silenced subscriptions too: it is not a mailbox event, and a client
    /// that misses it is left with a subscription that silently died.
    pub fn rotate_vapid(&self, new: VapidSigner) -> usize {
        let mut guard = self.lock();
        let st = &mut *guard;
        let old = std::mem::replace(&mut st.vapid.current, Arc::new(new));
        st.vapid.generation += 1;
        st.vapid.previous = Some(old.clone());
        let new_key = st.vapid.current.public().clone();
        let mut told = 0;
        for (name, acct) in st.accounts.iter_mut() {
            acct.tokens.clear();
            for sub in acct.subs.iter_mut() {
                if matches!(sub.state, SubState::Active { .. }) {
                    self.emit(Outgoing::Rotated {
                        target: Self::target(name, sub),
                        new_key: new_key.clone(),
                        old: old.clone(),
                    });
                    sub.state = SubState::Inactive;
                    told += 1;
                }
            }
        }
        told
    }
}
