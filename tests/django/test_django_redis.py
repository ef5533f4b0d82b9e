"""The third-party django-redis backend (`django_redis.cache.RedisCache`, version pinned in
tests/requirements.txt) against the server under test, through the backend's own API.

Every test runs twice (fixture `djr` in conftest.py): over RESP3 (redis-py 8's default,
database 3) and over RESP2 (`?protocol=2`, database 4). `djr_raw` is the redis-py client the
backend uses, to check what actually reached the server.

Areas (tests/python/areas.py): `incr`/`decr` run a Lua script (EVAL) and `lock` releases and
extends through Lua scripts (EVALSHA), so those tests are marked `scripting`; the hash, set
and sorted-set helpers are marked `hashes`, `sets` and `zsets`. The rest uses string and
keyspace commands only.
"""
from __future__ import annotations

import datetime
import threading
import time

import pytest
import redis
from redis.exceptions import LockError, LockNotOwnedError


def raw_key(cache, key, version=None):
    return cache.make_key(key, version=version)


# --- basic operations ---------------------------------------------------------------------

def test_set_get_delete(djr, djr_raw):
    assert djr.get("k") is None
    assert djr.get("k", "default") == "default"
    assert djr.set("k", {"a": [1, 2]}) is True
    assert djr.get("k") == {"a": [1, 2]}
    assert djr.has_key("k") is True
    assert "k" in djr
    assert djr.delete("k") is True
    assert djr.delete("k") is False
    assert djr.has_key("k") is False
    assert djr_raw.exists(raw_key(djr, "k")) == 0


def test_integers_are_stored_as_plain_numbers(djr, djr_raw):
    djr.set("n", 42)
    djr.set("negative", -7)
    djr.set("flag", True)          # bools are pickled, not stored as 1
    djr.set("big", 2**70)
    assert djr_raw.get(raw_key(djr, "n")) == b"42"
    assert djr_raw.get(raw_key(djr, "negative")) == b"-7"
    assert djr_raw.get(raw_key(djr, "big")) == str(2**70).encode()
    assert djr_raw.get(raw_key(djr, "flag")) != b"1"
    assert djr.get("n") == 42 and djr.get("negative") == -7 and djr.get("big") == 2**70
    assert djr.get("flag") is True


def test_add_and_set_nx_xx(djr):
    assert djr.add("a", 1) is True
    assert djr.add("a", 2) is False
    assert djr.get("a") == 1
    assert djr.set("a", 3, nx=True) is False
    assert djr.set("b", 3, xx=True) is False
    assert djr.has_key("b") is False
    assert djr.set("a", 4, xx=True) is True
    assert djr.get("a") == 4


def test_set_timeouts(djr, djr_raw):
    djr.set("default", "v")                    # default TIMEOUT: 300 s, sent as PX
    assert 299_000 <= djr_raw.pttl(raw_key(djr, "default")) <= 300_000
    djr.set("short", "v", timeout=1.5)
    assert 1_000 <= djr_raw.pttl(raw_key(djr, "short")) <= 1_500
    djr.set("forever", "v", timeout=None)
    assert djr_raw.ttl(raw_key(djr, "forever")) == -1
    djr.set("gone", "v", timeout=30)
    assert djr.set("gone", "v", timeout=0) is True      # a non-positive timeout deletes the key
    assert djr.has_key("gone") is False
    assert djr.add("never", "v", timeout=-1) is True    # nx with a non-positive timeout: no write
    assert djr.has_key("never") is False


def test_values_expire(djr):
    djr.set("brief", "v", timeout=0.3)
    djr.set("lasting", "v", timeout=30)
    assert djr.get("brief") == "v"
    time.sleep(0.5)
    assert djr.get("brief") is None
    assert djr.add("brief", "again") is True
    assert djr.get("lasting") == "v"


def test_get_many_set_many_delete_many(djr, djr_raw):
    data = {"a": 1, "b": "two", "c": [3], "d": None}
    djr.set_many(data, timeout=60)
    assert djr.get_many(["a", "b", "c", "d", "missing"]) == data
    assert djr.get_many([]) == {}
    for k in data:
        assert 55 <= djr_raw.ttl(raw_key(djr, k)) <= 60
    assert djr.delete_many(["a", "b", "missing"]) == 2
    assert djr.get_many(["a", "b", "c"]) == {"c": [3]}
    assert djr.delete_many([]) == 0


