//! The server's side of the IMAP grammar (RFC 9051 §9): command arguments
//! as tokens, sequence sets, string output (quoted or literal) and the
//! modified UTF-7 of mailbox names (RFC 3501 §5.1.3). Sans-I/O.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine as _;

/// One argument of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// An atom, including NIL, sequence sets and fetch items such as
    /// `BODY.PEEK[]` (brackets may hold spaces).
    Atom(String),
    /// A quoted string or a literal.
    Str(Vec<u8>),
    List(Vec<Token>),
}

impl Token {
    /// The text of an atom or string (astring), if it is one and is UTF-8.
    pub fn astring(&self) -> Option<String> {
        match self {
            Self::Atom(a) => Some(a.clone()),
            Self::Str(s) => String::from_utf8(s.clone()).ok(),
            Self::List(_) => None,
        }
    }

    pub fn atom(&self) -> Option<&str> {
        match self {
            Self::Atom(a) => Some(a),
            _ => None,
        }
    }
}

/// How deeply parenthesized lists may nest in a command. The deepest list
/// a command of RFC 9051 needs is a FETCH section's header list inside the
/// item list (two levels); the parser recurses once per level, so a
/// client may not choose the depth.
pub const MAX_NESTING: usize = 16;

/// Splits the arguments of a command (the bytes after the command name,
/// literals inline as `{n}\r\n<n bytes>`, no final CRLF) into tokens.
/// Lists nested deeper than [`MAX_NESTING`] are refused.
pub fn tokens(b: &[u8]) -> Result<Vec<Token>, String> {
    let mut p = Parser { b, pos: 0 };
    let out = p.list_items(0)?;
    if p.pos < b.len() {
        return Err(format!("unexpected {:?}", b[p.pos] as char));
    }
    Ok(out)
}

