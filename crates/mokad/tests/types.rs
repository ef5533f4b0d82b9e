//! Generic key commands on every value type (TYPE, SCAN TYPE, DEL, UNLINK, EXISTS, expiry,
//! RENAME, COPY, MOVE) and OBJECT, against the real binary. `MOKAD_IT_TARGET=redis` runs the
//! same expectations against redis-server 7.0 (mokad-only checks are skipped there).
//!
//! A type whose commands this build does not have yet (lists and sorted sets come from other
//! branches) is skipped with a note on stderr, so that the tests run for it once they exist.

mod common;

use std::time::Duration;

use common::{cmd, query_err, targeting_redis, Server};
use redis::Value;

/// One value type: its TYPE name, how to create it, change it and measure it.
struct Kind {
    name: &'static str,
    create: &'static [&'static str],
    change: &'static [&'static str],
    size: &'static str,
}

/// Every type, each created at key `k` with size 1 and grown to 2 by `change` (on key `k`).
const KINDS: &[Kind] = &[
    Kind { name: "string", create: &["SET", "k", "v"], change: &["APPEND", "k", "w"], size: "STRLEN" },
    Kind { name: "hash", create: &["HSET", "k", "f", "v"], change: &["HSET", "k", "g", "w"], size: "HLEN" },
    Kind { name: "set", create: &["SADD", "k", "m"], change: &["SADD", "k", "n"], size: "SCARD" },
    Kind { name: "list", create: &["RPUSH", "k", "a"], change: &["RPUSH", "k", "b"], size: "LLEN" },
    Kind { name: "zset", create: &["ZADD", "k", "1", "m"], change: &["ZADD", "k", "2", "n"], size: "ZCARD" },
];

/// `args` with the key `k` replaced by `key`.
fn on(args: &[&str], key: &str) -> redis::Cmd {
    let replaced: Vec<&str> = args.iter().map(|a| if *a == "k" { key } else { a }).collect();
    cmd(&replaced)
}

/// Creates the value at `key`; false (with a note) when this build lacks the type's commands.
fn create(c: &mut redis::Connection, kind: &Kind, key: &str) -> bool {
    match on(kind.create, key).query::<Value>(c) {
        Ok(Value::ServerError(e)) if e.code() == "ERR" && e.details().is_some_and(|d| d.starts_with("unknown command")) => {
            eprintln!("skipping {}: {} is not in this build", kind.name, kind.create[0]);
            false
        }
        Ok(Value::ServerError(e)) => panic!("{:?}: {e:?}", kind.create),
        Ok(_) => true,
        Err(e) if e.code() == Some("ERR") && e.detail().is_some_and(|d| d.starts_with("unknown command")) => {
            eprintln!("skipping {}: {} is not in this build", kind.name, kind.create[0]);
            false
        }
        Err(e) => panic!("{:?}: {e}", kind.create),
    }
}

fn size(c: &mut redis::Connection, kind: &Kind, key: &str) -> i64 {
    cmd(&[kind.size, key]).query(c).unwrap()
}

fn int(c: &mut redis::Connection, args: &[&str]) -> i64 {
    cmd(args).query(c).unwrap()
}

#[test]
fn type_names_every_type_and_scan_filters_by_it() {
    let server = Server::start();
    let mut c = server.conn();
    let mut made = Vec::new();
    for kind in KINDS {
        let key = format!("key:{}", kind.name);
        if create(&mut c, kind, &key) {
            assert_eq!(cmd(&["TYPE", &key]).query::<String>(&mut c).unwrap(), kind.name);
            made.push((kind, key));
        }
    }
    assert_eq!(cmd(&["TYPE", "nokey"]).query::<String>(&mut c).unwrap(), "none");
    for (kind, key) in &made {
        for type_arg in [kind.name.to_string(), kind.name.to_ascii_uppercase()] {
            let (cursor, keys): (String, Vec<String>) = cmd(&["SCAN", "0", "COUNT", "1000", "TYPE", &type_arg]).query(&mut c).unwrap();
            assert_eq!((cursor.as_str(), keys), ("0", vec![key.clone()]), "SCAN TYPE {type_arg}");
        }
    }
}

