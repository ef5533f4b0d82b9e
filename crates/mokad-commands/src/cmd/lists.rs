//! List commands, the blocking pops (BLPOP, BLMOVE, BLMPOP, BZPOPMIN, BZMPOP ...), and ZMPOP,
//! which shares BZMPOP's and LMPOP's code.
//!
//! A blocking command first tries its keys in argument order like its non-blocking form. When
//! nothing is there it records what it waits for in the session (see `crate::blocking`) and
//! the connection parks it, then runs it again when a write wakes it, looking first at the
//! keys that became ready, in the order they did. Inside EXEC or a script it does not block:
//! it answers the null array at once, as if its timeout had passed.

use bytes::Bytes;
use mokad_resp::{parse_i64, Protocol, Reply};
use mokad_storage::collections::{List, ZSet};

use super::{owned, read_collection, write_collection, zsets, IfAbsent};
use crate::args::{is, parse_int};
use crate::blocking::{parse_timeout, Blocked, WaitKind, TIMED_OUT};
use crate::dispatch::Ctx;
use crate::errors;

/// One end of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// The head (LEFT).
    Left,
    /// The tail (RIGHT).
    Right,
}

impl End {
    /// `LEFT` or `RIGHT`, in any case; anything else is a syntax error.
    fn parse(arg: &[u8]) -> Result<End, Reply> {
        if is(arg, "LEFT") {
            Ok(End::Left)
        } else if is(arg, "RIGHT") {
            Ok(End::Right)
        } else {
            Err(errors::SYNTAX)
        }
    }

    fn pop(self, list: &mut List) -> Option<Bytes> {
        match self {
            End::Left => list.pop_front(),
            End::Right => list.pop_back(),
        }
    }

    fn push(self, list: &mut List, item: Bytes) {
        match self {
            End::Left => list.push_front(item),
            End::Right => list.push_back(item),
        }
    }
}

/// What `write_collection` answers for an absent key in the pops below, where every real
/// reply is a bulk string or a non-null array: "nothing to take here".
const NOT_READY: Reply = Reply::NullArray;

/// The inclusive positions `start..=end` that a range with Redis's negative indexes selects in
/// a list of `len` elements (LRANGE, LTRIM), or `None` when it selects nothing.
fn range(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    let len = len as i64;
    let start = if start < 0 { (len + start).max(0) } else { start };
    let end = if end < 0 { len + end } else { end };
    if start > end || start >= len {
        return None;
    }
    Some((start as usize, end.min(len - 1) as usize))
}

/// The position an index with Redis's negative indexes names in a list of `len` elements.
fn position(index: i64, len: usize) -> Option<usize> {
    let index = if index < 0 { index.checked_add(len as i64)? } else { index };
    usize::try_from(index).ok().filter(|&i| i < len)
}

fn push_generic(ctx: &mut Ctx<'_>, args: &[Bytes], end: End, absent: IfAbsent) -> Reply {
    write_collection(ctx, &args[1], absent, |list: &mut List| {
        for item in &args[2..] {
            end.push(list, owned(item));
        }
        (Reply::Integer(list.len() as i64), true)
    })
}

/// LPUSH: adds elements at the head (the last argument ends up first); replies the length.
///
/// # Format
/// `LPUSH key element [element ...]`
pub(crate) fn lpush(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    push_generic(ctx, args, End::Left, IfAbsent::Create)
}

/// RPUSH: adds elements at the tail; replies the length.
///
/// # Format
/// `RPUSH key element [element ...]`
pub(crate) fn rpush(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    push_generic(ctx, args, End::Right, IfAbsent::Create)
}

/// LPUSHX: LPUSH only onto an existing list; 0 when there is none.
///
/// # Format
/// `LPUSHX key element [element ...]`
pub(crate) fn lpushx(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    push_generic(ctx, args, End::Left, IfAbsent::Reply(Reply::Integer(0)))
}

/// RPUSHX: RPUSH only onto an existing list; 0 when there is none.
///
/// # Format
/// `RPUSHX key element [element ...]`
pub(crate) fn rpushx(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    push_generic(ctx, args, End::Right, IfAbsent::Reply(Reply::Integer(0)))
}

fn pop_generic(ctx: &mut Ctx<'_>, args: &[Bytes], end: End) -> Reply {
    if args.len() > 3 {
        return errors::wrong_arity(if end == End::Left { "lpop" } else { "rpop" });
    }
    let count = match args.get(2) {
        None => None,
        Some(arg) => match parse_i64(arg) {
            Some(n) if n >= 0 => Some(n as usize),
            _ => return errors::MUST_BE_POSITIVE,
        },
    };
    // Without a count the reply is an element, so "no list" is the null bulk; with one, it is
    // an array, so the null array (even for COUNT 0, which answers [] on an existing list).
    let absent = if count.is_some() { Reply::NullArray } else { Reply::Null };
    write_collection(ctx, &args[1], IfAbsent::Reply(absent), |list: &mut List| match count {
        None => (end.pop(list).map_or(Reply::Null, Reply::Bulk), true),
        Some(0) => (Reply::Array(Vec::new()), false),
        Some(n) => {
            let items: Vec<Reply> = (0..n.min(list.len())).filter_map(|_| end.pop(list)).map(Reply::Bulk).collect();
            (Reply::Array(items), true)
        }
    })
}

