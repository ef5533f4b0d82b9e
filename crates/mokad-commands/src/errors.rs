//! Redis 7's error texts, in one place, so that they are written once and asserted byte for
//! byte.

use std::borrow::Cow;

use mokad_resp::Reply;

/// `ERR syntax error`.
pub const SYNTAX: Reply = Reply::error("ERR syntax error");
/// Integer argument or value that does not parse or does not fit.
pub const NOT_INTEGER: Reply = Reply::error("ERR value is not an integer or out of range");
/// An integer argument outside Redis's `int` range.
pub const INT_RANGE: Reply = Reply::error("ERR value is out of range, value must between -2147483648 and 2147483647");
/// Float argument or value that does not parse.
pub const NOT_FLOAT: Reply = Reply::error("ERR value is not a valid float");
/// INCR family past i64.
pub const OVERFLOW: Reply = Reply::error("ERR increment or decrement would overflow");
/// INCRBYFLOAT producing NaN or an infinity.
pub const NAN_OR_INFINITY: Reply = Reply::error("ERR increment would produce NaN or Infinity");
/// A command on a key of another type.
pub const WRONGTYPE: Reply = Reply::error("WRONGTYPE Operation against a key holding the wrong kind of value");
/// SELECT, MOVE or COPY with a database that does not exist.
pub const DB_OUT_OF_RANGE: Reply = Reply::error("ERR DB index is out of range");
/// RENAME of a missing key.
pub const NO_SUCH_KEY: Reply = Reply::error("ERR no such key");
/// MOVE or COPY onto itself.
pub const SAME_OBJECT: Reply = Reply::error("ERR source and destination objects are the same");
/// SCAN with a cursor that is not an unsigned integer.
pub const INVALID_CURSOR: Reply = Reply::error("ERR invalid cursor");
/// A string grown past `proto-max-bulk-len`.
pub const STRING_TOO_LONG: Reply = Reply::error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
/// SETRANGE or GETRANGE offset below zero.
pub const OFFSET_OUT_OF_RANGE: Reply = Reply::error("ERR offset is out of range");
/// A write refused under `noeviction` or too large for the budget.
pub const OOM: Reply = Reply::error("OOM command not allowed when used memory > 'maxmemory'.");
/// EXEC without MULTI.
pub const EXEC_WITHOUT_MULTI: Reply = Reply::error("ERR EXEC without MULTI");
/// DISCARD without MULTI.
pub const DISCARD_WITHOUT_MULTI: Reply = Reply::error("ERR DISCARD without MULTI");
/// MULTI inside MULTI.
pub const NESTED_MULTI: Reply = Reply::error("ERR MULTI calls can not be nested");
/// WATCH inside MULTI.
pub const WATCH_IN_MULTI: Reply = Reply::error("ERR WATCH inside MULTI is not allowed");
/// EXEC after a command failed to queue.
pub const EXECABORT: Reply = Reply::error("EXECABORT Transaction discarded because of previous errors.");
/// Expire options that exclude each other.
pub const NX_XX_GT_LT: Reply = Reply::error("ERR NX and XX, GT or LT options at the same time are not compatible");
/// GT with LT.
pub const GT_AND_LT: Reply = Reply::error("ERR GT and LT options at the same time are not compatible");
/// HELLO with a protocol version other than 2 or 3.
pub const NOPROTO: Reply = Reply::error("NOPROTO unsupported protocol version");
/// CLIENT SETNAME with a name Redis refuses.
pub const BAD_CLIENT_NAME: Reply = Reply::error("ERR Client names cannot contain spaces, newlines or special characters.");
/// AUTH with one argument and no password configured.
pub const AUTH_NOT_CONFIGURED: Reply = Reply::error(
    "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
);
/// AUTH with a user that does not exist.
pub const WRONGPASS: Reply = Reply::error("WRONGPASS invalid username-password pair or user is disabled.");
/// HINCRBY on a field whose value is not an integer.
pub const HASH_NOT_INTEGER: Reply = Reply::error("ERR hash value is not an integer");
/// HINCRBYFLOAT on a field whose value is not a number.
pub const HASH_NOT_FLOAT: Reply = Reply::error("ERR hash value is not a float");
/// HINCRBYFLOAT with an infinite increment.
pub const NAN_OR_INFINITY_ARGUMENT: Reply = Reply::error("ERR value is NaN or Infinity");
/// HRANDFIELD or SRANDMEMBER with the count `i64::MIN`.
pub const COUNT_OUT_OF_RANGE: Reply =
    Reply::error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
