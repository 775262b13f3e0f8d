//! The code of each check. Each one opens its own sessions, creates what it
//! needs (its own subscription IDs, its own messages) through [`Ctx`], and
//! says pass, or why not; the runner removes what it created.

use std::time::{Duration, Instant};

use crate::endpoint::{Answer, Event};
use crate::imap::{Session, Status};
use crate::ops::ext::{self, ExtOutcome, ExtRequest};
use crate::output::escape_line;
use crate::push::content::{analyze, PushResponse, Warning, RECOMMENDED_TTL};
use crate::push::keys::Keys;
use crate::push::vapid::{Finding, VapidReport};
use crate::webpush::types::new_uuid_v4;
use crate::webpush::{AckToken, SubscriptionId};

use super::ctx::{fail, setup, Ctx, Problem, PUSH_WAIT, QUIET};
use super::Verdict;

fn tagged(o: &ExtOutcome) -> String {
    escape_line(&o.transcript.tagged).into_owned()
}

fn lwebpush_id(id: &SubscriptionId) -> ExtRequest {
    ExtRequest::lwebpush(id.as_str(), false).expect("a subscription ID is a pattern")
}

// §4

pub async fn capability(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let c = ext::capability(&mut s).await?;
    let _ = s.logout().await;
    if c.webpush {
        Ok(())
    } else {
        Err(fail(
            "WEBPUSH among the capabilities after login",
            format!("CAPABILITY {}", c.capabilities.join(" ")),
        ))
    }
}

// State rules: §5.1–§5.5 "only available in authenticated or selected state".

async fn refused_before_login(cx: &mut Ctx, line: String) -> Verdict {
    let mut s = cx.open_unauthenticated().await?;
    let o = cx.ext(&mut s, &ExtRequest::Raw(line)).await?;
    match o.status {
        Status::Bad | Status::No => Ok(()),
        _ => Err(fail("a tagged BAD or NO before authentication", tagged(&o))),
    }
}

pub async fn getvapid_not_authenticated(cx: &mut Ctx) -> Verdict {
    refused_before_login(cx, "GETVAPID".into()).await
}

pub async fn webpush_not_authenticated(cx: &mut Ctx) -> Verdict {
    let id = cx.new_id();
    let k = cx.ep.keys.clone();
    let line = format!("WEBPUSH {id} {} {} {}", cx.ep.handle.url, k.p256dh, k.auth);
    refused_before_login(cx, line).await
}

/// With a token the server sent, so that running the command would be
/// answered OK: an unknown token is answered NO whether the state is
/// checked or not. The refusal counts only if the token was live, so it
/// must still confirm the subscription afterwards (a late token push for
/// another check's subscription would not).
pub async fn ackwebpush_not_authenticated(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let (id, _) = cx.create(&mut s).await?;
    let (_, token) = cx.token_push().await.map_err(setup("the token push"))?;
    refused_before_login(cx, format!("ACKWEBPUSH {token}")).await?;
    let (o, _) = crate::ops::flow::acknowledge(&mut s, &id, &token).await?;
    if !o.is_ok() {
        return Err(Problem::Setup(format!(
            "the token pushed did not confirm the subscription after login: {}",
            tagged(&o)
        )));
    }
    Ok(())
}

pub async fn lwebpush_not_authenticated(cx: &mut Ctx) -> Verdict {
    refused_before_login(cx, "LWEBPUSH *".into()).await
}

/// With a subscription of the account, for the reason given above.
pub async fn silwebpush_not_authenticated(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let id = cx.activate(&mut s).await?;
    refused_before_login(cx, format!("SILWEBPUSH {id} 10")).await
}

// §5.1, §6.1

pub async fn getvapid_single_vapid(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let o = cx.ext(&mut s, &ExtRequest::getvapid()).await?;
    if !o.is_ok() {
        return Err(fail("GETVAPID answered OK", tagged(&o)));
    }
    if o.vapid_count != 1 {
        return Err(fail(
            "exactly one `* VAPID` response before the tagged OK",
            format!("{} VAPID responses", o.vapid_count),
        ));
    }
    Ok(())
}

pub async fn vapid_key_is_p256(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let o = cx.ext(&mut s, &ExtRequest::getvapid()).await?;
    if o.vapid.is_some() {
        // Parsed as a VapidKey: 65 bytes, 0x04, a point on P-256.
        return Ok(());
    }
    match o
        .other
        .iter()
        .find(|l| l.to_ascii_uppercase().starts_with("* VAPID"))
    {
        Some(line) => Err(fail(
            "a base64url uncompressed P-256 point (65 bytes, 0x04 first)",
            escape_line(line).into_owned(),
        )),
        None => Err(Problem::Setup("GETVAPID sent no VAPID response".into())),
    }
}

// §5.2

pub async fn inactive_sends_webpush_nil(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let (id, o) = cx.create(&mut s).await?;
    inactive_response(&o, &id)
}

