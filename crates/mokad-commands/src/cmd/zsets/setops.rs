//! ZUNION, ZINTER, ZDIFF, their *STORE forms and ZINTERCARD: Redis's
//! `zunionInterDiffGenericCommand`. Inputs may be sorted sets or plain sets (whose members
//! score 1). These commands run under the database's exclusive lock, so reading every input
//! and storing the result is atomic.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use mokad_resp::Reply;
use mokad_storage::collections::{Score, Set, Shared, ZSet, ZSET_LISTPACK_ENTRIES, ZSET_LISTPACK_VALUE};
use mokad_storage::Value;
use parking_lot::RwLockReadGuard;

use super::range::parse_score;
use super::scored_reply;
use crate::args::{is, parse_int};
use crate::cmd::store_collection;
use crate::dispatch::Ctx;
use crate::errors;

/// Which set operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Union,
    Inter,
    Diff,
}

/// How scores of a member found in several inputs combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

impl Aggregate {
    /// Redis's `zunionInterAggregate`: a sum of +inf and -inf is 0; MIN and MAX keep the
    /// current value when the comparison fails (NaN).
    fn apply(self, target: &mut f64, value: f64) {
        match self {
            Aggregate::Sum => {
                *target += value;
                if target.is_nan() {
                    *target = 0.0;
                }
            }
            Aggregate::Min => {
                if value < *target {
                    *target = value;
                }
            }
            Aggregate::Max => {
                if value > *target {
                    *target = value;
                }
            }
        }
    }
}

/// One input key.
enum Input {
    Missing,
    Sorted(Shared<ZSet>),
    Plain(Shared<Set>),
}

/// One input, read-locked for the computation.
enum Locked<'a> {
    Missing,
    Sorted(RwLockReadGuard<'a, ZSet>, usize),
    Plain(RwLockReadGuard<'a, Set>, usize),
}

impl Locked<'_> {
    fn len(&self) -> usize {
        match self {
            Locked::Missing => 0,
            Locked::Sorted(set, _) => set.len(),
            Locked::Plain(set, _) => set.len(),
        }
    }

    /// The member's score in this input (1 in a plain set).
    fn score(&self, member: &[u8]) -> Option<f64> {
        match self {
            Locked::Missing => None,
            Locked::Sorted(set, _) => set.score(member),
            Locked::Plain(set, _) => set.contains(member).then_some(1.0),
        }
    }

    /// Members and scores (any order).
    fn members(&self) -> Box<dyn Iterator<Item = (&Bytes, f64)> + '_> {
        match self {
            Locked::Missing => Box::new(std::iter::empty()),
            Locked::Sorted(set, _) => Box::new(set.iter()),
            Locked::Plain(set, _) => Box::new(set.iter().map(|member| (member, 1.0))),
        }
    }

    /// The same key given twice is the same object, as Redis compares them.
    fn same_object(&self, other: &Locked<'_>) -> bool {
        match (self, other) {
            (Locked::Sorted(_, a), Locked::Sorted(_, b)) | (Locked::Plain(_, a), Locked::Plain(_, b)) => a == b,
            _ => false,
        }
    }
}

impl Input {
    /// Read-locks it. A key given twice is locked twice, so the lock is taken recursively (a
    /// plain read could wait behind a queued writer while this thread holds the first read).
    fn lock(&self) -> Locked<'_> {
        match self {
            Input::Missing => Locked::Missing,
            Input::Sorted(set) => Locked::Sorted(set.read_recursive(), Arc::as_ptr(set) as usize),
            Input::Plain(set) => Locked::Plain(set.read_recursive(), Arc::as_ptr(set) as usize),
        }
    }
}

/// A parsed request.
struct Request {
    inputs: Vec<Input>,
    weights: Vec<f64>,
    aggregate: Aggregate,
    withscores: bool,
    limit: usize,
}

