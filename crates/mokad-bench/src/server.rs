//! Starting a fresh server (mokad or redis-server) pinned to one core, reading its CPU time and
//! resident memory from /proc, and stopping it.

use std::fs;
use std::io;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::resp::{Conn, Reply};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Mokad,
    Redis,
}

/// Which server, with what memory limit and policy.
#[derive(Debug, Clone)]
pub struct Spec {
    pub flavor: Flavor,
    /// Label used in tables: "mokad", "redis", "mokad lru", "redis lfu", ...
    pub label: String,
    /// maxmemory in bytes; 0 = no limit.
    pub maxmemory: u64,
    pub policy: String,
}

impl Spec {
    pub fn new(flavor: Flavor, label: &str, maxmemory: u64, policy: &str) -> Spec {
        Spec { flavor, label: label.to_string(), maxmemory, policy: policy.to_string() }
    }
}

/// Paths and core assignment shared by every server start.
#[derive(Debug, Clone)]
pub struct Env {
    pub mokad: PathBuf,
    pub redis_server: PathBuf,
    pub redis_benchmark: PathBuf,
    pub server_core: usize,
    pub client_core: usize,
    pub pin: bool,
    pub work_dir: PathBuf,
    pub clk_tck: f64,
}

pub struct Server {
    child: Child,
    pub pid: u32,
    pub addr: String,
    pub port: u16,
}

fn free_port() -> io::Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

impl Server {
    pub fn start(env: &Env, spec: &Spec) -> io::Result<Server> {
        let port = free_port()?;
        let bin = match spec.flavor {
            Flavor::Mokad => env.mokad.clone(),
            Flavor::Redis => env.redis_server.clone(),
        };
        let mut args: Vec<String> = Vec::new();
        match spec.flavor {
            Flavor::Mokad => {
                for (k, v) in [
                    ("--port", port.to_string()),
                    ("--bind", "127.0.0.1".into()),
                    ("--threads", "1".into()),
                    ("--maxmemory", spec.maxmemory.to_string()),
                    ("--maxmemory-policy", spec.policy.clone()),
                    ("--loglevel", "warning".into()),
                ] {
                    args.push(k.into());
                    args.push(v);
                }
            }
            Flavor::Redis => {
                for (k, v) in [
                    ("--port", port.to_string()),
                    ("--bind", "127.0.0.1".into()),
                    ("--save", String::new()),
                    ("--appendonly", "no".into()),
                    ("--daemonize", "no".into()),
                    ("--protected-mode", "no".into()),
                    ("--dir", env.work_dir.display().to_string()),
                    ("--maxmemory", spec.maxmemory.to_string()),
                    ("--maxmemory-policy", spec.policy.clone()),
                    ("--loglevel", "warning".into()),
                ] {
                    args.push(k.into());
                    args.push(v);
                }
            }
        }
        let log_path = env.work_dir.join(format!("{}-{port}.log", spec.label.replace(' ', "-")));
        let log = fs::File::create(&log_path)?;
        let mut cmd = if env.pin {
            let mut c = Command::new("taskset");
            c.arg("-c").arg(env.server_core.to_string()).arg(&bin);
            c
        } else {
            Command::new(&bin)
        };
        cmd.args(&args).stdin(Stdio::null()).stdout(log.try_clone()?).stderr(log);
        let child = cmd.spawn().map_err(|e| io::Error::new(e.kind(), format!("cannot start {}: {e}", bin.display())))?;
        let pid = child.id(); // taskset execs the server: same pid
        let mut server = Server { child, pid, addr: format!("127.0.0.1:{port}"), port };
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                let log = fs::read_to_string(&log_path).unwrap_or_default();
                return Err(io::Error::other(format!("{} exited at start ({status}): {log}", spec.label)));
            }
            if let Ok(mut c) = Conn::connect(&server.addr, Duration::from_secs(5)) {
                if let Ok(Reply::Simple(s)) = c.call(&[b"PING"]) {
                    if s == "PONG" {
                        break;
                    }
                }
            }
            if Instant::now() > deadline {
                server.stop();
                return Err(io::Error::other(format!("{} did not answer PING within 15 s", spec.label)));
            }
            sleep(Duration::from_millis(50));
        }
        Ok(server)
    }

    pub fn conn(&self) -> io::Result<Conn> {
        Conn::connect(&self.addr, Duration::from_secs(60))
    }

    /// utime + stime of the whole process (all threads), in seconds.
    pub fn cpu_seconds(&self, env: &Env) -> io::Result<f64> {
        let stat = fs::read_to_string(format!("/proc/{}/stat", self.pid))?;
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
        let f: Vec<&str> = rest.split_whitespace().collect();
        // f[0] is field 3 (state); utime is field 14, stime field 15.
        let utime: f64 = f.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0);
        let stime: f64 = f.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
        Ok((utime + stime) / env.clk_tck)
    }

    /// Resident set size in bytes (VmRSS).
    pub fn rss(&self) -> io::Result<u64> {
        let status = fs::read_to_string(format!("/proc/{}/status", self.pid))?;
        for line in status.lines() {
            if let Some(v) = line.strip_prefix("VmRSS:") {
                let kb: u64 = v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
                return Ok(kb * 1024);
            }
        }
        Err(io::Error::other("no VmRSS"))
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