fn inactive_response(o: &ExtOutcome, id: &SubscriptionId) -> Verdict {
    match o.subscription(id) {
        Some(i) if !i.is_active() => Ok(()),
        Some(i) => Err(fail(
            format!("`* WEBPUSH {id} <endpoint> NIL` (inactive until ACKWEBPUSH)"),
            format!("* {i}"),
        )),
        None => Err(fail(
            format!("`* WEBPUSH {id} <endpoint> NIL` before the tagged OK"),
            "no WEBPUSH response for the subscription",
        )),
    }
}

fn one_vapid(cx: &Ctx, o: &ExtOutcome) -> Verdict {
    if o.vapid_count != 1 {
        return Err(fail(
            "exactly one `* VAPID` response before the tagged OK",
            format!("{} VAPID responses", o.vapid_count),
        ));
    }
    match (&o.vapid, &cx.vapid) {
        (Some(got), Some(want)) if got != want => Err(fail(
            format!("`* VAPID {want}` (the GETVAPID key)"),
            format!("`* VAPID {got}`"),
        )),
        _ => Ok(()),
    }
}

pub async fn create_sends_vapid(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let (_, o) = cx.create(&mut s).await?;
    one_vapid(cx, &o)
}

pub async fn changed_update_deactivates(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let id = cx.activate(&mut s).await?;
    // Another key pair: at least one field differs.
    let keys = Keys::generate().map_err(|e| Problem::Setup(e.to_string()))?;
    let o = cx
        .webpush(&mut s, &id, Ctx::endpoint_of(&cx.ep), &keys)
        .await?;
    if !o.is_ok() {
        return Err(fail("WEBPUSH update answered OK", tagged(&o)));
    }
    inactive_response(&o, &id)?;
    one_vapid(cx, &o)
}

pub async fn equal_update_stays_active(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let id = cx.activate(&mut s).await?;
    let keys = cx.ep.keys.clone();
    let o = cx
        .webpush(&mut s, &id, Ctx::endpoint_of(&cx.ep), &keys)
        .await?;
    if !o.is_ok() {
        return Err(fail("WEBPUSH with the same fields answered OK", tagged(&o)));
    }
    if let Some(i) = o.subscription(&id).filter(|i| !i.is_active()) {
        return Err(fail(
            "the subscription stays active (no field differs)",
            format!("* {i}"),
        ));
    }
    let l = cx.ext(&mut s, &lwebpush_id(&id)).await?;
    match l.subscription(&id) {
        Some(i) if i.is_active() => Ok(()),
        Some(i) => Err(fail(
            "LWEBPUSH shows it active after an update with equal fields",
            format!("* {i}"),
        )),
        None => Err(fail(
            "LWEBPUSH lists the subscription",
            "no WEBPUSH response",
        )),
    }
}

async fn refused_argument(cx: &mut Ctx, endpoint: &str, p256dh: &str, auth: &str) -> Verdict {
    let mut s = cx.open().await?;
    let id = cx.new_id();
    let request = ExtRequest::webpush(id.as_str(), Some((endpoint, p256dh, auth)), true)
        .expect("a raw request is not validated");
    let o = cx.ext(&mut s, &request).await?;
    match o.status {
        Status::Bad | Status::No => Ok(()),
        _ => Err(fail("a tagged BAD (or NO)", tagged(&o))),
    }
}

pub async fn https_endpoint_required(cx: &mut Ctx) -> Verdict {
    let k = cx.ep.keys.clone();
    let url = match cx.ep.handle.url.strip_prefix("https://") {
        Some(rest) => format!("http://{rest}"),
        None => cx.ep.handle.url.clone(),
    };
    refused_argument(cx, &url, k.p256dh.as_str(), k.auth.as_str()).await
}

fn https_url(cx: &Ctx) -> String {
    if cx.ep.handle.url.starts_with("https://") {
        cx.ep.handle.url.clone()
    } else {
        "https://push.example.net/push/imapwebpush-check".to_owned()
    }
}

pub async fn short_p256dh_refused(cx: &mut Ctx) -> Verdict {
    let k = cx.ep.keys.clone();
    let short = &k.p256dh.as_str()[..43];
    refused_argument(cx, &https_url(cx), short, k.auth.as_str()).await
}

pub async fn p256dh_off_curve_refused(cx: &mut Ctx) -> Verdict {
    let k = cx.ep.keys.clone();
    let mut point = *k.p256dh.point();
    // y + 1: still 65 bytes starting 0x04, no longer on the curve.
    point[64] ^= 0x01;
    let off = crate::push::b64::encode(&point);
    refused_argument(cx, &https_url(cx), &off, k.auth.as_str()).await
}

pub async fn bad_auth_refused(cx: &mut Ctx) -> Verdict {
    let k = cx.ep.keys.clone();
    // 10 bytes, not 16.
    let auth = crate::push::b64::encode(&[7u8; 10]);
    refused_argument(cx, &https_url(cx), k.p256dh.as_str(), &auth).await
}

