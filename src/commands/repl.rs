//! `repl`: an interactive session over one connection (see
//! [`crate::repl`]). This file picks the front end — rustyline on a
//! terminal, plain lines from a pipe — and hands it the connection options.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use crate::exit::Exit;
use crate::output::Printer;
use crate::push::keys::Keys;
use crate::repl::{self, input, Io, Options};

use super::Context;

#[derive(Debug, Clone, Args)]
pub struct ReplArgs {
    /// Keys file for listen, subscribe and keys (default: $XDG_DATA_HOME/imapwebpush/keys.json)
    #[arg(long, value_name = "FILE")]
    pub keys: Option<PathBuf>,
    /// Do not read or write the history file ($XDG_DATA_HOME/imapwebpush/history)
    #[arg(long)]
    pub no_history: bool,
}

pub async fn run(cx: &Context, a: &ReplArgs) -> anyhow::Result<Exit> {
    let spec = cx.connect_spec()?;
    let known = repl::known();
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let history = if interactive && !a.no_history {
        match Keys::default_path() {
            Ok(p) => {
                let path = p.with_file_name("history");
                match input::prepare_history(&path) {
                    Ok(()) => Some(path),
                    Err(e) => {
                        cx.diag.warn(&format_args!(
                            "no history: cannot create {}: {e}",
                            path.display()
                        ));
                        None
                    }
                }
            }
            Err(_) => None,
        }
    } else {
        None
    };
    let opts = Options {
        keys: a.keys.clone(),
        json: cx.global.json,
        color: (cx.out.is_color(), cx.diag.is_color()),
        trace: cx.global.verbose,
    };
    let io = if interactive {
        let t = input::terminal(known.clone(), history)?;
        Io {
            lines: t.lines,
            prompts: Some(t.prompts),
            out: Printer::new(t.out, opts.json, opts.color.0),
            diag: Printer::new(t.diag, false, opts.color.1),
        }
    } else {
        Io {
            lines: input::piped(),
            prompts: None,
            out: cx.out.clone(),
            diag: cx.diag.clone(),
        }
    };
    repl::run(spec, opts, io, known).await
}
