"""Production as the README starts it: scripts/serve-production.sh with DEBUG off serves the login
page and the static files under their hashed names; `check --deploy` fails without the manifest."""

import contextlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.conf import settings

from tests.conftest import ROOT
from tests.faults.conftest import free_port, wait_for

HOST = "recall.example.org"


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The README's production variables, on the test's database and Redis, and nothing else of
    the test run's environment (the production settings module, not settings_test; no
    DJANGO_ALLOW_ASYNC_UNSAFE, which the browser tests set and check --deploy refuses)."""
    db = settings.DATABASES["default"]
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(
        DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), HTTPS="true", ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        REDIS_URL=settings.REDIS_URL, STATIC_ROOT=str(tmp_path / "static"),
        PYTHON=sys.executable, PYTHONUNBUFFERED="1",
    )  # fmt: skip
    env.update(overrides)
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_check_deploy_fails_until_the_static_manifest_is_collected(tmp_path):
    env = production_env(tmp_path)
    missing = check_deploy(env)
    assert missing.returncode != 0
    assert "recall.E001" in missing.stderr, missing.stdout + missing.stderr
    assert "collectstatic" in missing.stderr
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
                   cwd=ROOT, env=env, check=True, timeout=300)  # fmt: skip
    collected = check_deploy(env)
    assert collected.returncode == 0, collected.stdout + collected.stderr
    assert "System check identified no issues" in collected.stdout


@pytest.mark.django_db(transaction=True)
def test_the_readme_production_start_serves_the_login_page_and_static_files(tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    env = production_env(tmp_path, WEB_BIND=f"127.0.0.1:{port}", WEB_WORKERS="1")
    with log.open("w") as out:
        server = subprocess.Popen(["scripts/serve-production.sh"], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        # As the TLS proxy the README asks for would send them.
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}

        def login_page():
            if server.poll() is not None:
                pytest.fail(f"the server exited:\n{log.read_text()}")
            try:
                return requests.get(f"{base}/accounts/login/", headers=headers, timeout=5)
            except requests.ConnectionError:
                return None

        page = wait_for(login_page, 180, "the production server", interval=0.5)
        assert page.status_code == 200, page.text[:1000]
        manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
        hashed = manifest["paths"]["css/app.css"]
        assert re.fullmatch(r"css/app\.[0-9a-f]{12}\.css", hashed)
        assert f"/static/{hashed}" in page.text
        css = requests.get(f"{base}/static/{hashed}", headers=headers, timeout=5)
        assert css.status_code == 200
        assert css.headers["Content-Type"].startswith("text/css")
        assert "max-age=315360000" in css.headers["Cache-Control"]  # a hashed name is immutable
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
