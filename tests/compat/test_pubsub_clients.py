"""Pub/Sub through real client libraries, run against redis-server and mokad alike: redis-py's
`pubsub()` (get_message, listen, run_in_thread, health checks) in RESP2 and RESP3, its asyncio
flavour, and Django Channels' RedisPubSubChannelLayer. Each scenario records what the client
saw; the record must be what we expect and the same on both servers."""
from __future__ import annotations

import asyncio
import threading
import time

import pytest
import redis
import redis.asyncio

TIMEOUT = 5.0


@pytest.fixture
def ports(compat):
    """The two servers of the differential suite: redis-server first, then mokad."""
    for side in (compat.ref, compat.target):
        side.ensure_alive()
    return {"redis": compat.ref.server.port, "mokad": compat.target.server.port}


def _client(port: int, protocol: int = 2, **kw) -> redis.Redis:
    return redis.Redis(host="127.0.0.1", port=port, protocol=protocol, decode_responses=True,
                       socket_timeout=TIMEOUT, **kw)


def _wait_for(check, what: str) -> None:
    """Subscriptions made through one connection are visible to another once the server has
    processed them; wait for that instead of racing (against Redis too)."""
    deadline = time.monotonic() + TIMEOUT
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def sync_scenario(port: int, protocol: int) -> list:
    seen: list = []
    r = _client(port, protocol, health_check_interval=1)
    publisher = _client(port)
    p = r.pubsub()
    p.subscribe("news", "sports")
    p.psubscribe("n*")
    seen += [p.get_message(timeout=TIMEOUT) for _ in range(3)]
    seen.append(("numsub", publisher.pubsub_numsub("news", "sports", "none")))
    seen.append(("numpat", publisher.pubsub_numpat()))
    seen.append(("channels", sorted(publisher.pubsub_channels())))
    seen.append(("channels n*", sorted(publisher.pubsub_channels("n*"))))

    seen.append(("publish", publisher.publish("news", "hello")))
    seen += [p.get_message(timeout=TIMEOUT) for _ in range(2)]
    if protocol == 2:
        # redis-py cannot read a PING reply on a RESP3 pubsub connection (with Redis too).
        p.ping("hc")
        seen.append(p.get_message(timeout=TIMEOUT))
    # The health check PINGs the connection after a second of silence; its pong is swallowed.
    time.sleep(1.1)
    seen.append(p.get_message(timeout=0.2))

    for payload in ("one", "two", "stop"):
        publisher.publish("sports", payload)
    for message in p.listen():
        seen.append(message)
        if message["type"] == "message" and message["data"] == "stop":
            break

    p.unsubscribe("news")
    p.unsubscribe("sports")
    p.punsubscribe("n*")
    seen += [p.get_message(timeout=TIMEOUT) for _ in range(3)]
    seen.append(("publish after", publisher.publish("news", "nobody")))
    seen.append(p.get_message(timeout=0.2))
    p.close()

    # Handlers and a worker thread, as applications use them.
    got: list = []
    done = threading.Event()

    def on_job(message):
        got.append((message["channel"], message["data"]))
        if message["data"] == "last":
            done.set()

    p2 = r.pubsub(ignore_subscribe_messages=True)
    p2.subscribe(jobs=on_job)
    worker = p2.run_in_thread(sleep_time=0.01, daemon=True)
    _wait_for(lambda: publisher.pubsub_numsub("jobs")[0][1] == 1, "the jobs subscription")
    for payload in ("first", "last"):
        publisher.publish("jobs", payload)
    assert done.wait(TIMEOUT), f"the handler saw only {got}"
    worker.stop()
    worker.join(TIMEOUT)
    p2.close()
    seen.append(("handler", got))
    _wait_for(lambda: publisher.pubsub_numsub("jobs")[0][1] == 0, "the closed subscriber to go away")
    seen.append(("numsub after close", publisher.pubsub_numsub("jobs")))
    r.close()
    publisher.close()
    return seen


def _msg(kind, channel, data, pattern=None):
    return {"type": kind, "pattern": pattern, "channel": channel, "data": data}


