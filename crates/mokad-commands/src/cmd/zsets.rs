//! Sorted-set commands.
//!
//! A sorted set is a map of members to scores plus a B-tree ordered by (score, member) (see
//! `mokad_storage::collections::ZSet`). The tree has no rank index: rank queries walk it from
//! the nearer end (see [`range`]), so ZRANK, ZRANGE by rank, ZCOUNT and ZLEXCOUNT cost
//! O(distance to the nearer end) where Redis's skiplist costs O(log n).

mod range;
mod setops;

use bytes::Bytes;
use mokad_resp::{format_g17, Protocol, Reply};
use mokad_storage::collections::{Score, ZSet};

use self::range::{backward, by_rank, double_to_integer, forward, parse_score, rank_of, Key, LexRange, ScoreRange, Span};
use super::keys::parse_cursor;
use super::{owned, read_collection, store_collection, write_collection, IfAbsent};
use crate::args::{is, parse_int};
use crate::dispatch::Ctx;
use crate::errors;
use crate::glob;
use crate::sample::{self, Rng};

pub(crate) use self::setops::{zdiff, zdiffstore, zinter, zintercard, zinterstore, zunion, zunionstore};

/// Members, with their scores when asked, as Redis 7 replies them: a flat array in RESP2, an
/// array of `[member, score]` pairs in RESP3 (and in both for ZMPOP and BZMPOP, which always
/// nest them).
pub(super) fn scored_reply(protocol: Protocol, items: Vec<(Bytes, f64)>, withscores: bool) -> Reply {
    if !withscores {
        return Reply::Array(items.into_iter().map(|(member, _)| Reply::Bulk(member)).collect());
    }
    if protocol == Protocol::Resp3 {
        return Reply::Array(
            items.into_iter().map(|(member, score)| Reply::Array(vec![Reply::Bulk(member), Reply::Double(score)])).collect(),
        );
    }
    let mut flat = Vec::with_capacity(items.len() * 2);
    for (member, score) in items {
        flat.push(Reply::Bulk(member));
        flat.push(Reply::Double(score));
    }
    Reply::Array(flat)
}

/// A parsed count argument that must be zero or more (`getPositiveLongFromObjectOrReply`).
fn parse_non_negative(arg: &[u8], error: Reply) -> Result<i64, Reply> {
    match parse_int(arg) {
        Ok(n) if n >= 0 => Ok(n),
        _ => Err(error),
    }
}

/// ZADD and ZINCRBY options.
#[derive(Debug, Default, Clone, Copy)]
struct AddFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
    ch: bool,
    incr: bool,
}

/// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]: adds members or
/// updates their scores; replies how many were added (with CH: added or changed), or with
/// INCR the new score (nil when the condition refused it).
///
/// # Format
/// `ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]`
pub(crate) fn zadd(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    add_generic(ctx, args, AddFlags::default())
}

/// ZINCRBY key increment member: adds `increment` to the member's score (from 0 when it is
/// new) and replies the new score.
///
/// # Format
/// `ZINCRBY key increment member`
pub(crate) fn zincrby(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    // Redis runs ZINCRBY through ZADD's parser, options included: `ZINCRBY k nx m` is a
    // syntax error there too.
    add_generic(ctx, args, AddFlags { incr: true, ..AddFlags::default() })
}

