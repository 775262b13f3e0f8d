//! The selected state: what one connection knows of its mailbox (the
//! sequence-number view), the updates it is owed when others change the
//! mailbox, and FETCH, STORE and EXPUNGE (with their UID forms).

use super::message::internal_date;
use super::refusal::{tokens, Refusal};
use super::store::{Enabled, Store};
use super::store::{FlagOp, Mailbox, Message};
use super::syntax::{format_set, literal, SeqSet, Token};

/// The flags this server knows (any keyword is accepted too).
const SYSTEM_FLAGS: [&str; 5] = ["\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"];

/// A selected mailbox as this connection sees it.
#[derive(Debug)]
pub(super) struct Selected {
    pub name: String,
    pub read_only: bool,
    /// (UID, MODSEQ last reported) in sequence-number order.
    view: Vec<(u32, u64)>,
}

impl Selected {
    pub fn open(mb: &Mailbox, read_only: bool) -> Self {
        Self {
            name: mb.name.clone(),
            read_only,
            view: mb.messages.iter().map(|m| (m.uid, m.modseq)).collect(),
        }
    }
}

/// What the mailbox commands need of a connection. The session
/// implements it, so that this module does not depend on the session's
/// (which dispatches to it).
pub(super) trait Ctx {
    fn store(&self) -> &Store;
    fn user(&self) -> &str;
    fn enabled(&self) -> Enabled;
    fn selected(&mut self) -> &mut Option<Selected>;
    /// Queues an untagged line (CRLF added).
    fn line(&mut self, s: impl AsRef<[u8]>);
    /// Queues the tagged OK.
    fn ok(&mut self, tag: &str, text: &str);
}

/// Sends what changed since this connection last looked: expunges (as
/// EXPUNGE, or VANISHED under QRESYNC), flag changes, then EXISTS.
pub(super) fn updates(s: &mut impl Ctx) {
    let Some(name) = s.selected().as_ref().map(|sel| sel.name.clone()) else {
        return;
    };
    let current: Option<Vec<(u32, u64, Vec<String>)>> = s.store().read(s.user(), &name, |mb| {
        mb.messages
            .iter()
            .map(|m| (m.uid, m.modseq, m.flags.clone()))
            .collect()
    });
    let Some(current) = current else {
        *s.selected() = None;
        s.line("* BYE the selected mailbox was deleted");
        return;
    };
    let (qresync, condstore) = (s.enabled().qresync, s.enabled().condstore);
    let mut lines: Vec<String> = Vec::new();
    let Some(sel) = s.selected().as_mut() else {
        return;
    };
    let present = |uid: u32| current.binary_search_by_key(&uid, |c| c.0).ok();
    let gone: Vec<u32> = sel
        .view
        .iter()
        .filter(|v| present(v.0).is_none())
        .map(|v| v.0)
        .collect();
    if !gone.is_empty() {
        if qresync {
            lines.push(format!("* VANISHED {}", format_set(&gone)));
        } else {
            // Highest first, so that each number is right when it is read.
            for i in (0..sel.view.len()).rev() {
                if gone.contains(&sel.view[i].0) {
                    lines.push(format!("* {} EXPUNGE", i + 1));
                }
            }
        }
        sel.view.retain(|v| !gone.contains(&v.0));
    }
    for (i, (uid, known)) in sel.view.iter_mut().enumerate() {
        if let Some(j) = present(*uid) {
            let (_, modseq, flags) = &current[j];
            if modseq > known {
                *known = *modseq;
                let ms = if condstore {
                    format!(" MODSEQ ({modseq})")
                } else {
                    String::new()
                };
                lines.push(format!(
                    "* {} FETCH (UID {uid} FLAGS ({}){ms})",
                    i + 1,
                    flags.join(" ")
                ));
            }
        }
    }
    let last = sel.view.last().map_or(0, |v| v.0);
    let before = sel.view.len();
    sel.view
        .extend(current.iter().filter(|c| c.0 > last).map(|c| (c.0, c.1)));
    if sel.view.len() != before {
        lines.push(format!("* {} EXISTS", sel.view.len()));
    }
    for l in lines {
        s.line(l);
    }
}

