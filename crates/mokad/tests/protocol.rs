//! The wire protocol over raw sockets: inline commands, pipelining, requests split across
//! writes, protocol errors (exact `-ERR Protocol error: ...` line, then the close), limits,
//! CLIENT REPLY and QUIT.

mod common;

use std::time::Duration;

use common::{encode, Raw, Server};

const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// Sends `bytes` on a fresh connection and returns everything received until the server
/// closes the connection (panics if it does not).
fn reply_then_close(server: &Server, bytes: &[u8]) -> String {
    let mut raw = server.raw();
    // The server may close while a large request is still being written.
    let _ = raw.send(bytes);
    String::from_utf8_lossy(&raw.read_until_closed(CLOSE_TIMEOUT)).into_owned()
}

fn protocol_error(text: &str) -> String {
    format!("-ERR Protocol error: {text}\r\n")
}

#[test]
fn inline_commands() {
    let server = Server::start();
    let mut raw = server.raw();
    raw.send(b"PING\r\n").unwrap();
    assert_eq!(raw.read_reply(), b"+PONG\r\n");
    // A bare \n ends an inline command too.
    raw.send(b"SET greeting hello\n").unwrap();
    assert_eq!(raw.read_reply(), b"+OK\r\n");
    raw.send(b"GET greeting\r\n").unwrap();
    assert_eq!(raw.read_reply(), b"$5\r\nhello\r\n");
    // Extra blanks and tabs between arguments are separators; case does not matter.
    raw.send(b"  eChO \t  spaced   \r\n").unwrap();
    assert_eq!(raw.read_reply(), b"$6\r\nspaced\r\n");
    raw.send(b"PING hi there\r\n").unwrap();
    assert_eq!(raw.read_reply(), b"-ERR wrong number of arguments for 'ping' command\r\n");
    raw.send(b"NOPE a b\r\n").unwrap();
    assert_eq!(raw.read_reply(), b"-ERR unknown command 'NOPE', with args beginning with: 'a' 'b' \r\n");
    raw.send(b"GET nothing\r\n").unwrap();
    assert_eq!(raw.read_reply(), b"$-1\r\n");
    raw.send(b"INCR n\r\n").unwrap();
    assert_eq!(raw.read_reply(), b":1\r\n");
}

#[test]
fn inline_quoting_follows_redis_rules() {
    let server = Server::start();
    let mut raw = server.raw();
    raw.send(b"SET k \"hello world\"\r\n").unwrap();
    assert_eq!(raw.read_reply(), b"+OK\r\n");
    raw.send(b"GET k\r\n").unwrap();
    assert_eq!(raw.read_reply(), b"$11\r\nhello world\r\n");
    // Double quotes: \xHH, \n, \r, \t, \b, \a, \\, \" escapes.
    raw.send(b"ECHO \"a\\x41\\x7a\\n\\t\\\"q\\\"\\\\\"\r\n").unwrap();
    assert_eq!(raw.read_reply(), b"$9\r\naAz\n\t\"q\"\\\r\n");
    // Single quotes: only \' is an escape.
    raw.send(b"ECHO 'it\\'s \\n raw'\r\n").unwrap();
    assert_eq!(raw.read_reply(), b"$11\r\nit's \\n raw\r\n");
    raw.send(b"ECHO \"\"\r\n").unwrap();
    assert_eq!(raw.read_reply(), b"$0\r\n\r\n");
    raw.send(b"ECHO ''\r\n").unwrap();
    assert_eq!(raw.read_reply(), b"$0\r\n\r\n");
    // A quote may start in the middle of an argument.
    raw.send(b"ECHO ab\"c d\"\r\n").unwrap();
    assert_eq!(raw.read_reply(), b"$5\r\nabc d\r\n");
    // Binary through \x escapes.
    raw.send(b"SET bin \"\\x00\\xff\\r\\n\"\r\n").unwrap();
    assert_eq!(raw.read_reply(), b"+OK\r\n");
    raw.send(&encode(&[b"STRLEN", b"bin"])).unwrap();
    assert_eq!(raw.read_reply(), b":4\r\n");
    raw.send(&encode(&[b"GET", b"bin"])).unwrap();
    assert_eq!(raw.read_reply(), b"$4\r\n\x00\xff\r\n\r\n");
}

