//! Sorted-set arguments with Redis's exact parsing rules: scores (`string2d`), score ranges
//! (`zslParseRange`, plain `strtod`) and lex ranges (`zslParseLexRange`), and the searches
//! over the ordered tree that those ranges drive.

use std::collections::BTreeSet;
use std::ops::Bound::{self, Excluded, Included, Unbounded};

use bytes::Bytes;
use mokad_storage::collections::{Score, ZSet};

use crate::strtod::{is_c_space, strtod};

/// A member's position in the ordered tree.
pub(crate) type Key = (Score, Bytes);

/// Parses a score or increment as Redis's `string2d` does (`ERR value is not a valid float`
/// otherwise): the whole text is one `strtod` number, no leading white space, not NaN, and
/// neither an overflow nor an underflow to zero.
pub(crate) fn parse_score(arg: &[u8]) -> Option<f64> {
    let parsed = strtod(arg);
    let rejected = arg.is_empty()
        || is_c_space(arg[0])
        || parsed.used != arg.len()
        || (parsed.range_error && (parsed.value.is_infinite() || parsed.value == 0.0))
        || parsed.value.is_nan();
    (!rejected).then_some(parsed.value)
}

/// One end of a score range argument as `zslParseRange` reads it: `(` makes it exclusive, the
/// rest is `strtod` up to the end (or a NUL, where C stops reading), so `""` and `" 5"` are
/// valid and overflow gives an infinity.
fn parse_score_bound(arg: &[u8]) -> Option<(f64, bool)> {
    let (text, exclusive) = match arg.first() {
        Some(b'(') => (&arg[1..], true),
        _ => (arg, false),
    };
    let parsed = strtod(text);
    let ends = parsed.used == text.len() || text[parsed.used] == 0;
    (ends && !parsed.value.is_nan()).then_some((parsed.value, exclusive))
}

/// A score interval, `min`/`max` each inclusive or exclusive (`ERR min or max is not a float`
/// when it does not parse).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ScoreRange {
    pub min: f64,
    pub max: f64,
    pub min_exclusive: bool,
    pub max_exclusive: bool,
}

impl ScoreRange {
    /// Parses `min` and `max` arguments.
    pub fn parse(min: &[u8], max: &[u8]) -> Option<ScoreRange> {
        let (min, min_exclusive) = parse_score_bound(min)?;
        let (max, max_exclusive) = parse_score_bound(max)?;
        Some(ScoreRange { min, max, min_exclusive, max_exclusive })
    }

    fn is_empty(&self) -> bool {
        self.min > self.max || (self.min == self.max && (self.min_exclusive || self.max_exclusive))
    }

    fn above_min(&self, score: f64) -> bool {
        if self.min_exclusive { score > self.min } else { score >= self.min }
    }

    fn below_max(&self, score: f64) -> bool {
        if self.max_exclusive { score < self.max } else { score <= self.max }
    }
}

/// One end of a lex range: `-`, `+`, `[member` or `(member`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LexBound {
    /// `-`: below every member.
    Lowest,
    /// `+`: above every member.
    Highest,
    /// `[member`.
    Inclusive(Bytes),
    /// `(member`.
    Exclusive(Bytes),
}

impl LexBound {
    /// Parses a lex range item as `zslParseLexRangeItem` does (C stops reading `+` or `-` at a NUL).
    fn parse(arg: &Bytes) -> Option<LexBound> {
        match arg.first()? {
            b'+' if arg.len() == 1 || arg[1] == 0 => Some(LexBound::Highest),
            b'-' if arg.len() == 1 || arg[1] == 0 => Some(LexBound::Lowest),
            b'[' => Some(LexBound::Inclusive(arg.slice(1..))),
            b'(' => Some(LexBound::Exclusive(arg.slice(1..))),
            _ => None,
        }
    }

    fn member(&self) -> Option<&Bytes> {
        match self {
            LexBound::Inclusive(m) | LexBound::Exclusive(m) => Some(m),
            _ => None,
        }
    }

    fn exclusive(&self) -> bool {
        !matches!(self, LexBound::Inclusive(_))
    }

    /// Redis's `sdscmplex`: `-` below all, `+` above all, members by bytes.
    fn cmp_member(&self, member: &[u8]) -> std::cmp::Ordering {
        use std::cmp::Ordering::*;
        match self {
            LexBound::Lowest => Less,
            LexBound::Highest => Greater,
            LexBound::Inclusive(m) | LexBound::Exclusive(m) => m.as_ref().cmp(member),
        }
    }
}

