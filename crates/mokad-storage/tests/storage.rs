//! Behaviour of the keyspace through its public API.

use std::sync::Arc;
use std::thread;

use bytes::Bytes;
use mokad_storage::collections::{shared, Hash};
use mokad_storage::{Change, Entry, EvictionPolicy, ManualClock, Storage, StorageConfig, StorageError, Value, WatchFlag};

const T0: u64 = 1_700_000_000_000;

fn storage() -> (Storage, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(T0));
    (Storage::with_clock(StorageConfig::default(), clock.clone()), clock)
}

fn key(s: &str) -> Bytes {
    Bytes::from(s.to_owned())
}

fn set(s: &Storage, db: usize, k: &str, v: &str, expires_at: Option<u64>) {
    let entry = Entry { value: Value::String(Bytes::from(v.to_owned())), expires_at };
    s.update(db, k.as_bytes(), |_| (Change::Put(entry), ())).unwrap();
}

fn get(s: &Storage, db: usize, k: &str) -> Option<String> {
    s.get(db, &key(k)).map(|e| match e.value {
        Value::String(b) => String::from_utf8(b.to_vec()).unwrap(),
        other => panic!("{k} holds a {}", other.type_name()),
    })
}

fn incr(s: &Storage, k: &str) {
    s.update(0, k.as_bytes(), |old| {
        let n = old.map_or(0, |e| match &e.value {
            Value::String(b) => std::str::from_utf8(b).unwrap().parse::<i64>().unwrap(),
            other => panic!("{k} holds a {}", other.type_name()),
        });
        (Change::Put(Entry::new(Value::String(Bytes::from((n + 1).to_string())))), ())
    })
    .unwrap();
}

#[test]
fn should_count_keys_exactly_through_set_overwrite_and_delete() {
    let (s, _) = storage();
    set(&s, 0, "a", "1", None);
    set(&s, 0, "a", "2", None);
    set(&s, 0, "b", "1", Some(T0 + 1000));
    assert_eq!(s.dbsize(0), 2);
    assert_eq!(s.expires_count(0), 1);
    assert_eq!(s.remove(0, &key("a")).map(|e| e.value), Some(Value::String(key("2"))));
    assert_eq!(s.remove(0, &key("a")), None);
    assert_eq!(s.dbsize(0), 1);
    assert_eq!(s.dbsize(1), 0);
}

#[test]
fn should_hide_a_key_at_its_deadline_and_count_it_expired() {
    let (s, clock) = storage();
    set(&s, 0, "k", "v", Some(T0 + 100));
    clock.advance(99);
    assert_eq!(get(&s, 0, "k").as_deref(), Some("v"));
    clock.advance(1);
    assert_eq!(get(&s, 0, "k"), None);
    assert_eq!(s.dbsize(0), 0);
    assert_eq!(s.expires_count(0), 0);
    assert_eq!(s.stats().expired_keys.load(std::sync::atomic::Ordering::Relaxed), 1);
}

#[test]
fn should_treat_an_expired_key_as_absent_in_updates() {
    let (s, clock) = storage();
    set(&s, 0, "k", "v", Some(T0 + 10));
    clock.advance(10);
    let seen = s.update(0, b"k", |old| (Change::Keep, old.cloned())).unwrap();
    assert_eq!(seen, None);
    assert_eq!(s.dbsize(0), 0);
}

#[test]
fn should_keep_databases_apart() {
    let (s, _) = storage();
    set(&s, 0, "k", "zero", None);
    set(&s, 1, "k", "one", None);
    assert_eq!(get(&s, 0, "k").as_deref(), Some("zero"));
    assert_eq!(get(&s, 1, "k").as_deref(), Some("one"));
}

#[test]
fn should_flush_one_database_at_once_and_keep_the_others() {
    let (s, _) = storage();
    for i in 0..1000 {
        set(&s, 0, &format!("k{i}"), "v", None);
    }
    set(&s, 1, "other", "v", None);
    s.flush_db(0);
    assert_eq!(s.dbsize(0), 0);
    assert_eq!(get(&s, 0, "k1"), None);
    assert!(s.all(0).is_empty());
    assert_eq!(get(&s, 1, "other").as_deref(), Some("v"));
    set(&s, 0, "k1", "new", None);
    assert_eq!(get(&s, 0, "k1").as_deref(), Some("new"));
    assert_eq!(s.dbsize(0), 1);
}

