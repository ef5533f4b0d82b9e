//! Lua scripting (EVAL, EVALSHA, SCRIPT) against the real mokad binary: the `redis` crate
//! for what clients do, raw sockets for byte-exact replies and errors (the expected bytes are
//! what redis-server 7.0.15 answers), and several connections for BUSY and SCRIPT KILL.
//! With `MOKAD_IT_TARGET=redis` every test but the single-worker one (a mokad flag) passes
//! against redis-server too.

mod common;

use std::thread;
use std::time::{Duration, Instant};

use common::{cmd, info_field, query_err, Raw, Server};
use redis::{Commands, Script, Value};

/// Redis's name for a script in error messages: the sha1 of its body.
fn sha(body: &str) -> String {
    Script::new(body).get_hash().to_string()
}

/// `EVAL body numkeys args...` on a raw connection; the reply as text.
fn eval(raw: &mut Raw, body: &str, args: &[&str]) -> String {
    let mut all = vec!["EVAL", body];
    all.extend_from_slice(args);
    raw.call_str(&all)
}

/// Sends a command and does not wait for its reply.
fn send(raw: &mut Raw, args: &[&str]) {
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    raw.send_cmd(&args);
}

/// Repeats `args` until the reply is `expected` (a script becoming busy), within 5 s.
fn wait_for_reply(raw: &mut Raw, args: &[&str], expected: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let reply = raw.call_str(args);
        if reply == expected {
            return;
        }
        assert!(Instant::now() < deadline, "{args:?} kept answering {reply:?}, waiting for {expected:?}");
        thread::sleep(Duration::from_millis(20));
    }
}

const BUSY: &str = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";

#[test]
fn eval_sees_keys_and_args_and_returns_values() {
    let server = Server::start();
    let mut c = server.conn();
    let reply: Vec<String> =
        cmd(&["EVAL", "return {KEYS[1], KEYS[2], ARGV[1]}", "2", "k1", "k2", "a1"]).query(&mut c).unwrap();
    assert_eq!(reply, ["k1", "k2", "a1"]);
    let _: () = c.set("n", "41").unwrap();
    let n: i64 = cmd(&["EVAL", "return redis.call('INCR', KEYS[1])", "1", "n"]).query(&mut c).unwrap();
    assert_eq!(n, 42);
    assert_eq!(cmd(&["EVAL", "return #KEYS + #ARGV", "0", "x", "y"]).query::<i64>(&mut c).unwrap(), 2);
    // Writes made by the script are there afterwards.
    let _: () = cmd(&["EVAL", "redis.call('SET', KEYS[1], ARGV[1])", "1", "written", "by-lua"]).query(&mut c).unwrap();
    assert_eq!(c.get::<_, String>("written").unwrap(), "by-lua");
}

