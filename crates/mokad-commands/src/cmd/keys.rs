//! Generic key commands: existence, deletion, expiry, iteration, renaming, copying, moving.

use bytes::Bytes;
use mokad_resp::Reply;
use mokad_storage::{Change, Entry};

use super::update;
use crate::args::{is, parse_int, Args};
use crate::dispatch::Ctx;
use crate::errors;
use crate::glob;
use crate::server::random_seed;

/// DEL key [key ...] and UNLINK: the number of keys removed.
pub(crate) fn del(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let db = ctx.session.db;
    Reply::Integer(args[1..].iter().filter(|k| ctx.server.storage.remove(db, k).is_some()).count() as i64)
}

/// EXISTS key [key ...]: how many of the keys exist, counting repeats.
pub(crate) fn exists(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let db = ctx.session.db;
    Reply::Integer(args[1..].iter().filter(|k| ctx.server.storage.get(db, k).is_some()).count() as i64)
}

/// TOUCH key [key ...]: how many exist (access time is moka's to keep).
pub(crate) fn touch(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let db = ctx.session.db;
    Reply::Integer(args[1..].iter().filter(|k| ctx.server.storage.peek(db, k).is_some()).count() as i64)
}

/// TYPE key.
pub(crate) fn type_(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let name = ctx.server.storage.get(ctx.session.db, &args[1]).map_or("none", |e| e.value.type_name());
    Reply::simple(name)
}

/// Conditions of EXPIRE and its relatives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExpireFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

impl ExpireFlags {
    fn parse(args: &[Bytes]) -> Result<Self, Reply> {
        let mut f = ExpireFlags::default();
        for arg in args {
            if is(arg, "NX") {
                f.nx = true;
            } else if is(arg, "XX") {
                f.xx = true;
            } else if is(arg, "GT") {
                f.gt = true;
            } else if is(arg, "LT") {
                f.lt = true;
            } else {
                return Err(errors::err(format!("ERR Unsupported option {}", String::from_utf8_lossy(arg))));
            }
        }
        if f.nx && (f.xx || f.gt || f.lt) {
            return Err(errors::NX_XX_GT_LT);
        }
        if f.gt && f.lt {
            return Err(errors::GT_AND_LT);
        }
        Ok(f)
    }

    /// Whether a key whose deadline is `current` (None: persistent) takes `new`.
    fn allows(self, current: Option<u64>, new: u64) -> bool {
        match current {
            None => !(self.xx || self.gt),
            Some(at) => !self.nx && !(self.gt && new <= at) && !(self.lt && new >= at),
        }
    }
}

/// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT key time [NX | XX | GT | LT]: 1 if the deadline was
/// set (or the key deleted because it is already past), 0 otherwise.
fn expire_generic(ctx: &mut Ctx<'_>, args: &[Bytes], seconds: bool, absolute: bool, command: &str) -> Reply {
    let flags = match ExpireFlags::parse(&args[3..]) {
        Ok(f) => f,
        Err(reply) => return reply,
    };
    let mut when = match parse_int(&args[2]) {
        Ok(n) => n,
        Err(reply) => return reply,
    };
    if seconds {
        if when > i64::MAX / 1000 || when < i64::MIN / 1000 {
            return errors::invalid_expire(command);
        }
        when *= 1000;
    }
    let now = ctx.server.storage.now_ms() as i64;
    if !absolute {
        match when.checked_add(now) {
            Some(at) => when = at,
            None => return errors::invalid_expire(command),
        }
    }
    update(ctx, &args[1], |old| {
        let Some(entry) = old else { return (Change::Keep, Reply::Integer(0)) };
        let at = when.max(0) as u64;
        if !flags.allows(entry.expires_at, at) {
            return (Change::Keep, Reply::Integer(0));
        }
        if when <= now {
            return (Change::Remove, Reply::Integer(1));
        }
        (Change::Put(Entry { value: entry.value.clone(), expires_at: Some(at) }), Reply::Integer(1))
    })
}

pub(crate) fn expire(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    expire_generic(ctx, args, true, false, "expire")
}

pub(crate) fn pexpire(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    expire_generic(ctx, args, false, false, "pexpire")
}

