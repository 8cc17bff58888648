"""The organizer dashboard under load: page and progress.json times while workers validate.

    python bench/bench_dashboard.py [--voters 6000000] [--lines 1000000] [--workers 2]
                                    [--requests 200]

Imports a generated roll (reused if already active) and generated petition lines into the
benchmark database (the petition is kept between runs and put back to pending), starts a real
Celery worker with N processes validating them, and meanwhile requests the dashboard page and
progress.json as an organizer (Django's test client in this process: server time, no network).
Then times the registrar simulation (1,000 draws) on its own, the breakdowns' refresh (the
scheduler's job) and a reconciliation of the tallies against a full count, which must find no
drift. Targets (issue 6): page and progress.json p95 under 150 ms, simulation under 2 s.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_validate import setup_django, use_roll
from bench.common import (
    organizer_with_fresh_breakdowns,
    percentile,
    prepare_database,
    start_worker,
    synthetic_lines,
    synthetic_roll,
    use_redis_db,
)

SLUG = "bench-dashboard"


def load_petition(lines_path: Path, lines: int):
    """The benchmark petition with its lines, all pending (imported once, reset afterwards)."""
    from django.db import connection

    from petitions.models import Line, Petition
    from petitions.services import petition_create, signatures_import

    petition = Petition.objects.filter(slug=SLUG).first()
    if petition is not None and Line.objects.filter(petition=petition).count() != lines:
        Line.objects.filter(petition=petition).delete()
        petition.sections.all().delete()
        petition.delete()
        petition = None
    if petition is None:
        petition = petition_create(title="Dashboard benchmark", slug=SLUG, required=566_857,
                                   registration_base=5_668_570)  # fmt: skip
        started = time.perf_counter()
        signatures_import(petition=petition, path=lines_path)
        print(f"(imported {lines:,} lines in {time.perf_counter() - started:.0f} s)",
              file=sys.stderr)  # fmt: skip
    else:
        started = time.perf_counter()
        Line.objects.filter(petition=petition).exclude(status="pending").update(
            status="pending", counted=False, voter_registrant_id="", namesakes=[], reason={}
        )
        print(f"(reset {lines:,} lines in {time.perf_counter() - started:.0f} s)",
              file=sys.stderr)  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE petitions_line")
    return petition


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=6_000_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=200, help="of each page")
    args = parser.parse_args()
    broker_url = use_redis_db("bench-dashboard")  # its own (or BENCH_REDIS_URL's)
    prepare_database()
    roll_path = synthetic_roll(args.voters)
    lines_path, _ = synthetic_lines(roll_path, args.lines, seed=5)
    setup_django()
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from petitions.models import Line
    from petitions.progress import (
        petition_progress,
        registrar_population,
        status_counts,
        tallies_reconcile,
    )
    from petitions.sampling import raw_needed, simulate
    from petitions.validation import validation_enqueue

    use_roll(roll_path)
    petition = load_petition(lines_path, args.lines)
    import redis

    redis.Redis.from_url(broker_url).flushdb()  # earlier runs' tasks and cached numbers
    cache.clear()
    organizer, refresh_seconds = organizer_with_fresh_breakdowns(petition)

    worker = start_worker(broker_url, args.workers, "bench-dashboard", stdout=sys.stderr)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(organizer)
    urls = {
        "dashboard page": reverse("petitions:dashboard", args=[SLUG]),
        "progress.json": reverse("petitions:progress", args=[SLUG]),
    }
    times: dict[str, list[float]] = {name: [] for name in urls}
    try:
        time.sleep(3)
        validation_enqueue(petition_id=petition.pk)
        pending_before = Line.objects.filter(petition=petition, status="pending").count()
        for _ in range(args.requests):
            for name, url in urls.items():
                started = time.perf_counter()
                response = client.get(url)
                times[name].append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{name}: HTTP {response.status_code}")
            time.sleep(0.05)
        validated_meanwhile = pending_before - status_counts(petition)["pending"]
        started = time.perf_counter()
        # While the workers still write; other benchmarks' petitions in this database aside.
        drift = [d for d in tallies_reconcile() if d[0] == petition.pk]
        reconcile_seconds = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=60)

    progress = petition_progress(petition)
    population = registrar_population(petition, progress["by_status"])
    started = time.perf_counter()
    simulate(population, petition.required_signatures, draws=1000)
    simulation_seconds = time.perf_counter() - started
    started = time.perf_counter()
    raw_needed(population, petition.required_signatures)
    needed_seconds = time.perf_counter() - started

    print(f"roll {args.voters:,} voters; petition {args.lines:,} lines; {args.workers} worker "
          f"processes validated {validated_meanwhile:,} lines meanwhile")  # fmt: skip
    print(f"{'request':<16}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  target")
    for name, values in times.items():
        p95 = percentile(values, 95)
        print(f"{name:<16}{len(values):>8}{statistics.median(values):>9.1f}{p95:>9.1f}"
              f"{max(values):>9.1f}  p95 < 150 ms: {'met' if p95 < 150 else 'MISSED'}")  # fmt: skip
    print(f"simulation, 1,000 draws      {simulation_seconds:8.3f} s  target < 2 s: "
          f"{'met' if simulation_seconds < 2 else 'MISSED'}")  # fmt: skip
    print(f"raw needed for 95% (search)  {needed_seconds:8.3f} s")
    print(f"breakdowns refresh           {refresh_seconds:8.3f} s  (scheduler, every 5 min)")
    print(f"tally reconciliation         {reconcile_seconds:8.3f} s  drift: {len(drift)} tallies")


if __name__ == "__main__":
    main()
