//! The mokad keyspace: typed values with deadlines, in sharded moka caches.
//!
//! Storage knows nothing of RESP. It offers a small domain API: read a key, update a key
//! atomically through a closure, flush, scan, count, and the locks and watch flags that
//! transactions need. It owns time through a [`Clock`], and every read compares the entry's
//! own deadline with that clock, so a key is never visible past its expiry whatever moka's
//! housekeeping has or has not done yet.
//!
//! Design points, each answering a measured moka 0.12 behaviour (see the shared engine notes):
//! - Every write goes through one function that holds the key's stripe lock from its read to
//!   its change, so read-modify-write commands are atomic. (moka's `entry().and_compute_with`
//!   offers the same, but costs several times a plain insert; see `STRIPES`.)
//! - The keyspace is split over shards by key hash, one budget of `maxmemory / shards` each,
//!   so housekeeping (expiry, eviction) works on small tables.
//! - FLUSHALL swaps in fresh shards and drops the old ones on a background thread; FLUSHDB
//!   bumps the database's generation, which hides its entries at once, and a background thread
//!   removes them. No request pays for mass invalidation.
//! - Expiry is mokad's, not moka's. moka is given no expiry policy: its timer wheel expires
//!   every due entry in one go on whichever request thread runs maintenance, which stalled a
//!   request for seconds when a million keys shared a deadline. Instead, as in Redis, a read
//!   that finds an expired entry deletes it at once, and a janitor thread sweeps the key index
//!   (which records each key's deadline) with a time budget per tick, so expired keys are
//!   reclaimed without traffic and without stalls.

pub mod collections;
mod clock;
mod index;
mod key;
mod value;
mod watch;

use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use bytes::Bytes;
use moka::notification::RemovalCause;
use moka::sync::Cache;
use parking_lot::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

pub use clock::{Clock, ManualClock, SystemClock};
pub use value::{Entry, Value, ENTRY_OVERHEAD};
pub use watch::WatchFlag;

use index::{hash_key, KeyIndex, BUCKETS};
use key::{with_db_key, DbKey};
use watch::WatchRegistry;

/// How the keyspace makes room when `maxmemory` is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvictionPolicy {
    /// moka's TinyLFU: admission by frequency, so a never-seen key may be refused when full.
    AllKeysLfu,
    /// moka's LRU: always admits the newest key, evicting the least recently used.
    AllKeysLru,
    /// Nothing is evicted; writes fail once `maxmemory` is exceeded.
    NoEviction,
}

impl EvictionPolicy {
    /// The Redis name of the policy.
    pub fn name(self) -> &'static str {
        match self {
            EvictionPolicy::AllKeysLfu => "allkeys-lfu",
            EvictionPolicy::AllKeysLru => "allkeys-lru",
            EvictionPolicy::NoEviction => "noeviction",
        }
    }
}

/// Settings of a keyspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageConfig {
    /// Number of databases (SELECT 0 .. databases-1).
    pub databases: usize,
    /// Memory budget in bytes as the weigher counts it; 0 for none.
    pub maxmemory: u64,
    /// What happens at the budget.
    pub policy: EvictionPolicy,
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig { databases: 16, maxmemory: 0, policy: EvictionPolicy::AllKeysLru }
    }
}

/// A write refused by the storage itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// The entry alone is larger than the memory budget of its shard.
    #[error("entry larger than maxmemory allows")]
    TooLarge,
}

/// What an [`Storage::update`] closure decides to do with the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Leave the key as it is.
    Keep,
    /// Store this entry (value and deadline).
    Put(Entry),
    /// Delete the key.
    Remove,
}

/// Counters INFO reports.
#[derive(Debug, Default)]
pub struct Stats {
    /// Reads that found a key.
    pub keyspace_hits: AtomicU64,
    /// Reads that found none.
    pub keyspace_misses: AtomicU64,
    /// Keys removed because their deadline passed.
    pub expired_keys: AtomicU64,
    /// Keys evicted (or refused admission) to stay within `maxmemory`.
    pub evicted_keys: AtomicU64,
}

impl Stats {
    fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Zeroes every counter (CONFIG RESETSTAT).
    pub fn reset(&self) {
        for counter in [&self.keyspace_hits, &self.keyspace_misses, &self.expired_keys, &self.evicted_keys] {
            counter.store(0, Ordering::Relaxed);
        }
    }
}

