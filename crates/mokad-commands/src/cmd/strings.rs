//! String commands: GET, SET and its family, counters, ranges.

use bytes::{Bytes, BytesMut};
use mokad_resp::{parse_i64, Reply};
use mokad_storage::Change;

use super::{as_string, owned, read_string, string_and_deadline, string_entry, update};
use crate::args::{is, parse_int, Args};
use crate::dispatch::Ctx;
use crate::errors;
use crate::long_double::{self, Float as _};

/// When a write applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// Always.
    Always,
    /// Only if the key does not exist (NX).
    IfAbsent,
    /// Only if the key exists (XX).
    IfPresent,
}

/// The deadline a write gives a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// No deadline: any previous one is dropped.
    None,
    /// Keep the previous deadline (KEEPTTL).
    Keep,
    /// Expire at this Unix time in milliseconds.
    At(u64),
}

/// How an expiry argument is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExpireUnit {
    Ex,
    Px,
    ExAt,
    PxAt,
}

/// Converts an expiry argument to a Unix deadline in ms, as Redis's
/// `getExpireMillisecondsOrReply` does: it must be positive and must not overflow.
fn expire_deadline(ctx: &Ctx<'_>, unit: ExpireUnit, arg: &[u8], command: &str) -> Result<u64, Reply> {
    let n = parse_int(arg)?;
    let seconds = matches!(unit, ExpireUnit::Ex | ExpireUnit::ExAt);
    if n <= 0 || (seconds && n > i64::MAX / 1000) {
        return Err(errors::invalid_expire(command));
    }
    let mut ms = if seconds { n * 1000 } else { n };
    if matches!(unit, ExpireUnit::Ex | ExpireUnit::Px) {
        ms = ms.checked_add(ctx.server.storage.now_ms() as i64).ok_or_else(|| errors::invalid_expire(command))?;
    }
    Ok(ms as u64)
}

fn expire_unit(arg: &[u8]) -> Option<ExpireUnit> {
    [("EX", ExpireUnit::Ex), ("PX", ExpireUnit::Px), ("EXAT", ExpireUnit::ExAt), ("PXAT", ExpireUnit::PxAt)]
        .into_iter()
        .find(|(name, _)| is(arg, name))
        .map(|(_, unit)| unit)
}

/// SET: store a string, with a condition, a deadline, and optionally the old value.
///
/// # Format
/// `SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
/// PXAT unix-time-milliseconds | KEEPTTL]`
#[derive(Debug)]
pub struct Set {
    key: Bytes,
    value: Bytes,
    condition: Condition,
    deadline: Deadline,
    get: bool,
}

impl Set {
    /// Parses the options with Redis's conflict rules: any option that contradicts an earlier
    /// one is a syntax error, found before the expiry value is checked.
    pub fn parse(ctx: &Ctx<'_>, args: &[Bytes]) -> Result<Set, Reply> {
        let mut args = Args::new(args);
        let key = args.bytes()?.clone();
        let value = args.bytes()?.clone();
        let mut condition = Condition::Always;
        let mut keep_ttl = false;
        let mut get = false;
        let mut expire: Option<(ExpireUnit, &Bytes)> = None;
        while let Some(opt) = args.next() {
            if is(opt, "NX") && condition != Condition::IfPresent {
                condition = Condition::IfAbsent;
            } else if is(opt, "XX") && condition != Condition::IfAbsent {
                condition = Condition::IfPresent;
            } else if is(opt, "GET") {
                get = true;
            } else if is(opt, "KEEPTTL") && expire.is_none() {
                keep_ttl = true;
            } else if let Some(unit) = expire_unit(opt).filter(|u| !keep_ttl && expire.is_none_or(|(e, _)| e == *u)) {
                let Some(value) = args.next() else { return Err(errors::SYNTAX) };
                expire = Some((unit, value));
            } else {
                return Err(errors::SYNTAX);
            }
        }
        let deadline = match expire {
            Some((unit, value)) => Deadline::At(expire_deadline(ctx, unit, value, "set")?),
            None if keep_ttl => Deadline::Keep,
            None => Deadline::None,
        };
        Ok(Set { key, value, condition, deadline, get })
    }