/// LPOP: removes and returns the first element, or the first `count` as an array.
///
/// # Format
/// `LPOP key [count]`
pub(crate) fn lpop(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    pop_generic(ctx, args, End::Left)
}

/// RPOP: removes and returns the last element, or the last `count` as an array.
///
/// # Format
/// `RPOP key [count]`
pub(crate) fn rpop(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    pop_generic(ctx, args, End::Right)
}

/// LLEN: the number of elements, 0 when there is no list.
///
/// # Format
/// `LLEN key`
pub(crate) fn llen(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_collection::<List>(ctx, &args[1]) {
        Err(reply) => reply,
        Ok(None) => Reply::Integer(0),
        Ok(Some(list)) => Reply::Integer(list.read().len() as i64),
    }
}

/// LRANGE: the elements from `start` to `stop` inclusive (negative indexes count from the
/// tail; out-of-range indexes are clamped).
///
/// # Format
/// `LRANGE key start stop`
pub(crate) fn lrange(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let (start, stop) = match (parse_int(&args[2]), parse_int(&args[3])) {
        (Ok(start), Ok(stop)) => (start, stop),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    match read_collection::<List>(ctx, &args[1]) {
        Err(reply) => reply,
        Ok(None) => Reply::Array(Vec::new()),
        Ok(Some(list)) => {
            let list = list.read();
            match range(start, stop, list.len()) {
                None => Reply::Array(Vec::new()),
                Some((from, to)) => Reply::Array(list.range(from, to).cloned().map(Reply::Bulk).collect()),
            }
        }
    }
}

/// LINDEX: the element at `index` (negative counts from the tail), or nil.
///
/// # Format
/// `LINDEX key index`
pub(crate) fn lindex(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    // Redis looks the key up before parsing the index.
    let list = match read_collection::<List>(ctx, &args[1]) {
        Err(reply) => return reply,
        Ok(None) => return Reply::Null,
        Ok(Some(list)) => list,
    };
    let index = match parse_int(&args[2]) {
        Ok(index) => index,
        Err(reply) => return reply,
    };
    let list = list.read();
    position(index, list.len()).and_then(|i| list.get(i)).map_or(Reply::Null, |item| Reply::Bulk(item.clone()))
}

/// LSET: replaces the element at `index`.
///
/// # Format
/// `LSET key index element`
pub(crate) fn lset(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    write_collection(ctx, &args[1], IfAbsent::Reply(errors::NO_SUCH_KEY), |list: &mut List| {
        let index = match parse_int(&args[2]) {
            Ok(index) => index,
            Err(reply) => return (reply, false),
        };
        match position(index, list.len()) {
            Some(i) => (Reply::OK, list.set(i, owned(&args[3]))),
            None => (errors::INDEX_OUT_OF_RANGE, false),
        }
    })
}

/// LINSERT: inserts `element` before or after the first `pivot`; replies the new length, -1
/// when the pivot is not there, 0 when there is no list.
///
/// # Format
/// `LINSERT key <BEFORE | AFTER> pivot element`
pub(crate) fn linsert(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let after = if is(&args[2], "AFTER") {
        true
    } else if is(&args[2], "BEFORE") {
        false
    } else {
        return errors::SYNTAX;
    };
    write_collection(ctx, &args[1], IfAbsent::Reply(Reply::Integer(0)), |list: &mut List| {
        match list.iter().position(|item| item == &args[3]) {
            None => (Reply::Integer(-1), false),
            Some(i) => {
                list.insert(i + usize::from(after), owned(&args[4]));
                (Reply::Integer(list.len() as i64), true)
            }
        }
    })
}

/// LREM: removes elements equal to `element`: the first `count` (count > 0), the last
/// `-count` (count < 0) or all (0); replies how many.
///
/// # Format
/// `LREM key count element`
pub(crate) fn lrem(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let count = match parse_int(&args[2]) {
        Ok(count) => count,
        Err(reply) => return reply,
    };
    let limit = usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX);
    write_collection(ctx, &args[1], IfAbsent::Reply(Reply::Integer(0)), |list: &mut List| {
        let removed = list.remove_matching(&args[3], limit, count < 0);
        (Reply::Integer(removed as i64), removed > 0)
    })
}

