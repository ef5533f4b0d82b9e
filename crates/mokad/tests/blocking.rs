//! Blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP) against the
//! real mokad binary: parked clients woken by other connections' writes, timeouts, fairness,
//! MULTI, CLIENT KILL, shutdown, and clients that block while others keep being served.
//! Run with `MOKAD_IT_TARGET=redis` to check the expectations against redis-server.

mod common;

use std::collections::BTreeSet;
use std::thread;
use std::time::{Duration, Instant};

use common::{info_field, Raw, Server};

/// Sends a command without reading its reply (the client blocks).
fn send(conn: &mut Raw, args: &[&str]) {
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    conn.send_cmd(&args);
}

/// Waits until INFO reports exactly `n` blocked clients.
fn wait_blocked(server: &Server, n: usize) {
    let mut conn = server.raw();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let info = conn.call_str(&["INFO", "clients"]);
        if info_field(&info, "blocked_clients") == Some(n.to_string()) {
            return;
        }
        assert!(Instant::now() < deadline, "blocked_clients never reached {n}:\n{info}");
        thread::sleep(Duration::from_millis(5));
    }
}

/// A new connection blocked on `args` (and counted as blocked before this returns).
fn blocked(server: &Server, already: usize, args: &[&str]) -> Raw {
    let mut conn = server.raw();
    send(&mut conn, args);
    wait_blocked(server, already + 1);
    conn
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn a_brpop_consumer_is_woken_by_an_lpush_from_another_connection_within_milliseconds() {
    let server = Server::start();
    let mut consumer = blocked(&server, 0, &["BRPOP", "jobs", "0"]);
    let mut producer = server.raw();
    let pushed = Instant::now();
    assert_eq!(producer.call_str(&["LPUSH", "jobs", "job-1"]), ":1\r\n");
    assert_eq!(text(consumer.read_reply()), "*2\r\n$4\r\njobs\r\n$5\r\njob-1\r\n");
    let latency = pushed.elapsed();
    assert!(latency < Duration::from_millis(500), "woken after {latency:?}");
    // The element went to the consumer and nowhere else.
    assert_eq!(producer.call_str(&["LLEN", "jobs"]), ":0\r\n");
    assert_eq!(producer.call_str(&["EXISTS", "jobs"]), ":0\r\n");
    wait_blocked(&server, 0);
}

#[test]
fn a_fractional_timeout_answers_the_null_array_in_resp2_and_null_in_resp3() {
    let server = Server::start();
    let mut conn = server.raw();
    for (args, reply) in [
        (&["BLPOP", "nothing", "0.25"][..], "*-1\r\n"),
        (&["BRPOP", "a", "b", "0.1"][..], "*-1\r\n"),
        (&["BLMOVE", "nothing", "dst", "LEFT", "RIGHT", "0.1"][..], "*-1\r\n"),
        (&["BRPOPLPUSH", "nothing", "dst", "0.1"][..], "*-1\r\n"),
        (&["BLMPOP", "0.1", "2", "a", "b", "LEFT"][..], "*-1\r\n"),
        (&["BZPOPMIN", "nothing", "0.1"][..], "*-1\r\n"),
        (&["BZPOPMAX", "nothing", "0.1"][..], "*-1\r\n"),
        (&["BZMPOP", "0.1", "2", "a", "b", "MIN"][..], "*-1\r\n"),
    ] {
        let started = Instant::now();
        assert_eq!(conn.call_str(args), reply, "{args:?}");
        let waited = started.elapsed();
        let wanted = Duration::from_secs_f64(args.iter().find_map(|a| a.parse::<f64>().ok().filter(|t| *t < 1.0)).unwrap());
        assert!(waited >= wanted && waited < wanted + Duration::from_secs(2), "{args:?} waited {waited:?}");
    }
    assert_eq!(conn.call_str(&["EXISTS", "dst"]), ":0\r\n");
    assert!(conn.call(&["HELLO", "3"]).starts_with(b"%"));
    assert_eq!(conn.call_str(&["BLPOP", "nothing", "0.05"]), "_\r\n");
    assert_eq!(conn.call_str(&["BLMOVE", "nothing", "dst", "LEFT", "RIGHT", "0.05"]), "_\r\n");
    // A timeout rounds up to the millisecond: a tiny one still times out.
    assert_eq!(conn.call_str(&["BLPOP", "nothing", "0.0001"]), "_\r\n");
    wait_blocked(&server, 0);
}

#[test]
fn a_served_reply_keeps_the_protocol_of_its_connection() {
    let server = Server::start();
    let mut conn = server.raw();
    assert!(conn.call(&["HELLO", "3"]).starts_with(b"%"));
    send(&mut conn, &["BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "2"]);
    wait_blocked(&server, 1);
    assert_eq!(server.raw().call_str(&["RPUSH", "b", "1", "2", "3"]), ":3\r\n");
    assert_eq!(text(conn.read_reply()), "*2\r\n$1\r\nb\r\n*2\r\n$1\r\n3\r\n$1\r\n2\r\n");
}

#[test]
fn three_clients_blocked_on_one_key_are_served_first_come_first_served() {
    let server = Server::start();
    let mut first = blocked(&server, 0, &["BLPOP", "q", "0"]);
    let mut second = blocked(&server, 1, &["BLPOP", "q", "0"]);
    let mut third = blocked(&server, 2, &["BLPOP", "q", "0"]);
    let mut producer = server.raw();
    // One push of three elements: each waiter takes the head in turn.
    assert_eq!(producer.call_str(&["RPUSH", "q", "1", "2", "3"]), ":3\r\n");
    assert_eq!(text(first.read_reply()), "*2\r\n$1\r\nq\r\n$1\r\n1\r\n");
    assert_eq!(text(second.read_reply()), "*2\r\n$1\r\nq\r\n$1\r\n2\r\n");
    assert_eq!(text(third.read_reply()), "*2\r\n$1\r\nq\r\n$1\r\n3\r\n");
    wait_blocked(&server, 0);

    // Again with one push per element, the waiters queued in another order.
    send(&mut third, &["BLPOP", "q", "0"]);
    wait_blocked(&server, 1);
    send(&mut first, &["BLPOP", "q", "0"]);
    wait_blocked(&server, 2);
    send(&mut second, &["BLPOP", "q", "0"]);
    wait_blocked(&server, 3);
    for item in ["a", "b", "c"] {
        assert_eq!(producer.call_str(&["RPUSH", "q", item]), ":1\r\n");
        // Wait until this element is taken before pushing the next, so that the order of
        // service, not a race between pushes, decides who gets what.
        let deadline = Instant::now() + Duration::from_secs(10);
        while producer.call_str(&["LLEN", "q"]) != ":0\r\n" {
            assert!(Instant::now() < deadline, "nobody took {item}");
            thread::sleep(Duration::from_millis(2));
        }
    }
    assert_eq!(text(third.read_reply()), "*2\r\n$1\r\nq\r\n$1\r\na\r\n");
    assert_eq!(text(first.read_reply()), "*2\r\n$1\r\nq\r\n$1\r\nb\r\n");
    assert_eq!(text(second.read_reply()), "*2\r\n$1\r\nq\r\n$1\r\nc\r\n");
}

#[test]
fn blmove_waits_for_its_source_and_its_destination_wakes_the_next_waiter() {
    let server = Server::start();
    let mut mover = blocked(&server, 0, &["BLMOVE", "src", "dst", "RIGHT", "LEFT", "0"]);
    let mut reader = blocked(&server, 1, &["BLPOP", "dst", "0"]);
    let mut producer = server.raw();
    assert_eq!(producer.call_str(&["RPUSH", "src", "x", "y"]), ":2\r\n");
    assert_eq!(text(mover.read_reply()), "$1\r\ny\r\n");
    assert_eq!(text(reader.read_reply()), "*2\r\n$3\r\ndst\r\n$1\r\ny\r\n");
    assert_eq!(producer.call_str(&["LRANGE", "src", "0", "-1"]), "*1\r\n$1\r\nx\r\n");
    assert_eq!(producer.call_str(&["EXISTS", "dst"]), ":0\r\n");
    // BRPOPLPUSH is BLMOVE RIGHT LEFT.
    let mut mover = blocked(&server, 0, &["BRPOPLPUSH", "src2", "dst2", "0"]);
    assert_eq!(producer.call_str(&["RPUSH", "src2", "a", "b"]), ":2\r\n");
    assert_eq!(text(mover.read_reply()), "$1\r\nb\r\n");
    assert_eq!(producer.call_str(&["LRANGE", "dst2", "0", "-1"]), "*1\r\n$1\r\nb\r\n");
}

#[test]
fn a_client_blocked_on_several_keys_is_served_from_the_one_that_fills() {
    let server = Server::start();
    let mut consumer = blocked(&server, 0, &["BLPOP", "k1", "k2", "k3", "0"]);
    let mut producer = server.raw();
    assert_eq!(producer.call_str(&["RPUSH", "k3", "v"]), ":1\r\n");
    assert_eq!(text(consumer.read_reply()), "*2\r\n$2\r\nk3\r\n$1\r\nv\r\n");
    // When several already hold elements, the first in argument order serves.
    producer.call(&["RPUSH", "k2", "two"]);
    producer.call(&["RPUSH", "k3", "three"]);
    assert_eq!(consumer.call_str(&["BLPOP", "k1", "k3", "k2", "0"]), "*2\r\n$2\r\nk3\r\n$5\r\nthree\r\n");
    assert_eq!(consumer.call_str(&["BRPOP", "k1", "k2", "0"]), "*2\r\n$2\r\nk2\r\n$3\r\ntwo\r\n");
}

#[test]
fn a_client_blocked_on_several_keys_is_served_from_the_one_that_became_ready_first() {
    let server = Server::start();
    let mut producer = server.raw();
    let fill = |producer: &mut Raw, writes: &[&[&str]]| {
        producer.call(&["MULTI"]);
        for write in writes {
            producer.call(write);
        }
        producer.call(&["EXEC"]);
    };
    // In one transaction k3 fills before k2: k3 serves, though k2 comes first in the arguments.
    let mut consumer = blocked(&server, 0, &["BRPOP", "k1", "k2", "k3", "0"]);
    fill(&mut producer, &[&["RPUSH", "k3", "c"], &["RPUSH", "k2", "b"]]);
    assert_eq!(text(consumer.read_reply()), "*2\r\n$2\r\nk3\r\n$1\r\nc\r\n");
    assert_eq!(producer.call_str(&["LRANGE", "k2", "0", "-1"]), "*1\r\n$1\r\nb\r\n");
    // A key that became ready and then empty again is passed over for the next ready one.
    let mut consumer = blocked(&server, 0, &["BLMPOP", "0", "3", "m1", "m2", "m3", "LEFT", "COUNT", "5"]);
    fill(&mut producer, &[&["RPUSH", "m3", "x"], &["DEL", "m3"], &["RPUSH", "m2", "y", "z"], &["RPUSH", "m1", "w"]]);
    assert_eq!(text(consumer.read_reply()), "*2\r\n$2\r\nm2\r\n*2\r\n$1\r\ny\r\n$1\r\nz\r\n");
    assert_eq!(producer.call_str(&["LRANGE", "m1", "0", "-1"]), "*1\r\n$1\r\nw\r\n");
    // The same for sorted sets.
    if producer.call_str(&["ZADD", "z0", "0", "m"]).starts_with("-ERR unknown command") {
        eprintln!("skipped the sorted sets: this build has no ZADD yet");
        return;
    }
    let mut consumer = blocked(&server, 0, &["BZPOPMIN", "z1", "z2", "0"]);
    fill(&mut producer, &[&["ZADD", "z2", "2", "b"], &["ZADD", "z1", "1", "a"]]);
    assert_eq!(text(consumer.read_reply()), "*3\r\n$2\r\nz2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(producer.call_str(&["ZCARD", "z1"]), ":1\r\n");
}

#[test]
fn a_new_blocking_pop_on_a_key_of_another_type_fails_even_while_clients_wait_there() {
    let server = Server::start();
    let wrongtype = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    let mut waiter = blocked(&server, 0, &["BLPOP", "k", "0"]);
    let mut zwaiter = blocked(&server, 1, &["BZPOPMIN", "k", "0"]);
    let mut other = server.raw();
    other.call(&["SADD", "k", "m"]);
    for command in [
        &["BLPOP", "none", "k", "0"][..],
        &["BRPOP", "k", "0"],
        &["BLMOVE", "k", "d", "LEFT", "LEFT", "0"],
        &["BRPOPLPUSH", "k", "d", "0"],
        &["BLMPOP", "0", "1", "k", "LEFT"],
        &["BZPOPMIN", "k", "0"],
        &["BZPOPMAX", "none", "k", "0"],
        &["BZMPOP", "0", "2", "none", "k", "MAX"],
    ] {
        assert_eq!(other.call_str(command), wrongtype, "{command:?}");
    }
    // The clients already waiting stay blocked, as in Redis.
    waiter.assert_silent(Duration::from_millis(200));
    zwaiter.assert_silent(Duration::from_millis(1));
    other.call(&["DEL", "k"]);
    other.call(&["RPUSH", "k", "x"]);
    assert_eq!(text(waiter.read_reply()), "*2\r\n$1\r\nk\r\n$1\r\nx\r\n");
    if other.call_str(&["ZADD", "k", "1", "m"]).starts_with("-ERR unknown command") {
        eprintln!("skipped the sorted-set waiter: this build has no ZADD yet");
        return;
    }
    assert_eq!(text(zwaiter.read_reply()), "*3\r\n$1\r\nk\r\n$1\r\nm\r\n$1\r\n1\r\n");
}

#[test]
fn blocking_commands_inside_multi_answer_at_once() {
    let server = Server::start();
    let mut conn = server.raw();
    conn.call(&["RPUSH", "full", "x"]);
    assert_eq!(conn.call_str(&["MULTI"]), "+OK\r\n");
    for args in [
        &["BLPOP", "nothing", "0"][..],
        &["BRPOPLPUSH", "nothing", "dst", "0"],
        &["BLMPOP", "0", "1", "nothing", "LEFT"],
        &["BZPOPMIN", "nothing", "0"],
        &["BZMPOP", "0", "1", "nothing", "MIN"],
        &["BRPOP", "full", "0"],
    ] {
        assert_eq!(conn.call_str(args), "+QUEUED\r\n");
    }
    let started = Instant::now();
    assert_eq!(conn.call_str(&["EXEC"]), "*6\r\n*-1\r\n$-1\r\n*-1\r\n*-1\r\n*-1\r\n*2\r\n$4\r\nfull\r\n$1\r\nx\r\n");
    assert!(started.elapsed() < Duration::from_secs(2));
    wait_blocked(&server, 0);
}

#[test]
fn client_kill_interrupts_a_blocked_client_and_later_pushes_stay_in_the_list() {
    let server = Server::start();
    let mut victim = server.raw();
    let id = text(victim.call(&["CLIENT", "ID"]));
    let id = id.trim_start_matches(':').trim_end().to_string();
    send(&mut victim, &["BLPOP", "q", "0"]);
    wait_blocked(&server, 1);
    let mut admin = server.raw();
    assert_eq!(admin.call_str(&["CLIENT", "KILL", "ID", &id]), ":1\r\n");
    assert!(victim.closed_within(Duration::from_secs(5)), "the killed client stays connected");
    wait_blocked(&server, 0);
    assert_eq!(admin.call_str(&["RPUSH", "q", "x"]), ":1\r\n");
    thread::sleep(Duration::from_millis(50));
    assert_eq!(admin.call_str(&["LRANGE", "q", "0", "-1"]), "*1\r\n$1\r\nx\r\n");
}

#[test]
fn a_client_that_disconnects_while_blocked_leaves_its_turn_to_the_next() {
    let server = Server::start();
    let gone = blocked(&server, 0, &["BLPOP", "q", "0"]);
    let mut next = blocked(&server, 1, &["BLPOP", "q", "0"]);
    drop(gone);
    wait_blocked(&server, 1);
    assert_eq!(server.raw().call_str(&["RPUSH", "q", "x"]), ":1\r\n");
    assert_eq!(text(next.read_reply()), "*2\r\n$1\r\nq\r\n$1\r\nx\r\n");
}

#[test]
fn sixteen_blocked_clients_do_not_stop_two_worker_threads_from_serving_others() {
    let server = Server::start_with(&["--threads", "2"]);
    let mut waiters: Vec<Raw> = (0..16).map(|i| blocked(&server, i, &["BLPOP", &format!("q{i}"), "0"])).collect();
    let mut other = server.raw();
    let started = Instant::now();
    for i in 0..100 {
        assert_eq!(other.call_str(&["SET", "k", &i.to_string()]), "+OK\r\n");
        assert_eq!(other.call_str(&["GET", "k"]), format!("${}\r\n{i}\r\n", i.to_string().len()));
    }
    assert!(started.elapsed() < Duration::from_secs(5), "200 commands took {:?}", started.elapsed());
    // A connection opened now is served too.
    assert_eq!(server.raw().call_str(&["PING"]), "+PONG\r\n");
    for i in (0..16).rev() {
        other.call(&["RPUSH", &format!("q{i}"), &format!("v{i}")]);
    }
    for (i, waiter) in waiters.iter_mut().enumerate() {
        let key = format!("q{i}");
        let value = format!("v{i}");
        assert_eq!(text(waiter.read_reply()), format!("*2\r\n${}\r\n{key}\r\n${}\r\n{value}\r\n", key.len(), value.len()));
    }
    wait_blocked(&server, 0);
}

#[test]
fn a_woken_client_that_finds_the_list_emptied_waits_on_with_its_remaining_timeout() {
    let server = Server::start();
    let mut waiter = server.raw();
    let started = Instant::now();
    send(&mut waiter, &["BLPOP", "q", "1"]);
    wait_blocked(&server, 1);
    thread::sleep(Duration::from_millis(600));
    // The push wakes the waiter, but the same transaction takes the element back.
    let mut other = server.raw();
    other.call(&["MULTI"]);
    other.call(&["RPUSH", "q", "x"]);
    other.call(&["LPOP", "q"]);
    assert_eq!(other.call_str(&["EXEC"]), "*2\r\n:1\r\n$1\r\nx\r\n");
    assert_eq!(text(waiter.read_reply()), "*-1\r\n");
    let waited = started.elapsed();
    // Had the wake-up restarted the timeout, the reply would come after ~1.6 s.
    assert!(waited >= Duration::from_millis(1000) && waited < Duration::from_millis(1500), "timed out after {waited:?}");

    // Without a timeout, it is still there for the next element.
    send(&mut waiter, &["BLPOP", "q", "0"]);
    wait_blocked(&server, 1);
    other.call(&["MULTI"]);
    other.call(&["RPUSH", "q", "x"]);
    other.call(&["LPOP", "q"]);
    other.call(&["EXEC"]);
    waiter.assert_silent(Duration::from_millis(200));
    wait_blocked(&server, 1);
    other.call(&["RPUSH", "q", "y"]);
    assert_eq!(text(waiter.read_reply()), "*2\r\n$1\r\nq\r\n$1\r\ny\r\n");
}

#[test]
fn a_push_inside_exec_serves_the_waiter_after_the_transaction() {
    let server = Server::start();
    let mut waiter = blocked(&server, 0, &["BLPOP", "q", "0"]);
    let mut other = server.raw();
    other.call(&["MULTI"]);
    other.call(&["RPUSH", "q", "a", "b"]);
    other.call(&["LLEN", "q"]);
    // Nobody takes an element while the transaction runs.
    assert_eq!(other.call_str(&["EXEC"]), "*2\r\n:2\r\n:2\r\n");
    assert_eq!(text(waiter.read_reply()), "*2\r\n$1\r\nq\r\n$1\r\na\r\n");
    assert_eq!(other.call_str(&["LRANGE", "q", "0", "-1"]), "*1\r\n$1\r\nb\r\n");
}

#[test]
fn elements_pushed_for_many_waiters_are_neither_lost_nor_duplicated() {
    let server = Server::start();
    const CONSUMERS: usize = 4;
    const ITEMS: usize = 400;
    let consumers: Vec<_> = (0..CONSUMERS)
        .map(|_| {
            let mut conn = server.raw();
            thread::spawn(move || {
                let mut got = Vec::new();
                loop {
                    let reply = text(conn.call(&["BRPOP", "jobs", "other", "0"]));
                    let item = reply.rsplit("\r\n").nth(1).expect("an element").to_string();
                    if item == "stop" {
                        return got;
                    }
                    got.push(item);
                }
            })
        })
        .collect();
    wait_blocked(&server, CONSUMERS);
    let mut producer = server.raw();
    let mut i = 0;
    while i < ITEMS {
        // Pushes of one to three elements, some to the second key.
        let n = 1 + i % 3;
        let key = if i % 5 == 0 { "other" } else { "jobs" };
        let items: Vec<String> = (i..(i + n).min(ITEMS)).map(|j| format!("item-{j}")).collect();
        let mut args = vec!["LPUSH", key];
        args.extend(items.iter().map(String::as_str));
        assert!(producer.call_str(&args).starts_with(':'));
        i += items.len();
    }
    // Stop markers go last, once everything else is taken.
    let deadline = Instant::now() + Duration::from_secs(20);
    while producer.call_str(&["EXISTS", "jobs", "other"]) != ":0\r\n" {
        assert!(Instant::now() < deadline, "the consumers stopped taking elements");
        thread::sleep(Duration::from_millis(5));
    }
    for _ in 0..CONSUMERS {
        producer.call(&["LPUSH", "jobs", "stop"]);
    }
    let mut all = Vec::new();
    for consumer in consumers {
        all.extend(consumer.join().expect("consumer thread"));
    }
    let distinct: BTreeSet<&String> = all.iter().collect();
    assert_eq!(all.len(), ITEMS, "elements taken: {}", all.len());
    assert_eq!(distinct.len(), ITEMS, "an element was taken twice");
    assert_eq!(producer.call_str(&["EXISTS", "jobs", "other"]), ":0\r\n");
}

#[test]
fn the_blocked_client_is_listed_with_flag_b_and_its_command() {
    let server = Server::start();
    let mut waiter = server.raw();
    waiter.call(&["CLIENT", "SETNAME", "waiter"]);
    send(&mut waiter, &["BLPOP", "q", "0"]);
    wait_blocked(&server, 1);
    let mut admin = server.raw();
    let list = text(admin.call(&["CLIENT", "LIST"]));
    let line = list.lines().find(|l| l.contains("name=waiter")).expect("the waiter in CLIENT LIST");
    assert!(line.contains(" flags=b ") && line.contains(" cmd=blpop "), "{line}");
    admin.call(&["RPUSH", "q", "x"]);
    waiter.read_reply();
    wait_blocked(&server, 0);
    let list = text(admin.call(&["CLIENT", "LIST"]));
    let line = list.lines().find(|l| l.contains("name=waiter")).expect("the waiter in CLIENT LIST");
    assert!(line.contains(" flags=N "), "{line}");
}

#[test]
fn commands_pipelined_behind_a_blocking_command_run_once_it_is_served() {
    let server = Server::start();
    let mut conn = server.raw();
    conn.send(b"PING\r\nBLPOP q 0\r\nECHO after\r\n").unwrap();
    // The reply owed before the blocking command is not held back.
    assert_eq!(text(conn.read_reply()), "+PONG\r\n");
    conn.assert_silent(Duration::from_millis(200));
    wait_blocked(&server, 1);
    server.raw().call(&["RPUSH", "q", "x"]);
    assert_eq!(text(conn.read_reply()), "*2\r\n$1\r\nq\r\n$1\r\nx\r\n");
    assert_eq!(text(conn.read_reply()), "$5\r\nafter\r\n");
}

#[test]
fn a_waiter_is_woken_only_by_pushes_to_its_own_database() {
    let server = Server::start();
    let mut waiter = server.raw();
    waiter.call(&["SELECT", "1"]);
    send(&mut waiter, &["BLPOP", "q", "0"]);
    wait_blocked(&server, 1);
    let mut other = server.raw();
    other.call(&["RPUSH", "q", "db0"]);
    waiter.assert_silent(Duration::from_millis(200));
    other.call(&["SELECT", "1"]);
    other.call(&["RPUSH", "q", "db1"]);
    assert_eq!(text(waiter.read_reply()), "*2\r\n$1\r\nq\r\n$3\r\ndb1\r\n");
    other.call(&["SELECT", "0"]);
    assert_eq!(other.call_str(&["LRANGE", "q", "0", "-1"]), "*1\r\n$3\r\ndb0\r\n");
}

#[test]
fn rename_into_a_key_with_a_waiter_serves_it() {
    let server = Server::start();
    let mut waiter = blocked(&server, 0, &["BLPOP", "dst", "0"]);
    let mut other = server.raw();
    other.call(&["RPUSH", "src", "a", "b"]);
    assert_eq!(other.call_str(&["RENAME", "src", "dst"]), "+OK\r\n");
    assert_eq!(text(waiter.read_reply()), "*2\r\n$3\r\ndst\r\n$1\r\na\r\n");
    assert_eq!(other.call_str(&["LRANGE", "dst", "0", "-1"]), "*1\r\n$1\r\nb\r\n");
}

#[test]
fn shutdown_interrupts_blocked_clients() {
    let mut server = Server::start();
    let mut waiter = blocked(&server, 0, &["BLPOP", "q", "0"]);
    server.signal("TERM");
    assert!(waiter.closed_within(Duration::from_secs(5)), "the blocked client stays connected");
    assert!(server.wait_exit(Duration::from_secs(5)).is_some(), "the server did not exit");
}

/// BZPOPMIN and BZPOPMAX need ZADD to make sorted sets, which another branch adds: this test
/// checks for it at run time and passes vacuously (saying so) until it is merged.
#[test]
fn bzpopmin_and_bzpopmax_pop_scores_and_wait_for_zadd() {
    let server = Server::start();
    let mut conn = server.raw();
    if conn.call_str(&["ZADD", "z", "1.5", "a", "2", "b", "0.1", "c"]).starts_with("-ERR unknown command") {
        eprintln!("skipped: this build has no ZADD yet");
        return;
    }
    assert_eq!(conn.call_str(&["BZPOPMIN", "nothing", "z", "0"]), "*3\r\n$1\r\nz\r\n$1\r\nc\r\n$19\r\n0.10000000000000001\r\n");
    assert_eq!(conn.call_str(&["BZPOPMAX", "z", "0"]), "*3\r\n$1\r\nz\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert!(conn.call(&["HELLO", "3"]).starts_with(b"%"));
    assert_eq!(conn.call_str(&["BZPOPMIN", "z", "0"]), "*3\r\n$1\r\nz\r\n$1\r\na\r\n,1.5\r\n");
    assert_eq!(conn.call_str(&["EXISTS", "z"]), ":0\r\n");
    assert_eq!(conn.call_str(&["BZPOPMIN", "z", "0.05"]), "_\r\n");

    let mut waiter = blocked(&server, 0, &["BZPOPMAX", "z2", "0"]);
    let mut other = server.raw();
    assert_eq!(other.call_str(&["ZADD", "z2", "3", "m", "1", "n"]), ":2\r\n");
    assert_eq!(text(waiter.read_reply()), "*3\r\n$2\r\nz2\r\n$1\r\nm\r\n$1\r\n3\r\n");
    // A sorted set does not serve a list waiter, nor a list a sorted-set waiter.
    let mut list_waiter = blocked(&server, 0, &["BLPOP", "k", "0.5"]);
    let mut zset_waiter = blocked(&server, 1, &["BZPOPMIN", "k2", "0.5"]);
    other.call(&["ZADD", "k", "1", "m"]);
    other.call(&["RPUSH", "k2", "x"]);
    assert_eq!(text(list_waiter.read_reply()), "*-1\r\n");
    assert_eq!(text(zset_waiter.read_reply()), "*-1\r\n");
    assert_eq!(other.call_str(&["TYPE", "k"]), "+zset\r\n");
    assert_eq!(other.call_str(&["LLEN", "k2"]), ":1\r\n");
}

#[test]
fn a_bzmpop_waiter_takes_up_to_its_count_and_leaves_the_rest_to_the_next_waiter() {
    let server = Server::start();
    // Queued on z in this order: the BZMPOP, a list waiter (which a sorted set must not wake),
    // a BZPOPMIN, and a RESP3 BZMPOP.
    let mut counted = blocked(&server, 0, &["BZMPOP", "0", "2", "y", "z", "MIN", "COUNT", "2"]);
    let mut list_waiter = blocked(&server, 1, &["BLPOP", "z", "0"]);
    let mut single = blocked(&server, 2, &["BZPOPMIN", "z", "0"]);
    let mut resp3 = server.raw();
    assert!(resp3.call(&["HELLO", "3"]).starts_with(b"%"));
    send(&mut resp3, &["BZMPOP", "0", "1", "z", "MAX", "COUNT", "5"]);
    wait_blocked(&server, 4);
    let mut producer = server.raw();
    assert_eq!(producer.call_str(&["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"]), ":4\r\n");
    assert_eq!(text(counted.read_reply()), "*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(text(single.read_reply()), "*3\r\n$1\r\nz\r\n$1\r\nc\r\n$1\r\n3\r\n");
    assert_eq!(text(resp3.read_reply()), "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nd\r\n,4\r\n");
    assert_eq!(producer.call_str(&["EXISTS", "z"]), ":0\r\n");
    list_waiter.assert_silent(Duration::from_millis(100));
    wait_blocked(&server, 1);
    // A waiter on several keys is served from the one filled first, not the first named.
    let mut several = blocked(&server, 1, &["BZMPOP", "0", "3", "x", "y", "w", "MAX"]);
    producer.call(&["MULTI"]);
    producer.call(&["ZADD", "w", "1", "q"]);
    producer.call(&["ZADD", "y", "1", "r"]);
    producer.call(&["EXEC"]);
    assert_eq!(text(several.read_reply()), "*2\r\n$1\r\nw\r\n*1\r\n*2\r\n$1\r\nq\r\n$1\r\n1\r\n");
    assert_eq!(producer.call_str(&["ZCARD", "y"]), ":1\r\n");
    // The list waiter is still there for a list.
    producer.call(&["RPUSH", "z", "x"]);
    assert_eq!(text(list_waiter.read_reply()), "*2\r\n$1\r\nz\r\n$1\r\nx\r\n");
    wait_blocked(&server, 0);
}

#[test]
fn client_unblock_ends_a_wait_as_a_timeout_or_with_an_error() {
    let server = Server::start();
    let mut waiter = server.raw();
    let id = text(waiter.call(&["CLIENT", "ID"])).trim_start_matches(':').trim_end().to_string();
    let mut admin = server.raw();
    assert_eq!(admin.call_str(&["CLIENT", "UNBLOCK", &id]), ":0\r\n", "not blocked yet");
    send(&mut waiter, &["BLPOP", "q", "0"]);
    wait_blocked(&server, 1);
    assert_eq!(admin.call_str(&["CLIENT", "UNBLOCK", &id]), ":1\r\n");
    assert_eq!(text(waiter.read_reply()), "*-1\r\n");
    send(&mut waiter, &["BLMOVE", "q", "d", "LEFT", "LEFT", "0"]);
    wait_blocked(&server, 1);
    assert_eq!(admin.call_str(&["CLIENT", "UNBLOCK", &id, "error"]), ":1\r\n");
    assert_eq!(text(waiter.read_reply()), "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
    wait_blocked(&server, 0);
    // The connection goes on as usual, and a later wait is not cut short by the old request.
    assert_eq!(admin.call_str(&["CLIENT", "UNBLOCK", &id, "TIMEOUT"]), ":0\r\n");
    assert_eq!(waiter.call_str(&["BLPOP", "q", "0.1"]), "*-1\r\n");
    assert_eq!(admin.call_str(&["CLIENT", "UNBLOCK", &id, "later"]), "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n");
    assert_eq!(admin.call_str(&["CLIENT", "UNBLOCK", "x"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(
        admin.call_str(&["CLIENT", "unblock", &id, "TIMEOUT", "extra"]),
        "-ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.\r\n"
    );
}

#[test]
fn a_blocked_command_counts_once_in_the_processed_commands() {
    let server = Server::start();
    let mut admin = server.raw();
    let processed = |conn: &mut Raw| -> u64 {
        info_field(&text(conn.call(&["INFO", "stats"])), "total_commands_processed").unwrap().parse().unwrap()
    };
    let before = processed(&mut admin);
    let mut waiter = blocked(&server, 0, &["BLPOP", "q", "0"]);
    // INFO clients (polled by `blocked`) counts too: measure from here.
    let polled = processed(&mut admin);
    admin.call(&["RPUSH", "q", "x"]);
    waiter.read_reply();
    let after = processed(&mut admin);
    assert!(polled > before);
    // The INFO before, the RPUSH: the BLPOP was counted when it arrived, not when served.
    assert_eq!(after - polled, 2);
}

#[test]
fn a_blmove_whose_destination_changed_type_fails_and_the_next_waiter_is_served() {
    let server = Server::start();
    let mut mover = blocked(&server, 0, &["BLMOVE", "src", "dst", "LEFT", "LEFT", "0"]);
    let mut reader = blocked(&server, 1, &["BLPOP", "src", "0"]);
    let mut other = server.raw();
    other.call(&["SET", "dst", "string"]);
    assert_eq!(other.call_str(&["RPUSH", "src", "x"]), ":1\r\n");
    assert_eq!(text(mover.read_reply()), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(text(reader.read_reply()), "*2\r\n$3\r\nsrc\r\n$1\r\nx\r\n");
    assert_eq!(other.call_str(&["GET", "dst"]), "$6\r\nstring\r\n");
}

#[test]
fn a_list_waiter_is_not_failed_by_its_key_becoming_another_type() {
    let server = Server::start();
    let mut waiter = blocked(&server, 0, &["BLPOP", "k", "0"]);
    let mut other = server.raw();
    other.call(&["SET", "k", "string"]);
    // Renamed over, the key wakes its waiter, which finds a string and waits on.
    other.call(&["SET", "tmp", "another"]);
    other.call(&["RENAME", "tmp", "k"]);
    waiter.assert_silent(Duration::from_millis(200));
    other.call(&["DEL", "k"]);
    other.call(&["RPUSH", "k", "x"]);
    assert_eq!(text(waiter.read_reply()), "*2\r\n$1\r\nk\r\n$1\r\nx\r\n");
}