/// A cached entry with the generation of its database it was written in. Laid out in 56
/// bytes rather than an `Entry`'s 72, so that moka's entry holding it fits an 80-byte block
/// instead of a 96-byte one.
#[derive(Debug, Clone)]
struct Stored {
    value: Value,
    /// The deadline in Unix ms; 0 for none.
    expires_at: u64,
    /// The low bits of the database's generation (see `generation_tag`).
    generation: u32,
    /// Weight when written: a collection changed in place has a new size by the time moka
    /// reports the old entry replaced, so the bytes added are what must be taken off.
    weight: u32,
}

impl Stored {
    fn deadline(&self) -> Option<u64> {
        (self.expires_at != 0).then_some(self.expires_at)
    }

    fn is_expired(&self, now_ms: u64) -> bool {
        self.expires_at != 0 && self.expires_at <= now_ms
    }

    fn into_entry(self) -> Entry {
        Entry { expires_at: self.deadline(), value: self.value }
    }
}

/// What an entry records of its database's generation. Only equality with the current
/// generation is asked, and entries of a flushed generation are gone long before 2^32 more
/// flushes.
fn generation_tag(generation: u64) -> u32 {
    generation as u32
}

type ShardCache = Cache<DbKey, Stored, ahash::RandomState>;

/// One moka cache and the bytes mokad's own writes put in it.
struct Shard {
    cache: ShardCache,
    /// Weights inserted minus weights replaced or removed by mokad. Exact at every moment
    /// when moka cannot evict (no capacity); with a capacity, moka's own `weighted_size` is
    /// used instead, since only it sees evictions.
    bytes: AtomicI64,
}

impl Shard {
    fn add_bytes(&self, delta: i64) {
        self.bytes.fetch_add(delta, Ordering::Relaxed);
    }
}

/// Per-database state.
struct Database {
    /// Entries written in an older generation were flushed: they are invisible.
    generation: AtomicU64,
    index: ArcSwap<KeyIndex>,
    keys: AtomicI64,
    expires: AtomicI64,
    /// Shared by every command, exclusive for EXEC and multi-key atomic commands.
    lock: RwLock<()>,
    /// Next index bucket the expiry sweep looks at.
    sweep_cursor: AtomicUsize,
}

/// State the eviction listener and the janitor reach through a weak reference.
struct Shared {
    dbs: Vec<Database>,
    shards: Vec<ArcSwap<Shard>>,
    stats: Stats,
    watches: WatchRegistry,
    clock: Arc<dyn Clock>,
    config: StorageConfig,
    shard_capacity: Option<u64>,
    /// Locks that serialise the writes to a key, chosen by its hash.
    stripes: Box<[Mutex<()>]>,
}

/// Number of write locks. moka's own per-key atomicity (`entry().and_compute_with`) was
/// measured to cost most of a SET: each call inserts and removes a waiter and a key lock in
/// two small concurrent maps that keep rehashing. A plain mutex per stripe, held around
/// `get` and `insert`/`invalidate`, gives the same atomicity for a fraction of that, provided
/// every write goes through [`Storage::update`] (none calls moka's writes directly).
const STRIPES: usize = 4096;

/// The keyspace: `databases` databases over a set of moka shards.
pub struct Storage {
    shared: Arc<Shared>,
}

/// Shards used for a budget: one per 64 MiB, at most 16; 16 when unbounded.
fn shard_count(config: &StorageConfig) -> usize {
    if config.maxmemory == 0 || config.policy == EvictionPolicy::NoEviction {
        return 16;
    }
    let n = (config.maxmemory / (64 << 20)).clamp(1, 16) as usize;
    1 << (usize::BITS - 1 - n.leading_zeros())
}

fn entry_weight(key_len: usize, entry: &Entry) -> u64 {
    (key_len + entry.value.size() + ENTRY_OVERHEAD) as u64
}

fn weight(_key: &DbKey, stored: &Stored) -> u64 {
    u64::from(stored.weight)
}

/// What a key looked like when an update began.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prior {
    Absent,
    Live { ttl: bool },
    Expired,
    Flushed,
}

