//! Sorted sets against the real mokad binary: every command, through the `redis` crate and
//! through raw sockets where the exact reply bytes matter (errors, RESP2 vs RESP3 shapes,
//! score formatting). Every expectation here was checked against redis-server 7.0.15
//! (`MOKAD_IT_TARGET=redis cargo test -p mokad --test zsets`).

mod common;

use std::collections::HashSet;

use common::{cmd, query_err, Raw, Server};
use redis::Value;

// RESP builders, so expectations read as replies.

fn b(s: &str) -> String {
    format!("${}\r\n{s}\r\n", s.len())
}

fn a(items: &[String]) -> String {
    format!("*{}\r\n{}", items.len(), items.concat())
}

fn i(n: i64) -> String {
    format!(":{n}\r\n")
}

/// A RESP3 double.
fn d(text: &str) -> String {
    format!(",{text}\r\n")
}

/// Members as bulk strings.
fn members(names: &[&str]) -> String {
    a(&names.iter().map(|m| b(m)).collect::<Vec<_>>())
}

/// RESP2 WITHSCORES: a flat array, scores as bulk strings.
fn flat(pairs: &[(&str, &str)]) -> String {
    a(&pairs.iter().flat_map(|(m, s)| [b(m), b(s)]).collect::<Vec<_>>())
}

/// RESP3 WITHSCORES: an array of [member, double] pairs.
fn pairs3(pairs: &[(&str, &str)]) -> String {
    a(&pairs.iter().map(|(m, s)| a(&[b(m), d(s)])).collect::<Vec<_>>())
}

const NIL: &str = "$-1\r\n";
const NULL3: &str = "_\r\n";
const EMPTY: &str = "*0\r\n";
const WRONGTYPE: &str = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
const SYNTAX: &str = "-ERR syntax error\r\n";
const NOT_INTEGER: &str = "-ERR value is not an integer or out of range\r\n";
const NOT_FLOAT: &str = "-ERR value is not a valid float\r\n";
const MIN_MAX_FLOAT: &str = "-ERR min or max is not a float\r\n";
const MIN_MAX_LEX: &str = "-ERR min or max not valid string range item\r\n";

/// Sends a command written as space-separated words and returns the reply text.
fn call(raw: &mut Raw, line: &str) -> String {
    raw.call_str(&line.split(' ').collect::<Vec<_>>())
}

/// A raw connection switched to RESP3.
fn raw3(server: &Server) -> Raw {
    let mut raw = server.raw();
    assert!(call(&mut raw, "HELLO 3").starts_with('%'));
    raw
}

fn strings(value: Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Value::BulkString(b) => String::from_utf8(b).unwrap(),
                other => panic!("not a bulk string: {other:?}"),
            })
            .collect(),
        other => panic!("not an array: {other:?}"),
    }
}

#[test]
fn zadd_adds_updates_and_counts_as_its_options_say() {
    let server = Server::start();
    let mut c = server.conn();
    assert_eq!(cmd(&["ZADD", "z", "1", "a", "2", "b", "3", "c"]).query::<i64>(&mut c).unwrap(), 3);
    assert_eq!(cmd(&["ZADD", "z", "10", "a", "4", "d"]).query::<i64>(&mut c).unwrap(), 1);
    assert_eq!(cmd(&["ZADD", "z", "CH", "11", "a", "5", "e", "5", "e"]).query::<i64>(&mut c).unwrap(), 2);
    assert_eq!(cmd(&["ZADD", "z", "NX", "0", "a", "6", "f"]).query::<i64>(&mut c).unwrap(), 1);
    assert_eq!(cmd(&["ZADD", "z", "XX", "CH", "0", "a", "7", "g"]).query::<i64>(&mut c).unwrap(), 1);
    // GT and LT only move existing members one way; new members are still added.
    assert_eq!(cmd(&["ZADD", "z", "GT", "CH", "-1", "a", "3", "b", "1", "h"]).query::<i64>(&mut c).unwrap(), 2);
    assert_eq!(cmd(&["ZADD", "z", "LT", "CH", "-1", "a", "9", "b"]).query::<i64>(&mut c).unwrap(), 1);
    let all: Vec<(String, f64)> = cmd(&["ZRANGE", "z", "0", "-1", "WITHSCORES"]).query(&mut c).unwrap();
    let expected = [("a", -1.0), ("h", 1.0), ("b", 3.0), ("c", 3.0), ("d", 4.0), ("e", 5.0), ("f", 6.0)];
    assert_eq!(all, expected.iter().map(|(m, s)| (m.to_string(), *s)).collect::<Vec<_>>());
    // XX on a missing key creates nothing.
    assert_eq!(cmd(&["ZADD", "none", "XX", "1", "a"]).query::<i64>(&mut c).unwrap(), 0);
    assert_eq!(cmd(&["EXISTS", "none"]).query::<i64>(&mut c).unwrap(), 0);
    assert_eq!(cmd(&["TYPE", "z"]).query::<String>(&mut c).unwrap(), "zset");
}

#[test]
fn zadd_and_zincrby_errors_are_byte_identical() {
    let server = Server::start();
    let mut raw = server.raw();
    call(&mut raw, "SET str x");
    call(&mut raw, "ZADD z 1 a");
    for (line, reply) in [
        ("ZADD z NX XX 1 a", "-ERR XX and NX options at the same time are not compatible\r\n"),
        ("ZADD z GT LT 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"),
        ("ZADD z NX GT 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"),
        ("ZADD z INCR 1 a 2 b", "-ERR INCR option supports a single increment-element pair\r\n"),
        ("ZADD z 1 a 2", SYNTAX),
        // Options end at the first non-option, so this leaves three arguments: odd.
        ("ZADD z INCR GT LT x a 1", SYNTAX),
        ("ZADD z NX XX x a", "-ERR XX and NX options at the same time are not compatible\r\n"),
        ("ZADD z XX", "-ERR wrong number of arguments for 'zadd' command\r\n"),
        ("ZADD z x a", NOT_FLOAT),
        // Scores are checked before the key's type.
        ("ZADD str x a", NOT_FLOAT),
        ("ZADD str 1 a", WRONGTYPE),
        ("ZADD z INCR -inf a", "$4\r\n-inf\r\n"),
        ("ZADD z INCR +inf a", "-ERR resulting score is not a number (NaN)\r\n"),
        ("ZINCRBY z abc a", NOT_FLOAT),
        ("ZINCRBY z nan a", NOT_FLOAT),
        ("ZINCRBY str 1 a", WRONGTYPE),
        // ZINCRBY goes through ZADD's option parser, as in Redis.
        ("ZINCRBY z nx a", SYNTAX),
        ("ZINCRBY z 1", "-ERR wrong number of arguments for 'zincrby' command\r\n"),
    ] {
        assert_eq!(call(&mut raw, line), reply, "{line}");
    }
    assert_eq!(call(&mut raw, "ZSCORE z a"), b("-inf"));
}

