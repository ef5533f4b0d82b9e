//! The `redis` crate (sync API, RESP2) against the real mokad binary.

mod common;

use std::collections::HashSet;
use std::thread::sleep;
use std::time::Duration;

use common::{cmd, connect_url, query_err, Server};
use redis::{Commands, Value};

fn get(conn: &mut redis::Connection, key: &str) -> Option<String> {
    conn.get(key).expect("GET")
}

#[test]
fn set_and_get_plain_values() {
    let server = Server::start();
    let mut c = server.conn();
    let _: () = c.set("greeting", "hello").unwrap();
    assert_eq!(get(&mut c, "greeting").as_deref(), Some("hello"));
    assert_eq!(get(&mut c, "missing"), None);
    assert_eq!(cmd(&["SET", "greeting", "again"]).query::<Value>(&mut c).unwrap(), Value::Okay);
    assert_eq!(cmd(&["GET", "missing"]).query::<Value>(&mut c).unwrap(), Value::Nil);
    assert_eq!(get(&mut c, "greeting").as_deref(), Some("again"));
    // The empty string is a value, not a missing key.
    let _: () = c.set("empty", "").unwrap();
    assert_eq!(cmd(&["GET", "empty"]).query::<Value>(&mut c).unwrap(), Value::BulkString(vec![]));
    assert_eq!(cmd(&["STRLEN", "empty"]).query::<i64>(&mut c).unwrap(), 0);
}

#[test]
fn set_with_ex_and_px_sets_a_ttl() {
    let server = Server::start();
    let mut c = server.conn();
    assert_eq!(cmd(&["SET", "k", "v", "EX", "100"]).query::<Value>(&mut c).unwrap(), Value::Okay);
    assert_eq!(c.ttl::<_, i64>("k").unwrap(), 100);
    let pttl: i64 = c.pttl("k").unwrap();
    assert!((99_000..=100_000).contains(&pttl), "PTTL {pttl}");
    assert_eq!(cmd(&["SET", "p", "v", "PX", "5000"]).query::<Value>(&mut c).unwrap(), Value::Okay);
    let pttl: i64 = c.pttl("p").unwrap();
    assert!((4_000..=5_000).contains(&pttl), "PTTL {pttl}");
    assert_eq!(c.ttl::<_, i64>("p").unwrap(), 5);
    // A plain SET drops the TTL.
    let _: () = c.set("k", "v2").unwrap();
    assert_eq!(c.ttl::<_, i64>("k").unwrap(), -1);
    // A short PX really expires.
    assert_eq!(cmd(&["SET", "short", "v", "PX", "30"]).query::<Value>(&mut c).unwrap(), Value::Okay);
    sleep(Duration::from_millis(80));
    assert_eq!(get(&mut c, "short"), None);
    assert_eq!(c.exists::<_, i64>("short").unwrap(), 0);
    assert_eq!(c.ttl::<_, i64>("short").unwrap(), -2);
}

#[test]
fn set_nx_and_xx_apply_only_when_they_should() {
    let server = Server::start();
    let mut c = server.conn();
    assert_eq!(cmd(&["SET", "k", "1", "NX"]).query::<Value>(&mut c).unwrap(), Value::Okay);
    assert_eq!(cmd(&["SET", "k", "2", "NX"]).query::<Value>(&mut c).unwrap(), Value::Nil);
    assert_eq!(get(&mut c, "k").as_deref(), Some("1"));
    assert_eq!(cmd(&["SET", "x", "1", "XX"]).query::<Value>(&mut c).unwrap(), Value::Nil);
    assert_eq!(c.exists::<_, i64>("x").unwrap(), 0, "XX must not create the key");
    assert_eq!(cmd(&["SET", "k", "3", "XX"]).query::<Value>(&mut c).unwrap(), Value::Okay);
    assert_eq!(get(&mut c, "k").as_deref(), Some("3"));
    assert_eq!(cmd(&["SETNX", "k", "4"]).query::<i64>(&mut c).unwrap(), 0);
    assert_eq!(cmd(&["SETNX", "n", "4"]).query::<i64>(&mut c).unwrap(), 1);
}

