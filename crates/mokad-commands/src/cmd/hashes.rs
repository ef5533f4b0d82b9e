//! Hash commands.
//!
//! A hash keeps its fields in insertion order, as Redis's listpack does for small hashes, so
//! HGETALL, HKEYS and HVALS list a small hash exactly as Redis 7.0 does.

use bytes::Bytes;
use mokad_resp::{parse_i64, Protocol, Reply};
use mokad_storage::collections::Hash;

use super::keys::{parse_cursor, scan_positions, ScanOptions};
use super::{owned, read_collection, write_collection, IfAbsent};
use crate::args::parse_int;
use crate::dispatch::Ctx;
use crate::errors;
use crate::long_double::{self, Float as _};
use crate::sample::{self, Rng};

/// HSET key field value [field value ...]: sets fields; replies how many were new.
///
/// # Format
/// `HSET key field value [field value ...]`
pub(crate) fn hset(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    if args.len() % 2 != 0 {
        return errors::wrong_arity("hset");
    }
    write_collection(ctx, &args[1], IfAbsent::Create, |hash: &mut Hash| {
        let added = args[2..].chunks_exact(2).filter(|pair| hash.insert(owned(&pair[0]), owned(&pair[1]))).count();
        (Reply::Integer(added as i64), true)
    })
}

/// HMSET key field value [field value ...]: HSET replying OK (deprecated in Redis, kept).
///
/// # Format
/// `HMSET key field value [field value ...]`
pub(crate) fn hmset(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    if args.len() % 2 != 0 {
        return errors::wrong_arity("hmset");
    }
    write_collection(ctx, &args[1], IfAbsent::Create, |hash: &mut Hash| {
        for pair in args[2..].chunks_exact(2) {
            hash.insert(owned(&pair[0]), owned(&pair[1]));
        }
        (Reply::OK, true)
    })
}

/// HSETNX key field value: sets the field only if it is new; 1 if it did.
///
/// # Format
/// `HSETNX key field value`
pub(crate) fn hsetnx(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    write_collection(ctx, &args[1], IfAbsent::Create, |hash: &mut Hash| {
        if hash.get(&args[2]).is_some() {
            return (Reply::Integer(0), false);
        }
        hash.insert(owned(&args[2]), owned(&args[3]));
        (Reply::Integer(1), true)
    })
}

/// HGET key field: the field's value, or nil.
///
/// # Format
/// `HGET key field`
pub(crate) fn hget(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_collection::<Hash>(ctx, &args[1]) {
        Err(reply) => reply,
        Ok(None) => Reply::Null,
        Ok(Some(hash)) => hash.read().get(&args[2]).map_or(Reply::Null, |v| Reply::Bulk(v.clone())),
    }
}

/// HMGET key field [field ...]: each field's value, or nil.
///
/// # Format
/// `HMGET key field [field ...]`
pub(crate) fn hmget(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let fields = &args[2..];
    match read_collection::<Hash>(ctx, &args[1]) {
        Err(reply) => reply,
        Ok(None) => Reply::Array(vec![Reply::Null; fields.len()]),
        Ok(Some(hash)) => {
            let hash = hash.read();
            Reply::Array(fields.iter().map(|f| hash.get(f).map_or(Reply::Null, |v| Reply::Bulk(v.clone()))).collect())
        }
    }
}

/// HDEL key field [field ...]: removes fields; replies how many existed.
///
/// # Format
/// `HDEL key field [field ...]`
pub(crate) fn hdel(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    write_collection(ctx, &args[1], IfAbsent::Reply(Reply::Integer(0)), |hash: &mut Hash| {
        let removed = args[2..].iter().filter(|field| hash.remove(field).is_some()).count();
        (Reply::Integer(removed as i64), removed > 0)
    })
}

/// HEXISTS key field: 1 if the field exists.
///
/// # Format
/// `HEXISTS key field`
pub(crate) fn hexists(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_collection::<Hash>(ctx, &args[1]) {
        Err(reply) => reply,
        Ok(None) => Reply::Integer(0),
        Ok(Some(hash)) => Reply::Integer(hash.read().get(&args[2]).is_some().into()),
    }
}

/// HLEN key: the number of fields.
///
/// # Format
/// `HLEN key`
pub(crate) fn hlen(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_collection::<Hash>(ctx, &args[1]) {
        Err(reply) => reply,
        Ok(None) => Reply::Integer(0),
        Ok(Some(hash)) => Reply::Integer(hash.read().len() as i64),
    }
}

