//! What the accept loop knows of each connection: whether it is between
//! requests, sending one, or waiting for its handler, and since when. A
//! full endpoint closes the connection stuck longest (idle or sending a
//! request slowly) to make room for a new one, so that slow or idle
//! connections cannot hold every slot while real pushes wait.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;

/// Where a connection is in its current request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Between requests (or not yet sent one).
    Idle = 0,
    /// Bytes of a request's head came.
    Reading = 1,
    /// The handler has the head and is reading the body.
    Body = 2,
    /// The body is read: the handler checks it and queues its event.
    Handling = 3,
    /// Closed to make room while its request was incomplete.
    Evicted = 4,
    /// Closed to make room while idle.
    Dismissed = 5,
}

impl Phase {
    fn from_u8(v: u8) -> Self {
        match v {
            1 => Self::Reading,
            2 => Self::Body,
            3 => Self::Handling,
            4 => Self::Evicted,
            5 => Self::Dismissed,
            _ => Self::Idle,
        }
    }
}

/// One connection's progress, shared by its IO, its handler and the
/// accept loop (atomics only: no lock on the read path).
#[derive(Debug)]
pub struct Conn {
    pub peer: SocketAddr,
    epoch: Instant,
    phase: AtomicU8,
    /// When the current phase began, in milliseconds since `epoch`.
    since_ms: AtomicU64,
    /// Woken when the accept loop closes this connection to make room.
    pub evict: Notify,
}

impl Conn {
    fn new(peer: SocketAddr, epoch: Instant) -> Self {
        let c = Self {
            peer,
            epoch,
            phase: AtomicU8::new(Phase::Idle as u8),
            since_ms: AtomicU64::new(0),
            evict: Notify::new(),
        };
        c.since_ms.store(c.now_ms(), Ordering::Relaxed);
        c
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    pub fn phase(&self) -> Phase {
        Phase::from_u8(self.phase.load(Ordering::Acquire))
    }

    /// When the current phase began.
    pub fn since(&self) -> Instant {
        self.epoch + Duration::from_millis(self.since_ms.load(Ordering::Relaxed))
    }

    /// Bytes came in: an idle connection starts a request.
    fn on_read(&self) {
        if self
            .phase
            .compare_exchange(
                Phase::Idle as u8,
                Phase::Reading as u8,
                Ordering::AcqRel,
                Ordering::Relaxed,
            )
            .is_ok()
        {
            self.since_ms.store(self.now_ms(), Ordering::Relaxed);
        }
    }

    /// The handler has the request's head and reads its body: the request
    /// keeps its start (bytes of it may have come before the head was
    /// complete), so that head and body share one deadline.
    pub fn body(&self) {
        if self
            .phase
            .compare_exchange(
                Phase::Idle as u8,
                Phase::Body as u8,
                Ordering::AcqRel,
                Ordering::Relaxed,
            )
            .is_ok()
        {
            // A head already buffered with the previous request.
            self.since_ms.store(self.now_ms(), Ordering::Relaxed);
            return;
        }
        let _ = self.phase.compare_exchange(
            Phase::Reading as u8,
            Phase::Body as u8,
            Ordering::AcqRel,
            Ordering::Relaxed,
        );
    }

    /// The handler read the request (or gave up on its body) and takes
    /// over reporting it; false if the connection was closed to make room
    /// first (the accept loop reports it then).
    pub fn handling(&self) -> bool {
        self.phase
            .compare_exchange(
                Phase::Body as u8,
                Phase::Handling as u8,
                Ordering::AcqRel,
                Ordering::Relaxed,
            )
            .is_ok()
    }

    /// The request's event is queued: the connection is between requests.
    pub fn done(&self) {
        if self
            .phase
            .compare_exchange(
                Phase::Handling as u8,
                Phase::Idle as u8,
                Ordering::AcqRel,
                Ordering::Relaxed,
            )
            .is_ok()
        {
            self.since_ms.store(self.now_ms(), Ordering::Relaxed);
        }
    }

    /// Whether the request under way has bytes in but no handler reporting
    /// it: its end must then be reported by whoever ends the connection.
    pub fn unreported(&self) -> bool {
        matches!(self.phase(), Phase::Reading | Phase::Body | Phase::Evicted)
    }
}

/// The open connections.
#[derive(Debug)]
pub struct Registry {
    epoch: Instant,
    next: AtomicU64,
    conns: Mutex<HashMap<u64, Arc<Conn>>>,
}

/// Removes a connection from the registry when its task ends.
pub struct Registered {
    registry: Arc<Registry>,
    id: u64,
    pub conn: Arc<Conn>,
}

impl Drop for Registered {
    fn drop(&mut self) {
        if let Ok(mut m) = self.registry.conns.lock() {
            m.remove(&self.id);
        }
    }
}

impl Registry {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            epoch: Instant::now(),
            next: AtomicU64::new(0),
            conns: Mutex::new(HashMap::new()),
        })
    }

    pub fn register(self: &Arc<Self>, peer: SocketAddr) -> Registered {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(Conn::new(peer, self.epoch));
        if let Ok(mut m) = self.conns.lock() {
            m.insert(id, conn.clone());
        }
        Registered {
            registry: self.clone(),
            id,
            conn,
        }
    }

    /// The connection idle or sending its request for the longest time,
    /// and since when; connections whose handler has their request are
    /// never chosen (their event is on its way).
    pub fn stuck_longest(&self) -> Option<Arc<Conn>> {
        let m = self.conns.lock().ok()?;
        m.values()
            .filter(|c| matches!(c.phase(), Phase::Idle | Phase::Reading | Phase::Body))
            .min_by_key(|c| c.since_ms.load(Ordering::Relaxed))
            .cloned()
    }

    /// Marks `conn` to be closed and wakes its task, unless its handler
    /// took its request over since it was chosen. Returns whether it was.
    pub fn evict(&self, conn: &Conn) -> bool {
        for (from, to) in [
            (Phase::Idle, Phase::Dismissed),
            (Phase::Reading, Phase::Evicted),
            (Phase::Body, Phase::Evicted),
        ] {
            if conn
                .phase
                .compare_exchange(from as u8, to as u8, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
            {
                conn.evict.notify_one();
                return true;
            }
        }
        false
    }
}

/// A stream that tells its [`Conn`] when request bytes arrive.
pub struct Tracked<S> {
    inner: S,
    conn: Arc<Conn>,
    tracking: bool,
}

impl<S> Tracked<S> {
    pub fn new(inner: S, conn: Arc<Conn>) -> Self {
        Self {
            inner,
            conn,
            tracking: true,
        }
    }

    /// Stops reporting reads: under TLS the TCP stream is watched only
    /// during the handshake (so that a stalled or failed handshake counts
    /// as a request), then the decrypted stream is, so that a TLS alert
    /// after the last request (close_notify) is not taken for a new one.
    pub fn stop_tracking(&mut self) {
        self.tracking = false;
    }
}

impl Conn {
    /// The TLS handshake is over: the connection is between requests.
    pub fn handshake_done(&self) {
        if self
            .phase
            .compare_exchange(
                Phase::Reading as u8,
                Phase::Idle as u8,
                Ordering::AcqRel,
                Ordering::Relaxed,
            )
            .is_ok()
        {
            self.since_ms.store(self.now_ms(), Ordering::Relaxed);
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Tracked<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if self.tracking && matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.conn.on_read();
        }
        r
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tracked<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