#[test]
fn set_get_returns_the_old_value() {
    let server = Server::start();
    let mut c = server.conn();
    assert_eq!(cmd(&["SET", "k", "first", "GET"]).query::<Value>(&mut c).unwrap(), Value::Nil);
    assert_eq!(get(&mut c, "k").as_deref(), Some("first"), "SET GET on a missing key still sets it");
    assert_eq!(cmd(&["SET", "k", "second", "GET"]).query::<Value>(&mut c).unwrap(), Value::BulkString(b"first".to_vec()));
    assert_eq!(get(&mut c, "k").as_deref(), Some("second"));
    // NX with GET (Redis 7): the old value comes back and nothing is written.
    assert_eq!(cmd(&["SET", "k", "third", "NX", "GET"]).query::<Value>(&mut c).unwrap(), Value::BulkString(b"second".to_vec()));
    assert_eq!(get(&mut c, "k").as_deref(), Some("second"));
    // XX with GET on a missing key: nil, and no key.
    assert_eq!(cmd(&["SET", "none", "v", "XX", "GET"]).query::<Value>(&mut c).unwrap(), Value::Nil);
    assert_eq!(c.exists::<_, i64>("none").unwrap(), 0);
    assert_eq!(cmd(&["GETSET", "k", "fourth"]).query::<Value>(&mut c).unwrap(), Value::BulkString(b"second".to_vec()));
    assert_eq!(cmd(&["GETDEL", "k"]).query::<Value>(&mut c).unwrap(), Value::BulkString(b"fourth".to_vec()));
    assert_eq!(c.exists::<_, i64>("k").unwrap(), 0);
}

#[test]
fn set_keepttl_keeps_the_deadline() {
    let server = Server::start();
    let mut c = server.conn();
    let _: () = cmd(&["SET", "k", "v1", "EX", "100"]).query(&mut c).unwrap();
    assert_eq!(cmd(&["SET", "k", "v2", "KEEPTTL"]).query::<Value>(&mut c).unwrap(), Value::Okay);
    assert_eq!(get(&mut c, "k").as_deref(), Some("v2"));
    assert_eq!(c.ttl::<_, i64>("k").unwrap(), 100);
    assert_eq!(cmd(&["SET", "k", "v3"]).query::<Value>(&mut c).unwrap(), Value::Okay);
    assert_eq!(c.ttl::<_, i64>("k").unwrap(), -1);
    // KEEPTTL on a key without a TTL leaves it persistent.
    assert_eq!(cmd(&["SET", "k", "v4", "KEEPTTL"]).query::<Value>(&mut c).unwrap(), Value::Okay);
    assert_eq!(c.ttl::<_, i64>("k").unwrap(), -1);
}

#[test]
fn set_option_errors_have_redis_texts() {
    let server = Server::start();
    let mut c = server.conn();
    let syntax = "ERR syntax error";
    assert_eq!(query_err(&mut c, &cmd(&["SET", "k", "v", "NX", "XX"])), syntax);
    assert_eq!(query_err(&mut c, &cmd(&["SET", "k", "v", "EX", "10", "PX", "100"])), syntax);
    assert_eq!(query_err(&mut c, &cmd(&["SET", "k", "v", "KEEPTTL", "EX", "10"])), syntax);
    assert_eq!(query_err(&mut c, &cmd(&["SET", "k", "v", "EX"])), syntax);
    assert_eq!(query_err(&mut c, &cmd(&["SET", "k", "v", "BOGUS"])), syntax);
    assert_eq!(query_err(&mut c, &cmd(&["SET", "k", "v", "EX", "0"])), "ERR invalid expire time in 'set' command");
    assert_eq!(query_err(&mut c, &cmd(&["SET", "k", "v", "PX", "-5"])), "ERR invalid expire time in 'set' command");
    assert_eq!(query_err(&mut c, &cmd(&["SET", "k", "v", "EX", "ten"])), "ERR value is not an integer or out of range");
    assert_eq!(query_err(&mut c, &cmd(&["SETEX", "k", "0", "v"])), "ERR invalid expire time in 'setex' command");
    assert_eq!(query_err(&mut c, &cmd(&["SET", "k"])), "ERR wrong number of arguments for 'set' command");
    assert_eq!(query_err(&mut c, &cmd(&["GET"])), "ERR wrong number of arguments for 'get' command");
    assert_eq!(c.exists::<_, i64>("k").unwrap(), 0, "no failed SET may write");
}

#[test]
fn unknown_command_error_text() {
    let server = Server::start();
    let mut c = server.conn();
    assert_eq!(
        query_err(&mut c, &cmd(&["NOSUCHCMD", "a", "b"])),
        "ERR unknown command 'NOSUCHCMD', with args beginning with: 'a' 'b' "
    );
    assert_eq!(query_err(&mut c, &cmd(&["CONFIG", "NOPE"])), "ERR unknown subcommand 'NOPE'. Try CONFIG HELP.");
}

