//! Set commands.
//!
//! A set of at most 512 integers is what Redis 7.0 keeps in an intset, which is sorted: every
//! reply that lists such a set whole (SMEMBERS, SSCAN, the result of SUNION, SDIFF, SINTER ...)
//! lists it in numeric order, as Redis does. Other sets have no defined order.

use std::collections::HashSet;

use bytes::Bytes;
use mokad_resp::Reply;
use mokad_storage::collections::{canonical_int, Set, Shared};
use parking_lot::RwLockReadGuard;

use super::hashes::{parse_pick_count, scan_reply};
use super::keys::{parse_cursor, scan_positions, ScanOptions};
use super::{owned, read_collection, store_collection, write_collection, IfAbsent};
use crate::args::{is, parse_int};
use crate::dispatch::Ctx;
use crate::errors;
use crate::sample::{self, Rng};

/// Members as bulk strings.
fn bulks<'a>(members: impl IntoIterator<Item = &'a Bytes>) -> Vec<Reply> {
    members.into_iter().map(|m| Reply::Bulk(m.clone())).collect()
}

/// SADD key member [member ...]: adds members; replies how many were new.
///
/// # Format
/// `SADD key member [member ...]`
pub(crate) fn sadd(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    write_collection(ctx, &args[1], IfAbsent::Create, |set: &mut Set| {
        let added = args[2..].iter().filter(|m| set.insert(owned(m))).count();
        (Reply::Integer(added as i64), added > 0)
    })
}

/// SREM key member [member ...]: removes members; replies how many were there.
///
/// # Format
/// `SREM key member [member ...]`
pub(crate) fn srem(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    write_collection(ctx, &args[1], IfAbsent::Reply(Reply::Integer(0)), |set: &mut Set| {
        let removed = args[2..].iter().filter(|m| set.remove(m)).count();
        (Reply::Integer(removed as i64), removed > 0)
    })
}

/// SMEMBERS key: every member (a set in RESP3).
///
/// # Format
/// `SMEMBERS key`
pub(crate) fn smembers(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_collection::<Set>(ctx, &args[1]) {
        Err(reply) => reply,
        Ok(None) => Reply::Set(Vec::new()),
        Ok(Some(set)) => Reply::Set(bulks(set.read().members_in_order())),
    }
}

/// SISMEMBER key member: 1 if it is a member.
///
/// # Format
/// `SISMEMBER key member`
pub(crate) fn sismember(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_collection::<Set>(ctx, &args[1]) {
        Err(reply) => reply,
        Ok(None) => Reply::Integer(0),
        Ok(Some(set)) => Reply::Integer(set.read().contains(&args[2]).into()),
    }
}

/// SMISMEMBER key member [member ...]: 1 or 0 for each member.
///
/// # Format
/// `SMISMEMBER key member [member ...]`
pub(crate) fn smismember(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let members = &args[2..];
    match read_collection::<Set>(ctx, &args[1]) {
        Err(reply) => reply,
        Ok(None) => Reply::Array(vec![Reply::Integer(0); members.len()]),
        Ok(Some(set)) => {
            let set = set.read();
            Reply::Array(members.iter().map(|m| Reply::Integer(set.contains(m).into())).collect())
        }
    }
}

/// SCARD key: the number of members.
///
/// # Format
/// `SCARD key`
pub(crate) fn scard(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_collection::<Set>(ctx, &args[1]) {
        Err(reply) => reply,
        Ok(None) => Reply::Integer(0),
        Ok(Some(set)) => Reply::Integer(set.read().len() as i64),
    }
}