impl Shared {
    fn shard(&self, hash: u64) -> arc_swap::Guard<Arc<Shard>> {
        self.shards[(hash as usize) & (self.shards.len() - 1)].load()
    }

    fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    fn peek(&self, db: usize, key: &Bytes) -> Option<Entry> {
        let hash = hash_key(key);
        let stored = with_db_key(db, key, |k| self.shard(hash).cache.get(k))?;
        if stored.generation != generation_tag(self.dbs[db].generation.load(Ordering::Acquire)) {
            return None;
        }
        if stored.is_expired(self.now_ms()) {
            let _ = self.update(db, key, |_| (Change::Keep, ()));
            return None;
        }
        Some(stored.into_entry())
    }

    /// Atomically reads and changes one key.
    ///
    /// `decide` sees the live entry (`None` when the key is absent, expired or flushed) and
    /// returns what to do plus a result for the caller. No other write to the key can happen
    /// between the read and the change. An expired entry is removed even when `decide` keeps it.
    fn update<R>(
        &self,
        db: usize,
        key: &[u8],
        decide: impl FnOnce(Option<&Entry>) -> (Change, R),
    ) -> Result<R, StorageError> {
        self.update_as(db, key, DbKey::new(db, key), decide)
    }

    /// [`Shared::update`] for a caller that already holds the key as the cache does (`db_key`
    /// is `key` of `db`), which saves allocating it again.
    fn update_as<R>(
        &self,
        db: usize,
        key: &[u8],
        db_key: DbKey,
        decide: impl FnOnce(Option<&Entry>) -> (Change, R),
    ) -> Result<R, StorageError> {
        let database = &self.dbs[db];
        let hash = hash_key(key);
        let shard = self.shard(hash);
        let index = database.index.load();
        let generation = generation_tag(database.generation.load(Ordering::Acquire));
        let now = self.now_ms();
        // Every write to a key holds its stripe lock from the read to the change: that is what
        // makes read-modify-write commands atomic (see `STRIPES`).
        let _stripe = self.stripes[(hash as usize) & (STRIPES - 1)].lock();
        let current = shard.cache.get(&db_key);
        let prior = match &current {
            None => Prior::Absent,
            Some(s) if s.generation != generation => Prior::Flushed,
            Some(s) if s.is_expired(now) => Prior::Expired,
            Some(s) => Prior::Live { ttl: s.expires_at != 0 },
        };
        let old_deadline = current.as_ref().and_then(Stored::deadline);
        let old_weight = current.as_ref().map_or(0, |s| i64::from(s.weight));
        let live = match prior {
            Prior::Live { .. } => current.map(Stored::into_entry),
            _ => None,
        };
        let (change, outcome) = decide(live.as_ref());
        let counted = match prior {
            Prior::Live { ttl } => Some(ttl),
            Prior::Expired => Some(true),
            Prior::Absent | Prior::Flushed => None,
        };
        match change {
            Change::Put(entry) => {
                let full = entry_weight(key.len(), &entry);
                if self.shard_capacity.is_some_and(|cap| full > cap) {
                    return Err(StorageError::TooLarge);
                }
                if prior == Prior::Expired {
                    Stats::bump(&self.stats.expired_keys);
                }
                // 0 means "no deadline" in `Stored` and the index: a deadline of 0 is long past.
                let deadline = entry.expires_at.map(|at| at.max(1));
                let new_to_index = !matches!(prior, Prior::Live { .. } | Prior::Expired);
                let index_key = (new_to_index || old_deadline != deadline).then(|| db_key.clone());
                let stored = Stored {
                    value: entry.value,
                    expires_at: deadline.unwrap_or(0),
                    generation,
                    weight: u32::try_from(full).unwrap_or(u32::MAX),
                };
                shard.add_bytes(i64::from(stored.weight) - old_weight);
                shard.cache.insert(db_key, stored);
                database.keys.fetch_add(i64::from(counted.is_none()), Ordering::Relaxed);
                database.expires.fetch_add(
                    i64::from(deadline.is_some()) - i64::from(counted == Some(true)),
                    Ordering::Relaxed,
                );
                if let Some(index_key) = index_key {
                    index.set_deadline(hash, &index_key, deadline.unwrap_or(0));
                }
            }
            Change::Remove | Change::Keep if prior == Prior::Expired || (change == Change::Remove && counted.is_some()) => {
                if prior == Prior::Expired {
                    Stats::bump(&self.stats.expired_keys);
                }
                shard.cache.invalidate(&db_key);
                shard.add_bytes(-old_weight);
                database.keys.fetch_sub(1, Ordering::Relaxed);
                database.expires.fetch_sub(i64::from(counted == Some(true)), Ordering::Relaxed);
                // No check that the key is gone: every writer holds this stripe lock.
                index.remove(hash, key);
            }
            Change::Remove | Change::Keep => return Ok(outcome),
        }
        self.watches.touch(db, key);
        Ok(outcome)
    }

