"""Pub/Sub through redis-py, over RESP2 and RESP3: SUBSCRIBE/PSUBSCRIBE confirmations,
PUBLISH receiver counts, messages and pattern messages read with get_message(), binary
payloads, UNSUBSCRIBE/PUNSUBSCRIBE (single and all), PUBSUB CHANNELS/NUMSUB/NUMPAT, PING in
subscribed mode, message handlers with run_in_thread, and a connection leaving subscribed
mode to run ordinary commands again. The exact bytes of these replies (and the RESP2
subscribed-mode restrictions) are in tests/compat/cases/pubsub.py.
"""
from __future__ import annotations

import threading
import time

import pytest

pytestmark = pytest.mark.pubsub


def next_message(p, timeout: float = 2.0, ignore_subscribe: bool = False):
    """The next message on PubSub `p`, or None if nothing arrives within `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = p.get_message(ignore_subscribe_messages=ignore_subscribe, timeout=0.1)
        if m is not None:
            return m
    return None


def msg(type_, channel, data, pattern=None):
    return {"type": type_, "pattern": pattern, "channel": channel, "data": data}


@pytest.fixture
def pubsub(connect, protocol):
    clients = []

    def make():
        p = connect(protocol).pubsub()
        clients.append(p)
        return p
    yield make
    for p in clients:
        p.close()


def test_subscribe_publish_unsubscribe(connect, pubsub, protocol):
    pub = connect(protocol)
    p = pubsub()
    p.subscribe("ch1", "ch2")
    assert next_message(p) == msg("subscribe", b"ch1", 1)
    assert next_message(p) == msg("subscribe", b"ch2", 2)
    assert pub.publish("ch1", "hello") == 1
    assert pub.publish("nobody", "x") == 0
    assert next_message(p) == msg("message", b"ch1", b"hello")
    assert pub.publish("ch2", b"\x00\xff\r\nbinary") == 1
    assert next_message(p) == msg("message", b"ch2", b"\x00\xff\r\nbinary")
    p.unsubscribe("ch1")
    assert next_message(p) == msg("unsubscribe", b"ch1", 1)
    assert pub.publish("ch1", "lost") == 0
    assert pub.publish("ch2", "kept") == 1
    assert next_message(p) == msg("message", b"ch2", b"kept")
    p.unsubscribe()
    assert next_message(p) == msg("unsubscribe", b"ch2", 0)
    assert pub.publish("ch2", "gone") == 0
    assert next_message(p, timeout=0.3) is None


def test_psubscribe_patterns(connect, pubsub, protocol):
    pub = connect(protocol)
    p = pubsub()
    p.psubscribe("news.*", "h?llo")
    assert next_message(p) == msg("psubscribe", b"news.*", 1)
    assert next_message(p) == msg("psubscribe", b"h?llo", 2)
    p.subscribe("news.tech")
    assert next_message(p) == msg("subscribe", b"news.tech", 3)
    # A channel matching both a subscription and a pattern is delivered twice.
    assert pub.publish("news.tech", "rust") == 2
    got = [next_message(p), next_message(p)]
    assert msg("message", b"news.tech", b"rust") in got
    assert msg("pmessage", b"news.tech", b"rust", pattern=b"news.*") in got
    assert pub.publish("hallo", "hi") == 1
    assert next_message(p) == msg("pmessage", b"hallo", b"hi", pattern=b"h?llo")
    assert pub.publish("news", "no dot") == 0
    p.punsubscribe("news.*")
    assert next_message(p) == msg("punsubscribe", b"news.*", 2)
    assert pub.publish("news.sport", "x") == 0
    p.punsubscribe()
    assert next_message(p) == msg("punsubscribe", b"h?llo", 1)
    assert pub.publish("news.tech", "only the channel") == 1
    assert next_message(p) == msg("message", b"news.tech", b"only the channel")


def test_many_subscribers_and_pubsub_introspection(connect, pubsub, protocol):
    pub = connect(protocol)
    subs = [pubsub() for _ in range(3)]
    for i, p in enumerate(subs):
        p.subscribe("shared", f"own{i}")
        next_message(p), next_message(p)
    subs[0].psubscribe("sh*")
    next_message(subs[0])
    assert sorted(pub.pubsub_channels()) == [b"own0", b"own1", b"own2", b"shared"]
    assert sorted(pub.pubsub_channels("own*")) == [b"own0", b"own1", b"own2"]
    assert pub.pubsub_numsub("shared", "own1", "none") == [(b"shared", 3), (b"own1", 1), (b"none", 0)]
    assert pub.pubsub_numpat() == 1
    assert pub.publish("shared", "all") == 4
    for p in subs:
        assert next_message(p)["data"] == b"all"
    assert next_message(subs[0])["pattern"] == b"sh*"
    subs[1].close()
    time.sleep(0.1)
    assert pub.pubsub_numsub("shared") == [(b"shared", 2)]
    assert pub.publish("shared", "fewer") == 3


def test_ping_while_subscribed(pubsub, protocol):
    p = pubsub()
    p.subscribe("ch")
    next_message(p)
    p.ping()
    m = next_message(p)
    # RESP2 answers ["pong", ""] as a message; RESP3 a plain PONG.
    assert m is not None and m["type"] == "pong", m


def test_handlers_in_a_thread(connect, pubsub, protocol):
    pub = connect(protocol)
    received = []
    done = threading.Event()

    def handler(message):
        received.append((message["channel"], message["data"]))
        if len(received) == 3:
            done.set()

    p = pubsub()
    p.subscribe(**{"events": handler})
    p.psubscribe(**{"ev*": handler})
    worker = p.run_in_thread(sleep_time=0.01, daemon=True)
    try:
        deadline = time.monotonic() + 5
        while pub.pubsub_numsub("events") != [(b"events", 1)] or pub.pubsub_numpat() != 1:
            assert time.monotonic() < deadline, "subscriptions never registered"
            time.sleep(0.01)
        assert pub.publish("events", "e1") == 2
        assert pub.publish("evil", "e2") == 1
        assert done.wait(5)
        assert sorted(received) == [(b"events", b"e1"), (b"events", b"e1"), (b"evil", b"e2")]
    finally:
        worker.stop()
        worker.join(5)


def test_connection_returns_to_normal_after_unsubscribing(connect, protocol):
    r = connect(protocol, single_connection_client=True)
    pub = connect(protocol)
    p = r.pubsub()
    p.subscribe("ch")
    assert next_message(p) == msg("subscribe", b"ch", 1)
    assert pub.publish("ch", "m") == 1
    assert next_message(p) == msg("message", b"ch", b"m")
    p.unsubscribe("ch")
    assert next_message(p) == msg("unsubscribe", b"ch", 0)
    # The same socket now runs ordinary commands.
    conn = p.connection
    conn.send_command("SET", "after", "1")
    assert conn.read_response() == b"OK"
    conn.send_command("GET", "after")
    assert conn.read_response() == b"1"
    p.close()
