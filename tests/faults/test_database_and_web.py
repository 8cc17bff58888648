"""PostgreSQL restarted in the middle of a voter import and of a validation run, and a web process
killed in the middle of a save: nothing half-written, nothing lost, nothing stored twice, and the
validation resumes on its own within seconds."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
import requests
from django.db import connection

from petitions.models import Line, Petition, Section
from tests.conftest import PASSWORD
from tests.faults.conftest import free_port, say, spawn, start_worker, wait_for
from tests.voters.factories import many, write_canonical

pytestmark = pytest.mark.faults

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class Cluster:
    """A PostgreSQL 15 cluster of the test's own, on a free port, to restart at will."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="recall-faults-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.port = free_port()
        self.data = self.dir / "data"
        subprocess.run(as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust",
                                    "-U", "postgres", "--no-sync"]),
                       check=True, capture_output=True)  # fmt: skip
        self.pg_ctl("start")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/recall_faults"
        try:
            conn = self.connect("postgres")
            conn.cursor().execute("CREATE DATABASE recall_faults")
            conn.close()
        except Exception:
            self.stop()  # never leave a server running behind a failed set-up
            raise

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
                                    str(self.dir / "log"), "-o", options, "-w", action, *extra]),
                       check=True, capture_output=True)  # fmt: skip

    def connect(self, dbname: str = "recall_faults"):
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname)
        conn.autocommit = True
        return conn

    def rolls(self) -> list[tuple]:
        try:
            conn = self.connect()
        except psycopg2.OperationalError:
            return []  # restarting
        try:
            cur = conn.cursor()
            cur.execute("SELECT id, state, rows_imported, error FROM voters_voterroll ORDER BY id")
            return cur.fetchall()
        except psycopg2.Error:
            return []  # not migrated yet
        finally:
            conn.close()

    def stop(self) -> None:
        subprocess.run(as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m",
                                    "immediate", "stop"]), capture_output=True)  # fmt: skip
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster():
    if not (PG_BIN / "initdb").exists():
        pytest.skip("PostgreSQL 15's server binaries are not installed")
    made = Cluster()
    yield made
    made.stop()


def manage(cluster: Cluster, *args: str, log: Path) -> subprocess.Popen:
    return spawn([sys.executable, "manage.py", *args], log, DATABASE_URL=cluster.url)


def test_postgres_restarted_during_a_voter_import(cluster, tmp_path):
    log = tmp_path / "manage.log"
    assert manage(cluster, "migrate", "--no-input", "-v", "0", log=log).wait(120) == 0, (
        log.read_text()
    )
    first = write_canonical(tmp_path / "first.csv", many(1_000))
    assert manage(cluster, "import_voters", str(first), log=log).wait(120) == 0, log.read_text()
    say("a PostgreSQL of the test's own, migrated, with a 1,000-voter roll active")

    big = write_canonical(tmp_path / "big.csv", many(600_000))
    importing = manage(cluster, "import_voters", str(big), log=log)
    wait_for(lambda: any(state == "importing" for _, state, *_ in cluster.rolls()), 60,
             "the import to start")  # fmt: skip
    time.sleep(1.5)  # well into the COPY
    assert importing.poll() is None, "the import ended before the restart: give it more rows"
    cluster.pg_ctl("restart", "-m", "fast")
    say("restarted PostgreSQL (pg_ctl restart -m fast) in the middle of a 600,000-row import")
    code = importing.wait(120)
    output = log.read_text()
    assert code != 0
    assert "Traceback" not in output, output
    rolls = cluster.rolls()
    assert [(state, rows) for _, state, rows, _ in rolls] == [("active", 1_000), ("failed", 0)]
    error = rolls[1][3]
    assert error.startswith("database error, nothing was imported"), error
    assert "connection to the database was lost" in error
    say(f"the import failed cleanly: exit {code}, the roll says “{error}”")
    conn = cluster.connect()
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_class WHERE relname = %s",
                    [f"voters_voter_roll_{rolls[1][0]}"])  # fmt: skip
        assert cur.fetchone()[0] == 0  # no half-loaded table left behind
        cur.execute("SELECT count(*) FROM voters_voter")
        assert cur.fetchone()[0] == 1_000
    conn.close()
    say("checked: the first roll is still the active one, with its 1,000 voters; no partial table")

    assert manage(cluster, "import_voters", str(big), log=log).wait(300) == 0, log.read_text()
    states = [(state, rows) for _, state, rows, _ in cluster.rolls()]
    assert states == [("superseded", 1_000), ("failed", 0), ("active", 600_000)]
    say("retried the same file: imported, 600,000 voters, now the active roll")


