//! Conversions between replies and Lua values, by Redis's rules (the "Lua API reference"):
//! what `redis.call` hands a script for each reply type, and what reply a script's return
//! value becomes.

use bytes::{Bytes, BytesMut};
use mlua::{Lua, Table, Value};
use mokad_resp::{Protocol, Reply};

/// How deep a returned table may nest before the reply is an error instead (Redis stops at
/// the Lua C stack limit; this keeps the conversion's own stack bounded).
const MAX_DEPTH: usize = 1000;

/// A double as C's `printf("%.<precision>g")` writes it (glibc's `inf`, `-nan`, ...). Redis
/// writes Lua numbers passed to `redis.call` with `%.17g`; cjson writes numbers with `%.14g`.
pub(crate) fn format_g(value: f64, precision: usize) -> String {
    if value.is_nan() {
        return if value.is_sign_negative() { "-nan".into() } else { "nan".into() };
    }
    if value.is_infinite() {
        return if value < 0.0 { "-inf".into() } else { "inf".into() };
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let precision = precision.max(1);
    // The exponent is the one %e gives at this precision, after rounding, as C decides.
    let scientific = format!("{:.*e}", precision - 1, value);
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if exponent < -4 || exponent >= precision as i32 {
        let mantissa = strip_zeros(mantissa);
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.unsigned_abs())
    } else {
        let decimals = (precision as i32 - 1 - exponent).max(0) as usize;
        strip_zeros(&format!("{value:.decimals$}")).to_string()
    }
}

/// Drops trailing zeros after a decimal point, and the point itself if nothing follows.
fn strip_zeros(text: &str) -> &str {
    if !text.contains('.') {
        return text;
    }
    text.trim_end_matches('0').trim_end_matches('.')
}

/// C's `(long long)` cast of a double as x86-64 does it: truncation toward zero, and
/// `LLONG_MIN` for NaN and values out of range (what Redis answers for `return 1e30`).
pub(crate) fn to_integer(value: f64) -> i64 {
    if value.is_nan() || !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&value) {
        i64::MIN
    } else {
        value as i64
    }
}

/// The `{err = "..."}` table Redis pushes for an error: `-CODE message` keeps its code, text
/// without a leading dash gets `ERR`, and line breaks at the ends are trimmed.
pub(crate) fn error_table(lua: &Lua, text: &[u8]) -> mlua::Result<Table> {
    let (code, message): (&[u8], &[u8]) = match text.strip_prefix(b"-") {
        Some(rest) => match rest.iter().position(|&c| c == b' ') {
            Some(space) => (&rest[..space], &rest[space + 1..]),
            None => (b"ERR", rest),
        },
        None => (b"ERR", text),
    };
    let is_break = |c: &u8| *c == b'\r' || *c == b'\n';
    let start = message.iter().position(|c| !is_break(c)).unwrap_or(message.len());
    let end = message.iter().rposition(|c| !is_break(c)).map_or(start, |i| i + 1);
    let mut full = Vec::with_capacity(code.len() + 1 + end - start);
    full.extend_from_slice(code);
    full.push(b' ');
    full.extend_from_slice(&message[start..end]);
    let table = lua.create_table()?;
    table.raw_set("err", lua.create_string(&full)?)?;
    Ok(table)
}

