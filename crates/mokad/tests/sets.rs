//! Set commands against the real binary: every command, WRONGTYPE, emptied keys, intset order,
//! RESP3 shapes and Redis 7.0's error texts byte for byte. `MOKAD_IT_TARGET=redis` runs the
//! same expectations against redis-server 7.0 (mokad-only checks are skipped there).

mod common;

use std::collections::HashSet;

use common::{cmd, query_err, targeting_redis, Raw, Server};

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";

/// A raw connection that has switched to RESP3.
fn raw3(server: &Server) -> Raw {
    let mut raw = server.raw();
    let hello = raw.call(&["HELLO", "3"]);
    assert!(hello.starts_with(b"%"), "HELLO 3: {:?}", String::from_utf8_lossy(&hello));
    raw
}

fn strings(c: &mut redis::Connection, args: &[&str]) -> Vec<String> {
    cmd(args).query(c).unwrap()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn int(c: &mut redis::Connection, args: &[&str]) -> i64 {
    cmd(args).query(c).unwrap()
}

fn encoding(c: &mut redis::Connection, key: &str) -> String {
    cmd(&["OBJECT", "ENCODING", key]).query(c).unwrap()
}

#[test]
fn sadd_srem_scard_sismember_smismember_work_together() {
    let server = Server::start();
    let mut c = server.conn();
    assert_eq!(int(&mut c, &["SADD", "s", "a", "b", "a", "c"]), 3);
    assert_eq!(int(&mut c, &["SADD", "s", "c", "d"]), 1);
    assert_eq!(int(&mut c, &["SCARD", "s"]), 4);
    assert_eq!(int(&mut c, &["SCARD", "nokey"]), 0);
    assert_eq!(int(&mut c, &["SISMEMBER", "s", "a"]), 1);
    assert_eq!(int(&mut c, &["SISMEMBER", "s", "z"]), 0);
    assert_eq!(int(&mut c, &["SISMEMBER", "nokey", "a"]), 0);
    assert_eq!(cmd(&["SMISMEMBER", "s", "a", "z", "d"]).query::<Vec<i64>>(&mut c).unwrap(), [1, 0, 1]);
    assert_eq!(cmd(&["SMISMEMBER", "nokey", "a", "b"]).query::<Vec<i64>>(&mut c).unwrap(), [0, 0]);
    assert_eq!(sorted(strings(&mut c, &["SMEMBERS", "s"])), ["a", "b", "c", "d"]);
    assert!(strings(&mut c, &["SMEMBERS", "nokey"]).is_empty());
    assert_eq!(int(&mut c, &["SREM", "s", "a", "a", "z"]), 1);
    assert_eq!(int(&mut c, &["SREM", "nokey", "a"]), 0);
    assert_eq!(int(&mut c, &["SREM", "s", "b", "c", "d"]), 3);
    assert_eq!(int(&mut c, &["EXISTS", "s"]), 0, "the emptied set is gone");
}

#[test]
fn a_set_of_integers_is_listed_in_numeric_order_as_an_intset() {
    let server = Server::start();
    let mut c = server.conn();
    int(&mut c, &["SADD", "s", "10", "-3", "2", "100", "0", "-20"]);
    assert_eq!(encoding(&mut c, "s"), "intset");
    assert_eq!(strings(&mut c, &["SMEMBERS", "s"]), ["-20", "-3", "0", "2", "10", "100"]);
    let (cursor, page): (String, Vec<String>) = cmd(&["SSCAN", "s", "0", "COUNT", "2"]).query(&mut c).unwrap();
    assert_eq!((cursor.as_str(), page), ("0", strings(&mut c, &["SMEMBERS", "s"])));
    assert_eq!(strings(&mut c, &["SRANDMEMBER", "s", "100"]), ["-20", "-3", "0", "2", "10", "100"]);
    int(&mut c, &["SADD", "t", "2", "7", "-3", "1"]);
    assert_eq!(strings(&mut c, &["SUNION", "s", "t"]), ["-20", "-3", "0", "1", "2", "7", "10", "100"]);
    assert_eq!(strings(&mut c, &["SINTER", "t", "s"]), ["-3", "2"]);
    assert_eq!(strings(&mut c, &["SDIFF", "s", "t"]), ["-20", "0", "10", "100"]);
    // Integers in a form an intset cannot hold keep the set a hashtable.
    int(&mut c, &["SADD", "u", "1", "01"]);
    assert_eq!(encoding(&mut c, "u"), "hashtable");
    let mut raw = raw3(&server);
    assert_eq!(raw.call_str(&["SMEMBERS", "t"]), "~4\r\n$2\r\n-3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n7\r\n");
}

#[test]
fn intset_becomes_a_hashtable_past_512_members_or_with_a_string_and_stays_one() {
    let server = Server::start();
    let mut c = server.conn();
    let members: Vec<String> = (1..=512).map(|i| i.to_string()).collect();
    let mut args = vec!["SADD", "s"];
    args.extend(members.iter().map(String::as_str));
    assert_eq!(int(&mut c, &args), 512);
    assert_eq!(encoding(&mut c, "s"), "intset");
    int(&mut c, &["SADD", "s", "513"]);
    assert_eq!(encoding(&mut c, "s"), "hashtable");
    int(&mut c, &["SREM", "s", "513", "512"]);
    assert_eq!(encoding(&mut c, "s"), "hashtable", "Redis 7.0 never converts back");
    int(&mut c, &["SADD", "t", "1", "2"]);
    int(&mut c, &["SADD", "t", "x"]);
    int(&mut c, &["SREM", "t", "x"]);
    assert_eq!(encoding(&mut c, "t"), "hashtable");
    assert_eq!(sorted(strings(&mut c, &["SMEMBERS", "t"])), ["1", "2"]);
}

#[test]
fn spop_removes_random_members() {
    let server = Server::start();
    let mut c = server.conn();
    int(&mut c, &["SADD", "s", "a", "b", "c", "d", "e"]);
    let one: String = cmd(&["SPOP", "s"]).query(&mut c).unwrap();
    assert_eq!(int(&mut c, &["SISMEMBER", "s", &one]), 0);
    let two = strings(&mut c, &["SPOP", "s", "2"]);
    assert_eq!(two.iter().collect::<HashSet<_>>().len(), 2);
    assert_eq!(int(&mut c, &["SCARD", "s"]), 2);
    assert!(strings(&mut c, &["SPOP", "s", "0"]).is_empty());
    assert_eq!(int(&mut c, &["SCARD", "s"]), 2);
    let rest = strings(&mut c, &["SPOP", "s", "10"]);
    assert_eq!(rest.len(), 2);
    let mut all: Vec<String> = [vec![one], two, rest].concat();
    all.sort();
    assert_eq!(all, ["a", "b", "c", "d", "e"]);
    assert_eq!(int(&mut c, &["EXISTS", "s"]), 0, "the emptied set is gone");
    assert_eq!(cmd(&["SPOP", "nokey"]).query::<Option<String>>(&mut c).unwrap(), None);
    assert!(strings(&mut c, &["SPOP", "nokey", "3"]).is_empty());
    // Popping all of an intset lists it in order.
    int(&mut c, &["SADD", "n", "3", "1", "2"]);
    assert_eq!(strings(&mut c, &["SPOP", "n", "3"]), ["1", "2", "3"]);
}

#[test]
fn spop_of_most_members_leaves_a_set_encoded_as_redis_rebuilds_it() {
    let server = Server::start();
    let mut c = server.conn();
    for _ in 0..5 {
        cmd(&["DEL", "s"]).query::<i64>(&mut c).unwrap();
        let mut args = vec!["SADD".to_string(), "s".into(), "x".into()];
        args.extend((1..=20).map(|i| i.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        int(&mut c, &args);
        assert_eq!(encoding(&mut c, "s"), "hashtable");
        let popped = strings(&mut c, &["SPOP", "s", "19"]);
        assert_eq!(popped.len(), 19);
        let left = strings(&mut c, &["SMEMBERS", "s"]);
        assert_eq!(left.len(), 2);
        assert!(left.iter().all(|m| !popped.contains(m)));
        let expected = if left.iter().any(|m| m == "x") { "hashtable" } else { "intset" };
        assert_eq!(encoding(&mut c, "s"), expected, "left {left:?}");
    }
    // Popping a few leaves the set as it is.
    let mut args = vec!["SADD".to_string(), "t".into(), "x".into()];
    args.extend((1..=10).map(|i| i.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    int(&mut c, &args);
    cmd(&["SREM", "t", "x"]).query::<i64>(&mut c).unwrap();
    strings(&mut c, &["SPOP", "t", "8"]);
    assert_eq!(encoding(&mut c, "t"), "hashtable");
}

#[test]
fn srandmember_picks_members_as_redis_does() {
    let server = Server::start();
    let mut c = server.conn();
    let members = ["a", "b", "c", "d", "e"];
    int(&mut c, &["SADD", "s", "a", "b", "c", "d", "e"]);
    let one: String = cmd(&["SRANDMEMBER", "s"]).query(&mut c).unwrap();
    assert!(members.contains(&one.as_str()));
    assert_eq!(cmd(&["SRANDMEMBER", "nokey"]).query::<Option<String>>(&mut c).unwrap(), None);
    let three = strings(&mut c, &["SRANDMEMBER", "s", "3"]);
    assert_eq!(three.iter().collect::<HashSet<_>>().len(), 3);
    assert_eq!(sorted(strings(&mut c, &["SRANDMEMBER", "s", "10"])), members);
    let many = strings(&mut c, &["SRANDMEMBER", "s", "-40"]);
    assert_eq!(many.len(), 40);
    assert!(many.iter().all(|m| members.contains(&m.as_str())));
    assert!(strings(&mut c, &["SRANDMEMBER", "s", "0"]).is_empty());
    assert!(strings(&mut c, &["SRANDMEMBER", "nokey", "-3"]).is_empty());
    assert_eq!(int(&mut c, &["SCARD", "s"]), 5, "nothing is removed");
}

#[test]
fn random_member_replies_have_redis_types_in_resp3() {
    let server = Server::start();
    let mut raw = raw3(&server);
    raw.call(&["SADD", "s", "m"]);
    assert_eq!(raw.call_str(&["SRANDMEMBER", "s", "-2"]), "*2\r\n$1\r\nm\r\n$1\r\nm\r\n");
    assert_eq!(raw.call_str(&["SRANDMEMBER", "nokey", "2"]), "*0\r\n");
    assert_eq!(raw.call_str(&["SRANDMEMBER", "nokey"]), "_\r\n");
    assert_eq!(raw.call_str(&["SPOP", "nokey", "2"]), "~0\r\n");
    assert_eq!(raw.call_str(&["SPOP", "s", "0"]), "~0\r\n");
    assert_eq!(raw.call_str(&["SMISMEMBER", "s", "m", "x"]), "*2\r\n:1\r\n:0\r\n");
    assert_eq!(raw.call_str(&["SPOP", "s", "5"]), "~1\r\n$1\r\nm\r\n");
    assert_eq!(raw.call_str(&["SPOP", "nokey"]), "_\r\n");
    let mut raw = server.raw();
    assert_eq!(raw.call_str(&["SPOP", "nokey", "2"]), "*0\r\n");
    assert_eq!(raw.call_str(&["SPOP", "nokey"]), "$-1\r\n");
}

#[test]
fn spop_and_srandmember_errors_match_redis() {
    let server = Server::start();
    let mut c = server.conn();
    int(&mut c, &["SADD", "s", "a"]);
    let err = |c: &mut redis::Connection, args: &[&str]| query_err(c, &cmd(args));
    assert_eq!(err(&mut c, &["SPOP", "s", "-1"]), "ERR value is out of range, must be positive");
    assert_eq!(err(&mut c, &["SPOP", "s", "x"]), "ERR value is out of range, must be positive");
    assert_eq!(err(&mut c, &["SPOP", "s", "1", "2"]), "ERR syntax error");
    assert_eq!(err(&mut c, &["SRANDMEMBER", "s", "x"]), "ERR value is not an integer or out of range");
    assert_eq!(err(&mut c, &["SRANDMEMBER", "s", "1", "2"]), "ERR syntax error");
    assert_eq!(
        err(&mut c, &["SRANDMEMBER", "s", "-9223372036854775808"]),
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
    );
    if !targeting_redis() {
        // A reply Redis would try to build until it runs out of memory.
        assert_eq!(err(&mut c, &["SRANDMEMBER", "s", "-9223372036854775807"]), "ERR value is out of range");
    }
}

#[test]
fn smove_moves_a_member_between_sets() {
    let server = Server::start();
    let mut c = server.conn();
    int(&mut c, &["SADD", "src", "a", "b"]);
    int(&mut c, &["SADD", "dst", "c"]);
    assert_eq!(int(&mut c, &["SMOVE", "src", "dst", "a"]), 1);
    assert_eq!(sorted(strings(&mut c, &["SMEMBERS", "dst"])), ["a", "c"]);
    assert_eq!(int(&mut c, &["SMOVE", "src", "dst", "zzz"]), 0);
    assert_eq!(int(&mut c, &["SMOVE", "nokey", "dst", "a"]), 0);
    assert_eq!(int(&mut c, &["SMOVE", "src", "src", "b"]), 1, "onto itself: 1 if it is a member");
    assert_eq!(int(&mut c, &["SMOVE", "src", "src", "zzz"]), 0);
    assert_eq!(int(&mut c, &["SMOVE", "src", "new", "b"]), 1);
    assert_eq!(int(&mut c, &["EXISTS", "src"]), 0, "the emptied source is gone");
    assert_eq!(strings(&mut c, &["SMEMBERS", "new"]), ["b"]);
    int(&mut c, &["SADD", "src", "c"]);
    assert_eq!(int(&mut c, &["SMOVE", "src", "dst", "c"]), 1, "already in the destination");
    assert_eq!(sorted(strings(&mut c, &["SMEMBERS", "dst"])), ["a", "c"]);
    cmd(&["SET", "str", "x"]).query::<String>(&mut c).unwrap();
    int(&mut c, &["SADD", "src", "m"]);
    assert_eq!(query_err(&mut c, &cmd(&["SMOVE", "str", "dst", "a"])), WRONGTYPE);
    assert_eq!(query_err(&mut c, &cmd(&["SMOVE", "src", "str", "m"])), WRONGTYPE);
    assert_eq!(query_err(&mut c, &cmd(&["SMOVE", "src", "str", "absent"])), WRONGTYPE, "the destination is checked first");
    assert_eq!(int(&mut c, &["SMOVE", "nokey", "str", "a"]), 0, "a missing source answers first");
    assert_eq!(int(&mut c, &["SISMEMBER", "src", "m"]), 1);
}

#[test]
fn sinter_sunion_sdiff_compute_as_redis() {
    let server = Server::start();
    let mut c = server.conn();
    int(&mut c, &["SADD", "a", "x", "y", "z", "w"]);
    int(&mut c, &["SADD", "b", "y", "z", "v"]);
    int(&mut c, &["SADD", "c", "z", "y", "u"]);
    assert_eq!(sorted(strings(&mut c, &["SINTER", "a", "b", "c"])), ["y", "z"]);
    assert_eq!(sorted(strings(&mut c, &["SINTER", "a"])), ["w", "x", "y", "z"]);
    assert_eq!(sorted(strings(&mut c, &["SINTER", "a", "a"])), ["w", "x", "y", "z"]);
    assert!(strings(&mut c, &["SINTER", "a", "nokey"]).is_empty());
    assert_eq!(sorted(strings(&mut c, &["SUNION", "a", "b", "nokey", "c"])), ["u", "v", "w", "x", "y", "z"]);
    assert_eq!(sorted(strings(&mut c, &["SDIFF", "a", "b", "nokey"])), ["w", "x"]);
    assert_eq!(sorted(strings(&mut c, &["SDIFF", "a", "b", "c"])), ["w", "x"]);
    assert!(strings(&mut c, &["SDIFF", "nokey", "a"]).is_empty());
    assert!(strings(&mut c, &["SDIFF", "a", "a"]).is_empty());
    assert_eq!(int(&mut c, &["SINTERCARD", "3", "a", "b", "c"]), 2);
    assert_eq!(int(&mut c, &["SINTERCARD", "1", "a", "LIMIT", "3"]), 3);
    assert_eq!(int(&mut c, &["SINTERCARD", "1", "a", "LIMIT", "0"]), 4);
    assert_eq!(int(&mut c, &["SINTERCARD", "1", "a", "limit", "9", "LIMIT", "1"]), 1);
    assert_eq!(int(&mut c, &["SINTERCARD", "2", "a", "nokey"]), 0);
    let mut raw = raw3(&server);
    assert!(raw.call_str(&["SINTER", "a", "b"]).starts_with("~2\r\n"));
    assert_eq!(raw.call_str(&["SINTER", "a", "nokey"]), "~0\r\n");
    assert!(raw.call_str(&["SUNION", "a", "b"]).starts_with("~5\r\n"));
    assert_eq!(raw.call_str(&["SDIFF", "nokey"]), "~0\r\n");
}

#[test]
fn store_variants_replace_the_destination_and_delete_it_when_empty() {
    let server = Server::start();
    let mut c = server.conn();
    int(&mut c, &["SADD", "a", "1", "2", "3"]);
    int(&mut c, &["SADD", "b", "2", "3", "4"]);
    cmd(&["SET", "dst", "old", "EX", "100"]).query::<String>(&mut c).unwrap();
    assert_eq!(int(&mut c, &["SINTERSTORE", "dst", "a", "b"]), 2);
    assert_eq!(cmd(&["TYPE", "dst"]).query::<String>(&mut c).unwrap(), "set");
    assert_eq!(int(&mut c, &["TTL", "dst"]), -1, "a stored result has no expiry");
    assert_eq!(strings(&mut c, &["SMEMBERS", "dst"]), ["2", "3"]);
    assert_eq!(encoding(&mut c, "dst"), "intset");
    assert_eq!(int(&mut c, &["SUNIONSTORE", "dst", "a", "b"]), 4);
    assert_eq!(strings(&mut c, &["SMEMBERS", "dst"]), ["1", "2", "3", "4"]);
    assert_eq!(int(&mut c, &["SDIFFSTORE", "dst", "a", "b"]), 1);
    assert_eq!(strings(&mut c, &["SMEMBERS", "dst"]), ["1"]);
    // The destination may be a source.
    assert_eq!(int(&mut c, &["SUNIONSTORE", "a", "a", "b"]), 4);
    assert_eq!(strings(&mut c, &["SMEMBERS", "a"]), ["1", "2", "3", "4"]);
    int(&mut c, &["SADD", "w", "word"]);
    assert_eq!(int(&mut c, &["SUNIONSTORE", "mixed", "a", "w"]), 5);
    assert_eq!(encoding(&mut c, "mixed"), "hashtable");
    // An empty result deletes the destination.
    assert_eq!(int(&mut c, &["SINTERSTORE", "dst", "a", "nokey"]), 0);
    assert_eq!(int(&mut c, &["EXISTS", "dst"]), 0);
    int(&mut c, &["SADD", "dst", "x"]);
    assert_eq!(int(&mut c, &["SDIFFSTORE", "dst", "b", "b"]), 0);
    assert_eq!(int(&mut c, &["EXISTS", "dst"]), 0);
    int(&mut c, &["SADD", "dst", "x"]);
    assert_eq!(int(&mut c, &["SUNIONSTORE", "dst", "nokey"]), 0);
    assert_eq!(int(&mut c, &["EXISTS", "dst"]), 0);
}

#[test]
fn multi_key_set_commands_check_every_key_type() {
    let server = Server::start();
    let mut c = server.conn();
    int(&mut c, &["SADD", "s", "a"]);
    cmd(&["SET", "str", "x"]).query::<String>(&mut c).unwrap();
    let calls: &[&[&str]] = &[
        &["SINTER", "nokey", "str"],
        &["SINTER", "s", "str"],
        &["SINTERSTORE", "d", "nokey", "str"],
        &["SINTERCARD", "2", "nokey", "str"],
        &["SUNION", "s", "str"],
        &["SUNIONSTORE", "d", "nokey", "str"],
        &["SDIFF", "nokey", "str"],
        &["SDIFFSTORE", "d", "s", "str"],
    ];
    for args in calls {
        assert_eq!(query_err(&mut c, &cmd(args)), WRONGTYPE, "{args:?}");
    }
    assert_eq!(int(&mut c, &["EXISTS", "d"]), 0);
    // A string destination is simply replaced.
    assert_eq!(int(&mut c, &["SUNIONSTORE", "str", "s"]), 1);
    assert_eq!(cmd(&["TYPE", "str"]).query::<String>(&mut c).unwrap(), "set");
}

#[test]
fn sintercard_errors_match_redis() {
    let server = Server::start();
    let mut c = server.conn();
    int(&mut c, &["SADD", "s", "a"]);
    let err = |c: &mut redis::Connection, args: &[&str]| query_err(c, &cmd(args));
    assert_eq!(err(&mut c, &["SINTERCARD", "0", "s"]), "ERR numkeys should be greater than 0");
    assert_eq!(err(&mut c, &["SINTERCARD", "-1", "s"]), "ERR numkeys should be greater than 0");
    assert_eq!(err(&mut c, &["SINTERCARD", "x", "s"]), "ERR numkeys should be greater than 0");
    assert_eq!(err(&mut c, &["SINTERCARD", "3", "s", "s"]), "ERR Number of keys can't be greater than number of args");
    assert_eq!(err(&mut c, &["SINTERCARD", "1", "s", "LIMIT", "-1"]), "ERR LIMIT can't be negative");
    assert_eq!(err(&mut c, &["SINTERCARD", "1", "s", "LIMIT", "x"]), "ERR LIMIT can't be negative");
    assert_eq!(err(&mut c, &["SINTERCARD", "1", "s", "LIMIT"]), "ERR syntax error");
    assert_eq!(err(&mut c, &["SINTERCARD", "1", "s", "foo", "1"]), "ERR syntax error");
    assert_eq!(err(&mut c, &["SINTERCARD", "1"]), "ERR wrong number of arguments for 'sintercard' command");
}

/// Runs SSCAN to the end; the members seen and the number of calls.
fn sscan_all(c: &mut redis::Connection, key: &str, extra: &[&str]) -> (Vec<String>, usize) {
    let mut cursor = "0".to_string();
    let mut seen = Vec::new();
    let mut calls = 0;
    loop {
        let mut args = vec!["SSCAN", key, &cursor];
        args.extend_from_slice(extra);
        let (next, page): (String, Vec<String>) = cmd(&args).query(c).unwrap();
        calls += 1;
        assert!(calls < 100_000, "SSCAN does not end");
        seen.extend(page);
        if next == "0" {
            return (seen, calls);
        }
        cursor = next;
    }
}

#[test]
fn sscan_pages_a_hashtable_set_and_misses_no_member_while_others_change() {
    let server = Server::start();
    let mut c = server.conn();
    let mut other = server.conn();
    let mut args = vec!["SADD".to_string(), "s".into()];
    args.extend((0..600).map(|i| format!("gone{i}")));
    args.extend((0..600).map(|i| format!("keep{i}")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    int(&mut c, &args);
    assert_eq!(encoding(&mut c, "s"), "hashtable");
    let (seen, calls) = sscan_all(&mut c, "s", &[]);
    assert!(calls > 50, "a hashtable is paged ({calls} calls)");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 1200);
    let (matched, _) = sscan_all(&mut c, "s", &["MATCH", "keep1?", "COUNT", "50"]);
    assert_eq!(sorted(matched.into_iter().collect::<HashSet<_>>().into_iter().collect()), (10..20).map(|i| format!("keep{i}")).collect::<Vec<_>>());
    let mut cursor = "0".to_string();
    let mut seen = HashSet::new();
    let mut step = 0;
    loop {
        let (next, page): (String, Vec<String>) = cmd(&["SSCAN", "s", &cursor, "COUNT", "20"]).query(&mut c).unwrap();
        seen.extend(page);
        if step < 600 {
            let gone: Vec<String> = (step..(step + 15).min(600)).map(|i| format!("gone{i}")).collect();
            let mut args = vec!["SREM", "s"];
            args.extend(gone.iter().map(String::as_str));
            int(&mut other, &args);
            int(&mut other, &["SADD", "s", &format!("new{step}")]);
            step += 15;
        }
        if next == "0" {
            break;
        }
        cursor = next;
    }
    let missed: Vec<String> = (0..600).map(|i| format!("keep{i}")).filter(|m| !seen.contains(m)).collect();
    assert!(missed.is_empty(), "members present for the whole scan were missed: {missed:?}");
}

#[test]
fn sscan_errors_match_redis() {
    let server = Server::start();
    let mut c = server.conn();
    int(&mut c, &["SADD", "s", "a"]);
    cmd(&["SET", "str", "x"]).query::<String>(&mut c).unwrap();
    let err = |c: &mut redis::Connection, args: &[&str]| query_err(c, &cmd(args));
    assert_eq!(err(&mut c, &["SSCAN", "s", "x"]), "ERR invalid cursor");
    assert_eq!(err(&mut c, &["SSCAN", "str", "0"]), WRONGTYPE);
    assert_eq!(err(&mut c, &["SSCAN", "s", "0", "COUNT", "0"]), "ERR syntax error");
    assert_eq!(err(&mut c, &["SSCAN", "s", "0", "MATCH"]), "ERR syntax error");
    assert_eq!(err(&mut c, &["SSCAN", "s", "0", "TYPE", "set"]), "ERR syntax error");
    let (cursor, page): (String, Vec<String>) = cmd(&["SSCAN", "nokey", "0", "COUNT", "0"]).query(&mut c).unwrap();
    assert_eq!((cursor.as_str(), page.len()), ("0", 0));
    let (cursor, page): (String, Vec<String>) = cmd(&["SSCAN", "s", "0", "MATCH", "*"]).query(&mut c).unwrap();
    assert_eq!((cursor.as_str(), page), ("0", vec!["a".to_string()]));
}

#[test]
fn every_single_key_set_command_refuses_another_type() {
    let server = Server::start();
    let mut c = server.conn();
    cmd(&["HSET", "h", "f", "v"]).query::<i64>(&mut c).unwrap();
    let calls: &[&[&str]] = &[
        &["SADD", "h", "m"],
        &["SREM", "h", "m"],
        &["SMEMBERS", "h"],
        &["SISMEMBER", "h", "m"],
        &["SMISMEMBER", "h", "m"],
        &["SCARD", "h"],
        &["SPOP", "h"],
        &["SPOP", "h", "2"],
        &["SRANDMEMBER", "h"],
        &["SRANDMEMBER", "h", "-2"],
        &["SSCAN", "h", "0"],
    ];
    for args in calls {
        assert_eq!(query_err(&mut c, &cmd(args)), WRONGTYPE, "{args:?}");
    }
    assert_eq!(int(&mut c, &["HLEN", "h"]), 1);
}
