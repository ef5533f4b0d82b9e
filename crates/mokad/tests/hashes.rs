//! Hash commands against the real binary: every command, WRONGTYPE, emptied keys, RESP3
//! shapes and Redis 7.0's error texts byte for byte. `MOKAD_IT_TARGET=redis` runs the same
//! expectations against redis-server 7.0 (mokad-only checks are skipped there).

mod common;

use std::collections::{HashMap, HashSet};

use common::{cmd, query_err, targeting_redis, Raw, Server};
use redis::Value;

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

#[test]
fn hset_hget_hmget_hexists_hlen_hstrlen_work_together() {
    let server = Server::start();
    let mut c = server.conn();
    assert_eq!(cmd(&["HSET", "h", "a", "1", "b", "22"]).query::<i64>(&mut c).unwrap(), 2);
    assert_eq!(cmd(&["HSET", "h", "a", "111", "c", "3"]).query::<i64>(&mut c).unwrap(), 1, "only c is new");
    assert_eq!(cmd(&["HGET", "h", "a"]).query::<String>(&mut c).unwrap(), "111");
    assert_eq!(cmd(&["HGET", "h", "nope"]).query::<Option<String>>(&mut c).unwrap(), None);
    assert_eq!(cmd(&["HGET", "nokey", "a"]).query::<Option<String>>(&mut c).unwrap(), None);
    assert_eq!(
        cmd(&["HMGET", "h", "a", "nope", "b"]).query::<Vec<Option<String>>>(&mut c).unwrap(),
        [Some("111".into()), None, Some("22".into())]
    );
    assert_eq!(cmd(&["HMGET", "nokey", "a", "b"]).query::<Vec<Option<String>>>(&mut c).unwrap(), [None, None]);
    assert_eq!(cmd(&["HEXISTS", "h", "b"]).query::<i64>(&mut c).unwrap(), 1);
    assert_eq!(cmd(&["HEXISTS", "h", "nope"]).query::<i64>(&mut c).unwrap(), 0);
    assert_eq!(cmd(&["HEXISTS", "nokey", "b"]).query::<i64>(&mut c).unwrap(), 0);
    assert_eq!(cmd(&["HLEN", "h"]).query::<i64>(&mut c).unwrap(), 3);
    assert_eq!(cmd(&["HLEN", "nokey"]).query::<i64>(&mut c).unwrap(), 0);
    assert_eq!(cmd(&["HSTRLEN", "h", "a"]).query::<i64>(&mut c).unwrap(), 3);
    assert_eq!(cmd(&["HSTRLEN", "h", "nope"]).query::<i64>(&mut c).unwrap(), 0);
    assert_eq!(cmd(&["HSTRLEN", "nokey", "a"]).query::<i64>(&mut c).unwrap(), 0);
}

#[test]
fn hmset_replies_ok_and_hsetnx_sets_only_new_fields() {
    let server = Server::start();
    let mut c = server.conn();
    assert_eq!(cmd(&["HMSET", "h", "a", "1", "b", "2"]).query::<String>(&mut c).unwrap(), "OK");
    assert_eq!(cmd(&["HSETNX", "h", "a", "9"]).query::<i64>(&mut c).unwrap(), 0);
    assert_eq!(cmd(&["HGET", "h", "a"]).query::<String>(&mut c).unwrap(), "1");
    assert_eq!(cmd(&["HSETNX", "h", "c", "3"]).query::<i64>(&mut c).unwrap(), 1);
    assert_eq!(cmd(&["HSETNX", "new", "f", "v"]).query::<i64>(&mut c).unwrap(), 1);
    assert_eq!(cmd(&["HGETALL", "new"]).query::<Vec<String>>(&mut c).unwrap(), ["f", "v"]);
    assert_eq!(query_err(&mut c, &cmd(&["HSET", "h", "a"])), "ERR wrong number of arguments for 'hset' command");
    assert_eq!(query_err(&mut c, &cmd(&["HSET", "h", "a", "1", "b"])), "ERR wrong number of arguments for 'hset' command");
    assert_eq!(query_err(&mut c, &cmd(&["HMSET", "h", "a", "1", "b"])), "ERR wrong number of arguments for 'hmset' command");
    assert_eq!(query_err(&mut c, &cmd(&["HSETNX", "h", "a"])), "ERR wrong number of arguments for 'hsetnx' command");
}