/// A member interval (`ERR min or max not valid string range item` when it does not parse).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LexRange {
    pub min: LexBound,
    pub max: LexBound,
}

impl LexRange {
    /// Parses `min` and `max` arguments.
    pub fn parse(min: &Bytes, max: &Bytes) -> Option<LexRange> {
        Some(LexRange { min: LexBound::parse(min)?, max: LexBound::parse(max)? })
    }

    fn is_empty(&self) -> bool {
        use std::cmp::Ordering::*;
        let order = match (&self.min, &self.max) {
            (LexBound::Lowest, LexBound::Lowest) | (LexBound::Highest, LexBound::Highest) => Equal,
            (LexBound::Lowest, _) | (_, LexBound::Highest) => Less,
            (LexBound::Highest, _) | (_, LexBound::Lowest) => Greater,
            (a, b) => a.member().cmp(&b.member()),
        };
        order == Greater || (order == Equal && (self.min.exclusive() || self.max.exclusive()))
    }

    fn above_min(&self, member: &[u8]) -> bool {
        let order = self.min.cmp_member(member).reverse();
        if self.min.exclusive() { order.is_gt() } else { order.is_ge() }
    }

    fn below_max(&self, member: &[u8]) -> bool {
        let order = self.max.cmp_member(member).reverse();
        if self.max.exclusive() { order.is_lt() } else { order.is_le() }
    }
}

/// A range over a sorted set's order: where it starts and ends, and which members it holds.
///
/// Scores are monotonic along the order, so a score range is one contiguous run. Members are
/// monotonic only among equal scores: for a set whose scores all match, a lex range is a run
/// too; for mixed scores Redis's answer depends on its encoding, and this follows the listpack
/// (small sets): start at the first member at or above `min` in score order, go on while at or
/// below `max`.
pub(crate) trait Span {
    /// Whether the element is at or above the range's lower end.
    fn above_min(&self, key: &Key) -> bool;
    /// Whether the element is at or below the range's upper end.
    fn below_max(&self, key: &Key) -> bool;
    /// The first element in range, searching upwards.
    fn first(&self, set: &ZSet) -> Option<Key>;
    /// The last element in range, searching downwards.
    fn last(&self, set: &ZSet) -> Option<Key>;
    /// How many elements the range holds.
    fn count(&self, set: &ZSet) -> usize;
}

/// Smallest f64 above `x` (`f64::next_up`, which is newer than our minimum Rust).
fn next_up(x: f64) -> f64 {
    if x.is_nan() || x == f64::INFINITY {
        return x;
    }
    if x == 0.0 {
        return f64::from_bits(1);
    }
    let bits = x.to_bits();
    f64::from_bits(if x > 0.0 { bits + 1 } else { bits - 1 })
}

/// The least key with score `score` (the empty member sorts first).
fn floor_key(score: f64) -> Key {
    (Score(score), Bytes::new())
}

impl Span for ScoreRange {
    fn above_min(&self, key: &Key) -> bool {
        ScoreRange::above_min(self, key.0 .0)
    }

    fn below_max(&self, key: &Key) -> bool {
        ScoreRange::below_max(self, key.0 .0)
    }

    fn first(&self, set: &ZSet) -> Option<Key> {
        if self.is_empty() || (self.min_exclusive && self.min == f64::INFINITY) {
            return None;
        }
        let low = if self.min_exclusive { next_up(self.min) } else { self.min };
        let key = set.ordered().range(floor_key(low)..).next()?;
        self.below_max(key.0 .0).then(|| key.clone())
    }

    fn last(&self, set: &ZSet) -> Option<Key> {
        if self.is_empty() {
            return None;
        }
        let upper: Bound<Key> = if self.max_exclusive {
            Excluded(floor_key(self.max))
        } else if self.max == f64::INFINITY {
            Unbounded
        } else {
            Excluded(floor_key(next_up(self.max)))
        };
        let key = set.ordered().range((Unbounded, upper)).next_back()?;
        self.above_min(key.0 .0).then(|| key.clone())
    }

    fn count(&self, set: &ZSet) -> usize {
        match (self.first(set), self.last(set)) {
            (Some(first), Some(last)) => count_between(set.ordered(), &first, &last),
            _ => 0,
        }
    }
}

/// The score every member has, if they all have the same one.
fn uniform_score(set: &ZSet) -> Option<Score> {
    let (first, _) = set.ordered().first()?;
    let (last, _) = set.ordered().last()?;
    (first == last).then_some(*first)
}

impl Span for LexRange {
    fn above_min(&self, key: &Key) -> bool {
        LexRange::above_min(self, &key.1)
    }

