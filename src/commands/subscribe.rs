//! `subscribe`: the whole flow of PRODUCT.md — connect, ENABLE, GETVAPID,
//! start the endpoint, WEBPUSH, await the ACKWEBPUSH push (its VAPID JWT
//! checked against the GETVAPID key), ACKWEBPUSH it, confirm it is active,
//! then stream notifications. [`Flow`] holds the steps; `demo` reuses them.

use std::time::{Duration, Instant};

use colored::Colorize;

use crate::cli::{EndpointOpts, GlobalOpts};
use crate::endpoint::{EndpointHandle, Event, PushEvent};
use crate::imap::{Session, Untagged};
use crate::output::{self, Printer};
use crate::push::keys::Keys;
use crate::webpush::{Command, ExtResponse, Subscription, SubscriptionId, VapidKey};

use super::listen::{load_or_create_keys, start_endpoint};
use super::{open_session, Exit, Login, UsageError};

/// Keeps the IMAP connection from the server's inactivity autologout
/// (RFC 9051: at least 30 minutes) while pushes stream.
const KEEPALIVE: Duration = Duration::from_secs(5 * 60);

/// The steps of a subscription, narrated (human) or as events (`--json`).
pub struct Flow<'a> {
    pub session: &'a mut Session,
    pub endpoint: &'a mut EndpointHandle,
    pub printer: Printer,
    pub started: Instant,
}

