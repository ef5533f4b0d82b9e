//! Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN ...): who waits for which key, in order.
//!
//! A blocking command that finds nothing to pop records a [`Blocked`] in its session and
//! returns; the connection then registers here ([`Blocking::register`]) and parks, as an async
//! wait that holds no thread, until a write makes one of its keys ready, its timeout passes, or
//! it is killed. Being woken only means "look again": the connection runs the command again
//! (with `Session::block_retry` set), and the command pops atomically under the key's lock, so
//! an element is never lost or served twice; a client that finds the key emptied by someone
//! else waits on with what is left of its timeout.
//!
//! Which key serves a client waiting on several, as in Redis: the one that became ready first.
//! Each waiter records the keys signalled for its kind, in signal order (each key once), and
//! the command looks at those first ([`Registration::take_ready`]), then at all its keys in
//! argument order (a signal may have come before the registration).
//!
//! Fairness, as in Redis: per key, waiters queue in arrival order and a write wakes only the
//! first waiter of the matching kind; a blocking command takes from a key only when no other
//! client waits there ahead of it ([`Blocking::may_serve`]). A waiter that leaves (served,
//! timed out, killed, disconnected) wakes the next one, which looks and in turn passes the
//! baton on when it leaves: elements pushed for several waiters reach them one after another,
//! first come first served.
//!
//! Who signals: every collection write through `cmd::write_collection` and
//! `cmd::store_collection` on a list or sorted set (pushes, LMOVE destinations, ZADD, *STORE),
//! and RENAME, MOVE and COPY destinations. The check costs one atomic load while nobody waits.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use mokad_resp::Reply;
use parking_lot::Mutex;
use rustc_apfloat::{Float as _, Round, Status};
use tokio::sync::Notify;

use crate::errors;
use crate::long_double::{self, LongDouble};

/// What a waiter waits for: a list (BLPOP, BLMOVE, BLMPOP ...) or a sorted set (BZPOPMIN ...).
/// A key that becomes a sorted set does not wake list waiters, and the reverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitKind {
    /// Waits for list elements.
    List,
    /// Waits for sorted-set members.
    ZSet,
}

/// A blocking command that found nothing, as its handler leaves it in the session for the
/// connection to wait on.
#[derive(Debug, Clone)]
pub struct Blocked {
    /// The request to run again when woken (name first).
    pub args: Vec<Bytes>,
    /// The database of the keys.
    pub db: usize,
    /// The keys waited on, in argument order.
    pub keys: Vec<Bytes>,
    /// What is waited for.
    pub kind: WaitKind,
    /// How long to wait; `None` waits forever.
    pub timeout: Option<Duration>,
    /// The command passed over a ready key because other clients wait on it first: wake the
    /// first of them on registering, in case its wake-up is still to come.
    pub kick: bool,
}

/// The reply of a blocking command whose timeout passed: the null array, `*-1` in RESP2 and
/// `_` in RESP3. Inside MULTI or a script, where they do not block, BLPOP, BRPOP, BLMPOP and
/// BZPOP* answer it too; BLMOVE and BRPOPLPUSH answer the null bulk string there.
pub const TIMED_OUT: Reply = Reply::NullArray;

struct Waiter {
    client: u64,
    kind: WaitKind,
    notify: Notify,
    /// The keys signalled since the waiter last looked, in signal order, each once.
    ready: Mutex<Vec<Bytes>>,
}

/// Per (database, key), the clients waiting on it in arrival order.
type Queues = HashMap<(usize, Bytes), VecDeque<Arc<Waiter>>>;

/// The registry of blocked clients, shared by the whole server.
#[derive(Default)]
pub struct Blocking {
    queues: Mutex<Queues>,
    /// Registered waiters (one per blocked client), so that writes skip the lock when zero.
    waiting: AtomicUsize,
}

