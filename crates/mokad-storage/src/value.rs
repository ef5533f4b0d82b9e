//! What a key holds.

use bytes::Bytes;

/// Fixed cost of one entry beyond its key and value bytes, counted against `maxmemory`.
///
/// moka keeps, per entry, an `Arc`'d key, the value, a hash-table slot, access-order and
/// write-order deque nodes, timer-wheel node and frequency sketch counters; measured RSS per
/// entry is about 300 bytes more than a plain hash map holding the same key and value.
pub const ENTRY_OVERHEAD: usize = 320;

/// A typed value. Strings today; the other Redis types are added as new variants, each
/// reporting its own size to [`Value::size`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A binary-safe string.
    String(Bytes),
}

impl Value {
    /// The Redis type name TYPE reports.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
        }
    }

    /// Heap bytes this value holds, for the memory budget.
    pub fn size(&self) -> usize {
        match self {
            Value::String(s) => s.len(),
        }
    }
}

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
