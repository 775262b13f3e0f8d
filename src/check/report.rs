//! The reports: for people (grouped by section, a summary line), one JSON
//! document, or JUnit XML (one `testsuite` per section, one `testcase` per
//! check named by its ID; a warn is not a failure). The XML is written
//! here, every text escaped.

use std::fmt::{self, Write as _};

use colored::Colorize;
use serde::Serialize;

use super::runner::Run;
use super::{Check, CheckResult, Level, Outcome};

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Junit,
}

/// The draft's section titles, for the human report's headings.
fn section_title(section: &str) -> &'static str {
    match section {
        "4" => "CAPABILITY",
        "5.1" => "GETVAPID",
        "5.2" => "WEBPUSH",
        "5.3" => "ACKWEBPUSH",
        "5.4" => "LWEBPUSH",
        "5.5" => "SILWEBPUSH",
        "6.1" => "VAPID response",
        "6.4" => "ACKWEBPUSH response",
        "7" => "Push notifications: VAPID (RFC 8292)",
        "7.1" => "Push content",
        "7.2" => "WebPush headers",
        "7.4" => "Push server response",
        _ => "",
    }
}

fn mark(o: Outcome) -> String {
    match o {
        Outcome::Pass => "✓ pass".green().bold().to_string(),
        Outcome::Fail => "✗ FAIL".red().bold().to_string(),
        Outcome::Warn => "! warn".yellow().bold().to_string(),
        Outcome::Skip => "- skip".dimmed().to_string(),
    }
}

/// One result, as the human report shows it (also the progress line).
pub struct Line<'a>(pub &'a CheckResult);

impl fmt::Display for Line<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.0;
        write!(
            f,
            "  {} {} {} [{}] {}",
            mark(r.result),
            r.id.bold(),
            r.title,
            r.level,
            format!("{} ms", r.duration_ms).dimmed()
        )?;
        if let Some(why) = &r.reason {
            write!(f, "\n      {}", why.dimmed())?;
        }
        if matches!(r.result, Outcome::Fail | Outcome::Warn) {
            writeln!(f)?;
            writeln!(f, "      {} {}", "Requirement:".bold(), r.requirement)?;
            if let Some(e) = &r.expected {
                writeln!(f, "      {} {e}", "Expected:".green().bold())?;
            }
            if let Some(a) = &r.actual {
                writeln!(f, "      {}   {a}", "Actual:".red().bold())?;
            }
            for l in &r.transcript {
                writeln!(f, "        {}", l.dimmed())?;
            }
            return Ok(());
        }
        writeln!(f)
    }
}

/// The human report.
pub struct Human<'a> {
    pub run: &'a Run,
    /// Show the transcript of passing checks too (`-v`).
    pub verbose: bool,
}

impl fmt::Display for Human<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let run = self.run;
        writeln!(
            f,
            "{} {} ({})",
            "imapwebpush check:".bold(),
            run.server,
            run.started_at
        )?;
        let mut section = "";
        for r in &run.checks {
            if r.section != section {
                section = r.section;
                writeln!(
                    f,
                    "\n{}",
                    format!("§{section} {}", section_title(section)).bold()
                )?;
            }
            write!(f, "{}", Line(r))?;
            if self.verbose && r.result == Outcome::Pass {
                for l in &r.transcript {
                    writeln!(f, "        {}", l.dimmed())?;
                }
            }
        }
        writeln!(f)?;
        if let Some(why) = &run.aborted {
            writeln!(f, "{} {why}", "stopped:".red().bold())?;
        }
        let s = run.summary;
        let line = format!(
            "{} checks: {} passed, {} failed, {} warnings, {} skipped in {:.1} s",
            s.total,
            s.pass,
            s.fail,
            s.warn,
            s.skip,
            run.duration_ms as f64 / 1000.0
        );
        let line = if s.fail > 0 || run.aborted.is_some() {
            line.red().bold()
        } else if s.warn > 0 {
            line.yellow().bold()
        } else {
            line.green().bold()
        };
        writeln!(f, "{line}")?;
        if s.warn > 0 && !run.strict {
            writeln!(
                f,
                "{}",
                "warnings are SHOULDs not followed; --strict makes them fail the run".dimmed()
            )?;
        }
        Ok(())
    }
}