#[test]
fn zincrby_and_zadd_incr_reply_the_new_score_or_nil() {
    let server = Server::start();
    let mut raw = server.raw();
    assert_eq!(call(&mut raw, "ZINCRBY z 1.5 a"), b("1.5"));
    assert_eq!(call(&mut raw, "ZINCRBY z 0.1 a"), b("1.6000000000000001"));
    assert_eq!(call(&mut raw, "ZADD z INCR 1 a"), b("2.6000000000000001"));
    assert_eq!(call(&mut raw, "ZADD z NX INCR 1 a"), NIL);
    assert_eq!(call(&mut raw, "ZADD z XX INCR 1 nope"), NIL);
    assert_eq!(call(&mut raw, "ZADD z GT INCR -1 a"), NIL);
    assert_eq!(call(&mut raw, "ZADD z LT INCR -1 a"), b("1.6000000000000001"));
    assert_eq!(call(&mut raw, "ZADD none XX INCR 1 a"), NIL);
    assert_eq!(call(&mut raw, "EXISTS none"), i(0));
    let mut r3 = raw3(&server);
    assert_eq!(call(&mut r3, "ZINCRBY z 1 b"), d("1"));
    assert_eq!(call(&mut r3, "ZADD z NX INCR 1 b"), NULL3);
}

#[test]
fn scores_parse_like_strtod_and_print_like_percent_17g() {
    let server = Server::start();
    let mut raw = server.raw();
    for bad in [" 1", "1 ", "", "nan", "1e400", "1e-400", "1x", "--1"] {
        assert_eq!(raw.call_str(&["ZADD", "z", bad, "x"]), NOT_FLOAT, "{bad:?}");
    }
    for (text, shown) in [
        ("+5", "5"),
        (".5", "0.5"),
        ("5.", "5"),
        ("0x10", "16"),
        ("0x1.8", "1.5"),
        ("1.1", "1.1000000000000001"),
        ("1e18", "1e+18"),
        ("0e-400", "0"),
        ("4.9e-324", "4.9406564584124654e-324"),
        ("infinity", "inf"),
        ("-Infinity", "-inf"),
        ("1e300", "1.0000000000000001e+300"),
    ] {
        assert!(raw.call_str(&["ZADD", "z", text, "m"]).starts_with(':'), "{text}");
        assert_eq!(call(&mut raw, "ZSCORE z m"), b(shown), "{text}");
    }
    // Range ends are plain strtod: white space, the empty string and overflow are accepted.
    call(&mut raw, "DEL z");
    call(&mut raw, "ZADD z 0 zero 5 five");
    assert_eq!(raw.call_str(&["ZRANGEBYSCORE", "z", "", ""]), members(&["zero"]));
    assert_eq!(raw.call_str(&["ZRANGEBYSCORE", "z", " 5", "+5"]), members(&["five"]));
    assert_eq!(raw.call_str(&["ZRANGEBYSCORE", "z", "-1e400", "1e400"]), members(&["zero", "five"]));
    assert_eq!(raw.call_str(&["ZRANGEBYSCORE", "z", "(", "5"]), members(&["five"]));
    for (min, max) in [("5x", "6"), ("(nan", "6"), ("((1", "2"), ("1", "nan")] {
        assert_eq!(raw.call_str(&["ZRANGEBYSCORE", "z", min, max]), MIN_MAX_FLOAT, "{min} {max}");
    }
}

#[test]
fn zscore_zmscore_zcard_and_ranks() {
    let server = Server::start();
    let mut c = server.conn();
    let _: i64 = cmd(&["ZADD", "z", "1", "a", "2", "b", "2", "c", "3", "d"]).query(&mut c).unwrap();
    assert_eq!(cmd(&["ZSCORE", "z", "b"]).query::<f64>(&mut c).unwrap(), 2.0);
    assert_eq!(cmd(&["ZSCORE", "z", "x"]).query::<Value>(&mut c).unwrap(), Value::Nil);
    assert_eq!(cmd(&["ZSCORE", "none", "x"]).query::<Value>(&mut c).unwrap(), Value::Nil);
    assert_eq!(cmd(&["ZMSCORE", "z", "a", "x", "d"]).query::<Vec<Option<f64>>>(&mut c).unwrap(), [Some(1.0), None, Some(3.0)]);
    assert_eq!(cmd(&["ZMSCORE", "none", "a", "b"]).query::<Vec<Option<f64>>>(&mut c).unwrap(), [None, None]);
    assert_eq!(cmd(&["ZCARD", "z"]).query::<i64>(&mut c).unwrap(), 4);
    assert_eq!(cmd(&["ZCARD", "none"]).query::<i64>(&mut c).unwrap(), 0);
    // Equal scores rank by member bytes.
    for (member, rank, revrank) in [("a", 0, 3), ("b", 1, 2), ("c", 2, 1), ("d", 3, 0)] {
        assert_eq!(cmd(&["ZRANK", "z", member]).query::<i64>(&mut c).unwrap(), rank);
        assert_eq!(cmd(&["ZREVRANK", "z", member]).query::<i64>(&mut c).unwrap(), revrank);
    }
    assert_eq!(cmd(&["ZRANK", "z", "x"]).query::<Value>(&mut c).unwrap(), Value::Nil);
    assert_eq!(cmd(&["ZREVRANK", "none", "x"]).query::<Value>(&mut c).unwrap(), Value::Nil);
    let mut r3 = raw3(&server);
    assert_eq!(call(&mut r3, "ZSCORE z b"), d("2"));
    assert_eq!(call(&mut r3, "ZMSCORE z a x"), a(&[d("1"), NULL3.into()]));
    assert_eq!(call(&mut r3, "ZRANK z x"), NULL3);
}

#[test]
fn zrange_reads_by_rank_score_and_lex_in_both_directions() {
    let server = Server::start();
    let mut raw = server.raw();
    call(&mut raw, "ZADD z 1 a 2 b 3 c 4 d 5 e");
    for (line, reply) in [
        ("ZRANGE z 0 -1", members(&["a", "b", "c", "d", "e"])),
        ("ZRANGE z -2 -1 WITHSCORES", flat(&[("d", "4"), ("e", "5")])),
        ("ZRANGE z -100 100", members(&["a", "b", "c", "d", "e"])),
        ("ZRANGE z 3 1", EMPTY.into()),
        ("ZRANGE z 5 10", EMPTY.into()),
        ("ZRANGE z 0 1 REV", members(&["e", "d"])),
        ("ZRANGE z 0 -1 LIMIT 0 -1", members(&["a", "b", "c", "d", "e"])),
        ("ZRANGE z (1 4 BYSCORE", members(&["b", "c", "d"])),
        ("ZRANGE z 4 (1 BYSCORE REV WITHSCORES", flat(&[("d", "4"), ("c", "3"), ("b", "2")])),
        ("ZRANGE z -inf +inf BYSCORE LIMIT 1 2", members(&["b", "c"])),
        ("ZRANGE z +inf -inf BYSCORE REV LIMIT 1 2", members(&["d", "c"])),
        ("ZRANGE z -inf +inf BYSCORE LIMIT -1 2", EMPTY.into()),
        ("ZRANGE z -inf +inf BYSCORE LIMIT 3 -5", members(&["d", "e"])),
        ("ZRANGE nokey 0 -1", EMPTY.into()),
        ("ZREVRANGE z 0 1 WITHSCORES", flat(&[("e", "5"), ("d", "4")])),
        ("ZREVRANGE z -1 -1", members(&["a"])),
        ("ZRANGEBYSCORE z 2 4 WITHSCORES LIMIT 1 1", flat(&[("c", "3")])),
        ("ZRANGEBYSCORE z (2 (4", members(&["c"])),
        ("ZRANGEBYSCORE z 3 1", EMPTY.into()),
        ("ZREVRANGEBYSCORE z 4 2", members(&["d", "c", "b"])),
        ("ZREVRANGEBYSCORE z 2 4", EMPTY.into()),
        ("ZREVRANGEBYSCORE z +inf -inf LIMIT 0 1 WITHSCORES", flat(&[("e", "5")])),
    ] {
        assert_eq!(call(&mut raw, line), reply, "{line}");
    }
    call(&mut raw, "ZADD lex 0 a 0 b 0 c 0 d 0 e");
    for (line, reply) in [
        ("ZRANGE lex [b (d BYLEX", members(&["b", "c"])),
        ("ZRANGE lex [d [b BYLEX REV", members(&["d", "c", "b"])),
        ("ZRANGE lex - + BYLEX LIMIT 1 2", members(&["b", "c"])),
        ("ZRANGEBYLEX lex - +", members(&["a", "b", "c", "d", "e"])),
        ("ZRANGEBYLEX lex (a [c", members(&["b", "c"])),
        ("ZRANGEBYLEX lex [c [b", EMPTY.into()),
        ("ZRANGEBYLEX lex + -", EMPTY.into()),
        ("ZRANGEBYLEX lex - + LIMIT 3 10", members(&["d", "e"])),
        ("ZREVRANGEBYLEX lex + - LIMIT 1 1", members(&["d"])),
        ("ZREVRANGEBYLEX lex (d -", members(&["c", "b", "a"])),
        ("ZREVRANGEBYLEX lex - +", EMPTY.into()),
    ] {
        assert_eq!(call(&mut raw, line), reply, "{line}");
    }
}

