//! Finding, checking and running a command: the one place where arity, MULTI queueing,
//! `maxmemory` and the database locks are handled.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::OnceLock;
use std::time::Duration;

use bytes::Bytes;
use mokad_resp::{Protocol, Reply, Request};
use mokad_storage::EvictionPolicy;
use parking_lot::{RwLockReadGuard, RwLockWriteGuard};

use crate::errors;
use crate::server::{Server, Session};
use crate::table::{CommandSpec, Lock, ALLOW_BUSY, COMMANDS, DENYOOM, NO_MULTI_QUEUE};

/// What a handler works with: the shared server and this connection's session.
pub struct Ctx<'a> {
    /// Shared state.
    pub server: &'a Server,
    /// This connection.
    pub session: &'a mut Session,
}

/// A command handler: parses its arguments (the name first) and executes.
pub type Handler = fn(&mut Ctx<'_>, &[Bytes]) -> Reply;

/// Command names to specs. Hashed with ahash: std's SipHash made the look-up cost as much as
/// parsing the request.
type Table = HashMap<&'static [u8], &'static CommandSpec, ahash::RandomState>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| COMMANDS.iter().map(|c| (c.name.as_bytes(), c)).collect())
}

/// Looks a command up by name, ignoring case.
pub fn lookup(name: &[u8]) -> Option<&'static CommandSpec> {
    let mut buf = [0u8; 32];
    if name.len() > buf.len() {
        return None;
    }
    let lower = &mut buf[..name.len()];
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    table().get(&*lower).copied()
}

/// Resolves the command (or subcommand) a request names, checking arity; the error reply is
/// Redis's for an unknown command, unknown subcommand or wrong argument count.
pub fn resolve(request: &[Bytes]) -> Result<&'static CommandSpec, Reply> {
    let Some(spec) = lookup(&request[0]) else {
        return Err(errors::unknown_command(request));
    };
    if !spec.subcommands.is_empty() && request.len() >= 2 {
        let sub = spec
            .subcommands
            .iter()
            .find(|s| s.sub_name().as_bytes().eq_ignore_ascii_case(&request[1]))
            .ok_or_else(|| errors::unknown_subcommand(spec.name, &request[1]))?;
        return if sub.arity_ok(request.len()) { Ok(sub) } else { Err(errors::wrong_arity(sub.name)) };
    }
    if spec.arity_ok(request.len()) {
        Ok(spec)
    } else {
        Err(errors::wrong_arity(spec.name))
    }
}

/// Executes one request for a connection and returns its reply.
pub fn execute(server: &Server, session: &mut Session, request: Request) -> Reply {
    let spec = match resolve(&request) {
        Ok(spec) => spec,
        Err(reply) => {
            if let Some(multi) = session.multi.as_mut() {
                multi.failed = true;
            }
            if request[0].eq_ignore_ascii_case(b"exec") {
                // Redis rejects a malformed EXEC by discarding the transaction.
                session.multi = None;
                session.client.multi_len.store(0, Ordering::Relaxed);
                session.unwatch_all(&server.storage);
                let Reply::Error(text) = reply else { return reply };
                let text = text.strip_prefix("ERR ").unwrap_or(&text);
                return errors::err(format!("EXECABORT Transaction discarded because of: {text}"));
            }
            return reply;
        }
    };
    // Like Redis, a script past its busy threshold refuses everything but a few commands,
    // queued or not (a refused command inside MULTI makes EXEC fail).
    if spec.flags & ALLOW_BUSY == 0 && server.scripting.is_busy() {
        if let Some(multi) = session.multi.as_mut() {
            multi.failed = true;
        }
        return errors::BUSY;
    }
    if let Some(reply) = refuse_in_subscribed_mode(session, spec) {
        // Redis checks memory first, and a refused command fails the transaction.
        let reply = refuse_for_memory(server, spec).unwrap_or(reply);
        if let Some(multi) = session.multi.as_mut() {
            multi.failed = true;
        }
        return reply;
    }
    if let Some(multi) = session.multi.as_mut() {
        if spec.flags & NO_MULTI_QUEUE == 0 {
            if let Some(reply) = refuse_for_memory(server, spec) {
                multi.failed = true;
                return reply;
            }
            multi.queue.push(request);
            session.client.multi_len.store(multi.queue.len() as u64 + 1, Ordering::Relaxed);
            return Reply::simple("QUEUED");
        }
    }
    if let Some(reply) = refuse_for_memory(server, spec) {
        return reply;
    }
    let _held = match hold(server, session.db, spec.lock) {
        Ok(held) => held,
        Err(reply) => return reply,
    };
    run(server, session, spec, &request)
}