/// FETCH, STORE, EXPUNGE and their UID forms.
pub(super) fn command(s: &mut impl Ctx, tag: &str, name: &str, args: &[u8]) -> Result<(), Refusal> {
    let uid_mode = name.starts_with("UID ");
    match name.trim_start_matches("UID ") {
        "FETCH" => fetch(s, tag, name, uid_mode, args),
        "STORE" => store(s, tag, name, uid_mode, args),
        _ => expunge(s, tag, name, uid_mode, args),
    }
}

/// The (sequence number, UID) pairs a set names.
fn resolve(s: &mut impl Ctx, set: &Token, uid_mode: bool) -> Result<Vec<(u32, u32)>, Refusal> {
    let sel = s
        .selected()
        .as_ref()
        .ok_or(Refusal::bad("no mailbox selected"))?;
    let text = set.atom().ok_or(Refusal::bad("expected a sequence set"))?;
    let star = if uid_mode {
        sel.view.last().map_or(0, |v| v.0)
    } else {
        sel.view.len() as u32
    };
    let set = SeqSet::parse(text, star).ok_or(Refusal::bad("bad sequence set"))?;
    if !uid_mode && sel.view.is_empty() {
        return Err(Refusal::bad("the mailbox is empty: no sequence numbers"));
    }
    Ok(sel
        .view
        .iter()
        .enumerate()
        .map(|(i, v)| (i as u32 + 1, v.0))
        .filter(|&(seq, uid)| set.contains(if uid_mode { uid } else { seq }))
        .collect())
}

/// The selected mailbox's name, if it may be changed (SELECT, not EXAMINE).
fn writable(s: &mut impl Ctx) -> Result<String, Refusal> {
    let sel = s
        .selected()
        .as_ref()
        .ok_or(Refusal::bad("no mailbox selected"))?;
    if sel.read_only {
        return Err(Refusal::No(
            "[READ-ONLY] the mailbox was opened with EXAMINE".into(),
        ));
    }
    Ok(sel.name.clone())
}

pub(super) fn flag_list(l: &[Token]) -> Result<Vec<String>, Refusal> {
    l.iter()
        .map(|t| {
            let f = t.atom().ok_or(Refusal::bad("a flag is an atom"))?;
            if let Some(sys) = SYSTEM_FLAGS.iter().find(|s| s.eq_ignore_ascii_case(f)) {
                Ok((*sys).to_owned())
            } else if f.starts_with('\\') {
                Err(Refusal::Bad(format!("unknown system flag {f}")))
            } else {
                Ok(f.to_owned())
            }
        })
        .collect()
}

fn store(
    s: &mut impl Ctx,
    tag: &str,
    name: &str,
    uid_mode: bool,
    args: &[u8],
) -> Result<(), Refusal> {
    let t = tokens(args)?;
    let (set, rest) = t.split_first().ok_or(Refusal::bad("STORE takes a set"))?;
    // RFC 7162 (UNCHANGEDSINCE n) is accepted and not enforced.
    let rest = match rest.first() {
        Some(Token::List(_)) => &rest[1..],
        _ => rest,
    };
    let (item, flags) = rest
        .split_first()
        .ok_or(Refusal::bad("STORE takes an item"))?;
    let item = item
        .atom()
        .ok_or(Refusal::bad("bad STORE item"))?
        .to_ascii_uppercase();
    let silent = item.ends_with(".SILENT");
    let op = match item.trim_end_matches(".SILENT") {
        "FLAGS" => FlagOp::Replace,
        "+FLAGS" => FlagOp::Add,
        "-FLAGS" => FlagOp::Remove,
        _ => return Err(Refusal::Bad(format!("unknown STORE item {item}"))),
    };
    let flags = match flags {
        [Token::List(l)] => flag_list(l)?,
        atoms => flag_list(atoms)?,
    };
    let targets = resolve(s, set, uid_mode)?;
    let mailbox = writable(s)?;
    let uids: Vec<u32> = targets.iter().map(|t| t.1).collect();
    let changed = s.store().store_flags(s.user(), &mailbox, &uids, op, &flags);
    let condstore = s.enabled().condstore;
    let mut lines = Vec::new();
    if let Some(sel) = s.selected().as_mut() {
        for (uid, flags, modseq) in changed {
            let Some(i) = sel.view.iter().position(|v| v.0 == uid) else {
                continue;
            };
            sel.view[i].1 = modseq;
            if !silent || condstore {
                let uid_item = if uid_mode {
                    format!(" UID {uid}")
                } else {
                    String::new()
                };
                let ms = if condstore {
                    format!(" MODSEQ ({modseq})")
                } else {
                    String::new()
                };
                lines.push(format!(
                    "* {} FETCH (FLAGS ({}){uid_item}{ms})",
                    i + 1,
                    flags.join(" ")
                ));
            }
        }
    }
    for l in lines {
        s.line(l);
    }
    s.ok(tag, &format!("{name} completed"));
    Ok(())
}