#[test]
fn zrange_option_errors_are_byte_identical() {
    let server = Server::start();
    let mut raw = server.raw();
    call(&mut raw, "ZADD z 0 a 0 b");
    call(&mut raw, "SET str x");
    let limit = "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n";
    let withscores = "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n";
    for (line, reply) in [
        ("ZRANGE z 0 -1 LIMIT 0 1", limit),
        ("ZRANGE z 0 -1 LIMIT 0 -2", limit),
        ("ZREVRANGE z 0 -1 LIMIT 0 1", limit),
        ("ZRANGE z - + BYLEX WITHSCORES", withscores),
        ("ZRANGEBYLEX z - + WITHSCORES", withscores),
        ("ZRANGE z 0 -1 REV REV", SYNTAX),
        ("ZRANGE z 0 -1 BYSCORE BYLEX", SYNTAX),
        ("ZRANGE z 0 -1 LIMIT 1", SYNTAX),
        ("ZRANGE z 0 -1 FOO", SYNTAX),
        ("ZRANGEBYSCORE z 0 1 REV", SYNTAX),
        ("ZRANGEBYSCORE z 0 1 BYSCORE", SYNTAX),
        ("ZREVRANGE z 0 1 REV", SYNTAX),
        ("ZRANGE z 0 -1 LIMIT x 1", NOT_INTEGER),
        ("ZRANGE z a b", NOT_INTEGER),
        ("ZRANGE nokey a 1", NOT_INTEGER),
        ("ZRANGE z (a b BYSCORE", MIN_MAX_FLOAT),
        ("ZRANGE z a b BYLEX", MIN_MAX_LEX),
        ("ZRANGEBYLEX z +x +", MIN_MAX_LEX),
        ("ZRANGE str 0 1", WRONGTYPE),
        ("ZRANGE str a 1", NOT_INTEGER),
        ("ZRANGESTORE d z 0 -1 WITHSCORES", SYNTAX),
        ("ZRANGE z 0", "-ERR wrong number of arguments for 'zrange' command\r\n"),
    ] {
        assert_eq!(call(&mut raw, line), reply, "{line}");
    }
}

#[test]
fn zcount_and_zlexcount_count_ranges() {
    let server = Server::start();
    let mut raw = server.raw();
    call(&mut raw, "ZADD z 1 a 2 b 3 c 4 d inf e");
    call(&mut raw, "ZADD lex 0 a 0 b 0 c 0 d");
    call(&mut raw, "SET str x");
    for (line, reply) in [
        ("ZCOUNT z -inf +inf", i(5)),
        ("ZCOUNT z (1 3", i(2)),
        ("ZCOUNT z (inf inf", i(0)),
        ("ZCOUNT z (4 inf", i(1)),
        ("ZCOUNT z 3 1", i(0)),
        ("ZCOUNT nokey 0 1", i(0)),
        ("ZCOUNT z abc 3", MIN_MAX_FLOAT.into()),
        ("ZCOUNT str x 1", MIN_MAX_FLOAT.into()),
        ("ZCOUNT str 0 1", WRONGTYPE.into()),
        ("ZLEXCOUNT lex - +", i(4)),
        ("ZLEXCOUNT lex [b (d", i(2)),
        ("ZLEXCOUNT lex + -", i(0)),
        ("ZLEXCOUNT lex [ (", i(0)),
        ("ZLEXCOUNT lex a b", MIN_MAX_LEX.into()),
        ("ZLEXCOUNT lex [a", "-ERR wrong number of arguments for 'zlexcount' command\r\n".into()),
        ("ZLEXCOUNT str [a +", WRONGTYPE.into()),
    ] {
        assert_eq!(call(&mut raw, line), reply, "{line}");
    }
    assert_eq!(raw.call_str(&["ZLEXCOUNT", "lex", "", "+"]), MIN_MAX_LEX);
}

#[test]
fn lex_ranges_over_mixed_scores_follow_the_listpack_walk() {
    let server = Server::start();
    let mut raw = server.raw();
    call(&mut raw, "ZADD mixed 1 n 3 c 6 x 7 b 8 a");
    assert_eq!(call(&mut raw, "ZRANGEBYLEX mixed [a +"), members(&["n", "c", "x", "b", "a"]));
    assert_eq!(call(&mut raw, "ZRANGEBYLEX mixed [a [n"), members(&["n", "c"]));
    assert_eq!(call(&mut raw, "ZLEXCOUNT mixed [a [n"), i(2));
    assert_eq!(call(&mut raw, "ZREVRANGEBYLEX mixed [x -"), members(&["a", "b", "x", "c", "n"]));
    // The last member is below [b.
    assert_eq!(call(&mut raw, "ZREVRANGEBYLEX mixed + [b"), EMPTY);
    // The first member is above [c, so Redis looks no further.
    assert_eq!(call(&mut raw, "ZREVRANGEBYLEX mixed [c -"), EMPTY);
    assert_eq!(call(&mut raw, "ZREMRANGEBYLEX mixed [a [n"), i(2));
    assert_eq!(call(&mut raw, "ZRANGE mixed 0 -1"), members(&["x", "b", "a"]));
}

