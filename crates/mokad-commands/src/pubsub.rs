//! Pub/Sub state: the server-wide registry of who listens to what, each connection's own
//! subscriptions, and the mailbox through which messages reach a connection.
//!
//! PUBLISH runs on the publisher's task: it looks the channel and every pattern up in the
//! [`PubSub`] registry and queues the message in each subscriber's [`Mailbox`]. The
//! subscriber's connection loop is woken, encodes the queued messages in its own protocol and
//! writes them. A mailbox counts the bytes it holds plus those being written, and a subscriber
//! past `client-output-buffer-limit pubsub` is disconnected, as in Redis, so that a client
//! that never reads cannot make the server grow without bound.
//!
//! Lock order: the registry, then a mailbox. Nothing takes the registry while holding a
//! mailbox.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use mokad_resp::{Protocol, Reply};
use parking_lot::{Mutex, RwLock};
use tokio::sync::Notify;

use crate::glob;
use crate::server::{ClientInfo, Session};
use crate::settings::OutputLimit;

/// The three namespaces of subscriptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// SUBSCRIBE: exact channel names.
    Channel,
    /// PSUBSCRIBE: glob patterns over channel names.
    Pattern,
    /// SSUBSCRIBE: shard channels (one shard here: exact names, no patterns).
    Shard,
}

impl Kind {
    fn index(self) -> usize {
        self as usize
    }

    /// The first element of a subscribe confirmation.
    pub fn subscribe_word(self) -> &'static str {
        match self {
            Kind::Channel => "subscribe",
            Kind::Pattern => "psubscribe",
            Kind::Shard => "ssubscribe",
        }
    }

    /// The first element of an unsubscribe confirmation.
    pub fn unsubscribe_word(self) -> &'static str {
        match self {
            Kind::Channel => "unsubscribe",
            Kind::Pattern => "punsubscribe",
            Kind::Shard => "sunsubscribe",
        }
    }
}

/// A message waiting for one subscriber.
#[derive(Debug, Clone)]
pub struct Message {
    /// The pattern that matched, for a `pmessage`.
    pub pattern: Option<Bytes>,
    /// The channel it was published to.
    pub channel: Bytes,
    /// The payload.
    pub payload: Bytes,
    /// Published with SPUBLISH: an `smessage`.
    pub shard: bool,
}

impl Message {
    /// The push frame Redis sends: `message`, `pmessage` or `smessage`.
    pub fn to_reply(&self) -> Reply {
        let mut items = Vec::with_capacity(4);
        match &self.pattern {
            Some(pattern) => {
                items.push(Reply::bulk("pmessage"));
                items.push(Reply::Bulk(pattern.clone()));
            }
            None => items.push(Reply::bulk(if self.shard { "smessage" } else { "message" })),
        }
        items.push(Reply::Bulk(self.channel.clone()));
        items.push(Reply::Bulk(self.payload.clone()));
        Reply::Push(items)
    }

    /// Bytes it takes once encoded (headers rounded up), what the output limit counts.
    fn size(&self) -> usize {
        self.pattern.as_ref().map_or(0, |p| p.len() + 16) + self.channel.len() + self.payload.len() + 48
    }
}

#[derive(Debug, Default)]
struct Queue {
    messages: VecDeque<Message>,
    /// Bytes of the queued messages plus those taken for writing and not yet written.
    bytes: usize,
    /// Since when `bytes` has been over the soft limit.
    soft_since: Option<Instant>,
    /// The client went over its limit and is being disconnected: drop further messages.
    closed: bool,
}

/// Where messages for one connection wait until its connection loop writes them, and its
/// subscription counts for CLIENT LIST.
#[derive(Debug, Default)]
pub struct Mailbox {
    queue: Mutex<Queue>,
    /// Whether `queue` holds messages, read without the lock on every command.
    nonempty: AtomicBool,
    notify: Notify,
    counts: [AtomicUsize; 3],
}

/// What [`Mailbox::deliver`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Queued.
    Queued,
    /// Dropped: the client is already being disconnected.
    Dropped,
    /// This message took the client past its output limit: disconnect it.
    OverLimit,
}