@pytest.mark.parametrize("protocol", [2, 3])
def test_redis_py_pubsub_sees_the_same_messages_as_with_redis(ports, protocol):
    reference = sync_scenario(ports["redis"], protocol)
    target = sync_scenario(ports["mokad"], protocol)
    pong = [_msg("pong", None, "hc")] if protocol == 2 else []
    assert reference == [
        _msg("subscribe", "news", 1), _msg("subscribe", "sports", 2), _msg("psubscribe", "n*", 3),
        ("numsub", [("news", 1), ("sports", 1), ("none", 0)]), ("numpat", 1),
        ("channels", ["news", "sports"]), ("channels n*", ["news"]),
        ("publish", 2), _msg("message", "news", "hello"), _msg("pmessage", "news", "hello", "n*"),
        *pong, None,
        _msg("message", "sports", "one"), _msg("message", "sports", "two"), _msg("message", "sports", "stop"),
        _msg("unsubscribe", "news", 2), _msg("unsubscribe", "sports", 1), _msg("punsubscribe", "n*", 0),
        ("publish after", 0), None,
        ("handler", [("jobs", "first"), ("jobs", "last")]),
        ("numsub after close", [("jobs", 0)]),
    ], "the scenario itself changed: redis-server answers differently"
    assert target == reference


async def async_scenario(port: int, protocol: int) -> list:
    seen: list = []
    r = redis.asyncio.Redis(host="127.0.0.1", port=port, protocol=protocol, decode_responses=True)
    publisher = redis.asyncio.Redis(host="127.0.0.1", port=port, decode_responses=True)
    async with r.pubsub() as p:
        await p.subscribe("room")
        await p.psubscribe("ro*")
        seen += [await p.get_message(timeout=TIMEOUT) for _ in range(2)]
        seen.append(("publish", await publisher.publish("room", "hi")))
        seen += [await p.get_message(ignore_subscribe_messages=True, timeout=TIMEOUT) for _ in range(2)]
        await p.unsubscribe()
        await p.punsubscribe()
        seen += [await p.get_message(timeout=TIMEOUT) for _ in range(2)]
        seen.append(("publish after", await publisher.publish("room", "gone")))
    await r.aclose()
    await publisher.aclose()
    return seen


@pytest.mark.parametrize("protocol", [2, 3])
def test_redis_py_asyncio_pubsub_behaves_as_with_redis(ports, protocol):
    reference = asyncio.run(async_scenario(ports["redis"], protocol))
    target = asyncio.run(async_scenario(ports["mokad"], protocol))
    assert reference == [
        _msg("subscribe", "room", 1), _msg("psubscribe", "ro*", 2), ("publish", 2),
        _msg("message", "room", "hi"), _msg("pmessage", "room", "hi", "ro*"),
        _msg("unsubscribe", "room", 1), _msg("punsubscribe", "ro*", 0), ("publish after", 0),
    ]
    assert target == reference


async def channels_scenario(port: int) -> list:
    from channels_redis.pubsub import RedisPubSubChannelLayer

    seen: list = []
    admin = redis.asyncio.Redis(host="127.0.0.1", port=port, decode_responses=True)

    async def subscribed(channel: str, n: int) -> None:
        # The layer subscribes on its own connection and publishes on another.
        for _ in range(int(TIMEOUT / 0.01)):
            if (await admin.pubsub_numsub(channel))[0][1] == n:
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"{channel} never had {n} subscriber(s)")

    layer = RedisPubSubChannelLayer(hosts=[f"redis://127.0.0.1:{port}"])
    alice = await layer.new_channel()
    bob = await layer.new_channel()
    await subscribed(alice, 1)
    await subscribed(bob, 1)
    await layer.send(alice, {"type": "hello", "n": 1})
    seen.append(await asyncio.wait_for(layer.receive(alice), TIMEOUT))

    await layer.group_add("room", alice)
    await layer.group_add("room", bob)
    await subscribed("asgi__group__room", 1)
    await layer.group_send("room", {"type": "chat", "text": "hi all"})
    seen.append(await asyncio.wait_for(layer.receive(alice), TIMEOUT))
    seen.append(await asyncio.wait_for(layer.receive(bob), TIMEOUT))

    await layer.group_discard("room", bob)
    await layer.group_discard("room", alice)
    await subscribed("asgi__group__room", 0)
    await layer.group_send("room", {"type": "chat", "text": "nobody"})
    try:
        seen.append(await asyncio.wait_for(layer.receive(bob), 0.3))
    except asyncio.TimeoutError:
        seen.append("nothing for bob")
    await layer.flush()
    await subscribed(alice, 0)
    await admin.aclose()
    return seen


def test_django_channels_pubsub_layer_works_as_with_redis(ports):
    reference = asyncio.run(channels_scenario(ports["redis"]))
    target = asyncio.run(channels_scenario(ports["mokad"]))
    assert reference == [
        {"type": "hello", "n": 1},
        {"type": "chat", "text": "hi all"},
        {"type": "chat", "text": "hi all"},
        "nothing for bob",
    ]
    assert target == reference