/// LTRIM: keeps only the elements from `start` to `stop` inclusive (the list is deleted when
/// that range is empty).
///
/// # Format
/// `LTRIM key start stop`
pub(crate) fn ltrim(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let (start, stop) = match (parse_int(&args[2]), parse_int(&args[3])) {
        (Ok(start), Ok(stop)) => (start, stop),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    write_collection(ctx, &args[1], IfAbsent::Reply(Reply::OK), |list: &mut List| {
        let before = list.len();
        match range(start, stop, before) {
            None => list.keep_range(0, 0),
            Some((from, to)) => list.keep_range(from, to + 1),
        }
        (Reply::OK, list.len() != before)
    })
}

/// LPOS: the position of the first element equal to `element` (RANK n: the n-th match,
/// negative from the tail; COUNT n: up to n positions as an array, 0 for all; MAXLEN n: look
/// at most at n elements, 0 for all).
///
/// # Format
/// `LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]`
pub(crate) fn lpos(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let (mut rank, mut count, mut maxlen) = (1i64, None::<i64>, 0i64);
    let mut i = 3;
    while i < args.len() {
        let (option, value) = match args.get(i + 1) {
            Some(value) => (&args[i], value),
            None => return errors::SYNTAX,
        };
        if is(option, "RANK") {
            rank = match parse_int(value) {
                Ok(0) => return errors::LPOS_RANK_ZERO,
                Ok(n) => n,
                Err(reply) => return reply,
            };
        } else if is(option, "COUNT") {
            count = match parse_i64(value) {
                Some(n) if n >= 0 => Some(n),
                _ => return errors::LPOS_COUNT_NEGATIVE,
            };
        } else if is(option, "MAXLEN") {
            maxlen = match parse_i64(value) {
                Some(n) if n >= 0 => n,
                _ => return errors::LPOS_MAXLEN_NEGATIVE,
            };
        } else {
            return errors::SYNTAX;
        }
        i += 2;
    }
    let list = match read_collection::<List>(ctx, &args[1]) {
        Err(reply) => return reply,
        Ok(None) => return if count.is_some() { Reply::Array(Vec::new()) } else { Reply::Null },
        Ok(Some(list)) => list,
    };
    let list = list.read();
    let len = list.len();
    // A negative rank searches from the tail. Redis 7.0 negates it in C `long`, so RANK
    // -9223372036854775808 stays negative and every match qualifies; the wrapping arithmetic
    // below reproduces that.
    let from_tail = rank < 0;
    if from_tail {
        rank = rank.wrapping_neg();
    }
    let items: Box<dyn Iterator<Item = &Bytes>> = if from_tail { Box::new(list.iter().rev()) } else { Box::new(list.iter()) };
    let mut matches = 0i64;
    let mut found = Vec::new();
    for (seen, item) in items.enumerate() {
        if maxlen != 0 && seen as i64 >= maxlen {
            break;
        }
        if item != &args[2] {
            continue;
        }
        matches += 1;
        if matches < rank {
            continue;
        }
        let index = if from_tail { len - 1 - seen } else { seen };
        match count {
            None => return Reply::Integer(index as i64),
            Some(count) => {
                found.push(Reply::Integer(index as i64));
                if count != 0 && matches.wrapping_sub(rank).wrapping_add(1) >= count {
                    break;
                }
            }
        }
    }
    if count.is_some() {
        Reply::Array(found)
    } else {
        Reply::Null
    }
}

/// Whether the blocking command running may take from `key` now (always, when it cannot
/// block): no other client waits there first. Records in `passed` that it passed a key over.
fn may_take(ctx: &Ctx<'_>, key: &Bytes, kind: WaitKind, passed: &mut bool) -> bool {
    let session = &ctx.session;
    if !session.may_block() {
        return true;
    }
    let ok = ctx.server.blocking.may_serve(session.db, key, kind, session.client.id);
    *passed |= !ok;
    ok
}

/// What a blocking command that found nothing is to do.
struct Wait<'a> {
    keys: &'a [Bytes],
    kind: WaitKind,
    timeout: Option<std::time::Duration>,
    /// Whether a ready key was passed over for other waiters.
    kick: bool,
    /// The reply where it may not block (inside EXEC or a script): BLMOVE and BRPOPLPUSH
    /// answer the null bulk string there, like LMOVE, though their timeout is the null array.
    at_once: Reply,
}

/// The end of a blocking command that found nothing: waits (see `crate::blocking`) where it
/// may block, else answers at once. The reply returned while blocking is not sent.
fn block(ctx: &mut Ctx<'_>, args: &[Bytes], wait: Wait<'_>) -> Reply {
    if !ctx.session.may_block() {
        return wait.at_once;
    }
    // Copies, so that a long wait does not keep the whole read buffer the request came in alive.
    ctx.session.blocked = Some(Blocked {
        args: args.iter().map(owned).collect(),
        db: ctx.session.db,
        keys: wait.keys.iter().map(owned).collect(),
        kind: wait.kind,
        timeout: wait.timeout,
        kick: wait.kick,
    });
    TIMED_OUT
}

/// What a blocking command answers for a source key of another type: WRONGTYPE at first, but
/// only "not ready" when it looks again after waking, as Redis serves a blocked client only
/// from a key of its type (and a waiter that failed there would also hold up the ones behind).
fn wrong_source(ctx: &Ctx<'_>) -> Reply {
    if ctx.session.block_retry {
        NOT_READY
    } else {
        errors::WRONGTYPE
    }
}

/// [`wrong_source`] applied to a pop's reply.
fn source_checked(ctx: &Ctx<'_>, reply: Reply) -> Reply {
    if reply == errors::WRONGTYPE {
        wrong_source(ctx)
    } else {
        reply
    }
}