impl Mailbox {
    /// Queues a message unless it takes the pending output past `limit`.
    pub fn deliver(&self, message: Message, limit: OutputLimit) -> Delivery {
        let mut queue = self.queue.lock();
        if queue.closed {
            return Delivery::Dropped;
        }
        queue.bytes += message.size();
        let bytes = queue.bytes as u64;
        let over_soft = limit.soft > 0 && bytes > limit.soft;
        if !over_soft {
            queue.soft_since = None;
        }
        let soft_expired = over_soft && match queue.soft_since {
            None => {
                queue.soft_since = Some(Instant::now());
                false
            }
            Some(since) => since.elapsed().as_secs() > limit.soft_seconds,
        };
        if (limit.hard > 0 && bytes > limit.hard) || soft_expired {
            // Free what is queued now; the connection closes as soon as it notices.
            queue.closed = true;
            queue.messages = VecDeque::new();
            self.nonempty.store(false, Ordering::Release);
            return Delivery::OverLimit;
        }
        queue.messages.push_back(message);
        self.nonempty.store(true, Ordering::Release);
        drop(queue);
        self.notify.notify_one();
        Delivery::Queued
    }

    /// Resolves when messages may be waiting (spuriously at times: check with `drain`).
    pub async fn ready(&self) {
        self.notify.notified().await;
    }

    /// Encodes every queued message into `out` and returns their counted bytes, which stay
    /// counted against the limit until [`Mailbox::written`] is called with them.
    pub fn drain(&self, protocol: Protocol, out: &mut BytesMut) -> usize {
        if !self.nonempty.load(Ordering::Acquire) {
            return 0;
        }
        let messages = {
            let mut queue = self.queue.lock();
            self.nonempty.store(false, Ordering::Release);
            std::mem::take(&mut queue.messages)
        };
        let mut bytes = 0;
        for message in &messages {
            message.to_reply().encode(protocol, out);
            bytes += message.size();
        }
        bytes
    }

    /// Records that `bytes` drained earlier reached the socket.
    pub fn written(&self, bytes: usize) {
        if bytes > 0 {
            let mut queue = self.queue.lock();
            queue.bytes = queue.bytes.saturating_sub(bytes);
        }
    }

    /// Takes the queued messages out as push frames, to be sent before a reply.
    fn take(&self) -> Vec<Reply> {
        if !self.nonempty.load(Ordering::Acquire) {
            return Vec::new();
        }
        let mut queue = self.queue.lock();
        self.nonempty.store(false, Ordering::Release);
        let messages = std::mem::take(&mut queue.messages);
        queue.bytes = queue.bytes.saturating_sub(messages.iter().map(Message::size).sum());
        messages.iter().map(Message::to_reply).collect()
    }

    /// Number of subscriptions of one kind (CLIENT LIST's `sub`, `psub`, `ssub`).
    pub fn count(&self, kind: Kind) -> usize {
        self.counts[kind.index()].load(Ordering::Relaxed)
    }

    /// Whether the client has any subscription (CLIENT LIST's `P` flag and the `pubsub`
    /// client type).
    pub fn subscribed(&self) -> bool {
        self.counts.iter().any(|c| c.load(Ordering::Relaxed) > 0)
    }

    /// Messages queued and bytes pending (queued or being written), for CLIENT LIST's `oll`
    /// and `omem`.
    pub fn pending(&self) -> (usize, usize) {
        let queue = self.queue.lock();
        (queue.messages.len(), queue.bytes)
    }
}

/// One connection's subscriptions, kept by its session.
#[derive(Debug, Default)]
pub struct Subscriptions {
    sets: [HashSet<Bytes>; 3],
}

impl Subscriptions {
    /// Subscriptions of one kind.
    pub fn len(&self, kind: Kind) -> usize {
        self.sets[kind.index()].len()
    }

    /// Channels plus patterns: the count SUBSCRIBE and friends report.
    pub fn channels_and_patterns(&self) -> usize {
        self.len(Kind::Channel) + self.len(Kind::Pattern)
    }

    /// The count reported in confirmations of `kind`.
    fn reported(&self, kind: Kind) -> usize {
        match kind {
            Kind::Shard => self.len(Kind::Shard),
            _ => self.channels_and_patterns(),
        }
    }

    /// Whether the connection has no subscription at all (Redis's CLIENT_PUBSUB flag unset).
    pub fn is_empty(&self) -> bool {
        self.sets.iter().all(HashSet::is_empty)
    }
}

type Listeners = HashMap<Bytes, HashMap<u64, Arc<ClientInfo>>>;

/// The server-wide registry: for each kind, name → the clients subscribed to it.
#[derive(Default)]
pub struct PubSub {
    registry: RwLock<[Listeners; 3]>,
}

fn confirmation(word: &'static str, name: Option<&Bytes>, count: usize) -> Reply {
    Reply::Push(vec![Reply::bulk(word), name.map_or(Reply::Null, |n| Reply::Bulk(n.clone())), Reply::Integer(count as i64)])
}

