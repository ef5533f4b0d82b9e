//! The command table: name, arity, flags, key positions, lock scope and documentation of every
//! command, in one place. It drives dispatch and answers COMMAND.

use crate::cmd::{connection as conn, hashes, keys, lists, pubsub, scripting as lua, server, sets, strings, transactions as tx, zsets};
use crate::dispatch::Handler;

/// Writes the keyspace.
pub const WRITE: u32 = 1;
/// Only reads the keyspace.
pub const READONLY: u32 = 1 << 1;
/// May grow memory: refused under `noeviction` past `maxmemory`.
pub const DENYOOM: u32 = 1 << 2;
/// An administrative command.
pub const ADMIN: u32 = 1 << 3;
/// Constant or logarithmic time.
pub const FAST: u32 = 1 << 4;
/// Not allowed from scripts.
pub const NOSCRIPT: u32 = 1 << 5;
/// Allowed while loading.
pub const LOADING: u32 = 1 << 6;
/// Allowed on a stale replica.
pub const STALE: u32 = 1 << 7;
/// Allowed before authentication.
pub const NO_AUTH: u32 = 1 << 8;
/// Allowed while a script is busy.
pub const ALLOW_BUSY: u32 = 1 << 9;
/// Runs at once inside MULTI instead of being queued (MULTI, EXEC, DISCARD, WATCH, QUIT, RESET).
pub const NO_MULTI_QUEUE: u32 = 1 << 10;
/// May block the client (BLPOP and friends).
pub const BLOCKING: u32 = 1 << 11;
/// A Pub/Sub command.
pub const PUBSUB: u32 = 1 << 12;
/// Its keys are found by parsing its arguments (SINTERCARD's, LMPOP's and ZUNION's numkeys),
/// not by first/last/step.
pub const MOVABLEKEYS: u32 = 1 << 13;
/// Not shown to MONITOR (EVAL shows the commands its script runs instead).
pub const SKIP_MONITOR: u32 = 1 << 24;
/// May be called without any key even though it takes keys (EVAL with numkeys 0).
pub const NO_MANDATORY_KEYS: u32 = 1 << 25;

const FLAG_NAMES: &[(u32, &str)] = &[
    (WRITE, "write"),
    (READONLY, "readonly"),
    (DENYOOM, "denyoom"),
    (ADMIN, "admin"),
    (PUBSUB, "pubsub"),
    (NOSCRIPT, "noscript"),
    (BLOCKING, "blocking"),
    (LOADING, "loading"),
    (STALE, "stale"),
    (SKIP_MONITOR, "skip_monitor"),
    (FAST, "fast"),
    (NO_AUTH, "no_auth"),
    (NO_MANDATORY_KEYS, "no_mandatory_keys"),
    (ALLOW_BUSY, "allow_busy"),
    (MOVABLEKEYS, "movablekeys"),
];

/// Which database locks a command holds while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// Touches no key (or locks by itself, like EXEC).
    None,
    /// Shared lock on the session's database: commands run concurrently, EXEC waits.
    Shared,
    /// Exclusive lock on the session's database: multi-key atomic commands.
    Db,
    /// Exclusive locks on every database: cross-database commands.
    All,
}

/// Keys that follow a count argument (EVAL's numkeys): Redis's "keynum" key spec.
#[derive(Debug, Clone, Copy)]
pub struct KeyNum {
    /// Index of the count argument.
    pub index: i32,
    /// First key, counted from the count argument.
    pub first: i32,
    /// Step between keys.
    pub step: i32,
    /// Key spec flags as COMMAND reports them (`RW`, `access`, ...).
    pub flags: &'static [&'static str],
    /// Redis's note on the spec; empty when it has none.
    pub notes: &'static str,
}

/// One command or subcommand.
pub struct CommandSpec {
    /// Lower-case name; a subcommand's is `container|sub`.
    pub name: &'static str,
    /// Redis's arity: positive means exactly that many arguments (name included), negative
    /// means at least that many.
    pub arity: i32,
    /// Flag bits.
    pub flags: u32,
    /// First key, last key (negative counts from the end) and step between keys.
    pub keys: (i32, i32, i32),
    /// Locks held while it runs.
    pub lock: Lock,
    /// Redis's command group.
    pub group: &'static str,
    /// Redis version that introduced it.
    pub since: &'static str,
    /// One line on what it does.
    pub summary: &'static str,
    /// The implementation.
    pub run: Handler,
    /// Subcommands, for container commands.
    pub subcommands: &'static [CommandSpec],
    /// Keys given after a count argument (the command has movable keys).
    pub keynum: Option<KeyNum>,
}

impl CommandSpec {
    /// Whether `argc` arguments (name included) satisfy the arity.
    pub fn arity_ok(&self, argc: usize) -> bool {
        let argc = argc as i32;
        if self.arity >= 0 {
            argc == self.arity
        } else {
            argc >= -self.arity
        }
    }