#[test]
fn mset_and_mget() {
    let server = Server::start();
    let mut c = server.conn();
    assert_eq!(cmd(&["MSET", "a", "1", "b", "2", "c", "3"]).query::<Value>(&mut c).unwrap(), Value::Okay);
    let values: Vec<Option<String>> = cmd(&["MGET", "a", "missing", "c", "b"]).query(&mut c).unwrap();
    assert_eq!(values, vec![Some("1".into()), None, Some("3".into()), Some("2".into())]);
    assert_eq!(query_err(&mut c, &cmd(&["MSET", "a", "1", "b"])), "ERR wrong number of arguments for 'mset' command");
    assert_eq!(get(&mut c, "a").as_deref(), Some("1"));
    assert_eq!(cmd(&["MSETNX", "a", "9", "z", "9"]).query::<i64>(&mut c).unwrap(), 0);
    assert_eq!(c.exists::<_, i64>("z").unwrap(), 0);
    assert_eq!(cmd(&["MSETNX", "y", "9", "z", "9"]).query::<i64>(&mut c).unwrap(), 1);
    let values: Vec<Option<String>> = c.mget(&["y", "z"]).unwrap();
    assert_eq!(values, vec![Some("9".into()), Some("9".into())]);
}

#[test]
fn incr_family() {
    let server = Server::start();
    let mut c = server.conn();
    assert_eq!(cmd(&["INCR", "n"]).query::<i64>(&mut c).unwrap(), 1);
    assert_eq!(cmd(&["INCRBY", "n", "41"]).query::<i64>(&mut c).unwrap(), 42);
    assert_eq!(cmd(&["DECR", "n"]).query::<i64>(&mut c).unwrap(), 41);
    assert_eq!(cmd(&["DECRBY", "n", "-9"]).query::<i64>(&mut c).unwrap(), 50);
    assert_eq!(cmd(&["INCRBY", "n", "-100"]).query::<i64>(&mut c).unwrap(), -50);
    assert_eq!(get(&mut c, "n").as_deref(), Some("-50"));
    // The reply type is an integer, not a string.
    assert_eq!(cmd(&["INCR", "n"]).query::<Value>(&mut c).unwrap(), Value::Int(-49));
    // INCR keeps the TTL.
    let _: () = cmd(&["SET", "t", "10", "EX", "100"]).query(&mut c).unwrap();
    assert_eq!(cmd(&["INCR", "t"]).query::<i64>(&mut c).unwrap(), 11);
    assert_eq!(c.ttl::<_, i64>("t").unwrap(), 100);
}

#[test]
fn incrbyfloat_formats_like_redis() {
    let server = Server::start();
    let mut c = server.conn();
    assert_eq!(cmd(&["INCRBYFLOAT", "f", "0.5"]).query::<Value>(&mut c).unwrap(), Value::BulkString(b"0.5".to_vec()));
    let _: () = c.set("f", "10.50").unwrap();
    assert_eq!(cmd(&["INCRBYFLOAT", "f", "0.1"]).query::<String>(&mut c).unwrap(), "10.6");
    assert_eq!(cmd(&["INCRBYFLOAT", "f", "-5"]).query::<String>(&mut c).unwrap(), "5.6");
    let _: () = c.set("e", "5.0e3").unwrap();
    assert_eq!(cmd(&["INCRBYFLOAT", "e", "2.0e2"]).query::<String>(&mut c).unwrap(), "5200");
    assert_eq!(get(&mut c, "e").as_deref(), Some("5200"));
    let _: () = c.set("i", "3").unwrap();
    assert_eq!(cmd(&["INCRBYFLOAT", "i", "1.5"]).query::<String>(&mut c).unwrap(), "4.5");
}