/// SPOP key [count]: removes and returns random members.
///
/// Without a count, one member or nil. With one, a set of up to `count` members, chosen as
/// Redis 7.0 does: the whole set when it has no more; else, when few members would remain
/// (5 times fewer than are popped), the ones to keep are picked instead, and what remains is
/// re-encoded as the new set Redis builds from them.
///
/// # Format
/// `SPOP key [count]`
pub(crate) fn spop(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match args.len() {
        2 => write_collection(ctx, &args[1], IfAbsent::Reply(Reply::Null), |set: &mut Set| {
            let i = Rng::new().below(set.len());
            (set.remove_index(i).map_or(Reply::Null, Reply::Bulk), true)
        }),
        3 => {
            // Redis gives the same error for a count that is not a number.
            let count = match parse_int(&args[2]) {
                Ok(n) if n >= 0 => n as u64,
                _ => return errors::MUST_BE_POSITIVE,
            };
            write_collection(ctx, &args[1], IfAbsent::Reply(Reply::Set(Vec::new())), |set: &mut Set| {
                (Reply::Set(pop_many(set, count)), count > 0)
            })
        }
        _ => errors::SYNTAX,
    }
}

/// Pops `count` random members (all of them when there are no more).
fn pop_many(set: &mut Set, count: u64) -> Vec<Reply> {
    let len = set.len();
    if count >= len as u64 {
        let all = std::mem::take(set);
        return bulks(all.members_in_order());
    }
    let count = count as usize;
    let remaining = len - count;
    let mut rng = Rng::new();
    if remaining * 5 > count {
        return (0..count).filter_map(|_| set.remove_index(rng.below(set.len()))).map(Reply::Bulk).collect();
    }
    // Few remain: pick those, pop the rest in the set's own order. Removing in place (rather
    // than building a new set) keeps an SSCAN under way from missing the members left.
    let keep: HashSet<usize> = sample::distinct(&mut rng, len, remaining).into_iter().collect();
    let mut popped: Vec<Bytes> = (0..len).filter(|i| !keep.contains(i)).filter_map(|i| set.get_index(i).cloned()).collect();
    if set.is_intset() {
        popped.sort_by_key(|m| canonical_int(m));
    }
    for member in &popped {
        set.remove(member);
    }
    set.reencode();
    bulks(&popped)
}

/// SRANDMEMBER key [count]: random members, left in place.
///
/// Without a count, one member or nil. A positive count gives that many distinct members (the
/// whole set when it has no more); a negative one gives that many picks, repeats allowed.
///
/// # Format
/// `SRANDMEMBER key [count]`
pub(crate) fn srandmember(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    if args.len() > 3 {
        return errors::SYNTAX;
    }
    if args.len() == 2 {
        return match read_collection::<Set>(ctx, &args[1]) {
            Err(reply) => reply,
            Ok(None) => Reply::Null,
            Ok(Some(set)) => {
                let set = set.read();
                set.get_index(Rng::new().below(set.len())).map_or(Reply::Null, |m| Reply::Bulk(m.clone()))
            }
        };
    }
    let count = match parse_pick_count(&args[2]) {
        Ok(n) => n,
        Err(reply) => return reply,
    };
    let set = match read_collection::<Set>(ctx, &args[1]) {
        Err(reply) => return reply,
        Ok(None) => return Reply::Array(Vec::new()),
        Ok(Some(set)) => set,
    };
    let set = set.read();
    let len = set.len();
    let mut rng = Rng::new();
    if count < 0 {
        let cost = |i: usize| set.get_index(i).map_or(0, Bytes::len);
        return match sample::with_repeats(&mut rng, len, count.unsigned_abs(), cost) {
            Some(positions) => Reply::Array(bulks(positions.into_iter().filter_map(|i| set.get_index(i)))),
            None => errors::OUT_OF_RANGE,
        };
    }
    if count as u64 >= len as u64 {
        return Reply::Array(bulks(set.members_in_order()));
    }
    Reply::Array(bulks(sample::distinct(&mut rng, len, count as usize).into_iter().filter_map(|i| set.get_index(i))))
}

