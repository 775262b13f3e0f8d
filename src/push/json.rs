//! A push's content as JSON, written fast and byte for byte as
//! `serde_json` writes it: `decode --json` lines and the endpoint's `push`
//! events. The plaintext is escaped once, cut where responses and literals
//! start and end, and RAW lines and literal values are copies of its
//! escaped text (see [`Written`]).

use std::fmt;

use super::content::{same_reason, Address, Envelope, Item, Items, PushResponse, Spans};
use crate::json::{escape, str as json_str, Written};
use crate::rules::Departure;

/// Appends `"plaintext":…,"responses":[…],"warnings":[…]` (no braces).
pub fn write_content(
    out: &mut Vec<u8>,
    plaintext: &str,
    responses: &[PushResponse],
    departures: &[Departure],
    spans: &Spans,
) {
    // The plaintext is cut where responses and literals start and end, so
    // that RAW lines and literal values are copies of its escaped text.
    let mut cuts = Vec::with_capacity(2 * (spans.frames.len() + spans.literals.len()));
    for r in spans.frames.iter().chain(&spans.literals) {
        cuts.extend([r.start, r.end]);
    }
    out.extend_from_slice(b"\"plaintext\":");
    let plain = Written::str(out, plaintext, cuts);
    out.extend_from_slice(b",\"responses\":[");
    // RAW responses come in runs (text that is not IMAP is one per line)
    // with one reason, so a RAW object is left open after its line, and
    // what closes it and opens the next (`","why":…},{"type":"RAW","line":"`,
    // which depends on the closing one's reason alone) is copied from where
    // it was last written for that reason: per line, two copies.
    const OPEN_RAW: &[u8] = b"{\"type\":\"RAW\",\"line\":\"";
    // The reason of the RAW object left open.
    let mut open: Option<&str> = None;
    // The last separator written between two RAW objects, with the reason
    // of the one it closes.
    let mut between: Option<(&str, std::ops::Range<usize>)> = None;
    let close = |out: &mut Vec<u8>, why: &str| {
        out.extend_from_slice(b"\",\"why\":");
        json_str(out, why);
        out.push(b'}');
    };
    for (i, r) in responses.iter().enumerate() {
        let frame = spans.frames.get(i).cloned().unwrap_or_default();
        if let PushResponse::Raw { line, why } = r {
            match open {
                Some(w) => match &between {
                    Some((b, at)) if same_reason(b, w) => out.extend_from_within(at.clone()),
                    _ => {
                        let start = out.len();
                        close(out, w);
                        out.push(b',');
                        out.extend_from_slice(OPEN_RAW);
                        between = Some((w, start..out.len()));
                    }
                },
                None => {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(OPEN_RAW);
                }
            }
            match plain.escaped(line, frame) {
                Some(at) => out.extend_from_within(at),
                None => escape(out, line.as_bytes()),
            }
            open = Some(why);
            continue;
        }
        if let Some(w) = open.take() {
            close(out, w);
        }
        if i > 0 {
            out.push(b',');
        }
        match r {
            PushResponse::UidFetch { uid: n, items } | PushResponse::Fetch { seq: n, items } => {
                let kind = match r {
                    PushResponse::UidFetch { .. } => &b"{\"type\":\"UIDFETCH\",\"uid\":"[..],
                    _ => &b"{\"type\":\"FETCH\",\"seq\":"[..],
                };
                out.extend_from_slice(kind);
                crate::json::uint(out, u64::from(*n));
                out.extend_from_slice(b",\"items\":");
                // The literals of this response, for values that are one.
                let first = spans.literals.partition_point(|l| l.start < frame.start);
                let last = spans.literals.partition_point(|l| l.start < frame.end);
                let literals = Literals {
                    plain: &plain,
                    ranges: &spans.literals[first..last.max(first)],
                };
                json_items(out, items, &literals);
                out.push(b'}');
            }
            // What every new-mail and expunge push carries, written
            // directly (as `serde_json` would: fields in declared order).
            PushResponse::Select { mailbox } => {
                out.extend_from_slice(b"{\"type\":\"SELECT\",\"mailbox\":");
                json_str(out, mailbox);
                out.push(b'}');
            }
            PushResponse::Vanished { earlier, uids } => {
                out.extend_from_slice(b"{\"type\":\"VANISHED\",\"earlier\":");
                out.extend_from_slice(if *earlier { b"true" } else { b"false" });
                out.extend_from_slice(b",\"uids\":");
                json_str(out, uids);
                out.push(b'}');
            }
            PushResponse::Flags { flags } => {
                out.extend_from_slice(b"{\"type\":\"FLAGS\",\"flags\":[");
                for (i, f) in flags.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    json_str(out, f);
                }
                out.extend_from_slice(b"]}");
            }
            r => {
                let _ = serde_json::to_writer(&mut *out, r);
            }
        }
    }
    if let Some(w) = open {
        close(out, w);
    }
    out.extend_from_slice(b"],\"warnings\":[");
    let mut text = String::new();
    for (i, w) in departures.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        text.clear();
        let _ = fmt::Write::write_fmt(&mut text, format_args!("{w}"));
        json_str(out, &text);
    }
    out.push(b']');
}

