"""Writes to the voter roll: create an import, run it, activate a roll, sweep stale imports."""

import contextlib
import csv
import io
import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

import psycopg2
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    models,
    transaction,
)
from django.db.backends.utils import CursorWrapper
from django.db.models.functions import Coalesce
from django.utils import timezone
from redis.exceptions import RedisError

from recall.models import AuditEvent, audit
from voters.models import VoterAttributeSet, VoterPlace, VoterRoll, VoterRollCounty
from voters.progress import Progress
from voters.selectors import active_roll, roll_shrink_reason
from voters.signals import roll_activated, roll_county_replacing
from voters.voterfile import (
    COUNTIES,
    NULLABLE_OUTPUT,
    OUTPUT_COLUMNS,
    ChunkResult,
    FileError,
    VoterFileReader,
    inspect_voter_file,
)

log = logging.getLogger(__name__)

# Built on each roll's partition after the load, in one place. Who needs each:
# (Sound-alike and compound surnames are resolved through VoterSurname, then this name index.)
VOTER_INDEXES = (
    # The partition's primary key (made one below, so attach adopts it for the parent's);
    # look-ups by RegistrantID.
    ("pkey", "UNIQUE", "(roll_id, registrant_id)"),
    # Matcher: a person by surname and given name, anywhere in the county (moved voters too);
    # with its house number and id alongside, "this surname at this house number" and "this
    # name already signed" are index-only scans (COPY FREEZE leaves the partition all-visible).
    ("name", "", "(last_key, first_canon) INCLUDE (house_number, registrant_id)"),
    # Matcher: everyone registered at an address (households, apartment buildings).
    ("address", "", "(street_key, house_number)"),
)
STALE_AFTER_SECONDS = 15 * 60
COUNTY_CODES = tuple(f"{n:02d}" for n in range(1, COUNTIES + 1))


class ImportFailed(Exception):
    """The import stopped; the message is the one line shown to the admin."""


class ImportCancelled(ImportFailed):
    pass


def progress_key(roll_id: int) -> str:
    return f"voterroll:{roll_id}:progress"


def cancel_key(roll_id: int) -> str:
    return f"voterroll:{roll_id}:cancel"


def voter_roll_create(
    *,
    path: Path | str,
    source_name: str = "",
    requested_format: str = "auto",
    imported_by: User | None = None,
    max_reject_rate: float = 0.01,
    activate: bool = True,
    enqueue: bool = True,
    by_county: bool = False,
    county_code: str = "",
) -> VoterRoll:
    """Check the file's header (FileError if unusable) and queue its import (by_county: a
    statewide roll, a table per county, each replaceable alone by voter_roll_county_replace;
    county_code: begun with that county's own file, which may carry no county codes).

    1. The header is checked before anything is written.
    2. The roll is created as queued.
    3. With enqueue, the import task is sent to the imports queue after commit.
    """
    path = Path(path).resolve()
    info = inspect_voter_file(path, requested_format)
    if not 0 <= max_reject_rate <= 1:
        raise FileError(f"max reject rate must be between 0 and 1, got {max_reject_rate}")
    if county_code:
        if not by_county:
            raise FileError("a county is given only to begin a roll by county")
        county_code = county_code_normalised(county_code, flag="--county")
    elif by_county and not _has_county_column(info.columns):
        raise FileError(
            "a roll by county needs each voter's county: an SoS extract (CountyCode), a "
            "canonical CSV with a county_code column, or one county's file with --county CODE"
        )
    with transaction.atomic():
        roll = VoterRoll.objects.create(
            source_name=source_name or path.name,
            source_path=str(path),
            requested_format=requested_format,
            format=info.format,
            imported_by=imported_by,
            max_reject_rate=max_reject_rate,
            activate_on_success=activate,
            attribute_columns=list(info.attribute_columns),
            by_county=by_county,
            county_code=county_code,
        )
        audit(user=imported_by, action=AuditEvent.Action.IMPORT,
              target=_audit_target(roll), path=str(path), format=info.format,
              bytes=info.size, activate=activate, by_county=by_county)  # fmt: skip
        if enqueue:
            from voters.tasks import voter_roll_import_task

            # The app's task class is Celery's DjangoTask (its Django fixup); celery-types types
            # shared_task as a plain Task, without delay_on_commit.
            voter_roll_import_task.delay_on_commit(roll.pk)  # type: ignore[attr-defined]
    Progress(progress_key(roll.pk), total_bytes=info.size).update(force=True)
    return roll


def _claim(roll_id: int) -> bool:
    # Compare-and-set: only one worker (or a redelivered message) ever runs a given import.
    return bool(
        VoterRoll.objects.filter(pk=roll_id, state=VoterRoll.State.QUEUED).update(
            state=VoterRoll.State.IMPORTING, started_at=timezone.now()
        )
    )