/// HSTRLEN key field: the length of the field's value, 0 when there is none.
///
/// # Format
/// `HSTRLEN key field`
pub(crate) fn hstrlen(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_collection::<Hash>(ctx, &args[1]) {
        Err(reply) => reply,
        Ok(None) => Reply::Integer(0),
        Ok(Some(hash)) => Reply::Integer(hash.read().get(&args[2]).map_or(0, |v| v.len() as i64)),
    }
}

/// What HKEYS, HVALS and HGETALL list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listing {
    Fields,
    Values,
    Both,
}

fn list(ctx: &mut Ctx<'_>, key: &Bytes, listing: Listing) -> Reply {
    let hash = match read_collection::<Hash>(ctx, key) {
        Err(reply) => return reply,
        Ok(None) => return if listing == Listing::Both { Reply::Map(Vec::new()) } else { Reply::Array(Vec::new()) },
        Ok(Some(hash)) => hash,
    };
    let hash = hash.read();
    let pairs = hash.iter();
    match listing {
        Listing::Fields => Reply::Array(pairs.map(|(f, _)| Reply::Bulk(f.clone())).collect()),
        Listing::Values => Reply::Array(pairs.map(|(_, v)| Reply::Bulk(v.clone())).collect()),
        Listing::Both => Reply::Map(pairs.map(|(f, v)| (Reply::Bulk(f.clone()), Reply::Bulk(v.clone()))).collect()),
    }
}

/// HKEYS key: every field.
///
/// # Format
/// `HKEYS key`
pub(crate) fn hkeys(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    list(ctx, &args[1], Listing::Fields)
}

/// HVALS key: every value.
///
/// # Format
/// `HVALS key`
pub(crate) fn hvals(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    list(ctx, &args[1], Listing::Values)
}

/// HGETALL key: every field and value (a map in RESP3).
///
/// # Format
/// `HGETALL key`
pub(crate) fn hgetall(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    list(ctx, &args[1], Listing::Both)
}

/// HINCRBY key field increment: adds to the field's integer value (0 when absent).
///
/// # Format
/// `HINCRBY key field increment`
pub(crate) fn hincrby(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let delta = match parse_int(&args[3]) {
        Ok(n) => n,
        Err(reply) => return reply,
    };
    write_collection(ctx, &args[1], IfAbsent::Create, |hash: &mut Hash| {
        let current = match hash.get(&args[2]) {
            None => 0,
            Some(value) => match parse_i64(value) {
                Some(n) => n,
                None => return (errors::HASH_NOT_INTEGER, false),
            },
        };
        let Some(sum) = current.checked_add(delta) else { return (errors::OVERFLOW, false) };
        hash.insert(owned(&args[2]), Bytes::from(sum.to_string()));
        (Reply::Integer(sum), true)
    })
}

/// HINCRBYFLOAT key field increment: adds to the field's number (0 when absent), in x87 long
/// double precision and printed as Redis does, like INCRBYFLOAT.
///
/// # Format
/// `HINCRBYFLOAT key field increment`
pub(crate) fn hincrbyfloat(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let Some(delta) = long_double::parse(&args[3]) else { return errors::NOT_FLOAT };
    if !long_double::is_finite(delta) {
        return errors::NAN_OR_INFINITY_ARGUMENT;
    }
    write_collection(ctx, &args[1], IfAbsent::Create, |hash: &mut Hash| {
        let current = match hash.get(&args[2]) {
            None => long_double::LongDouble::ZERO,
            Some(value) => match long_double::parse(value) {
                Some(n) => n,
                None => return (errors::HASH_NOT_FLOAT, false),
            },
        };
        let sum = long_double::add(current, delta);
        if !long_double::is_finite(sum) {
            return (errors::NAN_OR_INFINITY, false);
        }
        let text = Bytes::from(long_double::format_human(sum));
        hash.insert(owned(&args[2]), text.clone());
        (Reply::Bulk(text), true)
    })
}

/// Parses the count of HRANDFIELD and SRANDMEMBER: any integer but `i64::MIN` (Redis takes
/// `-LONG_MAX..=LONG_MAX`).
pub(crate) fn parse_pick_count(arg: &[u8]) -> Result<i64, Reply> {
    match parse_int(arg)? {
        i64::MIN => Err(errors::COUNT_OUT_OF_RANGE),
        n => Ok(n),
    }
}

