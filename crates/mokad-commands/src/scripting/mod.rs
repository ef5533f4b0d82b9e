//! Lua scripting as Redis 7.0 has it: one Lua 5.1 interpreter for the server, scripts cached
//! by the SHA1 of their body, the `redis` API, Redis's conversions between replies and Lua
//! values, read-only globals, and the busy-script machinery (BUSY replies, SCRIPT KILL).
//!
//! A script runs while its caller holds every database lock (EVAL's lock scope is
//! [`crate::table::Lock::All`]), so no other client's command interleaves; `redis.call`
//! runs commands through [`crate::dispatch::run`] without taking locks again, in a session of
//! its own that starts at the caller's database.

mod bit;
mod cjson;
pub(crate) mod convert;
mod native;
mod shebang;
mod structlib;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use mlua::{
    ChunkMode, Function, HookTriggers, LightUserData, Lua, LuaOptions, MultiValue, StdLib, Table, Value, VmState,
};
use mokad_resp::{Protocol, Reply};
use mokad_storage::EvictionPolicy;
use parking_lot::{Mutex, MutexGuard};
use tracing::warn;

use crate::dispatch::{self, Ctx};
use crate::errors::{self, script as texts};
use crate::server::{Server, Session};
use crate::table::{CommandSpec, DENYOOM, NOSCRIPT, WRITE};

pub use shebang::ScriptFlags;

/// Instructions between two checks of a running script's clock (Redis's count).
const HOOK_INSTRUCTIONS: u32 = 100_000;

/// How long SCRIPT LOAD and friends wait for the interpreter before checking whether a
/// script became busy.
const LOCK_SLICE: Duration = Duration::from_millis(10);

/// Scripts run between two incremental garbage collection steps, as in Redis.
const GC_PERIOD: u32 = 50;

/// Past this much memory after a script, the garbage is collected at once rather than by
/// the incremental steps: a cache server should not keep a big script's garbage around.
const GC_FULL_THRESHOLD: usize = 64 << 20;

/// The most memory the interpreter may use: a runaway script gets Lua's "not enough memory"
/// error instead of taking the server down.
const LUA_MEMORY_LIMIT: usize = 1 << 30;

/// The marker a native function returns, followed by an error value, for the Lua wrapper to
/// raise (a Rust callback can only raise mlua's own error objects).
static FAIL_MARKER: u8 = 0;

fn fail_pointer() -> *mut std::ffi::c_void {
    std::ptr::addr_of!(FAIL_MARKER) as *mut std::ffi::c_void
}

fn fail_marker() -> Value {
    Value::LightUserData(LightUserData(fail_pointer()))
}

/// `FAIL, value`: what a native function returns to raise `value`.
pub(crate) fn fail(value: Value) -> mlua::Result<MultiValue> {
    Ok(MultiValue::from_vec(vec![fail_marker(), value]))
}

/// `FAIL, {err = "ERR <text>"}`.
pub(crate) fn fail_with(lua: &Lua, text: &str) -> mlua::Result<MultiValue> {
    fail(Value::Table(convert::error_table(lua, text.as_bytes())?))
}

/// The shared state of the script being run, read by the instruction hook, the dispatcher
/// (BUSY) and SCRIPT KILL from other threads.
#[derive(Debug)]
pub(crate) struct RunState {
    epoch: Instant,
    /// Counts scripts run, so that a kill targets the script it was asked for.
    generation: AtomicU64,
    running: AtomicBool,
    started_ms: AtomicU64,
    threshold_ms: AtomicU64,
    busy: AtomicBool,
    /// The generation SCRIPT KILL asked to stop (0: none).
    kill: AtomicU64,
    /// Set when the hook stopped the script for a kill.
    killed: AtomicBool,
    /// The server is shutting down: any script stops at its next check.
    abort: AtomicBool,
    /// The script ran a write command: SCRIPT KILL refuses.
    wrote: AtomicBool,
    /// The sha of the running script, for the log.
    sha: Mutex<String>,
    /// An idle worker was woken for this script (see [`wake_idle_worker`]).
    woke: AtomicBool,
    /// When this busy script last handed its worker's queue over (see [`hand_off_worker`]).
    handed_off_ms: AtomicU64,
    /// The hook runs on every line (set while killing a script).
    line_hook: AtomicBool,
}

