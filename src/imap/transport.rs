//! Where to connect and how: the server URL, the TLS mode, and the byte
//! stream (plain TCP or rustls over TCP) with the STARTTLS upgrade.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use rustls::pki_types::ServerName;
use serde::Serialize;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

use super::ImapError;

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// TLS from the first byte (imaps://, port 993).
    Implicit,
    /// Plain TCP upgraded with STARTTLS (imap://, port 143); refuses to go on
    /// if the server does not offer it.
    Starttls,
    /// Plaintext. Passwords cross the network in clear; only when asked by name.
    None,
}

/// A parsed `-s/--server` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerAddr {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
}

impl ServerAddr {
    /// `imaps://host[:993]`, `imap://host[:143]`, or a bare `host[:port]`
    /// (imaps). `tls` overrides the scheme. IPv6 literals go in brackets.
    pub fn parse(url: &str, tls: Option<TlsMode>) -> Result<Self, ImapError> {
        let bad = |reason: &str| ImapError::BadUrl {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let (scheme_mode, rest) = if let Some(r) = url.strip_prefix("imaps://") {
            (TlsMode::Implicit, r)
        } else if let Some(r) = url.strip_prefix("imap://") {
            (TlsMode::Starttls, r)
        } else if url.contains("://") {
            return Err(bad("the scheme must be imaps:// or imap://"));
        } else {
            (TlsMode::Implicit, url)
        };
        let mode = tls.unwrap_or(scheme_mode);
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains(['/', '@', '?', '#']) {
            return Err(bad("expected host[:port] only, without path or user"));
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (h, after) = v6.split_once(']').ok_or_else(|| bad("unclosed '['"))?;
            (h, after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let port = match port {
            Some(p) => p
                .parse()
                .map_err(|_| bad("the port is not a number from 1 to 65535"))?,
            None if mode == TlsMode::Implicit => 993,
            None => 143,
        };
        if port == 0 {
            return Err(bad("port 0"));
        }
        Ok(Self {
            host: host.to_owned(),
            port,
            tls: mode,
        })
    }

    pub fn server_name(&self) -> Result<ServerName<'static>, ImapError> {
        ServerName::try_from(self.host.clone()).map_err(|_| ImapError::BadUrl {
            url: self.host.clone(),
            reason: "not a valid DNS name or IP address for TLS".to_owned(),
        })
    }
}

impl std::fmt::Display for ServerAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// The connection: plain or TLS. `Upgrading` only exists for the instant of
/// a STARTTLS handshake.
pub enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
    Upgrading,
}

impl Stream {
    pub fn is_tls(&self) -> bool {
        matches!(self, Self::Tls(_))
    }

    /// Runs the TLS handshake over `tcp`.
    pub async fn handshake(
        tcp: TcpStream,
        config: Arc<rustls::ClientConfig>,
        addr: &ServerAddr,
    ) -> Result<Self, ImapError> {
        let name = addr.server_name()?;
        match TlsConnector::from(config).connect(name, tcp).await {
            Ok(s) => Ok(Self::Tls(Box::new(s))),
            Err(e) => {
                let (reason, hint) = crate::tls::explain_handshake_error(&e);
                Err(ImapError::Handshake {
                    host: addr.host.clone(),
                    reason,
                    hint,
                })
            }
        }
    }
}

fn upgrading() -> io::Error {
    io::Error::other("stream is being upgraded to TLS")
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Self::Tls(s) => Pin::new(s).poll_read(cx, buf),
            Self::Upgrading => Poll::Ready(Err(upgrading())),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Self::Tls(s) => Pin::new(s).poll_write(cx, buf),
            Self::Upgrading => Poll::Ready(Err(upgrading())),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_flush(cx),
            Self::Tls(s) => Pin::new(s).poll_flush(cx),
            Self::Upgrading => Poll::Ready(Err(upgrading())),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Self::Tls(s) => Pin::new(s).poll_shutdown(cx),
            Self::Upgrading => Poll::Ready(Err(upgrading())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls() {
        let p = |u, t| ServerAddr::parse(u, t).map(|a| (a.host, a.port, a.tls));
        assert_eq!(
            p("imaps://mail.example", None).unwrap(),
            ("mail.example".into(), 993, TlsMode::Implicit)
        );
        assert_eq!(
            p("imap://mail.example", None).unwrap(),
            ("mail.example".into(), 143, TlsMode::Starttls)
        );
        assert_eq!(
            p("mail.example:1993", None).unwrap(),
            ("mail.example".into(), 1993, TlsMode::Implicit)
        );
        assert_eq!(
            p("imap://[::1]:1143", None).unwrap(),
            ("::1".into(), 1143, TlsMode::Starttls)
        );
        assert_eq!(
            p("127.0.0.1:1143", Some(TlsMode::None)).unwrap(),
            ("127.0.0.1".into(), 1143, TlsMode::None)
        );
        assert!(p("http://x", None).is_err());
        assert!(p("imaps://x:99999", None).is_err());
        assert!(p("imaps://", None).is_err());
        assert!(p("imaps://u@x/", None).is_err());
    }
}
