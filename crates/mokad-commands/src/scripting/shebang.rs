//! The `#!lua flags=...` first line of a Redis 7 script.

use mokad_resp::Reply;

use crate::errors;

/// What a script's shebang declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScriptFlags {
    /// No shebang: Redis's compatibility mode (the script may write, OOM is checked per
    /// command).
    pub compat: bool,
    /// `no-writes`: write commands are refused.
    pub no_writes: bool,
    /// `allow-oom`: commands run even over `maxmemory`.
    pub allow_oom: bool,
}

/// Flags Redis 7.0 knows; `allow-stale`, `no-cluster` and `allow-cross-slot-keys` change
/// nothing on a standalone server without replicas.
const KNOWN: &[&str] = &["no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"];

/// The flags of a script body and the length of its shebang line (the body compiles from the
/// line break on, so that line numbers stay right).
pub fn parse(body: &[u8]) -> Result<(ScriptFlags, usize), Reply> {
    let mut flags = ScriptFlags { compat: true, no_writes: false, allow_oom: false };
    if !body.starts_with(b"#!") {
        return Ok((flags, 0));
    }
    let Some(len) = body.iter().position(|&c| c == b'\n') else {
        return Err(errors::err("ERR Invalid script shebang"));
    };
    let parts = match mokad_resp::split_args(&body[..len]) {
        Some(parts) if !parts.is_empty() => parts,
        _ => return Err(errors::err("ERR Invalid engine in script shebang")),
    };
    if parts[0] != b"#!lua" {
        return Err(errors::err(format!(
            "ERR Unexpected engine in script shebang: {}",
            String::from_utf8_lossy(&parts[0])
        )));
    }
    flags.compat = false;
    for part in &parts[1..] {
        let Some(list) = part.strip_prefix(b"flags=") else {
            return Err(errors::err(format!("ERR Unknown lua shebang option: {}", String::from_utf8_lossy(part))));
        };
        if list.is_empty() {
            continue;
        }
        for flag in list.split(|&c| c == b',') {
            let flag = String::from_utf8_lossy(flag);
            if !KNOWN.contains(&flag.as_ref()) {
                return Err(errors::err(format!("ERR Unexpected flag in script shebang: {flag}")));
            }
            flags.no_writes |= flag == "no-writes";
            flags.allow_oom |= flag == "allow-oom";
        }
    }
    Ok((flags, len))
}


#[cfg(test)]
mod tests {
    use super::*;

    fn error(body: &str) -> String {
        match parse(body.as_bytes()) {
            Err(Reply::Error(text)) => text.into_owned(),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn should_treat_a_body_without_shebang_as_compatible() {
        let (flags, len) = parse(b"return 1").unwrap();
        assert!(flags.compat && !flags.no_writes && len == 0);
    }

    #[test]
    fn should_read_flags_and_keep_the_line_break() {
        let (flags, len) = parse(b"#!lua flags=no-writes,allow-oom\nreturn 1").unwrap();
        assert_eq!(flags, ScriptFlags { compat: false, no_writes: true, allow_oom: true });
        assert_eq!(len, "#!lua flags=no-writes,allow-oom".len());
        assert!(parse(b"#!lua flags=\nreturn 1").is_ok());
        assert!(parse(b"#!lua \"flags=no-writes\"\r\nreturn 1").unwrap().0.no_writes);
    }

    #[test]
    fn should_give_redis_errors_for_bad_shebangs() {
        assert_eq!(error("#!lua"), "ERR Invalid script shebang");
        assert_eq!(error("#!luax\nreturn 1"), "ERR Unexpected engine in script shebang: #!luax");
        assert_eq!(error("#! lua\nreturn 1"), "ERR Unexpected engine in script shebang: #!");
        assert_eq!(error("#!lua flags=bad\nreturn 1"), "ERR Unexpected flag in script shebang: bad");
        assert_eq!(error("#!lua name=foo\nreturn 1"), "ERR Unknown lua shebang option: name=foo");
        assert_eq!(error("#!lua \"flags\n"), "ERR Invalid engine in script shebang");
    }
}
