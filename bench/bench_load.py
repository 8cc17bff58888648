"""Load: volunteers keying lines and organizers watching the dashboard, over HTTP, at once.

    python bench/bench_load.py [--volunteers 100] [--organizers 10] [--duration 300]
                               [--voters 200000] [--gunicorn-workers 4] [--gunicorn-threads 1]
                               [--spawn-rate 2] [--drain 120]

Makes a generated roll the active one in the benchmark database, a petition with one section
for each volunteer, and the users (load-vol-001..., load-org-01...). Starts gunicorn (DEBUG off)
and a Celery worker with two processes, then Locust, headless (bench/locustfile.py): each
volunteer logs in and keys lines into their section as the entry page does (hints while typing,
saves with HX-Request and the CSRF header, the lines part polled while a line is pending), a
line every 6-10 s; each organizer refreshes the dashboard and progress.json every 5-10 s. Users
log in --spawn-rate a second, and the run lasts --duration seconds once all are in.

Then it checks the saves: every line the server confirmed to a client is in the database once,
at the number it was confirmed with, and decided by a worker within --drain seconds of the end.
Target (issue 8): no errors, no lost lines, save p95 under 200 ms. Exits non-zero on an error,
a lost or duplicated line, or a line still pending.
"""

import argparse
import csv
import math
import os
import secrets
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_validate import clear_petition, setup_django, use_roll
from bench.common import (
    OUT,
    ROOT,
    free_port,
    percentile,
    prepare_database,
    server_env,
    settle,
    start_server,
    start_worker,
    synthetic_lines,
    synthetic_roll,
    use_redis_db,
)

SLUG = "bench-load"
# The server's cache (rate limits, look-up counts) and broker: a Redis database of its own,
# emptied before and after.
LINES_SEED = 13
SAVE_TARGET_MS = 200
RUN_DIR = OUT / "load"  # Locust's CSV files, the save record and the server's logs
# The request names of bench/locustfile.py, in the table's order.
KINDS = ["login page", "login", "section", "hint", "save", "save retry", "poll", "dashboard",
         "progress.json"]  # fmt: skip


def plan_lines(lines_path: Path, wanted: int, dest: Path) -> int:
    """The paper lines the volunteers key, in the generator's order, for the locustfile.

    A line with neither name nor address is saved as blank (Alt+X); one whose ZIP the form
    refuses is left out (the volunteer would fix it first).
    """
    from petitions.services import zip_normalized

    count = 0
    with lines_path.open(newline="") as f, dest.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["printed_name", "residence_address", "city", "zip", "signed", "blank"])
        for raw in csv.DictReader(f):
            if zip_normalized(raw["zip"].strip()) is None:
                continue
            blank = not (raw["printed_name"].strip() or raw["residence_address"].strip())
            writer.writerow([raw["printed_name"], raw["residence_address"], raw["city"],
                             raw["zip"], "on" if raw["signed"] == "yes" else "",
                             "on" if blank else ""])  # fmt: skip
            count += 1
            if count == wanted:
                break
    return count


def prepare(volunteers: int, organizers: int, password: str) -> int:
    """A fresh petition with a section for each volunteer, and the users with this run's
    password; returns the petition's id."""
    from axes.models import AccessAttempt
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.test import override_settings

    from petitions.entry import section_create
    from petitions.services import petition_create
    from recall.roles import ORGANIZER, VOLUNTEER
    from recall.services import user_create_with_role

    clear_petition(SLUG)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE petitions_line, petitions_section")
    wanted = {f"load-vol-{i:03d}": VOLUNTEER for i in range(1, volunteers + 1)}
    wanted |= {f"load-org-{i:02d}": ORGANIZER for i in range(1, organizers + 1)}
    users = get_user_model().objects.filter(username__in=wanted)
    existing = set(users.values_list("username", flat=True))
    # Users are kept between runs. A password hash costs 0.5 s: new users get a cheap one
    # here, and everyone this run's real hash, computed once.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        for username, role in wanted.items():
            if username not in existing:
                user_create_with_role(username=username, password=password, role=role)
    users.update(password=make_password(password), is_active=True)
    AccessAttempt.objects.filter(username__in=wanted).delete()  # an aborted run's, if any
    petition = petition_create(title="Load benchmark", slug=SLUG, required=10_000)
    for user in users.filter(username__startswith="load-vol-"):
        serial = int(user.username.rsplit("-", 1)[1])
        section_create(petition=petition, serial=serial, entered_by=user,
                       circulator_name=f"Circulator {serial}")  # fmt: skip
    return petition.pk


