//! Delivering one push message to a push resource (RFC 8030 §5): an
//! HTTP/1.1 POST over rustls (webpki roots plus any extra CA), with the
//! RFC 8291 body, the RFC 8292 `Authorization` header and the §7.2 headers.
//! Used by the reference server's sender and by tests that play a server.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use rustls::ClientConfig;
use rustls_pki_types::ServerName;
use tokio::net::TcpStream;

/// Most of a push service's answer body that is read (it is only logged).
const MAX_REPLY_BODY: usize = 16 << 10;

/// One push request.
#[derive(Debug, Clone)]
pub struct PushRequest {
    /// The push resource URI (`https://…`, or `http://…` when allowed).
    pub endpoint: String,
    pub body: Vec<u8>,
    /// `aes128gcm` (RFC 8291) or `aesgcm` (legacy).
    pub content_encoding: String,
    /// `vapid t=…, k=…`, or `None` to send none.
    pub authorization: Option<String>,
    pub ttl: Option<u64>,
    pub urgency: Option<String>,
    pub topic: Option<String>,
    /// Any other headers (e.g. `Crypto-Key` and `Encryption` for `aesgcm`).
    pub extra_headers: Vec<(String, String)>,
}

impl PushRequest {
    /// An `aes128gcm` push with no headers beyond the body.
    pub fn new(endpoint: impl Into<String>, body: Vec<u8>) -> Self {
        Self {
            endpoint: endpoint.into(),
            body,
            content_encoding: "aes128gcm".into(),
            authorization: None,
            ttl: None,
            urgency: None,
            topic: None,
            extra_headers: Vec::new(),
        }
    }
}

/// What the push service answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushReply {
    pub status: u16,
    /// `Retry-After`, as delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
    pub retry_after: Option<Duration>,
    pub location: Option<String>,
}