#[test]
fn zrangestore_stores_the_range_or_deletes_the_destination() {
    let server = Server::start();
    let mut raw = server.raw();
    call(&mut raw, "ZADD z 1 a 2 b 3 c");
    call(&mut raw, "SET str x");
    assert_eq!(call(&mut raw, "ZRANGESTORE dst z 0 1"), i(2));
    assert_eq!(call(&mut raw, "ZRANGE dst 0 -1 WITHSCORES"), flat(&[("a", "1"), ("b", "2")]));
    assert_eq!(call(&mut raw, "ZRANGESTORE dst z 3 1 BYSCORE REV LIMIT 0 2"), i(2));
    assert_eq!(call(&mut raw, "ZRANGE dst 0 -1 WITHSCORES"), flat(&[("b", "2"), ("c", "3")]));
    assert_eq!(call(&mut raw, "ZRANGESTORE dst z [b + BYLEX LIMIT 1 1"), i(1));
    assert_eq!(call(&mut raw, "ZRANGE dst 0 -1 WITHSCORES"), flat(&[("c", "3")]));
    assert_eq!(call(&mut raw, "ZRANGESTORE dst z 5 10"), i(0));
    assert_eq!(call(&mut raw, "EXISTS dst"), i(0));
    assert_eq!(call(&mut raw, "ZRANGESTORE dst nokey 0 -1"), i(0));
    assert_eq!(call(&mut raw, "ZRANGESTORE dst str 0 -1"), WRONGTYPE);
    // The destination is replaced whatever it held.
    assert_eq!(call(&mut raw, "ZRANGESTORE str z 0 0"), i(1));
    assert_eq!(call(&mut raw, "TYPE str"), "+zset\r\n");
}

#[test]
fn removals_reply_counts_and_delete_emptied_keys() {
    let server = Server::start();
    let mut raw = server.raw();
    call(&mut raw, "SET str x");
    call(&mut raw, "ZADD z 1 a 2 b 3 c");
    assert_eq!(call(&mut raw, "ZREM z a nope a"), i(1));
    assert_eq!(call(&mut raw, "ZREM nokey a"), i(0));
    assert_eq!(call(&mut raw, "ZREM str a"), WRONGTYPE);
    assert_eq!(call(&mut raw, "ZREM z b c d"), i(2));
    assert_eq!(call(&mut raw, "EXISTS z"), i(0));

    call(&mut raw, "ZADD z 1 a 2 b 3 c 4 d 5 e");
    for (line, reply) in [
        ("ZREMRANGEBYSCORE z (1 3", i(2)),
        ("ZREMRANGEBYSCORE z x 3", MIN_MAX_FLOAT.into()),
        ("ZREMRANGEBYSCORE nokey 1 3", i(0)),
        ("ZREMRANGEBYSCORE str 1 3", WRONGTYPE.into()),
        ("ZREMRANGEBYSCORE z 10 20", i(0)),
        ("ZRANGE z 0 -1", members(&["a", "d", "e"])),
        ("ZREMRANGEBYRANK z 0 0", i(1)),
        ("ZREMRANGEBYRANK z x 0", NOT_INTEGER.into()),
        ("ZREMRANGEBYRANK z 5 10", i(0)),
        ("ZREMRANGEBYRANK z -1 -1", i(1)),
        ("ZREMRANGEBYRANK str 0 1", WRONGTYPE.into()),
        ("ZRANGE z 0 -1", members(&["d"])),
        ("ZREMRANGEBYRANK z 0 -1", i(1)),
        ("EXISTS z", i(0)),
        ("ZADD z 0 a 0 b 0 c", i(3)),
        ("ZREMRANGEBYLEX z [a (c", i(2)),
        ("ZREMRANGEBYLEX z a b", MIN_MAX_LEX.into()),
        ("ZREMRANGEBYLEX str - +", WRONGTYPE.into()),
        ("ZREMRANGEBYLEX z - +", i(1)),
        ("EXISTS z", i(0)),
    ] {
        assert_eq!(call(&mut raw, line), reply, "{line}");
    }
}

#[test]
fn zpopmin_and_zpopmax_reply_flat_or_nested_by_protocol_and_count() {
    let server = Server::start();
    let mut raw = server.raw();
    call(&mut raw, "SET str x");
    call(&mut raw, "ZADD z 1 a 2 b 3 c 4 d");
    for (line, reply) in [
        ("ZPOPMIN z", flat(&[("a", "1")])),
        ("ZPOPMAX z 2", flat(&[("d", "4"), ("c", "3")])),
        ("ZPOPMIN z 0", EMPTY.into()),
        ("ZPOPMIN z -1", "-ERR value is out of range, must be positive\r\n".into()),
        ("ZPOPMIN z x", "-ERR value is out of range, must be positive\r\n".into()),
        ("ZPOPMIN z 1 2", SYNTAX.into()),
        ("ZPOPMIN str", WRONGTYPE.into()),
        ("ZPOPMIN str 0", WRONGTYPE.into()),
        ("ZPOPMIN nokey", EMPTY.into()),
        ("ZPOPMIN nokey 2", EMPTY.into()),
        ("ZPOPMAX z 10", flat(&[("b", "2")])),
        ("EXISTS z", i(0)),
    ] {
        assert_eq!(call(&mut raw, line), reply, "{line}");
    }
    let mut r3 = raw3(&server);
    call(&mut r3, "ZADD z 1 a 2 b 3 c");
    // Without a count RESP3 is a flat pair; with one, an array of pairs.
    assert_eq!(call(&mut r3, "ZPOPMIN z"), a(&[b("a"), d("1")]));
    assert_eq!(call(&mut r3, "ZPOPMIN z 1"), pairs3(&[("b", "2")]));
    assert_eq!(call(&mut r3, "ZPOPMAX z 5"), pairs3(&[("c", "3")]));
    assert_eq!(call(&mut r3, "ZPOPMAX z"), EMPTY);
}

/// ZMPOP/BZMPOP's reply: the key, then the popped `[member, score]` pairs, nested in RESP2 too;
/// `score` writes a score as the protocol does.
fn mpop(key: &str, pairs: &[(&str, &str)], score: fn(&str) -> String) -> String {
    a(&[b(key), a(&pairs.iter().map(|(m, s)| a(&[b(m), score(s)])).collect::<Vec<_>>())])
}