#[test]
fn del_unlink_and_exists_work_on_every_type() {
    let server = Server::start();
    let mut c = server.conn();
    for kind in KINDS {
        if !create(&mut c, kind, "a") {
            continue;
        }
        create(&mut c, kind, "b");
        assert_eq!(int(&mut c, &["EXISTS", "a", "b", "a", "nokey"]), 3, "{}", kind.name);
        assert_eq!(int(&mut c, &["DEL", "a", "nokey"]), 1, "{}", kind.name);
        assert_eq!(int(&mut c, &["UNLINK", "b", "a"]), 1, "{}", kind.name);
        assert_eq!(int(&mut c, &["EXISTS", "a", "b"]), 0, "{}", kind.name);
    }
}

#[test]
fn expiry_works_on_every_type_and_survives_changes() {
    let server = Server::start();
    let mut c = server.conn();
    for kind in KINDS {
        if !create(&mut c, kind, "k") {
            continue;
        }
        assert_eq!(int(&mut c, &["EXPIRE", "k", "100"]), 1, "{}", kind.name);
        let ttl = int(&mut c, &["TTL", "k"]);
        assert!((99..=100).contains(&ttl), "{}: TTL {ttl}", kind.name);
        if kind.name != "string" {
            // Changing a collection keeps its deadline (APPEND does too, but SET would not).
            on(kind.change, "k").query::<Value>(&mut c).unwrap();
            assert!(int(&mut c, &["TTL", "k"]) > 0, "{}: the change dropped the TTL", kind.name);
        }
        assert_eq!(int(&mut c, &["PERSIST", "k"]), 1, "{}", kind.name);
        assert_eq!(int(&mut c, &["TTL", "k"]), -1, "{}", kind.name);
        assert_eq!(int(&mut c, &["PEXPIRE", "k", "30"]), 1, "{}", kind.name);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(int(&mut c, &["EXISTS", "k"]), 0, "{}: expired", kind.name);
        assert_eq!(cmd(&["TYPE", "k"]).query::<String>(&mut c).unwrap(), "none");
    }
}

#[test]
fn rename_moves_every_type_with_its_deadline() {
    let server = Server::start();
    let mut c = server.conn();
    for kind in KINDS {
        if !create(&mut c, kind, "k") {
            continue;
        }
        on(kind.change, "k").query::<Value>(&mut c).unwrap();
        int(&mut c, &["EXPIRE", "k", "100"]);
        assert_eq!(cmd(&["RENAME", "k", "r"]).query::<String>(&mut c).unwrap(), "OK");
        assert_eq!(int(&mut c, &["EXISTS", "k"]), 0);
        assert_eq!(cmd(&["TYPE", "r"]).query::<String>(&mut c).unwrap(), kind.name);
        assert_eq!(size(&mut c, kind, "r"), 2, "{}", kind.name);
        assert!(int(&mut c, &["TTL", "r"]) > 0, "{}", kind.name);
        create(&mut c, kind, "other");
        assert_eq!(int(&mut c, &["RENAMENX", "r", "other"]), 0);
        assert_eq!(int(&mut c, &["RENAMENX", "r", "fresh"]), 1);
        assert_eq!(size(&mut c, kind, "fresh"), 2, "{}", kind.name);
        int(&mut c, &["DEL", "fresh", "other"]);
    }
}

