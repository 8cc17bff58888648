"""Reads that may be a few seconds stale, served by a PostgreSQL streaming replica if there is one.

With DATABASE_REPLICA_URL set, settings add a second database alias, REPLICA, and this router.
Which reads go there is decided where the read is made, not guessed by the router: a view whose
figures may lag the primary by a few seconds (the organizer dashboard, the entry row's live hint)
runs its reads through `on_replica`. Inside it, ORM reads go to the replica through the router's
`db_for_read`, and the raw SQL of the dashboard and of the candidate search takes its connection
from `read_connection()`. Everything else (every write, every read outside `on_replica`, so every
read of a validation worker, which must see the lines it claimed) stays on the primary.

Opting in per read rather than sending every read to the replica (Django's documented
primary/replica router) is the design here because most of this app's reads are read-your-writes:
a line saved and shown again, a batch claimed and validated. A context variable rather than
`.using()` on each queryset because the dashboard and the candidate search are dozens of queries
across modules (`petitions.progress`, `voters.matching`) that validation shares: the caller says
once where its reads go, and those modules stay unaware.

The replica's lag is read at most every few seconds per process (REPLICA_CHECK_SECONDS); when the
replica does not answer, or fails in the middle of a read, the read is made on the primary and the
page says so.
"""

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper

REPLICA = "replica"
REPLICA_CHECK_SECONDS = 5.0  # the lag is measured again after this long
REPLICA_RECHECK_DOWN_SECONDS = 15.0  # an unreachable replica is tried again after this long

T = TypeVar("T")
log = logging.getLogger(__name__)

# The alias this context's ORM reads and read_connection() use; None: the primary, as always.
_reading: ContextVar[str | None] = ContextVar("recall_reading_from", default=None)


class ReplicaRouter:
    """ORM reads inside `on_replica` go to the replica; all else to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return _reading.get()  # None: Django's own choice (the instance's database, or default)

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two servers: a row read from either is the same row

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema by itself


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def read_connection() -> BaseDatabaseWrapper:
    """The connection for this context's raw SQL reads: the replica inside `on_replica`, else
    the primary."""
    return connections[_reading.get() or DEFAULT_DB_ALIAS]


@dataclass(frozen=True)
class ReadSource:
    """Where a read was made, for the page to say: the replica and how far behind it was, or
    the primary because the replica was unreachable (or no replica is configured)."""

    alias: str
    lag_seconds: float | None = None  # on the replica: how far its data was behind the primary
    replica_down: bool = False  # a replica is configured but did not answer: read on the primary

    @property
    def on_replica(self) -> bool:
        return self.alias == REPLICA


PRIMARY = ReadSource(DEFAULT_DB_ALIAS)
_checked: tuple[float, ReadSource] | None = None  # (monotonic time, what was found), per process


def read_source(*, now: float | None = None) -> ReadSource:
    """Where stale-tolerant reads go now: the replica with its lag, measured at most every
    REPLICA_CHECK_SECONDS (REPLICA_RECHECK_DOWN_SECONDS after a failure), or the primary."""
    global _checked
    if not replica_configured():
        return PRIMARY
    now = time.monotonic() if now is None else now
    if _checked is not None:
        at, source = _checked
        wait = REPLICA_RECHECK_DOWN_SECONDS if source.replica_down else REPLICA_CHECK_SECONDS
        if now - at < wait:
            return source
    source = _measure()
    _checked = (now, source)
    return source


def _measure() -> ReadSource:
    """The replica's lag behind the primary: none when it has replayed everything the primary
    had written when asked (an idle primary leaves the replay timestamp old, which is no lag);
    else the time since the last transaction it replayed (pg_last_xact_replay_timestamp): how
    old its newest data is, an upper bound of the lag (on a primary idle for a while, WAL
    written without a transaction and not replayed yet at the instant of the check reads as the
    whole idle time; the next check, seconds later, finds it caught up)."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (primary_lsn,) = cursor.fetchone()
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                """
                SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() >= %s::pg_lsn,
                       extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())
                """,
                [primary_lsn],
            )
            in_recovery, caught_up, behind = cursor.fetchone()
    except DatabaseError as exc:
        return _replica_failed(exc)
    if not in_recovery or caught_up:
        return ReadSource(REPLICA, lag_seconds=0.0)  # (not a standby: its reads are current)
    return ReadSource(REPLICA, lag_seconds=max(float(behind or 0.0), 0.0))


def _replica_failed(exc: Exception) -> ReadSource:
    """Note that the replica failed: reads go to the primary until it is checked again."""
    global _checked
    if _checked is None or not _checked[1].replica_down:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        log.warning("the database replica is unreachable (%s): the dashboard and hints read "
                    "from the primary", first_line)  # fmt: skip
    with contextlib.suppress(DatabaseError):
        connections[REPLICA].close()  # a broken connection is opened afresh next time
    source = ReadSource(DEFAULT_DB_ALIAS, replica_down=True)
    _checked = (time.monotonic(), source)
    return source


@contextlib.contextmanager
def _reading_from(alias: str) -> Iterator[None]:
    token = _reading.set(alias)
    try:
        yield
    finally:
        _reading.reset(token)


def on_replica(read: Callable[[], T]) -> tuple[T, ReadSource]:
    """read() with its reads on the replica when one is configured and answering, and where
    they were made. A read that fails on the replica is made again on the primary."""
    source = read_source()
    if not source.on_replica:
        return read(), source
    replica = connections[REPLICA]
    replica.errors_occurred = False  # (Django sets it on the connection whose query failed)
    try:
        with _reading_from(REPLICA):
            return read(), source
    except DatabaseError as exc:
        if not replica.errors_occurred:
            raise  # the primary's error (the replica reads never got to fail): not ours to hide
        # The replica failed in the middle (it stopped, or cancelled the query for a conflict
        # with recovery): the primary answers this time, and for the next few seconds.
        source = _replica_failed(exc)
    return read(), source