/// HRANDFIELD WITHVALUES with a count whose doubling overflows (and mokad's refusal of a reply
/// to a negative count too large to build).
pub const OUT_OF_RANGE: Reply = Reply::error("ERR value is out of range");
/// SPOP with a count that is negative or not a number.
pub const MUST_BE_POSITIVE: Reply = Reply::error("ERR value is out of range, must be positive");
/// SINTERCARD with a numkeys below 1 or not a number.
pub const NUMKEYS_NOT_POSITIVE: Reply = Reply::error("ERR numkeys should be greater than 0");
/// SINTERCARD with a numkeys beyond its arguments.
pub const NUMKEYS_TOO_MANY: Reply = Reply::error("ERR Number of keys can't be greater than number of args");
/// SINTERCARD with a LIMIT below 0 or not a number.
pub const LIMIT_NEGATIVE: Reply = Reply::error("ERR LIMIT can't be negative");
/// OBJECT FREQ under a policy that is not LFU.
pub const LFU_NOT_SELECTED: Reply = Reply::error(
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
);
/// OBJECT IDLETIME under an LFU policy.
pub const LFU_SELECTED: Reply = Reply::error(
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
);
/// OBJECT IDLETIME under an LRU policy: mokad's own, as moka keeps no access time per key.
pub const IDLETIME_NOT_TRACKED: Reply =
    Reply::error("ERR idle time not tracked: mokad keeps no access time per key (moka orders keys for eviction internally).");
/// OBJECT FREQ under an LFU policy: mokad's own, as moka's frequency sketch is not readable
/// per key.
pub const FREQ_NOT_TRACKED: Reply = Reply::error(
    "ERR access frequency not tracked: mokad keeps no counter per key (moka's LFU sketch is internal to its eviction).",
);

/// A blocking command's timeout that does not parse as a float.
pub const TIMEOUT_NOT_FLOAT: Reply = Reply::error("ERR timeout is not a float or out of range");
/// A blocking command's timeout below zero (or out of range, as Redis 7.0 converts it).
pub const TIMEOUT_NEGATIVE: Reply = Reply::error("ERR timeout is negative");
/// LSET past either end of the list.
pub const INDEX_OUT_OF_RANGE: Reply = Reply::error("ERR index out of range");
/// LMPOP/BLMPOP/ZMPOP/BZMPOP COUNT below 1 or not an integer.
pub const COUNT_POSITIVE: Reply = Reply::error("ERR count should be greater than 0");
/// The reply of a client that CLIENT UNBLOCK ... ERROR ends.
pub const UNBLOCKED: Reply = Reply::error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
/// CLIENT UNBLOCK with a reason other than TIMEOUT or ERROR.
pub const UNBLOCK_REASON: Reply = Reply::error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
/// LPOS RANK 0.
pub const LPOS_RANK_ZERO: Reply = Reply::error(
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
);
/// LPOS COUNT below zero or not an integer.
pub const LPOS_COUNT_NEGATIVE: Reply = Reply::error("ERR COUNT can't be negative");
/// LPOS MAXLEN below zero or not an integer.
pub const LPOS_MAXLEN_NEGATIVE: Reply = Reply::error("ERR MAXLEN can't be negative");

// Sorted sets.
/// ZADD with both NX and XX.
pub const ZADD_NX_XX: Reply = Reply::error("ERR XX and NX options at the same time are not compatible");
/// ZADD with GT and LT, or either with NX.
pub const ZADD_GT_LT_NX: Reply = Reply::error("ERR GT, LT, and/or NX options at the same time are not compatible");
/// ZADD INCR with more than one score-member pair.
pub const ZADD_INCR_PAIRS: Reply = Reply::error("ERR INCR option supports a single increment-element pair");
/// ZADD INCR or ZINCRBY adding +inf and -inf.
pub const SCORE_NAN: Reply = Reply::error("ERR resulting score is not a number (NaN)");
/// A score range end that does not parse.
pub const MIN_MAX_NOT_FLOAT: Reply = Reply::error("ERR min or max is not a float");
/// A lex range end that is not `-`, `+`, `[member` or `(member`.
pub const MIN_MAX_NOT_LEX: Reply = Reply::error("ERR min or max not valid string range item");
/// ZRANGE LIMIT without BYSCORE or BYLEX.
pub const LIMIT_WITHOUT_BY: Reply =
    Reply::error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
/// ZRANGE BYLEX WITHSCORES.
pub const WITHSCORES_WITH_BYLEX: Reply = Reply::error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
/// A ZUNION/ZINTER weight that does not parse.
pub const WEIGHT_NOT_FLOAT: Reply = Reply::error("ERR weight value is not a float");

/// `ERR at least 1 input key is needed for '<name>' command` (ZUNION, ZINTERSTORE ... with
/// numkeys below 1).
pub fn no_input_keys(name: &str) -> Reply {
    Reply::Error(Cow::Owned(format!("ERR at least 1 input key is needed for '{name}' command")))
}