    fn below_max(&self, key: &Key) -> bool {
        LexRange::below_max(self, &key.1)
    }

    fn first(&self, set: &ZSet) -> Option<Key> {
        if !self.spans(set) {
            return None;
        }
        let found = match uniform_score(set) {
            Some(score) => {
                let lower = match &self.min {
                    LexBound::Lowest => Unbounded,
                    LexBound::Highest => return None,
                    LexBound::Inclusive(m) => Included((score, m.clone())),
                    LexBound::Exclusive(m) => Excluded((score, m.clone())),
                };
                set.ordered().range((lower, Unbounded)).next()?
            }
            None => set.ordered().iter().find(|key| LexRange::above_min(self, &key.1))?,
        };
        LexRange::below_max(self, &found.1).then(|| found.clone())
    }

    fn last(&self, set: &ZSet) -> Option<Key> {
        if !self.spans(set) {
            return None;
        }
        let found = match uniform_score(set) {
            Some(score) => {
                let upper = match &self.max {
                    LexBound::Highest => Unbounded,
                    LexBound::Lowest => return None,
                    LexBound::Inclusive(m) => Included((score, m.clone())),
                    LexBound::Exclusive(m) => Excluded((score, m.clone())),
                };
                set.ordered().range((Unbounded, upper)).next_back()?
            }
            None => set.ordered().iter().rev().find(|key| LexRange::below_max(self, &key.1))?,
        };
        LexRange::above_min(self, &found.1).then(|| found.clone())
    }

    fn count(&self, set: &ZSet) -> usize {
        let Some(first) = self.first(set) else { return 0 };
        if uniform_score(set).is_some() {
            // A run with a first element has a last one (at worst the same).
            return self.last(set).map_or(0, |last| count_between(set.ordered(), &first, &last));
        }
        set.ordered().range(first..).take_while(|key| LexRange::below_max(self, &key.1)).count()
    }
}

impl LexRange {
    /// Redis's `zzlIsInLexRange`: the range is not empty, the last member is at or above
    /// `min` and the first at or below `max`.
    fn spans(&self, set: &ZSet) -> bool {
        let (Some(first), Some(last)) = (set.ordered().first(), set.ordered().last()) else { return false };
        !self.is_empty() && LexRange::above_min(self, &last.1) && LexRange::below_max(self, &first.1)
    }
}

/// Elements in range, lowest first: from the first in range, skipping `offset` (in any
/// case, as Redis does), then while in range, at most `limit` (negative: no limit).
pub(crate) fn forward<'a>(set: &'a ZSet, span: &'a impl Span, offset: usize, limit: i64) -> impl Iterator<Item = &'a Key> + 'a {
    let first = span.first(set);
    let run = first.map(|first| set.ordered().range(first..));
    run.into_iter().flatten().skip(offset).take_while(move |key| span.below_max(key)).take(limit_of(limit))
}

/// Elements in range, highest first: from the last in range, skipping `offset`, then while in
/// range, at most `limit` (negative: no limit).
pub(crate) fn backward<'a>(set: &'a ZSet, span: &'a impl Span, offset: usize, limit: i64) -> impl Iterator<Item = &'a Key> + 'a {
    let last = span.last(set);
    let run = last.map(|last| set.ordered().range(..=last).rev());
    run.into_iter().flatten().skip(offset).take_while(move |key| span.above_min(key)).take(limit_of(limit))
}

fn limit_of(limit: i64) -> usize {
    usize::try_from(limit).unwrap_or(usize::MAX)
}

/// Number of elements from `first` to `last` (both in the tree, `first <= last`).
///
/// A B-tree has no rank, so this walks. It walks the part before `first`, the part between and
/// the part after `last` together, one step each in turn, and stops when two of them are
/// done: the cost is that of the second-smallest part, so a count near either end of a large
/// set, or a small count anywhere, stays cheap. Redis does it in O(log n).
pub(crate) fn count_between(order: &BTreeSet<Key>, first: &Key, last: &Key) -> usize {
    let mut parts = [order.range(..first), order.range(first..=last), order.range((Excluded(last), Unbounded))];
    let mut counts = [0usize; 3];
    let mut done = [false; 3];
    loop {
        for i in 0..3 {
            if !done[i] {
                match parts[i].next() {
                    Some(_) => counts[i] += 1,
                    None => done[i] = true,
                }
            }
        }
        if done.iter().filter(|d| **d).count() >= 2 {
            return if done[1] { counts[1] } else { order.len() - counts[0] - counts[2] };
        }
    }
}

