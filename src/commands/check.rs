//! `check`: the conformance suite ([`crate::check`]) from the command line:
//! selection, strictness, the endpoint's options, and where the report
//! goes. A progress line per check shows on a terminal.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::check::report::{self, Format, Human, List, Listed};
use crate::check::runner::{Options, Progress};
use crate::check::{self, Outcome};
use crate::cli::EndpointOpts;
use crate::exit::{Exit, UsageError};
use crate::ops::endpoint::load_or_create_keys;
use crate::push::keys::Keys;

use super::Context;

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub endpoint: EndpointOpts,
    /// List the checks (ID, level, title) and exit; needs no server
    #[arg(long)]
    pub list: bool,
    /// Run only these checks: IDs or globs, comma-separated or repeated (e.g. "5.2/*")
    #[arg(long, value_name = "ID|GLOB", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Leave out these checks: IDs or globs, comma-separated or repeated
    #[arg(long, value_name = "ID|GLOB", value_delimiter = ',')]
    pub skip: Vec<String>,
    /// SHOULD checks that fail make the run fail (exit 1)
    #[arg(long)]
    pub strict: bool,
    /// Also run the checks that wait minutes (token lifetime, 5-minute retries)
    #[arg(long)]
    pub include_slow: bool,
    /// Seconds to watch for a retry that should wait 5 minutes (after 429 without Retry-After, or 5xx)
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub retry_window: u64,
    /// Seconds the server's tokens live (§6.4 says 600): with --include-slow, 6.4/token-expires waits that long and 10 s more, then expects NO (less than the server's lifetime fails a conforming server)
    #[arg(long, value_name = "SECS", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub token_lifetime: u64,
    /// Report format (--json is --format json)
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Mailbox to append test messages to (default: imapwebpush-check, created and deleted)
    #[arg(long, value_name = "NAME")]
    pub mailbox: Option<String>,
}

pub async fn run(cx: &Context, a: &CheckArgs) -> anyhow::Result<Exit> {
    // The endpoint's options are subscribe's and listen's, but the checks
    // decide how many pushes they wait for (hidden in check's help).
    if a.endpoint.count.is_some() {
        return Err(UsageError::new(
            "--count has no meaning for check: each check waits for the pushes it needs",
            Some("leave --count out; --only ID runs one check alone".to_owned()),
        )
        .into());
    }
    let format = if cx.global.json && a.format == Format::Human {
        Format::Json
    } else {
        a.format
    };
    if a.list {
        let listed: Vec<Listed> = check::select(&a.only, &a.skip)
            .into_iter()
            .map(Listed::from)
            .collect();
        let text = match format {
            Format::Json => serde_json::to_string_pretty(&listed)? + "\n",
            _ => render(cx.out.is_color() && a.output.is_none(), &List(&listed)),
        };
        write_report(cx, a, text.as_bytes())?;
        return Ok(Exit::Success);
    }
    let keys = match &a.endpoint.keys {
        Some(path) => load_or_create_keys(Some(path))?.0,
        None => Keys::generate()?,
    };
    let spec = cx.connect_spec()?;
    let options = Options {
        only: a.only.clone(),
        skip: a.skip.clone(),
        strict: a.strict,
        include_slow: a.include_slow,
        retry_window: Duration::from_secs(a.retry_window),
        token_lifetime: Duration::from_secs(a.token_lifetime),
        mailbox: a.mailbox.clone(),
        endpoint: a.endpoint.spec(),
        timeout: Duration::from_secs(cx.global.timeout),
    };
    if a.endpoint.spec().tls == crate::ops::endpoint::TlsChoice::Plain
        && a.endpoint.public_url.is_none()
    {
        cx.diag.warn(&"the check's endpoint is plain http: a conforming server refuses it (the draft requires https); give --tls-cert/--tls-key, --tls-self-signed, or an https --public-url");
    }
    // A progress line on a terminal (stderr): the check running, then
    // its result, overwritten by the next.
    let terminal = std::io::stderr().is_terminal();
    let diag = cx.diag.clone();
    let mut progress = move |p: Progress<'_>| {
        if !terminal {
            return;
        }
        let line = match p {
            Progress::Started(c) => format!("\r\x1b[K  … {} {}", c.id, c.title),
            Progress::Done(r) => format!("\r\x1b[K  {} {}", r.result, r.id),
        };
        let _ = diag.write_bytes(line.as_bytes());
    };
    let run = check::run(spec, options, keys, &mut progress).await?;
    if terminal {
        let _ = cx.diag.write_bytes(b"\r\x1b[K");
    }
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&run)? + "\n",
        Format::Junit => report::junit(&run),
        Format::Human => {
            let human = Human {
                run: &run,
                verbose: cx.global.verbose,
            };
            render(cx.out.is_color() && a.output.is_none(), &human)
        }
    };
    write_report(cx, a, text.as_bytes())?;
    if run.checks.iter().any(|r| r.result == Outcome::Fail) && format != Format::Human {
        let s = run.summary;
        cx.diag
            .warn(&format_args!("{} of {} checks failed", s.fail, s.total));
    }
    Ok(run.exit())
}

/// Text for people, its styles kept only when `color`.
fn render(color: bool, v: &dyn std::fmt::Display) -> String {
    let mut buf = v.to_string().into_bytes();
    if !color {
        crate::output::strip_styles(&mut buf, 0);
    }
    String::from_utf8_lossy(&buf).into_owned()
}

fn write_report(cx: &Context, a: &CheckArgs, bytes: &[u8]) -> anyhow::Result<()> {
    match &a.output {
        Some(path) => {
            let mut f = std::fs::File::create(path).map_err(|e| {
                anyhow::anyhow!("cannot write the report to {}: {e}", path.display())
            })?;
            f.write_all(bytes)?;
            Ok(())
        }
        None => Ok(cx.out.write_bytes(bytes)?),
    }
}