pub(crate) fn expireat(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    expire_generic(ctx, args, true, true, "expireat")
}

pub(crate) fn pexpireat(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    expire_generic(ctx, args, false, true, "pexpireat")
}

/// What TTL and its relatives report.
fn ttl_generic(ctx: &mut Ctx<'_>, args: &[Bytes], report: fn(deadline: u64, now: u64) -> i64) -> Reply {
    match ctx.server.storage.get(ctx.session.db, &args[1]) {
        None => Reply::Integer(-2),
        Some(Entry { expires_at: None, .. }) => Reply::Integer(-1),
        Some(Entry { expires_at: Some(at), .. }) => Reply::Integer(report(at, ctx.server.storage.now_ms())),
    }
}

/// TTL key: seconds left, rounded to the nearest second as Redis does.
pub(crate) fn ttl(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    ttl_generic(ctx, args, |at, now| ((at.saturating_sub(now) + 500) / 1000) as i64)
}

/// PTTL key.
pub(crate) fn pttl(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    ttl_generic(ctx, args, |at, now| at.saturating_sub(now) as i64)
}

/// EXPIRETIME key: the deadline in Unix seconds, rounded to the nearest as Redis does.
pub(crate) fn expiretime(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    ttl_generic(ctx, args, |at, _| (at.saturating_add(500) / 1000) as i64)
}

/// PEXPIRETIME key: the deadline in Unix milliseconds.
pub(crate) fn pexpiretime(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    ttl_generic(ctx, args, |at, _| at as i64)
}

/// PERSIST key: 1 if a deadline was removed.
pub(crate) fn persist(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    update(ctx, &args[1], |old| match old {
        Some(entry) if entry.expires_at.is_some() => {
            (Change::Put(Entry { value: entry.value.clone(), expires_at: None }), Reply::Integer(1))
        }
        _ => (Change::Keep, Reply::Integer(0)),
    })
}

/// KEYS pattern.
pub(crate) fn keys(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let pattern = &args[1];
    let all = pattern.as_ref() == b"*";
    Reply::Array(
        ctx.server
            .storage
            .all(ctx.session.db)
            .into_iter()
            .filter(|(k, _)| all || glob::matches(pattern, k, false))
            .map(|(k, _)| Reply::Bulk(k))
            .collect(),
    )
}

/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type].
///
/// The cursor is a position in hash order (see the storage's key index): a key present for
/// the whole iteration is returned exactly once. MATCH and TYPE filter each page after it is
/// taken, as in Redis, so a page may come back empty while the cursor is not yet 0.
pub(crate) fn scan(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let Some(cursor) = parse_cursor(&args[1]) else { return errors::INVALID_CURSOR };
    let mut parser = Args::new(&args[1..]);
    let mut count = 10usize;
    let mut pattern: Option<&Bytes> = None;
    let mut type_name: Option<&Bytes> = None;
    while let Some(opt) = parser.next() {
        if parser.remaining() == 0 {
            return errors::SYNTAX;
        }
        if is(opt, "COUNT") {
            match parser.int() {
                Ok(n) if n < 1 => return errors::SYNTAX,
                Ok(n) => count = n as usize,
                Err(reply) => return reply,
            }
        } else if is(opt, "MATCH") {
            pattern = parser.next();
        } else if is(opt, "TYPE") {
            type_name = parser.next();
        } else {
            return errors::SYNTAX;
        }
    }
    let (next, page) = ctx.server.storage.scan(ctx.session.db, cursor, count);
    let keys = page
        .into_iter()
        .filter(|(k, e)| {
            pattern.is_none_or(|p| p.as_ref() == b"*" || glob::matches(p, k, false))
                && type_name.is_none_or(|t| t.eq_ignore_ascii_case(e.value.type_name().as_bytes()))
        })
        .map(|(k, _)| Reply::Bulk(k))
        .collect();
    Reply::Array(vec![Reply::bulk(next.to_string()), Reply::Array(keys)])
}

