//! Where the password comes from: `--password-command`, the
//! `IMAPWEBPUSH_PASSWORD` variable, or a hidden prompt on a terminal. There
//! is deliberately no flag that takes the password itself: it would show in
//! `ps` and in shell history.

use std::io::IsTerminal;

use super::ImapError;
use crate::secret::Secret;

pub const PASSWORD_ENV: &str = "IMAPWEBPUSH_PASSWORD";

/// The password, from the first source that has one.
pub async fn password(
    command: Option<&str>,
    user: &str,
    host: &str,
) -> Result<Secret<String>, ImapError> {
    if let Some(cmd) = command {
        return run_password_command(cmd).await;
    }
    if let Ok(p) = std::env::var(PASSWORD_ENV) {
        return Ok(Secret::new(p));
    }
    if std::io::stdin().is_terminal() {
        let prompt = format!("Password for {user}@{host}: ");
        return tokio::task::spawn_blocking(move || rpassword::prompt_password(prompt))
            .await
            .map_err(|e| ImapError::PasswordCommand(e.to_string()))?
            .map(Secret::new)
            .map_err(|_| ImapError::NoPassword);
    }
    Err(ImapError::NoPassword)
}

/// Runs `sh -c CMD` and takes the first line of its standard output.
async fn run_password_command(cmd: &str) -> Result<Secret<String>, ImapError> {
    let out = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
        .await
        .map_err(|e| ImapError::PasswordCommand(e.to_string()))?;
    if out.status.code() == Some(127) {
        return Err(ImapError::PasswordCommand(format!(
            "the shell did not find the command in {cmd:?}"
        )));
    }
    if !out.status.success() {
        return Err(ImapError::PasswordCommand(format!(
            "it exited with {}",
            out.status
        )));
    }
    let text = String::from_utf8(out.stdout)
        .map_err(|_| ImapError::PasswordCommand("its output is not UTF-8".into()))?;
    let first = text.lines().next().unwrap_or("");
    if first.is_empty() {
        return Err(ImapError::PasswordCommand("it printed nothing".into()));
    }
    Ok(Secret::new(first.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn from_command(cmd: &str) -> Result<String, String> {
        password(Some(cmd), "demo", "imap.example")
            .await
            .map(|s| s.expose().clone())
            .map_err(|e| e.to_string())
    }

    #[tokio::test]
    async fn the_command_gives_its_first_line() {
        // The command wins over the variable and the terminal.
        assert_eq!(
            from_command("printf 'pw one\\nsecond\\n'").await,
            Ok("pw one".into())
        );
        assert_eq!(
            from_command("printf 'no newline'").await,
            Ok("no newline".into())
        );
    }

    #[tokio::test]
    async fn a_failing_command_says_why() {
        let missing = from_command("imapwebpush-no-such-command-here").await;
        assert!(
            missing.as_ref().unwrap_err().contains("did not find"),
            "{missing:?}"
        );
        let failed = from_command("echo pw; exit 3").await;
        assert!(
            failed.as_ref().unwrap_err().contains("exited with"),
            "{failed:?}"
        );
        let empty = from_command("true").await;
        assert!(
            empty.as_ref().unwrap_err().contains("printed nothing"),
            "{empty:?}"
        );
        let blank = from_command("echo").await;
        assert!(
            blank.as_ref().unwrap_err().contains("printed nothing"),
            "{blank:?}"
        );
        let binary = from_command("printf '\\377\\n'").await;
        assert!(
            binary.as_ref().unwrap_err().contains("not UTF-8"),
            "{binary:?}"
        );
    }
}