/// The Lua value a script sees for a command's reply, read as the script's protocol would
/// encode it (RESP2 unless the script called `redis.setresp(3)`).
pub(crate) fn reply_to_lua(lua: &Lua, reply: &Reply, protocol: Protocol) -> mlua::Result<Value> {
    let resp3 = protocol == Protocol::Resp3;
    Ok(match reply {
        Reply::Simple(text) => {
            let table = lua.create_table()?;
            table.raw_set("ok", lua.create_string(text.as_bytes())?)?;
            Value::Table(table)
        }
        Reply::Error(text) => {
            let mut dashed = Vec::with_capacity(text.len() + 1);
            dashed.push(b'-');
            dashed.extend_from_slice(text.as_bytes());
            let table = error_table(lua, &dashed)?;
            // Redis marks errors that were already counted when the command ran.
            table.raw_set("ignore_error_stats_update", true)?;
            Value::Table(table)
        }
        Reply::Integer(n) => Value::Number(*n as f64),
        Reply::Bulk(data) | Reply::Verbatim(_, data) if !resp3 => Value::String(lua.create_string(data)?),
        Reply::Bulk(data) => Value::String(lua.create_string(data)?),
        Reply::Null | Reply::NullArray if resp3 => Value::Nil,
        Reply::Null | Reply::NullArray => Value::Boolean(false),
        Reply::Array(items) | Reply::Push(items) => sequence(lua, items, protocol)?,
        // Frames for the running connection itself come before the reply proper (a PUBLISH by
        // a subscribed connection); a script's own session never subscribes, but if it did,
        // the script would see the reply, which comes last.
        Reply::Sequence(items) => match items.last() {
            Some(last) => reply_to_lua(lua, last, protocol)?,
            None => Value::Nil,
        },
        Reply::Set(items) if !resp3 => sequence(lua, items, protocol)?,
        Reply::Set(items) => {
            let set = lua.create_table()?;
            for item in items {
                set.raw_set(reply_to_lua(lua, item, protocol)?, true)?;
            }
            single(lua, "set", Value::Table(set))?
        }
        Reply::Map(pairs) if !resp3 => {
            let table = lua.create_table_with_capacity(pairs.len() * 2, 0)?;
            for (i, (key, value)) in pairs.iter().enumerate() {
                table.raw_set(2 * i + 1, reply_to_lua(lua, key, protocol)?)?;
                table.raw_set(2 * i + 2, reply_to_lua(lua, value, protocol)?)?;
            }
            Value::Table(table)
        }
        Reply::Map(pairs) => {
            let map = lua.create_table()?;
            for (key, value) in pairs {
                map.raw_set(reply_to_lua(lua, key, protocol)?, reply_to_lua(lua, value, protocol)?)?;
            }
            single(lua, "map", Value::Table(map))?
        }
        Reply::Double(value) if resp3 => single(lua, "double", Value::Number(*value))?,
        Reply::Double(_) => Value::String(lua.create_string(resp2_text(reply))?),
        Reply::Boolean(value) if resp3 => Value::Boolean(*value),
        Reply::Boolean(value) => Value::Number(f64::from(u8::from(*value))),
        Reply::Verbatim(format, text) => {
            let inner = lua.create_table()?;
            inner.raw_set("string", lua.create_string(text)?)?;
            inner.raw_set("format", *format)?;
            single(lua, "verbatim_string", Value::Table(inner))?
        }
    })
}

/// The payload of a reply that RESP2 encodes as a bulk string (a double), so that a script
/// reads exactly the text a RESP2 client would.
fn resp2_text(reply: &Reply) -> Bytes {
    let mut out = BytesMut::new();
    reply.encode(Protocol::Resp2, &mut out);
    let start = out.iter().position(|&c| c == b'\n').map_or(0, |i| i + 1);
    let end = out.len().saturating_sub(2).max(start);
    out.freeze().slice(start..end)
}

fn sequence(lua: &Lua, items: &[Reply], protocol: Protocol) -> mlua::Result<Value> {
    let table = lua.create_table_with_capacity(items.len(), 0)?;
    for (i, item) in items.iter().enumerate() {
        table.raw_set(i + 1, reply_to_lua(lua, item, protocol)?)?;
    }
    Ok(Value::Table(table))
}

fn single(lua: &Lua, field: &str, value: Value) -> mlua::Result<Value> {
    let table = lua.create_table()?;
    table.raw_set(field, value)?;
    Ok(Value::Table(table))
}

/// The reply for a script's return value. `script_resp3` is the protocol the script chose
/// with `redis.setresp`: it decides how booleans are returned (the caller's protocol then
/// decides how every reply is encoded).
///
/// Nested tables are walked with an explicit stack, so that a deep (or self-referencing)
/// table cannot overflow the thread's stack.
pub(crate) fn lua_to_reply(value: &Value, script_resp3: bool) -> Reply {
    let mut stack: Vec<Aggregate> = Vec::new();
    let mut current = match start(value, script_resp3) {
        Step::Leaf(reply) => return reply,
        Step::Aggregate(aggregate) => aggregate,
    };
    loop {
        match current.next_child() {
            Some(child) => {
                let step = if stack.len() >= MAX_DEPTH {
                    Step::Leaf(Reply::error("ERR reached lua stack limit"))
                } else {
                    start(&child, script_resp3)
                };
                match step {
                    Step::Leaf(reply) => current.accept(reply),
                    Step::Aggregate(child) => stack.push(std::mem::replace(&mut current, child)),
                }
            }
            None => {
                let done = current.finish();
                match stack.pop() {
                    Some(parent) => {
                        current = parent;
                        current.accept(done);
                    }
                    None => return done,
                }
            }
        }
    }
}

