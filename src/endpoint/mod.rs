//! The push endpoint (RFC 8030 §5 push resource, as a user agent's push
//! service would run it): `POST /push/<128 random bits>`, and 404 for
//! everything else. Each request is checked in order — body size (413),
//! `Content-Encoding` (415), VAPID (401 missing or invalid, 403 another
//! key), decryption (400) — and becomes exactly one [`Event`]: `push` or
//! `rejected` with the reason. Requests that never reach the router (a
//! malformed head, too many headers, an HTTP/2 preface, a head or body not
//! sent in time) are `rejected` events too. Nothing is dropped: the handler
//! waits for room in the event queue rather than discard, an event is
//! queued even if its connection ends while it waits, and a `stalled` event
//! says how many requests waited for a reader that did not keep up.
//!
//! The router is axum; connections are accepted here (plain, or TLS with a
//! given or generated certificate), at most `max_connections` at a time.
//! One request (head and body) must arrive within `request_timeout`; when
//! every slot is taken, the connection idle or stuck in its request for the
//! longest time (past [`EVICT_AFTER`]) is closed to make room, so that slow
//! senders cannot keep well-behaved ones out.

mod conn;
pub mod event;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore, TryAcquireError};
use tokio::task::JoinHandle;
use tower::ServiceExt;

pub use event::{Event, PublicKeys, PushEvent};

use crate::push::ece;
use crate::push::inspect::{inspect, PushInput, Refusal, VapidPolicy};
use crate::push::keys::Keys;
use crate::push::vapid::{self, Expectations, VapidReport};
use crate::tls::Identity;
use crate::webpush::VapidKey;
use conn::{Conn, Registry, Tracked};

/// RFC 8291 §4: 4096 bytes of ciphertext, plus the RFC 8188 header
/// (salt 16, rs 4, idlen 1, keyid 65).
pub const MAX_BODY: usize = 4096 + 86;
/// Verified JWTs remembered (a server reuses one JWT for many pushes).
const JWT_CACHE: usize = 4096;
/// The longest a verified JWT is reused without verifying it again,
/// whatever its `exp` (RFC 8292 §2: at most 24 hours ahead).
const JWT_REUSE: u64 = 24 * 3600;
/// When every connection slot is taken, a connection idle or sending its
/// request for this long may be closed to make room for a new one.
pub const EVICT_AFTER: Duration = Duration::from_secs(1);
/// Requests whose events wait for room at once; past this, the requests
/// are answered and counted in the next `stalled` event instead.
const MAX_WAITING: u64 = 1024;

/// How the endpoint answers pushes (`--reply STATUS[:RETRY_AFTER]`), to
/// test a server's §7.4 behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<u64>,
}

impl std::str::FromStr for Answer {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (status, retry) = match s.split_once(':') {
            Some((a, b)) => (a, Some(b)),
            None => (s, None),
        };
        let status: u16 = status
            .parse()
            .ok()
            .filter(|s| (200..600).contains(s))
            .ok_or_else(|| {
                format!("{s:?}: expected an HTTP status (200-599), e.g. 410 or 429:120")
            })?;
        let retry_after = retry
            .map(|r| {
                r.parse::<u64>()
                    .map_err(|_| format!("{r:?}: Retry-After must be a number of seconds"))
            })
            .transpose()?;
        Ok(Self {
            status,
            retry_after,
        })
    }
}

/// The endpoint's TLS.
#[derive(Debug)]
pub enum EndpointTls {
    /// Plain http (loopback testing; the draft requires https).
    None,
    /// https with this certificate.
    Identity(Identity),
}

#[derive(Debug)]
pub struct EndpointConfig {
    pub listen: SocketAddr,
    /// The URL base given out instead of the listen address (a tunnel).
    pub public_url: Option<String>,
    pub tls: EndpointTls,
    pub keys: Arc<Keys>,
    /// Pushes must be signed with this key (GETVAPID's, or `--vapid`).
    pub expected_vapid: Option<VapidKey>,
    /// The status pushes get instead of 201.
    pub answer: Option<Answer>,
    pub max_connections: usize,
    /// Bounds one request, head and body; a connection lives at most six
    /// times this, keep-alive included.
    pub request_timeout: Duration,
    /// Events waiting to be read before requests wait for room.
    pub queue: usize,
}