class _CopySource:
    """A file-like object for COPY FROM STDIN, fed by a thread that parses the next batches.

    COPY blocks while a batch is sent; parsing the following ones meanwhile (Arrow releases the
    GIL) keeps both this process and the Postgres backend busy instead of taking turns.
    """

    QUEUED_BATCHES = 3

    def __init__(self, reader: VoterFileReader, on_batch: Callable[[ChunkResult], None]) -> None:
        self._reader = reader
        self._on_batch = on_batch
        self._queue: queue.Queue[ChunkResult | BaseException | None] = queue.Queue(
            maxsize=self.QUEUED_BATCHES
        )
        self._stop = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._produce, name="voter-file-reader", daemon=True)
        self._thread.start()

    def _produce(self) -> None:
        try:
            for result in self._reader.batches():
                if not self._put(result):
                    return
        except BaseException as exc:  # handed to the COPY side, which raises it
            self._put(exc)
            return
        self._put(None)

    def _put(self, item: ChunkResult | BaseException | None) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def read(self, size: int = -1) -> bytes:
        try:
            while True:
                item = self._queue.get()
                if item is None:
                    return b""
                if isinstance(item, BaseException):
                    raise item
                self._reader.add(item)
                self._on_batch(item)
                if item.copy_bytes:
                    return item.copy_bytes
        except BaseException as exc:
            # The driver reports this as a failed COPY; keep the real reason for the admin.
            self.error = exc
            self.close()
            raise

    readline = read

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


def _copy_in(cursor: Any, sql: str, source: "_CopySource") -> None:
    """COPY the reader's batches in; an error of the reading thread is the one raised (not
    PostgreSQL's report of the stream it cut short)."""
    try:
        cursor.copy_expert(sql, source, 1 << 20)
    except psycopg2.Error:
        if source.error is not None:
            raise source.error from None
        raise
    finally:
        source.close()


def _copy_sql(table: str, *, freeze: bool = True) -> str:
    not_null = ", ".join(c for c in OUTPUT_COLUMNS if c not in NULLABLE_OUTPUT)
    return (
        f"COPY {table} ({', '.join(OUTPUT_COLUMNS)}) FROM STDIN "
        # FREEZE: the table is new in this transaction, so its rows can be written frozen and
        # all-visible, sparing a later VACUUM of millions of rows and allowing index-only scans.
        # (PostgreSQL refuses it on a partitioned table: a roll by county is vacuumed after.)
        f"WITH (FORMAT csv, FREEZE {'true' if freeze else 'false'}, FORCE_NOT_NULL ({not_null}))"
    )


def _cancel_requested(key: str) -> bool:
    try:
        return bool(cache.get(key))
    except RedisError:
        return False  # Without Redis nobody can have asked; carry on.


def _remove_duplicate_ids(cursor: CursorWrapper, table: str, reader: VoterFileReader) -> list[str]:
    """Keep the first row of each RegistrantID; report the others as rejected. Set-based (a
    row is its table and ctid: a roll by county has a table per county)."""
    cursor.execute(
        f"""
        WITH ranked AS (
            SELECT tableoid AS part, ctid AS row_ref, registrant_id, source_line,
                   min(source_line) OVER (PARTITION BY registrant_id) AS first_line
            FROM {table}
            WHERE registrant_id IN (
                SELECT registrant_id FROM {table} GROUP BY registrant_id HAVING count(*) > 1
            )
        )
        DELETE FROM {table} t USING ranked r
        WHERE t.tableoid = r.part AND t.ctid = r.row_ref AND r.source_line > r.first_line
        RETURNING r.source_line, r.registrant_id, r.first_line, t.county_code
        """  # noqa: S608 - the table name is ours, built from an integer id
    )
    removed = sorted(cursor.fetchall())
    for line, registrant_id, first_line, _county in removed:
        reader.stats.reject(
            line, "duplicate_id", f"duplicate voter id {registrant_id} (first on line {first_line})"
        )
    return [county for *_, county in removed]  # the county of each row removed


def _load_dimensions(cursor: CursorWrapper, roll: VoterRoll, reader: VoterFileReader) -> None:
    """The roll's distinct surnames, places (with counts) and district combinations."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerows(
        (roll.pk, key, head, phon, count) for key, (head, phon, count) in reader.surnames.items()
    )
    text.seek(0)
    cursor.copy_expert(
        "COPY voters_votersurname (roll_id, last_key, last_head, last_phon, voters) "
        "FROM STDIN WITH (FORMAT csv)",
        text,
    )
    VoterPlace.objects.bulk_create(
        VoterPlace(roll=roll, city_key=key.split("|")[0], zip5=key.split("|")[1], voters=count)
        for key, count in reader.places.items()
    )
    VoterAttributeSet.objects.bulk_create(
        VoterAttributeSet(roll=roll, number=number, attributes=attributes)
        for number, attributes in reader.attribute_sets.sets
    )


def _maintenance_settings(cursor: CursorWrapper) -> None:
    # Enough memory for sorts of millions of keys; both cores for each index build.
    cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
    cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")


def _generation(table: str) -> int:
    """voters_voter_roll_7_c19 -> 0, voters_voter_roll_7_c19_2 -> 2."""
    last = table.rsplit("_", 1)[1]
    return 0 if last.startswith("c") else int(last)


def _county_table(roll: VoterRoll, code: str, generation: int = 0) -> str:
    """A county's table of a roll by county; each replacement of it is a new generation."""
    return f"{roll.partition_name}_c{code}" + (f"_{generation}" if generation else "")


def _create_county_table(cursor: CursorWrapper, roll: VoterRoll, code: str, table: str) -> None:
    cursor.execute(
        f"CREATE TABLE {table} (LIKE voters_voter INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
    )
    cursor.execute(f"ALTER TABLE {table} ALTER COLUMN roll_id SET DEFAULT {int(roll.pk)}")
    # Implies the partition's bounds, so neither attach (to the roll's table, or the roll's
    # table to voters_voter) scans it.
    cursor.execute(
        f"ALTER TABLE {table} ADD CONSTRAINT {table}_bounds "
        f"CHECK (roll_id = {int(roll.pk)} AND county_code = '{code}')"
    )


