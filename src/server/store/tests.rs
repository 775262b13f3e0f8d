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
    let changed = r
        .store
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
    let removed = r
        .store
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