#[test]
fn hdel_counts_removed_fields_and_deletes_an_emptied_hash() {
    let server = Server::start();
    let mut c = server.conn();
    cmd(&["HSET", "h", "a", "1", "b", "2"]).query::<i64>(&mut c).unwrap();
    assert_eq!(cmd(&["HDEL", "h", "a", "a", "nope"]).query::<i64>(&mut c).unwrap(), 1);
    assert_eq!(cmd(&["HDEL", "nokey", "a"]).query::<i64>(&mut c).unwrap(), 0);
    assert_eq!(cmd(&["HDEL", "h", "b"]).query::<i64>(&mut c).unwrap(), 1);
    assert_eq!(cmd(&["EXISTS", "h"]).query::<i64>(&mut c).unwrap(), 0, "the emptied hash is gone");
    assert_eq!(cmd(&["TYPE", "h"]).query::<String>(&mut c).unwrap(), "none");
}

#[test]
fn hkeys_hvals_hgetall_list_a_small_hash_in_insertion_order() {
    let server = Server::start();
    let mut c = server.conn();
    cmd(&["HSET", "h", "z", "1", "a", "2", "m", "3", "b", "4"]).query::<i64>(&mut c).unwrap();
    cmd(&["HDEL", "h", "a"]).query::<i64>(&mut c).unwrap();
    cmd(&["HSET", "h", "z", "updated", "c", "5"]).query::<i64>(&mut c).unwrap();
    // A listpack keeps order on removal and updates a field where it stands.
    assert_eq!(strings(&mut c, &["HKEYS", "h"]), ["z", "m", "b", "c"]);
    assert_eq!(strings(&mut c, &["HVALS", "h"]), ["updated", "3", "4", "5"]);
    assert_eq!(strings(&mut c, &["HGETALL", "h"]), ["z", "updated", "m", "3", "b", "4", "c", "5"]);
    assert!(strings(&mut c, &["HKEYS", "nokey"]).is_empty());
    assert!(strings(&mut c, &["HVALS", "nokey"]).is_empty());
    assert!(strings(&mut c, &["HGETALL", "nokey"]).is_empty());
}

#[test]
fn hgetall_is_a_map_in_resp3_and_a_flat_array_in_resp2() {
    let server = Server::start();
    let mut raw = server.raw();
    raw.call(&["HSET", "h", "f1", "v1", "f2", "v2"]);
    assert_eq!(raw.call_str(&["HGETALL", "h"]), "*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n");
    let mut raw = raw3(&server);
    assert_eq!(raw.call_str(&["HGETALL", "h"]), "%2\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n");
    assert_eq!(raw.call_str(&["HGETALL", "nokey"]), "%0\r\n");
    assert_eq!(raw.call_str(&["HKEYS", "nokey"]), "*0\r\n");
    assert_eq!(raw.call_str(&["HMGET", "h", "f1", "x"]), "*2\r\n$2\r\nv1\r\n_\r\n");
    let mut c = server.conn3();
    let map = cmd(&["HGETALL", "h"]).query::<Value>(&mut c).unwrap();
    assert!(matches!(map, Value::Map(ref pairs) if pairs.len() == 2), "{map:?}");
}

#[test]
fn hincrby_adds_to_integers_and_refuses_what_is_not_one() {
    let server = Server::start();
    let mut c = server.conn();
    assert_eq!(cmd(&["HINCRBY", "h", "n", "5"]).query::<i64>(&mut c).unwrap(), 5, "a missing key and field start at 0");
    assert_eq!(cmd(&["HINCRBY", "h", "n", "-8"]).query::<i64>(&mut c).unwrap(), -3);
    assert_eq!(cmd(&["HGET", "h", "n"]).query::<String>(&mut c).unwrap(), "-3");
    cmd(&["HSET", "h", "s", "abc", "f", "1.5", "sp", " 1", "max", "9223372036854775807", "min", "-9223372036854775808"])
        .query::<i64>(&mut c)
        .unwrap();
    for field in ["s", "f", "sp"] {
        assert_eq!(query_err(&mut c, &cmd(&["HINCRBY", "h", field, "1"])), "ERR hash value is not an integer");
    }
    assert_eq!(query_err(&mut c, &cmd(&["HINCRBY", "h", "n", "x"])), "ERR value is not an integer or out of range");
    assert_eq!(query_err(&mut c, &cmd(&["HINCRBY", "h", "n", "1.0"])), "ERR value is not an integer or out of range");
    assert_eq!(query_err(&mut c, &cmd(&["HINCRBY", "h", "max", "1"])), "ERR increment or decrement would overflow");
    assert_eq!(query_err(&mut c, &cmd(&["HINCRBY", "h", "min", "-1"])), "ERR increment or decrement would overflow");
    assert_eq!(cmd(&["HINCRBY", "h", "max", "-1"]).query::<i64>(&mut c).unwrap(), i64::MAX - 1);
    assert_eq!(cmd(&["HGET", "h", "max"]).query::<String>(&mut c).unwrap(), "9223372036854775806");
}

