"""`make run`'s console: what the Procfile starts says nothing alarming that is expected, and
the `ready` process says what runs where and how to log in."""

import socket
import stat
import subprocess
import sys
import time

import pytest
from celery.platforms import ROOT_DISCOURAGED
from honcho.environ import parse_procfile

from devtools.demo_passwords import demo_passwords, passwords_path
from devtools.management.commands import dev_ready, load_demo
from recall.health import SCHEDULER_KEY, WORKER_KEY, redis_client
from tests.conftest import ROOT

PROCESSES = parse_procfile((ROOT / "Procfile").read_text()).processes


def test_the_procfile_starts_web_worker_scheduler_and_the_summary():
    assert list(PROCESSES) == ["web", "worker", "beat", "ready"]
    assert "runserver 127.0.0.1:${WEB_PORT:-8000}" in PROCESSES["web"]
    assert "--port ${WEB_PORT:-8000}" in PROCESSES["ready"]


def test_runserver_is_told_to_hide_its_production_warning():
    assert PROCESSES["web"].startswith("DJANGO_RUNSERVER_HIDE_WARNING=true ")


def _warn_as_root(*options: str) -> str:
    """Celery's warning for a worker started as root, raised in a fresh interpreter started
    with these options: what it prints."""
    code = (
        "import warnings\n"
        "from celery.exceptions import SecurityWarning\n"
        "from celery.platforms import ROOT_DISCOURAGED\n"
        "warnings.warn(SecurityWarning(ROOT_DISCOURAGED.format(uid=0, euid=0, gid=0, egid=0)))\n"
        "warnings.warn(SecurityWarning('another warning stays'))\n"
    )
    done = subprocess.run(
        [sys.executable, *options, "-c", code], capture_output=True, text=True, check=True
    )
    return done.stderr


def test_the_worker_hides_celerys_root_warning_and_no_other():
    command = PROCESSES["worker"]
    option = command.split('-W "', 1)[1].split('"', 1)[0]
    # The filter matches the start of the message Celery has today.
    assert ROOT_DISCOURAGED.startswith(option.removeprefix("ignore:"))
    assert "superuser privileges" in _warn_as_root()  # without the option it is printed
    shown = _warn_as_root("-W", option)
    assert "superuser privileges" not in shown
    assert "another warning stays" in shown


def test_celerys_banners_are_left_out():
    assert "-A recall --quiet worker" in PROCESSES["worker"]
    assert "-A recall --quiet beat" in PROCESSES["beat"]


def test_make_run_sets_the_campaigns_time_zone_for_honcho():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nrun: demo\n", 1)[1].split("\n\n", 1)[0]
    assert "TZ=$$($(PY) -c 'from recall.settings import TIME_ZONE; print(TIME_ZONE)')" in recipe
    assert "WEB_PORT=$(PORT)" in recipe


@pytest.fixture
def demo_folder(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    return tmp_path / "var" / "demo"


@pytest.mark.django_db
def test_load_demo_keeps_the_passwords_it_made_for_the_owner_alone(demo_folder, capsys):
    load_demo.Command()._users()
    kept = demo_passwords()
    assert list(kept) == ["volunteer", "reviewer", "organizer", "admin"]
    assert stat.S_IMODE(passwords_path().stat().st_mode) == 0o600
    assert f"password: {kept['reviewer']}" in capsys.readouterr().out
    load_demo.Command()._users()  # a second run makes no user and keeps the file
    assert demo_passwords() == kept
    assert "`make run` shows their passwords" in capsys.readouterr().out


@pytest.fixture
def listening():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


@pytest.fixture
def heartbeats():
    client = redis_client()
    client.delete(SCHEDULER_KEY, *client.keys(WORKER_KEY + "*"))
    yield client
    client.delete(SCHEDULER_KEY, *client.keys(WORKER_KEY + "*"))


@pytest.mark.django_db
def test_the_summary_says_where_each_process_runs_and_how_to_log_in(
    demo_folder, listening, heartbeats, capsys, django_user_model
):
    load_demo.Command()._users()
    passwords = demo_passwords()
    admin = django_user_model.objects.get(username="admin")
    admin.set_password("changed-by-its-owner-1")
    admin.save()
    heartbeats.set(WORKER_KEY + "celery@here", time.time() + 1)
    heartbeats.set(SCHEDULER_KEY, time.time() + 1)

    summary = dev_ready.Command().summary(listening, wait=5)

    assert f"Ready. Open http://127.0.0.1:{listening}/ (times here are America/Los_Angeles" in (
        summary
    )
    assert f"web        http://127.0.0.1:{listening}/  up" in summary
    assert "worker     up" in summary
    assert "scheduler  up" in summary
    assert f"volunteer  {passwords['volunteer']}" in summary
    assert f"organizer  {passwords['organizer']}" in summary
    assert "admin      (changed since: your own)" in summary
    assert passwords["admin"] not in summary


@pytest.mark.django_db
def test_the_summary_says_what_does_not_answer(demo_folder, heartbeats):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # closed again: nothing listens there
    heartbeats.set(SCHEDULER_KEY, time.time() - 120)  # a beat from before this start

    summary = dev_ready.Command().summary(port, wait=1.5)

    assert "web        http://127.0.0.1:" in summary
    assert "not answering after 2 s" in summary
    assert "worker     not answering" in summary
    assert "scheduler  not answering" in summary
    assert "their passwords were shown when load_demo created them" in summary


def test_worker_and_scheduler_lines_start_as_the_webs(settings):
    # "2026-12-05 21:30:47,262 INFO ..." from every process, not "[2026-12-05 21:30:47,262: INFO/".
    plain = settings.LOGGING["formatters"]["plain"]["format"]
    start = plain.split("%(name)s")[0]
    assert start == "%(asctime)s %(levelname)s "
    assert settings.CELERY_WORKER_LOG_FORMAT.startswith(start)
    assert settings.CELERY_WORKER_TASK_LOG_FORMAT.startswith(start)
