//! Inline commands: a line of space-separated arguments, split with Redis's quoting rules.

/// Splits an inline command line into arguments exactly as Redis's `sdssplitargs` does.
///
/// Arguments are separated by white space. `"double quotes"` accept the escapes `\n \r \t \b
/// \a \\ \"` and `\xHH`; `'single quotes'` accept only `\'`. A closing quote must be followed by
/// white space or the end of the line. Returns `None` for unbalanced quotes.
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut args = Vec::new();
    let mut i = 0;
    let n = line.len();
    loop {
        while i < n && is_space(line[i]) {
            i += 1;
        }
        if i >= n {
            return Some(args);
        }
        let mut current = Vec::new();
        let mut in_double = false;
        let mut in_single = false;
        loop {
            if in_double {
                if i >= n {
                    return None;
                }
                let c = line[i];
                if c == b'\\' && i + 3 < n && line[i + 1] == b'x' && is_hex(line[i + 2]) && is_hex(line[i + 3]) {
                    current.push(hex(line[i + 2]) * 16 + hex(line[i + 3]));
                    i += 3;
                } else if c == b'\\' && i + 1 < n {
                    i += 1;
                    current.push(match line[i] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    });
                } else if c == b'"' {
                    if i + 1 < n && !is_space(line[i + 1]) {
                        return None;
                    }
                    i += 1;
                    break;
                } else {
                    current.push(c);
                }
            } else if in_single {
                if i >= n {
                    return None;
                }
                let c = line[i];
                if c == b'\\' && i + 1 < n && line[i + 1] == b'\'' {
                    i += 1;
                    current.push(b'\'');
                } else if c == b'\'' {
                    if i + 1 < n && !is_space(line[i + 1]) {
                        return None;
                    }
                    i += 1;
                    break;
                } else {
                    current.push(c);
                }
            } else {
                if i >= n {
                    break;
                }
                match line[i] {
                    c if is_space(c) => break,
                    b'"' => in_double = true,
                    b'\'' => in_single = true,
                    c => current.push(c),
                }
            }
            i += 1;
        }
        args.push(current);
    }
}

/// C's `isspace` in the "C" locale, which is what Redis uses.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

fn hex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Option<Vec<String>> {
        split_args(s.as_bytes()).map(|v| v.into_iter().map(|a| String::from_utf8(a).unwrap()).collect())
    }

    #[test]
    fn should_split_on_white_space() {
        assert_eq!(split("  SET  a\tb ").unwrap(), ["SET", "a", "b"]);
        assert_eq!(split("").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn should_unescape_double_quotes() {
        assert_eq!(split(r#"SET a "hello world""#).unwrap(), ["SET", "a", "hello world"]);
        assert_eq!(split(r#"ECHO "\x41\n\"q\"""#).unwrap(), ["ECHO", "A\n\"q\""]);
        assert_eq!(split(r#"ECHO """#).unwrap(), ["ECHO", ""]);
    }

    #[test]
    fn should_only_unescape_quote_in_single_quotes() {
        assert_eq!(split(r"ECHO 'a\'b'").unwrap(), ["ECHO", "a'b"]);
        assert_eq!(split(r"ECHO 'a\nb'").unwrap(), ["ECHO", r"a\nb"]);
    }

    #[test]
    fn should_reject_unbalanced_quotes() {
        assert!(split(r#"SET a "b"#).is_none());
        assert!(split(r#"ECHO "a"b"#).is_none());
        assert!(split("ECHO 'a").is_none());
        assert!(split("ECHO 'a'b").is_none());
    }

    #[test]
    fn should_join_quoted_parts_with_unquoted_prefix() {
        assert_eq!(split(r#"ECHO ab"cd""#).unwrap(), ["ECHO", "abcd"]);
    }
}
