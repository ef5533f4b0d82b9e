//! Connection commands: PING, ECHO, SELECT, QUIT, RESET, HELLO, AUTH and CLIENT.

use std::sync::atomic::Ordering;

use bytes::Bytes;
use mokad_resp::{Protocol, Reply};

use crate::args::{is, parse_int};
use crate::dispatch::Ctx;
use crate::errors;
use crate::server::ReplyMode;

/// The Redis version mokad reports, so that clients' version checks pass.
pub const REDIS_VERSION: &str = "7.2.4";

/// PING [message]. A RESP2 subscriber gets `["pong", message]`, an array it can tell apart
/// from a published message.
pub(crate) fn ping(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    if args.len() > 2 {
        return errors::wrong_arity("ping");
    }
    if ctx.session.protocol == Protocol::Resp2 && !ctx.session.subscriptions.is_empty() {
        let message = args.get(1).cloned().unwrap_or_default();
        return Reply::Array(vec![Reply::bulk("pong"), Reply::Bulk(message)]);
    }
    match args {
        [_, message] => Reply::Bulk(message.clone()),
        _ => Reply::simple("PONG"),
    }
}

/// ECHO message.
pub(crate) fn echo(_: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    Reply::Bulk(args[1].clone())
}

/// SELECT index.
pub(crate) fn select(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let db = match parse_int(&args[1]) {
        Ok(n) if n < i64::from(i32::MIN) || n > i64::from(i32::MAX) => return errors::INT_RANGE,
        Ok(n) => n,
        Err(reply) => return reply,
    };
    if db < 0 || db as usize >= ctx.server.storage.databases() {
        return errors::DB_OUT_OF_RANGE;
    }
    ctx.session.select(db as usize);
    Reply::OK
}

/// QUIT: replies OK and closes the connection.
pub(crate) fn quit(ctx: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    ctx.session.close = true;
    Reply::OK
}

/// RESET: back to a fresh connection's state, subscriptions dropped silently (messages already
/// queued for the connection still go out, before the reply).
pub(crate) fn reset(ctx: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    let mut queued = ctx.server.pubsub.unsubscribe_all(ctx.session);
    let session = &mut *ctx.session;
    session.multi = None;
    session.client.multi_len.store(0, Ordering::Relaxed);
    session.unwatch_all(&ctx.server.storage);
    session.select(0);
    session.set_protocol(Protocol::Resp2);
    session.reply_mode = ReplyMode::On;
    session.skip_next = false;
    session.skip_current = false;
    *session.client.name.lock() = None;
    session.client.no_evict.store(false, Ordering::Relaxed);
    session.client.no_touch.store(false, Ordering::Relaxed);
    if queued.is_empty() {
        return Reply::simple("RESET");
    }
    queued.push(Reply::simple("RESET"));
    Reply::Sequence(queued)
}

/// Checks a password for `user`. There is one user, `default`, with no password, as in a
/// Redis without `requirepass`: any password is accepted for it.
fn authenticate(user: &[u8]) -> Result<(), Reply> {
    if user == b"default" {
        Ok(())
    } else {
        Err(errors::WRONGPASS)
    }
}

/// AUTH [username] password.
pub(crate) fn auth(_: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    match args.len() {
        2 => errors::AUTH_NOT_CONFIGURED,
        3 => authenticate(&args[1]).map_or_else(|e| e, |_| Reply::OK),
        _ => errors::SYNTAX,
    }
}

/// HELLO [protover [AUTH username password] [SETNAME clientname]].
pub(crate) fn hello(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let mut protocol = ctx.session.protocol;
    let mut i = 1;
    if let Some(version) = args.get(1) {
        protocol = match parse_int(version) {
            Ok(2) => Protocol::Resp2,
            Ok(3) => Protocol::Resp3,
            Ok(_) => return errors::NOPROTO,
            Err(_) => return errors::err("ERR Protocol version is not an integer or out of range"),
        };
        i = 2;
    }
    let mut name = None;
    let mut user = None;
    while i < args.len() {
        let more = args.len() - 1 - i;
        if is(&args[i], "AUTH") && more >= 2 {
            user = Some(&args[i + 1]);
            i += 3;
        } else if is(&args[i], "SETNAME") && more >= 1 {
            name = Some(&args[i + 1]);
            i += 2;
        } else {
            return errors::err(format!("ERR Syntax error in HELLO option '{}'", String::from_utf8_lossy(&args[i])));
        }
    }
    if let Some(user) = user {
        if let Err(reply) = authenticate(user) {
            return reply;
        }
    }
    if let Some(name) = name {
        if let Err(reply) = set_name(ctx, name) {
            return reply;
        }
    }
    ctx.session.set_protocol(protocol);
    let proto = if protocol == Protocol::Resp3 { 3 } else { 2 };
    Reply::Map(vec![
        (Reply::bulk("server"), Reply::bulk("redis")),
        (Reply::bulk("version"), Reply::bulk(REDIS_VERSION)),
        (Reply::bulk("proto"), Reply::Integer(proto)),
        (Reply::bulk("id"), Reply::Integer(ctx.session.client.id as i64)),
        (Reply::bulk("mode"), Reply::bulk("standalone")),
        (Reply::bulk("role"), Reply::bulk("master")),
        (Reply::bulk("modules"), Reply::Array(vec![])),
    ])
}

