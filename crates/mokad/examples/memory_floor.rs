//! Resident bytes per key of mokad's storage engine and of what it is built on, each holding
//! the same keys in a fresh process, with the allocator the server uses. It separates what
//! moka costs by itself from what mokad adds on top (see `scripts/memory-floor.sh`).
//!
//!   memory_floor raw|map|moka|moka-inline|storage [KEYS] [VALUE_LEN]
//!
//! - `raw`: the keys and values alone, one allocation each, in a vector (the payload floor);
//! - `map`: a hash map of the same (what a plain table costs);
//! - `moka`: a moka cache as mokad builds its shards (weigher, LRU, no capacity), of the same;
//! - `moka-inline`: the same with each key inline in moka's own `Arc` (a fixed 20-byte array,
//!   room for a 4-byte database number), the least a key can cost in moka;
//! - `storage`: `mokad_storage::Storage`, written as SET writes (16 moka shards, key index).
//!
//! Keys are 16 bytes (`key:` and 12 digits); values default to 100 bytes.

#[path = "../src/alloc.rs"]
#[allow(dead_code)]
mod alloc;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use mokad_storage::{Change, Entry, Storage, StorageConfig, Value};

#[global_allocator]
static GLOBAL: alloc::MiMalloc = alloc::MiMalloc;

fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("VmRSS line");
    let kb: u64 = line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).expect("VmRSS value");
    kb * 1024
}

fn key(i: u64) -> Vec<u8> {
    format!("key:{i:012}").into_bytes()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: memory_floor raw|map|moka|moka-inline|storage [KEYS] [VALUE_LEN]";
    let what = args.get(1).map(String::as_str).unwrap_or_else(|| panic!("{usage}"));
    let keys: u64 = args.get(2).map_or(1_000_000, |n| n.parse().expect("KEYS"));
    let value_len: usize = args.get(3).map_or(100, |n| n.parse().expect("VALUE_LEN"));
    let value = vec![b'v'; value_len];
    let before = rss_bytes();
    let held: Box<dyn std::any::Any> = match what {
        "raw" => {
            let v: Vec<(Box<[u8]>, Box<[u8]>)> = (0..keys).map(|i| (key(i).into(), value.clone().into())).collect();
            Box::new(v)
        }
        "map" => {
            let mut m: HashMap<Arc<[u8]>, Bytes, ahash::RandomState> = HashMap::default();
            for i in 0..keys {
                m.insert(key(i).into(), Bytes::copy_from_slice(&value));
            }
            Box::new(m)
        }
        "moka" => {
            let cache: moka::sync::Cache<Arc<[u8]>, Bytes, ahash::RandomState> = moka::sync::Cache::builder()
                .weigher(|k: &Arc<[u8]>, v: &Bytes| (k.len() + v.len()) as u32)
                .eviction_policy(moka::policy::EvictionPolicy::lru())
                .build_with_hasher(ahash::RandomState::new());
            for i in 0..keys {
                cache.insert(key(i).into(), Bytes::copy_from_slice(&value));
            }
            cache.run_pending_tasks();
            assert_eq!(cache.entry_count(), keys);
            Box::new(cache)
        }
        "moka-inline" => {
            let cache: moka::sync::Cache<[u8; 20], Bytes, ahash::RandomState> = moka::sync::Cache::builder()
                .weigher(|k: &[u8; 20], v: &Bytes| (k.len() + v.len()) as u32)
                .eviction_policy(moka::policy::EvictionPolicy::lru())
                .build_with_hasher(ahash::RandomState::new());
            for i in 0..keys {
                let mut k = [0u8; 20];
                k[4..].copy_from_slice(&key(i));
                cache.insert(k, Bytes::copy_from_slice(&value));
            }
            cache.run_pending_tasks();
            assert_eq!(cache.entry_count(), keys);
            Box::new(cache)
        }
        "storage" => {
            let storage = Storage::new(StorageConfig::default());
            for i in 0..keys {
                let entry = Entry { value: Value::String(Bytes::copy_from_slice(&value)), expires_at: None };
                storage.update(0, &key(i), |_| (Change::Put(entry), ())).expect("no budget");
            }
            storage.run_pending_tasks();
            assert_eq!(storage.dbsize(0), keys);
            Box::new(storage)
        }
        _ => panic!("{usage}"),
    };
    // Let the storage's janitor and moka's housekeeping settle.
    std::thread::sleep(Duration::from_millis(300));
    let grown = rss_bytes().saturating_sub(before);
    println!("{what}\t{keys}\t{value_len}\t{:.0}", grown as f64 / keys as f64);
    drop(held);
}
