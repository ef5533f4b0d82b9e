"""Feature areas: which parts of the Python suites run against mokad.

Tests of Redis features that mokad does not implement yet carry a pytest marker named after
their area (`@pytest.mark.lists`, compat cases get it from their family). Against mokad,
a test with an area that is not in ENABLED is skipped, so the suites stay green while the
feature is being written; against redis-server (MOKAD_TARGET=redis) every area runs, which
proves the tests themselves.

    ENABLED below                 the areas mokad implements (edit when an area lands)
    MOKAD_AREAS=all               run every area against mokad (while implementing one)
    MOKAD_AREAS=lists,hashes      run exactly these areas against mokad
    pytest -m lists               run only the tests of one area (any suite)

A test that needs two areas (say a WRONGTYPE case with a hash and a list) carries both
markers and runs only when both are enabled.

Each conftest.py that uses areas imports the two hooks below into its namespace.
"""
from __future__ import annotations

import os

import pytest

# Every area, with the marker description shown by `pytest --markers`.
AREAS = {
    "hashes": "hash commands (HSET, HGETALL, HSCAN, ...)",
    "lists": "list commands, including the blocking BLPOP/BRPOP/BLMOVE",
    "sets": "set commands (SADD, SMEMBERS, SSCAN, SPOP, ...)",
    "zsets": "sorted set commands, including the blocking BZPOPMIN/BZPOPMAX",
    "scripting": "EVAL/EVALSHA/SCRIPT and what is built on them (redis-py Lock, django-redis incr)",
    "pubsub": "SUBSCRIBE/PSUBSCRIBE/PUBLISH/PUBSUB",
    "object": "the OBJECT command (ENCODING, REFCOUNT, IDLETIME, FREQ, HELP)",
}

# The areas mokad implements. Enabling one makes scripts/test.sh run its tests; keep one
# area per line so merges stay trivial.
ENABLED: set[str] = {
    "hashes",
    "lists",
    "sets",
    "zsets",
    "scripting",
    "pubsub",
    "object",
}


def against_redis() -> bool:
    """True when the server under test is redis-server itself (MOKAD_TARGET=redis)."""
    return os.environ.get("MOKAD_TARGET") == "redis"


def enabled_areas() -> set[str]:
    """The areas that run against mokad: MOKAD_AREAS if set, else ENABLED."""
    env = os.environ.get("MOKAD_AREAS")
    if env is None:
        return set(ENABLED)
    if env.strip() == "all":
        return set(AREAS)
    names = {a.strip() for a in env.split(",") if a.strip()}
    unknown = names - set(AREAS)
    if unknown:
        raise pytest.UsageError(f"MOKAD_AREAS: unknown area(s) {sorted(unknown)}; known: {sorted(AREAS)}")
    return names


def pytest_configure(config):
    for name, doc in AREAS.items():
        config.addinivalue_line("markers", f"{name}: {doc} (area; see tests/python/areas.py)")


def pytest_collection_modifyitems(config, items):
    if against_redis():
        return
    enabled = enabled_areas()
    for item in items:
        missing = sorted({m.name for m in item.iter_markers() if m.name in AREAS} - enabled)
        if missing:
            item.add_marker(pytest.mark.skip(
                reason=f"area {', '.join(missing)} not enabled for mokad yet (tests/python/areas.py;"
                       f" MOKAD_AREAS=all to run it)"))