/// Redis computes INCRBYFLOAT in `long double` (80-bit on x86-64) and prints `%.17Lf` with
/// trailing zeros trimmed, so 0.1 + 0.2 is "0.3" and 1e308 + 1e308 is a 309-digit number.
#[test]
fn incrbyfloat_uses_long_double_precision_like_redis() {
    let server = Server::start();
    let mut c = server.conn();
    let _: () = c.set("f", "0.1").unwrap();
    assert_eq!(cmd(&["INCRBYFLOAT", "f", "0.2"]).query::<String>(&mut c).unwrap(), "0.3");
    let _: () = c.set("h", "1.1").unwrap();
    assert_eq!(cmd(&["INCRBYFLOAT", "h", "2.2"]).query::<String>(&mut c).unwrap(), "3.3");
    let _: () = c.set("g", "1e308").unwrap();
    let sum: String = cmd(&["INCRBYFLOAT", "g", "1e308"]).query(&mut c).unwrap();
    assert_eq!(sum.len(), 309, "{sum}");
    assert!(sum.starts_with("19999999999999999999"), "{sum}");
}

#[test]
fn number_errors_have_redis_texts() {
    let server = Server::start();
    let mut c = server.conn();
    let not_int = "ERR value is not an integer or out of range";
    let _: () = c.set("s", "abc").unwrap();
    assert_eq!(query_err(&mut c, &cmd(&["INCR", "s"])), not_int);
    assert_eq!(query_err(&mut c, &cmd(&["INCRBY", "n", "1.5"])), not_int);
    assert_eq!(query_err(&mut c, &cmd(&["INCRBY", "n", "99999999999999999999"])), not_int);
    let _: () = c.set("spaced", " 1").unwrap();
    assert_eq!(query_err(&mut c, &cmd(&["INCR", "spaced"])), not_int);
    let _: () = c.set("max", i64::MAX.to_string()).unwrap();
    assert_eq!(query_err(&mut c, &cmd(&["INCR", "max"])), "ERR increment or decrement would overflow");
    assert_eq!(get(&mut c, "max"), Some(i64::MAX.to_string()), "a failed INCR leaves the value");
    let _: () = c.set("min", i64::MIN.to_string()).unwrap();
    assert_eq!(query_err(&mut c, &cmd(&["DECR", "min"])), "ERR increment or decrement would overflow");
    assert_eq!(query_err(&mut c, &cmd(&["INCRBYFLOAT", "s", "1"])), "ERR value is not a valid float");
    assert_eq!(query_err(&mut c, &cmd(&["INCRBYFLOAT", "f", "x"])), "ERR value is not a valid float");
    assert_eq!(query_err(&mut c, &cmd(&["INCRBYFLOAT", "inf", "inf"])), "ERR increment would produce NaN or Infinity");
    assert_eq!(c.exists::<_, i64>("inf").unwrap(), 0);
    assert_eq!(c.exists::<_, i64>("n").unwrap(), 0);
    assert_eq!(c.exists::<_, i64>("f").unwrap(), 0);
}

#[test]
fn del_and_exists_count_keys() {
    let server = Server::start();
    let mut c = server.conn();
    let _: () = cmd(&["MSET", "a", "1", "b", "2", "c", "3"]).query(&mut c).unwrap();
    assert_eq!(cmd(&["EXISTS", "a", "b", "nope", "a"]).query::<i64>(&mut c).unwrap(), 3, "repeats count");
    assert_eq!(cmd(&["DEL", "a", "b", "nope"]).query::<i64>(&mut c).unwrap(), 2);
    assert_eq!(cmd(&["DEL", "a"]).query::<i64>(&mut c).unwrap(), 0);
    assert_eq!(cmd(&["EXISTS", "a", "b", "c"]).query::<i64>(&mut c).unwrap(), 1);
    assert_eq!(cmd(&["UNLINK", "c"]).query::<i64>(&mut c).unwrap(), 1);
    assert_eq!(cmd(&["DBSIZE"]).query::<i64>(&mut c).unwrap(), 0);
}

