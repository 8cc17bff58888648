"""Test settings: the real Postgres and Redis, on a Redis database of their own."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
from recall.lib.redis_dbs import redis_url

# Keep tests off the development worker's queues and cache (Redis database 0).
os.environ.setdefault("REDIS_URL", redis_url("tests"))

from recall.settings import *  # noqa: F403

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
IMPORT_DIR = BASE_DIR / "var" / "test-imports"  # noqa: F405
UPLOAD_DIR = BASE_DIR / "var" / "test-uploads"  # noqa: F405
# Scans of the tests in a folder of their own (each test that writes one cleans up after it).
SCANS_DIR = BASE_DIR / "var" / "test-scans"  # noqa: F405
if not SCANS_S3_BUCKET:  # noqa: F405
    STORAGES["scans"]["OPTIONS"]["location"] = str(SCANS_DIR)  # noqa: F405