impl RunState {
    fn new() -> Self {
        RunState {
            epoch: Instant::now(),
            generation: AtomicU64::new(0),
            running: AtomicBool::new(false),
            started_ms: AtomicU64::new(0),
            threshold_ms: AtomicU64::new(0),
            busy: AtomicBool::new(false),
            kill: AtomicU64::new(0),
            killed: AtomicBool::new(false),
            abort: AtomicBool::new(false),
            wrote: AtomicBool::new(false),
            sha: Mutex::new(String::new()),
            woke: AtomicBool::new(false),
            handed_off_ms: AtomicU64::new(0),
            line_hook: AtomicBool::new(false),
        }
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn start(&self, sha: &str, threshold_ms: u64) {
        *self.sha.lock() = sha.to_string();
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.threshold_ms.store(threshold_ms, Ordering::SeqCst);
        self.started_ms.store(self.now_ms(), Ordering::SeqCst);
        self.busy.store(false, Ordering::SeqCst);
        self.killed.store(false, Ordering::SeqCst);
        self.wrote.store(false, Ordering::SeqCst);
        self.woke.store(false, Ordering::SeqCst);
        self.running.store(true, Ordering::SeqCst);
    }

    fn finish(&self) {
        self.running.store(false, Ordering::SeqCst);
        self.busy.store(false, Ordering::SeqCst);
    }

    /// Called by the hook: whether the script must stop now. Flags the script busy once it
    /// passes the threshold.
    fn must_stop(&self) -> bool {
        if !self.running.load(Ordering::SeqCst) {
            return false;
        }
        if self.abort.load(Ordering::SeqCst) {
            self.killed.store(true, Ordering::SeqCst);
            return true;
        }
        if !self.woke.swap(true, Ordering::SeqCst) {
            wake_idle_worker();
        }
        if !self.busy.load(Ordering::SeqCst) {
            let threshold = self.threshold_ms.load(Ordering::SeqCst);
            let elapsed = self.now_ms().saturating_sub(self.started_ms.load(Ordering::SeqCst));
            if threshold > 0 && elapsed >= threshold {
                self.busy.store(true, Ordering::SeqCst);
                warn!(
                    "Slow script detected: still in execution after {elapsed} milliseconds. You can try killing the script using the SCRIPT KILL command. Script name is: {}.",
                    self.sha.lock()
                );
                self.handed_off_ms.store(self.now_ms(), Ordering::SeqCst);
                hand_off_worker();
            }
        } else if self.now_ms().saturating_sub(self.handed_off_ms.load(Ordering::SeqCst)) >= HAND_OFF_RETRY_MS {
            // A hand-off fails when the new thread did not start within the pause (a loaded
            // machine): connections queued behind the script would wait for it to end.
            self.handed_off_ms.store(self.now_ms(), Ordering::SeqCst);
            hand_off_worker();
        }
        if self.busy.load(Ordering::SeqCst)
            && self.kill.load(Ordering::SeqCst) == self.generation.load(Ordering::SeqCst)
        {
            self.killed.store(true, Ordering::SeqCst);
            return true;
        }
        false
    }
}

/// A long script keeps its tokio worker thread. Another worker may be asleep waiting for
/// work rather than watching the sockets (only one worker at a time polls them, and this one
/// was doing so before it picked up the script): a no-op task wakes it, and it goes back to
/// sleep watching the sockets, so other clients are read again.
fn wake_idle_worker() {
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        handle.spawn(async {});
    }
}

/// How often a busy script hands its worker's queue over again.
const HAND_OFF_RETRY_MS: u64 = 100;

/// Once a script is busy, its worker's pending connections move to a new thread (tokio's
/// block_in_place hands the worker's queue over while this thread keeps running the script),
/// so that SCRIPT KILL can be read even with a single worker thread.
fn hand_off_worker() {
    // Once handed off, this thread has no queue left and the call only pauses the script.
    use tokio::runtime::{Handle, RuntimeFlavor};
    if let Ok(handle) = Handle::try_current() {
        if handle.runtime_flavor() == RuntimeFlavor::MultiThread {
            // The pause lets the new thread take the queue before this one would take it back.
            tokio::task::block_in_place(|| std::thread::sleep(Duration::from_millis(5)));
        }
    }
}