/// Parses numkeys, reads the inputs (WRONGTYPE for anything but a sorted set or a set, before
/// the options are looked at, as Redis does) and the options.
fn parse(ctx: &Ctx<'_>, args: &[Bytes], numkeys_at: usize, op: Op, store: bool, card: bool) -> Result<Request, Reply> {
    let numkeys = parse_int(&args[numkeys_at])?;
    if numkeys < 1 {
        return Err(errors::no_input_keys(&String::from_utf8_lossy(&args[0]).to_ascii_lowercase()));
    }
    let first_key = numkeys_at + 1;
    if numkeys > (args.len() - first_key) as i64 {
        return Err(errors::SYNTAX);
    }
    let numkeys = numkeys as usize;
    let mut inputs = Vec::with_capacity(numkeys);
    for key in &args[first_key..first_key + numkeys] {
        inputs.push(match ctx.server.storage.get(ctx.session.db, key) {
            None => Input::Missing,
            Some(entry) => match &entry.value {
                Value::ZSet(set) => Input::Sorted(set.clone()),
                Value::Set(set) => Input::Plain(set.clone()),
                _ => return Err(errors::WRONGTYPE),
            },
        });
    }
    let mut request = Request { inputs, weights: vec![1.0; numkeys], aggregate: Aggregate::Sum, withscores: false, limit: 0 };
    let mut j = first_key + numkeys;
    while j < args.len() {
        let remaining = args.len() - j;
        let opt = &args[j];
        if op != Op::Diff && !card && remaining > numkeys && is(opt, "weights") {
            for (i, arg) in args[j + 1..j + 1 + numkeys].iter().enumerate() {
                request.weights[i] = parse_score(arg).ok_or(errors::WEIGHT_NOT_FLOAT)?;
            }
            j += 1 + numkeys;
        } else if op != Op::Diff && !card && remaining >= 2 && is(opt, "aggregate") {
            let name = &args[j + 1];
            request.aggregate = match () {
                _ if is(name, "sum") => Aggregate::Sum,
                _ if is(name, "min") => Aggregate::Min,
                _ if is(name, "max") => Aggregate::Max,
                _ => return Err(errors::SYNTAX),
            };
            j += 2;
        } else if !store && !card && is(opt, "withscores") {
            request.withscores = true;
            j += 1;
        } else if card && remaining >= 2 && is(opt, "limit") {
            let limit = parse_int(&args[j + 1]).ok().filter(|n| *n >= 0).ok_or(errors::LIMIT_NEGATIVE)?;
            request.limit = usize::try_from(limit).unwrap_or(usize::MAX);
            j += 2;
        } else {
            return Err(errors::SYNTAX);
        }
    }
    Ok(request)
}

/// What the computation produced.
enum Outcome {
    Members(Vec<(Bytes, f64)>),
    Count(usize),
}

/// Redis's algorithm for each operation. Union and intersection visit the inputs smallest
/// first (a stable sort, so equal sizes keep their order); the first input's score is weighted
/// before the others are aggregated into it, in that order, so float sums round as Redis's do.
fn compute(request: &Request, op: Op, card: bool) -> Outcome {
    // The input locks live only in here: storing the result may touch the same collections.
    let locked: Vec<Locked<'_>> = request.inputs.iter().map(Input::lock).collect();
    let mut order: Vec<usize> = (0..locked.len()).collect();
    if op != Op::Diff {
        order.sort_by_key(|&i| locked[i].len());
    }
    let weighted = |value: f64, weight: f64| {
        let score = value * weight;
        if score.is_nan() { 0.0 } else { score }
    };
    match op {
        Op::Inter => {
            let first = &locked[order[0]];
            let mut members = Vec::new();
            let mut count = 0;
            for (member, value) in first.members() {
                let mut score = weighted(value, request.weights[order[0]]);
                let mut everywhere = true;
                for &i in &order[1..] {
                    let other = &locked[i];
                    let found = if other.same_object(first) { Some(value) } else { other.score(member) };
                    match found {
                        // Redis does not turn this product's NaN into 0 (only the first one's).
                        Some(v) => request.aggregate.apply(&mut score, v * request.weights[i]),
                        None => {
                            everywhere = false;
                            break;
                        }
                    }
                }
                if !everywhere {
                    continue;
                }
                if card {
                    count += 1;
                    if request.limit > 0 && count >= request.limit {
                        break;
                    }
                } else {
                    members.push((member.clone(), score));
                }
            }
            if card { Outcome::Count(count) } else { Outcome::Members(members) }
        }
        Op::Union => {
            let mut totals: HashMap<Bytes, f64> = HashMap::default();
            for &i in &order {
                for (member, value) in locked[i].members() {
                    let score = weighted(value, request.weights[i]);
                    match totals.get_mut(member) {
                        Some(total) => request.aggregate.apply(total, score),
                        None => {
                            totals.insert(member.clone(), score);
                        }
                    }
                }
            }
            Outcome::Members(totals.into_iter().collect())
        }
        Op::Diff => {
            let first = &locked[0];
            let others = &locked[1..];
            if others.iter().any(|other| other.same_object(first)) {
                return Outcome::Members(Vec::new());
            }
            // Redis picks between walking the first input (checking each member against the
            // others) and copying it then removing the others' members, by estimated work;
            // the result is the same, so only the cost follows its choice.
            let walk_first = first.len() * others.len() / 2 <= others.iter().map(Locked::len).sum::<usize>() + first.len();
            let members = if walk_first {
                first.members().filter(|(m, _)| others.iter().all(|o| o.score(m).is_none())).map(|(m, s)| (m.clone(), s)).collect()
            } else {
                let mut left: HashMap<Bytes, f64> = first.members().map(|(m, s)| (m.clone(), s)).collect();
                for other in others {
                    if left.is_empty() {
                        break;
                    }
                    for (member, _) in other.members() {
                        left.remove(member);
                    }
                }
                left.into_iter().collect()
            };
            Outcome::Members(members)
        }
    }
}