def run_locust(args, base: str, env: dict[str, str], timeout: float) -> None:
    users = args.volunteers + args.organizers
    ramp = math.ceil(users / args.spawn_rate)
    command = [sys.executable, "-m", "locust", "-f", "bench/locustfile.py", "--headless",
               "-u", str(users), "-r", str(args.spawn_rate), "-t", f"{ramp + args.duration}s",
               "--host", base, "--only-summary", "--stop-timeout", "15",
               "--csv", str(RUN_DIR / "history"),
               "--loglevel", "WARNING"]  # fmt: skip
    # Its exit status says whether any request failed: the report says which.
    subprocess.run(command, cwd=ROOT, env=env, stdout=sys.stderr, timeout=timeout, check=False)


def locust_stats(prefix: Path) -> tuple[dict[str, dict], list[dict], list[dict]]:
    """Locust's figures by request name ("total" for all), its failures and the exceptions
    raised in the locustfile."""
    stats: dict[str, dict] = {}
    with Path(f"{prefix}_stats.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            name = "total" if row["Name"] == "Aggregated" else row["Name"]
            stats[f"{row['Type']} {name}" if name in stats else name] = row
    with Path(f"{prefix}_failures.csv").open(newline="") as f:
        failures = list(csv.DictReader(f))
    with Path(f"{prefix}_exceptions.csv").open(newline="") as f:
        exceptions = list(csv.DictReader(f))
    return stats, failures, exceptions


def server_times(access_log: Path) -> dict[str, list[float]]:
    """Gunicorn's own request times in milliseconds, by the request's name (X-Bench)."""
    times: dict[str, list[float]] = defaultdict(list)
    for line in access_log.read_text().splitlines():
        name, _method, _path, _status, micros = line.rsplit(" ", 4)
        if name != "-":  # not one of Locust's (the driver's own probe)
            times[name].append(int(micros) / 1000)
    return times


def check_lines(petition_id: int, record_path: Path) -> dict:
    """The database against what the clients sent and were told.

    lost: confirmed to a client, but not stored, or stored at another number or section.
    duplicates: more than one stored line for one token, or a stored line no client sent.
    unconfirmed: sent, stored, but the answer never reached the client (the run ended, or a
    timeout): fine, the retry would have been answered with that line.
    """
    from django.db import connection

    sent: dict[str, int] = {}
    acked: dict[str, tuple[int, int]] = {}
    with record_path.open(newline="") as f:
        for row in csv.reader(f):
            if row[0] == "sent":
                sent[row[1]] = int(row[2])
            else:
                acked[row[1]] = (int(row[2]), int(row[3]))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.client_token::text, s.serial, l.number FROM petitions_line l"
            " JOIN petitions_section s ON s.id = l.section_id WHERE l.petition_id = %s",
            [petition_id],
        )
        stored: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for token, serial, number in cursor.fetchall():
            stored[token].append((serial, number))
    lost = sum(1 for token, place in acked.items() if stored.get(token) != [place])
    duplicates = sum(len(places) - 1 for places in stored.values())
    duplicates += sum(1 for token in stored if token not in sent)
    unconfirmed = sum(1 for token in stored if token in sent and token not in acked)
    return {"sent": len(sent), "acked": len(acked), "stored": sum(map(len, stored.values())),
            "lost": lost, "duplicates": duplicates, "unconfirmed": unconfirmed}  # fmt: skip


