//! Loading the settings: defaults in code, then the TOML file, then `MOKAD_*` environment
//! variables, then command-line flags, each overriding the one before.

use std::collections::HashMap;
use std::path::PathBuf;

use config::{Config, Environment, File, FileFormat};
use mokad_commands::settings::{parse_policy, Settings};

/// What the command line asked for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cli {
    /// The configuration file, if one was named.
    pub config_file: Option<PathBuf>,
    /// Settings given as `--key value`, keys in snake_case.
    pub overrides: Vec<(String, String)>,
    /// Print the effective settings as TOML and exit.
    pub print_config: bool,
    /// Print usage and exit.
    pub help: bool,
    /// Print the version and exit.
    pub version: bool,
}

/// Usage text for `--help`.
pub const USAGE: &str = "\
Usage: mokad [CONFIG_FILE] [--<setting> <value> ...] [--print-config]

Starts mokad, a Redis-compatible cache server. Settings come from the defaults, then
CONFIG_FILE (TOML, see config/mokad.toml), then MOKAD_<SETTING> environment variables,
then flags. Every setting can be given as a flag, with dashes or underscores:

  mokad --port 7000 --bind 127.0.0.1 --maxmemory 100mb --maxmemory-policy allkeys-lru

Settings: bind, port, databases, maxmemory, maxmemory-policy, threads, proto-max-bulk-len,
client-query-buffer-limit, maxclients, timeout, loglevel, client-output-buffer-limit,
busy-reply-threshold (alias lua-time-limit).

  --print-config   print the effective settings as TOML and exit
  -h, --help       print this help
  -v, --version    print the version";

