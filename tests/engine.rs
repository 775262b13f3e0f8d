//! The engine serves every front end: the five extension commands run on
//! one open session as values (as the REPL and the checker run them), and
//! the printer renders results into any writer, in human and JSON form.

use imapwebpush::imap::Status;
use imapwebpush::ops::ext::{self, ExtRequest};
use imapwebpush::ops::flow;
use imapwebpush::output::Printer;
use imapwebpush::rules::{Departure, Level};
use imapwebpush::webpush::{Command, SubscriptionId};

use crate::support::rig::{next_push, Rig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_five_commands_run_twice_on_one_session_as_values() {
    let rig = Rig::start().await;
    let mut session = rig.client().await;
    let (mut ep, keys) = rig.endpoint(None).await;
    let id = SubscriptionId::parse("engine-1").unwrap();
    for round in 0..2 {
        let getvapid = ext::run(&mut session, &ExtRequest::getvapid())
            .await
            .unwrap();
        assert_eq!(getvapid.status, Status::Ok, "round {round}");
        assert_eq!(getvapid.vapid, Some(rig.server.vapid_key()));
        assert!(getvapid.warnings.is_empty(), "{:?}", getvapid.warnings);

        let created = flow::create(
            &mut session,
            &id,
            imapwebpush::webpush::Endpoint::parse(&ep.url).unwrap(),
            &keys,
        )
        .await
        .unwrap();
        let info = created.subscription(&id).expect("a WEBPUSH response");
        // Round 1 creates; round 2 sends equal fields to an inactive
        // subscription (deleted at the end of round 1, so created again).
        assert!(!info.is_active(), "round {round}: {info}");
        assert!(created.warnings.is_empty(), "{:?}", created.warnings);

        let token = next_push(&mut ep).await.ack_token().unwrap().to_owned();
        let (acked, active) = flow::acknowledge(&mut session, &id, &token).await.unwrap();
        assert!(acked.is_ok() && active, "round {round}: {acked:?}");
        // A token works once (§5.3).
        let again = ext::run(
            &mut session,
            &ExtRequest::ackwebpush(&token, false).unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(again.status, Status::No, "round {round}");

        let listed = ext::run(&mut session, &ExtRequest::lwebpush("*", false).unwrap())
            .await
            .unwrap();
        assert_eq!(listed.subscription(&id).unwrap().silenced, Some(0));

        let silenced = ext::run(
            &mut session,
            &ExtRequest::silwebpush("engine-1", "60", false).unwrap(),
        )
        .await
        .unwrap();
        assert!(silenced.is_ok());
        let listed = ext::run(
            &mut session,
            &ExtRequest::Command(Command::LWebPush(
                imapwebpush::webpush::ListPattern::parse("engine-1").unwrap(),
            )),
        )
        .await
        .unwrap();
        assert_eq!(listed.subscription(&id).unwrap().silenced, Some(60));

        let deleted = flow::delete(&mut session, &id).await.unwrap();
        assert!(deleted.is_ok());
        let listed = ext::run(&mut session, &ExtRequest::lwebpush("*", false).unwrap())
            .await
            .unwrap();
        assert!(listed.subscriptions.is_empty(), "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_raw_request_reaches_the_server_unchecked_and_its_bad_is_a_value() {
    let rig = Rig::start().await;
    let mut session = rig.client().await;
    // Validation refuses it before sending...
    assert!(ExtRequest::webpush("x", Some(("http://e/", "k", "a")), false).is_err());
    // ...and --raw sends it, for the server to answer BAD.
    let raw = ExtRequest::webpush("x", Some(("http://e/", "k", "a")), true).unwrap();
    assert_eq!(raw.line(), "WEBPUSH x http://e/ k a");
    let outcome = ext::run(&mut session, &raw).await.unwrap();
    assert_eq!(outcome.status, Status::Bad);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_event_and_an_outcome_render_into_memory_as_text_and_json() {
    let rig = Rig::start().await;
    let mut session = rig.client().await;
    let (mut ep, keys) = rig.endpoint(None).await;
    let outcome = ext::run(
        &mut session,
        &ExtRequest::webpush(
            "render-1",
            Some((&ep.url, keys.p256dh.as_str(), keys.auth.as_str())),
            false,
        )
        .unwrap(),
    )
    .await
    .unwrap();
    let push = imapwebpush::endpoint::Event::Push(next_push(&mut ep).await);

    let (text, mem) = Printer::memory(false, false);
    text.show(&outcome).unwrap();
    text.event(&push).unwrap();
    let shown = mem.text();
    assert!(shown.starts_with("C: "), "{shown}");
    assert!(shown.contains("S: * WEBPUSH render-1 "), "{shown}");
    assert!(shown.contains("Push: * ACKWEBPUSH "), "{shown}");
    assert!(
        !shown.contains('\u{1b}'),
        "no colour was asked for: {shown:?}"
    );

    let (json, mem) = Printer::memory(true, false);
    json.show(&outcome).unwrap();
    json.event(&push).unwrap();
    let text = mem.text();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(lines[0]["status"], "OK");
    assert_eq!(lines[0]["subscriptions"][0]["id"], "render-1");
    assert_eq!(
        lines[0]["subscriptions"][0]["silenced"],
        serde_json::Value::Null
    );
    assert_eq!(lines[1]["event"], "push");
    assert_eq!(lines[1]["responses"][0]["type"], "ACKWEBPUSH");

    let (colour, mem) = Printer::memory(false, true);
    colour.show(&outcome).unwrap();
    assert!(mem.text().contains('\u{1b}'), "colour was asked for");
}

#[test]
fn a_missing_vapid_response_is_a_typed_must_departure() {
    // Judged from the answer alone, as `check` and `getvapid --json` do.
    let frame = |s: &str| imapwebpush::imap::Frame::parse(format!("{s}\r\n").as_bytes());
    let tagged = frame("a1 OK GETVAPID completed");
    let imapwebpush::imap::Response::Tagged { line, .. } = tagged.response.clone() else {
        panic!("tagged")
    };
    let reply = imapwebpush::imap::Reply {
        tag: "a1".into(),
        command: "a1 GETVAPID".into(),
        untagged: vec![],
        tagged: tagged.raw,
        line,
    };
    let outcome = imapwebpush::ops::ext::ExtOutcome::judge(&reply, true);
    assert_eq!(outcome.warnings, [Departure::GetVapidWithoutVapid]);
    assert_eq!(outcome.warnings[0].level(), Level::Must);
    assert_eq!(outcome.warnings[0].section(), "5.1");
    let json = serde_json::to_value(&outcome).unwrap();
    assert!(
        json["warnings"][0].as_str().unwrap().contains("§5.1"),
        "{json}"
    );
}