/// Redis's `zaddGenericCommand`: options, then score-member pairs; every argument is checked
/// before the key is touched.
fn add_generic(ctx: &mut Ctx<'_>, args: &[Bytes], mut flags: AddFlags) -> Reply {
    let mut first_pair = 2;
    while let Some(opt) = args.get(first_pair) {
        let flag = if is(opt, "nx") {
            &mut flags.nx
        } else if is(opt, "xx") {
            &mut flags.xx
        } else if is(opt, "ch") {
            &mut flags.ch
        } else if is(opt, "incr") {
            &mut flags.incr
        } else if is(opt, "gt") {
            &mut flags.gt
        } else if is(opt, "lt") {
            &mut flags.lt
        } else {
            break;
        };
        *flag = true;
        first_pair += 1;
    }
    let pairs = &args[first_pair..];
    if pairs.is_empty() || pairs.len() % 2 != 0 {
        return errors::SYNTAX;
    }
    let AddFlags { nx, xx, gt, lt, ch, incr } = flags;
    if nx && xx {
        return errors::ZADD_NX_XX;
    }
    if (nx && (gt || lt)) || (gt && lt) {
        return errors::ZADD_GT_LT_NX;
    }
    if incr && pairs.len() > 2 {
        return errors::ZADD_INCR_PAIRS;
    }
    let mut scores = Vec::with_capacity(pairs.len() / 2);
    for pair in pairs.chunks_exact(2) {
        match parse_score(&pair[0]) {
            Some(score) => scores.push(score),
            None => return errors::NOT_FLOAT,
        }
    }
    let absent = if xx { IfAbsent::Reply(if incr { Reply::Null } else { Reply::Integer(0) }) } else { IfAbsent::Create };
    let mut added = 0;
    let reply = write_collection(ctx, &args[1], absent, |set: &mut ZSet| {
        let (mut updated, mut processed, mut last_score) = (0, 0, 0.0);
        for (score, pair) in scores.into_iter().zip(pairs.chunks_exact(2)) {
            let member = &pair[1];
            let mut score = score;
            match set.score(member) {
                Some(current) => {
                    if nx {
                        continue;
                    }
                    if incr {
                        score += current;
                        if score.is_nan() {
                            return (errors::SCORE_NAN, added + updated > 0);
                        }
                    }
                    if (lt && score >= current) || (gt && score <= current) {
                        continue;
                    }
                    if score != current {
                        set.insert(owned(member), score);
                        updated += 1;
                    }
                }
                None if xx => continue,
                None => {
                    set.insert(owned(member), score);
                    added += 1;
                }
            }
            processed += 1;
            last_score = score;
        }
        let reply = match (incr, processed) {
            (true, 0) => Reply::Null,
            (true, _) => Reply::Double(last_score),
            (false, _) => Reply::Integer(if ch { added + updated } else { added }),
        };
        (reply, added + updated > 0)
    });
    reply
}

/// ZREM key member [member ...]: removes members; replies how many existed.
///
/// # Format
/// `ZREM key member [member ...]`
pub(crate) fn zrem(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    write_collection(ctx, &args[1], IfAbsent::Reply(Reply::Integer(0)), |set: &mut ZSet| {
        let removed = args[2..].iter().filter(|member| set.remove(member).is_some()).count();
        (Reply::Integer(removed as i64), removed > 0)
    })
}

/// ZCARD key: the number of members.
///
/// # Format
/// `ZCARD key`
pub(crate) fn zcard(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_collection::<ZSet>(ctx, &args[1]) {
        Err(reply) => reply,
        Ok(None) => Reply::Integer(0),
        Ok(Some(set)) => Reply::Integer(set.read().len() as i64),
    }
}

/// ZSCORE key member: the member's score, or nil.
///
/// # Format
/// `ZSCORE key member`
pub(crate) fn zscore(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_collection::<ZSet>(ctx, &args[1]) {
        Err(reply) => reply,
        Ok(None) => Reply::Null,
        Ok(Some(set)) => set.read().score(&args[2]).map_or(Reply::Null, Reply::Double),
    }
}

/// ZMSCORE key member [member ...]: each member's score, or nil.
///
/// # Format
/// `ZMSCORE key member [member ...]`
pub(crate) fn zmscore(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match read_collection::<ZSet>(ctx, &args[1]) {
        Err(reply) => reply,
        Ok(None) => Reply::Array(args[2..].iter().map(|_| Reply::Null).collect()),
        Ok(Some(set)) => {
            let set = set.read();
            Reply::Array(args[2..].iter().map(|m| set.score(m).map_or(Reply::Null, Reply::Double)).collect())
        }
    }
}

/// ZRANK key member: the member's 0-based position, lowest score first, or nil.
///
/// # Format
/// `ZRANK key member`
pub(crate) fn zrank(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    rank_generic(ctx, args, false)
}