    /// Deletes expired keys found through the index's deadlines until `budget` has passed,
    /// continuing each database where the previous sweep stopped. Returns how many it deleted.
    fn sweep_expired(&self, budget: Duration) -> usize {
        let started = Instant::now();
        let now = self.now_ms();
        let mut removed = 0;
        for (db, database) in self.dbs.iter().enumerate() {
            if database.expires.load(Ordering::Relaxed) <= 0 {
                continue;
            }
            let index = database.index.load();
            let start = database.sweep_cursor.load(Ordering::Relaxed);
            for step in 0..BUCKETS {
                let bucket = (start + step) % BUCKETS;
                for key in index.expired_in(bucket, now) {
                    let _ = self.update_as(db, key.key(), key.db_key(), |_| (Change::Keep, ()));
                    removed += 1;
                }
                if started.elapsed() >= budget {
                    database.sweep_cursor.store((bucket + 1) % BUCKETS, Ordering::Relaxed);
                    return removed;
                }
            }
        }
        removed
    }

}

impl Storage {
    /// A keyspace on the system clock.
    pub fn new(config: StorageConfig) -> Self {
        Self::with_clock(config, Arc::new(SystemClock))
    }

    /// A keyspace reading time from `clock`.
    pub fn with_clock(config: StorageConfig, clock: Arc<dyn Clock>) -> Self {
        let shards = shard_count(&config);
        let shard_capacity = match config.policy {
            EvictionPolicy::NoEviction => None,
            _ if config.maxmemory == 0 => None,
            _ => Some((config.maxmemory / shards as u64).max(1)),
        };
        let shared = Arc::new_cyclic(|weak: &Weak<Shared>| Shared {
            dbs: (0..config.databases.max(1))
                .map(|_| Database {
                    generation: AtomicU64::new(0),
                    index: ArcSwap::from_pointee(KeyIndex::new()),
                    keys: AtomicI64::new(0),
                    expires: AtomicI64::new(0),
                    lock: RwLock::new(()),
                    sweep_cursor: AtomicUsize::new(0),
                })
                .collect(),
            shards: (0..shards)
                .map(|_| ArcSwap::from_pointee(build_shard(weak.clone(), &config, shard_capacity)))
                .collect(),
            stats: Stats::default(),
            watches: WatchRegistry::default(),
            clock,
            config,
            shard_capacity,
            stripes: (0..STRIPES).map(|_| Mutex::new(())).collect(),
        });
        spawn_janitor(Arc::downgrade(&shared));
        Storage { shared }
    }

    /// The settings this keyspace was built with.
    pub fn config(&self) -> &StorageConfig {
        &self.shared.config
    }

    /// Number of databases.
    pub fn databases(&self) -> usize {
        self.shared.dbs.len()
    }

    /// Milliseconds since the Unix epoch, by the storage's clock.
    pub fn now_ms(&self) -> u64 {
        self.shared.clock.now_ms()
    }

    /// The counters INFO reports.
    pub fn stats(&self) -> &Stats {
        &self.shared.stats
    }

    /// Reads a live key, counting a keyspace hit or miss. A key found past its deadline is
    /// removed and counted as expired.
    pub fn get(&self, db: usize, key: &Bytes) -> Option<Entry> {
        let found = self.peek(db, key);
        Stats::bump(if found.is_some() { &self.shared.stats.keyspace_hits } else { &self.shared.stats.keyspace_misses });
        found
    }

    /// Reads a live key without touching the hit and miss counters. A key found past its
    /// deadline is deleted at once, as Redis's lazy expiry does.
    pub fn peek(&self, db: usize, key: &Bytes) -> Option<Entry> {
        self.shared.peek(db, key)
    }