impl EndpointConfig {
    pub fn new(keys: Arc<Keys>) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_url: None,
            tls: EndpointTls::None,
            keys,
            expected_vapid: None,
            answer: None,
            max_connections: 256,
            request_timeout: Duration::from_secs(10),
            queue: 1024,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    #[error("cannot listen on {0}: {1}")]
    Listen(SocketAddr, #[source] std::io::Error),
    #[error("--public-url {0:?} is not an http(s) URL")]
    PublicUrl(String),
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),
}

/// A running endpoint. Dropping it stops it.
pub struct EndpointHandle {
    /// The push resource URL to give a server.
    pub url: String,
    pub local_addr: SocketAddr,
    /// Requests, as they are handled.
    pub events: mpsc::Receiver<Event>,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl EndpointHandle {
    /// Pins the key pushes must be signed with (learnt from GETVAPID after
    /// the endpoint started).
    pub fn expect_vapid(&self, key: VapidKey) {
        if let Ok(mut e) = self.shared.expected.lock() {
            *e = Some(key);
        }
        if let Ok(mut c) = self.shared.verified.lock() {
            c.clear();
        }
    }
}

impl EndpointHandle {
    /// Changes how pushes are answered from now on (`None`: 201).
    pub fn set_answer(&self, answer: Option<Answer>) {
        *self.shared.answer.lock().unwrap_or_else(|e| e.into_inner()) = answer;
    }
}

impl std::fmt::Debug for EndpointHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EndpointHandle")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl Drop for EndpointHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Shared {
    path: String,
    audience: String,
    keys: Arc<Keys>,
    expected: Mutex<Option<VapidKey>>,
    answer: Mutex<Option<Answer>>,
    events: mpsc::Sender<Event>,
    /// JWT (Authorization value) → its report and when it was verified
    /// (Unix seconds), for JWTs already verified.
    verified: Mutex<HashMap<String, (VapidReport, u64)>>,
    /// Requests waiting for room in the event queue.
    pressure: Mutex<Pressure>,
    request_timeout: Duration,
}

/// A stretch of time when requests waited for the event reader.
#[derive(Debug, Default)]
struct Pressure {
    waiting: u64,
    waited: u64,
    unreported: u64,
    since: Option<SystemTime>,
}

/// 16 random bytes, base64url: the unguessable part of the path.
fn random_token() -> String {
    use aws_lc_rs::rand::{SecureRandom, SystemRandom};
    let mut b = [0u8; 16];
    // SystemRandom only fails when the OS has no randomness at all.
    let _ = SystemRandom::new().fill(&mut b);
    crate::push::b64::encode(&b)
}

/// Binds and starts the endpoint.
pub async fn start(config: EndpointConfig) -> Result<EndpointHandle, EndpointError> {
    let listener =
        crate::net::listen(config.listen).map_err(|e| EndpointError::Listen(config.listen, e))?;
    let local_addr = listener
        .local_addr()
        .map_err(|e| EndpointError::Listen(config.listen, e))?;
    let tls = match &config.tls {
        EndpointTls::None => None,
        EndpointTls::Identity(i) => Some(tokio_rustls::TlsAcceptor::from(
            i.server_config(&[b"http/1.1"])?,
        )),
    };
    let base = match &config.public_url {
        Some(u) => {
            let u = u.trim_end_matches('/');
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                return Err(EndpointError::PublicUrl(u.to_owned()));
            }
            u.to_owned()
        }
        None => {
            let scheme = if tls.is_some() { "https" } else { "http" };
            format!("{scheme}://{local_addr}")
        }
    };
    let path = format!("/push/{}", random_token());
    let url = format!("{base}{path}");
    let audience = crate::webpush::Endpoint::parse_allowing_http(&url)
        .map(|e| e.origin().to_owned())
        .unwrap_or_else(|_| base.clone());
    let (tx, rx) = mpsc::channel(config.queue.max(1));
    let shared = Arc::new(Shared {
        path,
        audience,
        keys: config.keys,
        expected: Mutex::new(config.expected_vapid),
        answer: Mutex::new(config.answer),
        events: tx,
        verified: Mutex::new(HashMap::new()),
        pressure: Mutex::new(Pressure::default()),
        request_timeout: config.request_timeout,
    });
    let router = Router::new().fallback(handle).with_state(shared.clone());
    let task = tokio::spawn(accept(
        listener,
        router,
        tls,
        shared.clone(),
        config.max_connections.max(1),
    ));
    Ok(EndpointHandle {
        url,
        local_addr,
        events: rx,
        shared,
        task,
    })
}