/// Installs the instruction hook: every [`HOOK_INSTRUCTIONS`] instructions (and, once a kill
/// is under way, every line, so that a script catching the error with pcall cannot go on).
fn install_hook(lua: &Lua, run: Arc<RunState>, every_line: bool) -> mlua::Result<()> {
    let mut triggers = HookTriggers::new().every_nth_instruction(HOOK_INSTRUCTIONS);
    if every_line {
        triggers = triggers.every_line();
    }
    let hook_run = run.clone();
    lua.set_global_hook(triggers, move |lua, _| {
        if hook_run.must_stop() {
            if !every_line {
                install_hook(lua, hook_run.clone(), true)?;
            }
            let text = if hook_run.abort.load(Ordering::SeqCst) { texts::SHUTDOWN } else { texts::KILLED };
            return Err(mlua::Error::runtime(text));
        }
        Ok(VmState::Continue)
    })?;
    run.line_hook.store(every_line, Ordering::SeqCst);
    Ok(())
}

/// A cached script.
struct Script {
    function: Function,
    body_len: usize,
    flags: ScriptFlags,
}

/// The interpreter and its scripts.
struct Engine {
    lua: Lua,
    /// The real globals table, where KEYS and ARGV are set for each run.
    env: Table,
    /// Where each run puts its `redis.call` and `redis.setresp` callbacks.
    hidden: Table,
    /// Runs a function under Redis's error handler.
    runner: Function,
    scripts: HashMap<String, Script>,
    runs: u32,
}

impl Engine {
    /// A fresh interpreter; `random` is math.random's state, which outlives SCRIPT FLUSH as
    /// in Redis.
    fn new(run: Arc<RunState>, random: Arc<AtomicU64>) -> mlua::Result<Engine> {
        // Redis loads base, table, string, math and debug (removed after set-up).
        let libs = StdLib::TABLE | StdLib::STRING | StdLib::MATH | StdLib::DEBUG;
        // SAFETY: the debug library is loaded only for the set-up chunk, which removes it
        // from the globals before any script runs.
        let lua = unsafe { Lua::unsafe_new_with(libs, LuaOptions::default()) };
        lua.set_memory_limit(LUA_MEMORY_LIMIT)?;
        let hidden = lua.create_table()?;
        let natives = native::table(&lua, random)?;
        let env = lua.globals();
        let init = lua.load(include_str!("init.lua")).set_name("=mokad").set_mode(ChunkMode::Text).into_function()?;
        let (globals, runner): (Table, Function) = init.call((fail_marker(), natives, hidden.clone()))?;
        lua.set_globals(globals)?;
        install_hook(&lua, run, false)?;
        Ok(Engine { lua, env, hidden, runner, scripts: HashMap::new(), runs: 0 })
    }

    /// Compiles and caches a script body; its sha1.
    fn load(&mut self, body: &[u8]) -> Result<String, Reply> {
        let sha = sha1hex(body);
        if self.scripts.contains_key(&sha) {
            return Ok(sha);
        }
        let (flags, shebang_len) = shebang::parse(body)?;
        let function = self
            .lua
            .load(&body[shebang_len..])
            .set_name("@user_script")
            .set_mode(ChunkMode::Text)
            .into_function()
            .map_err(|e| errors::err(format!("ERR Error compiling script (new function): {}", lua_message(&e))))?;
        self.scripts.insert(sha.clone(), Script { function, body_len: body.len(), flags });
        Ok(sha)
    }
}

/// The text of an mlua error as Lua gave it.
fn lua_message(e: &mlua::Error) -> String {
    match e {
        mlua::Error::SyntaxError { message, .. } => message.clone(),
        mlua::Error::RuntimeError(message) | mlua::Error::MemoryError(message) => message.clone(),
        mlua::Error::CallbackError { cause, .. } => lua_message(cause),
        other => other.to_string(),
    }
}

/// Lower-case hex SHA1, as Redis names scripts.
pub(crate) fn sha1hex(data: &[u8]) -> String {
    sha1_smol::Sha1::from(data).digest().to_string()
}

/// The server's scripting: one interpreter, its scripts, and the state of the running one.
pub struct Scripting {
    engine: Mutex<Engine>,
    run: Arc<RunState>,
    random: Arc<AtomicU64>,
    cached: AtomicUsize,
    scripts_memory: AtomicU64,
    lua_memory: AtomicU64,
}