    /// Whether a live key exists (no hit or miss counted).
    pub fn exists(&self, db: usize, key: &Bytes) -> bool {
        self.peek(db, key).is_some()
    }

    /// Atomically reads and changes one key.
    ///
    /// `decide` sees the live entry (`None` when the key is absent, expired or flushed) and
    /// returns what to do plus a result for the caller. No other write to the key can happen
    /// between the read and the change. An expired entry is removed even when `decide` keeps it.
    pub fn update<R>(
        &self,
        db: usize,
        key: &[u8],
        decide: impl FnOnce(Option<&Entry>) -> (Change, R),
    ) -> Result<R, StorageError> {
        self.shared.update(db, key, decide)
    }

    /// Deletes a key; returns the entry it held if it was live.
    pub fn remove(&self, db: usize, key: &Bytes) -> Option<Entry> {
        self.update(db, key, |old| (Change::Remove, old.cloned())).unwrap_or(None)
    }

    /// Number of keys in `db` (like Redis, keys past their deadline count until removed).
    pub fn dbsize(&self, db: usize) -> u64 {
        self.shared.dbs[db].keys.load(Ordering::Relaxed).max(0) as u64
    }

    /// Number of keys in `db` that have a deadline.
    pub fn expires_count(&self, db: usize) -> u64 {
        self.shared.dbs[db].expires.load(Ordering::Relaxed).max(0) as u64
    }

    /// Bytes held, as the memory budget counts them. Exact when nothing can be evicted (no
    /// budget, or `noeviction`); otherwise moka's count, which lags the latest writes by at
    /// most its pending-write queue (see [`Storage::exact_used_memory`]).
    pub fn used_memory(&self) -> u64 {
        let shards = self.shared.shards.iter().map(|s| s.load());
        if self.shared.shard_capacity.is_none() {
            shards.map(|s| s.bytes.load(Ordering::Relaxed)).sum::<i64>().max(0) as u64
        } else {
            shards.map(|s| s.cache.weighted_size()).sum()
        }
    }

    /// [`Storage::used_memory`] after moka has applied every pending write (for INFO, not for
    /// the per-command budget check).
    pub fn exact_used_memory(&self) -> u64 {
        if self.shared.shard_capacity.is_some() {
            self.run_pending_tasks();
        }
        self.used_memory()
    }

    /// Whether the budget is exceeded: with `noeviction`, writes that may grow memory fail.
    pub fn over_maxmemory(&self) -> bool {
        let maxmemory = self.shared.config.maxmemory;
        maxmemory > 0 && self.used_memory() > maxmemory
    }

