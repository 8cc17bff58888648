import json
import time

import pytest
import redis
from django.conf import settings
from django.urls import reverse

from recall.health import SCHEDULER_KEY, WORKER_KEY


def get_health(client):
    response = client.get(reverse("healthz"))
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_healthz_is_503_without_a_worker_heartbeat(client):
    redis.Redis.from_url(settings.REDIS_URL).delete(*[WORKER_KEY + "ghost"])
    status, body = get_health(client)
    assert status == 503
    assert body["database"]["up"] is True
    assert body["redis"]["up"] is True
    assert body["workers"]["up"] is False


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6390/0"  # nothing listens there
    status, body = get_health(client)
    assert status == 503
    assert body["status"] == "degraded"
    assert body["redis"]["up"] is False
    assert body["database"]["up"] is True


@pytest.mark.django_db
def test_stale_heartbeat_counts_as_down(client):
    r = redis.Redis.from_url(settings.REDIS_URL)
    r.set(WORKER_KEY + "old@host", time.time() - 3600)
    try:
        status, body = get_health(client)
    finally:
        r.delete(WORKER_KEY + "old@host")
    assert status == 503
    assert body["workers"]["workers"][0]["up"] is False


@pytest.mark.worker
def test_healthz_is_200_while_a_real_worker_runs(client, celery_worker_process):
    status, body = get_health(client)
    assert status == 200, body
    assert body["status"] == "ok"
    names = [w["name"] for w in body["workers"]["workers"] if w["up"]]
    assert any(name.startswith("test-worker-") for name in names)


@pytest.mark.worker
def test_real_worker_runs_scheduler_heartbeat_task(celery_worker_process):
    from recall.tasks import scheduler_heartbeat

    r = redis.Redis.from_url(settings.REDIS_URL)
    r.delete(SCHEDULER_KEY)
    scheduler_heartbeat.delay()
    deadline = time.monotonic() + 20
    while r.get(SCHEDULER_KEY) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert r.get(SCHEDULER_KEY) is not None
