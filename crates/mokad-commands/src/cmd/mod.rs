//! Command implementations, one module per Redis group.

pub mod connection;
pub mod hashes;
pub mod keys;
pub mod lists;
pub mod pubsub;
pub mod scripting;
pub mod server;
pub mod sets;
pub mod strings;
pub mod transactions;
pub mod zsets;

use bytes::Bytes;
use mokad_resp::Reply;
use mokad_storage::collections::{shared, Hash, List, Set, Shared, ZSet};
use mokad_storage::{Change, Entry, StorageError, Value};

use crate::blocking::WaitKind;
use crate::dispatch::Ctx;
use crate::errors;

/// The string a value holds, or WRONGTYPE.
pub(crate) fn as_string(value: &Value) -> Result<&Bytes, Reply> {
    match value {
        Value::String(s) => Ok(s),
        _ => Err(errors::WRONGTYPE),
    }
}

/// The string an entry holds (empty when there is none) and its deadline, or WRONGTYPE.
pub(crate) fn string_and_deadline(old: Option<&Entry>) -> Result<(Bytes, Option<u64>), Reply> {
    match old {
        None => Ok((Bytes::new(), None)),
        Some(entry) => Ok((as_string(&entry.value)?.clone(), entry.expires_at)),
    }
}

/// Reads a live string key (counting a hit or miss): `Ok(None)` when absent.
pub(crate) fn read_string(ctx: &Ctx<'_>, key: &Bytes) -> Result<Option<Bytes>, Reply> {
    match ctx.server.storage.get(ctx.session.db, key) {
        None => Ok(None),
        Some(entry) => as_string(&entry.value).cloned().map(Some),
    }
}

/// Runs an atomic update whose closure yields a reply, mapping storage refusals to OOM.
pub(crate) fn update(
    ctx: &Ctx<'_>,
    key: &[u8],
    decide: impl FnOnce(Option<&Entry>) -> (Change, Reply),
) -> Reply {
    match ctx.server.storage.update(ctx.session.db, key, decide) {
        Ok(reply) => reply,
        Err(StorageError::TooLarge) => errors::OOM,
    }
}

/// A string entry with a deadline.
pub(crate) fn string_entry(data: Bytes, expires_at: Option<u64>) -> Entry {
    Entry { value: Value::String(data), expires_at }
}

/// Copies request bytes that are about to be stored, so that they do not keep the whole read
/// buffer they were sliced from alive.
pub(crate) fn owned(data: &Bytes) -> Bytes {
    Bytes::copy_from_slice(data)
}

/// A collection type as the commands see it: how to find it in a value and wrap it in one.
pub(crate) trait Kind: Default + Send + Sync + 'static {
    /// The clients a write that leaves elements in it wakes (BLPOP, BZPOPMIN ...), if any.
    const WAIT: Option<WaitKind> = None;
    /// The collection a value holds, if it is of this type.
    fn extract(value: &Value) -> Option<&Shared<Self>>;
    /// A value holding this collection.
    fn wrap(collection: Shared<Self>) -> Value;
    /// Whether it has no element (an emptied collection is deleted, as in Redis).
    fn is_empty(&self) -> bool;
}

macro_rules! kind {
    ($type:ident) => {
        kind!($type, None);
    };
    ($type:ident, $wait:expr) => {
        impl Kind for $type {
            const WAIT: Option<WaitKind> = $wait;
            fn extract(value: &Value) -> Option<&Shared<Self>> {
                match value {
                    Value::$type(c) => Some(c),
                    _ => None,
                }
            }
            fn wrap(collection: Shared<Self>) -> Value {
                Value::$type(collection)
            }
            fn is_empty(&self) -> bool {
                $type::is_empty(self)
            }
        }
    };
}

kind!(Hash);
kind!(List, Some(WaitKind::List));
kind!(Set);
kind!(ZSet, Some(WaitKind::ZSet));

