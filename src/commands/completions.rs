//! `completions` and the generated files under `completions/` and `man/`.

use std::io;
use std::path::Path;

use clap_complete::Shell;

use crate::cli::Cli;

use crate::exit::Exit;

use super::Context;

#[derive(Debug, Clone, clap::Args)]
pub struct CompletionsArgs {
    #[arg(value_name = "SHELL")]
    pub shell: Shell,
}

/// Prints the script through the printer, so that a closed pipe
/// (`completions bash | head`) or a full disk is an error, not a panic
/// inside clap_complete.
pub fn run(cx: &Context, a: &CompletionsArgs) -> anyhow::Result<Exit> {
    cx.out.write_bytes(&script(a.shell))?;
    Ok(Exit::Success)
}

/// The completion script for `shell`.
///
/// For fish, clap_complete ties every option to a condition that parses
/// the command line so far; with an option that still waits for its value
/// (`imapwebpush --tls `) that parse fails, no rule applies, and fish
/// falls back to file names. Options whose values are a fixed list get a
/// second rule without a condition, so their values are offered wherever
/// the option is typed (global options may come before or after the
/// command).
fn script(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::for_completion();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "imapwebpush", &mut buf);
    if shell == Shell::Fish {
        cmd.build();
        let mut seen = std::collections::BTreeSet::new();
        let all = std::iter::once(&cmd).chain(cmd.get_subcommands());
        for c in all {
            for arg in c.get_arguments() {
                let (Some(long), values) = (arg.get_long(), arg.get_possible_values()) else {
                    continue;
                };
                if values.is_empty() || !seen.insert(long.to_owned()) {
                    continue;
                }
                let names: Vec<&str> = values.iter().map(|v| v.get_name()).collect();
                buf.extend_from_slice(
                    format!(
                        "complete -c imapwebpush -l {long} -x -a \"{}\"\n",
                        names.join(" ")
                    )
                    .as_bytes(),
                );
            }
        }
    }
    buf
}

/// The shells we ship completions for, with their file names.
pub const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "imapwebpush.bash"),
    (Shell::Zsh, "_imapwebpush"),
    (Shell::Fish, "imapwebpush.fish"),
    (Shell::Elvish, "imapwebpush.elv"),
    (Shell::PowerShell, "_imapwebpush.ps1"),
];

/// Every generated file: (path relative to the repository, contents). The
/// test `generated_files_are_current` compares them with the committed ones.
pub fn generated_files() -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for (shell, name) in SHELLS {
        files.push((format!("completions/{name}"), script(shell)));
    }
    let mut cmd = Cli::clap().disable_help_subcommand(true);
    cmd.build();
    let mut buf = Vec::new();
    render_page(&clap_mangen::Man::new(cmd.clone()), &mut buf, true)?;
    files.push(("man/imapwebpush.1".to_owned(), buf));
    for sub in cmd.get_subcommands() {
        let name = format!("imapwebpush-{}", sub.get_name());
        // The page is imapwebpush-serve(1); the synopsis shows how it is
        // typed, `imapwebpush serve`.
        let page = sub
            .clone()
            .name(name.clone())
            .bin_name(format!("imapwebpush {}", sub.get_name()));
        let mut buf = Vec::new();
        render_page(&clap_mangen::Man::new(page), &mut buf, false)?;
        files.push((format!("man/{name}.1"), buf));
    }
    Ok(files)
}

/// The sections clap has, then EXIT STATUS, ENVIRONMENT, FILES and (on
/// the main page) EXAMPLES, then VERSION.
fn render_page(man: &clap_mangen::Man, w: &mut Vec<u8>, main: bool) -> io::Result<()> {
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    man.render_options_section(w)?;
    if main {
        man.render_subcommands_section(w)?;
    }
    man.render_extra_section(w)?;
    w.extend_from_slice(COMMON_SECTIONS.as_bytes());
    if main {
        w.extend_from_slice(EXAMPLES.as_bytes());
    }
    man.render_version_section(w)
}

const COMMON_SECTIONS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
success
.TP
\fB1\fR
the server answered NO or BAD, a check failed, or a payload did not decode
.TP
\fB2\fR
usage, connection, TLS or authentication error
.SH ENVIRONMENT
.TP
\fBIMAPWEBPUSH_SERVER\fR
the server URL, as \fB\-\-server\fR
.TP
\fBIMAPWEBPUSH_USER\fR
the user, as \fB\-\-user\fR
.TP
\fBIMAPWEBPUSH_PASSWORD\fR
the password (else \fB\-\-password\-command\fR, else a prompt on a terminal)
.TP
\fBNO_COLOR\fR
no colour, as \fB\-\-color never\fR
.TP
\fBXDG_DATA_HOME\fR
where the data directory is (default \fI~/.local/share\fR)
.SH FILES
.TP
\fI$XDG_DATA_HOME/imapwebpush/keys.json\fR
the subscriber's keypair and auth secret (mode 0600)
.TP
\fI$XDG_DATA_HOME/imapwebpush/local\-ca.pem\fR, \fIlocal\-ca\-key.pem\fR
the local CA, trusted for loopback hosts only (key mode 0600)
.TP
\fI$XDG_DATA_HOME/imapwebpush/history\fR
the REPL's history (mode 0600)
"#;

const EXAMPLES: &str = r#".SH EXAMPLES
.TP
\fBimapwebpush demo\fR
the whole protocol on loopback, narrated
.TP
\fBimapwebpush serve\fR, then \fBimapwebpush subscribe \-s imap://127.0.0.1:1143 \-u demo\fR
a reference server and a subscription to it, in two terminals
.TP
\fBimapwebpush check \-s imaps://mail.example.org \-u alice \-\-format junit \-\-output report.xml\fR
a server against the draft, for CI
.TP
\fBimapwebpush decode \-\-keys keys.json captured.txt\fR
decrypt and explain captured pushes
"#;

/// Writes [`generated_files`] under `root`.
pub fn write_generated(root: &Path) -> io::Result<()> {
    for (rel, contents) in generated_files()? {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, contents)?;
    }
    Ok(())
}