/// Escapes text for XML content and attribute values; characters XML 1.0
/// cannot carry are replaced.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The JUnit report: one `testsuite` per section, one `testcase` per check.
pub fn junit(run: &Run) -> String {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let s = run.summary;
    let _ = writeln!(
        x,
        "<testsuites name=\"imapwebpush check\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{:.3}\" timestamp=\"{}\">",
        s.total,
        run.checks
            .iter()
            .filter(|r| counts_as_failure(run, r))
            .count(),
        s.skip,
        run.duration_ms as f64 / 1000.0,
        xml_escape(&run.started_at)
    );
    let mut sections: Vec<&str> = Vec::new();
    for r in &run.checks {
        if !sections.contains(&r.section) {
            sections.push(r.section);
        }
    }
    for section in sections {
        let cases: Vec<&CheckResult> = run.checks.iter().filter(|r| r.section == section).collect();
        let failures = cases.iter().filter(|r| counts_as_failure(run, r)).count();
        let skipped = cases.iter().filter(|r| r.result == Outcome::Skip).count();
        let time: u64 = cases.iter().map(|r| r.duration_ms).sum();
        let _ = writeln!(
            x,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{skipped}\" time=\"{:.3}\">",
            xml_escape(&format!("§{section} {}", section_title(section))),
            cases.len(),
            failures,
            time as f64 / 1000.0
        );
        for r in cases {
            let _ = write!(
                x,
                "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\">",
                xml_escape(r.id),
                xml_escape(&format!("imapwebpush.check.{}", r.section)),
                r.duration_ms as f64 / 1000.0
            );
            let detail = || {
                format!(
                    "{}\nRequirement: {}\nExpected: {}\nActual: {}\n\n{}",
                    r.title,
                    r.requirement,
                    r.expected.as_deref().unwrap_or("-"),
                    r.actual.as_deref().unwrap_or("-"),
                    r.transcript.join("\n")
                )
            };
            match r.result {
                Outcome::Skip => {
                    let _ = write!(
                        x,
                        "<skipped message=\"{}\"/>",
                        xml_escape(r.reason.as_deref().unwrap_or(""))
                    );
                }
                _ if counts_as_failure(run, r) => {
                    let _ = write!(
                        x,
                        "<failure type=\"{}\" message=\"{}\">{}</failure>",
                        r.level,
                        xml_escape(&format!(
                            "Expected: {} / Actual: {}",
                            r.expected.as_deref().unwrap_or("-"),
                            r.actual.as_deref().unwrap_or("-")
                        )),
                        xml_escape(&detail())
                    );
                }
                Outcome::Warn => {
                    let _ = write!(
                        x,
                        "<system-out>{}</system-out>",
                        xml_escape(&format!("warning ({} not followed)\n{}", r.level, detail()))
                    );
                }
                _ => {}
            }
            x.push_str("</testcase>\n");
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    x
}

fn counts_as_failure(run: &Run, r: &CheckResult) -> bool {
    r.result == Outcome::Fail
        || (run.strict && r.result == Outcome::Warn && r.level == Level::Should)
}

/// One catalogue entry, for `--list`.
#[derive(Debug, Serialize)]
pub struct Listed {
    pub id: &'static str,
    pub section: &'static str,
    pub level: Level,
    pub title: &'static str,
    pub requirement: &'static str,
    pub slow: bool,
}

impl From<&Check> for Listed {
    fn from(c: &Check) -> Self {
        Self {
            id: c.id,
            section: c.section,
            level: c.level,
            title: c.title,
            requirement: c.requirement,
            slow: c.slow,
        }
    }
}

/// `--list` for people.
pub struct List<'a>(pub &'a [Listed]);

impl fmt::Display for List<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self.0.iter().map(|c| c.id.len()).max().unwrap_or(0);
        for c in self.0 {
            let level = match c.level {
                Level::Must => c.level.to_string().red().bold(),
                Level::Should => c.level.to_string().yellow().bold(),
                Level::May => c.level.to_string().normal(),
            };
            writeln!(
                f,
                "{:<width$}  {:<6}  {}{}",
                c.id,
                level,
                c.title,
                if c.slow { " (slow)" } else { "" }
            )?;
        }
        let count = |l| self.0.iter().filter(|c| c.level == l).count();
        writeln!(
            f,
            "{} checks: {} MUST, {} SHOULD, {} MAY",
            self.0.len(),
            count(Level::Must),
            count(Level::Should),
            count(Level::May)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_covers_markup_and_control_characters() {
        assert_eq!(
            xml_escape("a<b>&\"'\u{1b}\n"),
            "a&lt;b&gt;&amp;&quot;&apos;\u{fffd}\n"
        );
    }
}