def test_clear_flushes_only_its_database(django_caches, djr):
    other = django_caches["djr_resp2" if djr is django_caches["djr_resp3"] else "djr_resp3"]
    djr.set("mine", 1)
    other.set("theirs", 2)
    try:
        djr.clear()
        assert djr.get("mine") is None
        assert other.get("theirs") == 2
    finally:
        other.delete("theirs")


def test_versions_and_incr_version(djr, djr_raw):
    djr.set("conf", "v1")
    djr.set("conf", "v2", version=2)
    assert djr.get("conf") == "v1" and djr.get("conf", version=2) == "v2"
    djr.set("moving", "m", timeout=100)
    assert djr.incr_version("moving") == 2
    assert djr.get("moving") is None
    assert djr.get("moving", version=2) == "m"
    assert 90 <= djr_raw.ttl(raw_key(djr, "moving", version=2)) <= 100
    with pytest.raises(ValueError):
        djr.incr_version("nothing-here")


def test_get_or_set(djr):
    calls = []

    def compute():
        calls.append(1)
        return {"computed": True}

    assert djr.get_or_set("lazy", compute, timeout=30) == {"computed": True}
    assert djr.get_or_set("lazy", compute, timeout=30) == {"computed": True}
    assert calls == [1]


# --- keys, patterns ------------------------------------------------------------------------

def test_keys_and_iter_keys(djr):
    for i in range(25):
        djr.set(f"user:{i}", i)
    djr.set("other", 0)
    djr.set("user:0", "v2", version=2)
    expected = {f"user:{i}" for i in range(25)}
    assert set(djr.keys("user:*")) == expected
    assert set(djr.iter_keys("user:*")) == expected
    assert set(djr.iter_keys("user:*", itersize=3)) == expected
    assert sorted(djr.keys("user:1?")) == [f"user:{i}" for i in range(10, 20)]
    assert djr.keys("user:0", version=2) == ["user:0"]
    assert djr.keys("nothing*") == []
    assert set(djr.keys("*")) == expected | {"other"}


def test_delete_pattern(djr):
    for i in range(30):
        djr.set(f"session:{i}", i)
    djr.set("keep", 1)
    djr.set("session:x", "other version", version=2)
    assert djr.delete_pattern("session:*", itersize=7) == 30
    assert djr.keys("session:*") == []
    assert djr.get("keep") == 1
    assert djr.get("session:x", version=2) == "other version"
    assert djr.delete_pattern("session:*") == 0
    assert djr.delete_pattern("session:*", version=2) == 1


def test_patterns_escape_the_key_prefix(django_caches):
    plain, prefixed = django_caches["djr_resp3"], django_caches["djr_prefixed"]
    plain.clear()
    try:
        prefixed.set("a1", 1)
        prefixed.set("a2", 2)
        plain.set("a3", 3)
        raw = plain.client.get_client()
        assert raw.exists("pre*fix[1]:1:a1") == 1
        assert sorted(prefixed.keys("a*")) == ["a1", "a2"]
        assert sorted(prefixed.iter_keys("a*")) == ["a1", "a2"]
        assert prefixed.delete_pattern("a*") == 2
        assert plain.get("a3") == 3
    finally:
        plain.clear()


# --- expiry helpers ---------------------------------------------------------------------------

def test_ttl_and_pttl(djr):
    assert djr.ttl("missing") == 0
    assert djr.pttl("missing") == 0
    djr.set("persistent", 1, timeout=None)
    assert djr.ttl("persistent") is None
    assert djr.pttl("persistent") is None
    djr.set("volatile", 1, timeout=100)
    assert 95 <= djr.ttl("volatile") <= 100
    assert 95_000 <= djr.pttl("volatile") <= 100_000


def test_expire_pexpire_persist(djr):
    djr.set("k", "v", timeout=None)
    assert djr.expire("k", 100) is True
    assert 95 <= djr.ttl("k") <= 100
    assert djr.pexpire("k", 20_500) is True
    assert 19_000 <= djr.pttl("k") <= 20_500
    assert djr.persist("k") is True
    assert djr.ttl("k") is None
    assert djr.persist("k") is False
    assert djr.expire("missing", 100) is False
    assert djr.pexpire("missing", 100) is False
    assert djr.persist("missing") is False


