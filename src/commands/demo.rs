//! `demo`: the protocol in one run, on loopback only. It starts the
//! reference server and an https push endpoint (with a throwaway CA that
//! the server is told to trust), then walks a newcomer through every step:
//! GETVAPID, WEBPUSH, the confirmation push, ACKWEBPUSH, a new message and
//! its push with the ENVELOPE, an expunge and its VANISHED push, and the
//! deletion of the subscription. Every exchange is shown as the draft
//! writes it; nothing touches the user's files or the network.

use std::sync::Arc;
use std::time::{Duration, Instant};

use colored::Colorize;

use crate::endpoint::{self, EndpointConfig, EndpointTls, PushEvent};
use crate::exit::{Exit, Failed};
use crate::imap::{Arg, ServerAddr};
use crate::ops::flow::{Flow, FlowError};
use crate::ops::{ConnectSpec, Login};
use crate::push::content::{Item, PushResponse};
use crate::push::keys::Keys;
use crate::push::vapid::VapidSigner;
use crate::secret::Secret;
use crate::server::{self, AccountSpec, ServerConfig};
use crate::tls::{Identity, Trust};
use crate::webpush::SubscriptionId;

use super::subscribe::render;
use super::Context;

/// How long each push may take to arrive on loopback before the demo
/// says something is wrong.
const PUSH_WAIT: Duration = Duration::from_secs(15);

/// The message the demo delivers.
pub const SAMPLE_SUBJECT: &str = "Welcome to IMAP WEBPUSH";

fn sample_message() -> Vec<u8> {
    format!(
        "Date: Sat, 21 Nov 2026 10:00:00 +0000\r\n\
From: Alice Example <alice@example.org>\r\n\
To: Demo User <demo@example.org>\r\n\
Subject: {SAMPLE_SUBJECT}\r\n\
Message-ID: <demo-1@example.org>\r\n\
\r\n\
This message was delivered to the reference server; the push you just\r\n\
saw carried its envelope and body, encrypted for this endpoint alone.\r\n"
    )
    .into_bytes()
}

/// Trust in the CA a generated identity came with.
fn roots(pem: Option<&str>) -> anyhow::Result<Trust> {
    let pem = pem.ok_or_else(|| anyhow::anyhow!("a generated identity has a CA"))?;
    Ok(Trust::with_ca_pem(pem)?)
}

fn subject_of(push: &PushEvent) -> Option<String> {
    push.responses.iter().find_map(|r| match r {
        PushResponse::UidFetch { items, .. } => items
            .get("ENVELOPE")
            .and_then(Item::as_envelope)
            .and_then(|e| e.subject.clone()),
        _ => None,
    })
}

fn has_vanished(push: &PushEvent) -> bool {
    push.responses
        .iter()
        .any(|r| matches!(r, PushResponse::Vanished { .. }))
}

