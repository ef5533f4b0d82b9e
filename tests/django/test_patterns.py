"""Everyday Django cache patterns through django.core.cache.backends.redis.RedisCache.

The server is started once per session by conftest.py (start_mokad(); MOKAD_TARGET=redis
runs the same tests against redis-server). `raw` is a redis-py client on the same database,
used to check what actually reached the server (TTLs, stored keys and bytes).
"""
from __future__ import annotations

import datetime
import decimal
import os
import pickle
import threading
import time
from dataclasses import dataclass

import pytest
import redis


@dataclass
class Profile:
    name: str
    tags: list


# --- connection -------------------------------------------------------------------------

def test_backend_speaks_resp3(cache):
    client = cache._cache.get_client(write=True)
    assert client.ping() is True
    pool = client.connection_pool
    conn = pool.get_connection()
    try:
        meta = {(k.decode() if isinstance(k, bytes) else k): v
                for k, v in (conn.handshake_metadata or {}).items()}
        assert meta.get("proto") == 3, meta
    finally:
        pool.release(conn)


# --- cache-aside ------------------------------------------------------------------------

def test_cache_aside(cache, raw):
    calls = []

    def expensive(user_id):
        calls.append(user_id)
        return {"id": user_id, "name": f"user-{user_id}", "score": 12.5}

    def get_user(user_id):
        key = f"user:{user_id}"
        value = cache.get(key)
        if value is None:
            value = expensive(user_id)
            cache.set(key, value, timeout=60)
        return value

    assert cache.get("user:7") is None
    first = get_user(7)
    assert calls == [7]
    second = get_user(7)
    assert calls == [7], "second lookup must be a cache hit"
    assert second == first == {"id": 7, "name": "user-7", "score": 12.5}
    assert 55 <= raw.ttl(cache.make_key("user:7")) <= 60
    # A different key is a separate miss.
    get_user(8)
    assert calls == [7, 8]


def test_default_timeout_is_300s(cache, raw):
    cache.set("plain", "v")
    assert 290 <= raw.ttl(cache.make_key("plain")) <= 300


# --- add / get_or_set -------------------------------------------------------------------

def test_add_only_when_absent(cache):
    assert cache.add("lock", "owner-1", timeout=30) is True
    assert cache.add("lock", "owner-2", timeout=30) is False
    assert cache.get("lock") == "owner-1"
    cache.delete("lock")
    assert cache.add("lock", "owner-3") is True
    assert cache.get("lock") == "owner-3"


def test_add_does_not_overwrite_stored_none(cache):
    cache.set("nothing", None)
    assert cache.add("nothing", "something") is False
    assert cache.get("nothing", "default") is None


def test_get_or_set(cache):
    assert cache.get_or_set("greeting", "hello", timeout=30) == "hello"
    assert cache.get("greeting") == "hello"
    # Present: the new default is ignored and nothing is overwritten.
    assert cache.get_or_set("greeting", "bonjour") == "hello"
    assert cache.get("greeting") == "hello"


def test_get_or_set_callable(cache):
    calls = []

    def compute():
        calls.append(1)
        return [1, 2, 3]

    assert cache.get_or_set("computed", compute, timeout=30) == [1, 2, 3]
    assert cache.get_or_set("computed", compute, timeout=30) == [1, 2, 3]
    assert len(calls) == 1, "callable must only run on the miss"
    assert cache.get("computed") == [1, 2, 3]


# --- incr / decr ------------------------------------------------------------------------

def test_incr_decr(cache, raw):
    cache.set("hits", 10)
    assert cache.incr("hits") == 11
    assert cache.incr("hits", 5) == 16
    assert cache.decr("hits") == 15
    assert cache.decr("hits", 20) == -5
    assert cache.get("hits") == -5
    # Integers are stored as plain numbers (not pickled), which is what INCRBY needs.
    assert raw.get(cache.make_key("hits")) == b"-5"
    assert cache.incr("hits", 2**40) == 2**40 - 5


def test_incr_decr_missing_key_raises_value_error(cache):
    with pytest.raises(ValueError):
        cache.incr("does-not-exist")
    with pytest.raises(ValueError):
        cache.decr("does-not-exist")
    assert cache.has_key("does-not-exist") is False
    assert cache.get("does-not-exist") is None


def test_incr_non_integer_is_an_error(cache):
    cache.set("word", "abc")
    with pytest.raises(redis.ResponseError):
        cache.incr("word")
    assert cache.get("word") == "abc"


