"""Sessions read from the cache and written to the database and the cache (Django's cached_db),
but with Redis unreachable read from and written to the database alone: a Redis restart does not
sign anyone out or turn their pages into errors."""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.core.cache.backends.base import BaseCache

from recall.cache import ForgivingCache


class SessionStore(CachedDBStore):
    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        # Django's __init__ sets _cache (the sessions' cache), which django-stubs does not declare.
        django_cache: BaseCache = self._cache  # type: ignore[has-type]
        self._cache = ForgivingCache(django_cache)