#[test]
fn expire_ttl_and_persist() {
    let server = Server::start();
    let mut c = server.conn();
    assert_eq!(cmd(&["EXPIRE", "missing", "10"]).query::<i64>(&mut c).unwrap(), 0);
    assert_eq!(c.ttl::<_, i64>("missing").unwrap(), -2);
    assert_eq!(c.pttl::<_, i64>("missing").unwrap(), -2);
    let _: () = c.set("k", "v").unwrap();
    assert_eq!(c.ttl::<_, i64>("k").unwrap(), -1);
    assert_eq!(cmd(&["EXPIRE", "k", "100"]).query::<i64>(&mut c).unwrap(), 1);
    assert_eq!(c.ttl::<_, i64>("k").unwrap(), 100);
    assert_eq!(cmd(&["EXPIRE", "k", "50", "GT"]).query::<i64>(&mut c).unwrap(), 0);
    assert_eq!(cmd(&["EXPIRE", "k", "200", "GT"]).query::<i64>(&mut c).unwrap(), 1);
    assert_eq!(c.ttl::<_, i64>("k").unwrap(), 200);
    assert_eq!(cmd(&["EXPIRE", "k", "10", "NX"]).query::<i64>(&mut c).unwrap(), 0);
    assert_eq!(cmd(&["PERSIST", "k"]).query::<i64>(&mut c).unwrap(), 1);
    assert_eq!(c.ttl::<_, i64>("k").unwrap(), -1);
    assert_eq!(cmd(&["PERSIST", "k"]).query::<i64>(&mut c).unwrap(), 0);
    assert_eq!(cmd(&["PERSIST", "missing"]).query::<i64>(&mut c).unwrap(), 0);
    // A deadline in the past deletes the key at once.
    assert_eq!(cmd(&["EXPIRE", "k", "-1"]).query::<i64>(&mut c).unwrap(), 1);
    assert_eq!(c.exists::<_, i64>("k").unwrap(), 0);
    // A short PEXPIRE really expires.
    let _: () = c.set("soon", "v").unwrap();
    assert_eq!(cmd(&["PEXPIRE", "soon", "40"]).query::<i64>(&mut c).unwrap(), 1);
    sleep(Duration::from_millis(90));
    assert_eq!(get(&mut c, "soon"), None);
    assert_eq!(c.ttl::<_, i64>("soon").unwrap(), -2);
    assert_eq!(
        query_err(&mut c, &cmd(&["EXPIRE", "k", "10", "NX", "XX"])),
        "ERR NX and XX, GT or LT options at the same time are not compatible"
    );
    assert_eq!(query_err(&mut c, &cmd(&["EXPIRE", "k", "soon"])), "ERR value is not an integer or out of range");
}

#[test]
fn pipeline_of_mixed_commands() {
    let server = Server::start();
    let mut c = server.conn();
    let (set, got, n, missing, exists): (String, String, i64, Option<String>, i64) = redis::pipe()
        .cmd("SET")
        .arg("k")
        .arg("v")
        .cmd("GET")
        .arg("k")
        .cmd("INCR")
        .arg("n")
        .cmd("GET")
        .arg("missing")
        .cmd("EXISTS")
        .arg("k")
        .query(&mut c)
        .unwrap();
    assert_eq!((set.as_str(), got.as_str(), n, missing, exists), ("OK", "v", 1, None, 1));
}

#[test]
fn pipeline_of_ten_thousand_commands() {
    let server = Server::start();
    let mut c = server.conn();
    let mut pipe = redis::pipe();
    for _ in 0..10_000 {
        pipe.cmd("INCR").arg("counter");
    }
    let replies: Vec<i64> = pipe.query(&mut c).unwrap();
    assert_eq!(replies, (1..=10_000).collect::<Vec<i64>>());
    let mut pipe = redis::pipe();
    for i in 0..10_000 {
        pipe.cmd("SET").arg(format!("key:{i}")).arg(i).ignore();
    }
    pipe.cmd("DBSIZE");
    let (size,): (i64,) = pipe.query(&mut c).unwrap();
    assert_eq!(size, 10_001);
    assert_eq!(get(&mut c, "key:9999").as_deref(), Some("9999"));
    assert_eq!(get(&mut c, "counter").as_deref(), Some("10000"));
}

#[test]
fn atomic_pipeline_runs_multi_exec() {
    let server = Server::start();
    let mut c = server.conn();
    let (a, b, n): (String, String, i64) =
        redis::pipe().atomic().cmd("SET").arg("a").arg("1").cmd("GET").arg("a").cmd("INCR").arg("a").query(&mut c).unwrap();
    assert_eq!((a.as_str(), b.as_str(), n), ("OK", "1", 2));
    // An error inside EXEC does not stop the other commands.
    let _: () = c.set("s", "abc").unwrap();
    // (the crate turns an error nested in EXEC's reply into an Err, so this part is raw)
    let mut raw = server.raw();
    assert_eq!(raw.call(&["MULTI"]), b"+OK\r\n");
    assert_eq!(raw.call(&["INCR", "s"]), b"+QUEUED\r\n");
    assert_eq!(raw.call(&["SET", "after", "x"]), b"+QUEUED\r\n");
    assert_eq!(raw.call_str(&["EXEC"]), "*2\r\n-ERR value is not an integer or out of range\r\n+OK\r\n");
    assert_eq!(get(&mut c, "after").as_deref(), Some("x"));
}