/// Pops from the first of `keys` that has something, in argument order; `take` answers
/// [`NOT_READY`] for a key with nothing to take. `kind` is set for blocking commands, which
/// pass over keys where other clients wait first, and which, run again after a wake-up, look
/// first at the keys that became ready, in the order they did (`Session::block_ready`).
/// `Err(passed)` when nothing was taken, `passed` telling whether a key was passed over for
/// other waiters.
fn take_first(
    ctx: &Ctx<'_>,
    keys: &[Bytes],
    kind: Option<WaitKind>,
    mut take: impl FnMut(&Bytes) -> Reply,
) -> Result<Reply, bool> {
    let mut passed = false;
    // A ready key that turns out empty is looked at twice; harmless, and the ready keys are
    // few.
    let ready: &[Bytes] = if kind.is_some() { &ctx.session.block_ready } else { &[] };
    for key in ready.iter().chain(keys) {
        if let Some(kind) = kind {
            if !may_take(ctx, key, kind, &mut passed) {
                // Redis never leaves elements under a key with waiters, so the key counts as
                // empty here; but one of another type fails the command on its first run as
                // the pop would (see `wrong_source`).
                if !ctx.session.block_retry && holds_other_type(ctx, key, kind) {
                    return Ok(errors::WRONGTYPE);
                }
                continue;
            }
        }
        let reply = take(key);
        if reply != NOT_READY {
            return Ok(reply);
        }
    }
    Err(passed)
}

/// Whether `key` holds a value that is not what a waiter of `kind` takes.
fn holds_other_type(ctx: &Ctx<'_>, key: &Bytes, kind: WaitKind) -> bool {
    let Some(entry) = ctx.server.storage.peek(ctx.session.db, key) else { return false };
    !matches!(
        (kind, &entry.value),
        (WaitKind::List, mokad_storage::Value::List(_)) | (WaitKind::ZSet, mokad_storage::Value::ZSet(_))
    )
}

fn bpop_generic(ctx: &mut Ctx<'_>, args: &[Bytes], end: End) -> Reply {
    let timeout = match parse_timeout(&args[args.len() - 1]) {
        Ok(timeout) => timeout,
        Err(reply) => return reply,
    };
    let keys = &args[1..args.len() - 1];
    let shared: &Ctx<'_> = ctx;
    let taken = take_first(shared, keys, Some(WaitKind::List), |key| {
        let reply = write_collection(shared, key, IfAbsent::Reply(NOT_READY), |list: &mut List| match end.pop(list) {
            Some(item) => (Reply::Array(vec![Reply::Bulk(key.clone()), Reply::Bulk(item)]), true),
            None => (NOT_READY, false),
        });
        source_checked(shared, reply)
    });
    match taken {
        Ok(reply) => reply,
        Err(kick) => block(ctx, args, Wait { keys, kind: WaitKind::List, timeout, kick, at_once: TIMED_OUT }),
    }
}

/// BLPOP: LPOP of the first non-empty list among `keys`, replying `[key, element]`; waits up
/// to `timeout` seconds (0: forever) for one when all are empty, then nil.
///
/// # Format
/// `BLPOP key [key ...] timeout`
pub(crate) fn blpop(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    bpop_generic(ctx, args, End::Left)
}

/// BRPOP: as BLPOP, from the tails.
///
/// # Format
/// `BRPOP key [key ...] timeout`
pub(crate) fn brpop(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    bpop_generic(ctx, args, End::Right)
}

/// Moves one element from `source`'s `from` end to `destination`'s `to` end, checking both
/// types first; [`NOT_READY`] when there is no source list, `wrong_source` when the source is
/// another type. The caller holds the database's exclusive lock, so the two writes are one
/// atomic step.
fn move_one(ctx: &Ctx<'_>, source: &Bytes, destination: &Bytes, from: End, to: End, wrong_source: Reply) -> Reply {
    let storage = &ctx.server.storage;
    let db = ctx.session.db;
    match storage.peek(db, source) {
        None => return NOT_READY,
        Some(entry) if !matches!(entry.value, mokad_storage::Value::List(_)) => return wrong_source,
        Some(_) => {}
    }
    if let Some(entry) = storage.peek(db, destination) {
        if !matches!(entry.value, mokad_storage::Value::List(_)) {
            return errors::WRONGTYPE;
        }
    }
    let mut popped = None;
    let reply = write_collection(ctx, source, IfAbsent::Reply(NOT_READY), |list: &mut List| {
        popped = from.pop(list);
        (NOT_READY, popped.is_some())
    });
    let Some(item) = popped else { return reply };
    let pushed = write_collection(ctx, destination, IfAbsent::Create, |list: &mut List| {
        to.push(list, item.clone());
        (Reply::Null, true)
    });
    if pushed.is_error() {
        return pushed;
    }
    Reply::Bulk(item)
}

/// The null bulk string for [`NOT_READY`] (LMOVE and RPOPLPUSH answer nil without a source).
fn nil_if_not_ready(reply: Reply) -> Reply {
    if reply == NOT_READY {
        Reply::Null
    } else {
        reply
    }
}

/// LMOVE: moves the element at one end of `source` to one end of `destination` and returns
/// it; nil when there is no source list.
///
/// # Format
/// `LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT>`
pub(crate) fn lmove(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let (from, to) = match (End::parse(&args[3]), End::parse(&args[4])) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    nil_if_not_ready(move_one(ctx, &args[1], &args[2], from, to, errors::WRONGTYPE))
}

/// RPOPLPUSH: LMOVE source destination RIGHT LEFT.
///
/// # Format
/// `RPOPLPUSH source destination`
pub(crate) fn rpoplpush(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    nil_if_not_ready(move_one(ctx, &args[1], &args[2], End::Right, End::Left, errors::WRONGTYPE))
}

