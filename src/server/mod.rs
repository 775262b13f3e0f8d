//! The reference server (`serve`): an in-memory IMAP4rev1/rev2 server that
//! implements the whole WEBPUSH draft and sends real pushes.
//!
//! - [`store`]: accounts, mailboxes, subscriptions, tokens, the VAPID key;
//!   every change that may be pushed goes to the sender from here.
//! - [`session`] (with `conn` and `mailbox`): one IMAP connection.
//! - [`sender`]: push content (§7.1), encryption, VAPID, delivery (§7.4).
//! - [`fault`]: rules broken on purpose (`--fault`).
//!
//! It parses the extension's commands with the same grammar as the client
//! ([`crate::webpush::Command`]) and encrypts with [`crate::push::ece`].

pub mod fault;
pub mod message;
pub mod sender;
pub mod store;
pub mod syntax;
pub mod vapid_file;

mod conn;
mod mailbox;
mod refusal;
pub(crate) mod session;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;

pub use fault::{Fault, Faults};
pub use sender::{Delivery, Outcome};
pub use store::{AccountSpec, Clock, ManualClock, Store, SystemClock};

use crate::push::send::PushClient;
use crate::push::vapid::VapidSigner;
use crate::tls::{Identity, Trust};
use crate::webpush::VapidKey;

/// RFC 9051 §5.4: the inactivity autologout is at least 30 minutes.
const AUTOLOGOUT: Duration = Duration::from_secs(30 * 60);
/// RFC 2177: clients re-issue IDLE at least every 29 minutes.
const IDLE_LIMIT: Duration = Duration::from_secs(30 * 60);
/// The largest literal accepted before login: enough for LOGIN's user
/// name and password, so that a client who has not logged in cannot make
/// the server hold megabytes for it.
pub const PREAUTH_MAX_LITERAL: usize = 8 << 10;

/// Everything `serve` can be told.
#[derive(Debug)]
pub struct ServerConfig {
    /// The plaintext listener (STARTTLS offered).
    pub listen: SocketAddr,
    /// An implicit-TLS listener, if any.
    pub tls_listen: Option<SocketAddr>,
    pub accounts: Vec<AccountSpec>,
    /// The certificate for STARTTLS and implicit TLS; generated when `None`.
    pub identity: Option<Identity>,
    pub vapid: VapidSigner,
    /// Where the VAPID key lives, rewritten on rotation.
    pub vapid_key_file: Option<PathBuf>,
    /// The JWT `sub` claim.
    pub vapid_subject: String,
    /// Trust for push endpoints (webpki roots plus `--push-ca`).
    pub push_trust: Trust,
    pub allow_http_endpoints: bool,
    /// LOGIN and AUTHENTICATE before STARTTLS (loopback testing only).
    pub allow_plaintext_login: bool,
    pub retry_delay: Duration,
    pub coalesce: Duration,
    pub push_timeout: Duration,
    pub faults: Faults,
    pub max_line: usize,
    /// The largest literal after login (before it, [`PREAUTH_MAX_LITERAL`]).
    pub max_literal: usize,
    pub max_subscriptions: usize,
    /// Connections served at once; the next ones are greeted with BYE.
    pub max_connections: usize,
    /// Message bytes one account may store (APPEND past it: `NO [OVERQUOTA]`).
    pub max_account_bytes: usize,
    /// How long an ACKWEBPUSH token is accepted (§6.4: 10 minutes).
    pub token_lifetime: Duration,
    pub clock: Arc<dyn Clock>,
}

impl ServerConfig {
    /// Defaults as `serve` documents them, for the given accounts and key.
    pub fn new(accounts: Vec<AccountSpec>, vapid: VapidSigner) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 1143)),
            tls_listen: None,
            accounts,
            identity: None,
            vapid,
            vapid_key_file: None,
            vapid_subject: "mailto:postmaster@localhost".into(),
            push_trust: Trust::webpki(),
            allow_http_endpoints: false,
            allow_plaintext_login: false,
            retry_delay: Duration::from_secs(300),
            coalesce: Duration::from_millis(2),
            push_timeout: Duration::from_secs(30),
            faults: Faults::default(),
            max_line: 64 << 10,
            max_literal: 10 << 20,
            max_subscriptions: 32,
            max_connections: 1000,
            max_account_bytes: 256 << 20,
            token_lifetime: store::TOKEN_LIFETIME,
            clock: Arc::new(SystemClock),
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot listen on {0}: {1}")]
    Listen(SocketAddr, #[source] std::io::Error),
    #[error(transparent)]
    Identity(#[from] crate::tls::IdentityError),
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),
}

/// What connections share.
pub(crate) struct Shared {
    store: Arc<Store>,
    tls: Arc<rustls::ServerConfig>,
    config: SessionConfig,
    /// One permit per connection being served.
    connections: Arc<tokio::sync::Semaphore>,
}

struct SessionConfig {
    allow_http_endpoints: bool,
    allow_plaintext_login: bool,
    vapid_key_file: Option<PathBuf>,
    max_line: usize,
    max_literal: usize,
    /// The first account: fault extension-before-login serves the five
    /// commands for it before anyone logged in.
    first_account: String,
}

