//! The real `redis-cli` against the real mokad binary. These tests need redis-cli installed
//! (`apt-get install redis-tools`) and fail, saying so, when it is not.
//!
//! redis-cli's stdout here is a pipe, so it prints replies raw unless `--no-raw` is given.

mod common;

use common::{cmd, redis_cli, Server};

/// Runs `redis-cli -p PORT args...` and returns stdout, asserting it exited successfully.
fn cli(server: &Server, args: &[&str]) -> String {
    let port = server.port.to_string();
    let mut all = vec!["-p", port.as_str()];
    all.extend_from_slice(args);
    let (ok, stdout, stderr) = redis_cli(&all, None);
    assert!(ok, "redis-cli {all:?} failed: {stderr}");
    stdout
}

#[test]
fn redis_cli_is_installed() {
    let (ok, stdout, _) = redis_cli(&["--version"], None);
    assert!(ok && stdout.starts_with("redis-cli "), "redis-cli --version printed {stdout:?}; install redis-tools");
}

#[test]
fn one_shot_set_and_get() {
    let server = Server::start();
    assert_eq!(cli(&server, &["set", "k", "v"]), "OK\n");
    assert_eq!(cli(&server, &["get", "k"]), "v\n");
    assert_eq!(cli(&server, &["get", "missing"]), "\n");
    assert_eq!(cli(&server, &["--no-raw", "get", "missing"]), "(nil)\n");
    assert_eq!(cli(&server, &["--no-raw", "get", "k"]), "\"v\"\n");
    assert_eq!(cli(&server, &["--no-raw", "incr", "n"]), "(integer) 1\n");
    assert_eq!(cli(&server, &["--no-raw", "mget", "k", "missing", "n"]), "1) \"v\"\n2) (nil)\n3) \"1\"\n");
    assert_eq!(cli(&server, &["--no-raw", "incr", "k"]), "(error) ERR value is not an integer or out of range\n");
    assert_eq!(cli(&server, &["incr", "k"]), "ERR value is not an integer or out of range\n\n");
    let mut c = server.conn();
    assert_eq!(cmd(&["GET", "n"]).query::<String>(&mut c).unwrap(), "1");
}

#[test]
fn database_selection_with_n() {
    let server = Server::start_with(&["--databases", "4"]);
    assert_eq!(cli(&server, &["-n", "1", "set", "k", "one"]), "OK\n");
    assert_eq!(cli(&server, &["-n", "3", "set", "k", "three"]), "OK\n");
    assert_eq!(cli(&server, &["-n", "1", "get", "k"]), "one\n");
    assert_eq!(cli(&server, &["-n", "3", "get", "k"]), "three\n");
    assert_eq!(cli(&server, &["get", "k"]), "\n");
    assert_eq!(cli(&server, &["-n", "1", "dbsize"]), "1\n");
    assert_eq!(cli(&server, &["dbsize"]), "0\n");
    let port = server.port.to_string();
    let (_, stdout, stderr) = redis_cli(&["-p", &port, "-n", "4", "get", "k"], None);
    assert!(stderr.contains("SELECT 4 failed: ERR DB index is out of range"), "stderr {stderr:?}");
    assert_eq!(stdout, "\n", "redis-cli falls back to db 0");
}