/// ZREVRANK key member: the member's 0-based position, highest score first, or nil.
///
/// # Format
/// `ZREVRANK key member`
pub(crate) fn zrevrank(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    rank_generic(ctx, args, true)
}

fn rank_generic(ctx: &mut Ctx<'_>, args: &[Bytes], reverse: bool) -> Reply {
    let set = match read_collection::<ZSet>(ctx, &args[1]) {
        Err(reply) => return reply,
        Ok(None) => return Reply::Null,
        Ok(Some(set)) => set,
    };
    let set = set.read();
    let Some(score) = set.score(&args[2]) else { return Reply::Null };
    let rank = rank_of(set.ordered(), &(Score(score), args[2].clone()));
    Reply::Integer(if reverse { set.len() - 1 - rank } else { rank } as i64)
}

/// ZCOUNT key min max: how many members have a score in the range.
///
/// # Format
/// `ZCOUNT key min max`
pub(crate) fn zcount(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let Some(range) = ScoreRange::parse(&args[2], &args[3]) else { return errors::MIN_MAX_NOT_FLOAT };
    count_generic(ctx, &args[1], &range)
}

/// ZLEXCOUNT key min max: how many members fall in the lex range.
///
/// # Format
/// `ZLEXCOUNT key min max`
pub(crate) fn zlexcount(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let Some(range) = LexRange::parse(&args[2], &args[3]) else { return errors::MIN_MAX_NOT_LEX };
    count_generic(ctx, &args[1], &range)
}

fn count_generic(ctx: &mut Ctx<'_>, key: &Bytes, span: &impl Span) -> Reply {
    match read_collection::<ZSet>(ctx, key) {
        Err(reply) => reply,
        Ok(None) => Reply::Integer(0),
        Ok(Some(set)) => Reply::Integer(span.count(&set.read()) as i64),
    }
}

/// Which way a range argument pair is read.
#[derive(Debug, Clone, PartialEq)]
enum RangeBy {
    /// Ranks `start..=stop`, negative from the end.
    Rank(i64, i64),
    /// Scores.
    Score(ScoreRange),
    /// Members (all scores equal).
    Lex(LexRange),
}

/// A parsed ZRANGE-family request.
#[derive(Debug, Clone, PartialEq)]
struct RangeQuery {
    by: RangeBy,
    reverse: bool,
    withscores: bool,
    offset: i64,
    limit: i64,
}

/// What a ZRANGE-family command fixes before its options are read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum RangeCommand {
    /// ZRANGE and ZRANGESTORE: BYSCORE, BYLEX and REV may be given.
    Any,
    /// ZREVRANGE: by rank, reversed.
    RevRank,
    /// ZRANGEBYSCORE / ZREVRANGEBYSCORE.
    Score { reverse: bool },
    /// ZRANGEBYLEX / ZREVRANGEBYLEX.
    Lex { reverse: bool },
}