    /// The part of a subcommand's name after `|`.
    pub fn sub_name(&self) -> &'static str {
        self.name.split_once('|').map_or(self.name, |(_, sub)| sub)
    }

    /// Whether it writes the keyspace.
    pub fn is_write(&self) -> bool {
        self.flags & WRITE != 0
    }

    /// Flag names as COMMAND reports them.
    pub fn flag_names(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> =
            FLAG_NAMES.iter().filter(|(bit, _)| self.flags & bit != 0).map(|(_, name)| *name).collect();
        if self.keynum.is_some() {
            // Redis lists movablekeys just before allow_busy.
            let at = names.iter().position(|n| *n == "allow_busy").unwrap_or(names.len());
            names.insert(at, "movablekeys");
        }
        names
    }

    /// The same command with keys after a count argument.
    pub const fn with_keynum(mut self, keynum: KeyNum) -> Self {
        self.keynum = Some(keynum);
        self
    }

    /// ACL categories as COMMAND reports them, in Redis's category order.
    pub fn acl_categories(&self) -> Vec<&'static str> {
        let group = match self.group {
            "string" => "@string",
            "hash" => "@hash",
            "list" => "@list",
            "set" => "@set",
            "sorted-set" => "@sortedset",
            "pubsub" => "@pubsub",
            "scripting" => "@scripting",
            "generic" => "@keyspace",
            "transactions" => "@transaction",
            "connection" => "@connection",
            _ => "@admin",
        };
        let has = |category: &str| match category {
            // Redis files EVAL_RO and friends under @scripting only.
            "@read" => self.flags & READONLY != 0 && self.group != "scripting",
            "@write" => self.flags & WRITE != 0,
            "@fast" => self.flags & FAST != 0,
            "@slow" => self.flags & FAST == 0,
            "@dangerous" => self.flags & ADMIN != 0,
            "@blocking" => self.flags & BLOCKING != 0,
            other => other == group,
        };
        const ORDER: &[&str] = &[
            "@keyspace", "@read", "@write", "@set", "@sortedset", "@list", "@hash", "@string", "@pubsub", "@admin", "@fast",
            "@slow", "@blocking", "@dangerous", "@connection", "@transaction", "@scripting",
        ];
        ORDER.iter().copied().filter(|c| has(c)).collect()
    }
}

const NO_KEYS: (i32, i32, i32) = (0, 0, 0);
const ONE_KEY: (i32, i32, i32) = (1, 1, 1);
const ALL_KEYS: (i32, i32, i32) = (1, -1, 1);
const PAIRS: (i32, i32, i32) = (1, -1, 2);
const TWO_KEYS: (i32, i32, i32) = (1, 2, 1);
/// Every argument but the last (the timeout of BLPOP and friends).
const KEYS_BEFORE_TIMEOUT: (i32, i32, i32) = (1, -2, 1);

#[allow(clippy::too_many_arguments)]
const fn cmd(
    name: &'static str,
    arity: i32,
    flags: u32,
    keys: (i32, i32, i32),
    lock: Lock,
    group: &'static str,
    since: &'static str,
    summary: &'static str,
    run: Handler,
) -> CommandSpec {
    CommandSpec { name, arity, flags, keys, lock, group, since, summary, run, subcommands: &[], keynum: None }
}

const fn container(
    name: &'static str,
    group: &'static str,
    since: &'static str,
    summary: &'static str,
    subcommands: &'static [CommandSpec],
) -> CommandSpec {
    CommandSpec {
        name,
        arity: -2,
        flags: 0,
        keys: NO_KEYS,
        lock: Lock::None,
        group,
        since,
        summary,
        run: server::help,
        subcommands,
        keynum: None,
    }
}

use Lock::{All, Db, None as NoLock, Shared};

const CLIENT: &[CommandSpec] = &[
    cmd("client|id", 2, NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "connection", "5.0.0", "Returns the unique client ID of the connection.", conn::client_id),
    cmd("client|setname", 3, NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "connection", "2.6.9", "Sets the connection name.", conn::client_setname),
    cmd("client|getname", 2, NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "connection", "2.6.9", "Returns the name of the connection.", conn::client_getname),
    cmd("client|setinfo", 4, NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "connection", "7.2.0", "Sets information specific to the client or connection.", conn::client_setinfo),
    cmd("client|info", 2, NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "connection", "6.2.0", "Returns information about the connection.", conn::client_info),
    cmd("client|list", -2, ADMIN | NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "connection", "2.4.0", "Lists open connections.", conn::client_list),
    cmd("client|kill", -3, ADMIN | NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "connection", "2.4.0", "Terminates open connections.", conn::client_kill),
    cmd("client|no-evict", 3, ADMIN | NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "connection", "7.0.0", "Sets the client eviction mode of the connection.", conn::client_no_evict),
    cmd("client|no-touch", 3, NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "connection", "7.2.0", "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.", conn::client_no_touch),
    cmd("client|reply", 3, NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "connection", "3.2.0", "Instructs the server whether to reply to commands.", conn::client_reply),
    cmd("client|unblock", -3, ADMIN | NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "connection", "5.0.0", "Unblocks a client blocked by a blocking command from a different connection.", conn::client_unblock),
    cmd("client|getredir", 2, NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "connection", "6.0.0", "Returns the client ID to which the connection's tracking notifications are redirected.", conn::client_getredir),
    cmd("client|help", 2, LOADING | STALE, NO_KEYS, NoLock, "connection", "5.0.0", "Returns helpful text about the different subcommands.", server::help),
];

const CONFIG: &[CommandSpec] = &[
    cmd("config|get", -3, ADMIN | NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "server", "2.0.0", "Returns the effective values of configuration parameters.", server::config_get),
    cmd("config|set", -4, ADMIN | NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "server", "2.0.0", "Sets configuration parameters in-flight.", server::config_set),
    cmd("config|resetstat", 2, ADMIN | NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "server", "2.0.0", "Resets the server's statistics.", server::config_resetstat),
    cmd("config|help", 2, LOADING | STALE, NO_KEYS, NoLock, "server", "5.0.0", "Returns helpful text about the different subcommands.", server::help),
];

const COMMAND: &[CommandSpec] = &[
    cmd("command|count", 2, LOADING | STALE, NO_KEYS, NoLock, "server", "2.8.13", "Returns a count of commands.", server::command_count),
    cmd("command|info", -2, LOADING | STALE, NO_KEYS, NoLock, "server", "2.8.13", "Returns information about one, multiple or all commands.", server::command_info_cmd),
    cmd("command|docs", -2, LOADING | STALE, NO_KEYS, NoLock, "server", "7.0.0", "Returns documentary information about one, multiple or all commands.", server::command_docs_cmd),
    cmd("command|list", -2, LOADING | STALE, NO_KEYS, NoLock, "server", "7.0.0", "Returns a list of command names.", server::command_list),
    cmd("command|help", 2, LOADING | STALE, NO_KEYS, NoLock, "server", "5.0.0", "Returns helpful text about the different subcommands.", server::help),
];

