"""Data entry: server time per line save and per live hint, and a scripted browser session.

    python bench/bench_entry.py [--voters 6000000] [--saves 300] [--hints 300]
                                [--browser-lines 50] [--key-delay-ms 180]

Makes a generated roll the active one in the benchmark database (reused if already active),
starts gunicorn on it (2 sync workers, DEBUG off, no Celery worker) and, logged in as a
volunteer, sends one request at a time as the entry page does: saves of generated petition lines
into their sections, and live hints for other lines (real voters, typos, movers, people not on the
roll). Server time is gunicorn's own request time from its access log; the client's round trip
over localhost is shown next to it. Then Chromium types lines into the entry page at human speed
(--key-delay-ms per keystroke, Tab between fields, Enter saves) while the page sends its hints.
Targets (issue 5): save p95 < 50 ms, hint p95 < 150 ms; a practiced volunteer enters a line in
under 10 s.
"""

import argparse
import csv
import http.cookiejar
import math
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_validate import clear_petition, setup_django, use_roll
from bench.common import (
    free_port,
    percentile,
    prepare_database,
    server_env,
    settle,
    start_server,
    synthetic_lines,
    synthetic_roll,
    use_redis_db,
)

SLUG = "bench-entry"
USERNAME = "bench-entry-volunteer"
# The server's cache (the rate-limit counters) and broker: a Redis database of its own, emptied
# before and after, since no worker consumes the validation tasks the saves send.
LOOKUPS_PER_MINUTE = 1_000_000  # the per-user hint limit, lifted: one client sends them all
# (the day's cap, VOTER_LOOKUPS_MAX_PER_DAY, is lifted to the same)
WARMUP = 10  # hints and saves first, not counted: each gunicorn worker's first requests
LINES_SEED = 11
SAVE_TARGET_MS, HINT_TARGET_MS, LINE_TARGET_S = 50, 150, 10
# Serials of the sections the warm-up and the browser session key into (not the generator's).
WARMUP_SERIAL, BROWSER_SERIALS = 900_000, 1_000_000
# As tests/browser/conftest.py: Debian's Chromium (Playwright's own download needs the internet).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


@dataclass(frozen=True)
class Row:
    section: int
    printed_name: str
    residence_address: str
    city: str
    zip: str
    signed: bool
    circulator: str

    def fields(self) -> dict[str, str]:
        fields = {"number": "", "printed_name": self.printed_name,
                  "residence_address": self.residence_address, "city": self.city,
                  "zip": self.zip}  # fmt: skip
        if self.signed:
            fields["signed"] = "on"
        return fields

    @property
    def has_name_and_address(self) -> bool:
        return bool(self.printed_name.strip() and self.residence_address.strip())


@dataclass
class Plan:
    warmup: list[Row]
    saves: list[Row]
    hints: list[Row]
    browser: list[Row]


def plan_lines(lines_path: Path, args) -> Plan:
    """Split the generated lines, in file order, between the phases.

    A save of a line with neither name nor address goes as blank (a volunteer presses Alt+X); a
    line whose ZIP the form refuses is left out (the volunteer would fix it first). Hints and the
    browser take lines with a name and an address; the browser only signed ones (no checkbox).
    """
    from petitions.services import zip_normalized

    plan = Plan([], [], [], [])
    with lines_path.open(newline="") as f:
        for raw in csv.DictReader(f):
            row = Row(int(raw["section"]), raw["printed_name"], raw["residence_address"],
                      raw["city"], raw["zip"], raw["signed"] == "yes",
                      raw["circulator"])  # fmt: skip
            if zip_normalized(row.zip.strip()) is None:
                continue
            if len(plan.warmup) < WARMUP:
                if row.has_name_and_address:
                    plan.warmup.append(row)
            elif len(plan.saves) < args.saves:
                plan.saves.append(row)
            elif len(plan.hints) < args.hints:
                if row.has_name_and_address:
                    plan.hints.append(row)
            elif len(plan.browser) < args.browser_lines:
                if row.has_name_and_address and row.signed:
                    plan.browser.append(row)
            else:
                break
    wanted = (args.saves, args.hints, args.browser_lines)
    if (len(plan.saves), len(plan.hints), len(plan.browser)) != wanted:
        sys.exit(f"{lines_path} has too few usable lines for this run")
    return plan