struct Parser<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    /// The items of a list `depth` levels deep (0: the top level).
    fn list_items(&mut self, depth: usize) -> Result<Vec<Token>, String> {
        if depth > MAX_NESTING {
            return Err(format!("lists nested deeper than {MAX_NESTING} levels"));
        }
        let nested = depth > 0;
        let mut out = Vec::new();
        loop {
            while self.b.get(self.pos) == Some(&b' ') {
                self.pos += 1;
            }
            match self.b.get(self.pos) {
                None if nested => return Err("unclosed parenthesis".into()),
                None => return Ok(out),
                Some(b')') if nested => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b')') => return Err("unbalanced parenthesis".into()),
                Some(b'(') => {
                    self.pos += 1;
                    out.push(Token::List(self.list_items(depth + 1)?));
                }
                Some(b'"') => out.push(Token::Str(self.quoted()?)),
                Some(b'{') => out.push(Token::Str(self.literal()?)),
                Some(b'~') if self.b.get(self.pos + 1) == Some(&b'{') => {
                    self.pos += 1;
                    out.push(Token::Str(self.literal()?));
                }
                Some(_) => out.push(Token::Atom(self.atom()?)),
            }
        }
    }

    fn quoted(&mut self) -> Result<Vec<u8>, String> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            match self.b.get(self.pos) {
                None => return Err("unterminated quoted string".into()),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => match self.b.get(self.pos + 1) {
                    Some(&c @ (b'"' | b'\\')) => {
                        out.push(c);
                        self.pos += 2;
                    }
                    _ => return Err("a quoted string may escape only \" and \\".into()),
                },
                Some(b'\r' | b'\n') => return Err("CR or LF in a quoted string".into()),
                Some(&c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn literal(&mut self) -> Result<Vec<u8>, String> {
        let close = self.b[self.pos..]
            .iter()
            .position(|&c| c == b'}')
            .ok_or("unclosed literal size")?
            + self.pos;
        let digits = std::str::from_utf8(&self.b[self.pos + 1..close])
            .map_err(|_| "bad literal size")?
            .trim_end_matches('+');
        let n: usize = digits.parse().map_err(|_| "bad literal size")?;
        let start = close + 1;
        if self.b.get(start..start + 2) != Some(b"\r\n") {
            return Err("no CRLF after a literal size".into());
        }
        let data = self
            .b
            .get(start + 2..start + 2 + n)
            .ok_or("literal shorter than announced")?;
        self.pos = start + 2 + n;
        Ok(data.to_vec())
    }

    fn atom(&mut self) -> Result<String, String> {
        let start = self.pos;
        let mut depth = 0u32;
        while let Some(&c) = self.b.get(self.pos) {
            match c {
                b'[' => depth += 1,
                b']' if depth > 0 => depth -= 1,
                b' ' | b'(' | b')' if depth == 0 => break,
                b'\r' | b'\n' => return Err("CR or LF inside an argument".into()),
                0x80.. | 0..=0x1f | 0x7f => return Err("a control or 8-bit byte in an atom".into()),
                b'"' | b'{' if depth == 0 => return Err("a quote or brace inside an atom".into()),
                _ => {}
            }
            self.pos += 1;
        }
        if depth > 0 {
            return Err("unclosed bracket".into());
        }
        Ok(String::from_utf8_lossy(&self.b[start..self.pos]).into_owned())
    }
}

/// RFC 9051 §6.3.9 LIST wildcards: `*` matches any run of characters, `%`
/// any run without the hierarchy `delimiter`. The pattern runs as an
/// automaton over the set of pattern positions reachable so far:
/// O(pattern × name) time and O(pattern) memory whatever the wildcards, where
/// backtracking is exponential in their number.
pub fn list_match(pattern: &[u8], name: &[u8], delimiter: u8) -> bool {
    let m = pattern.len();
    let wild = |i: usize| matches!(pattern[i], b'*' | b'%');
    // A wildcard may match nothing: whoever reaches it also reaches the
    // position after it.
    let close = |states: &mut [bool]| {
        for i in 0..m {
            if states[i] && wild(i) {
                states[i + 1] = true;
            }
        }
    };
    let mut cur = vec![false; m + 1];
    let mut next = vec![false; m + 1];
    cur[0] = true;
    close(&mut cur);
    for &c in name {
        next.fill(false);
        for i in (0..m).filter(|&i| cur[i]) {
            match pattern[i] {
                b'*' => next[i] = true,
                b'%' if c != delimiter => next[i] = true,
                b'%' => {}
                p if p == c => next[i + 1] = true,
                _ => {}
            }
        }
        close(&mut next);
        if !next.contains(&true) {
            return false;
        }
        std::mem::swap(&mut cur, &mut next);
    }
    cur[m]
}

/// A sequence set (`1:3,5,7:*`), as inclusive ranges; `*` is `star`
/// (the largest number in use).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeqSet(Vec<(u32, u32)>);

impl SeqSet {
    pub fn parse(s: &str, star: u32) -> Option<Self> {
        let num = |p: &str| -> Option<u32> {
            if p == "*" {
                Some(star)
            } else {
                crate::webpush::types::parse_number(p).filter(|&n| n > 0)
            }
        };
        let mut ranges = Vec::new();
        for part in s.split(',') {
            let (a, b) = match part.split_once(':') {
                Some((a, b)) => (num(a)?, num(b)?),
                None => (num(part)?, num(part)?),
            };
            ranges.push((a.min(b), a.max(b)));
        }
        Some(Self(ranges))
    }

    pub fn contains(&self, n: u32) -> bool {
        self.0.iter().any(|&(a, b)| a <= n && n <= b)
    }
}

/// Writes UIDs as a compact sequence set (`1:3,5`); `uids` sorted.
pub fn format_set(uids: &[u32]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < uids.len() {
        let start = uids[i];
        let mut end = start;
        while i + 1 < uids.len() && uids[i + 1] == end + 1 {
            i += 1;
            end = uids[i];
        }
        if !out.is_empty() {
            out.push(',');
        }
        if start == end {
            out.push_str(&start.to_string());
        } else {
            out.push_str(&format!("{start}:{end}"));
        }
        i += 1;
    }
    out
}

/// An IMAP string: quoted when it can be, else a literal (`~{n}` when it
/// holds NUL, RFC 3516). `utf8` allows 8-bit text in quotes (RFC 6855).
pub fn string(s: &[u8], utf8: bool) -> Vec<u8> {
    let quotable = s.len() < 1024
        && s.iter().all(|&c| {
            c != b'\r' && c != b'\n' && c != 0 && (c < 0x80 || utf8) && (c >= 0x20 || c == b'\t')
        })
        && (!utf8 || std::str::from_utf8(s).is_ok());
    if quotable {
        let mut out = Vec::with_capacity(s.len() + 2);
        out.push(b'"');
        for &c in s {
            if c == b'"' || c == b'\\' {
                out.push(b'\\');
            }
            out.push(c);
        }
        out.push(b'"');
        out
    } else {
        literal(s)
    }
}

/// `{n}\r\n…`, or `~{n}\r\n…` for data with NUL bytes.
pub fn literal(s: &[u8]) -> Vec<u8> {
    let tilde = if s.contains(&0) { "~" } else { "" };
    let mut out = format!("{tilde}{{{}}}\r\n", s.len()).into_bytes();
    out.extend_from_slice(s);
    out
}

/// `string` or NIL.
pub fn nstring(s: Option<&[u8]>, utf8: bool) -> Vec<u8> {
    match s {
        Some(s) => string(s, utf8),
        None => b"NIL".to_vec(),
    }
}

/// A mailbox name for output: UTF-8 when the client enabled it (RFC 9051
/// §5.1, RFC 6855), else modified UTF-7; quoted when not an atom.
pub fn mailbox(name: &str, utf8: bool) -> String {
    let wire = if utf8 {
        name.to_owned()
    } else {
        utf7_encode(name)
    };
    // `[` is an atom character, but a name written with one would read
    // back as the start of a FETCH section: such names are quoted.
    if !wire.is_empty()
        && wire
            .bytes()
            .all(|c| crate::webpush::types::is_atom_char(c) && !matches!(c, b'%' | b'*' | b'['))
    {
        wire
    } else {
        String::from_utf8_lossy(&string(wire.as_bytes(), utf8)).into_owned()
    }
}

/// RFC 3501 §5.1.3 modified UTF-7.
pub fn utf7_encode(s: &str) -> String {
    let mut out = String::new();
    let mut pending: Vec<u16> = Vec::new();
    let flush = |pending: &mut Vec<u16>, out: &mut String| {
        if pending.is_empty() {
            return;
        }
        let bytes: Vec<u8> = pending.iter().flat_map(|u| u.to_be_bytes()).collect();
        out.push('&');
        out.push_str(&STANDARD_NO_PAD.encode(bytes).replace('/', ","));
        out.push('-');
        pending.clear();
    };
    for c in s.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut pending, &mut out);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut buf = [0u16; 2];
            pending.extend_from_slice(c.encode_utf16(&mut buf));
        }
    }
    flush(&mut pending, &mut out);
    out
}

