"""The Celery app, configured from Django settings (CELERY_*), per the Celery docs for Django."""

import os

from celery import Celery
from celery.signals import worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recall.settings")

app = Celery("recall")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_heartbeat = None


@worker_ready.connect
def _start_heartbeat(sender=None, **kwargs) -> None:
    global _heartbeat
    from recall.health import WorkerHeartbeat

    _heartbeat = WorkerHeartbeat(getattr(sender, "hostname", None))
    _heartbeat.start()


@worker_shutdown.connect
def _stop_heartbeat(**kwargs) -> None:
    if _heartbeat is not None:
        _heartbeat.stop()