async fn accept(
    listener: TcpListener,
    router: Router,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shared: Arc<Shared>,
    max: usize,
) {
    let slots = Arc::new(Semaphore::new(max));
    let registry = Registry::new();
    loop {
        let Ok((tcp, peer)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        // At the cap, this connection waits (and the kernel queues the
        // rest) until a slot is free or one can be made.
        let Some(permit) = room(&slots, &registry).await else {
            return;
        };
        let _ = tcp.set_nodelay(true);
        let registered = registry.register(peer);
        tokio::spawn(connection(
            tcp,
            registered,
            permit,
            router.clone(),
            tls.clone(),
            shared.clone(),
        ));
    }
}

/// A slot for a new connection: a free one, else the slot of the
/// connection idle or stuck in its request longest, once that is past
/// [`EVICT_AFTER`]. `None` if the endpoint is stopping.
async fn room(slots: &Arc<Semaphore>, registry: &Registry) -> Option<OwnedSemaphorePermit> {
    loop {
        match slots.clone().try_acquire_owned() {
            Ok(p) => return Some(p),
            Err(TryAcquireError::Closed) => return None,
            Err(TryAcquireError::NoPermits) => {}
        }
        let ripe = match registry.stuck_longest() {
            Some(c) if c.since() + EVICT_AFTER <= Instant::now() => {
                if registry.evict(&c) {
                    // Its task ends at once and frees the slot.
                    return slots.clone().acquire_owned().await.ok();
                }
                continue;
            }
            Some(c) => Some(c.since() + EVICT_AFTER),
            // Every connection's handler has its request: wait for one.
            None => None,
        };
        let until = ripe.unwrap_or_else(|| Instant::now() + EVICT_AFTER);
        tokio::select! {
            p = slots.clone().acquire_owned() => return p.ok(),
            () = tokio::time::sleep_until(until.into()) => {}
        }
    }
}

/// Why a connection ended other than cleanly.
enum Failure {
    Http(hyper::Error),
    Tls(std::io::Error),
    /// Open for the whole connection lifetime.
    Lifetime,
    /// Closed to make room.
    Evicted,
}

async fn connection(
    tcp: tokio::net::TcpStream,
    registered: conn::Registered,
    permit: OwnedSemaphorePermit,
    router: Router,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shared: Arc<Shared>,
) {
    let _permit = permit;
    let conn = registered.conn.clone();
    let timeout = shared.request_timeout;
    let io = Tracked::new(tcp, conn.clone());
    let for_requests = conn.clone();
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        let mut req = req.map(Body::new);
        req.extensions_mut().insert(for_requests.clone());
        router.clone().oneshot(req)
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(timeout)
        .max_buf_size(64 << 10);
    let serve = async {
        match tls {
            Some(acceptor) => match acceptor.accept(io).await {
                Ok(mut stream) => {
                    stream.get_mut().0.stop_tracking();
                    conn.handshake_done();
                    let stream = Tracked::new(stream, conn.clone());
                    http.serve_connection(TokioIo::new(stream), service)
                        .await
                        .map_err(Failure::Http)
                }
                Err(e) => Err(Failure::Tls(e)),
            },
            None => http
                .serve_connection(TokioIo::new(io), service)
                .await
                .map_err(Failure::Http),
        }
    };
    let ended = tokio::select! {
        // A connection lives a bounded time, keep-alive included.
        r = tokio::time::timeout(timeout * 6, serve) => match r {
            Ok(r) => r.err(),
            Err(_) => Some(Failure::Lifetime),
        },
        () = conn.evict.notified() => Some(Failure::Evicted),
    };
    // The request under way, if no handler reports it, is reported here.
    if conn.unreported() {
        let (status, reason) = failure(&conn, ended, timeout);
        let event = Event::Rejected {
            received_at: event::rfc3339(SystemTime::now()),
            status,
            reason,
            vapid: None,
        };
        deliver(&shared, event).await;
    }
    drop(registered);
}

/// The status and reason of a request that ended with its connection.
fn failure(conn: &Conn, ended: Option<Failure>, timeout: Duration) -> (u16, String) {
    let peer = conn.peer;
    let secs = timeout.as_secs_f32();
    match ended {
        None => (
            400,
            format!("connection from {peer} closed before the request was complete"),
        ),
        Some(Failure::Evicted) => (
            408,
            format!(
                "request from {peer} incomplete after {:.1} s while every connection slot was taken: closed to make room",
                conn.since().elapsed().as_secs_f32()
            ),
        ),
        Some(Failure::Lifetime) => (
            408,
            format!("connection from {peer} open longer than {:.0} s", secs * 6.0),
        ),
        Some(Failure::Tls(e)) => (400, format!("TLS handshake with {peer} failed: {e}")),
        Some(Failure::Http(e)) => {
            if e.is_parse_version_h2() {
                (
                    505,
                    format!("HTTP/2 preface from {peer}: this endpoint speaks HTTP/1.1 only; connection closed"),
                )
            } else if e.is_parse_too_large() {
                (
                    431,
                    format!("request head from {peer} too large (over 100 header fields or 64 KiB): {e}"),
                )
            } else if e.is_parse() {
                let status = if e.to_string().contains("URI too long") {
                    414
                } else {
                    400
                };
                (status, format!("malformed request from {peer}: {e}"))
            } else if e.is_timeout() {
                (
                    408,
                    format!("request head from {peer} not received within {secs:.0} s"),
                )
            } else if e.is_incomplete_message() {
                (
                    400,
                    format!("connection from {peer} closed before the request was complete"),
                )
            } else {
                (400, format!("connection from {peer} failed mid-request: {e}"))
            }
        }
    }
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let received_at = event::rfc3339(SystemTime::now());
    let conn = req.extensions().get::<Arc<Conn>>().cloned();
    let started = match &conn {
        Some(c) => {
            c.body();
            c.since()
        }
        None => Instant::now(),
    };
    let admitted = admit(&shared, req, started + shared.request_timeout).await;
    // The request is read: from here this handler reports it, unless the
    // connection was closed to make room first (which reports it).
    if conn.as_ref().is_some_and(|c| !c.handling()) {
        return StatusCode::REQUEST_TIMEOUT.into_response();
    }
    let (status, event, retry_after) = match admitted {
        Ok(mut push) => {
            let answer = *shared.answer.lock().unwrap_or_else(|e| e.into_inner());
            let (status, retry) = match answer {
                Some(r) => (
                    StatusCode::from_u16(r.status).unwrap_or(StatusCode::CREATED),
                    r.retry_after,
                ),
                None => (StatusCode::CREATED, None),
            };
            push.received_at = received_at;
            push.status = status.as_u16();
            (status, Event::Push(Box::new(push)), retry)
        }
        Err((status, reason, vapid)) => (
            status,
            Event::Rejected {
                received_at,
                status: status.as_u16(),
                reason,
                vapid,
            },
            None,
        ),
    };
    deliver(&shared, event).await;
    if let Some(c) = &conn {
        c.done();
    }
    let mut response = status.into_response();
    let headers = response.headers_mut();
    if status == StatusCode::REQUEST_TIMEOUT {
        headers.insert("connection", axum::http::HeaderValue::from_static("close"));
    }
    if status == StatusCode::CREATED {
        // RFC 8030 §5: the push message resource.
        if let Ok(v) = format!("/message/{}", random_token()).parse() {
            headers.insert("location", v);
        }
    }
    if let Some(r) = retry_after {
        headers.insert("retry-after", r.into());
    }
    response
}

/// Queues an event, waiting for room rather than dropping it: every
/// request is reported. The wait runs on a task of its own, so that the
/// event is queued even if the request's connection ends meanwhile; past
/// [`MAX_WAITING`] waiting requests, further ones are only counted. When
/// the last waiting event is queued, a `stalled` event says how many
/// waited. If the reader is gone the endpoint is shutting down.
async fn deliver(shared: &Arc<Shared>, event: Event) {
    let event = match shared.events.try_send(event) {
        Err(mpsc::error::TrySendError::Full(event)) => event,
        _ => return,
    };
    {
        let mut p = shared.pressure.lock().unwrap_or_else(|e| e.into_inner());
        if p.waiting >= MAX_WAITING {
            p.unreported += 1;
            return;
        }
        p.waiting += 1;
        p.waited += 1;
        p.since.get_or_insert_with(SystemTime::now);
    }
    let shared = shared.clone();
    let task = tokio::spawn(async move {
        let _ = shared.events.send(event).await;
        let notice = {
            let mut p = shared.pressure.lock().unwrap_or_else(|e| e.into_inner());
            p.waiting -= 1;
            (p.waiting == 0).then(|| {
                let p = std::mem::take(&mut *p);
                Event::Stalled {
                    since: event::rfc3339(p.since.unwrap_or_else(SystemTime::now)),
                    until: event::rfc3339(SystemTime::now()),
                    waited: p.waited,
                    unreported: p.unreported,
                }
            })
        };
        if let Some(n) = notice {
            let _ = shared.events.send(n).await;
        }
    });
    let _ = task.await;
}

type Rejection = (StatusCode, String, Option<VapidReport>);

/// Checks one request whose head and body must have come by `deadline`.
async fn admit(shared: &Shared, req: Request, deadline: Instant) -> Result<PushEvent, Rejection> {
    let refuse = |s: StatusCode, r: &str| (s, r.to_owned(), None);
    let (parts, body) = req.into_parts();
    let path_ok = aws_lc_rs::constant_time::verify_slices_are_equal(
        parts.uri.path().as_bytes(),
        shared.path.as_bytes(),
    )
    .is_ok();
    if !path_ok {
        return Err(refuse(
            StatusCode::NOT_FOUND,
            &format!("no push resource at {} {}", parts.method, parts.uri.path()),
        ));
    }
    if parts.method != axum::http::Method::POST {
        return Err(refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            &format!("{} is not POST", parts.method),
        ));
    }
    let h = &parts.headers;
    let declared = header(h, "content-length").and_then(|v| v.trim().parse::<u64>().ok());
    let too_big = || {
        refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("body over {MAX_BODY} bytes (RFC 8291 §4: at most 4096 bytes of ciphertext)"),
        )
    };
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_big());
    }
    let encoding = header(h, "content-encoding").unwrap_or("").to_owned();
    let read = http_body_util::Limited::new(body, MAX_BODY).collect();
    let body = tokio::time::timeout_at(deadline.into(), read)
        .await
        .map_err(|_| {
            refuse(
                StatusCode::REQUEST_TIMEOUT,
                &format!(
                    "body not received within {:.0} s of the request's start",
                    shared.request_timeout.as_secs_f32()
                ),
            )
        })?
        .map_err(|e| {
            if e.is::<http_body_util::LengthLimitError>() {
                too_big()
            } else {
                refuse(
                    StatusCode::BAD_REQUEST,
                    &format!("cannot read the body: {e}"),
                )
            }
        })?
        .to_bytes();
    let input = PushInput {
        body: &body,
        has_headers: true,
        content_encoding: Some(encoding.as_str()),
        encryption: header(h, "encryption"),
        crypto_key: header(h, "crypto-key"),
        authorization: header(h, "authorization"),
        ttl: header(h, "ttl"),
        urgency: header(h, "urgency"),
        topic: header(h, "topic"),
    };
    // Only an acceptable encoding earns a VAPID check, and only a valid
    // VAPID claim earns the ECDH of a decryption.
    if ece::Encoding::parse(&encoding).is_none() {
        return Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &Refusal::Encoding(encoding.trim().to_owned()).to_string(),
        ));
    }
    let report = verify_vapid(shared, h);
    match inspect(&shared.keys, &input, VapidPolicy::Require(&report)) {
        Ok(report) => Ok(PushEvent::new(report, String::new(), 0)),
        Err(r @ Refusal::Encoding(_)) => {
            Err((StatusCode::UNSUPPORTED_MEDIA_TYPE, r.to_string(), None))
        }
        Err(Refusal::Vapid(report)) => {
            let wrong_key = report
                .findings
                .iter()
                .any(|f| matches!(f, vapid::Finding::WrongKey { .. }));
            let status = if wrong_key {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::UNAUTHORIZED
            };
            let reason = Refusal::Vapid(report.clone()).to_string();
            Err((status, reason, Some(*report)))
        }
        Err(r @ Refusal::Decrypt(_)) => Err((StatusCode::BAD_REQUEST, r.to_string(), None)),
    }
}

