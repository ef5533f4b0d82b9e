//! Tables of commands and the exact bytes Redis 7 replies, run through the dispatcher on a
//! keyspace whose clock the tests move.

use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use mokad_commands::{execute, Server, Session, Settings};
use mokad_resp::{split_args, Protocol};
use mokad_storage::{ManualClock, Storage, StorageConfig};

const T0: u64 = 1_700_000_000_000;

struct Harness {
    server: Arc<Server>,
    session: Session,
    clock: Arc<ManualClock>,
}

impl Harness {
    fn new() -> Self {
        Self::with(Settings::default())
    }

    fn with(settings: Settings) -> Self {
        let clock = Arc::new(ManualClock::new(T0));
        let storage = Storage::with_clock(
            StorageConfig { databases: settings.databases, maxmemory: settings.maxmemory.0, policy: settings.policy() },
            clock.clone(),
        );
        let server = Arc::new(Server::with_storage(settings, storage, String::new()));
        let session = Session::new(server.clients.register("127.0.0.1:1".into(), "127.0.0.1:6379".into()));
        Harness { server, session, clock }
    }

    fn second_session(&self) -> Session {
        Session::new(self.server.clients.register("127.0.0.1:2".into(), "127.0.0.1:6379".into()))
    }

    /// Runs one inline command line and returns the reply as RESP text.
    fn run_in(&self, session: &mut Session, line: &str) -> String {
        let args: Vec<Bytes> = split_args(line.as_bytes()).expect("test line").into_iter().map(Bytes::from).collect();
        let reply = execute(&self.server, session, args);
        let mut out = BytesMut::new();
        reply.encode(session.protocol, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    fn run(&mut self, line: &str) -> String {
        let mut session = std::mem::replace(&mut self.session, Session::new(self.server.clients.register(String::new(), String::new())));
        let out = self.run_in(&mut session, line);
        self.session = session;
        out
    }

    /// Runs each (command, expected reply) pair in order on one connection.
    fn table(&mut self, rows: &[(&str, &str)]) {
        for (line, expected) in rows {
            assert_eq!(self.run(line), *expected, "command: {line}");
        }
    }
}

#[test]
fn should_answer_string_commands_like_redis() {
    Harness::new().table(&[
        ("GET k", "$-1\r\n"),
        ("SET k v", "+OK\r\n"),
        ("GET k", "$1\r\nv\r\n"),
        ("SET k v2 NX", "$-1\r\n"),
        ("SET k v3 XX GET", "$1\r\nv\r\n"),
        ("SET new v XX", "$-1\r\n"),
        ("SET k v NX XX", "-ERR syntax error\r\n"),
        ("SET k v EX 10 PX 100", "-ERR syntax error\r\n"),
        ("SET k v EX 10 KEEPTTL", "-ERR syntax error\r\n"),
        ("SET k v EX 0", "-ERR invalid expire time in 'set' command\r\n"),
        ("SET k v EX -5", "-ERR invalid expire time in 'set' command\r\n"),
        ("SET k v EX abc", "-ERR value is not an integer or out of range\r\n"),
        ("SET k v EX 9223372036854775807", "-ERR invalid expire time in 'set' command\r\n"),
        ("SET k v EX", "-ERR syntax error\r\n"),
        ("set k v ex 10 ex 20", "+OK\r\n"),
        ("SETNX k x", ":0\r\n"),
        ("SETNX fresh x", ":1\r\n"),
        ("SETEX k 0 v", "-ERR invalid expire time in 'setex' command\r\n"),
        ("PSETEX k -1 v", "-ERR invalid expire time in 'psetex' command\r\n"),
        ("GETSET k new", "$1\r\nv\r\n"),
        ("GETDEL k", "$3\r\nnew\r\n"),
        ("GETDEL k", "$-1\r\n"),
        ("MSET a 1 b 2", "+OK\r\n"),
        ("MSET a 1 b", "-ERR wrong number of arguments for 'mset' command\r\n"),
        ("MGET a b nope", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n"),
        ("MSETNX a 9 c 9", ":0\r\n"),
        ("MSETNX c 9 d 9", ":1\r\n"),
        ("APPEND s hello", ":5\r\n"),
        ("APPEND s \" world\"", ":11\r\n"),
        ("STRLEN s", ":11\r\n"),
        ("STRLEN nope", ":0\r\n"),
        ("GETRANGE s 0 4", "$5\r\nhello\r\n"),
        ("GETRANGE s -5 -1", "$5\r\nworld\r\n"),
        ("GETRANGE s 5 1", "$0\r\n\r\n"),
        ("GETRANGE s 0 -100", "$1\r\nh\r\n"),
        ("SETRANGE s 6 W", ":11\r\n"),
        ("GET s", "$11\r\nhello World\r\n"),
        ("SETRANGE pad 3 x", ":4\r\n"),
        ("GET pad", "$4\r\n\0\0\0x\r\n"),
        ("SETRANGE s -1 x", "-ERR offset is out of range\r\n"),
        ("SETRANGE s 536870911 xx", "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"),
        ("SETRANGE empty 5 \"\"", ":0\r\n"),
        ("EXISTS empty", ":0\r\n"),
    ]);
}

#[test]
fn should_count_like_redis() {
    Harness::new().table(&[
        ("INCR n", ":1\r\n"),
        ("INCRBY n 41", ":42\r\n"),
        ("DECR n", ":41\r\n"),
        ("DECRBY n 1", ":40\r\n"),
        ("INCRBY n abc", "-ERR value is not an integer or out of range\r\n"),
        ("INCRBY n +1", "-ERR value is not an integer or out of range\r\n"),
        ("INCRBY n 01", "-ERR value is not an integer or out of range\r\n"),
        ("SET big 9223372036854775807", "+OK\r\n"),
        ("INCR big", "-ERR increment or decrement would overflow\r\n"),
        ("DECRBY n -9223372036854775808", "-ERR decrement would overflow\r\n"),
        ("SET s hello", "+OK\r\n"),
        ("INCR s", "-ERR value is not an integer or out of range\r\n"),
        ("SET f 10.5", "+OK\r\n"),
        ("INCRBYFLOAT f 0.1", "$4\r\n10.6\r\n"),
        ("INCRBYFLOAT f 5.0e3", "$22\r\n5010.60000000000000009\r\n"),
        ("INCRBYFLOAT f abc", "-ERR value is not a valid float\r\n"),
        ("INCRBYFLOAT s 1", "-ERR value is not a valid float\r\n"),
        ("INCRBYFLOAT f inf", "-ERR increment would produce NaN or Infinity\r\n"),
        ("INCRBYFLOAT g -0.5", "$4\r\n-0.5\r\n"),
    ]);
}

#[test]
fn should_expire_keys_by_the_clock() {
    let mut h = Harness::new();
    h.table(&[
        ("SET k v EX 10", "+OK\r\n"),
        ("TTL k", ":10\r\n"),
        ("PTTL k", ":10000\r\n"),
        ("EXPIRETIME k", ":1700000010\r\n"),
        ("PEXPIRETIME k", ":1700000010000\r\n"),
        ("TTL nope", ":-2\r\n"),
        ("SET p v", "+OK\r\n"),
        ("TTL p", ":-1\r\n"),
        ("EXPIRE p 100 XX", ":0\r\n"),
        ("EXPIRE p 100 NX", ":1\r\n"),
        ("EXPIRE p 50 GT", ":0\r\n"),
        ("EXPIRE p 50 LT", ":1\r\n"),
        ("EXPIRE p 60 NX XX", "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n"),
        ("EXPIRE p 60 GT LT", "-ERR GT and LT options at the same time are not compatible\r\n"),
        ("EXPIRE p 60 FOO", "-ERR Unsupported option FOO\r\n"),
        ("EXPIRE p 9223372036854775807", "-ERR invalid expire time in 'expire' command\r\n"),
        ("PERSIST p", ":1\r\n"),
        ("PERSIST p", ":0\r\n"),
        ("SET keep v EX 100", "+OK\r\n"),
        ("SET keep v2 KEEPTTL", "+OK\r\n"),
        ("TTL keep", ":100\r\n"),
        ("SET keep v3", "+OK\r\n"),
        ("TTL keep", ":-1\r\n"),
    ]);
    h.clock.advance(9_999);
    h.table(&[("GET k", "$1\r\nv\r\n"), ("PTTL k", ":1\r\n")]);
    h.clock.advance(1);
    h.table(&[("GET k", "$-1\r\n"), ("EXISTS k", ":0\r\n"), ("TTL k", ":-2\r\n")]);
    h.table(&[
        ("SET d v", "+OK\r\n"),
        ("EXPIRE d -1", ":1\r\n"),
        ("EXISTS d", ":0\r\n"),
        ("SET g v", "+OK\r\n"),
        ("GETEX g PX 500", "$1\r\nv\r\n"),
        ("PTTL g", ":500\r\n"),
        ("GETEX g PERSIST", "$1\r\nv\r\n"),
        ("TTL g", ":-1\r\n"),
        ("GETEX g EX 0", "-ERR invalid expire time in 'getex' command\r\n"),
        ("GETEX g PERSIST EX 1", "-ERR syntax error\r\n"),
        ("GETEX nope EX 10", "$-1\r\n"),
    ]);
}

#[test]
fn should_manage_keys_like_redis() {
    Harness::new().table(&[
        ("MSET a 1 b 2 c 3", "+OK\r\n"),
        ("EXISTS a a nope", ":2\r\n"),
        ("TYPE a", "+string\r\n"),
        ("TYPE nope", "+none\r\n"),
        ("DEL a nope", ":1\r\n"),
        ("UNLINK b", ":1\r\n"),
        ("DBSIZE", ":1\r\n"),
        ("RENAME nope x", "-ERR no such key\r\n"),
        ("RENAME c d", "+OK\r\n"),
        ("GET d", "$1\r\n3\r\n"),
        ("SET e 5", "+OK\r\n"),
        ("RENAMENX d e", ":0\r\n"),
        ("RENAMENX d f", ":1\r\n"),
        ("COPY f f", "-ERR source and destination objects are the same\r\n"),
        ("COPY f g", ":1\r\n"),
        ("COPY f g", ":0\r\n"),
        ("COPY f g REPLACE", ":1\r\n"),
        ("COPY f g DB 99", "-ERR DB index is out of range\r\n"),
        ("COPY f g DB x", "-ERR value is not an integer or out of range\r\n"),
        ("COPY f g FOO", "-ERR syntax error\r\n"),
        ("MOVE f 0", "-ERR source and destination objects are the same\r\n"),
        ("MOVE f 1", ":1\r\n"),
        ("EXISTS f", ":0\r\n"),
        ("SELECT 1", "+OK\r\n"),
        ("GET f", "$1\r\n3\r\n"),
        ("SELECT 16", "-ERR DB index is out of range\r\n"),
        ("SELECT x", "-ERR value is not an integer or out of range\r\n"),
        ("SELECT 4294967296", "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n"),
        ("RANDOMKEY", "$1\r\nf\r\n"),
        ("FLUSHDB", "+OK\r\n"),
        ("RANDOMKEY", "$-1\r\n"),
        ("FLUSHDB BAD", "-ERR syntax error\r\n"),
        ("SCAN x", "-ERR invalid cursor\r\n"),
        ("SCAN 0 COUNT 0", "-ERR syntax error\r\n"),
        ("SCAN 0 COUNT", "-ERR syntax error\r\n"),
        ("SCAN 0", "*2\r\n$1\r\n0\r\n*0\r\n"),
        ("SET user:1 a", "+OK\r\n"),
        ("SET other b", "+OK\r\n"),
        ("KEYS user:*", "*1\r\n$6\r\nuser:1\r\n"),
        ("SCAN 0 MATCH other COUNT 100", "*2\r\n$1\r\n0\r\n*1\r\n$5\r\nother\r\n"),
        ("SCAN 0 TYPE hash", "*2\r\n$1\r\n0\r\n*0\r\n"),
    ]);
}

#[test]
fn should_answer_connection_commands_like_redis() {
    Harness::new().table(&[
        ("PING", "+PONG\r\n"),
        ("PING hi", "$2\r\nhi\r\n"),
        ("PING a b", "-ERR wrong number of arguments for 'ping' command\r\n"),
        ("ECHO x", "$1\r\nx\r\n"),
        ("get", "-ERR wrong number of arguments for 'get' command\r\n"),
        ("FOO a b", "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n"),
        ("CLIENT FOO", "-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n"),
        ("CLIENT", "-ERR wrong number of arguments for 'client' command\r\n"),
        ("CLIENT SETNAME", "-ERR wrong number of arguments for 'client|setname' command\r\n"),
        ("CLIENT SETNAME \"a b\"", "-ERR Client names cannot contain spaces, newlines or special characters.\r\n"),
        ("CLIENT SETNAME app", "+OK\r\n"),
        ("CLIENT GETNAME", "$3\r\napp\r\n"),
        ("CLIENT SETINFO LIB-NAME redis-py", "+OK\r\n"),
        ("CLIENT SETINFO lib-ver 8.1.0", "+OK\r\n"),
        ("CLIENT SETINFO FOO x", "-ERR Unrecognized option 'FOO'\r\n"),
        ("CLIENT NO-EVICT maybe", "-ERR syntax error\r\n"),
        ("CLIENT NO-EVICT on", "+OK\r\n"),
        ("AUTH secret", "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n"),
        ("AUTH default secret", "+OK\r\n"),
        ("AUTH bob secret", "-WRONGPASS invalid username-password pair or user is disabled.\r\n"),
        ("HELLO 4", "-NOPROTO unsupported protocol version\r\n"),
        ("HELLO x", "-ERR Protocol version is not an integer or out of range\r\n"),
        ("HELLO 3 FOO", "-ERR Syntax error in HELLO option 'FOO'\r\n"),
        ("CONFIG GET maxmemory", "*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n"),
        ("CONFIG SET port 1", "-ERR CONFIG SET failed (possibly related to argument 'port') - can't set immutable config\r\n"),
        ("CONFIG SET nope 1", "-ERR Unknown option or number of arguments for CONFIG SET - 'nope'\r\n"),
        ("CONFIG SET timeout 5", "+OK\r\n"),
        ("CONFIG GET timeout", "*2\r\n$7\r\ntimeout\r\n$1\r\n5\r\n"),
        ("CONFIG SET timeout", "-ERR wrong number of arguments for 'config|set' command\r\n"),
        ("RESET", "+RESET\r\n"),
        ("CLIENT GETNAME", "$-1\r\n"),
    ]);
}

#[test]
fn should_speak_resp3_after_hello_3() {
    let mut h = Harness::new();
    let hello = h.run("HELLO 3");
    assert!(hello.starts_with("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.2.4\r\n$5\r\nproto\r\n:3\r\n"), "{hello}");
    h.table(&[
        ("GET nope", "_\r\n"),
        ("CONFIG GET maxmemory", "%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n"),
        ("MULTI", "+OK\r\n"),
        ("EXEC", "*0\r\n"),
    ]);
}

#[test]
fn should_run_transactions_like_redis() {
    let mut h = Harness::new();
    h.table(&[
        ("EXEC", "-ERR EXEC without MULTI\r\n"),
        ("DISCARD", "-ERR DISCARD without MULTI\r\n"),
        ("MULTI", "+OK\r\n"),
        ("MULTI", "-ERR MULTI calls can not be nested\r\n"),
        ("SET a 1", "+QUEUED\r\n"),
        ("INCR a", "+QUEUED\r\n"),
        ("SET s x", "+QUEUED\r\n"),
        ("INCR s", "+QUEUED\r\n"),
        ("EXEC", "*4\r\n+OK\r\n:2\r\n+OK\r\n-ERR value is not an integer or out of range\r\n"),
        ("MULTI", "+OK\r\n"),
        ("SET a 1", "+QUEUED\r\n"),
        ("GET", "-ERR wrong number of arguments for 'get' command\r\n"),
        ("NOPE", "-ERR unknown command 'NOPE', with args beginning with: \r\n"),
        ("EXEC", "-EXECABORT Transaction discarded because of previous errors.\r\n"),
        ("MULTI", "+OK\r\n"),
        ("WATCH a", "-ERR WATCH inside MULTI is not allowed\r\n"),
        ("DISCARD", "+OK\r\n"),
        ("GET a", "$1\r\n2\r\n"),
    ]);
}

#[test]
fn should_abort_exec_when_a_watched_key_changes() {
    let mut h = Harness::new();
    let mut other = h.second_session();
    h.table(&[("SET w 1", "+OK\r\n"), ("WATCH w", "+OK\r\n"), ("MULTI", "+OK\r\n"), ("INCR w", "+QUEUED\r\n")]);
    assert_eq!(h.run_in(&mut other, "SET w 5"), "+OK\r\n");
    h.table(&[("EXEC", "*-1\r\n"), ("GET w", "$1\r\n5\r\n")]);

    // Unchanged: EXEC runs.
    h.table(&[("WATCH w", "+OK\r\n"), ("MULTI", "+OK\r\n"), ("INCR w", "+QUEUED\r\n"), ("EXEC", "*1\r\n:6\r\n")]);

    // Deleted by another client, or flushed.
    h.table(&[("WATCH w", "+OK\r\n")]);
    assert_eq!(h.run_in(&mut other, "DEL w"), ":1\r\n");
    h.table(&[("MULTI", "+OK\r\n"), ("PING", "+QUEUED\r\n"), ("EXEC", "*-1\r\n")]);
    h.table(&[("SET w 1", "+OK\r\n"), ("WATCH w", "+OK\r\n")]);
    assert_eq!(h.run_in(&mut other, "FLUSHALL"), "+OK\r\n");
    h.table(&[("MULTI", "+OK\r\n"), ("PING", "+QUEUED\r\n"), ("EXEC", "*-1\r\n")]);

    // Expired between WATCH and EXEC.
    h.table(&[("SET w 1 PX 100", "+OK\r\n"), ("WATCH w", "+OK\r\n"), ("MULTI", "+OK\r\n"), ("PING", "+QUEUED\r\n")]);
    h.clock.advance(200);
    h.table(&[("EXEC", "*-1\r\n")]);
}

#[test]
fn should_refuse_writes_past_maxmemory_with_noeviction() {
    let settings = Settings { maxmemory: mokad_commands::settings::ByteSize(64 * 1024), maxmemory_policy: "noeviction".into(), ..Settings::default() };
    let mut h = Harness::with(settings);
    let mut refused = false;
    for i in 0..1000 {
        let reply = h.run(&format!("SET key:{i} {}", "x".repeat(200)));
        if reply != "+OK\r\n" {
            assert_eq!(reply, "-OOM command not allowed when used memory > 'maxmemory'.\r\n");
            refused = true;
            break;
        }
    }
    assert!(refused, "writes were never refused");
    h.table(&[("GET key:0", &format!("$200\r\n{}\r\n", "x".repeat(200))), ("DEL key:0", ":1\r\n"), ("PING", "+PONG\r\n")]);
}

#[test]
fn should_answer_command_introspection() {
    let mut h = Harness::new();
    let count = h.run("COMMAND COUNT");
    let n: usize = count.trim_start_matches(':').trim().parse().unwrap();
    assert!(n >= 60, "{count}");
    let info = h.run("COMMAND INFO get nope");
    assert!(info.starts_with("*2\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"), "{info}");
    assert!(info.ends_with("$-1\r\n"), "{info}");
    let docs = h.run("COMMAND DOCS get");
    assert!(docs.starts_with("*2\r\n$3\r\nget\r\n"), "{docs}");
    assert!(docs.contains("Returns the string value of a key."), "{docs}");
}

#[test]
fn should_report_info_fields() {
    let mut h = Harness::new();
    h.table(&[("SET a 1 EX 100", "+OK\r\n"), ("GET a", "$1\r\n1\r\n"), ("GET nope", "$-1\r\n")]);
    let info = h.run("INFO");
    for field in ["redis_version:7.2.4", "mokad_version:", "arch_bits:64", "cluster_enabled:0", "used_memory:", "maxmemory:0", "maxmemory_policy:allkeys-lru", "keyspace_hits:1", "keyspace_misses:1", "db0:keys=1,expires=1"] {
        assert!(info.contains(field), "missing {field} in {info}");
    }
    let keyspace = h.run("INFO keyspace");
    assert!(keyspace.contains("# Keyspace") && !keyspace.contains("# Server"), "{keyspace}");
}

#[test]
fn should_keep_replies_in_resp2_until_hello() {
    let mut h = Harness::new();
    assert_eq!(h.session.protocol, Protocol::Resp2);
    let hello = h.run("HELLO 2");
    assert!(hello.starts_with("*14\r\n$6\r\nserver\r\n"), "{hello}");
    assert_eq!(h.run("GET nope"), "$-1\r\n");
}

#[test]
fn should_answer_pubsub_commands_like_redis_and_queue_messages_for_subscribers() {
    let mut h = Harness::new();
    let refused = "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n";
    h.table(&[
        ("UNSUBSCRIBE", "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n"),
        (
            "SUBSCRIBE a b a",
            "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n",
        ),
        ("PSUBSCRIBE a*", "*3\r\n$10\r\npsubscribe\r\n$2\r\na*\r\n:3\r\n"),
        ("GET k", refused),
        ("get", "-ERR wrong number of arguments for 'get' command\r\n"),
        ("PING", "*2\r\n$4\r\npong\r\n$0\r\n\r\n"),
        ("PING x", "*2\r\n$4\r\npong\r\n$1\r\nx\r\n"),
    ]);
    let mut publisher = h.second_session();
    assert_eq!(h.run_in(&mut publisher, "PUBLISH a hi"), ":2\r\n");
    assert_eq!(h.run_in(&mut publisher, "PUBLISH zzz hi"), ":0\r\n");
    assert_eq!(h.run_in(&mut publisher, "PUBSUB NUMSUB a b c"), "*6\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:1\r\n$1\r\nc\r\n:0\r\n");
    let mut out = BytesMut::new();
    h.session.client.mailbox.drain(Protocol::Resp2, &mut out);
    assert_eq!(
        String::from_utf8_lossy(&out),
        "*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n*4\r\n$8\r\npmessage\r\n$2\r\na*\r\n$1\r\na\r\n$2\r\nhi\r\n"
    );
    // A message still queued when the subscriber unsubscribes goes out before the confirmation.
    assert_eq!(h.run_in(&mut publisher, "PUBLISH b late"), ":1\r\n");
    h.table(&[
        ("UNSUBSCRIBE b", "*3\r\n$7\r\nmessage\r\n$1\r\nb\r\n$4\r\nlate\r\n*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:2\r\n"),
        ("PUNSUBSCRIBE", "*3\r\n$12\r\npunsubscribe\r\n$2\r\na*\r\n:1\r\n"),
        ("UNSUBSCRIBE", "*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n"),
        ("GET k", "$-1\r\n"),
    ]);
    assert_eq!(h.run_in(&mut publisher, "PUBLISH a gone"), ":0\r\n");
    assert_eq!(h.run_in(&mut publisher, "PUBSUB CHANNELS"), "*0\r\n");
}