impl Default for Scripting {
    fn default() -> Self {
        Self::new()
    }
}

impl Scripting {
    /// A fresh interpreter with no script cached.
    pub fn new() -> Self {
        let run = Arc::new(RunState::new());
        let random = Arc::new(AtomicU64::new(native::RAND48_INITIAL));
        let engine = Engine::new(run.clone(), random.clone()).expect("the Lua interpreter starts");
        let lua_memory = AtomicU64::new(engine.lua.used_memory() as u64);
        Scripting {
            engine: Mutex::new(engine),
            run,
            random,
            cached: AtomicUsize::new(0),
            scripts_memory: AtomicU64::new(0),
            lua_memory,
        }
    }

    /// Whether a script has run past `busy-reply-threshold`: other commands get BUSY.
    pub fn is_busy(&self) -> bool {
        self.run.busy.load(Ordering::SeqCst)
    }

    /// Stops any running script at its next check, written or not: the server shuts down.
    pub fn abort(&self) {
        self.run.abort.store(true, Ordering::SeqCst);
    }

    /// Scripts in the cache (INFO's `number_of_cached_scripts`).
    pub fn cached_scripts(&self) -> usize {
        self.cached.load(Ordering::Relaxed)
    }

    /// Bytes the interpreter uses (INFO's `used_memory_lua`).
    pub fn lua_memory(&self) -> u64 {
        self.lua_memory.load(Ordering::Relaxed)
    }

    /// Bytes of cached script bodies (INFO's `used_memory_scripts_eval`).
    pub fn scripts_memory(&self) -> u64 {
        self.scripts_memory.load(Ordering::Relaxed)
    }