def test_expire_at_pexpire_at(djr):
    djr.set("k", "v", timeout=None)
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=50)
    assert djr.expire_at("k", when) is True
    assert 45 <= djr.ttl("k") <= 50
    assert djr.pexpire_at("k", int(time.time() * 1000) + 80_000) is True
    assert 75_000 <= djr.pttl("k") <= 80_000
    assert djr.expire_at("missing", when) is False
    # A time in the past deletes the key.
    assert djr.expire_at("k", datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)) is True
    assert djr.has_key("k") is False


def test_touch(djr):
    djr.set("k", "v", timeout=1)
    assert djr.touch("k", 60) is True
    assert 55 <= djr.ttl("k") <= 60
    assert djr.touch("k", None) is True
    assert djr.ttl("k") is None
    assert djr.touch("missing", 60) is False
    djr.set("brief", "v", timeout=60)
    assert djr.touch("brief", 0.3) is True
    time.sleep(0.5)
    assert djr.get("brief") is None


# --- incr / decr (Lua) ------------------------------------------------------------------------

@pytest.fixture
def evals(djr, monkeypatch):
    """Records every EVAL the backend sends and how it ended ("ok" or the exception), so
    the tests can tell the Lua path from django-redis's get+set fallback, which also
    produces the right numbers when EVAL fails (but not atomically)."""
    client = djr.client.get_client(write=True)
    original = client.eval
    calls = []

    def spy(*args, **kwargs):
        try:
            result = original(*args, **kwargs)
        except Exception as e:
            calls.append(e)
            raise
        calls.append("ok")
        return result
    monkeypatch.setattr(client, "eval", spy)
    return calls


@pytest.mark.scripting
def test_incr_decr(djr, djr_raw, evals):
    djr.set("n", 10)
    assert djr.incr("n") == 11
    assert djr.incr("n", 9) == 20
    assert djr.decr("n") == 19
    assert djr.decr("n", 30) == -11
    assert djr.get("n") == -11
    assert djr_raw.get(raw_key(djr, "n")) == b"-11"
    assert evals == ["ok"] * 4, "every step must be answered by the Lua script"


@pytest.mark.scripting
def test_incr_missing_key(djr, evals):
    with pytest.raises(ValueError):
        djr.incr("missing")          # the script answers false (a nil reply)
    with pytest.raises(ValueError):
        djr.decr("missing")
    assert djr.has_key("missing") is False
    assert djr.incr("missing", 5, ignore_key_check=True) == 5
    assert djr.get("missing") == 5
    assert evals == ["ok"] * 3


@pytest.mark.scripting
def test_incr_keeps_ttl(djr, evals):
    djr.set("n", 1, timeout=100)
    assert djr.incr("n") == 2
    assert 95 <= djr.ttl("n") <= 100
    assert evals == ["ok"]


@pytest.mark.scripting
def test_incr_falls_back_when_redis_refuses(djr, djr_raw, evals):
    # INCRBY inside the script fails (overflow, or a pickled float): the script's error
    # reply must reach the client as a ResponseError so django-redis falls back to
    # get + set, keeping the TTL.
    djr.set("max", 2**63 - 1, timeout=100)
    assert djr.incr("max") == 2**63
    assert djr.get("max") == 2**63
    assert 95 <= djr.ttl("max") <= 100
    djr.set("float", 1.5)
    assert djr.incr("float") == 2.5
    assert djr.get("float") == 2.5
    assert len(evals) == 2 and all(isinstance(e, redis.ResponseError) for e in evals), evals
    assert "overflow" in str(evals[0]) and "not an integer" in str(evals[1])


@pytest.mark.scripting
def test_concurrent_incr_is_exact(djr, evals):
    djr.set("hits", 0, timeout=None)
    n_threads, per_thread = 6, 100
    barrier = threading.Barrier(n_threads)
    errors = []

    def work():
        try:
            barrier.wait()
            for _ in range(per_thread):
                djr.incr("hits")
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert djr.get("hits") == n_threads * per_thread
    assert evals == ["ok"] * (n_threads * per_thread), "atomic only on the Lua path"


# --- lock (SET NX PX to acquire, Lua to release/extend/reacquire) ------------------------------