/// Redis's `zrangeGenericCommand` argument rules: options (WITHSCORES unless storing, LIMIT,
/// and REV, BYSCORE, BYLEX where the command leaves them open, each once), then the
/// LIMIT/WITHSCORES combination errors, then the range itself. `key_at` is the index of the
/// source key.
fn parse_range_query(args: &[Bytes], key_at: usize, store: bool, kind: RangeCommand) -> Result<RangeQuery, Reply> {
    #[derive(PartialEq)]
    enum By {
        Auto,
        Rank,
        Score,
        Lex,
    }
    let (mut by, mut reverse, mut direction_fixed) = match kind {
        RangeCommand::Any => (By::Auto, false, false),
        RangeCommand::RevRank => (By::Rank, true, true),
        RangeCommand::Score { reverse } => (By::Score, reverse, true),
        RangeCommand::Lex { reverse } => (By::Lex, reverse, true),
    };
    let (mut withscores, mut offset, mut limit) = (false, 0, -1);
    let mut j = key_at + 3;
    while j < args.len() {
        let opt = &args[j];
        let left = args.len() - j - 1;
        if !store && is(opt, "withscores") {
            withscores = true;
        } else if is(opt, "limit") && left >= 2 {
            offset = parse_int(&args[j + 1])?;
            limit = parse_int(&args[j + 2])?;
            j += 2;
        } else if !direction_fixed && is(opt, "rev") {
            reverse = true;
            direction_fixed = true;
        } else if by == By::Auto && is(opt, "bylex") {
            by = By::Lex;
        } else if by == By::Auto && is(opt, "byscore") {
            by = By::Score;
        } else {
            return Err(errors::SYNTAX);
        }
        j += 1;
    }
    if by == By::Auto {
        by = By::Rank;
    }
    if limit != -1 && by == By::Rank {
        return Err(errors::LIMIT_WITHOUT_BY);
    }
    if withscores && by == By::Lex {
        return Err(errors::WITHSCORES_WITH_BYLEX);
    }
    let (mut min, mut max) = (&args[key_at + 1], &args[key_at + 2]);
    if reverse && by != By::Rank {
        // ZREVRANGEBYSCORE key max min: the bounds come high end first.
        std::mem::swap(&mut min, &mut max);
    }
    let by = match by {
        By::Score => RangeBy::Score(ScoreRange::parse(min, max).ok_or(errors::MIN_MAX_NOT_FLOAT)?),
        By::Lex => RangeBy::Lex(LexRange::parse(min, max).ok_or(errors::MIN_MAX_NOT_LEX)?),
        _ => RangeBy::Rank(parse_int(min)?, parse_int(max)?),
    };
    Ok(RangeQuery { by, reverse, withscores, offset, limit })
}

/// Clamps a rank range as Redis does (negative from the end); `None` when it is empty.
fn clamp_ranks(start: i64, stop: i64, len: usize) -> Option<(usize, usize)> {
    let len = len as i64;
    let start = if start < 0 { (len + start).max(0) } else { start };
    let stop = if stop < 0 { len + stop } else { stop };
    if start > stop || start >= len {
        return None;
    }
    Some((start as usize, stop.min(len - 1) as usize))
}

/// The members a query selects, in reply order.
fn run_query(set: &ZSet, query: &RangeQuery) -> Vec<(Bytes, f64)> {
    let take = |keys: &mut dyn Iterator<Item = &Key>| keys.map(|(score, member)| (member.clone(), score.0)).collect();
    // A negative offset makes Redis walk off the end of the range: nothing.
    let offset = match usize::try_from(query.offset) {
        Ok(offset) => offset,
        Err(_) => return Vec::new(),
    };
    match &query.by {
        RangeBy::Rank(start, stop) => {
            let Some((start, stop)) = clamp_ranks(*start, *stop, set.len()) else { return Vec::new() };
            if query.reverse {
                let last = set.len() - 1;
                let mut items = by_rank(set, last - stop, last - start);
                items.reverse();
                items
            } else {
                by_rank(set, start, stop)
            }
        }
        RangeBy::Score(range) if query.reverse => take(&mut backward(set, range, offset, query.limit)),
        RangeBy::Score(range) => take(&mut forward(set, range, offset, query.limit)),
        RangeBy::Lex(range) if query.reverse => take(&mut backward(set, range, offset, query.limit)),
        RangeBy::Lex(range) => take(&mut forward(set, range, offset, query.limit)),
    }
}

fn range_generic(ctx: &mut Ctx<'_>, args: &[Bytes], kind: RangeCommand) -> Reply {
    let query = match parse_range_query(args, 1, false, kind) {
        Ok(query) => query,
        Err(reply) => return reply,
    };
    let items = match read_collection::<ZSet>(ctx, &args[1]) {
        Err(reply) => return reply,
        Ok(None) => return Reply::Array(Vec::new()),
        Ok(Some(set)) => run_query(&set.read(), &query),
    };
    scored_reply(ctx.session.protocol, items, query.withscores)
}

/// ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]: members
/// by rank, score or lex range.
///
/// # Format
/// `ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]`
pub(crate) fn zrange(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    range_generic(ctx, args, RangeCommand::Any)
}

