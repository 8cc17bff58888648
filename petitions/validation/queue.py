"""Sending workers to a petition's pending lines: on a save (gathered), for a whole petition,
and from the periodic sweep for lines whose message was lost."""

import contextlib
import logging
import math
from datetime import timedelta

from celery import signature
from django.conf import settings
from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from petitions.models import Line
from petitions.validation.batch import BATCH_SIZE
from recall.cache import REDIS_ERRORS, redis_down, redis_failed

log = logging.getLogger(__name__)

# The task by name: petitions.tasks imports this module, never the reverse. Celery sends the
# task object when it is loaded in this process (PetitionsConfig.ready loads it through the
# receivers; a worker through autodiscovery) and a message by name otherwise.
VALIDATE_PENDING = "petitions.tasks.validate_pending"


def validation_enqueue(*, petition_id: int) -> int:
    """Send workers to validate a petition's pending lines; returns how many tasks were sent.

    Idempotent: each task claims its own lines, so extra tasks find nothing and stop.
    """
    pending = Line.objects.filter(petition_id=petition_id, status=Line.Status.PENDING).count()
    tasks = min(math.ceil(pending / BATCH_SIZE), settings.VALIDATION_PARALLEL_TASKS)
    for _ in range(tasks):
        if not _send(petition_id):
            return 0
    return tasks


def _send(petition_id: int, countdown: float | None = None) -> bool:
    """Send a validation task; False if the broker is unreachable. The lines are stored pending
    whatever happens, and the sweep sends workers to them once the broker is back: a save must
    not fail, or wait, for want of a queue."""
    reason = "Redis was unreachable moments ago" if redis_down() else None
    if reason is None:
        try:
            task = signature(VALIDATE_PENDING)
            if countdown is None:
                task.apply_async((petition_id,))
            else:
                task.apply_async((petition_id,), countdown=countdown)
            return True
        except (KombuOperationalError, *REDIS_ERRORS) as exc:
            redis_failed(exc)
            reason = str(exc)
    log.info("validation of petition %s not sent (%s): the sweep will send it", petition_id, reason)
    return False


# Set while a validation task of the petition is queued and not started (it clears the key when
# it starts): saves meanwhile send no other task, since that one will claim their lines too.
QUEUED_FOR = 30  # seconds; if the message is lost, the sweep sends another anyway


def validation_queued_key(petition_id: int) -> str:
    return f"validation:{petition_id}:queued"


def validation_request(*, petition_id: int) -> bool:
    """Send a worker to a petition's pending lines, unless one is already queued and has not
    started; True if a task was sent. Without the cache, always sends one. The task starts
    VALIDATION_GATHER_MS later, and takes every line saved until then."""
    try:
        if not redis_down() and not cache.add(
            validation_queued_key(petition_id), 1, timeout=QUEUED_FOR
        ):
            return False
    except RedisError as exc:
        redis_failed(exc)
    gather = settings.VALIDATION_GATHER_MS / 1000
    return _send(petition_id, countdown=gather or None)


def validation_started(*, petition_id: int) -> None:
    """A validation task starts: lines saved from now on need a task of their own (this one may
    have claimed its last batch before they are committed)."""
    with contextlib.suppress(RedisError):
        cache.delete(validation_queued_key(petition_id))


def pending_lines_sweep(*, stale_after: timedelta) -> list[int]:
    """Send workers again to petitions with lines pending for longer than stale_after (their
    message lost with the broker, or their worker killed mid-batch); returns those petitions."""
    stale = (
        Line.objects.filter(status=Line.Status.PENDING)
        .values("petition_id")
        .annotate(oldest=Min("updated_at"))
        .filter(oldest__lt=timezone.now() - stale_after)
    )
    petitions = [row["petition_id"] for row in stale]
    for petition_id in petitions:
        validation_enqueue(petition_id=petition_id)
    return petitions
