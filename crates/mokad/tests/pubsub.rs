//! Pub/Sub against the real mokad binary: the `redis` crate's PubSub API in RESP2 and RESP3,
//! its RESP3 push channel, and raw sockets for the exact frames of both protocols (checked
//! against redis-server 7.0.15: `MOKAD_IT_TARGET=redis` runs these tests against it).

mod common;

use std::time::{Duration, Instant};

use common::{cmd, info, info_field, query_err, Raw, Server};
use redis::{Msg, PushKind, Value};

/// Polls `check` until it holds or `timeout` passes; whether it held.
fn eventually(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if check() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).into_owned()
}

/// PUBSUB NUMSUB for one channel.
fn numsub(conn: &mut redis::Connection, channel: &str) -> i64 {
    let (_, n): (String, i64) = cmd(&["PUBSUB", "NUMSUB", channel]).query(conn).expect("PUBSUB NUMSUB");
    n
}

/// PUBSUB NUMPAT.
fn numpat(conn: &mut redis::Connection) -> i64 {
    cmd(&["PUBSUB", "NUMPAT"]).query(conn).expect("PUBSUB NUMPAT")
}

fn message_parts(msg: &Msg) -> (String, Option<String>, String) {
    let pattern = msg.get_pattern::<Option<String>>().expect("pattern");
    (msg.get_channel_name().to_string(), pattern, msg.get_payload::<String>().expect("payload"))
}

fn receive_with_the_pubsub_api(server: &Server, mut subscriber: redis::Connection) {
    let mut publisher = server.conn();
    let mut pubsub = subscriber.as_pubsub();
    pubsub.set_read_timeout(Some(common::REPLY_TIMEOUT)).unwrap();
    pubsub.subscribe(&["news", "sports"]).unwrap();
    pubsub.psubscribe("n*").unwrap();
    // In RESP3 the crate does not wait for confirmations: a command on another connection may
    // overtake them (with Redis too), so wait until the server has the subscriptions.
    let subscribed = |c: &mut redis::Connection, n: i64| numsub(c, "news") == n && numsub(c, "sports") == 1 && numpat(c) == n;
    assert!(eventually(common::REPLY_TIMEOUT, || subscribed(&mut publisher, 1)));

    let receivers: i64 = cmd(&["PUBLISH", "news", "hello"]).query(&mut publisher).unwrap();
    assert_eq!(receivers, 2, "one channel subscription and one matching pattern");
    let mut got = vec![message_parts(&pubsub.get_message().unwrap()), message_parts(&pubsub.get_message().unwrap())];
    got.sort();
    assert_eq!(
        got,
        vec![
            ("news".to_string(), None, "hello".to_string()),
            ("news".to_string(), Some("n*".to_string()), "hello".to_string()),
        ]
    );
    let receivers: i64 = cmd(&["PUBLISH", "sports", "goal"]).query(&mut publisher).unwrap();
    assert_eq!(receivers, 1);
    assert_eq!(message_parts(&pubsub.get_message().unwrap()), ("sports".to_string(), None, "goal".to_string()));
    let receivers: i64 = cmd(&["PUBLISH", "weather", "rain"]).query(&mut publisher).unwrap();
    assert_eq!(receivers, 0);

    pubsub.unsubscribe("news").unwrap();
    pubsub.punsubscribe("n*").unwrap();
    assert!(eventually(common::REPLY_TIMEOUT, || subscribed(&mut publisher, 0)));
    let receivers: i64 = cmd(&["PUBLISH", "news", "nobody"]).query(&mut publisher).unwrap();
    assert_eq!(receivers, 0);
    let receivers: i64 = cmd(&["PUBLISH", "sports", "still"]).query(&mut publisher).unwrap();
    assert_eq!(receivers, 1);
    assert_eq!(message_parts(&pubsub.get_message().unwrap()), ("sports".to_string(), None, "still".to_string()));
    drop(pubsub);
    // Dropping the PubSub unsubscribes from everything: the connection is usable again.
    let value: Option<String> = cmd(&["GET", "k"]).query(&mut subscriber).unwrap();
    assert_eq!(value, None);
    assert_eq!(numsub(&mut publisher, "sports"), 0);
}