fn expunge(
    s: &mut impl Ctx,
    tag: &str,
    name: &str,
    uid_mode: bool,
    args: &[u8],
) -> Result<(), Refusal> {
    let only = if uid_mode {
        let t = tokens(args)?;
        let [set] = t.as_slice() else {
            return Err(Refusal::bad("UID EXPUNGE takes a UID set"));
        };
        Some(
            resolve(s, set, true)?
                .into_iter()
                .map(|t| t.1)
                .collect::<Vec<_>>(),
        )
    } else {
        if !args.is_empty() {
            return Err(Refusal::bad("EXPUNGE takes no arguments"));
        }
        None
    };
    let mailbox = writable(s)?;
    s.store().expunge(s.user(), &mailbox, only.as_deref());
    updates(s);
    s.ok(tag, &format!("{name} completed"));
    Ok(())
}

/// A FETCH data item this server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Uid,
    Flags,
    Envelope,
    Size,
    InternalDate,
    ModSeq,
    /// A body part: which, and whether reading it sets \Seen.
    Body(Part, bool),
    Binary(bool),
    BinarySize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Full,
    Header,
    Text,
}

fn items(t: &Token) -> Result<Vec<Item>, Refusal> {
    let names: Vec<String> = match t {
        Token::Atom(a) => vec![a.to_ascii_uppercase()],
        Token::List(l) => l
            .iter()
            .map(|i| {
                i.atom()
                    .map(str::to_ascii_uppercase)
                    .ok_or(Refusal::bad("bad fetch item"))
            })
            .collect::<Result<_, _>>()?,
        Token::Str(_) => return Err(Refusal::bad("bad fetch item")),
    };
    let mut out = Vec::new();
    for n in names {
        let more: &[Item] = match n.as_str() {
            "ALL" | "FULL" => &[Item::Flags, Item::InternalDate, Item::Size, Item::Envelope],
            "FAST" => &[Item::Flags, Item::InternalDate, Item::Size],
            "UID" => &[Item::Uid],
            "FLAGS" => &[Item::Flags],
            "ENVELOPE" => &[Item::Envelope],
            "RFC822.SIZE" => &[Item::Size],
            "INTERNALDATE" => &[Item::InternalDate],
            "MODSEQ" => &[Item::ModSeq],
            "BODY[]" | "RFC822" => &[Item::Body(Part::Full, true)],
            "BODY.PEEK[]" => &[Item::Body(Part::Full, false)],
            "BODY[HEADER]" | "RFC822.HEADER" => &[Item::Body(Part::Header, true)],
            "BODY.PEEK[HEADER]" => &[Item::Body(Part::Header, false)],
            "BODY[TEXT]" | "RFC822.TEXT" => &[Item::Body(Part::Text, true)],
            "BODY.PEEK[TEXT]" => &[Item::Body(Part::Text, false)],
            "BINARY[]" => &[Item::Binary(true)],
            "BINARY.PEEK[]" => &[Item::Binary(false)],
            "BINARY.SIZE[]" => &[Item::BinarySize],
            _ => return Err(Refusal::Bad(format!("unsupported fetch item {n}"))),
        };
        out.extend_from_slice(more);
    }
    Ok(out)
}

fn part(m: &Message, p: Part) -> &[u8] {
    let raw = &m.raw[..];
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
        .unwrap_or(raw.len());
    match p {
        Part::Full => raw,
        Part::Header => &raw[..split],
        Part::Text => &raw[split..],
    }
}