/// Why a push could not be delivered (no HTTP status came back).
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("endpoint {0:?} is not an absolute http(s) URI")]
    BadUri(String),
    #[error("endpoint {0:?} uses plain http; only https is allowed (draft §5.2)")]
    PlainHttp(String),
    #[error("cannot connect to {0}: {1}")]
    Connect(String, #[source] std::io::Error),
    #[error("TLS with {0} failed: {1}")]
    Tls(String, #[source] std::io::Error),
    #[error("HTTP exchange with {0} failed: {1}")]
    Http(String, #[source] hyper::Error),
    #[error("no answer from {0} within {1:?}")]
    Timeout(String, Duration),
}

/// Sends pushes; cheap to clone.
#[derive(Clone)]
pub struct PushClient {
    tls: Arc<ClientConfig>,
    allow_http: bool,
    timeout: Duration,
}

impl std::fmt::Debug for PushClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushClient")
            .field("allow_http", &self.allow_http)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl PushClient {
    /// `allow_http` permits `http://` endpoints (loopback testing only).
    pub fn new(tls: Arc<ClientConfig>, allow_http: bool, timeout: Duration) -> Self {
        let mut tls = (*tls).clone();
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        Self {
            tls: Arc::new(tls),
            allow_http,
            timeout,
        }
    }

    /// POSTs one push; any HTTP status is a `PushReply`, only transport
    /// failures are errors. The whole exchange is bounded by the timeout.
    pub async fn send(&self, req: &PushRequest) -> Result<PushReply, SendError> {
        let uri: hyper::Uri = req
            .endpoint
            .parse()
            .map_err(|_| SendError::BadUri(req.endpoint.clone()))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") if self.allow_http => false,
            Some("http") => return Err(SendError::PlainHttp(req.endpoint.clone())),
            _ => return Err(SendError::BadUri(req.endpoint.clone())),
        };
        let host = uri
            .host()
            .ok_or_else(|| SendError::BadUri(req.endpoint.clone()))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        let authority = uri
            .authority()
            .map(|a| a.as_str().to_owned())
            .unwrap_or_default();
        let path = uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        let fut = self.exchange(req, https, &host, port, &authority, &path);
        tokio::time::timeout(self.timeout, fut)
            .await
            .map_err(|_| SendError::Timeout(authority.clone(), self.timeout))?
    }

    async fn exchange(
        &self,
        req: &PushRequest,
        https: bool,
        host: &str,
        port: u16,
        authority: &str,
        path: &str,
    ) -> Result<PushReply, SendError> {
        let tcp = TcpStream::connect((host, port))
            .await
            .map_err(|e| SendError::Connect(authority.to_owned(), e))?;
        let _ = tcp.set_nodelay(true);
        let request = build_request(req, authority, path);
        let response = if https {
            let name = ServerName::try_from(host.to_owned())
                .map_err(|_| SendError::BadUri(req.endpoint.clone()))?;
            let tls = tokio_rustls::TlsConnector::from(self.tls.clone())
                .connect(name, tcp)
                .await
                .map_err(|e| SendError::Tls(authority.to_owned(), e))?;
            round_trip(TokioIo::new(tls), request, authority).await?
        } else {
            round_trip(TokioIo::new(tcp), request, authority).await?
        };
        Ok(response)
    }
}

fn build_request(req: &PushRequest, authority: &str, path: &str) -> hyper::Request<Full<Bytes>> {
    let mut b = hyper::Request::post(path)
        .header("host", authority)
        .header("content-type", "application/octet-stream")
        .header("content-encoding", &req.content_encoding)
        .header("content-length", req.body.len());
    if let Some(a) = &req.authorization {
        b = b.header("authorization", a);
    }
    if let Some(t) = req.ttl {
        b = b.header("ttl", t);
    }
    if let Some(u) = &req.urgency {
        b = b.header("urgency", u);
    }
    if let Some(t) = &req.topic {
        b = b.header("topic", t);
    }
    for (k, v) in &req.extra_headers {
        b = b.header(k, v);
    }
    // Header values come from our own code (validated endpoints, base64),
    // so a failure here is a bug; an empty body request is still sent.
    b.body(Full::new(Bytes::from(req.body.clone())))
        .unwrap_or_else(|_| hyper::Request::new(Full::new(Bytes::new())))
}

async fn round_trip<S>(
    io: TokioIo<S>,
    request: hyper::Request<Full<Bytes>>,
    authority: &str,
) -> Result<PushReply, SendError>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let http = |e| SendError::Http(authority.to_owned(), e);
    let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(http)?;
    let driver = tokio::spawn(conn);
    let response = sender.send_request(request).await.map_err(http)?;
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let retry_after = header("retry-after").and_then(|v| parse_retry_after(&v, SystemTime::now()));
    let location = header("location");
    // Read (and drop) a bounded body so that the connection ends cleanly.
    let _ = Limited::new(response.into_body(), MAX_REPLY_BODY)
        .collect()
        .await;
    drop(sender);
    driver.abort();
    Ok(PushReply {
        status,
        retry_after,
        location,
    })
}

/// RFC 9110 §10.2.3: `Retry-After: delay-seconds / HTTP-date`.
pub fn parse_retry_after(v: &str, now: SystemTime) -> Option<Duration> {
    let v = v.trim();
    if !v.is_empty() && v.bytes().all(|c| c.is_ascii_digit()) {
        return v.parse().ok().map(Duration::from_secs);
    }
    let at = parse_http_date(v)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the HTTP-date form that
/// senders MUST generate (RFC 9110 §5.6.7).
pub fn parse_http_date(v: &str) -> Option<SystemTime> {
    let parts: Vec<&str> = v.split_ascii_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    let day: u64 = day.parse().ok()?;
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| m == month)? as u64
        + 1;
    let year: i64 = year.parse().ok()?;
    let hms: Vec<u64> = time
        .split(':')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let [h, m, s] = hms.as_slice() else {
        return None;
    };
    if !(1..=31).contains(&day) || *h > 23 || *m > 59 || *s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = u64::try_from(days).ok()? * 86_400 + h * 3600 + m * 60 + s;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant).
fn days_from_civil(y: i64, m: u64, d: u64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_both_forms() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_700);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        // RFC 9110's example date is 784111777 seconds after the epoch.
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(UNIX_EPOCH + Duration::from_secs(784_111_777))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(77))
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(
            parse_retry_after("Sun, 99 Nov 1994 08:49:37 GMT", now),
            None
        );
    }
}
