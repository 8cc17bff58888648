"""A real PostgreSQL streaming replica (pg_basebackup of a primary the test starts) serving the
dashboard's reads: the figures come from the replica, its lag is on the page, and when it stops
the primary answers and the page says so."""

import os
import re
import shutil
import subprocess
import sys
import time

import psycopg2
import pytest
import requests
from django.conf import settings

from tests.conftest import PASSWORD
from tests.faults.conftest import free_port, say, spawn, wait_for
from tests.faults.test_database_and_web import PG_BIN, Cluster, as_postgres
from tests.petitions.helpers import ROLL
from tests.voters.factories import write_canonical

pytestmark = pytest.mark.faults

SECTION = (
    "from django.contrib.auth.models import User; from petitions.models import Section, Petition; "
    "Section.objects.create(petition=Petition.objects.get(slug='replica'), serial=1, "
    "entered_by=User.objects.get(username='olga_organizer'))"
)
COUNTED_LINE = (
    "from petitions.models import Line, Section; s = Section.objects.get(serial=1); "
    "Line.objects.create(petition=s.petition, section=s, number=1, printed_name='Robert Smithers', "
    "residence_address='12 Oak Ave', city='Glendale', status='valid', counted=True, "
    "voter_registrant_id='BOB')"
)


class Standby:
    """A hot standby of `primary`, streaming from it, on a port and in a folder of its own."""

    def __init__(self, primary: Cluster) -> None:
        self.dir = primary.dir / "standby"
        self.data = self.dir / "data"
        self.dir.mkdir()
        if os.geteuid() == 0:  # PostgreSQL's tools run as the postgres user then (as_postgres)
            shutil.chown(self.dir, "postgres", "postgres")
        self.port = free_port()
        # -R writes standby.signal and primary_conninfo; -X stream copies the WAL made meanwhile;
        # -c fast: a checkpoint at once, not one spread over minutes.
        subprocess.run(as_postgres([str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p",
                                    str(primary.port), "-U", "postgres", "-D", str(self.data),
                                    "-R", "-X", "stream", "-c", "fast", "--no-sync"]),
                       check=True, capture_output=True)  # fmt: skip
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/recall_faults"
        self.pg_ctl("start")

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        subprocess.run(as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
                                    str(self.dir / "log"), "-o", options, "-w", action, *extra]),
                       check=True, capture_output=True)  # fmt: skip

    def query(self, sql: str) -> tuple:
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres",
                                dbname="recall_faults")  # fmt: skip
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
                return cur.fetchone()
        finally:
            conn.close()

    def stop(self) -> None:
        subprocess.run(as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m",
                                    "immediate", "stop"]), capture_output=True)  # fmt: skip


@pytest.fixture
def primary_and_standby():
    if not (PG_BIN / "pg_basebackup").exists():
        pytest.skip("PostgreSQL 15's server binaries are not installed")
    primary = Cluster()
    standby = None
    try:
        standby = Standby(primary)
        yield primary, standby
    finally:
        if standby is not None:
            standby.stop()
        primary.stop()


def _valid_on_page(html: str) -> int:
    found = re.search(r'id="h-valid">([\d,]+)<', html)
    assert found, html[:2000]
    return int(found.group(1).replace(",", ""))


def _notice(html: str) -> str:
    found = re.search(r'id="read-source">([^<]*)<', html)
    assert found, html[:2000]
    return " ".join(found.group(1).split())