#[test]
fn should_flush_everything() {
    let (s, _) = storage();
    set(&s, 0, "a", "v", None);
    set(&s, 3, "b", "v", None);
    s.flush_all();
    assert_eq!((s.dbsize(0), s.dbsize(3)), (0, 0));
    assert_eq!(get(&s, 3, "b"), None);
    assert_eq!(s.used_memory(), 0);
}

#[test]
fn should_not_lose_increments_from_two_threads() {
    let (s, _) = storage();
    let s = Arc::new(s);
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let s = s.clone();
            thread::spawn(move || (0..20_000).for_each(|_| incr(&s, "n")))
        })
        .collect();
    threads.into_iter().for_each(|t| t.join().unwrap());
    assert_eq!(get(&s, 0, "n").as_deref(), Some("40000"));
}

#[test]
fn should_not_resurrect_deleted_keys_when_delete_races_incr() {
    let (s, _) = storage();
    let s = Arc::new(s);
    for round in 0..2000 {
        let k = format!("k{round}");
        set(&s, 0, &k, "0", None);
        let (a, b) = (s.clone(), s.clone());
        let k2 = k.clone();
        let t = thread::spawn(move || {
            // INCR only if present, like a counter guarded by EXISTS in one atomic step.
            a.update(0, k2.as_bytes(), |old| match old {
                Some(_) => (Change::Put(Entry::new(Value::String(key("1")))), ()),
                None => (Change::Keep, ()),
            })
            .unwrap();
        });
        b.remove(0, &key(&k));
        t.join().unwrap();
        // Either order is fine, but a delete after the increment must stick.
        let after = get(&s, 0, &k);
        assert!(after.is_none() || after.as_deref() == Some("1"));
        s.remove(0, &key(&k));
        assert_eq!(get(&s, 0, &k), None);
    }
    assert_eq!(s.dbsize(0), 0);
}

#[test]
fn should_scan_every_stable_key_once() {
    let (s, _) = storage();
    for i in 0..3000 {
        set(&s, 0, &format!("k{i}"), "v", None);
    }
    let (mut cursor, mut seen) = (0, Vec::new());
    loop {
        let (next, page) = s.scan(0, cursor, 10);
        seen.extend(page.into_iter().map(|(k, _)| k));
        if next == 0 {
            break;
        }
        cursor = next;
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 3000);
}

#[test]
fn should_find_a_random_key_only_when_there_is_one() {
    let (s, _) = storage();
    assert_eq!(s.random_key(0, 7), None);
    set(&s, 0, "only", "v", None);
    assert_eq!(s.random_key(0, 7), Some(key("only")));
}

#[test]
fn should_mark_watchers_dirty_on_write_and_flush() {
    let (s, _) = storage();
    let flag = Arc::new(WatchFlag::default());
    s.watch(0, key("w"), &flag);
    set(&s, 0, "other", "v", None);
    assert!(!flag.is_dirty());
    set(&s, 0, "w", "v", None);
    assert!(flag.is_dirty());
    flag.clear();
    s.flush_db(1);
    assert!(!flag.is_dirty());
    s.flush_db(0);
    assert!(flag.is_dirty());
}

#[test]
fn should_refuse_an_entry_larger_than_the_budget() {
    let config = StorageConfig { maxmemory: 4096, policy: EvictionPolicy::AllKeysLru, ..StorageConfig::default() };
    let s = Storage::new(config);
    let big = Entry::new(Value::String(Bytes::from(vec![b'x'; 10_000])));
    assert_eq!(s.update(0, b"big", |_| (Change::Put(big), ())), Err(StorageError::TooLarge));
    assert_eq!(s.dbsize(0), 0);
}