/// Whether every byte is printable and not a space, as Redis requires of names.
fn printable(value: &[u8]) -> bool {
    value.iter().all(|&c| (b'!'..=b'~').contains(&c))
}

fn set_name(ctx: &Ctx<'_>, name: &Bytes) -> Result<(), Reply> {
    if !printable(name) {
        return Err(errors::BAD_CLIENT_NAME);
    }
    *ctx.session.client.name.lock() = if name.is_empty() { None } else { Some(name.clone()) };
    Ok(())
}

/// CLIENT ID.
pub(crate) fn client_id(ctx: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    Reply::Integer(ctx.session.client.id as i64)
}

/// CLIENT SETNAME name.
pub(crate) fn client_setname(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    set_name(ctx, &args[2]).map_or_else(|e| e, |_| Reply::OK)
}

/// CLIENT GETNAME.
pub(crate) fn client_getname(ctx: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    ctx.session.client.name.lock().clone().map_or(Reply::Null, Reply::Bulk)
}

/// CLIENT SETINFO LIB-NAME name | LIB-VER version.
pub(crate) fn client_setinfo(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let (attr, value) = (&args[2], &args[3]);
    let slot = if is(attr, "LIB-NAME") {
        &ctx.session.client.lib_name
    } else if is(attr, "LIB-VER") {
        &ctx.session.client.lib_ver
    } else {
        return errors::err(format!("ERR Unrecognized option '{}'", String::from_utf8_lossy(attr)));
    };
    if !printable(value) {
        return errors::err(format!(
            "ERR {} cannot contain spaces, newlines or special characters.",
            String::from_utf8_lossy(attr).to_ascii_lowercase()
        ));
    }
    *slot.lock() = if value.is_empty() { None } else { Some(String::from_utf8_lossy(value).into_owned()) };
    Reply::OK
}

fn text_reply(text: String) -> Reply {
    Reply::Verbatim("txt", Bytes::from(text))
}

/// CLIENT INFO: this connection's CLIENT LIST line.
pub(crate) fn client_info(ctx: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    text_reply(format!("{}\n", ctx.session.client.describe()))
}

/// CLIENT LIST [TYPE normal|master|replica|pubsub] [ID client-id ...].
pub(crate) fn client_list(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let mut ids: Option<Vec<u64>> = None;
    // TYPE pubsub (true) or normal (false): a client with subscriptions is a pubsub client.
    let mut pubsub_type: Option<bool> = None;
    if args.len() > 2 {
        if is(&args[2], "TYPE") && args.len() == 4 {
            let t = &args[3];
            if is(t, "master") || is(t, "replica") || is(t, "slave") {
                // mokad has no replication.
                return text_reply(String::new());
            } else if is(t, "pubsub") {
                pubsub_type = Some(true);
            } else if is(t, "normal") {
                pubsub_type = Some(false);
            } else {
                return errors::err(format!("ERR Unknown client type '{}'", String::from_utf8_lossy(t)));
            }
        } else if is(&args[2], "ID") && args.len() > 3 {
            let mut wanted = Vec::new();
            for arg in &args[3..] {
                match parse_int(arg) {
                    Ok(id) if id > 0 => wanted.push(id as u64),
                    _ => return errors::err("ERR Invalid client ID"),
                }
            }
            ids = Some(wanted);
        } else {
            return errors::SYNTAX;
        }
    }
    let mut out = String::new();
    for client in ctx.server.clients.all() {
        if ids.as_ref().is_none_or(|ids| ids.contains(&client.id))
            && pubsub_type.is_none_or(|pubsub| client.mailbox.subscribed() == pubsub)
        {
            out.push_str(&client.describe());
            out.push('\n');
        }
    }
    text_reply(out)
}

