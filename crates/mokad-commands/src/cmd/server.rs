//! Server commands: FLUSHDB, FLUSHALL, INFO, CONFIG, TIME, SHUTDOWN, COMMAND.

use std::fmt::Write as _;
use std::sync::atomic::Ordering;

use bytes::Bytes;
use mokad_resp::Reply;

use super::connection::REDIS_VERSION;
use crate::args::is;
use crate::dispatch::Ctx;
use crate::errors;
use crate::glob;
use crate::pubsub::Kind;
use crate::settings::PARAMETERS;
use crate::table::{CommandSpec, KeyNum, COMMANDS};

/// FLUSHDB / FLUSHALL take an optional ASYNC or SYNC. Both free memory off the request path.
fn flush_mode_ok(args: &[Bytes]) -> bool {
    match args.get(1) {
        None => true,
        Some(mode) => args.len() == 2 && (is(mode, "ASYNC") || is(mode, "SYNC")),
    }
}

/// FLUSHDB [ASYNC | SYNC].
pub(crate) fn flushdb(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    if !flush_mode_ok(args) {
        return errors::SYNTAX;
    }
    ctx.server.storage.flush_db(ctx.session.db);
    Reply::OK
}

/// FLUSHALL [ASYNC | SYNC].
pub(crate) fn flushall(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    if !flush_mode_ok(args) {
        return errors::SYNTAX;
    }
    ctx.server.storage.flush_all();
    Reply::OK
}

/// TIME: Unix seconds and microseconds.
pub(crate) fn time(_: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    Reply::Array(vec![Reply::bulk(now.as_secs().to_string()), Reply::bulk(now.subsec_micros().to_string())])
}

/// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]: stops the server; the connection closes
/// without a reply, as in Redis. There is nothing to save.
pub(crate) fn shutdown(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    for arg in &args[1..] {
        if is(arg, "ABORT") {
            return errors::err("ERR No shutdown in progress.");
        }
        if !["NOSAVE", "SAVE", "NOW", "FORCE"].iter().any(|w| is(arg, w)) {
            return errors::SYNTAX;
        }
    }
    // Like Redis, only SHUTDOWN NOSAVE may interrupt a busy script (nothing is saved
    // either way here).
    if ctx.server.scripting.is_busy() && !args[1..].iter().any(|a| is(a, "NOSAVE")) {
        return errors::BUSY;
    }
    ctx.session.close = true;
    ctx.session.drop_reply = true;
    ctx.server.scripting.abort();
    ctx.server.shutdown.raise();
    Reply::OK
}

/// CONFIG GET parameter [parameter ...]: a map of the matching parameters.
pub(crate) fn config_get(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let settings = ctx.server.settings.read();
    let mut pairs: Vec<(Reply, Reply)> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for pattern in &args[2..] {
        let is_glob = pattern.iter().any(|c| matches!(c, b'*' | b'?' | b'['));
        for parameter in PARAMETERS {
            let hit = if is_glob {
                glob::matches(pattern, parameter.name.as_bytes(), true)
            } else {
                pattern.eq_ignore_ascii_case(parameter.name.as_bytes())
            };
            if hit && !seen.contains(&parameter.name) {
                seen.push(parameter.name);
                // Like Redis, an exact name is echoed as the client typed it.
                let name = if is_glob { Reply::bulk(parameter.name) } else { Reply::Bulk(pattern.clone()) };
                pairs.push((name, Reply::bulk((parameter.get)(&settings))));
            }
        }
    }
    Reply::Map(pairs)
}

/// CONFIG SET parameter value [parameter value ...]: all or nothing.
pub(crate) fn config_set(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    if args.len() % 2 != 0 {
        return errors::SYNTAX;
    }
    let mut settings = ctx.server.settings.read().clone();
    let mut seen: Vec<&str> = Vec::new();
    for pair in args[2..].chunks(2) {
        let name = String::from_utf8_lossy(&pair[0]);
        let Some(parameter) = PARAMETERS.iter().find(|p| p.name.eq_ignore_ascii_case(&name)) else {
            return errors::err(format!("ERR Unknown option or number of arguments for CONFIG SET - '{name}'"));
        };
        let failed = |why: &str| {
            errors::err(format!("ERR CONFIG SET failed (possibly related to argument '{name}') - {why}"))
        };
        if seen.contains(&parameter.name) {
            return failed("duplicate parameter");
        }
        seen.push(parameter.name);
        let Some(set) = parameter.set else { return failed("can't set immutable config") };
        if let Err(why) = set(&mut settings, &String::from_utf8_lossy(&pair[1])) {
            return failed(&why);
        }
    }
    *ctx.server.settings.write() = settings;
    Reply::OK
}