/// Reads a live collection key (counting a hit or miss): `Ok(None)` when absent, WRONGTYPE
/// when the key holds another type. The caller locks the collection to read it; it must not
/// call the storage while holding that lock.
pub(crate) fn read_collection<T: Kind>(ctx: &Ctx<'_>, key: &Bytes) -> Result<Option<Shared<T>>, Reply> {
    read_collection_in(ctx, ctx.session.db, key)
}

/// [`read_collection`] in database `db`.
pub(crate) fn read_collection_in<T: Kind>(ctx: &Ctx<'_>, db: usize, key: &Bytes) -> Result<Option<Shared<T>>, Reply> {
    match ctx.server.storage.get(db, key) {
        None => Ok(None),
        Some(entry) => T::extract(&entry.value).cloned().map(Some).ok_or(errors::WRONGTYPE),
    }
}

/// Whether an absent key makes a collection write start from an empty collection.
#[derive(Debug, Clone)]
pub(crate) enum IfAbsent {
    /// Start from an empty collection (LPUSH, SADD, HSET, ZADD ...).
    Create,
    /// Answer this reply and change nothing (LPUSHX, SREM, HDEL ...).
    Reply(Reply),
}

/// Atomically changes a collection key in place.
///
/// `change` gets the collection (a new empty one for [`IfAbsent::Create`]) and returns the
/// reply and whether it changed anything; it must check its arguments before changing
/// anything, as an error reply leaves no partial change. A collection left empty is deleted;
/// a changed one is stored again so that its weight and watchers follow. WRONGTYPE when the
/// key holds another type.
pub(crate) fn write_collection<T: Kind>(
    ctx: &Ctx<'_>,
    key: &[u8],
    absent: IfAbsent,
    change: impl FnOnce(&mut T) -> (Reply, bool),
) -> Reply {
    write_collection_in(ctx, ctx.session.db, key, absent, change)
}

/// [`write_collection`] in database `db`.
pub(crate) fn write_collection_in<T: Kind>(
    ctx: &Ctx<'_>,
    db: usize,
    key: &[u8],
    absent: IfAbsent,
    change: impl FnOnce(&mut T) -> (Reply, bool),
) -> Reply {
    let mut filled = false;
    let result = ctx.server.storage.update(db, key, |old| match old {
        None => {
            let IfAbsent::Reply(reply) = absent else {
                let mut collection = T::default();
                let (reply, changed) = change(&mut collection);
                if !changed || Kind::is_empty(&collection) {
                    return (Change::Keep, reply);
                }
                filled = true;
                return (Change::Put(Entry::new(T::wrap(shared(collection)))), reply);
            };
            (Change::Keep, reply)
        }
        Some(entry) => {
            let Some(cell) = T::extract(&entry.value) else { return (Change::Keep, errors::WRONGTYPE) };
            let (reply, changed, empty) = {
                let mut collection = cell.write();
                let (reply, changed) = change(&mut collection);
                (reply, changed, Kind::is_empty(&*collection))
            };
            if empty {
                (Change::Remove, reply)
            } else if changed {
                filled = true;
                (Change::Put(entry.clone()), reply)
            } else {
                (Change::Keep, reply)
            }
        }
    });
    match result {
        Ok(reply) => {
            if let (true, Some(kind)) = (filled, T::WAIT) {
                ctx.server.blocking.signal(db, key, kind);
            }
            reply
        }
        Err(StorageError::TooLarge) => errors::OOM,
    }
}

/// Stores a freshly built collection at `key` (the *STORE commands), replacing whatever the
/// key held; an empty collection deletes the key instead, as Redis does.
pub(crate) fn store_collection<T: Kind>(ctx: &Ctx<'_>, key: &[u8], collection: T, reply: Reply) -> Reply {
    let filled = !Kind::is_empty(&collection);
    let change = if filled { Change::Put(Entry::new(T::wrap(shared(collection)))) } else { Change::Remove };
    let reply = update(ctx, key, |_| (change, reply));
    if let (true, false, Some(kind)) = (filled, reply.is_error(), T::WAIT) {
        ctx.server.blocking.signal(ctx.session.db, key, kind);
    }
    reply
}
