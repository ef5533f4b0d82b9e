//! The `cjson` library's `encode` and `decode` (lua-cjson 2.1.0 with Redis's defaults): the
//! same JSON text, the same tables and the same error messages.

use std::sync::Arc;

use mlua::{Lua, MultiValue, Table, Value};
use parking_lot::Mutex;

use super::convert::format_g;
use super::native::{raise, type_name};

/// lua-cjson's settings, changed by its `encode_*` / `decode_*` functions. Each interpreter
/// has one set, as each Redis Lua state has one cjson module (SCRIPT FLUSH resets it).
#[derive(Debug, Clone, Copy)]
struct Config {
    /// Encode an excessively sparse array as an object instead of failing.
    sparse_convert: bool,
    /// An array is excessively sparse when its largest index is over this many times its
    /// number of items (0: never)...
    sparse_ratio: i64,
    /// ... and over this index.
    sparse_safe: i64,
    encode_max_depth: i64,
    decode_max_depth: i64,
    /// Significant digits of encoded numbers (`%.14g`).
    precision: i64,
    /// NaN and infinities: 0 refused, 1 written as `nan` / `inf`, 2 written as `null`.
    encode_invalid: usize,
    /// Read numbers JSON forbids (hex, Inf, NaN, leading zeros).
    decode_invalid: bool,
    /// Accepted and reported; buffer reuse is not observable.
    keep_buffer: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            sparse_convert: false,
            sparse_ratio: 2,
            sparse_safe: 10,
            encode_max_depth: 1000,
            decode_max_depth: 1000,
            precision: 14,
            encode_invalid: 0,
            decode_invalid: true,
            keep_buffer: true,
        }
    }
}

type Shared = Arc<Mutex<Config>>;

/// The `cjson` table (without `null`, added by the caller).
pub(super) fn table(lua: &Lua) -> mlua::Result<Table> {
    let config: Shared = Arc::new(Mutex::new(Config::default()));
    let t = lua.create_table()?;
    t.raw_set("_NAME", "cjson")?;
    t.raw_set("_VERSION", "2.1.0")?;
    let cfg = config.clone();
    t.raw_set(
        "encode",
        lua.create_function(move |lua, args: MultiValue| {
            if args.len() != 1 {
                return raise(lua, "bad argument #1 to 'encode' (expected 1 argument)");
            }
            let config = *cfg.lock();
            let mut out = Vec::new();
            match encode(&args[0], &config, &mut out) {
                Ok(()) => Ok(MultiValue::from_vec(vec![Value::String(lua.create_string(&out)?)])),
                Err(message) => raise(lua, message),
            }
        })?,
    )?;
    let cfg = config.clone();
    t.raw_set(
        "decode",
        lua.create_function(move |lua, args: MultiValue| {
            if args.len() != 1 {
                return raise(lua, "bad argument #1 to 'decode' (expected 1 argument)");
            }
            let text = match &args[0] {
                Value::String(s) => s.as_bytes().to_vec(),
                v @ (Value::Integer(_) | Value::Number(_)) => match lua.coerce_string(v.clone())? {
                    Some(s) => s.as_bytes().to_vec(),
                    None => Vec::new(),
                },
                other => {
                    return raise(lua, format!("bad argument #1 to 'decode' (string expected, got {})", type_name(Some(other))))
                }
            };
            let config = *cfg.lock();
            match decode(lua, &text, &config)? {
                Ok(value) => Ok(MultiValue::from_vec(vec![value])),
                Err(message) => raise(lua, message),
            }
        })?,
    )?;
    settings(lua, &t, &config)?;
    Ok(t)
}

/// What a configuration function does with its arguments.
enum Setting {
    /// An on/off switch; `null` also allows "null" (encode_invalid_numbers).
    Switch { null: bool },
    /// An integer between the bounds.
    Integer(i64, i64),
}