fn fetch(
    s: &mut impl Ctx,
    tag: &str,
    name: &str,
    uid_mode: bool,
    args: &[u8],
) -> Result<(), Refusal> {
    let t = tokens(args)?;
    let (set, wanted, changedsince) = match t.as_slice() {
        [set, wanted] => (set, wanted, None),
        [set, wanted, Token::List(m)] => {
            // RFC 7162 (CHANGEDSINCE n).
            let n = match m.as_slice() {
                [Token::Atom(k), Token::Atom(n)] if k.eq_ignore_ascii_case("CHANGEDSINCE") => n
                    .parse::<u64>()
                    .map_err(|_| Refusal::bad("bad CHANGEDSINCE"))?,
                _ => return Err(Refusal::bad("unknown FETCH modifier")),
            };
            (set, wanted, Some(n))
        }
        _ => return Err(Refusal::bad("FETCH takes a set and items")),
    };
    let mut items = items(wanted)?;
    if uid_mode && !items.contains(&Item::Uid) {
        items.insert(0, Item::Uid);
    }
    if (s.enabled().condstore || changedsince.is_some()) && !items.contains(&Item::ModSeq) {
        items.push(Item::ModSeq);
    }
    let targets = resolve(s, set, uid_mode)?;
    let sel = s
        .selected()
        .as_ref()
        .ok_or(Refusal::bad("no mailbox selected"))?;
    let (mailbox, read_only) = (sel.name.clone(), sel.read_only);
    // Reading a body without PEEK sets \Seen (RFC 9051 §6.4.5).
    let marks = items
        .iter()
        .any(|i| matches!(i, Item::Body(_, true) | Item::Binary(true)));
    let mut seen_now = Vec::new();
    if marks && !read_only {
        let uids: Vec<u32> = targets.iter().map(|t| t.1).collect();
        let user = s.user().to_owned();
        for (uid, _, modseq) in
            s.store()
                .store_flags(&user, &mailbox, &uids, FlagOp::Add, &["\\Seen".to_owned()])
        {
            seen_now.push(uid);
            if let Some(sel) = s.selected().as_mut() {
                if let Some(v) = sel.view.iter_mut().find(|v| v.0 == uid) {
                    v.1 = modseq;
                }
            }
        }
    }
    let messages: Vec<(u32, Message)> = s
        .store()
        .read(s.user(), &mailbox, |mb| {
            targets
                .iter()
                .filter_map(|&(seq, uid)| {
                    let i = mb.messages.binary_search_by_key(&uid, |m| m.uid).ok()?;
                    Some((seq, mb.messages[i].clone()))
                })
                .collect()
        })
        .unwrap_or_default();
    let utf8 = s.enabled().utf8;
    for (seq, m) in messages {
        if changedsince.is_some_and(|c| m.modseq <= c) {
            continue;
        }
        let mut out = format!("* {seq} FETCH (").into_bytes();
        let mut first = true;
        let mut items = items.clone();
        if seen_now.contains(&m.uid) && !items.contains(&Item::Flags) {
            items.push(Item::Flags);
        }
        for item in &items {
            if !first {
                out.push(b' ');
            }
            first = false;
            match item {
                Item::Uid => out.extend_from_slice(format!("UID {}", m.uid).as_bytes()),
                Item::Flags => {
                    out.extend_from_slice(format!("FLAGS ({})", m.flags.join(" ")).as_bytes())
                }
                Item::Envelope => {
                    out.extend_from_slice(b"ENVELOPE ");
                    out.extend_from_slice(&m.envelope.render(utf8));
                }
                Item::Size => {
                    out.extend_from_slice(format!("RFC822.SIZE {}", m.raw.len()).as_bytes())
                }
                Item::InternalDate => out.extend_from_slice(
                    format!("INTERNALDATE {}", internal_date(m.internal_date)).as_bytes(),
                ),
                Item::ModSeq => out.extend_from_slice(format!("MODSEQ ({})", m.modseq).as_bytes()),
                Item::Body(p, _) => {
                    let label = match p {
                        Part::Full => "BODY[] ",
                        Part::Header => "BODY[HEADER] ",
                        Part::Text => "BODY[TEXT] ",
                    };
                    out.extend_from_slice(label.as_bytes());
                    out.extend_from_slice(&literal(part(&m, *p)));
                }
                Item::Binary(_) => {
                    out.extend_from_slice(b"BINARY[] ");
                    out.extend_from_slice(&literal(&m.raw));
                }
                Item::BinarySize => {
                    out.extend_from_slice(format!("BINARY.SIZE[] {}", m.raw.len()).as_bytes())
                }
            }
        }
        out.push(b')');
        s.line(out);
    }
    s.ok(tag, &format!("{name} completed"));
    Ok(())
}