    /// Removes every key of `db`. The keys disappear at once; their memory is reclaimed on a
    /// background thread.
    pub fn flush_db(&self, db: usize) {
        let database = &self.shared.dbs[db];
        let old_index = database.index.swap(Arc::new(KeyIndex::new()));
        database.generation.fetch_add(1, Ordering::AcqRel);
        database.keys.store(0, Ordering::Relaxed);
        database.expires.store(0, Ordering::Relaxed);
        self.touch_flushed_watches(db, &old_index);
        let shared = Arc::downgrade(&self.shared);
        std::thread::Builder::new()
            .name("mokad-flushdb".into())
            .spawn(move || {
                for (i, key) in old_index.keys().into_iter().enumerate() {
                    let Some(shared) = shared.upgrade() else { return };
                    let hash = hash_key(key.key());
                    let shard = shared.shards[(hash as usize) & (shared.shards.len() - 1)].load();
                    let db_key = key.db_key();
                    let _stripe = shared.stripes[(hash as usize) & (STRIPES - 1)].lock();
                    let current = generation_tag(shared.dbs[db].generation.load(Ordering::Acquire));
                    if let Some(old) = shard.cache.get(&db_key).filter(|s| s.generation != current) {
                        shard.cache.invalidate(&db_key);
                        shard.add_bytes(-i64::from(old.weight));
                    }
                    if i % 1024 == 1023 {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                }
            })
            .expect("spawn flush thread");
    }

    /// Removes every key of every database; the old caches are dropped on a background thread.
    pub fn flush_all(&self) {
        let mut old_indexes = Vec::with_capacity(self.shared.dbs.len());
        for (db, database) in self.shared.dbs.iter().enumerate() {
            let old_index = database.index.swap(Arc::new(KeyIndex::new()));
            database.generation.fetch_add(1, Ordering::AcqRel);
            database.keys.store(0, Ordering::Relaxed);
            database.expires.store(0, Ordering::Relaxed);
            self.touch_flushed_watches(db, &old_index);
            old_indexes.push(old_index);
        }
        let weak = Arc::downgrade(&self.shared);
        let old: Vec<Arc<Shard>> = self
            .shared
            .shards
            .iter()
            .map(|slot| {
                slot.swap(Arc::new(build_shard(weak.clone(), &self.shared.config, self.shared.shard_capacity)))
            })
            .collect();
        // Freeing a million entries takes a second or more: never on the request path.
        std::thread::Builder::new()
            .name("mokad-flushall".into())
            .spawn(move || drop((old, old_indexes)))
            .expect("spawn flush thread");
    }

    /// Marks dirty the watchers of keys that existed in a flushed database: one index look-up
    /// per watched key, nothing per key of the database.
    fn touch_flushed_watches(&self, db: usize, old_index: &KeyIndex) {
        self.shared.watches.touch_db(db, |key| old_index.contains(key));
    }

    /// One page of a SCAN: live keys with their entries, and the cursor to continue from.
    pub fn scan(&self, db: usize, cursor: u64, count: usize) -> (u64, Vec<(Bytes, Entry)>) {
        let (next, keys) = self.shared.dbs[db].index.load().scan(cursor, count.max(1));
        (next, self.live(db, keys))
    }

    /// Every live key of `db` with its entry.
    pub fn all(&self, db: usize) -> Vec<(Bytes, Entry)> {
        let keys = self.shared.dbs[db].index.load().all();
        self.live(db, keys)
    }

    fn live(&self, db: usize, keys: Vec<Bytes>) -> Vec<(Bytes, Entry)> {
        keys.into_iter().filter_map(|k| self.peek(db, &k).map(|e| (k, e))).collect()
    }

    /// A random live key of `db`, or `None` when it is empty.
    pub fn random_key(&self, db: usize, seed: u64) -> Option<Bytes> {
        let index = self.shared.dbs[db].index.load();
        let mut seed = seed;
        for _ in 0..64 {
            for key in index.sample(seed, 8) {
                if self.exists(db, &key) {
                    return Some(key);
                }
            }
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        }
        None
    }

    /// Shared lock on `db`, held by every command while it runs.
    pub fn read_lock(&self, db: usize) -> RwLockReadGuard<'_, ()> {
        self.shared.dbs[db].lock.read()
    }

    /// Exclusive lock on `db`: no other command runs on it until the guard drops.
    pub fn write_lock(&self, db: usize) -> RwLockWriteGuard<'_, ()> {
        self.shared.dbs[db].lock.write()
    }

    /// Exclusive locks on every database, taken in order.
    pub fn write_lock_all(&self) -> Vec<RwLockWriteGuard<'_, ()>> {
        self.shared.dbs.iter().map(|d| d.lock.write()).collect()
    }

    /// Like [`Storage::read_lock`], giving up after `timeout`: callers that must stay
    /// responsive (a script may hold every lock for long) wait in slices.
    pub fn try_read_lock_for(&self, db: usize, timeout: Duration) -> Option<RwLockReadGuard<'_, ()>> {
        self.shared.dbs[db].lock.try_read_for(timeout)
    }

    /// Like [`Storage::write_lock`], giving up after `timeout`.
    pub fn try_write_lock_for(&self, db: usize, timeout: Duration) -> Option<RwLockWriteGuard<'_, ()>> {
        self.shared.dbs[db].lock.try_write_for(timeout)
    }

    /// Starts watching `key` of `db` for `flag`.
    pub fn watch(&self, db: usize, key: Bytes, flag: &Arc<WatchFlag>) {
        self.shared.watches.watch(db, key, flag);
    }

    /// Stops watching `key` of `db` for `flag`.
    pub fn unwatch(&self, db: usize, key: &Bytes, flag: &Arc<WatchFlag>) {
        self.shared.watches.unwatch(db, key, flag);
    }

    /// Deletes expired keys for up to `budget` (the janitor does this every tick); returns how
    /// many it deleted.
    pub fn sweep_expired(&self, budget: Duration) -> usize {
        self.shared.sweep_expired(budget)
    }

    /// Runs moka's pending housekeeping now (the janitor does it periodically).
    pub fn run_pending_tasks(&self) {
        for shard in &self.shared.shards {
            shard.load().cache.run_pending_tasks();
        }
    }
}