#[test]
fn copy_of_every_type_is_independent_of_the_original() {
    let server = Server::start();
    let mut c = server.conn();
    for kind in KINDS {
        if !create(&mut c, kind, "k") {
            continue;
        }
        int(&mut c, &["EXPIRE", "k", "100"]);
        assert_eq!(int(&mut c, &["COPY", "k", "c"]), 1, "{}", kind.name);
        assert!(int(&mut c, &["TTL", "c"]) > 0, "{}: COPY keeps the deadline", kind.name);
        on(kind.change, "c").query::<Value>(&mut c).unwrap();
        assert_eq!((size(&mut c, kind, "k"), size(&mut c, kind, "c")), (1, 2), "{}", kind.name);
        assert_eq!(int(&mut c, &["COPY", "k", "c"]), 0, "{}: no REPLACE", kind.name);
        assert_eq!(int(&mut c, &["COPY", "k", "c", "REPLACE"]), 1);
        assert_eq!(size(&mut c, kind, "c"), 1, "{}", kind.name);
        assert_eq!(int(&mut c, &["COPY", "k", "k1", "DB", "1"]), 1);
        on(kind.change, "k").query::<Value>(&mut c).unwrap();
        cmd(&["SELECT", "1"]).query::<String>(&mut c).unwrap();
        assert_eq!(cmd(&["TYPE", "k1"]).query::<String>(&mut c).unwrap(), kind.name);
        assert_eq!(size(&mut c, kind, "k1"), 1, "{}: the copy in db 1 did not follow", kind.name);
        int(&mut c, &["DEL", "k1"]);
        cmd(&["SELECT", "0"]).query::<String>(&mut c).unwrap();
        int(&mut c, &["DEL", "k", "c"]);
    }
}

#[test]
fn move_takes_every_type_to_another_database() {
    let server = Server::start();
    let mut c = server.conn();
    for kind in KINDS {
        if !create(&mut c, kind, "k") {
            continue;
        }
        assert_eq!(int(&mut c, &["MOVE", "k", "2"]), 1, "{}", kind.name);
        assert_eq!(int(&mut c, &["EXISTS", "k"]), 0);
        create(&mut c, kind, "k");
        assert_eq!(int(&mut c, &["MOVE", "k", "2"]), 0, "{}: the target exists", kind.name);
        cmd(&["SELECT", "2"]).query::<String>(&mut c).unwrap();
        assert_eq!(cmd(&["TYPE", "k"]).query::<String>(&mut c).unwrap(), kind.name);
        int(&mut c, &["DEL", "k"]);
        cmd(&["SELECT", "0"]).query::<String>(&mut c).unwrap();
        int(&mut c, &["DEL", "k"]);
    }
}

fn encoding(c: &mut redis::Connection, key: &str) -> String {
    cmd(&["OBJECT", "ENCODING", key]).query(c).unwrap()
}

/// `<command> key <first> <second> ...` built from owned arguments.
fn run_owned(c: &mut redis::Connection, args: &[String]) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    cmd(&args).query::<Value>(c).unwrap();
}

#[test]
fn object_encoding_of_strings_follows_their_content() {
    let server = Server::start();
    let mut c = server.conn();
    let cases = [
        ("123", "int"),
        ("-5", "int"),
        ("9223372036854775807", "int"),
        ("-9223372036854775808", "int"),
        ("9223372036854775808", "embstr"),
        ("12345678901234567890", "embstr"),
        ("0123", "embstr"),
        ("-0", "embstr"),
        ("abc", "embstr"),
        ("", "embstr"),
    ];
    for (value, expected) in cases {
        cmd(&["SET", "s", value]).query::<String>(&mut c).unwrap();
        assert_eq!(encoding(&mut c, "s"), expected, "{value:?}");
    }
    cmd(&["SET", "s", &"x".repeat(44)]).query::<String>(&mut c).unwrap();
    assert_eq!(encoding(&mut c, "s"), "embstr");
    cmd(&["SET", "s", &"x".repeat(45)]).query::<String>(&mut c).unwrap();
    assert_eq!(encoding(&mut c, "s"), "raw");
    assert_eq!(cmd(&["OBJECT", "ENCODING", "nokey"]).query::<Option<String>>(&mut c).unwrap(), None);
}

