//! The `redis` crate speaking RESP3 (`?protocol=resp3`, which sends `HELLO 3` on connect)
//! against the real mokad binary.

mod common;

use std::collections::HashSet;

use common::{cmd, connect_url, query_err, Server};
use redis::{Commands, Value, VerbatimFormat};

fn bulk(s: &str) -> Value {
    Value::BulkString(s.as_bytes().to_vec())
}

/// A RESP3 map reply as (key, value) pairs with string keys.
fn map_entries(value: Value) -> Vec<(String, Value)> {
    match value {
        Value::Map(pairs) => pairs
            .into_iter()
            .map(|(k, v)| match k {
                Value::BulkString(b) => (String::from_utf8(b).expect("utf-8 key"), v),
                Value::SimpleString(s) => (s, v),
                other => panic!("map key {other:?}"),
            })
            .collect(),
        other => panic!("expected a RESP3 map, got {other:?}"),
    }
}

#[test]
fn hello_3_replies_with_a_map() {
    let server = Server::start();
    let mut c = server.conn3();
    let id: i64 = cmd(&["CLIENT", "ID"]).query(&mut c).unwrap();
    let entries = map_entries(cmd(&["HELLO", "3"]).query::<Value>(&mut c).unwrap());
    let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["server", "version", "proto", "id", "mode", "role", "modules"]);
    let get = |name: &str| entries.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap();
    assert_eq!(get("server"), bulk("redis"));
    assert_eq!(get("proto"), Value::Int(3));
    assert_eq!(get("id"), Value::Int(id));
    assert_eq!(get("mode"), bulk("standalone"));
    assert_eq!(get("role"), bulk("master"));
    assert_eq!(get("modules"), Value::Array(vec![]));
    match get("version") {
        Value::BulkString(v) => {
            let v = String::from_utf8(v).unwrap();
            assert!(v.starts_with("7."), "version {v}");
        }
        other => panic!("version {other:?}"),
    }
    assert_eq!(query_err(&mut c, &cmd(&["HELLO", "4"])), "NOPROTO unsupported protocol version");
    assert_eq!(query_err(&mut c, &cmd(&["HELLO", "three"])), "ERR Protocol version is not an integer or out of range");
    // HELLO 3 SETNAME names the connection.
    let _ = map_entries(cmd(&["HELLO", "3", "SETNAME", "resp3-client"]).query::<Value>(&mut c).unwrap());
    assert_eq!(cmd(&["CLIENT", "GETNAME"]).query::<Value>(&mut c).unwrap(), bulk("resp3-client"));
}

#[test]
fn config_get_is_a_map_in_resp3() {
    let server = Server::start_with(&["--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru"]);
    let mut c = server.conn3();
    let entries = map_entries(cmd(&["CONFIG", "GET", "maxmemory"]).query::<Value>(&mut c).unwrap());
    assert_eq!(entries, vec![("maxmemory".to_string(), bulk("104857600"))]);
    let mut entries = map_entries(cmd(&["CONFIG", "GET", "maxmemory", "maxmemory-policy", "nosuchparam"]).query::<Value>(&mut c).unwrap());
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        entries,
        vec![("maxmemory".to_string(), bulk("104857600")), ("maxmemory-policy".to_string(), bulk("allkeys-lru"))]
    );
    let entries = map_entries(cmd(&["CONFIG", "GET", "nosuchparam"]).query::<Value>(&mut c).unwrap());
    assert!(entries.is_empty());
    // In RESP2 the same reply is a flat array.
    let mut c2 = server.conn();
    let flat: Value = cmd(&["CONFIG", "GET", "maxmemory"]).query(&mut c2).unwrap();
    assert_eq!(flat, Value::Array(vec![bulk("maxmemory"), bulk("104857600")]));
}

