//! Collections against the memory budget: a collection's weight follows its size as it grows
//! and shrinks, `maxmemory` holds with collections as with strings, and deleting a huge
//! collection does not stall the server (it is freed off the request path, as Redis's
//! lazyfree does).

mod common;

use std::time::{Duration, Instant};

use common::{cmd, info_u64, targeting_redis, Server};

/// Adds `count` members (or fields) of `width` bytes to `key` in batches of 1000.
fn fill(c: &mut redis::Connection, command: &str, key: &str, count: usize, width: usize) {
    for start in (0..count).step_by(1000) {
        let mut batch = redis::cmd(command);
        batch.arg(key);
        for i in start..(start + 1000).min(count) {
            let member = format!("{i:0width$}");
            batch.arg(&member);
            if command == "HSET" {
                batch.arg(&member);
            }
        }
        let _: i64 = batch.query(c).unwrap();
    }
}

#[test]
fn a_collection_weighs_what_it_holds_as_it_grows_and_shrinks() {
    if targeting_redis() {
        return; // used_memory is allocator memory there, compared with other expectations
    }
    let server = Server::start();
    let mut c = server.conn();
    let empty = info_u64(&mut c, "memory", "used_memory");
    fill(&mut c, "HSET", "h", 20_000, 100);
    let full = info_u64(&mut c, "memory", "used_memory");
    assert!(full >= empty + 20_000 * 200, "20k fields of 100+100 bytes: {empty} -> {full}");
    let fields: Vec<String> = (0..19_000).map(|i| format!("{i:0100}")).collect();
    let removed: i64 = redis::cmd("HDEL").arg("h").arg(&fields).query(&mut c).unwrap();
    assert_eq!(removed, 19_000);
    let shrunk = info_u64(&mut c, "memory", "used_memory");
    assert!(shrunk < empty + (full - empty) / 10, "after removing 95%: {empty} -> {full} -> {shrunk}");
    let _: i64 = cmd(&["DEL", "h"]).query(&mut c).unwrap();
    // moka reports the replaced entries to the byte count in its own time.
    let deadline = Instant::now() + Duration::from_secs(5);
    while info_u64(&mut c, "memory", "used_memory") > empty && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(info_u64(&mut c, "memory", "used_memory"), empty);
}

#[test]
fn maxmemory_holds_when_the_keyspace_is_made_of_collections() {
    if targeting_redis() {
        return;
    }
    let server = Server::start_with(&["--maxmemory", "4mb", "--maxmemory-policy", "allkeys-lru"]);
    let mut c = server.conn();
    for key in 0..100 {
        fill(&mut c, "SADD", &format!("set:{key}"), 500, 100); // ~100 KB each, 10 MB in all
    }
    std::thread::sleep(Duration::from_millis(300)); // moka's eviction runs in its maintenance
    let used = info_u64(&mut c, "memory", "used_memory");
    assert!(used <= 4 << 20, "used_memory {used} over maxmemory");
    assert!(info_u64(&mut c, "stats", "evicted_keys") > 0);
    let keys: i64 = cmd(&["DBSIZE"]).query(&mut c).unwrap();
    assert!((1..100).contains(&keys), "{keys} sets left");
}

/// INFO's `lazyfreed_objects` once nothing is pending any more.
fn lazyfreed(c: &mut redis::Connection) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(5);
    while info_u64(c, "memory", "lazyfree_pending_objects") > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    info_u64(c, "stats", "lazyfreed_objects")
}

#[test]
fn deleting_a_million_member_set_frees_it_off_the_request_path() {
    let server = Server::start();
    let mut c = server.conn();
    fill(&mut c, "SADD", "big", 1_000_000, 12);
    fill(&mut c, "SADD", "small", 10, 12);
    assert_eq!(cmd(&["SCARD", "big"]).query::<i64>(&mut c).unwrap(), 1_000_000);
    let before = lazyfreed(&mut c);
    // Another client sends PINGs and records the slowest answer while the set goes.
    let mut other = server.conn();
    let watcher = std::thread::spawn(move || {
        let mut worst = Duration::ZERO;
        let until = Instant::now() + Duration::from_millis(1000);
        while Instant::now() < until {
            let sent = Instant::now();
            let _: String = cmd(&["PING"]).query(&mut other).unwrap();
            worst = worst.max(sent.elapsed());
        }
        worst
    });
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    let deleted: i64 = cmd(&["DEL", "big", "small"]).query(&mut c).unwrap();
    let took = started.elapsed();
    assert_eq!(deleted, 2);
    assert_eq!(cmd(&["EXISTS", "big", "small"]).query::<i64>(&mut c).unwrap(), 0);
    let worst_ping = watcher.join().unwrap();
    eprintln!("DEL took {took:?}; slowest PING meanwhile {worst_ping:?}");
    // As in Redis, a collection of more than 64 elements is freed by the lazyfree thread
    // (moka lets go of a removed value in its maintenance, on the janitor or on whichever
    // request thread runs it: without lazyfree that request would pay for the million frees).
    if !targeting_redis() {
        assert_eq!(lazyfreed(&mut c), before + 1, "the big set, not the small one, goes to the lazyfree thread");
    }
    assert!(took < Duration::from_millis(100), "DEL of a 1M-member set took {took:?}");
    assert!(worst_ping < Duration::from_millis(100), "a PING waited {worst_ping:?}");
}
