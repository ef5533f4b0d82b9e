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

/// Hands `contents` to the background freeing thread (dropping it here if that thread is gone).
pub fn lazy_free(contents: Box<dyn Any + Send>) {
    static FREER: OnceLock<Mutex<Sender<Box<dyn Any + Send>>>> = OnceLock::new();
    let sender = FREER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Box<dyn Any + Send>>();
        std::thread::Builder::new()
            .name("mokad-lazyfree".into())
            .spawn(move || rx.into_iter().for_each(drop))
            .expect("spawn lazyfree thread");
        Mutex::new(tx)
    });
    let sender = sender.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if let Err(returned) = sender.send(contents) {
        drop(returned);
    }
}

/// A hash: fields in insertion order, as Redis's listpack keeps them for small hashes.
#[derive(Debug, Default, Clone)]
pub struct Hash {
    fields: IndexMap<Bytes, Bytes, ahash::RandomState>,
    bytes: usize,
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
        let added = field.len() + value.len();
        match self.fields.get_mut(&field) {
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
        }
    }

    /// Removes `field`; returns its value. Small hashes keep their order, as a listpack does.
    pub fn remove(&mut self, field: &[u8]) -> Option<Bytes> {
        let (key, value) = if self.fields.len() <= 128 {
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
}

impl Drop for List {
    fn drop(&mut self) {
        if self.items.len() > LAZYFREE_THRESHOLD {
            lazy_free(Box::new(std::mem::take(&mut self.items)));
        }
    }
}

/// A set. Members keep insertion order (removal swaps the last member in), which gives cheap
/// random picks by position.
#[derive(Debug, Default, Clone)]
pub struct Set {
    members: IndexSet<Bytes, ahash::RandomState>,
    bytes: usize,
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
        let len = member.len();
        let added = self.members.insert(member);
        if added {
            self.bytes += len + SET_MEMBER_OVERHEAD;
        }
        added
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