    /// The interpreter, waiting in slices: a script past its threshold makes the caller
    /// answer BUSY rather than wait for it.
    fn engine(&self) -> Result<MutexGuard<'_, Engine>, Reply> {
        loop {
            if let Some(engine) = self.engine.try_lock_for(LOCK_SLICE) {
                return Ok(engine);
            }
            if self.is_busy() {
                return Err(errors::BUSY);
            }
        }
    }

    fn update_stats(&self, engine: &Engine) {
        self.cached.store(engine.scripts.len(), Ordering::Relaxed);
        let bodies: usize = engine.scripts.values().map(|s| s.body_len + 40).sum();
        self.scripts_memory.store(bodies as u64, Ordering::Relaxed);
        self.lua_memory.store(engine.lua.used_memory() as u64, Ordering::Relaxed);
    }

    /// SCRIPT LOAD: compiles and caches a body; its sha1.
    pub(crate) fn load(&self, body: &[u8]) -> Result<String, Reply> {
        let mut engine = self.engine()?;
        let sha = engine.load(body);
        self.update_stats(&engine);
        sha
    }

    /// SCRIPT EXISTS: whether each sha1 names a cached script (case-insensitive).
    pub(crate) fn exists(&self, shas: &[Bytes]) -> Result<Vec<bool>, Reply> {
        let engine = self.engine()?;
        Ok(shas
            .iter()
            .map(|sha| std::str::from_utf8(sha).is_ok_and(|s| engine.scripts.contains_key(&s.to_ascii_lowercase())))
            .collect())
    }

    /// SCRIPT FLUSH: a fresh interpreter, no script cached.
    pub(crate) fn flush(&self) -> Result<(), Reply> {
        let mut engine = self.engine()?;
        let fresh = Engine::new(self.run.clone(), self.random.clone()).map_err(|e| errors::err(format!("ERR {e}")))?;
        *engine = fresh;
        self.update_stats(&engine);
        Ok(())
    }

    /// SCRIPT KILL: stops the busy script unless it wrote. A script still under its
    /// threshold is waited for, as Redis only reads the command once the script is busy.
    pub(crate) fn kill(&self) -> Reply {
        loop {
            let generation = self.run.generation.load(Ordering::SeqCst);
            if !self.run.running.load(Ordering::SeqCst) {
                return errors::NOTBUSY;
            }
            if self.is_busy() {
                if self.run.wrote.load(Ordering::SeqCst) {
                    return errors::UNKILLABLE;
                }
                self.run.kill.store(generation, Ordering::SeqCst);
                return Reply::OK;
            }
            std::thread::sleep(LOCK_SLICE);
        }
    }

    /// EVAL, EVALSHA and their `_RO` forms: `args` are the command's (name, script or sha,
    /// numkeys, keys..., args...).
    pub(crate) fn eval(&self, ctx: &mut Ctx<'_>, args: &[Bytes], by_sha: bool, read_only: bool) -> Reply {
        // Like Redis, a sha of the wrong length is not looked at further.
        if by_sha && args[1].len() != 40 {
            return errors::NOSCRIPT;
        }
        let numkeys = match crate::args::parse_int(&args[2]) {
            Ok(n) => n,
            Err(reply) => return reply,
        };
        if numkeys > (args.len() - 3) as i64 {
            return errors::NUMKEYS_TOO_MANY;
        }
        if numkeys < 0 {
            return errors::NUMKEYS_NEGATIVE;
        }
        let (keys, argv) = args[3..].split_at(numkeys as usize);
        let mut engine = match self.engine() {
            Ok(engine) => engine,
            Err(reply) => return reply,
        };
        let sha = if by_sha {
            let sha = String::from_utf8_lossy(&args[1]).to_ascii_lowercase();
            if !engine.scripts.contains_key(&sha) {
                return errors::NOSCRIPT;
            }
            sha
        } else {
            match engine.load(&args[1]) {
                Ok(sha) => sha,
                Err(reply) => return reply,
            }
        };
        let reply = self.run_script(&mut engine, ctx, &sha, keys, argv, read_only);
        if self.run.abort.load(Ordering::SeqCst) {
            // Stopped by a shutdown: like Redis, the caller's connection closes without a reply.
            ctx.session.drop_reply = true;
            ctx.session.close = true;
        }
        engine.runs += 1;
        if engine.lua.used_memory() > GC_FULL_THRESHOLD {
            let _ = engine.lua.gc_collect();
        } else if engine.runs >= GC_PERIOD {
            engine.runs = 0;
            let _ = engine.lua.gc_step_kbytes(GC_PERIOD as i32);
        }
        self.update_stats(&engine);
        reply
    }

    fn run_script(
        &self,
        engine: &mut Engine,
        ctx: &mut Ctx<'_>,
        sha: &str,
        keys: &[Bytes],
        argv: &[Bytes],
        read_only: bool,
    ) -> Reply {
        let server = ctx.server;
        let Some(script) = engine.scripts.get(sha) else {
            return errors::NOSCRIPT;
        };
        let flags = script.flags;
        let function = script.function.clone();
        let storage = &server.storage;
        let oom = storage.config().policy == EvictionPolicy::NoEviction && storage.over_maxmemory();
        if !flags.compat {
            if read_only && !flags.no_writes {
                return errors::RO_SCRIPT_MAY_WRITE;
            }
            if oom && !flags.no_writes && !flags.allow_oom {
                return errors::OOM;
            }
        }
        let policy = CallPolicy { read_only: read_only || flags.no_writes, oom: oom && !flags.allow_oom };
        if let Err(e) = set_arguments(engine, keys, argv) {
            return errors::err(format!("ERR Error running script {sha}, {}", lua_message(&e)));
        }
        // The script's own session: the caller's client (for CLIENT LIST), database and a
        // RESP2 protocol until redis.setresp.
        let caller_db = ctx.session.db;
        let caller_command = ctx.session.client.last_command.lock().clone();
        let mut session = Session::new(ctx.session.client.clone());
        session.db = caller_db;
        session.in_script = true;
        let threshold = server.settings.read().busy_reply_threshold;
        // A killed script left the hook on every line: back to instruction counts.
        if self.run.line_hook.load(Ordering::SeqCst) {
            if let Err(e) = install_hook(&engine.lua, self.run.clone(), false) {
                return errors::err(format!("ERR Error running script {sha}, {}", lua_message(&e)));
            }
        }
        self.run.start(sha, threshold);
        let outcome = run_in_scope(engine, server, &mut session, &self.run, &function, policy);
        self.run.finish();
        // Commands the script ran updated the shared client record; it describes the caller.
        ctx.session.client.db.store(caller_db, Ordering::Relaxed);
        *ctx.session.client.last_command.lock() = caller_command;
        match outcome {
            Ok(Outcome::Value(reply)) => reply,
            Ok(Outcome::Error(table)) => self.error_reply(sha, &table),
            // A kill that lands while a later error is being handled leaves no error table.
            Ok(Outcome::Message(_)) if self.run.killed.load(Ordering::SeqCst) => {
                let why = if self.run.abort.load(Ordering::SeqCst) { texts::SHUTDOWN } else { texts::KILLED };
                errors::err(format!("ERR {why}"))
            }
            Ok(Outcome::Message(message)) => errors::err(format!("ERR Error running script {sha}, {message}")),
            Err(e) => errors::err(format!("ERR Error running script {sha}, {}", lua_message(&e))),
        }
    }

    /// The caller's error reply for a failed script: `<message> script: <sha>, on
    /// <source>:<line>.` as Redis 7.0 writes it.
    fn error_reply(&self, sha: &str, table: &Table) -> Reply {
        let text = |field: &str| match table.get::<Value>(field) {
            Ok(Value::String(s)) => Some(String::from_utf8_lossy(&s.as_bytes()).into_owned()),
            Ok(Value::Integer(n)) => Some(n.to_string()),
            Ok(Value::Number(n)) => Some(convert::format_g(n, 14)),
            _ => None,
        };
        let mut message = match text("err") {
            Some(message) => message,
            None => "ERR unknown error".to_string(),
        };
        if self.run.killed.load(Ordering::SeqCst) {
            let why = if self.run.abort.load(Ordering::SeqCst) { texts::SHUTDOWN } else { texts::KILLED };
            message = format!("ERR {why}");
        }
        if let (Some(source), Some(line)) = (text("source"), text("line")) {
            message = format!("{message} script: {sha}, on {source}:{line}.");
        }
        Reply::Error(message.into())
    }
}

