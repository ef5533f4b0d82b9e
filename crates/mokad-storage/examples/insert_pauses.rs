//! How long single writes pause while the keyspace evicts: 1M new keys (16 + 100 bytes) into
//! a 64 MB budget under `allkeys-lru`, one writer, with the storage's janitor running. Prints
//! how many inserts took over 1 ms and the slowest. Pin it to one core, as the server is in
//! scripts/bench.sh, to see what a request sharing the core with the janitor sees:
//!
//!   cargo build --release -p mokad-storage --example insert_pauses
//!   taskset -c 0 target/release/examples/insert_pauses

use std::time::Instant;

use bytes::Bytes;
use mokad_storage::{Change, Entry, EvictionPolicy, Storage, StorageConfig, Value};

fn main() {
    let storage = Storage::new(StorageConfig { databases: 16, maxmemory: 64 << 20, policy: EvictionPolicy::AllKeysLru });
    let value = vec![b'v'; 100];
    let (mut over_1ms, mut worst) = (0, 0u128);
    let start = Instant::now();
    for i in 0..1_000_000u64 {
        let key = format!("f:{i:014}");
        let entry = Entry { value: Value::String(Bytes::copy_from_slice(&value)), expires_at: None };
        let t = Instant::now();
        storage.update(0, key.as_bytes(), |_| (Change::Put(entry), ())).expect("an entry fits the budget");
        let took = t.elapsed().as_micros();
        over_1ms += usize::from(took > 1000);
        worst = worst.max(took);
    }
    println!("1M inserts in {:.2?}: {over_1ms} over 1 ms, slowest {worst} µs", start.elapsed());
}
