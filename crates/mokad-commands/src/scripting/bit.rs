//! The `bit` library (LuaBitOp 1.0, as bundled with Redis): 32-bit operations on Lua
//! numbers, results as signed 32-bit numbers.

use mlua::{Lua, MultiValue, Table, Value};

use super::native::{check_number, raise};

/// LuaBitOp's conversion of a number to 32 bits: adding 2^52 + 2^51 puts the integer part,
/// rounded to nearest even and taken modulo 2^32, in the low word of the double.
fn to_bits(n: f64) -> u32 {
    (n + 6_755_399_441_055_744.0).to_bits() as u32
}

fn result(bits: u32) -> MultiValue {
    MultiValue::from_vec(vec![Value::Number(f64::from(bits as i32))])
}

/// Argument `index` (1-based) as 32 bits, or the error message.
fn arg(lua: &Lua, args: &MultiValue, index: usize, name: &str) -> mlua::Result<Result<u32, String>> {
    Ok(check_number(lua, args, index, name)?.map(to_bits))
}

/// Registers one function: `f` gets the arguments and the function's name for messages.
fn add(
    lua: &Lua,
    table: &Table,
    name: &'static str,
    f: fn(&Lua, &MultiValue, &str) -> mlua::Result<Result<MultiValue, String>>,
) -> mlua::Result<()> {
    let function = lua.create_function(move |lua, args: MultiValue| match f(lua, &args, name)? {
        Ok(values) => Ok(values),
        Err(message) => raise(lua, message),
    })?;
    table.raw_set(name, function)
}

macro_rules! try_arg {
    ($e:expr) => {
        match $e? {
            Ok(v) => v,
            Err(message) => return Ok(Err(message)),
        }
    };
}

fn unary(lua: &Lua, args: &MultiValue, name: &str, op: fn(u32) -> u32) -> mlua::Result<Result<MultiValue, String>> {
    Ok(Ok(result(op(try_arg!(arg(lua, args, 1, name))))))
}

/// band, bor, bxor: the first argument, then the others from the last one down, as LuaBitOp
/// reads them.
fn fold(lua: &Lua, args: &MultiValue, name: &str, op: fn(u32, u32) -> u32) -> mlua::Result<Result<MultiValue, String>> {
    let mut bits = try_arg!(arg(lua, args, 1, name));
    for index in (2..=args.len()).rev() {
        bits = op(bits, try_arg!(arg(lua, args, index, name)));
    }
    Ok(Ok(result(bits)))
}

fn shift(
    lua: &Lua,
    args: &MultiValue,
    name: &str,
    op: fn(u32, u32) -> u32,
) -> mlua::Result<Result<MultiValue, String>> {
    let bits = try_arg!(arg(lua, args, 1, name));
    let count = try_arg!(arg(lua, args, 2, name)) & 31;
    Ok(Ok(result(op(bits, count))))
}

fn tohex(lua: &Lua, args: &MultiValue, name: &str) -> mlua::Result<Result<MultiValue, String>> {
    let mut bits = try_arg!(arg(lua, args, 1, name));
    let mut digits: i64 = if args.len() < 2 { 8 } else { i64::from(try_arg!(arg(lua, args, 2, name)) as i32) };
    let alphabet: &[u8; 16] = if digits < 0 {
        digits = -digits;
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let digits = digits.min(8) as usize;
    let mut out = vec![0u8; digits];
    for slot in out.iter_mut().rev() {
        *slot = alphabet[(bits & 15) as usize];
        bits >>= 4;
    }
    Ok(Ok(MultiValue::from_vec(vec![Value::String(lua.create_string(&out)?)])))
}

/// The `bit` table.
pub(super) fn table(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    add(lua, &t, "tobit", |l, a, n| unary(l, a, n, |b| b))?;
    add(lua, &t, "bnot", |l, a, n| unary(l, a, n, |b| !b))?;
    add(lua, &t, "bswap", |l, a, n| unary(l, a, n, u32::swap_bytes))?;
    add(lua, &t, "band", |l, a, n| fold(l, a, n, |x, y| x & y))?;
    add(lua, &t, "bor", |l, a, n| fold(l, a, n, |x, y| x | y))?;
    add(lua, &t, "bxor", |l, a, n| fold(l, a, n, |x, y| x ^ y))?;
    add(lua, &t, "lshift", |l, a, n| shift(l, a, n, |b, c| b << c))?;
    add(lua, &t, "rshift", |l, a, n| shift(l, a, n, |b, c| b >> c))?;
    add(lua, &t, "arshift", |l, a, n| shift(l, a, n, |b, c| ((b as i32) >> c) as u32))?;
    add(lua, &t, "rol", |l, a, n| shift(l, a, n, u32::rotate_left))?;
    add(lua, &t, "ror", |l, a, n| shift(l, a, n, u32::rotate_right))?;
    add(lua, &t, "tohex", tohex)?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn should_normalize_numbers_like_luabitop() {
        assert_eq!(to_bits(5.0), 5);
        assert_eq!(to_bits(-1.0), u32::MAX);
        assert_eq!(to_bits(4294967296.0 + 5.0), 5);
        assert_eq!(to_bits(2.5), 2);
        assert_eq!(to_bits(3.5), 4);
    }
}
