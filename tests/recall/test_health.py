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
def test_healthz_is_503_without_a_worker_heartbeat(client, admin_user):
    client.force_login(admin_user)
    redis.Redis.from_url(settings.REDIS_URL).delete(*[WORKER_KEY + "ghost"])
    status, body = get_health(client)
    assert status == 503
    assert body["database"]["up"] is True
    assert body["redis"]["up"] is True
    assert body["workers"]["up"] is False


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_down(client, settings, admin_user):
    client.force_login(admin_user)
    settings.REDIS_URL = "redis://127.0.0.1:6390/0"  # nothing listens there
    status, body = get_health(client)
    assert status == 503
    assert body["status"] == "degraded"
    assert body["redis"]["up"] is False
    assert body["database"]["up"] is True


@pytest.mark.django_db
def test_stale_heartbeat_counts_as_down(client, admin_user):
    client.force_login(admin_user)
    r = redis.Redis.from_url(settings.REDIS_URL)
    r.set(WORKER_KEY + "old@host", time.time() - 3600)
    try:
        status, body = get_health(client)
    finally:
        r.delete(WORKER_KEY + "old@host")
    assert status == 503
    assert body["workers"]["workers"][0]["up"] is False


@pytest.mark.worker
def test_healthz_is_200_while_a_real_worker_runs(client, celery_worker_process, admin_user):
    client.force_login(admin_user)
    status, body = get_health(client)
    assert status == 200, body
    assert body["status"] == "ok"
    names = [w["name"] for w in body["workers"]["workers"] if w["up"]]
    assert any(name.startswith("test-worker-") for name in names)


@pytest.mark.django_db
def test_anonymous_callers_get_only_the_status(client, settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:6390/0"  # nothing listens there
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "degraded"}
    assert b"6390" not in response.content
    # The details go to the log instead.
    logged = [r.getMessage() for r in caplog.records if r.name == "recall.views"]
    assert any("6390" in message for message in logged), logged


@pytest.mark.django_db
def test_no_worker_host_names_for_anyone_but_admins(client, volunteer, organizer):
    r = redis.Redis.from_url(settings.REDIS_URL)
    r.set(WORKER_KEY + "secret-host-17", time.time())
    try:
        anonymous = client.get(reverse("healthz"))
        client.force_login(organizer)
        signed_in = client.get(reverse("healthz"))
    finally:
        r.delete(WORKER_KEY + "secret-host-17")
    for response in (anonymous, signed_in):
        assert json.loads(response.content).keys() == {"status"}
        assert b"secret-host-17" not in response.content


@pytest.mark.django_db
def test_admins_get_the_details(client, admin_user):
    r = redis.Redis.from_url(settings.REDIS_URL)
    r.set(WORKER_KEY + "worker-host-3", time.time())
    client.force_login(admin_user)
    try:
        _, body = get_health(client)
    finally:
        r.delete(WORKER_KEY + "worker-host-3")
    names = [w["name"] for w in body["workers"]["workers"]]
    assert "worker-host-3" in names
    assert body["database"]["up"] is True


@pytest.mark.django_db
def test_healthz_answers_over_plain_http_when_https_redirects(client, settings):
    """A load balancer probes over http: /healthz must not answer with a redirect to https."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("login")).status_code == 301  # the rest of the site redirects
    assert client.get(reverse("healthz")).status_code in (200, 503)


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
