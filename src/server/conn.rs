//! One client connection's bytes: plain TCP or TLS (implicit, or after
//! STARTTLS), read as bounded command lines and literals.
//!
//! Limits hold before anything is buffered: a line longer than the line
//! limit, or a literal announced over the literal limit, is refused from
//! its announcement, never read into memory first.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;

use crate::imap::framer::trailing_literal;

/// Why no command could be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("connection closed")]
    Closed,
    #[error("no command within {0:?}")]
    Timeout(Duration),
    #[error("a line is longer than {0} bytes")]
    LineTooLong(usize),
    /// A `{n}` literal over the limit: refused with a tagged NO, and the
    /// client, which waits for `+`, does not send it; the session goes on.
    #[error("a literal of {size} bytes is over the {max}-byte limit")]
    SyncLiteralTooLarge {
        line: Vec<u8>,
        size: u64,
        max: usize,
    },
    /// A `{n+}` literal over the limit: its bytes are already on their
    /// way, so the connection ends (RFC 7888 §4).
    #[error("a non-synchronizing literal of {size} bytes is over the {max}-byte limit")]
    NonSyncLiteralTooLarge { size: u64, max: usize },
    #[error(transparent)]
    Io(#[from] io::Error),
}

enum Io {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
    Closed,
}

pub struct Conn {
    io: Io,
    buf: Vec<u8>,
    max_line: usize,
    max_literal: usize,
    timeout: Duration,
}

impl Conn {
    pub fn plain(tcp: TcpStream, max_line: usize, max_literal: usize, timeout: Duration) -> Self {
        Self {
            io: Io::Plain(tcp),
            buf: Vec::new(),
            max_line,
            max_literal,
            timeout,
        }
    }

    pub fn tls(
        tls: TlsStream<TcpStream>,
        max_line: usize,
        max_literal: usize,
        timeout: Duration,
    ) -> Self {
        Self {
            io: Io::Tls(Box::new(tls)),
            buf: Vec::new(),
            max_line,
            max_literal,
            timeout,
        }
    }

    /// Changes the literal limit (raised after login).
    pub fn set_max_literal(&mut self, max: usize) {
        self.max_literal = max;
    }

    pub fn is_tls(&self) -> bool {
        matches!(self.io, Io::Tls(_))
    }

    /// Upgrades to TLS (STARTTLS). Bytes the client sent after STARTTLS
    /// and before the handshake are dropped: a man in the middle could
    /// have injected them (RFC 9051 §11.1, CVE-2011-0411 class).
    pub async fn start_tls(&mut self, config: Arc<rustls::ServerConfig>) -> io::Result<()> {
        self.buf.clear();
        let Io::Plain(tcp) = std::mem::replace(&mut self.io, Io::Closed) else {
            return Err(io::Error::other("already TLS"));
        };
        let tls = tokio::time::timeout(
            self.timeout,
            tokio_rustls::TlsAcceptor::from(config).accept(tcp),
        )
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "TLS handshake timed out"))??;
        self.io = Io::Tls(Box::new(tls));
        Ok(())
    }

    pub async fn write(&mut self, data: &[u8]) -> io::Result<()> {
        let fut = async {
            match &mut self.io {
                Io::Plain(s) => {
                    s.write_all(data).await?;
                    s.flush().await
                }
                Io::Tls(s) => {
                    s.write_all(data).await?;
                    s.flush().await
                }
                Io::Closed => Err(io::ErrorKind::NotConnected.into()),
            }
        };
        tokio::time::timeout(self.timeout, fut)
            .await
            .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "write timed out"))?
    }

    /// Reads more bytes into the buffer; cancel-safe (used in IDLE's select).
    pub async fn fill(&mut self) -> Result<(), ReadError> {
        let mut chunk = [0u8; 16 << 10];
        let n = match &mut self.io {
            Io::Plain(s) => s.read(&mut chunk).await?,
            Io::Tls(s) => s.read(&mut chunk).await?,
            Io::Closed => 0,
        };
        if n == 0 {
            return Err(ReadError::Closed);
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    async fn fill_timed(&mut self) -> Result<(), ReadError> {
        tokio::time::timeout(self.timeout, self.fill())
            .await
            .map_err(|_| ReadError::Timeout(self.timeout))?
    }

    /// A whole line from the buffer, CRLF (or LF) included, if one is there.
    pub fn take_line(&mut self) -> Result<Option<Vec<u8>>, ReadError> {
        match self.buf.iter().position(|&c| c == b'\n') {
            Some(i) if i + 1 > self.max_line => Err(ReadError::LineTooLong(self.max_line)),
            Some(i) => Ok(Some(self.buf.drain(..=i).collect())),
            None if self.buf.len() > self.max_line => Err(ReadError::LineTooLong(self.max_line)),
            None => Ok(None),
        }
    }

    /// One line, waiting for it.
    pub async fn read_line(&mut self) -> Result<Vec<u8>, ReadError> {
        loop {
            if let Some(l) = self.take_line()? {
                return Ok(l);
            }
            self.fill_timed().await?;
        }
    }

    /// One command: a line and the literals it announces, joined as they
    /// came (`… {n}\r\n<n bytes>…\r\n`), with `+` sent before each
    /// synchronizing literal.
    pub async fn read_command(&mut self) -> Result<Vec<u8>, ReadError> {
        let mut cmd = Vec::new();
        loop {
            let line = self.read_line().await?;
            let body = line
                .strip_suffix(b"\r\n")
                .or_else(|| line.strip_suffix(b"\n"))
                .unwrap_or(&line);
            let lit = trailing_literal(body);
            cmd.extend_from_slice(body);
            let Some(lit) = lit else {
                return Ok(cmd);
            };
            cmd.extend_from_slice(b"\r\n");
            // The command as a whole stays within one literal plus lines.
            let room = (self.max_literal + self.max_line).saturating_sub(cmd.len());
            if lit.size > self.max_literal as u64 || lit.size > room as u64 {
                return Err(if lit.non_sync {
                    ReadError::NonSyncLiteralTooLarge {
                        size: lit.size,
                        max: self.max_literal,
                    }
                } else {
                    ReadError::SyncLiteralTooLarge {
                        line: cmd,
                        size: lit.size,
                        max: self.max_literal,
                    }
                });
            }
            if !lit.non_sync {
                self.write(b"+ Ready for literal data\r\n").await?;
            }
            let size = lit.size as usize;
            while self.buf.len() < size {
                self.fill_timed().await?;
            }
            cmd.extend(self.buf.drain(..size));
            // A large literal grew the buffer: give the memory back rather
            // than keep it for the life of an idle connection.
            self.buf.shrink_to(self.max_line.min(64 << 10));
        }
    }
}
