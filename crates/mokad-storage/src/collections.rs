//! Collection values: hashes, lists, sets and sorted sets.
//!
//! A collection lives behind an `Arc<RwLock<_>>` ([`Shared`]) so that a write changes it in place
//! (under the key's stripe lock, see `Storage::update`) instead of copying it, and a read clones
//! only the `Arc`. Each collection keeps a running count of the bytes it holds, so that its
//! weight against `maxmemory` follows its size as it grows and shrinks at no cost per read.
//!
//! Dropping a large collection frees thousands of allocations; like Redis's lazyfree, whoever
//! drops the last reference hands the contents to a background thread instead (see [`lazy_free`]).

use std::any::Any;
use std::collections::{BTreeSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex, OnceLock};

use bytes::Bytes;
use indexmap::{IndexMap, IndexSet};
use parking_lot::RwLock;

/// A collection shared between the keyspace and the commands reading it.
pub type Shared<T> = Arc<RwLock<T>>;

/// Wraps a collection for storing.
pub fn shared<T>(collection: T) -> Shared<T> {
    Arc::new(RwLock::new(collection))
}

/// Collections with more elements than this are freed on a background thread, as Redis's
/// `LAZYFREE_THRESHOLD` (64) does.
pub const LAZYFREE_THRESHOLD: usize = 64;

/// Bytes counted per element beyond its own bytes: the `Bytes` handles (32 bytes each), the
/// table slot and the allocator's rounding of the element's own allocation.
pub const HASH_FIELD_OVERHEAD: usize = 96;
/// Per list element: one `Bytes` handle in the deque plus the allocation's rounding.
pub const LIST_ITEM_OVERHEAD: usize = 48;
/// Per set member: one `Bytes` handle, the index table slot and the rounding.
pub const SET_MEMBER_OVERHEAD: usize = 64;
/// Per sorted-set member: the member in the score map and in the ordered tree (two handles,
/// one allocation), the score twice and both structures' nodes.
pub const ZSET_MEMBER_OVERHEAD: usize = 128;

/// Collections handed to the lazyfree thread and not freed yet (INFO `lazyfree_pending_objects`).
static LAZYFREE_PENDING: AtomicU64 = AtomicU64::new(0);
/// Collections the lazyfree thread has freed (INFO `lazyfreed_objects`).
static LAZYFREED: AtomicU64 = AtomicU64::new(0);

/// Collections waiting for the lazyfree thread, and how many it has freed since the start or
/// the last [`reset_lazyfreed`].
pub fn lazyfree_counts() -> (u64, u64) {
    (LAZYFREE_PENDING.load(Ordering::Relaxed), LAZYFREED.load(Ordering::Relaxed))
}

/// Zeroes the count of freed collections (CONFIG RESETSTAT).
pub fn reset_lazyfreed() {
    LAZYFREED.store(0, Ordering::Relaxed);
}