def _build_county_tables(cursor: CursorWrapper, roll: VoterRoll, reader: VoterFileReader) -> None:
    """After a roll by county's load: drop the counties the file did not have, remove ids met
    twice anywhere in the roll (the counties' primary keys each see only their own), index each
    county's table, and record the counties (VoterRollCounty)."""
    cursor.execute(
        f"SELECT county_code, count(*) FROM {roll.partition_name} GROUP BY county_code"  # noqa: S608
    )
    present = dict(cursor.fetchall())
    for code in COUNTY_CODES:
        if code not in present:
            cursor.execute(f"DROP TABLE {_county_table(roll, code)}")
    removed = Counter(_remove_duplicate_ids(cursor, roll.partition_name, reader))
    now = timezone.now()
    counties = []
    for code in sorted(present):
        table = _county_table(roll, code)
        _build_indexes(cursor, table, reader)
        counties.append(
            VoterRollCounty(
                roll=roll, county_code=code, table_name=table, source_name=roll.source_name,
                voters=present[code] - removed[code], imported_at=now,
            )
        )  # fmt: skip
    VoterRollCounty.objects.bulk_create(counties)


def _build_indexes(cursor: CursorWrapper, table: str, reader: VoterFileReader) -> None:
    for suffix, unique, columns in VOTER_INDEXES:
        statement = f"CREATE {unique} INDEX {table}_{suffix} ON {table} {columns}"
        if unique:
            try:
                with transaction.atomic():
                    cursor.execute(statement)
                continue
            except IntegrityError:
                _remove_duplicate_ids(cursor, table, reader)
        cursor.execute(statement)
    # The unique index becomes the partition's primary key, which ATTACH PARTITION adopts for
    # the parent's: a plain unique index it cannot adopt, and it would build a second one.
    cursor.execute(
        f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY USING INDEX {table}_pkey"
    )


def _load(
    roll: VoterRoll, reader: VoterFileReader, progress: Progress, timings: dict[str, float]
) -> int:
    """Inside one transaction: load, check, index, analyze and attach the roll's partition."""
    table = roll.partition_name
    cancel = cancel_key(roll.pk)

    def on_chunk(batch: ChunkResult) -> None:
        if _cancel_requested(cancel):
            raise ImportCancelled("cancelled by an admin; the active roll is unchanged")
        progress.update(
            rows=reader.stats.rows_read,
            rejected=reader.stats.rows_rejected,
            bytes_done=batch.bytes_done or progress.bytes_done,
        )

    with connection.cursor() as cursor:
        _maintenance_settings(cursor)
        by_county = " PARTITION BY LIST (county_code)" if roll.by_county else ""
        cursor.execute(
            f"CREATE TABLE {table} (LIKE voters_voter INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
            + by_county
        )
        cursor.execute(f"ALTER TABLE {table} ALTER COLUMN roll_id SET DEFAULT {int(roll.pk)}")
        if roll.by_county:
            # Empty, so attached at no cost; COPY routes each row to its county's table.
            for code in COUNTY_CODES:
                _create_county_table(cursor, roll, code, _county_table(roll, code))
                cursor.execute(
                    f"ALTER TABLE {table} ATTACH PARTITION {_county_table(roll, code)} "
                    f"FOR VALUES IN ('{code}')"
                )
        progress.update(phase="reading", force=True)
        clock = time.monotonic()
        _copy_in(cursor, _copy_sql(table, freeze=not roll.by_county), _CopySource(reader, on_chunk))
        stats = reader.stats
        if stats.rows_read == 0:
            raise ImportFailed("the file has a header but no voters")
        _load_dimensions(cursor, roll, reader)
        progress.update(
            phase="indexing", rows=stats.rows_read, rejected=stats.rows_rejected,
            bytes_done=progress.total_bytes, force=True,
        )  # fmt: skip
        timings["load"] = time.monotonic() - clock
        clock = time.monotonic()
        if roll.by_county:
            _build_county_tables(cursor, roll, reader)
        else:
            _build_indexes(cursor, table, reader)
        timings["index"] = time.monotonic() - clock
        rate = stats.rows_rejected / stats.rows_read
        if rate > roll.max_reject_rate:
            raise ImportFailed(
                f"{stats.rows_rejected:,} of {stats.rows_read:,} rows rejected ({rate:.2%}), "
                f"above the limit of {roll.max_reject_rate:.2%}; nothing was activated"
            )
        # The CHECK lets ATTACH skip its own validation scan of the partition (a roll by
        # county's tables have theirs from the start).
        if not roll.by_county:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {table}_roll CHECK (roll_id = {int(roll.pk)})"
            )
        clock = time.monotonic()
        cursor.execute(f"ANALYZE {table}")
        # The planner must know how many surnames a roll has (it picks the trigram plan by it).
        cursor.execute("ANALYZE voters_votersurname, voters_voterplace")
        timings["analyze"] = time.monotonic() - clock
        # An admin may have cancelled meanwhile (the roll is failed at once, whatever this
        # worker does): hold the roll's row so a cancel waits for this commit or wins before it.
        state = (
            VoterRoll.objects.select_for_update()
            .filter(pk=roll.pk)
            .values_list("state", flat=True)
            .first()
        )
        if state != VoterRoll.State.IMPORTING:
            raise ImportCancelled("cancelled by an admin; the active roll is unchanged")
        cursor.execute(
            f"ALTER TABLE voters_voter ATTACH PARTITION {table} FOR VALUES IN ({int(roll.pk)})"
        )
    return stats.rows_read - stats.rows_rejected


