"""Fixtures for test_patterns.py: one server per session, Django configured against it.

The server comes from tests/python/servers.py:start_mokad() (set MOKAD_TARGET=redis to run
the same tests against redis-server). Django's built-in RedisCache backend talks to it with
redis-py, which uses RESP3 (HELLO 3) by default.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))

from servers import mokad_bin, start_mokad  # noqa: E402

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


def cache_settings(url: str) -> dict:
    return {
        # database 1, default options
        "default": {"BACKEND": REDIS_BACKEND, "LOCATION": f"{url}/1"},
        # same server, database 2
        "db2": {"BACKEND": REDIS_BACKEND, "LOCATION": f"{url}/2"},
        # database 1 again, but namespaced by KEY_PREFIX
        "prefix_a": {"BACKEND": REDIS_BACKEND, "LOCATION": f"{url}/1", "KEY_PREFIX": "app_a"},
        "prefix_b": {"BACKEND": REDIS_BACKEND, "LOCATION": f"{url}/1", "KEY_PREFIX": "app_b"},
    }


@pytest.fixture(scope="session")
def server():
    if os.environ.get("MOKAD_TARGET") != "redis" and not Path(mokad_bin()).exists():
        pytest.exit(f"{mokad_bin()} does not exist: run `cargo build` (or set MOKAD_BIN, or "
                    f"MOKAD_TARGET=redis to run against redis-server)", returncode=2)
    srv = start_mokad()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="session")
def django_caches(server):
    import django
    from django.conf import settings

    if settings.configured:  # pragma: no cover - only if something configured Django first
        raise RuntimeError("Django settings were already configured before the fixture ran")
    settings.configure(
        CACHES=cache_settings(server.url),
        INSTALLED_APPS=[],
        USE_TZ=True,
        SECRET_KEY="mokad-django-patterns",
    )
    django.setup()
    from django.core.cache import caches

    yield caches
    caches.close_all()


@pytest.fixture
def caches(django_caches):
    """All configured caches, with databases 1 and 2 flushed before and after each test."""
    for alias in ("default", "db2"):
        django_caches[alias].clear()
    yield django_caches
    for alias in ("default", "db2"):
        django_caches[alias].clear()


@pytest.fixture
def cache(caches):
    return caches["default"]


@pytest.fixture
def raw(cache):
    """A redis-py client on the same server and database as `cache` (database 1)."""
    return cache._cache.get_client(write=True)
