"""Redis behind Sentinel: one REDIS_URL in Celery's own form for the broker, the results, the cache
and /healthz.

REDIS_URL=sentinel://h1:26379;sentinel://h2:26379;sentinel://h3:26379/0 names the Sentinels
(any one that answers will do) and the database; REDIS_SENTINEL_MASTER names the master they
watch (the `sentinel monitor` name). Celery reads that URL itself (its Redis transport's
`sentinel://`, with the master as the `master_name` transport option); Django's Redis cache and
/healthz's client get their connections from redis-py's Sentinel support, which asks the
Sentinels for the current master and follows a failover. A password for the master goes in each
URL part (sentinel://:secret@h1:26379/0), as Celery takes it.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from redis import ConnectionPool, Redis
from redis.sentinel import Sentinel

SCHEME = "sentinel://"


class SentinelUrlError(ValueError):
    """The URL is not a list of sentinel:// addresses; the message says which part."""


@dataclass(frozen=True)
class SentinelConfig:
    sentinels: tuple[tuple[str, int], ...]
    master: str
    db: int
    password: str | None


def is_sentinel_url(url: str) -> bool:
    return url.startswith(SCHEME)


def parse_sentinel_url(url: str, master: str) -> SentinelConfig:
    """The Sentinels, database and password of a sentinel:// URL (parts joined by ';', as
    Celery reads them), for the master named `master`."""
    if not master:
        raise SentinelUrlError("a sentinel:// URL needs the master's name (REDIS_SENTINEL_MASTER)")
    sentinels: list[tuple[str, int]] = []
    dbs, passwords = set(), set()
    for part in url.split(";"):
        part = part.strip()
        if not part.startswith(SCHEME):
            raise SentinelUrlError(f"each part must be sentinel://host:port, got {part!r}")
        try:
            split = urlsplit(part)
            host, port = split.hostname, split.port or 26379
        except ValueError as exc:
            raise SentinelUrlError(f"{part!r}: {exc}") from None
        if not host:
            raise SentinelUrlError(f"{part!r} names no host")
        path = split.path.strip("/")
        if path and not path.isdigit():
            raise SentinelUrlError(f"{part!r}: the database must be a number, got {path!r}")
        sentinels.append((host, port))
        if path:
            dbs.add(int(path))
        if split.password:
            passwords.add(unquote(split.password))
    if len(dbs) > 1:
        raise SentinelUrlError(f"the parts name different databases: {sorted(dbs)}")
    if len(passwords) > 1:
        raise SentinelUrlError("the parts give different passwords")
    return SentinelConfig(
        sentinels=tuple(sentinels),
        master=master,
        db=dbs.pop() if dbs else 0,
        password=passwords.pop() if passwords else None,
    )


def master_client(config: SentinelConfig, **options: Any) -> Redis:
    """A client of the master the Sentinels name now (asked again after a failover); `options`
    as for redis.Redis (timeouts...), for the Sentinels' connections too."""
    timeouts = {k: v for k, v in options.items() if k.startswith("socket_")}
    sentinel = Sentinel(list(config.sentinels), sentinel_kwargs=timeouts)
    return sentinel.master_for(config.master, db=config.db, password=config.password, **options)


def redis_client(url: str, master: str = "", **options: Any) -> Redis:
    """A client for REDIS_URL, plain or sentinel://."""
    if is_sentinel_url(url):
        return master_client(parse_sentinel_url(url, master), **options)
    return Redis.from_url(url, **options)


class SentinelMasterPool:
    """For Django's Redis cache (OPTIONS "pool_class"): the connection pool of the master that
    the Sentinels of LOCATION name, OPTIONS "sentinel_master" its name."""

    @classmethod
    def from_url(cls, url: str, *, sentinel_master: str, **options: Any) -> ConnectionPool:
        return master_client(parse_sentinel_url(url, sentinel_master), **options).connection_pool