/// A problem with the command line or the settings; the message names the offending key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Bad command line.
    #[error("{0}")]
    Usage(String),
    /// The config crate could not load or type a value.
    #[error("{0}")]
    Load(#[from] config::ConfigError),
    /// A value failed validation.
    #[error("{0}")]
    Invalid(#[from] mokad_commands::settings::SettingError),
}

/// The names of every setting, in snake_case.
pub fn setting_names() -> Vec<String> {
    match toml::Value::try_from(Settings::default()) {
        Ok(toml::Value::Table(table)) => table.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Redis's other names for a setting.
const ALIASES: &[(&str, &str)] = &[("lua_time_limit", "busy_reply_threshold")];

fn canonical(name: &str) -> String {
    let name = name.replace('-', "_").to_ascii_lowercase();
    match ALIASES.iter().find(|(alias, _)| *alias == name) {
        Some((_, setting)) => setting.to_string(),
        None => name,
    }
}

/// Parses the command line the way redis-server does: an optional file, then `--key value`.
pub fn parse_cli(args: impl IntoIterator<Item = String>) -> Result<Cli, ConfigError> {
    let known = setting_names();
    let mut cli = Cli::default();
    let mut args = args.into_iter().peekable();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--print-config" => cli.print_config = true,
            "-h" | "--help" => cli.help = true,
            "-v" | "--version" => cli.version = true,
            flag if flag.starts_with("--") => {
                let key = canonical(&flag[2..]);
                if !known.contains(&key) {
                    return Err(ConfigError::Usage(format!("unknown option '{flag}' (see --help)")));
                }
                let value = args.next().ok_or_else(|| ConfigError::Usage(format!("option '{flag}' needs a value")))?;
                cli.overrides.push((key, value));
            }
            path if cli.config_file.is_none() && !path.starts_with('-') => cli.config_file = Some(PathBuf::from(path)),
            other => return Err(ConfigError::Usage(format!("unexpected argument '{other}' (see --help)"))),
        }
    }
    Ok(cli)
}

/// Environment variables that set a known setting (`MOKAD_PORT`, `MOKAD_MAXMEMORY_POLICY`),
/// and the names of `MOKAD_*` variables that match none.
pub fn settings_from_env(vars: impl IntoIterator<Item = (String, String)>) -> (HashMap<String, String>, Vec<String>) {
    let known = setting_names();
    let mut found = HashMap::new();
    let mut unknown = Vec::new();
    for (name, value) in vars {
        let Some(rest) = name.strip_prefix("MOKAD_") else { continue };
        if known.contains(&rest.to_ascii_lowercase()) {
            found.insert(name, value);
        } else {
            unknown.push(name);
        }
    }
    (found, unknown)
}

/// Builds the effective settings from the layers.
pub fn load(cli: &Cli, env: HashMap<String, String>) -> Result<Settings, ConfigError> {
    let mut builder = Config::builder().add_source(Config::try_from(&Settings::default())?);
    if let Some(path) = &cli.config_file {
        builder = builder.add_source(File::from_str(&canonical_file(path)?, FileFormat::Toml));
    }
    builder = builder.add_source(Environment::with_prefix("MOKAD").prefix_separator("_").source(Some(env)));
    for (key, value) in &cli.overrides {
        builder = builder.set_override(key.as_str(), value.as_str())?;
    }
    let settings: Settings = builder.build()?.try_deserialize()?;
    settings.validate()?;
    Ok(Settings { maxmemory_policy: settings.maxmemory_policy.to_ascii_lowercase(), ..settings })
}

/// The TOML file at `path` with its keys in snake_case, so that a file may spell them as
/// redis.conf does (`maxmemory-policy`) as well as in snake_case: the defaults layer already
/// holds the snake_case name, and the config crate would see a dashed one as a second field.
fn canonical_file(path: &std::path::Path) -> Result<String, ConfigError> {
    let named = |e: &dyn std::fmt::Display| ConfigError::Usage(format!("{}: {e}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| named(&e))?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| named(&e))?;
    let mut canonical_table = toml::Table::new();
    for (key, value) in table {
        let name = canonical(&key);
        if canonical_table.insert(name.clone(), value).is_some() {
            return Err(named(&format!("'{key}' is given twice (as {name} and with dashes)")));
        }
    }
    toml::to_string(&canonical_table).map_err(|e| named(&e))
}

/// Whether the configured policy is one mokad implements exactly (others map to the nearest).
pub fn policy_is_exact(settings: &Settings) -> bool {
    parse_policy(&settings.maxmemory_policy).is_some_and(|(_, exact)| exact)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(args: &[&str]) -> Result<Cli, ConfigError> {
        parse_cli(args.iter().map(|s| s.to_string()))
    }

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn should_take_flags_with_dashes_like_redis_server() {
        let c = cli(&["mokad.toml", "--port", "7000", "--maxmemory-policy", "allkeys-lfu"]).unwrap();
        assert_eq!(c.config_file, Some(PathBuf::from("mokad.toml")));
        assert_eq!(c.overrides, vec![("port".into(), "7000".into()), ("maxmemory_policy".into(), "allkeys-lfu".into())]);
    }

    #[test]
    fn should_reject_unknown_flags_by_name() {
        let e = cli(&["--prot", "7000"]).unwrap_err().to_string();
        assert!(e.contains("--prot"), "{e}");
    }

    #[test]
    fn should_let_flags_beat_env_and_env_beat_defaults() {
        let c = cli(&["--port", "7002", "--maxmemory", "100mb"]).unwrap();
        let s = load(&c, env(&[("MOKAD_PORT", "7001"), ("MOKAD_DATABASES", "4")])).unwrap();
        assert_eq!((s.port, s.databases, s.maxmemory.0), (7002, 4, 100 << 20));
    }

    #[test]
    fn should_read_sizes_and_policy_from_env() {
        let s = load(&Cli::default(), env(&[("MOKAD_MAXMEMORY", "1gb"), ("MOKAD_MAXMEMORY_POLICY", "NOEVICTION")])).unwrap();
        assert_eq!(s.maxmemory.0, 1 << 30);
        assert_eq!(s.maxmemory_policy, "noeviction");
    }

    #[test]
    fn should_name_the_key_of_a_bad_value() {
        let e = load(&cli(&["--maxmemory", "12xb"]).unwrap(), HashMap::new()).unwrap_err().to_string();
        assert!(e.contains("maxmemory"), "{e}");
        let e = load(&cli(&["--port", "99999"]).unwrap(), HashMap::new()).unwrap_err().to_string();
        assert!(e.contains("port"), "{e}");
        let e = load(&cli(&["--maxmemory-policy", "random"]).unwrap(), HashMap::new()).unwrap_err().to_string();
        assert!(e.contains("maxmemory_policy"), "{e}");
    }

    #[test]
    fn should_split_known_and_unknown_env_vars() {
        let (found, unknown) = settings_from_env(vec![
            ("MOKAD_PORT".to_string(), "1".to_string()),
            ("MOKAD_BIN".to_string(), "x".to_string()),
            ("PATH".to_string(), "/bin".to_string()),
        ]);
        assert_eq!(found.len(), 1);
        assert_eq!(unknown, vec!["MOKAD_BIN".to_string()]);
    }

    #[test]
    fn should_load_the_shipped_config_file() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/mokad.toml");
        let c = Cli { config_file: Some(PathBuf::from(path)), ..Cli::default() };
        let s = load(&c, HashMap::new()).unwrap();
        assert_eq!(s, Settings::default(), "the shipped file documents the defaults");
    }

    #[test]
    fn should_reject_unknown_keys_in_the_file() {
        let dir = std::env::temp_dir().join(format!("mokad-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.toml");
        std::fs::write(&path, "port = 7000\nmaxmemroy = \"1gb\"\n").unwrap();
        let c = Cli { config_file: Some(path), ..Cli::default() };
        let e = load(&c, HashMap::new()).unwrap_err().to_string();
        assert!(e.contains("maxmemroy"), "{e}");
    }

    #[test]
    fn should_read_dashed_keys_in_the_file_like_redis_conf() {
        let dir = std::env::temp_dir().join(format!("mokad-config-dashes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("dashed.toml");
        std::fs::write(&path, "maxmemory-policy = \"allkeys-lfu\"\nproto-max-bulk-len = \"1mb\"\n").unwrap();
        let c = Cli { config_file: Some(path.clone()), ..Cli::default() };
        let s = load(&c, HashMap::new()).unwrap();
        assert_eq!((s.maxmemory_policy.as_str(), s.proto_max_bulk_len.0), ("allkeys-lfu", 1 << 20));
        std::fs::write(&path, "maxmemory-policy = \"allkeys-lfu\"\nmaxmemory_policy = \"noeviction\"\n").unwrap();
        let e = load(&Cli { config_file: Some(path), ..Cli::default() }, HashMap::new()).unwrap_err().to_string();
        assert!(e.contains("twice"), "{e}");
    }
}
