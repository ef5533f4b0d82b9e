//! mokad-bench: runs the benchmark suite that compares mokad with redis-server side by side.
//! Normally started by `scripts/bench.sh`, which builds it, installs redis and pins this
//! process to the load-generator core.

mod parts;
mod resp;
mod results;
mod server;
mod workload;

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use server::Env;

const USAGE: &str = "\
Usage: mokad-bench [options]

Runs the mokad vs redis-server benchmark suite and writes a markdown report.

  --quick                 1 round, smaller sizes (a few minutes)
  --rounds N              rounds per part (default 3, 1 with --quick)
  --parts LIST            comma-separated subset of throughput,memory,hitratio,stalls
  --out FILE              markdown report (default docs/benchmarks.md; '-' for none)
  --mokad PATH            mokad binary (default target/release/mokad)
  --redis-server PATH     (default: redis-server on PATH)
  --redis-benchmark PATH  (default: redis-benchmark on PATH)
  --server-core N         core for the server (default 0)
  --client-core N         core for the load generator (default 1)
  --work-dir DIR          logs and raw results (default target/bench/<timestamp>)";

pub struct Options {
    pub quick: bool,
    pub rounds: usize,
    pub parts: Vec<String>,
    pub out: Option<PathBuf>,
    pub env: Env,
    pub argv: String,
}

pub const ALL_PARTS: [&str; 4] = ["throughput", "memory", "hitratio", "stalls"];

fn which(name: &str) -> PathBuf {
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let p = dir.join(name);
            if p.is_file() {
                return p;
            }
        }
    }
    PathBuf::from(name)
}

/// Cores online on the machine (not this process's affinity mask, which taskset narrows).
pub fn online_cores() -> usize {
    cmd_output("getconf", &["_NPROCESSORS_ONLN"])
        .parse()
        .unwrap_or_else(|_| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

fn cmd_output(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn parse_options() -> Result<Option<Options>, String> {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut quick = false;
    let mut rounds = None;
    let mut parts: Vec<String> = ALL_PARTS.iter().map(|s| s.to_string()).collect();
    let mut out = Some(PathBuf::from("docs/benchmarks.md"));
    let mut mokad = PathBuf::from("target/release/mokad");
    let mut redis_server = which("redis-server");
    let mut redis_benchmark = which("redis-benchmark");
    let mut server_core = 0;
    let mut client_core = 1;
    let mut work_dir = None;
    let mut it = argv.iter();
    while let Some(a) = it.next() {
        let mut val = || it.next().cloned().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            "--quick" => quick = true,
            "--rounds" => rounds = Some(val()?.parse::<usize>().map_err(|e| format!("--rounds: {e}"))?.max(1)),
            "--parts" => {
                parts = val()?.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
                for p in &parts {
                    if !ALL_PARTS.contains(&p.as_str()) {
                        return Err(format!("unknown part '{p}' (known: {})", ALL_PARTS.join(",")));
                    }
                }
            }
            "--out" => {
                let v = val()?;
                out = if v == "-" { None } else { Some(PathBuf::from(v)) };
            }
            "--mokad" => mokad = PathBuf::from(val()?),
            "--redis-server" => redis_server = PathBuf::from(val()?),
            "--redis-benchmark" => redis_benchmark = PathBuf::from(val()?),
            "--server-core" => server_core = val()?.parse().map_err(|e| format!("--server-core: {e}"))?,
            "--client-core" => client_core = val()?.parse().map_err(|e| format!("--client-core: {e}"))?,
            "--work-dir" => work_dir = Some(PathBuf::from(val()?)),
            other => return Err(format!("unknown argument '{other}'\n\n{USAGE}")),
        }
    }
    let cores = online_cores();
    let pin = cores >= 2 && server_core != client_core && server_core < cores && client_core < cores;
    if !pin {
        eprintln!("warning: {cores} core(s) available: server and load generator are not pinned to separate cores");
    }
    let work_dir = work_dir.unwrap_or_else(|| PathBuf::from(format!("target/bench/{}", cmd_output("date", &["+%Y%m%d-%H%M%S"]))));
    std::fs::create_dir_all(&work_dir).map_err(|e| format!("{}: {e}", work_dir.display()))?;
    let work_dir = work_dir.canonicalize().map_err(|e| e.to_string())?;
    let clk_tck = cmd_output("getconf", &["CLK_TCK"]).parse().unwrap_or(100.0);
    for (name, p) in [("mokad", &mokad), ("redis-server", &redis_server), ("redis-benchmark", &redis_benchmark)] {
        if !p.is_file() {
            return Err(format!("{name} not found at {}", p.display()));
        }
    }
    Ok(Some(Options {
        quick,
        rounds: rounds.unwrap_or(if quick { 1 } else { 3 }),
        parts,
        out,
        env: Env { mokad, redis_server, redis_benchmark, server_core, client_core, pin, work_dir, clk_tck },
        argv: argv.join(" "),
    }))
}

fn main() -> ExitCode {
    let opts = match parse_options() {
        Ok(Some(o)) => o,
        Ok(None) => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mokad-bench: {e}");
            return ExitCode::from(2);
        }
    };
    match parts::run_suite(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mokad-bench: {e}");
            ExitCode::from(1)
        }
    }
}

/// Date, machine and versions for the report header.
pub fn machine_info(opts: &Options) -> Vec<(String, String)> {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split_once(':')).map(|(_, v)| v.trim().to_string()))
        .unwrap_or_default();
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| s.lines().next().map(|l| l.trim_start_matches("MemTotal:").trim().to_string()))
        .unwrap_or_default();
    let commit = cmd_output("git", &["rev-parse", "--short=12", "HEAD"]);
    // Uncommitted changes to the server's code (the benchmark's own files do not count).
    let dirty = !cmd_output(
        "git",
        &[
            "status",
            "--porcelain",
            "--",
            "crates/mokad",
            "crates/mokad-resp",
            "crates/mokad-storage",
            "crates/mokad-commands",
            "Cargo.toml",
            "Cargo.lock",
        ],
    )
    .is_empty();
    let nproc = online_cores();
    vec![
        ("date".into(), cmd_output("date", &["-u", "+%Y-%m-%d %H:%M:%S UTC"])),
        ("machine".into(), cmd_output("uname", &["-srvmo"])),
        ("nproc".into(), nproc.to_string()),
        ("CPU".into(), cpu),
        ("memory".into(), mem),
        ("rustc".into(), cmd_output("rustc", &["--version"])),
        ("redis-server".into(), cmd_output(&opts.env.redis_server.display().to_string(), &["--version"])),
        ("mokad".into(), format!("{} (commit {commit}{})", cmd_output(&opts.env.mokad.display().to_string(), &["--version"]), if dirty { ", with uncommitted changes to the server" } else { "" })),
        (
            "pinning".into(),
            if opts.env.pin {
                format!("server on core {}, load generator on core {} (taskset)", opts.env.server_core, opts.env.client_core)
            } else {
                "none (fewer than 2 cores)".into()
            },
        ),
        ("mokad-bench arguments".into(), opts.argv.clone()),
    ]
}