#[test]
fn strings_and_nil_in_resp3() {
    let server = Server::start();
    let mut c = server.conn3();
    assert_eq!(cmd(&["SET", "k", "v", "EX", "100"]).query::<Value>(&mut c).unwrap(), Value::Okay);
    assert_eq!(cmd(&["GET", "k"]).query::<Value>(&mut c).unwrap(), bulk("v"));
    assert_eq!(cmd(&["GET", "missing"]).query::<Value>(&mut c).unwrap(), Value::Nil);
    assert_eq!(cmd(&["SET", "k", "w", "NX"]).query::<Value>(&mut c).unwrap(), Value::Nil);
    assert_eq!(cmd(&["SET", "k", "w", "XX", "GET", "KEEPTTL"]).query::<Value>(&mut c).unwrap(), bulk("v"));
    assert_eq!(c.ttl::<_, i64>("k").unwrap(), 100);
    assert_eq!(
        cmd(&["MGET", "k", "missing"]).query::<Value>(&mut c).unwrap(),
        Value::Array(vec![bulk("w"), Value::Nil])
    );
    assert_eq!(cmd(&["INCR", "n"]).query::<Value>(&mut c).unwrap(), Value::Int(1));
    assert_eq!(cmd(&["INCRBY", "n", "9"]).query::<Value>(&mut c).unwrap(), Value::Int(10));
    // INCRBYFLOAT stays a bulk string in RESP3, as in Redis.
    assert_eq!(cmd(&["INCRBYFLOAT", "n", "0.5"]).query::<Value>(&mut c).unwrap(), bulk("10.5"));
    assert_eq!(cmd(&["EXISTS", "k", "n", "missing"]).query::<Value>(&mut c).unwrap(), Value::Int(2));
    assert_eq!(cmd(&["DEL", "k", "n", "missing"]).query::<Value>(&mut c).unwrap(), Value::Int(2));
    assert_eq!(cmd(&["TTL", "k"]).query::<Value>(&mut c).unwrap(), Value::Int(-2));
    assert_eq!(cmd(&["PING"]).query::<Value>(&mut c).unwrap(), Value::SimpleString("PONG".into()));
    assert_eq!(cmd(&["ECHO", "hi"]).query::<Value>(&mut c).unwrap(), bulk("hi"));
}

#[test]
fn errors_keep_their_text_in_resp3() {
    let server = Server::start();
    let mut c = server.conn3();
    let _: () = c.set("s", "abc").unwrap();
    assert_eq!(query_err(&mut c, &cmd(&["INCR", "s"])), "ERR value is not an integer or out of range");
    assert_eq!(query_err(&mut c, &cmd(&["SET", "k", "v", "XX", "NX"])), "ERR syntax error");
    let _: () = c.set("max", i64::MAX.to_string()).unwrap();
    assert_eq!(query_err(&mut c, &cmd(&["INCRBY", "max", "1"])), "ERR increment or decrement would overflow");
    assert_eq!(query_err(&mut c, &cmd(&["INCRBYFLOAT", "s", "1"])), "ERR value is not a valid float");
    assert_eq!(query_err(&mut c, &cmd(&["GET", "a", "b"])), "ERR wrong number of arguments for 'get' command");
}

#[test]
fn info_and_client_info_are_verbatim_strings_in_resp3() {
    let server = Server::start();
    let mut c = server.conn3();
    let _: () = c.set("k", "v").unwrap();
    match cmd(&["INFO", "keyspace"]).query::<Value>(&mut c).unwrap() {
        Value::VerbatimString { format, text } => {
            assert_eq!(format, VerbatimFormat::Text);
            assert!(text.starts_with("# Keyspace\r\ndb0:keys=1,expires=0"), "{text:?}");
        }
        other => panic!("INFO in RESP3 should be a verbatim string, got {other:?}"),
    }
    match cmd(&["CLIENT", "INFO"]).query::<Value>(&mut c).unwrap() {
        Value::VerbatimString { format, text } => {
            assert_eq!(format, VerbatimFormat::Text);
            assert!(text.contains(" resp=3"), "{text:?}");
            assert!(text.ends_with('\n'), "{text:?}");
        }
        other => panic!("CLIENT INFO in RESP3 should be a verbatim string, got {other:?}"),
    }
}

