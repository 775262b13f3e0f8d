//! `capability`: CAPABILITY, with WEBPUSH highlighted.

use crate::exit::Exit;
use crate::imap::Status;
use crate::ops::{ext, Login};

use super::Context;

pub async fn run(cx: &Context) -> anyhow::Result<Exit> {
    let mut session = cx.connect_spec()?.open(Login::IfUser).await?;
    let outcome = ext::capability(&mut session).await?;
    cx.out.show(&outcome)?;
    session.logout().await?;
    Ok(Exit::from_ok(outcome.status == Status::Ok))
}