/// CLIENT KILL ip:port | CLIENT KILL [ID id] [ADDR ip:port] [LADDR ip:port] [USER name]
/// [SKIPME yes|no] [TYPE type] [MAXAGE seconds].
pub(crate) fn client_kill(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let clients = ctx.server.clients.all();
    if args.len() == 3 {
        let addr = String::from_utf8_lossy(&args[2]);
        return match clients.iter().find(|c| c.addr == addr) {
            Some(client) => {
                client.killed.raise();
                Reply::OK
            }
            None => errors::err("ERR No such client"),
        };
    }
    let mut id = None;
    let mut addr = None;
    let mut laddr = None;
    let mut user = None;
    let mut skip_me = true;
    let mut max_age = None;
    // TYPE: None matches every client, else pubsub (true) or normal (false).
    let mut pubsub_type: Option<bool> = None;
    let mut replica_type = false;
    let mut i = 2;
    while i < args.len() {
        let (opt, value) = match args.get(i + 1) {
            Some(v) => (&args[i], v),
            None => return errors::SYNTAX,
        };
        if is(opt, "ID") {
            match parse_int(value) {
                Ok(n) if n > 0 => id = Some(n as u64),
                _ => return errors::err("ERR client-id should be greater than 0"),
            }
        } else if is(opt, "ADDR") {
            addr = Some(String::from_utf8_lossy(value).into_owned());
        } else if is(opt, "LADDR") {
            laddr = Some(String::from_utf8_lossy(value).into_owned());
        } else if is(opt, "USER") {
            user = Some(value.clone());
        } else if is(opt, "SKIPME") {
            if is(value, "yes") {
                skip_me = true;
            } else if is(value, "no") {
                skip_me = false;
            } else {
                return errors::SYNTAX;
            }
        } else if is(opt, "TYPE") {
            if is(value, "normal") {
                pubsub_type = Some(false);
            } else if is(value, "pubsub") {
                pubsub_type = Some(true);
            } else if ["master", "replica", "slave"].iter().any(|t| is(value, t)) {
                replica_type = true;
            } else {
                return errors::err(format!("ERR Unknown client type '{}'", String::from_utf8_lossy(value)));
            }
        } else if is(opt, "MAXAGE") {
            match parse_int(value) {
                Ok(n) => max_age = Some(n),
                Err(reply) => return reply,
            }
        } else {
            return errors::SYNTAX;
        }
        i += 2;
    }
    let me = ctx.session.client.id;
    let mut killed = 0;
    for client in clients {
        let matches = !replica_type
            && pubsub_type.is_none_or(|pubsub| client.mailbox.subscribed() == pubsub)
            && id.is_none_or(|id| client.id == id)
            && addr.as_ref().is_none_or(|a| &client.addr == a)
            && laddr.as_ref().is_none_or(|a| &client.laddr == a)
            && user.as_ref().is_none_or(|u| u.as_ref() == b"default")
            && max_age.is_none_or(|age| client.created.elapsed().as_secs() as i64 >= age)
            && !(skip_me && client.id == me);
        if matches {
            client.killed.raise();
            killed += 1;
        }
    }
    Reply::Integer(killed)
}

fn on_off(ctx: &Ctx<'_>, arg: &[u8], flag: &std::sync::atomic::AtomicBool) -> Reply {
    let _ = ctx;
    if is(arg, "ON") {
        flag.store(true, Ordering::Relaxed);
    } else if is(arg, "OFF") {
        flag.store(false, Ordering::Relaxed);
    } else {
        return errors::SYNTAX;
    }
    Reply::OK
}

/// CLIENT NO-EVICT ON|OFF (accepted; moka's eviction does not distinguish clients).
pub(crate) fn client_no_evict(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let client = ctx.session.client.clone();
    on_off(ctx, &args[2], &client.no_evict)
}

/// CLIENT NO-TOUCH ON|OFF (accepted; recorded for CLIENT LIST).
pub(crate) fn client_no_touch(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let client = ctx.session.client.clone();
    on_off(ctx, &args[2], &client.no_touch)
}

/// CLIENT REPLY ON|OFF|SKIP.
pub(crate) fn client_reply(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    let arg = &args[2];
    let session = &mut *ctx.session;
    if is(arg, "ON") {
        session.reply_mode = ReplyMode::On;
        session.skip_next = false;
        session.skip_current = false;
        Reply::OK
    } else if is(arg, "OFF") {
        session.reply_mode = ReplyMode::Off;
        Reply::OK
    } else if is(arg, "SKIP") {
        if session.reply_mode != ReplyMode::Off {
            session.skip_next = true;
        }
        // Like OFF, SKIP itself gets no reply.
        session.drop_reply = true;
        Reply::OK
    } else {
        errors::SYNTAX
    }
}

/// CLIENT UNBLOCK: ends another client's blocking command as if it timed out (or with the
/// UNBLOCKED error); 1 if that client was blocked, else 0.
///
/// # Format
/// `CLIENT UNBLOCK client-id [TIMEOUT | ERROR]`
pub(crate) fn client_unblock(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    if args.len() > 4 {
        return errors::subcommand_arity("client", &args[1]);
    }
    let id = match parse_int(&args[2]) {
        Ok(id) => id,
        Err(reply) => return reply,
    };
    let error = match args.get(3) {
        None => false,
        Some(reason) if is(reason, "TIMEOUT") => false,
        Some(reason) if is(reason, "ERROR") => true,
        Some(_) => return errors::UNBLOCK_REASON,
    };
    let target = ctx.server.clients.all().into_iter().find(|c| c.id as i64 == id);
    match target {
        Some(client) if client.blocked.load(Ordering::SeqCst) => {
            client.unblock.request(error);
            Reply::Integer(1)
        }
        _ => Reply::Integer(0),
    }
}

/// CLIENT GETREDIR: -1, there is no client-side caching redirection.
pub(crate) fn client_getredir(_: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    Reply::Integer(-1)
}
