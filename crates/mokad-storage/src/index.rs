//! A per-database index of keys in hash order, for SCAN, KEYS and RANDOMKEY.
//!
//! moka offers iteration but no cursor, so the keyspace keeps its own index: buckets of keys
//! chosen by the top bits of a fixed 64-bit hash. A SCAN cursor is a hash value: each call
//! returns keys whose hash is at least the cursor, in hash order, and the next cursor is the
//! hash after the last one returned. A key present for a whole scan keeps its hash, so it is
//! returned exactly once. The index may briefly hold keys that are gone; callers check each key
//! against the cache.
//!
//! Each key also carries its deadline (0 for none), so that the janitor can find expired keys
//! without reading the cache, which would count as an access for LRU/LFU. The deadline is a
//! hint: the sweeper removes a key only if its entry is expired.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use parking_lot::Mutex;

use crate::key::{DbKey, IndexKey};

const BUCKET_BITS: u32 = 10;
/// Buckets per database.
pub(crate) const BUCKETS: usize = 1 << BUCKET_BITS;

/// The hasher that places keys: seeded once per process, so positions are stable for its life.
pub(crate) fn key_hasher() -> &'static ahash::RandomState {
    static HASHER: std::sync::OnceLock<ahash::RandomState> = std::sync::OnceLock::new();
    HASHER.get_or_init(ahash::RandomState::new)
}

/// The 64-bit hash that orders a key in the index.
pub(crate) fn hash_key(key: &[u8]) -> u64 {
    key_hasher().hash_one(key)
}

/// Keys of a bucket with their deadlines in Unix ms (0: none).
type Bucket = HashMap<IndexKey, u64, ahash::RandomState>;

/// The keys of one database.
pub(crate) struct KeyIndex {
    buckets: Box<[Mutex<Bucket>]>,
    /// Per bucket, a time at or before every deadline in it (`u64::MAX`: none), so that the
    /// expiry sweep skips a bucket with nothing due without reading it. Lowered when a deadline
    /// is set; raised only by the sweep of that bucket. Changed under the bucket's lock.
    next_due: Box<[AtomicU64]>,
}

fn bucket_of(hash: u64) -> usize {
    (hash >> (64 - BUCKET_BITS)) as usize
}

impl KeyIndex {
    pub(crate) fn new() -> Self {
        KeyIndex {
            buckets: (0..BUCKETS).map(|_| Mutex::new(Bucket::default())).collect(),
            next_due: (0..BUCKETS).map(|_| AtomicU64::new(u64::MAX)).collect(),
        }
    }

    /// Adds `key` (just written to the cache) with its deadline, or records its new deadline.
    /// Callers hold the key's write lock, so a key's updates arrive in write order.
    pub(crate) fn set_deadline(&self, hash: u64, key: &DbKey, deadline: u64) {
        let b = bucket_of(hash);
        let mut bucket = self.buckets[b].lock();
        match bucket.get_mut(key.key()) {
            Some(d) => *d = deadline,
            None => {
                bucket.insert(key.index_key(), deadline);
            }
        }
        if deadline != 0 {
            self.next_due[b].fetch_min(deadline, Ordering::Relaxed);
        }
    }

    /// Whether `key` is in the index.
    pub(crate) fn contains(&self, key: &[u8]) -> bool {
        self.buckets[bucket_of(hash_key(key))].lock().contains_key(key)
    }

    /// Keys of bucket `bucket` whose recorded deadline is at or before `now`.
    pub(crate) fn expired_in(&self, bucket: usize, now: u64) -> Vec<IndexKey> {
        if self.next_due[bucket].load(Ordering::Relaxed) > now {
            return Vec::new();
        }
        let keys = self.buckets[bucket].lock();
        let mut due = Vec::new();
        let mut next = u64::MAX;
        for (key, &deadline) in keys.iter().filter(|(_, &d)| d != 0) {
            if deadline <= now {
                due.push(key.clone());
            } else {
                next = next.min(deadline);
            }
        }
        // The due keys are about to be deleted; if one is not (its deadline changed), setting
        // that deadline has lowered `next_due` again, or will once this lock is released.
        self.next_due[bucket].store(next, Ordering::Relaxed);
        due
    }

    /// Removes `key`; the caller knows it is gone from the cache (it holds the key's write lock).
    pub(crate) fn remove(&self, hash: u64, key: &[u8]) {
        self.buckets[bucket_of(hash)].lock().remove(key);
    }

    /// Removes `key` if `gone()` still holds while the bucket is locked. Writers add a key only
    /// after writing it to the cache, so a key written concurrently is never lost.
    pub(crate) fn remove_if(&self, hash: u64, key: &[u8], gone: impl FnOnce() -> bool) {
        let mut bucket = self.buckets[bucket_of(hash)].lock();
        if bucket.contains_key(key) && gone() {
            bucket.remove(key);
        }
    }