#[test]
fn transaction_with_a_queueing_error_aborts() {
    let server = Server::start();
    let mut c = server.conn();
    assert_eq!(cmd(&["MULTI"]).query::<Value>(&mut c).unwrap(), Value::Okay);
    assert_eq!(cmd(&["SET", "k", "v"]).query::<Value>(&mut c).unwrap(), Value::SimpleString("QUEUED".into()));
    assert_eq!(query_err(&mut c, &cmd(&["GET"])), "ERR wrong number of arguments for 'get' command");
    assert_eq!(query_err(&mut c, &cmd(&["EXEC"])), "EXECABORT Transaction discarded because of previous errors.");
    assert_eq!(c.exists::<_, i64>("k").unwrap(), 0);
    assert_eq!(query_err(&mut c, &cmd(&["EXEC"])), "ERR EXEC without MULTI");
    assert_eq!(query_err(&mut c, &cmd(&["DISCARD"])), "ERR DISCARD without MULTI");
    assert_eq!(cmd(&["MULTI"]).query::<Value>(&mut c).unwrap(), Value::Okay);
    assert_eq!(query_err(&mut c, &cmd(&["MULTI"])), "ERR MULTI calls can not be nested");
    assert_eq!(cmd(&["DISCARD"]).query::<Value>(&mut c).unwrap(), Value::Okay);
}

#[test]
fn watch_conflict_from_another_connection_returns_nil() {
    let server = Server::start();
    let mut c1 = server.conn();
    let mut c2 = server.conn();
    let _: () = c1.set("balance", "100").unwrap();
    assert_eq!(cmd(&["WATCH", "balance"]).query::<Value>(&mut c1).unwrap(), Value::Okay);
    let _: () = c2.set("balance", "0").unwrap();
    let result: Option<(i64,)> = redis::pipe().atomic().cmd("INCRBY").arg("balance").arg(50).query(&mut c1).unwrap();
    assert_eq!(result, None, "EXEC must return nil after a watched key changed");
    assert_eq!(get(&mut c1, "balance").as_deref(), Some("0"), "the transaction must not have run");
    // The failed EXEC unwatches: the next transaction goes through.
    let result: Option<(i64,)> = redis::pipe().atomic().cmd("INCRBY").arg("balance").arg(50).query(&mut c1).unwrap();
    assert_eq!(result, Some((50,)));
    // Watching a key that another connection creates, or deletes, also aborts.
    assert_eq!(cmd(&["WATCH", "fresh", "balance"]).query::<Value>(&mut c1).unwrap(), Value::Okay);
    let _: i64 = c2.del("balance").unwrap();
    let result: Option<(String,)> = redis::pipe().atomic().cmd("SET").arg("fresh").arg("x").query(&mut c1).unwrap();
    assert_eq!(result, None);
    assert_eq!(c1.exists::<_, i64>("fresh").unwrap(), 0);
    // WATCH without a conflicting write, then UNWATCH, behave normally.
    assert_eq!(cmd(&["WATCH", "quiet"]).query::<Value>(&mut c1).unwrap(), Value::Okay);
    let _: () = c2.set("other", "1").unwrap();
    let result: Option<(String,)> = redis::pipe().atomic().cmd("SET").arg("quiet").arg("x").query(&mut c1).unwrap();
    assert_eq!(result, Some(("OK".to_string(),)));
}

