import time

from celery import shared_task

from recall.health import SCHEDULER_KEY, redis_client


@shared_task(ignore_result=True, soft_time_limit=10, time_limit=20)
def scheduler_heartbeat() -> None:
    """Sent by the scheduler every 30 s; a worker stamps it, proving both are alive."""
    redis_client().set(SCHEDULER_KEY, time.time(), ex=600)


@shared_task(soft_time_limit=10, time_limit=20)
def ping(value: int) -> int:
    """A trivial round trip through the broker, used by tests and checks."""
    return value + 1