#[test]
fn should_evict_to_stay_within_maxmemory_with_lru() {
    let config = StorageConfig { maxmemory: 1 << 20, policy: EvictionPolicy::AllKeysLru, ..StorageConfig::default() };
    let s = Storage::new(config);
    for i in 0..20_000 {
        set(&s, 0, &format!("key:{i}"), &"v".repeat(100), None);
    }
    s.run_pending_tasks();
    assert!(s.used_memory() <= 1 << 20, "used {}", s.used_memory());
    assert!(s.dbsize(0) < 20_000 && s.dbsize(0) > 1000, "dbsize {}", s.dbsize(0));
    assert_eq!(s.all(0).len() as u64, s.dbsize(0));
    // LRU admits the newest key.
    assert!(get(&s, 0, "key:19999").is_some());
}

#[test]
fn should_sweep_expired_keys_that_nobody_reads() {
    let (s, clock) = storage();
    for i in 0..5000 {
        set(&s, 0, &format!("short:{i}"), "v", Some(T0 + 1000));
        set(&s, 0, &format!("long:{i}"), "v", Some(T0 + 60_000));
    }
    set(&s, 0, "forever", "v", None);
    clock.advance(1000);
    // The janitor thread sweeps too; either way every short key must go, and nothing else.
    for _ in 0..100 {
        s.sweep_expired(std::time::Duration::from_millis(50));
        if s.dbsize(0) == 5001 {
            break;
        }
    }
    assert_eq!(s.dbsize(0), 5001);
    assert_eq!(s.expires_count(0), 5000);
    assert_eq!(s.stats().expired_keys.load(std::sync::atomic::Ordering::Relaxed), 5000);
    assert!(get(&s, 0, "long:1").is_some() && get(&s, 0, "forever").is_some());
}

#[test]
fn should_follow_a_changed_deadline_when_sweeping() {
    let (s, clock) = storage();
    set(&s, 0, "k", "v", Some(T0 + 100));
    // PERSIST-like rewrite: no deadline any more.
    s.update(0, b"k", |old| (Change::Put(Entry { value: old.unwrap().value.clone(), expires_at: None }), ())).unwrap();
    set(&s, 0, "j", "v", None);
    // EXPIRE-like rewrite: a deadline appears.
    s.update(0, b"j", |old| (Change::Put(Entry { value: old.unwrap().value.clone(), expires_at: Some(T0 + 100) }), ())).unwrap();
    clock.advance(200);
    s.sweep_expired(std::time::Duration::from_millis(50));
    assert_eq!(s.dbsize(0), 1);
    assert!(get(&s, 0, "k").is_some());
}

/// Adds `n` fields to the hash at `k` in place, as a hash command does.
fn grow_hash(s: &Storage, k: &str, from: usize, n: usize) {
    s.update(0, k.as_bytes(), |old| {
        let entry = old.cloned().unwrap_or_else(|| Entry::new(Value::Hash(shared(Hash::default()))));
        let Value::Hash(hash) = &entry.value else { panic!("not a hash") };
        for i in from..from + n {
            hash.write().insert(Bytes::from(format!("field-{i}")), Bytes::from(vec![b'v'; 100]));
        }
        (Change::Put(entry), ())
    })
    .unwrap();
}

#[test]
fn should_weigh_a_collection_changed_in_place_by_its_current_size() {
    let (s, _) = storage();
    grow_hash(&s, "h", 0, 10);
    let small = s.used_memory();
    grow_hash(&s, "h", 10, 990);
    s.run_pending_tasks();
    let large = s.used_memory();
    assert!(large > small + 990 * 100, "small {small}, large {large}");
    assert_eq!(s.dbsize(0), 1);
    s.remove(0, &key("h"));
    s.run_pending_tasks();
    assert_eq!(s.used_memory(), 0);
}

#[test]
fn should_copy_a_collection_without_sharing_it() {
    let (s, _) = storage();
    grow_hash(&s, "h", 0, 3);
    let original = s.get(0, &key("h")).unwrap().value;
    let copy = original.duplicate();
    let (Value::Hash(a), Value::Hash(b)) = (&original, &copy) else { panic!("not hashes") };
    b.write().remove(b"field-0");
    assert_eq!((a.read().len(), b.read().len()), (3, 2));
}