#[test]
fn zmpop_pops_from_the_first_sorted_set_among_its_keys_and_checks_arguments_as_redis_does() {
    let server = Server::start();
    let mut raw = server.raw();
    call(&mut raw, "SET str x");
    call(&mut raw, "ZADD z 1 a 2 b 3 c 0.1 d -inf e");
    let resp2 = |s: &str| b(s);
    for (line, reply) in [
        ("ZMPOP 1 z MIN", mpop("z", &[("e", "-inf")], resp2)),
        ("ZMPOP 2 nokey z max count 2", mpop("z", &[("c", "3"), ("b", "2")], resp2)),
        ("ZMPOP 2 nokey nokey2 MIN", "*-1\r\n".into()),
        // The first key that exists decides: another type fails even with a sorted set after it.
        ("ZMPOP 3 nokey str z MIN", WRONGTYPE.into()),
        ("ZMPOP 2 z str MIN", mpop("z", &[("d", "0.10000000000000001")], resp2)),
        ("ZMPOP 0 z MIN", "-ERR numkeys should be greater than 0\r\n".into()),
        ("ZMPOP -1 z MIN", "-ERR numkeys should be greater than 0\r\n".into()),
        ("ZMPOP x z MIN", "-ERR numkeys should be greater than 0\r\n".into()),
        ("ZMPOP 9223372036854775808 z MIN", "-ERR numkeys should be greater than 0\r\n".into()),
        ("ZMPOP 2 z MIN", SYNTAX.into()),
        ("ZMPOP 9223372036854775807 z MIN", SYNTAX.into()),
        ("ZMPOP 1 z LEFT", SYNTAX.into()),
        ("ZMPOP 1 z MIN COUNT 0", "-ERR count should be greater than 0\r\n".into()),
        ("ZMPOP 1 z MIN COUNT -1", "-ERR count should be greater than 0\r\n".into()),
        ("ZMPOP 1 z MIN COUNT x", "-ERR count should be greater than 0\r\n".into()),
        ("ZMPOP 1 z MIN COUNT", SYNTAX.into()),
        ("ZMPOP 1 z MIN COUNT 1 COUNT 1", SYNTAX.into()),
        ("ZMPOP 1 z MIN foo", SYNTAX.into()),
        ("ZMPOP 1 z", "-ERR wrong number of arguments for 'zmpop' command\r\n".into()),
        ("ZCARD z", i(1)),
        // A count beyond the size takes what there is, and the emptied key goes.
        ("ZMPOP 1 z MIN COUNT 9223372036854775807", mpop("z", &[("a", "1")], resp2)),
        ("EXISTS z", i(0)),
        ("ZMPOP 1 z MIN", "*-1\r\n".into()),
    ] {
        assert_eq!(call(&mut raw, line), reply, "{line}");
    }
    let mut r3 = raw3(&server);
    call(&mut r3, "ZADD z 1 a 2 b -0 c");
    assert_eq!(call(&mut r3, "ZMPOP 1 z MIN COUNT 2"), mpop("z", &[("c", "0"), ("a", "1")], d));
    assert_eq!(call(&mut r3, "ZMPOP 1 z MAX"), mpop("z", &[("b", "2")], d));
    assert_eq!(call(&mut r3, "ZMPOP 1 z MAX"), NULL3);
}

#[test]
fn bzmpop_pops_at_once_when_it_can_and_never_blocks_inside_multi() {
    let server = Server::start();
    let mut raw = server.raw();
    call(&mut raw, "SET str x");
    call(&mut raw, "ZADD z 1 a 2 b 3 c");
    for (line, reply) in [
        ("BZMPOP 0 2 nokey z MAX COUNT 2", mpop("z", &[("c", "3"), ("b", "2")], b)),
        ("BZMPOP 0.01 1 nokey MIN", "*-1\r\n".into()),
        ("BZMPOP 0 1 str MIN", WRONGTYPE.into()),
        ("BZMPOP 0 2 nokey str MIN", WRONGTYPE.into()),
        ("BZMPOP x 1 z MIN", "-ERR timeout is not a float or out of range\r\n".into()),
        ("BZMPOP -1 1 z MIN", "-ERR timeout is negative\r\n".into()),
        // numkeys, the end and COUNT are read before the timeout.
        ("BZMPOP x 0 z MIN", "-ERR numkeys should be greater than 0\r\n".into()),
        ("BZMPOP x 2 z MIN", SYNTAX.into()),
        ("BZMPOP x 1 z UP", SYNTAX.into()),
        ("BZMPOP x 1 z MIN COUNT 0", "-ERR count should be greater than 0\r\n".into()),
        ("BZMPOP 0 1 z", "-ERR wrong number of arguments for 'bzmpop' command\r\n".into()),
        ("BZMPOP 0 1 z MIN COUNT 5", mpop("z", &[("a", "1")], b)),
        ("EXISTS z", i(0)),
        ("MULTI", "+OK\r\n".into()),
        ("BZMPOP 0 1 z MIN", "+QUEUED\r\n".into()),
        ("ZADD z 5 e", "+QUEUED\r\n".into()),
        ("BZMPOP 0 1 z MAX", "+QUEUED\r\n".into()),
        ("EXEC", format!("*3\r\n*-1\r\n{}{}", i(1), mpop("z", &[("e", "5")], b))),
    ] {
        assert_eq!(call(&mut raw, line), reply, "{line}");
    }
    let mut r3 = raw3(&server);
    call(&mut r3, "ZADD z 0.1 a");
    assert_eq!(call(&mut r3, "BZMPOP 0 1 z MIN"), mpop("z", &[("a", "0.10000000000000001")], d));
    assert_eq!(call(&mut r3, "BZMPOP 0.01 1 z MIN"), NULL3);
}

#[test]
fn zmpop_and_bzmpop_answer_the_redis_crate_in_both_protocols() {
    let server = Server::start();
    for mut c in [server.conn(), server.conn3()] {
        let _: i64 = cmd(&["ZADD", "z", "1", "a", "2.5", "b", "3", "c"]).query(&mut c).unwrap();
        let popped: Option<(String, Vec<(String, f64)>)> = redis::Commands::zmpop_max(&mut c, &["nokey", "z"], 2).unwrap();
        assert_eq!(popped, Some(("z".into(), vec![("c".into(), 3.0), ("b".into(), 2.5)])));
        let popped: Option<(String, Vec<(String, f64)>)> = redis::Commands::bzmpop_min(&mut c, 0.0, "z", 10).unwrap();
        assert_eq!(popped, Some(("z".into(), vec![("a".into(), 1.0)])));
        let popped: Option<(String, Vec<(String, f64)>)> = redis::Commands::zmpop_min(&mut c, "z", 1).unwrap();
        assert_eq!(popped, None);
        let popped: Option<(String, Vec<(String, f64)>)> = redis::Commands::bzmpop_max(&mut c, 0.05, &["z", "y"], 1).unwrap();
        assert_eq!(popped, None);
    }
}

