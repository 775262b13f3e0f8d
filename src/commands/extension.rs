//! The five extension commands (draft §5): GETVAPID, WEBPUSH, ACKWEBPUSH,
//! LWEBPUSH, SILWEBPUSH. They share one shape (validate, send, print the
//! exchange), so they share this file. Arguments are checked against the
//! §9 grammar before anything is sent; `--raw` skips that, to test how a
//! server answers bad input.

use crate::cli::GlobalOpts;
use crate::output::{self, ExtOutcome, Printer};
use crate::webpush::{
    AckToken, AuthSecret, Command, Endpoint, FieldError, ListPattern, P256dh, Silence,
    Subscription, SubscriptionId,
};

use super::{open_session, Exit, Login, UsageError};

fn invalid(what: &str, e: FieldError) -> anyhow::Error {
    UsageError::new(
        format!("invalid {what}: {e}"),
        Some("fix the argument, or pass --raw to send it unchecked".to_owned()),
    )
    .into()
}

/// Sends `command`, prints the exchange, and maps NO/BAD to exit 1.
async fn send(
    g: &GlobalOpts,
    printer: Printer,
    command: &str,
) -> anyhow::Result<(Exit, ExtOutcome)> {
    let mut session = open_session(g, Login::Required).await?;
    let reply = session.run(command).await?;
    let outcome = ExtOutcome::from_reply(&reply);
    printer.show(&outcome)?;
    session.logout().await?;
    let exit = if reply.is_ok() {
        Exit::Success
    } else {
        Exit::Failure
    };
    Ok((exit, outcome))
}

pub async fn getvapid(g: &GlobalOpts, printer: Printer, qr: bool) -> anyhow::Result<Exit> {
    let (exit, outcome) = send(g, printer, &Command::GetVapid.to_string()).await?;
    if exit == Exit::Success && outcome.vapid.is_none() {
        output::warn("the server sent no VAPID response (draft §5.1: it MUST)");
        return Ok(Exit::Failure);
    }
    if let (true, Some(key)) = (qr, &outcome.vapid) {
        printer.text(&output::qr(key.as_str()))?;
    }
    Ok(exit)
}

pub async fn webpush(
    g: &GlobalOpts,
    printer: Printer,
    id: &str,
    fields: Option<(&str, &str, &str)>,
    raw: bool,
) -> anyhow::Result<Exit> {
    let text = if raw {
        match fields {
            Some((e, p, a)) => format!("WEBPUSH {id} {e} {p} {a}"),
            None => format!("WEBPUSH {id} NIL"),
        }
    } else {
        let id = SubscriptionId::parse(id).map_err(|e| invalid("subscription ID", e))?;
        let subscription = match fields {
            Some((e, p, a)) => Some(Subscription {
                endpoint: Endpoint::parse(e).map_err(|e| invalid("endpoint", e))?,
                p256dh: P256dh::parse(p).map_err(|e| invalid("P256DH key", e))?,
                auth: AuthSecret::parse(a).map_err(|e| invalid("auth secret", e))?,
            }),
            None => None,
        };
        Command::WebPush { id, subscription }.to_string()
    };
    Ok(send(g, printer, &text).await?.0)
}

pub async fn ackwebpush(
    g: &GlobalOpts,
    printer: Printer,
    token: &str,
    raw: bool,
) -> anyhow::Result<Exit> {
    let text = if raw {
        format!("ACKWEBPUSH {token}")
    } else {
        Command::AckWebPush(AckToken::parse(token).map_err(|e| invalid("token", e))?).to_string()
    };
    Ok(send(g, printer, &text).await?.0)
}

pub async fn lwebpush(
    g: &GlobalOpts,
    printer: Printer,
    pattern: &str,
    raw: bool,
) -> anyhow::Result<Exit> {
    let text = if raw {
        format!("LWEBPUSH {pattern}")
    } else {
        Command::LWebPush(ListPattern::parse(pattern).map_err(|e| invalid("pattern", e))?)
            .to_string()
    };
    Ok(send(g, printer, &text).await?.0)
}

pub async fn silwebpush(
    g: &GlobalOpts,
    printer: Printer,
    id: &str,
    duration: &str,
    raw: bool,
) -> anyhow::Result<Exit> {
    let text = if raw {
        format!("SILWEBPUSH {id} {duration}")
    } else {
        Command::SilWebPush(
            SubscriptionId::parse(id).map_err(|e| invalid("subscription ID", e))?,
            Silence::parse(duration).map_err(|e| invalid("duration", e))?,
        )
        .to_string()
    };
    Ok(send(g, printer, &text).await?.0)
}