/// One frame, or several in sequence.
fn frames(mut replies: Vec<Reply>) -> Reply {
    if replies.len() == 1 {
        replies.pop().expect("one reply")
    } else {
        Reply::Sequence(replies)
    }
}

fn sync_count(session: &Session, kind: Kind) {
    session.client.mailbox.counts[kind.index()].store(session.subscriptions.len(kind), Ordering::Relaxed);
}

impl PubSub {
    /// SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE: one confirmation per name, repeated names included.
    pub fn subscribe(&self, session: &mut Session, kind: Kind, names: &[Bytes]) -> Reply {
        let mut registry = self.registry.write();
        let mut replies = Vec::with_capacity(names.len());
        for name in names {
            if !session.subscriptions.sets[kind.index()].contains(name) {
                // Owned copies: the argument is a slice of the whole read buffer.
                let name = Bytes::copy_from_slice(name);
                session.subscriptions.sets[kind.index()].insert(name.clone());
                registry[kind.index()].entry(name).or_default().insert(session.client.id, session.client.clone());
            }
            replies.push(confirmation(kind.subscribe_word(), Some(name), session.subscriptions.reported(kind)));
        }
        sync_count(session, kind);
        frames(replies)
    }

    /// UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE: from the names given, or from every one of
    /// that kind when none is (a confirmation with a nil name when there was none). Messages
    /// already queued for the connection go out before the confirmations, as they would
    /// already be in Redis's output buffer.
    pub fn unsubscribe(&self, session: &mut Session, kind: Kind, names: &[Bytes]) -> Reply {
        let mut registry = self.registry.write();
        let names: Vec<Bytes> =
            if names.is_empty() { session.subscriptions.sets[kind.index()].iter().cloned().collect() } else { names.to_vec() };
        let mut replies = session.client.mailbox.take();
        for name in &names {
            if session.subscriptions.sets[kind.index()].remove(name) {
                forget(&mut registry[kind.index()], name, session.client.id);
            }
            replies.push(confirmation(kind.unsubscribe_word(), Some(name), session.subscriptions.reported(kind)));
        }
        if names.is_empty() {
            replies.push(confirmation(kind.unsubscribe_word(), None, session.subscriptions.reported(kind)));
        }
        sync_count(session, kind);
        frames(replies)
    }

    /// Drops every subscription of a connection without confirmations (RESET, or the
    /// connection closing) and returns the messages that were still queued for it.
    pub fn unsubscribe_all(&self, session: &mut Session) -> Vec<Reply> {
        if session.subscriptions.is_empty() {
            return session.client.mailbox.take();
        }
        let mut registry = self.registry.write();
        for kind in [Kind::Channel, Kind::Pattern, Kind::Shard] {
            for name in std::mem::take(&mut session.subscriptions.sets[kind.index()]) {
                forget(&mut registry[kind.index()], &name, session.client.id);
            }
            sync_count(session, kind);
        }
        session.client.mailbox.take()
    }

    /// PUBLISH (or SPUBLISH with `shard`): queues the message for every subscriber of the
    /// channel and, unless sharded, for every pattern subscription that matches it. Returns
    /// the number of receivers and the frames for the publishing connection itself, which
    /// Redis writes into its output ahead of the count.
    pub fn publish(&self, session: &mut Session, channel: &[u8], payload: &[u8], shard: bool, limit: OutputLimit) -> (usize, Vec<Reply>) {
        let me = &session.client;
        let channel = Bytes::copy_from_slice(channel);
        let payload = Bytes::copy_from_slice(payload);
        let registry = self.registry.read();
        let mut receivers = 0;
        let mut own = Vec::new();
        let mut woke = false;
        let mut send = |client: &Arc<ClientInfo>, pattern: Option<&Bytes>| {
            receivers += 1;
            let message = Message { pattern: pattern.cloned(), channel: channel.clone(), payload: payload.clone(), shard };
            if client.id == me.id {
                own.push(message.to_reply());
                return;
            }
            woke = true;
            if client.mailbox.deliver(message, limit) == Delivery::OverLimit {
                tracing::warn!(
                    "Client {} scheduled to be closed ASAP for overcoming of output buffer limits.",
                    client.describe()
                );
                client.killed.raise();
            }
        };
        let kind = if shard { Kind::Shard } else { Kind::Channel };
        if let Some(clients) = registry[kind.index()].get(&channel) {
            for client in clients.values() {
                send(client, None);
            }
        }
        if !shard {
            for (pattern, clients) in &registry[Kind::Pattern.index()] {
                if glob::matches(pattern, &channel, false) {
                    for client in clients.values() {
                        send(client, Some(pattern));
                    }
                }
            }
        }
        session.woke_subscribers |= woke;
        (receivers, own)
    }

