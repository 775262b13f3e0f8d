//! `completions` and the generated files under `completions/` and `man/`.

use std::io;
use std::path::Path;

use clap::CommandFactory;
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
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "imapwebpush", &mut buf);
    cx.out.write_bytes(&buf)?;
    Ok(Exit::Success)
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
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "imapwebpush", &mut buf);
        files.push((format!("completions/{name}"), buf));
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buf)?;
    files.push(("man/imapwebpush.1".to_owned(), buf));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("imapwebpush-{}", sub.get_name());
        let page = sub.clone().name(name.clone()).bin_name(name.clone());
        let mut buf = Vec::new();
        clap_mangen::Man::new(page).render(&mut buf)?;
        files.push((format!("man/{name}.1"), buf));
    }
    Ok(files)
}

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
