//! The parts of the Lua API written in Rust: `redis.log`, `redis.sha1hex`,
//! `redis.error_reply`, `redis.status_reply`, `redis.acl_check_cmd`, Redis's deterministic
//! `math.random`, and the `bit`, `cjson` and `struct` libraries (not `cmsgpack`). Functions that raise return
//! [`super::fail`] values, which the Lua wrappers in `init.lua` raise.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use std::ffi::c_int;

use mlua::{ffi, Function, Lua, MultiValue, Table, Value};
use tracing::{debug, info, warn};

use super::{bit, cjson, command_args, structlib, convert, fail, fail_pointer, fail_with, lookup_command, sha1hex};
use crate::cmd::connection::REDIS_VERSION;

/// The table of native functions handed to `init.lua`.
pub(super) fn table(lua: &Lua, random: Arc<AtomicU64>) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("trampoline", lua.create_function(|lua, target: Function| trampoline(lua, target))?)?;
    t.raw_set("log", lua.create_function(log)?)?;
    t.raw_set("sha1hex", lua.create_function(sha1)?)?;
    t.raw_set("error_reply", lua.create_function(error_reply)?)?;
    t.raw_set("status_reply", lua.create_function(status_reply)?)?;
    t.raw_set("acl_check_cmd", lua.create_function(acl_check_cmd)?)?;
    let random_state = random.clone();
    t.raw_set("random", lua.create_function(move |lua, args: MultiValue| random_number(lua, &random_state, args))?)?;
    t.raw_set("randomseed", lua.create_function(move |lua, args: MultiValue| randomseed(lua, &random, args))?)?;
    t.raw_set("REDIS_VERSION", REDIS_VERSION)?;
    t.raw_set("REDIS_VERSION_NUM", version_num(REDIS_VERSION))?;
    t.raw_set("null", Value::NULL)?;
    t.raw_set("bit", bit::table(lua)?)?;
    t.raw_set("cjson", cjson::table(lua)?)?;
    t.raw_set("struct", structlib::table(lua)?)?;
    Ok(t)
}

/// A C closure that calls `target` and raises what it returns after the FAIL marker (see
/// `init.lua`): Redis's API functions are C functions, and error positions depend on it.
fn trampoline(lua: &Lua, target: Function) -> mlua::Result<Function> {
    // SAFETY: the closure is pushed with its one upvalue, the target, on top of the stack.
    unsafe { lua.exec_raw(target, |state| ffi::lua_pushcclosure(state, raise_on_fail, 1)) }
}

/// The body of a [`trampoline`]: calls the upvalue with the arguments; on `FAIL, value[,
/// raw]` raises `value`, a string prefixed with the caller's position unless `raw`.
unsafe extern "C-unwind" fn raise_on_fail(state: *mut ffi::lua_State) -> c_int {
    // SAFETY (whole function): plain stack manipulation of the running function's frame;
    // no Rust value with a destructor is alive when lua_error unwinds (longjmps) out.
    unsafe {
        let nargs = ffi::lua_gettop(state);
        ffi::luaL_checkstack(state, 3, std::ptr::null());
        ffi::lua_pushvalue(state, ffi::lua_upvalueindex(1));
        ffi::lua_insert(state, 1);
        ffi::lua_call(state, nargs, ffi::LUA_MULTRET);
        let results = ffi::lua_gettop(state);
        let failed = results >= 2
            && ffi::lua_type(state, 1) == ffi::LUA_TLIGHTUSERDATA
            && ffi::lua_touserdata(state, 1) == fail_pointer();
        if !failed {
            return results;
        }
        let raw = results >= 3 && ffi::lua_toboolean(state, 3) != 0;
        ffi::lua_settop(state, 2);
        if !raw && ffi::lua_type(state, 2) == ffi::LUA_TSTRING {
            ffi::luaL_where(state, 1);
            ffi::lua_insert(state, 2);
            ffi::lua_concat(state, 2);
        }
        ffi::lua_error(state)
    }
}