/// Number of elements below `key` (its 0-based rank when it is in the tree).
///
/// Walks from both ends at once and stops at the nearer one: O(min(rank, n - rank)), where
/// Redis's skiplist takes O(log n).
pub(crate) fn rank_of(order: &BTreeSet<Key>, key: &Key) -> usize {
    let mut below = order.range(..key);
    let mut rest = order.range(key..);
    let (mut below_count, mut rest_count) = (0, 0);
    loop {
        if below.next().is_none() {
            return below_count;
        }
        below_count += 1;
        if rest.next().is_none() {
            return order.len() - rest_count;
        }
        rest_count += 1;
    }
}

/// The elements at ranks `start..=end` (valid, `start <= end < len`), lowest first.
///
/// Walks from whichever end of the set is nearer, so the first and the last few ranks of a
/// large set are cheap: O(min(start, n - end) + count), where Redis's skiplist is
/// O(log n + count).
pub(crate) fn by_rank(set: &ZSet, start: usize, end: usize) -> Vec<(Bytes, f64)> {
    let len = set.len();
    let take = end - start + 1;
    if start <= len - 1 - end {
        set.iter().skip(start).take(take).map(|(m, s)| (m.clone(), s)).collect()
    } else {
        let mut items: Vec<(Bytes, f64)> = set.iter().rev().skip(len - 1 - end).take(take).map(|(m, s)| (m.clone(), s)).collect();
        items.reverse();
        items
    }
}