impl Blocking {
    /// Number of blocked clients (INFO's `blocked_clients`).
    pub fn blocked_clients(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// A write left `key` holding elements of `kind`: wakes the first client waiting for them.
    pub fn signal(&self, db: usize, key: &[u8], kind: WaitKind) {
        self.wake(db, key, Some(kind), true);
    }

    /// A value of any type arrived at `key` (RENAME, MOVE, COPY): wakes the first waiter of
    /// each kind, which looks and keeps waiting if the value is not its kind.
    pub fn signal_any(&self, db: usize, key: &[u8]) {
        self.wake(db, key, None, true);
    }

    /// Wakes the first waiter of `kind` (of each kind when `None`) on `key`; with `record`,
    /// marks the key ready for every waiter of that kind there, not only the first: one
    /// behind it that is woken later (when the first leaves) still knows which of its keys
    /// became ready first.
    fn wake(&self, db: usize, key: &[u8], kind: Option<WaitKind>, record: bool) {
        // Pairs with the SeqCst increment in `register`: a waiter registered before this
        // write's store is seen here, and one registered after looks again once registered.
        if self.waiting.load(Ordering::SeqCst) == 0 {
            return;
        }
        let queues = self.queues.lock();
        let Some((key, queue)) = queues.get_key_value(&(db, Bytes::copy_from_slice(key))) else { return };
        for wanted in [WaitKind::List, WaitKind::ZSet] {
            if kind.is_some_and(|k| k != wanted) {
                continue;
            }
            if record {
                for waiter in queue.iter().filter(|w| w.kind == wanted) {
                    let mut ready = waiter.ready.lock();
                    if ready.last() != Some(&key.1) && !ready.contains(&key.1) {
                        ready.push(key.1.clone());
                    }
                }
            }
            if let Some(first) = queue.iter().find(|w| w.kind == wanted) {
                first.notify.notify_one();
            }
        }
    }

    /// Whether `client` may take from `key` now: no other client waits there for `kind`
    /// ahead of it.
    pub fn may_serve(&self, db: usize, key: &[u8], kind: WaitKind, client: u64) -> bool {
        if self.waiting.load(Ordering::SeqCst) == 0 {
            return true;
        }
        let queues = self.queues.lock();
        match queues.get(&(db, Bytes::copy_from_slice(key))) {
            None => true,
            Some(queue) => queue.iter().find(|w| w.kind == kind).is_none_or(|first| first.client == client),
        }
    }

    /// Queues `client` on each of `keys` (once per distinct key) until the returned
    /// registration is dropped.
    pub fn register(&self, client: u64, db: usize, keys: &[Bytes], kind: WaitKind) -> Registration<'_> {
        let waiter = Arc::new(Waiter { client, kind, notify: Notify::new(), ready: Mutex::new(Vec::new()) });
        let mut distinct: Vec<Bytes> = Vec::with_capacity(keys.len().min(64));
        {
            let mut queues = self.queues.lock();
            for key in keys {
                if distinct.contains(key) {
                    continue;
                }
                distinct.push(key.clone());
                queues.entry((db, key.clone())).or_default().push_back(waiter.clone());
            }
            self.waiting.fetch_add(1, Ordering::SeqCst);
        }
        Registration { blocking: self, waiter, db, keys: distinct }
    }
}

/// A client's place in the queues of its keys; dropping it leaves them and wakes whoever is
/// first after it.
pub struct Registration<'a> {
    blocking: &'a Blocking,
    waiter: Arc<Waiter>,
    db: usize,
    keys: Vec<Bytes>,
}

impl Registration<'_> {
    /// Resolves when a write signals one of the keys (at once if one did since the last wait).
    pub async fn woken(&self) {
        self.waiter.notify.notified().await;
    }

    /// The keys signalled since the last call, in the order they became ready; the waiter
    /// is to look at them first.
    pub fn take_ready(&self) -> Vec<Bytes> {
        std::mem::take(&mut *self.waiter.ready.lock())
    }

    /// Wakes the first waiter of this kind on each key (see [`Blocked::kick`]). Nothing is
    /// recorded as ready: the key passed over was signalled when it was filled.
    pub fn kick(&self) {
        for key in &self.keys {
            self.blocking.wake(self.db, key, Some(self.waiter.kind), false);
        }
    }
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        let mut queues = self.blocking.queues.lock();
        for key in &self.keys {
            let map_key = (self.db, key.clone());
            let Some(queue) = queues.get_mut(&map_key) else { continue };
            let Some(pos) = queue.iter().position(|w| Arc::ptr_eq(w, &self.waiter)) else { continue };
            let was_first = !queue.iter().take(pos).any(|w| w.kind == self.waiter.kind);
            queue.remove(pos);
            // The one that leaves may have been woken for an element it did not take (or
            // took one of several): the next in line looks in its place.
            if was_first {
                if let Some(next) = queue.iter().find(|w| w.kind == self.waiter.kind) {
                    next.notify.notify_one();
                }
            }
            if queue.is_empty() {
                queues.remove(&map_key);
            }
        }
        self.blocking.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Parses a blocking command's timeout in seconds, exactly as Redis 7.0 does: a long double,