#[test]
fn hincrbyfloat_adds_in_long_double_and_prints_as_redis() {
    let server = Server::start();
    let mut c = server.conn();
    cmd(&["HSET", "h", "field", "10.50"]).query::<i64>(&mut c).unwrap();
    let incr = |c: &mut redis::Connection, field: &str, by: &str| cmd(&["HINCRBYFLOAT", "h", field, by]).query::<String>(c).unwrap();
    assert_eq!(incr(&mut c, "field", "0.1"), "10.6");
    assert_eq!(incr(&mut c, "field", "-5"), "5.6");
    cmd(&["HSET", "h", "field", "5.0e3"]).query::<i64>(&mut c).unwrap();
    assert_eq!(incr(&mut c, "field", "2.0e2"), "5200");
    assert_eq!(incr(&mut c, "new", "3"), "3");
    assert_eq!(incr(&mut c, "new", "0.1"), "3.1");
    assert_eq!(cmd(&["HGET", "h", "new"]).query::<String>(&mut c).unwrap(), "3.1");
    // 1e308 in long double, printed exactly as Redis does (%.17Lf, zeros trimmed).
    assert_eq!(
        incr(&mut c, "x", "1e308"),
        "99999999999999999996685879655845645660560099847415567207797047994921734868838061872100126921888539320446747225054013223152134749593960583597420814430196418767959100019603190778663109604507106667939153395788938914560543563061268364901618630217086589253444881623791300855757318142424510452728255046343928578048"
    );
    cmd(&["HSET", "h", "word", "abc", "inf", "inf", "sp", " 1"]).query::<i64>(&mut c).unwrap();
    assert_eq!(query_err(&mut c, &cmd(&["HINCRBYFLOAT", "h", "word", "1"])), "ERR hash value is not a float");
    assert_eq!(query_err(&mut c, &cmd(&["HINCRBYFLOAT", "h", "sp", "1"])), "ERR hash value is not a float");
    assert_eq!(query_err(&mut c, &cmd(&["HINCRBYFLOAT", "h", "field", "abc"])), "ERR value is not a valid float");
    assert_eq!(query_err(&mut c, &cmd(&["HINCRBYFLOAT", "h", "field", "nan"])), "ERR value is not a valid float");
    assert_eq!(query_err(&mut c, &cmd(&["HINCRBYFLOAT", "h", "field", "inf"])), "ERR value is NaN or Infinity");
    assert_eq!(query_err(&mut c, &cmd(&["HINCRBYFLOAT", "h", "field", "-inf"])), "ERR value is NaN or Infinity");
    assert_eq!(query_err(&mut c, &cmd(&["HINCRBYFLOAT", "h", "inf", "1"])), "ERR increment would produce NaN or Infinity");
    assert_eq!(cmd(&["HGET", "h", "inf"]).query::<String>(&mut c).unwrap(), "inf", "a failed increment changes nothing");
}