#[test]
fn pipelines_and_transactions_in_resp3() {
    let server = Server::start();
    let mut c = server.conn3();
    let mut other = server.conn3();
    let mut pipe = redis::pipe();
    for _ in 0..10_000 {
        pipe.cmd("INCR").arg("counter");
    }
    let replies: Vec<i64> = pipe.query(&mut c).unwrap();
    assert_eq!(replies.len(), 10_000);
    assert_eq!(replies.last(), Some(&10_000));
    let (set, n): (String, i64) = redis::pipe().atomic().cmd("SET").arg("a").arg("1").cmd("INCR").arg("a").query(&mut c).unwrap();
    assert_eq!((set.as_str(), n), ("OK", 2));
    assert_eq!(cmd(&["WATCH", "a"]).query::<Value>(&mut c).unwrap(), Value::Okay);
    let _: () = other.set("a", "changed").unwrap();
    let aborted: Option<(i64,)> = redis::pipe().atomic().cmd("INCR").arg("a").query(&mut c).unwrap();
    assert_eq!(aborted, None);
    assert_eq!(c.get::<_, String>("a").unwrap(), "changed");
    // The raw EXEC reply to an aborted transaction is RESP3's null.
    let mut raw = server.raw();
    raw.send(b"HELLO 3\r\n").unwrap();
    let _hello = raw.read_reply();
    assert_eq!(raw.call(&["WATCH", "a"]), b"+OK\r\n");
    let _: () = other.set("a", "again").unwrap();
    assert_eq!(raw.call(&["MULTI"]), b"+OK\r\n");
    assert_eq!(raw.call(&["INCR", "a"]), b"+QUEUED\r\n");
    assert_eq!(raw.call(&["EXEC"]), b"_\r\n");
    assert_eq!(raw.call(&["MULTI"]), b"+OK\r\n");
    assert_eq!(raw.call(&["EXEC"]), b"*0\r\n");
    assert_eq!(raw.call(&["GET", "missing"]), b"_\r\n");
}

#[test]
fn scan_and_keys_in_resp3() {
    let server = Server::start();
    let mut c = server.conn3();
    let mut pipe = redis::pipe();
    for i in 0..300 {
        pipe.cmd("SET").arg(format!("k{i}")).arg(i).ignore();
    }
    pipe.exec(&mut c).unwrap();
    let mut seen = Vec::new();
    let mut cursor = "0".to_string();
    loop {
        let (next, keys): (String, Vec<String>) = cmd(&["SCAN", &cursor, "COUNT", "7"]).query(&mut c).unwrap();
        seen.extend(keys);
        if next == "0" {
            break;
        }
        cursor = next;
        assert!(seen.len() < 10_000, "SCAN does not terminate");
    }
    assert_eq!(seen.len(), 300);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 300);
    let mut keys: Vec<String> = c.keys("k29?").unwrap();
    keys.sort();
    assert_eq!(keys, ["k290", "k291", "k292", "k293", "k294", "k295", "k296", "k297", "k298", "k299"]);
}

#[test]
fn select_and_binary_values_in_resp3() {
    let server = Server::start();
    let mut db2 = connect_url(&format!("{}2?protocol=resp3", server.url()));
    let mut db0 = server.conn3();
    let all: Vec<u8> = (0..=255u8).rev().collect();
    let _: () = db2.set(&all[..], &all[..]).unwrap();
    assert_eq!(db2.get::<_, Vec<u8>>(&all[..]).unwrap(), all);
    assert_eq!(db0.get::<_, Option<Vec<u8>>>(&all[..]).unwrap(), None);
    assert_eq!(cmd(&["DBSIZE"]).query::<i64>(&mut db2).unwrap(), 1);
    assert_eq!(cmd(&["DBSIZE"]).query::<i64>(&mut db0).unwrap(), 0);
}

#[test]
fn command_docs_is_a_map_in_resp3() {
    let server = Server::start();
    let mut c = server.conn3();
    let entries = map_entries(cmd(&["COMMAND", "DOCS", "get"]).query::<Value>(&mut c).unwrap());
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, "get");
    let doc = map_entries(entries[0].1.clone());
    let field = |name: &str| doc.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    assert_eq!(field("since"), Some(bulk("1.0.0")));
    assert_eq!(field("group"), Some(bulk("string")));
    assert!(matches!(field("summary"), Some(Value::BulkString(_))));
}