#[test]
fn select_isolates_databases() {
    let server = Server::start();
    let mut db0 = server.conn();
    let mut db1 = connect_url(&format!("{}1", server.url()));
    let _: () = db0.set("k", "zero").unwrap();
    assert_eq!(get(&mut db1, "k"), None);
    let _: () = db1.set("k", "one").unwrap();
    let _: () = db1.set("only1", "x").unwrap();
    assert_eq!(get(&mut db0, "k").as_deref(), Some("zero"));
    assert_eq!(get(&mut db1, "k").as_deref(), Some("one"));
    assert_eq!(cmd(&["DBSIZE"]).query::<i64>(&mut db0).unwrap(), 1);
    assert_eq!(cmd(&["DBSIZE"]).query::<i64>(&mut db1).unwrap(), 2);
    // SELECT on the same connection switches.
    assert_eq!(cmd(&["SELECT", "1"]).query::<Value>(&mut db0).unwrap(), Value::Okay);
    assert_eq!(get(&mut db0, "k").as_deref(), Some("one"));
    assert_eq!(cmd(&["SELECT", "15"]).query::<Value>(&mut db0).unwrap(), Value::Okay);
    assert_eq!(cmd(&["DBSIZE"]).query::<i64>(&mut db0).unwrap(), 0);
    assert_eq!(query_err(&mut db0, &cmd(&["SELECT", "16"])), "ERR DB index is out of range");
    assert_eq!(query_err(&mut db0, &cmd(&["SELECT", "-1"])), "ERR DB index is out of range");
    assert_eq!(query_err(&mut db0, &cmd(&["SELECT", "one"])), "ERR value is not an integer or out of range");
    // MOVE between databases.
    assert_eq!(cmd(&["SELECT", "0"]).query::<Value>(&mut db0).unwrap(), Value::Okay);
    let _: () = db0.set("mover", "m").unwrap();
    assert_eq!(cmd(&["MOVE", "mover", "1"]).query::<i64>(&mut db0).unwrap(), 1);
    assert_eq!(get(&mut db0, "mover"), None);
    assert_eq!(get(&mut db1, "mover").as_deref(), Some("m"));
}

#[test]
fn select_respects_the_databases_setting() {
    let server = Server::start_with(&["--databases", "4"]);
    let mut c = server.conn();
    assert_eq!(cmd(&["SELECT", "3"]).query::<Value>(&mut c).unwrap(), Value::Okay);
    assert_eq!(query_err(&mut c, &cmd(&["SELECT", "4"])), "ERR DB index is out of range");
}

#[test]
fn scan_returns_every_key_exactly_once() {
    let server = Server::start();
    let mut c = server.conn();
    let mut pipe = redis::pipe();
    for i in 0..1000 {
        pipe.cmd("SET").arg(format!("key:{i}")).arg(i).ignore();
    }
    pipe.exec(&mut c).unwrap();
    let mut seen = Vec::new();
    let mut cursor = "0".to_string();
    let mut calls = 0;
    loop {
        let (next, keys): (String, Vec<String>) = cmd(&["SCAN", &cursor, "COUNT", "10"]).query(&mut c).unwrap();
        calls += 1;
        assert!(calls < 10_000, "SCAN does not terminate");
        seen.extend(keys);
        if next == "0" {
            break;
        }
        cursor = next;
    }
    assert_eq!(seen.len(), 1000, "SCAN returned {} keys (duplicates or misses)", seen.len());
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), 1000, "SCAN returned duplicates");
    let expected: HashSet<String> = (0..1000).map(|i| format!("key:{i}")).collect();
    assert_eq!(unique, expected.iter().collect());
    assert!(calls >= 50, "COUNT 10 over 1000 keys should take many calls, took {calls}");
    // The crate's iterator, with MATCH.
    let matched: HashSet<String> = c.scan_match::<_, String>("key:99*").unwrap().collect::<Result<_, _>>().unwrap();
    let expected: HashSet<String> = ["key:99", "key:990", "key:991", "key:992", "key:993", "key:994", "key:995", "key:996", "key:997", "key:998", "key:999"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(matched, expected);
    assert_eq!(query_err(&mut c, &cmd(&["SCAN", "notanumber"])), "ERR invalid cursor");
    assert_eq!(query_err(&mut c, &cmd(&["SCAN", "0", "COUNT", "0"])), "ERR syntax error");
}

#[test]
fn keys_patterns() {
    let server = Server::start();
    let mut c = server.conn();
    let _: () = cmd(&["MSET", "hello", "1", "hallo", "1", "hxllo", "1", "hllo", "1", "heeeello", "1", "a*b", "1", "axb", "1"]).query(&mut c).unwrap();
    let keys = |c: &mut redis::Connection, pattern: &str| -> Vec<String> {
        let mut k: Vec<String> = c.keys(pattern).unwrap();
        k.sort();
        k
    };
    assert_eq!(keys(&mut c, "*").len(), 7);
    assert_eq!(keys(&mut c, "h?llo"), ["hallo", "hello", "hxllo"]);
    assert_eq!(keys(&mut c, "h*llo"), ["hallo", "heeeello", "hello", "hllo", "hxllo"]);
    assert_eq!(keys(&mut c, "h[ae]llo"), ["hallo", "hello"]);
    assert_eq!(keys(&mut c, "h[^e]llo"), ["hallo", "hxllo"]);
    assert_eq!(keys(&mut c, "h[a-b]llo"), ["hallo"]);
    assert_eq!(keys(&mut c, "a\\*b"), ["a*b"]);
    assert_eq!(keys(&mut c, "a*b"), ["a*b", "axb"]);
    assert_eq!(keys(&mut c, "nomatch*"), Vec::<String>::new());
}

