//! State shared by every connection (the server) and the state of one connection (the session).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use mokad_resp::{Protocol, Request};
use mokad_storage::{Storage, StorageConfig, WatchFlag};
use parking_lot::{Mutex, RwLock};
use tokio::sync::Notify;

use crate::blocking::{Blocked, Blocking};
use crate::pubsub::{Kind, Mailbox, PubSub, Subscriptions};
use crate::scripting::Scripting;
use crate::settings::Settings;

/// A flag that is raised once and that async code can wait for (shutdown, CLIENT KILL).
#[derive(Debug, Default)]
pub struct Signal {
    raised: AtomicBool,
    notify: Notify,
}

impl Signal {
    /// Raises the flag and wakes every waiter.
    pub fn raise(&self) {
        self.raised.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Whether the flag was raised.
    pub fn is_raised(&self) -> bool {
        self.raised.load(Ordering::SeqCst)
    }

    /// Resolves once the flag is raised.
    pub async fn wait(&self) {
        let notified = self.notify.notified();
        if self.is_raised() {
            return;
        }
        notified.await;
    }
}

/// CLIENT UNBLOCK's request to a blocked client: end the wait as a timeout or with an error.
#[derive(Debug, Default)]
pub struct UnblockRequest {
    /// 0: none, 1: as a timeout, 2: with the UNBLOCKED error.
    state: AtomicU8,
    notify: Notify,
}

impl UnblockRequest {
    /// Asks the client to stop waiting, with the UNBLOCKED error if `error`.
    pub fn request(&self, error: bool) {
        self.state.store(if error { 2 } else { 1 }, Ordering::SeqCst);
        self.notify.notify_one();
    }

    /// Forgets a request that came too late for the wait it was meant for.
    pub fn clear(&self) {
        self.state.store(0, Ordering::SeqCst);
    }

    /// Resolves when a request comes: whether it asks for the error.
    pub async fn wait(&self) -> bool {
        loop {
            match self.state.swap(0, Ordering::SeqCst) {
                0 => self.notify.notified().await,
                state => return state == 2,
            }
        }
    }
}

/// Counters the server keeps beside the keyspace's own.
#[derive(Debug, Default)]
pub struct ServerStats {
    /// Commands executed.
    pub commands_processed: AtomicU64,
    /// Connections accepted.
    pub connections_received: AtomicU64,
    /// Connections refused at `maxclients`.
    pub rejected_connections: AtomicU64,
}

/// Everything connections share.
pub struct Server {
    /// The keyspace.
    pub storage: Storage,
    /// Settings, changed at run time by CONFIG SET.
    pub settings: RwLock<Settings>,
    /// Connected clients.
    pub clients: Clients,
    /// Server counters.
    pub stats: ServerStats,
    /// When the server started.
    pub started: Instant,
    /// A random 40-character hex id of this run, as INFO's `run_id`.
    pub run_id: String,
    /// Where the settings came from, for INFO's `config_file`.
    pub config_file: String,
    /// Raised by SHUTDOWN or a signal: the server stops accepting and closes connections.
    pub shutdown: Signal,
    /// Clients blocked on keys (BLPOP ...), and the wake-ups writes send them.
    pub blocking: Blocking,
    /// Who is subscribed to which channels and patterns.
    pub pubsub: PubSub,
    /// The Lua interpreter, its cached scripts and the running script's state.
    pub scripting: Scripting,
    /// The allocator INFO's `mem_allocator` names. The binary sets the one it links
    /// (`libc`, the system allocator, until it does).
    pub mem_allocator: String,
}

impl Server {
    /// A server with a fresh keyspace built from `settings`.
    pub fn new(settings: Settings, config_file: String) -> Self {
        let storage = Storage::new(StorageConfig {
            databases: settings.databases,
            maxmemory: settings.maxmemory.0,
            policy: settings.policy(),
        });
        Self::with_storage(settings, storage, config_file)
    }