pub async fn delete(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let (id, _) = cx.create(&mut s).await?;
    let o = crate::ops::flow::delete(&mut s, &id).await?;
    if !o.is_ok() {
        return Err(fail("WEBPUSH <id> NIL answered OK", tagged(&o)));
    }
    let l = cx.ext(&mut s, &lwebpush_id(&id)).await?;
    match l.subscription(&id) {
        None => Ok(()),
        Some(i) => Err(fail(
            "LWEBPUSH no longer lists the deleted subscription",
            format!("* {i}"),
        )),
    }
}

pub async fn delete_unknown_ok(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let id = cx.new_id();
    let o = crate::ops::flow::delete(&mut s, &id).await?;
    if o.is_ok() {
        Ok(())
    } else {
        Err(fail("a tagged OK", tagged(&o)))
    }
}

pub async fn token_push_sent(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    cx.create(&mut s).await?;
    cx.token_push().await?;
    Ok(())
}

pub async fn token_push_new_endpoint_only(cx: &mut Ctx) -> Verdict {
    let second = cx.second_endpoint().await?;
    let mut s = cx.open().await?;
    let id = cx.activate(&mut s).await?;
    let endpoint = Ctx::endpoint_of(&second);
    let keys = second.keys.clone();
    let url = second.handle.url.clone();
    cx.extra.push(second);
    let o = cx.webpush(&mut s, &id, endpoint, &keys).await?;
    if !o.is_ok() {
        return Err(Problem::Setup(format!(
            "WEBPUSH to another endpoint was refused: {}",
            tagged(&o)
        )));
    }
    let log = cx.log.clone();
    let ep = cx.extra.last_mut().expect("just pushed");
    match Ctx::next_event_on(ep, &log, PUSH_WAIT).await {
        Some((Event::Push(p), _)) if p.ack_token().is_some() => {}
        Some((Event::Push(_), _)) => {
            return Err(fail(
                format!("a push carrying `* ACKWEBPUSH <token>` at {url}"),
                "a push without ACKWEBPUSH",
            ))
        }
        Some((Event::Rejected { status, reason, .. }, _)) => {
            return Err(fail(
                format!("a push at {url} encrypted for its new keys"),
                format!("refused with {status}: {reason}"),
            ))
        }
        _ => {
            return Err(fail(
                format!("the token push at the new endpoint {url}"),
                format!("no request within {} s", PUSH_WAIT.as_secs()),
            ))
        }
    }
    cx.quiet(QUIET, "at the old endpoint after the update")
        .await
}

async fn first_vapid(cx: &mut Ctx) -> Result<VapidReport, Problem> {
    let mut s = cx.open().await?;
    cx.create(&mut s).await?;
    match cx.first_request(PUSH_WAIT).await {
        Some((Event::Push(p), _)) => Ok(p.vapid.clone()),
        Some((Event::Rejected { vapid: Some(v), .. }, _)) => Ok(v),
        Some((Event::Rejected { reason, .. }, _)) => Err(Problem::Setup(format!(
            "the token push was refused: {reason}"
        ))),
        _ => Err(Problem::Setup("no token push arrived".into())),
    }
}

fn findings(v: &VapidReport, f: impl Fn(&Finding) -> bool) -> Vec<String> {
    v.findings
        .iter()
        .filter(|x| f(x))
        .map(ToString::to_string)
        .collect()
}

pub async fn vapid_key_is_getvapid(cx: &mut Ctx) -> Verdict {
    let want = cx
        .vapid
        .clone()
        .ok_or_else(|| Problem::Setup("GETVAPID gave no key".into()))?;
    let v = first_vapid(cx).await?;
    let bad = findings(&v, |f| {
        matches!(
            f,
            Finding::WrongKey { .. }
                | Finding::BadSignature
                | Finding::Missing
                | Finding::Malformed { .. }
                | Finding::WrongAlgorithm { .. }
        )
    });
    if bad.is_empty() && v.key.as_deref() == Some(want.as_str()) {
        Ok(())
    } else {
        Err(fail(
            format!("an ES256 JWT signed with the GETVAPID key {want}"),
            format!(
                "key {}{}",
                v.key.as_deref().unwrap_or("(none)"),
                if bad.is_empty() {
                    String::new()
                } else {
                    format!(": {}", bad.join("; "))
                }
            ),
        ))
    }
}

pub async fn jwt_aud_is_origin(cx: &mut Ctx) -> Verdict {
    let origin = Ctx::endpoint_of(&cx.ep).origin().to_owned();
    let v = first_vapid(cx).await?;
    if v.aud.as_deref() == Some(origin.as_str()) {
        Ok(())
    } else {
        Err(fail(
            format!("aud = {origin}"),
            format!("aud = {}", v.aud.as_deref().unwrap_or("(none)")),
        ))
    }
}