#[test]
fn script_load_evalsha_exists_and_flush_manage_the_cache() {
    let server = Server::start();
    let mut c = server.conn();
    let body = "return 'cached'";
    let loaded: String = cmd(&["SCRIPT", "LOAD", body]).query(&mut c).unwrap();
    assert_eq!(loaded, sha(body));
    assert_eq!(cmd(&["EVALSHA", &loaded, "0"]).query::<String>(&mut c).unwrap(), "cached");
    // Shas are matched without regard to case.
    assert_eq!(cmd(&["EVALSHA", &loaded.to_uppercase(), "0"]).query::<String>(&mut c).unwrap(), "cached");
    let exists: Vec<i64> = cmd(&["SCRIPT", "EXISTS", &loaded, &sha("return 'other'")]).query(&mut c).unwrap();
    assert_eq!(exists, [1, 0]);
    // EVAL caches the scripts it runs.
    let _: Value = cmd(&["EVAL", "return 'other'", "0"]).query(&mut c).unwrap();
    assert_eq!(cmd(&["SCRIPT", "EXISTS", &sha("return 'other'")]).query::<Vec<i64>>(&mut c).unwrap(), [1]);
    let info = common::info(&mut c, "memory");
    assert_eq!(info_field(&info, "number_of_cached_scripts").as_deref(), Some("2"));
    assert!(info_field(&info, "used_memory_lua").unwrap().parse::<u64>().unwrap() > 0);

    assert_eq!(cmd(&["SCRIPT", "FLUSH"]).query::<String>(&mut c).unwrap(), "OK");
    assert_eq!(cmd(&["SCRIPT", "EXISTS", &loaded]).query::<Vec<i64>>(&mut c).unwrap(), [0]);
    assert_eq!(query_err(&mut c, &cmd(&["EVALSHA", &loaded, "0"])), "NOSCRIPT No matching script. Please use EVAL.");
    assert_eq!(cmd(&["SCRIPT", "FLUSH", "ASYNC"]).query::<String>(&mut c).unwrap(), "OK");
    assert_eq!(
        query_err(&mut c, &cmd(&["SCRIPT", "FLUSH", "LATER"])),
        "ERR SCRIPT FLUSH only support SYNC|ASYNC option"
    );

    // The redis crate's Script: EVALSHA, then EVAL when the server answers NOSCRIPT.
    let script = Script::new("return redis.call('INCRBY', KEYS[1], ARGV[1])");
    assert_eq!(script.key("counter").arg(5).invoke::<i64>(&mut c).unwrap(), 5);
    assert_eq!(script.key("counter").arg(5).invoke::<i64>(&mut c).unwrap(), 10);
}