@pytest.mark.scripting
def test_lock_acquire_release(djr, djr_raw):
    lock = djr.lock("resource", timeout=10)
    assert lock.acquire(blocking=False) is True
    assert lock.locked() is True and lock.owned() is True
    assert 9 <= djr_raw.ttl(raw_key(djr, "resource")) <= 10
    other = djr.lock("resource", timeout=10)
    assert other.acquire(blocking=False) is False
    assert other.owned() is False
    lock.release()
    assert lock.locked() is False
    assert djr_raw.exists(raw_key(djr, "resource")) == 0
    assert other.acquire(blocking=False) is True
    other.release()
    with pytest.raises(LockError):
        other.release()              # not held any more: refused locally


@pytest.mark.scripting
def test_lock_blocking_timeout(djr):
    holder = djr.lock("busy", timeout=10)
    assert holder.acquire() is True
    waiter = djr.lock("busy", timeout=10, sleep=0.02, blocking_timeout=0.3)
    start = time.monotonic()
    assert waiter.acquire() is False
    assert 0.25 <= time.monotonic() - start < 3
    holder.release()
    assert waiter.acquire() is True
    waiter.release()


@pytest.mark.scripting
def test_lock_blocking_waits_for_release(djr):
    # thread_local=False: the token must be visible to the timer thread that releases.
    holder = djr.lock("handoff", timeout=10, thread_local=False)
    holder.acquire()
    threading.Timer(0.3, holder.release).start()
    waiter = djr.lock("handoff", timeout=10, sleep=0.02)
    start = time.monotonic()
    assert waiter.acquire(blocking=True, blocking_timeout=5) is True
    assert 0.2 <= time.monotonic() - start < 4
    waiter.release()


@pytest.mark.scripting
def test_lock_expires_and_old_owner_cannot_release(djr):
    first = djr.lock("expiring", timeout=0.3)
    assert first.acquire(blocking=False) is True
    time.sleep(0.5)
    assert first.locked() is False
    second = djr.lock("expiring", timeout=10)
    assert second.acquire(blocking=False) is True
    with pytest.raises(LockNotOwnedError):
        first.extend(10)             # the extend script finds another token
    with pytest.raises(LockNotOwnedError):
        first.release()              # so does the release script
    assert second.owned() is True
    second.release()


@pytest.mark.scripting
def test_lock_extend_and_reacquire(djr, djr_raw):
    lock = djr.lock("long-job", timeout=5)
    lock.acquire()
    assert lock.extend(20) is True                        # adds to the remaining TTL
    assert 20_000 < djr_raw.pttl(raw_key(djr, "long-job")) <= 25_000
    assert lock.extend(3, replace_ttl=True) is True
    assert 2_000 < djr_raw.pttl(raw_key(djr, "long-job")) <= 3_000
    assert lock.reacquire() is True                       # back to the lock's own timeout
    assert 4_000 < djr_raw.pttl(raw_key(djr, "long-job")) <= 5_000
    lock.release()
    with pytest.raises(LockError):
        lock.extend(5)


@pytest.mark.scripting
def test_lock_context_manager_serializes_threads(djr):
    djr.set("counter", 0, timeout=None)
    n_threads, rounds = 4, 15
    errors = []

    def work():
        try:
            for _ in range(rounds):
                with djr.lock("counter-lock", timeout=10, sleep=0.005, blocking_timeout=30):
                    value = djr.get("counter")       # deliberately not atomic: the lock is
                    time.sleep(0.001)                # what makes read-modify-write safe
                    djr.set("counter", value + 1, timeout=None)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    assert djr.get("counter") == n_threads * rounds
    assert djr.has_key("counter-lock") is False


# --- hashes ---------------------------------------------------------------------------------------

