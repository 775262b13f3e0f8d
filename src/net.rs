//! Listening sockets.

use std::io;
use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpSocket};

/// Connections the kernel completes and holds until they are accepted
/// (capped by `net.core.somaxconn`). tokio's `TcpListener::bind` asks for
/// 128: 200 clients connecting to `serve` at once overflowed that queue,
/// and each connection dropped came back a second later, when its SYN was
/// sent again (connect and login p99 1.03 s, p50 30–50 ms).
pub const BACKLOG: u32 = 1024;

/// A listener on `addr` with a [`BACKLOG`]-long accept queue. Like
/// `TcpListener::bind`, it sets `SO_REUSEADDR`, so that a restarted
/// server binds its port again at once. Needs a tokio runtime.
pub fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}
