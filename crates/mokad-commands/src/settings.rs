//! mokad's settings: one typed definition that the binary loads (file, environment, flags) and
//! CONFIG GET / CONFIG SET read and change at run time.

use std::fmt;

use mokad_storage::EvictionPolicy;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Every setting, with Redis's defaults where Redis has the same setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address to listen on.
    pub bind: String,
    /// TCP port to listen on (0 picks a free one).
    pub port: u16,
    /// Number of databases.
    pub databases: usize,
    /// Memory budget; 0 means no limit.
    pub maxmemory: ByteSize,
    /// What happens at the budget.
    #[serde(alias = "maxmemory-policy")]
    pub maxmemory_policy: String,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Largest bulk string a client may send.
    #[serde(alias = "proto-max-bulk-len")]
    pub proto_max_bulk_len: ByteSize,
    /// Largest unparsed input buffered for one client before it is disconnected.
    #[serde(alias = "client-query-buffer-limit")]
    pub client_query_buffer_limit: ByteSize,
    /// Most simultaneous clients.
    pub maxclients: usize,
    /// Close a client idle for this many seconds; 0 never does.
    pub timeout: u64,
    /// Log verbosity: debug, verbose, notice or warning.
    pub loglevel: String,
    /// Pending output allowed per client class before the client is disconnected; mokad
    /// enforces the `pubsub` class (a subscriber that does not read its messages).
    #[serde(alias = "client-output-buffer-limit")]
    pub client_output_buffer_limit: OutputBufferLimits,
    /// Milliseconds a script runs before other clients get BUSY and SCRIPT KILL may stop it;
    /// 0 never flags a script busy (Redis's `busy-reply-threshold`, alias `lua-time-limit`).
    #[serde(alias = "busy-reply-threshold", alias = "lua-time-limit", alias = "lua_time_limit")]
    pub busy_reply_threshold: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            bind: "127.0.0.1".into(),
            port: 6379,
            databases: 16,
            maxmemory: ByteSize(0),
            maxmemory_policy: "allkeys-lru".into(),
            threads: 0,
            proto_max_bulk_len: ByteSize(512 * 1024 * 1024),
            client_query_buffer_limit: ByteSize(1024 * 1024 * 1024),
            maxclients: 10000,
            timeout: 0,
            loglevel: "notice".into(),
            client_output_buffer_limit: OutputBufferLimits::default(),
            busy_reply_threshold: 5000,
        }
    }
}

/// Redis policy names and what mokad does for each. Policies restricted to keys with a TTL
/// (`volatile-*`) and the random ones have no moka equivalent; they map to the nearest.
pub const POLICIES: &[(&str, EvictionPolicy, bool)] = &[
    ("allkeys-lru", EvictionPolicy::AllKeysLru, true),
    ("allkeys-lfu", EvictionPolicy::AllKeysLfu, true),
    ("noeviction", EvictionPolicy::NoEviction, true),
    ("volatile-lru", EvictionPolicy::AllKeysLru, false),
    ("volatile-lfu", EvictionPolicy::AllKeysLfu, false),
    ("volatile-ttl", EvictionPolicy::AllKeysLru, false),
    ("volatile-random", EvictionPolicy::AllKeysLru, false),
    ("allkeys-random", EvictionPolicy::AllKeysLru, false),
];

/// Looks up a policy name: the policy and whether mokad implements it exactly.
pub fn parse_policy(name: &str) -> Option<(EvictionPolicy, bool)> {
    POLICIES.iter().find(|(n, _, _)| n.eq_ignore_ascii_case(name)).map(|&(_, p, exact)| (p, exact))
}

/// Log levels Redis knows.
pub const LOG_LEVELS: &[&str] = &["debug", "verbose", "notice", "warning", "nothing"];

/// A problem with one setting, naming it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid value for '{key}': {reason}")]
pub struct SettingError {
    /// The setting's name.
    pub key: String,
    /// What is wrong.
    pub reason: String,
}

fn bad(key: &str, reason: impl Into<String>) -> SettingError {
    SettingError { key: key.into(), reason: reason.into() }
}