/// CONFIG RESETSTAT.
pub(crate) fn config_resetstat(ctx: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    ctx.server.storage.stats().reset();
    mokad_storage::collections::reset_lazyfreed();
    let stats = &ctx.server.stats;
    for counter in [&stats.commands_processed, &stats.connections_received, &stats.rejected_connections] {
        counter.store(0, Ordering::Relaxed);
    }
    Reply::OK
}

/// Redis's human-readable size (`1.50M`).
fn human(bytes: u64) -> String {
    let b = bytes as f64;
    match bytes {
        0..1024 => format!("{bytes}B"),
        1024..1_048_576 => format!("{:.2}K", b / 1024.0),
        1_048_576..1_073_741_824 => format!("{:.2}M", b / 1_048_576.0),
        _ => format!("{:.2}G", b / 1_073_741_824.0),
    }
}

/// Resident set size of this process, from /proc.
fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1).and_then(|p| p.parse::<u64>().ok()))
        .map_or(0, |pages| pages * 4096)
}

/// An estimate of the mean time to live, in ms, of the keys of `db` that have one, from a small
/// random sample (Redis estimates it from its expiry cycles); 0 when none has a deadline.
fn average_ttl(storage: &mokad_storage::Storage, db: usize, expires: u64) -> u64 {
    if expires == 0 {
        return 0;
    }
    let now = storage.now_ms();
    let ttls: Vec<u64> = (0..32)
        .filter_map(|_| storage.random_key(db, crate::server::random_seed()))
        .filter_map(|key| storage.peek(db, &key)?.expires_at)
        .map(|at| at.saturating_sub(now))
        .collect();
    if ttls.is_empty() {
        0
    } else {
        ttls.iter().sum::<u64>() / ttls.len() as u64
    }
}

const DEFAULT_SECTIONS: &[&str] = &["server", "clients", "memory", "persistence", "stats", "replication", "cluster", "keyspace"];

