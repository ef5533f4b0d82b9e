//! Command implementations, one module per Redis group.

pub mod connection;
pub mod keys;
pub mod scripting;
pub mod server;
pub mod strings;
pub mod transactions;

use bytes::Bytes;
use mokad_resp::Reply;
use mokad_storage::{Change, Entry, StorageError, Value};

use crate::dispatch::Ctx;
use crate::errors;

/// The string a value holds, or WRONGTYPE.
pub(crate) fn as_string(value: &Value) -> Result<&Bytes, Reply> {
    match value {
        Value::String(s) => Ok(s),
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
