"""The benchmarks' smoke runs keep to databases of the tests' own.

A benchmark takes its PostgreSQL database from DATABASE_URL ({name}_bench, and
{name}_bench_{purpose} for those with one of their own: bench/common.py) and its Redis database
from recall/lib/redis_dbs.py. Run by hand (`make bench-*`, DATABASE_URL unset) they are
recall_bench and Redis 3-14; run here they must not be the same, or a benchmark run by hand
beside `make test` and its smoke run drop each other's rolls (a deadlock) and empty each
other's queues. So here: the test database's name as the base (test_recall_bench, ...) and the
tests' own Redis database, which each benchmark empties as it starts (the tests start from an
empty one too, and no test keeps state in it across tests).
"""

import pytest
from django.conf import settings

from recall.settings_test import WORKER


@pytest.fixture(autouse=True)
def _bench_databases_of_the_tests(monkeypatch):
    db = settings.DATABASES["default"]
    # The test database's name (pytest-django has set it if a test used the database yet; under
    # `pytest -n 2` it ends with the worker's name, test_recall_gw0).
    worker = f"_{WORKER}" if WORKER else ""
    name = db["NAME"] if db["NAME"].startswith("test_") else f"test_{db['NAME']}{worker}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    monkeypatch.setenv("DATABASE_URL", f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{name}")
    monkeypatch.delenv("BENCH_DATABASE", raising=False)
    monkeypatch.setenv("BENCH_REDIS_URL", settings.REDIS_URL)