def test_incr_keeps_expiry(cache, raw):
    cache.set("counter", 1, timeout=100)
    assert cache.incr("counter") == 2
    assert 90 <= raw.ttl(cache.make_key("counter")) <= 100


# --- expiry -----------------------------------------------------------------------------

def test_timeout_expires(cache):
    cache.set("short", "lived", timeout=1)
    assert cache.add("short-add", "lived", timeout=1) is True
    cache.set("long", "lived", timeout=30)
    assert cache.get("short") == "lived"
    time.sleep(1.2)
    assert cache.get("short") is None
    assert cache.get("short", "expired") == "expired"
    assert cache.has_key("short") is False
    assert cache.get("short-add") is None
    assert cache.add("short-add", "again") is True, "add must succeed once the key expired"
    assert cache.get("long") == "lived"


def test_touch_extends_and_removes_expiry(cache, raw):
    cache.set("extended", "e", timeout=1)
    cache.set("persisted", "p", timeout=1)
    assert cache.touch("extended", timeout=30) is True
    assert cache.touch("persisted", timeout=None) is True
    assert 25 <= raw.ttl(cache.make_key("extended")) <= 30
    assert raw.ttl(cache.make_key("persisted")) == -1  # no expiry any more
    assert cache.touch("missing", timeout=30) is False
    time.sleep(1.2)
    assert cache.get("extended") == "e"
    assert cache.get("persisted") == "p"


def test_timeout_none_never_expires(cache, raw):
    cache.set("forever", "v", timeout=None)
    assert raw.ttl(cache.make_key("forever")) == -1
    assert cache.get("forever") == "v"
    # Re-setting with a timeout puts an expiry back, and None removes it again.
    cache.set("forever", "v2", timeout=30)
    assert 25 <= raw.ttl(cache.make_key("forever")) <= 30
    cache.set("forever", "v3", timeout=None)
    assert raw.ttl(cache.make_key("forever")) == -1
    assert cache.get("forever") == "v3"


def test_timeout_zero_is_not_stored(cache, raw):
    cache.set("zero", "v", timeout=0)
    assert cache.get("zero") is None
    assert raw.exists(cache.make_key("zero")) == 0
    # An existing value is removed by a non-positive timeout.
    cache.set("zero", "old", timeout=30)
    assert cache.get("zero") == "old"
    cache.set("zero", "new", timeout=0)
    assert cache.get("zero") is None
    cache.set("negative", "old", timeout=30)
    cache.set("negative", "new", timeout=-1)
    assert cache.get("negative") is None
    # add() with timeout=0 reports the key as added (it was absent) but does not keep it.
    assert cache.add("zero-add", "v", timeout=0) is True
    assert cache.get("zero-add") is None
    assert raw.exists(cache.make_key("zero-add")) == 0


# --- invalidation / bulk / clear / has_key ----------------------------------------------

def test_invalidation_on_update(cache):
    cache.set("article:1", {"title": "Old"}, timeout=60)
    assert cache.get("article:1") == {"title": "Old"}
    # The article changes: invalidate, next read misses and returns the default.
    assert cache.delete("article:1") is True
    assert cache.get("article:1", "MISS") == "MISS"
    assert cache.delete("article:1") is False
    cache.set("article:1", {"title": "New"}, timeout=60)
    assert cache.get("article:1") == {"title": "New"}
    # Overwriting in place also replaces the value.
    cache.set("article:1", {"title": "Newer"}, timeout=60)
    assert cache.get("article:1") == {"title": "Newer"}


def test_set_many_get_many_delete_many(cache, raw):
    data = {"a": 1, "b": "two", "c": [3], "d": {"four": 4}, "e": None}
    assert cache.set_many(data, timeout=60) == []
    assert cache.get_many(["a", "b", "c", "d", "e", "missing"]) == data
    assert cache.get_many(["missing", "also-missing"]) == {}
    for k in data:
        assert 55 <= raw.ttl(cache.make_key(k)) <= 60
    cache.delete_many(["a", "c", "missing"])
    assert cache.get_many(["a", "b", "c", "d"]) == {"b": "two", "d": {"four": 4}}
    cache.delete_many(["b", "d", "e"])
    assert cache.get_many(list(data)) == {}


def test_set_many_without_timeout_persists(cache, raw):
    cache.set_many({"p1": 1, "p2": 2}, timeout=None)
    assert raw.ttl(cache.make_key("p1")) == -1
    assert raw.ttl(cache.make_key("p2")) == -1
    assert cache.get_many(["p1", "p2"]) == {"p1": 1, "p2": 2}