#[test]
fn object_encoding_of_a_hash_is_listpack_until_it_outgrows_one() {
    let server = Server::start();
    let mut c = server.conn();
    let mut args = vec!["HSET".to_string(), "h".into()];
    for i in 0..512 {
        args.push(format!("f{i}"));
        args.push("v".into());
    }
    run_owned(&mut c, &args);
    assert_eq!(encoding(&mut c, "h"), "listpack", "512 fields");
    int(&mut c, &["HSET", "h", "one-more", "v"]);
    assert_eq!(encoding(&mut c, "h"), "hashtable", "513 fields");
    let fields: Vec<String> = (0..512).map(|i| format!("f{i}")).collect();
    let mut del = vec!["HDEL".to_string(), "h".into()];
    del.extend(fields);
    run_owned(&mut c, &del);
    assert_eq!(int(&mut c, &["HLEN", "h"]), 1);
    assert_eq!(encoding(&mut c, "h"), "hashtable", "Redis 7.0 never converts back");
    int(&mut c, &["HSET", "v", "f", &"x".repeat(64)]);
    assert_eq!(encoding(&mut c, "v"), "listpack", "a 64-byte value fits");
    int(&mut c, &["HSET", "v", "g", &"x".repeat(65)]);
    assert_eq!(encoding(&mut c, "v"), "hashtable", "a 65-byte value does not");
    int(&mut c, &["HSET", "f", &"x".repeat(65), "1"]);
    assert_eq!(encoding(&mut c, "f"), "hashtable", "nor a 65-byte field");
    cmd(&["HINCRBYFLOAT", "i", &"x".repeat(65), "1"]).query::<String>(&mut c).unwrap();
    assert_eq!(encoding(&mut c, "i"), "hashtable", "HINCRBYFLOAT converts too");
    int(&mut c, &["HSET", "n", "a", "1"]);
    int(&mut c, &["HSETNX", "n", "a", &"x".repeat(65)]);
    assert_eq!(encoding(&mut c, "n"), "listpack", "HSETNX on an existing field changes nothing");
    int(&mut c, &["HSETNX", "n", "b", &"x".repeat(65)]);
    assert_eq!(encoding(&mut c, "n"), "hashtable");
}

#[test]
fn object_encoding_of_sets_lists_and_sorted_sets() {
    let server = Server::start();
    let mut c = server.conn();
    int(&mut c, &["SADD", "ints", "1", "2", "-3"]);
    assert_eq!(encoding(&mut c, "ints"), "intset");
    int(&mut c, &["SADD", "words", "a"]);
    assert_eq!(encoding(&mut c, "words"), "hashtable");
    if create(&mut c, &KINDS[3], "list") {
        assert_eq!(encoding(&mut c, "list"), "quicklist", "Redis 7.0 keeps every list in a quicklist");
    }
    if create(&mut c, &KINDS[4], "z") {
        assert_eq!(encoding(&mut c, "z"), "listpack");
        let mut args = vec!["ZADD".to_string(), "z".into()];
        for i in 0..127 {
            args.push(i.to_string());
            args.push(format!("m{i}"));
        }
        run_owned(&mut c, &args);
        assert_eq!(int(&mut c, &["ZCARD", "z"]), 128);
        assert_eq!(encoding(&mut c, "z"), "listpack", "128 members");
        int(&mut c, &["ZADD", "z", "1", "one-more"]);
        assert_eq!(encoding(&mut c, "z"), "skiplist", "129 members");
        int(&mut c, &["ZADD", "long", "1", &"x".repeat(64)]);
        assert_eq!(encoding(&mut c, "long"), "listpack");
        int(&mut c, &["ZADD", "long", "1", &"x".repeat(65)]);
        assert_eq!(encoding(&mut c, "long"), "skiplist");
    }
}

