import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

from recall.roles import ADMIN, ORGANIZER, REVIEWER, VOLUNTEER
from recall.services import user_create_with_role

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery-9"


# Under `pytest -n 2 --dist loadgroup` (make test) each group runs in one worker, one test after
# another: the fault tests share the network namespaces and bridge they make (tests/faults), the
# benchmarks' smoke runs the generated files they write under bench/out.
_SERIAL_GROUPS = ("faults", "bench")


def pytest_collection_modifyitems(items):
    for item in items:
        folder = item.path.parent.name
        if folder in _SERIAL_GROUPS and item.path.parent.parent.name == "tests":
            item.add_marker(pytest.mark.xdist_group(folder))


@pytest.fixture(scope="session", autouse=True)
def _clean_test_redis():
    """The tests' own Redis database (recall/settings_test.py: 15, or 2 for make test's second
    worker): start from an empty broker and cache."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    yield
    client.flushdb()


@pytest.fixture(autouse=True)
def _drop_voter_partitions(request, django_db_blocker):
    """Roll partitions are DDL outside Django's flush: drop those a test created."""
    yield
    from django.db import connection

    used_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    # Only ever the test database: never touch a developer's data.
    if not used_db or not connection.settings_dict["NAME"].startswith("test_"):
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(quote_ident(relname), ', ') FROM pg_class "
            # A roll by county's table is partitioned ('p'), its counties' tables plain.
            "WHERE relname LIKE 'voters_voter_roll_%%' AND relkind IN ('r', 'p')"
        )
        tables = cursor.fetchone()[0]
        if tables:
            cursor.execute(f"DROP TABLE {tables}")


def _persona(username: str, role: str):
    return user_create_with_role(username=username, password=PASSWORD, role=role)


@pytest.fixture
def volunteer(db):
    return _persona("vera_volunteer", VOLUNTEER)


@pytest.fixture
def reviewer(db):
    return _persona("rita_reviewer", REVIEWER)


@pytest.fixture
def organizer(db):
    return _persona("olga_organizer", ORGANIZER)


@pytest.fixture
def admin_user(db):
    return _persona("adam_admin", ADMIN)


@pytest.fixture
def outsider(db, django_user_model):
    """Logged in, but holding no role."""
    return django_user_model.objects.create_user(username="otto_outsider", password=PASSWORD)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def test_env(**overrides: str) -> dict[str, str]:
    """The environment for a subprocess running this project against the test database."""
    db = settings.DATABASES["default"]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(
        DJANGO_SETTINGS_MODULE="recall.settings_test",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        REDIS_URL=settings.REDIS_URL,
        # The worker's database is named test_..., ours was named before the test database
        # existed: one cache key prefix for both, as in one deployment.
        CACHE_KEY_PREFIX=settings.CACHES["default"]["KEY_PREFIX"],
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real Celery worker (prefork, 2 processes) on the real broker, against the test database."""
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "recall",
                "worker",
                "--queues",
                "default,imports",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
                "--hostname",
                f"test-worker-{os.getpid()}@%h",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=test_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        from recall.tasks import ping

        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"worker exited early:\n{log.read_text()}")
            try:
                assert ping.delay(41).get(timeout=5) == 42
                break
            except Exception:
                if time.monotonic() > deadline:
                    pytest.fail(f"worker did not answer within 60 s:\n{log.read_text()}")
        proc.log_path = log
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
