"""The daily erasure of scans kept past their time (scans.retention), sent by Celery beat
(CELERY_BEAT_SCHEDULE "erase-expired-scans"). A module of its own, imported through
CELERY_IMPORTS: scans.tasks is the imports queue's (reading and cutting scans)."""

from celery import shared_task
from django.conf import settings

from scans.retention import scans_erase


@shared_task(ignore_result=True)
def erase_expired_scans() -> int:
    """Erase the scans due today; how many files went. Stops a few minutes before the task's
    time limit (what is left goes the next day: the erasure is idempotent)."""
    budget = max(60.0, settings.CELERY_TASK_SOFT_TIME_LIMIT - 5 * 60)
    return sum(erasure.files for erasure in scans_erase(budget_seconds=budget))