/// A response's literals in the plaintext written before it.
struct Literals<'a> {
    plain: &'a Written<'a>,
    ranges: &'a [std::ops::Range<usize>],
}

impl Literals<'_> {
    /// Writes `s` as a JSON string, copying it when it is one of the
    /// literals. Any string of the response may have a literal's length
    /// (a quoted BODY value, a subject), so the text is compared first.
    fn str(&self, out: &mut Vec<u8>, s: &str) {
        let copied = s.len() >= 32
            && self.ranges.iter().any(|r| {
                r.len() == s.len()
                    && self.plain.holds(r.clone(), s)
                    && self.plain.again(out, s, r.clone())
            });
        if !copied {
            json_str(out, s);
        }
    }
}

fn json_items(out: &mut Vec<u8>, items: &Items, literals: &Literals<'_>) {
    json_object(out, items.iter(), |out, v| match v {
        Item::Value(v) => json_value(out, v, literals),
        Item::Envelope(e) => json_envelope(out, e),
    });
}

fn json_map(
    out: &mut Vec<u8>,
    m: &serde_json::Map<String, serde_json::Value>,
    literals: &Literals<'_>,
) {
    json_object(out, m.iter(), |out, v| json_value(out, v, literals));
}

/// `{"name":value,…}`, each value written by `value`.
fn json_object<'a, V: 'a>(
    out: &mut Vec<u8>,
    entries: impl Iterator<Item = (&'a String, &'a V)>,
    mut value: impl FnMut(&mut Vec<u8>, &V),
) {
    out.push(b'{');
    for (i, (k, v)) in entries.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_str(out, k);
        out.push(b':');
        value(out, v);
    }
    out.push(b'}');
}

/// An ENVELOPE as `serde_json` writes it (fields in name order).
fn json_envelope(out: &mut Vec<u8>, e: &Envelope) {
    enum Field<'a> {
        Text(&'a Option<String>),
        List(&'a Option<Vec<Address>>),
    }
    let text = |out: &mut Vec<u8>, t: &Option<String>| match t {
        Some(t) => json_str(out, t),
        None => out.extend_from_slice(b"null"),
    };
    let fields = [
        (&b"\"bcc\":"[..], Field::List(&e.bcc)),
        (&b"\"cc\":"[..], Field::List(&e.cc)),
        (&b"\"date\":"[..], Field::Text(&e.date)),
        (&b"\"from\":"[..], Field::List(&e.from)),
        (&b"\"in_reply_to\":"[..], Field::Text(&e.in_reply_to)),
        (&b"\"message_id\":"[..], Field::Text(&e.message_id)),
        (&b"\"reply_to\":"[..], Field::List(&e.reply_to)),
        (&b"\"sender\":"[..], Field::List(&e.sender)),
        (&b"\"subject\":"[..], Field::Text(&e.subject)),
        (&b"\"to\":"[..], Field::List(&e.to)),
    ];
    for (i, (name, field)) in fields.into_iter().enumerate() {
        out.push(if i == 0 { b'{' } else { b',' });
        out.extend_from_slice(name);
        match field {
            Field::Text(t) => text(out, t),
            Field::List(None) => out.extend_from_slice(b"null"),
            Field::List(Some(l)) => {
                out.push(b'[');
                for (i, a) in l.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(b"{\"address\":");
                    text(out, &a.address);
                    out.extend_from_slice(b",\"name\":");
                    text(out, &a.name);
                    out.push(b'}');
                }
                out.push(b']');
            }
        }
    }
    out.push(b'}');
}