#[test]
fn replies_convert_to_resp2_as_in_redis() {
    let server = Server::start();
    let mut raw = server.raw();
    let cases: &[(&str, &str)] = &[
        ("return 'x'", "$1\r\nx\r\n"),
        ("return 3.99", ":3\r\n"),
        ("return -3.99", ":-3\r\n"),
        ("return 1e30", ":-9223372036854775808\r\n"),
        ("return true", ":1\r\n"),
        ("return false", "$-1\r\n"),
        ("return nil", "$-1\r\n"),
        ("return {1, 'a', {2.9, true, false}, nil, 5}", "*3\r\n:1\r\n$1\r\na\r\n*3\r\n:2\r\n:1\r\n$-1\r\n"),
        ("return {ok = 'a\\r\\nb'}", "+a  b\r\n"),
        ("return {err = 'My err'}", "-My err\r\n"),
        ("return {err = {}, ok = 'x'}", "+x\r\n"),
        ("return {double = 3.5}", "$3\r\n3.5\r\n"),
        ("return {map = {a = 1}}", "*2\r\n$1\r\na\r\n:1\r\n"),
        ("return {set = {a = true}}", "*1\r\n$1\r\na\r\n"),
        ("redis.setresp(3) return true", ":1\r\n"),
        ("redis.setresp(3) return false", ":0\r\n"),
        ("return redis.call('PING')", "+PONG\r\n"),
        ("return redis.call('GET', 'missing')", "$-1\r\n"),
        ("return type(redis.call('GET', 'missing'))", "$7\r\nboolean\r\n"),
        ("redis.setresp(3) return type(redis.call('GET', 'missing'))", "$3\r\nnil\r\n"),
        ("return redis.error_reply('My Error')", "-My Error\r\n"),
        ("return redis.error_reply('oops')", "-ERR oops\r\n"),
        ("return redis.error_reply('-FOO bar')", "-FOO bar\r\n"),
        ("return redis.status_reply('FINE')", "+FINE\r\n"),
        ("return redis.sha1hex('')", "$40\r\nda39a3ee5e6b4b0d3255bfef95601890afd80709\r\n"),
        ("redis.call('SET', 'n', 0.1) return redis.call('GET', 'n')", "$19\r\n0.10000000000000001\r\n"),
        ("redis.call('SET', 'n', 1e20) return redis.call('GET', 'n')", "$5\r\n1e+20\r\n"),
        ("return cjson.encode({1, 2, {a = 'x/y'}})", "$18\r\n[1,2,{\"a\":\"x\\/y\"}]\r\n"),
        ("return cjson.decode('[1,2,{\"b\":\"c\"}]')[3].b", "$1\r\nc\r\n"),
        ("return struct.pack('>I2', 258)", "$2\r\n\x01\x02\r\n"),
        ("return {struct.unpack('<i4', struct.pack('<i4', -2))}", "*2\r\n:-2\r\n:5\r\n"),
        (
            "return {bit.band(0xff, 0x0f), bit.bxor(3, 1), bit.lshift(1, 31), bit.tohex(255)}",
            "*4\r\n:15\r\n:2\r\n:-2147483648\r\n$8\r\n000000ff\r\n",
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(eval(&mut raw, body, &["0"]), *expected, "EVAL {body:?}");
    }
}

#[test]
fn replies_convert_to_resp3_as_in_redis() {
    let server = Server::start();
    let mut raw = server.raw();
    raw.call(&["HELLO", "3"]);
    raw.call(&["SET", "k", "v"]);
    let cases: &[(&str, &str)] = &[
        ("return true", ":1\r\n"),
        ("return false", "_\r\n"),
        ("return nil", "_\r\n"),
        ("redis.setresp(3) return true", "#t\r\n"),
        ("redis.setresp(3) return false", "#f\r\n"),
        ("return {double = 3.5}", ",3.5\r\n"),
        ("return {map = {a = 1}}", "%1\r\n$1\r\na\r\n:1\r\n"),
        ("return {set = {a = true}}", "~1\r\n$1\r\na\r\n"),
        ("return {verbatim_string = {format = 'txt', string = 'hi'}}", "=6\r\ntxt:hi\r\n"),
        ("redis.setresp(3) return redis.call('GET', 'missing')", "_\r\n"),
        ("redis.setresp(3) return {1, redis.call('GET', 'missing'), 3}", "*1\r\n:1\r\n"),
        ("return redis.call('MGET', 'k', 'missing')", "*2\r\n$1\r\nv\r\n_\r\n"),
        ("redis.setresp(3) return type(redis.call('EXISTS', 'k'))", "$6\r\nnumber\r\n"),
    ];
    for (body, expected) in cases {
        assert_eq!(eval(&mut raw, body, &["0"]), *expected, "EVAL {body:?}");
    }
}

#[test]
fn errors_match_redis_byte_for_byte() {
    let server = Server::start();
    let mut raw = server.raw();
    raw.call(&["SET", "s", "abc"]);
    let with_sha =
        |body: &str, message: &str, line: u32| format!("-{message} script: {}, on @user_script:{line}.\r\n", sha(body));
    // Argument errors.
    assert_eq!(eval(&mut raw, "return 1", &["-1"]), "-ERR Number of keys can't be negative\r\n");
    assert_eq!(eval(&mut raw, "return 1", &["2", "a"]), "-ERR Number of keys can't be greater than number of args\r\n");
    assert_eq!(eval(&mut raw, "return 1", &["x"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(raw.call_str(&["EVALSHA", "abc", "x"]), "-NOSCRIPT No matching script. Please use EVAL.\r\n");
    assert_eq!(raw.call_str(&["EVALSHA", &"0".repeat(40), "0"]), "-NOSCRIPT No matching script. Please use EVAL.\r\n");
    assert_eq!(raw.call_str(&["EVAL", "return 1"]), "-ERR wrong number of arguments for 'eval' command\r\n");
    // Compile and run-time errors.
    assert_eq!(
        eval(&mut raw, "return 1 +", &["0"]),
        "-ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'\r\n"
    );
    let body = "return x";
    assert_eq!(
        eval(&mut raw, body, &["0"]),
        with_sha(body, "ERR user_script:1: Script attempted to access nonexistent global variable 'x'", 1)
    );
    let body = "x = 1";
    assert_eq!(
        eval(&mut raw, body, &["0"]),
        with_sha(body, "ERR user_script:1: Attempt to modify a readonly table", 1)
    );
    let body = "redis.call = nil";
    assert_eq!(
        eval(&mut raw, body, &["0"]),
        with_sha(body, "ERR user_script:1: Attempt to modify a readonly table", 1)
    );
    let body = "\n\nerror('boom')";
    assert_eq!(eval(&mut raw, body, &["0"]), with_sha(body, "ERR user_script:3: boom", 3));
    let body = "error({err = 'MY custom'})";
    assert_eq!(eval(&mut raw, body, &["0"]), with_sha(body, "MY custom", 1));
    let body = "local function f() f() end f()";
    assert_eq!(eval(&mut raw, body, &["0"]), with_sha(body, "ERR user_script:1: stack overflow", 1));
    let body = "return cjson.encode({[1] = 1, [20] = 3})";
    assert_eq!(
        eval(&mut raw, body, &["0"]),
        with_sha(body, "ERR user_script:1: Cannot serialise table: excessively sparse array", 1)
    );
    let body = "return cjson.decode('[1,')";
    assert_eq!(
        eval(&mut raw, body, &["0"]),
        with_sha(body, "ERR user_script:1: Expected value but found T_END at character 4", 1)
    );
    // redis.call raises the command's error; redis.pcall returns it.
    let body = "return redis.call('incr', 's')";
    assert_eq!(eval(&mut raw, body, &["0"]), with_sha(body, "ERR value is not an integer or out of range", 1));
    assert_eq!(
        eval(&mut raw, "return redis.pcall('incr', 's')", &["0"]),
        "-ERR value is not an integer or out of range\r\n"
    );
    assert_eq!(
        eval(&mut raw, "local ok, e = pcall(redis.call, 'incr', 's') return {tostring(ok), e}", &["0"]),
        "*2\r\n$5\r\nfalse\r\n$43\r\nERR value is not an integer or out of range\r\n"
    );
    let body = "local function f()\n  return redis.call('nosuch')\nend\nreturn f()";
    assert_eq!(eval(&mut raw, body, &["0"]), with_sha(body, "ERR Unknown Redis command called from script", 2));
    let body = "return redis.call('get')";
    assert_eq!(
        eval(&mut raw, body, &["0"]),
        with_sha(body, "ERR Wrong number of args calling Redis command from script", 1)
    );
    let body = "return redis.call()";
    assert_eq!(
        eval(&mut raw, body, &["0"]),
        with_sha(body, "ERR Please specify at least one argument for this redis lib call", 1)
    );
    let body = "return redis.call('get', {})";
    assert_eq!(
        eval(&mut raw, body, &["0"]),
        with_sha(body, "ERR Lua redis lib command arguments must be strings or integers", 1)
    );
    for command in
        ["'multi'", "'eval', 'return 1', '0'", "'script', 'load', 'return 1'", "'client', 'id'", "'shutdown'"]
    {
        let body = format!("return redis.call({command})");
        assert_eq!(
            eval(&mut raw, &body, &["0"]),
            with_sha(&body, "ERR This Redis command is not allowed from script", 1)
        );
    }
    // Read-only scripts.
    let body = "return redis.call('set', 'a', 'b')";
    assert_eq!(
        raw.call_str(&["EVAL_RO", body, "0"]),
        with_sha(body, "ERR Write commands are not allowed from read-only scripts.", 1)
    );
    assert_eq!(
        raw.call_str(&["EVAL_RO", "#!lua\nreturn 1", "0"]),
        "-ERR Can not execute a script with write flag using *_ro command.\r\n"
    );
    let body = "#!lua flags=no-writes\nreturn redis.call('set','a','b')";
    assert_eq!(
        eval(&mut raw, body, &["0"]),
        with_sha(body, "ERR Write commands are not allowed from read-only scripts.", 2)
    );
    assert_eq!(eval(&mut raw, "#!lua flags=bad\nreturn 1", &["0"]), "-ERR Unexpected flag in script shebang: bad\r\n");
    assert_eq!(eval(&mut raw, "#!lua", &["0"]), "-ERR Invalid script shebang\r\n");
    // SCRIPT errors.
    assert_eq!(raw.call_str(&["SCRIPT", "KILL"]), "-NOTBUSY No scripts in execution right now.\r\n");
    assert_eq!(raw.call_str(&["SCRIPT", "NOPE"]), "-ERR unknown subcommand 'NOPE'. Try SCRIPT HELP.\r\n");
    assert_eq!(raw.call_str(&["SCRIPT", "EXISTS"]), "-ERR wrong number of arguments for 'script|exists' command\r\n");
    // Nothing broke the server for the next client.
    assert_eq!(server.raw().call_str(&["EVAL", "return redis.call('get', 's')", "0"]), "$3\r\nabc\r\n");
}

#[test]
fn django_redis_incr_script_increments_existing_keys_only() {
    let server = Server::start();
    let mut c = server.conn();
    // django-redis's incr, verbatim.
    let incr = "local exists = redis.call('EXISTS', KEYS[1])\nif (exists == 1) then\n    return redis.call('INCRBY', KEYS[1], ARGV[1])\nelse return false end";
    let _: () = c.set("django:1:hits", 10).unwrap();
    assert_eq!(cmd(&["EVAL", incr, "1", "django:1:hits", "5"]).query::<Value>(&mut c).unwrap(), Value::Int(15));
    assert_eq!(cmd(&["EVAL", incr, "1", "django:1:hits", "-20"]).query::<Value>(&mut c).unwrap(), Value::Int(-5));
    assert_eq!(cmd(&["EVAL", incr, "1", "django:1:missing", "1"]).query::<Value>(&mut c).unwrap(), Value::Nil);
    assert_eq!(c.exists::<_, i64>("django:1:missing").unwrap(), 0);
    let _: () = c.set("django:1:word", "abc").unwrap();
    let e = query_err(&mut c, &cmd(&["EVAL", incr, "1", "django:1:word", "1"]));
    assert_eq!(e, format!("ERR value is not an integer or out of range script: {}, on @user_script:3.", sha(incr)));
    // The same over RESP3, as django-redis on redis-py 5+ speaks it.
    let mut c3 = server.conn3();
    assert_eq!(cmd(&["EVAL", incr, "1", "django:1:hits", "5"]).query::<Value>(&mut c3).unwrap(), Value::Int(0));
    assert_eq!(cmd(&["EVAL", incr, "1", "django:1:missing", "1"]).query::<Value>(&mut c3).unwrap(), Value::Nil);
}

#[test]
fn redis_py_lock_scripts_release_extend_and_reacquire() {
    let server = Server::start();
    let mut c = server.conn();
    // redis-py's Lock scripts, verbatim, loaded and run the way redis-py does.
    let release = "\n        local token = redis.call('get', KEYS[1])\n        if not token or token ~= ARGV[1] then\n            return 0\n        end\n        redis.call('del', KEYS[1])\n        return 1\n    ";
    let extend = "\n        local token = redis.call('get', KEYS[1])\n        if not token or token ~= ARGV[1] then\n            return 0\n        end\n        local expiration = redis.call('pttl', KEYS[1])\n        if not expiration then\n            expiration = 0\n        end\n        if expiration < 0 then\n            return 0\n        end\n\n        local newttl = ARGV[2]\n        if ARGV[3] == \"0\" then\n            newttl = ARGV[2] + expiration\n        end\n        redis.call('pexpire', KEYS[1], newttl)\n        return 1\n    ";
    let reacquire = "\n        local token = redis.call('get', KEYS[1])\n        if not token or token ~= ARGV[1] then\n            return 0\n        end\n        redis.call('pexpire', KEYS[1], ARGV[2])\n        return 1\n    ";
    let load = |c: &mut redis::Connection, body: &str| -> String { cmd(&["SCRIPT", "LOAD", body]).query(c).unwrap() };
    let (release, extend, reacquire) = (load(&mut c, release), load(&mut c, extend), load(&mut c, reacquire));
    let evalsha = |c: &mut redis::Connection, sha: &str, args: &[&str]| -> i64 {
        let mut all = vec!["EVALSHA", sha, "1", "lock:job"];
        all.extend_from_slice(args);
        cmd(&all).query(c).unwrap()
    };

    assert_eq!(cmd(&["SET", "lock:job", "token-1", "NX", "PX", "10000"]).query::<Value>(&mut c).unwrap(), Value::Okay);
    assert_eq!(cmd(&["SET", "lock:job", "token-2", "NX", "PX", "10000"]).query::<Value>(&mut c).unwrap(), Value::Nil);
    // Extend by adding time, then by replacing it.
    assert_eq!(evalsha(&mut c, &extend, &["token-1", "5000", "0"]), 1);
    let pttl: i64 = c.pttl("lock:job").unwrap();
    assert!((14_000..=15_000).contains(&pttl), "PTTL after adding 5 s: {pttl}");
    assert_eq!(evalsha(&mut c, &extend, &["token-1", "3000", "1"]), 1);
    let pttl: i64 = c.pttl("lock:job").unwrap();
    assert!((2_000..=3_000).contains(&pttl), "PTTL after replacing: {pttl}");
    assert_eq!(evalsha(&mut c, &reacquire, &["token-1", "20000"]), 1);
    let pttl: i64 = c.pttl("lock:job").unwrap();
    assert!((19_000..=20_000).contains(&pttl), "PTTL after reacquiring: {pttl}");
    // Another owner's token changes nothing.
    assert_eq!(evalsha(&mut c, &extend, &["token-2", "5000", "0"]), 0);
    assert_eq!(evalsha(&mut c, &reacquire, &["token-2", "1"]), 0);
    assert_eq!(evalsha(&mut c, &release, &["token-2"]), 0);
    assert_eq!(c.get::<_, String>("lock:job").unwrap(), "token-1");
    assert_eq!(evalsha(&mut c, &release, &["token-1"]), 1);
    assert_eq!(c.exists::<_, i64>("lock:job").unwrap(), 0);
    assert_eq!(evalsha(&mut c, &release, &["token-1"]), 0);
    // A lock without a TTL cannot be extended.
    let _: () = c.set("lock:job", "token-3").unwrap();
    assert_eq!(evalsha(&mut c, &extend, &["token-3", "5000", "0"]), 0);
}

#[test]
fn select_inside_a_script_changes_only_the_script_database() {
    let server = Server::start();
    let mut c = server.conn();
    let reply: String = cmd(&[
        "EVAL",
        "redis.call('SELECT', 1) redis.call('SET', 'where', 'db1') return redis.call('GET', 'where')",
        "0",
    ])
    .query(&mut c)
    .unwrap();
    assert_eq!(reply, "db1");
    // The caller is still on database 0; the next script starts there too.
    assert_eq!(c.exists::<_, i64>("where").unwrap(), 0);
    assert_eq!(cmd(&["EVAL", "return redis.call('EXISTS', 'where')", "0"]).query::<i64>(&mut c).unwrap(), 0);
    let _: () = cmd(&["SELECT", "1"]).query(&mut c).unwrap();
    assert_eq!(c.get::<_, String>("where").unwrap(), "db1");
    // A script starts on its caller's database.
    assert_eq!(cmd(&["EVAL", "return redis.call('GET', 'where')", "0"]).query::<String>(&mut c).unwrap(), "db1");
}

#[test]
fn a_script_runs_as_one_unit_between_other_clients() {
    let server = Server::start();
    let mut c = server.conn();
    let _: () = c.set("a", 0).unwrap();
    let _: () = c.set("b", 0).unwrap();
    // One client moves a and b together many times in each script; another reads both all
    // the while and must never see them differ.
    let url = server.url();
    let writer = thread::spawn(move || {
        let mut w = common::connect_url(&url);
        let body =
            "for i = 1, 2000 do redis.call('INCR', 'a') redis.call('INCR', 'b') end return redis.call('GET', 'a')";
        for _ in 0..10 {
            let _: String = cmd(&["EVAL", body, "0"]).query(&mut w).unwrap();
        }
    });
    let mut reads = 0;
    while !writer.is_finished() {
        let (a, b): (i64, i64) = redis::cmd("MGET").arg("a").arg("b").query(&mut c).unwrap();
        assert_eq!(a, b, "a script was seen half done");
        reads += 1;
    }
    writer.join().unwrap();
    assert!(reads > 0);
    let (a, b): (i64, i64) = redis::cmd("MGET").arg("a").arg("b").query(&mut c).unwrap();
    assert_eq!((a, b), (20_000, 20_000));
}

#[test]
fn an_endless_script_gets_busy_and_script_kill_stops_it() {
    let server = Server::start_with(&["--lua-time-limit", "100"]);
    let mut runner = server.raw();
    let mut other = server.raw();
    let mut killer = server.raw();
    send(&mut runner, &["EVAL", "while true do end", "0"]);
    wait_for_reply(&mut other, &["PING"], BUSY);
    assert_eq!(other.call_str(&["GET", "x"]), BUSY);
    assert_eq!(other.call_str(&["SET", "x", "1"]), BUSY);
    assert_eq!(other.call_str(&["SCRIPT", "LOAD", "return 1"]), BUSY);
    // A transaction refused while busy fails at EXEC.
    assert_eq!(other.call_str(&["MULTI"]), "+OK\r\n");
    assert_eq!(other.call_str(&["INCR", "x"]), BUSY);
    assert_eq!(killer.call_str(&["SCRIPT", "KILL"]), "+OK\r\n");
    let killed = runner.read_reply();
    assert_eq!(
        String::from_utf8_lossy(&killed),
        format!(
            "-ERR Script killed by user with SCRIPT KILL... script: {}, on @user_script:1.\r\n",
            sha("while true do end")
        )
    );
    assert_eq!(other.call_str(&["EXEC"]), "-EXECABORT Transaction discarded because of previous errors.\r\n");
    // The server goes on, for every connection.
    assert_eq!(other.call_str(&["PING"]), "+PONG\r\n");
    assert_eq!(runner.call_str(&["EVAL", "return 1", "0"]), ":1\r\n");
    assert_eq!(killer.call_str(&["SCRIPT", "KILL"]), "-NOTBUSY No scripts in execution right now.\r\n");
}

#[test]
fn a_killed_script_cannot_catch_the_kill_with_pcall() {
    let server = Server::start_with(&["--lua-time-limit", "100"]);
    let mut runner = server.raw();
    let mut other = server.raw();
    let body = "while true do pcall(function() while true do end end) end";
    send(&mut runner, &["EVAL", body, "0"]);
    wait_for_reply(&mut other, &["PING"], BUSY);
    assert_eq!(other.call_str(&["SCRIPT", "KILL"]), "+OK\r\n");
    assert_eq!(
        String::from_utf8_lossy(&runner.read_reply()),
        format!("-ERR Script killed by user with SCRIPT KILL... script: {}, on @user_script:1.\r\n", sha(body))
    );
    // The next script runs normally.
    assert_eq!(runner.call_str(&["EVAL", "local n = 0 for i = 1, 300000 do n = n + i end return n", "0"]), ":45000150000\r\n");
}

#[test]
fn a_script_that_wrote_cannot_be_killed_but_shutdown_nosave_stops_the_server() {
    let mut server = Server::start_with(&["--busy-reply-threshold", "100"]);
    let mut runner = server.raw();
    let mut other = server.raw();
    send(&mut runner, &["EVAL", "redis.call('SET', 'x', '1') while true do end", "0"]);
    wait_for_reply(&mut other, &["PING"], BUSY);
    assert_eq!(
        other.call_str(&["SCRIPT", "KILL"]),
        "-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n"
    );
    assert_eq!(other.call_str(&["SHUTDOWN"]), BUSY);
    send(&mut other, &["SHUTDOWN", "NOSAVE"]);
    let status = server.wait_exit(Duration::from_secs(10));
    assert!(status.is_some(), "the server did not exit after SHUTDOWN NOSAVE");
}

#[test]
fn script_kill_is_read_even_with_one_worker_thread() {
    let server = Server::start_with(&["--threads", "1", "--busy-reply-threshold", "100"]);
    let mut runner = server.raw();
    let mut other = server.raw();
    send(&mut runner, &["EVAL", "local n = 0 while true do n = n + 1 end", "0"]);
    wait_for_reply(&mut other, &["PING"], BUSY);
    assert_eq!(other.call_str(&["SCRIPT", "KILL"]), "+OK\r\n");
    let killed = String::from_utf8_lossy(&runner.read_reply()).into_owned();
    assert!(killed.starts_with("-ERR Script killed by user with SCRIPT KILL..."), "{killed}");
    assert_eq!(other.call_str(&["PING"]), "+PONG\r\n");
}

#[test]
fn scripts_over_maxmemory_refuse_growth_until_they_wrote() {
    let server = Server::start_with(&["--maxmemory", "1", "--maxmemory-policy", "noeviction"]);
    let mut raw = server.raw();
    // mokad counts only keys: one key puts it over the budget (Redis is over it already).
    raw.call(&["SET", "x", "y"]);
    let body = "return redis.call('SET', 'a', 'b')";
    assert_eq!(
        eval(&mut raw, body, &["0"]),
        format!(
            "-OOM command not allowed when used memory > 'maxmemory'. script: {}, on @user_script:1.\r\n",
            sha(body)
        )
    );
    assert_eq!(eval(&mut raw, "return redis.call('GET', 'missing')", &["0"]), "$-1\r\n");
    // Once a script has written (DEL does not grow memory), it may go on.
    assert_eq!(eval(&mut raw, "redis.call('DEL', 'zz') return redis.call('SET', 'a', 'b')", &["0"]), "+OK\r\n");
    assert_eq!(
        eval(&mut raw, "#!lua\nreturn 1", &["0"]),
        "-OOM command not allowed when used memory > 'maxmemory'.\r\n"
    );
    assert_eq!(eval(&mut raw, "#!lua flags=no-writes\nreturn 1", &["0"]), ":1\r\n");
    assert_eq!(eval(&mut raw, "#!lua flags=allow-oom\nreturn redis.call('SET', 'c', 'd')", &["0"]), "+OK\r\n");
}

#[test]
fn busy_reply_threshold_is_read_and_set_under_both_names() {
    let server = Server::start();
    let mut c = server.conn();
    let get =
        |c: &mut redis::Connection, name: &str| -> Vec<String> { cmd(&["CONFIG", "GET", name]).query(c).unwrap() };
    assert_eq!(get(&mut c, "busy-reply-threshold"), ["busy-reply-threshold", "5000"]);
    assert_eq!(get(&mut c, "lua-time-limit"), ["lua-time-limit", "5000"]);
    assert_eq!(cmd(&["CONFIG", "SET", "lua-time-limit", "250"]).query::<String>(&mut c).unwrap(), "OK");
    assert_eq!(get(&mut c, "busy-reply-threshold"), ["busy-reply-threshold", "250"]);
    assert_eq!(
        query_err(&mut c, &cmd(&["CONFIG", "SET", "busy-reply-threshold", "abc"])),
        "ERR CONFIG SET failed (possibly related to argument 'busy-reply-threshold') - argument couldn't be parsed into an integer"
    );
    assert_eq!(
        query_err(&mut c, &cmd(&["CONFIG", "SET", "busy-reply-threshold", "-1"])),
        "ERR CONFIG SET failed (possibly related to argument 'busy-reply-threshold') - argument must be between 0 and 9223372036854775807 inclusive"
    );
}

#[test]
fn scripts_run_inside_multi_exec() {
    let server = Server::start();
    let mut raw = server.raw();
    assert_eq!(raw.call_str(&["MULTI"]), "+OK\r\n");
    assert_eq!(raw.call_str(&["SET", "k", "1"]), "+QUEUED\r\n");
    assert_eq!(raw.call_str(&["EVAL", "return redis.call('INCR', KEYS[1])", "1", "k"]), "+QUEUED\r\n");
    assert_eq!(raw.call_str(&["EVAL", "return redis.pcall('nosuch')", "0"]), "+QUEUED\r\n");
    assert_eq!(raw.call_str(&["EXEC"]), "*3\r\n+OK\r\n:2\r\n-ERR Unknown Redis command called from script\r\n");
}