#[test]
fn redis_crate_pubsub_receives_channel_and_pattern_messages_in_resp2() {
    let server = Server::start();
    receive_with_the_pubsub_api(&server, server.conn());
}

#[test]
fn redis_crate_pubsub_receives_channel_and_pattern_messages_in_resp3() {
    let server = Server::start();
    receive_with_the_pubsub_api(&server, server.conn3());
}

#[test]
fn resp3_pushes_arrive_while_the_same_connection_runs_other_commands() {
    let server = Server::start();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let config = redis::AsyncConnectionConfig::new().set_push_sender(tx);
        let client = redis::Client::open(format!("{}?protocol=resp3", server.url())).unwrap();
        let mut conn = client.get_multiplexed_async_connection_with_config(&config).await.unwrap();
        let mut next_push = async || {
            tokio::time::timeout(common::REPLY_TIMEOUT, rx.recv()).await.expect("a push in time").expect("push channel open")
        };
        conn.subscribe("events").await.unwrap();
        conn.psubscribe("ev*").await.unwrap();
        let push = next_push().await;
        assert_eq!((push.kind, push.data), (PushKind::Subscribe, vec![Value::BulkString(b"events".to_vec()), Value::Int(1)]));
        let push = next_push().await;
        assert_eq!((push.kind, push.data), (PushKind::PSubscribe, vec![Value::BulkString(b"ev*".to_vec()), Value::Int(2)]));

        // RESP3 allows any command while subscribed.
        let () = redis::cmd("SET").arg("k").arg("v").query_async(&mut conn).await.unwrap();
        let value: String = redis::cmd("GET").arg("k").query_async(&mut conn).await.unwrap();
        assert_eq!(value, "v");

        // Another client publishes.
        let mut other = client.get_multiplexed_async_connection().await.unwrap();
        let receivers: i64 = redis::cmd("PUBLISH").arg("events").arg("from-other").query_async(&mut other).await.unwrap();
        assert_eq!(receivers, 2);
        let push = next_push().await;
        assert_eq!(push.kind, PushKind::Message);
        assert_eq!(push.data, vec![Value::BulkString(b"events".to_vec()), Value::BulkString(b"from-other".to_vec())]);
        let push = next_push().await;
        assert_eq!(push.kind, PushKind::PMessage);
        assert_eq!(
            push.data,
            vec![Value::BulkString(b"ev*".to_vec()), Value::BulkString(b"events".to_vec()), Value::BulkString(b"from-other".to_vec())]
        );

        // The subscriber publishes to itself: the messages come as pushes, the count as the reply.
        let receivers: i64 = redis::cmd("PUBLISH").arg("events").arg("to-self").query_async(&mut conn).await.unwrap();
        assert_eq!(receivers, 2);
        assert_eq!(next_push().await.kind, PushKind::Message);
        assert_eq!(next_push().await.kind, PushKind::PMessage);

        conn.unsubscribe("events").await.unwrap();
        let push = next_push().await;
        assert_eq!((push.kind, push.data), (PushKind::Unsubscribe, vec![Value::BulkString(b"events".to_vec()), Value::Int(1)]));
    });
}

