//! Tab completion: command names, option names (both from the clap
//! definition), subscription IDs seen in this session (WEBPUSH and
//! LWEBPUSH responses) and mailbox names (LIST responses). What was seen is
//! kept in [`Known`], shared between the engine, which learns, and the line
//! editor, which completes; the lock is held only to copy.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

/// Bounds what a server can make the REPL remember.
const MAX_KNOWN: usize = 4096;

/// Names learnt from the server during this session.
#[derive(Debug, Default)]
pub struct Known {
    pub ids: BTreeSet<String>,
    pub mailboxes: BTreeSet<String>,
}

/// [`Known`], shared.
pub type Shared = Arc<Mutex<Known>>;

impl Known {
    pub fn add_id(&mut self, id: &str) {
        if self.ids.len() < MAX_KNOWN {
            self.ids.insert(id.to_owned());
        }
    }

    pub fn add_mailbox(&mut self, name: &str) {
        if self.mailboxes.len() < MAX_KNOWN {
            self.mailboxes.insert(name.to_owned());
        }
    }
}

/// What a positional argument of a command is, for completion.
fn positional_kind(command: &str, index: usize) -> Option<Kind> {
    match (command, index) {
        ("webpush" | "silwebpush" | "lwebpush", 0) => Some(Kind::Id),
        ("select" | "examine", 0) => Some(Kind::Mailbox),
        ("trace" | "autoack", 0) => Some(Kind::Switch),
        ("silwebpush", 1) => Some(Kind::Duration),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Id,
    Mailbox,
    Switch,
    Duration,
}

/// Completes the word that ends at the end of `before` (the line up to the
/// cursor): returns where that word starts and the candidates, sorted.
pub fn complete(before: &str, known: &Known, def: &clap::Command) -> (usize, Vec<String>) {
    let start = before.rfind(char::is_whitespace).map_or(0, |i| {
        i + before[i..].chars().next().map_or(1, char::len_utf8)
    });
    let word = &before[start..];
    let previous: Vec<&str> = before[..start].split_whitespace().collect();
    let mut out: Vec<String> = match previous.first() {
        None => commands(def),
        // clap adds `help` when it builds the parser; it takes a command.
        Some(&"help") if previous.len() == 1 => commands(def),
        Some(&name) => {
            let Some(sub) = def.find_subcommand(name) else {
                return (start, vec![]);
            };
            let name = sub.get_name();
            if word.starts_with('-') {
                options(sub)
            } else {
                // Walk the words typed so far: options that take a value
                // consume the next word; the rest are positionals.
                let mut index = 0;
                let mut value_of: Option<&str> = None;
                for w in &previous[1..] {
                    if value_of.take().is_some() {
                        continue;
                    }
                    if let Some(long) = w.strip_prefix("--") {
                        if takes_value(sub, long) {
                            value_of = Some(long);
                        }
                    } else if !w.starts_with('-') {
                        index += 1;
                    }
                }
                match value_of {
                    Some("mailbox") => known.mailboxes.iter().cloned().collect(),
                    Some("id") => known.ids.iter().cloned().collect(),
                    Some(_) => vec![],
                    None => match positional_kind(name, index) {
                        Some(Kind::Id) => known.ids.iter().cloned().collect(),
                        Some(Kind::Mailbox) => known.mailboxes.iter().cloned().collect(),
                        Some(Kind::Switch) => vec!["on".into(), "off".into()],
                        Some(Kind::Duration) => vec!["session".into()],
                        None => vec![],
                    },
                }
            }
        }
    };
    out.retain(|c| c.starts_with(word));
    out.sort();
    out.dedup();
    (start, out)
}

fn commands(def: &clap::Command) -> Vec<String> {
    let mut names: Vec<String> = def
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    names.push("help".into());
    names
}

fn takes_value(sub: &clap::Command, long: &str) -> bool {
    sub.get_arguments()
        .find(|a| a.get_long() == Some(long))
        .is_some_and(|a| a.get_action().takes_values())
}

fn options(sub: &clap::Command) -> Vec<String> {
    sub.get_arguments()
        .filter(|a| !a.is_hide_set())
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .chain(["--help".to_owned()])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known {
        let mut k = Known::default();
        k.add_id("a8282bf9-1");
        k.add_id("b0000000-2");
        k.add_mailbox("INBOX");
        k.add_mailbox("Archive");
        k
    }

    fn c(before: &str) -> (usize, Vec<String>) {
        complete(before, &known(), &super::super::command::definition())
    }

    #[test]
    fn command_names_options_ids_and_mailboxes() {
        assert_eq!(c("lw"), (0, vec!["lwebpush".to_owned()]));
        assert_eq!(
            c("sil"),
            (0, vec!["silwebpush".to_owned()]),
            "unique prefix"
        );
        assert!(c("").1.contains(&"help".to_owned()));
        assert_eq!(c("webpush x --de"), (10, vec!["--delete".to_owned()]));
        assert_eq!(c("silwebpush a8"), (11, vec!["a8282bf9-1".to_owned()]));
        assert_eq!(
            c("silwebpush a8282bf9-1 s"),
            (22, vec!["session".to_owned()])
        );
        assert_eq!(c("webpush --raw b"), (14, vec!["b0000000-2".to_owned()]));
        assert_eq!(c("select A"), (7, vec!["Archive".to_owned()]));
        assert_eq!(c("append --mailbox I"), (17, vec!["INBOX".to_owned()]));
        assert_eq!(c("trace o").1, ["off", "on"]);
        assert_eq!(c("help ack"), (5, vec!["ackwebpush".to_owned()]));
        assert_eq!(c("nosuch x").1, Vec::<String>::new());
        // The positional after the ID is not an ID.
        assert!(c("webpush a8282bf9-1 ").1.is_empty());
    }
}
