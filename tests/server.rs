//! The reference server (`serve`) over loopback, driven by our IMAP client
//! library, pushing to our endpoint library over https: the draft's §5
//! exchanges byte for byte, the whole lifecycle, the activation rules,
//! token expiry, silencing, §7.4 removal and retry, §8 rotation, sessions
//! seeing each other, and limits on what a client may send.

use std::time::{Duration, Instant};

use imapwebpush::endpoint::{Answer, Event};
use imapwebpush::push::content::PushResponse;
use imapwebpush::server::{Fault, Faults, Outcome};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::support::rig::{
    lines, next_delivery, next_event, next_push, subscribe, webpush, Rig, WAIT,
};
use crate::support::{transcript, Step};

const DRAFT_VAPID: &str =
    "BOniQ9xHBPNY9gnQW4o-16vHqOb40pEIMifyUdFsxAgyzVkFMguxw0QrdbZcq8hRjN2zpeInRvKVPlkzABvuTnI";
const ID1: &str = "a8282bf9-6102-4e1b-bb61-d26d0e532e65";

/// Plays a draft transcript against the server: each C: line is sent (with
/// `subs` applied), and the S: lines that follow must come back exactly
/// (with `subs` applied and the tag the client used).
async fn play(s: &mut imapwebpush::imap::Session, name: &str, subs: &[(&str, String)]) {
    let apply = |t: &str| {
        subs.iter()
            .fold(t.to_owned(), |acc, (from, to)| acc.replace(from, to))
    };
    let steps = transcript(name);
    let mut i = 0;
    while i < steps.len() {
        let Step::Client { tag, text } = &steps[i] else {
            panic!("{name}: a transcript starts with C:")
        };
        let reply = s.run(&apply(text)).await.unwrap();
        let mut expected = Vec::new();
        i += 1;
        while let Some(Step::Server(line)) = steps.get(i) {
            let line = apply(line);
            expected.push(match line.strip_prefix(&format!("{tag} ")) {
                Some(rest) => format!("{} {rest}", reply.tag),
                None => line,
            });
            i += 1;
        }
        assert_eq!(lines(&reply), expected, "{name}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draft_section_5_examples_byte_for_byte() {
    // §5.1 and §5.2 as written (their endpoints do not resolve here, which
    // only makes the ACKWEBPUSH pushes fail in the background).
    let rig = Rig::start().await;
    let key = rig.server.vapid_key().to_string();
    let mut s = rig.client().await;
    play(&mut s, "5.1-getvapid.txt", &[(DRAFT_VAPID, key.clone())]).await;
    play(&mut s, "5.2-webpush.txt", &[(DRAFT_VAPID, key.clone())]).await;
    play(&mut s, "5.3-ackwebpush-unknown.txt", &[]).await;

    // §5.3: the inactive subscription's endpoint is ours, so that the
    // token it pushes can be played back.
    let (mut ep, keys) = rig.endpoint(None).await;
    webpush(&mut s, ID1, &ep, &keys).await;
    let token = next_push(&mut ep).await.ack_token().unwrap().to_owned();
    play(
        &mut s,
        "5.3-ackwebpush.txt",
        &[
            (
                "https://push.example.net/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV",
                ep.url.clone(),
            ),
            ("585078c5-fb8b-4ed0-8e77-474ab08f0a30", token),
        ],
    )
    .await;

    // §5.5 on that active subscription; the clock stands still, so the
    // silence reads 10 both times.
    play(
        &mut s,
        "5.5-silwebpush.txt",
        &[("https://push.endpoint.tld/random1", ep.url.clone())],
    )
    .await;

    // §5.4: one active, one inactive, one silenced for 1112 s.
    let rig = Rig::start().await;
    let mut s = rig.client().await;
    let mut eps = Vec::new();
    for (id, confirm) in [
        (ID1, true),
        ("80a3b492-bc9c-46a9-91ab-5866b27073bb", false),
        ("28626e4e-37d1-456c-a667-5258b5528508", true),
    ] {
        let (mut ep, keys) = rig.endpoint(None).await;
        if confirm {
            subscribe(&mut s, id, &mut ep, &keys).await;
        } else {
            webpush(&mut s, id, &ep, &keys).await;
        }
        eps.push(ep);
    }
    let r = s
        .run("SILWEBPUSH 28626e4e-37d1-456c-a667-5258b5528508 1112")
        .await
        .unwrap();
    assert!(r.is_ok());
    let subs: Vec<(&str, String)> = ["random1", "random2", "random3"]
        .iter()
        .zip(&eps)
        .map(|(r, ep)| {
            let from: &str = match *r {
                "random1" => "https://push.endpoint.tld/random1",
                "random2" => "https://push.endpoint.tld/random2",
                _ => "https://push.endpoint.tld/random3",
            };
            (from, ep.url.clone())
        })
        .collect();
    play(&mut s, "5.4-lwebpush.txt", &subs).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_from_subscription_to_vanished() {
    let rig = Rig::start().await;
    let mut s = rig.client().await;
    let (mut ep, keys) = rig.endpoint(None).await;

    // Create: inactive, with the VAPID key.
    let created = webpush(&mut s, ID1, &ep, &keys).await;
    assert_eq!(created[0], format!("* VAPID {}", rig.server.vapid_key()));
    assert_eq!(created[1], format!("* WEBPUSH {ID1} {} NIL", ep.url));

    // The ACKWEBPUSH push: signed with the GETVAPID key, low urgency.
    let ack = next_push(&mut ep).await;
    assert!(ack.vapid.valid, "{:?}", ack.vapid);
    assert_eq!(
        ack.vapid.key.as_deref(),
        Some(rig.server.vapid_key().as_str())
    );
    assert_eq!(ack.headers.urgency.as_deref(), Some("low"));
    assert_eq!(ack.headers.ttl, Some(604_800));
    assert_eq!(ack.headers.topic, None);
    assert!(ack.warnings.is_empty(), "{:?}", ack.warnings);
    let token = ack.ack_token().unwrap().to_owned();
    let r = s.run(&format!("ACKWEBPUSH {token}")).await.unwrap();
    assert_eq!(
        lines(&r),
        [
            format!("* WEBPUSH {ID1} {} 0", ep.url),
            format!("{} OK ACKWEBPUSH completed", r.tag)
        ]
    );
    // A token is good once.
    let again = s.run(&format!("ACKWEBPUSH {token}")).await.unwrap();
    assert!(!again.is_ok());

    // New mail: SELECT, then UIDFETCH with ENVELOPE and BINARY, high.
    let msg = b"From: Fred Foobar <foobar@Blurdybloop.example>\r\nSubject: afternoon meeting\r\n\r\nHello Joe\r\n";
    append_raw(&mut s, "INBOX", msg).await;
    let push = next_push(&mut ep).await;
    assert!(push.vapid.valid);
    assert_eq!(push.headers.urgency.as_deref(), Some("high"));
    assert!(push.warnings.is_empty(), "{:?}", push.warnings);
    assert!(matches!(&push.responses[0], PushResponse::Select { mailbox } if mailbox == "INBOX"));
    let PushResponse::UidFetch { uid: 1, items } = &push.responses[1] else {
        panic!("{:?}", push.responses)
    };
    let envelope = items["ENVELOPE"].as_envelope().expect("an ENVELOPE");
    assert_eq!(envelope.subject.as_deref(), Some("afternoon meeting"));
    assert!(push.plaintext.contains("BINARY[] {"), "{}", push.plaintext);
    assert!(push.plaintext.contains("Hello Joe"));

    // Expunge: VANISHED, normal urgency.
    for cmd in [
        "SELECT INBOX",
        "UID STORE 1 +FLAGS.SILENT (\\Deleted)",
        "UID EXPUNGE 1",
    ] {
        assert!(s.run(cmd).await.unwrap().is_ok(), "{cmd}");
    }
    let push = loop {
        let p = next_push(&mut ep).await;
        if p.plaintext.contains("VANISHED") {
            break p;
        }
    };
    assert!(
        push.plaintext.ends_with("* VANISHED 1\r\n"),
        "{}",
        push.plaintext
    );
    assert!(push.plaintext.starts_with("* SELECT INBOX\r\n"));
    assert_eq!(push.headers.urgency.as_deref(), Some("normal"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_with_equal_fields_keeps_it_active_and_a_different_field_deactivates() {
    let rig = Rig::start().await;
    let mut s = rig.client().await;
    let (mut ep, keys) = rig.endpoint(None).await;
    subscribe(&mut s, ID1, &mut ep, &keys).await;

    let same = webpush(&mut s, ID1, &ep, &keys).await;
    assert!(
        same.contains(&format!("* WEBPUSH {ID1} {} 0", ep.url)),
        "{same:?}"
    );

    // An active witness on the same account: its push proves that a
    // batch of mail has been dealt out to the account's subscriptions.
    let (mut witness, wkeys) = rig.endpoint(None).await;
    subscribe(&mut s, "witness", &mut witness, &wkeys).await;

    let (mut ep2, keys2) = rig.endpoint(None).await;
    let changed = webpush(&mut s, ID1, &ep2, &keys2).await;
    assert!(
        changed.contains(&format!("* WEBPUSH {ID1} {} NIL", ep2.url)),
        "{changed:?}"
    );
    assert!(changed.iter().any(|l| l.starts_with("* VAPID ")));
    // The new endpoint gets a new token, encrypted with the new key.
    let push = next_push(&mut ep2).await;
    let token = push.ack_token().unwrap().to_owned();

    // No mail is pushed while it is inactive (§5.2, against flooding a
    // third party's endpoint): mail now, dealt out (the witness has it)...
    append(&mut s, "while inactive").await;
    assert!(next_push(&mut witness)
        .await
        .plaintext
        .contains("while inactive"));
    // ...then the acknowledgement and more mail: one subscription's pushes
    // leave in order, so the first push the new endpoint sees must be the
    // mail sent after the acknowledgement.
    let r = s.run(&format!("ACKWEBPUSH {token}")).await.unwrap();
    assert!(r.is_ok());
    append(&mut s, "once active").await;
    next_push(&mut witness).await;
    let first = next_push(&mut ep2).await;
    assert!(
        first.plaintext.contains("once active") && !first.plaintext.contains("while inactive"),
        "mail pushed to an inactive subscription: {}",
        first.plaintext
    );
    // The old endpoint left the subscription before any of it.
    let more = ep.events.try_recv();
    assert!(more.is_err(), "the old endpoint got nothing more: {more:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_is_not_pushed_to_a_subscription_never_acknowledged() {
    let rig = Rig::start().await;
    let mut s = rig.client().await;
    // The witness's pushes prove each batch was dealt out.
    let (mut witness, wkeys) = rig.endpoint(None).await;
    subscribe(&mut s, "witness", &mut witness, &wkeys).await;
    let (mut ep, keys) = rig.endpoint(None).await;
    webpush(&mut s, "pending", &ep, &keys).await;
    let token = next_push(&mut ep).await.ack_token().unwrap().to_owned();
    for subject in ["first", "second"] {
        append(&mut s, subject).await;
        assert!(next_push(&mut witness).await.plaintext.contains(subject));
    }
    // Positive control on the same subscription: acknowledged, then mail;
    // pushes to one subscription leave in order, so it must come first.
    assert!(s.run(&format!("ACKWEBPUSH {token}")).await.unwrap().is_ok());
    append(&mut s, "third").await;
    next_push(&mut witness).await;
    let first = next_push(&mut ep).await;
    assert!(
        first.plaintext.contains("third"),
        "mail pushed before the acknowledgement: {}",
        first.plaintext
    );

    // §8: a rotation deactivates it until acknowledged again.
    assert!(s.run("XROTATEVAPID").await.unwrap().is_ok());
    let new_key = rig.server.vapid_key();
    for e in [&mut ep, &mut witness] {
        let notice = next_push(e).await;
        assert!(
            notice.plaintext.starts_with("* VAPID "),
            "{}",
            notice.plaintext
        );
        e.expect_vapid(new_key.clone());
    }
    subscribe(&mut s, "witness", &mut witness, &wkeys).await;
    append(&mut s, "after rotation").await;
    assert!(next_push(&mut witness)
        .await
        .plaintext
        .contains("after rotation"));
    webpush(&mut s, "pending", &ep, &keys).await;
    let again = next_push(&mut ep).await;
    let token = again
        .ack_token()
        .unwrap_or_else(|| panic!("mail pushed after the rotation: {}", again.plaintext))
        .to_owned();
    assert!(s.run(&format!("ACKWEBPUSH {token}")).await.unwrap().is_ok());
    append(&mut s, "control").await;
    let first = next_push(&mut ep).await;
    assert!(
        first.plaintext.contains("control"),
        "mail pushed to an inactive subscription: {}",
        first.plaintext
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_expire_after_ten_minutes() {
    let rig = Rig::start().await;
    let mut s = rig.client().await;
    let (mut ep, keys) = rig.endpoint(None).await;
    webpush(&mut s, ID1, &ep, &keys).await;
    let token = next_push(&mut ep).await.ack_token().unwrap().to_owned();
    rig.clock.advance(Duration::from_secs(601));
    let r = s.run(&format!("ACKWEBPUSH {token}")).await.unwrap();
    assert_eq!(lines(&r), [format!("{} NO ACKWEBPUSH completed", r.tag)]);
    let l = s.run("LWEBPUSH *").await.unwrap();
    assert!(
        lines(&l)[0].ends_with(" NIL"),
        "still inactive: {:?}",
        lines(&l)
    );

    // One issued 9 minutes 59 seconds ago still works.
    webpush(&mut s, ID1, &ep, &keys).await;
    let token = next_push(&mut ep).await.ack_token().unwrap().to_owned();
    rig.clock.advance(Duration::from_secs(599));
    assert!(s.run(&format!("ACKWEBPUSH {token}")).await.unwrap().is_ok());
}

/// APPENDs `raw` to `mailbox` (as written on the wire) and expects OK.
async fn append_raw(s: &mut imapwebpush::imap::Session, mailbox: &str, raw: &[u8]) {
    let cmd = format!("APPEND {mailbox}");
    let r = s
        .run_args(&[
            imapwebpush::imap::Arg::Raw(&cmd),
            imapwebpush::imap::Arg::Literal(raw),
        ])
        .await
        .unwrap();
    assert!(r.is_ok(), "{:?}", lines(&r));
}

/// A small message with this subject, to INBOX.
async fn append(s: &mut imapwebpush::imap::Session, subject: &str) {
    let msg = format!("Subject: {subject}\r\n\r\nbody\r\n");
    append_raw(s, "INBOX", msg.as_bytes()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silenced_subscriptions_get_nothing() {
    let rig = Rig::start().await;
    let mut s = rig.client().await;
    let (mut quiet, qkeys) = rig.endpoint(None).await;
    let (mut loud, lkeys) = rig.endpoint(None).await;
    subscribe(&mut s, "quiet", &mut quiet, &qkeys).await;
    subscribe(&mut s, "loud", &mut loud, &lkeys).await;

    let r = s.run("SILWEBPUSH quiet 60").await.unwrap();
    assert_eq!(lines(&r)[0], format!("* WEBPUSH quiet {} 60", quiet.url));
    append(&mut s, "one").await;
    // The unsilenced subscription's push marks that the batch was dealt
    // out (while quiet was silenced)...
    assert!(next_push(&mut loud).await.plaintext.contains("one"));

    // ...and 0 ends the silence: one subscription's pushes leave in
    // order, so the first push quiet sees must be the mail after it.
    assert!(s.run("SILWEBPUSH quiet 0").await.unwrap().is_ok());
    append(&mut s, "two").await;
    let first = next_push(&mut quiet).await;
    assert!(
        first.plaintext.contains("two") && !first.plaintext.contains("one"),
        "silenced, yet pushed: {}",
        first.plaintext
    );
    next_push(&mut loud).await;

    // `session`: silent while that connection lives, not shown in WEBPUSH.
    let mut holder = rig.client().await;
    let r = holder.run("SILWEBPUSH quiet session").await.unwrap();
    assert_eq!(lines(&r)[0], format!("* WEBPUSH quiet {} 0", quiet.url));
    append(&mut s, "three").await;
    assert!(next_push(&mut loud).await.plaintext.contains("three"));
    holder.logout().await.unwrap();
    drop(holder);
    // Released when the connection ends; the server notices the close
    // asynchronously, so wait for the next push rather than race it.
    let deadline = Instant::now() + WAIT;
    loop {
        append(&mut s, "four").await;
        next_push(&mut loud).await;
        if let Ok(Event::Push(p)) = quiet.events.try_recv() {
            // The first push after the silence: "three" never came.
            assert!(
                p.plaintext.contains("four") && !p.plaintext.contains("three"),
                "session-silenced, yet pushed: {}",
                p.plaintext
            );
            break;
        }
        assert!(Instant::now() < deadline, "silence outlived the connection");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Unknown or inactive: NO.
    assert!(!s.run("SILWEBPUSH nosuch 10").await.unwrap().is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_4xx_from_the_push_service_removes_the_subscription() {
    // §7.4: every 4xx but 429 removes it, not only 410.
    let rig = Rig::start().await;
    let mut s = rig.client().await;
    let mut log = rig.server.deliveries();
    for status in [400, 403, 404, 410, 413, 499] {
        let id = format!("gone{status}");
        let (ep, keys) = rig
            .endpoint(Some(Answer {
                status,
                retry_after: None,
            }))
            .await;
        webpush(&mut s, &id, &ep, &keys).await;
        let d = next_delivery(&mut log, &id).await;
        assert_eq!((d.status, d.outcome), (Some(status), Outcome::Removed));
        let l = s.run(&format!("LWEBPUSH {id}")).await.unwrap();
        assert_eq!(
            lines(&l),
            [format!("{} OK LWEBPUSH completed", l.tag)],
            "{status}"
        );
    }
    // Not for a 2xx, a 429 or a 5xx.
    for status in [202, 429, 500, 503] {
        let id = format!("kept{status}");
        let (ep, keys) = rig
            .endpoint(Some(Answer {
                status,
                retry_after: Some(600),
            }))
            .await;
        webpush(&mut s, &id, &ep, &keys).await;
        let d = next_delivery(&mut log, &id).await;
        assert_eq!(d.status, Some(status));
        assert_ne!(d.outcome, Outcome::Removed, "{status}");
        let l = s.run(&format!("LWEBPUSH {id}")).await.unwrap();
        assert_eq!(lines(&l).len(), 2, "{status}: {:?}", lines(&l));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keep_after_410_fault_keeps_it() {
    let rig = Rig::start_with(|c| c.faults = Faults::new([Fault::KeepAfter410])).await;
    let mut s = rig.client().await;
    let mut log = rig.server.deliveries();
    let (ep, keys) = rig
        .endpoint(Some(Answer {
            status: 410,
            retry_after: None,
        }))
        .await;
    webpush(&mut s, "kept", &ep, &keys).await;
    assert_eq!(next_delivery(&mut log, "kept").await.outcome, Outcome::Kept);
    assert_eq!(lines(&s.run("LWEBPUSH *").await.unwrap()).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_waits_for_retry_after_then_sends_again() {
    let rig = Rig::start().await;
    let mut s = rig.client().await;
    let mut log = rig.server.deliveries();
    let (mut ep, keys) = rig
        .endpoint(Some(Answer {
            status: 429,
            retry_after: Some(1),
        }))
        .await;
    webpush(&mut s, "busy", &ep, &keys).await;
    let first = next_delivery(&mut log, "busy").await;
    let Outcome::Retry { after, .. } = first.outcome else {
        panic!("{first:?}")
    };
    assert_eq!(after, Duration::from_secs(1));
    let t0 = Instant::now();
    next_event(&mut ep).await;
    next_event(&mut ep).await;
    // The second attempt came no sooner than Retry-After said.
    assert!(
        t0.elapsed() >= Duration::from_millis(900),
        "{:?}",
        t0.elapsed()
    );
    let second = next_delivery(&mut log, "busy").await;
    assert_eq!(second.status, Some(429));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_without_retry_after_waits_the_retry_delay() {
    let rig = Rig::start_with(|c| c.retry_delay = Duration::from_millis(700)).await;
    let mut s = rig.client().await;
    let mut log = rig.server.deliveries();
    let (mut ep, keys) = rig
        .endpoint(Some(Answer {
            status: 429,
            retry_after: None,
        }))
        .await;
    webpush(&mut s, "busy", &ep, &keys).await;
    let first = next_delivery(&mut log, "busy").await;
    assert!(
        matches!(first.outcome, Outcome::Retry { after, .. } if after == Duration::from_millis(700))
    );
    next_event(&mut ep).await;
    let t0 = Instant::now();
    next_event(&mut ep).await;
    assert!(
        t0.elapsed() >= Duration::from_millis(600),
        "{:?}",
        t0.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_pushes_the_new_key_signed_with_the_old_and_deactivates() {
    let rig = Rig::start().await;
    let old_key = rig.server.vapid_key();
    let mut s = rig.client().await;
    let (mut ep, keys) = rig.endpoint(None).await;
    subscribe(&mut s, ID1, &mut ep, &keys).await;
    // A pending token for another subscription dies with the old key.
    let (mut ep2, keys2) = rig.endpoint(None).await;
    webpush(&mut s, "pending", &ep2, &keys2).await;
    let pending_token = next_push(&mut ep2).await.ack_token().unwrap().to_owned();

    // Not for ordinary accounts.
    let mut other = rig.client_as("other").await;
    assert!(!other.run("XROTATEVAPID").await.unwrap().is_ok());

    let r = s.run("XROTATEVAPID").await.unwrap();
    assert!(r.is_ok(), "{:?}", lines(&r));
    let new_key = rig.server.vapid_key();
    assert_ne!(new_key, old_key);
    assert_eq!(lines(&r)[0], format!("* VAPID {new_key}"));

    let push = next_push(&mut ep).await;
    assert_eq!(push.plaintext, format!("* VAPID {new_key}\r\n"));
    assert_eq!(push.vapid.key.as_deref(), Some(old_key.as_str()));
    assert!(push.vapid.valid);

    let r = s.run(&format!("ACKWEBPUSH {pending_token}")).await.unwrap();
    assert!(!r.is_ok(), "a token from before the rotation still works");
    let l = lines(&s.run(&format!("LWEBPUSH {ID1}")).await.unwrap());
    assert!(l[0].ends_with(" NIL"), "{l:?}");

    // §8: WEBPUSH again gives VAPID, WEBPUSH … NIL, and a token signed
    // with the new key.
    ep.expect_vapid(new_key.clone());
    let again = webpush(&mut s, ID1, &ep, &keys).await;
    assert_eq!(again[0], format!("* VAPID {new_key}"));
    assert_eq!(again[1], format!("* WEBPUSH {ID1} {} NIL", ep.url));
    let push = next_push(&mut ep).await;
    assert_eq!(push.vapid.key.as_deref(), Some(new_key.as_str()));
    let token = push.ack_token().unwrap().to_owned();
    assert!(s.run(&format!("ACKWEBPUSH {token}")).await.unwrap().is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_connections_see_each_others_changes() {
    let rig = Rig::start().await;
    let mut a = rig.client().await;
    let mut b = rig.client().await;
    assert!(a.run("SELECT INBOX").await.unwrap().is_ok());
    append(&mut b, "from b").await;
    let r = a.run("NOOP").await.unwrap();
    assert!(
        lines(&r).contains(&"* 1 EXISTS".to_owned()),
        "{:?}",
        lines(&r)
    );

    // IDLE: the change arrives unasked.
    a.write_line(b"i1 IDLE", "i1 IDLE").await.unwrap();
    let cont = a.read_frame().await.unwrap();
    assert!(cont.raw.starts_with('+'), "{}", cont.raw);
    append(&mut b, "again").await;
    let frame = a.read_frame().await.unwrap();
    assert_eq!(frame.raw.trim_end(), "* 2 EXISTS");
    a.write_line(b"DONE", "DONE").await.unwrap();
    let done = a.read_frame().await.unwrap();
    assert_eq!(done.raw.trim_end(), "i1 OK IDLE terminated");

    // B flags, then expunges; A is told of each on NOOP.
    assert!(b.run("SELECT INBOX").await.unwrap().is_ok());
    assert!(b.run("STORE 1 +FLAGS (\\Deleted)").await.unwrap().is_ok());
    let r = a.run("NOOP").await.unwrap();
    assert_eq!(lines(&r)[0], "* 1 FETCH (UID 1 FLAGS (\\Deleted))");
    assert!(b.run("EXPUNGE").await.unwrap().is_ok());
    let r = a.run("NOOP").await.unwrap();
    assert_eq!(lines(&r)[0], "* 1 EXPUNGE");
}

/// A raw STARTTLS-less connection (commands before login need no TLS).
async fn raw(
    rig: &Rig,
) -> (
    BufReader<tokio::net::tcp::OwnedReadHalf>,
    tokio::net::tcp::OwnedWriteHalf,
) {
    let tcp = tokio::net::TcpStream::connect(rig.server.addr)
        .await
        .unwrap();
    let (r, w) = tcp.into_split();
    let mut r = BufReader::new(r);
    let mut greeting = String::new();
    r.read_line(&mut greeting).await.unwrap();
    assert!(greeting.starts_with("* OK"), "{greeting}");
    (r, w)
}

async fn read_line(r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> String {
    let mut l = String::new();
    tokio::time::timeout(WAIT, r.read_line(&mut l))
        .await
        .unwrap()
        .unwrap();
    l
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversize_lines_and_literals_are_refused_and_others_still_served() {
    let rig = Rig::start_with(|c| c.max_literal = 1 << 20).await;
    let mut bystander = rig.client().await;

    // A 70 KiB line: BYE, connection closed, never buffered whole.
    let (mut r, mut w) = raw(&rig).await;
    let long = vec![b'x'; 70 << 10];
    // The server may close before all of it is written.
    let _ = w.write_all(&long).await;
    let bye = read_line(&mut r).await;
    assert!(
        bye.starts_with("* BYE") && bye.contains("longer than"),
        "{bye}"
    );

    // A synchronizing literal over the limit: NO, no `+`, and the
    // connection goes on.
    let (mut r, mut w) = raw(&rig).await;
    w.write_all(b"t1 APPEND INBOX {20000000}\r\n")
        .await
        .unwrap();
    let no = read_line(&mut r).await;
    assert!(no.starts_with("t1 NO [TOOBIG]"), "{no}");
    w.write_all(b"t2 NOOP\r\n").await.unwrap();
    assert_eq!(read_line(&mut r).await, "t2 OK NOOP completed\r\n");

    // A non-synchronizing one: its bytes are on their way, so BYE.
    w.write_all(b"t3 APPEND INBOX {20000000+}\r\n")
        .await
        .unwrap();
    let bye = read_line(&mut r).await;
    assert!(bye.starts_with("* BYE"), "{bye}");

    // Meanwhile the other session works.
    append(&mut bystander, "still here").await;
    assert!(bystander.run("NOOP").await.unwrap().is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extension_commands_need_login_and_valid_arguments() {
    let rig = Rig::start().await;
    let (mut r, mut w) = raw(&rig).await;
    w.write_all(b"x1 GETVAPID\r\n").await.unwrap();
    assert!(read_line(&mut r).await.starts_with("x1 BAD"));
    // Plaintext login is refused without STARTTLS.
    w.write_all(b"x2 LOGIN demo demo\r\n").await.unwrap();
    assert!(read_line(&mut r)
        .await
        .starts_with("x2 NO [PRIVACYREQUIRED]"));

    let mut s = rig.client().await;
    let key =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    for bad in [
        format!("WEBPUSH x http://push.example.net/a {key} BTBZMqHH6r4Tts7J_aSIgg"),
        "WEBPUSH x https://push.example.net/a BCVxsr7N BTBZMqHH6r4Tts7J_aSIgg".to_owned(),
        format!("WEBPUSH x https://push.example.net/a {key} short"),
        "SILWEBPUSH x soon".to_owned(),
        "ACKWEBPUSH".to_owned(),
    ] {
        let r = s.run(&bad).await.unwrap();
        assert!(r.tagged.contains(" BAD "), "{bad}: {}", r.tagged);
    }
    // Deleting an unknown subscription is OK (§5.2).
    assert!(s.run("WEBPUSH nosuch NIL").await.unwrap().is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_subscription_limit_is_answered_with_no() {
    let rig = Rig::start_with(|c| c.max_subscriptions = 2).await;
    let mut s = rig.client().await;
    let (ep, keys) = rig.endpoint(None).await;
    webpush(&mut s, "one", &ep, &keys).await;
    webpush(&mut s, "two", &ep, &keys).await;
    let third = webpush(&mut s, "three", &ep, &keys).await;
    assert!(third.last().unwrap().contains(" NO [LIMIT]"), "{third:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enabled_capabilities_shape_the_pushes() {
    let rig = Rig::start().await;
    let mut s = rig.client().await;
    let r = s.run("ENABLE CONDSTORE UTF8=ACCEPT").await.unwrap();
    assert_eq!(lines(&r)[0], "* ENABLED CONDSTORE UTF8=ACCEPT");
    assert!(s.run("CREATE \"Boîte\"").await.unwrap().is_ok());
    let (mut ep, keys) = rig.endpoint(None).await;
    subscribe(&mut s, "u", &mut ep, &keys).await;
    append_raw(&mut s, "\"Boîte\"", b"Subject: hi\r\n\r\nx\r\n").await;
    let push = next_push(&mut ep).await;
    assert!(
        push.plaintext.starts_with("* SELECT \"Boîte\"\r\n"),
        "{}",
        push.plaintext
    );
    assert!(push.plaintext.contains(" MODSEQ ("), "{}", push.plaintext);

    // Without UTF-8, the same mailbox is pushed in modified UTF-7.
    let mut plain = rig.client().await;
    let (mut ep2, keys2) = rig.endpoint(None).await;
    subscribe(&mut plain, "m", &mut ep2, &keys2).await;
    assert!(plain.run("CREATE &AMk-t&AOk-").await.unwrap().is_ok());
    append_raw(&mut plain, "&AMk-t&AOk-", b"Subject: x\r\n\r\ny\r\n").await;
    let push = next_push(&mut ep2).await;
    assert!(
        push.plaintext.starts_with("* SELECT &AMk-t&AOk-\r\n"),
        "{}",
        push.plaintext
    );
}

/// A rig with one fault, and a client logged in to it.
async fn faulty(fault: Fault) -> (Rig, imapwebpush::imap::Session) {
    let rig = Rig::start_with(|c| c.faults = Faults::new([fault])).await;
    let s = rig.client().await;
    (rig, s)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_fault_breaks_its_rule_observably() {
    // Responses left out.
    let (rig, mut s) = faulty(Fault::NoVapidResponse).await;
    let r = s.run("GETVAPID").await.unwrap();
    assert_eq!(lines(&r).len(), 1, "{:?}", lines(&r));
    let (ep, keys) = rig.endpoint(None).await;
    assert!(!webpush(&mut s, "x", &ep, &keys).await[0].starts_with("* VAPID"));

    let (rig, mut s) = faulty(Fault::NoWebpushResponse).await;
    let (ep, keys) = rig.endpoint(None).await;
    let l = webpush(&mut s, "x", &ep, &keys).await;
    assert!(!l.iter().any(|l| l.starts_with("* WEBPUSH")), "{l:?}");

    // Active before any ACKWEBPUSH.
    let (rig, mut s) = faulty(Fault::ActivateWithoutAck).await;
    let (ep, keys) = rig.endpoint(None).await;
    let l = webpush(&mut s, "x", &ep, &keys).await;
    assert!(l.contains(&format!("* WEBPUSH x {} 0", ep.url)), "{l:?}");

    // No token push: nothing reaches the endpoint and nothing is logged.
    // (A bounded wait for an absence; the positive case above shows the
    // same push arriving in milliseconds.)
    // With activate-without-ack as well, mail is a positive control on the
    // same subscription: its push must be the first the endpoint sees.
    let rig = Rig::start_with(|c| {
        c.faults = Faults::new([Fault::SkipAckPush, Fault::ActivateWithoutAck]);
    })
    .await;
    let mut s = rig.client().await;
    let mut log = rig.server.deliveries();
    let (mut ep, keys) = rig.endpoint(None).await;
    webpush(&mut s, "x", &ep, &keys).await;
    append(&mut s, "control").await;
    let first = next_push(&mut ep).await;
    assert!(
        first.ack_token().is_none() && first.plaintext.contains("control"),
        "a token push was sent: {}",
        first.plaintext
    );
    assert_eq!(next_delivery(&mut log, "x").await.kind, "event");

    // Faults in the pushes themselves, seen by the endpoint.
    for (fault, check) in [
        (Fault::WrongUrgency, "Urgency is very-low"),
        (Fault::NoSelectBeforeFetch, "without a preceding SELECT"),
        (Fault::LongJwtExp, "ahead, more than the 24 h"),
        (Fault::NoJwtSub, "no sub claim"),
    ] {
        let (rig, mut s) = faulty(fault).await;
        let (mut ep, keys) = rig.endpoint(None).await;
        subscribe(&mut s, "x", &mut ep, &keys).await;
        append(&mut s, "faulty").await;
        let push = next_push(&mut ep).await;
        assert!(
            push.warnings.iter().any(|w| w.to_string().contains(check)),
            "{fault:?}: {:?}",
            push.warnings
        );
    }

    // Rejected by the endpoint outright.
    for (fault, status) in [(Fault::BadJwtAud, 401), (Fault::OversizePush, 413)] {
        let (rig, mut s) = faulty(fault).await;
        let (mut ep, keys) = rig.endpoint(None).await;
        webpush(&mut s, "x", &ep, &keys).await;
        match next_event(&mut ep).await {
            Event::Rejected { status: got, .. } if fault == Fault::BadJwtAud => {
                assert_eq!(got, status)
            }
            Event::Push(p) if fault == Fault::OversizePush => {
                let token = p.ack_token().unwrap().to_owned();
                assert!(s.run(&format!("ACKWEBPUSH {token}")).await.unwrap().is_ok());
                let big = format!("Subject: big\r\n\r\n{}\r\n", "x".repeat(5000));
                append_raw(&mut s, "INBOX", big.as_bytes()).await;
                match next_event(&mut ep).await {
                    Event::Rejected { status: got, .. } => assert_eq!(got, status),
                    other => panic!("{other:?}"),
                }
            }
            other => panic!("{fault:?}: {other:?}"),
        }
    }

    // Silence ignored.
    let (rig, mut s) = faulty(Fault::IgnoreSilence).await;
    let (mut ep, keys) = rig.endpoint(None).await;
    subscribe(&mut s, "x", &mut ep, &keys).await;
    assert!(s.run("SILWEBPUSH x 600").await.unwrap().is_ok());
    append(&mut s, "while silenced").await;
    assert!(next_push(&mut ep)
        .await
        .plaintext
        .contains("while silenced"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ignore_retry_after_fault_sends_again_at_once() {
    let rig = Rig::start_with(|c| c.faults = Faults::new([Fault::IgnoreRetryAfter])).await;
    let mut s = rig.client().await;
    let mut log = rig.server.deliveries();
    let (ep, keys) = rig
        .endpoint(Some(Answer {
            status: 429,
            retry_after: Some(120),
        }))
        .await;
    webpush(&mut s, "busy", &ep, &keys).await;
    let first = next_delivery(&mut log, "busy").await;
    assert!(
        matches!(first.outcome, Outcome::Retry { after, .. } if after == Duration::ZERO),
        "{first:?}"
    );
    // A second attempt comes well before the 120 s asked for.
    let second = next_delivery(&mut log, "busy").await;
    assert_eq!(second.status, Some(429));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn implicit_tls_listener_and_a_vapid_key_file_that_persists() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("vapid.json");
    let signer = imapwebpush::server::vapid_file::load_or_create(&key_file).unwrap();
    let key = signer.public().clone();
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&key_file).unwrap().permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);
    // Read back, the same key.
    assert_eq!(
        imapwebpush::server::vapid_file::load_or_create(&key_file)
            .unwrap()
            .public(),
        &key
    );
    let rig = Rig::start_with(|c| {
        c.tls_listen = Some(([127, 0, 0, 1], 0).into());
        c.vapid = signer;
        c.vapid_key_file = Some(key_file.clone());
    })
    .await;
    let mut opts = rig.connect_options();
    opts.addr = imapwebpush::imap::ServerAddr::parse(
        &format!("imaps://{}", rig.server.tls_addr.unwrap()),
        None,
    )
    .unwrap();
    let mut s = imapwebpush::imap::Session::connect(&opts, None)
        .await
        .unwrap();
    assert!(s.is_tls());
    s.login("demo", &imapwebpush::secret::Secret::new("demo".into()))
        .await
        .unwrap();
    let r = s.run("GETVAPID").await.unwrap();
    assert_eq!(lines(&r)[0], format!("* VAPID {key}"));
    // Rotation rewrites the file with the new key.
    assert!(s.run("XROTATEVAPID").await.unwrap().is_ok());
    let reread = imapwebpush::server::vapid_file::load_or_create(&key_file).unwrap();
    assert_eq!(reread.public(), &rig.server.vapid_key());
    assert_ne!(reread.public(), &key);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_list_create_delete_and_examine() {
    let rig = Rig::start().await;
    let mut s = rig.client().await;
    let msg = b"From: A <a@example.org>\r\nSubject: fetched\r\n\r\nthe body\r\n";
    append_raw(&mut s, "INBOX", msg).await;
    assert!(s.run("SELECT INBOX").await.unwrap().is_ok());

    // PEEK leaves \Seen alone; BODY[] sets it and says so.
    let r = s
        .run("FETCH 1 (FLAGS RFC822.SIZE BODY.PEEK[])")
        .await
        .unwrap();
    let first = &lines(&r)[0];
    assert!(
        first.starts_with(&format!(
            "* 1 FETCH (FLAGS () RFC822.SIZE {} BODY[] {{{}}}",
            msg.len(),
            msg.len()
        )),
        "{first}"
    );
    assert!(first.contains("the body"), "{first}");
    let r = s.run("UID FETCH 1 (ENVELOPE BODY[TEXT])").await.unwrap();
    let l = &lines(&r)[0];
    assert!(
        l.starts_with(
            "* 1 FETCH (UID 1 ENVELOPE (NIL \"fetched\" ((\"A\" NIL \"a\" \"example.org\"))"
        ),
        "{l}"
    );
    assert!(
        l.contains("BODY[TEXT] {10}\r\nthe body\r\n FLAGS (\\Seen))"),
        "{l}"
    );
    assert!(s
        .run("FETCH 1 (BODY[HEADER.FIELDS (X)])")
        .await
        .unwrap()
        .tagged
        .contains(" BAD "));

    // LIST, CREATE, DELETE; INBOX cannot go.
    assert!(s.run("CREATE Archive").await.unwrap().is_ok());
    assert!(!s.run("CREATE Archive").await.unwrap().is_ok());
    let r = s.run("LIST \"\" *").await.unwrap();
    assert_eq!(
        lines(&r)[..2],
        [
            "* LIST (\\HasNoChildren) \"/\" INBOX",
            "* LIST (\\HasNoChildren) \"/\" Archive"
        ]
    );
    assert!(s.run("DELETE Archive").await.unwrap().is_ok());
    assert!(!s.run("DELETE INBOX").await.unwrap().is_ok());
    assert_eq!(lines(&s.run("LIST \"\" A*").await.unwrap()).len(), 1);

    // EXAMINE is read-only.
    assert!(s
        .run("EXAMINE INBOX")
        .await
        .unwrap()
        .tagged
        .contains("[READ-ONLY]"));
    let r = s.run("STORE 1 +FLAGS (\\Deleted)").await.unwrap();
    assert!(r.tagged.contains(" NO [READ-ONLY]"), "{}", r.tagged);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_that_keeps_failing_is_given_up_after_five_attempts() {
    let rig = Rig::start_with(|c| c.retry_delay = Duration::from_millis(1)).await;
    let mut s = rig.client().await;
    let mut log = rig.server.deliveries();
    let (mut ep, keys) = rig
        .endpoint(Some(Answer {
            status: 503,
            retry_after: None,
        }))
        .await;
    webpush(&mut s, "down", &ep, &keys).await;
    for attempt in 1..=4 {
        let d = next_delivery(&mut log, "down").await;
        assert_eq!(d.status, Some(503), "attempt {attempt}");
        match &d.outcome {
            Outcome::Retry { after, reason } => {
                assert_eq!(*after, Duration::from_millis(1), "attempt {attempt}");
                assert!(reason.contains("503 from the push service"), "{reason}");
            }
            other => panic!("attempt {attempt}: expected a retry, got {other:?}"),
        }
    }
    let last = next_delivery(&mut log, "down").await;
    assert!(
        matches!(&last.outcome, Outcome::GaveUp { reason } if reason.contains("5 attempts")),
        "{last:?}"
    );
    for _ in 0..5 {
        next_event(&mut ep).await;
    }
    // A 5xx is the push service's trouble: the subscription stays.
    let l = lines(&s.run("LWEBPUSH down").await.unwrap());
    assert!(l[0].starts_with("* WEBPUSH down "), "{l:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_are_signed_for_twelve_hours_and_the_jwt_is_reused() {
    use imapwebpush::server::Clock;
    let rig = Rig::start().await;
    let mut s = rig.client().await;
    let (mut ep, keys) = rig.endpoint(None).await;
    let start = rig
        .clock
        .now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    webpush(&mut s, "jwt", &ep, &keys).await;
    let ack = next_push(&mut ep).await;
    assert!(ack.vapid.valid, "{:?}", ack.vapid);
    assert_eq!(ack.vapid.exp, Some(start + 12 * 3600));
    // The server's clock moves on, but the JWT signed for this endpoint's
    // origin is reused (push services cache its verification).
    rig.clock.advance(Duration::from_secs(60));
    let token = ack.ack_token().unwrap().to_owned();
    assert!(s.run(&format!("ACKWEBPUSH {token}")).await.unwrap().is_ok());
    append(&mut s, "hello").await;
    let mail = next_push(&mut ep).await;
    assert!(mail.vapid.valid, "{:?}", mail.vapid);
    assert_eq!(mail.vapid.exp, ack.vapid.exp);
}

/// Events that arrive within the coalescing window go out in one push per
/// subscription: a STORE on three messages is one push of three FETCH.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_within_the_coalescing_window_go_out_in_one_push() {
    let rig = Rig::start_with(|c| c.coalesce = Duration::from_millis(200)).await;
    let mut s = rig.client().await;
    let (mut ep, keys) = rig.endpoint(None).await;
    subscribe(&mut s, "batch", &mut ep, &keys).await;
    for i in 1..=3 {
        append(&mut s, &format!("m{i}")).await;
    }
    // However the appends were batched, all three arrive.
    let mut seen = String::new();
    while !(1..=3).all(|u| seen.contains(&format!("* {u} UIDFETCH"))) {
        seen.push_str(&next_push(&mut ep).await.plaintext);
    }
    assert!(s.run("SELECT INBOX").await.unwrap().is_ok());
    for op in ["+FLAGS (\\Seen)", "-FLAGS (\\Seen)", "+FLAGS (x)"] {
        let r = s.run(&format!("STORE 1:3 {op}")).await.unwrap();
        assert!(r.is_ok(), "{:?}", lines(&r));
        let push = next_push(&mut ep).await;
        assert_eq!(
            push.plaintext.matches(" FETCH (UID ").count(),
            3,
            "{op}: {}",
            push.plaintext
        );
    }
}

/// §7.4: a subscription's pushes go out one after the other, so a push
/// made while an earlier one waits out Retry-After waits behind it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_made_during_a_retry_after_wait_goes_after_it() {
    let rig = Rig::start().await;
    let mut s = rig.client().await;
    let (mut ep, keys) = rig
        .endpoint(Some(Answer {
            status: 429,
            retry_after: Some(1),
        }))
        .await;
    webpush(&mut s, "busy", &ep, &keys).await;
    let first = next_push(&mut ep).await;
    assert_eq!(first.status, 429);
    let t0 = Instant::now();
    ep.set_answer(None);
    // Still waiting for its acknowledgement: the same fields again make a
    // new token push.
    webpush(&mut s, "busy", &ep, &keys).await;
    let retried = next_push(&mut ep).await;
    assert!(
        t0.elapsed() >= Duration::from_millis(900),
        "the next push came {:?} into a 1 s Retry-After",
        t0.elapsed()
    );
    assert_eq!(
        retried.ack_token(),
        first.ack_token(),
        "the retry comes first"
    );
    let second = next_push(&mut ep).await;
    assert_ne!(second.ack_token(), first.ack_token());
}