/// Runs a resolved command; the caller holds the locks it needs.
pub(crate) fn run(server: &Server, session: &mut Session, spec: &CommandSpec, request: &[Bytes]) -> Reply {
    let client = &session.client;
    client.last_active_ms.store(client.created.elapsed().as_millis() as u64, Ordering::Relaxed);
    // Inside EXEC, the last command stays EXEC, as Redis's CLIENT LIST shows it.
    if !session.in_exec {
        let mut last = client.last_command.lock();
        if last.as_str() != spec.name {
            last.clear();
            last.push_str(spec.name);
        }
    }
    let mut ctx = Ctx { server, session };
    let reply = (spec.run)(&mut ctx, request);
    // Counted after the command, as Redis does: INFO does not count itself. A blocked command
    // run again after a wake-up was counted when it arrived.
    if !ctx.session.block_retry {
        server.stats.commands_processed.fetch_add(1, Ordering::Relaxed);
    }
    reply
}

/// A RESP2 connection with subscriptions may only (un)subscribe, PING, QUIT and RESET: its
/// replies share the stream with messages. RESP3 tells pushes apart, so it may run anything.
fn refuse_in_subscribed_mode(session: &Session, spec: &CommandSpec) -> Option<Reply> {
    const ALLOWED: &[&str] = &["subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe", "ping", "quit", "reset"];
    (session.protocol == Protocol::Resp2 && !session.subscriptions.is_empty() && !ALLOWED.contains(&spec.name))
        .then(|| errors::pubsub_context(spec.name))
}

/// Under `noeviction`, a command that may grow memory is refused once over the budget.
fn refuse_for_memory(server: &Server, spec: &CommandSpec) -> Option<Reply> {
    let storage = &server.storage;
    (spec.flags & DENYOOM != 0 && storage.config().policy == EvictionPolicy::NoEviction && storage.over_maxmemory())
        .then_some(errors::OOM)
}

/// Locks held while a command runs.
pub(crate) enum Held<'a> {
    None,
    Shared(#[allow(dead_code)] RwLockReadGuard<'a, ()>),
    Db(#[allow(dead_code)] RwLockWriteGuard<'a, ()>),
    All(#[allow(dead_code)] Vec<RwLockWriteGuard<'a, ()>>),
}

/// How long a command waits for a lock before checking whether a script became busy.
const LOCK_SLICE: Duration = Duration::from_millis(10);

/// Takes the locks a command needs. Waiting happens in short slices: a script holds every
/// lock while it runs, and once it passes its busy threshold the waiting command answers
/// BUSY instead of blocking its worker thread (which SCRIPT KILL may need) until the end.
pub(crate) fn hold(server: &Server, db: usize, lock: Lock) -> Result<Held<'_>, Reply> {
    let storage = &server.storage;
    match lock {
        Lock::None => Ok(Held::None),
        Lock::Shared => patiently(server, || storage.try_read_lock_for(db, LOCK_SLICE)).map(Held::Shared),
        Lock::Db => patiently(server, || storage.try_write_lock_for(db, LOCK_SLICE)).map(Held::Db),
        Lock::All => {
            // Taken in order, as every taker does; on BUSY the ones taken are released.
            let mut guards = Vec::with_capacity(storage.databases());
            for db in 0..storage.databases() {
                guards.push(patiently(server, || storage.try_write_lock_for(db, LOCK_SLICE))?);
            }
            Ok(Held::All(guards))
        }
    }
}

/// Retries a timed lock attempt until it succeeds or a script is flagged busy.
fn patiently<G>(server: &Server, mut attempt: impl FnMut() -> Option<G>) -> Result<G, Reply> {
    loop {
        if let Some(guard) = attempt() {
            return Ok(guard);
        }
        if server.scripting.is_busy() {
            return Err(errors::BUSY);
        }
    }
}
