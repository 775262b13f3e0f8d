//! Splitting a REPL line into words, shell-style: blanks separate words,
//! `'…'` keeps everything as it is, `"…"` keeps everything but lets `\"`
//! and `\\` through, and a backslash outside quotes escapes a blank, a
//! quote or a backslash. Any other backslash stays, so that IMAP's system
//! flags (`\Deleted`, `\Seen`) are typed as the protocol writes them. No
//! variables, globs or substitutions.

/// Why a line could not be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WordsError {
    #[error("unterminated {0} quote")]
    Unterminated(&'static str),
    #[error("a backslash ends the line")]
    TrailingBackslash,
}

/// The words of `line`.
pub fn split(line: &str) -> Result<Vec<String>, WordsError> {
    let mut words = Vec::new();
    let mut word = String::new();
    // Whether a word has started (so that `''` is an empty word).
    let mut started = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            '\'' => {
                started = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(WordsError::Unterminated("single")),
                    }
                }
            }
            '"' => {
                started = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(WordsError::Unterminated("double")),
                        },
                        Some(c) => word.push(c),
                        None => return Err(WordsError::Unterminated("double")),
                    }
                }
            }
            '\\' => {
                started = true;
                match chars.clone().next() {
                    Some(c) if c.is_whitespace() || matches!(c, '\'' | '"' | '\\') => {
                        word.push(c);
                        chars.next();
                    }
                    Some(_) => word.push('\\'),
                    None => return Err(WordsError::TrailingBackslash),
                }
            }
            c => {
                started = true;
                word.push(c);
            }
        }
    }
    if started {
        words.push(word);
    }
    Ok(words)
}

/// The first word of `line` and the text after it, as typed (for `raw`,
/// whose IMAP line must reach the server with its quotes).
pub fn first_and_rest(line: &str) -> (&str, &str) {
    let line = line.trim_start();
    match line.find(char::is_whitespace) {
        Some(i) => (&line[..i], line[i..].trim()),
        None => (line, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_backslashes_group_words() {
        assert_eq!(
            split(r#"select "My Box"  'a b' c\ d "q\"x\n" '' "#).unwrap(),
            ["select", "My Box", "a b", "c d", "q\"x\\n", ""]
        );
        assert_eq!(split("   ").unwrap(), Vec::<String>::new());
        assert_eq!(
            split(r"store 1 +FLAGS (\Seen \Deleted) a\\b").unwrap(),
            ["store", "1", "+FLAGS", "(\\Seen", "\\Deleted)", "a\\b"]
        );
        assert_eq!(
            split("a 'b").unwrap_err(),
            WordsError::Unterminated("single")
        );
        assert_eq!(
            split("a \"b").unwrap_err(),
            WordsError::Unterminated("double")
        );
        assert_eq!(split("a\\").unwrap_err(), WordsError::TrailingBackslash);
    }

    #[test]
    fn raw_keeps_the_rest_of_the_line_as_typed() {
        assert_eq!(
            first_and_rest("  raw  LIST \"\" \"*\" "),
            ("raw", "LIST \"\" \"*\"")
        );
        assert_eq!(first_and_rest("quit"), ("quit", ""));
    }
}