    /// Stores the value if the condition holds; replies OK, nil, or the old value with GET.
    pub fn execute(self, ctx: &Ctx<'_>) -> Reply {
        let Set { key, value, condition, deadline, get } = self;
        update(ctx, &key, |old| {
            let old_value = match old.map(|e| as_string(&e.value)) {
                Some(Err(wrongtype)) if get => return (Change::Keep, wrongtype),
                Some(Ok(s)) => Some(s.clone()),
                _ => None,
            };
            let applies = match condition {
                Condition::Always => true,
                Condition::IfAbsent => old.is_none(),
                Condition::IfPresent => old.is_some(),
            };
            let reply = if get { Reply::from(old_value) } else if applies { Reply::OK } else { Reply::Null };
            if !applies {
                return (Change::Keep, reply);
            }
            let expires_at = match deadline {
                Deadline::None => None,
                Deadline::Keep => old.and_then(|e| e.expires_at),
                Deadline::At(at) => Some(at),
            };
            (Change::Put(string_entry(owned(&value), expires_at)), reply)
        })
    }
}

pub(crate) fn set(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    Set::parse(ctx, args).map_or_else(|e| e, |cmd| cmd.execute(ctx))
}

/// SETNX key value: 1 if set, 0 if the key existed.
pub(crate) fn setnx(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let value = owned(&args[2]);
    update(ctx, &args[1], |old| match old {
        Some(_) => (Change::Keep, Reply::Integer(0)),
        None => (Change::Put(string_entry(value, None)), Reply::Integer(1)),
    })
}

/// SETEX key seconds value / PSETEX key milliseconds value.
fn set_with_expire(ctx: &mut Ctx<'_>, args: &[Bytes], unit: ExpireUnit, command: &str) -> Reply {
    let deadline = match expire_deadline(ctx, unit, &args[2], command) {
        Ok(at) => at,
        Err(reply) => return reply,
    };
    let value = owned(&args[3]);
    update(ctx, &args[1], |_| (Change::Put(string_entry(value, Some(deadline))), Reply::OK))
}

pub(crate) fn setex(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    set_with_expire(ctx, args, ExpireUnit::Ex, "setex")
}

pub(crate) fn psetex(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    set_with_expire(ctx, args, ExpireUnit::Px, "psetex")
}

/// GET key.
pub(crate) fn get(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    read_string(ctx, &args[1]).map_or_else(|e| e, Reply::from)
}

/// GETSET key value: SET with GET.
pub(crate) fn getset(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let value = owned(&args[2]);
    update(ctx, &args[1], |old| match old.map(|e| as_string(&e.value)) {
        Some(Err(wrongtype)) => (Change::Keep, wrongtype),
        previous => (Change::Put(string_entry(value, None)), Reply::from(previous.map(|p| p.unwrap().clone()))),
    })
}

/// GETDEL key.
pub(crate) fn getdel(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    update(ctx, &args[1], |old| match old.map(|e| as_string(&e.value)) {
        None => (Change::Keep, Reply::Null),
        Some(Err(wrongtype)) => (Change::Keep, wrongtype),
        Some(Ok(s)) => (Change::Remove, Reply::Bulk(s.clone())),
    })
}

