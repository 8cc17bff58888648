"""Scan work in the background, on the imports queue (settings.CELERY_TASK_ROUTES). Thin: the
work and its idempotence are scans.uploads'."""

from celery import shared_task

from scans.uploads import scan_pages_process_waiting, scan_upload_run, scan_uploads_sweep_stale

# A ZIP of thousands of pages: reading and cutting at several pages a second takes an hour or
# more; the sweep resumes an upload whose worker was lost.
SOFT_LIMIT = 3 * 3600
HARD_LIMIT = SOFT_LIMIT + 600


@shared_task(ignore_result=True, soft_time_limit=SOFT_LIMIT, time_limit=HARD_LIMIT)
def scan_upload_task(upload_id: int) -> None:
    scan_upload_run(upload_id=upload_id)


@shared_task(ignore_result=True, soft_time_limit=SOFT_LIMIT, time_limit=HARD_LIMIT)
def process_waiting_pages(petition_id: int) -> None:
    """Run after a petition's layout is saved: its waiting pages (and flagged ones a person did
    not mark) are aligned and cut."""
    scan_pages_process_waiting(petition_id=petition_id)


@shared_task(ignore_result=True, soft_time_limit=60, time_limit=120)
def sweep_stale_scan_uploads() -> None:
    scan_uploads_sweep_stale()
