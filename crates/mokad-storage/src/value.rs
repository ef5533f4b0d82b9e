//! What a key holds.

use bytes::Bytes;

/// Fixed cost of one entry beyond its key and value bytes, counted against `maxmemory`, so
/// that the budget tracks resident memory.
///
/// Per entry there is moka's `Arc`'d key and value entry, hash-table slot, access-order deque
/// node and frequency-sketch share; mokad's key-index slot and deadline; and the allocator's
/// rounding of the key and value allocations. Measured RSS growth after loading (mimalloc,
/// release build, `redis-cli --pipe`): 663 bytes per key for 1M keys of 16 + 100 bytes (547
/// over the payload) and 793 per key for 500k keys of 16 + 200 bytes (577 over).
pub const ENTRY_OVERHEAD: usize = 560;

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