def drain(petition_id: int, seconds: float) -> tuple[int, float]:
    """Wait for the workers to decide every pending line; the lines left, and the wait."""
    from petitions.models import Line

    started = time.monotonic()
    while True:
        pending = Line.objects.filter(petition_id=petition_id, status=Line.Status.PENDING).count()
        waited = time.monotonic() - started
        if pending == 0 or waited > seconds:
            return pending, waited
        time.sleep(1)


def ms(value: str) -> str:
    return "-" if value in ("", "N/A") else f"{float(value):,.0f}"


def report(args, stats: dict, failures: list[dict], exceptions: list[dict], server: dict,
           lines: dict, pending: int, waited: float, ramp: int) -> int:  # fmt: skip
    """Print the figures; the number of failed checks."""
    print(f"load: {args.volunteers} volunteers, {args.organizers} organizers (Locust, headless); "
          f"{ramp} s of logins ({args.spawn_rate:g} a second), then {args.duration} s with "
          f"everyone in")  # fmt: skip
    kind = f"gthread, {args.gunicorn_threads} threads each" if args.gunicorn_threads > 1 else "sync"
    print(f"server: gunicorn, {args.gunicorn_workers} workers ({kind}), DEBUG off; one Celery "
          f"worker with 2 processes; roll {args.voters:,} voters")  # fmt: skip
    print(
        "ms: Locust's round trip (the client shares the machine's 2 cores); server: gunicorn's "
        "request time"
    )
    print()
    print(f"{'request':<14}{'requests':>9}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>8}"
          f"{'failures':>10}{'server p50 / p95':>19}")  # fmt: skip
    for name in [*KINDS, *sorted(set(stats) - {*KINDS, "total"}), "total"]:
        row = stats.get(name)
        if row is None:
            continue
        times = server.get(name) if name != "total" else [t for v in server.values() for t in v]
        on_server = (f"{percentile(times, 50):>9.1f} / {percentile(times, 95):<7.1f}"
                     if times else f"{'-':>9}")  # fmt: skip
        print(f"{name:<14}{int(row['Request Count']):>9,}{float(row['Requests/s']):>8.1f}"
              f"{ms(row['50%']):>7}{ms(row['95%']):>7}{ms(row['99%']):>7}"
              f"{ms(row['Max Response Time']):>8}{int(row['Failure Count']):>10,}"
              f"{on_server}")  # fmt: skip
    errors = int(stats["total"]["Failure Count"]) if "total" in stats else 0
    # Exceptions raised in the locustfile's users: not requests, errors all the same.
    errors += sum(int(e["Count"]) for e in exceptions)
    print()
    print(f"errors: {errors}")
    for failure in failures:
        print(f"  {failure['Occurrences']} x {failure['Method']} {failure['Name']}: "
              f"{failure['Error']}")  # fmt: skip
    for exception in exceptions:
        print(f"  {exception['Count']} x exception in the locustfile: {exception['Message']}")
    retries = int(stats.get("save retry", {}).get("Request Count", 0))
    print(f"lines: {lines['sent']:,} sent, {lines['acked']:,} confirmed to their volunteer, "
          f"{lines['stored']:,} stored; save retries: {retries}; stored but not confirmed (the "
          f"answer lost, or the run ended): {lines['unconfirmed']}")  # fmt: skip
    print(f"lost lines: {lines['lost']}")
    print(f"duplicates: {lines['duplicates']}")
    print(f"pending at the end: {pending} (workers done {waited:.0f} s after the load stopped)")
    save = stats.get("save")
    p95 = float(save["95%"]) if save and save["95%"] != "N/A" else math.inf
    print(f"save p95: {p95:,.0f} ms, target < {SAVE_TARGET_MS} ms: "
          f"{'met' if p95 < SAVE_TARGET_MS else 'MISSED'}")  # fmt: skip
    return sum(bool(n) for n in (errors, lines["lost"], lines["duplicates"], pending))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=100)
    parser.add_argument("--organizers", type=int, default=10)
    parser.add_argument("--duration", type=int, default=300, help="seconds, everyone logged in")
    parser.add_argument("--voters", type=int, default=200_000, help="the roll's size")
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--gunicorn-threads", type=int, default=1, help="over 1: gthread workers")
    parser.add_argument("--spawn-rate", type=float, default=2, help="logins a second")
    parser.add_argument("--drain", type=int, default=120, help="seconds to wait for the workers")
    args = parser.parse_args()
    broker_url = use_redis_db("bench-load")  # its own (or BENCH_REDIS_URL's)
    # A subprocess of pytest inherits its test settings; this benchmark runs the real ones.
    os.environ["DJANGO_SETTINGS_MODULE"] = "recall.settings"
    prepare_database()
    roll_path = synthetic_roll(args.voters)
    users = args.volunteers + args.organizers
    ramp = math.ceil(users / args.spawn_rate)
    # At most a line every 5 s each, for the whole run; a fixed size keeps the file cached.
    wanted = args.volunteers * (ramp + args.duration) // 5
    lines_path, _ = synthetic_lines(roll_path, max(2000, math.ceil(wanted * 1.2 / 1000) * 1000),
                                    seed=LINES_SEED)  # fmt: skip
    setup_django()
    use_roll(roll_path)
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    for old in RUN_DIR.iterdir():
        old.unlink()
    plan_path, record_path = RUN_DIR / "lines.csv", RUN_DIR / "saves.csv"
    planned = plan_lines(lines_path, wanted, plan_path)
    record_path.touch()
    password = secrets.token_urlsafe(16)
    petition_id = prepare(args.volunteers, args.organizers, password)
    settle()

    import redis
    from django.db import connections

    connections.close_all()  # no idle connection of ours held through the run
    broker = redis.Redis.from_url(broker_url)
    broker.flushdb()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = server_env(broker_url)
    started = time.monotonic()
    with (RUN_DIR / "server.log").open("w") as server_log:
        worker = start_worker(
            broker_url, 2, "bench-load", env, stdout=server_log, stderr=server_log
        )
        server = start_server(port, RUN_DIR / "access.log", env, workers=args.gunicorn_workers,
                              threads=args.gunicorn_threads, output=server_log)  # fmt: skip
        try:
            print(f"{planned:,} paper lines planned; Locust for {ramp + args.duration} s",
                  file=sys.stderr)  # fmt: skip
            locust_env = dict(os.environ, LOAD_SLUG=SLUG, LOAD_PASSWORD=password,
                              LOAD_VOLUNTEERS=str(args.volunteers),
                              LOAD_ORGANIZERS=str(args.organizers), LOAD_LINES=str(plan_path),
                              LOAD_RECORD=str(record_path),
                              LOAD_STATS=str(RUN_DIR / "locust"))  # fmt: skip
            run_locust(args, base, locust_env, timeout=ramp + args.duration + 120)
            pending, waited = drain(petition_id, args.drain)
        finally:
            server.terminate()
            worker.terminate()
            server.wait(timeout=60)
            worker.wait(timeout=60)
            broker.flushdb()
    print(f"(run took {time.monotonic() - started:.0f} s)", file=sys.stderr)
    stats, failures, exceptions = locust_stats(RUN_DIR / "locust")
    lines = check_lines(petition_id, record_path)
    failed = report(args, stats, failures, exceptions, server_times(RUN_DIR / "access.log"),
                    lines, pending, waited, ramp)  # fmt: skip
    if failed:
        sys.exit(f"bench-load: {failed} check(s) failed (see above; logs in {RUN_DIR})")


if __name__ == "__main__":
    main()