#[test]
fn flushdb_and_flushall() {
    let server = Server::start();
    let mut db0 = server.conn();
    let mut db1 = connect_url(&format!("{}1", server.url()));
    let _: () = cmd(&["MSET", "a", "1", "b", "2"]).query(&mut db0).unwrap();
    let _: () = cmd(&["MSET", "c", "1", "d", "2"]).query(&mut db1).unwrap();
    assert_eq!(cmd(&["FLUSHDB"]).query::<Value>(&mut db1).unwrap(), Value::Okay);
    assert_eq!(cmd(&["DBSIZE"]).query::<i64>(&mut db1).unwrap(), 0);
    assert_eq!(get(&mut db1, "c"), None);
    assert_eq!(cmd(&["DBSIZE"]).query::<i64>(&mut db0).unwrap(), 2, "FLUSHDB touches only its database");
    let _: () = db1.set("e", "1").unwrap();
    assert_eq!(get(&mut db1, "e").as_deref(), Some("1"), "writes after FLUSHDB are visible");
    assert_eq!(cmd(&["FLUSHALL"]).query::<Value>(&mut db0).unwrap(), Value::Okay);
    assert_eq!(cmd(&["DBSIZE"]).query::<i64>(&mut db0).unwrap(), 0);
    assert_eq!(cmd(&["DBSIZE"]).query::<i64>(&mut db1).unwrap(), 0);
    assert_eq!(cmd(&["KEYS", "*"]).query::<Vec<String>>(&mut db0).unwrap(), Vec::<String>::new());
    assert_eq!(cmd(&["FLUSHALL", "ASYNC"]).query::<Value>(&mut db0).unwrap(), Value::Okay);
    assert_eq!(cmd(&["FLUSHDB", "SYNC"]).query::<Value>(&mut db0).unwrap(), Value::Okay);
    assert_eq!(query_err(&mut db0, &cmd(&["FLUSHDB", "LATER"])), "ERR syntax error");
}

#[test]
fn values_and_keys_are_binary_safe() {
    let server = Server::start();
    let mut c = server.conn();
    let all: Vec<u8> = (0..=255u8).collect();
    let _: () = c.set(&all[..], &all[..]).unwrap();
    let back: Vec<u8> = c.get(&all[..]).unwrap();
    assert_eq!(back, all);
    for b in 0..=255u8 {
        let key = [b'k', b];
        let value = [b, b'\r', b'\n', b];
        let _: () = c.set(&key[..], &value[..]).unwrap();
        let back: Vec<u8> = c.get(&key[..]).unwrap();
        assert_eq!(back, value, "byte {b}");
    }
    let crlf = b"line1\r\nline2\r\n\r\n*3\r\n$3\r\nSET\r\n".to_vec();
    let _: () = c.set("crlf", &crlf[..]).unwrap();
    assert_eq!(c.get::<_, Vec<u8>>("crlf").unwrap(), crlf);
    assert_eq!(cmd(&["STRLEN", "crlf"]).query::<usize>(&mut c).unwrap(), crlf.len());
    let zeros = vec![0u8; 1000];
    let _: () = c.set("zeros", &zeros[..]).unwrap();
    assert_eq!(c.get::<_, Vec<u8>>("zeros").unwrap(), zeros);
    assert_eq!(cmd(&["APPEND", "zeros", "\0x"]).query::<i64>(&mut c).unwrap(), 1002);
}

#[test]
fn five_megabyte_value_round_trips() {
    let server = Server::start();
    let mut c = server.conn();
    let value: Vec<u8> = (0..5 * 1024 * 1024).map(|i: usize| (i.wrapping_mul(31) % 251) as u8).collect();
    let _: () = c.set("big", &value[..]).unwrap();
    assert_eq!(cmd(&["STRLEN", "big"]).query::<usize>(&mut c).unwrap(), value.len());
    let back: Vec<u8> = c.get("big").unwrap();
    assert_eq!(back.len(), value.len());
    assert!(back == value, "the 5 MB value came back different");
    let tail: Vec<u8> = cmd(&["GETRANGE", "big", "-3", "-1"]).query(&mut c).unwrap();
    assert_eq!(tail, value[value.len() - 3..]);
}
