//! `subscribe`: the whole flow of PRODUCT.md — connect, ENABLE, GETVAPID,
//! start the endpoint, WEBPUSH, await the ACKWEBPUSH push (its VAPID JWT
//! checked against the GETVAPID key), ACKWEBPUSH it, confirm it is active,
//! then stream notifications. The steps are [`crate::ops::flow`]'s; this
//! file renders their events and decides when to stop.

use std::time::{Duration, Instant};

use clap::Args;

use crate::cli::EndpointOpts;
use crate::endpoint::Event;
use crate::exit::{Exit, Failed, UsageError};
use crate::ops::endpoint::{load_or_create_keys, start};
use crate::ops::flow::{Flow, FlowError, FlowEvent, Timed};
use crate::ops::interrupt::Interrupt;
use crate::ops::Login;
use crate::output::Printer;
use crate::webpush::SubscriptionId;

use super::Context;

/// Keeps the IMAP connection from the server's inactivity autologout
/// (RFC 9051: at least 30 minutes) while pushes stream.
const KEEPALIVE: Duration = Duration::from_secs(5 * 60);

#[derive(Debug, Clone, Args)]
pub struct SubscribeArgs {
    /// Subscription ID (default: the keys file's, else a new UUID)
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    #[command(flatten)]
    pub endpoint: EndpointOpts,
    /// Do not send ACKWEBPUSH (to see what a server does with an unconfirmed subscription)
    #[arg(long)]
    pub no_ack: bool,
    /// Seconds to wait for the push carrying the ACKWEBPUSH token
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub wait: u64,
    /// ENABLE this capability first (CONDSTORE, QRESYNC, UTF8=ACCEPT, IMAP4rev2); repeatable
    #[arg(long, value_name = "CAP")]
    pub enable: Vec<String>,
    /// Delete the subscription (WEBPUSH <ID> NIL) when done or interrupted
    #[arg(long)]
    pub unsubscribe_on_exit: bool,
}

/// Renders flow events: narration for people, stream events for `--json`.
pub fn render(printer: &Printer) -> impl FnMut(Timed) + Send + '_ {
    move |t: Timed| {
        let _ = if printer.is_json() {
            if t.event.in_json() {
                match &t.event {
                    FlowEvent::Endpoint(e) => e.print(printer),
                    _ => printer.event(&t),
                }
            } else {
                Ok(())
            }
        } else {
            match &t.event {
                FlowEvent::Endpoint(e) => e.print(printer),
                _ => printer.show(&t),
            }
        };
    }
}

pub async fn run(cx: &Context, a: &SubscribeArgs) -> anyhow::Result<Exit> {
    let (mut keys, keys_path) = load_or_create_keys(a.endpoint.keys.as_deref())?;
    // PRODUCT.md: the default ID is the keys file's, so that each run
    // updates one subscription instead of leaving a new one behind.
    let id = match (&a.id, &keys.subscription_id) {
        (Some(id), _) => id.clone(),
        (None, Some(id)) => id.clone(),
        (None, None) => {
            let id = crate::webpush::types::new_uuid_v4();
            keys.subscription_id = Some(id.clone());
            keys.save(&keys_path, true)?;
            id
        }
    };
    let id = SubscriptionId::parse(&id).map_err(|e| UsageError::new(format!("--id: {e}"), None))?;
    let started = Instant::now();
    // Listen for Ctrl-C from the start, so that one pressed at any step
    // is seen (and the subscription cleaned up), not the default death.
    let interrupt = Interrupt::watch();
    super::listen::warn_unreachable(cx, &a.endpoint);
    let mut session = cx.connect_spec()?.open(Login::Required).await?;
    let mut ep = start(&a.endpoint.spec(), keys, None, None).await?;
    cx.out.event(&ep.listening())?;
    let keys = ep.keys.clone();
    let mut sink = render(&cx.out);
    let mut flow = Flow::new(&mut session, &mut ep.handle, started, &mut sink);
    let url = flow.endpoint.url.clone();
    if url.starts_with("http://") {
        cx.diag.warn(&"the endpoint is plain http: the draft requires https, and a conforming server answers BAD (use --tls-self-signed or an https --public-url)");
    }
    flow.emit(FlowEvent::Connected {
        server: cx.global.server.clone().unwrap_or_default(),
        endpoint: url,
    });
    flow.enable(&a.enable).await?;
    flow.getvapid().await?;
    if let Err(e) = flow.webpush(&id, &keys).await {
        if matches!(&e, FlowError::Refused { tagged, .. } if tagged.contains("[LIMIT]")) {
            cx.diag.warn(&"the server holds as many subscriptions as it allows: list them with `imapwebpush lwebpush`, then remove old ones with `imapwebpush webpush ID --delete`");
        }
        return Err(e.into());
    }
    // The subscription now points at this run's endpoint, which ends with
    // it: unconfirmed, it is of no use to anyone, so it goes whether the
    // wait ends by time or by Ctrl-C.
    let waited = tokio::select! {
        r = flow.await_token(Duration::from_secs(a.wait)) => r.map_err(anyhow::Error::from),
        _ = interrupt.wait() => Err(Failed {
            message: "interrupted while waiting for the confirmation push".to_owned(),
            hint: None,
        }
        .into()),
    };
    let token = match waited {
        Ok(t) => t,
        Err(e) => {
            let _ = flow.delete(&id).await;
            return Err(e);
        }
    };
    if a.no_ack {
        flow.emit(FlowEvent::NotAcked { id: id.to_string() });
    } else if !flow.ack(&id, &token).await? {
        return Ok(Exit::Failure);
    }
    let mut pushes = 0u64;
    let mut keepalive = tokio::time::interval(KEEPALIVE);
    keepalive.reset();
    if a.endpoint.count != Some(0) {
        flow.emit(FlowEvent::Streaming);
        loop {
            tokio::select! {
                _ = interrupt.wait() => break,
                _ = keepalive.tick() => { flow.session.run("NOOP").await.map_err(FlowError::from)?; }
                ev = flow.endpoint.events.recv() => {
                    let Some(ev) = ev else { break };
                    let push = matches!(ev, Event::Push(_));
                    flow.emit(FlowEvent::Endpoint(ev));
                    if push {
                        pushes += 1;
                        if a.endpoint.count.is_some_and(|c| pushes >= c) {
                            break;
                        }
                    }
                }
            }
        }
    }
    if a.unsubscribe_on_exit {
        flow.delete(&id).await?;
    }
    drop(flow);
    session.logout().await?;
    Ok(Exit::Success)
}