#[test]
fn resp2_frames_are_arrays_exactly_as_redis_writes_them() {
    let server = Server::start();
    let mut sub = server.raw();
    let mut publisher = server.raw();
    assert_eq!(text(sub.call(&["UNSUBSCRIBE"])), "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
    assert_eq!(text(sub.call(&["PUNSUBSCRIBE"])), "*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n");
    sub.send_cmd(&[b"SUBSCRIBE", b"c1", b"c2", b"c1"]);
    assert_eq!(
        text(sub.read_replies(3)),
        "*3\r\n$9\r\nsubscribe\r\n$2\r\nc1\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$2\r\nc2\r\n:2\r\n*3\r\n$9\r\nsubscribe\r\n$2\r\nc1\r\n:2\r\n",
        "one confirmation per argument, repeats included; the count is of distinct channels"
    );
    assert_eq!(text(sub.call(&["PSUBSCRIBE", "c*"])), "*3\r\n$10\r\npsubscribe\r\n$2\r\nc*\r\n:3\r\n");
    assert_eq!(publisher.call_str(&["PUBLISH", "c1", "hello"]), ":2\r\n");
    assert_eq!(
        text(sub.read_replies(2)),
        "*3\r\n$7\r\nmessage\r\n$2\r\nc1\r\n$5\r\nhello\r\n*4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nc1\r\n$5\r\nhello\r\n"
    );
    // Binary-safe names and payloads.
    assert_eq!(publisher.call_str(&["PUBLISH", "c2", "a\r\nb\0"]), ":2\r\n");
    assert_eq!(
        text(sub.read_replies(2)),
        "*3\r\n$7\r\nmessage\r\n$2\r\nc2\r\n$5\r\na\r\nb\0\r\n*4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nc2\r\n$5\r\na\r\nb\0\r\n"
    );

    // Subscribed RESP2 clients may only (un)subscribe, PING, QUIT and RESET.
    assert_eq!(text(sub.call(&["PING"])), "*2\r\n$4\r\npong\r\n$0\r\n\r\n");
    assert_eq!(text(sub.call(&["PING", "hi"])), "*2\r\n$4\r\npong\r\n$2\r\nhi\r\n");
    assert_eq!(text(sub.call(&["PING", "a", "b"])), "-ERR wrong number of arguments for 'ping' command\r\n");
    let refused = |name: &str| {
        format!("-ERR Can't execute '{name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n")
    };
    assert_eq!(text(sub.call(&["GET", "k"])), refused("get"));
    assert_eq!(text(sub.call(&["client", "info"])), refused("client|info"));
    assert_eq!(text(sub.call(&["PUBLISH", "c1", "x"])), refused("publish"));
    assert_eq!(text(sub.call(&["MULTI"])), refused("multi"));
    assert_eq!(text(sub.call(&["HELLO", "3"])), refused("hello"));
    // Unknown commands and arity are checked first, as in Redis.
    assert_eq!(text(sub.call(&["get"])), "-ERR wrong number of arguments for 'get' command\r\n");
    assert_eq!(text(sub.call(&["NOSUCH"])), "-ERR unknown command 'NOSUCH', with args beginning with: \r\n");
    assert_eq!(text(sub.call(&["SUBSCRIBE"])), "-ERR wrong number of arguments for 'subscribe' command\r\n");

    sub.send_cmd(&[b"UNSUBSCRIBE", b"c2", b"nosuch"]);
    assert_eq!(
        text(sub.read_replies(2)),
        "*3\r\n$11\r\nunsubscribe\r\n$2\r\nc2\r\n:2\r\n*3\r\n$11\r\nunsubscribe\r\n$6\r\nnosuch\r\n:2\r\n"
    );
    assert_eq!(text(sub.call(&["PUNSUBSCRIBE"])), "*3\r\n$12\r\npunsubscribe\r\n$2\r\nc*\r\n:1\r\n");
    assert_eq!(text(sub.call(&["UNSUBSCRIBE"])), "*3\r\n$11\r\nunsubscribe\r\n$2\r\nc1\r\n:0\r\n");
    // Out of subscribed mode, everything runs again.
    assert_eq!(text(sub.call(&["GET", "k"])), "$-1\r\n");
    assert_eq!(text(sub.call(&["PING"])), "+PONG\r\n");
}

#[test]
fn resp3_frames_are_pushes_and_any_command_runs_while_subscribed() {
    let server = Server::start();
    let mut sub = server.raw();
    let mut publisher = server.raw();
    sub.call(&["HELLO", "3"]);
    assert_eq!(text(sub.call(&["UNSUBSCRIBE"])), ">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n");
    sub.send_cmd(&[b"SUBSCRIBE", b"c1", b"c2"]);
    assert_eq!(text(sub.read_replies(2)), ">3\r\n$9\r\nsubscribe\r\n$2\r\nc1\r\n:1\r\n>3\r\n$9\r\nsubscribe\r\n$2\r\nc2\r\n:2\r\n");
    assert_eq!(text(sub.call(&["PSUBSCRIBE", "c*"])), ">3\r\n$10\r\npsubscribe\r\n$2\r\nc*\r\n:3\r\n");
    assert_eq!(text(sub.call(&["PING"])), "+PONG\r\n");
    assert_eq!(text(sub.call(&["SET", "k", "v"])), "+OK\r\n");
    assert_eq!(text(sub.call(&["GET", "k"])), "$1\r\nv\r\n");

    assert_eq!(publisher.call_str(&["PUBLISH", "c1", "m"]), ":2\r\n");
    assert_eq!(text(sub.read_replies(2)), ">3\r\n$7\r\nmessage\r\n$2\r\nc1\r\n$1\r\nm\r\n>4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nc1\r\n$1\r\nm\r\n");
    // Publishing to itself: the messages are written before the count.
    sub.send_cmd(&[b"PUBLISH", b"c2", b"self"]);
    assert_eq!(
        text(sub.read_replies(3)),
        ">3\r\n$7\r\nmessage\r\n$2\r\nc2\r\n$4\r\nself\r\n>4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nc2\r\n$4\r\nself\r\n:2\r\n"
    );
    // A message published before a command is written before that command's reply.
    assert_eq!(publisher.call_str(&["PUBLISH", "c2", "first"]), ":2\r\n");
    sub.send_cmd(&[b"ECHO", b"second"]);
    assert_eq!(
        text(sub.read_replies(3)),
        ">3\r\n$7\r\nmessage\r\n$2\r\nc2\r\n$5\r\nfirst\r\n>4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nc2\r\n$5\r\nfirst\r\n$6\r\nsecond\r\n"
    );

    // Back to RESP2 while subscribed: now in the restricted mode.
    sub.call(&["HELLO", "2"]);
    assert!(text(sub.call(&["GET", "k"])).starts_with("-ERR Can't execute 'get'"));
    // Unsubscribing from all: in no particular order (Redis's is its hash table's), the count
    // going down with each.
    sub.send_cmd(&[b"UNSUBSCRIBE"]);
    let first = text(sub.read_reply());
    let second = text(sub.read_reply());
    let frame = |channel: &str, count: i64| format!("*3\r\n$11\r\nunsubscribe\r\n$2\r\n{channel}\r\n:{count}\r\n");
    assert!(
        (first == frame("c1", 2) && second == frame("c2", 1)) || (first == frame("c2", 2) && second == frame("c1", 1)),
        "{first:?} {second:?}"
    );
}

#[test]
fn subscribe_inside_multi_runs_at_exec_with_frames_inline_as_redis() {
    let server = Server::start();
    let mut c = server.raw();
    assert_eq!(c.call_str(&["MULTI"]), "+OK\r\n");
    assert_eq!(c.call_str(&["SUBSCRIBE", "x"]), "+QUEUED\r\n");
    assert_eq!(c.call_str(&["PUBLISH", "x", "m"]), "+QUEUED\r\n");
    assert_eq!(c.call_str(&["GET", "k"]), "+QUEUED\r\n");
    c.send_cmd(&[b"EXEC"]);
    // Redis writes the confirmation and the message to itself straight into the output, so the
    // EXEC array holds more frames than its header counts.
    assert_eq!(
        text(c.read_replies(2)),
        "*3\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nx\r\n:1\r\n*3\r\n$7\r\nmessage\r\n$1\r\nx\r\n$1\r\nm\r\n:1\r\n$-1\r\n"
    );
    // EXEC left the connection subscribed.
    assert!(c.call_str(&["GET", "k"]).starts_with("-ERR Can't execute 'get'"));
}

#[test]
fn pubsub_introspection_counts_channels_subscribers_and_patterns() {
    let server = Server::start();
    let mut a = server.raw();
    let mut b = server.raw();
    let mut admin = server.conn();
    a.send_cmd(&[b"SUBSCRIBE", b"news.tech", b"news.art", b"weather"]);
    a.read_replies(3);
    a.send_cmd(&[b"PSUBSCRIBE", b"news.*", b"w*"]);
    a.read_replies(2);
    b.send_cmd(&[b"SUBSCRIBE", b"news.tech"]);
    b.read_reply();
    b.send_cmd(&[b"PSUBSCRIBE", b"news.*"]);
    b.read_reply();

    let mut channels: Vec<String> = cmd(&["PUBSUB", "CHANNELS"]).query(&mut admin).unwrap();
    channels.sort();
    assert_eq!(channels, ["news.art", "news.tech", "weather"]);
    let mut channels: Vec<String> = cmd(&["PUBSUB", "CHANNELS", "news.*"]).query(&mut admin).unwrap();
    channels.sort();
    assert_eq!(channels, ["news.art", "news.tech"]);
    let channels: Vec<String> = cmd(&["PUBSUB", "CHANNELS", "nomatch*"]).query(&mut admin).unwrap();
    assert!(channels.is_empty());
    let counts: Value = cmd(&["PUBSUB", "NUMSUB", "news.tech", "weather", "nosuch"]).query(&mut admin).unwrap();
    let bulk = |s: &str| Value::BulkString(s.as_bytes().to_vec());
    assert_eq!(counts, Value::Array(vec![bulk("news.tech"), Value::Int(2), bulk("weather"), Value::Int(1), bulk("nosuch"), Value::Int(0)]));
    assert_eq!(cmd(&["PUBSUB", "NUMSUB"]).query::<Value>(&mut admin).unwrap(), Value::Array(vec![]));
    let numpat: i64 = cmd(&["PUBSUB", "NUMPAT"]).query(&mut admin).unwrap();
    assert_eq!(numpat, 2, "distinct patterns, as Redis 7 counts them");
    let receivers: i64 = cmd(&["PUBLISH", "news.tech", "x"]).query(&mut admin).unwrap();
    assert_eq!(receivers, 4, "two channel subscribers and two matching pattern subscriptions");
    let stats = info(&mut admin, "stats");
    assert_eq!(info_field(&stats, "pubsub_channels").as_deref(), Some("3"));
    assert_eq!(info_field(&stats, "pubsub_patterns").as_deref(), Some("2"));
    assert_eq!(info_field(&stats, "pubsubshard_channels").as_deref(), Some("0"));

    // Errors and help, in Redis's words.
    assert_eq!(
        query_err(&mut admin, &cmd(&["PUBSUB", "channels", "a", "b"])),
        "ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP."
    );
    assert_eq!(query_err(&mut admin, &cmd(&["PUBSUB", "NUMPAT", "x"])), "ERR wrong number of arguments for 'pubsub|numpat' command");
    assert_eq!(query_err(&mut admin, &cmd(&["PUBSUB", "FOO"])), "ERR unknown subcommand 'FOO'. Try PUBSUB HELP.");
    assert_eq!(query_err(&mut admin, &cmd(&["PUBSUB"])), "ERR wrong number of arguments for 'pubsub' command");
    assert_eq!(query_err(&mut admin, &cmd(&["PUBLISH", "c"])), "ERR wrong number of arguments for 'publish' command");
    let help: Vec<String> = cmd(&["PUBSUB", "HELP"]).query(&mut admin).unwrap();
    assert_eq!(help.len(), 14);
    assert_eq!(help[0], "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    assert_eq!(help[13], "    Prints this help.");
}

#[test]
fn shard_channels_have_their_own_namespace_and_counts() {
    let server = Server::start();
    let mut sub = server.raw();
    let mut admin = server.conn();
    sub.call(&["HELLO", "3"]);
    sub.send_cmd(&[b"SSUBSCRIBE", b"s1", b"s2"]);
    assert_eq!(text(sub.read_replies(2)), ">3\r\n$10\r\nssubscribe\r\n$2\r\ns1\r\n:1\r\n>3\r\n$10\r\nssubscribe\r\n$2\r\ns2\r\n:2\r\n");
    assert_eq!(text(sub.call(&["SUBSCRIBE", "s1"])), ">3\r\n$9\r\nsubscribe\r\n$2\r\ns1\r\n:1\r\n", "channel counts exclude shard channels");
    let receivers: i64 = cmd(&["SPUBLISH", "s1", "m"]).query(&mut admin).unwrap();
    assert_eq!(receivers, 1);
    assert_eq!(text(sub.read_reply()), ">3\r\n$8\r\nsmessage\r\n$2\r\ns1\r\n$1\r\nm\r\n");
    let mut shards: Vec<String> = cmd(&["PUBSUB", "SHARDCHANNELS"]).query(&mut admin).unwrap();
    shards.sort();
    assert_eq!(shards, ["s1", "s2"]);
    let (_, n): (String, i64) = cmd(&["PUBSUB", "SHARDNUMSUB", "s2"]).query(&mut admin).unwrap();
    assert_eq!(n, 1);
    assert_eq!(text(sub.call(&["SUNSUBSCRIBE", "s1"])), ">3\r\n$12\r\nsunsubscribe\r\n$2\r\ns1\r\n:1\r\n");
    assert_eq!(text(sub.call(&["SUNSUBSCRIBE"])), ">3\r\n$12\r\nsunsubscribe\r\n$2\r\ns2\r\n:0\r\n");
    assert_eq!(text(sub.call(&["SUNSUBSCRIBE"])), ">3\r\n$12\r\nsunsubscribe\r\n_\r\n:0\r\n");
}

#[test]
fn reset_leaves_subscribed_mode_silently() {
    let server = Server::start();
    let mut sub = server.raw();
    let mut admin = server.conn();
    sub.send_cmd(&[b"SUBSCRIBE", b"a", b"b"]);
    sub.read_replies(2);
    sub.call(&["PSUBSCRIBE", "*"]);
    assert_eq!(sub.call_str(&["RESET"]), "+RESET\r\n");
    assert_eq!(sub.call_str(&["GET", "k"]), "$-1\r\n");
    assert_eq!(numsub(&mut admin, "a"), 0);
    let numpat: i64 = cmd(&["PUBSUB", "NUMPAT"]).query(&mut admin).unwrap();
    assert_eq!(numpat, 0);
    let receivers: i64 = cmd(&["PUBLISH", "a", "x"]).query(&mut admin).unwrap();
    assert_eq!(receivers, 0);
    sub.assert_silent(Duration::from_millis(200));
}

#[test]
fn a_closed_subscriber_is_removed_from_every_channel_and_pattern() {
    let server = Server::start();
    let mut admin = server.conn();
    let mut sub = server.raw();
    sub.send_cmd(&[b"SUBSCRIBE", b"gone"]);
    sub.read_reply();
    sub.call(&["PSUBSCRIBE", "go*"]);
    assert_eq!(numsub(&mut admin, "gone"), 1);
    drop(sub);
    assert!(eventually(common::REPLY_TIMEOUT, || numsub(&mut admin, "gone") == 0), "NUMSUB stays at 1 after the subscriber closed");
    let numpat: i64 = cmd(&["PUBSUB", "NUMPAT"]).query(&mut admin).unwrap();
    assert_eq!(numpat, 0);
    let receivers: i64 = cmd(&["PUBLISH", "gone", "x"]).query(&mut admin).unwrap();
    assert_eq!(receivers, 0);
    let channels: Vec<String> = cmd(&["PUBSUB", "CHANNELS"]).query(&mut admin).unwrap();
    assert!(channels.is_empty());
}

#[test]
fn client_list_shows_subscription_counts_and_the_pubsub_type() {
    let server = Server::start();
    let mut admin = server.conn();
    let mut sub = server.raw();
    let sub_addr = sub.local_addr();
    sub.send_cmd(&[b"SUBSCRIBE", b"a", b"b"]);
    sub.read_replies(2);
    sub.call(&["PSUBSCRIBE", "p*"]);
    let list: String = cmd(&["CLIENT", "LIST"]).query(&mut admin).unwrap();
    let line = list.lines().find(|l| l.contains(&format!("addr={sub_addr} "))).expect("the subscriber's line");
    assert!(line.contains(" flags=P ") && line.contains(" sub=2 psub=1 ssub=0 "), "{line}");
    let me: String = cmd(&["CLIENT", "INFO"]).query(&mut admin).unwrap();
    assert!(me.contains(" flags=N ") && me.contains(" sub=0 psub=0 ssub=0 "), "{me}");

    let pubsub_clients: String = cmd(&["CLIENT", "LIST", "TYPE", "pubsub"]).query(&mut admin).unwrap();
    assert_eq!(pubsub_clients.lines().count(), 1);
    assert!(pubsub_clients.contains(&format!("addr={sub_addr} ")));
    let normal_clients: String = cmd(&["CLIENT", "LIST", "TYPE", "normal"]).query(&mut admin).unwrap();
    let admin_id: i64 = cmd(&["CLIENT", "ID"]).query(&mut admin).unwrap();
    assert!(normal_clients.contains(&format!("id={admin_id} ")), "{normal_clients}");
    assert!(!normal_clients.contains(&format!("addr={sub_addr} ")), "{normal_clients}");

    // In RESP3 a subscriber may ask about itself.
    let mut sub3 = server.raw();
    sub3.call(&["HELLO", "3"]);
    sub3.call(&["SSUBSCRIBE", "c"]);
    let me = sub3.call_str(&["CLIENT", "INFO"]);
    assert!(me.contains(" flags=P ") && me.contains(" sub=0 psub=0 ssub=1 "), "{me}");

    let killed: i64 = cmd(&["CLIENT", "KILL", "TYPE", "pubsub"]).query(&mut admin).unwrap();
    assert_eq!(killed, 2);
    assert!(sub.closed_within(common::REPLY_TIMEOUT));
    assert!(sub3.closed_within(common::REPLY_TIMEOUT));
}

#[test]
fn pushes_ignore_client_reply_off_as_in_redis() {
    let server = Server::start();
    let mut sub = server.raw();
    let mut admin = server.conn();
    sub.send(b"CLIENT REPLY OFF\r\n").unwrap();
    assert_eq!(text(sub.call(&["SUBSCRIBE", "r"])), "*3\r\n$9\r\nsubscribe\r\n$1\r\nr\r\n:1\r\n");
    let receivers: i64 = cmd(&["PUBLISH", "r", "m"]).query(&mut admin).unwrap();
    assert_eq!(receivers, 1);
    assert_eq!(text(sub.read_reply()), "*3\r\n$7\r\nmessage\r\n$1\r\nr\r\n$1\r\nm\r\n");
    // The pong is a reply, not a push: suppressed. The confirmation is a push: sent.
    sub.send_cmd(&[b"PING"]);
    assert_eq!(text(sub.call(&["UNSUBSCRIBE"])), "*3\r\n$11\r\nunsubscribe\r\n$1\r\nr\r\n:0\r\n");
}

#[test]
fn subscribers_are_exempt_from_the_idle_timeout() {
    let server = Server::start_with(&["--timeout", "1"]);
    let mut sub = server.raw();
    let mut idle = server.raw();
    sub.call(&["SUBSCRIBE", "c"]);
    idle.call(&["PING"]);
    std::thread::sleep(Duration::from_millis(2500));
    assert!(idle.closed_within(Duration::from_secs(5)), "an idle normal client is closed");
    let mut admin = server.conn();
    let receivers: i64 = cmd(&["PUBLISH", "c", "still here"]).query(&mut admin).unwrap();
    assert_eq!(receivers, 1);
    assert_eq!(text(sub.read_reply()), "*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$10\r\nstill here\r\n");
}

#[test]
fn client_output_buffer_limit_reads_and_writes_like_redis() {
    let server = Server::start();
    let mut c = server.conn();
    let get = |c: &mut redis::Connection| -> Vec<String> { cmd(&["CONFIG", "GET", "client-output-buffer-limit"]).query(c).unwrap() };
    assert_eq!(get(&mut c)[1], "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
    let () = cmd(&["CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 512kb 10"]).query(&mut c).unwrap();
    assert_eq!(get(&mut c)[1], "normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 524288 10");
    assert_eq!(
        query_err(&mut c, &cmd(&["CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 512kb"])),
        "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration."
    );
    assert_eq!(
        query_err(&mut c, &cmd(&["CONFIG", "SET", "client-output-buffer-limit", "foo 1 1 1"])),
        "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration."
    );
    assert_eq!(
        query_err(&mut c, &cmd(&["CONFIG", "SET", "client-output-buffer-limit", "pubsub x 1 1"])),
        "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Error in hard, soft or soft_seconds setting in buffer limit configuration."
    );
}

/// A subscriber that never reads: the publisher floods it with 64 KiB messages until PUBLISH
/// stops counting it. Returns how many messages that took.
fn flood_until_dropped(admin: &mut redis::Connection, channel: &str, max: usize) -> Option<usize> {
    let payload = "x".repeat(64 * 1024);
    for i in 0..max {
        let receivers: i64 = cmd(&["PUBLISH", channel, &payload]).query(admin).unwrap();
        if receivers == 0 {
            return Some(i);
        }
    }
    None
}

#[test]
fn a_subscriber_that_never_reads_is_disconnected_at_the_32mb_hard_limit() {
    let server = Server::start();
    let mut admin = server.conn();
    let mut sub = Raw::connect(server.port);
    sub.call(&["SUBSCRIBE", "flood"]);
    let rss_before = server.rss_bytes();
    // 64 MiB of messages and the kernel's socket buffers (a few MiB) are more than enough.
    let sent = flood_until_dropped(&mut admin, "flood", 1600).expect("the subscriber was never disconnected");
    let sent_mib = sent as u64 * 64 / 1024;
    assert!((32..=64).contains(&sent_mib), "disconnected after {sent_mib} MiB of messages");
    assert!(
        server.rss_bytes() < rss_before + 100 * 1024 * 1024,
        "memory grew from {rss_before} to {} bytes",
        server.rss_bytes()
    );
    assert_eq!(numsub(&mut admin, "flood"), 0);
    assert!(sub.closed_within(common::REPLY_TIMEOUT), "the subscriber's connection is closed");
    // The server is fine.
    let pong: String = cmd(&["PING"]).query(&mut admin).unwrap();
    assert_eq!(pong, "PONG");
}

#[test]
fn a_subscriber_over_the_soft_limit_for_too_long_is_disconnected() {
    let server = Server::start();
    let mut admin = server.conn();
    // No hard limit: only the soft one (1 MiB for 1 second) can disconnect it.
    let () = cmd(&["CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 1mb 1"]).query(&mut admin).unwrap();
    let mut sub = Raw::connect(server.port);
    sub.call(&["SUBSCRIBE", "slow"]);
    assert_eq!(flood_until_dropped(&mut admin, "slow", 300), None, "no hard limit: still subscribed after 19 MiB");
    std::thread::sleep(Duration::from_millis(2500));
    assert!(flood_until_dropped(&mut admin, "slow", 10).is_some(), "still subscribed well past the soft limit's 1 s");
    assert!(sub.closed_within(common::REPLY_TIMEOUT));
}

#[test]
fn a_subscriber_that_reads_receives_every_message_of_a_burst() {
    let server = Server::start();
    let mut admin = server.conn();
    let mut subscriber = server.conn();
    let (subscribed, ready) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut pubsub = subscriber.as_pubsub();
        pubsub.set_read_timeout(Some(common::REPLY_TIMEOUT)).unwrap();
        pubsub.subscribe("burst").unwrap();
        subscribed.send(()).unwrap();
        let mut got = Vec::new();
        for _ in 0..5000 {
            got.push(pubsub.get_message().unwrap().get_payload::<String>().unwrap());
        }
        got
    });
    ready.recv().unwrap();
    let mut pipe = redis::pipe();
    for i in 0..5000 {
        pipe.cmd("PUBLISH").arg("burst").arg(i.to_string());
    }
    let counts: Vec<i64> = pipe.query(&mut admin).unwrap();
    assert!(counts.iter().all(|&n| n == 1));
    let got = reader.join().unwrap();
    assert_eq!(got, (0..5000).map(|i| i.to_string()).collect::<Vec<_>>(), "every message, in order");
}