#[test]
fn hrandfield_picks_fields_as_redis_does() {
    let server = Server::start();
    let mut c = server.conn();
    let fields = ["a", "b", "c", "d", "e"];
    for (i, f) in fields.iter().enumerate() {
        cmd(&["HSET", "h", f, &i.to_string()]).query::<i64>(&mut c).unwrap();
    }
    let one: String = cmd(&["HRANDFIELD", "h"]).query(&mut c).unwrap();
    assert!(fields.contains(&one.as_str()));
    assert_eq!(cmd(&["HRANDFIELD", "nokey"]).query::<Option<String>>(&mut c).unwrap(), None);
    // A positive count: distinct fields, at most the whole hash.
    let three = strings(&mut c, &["HRANDFIELD", "h", "3"]);
    assert_eq!(three.iter().collect::<HashSet<_>>().len(), 3);
    assert!(three.iter().all(|f| fields.contains(&f.as_str())));
    let all = strings(&mut c, &["HRANDFIELD", "h", "10"]);
    assert_eq!(all, fields, "a count past the size gives the whole (small) hash in order");
    // A negative count: exactly that many picks, repeats allowed.
    let many = strings(&mut c, &["HRANDFIELD", "h", "-50"]);
    assert_eq!(many.len(), 50);
    assert!(many.iter().all(|f| fields.contains(&f.as_str())));
    assert!(many.iter().collect::<HashSet<_>>().len() < 50);
    // WITHVALUES pairs each field with its own value.
    let pairs = strings(&mut c, &["HRANDFIELD", "h", "-20", "withvalues"]);
    assert_eq!(pairs.len(), 40);
    for pair in pairs.chunks(2) {
        let i = fields.iter().position(|f| *f == pair[0]).unwrap();
        assert_eq!(pair[1], i.to_string());
    }
    assert!(strings(&mut c, &["HRANDFIELD", "h", "0"]).is_empty());
    assert!(strings(&mut c, &["HRANDFIELD", "h", "0", "WITHVALUES"]).is_empty());
    assert!(strings(&mut c, &["HRANDFIELD", "nokey", "3"]).is_empty());
    assert!(strings(&mut c, &["HRANDFIELD", "nokey", "-3", "WITHVALUES"]).is_empty());
}

#[test]
fn hrandfield_errors_match_redis() {
    let server = Server::start();
    let mut c = server.conn();
    cmd(&["HSET", "h", "a", "1"]).query::<i64>(&mut c).unwrap();
    let err = |c: &mut redis::Connection, args: &[&str]| query_err(c, &cmd(args));
    assert_eq!(err(&mut c, &["HRANDFIELD", "h", "x"]), "ERR value is not an integer or out of range");
    assert_eq!(err(&mut c, &["HRANDFIELD", "nokey", "x"]), "ERR value is not an integer or out of range");
    assert_eq!(err(&mut c, &["HRANDFIELD", "h", "1", "foo"]), "ERR syntax error");
    assert_eq!(err(&mut c, &["HRANDFIELD", "h", "1", "withvalues", "x"]), "ERR syntax error");
    assert_eq!(
        err(&mut c, &["HRANDFIELD", "h", "-9223372036854775808"]),
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
    );
    assert_eq!(err(&mut c, &["HRANDFIELD", "h", "-9223372036854775807", "WITHVALUES"]), "ERR value is out of range");
    assert_eq!(err(&mut c, &["HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"]), "ERR value is out of range");
    if !targeting_redis() {
        // Redis 7.0.15 tries to build this reply and dies; mokad refuses it.
        assert_eq!(err(&mut c, &["HRANDFIELD", "h", "-4611686018427387903", "WITHVALUES"]), "ERR value is out of range");
        assert_eq!(err(&mut c, &["HRANDFIELD", "h", "-9223372036854775807"]), "ERR value is out of range");
        assert_eq!(cmd(&["PING"]).query::<String>(&mut c).unwrap(), "PONG");
    }
}

