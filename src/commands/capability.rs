//! `capability`: CAPABILITY, with WEBPUSH highlighted.

use crate::cli::GlobalOpts;
use crate::output::{CapabilityOutcome, Printer, Transcript};

use super::{open_session, Exit, Login};

pub async fn run(g: &GlobalOpts, printer: Printer) -> anyhow::Result<Exit> {
    let mut session = open_session(g, Login::IfUser).await?;
    let reply = session.refresh_capabilities().await?;
    let mut transcript = Transcript::from_reply(&reply);
    transcript.highlight = vec!["WEBPUSH"];
    let outcome = CapabilityOutcome {
        capabilities: session.capabilities().to_vec(),
        webpush: session.has_capability("WEBPUSH"),
        authenticated: session.is_authenticated(),
        tls: session.is_tls(),
        transcript,
    };
    printer.show(&outcome)?;
    session.logout().await?;
    Ok(if reply.is_ok() {
        Exit::Success
    } else {
        Exit::Failure
    })
}