def _record(roll: VoterRoll, reader: VoterFileReader | None, **fields: Any) -> None:
    if reader is not None:
        stats = reader.stats
        fields.update(
            rows_read=stats.rows_read,
            rows_rejected=stats.rows_rejected,
            rejects=stats.first_rejects,
            reject_counts=stats.reject_counts,
            rows_warned=stats.rows_warned,
            warnings=stats.first_warnings,
            warning_counts=stats.warning_counts,
        )
    for name, value in fields.items():
        setattr(roll, name, value)
    roll.save(update_fields=list(fields))


def voter_roll_import(
    *,
    roll_id: int,
    progress_listener: Callable[[Progress], None] | None = None,
    force_activate: bool = False,
) -> VoterRoll:
    """Run a queued import to the end: the roll ends ready/active, or failed with its reason.

    1. Claim the roll (compare-and-set queued -> importing); anything else returns untouched.
    2. In one transaction: COPY the streamed, normalised rows into a fresh table, drop duplicate
       ids, build the indexes, check the reject rate, ANALYZE, attach as the roll's partition.
       Any failure rolls all of it back: no half-imported roll can exist.
    3. Activate it in a short transaction of its own (unless asked not to, or it is much
       smaller than the active roll: that needs an admin's confirmation, or force_activate).
    """
    if not _claim(roll_id):
        return VoterRoll.objects.get(pk=roll_id)
    roll = VoterRoll.objects.get(pk=roll_id)
    progress = Progress(progress_key(roll_id), listener=progress_listener)
    reader = None
    timings: dict[str, float] = {}
    try:
        info = inspect_voter_file(roll.source_path, roll.requested_format)
        progress.total_bytes = info.size
        reader = VoterFileReader(
            roll.source_path, info, max_inflated_bytes=settings.VOTER_FILE_MAX_INFLATED_BYTES,
            county_required=roll.by_county, county=roll.county_code,
        )  # fmt: skip
        with transaction.atomic():
            imported = _load(roll, reader, progress, timings)
            # Ready in the same commit as the partition: a cancel cannot come in between.
            _record(roll, reader, rows_imported=imported, finished_at=timezone.now(),
                    state=VoterRoll.State.READY)  # fmt: skip
    except Exception as exc:  # every failure ends in a failed roll with its reason
        message = _failure_message(exc)
        expected = isinstance(exc, ImportFailed | FileError) or _is_database_error(exc)
        # A bug gets its traceback in the log; the admin gets the one-line reason either way.
        (log.warning if expected else log.exception)("roll %s import failed: %s", roll_id, message)
        # After a lost database connection, Django must open a new one to record the failure.
        connection.close_if_unusable_or_obsolete()
        _record(roll, reader, state=VoterRoll.State.FAILED, error=message,
                finished_at=timezone.now())  # fmt: skip
        progress.update(phase="failed", force=True)
        with contextlib.suppress(RedisError):
            cache.delete(cancel_key(roll_id))
        return roll
    if roll.by_county and not connection.in_atomic_block:
        # COPY could not freeze rows routed to partitions: mark them all-visible now (outside
        # the transaction, as VACUUM must be), for the matcher's index-only scans.
        clock = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {roll.partition_name}")
        timings["vacuum"] = time.monotonic() - clock
    log.info("roll %s: %s", roll_id, ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
    progress.update(phase="activating", force=True)
    if roll.activate_on_success:
        shrink = roll_shrink_reason(candidate=roll, active=active_roll())
        if shrink and not force_activate:
            log.warning("roll %s imported but not activated: %s", roll_id, shrink)
        else:
            roll = voter_roll_activate(roll=roll)
    progress.update(phase="done", force=True)
    return roll


def _has_county_column(columns: tuple[str, ...] | list[str]) -> bool:
    return "CountyCode" in columns or "county_code" in columns


def _is_database_error(exc: Exception) -> bool:
    # COPY goes through the driver's own cursor method, so its errors are not wrapped by Django.
    return isinstance(exc, DatabaseError | psycopg2.Error)


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, ImportFailed | FileError):
        return str(exc)
    if _is_database_error(exc):
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        if isinstance(exc, OperationalError | InterfaceError | psycopg2.OperationalError):
            return ("database error, nothing was imported: the connection to the database was "
                    f"lost (a restart?); import the file again ({first})")  # fmt: skip
        return f"database error, nothing was imported: {first}"
    return f"unexpected error, nothing was imported: {type(exc).__name__}: {exc}"


def _audit_target(roll: VoterRoll) -> str:
    return f"voter roll {roll.pk}: {roll.source_name}"