/// `0x00MMmmpp` from `M.m.p`, as Redis's REDIS_VERSION_NUM.
fn version_num(version: &str) -> i64 {
    version.split('.').take(3).fold(0, |acc, part| (acc << 8) | part.parse::<i64>().unwrap_or(0))
}

/// Lua's name for a value's type in error messages (`no value` when the argument is absent).
pub(super) fn type_name(value: Option<&Value>) -> &'static str {
    match value {
        None => "no value",
        Some(Value::Nil) => "nil",
        Some(Value::Boolean(_)) => "boolean",
        Some(Value::Integer(_) | Value::Number(_)) => "number",
        Some(Value::String(_)) => "string",
        Some(Value::Table(_)) => "table",
        Some(Value::Function(_)) => "function",
        Some(Value::Thread(_)) => "thread",
        Some(_) => "userdata",
    }
}

/// `luaL_checknumber`: the argument as a number, or Lua's "bad argument" message.
pub(super) fn check_number(
    lua: &Lua,
    args: &MultiValue,
    index: usize,
    function: &str,
) -> mlua::Result<Result<f64, String>> {
    let value = args.get(index - 1);
    let number = match value {
        Some(Value::Integer(n)) => Some(*n as f64),
        Some(Value::Number(n)) => Some(*n),
        Some(v @ Value::String(_)) => lua.coerce_number(v.clone())?,
        _ => None,
    };
    Ok(number
        .ok_or_else(|| format!("bad argument #{index} to '{function}' (number expected, got {})", type_name(value))))
}

/// A message raised with the position of the caller, as `luaL_error` does.
pub(super) fn raise(lua: &Lua, message: impl AsRef<[u8]>) -> mlua::Result<MultiValue> {
    fail(Value::String(lua.create_string(message)?))
}

/// `redis.log(level, message, ...)`.
fn log(lua: &Lua, args: MultiValue) -> mlua::Result<MultiValue> {
    if args.len() < 2 {
        return fail_with(lua, "redis.log() requires two arguments or more.");
    }
    let Some(level) = lua.coerce_number(args[0].clone())? else {
        return fail_with(lua, "First argument must be a number (log level).");
    };
    let level = level as i32;
    if !(0..=3).contains(&level) {
        return fail_with(lua, "Invalid debug level.");
    }
    let mut text = String::new();
    for (j, arg) in args.iter().enumerate().skip(1) {
        if let Some(s) = lua.coerce_string(arg.clone())? {
            if j != 1 {
                text.push(' ');
            }
            text.push_str(&s.to_string_lossy());
        }
    }
    match level {
        0 | 1 => debug!(target: "mokad::script", "{text}"),
        2 => info!(target: "mokad::script", "{text}"),
        _ => warn!(target: "mokad::script", "{text}"),
    }
    Ok(MultiValue::new())
}

/// `redis.sha1hex(string)`.
fn sha1(lua: &Lua, args: MultiValue) -> mlua::Result<MultiValue> {
    if args.len() != 1 {
        return fail_with(lua, "wrong number of arguments");
    }
    let data = lua.coerce_string(args[0].clone())?.map(|s| s.as_bytes().to_vec()).unwrap_or_default();
    Ok(MultiValue::from_vec(vec![Value::String(lua.create_string(sha1hex(&data))?)]))
}

/// The single string argument of `error_reply` / `status_reply`, or Redis's error table.
fn single_string(lua: &Lua, args: &MultiValue) -> mlua::Result<Result<mlua::String, Table>> {
    match args.iter().collect::<Vec<_>>().as_slice() {
        [Value::String(s)] => Ok(Ok(s.clone())),
        _ => Ok(Err(convert::error_table(lua, b"wrong number or type of arguments")?)),
    }
}

/// `redis.error_reply(text)`: an error table, with `ERR` when the text has no code.
fn error_reply(lua: &Lua, args: MultiValue) -> mlua::Result<Table> {
    match single_string(lua, &args)? {
        Ok(text) => {
            let text = text.as_bytes();
            if text.starts_with(b"-") {
                convert::error_table(lua, &text)
            } else {
                let mut dashed = Vec::with_capacity(text.len() + 1);
                dashed.push(b'-');
                dashed.extend_from_slice(&text);
                convert::error_table(lua, &dashed)
            }
        }
        Err(table) => Ok(table),
    }
}

