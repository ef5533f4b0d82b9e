//! WATCH support: which connections watch which keys, and marking them dirty on writes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};

use bytes::Bytes;
use parking_lot::Mutex;

/// Set when a key a connection watches is modified; EXEC then aborts.
#[derive(Debug, Default)]
pub struct WatchFlag(AtomicBool);

impl WatchFlag {
    /// Whether a watched key was modified.
    pub fn is_dirty(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Clears the flag (UNWATCH, EXEC, DISCARD).
    pub fn clear(&self) {
        self.0.store(false, Ordering::SeqCst);
    }

    /// Marks the transaction as doomed.
    pub fn set(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

type Watchers = Vec<Weak<WatchFlag>>;

/// Watched keys of every database.
#[derive(Default)]
pub(crate) struct WatchRegistry {
    keys: Mutex<HashMap<(usize, Bytes), Watchers>>,
    /// Number of watched (database, key) pairs: writes skip the lock while it is zero.
    watched: AtomicUsize,
}

impl WatchRegistry {
    pub(crate) fn watch(&self, db: usize, key: Bytes, flag: &Arc<WatchFlag>) {
        let mut keys = self.keys.lock();
        let watchers = keys.entry((db, key)).or_default();
        if watchers.is_empty() {
            self.watched.fetch_add(1, Ordering::SeqCst);
        }
        if !watchers.iter().any(|w| w.as_ptr() == Arc::as_ptr(flag)) {
            watchers.push(Arc::downgrade(flag));
        }
    }

    pub(crate) fn unwatch(&self, db: usize, key: &Bytes, flag: &Arc<WatchFlag>) {
        let mut keys = self.keys.lock();
        let slot = (db, key.clone());
        if let Some(watchers) = keys.get_mut(&slot) {
            watchers.retain(|w| w.as_ptr() != Arc::as_ptr(flag) && w.strong_count() > 0);
            if watchers.is_empty() {
                keys.remove(&slot);
                self.watched.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }

    /// Marks the watchers of `key` dirty.
    pub(crate) fn touch(&self, db: usize, key: &[u8]) {
        if self.watched.load(Ordering::SeqCst) == 0 {
            return;
        }
        if let Some(watchers) = self.keys.lock().get(&(db, Bytes::copy_from_slice(key))) {
            for flag in watchers.iter().filter_map(Weak::upgrade) {
                flag.set();
            }
        }
    }

    /// Marks dirty the watchers of every watched key in `db` for which `existed` holds.
    pub(crate) fn touch_db(&self, db: usize, existed: impl Fn(&Bytes) -> bool) {
        if self.watched.load(Ordering::SeqCst) == 0 {
            return;
        }
        for ((watched_db, key), watchers) in self.keys.lock().iter() {
            if *watched_db == db && existed(key) {
                for flag in watchers.iter().filter_map(Weak::upgrade) {
                    flag.set();
                }
            }
        }
    }
}