    /// Keys from `cursor` on in hash order: at least `count` of them unless the index ends
    /// first, then the cursor to continue from (0 when done).
    pub(crate) fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<Bytes>) {
        let mut found: Vec<Bytes> = Vec::new();
        let mut from = cursor;
        let mut bucket = bucket_of(cursor);
        while bucket < BUCKETS {
            let mut keys: Vec<(u64, Bytes)> = self.buckets[bucket]
                .lock()
                .keys()
                .map(|k| (hash_key(k.key()), k.to_bytes()))
                .filter(|(h, _)| *h >= from)
                .collect();
            keys.sort_unstable_by_key(|(h, _)| *h);
            let wanted = count.saturating_sub(found.len());
            if keys.len() > wanted {
                // Stop inside this bucket, but never between two keys of the same hash.
                let mut end = wanted.max(1);
                while end < keys.len() && keys[end].0 == keys[end - 1].0 {
                    end += 1;
                }
                if end < keys.len() {
                    let next = keys[end].0;
                    found.extend(keys.into_iter().take(end).map(|(_, k)| k));
                    return (next, found);
                }
            }
            found.extend(keys.into_iter().map(|(_, k)| k));
            bucket += 1;
            from = (bucket as u64) << (64 - BUCKET_BITS);
            if found.len() >= count && bucket < BUCKETS {
                return (from, found);
            }
        }
        (0, found)
    }

    /// Every key, in no particular order.
    pub(crate) fn all(&self) -> Vec<Bytes> {
        self.keys().iter().map(IndexKey::to_bytes).collect()
    }

    /// Every key as the index holds it (sharing the cache's allocation).
    pub(crate) fn keys(&self) -> Vec<IndexKey> {
        let mut keys = Vec::new();
        for bucket in self.buckets.iter() {
            keys.extend(bucket.lock().keys().cloned());
        }
        keys
    }

    /// Up to `limit` keys from a bucket chosen by `seed`, trying the following buckets while
    /// they are empty.
    pub(crate) fn sample(&self, seed: u64, limit: usize) -> Vec<Bytes> {
        let start = (seed as usize) % BUCKETS;
        for step in 0..BUCKETS {
            let bucket = self.buckets[(start + step) % BUCKETS].lock();
            if !bucket.is_empty() {
                let skip = (seed >> 32) as usize % bucket.len();
                return bucket.keys().cycle().skip(skip).take(limit.min(bucket.len())).map(IndexKey::to_bytes).collect();
            }
        }
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(n: usize) -> KeyIndex {
        let index = KeyIndex::new();
        for i in 0..n {
            let key = DbKey::new(0, format!("key:{i}").as_bytes());
            index.set_deadline(hash_key(key.key()), &key, 0);
        }
        index
    }

    fn full_scan(index: &KeyIndex, count: usize) -> Vec<Bytes> {
        let (mut cursor, mut all) = (0, Vec::new());
        loop {
            let (next, keys) = index.scan(cursor, count);
            all.extend(keys);
            if next == 0 {
                return all;
            }
            assert!(next > cursor, "cursor must advance");
            cursor = next;
        }
    }

    #[test]
    fn should_return_every_key_exactly_once_over_a_full_scan() {
        let index = filled(5000);
        for count in [1, 10, 1000, 100_000] {
            let mut keys = full_scan(&index, count);
            assert_eq!(keys.len(), 5000, "count {count}");
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), 5000);
        }
    }

    #[test]
    fn should_return_about_count_keys_per_call() {
        let index = filled(5000);
        let (_, keys) = index.scan(0, 10);
        assert!((10..20).contains(&keys.len()), "{}", keys.len());
    }

    #[test]
    fn should_finish_an_empty_scan_in_one_call() {
        assert_eq!(KeyIndex::new().scan(0, 10), (0, vec![]));
    }

    #[test]
    fn should_keep_returning_stable_keys_while_others_change() {
        let index = filled(2000);
        let (mut cursor, mut seen) = (0, Vec::new());
        let mut round = 0;
        loop {
            let (next, keys) = index.scan(cursor, 50);
            seen.extend(keys);
            // Churn: add and remove other keys between calls.
            for j in 0..20 {
                let key = DbKey::new(0, format!("churn:{round}:{j}").as_bytes());
                index.set_deadline(hash_key(key.key()), &key, 0);
                let old = Bytes::from(format!("churn:{}:{j}", round.max(1) - 1));
                index.remove_if(hash_key(&old), &old, || true);
            }
            round += 1;
            if next == 0 {
                break;
            }
            cursor = next;
        }
        for i in 0..2000 {
            assert!(seen.contains(&Bytes::from(format!("key:{i}"))), "key:{i} missed");
        }
    }
}
