//! The reference server's state, in memory: accounts, mailboxes, messages,
//! push subscriptions, acknowledgement tokens and the VAPID key. Every
//! change goes through one lock held briefly; changes that matter to push
//! are handed to the sender as [`Outgoing`] values, in order, while the lock
//! is held, and sessions learn of them through a per-account watch counter.

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
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_subscriptions: 32,
            max_account_bytes: 256 << 20,
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

    pub fn mailboxes(&self, user: &str) -> Vec<String> {
        let st = self.lock();
        st.accounts.get(user).map_or_else(Vec::new, |a| {
            a.mailboxes.iter().map(|m| m.name.clone()).collect()
        })
    }

    pub fn create(&self, user: &str, name: &str) -> Result<(), &'static str> {
        let mut st = self.lock();
        let uidvalidity = st.next_uidvalidity;
        let acct = st.accounts.get_mut(user).ok_or("no such account")?;
        if acct.mailboxes.iter().any(|m| same_mailbox(&m.name, name)) {
            return Err("[ALREADYEXISTS] mailbox exists");
        }
        acct.mailboxes.push(Mailbox {
            name: name.to_owned(),
            uidvalidity,
            uidnext: 1,
            highest_modseq: 1,
            messages: Vec::new(),
        });
        st.next_uidvalidity += 1;
        Ok(())
    }

    pub fn delete(&self, user: &str, name: &str) -> Result<(), &'static str> {
        if name.eq_ignore_ascii_case("INBOX") {
            return Err("INBOX cannot be deleted");
        }
        let mut st = self.lock();
        let acct = st.accounts.get_mut(user).ok_or("no such account")?;
        let Some(i) = acct
            .mailboxes
            .iter()
            .position(|m| same_mailbox(&m.name, name))
        else {
            return Err("[NONEXISTENT] no such mailbox");
        };
        let gone = acct.mailboxes.remove(i);
        let freed: usize = gone.messages.iter().map(|m| m.raw.len()).sum();
        acct.bytes = acct.bytes.saturating_sub(freed);
        Self::touched(acct);
        Ok(())
    }

    /// An account and the index of one of its mailboxes.
    fn account_mailbox<'a>(
        st: &'a mut State,
        user: &str,
        mailbox: &str,
    ) -> Option<(&'a mut Account, usize)> {
        let acct = st.accounts.get_mut(user)?;
        let i = acct
            .mailboxes
            .iter()
            .position(|m| same_mailbox(&m.name, mailbox))?;
        Some((acct, i))
    }

    /// Runs `f` on a mailbox, read-only.
    pub fn read<R>(&self, user: &str, mailbox: &str, f: impl FnOnce(&Mailbox) -> R) -> Option<R> {
        let st = self.lock();
        let acct = st.accounts.get(user)?;
        acct.mailboxes
            .iter()
            .find(|m| same_mailbox(&m.name, mailbox))
            .map(f)
    }

    /// Appends a message; returns (UIDVALIDITY, UID) for APPENDUID.
    pub fn append(
        &self,
        user: &str,
        mailbox: &str,
        raw: Vec<u8>,
        flags: Vec<String>,
    ) -> Result<(u32, u32), &'static str> {
        let now = self.now();
        // Parsing costs what the client sent: not under the lock.
        let envelope = Arc::new(Envelope::parse(&raw));
        let raw: Arc<[u8]> = raw.into();
        let max = self.limits.max_account_bytes;
        let mut st = self.lock();
        let (acct, i) =
            Self::account_mailbox(&mut st, user, mailbox).ok_or("[TRYCREATE] no such mailbox")?;
        let total = acct.bytes.saturating_add(raw.len());
        if total > max {
            return Err(
                "[OVERQUOTA] the account's storage limit is reached; expunge messages first",
            );
        }
        acct.bytes = total;
        let mb = &mut acct.mailboxes[i];
        let uid = mb.uidnext;
        mb.uidnext += 1;
        mb.highest_modseq += 1;
        mb.messages.push(Message {
            uid,
            flags,
            modseq: mb.highest_modseq,
            internal_date: now,
            raw: raw.clone(),
            envelope: envelope.clone(),
        });
        let (uidvalidity, modseq, name) = (mb.uidvalidity, mb.highest_modseq, mb.name.clone());
        Self::touched(acct);
        self.emit(Outgoing::Event {
            account: user.to_owned(),
            mailbox: name,
            event: MailEvent::New {
                uid,
                modseq,
                raw,
                envelope,
            },
        });
        Ok((uidvalidity, uid))
    }

    /// Changes the flags of the messages with these UIDs; returns, for
    /// each message whose flags changed, (UID, flags, MODSEQ).
    pub fn store_flags(
        &self,
        user: &str,
        mailbox: &str,
        uids: &[u32],
        op: FlagOp,
        flags: &[String],
    ) -> Vec<(u32, Vec<String>, u64)> {
        let mut st = self.lock();
        let Some((acct, i)) = Self::account_mailbox(&mut st, user, mailbox) else {
            return vec![];
        };
        let mb = &mut acct.mailboxes[i];
        let mut changed = Vec::new();
        let name = mb.name.clone();
        for (i, m) in mb.messages.iter_mut().enumerate() {
            if !uids.contains(&m.uid) {
                continue;
            }
            let mut new = match op {
                FlagOp::Replace => flags.to_vec(),
                FlagOp::Add => {
                    let mut f = m.flags.clone();
                    for x in flags {
                        if !f.iter().any(|y| y.eq_ignore_ascii_case(x)) {
                            f.push(x.clone());
                        }
                    }
                    f
                }
                FlagOp::Remove => m
                    .flags
                    .iter()
                    .filter(|y| !flags.iter().any(|x| x.eq_ignore_ascii_case(y)))
                    .cloned()
                    .collect(),
            };
            new.dedup();
            if new == m.flags {
                continue;
            }
            mb.highest_modseq += 1;
            m.flags = new;
            m.modseq = mb.highest_modseq;
            changed.push((m.uid, m.flags.clone(), m.modseq));
            self.emit(Outgoing::Event {
                account: user.to_owned(),
                mailbox: name.clone(),
                event: MailEvent::Flags {
                    uid: m.uid,
                    seq: i as u32 + 1,
                    flags: m.flags.clone(),
                    modseq: m.modseq,
                },
            });
        }
        if !changed.is_empty() {
            Self::touched(acct);
        }
        changed
    }

    /// Removes the messages flagged `\Deleted` (only those in `only`, for
    /// UID EXPUNGE); returns their UIDs.
    pub fn expunge(&self, user: &str, mailbox: &str, only: Option<&[u32]>) -> Vec<u32> {
        let mut st = self.lock();
        let Some((acct, i)) = Self::account_mailbox(&mut st, user, mailbox) else {
            return vec![];
        };
        let mb = &mut acct.mailboxes[i];
        let mut gone = Vec::new();
        let mut freed = 0;
        mb.messages.retain(|m| {
            let del = m.flags.iter().any(|f| f.eq_ignore_ascii_case("\\Deleted"))
                && only.is_none_or(|o| o.contains(&m.uid));
            if del {
                gone.push(m.uid);
                freed += m.raw.len();
            }
            !del
        });
        acct.bytes = acct.bytes.saturating_sub(freed);
        if gone.is_empty() {
            return gone;
        }
        mb.highest_modseq += 1;
        let name = mb.name.clone();
        for &uid in &gone {
            self.emit(Outgoing::Event {
                account: user.to_owned(),
                mailbox: name.clone(),
                event: MailEvent::Vanished { uid },
            });
        }
        Self::touched(acct);
        gone
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

    /// §5.2 create or update.
    pub fn webpush_set(
        &self,
        user: &str,
        id: &SubscriptionId,
        fields: Subscription,
        enabled: Enabled,
    ) -> Result<WebPushOutcome, WebPushRefused> {
        let now = self.now();
        let mut guard = self.lock();
        let st = &mut *guard;
        let generation = st.vapid.generation;
        let Some(acct) = st.accounts.get_mut(user) else {
            return Err(WebPushRefused::NoAccount);
        };
        let pos = match acct.subs.iter().position(|s| &s.id == id) {
            Some(pos) => {
                let sub = &mut acct.subs[pos];
                sub.enabled = enabled;
                let fresh = sub.state == SubState::Active { generation };
                if sub.fields == fields && fresh {
                    // Equal fields, acknowledged under the current key:
                    // it stays active and nothing needs confirming.
                    return Ok(WebPushOutcome {
                        info: Self::info(sub, now),
                        inactive: false,
                    });
                }
                // A different field, a key rotated since activation, or a
                // subscription still waiting for its acknowledgement: (re)issue
                // a token, and it is inactive until that token comes back.
                if sub.fields != fields {
                    sub.fields = fields;
                    sub.silenced_until = None;
                }
                sub.version += 1;
                sub.state = SubState::Inactive;
                pos
            }
            None => {
                if acct.subs.len() >= self.limits.max_subscriptions {
                    return Err(WebPushRefused::Limit(self.limits.max_subscriptions));
                }
                acct.subs.push(Sub {
                    id: id.clone(),
                    fields,
                    enabled,
                    state: SubState::Inactive,
                    silenced_until: None,
                    session_silencers: 0,
                    serial: st.next_serial,
                    version: 1,
                });
                st.next_serial += 1;
                acct.subs.len() - 1
            }
        };
        let sub = &mut acct.subs[pos];
        if self.faults.has(Fault::ActivateWithoutAck) {
            sub.state = SubState::Active { generation };
        }
        let token = crate::webpush::types::new_uuid_v4();
        let (serial, version) = (sub.serial, sub.version);
        let info = Self::info(sub, now);
        let target = Self::target(user, sub);
        acct.tokens
            .retain(|t| now.duration_since(t.issued).unwrap_or_default() <= TOKEN_LIFETIME);
        if acct.tokens.len() >= MAX_TOKENS {
            acct.tokens.remove(0);
        }
        acct.tokens.push(Token {
            token: token.clone(),
            serial,
            version,
            issued: now,
            generation,
        });
        if !self.faults.has(Fault::SkipAckPush) {
            self.emit(Outgoing::Ack { target, token });
        }
        Ok(WebPushOutcome {
            inactive: info.silenced.is_none(),
            info,
        })
    }

    /// §5.2 delete; deleting an unknown ID is not an error.
    pub fn webpush_delete(&self, user: &str, id: &SubscriptionId) {
        let mut st = self.lock();
        if let Some(acct) = st.accounts.get_mut(user) {
            if let Some(pos) = acct.subs.iter().position(|s| &s.id == id) {
                let serial = acct.subs.remove(pos).serial;
                acct.tokens.retain(|t| t.serial != serial);
            }
        }
    }

    /// §5.3: activates the subscription the token was issued for, if the
    /// token is known, unexpired, and its subscription unchanged since.
    pub fn ackwebpush(&self, user: &str, token: &str) -> Option<SubscriptionInfo> {
        let now = self.now();
        let mut guard = self.lock();
        let st = &mut *guard;
        let generation = st.vapid.generation;
        let acct = st.accounts.get_mut(user)?;
        let pos = acct.tokens.iter().position(|t| t.token == token)?;
        let t = &acct.tokens[pos];
        let age = now.duration_since(t.issued).unwrap_or_default();
        let valid = age <= TOKEN_LIFETIME && t.generation == generation;
        let (serial, version) = (t.serial, t.version);
        if !self.faults.has(Fault::ReusableToken) {
            acct.tokens.remove(pos);
        }
        if !valid {
            return None;
        }
        let sub = acct
            .subs
            .iter_mut()
            .find(|s| s.serial == serial && s.version == version)?;
        sub.state = SubState::Active { generation };
        Some(Self::info(sub, now))
    }

    /// §5.4, in creation order.
    pub fn lwebpush(&self, user: &str, pattern: &ListPattern) -> Vec<SubscriptionInfo> {
        let now = self.now();
        // The pattern is the client's: match after the lock is released,
        // so that its cost falls on this session alone.
        let all: Vec<SubscriptionInfo> = {
            let st = self.lock();
            st.accounts.get(user).map_or_else(Vec::new, |a| {
                a.subs.iter().map(|s| Self::info(s, now)).collect()
            })
        };
        all.into_iter().filter(|i| pattern.matches(&i.id)).collect()
    }

    /// §5.5 with a duration (0 ends the silence). `None`: unknown or
    /// inactive (NO).
    pub fn silence(
        &self,
        user: &str,
        id: &SubscriptionId,
        seconds: u32,
    ) -> Option<SubscriptionInfo> {
        let now = self.now();
        let mut st = self.lock();
        let sub = Self::active_sub(&mut st, user, id)?;
        sub.silenced_until = (seconds > 0).then(|| now + Duration::from_secs(u64::from(seconds)));
        Some(Self::info(sub, now))
    }

    /// §5.5 `session`: silenced until [`Store::release_session`] (called
    /// when the connection ends). Returns the serial to release later.
    pub fn silence_session(
        &self,
        user: &str,
        id: &SubscriptionId,
    ) -> Option<(SubscriptionInfo, u64)> {
        let now = self.now();
        let mut st = self.lock();
        let sub = Self::active_sub(&mut st, user, id)?;
        sub.session_silencers += 1;
        Some((Self::info(sub, now), sub.serial))
    }

    /// Ends the session silences a connection held: one release for each
    /// [`Store::silence_session`] it made, so that a silence set twice on
    /// one connection still ends with it.
    pub fn release_session(&self, user: &str, serials: &[u64]) {
        let mut st = self.lock();
        if let Some(acct) = st.accounts.get_mut(user) {
            for serial in serials {
                if let Some(s) = acct.subs.iter_mut().find(|s| s.serial == *serial) {
                    s.session_silencers = s.session_silencers.saturating_sub(1);
                }
            }
        }
    }

    fn active_sub<'a>(st: &'a mut State, user: &str, id: &SubscriptionId) -> Option<&'a mut Sub> {
        st.accounts
            .get_mut(user)?
            .subs
            .iter_mut()
            .find(|s| &s.id == id && matches!(s.state, SubState::Active { .. }))
    }

    /// The subscriptions a mailbox event is pushed to: active, and not
    /// silenced (unless the `ignore-silence` fault is on).
    pub fn push_targets(&self, user: &str) -> Vec<Target> {
        let now = self.now();
        let st = self.lock();
        let ignore = self.faults.has(Fault::IgnoreSilence);
        st.accounts.get(user).map_or_else(Vec::new, |a| {
            a.subs
                .iter()
                .filter(|s| matches!(s.state, SubState::Active { .. }))
                .filter(|s| {
                    ignore || (s.session_silencers == 0 && remaining(s.silenced_until, now) == 0)
                })
                .map(|s| Self::target(user, s))
                .collect()
        })
    }

    /// Whether this subscription (not a later one with its ID) still exists.
    pub fn exists(&self, user: &str, serial: u64) -> bool {
        let st = self.lock();
        st.accounts
            .get(user)
            .is_some_and(|a| a.subs.iter().any(|s| s.serial == serial))
    }

    /// §7.4: the push service said the subscription is gone.
    pub fn remove(&self, user: &str, serial: u64) -> bool {
        let mut st = self.lock();
        let Some(acct) = st.accounts.get_mut(user) else {
            return false;
        };
        let before = acct.subs.len();
        acct.subs.retain(|s| s.serial != serial);
        acct.tokens.retain(|t| t.serial != serial);
        acct.subs.len() != before
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

/// INBOX is case-insensitive (RFC 9051 §5.1); other names are not.
pub fn same_mailbox(a: &str, b: &str) -> bool {
    a == b || (a.eq_ignore_ascii_case("INBOX") && b.eq_ignore_ascii_case("INBOX"))
}

#[cfg(test)]
mod tests {
    //! The store's rules without sockets: a manual clock, and the
    //! [`Outgoing`] channel read directly.

    use super::*;
    use crate::webpush::types::{AuthSecret, Endpoint, P256dh};

    // RFC 8291 Appendix A's subscriber.
    const P256DH: &str =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";

    struct Rig {
        store: Store,
        out: mpsc::UnboundedReceiver<Outgoing>,
        clock: Arc<ManualClock>,
    }

    fn rig_with(faults: &[Fault], limits: Limits) -> Rig {
        let clock = Arc::new(ManualClock::new(
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000),
        ));
        let (tx, out) = mpsc::unbounded_channel();
        let account = |name: &str, admin| AccountSpec {
            name: name.into(),
            password: Secret::new(format!("{name}-pw")),
            admin,
        };
        let store = Store::new(
            vec![account("alice", false), account("root", true)],
            VapidSigner::generate().unwrap(),
            clock.clone(),
            Faults::new(faults.iter().copied()),
            limits,
            tx,
        );
        Rig { store, out, clock }
    }

    fn rig() -> Rig {
        rig_with(&[], Limits::default())
    }

    fn id(s: &str) -> SubscriptionId {
        SubscriptionId::parse(s).unwrap()
    }

    fn fields(endpoint: &str) -> Subscription {
        Subscription {
            endpoint: Endpoint::parse(endpoint).unwrap(),
            p256dh: P256dh::parse(P256DH).unwrap(),
            auth: AuthSecret::parse(AUTH).unwrap(),
        }
    }

    const EP: &str = "https://push.example/a";

    impl Rig {
        /// Everything the store has handed to the sender so far.
        fn drain(&mut self) -> Vec<Outgoing> {
            std::iter::from_fn(|| self.out.try_recv().ok()).collect()
        }

        /// The token of the one Ack sent since the last drain.
        fn ack_token(&mut self) -> String {
            match self.drain().as_slice() {
                [Outgoing::Ack { token, .. }] => token.clone(),
                other => panic!("expected one Ack, got {other:?}"),
            }
        }

        fn set(&mut self, sid: &str, endpoint: &str) -> WebPushOutcome {
            self.store
                .webpush_set("alice", &id(sid), fields(endpoint), Enabled::default())
                .unwrap()
        }

        /// Creates and acknowledges a subscription.
        fn active(&mut self, sid: &str) -> SubscriptionInfo {
            self.set(sid, EP);
            let token = self.ack_token();
            self.store.ackwebpush("alice", &token).unwrap()
        }

        fn targets(&self) -> Vec<String> {
            self.store
                .push_targets("alice")
                .into_iter()
                .map(|t| t.id.to_string())
                .collect()
        }

        fn advance(&self, d: Duration) {
            self.clock.advance(d);
        }
    }

    #[test]
    fn login_checks_the_password_and_admin_is_per_account() {
        let r = rig();
        assert_eq!(r.store.login("alice", b"alice-pw"), Some("alice".into()));
        assert_eq!(r.store.login("alice", b"alice-pw "), None);
        assert_eq!(r.store.login("alice", b"root-pw"), None);
        assert_eq!(r.store.login("nobody", b"alice-pw"), None);
        assert!(r.store.is_admin("root"));
        assert!(!r.store.is_admin("alice"));
        assert!(!r.store.is_admin("nobody"));
    }

    #[test]
    fn a_subscription_is_inactive_until_its_token_comes_back() {
        let mut r = rig();
        let o = r.set("s1", EP);
        assert!(o.inactive);
        assert_eq!(o.info.silenced, None);
        let token = r.ack_token();
        assert!(r.targets().is_empty(), "§5.2: inactive gets no mail pushes");
        assert!(r.store.silence("alice", &id("s1"), 10).is_none());
        assert!(r.store.silence_session("alice", &id("s1")).is_none());
        assert!(r.store.ackwebpush("alice", "not-a-token").is_none());
        assert!(
            r.store.ackwebpush("root", &token).is_none(),
            "another account's"
        );
        let info = r.store.ackwebpush("alice", &token).unwrap();
        assert_eq!(info.silenced, Some(0));
        assert_eq!(r.targets(), ["s1"]);
        // §5.3: a token is good once.
        assert!(r.store.ackwebpush("alice", &token).is_none());
        let listed = r.store.lwebpush("alice", &ListPattern::parse("*").unwrap());
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].silenced, Some(0));
        assert!(r
            .store
            .lwebpush("alice", &ListPattern::parse("x*").unwrap())
            .is_empty());
        assert!(r
            .store
            .lwebpush("root", &ListPattern::parse("*").unwrap())
            .is_empty());
    }

    #[test]
    fn an_update_keeps_or_deactivates_by_its_fields() {
        let mut r = rig();
        r.active("s1");
        // Equal fields, acknowledged under the current key: nothing to do.
        let o = r.set("s1", EP);
        assert!(!o.inactive);
        assert_eq!(o.info.silenced, Some(0));
        assert!(r.drain().is_empty(), "no new token for equal fields");
        assert_eq!(r.targets(), ["s1"]);
        r.store.silence("alice", &id("s1"), 100).unwrap();
        // A different endpoint: inactive, a new token, silence forgotten.
        let o = r.set("s1", "https://push.example/b");
        assert!(o.inactive);
        let token = r.ack_token();
        assert!(r.targets().is_empty());
        let info = r.store.ackwebpush("alice", &token).unwrap();
        assert_eq!(info.endpoint.as_str(), "https://push.example/b");
        assert_eq!(
            info.silenced,
            Some(0),
            "a changed subscription is not silenced"
        );
        assert_eq!(r.targets(), ["s1"]);
        // An update while still waiting for the acknowledgement reissues the
        // token, and only the newest one activates.
        r.set("s2", EP);
        let first = r.ack_token();
        r.set("s2", EP);
        let second = r.ack_token();
        r.set("s2", EP);
        let third = r.ack_token();
        assert!(r.store.ackwebpush("alice", &first).is_none());
        assert!(r.store.ackwebpush("alice", &second).is_none());
        assert!(r.store.ackwebpush("alice", &third).is_some());
        // Equal fields under the current key keep the silence.
        r.store.silence("alice", &id("s2"), 100).unwrap();
        assert_eq!(r.set("s2", EP).info.silenced, Some(100));
    }

    #[test]
    fn tokens_live_ten_minutes_to_the_second() {
        let mut r = rig();
        r.set("s1", EP);
        let token = r.ack_token();
        r.advance(TOKEN_LIFETIME);
        assert!(r.store.ackwebpush("alice", &token).is_some(), "at 600 s");
        r.set("s2", EP);
        let token = r.ack_token();
        r.advance(TOKEN_LIFETIME + Duration::from_secs(1));
        assert!(r.store.ackwebpush("alice", &token).is_none(), "at 601 s");
        // An expired token is forgotten when the next one is issued; a
        // fresh one made at the same time still works.
        r.set("s3", EP);
        let old = r.ack_token();
        r.advance(TOKEN_LIFETIME);
        r.set("s4", EP);
        let fresh = r.ack_token();
        assert!(r.store.ackwebpush("alice", &old).is_some());
        assert!(r.store.ackwebpush("alice", &fresh).is_some());
    }

    #[test]
    fn the_oldest_pending_token_is_dropped_past_the_cap() {
        let mut r = rig_with(
            &[],
            Limits {
                max_subscriptions: MAX_TOKENS + 1,
                ..Limits::default()
            },
        );
        let mut tokens = Vec::new();
        for i in 0..=MAX_TOKENS {
            r.set(&format!("s{i}"), EP);
            tokens.push(r.ack_token());
        }
        assert!(r.store.ackwebpush("alice", &tokens[0]).is_none());
        assert!(r.store.ackwebpush("alice", &tokens[1]).is_some());
        assert!(r.store.ackwebpush("alice", &tokens[MAX_TOKENS]).is_some());
    }

    #[test]
    fn the_subscription_limit_counts_creations_not_updates() {
        let mut r = rig_with(
            &[],
            Limits {
                max_subscriptions: 2,
                ..Limits::default()
            },
        );
        r.set("s1", EP);
        r.set("s2", EP);
        let refused = r
            .store
            .webpush_set("alice", &id("s3"), fields(EP), Enabled::default());
        assert_eq!(refused.unwrap_err(), WebPushRefused::Limit(2));
        r.set("s2", "https://push.example/b");
        r.store.webpush_delete("alice", &id("s1"));
        r.set("s3", EP);
        let unknown = r
            .store
            .webpush_set("nobody", &id("s1"), fields(EP), Enabled::default());
        assert_eq!(unknown.unwrap_err(), WebPushRefused::NoAccount);
    }

    #[test]
    fn delete_and_remove_forget_the_subscription_and_its_token() {
        let mut r = rig();
        r.set("s1", EP);
        let token = r.ack_token();
        r.active("other");
        r.set("waiting", EP);
        let waiting = r.ack_token();
        r.store.webpush_delete("alice", &id("s1"));
        assert!(r.store.ackwebpush("alice", &token).is_none());
        r.store.webpush_delete("alice", &id("unknown"));
        assert_eq!(r.targets(), ["other"], "only the named one goes");
        assert!(
            r.store.ackwebpush("alice", &waiting).is_some(),
            "another subscription's token stays"
        );
        r.store.webpush_delete("alice", &id("other"));
        r.store.webpush_delete("alice", &id("waiting"));
        r.active("s2");
        let serial = r.store.push_targets("alice")[0].serial;
        assert!(r.store.exists("alice", serial));
        assert!(!r.store.exists("root", serial));
        // A new subscription with the same ID is another serial.
        r.set("s2", "https://push.example/b");
        let pending = r.ack_token();
        assert!(r.store.remove("alice", serial));
        assert!(!r.store.exists("alice", serial));
        assert!(!r.store.remove("alice", serial));
        assert!(!r.store.remove("nobody", serial));
        assert!(r.store.ackwebpush("alice", &pending).is_none());
        assert!(r.targets().is_empty());
        // Removing one subscription leaves another's pending token alone.
        r.active("gone");
        r.set("kept", EP);
        let kept = r.ack_token();
        let gone = r.store.push_targets("alice")[0].serial;
        assert!(r.store.remove("alice", gone));
        assert!(r.store.ackwebpush("alice", &kept).is_some());
        r.store.webpush_delete("alice", &id("kept"));
        r.active("s3");
        let later = r.store.push_targets("alice")[0].serial;
        assert!(later > serial);
        assert!(!r.store.exists("alice", serial));
    }

    #[test]
    fn a_timed_silence_rounds_up_and_ends_on_time() {
        let mut r = rig();
        r.active("s1");
        r.active("s2");
        let info = r.store.silence("alice", &id("s1"), 30).unwrap();
        assert_eq!(info.silenced, Some(30));
        assert_eq!(r.targets(), ["s2"]);
        r.advance(Duration::from_millis(29_500));
        let listed = r
            .store
            .lwebpush("alice", &ListPattern::parse("s1").unwrap());
        assert_eq!(listed[0].silenced, Some(1), "half a second left shows as 1");
        assert_eq!(r.targets(), ["s2"]);
        r.advance(Duration::from_millis(500));
        assert_eq!(r.targets(), ["s1", "s2"]);
        let listed = r
            .store
            .lwebpush("alice", &ListPattern::parse("s1").unwrap());
        assert_eq!(listed[0].silenced, Some(0));
        // 0 ends a silence at once.
        r.store.silence("alice", &id("s1"), 3600).unwrap();
        assert_eq!(r.targets(), ["s2"]);
        let info = r.store.silence("alice", &id("s1"), 0).unwrap();
        assert_eq!(info.silenced, Some(0));
        assert_eq!(r.targets(), ["s1", "s2"]);
        assert!(r.store.silence("alice", &id("nope"), 5).is_none());
    }

    #[test]
    fn remaining_is_whole_seconds_rounded_up_and_saturates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
        assert_eq!(remaining(None, now), 0);
        assert_eq!(remaining(Some(now), now), 0);
        assert_eq!(remaining(Some(now - Duration::from_secs(5)), now), 0);
        assert_eq!(remaining(Some(now + Duration::from_secs(5)), now), 5);
        assert_eq!(remaining(Some(now + Duration::from_nanos(1)), now), 1);
        assert_eq!(remaining(Some(now + Duration::from_millis(4_001)), now), 5);
        let far = now + Duration::from_secs(u64::from(u32::MAX) + 10);
        assert_eq!(remaining(Some(far), now), u32::MAX);
    }

    #[test]
    fn a_session_silence_lasts_until_each_hold_is_released() {
        let mut r = rig();
        r.active("s1");
        let (info, serial) = r.store.silence_session("alice", &id("s1")).unwrap();
        assert_eq!(info.id.to_string(), "s1");
        let (_, again) = r.store.silence_session("alice", &id("s1")).unwrap();
        assert_eq!(serial, again);
        assert!(r.targets().is_empty());
        r.store.release_session("alice", &[serial]);
        assert!(r.targets().is_empty(), "one hold is left");
        r.store.release_session("root", &[serial]);
        assert!(r.targets().is_empty(), "another account releases nothing");
        r.store.release_session("alice", &[serial]);
        assert_eq!(r.targets(), ["s1"]);
        // More releases than holds do not wrap around.
        r.store.release_session("alice", &[serial, serial]);
        assert_eq!(r.targets(), ["s1"]);
        assert!(r.store.silence_session("alice", &id("nope")).is_none());
    }

    #[test]
    fn rotation_tells_active_subscriptions_and_deactivates_them() {
        let mut r = rig();
        r.active("s1");
        r.active("s2");
        r.store.silence("alice", &id("s2"), 1000).unwrap();
        r.set("s3", EP);
        let pending = r.ack_token();
        let old_key = r.store.vapid_key();
        let old_signer = r.store.vapid_signer();
        let new = VapidSigner::generate().unwrap();
        let new_key = new.public().clone();
        assert_eq!(
            r.store.rotate_vapid(new),
            2,
            "silenced ones too, pending not"
        );
        assert_eq!(r.store.vapid_key(), new_key);
        assert_ne!(old_key, new_key);
        let told: Vec<String> = r
            .drain()
            .into_iter()
            .map(|o| match o {
                Outgoing::Rotated {
                    target,
                    new_key: k,
                    old,
                } => {
                    assert_eq!(k, new_key);
                    assert_eq!(old.public(), old_signer.public());
                    target.id.to_string()
                }
                other => panic!("expected Rotated, got {other:?}"),
            })
            .collect();
        assert_eq!(told, ["s1", "s2"]);
        assert!(r.targets().is_empty());
        assert!(
            r.store.ackwebpush("alice", &pending).is_none(),
            "§8: tokens die"
        );
        // Equal fields, but acknowledged under the old key: a new token.
        let o = r.set("s1", EP);
        assert!(o.inactive);
        let token = r.ack_token();
        r.store.ackwebpush("alice", &token).unwrap();
        assert_eq!(r.targets(), ["s1"]);
        assert_eq!(r.store.rotate_vapid(VapidSigner::generate().unwrap()), 1);
    }

    #[test]
    fn a_token_issued_under_the_old_key_does_not_activate() {
        let mut r = rig_with(&[Fault::ReusableToken], Limits::default());
        r.set("s1", EP);
        let token = r.ack_token();
        // Rotation clears pending tokens; the fault keeps used ones, which
        // then must not work across a key change either.
        assert!(r.store.ackwebpush("alice", &token).is_some());
        assert!(r.store.ackwebpush("alice", &token).is_some(), "reusable");
        r.store.rotate_vapid(VapidSigner::generate().unwrap());
        r.drain();
        assert!(r.store.ackwebpush("alice", &token).is_none());
    }

    #[test]
    fn faults_break_their_rule() {
        let mut r = rig_with(&[Fault::ActivateWithoutAck], Limits::default());
        // The sender and the sessions read the faults from the store.
        assert!(r.store.faults().has(Fault::ActivateWithoutAck));
        assert!(!r.store.faults().has(Fault::SkipAckPush));
        let o = r.set("s1", EP);
        assert!(!o.inactive);
        assert_eq!(r.targets(), ["s1"]);
        let mut r = rig_with(&[Fault::SkipAckPush], Limits::default());
        r.set("s1", EP);
        assert!(r.drain().is_empty());
        let mut r = rig_with(&[Fault::IgnoreSilence], Limits::default());
        r.active("s1");
        r.store.silence("alice", &id("s1"), 100).unwrap();
        r.store.silence_session("alice", &id("s1")).unwrap();
        assert_eq!(r.targets(), ["s1"]);
    }

    fn new_uid(o: &Outgoing) -> u32 {
        match o {
            Outgoing::Event {
                event: MailEvent::New { uid, .. },
                ..
            } => *uid,
            other => panic!("expected a new-mail event, got {other:?}"),
        }
    }

    #[test]
    fn appends_number_messages_and_respect_the_quota() {
        let mut r = rig_with(
            &[],
            Limits {
                max_account_bytes: 10,
                ..Limits::default()
            },
        );
        let mut watch = r.store.watch("alice").unwrap();
        assert!(r.store.watch("nobody").is_none());
        let (v1, u1) = r
            .store
            .append("alice", "inbox", b"12345".to_vec(), vec![])
            .unwrap();
        assert!(watch.has_changed().unwrap());
        watch.borrow_and_update();
        let (v2, u2) = r
            .store
            .append("alice", "INBOX", b"123".to_vec(), vec![])
            .unwrap();
        assert_eq!((v1, u1, v2, u2), (v1, 1, v1, 2));
        let uids: Vec<u32> = r.drain().iter().map(new_uid).collect();
        assert_eq!(uids, [1, 2]);
        // 8 of 10 bytes used: 3 more is over, 2 fits exactly.
        let over = r.store.append("alice", "INBOX", b"123".to_vec(), vec![]);
        assert!(over.unwrap_err().contains("OVERQUOTA"));
        r.store
            .append("alice", "INBOX", b"12".to_vec(), vec![])
            .unwrap();
        assert!(r
            .store
            .append("alice", "Nope", b"x".to_vec(), vec![])
            .unwrap_err()
            .contains("TRYCREATE"));
        // Expunging frees the bytes of what went.
        let del = vec!["\\deleted".to_owned()];
        r.store
            .store_flags("alice", "INBOX", &[1], FlagOp::Add, &del);
        assert_eq!(r.store.expunge("alice", "INBOX", None), [1]);
        r.store
            .append("alice", "INBOX", b"12345".to_vec(), vec![])
            .unwrap();
        // Deleting a mailbox frees its bytes too.
        r.store.create("alice", "Box").unwrap();
        r.store
            .store_flags("alice", "INBOX", &[4], FlagOp::Add, &del);
        r.store.expunge("alice", "INBOX", None);
        r.store
            .append("alice", "Box", b"12345".to_vec(), vec![])
            .unwrap();
        assert!(r
            .store
            .append("alice", "INBOX", b"123".to_vec(), vec![])
            .is_err());
        r.store.delete("alice", "Box").unwrap();
        r.store
            .append("alice", "INBOX", b"12345".to_vec(), vec![])
            .unwrap();
    }

    #[test]
    fn mailboxes_are_created_once_and_inbox_is_case_insensitive() {
        let r = rig();
        let v_inbox = r.store.read("alice", "InBoX", |m| m.uidvalidity).unwrap();
        r.store.create("alice", "A").unwrap();
        r.store.create("alice", "a").unwrap();
        assert!(r
            .store
            .create("alice", "A")
            .unwrap_err()
            .contains("ALREADYEXISTS"));
        assert!(r.store.create("alice", "inbox").is_err());
        assert!(r.store.create("nobody", "A").is_err());
        let va = r.store.read("alice", "A", |m| m.uidvalidity).unwrap();
        let vb = r.store.read("alice", "a", |m| m.uidvalidity).unwrap();
        assert!(va > v_inbox && vb > va, "{v_inbox} {va} {vb}");
        assert_eq!(r.store.mailboxes("alice"), ["INBOX", "A", "a"]);
        assert!(r.store.mailboxes("nobody").is_empty());
        assert!(r.store.delete("alice", "Inbox").is_err());
        assert!(r
            .store
            .delete("alice", "B")
            .unwrap_err()
            .contains("NONEXISTENT"));
        r.store.delete("alice", "a").unwrap();
        assert_eq!(r.store.mailboxes("alice"), ["INBOX", "A"]);
        assert!(r.store.read("alice", "a", |_| ()).is_none());
        assert!(r.store.read("nobody", "INBOX", |_| ()).is_none());
        assert!(same_mailbox("INBOX", "inbox"));
        assert!(!same_mailbox("Box", "box"));
        assert!(!same_mailbox("INBOX", "INBOX2"));
        assert!(same_mailbox("Box", "Box"));
    }

    #[test]
    fn flag_changes_count_modseq_and_report_only_real_changes() {
        let mut r = rig();
        for _ in 0..3 {
            r.store
                .append("alice", "INBOX", b"m".to_vec(), vec![])
                .unwrap();
        }
        r.drain();
        let mut watch = r.store.watch("alice").unwrap();
        let flags = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let changed =
            r.store
                .store_flags("alice", "INBOX", &[2, 3], FlagOp::Add, &flags(&["\\Seen"]));
        assert_eq!(
            changed,
            [(2, flags(&["\\Seen"]), 5), (3, flags(&["\\Seen"]), 6)]
        );
        assert!(watch.has_changed().unwrap());
        watch.borrow_and_update();
        let seqs: Vec<(u32, u32)> = r
            .drain()
            .into_iter()
            .map(|o| match o {
                Outgoing::Event {
                    event: MailEvent::Flags { uid, seq, .. },
                    ..
                } => (uid, seq),
                other => panic!("expected a flags event, got {other:?}"),
            })
            .collect();
        assert_eq!(seqs, [(2, 2), (3, 3)]);
        // Adding a flag already there (in another case) changes nothing.
        let none = r
            .store
            .store_flags("alice", "INBOX", &[2], FlagOp::Add, &flags(&["\\SEEN"]));
        assert!(none.is_empty());
        assert!(!watch.has_changed().unwrap());
        assert!(r.drain().is_empty());
        let added = r
            .store
            .store_flags("alice", "INBOX", &[2], FlagOp::Add, &flags(&["a", "b"]));
        assert_eq!(added, [(2, flags(&["\\Seen", "a", "b"]), 7)]);
        let removed =
            r.store
                .store_flags("alice", "INBOX", &[2], FlagOp::Remove, &flags(&["\\seen"]));
        assert_eq!(removed, [(2, flags(&["a", "b"]), 8)]);
        let replaced =
            r.store
                .store_flags("alice", "INBOX", &[2], FlagOp::Replace, &flags(&["x", "x"]));
        assert_eq!(replaced, [(2, flags(&["x"]), 9)]);
        assert!(r
            .store
            .store_flags("alice", "Nope", &[2], FlagOp::Replace, &flags(&["y"]))
            .is_empty());
    }

    #[test]
    fn expunge_removes_deleted_messages_within_the_uid_set() {
        let mut r = rig();
        for _ in 0..4 {
            r.store
                .append("alice", "INBOX", b"m".to_vec(), vec!["\\Deleted".into()])
                .unwrap();
        }
        r.store
            .append("alice", "INBOX", b"m".to_vec(), vec![])
            .unwrap();
        r.drain();
        let modseq = |r: &Rig| {
            r.store
                .read("alice", "INBOX", |m| m.highest_modseq)
                .unwrap()
        };
        let before = modseq(&r);
        let mut watch = r.store.watch("alice").unwrap();
        assert_eq!(r.store.expunge("alice", "INBOX", Some(&[2, 3, 5])), [2, 3]);
        assert_eq!(modseq(&r), before + 1);
        assert!(watch.has_changed().unwrap());
        watch.borrow_and_update();
        let gone: Vec<u32> = r
            .drain()
            .into_iter()
            .map(|o| match o {
                Outgoing::Event {
                    event: MailEvent::Vanished { uid },
                    ..
                } => uid,
                other => panic!("expected a vanished event, got {other:?}"),
            })
            .collect();
        assert_eq!(gone, [2, 3]);
        assert_eq!(r.store.expunge("alice", "INBOX", None), [1, 4]);
        watch.borrow_and_update();
        // Nothing left to expunge: no MODSEQ, no change, no event.
        let before = modseq(&r);
        assert!(r.store.expunge("alice", "INBOX", None).is_empty());
        assert_eq!(modseq(&r), before);
        assert!(!watch.has_changed().unwrap());
        r.drain();
        assert!(r.store.expunge("alice", "Nope", None).is_empty());
        assert_eq!(
            r.store.read("alice", "INBOX", |m| m.messages.len()),
            Some(1)
        );
    }
}