pub async fn jwt_exp_within_24h(cx: &mut Ctx) -> Verdict {
    let v = first_vapid(cx).await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    match v.exp {
        // A minute of slack for clocks apart.
        Some(exp) if exp > now && exp <= now + 24 * 3600 + 60 => Ok(()),
        Some(exp) => Err(fail(
            "exp in the future, at most 24 h ahead",
            format!(
                "exp {exp}, {:+.1} h from now",
                (exp as f64 - now as f64) / 3600.0
            ),
        )),
        None => Err(fail("an exp claim", "no exp claim")),
    }
}

pub async fn jwt_has_sub(cx: &mut Ctx) -> Verdict {
    let v = first_vapid(cx).await?;
    let bad = findings(&v, |f| {
        matches!(f, Finding::MissingSub | Finding::BadSub { .. })
    });
    if bad.is_empty() && v.sub.is_some() {
        Ok(())
    } else {
        Err(fail(
            "a sub claim with a mailto: or https: contact",
            if bad.is_empty() {
                "no sub claim".to_owned()
            } else {
                bad.join("; ")
            },
        ))
    }
}

// §5.3, §6.4

pub async fn token_is_uuid_v4(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    cx.create(&mut s).await?;
    let (_, token) = cx.token_push().await.map_err(setup("the token push"))?;
    match AckToken::parse(&token) {
        Ok(t) if t.is_uuid_v4() => Ok(()),
        _ => Err(fail("a UUIDv4 token", token)),
    }
}

pub async fn inactive_until_ack(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let (id, _) = cx.create(&mut s).await?;
    cx.token_push().await.map_err(setup("the token push"))?;
    let l = cx.ext(&mut s, &lwebpush_id(&id)).await?;
    match l.subscription(&id) {
        Some(i) if !i.is_active() => Ok(()),
        Some(i) => Err(fail(
            format!("`* WEBPUSH {id} <endpoint> NIL` until ACKWEBPUSH"),
            format!("* {i}"),
        )),
        None => Err(Problem::Setup(
            "LWEBPUSH does not list the new subscription".into(),
        )),
    }
}

pub async fn ack_activates(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let (id, _) = cx.create(&mut s).await?;
    let (_, token) = cx.token_push().await.map_err(setup("the token push"))?;
    let (o, active) = crate::ops::flow::acknowledge(&mut s, &id, &token).await?;
    if !o.is_ok() {
        return Err(fail("ACKWEBPUSH answered OK", tagged(&o)));
    }
    if active {
        Ok(())
    } else {
        Err(fail(
            format!("`* WEBPUSH {id} <endpoint> 0` before the tagged OK"),
            match o.subscription(&id) {
                Some(i) => format!("* {i}"),
                None => "no WEBPUSH response".to_owned(),
            },
        ))
    }
}

pub async fn token_works_once(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let (id, _) = cx.create(&mut s).await?;
    let (_, token) = cx.token_push().await.map_err(setup("the token push"))?;
    let (o, _) = crate::ops::flow::acknowledge(&mut s, &id, &token).await?;
    if !o.is_ok() {
        return Err(Problem::Setup(format!(
            "ACKWEBPUSH was refused: {}",
            tagged(&o)
        )));
    }
    let (again, _) = crate::ops::flow::acknowledge(&mut s, &id, &token).await?;
    match again.status {
        Status::No => Ok(()),
        _ => Err(fail("NO for a token already used", tagged(&again))),
    }
}

pub async fn unknown_token_no(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let token = new_uuid_v4();
    let o = cx
        .ext(
            &mut s,
            &ExtRequest::ackwebpush(&token, false).expect("a UUID"),
        )
        .await?;
    match o.status {
        Status::No => Ok(()),
        _ => Err(fail("a tagged NO for an unknown token", tagged(&o))),
    }
}

pub async fn token_expires(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let (id, _) = cx.create(&mut s).await?;
    let (_, token) = cx.token_push().await.map_err(setup("the token push"))?;
    let _ = s.logout().await;
    // 10 s more than the lifetime, for the two clocks' skew.
    let wait = cx.options.token_lifetime + Duration::from_secs(10);
    cx.note(format!("(waiting {} s)", wait.as_secs()));
    tokio::time::sleep(wait).await;
    let mut s = cx.open().await?;
    let (o, _) = crate::ops::flow::acknowledge(&mut s, &id, &token).await?;
    match o.status {
        Status::No => Ok(()),
        _ => Err(fail(
            format!(
                "NO for a token issued more than its lifetime ({} s) ago",
                cx.options.token_lifetime.as_secs()
            ),
            tagged(&o),
        )),
    }
}

// §5.4