/// HRANDFIELD key [count [WITHVALUES]]: random fields.
///
/// Without a count, one field or nil. A positive count gives that many distinct fields (the
/// whole hash when it has no more); a negative one gives that many picks, repeats allowed.
/// WITHVALUES pairs each field with its value: a flat array in RESP2, an array of pairs in
/// RESP3.
///
/// # Format
/// `HRANDFIELD key [count [WITHVALUES]]`
pub(crate) fn hrandfield(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    if args.len() == 2 {
        return match read_collection::<Hash>(ctx, &args[1]) {
            Err(reply) => reply,
            Ok(None) => Reply::Null,
            Ok(Some(hash)) => {
                let hash = hash.read();
                let i = Rng::new().below(hash.len());
                hash.get_index(i).map_or(Reply::Null, |(f, _)| Reply::Bulk(f.clone()))
            }
        };
    }
    let count = match parse_pick_count(&args[2]) {
        Ok(n) => n,
        Err(reply) => return reply,
    };
    let with_values = match args.get(3) {
        None => false,
        Some(arg) if args.len() == 4 && arg.eq_ignore_ascii_case(b"WITHVALUES") => true,
        Some(_) => return errors::SYNTAX,
    };
    if with_values && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&count) {
        return errors::OUT_OF_RANGE;
    }
    let hash = match read_collection::<Hash>(ctx, &args[1]) {
        Err(reply) => return reply,
        Ok(None) => return Reply::Array(Vec::new()),
        Ok(Some(hash)) => hash,
    };
    let hash = hash.read();
    let len = hash.len();
    let mut rng = Rng::new();
    let positions: Vec<usize> = if count < 0 {
        let cost = |i: usize| hash.get_index(i).map_or(0, |(f, v)| f.len() + if with_values { v.len() } else { 0 });
        match sample::with_repeats(&mut rng, len, count.unsigned_abs(), cost) {
            Some(positions) => positions,
            None => return errors::OUT_OF_RANGE,
        }
    } else if count as u64 >= len as u64 {
        (0..len).collect()
    } else {
        sample::distinct(&mut rng, len, count as usize)
    };
    let picks = positions.into_iter().filter_map(|i| hash.get_index(i));
    if !with_values {
        return Reply::Array(picks.map(|(f, _)| Reply::Bulk(f.clone())).collect());
    }
    if ctx.session.protocol == Protocol::Resp3 {
        Reply::Array(picks.map(|(f, v)| Reply::Array(vec![Reply::Bulk(f.clone()), Reply::Bulk(v.clone())])).collect())
    } else {
        Reply::Array(picks.flat_map(|(f, v)| [Reply::Bulk(f.clone()), Reply::Bulk(v.clone())]).collect())
    }
}

/// HSCAN key cursor [MATCH pattern] [COUNT count]: a page of fields and values.
///
/// A hash Redis would keep in a listpack comes back whole with cursor 0, as in Redis; a larger
/// one pages by position (see [`scan_positions`]). MATCH filters fields after the page is
/// taken, so a page may be empty while the cursor is not yet 0.
///
/// # Format
/// `HSCAN key cursor [MATCH pattern] [COUNT count]`
pub(crate) fn hscan(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let Some(cursor) = parse_cursor(&args[2]) else { return errors::INVALID_CURSOR };
    let hash = match read_collection::<Hash>(ctx, &args[1]) {
        Err(reply) => return reply,
        Ok(None) => return scan_reply(0, Vec::new()),
        Ok(Some(hash)) => hash,
    };
    let options = match ScanOptions::parse(&args[3..]) {
        Ok(options) => options,
        Err(reply) => return reply,
    };
    let hash = hash.read();
    let (next, positions) = if hash.is_listpack() { (0, 0..hash.len()) } else { scan_positions(hash.len(), cursor, options.count) };
    let mut items = Vec::new();
    for (field, value) in positions.filter_map(|i| hash.get_index(i)).filter(|(f, _)| options.matches(f)) {
        items.push(Reply::Bulk(field.clone()));
        items.push(Reply::Bulk(value.clone()));
    }
    scan_reply(next, items)
}

/// The reply of HSCAN and SSCAN: the next cursor as a bulk string, then the page.
pub(crate) fn scan_reply(next: u64, items: Vec<Reply>) -> Reply {
    Reply::Array(vec![Reply::bulk(next.to_string()), Reply::Array(items)])
}