/// The inverse of [`utf7_encode`]; `None` when `s` is not valid mUTF-7.
pub fn utf7_decode(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find('-')?;
        let b64 = &after[..end];
        if b64.is_empty() {
            out.push('&');
        } else {
            let bytes = STANDARD_NO_PAD.decode(b64.replace(',', "/")).ok()?;
            if bytes.len() % 2 != 0 {
                return None;
            }
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|p| u16::from_be_bytes([p[0], p[1]]))
                .collect();
            out.push_str(&String::from_utf16(&units).ok()?);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_cover_lists_strings_literals_and_sections() {
        let t =
            tokens(b"1:* (FLAGS BODY.PEEK[HEADER.FIELDS (Subject)]) \"a \\\"b\" {3}\r\nx y NIL")
                .unwrap();
        assert_eq!(
            t,
            vec![
                Token::Atom("1:*".into()),
                Token::List(vec![
                    Token::Atom("FLAGS".into()),
                    Token::Atom("BODY.PEEK[HEADER.FIELDS (Subject)]".into())
                ]),
                Token::Str(b"a \"b".to_vec()),
                Token::Str(b"x y".to_vec()),
                Token::Atom("NIL".into()),
            ]
        );
        assert!(tokens(b"(a").is_err());
        assert!(tokens(b"\"abc").is_err());
        assert!(tokens(b"{9}\r\nab").is_err());
    }

    #[test]
    fn nesting_is_bounded_before_it_costs_stack() {
        // Ten thousand open parentheses used to overflow the stack.
        let deep = format!("a {}", "(".repeat(10_000));
        let e = tokens(deep.as_bytes()).unwrap_err();
        assert!(e.contains("nested deeper"), "{e}");
        let balanced = format!("{}{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(tokens(balanced.as_bytes()).is_err());
        let ok = format!("{}x{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert!(tokens(ok.as_bytes()).is_ok());
        let over = format!("({ok})");
        assert!(tokens(over.as_bytes()).is_err());
    }

    /// The backtracking definition, for comparison on small inputs.
    fn list_match_slow(p: &[u8], s: &[u8]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some((b'*', rest)) => (0..=s.len()).any(|i| list_match_slow(rest, &s[i..])),
            Some((b'%', rest)) => (0..=s.len())
                .take_while(|&i| i == 0 || s[i - 1] != b'/')
                .any(|i| list_match_slow(rest, &s[i..])),
            Some((c, rest)) => s.first() == Some(c) && list_match_slow(rest, &s[1..]),
        }
    }

    #[test]
    fn list_match_agrees_with_backtracking_and_is_fast_on_wildcards() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        let alphabet = b"ab/*%";
        for _ in 0..20_000 {
            let p: Vec<u8> = (0..next(7)).map(|_| alphabet[next(5)]).collect();
            let s: Vec<u8> = (0..next(9)).map(|_| alphabet[next(3)]).collect();
            assert_eq!(
                list_match(&p, &s, b'/'),
                list_match_slow(&p, &s),
                "{:?} against {:?}",
                String::from_utf8_lossy(&p),
                String::from_utf8_lossy(&s)
            );
        }
        assert!(list_match(b"INBOX", b"INBOX", b'/'));
        assert!(list_match(b"%", b"Sent", b'/') && !list_match(b"%", b"a/b", b'/'));
        // Exponential for a backtracking matcher; a few microseconds here.
        let name = vec![b'a'; 1024];
        let pattern = [b"*%".repeat(300), b"!".to_vec()].concat();
        assert!(!list_match(&pattern, &name, b'/'));
    }

    #[test]
    fn sequence_sets() {
        let s = SeqSet::parse("1:3,7:*", 9).unwrap();
        assert!(s.contains(2) && s.contains(8) && !s.contains(5));
        assert!(SeqSet::parse("0", 9).is_none());
        assert!(SeqSet::parse("1,,2", 9).is_none());
        assert_eq!(format_set(&[1, 2, 3, 5, 7, 8]), "1:3,5,7:8");
    }

    #[test]
    fn modified_utf7_round_trips_rfc3501_example() {
        // RFC 3501 §5.1.3's example.
        let name = "~peter/mail/台北/日本語";
        assert_eq!(utf7_encode(name), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        assert_eq!(
            utf7_decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-").unwrap(),
            name
        );
        assert_eq!(utf7_encode("A&B"), "A&-B");
        assert_eq!(utf7_decode("A&-B").unwrap(), "A&B");
        assert_eq!(mailbox("New Messages", false), "\"New Messages\"");
        assert_eq!(mailbox("INBOX", false), "INBOX");
        assert_eq!(mailbox("Été", true), "\"Été\"");
        assert_eq!(mailbox("Été", false), "&AMk-t&AOk-");
    }
}