/// GETEX key [EX seconds | PX milliseconds | EXAT unix-time | PXAT unix-time-ms | PERSIST].
pub(crate) fn getex(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    enum Action {
        None,
        Persist,
        At(u64),
    }
    let mut parser = Args::new(args);
    let key = parser.next().expect("arity");
    let mut action = Action::None;
    let mut expire: Option<(ExpireUnit, &Bytes)> = None;
    let mut persist = false;
    while let Some(opt) = parser.next() {
        if is(opt, "PERSIST") && expire.is_none() {
            persist = true;
        } else if let Some(unit) = expire_unit(opt).filter(|u| !persist && expire.is_none_or(|(e, _)| e == *u)) {
            let Some(value) = parser.next() else { return errors::SYNTAX };
            expire = Some((unit, value));
        } else {
            return errors::SYNTAX;
        }
    }
    // Like Redis, the expiry is validated only once the key is known to hold a string.
    let deadline = expire.map(|(unit, value)| expire_deadline(ctx, unit, value, "getex"));
    if persist {
        action = Action::Persist;
    }
    let now = ctx.server.storage.now_ms();
    update(ctx, key, |old| {
        let Some(entry) = old else { return (Change::Keep, Reply::Null) };
        let value = match as_string(&entry.value) {
            Ok(v) => v.clone(),
            Err(wrongtype) => return (Change::Keep, wrongtype),
        };
        match deadline {
            Some(Ok(at)) => action = Action::At(at),
            Some(Err(reply)) => return (Change::Keep, reply),
            None => {}
        }
        let change = match action {
            Action::None => Change::Keep,
            Action::Persist if entry.expires_at.is_none() => Change::Keep,
            Action::Persist => Change::Put(string_entry(value.clone(), None)),
            Action::At(at) if at <= now => Change::Remove,
            Action::At(at) => Change::Put(string_entry(value.clone(), Some(at))),
        };
        (change, Reply::Bulk(value))
    })
}

/// MGET key [key ...]: nil for missing keys and keys of other types.
pub(crate) fn mget(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    Reply::Array(
        args[1..]
            .iter()
            .map(|key| match ctx.server.storage.get(ctx.session.db, key) {
                Some(entry) => as_string(&entry.value).map_or(Reply::Null, |s| Reply::Bulk(s.clone())),
                None => Reply::Null,
            })
            .collect(),
    )
}

/// MSET key value [key value ...]; runs under the database's exclusive lock, so no client
/// sees some keys set and not others.
pub(crate) fn mset(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    if args.len() % 2 == 0 {
        return errors::wrong_arity("mset");
    }
    for pair in args[1..].chunks(2) {
        let value = owned(&pair[1]);
        let reply = update(ctx, &pair[0], |_| (Change::Put(string_entry(value, None)), Reply::OK));
        if reply.is_error() {
            return reply;
        }
    }
    Reply::OK
}

/// MSETNX key value [key value ...]: sets all of them only if none exists.
pub(crate) fn msetnx(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    if args.len() % 2 == 0 {
        return errors::wrong_arity("msetnx");
    }
    if args[1..].chunks(2).any(|pair| ctx.server.storage.exists(ctx.session.db, &pair[0])) {
        return Reply::Integer(0);
    }
    match mset(ctx, args) {
        reply if reply.is_error() => reply,
        _ => Reply::Integer(1),
    }
}

/// STRLEN key.
pub(crate) fn strlen(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_string(ctx, &args[1]) {
        Ok(value) => Reply::Integer(value.map_or(0, |v| v.len() as i64)),
        Err(reply) => reply,
    }
}

/// The largest string a write may produce.
fn max_string(ctx: &Ctx<'_>) -> u64 {
    ctx.server.settings.read().proto_max_bulk_len.0
}

/// APPEND key value: the new length.
pub(crate) fn append(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let max = max_string(ctx);
    let suffix = &args[2];
    update(ctx, &args[1], |old| {
        let (current, expires_at) = match string_and_deadline(old) {
            Ok(found) => found,
            Err(wrongtype) => return (Change::Keep, wrongtype),
        };
        if (current.len() + suffix.len()) as u64 > max {
            return (Change::Keep, errors::STRING_TOO_LONG);
        }
        let mut joined = BytesMut::with_capacity(current.len() + suffix.len());
        joined.extend_from_slice(&current);
        joined.extend_from_slice(suffix);
        let len = joined.len() as i64;
        (Change::Put(string_entry(joined.freeze(), expires_at)), Reply::Integer(len))
    })
}

/// INCR, DECR, INCRBY, DECRBY: adds `delta` to the integer in a string, keeping its deadline.
fn incr_by(ctx: &Ctx<'_>, key: &Bytes, delta: i64) -> Reply {
    update(ctx, key, |old| {
        let (current, expires_at) = match old {
            None => (0, None),
            Some(entry) => {
                let parsed = as_string(&entry.value).and_then(|s| parse_i64(s).ok_or(errors::NOT_INTEGER));
                match parsed {
                    Ok(n) => (n, entry.expires_at),
                    Err(reply) => return (Change::Keep, reply),
                }
            }
        };
        match current.checked_add(delta) {
            None => (Change::Keep, errors::OVERFLOW),
            Some(n) => {
                let mut digits = itoa::Buffer::new();
                let text = Bytes::copy_from_slice(digits.format(n).as_bytes());
                (Change::Put(string_entry(text, expires_at)), Reply::Integer(n))
            }
        }
    })
}