/// Two subscriptions at an endpoint no push can reach (a name under
/// `.invalid`, RFC 6761): the pushes fail without an answer, so whatever
/// the server does with an endpoint's answers (§7.4) leaves them listed.
async fn two_subscriptions(
    cx: &mut Ctx,
) -> Result<(Session, SubscriptionId, SubscriptionId), Problem> {
    let mut s = cx.open().await?;
    let keys = cx.ep.keys.clone();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let id = cx.new_id();
        let url = format!("https://imapwebpush-check.invalid/push/{}", new_uuid_v4());
        let endpoint = crate::webpush::Endpoint::parse(&url).expect("a valid https URL");
        let o = cx.webpush(&mut s, &id, endpoint, &keys).await?;
        if !o.is_ok() {
            return Err(Problem::Setup(format!(
                "WEBPUSH create was refused: {}",
                tagged(&o)
            )));
        }
        ids.push(id);
    }
    let b = ids.pop().expect("two");
    let a = ids.pop().expect("two");
    Ok((s, a, b))
}

pub async fn lwebpush_star(cx: &mut Ctx) -> Verdict {
    let (mut s, a, b) = two_subscriptions(cx).await?;
    let l = cx
        .ext(&mut s, &ExtRequest::lwebpush("*", false).expect("*"))
        .await?;
    if !l.is_ok() {
        return Err(fail("LWEBPUSH * answered OK", tagged(&l)));
    }
    let missing: Vec<String> = [&a, &b]
        .iter()
        .filter(|id| l.subscription(id).is_none())
        .map(|id| id.to_string())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(fail(
            format!("a WEBPUSH response for each of {a} and {b}"),
            format!("none for {}", missing.join(", ")),
        ))
    }
}

pub async fn lwebpush_by_id(cx: &mut Ctx) -> Verdict {
    let (mut s, a, b) = two_subscriptions(cx).await?;
    let l = cx.ext(&mut s, &lwebpush_id(&a)).await?;
    if !l.is_ok() {
        return Err(fail(format!("LWEBPUSH {a} answered OK"), tagged(&l)));
    }
    if l.subscription(&a).is_none() {
        return Err(fail(
            format!("`* WEBPUSH {a} …`"),
            "no WEBPUSH response for it",
        ));
    }
    if l.subscription(&b).is_some() {
        return Err(fail(format!("only {a}"), format!("{b} is listed too")));
    }
    Ok(())
}

// §5.5

async fn silence(
    cx: &Ctx,
    s: &mut Session,
    id: &SubscriptionId,
    d: &str,
) -> Result<ExtOutcome, Problem> {
    cx.ext(
        s,
        &ExtRequest::silwebpush(id.as_str(), d, false).expect("a valid duration"),
    )
    .await
}

pub async fn silwebpush_seconds(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let id = cx.activate(&mut s).await?;
    let o = silence(cx, &mut s, &id, "600").await?;
    if !o.is_ok() {
        return Err(fail("SILWEBPUSH <id> 600 answered OK", tagged(&o)));
    }
    if let Some(i) = o.subscription(&id) {
        if !i.silenced.is_some_and(|n| (1..=600).contains(&n)) {
            return Err(fail(
                "the WEBPUSH response shows 1 to 600 seconds of silence",
                format!("* {i}"),
            ));
        }
    }
    let l = cx.ext(&mut s, &lwebpush_id(&id)).await?;
    match l.subscription(&id) {
        Some(i) if i.silenced.is_some_and(|n| (1..=600).contains(&n)) => Ok(()),
        Some(i) => Err(fail(
            "LWEBPUSH shows 1 to 600 seconds of silence",
            format!("* {i}"),
        )),
        None => Err(fail("LWEBPUSH lists the subscription", "it does not")),
    }
}

pub async fn silwebpush_zero_ends(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let id = cx.activate(&mut s).await?;
    let o = silence(cx, &mut s, &id, "600").await?;
    if !o.is_ok() {
        return Err(Problem::Setup(format!(
            "SILWEBPUSH 600 was refused: {}",
            tagged(&o)
        )));
    }
    let o = silence(cx, &mut s, &id, "0").await?;
    if !o.is_ok() {
        return Err(fail("SILWEBPUSH <id> 0 answered OK", tagged(&o)));
    }
    let l = cx.ext(&mut s, &lwebpush_id(&id)).await?;
    match l.subscription(&id) {
        Some(i) if i.silenced == Some(0) => {}
        Some(i) => {
            return Err(fail(
                format!("`* WEBPUSH {id} <endpoint> 0` after SILWEBPUSH 0"),
                format!("* {i}"),
            ))
        }
        None => return Err(fail("LWEBPUSH lists the subscription", "it does not")),
    }
    cx.append(&mut s, "imapwebpush check: after SILWEBPUSH 0")
        .await?;
    cx.mailbox_push("APPEND, once SILWEBPUSH 0 ended the silence")
        .await?;
    Ok(())
}

