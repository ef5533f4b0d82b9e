//! Number parsing and formatting with Redis's exact rules.

/// Parses a signed 64-bit integer the way Redis's `string2ll` does: optional `-`, no `+`, no
/// leading zeros (except `0` itself), no spaces, at most 20 characters, no overflow.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    let (negative, digits) = match s[0] {
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    match digits.first() {
        Some(b'1'..=b'9') => {}
        _ => return None,
    }
    let mut value: u64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    if negative {
        if value > (i64::MAX as u64) + 1 {
            None
        } else {
            Some((value as i64).wrapping_neg())
        }
    } else {
        i64::try_from(value).ok()
    }
}

/// Formats a double as Redis does for human-facing replies such as INCRBYFLOAT: the shortest
/// representation that reads back to the same value, with no exponent and no trailing zeros.
pub fn format_double(value: f64) -> String {
    if value.is_infinite() {
        return if value > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if value == 0.0 {
        // Redis prints -0 as "0" for INCRBYFLOAT results.
        return "0".into();
    }
    let shortest = format!("{value}");
    // Redis prints 17 decimals at most ("%.17Lf", then trims zeros).
    match shortest.split_once('.') {
        Some((_, fraction)) if fraction.len() > 17 => {
            let fixed = format!("{value:.17}");
            let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
            if trimmed == "-0" { "0".into() } else { trimmed.into() }
        }
        _ => shortest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn should_parse_integers_like_string2ll() {
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"-1"), Some(-1));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        for bad in [&b""[..], b"+1", b" 1", b"1 ", b"01", b"-0", b"-", b"1a", b"9223372036854775808", b"1.0"] {
            assert_eq!(parse_i64(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn should_format_doubles_without_exponent_or_trailing_zeros() {
        assert_eq!(format_double(10.5 + 0.1), "10.6");
        assert_eq!(format_double(5000.0), "5000");
        assert_eq!(format_double(1e20), "100000000000000000000");
        assert_eq!(format_double(-0.0), "0");
        assert_eq!(format_double(f64::INFINITY), "inf");
        assert_eq!(format_double(1e-20), "0");
        assert_eq!(format_double(0.5), "0.5");
    }
}