/// The configuration functions: each sets what it is given (nil keeps a setting) and
/// returns the settings, as lua-cjson's do.
fn settings(lua: &Lua, t: &Table, config: &Shared) -> mlua::Result<()> {
    type Field = fn(&mut Config) -> &mut i64;
    let functions: &[(&str, &[(Setting, Field)])] = &[
        (
            "encode_sparse_array",
            &[
                (Setting::Switch { null: false }, |_| unreachable!("switch")),
                (Setting::Integer(0, i32::MAX as i64), |c| &mut c.sparse_ratio),
                (Setting::Integer(0, i32::MAX as i64), |c| &mut c.sparse_safe),
            ],
        ),
        ("encode_max_depth", &[(Setting::Integer(1, i32::MAX as i64), |c| &mut c.encode_max_depth)]),
        ("decode_max_depth", &[(Setting::Integer(1, i32::MAX as i64), |c| &mut c.decode_max_depth)]),
        ("encode_number_precision", &[(Setting::Integer(1, 14), |c| &mut c.precision)]),
        ("encode_keep_buffer", &[(Setting::Switch { null: false }, |_| unreachable!("switch"))]),
        ("encode_invalid_numbers", &[(Setting::Switch { null: true }, |_| unreachable!("switch"))]),
        ("decode_invalid_numbers", &[(Setting::Switch { null: false }, |_| unreachable!("switch"))]),
    ];
    for &(name, options) in functions {
        let config = config.clone();
        let function = lua.create_function(move |lua, args: MultiValue| {
            if args.len() > options.len() {
                return raise(lua, format!("bad argument #{} to '{name}' (found too many arguments)", options.len() + 1));
            }
            let mut config = config.lock();
            let mut results = Vec::new();
            for (i, (setting, field)) in options.iter().enumerate() {
                let arg = args.get(i).cloned().unwrap_or(Value::Nil);
                match setting {
                    Setting::Integer(min, max) => {
                        if arg != Value::Nil {
                            let n = match lua.coerce_number(arg.clone())? {
                                Some(n) => n as i64,
                                None => {
                                    let got = type_name(Some(&arg));
                                    return raise(lua, format!("bad argument #{} to '{name}' (number expected, got {got})", i + 1));
                                }
                            };
                            if n < *min || n > *max {
                                // lua-cjson names argument 1 whichever it is.
                                return raise(lua, format!("bad argument #1 to '{name}' (expected integer between {min} and {max})"));
                            }
                            *field(&mut config) = n;
                        }
                        results.push(Value::Number(*field(&mut config) as f64));
                    }
                    Setting::Switch { null } => {
                        let state = match name {
                            "encode_sparse_array" => config.sparse_convert as usize,
                            "encode_keep_buffer" => config.keep_buffer as usize,
                            "encode_invalid_numbers" => config.encode_invalid,
                            _ => config.decode_invalid as usize,
                        };
                        let names: &[&str] = if *null { &["off", "on", "null"] } else { &["off", "on"] };
                        let state = match &arg {
                            Value::Nil => state,
                            Value::Boolean(b) => usize::from(*b),
                            v @ (Value::String(_) | Value::Integer(_) | Value::Number(_)) => {
                                let given = lua.coerce_string(v.clone())?.map(|s| s.to_string_lossy()).unwrap_or_default();
                                match names.iter().position(|n| *n == given) {
                                    Some(i) => i,
                                    None => {
                                        let message = format!("bad argument #{} to '{name}' (invalid option '{given}')", i + 1);
                                        return raise(lua, message);
                                    }
                                }
                            }
                            other => {
                                let got = type_name(Some(other));
                                return raise(lua, format!("bad argument #{} to '{name}' (string expected, got {got})", i + 1));
                            }
                        };
                        match name {
                            "encode_sparse_array" => config.sparse_convert = state == 1,
                            "encode_keep_buffer" => config.keep_buffer = state == 1,
                            "encode_invalid_numbers" => config.encode_invalid = state,
                            _ => config.decode_invalid = state == 1,
                        }
                        results.push(match state {
                            0 => Value::Boolean(false),
                            1 => Value::Boolean(true),
                            _ => Value::String(lua.create_string(names[state])?),
                        });
                    }
                }
            }
            Ok(MultiValue::from_vec(results))
        })?;
        t.raw_set(name, function)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Encoding

/// Encodes a value; nested tables are walked with an explicit stack (up to lua-cjson's
/// depth limit), so that no table can overflow the thread's stack.
fn encode(value: &Value, config: &Config, out: &mut Vec<u8>) -> Result<(), String> {
    enum Frame {
        Array { table: Table, next: usize, len: usize },
        Object { pairs: Vec<(Value, Value)>, next: usize },
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut current = Some(value.clone());
    loop {
        if let Some(value) = current.take() {
            match value {
                Value::Table(table) => {
                    let depth = stack.len() + 1;
                    if depth as i64 > config.encode_max_depth {
                        return Err(format!("Cannot serialise, excessive nesting ({depth})"));
                    }
                    match array_length(&table, config)? {
                        Some(len) if len > 0 => {
                            out.push(b'[');
                            stack.push(Frame::Array { table, next: 1, len });
                        }
                        _ => {
                            out.push(b'{');
                            let pairs = table
                                .pairs::<Value, Value>()
                                .collect::<mlua::Result<Vec<_>>>()
                                .map_err(|e| e.to_string())?;
                            stack.push(Frame::Object { pairs, next: 0 });
                        }
                    }
                }
                scalar => encode_scalar(&scalar, config, out)?,
            }
        }
        let Some(top) = stack.last_mut() else {
            return Ok(());
        };
        match top {
            Frame::Array { table, next, len } => {
                if *next > *len {
                    out.push(b']');
                    stack.pop();
                    continue;
                }
                if *next > 1 {
                    out.push(b',');
                }
                current = Some(table.raw_get(*next).map_err(|e| e.to_string())?);
                *next += 1;
            }
            Frame::Object { pairs, next } => {
                let Some((key, item)) = pairs.get(*next) else {
                    out.push(b'}');
                    stack.pop();
                    continue;
                };
                if *next > 0 {
                    out.push(b',');
                }
                match key {
                    Value::String(s) => encode_string(&s.as_bytes(), out),
                    Value::Integer(n) => quoted_number(*n as f64, config, out)?,
                    Value::Number(n) => quoted_number(*n, config, out)?,
                    other => {
                        return Err(format!(
                            "Cannot serialise {}: table key must be a number or string",
                            type_name(Some(other))
                        ))
                    }
                }
                out.push(b':');
                current = Some(item.clone());
                *next += 1;
            }
        }
    }
}

fn encode_scalar(value: &Value, config: &Config, out: &mut Vec<u8>) -> Result<(), String> {
    match value {
        Value::String(s) => encode_string(&s.as_bytes(), out),
        Value::Integer(n) => encode_number(*n as f64, config, out)?,
        Value::Number(n) => encode_number(*n, config, out)?,
        Value::Boolean(true) => out.extend_from_slice(b"true"),
        Value::Boolean(false) => out.extend_from_slice(b"false"),
        Value::Nil => out.extend_from_slice(b"null"),
        Value::LightUserData(ud) if ud.0.is_null() => out.extend_from_slice(b"null"),
        other => return Err(format!("Cannot serialise {}: type not supported", type_name(Some(other)))),
    }
    Ok(())
}

/// The length of a table that is an array (only positive integer keys), `None` otherwise.
fn array_length(table: &Table, config: &Config) -> Result<Option<usize>, String> {
    let mut max = 0.0f64;
    let mut items = 0.0f64;
    for pair in table.pairs::<Value, Value>() {
        let (key, _) = pair.map_err(|e| e.to_string())?;
        let k = match key {
            Value::Integer(n) => n as f64,
            Value::Number(n) => n,
            _ => return Ok(None),
        };
        if k.floor() != k || k < 1.0 {
            return Ok(None);
        }
        max = max.max(k);
        items += 1.0;
    }
    let ratio = config.sparse_ratio as f64;
    if ratio > 0.0 && max > items * ratio && max > config.sparse_safe as f64 {
        if !config.sparse_convert {
            return Err("Cannot serialise table: excessively sparse array".into());
        }
        return Ok(None);
    }
    Ok(Some(max as usize))
}

fn encode_number(n: f64, config: &Config, out: &mut Vec<u8>) -> Result<(), String> {
    if !n.is_finite() {
        match config.encode_invalid {
            0 => return Err("Cannot serialise number: must not be NaN or Inf".into()),
            // lua-cjson writes NaN itself: some platforms would print "-nan".
            1 if n.is_nan() => {
                out.extend_from_slice(b"nan");
                return Ok(());
            }
            1 => {}
            _ => {
                out.extend_from_slice(b"null");
                return Ok(());
            }
        }
    }
    out.extend_from_slice(format_g(n, config.precision as usize).as_bytes());
    Ok(())
}

fn quoted_number(n: f64, config: &Config, out: &mut Vec<u8>) -> Result<(), String> {
    out.push(b'"');
    encode_number(n, config, out)?;
    out.push(b'"');
    Ok(())
}

fn encode_string(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &c in s {
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'/' => out.extend_from_slice(b"\\/"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            0..=0x1f | 0x7f => out.extend_from_slice(format!("\\u{c:04x}").as_bytes()),
            _ => out.push(c),
        }
    }
    out.push(b'"');
}

// ---------------------------------------------------------------------------------------
// Decoding

#[derive(Debug, Clone, PartialEq)]
enum Token {
    ObjBegin,
    ObjEnd,
    ArrBegin,
    ArrEnd,
    Str(Vec<u8>),
    Number(f64),
    Boolean(bool),
    Null,
    Colon,
    Comma,
    End,
    /// A lexing error, with lua-cjson's description.
    Error(&'static str),
}

impl Token {
    /// lua-cjson's name for what was found.
    fn describe(&self) -> &'static str {
        match self {
            Token::ObjBegin => "T_OBJ_BEGIN",
            Token::ObjEnd => "T_OBJ_END",
            Token::ArrBegin => "T_ARR_BEGIN",
            Token::ArrEnd => "T_ARR_END",
            Token::Str(_) => "T_STRING",
            Token::Number(_) => "T_NUMBER",
            Token::Boolean(_) => "T_BOOLEAN",
            Token::Null => "T_NULL",
            Token::Colon => "T_COLON",
            Token::Comma => "T_COMMA",
            Token::End => "T_END",
            Token::Error(what) => what,
        }
    }
}

struct Parser<'a> {
    data: &'a [u8],
    pos: usize,
    /// `decode_invalid_numbers`.
    invalid_numbers: bool,
}

/// Decodes JSON into Lua values: `Err` carries lua-cjson's message. Nesting is tracked with
/// an explicit stack, up to lua-cjson's depth limit.
fn decode(lua: &Lua, data: &[u8], config: &Config) -> mlua::Result<Result<Value, String>> {
    enum Open {
        Array { table: Table, next: usize },
        Object { table: Table, key: Vec<u8> },
    }
    if data.len() >= 2 && (data[0] == 0 || data[1] == 0) {
        return Ok(Err("JSON parser does not support UTF-16 or UTF-32".into()));
    }
    let mut parser = Parser { data, pos: 0, invalid_numbers: config.decode_invalid };
    let mut stack: Vec<Open> = Vec::new();
    let (mut token, mut index) = parser.next_token();
    loop {
        // `token` starts a value.
        let mut value = match token {
            Token::Str(s) => Value::String(lua.create_string(&s)?),
            Token::Number(n) => Value::Number(n),
            Token::Boolean(b) => Value::Boolean(b),
            Token::Null => Value::NULL,
            Token::ObjBegin | Token::ArrBegin => {
                let depth = stack.len() + 1;
                if depth as i64 > config.decode_max_depth {
                    return Ok(Err(format!(
                        "Found too many nested data structures ({depth}) at character {}",
                        parser.pos
                    )));
                }
                let table = lua.create_table()?;
                let object = token == Token::ObjBegin;
                let (next, at) = parser.next_token();
                if next == if object { Token::ObjEnd } else { Token::ArrEnd } {
                    Value::Table(table)
                } else if object {
                    let key = match parser.key(next, at) {
                        Ok(key) => key,
                        Err(message) => return Ok(Err(message)),
                    };
                    stack.push(Open::Object { table, key });
                    (token, index) = parser.next_token();
                    continue;
                } else {
                    stack.push(Open::Array { table, next: 1 });
                    (token, index) = (next, at);
                    continue;
                }
            }
            other => return Ok(Err(expected("value", &other, index))),
        };
        // Store the value in its container, closing containers that end here.
        loop {
            let Some(open) = stack.last_mut() else {
                let (end, at) = parser.next_token();
                if end != Token::End {
                    return Ok(Err(expected("the end", &end, at)));
                }
                return Ok(Ok(value));
            };
            let (after, at) = parser.next_token();
            let (closed, close) = match open {
                Open::Array { table, next } => {
                    table.raw_set(*next, value)?;
                    *next += 1;
                    (after == Token::ArrEnd, "comma or array end")
                }
                Open::Object { table, key } => {
                    table.raw_set(lua.create_string(&*key)?, value)?;
                    (after == Token::ObjEnd, "comma or object end")
                }
            };
            if closed {
                value = match stack.pop() {
                    Some(Open::Array { table, .. } | Open::Object { table, .. }) => Value::Table(table),
                    None => unreachable!("a container is open"),
                };
                continue;
            }
            if after != Token::Comma {
                return Ok(Err(expected(close, &after, at)));
            }
            let (next, at) = parser.next_token();
            if let Some(Open::Object { key, .. }) = stack.last_mut() {
                *key = match parser.key(next, at) {
                    Ok(key) => key,
                    Err(message) => return Ok(Err(message)),
                };
                (token, index) = parser.next_token();
            } else {
                (token, index) = (next, at);
            }
            break;
        }
    }
}

fn expected(what: &str, found: &Token, index: usize) -> String {
    format!("Expected {what} but found {} at character {}", found.describe(), index + 1)
}

impl Parser<'_> {
    /// The byte at `at`; the text ends at its length or at a NUL byte, as in C.
    fn byte(&self, at: usize) -> u8 {
        self.data.get(at).copied().unwrap_or(0)
    }

    fn next_token(&mut self) -> (Token, usize) {
        while matches!(self.byte(self.pos), b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
        let index = self.pos;
        let c = self.byte(self.pos);
        let single = match c {
            0 => return (Token::End, index),
            b'{' => Some(Token::ObjBegin),
            b'}' => Some(Token::ObjEnd),
            b'[' => Some(Token::ArrBegin),
            b']' => Some(Token::ArrEnd),
            b',' => Some(Token::Comma),
            b':' => Some(Token::Colon),
            _ => None,
        };
        if let Some(token) = single {
            self.pos += 1;
            return (token, index);
        }
        let rest = &self.data[self.pos..];
        let token = match c {
            b'"' => return self.string(),
            b'-' | b'0'..=b'9' if !self.invalid_numbers && invalid_number(rest) => Token::Error("invalid number"),
            b'-' | b'0'..=b'9' => self.number(),
            b't' if rest.starts_with(b"true") => {
                self.pos += 4;
                Token::Boolean(true)
            }
            b'f' if rest.starts_with(b"false") => {
                self.pos += 5;
                Token::Boolean(false)
            }
            b'n' if rest.starts_with(b"null") => {
                self.pos += 4;
                Token::Null
            }
            // Numbers JSON does not allow (Inf, NaN, +1) are still read, as Redis's cjson
            // decodes invalid numbers by default.
            b'i' | b'I' | b'n' | b'N' | b'+' if self.invalid_numbers && invalid_number(rest) => self.number(),
            _ => Token::Error("invalid token"),
        };
        let index = if matches!(token, Token::Error(_)) { self.pos } else { index };
        (token, index)
    }

    fn number(&mut self) -> Token {
        match strtod(&self.data[self.pos..]) {
            Some((n, used)) => {
                self.pos += used;
                Token::Number(n)
            }
            None => Token::Error("invalid number"),
        }
    }

    fn string(&mut self) -> (Token, usize) {
        let start = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            match self.byte(self.pos) {
                b'"' => break,
                0 => return (Token::Error("unexpected end of string"), self.pos),
                b'\\' => {
                    let translated = match self.byte(self.pos + 1) {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => 0x08,
                        b'f' => 0x0c,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'u' => match self.unicode_escape(&mut out) {
                            Some(()) => continue,
                            None => return (Token::Error("invalid unicode escape code"), self.pos),
                        },
                        _ => return (Token::Error("invalid escape code"), self.pos),
                    };
                    out.push(translated);
                    self.pos += 2;
                }
                c => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
        self.pos += 1;
        (Token::Str(out), start)
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let mut value = 0;
        for i in 0..4 {
            value = (value << 4) | (self.byte(at + i) as char).to_digit(16)?;
        }
        Some(value)
    }

    fn unicode_escape(&mut self, out: &mut Vec<u8>) -> Option<()> {
        let mut code = self.hex4(self.pos + 2)?;
        let mut len = 6;
        if code & 0xF800 == 0xD800 {
            if code & 0x400 != 0 || self.byte(self.pos + 6) != b'\\' || self.byte(self.pos + 7) != b'u' {
                return None;
            }
            let low = self.hex4(self.pos + 8)?;
            if low & 0xFC00 != 0xDC00 {
                return None;
            }
            code = (((code & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
            len = 12;
        }
        let ch = char::from_u32(code)?;
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        self.pos += len;
        Some(())
    }

    /// An object key: the string token, then its colon.
    fn key(&mut self, token: Token, index: usize) -> Result<Vec<u8>, String> {
        let Token::Str(key) = token else {
            return Err(expected("object key string", &token, index));
        };
        let (colon, at) = self.next_token();
        if colon != Token::Colon {
            return Err(expected("colon", &colon, at));
        }
        Ok(key)
    }
}

/// lua-cjson's test for numbers JSON forbids: a leading `+`, hex, leading zeros, inf, nan.
fn invalid_number(text: &[u8]) -> bool {
    let mut p = text;
    if p.first() == Some(&b'+') {
        return true;
    }
    if p.first() == Some(&b'-') {
        p = &p[1..];
    }
    match p.first() {
        Some(b'0') => matches!(p.get(1), Some(c) if (c | 0x20) == b'x' || c.is_ascii_digit()),
        Some(c) if *c <= b'9' => false,
        _ => {
            let word = |w: &[u8]| p.len() >= 3 && p[..3].eq_ignore_ascii_case(w);
            word(b"inf") || word(b"nan")
        }
    }
}

/// C's `strtod` on the start of `text` (where lua-cjson calls it): the number and the bytes it
/// used, `None` when no number starts there.
fn strtod(text: &[u8]) -> Option<(f64, usize)> {
    let parsed = crate::strtod::strtod(text);
    (parsed.used > 0).then_some((parsed.value, parsed.used))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lua_encode(code: &str) -> Result<String, String> {
        let lua = Lua::new();
        let value: Value = lua.load(code).eval().unwrap();
        let mut out = Vec::new();
        encode(&value, &Config::default(), &mut out).map(|()| String::from_utf8(out).unwrap())
    }

    fn lua_decode(text: &str) -> Result<String, String> {
        let lua = Lua::new();
        let value = decode(&lua, text.as_bytes(), &Config::default()).unwrap()?;
        let mut out = Vec::new();
        encode(&value, &Config::default(), &mut out).map(|()| String::from_utf8(out).unwrap())
    }

    #[test]
    fn should_encode_like_lua_cjson() {
        assert_eq!(lua_encode("return {1, 2, {a = 1}}").unwrap(), r#"[1,2,{"a":1}]"#);
        assert_eq!(lua_encode("return {}").unwrap(), "{}");
        assert_eq!(lua_encode("return 'x/y\"'").unwrap(), r#""x\/y\"""#);
        assert_eq!(lua_encode("return 0.1").unwrap(), "0.1");
        assert_eq!(lua_encode("return 123456789012345").unwrap(), "1.2345678901234e+14");
        assert_eq!(lua_encode("return {[1] = 1, [3] = 3}").unwrap(), "[1,null,3]");
        assert_eq!(lua_encode("return '\\1\\127'").unwrap(), r#""\u0001\u007f""#);
    }

    #[test]
    fn should_refuse_what_lua_cjson_refuses() {
        assert_eq!(
            lua_encode("return {[1] = 1, [20] = 3}").unwrap_err(),
            "Cannot serialise table: excessively sparse array"
        );
        assert_eq!(lua_encode("return function() end").unwrap_err(), "Cannot serialise function: type not supported");
        assert_eq!(lua_encode("return 1/0").unwrap_err(), "Cannot serialise number: must not be NaN or Inf");
        assert_eq!(
            lua_encode("local t = {} t[1] = t return t").unwrap_err(),
            "Cannot serialise, excessive nesting (1001)"
        );
    }

    #[test]
    fn should_decode_values_and_report_positions() {
        assert_eq!(lua_decode(r#"[1,2,null,{"b":"c"}]"#).unwrap(), r#"[1,2,null,{"b":"c"}]"#);
        assert_eq!(lua_decode("1.5e3").unwrap(), "1500");
        assert_eq!(lua_decode(r#""\u00e9\ud83d\ude00""#).unwrap(), "\"\u{e9}\u{1F600}\"");
        assert_eq!(lua_decode("[1,").unwrap_err(), "Expected value but found T_END at character 4");
        assert_eq!(lua_decode("nul").unwrap_err(), "Expected value but found invalid token at character 1");
        assert_eq!(lua_decode(r#"{"a":1} x"#).unwrap_err(), "Expected the end but found invalid token at character 9");
        assert_eq!(lua_decode(r#"{"a" 1}"#).unwrap_err(), "Expected colon but found T_NUMBER at character 6");
        assert_eq!(
            lua_decode(r#""abc"#).unwrap_err(),
            "Expected value but found unexpected end of string at character 5"
        );
    }

    #[test]
    fn should_parse_numbers_like_strtod() {
        assert_eq!(strtod(b"12abc"), Some((12.0, 2)));
        assert_eq!(strtod(b"-1.5e3,"), Some((-1500.0, 6)));
        assert_eq!(strtod(b"1e"), Some((1.0, 1)));
        assert_eq!(strtod(b"0x1A"), Some((26.0, 4)));
        assert_eq!(strtod(b"-"), None);
        assert_eq!(strtod(b"1."), Some((1.0, 2)));
        assert!(strtod(b"Infinity").unwrap().0.is_infinite());
    }
}
