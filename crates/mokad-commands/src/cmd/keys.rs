//! Generic key commands: existence, deletion, expiry, iteration, renaming, copying, moving,
//! introspection (OBJECT).

use bytes::Bytes;
use mokad_resp::{parse_i64, Reply};
use mokad_storage::{Change, Entry, Value};

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

/// The options of HSCAN and SSCAN: `[MATCH pattern] [COUNT count]` (TYPE is SCAN's only).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScanOptions<'a> {
    /// How many elements a page visits (a hint, as in Redis).
    pub count: usize,
    /// The pattern elements must match; `None` for none or `*`.
    pub pattern: Option<&'a [u8]>,
}

impl<'a> ScanOptions<'a> {
    /// Parses the options after the cursor, with Redis's errors.
    pub(crate) fn parse(options: &'a [Bytes]) -> Result<Self, Reply> {
        let mut parsed = ScanOptions { count: 10, pattern: None };
        let mut rest = options.iter();
        while let Some(opt) = rest.next() {
            let Some(value) = rest.next() else { return Err(errors::SYNTAX) };
            if is(opt, "COUNT") {
                match parse_int(value)? {
                    n if n < 1 => return Err(errors::SYNTAX),
                    n => parsed.count = n as usize,
                }
            } else if is(opt, "MATCH") {
                parsed.pattern = (value.as_ref() != b"*").then_some(value.as_ref());
            } else {
                return Err(errors::SYNTAX);
            }
        }
        Ok(parsed)
    }

    /// Whether `element` passes MATCH.
    pub(crate) fn matches(&self, element: &[u8]) -> bool {
        self.pattern.is_none_or(|p| glob::matches(p, element, false))
    }
}

/// One page of a cursor over a collection of `len` elements held by position (HSCAN and SSCAN
/// of a hashtable-encoded hash or set): the positions to visit and the next cursor (0 when
/// done).
///
/// The cursor is the number of positions not visited yet, and pages go from the last position
/// down. Adding appends at the end, and removing moves elements only towards the start (the
/// last one into the hole, or every later one down by one), so an element not yet visited
/// stays below the cursor, where pages have yet to go: every
/// element present for the whole iteration is returned, and the cursor is stable while the
/// collection does not change. An element visited already may come back, as Redis allows.
pub(crate) fn scan_positions(len: usize, cursor: u64, count: usize) -> (u64, std::ops::Range<usize>) {
    let end = if cursor == 0 { len } else { len.min(usize::try_from(cursor).unwrap_or(usize::MAX)) };
    let start = end.saturating_sub(count);
    (start as u64, start..end)
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
    ctx.server.blocking.signal_any(db, dst);
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
        Ok(reply) => {
            // Clients blocked on the destination (BLPOP ...) look at what arrived.
            ctx.server.blocking.signal_any(db, key);
            reply
        }
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

/// Longest string Redis 7.0 keeps in one allocation with its header (`embstr`).
const EMBSTR_SIZE_LIMIT: usize = 44;
/// Integers Redis shares one object for (`OBJ_SHARED_INTEGERS`): 0 to 9999.
const SHARED_INTEGERS: i64 = 10_000;
/// The reference count Redis reports for a shared object (`OBJ_SHARED_REFCOUNT`, `INT_MAX`).
const SHARED_REFCOUNT: i64 = i32::MAX as i64;

/// The encoding Redis 7.0 would give `value`.
///
/// Hashes and sets remember theirs (Redis never converts back to the small encoding); a
/// string's follows from its content, as Redis's `tryObjectEncoding` decides it when the value
/// is stored; a sorted set's from its current size; lists are always quicklists in 7.0.
fn encoding(value: &Value) -> &'static str {
    match value {
        Value::String(s) if s.len() <= 20 && parse_i64(s).is_some() => "int",
        Value::String(s) if s.len() <= EMBSTR_SIZE_LIMIT => "embstr",
        Value::String(_) => "raw",
        Value::Hash(h) if h.read().is_listpack() => "listpack",
        Value::Hash(_) => "hashtable",
        Value::List(_) => "quicklist",
        Value::Set(s) if s.read().is_intset() => "intset",
        Value::Set(_) => "hashtable",
        Value::ZSet(z) if z.read().is_skiplist() => "skiplist",
        Value::ZSet(_) => "listpack",
    }
}

/// The value at OBJECT's key, or the nil reply when there is none.
fn object_value(ctx: &Ctx<'_>, key: &Bytes) -> Result<Value, Reply> {
    ctx.server.storage.get(ctx.session.db, key).map(|e| e.value).ok_or(Reply::Null)
}

/// Whether the eviction policy is an LFU one (Redis's `MAXMEMORY_FLAG_LFU`).
fn lfu_policy(ctx: &Ctx<'_>) -> bool {
    ctx.server.settings.read().maxmemory_policy.to_ascii_lowercase().ends_with("-lfu")
}

/// OBJECT ENCODING key: the internal representation Redis 7.0 would use (see [`encoding`]).
///
/// # Format
/// `OBJECT ENCODING key`
pub(crate) fn object_encoding(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match object_value(ctx, &args[2]) {
        Ok(value) => Reply::bulk(encoding(&value)),
        Err(reply) => reply,
    }
}

/// OBJECT REFCOUNT key: what Redis would report. Redis shares one object per integer from 0
/// to 9999 (refcount `INT_MAX`) unless a maxmemory is set with an LRU or LFU policy; every
/// other value has one reference.
///
/// # Format
/// `OBJECT REFCOUNT key`
pub(crate) fn object_refcount(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let value = match object_value(ctx, &args[2]) {
        Ok(value) => value,
        Err(reply) => return reply,
    };
    let sharing = {
        let settings = ctx.server.settings.read();
        let policy = settings.maxmemory_policy.to_ascii_lowercase();
        settings.maxmemory.0 == 0 || !(policy.ends_with("-lru") || policy.ends_with("-lfu"))
    };
    let shared = match &value {
        Value::String(s) if encoding(&value) == "int" => sharing && parse_i64(s).is_some_and(|n| (0..SHARED_INTEGERS).contains(&n)),
        _ => false,
    };
    Reply::Integer(if shared { SHARED_REFCOUNT } else { 1 })
}

/// OBJECT IDLETIME key: an error, never a made-up number. Under an LFU policy it is Redis's own
/// error; under any other, mokad's, because moka keeps no access time per key (it orders keys
/// for eviction without timestamps that could be read back).
///
/// # Format
/// `OBJECT IDLETIME key`
pub(crate) fn object_idletime(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    if let Err(reply) = object_value(ctx, &args[2]) {
        return reply;
    }
    if lfu_policy(ctx) {
        errors::LFU_SELECTED
    } else {
        errors::IDLETIME_NOT_TRACKED
    }
}

/// OBJECT FREQ key: an error, never a made-up number. Under a policy that is not LFU it is
/// Redis's own error; under an LFU one, mokad's, because moka's frequency sketch cannot be
/// read back per key.
///
/// # Format
/// `OBJECT FREQ key`
pub(crate) fn object_freq(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    if let Err(reply) = object_value(ctx, &args[2]) {
        return reply;
    }
    if lfu_policy(ctx) {
        errors::FREQ_NOT_TRACKED
    } else {
        errors::LFU_NOT_SELECTED
    }
}

/// OBJECT HELP: Redis 7.0's text, line for line.
///
/// # Format
/// `OBJECT HELP`
pub(crate) fn object_help(_: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    const LINES: &[&str] = &[
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    ];
    Reply::Array(LINES.iter().map(|line| Reply::simple(line)).collect())
}