/// Any command but a few while a script runs past `busy-reply-threshold`.
pub const BUSY: Reply = Reply::error("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
/// SCRIPT KILL with no script running.
pub const NOTBUSY: Reply = Reply::error("NOTBUSY No scripts in execution right now.");
/// SCRIPT KILL of a script that already wrote.
pub const UNKILLABLE: Reply = Reply::error(
    "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.",
);
/// EVALSHA of a script that is not in the cache.
pub const NOSCRIPT: Reply = Reply::error("NOSCRIPT No matching script. Please use EVAL.");
/// EVAL with a negative number of keys.
pub const NUMKEYS_NEGATIVE: Reply = Reply::error("ERR Number of keys can't be negative");
/// SCRIPT FLUSH with a mode other than ASYNC or SYNC.
pub const SCRIPT_FLUSH_MODE: Reply = Reply::error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
/// EVAL_RO of a script whose shebang does not declare `no-writes`.
pub const RO_SCRIPT_MAY_WRITE: Reply = Reply::error("ERR Can not execute a script with write flag using *_ro command.");

/// Errors a script's `redis.call` raises (Redis adds the `ERR ` code).
pub mod script {
    /// A command name the table does not know, or an unknown subcommand.
    pub const UNKNOWN_COMMAND: &str = "Unknown Redis command called from script";
    /// A command with the wrong number of arguments.
    pub const WRONG_ARITY: &str = "Wrong number of args calling Redis command from script";
    /// A command flagged `noscript`.
    pub const NOT_ALLOWED: &str = "This Redis command is not allowed from script";
    /// A write command in EVAL_RO or a `no-writes` script.
    pub const WRITE_IN_READ_ONLY: &str = "Write commands are not allowed from read-only scripts.";
    /// `redis.call()` with no argument.
    pub const NO_ARGUMENTS: &str = "Please specify at least one argument for this redis lib call";
    /// `redis.call` with an argument that is not a string or a number.
    pub const BAD_ARGUMENT: &str = "Lua redis lib command arguments must be strings or integers";
    /// What a killed script's caller gets.
    pub const KILLED: &str = "Script killed by user with SCRIPT KILL...";
    /// A script stopped because the server shuts down.
    pub const SHUTDOWN: &str = "Script aborted: the server is shutting down";
}

/// `ERR wrong number of arguments for '<name>' command`, name in lower case as Redis gives it.
pub fn wrong_arity(name: &str) -> Reply {
    Reply::Error(Cow::Owned(format!("ERR wrong number of arguments for '{}' command", name.to_ascii_lowercase())))
}

/// `ERR invalid expire time in '<command>' command`.
pub fn invalid_expire(command: &str) -> Reply {
    Reply::Error(Cow::Owned(format!("ERR invalid expire time in '{command}' command")))
}

/// Redis's reply to a command name it does not know.
pub fn unknown_command(args: &[bytes::Bytes]) -> Reply {
    let mut rest = String::new();
    for arg in &args[1..] {
        if rest.len() >= 128 {
            break;
        }
        let room = 128 - rest.len();
        let text = String::from_utf8_lossy(arg);
        rest.push('\'');
        rest.push_str(truncate(&text, room));
        rest.push_str("' ");
    }
    let name = String::from_utf8_lossy(&args[0]);
    Reply::Error(Cow::Owned(format!(
        "ERR unknown command '{}', with args beginning with: {}",
        truncate(&name, 128),
        rest
    )))
}

/// Redis's reply to a subcommand of a container command it does not know.
pub fn unknown_subcommand(command: &str, sub: &[u8]) -> Reply {
    let sub = String::from_utf8_lossy(sub);
    Reply::Error(Cow::Owned(format!(
        "ERR unknown subcommand '{}'. Try {} HELP.",
        truncate(&sub, 128),
        command.to_ascii_uppercase()
    )))
}

/// A subcommand given the wrong number of arguments for its own rules (OBJECT HELP x,
/// PUBSUB CHANNELS a b): the subcommand as typed, the command in upper case.
pub fn subcommand_arity(command: &str, sub: &[u8]) -> Reply {
    let sub = String::from_utf8_lossy(sub);
    Reply::Error(Cow::Owned(format!(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
        truncate(&sub, 128),
        command.to_ascii_uppercase()
    )))
}

/// A command other than (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET from a RESP2
/// client with subscriptions; `name` is the full name (`client|info`).
pub fn pubsub_context(name: &str) -> Reply {
    Reply::Error(Cow::Owned(format!(
        "ERR Can't execute '{name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
    )))
}

/// An error reply built at run time.
pub fn err(text: impl Into<String>) -> Reply {
    Reply::Error(Cow::Owned(text.into()))
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