/// Runs one of the commands; `dst` is the index of the destination key for the *STORE forms.
fn run(ctx: &mut Ctx<'_>, args: &[Bytes], op: Op, dst: Option<usize>, card: bool) -> Reply {
    let numkeys_at = if dst.is_some() { 2 } else { 1 };
    let request = match parse(ctx, args, numkeys_at, op, dst.is_some(), card) {
        Ok(request) => request,
        Err(reply) => return reply,
    };
    let mut members = match compute(&request, op, card) {
        Outcome::Count(count) => return Reply::Integer(count as i64),
        Outcome::Members(members) => members,
    };
    members.sort_by(|a, b| (Score(a.1), &a.0).cmp(&(Score(b.1), &b.0)));
    let Some(dst) = dst else {
        return scored_reply(ctx.session.protocol, members, request.withscores);
    };
    // Redis builds the result as a skiplist and converts it to a listpack when it is small
    // enough; only then do -0 scores become 0.
    let longest = members.iter().map(|(m, _)| m.len()).max().unwrap_or(0);
    let mut result =
        if members.len() > ZSET_LISTPACK_ENTRIES || longest > ZSET_LISTPACK_VALUE { ZSet::skiplist() } else { ZSet::default() };
    let count = members.len();
    for (member, score) in members {
        result.insert(member, score);
    }
    store_collection(ctx, &args[dst], result, Reply::Integer(count as i64))
}

/// ZUNION numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES].
///
/// # Format
/// `ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] [WITHSCORES]`
pub(crate) fn zunion(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    run(ctx, args, Op::Union, None, false)
}

/// ZINTER numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES].
///
/// # Format
/// `ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] [WITHSCORES]`
pub(crate) fn zinter(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    run(ctx, args, Op::Inter, None, false)
}

/// ZDIFF numkeys key [key ...] [WITHSCORES]: members of the first input in none of the others.
///
/// # Format
/// `ZDIFF numkeys key [key ...] [WITHSCORES]`
pub(crate) fn zdiff(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    run(ctx, args, Op::Diff, None, false)
}

/// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE ...].
///
/// # Format
/// `ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]`
pub(crate) fn zunionstore(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    run(ctx, args, Op::Union, Some(1), false)
}

/// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE ...].
///
/// # Format
/// `ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]`
pub(crate) fn zinterstore(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    run(ctx, args, Op::Inter, Some(1), false)
}

/// ZDIFFSTORE destination numkeys key [key ...].
///
/// # Format
/// `ZDIFFSTORE destination numkeys key [key ...]`
pub(crate) fn zdiffstore(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    run(ctx, args, Op::Diff, Some(1), false)
}

/// ZINTERCARD numkeys key [key ...] [LIMIT limit]: the size of the intersection, counting
/// stopped at `limit` when it is not 0.
///
/// # Format
/// `ZINTERCARD numkeys key [key ...] [LIMIT limit]`
pub(crate) fn zintercard(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    run(ctx, args, Op::Inter, None, true)
}
