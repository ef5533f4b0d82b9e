//! Scripting commands: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT. The interpreter and
//! the conversions live in [`crate::scripting`].

use bytes::Bytes;
use mokad_resp::Reply;

use crate::args::is;
use crate::dispatch::Ctx;
use crate::errors;

/// EVAL script numkeys [key ...] [arg ...].
pub(crate) fn eval(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let server = ctx.server;
    server.scripting.eval(ctx, args, false, false)
}

/// EVALSHA sha1 numkeys [key ...] [arg ...].
pub(crate) fn evalsha(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let server = ctx.server;
    server.scripting.eval(ctx, args, true, false)
}

/// EVAL_RO script numkeys [key ...] [arg ...]: write commands are refused.
pub(crate) fn eval_ro(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let server = ctx.server;
    server.scripting.eval(ctx, args, false, true)
}

/// EVALSHA_RO sha1 numkeys [key ...] [arg ...].
pub(crate) fn evalsha_ro(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let server = ctx.server;
    server.scripting.eval(ctx, args, true, true)
}

/// SCRIPT LOAD script: the sha1 of the cached script.
pub(crate) fn script_load(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match ctx.server.scripting.load(&args[2]) {
        Ok(sha) => Reply::bulk(sha),
        Err(reply) => reply,
    }
}

/// SCRIPT EXISTS sha1 [sha1 ...]: 1 or 0 for each.
pub(crate) fn script_exists(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match ctx.server.scripting.exists(&args[2..]) {
        Ok(found) => Reply::Array(found.into_iter().map(|f| Reply::Integer(i64::from(f))).collect()),
        Err(reply) => reply,
    }
}

/// SCRIPT FLUSH [ASYNC | SYNC]: empties the cache and resets the interpreter.
pub(crate) fn script_flush(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let mode_ok = match args {
        [_, _] => true,
        [_, _, mode] => is(mode, "ASYNC") || is(mode, "SYNC"),
        _ => false,
    };
    if !mode_ok {
        return errors::SCRIPT_FLUSH_MODE;
    }
    match ctx.server.scripting.flush() {
        Ok(()) => Reply::OK,
        Err(reply) => reply,
    }
}

/// SCRIPT KILL: stops the script past its busy threshold, unless it wrote.
pub(crate) fn script_kill(ctx: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    ctx.server.scripting.kill()
}

/// SCRIPT DEBUG YES | SYNC | NO: mokad has no Lua debugger; NO is accepted.
pub(crate) fn script_debug(_: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let mode = &args[2];
    if is(mode, "NO") {
        Reply::OK
    } else if is(mode, "YES") || is(mode, "SYNC") {
        errors::err("ERR mokad has no Lua debugger: SCRIPT DEBUG only supports NO")
    } else {
        errors::err("ERR Use SCRIPT DEBUG YES/SYNC/NO")
    }
}

/// SCRIPT HELP, in Redis's words.
pub(crate) fn script_help(_: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    const LINES: &[&str] = &[
        "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        "HELP",
        "    Prints this help.",
    ];
    Reply::Array(LINES.iter().map(|line| Reply::simple(line)).collect())
}
