//! Redis's long double arithmetic for INCRBYFLOAT, emulated exactly.
//!
//! Redis parses with `strtold`, adds in x87 80-bit extended precision and prints the result
//! with `"%.17Lf"` before trimming trailing zeros. Rust has no 80-bit float, so the value is
//! an LLVM APFloat of the same format (`rustc_apfloat`), and the printing is done here from
//! its exact binary value, rounding half to even like glibc.

use rustc_apfloat::ieee::X87DoubleExtended;
pub use rustc_apfloat::Float;
use rustc_apfloat::{Round, Status};

/// An x87 80-bit extended-precision value.
pub type LongDouble = X87DoubleExtended;

/// Longest number text Redis accepts (`MAX_LONG_DOUBLE_CHARS`).
const MAX_CHARS: usize = 5 * 1024;

/// Parses a number as Redis's `string2ld` does: `strtold` syntax (decimal, exponent, hex,
/// `inf`), no leading white space, nothing after the number, and neither NaN nor a value that
/// overflows to infinity or underflows to zero.
pub fn parse(text: &[u8]) -> Option<LongDouble> {
    if text.is_empty() || text.len() >= MAX_CHARS {
        return None;
    }
    let text = std::str::from_utf8(text).ok()?;
    let (sign, body) = match text.as_bytes()[0] {
        b'-' => ("-", &text[1..]),
        b'+' => ("", &text[1..]),
        _ => ("", text),
    };
    if body.is_empty() || body.starts_with(['+', '-']) {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    let value = if lower == "inf" || lower == "infinity" {
        LongDouble::INFINITY
    } else if lower.starts_with("nan") {
        return None;
    } else {
        let body = if (lower.starts_with("0x")) && !lower.contains('p') {
            // strtold takes hex without a binary exponent; APFloat wants one.
            format!("{body}p0")
        } else {
            body.to_string()
        };
        if !is_number_syntax(&body) {
            return None;
        }
        let parsed = LongDouble::from_str_r(&body, Round::NearestTiesToEven).ok()?;
        let value = parsed.value;
        if parsed.status.intersects(Status::OVERFLOW) || (parsed.status.intersects(Status::UNDERFLOW) && value.is_zero()) {
            return None;
        }
        value
    };
    Some(if sign == "-" { -value } else { value })
}

/// Whether `text` is a whole `strtold` number without sign: digits with an optional fraction
/// and exponent (`1.5e-3`), or hex digits with an optional fraction and binary exponent
/// (`0x1.8p1`). `strtold` would stop early on anything else, and Redis rejects what is left.
fn is_number_syntax(text: &str) -> bool {
    let (digits_ok, exponent_mark, rest): (fn(u8) -> bool, u8, &[u8]) = match text.as_bytes() {
        [b'0', b'x' | b'X', rest @ ..] => (|c| c.is_ascii_hexdigit(), b'p', rest),
        rest => (|c| c.is_ascii_digit(), b'e', rest),
    };
    let split = rest.iter().position(|c| c.to_ascii_lowercase() == exponent_mark).unwrap_or(rest.len());
    let (mantissa, exponent) = rest.split_at(split);
    let mut parts = mantissa.splitn(2, |&c| c == b'.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next().unwrap_or_default();
    let mantissa_ok = whole.iter().chain(fraction).all(|&c| digits_ok(c)) && (!whole.is_empty() || !fraction.is_empty());
    let exponent_ok = match exponent {
        [] => true,
        [_, b'+' | b'-', digits @ ..] | [_, digits @ ..] => !digits.is_empty() && digits.iter().all(u8::is_ascii_digit),
    };
    mantissa_ok && exponent_ok
}

/// Adds two values with round-to-nearest-even, as the x87 unit does.
pub fn add(a: LongDouble, b: LongDouble) -> LongDouble {
    (a + b).value
}

/// Whether the value is finite (not an infinity, not NaN).
pub fn is_finite(value: LongDouble) -> bool {
    value.is_finite()
}

/// Formats like Redis's `ld2string(LD_STR_HUMAN)`: `"%.17Lf"`, then trailing zeros and a bare
/// decimal point removed, and `-0` written as `0`.
pub fn format_human(value: LongDouble) -> String {
    let bits = value.to_bits();
    let negative = (bits >> 79) & 1 == 1;
    let exponent_field = ((bits >> 64) & 0x7fff) as i32;
    let mantissa = bits as u64;
    // value = mantissa * 2^shift
    let shift = if exponent_field == 0 { 1 - 16383 - 63 } else { exponent_field - 16383 - 63 };
    let digits = scaled_digits(mantissa, shift);
    let digits = format!("{digits:0>18}");
    let (int_part, frac_part) = digits.split_at(digits.len() - 17);
    let mut text = format!("{}{int_part}.{frac_part}", if negative { "-" } else { "" });
    while text.ends_with('0') {
        text.pop();
    }
    if text.ends_with('.') {
        text.pop();
    }
    if text == "-0" {
        text = "0".into();
    }
    text
}

/// Decimal digits of `round_half_even(mantissa * 2^shift * 10^17)`.
fn scaled_digits(mantissa: u64, shift: i32) -> String {
    const SCALE: u128 = 100_000_000_000_000_000; // 10^17
    let scaled = u128::from(mantissa) * SCALE; // < 2^121
    if shift < 0 {
        let s = (-shift) as u32;
        if s >= 128 {
            return "0".into();
        }
        let quotient = scaled >> s;
        let remainder = scaled & ((1u128 << s) - 1);
        let half = 1u128 << (s - 1);
        let round_up = remainder > half || (remainder == half && quotient & 1 == 1);
        return (quotient + u128::from(round_up)).to_string();
    }
    let mut big = BigUint::from(scaled);
    big.shift_left(shift as u32);
    big.to_decimal()
}

/// Just enough of an unsigned big integer for [`scaled_digits`]: little-endian 32-bit limbs.
struct BigUint(Vec<u32>);

impl BigUint {
    fn from(value: u128) -> Self {
        BigUint((0..4).map(|i| (value >> (32 * i)) as u32).collect())
    }

    fn shift_left(&mut self, bits: u32) {
        let (words, bits) = ((bits / 32) as usize, bits % 32);
        let mut limbs = vec![0u32; words];
        let mut carry = 0u32;
        for &limb in &self.0 {
            limbs.push((limb << bits) | carry);
            carry = if bits == 0 { 0 } else { limb >> (32 - bits) };
        }
        limbs.push(carry);
        self.0 = limbs;
    }

    fn to_decimal(mut self) -> String {
        let mut chunks = Vec::new();
        while self.0.iter().any(|&l| l != 0) {
            let mut remainder = 0u64;
            for limb in self.0.iter_mut().rev() {
                let current = (remainder << 32) | u64::from(*limb);
                *limb = (current / 1_000_000_000) as u32;
                remainder = current % 1_000_000_000;
            }
            chunks.push(remainder as u32);
            while self.0.last() == Some(&0) {
                self.0.pop();
            }
        }
        let Some(last) = chunks.pop() else { return "0".into() };
        let mut text = last.to_string();
        for chunk in chunks.iter().rev() {
            text.push_str(&format!("{chunk:09}"));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incr(a: &str, b: &str) -> String {
        format_human(add(parse(a.as_bytes()).unwrap(), parse(b.as_bytes()).unwrap()))
    }

    #[test]
    fn should_add_like_redis_long_double() {
        // Expected values are what redis-server 7.0.15 answers.
        assert_eq!(incr("0.1", "0.2"), "0.3");
        assert_eq!(incr("1.1", "2.2"), "3.3");
        assert_eq!(incr("10.5", "0.1"), "10.6");
        assert_eq!(incr("5.0e3", "2.0e2"), "5200");
        assert_eq!(incr("5200", "1e-5"), "5200.00001000000000007");
        assert_eq!(incr("9223372036854775807", "1"), "9223372036854775808");
        assert_eq!(incr("0", "1e-20"), "0");
        assert_eq!(incr("0", "-1.5e-3"), "-0.0015");
        assert_eq!(incr("1", "-1"), "0");
    }

    #[test]
    fn should_print_huge_values_in_full() {
        let text = incr("1.7e308", "1.7e308");
        // redis-server 7.0.15 prints these 309 digits, starting so.
        assert!(text.starts_with("34000000000000000000627355605039519359054042777938826746608717152640491210241164"), "{text}");
        assert_eq!(text.len(), 309);
    }

    #[test]
    fn should_parse_like_string2ld() {
        for ok in ["1", "-1", "+1", ".5", "3.", "1e-5", "0x10", "inf", "-inf", "Infinity", "1e309"] {
            assert!(parse(ok.as_bytes()).is_some(), "{ok}");
        }
        for bad in ["", " 1", "1 ", "abc", "1.0.0", "nan", "NaN", "1e5000", "1e-5000", "--1", "1e"] {
            assert!(parse(bad.as_bytes()).is_none(), "{bad}");
        }
        assert!(parse("1".repeat(6000).as_bytes()).is_none());
        assert_eq!(format_human(parse(b"0x10").unwrap()), "16");
        assert_eq!(incr("3", "0x1.8p1"), "6");
        assert!(incr("0", "1e309").starts_with("99999999999999999998634942458125645476630776324990604869972293366440736374211643"));
    }
}