/// times 1000, rounded up to whole milliseconds (`(long long) ceill(...)`, where a value out
/// of range becomes the most negative integer); 0 waits forever (`Ok(None)`).
pub fn parse_timeout(arg: &[u8]) -> Result<Option<Duration>, Reply> {
    let seconds = long_double::parse(arg).ok_or(errors::TIMEOUT_NOT_FLOAT)?;
    let millis = (seconds * LongDouble::from_u128(1000).value).value;
    let rounded = millis.round_to_integral(Round::TowardPositive).value;
    let converted = rounded.to_i128(64);
    if converted.status.intersects(Status::INVALID_OP) || converted.value < 0 {
        return Err(errors::TIMEOUT_NEGATIVE);
    }
    Ok(match converted.value {
        0 => None,
        ms => Some(Duration::from_millis(ms as u64)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeout(text: &str) -> Result<Option<Duration>, Reply> {
        parse_timeout(text.as_bytes())
    }

    #[test]
    fn should_parse_timeouts_like_redis_7_0() {
        assert_eq!(timeout("0"), Ok(None));
        assert_eq!(timeout("-0"), Ok(None));
        assert_eq!(timeout("1"), Ok(Some(Duration::from_millis(1000))));
        assert_eq!(timeout("0.1"), Ok(Some(Duration::from_millis(100))));
        // Rounded up to the millisecond: a tiny positive timeout still times out.
        assert_eq!(timeout("0.0001"), Ok(Some(Duration::from_millis(1))));
        assert_eq!(timeout("1e-400"), Ok(Some(Duration::from_millis(1))));
        assert_eq!(timeout("-1e-400"), Ok(None));
        assert_eq!(timeout("0x10"), Ok(Some(Duration::from_millis(16000))));
        assert_eq!(timeout("3e15"), Ok(Some(Duration::from_millis(3_000_000_000_000_000_000))));
    }

    #[test]
    fn should_refuse_bad_and_negative_timeouts_with_redis_errors() {
        for bad in ["x", "nan", "", " 1", "1 ", "1e5000"] {
            assert_eq!(timeout(bad), Err(errors::TIMEOUT_NOT_FLOAT), "{bad:?}");
        }
        // Out of range in C's conversion gives LLONG_MIN, hence "negative".
        for negative in ["-1", "-0.5", "inf", "-inf", "1e400", "1e308", "9223372036854775807"] {
            assert_eq!(timeout(negative), Err(errors::TIMEOUT_NEGATIVE), "{negative:?}");
        }
    }

    #[test]
    fn should_let_only_the_first_waiter_of_a_kind_serve_itself() {
        let blocking = Blocking::default();
        let key = Bytes::from_static(b"k");
        assert!(blocking.may_serve(0, &key, WaitKind::List, 9));
        let a = blocking.register(1, 0, std::slice::from_ref(&key), WaitKind::List);
        let b = blocking.register(2, 0, std::slice::from_ref(&key), WaitKind::List);
        let z = blocking.register(3, 0, std::slice::from_ref(&key), WaitKind::ZSet);
        assert_eq!(blocking.blocked_clients(), 3);
        assert!(blocking.may_serve(0, &key, WaitKind::List, 1));
        assert!(!blocking.may_serve(0, &key, WaitKind::List, 2));
        assert!(!blocking.may_serve(0, &key, WaitKind::List, 9));
        assert!(blocking.may_serve(0, &key, WaitKind::ZSet, 3));
        assert!(blocking.may_serve(1, &key, WaitKind::List, 9), "another database is another key");
        drop(a);
        assert!(blocking.may_serve(0, &key, WaitKind::List, 2));
        drop((b, z));
        assert_eq!(blocking.blocked_clients(), 0);
        assert!(blocking.queues.lock().is_empty());
    }

    #[test]
    fn should_record_ready_keys_in_signal_order_for_every_waiter_of_the_kind() {
        let blocking = Blocking::default();
        let keys: Vec<Bytes> = ["k1", "k2", "k3"].into_iter().map(Bytes::from).collect();
        let a = blocking.register(1, 0, &keys, WaitKind::List);
        let b = blocking.register(2, 0, &keys[1..], WaitKind::List);
        let z = blocking.register(3, 0, &keys, WaitKind::ZSet);
        for key in ["k3", "k2", "k3", "k1"] {
            blocking.signal(0, key.as_bytes(), WaitKind::List);
        }
        blocking.signal(1, b"k2", WaitKind::List);
        assert_eq!(a.take_ready(), ["k3", "k2", "k1"].map(Bytes::from));
        assert_eq!(b.take_ready(), ["k3", "k2"].map(Bytes::from), "also the waiter behind the first");
        assert!(z.take_ready().is_empty(), "a list write is nothing to a sorted-set waiter");
        assert!(a.take_ready().is_empty(), "taken once");
        // A kick only wakes: the key it passes on was recorded when it was filled.
        a.kick();
        assert!(b.take_ready().is_empty());
        blocking.signal_any(0, b"k1");
        assert_eq!((a.take_ready(), z.take_ready()), (vec![Bytes::from("k1")], vec![Bytes::from("k1")]));
    }

    #[tokio::test]
    async fn should_wake_the_first_waiter_and_pass_the_baton_when_it_leaves() {
        let blocking = Blocking::default();
        let key = Bytes::from_static(b"k");
        let a = blocking.register(1, 0, std::slice::from_ref(&key), WaitKind::List);
        let b = blocking.register(2, 0, std::slice::from_ref(&key), WaitKind::List);
        blocking.signal(0, b"k", WaitKind::List);
        let quick = Duration::from_millis(50);
        assert!(tokio::time::timeout(quick, a.woken()).await.is_ok());
        assert!(tokio::time::timeout(quick, b.woken()).await.is_err(), "only the first is woken");
        blocking.signal(0, b"k", WaitKind::ZSet);
        assert!(tokio::time::timeout(quick, a.woken()).await.is_err(), "a sorted set does not wake list waiters");
        drop(a);
        assert!(tokio::time::timeout(quick, b.woken()).await.is_ok(), "the next waiter looks when the first leaves");
    }
}