def test_clear(cache, raw):
    cache.set_many({f"k{i}": i for i in range(20)})
    assert cache.get("k19") == 19
    assert raw.dbsize() == 20
    cache.clear()
    assert cache.get("k19") is None
    assert cache.get_many([f"k{i}" for i in range(20)]) == {}
    assert raw.dbsize() == 0


def test_has_key(cache):
    assert cache.has_key("hk") is False
    cache.set("hk", "v")
    assert cache.has_key("hk") is True
    cache.set("hk-none", None)
    assert cache.has_key("hk-none") is True
    cache.delete("hk")
    assert cache.has_key("hk") is False


# --- keys and values --------------------------------------------------------------------

NON_ASCII = {
    "clé-ünïcødé": "valeur é",
    "ключ": "значение",
    "キー": "値",
    "🔑-emoji": "🗝",
    "中文:键": {"嵌套": ["ü", "ß"]},
}


def test_non_ascii_keys_and_values(cache, raw):
    for k, v in NON_ASCII.items():
        cache.set(k, v)
    for k, v in NON_ASCII.items():
        assert cache.get(k) == v, k
        assert raw.exists(cache.make_key(k)) == 1, k
    assert cache.get_many(list(NON_ASCII)) == NON_ASCII
    assert cache.add("ключ-count", 1) is True
    assert cache.incr("ключ-count") == 2
    cache.delete_many(list(NON_ASCII))
    assert cache.get_many(list(NON_ASCII)) == {}


def test_binary_and_pickled_values(cache, raw):
    values = {
        "bytes": bytes(range(256)) * 4,
        "nul-bytes": b"\x00\r\n\x00$-1\r\n*3\r\n",  # RESP-looking bytes must be opaque
        "dict": {"a": 1, "nested": {"b": [1, 2, {"c": (3, 4)}]}, 5: None},
        "set": {1, 2, 3},
        "tuple": (1, "two", 3.0),
        "datetime": datetime.datetime(2024, 2, 29, 12, 30, tzinfo=datetime.timezone.utc),
        "decimal": decimal.Decimal("3.14159265358979323846"),
        "dataclass": Profile("ada", ["admin", "ops"]),
        "bool": True,
        "float": 1.5,
        "empty-str": "",
        "empty-bytes": b"",
    }
    for k, v in values.items():
        cache.set(k, v)
    for k, v in values.items():
        got = cache.get(k)
        assert got == v and type(got) is type(v), k
    # Non-int values are pickled; the stored bytes must be exactly what pickle produced.
    stored = raw.get(cache.make_key("dict"))
    assert pickle.loads(stored) == values["dict"]


def test_large_values(cache, raw):
    blob = os.urandom(1024 * 1024)
    text = "x" * (1024 * 1024) + "é"
    cache.set("blob", blob)
    cache.set("text", text)
    assert cache.get("blob") == blob
    assert cache.get("text") == text
    assert raw.strlen(cache.make_key("blob")) > 1024 * 1024
    assert cache.get_many(["blob", "text"]) == {"blob": blob, "text": text}


# --- namespacing --------------------------------------------------------------------------

def test_versioned_keys(cache, raw):
    cache.set("conf", "v1", version=1)
    cache.set("conf", "v2", version=2)
    assert cache.get("conf") == "v1"  # default VERSION is 1
    assert cache.get("conf", version=1) == "v1"
    assert cache.get("conf", version=2) == "v2"
    assert cache.get("conf", version=3) is None
    assert raw.exists(":1:conf", ":2:conf") == 2
    cache.delete("conf", version=2)
    assert cache.get("conf", version=2) is None
    assert cache.get("conf", version=1) == "v1"
    # incr_version moves the value to the next version.
    cache.set("moving", "m", version=1)
    assert cache.incr_version("moving") == 2
    assert cache.get("moving", version=1) is None
    assert cache.get("moving", version=2) == "m"
    assert cache.decr_version("moving", version=2) == 1
    assert cache.get("moving", version=1) == "m"
    assert cache.get_many(["conf", "moving"], version=1) == {"conf": "v1", "moving": "m"}


