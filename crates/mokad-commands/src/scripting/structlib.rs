//! The `struct` library (Roberto Ierusalimschy's struct 0.2, as bundled with Redis):
//! `pack`, `unpack` and `size` of binary records on x86-64 (little endian, 8-byte long and
//! size_t, 4-byte int, at most 8-byte alignment).

use mlua::{Lua, MultiValue, Table, Value};

use super::native::{check_number, raise, type_name};
use crate::scripting::convert::to_integer;

/// Largest integral size `i`/`I` accept.
const MAX_INT_SIZE: usize = 32;
/// Alignment `!` sets without a number: that of a double.
const MAX_ALIGN: usize = 8;

/// The endianness and maximum alignment in force while reading a format.
#[derive(Clone, Copy)]
struct Header {
    little: bool,
    align: usize,
}

impl Default for Header {
    fn default() -> Self {
        Header { little: true, align: 1 }
    }
}

/// A format string being read.
struct Format<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Format<'_> {
    fn next(&mut self) -> Option<u8> {
        let c = *self.text.get(self.pos)?;
        self.pos += 1;
        Some(c)
    }

    /// The number after an option, or `default`.
    fn number(&mut self, default: usize) -> Result<usize, String> {
        if !self.text.get(self.pos).is_some_and(u8::is_ascii_digit) {
            return Ok(default);
        }
        let mut n: usize = 0;
        while let Some(d) = self.text.get(self.pos).filter(|c| c.is_ascii_digit()) {
            let d = usize::from(d - b'0');
            if n > (i32::MAX as usize) / 10 || n * 10 > i32::MAX as usize - d {
                return Err("integral size overflow".into());
            }
            n = n * 10 + d;
            self.pos += 1;
        }
        Ok(n)
    }

    /// The size of option `opt` (0 for options without one).
    fn size(&mut self, opt: u8) -> Result<usize, String> {
        Ok(match opt {
            b'b' | b'B' | b'x' => 1,
            b'h' | b'H' => 2,
            b'l' | b'L' | b'T' | b'd' => 8,
            b'f' => 4,
            b'c' => self.number(1)?,
            b'i' | b'I' => {
                let size = self.number(4)?;
                if size > MAX_INT_SIZE {
                    return Err(format!("integral size {size} is larger than limit of {MAX_INT_SIZE}"));
                }
                size
            }
            _ => 0,
        })
    }

    /// Endianness, alignment and spaces; any other option is an error.
    fn control(&mut self, opt: u8, header: &mut Header, function: &str) -> Result<(), String> {
        match opt {
            b' ' => {}
            b'>' => header.little = false,
            b'<' => header.little = true,
            b'!' => {
                let align = self.number(MAX_ALIGN)?;
                if !align.is_power_of_two() {
                    return Err(format!("alignment {align} is not a power of 2"));
                }
                header.align = align;
            }
            other => {
                return Err(format!("bad argument #1 to '{function}' (invalid format option '{}')", other as char));
            }
        }
        Ok(())
    }
}

/// Padding before an item of `size` bytes at offset `len`, as the C library computes it.
fn padding(len: usize, header: &Header, opt: u8, size: usize) -> usize {
    if size == 0 || opt == b'c' {
        return 0;
    }
    let size = size.min(header.align);
    (size.wrapping_sub(len & size.wrapping_sub(1))) & size.wrapping_sub(1)
}

/// C's conversion of a Lua number to the library's unsigned 64-bit integer on x86-64.
fn to_unsigned(n: f64) -> u64 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if n < 0.0 {
        to_integer(n) as u64
    } else if n < TWO_63 {
        n as u64
    } else {
        let high = n - TWO_63;
        let low = if high < TWO_63 { high as i64 } else { i64::MIN };
        (low as u64) ^ (1 << 63)
    }
}

/// The string argument at `index` (1-based), as `luaL_checklstring` takes it.
fn check_string(lua: &Lua, args: &MultiValue, index: usize, function: &str) -> mlua::Result<Result<Vec<u8>, String>> {
    let value = args.get(index - 1);
    Ok(match value {
        Some(v @ (Value::String(_) | Value::Integer(_) | Value::Number(_))) => match lua.coerce_string(v.clone())? {
            Some(s) => Ok(s.as_bytes().to_vec()),
            None => Err(String::new()),
        },
        _ => Err(format!("bad argument #{index} to '{function}' (string expected, got {})", type_name(value))),
    })
}