#[test]
fn object_refcount_reports_shared_integers_as_redis() {
    let server = Server::start();
    let mut c = server.conn();
    for (value, expected) in [("0", 2147483647), ("9999", 2147483647), ("10000", 1), ("-1", 1), ("abc", 1)] {
        cmd(&["SET", "s", value]).query::<String>(&mut c).unwrap();
        assert_eq!(int(&mut c, &["OBJECT", "REFCOUNT", "s"]), expected, "{value}");
    }
    int(&mut c, &["HSET", "h", "f", "1"]);
    assert_eq!(int(&mut c, &["OBJECT", "REFCOUNT", "h"]), 1);
    assert_eq!(cmd(&["OBJECT", "REFCOUNT", "nokey"]).query::<Option<i64>>(&mut c).unwrap(), None);
    // With a maxmemory and an LRU policy, Redis stops sharing integers.
    let lru = Server::start_with(&["--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru"]);
    let mut c = lru.conn();
    cmd(&["SET", "s", "5"]).query::<String>(&mut c).unwrap();
    assert_eq!(int(&mut c, &["OBJECT", "REFCOUNT", "s"]), 1);
    let noeviction = Server::start_with(&["--maxmemory", "100mb", "--maxmemory-policy", "noeviction"]);
    let mut c = noeviction.conn();
    cmd(&["SET", "s", "5"]).query::<String>(&mut c).unwrap();
    assert_eq!(int(&mut c, &["OBJECT", "REFCOUNT", "s"]), 2147483647);
}

const LFU_NOT_SELECTED: &str = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
const LFU_SELECTED: &str = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

#[test]
fn object_idletime_and_freq_never_make_up_a_number() {
    let server = Server::start_with(&["--maxmemory-policy", "allkeys-lru"]);
    let mut c = server.conn();
    cmd(&["SET", "k", "v"]).query::<String>(&mut c).unwrap();
    assert_eq!(query_err(&mut c, &cmd(&["OBJECT", "FREQ", "k"])), LFU_NOT_SELECTED);
    assert_eq!(cmd(&["OBJECT", "FREQ", "nokey"]).query::<Option<i64>>(&mut c).unwrap(), None);
    assert_eq!(cmd(&["OBJECT", "IDLETIME", "nokey"]).query::<Option<i64>>(&mut c).unwrap(), None);
    if !targeting_redis() {
        assert_eq!(
            query_err(&mut c, &cmd(&["OBJECT", "IDLETIME", "k"])),
            "ERR idle time not tracked: mokad keeps no access time per key (moka orders keys for eviction internally)."
        );
    }
    let lfu = Server::start_with(&["--maxmemory-policy", "allkeys-lfu"]);
    let mut c = lfu.conn();
    cmd(&["SET", "k", "v"]).query::<String>(&mut c).unwrap();
    assert_eq!(query_err(&mut c, &cmd(&["OBJECT", "IDLETIME", "k"])), LFU_SELECTED);
    if !targeting_redis() {
        assert_eq!(
            query_err(&mut c, &cmd(&["OBJECT", "FREQ", "k"])),
            "ERR access frequency not tracked: mokad keeps no counter per key (moka's LFU sketch is internal to its eviction)."
        );
    }
}

#[test]
fn object_help_and_errors_match_redis() {
    let server = Server::start();
    let mut raw = server.raw();
    let help = raw.call_str(&["OBJECT", "HELP"]);
    let expected = [
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    ];
    let wire: String = format!("*{}\r\n", expected.len()) + &expected.iter().map(|l| format!("+{l}\r\n")).collect::<String>();
    assert_eq!(help, wire);
    assert_eq!(raw.call_str(&["OBJECT", "ENCODING", "nokey"]), "$-1\r\n");
    assert_eq!(raw.call_str(&["OBJECT", "foo"]), "-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n");
    assert_eq!(raw.call_str(&["OBJECT"]), "-ERR wrong number of arguments for 'object' command\r\n");
    assert_eq!(raw.call_str(&["OBJECT", "ENCODING"]), "-ERR wrong number of arguments for 'object|encoding' command\r\n");
    assert_eq!(raw.call_str(&["OBJECT", "encoding", "a", "b"]), "-ERR wrong number of arguments for 'object|encoding' command\r\n");
    assert_eq!(raw.call_str(&["OBJECT", "HELP", "x"]), "-ERR wrong number of arguments for 'object|help' command\r\n");
    raw.call(&["HELLO", "3"]);
    assert_eq!(raw.call_str(&["OBJECT", "REFCOUNT", "nokey"]), "_\r\n");
}