fn bmove_generic(ctx: &mut Ctx<'_>, args: &[Bytes], from: End, to: End, timeout: Option<std::time::Duration>) -> Reply {
    let source = std::slice::from_ref(&args[1]);
    let shared: &Ctx<'_> = ctx;
    // A destination of another type fails the command even after waking, as in Redis.
    let taken = take_first(shared, source, Some(WaitKind::List), |key| move_one(shared, key, &args[2], from, to, wrong_source(shared)));
    match taken {
        Ok(reply) => reply,
        Err(kick) => block(ctx, args, Wait { keys: source, kind: WaitKind::List, timeout, kick, at_once: Reply::Null }),
    }
}

/// BLMOVE: LMOVE that waits up to `timeout` seconds (0: forever) for a source list.
///
/// # Format
/// `BLMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout`
pub(crate) fn blmove(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let (from, to) = match (End::parse(&args[3]), End::parse(&args[4])) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    match parse_timeout(&args[5]) {
        Ok(timeout) => bmove_generic(ctx, args, from, to, timeout),
        Err(reply) => reply,
    }
}

/// BRPOPLPUSH: BLMOVE source destination RIGHT LEFT timeout.
///
/// # Format
/// `BRPOPLPUSH source destination timeout`
pub(crate) fn brpoplpush(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match parse_timeout(&args[3]) {
        Ok(timeout) => bmove_generic(ctx, args, End::Right, End::Left, timeout),
        Err(reply) => reply,
    }
}

/// The arguments of LMPOP, BLMPOP, ZMPOP and BZMPOP from `numkeys` on; `E` is the end to pop
/// from ([`End`] for lists, [`ScoreEnd`] for sorted sets).
struct Mpop<'a, E> {
    keys: &'a [Bytes],
    end: E,
    count: usize,
}

/// The end an *MPOP command pops from, and how it pops there: LMPOP's LEFT/RIGHT on a list,
/// ZMPOP's MIN/MAX on a sorted set.
trait PopEnd: Sized {
    /// What a client blocked in the command's blocking form waits for.
    const KIND: WaitKind;
    /// Reads the end argument.
    fn parse_end(arg: &[u8]) -> Result<Self, Reply>;
    /// Pops from `key` as `mpop` asks: `[key, [...]]`, or [`NOT_READY`].
    fn take(mpop: &Mpop<'_, Self>, ctx: &Ctx<'_>, key: &Bytes) -> Reply;
}

/// LMPOP and ZMPOP: pops from the first non-empty key, or answers nil.
fn mpop<E: PopEnd>(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let mpop = match Mpop::parse(args, 1, E::parse_end) {
        Ok(mpop) => mpop,
        Err(reply) => return reply,
    };
    let shared: &Ctx<'_> = ctx;
    take_first(shared, mpop.keys, None, |key| E::take(&mpop, shared, key)).unwrap_or(Reply::NullArray)
}

/// BLMPOP and BZMPOP: as [`mpop`], waiting up to the timeout for a key to fill.
fn blocking_mpop<E: PopEnd>(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    // Redis reads numkeys, the end and COUNT before the timeout here.
    let mpop = match Mpop::parse(args, 2, E::parse_end) {
        Ok(mpop) => mpop,
        Err(reply) => return reply,
    };
    let timeout = match parse_timeout(&args[1]) {
        Ok(timeout) => timeout,
        Err(reply) => return reply,
    };
    let shared: &Ctx<'_> = ctx;
    match take_first(shared, mpop.keys, Some(E::KIND), |key| source_checked(shared, E::take(&mpop, shared, key))) {
        Ok(reply) => reply,
        Err(kick) => {
            let keys = mpop.keys;
            block(ctx, args, Wait { keys, kind: E::KIND, timeout, kick, at_once: TIMED_OUT })
        }
    }
}

impl<'a, E> Mpop<'a, E> {
    /// Parses `numkeys key [key ...] <end> [COUNT count]` starting at `args[at]`, with Redis's
    /// checks in Redis's order (the same for lists and sorted sets); `parse_end` reads the end.
    fn parse(args: &'a [Bytes], at: usize, parse_end: fn(&[u8]) -> Result<E, Reply>) -> Result<Mpop<'a, E>, Reply> {
        let numkeys = match parse_i64(&args[at]) {
            Some(n) if n >= 1 => n as u64,
            _ => return Err(errors::NUMKEYS_NOT_POSITIVE),
        };
        let where_at = usize::try_from(numkeys).ok().and_then(|n| n.checked_add(at + 1)).filter(|&w| w < args.len());
        let Some(where_at) = where_at else { return Err(errors::SYNTAX) };
        let end = parse_end(&args[where_at])?;
        let mut count = None;
        let mut i = where_at + 1;
        while i < args.len() {
            if count.is_none() && is(&args[i], "COUNT") && i + 1 < args.len() {
                count = match parse_i64(&args[i + 1]) {
                    Some(n) if n >= 1 => Some(usize::try_from(n).unwrap_or(usize::MAX)),
                    _ => return Err(errors::COUNT_POSITIVE),
                };
                i += 2;
            } else {
                return Err(errors::SYNTAX);
            }
        }
        Ok(Mpop { keys: &args[at + 1..where_at], end, count: count.unwrap_or(1) })
    }
}

impl PopEnd for End {
    const KIND: WaitKind = WaitKind::List;