impl Flow<'_> {
    /// A narrated step, with the time since the start (human output only).
    pub fn step(&self, ok: bool, text: &str) -> std::io::Result<()> {
        let ms = self.started.elapsed().as_secs_f64() * 1000.0;
        let mark = if ok {
            "✓".green().bold()
        } else {
            "✗".red().bold()
        };
        self.printer.text(&format!(
            "{} {mark} {text}\n",
            format!("[{ms:>8.1} ms]").dimmed()
        ))
    }

    /// A note under a step.
    pub fn note(&self, text: &str) -> std::io::Result<()> {
        self.printer.text(&format!("{}{text}\n", " ".repeat(16)))
    }

    /// Shows the exchange of one command as the draft writes it.
    pub fn exchange(&self, reply: &crate::imap::Reply) -> std::io::Result<()> {
        let t = output::Transcript::from_reply(reply);
        self.printer.text(&indent(&t.to_string()))
    }

    pub async fn enable(&mut self, caps: &[String]) -> anyhow::Result<()> {
        if caps.is_empty() {
            return Ok(());
        }
        let reply = self
            .session
            .run(&format!("ENABLE {}", caps.join(" ")))
            .await?;
        self.exchange(&reply)?;
        self.step(reply.is_ok(), &format!("ENABLE {}", caps.join(" ")))?;
        Ok(())
    }

    /// GETVAPID; the key the pushes must be signed with.
    pub async fn getvapid(&mut self) -> anyhow::Result<VapidKey> {
        let reply = self.session.run(&Command::GetVapid.to_string()).await?;
        self.exchange(&reply)?;
        let key = reply.responses().find_map(|u| match u {
            Untagged::Ext(ExtResponse::Vapid { key }) => Some(key.clone()),
            _ => None,
        });
        match (reply.is_ok(), key) {
            (true, Some(k)) => {
                self.step(true, &format!("GETVAPID: the server signs pushes with {k}"))?;
                Ok(k)
            }
            (true, None) => Err(UsageError::new(
                "the server answered GETVAPID without a VAPID response (draft §5.1: it MUST send one)",
                "check the server with: imapwebpush check".to_owned(),
            )
            .into()),
            (false, _) => Err(UsageError::new(
                format!("GETVAPID failed: {}", reply.tagged),
                "does the server advertise WEBPUSH? see: imapwebpush capability".to_owned(),
            )
            .into()),
        }
    }

    /// WEBPUSH create; checks the untagged responses the draft requires.
    pub async fn webpush(&mut self, id: &SubscriptionId, keys: &Keys) -> anyhow::Result<bool> {
        let endpoint = crate::webpush::Endpoint::parse_allowing_http(&self.endpoint.url)
            .map_err(|e| anyhow::anyhow!("the endpoint URL: {e}"))?;
        if !endpoint.is_https() {
            output::warn("the endpoint is plain http: the draft requires https, and a conforming server answers BAD (use --tls-self-signed or an https --public-url)");
        }
        let cmd = Command::WebPush {
            id: id.clone(),
            subscription: Some(Subscription {
                endpoint,
                p256dh: keys.p256dh.clone(),
                auth: keys.auth.clone(),
            }),
        };
        let reply = self.session.run(&cmd.to_string()).await?;
        self.exchange(&reply)?;
        if !reply.is_ok() {
            self.step(false, &format!("WEBPUSH refused: {}", reply.tagged))?;
            return Ok(false);
        }
        let inactive = reply.responses().any(|u| {
            matches!(u, Untagged::Ext(ExtResponse::WebPush(i)) if &i.id == id && i.silenced.is_none())
        });
        let vapid = reply
            .responses()
            .any(|u| matches!(u, Untagged::Ext(ExtResponse::Vapid { .. })));
        self.step(
            true,
            &format!("WEBPUSH: subscription {id} created, waiting for its confirmation"),
        )?;
        if !inactive {
            output::warn("no `* WEBPUSH <id> <endpoint> NIL` response (draft §5.2: MUST for an inactive subscription)");
        }
        if !vapid {
            output::warn(
                "no `* VAPID` response to WEBPUSH (draft §5.2: MUST for an inactive subscription)",
            );
        }
        Ok(true)
    }

    /// The next push, printing every event on the way; `None` when
    /// nothing arrives within `wait`.
    pub async fn next_push(&mut self, wait: Duration) -> Option<Box<PushEvent>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let ev = tokio::time::timeout_at(deadline, self.endpoint.events.recv())
                .await
                .ok()??;
            let _ = self.printer.event(&ev);
            if let Event::Push(p) = ev {
                return Some(p);
            }
        }
    }

    /// Waits for the push carrying `* ACKWEBPUSH <token>`.
    pub async fn await_ack(&mut self, wait: Duration) -> Option<String> {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let push = self.next_push(left).await?;
            if let Some(token) = push.ack_token() {
                let _ = self.step(
                    true,
                    &format!("the ACKWEBPUSH push arrived, VAPID verified against the GETVAPID key, decrypted: token {token}"),
                );
                return Some(token.to_owned());
            }
        }
    }

    /// ACKWEBPUSH; whether the subscription is then active (`… 0`).
    pub async fn ack(&mut self, id: &SubscriptionId, token: &str) -> anyhow::Result<bool> {
        let reply = self.session.run(&format!("ACKWEBPUSH {token}")).await?;
        self.exchange(&reply)?;
        let status = reply.line.status.to_string();
        self.printer.json_only(&Event::Ack {
            token: token.to_owned(),
            status: status.clone(),
        })?;
        let active = reply.responses().any(|u| {
            matches!(u, Untagged::Ext(ExtResponse::WebPush(i)) if &i.id == id && i.silenced.is_some())
        });
        if reply.is_ok() && active {
            self.step(true, &format!("ACKWEBPUSH: subscription {id} is active"))?;
        } else if reply.is_ok() {
            self.step(
                false,
                "ACKWEBPUSH answered OK but no `* WEBPUSH <id> … 0` showed it active (draft §5.3)",
            )?;
        } else {
            self.step(false, &format!("ACKWEBPUSH refused: {}", reply.tagged))?;
        }
        Ok(reply.is_ok() && active)
    }

    pub async fn delete(&mut self, id: &SubscriptionId) -> anyhow::Result<()> {
        let cmd = Command::WebPush {
            id: id.clone(),
            subscription: None,
        };
        let reply = self.session.run(&cmd.to_string()).await?;
        self.exchange(&reply)?;
        self.step(
            reply.is_ok(),
            &format!("WEBPUSH {id} NIL: subscription deleted"),
        )?;
        Ok(())
    }
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("{}{l}\n", " ".repeat(16)))
        .collect()
}

