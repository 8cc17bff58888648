"""The users of `make bench-load` for Locust (bench/bench_load.py starts it; see there).

Volunteers log in, open their own section and key lines as the entry page does: live hints while
they type, one save per line (sent again with the same client token until the server confirms
it, as static/js/entry.js does), and every 2 s, while rows are shown pending, the page's poller
asks which of them have been decided. Organizers refresh the dashboard and progress.json. Every
request carries an X-Bench header with its name, so gunicorn's access log can be grouped like
Locust's stats.

No Django here: Locust monkeypatches the standard library with gevent at import. The driver
passes what a run needs in the environment (LOAD_*).
"""

import csv
import html
import itertools
import os
import random
import re
import time
import uuid

import gevent
from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV

SLUG = os.environ.get("LOAD_SLUG", "bench-load")
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
VOLUNTEERS = int(os.environ.get("LOAD_VOLUNTEERS", "100"))
ORGANIZERS = int(os.environ.get("LOAD_ORGANIZERS", "10"))
# Where Locust's figures go once every user has stopped: <prefix>_stats.csv, _failures.csv and
# _exceptions.csv, in the format of its --csv files (those are snapshots taken every second, which
# miss the last requests).
STATS_PREFIX = os.environ.get("LOAD_STATS", "")
# Where each save is written down: "sent,<token>,<serial>" before its first attempt, and
# "ack,<token>,<serial>,<number>" once the server confirmed it. The driver checks the database
# against it.
RECORD_PATH = os.environ.get("LOAD_RECORD", "")

# A practised keyer: a pause for each of the three fields typed after the name (a hint follows
# each), then the ZIP and Enter, then the next paper line: 6-10 s a line.
FIELD_SECONDS = (1.4, 2.2)
ENTER_SECONDS = (0.8, 1.6)
NEXT_LINE_SECONDS = (0.6, 1.6)
POLL_EVERY = 2.0  # the page's poller, while any line of the section is pending
TIMEOUT = 10  # htmx's, set in base.html
RETRY_DELAYS = (1, 2, 4, 8, 15, 30)  # entry.js's

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# A row and its status, as the page shows it (_line_row.html).
ROW = re.compile(r'<tr id="line-(\d+)" data-status="([a-z_]+)"')


def _lines() -> list[dict[str, str]]:
    path = os.environ.get("LOAD_LINES")
    if not path:
        return [{"printed_name": "Maria Lopez", "residence_address": "100 N Main St",
                 "city": "Los Angeles", "zip": "90012", "signed": "on", "blank": ""}]  # fmt: skip
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


# Every volunteer takes the next paper line of one shared pile (again from the top if it runs out).
LINES = itertools.cycle(_lines())
_volunteer_numbers = itertools.count(1)
_organizer_numbers = itertools.count(1)
_record = None


def record(*fields: object) -> None:
    global _record
    if not RECORD_PATH:
        return
    if _record is None:
        _record = open(RECORD_PATH, "a", buffering=1)  # noqa: SIM115 (open for the whole run)
    _record.write(",".join(map(str, fields)) + "\n")


class Staff(FastHttpUser):
    """geventhttpclient rather than requests: it takes a fraction of the CPU a request, and
    Locust shares the server's two cores."""

    abstract = True
    network_timeout = connection_timeout = TIMEOUT

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.client.cookiejar if c.name == name), "")

    def headers(self, name: str, *, htmx: bool = False, csrf: bool = False) -> dict[str, str]:
        headers = {"X-Bench": name}
        if htmx:
            headers["HX-Request"] = "true"
        if csrf:
            headers["X-CSRFToken"] = self.cookie("csrftoken")
        return headers

    def log_in(self, username: str) -> None:
        """The login form (its CSRF cookie and field), then the password: never a wrong one,
        since django-axes locks a username after five failures."""
        with self.client.get("/accounts/login/", name="login page",
                             headers=self.headers("login page"),
                             catch_response=True) as response:  # fmt: skip
            token = CSRF_FIELD.search((response.text or "") if response.status_code else "")
            if response.status_code == 200 and not token:
                response.failure("no CSRF field on the login page")
        if not token:
            raise StopUser
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]}
        # Not following the redirect: the login's figures are the login's alone.
        with self.client.post("/accounts/login/", data=form, name="login",
                              headers=self.headers("login"),
                              allow_redirects=False, catch_response=True) as response:  # fmt: skip
            logged_in = response.status_code == 302 and bool(self.cookie("sessionid"))
            if response.status_code in (200, 302) and not logged_in:
                response.failure(f"login of {username} refused")
        if not logged_in:
            raise StopUser

    def get(self, path: str, name: str, *, htmx: bool = False, params=None) -> str | None:
        """The body, or None after counting the request as failed."""
        with self.client.get(path, name=name, params=params, allow_redirects=False,
                             headers=self.headers(name, htmx=htmx),
                             catch_response=True) as response:  # fmt: skip
            if 300 <= response.status_code < 400:  # the login page, when a session is lost
                response.failure(f"redirected to {response.headers.get('Location')}")
                return None
            return (response.text or "") if response.status_code == 200 else None