/// What `redis.call` refuses in this run.
#[derive(Clone, Copy)]
struct CallPolicy {
    /// EVAL_RO or a `no-writes` script: write commands are refused.
    read_only: bool,
    /// Over maxmemory at the start: a command that may grow memory is refused until the
    /// script has written.
    oom: bool,
}

/// How a run ended.
enum Outcome {
    Value(Reply),
    Error(Table),
    Message(String),
}

fn set_arguments(engine: &Engine, keys: &[Bytes], argv: &[Bytes]) -> mlua::Result<()> {
    let lua = &engine.lua;
    let sequence = |items: &[Bytes]| -> mlua::Result<Table> {
        let table = lua.create_table_with_capacity(items.len(), 0)?;
        for (i, item) in items.iter().enumerate() {
            table.raw_set(i + 1, lua.create_string(item)?)?;
        }
        Ok(table)
    };
    engine.env.raw_set("KEYS", sequence(keys)?)?;
    engine.env.raw_set("ARGV", sequence(argv)?)?;
    Ok(())
}

/// Runs the script with this run's `redis.call` and `redis.setresp` in place.
fn run_in_scope(
    engine: &Engine,
    server: &Server,
    session: &mut Session,
    run: &RunState,
    function: &Function,
    policy: CallPolicy,
) -> mlua::Result<Outcome> {
    let session = RefCell::new(session);
    engine.lua.scope(|scope| {
        let exec = scope.create_function(|lua, args: MultiValue| {
            let mut session = session.try_borrow_mut().map_err(|_| mlua::Error::runtime("recursive redis.call"))?;
            call_command(lua, server, &mut session, run, policy, args)
        })?;
        let setresp = scope.create_function(|lua, args: MultiValue| {
            let mut session = session.try_borrow_mut().map_err(|_| mlua::Error::runtime("recursive redis.setresp"))?;
            set_resp(lua, &mut session, args)
        })?;
        engine.hidden.raw_set("exec", exec)?;
        engine.hidden.raw_set("setresp", setresp)?;
        let (ok, value): (bool, Value) = engine.runner.call(function.clone())?;
        let resp3 = session.borrow().protocol == Protocol::Resp3;
        Ok(match (ok, value) {
            (true, value) => Outcome::Value(convert::lua_to_reply(&value, resp3)),
            (false, Value::Table(table)) => Outcome::Error(table),
            (false, other) => {
                let text = engine
                    .lua
                    .coerce_string(other)?
                    .map(|s| s.to_string_lossy())
                    .unwrap_or_else(|| "execution failure".into());
                Outcome::Message(text.chars().take(100).collect())
            }
        })
    })
}

