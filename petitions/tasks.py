import time
from datetime import timedelta
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

from petitions.models import Line, Petition
from petitions.progress import breakdowns, tallies_reconcile
from petitions.statewide import counties_verdict, is_multi_county
from petitions.validation import (
    lines_reset_for_revalidation,
    pending_lines_sweep,
    petition_validate_pending,
    validation_enqueue,
    validation_started,
)

# A task hands over after this long, so one large petition cannot hold a worker for an hour.
TASK_BUDGET_SECONDS = 60
# A lost database connection (a restart, a failover, a dropped network path) is retried after
# 1, 2, 4 ... 30 s: about four minutes in all, then the sweep is the fallback.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)
DB_RETRY_MAX = 10
DB_RETRY_BACKOFF_MAX = 30


@shared_task(bind=True, ignore_result=True, soft_time_limit=300, time_limit=360,
             max_retries=DB_RETRY_MAX)  # fmt: skip
def validate_pending(self: Task[Any, Any], petition_id: int) -> None:
    """Validate batches of a petition's pending lines until none are left (or the budget)."""
    validation_started(petition_id=petition_id)  # before the first claim: see validation_request
    started = time.monotonic()
    try:
        while petition_validate_pending(petition_id=petition_id):
            if time.monotonic() - started > TASK_BUDGET_SECONDS:
                validate_pending.delay(petition_id)
                return
    except TRANSIENT_DB_ERRORS as exc:
        # The batch in flight rolled back: its lines are still pending and unlocked, so the retry
        # claims them again and nothing counts twice. The broken connection is closed first, or
        # the retry in this process would fail on it at once.
        connection.close()
        delay = min(2**self.request.retries, DB_RETRY_BACKOFF_MAX)
        raise self.retry(exc=exc, countdown=delay) from None


@shared_task(ignore_result=True, soft_time_limit=60, time_limit=120)
def sweep_pending_lines() -> None:
    """The broker may lose messages: lines pending too long get workers sent again."""
    pending_lines_sweep(stale_after=timedelta(seconds=settings.VALIDATION_STALE_SECONDS))


@shared_task(ignore_result=True, soft_time_limit=600, time_limit=700)
def revalidate_after_roll_change() -> None:
    """A new roll is active: lines decided against an older one are checked again."""
    for petition_id in Line.objects.values_list("petition_id", flat=True).distinct():
        if lines_reset_for_revalidation(petition_id=petition_id):
            validation_enqueue(petition_id=petition_id)


@shared_task(ignore_result=True, soft_time_limit=300, time_limit=360)
def reconcile_tallies() -> None:
    """The dashboard's counts against a full count of the lines; drift is logged and fixed."""
    tallies_reconcile()


@shared_task(ignore_result=True, soft_time_limit=240, time_limit=300)
def refresh_breakdowns() -> None:
    """The dashboard's breakdowns (circulators, areas, roll-order sections) and the suspect
    sections counted afresh, and each county's verification for a petition of several
    counties."""
    from petitions.suspects import suspect_sections

    for petition in Petition.objects.all():
        breakdowns(petition, refresh=True)
        suspect_sections(petition, refresh=True)
        if is_multi_county(petition):
            counties_verdict(petition, refresh=True)
