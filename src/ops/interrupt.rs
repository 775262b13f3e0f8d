//! Ctrl-C as a flag that any number of waits can watch, for front ends
//! that must clean up before they exit (`check` and `subscribe` remove
//! what they created, the REPL logs out) or stop a loop (`serve` and
//! `listen`). On Unix the handler is in place before `watch` returns, so
//! that no interrupt after it kills the process unseen; elsewhere, from
//! the watcher task's first poll.
//!
//! Once watched, Ctrl-C no longer ends the process by itself (the handler
//! stays for the process's life): what runs after it must be bounded by
//! deadlines (`check`'s clean-up: every command has one), or watch again
//! (the REPL gives up its clean-up on a second press).
//!
//! A process started with SIGINT ignored (a background job of a
//! non-interactive shell, or under `trap '' INT`) keeps it ignored, as
//! shells and Python do: no handler is installed, and Ctrl-C is never
//! seen. Only Linux tells the inherited disposition without `unsafe`
//! (`/proc/self/status`); elsewhere the handler is installed regardless.

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
        if inherited_ignored() {
            // No sender: `wait` never returns.
            drop(tx);
            let watcher = tokio::spawn(async {});
            return Self { rx, watcher };
        }
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

/// Whether the process started with SIGINT ignored. Asked once, before
/// any handler of ours replaces the disposition (none does while this
/// says yes, so the answer stays true).
fn inherited_ignored() -> bool {
    static IGNORED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *IGNORED.get_or_init(|| {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .as_deref()
            .and_then(ignores_sigint)
            .unwrap_or(false)
    })
}

/// Whether a `/proc/PID/status` text lists SIGINT (2) among the ignored
/// signals (`SigIgn:`, a hexadecimal mask whose bit N-1 is signal N).
fn ignores_sigint(status: &str) -> Option<bool> {
    let mask = status.lines().find_map(|l| l.strip_prefix("SigIgn:"))?;
    let mask = u64::from_str_radix(mask.trim(), 16).ok()?;
    Some(mask & (1 << (2 - 1)) != 0)
}

impl Drop for Interrupt {
    fn drop(&mut self) {
        self.watcher.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::ignores_sigint;

    #[test]
    fn the_ignored_mask_is_read() {
        let status = |mask: &str| {
            format!("Name:\tx\nSigBlk:\t0000000000000002\nSigIgn:\t{mask}\nSigCgt:\t0\n")
        };
        assert_eq!(ignores_sigint(&status("0000000000000002")), Some(true));
        assert_eq!(ignores_sigint(&status("0000000000001006")), Some(true));
        // SIGHUP (1) and SIGQUIT (3) ignored, not SIGINT.
        assert_eq!(ignores_sigint(&status("0000000000000005")), Some(false));
        assert_eq!(ignores_sigint(&status("zz")), None);
        assert_eq!(ignores_sigint("Name:\tx\n"), None);
    }
}
