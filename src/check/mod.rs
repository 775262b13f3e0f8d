//! `check`: the conformance suite. A catalogue of checks as data
//! ([`catalogue::CATALOGUE`]), each with a stable ID (`<section>/<slug>`),
//! the draft section, a [`Level`], a title, the requirement it tests as the
//! draft (or an RFC) words it, and its code. The [`runner`] opens the
//! sessions and the push endpoint, runs the selected checks one by one
//! (each creating and removing what it needs), and collects [`CheckResult`]s
//! with the transcript that proves each; [`report`] renders them for
//! people, as JSON, or as JUnit XML.

pub mod catalogue;
mod checks;
mod ctx;
pub mod report;
pub mod runner;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use serde::Serialize;

pub use crate::rules::Level;
pub use ctx::{Ctx, Problem};
pub use runner::{run, Options, Run, RunError};

/// A check's code: borrows the context for the time it runs.
pub type CheckFn = for<'a> fn(&'a mut Ctx) -> Pin<Box<dyn Future<Output = Verdict> + Send + 'a>>;

/// What a check's code returns: pass, or why not.
pub type Verdict = Result<(), Problem>;

/// One entry of the catalogue.
#[derive(Clone, Copy)]
pub struct Check {
    /// Stable: `<section>/<slug>`.
    pub id: &'static str,
    /// The draft section (or `RFC NNNN §x`) the requirement comes from.
    pub section: &'static str,
    pub level: Level,
    /// One line: what is checked.
    pub title: &'static str,
    /// The requirement, quoted from the draft or the RFC.
    pub requirement: &'static str,
    /// Waits minutes: runs only with `--include-slow`.
    pub slow: bool,
    /// Waits a window (`--retry-window`) for something not to happen: may
    /// run beside the other such checks, each on its own endpoint.
    pub windowed: bool,
    /// Writes messages to the check mailbox.
    pub mailbox: bool,
    pub run: CheckFn,
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Check").field("id", &self.id).finish()
    }
}

impl Check {
    /// The time a check may take before it fails for want of an answer.
    pub fn deadline(&self, o: &Options) -> Duration {
        let base = o.timeout.max(Duration::from_secs(10)) * 2;
        if self.id == "6.4/token-expires" {
            // It waits the token lifetime (and 10 s).
            base + Duration::from_secs(11 * 60).max(o.token_lifetime + Duration::from_secs(70))
        } else if self.slow {
            base + Duration::from_secs(11 * 60)
        } else if self.windowed {
            base + o.retry_window
        } else {
            base
        }
    }
}

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    /// A SHOULD (or MAY) not followed; a failure only with `--strict`.
    Warn,
    /// Not run, with the reason.
    Skip,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Warn => "warn",
            Self::Skip => "skip",
        })
    }
}

/// The result of one check, with its evidence.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub id: &'static str,
    pub section: &'static str,
    pub level: Level,
    pub title: &'static str,
    #[serde(skip)]
    pub requirement: &'static str,
    pub result: Outcome,
    pub duration_ms: u64,
    /// Why it was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub expected: Option<String>,
    pub actual: Option<String>,
    /// `C:`, `S:`, `HTTP` and `Push:` lines.
    pub transcript: Vec<String>,
}

impl CheckResult {
    /// A result for a check that did not run.
    pub fn skipped(c: &Check, reason: impl Into<String>) -> Self {
        Self {
            id: c.id,
            section: c.section,
            level: c.level,
            title: c.title,
            requirement: c.requirement,
            result: Outcome::Skip,
            duration_ms: 0,
            reason: Some(reason.into()),
            expected: None,
            actual: None,
            transcript: Vec::new(),
        }
    }
}

/// Whether `id` matches one of `patterns` (`*` matches any run of
/// characters, `?` one; a pattern without wildcards is an exact ID or a
/// section prefix such as `5.2`).
pub fn matches_any(id: &str, patterns: &[String]) -> bool {
    patterns
        .iter()
        .any(|p| glob(p.as_bytes(), id.as_bytes()) || id.starts_with(&format!("{p}/")))
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    // Iterative matching with one backtrack point: linear in practice, no
    // recursion on user input.
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// The checks `--only` and `--skip` select, in catalogue order.
pub fn select(only: &[String], skip: &[String]) -> Vec<&'static Check> {
    catalogue::CATALOGUE
        .iter()
        .filter(|c| only.is_empty() || matches_any(c.id, only))
        .filter(|c| !matches_any(c.id, skip))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_select_by_section_and_slug() {
        let p = |s: &str| vec![s.to_owned()];
        assert!(matches_any("5.2/delete", &p("5.2/*")));
        assert!(matches_any("5.2/delete", &p("5.2")));
        assert!(matches_any("5.2/delete", &p("*/delete")));
        assert!(matches_any("5.2/delete", &p("5.?/del*")));
        assert!(!matches_any("5.2/delete", &p("5.3/*")));
        assert!(!matches_any("5.2/delete-unknown-ok", &p("5.2/delete")));
        assert!(matches_any("7.4/x", &p("*")));
    }

    #[test]
    fn catalogue_ids_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for c in catalogue::CATALOGUE {
            assert!(seen.insert(c.id), "duplicate {}", c.id);
            let (section, slug) = c.id.split_once('/').expect("section/slug");
            assert_eq!(section, c.section, "{}", c.id);
            assert!(
                !slug.is_empty()
                    && slug
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                c.id
            );
            assert!(!c.requirement.is_empty() && !c.title.is_empty(), "{}", c.id);
        }
    }
}