    fn parse_end(arg: &[u8]) -> Result<End, Reply> {
        End::parse(arg)
    }

    /// Pops up to `count` elements from `key`: `[key, [element ...]]`, or [`NOT_READY`].
    fn take(mpop: &Mpop<'_, End>, ctx: &Ctx<'_>, key: &Bytes) -> Reply {
        write_collection(ctx, key, IfAbsent::Reply(NOT_READY), |list: &mut List| {
            let items: Vec<Reply> =
                (0..mpop.count.min(list.len())).filter_map(|_| mpop.end.pop(list)).map(Reply::Bulk).collect();
            (Reply::Array(vec![Reply::Bulk(key.clone()), Reply::Array(items)]), true)
        })
    }
}

/// LMPOP: pops up to `count` elements (default 1) from one end of the first non-empty list
/// among the keys: `[key, [element ...]]`, or nil.
///
/// # Format
/// `LMPOP numkeys key [key ...] <LEFT | RIGHT> [COUNT count]`
pub(crate) fn lmpop(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    mpop::<End>(ctx, args)
}

/// BLMPOP: LMPOP that waits up to `timeout` seconds (0: forever) for a non-empty list.
///
/// # Format
/// `BLMPOP timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]`
pub(crate) fn blmpop(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    blocking_mpop::<End>(ctx, args)
}

fn bzpop_generic(ctx: &mut Ctx<'_>, args: &[Bytes], max: bool) -> Reply {
    let timeout = match parse_timeout(&args[args.len() - 1]) {
        Ok(timeout) => timeout,
        Err(reply) => return reply,
    };
    let keys = &args[1..args.len() - 1];
    let shared: &Ctx<'_> = ctx;
    let taken = take_first(shared, keys, Some(WaitKind::ZSet), |key| {
        let reply = write_collection(shared, key, IfAbsent::Reply(NOT_READY), |zset: &mut ZSet| {
            match if max { zset.pop_max() } else { zset.pop_min() } {
                Some((member, score)) => {
                    (Reply::Array(vec![Reply::Bulk(key.clone()), Reply::Bulk(member), Reply::Double(score)]), true)
                }
                None => (NOT_READY, false),
            }
        });
        source_checked(shared, reply)
    });
    match taken {
        Ok(reply) => reply,
        Err(kick) => block(ctx, args, Wait { keys, kind: WaitKind::ZSet, timeout, kick, at_once: TIMED_OUT }),
    }
}

/// BZPOPMIN: removes the lowest-scored member of the first non-empty sorted set among `keys`,
/// replying `[key, member, score]`; waits up to `timeout` seconds (0: forever) for one.
///
/// # Format
/// `BZPOPMIN key [key ...] timeout`
pub(crate) fn bzpopmin(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    bzpop_generic(ctx, args, false)
}

/// BZPOPMAX: as BZPOPMIN, with the highest-scored member.
///
/// # Format
/// `BZPOPMAX key [key ...] timeout`
pub(crate) fn bzpopmax(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    bzpop_generic(ctx, args, true)
}

/// The end of a sorted set ZMPOP and BZMPOP pop from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScoreEnd {
    /// The lowest scores (MIN).
    Min,
    /// The highest scores (MAX).
    Max,
}

impl ScoreEnd {
    /// `MIN` or `MAX`, in any case; anything else is a syntax error.
    fn parse(arg: &[u8]) -> Result<ScoreEnd, Reply> {
        if is(arg, "MIN") {
            Ok(ScoreEnd::Min)
        } else if is(arg, "MAX") {
            Ok(ScoreEnd::Max)
        } else {
            Err(errors::SYNTAX)
        }
    }
}

impl PopEnd for ScoreEnd {
    const KIND: WaitKind = WaitKind::ZSet;

    fn parse_end(arg: &[u8]) -> Result<ScoreEnd, Reply> {
        ScoreEnd::parse(arg)
    }

    /// Pops up to `count` members from `key`: `[key, [[member, score] ...]]`, the pairs nested
    /// in RESP2 too, or [`NOT_READY`].
    fn take(mpop: &Mpop<'_, ScoreEnd>, ctx: &Ctx<'_>, key: &Bytes) -> Reply {
        write_collection(ctx, key, IfAbsent::Reply(NOT_READY), |zset: &mut ZSet| {
            let popped = zsets::pop_members(zset, mpop.end == ScoreEnd::Max, mpop.count);
            let changed = !popped.is_empty();
            (Reply::Array(vec![Reply::Bulk(key.clone()), zsets::scored_reply(Protocol::Resp3, popped, true)]), changed)
        })
    }
}

/// ZMPOP: pops up to `count` members (default 1), lowest or highest scores first, from the
/// first non-empty sorted set among the keys: `[key, [[member, score] ...]]`, or nil.
///
/// # Format
/// `ZMPOP numkeys key [key ...] <MIN | MAX> [COUNT count]`
pub(crate) fn zmpop(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    mpop::<ScoreEnd>(ctx, args)
}