/// INFO [section ...]: `default`, `all` and `everything` as in Redis.
pub(crate) fn info(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let wanted: Vec<String> = args[1..].iter().map(|a| String::from_utf8_lossy(a).to_ascii_lowercase()).collect();
    let include = |section: &str| {
        wanted.is_empty()
            || wanted.iter().any(|w| w == section || w == "all" || w == "everything" || (w == "default" && DEFAULT_SECTIONS.contains(&section)))
    };
    let server = ctx.server;
    let storage = &server.storage;
    let settings = server.settings.read().clone();
    let mut out = String::new();
    let mut section = |name: &str, body: String| {
        if include(&name.to_ascii_lowercase()) {
            if !out.is_empty() {
                out.push_str("\r\n");
            }
            let _ = write!(out, "# {name}\r\n{body}");
        }
    };
    let uptime = server.started.elapsed().as_secs();
    let now_us = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_micros();
    section(
        "Server",
        format!(
            "redis_version:{REDIS_VERSION}\r\nmokad_version:{}\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\nredis_mode:standalone\r\nos:{} {}\r\narch_bits:{}\r\nmultiplexing_api:tokio\r\nprocess_id:{}\r\nrun_id:{}\r\ntcp_port:{}\r\nserver_time_usec:{now_us}\r\nuptime_in_seconds:{uptime}\r\nuptime_in_days:{}\r\nexecutable:{}\r\nconfig_file:{}\r\nio_threads_active:{}\r\n",
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS,
            std::env::consts::ARCH,
            usize::BITS,
            std::process::id(),
            server.run_id,
            settings.port,
            uptime / 86400,
            std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_default(),
            server.config_file,
            settings.threads,
        ),
    );
    section(
        "Clients",
        format!(
            "connected_clients:{}\r\ncluster_connections:0\r\nmaxclients:{}\r\nblocked_clients:{}\r\n",
            server.clients.len(),
            settings.maxclients,
            server.blocking.blocked_clients()
        ),
    );
    let used = storage.exact_used_memory();
    let rss = rss_bytes();
    let (lazyfree_pending, lazyfreed) = mokad_storage::collections::lazyfree_counts();
    let maxmemory = storage.config().maxmemory;
    let lua = server.scripting.lua_memory();
    section(
        "Memory",
        format!(
            "used_memory:{used}\r\nused_memory_human:{}\r\nused_memory_rss:{rss}\r\nused_memory_rss_human:{}\r\nused_memory_lua:{lua}\r\nused_memory_vm_eval:{lua}\r\nused_memory_lua_human:{}\r\nused_memory_scripts_eval:{}\r\nnumber_of_cached_scripts:{}\r\nmaxmemory:{maxmemory}\r\nmaxmemory_human:{}\r\nmaxmemory_policy:{}\r\nmem_allocator:{}\r\nlazyfree_pending_objects:{lazyfree_pending}\r\n",
            human(used),
            human(rss),
            human(lua),
            server.scripting.scripts_memory(),
            server.scripting.cached_scripts(),
            human(maxmemory),
            storage.config().policy.name(),
            server.mem_allocator,
        ),
    );
    section("Persistence", "loading:0\r\nasync_loading:0\r\naof_enabled:0\r\n".into());
    let s = storage.stats();
    section(
        "Stats",
        format!(
            "total_connections_received:{}\r\ntotal_commands_processed:{}\r\nrejected_connections:{}\r\nexpired_keys:{}\r\nevicted_keys:{}\r\nkeyspace_hits:{}\r\nkeyspace_misses:{}\r\npubsub_channels:{}\r\npubsub_patterns:{}\r\npubsubshard_channels:{}\r\nlazyfreed_objects:{lazyfreed}\r\n",
            server.stats.connections_received.load(Ordering::Relaxed),
            server.stats.commands_processed.load(Ordering::Relaxed),
            server.stats.rejected_connections.load(Ordering::Relaxed),
            s.expired_keys.load(Ordering::Relaxed),
            s.evicted_keys.load(Ordering::Relaxed),
            s.keyspace_hits.load(Ordering::Relaxed),
            s.keyspace_misses.load(Ordering::Relaxed),
            server.pubsub.distinct(Kind::Channel),
            server.pubsub.distinct(Kind::Pattern),
            server.pubsub.distinct(Kind::Shard),
        ),
    );
    section("Replication", "role:master\r\nconnected_slaves:0\r\n".into());
    section("Cluster", "cluster_enabled:0\r\n".into());
    let mut keyspace = String::new();
    for db in 0..storage.databases() {
        let keys = storage.dbsize(db);
        if keys > 0 {
            let expires = storage.expires_count(db);
            let _ = write!(keyspace, "db{db}:keys={keys},expires={expires},avg_ttl={}\r\n", average_ttl(storage, db, expires));
        }
    }
    section("Keyspace", keyspace);
    Reply::Verbatim("txt", Bytes::from(out))
}

/// One command's entry in COMMAND and COMMAND INFO.
fn command_info(spec: &CommandSpec) -> Reply {
    let (first, last, step) = spec.keys;
    let key_specs = if let Some(keynum) = spec.keynum {
        vec![keynum_spec(&keynum)]
    } else if first > 0 {
        let (ro, kind) = if spec.is_write() { ("RW", "update") } else { ("RO", "access") };
        vec![Reply::Map(vec![
            (Reply::bulk("flags"), Reply::Set(vec![Reply::simple(ro), Reply::simple(kind)])),
            (
                Reply::bulk("begin_search"),
                Reply::Map(vec![
                    (Reply::bulk("type"), Reply::bulk("index")),
                    (Reply::bulk("spec"), Reply::Map(vec![(Reply::bulk("index"), Reply::Integer(first.into()))])),
                ]),
            ),
            (
                Reply::bulk("find_keys"),
                Reply::Map(vec![
                    (Reply::bulk("type"), Reply::bulk("range")),
                    (
                        Reply::bulk("spec"),
                        Reply::Map(vec![
                            (Reply::bulk("lastkey"), Reply::Integer(if last < 0 { last.into() } else { (last - first).into() })),
                            (Reply::bulk("keystep"), Reply::Integer(step.into())),
                            (Reply::bulk("limit"), Reply::Integer(0)),
                        ]),
                    ),
                ]),
            ),
        ])]
    } else {
        vec![]
    };
    Reply::Array(vec![
        Reply::bulk(spec.name),
        Reply::Integer(spec.arity.into()),
        Reply::Set(spec.flag_names().into_iter().map(Reply::simple).collect()),
        Reply::Integer(first.into()),
        Reply::Integer(last.into()),
        Reply::Integer(step.into()),
        Reply::Set(spec.acl_categories().into_iter().map(Reply::simple).collect()),
        Reply::Set(vec![]),
        Reply::Set(key_specs),
        Reply::Set(spec.subcommands.iter().map(command_info).collect()),
    ])
}