/// `subscribe`'s options besides the endpoint's.
#[derive(Debug)]
pub struct Options<'a> {
    pub id: Option<&'a str>,
    pub no_ack: bool,
    pub wait: Duration,
    pub enable: &'a [String],
    pub unsubscribe_on_exit: bool,
}

/// What to say when the confirmation push does not come.
pub const NO_ACK_PUSH_HINT: &str = "check that the server can reach the endpoint (a loopback address is reachable only from this machine: use --listen 0.0.0.0:PORT with --public-url, or a tunnel), that the endpoint is https (the draft requires it: try --tls-self-signed and make the server trust the CA file it prints), and run with -v to see the exchange";

pub async fn run(
    g: &GlobalOpts,
    printer: Printer,
    endpoint: &EndpointOpts,
    opts: &Options<'_>,
) -> anyhow::Result<Exit> {
    let (keys, _) = load_or_create_keys(endpoint.keys.as_ref())?;
    let id = opts
        .id
        .map(str::to_owned)
        .or_else(|| keys.subscription_id.clone())
        .unwrap_or_else(crate::webpush::types::new_uuid_v4);
    let id = SubscriptionId::parse(&id).map_err(|e| UsageError::new(format!("--id: {e}"), None))?;
    let started = Instant::now();
    let mut session = open_session(g, Login::Required).await?;
    let mut ep = start_endpoint(endpoint, keys, None, None).await?;
    printer.event(&ep.listening())?;
    let keys = ep.keys.clone();
    let mut flow = Flow {
        session: &mut session,
        endpoint: &mut ep.handle,
        printer,
        started,
    };
    flow.step(
        true,
        &format!("connected and logged in; endpoint {}", flow.endpoint.url),
    )?;
    flow.enable(opts.enable).await?;
    let key = flow.getvapid().await?;
    flow.endpoint.expect_vapid(key);
    if !flow.webpush(&id, &keys).await? {
        return Ok(Exit::Failure);
    }
    let Some(token) = flow.await_ack(opts.wait).await else {
        flow.step(
            false,
            &format!(
                "no push with the ACKWEBPUSH token within {} s",
                opts.wait.as_secs()
            ),
        )?;
        return Err(super::Failed {
            message: format!(
                "the confirmation push did not arrive at {}",
                flow.endpoint.url
            ),
            hint: Some(NO_ACK_PUSH_HINT.to_owned()),
        }
        .into());
    };
    if opts.no_ack {
        flow.step(
            true,
            "--no-ack: not confirming; the subscription stays inactive",
        )?;
    } else if !flow.ack(&id, &token).await? {
        return Ok(Exit::Failure);
    }
    let mut pushes = 0u64;
    let mut keepalive = tokio::time::interval(KEEPALIVE);
    keepalive.reset();
    if endpoint.count != Some(0) {
        flow.step(true, "streaming notifications (Ctrl-C to stop)")?;
        loop {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => break,
                _ = keepalive.tick() => { flow.session.run("NOOP").await?; }
                ev = flow.endpoint.events.recv() => {
                    let Some(ev) = ev else { break };
                    printer.event(&ev)?;
                    if matches!(ev, Event::Push(_)) {
                        pushes += 1;
                        if endpoint.count.is_some_and(|c| pushes >= c) {
                            break;
                        }
                    }
                }
            }
        }
    }
    if opts.unsubscribe_on_exit {
        flow.delete(&id).await?;
    }
    session.logout().await?;
    Ok(Exit::Success)
}
