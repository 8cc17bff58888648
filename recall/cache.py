"""Django's Redis cache, keeping one redis client for each server instead of one for each call.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` around the shared connection
pool at every cache call, and building one costs about 0.4 ms of CPU (its table of response
callbacks, 200-odd entries). A request here makes 5 to 8 cache calls (session, permissions, rate
limit, look-up count...): under load that was a fifth of a hint's CPU. A `redis.Redis` is safe
to share between threads: each command takes a connection from the pool.
"""

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache as default_cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis import Redis
from redis.exceptions import RedisError

T = TypeVar("T")


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[int, Redis] = {}

    def get_client(
        self, key: str | bytes | memoryview | None = None, *, write: bool = False
    ) -> Redis:
        # _get_connection_pool and _client are Django's own, not declared in django-stubs.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))  # pools live as long as this object
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def incr_all(self, counters: dict[str, int]) -> list[int]:
        """Add one to each counter, a new one starting at 0 and expiring after its timeout
        (seconds); their new values, in one round trip (Django's add and incr take three for
        each: SET NX, EXISTS, INCRBY). Atomic for each counter, like incr."""
        # _cache (Django's client, cached) is not declared in django-stubs.
        client: RedisCacheClient = self._cache  # type: ignore[attr-defined]
        pipe = client.get_client(write=True).pipeline(transaction=False)
        for key, timeout in counters.items():
            key = self.make_and_validate_key(key)
            pipe.set(key, 0, ex=timeout, nx=True)
            pipe.incr(key)
        return pipe.execute()[1::2]


# Redis unreachable ---------------------------------------------------------------------------
# The database holds everything; Redis only saves queries (sessions, permissions, dashboard
# numbers) and carries the queue. When it is down, what can do without it does: reads are
# misses, writes are dropped, and for OUTAGE_RECHECK_SECONDS after a failure this process does
# not try again, so a dead Redis costs one refused connection every few seconds, not one per call
# (a host that does not answer at all costs the socket timeouts set in CACHES).
OUTAGE_RECHECK_SECONDS = 5
REDIS_ERRORS = (RedisError, OSError)
log = logging.getLogger(__name__)
_down_until = 0.0


def redis_down() -> bool:
    """True while this process takes Redis to be unreachable (it failed in the last seconds)."""
    return time.monotonic() < _down_until


def redis_failed(exc: Exception) -> None:
    """Note that Redis failed: one log line per outage seen, not a traceback per request."""
    global _down_until
    if not redis_down():
        log.warning("Redis is unreachable (%s): sessions and permissions come from the "
                    "database, live checks are paused", exc)  # fmt: skip
    _down_until = time.monotonic() + OUTAGE_RECHECK_SECONDS


class ForgivingCache:
    """A cache whose unreachable server reads as a miss and drops writes: for what the database
    can answer too (sessions, permissions, numbers computed again on a miss)."""

    def __init__(self, cache: BaseCache) -> None:
        self._cache = cache

    def _try(self, call: Callable[[], T], fallback: T) -> T:
        if redis_down():
            return fallback
        try:
            return call()
        except REDIS_ERRORS as exc:
            redis_failed(exc)
            return fallback

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._try(lambda: self._cache.get(key, default, version), default)

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        self._try(lambda: self._cache.set(key, value, timeout, version), None)

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._try(lambda: self._cache.delete(key, version), False)

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._try(lambda: self._cache.has_key(key, version), False)

    def __contains__(self, key: str) -> bool:
        return self.has_key(key)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cache, name)  # the rest (the async calls too) as the cache does

    def __str__(self) -> str:
        return f"forgiving {self._cache}"


forgiving_cache = ForgivingCache(default_cache)