/// Hands `contents` to the background freeing thread (dropping it here if that thread is gone).
pub fn lazy_free(contents: Box<dyn Any + Send>) {
    static FREER: OnceLock<Mutex<Sender<Box<dyn Any + Send>>>> = OnceLock::new();
    let sender = FREER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Box<dyn Any + Send>>();
        std::thread::Builder::new()
            .name("mokad-lazyfree".into())
            .spawn(move || {
                for contents in rx {
                    drop(contents);
                    LAZYFREE_PENDING.fetch_sub(1, Ordering::Relaxed);
                    LAZYFREED.fetch_add(1, Ordering::Relaxed);
                }
            })
            .expect("spawn lazyfree thread");
        Mutex::new(tx)
    });
    let sender = sender.lock().unwrap_or_else(|e| e.into_inner()).clone();
    LAZYFREE_PENDING.fetch_add(1, Ordering::Relaxed);
    if let Err(returned) = sender.send(contents) {
        drop(returned);
        LAZYFREE_PENDING.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Most fields a hash keeps in Redis's listpack encoding (`hash-max-listpack-entries`; 512 is
/// Redis 7.0's default, in its code and in the redis.conf it ships).
pub const HASH_MAX_LISTPACK_ENTRIES: usize = 512;
/// Longest field or value a listpack-encoded hash holds (`hash-max-listpack-value`).
pub const HASH_MAX_LISTPACK_VALUE: usize = 64;

/// A hash: fields in insertion order, as Redis's listpack keeps them for small hashes.
///
/// It also remembers which encoding Redis 7.0 would have given it (OBJECT ENCODING, and HSCAN
/// answers a listpack in one page): a listpack until it outgrows the limits above, then a
/// hashtable for good, as Redis never converts back.
#[derive(Debug, Default, Clone)]
pub struct Hash {
    fields: IndexMap<Bytes, Bytes, ahash::RandomState>,
    bytes: usize,
    hashtable: bool,
}

impl Hash {
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether it has no field.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Bytes held, for the memory budget.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The value of `field`.
    pub fn get(&self, field: &[u8]) -> Option<&Bytes> {
        self.fields.get(field)
    }

    /// Sets `field`; returns whether the field is new.
    pub fn insert(&mut self, field: Bytes, value: Bytes) -> bool {
        self.admit(&field);
        self.admit(&value);
        let added = field.len() + value.len();
        let new = match self.fields.get_mut(&field) {
            Some(old) => {
                self.bytes = self.bytes - old.len() + value.len();
                *old = value;
                false
            }
            None => {
                self.bytes += added + HASH_FIELD_OVERHEAD;
                self.fields.insert(field, value);
                true
            }
        };
        if self.fields.len() > HASH_MAX_LISTPACK_ENTRIES {
            self.hashtable = true;
        }
        new
    }

    /// Converts to the hashtable encoding if `data` is too long for a listpack entry.
    fn admit(&mut self, data: &[u8]) {
        if data.len() > HASH_MAX_LISTPACK_VALUE {
            self.hashtable = true;
        }
    }

    /// Whether Redis 7.0 would keep this hash in a listpack (else a hashtable).
    pub fn is_listpack(&self) -> bool {
        !self.hashtable
    }

    /// Removes `field`; returns its value. A listpack keeps its order; a hashtable has none,
    /// so the last field takes the removed one's place.
    pub fn remove(&mut self, field: &[u8]) -> Option<Bytes> {
        let (key, value) = if self.is_listpack() {
            self.fields.shift_remove_entry(field)?
        } else {
            self.fields.swap_remove_entry(field)?
        };
        self.bytes -= key.len() + value.len() + HASH_FIELD_OVERHEAD;
        Some(value)
    }

    /// Fields and values in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Bytes, &Bytes)> {
        self.fields.iter()
    }

    /// The field and value at position `i` (for random picks and cursors).
    pub fn get_index(&self, i: usize) -> Option<(&Bytes, &Bytes)> {
        self.fields.get_index(i)
    }
}

impl Drop for Hash {
    fn drop(&mut self) {
        if self.fields.len() > LAZYFREE_THRESHOLD {
            lazy_free(Box::new(std::mem::take(&mut self.fields)));
        }
    }
}

/// A list.
#[derive(Debug, Default, Clone)]
pub struct List {
    items: VecDeque<Bytes>,
    bytes: usize,
}

impl List {
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether it has no element.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Bytes held, for the memory budget.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Adds `item` at the head.
    pub fn push_front(&mut self, item: Bytes) {
        self.bytes += item.len() + LIST_ITEM_OVERHEAD;
        self.items.push_front(item);
    }

    /// Adds `item` at the tail.
    pub fn push_back(&mut self, item: Bytes) {
        self.bytes += item.len() + LIST_ITEM_OVERHEAD;
        self.items.push_back(item);
    }

    /// Removes the head.
    pub fn pop_front(&mut self) -> Option<Bytes> {
        let item = self.items.pop_front()?;
        self.bytes -= item.len() + LIST_ITEM_OVERHEAD;
        Some(item)
    }

