//! Opening sessions from options resolved once: a [`ConnectSpec`] is what
//! the global options mean (server address, trust, timeout, user, where
//! the password comes from, whether to trace). The password is asked for
//! at most once per spec, so a REPL's `reconnect` and a checker's many
//! sessions do not prompt again.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::OnceCell;

use crate::imap::{auth, ConnectOptions, ImapError, ServerAddr, Session, Tracer};
use crate::secret::Secret;
use crate::tls::Trust;

/// Makes a tracer for each new session (`-v`), or none.
pub type TraceFactory = Arc<dyn Fn() -> Tracer + Send + Sync>;

/// Whether a command needs to be logged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    /// Log in; a missing user is an error.
    Required,
    /// Log in when a user was given (CAPABILITY).
    IfUser,
    /// Stay unauthenticated (checks of the not-authenticated state).
    Never,
}

/// How to reach and log in to one server.
#[derive(Clone)]
pub struct ConnectSpec {
    pub options: ConnectOptions,
    pub user: Option<String>,
    pub password_command: Option<String>,
    pub trace: Option<TraceFactory>,
    password: Arc<OnceCell<Secret<String>>>,
}

impl std::fmt::Debug for ConnectSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectSpec")
            .field("addr", &self.options.addr)
            .field("user", &self.user)
            .field("trace", &self.trace.is_some())
            .finish_non_exhaustive()
    }
}

impl ConnectSpec {
    pub fn new(addr: ServerAddr, trust: Trust, timeout: Duration) -> Self {
        Self {
            options: ConnectOptions {
                addr,
                trust,
                timeout,
            },
            user: None,
            password_command: None,
            trace: None,
            password: Arc::new(OnceCell::new()),
        }
    }

    /// A spec that logs in as `user` with a password already known (demo,
    /// tests, a checker given its credentials).
    pub fn with_password(mut self, user: &str, password: Secret<String>) -> Self {
        self.user = Some(user.to_owned());
        self.password = Arc::new(OnceCell::new_with(Some(password)));
        self
    }

    /// The server's address as given.
    pub fn addr(&self) -> &ServerAddr {
        &self.options.addr
    }

    /// `user@host`, or the host alone.
    pub fn display_name(&self) -> String {
        match &self.user {
            Some(u) => format!("{u}@{}", self.options.addr.host),
            None => self.options.addr.host.clone(),
        }
    }

    /// Connects, and logs in as `login` says.
    pub async fn open(&self, login: Login) -> Result<Session, ImapError> {
        let tracer = self.trace.as_ref().map(|f| f());
        let mut session = Session::connect(&self.options, tracer).await?;
        let wants = match login {
            Login::Required => true,
            Login::IfUser => self.user.is_some(),
            Login::Never => false,
        };
        if wants && !session.is_authenticated() {
            let user = self.user.as_deref().ok_or(ImapError::NoUser)?;
            let password = self
                .password
                .get_or_try_init(|| {
                    auth::password(
                        self.password_command.as_deref(),
                        user,
                        &self.options.addr.host,
                    )
                })
                .await?;
            session.login(user, password).await?;
        }
        Ok(session)
    }
}