    /// Names with at least one subscriber, matching `pattern` if given (PUBSUB CHANNELS,
    /// SHARDCHANNELS).
    pub fn names(&self, kind: Kind, pattern: Option<&[u8]>) -> Vec<Bytes> {
        let registry = self.registry.read();
        registry[kind.index()].keys().filter(|name| pattern.is_none_or(|p| glob::matches(p, name, false))).cloned().collect()
    }

    /// Subscribers of one name (PUBSUB NUMSUB, SHARDNUMSUB).
    pub fn subscribers(&self, kind: Kind, name: &[u8]) -> usize {
        self.registry.read()[kind.index()].get(name).map_or(0, HashMap::len)
    }

    /// Distinct names with subscribers (PUBSUB NUMPAT; INFO's `pubsub_channels`,
    /// `pubsub_patterns`, `pubsubshard_channels`).
    pub fn distinct(&self, kind: Kind) -> usize {
        self.registry.read()[kind.index()].len()
    }
}

fn forget(listeners: &mut Listeners, name: &[u8], id: u64) {
    if let Some(clients) = listeners.get_mut(name) {
        clients.remove(&id);
        if clients.is_empty() {
            // Like Redis, drop the entry so that abandoned channels cost nothing.
            listeners.remove(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(payload: &'static [u8]) -> Message {
        Message { pattern: None, channel: Bytes::from_static(b"c"), payload: Bytes::from_static(payload), shard: false }
    }

    #[test]
    fn should_encode_the_three_message_kinds_as_redis() {
        let mut out = BytesMut::new();
        message(b"hi").to_reply().encode(Protocol::Resp2, &mut out);
        assert_eq!(&out[..], b"*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$2\r\nhi\r\n");
        let p = Message { pattern: Some(Bytes::from_static(b"c*")), ..message(b"hi") };
        out.clear();
        p.to_reply().encode(Protocol::Resp3, &mut out);
        assert_eq!(&out[..], b">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$1\r\nc\r\n$2\r\nhi\r\n");
        let s = Message { shard: true, ..message(b"hi") };
        out.clear();
        s.to_reply().encode(Protocol::Resp2, &mut out);
        assert_eq!(&out[..], b"*3\r\n$8\r\nsmessage\r\n$1\r\nc\r\n$2\r\nhi\r\n");
    }

    #[test]
    fn should_refuse_messages_past_the_hard_limit_and_drop_the_rest() {
        let mailbox = Mailbox::default();
        let limit = OutputLimit { hard: 1200, soft: 0, soft_seconds: 0 };
        let payload: &'static [u8] = &[b'x'; 300];
        for _ in 0..2 {
            assert_eq!(mailbox.deliver(message(payload), limit), Delivery::Queued);
        }
        assert_eq!(mailbox.deliver(message(payload), limit), Delivery::Queued);
        assert_eq!(mailbox.deliver(message(payload), limit), Delivery::OverLimit);
        assert_eq!(mailbox.pending().0, 0, "the queue is freed at once");
        assert_eq!(mailbox.deliver(message(b"small"), limit), Delivery::Dropped);
    }

    #[test]
    fn should_count_drained_bytes_until_they_are_written() {
        let mailbox = Mailbox::default();
        let limit = OutputLimit { hard: 1200, soft: 0, soft_seconds: 0 };
        let payload: &'static [u8] = &[b'x'; 300];
        mailbox.deliver(message(payload), limit);
        mailbox.deliver(message(payload), limit);
        let mut out = BytesMut::new();
        let drained = mailbox.drain(Protocol::Resp2, &mut out);
        assert_eq!(mailbox.pending(), (0, drained));
        mailbox.deliver(message(payload), limit);
        assert_eq!(mailbox.deliver(message(payload), limit), Delivery::OverLimit, "bytes being written still count");
        let mailbox = Mailbox::default();
        mailbox.deliver(message(payload), limit);
        let drained = mailbox.drain(Protocol::Resp2, &mut out);
        mailbox.written(drained);
        for _ in 0..3 {
            assert_eq!(mailbox.deliver(message(payload), limit), Delivery::Queued);
        }
    }

    #[test]
    fn should_disconnect_only_after_the_soft_limit_lasts() {
        let mailbox = Mailbox::default();
        let limit = OutputLimit { hard: 0, soft: 100, soft_seconds: 0 };
        let payload: &'static [u8] = &[b'x'; 300];
        assert_eq!(mailbox.deliver(message(payload), limit), Delivery::Queued, "first time over: the clock starts");
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert_eq!(mailbox.deliver(message(payload), limit), Delivery::OverLimit);
    }
}