fn build_shard(shared: Weak<Shared>, config: &StorageConfig, capacity: Option<u64>) -> Shard {
    let mut builder = Cache::builder()
        .weigher(|k: &DbKey, v: &Stored| u32::try_from(weight(k, v)).unwrap_or(u32::MAX))
        .eviction_policy(match config.policy {
            EvictionPolicy::AllKeysLfu => moka::policy::EvictionPolicy::tiny_lfu(),
            _ => moka::policy::EvictionPolicy::lru(),
        });
    // moka has no expiry policy, so evicting (or refusing admission) to stay within a capacity
    // is the only removal it makes by itself; mokad accounts for its own writes as it makes
    // them. Without a capacity nothing is ever evicted, so no listener is set: a listener makes
    // moka take a per-key lock in a concurrent map on every write, which cost about a tenth of
    // a SET (see the commit that made it conditional).
    if let Some(capacity) = capacity {
        builder = builder.max_capacity(capacity).eviction_listener(move |key: Arc<DbKey>, stored: Stored, cause: RemovalCause| {
            if cause == RemovalCause::Size {
                if let Some(shared) = shared.upgrade() {
                    on_evicted(&shared, &key, &stored);
                }
            }
        });
    }
    Shard { cache: builder.build_with_hasher(ahash::RandomState::new()), bytes: AtomicI64::new(0) }
}

/// Bookkeeping for an entry moka evicted (or refused) to stay within the budget.
fn on_evicted(shared: &Shared, key: &DbKey, stored: &Stored) {
    let db = key.db();
    let database = &shared.dbs[db];
    if stored.generation != generation_tag(database.generation.load(Ordering::Acquire)) {
        return;
    }
    Stats::bump(&shared.stats.evicted_keys);
    database.keys.fetch_sub(1, Ordering::Relaxed);
    database.expires.fetch_sub(i64::from(stored.expires_at != 0), Ordering::Relaxed);
    let hash = hash_key(key.key());
    let shard = shared.shards[(hash as usize) & (shared.shards.len() - 1)].load();
    database.index.load().remove_if(hash, key.key(), || !shard.cache.contains_key(key));
    shared.watches.touch(db, key.key());
}

/// How often the janitor sweeps expired keys.
const JANITOR_TICK: Duration = Duration::from_millis(10);

/// Time one sweep may take: slices short enough that a server sharing one core with its
/// janitor delays a request by at most about this much.
const SWEEP_BUDGET: Duration = Duration::from_millis(2);

/// Pause between sweeps while expired keys are left over (a sweep used its whole budget):
/// the janitor then takes up to half a core, so that a million keys expiring together are
/// reclaimed in seconds. A fifth of a core (one budget per tick) reclaimed about 50k keys/s
/// here: 40% of them were still held 10 s after their deadline.
const BACKLOG_PAUSE: Duration = SWEEP_BUDGET;

/// How often moka's pending maintenance runs.
const MAINTENANCE_EVERY: Duration = Duration::from_millis(100);

/// Deletes expired keys in short time-boxed slices and runs moka's pending maintenance, so
/// that memory is reclaimed without traffic and without long pauses.
fn spawn_janitor(shared: Weak<Shared>) {
    std::thread::Builder::new()
        .name("mokad-janitor".into())
        .spawn(move || {
            let mut pause = JANITOR_TICK;
            let mut maintained = Instant::now();
            loop {
                std::thread::sleep(pause);
                let Some(shared) = shared.upgrade() else { return };
                let started = Instant::now();
                shared.sweep_expired(SWEEP_BUDGET);
                pause = if started.elapsed() >= SWEEP_BUDGET { BACKLOG_PAUSE } else { JANITOR_TICK };
                if maintained.elapsed() >= MAINTENANCE_EVERY {
                    maintained = Instant::now();
                    for shard in &shared.shards {
                        shard.load().cache.run_pending_tasks();
                    }
                }
            }
        })
        .expect("spawn janitor thread");
}
