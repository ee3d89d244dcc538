"""Redis as the cache, with Redis down read as an empty cache instead of an error page.

Nothing the portal keeps only in the cache must survive an outage: sessions are in the
database, and the counters of django-ratelimit (accounts.throttle) read as unreadable,
which it answers with "limited" (forms that send mail to a typed address send none, and
registration waits) until Redis returns. Each failure is logged.

Both backends count their reads, hits and misses for /metrics (django-prometheus's
django_cache_* counters); django-prometheus's own local-memory backend takes a cached
0 or empty value for a miss, and its Redis one needs django-redis.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django_prometheus.cache.metrics import (
    django_cache_get_fail_total,
    django_cache_get_total,
    django_cache_hits_total,
    django_cache_misses_total,
)
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_MISSING = object()


def _counted_get(backend: str, read, default):
    django_cache_get_total.labels(backend=backend).inc()
    value = read(_MISSING)
    if value is _MISSING:
        django_cache_misses_total.labels(backend=backend).inc()
        return default
    django_cache_hits_total.labels(backend=backend).inc()
    return value


class CountingLocMemCache(LocMemCache):
    """Django's local-memory cache (the default without Redis), its reads counted."""

    def get(self, key, default=None, version=None):
        read = super().get
        return _counted_get("locmem", lambda missing: read(key, missing, version), default)


class ResilientRedisCache(RedisCache):
    def _unreachable(self, operation: str, error: Exception) -> None:
        logger.warning("Cache %s skipped: Redis is unreachable (%s)", operation, error)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version=version)
        except _UNREACHABLE as error:
            self._unreachable("add", error)
            return False

    def get(self, key, default=None, version=None):
        try:
            read = super().get
            return _counted_get("redis", lambda missing: read(key, missing, version), default)
        except _UNREACHABLE as error:
            django_cache_get_fail_total.labels(backend="redis").inc()
            self._unreachable("get", error)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version=version)
        except _UNREACHABLE as error:
            self._unreachable("set", error)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version=version)
        except _UNREACHABLE as error:
            self._unreachable("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except _UNREACHABLE as error:
            self._unreachable("delete", error)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except _UNREACHABLE as error:
            self._unreachable("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except _UNREACHABLE as error:
            self._unreachable("has_key", error)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except _UNREACHABLE as error:
            self._unreachable("incr", error)
            # What Django's backends raise for a key they cannot count.
            raise ValueError(f"Key '{key}' cannot be counted: Redis is unreachable") from error

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version=version)
        except _UNREACHABLE as error:
            self._unreachable("set_many", error)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except _UNREACHABLE as error:
            self._unreachable("delete_many", error)
            return None