impl Settings {
    /// Checks values serde cannot check by type.
    pub fn validate(&self) -> Result<(), SettingError> {
        if parse_policy(&self.maxmemory_policy).is_none() {
            let names: Vec<&str> = POLICIES.iter().map(|p| p.0).collect();
            return Err(bad("maxmemory_policy", format!("'{}' is not one of {}", self.maxmemory_policy, names.join(", "))));
        }
        if self.databases == 0 || self.databases > 1_000_000 {
            return Err(bad("databases", "must be between 1 and 1000000"));
        }
        if self.proto_max_bulk_len.0 < 1024 {
            return Err(bad("proto_max_bulk_len", "must be at least 1kb"));
        }
        if !LOG_LEVELS.contains(&self.loglevel.as_str()) {
            return Err(bad("loglevel", format!("'{}' is not one of {}", self.loglevel, LOG_LEVELS.join(", "))));
        }
        if self.maxclients == 0 {
            return Err(bad("maxclients", "must be at least 1"));
        }
        Ok(())
    }

    /// The eviction policy in force.
    pub fn policy(&self) -> EvictionPolicy {
        parse_policy(&self.maxmemory_policy).map_or(EvictionPolicy::AllKeysLru, |p| p.0)
    }
}

/// How a parameter appears to CONFIG GET and whether CONFIG SET may change it.
pub struct Parameter {
    /// The Redis name (with dashes).
    pub name: &'static str,
    /// Reads the value as CONFIG GET shows it.
    pub get: fn(&Settings) -> String,
    /// Changes the value at run time; `None` for settings fixed at start-up.
    pub set: Option<fn(&mut Settings, &str) -> Result<(), String>>,
}

/// Why maxmemory and maxmemory-policy can be set only to their current value: moka fixes a
/// cache's capacity and policy when it is built.
const RESTART_TO_CHANGE: &str = "mokad cannot change this at run time yet; restart with the new value";

/// A CONFIG SET memory value, with Redis's error text.
fn memory_value(value: &str) -> Result<u64, String> {
    parse_size(value).ok_or_else(|| "argument must be a memory value".into())
}

/// CONFIG SET busy-reply-threshold (or lua-time-limit), with Redis's error texts.
fn set_busy_reply_threshold(s: &mut Settings, v: &str) -> Result<(), String> {
    let n: i64 = mokad_resp::parse_i64(v.as_bytes()).ok_or("argument couldn't be parsed into an integer")?;
    s.busy_reply_threshold = u64::try_from(n).map_err(|_| "argument must be between 0 and 9223372036854775807 inclusive")?;
    Ok(())
}