@pytest.mark.hashes
def test_hash_helpers(djr, djr_raw):
    assert djr.hset("h", "name", "ada") == 1
    assert djr.hset("h", "name", "grace") == 0
    assert djr.hset("h", mapping={"age": 36, "tags": ["x", "y"]}) == 2
    assert djr.hlen("h") == 3
    assert sorted(djr.hkeys("h")) == ["age", "name", "tags"]
    assert djr.hexists("h", "age") is True
    assert djr.hexists("h", "nope") is False
    # Values go through the serializer (ints stay plain); no hget helper, so read raw.
    decode = djr.client.decode
    assert decode(djr_raw.hget(raw_key(djr, "h"), "name")) == "grace"
    assert djr_raw.hget(raw_key(djr, "h"), "age") == b"36"
    assert decode(djr_raw.hget(raw_key(djr, "h"), "tags")) == ["x", "y"]
    assert djr.hdel("h", "age") == 1
    assert djr.hdel("h", "age") == 0
    assert djr.hlen("h") == 2
    assert djr.hlen("missing") == 0 and djr.hkeys("missing") == []
    djr.hdel("h", "name")
    djr.hdel("h", "tags")
    assert djr.has_key("h") is False      # the emptied hash is gone


@pytest.mark.hashes
def test_hash_versions_and_expiry(djr):
    djr.hset("h", "f", 1, version=2)
    assert djr.hlen("h") == 0
    assert djr.hlen("h", version=2) == 1
    assert djr.expire("h", 100, version=2) is True
    assert 95 <= djr.ttl("h", version=2) <= 100
    assert djr.keys("h", version=2) == ["h"]


@pytest.mark.hashes
def test_get_on_a_hash_is_wrongtype(djr):
    djr.hset("h", "f", "v")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        djr.get("h")
    djr.set("x", "v")
    assert djr.get_many(["h", "x"]) == {"x": "v"}       # MGET answers nil for other types
    assert djr.delete("h") is True


# --- sets -----------------------------------------------------------------------------------------

@pytest.mark.sets
def test_set_helpers(djr):
    assert djr.sadd("s", "a", "b", 3, ("t", 1)) == 4
    assert djr.sadd("s", "a") == 0
    assert djr.scard("s") == 4
    assert djr.smembers("s") == {"a", "b", 3, ("t", 1)}
    assert djr.sismember("s", 3) is True
    assert djr.sismember("s", "zz") is False
    assert djr.smismember("s", "a", "zz", ("t", 1)) == [True, False, True]
    assert djr.srem("s", "a", "zz") == 1
    assert djr.smembers("s") == {"b", 3, ("t", 1)}
    assert djr.scard("missing") == 0 and djr.smembers("missing") == set()


@pytest.mark.sets
def test_set_random_members_and_pop(djr):
    members = {"a", "b", "c", "d"}
    djr.sadd("s", *members)
    assert djr.srandmember("s") in members
    picked = djr.srandmember("s", 2)
    assert isinstance(picked, list) and len(picked) == 2 and set(picked) <= members
    assert len(djr.srandmember("s", -6)) == 6
    assert djr.scard("s") == 4
    one = djr.spop("s")
    assert one in members
    two = djr.spop("s", 2)
    assert isinstance(two, set) and len(two) == 2 and two <= members - {one}
    rest = djr.spop("s", 10)
    assert rest == members - {one} - two
    assert djr.has_key("s") is False
    assert djr.spop("s") is None
    assert djr.srandmember("s") is None


@pytest.mark.sets
def test_set_algebra_and_move(djr):
    djr.sadd("a", 1, 2, 3, "x")
    djr.sadd("b", 2, 3, 4)
    assert djr.sinter("a", "b") == {2, 3}
    assert djr.sunion("a", "b") == {1, 2, 3, 4, "x"}
    assert djr.sdiff("a", "b") == {1, "x"}
    assert djr.sinterstore("i", "a", "b") == 2
    assert djr.sunionstore("u", "a", "b") == 5
    assert djr.sdiffstore("d", "a", "b") == 2
    assert djr.smembers("i") == {2, 3} and djr.smembers("d") == {1, "x"}
    assert djr.smove("a", "b", "x") is True
    assert djr.smove("a", "b", "nope") is False
    assert djr.sismember("b", "x") is True and djr.sismember("a", "x") is False
    assert djr.sinterstore("empty", "a", "missing") == 0
    assert djr.has_key("empty") is False


@pytest.mark.sets
def test_set_scan(djr):
    members = {f"m{i}" for i in range(50)} | set(range(20))
    djr.sadd("s", *members)
    assert set(djr.sscan_iter("s", count=7)) == members
    djr.sadd("small", "a", "b")
    assert djr.sscan("small") == {"a", "b"}


# --- sorted sets ----------------------------------------------------------------------------------