# PostgreSQL restarted mid-validation ---------------------------------------------------------


def line_counts(cluster: Cluster, slug: str) -> dict[str, int]:
    """The petition's lines by status (empty while the server restarts)."""
    try:
        conn = cluster.connect()
    except psycopg2.OperationalError:
        return {}
    try:
        cur = conn.cursor()
        cur.execute("SELECT l.status, count(*) FROM petitions_line l JOIN petitions_petition p "
                    "ON p.id = l.petition_id WHERE p.slug = %s GROUP BY 1", [slug])  # fmt: skip
        return dict(cur.fetchall())
    except psycopg2.Error:
        return {}
    finally:
        conn.close()


# Lines validated twice (undisturbed, then with the restart): enough that the restart lands well
# inside the second run (a quarter of them still pending at least), at about 800 lines/s.
LINES = 20_000


def test_postgres_restarted_during_a_validation_run(cluster, private_redis, processes, tmp_path):
    env = {"DATABASE_URL": cluster.url, "REDIS_URL": private_redis["url"],
           "VALIDATION_SWEEP_SECONDS": "3600", "VALIDATION_STALE_SECONDS": "3600"}  # fmt: skip
    log = tmp_path / "manage.log"

    def pending(slug: str) -> int:
        """Lines still pending: all of them before the import, and while the server restarts."""
        counts = line_counts(cluster, slug)
        return counts.get("pending", 0) if sum(counts.values()) == LINES else LINES

    def manage_ok(*args: str, timeout: float = 300) -> None:
        proc = spawn([sys.executable, "manage.py", *args], log, **env)
        assert proc.wait(timeout) == 0, log.read_text()[-3000:]

    manage_ok("migrate", "--no-input", "-v", "0")
    roll, lines = tmp_path / "roll.csv", tmp_path / "lines.csv"
    manage_ok("generate_voter_roll", str(roll), "--voters", str(LINES), "--seed", "7")
    manage_ok("import_voters", str(roll))
    manage_ok("generate_signatures", str(roll), str(lines), "--lines", str(LINES), "--seed", "7")
    for slug in ("control", "restarted"):
        manage_ok("create_petition", "--slug", slug, "--title", slug, "--required", "1000")
    say(
        f"a PostgreSQL and a Redis of the test's own; a {LINES:,}-voter roll; no scheduler, so no "
        "sweep (and VALIDATION_SWEEP_SECONDS=3600): only a retry can recover a failed batch"
    )

    processes.append(start_worker(tmp_path / "worker.log", "validate", **env))
    manage_ok("import_signatures", str(lines), "--petition", "control")
    started = time.monotonic()
    wait_for(lambda: pending("control") == 0, 600, "the control run")
    control = line_counts(cluster, "control")
    say(f"control: {LINES:,} lines validated undisturbed in {time.monotonic() - started:.0f} s")

    manage_ok("import_signatures", str(lines), "--petition", "restarted")
    wait_for(lambda: pending("restarted") <= LINES * 9 // 10, 300, "the validation to be under way")
    before = pending("restarted")
    assert before > LINES // 4, "the run was nearly over before the restart: give it more lines"
    cluster.pg_ctl("restart", "-m", "fast")
    restarted = time.monotonic()
    say(f"restarted PostgreSQL (pg_ctl restart -m fast) with {before:,} lines still pending")
    resumed = wait_for(lambda: pending("restarted") < before - 1_000 and time.monotonic(), 30,
                       "validation to resume")  # fmt: skip
    wait_for(lambda: pending("restarted") == 0, 300, "every line to be decided")
    say(
        f"validation resumed {resumed - restarted:.0f} s after the restart; every line decided "
        f"{time.monotonic() - restarted:.0f} s after it"
    )
    worker_log = (tmp_path / "worker.log").read_text()
    assert "Retry in" in worker_log, worker_log[-3000:]

    after = line_counts(cluster, "restarted")
    assert after["valid"] == control["valid"], (after, control)
    conn = cluster.connect()
    with conn.cursor() as cur:
        cur.execute("SELECT p.slug, count(*) FILTER (WHERE l.counted), "
                    "count(DISTINCT l.voter_registrant_id) FILTER (WHERE l.counted) "
                    "FROM petitions_line l JOIN petitions_petition p ON p.id = l.petition_id "
                    "GROUP BY 1 ORDER BY 1")  # fmt: skip
        counted = cur.fetchall()
    conn.close()
    assert counted[0][1:] == counted[1][1:] == (control["valid"], control["valid"]), counted
    say(
        f"checked: {after['valid']:,} valid as in the control run; each counted voter counted "
        f"once; statuses {after}"
    )


# A web process killed mid-request ------------------------------------------------------------


def csrf_session(base: str, user) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=10)
    response = session.post(
        f"{base}/accounts/login/",
        data={"username": user.username, "password": PASSWORD,
              "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        timeout=10,
    )  # fmt: skip
    assert response.url == f"{base}/", response.text[:500]
    return session


@pytest.mark.django_db(transaction=True)
def test_a_web_process_killed_in_the_middle_of_a_save(tmp_path, volunteer, processes):
    petition = Petition.objects.create(title="Kill", slug="kill", required_signatures=10)
    section = Section.objects.create(petition=petition, serial=1, entered_by=volunteer)
    port = free_port()
    server = spawn([sys.executable, "-m", "gunicorn", "recall.wsgi", "--workers", "1", "--bind",
                    f"127.0.0.1:{port}", "--graceful-timeout", "1"],
                   tmp_path / "gunicorn.log", DEBUG="false")  # fmt: skip
    processes.append(server)
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: _answers(f"{base}/healthz"), 60, "gunicorn")
    session = csrf_session(base, volunteer)
    save_url = f"{base}/petitions/kill/sections/1/lines"
    token = str(uuid.uuid4())
    line = {"printed_name": "Robert Smithers", "residence_address": "12 Oak Ave",
            "city": "Glendale", "signed": "on", "client_token": token}  # fmt: skip
    headers = {"HX-Request": "true", "X-CSRFToken": session.cookies["csrftoken"],
               "Referer": f"{base}/petitions/kill/sections/1/"}  # fmt: skip

    # Hold the section's row lock, as a long save by someone else would: the save waits on it.
    blocker = psycopg2.connect(**_dsn())
    blocker.cursor().execute("SELECT 1 FROM petitions_section WHERE id = %s FOR UPDATE",
                             [section.pk])  # fmt: skip
    outcome = {}

    def save() -> None:
        try:
            outcome["response"] = session.post(save_url, data=line, headers=headers, timeout=30)
        except requests.RequestException as exc:
            outcome["error"] = exc

    first = threading.Thread(target=save)
    first.start()
    wait_for(lambda: _waiting_on_a_lock(blocker), 20, "the save to wait on the lock")
    worker_pid = _only_child(server.pid)
    os.kill(worker_pid, signal.SIGKILL)
    first.join(30)
    say(f"killed gunicorn's worker {worker_pid} (SIGKILL) while it was saving a line")
    assert "error" in outcome, outcome  # the client never got an answer
    blocker.rollback()
    blocker.close()
    time.sleep(1)
    stored = Line.objects.filter(client_token=token).count()
    say(f"the killed request stored {stored} line(s); the client saw: {type(outcome['error'])}")

    # The page sends the save again with the same token, as entry.js does, until it is confirmed.
    wait_for(lambda: _answers(f"{base}/healthz"), 60, "gunicorn's new worker")
    answers = [session.post(save_url, data=line, headers=headers, timeout=30) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200], answers[0].text[:500]
    assert Line.objects.filter(client_token=token).count() == 1
    assert Line.objects.filter(section=section).count() == 1
    say("the client sent the save twice more with the same token: one line stored, numbered 1")


def _dsn() -> dict:
    settings = connection.settings_dict
    return {"host": settings["HOST"], "port": settings["PORT"], "user": settings["USER"],
            "dbname": settings["NAME"]}  # fmt: skip


def _waiting_on_a_lock(conn) -> bool:
    with psycopg2.connect(**_dsn()) as probe, probe.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'")  # fmt: skip
        return cur.fetchone()[0] > 0


def _only_child(pid: int) -> int:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code in (200, 503)
    except requests.RequestException:
        return False
