//! Keys as the caches and the index hold them: one allocation per key, shared by both.
//!
//! A `Bytes` key costs a 32-byte handle wherever it is held plus, once cloned, a separate
//! shared header; moka then wraps the key in its own `Arc`. Here the database number and the
//! key bytes live in one reference-counted slice, held through a 16-byte handle by moka
//! ([`DbKey`]) and by the database's index ([`IndexKey`]).

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use bytes::Bytes;

/// Bytes of the database number in front of the key.
const DB_PREFIX: usize = 4;

/// Keys up to this long are looked up from a stack buffer, without allocating.
const STACK_KEY: usize = 256;

/// A key with its database, as moka holds it: the database number (little-endian) then the
/// key. Hashes and compares as those bytes, so a look-up borrows them (see [`with_db_key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DbKey(Arc<[u8]>);

impl Hash for DbKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0[..].hash(state);
    }
}

impl Borrow<[u8]> for DbKey {
    fn borrow(&self) -> &[u8] {
        &self.0
    }
}

fn prefixed(db: usize, key: &[u8]) -> impl Iterator<Item = u8> + '_ {
    (db as u32).to_le_bytes().into_iter().chain(key.iter().copied())
}

impl DbKey {
    /// The key `key` of database `db`, in one allocation.
    pub(crate) fn new(db: usize, key: &[u8]) -> DbKey {
        with_db_key(db, key, |bytes| DbKey(Arc::from(bytes)))
    }

    /// The database number.
    pub(crate) fn db(&self) -> usize {
        u32::from_le_bytes(self.0[..DB_PREFIX].try_into().expect("prefix")) as usize
    }

    /// The key's bytes.
    pub(crate) fn key(&self) -> &[u8] {
        &self.0[DB_PREFIX..]
    }

    /// The same key as the index holds it (no new allocation).
    pub(crate) fn index_key(&self) -> IndexKey {
        IndexKey(self.0.clone())
    }
}

/// Runs `f` on the bytes a [`DbKey`] for `key` of `db` would hold, to look it up.
pub(crate) fn with_db_key<R>(db: usize, key: &[u8], f: impl FnOnce(&[u8]) -> R) -> R {
    if key.len() <= STACK_KEY {
        let mut buf = [0u8; DB_PREFIX + STACK_KEY];
        buf[..DB_PREFIX].copy_from_slice(&(db as u32).to_le_bytes());
        buf[DB_PREFIX..DB_PREFIX + key.len()].copy_from_slice(key);
        f(&buf[..DB_PREFIX + key.len()])
    } else {
        f(&prefixed(db, key).collect::<Vec<u8>>())
    }
}

/// A key as a database's index holds it: the allocation of its [`DbKey`], hashing and
/// comparing as the key alone.
#[derive(Debug, Clone)]
pub(crate) struct IndexKey(Arc<[u8]>);

impl IndexKey {
    /// The key's bytes.
    pub(crate) fn key(&self) -> &[u8] {
        &self.0[DB_PREFIX..]
    }

    /// The key as the cache holds it.
    pub(crate) fn db_key(&self) -> DbKey {
        DbKey(self.0.clone())
    }

    /// A copy of the key's bytes for a reply.
    pub(crate) fn to_bytes(&self) -> Bytes {
        Bytes::copy_from_slice(self.key())
    }
}

impl Hash for IndexKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialEq for IndexKey {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for IndexKey {}

impl Borrow<[u8]> for IndexKey {
    fn borrow(&self) -> &[u8] {
        self.key()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn should_hash_a_db_key_as_the_bytes_it_is_looked_up_by() {
        let hasher = ahash::RandomState::new();
        let key = DbKey::new(3, b"user:1");
        with_db_key(3, b"user:1", |bytes| assert_eq!(hasher.hash_one(&key), hasher.hash_one(bytes)));
        assert_eq!((key.db(), key.key()), (3, &b"user:1"[..]));
        let long = vec![b'x'; STACK_KEY + 1];
        with_db_key(0, &long, |bytes| assert_eq!(bytes, &*DbKey::new(0, &long).0));
    }

    #[test]
    fn should_hash_an_index_key_as_the_key_alone() {
        let hasher = ahash::RandomState::new();
        let key = DbKey::new(15, b"k").index_key();
        assert_eq!(hasher.hash_one(&key), hasher.hash_one(&b"k"[..]));
        assert_eq!(key, DbKey::new(0, b"k").index_key());
        assert_eq!(key.db_key().db(), 15);
    }
}