const OBJECT: &[CommandSpec] = &[
    cmd("object|encoding", 3, READONLY, (2, 2, 1), Shared, "generic", "2.2.3", "Inspect the internal encoding of a Redis object", keys::object_encoding),
    cmd("object|refcount", 3, READONLY, (2, 2, 1), Shared, "generic", "2.2.3", "Get the number of references to the value of the key", keys::object_refcount),
    cmd("object|idletime", 3, READONLY, (2, 2, 1), Shared, "generic", "2.2.3", "Get the time since a Redis object was last accessed", keys::object_idletime),
    cmd("object|freq", 3, READONLY, (2, 2, 1), Shared, "generic", "4.0.0", "Get the logarithmic access frequency counter of a Redis object", keys::object_freq),
    cmd("object|help", 2, LOADING | STALE, NO_KEYS, NoLock, "generic", "6.2.0", "Show helpful text about the different subcommands", keys::object_help),
];

const PUBSUB_SUBCOMMANDS: &[CommandSpec] = &[
    cmd("pubsub|channels", -2, PUBSUB | LOADING | STALE, NO_KEYS, NoLock, "pubsub", "2.8.0", "Returns the active channels.", pubsub::pubsub_channels),
    cmd("pubsub|numpat", 2, PUBSUB | LOADING | STALE, NO_KEYS, NoLock, "pubsub", "2.8.0", "Returns a count of unique pattern subscriptions.", pubsub::pubsub_numpat),
    cmd("pubsub|numsub", -2, PUBSUB | LOADING | STALE, NO_KEYS, NoLock, "pubsub", "2.8.0", "Returns a count of subscribers to channels.", pubsub::pubsub_numsub),
    cmd("pubsub|shardchannels", -2, PUBSUB | LOADING | STALE, NO_KEYS, NoLock, "pubsub", "7.0.0", "Returns the active shard channels.", pubsub::pubsub_shardchannels),
    cmd("pubsub|shardnumsub", -2, PUBSUB | LOADING | STALE, NO_KEYS, NoLock, "pubsub", "7.0.0", "Returns the count of subscribers of shard channels.", pubsub::pubsub_shardnumsub),
    cmd("pubsub|help", 2, LOADING | STALE, NO_KEYS, NoLock, "pubsub", "6.2.0", "Returns helpful text about the different subcommands.", pubsub::pubsub_help),
];

/// In the order Redis 7.0 lists them.
const SCRIPT: &[CommandSpec] = &[
    cmd("script|load", 3, NOSCRIPT | STALE, NO_KEYS, NoLock, "scripting", "2.6.0", "Loads a server-side Lua script to the script cache.", lua::script_load),
    cmd("script|flush", -2, NOSCRIPT, NO_KEYS, NoLock, "scripting", "2.6.0", "Removes all server-side Lua scripts from the script cache.", lua::script_flush),
    cmd("script|exists", -3, NOSCRIPT, NO_KEYS, NoLock, "scripting", "2.6.0", "Determines whether server-side Lua scripts exist in the script cache.", lua::script_exists),
    cmd("script|help", 2, LOADING | STALE, NO_KEYS, NoLock, "scripting", "5.0.0", "Returns helpful text about the different subcommands.", lua::script_help),
    cmd("script|kill", 2, NOSCRIPT | ALLOW_BUSY, NO_KEYS, NoLock, "scripting", "2.6.0", "Terminates a server-side Lua script during execution.", lua::script_kill),
    cmd("script|debug", 3, NOSCRIPT, NO_KEYS, NoLock, "scripting", "3.2.0", "Sets the debug mode of server-side Lua scripts.", lua::script_debug),
];

/// EVAL's keys: numkeys at index 2, then the keys.
const fn eval_keys(flags: &'static [&'static str], notes: &'static str) -> KeyNum {
    KeyNum { index: 2, first: 1, step: 1, flags, notes }
}

const RW_UPDATE: &[&str] = &["RW", "access", "update"];
const RO_ACCESS: &[&str] = &["RO", "access"];
const EVAL_FLAGS: u32 = NOSCRIPT | STALE | SKIP_MONITOR | NO_MANDATORY_KEYS;