    /// Removes the tail.
    pub fn pop_back(&mut self) -> Option<Bytes> {
        let item = self.items.pop_back()?;
        self.bytes -= item.len() + LIST_ITEM_OVERHEAD;
        Some(item)
    }

    /// The element at `i` from the head.
    pub fn get(&self, i: usize) -> Option<&Bytes> {
        self.items.get(i)
    }

    /// Replaces the element at `i`; false when out of range.
    pub fn set(&mut self, i: usize, item: Bytes) -> bool {
        let Some(slot) = self.items.get_mut(i) else { return false };
        self.bytes = self.bytes - slot.len() + item.len();
        *slot = item;
        true
    }

    /// Inserts `item` before position `i` (`i == len` appends).
    pub fn insert(&mut self, i: usize, item: Bytes) {
        self.bytes += item.len() + LIST_ITEM_OVERHEAD;
        self.items.insert(i, item);
    }

    /// Removes the element at `i`.
    pub fn remove(&mut self, i: usize) -> Option<Bytes> {
        let item = self.items.remove(i)?;
        self.bytes -= item.len() + LIST_ITEM_OVERHEAD;
        Some(item)
    }

    /// Keeps only positions `start..end` (clamped).
    pub fn keep_range(&mut self, start: usize, end: usize) {
        let end = end.min(self.items.len());
        let start = start.min(end);
        let dropped: usize = self.items.range(..start).chain(self.items.range(end..)).map(|i| i.len() + LIST_ITEM_OVERHEAD).sum();
        self.items.truncate(end);
        self.items.drain(..start);
        self.bytes -= dropped;
    }

    /// Elements from the head.
    pub fn iter(&self) -> std::collections::vec_deque::Iter<'_, Bytes> {
        self.items.iter()
    }

    /// Elements at positions `start..=end` (clamped to the list).
    pub fn range(&self, start: usize, end: usize) -> std::collections::vec_deque::Iter<'_, Bytes> {
        let end = end.saturating_add(1).min(self.items.len());
        self.items.range(start.min(end)..end)
    }

    /// Removes elements equal to `item`, at most `limit` of them (0: every one), the first
    /// ones from the head or, with `from_tail`, the last ones; returns how many it removed.
    pub fn remove_matching(&mut self, item: &[u8], limit: usize, from_tail: bool) -> usize {
        // Positions from `first` on are candidates: with a limit from the tail, the position
        // of the limit-th match from the end.
        let mut first = 0;
        if from_tail && limit > 0 {
            let mut seen = 0;
            for (i, x) in self.items.iter().enumerate().rev() {
                if x.as_ref() == item {
                    seen += 1;
                    first = i;
                    if seen == limit {
                        break;
                    }
                }
            }
        }
        let (mut removed, mut freed, mut pos) = (0usize, 0usize, 0usize);
        self.items.retain(|x| {
            let candidate = pos >= first && (limit == 0 || removed < limit) && x.as_ref() == item;
            pos += 1;
            if candidate {
                removed += 1;
                freed += x.len() + LIST_ITEM_OVERHEAD;
            }
            !candidate
        });
        self.bytes -= freed;
        removed
    }
}

impl Drop for List {
    fn drop(&mut self) {
        if self.items.len() > LAZYFREE_THRESHOLD {
            lazy_free(Box::new(std::mem::take(&mut self.items)));
        }
    }
}

/// Most members a set of integers keeps in Redis's intset encoding (`set-max-intset-entries`).
pub const SET_MAX_INTSET_ENTRIES: usize = 512;

/// A set. Members keep insertion order (removal swaps the last member in), which gives cheap
/// random picks by position.
///
/// It also remembers which encoding Redis 7.0 would have given it: an intset (which Redis
/// keeps sorted, so replies list its members in numeric order) while every member is an
/// integer and there are at most 512, then a hashtable for good.
#[derive(Debug, Default, Clone)]
pub struct Set {
    members: IndexSet<Bytes, ahash::RandomState>,
    bytes: usize,
    hashtable: bool,
}