#[test]
fn zrandmember_picks_distinct_or_repeated_members() {
    let server = Server::start();
    let mut c = server.conn();
    let mut raw = server.raw();
    let names: Vec<String> = (0..20).map(|n| format!("m{n:02}")).collect();
    let mut add = vec!["ZADD".to_string(), "z".into()];
    for (n, name) in names.iter().enumerate() {
        add.push(n.to_string());
        add.push(name.clone());
    }
    let _: i64 = cmd(&add.iter().map(String::as_str).collect::<Vec<_>>()).query(&mut c).unwrap();
    let all: HashSet<String> = names.iter().cloned().collect();
    let one: String = cmd(&["ZRANDMEMBER", "z"]).query(&mut c).unwrap();
    assert!(all.contains(&one));
    for count in ["5", "10", "19"] {
        let picked = strings(cmd(&["ZRANDMEMBER", "z", count]).query(&mut c).unwrap());
        let distinct: HashSet<String> = picked.iter().cloned().collect();
        assert_eq!(distinct.len(), picked.len(), "ZRANDMEMBER {count} repeated a member");
        assert_eq!(picked.len(), count.parse::<usize>().unwrap());
        assert!(distinct.is_subset(&all));
    }
    // A count past the size gives the whole set, highest first, as Redis walks it.
    let everything = strings(cmd(&["ZRANDMEMBER", "z", "100"]).query(&mut c).unwrap());
    assert_eq!(everything, names.iter().rev().cloned().collect::<Vec<_>>());
    let repeated = strings(cmd(&["ZRANDMEMBER", "z", "-50"]).query(&mut c).unwrap());
    assert_eq!(repeated.len(), 50);
    assert!(repeated.iter().all(|m| all.contains(m)));
    let with: Vec<(String, f64)> = cmd(&["ZRANDMEMBER", "z", "-3", "WITHSCORES"]).query(&mut c).unwrap();
    for (member, score) in with {
        assert_eq!(format!("m{:02}", score as usize), member);
    }
    call(&mut raw, "SET str x");
    for (line, reply) in [
        ("ZRANDMEMBER z 0", EMPTY.to_string()),
        ("ZRANDMEMBER z x", NOT_INTEGER.into()),
        ("ZRANDMEMBER z 1 WITHSCORE", SYNTAX.into()),
        ("ZRANDMEMBER z 1 WITHSCORES x", SYNTAX.into()),
        ("ZRANDMEMBER z -9223372036854775807 WITHSCORES", "-ERR value is out of range\r\n".into()),
        ("ZRANDMEMBER z 4611686018427387904 WITHSCORES", "-ERR value is out of range\r\n".into()),
        ("ZRANDMEMBER str", WRONGTYPE.into()),
        ("ZRANDMEMBER str 0", WRONGTYPE.into()),
        ("ZRANDMEMBER nokey", NIL.into()),
        ("ZRANDMEMBER nokey 5 WITHSCORES", EMPTY.into()),
    ] {
        assert_eq!(call(&mut raw, line), reply, "{line}");
    }
    let mut r3 = raw3(&server);
    call(&mut r3, "ZADD one 7 only");
    assert_eq!(call(&mut r3, "ZRANDMEMBER one 2 WITHSCORES"), pairs3(&[("only", "7")]));
    assert_eq!(call(&mut r3, "ZRANDMEMBER one -2 WITHSCORES"), pairs3(&[("only", "7"), ("only", "7")]));
    assert_eq!(call(&mut r3, "ZRANDMEMBER nokey"), NULL3);
}

#[test]
fn zscan_returns_a_small_set_whole_and_walks_a_large_one() {
    let server = Server::start();
    let mut raw = server.raw();
    call(&mut raw, "SET str x");
    call(&mut raw, "ZADD z 1.5 a 1e18 b 3 c");
    // A listpack-sized set: everything at once, in order, integral scores as integers.
    let page = a(&[b("0"), a(&[b("a"), b("1.5"), b("c"), b("3"), b("b"), b("1000000000000000000")])]);
    assert_eq!(call(&mut raw, "ZSCAN z 0"), page);
    assert_eq!(call(&mut raw, "ZSCAN z 0 COUNT 1 MATCH [ab]"), a(&[b("0"), a(&[b("a"), b("1.5"), b("b"), b("1000000000000000000")])]));
    for (line, reply) in [
        ("ZSCAN z x", "-ERR invalid cursor\r\n"),
        ("ZSCAN z 0 COUNT 0", SYNTAX),
        ("ZSCAN z 0 COUNT x", NOT_INTEGER),
        ("ZSCAN z 0 MATCH", SYNTAX),
        ("ZSCAN z 0 TYPE zset", SYNTAX),
        ("ZSCAN str 0", WRONGTYPE),
        // Options are only read once the key is found.
        ("ZSCAN nokey 0 COUNT 0", "*2\r\n$1\r\n0\r\n*0\r\n"),
    ] {
        assert_eq!(call(&mut raw, line), reply, "{line}");
    }

    // A large set comes in pages; removing members mid-way loses none of the others.
    let mut c = server.conn();
    let mut add = vec!["ZADD".to_string(), "big".into()];
    for n in 0..1000 {
        add.push(n.to_string());
        add.push(format!("m{n}"));
    }
    let _: i64 = cmd(&add.iter().map(String::as_str).collect::<Vec<_>>()).query(&mut c).unwrap();
    let mut seen = HashSet::new();
    let mut cursor = "0".to_string();
    let mut pages = 0;
    loop {
        let (next, items): (String, Vec<String>) = cmd(&["ZSCAN", "big", &cursor, "COUNT", "50"]).query(&mut c).unwrap();
        for pair in items.chunks(2) {
            assert_eq!(pair[0], format!("m{}", pair[1]));
            seen.insert(pair[0].clone());
        }
        pages += 1;
        if pages == 3 {
            // Members not returned yet stay; the removed ones may or may not come back.
            let _: i64 = cmd(&["ZREM", "big", "m0", "m1", "m500", "m999"]).query(&mut c).unwrap();
        }
        if next == "0" {
            break;
        }
        cursor = next;
        assert!(pages < 1000, "ZSCAN does not finish");
    }
    assert!(pages > 10, "a large set comes in several pages ({pages})");
    for n in (0..1000).filter(|n| ![0, 1, 500, 999].contains(n)) {
        assert!(seen.contains(&format!("m{n}")), "m{n} was never returned");
    }
}