/// The parameters CONFIG GET and CONFIG SET know.
pub const PARAMETERS: &[Parameter] = &[
    Parameter { name: "bind", get: |s| s.bind.clone(), set: None },
    Parameter { name: "port", get: |s| s.port.to_string(), set: None },
    Parameter { name: "databases", get: |s| s.databases.to_string(), set: None },
    Parameter {
        name: "maxmemory",
        get: |s| s.maxmemory.0.to_string(),
        set: Some(|s, v| {
            if memory_value(v)? != s.maxmemory.0 {
                return Err(RESTART_TO_CHANGE.into());
            }
            Ok(())
        }),
    },
    Parameter {
        name: "maxmemory-policy",
        get: |s| s.maxmemory_policy.clone(),
        set: Some(|s, v| {
            if parse_policy(v).is_none() {
                return Err("argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction".into());
            }
            if !v.eq_ignore_ascii_case(&s.maxmemory_policy) {
                return Err(RESTART_TO_CHANGE.into());
            }
            Ok(())
        }),
    },
    Parameter { name: "io-threads", get: |s| s.threads.to_string(), set: None },
    Parameter {
        name: "proto-max-bulk-len",
        get: |s| s.proto_max_bulk_len.0.to_string(),
        set: Some(|s, v| {
            let size = memory_value(v)?;
            if size < 1024 {
                return Err("argument must be a memory value".into());
            }
            s.proto_max_bulk_len = ByteSize(size);
            Ok(())
        }),
    },
    Parameter {
        name: "client-query-buffer-limit",
        get: |s| s.client_query_buffer_limit.0.to_string(),
        set: Some(|s, v| {
            s.client_query_buffer_limit = ByteSize(memory_value(v)?);
            Ok(())
        }),
    },
    Parameter {
        name: "maxclients",
        get: |s| s.maxclients.to_string(),
        set: Some(|s, v| {
            s.maxclients = v.parse().ok().filter(|&n| n > 0).ok_or("argument couldn't be parsed into an integer")?;
            Ok(())
        }),
    },
    Parameter {
        name: "timeout",
        get: |s| s.timeout.to_string(),
        set: Some(|s, v| {
            s.timeout = v.parse().map_err(|_| "argument couldn't be parsed into an integer")?;
            Ok(())
        }),
    },
    Parameter { name: "loglevel", get: |s| s.loglevel.clone(), set: None },
    Parameter {
        name: "client-output-buffer-limit",
        get: |s| s.client_output_buffer_limit.to_string(),
        set: Some(|s, v| s.client_output_buffer_limit.apply(v)),
    },
    Parameter { name: "busy-reply-threshold", get: |s| s.busy_reply_threshold.to_string(), set: Some(set_busy_reply_threshold) },
    Parameter { name: "lua-time-limit", get: |s| s.busy_reply_threshold.to_string(), set: Some(set_busy_reply_threshold) },
    // mokad keeps nothing on disk: these answer truthfully for tools that ask.
    Parameter { name: "save", get: |_| String::new(), set: None },
    Parameter { name: "appendonly", get: |_| "no".into(), set: None },
];

/// One client class's output buffer limit: a client is disconnected once its pending output
/// passes `hard` bytes, or stays past `soft` bytes for more than `soft_seconds`. 0 disables a
/// limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutputLimit {
    /// Bytes past which the client is disconnected at once.
    pub hard: u64,
    /// Bytes past which the client is disconnected if it stays there.
    pub soft: u64,
    /// How long the soft limit may be exceeded.
    pub soft_seconds: u64,
}

/// Redis's `client-output-buffer-limit`: one [`OutputLimit`] per client class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputBufferLimits {
    /// Ordinary clients (Redis's default: no limit).
    pub normal: OutputLimit,
    /// Replicas (kept for CONFIG GET; mokad has none).
    pub replica: OutputLimit,
    /// Clients subscribed to a channel or pattern.
    pub pubsub: OutputLimit,
}

impl Default for OutputBufferLimits {
    /// Redis's defaults: `normal 0 0 0 slave 256mb 64mb 60 pubsub 32mb 8mb 60`.
    fn default() -> Self {
        OutputBufferLimits {
            normal: OutputLimit::default(),
            replica: OutputLimit { hard: 256 << 20, soft: 64 << 20, soft_seconds: 60 },
            pubsub: OutputLimit { hard: 32 << 20, soft: 8 << 20, soft_seconds: 60 },
        }
    }
}

impl OutputBufferLimits {
    /// Applies `<class> <hard> <soft> <seconds>` groups, all or none, with Redis's errors;
    /// classes not named keep their limits.
    pub fn apply(&mut self, text: &str) -> Result<(), String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.len() % 4 != 0 {
            return Err("Wrong number of arguments in buffer limit configuration.".into());
        }
        let mut next = *self;
        for group in words.chunks(4) {
            let class = match group[0].to_ascii_lowercase().as_str() {
                "normal" => &mut next.normal,
                "slave" | "replica" => &mut next.replica,
                "pubsub" => &mut next.pubsub,
                _ => return Err("Invalid client class specified in buffer limit configuration.".into()),
            };
            let value = |word: &str| {
                parse_size(word).ok_or_else(|| "Error in hard, soft or soft_seconds setting in buffer limit configuration.".to_string())
            };
            *class = OutputLimit { hard: value(group[1])?, soft: value(group[2])?, soft_seconds: value(group[3])? };
        }
        *self = next;
        Ok(())
    }
}

