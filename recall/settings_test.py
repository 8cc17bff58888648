"""Test settings: the real Postgres and Redis, on a Redis database of their own."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
from django.core.exceptions import ImproperlyConfigured

from recall.lib.redis_dbs import redis_url

# `make test` runs the suite in two processes (pytest-xdist's workers gw0 and gw1, `pytest -n 2`).
# pytest-django gives each a test database of its own (test_recall_gw0, ...); here each gets a
# Redis database (its broker and cache: a test empties it as it starts, a benchmark's smoke run
# too) and folders of its own. The processes a test starts inherit the worker's name.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_WORKER_REDIS = {"": "tests", "gw0": "tests", "gw1": "tests-2"}
if WORKER not in _WORKER_REDIS:
    raise ImproperlyConfigured(
        f"pytest worker {WORKER}: recall/lib/redis_dbs.py keeps Redis databases for two "
        "workers at most (pytest -n 2)"
    )
# Keep tests off the development worker's queues and cache (Redis database 0). Set only while
# recall.settings reads it: pytest's first process loads these settings before it starts the
# workers, which would otherwise inherit its choice. The processes a test starts are given
# REDIS_URL (tests.conftest.test_env), or work it out here again from the worker's name.
_REDIS_URL_GIVEN = "REDIS_URL" in os.environ
os.environ.setdefault("REDIS_URL", redis_url(_WORKER_REDIS[WORKER]))

from recall.settings import *  # noqa: F403, E402

if not _REDIS_URL_GIVEN:
    del os.environ["REDIS_URL"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Django's flush between transactional tests TRUNCATEs every table, the audit log too, which the
# database refuses unless the session says otherwise (recall/migrations/0004_audit_refuse_truncate).
_options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
# Commits do not wait for the WAL to reach the disk: the tests' data need not survive a crash of
# the machine's PostgreSQL, and each flush between transactional tests (a TRUNCATE of every
# table and the post_migrate signal's writes) commits several times. What other sessions see is
# the same; the fault tests restart clusters of their own cleanly (pg_ctl -m fast).
_options["options"] = (
    f"{_options.get('options', '')} -c recall.audit_truncate=allow -c synchronous_commit=off"
).strip()
_FOLDER = f"-{WORKER}" if WORKER else ""
IMPORT_DIR = BASE_DIR / "var" / f"test-imports{_FOLDER}"  # noqa: F405
UPLOAD_DIR = BASE_DIR / "var" / f"test-uploads{_FOLDER}"  # noqa: F405
# Scans of the tests in a folder of their own (each test that writes one cleans up after it).
SCANS_DIR = BASE_DIR / "var" / f"test-scans{_FOLDER}"  # noqa: F405
if not SCANS_S3_BUCKET:  # noqa: F405
    STORAGES["scans"]["OPTIONS"]["location"] = str(SCANS_DIR)  # noqa: F405