def prepare(plan: Plan, password: str) -> None:
    """A fresh petition, its sections and the volunteer who keys them."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from petitions.entry import section_create
    from petitions.services import petition_create
    from recall.roles import VOLUNTEER
    from recall.services import user_create_with_role

    clear_petition(SLUG)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE petitions_line, petitions_section")
    get_user_model().objects.filter(username=USERNAME).delete()
    user = user_create_with_role(username=USERNAME, password=password, role=VOLUNTEER)
    petition = petition_create(title="Entry benchmark", slug=SLUG, required=1000)
    circulators = {WARMUP_SERIAL: "Warm Up"}
    for row in [*plan.saves, *plan.hints]:
        circulators.setdefault(row.section, row.circulator)
    for row in plan.browser:
        circulators.setdefault(BROWSER_SERIALS + row.section, row.circulator)
    for serial, circulator in circulators.items():
        section_create(petition=petition, serial=serial, entered_by=user,
                       circulator_name=circulator)  # fmt: skip


class Client:
    """One logged-in volunteer over HTTP: cookies, the CSRF header, a phase tag per request."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def request(self, method: str, path: str, tag: str, data: dict | None = None,
                headers: dict | None = None) -> tuple[int, str, float]:  # fmt: skip
        """Status, body and round-trip milliseconds."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # Always http://127.0.0.1:<port> of the server this benchmark started.
        request = urllib.request.Request(  # noqa: S310
            self.base + path, data=body, method=method, headers={"X-Bench": tag, **(headers or {})}
        )
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode()
        return status, text, (time.perf_counter() - started) * 1000

    def log_in(self, password: str) -> None:
        status, page, _ = self.request("GET", "/accounts/login/", "login")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            sys.exit(f"login page: status {status}")
        form = {"username": USERNAME, "password": password, "csrfmiddlewaretoken": token[1]}
        self.request("POST", "/accounts/login/", "login", form)
        if not self.cookie("sessionid"):
            sys.exit("login refused")

    def save(self, serial: int, row: Row, number: int, tag: str) -> float:
        data = {**row.fields(), "client_token": str(uuid.uuid4())}
        if not (row.printed_name.strip() or row.residence_address.strip()):
            data["blank"] = "on"  # nothing legible on the paper line: saved as blank
        status, body, ms = self.request(
            "POST", f"/petitions/{SLUG}/sections/{serial}/lines", tag, data,
            {"HX-Request": "true", "X-CSRFToken": self.cookie("csrftoken")},
        )  # fmt: skip
        if status != 200 or f'id="line-{number}"' not in body:
            sys.exit(f"save of section {serial} line {number}: status {status}\n{body[:2000]}")
        return ms

    def hint(self, serial: int, row: Row, tag: str) -> tuple[str, float]:
        query = urllib.parse.urlencode(row.fields())
        status, body, ms = self.request(
            "GET", f"/petitions/{SLUG}/sections/{serial}/hint?{query}", tag, None,
            {"HX-Request": "true"},
        )  # fmt: skip
        outcome = re.search(r'data-outcome="([^"]+)"', body)
        if status != 200 or not outcome:
            sys.exit(f"hint: status {status}\n{body[:2000]}")
        return outcome[1], ms


def http_phase(client: Client, plan: Plan) -> dict:
    """Warm-up, then the saves, then the hints: one request at a time."""
    for number, row in enumerate(plan.warmup, start=1):
        client.hint(WARMUP_SERIAL, row, "warmup")
        client.save(WARMUP_SERIAL, row, number, "warmup")
    numbers: Counter = Counter()
    saves = []
    for i, row in enumerate(plan.saves, start=1):
        numbers[row.section] += 1
        saves.append(client.save(row.section, row, numbers[row.section], "save"))
        if i % 100 == 0:
            print(f"saves: {i:,} / {len(plan.saves):,}", file=sys.stderr)
    hints, outcomes = [], Counter()
    for i, row in enumerate(plan.hints, start=1):
        outcome, ms = client.hint(row.section, row, "hint")
        hints.append(ms)
        outcomes[outcome] += 1
        if i % 100 == 0:
            print(f"hints: {i:,} / {len(plan.hints):,}", file=sys.stderr)
    return {"save": saves, "hint": hints, "outcomes": outcomes}


def browser_phase(base: str, password: str, rows: list[Row], delay: int) -> list[dict]:
    """Chromium types each line (Tab between fields, Enter saves) into its section's page."""
    from playwright.sync_api import sync_playwright

    sections: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        sections[BROWSER_SERIALS + row.section].append(row)
    focus_on_name = "() => document.activeElement && document.activeElement.name === 'printed_name'"
    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 860},
                                      extra_http_headers={"X-Bench": "browser"})  # fmt: skip
        context.set_default_timeout(30_000)
        page = context.new_page()
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=username]", USERNAME)
        page.fill("input[name=password]", password)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/")
        for serial, section_rows in sections.items():
            page.goto(f"{base}/petitions/{SLUG}/sections/{serial}/")
            page.wait_for_function(focus_on_name)
            for number, row in enumerate(section_rows, start=1):
                started = time.perf_counter()
                for value in (row.printed_name, row.residence_address, row.city):
                    page.keyboard.type(value, delay=delay)
                    page.keyboard.press("Tab", delay=delay)
                page.keyboard.type(row.zip, delay=delay)
                page.wait_for_timeout(delay)  # the keystroke's time, spent before the press
                entered = time.perf_counter()
                page.keyboard.press("Enter")
                page.wait_for_selector(f"#line-{number}", state="attached")
                # entry.js puts the focus back on the name after the swap: the next line starts.
                page.wait_for_function(focus_on_name, timeout=5_000)
                done = time.perf_counter()
                shown = page.inner_text(f"#line-{number}")
                if row.printed_name.strip() not in shown:
                    sys.exit(f"section {serial} line {number} shows {shown!r}")
                timings.append({"section": serial, "line_s": done - started,
                                "enter_ms": (done - entered) * 1000,
                                "keys": sum(map(len, (row.printed_name, row.residence_address,
                                                      row.city, row.zip))) + 4})  # fmt: skip
            print(f"browser: section {serial} keyed ({len(section_rows)} lines)", file=sys.stderr)
        context.close()
        browser.close()
    return timings