macro_rules! attempt {
    ($lua:expr, $e:expr) => {
        match $e {
            Ok(v) => v,
            Err(message) => return raise($lua, message),
        }
    };
}

/// `struct.pack(format, ...)`.
fn pack(lua: &Lua, args: MultiValue) -> mlua::Result<MultiValue> {
    let format = attempt!(lua, check_string(lua, &args, 1, "pack")?);
    // The C function pushes a nil after its arguments: a missing one reads as nil.
    let mut args = args;
    args.push_back(Value::Nil);
    let mut format = Format { text: &format, pos: 0 };
    let mut header = Header::default();
    let mut out: Vec<u8> = Vec::new();
    let mut arg = 2;
    while let Some(opt) = format.next() {
        let mut size = attempt!(lua, format.size(opt));
        let pad = padding(out.len(), &header, opt, size);
        out.resize(out.len() + pad, 0);
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let n = attempt!(lua, check_number(lua, &args, arg, "pack")?);
                arg += 1;
                let mut value = to_unsigned(n);
                let mut bytes = vec![0u8; size];
                for byte in bytes.iter_mut() {
                    *byte = value as u8;
                    value >>= 8;
                }
                if !header.little {
                    bytes.reverse();
                }
                out.extend_from_slice(&bytes);
            }
            b'x' => out.push(0),
            b'f' => {
                let n = attempt!(lua, check_number(lua, &args, arg, "pack")?) as f32;
                arg += 1;
                out.extend_from_slice(&if header.little { n.to_le_bytes() } else { n.to_be_bytes() });
            }
            b'd' => {
                let n = attempt!(lua, check_number(lua, &args, arg, "pack")?);
                arg += 1;
                out.extend_from_slice(&if header.little { n.to_le_bytes() } else { n.to_be_bytes() });
            }
            b'c' | b's' => {
                let s = attempt!(lua, check_string(lua, &args, arg, "pack")?);
                arg += 1;
                if size == 0 {
                    size = s.len();
                }
                if s.len() < size {
                    // The C library names the argument after the string (its own off-by-one).
                    return raise(lua, format!("bad argument #{arg} to 'pack' (string too short)"));
                }
                out.extend_from_slice(&s[..size]);
                if opt == b's' {
                    out.push(0);
                }
            }
            other => attempt!(lua, format.control(other, &mut header, "pack")),
        }
    }
    Ok(MultiValue::from_vec(vec![Value::String(lua.create_string(&out)?)]))
}