class Volunteer(Staff):
    """Keys the lines of one section of their own, at a practised keyer's pace."""

    fixed_count = VOLUNTEERS
    wait_time = constant(0)  # the pauses are in the task: the page polls during them

    def on_start(self) -> None:
        self.serial = next(_volunteer_numbers)
        self.section_url = f"/petitions/{SLUG}/sections/{self.serial}/"
        self.save_url = f"{self.section_url}lines"
        self.pending: set[str] = set()  # numbers of the rows shown waiting for a worker
        self.polled = 0.0
        self.log_in(f"load-vol-{self.serial:03d}")
        page = self.get(self.section_url, "section")
        if page is None:
            raise StopUser
        self.pending = {n for n, status in ROW.findall(page) if status == "pending"}

    @task
    def key_line(self) -> None:
        row = next(LINES)
        token = str(uuid.uuid4())
        fields = {"number": "", "printed_name": row["printed_name"],
                  "residence_address": row["residence_address"], "city": "", "zip": "",
                  "client_token": token}  # fmt: skip
        if row["signed"]:
            fields["signed"] = "on"
        if row["blank"]:
            fields["blank"] = "on"  # nothing legible on the paper line (Alt+X)
        else:
            # The page asks for a hint when a field is left or typing pauses: after the
            # address, the city and the ZIP, each with what is typed so far.
            for name in ("residence_address", "city", "zip"):
                self.pause(random.uniform(*FIELD_SECONDS))
                fields[name] = row[name]
                self.get(f"{self.section_url}hint", "hint", htmx=True, params=fields)
        fields.update(city=row["city"], zip=row["zip"])
        self.pause(random.uniform(*ENTER_SECONDS))
        self.save(fields, row)
        self.pause(random.uniform(*NEXT_LINE_SECONDS))

    def save(self, fields: dict[str, str], row: dict[str, str]) -> None:
        """Send the line until the server confirms it: a failed attempt (no answer, a timeout,
        5xx or 429) is counted and sent again with the same token after entry.js's delays."""
        token = fields["client_token"]
        name = "" if fields.get("blank") else html.escape(row["printed_name"].strip())
        # The saved line's row, out of band in the answer (_line_saved.html), with its name.
        saved_row = re.compile(
            rf'<tr id="line-(\d+)" data-status="[a-z_]+"[^>]*>\s*<td class="num">\d+</td>\s*'
            rf"<td[^>]*>{re.escape(name)}</td>"
        )
        record("sent", token, self.serial)
        for attempt in itertools.count():
            kind = "save" if attempt == 0 else "save retry"
            with self.client.post(self.save_url, data=fields, name=kind,
                                  headers=self.headers(kind, htmx=True, csrf=True),
                                  catch_response=True) as response:  # fmt: skip
                status = response.status_code
                body = (response.text or "") if status else ""
                saved = saved_row.search(body) if status == 200 else None
                if status == 200 and not saved:
                    response.failure("the answer does not show the saved line")
                    return
                if status not in (0, 200, 429) and status < 500:
                    return  # refused: entry.js asks the volunteer to reload, not to resend
            if saved:
                record("ack", token, self.serial, saved[1])
                self.pending.update(n for n, st in ROW.findall(body) if st == "pending")
                return
            gevent.sleep(RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)])

    def pause(self, seconds: float) -> None:
        """Wait, meanwhile asking every 2 s which of the rows shown pending have been decided,
        as the page's poller does (entry.js: no request while none is shown pending)."""
        end = time.monotonic() + seconds
        while True:
            now = time.monotonic()
            due = self.polled + POLL_EVERY if self.pending else end
            if due >= end:
                gevent.sleep(max(end - now, 0))
                return
            gevent.sleep(max(due - now, 0))
            self.polled = time.monotonic()
            params = {"part": "decided", "pending": ",".join(sorted(self.pending))}
            decided = self.get(self.section_url, "poll", htmx=True, params=params)
            if decided:  # 204 (none decided yet) leaves the rows as they are
                self.pending -= {n for n, status in ROW.findall(decided) if status != "pending"}


class Organizer(Staff):
    """Watches the dashboard, refreshing it and progress.json every 5-10 s."""

    fixed_count = ORGANIZERS

    def wait_time(self) -> float:
        return random.uniform(5, 10)

    def on_start(self) -> None:
        self.log_in(f"load-org-{next(_organizer_numbers):02d}")

    @task
    def refresh(self) -> None:
        self.get(f"/petitions/{SLUG}/dashboard/", "dashboard")
        self.get(f"/petitions/{SLUG}/progress.json", "progress.json")


_environment = None


@events.init.add_listener
def _keep_environment(environment, **_kwargs) -> None:
    global _environment
    _environment = environment


@events.quit.add_listener
def _write_final_stats(**_kwargs) -> None:
    if not STATS_PREFIX or _environment is None:
        return
    stats = StatsCSV(_environment, PERCENTILES_TO_REPORT)
    for suffix, write in (("stats", stats.requests_csv), ("failures", stats.failures_csv),
                          ("exceptions", stats.exceptions_csv)):  # fmt: skip
        with open(f"{STATS_PREFIX}_{suffix}.csv", "w", newline="") as f:
            write(csv.writer(f))
