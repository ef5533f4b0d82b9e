"""Fixtures for the redis-py client-pattern suites (locks across processes, blocking queue
consumers, SCRIPT KILL, pub/sub): one server per session (tests/python/servers.py:
start_mokad(); MOKAD_TARGET=redis starts redis-server instead), flushed before each test.

Tests are marked with their feature area (tests/python/areas.py) and skipped against mokad
until that area is enabled there.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import redis

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))

from servers import server  # noqa: E402,F401  (the session fixture)
from areas import pytest_collection_modifyitems, pytest_configure  # noqa: E402,F401
from rawresp import RawConn  # noqa: E402


@pytest.fixture
def connect(server):
    """connect(protocol=3, **kw) -> a new redis.Redis on the server (closed after the test)."""
    clients = []

    def make(protocol: int = 3, **kw) -> redis.Redis:
        c = redis.Redis(host="127.0.0.1", port=server.port, protocol=protocol, **kw)
        clients.append(c)
        return c

    admin = make()
    admin.flushall()
    yield make
    for c in clients:
        c.close()


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def protocol(request):
    return request.param


@pytest.fixture
def raw_conn(server):
    conns = []

    def make(timeout: float = 10.0) -> RawConn:
        c = RawConn(server.port, timeout)
        conns.append(c)
        return c

    yield make
    for c in conns:
        c.close()