/// The key spec of keys that follow a count argument (EVAL's numkeys).
fn keynum_spec(keynum: &KeyNum) -> Reply {
    let mut fields = Vec::new();
    if !keynum.notes.is_empty() {
        fields.push((Reply::bulk("notes"), Reply::bulk(keynum.notes)));
    }
    fields.push((Reply::bulk("flags"), Reply::Set(keynum.flags.iter().map(|f| Reply::simple(f)).collect())));
    fields.push((
        Reply::bulk("begin_search"),
        Reply::Map(vec![
            (Reply::bulk("type"), Reply::bulk("index")),
            (Reply::bulk("spec"), Reply::Map(vec![(Reply::bulk("index"), Reply::Integer(keynum.index.into()))])),
        ]),
    ));
    fields.push((
        Reply::bulk("find_keys"),
        Reply::Map(vec![
            (Reply::bulk("type"), Reply::bulk("keynum")),
            (
                Reply::bulk("spec"),
                Reply::Map(vec![
                    (Reply::bulk("keynumidx"), Reply::Integer(0)),
                    (Reply::bulk("firstkey"), Reply::Integer(keynum.first.into())),
                    (Reply::bulk("keystep"), Reply::Integer(keynum.step.into())),
                ]),
            ),
        ]),
    ));
    Reply::Map(fields)
}

/// One command's entry in COMMAND DOCS.
fn command_docs(spec: &CommandSpec) -> Reply {
    let mut doc = vec![
        (Reply::bulk("summary"), Reply::bulk(spec.summary)),
        (Reply::bulk("since"), Reply::bulk(spec.since)),
        (Reply::bulk("group"), Reply::bulk(spec.group)),
    ];
    if !spec.subcommands.is_empty() {
        doc.push((
            Reply::bulk("subcommands"),
            Reply::Map(spec.subcommands.iter().map(|s| (Reply::bulk(s.name), command_docs(s))).collect()),
        ));
    }
    Reply::Map(doc)
}

/// COMMAND: every command's info.
pub(crate) fn command(_: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    Reply::Array(COMMANDS.iter().map(command_info).collect())
}

/// COMMAND COUNT.
pub(crate) fn command_count(_: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    Reply::Integer(COMMANDS.len() as i64)
}

/// COMMAND LIST.
pub(crate) fn command_list(_: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    Reply::Array(
        COMMANDS
            .iter()
            .flat_map(|c| std::iter::once(c).chain(c.subcommands.iter()))
            .map(|c| Reply::bulk(c.name))
            .collect(),
    )
}

/// COMMAND INFO [command-name ...]: nil for unknown names.
pub(crate) fn command_info_cmd(_: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    if args.len() == 2 {
        return Reply::Array(COMMANDS.iter().map(command_info).collect());
    }
    Reply::Array(args[2..].iter().map(|name| crate::dispatch::lookup(name).map_or(Reply::Null, command_info)).collect())
}

/// COMMAND DOCS [command-name ...]: a map from name to documentation; unknown names omitted.
pub(crate) fn command_docs_cmd(_: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let specs: Vec<&CommandSpec> = if args.len() == 2 {
        COMMANDS.iter().collect()
    } else {
        args[2..].iter().filter_map(|name| crate::dispatch::lookup(name)).collect()
    };
    Reply::Map(specs.into_iter().map(|s| (Reply::bulk(s.name), command_docs(s))).collect())
}

/// `<COMMAND> HELP`: the subcommands of a container command.
pub(crate) fn help(_: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let Some(spec) = crate::dispatch::lookup(&args[0]) else { return errors::SYNTAX };
    let mut lines = vec![Reply::simple_owned(format!(
        "{} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        spec.name.to_ascii_uppercase()
    ))];
    for sub in spec.subcommands {
        lines.push(Reply::simple_owned(sub.sub_name().to_ascii_uppercase()));
        lines.push(Reply::simple_owned(format!("    {}", sub.summary)));
    }
    Reply::Array(lines)
}