pub async fn silwebpush_session(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let id = cx.activate(&mut s).await?;
    let o = silence(cx, &mut s, &id, "session").await?;
    if !o.is_ok() {
        return Err(fail("SILWEBPUSH <id> session answered OK", tagged(&o)));
    }
    let mut other = cx.open().await?;
    cx.append(&mut other, "imapwebpush check: silenced for the session")
        .await?;
    cx.quiet(QUIET, "while the silencing connection is open")
        .await?;
    // Pushes resume once that connection is gone.
    let _ = s.logout().await;
    drop(s);
    cx.append(&mut other, "imapwebpush check: after the session")
        .await?;
    cx.mailbox_push("APPEND, once the silencing connection closed")
        .await?;
    Ok(())
}

pub async fn silwebpush_unknown_no(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let id = cx.new_id();
    let o = silence(cx, &mut s, &id, "10").await?;
    match o.status {
        Status::No => Ok(()),
        _ => Err(fail("a tagged NO for an unknown subscription", tagged(&o))),
    }
}

pub async fn no_push_while_silenced(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    let id = cx.activate(&mut s).await?;
    let o = silence(cx, &mut s, &id, "600").await?;
    if !o.is_ok() {
        return Err(Problem::Setup(format!(
            "SILWEBPUSH was refused: {}",
            tagged(&o)
        )));
    }
    cx.append(&mut s, "imapwebpush check: while silenced")
        .await?;
    cx.quiet(QUIET, "while the subscription is silenced").await
}

// §7.1, §7.2

fn is_new_mail(r: &PushResponse) -> bool {
    match r {
        PushResponse::UidFetch { .. } => true,
        PushResponse::Sync { word } => word
            .as_deref()
            .is_none_or(|w| w.eq_ignore_ascii_case("EXISTS")),
        _ => false,
    }
}

pub async fn new_mail_uidfetch(cx: &mut Ctx) -> Verdict {
    let p = cx.new_mail_push().await?;
    if p.responses.iter().any(is_new_mail) {
        Ok(())
    } else {
        Err(fail(
            "`* <uid> UIDFETCH (…)` (or `* SYNC EXISTS` / `* SYNC`)",
            escape_line(&p.plaintext).into_owned(),
        ))
    }
}

pub async fn new_mail_one_push(cx: &mut Ctx) -> Verdict {
    cx.new_mail_push().await?;
    match cx.next_event(QUIET).await {
        Some((Event::Push(p), _)) if p.responses.iter().any(is_new_mail) => Err(fail(
            "one push for one new message",
            "a second push about it",
        )),
        _ => Ok(()),
    }
}

pub async fn select_first(cx: &mut Ctx) -> Verdict {
    let p = cx.new_mail_push().await?;
    let c = analyze(p.plaintext.as_bytes(), None);
    match c
        .warnings
        .iter()
        .find(|w| matches!(w, Warning::NoSelectBefore { .. }))
    {
        None if matches!(p.responses.first(), Some(PushResponse::Select { .. })) => Ok(()),
        None => Err(fail(
            "`* SELECT <mailbox>` first",
            escape_line(&p.plaintext).into_owned(),
        )),
        Some(w) => Err(fail(
            "`* SELECT <mailbox>` before the UIDFETCH",
            w.to_string(),
        )),
    }
}

pub async fn plaintext_limit(cx: &mut Ctx) -> Verdict {
    // A message too large to push whole: a push the endpoint refuses as
    // too large (413) fails this check.
    let mut s = cx.open().await?;
    cx.activate(&mut s).await?;
    cx.append_sized(&mut s, "imapwebpush check: a large message", 6000)
        .await?;
    let p = cx.mailbox_push("APPEND").await?;
    let n = p.plaintext.len();
    if n <= 3993 {
        Ok(())
    } else {
        Err(fail(
            "at most 3993 bytes of plaintext",
            format!("{n} bytes"),
        ))
    }
}

pub async fn uidfetch_envelope(cx: &mut Ctx) -> Verdict {
    let p = cx.new_mail_push().await?;
    let ok = p.responses.iter().any(|r| match r {
        PushResponse::UidFetch { items, .. } => items.contains_key("ENVELOPE"),
        PushResponse::Sync { .. } => true,
        _ => false,
    });
    if ok {
        Ok(())
    } else {
        Err(fail(
            "a UIDFETCH with ENVELOPE (or a SYNC)",
            escape_line(&p.plaintext).into_owned(),
        ))
    }
}

pub async fn urgency_high(cx: &mut Ctx) -> Verdict {
    let p = cx.new_mail_push().await?;
    let has_fetch = p
        .responses
        .iter()
        .any(|r| matches!(r, PushResponse::UidFetch { .. }));
    if !has_fetch {
        return Err(Problem::Skip(
            "the new-mail push has no UIDFETCH (SYNC only)".into(),
        ));
    }
    match p.headers.urgency.as_deref() {
        Some(u) if u.eq_ignore_ascii_case("high") => Ok(()),
        other => Err(fail(
            "Urgency: high",
            format!("Urgency: {}", other.unwrap_or("(none)")),
        )),
    }
}