/// Every command mokad supports.
pub static COMMANDS: &[CommandSpec] = &[
    // Connection
    cmd("ping", -1, FAST, NO_KEYS, NoLock, "connection", "1.0.0", "Returns the server's liveliness response.", conn::ping),
    cmd("echo", 2, FAST, NO_KEYS, NoLock, "connection", "1.0.0", "Returns the given string.", conn::echo),
    cmd("select", 2, LOADING | STALE | FAST, NO_KEYS, NoLock, "connection", "1.0.0", "Changes the selected database.", conn::select),
    cmd("quit", -1, NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY | NO_MULTI_QUEUE, NO_KEYS, NoLock, "connection", "1.0.0", "Closes the connection.", conn::quit),
    cmd("reset", 1, NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY | NO_MULTI_QUEUE, NO_KEYS, NoLock, "connection", "6.2.0", "Resets the connection.", conn::reset),
    cmd("hello", -1, NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY, NO_KEYS, NoLock, "connection", "6.0.0", "Handshakes with the Redis server.", conn::hello),
    cmd("auth", -2, NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY, NO_KEYS, NoLock, "connection", "1.0.0", "Authenticates the connection.", conn::auth),
    container("client", "connection", "2.4.0", "A container for client connection commands.", CLIENT),
    // Strings
    cmd("get", 2, READONLY | FAST, ONE_KEY, Shared, "string", "1.0.0", "Returns the string value of a key.", strings::get),
    cmd("set", -3, WRITE | DENYOOM, ONE_KEY, Shared, "string", "1.0.0", "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.", strings::set),
    cmd("setnx", 3, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "string", "1.0.0", "Set the string value of a key only when the key doesn't exist.", strings::setnx),
    cmd("setex", 4, WRITE | DENYOOM, ONE_KEY, Shared, "string", "2.0.0", "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.", strings::setex),
    cmd("psetex", 4, WRITE | DENYOOM, ONE_KEY, Shared, "string", "2.6.0", "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.", strings::psetex),
    cmd("getset", 3, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "string", "1.0.0", "Returns the previous string value of a key after setting it to a new value.", strings::getset),
    cmd("getdel", 2, WRITE | FAST, ONE_KEY, Shared, "string", "6.2.0", "Returns the string value of a key after deleting the key.", strings::getdel),
    cmd("getex", -2, WRITE | FAST, ONE_KEY, Shared, "string", "6.2.0", "Returns the string value of a key after setting its expiration time.", strings::getex),
    cmd("mget", -2, READONLY | FAST, ALL_KEYS, Shared, "string", "1.0.0", "Atomically returns the string values of one or more keys.", strings::mget),
    cmd("mset", -3, WRITE | DENYOOM, PAIRS, Db, "string", "1.0.1", "Atomically creates or modifies the string values of one or more keys.", strings::mset),
    cmd("msetnx", -3, WRITE | DENYOOM, PAIRS, Db, "string", "1.0.1", "Atomically modifies the string values of one or more keys only when all keys don't exist.", strings::msetnx),
    cmd("append", 3, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "string", "2.0.0", "Appends a string to the value of a key. Creates the key if it doesn't exist.", strings::append),
    cmd("strlen", 2, READONLY | FAST, ONE_KEY, Shared, "string", "2.2.0", "Returns the length of a string value.", strings::strlen),
    cmd("incr", 2, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "string", "1.0.0", "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.", strings::incr),
    cmd("decr", 2, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "string", "1.0.0", "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.", strings::decr),
    cmd("incrby", 3, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "string", "1.0.0", "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.", strings::incrby),
    cmd("decrby", 3, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "string", "1.0.0", "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.", strings::decrby),
    cmd("incrbyfloat", 3, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "string", "2.6.0", "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.", strings::incrbyfloat),
    cmd("getrange", 4, READONLY, ONE_KEY, Shared, "string", "2.4.0", "Returns a substring of the string stored at a key.", strings::getrange),
    cmd("substr", 4, READONLY, ONE_KEY, Shared, "string", "1.0.0", "Returns a substring from a string value.", strings::getrange),
    cmd("setrange", 4, WRITE | DENYOOM, ONE_KEY, Shared, "string", "2.2.0", "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.", strings::setrange),
    // Hashes
    cmd("hset", -4, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "hash", "2.0.0", "Creates or modifies the value of a field in a hash.", hashes::hset),
    cmd("hget", 3, READONLY | FAST, ONE_KEY, Shared, "hash", "2.0.0", "Returns the value of a field in a hash.", hashes::hget),
    cmd("hdel", -3, WRITE | FAST, ONE_KEY, Shared, "hash", "2.0.0", "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.", hashes::hdel),
    cmd("hlen", 2, READONLY | FAST, ONE_KEY, Shared, "hash", "2.0.0", "Returns the number of fields in a hash.", hashes::hlen),
    cmd("hsetnx", 4, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "hash", "2.0.0", "Set the value of a hash field, only if the field does not exist", hashes::hsetnx),
    cmd("hmget", -3, READONLY | FAST, ONE_KEY, Shared, "hash", "2.0.0", "Get the values of all the given hash fields", hashes::hmget),
    cmd("hmset", -4, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "hash", "2.0.0", "Set multiple hash fields to multiple values", hashes::hmset),
    cmd("hexists", 3, READONLY | FAST, ONE_KEY, Shared, "hash", "2.0.0", "Determine if a hash field exists", hashes::hexists),
    cmd("hkeys", 2, READONLY, ONE_KEY, Shared, "hash", "2.0.0", "Get all the fields in a hash", hashes::hkeys),
    cmd("hvals", 2, READONLY, ONE_KEY, Shared, "hash", "2.0.0", "Get all the values in a hash", hashes::hvals),
    cmd("hgetall", 2, READONLY, ONE_KEY, Shared, "hash", "2.0.0", "Get all the fields and values in a hash", hashes::hgetall),
    cmd("hincrby", 4, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "hash", "2.0.0", "Increment the integer value of a hash field by the given number", hashes::hincrby),
    cmd("hincrbyfloat", 4, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "hash", "2.6.0", "Increment the float value of a hash field by the given amount", hashes::hincrbyfloat),
    cmd("hstrlen", 3, READONLY | FAST, ONE_KEY, Shared, "hash", "3.2.0", "Get the length of the value of a hash field", hashes::hstrlen),
    cmd("hrandfield", -2, READONLY, ONE_KEY, Shared, "hash", "6.2.0", "Get one or multiple random fields from a hash", hashes::hrandfield),
    cmd("hscan", -3, READONLY, ONE_KEY, Shared, "hash", "2.8.0", "Incrementally iterate hash fields and associated values", hashes::hscan),
    // Sets
    cmd("sadd", -3, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "set", "1.0.0", "Add one or more members to a set", sets::sadd),
    cmd("srem", -3, WRITE | FAST, ONE_KEY, Shared, "set", "1.0.0", "Remove one or more members from a set", sets::srem),
    cmd("smembers", 2, READONLY, ONE_KEY, Shared, "set", "1.0.0", "Get all the members in a set", sets::smembers),
    cmd("sismember", 3, READONLY | FAST, ONE_KEY, Shared, "set", "1.0.0", "Determine if a given value is a member of a set", sets::sismember),
    cmd("smismember", -3, READONLY | FAST, ONE_KEY, Shared, "set", "6.2.0", "Returns the membership associated with the given elements for a set", sets::smismember),
    cmd("scard", 2, READONLY | FAST, ONE_KEY, Shared, "set", "1.0.0", "Get the number of members in a set", sets::scard),
    cmd("spop", -2, WRITE | FAST, ONE_KEY, Shared, "set", "1.0.0", "Remove and return one or multiple random members from a set", sets::spop),
    cmd("srandmember", -2, READONLY, ONE_KEY, Shared, "set", "1.0.0", "Get one or multiple random members from a set", sets::srandmember),
    cmd("smove", 4, WRITE | FAST, TWO_KEYS, Db, "set", "1.0.0", "Move a member from one set to another", sets::smove),
    cmd("sdiff", -2, READONLY, ALL_KEYS, Db, "set", "1.0.0", "Subtract multiple sets", sets::sdiff),
    cmd("sdiffstore", -3, WRITE | DENYOOM, ALL_KEYS, Db, "set", "1.0.0", "Subtract multiple sets and store the resulting set in a key", sets::sdiffstore),
    cmd("sinter", -2, READONLY, ALL_KEYS, Db, "set", "1.0.0", "Intersect multiple sets", sets::sinter),
    cmd("sinterstore", -3, WRITE | DENYOOM, ALL_KEYS, Db, "set", "1.0.0", "Intersect multiple sets and store the resulting set in a key", sets::sinterstore),
    cmd("sintercard", -3, READONLY | MOVABLEKEYS, NO_KEYS, Db, "set", "7.0.0", "Intersect multiple sets and return the cardinality of the result", sets::sintercard),
    cmd("sunion", -2, READONLY, ALL_KEYS, Db, "set", "1.0.0", "Add multiple sets", sets::sunion),
    cmd("sunionstore", -3, WRITE | DENYOOM, ALL_KEYS, Db, "set", "1.0.0", "Add multiple sets and store the resulting set in a key", sets::sunionstore),
    cmd("sscan", -3, READONLY, ONE_KEY, Shared, "set", "2.8.0", "Incrementally iterate Set elements", sets::sscan),
    // Lists
    cmd("lpush", -3, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "list", "1.0.0", "Prepends one or more elements to a list. Creates the key if it doesn't exist.", lists::lpush),
    cmd("rpush", -3, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "list", "1.0.0", "Appends one or more elements to a list. Creates the key if it doesn't exist.", lists::rpush),
    cmd("lpushx", -3, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "list", "2.2.0", "Prepends one or more elements to a list only when the list exists.", lists::lpushx),
    cmd("rpushx", -3, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "list", "2.2.0", "Appends an element to a list only when the list exists.", lists::rpushx),
    cmd("lpop", -2, WRITE | FAST, ONE_KEY, Shared, "list", "1.0.0", "Returns the first elements in a list after removing it. Deletes the list if the last element was popped.", lists::lpop),
    cmd("rpop", -2, WRITE | FAST, ONE_KEY, Shared, "list", "1.0.0", "Returns and removes the last elements of the list. Deletes the list if the last element was popped.", lists::rpop),
    cmd("llen", 2, READONLY | FAST, ONE_KEY, Shared, "list", "1.0.0", "Returns the length of a list.", lists::llen),
    cmd("lrange", 4, READONLY, ONE_KEY, Shared, "list", "1.0.0", "Returns a range of elements from a list.", lists::lrange),
    cmd("lindex", 3, READONLY, ONE_KEY, Shared, "list", "1.0.0", "Returns an element from a list by its index.", lists::lindex),
    cmd("lset", 4, WRITE | DENYOOM, ONE_KEY, Shared, "list", "1.0.0", "Sets the value of an element in a list by its index.", lists::lset),
    cmd("linsert", 5, WRITE | DENYOOM, ONE_KEY, Shared, "list", "2.2.0", "Inserts an element before or after another element in a list.", lists::linsert),
    cmd("lrem", 4, WRITE, ONE_KEY, Shared, "list", "1.0.0", "Removes elements from a list. Deletes the list if the last element was removed.", lists::lrem),
    cmd("ltrim", 4, WRITE, ONE_KEY, Shared, "list", "1.0.0", "Removes elements from both ends a list. Deletes the list if all elements were trimmed.", lists::ltrim),
    cmd("lpos", -3, READONLY, ONE_KEY, Shared, "list", "6.0.6", "Returns the index of matching elements in a list.", lists::lpos),
    cmd("lmove", 5, WRITE | DENYOOM, TWO_KEYS, Db, "list", "6.2.0", "Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.", lists::lmove),
    cmd("rpoplpush", 3, WRITE | DENYOOM, TWO_KEYS, Db, "list", "1.2.0", "Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.", lists::rpoplpush),
    cmd("lmpop", -4, WRITE | MOVABLEKEYS, NO_KEYS, Db, "list", "7.0.0", "Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.", lists::lmpop),
    cmd("blpop", -3, WRITE | NOSCRIPT | BLOCKING, KEYS_BEFORE_TIMEOUT, Db, "list", "2.0.0", "Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", lists::blpop),
    cmd("brpop", -3, WRITE | NOSCRIPT | BLOCKING, KEYS_BEFORE_TIMEOUT, Db, "list", "2.0.0", "Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", lists::brpop),
    cmd("blmove", 6, WRITE | DENYOOM | NOSCRIPT | BLOCKING, TWO_KEYS, Db, "list", "6.2.0", "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.", lists::blmove),
    cmd("brpoplpush", 4, WRITE | DENYOOM | NOSCRIPT | BLOCKING, TWO_KEYS, Db, "list", "2.2.0", "Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.", lists::brpoplpush),
    cmd("blmpop", -5, WRITE | BLOCKING | MOVABLEKEYS, NO_KEYS, Db, "list", "7.0.0", "Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", lists::blmpop),
    // Blocking sorted-set pops (the other sorted-set commands are in their own block)
    cmd("bzpopmin", -3, WRITE | NOSCRIPT | BLOCKING | FAST, KEYS_BEFORE_TIMEOUT, Db, "sorted-set", "5.0.0", "Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.", lists::bzpopmin),
    cmd("bzpopmax", -3, WRITE | NOSCRIPT | BLOCKING | FAST, KEYS_BEFORE_TIMEOUT, Db, "sorted-set", "5.0.0", "Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped.", lists::bzpopmax),
    cmd("bzmpop", -5, WRITE | BLOCKING | MOVABLEKEYS, NO_KEYS, Db, "sorted-set", "7.0.0", "Remove and return members with scores in a sorted set or block until one is available", lists::bzmpop),
    // Sorted sets
    cmd("zadd", -4, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "sorted-set", "1.2.0", "Add one or more members to a sorted set, or update its score if it already exists", zsets::zadd),
    cmd("zincrby", 4, WRITE | DENYOOM | FAST, ONE_KEY, Shared, "sorted-set", "1.2.0", "Increment the score of a member in a sorted set", zsets::zincrby),
    cmd("zscore", 3, READONLY | FAST, ONE_KEY, Shared, "sorted-set", "1.2.0", "Get the score associated with the given member in a sorted set", zsets::zscore),
    cmd("zmscore", -3, READONLY | FAST, ONE_KEY, Shared, "sorted-set", "6.2.0", "Get the score associated with the given members in a sorted set", zsets::zmscore),
    cmd("zcard", 2, READONLY | FAST, ONE_KEY, Shared, "sorted-set", "1.2.0", "Get the number of members in a sorted set", zsets::zcard),
    cmd("zcount", 4, READONLY | FAST, ONE_KEY, Shared, "sorted-set", "2.0.0", "Count the members in a sorted set with scores within the given values", zsets::zcount),
    cmd("zlexcount", 4, READONLY | FAST, ONE_KEY, Shared, "sorted-set", "2.8.9", "Count the number of members in a sorted set between a given lexicographical range", zsets::zlexcount),
    cmd("zrank", 3, READONLY | FAST, ONE_KEY, Shared, "sorted-set", "2.0.0", "Determine the index of a member in a sorted set", zsets::zrank),
    cmd("zrevrank", 3, READONLY | FAST, ONE_KEY, Shared, "sorted-set", "2.0.0", "Determine the index of a member in a sorted set, with scores ordered from high to low", zsets::zrevrank),
    cmd("zrange", -4, READONLY, ONE_KEY, Shared, "sorted-set", "1.2.0", "Return a range of members in a sorted set", zsets::zrange),
    cmd("zrevrange", -4, READONLY, ONE_KEY, Shared, "sorted-set", "1.2.0", "Return a range of members in a sorted set, by index, with scores ordered from high to low", zsets::zrevrange),
    cmd("zrangebyscore", -4, READONLY, ONE_KEY, Shared, "sorted-set", "1.0.5", "Return a range of members in a sorted set, by score", zsets::zrangebyscore),
    cmd("zrevrangebyscore", -4, READONLY, ONE_KEY, Shared, "sorted-set", "2.2.0", "Return a range of members in a sorted set, by score, with scores ordered from high to low", zsets::zrevrangebyscore),
    cmd("zrangebylex", -4, READONLY, ONE_KEY, Shared, "sorted-set", "2.8.9", "Return a range of members in a sorted set, by lexicographical range", zsets::zrangebylex),
    cmd("zrevrangebylex", -4, READONLY, ONE_KEY, Shared, "sorted-set", "2.8.9", "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.", zsets::zrevrangebylex),
    cmd("zrangestore", -5, WRITE | DENYOOM, TWO_KEYS, Db, "sorted-set", "6.2.0", "Store a range of members from sorted set into another key", zsets::zrangestore),
    cmd("zrem", -3, WRITE | FAST, ONE_KEY, Shared, "sorted-set", "1.2.0", "Remove one or more members from a sorted set", zsets::zrem),
    cmd("zremrangebyscore", 4, WRITE, ONE_KEY, Shared, "sorted-set", "1.2.0", "Remove all members in a sorted set within the given scores", zsets::zremrangebyscore),
    cmd("zremrangebyrank", 4, WRITE, ONE_KEY, Shared, "sorted-set", "2.0.0", "Remove all members in a sorted set within the given indexes", zsets::zremrangebyrank),
    cmd("zremrangebylex", 4, WRITE, ONE_KEY, Shared, "sorted-set", "2.8.9", "Remove all members in a sorted set between the given lexicographical range", zsets::zremrangebylex),
    cmd("zpopmin", -2, WRITE | FAST, ONE_KEY, Shared, "sorted-set", "5.0.0", "Remove and return members with the lowest scores in a sorted set", zsets::zpopmin),
    cmd("zpopmax", -2, WRITE | FAST, ONE_KEY, Shared, "sorted-set", "5.0.0", "Remove and return members with the highest scores in a sorted set", zsets::zpopmax),
    cmd("zmpop", -4, WRITE | MOVABLEKEYS, NO_KEYS, Db, "sorted-set", "7.0.0", "Remove and return members with scores in a sorted set", lists::zmpop),
    cmd("zrandmember", -2, READONLY, ONE_KEY, Shared, "sorted-set", "6.2.0", "Get one or multiple random elements from a sorted set", zsets::zrandmember),
    cmd("zscan", -3, READONLY, ONE_KEY, Shared, "sorted-set", "2.8.0", "Incrementally iterate sorted sets elements and associated scores", zsets::zscan),
    cmd("zunionstore", -4, WRITE | DENYOOM | MOVABLEKEYS, ONE_KEY, Db, "sorted-set", "2.0.0", "Add multiple sorted sets and store the resulting sorted set in a new key", zsets::zunionstore),
    cmd("zinterstore", -4, WRITE | DENYOOM | MOVABLEKEYS, ONE_KEY, Db, "sorted-set", "2.0.0", "Intersect multiple sorted sets and store the resulting sorted set in a new key", zsets::zinterstore),
    cmd("zdiffstore", -4, WRITE | DENYOOM | MOVABLEKEYS, ONE_KEY, Db, "sorted-set", "6.2.0", "Subtract multiple sorted sets and store the resulting sorted set in a new key", zsets::zdiffstore),
    cmd("zunion", -3, READONLY | MOVABLEKEYS, NO_KEYS, Db, "sorted-set", "6.2.0", "Add multiple sorted sets", zsets::zunion),
    cmd("zinter", -3, READONLY | MOVABLEKEYS, NO_KEYS, Db, "sorted-set", "6.2.0", "Intersect multiple sorted sets", zsets::zinter),
    cmd("zdiff", -3, READONLY | MOVABLEKEYS, NO_KEYS, Db, "sorted-set", "6.2.0", "Subtract multiple sorted sets", zsets::zdiff),
    cmd("zintercard", -3, READONLY | MOVABLEKEYS, NO_KEYS, Db, "sorted-set", "7.0.0", "Intersect multiple sorted sets and return the cardinality of the result", zsets::zintercard),
    // Keys
    cmd("del", -2, WRITE, ALL_KEYS, Shared, "generic", "1.0.0", "Deletes one or more keys.", keys::del),
    cmd("unlink", -2, WRITE | FAST, ALL_KEYS, Shared, "generic", "4.0.0", "Asynchronously deletes one or more keys.", keys::del),
    cmd("exists", -2, READONLY | FAST, ALL_KEYS, Shared, "generic", "1.0.0", "Determines whether one or more keys exist.", keys::exists),
    cmd("touch", -2, READONLY | FAST, ALL_KEYS, Shared, "generic", "3.2.1", "Returns the number of existing keys out of those specified after updating the time they were last accessed.", keys::touch),
    cmd("type", 2, READONLY | FAST, ONE_KEY, Shared, "generic", "1.0.0", "Determines the type of value stored at a key.", keys::type_),
    cmd("expire", -3, WRITE | FAST, ONE_KEY, Shared, "generic", "1.0.0", "Sets the expiration time of a key in seconds.", keys::expire),
    cmd("pexpire", -3, WRITE | FAST, ONE_KEY, Shared, "generic", "2.6.0", "Sets the expiration time of a key in milliseconds.", keys::pexpire),
    cmd("expireat", -3, WRITE | FAST, ONE_KEY, Shared, "generic", "1.2.0", "Sets the expiration time of a key to a Unix timestamp.", keys::expireat),
    cmd("pexpireat", -3, WRITE | FAST, ONE_KEY, Shared, "generic", "2.6.0", "Sets the expiration time of a key to a Unix milliseconds timestamp.", keys::pexpireat),
    cmd("ttl", 2, READONLY | FAST, ONE_KEY, Shared, "generic", "1.0.0", "Returns the expiration time in seconds of a key.", keys::ttl),
    cmd("pttl", 2, READONLY | FAST, ONE_KEY, Shared, "generic", "2.6.0", "Returns the expiration time in milliseconds of a key.", keys::pttl),
    cmd("expiretime", 2, READONLY | FAST, ONE_KEY, Shared, "generic", "7.0.0", "Returns the expiration time of a key as a Unix timestamp.", keys::expiretime),
    cmd("pexpiretime", 2, READONLY | FAST, ONE_KEY, Shared, "generic", "7.0.0", "Returns the expiration time of a key as a Unix milliseconds timestamp.", keys::pexpiretime),
    cmd("persist", 2, WRITE | FAST, ONE_KEY, Shared, "generic", "2.2.0", "Removes the expiration time of a key.", keys::persist),
    cmd("keys", 2, READONLY, NO_KEYS, Shared, "generic", "1.0.0", "Returns all key names that match a pattern.", keys::keys),
    cmd("scan", -2, READONLY, NO_KEYS, Shared, "generic", "2.8.0", "Iterates over the key names in the database.", keys::scan),
    cmd("randomkey", 1, READONLY, NO_KEYS, Shared, "generic", "1.0.0", "Returns a random key name from the database.", keys::randomkey),
    cmd("rename", 3, WRITE, TWO_KEYS, Db, "generic", "1.0.0", "Renames a key and overwrites the destination.", keys::rename),
    cmd("renamenx", 3, WRITE | FAST, TWO_KEYS, Db, "generic", "1.0.0", "Renames a key only when the target key name doesn't exist.", keys::renamenx),
    cmd("copy", -3, WRITE | DENYOOM, TWO_KEYS, All, "generic", "6.2.0", "Copies the value of a key to a new key.", keys::copy),
    cmd("move", 3, WRITE | FAST, ONE_KEY, All, "generic", "1.0.0", "Moves a key to another database.", keys::move_),
    container("object", "generic", "2.2.3", "A container for object introspection commands", OBJECT),
    cmd("dbsize", 1, READONLY | FAST, NO_KEYS, Shared, "server", "1.0.0", "Returns the number of keys in the database.", keys::dbsize),
    // Transactions
    cmd("multi", 1, NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY | NO_MULTI_QUEUE, NO_KEYS, NoLock, "transactions", "1.2.0", "Starts a transaction.", tx::multi),
    cmd("exec", 1, NOSCRIPT | LOADING | STALE | NO_MULTI_QUEUE, NO_KEYS, NoLock, "transactions", "1.2.0", "Executes all commands in a transaction.", tx::exec),
    cmd("discard", 1, NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY | NO_MULTI_QUEUE, NO_KEYS, NoLock, "transactions", "2.0.0", "Discards a transaction.", tx::discard),
    cmd("watch", -2, NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY | NO_MULTI_QUEUE, ALL_KEYS, NoLock, "transactions", "2.2.0", "Monitors changes to keys to determine the execution of a transaction.", tx::watch),
    cmd("unwatch", 1, NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY, NO_KEYS, NoLock, "transactions", "2.2.0", "Forgets about watched keys of a transaction.", tx::unwatch),
    // Pub/Sub
    cmd("subscribe", -2, PUBSUB | NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "pubsub", "2.0.0", "Listens for messages published to channels.", pubsub::subscribe),
    cmd("unsubscribe", -1, PUBSUB | NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "pubsub", "2.0.0", "Stops listening to messages posted to channels.", pubsub::unsubscribe),
    cmd("psubscribe", -2, PUBSUB | NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "pubsub", "2.0.0", "Listens for messages published to channels that match one or more patterns.", pubsub::psubscribe),
    cmd("punsubscribe", -1, PUBSUB | NOSCRIPT | LOADING | STALE, NO_KEYS, NoLock, "pubsub", "2.0.0", "Stops listening to messages published to channels that match one or more patterns.", pubsub::punsubscribe),
    cmd("ssubscribe", -2, PUBSUB | NOSCRIPT | LOADING | STALE, ALL_KEYS, NoLock, "pubsub", "7.0.0", "Listens for messages published to shard channels.", pubsub::ssubscribe),
    cmd("sunsubscribe", -1, PUBSUB | NOSCRIPT | LOADING | STALE, ALL_KEYS, NoLock, "pubsub", "7.0.0", "Stops listening to messages posted to shard channels.", pubsub::sunsubscribe),
    cmd("publish", 3, PUBSUB | LOADING | STALE | FAST, NO_KEYS, NoLock, "pubsub", "2.0.0", "Posts a message to a channel.", pubsub::publish),
    cmd("spublish", 3, PUBSUB | LOADING | STALE | FAST, ONE_KEY, NoLock, "pubsub", "7.0.0", "Post a message to a shard channel", pubsub::spublish),
    container("pubsub", "pubsub", "2.8.0", "A container for Pub/Sub commands.", PUBSUB_SUBCOMMANDS),
    // Scripting: a script holds every database while it runs, so nothing interleaves.
    cmd("eval", -3, EVAL_FLAGS, NO_KEYS, All, "scripting", "2.6.0", "Executes a server-side Lua script.", lua::eval)
        .with_keynum(eval_keys(RW_UPDATE, "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE")),
    cmd("evalsha", -3, EVAL_FLAGS, NO_KEYS, All, "scripting", "2.6.0", "Executes a server-side Lua script by SHA1 digest.", lua::evalsha)
        .with_keynum(eval_keys(RW_UPDATE, "")),
    cmd("eval_ro", -3, READONLY | EVAL_FLAGS, NO_KEYS, All, "scripting", "7.0.0", "Executes a read-only server-side Lua script.", lua::eval_ro)
        .with_keynum(eval_keys(RO_ACCESS, "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS")),
    cmd("evalsha_ro", -3, READONLY | EVAL_FLAGS, NO_KEYS, All, "scripting", "7.0.0", "Executes a read-only server-side Lua script by SHA1 digest.", lua::evalsha_ro)
        .with_keynum(eval_keys(RO_ACCESS, "")),
    container("script", "scripting", "2.6.0", "A container for Lua scripts management commands.", SCRIPT),
    // Server
    cmd("flushdb", -1, WRITE, NO_KEYS, Db, "server", "1.0.0", "Removes all keys from the current database.", server::flushdb),
    cmd("flushall", -1, WRITE, NO_KEYS, All, "server", "1.0.0", "Removes all keys from all databases.", server::flushall),
    cmd("info", -1, LOADING | STALE, NO_KEYS, NoLock, "server", "1.0.0", "Returns information and statistics about the server.", server::info),
    cmd("time", 1, LOADING | STALE | FAST, NO_KEYS, NoLock, "server", "2.6.0", "Returns the server time.", server::time),
    cmd("shutdown", -1, ADMIN | NOSCRIPT | LOADING | STALE | NO_MULTI_QUEUE | ALLOW_BUSY, NO_KEYS, NoLock, "server", "1.0.0", "Synchronously saves the database(s) to disk and shuts down the Redis server.", server::shutdown),
    container("config", "server", "2.0.0", "A container for server configuration commands.", CONFIG),
    CommandSpec {
        name: "command",
        arity: -1,
        flags: LOADING | STALE,
        keys: NO_KEYS,
        lock: NoLock,
        group: "server",
        since: "2.8.13",
        summary: "Returns detailed information about all commands.",
        run: server::command,
        subcommands: COMMAND,
        keynum: None,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn should_have_unique_lower_case_names() {
        let mut names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        assert!(names.iter().all(|n| *n == n.to_ascii_lowercase()));
        names.sort();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len());
    }

    #[test]
    fn should_apply_redis_arity_rule() {
        let get = COMMANDS.iter().find(|c| c.name == "get").unwrap();
        assert!(get.arity_ok(2) && !get.arity_ok(1) && !get.arity_ok(3));
        let del = COMMANDS.iter().find(|c| c.name == "del").unwrap();
        assert!(del.arity_ok(2) && del.arity_ok(10) && !del.arity_ok(1));
    }
}