/// BZMPOP: ZMPOP that waits up to `timeout` seconds (0: forever) for a non-empty sorted set.
///
/// # Format
/// `BZMPOP timeout numkeys key [key ...] <MIN | MAX> [COUNT count]`
pub(crate) fn bzmpop(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    blocking_mpop::<ScoreEnd>(ctx, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn should_normalise_ranges_like_lrange() {
        assert_eq!(range(0, -1, 5), Some((0, 4)));
        assert_eq!(range(-3, -2, 5), Some((2, 3)));
        assert_eq!(range(-100, 100, 5), Some((0, 4)));
        assert_eq!(range(2, -100, 5), None);
        assert_eq!(range(5, 10, 5), None);
        assert_eq!(range(3, 1, 5), None);
        assert_eq!(range(0, 0, 0), None);
        assert_eq!(range(i64::MIN, i64::MAX, 3), Some((0, 2)));
    }

    #[test]
    fn should_resolve_negative_indexes_from_the_tail() {
        assert_eq!(position(0, 3), Some(0));
        assert_eq!(position(-1, 3), Some(2));
        assert_eq!(position(-3, 3), Some(0));
        assert_eq!(position(-4, 3), None);
        assert_eq!(position(3, 3), None);
        assert_eq!(position(i64::MIN, 3), None);
    }

    fn list(items: &[&str]) -> List {
        let mut list = List::default();
        for item in items {
            list.push_back(Bytes::copy_from_slice(item.as_bytes()));
        }
        list
    }

    fn items(list: &List) -> Vec<&[u8]> {
        list.iter().map(|b| b.as_ref()).collect()
    }

    #[test]
    fn should_remove_matches_from_either_end_and_keep_the_byte_count() {
        let mut l = list(&["a", "b", "a", "c", "a"]);
        assert_eq!(l.remove_matching(b"a", 2, true), 2);
        assert_eq!(items(&l), [&b"a"[..], b"b", b"c"]);
        let mut l = list(&["a", "b", "a", "c", "a"]);
        assert_eq!(l.remove_matching(b"a", 2, false), 2);
        assert_eq!(items(&l), [&b"b"[..], b"c", b"a"]);
        let mut l = list(&["a", "b", "a", "c", "a"]);
        assert_eq!(l.remove_matching(b"a", 0, false), 3);
        assert_eq!(l.bytes(), list(&["b", "c"]).bytes());
        assert_eq!(l.remove_matching(b"zz", 0, true), 0);
    }

    use crate::server::{Server, Session};
    use crate::settings::Settings;
    use bytes::BytesMut;
    use mokad_resp::Protocol;
    use mokad_storage::collections::shared;
    use mokad_storage::{Change, Entry, Value};

    fn server() -> Server {
        Server::new(Settings::default(), String::new())
    }

    fn session(server: &Server) -> Session {
        Session::new(server.clients.register("127.0.0.1:1".into(), "127.0.0.1:6379".into()))
    }

    /// Runs a command line and returns its reply encoded in `protocol`.
    fn run(server: &Server, session: &mut Session, protocol: Protocol, line: &str) -> String {
        let args = line.split(' ').map(|a| Bytes::copy_from_slice(a.as_bytes())).collect();
        let mut out = BytesMut::new();
        crate::execute(server, session, args).encode(protocol, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Stores a sorted set directly: ZADD lives in another module.
    fn store_zset(server: &Server, key: &str, members: &[(&str, f64)]) {
        let mut zset = ZSet::default();
        for (member, score) in members {
            zset.insert(Bytes::copy_from_slice(member.as_bytes()), *score);
        }
        let entry = Entry::new(Value::ZSet(shared(zset)));
        server.storage.update(0, key.as_bytes(), |_| (Change::Put(entry), ())).unwrap();
    }

    #[test]
    fn should_pop_sorted_set_members_with_their_scores_as_doubles() {
        let server = server();
        let mut s = session(&server);
        store_zset(&server, "z", &[("a", 1.5), ("b", 2.0), ("c", 0.1)]);
        let resp2 = Protocol::Resp2;
        assert_eq!(run(&server, &mut s, resp2, "BZPOPMIN nothing z 0"), "*3\r\n$1\r\nz\r\n$1\r\nc\r\n$19\r\n0.10000000000000001\r\n");
        assert_eq!(run(&server, &mut s, Protocol::Resp3, "BZPOPMAX z 0"), "*3\r\n$1\r\nz\r\n$1\r\nb\r\n,2\r\n");
        assert_eq!(run(&server, &mut s, resp2, "BZPOPMAX z 0"), "*3\r\n$1\r\nz\r\n$1\r\na\r\n$3\r\n1.5\r\n");
        assert!(s.blocked.is_none());
        assert!(!server.storage.exists(0, &Bytes::from_static(b"z")), "an emptied sorted set is deleted");
        // Nothing left: the command asks the connection to wait, for a sorted set.
        run(&server, &mut s, resp2, "BZPOPMIN z 1.5");
        let blocked = s.blocked.take().expect("blocked");
        assert_eq!((blocked.kind, blocked.timeout), (WaitKind::ZSet, Some(std::time::Duration::from_millis(1500))));
        assert_eq!(blocked.keys, [Bytes::from_static(b"z")]);
    }

    #[test]
    fn should_nest_zmpop_pairs_in_both_protocols_and_wait_for_a_sorted_set() {
        let server = server();
        let mut s = session(&server);
        store_zset(&server, "z", &[("a", 1.0), ("b", 2.0), ("c", 3.0)]);
        assert_eq!(
            run(&server, &mut s, Protocol::Resp2, "ZMPOP 2 nothing z MAX COUNT 2"),
            "*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"
        );
        assert_eq!(run(&server, &mut s, Protocol::Resp3, "BZMPOP 0 1 z MIN COUNT 9"), "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n,1\r\n");
        assert!(!server.storage.exists(0, &Bytes::from_static(b"z")), "an emptied sorted set is deleted");
        assert_eq!(run(&server, &mut s, Protocol::Resp2, "ZMPOP 1 z MIN"), "*-1\r\n");
        assert!(s.blocked.is_none(), "ZMPOP never blocks");
        run(&server, &mut s, Protocol::Resp2, "BZMPOP 0.25 2 y z MIN");
        let blocked = s.blocked.take().expect("blocked");
        assert_eq!((blocked.kind, blocked.timeout), (WaitKind::ZSet, Some(std::time::Duration::from_millis(250))));
        assert_eq!(blocked.keys, [Bytes::from_static(b"y"), Bytes::from_static(b"z")]);
    }

    #[test]
    fn should_fail_on_a_key_of_another_type_unless_looking_again_after_a_wake_up() {
        let server = server();
        let mut s = session(&server);
        store_zset(&server, "z", &[("a", 1.0)]);
        let wrongtype = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
        assert_eq!(run(&server, &mut s, Protocol::Resp2, "BLPOP z 0"), wrongtype);
        assert!(s.blocked.is_none());
        // Run again after a wake-up, a key of another type is only "not ready", as Redis
        // serves a blocked client only from a key of its type.
        s.block_retry = true;
        run(&server, &mut s, Protocol::Resp2, "BLPOP z 0");
        s.block_retry = false;
        assert!(s.blocked.take().is_some());
    }

    #[test]
    fn should_not_block_inside_exec_or_a_script() {
        let server = server();
        let mut s = session(&server);
        for (flag, line, reply) in [
            (0, "BLPOP q 0", "*-1\r\n"),
            (1, "BLMOVE q d LEFT LEFT 0", "$-1\r\n"),
            (0, "BZPOPMAX q 0", "*-1\r\n"),
            (1, "BLMPOP 0 1 q LEFT", "*-1\r\n"),
            (0, "BZMPOP 0 1 q MIN", "*-1\r\n"),
            (1, "BZMPOP 0 1 q MAX COUNT 2", "*-1\r\n"),
        ] {
            s.in_exec = flag == 0;
            s.in_script = flag == 1;
            assert_eq!(run(&server, &mut s, Protocol::Resp2, line), reply, "{line}");
            assert!(s.blocked.is_none(), "{line}");
        }
    }

    #[tokio::test]
    async fn should_wake_sorted_set_waiters_when_a_write_fills_the_key() {
        let server = server();
        let mut s = session(&server);
        let key = Bytes::from_static(b"z");
        let waiter = server.blocking.register(99, 0, std::slice::from_ref(&key), WaitKind::ZSet);
        let ctx = Ctx { server: &server, session: &mut s };
        write_collection(&ctx, b"z", IfAbsent::Create, |zset: &mut ZSet| (Reply::OK, zset.insert(Bytes::from_static(b"m"), 1.0).is_none()));
        tokio::time::timeout(std::time::Duration::from_secs(1), waiter.woken()).await.expect("the ZSet write wakes the waiter");
    }

    #[test]
    fn should_read_mpop_arguments_in_redis_order() {
        let args = |s: &str| s.split(' ').map(|a| Bytes::copy_from_slice(a.as_bytes())).collect::<Vec<_>>();
        let a = args("lmpop 2 k1 k2 right COUNT 3");
        let m = Mpop::parse(&a, 1, End::parse).unwrap();
        assert_eq!((m.keys.len(), m.end, m.count), (2, End::Right, 3));
        for (line, error) in [
            ("lmpop 0 k left", errors::NUMKEYS_NOT_POSITIVE),
            ("lmpop x k left", errors::NUMKEYS_NOT_POSITIVE),
            ("lmpop 9223372036854775807 k left", errors::SYNTAX),
            ("lmpop 2 k left", errors::SYNTAX),
            ("lmpop 1 k up", errors::SYNTAX),
            ("lmpop 1 k left COUNT 0", errors::COUNT_POSITIVE),
            ("lmpop 1 k left COUNT 1 COUNT 2", errors::SYNTAX),
            ("lmpop 1 k left COUNT", errors::SYNTAX),
        ] {
            assert_eq!(Mpop::parse(&args(line), 1, End::parse).err(), Some(error), "{line}");
        }
        // ZMPOP reads the same arguments, with MIN or MAX for the end.
        let a = args("zmpop 1 z max count 2");
        let m = Mpop::parse(&a, 1, ScoreEnd::parse).unwrap();
        assert_eq!((m.keys.len(), m.end, m.count), (1, ScoreEnd::Max, 2));
        assert_eq!(Mpop::parse(&args("zmpop 1 z Min"), 1, ScoreEnd::parse).unwrap().end, ScoreEnd::Min);
        assert_eq!(Mpop::parse(&args("zmpop 1 z left"), 1, ScoreEnd::parse).err(), Some(errors::SYNTAX));
        assert_eq!(Mpop::parse(&args("lmpop 1 l min"), 1, End::parse).err(), Some(errors::SYNTAX));
    }
}