impl fmt::Display for OutputBufferLimits {
    /// As CONFIG GET shows it: `normal 0 0 0 slave 268435456 67108864 60 pubsub ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let classes = [("normal", self.normal), ("slave", self.replica), ("pubsub", self.pubsub)];
        for (i, (name, l)) in classes.iter().enumerate() {
            let sep = if i == 0 { "" } else { " " };
            write!(f, "{sep}{name} {} {} {}", l.hard, l.soft, l.soft_seconds)?;
        }
        Ok(())
    }
}

impl Serialize for OutputBufferLimits {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for OutputBufferLimits {
    /// Redis's syntax, applied over the defaults: `"pubsub 32mb 8mb 60"`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let mut limits = OutputBufferLimits::default();
        limits.apply(&text).map_err(serde::de::Error::custom)?;
        Ok(limits)
    }
}

/// A size in bytes that also reads Redis's units: `100mb`, `1gb`, `64k` (k, m, g are powers of
/// 1000; kb, mb, gb are powers of 1024), case-insensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct ByteSize(pub u64);

/// Parses a size with Redis's units (`memtoull`).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    let split = lower.find(|c: char| !c.is_ascii_digit()).unwrap_or(lower.len());
    let (digits, unit) = lower.split_at(split);
    if digits.is_empty() {
        return None;
    }
    let multiplier: u64 = match unit {
        "" | "b" => 1,
        "k" => 1000,
        "kb" => 1024,
        "m" => 1000 * 1000,
        "mb" => 1024 * 1024,
        "g" => 1000 * 1000 * 1000,
        "gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    digits.parse::<u64>().ok()?.checked_mul(multiplier)
}

impl fmt::Display for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for ByteSize {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ByteSize;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a size in bytes, or a string like \"100mb\" or \"1gb\"")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ByteSize, E> {
                Ok(ByteSize(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ByteSize, E> {
                u64::try_from(v).map(ByteSize).map_err(|_| E::custom("a size cannot be negative"))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ByteSize, E> {
                parse_size(v).map(ByteSize).ok_or_else(|| E::custom(format!("'{v}' is not a size (use bytes or units like 100mb, 1gb)")))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn should_parse_sizes_with_redis_units() {
        assert_eq!(parse_size("0"), Some(0));
        assert_eq!(parse_size("100mb"), Some(100 << 20));
        assert_eq!(parse_size("1GB"), Some(1 << 30));
        assert_eq!(parse_size("1g"), Some(1_000_000_000));
        assert_eq!(parse_size("64k"), Some(64_000));
        assert_eq!(parse_size("12xb"), None);
        assert_eq!(parse_size("mb"), None);
        assert_eq!(parse_size("-1"), None);
    }

    #[test]
    fn should_read_and_show_output_buffer_limits_like_redis() {
        let mut limits = OutputBufferLimits::default();
        assert_eq!(limits.to_string(), "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
        limits.apply("PUBSUB 1mb 512kb 10 replica 1 2 3").unwrap();
        assert_eq!(limits.to_string(), "normal 0 0 0 slave 1 2 3 pubsub 1048576 524288 10");
        let before = limits;
        assert!(limits.apply("pubsub 1 1").unwrap_err().starts_with("Wrong number"));
        assert!(limits.apply("pubsub 1 1 1 master 1 1 1").unwrap_err().starts_with("Invalid client class"));
        assert!(limits.apply("normal 1 1 1 pubsub 1 1 -1").unwrap_err().starts_with("Error in hard"));
        assert_eq!(limits, before, "a failed change changes nothing");
        limits.apply("").unwrap();
        assert_eq!(limits, before);
    }

    #[test]
    fn should_reject_unknown_policies_naming_the_key() {
        let s = Settings { maxmemory_policy: "lol".into(), ..Settings::default() };
        assert_eq!(s.validate().unwrap_err().key, "maxmemory_policy");
        assert!(Settings::default().validate().is_ok());
    }
}