#[test]
fn pipelined_inline_and_resp_in_one_write() {
    let server = Server::start();
    let mut raw = server.raw();
    let mut batch = Vec::new();
    batch.extend_from_slice(b"PING\r\n");
    batch.extend_from_slice(&encode(&[b"SET", b"k", b"v\r\nv"]));
    batch.extend_from_slice(b"GET k\r\n");
    batch.extend_from_slice(b"*1\r\n$4\r\nPING\r\n");
    batch.extend_from_slice(b"ECHO \"two words\"\n");
    batch.extend_from_slice(&encode(&[b"INCR", b"n"]));
    batch.extend_from_slice(b"INCR n\r\n");
    raw.send(&batch).unwrap();
    let replies = raw.read_replies(7);
    assert_eq!(
        String::from_utf8_lossy(&replies),
        "+PONG\r\n+OK\r\n$4\r\nv\r\nv\r\n+PONG\r\n$9\r\ntwo words\r\n:1\r\n:2\r\n"
    );
    raw.assert_silent(Duration::from_millis(100));
}

#[test]
fn a_request_split_byte_by_byte_is_parsed() {
    let server = Server::start();
    let mut raw = server.raw();
    let mut stream = Vec::new();
    stream.extend_from_slice(&encode(&[b"SET", b"split", b"a value with \r\n inside"]));
    stream.extend_from_slice(b"GET split\r\n");
    stream.extend_from_slice(&encode(&[b"ECHO", b""]));
    for (i, byte) in stream.iter().enumerate() {
        raw.send(std::slice::from_ref(byte)).unwrap();
        if i % 4 == 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    let replies = raw.read_replies(3);
    assert_eq!(String::from_utf8_lossy(&replies), "+OK\r\n$22\r\na value with \r\n inside\r\n$0\r\n\r\n");
}

#[test]
fn a_large_bulk_arriving_in_many_writes() {
    let server = Server::start();
    let mut raw = server.raw();
    let value: Vec<u8> = (0..1_000_000u32).map(|i| (i % 253) as u8).collect();
    let frame = encode(&[b"SET", b"big", &value]);
    for chunk in frame.chunks(7_919) {
        raw.send(chunk).unwrap();
    }
    assert_eq!(raw.read_reply(), b"+OK\r\n");
    raw.send(&encode(&[b"STRLEN", b"big"])).unwrap();
    assert_eq!(raw.read_reply(), b":1000000\r\n");
    raw.send(&encode(&[b"GET", b"big"])).unwrap();
    let reply = raw.read_reply();
    assert_eq!(&reply[..11], b"$1000000\r\n\x00");
    assert_eq!(&reply[10..reply.len() - 2], &value[..]);
}

#[test]
fn empty_arrays_and_empty_lines_are_ignored() {
    let server = Server::start();
    let mut raw = server.raw();
    raw.send(b"*0\r\n\r\n\n   \r\n*-1\r\n*0\r\nPING\r\n").unwrap();
    assert_eq!(raw.read_reply(), b"+PONG\r\n");
    raw.assert_silent(Duration::from_millis(150));
    raw.send(b"\r\n").unwrap();
    raw.send(b"*0\r\n").unwrap();
    raw.assert_silent(Duration::from_millis(100));
    raw.send(b"PING\r\n").unwrap();
    assert_eq!(raw.read_reply(), b"+PONG\r\n");
}

#[test]
fn invalid_multibulk_length_closes_the_connection() {
    let server = Server::start();
    let expected = protocol_error("invalid multibulk length");
    assert_eq!(reply_then_close(&server, b"*abc\r\n"), expected);
    assert_eq!(reply_then_close(&server, b"*2147483648\r\n"), expected);
    assert_eq!(reply_then_close(&server, b"*1x\r\n$4\r\nPING\r\n"), expected);
    // Replies to earlier requests in the same write come first.
    assert_eq!(reply_then_close(&server, b"PING\r\n*abc\r\n"), format!("+PONG\r\n{expected}"));
}

#[test]
fn invalid_bulk_length_closes_the_connection() {
    let server = Server::start();
    let expected = protocol_error("invalid bulk length");
    assert_eq!(reply_then_close(&server, b"*1\r\n$-1\r\n"), expected);
    assert_eq!(reply_then_close(&server, b"*1\r\n$abc\r\n"), expected);
    assert_eq!(reply_then_close(&server, b"*1\r\n$536870913\r\n"), expected);
    assert_eq!(reply_then_close(&server, b"*2\r\n$4\r\nECHO\r\n$1x\r\na\r\n"), expected);
}

#[test]
fn expected_dollar_closes_the_connection() {
    let server = Server::start();
    assert_eq!(reply_then_close(&server, b"*1\r\n+PING\r\n"), protocol_error("expected '$', got '+'"));
    assert_eq!(reply_then_close(&server, b"*2\r\n$4\r\nECHO\r\n:5\r\n"), protocol_error("expected '$', got ':'"));
    assert_eq!(reply_then_close(&server, b"*1\r\nPING\r\n"), protocol_error("expected '$', got 'P'"));
}

#[test]
fn too_big_inline_request_closes_the_connection() {
    let server = Server::start();
    let line = vec![b'a'; 70_000];
    assert_eq!(reply_then_close(&server, &line), protocol_error("too big inline request"));
    let mut count = vec![b'*'];
    count.extend(vec![b'1'; 70_000]);
    assert_eq!(reply_then_close(&server, &count), protocol_error("too big mbulk count string"));
    let mut bulk = b"*1\r\n$".to_vec();
    bulk.extend(vec![b'1'; 70_000]);
    assert_eq!(reply_then_close(&server, &bulk), protocol_error("too big bulk count string"));
}

#[test]
fn a_long_inline_request_with_a_newline_is_fine() {
    let server = Server::start();
    let mut raw = server.raw();
    let mut line = b"ECHO ".to_vec();
    line.extend(vec![b'x'; 60_000]);
    line.extend_from_slice(b"\r\n");
    raw.send(&line).unwrap();
    let reply = raw.read_reply();
    assert_eq!(&reply[..9], b"$60000\r\nx");
    assert_eq!(reply.len(), 60_000 + 10);
}

#[test]
fn unbalanced_quotes_close_the_connection() {
    let server = Server::start();
    let expected = protocol_error("unbalanced quotes in request");
    assert_eq!(reply_then_close(&server, b"SET a \"b\r\n"), expected);
    assert_eq!(reply_then_close(&server, b"ECHO 'a\r\n"), expected);
    // A closing quote must be followed by a space or the end of the line.
    assert_eq!(reply_then_close(&server, b"ECHO 'a'b\r\n"), expected);
    assert_eq!(reply_then_close(&server, b"ECHO \"a\"b\r\n"), expected);
}

#[test]
fn requests_after_a_protocol_error_are_not_executed() {
    let server = Server::start();
    let mut bytes = b"SET before 1\r\n*1\r\n$x\r\n".to_vec();
    bytes.extend_from_slice(&encode(&[b"SET", b"after", b"1"]));
    assert_eq!(reply_then_close(&server, &bytes), format!("+OK\r\n{}", protocol_error("invalid bulk length")));
    let mut raw = server.raw();
    assert_eq!(raw.call(&["EXISTS", "before", "after"]), b":1\r\n");
}

#[test]
fn proto_max_bulk_len_is_honoured() {
    let server = Server::start_with(&["--proto-max-bulk-len", "2048"]);
    let mut raw = server.raw();
    let ok = vec![b'v'; 2048];
    raw.send(&encode(&[b"SET", b"k", &ok])).unwrap();
    assert_eq!(raw.read_reply(), b"+OK\r\n");
    raw.send(&encode(&[b"APPEND", b"k", b"x"])).unwrap();
    assert_eq!(raw.read_reply(), b"-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n");
    raw.send(&encode(&[b"STRLEN", b"k"])).unwrap();
    assert_eq!(raw.read_reply(), b":2048\r\n");
    let too_big = vec![b'v'; 2049];
    assert_eq!(reply_then_close(&server, &encode(&[b"SET", b"k2", &too_big])), protocol_error("invalid bulk length"));
    // The header alone is enough to be refused.
    assert_eq!(reply_then_close(&server, b"*3\r\n$3\r\nSET\r\n$2\r\nk3\r\n$2049\r\n"), protocol_error("invalid bulk length"));
    let mut raw = server.raw();
    assert_eq!(raw.call(&["EXISTS", "k2", "k3"]), b":0\r\n");
    assert_eq!(raw.call(&["CONFIG", "GET", "proto-max-bulk-len"]), b"*2\r\n$18\r\nproto-max-bulk-len\r\n$4\r\n2048\r\n");
}

#[test]
fn huge_declared_lengths_do_not_allocate() {
    let server = Server::start();
    let before = server.rss_bytes();
    let mut idle = Vec::new();
    for _ in 0..8 {
        let mut a = server.raw();
        a.send(b"*2147483647\r\n").unwrap();
        idle.push(a);
        let mut b = server.raw();
        b.send(b"*1\r\n$536870912\r\n").unwrap();
        idle.push(b);
        let mut c = server.raw();
        c.send(b"*2147483647\r\n$536870912\r\n").unwrap();
        idle.push(c);
    }
    // Every connection is waiting for data; the others are still served.
    let mut other = server.raw();
    assert_eq!(other.call(&["PING"]), b"+PONG\r\n");
    assert_eq!(other.call(&["SET", "k", "v"]), b"+OK\r\n");
    assert_eq!(other.call(&["GET", "k"]), b"$1\r\nv\r\n");
    std::thread::sleep(Duration::from_millis(100));
    let after = server.rss_bytes();
    let grown = after.saturating_sub(before);
    assert!(grown < 50 << 20, "RSS grew by {} MB (before {before}, after {after})", grown >> 20);
    for conn in &mut idle {
        conn.assert_silent(Duration::from_millis(10));
    }
    // A declared 512 MB bulk fed 64 KB does not grow memory by the declared size either.
    idle[1].send(&vec![b'z'; 64 * 1024]).unwrap();
    assert_eq!(other.call(&["PING"]), b"+PONG\r\n");
    let fed = server.rss_bytes();
    assert!(fed.saturating_sub(before) < 50 << 20, "RSS grew by {} MB after feeding 64 KB", fed.saturating_sub(before) >> 20);
}

#[test]
fn client_reply_off_skip_on() {
    let server = Server::start();
    let mut raw = server.raw();
    // OFF: no reply at all, not even to itself, and commands still run.
    raw.send(b"CLIENT REPLY OFF\r\nPING\r\nSET k v\r\nGET k\r\nNOPE\r\n").unwrap();
    raw.assert_silent(Duration::from_millis(150));
    raw.send(b"CLIENT REPLY ON\r\nGET k\r\n").unwrap();
    assert_eq!(raw.read_replies(2), b"+OK\r\n$1\r\nv\r\n");
    // SKIP: no reply to itself nor to the next command.
    raw.send(b"CLIENT REPLY SKIP\r\nINCR n\r\nINCR n\r\n").unwrap();
    assert_eq!(raw.read_reply(), b":2\r\n");
    raw.assert_silent(Duration::from_millis(100));
    // SKIP then OFF, then ON.
    raw.send(b"CLIENT REPLY SKIP\r\nCLIENT REPLY OFF\r\nPING\r\nCLIENT REPLY ON\r\nPING\r\n").unwrap();
    assert_eq!(raw.read_replies(2), b"+OK\r\n+PONG\r\n");
    raw.assert_silent(Duration::from_millis(100));
    raw.send(b"CLIENT REPLY MAYBE\r\n").unwrap();
    assert_eq!(raw.read_reply(), b"-ERR syntax error\r\n");
}

#[test]
fn quit_replies_ok_then_closes() {
    let server = Server::start();
    let mut raw = server.raw();
    raw.send(b"QUIT\r\nSET after-quit 1\r\n").unwrap();
    assert_eq!(raw.read_until_closed(CLOSE_TIMEOUT), b"+OK\r\n");
    let mut other = server.raw();
    assert_eq!(other.call(&["EXISTS", "after-quit"]), b":0\r\n", "nothing after QUIT runs");
    let mut resp = server.raw();
    resp.send(&encode(&[b"QUIT"])).unwrap();
    assert_eq!(resp.read_until_closed(CLOSE_TIMEOUT), b"+OK\r\n");
}

#[test]
fn resp3_nulls_and_hello_2_back() {
    let server = Server::start();
    let mut raw = server.raw();
    assert_eq!(raw.call(&["GET", "nothing"]), b"$-1\r\n");
    assert_eq!(raw.call(&["MGET", "nothing"]), b"*1\r\n$-1\r\n");
    let hello = raw.call_str(&["HELLO", "3"]);
    assert!(hello.starts_with("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n"), "{hello:?}");
    assert_eq!(raw.call(&["GET", "nothing"]), b"_\r\n");
    assert_eq!(raw.call(&["MGET", "nothing"]), b"*1\r\n_\r\n");
    assert_eq!(raw.call(&["CONFIG", "GET", "timeout"]), b"%1\r\n$7\r\ntimeout\r\n$1\r\n0\r\n");
    let hello2 = raw.call_str(&["HELLO", "2"]);
    assert!(hello2.starts_with("*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n"), "{hello2:?}");
    assert!(hello2.contains("$5\r\nproto\r\n:2\r\n"), "{hello2:?}");
    assert_eq!(raw.call(&["GET", "nothing"]), b"$-1\r\n");
    assert_eq!(raw.call(&["CONFIG", "GET", "timeout"]), b"*2\r\n$7\r\ntimeout\r\n$1\r\n0\r\n");
}

#[test]
fn many_connections_are_served_concurrently() {
    let server = Server::start();
    let threads: Vec<_> = (0..16)
        .map(|t| {
            let port = server.port;
            std::thread::spawn(move || {
                let mut raw = Raw::connect(port);
                let mut batch = Vec::new();
                for i in 0..200 {
                    batch.extend(encode(&[b"SET", format!("t{t}:{i}").as_bytes(), b"x"]));
                    batch.extend(encode(&[b"INCR", b"shared"]));
                }
                raw.send(&batch).unwrap();
                for _ in 0..200 {
                    assert_eq!(raw.read_reply(), b"+OK\r\n");
                    let n = raw.read_reply();
                    assert_eq!(n[0], b':');
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("client thread");
    }
    let mut raw = server.raw();
    assert_eq!(raw.call(&["GET", "shared"]), b"$4\r\n3200\r\n");
    assert_eq!(raw.call(&["DBSIZE"]), b":3201\r\n");
}

/// In Redis every CLIENT REPLY SKIP skips the reply of the command after it, even when that
/// command is another CLIENT REPLY SKIP: SKIP, SKIP, PING, PING answers one PONG.
#[test]
fn client_reply_skip_twice_skips_the_next_command_too() {
    let server = Server::start();
    let mut raw = server.raw();
    raw.send(b"CLIENT REPLY SKIP\r\nCLIENT REPLY SKIP\r\nINCR n\r\nINCR n\r\n").unwrap();
    assert_eq!(raw.read_reply(), b":2\r\n");
    raw.assert_silent(Duration::from_millis(100));
}

#[test]
fn a_pipeline_sent_whole_before_any_reply_is_read_completes() {
    // Requests and replies both far larger than the socket buffers: a server that stops
    // reading while it cannot write would leave this client blocked in its write, as redis-py
    // is when it sends a large pipeline. Redis reads on and buffers the replies.
    let server = Server::start();
    let mut raw = server.raw();
    let key = vec![b'k'; 1000];
    let value = vec![b'v'; 4000];
    raw.send_cmd(&[b"SET", &key, &value]);
    assert_eq!(raw.read_reply(), b"+OK\r\n");
    let count = 20_000;
    let get = encode(&[b"GET", &key]);
    let pipeline: Vec<u8> = get.iter().copied().cycle().take(get.len() * count).collect();
    raw.send(&pipeline).expect("the server reads the whole pipeline before any reply is read");
    let mut expected = format!("${}\r\n", value.len()).into_bytes();
    expected.extend_from_slice(&value);
    expected.extend_from_slice(b"\r\n");
    for i in 0..count {
        assert_eq!(raw.read_reply(), expected, "reply {i}");
    }
    raw.assert_silent(Duration::from_millis(100));
}
