//! C's `strtod` as glibc reads numbers, for the places where Redis parses with it: sorted-set
//! scores and ranges (`string2d`, `zslParseRange`) and the Lua cjson decoder.

use rustc_apfloat::ieee::Double;
use rustc_apfloat::{Float, Round, Status};

/// What C's `strtod` makes of the start of a text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Strtod {
    /// The value (0 when nothing was converted).
    pub value: f64,
    /// Bytes consumed, leading white space included; 0 when nothing was converted.
    pub used: usize,
    /// Whether `errno` would be `ERANGE` (overflow, or underflow of a non-zero number).
    pub range_error: bool,
}

/// C's `isspace` in the C locale.
pub(crate) fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// glibc's `strtod`: optional white space and sign, then `inf`/`infinity`, `nan[(...)]`, a hex
/// float (`0x1.8p3`) or a decimal one, each matched as far as it goes.
pub(crate) fn strtod(text: &[u8]) -> Strtod {
    const NONE: Strtod = Strtod { value: 0.0, used: 0, range_error: false };
    let mut i = text.iter().take_while(|c| is_c_space(**c)).count();
    let negative = match text.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let rest = &text[i..];
    let starts = |word: &str| rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word.as_bytes());
    let signed = |v: f64| if negative { -v } else { v };
    if starts("infinity") {
        return Strtod { value: signed(f64::INFINITY), used: i + 8, range_error: false };
    }
    if starts("inf") {
        return Strtod { value: signed(f64::INFINITY), used: i + 3, range_error: false };
    }
    if starts("nan") {
        let mut used = i + 3;
        if text.get(used) == Some(&b'(') {
            let inner = text[used + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
            if text.get(used + 1 + inner) == Some(&b')') {
                used += inner + 2;
            }
        }
        return Strtod { value: f64::NAN, used, range_error: false };
    }
    let hex = (starts("0x")) && {
        let after = &rest[2..];
        match after.first() {
            Some(c) if c.is_ascii_hexdigit() => true,
            Some(b'.') => after.get(1).is_some_and(u8::is_ascii_hexdigit),
            _ => false,
        }
    };
    let (digits_ok, exponent_mark, start): (fn(&u8) -> bool, u8, usize) =
        if hex { (u8::is_ascii_hexdigit, b'p', 2) } else { (u8::is_ascii_digit, b'e', 0) };
    let mut j = start;
    let whole = rest[j..].iter().take_while(|c| digits_ok(c)).count();
    j += whole;
    let mut fraction = 0;
    if rest.get(j) == Some(&b'.') {
        fraction = rest[j + 1..].iter().take_while(|c| digits_ok(c)).count();
        if whole + fraction > 0 {
            j += 1 + fraction;
        }
    }
    if whole + fraction == 0 {
        return NONE;
    }
    let mantissa_end = j;
    if rest.get(j).is_some_and(|c| c.to_ascii_lowercase() == exponent_mark) {
        let mut k = j + 1;
        if matches!(rest.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        let exponent_digits = rest[k..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exponent_digits > 0 {
            j = k + exponent_digits;
        }
    }
    let number = std::str::from_utf8(&rest[..j]).unwrap_or_default();
    let nonzero = rest[start..mantissa_end].iter().any(|c| digits_ok(c) && *c != b'0');
    let (value, overflow) = if hex {
        parse_hex(number, mantissa_end == j)
    } else {
        let value: f64 = number.parse().unwrap_or(0.0);
        (value, value.is_infinite())
    };
    let value = if overflow { f64::INFINITY } else { value };
    let range_error = overflow || (nonzero && (value == 0.0 || value.abs() < f64::MIN_POSITIVE));
    Strtod { value: signed(value), used: i + j, range_error }
}

/// A hex float (`0x1.8p3`, sign already taken) rounded to nearest even; whether it overflowed.
fn parse_hex(number: &str, no_exponent: bool) -> (f64, bool) {
    let text = if no_exponent { format!("{number}p0") } else { number.to_string() };
    match Double::from_str_r(&text, Round::NearestTiesToEven) {
        Ok(parsed) => (f64::from_bits(parsed.value.to_bits() as u64), parsed.status.intersects(Status::OVERFLOW)),
        // APFloat refuses exponents beyond its range: a huge one overflows, a tiny one is 0.
        Err(_) => {
            let huge = !text.contains("p-");
            (if huge { f64::INFINITY } else { 0.0 }, huge)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn should_read_numbers_like_glibc_strtod() {
        let s = |t: &str| {
            let r = strtod(t.as_bytes());
            (r.value, r.used, r.range_error)
        };
        assert_eq!(s("1.5"), (1.5, 3, false));
        assert_eq!(s("  -2e3x"), (-2000.0, 6, false));
        assert_eq!(s("+.5"), (0.5, 3, false));
        assert_eq!(s("5."), (5.0, 2, false));
        assert_eq!(s("1e"), (1.0, 1, false));
        assert_eq!(s("1e+"), (1.0, 1, false));
        assert_eq!(s("0x10"), (16.0, 4, false));
        assert_eq!(s("0x1.8p1"), (3.0, 7, false));
        assert_eq!(s("0x"), (0.0, 1, false));
        assert_eq!(s("0xg"), (0.0, 1, false));
        assert_eq!(s("-Infinity"), (f64::NEG_INFINITY, 9, false));
        assert_eq!(s("infinit"), (f64::INFINITY, 3, false));
        assert_eq!(s("1e400"), (f64::INFINITY, 5, true));
        assert_eq!(s("1e-400"), (0.0, 6, true));
        assert_eq!(s("0e-400"), (0.0, 6, false));
        assert_eq!(s(""), (0.0, 0, false));
        assert_eq!(s("-"), (0.0, 0, false));
        assert_eq!(s("."), (0.0, 0, false));
        assert_eq!(s("x"), (0.0, 0, false));
        assert!(strtod(b"nan").value.is_nan());
        assert_eq!(strtod(b"nan(123)").used, 8);
        assert_eq!(strtod(b"nan(").used, 3);
        let tiny = strtod(b"4.9e-324");
        assert!(tiny.value > 0.0 && tiny.range_error);
    }
}
