//! What a key holds.

use bytes::Bytes;

use crate::collections::{Hash, List, Set, Shared, ZSet};

/// Fixed cost of one entry beyond its key and value bytes, counted against `maxmemory`, so
/// that the budget tracks resident memory.
///
/// Per entry there is moka's `Arc`'d key and value entry, hash-table slot, access-order deque
/// node and frequency-sketch share; mokad's key-index slot and deadline; and the allocator's
/// rounding of the key and value allocations. Measured RSS growth after loading (mimalloc,
/// release build, redis-py pipelines of distinct 16-byte keys): 545 bytes per key for 1M keys
/// of 16 + 100 bytes (429 over the payload) and 663 per key for 500k keys of 16 + 200 bytes
/// (447 over).
pub const ENTRY_OVERHEAD: usize = 448;

/// Bytes counted for a collection beyond its elements: the `Arc`, the lock and the container.
pub const COLLECTION_OVERHEAD: usize = 96;

/// A typed value. Cloning is cheap: a collection clones its `Arc`, and a write through
/// `Storage::update` changes it in place (see [`crate::collections`]).
#[derive(Debug, Clone)]
pub enum Value {
    /// A binary-safe string.
    String(Bytes),
    /// A hash of fields to values.
    Hash(Shared<Hash>),
    /// A list.
    List(Shared<List>),
    /// A set.
    Set(Shared<Set>),
    /// A sorted set.
    ZSet(Shared<ZSet>),
}

impl Value {
    /// The Redis type name TYPE reports.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Hash(_) => "hash",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
        }
    }

    /// Bytes this value holds, for the memory budget.
    pub fn size(&self) -> usize {
        match self {
            Value::String(s) => s.len(),
            Value::Hash(c) => COLLECTION_OVERHEAD + c.read().bytes(),
            Value::List(c) => COLLECTION_OVERHEAD + c.read().bytes(),
            Value::Set(c) => COLLECTION_OVERHEAD + c.read().bytes(),
            Value::ZSet(c) => COLLECTION_OVERHEAD + c.read().bytes(),
        }
    }

    /// An independent copy (COPY): a collection's contents are copied, not shared.
    pub fn duplicate(&self) -> Value {
        use crate::collections::shared;
        match self {
            Value::String(s) => Value::String(s.clone()),
            Value::Hash(c) => Value::Hash(shared(c.read().clone())),
            Value::List(c) => Value::List(shared(c.read().clone())),
            Value::Set(c) => Value::Set(shared(c.read().clone())),
            Value::ZSet(c) => Value::ZSet(shared(c.read().clone())),
        }
    }
}

impl PartialEq for Value {
    /// Strings compare by content; collections by identity.
    fn eq(&self, other: &Self) -> bool {
        use std::sync::Arc;
        match (self, other) {
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Hash(a), Value::Hash(b)) => Arc::ptr_eq(a, b),
            (Value::List(a), Value::List(b)) => Arc::ptr_eq(a, b),
            (Value::Set(a), Value::Set(b)) => Arc::ptr_eq(a, b),
            (Value::ZSet(a), Value::ZSet(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for Value {}

/// A live key's value and deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The value.
    pub value: Value,
    /// When the key expires, in Unix milliseconds; `None` for no expiry.
    pub expires_at: Option<u64>,
}

impl Entry {
    /// An entry with no expiry.
    pub fn new(value: Value) -> Self {
        Entry { value, expires_at: None }
    }

    /// Whether the entry is past its deadline at `now_ms`.
    pub fn is_expired(&self, now_ms: u64) -> bool {
        self.expires_at.is_some_and(|at| at <= now_ms)
    }
}