impl Set {
    /// Number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether it has no member.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Bytes held, for the memory budget.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Whether `member` is in the set.
    pub fn contains(&self, member: &[u8]) -> bool {
        self.members.contains(member)
    }

    /// Adds `member`; returns whether it is new.
    pub fn insert(&mut self, member: Bytes) -> bool {
        if !self.hashtable && canonical_int(&member).is_none() {
            self.hashtable = true;
        }
        let len = member.len();
        let added = self.members.insert(member);
        if added {
            self.bytes += len + SET_MEMBER_OVERHEAD;
            if self.members.len() > SET_MAX_INTSET_ENTRIES {
                self.hashtable = true;
            }
        }
        added
    }

    /// Whether Redis 7.0 would keep this set in an intset (else a hashtable): then every
    /// member is an integer in canonical form.
    pub fn is_intset(&self) -> bool {
        !self.hashtable
    }

    /// Recomputes the encoding from the members alone, as when Redis 7.0's SPOP builds the
    /// members it leaves into a new set (created from the first one, as SADD creates a set).
    pub fn reencode(&mut self) {
        self.hashtable =
            self.members.len() > SET_MAX_INTSET_ENTRIES || self.members.iter().any(|m| canonical_int(m).is_none());
    }

    /// Members in the order Redis 7.0 lists them where the order is fixed: numeric for an
    /// intset; storage order (which Redis leaves unspecified) for a hashtable.
    pub fn members_in_order(&self) -> Vec<&Bytes> {
        let mut members: Vec<&Bytes> = self.members.iter().collect();
        if self.is_intset() {
            members.sort_by_key(|m| canonical_int(m).unwrap_or_default());
        }
        members
    }

    /// Removes `member`; returns whether it was there.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        let removed = self.members.swap_remove(member);
        if removed {
            self.bytes -= member.len() + SET_MEMBER_OVERHEAD;
        }
        removed
    }

    /// Removes and returns the member at position `i`.
    pub fn remove_index(&mut self, i: usize) -> Option<Bytes> {
        let member = self.members.swap_remove_index(i)?;
        self.bytes -= member.len() + SET_MEMBER_OVERHEAD;
        Some(member)
    }

    /// The member at position `i`.
    pub fn get_index(&self, i: usize) -> Option<&Bytes> {
        self.members.get_index(i)
    }

    /// Members in storage order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &Bytes> {
        self.members.iter()
    }
}

impl Drop for Set {
    fn drop(&mut self) {
        if self.members.len() > LAZYFREE_THRESHOLD {
            lazy_free(Box::new(std::mem::take(&mut self.members)));
        }
    }
}

/// `data` as an integer if it is one in canonical form (Redis's `string2ll`: an optional minus,
/// no leading zero, no sign on zero, fits 64 bits), which is what an intset can hold.
pub fn canonical_int(data: &[u8]) -> Option<i64> {
    let digits = data.strip_prefix(b"-").unwrap_or(data);
    let canonical = match digits {
        [] => false,
        [b'0'] => digits.len() == data.len(),
        [first, ..] => (b'1'..=b'9').contains(first) && digits.iter().all(u8::is_ascii_digit),
    };
    if !canonical || data.len() > 20 {
        return None;
    }
    std::str::from_utf8(data).ok()?.parse().ok()
}

/// A sorted-set score: an `f64` that is never NaN, ordered totally.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score(pub f64);

impl Eq for Score {}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Score {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Scores are never NaN (commands reject it), so this is a total order; -0.0 == 0.0.
        self.0.partial_cmp(&other.0).unwrap_or(std::cmp::Ordering::Equal)
    }
}