fn json_value(out: &mut Vec<u8>, v: &serde_json::Value, literals: &Literals<'_>) {
    use serde_json::Value;
    match v {
        Value::String(s) => literals.str(out, s),
        Value::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                json_value(out, x, literals);
            }
            out.push(b']');
        }
        Value::Object(m) => json_map(out, m, literals),
        v => {
            let _ = serde_json::to_writer(&mut *out, v);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    /// Plaintexts for the writers' byte-for-byte tests against
    /// `serde_json`: IMAP with literals, quoted values and an ENVELOPE,
    /// text that is not IMAP, text that is not UTF-8, nothing, and every
    /// kind of character around the escaper's blocks.
    pub(crate) fn plaintexts() -> Vec<Vec<u8>> {
        let mut plaintexts: Vec<Vec<u8>> = vec![
            b"* SELECT INBOX\r\n* 3 UIDFETCH (UID 3 FLAGS (\\Seen) MODSEQ (7) ENVELOPE (\"Mon, 7 Feb 1994 21:52:25 -0800\" \"a \\\"b\\\" c\" ((\"Fred\" NIL \"f\" \"x.example\")) NIL NIL NIL NIL NIL NIL \"<1@x>\") BINARY[1] ~{12}\r\n\t\"q\\\r\n\x01\x7f\xc3\xa9)\r\n* VANISHED 1:3\r\n* FLAGS (\\Seen $Junk)\r\n* 4 FETCH (UID 9 BODY[] \"x\\\"y\")\r\n* 2 EXISTS\r\n* SYNC\r\n".to_vec(),
            b"not IMAP \"at\" all\\\r\n\x00\x1b[0m\r\nno CRLF".to_vec(),
            // Two reasons in turn: each RAW response says its own.
            b"x\r\n* HELLO\r\ny\r\n* HELLO again\r\nz\r\n".to_vec(),
            // Runs of two reasons in turn: each run's separator says its
            // own reason, not the last one written.
            b"a\r\nb\r\n* HELLO\r\n* HELLO again\r\nc\r\nd\r\n".to_vec(),
            // A literal and other strings of the same length but other
            // text in one response: only the literal is its copy.
            [
                &b"* SELECT INBOX\r\n* 1 UIDFETCH (UID 1 FLAGS (\\Seen $Junk) BINARY[1] {40}\r\n"[..],
                &[b'L'; 40],
                b" BODY[2] \"",
                &[b'Q'; 40],
                b"\" ENVELOPE (NIL \"",
                &[b'S'; 40],
                b"\" ((\"A\" NIL \"a\" \"x\")(\"B\" NIL \"b\" \"y\")) NIL NIL NIL NIL NIL NIL NIL))\r\n",
            ]
            .concat(),
            // Each response written directly, in each of its forms.
            b"* SELECT \"a \\\"b\\\" \\\\ c\"\r\n* VANISHED (EARLIER) 1:3,5\r\n* FLAGS ()\r\n* 3 EXISTS\r\n* 2 EXPUNGE\r\n".to_vec(),
            b"\xff\xfe invalid UTF-8\r\n".to_vec(),
            Vec::new(),
        ];
        plaintexts.extend(
            crate::json::tests::tricky()
                .into_iter()
                .map(String::into_bytes),
        );
        plaintexts
    }
}