/// What converting one value starts: a finished reply, or an aggregate to fill.
enum Step {
    Leaf(Reply),
    Aggregate(Aggregate),
}

/// An aggregate reply being built from a table's values.
enum Aggregate {
    /// Elements 1, 2, ... of the table up to the first nil.
    Array { table: Table, next: usize, items: Vec<Reply> },
    /// Keys and values of `{map = ...}`, key then value.
    Map { pairs: Vec<(Value, Value)>, next: usize, key: Option<Reply>, items: Vec<(Reply, Reply)> },
    /// Keys of `{set = ...}`.
    Set { keys: Vec<Value>, next: usize, items: Vec<Reply> },
}

impl Aggregate {
    /// The next value to convert, if any.
    fn next_child(&mut self) -> Option<Value> {
        match self {
            Aggregate::Array { table, next, .. } => match table.raw_get::<Value>(*next) {
                Ok(Value::Nil) | Err(_) => None,
                Ok(value) => {
                    *next += 1;
                    Some(value)
                }
            },
            Aggregate::Map { pairs, next, key, .. } => {
                let (k, v) = pairs.get(*next)?;
                if key.is_none() {
                    Some(k.clone())
                } else {
                    *next += 1;
                    Some(v.clone())
                }
            }
            Aggregate::Set { keys, next, .. } => {
                let key = keys.get(*next)?.clone();
                *next += 1;
                Some(key)
            }
        }
    }

    /// Takes the converted child.
    fn accept(&mut self, reply: Reply) {
        match self {
            Aggregate::Array { items, .. } | Aggregate::Set { items, .. } => items.push(reply),
            Aggregate::Map { key, items, .. } => match key.take() {
                None => *key = Some(reply),
                Some(k) => items.push((k, reply)),
            },
        }
    }

    fn finish(self) -> Reply {
        match self {
            Aggregate::Array { items, .. } => Reply::Array(items),
            Aggregate::Map { items, .. } => Reply::Map(items),
            Aggregate::Set { items, .. } => Reply::Set(items),
        }
    }
}

fn start(value: &Value, resp3: bool) -> Step {
    Step::Leaf(match value {
        Value::String(s) => Reply::Bulk(Bytes::copy_from_slice(&s.as_bytes())),
        Value::Boolean(b) if resp3 => Reply::Boolean(*b),
        Value::Boolean(true) => Reply::Integer(1),
        Value::Boolean(false) => Reply::Null,
        Value::Integer(n) => Reply::Integer(*n),
        Value::Number(n) => Reply::Integer(to_integer(*n)),
        Value::Table(table) => return start_table(table),
        _ => Reply::Null,
    })
}