def test_the_dashboard_reads_from_a_streaming_replica(
    primary_and_standby, private_redis, processes, tmp_path
):
    primary, standby = primary_and_standby
    log = tmp_path / "manage.log"
    env = {"DATABASE_URL": primary.url, "REDIS_URL": private_redis["url"]}

    def manage_ok(*args: str) -> None:
        proc = spawn([sys.executable, "manage.py", *args], log, **env)
        assert proc.wait(120) == 0, log.read_text()[-3000:]

    manage_ok("migrate", "--no-input", "-v", "0")
    manage_ok("create_petition", "--slug", "replica", "--title", "Replica", "--required", "100")
    make_user = (
        "from recall.roles import ORGANIZER; from recall.services import user_create_with_role; "
        f"user_create_with_role(username='olga_organizer', password='{PASSWORD}', role=ORGANIZER)"
    )
    manage_ok("shell", "-c", make_user)
    manage_ok("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    manage_ok("shell", "-c", SECTION)
    conn = primary.connect()

    def set_valid(n: int) -> None:
        """The petition's valid lines, as the tallies the dashboard reads say (written on the
        primary only: a standby is read-only)."""
        with conn.cursor() as cur:
            cur.execute(
                "INSERT INTO petitions_linetally (petition_id, day, status, lines) "
                "SELECT id, (timezone(%s, now()))::date, 'valid', %s FROM petitions_petition "
                "WHERE slug = "
                "'replica' ON CONFLICT (petition_id, day, status) DO UPDATE SET lines = %s",
                [settings.TIME_ZONE, n, n],
            )

    set_valid(5)
    wait_for(lambda: standby.query("SELECT count(*) FROM petitions_linetally")[0] == 1, 30,
             "the standby to replay the tally")  # fmt: skip
    assert standby.query("SELECT pg_is_in_recovery()") == (True,)
    say(f"a primary (port {primary.port}) and a hot standby streaming from it (port "
        f"{standby.port}, pg_basebackup -R); a small roll, 5 valid lines on both")  # fmt: skip

    port = free_port()
    processes.append(spawn(
        [sys.executable, "-m", "gunicorn", "recall.wsgi", "--workers", "1", "--bind",
         f"127.0.0.1:{port}"], tmp_path / "gunicorn.log", DEBUG="false",
        DATABASE_REPLICA_URL=standby.url, **env,
    ))  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: _answers(f"{base}/healthz"), 60, "gunicorn")
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=10)
    session.post(f"{base}/accounts/login/", timeout=10, data={
        "username": "olga_organizer", "password": PASSWORD,
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
    })  # fmt: skip
    dashboard = f"{base}/petitions/replica/dashboard/"

    def hint() -> str:
        """The live hint's outcome for ROBERT SMITHERS (voter BOB) as typed on section 1."""
        response = session.get(f"{base}/petitions/replica/sections/1/hint", timeout=30, params={
            "printed_name": "Robert Smithers", "residence_address": "12 Oak Ave",
            "city": "Glendale", "zip": "", "signed": "on",
        })  # fmt: skip
        assert response.status_code == 200, response.text[:2000]
        found = re.search(r'data-outcome="([a-z_]+)"', response.text)
        assert found, response.text[:2000]
        return found.group(1)

    assert hint() == "counts"

    page = session.get(dashboard, timeout=30)
    assert page.status_code == 200, page.text[:2000]
    assert _valid_on_page(page.text) == 5
    assert _notice(page.text) == "Figures read from a database replica 0.0 s behind the primary."
    clients = standby.query("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                            "'recall_faults' AND pid <> pg_backend_pid()")[0]  # fmt: skip
    assert clients >= 1  # the web process's connection to the replica
    say(f"dashboard: 5 valid, “{_notice(page.text)}”; the web process holds {clients} "
        "connection(s) to the standby")  # fmt: skip

    # Replay paused: the primary moves on, the replica (and the dashboard) stay behind.
    standby.query("SELECT pg_wal_replay_pause()")
    manage_ok("shell", "-c", COUNTED_LINE)  # BOB's signature counted, on the primary only
    set_valid(12)
    time.sleep(6)  # past the lag's few seconds of caching (REPLICA_CHECK_SECONDS)
    page = session.get(dashboard, timeout=30)
    assert page.status_code == 200
    assert _valid_on_page(page.text) == 5  # the replica's figure, not the primary's 12
    notice = _notice(page.text)
    lag = float(re.fullmatch(r"Figures read from a database replica ([\d.]+) s behind the "
                             r"primary\.", notice).group(1))  # fmt: skip
    assert lag >= 5, notice
    progress = session.get(f"{base}/petitions/replica/progress.json", timeout=30).json()
    assert progress["valid"] == 5
    assert hint() == "counts"  # the replica has not seen BOB's counted line yet
    say(f"replay paused on the standby; on the primary 12 valid and BOB's signature counted: "
        f"the dashboard shows 5 and “{notice}”, progress.json 5, the hint for BOB still "
        f"“counts”")  # fmt: skip

    standby.query("SELECT pg_wal_replay_resume()")
    time.sleep(6)
    page = session.get(dashboard, timeout=30)
    assert (_valid_on_page(page.text), _notice(page.text)) == (
        12,
        "Figures read from a database replica 0.0 s behind the primary.",
    )
    assert hint() == "already_signed"
    say("replay resumed: the dashboard shows 12, 0.0 s behind; the hint says already signed")

    standby.stop()
    set_valid(20)
    started = time.monotonic()
    page = session.get(dashboard, timeout=30)
    took = time.monotonic() - started
    assert page.status_code == 200, page.text[:2000]
    assert _valid_on_page(page.text) == 20  # the primary's figure
    assert _notice(page.text) == (
        "The database replica is unreachable: figures read from the primary database."
    )
    assert session.get(f"{base}/petitions/replica/progress.json", timeout=30).json()["valid"] == 20
    assert hint() == "already_signed"  # from the primary
    gunicorn_log = (tmp_path / "gunicorn.log").read_text()
    assert "Traceback" not in gunicorn_log, gunicorn_log[-3000:]
    assert "the database replica is unreachable" in gunicorn_log
    say(f"standby stopped (immediate), 20 valid on the primary: the dashboard answered in "
        f"{took:.2f} s with 20 and “{_notice(page.text)}”; the hint from the primary; no "
        "error")  # fmt: skip
    conn.close()


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code in (200, 503)
    except requests.RequestException:
        return False
