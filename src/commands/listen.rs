//! `listen`: the push endpoint alone, for use with another client.

use clap::Args;

use crate::cli::EndpointOpts;
use crate::endpoint::{Answer, Event};
use crate::exit::{Exit, UsageError};
use crate::ops::endpoint::{load_or_create_keys, start};
use crate::webpush::VapidKey;

use super::Context;

#[derive(Debug, Clone, Args)]
pub struct ListenArgs {
    #[command(flatten)]
    pub endpoint: EndpointOpts,
    /// The server's VAPID key (base64url, uncompressed P-256) that pushes must be signed with
    #[arg(long, value_name = "KEY")]
    pub vapid: Option<String>,
    /// Answer pushes with this status (and Retry-After seconds) instead of 201, e.g. 410 or 429:120
    #[arg(long, value_name = "STATUS[:RETRY_AFTER]")]
    pub reply: Option<Answer>,
}

/// An endpoint on 0.0.0.0 or :: would advertise an address no server can
/// reach: say so, and what to give instead.
pub fn warn_unreachable(cx: &Context, opts: &EndpointOpts) {
    if opts.listen.ip().is_unspecified() && opts.public_url.is_none() {
        cx.diag.warn(&format_args!(
            "listening on {} but advertising that address, which no server can reach: give the URL servers should use with --public-url (e.g. https://host.example:{})",
            opts.listen,
            opts.listen.port()
        ));
    }
}

pub async fn run(cx: &Context, a: &ListenArgs) -> anyhow::Result<Exit> {
    let expected = a
        .vapid
        .as_deref()
        .map(|v| {
            VapidKey::parse(v).map_err(|e| {
                UsageError::new(
                    format!("--vapid: {e}"),
                    "give the key GETVAPID prints (imapwebpush getvapid)".to_owned(),
                )
            })
        })
        .transpose()?;
    let opts = &a.endpoint;
    let (keys, _) = load_or_create_keys(opts.keys.as_deref())?;
    warn_unreachable(cx, opts);
    let mut started = start(&opts.spec(), keys, expected, a.reply).await?;
    // In place before the banner: a Ctrl-C as soon as it shows stops the
    // loop below rather than the process.
    let interrupt = crate::ops::interrupt::Interrupt::watch();
    cx.out.event(&started.listening())?;
    let mut pushes = 0u64;
    if opts.count == Some(0) {
        return Ok(Exit::Success);
    }
    loop {
        tokio::select! {
            () = interrupt.wait() => break,
            ev = started.handle.events.recv() => {
                let Some(ev) = ev else { break };
                ev.print(&cx.out)?;
                if matches!(ev, Event::Push(_)) {
                    pushes += 1;
                    if opts.count.is_some_and(|c| pushes >= c) {
                        break;
                    }
                }
            }
        }
    }
    Ok(Exit::Success)
}