pub(crate) fn incr(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    incr_by(ctx, &args[1], 1)
}

pub(crate) fn decr(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    incr_by(ctx, &args[1], -1)
}

pub(crate) fn incrby(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match parse_int(&args[2]) {
        Ok(delta) => incr_by(ctx, &args[1], delta),
        Err(reply) => reply,
    }
}

pub(crate) fn decrby(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match parse_int(&args[2]) {
        Ok(i64::MIN) => errors::err("ERR decrement would overflow"),
        Ok(delta) => incr_by(ctx, &args[1], -delta),
        Err(reply) => reply,
    }
}

/// INCRBYFLOAT key increment: the new value as a bulk string, computed in x87 long double
/// precision and printed as Redis does (see [`long_double`]).
pub(crate) fn incrbyfloat(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let Some(delta) = long_double::parse(&args[2]) else { return errors::NOT_FLOAT };
    update(ctx, &args[1], |old| {
        let (current, expires_at) = match old {
            None => (long_double::LongDouble::ZERO, None),
            Some(entry) => match as_string(&entry.value) {
                Ok(s) => match long_double::parse(s) {
                    Some(n) => (n, entry.expires_at),
                    None => return (Change::Keep, errors::NOT_FLOAT),
                },
                Err(wrongtype) => return (Change::Keep, wrongtype),
            },
        };
        let sum = long_double::add(current, delta);
        if !long_double::is_finite(sum) {
            return (Change::Keep, errors::NAN_OR_INFINITY);
        }
        let text = Bytes::from(long_double::format_human(sum));
        (Change::Put(string_entry(text.clone(), expires_at)), Reply::Bulk(text))
    })
}

/// GETRANGE key start end, with Redis 7's clamping of negative and out-of-range indexes.
pub(crate) fn getrange(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let (start, end) = match (parse_int(&args[2]), parse_int(&args[3])) {
        (Ok(s), Ok(e)) => (s, e),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    let value = match read_string(ctx, &args[1]) {
        Ok(v) => v.unwrap_or_default(),
        Err(reply) => return reply,
    };
    let len = value.len() as i64;
    if start < 0 && end < 0 && start > end {
        return Reply::Bulk(Bytes::new());
    }
    let mut start = if start < 0 { len + start } else { start };
    let mut end = if end < 0 { len + end } else { end };
    start = start.max(0);
    end = end.max(0);
    if end >= len {
        end = len - 1;
    }
    if start > end || len == 0 {
        return Reply::Bulk(Bytes::new());
    }
    Reply::Bulk(value.slice(start as usize..=end as usize))
}

/// SETRANGE key offset value: overwrites part of a string, padding with zero bytes.
pub(crate) fn setrange(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let offset = match parse_int(&args[2]) {
        Ok(n) if n < 0 => return errors::OFFSET_OUT_OF_RANGE,
        Ok(n) => n as u64,
        Err(reply) => return reply,
    };
    let patch = &args[3];
    let max = max_string(ctx);
    update(ctx, &args[1], |old| {
        let (current, expires_at) = match string_and_deadline(old) {
            Ok(found) => found,
            Err(wrongtype) => return (Change::Keep, wrongtype),
        };
        if patch.is_empty() {
            return (Change::Keep, Reply::Integer(current.len() as i64));
        }
        if offset + patch.len() as u64 > max {
            return (Change::Keep, errors::STRING_TOO_LONG);
        }
        let offset = offset as usize;
        let mut data = BytesMut::from(&current[..]);
        if data.len() < offset + patch.len() {
            data.resize(offset + patch.len(), 0);
        }
        data[offset..offset + patch.len()].copy_from_slice(patch);
        let len = data.len() as i64;
        (Change::Put(string_entry(data.freeze(), expires_at)), Reply::Integer(len))
    })
}