def test_key_prefix_isolation(caches, raw):
    a, b, plain = caches["prefix_a"], caches["prefix_b"], caches["default"]
    a.set("shared", "from-a")
    b.set("shared", "from-b")
    assert a.get("shared") == "from-a"
    assert b.get("shared") == "from-b"
    assert plain.get("shared") is None
    assert raw.get("app_a:1:shared") is not None
    assert raw.get("app_b:1:shared") is not None
    a.delete("shared")
    assert a.get("shared") is None
    assert b.get("shared") == "from-b"
    a.set("n", 1)
    b.set("n", 100)
    assert a.incr("n") == 2
    assert b.get("n") == 100
    assert a.add("only-b", "a") is True
    assert b.has_key("only-b") is False


def test_databases_are_isolated(caches, server):
    db1, db2 = caches["default"], caches["db2"]
    db1.set("where", "db1")
    db2.set("where", "db2")
    assert db1.get("where") == "db1"
    assert db2.get("where") == "db2"
    db1.set("only-in-1", 1)
    assert db2.get("only-in-1") is None
    assert db2.has_key("only-in-1") is False
    # Raw views of each database (and of db 0, which must stay empty).
    raw0 = redis.Redis.from_url(f"{server.url}/0")
    raw2 = redis.Redis.from_url(f"{server.url}/2")
    try:
        assert raw2.exists(db2.make_key("where")) == 1
        assert raw2.exists(db1.make_key("only-in-1")) == 0
        assert raw0.exists(db1.make_key("where")) == 0
        # clear() on db 1 flushes only db 1.
        db1.clear()
        assert db1.get("where") is None
        assert db2.get("where") == "db2"
        assert raw2.dbsize() == 1
    finally:
        raw0.close()
        raw2.close()


# --- concurrency --------------------------------------------------------------------------

def test_concurrent_incr_exact_total(caches):
    threads_n, per_thread = 8, 250
    caches["default"].set("concurrent", 0, timeout=None)
    barrier = threading.Barrier(threads_n)
    results: list[list[int]] = [[] for _ in range(threads_n)]
    errors: list[BaseException] = []

    def worker(i):
        try:
            c = caches["default"]  # per-thread backend instance, own connection pool
            barrier.wait()
            for _ in range(per_thread):
                results[i].append(c.incr("concurrent"))
        except BaseException as e:  # noqa: BLE001 - re-raised in the main thread
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    total = threads_n * per_thread
    assert caches["default"].get("concurrent") == total
    seen = sorted(v for r in results for v in r)
    assert seen == list(range(1, total + 1)), "every incr must return a distinct value"


# --- Lua scripts through redis-py ---------------------------------------------------------

# django-redis's incr, verbatim: INCRBY only when the key exists.
DJANGO_REDIS_INCR = """local exists = redis.call('EXISTS', KEYS[1])
if (exists == 1) then
    return redis.call('INCRBY', KEYS[1], ARGV[1])
else return false end"""


def test_django_redis_incr_script(raw):
    incr = raw.register_script(DJANGO_REDIS_INCR)
    raw.set("hits", 10)
    assert incr(keys=["hits"], args=[5]) == 15
    assert incr(keys=["hits"], args=[-20]) == -5
    assert incr(keys=["missing"], args=[1]) is None
    assert raw.exists("missing") == 0
    # The script is cached: EVALSHA finds it after the first call.
    assert raw.script_exists(incr.sha) == [True]


def test_redis_py_lock_acquire_extend_reacquire_release(raw):
    lock = raw.lock("job-lock", timeout=10)
    assert lock.acquire(blocking=False)
    assert not raw.lock("job-lock", timeout=10).acquire(blocking=False)
    assert lock.owned()
    assert lock.extend(5)
    assert 14_000 <= raw.pttl("job-lock") <= 15_000
    assert lock.extend(3, replace_ttl=True)
    assert 2_000 <= raw.pttl("job-lock") <= 3_000
    assert lock.reacquire()
    assert 9_000 <= raw.pttl("job-lock") <= 10_000
    # Someone else's token cannot release or extend it.
    foreign = raw.lock("job-lock", timeout=10)
    foreign.local.token = b"someone-else"
    with pytest.raises(redis.exceptions.LockNotOwnedError):
        foreign.release()
    foreign.local.token = b"someone-else"  # release() forgets the token even when it fails
    with pytest.raises(redis.exceptions.LockNotOwnedError):
        foreign.extend(5)
    lock.release()
    assert raw.exists("job-lock") == 0
    with raw.lock("job-lock", timeout=5, blocking_timeout=1):
        assert raw.exists("job-lock") == 1
    assert raw.exists("job-lock") == 0