/// ZREVRANGE key start stop [WITHSCORES]: members by rank, highest score first.
///
/// # Format
/// `ZREVRANGE key start stop [WITHSCORES]`
pub(crate) fn zrevrange(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    range_generic(ctx, args, RangeCommand::RevRank)
}

/// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count].
///
/// # Format
/// `ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]`
pub(crate) fn zrangebyscore(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    range_generic(ctx, args, RangeCommand::Score { reverse: false })
}

/// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count].
///
/// # Format
/// `ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]`
pub(crate) fn zrevrangebyscore(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    range_generic(ctx, args, RangeCommand::Score { reverse: true })
}

/// ZRANGEBYLEX key min max [LIMIT offset count].
///
/// # Format
/// `ZRANGEBYLEX key min max [LIMIT offset count]`
pub(crate) fn zrangebylex(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    range_generic(ctx, args, RangeCommand::Lex { reverse: false })
}

/// ZREVRANGEBYLEX key max min [LIMIT offset count].
///
/// # Format
/// `ZREVRANGEBYLEX key max min [LIMIT offset count]`
pub(crate) fn zrevrangebylex(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    range_generic(ctx, args, RangeCommand::Lex { reverse: true })
}

/// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]: stores the
/// selected members with their scores at `dst` (deleting it when there are none); replies
/// how many.
///
/// # Format
/// `ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]`
pub(crate) fn zrangestore(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let query = match parse_range_query(args, 2, true, RangeCommand::Any) {
        Ok(query) => query,
        Err(reply) => return reply,
    };
    let items = match read_collection::<ZSet>(ctx, &args[2]) {
        Err(reply) => return reply,
        Ok(None) => Vec::new(),
        Ok(Some(set)) => run_query(&set.read(), &query),
    };
    // Redis starts a rank result longer than a listpack holds as a skiplist; any other result
    // starts as a listpack and converts as it grows (so its first members lose a -0).
    let big_rank_range = matches!(query.by, RangeBy::Rank(..)) && items.len() > mokad_storage::collections::ZSET_LISTPACK_ENTRIES;
    let mut result = if big_rank_range { ZSet::skiplist() } else { ZSet::default() };
    let count = items.len();
    for (member, score) in items {
        result.insert(member, score);
    }
    store_collection(ctx, &args[1], result, Reply::Integer(count as i64))
}

/// ZREMRANGEBYSCORE key min max: removes the members in the score range; replies how many.
///
/// # Format
/// `ZREMRANGEBYSCORE key min max`
pub(crate) fn zremrangebyscore(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let Some(range) = ScoreRange::parse(&args[2], &args[3]) else { return errors::MIN_MAX_NOT_FLOAT };
    remove_span(ctx, &args[1], &range)
}

/// ZREMRANGEBYLEX key min max: removes the members in the lex range; replies how many.
///
/// # Format
/// `ZREMRANGEBYLEX key min max`
pub(crate) fn zremrangebylex(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let Some(range) = LexRange::parse(&args[2], &args[3]) else { return errors::MIN_MAX_NOT_LEX };
    remove_span(ctx, &args[1], &range)
}

fn remove_span(ctx: &mut Ctx<'_>, key: &Bytes, span: &impl Span) -> Reply {
    write_collection(ctx, key, IfAbsent::Reply(Reply::Integer(0)), |set: &mut ZSet| {
        let doomed: Vec<Key> = forward(set, span, 0, -1).cloned().collect();
        for (_, member) in &doomed {
            set.remove(member);
        }
        (Reply::Integer(doomed.len() as i64), !doomed.is_empty())
    })
}