#[test]
fn resp3_hello_with_dash_3() {
    let server = Server::start();
    let out = cli(&server, &["-3", "--no-raw", "hello", "3"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 7, "{out}");
    assert_eq!(lines[0], "1# \"server\" => \"redis\"");
    assert!(lines[1].starts_with("2# \"version\" => \"7."), "{out}");
    assert_eq!(lines[2], "3# \"proto\" => (integer) 3");
    assert!(lines[3].starts_with("4# \"id\" => (integer) "), "{out}");
    assert_eq!(lines[4], "5# \"mode\" => \"standalone\"");
    assert_eq!(lines[5], "6# \"role\" => \"master\"");
    assert_eq!(lines[6], "7# \"modules\" => (empty array)");
    assert_eq!(cli(&server, &["-3", "--no-raw", "config", "get", "timeout"]), "1# \"timeout\" => \"0\"\n");
    assert_eq!(cli(&server, &["--no-raw", "config", "get", "timeout"]), "1) \"timeout\"\n2) \"0\"\n");
    assert_eq!(cli(&server, &["-3", "--no-raw", "get", "missing"]), "(nil)\n");
    let raw = cli(&server, &["-3", "hello", "3"]);
    assert!(raw.starts_with("server redis\nversion 7."), "{raw}");
    assert!(raw.contains("\nproto 3\nid "), "{raw}");
    assert!(raw.ends_with("\nmode standalone\nrole master\nmodules \n"), "{raw:?}");
}

#[test]
fn piped_stdin_commands() {
    let server = Server::start();
    let port = server.port.to_string();
    let (ok, stdout, stderr) = redis_cli(&["-p", &port], Some(b"SET a 1\nINCR a\n"));
    assert!(ok, "{stderr}");
    assert_eq!(stdout, "OK\n2\n");
    let (ok, stdout, stderr) = redis_cli(&["-p", &port, "--no-raw"], Some(b"SET b \"two words\"\nGET b\nGET none\nINCRBY a 40\n"));
    assert!(ok, "{stderr}");
    assert_eq!(stdout, "OK\n\"two words\"\n(nil)\n(integer) 42\n");
    let mut c = server.conn();
    assert_eq!(cmd(&["GET", "b"]).query::<String>(&mut c).unwrap(), "two words");
}

#[test]
fn raw_and_formatted_output_of_binary_values() {
    let server = Server::start();
    let mut c = server.conn();
    let _: () = cmd(&["SET", "nl", "a\nb\x01\"c"]).query(&mut c).unwrap();
    assert_eq!(cli(&server, &["--raw", "get", "nl"]), "a\nb\x01\"c\n");
    assert_eq!(cli(&server, &["--no-raw", "get", "nl"]), "\"a\\nb\\x01\\\"c\"\n");
    assert_eq!(cli(&server, &["--raw", "incr", "n"]), "1\n");
    assert_eq!(cli(&server, &["--raw", "mget", "n", "missing"]), "1\n\n");
}

#[test]
fn command_docs_is_not_an_error() {
    let server = Server::start();
    let out = cli(&server, &["command", "docs", "get"]);
    assert!(!out.contains("ERR"), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "get", "{out}");
    assert_eq!(lines[1], "summary", "{out}");
    assert!(lines.windows(2).any(|w| w == ["since", "1.0.0"]), "{out}");
    assert!(lines.windows(2).any(|w| w == ["group", "string"]), "{out}");
    let formatted = cli(&server, &["--no-raw", "command", "docs", "set"]);
    assert!(formatted.starts_with("1) \"set\"\n2) "), "{formatted}");
    assert!(!formatted.contains("(error)"), "{formatted}");
}

#[test]
fn command_count_matches_command() {
    let server = Server::start();
    let count: usize = cli(&server, &["command", "count"]).trim().parse().expect("COMMAND COUNT is a number");
    let mut c = server.conn();
    let all: Vec<redis::Value> = cmd(&["COMMAND"]).query(&mut c).unwrap();
    assert_eq!(count, all.len());
    assert!(count >= 50, "only {count} commands");
    assert_eq!(cli(&server, &["--no-raw", "command", "count"]), format!("(integer) {count}\n"));
}

/// Redis 7's COMMAND LIST names subcommands too (`client|list`, `config|get`, ...).
#[test]
fn command_list_includes_subcommands() {
    let server = Server::start();
    let out = cli(&server, &["--raw", "command", "list"]);
    let names: Vec<&str> = out.lines().collect();
    for name in ["get", "client", "client|list", "client|setname", "config", "config|get", "command|docs"] {
        assert!(names.contains(&name), "COMMAND LIST lacks {name}");
    }
}

#[test]
fn info_server_contains_redis_version() {
    let server = Server::start();
    let out = cli(&server, &["info", "server"]);
    let lines: Vec<&str> = out.lines().map(|l| l.trim_end_matches('\r')).collect();
    assert_eq!(lines[0], "# Server", "{out}");
    let version = lines.iter().find_map(|l| l.strip_prefix("redis_version:")).expect("redis_version line");
    assert!(version.starts_with("7."), "redis_version:{version}");
    let port = lines.iter().find_map(|l| l.strip_prefix("tcp_port:")).expect("tcp_port line");
    assert_eq!(port, server.port.to_string());
    assert!(!out.contains("# Keyspace"), "INFO server printed other sections");
}

#[test]
fn ping_and_echo() {
    let server = Server::start();
    assert_eq!(cli(&server, &["ping"]), "PONG\n");
    assert_eq!(cli(&server, &["ping", "hello"]), "hello\n");
    assert_eq!(cli(&server, &["--no-raw", "echo", "two words"]), "\"two words\"\n");
    assert_eq!(cli(&server, &["--no-raw", "dbsize"]), "(integer) 0\n");
}
