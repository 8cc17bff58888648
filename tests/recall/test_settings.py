"""A missing or malformed setting stops start-up with one clear line, not a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from recall.lib.env import EnvError, env_bool, env_database, env_redis_url, env_secret_key

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be true or false, got 'maybe'"),
        ({"DEBUG": "false"}, "SECRET_KEY is required when DEBUG is false"),
        (
            {"DEBUG": "true", "DATABASE_URL": "mysql://x/y"},
            "DATABASE_URL must be a postgres:// URL",
        ),
        ({"DEBUG": "true", "REDIS_URL": "localhost:6379"}, "REDIS_URL must be a redis:// URL"),
        ({"DEBUG": "true", "SESSION_IDLE_MINUTES": "30"}, "SESSION_IDLE_MINUTES must be 1 to 15"),
    ],
)
def test_bad_setting_stops_startup_with_one_line(env, message):
    result = run_check(**env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("recall: configuration error: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_good_settings_pass_the_system_check():
    result = run_check(DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("FALSE", False), ("1", True), ("off", False), ("", False)],
)
def test_debug_is_a_strict_boolean(raw, expected):
    assert env_bool("DEBUG", False, {"DEBUG": raw}) is expected


def test_debug_rejects_words_that_are_not_booleans():
    with pytest.raises(EnvError, match="DEBUG must be true or false"):
        env_bool("DEBUG", False, {"DEBUG": "yes please"})


def test_database_url_defaults_to_local_recall_database():
    config = env_database("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/recall", {})
    assert (config["NAME"], config["HOST"], config["PORT"]) == ("recall", "127.0.0.1", 5432)


def test_database_url_must_name_a_database():
    with pytest.raises(EnvError, match="must name a database"):
        env_database("DATABASE_URL", "", {"DATABASE_URL": "postgres://127.0.0.1:5432"})


def test_redis_url_default_and_secret_key_in_debug():
    assert env_redis_url("REDIS_URL", "redis://127.0.0.1:6379/0", {}) == "redis://127.0.0.1:6379/0"
    assert env_secret_key("SECRET_KEY", True, {}).startswith("django-insecure")


def _as_typed_by_hand(**env: str) -> dict[str, str]:
    """A shell in the checkout: no DEBUG, no SECRET_KEY, no settings module (make sets none)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    base.update(env)
    return base


FORGOT_PASSWORD = ".venv/bin/python manage.py changepassword admin"


@pytest.mark.django_db(transaction=True)
def test_the_readmes_forgot_password_command_works_as_written():
    from django.conf import settings
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from recall.roles import ADMIN
    from recall.services import user_create_with_role

    assert f"`{FORGOT_PASSWORD}`" in (ROOT / "README.md").read_text()
    admin = user_create_with_role(username="admin", password="old-Passw0rd-long", role=ADMIN)
    db = settings.DATABASES["default"]
    result = subprocess.run(
        FORGOT_PASSWORD.split(),
        cwd=ROOT,
        env=_as_typed_by_hand(
            DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            REDIS_URL=settings.REDIS_URL,
        ),
        input="new-Passw0rd-forgot\nnew-Passw0rd-forgot\n",
        start_new_session=True,  # no terminal: getpass reads the answers from stdin
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Password changed successfully for user 'admin'" in result.stdout
    admin.refresh_from_db()
    # Hashed by the production settings' hasher (the tests' own is MD5, for speed).
    assert PBKDF2PasswordHasher().verify("new-Passw0rd-forgot", admin.password)


@pytest.mark.parametrize(
    "start",
    [
        [sys.executable, "-c", "import recall.wsgi"],  # gunicorn's recall.wsgi:application
        [sys.executable, "-m", "celery", "-A", "recall", "worker", "--loglevel", "WARNING"],
    ],
    ids=["web", "worker"],
)
@pytest.mark.parametrize("debug", [None, "false"])
def test_web_and_worker_never_start_without_a_secret_key(start, debug):
    env = _as_typed_by_hand(**({"DEBUG": debug} if debug else {}))
    result = subprocess.run(
        start, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is false" in result.stderr


def test_the_local_secret_key_is_made_once_and_kept_private(tmp_path):
    from recall.lib.env import use_local_secret_key

    path = tmp_path / "var" / "local-secret-key"
    first: dict[str, str] = {}
    use_local_secret_key(first, path)
    assert len(first["SECRET_KEY"]) >= 50
    assert path.stat().st_mode & 0o777 == 0o600
    again: dict[str, str] = {}
    use_local_secret_key(again, path)
    assert again["SECRET_KEY"] == first["SECRET_KEY"]
    told = {"DEBUG": "false"}  # an environment that says DEBUG=false stays strict
    use_local_secret_key(told, path)
    assert "SECRET_KEY" not in told


# pytest's first process loads the test settings, then starts its workers, which inherit its
# environment: each worker prints the Redis database and folder its settings chose.
_WORKERS = """
import os, subprocess, sys
from django.conf import settings
settings.REDIS_URL  # loaded, as pytest-django does before xdist starts its workers
child = "from django.conf import settings; print(settings.REDIS_URL, settings.UPLOAD_DIR.name)"
for worker in sys.argv[1:]:
    run = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                         env={**os.environ, "PYTEST_XDIST_WORKER": worker})
    print(run.stdout.strip() or run.stderr.strip().splitlines()[-1])
"""


def test_each_pytest_worker_has_a_redis_database_and_folders_of_its_own():
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PYTEST_XDIST_WORKER")}
    env["DJANGO_SETTINGS_MODULE"] = "recall.settings_test"
    run = subprocess.run(
        [sys.executable, "-c", _WORKERS, "gw0", "gw1", "gw2"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    first, second, third = run.stdout.splitlines()
    assert first == "redis://127.0.0.1:6379/15 test-uploads-gw0"
    assert second == "redis://127.0.0.1:6379/2 test-uploads-gw1"
    assert third.endswith("keeps Redis databases for two workers at most (pytest -n 2)")