fn start_table(table: &Table) -> Step {
    let field = |name: &str| table.raw_get::<Value>(name).unwrap_or(Value::Nil);
    if let Value::String(err) = field("err") {
        return Step::Leaf(Reply::Error(String::from_utf8_lossy(&err.as_bytes()).into_owned().into()));
    }
    if let Value::String(ok) = field("ok") {
        return Step::Leaf(Reply::Simple(String::from_utf8_lossy(&ok.as_bytes()).into_owned().into()));
    }
    match field("double") {
        Value::Number(n) => return Step::Leaf(Reply::Double(n)),
        Value::Integer(n) => return Step::Leaf(Reply::Double(n as f64)),
        _ => {}
    }
    if let Value::String(number) = field("big_number") {
        // mokad has no RESP3 big number reply: a RESP3 caller gets a bulk string, which is
        // what Redis sends a RESP2 caller.
        return Step::Leaf(Reply::Bulk(Bytes::copy_from_slice(&number.as_bytes())));
    }
    if let Value::Table(verbatim) = field("verbatim_string") {
        let format = verbatim.raw_get::<Value>("format").unwrap_or(Value::Nil);
        let text = verbatim.raw_get::<Value>("string").unwrap_or(Value::Nil);
        if let (Value::String(format), Value::String(text)) = (format, text) {
            // Replies carry static format names: the two Redis uses are kept, others read
            // as plain text.
            let format = if &*format.as_bytes() == b"mkd" { "mkd" } else { "txt" };
            return Step::Leaf(Reply::Verbatim(format, Bytes::copy_from_slice(&text.as_bytes())));
        }
    }
    if let Value::Table(map) = field("map") {
        let pairs = map.pairs::<Value, Value>().filter_map(Result::ok).collect();
        return Step::Aggregate(Aggregate::Map { pairs, next: 0, key: None, items: Vec::new() });
    }
    if let Value::Table(set) = field("set") {
        let keys = set.pairs::<Value, Value>().filter_map(Result::ok).map(|(k, _)| k).collect();
        return Step::Aggregate(Aggregate::Set { keys, next: 0, items: Vec::new() });
    }
    Step::Aggregate(Aggregate::Array { table: table.clone(), next: 1, items: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lua() -> Lua {
        Lua::new()
    }

    fn eval(lua: &Lua, code: &str) -> Value {
        lua.load(code).eval().unwrap()
    }

    #[test]
    fn should_format_doubles_like_printf_g() {
        assert_eq!(format_g(1.5, 17), "1.5");
        assert_eq!(format_g(100.0, 17), "100");
        assert_eq!(format_g(0.1, 17), "0.10000000000000001");
        assert_eq!(format_g(1e20, 17), "1e+20");
        assert_eq!(format_g(123456789012345678.0, 17), "1.2345678901234568e+17");
        assert_eq!(format_g(1e-5, 17), "1.0000000000000001e-05");
        assert_eq!(format_g(-0.0, 17), "-0");
        assert_eq!(format_g(f64::INFINITY, 17), "inf");
        assert_eq!(format_g(-f64::NAN, 17), "-nan");
        assert_eq!(format_g(123456789012345.0, 14), "1.2345678901234e+14");
        assert_eq!(format_g(1e300, 14), "1e+300");
        assert_eq!(format_g(0.1, 14), "0.1");
        assert_eq!(format_g(99999999999999.5, 14), "1e+14");
    }

    #[test]
    fn should_cast_numbers_to_integers_like_x86() {
        assert_eq!(to_integer(3.99), 3);
        assert_eq!(to_integer(-3.99), -3);
        assert_eq!(to_integer(1e30), i64::MIN);
        assert_eq!(to_integer(-1e30), i64::MIN);
        assert_eq!(to_integer(f64::NAN), i64::MIN);
    }

    #[test]
    fn should_build_error_tables_with_a_code() {
        let lua = lua();
        let err = |text: &str| error_table(&lua, text.as_bytes()).unwrap().raw_get::<String>("err").unwrap();
        assert_eq!(err("-FOO bar"), "FOO bar");
        assert_eq!(err("-FOO"), "ERR FOO");
        assert_eq!(err("wrong number of arguments"), "ERR wrong number of arguments");
        assert_eq!(err("-ERR x\r\n"), "ERR x");
        assert_eq!(err(""), "ERR ");
    }

    #[test]
    fn should_give_scripts_resp2_replies_as_redis_does() {
        let lua = lua();
        let p = Protocol::Resp2;
        let v = reply_to_lua(&lua, &Reply::simple("PONG"), p).unwrap();
        assert_eq!(v.as_table().unwrap().raw_get::<String>("ok").unwrap(), "PONG");
        assert_eq!(reply_to_lua(&lua, &Reply::Null, p).unwrap(), Value::Boolean(false));
        assert_eq!(reply_to_lua(&lua, &Reply::NullArray, p).unwrap(), Value::Boolean(false));
        assert_eq!(reply_to_lua(&lua, &Reply::Integer(7), p).unwrap(), Value::Number(7.0));
        assert_eq!(reply_to_lua(&lua, &Reply::Boolean(true), p).unwrap(), Value::Number(1.0));
        let v = reply_to_lua(&lua, &Reply::Double(1.5), p).unwrap();
        assert_eq!(v.as_string().unwrap().to_str().unwrap(), "1.5");
        let map = Reply::Map(vec![(Reply::bulk("a"), Reply::Integer(1))]);
        let v = reply_to_lua(&lua, &map, p).unwrap();
        let t = v.as_table().unwrap();
        assert_eq!((t.raw_len(), t.raw_get::<String>(1).unwrap(), t.raw_get::<i64>(2).unwrap()), (2, "a".into(), 1));
        let v = reply_to_lua(&lua, &Reply::error("ERR bad thing"), p).unwrap();
        let t = v.as_table().unwrap();
        assert_eq!(t.raw_get::<String>("err").unwrap(), "ERR bad thing");
        assert!(t.raw_get::<bool>("ignore_error_stats_update").unwrap());
    }

    #[test]
    fn should_give_scripts_resp3_types_after_setresp_3() {
        let lua = lua();
        let p = Protocol::Resp3;
        assert_eq!(reply_to_lua(&lua, &Reply::Null, p).unwrap(), Value::Nil);
        assert_eq!(reply_to_lua(&lua, &Reply::Boolean(false), p).unwrap(), Value::Boolean(false));
        let v = reply_to_lua(&lua, &Reply::Double(2.5), p).unwrap();
        assert_eq!(v.as_table().unwrap().raw_get::<f64>("double").unwrap(), 2.5);
        let map = Reply::Map(vec![(Reply::bulk("a"), Reply::Integer(1))]);
        let v = reply_to_lua(&lua, &map, p).unwrap();
        let inner: Table = v.as_table().unwrap().raw_get("map").unwrap();
        assert_eq!(inner.raw_get::<i64>("a").unwrap(), 1);
        let v = reply_to_lua(&lua, &Reply::Set(vec![Reply::bulk("x")]), p).unwrap();
        let inner: Table = v.as_table().unwrap().raw_get("set").unwrap();
        assert!(inner.raw_get::<bool>("x").unwrap());
        let v = reply_to_lua(&lua, &Reply::Verbatim("txt", Bytes::from("hi")), p).unwrap();
        let inner: Table = v.as_table().unwrap().raw_get("verbatim_string").unwrap();
        assert_eq!(inner.raw_get::<String>("format").unwrap(), "txt");
    }

    #[test]
    fn should_convert_script_results_to_replies() {
        let lua = lua();
        let r = |code: &str, resp3: bool| lua_to_reply(&eval(&lua, code), resp3);
        assert_eq!(r("return 'x'", false), Reply::bulk("x"));
        assert_eq!(r("return 3.99", false), Reply::Integer(3));
        assert_eq!(r("return true", false), Reply::Integer(1));
        assert_eq!(r("return false", false), Reply::Null);
        assert_eq!(r("return true", true), Reply::Boolean(true));
        assert_eq!(r("return false", true), Reply::Boolean(false));
        assert_eq!(r("return nil", false), Reply::Null);
        assert_eq!(r("return {ok='fine'}", false), Reply::simple("fine"));
        assert_eq!(r("return {err='My err'}", false), Reply::error("My err"));
        assert_eq!(r("return {err={}, ok='x'}", false), Reply::simple("x"));
        assert_eq!(r("return {double=3.5}", false), Reply::Double(3.5));
        assert_eq!(r("return {err=1}", false), Reply::Array(vec![]));
        assert_eq!(
            r("return {1, 'a', {2.9, true, false}, nil, 5}", false),
            Reply::Array(vec![
                Reply::Integer(1),
                Reply::bulk("a"),
                Reply::Array(vec![Reply::Integer(2), Reply::Integer(1), Reply::Null]),
            ])
        );
        assert_eq!(r("return {map={a=1}}", false), Reply::Map(vec![(Reply::bulk("a"), Reply::Integer(1))]));
        assert_eq!(r("return {set={a=true}}", false), Reply::Set(vec![Reply::bulk("a")]));
        assert_eq!(r("return function() end", false), Reply::Null);
    }

    #[test]
    fn should_stop_at_a_bounded_depth_on_self_referencing_tables() {
        let lua = lua();
        let reply = lua_to_reply(&eval(&lua, "local t = {} t[1] = t return t"), false);
        let mut depth = 0;
        let mut cursor = &reply;
        while let Reply::Array(items) = cursor {
            depth += 1;
            cursor = &items[0];
        }
        assert_eq!(cursor, &Reply::error("ERR reached lua stack limit"));
        assert_eq!(depth, MAX_DEPTH + 1);
    }
}
