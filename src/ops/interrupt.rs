//! Ctrl-C as a flag that any number of waits can watch, for front ends
//! that must clean up before they exit (`check` and `subscribe` remove
//! what they created, the REPL logs out). On Unix the handler is in place
//! before `watch` returns, so that no interrupt after it kills the process
//! unseen; elsewhere, from the watcher task's first poll.
//!
//! Once watched, Ctrl-C no longer ends the process by itself (the handler
//! stays for the process's life): what runs after it must be bounded by
//! deadlines (`check`'s clean-up: every command has one), or watch again
//! (the REPL gives up its clean-up on a second press).

use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Ctrl-C, seen: [`Interrupt::wait`] returns once it has been pressed
/// (at once if it already was). The watcher stops when this is dropped.
pub struct Interrupt {
    rx: watch::Receiver<bool>,
    watcher: JoinHandle<()>,
}

impl Interrupt {
    /// Starts watching for Ctrl-C.
    pub fn watch() -> Self {
        let (tx, rx) = watch::channel(false);
        #[cfg(unix)]
        let mut sigint =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).ok();
        let watcher = tokio::spawn(async move {
            #[cfg(unix)]
            if let Some(s) = sigint.as_mut() {
                s.recv().await;
                let _ = tx.send(true);
                return;
            }
            if tokio::signal::ctrl_c().await.is_ok() {
                let _ = tx.send(true);
            }
        });
        Self { rx, watcher }
    }

    /// Returns once Ctrl-C has been pressed; never, if it is not.
    pub fn wait(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.rx.clone();
        async move {
            if rx.wait_for(|v| *v).await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }

    /// Whether Ctrl-C has been pressed.
    pub fn pressed(&self) -> bool {
        *self.rx.borrow()
    }
}

impl Drop for Interrupt {
    fn drop(&mut self) {
        self.watcher.abort();
    }
}