/// Parses a cursor as Redis does with `strtoul`: no leading white space, an optional sign (a
/// minus negates, so `-1` is the largest cursor), digits, nothing after, no overflow. An empty
/// cursor is 0.
pub(crate) fn parse_cursor(arg: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(arg).ok()?;
    if text.is_empty() {
        return Some(0);
    }
    let (negative, digits) = match text.as_bytes()[0] {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let value: u64 = digits.parse().ok()?;
    Some(if negative { value.wrapping_neg() } else { value })
}

/// RANDOMKEY.
pub(crate) fn randomkey(ctx: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    ctx.server.storage.random_key(ctx.session.db, random_seed()).map_or(Reply::Null, Reply::Bulk)
}

/// DBSIZE.
pub(crate) fn dbsize(ctx: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    Reply::Integer(ctx.server.storage.dbsize(ctx.session.db) as i64)
}

/// RENAME and RENAMENX (runs under the database's exclusive lock).
fn rename_generic(ctx: &mut Ctx<'_>, args: &[Bytes], nx: bool) -> Reply {
    let storage = &ctx.server.storage;
    let db = ctx.session.db;
    let (src, dst) = (&args[1], &args[2]);
    let Some(entry) = storage.peek(db, src) else { return errors::NO_SUCH_KEY };
    if src == dst {
        return if nx { Reply::Integer(0) } else { Reply::OK };
    }
    if nx && storage.exists(db, dst) {
        return Reply::Integer(0);
    }
    let reply = update(ctx, dst, |_| (Change::Put(entry), Reply::OK));
    if reply.is_error() {
        return reply;
    }
    storage.remove(db, src);
    if nx {
        Reply::Integer(1)
    } else {
        Reply::OK
    }
}

pub(crate) fn rename(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    rename_generic(ctx, args, false)
}

pub(crate) fn renamenx(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    rename_generic(ctx, args, true)
}

/// Parses a database number argument: an integer, and an existing database.
fn parse_db(ctx: &Ctx<'_>, arg: &[u8]) -> Result<usize, Reply> {
    let n = parse_int(arg)?;
    if n < 0 || n as usize >= ctx.server.storage.databases() || n > i32::MAX as i64 {
        return Err(errors::DB_OUT_OF_RANGE);
    }
    Ok(n as usize)
}

/// Writes `entry` to `key` of `db` unless it exists and `replace` is false: 1 if written.
fn put_into(ctx: &Ctx<'_>, db: usize, key: &Bytes, entry: Entry, replace: bool) -> Reply {
    match ctx.server.storage.update(db, key, |old| match old {
        Some(_) if !replace => (Change::Keep, Reply::Integer(0)),
        _ => (Change::Put(entry), Reply::Integer(1)),
    }) {
        Ok(reply) => reply,
        Err(_) => errors::OOM,
    }
}

/// COPY source destination [DB destination-db] [REPLACE] (runs with every database locked).
pub(crate) fn copy(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let mut parser = Args::new(&args[2..]);
    let mut db = ctx.session.db;
    let mut replace = false;
    while let Some(opt) = parser.next() {
        if is(opt, "REPLACE") {
            replace = true;
        } else if is(opt, "DB") && parser.remaining() > 0 {
            match parse_db(ctx, parser.next().expect("checked")) {
                Ok(n) => db = n,
                Err(reply) => return reply,
            }
        } else {
            return errors::SYNTAX;
        }
    }
    if db == ctx.session.db && args[1] == args[2] {
        return errors::SAME_OBJECT;
    }
    let Some(entry) = ctx.server.storage.peek(ctx.session.db, &args[1]) else { return Reply::Integer(0) };
    // A collection is shared by reference; the copy must not be.
    let entry = Entry { value: entry.value.duplicate(), expires_at: entry.expires_at };
    put_into(ctx, db, &args[2], entry, replace)
}

/// MOVE key db (runs with every database locked).
pub(crate) fn move_(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let db = match parse_db(ctx, &args[2]) {
        Ok(n) => n,
        Err(reply) => return reply,
    };
    if db == ctx.session.db {
        return errors::SAME_OBJECT;
    }
    let Some(entry) = ctx.server.storage.peek(ctx.session.db, &args[1]) else { return Reply::Integer(0) };
    let reply = put_into(ctx, db, &args[1], entry, false);
    if reply == Reply::Integer(1) {
        ctx.server.storage.remove(ctx.session.db, &args[1]);
    }
    reply
}