pub async fn ttl_week(cx: &mut Ctx) -> Verdict {
    let p = cx.new_mail_push().await?;
    match p.headers.ttl {
        Some(RECOMMENDED_TTL) => Ok(()),
        other => Err(fail(
            format!("TTL: {RECOMMENDED_TTL}"),
            format!(
                "TTL: {}",
                other.map_or("(none)".to_owned(), |t| t.to_string())
            ),
        )),
    }
}

pub async fn no_topic(cx: &mut Ctx) -> Verdict {
    let p = cx.new_mail_push().await?;
    let generic_sync = p.responses.iter().all(|r| {
        matches!(
            r,
            PushResponse::Sync { word: None } | PushResponse::Select { .. }
        )
    });
    match &p.headers.topic {
        Some(t) if !generic_sync => Err(fail("no Topic header", format!("Topic: {t}"))),
        _ => Ok(()),
    }
}

pub async fn expunge_vanished(cx: &mut Ctx) -> Verdict {
    let mut s = cx.open().await?;
    cx.activate(&mut s).await?;
    cx.append(&mut s, "imapwebpush check: to expunge").await?;
    cx.mailbox_push("APPEND")
        .await
        .map_err(setup("the new-mail push"))?;
    let uid = *super::ctx::lock(&cx.ledger.uids)
        .last()
        .ok_or_else(|| Problem::Skip("APPEND gave no APPENDUID (UIDPLUS)".into()))?;
    let mailbox = cx.mailbox.clone();
    let r = s
        .run_args(&[
            crate::imap::Arg::Raw("SELECT"),
            crate::imap::Arg::AString(&mailbox),
        ])
        .await?;
    if !r.is_ok() {
        return Err(Problem::Setup(format!("SELECT was refused: {}", r.tagged)));
    }
    let r = s
        .run(&format!("UID STORE {uid} +FLAGS.SILENT (\\Deleted)"))
        .await?;
    if !r.is_ok() {
        return Err(Problem::Setup(format!("STORE was refused: {}", r.tagged)));
    }
    let r = if s.has_capability("UIDPLUS") {
        s.run(&format!("UID EXPUNGE {uid}")).await?
    } else {
        s.run("EXPUNGE").await?
    };
    if !r.is_ok() {
        return Err(Problem::Setup(format!("EXPUNGE was refused: {}", r.tagged)));
    }
    super::ctx::lock(&cx.ledger.uids).retain(|u| *u != uid);
    let _ = s.run("CLOSE").await;
    let deadline = Instant::now() + PUSH_WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let p = cx.mailbox_push("EXPUNGE").await?;
        let ok = p.responses.iter().any(|r| match r {
            PushResponse::Vanished { .. } => true,
            PushResponse::Sync { word } => word.as_deref().is_none_or(|w| {
                w.eq_ignore_ascii_case("EXPUNGE") || w.eq_ignore_ascii_case("VANISHED")
            }),
            _ => false,
        });
        if ok {
            return Ok(());
        }
        // A flag change pushed before the expunge is harmless: read on.
        let only_flags = p
            .responses
            .iter()
            .all(|r| matches!(r, PushResponse::Fetch { .. } | PushResponse::Select { .. }));
        if !only_flags || left.is_zero() {
            return Err(fail(
                "`* VANISHED <uid>` (or `* SYNC EXPUNGE` / `* SYNC`)",
                escape_line(&p.plaintext).into_owned(),
            ));
        }
    }
}

pub async fn enabled_condstore_modseq(cx: &mut Ctx) -> Verdict {
    if !(cx.has_capability("CONDSTORE") && cx.has_capability("ENABLE")) {
        return Err(Problem::Skip(
            "the server does not offer CONDSTORE and ENABLE".into(),
        ));
    }
    let mut s = cx.open().await?;
    let r = s.run("ENABLE CONDSTORE").await?;
    if !r.is_ok() {
        return Err(Problem::Setup(format!("ENABLE was refused: {}", r.tagged)));
    }
    cx.activate(&mut s).await?;
    cx.append(&mut s, "imapwebpush check: with CONDSTORE")
        .await?;
    let p = cx
        .mailbox_push("APPEND")
        .await
        .map_err(setup("the new-mail push"))?;
    let fetch = p.responses.iter().find_map(|r| match r {
        PushResponse::UidFetch { items, .. } => Some(items),
        _ => None,
    });
    match fetch {
        None => Err(Problem::Skip(
            "the new-mail push has no UIDFETCH (SYNC only)".into(),
        )),
        Some(items) if items.contains_key("MODSEQ") => Ok(()),
        Some(_) => Err(fail(
            "MODSEQ in the UIDFETCH (CONDSTORE was enabled before WEBPUSH)",
            escape_line(&p.plaintext).into_owned(),
        )),
    }
}

