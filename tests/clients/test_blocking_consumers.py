"""Queue consumers the way Celery/kombu and RQ use Redis: a consumer blocked in BRPOP (or
BLPOP, BLMOVE, BZPOPMIN) on one connection, woken by a push from another connection; timeouts
answering None; several queues in priority order; several blocked consumers served first
come, first served; and a consumer in a separate OS process draining a queue.

Consumers run in threads with their own connections; `blocked(n)` waits until the server
reports n blocked clients (INFO clients), or at most SETTLE_MAX seconds.
"""
from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

pytestmark = pytest.mark.lists

SETTLE_MAX = 1.0     # seconds a consumer gets to block when the server does not say so


class Consumer(threading.Thread):
    """Runs `call(client)` once on its own connection; records the result and elapsed time."""

    def __init__(self, client, call):
        super().__init__(daemon=True)
        self.client, self.call = client, call
        self.result = self.error = self.elapsed = None

    def run(self):
        start = time.monotonic()
        try:
            self.result = self.call(self.client)
        except Exception as e:  # reported by the test
            self.error = e
        self.elapsed = time.monotonic() - start

    def outcome(self, timeout: float = 10.0):
        self.join(timeout)
        assert not self.is_alive(), "consumer still blocked"
        if self.error:
            raise self.error
        return self.result


@pytest.fixture
def blocked(connect):
    admin = connect()

    def wait(n: int) -> None:
        """Return once the server reports n blocked clients (INFO clients), or after
        SETTLE_MAX seconds: a server whose blocked_clients count is missing or not kept up
        to date still gets its consumers tested, just with a fixed delay."""
        deadline = time.monotonic() + SETTLE_MAX
        while time.monotonic() < deadline:
            if int(admin.info("clients").get("blocked_clients", -1)) >= n:
                return
            time.sleep(0.01)
    return wait


def start(connect, protocol, call) -> Consumer:
    c = Consumer(connect(protocol), call)
    c.start()
    return c


def test_brpop_woken_by_lpush(connect, blocked, protocol):
    producer = connect(protocol)
    consumer = start(connect, protocol, lambda r: r.brpop(["celery"], timeout=5))
    blocked(1)
    time.sleep(0.2)
    producer.lpush("celery", b'{"task": "add", "args": [2, 2]}')
    assert consumer.outcome() in ([b"celery", b'{"task": "add", "args": [2, 2]}'],
                                  (b"celery", b'{"task": "add", "args": [2, 2]}'))
    assert 0.15 <= consumer.elapsed < 2, "woken by the push, not by the 5 s timeout"
    assert producer.exists("celery") == 0


def test_blpop_woken_by_rpush(connect, blocked, protocol):
    producer = connect(protocol)
    consumer = start(connect, protocol, lambda r: r.blpop("jobs", timeout=5))
    blocked(1)
    producer.rpush("jobs", "j1", "j2")
    assert list(consumer.outcome()) == [b"jobs", b"j1"]
    assert consumer.elapsed < 2
    assert producer.lrange("jobs", 0, -1) == [b"j2"]


def test_blmove_woken_moves_atomically(connect, blocked, protocol):
    producer = connect(protocol)
    consumer = start(connect, protocol, lambda r: r.blmove("pending", "processing", 5, "RIGHT", "LEFT"))
    blocked(1)
    producer.lpush("pending", "task-1")
    assert consumer.outcome() == b"task-1"
    assert consumer.elapsed < 2
    assert producer.lrange("processing", 0, -1) == [b"task-1"]
    assert producer.exists("pending") == 0


def test_brpoplpush_reliable_queue(connect, blocked, protocol):
    producer = connect(protocol)
    consumer = start(connect, protocol, lambda r: r.brpoplpush("rq:queue", "rq:wip", 5))
    blocked(1)
    producer.lpush("rq:queue", "job")
    assert consumer.outcome() == b"job"
    assert producer.lrange("rq:wip", 0, -1) == [b"job"]


def test_woken_by_a_transaction(connect, blocked, protocol):
    # kombu pushes through MULTI/EXEC pipelines: the consumer is served after EXEC, with
    # the list as the whole transaction left it.
    producer = connect(protocol)
    consumer = start(connect, protocol, lambda r: r.blpop("q", timeout=5))
    blocked(1)
    with producer.pipeline(transaction=True) as pipe:
        pipe.rpush("q", "a").rpush("q", "b").lpush("q", "first")
        assert pipe.execute() == [1, 2, 3]
    assert list(consumer.outcome()) == [b"q", b"first"]
    assert producer.lrange("q", 0, -1) == [b"a", b"b"]


def test_timeouts_answer_none(connect, protocol):
    r = connect(protocol)
    for call in (lambda: r.brpop("empty", timeout=0.5), lambda: r.blpop(["e1", "e2"], timeout=0.5),
                 lambda: r.blmove("empty", "dst", 0.5, "LEFT", "RIGHT"), lambda: r.brpoplpush("empty", "dst", 1)):
        start_t = time.monotonic()
        assert call() is None
        elapsed = time.monotonic() - start_t
        assert 0.4 <= elapsed < 2.5, elapsed
    assert r.exists("dst") == 0
    assert r.ping() is True, "the connection is usable after a timeout"