/// Sorted sets with more members than this are skiplist-encoded in Redis
/// (`zset-max-listpack-entries`).
pub const ZSET_LISTPACK_ENTRIES: usize = 128;
/// Sorted sets with a member longer than this are skiplist-encoded in Redis
/// (`zset-max-listpack-value`).
pub const ZSET_LISTPACK_VALUE: usize = 64;

/// A sorted set: members by score, ties by member bytes, as Redis orders them.
///
/// Members also sit in an insertion-ordered map (removal swaps the last member in), which
/// gives O(1) random picks and a stable position for ZSCAN's cursor.
///
/// Redis keeps a small sorted set in a listpack, which stores an integral score as an integer
/// and so turns a score of `-0` into `0`; a set that outgrew the listpack (a skiplist) keeps
/// `-0`. Replies show the difference, so the set remembers which encoding Redis would use.
#[derive(Debug, Default, Clone)]
pub struct ZSet {
    scores: IndexMap<Bytes, f64, ahash::RandomState>,
    order: BTreeSet<(Score, Bytes)>,
    bytes: usize,
    skiplist: bool,
}

impl ZSet {
    /// An empty set encoded as a skiplist from the start, as Redis builds the results of
    /// ZUNIONSTORE and friends when they are too large for a listpack: `-0` scores stay `-0`.
    pub fn skiplist() -> Self {
        let mut set = ZSet::default();
        set.skiplist = true;
        set
    }

    /// Whether Redis would hold this set as a skiplist rather than a listpack.
    pub fn is_skiplist(&self) -> bool {
        self.skiplist
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.scores.len()
    }

    /// Whether it has no member.
    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    /// Bytes held, for the memory budget.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.scores.get(member).copied()
    }

    /// Sets `member`'s score; returns the previous score, `None` when the member is new.
    ///
    /// As in Redis, a score equal to the current one (`0` and `-0` are equal) changes nothing,
    /// and a listpack-encoded set stores `-0` as `0`.
    pub fn insert(&mut self, member: Bytes, score: f64) -> Option<f64> {
        debug_assert!(!score.is_nan());
        if let Some(old) = self.scores.get_mut(&member) {
            let previous = *old;
            let score = if self.skiplist { score } else { score + 0.0 };
            if previous != score {
                *old = score;
                self.order.remove(&(Score(previous), member.clone()));
                self.order.insert((Score(score), member));
            }
            return Some(previous);
        }
        if self.scores.len() >= ZSET_LISTPACK_ENTRIES || member.len() > ZSET_LISTPACK_VALUE {
            self.skiplist = true;
        }
        // x + 0.0 is x, except that -0 + 0 is +0.
        let score = if self.skiplist { score } else { score + 0.0 };
        self.bytes += member.len() + ZSET_MEMBER_OVERHEAD;
        self.scores.insert(member.clone(), score);
        self.order.insert((Score(score), member));
        None
    }

    /// Removes `member`; returns its score.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let (member, score) = self.scores.swap_remove_entry(member)?;
        self.order.remove(&(Score(score), member.clone()));
        self.bytes -= member.len() + ZSET_MEMBER_OVERHEAD;
        Some(score)
    }

    /// Removes and returns the lowest member (lowest score, then lowest bytes).
    pub fn pop_min(&mut self) -> Option<(Bytes, f64)> {
        let (_, member) = self.order.first()?.clone();
        self.remove(&member).map(|score| (member, score))
    }

    /// Removes and returns the highest member.
    pub fn pop_max(&mut self) -> Option<(Bytes, f64)> {
        let (_, member) = self.order.last()?.clone();
        self.remove(&member).map(|score| (member, score))
    }

    /// Members with their scores, lowest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Bytes, f64)> {
        self.order.iter().map(|(score, member)| (member, score.0))
    }

    /// Members from the first whose (score, member) is not below `from`, lowest first.
    pub fn range_from(&self, from: (Score, Bytes)) -> impl DoubleEndedIterator<Item = (&Bytes, f64)> {
        self.order.range(from..).map(|(score, member)| (member, score.0))
    }

    /// The ordered tree itself, for range queries by score or member.
    pub fn ordered(&self) -> &BTreeSet<(Score, Bytes)> {
        &self.order
    }

    /// The member and score at position `i` of the insertion-ordered map (for random picks
    /// and cursors; positions change when members are removed).
    pub fn get_index(&self, i: usize) -> Option<(&Bytes, f64)> {
        self.scores.get_index(i).map(|(member, score)| (member, *score))
    }
}