    /// A server over an existing keyspace (tests use one on a manual clock).
    pub fn with_storage(settings: Settings, storage: Storage, config_file: String) -> Self {
        Server {
            storage,
            settings: RwLock::new(settings),
            clients: Clients::default(),
            stats: ServerStats::default(),
            started: Instant::now(),
            run_id: random_hex(40),
            config_file,
            shutdown: Signal::default(),
            blocking: Blocking::default(),
            pubsub: PubSub::default(),
            scripting: Scripting::new(),
            mem_allocator: "libc".into(),
        }
    }
}

/// A connected client as CLIENT LIST and CLIENT KILL see it.
#[derive(Debug)]
pub struct ClientInfo {
    /// Unique, increasing id (CLIENT ID).
    pub id: u64,
    /// Peer address, `ip:port`.
    pub addr: String,
    /// Local address, `ip:port`.
    pub laddr: String,
    /// When the connection was accepted.
    pub created: Instant,
    /// CLIENT SETNAME.
    pub name: Mutex<Option<Bytes>>,
    /// CLIENT SETINFO LIB-NAME.
    pub lib_name: Mutex<Option<String>>,
    /// CLIENT SETINFO LIB-VER.
    pub lib_ver: Mutex<Option<String>>,
    /// Selected database.
    pub db: AtomicUsize,
    /// 2 or 3.
    pub resp: AtomicU8,
    /// Milliseconds since `created` at the last command.
    pub last_active_ms: AtomicU64,
    /// Name of the last command.
    pub last_command: Mutex<String>,
    /// Inside MULTI: number of queued commands, else -1 (stored +1).
    pub multi_len: AtomicU64,
    /// CLIENT NO-EVICT.
    pub no_evict: AtomicBool,
    /// CLIENT NO-TOUCH.
    pub no_touch: AtomicBool,
    /// Raised by CLIENT KILL or a shutdown: the connection closes after its current command.
    pub killed: Signal,
    /// Waiting in a blocking command (CLIENT LIST's flag `b`).
    pub blocked: AtomicBool,
    /// CLIENT UNBLOCK's request, while blocked.
    pub unblock: UnblockRequest,
    /// Pub/Sub messages waiting to be written to this client, and its subscription counts.
    pub mailbox: Mailbox,
}

impl ClientInfo {
    /// Seconds since the last command.
    pub fn idle_secs(&self) -> u64 {
        (self.created.elapsed().as_millis() as u64).saturating_sub(self.last_active_ms.load(Ordering::Relaxed)) / 1000
    }

    /// This client's line in CLIENT LIST, in Redis 7.2's field order.
    pub fn describe(&self) -> String {
        let name = self.name.lock().as_ref().map(|n| String::from_utf8_lossy(n).into_owned()).unwrap_or_default();
        let multi = self.multi_len.load(Ordering::Relaxed) as i64 - 1;
        let mut flags = String::new();
        if self.mailbox.subscribed() {
            flags.push('P');
        }
        if multi >= 0 {
            flags.push('x');
        }
        if self.blocked.load(Ordering::Relaxed) {
            flags.push('b');
        }
        if flags.is_empty() {
            flags.push('N');
        }
        let (oll, omem) = self.mailbox.pending();
        format!(
            "id={} addr={} laddr={} fd=0 name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} multi={} qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll={oll} omem={omem} tot-mem=0 events=r cmd={} user=default redir=-1 resp={} lib-name={} lib-ver={}",
            self.id,
            self.addr,
            self.laddr,
            name,
            self.created.elapsed().as_secs(),
            self.idle_secs(),
            flags,
            self.db.load(Ordering::Relaxed),
            self.mailbox.count(Kind::Channel),
            self.mailbox.count(Kind::Pattern),
            self.mailbox.count(Kind::Shard),
            multi,
            self.last_command.lock(),
            self.resp.load(Ordering::Relaxed),
            self.lib_name.lock().clone().unwrap_or_default(),
            self.lib_ver.lock().clone().unwrap_or_default(),
        )
    }
}

/// The registry of connected clients.
#[derive(Default)]
pub struct Clients {
    map: Mutex<BTreeMap<u64, Arc<ClientInfo>>>,
    next_id: AtomicU64,
}

impl Clients {
    /// Registers a new connection.
    pub fn register(&self, addr: String, laddr: String) -> Arc<ClientInfo> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let client = Arc::new(ClientInfo {
            id,
            addr,
            laddr,
            created: Instant::now(),
            name: Mutex::new(None),
            lib_name: Mutex::new(None),
            lib_ver: Mutex::new(None),
            db: AtomicUsize::new(0),
            resp: AtomicU8::new(2),
            last_active_ms: AtomicU64::new(0),
            last_command: Mutex::new("NULL".into()),
            multi_len: AtomicU64::new(0),
            no_evict: AtomicBool::new(false),
            no_touch: AtomicBool::new(false),
            killed: Signal::default(),
            blocked: AtomicBool::new(false),
            unblock: UnblockRequest::default(),
            mailbox: Mailbox::default(),
        });
        self.map.lock().insert(id, client.clone());
        client
    }

    /// Removes a closed connection.
    pub fn unregister(&self, id: u64) {
        self.map.lock().remove(&id);
    }

    /// Number of connected clients.
    pub fn len(&self) -> usize {
        self.map.lock().len()
    }

    /// Whether no client is connected.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every connected client, by id.
    pub fn all(&self) -> Vec<Arc<ClientInfo>> {
        self.map.lock().values().cloned().collect()
    }
}

