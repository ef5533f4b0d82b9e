"""Fixtures for test_patterns.py: one server per session, Django configured against it.

The server comes from tests/python/servers.py:start_mokad() (set MOKAD_TARGET=redis to run
the same tests against redis-server). Django's built-in RedisCache backend talks to it with
redis-py, which uses RESP3 (HELLO 3) by default.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))

from servers import server  # noqa: E402,F401  (the session fixture)
# Feature areas: tests of areas mokad does not implement yet are skipped against it.
from areas import pytest_collection_modifyitems, pytest_configure  # noqa: E402,F401

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
# The third-party django-redis backend (test_django_redis.py), pinned in tests/requirements.txt.
DJANGO_REDIS_BACKEND = "django_redis.cache.RedisCache"
# django-redis caches by alias: database 3 over RESP3 (redis-py 8's default, HELLO 3) and
# database 4 over RESP2 (`?protocol=2`: no HELLO, RESP2 replies).
DJANGO_REDIS_ALIASES = {"djr_resp3": 3, "djr_resp2": 4}


def cache_settings(url: str) -> dict:
    return {
        # database 1, default options
        "default": {"BACKEND": REDIS_BACKEND, "LOCATION": f"{url}/1"},
        # same server, database 2
        "db2": {"BACKEND": REDIS_BACKEND, "LOCATION": f"{url}/2"},
        # database 1 again, but namespaced by KEY_PREFIX
        "prefix_a": {"BACKEND": REDIS_BACKEND, "LOCATION": f"{url}/1", "KEY_PREFIX": "app_a"},
        "prefix_b": {"BACKEND": REDIS_BACKEND, "LOCATION": f"{url}/1", "KEY_PREFIX": "app_b"},
        # django-redis, loaded only when a test uses these aliases.
        "djr_resp3": {"BACKEND": DJANGO_REDIS_BACKEND, "LOCATION": f"{url}/3"},
        "djr_resp2": {"BACKEND": DJANGO_REDIS_BACKEND, "LOCATION": f"{url}/4?protocol=2"},
        "djr_prefixed": {"BACKEND": DJANGO_REDIS_BACKEND, "LOCATION": f"{url}/3", "KEY_PREFIX": "pre*fix[1]"},
    }


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


@pytest.fixture(params=sorted(DJANGO_REDIS_ALIASES), ids=lambda a: a.split("_")[1])
def djr(request, django_caches):
    """A django-redis cache, once over RESP3 and once over RESP2, its database flushed
    before and after each test."""
    cache = django_caches[request.param]
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def djr_raw(djr):
    """The redis-py client django-redis itself uses for `djr` (same database and protocol)."""
    return djr.client.get_client(write=True)