/// SMOVE source destination member: moves a member between sets; 1 if it was in the source.
///
/// # Format
/// `SMOVE source destination member`
pub(crate) fn smove(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let (src, dst, member) = (&args[1], &args[2], &args[3]);
    let source = match read_collection::<Set>(ctx, src) {
        Err(reply) => return reply,
        Ok(None) => return Reply::Integer(0),
        Ok(Some(set)) => set,
    };
    if let Err(reply) = read_collection::<Set>(ctx, dst) {
        return reply;
    }
    if src == dst {
        return Reply::Integer(source.read().contains(member).into());
    }
    drop(source);
    let removed = write_collection(ctx, src, IfAbsent::Reply(Reply::Integer(0)), |set: &mut Set| {
        let removed = set.remove(member);
        (Reply::Integer(removed.into()), removed)
    });
    if removed != Reply::Integer(1) {
        return removed;
    }
    write_collection(ctx, dst, IfAbsent::Create, |set: &mut Set| {
        let added = set.insert(owned(member));
        (Reply::Integer(1), added)
    })
}

/// Reads the sets at `keys`: WRONGTYPE for the first key of another type, `None` for a
/// missing key.
fn read_sets(ctx: &Ctx<'_>, keys: &[Bytes]) -> Result<Vec<Option<Shared<Set>>>, Reply> {
    keys.iter().map(|key| read_collection::<Set>(ctx, key)).collect()
}

/// Read guards on every set. The same set may be named twice, hence recursive read locks.
fn lock_all(sets: &[Shared<Set>]) -> Vec<RwLockReadGuard<'_, Set>> {
    sets.iter().map(|s| s.read_recursive()).collect()
}

/// The members every set has, in the order of the smallest set, up to `limit` (0: all). Any
/// missing key makes it empty.
fn intersection(sets: &[Option<Shared<Set>>], limit: usize) -> Vec<Bytes> {
    let Some(sets) = sets.iter().cloned().collect::<Option<Vec<_>>>() else { return Vec::new() };
    let guards = lock_all(&sets);
    let mut by_size: Vec<&Set> = guards.iter().map(|g| &**g).collect();
    by_size.sort_by_key(|s| s.len());
    let (smallest, others) = by_size.split_first().expect("SINTER has a key");
    let mut out = Vec::new();
    for member in smallest.members_in_order() {
        if others.iter().all(|s| s.contains(member)) {
            out.push(member.clone());
            if out.len() == limit {
                break;
            }
        }
    }
    out
}

/// The union of the sets, as a new set (an intset when Redis's would be one).
fn union(sets: &[Option<Shared<Set>>]) -> Set {
    let present: Vec<Shared<Set>> = sets.iter().flatten().cloned().collect();
    let guards = lock_all(&present);
    let mut out = Set::default();
    for set in &guards {
        for member in set.iter() {
            out.insert(member.clone());
        }
    }
    out
}

/// The members of the first set that no other set has, as a new set.
fn difference(sets: &[Option<Shared<Set>>]) -> Set {
    let mut out = Set::default();
    let Some(Some(first)) = sets.first() else { return out };
    let others: Vec<Shared<Set>> = sets[1..].iter().flatten().cloned().collect();
    let first = first.read_recursive();
    let guards = lock_all(&others);
    for member in first.iter() {
        if !guards.iter().any(|s| s.contains(member)) {
            out.insert(member.clone());
        }
    }
    out
}

/// A set built from `members`.
fn collect(members: Vec<Bytes>) -> Set {
    let mut set = Set::default();
    for member in members {
        set.insert(member);
    }
    set
}

/// SINTER key [key ...]: the members every set has (a set in RESP3).
///
/// # Format
/// `SINTER key [key ...]`
pub(crate) fn sinter(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_sets(ctx, &args[1..]) {
        Err(reply) => reply,
        Ok(sets) => Reply::Set(bulks(&intersection(&sets, 0))),
    }
}

/// SINTERSTORE destination key [key ...]: stores the intersection; replies its size.
///
/// # Format
/// `SINTERSTORE destination key [key ...]`
pub(crate) fn sinterstore(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_sets(ctx, &args[2..]) {
        Err(reply) => reply,
        Ok(sets) => store(ctx, &args[1], collect(intersection(&sets, 0))),
    }
}

