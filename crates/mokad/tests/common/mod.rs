//! Shared harness of the end-to-end tests: starts the real `mokad` binary on a free port, stops
//! it on drop, and talks RESP over raw sockets with timeouts, so no test can hang.
//!
//! Setting `MOKAD_IT_TARGET=redis` runs the same tests against `redis-server` instead (same
//! flags, plus `--save "" --appendonly no`), to check that an expectation is what Redis
//! answers. Tests of mokad-only behaviour (its flags, `--print-config`, `mokad_version`, 7.2
//! commands) fail there by design.

#![allow(dead_code)]

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long a reply may take before a test fails instead of hanging.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the server may take to start answering PING.
const START_TIMEOUT: Duration = Duration::from_secs(15);

/// The binary under test.
pub fn mokad_bin() -> &'static str {
    env!("CARGO_BIN_EXE_mokad")
}

/// Whether the tests target a real redis-server (`MOKAD_IT_TARGET=redis`).
pub fn targeting_redis() -> bool {
    std::env::var("MOKAD_IT_TARGET").is_ok_and(|v| v == "redis")
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local addr").port()
}

/// A running server process, killed (and reaped) on drop.
pub struct Server {
    child: Option<Child>,
    /// The port it listens on, on 127.0.0.1.
    pub port: u16,
    log: PathBuf,
}

impl Server {
    /// Starts the server with default settings.
    pub fn start() -> Server {
        Server::start_with(&[])
    }

    /// Starts the server with extra `--key value` flags and waits until it answers PING.
    pub fn start_with(args: &[&str]) -> Server {
        let mut last_log = String::new();
        // The port is picked before the server binds it: another process may take it in
        // between, so a server that exits at start-up is retried on a new port.
        for _ in 0..5 {
            let port = free_port();
            let log = std::env::temp_dir().join(format!("mokad-it-{}-{port}.log", std::process::id()));
            let log_file = std::fs::File::create(&log).expect("create server log file");
            let mut command = if targeting_redis() {
                let mut c = Command::new("redis-server");
                c.args(["--save", "", "--appendonly", "no"]);
                c
            } else {
                Command::new(mokad_bin())
            };
            command
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(args)
                .stdin(Stdio::null())
                .stdout(log_file.try_clone().expect("clone log file"))
                .stderr(log_file);
            let child = command.spawn().expect("spawn the server binary");
            let mut server = Server { child: Some(child), port, log };
            match server.wait_ready() {
                Ok(()) => return server,
                Err(why) => {
                    last_log = format!("{why}\n--- server output ---\n{}", server.output());
                }
            }
        }
        panic!("the server did not start with {args:?}: {last_log}");
    }

    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + START_TIMEOUT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.as_mut().expect("child").try_wait().expect("try_wait") {
                return Err(format!("server exited at start-up: {status}"));
            }
            if let Ok(mut conn) = Raw::try_connect(self.port) {
                if conn.send(b"PING\r\n").is_ok() {
                    if let Ok(reply) = conn.try_read_reply() {
                        // Another test's server may have taken the port first: make sure the
                        // one answering is this process.
                        if reply == b"+PONG\r\n" && conn.server_pid() == Some(self.pid()) {
                            return Ok(());
                        }
                    }
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err("server did not answer PING in time".into())
    }

    /// The process id of the server.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("child").id()
    }