/// A running server. Dropping it stops the listeners and the sender.
pub struct ServerHandle {
    /// The plaintext (STARTTLS) listener's address.
    pub addr: SocketAddr,
    pub tls_addr: Option<SocketAddr>,
    /// The generated CA to trust (`--ca-file`), when no certificate was given.
    pub ca_pem: Option<String>,
    store: Arc<Store>,
    deliveries: broadcast::Sender<Delivery>,
    tasks: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerHandle")
            .field("addr", &self.addr)
            .field("tls_addr", &self.tls_addr)
            .finish_non_exhaustive()
    }
}

impl ServerHandle {
    /// Every push attempt from now on, as it completes.
    pub fn deliveries(&self) -> broadcast::Receiver<Delivery> {
        self.deliveries.subscribe()
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    pub fn vapid_key(&self) -> VapidKey {
        self.store.vapid_key()
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Binds the listeners and starts serving.
pub async fn start(config: ServerConfig) -> Result<ServerHandle, ServerError> {
    let identity = match config.identity {
        Some(i) => i,
        None => Identity::generate(&["localhost", "127.0.0.1", "::1"])?,
    };
    let tls = identity.server_config(&[b"imap"])?;
    let listener =
        crate::net::listen(config.listen).map_err(|e| ServerError::Listen(config.listen, e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServerError::Listen(config.listen, e))?;
    let tls_listener = match config.tls_listen {
        Some(a) => Some(crate::net::listen(a).map_err(|e| ServerError::Listen(a, e))?),
        None => None,
    };
    let tls_addr = tls_listener.as_ref().and_then(|l| l.local_addr().ok());

    let (out_tx, out_rx) = mpsc::unbounded_channel();
    let first_account = config
        .accounts
        .first()
        .map(|a| a.name.clone())
        .unwrap_or_default();
    let store = Arc::new(Store::new(
        config.accounts,
        config.vapid,
        config.clock,
        config.faults,
        store::Limits {
            max_subscriptions: config.max_subscriptions,
            max_account_bytes: config.max_account_bytes,
            token_lifetime: config.token_lifetime,
        },
        out_tx,
    ));
    let (deliveries, _) = broadcast::channel(1024);
    let client = PushClient::new(
        config.push_trust.client_config()?,
        config.allow_http_endpoints,
        config.push_timeout,
    );
    let sender = sender::spawn(
        store.clone(),
        out_rx,
        sender::SenderConfig {
            client,
            subject: config.vapid_subject,
            retry_delay: config.retry_delay,
            coalesce: config.coalesce,
        },
        deliveries.clone(),
    );
    let shared = Arc::new(Shared {
        store: store.clone(),
        tls: tls.clone(),
        config: SessionConfig {
            allow_http_endpoints: config.allow_http_endpoints,
            allow_plaintext_login: config.allow_plaintext_login,
            vapid_key_file: config.vapid_key_file,
            max_line: config.max_line,
            max_literal: config.max_literal,
            first_account,
        },
        connections: Arc::new(tokio::sync::Semaphore::new(config.max_connections)),
    });
    let mut tasks = vec![
        sender,
        tokio::spawn(accept(listener, shared.clone(), false)),
    ];
    if let Some(l) = tls_listener {
        tasks.push(tokio::spawn(accept(l, shared, true)));
    }
    Ok(ServerHandle {
        addr,
        tls_addr,
        ca_pem: identity.ca_pem,
        store,
        deliveries,
        tasks,
    })
}

async fn accept(listener: TcpListener, shared: Arc<Shared>, implicit_tls: bool) {
    loop {
        let Ok((tcp, _peer)) = listener.accept().await else {
            // Out of file descriptors and the like: back off, keep serving.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let shared = shared.clone();
        let Ok(permit) = shared.connections.clone().try_acquire_owned() else {
            tokio::spawn(refuse(tcp, implicit_tls.then(|| shared.tls.clone())));
            continue;
        };
        tokio::spawn(async move {
            let _permit = permit;
            let (line, literal) = (shared.config.max_line, PREAUTH_MAX_LITERAL);
            let conn = if implicit_tls {
                let accept = tokio_rustls::TlsAcceptor::from(shared.tls.clone()).accept(tcp);
                match tokio::time::timeout(Duration::from_secs(30), accept).await {
                    Ok(Ok(tls)) => conn::Conn::tls(tls, line, literal, AUTOLOGOUT),
                    _ => return,
                }
            } else {
                conn::Conn::plain(tcp, line, literal, AUTOLOGOUT)
            };
            session::Session::new(shared, conn).run().await;
        });
    }
}

/// A connection past `max_connections`: RFC 9051 §7.1.5 lets a server
/// greet with BYE and close. Bounded in time, so that refused peers cost
/// nothing for long.
async fn refuse(tcp: tokio::net::TcpStream, tls: Option<Arc<rustls::ServerConfig>>) {
    use tokio::io::AsyncWriteExt as _;
    const BYE: &[u8] = b"* BYE too many connections, try again later\r\n";
    let bye = async {
        match tls {
            Some(config) => {
                let mut s = tokio_rustls::TlsAcceptor::from(config).accept(tcp).await?;
                s.write_all(BYE).await?;
                s.shutdown().await
            }
            None => {
                let mut tcp = tcp;
                tcp.write_all(BYE).await?;
                tcp.shutdown().await
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(5), bye).await;
}