/// ZREMRANGEBYRANK key start stop: removes the members at those ranks; replies how many.
///
/// # Format
/// `ZREMRANGEBYRANK key start stop`
pub(crate) fn zremrangebyrank(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let (start, stop) = match (parse_int(&args[2]), parse_int(&args[3])) {
        (Ok(start), Ok(stop)) => (start, stop),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    write_collection(ctx, &args[1], IfAbsent::Reply(Reply::Integer(0)), |set: &mut ZSet| {
        let Some((start, stop)) = clamp_ranks(start, stop, set.len()) else { return (Reply::Integer(0), false) };
        let doomed = by_rank(set, start, stop);
        for (member, _) in &doomed {
            set.remove(member);
        }
        (Reply::Integer(doomed.len() as i64), true)
    })
}

/// ZPOPMIN key [count]: removes and returns the lowest members.
///
/// # Format
/// `ZPOPMIN key [count]`
pub(crate) fn zpopmin(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    pop_generic(ctx, args, false)
}

/// ZPOPMAX key [count]: removes and returns the highest members.
///
/// # Format
/// `ZPOPMAX key [count]`
pub(crate) fn zpopmax(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    pop_generic(ctx, args, true)
}

fn pop_generic(ctx: &mut Ctx<'_>, args: &[Bytes], max: bool) -> Reply {
    if args.len() > 3 {
        return errors::SYNTAX;
    }
    let count = match args.get(2) {
        None => None,
        Some(arg) => match parse_non_negative(arg, errors::MUST_BE_POSITIVE) {
            Ok(n) => Some(n),
            Err(reply) => return reply,
        },
    };
    // RESP3 nests [member, score] pairs only when a count was given.
    let nested = ctx.session.protocol == Protocol::Resp3 && count.is_some();
    write_collection(ctx, &args[1], IfAbsent::Reply(Reply::Array(Vec::new())), |set: &mut ZSet| {
        let wanted = usize::try_from(count.unwrap_or(1)).unwrap_or(usize::MAX);
        let popped = pop_members(set, max, wanted);
        let changed = !popped.is_empty();
        let reply = if nested {
            scored_reply(Protocol::Resp3, popped, true)
        } else {
            scored_reply(Protocol::Resp2, popped, true)
        };
        (reply, changed)
    })
}

/// Removes up to `count` members from the low end (or with `max` the high end) of `set`, and
/// returns them with their scores in the order they were popped (ZPOPMIN, ZMPOP ...).
pub(super) fn pop_members(set: &mut ZSet, max: bool, count: usize) -> Vec<(Bytes, f64)> {
    // No pre-allocation: `count` is the client's.
    let mut popped = Vec::new();
    while popped.len() < count {
        match if max { set.pop_max() } else { set.pop_min() } {
            Some(item) => popped.push(item),
            None => break,
        }
    }
    popped
}

/// ZRANDMEMBER key [count [WITHSCORES]]: random members; a positive count gives distinct
/// members, a negative one may repeat them.
///
/// # Format
/// `ZRANDMEMBER key [count [WITHSCORES]]`
pub(crate) fn zrandmember(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let Some(count_arg) = args.get(2) else {
        return match read_collection::<ZSet>(ctx, &args[1]) {
            Err(reply) => reply,
            Ok(None) => Reply::Null,
            Ok(Some(set)) => {
                let set = set.read();
                let i = Rng::new().below(set.len());
                set.get_index(i).map_or(Reply::Null, |(member, _)| Reply::Bulk(member.clone()))
            }
        };
    };
    let count = match parse_int(count_arg) {
        Ok(count) => count,
        Err(reply) => return reply,
    };
    if args.len() > 4 || (args.len() == 4 && !is(&args[3], "withscores")) {
        return errors::SYNTAX;
    }
    let withscores = args.len() == 4;
    if withscores && !(i64::MIN / 2..=i64::MAX / 2).contains(&count) {
        return errors::OUT_OF_RANGE;
    }
    let set = match read_collection::<ZSet>(ctx, &args[1]) {
        Err(reply) => return reply,
        Ok(None) => return Reply::Array(Vec::new()),
        Ok(Some(set)) => set,
    };
    let items = {
        let set = set.read();
        match random_members(&set, count) {
            Some(items) => items,
            None => return errors::OUT_OF_RANGE,
        }
    };
    scored_reply(ctx.session.protocol, items, withscores)
}

/// Redis's `zrandmemberWithCountCommand` strategies; `None` when a repeating count would build
/// a reply larger than [`sample::REPLY_BUDGET`].
fn random_members(set: &ZSet, count: i64) -> Option<Vec<(Bytes, f64)>> {
    let size = set.len();
    let mut rng = Rng::new();
    let pick = |i: usize| set.get_index(i).map(|(member, score)| (member.clone(), score)).expect("index below len");
    let wanted = count.unsigned_abs();
    if count == 0 || size == 0 {
        return Some(Vec::new());
    }
    if count < 0 || count == 1 {
        let cost = |i: usize| set.get_index(i).map_or(0, |(member, _)| member.len());
        return sample::with_repeats(&mut rng, size, wanted, cost).map(|positions| positions.into_iter().map(pick).collect());
    }
    let wanted = wanted as usize;
    if wanted >= size {
        // The whole set, as Redis walks it: from the highest member down.
        return Some(set.iter().rev().map(|(member, score)| (member.clone(), score)).collect());
    }
    let mut items: Vec<(Bytes, f64)> = sample::distinct(&mut rng, size, wanted).into_iter().map(pick).collect();
    if !set.is_skiplist() && wanted * 3 <= size {
        // A listpack sample comes back in the set's order.
        items.sort_by(|a, b| (Score(a.1), &a.0).cmp(&(Score(b.1), &b.0)));
    }
    Some(items)
}

/// A score as ZSCAN writes it: a listpack holds integral scores as integers, anything else is
/// `%.17g` (with `inf`, `-inf`).
fn scan_score_text(score: f64, listpack: bool) -> Bytes {
    if listpack {
        if let Some(integer) = double_to_integer(score) {
            return Bytes::from(integer.to_string());
        }
    }
    let text = if score.is_infinite() {
        if score > 0.0 { "inf".to_string() } else { "-inf".to_string() }
    } else {
        format_g17(score)
    };
    Bytes::from(text)
}

/// ZSCAN key cursor [MATCH pattern] [COUNT count]: iterates members and scores.
///
/// A set Redis would keep in a listpack (up to 128 members of up to 64 bytes) comes back
/// whole, in order, with cursor 0, as Redis does. A larger one is walked by position in its
/// member map from the last position down: removing a member moves the last one into its
/// place, which is a position already visited, so every member present for the whole
/// iteration is returned at least once.
///
/// # Format
/// `ZSCAN key cursor [MATCH pattern] [COUNT count]`
pub(crate) fn zscan(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let Some(cursor) = parse_cursor(&args[2]) else { return errors::INVALID_CURSOR };
    let set = match read_collection::<ZSet>(ctx, &args[1]) {
        Err(reply) => return reply,
        Ok(None) => return Reply::Array(vec![Reply::bulk("0"), Reply::Array(Vec::new())]),
        Ok(Some(set)) => set,
    };
    let mut count = 10usize;
    let mut pattern: Option<&Bytes> = None;
    let mut i = 3;
    while i < args.len() {
        let opt = &args[i];
        if i + 1 >= args.len() {
            return errors::SYNTAX;
        }
        if is(opt, "count") {
            match parse_int(&args[i + 1]) {
                Ok(n) if n < 1 => return errors::SYNTAX,
                Ok(n) => count = usize::try_from(n).unwrap_or(usize::MAX),
                Err(reply) => return reply,
            }
        } else if is(opt, "match") {
            pattern = Some(&args[i + 1]).filter(|p| p.as_ref() != b"*");
        } else {
            return errors::SYNTAX;
        }
        i += 2;
    }
    let set = set.read();
    let wanted = |member: &Bytes| pattern.is_none_or(|p| glob::matches(p, member, false));
    let mut items = Vec::new();
    let mut push = |member: &Bytes, score: f64, listpack: bool| {
        if wanted(member) {
            items.push(Reply::Bulk(member.clone()));
            items.push(Reply::Bulk(scan_score_text(score, listpack)));
        }
    };
    let next = if !set.is_skiplist() {
        set.iter().for_each(|(member, score)| push(member, score, true));
        0
    } else {
        let end = if cursor == 0 { set.len() } else { usize::try_from(cursor).unwrap_or(usize::MAX).min(set.len()) };
        let start = end.saturating_sub(count);
        for i in (start..end).rev() {
            if let Some((member, score)) = set.get_index(i) {
                push(member, score, false);
            }
        }
        start
    };
    Reply::Array(vec![Reply::bulk(next.to_string()), Reply::Array(items)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<Bytes> {
        text.split(' ').map(|a| Bytes::copy_from_slice(a.as_bytes())).collect()
    }

    fn query(text: &str, kind: RangeCommand) -> Result<RangeQuery, Reply> {
        parse_range_query(&args(text), 1, false, kind)
    }

    #[test]
    fn should_parse_zrange_options_in_redis_order() {
        let q = query("zrange k 0 -1 withscores", RangeCommand::Any).unwrap();
        assert_eq!((q.by, q.reverse, q.withscores, q.limit), (RangeBy::Rank(0, -1), false, true, -1));
        let q = query("zrange k (5 1 byscore rev limit 1 2", RangeCommand::Any).unwrap();
        assert_eq!((q.reverse, q.offset, q.limit), (true, 1, 2));
        let RangeBy::Score(r) = q.by else { panic!("by score") };
        // REV swaps the bounds: min is the second argument.
        assert_eq!((r.min, r.max, r.max_exclusive), (1.0, 5.0, true));
        assert_eq!(query("zrange k 0 -1 limit 0 -1", RangeCommand::Any).unwrap().limit, -1);
        assert_eq!(query("zrange k 0 -1 limit 0 1", RangeCommand::Any), Err(errors::LIMIT_WITHOUT_BY));
        assert_eq!(query("zrange k - + bylex withscores", RangeCommand::Any), Err(errors::WITHSCORES_WITH_BYLEX));
        assert_eq!(query("zrange k 0 1 rev rev", RangeCommand::Any), Err(errors::SYNTAX));
        assert_eq!(query("zrange k 0 1 byscore bylex", RangeCommand::Any), Err(errors::SYNTAX));
        assert_eq!(query("zrange k 0 1 limit 1", RangeCommand::Any), Err(errors::SYNTAX));
        assert_eq!(query("zrange k 0 1 limit x 1", RangeCommand::Any), Err(errors::NOT_INTEGER));
        assert_eq!(query("zrange k a 1", RangeCommand::Any), Err(errors::NOT_INTEGER));
        assert_eq!(query("zrange k (a 1 byscore", RangeCommand::Any), Err(errors::MIN_MAX_NOT_FLOAT));
        assert_eq!(query("zrange k a b bylex", RangeCommand::Any), Err(errors::MIN_MAX_NOT_LEX));
        assert_eq!(query("zrangebyscore k 0 1 rev", RangeCommand::Score { reverse: false }), Err(errors::SYNTAX));
        assert_eq!(query("zrevrange k 0 1 limit 0 1", RangeCommand::RevRank), Err(errors::LIMIT_WITHOUT_BY));
        assert_eq!(parse_range_query(&args("zrangestore d k 0 1 withscores"), 2, true, RangeCommand::Any), Err(errors::SYNTAX));
    }

    #[test]
    fn should_clamp_ranks_like_redis() {
        assert_eq!(clamp_ranks(0, -1, 5), Some((0, 4)));
        assert_eq!(clamp_ranks(-100, 100, 5), Some((0, 4)));
        assert_eq!(clamp_ranks(-2, -1, 5), Some((3, 4)));
        assert_eq!(clamp_ranks(3, 2, 5), None);
        assert_eq!(clamp_ranks(5, 10, 5), None);
        assert_eq!(clamp_ranks(0, -6, 5), None);
        assert_eq!(clamp_ranks(0, 0, 0), None);
        assert_eq!(clamp_ranks(i64::MIN, i64::MAX, 3), Some((0, 2)));
    }

    #[test]
    fn should_write_scan_scores_as_the_encoding_stores_them() {
        assert_eq!(scan_score_text(1e18, true), "1000000000000000000");
        assert_eq!(scan_score_text(1e18, false), "1e+18");
        assert_eq!(scan_score_text(1.5, true), "1.5");
        assert_eq!(scan_score_text(f64::NEG_INFINITY, true), "-inf");
        assert_eq!(scan_score_text(-0.0, false), "-0");
    }
}