@transaction.atomic
def voter_roll_activate(*, roll: VoterRoll, by: User | None = None) -> VoterRoll:
    """Make a ready roll the reference: the active one becomes superseded, in one transaction
    (by None: automatically, at the end of its import)."""
    roll = VoterRoll.objects.select_for_update().get(pk=roll.pk)
    if roll.state not in (VoterRoll.State.READY, VoterRoll.State.SUPERSEDED):
        raise ImportFailed(f"only a ready or superseded roll can be activated, not {roll.state}")
    now = timezone.now()
    VoterRoll.objects.select_for_update().filter(state=VoterRoll.State.ACTIVE).update(
        state=VoterRoll.State.SUPERSEDED, superseded_at=now
    )
    roll.state, roll.activated_at = VoterRoll.State.ACTIVE, now
    roll.save(update_fields=["state", "activated_at"])
    audit(user=by, action=AuditEvent.Action.ROLL_ACTIVATED,
          target=_audit_target(roll), automatic=by is None)  # fmt: skip
    # Lines decided against the old roll are checked again against this one: the apps that
    # decide them learn of it after commit, through a signal (voters never imports them).
    transaction.on_commit(lambda: roll_activated.send(sender=VoterRoll, roll=roll))
    return roll


def voter_roll_report_download_record(*, roll: VoterRoll, by: User) -> None:
    """An import's report leaves the app: it quotes the voter file's rejected rows."""
    audit(user=by, action=AuditEvent.Action.DOWNLOAD,
          target=f"{_audit_target(roll)}: import report")  # fmt: skip


def voter_roll_cancel(*, roll: VoterRoll, by: User | None = None) -> bool:
    """Cancel an import at once: the roll is failed now, whether its worker is alive, stuck or
    gone; False if it had already ended.

    1. A queued roll, or an importing one, becomes failed (compare-and-set on its state).
    2. A live worker is told to stop at its next chunk of rows; whatever it is doing, it checks
       the roll's state under a row lock before attaching the partition and rolls back, so a
       cancelled roll never becomes ready. A dead or stuck one needs no answer.
    """
    now = timezone.now()
    updated = VoterRoll.objects.filter(pk=roll.pk, state=VoterRoll.State.QUEUED).update(
        state=VoterRoll.State.FAILED, error="cancelled before it started", finished_at=now
    ) or VoterRoll.objects.filter(pk=roll.pk, state=VoterRoll.State.IMPORTING).update(
        state=VoterRoll.State.FAILED, finished_at=now,
        error="cancelled by an admin while importing; nothing was imported",
    )  # fmt: skip
    if not updated:
        return False
    audit(user=by, action=AuditEvent.Action.ROLL_CANCELLED,
          target=_audit_target(roll))  # fmt: skip
    with contextlib.suppress(RedisError):  # the roll's state is what the worker obeys
        cache.set(cancel_key(roll.pk), True, timeout=3600)
        Progress(progress_key(roll.pk), phase="failed").update(force=True)
    return True


def voter_rolls_sweep_stale() -> list[int]:
    """Fail imports whose worker died (no progress for a long time); re-send queued ones."""
    from voters.tasks import voter_roll_import_task

    now = timezone.now()
    failed = []
    for roll in VoterRoll.objects.filter(state=VoterRoll.State.IMPORTING):
        progress = Progress.read(progress_key(roll.pk)) or {}
        # An importing roll has started_at: the claim sets it with the state (voter_roll_import).
        last = progress.get("updated") or cast(datetime, roll.started_at).timestamp()
        if now.timestamp() - last > STALE_AFTER_SECONDS:
            VoterRoll.objects.filter(pk=roll.pk, state=VoterRoll.State.IMPORTING).update(
                state=VoterRoll.State.FAILED, finished_at=now,
                error="the import stopped without finishing (worker lost); nothing was imported",
            )  # fmt: skip
            failed.append(roll.pk)
    # The broker may have lost the message of a queued import: send it again (the claim is a CAS).
    stale_queued = VoterRoll.objects.filter(
        state=VoterRoll.State.QUEUED, created_at__lt=now - timedelta(minutes=2)
    ).values_list("pk", flat=True)
    for roll_id in stale_queued:
        voter_roll_import_task.delay(roll_id)
    return failed


@dataclass(frozen=True)
class PruneOutcome:
    roll_id: int
    source_name: str
    state: str
    erased: bool
    note: str  # what was erased, or why the roll was kept


def _citations(roll: VoterRoll) -> list[str]:
    """What still refers to the roll and forbids erasing it: rows of other apps whose foreign
    key to it is PROTECT (a petition line decided against it), counted without importing them."""
    found = []
    for relation in VoterRoll._meta.related_objects:
        if relation.on_delete is not models.PROTECT:
            continue
        model = relation.field.model  # the model holding the foreign key (= related_model)
        count = model._default_manager.filter(**{relation.field.name: roll}).count()
        if count:
            found.append(f"{count:,} {model._meta.verbose_name_plural} decided against it")
    return found


def _uploaded(path: str) -> Path | None:
    """The roll's file if it is an upload (the app's copy), not an admin's file elsewhere."""
    file = Path(path)
    return file if file.resolve().parent == Path(settings.UPLOAD_DIR).resolve() else None


