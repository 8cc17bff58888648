from celery import shared_task

from voters.services import voter_roll_import, voter_rolls_sweep_stale


@shared_task(ignore_result=True, soft_time_limit=50 * 60, time_limit=60 * 60)
def voter_roll_import_task(roll_id: int) -> None:
    voter_roll_import(roll_id=roll_id)


@shared_task(ignore_result=True, soft_time_limit=60, time_limit=120)
def sweep_stale_imports() -> None:
    voter_rolls_sweep_stale()