// §7.4

async fn removed_after(cx: &mut Ctx, status: u16) -> Verdict {
    cx.ep.handle.set_answer(Some(Answer {
        status,
        retry_after: None,
    }));
    let mut s = cx.open().await?;
    let (id, _) = cx.create(&mut s).await?;
    match cx.first_request(PUSH_WAIT).await {
        Some((Event::Push(_), _)) => {}
        Some((Event::Rejected { reason, .. }, _)) => {
            return Err(Problem::Setup(format!(
                "the token push was refused: {reason}"
            )))
        }
        _ => return Err(Problem::Setup("no token push arrived".into())),
    }
    cx.ep.handle.set_answer(None);
    // The server acts on the answer when it gets it: poll a little.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut pause = Duration::from_millis(100);
    loop {
        let l = cx.ext(&mut s, &lwebpush_id(&id)).await?;
        match l.subscription(&id) {
            None => return Ok(()),
            Some(i) if Instant::now() >= deadline => {
                return Err(fail(
                    format!("the subscription removed after the endpoint answered {status}"),
                    format!("still listed 5 s later: * {i}"),
                ))
            }
            Some(_) => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(1));
            }
        }
    }
}

pub async fn removed_after_410(cx: &mut Ctx) -> Verdict {
    removed_after(cx, 410).await
}

pub async fn removed_after_404(cx: &mut Ctx) -> Verdict {
    removed_after(cx, 404).await
}

/// Answers the token push with `answer`, then 201, and returns the gap
/// to the next request, if one came within `watch`.
async fn retry_gap(
    cx: &mut Ctx,
    answer: Answer,
    keep_answering: bool,
    watch: Duration,
) -> Result<Option<Duration>, Problem> {
    cx.ep.handle.set_answer(Some(answer));
    let mut s = cx.open().await?;
    cx.create(&mut s).await?;
    let first = match cx.first_request(PUSH_WAIT).await {
        Some((Event::Push(_), at)) => at,
        Some((Event::Rejected { reason, .. }, _)) => {
            return Err(Problem::Setup(format!(
                "the token push was refused: {reason}"
            )))
        }
        _ => return Err(Problem::Setup("no token push arrived".into())),
    };
    if !keep_answering {
        cx.ep.handle.set_answer(None);
    }
    cx.note(format!(
        "(watching for a retry for {} s)",
        watch.as_secs_f64()
    ));
    Ok(cx
        .next_event(watch)
        .await
        .map(|(_, at)| at.duration_since(first)))
}

/// Jitter in reading the two requests' events.
const TOLERANCE: Duration = Duration::from_millis(50);

pub async fn retry_after_honoured(cx: &mut Ctx) -> Verdict {
    let n = 2;
    let gap = retry_gap(
        cx,
        Answer {
            status: 429,
            retry_after: Some(n),
        },
        false,
        Duration::from_secs(n) + PUSH_WAIT,
    )
    .await?;
    match gap {
        Some(g) if g + TOLERANCE < Duration::from_secs(n) => Err(fail(
            format!("no request before Retry-After: {n} s had passed"),
            format!("the next request came {:.2} s later", g.as_secs_f64()),
        )),
        _ => Ok(()),
    }
}

async fn no_retry_within(cx: &mut Ctx, answer: Answer, window: Duration) -> Verdict {
    let gap = retry_gap(cx, answer, true, window).await?;
    match gap {
        Some(g) => Err(fail(
            format!(
                "no request within {} s after {}",
                window.as_secs(),
                answer.status
            ),
            format!("the next request came {:.2} s later", g.as_secs_f64()),
        )),
        None => Ok(()),
    }
}

pub async fn wait_after_429(cx: &mut Ctx) -> Verdict {
    let w = cx.options.retry_window;
    no_retry_within(
        cx,
        Answer {
            status: 429,
            retry_after: None,
        },
        w,
    )
    .await
}

pub async fn wait_after_5xx(cx: &mut Ctx) -> Verdict {
    let w = cx.options.retry_window;
    no_retry_within(
        cx,
        Answer {
            status: 500,
            retry_after: None,
        },
        w,
    )
    .await
}

/// Five minutes, less a second for the two clocks.
const FIVE_MINUTES: Duration = Duration::from_secs(5 * 60 - 1);

pub async fn five_minutes_after_429(cx: &mut Ctx) -> Verdict {
    no_retry_within(
        cx,
        Answer {
            status: 429,
            retry_after: None,
        },
        FIVE_MINUTES,
    )
    .await
}

pub async fn five_minutes_after_5xx(cx: &mut Ctx) -> Verdict {
    no_retry_within(
        cx,
        Answer {
            status: 503,
            retry_after: None,
        },
        FIVE_MINUTES,
    )
    .await
}