def voter_rolls_prune(*, older_than_days: int, dry_run: bool = False) -> list[PruneOutcome]:
    """Erase rolls no longer used (2 CCR 19012): superseded, or failed, for longer than
    older_than_days; never the active or a ready one, never one that lines still cite.

    For each: its partition of voters, its surnames, places and district sets, its row (with the
    import report, which quotes the file's rows), and its uploaded file; one audit event each.
    """
    cutoff = timezone.now() - timedelta(days=older_than_days)
    since = Coalesce("superseded_at", "finished_at", "created_at")
    rolls = (
        VoterRoll.objects.filter(state__in=[VoterRoll.State.SUPERSEDED, VoterRoll.State.FAILED])
        .annotate(since=since)
        .filter(since__lt=cutoff)
        .order_by("pk")
    )
    outcomes = []
    for roll in rolls:
        cited = _citations(roll)
        if cited:
            note = (
                f"kept: {'; '.join(cited)} (re-validation against the active roll releases "
                "it; a decision made by hand keeps it until decided again)"
            )
            outcomes.append(PruneOutcome(roll.pk, roll.source_name, roll.state, False, note))
            continue
        upload = _uploaded(roll.source_path)
        note = f"{roll.rows_imported:,} voters" + (f", upload {upload.name}" if upload else "")
        outcome = PruneOutcome(roll.pk, roll.source_name, roll.state, True, note)
        if not dry_run and not _roll_erase(roll, upload, note):
            outcome = PruneOutcome(roll.pk, roll.source_name, roll.state, False,
                                   "kept: activated or cited while being erased")  # fmt: skip
        outcomes.append(outcome)
    return outcomes


def _roll_erase(roll: VoterRoll, upload: Path | None, note: str) -> bool:
    with transaction.atomic():
        locked = VoterRoll.objects.select_for_update().filter(pk=roll.pk, state=roll.state)
        if not locked.exists() or _citations(roll):
            return False  # activated or cited meanwhile
        with connection.cursor() as cursor:
            # A failed import left no table; a superseded roll's partition goes with its voters.
            cursor.execute(f"DROP TABLE IF EXISTS {roll.partition_name}")
        audit(user=None, action=AuditEvent.Action.ROLL_PRUNED, target=_audit_target(roll),
              erased=note, state=roll.state, path=roll.source_path)  # fmt: skip
        roll.delete()  # its surnames, places and district sets cascade
    if upload is not None:
        upload.unlink(missing_ok=True)
    return True


# Held (for the transaction) by a county replacement: one at a time per roll.
COUNTY_LOCK = 0x766F7465  # "vote"
SWAP_LOCK_TIMEOUT = "3s"
SWAP_ATTEMPTS = 10


def county_code_normalised(text: str, flag: str = "--replace-county") -> str:
    """An SoS county code as stored ("7" -> "07"); FileError naming the flag otherwise."""
    value = str(text).strip()
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= COUNTIES):
        raise FileError(f"{flag} {text!r}: a county is its SoS code, 1 (Alameda) to 58 (Yuba)")
    return f"{int(value):02d}"


@dataclass
class CountyReplaced:
    """What a county's replacement did, for the command's report."""

    county: VoterRollCounty
    voters_before: int
    rows_read: int
    rows_rejected: int
    rejects: list[dict[str, Any]] = field(default_factory=list)
    reject_counts: dict[str, int] = field(default_factory=dict)
    rows_warned: int = 0
    warnings: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def _roll_by_county(roll: VoterRoll | None) -> VoterRoll:
    if roll is None:
        raise ImportFailed("there is no active roll to replace a county of (--roll names one)")
    if not roll.by_county:
        raise ImportFailed(
            f"roll {roll.pk} ({roll.source_name}) is not a roll by county: import the statewide "
            "extract with --by-county first, then replace its counties one by one"
        )
    if roll.state not in (VoterRoll.State.ACTIVE, VoterRoll.State.READY):
        raise ImportFailed(
            f"roll {roll.pk} is {roll.get_state_display().lower()}: only an active or ready roll's "
            "counties can be replaced"
        )
    return roll


def voter_roll_county_replace(
    *,
    county_code: str,
    path: Path | str,
    roll: VoterRoll | None = None,
    requested_format: str = "auto",
    max_reject_rate: float = 0.01,
    by: User | None = None,
    progress_listener: Callable[[Progress], None] | None = None,
) -> CountyReplaced:
    """Replace one county's voters of a roll by county (the active one unless roll is given) with
    a new file of that county, in one transaction; ImportFailed or FileError with the reason,
    and then nothing has changed.

    1. The file is streamed (COPY FREEZE) into a fresh table; a row of another county stops it
       (a wrong file), a row without a county code is the county's.
    2. Duplicate ids go, as do ids registered in another county of the roll (each reported as a
       rejected row; the roll keeps one registration per voter). Indexes, the reject rate,
       a CHECK of the partition's bounds (so the attach scans nothing), ANALYZE.
    3. The roll's surnames and places change by the county's share (old counts out, new in),
       its district sets gain the file's new combinations.
    4. Receivers of roll_county_replacing put back to pending the lines the county's new voters
       may decide otherwise (petitions), in this transaction.
    5. The swap: detach the county's old table, attach the new one, drop the old; it waits for
       validations reading the roll for at most SWAP_LOCK_TIMEOUT a try (readers queue behind a
       waiting DETACH), then gives up with nothing changed.
    """
    code = county_code_normalised(county_code)
    roll = _roll_by_county(roll or active_roll())
    path = Path(path).resolve()
    if not 0 <= max_reject_rate <= 1:
        raise FileError(f"max reject rate must be between 0 and 1, got {max_reject_rate}")
    info = inspect_voter_file(path, requested_format)
    progress = Progress(f"voterroll:{roll.pk}:county:{code}:progress", listener=progress_listener)
    progress.total_bytes = info.size
    known = [
        (number, cast(dict[str, str], attributes))
        for number, attributes in VoterAttributeSet.objects.filter(roll=roll).values_list(
            "number", "attributes"
        )
    ]
    reader = VoterFileReader(
        path, info, max_inflated_bytes=settings.VOTER_FILE_MAX_INFLATED_BYTES, county=code,
        known_sets=known,
    )  # fmt: skip
    audit(user=by, action=AuditEvent.Action.IMPORT, target=_audit_target(roll), path=str(path),
          format=info.format, bytes=info.size, county=code, replace_county=True)  # fmt: skip
    timings: dict[str, float] = {}
    try:
        with transaction.atomic():
            outcome = _county_replace(
                roll, code, reader, progress, timings, max_reject_rate=max_reject_rate, by=by
            )
    except (ImportFailed, FileError):
        progress.update(phase="failed", force=True)
        raise
    except Exception as exc:
        progress.update(phase="failed", force=True)
        if not _is_database_error(exc):
            raise  # a bug: its traceback
        connection.close_if_unusable_or_obsolete()
        raise ImportFailed(
            _failure_message(exc).replace("nothing was imported", "nothing was changed")
        ) from exc
    progress.update(phase="done", force=True)
    outcome.timings = timings
    return outcome


