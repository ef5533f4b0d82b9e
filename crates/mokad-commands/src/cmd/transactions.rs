//! MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//!
//! EXEC runs the queue holding the exclusive lock of the session's database (of every database
//! when the queue switches or crosses databases), so no other client's command interleaves.

use std::sync::atomic::Ordering;

use bytes::Bytes;
use mokad_resp::Reply;

use crate::dispatch::{hold, resolve, run, Ctx};
use crate::errors;
use crate::server::Multi;
use crate::table::Lock;

/// MULTI.
pub(crate) fn multi(ctx: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    if ctx.session.multi.is_some() {
        return errors::NESTED_MULTI;
    }
    ctx.session.multi = Some(Multi::default());
    ctx.session.client.multi_len.store(1, Ordering::Relaxed);
    Reply::OK
}

/// DISCARD.
pub(crate) fn discard(ctx: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    if ctx.session.multi.take().is_none() {
        return errors::DISCARD_WITHOUT_MULTI;
    }
    ctx.session.client.multi_len.store(0, Ordering::Relaxed);
    ctx.session.unwatch_all(&ctx.server.storage);
    Reply::OK
}

/// Whether a watched key changed: written, deleted, flushed, or expired since WATCH.
fn watch_broken(ctx: &Ctx<'_>) -> bool {
    ctx.session.watch_flag.is_dirty()
        || ctx.session.watched.iter().any(|(db, key, existed)| *existed && !ctx.server.storage.exists(*db, key))
}

/// EXEC: the replies of the queued commands, nil if a watched key changed, EXECABORT if a
/// command failed to queue.
pub(crate) fn exec(ctx: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    let Some(multi) = ctx.session.multi.take() else { return errors::EXEC_WITHOUT_MULTI };
    // Until EXEC returns, CLIENT INFO shows the transaction open with its queue (`flags=x
    // multi=N`), as Redis does, also to a CLIENT INFO inside the queue.
    let close = |ctx: &mut Ctx<'_>| ctx.session.client.multi_len.store(0, Ordering::Relaxed);
    let server = ctx.server;
    if multi.failed {
        close(ctx);
        ctx.session.unwatch_all(&server.storage);
        return errors::EXECABORT;
    }
    let specs: Vec<_> = multi.queue.iter().map(|request| resolve(request).expect("validated when queued")).collect();
    let lock = if specs.iter().any(|s| s.lock == Lock::All || s.name == "select" || s.name == "swapdb") {
        Lock::All
    } else {
        Lock::Db
    };
    let _held = match hold(server, ctx.session.db, lock) {
        Ok(held) => held,
        Err(reply) => {
            // Refused while a script is busy: as in Redis, the transaction stays open and
            // doomed, so the next EXEC answers EXECABORT.
            ctx.session.multi = Some(Multi { failed: true, ..multi });
            return reply;
        }
    };
    if watch_broken(ctx) {
        close(ctx);
        ctx.session.unwatch_all(&server.storage);
        return Reply::NullArray;
    }
    // Blocking commands in the queue do not block (see `Session::in_exec`).
    ctx.session.in_exec = true;
    let replies = specs.iter().zip(&multi.queue).map(|(spec, request)| run(server, ctx.session, spec, request)).collect();
    ctx.session.in_exec = false;
    close(ctx);
    ctx.session.unwatch_all(&server.storage);
    Reply::Array(replies)
}

/// WATCH key [key ...].
pub(crate) fn watch(ctx: &mut Ctx<'_>, args: &[Bytes]) -> Reply {
    if ctx.session.multi.is_some() {
        return errors::WATCH_IN_MULTI;
    }
    let db = ctx.session.db;
    for key in &args[1..] {
        if ctx.session.watched.iter().any(|(d, k, _)| *d == db && k == key) {
            continue;
        }
        let key = Bytes::copy_from_slice(key);
        ctx.server.storage.watch(db, key.clone(), &ctx.session.watch_flag);
        let existed = ctx.server.storage.exists(db, &key);
        ctx.session.watched.push((db, key, existed));
    }
    Reply::OK
}

/// UNWATCH.
pub(crate) fn unwatch(ctx: &mut Ctx<'_>, _: &[Bytes]) -> Reply {
    ctx.session.unwatch_all(&ctx.server.storage);
    Reply::OK
}