/// SINTERCARD numkeys key [key ...] [LIMIT limit]: the size of the intersection, counting no
/// further than LIMIT when it is not 0.
///
/// # Format
/// `SINTERCARD numkeys key [key ...] [LIMIT limit]`
pub(crate) fn sintercard(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let numkeys = match parse_int(&args[1]) {
        Ok(n) if n >= 1 => n,
        _ => return errors::NUMKEYS_NOT_POSITIVE,
    };
    if numkeys > (args.len() - 2) as i64 {
        return errors::NUMKEYS_TOO_MANY;
    }
    let keys = &args[2..2 + numkeys as usize];
    let mut limit = 0usize;
    let mut options = args[2 + keys.len()..].iter();
    while let Some(opt) = options.next() {
        match options.next() {
            Some(value) if is(opt, "LIMIT") => match parse_int(value) {
                Ok(n) if n >= 0 => limit = n as usize,
                _ => return errors::LIMIT_NEGATIVE,
            },
            _ => return errors::SYNTAX,
        }
    }
    match read_sets(ctx, keys) {
        Err(reply) => reply,
        Ok(sets) => Reply::Integer(intersection(&sets, limit).len() as i64),
    }
}

/// SUNION key [key ...]: the members any set has (a set in RESP3).
///
/// # Format
/// `SUNION key [key ...]`
pub(crate) fn sunion(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_sets(ctx, &args[1..]) {
        Err(reply) => reply,
        Ok(sets) => Reply::Set(bulks(union(&sets).members_in_order())),
    }
}

/// SUNIONSTORE destination key [key ...]: stores the union; replies its size.
///
/// # Format
/// `SUNIONSTORE destination key [key ...]`
pub(crate) fn sunionstore(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_sets(ctx, &args[2..]) {
        Err(reply) => reply,
        Ok(sets) => store(ctx, &args[1], union(&sets)),
    }
}

/// SDIFF key [key ...]: the members of the first set that no other has (a set in RESP3).
///
/// # Format
/// `SDIFF key [key ...]`
pub(crate) fn sdiff(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_sets(ctx, &args[1..]) {
        Err(reply) => reply,
        Ok(sets) => Reply::Set(bulks(difference(&sets).members_in_order())),
    }
}

/// SDIFFSTORE destination key [key ...]: stores the difference; replies its size.
///
/// # Format
/// `SDIFFSTORE destination key [key ...]`
pub(crate) fn sdiffstore(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_sets(ctx, &args[2..]) {
        Err(reply) => reply,
        Ok(sets) => store(ctx, &args[1], difference(&sets)),
    }
}

/// Stores a computed set at `key` (deleting the key when it is empty) and replies its size.
fn store(ctx: &Ctx<'_>, key: &[u8], set: Set) -> Reply {
    let size = Reply::Integer(set.len() as i64);
    store_collection(ctx, key, set, size)
}

/// SSCAN key cursor [MATCH pattern] [COUNT count]: a page of members.
///
/// An intset comes back whole with cursor 0 (sorted), as in Redis; a hashtable-encoded set
/// pages by position (see [`scan_positions`]).
///
/// # Format
/// `SSCAN key cursor [MATCH pattern] [COUNT count]`
pub(crate) fn sscan(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let Some(cursor) = parse_cursor(&args[2]) else { return errors::INVALID_CURSOR };
    let set = match read_collection::<Set>(ctx, &args[1]) {
        Err(reply) => return reply,
        Ok(None) => return scan_reply(0, Vec::new()),
        Ok(Some(set)) => set,
    };
    let options = match ScanOptions::parse(&args[3..]) {
        Ok(options) => options,
        Err(reply) => return reply,
    };
    let set = set.read();
    if set.is_intset() {
        return scan_reply(0, bulks(set.members_in_order().into_iter().filter(|m| options.matches(m))));
    }
    let (next, positions) = scan_positions(set.len(), cursor, options.count);
    scan_reply(next, bulks(positions.filter_map(|i| set.get_index(i)).filter(|m| options.matches(m))))
}