def _county_replace(
    roll: VoterRoll,
    code: str,
    reader: VoterFileReader,
    progress: Progress,
    timings: dict[str, float],
    *,
    max_reject_rate: float,
    by: User | None,
) -> CountyReplaced:
    since = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [COUNTY_LOCK, roll.pk])
        if not cursor.fetchone()[0]:
            raise ImportFailed(
                f"a county of roll {roll.pk} is being replaced already; try again when it ends"
            )
        old = VoterRollCounty.objects.filter(roll=roll, county_code=code).first()
        generation = _generation(old.table_name) + 1 if old else 1
        table = _county_table(roll, code, generation)
        _maintenance_settings(cursor)
        _create_county_table(cursor, roll, code, table)
        progress.update(phase="reading", force=True)
        clock = time.monotonic()
        _copy_in(cursor, _copy_sql(table), _CopySource(reader, lambda batch: progress.update(
            rows=reader.stats.rows_read, rejected=reader.stats.rows_rejected,
            bytes_done=batch.bytes_done or progress.bytes_done,
        )))  # fmt: skip
        stats = reader.stats
        if stats.rows_read == 0:
            raise ImportFailed("the file has a header but no voters; nothing was changed")
        timings["load"] = time.monotonic() - clock
        clock = time.monotonic()
        progress.update(phase="indexing", force=True)
        _build_indexes(cursor, table, reader)
        _remove_registered_elsewhere(cursor, roll, code, table, reader)
        timings["index"] = time.monotonic() - clock
        rate = stats.rows_rejected / stats.rows_read
        if rate > max_reject_rate:
            raise ImportFailed(
                f"{stats.rows_rejected:,} of {stats.rows_read:,} rows rejected ({rate:.2%}), "
                f"above the limit of {max_reject_rate:.2%}; nothing was changed"
            )
        cursor.execute(f"ANALYZE {table}")
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our table
        voters = int(cursor.fetchone()[0])
        clock = time.monotonic()
        _county_dimensions(cursor, roll, old.table_name if old else "", table, reader)
        timings["dimensions"] = time.monotonic() - clock
        reopened = sum(
            int(count or 0)
            for _, count in roll_county_replacing.send(
                sender=VoterRoll, roll=roll, county_code=code,
                old_table=old.table_name if old else "", since=since,
            )
        )  # fmt: skip
        clock = time.monotonic()
        _swap(cursor, roll, code, old.table_name if old else "", table)
        timings["swap"] = time.monotonic() - clock
    now = timezone.now()
    county, _created = VoterRollCounty.objects.update_or_create(
        roll=roll, county_code=code,
        defaults={
            "table_name": table, "voters": voters, "source_name": reader.path.name,
            "imported_at": now, "replaced_at": now, "replaced_by": by,
            "rows_rejected": stats.rows_rejected, "lines_reopened": reopened,
        },
    )  # fmt: skip
    before = old.voters if old else 0
    columns = [*roll.attribute_columns]
    columns += [c for c in reader.info.attribute_columns if c not in columns]
    VoterRoll.objects.filter(pk=roll.pk).update(
        rows_imported=models.F("rows_imported") - before + voters, attribute_columns=columns
    )
    audit(user=by, action=AuditEvent.Action.ROLL_ACTIVATED,
          target=f"{_audit_target(roll)}: county {code} replaced", county=code,
          voters_before=before, voters=voters, lines_reopened=reopened,
          file=reader.path.name)  # fmt: skip
    return CountyReplaced(
        county=county, voters_before=before, rows_read=stats.rows_read,
        rows_rejected=stats.rows_rejected, rejects=stats.first_rejects,
        reject_counts=stats.reject_counts, rows_warned=stats.rows_warned,
        warnings=stats.first_warnings,
    )  # fmt: skip