/// `redis.status_reply(text)`: `{ok = text}`.
fn status_reply(lua: &Lua, args: MultiValue) -> mlua::Result<Table> {
    match single_string(lua, &args)? {
        Ok(text) => {
            let table = lua.create_table()?;
            table.raw_set("ok", text)?;
            Ok(table)
        }
        Err(table) => Ok(table),
    }
}

/// `redis.acl_check_cmd(command, ...)`: mokad has only the default user, who may run every
/// command.
fn acl_check_cmd(lua: &Lua, args: MultiValue) -> mlua::Result<MultiValue> {
    let argv = match command_args(lua, args.into_iter())? {
        Ok(argv) => argv,
        Err(table) => return fail(Value::Table(table)),
    };
    if lookup_command(&argv).is_none() {
        return fail_with(lua, "Invalid command passed to redis.acl_check_cmd()");
    }
    Ok(MultiValue::from_vec(vec![Value::Boolean(true)]))
}

/// rand48's state at start-up (Redis's `redisSrand48` defaults).
pub(super) const RAND48_INITIAL: u64 = 0x1234_ABCD_330E;

/// `redisLrand48`: the 48-bit linear congruential generator of the drand48 family, so that
/// scripts get the same sequence on every platform.
fn lrand48(state: &AtomicU64) -> i32 {
    let next = (state.load(Ordering::Relaxed).wrapping_mul(0x5_DEEC_E66D).wrapping_add(0xB)) & ((1 << 48) - 1);
    state.store(next, Ordering::Relaxed);
    (next >> 17) as i32
}

/// Redis's `math.random([m [, n]])`.
fn random_number(lua: &Lua, state: &AtomicU64, args: MultiValue) -> mlua::Result<MultiValue> {
    const MAX: i32 = i32::MAX;
    let r = f64::from(lrand48(state) % MAX) / f64::from(MAX);
    let number = match args.len() {
        0 => r,
        1 => {
            let upper = match check_number(lua, &args, 1, "random")? {
                Ok(n) => n as i32,
                Err(message) => return raise(lua, message),
            };
            if upper < 1 {
                return raise(lua, "bad argument #1 to 'random' (interval is empty)");
            }
            (r * f64::from(upper)).floor() + 1.0
        }
        2 => {
            let (lower, upper) = match (check_number(lua, &args, 1, "random")?, check_number(lua, &args, 2, "random")?)
            {
                (Ok(l), Ok(u)) => (l as i32, u as i32),
                (Err(message), _) | (_, Err(message)) => return raise(lua, message),
            };
            if lower > upper {
                return raise(lua, "bad argument #2 to 'random' (interval is empty)");
            }
            (r * (f64::from(upper) - f64::from(lower) + 1.0)).floor() + f64::from(lower)
        }
        _ => return raise(lua, "wrong number of arguments"),
    };
    Ok(MultiValue::from_vec(vec![Value::Number(number)]))
}

/// Redis's `math.randomseed(n)`.
fn randomseed(lua: &Lua, state: &AtomicU64, args: MultiValue) -> mlua::Result<MultiValue> {
    let seed = match check_number(lua, &args, 1, "randomseed")? {
        Ok(n) => n as i32,
        Err(message) => return raise(lua, message),
    };
    state.store((u64::from(seed as u32) << 16) | 0x330E, Ordering::Relaxed);
    Ok(MultiValue::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn should_number_versions_like_redis() {
        assert_eq!(version_num("7.0.15"), 458767);
    }

    #[test]
    fn should_follow_the_drand48_sequence() {
        // lrand48() after srand48(0): the C library's documented sequence.
        let state = AtomicU64::new(0x330E);
        assert_eq!(lrand48(&state), 366850414);
        assert_eq!(lrand48(&state), 1610402240);
    }
}