/// `redis.setresp(n)`.
fn set_resp(lua: &Lua, session: &mut Session, args: MultiValue) -> mlua::Result<MultiValue> {
    if args.len() != 1 {
        return fail_with(lua, "redis.setresp() requires one argument.");
    }
    let version = lua.coerce_number(args[0].clone())?.unwrap_or(0.0) as i32;
    session.protocol = match version {
        2 => Protocol::Resp2,
        3 => Protocol::Resp3,
        _ => return fail_with(lua, "RESP version must be 2 or 3."),
    };
    Ok(MultiValue::new())
}

/// The arguments of a `redis.call` as command arguments: strings as they are, numbers as
/// `%.17g` text; the error Redis gives otherwise.
pub(crate) fn command_args(lua: &Lua, args: impl Iterator<Item = Value>) -> mlua::Result<Result<Vec<Bytes>, Table>> {
    let mut argv = Vec::new();
    for arg in args {
        argv.push(match arg {
            Value::String(s) => Bytes::copy_from_slice(&s.as_bytes()),
            Value::Integer(n) => Bytes::from(convert::format_g(n as f64, 17)),
            Value::Number(n) => Bytes::from(convert::format_g(n, 17)),
            _ => return Ok(Err(convert::error_table(lua, texts::BAD_ARGUMENT.as_bytes())?)),
        });
    }
    if argv.is_empty() {
        return Ok(Err(convert::error_table(lua, texts::NO_ARGUMENTS.as_bytes())?));
    }
    Ok(Ok(argv))
}

/// The command (or subcommand) `argv` names, as Redis's lookup from scripts finds it.
pub(crate) fn lookup_command(argv: &[Bytes]) -> Option<&'static CommandSpec> {
    let spec = dispatch::lookup(&argv[0])?;
    if !spec.subcommands.is_empty() && argv.len() >= 2 {
        return spec.subcommands.iter().find(|s| s.sub_name().as_bytes().eq_ignore_ascii_case(&argv[1]));
    }
    Some(spec)
}

/// `redis.call` / `redis.pcall`: the first argument says whether an error is raised.
fn call_command(
    lua: &Lua,
    server: &Server,
    session: &mut Session,
    run: &RunState,
    policy: CallPolicy,
    mut args: MultiValue,
) -> mlua::Result<MultiValue> {
    let raise = matches!(args.pop_front(), Some(Value::Boolean(true)));
    let failed = |table: Table| -> mlua::Result<MultiValue> {
        if raise {
            fail(Value::Table(table))
        } else {
            Ok(MultiValue::from_vec(vec![Value::Table(table)]))
        }
    };
    let argv = match command_args(lua, args.into_iter())? {
        Ok(argv) => argv,
        Err(table) => return failed(table),
    };
    // Refusals are errors the command did not count itself; Redis marks them all the same.
    let refuse = |text: &[u8]| -> mlua::Result<MultiValue> {
        let table = convert::error_table(lua, text)?;
        table.raw_set("ignore_error_stats_update", true)?;
        failed(table)
    };
    let spec = match lookup_command(&argv) {
        None => return refuse(texts::UNKNOWN_COMMAND.as_bytes()),
        Some(spec) if !spec.arity_ok(argv.len()) => return refuse(texts::WRONG_ARITY.as_bytes()),
        Some(spec) => spec,
    };
    if spec.flags & NOSCRIPT != 0 {
        return refuse(texts::NOT_ALLOWED.as_bytes());
    }
    if policy.read_only && spec.flags & WRITE != 0 {
        return refuse(texts::WRITE_IN_READ_ONLY.as_bytes());
    }
    if policy.oom && spec.flags & DENYOOM != 0 && !run.wrote.load(Ordering::SeqCst) {
        let Reply::Error(text) = errors::OOM else { unreachable!("OOM is an error") };
        return refuse(format!("-{text}").as_bytes());
    }
    if spec.flags & WRITE != 0 {
        run.wrote.store(true, Ordering::SeqCst);
    }
    let reply = dispatch::run(server, session, spec, &argv);
    let value = convert::reply_to_lua(lua, &reply, session.protocol)?;
    match value {
        Value::Table(table) if reply.is_error() => failed(table),
        value => Ok(MultiValue::from_vec(vec![value])),
    }
}