pub async fn run(cx: &Context) -> anyhow::Result<Exit> {
    let started = Instant::now();
    let printer = &cx.out;
    printer.text(&format_args!(
        "{}\n{}\n\n",
        "imapwebpush demo: the IMAP WEBPUSH extension, end to end, on loopback".bold(),
        "A reference server and a push endpoint start here; a client subscribes, gets mail, and watches the pushes arrive.".dimmed()
    ))?;

    // The endpoint's certificate comes first: the server must trust it
    // before it can push (the draft requires https endpoints).
    let endpoint_identity = Identity::generate(&["127.0.0.1", "localhost"])?;
    let endpoint_ca = endpoint_identity.ca_pem.clone();
    let password = Secret::new(crate::webpush::types::new_uuid_v4());
    let mut config = ServerConfig::new(
        vec![AccountSpec {
            name: "demo".into(),
            password: password.clone(),
            admin: true,
        }],
        VapidSigner::generate()?,
    );
    config.listen = ([127, 0, 0, 1], 0).into();
    config.vapid_subject = "mailto:demo@example.org".into();
    config.push_trust = roots(endpoint_ca.as_deref())?;
    let server = server::start(config).await?;

    let keys = Arc::new(Keys::generate()?);
    let mut ep_config = EndpointConfig::new(keys.clone());
    ep_config.tls = EndpointTls::Identity(endpoint_identity);
    let mut endpoint = endpoint::start(ep_config).await?;

    let spec = ConnectSpec::new(
        ServerAddr::parse(&format!("imap://{}", server.addr), None)?,
        roots(server.ca_pem.as_deref())?,
        Duration::from_secs(30),
    )
    .with_password("demo", password);
    let mut session = spec.open(Login::Required).await?;

    let mut sink = render(printer);
    let mut flow = Flow::new(&mut session, &mut endpoint, started, &mut sink);
    flow.step(
        true,
        format!(
            "reference server on imap://{} (STARTTLS, account demo), logged in over TLS",
            server.addr
        ),
    );
    let url = flow.endpoint.url.clone();
    flow.step(
        true,
        format!("push endpoint at {url} (https; the server trusts its throwaway CA)"),
    );
    flow.note(
        "Its keys (P-256 public key and auth secret) are new; they go to the server in WEBPUSH.",
    );

    flow.note("1. The client asks for the server's VAPID key: every push must be signed with it.");
    flow.getvapid().await?;

    flow.note(
        "2. It registers the endpoint. The subscription stays inactive (NIL) until confirmed,",
    );
    flow.note("   so that nobody can use a server to flood someone else's endpoint.");
    let id = SubscriptionId::parse(&crate::webpush::types::new_uuid_v4())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    flow.webpush(&id, &keys).await?;
    flow.note(
        "3. The server proves the endpoint is reachable: it pushes a token, encrypted (RFC 8291).",
    );
    let token = flow
        .await_token(PUSH_WAIT)
        .await
        .map_err(|_| no_push("the ACKWEBPUSH push"))?;
    flow.note("4. The client sends the token back; the subscription becomes active (silenced 0).");
    if !flow.ack(&id, &token).await? {
        return Ok(Exit::Failure);
    }

    flow.note("5. A message arrives in INBOX (APPEND stands in for delivery).");
    let message = sample_message();
    let reply = flow
        .session
        .run_args(&[Arg::Raw("APPEND INBOX"), Arg::Literal(&message)])
        .await
        .map_err(FlowError::from)?;
    flow.emit(crate::ops::flow::FlowEvent::Exchange(
        crate::output::Transcript::from_reply(&reply),
    ));
    flow.step(reply.is_ok(), "APPEND: a new message in INBOX");
    let Some(push) = flow.next_push(PUSH_WAIT).await else {
        return Err(no_push("the new-message push"));
    };
    match subject_of(&push) {
        Some(subject) => flow.step(
            true,
            format!(
                "the push says SELECT INBOX, then UIDFETCH with the ENVELOPE: subject “{subject}”"
            ),
        ),
        None => flow.step(false, "the new-message push has no UIDFETCH ENVELOPE"),
    }

    flow.note("6. The message is deleted: flagged \\Deleted, then expunged.");
    for cmd in ["SELECT INBOX", "STORE 1 +FLAGS (\\Deleted)", "EXPUNGE"] {
        let reply = flow.session.run(cmd).await.map_err(FlowError::from)?;
        flow.emit(crate::ops::flow::FlowEvent::Exchange(
            crate::output::Transcript::from_reply(&reply),
        ));
        if !reply.is_ok() {
            flow.step(false, format!("{cmd}: {}", reply.tagged));
            return Ok(Exit::Failure);
        }
    }
    flow.step(true, "EXPUNGE: the message is gone");
    let mut vanished = false;
    for _ in 0..3 {
        let Some(push) = flow.next_push(PUSH_WAIT).await else {
            break;
        };
        if has_vanished(&push) {
            vanished = true;
            break;
        }
        flow.note("(that push told of the flag change; the expunge follows)");
    }
    if !vanished {
        return Err(no_push("the VANISHED push"));
    }
    flow.step(
        true,
        "the push says SELECT INBOX, then VANISHED with the message's UID",
    );

    flow.note("7. The client removes its subscription.");
    flow.delete(&id).await?;
    drop(flow);
    session.logout().await?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    printer.text(&format_args!(
        "\n{} in {ms:.0} ms. Next, in two terminals (no trust flags: both sides use your local CA on loopback):\n  imapwebpush serve\n  IMAPWEBPUSH_PASSWORD=demo imapwebpush subscribe -s imap://127.0.0.1:1143 -u demo\n",
        "Done".green().bold()
    ))?;
    Ok(Exit::Success)
}

fn no_push(what: &str) -> anyhow::Error {
    Failed {
        message: format!("{what} did not arrive within {} s", PUSH_WAIT.as_secs()),
        hint: Some("run again with -v; if it persists, please report it".to_owned()),
    }
    .into()
}