def test_multiple_queues_in_priority_order(connect, blocked, protocol):
    r = connect(protocol)
    r.rpush("low", "l1")
    r.rpush("high", "h1")
    # Data already there: the first non-empty key in argument order wins.
    assert list(r.brpop(["urgent", "high", "low"], timeout=1)) == [b"high", b"h1"]
    assert list(r.brpop(["urgent", "high", "low"], timeout=1)) == [b"low", b"l1"]
    # Blocked on all three: whichever queue receives first wakes the consumer.
    consumer = start(connect, protocol, lambda c: c.brpop(["urgent", "high", "low"], timeout=5))
    blocked(1)
    r.rpush("low", "l2")
    assert list(consumer.outcome()) == [b"low", b"l2"]
    # Several queues filled in one transaction: a blocked client is served from the key
    # that became ready first (Redis's ready-keys order), not by argument order.
    consumer = start(connect, protocol, lambda c: c.brpop(["urgent", "high", "low"], timeout=5))
    blocked(1)
    with r.pipeline(transaction=True) as pipe:
        pipe.rpush("low", "l3").rpush("high", "h2").execute()
    assert list(consumer.outcome()) == [b"low", b"l3"]
    assert r.lrange("high", 0, -1) == [b"h2"]


def test_blocked_consumers_are_served_first_come_first_served(connect, blocked, protocol):
    r = connect(protocol)
    consumers = []
    for i in range(4):
        consumers.append(start(connect, protocol, lambda c: c.blpop("fifo", timeout=10)))
        blocked(i + 1)
        time.sleep(0.05)             # arrival order must be unambiguous
    r.rpush("fifo", "m0", "m1", "m2")
    for i in range(3):
        assert list(consumers[i].outcome()) == [b"fifo", f"m{i}".encode()]
    assert consumers[3].is_alive(), "the fourth consumer has nothing yet"
    r.rpush("fifo", "m3")
    assert list(consumers[3].outcome()) == [b"fifo", b"m3"]


def test_blocked_connection_survives_and_is_reused(connect, blocked, protocol):
    r = connect(protocol)
    worker = connect(protocol)
    for i in range(3):              # the same connection blocks, is woken, blocks again
        consumer = Consumer(worker, lambda c: c.brpop("q", timeout=5))
        consumer.start()
        blocked(1)
        r.lpush("q", f"v{i}")
        assert list(consumer.outcome()) == [b"q", f"v{i}".encode()]
    assert worker.ping() is True


CONSUMER_PROCESS = r"""
import sys, redis
r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]), protocol=int(sys.argv[2]))
got = []
while True:
    item = r.brpop(["tasks.high", "tasks"], timeout=5)      # a Celery-like worker loop
    if item is None:
        print("TIMEOUT", flush=True); break
    if item[1] == b"STOP":
        break
    got.append((item[0].decode(), item[1].decode()))
print(";".join(f"{q}={v}" for q, v in got), flush=True)
"""


def test_worker_process_drains_queues(server, connect, protocol):
    r = connect(protocol)
    proc = subprocess.Popen([sys.executable, "-c", CONSUMER_PROCESS, str(server.port), str(protocol)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)              # the worker is blocked on an empty queue
        for i in range(20):
            r.lpush("tasks", f"t{i}")
            if i % 5 == 0:
                r.lpush("tasks.high", f"h{i}")
            time.sleep(0.005)
        time.sleep(0.3)
        r.lpush("tasks", "STOP")
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    got = out.strip().split(";")
    assert sorted(v for v in got if v.startswith("tasks=")) == sorted(f"tasks=t{i}" for i in range(20))
    assert [v for v in got if v.startswith("tasks=")] == [f"tasks=t{i}" for i in range(20)], "FIFO per queue"
    assert [v for v in got if v.startswith("tasks.high=")] == [f"tasks.high=h{i}" for i in (0, 5, 10, 15)]
    assert r.exists("tasks", "tasks.high") == 0


@pytest.mark.zsets
def test_bzpopmin_woken_by_zadd(connect, blocked, protocol):
    producer = connect(protocol)
    consumer = start(connect, protocol, lambda r: r.bzpopmin(["delayed"], timeout=5))
    blocked(1)
    producer.zadd("delayed", {"later": 20, "sooner": 10})
    result = consumer.outcome()
    assert (result[0], result[1], float(result[2])) == (b"delayed", b"sooner", 10.0)
    assert consumer.elapsed < 2
    assert producer.zrange("delayed", 0, -1) == [b"later"]
    assert producer.bzpopmax("delayed", timeout=1)[1] == b"later"
    start_t = time.monotonic()
    assert producer.bzpopmin("delayed", timeout=0.5) is None
    assert time.monotonic() - start_t >= 0.4