@pytest.mark.zsets
def test_zset_add_and_read(djr):
    assert djr.zadd("z", {"a": 1, "b": 2.5, "c": 3}) == 3
    assert djr.zadd("z", {"a": 10}, xx=True, ch=True) == 1
    assert djr.zadd("z", {"a": 0, "d": 4}, nx=True) == 1
    assert djr.zadd("z", {"b": 1}, gt=True, ch=True) == 0
    assert djr.zadd("z", {"b": 1}, lt=True, ch=True) == 1
    assert djr.zadd("z", {"c": 0.5}, incr=True) == 3.5
    assert djr.zcard("z") == 4
    assert djr.zscore("z", "a") == 10.0
    assert djr.zscore("z", "nope") is None
    assert djr.zcount("z", 1, 4) == 3
    assert djr.zcount("z", "(1", "+inf") == 3
    assert djr.zincrby("z", -9.5, "a") == 0.5
    assert djr.zrange("z", 0, -1) == ["a", "b", "c", "d"]
    assert djr.zrange("z", 0, 1, withscores=True) == [("a", 0.5), ("b", 1.0)]
    assert djr.zrange("z", 0, 0, desc=True) == ["d"]
    assert djr.zrevrange("z", 0, 1, withscores=True) == [("d", 4.0), ("c", 3.5)]
    assert djr.zrank("z", "c") == 2
    assert djr.zrank("z", "nope") is None


@pytest.mark.zsets
def test_zset_ranges_by_score(djr):
    djr.zadd("z", {f"m{i}": i for i in range(10)})
    assert djr.zrangebyscore("z", 2, 4) == ["m2", "m3", "m4"]
    assert djr.zrangebyscore("z", "(2", "+inf", start=1, num=2) == ["m4", "m5"]
    assert djr.zrangebyscore("z", 8, 9, withscores=True) == [("m8", 8.0), ("m9", 9.0)]
    assert djr.zrevrangebyscore("z", 4, 2) == ["m4", "m3", "m2"]
    assert djr.zrevrangebyscore("z", "+inf", "-inf", start=0, num=1, withscores=True) == [("m9", 9.0)]
    assert djr.zrangebyscore("z", 100, 200) == []
    assert djr.zremrangebyscore("z", 0, 4) == 5
    assert djr.zcard("z") == 5
    assert djr.zrem("z", "m5", "m6", "nope") == 2
    assert djr.zrange("z", 0, -1) == ["m7", "m8", "m9"]


@pytest.mark.zsets
def test_zset_pops(djr):
    djr.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert djr.zpopmin("z") == ("a", 1.0)
    assert djr.zpopmax("z") == ("d", 4.0)
    assert djr.zpopmin("z", 5) == [("b", 2.0), ("c", 3.0)]
    assert djr.has_key("z") is False
    assert djr.zpopmin("z") is None
    assert djr.zpopmax("z", 2) == []


@pytest.mark.zsets
def test_zset_members_are_serialized(djr, djr_raw):
    djr.zadd("z", {("tuple", 1): 1, 42: 2})
    assert djr.zrange("z", 0, -1) == [("tuple", 1), 42]
    raw_members = djr_raw.zrange(raw_key(djr, "z"), 0, -1)
    assert b"42" not in raw_members          # sorted-set members are always pickled
    assert djr.zscore("z", 42) == 2.0


# --- mixed types through the keyspace helpers -------------------------------------------------

@pytest.mark.hashes
@pytest.mark.sets
@pytest.mark.zsets
def test_keyspace_helpers_see_every_type(djr):
    djr.set("obj:string", 1)
    djr.hset("obj:hash", "f", 1)
    djr.sadd("obj:set", 1)
    djr.zadd("obj:zset", {"m": 1})
    assert set(djr.keys("obj:*")) == {"obj:string", "obj:hash", "obj:set", "obj:zset"}
    assert set(djr.iter_keys("obj:*", itersize=1)) == {"obj:string", "obj:hash", "obj:set", "obj:zset"}
    assert djr.expire("obj:set", 50) is True
    assert 45 <= djr.ttl("obj:set") <= 50
    assert djr.persist("obj:set") is True
    assert djr.touch("obj:zset", 30) is True
    assert djr.delete_pattern("obj:*") == 4
    assert djr.keys("*") == []