#[test]
fn zunion_zinter_and_zdiff_combine_weights_and_aggregates() {
    let server = Server::start();
    let mut raw = server.raw();
    call(&mut raw, "ZADD z 1 a 2 b 3 c");
    call(&mut raw, "ZADD z2 2 b 3 c 4 d");
    call(&mut raw, "SET str x");
    for (line, reply) in [
        ("ZUNION 2 z z2 WITHSCORES", flat(&[("a", "1"), ("b", "4"), ("d", "4"), ("c", "6")])),
        ("ZUNION 2 z z2", members(&["a", "b", "d", "c"])),
        ("ZUNION 3 z z2 nokey AGGREGATE MAX WITHSCORES", flat(&[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")])),
        ("ZUNION 2 z z2 WEIGHTS inf -inf WITHSCORES", flat(&[("d", "-inf"), ("b", "0"), ("c", "0"), ("a", "inf")])),
        ("ZUNION 2 z z2 WEIGHTS 0 inf WITHSCORES", flat(&[("a", "0"), ("b", "inf"), ("c", "inf"), ("d", "inf")])),
        ("ZUNION 2 z z WITHSCORES", flat(&[("a", "2"), ("b", "4"), ("c", "6")])),
        ("ZINTER 2 z z2 WITHSCORES", flat(&[("b", "4"), ("c", "6")])),
        ("ZINTER 2 z z2 WEIGHTS 1 2 AGGREGATE MIN WITHSCORES", flat(&[("b", "2"), ("c", "3")])),
        ("ZINTER 2 z z2 AGGREGATE max WEIGHTS 3 1 WITHSCORES", flat(&[("b", "6"), ("c", "9")])),
        ("ZINTER 1 z WEIGHTS 2 WITHSCORES", flat(&[("a", "2"), ("b", "4"), ("c", "6")])),
        ("ZINTER 2 z nokey WITHSCORES", EMPTY.into()),
        ("ZDIFF 2 z z2 WITHSCORES", flat(&[("a", "1")])),
        ("ZDIFF 2 z z WITHSCORES", EMPTY.into()),
        ("ZDIFF 3 z nokey z2", members(&["a"])),
        ("ZDIFF 1 nokey", EMPTY.into()),
    ] {
        assert_eq!(call(&mut raw, line), reply, "{line}");
    }
    for (line, reply) in [
        ("ZUNION 0 z", "-ERR at least 1 input key is needed for 'zunion' command\r\n"),
        ("ZUNIONSTORE d -1 z", "-ERR at least 1 input key is needed for 'zunionstore' command\r\n"),
        ("ZUNIONSTORE d x z", NOT_INTEGER),
        ("ZUNIONSTORE d 3 z z2", SYNTAX),
        ("ZUNIONSTORE d 2 z z2 WITHSCORES", SYNTAX),
        ("ZINTER 2 z z2 WEIGHTS 2 WITHSCORES", "-ERR weight value is not a float\r\n"),
        ("ZINTER 2 z z2 WEIGHTS 2", SYNTAX),
        ("ZINTER 2 z z2 AGGREGATE avg", SYNTAX),
        ("ZINTER 2 z z2 AGGREGATE", SYNTAX),
        // Inputs are type-checked before the options are read.
        ("ZINTER 2 z str WEIGHTS x y", WRONGTYPE),
        ("ZINTER 2 nokey str", WRONGTYPE),
        ("ZDIFF 2 z z2 WEIGHTS 1 1", SYNTAX),
        ("ZDIFF 2 z z2 AGGREGATE SUM", SYNTAX),
    ] {
        assert_eq!(call(&mut raw, line), reply, "{line}");
    }
    let mut r3 = raw3(&server);
    assert_eq!(call(&mut r3, "ZINTER 2 z z2 WITHSCORES"), pairs3(&[("b", "4"), ("c", "6")]));
    assert_eq!(call(&mut r3, "ZDIFF 2 z z2"), members(&["a"]));
}

#[test]
fn store_commands_replace_or_delete_their_destination() {
    let server = Server::start();
    let mut raw = server.raw();
    call(&mut raw, "ZADD z 1 a 2 b 3 c");
    call(&mut raw, "ZADD z2 2 b 3 c 4 d");
    call(&mut raw, "SET str x");
    for (line, reply) in [
        ("ZUNIONSTORE d 2 z z2 WEIGHTS 1 10", i(4)),
        ("ZRANGE d 0 -1 WITHSCORES", flat(&[("a", "1"), ("b", "22"), ("c", "33"), ("d", "40")])),
        ("ZINTERSTORE d 2 z2 z WEIGHTS 1 inf", i(2)),
        ("ZRANGE d 0 -1 WITHSCORES", flat(&[("b", "inf"), ("c", "inf")])),
        ("ZDIFFSTORE d 2 z z2", i(1)),
        ("ZRANGE d 0 -1 WITHSCORES", flat(&[("a", "1")])),
        ("ZINTERSTORE d 2 z nokey", i(0)),
        ("EXISTS d", i(0)),
        ("ZDIFFSTORE d 1 nokey", i(0)),
        ("ZINTERSTORE str 1 z", i(3)),
        ("TYPE str", "+zset\r\n".into()),
        // A destination that is also an input is read before it is replaced.
        ("ZUNIONSTORE z 2 z z2", i(4)),
        ("ZRANGE z 0 -1 WITHSCORES", flat(&[("a", "1"), ("b", "4"), ("d", "4"), ("c", "6")])),
        ("SET str x", "+OK\r\n".into()),
        ("ZUNIONSTORE d 2 z str", WRONGTYPE.into()),
    ] {
        assert_eq!(call(&mut raw, line), reply, "{line}");
    }
}

#[test]
fn zintercard_counts_the_intersection_up_to_its_limit() {
    let server = Server::start();
    let mut raw = server.raw();
    call(&mut raw, "ZADD z 1 a 2 b 3 c");
    call(&mut raw, "ZADD z2 2 b 3 c 4 d");
    call(&mut raw, "SET str x");
    for (line, reply) in [
        ("ZINTERCARD 2 z z2", i(2)),
        ("ZINTERCARD 2 z z2 LIMIT 1", i(1)),
        ("ZINTERCARD 2 z z2 LIMIT 0", i(2)),
        ("ZINTERCARD 1 z LIMIT 5", i(3)),
        ("ZINTERCARD 2 z nokey", i(0)),
        ("ZINTERCARD 0 z", "-ERR at least 1 input key is needed for 'zintercard' command\r\n".into()),
        ("ZINTERCARD 1 z LIMIT -1", "-ERR LIMIT can't be negative\r\n".into()),
        ("ZINTERCARD 1 z LIMIT x", "-ERR LIMIT can't be negative\r\n".into()),
        ("ZINTERCARD 1 z WITHSCORES", SYNTAX.into()),
        ("ZINTERCARD 2 z z2 LIMIT", SYNTAX.into()),
        ("ZINTERCARD 2 z str", WRONGTYPE.into()),
    ] {
        assert_eq!(call(&mut raw, line), reply, "{line}");
    }
}

#[test]
fn plain_sets_are_inputs_with_score_one() {
    let server = Server::start();
    let mut raw = server.raw();
    call(&mut raw, "ZADD z 1 a 2 b 3 c");
    call(&mut raw, "SADD s a b x");
    for (line, reply) in [
        ("ZUNION 2 z s WITHSCORES", flat(&[("x", "1"), ("a", "2"), ("b", "3"), ("c", "3")])),
        ("ZINTER 2 z s WITHSCORES AGGREGATE MAX", flat(&[("a", "1"), ("b", "2")])),
        ("ZDIFF 2 z s WITHSCORES", flat(&[("c", "3")])),
        ("ZUNIONSTORE d 2 s s", i(3)),
        ("ZRANGE d 0 -1 WITHSCORES", flat(&[("a", "2"), ("b", "2"), ("x", "2")])),
        ("ZINTERCARD 2 z s", i(2)),
        // Only the set operations take plain sets.
        ("ZRANGE s 0 -1", WRONGTYPE.into()),
    ] {
        assert_eq!(call(&mut raw, line), reply, "{line}");
    }
}

#[test]
fn every_sorted_set_command_refuses_another_type() {
    let server = Server::start();
    let mut c = server.conn();
    let _: () = redis::cmd("SET").arg("str").arg("x").query(&mut c).unwrap();
    for args in [
        &["ZADD", "str", "1", "a"][..],
        &["ZINCRBY", "str", "1", "a"],
        &["ZSCORE", "str", "a"],
        &["ZMSCORE", "str", "a"],
        &["ZCARD", "str"],
        &["ZCOUNT", "str", "0", "1"],
        &["ZLEXCOUNT", "str", "-", "+"],
        &["ZRANK", "str", "a"],
        &["ZREVRANK", "str", "a"],
        &["ZRANGE", "str", "0", "1"],
        &["ZREVRANGE", "str", "0", "1"],
        &["ZRANGEBYSCORE", "str", "0", "1"],
        &["ZREVRANGEBYSCORE", "str", "1", "0"],
        &["ZRANGEBYLEX", "str", "-", "+"],
        &["ZREVRANGEBYLEX", "str", "+", "-"],
        &["ZRANGESTORE", "d", "str", "0", "1"],
        &["ZREM", "str", "a"],
        &["ZREMRANGEBYSCORE", "str", "0", "1"],
        &["ZREMRANGEBYRANK", "str", "0", "1"],
        &["ZREMRANGEBYLEX", "str", "-", "+"],
        &["ZPOPMIN", "str"],
        &["ZPOPMAX", "str", "2"],
        &["ZMPOP", "1", "str", "MIN"],
        &["BZMPOP", "0", "2", "nokey", "str", "MAX"],
        &["ZRANDMEMBER", "str"],
        &["ZSCAN", "str", "0"],
        &["ZUNION", "1", "str"],
        &["ZINTER", "1", "str"],
        &["ZDIFF", "1", "str"],
        &["ZINTERCARD", "1", "str"],
        &["ZUNIONSTORE", "d", "1", "str"],
        &["ZINTERSTORE", "d", "1", "str"],
        &["ZDIFFSTORE", "d", "1", "str"],
    ] {
        assert_eq!(query_err(&mut c, &cmd(args)), "WRONGTYPE Operation against a key holding the wrong kind of value", "{args:?}");
    }
    // A sorted set is refused by the string commands in turn.
    let _: i64 = cmd(&["ZADD", "z", "1", "a"]).query(&mut c).unwrap();
    assert_eq!(query_err(&mut c, &cmd(&["GET", "z"])), "WRONGTYPE Operation against a key holding the wrong kind of value");
}

#[test]
fn resp3_clients_get_doubles_and_pairs() {
    let server = Server::start();
    let mut c = server.conn3();
    let _: i64 = cmd(&["ZADD", "z", "1.5", "a", "2", "b"]).query(&mut c).unwrap();
    assert_eq!(cmd(&["ZSCORE", "z", "a"]).query::<Value>(&mut c).unwrap(), Value::Double(1.5));
    assert_eq!(cmd(&["ZINCRBY", "z", "1", "a"]).query::<Value>(&mut c).unwrap(), Value::Double(2.5));
    let pair = |m: &str, s: f64| Value::Array(vec![Value::BulkString(m.as_bytes().to_vec()), Value::Double(s)]);
    assert_eq!(
        cmd(&["ZRANGE", "z", "0", "-1", "WITHSCORES"]).query::<Value>(&mut c).unwrap(),
        Value::Array(vec![pair("b", 2.0), pair("a", 2.5)])
    );
    assert_eq!(
        cmd(&["ZUNION", "1", "z", "WITHSCORES"]).query::<Value>(&mut c).unwrap(),
        Value::Array(vec![pair("b", 2.0), pair("a", 2.5)])
    );
    assert_eq!(cmd(&["ZPOPMAX", "z"]).query::<Value>(&mut c).unwrap(), Value::Array(vec![Value::BulkString(b"a".to_vec()), Value::Double(2.5)]));
    // ZSCAN scores are strings in both protocols.
    assert_eq!(
        cmd(&["ZSCAN", "z", "0"]).query::<Value>(&mut c).unwrap(),
        Value::Array(vec![Value::BulkString(b"0".to_vec()), Value::Array(vec![Value::BulkString(b"b".to_vec()), Value::BulkString(b"2".to_vec())])])
    );
}

#[test]
fn minus_zero_is_zero_in_small_sets_and_kept_in_large_ones() {
    let server = Server::start();
    let mut raw = server.raw();
    // Redis's listpack stores an integral score as an integer, which has no -0.
    assert_eq!(call(&mut raw, "ZADD small INCR -0 m"), b("-0"));
    assert_eq!(call(&mut raw, "ZSCORE small m"), b("0"));
    let mut add = String::from("ZADD big");
    for n in 0..130 {
        add.push_str(&format!(" {n} m{n}"));
    }
    assert_eq!(call(&mut raw, &add), i(130));
    assert_eq!(call(&mut raw, "ZADD big -0 neg"), i(1));
    assert_eq!(call(&mut raw, "ZSCORE big neg"), b("-0"));
    assert_eq!(call(&mut raw, "ZINCRBY big 0 neg"), b("0"));
    assert_eq!(call(&mut raw, "ZSCORE big neg"), b("-0"));
    // Results too large for a listpack keep -0; small ones lose it.
    assert_eq!(call(&mut raw, "ZUNION 1 small WEIGHTS -1 WITHSCORES"), flat(&[("m", "-0")]));
    assert_eq!(call(&mut raw, "ZUNIONSTORE d 1 small WEIGHTS -1"), i(1));
    assert_eq!(call(&mut raw, "ZSCORE d m"), b("0"));
    assert_eq!(call(&mut raw, "ZUNIONSTORE d 1 big"), i(131));
    assert_eq!(call(&mut raw, "ZSCORE d neg"), b("-0"));
}

#[test]
fn large_sets_answer_ranks_and_ranges_from_both_ends() {
    let server = Server::start();
    let mut c = server.conn();
    let n = 20_000;
    let mut add = vec!["ZADD".to_string(), "big".into()];
    for k in 0..n {
        add.push(k.to_string());
        add.push(format!("m{k:05}"));
    }
    let _: i64 = cmd(&add.iter().map(String::as_str).collect::<Vec<_>>()).query(&mut c).unwrap();
    let last: Vec<String> = cmd(&["ZRANGE", "big", "-3", "-1"]).query(&mut c).unwrap();
    assert_eq!(last, ["m19997", "m19998", "m19999"]);
    let first: Vec<String> = cmd(&["ZREVRANGE", "big", "-2", "-1"]).query(&mut c).unwrap();
    assert_eq!(first, ["m00001", "m00000"]);
    let middle: Vec<String> = cmd(&["ZRANGE", "big", "10000", "10001"]).query(&mut c).unwrap();
    assert_eq!(middle, ["m10000", "m10001"]);
    assert_eq!(cmd(&["ZRANK", "big", "m19999"]).query::<i64>(&mut c).unwrap(), 19_999);
    assert_eq!(cmd(&["ZREVRANK", "big", "m00000"]).query::<i64>(&mut c).unwrap(), 19_999);
    assert_eq!(cmd(&["ZRANK", "big", "m12345"]).query::<i64>(&mut c).unwrap(), 12_345);
    assert_eq!(cmd(&["ZCOUNT", "big", "(100", "19000"]).query::<i64>(&mut c).unwrap(), 18_900);
    assert_eq!(cmd(&["ZCOUNT", "big", "-inf", "+inf"]).query::<i64>(&mut c).unwrap(), n);
    assert_eq!(cmd(&["ZREMRANGEBYRANK", "big", "-100", "-1"]).query::<i64>(&mut c).unwrap(), 100);
    assert_eq!(cmd(&["ZCARD", "big"]).query::<i64>(&mut c).unwrap(), n - 100);
    assert_eq!(cmd(&["ZRANGEBYSCORE", "big", "(19897", "+inf"]).query::<Vec<String>>(&mut c).unwrap(), ["m19898", "m19899"]);
}

#[test]
fn a_sorted_set_write_aborts_a_transaction_watching_it() {
    let server = Server::start();
    let mut watcher = server.conn();
    let mut other = server.conn();
    let _: i64 = cmd(&["ZADD", "z", "1", "a"]).query(&mut watcher).unwrap();
    let _: () = cmd(&["WATCH", "z"]).query(&mut watcher).unwrap();
    let _: f64 = cmd(&["ZINCRBY", "z", "1", "a"]).query(&mut other).unwrap();
    let _: () = cmd(&["MULTI"]).query(&mut watcher).unwrap();
    let _: Value = cmd(&["ZADD", "z", "5", "b"]).query(&mut watcher).unwrap();
    assert_eq!(cmd(&["EXEC"]).query::<Value>(&mut watcher).unwrap(), Value::Nil);
    assert_eq!(cmd(&["ZCARD", "z"]).query::<i64>(&mut watcher).unwrap(), 1);
}