/// Redis's `double2ll`: the score as an integer when it is one and within half the `long
/// long` range (how a listpack stores it).
pub(crate) fn double_to_integer(score: f64) -> Option<i64> {
    const LIMIT: f64 = (i64::MAX / 2) as f64;
    if !(-LIMIT..=LIMIT).contains(&score) {
        return None;
    }
    let integer = score as i64;
    (integer as f64 == score).then_some(integer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(members: &[(&str, f64)]) -> ZSet {
        let mut z = ZSet::default();
        for (m, s) in members {
            z.insert(Bytes::copy_from_slice(m.as_bytes()), *s);
        }
        z
    }

    fn names<'a>(keys: impl Iterator<Item = &'a Key>) -> Vec<String> {
        keys.map(|k| String::from_utf8(k.1.to_vec()).unwrap()).collect()
    }

    #[test]
    fn should_parse_scores_like_string2d() {
        for (text, value) in [("1", 1.0), ("-1.5", -1.5), ("+5", 5.0), ("inf", f64::INFINITY), ("-inf", f64::NEG_INFINITY), ("0x10", 16.0), ("4.9e-324", 4.9e-324), ("0e-400", 0.0)] {
            assert_eq!(parse_score(text.as_bytes()), Some(value), "{text}");
        }
        for bad in ["", " 1", "1 ", "nan", "1e400", "1e-400", "abc", "1\0", "(1"] {
            assert_eq!(parse_score(bad.as_bytes()), None, "{bad:?}");
        }
    }

    #[test]
    fn should_parse_score_ranges_like_zsl_parse_range() {
        let r = ScoreRange::parse(b"(1", b"+inf").unwrap();
        assert_eq!((r.min, r.min_exclusive, r.max, r.max_exclusive), (1.0, true, f64::INFINITY, false));
        let r = ScoreRange::parse(b"", b" 5").unwrap();
        assert_eq!((r.min, r.max), (0.0, 5.0));
        assert_eq!(ScoreRange::parse(b"(", b"1e400").map(|r| (r.min, r.min_exclusive, r.max)), Some((0.0, true, f64::INFINITY)));
        assert_eq!(ScoreRange::parse(b"1\0junk", b"2").map(|r| r.min), Some(1.0));
        for bad in [&b"5x"[..], b"(nan", b"((1", b"nan"] {
            assert!(ScoreRange::parse(bad, b"1").is_none(), "{bad:?}");
        }
    }

    #[test]
    fn should_parse_lex_ranges_like_zsl_parse_lex_range() {
        let b = |s: &str| Bytes::copy_from_slice(s.as_bytes());
        let r = LexRange::parse(&b("[a"), &b("(c")).unwrap();
        assert_eq!(r.min, LexBound::Inclusive(b("a")));
        assert_eq!(r.max, LexBound::Exclusive(b("c")));
        assert_eq!(LexRange::parse(&b("-"), &b("+")).unwrap(), LexRange { min: LexBound::Lowest, max: LexBound::Highest });
        assert_eq!(LexRange::parse(&b("["), &b("(")).unwrap().min, LexBound::Inclusive(Bytes::new()));
        for bad in ["a", "", "+a", "-a"] {
            assert!(LexRange::parse(&b(bad), &b("+")).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn should_find_score_runs_with_open_and_closed_ends() {
        let z = set(&[("a", 1.0), ("b", 2.0), ("c", 2.0), ("d", 3.0), ("e", f64::INFINITY)]);
        let run = |min: &str, max: &str| names(forward(&z, &ScoreRange::parse(min.as_bytes(), max.as_bytes()).unwrap(), 0, -1));
        assert_eq!(run("2", "2"), ["b", "c"]);
        assert_eq!(run("(1", "(3"), ["b", "c"]);
        assert_eq!(run("-inf", "+inf"), ["a", "b", "c", "d", "e"]);
        assert_eq!(run("(3", "+inf"), ["e"]);
        assert_eq!(run("(inf", "+inf"), Vec::<String>::new());
        assert_eq!(run("3", "1"), Vec::<String>::new());
        assert_eq!(run("(2", "2"), Vec::<String>::new());
        let r = ScoreRange::parse(b"1", b"3").unwrap();
        assert_eq!(names(backward(&z, &r, 1, 2)), ["c", "b"]);
        assert_eq!(names(forward(&z, &r, 1, 0)), Vec::<String>::new());
        assert_eq!(r.count(&z), 4);
        assert_eq!(ScoreRange::parse(b"(3", b"inf").unwrap().count(&z), 1);
    }

    #[test]
    fn should_find_lex_runs_in_uniform_and_mixed_sets() {
        let b = |s: &str| Bytes::copy_from_slice(s.as_bytes());
        let lex = |min: &str, max: &str| LexRange::parse(&b(min), &b(max)).unwrap();
        let z = set(&[("a", 0.0), ("b", 0.0), ("c", 0.0), ("d", 0.0)]);
        assert_eq!(names(forward(&z, &lex("(a", "[c"), 0, -1)), ["b", "c"]);
        assert_eq!(names(backward(&z, &lex("-", "(c"), 0, -1)), ["b", "a"]);
        assert_eq!(lex("[b", "+").count(&z), 3);
        assert_eq!(lex("+", "-").count(&z), 0);
        assert_eq!(lex("[c", "[b").count(&z), 0);
        assert_eq!(lex("(b", "[b").count(&z), 0);
        // Mixed scores: listpack rules (first member >= min in score order, then while <= max).
        let mixed = set(&[("n", 1.0), ("c", 3.0), ("x", 6.0), ("b", 7.0), ("a", 8.0)]);
        assert_eq!(names(forward(&mixed, &lex("[a", "+"), 0, -1)), ["n", "c", "x", "b", "a"]);
        assert_eq!(names(forward(&mixed, &lex("[a", "[n"), 0, -1)), ["n", "c"]);
        assert_eq!(lex("[a", "[n").count(&mixed), 2);
    }

    #[test]
    fn should_count_and_rank_from_the_nearer_end() {
        let members: Vec<(String, f64)> = (0..100).map(|i| (format!("m{i:03}"), i as f64)).collect();
        let refs: Vec<(&str, f64)> = members.iter().map(|(m, s)| (m.as_str(), *s)).collect();
        let z = set(&refs);
        let key = |i: usize| (Score(i as f64), Bytes::from(format!("m{i:03}")));
        for (first, last) in [(0, 99), (0, 0), (99, 99), (10, 20), (40, 90), (5, 98)] {
            assert_eq!(count_between(z.ordered(), &key(first), &key(last)), last - first + 1, "{first}..{last}");
        }
        for i in [0, 1, 49, 50, 98, 99] {
            assert_eq!(rank_of(z.ordered(), &key(i)), i);
        }
        let ranks = |start, end| by_rank(&z, start, end).into_iter().map(|(_, s)| s as usize).collect::<Vec<_>>();
        assert_eq!(ranks(0, 2), [0, 1, 2]);
        assert_eq!(ranks(97, 99), [97, 98, 99]);
        assert_eq!(ranks(60, 62), [60, 61, 62]);
    }

    #[test]
    fn should_store_integral_scores_as_integers_like_double2ll() {
        assert_eq!(double_to_integer(1e18), Some(1_000_000_000_000_000_000));
        assert_eq!(double_to_integer(4611686018427387904.0), Some(4611686018427387904));
        assert_eq!(double_to_integer(1e19), None);
        assert_eq!(double_to_integer(1.5), None);
        assert_eq!(double_to_integer(f64::INFINITY), None);
        assert_eq!(double_to_integer(-0.0), Some(0));
    }
}