/// Whether replies are sent (CLIENT REPLY ON | OFF).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyMode {
    /// Replies are sent.
    On,
    /// No reply is sent.
    Off,
}

/// A transaction being queued.
#[derive(Debug, Default)]
pub struct Multi {
    /// Commands queued for EXEC.
    pub queue: Vec<Request>,
    /// A command failed to queue: EXEC will abort.
    pub failed: bool,
}

/// The state of one connection.
pub struct Session {
    /// This client in the registry.
    pub client: Arc<ClientInfo>,
    /// Selected database.
    pub db: usize,
    /// The protocol spoken.
    pub protocol: Protocol,
    /// The transaction being queued, between MULTI and EXEC.
    pub multi: Option<Multi>,
    /// Set when a watched key changes.
    pub watch_flag: Arc<WatchFlag>,
    /// Watched keys: database, key, and whether it existed when watched.
    pub watched: Vec<(usize, Bytes, bool)>,
    /// CLIENT REPLY ON or OFF.
    pub reply_mode: ReplyMode,
    /// CLIENT REPLY SKIP: the next command's reply is not sent.
    pub skip_next: bool,
    /// The reply of the command being run is not sent (set from `skip_next` before it runs;
    /// CLIENT REPLY ON clears it).
    pub skip_current: bool,
    /// Close the connection after this reply (QUIT, SHUTDOWN).
    pub close: bool,
    /// Send no reply for the command just run (SHUTDOWN closes without one).
    pub drop_reply: bool,
    /// Set by a blocking command that found nothing and may block: the connection waits (see
    /// `crate::blocking`) instead of sending the command's reply, then runs it again.
    pub blocked: Option<Blocked>,
    /// Set while the connection runs a blocked command again after registering or waking:
    /// a key of the wrong type then counts as not ready instead of failing the command.
    pub block_retry: bool,
    /// While a blocked command runs again: its keys that became ready since it last looked,
    /// in signal order. It takes from the first of them that has something, as Redis serves
    /// a blocked client from the key that became ready first, before its argument order.
    pub block_ready: Vec<Bytes>,
    /// Set while EXEC runs the queued commands: blocking commands answer at once, as if
    /// their timeout had passed.
    pub in_exec: bool,
    /// Set while a script runs its commands (the scripting commands set and clear it):
    /// blocking commands answer at once, as if their timeout had passed.
    pub in_script: bool,
    /// The channels, patterns and shard channels this connection is subscribed to.
    pub subscriptions: Subscriptions,
    /// A command queued Pub/Sub messages for other connections: the connection loop lets them
    /// run before it writes its own replies, so that, as with Redis, a subscriber usually has
    /// the message before the publisher has the count.
    pub woke_subscribers: bool,
}

impl Session {
    /// A new connection's session: database 0, RESP2.
    pub fn new(client: Arc<ClientInfo>) -> Self {
        Session {
            client,
            db: 0,
            protocol: Protocol::Resp2,
            multi: None,
            watch_flag: Arc::new(WatchFlag::default()),
            watched: Vec::new(),
            reply_mode: ReplyMode::On,
            skip_next: false,
            skip_current: false,
            close: false,
            drop_reply: false,
            blocked: None,
            block_retry: false,
            block_ready: Vec::new(),
            in_exec: false,
            in_script: false,
            subscriptions: Subscriptions::default(),
            woke_subscribers: false,
        }
    }

    /// Whether a blocking command may block here (not inside EXEC or a script).
    pub fn may_block(&self) -> bool {
        !self.in_exec && !self.in_script
    }

    /// Forgets every watched key.
    pub fn unwatch_all(&mut self, storage: &Storage) {
        for (db, key, _) in self.watched.drain(..) {
            storage.unwatch(db, &key, &self.watch_flag);
        }
        self.watch_flag.clear();
    }

    /// Switches database, keeping the registry in step.
    pub fn select(&mut self, db: usize) {
        self.db = db;
        self.client.db.store(db, Ordering::Relaxed);
    }

    /// Switches protocol, keeping the registry in step.
    pub fn set_protocol(&mut self, protocol: Protocol) {
        self.protocol = protocol;
        self.client.resp.store(if protocol == Protocol::Resp3 { 3 } else { 2 }, Ordering::Relaxed);
    }
}

/// `len` random lowercase hex digits.
pub fn random_hex(len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut rng = crate::sample::Rng::new();
    while out.len() < len {
        out.push_str(&format!("{:016x}", rng.next_u64()));
    }
    out.truncate(len);
    out
}

/// A seed that differs per call and per process.
pub fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    h.finish()
}