def _remove_registered_elsewhere(
    cursor: CursorWrapper, roll: VoterRoll, code: str, table: str, reader: VoterFileReader
) -> None:
    """Reject the file's rows whose voter id another county of the roll holds: a voter who moved
    between the two counties' files stays where the roll has them until that county's file is
    replaced too (an id is one voter of the roll). One anti-join on the counties' keys."""
    cursor.execute(
        f"""
        DELETE FROM {table} n USING {roll.partition_name} o
        WHERE o.roll_id = %s AND o.registrant_id = n.registrant_id AND o.county_code <> %s
        RETURNING n.source_line, n.registrant_id, o.county_code
        """,  # noqa: S608 - the table names are ours
        [roll.pk, code],
    )
    for line, registrant_id, other in sorted(cursor.fetchall()):
        reader.stats.reject(
            line, "in_other_county",
            f"voter id {registrant_id} is registered in county {other} of the roll "
            f"(replace county {other}'s file to move them)",
        )  # fmt: skip


def _county_dimensions(
    cursor: CursorWrapper, roll: VoterRoll, old_table: str, table: str, reader: VoterFileReader
) -> None:
    """The roll's surnames and places by the county's share: its old counts out, its new in
    (only the names and places the county has change); its new district combinations added."""
    roll_id = int(roll.pk)
    old = (
        f"SELECT {{cols}}, -count(*) AS n FROM {old_table} GROUP BY {{cols}} UNION ALL "  # noqa: S608
        if old_table
        else ""
    )
    new = f"SELECT {{cols}}, count(*) AS n FROM {table} GROUP BY {{cols}}"  # noqa: S608
    for model, cols in (("votersurname", "last_key"), ("voterplace", "city_key, zip5")):
        keys = [c.strip() for c in cols.split(",")]
        on = " AND ".join(f"s.{k} = d.{k}" for k in keys)
        cursor.execute(
            "CREATE TEMP TABLE county_delta ON COMMIT DROP AS "  # noqa: S608 - our tables
            f"SELECT {cols}, sum(n)::bigint AS n FROM ({(old + new).format(cols=cols)}) c "
            f"GROUP BY {cols} HAVING sum(n) <> 0"
        )
        cursor.execute(
            f"UPDATE voters_{model} s SET voters = s.voters + d.n FROM county_delta d "  # noqa: S608
            f"WHERE s.roll_id = {roll_id} AND {on}"
        )
        cursor.execute(f"DELETE FROM voters_{model} WHERE roll_id = {roll_id} AND voters = 0")  # noqa: S608
        if model == "voterplace":
            cursor.execute(
                f"INSERT INTO voters_voterplace (roll_id, city_key, zip5, voters) "  # noqa: S608
                f"SELECT {roll_id}, d.city_key, d.zip5, d.n FROM county_delta d WHERE d.n > 0 "
                f"AND NOT EXISTS (SELECT 1 FROM voters_voterplace s "
                f"WHERE s.roll_id = {roll_id} AND {on})"
            )
        else:
            # A surname new to the roll: its first part and sound as the file's reading made them.
            parts = io.StringIO()
            csv.writer(parts, lineterminator="\n").writerows(
                (key, head, phon) for key, (head, phon, _count) in reader.surnames.items()
            )
            parts.seek(0)
            cursor.execute(
                'CREATE TEMP TABLE county_parts (last_key text COLLATE "C", last_head text, '
                "last_phon text) ON COMMIT DROP"
            )
            cursor.copy_expert("COPY county_parts FROM STDIN WITH (FORMAT csv)", parts)
            cursor.execute(
                "INSERT INTO voters_votersurname (roll_id, last_key, last_head, last_phon, voters) "  # noqa: S608
                f"SELECT {roll_id}, d.last_key, p.last_head, p.last_phon, d.n "
                "FROM county_delta d JOIN county_parts p USING (last_key) WHERE d.n > 0 "
                f"AND NOT EXISTS (SELECT 1 FROM voters_votersurname s "
                f"WHERE s.roll_id = {roll_id} AND {on})"
            )
            cursor.execute("DROP TABLE county_parts")
        cursor.execute("DROP TABLE county_delta")
    VoterAttributeSet.objects.bulk_create(
        VoterAttributeSet(roll=roll, number=number, attributes=attributes)
        for number, attributes in reader.attribute_sets.sets
    )
    cursor.execute("ANALYZE voters_votersurname, voters_voterplace")


def _swap(cursor: CursorWrapper, roll: VoterRoll, code: str, old_table: str, table: str) -> None:
    """Detach the county's old table, attach the new one, drop the old: catalog work only, but
    DETACH needs the roll's table to itself, so it waits for validations reading it. A short lock
    timeout a try (queries queue behind a waiting DETACH), a savepoint to retry from."""
    statements = [
        *([f"ALTER TABLE {roll.partition_name} DETACH PARTITION {old_table}"] if old_table else []),
        f"ALTER TABLE {roll.partition_name} ATTACH PARTITION {table} FOR VALUES IN ('{code}')",
        *([f"DROP TABLE {old_table}"] if old_table else []),
    ]
    cursor.execute(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT}'")
    for attempt in range(1, SWAP_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                for statement in statements:
                    cursor.execute(statement)
            break
        except OperationalError as exc:
            if getattr(exc.__cause__, "pgcode", "") != "55P03" or attempt == SWAP_ATTEMPTS:
                raise ImportFailed(
                    f"the roll stayed busy for {SWAP_ATTEMPTS} tries of {SWAP_LOCK_TIMEOUT}; "
                    "nothing was changed, try again"
                ) from exc
            time.sleep(attempt)
    cursor.execute("SET LOCAL lock_timeout = 0")