#[test]
fn hrandfield_withvalues_is_an_array_of_pairs_in_resp3() {
    let server = Server::start();
    let mut raw = raw3(&server);
    raw.call(&["HSET", "h", "f", "v"]);
    assert_eq!(raw.call_str(&["HRANDFIELD", "h", "-2", "WITHVALUES"]), "*2\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
    assert_eq!(raw.call_str(&["HRANDFIELD", "h", "1", "WITHVALUES"]), "*1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
    assert_eq!(raw.call_str(&["HRANDFIELD", "h", "2"]), "*1\r\n$1\r\nf\r\n");
    assert_eq!(raw.call_str(&["HRANDFIELD", "nokey"]), "_\r\n");
    assert_eq!(raw.call_str(&["HRANDFIELD", "nokey", "2", "WITHVALUES"]), "*0\r\n");
    let mut raw = server.raw();
    assert_eq!(raw.call_str(&["HRANDFIELD", "h", "-2", "WITHVALUES"]), "*4\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\nf\r\n$1\r\nv\r\n");
    assert_eq!(raw.call_str(&["HRANDFIELD", "nokey"]), "$-1\r\n");
}

/// Runs HSCAN to the end; the fields seen and the number of calls.
fn hscan_all(c: &mut redis::Connection, key: &str, extra: &[&str]) -> (Vec<(String, String)>, usize) {
    let mut cursor = "0".to_string();
    let mut seen = Vec::new();
    let mut calls = 0;
    loop {
        let mut args = vec!["HSCAN", key, &cursor];
        args.extend_from_slice(extra);
        let (next, page): (String, Vec<String>) = cmd(&args).query(c).unwrap();
        calls += 1;
        assert!(calls < 100_000, "HSCAN does not end");
        seen.extend(page.chunks(2).map(|p| (p[0].clone(), p[1].clone())));
        if next == "0" {
            return (seen, calls);
        }
        cursor = next;
    }
}

#[test]
fn hscan_returns_a_small_hash_whole_with_cursor_0() {
    let server = Server::start();
    let mut c = server.conn();
    cmd(&["HSET", "h", "a1", "1", "b1", "2", "a2", "3"]).query::<i64>(&mut c).unwrap();
    let (cursor, page): (String, Vec<String>) = cmd(&["HSCAN", "h", "0", "COUNT", "1"]).query(&mut c).unwrap();
    assert_eq!((cursor.as_str(), page), ("0", vec!["a1".into(), "1".into(), "b1".into(), "2".into(), "a2".into(), "3".into()]));
    let (cursor, page): (String, Vec<String>) = cmd(&["HSCAN", "h", "0", "MATCH", "a*"]).query(&mut c).unwrap();
    assert_eq!((cursor.as_str(), page), ("0", vec!["a1".into(), "1".into(), "a2".into(), "3".into()]));
    let (cursor, page): (String, Vec<String>) = cmd(&["HSCAN", "nokey", "0"]).query(&mut c).unwrap();
    assert_eq!((cursor.as_str(), page.len()), ("0", 0));
    // A missing key answers before its options are looked at, as in Redis.
    let (cursor, _): (String, Vec<String>) = cmd(&["HSCAN", "nokey", "0", "COUNT", "0"]).query(&mut c).unwrap();
    assert_eq!(cursor, "0");
}

#[test]
fn hscan_pages_a_large_hash_and_sees_every_field() {
    let server = Server::start();
    let mut c = server.conn();
    let n = 1000;
    let mut args = vec!["HSET".to_string(), "h".to_string()];
    for i in 0..n {
        args.push(format!("f{i}"));
        args.push(format!("v{i}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    cmd(&args).query::<i64>(&mut c).unwrap();
    assert_eq!(cmd(&["OBJECT", "ENCODING", "h"]).query::<String>(&mut c).unwrap(), "hashtable");
    let (seen, calls) = hscan_all(&mut c, "h", &["COUNT", "10"]);
    assert!(calls > 50, "a hashtable is paged ({calls} calls)");
    let seen: HashMap<String, String> = seen.into_iter().collect();
    assert_eq!(seen.len(), n);
    assert!((0..n).all(|i| seen.get(&format!("f{i}")) == Some(&format!("v{i}"))));
    let (matched, _) = hscan_all(&mut c, "h", &["MATCH", "f1?", "COUNT", "100"]);
    let mut matched: Vec<String> = matched.into_iter().map(|(f, _)| f).collect();
    matched.sort();
    matched.dedup();
    assert_eq!(matched, (10..20).map(|i| format!("f{i}")).collect::<Vec<_>>());
}

#[test]
fn hscan_cursor_is_stable_and_misses_no_field_while_others_change() {
    let server = Server::start();
    let mut c = server.conn();
    let mut other = server.conn();
    // The fields to delete first, then those that stay: deleting a field moves others around
    // (the last one into its place, in mokad) while the scan is under way.
    for i in 0..800 {
        cmd(&["HSET", "h", &format!("gone{i}"), "v"]).query::<i64>(&mut c).unwrap();
    }
    for i in 0..800 {
        cmd(&["HSET", "h", &format!("keep{i}"), "v"]).query::<i64>(&mut c).unwrap();
    }
    // The same cursor on an unchanged hash gives the same page.
    let (next, page): (String, Vec<String>) = cmd(&["HSCAN", "h", "0", "COUNT", "20"]).query(&mut c).unwrap();
    let (next2, page2): (String, Vec<String>) = cmd(&["HSCAN", "h", "0", "COUNT", "20"]).query(&mut c).unwrap();
    assert_eq!((&next, &page), (&next2, &page2));
    let again: (String, Vec<String>) = cmd(&["HSCAN", "h", &next, "COUNT", "20"]).query(&mut c).unwrap();
    let again2: (String, Vec<String>) = cmd(&["HSCAN", "h", &next, "COUNT", "20"]).query(&mut c).unwrap();
    assert_eq!(again, again2);
    // Between pages, another client deletes and adds fields.
    let mut cursor = "0".to_string();
    let mut seen = HashSet::new();
    let mut step = 0;
    loop {
        let (next, page): (String, Vec<String>) = cmd(&["HSCAN", "h", &cursor, "COUNT", "25"]).query(&mut c).unwrap();
        seen.extend(page.chunks(2).map(|p| p[0].clone()));
        if step < 800 {
            for i in step..(step + 20).min(800) {
                cmd(&["HDEL", "h", &format!("gone{i}")]).query::<i64>(&mut other).unwrap();
                if i % 4 == 0 {
                    cmd(&["HSET", "h", &format!("new{i}"), "v"]).query::<i64>(&mut other).unwrap();
                }
            }
            step += 20;
        }
        if next == "0" {
            break;
        }
        cursor = next;
    }
    let missed: Vec<String> = (0..800).map(|i| format!("keep{i}")).filter(|f| !seen.contains(f)).collect();
    assert!(missed.is_empty(), "fields present for the whole scan were missed: {missed:?}");
}

#[test]
fn hscan_errors_match_redis() {
    let server = Server::start();
    let mut c = server.conn();
    cmd(&["HSET", "h", "a", "1"]).query::<i64>(&mut c).unwrap();
    cmd(&["SET", "str", "x"]).query::<String>(&mut c).unwrap();
    let err = |c: &mut redis::Connection, args: &[&str]| query_err(c, &cmd(args));
    assert_eq!(err(&mut c, &["HSCAN", "h", "x"]), "ERR invalid cursor");
    assert_eq!(err(&mut c, &["HSCAN", "nokey", "x"]), "ERR invalid cursor");
    assert_eq!(err(&mut c, &["HSCAN", "str", "x"]), "ERR invalid cursor");
    assert_eq!(err(&mut c, &["HSCAN", "str", "0"]), "WRONGTYPE Operation against a key holding the wrong kind of value");
    assert_eq!(err(&mut c, &["HSCAN", "h", "0", "COUNT", "0"]), "ERR syntax error");
    assert_eq!(err(&mut c, &["HSCAN", "h", "0", "COUNT", "x"]), "ERR value is not an integer or out of range");
    assert_eq!(err(&mut c, &["HSCAN", "h", "0", "MATCH"]), "ERR syntax error");
    assert_eq!(err(&mut c, &["HSCAN", "h", "0", "TYPE", "string"]), "ERR syntax error");
    assert_eq!(err(&mut c, &["HSCAN", "h", "0", "NOVALUES"]), "ERR syntax error");
}

#[test]
fn every_hash_command_refuses_another_type() {
    let server = Server::start();
    let mut c = server.conn();
    cmd(&["SET", "str", "x"]).query::<String>(&mut c).unwrap();
    let calls: &[&[&str]] = &[
        &["HSET", "str", "f", "v"],
        &["HSETNX", "str", "f", "v"],
        &["HMSET", "str", "f", "v"],
        &["HGET", "str", "f"],
        &["HMGET", "str", "f"],
        &["HDEL", "str", "f"],
        &["HEXISTS", "str", "f"],
        &["HLEN", "str"],
        &["HSTRLEN", "str", "f"],
        &["HKEYS", "str"],
        &["HVALS", "str"],
        &["HGETALL", "str"],
        &["HINCRBY", "str", "f", "1"],
        &["HINCRBYFLOAT", "str", "f", "1"],
        &["HRANDFIELD", "str"],
        &["HRANDFIELD", "str", "2"],
        &["HRANDFIELD", "str", "2", "WITHVALUES"],
        &["HSCAN", "str", "0"],
    ];
    for args in calls {
        assert_eq!(query_err(&mut c, &cmd(args)), "WRONGTYPE Operation against a key holding the wrong kind of value", "{args:?}");
    }
    assert_eq!(cmd(&["GET", "str"]).query::<String>(&mut c).unwrap(), "x");
    // Argument errors come before the type check where Redis checks them first.
    assert_eq!(query_err(&mut c, &cmd(&["HINCRBY", "str", "f", "x"])), "ERR value is not an integer or out of range");
    assert_eq!(query_err(&mut c, &cmd(&["HINCRBYFLOAT", "str", "f", "x"])), "ERR value is not a valid float");
    assert_eq!(query_err(&mut c, &cmd(&["HRANDFIELD", "str", "x"])), "ERR value is not an integer or out of range");
}