/// `struct.unpack(format, data [, init])`: the values, then the position after them.
fn unpack(lua: &Lua, args: MultiValue) -> mlua::Result<MultiValue> {
    let format = attempt!(lua, check_string(lua, &args, 1, "unpack")?);
    let data = attempt!(lua, check_string(lua, &args, 2, "unpack")?);
    let start = match args.get(2) {
        None | Some(Value::Nil) => 1,
        Some(_) => attempt!(lua, check_number(lua, &args, 3, "unpack")?) as i64,
    };
    if start == 0 {
        return raise(lua, "bad argument #3 to 'unpack' (offset must be 1 or greater)");
    }
    // A negative offset becomes a huge size_t in C: every read then is out of range.
    let mut pos = (start as u64).wrapping_sub(1) as usize;
    let mut format = Format { text: &format, pos: 0 };
    let mut header = Header::default();
    let mut results: Vec<Value> = Vec::new();
    let too_short = "bad argument #2 to 'unpack' (data string too short)";
    while let Some(opt) = format.next() {
        let mut size = attempt!(lua, format.size(opt));
        pos = pos.wrapping_add(padding(pos, &header, opt, size));
        if size > data.len() || pos > data.len() - size {
            return raise(lua, too_short);
        }
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let bytes = &data[pos..pos + size];
                let mut value: u64 = 0;
                let ordered: Box<dyn Iterator<Item = &u8>> =
                    if header.little { Box::new(bytes.iter().rev()) } else { Box::new(bytes.iter()) };
                for &byte in ordered {
                    value = (value << 8) | u64::from(byte);
                }
                let number = if opt.is_ascii_lowercase() {
                    let mask = u64::MAX.wrapping_shl((size * 8).wrapping_sub(1) as u32);
                    if value & mask != 0 {
                        value |= mask;
                    }
                    value as i64 as f64
                } else {
                    value as f64
                };
                results.push(Value::Number(number));
            }
            b'x' => {}
            b'f' => {
                let bytes: [u8; 4] = data[pos..pos + 4].try_into().expect("4 bytes");
                let f = if header.little { f32::from_le_bytes(bytes) } else { f32::from_be_bytes(bytes) };
                results.push(Value::Number(f64::from(f)));
            }
            b'd' => {
                let bytes: [u8; 8] = data[pos..pos + 8].try_into().expect("8 bytes");
                results.push(Value::Number(if header.little { f64::from_le_bytes(bytes) } else { f64::from_be_bytes(bytes) }));
            }
            b'c' => {
                if size == 0 {
                    let previous = match results.last() {
                        Some(v @ (Value::Number(_) | Value::Integer(_) | Value::String(_))) => lua.coerce_number(v.clone())?,
                        _ => None,
                    };
                    let Some(previous) = previous else { return raise(lua, "format 'c0' needs a previous size") };
                    results.pop();
                    size = to_unsigned(previous) as usize;
                    if size > data.len() || pos > data.len() - size {
                        return raise(lua, too_short);
                    }
                }
                results.push(Value::String(lua.create_string(&data[pos..pos + size])?));
            }
            b's' => {
                let Some(end) = data[pos..].iter().position(|&c| c == 0) else {
                    return raise(lua, "unfinished string in data");
                };
                results.push(Value::String(lua.create_string(&data[pos..pos + end])?));
                size = end + 1;
            }
            other => attempt!(lua, format.control(other, &mut header, "unpack")),
        }
        pos = pos.wrapping_add(size);
    }
    results.push(Value::Number(pos.wrapping_add(1) as i64 as f64));
    Ok(MultiValue::from_vec(results))
}

/// `struct.size(format)`: the bytes a fixed-size format packs to.
fn size(lua: &Lua, args: MultiValue) -> mlua::Result<MultiValue> {
    let format = attempt!(lua, check_string(lua, &args, 1, "size")?);
    let mut format = Format { text: &format, pos: 0 };
    let mut header = Header::default();
    let mut pos: usize = 0;
    while let Some(opt) = format.next() {
        let size = attempt!(lua, format.size(opt));
        pos += padding(pos, &header, opt, size);
        if opt == b's' {
            return raise(lua, "bad argument #1 to 'size' (option 's' has no fixed size)");
        }
        if opt == b'c' && size == 0 {
            return raise(lua, "bad argument #1 to 'size' (option 'c0' has no fixed size)");
        }
        // Letters the library does not know add nothing here, as in C.
        if !opt.is_ascii_alphanumeric() {
            attempt!(lua, format.control(opt, &mut header, "size"));
        }
        pos += size;
    }
    Ok(MultiValue::from_vec(vec![Value::Number(pos as f64)]))
}

/// The `struct` table.
pub(super) fn table(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("pack", lua.create_function(pack)?)?;
    t.raw_set("unpack", lua.create_function(unpack)?)?;
    t.raw_set("size", lua.create_function(size)?)?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn should_align_like_the_c_library() {
        let aligned = Header { little: true, align: 8 };
        assert_eq!(padding(1, &aligned, b'i', 4), 3);
        assert_eq!(padding(4, &aligned, b'd', 8), 4);
        assert_eq!(padding(3, &aligned, b'c', 4), 0);
        assert_eq!(padding(3, &Header::default(), b'i', 4), 0);
    }

    #[test]
    fn should_convert_numbers_like_x86() {
        assert_eq!(to_unsigned(-1.0), u64::MAX);
        assert_eq!(to_unsigned(4294967301.0), 4294967301);
        assert_eq!(to_unsigned(1e20), 0);
        assert_eq!(to_unsigned(-1.5), u64::MAX);
    }
}