#[cfg(test)]
mod zset_tests {
    use super::*;

    fn b(s: &str) -> Bytes {
        Bytes::copy_from_slice(s.as_bytes())
    }

    #[test]
    fn should_store_minus_zero_as_zero_until_it_outgrows_a_listpack() {
        let mut z = ZSet::default();
        z.insert(b("a"), -0.0);
        assert!(z.score(b"a").unwrap().is_sign_positive());
        for i in 0..ZSET_LISTPACK_ENTRIES {
            z.insert(b(&format!("m{i}")), i as f64);
        }
        assert!(z.is_skiplist());
        z.insert(b("neg"), -0.0);
        assert!(z.score(b"neg").unwrap().is_sign_negative());
        let mut long = ZSet::default();
        long.insert(Bytes::from(vec![b'x'; ZSET_LISTPACK_VALUE + 1]), -0.0);
        assert!(long.is_skiplist() && long.iter().next().unwrap().1.is_sign_negative());
    }

    #[test]
    fn should_not_change_a_score_equal_to_the_current_one() {
        let mut z = ZSet::skiplist();
        z.insert(b("a"), -0.0);
        assert_eq!(z.insert(b("a"), 0.0), Some(-0.0));
        assert!(z.score(b"a").unwrap().is_sign_negative());
        assert_eq!(z.insert(b("a"), 2.0), Some(-0.0));
        assert_eq!(z.iter().collect::<Vec<_>>(), vec![(&b("a"), 2.0)]);
    }

    #[test]
    fn should_keep_map_tree_and_bytes_in_step() {
        let mut z = ZSet::default();
        z.insert(b("b"), 2.0);
        z.insert(b("a"), 2.0);
        z.insert(b("c"), 1.0);
        let order: Vec<_> = z.iter().map(|(m, s)| (m.clone(), s)).collect();
        assert_eq!(order, vec![(b("c"), 1.0), (b("a"), 2.0), (b("b"), 2.0)]);
        assert_eq!(z.bytes(), 3 * (1 + ZSET_MEMBER_OVERHEAD));
        assert_eq!(z.remove(b"a"), Some(2.0));
        assert_eq!(z.remove(b"a"), None);
        assert_eq!(z.pop_max(), Some((b("b"), 2.0)));
        assert_eq!(z.get_index(0), Some((&b("c"), 1.0)));
        assert_eq!(z.bytes(), 1 + ZSET_MEMBER_OVERHEAD);
        assert_eq!(z.pop_min(), Some((b("c"), 1.0)));
        assert!(z.is_empty() && z.ordered().is_empty() && z.bytes() == 0);
    }
}

impl Drop for ZSet {
    fn drop(&mut self) {
        if self.scores.len() > LAZYFREE_THRESHOLD {
            lazy_free(Box::new((std::mem::take(&mut self.scores), std::mem::take(&mut self.order))));
        }
    }
}

#[cfg(test)]
mod hash_and_set_tests {
    use super::*;

    fn b(s: &str) -> Bytes {
        Bytes::copy_from_slice(s.as_bytes())
    }

    #[test]
    fn should_take_only_canonical_integers_like_string2ll() {
        for ok in ["0", "7", "-7", "9223372036854775807", "-9223372036854775808", "10"] {
            assert_eq!(canonical_int(ok.as_bytes()), Some(ok.parse().unwrap()), "{ok}");
        }
        for bad in ["", "-", "-0", "007", "+1", " 1", "1 ", "1.0", "9223372036854775808", "-9223372036854775809", "1e3", "0x1"] {
            assert_eq!(canonical_int(bad.as_bytes()), None, "{bad:?}");
        }
    }