    /// What the server printed so far (stdout and stderr).
    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `redis://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// A `redis` crate client speaking RESP2.
    pub fn client(&self) -> redis::Client {
        redis::Client::open(self.url()).expect("client")
    }

    /// A sync RESP2 connection with timeouts.
    pub fn conn(&self) -> redis::Connection {
        connect_url(&self.url())
    }

    /// A sync RESP3 connection with timeouts (`?protocol=resp3` makes it send `HELLO 3`).
    pub fn conn3(&self) -> redis::Connection {
        connect_url(&format!("{}?protocol=resp3", self.url()))
    }

    /// A raw socket to the server.
    pub fn raw(&self) -> Raw {
        Raw::connect(self.port)
    }

    /// Resident set size of the server process, from /proc/PID/status (VmRSS), in bytes.
    pub fn rss_bytes(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).expect("read /proc/PID/status");
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("VmRSS line");
        let kb: u64 = line.split_whitespace().nth(1).expect("VmRSS value").parse().expect("VmRSS number");
        kb * 1024
    }

    /// Sends a signal (by name, e.g. "TERM") to the server process.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill").arg(format!("-{name}")).arg(self.pid().to_string()).status().expect("run kill");
        assert!(status.success(), "kill -{name} {} failed", self.pid());
    }

    /// Waits up to `timeout` for the process to exit; its status if it did.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        let child = self.child.as_mut().expect("child");
        loop {
            if let Some(status) = child.try_wait().expect("try_wait") {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            if child.try_wait().ok().flatten().is_none() {
                let _ = child.kill();
            }
            let _ = child.wait();
        }
        let _ = std::fs::remove_file(&self.log);
    }
}

/// A sync `redis` crate connection to `url` with read and write timeouts.
pub fn connect_url(url: &str) -> redis::Connection {
    let client = redis::Client::open(url).expect("client");
    let conn = client.get_connection_with_timeout(REPLY_TIMEOUT).unwrap_or_else(|e| panic!("connect to {url}: {e}"));
    conn.set_read_timeout(Some(REPLY_TIMEOUT)).expect("read timeout");
    conn.set_write_timeout(Some(REPLY_TIMEOUT)).expect("write timeout");
    conn
}

/// Redis's full error line for a `redis` crate error: `CODE detail`, e.g.
/// `ERR value is not an integer or out of range`.
pub fn error_text(e: &redis::RedisError) -> String {
    match (e.code(), e.detail()) {
        (Some(code), Some(detail)) => format!("{code} {detail}"),
        (Some(code), None) => code.to_string(),
        _ => panic!("not a server error: {e:?}"),
    }
}

/// Runs a command that must fail and returns the full error line.
pub fn query_err(conn: &mut redis::Connection, cmd: &redis::Cmd) -> String {
    match cmd.query::<redis::Value>(conn) {
        Ok(redis::Value::ServerError(e)) => {
            let detail = e.details().map(|d| format!(" {d}")).unwrap_or_default();
            format!("{}{detail}", e.code())
        }
        Ok(v) => panic!("expected an error reply, got {v:?}"),
        Err(e) => error_text(&e),
    }
}

/// Shorthand for building a command from string arguments.
pub fn cmd(args: &[&str]) -> redis::Cmd {
    let mut c = redis::cmd(args[0]);
    for a in &args[1..] {
        c.arg(*a);
    }
    c
}

/// The value of `field` in an INFO reply (`field:value` lines).
pub fn info_field(info: &str, field: &str) -> Option<String> {
    info.lines().find_map(|line| line.strip_prefix(field)?.strip_prefix(':').map(|v| v.trim_end().to_string()))
}

/// INFO [section] through a `redis` connection, as text.
pub fn info(conn: &mut redis::Connection, section: &str) -> String {
    let mut c = redis::cmd("INFO");
    if !section.is_empty() {
        c.arg(section);
    }
    match c.query::<redis::Value>(conn).expect("INFO") {
        redis::Value::BulkString(b) => String::from_utf8(b).expect("utf-8 INFO"),
        redis::Value::VerbatimString { text, .. } => text,
        other => panic!("INFO replied {other:?}"),
    }
}

/// A numeric INFO field.
pub fn info_u64(conn: &mut redis::Connection, section: &str, field: &str) -> u64 {
    let text = info(conn, section);
    info_field(&text, field)
        .unwrap_or_else(|| panic!("INFO {section} has no {field}:\n{text}"))
        .parse()
        .unwrap_or_else(|_| panic!("INFO field {field} is not a number"))
}

/// Why no complete reply could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The server closed the connection; the bytes received before that.
    Closed(Vec<u8>),
    /// Nothing complete arrived in time; the bytes received so far.
    Timeout(Vec<u8>),
    /// Another socket error.
    Io(String),
}

/// A raw TCP connection that speaks RESP bytes.
pub struct Raw {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Raw {
    /// Connects to 127.0.0.1:port, panicking on failure.
    pub fn connect(port: u16) -> Raw {
        Raw::try_connect(port).unwrap_or_else(|e| panic!("connect to 127.0.0.1:{port}: {e}"))
    }

    fn try_connect(port: u16) -> std::io::Result<Raw> {
        let stream = TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(2))?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(REPLY_TIMEOUT))?;
        stream.set_write_timeout(Some(REPLY_TIMEOUT))?;
        Ok(Raw { stream, buf: Vec::new() })
    }

    /// The client side address of the connection, `ip:port` (CLIENT LIST's `addr`).
    pub fn local_addr(&self) -> String {
        self.stream.local_addr().expect("local addr").to_string()
    }

    /// The `process_id` INFO reports.
    fn server_pid(&mut self) -> Option<u32> {
        self.send(b"INFO server\r\n").ok()?;
        let reply = self.try_read_reply().ok()?;
        info_field(&String::from_utf8_lossy(&reply), "process_id")?.parse().ok()
    }

    /// Writes all of `bytes`.
    pub fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.stream.write_all(bytes)?;
        self.stream.flush()
    }

    /// Writes a command as a RESP array of bulk strings.
    pub fn send_cmd(&mut self, args: &[&[u8]]) {
        self.send(&encode(args)).expect("send command");
    }

    /// Sends a command as a RESP array and reads one reply.
    pub fn call(&mut self, args: &[&str]) -> Vec<u8> {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        self.send_cmd(&args);
        self.read_reply()
    }

    /// Like [`Raw::call`], with the reply as text (lossy).
    pub fn call_str(&mut self, args: &[&str]) -> String {
        String::from_utf8_lossy(&self.call(args)).into_owned()
    }

    /// Reads one complete reply (its raw bytes), panicking on close or timeout.
    pub fn read_reply(&mut self) -> Vec<u8> {
        self.try_read_reply().unwrap_or_else(|e| panic!("reading a reply: {}", describe(&e)))
    }

    /// Reads `n` complete replies, concatenated.
    pub fn read_replies(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for _ in 0..n {
            out.extend(self.read_reply());
        }
        out
    }

    /// Reads one complete reply, or says why not.
    pub fn try_read_reply(&mut self) -> Result<Vec<u8>, ReadError> {
        self.try_read_reply_within(REPLY_TIMEOUT)
    }

    /// Reads one complete reply within `timeout`, or says why not.
    pub fn try_read_reply_within(&mut self, timeout: Duration) -> Result<Vec<u8>, ReadError> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(len) = frame_len(&self.buf) {
                return Ok(self.buf.drain(..len).collect());
            }
            match self.fill(deadline) {
                Ok(true) => {}
                Ok(false) => return Err(ReadError::Closed(std::mem::take(&mut self.buf))),
                Err(e) if is_timeout(&e) => return Err(ReadError::Timeout(self.buf.clone())),
                Err(e) if e.kind() == ErrorKind::ConnectionReset => return Err(ReadError::Closed(std::mem::take(&mut self.buf))),
                Err(e) => return Err(ReadError::Io(e.to_string())),
            }
        }
    }

    /// Reads until the server closes the connection (within `timeout`) and returns every byte
    /// received; panics if it stays open.
    pub fn read_until_closed(&mut self, timeout: Duration) -> Vec<u8> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.fill(deadline) {
                Ok(true) => {}
                Ok(false) => return std::mem::take(&mut self.buf),
                Err(e) if e.kind() == ErrorKind::ConnectionReset => return std::mem::take(&mut self.buf),
                Err(e) if is_timeout(&e) => {
                    panic!("the server did not close the connection; received {:?}", String::from_utf8_lossy(&self.buf))
                }
                Err(e) => panic!("read error: {e}"),
            }
        }
    }

    /// Asserts that nothing arrives for `wait` and the connection stays open.
    pub fn assert_silent(&mut self, wait: Duration) {
        let deadline = Instant::now() + wait;
        match self.fill(deadline) {
            Ok(true) => panic!("unexpected bytes from the server: {:?}", String::from_utf8_lossy(&self.buf)),
            Ok(false) => panic!("the server closed the connection"),
            Err(e) if is_timeout(&e) => {}
            Err(e) => panic!("read error: {e}"),
        }
    }

    /// Whether the server closes the connection within `timeout` (bytes before the close are
    /// discarded).
    pub fn closed_within(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            match self.fill(deadline) {
                Ok(true) => self.buf.clear(),
                Ok(false) => return true,
                Err(e) if e.kind() == ErrorKind::ConnectionReset => return true,
                Err(e) if is_timeout(&e) => return false,
                Err(e) => panic!("read error: {e}"),
            }
        }
    }

    /// Reads once, waiting until `deadline`: Ok(true) if bytes arrived, Ok(false) on EOF.
    fn fill(&mut self, deadline: Instant) -> std::io::Result<bool> {
        let now = Instant::now();
        if now >= deadline {
            return Err(std::io::Error::new(ErrorKind::TimedOut, "deadline passed"));
        }
        self.stream.set_read_timeout(Some((deadline - now).max(Duration::from_millis(1))))?;
        let mut chunk = [0u8; 64 * 1024];
        let n = loop {
            match self.stream.read(&mut chunk) {
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        if n == 0 {
            return Ok(false);
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(true)
    }
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

fn describe(e: &ReadError) -> String {
    match e {
        ReadError::Closed(b) => format!("connection closed after {:?}", String::from_utf8_lossy(b)),
        ReadError::Timeout(b) => format!("timed out after {:?}", String::from_utf8_lossy(b)),
        ReadError::Io(e) => format!("I/O error: {e}"),
    }
}

/// Encodes a command as a RESP array of bulk strings.
pub fn encode(args: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for arg in args {
        out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        out.extend_from_slice(arg);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Length of the first complete RESP2/RESP3 frame in `buf`, if there is one.
pub fn frame_len(buf: &[u8]) -> Option<usize> {
    let line_end = buf.windows(2).position(|w| w == b"\r\n")?;
    let header = std::str::from_utf8(&buf[1..line_end]).ok();
    let after = line_end + 2;
    let aggregate = |count: usize, mut pos: usize| -> Option<usize> {
        for _ in 0..count {
            pos += frame_len(&buf[pos..])?;
        }
        Some(pos)
    };
    match buf.first()? {
        b'+' | b'-' | b':' | b'_' | b'#' | b',' | b'(' => Some(after),
        b'$' | b'!' | b'=' => {
            let n: i64 = header?.parse().ok()?;
            if n < 0 {
                return Some(after);
            }
            let end = after + n as usize + 2;
            (buf.len() >= end).then_some(end)
        }
        b'*' | b'~' | b'>' => {
            let n: i64 = header?.parse().ok()?;
            if n < 0 {
                return Some(after);
            }
            aggregate(n as usize, after)
        }
        b'%' | b'|' => {
            let n: i64 = header?.parse().ok()?;
            let end = aggregate(2 * n as usize, after)?;
            // An attribute precedes the reply it describes.
            if buf[0] == b'|' {
                Some(end + frame_len(&buf[end..])?)
            } else {
                Some(end)
            }
        }
        other => panic!("not a RESP reply (first byte {:?}): {:?}", *other as char, String::from_utf8_lossy(buf)),
    }
}

/// Runs `redis-cli` with `args` (stdin from `input`), returning (success, stdout, stderr).
pub fn redis_cli(args: &[&str], input: Option<&[u8]>) -> (bool, String, String) {
    let mut child = Command::new("redis-cli")
        .args(args)
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run redis-cli ({e}): these tests need the real redis-cli; install it with `apt-get install redis-tools`")
        });
    if let Some(input) = input {
        child.stdin.take().expect("stdin").write_all(input).expect("write redis-cli stdin");
    }
    // Drain both pipes on threads so a large output cannot block the child.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
    let deadline = Instant::now() + REPLY_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("redis-cli {args:?} did not finish in {REPLY_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    (status.success(), stdout.join().expect("stdout reader"), stderr.join().expect("stderr reader"))
}