/// Verifies the request's VAPID credentials, or takes the report of an
/// identical JWT verified before (re-verified once it has expired).
fn verify_vapid(shared: &Shared, h: &HeaderMap) -> VapidReport {
    let Some(creds) =
        vapid::parse_authorization(header(h, "authorization"), header(h, "crypto-key"))
    else {
        return VapidReport::missing();
    };
    let now = now_secs();
    let cache_key = format!("{}|{}", creds.jwt, creds.key.as_deref().unwrap_or(""));
    if let Ok(cache) = shared.verified.lock() {
        if let Some((r, at)) = cache.get(&cache_key) {
            if reusable(r, *at, now) {
                return r.clone();
            }
        }
    }
    let expected = shared.expected.lock().ok().and_then(|e| e.clone());
    let report = vapid::verify(
        &creds,
        &Expectations {
            audience: Some(&shared.audience),
            key: expected.as_ref(),
            now,
        },
    );
    if let Ok(mut cache) = shared.verified.lock() {
        if cache.len() >= JWT_CACHE {
            cache.clear();
        }
        cache.insert(cache_key, (report.clone(), now));
    }
    report
}

/// Whether a report made at `verified_at` still holds at `now`: until the
/// JWT's `exp`, and never past [`JWT_REUSE`] (an `exp` of 2^64 − 1 would
/// otherwise keep it forever; its report keeps the finding).
fn reusable(report: &VapidReport, verified_at: u64, now: u64) -> bool {
    report.exp.is_some_and(|e| e > now) && now < verified_at.saturating_add(JWT_REUSE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verified_jwt_is_reused_until_exp_and_at_most_24_hours() {
        let mut r = VapidReport::missing();
        let now = 1_700_000_000;
        r.exp = Some(now + 3600);
        assert!(reusable(&r, now, now + 3599));
        assert!(!reusable(&r, now, now + 3600), "expired");
        r.exp = Some(u64::MAX);
        assert!(reusable(&r, now, now + JWT_REUSE - 1));
        assert!(
            !reusable(&r, now, now + JWT_REUSE),
            "an exp of 2^64 - 1 is verified again after 24 h"
        );
        r.exp = None;
        assert!(!reusable(&r, now, now));
    }
}