    #[test]
    fn should_become_a_hashtable_past_512_fields_and_stay_one() {
        let mut hash = Hash::default();
        for i in 0..HASH_MAX_LISTPACK_ENTRIES {
            hash.insert(b(&format!("f{i}")), b("v"));
        }
        assert!(hash.is_listpack());
        hash.insert(b("one-more"), b("v"));
        assert!(!hash.is_listpack());
        for i in 0..HASH_MAX_LISTPACK_ENTRIES {
            hash.remove(format!("f{i}").as_bytes());
        }
        assert_eq!(hash.len(), 1);
        assert!(!hash.is_listpack(), "Redis 7.0 never converts a hashtable back");
    }

    #[test]
    fn should_become_a_hashtable_for_a_field_or_value_over_64_bytes() {
        let mut hash = Hash::default();
        hash.insert(b(&"f".repeat(64)), b(&"v".repeat(64)));
        assert!(hash.is_listpack());
        hash.insert(b("f"), b(&"v".repeat(65)));
        assert!(!hash.is_listpack());
        let mut hash = Hash::default();
        hash.insert(b(&"f".repeat(65)), b("v"));
        assert!(!hash.is_listpack());
    }

    #[test]
    fn should_keep_field_order_on_removal_while_a_listpack() {
        let mut hash = Hash::default();
        for f in ["a", "b", "c", "d"] {
            hash.insert(b(f), b("1"));
        }
        hash.remove(b"b");
        hash.insert(b("a"), b("2"));
        let order: Vec<&[u8]> = hash.iter().map(|(f, _)| f.as_ref()).collect();
        assert_eq!(order, [b"a".as_ref(), b"c", b"d"]);
    }

    #[test]
    fn should_count_hash_bytes_exactly() {
        let mut hash = Hash::default();
        hash.insert(b("field"), b("value"));
        hash.insert(b("field"), b("longer value"));
        hash.insert(b("x"), b("y"));
        assert_eq!(hash.bytes(), 5 + 12 + 1 + 1 + 2 * HASH_FIELD_OVERHEAD);
        hash.remove(b"field");
        hash.remove(b"x");
        assert_eq!(hash.bytes(), 0);
    }

    #[test]
    fn should_be_an_intset_while_every_member_is_an_integer() {
        let mut set = Set::default();
        for m in ["10", "-3", "2"] {
            set.insert(b(m));
        }
        assert!(set.is_intset());
        let order: Vec<&[u8]> = set.members_in_order().into_iter().map(|m| m.as_ref()).collect();
        assert_eq!(order, [b"-3".as_ref(), b"2", b"10"]);
        set.insert(b("a"));
        assert!(!set.is_intset());
        set.remove(b"a");
        assert!(!set.is_intset(), "Redis 7.0 never converts a hashtable back");
        set.reencode();
        assert!(set.is_intset(), "as SPOP rebuilds the members it leaves");
    }

    #[test]
    fn should_become_a_hashtable_past_512_integers() {
        let mut set = Set::default();
        for i in 0..SET_MAX_INTSET_ENTRIES {
            set.insert(b(&i.to_string()));
        }
        assert!(set.is_intset());
        set.insert(b("0"));
        assert!(set.is_intset(), "a member already there adds nothing");
        set.insert(b("512"));
        assert!(!set.is_intset());
    }

    #[test]
    fn should_count_set_bytes_exactly() {
        let mut set = Set::default();
        set.insert(b("abc"));
        set.insert(b("abc"));
        set.insert(b("de"));
        assert_eq!(set.bytes(), 5 + 2 * SET_MEMBER_OVERHEAD);
        set.remove(b"abc");
        set.remove_index(0);
        assert_eq!(set.bytes(), 0);
    }
}