def access_log(path: Path) -> dict[str, list[float]]:
    """Gunicorn's request times in milliseconds by tag and kind (save, hint, other)."""
    times: dict[str, list[float]] = defaultdict(list)
    for line in path.read_text().splitlines():
        tag, method, url, _status, micros = line.split()
        kind = ("save" if method == "POST" and url.endswith("/lines")
                else "hint" if url.endswith("/hint") else "other")  # fmt: skip
        times[f"{tag} {kind}"].append(int(micros) / 1000)
    return times


def report(args, server: dict[str, list[float]], client: dict, timings: list[dict]) -> None:
    print(f"roll: {args.voters:,} voters; server: gunicorn, 2 sync workers, DEBUG off, "
          f"no Celery worker (saved lines stay pending)")  # fmt: skip
    print(f"VOTER_LOOKUPS_PER_MINUTE={LOOKUPS_PER_MINUTE} for this server (one client sends "
          f"every hint); {WARMUP} warm-up saves and hints not counted")  # fmt: skip
    print("server ms: gunicorn's request time; round trip: the client's, localhost HTTP included")
    print()
    print(f"{'':<10}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'target p95':>12}{'met?':>6}"
          f"{'round trip p50 / p95 ms':>26}")  # fmt: skip
    for kind, label, target in (("save", "line save", SAVE_TARGET_MS),
                                ("hint", "live hint", HINT_TARGET_MS)):  # fmt: skip
        times, trips = server[f"{kind} {kind}"], client[kind]
        if not times:
            continue
        p95 = percentile(times, 95)
        print(f"{label:<10}{len(times):>9,}{percentile(times, 50):>9.1f}{p95:>9.1f}"
              f"{f'< {target} ms':>12}{'yes' if p95 < target else 'no':>6}"
              f"{percentile(trips, 50):>15.1f} / {percentile(trips, 95):.1f}")  # fmt: skip
    outcomes = client["outcomes"]
    if outcomes:
        print("hint outcomes: " + ", ".join(f"{name} {n:,}" for name, n in outcomes.most_common()))
    if not timings:
        return
    seconds = [t["line_s"] for t in timings]
    enter = [t["enter_ms"] for t in timings]
    saves = server["browser save"]
    hints = server["browser hint"]
    keys = statistics.mean(t["keys"] for t in timings)
    sections = len({t["section"] for t in timings})
    print()
    print(f"browser session: Chromium, {args.key_delay_ms} ms a keystroke, {keys:.0f} keystrokes "
          f"a line on average, {sections} sections; the target applies to the mean")  # fmt: skip
    print(f"{'lines':>5}{'s/line p50':>12}{'s/line mean':>13}{'target':>9}{'met?':>6}"
          f"{'save server ms p50 / p95':>27}{'Enter to next line ms p50 / p95':>34}"
          f"{'hints/line':>12}")  # fmt: skip
    mean = statistics.mean(seconds)
    print(f"{len(timings):>5}{statistics.median(seconds):>12.2f}{mean:>13.2f}"
          f"{f'< {LINE_TARGET_S} s':>9}{'yes' if mean < LINE_TARGET_S else 'no':>6}"
          f"{percentile(saves, 50):>18.1f} / {percentile(saves, 95):<6.1f}"
          f"{percentile(enter, 50):>25.1f} / {percentile(enter, 95):<6.1f}"
          f"{len(hints) / len(timings):>12.1f}")  # fmt: skip
    if hints:
        # Each counts against the per-user limit once the line has a name and an address.
        per_minute = len(hints) / (sum(seconds) / 60)
        print(f"hints sent while typing: {len(hints):,} ({per_minute:,.0f} a minute), server ms "
              f"p50 {percentile(hints, 50):.1f}, p95 {percentile(hints, 95):.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=6_000_000, help="the roll's size")
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--hints", type=int, default=300)
    parser.add_argument("--browser-lines", type=int, default=50, help="0 skips the browser")
    parser.add_argument("--key-delay-ms", type=int, default=180,
                        help="per keystroke (180 ms is about 65 words a minute)")  # fmt: skip
    args = parser.parse_args()
    if args.browser_lines and not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing (`make browser` installs it), or pass --browser-lines 0")
    broker_url = use_redis_db("bench-entry")  # its own (or BENCH_REDIS_URL's)
    # A subprocess of pytest inherits its test settings; this benchmark runs the real ones.
    os.environ["DJANGO_SETTINGS_MODULE"] = "recall.settings"
    prepare_database()
    roll_path = synthetic_roll(args.voters)
    wanted = WARMUP + args.saves + args.hints + args.browser_lines
    # Some lines are left out (see plan_lines); a fixed size keeps the generated file cached.
    lines_path, _ = synthetic_lines(roll_path, max(2000, math.ceil(wanted * 1.5 / 1000) * 1000),
                                    seed=LINES_SEED)  # fmt: skip
    setup_django()
    use_roll(roll_path)
    plan = plan_lines(lines_path, args)
    password = secrets.token_urlsafe(16)
    prepare(plan, password)
    settle()

    import redis

    broker = redis.Redis.from_url(broker_url)
    broker.flushdb()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "access.log"
        env = server_env(
            broker_url,
            VOTER_LOOKUPS_PER_MINUTE=str(LOOKUPS_PER_MINUTE),
            VOTER_LOOKUPS_MAX_PER_DAY=str(LOOKUPS_PER_MINUTE),
        )
        server = start_server(port, log_path, env)
        try:
            client = Client(base)
            client.log_in(password)
            measured = http_phase(client, plan)
            timings = browser_phase(base, password, plan.browser, args.key_delay_ms) if (
                plan.browser) else []  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=60)
            broker.flushdb()
        server_times = access_log(log_path)
    report(args, server_times, measured, timings)


if __name__ == "__main__":
    main()
