"""The whole state: a 22-million-voter roll imported, 2M statewide lines validated, the dashboard.

    python bench/bench_statewide.py [--scale 1.0] [--lines 2000000] [--workers 2]
                                    [--requests 100] [--skip-import] [--machines 1,4,16,64]

1. Generates (once, cached in bench/out) a synthetic statewide extract in the Secretary of
   State's format (devtools.synthetic.statewide: 58 counties of approximate real sizes, about
   22.7M voters at --scale 1), and a statewide petition's lines, each county's share drawn from
   its own voters (the lines in proportion to the counties' sizes).
2. Imports the extract with import_voters in a process of its own: time, rows/s, its peak RSS.
3. Creates the statewide petition (electorate: all 58 counties, SamplingRule.STATEWIDE), its
   sections each in its county (EC 11047), and imports the lines (signatures_import).
4. Validates them through Celery with a real worker of --workers processes: lines/s, each
   process's peak RSS; every line decided, none pending (with --validate-for, the rate over
   the lines decided in that time, the rest left pending: for a machine too busy to wait).
5. Requests the organizer dashboard and progress.json --requests times each (Django's test
   client: server time), p50/p95/max, after the breakdowns' refresh (the scheduler's job).
6. Projects the figures for N worker machines from the measured rate per worker process.

Targets (issue 20): the 22M import under 5 minutes in under 1 GB; validation at issue 11's
throughput (2,500 lines/s with two processes); dashboard p95 under 300 ms. Its own database
({app}_bench_statewide: some 8 GB at full scale) and Redis database (bench-statewide).
--skip-import reuses the active roll and the petition's lines (put back to pending) of an
earlier run at the same scale.
"""

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_peer import run_measured
from bench.bench_throughput import validate_with
from bench.bench_validate import clear_petition, setup_django
from bench.common import (
    bench_env,
    drop_superseded_rolls,
    organizer_with_fresh_breakdowns,
    percentile,
    prepare_database,
    settle,
    synthetic_statewide,
    synthetic_statewide_lines,
    use_own_database,
    use_redis_db,
)
from devtools.synthetic.statewide import COUNTY_VOTERS

SLUG = "bench-statewide"
# The 2021 governor recall: raw signatures filed across the 58 counties, and valid ones needed.
RECALL_2021_RAW = 2_161_349
RECALL_2021_REQUIRED = 1_495_709
IMPORT_TARGET_S, IMPORT_TARGET_MIB = 300, 1024
VALIDATE_TARGET = 2_500  # lines/s with two worker processes (issue 11)
DASHBOARD_TARGET_MS = 300


def import_roll(extract: Path, skip: bool) -> tuple[int, float | None, float | None]:
    """The extract as the active roll: (voters, seconds, peak MiB); no figures when reused."""
    from voters.models import VoterRoll

    active = VoterRoll.objects.filter(state="active").first()
    if skip and active is not None and active.source_name == extract.name:
        return active.rows_imported, None, None
    # Old lines point at the roll being replaced; the petition is made again below anyway.
    clear_petition(SLUG)
    # --force: the benchmark database holds whichever roll its last run used, of any size.
    seconds, peak = run_measured(
        ["manage.py", "import_voters", str(extract), "--format", "ca-sos", "--force"],
        bench_env(),
    )
    drop_superseded_rolls()
    active = VoterRoll.objects.get(state="active")
    if active.source_name != extract.name:
        sys.exit(f"the import of {extract.name} did not become the active roll")
    return active.rows_imported, seconds, peak


def load_lines(lines_path: Path, ranges: dict[str, tuple[int, int]], lines: int, skip: bool):
    """The statewide petition with its lines, all pending: (petition, import seconds or None)."""
    from django.db import connection

    from petitions.counties import COUNTY_NAMES
    from petitions.models import Line, Petition, SamplingRule, Section
    from petitions.services import petition_create, signatures_import

    petition = Petition.objects.filter(slug=SLUG).first()
    if skip and petition is not None and Line.objects.filter(petition=petition).count() == lines:
        Line.objects.filter(petition=petition).exclude(status="pending").update(
            status="pending", counted=False, voter_registrant_id="", namesakes=[], reason={}
        )
        seconds = None
    else:
        clear_petition(SLUG)
        petition = petition_create(
            title="Statewide benchmark", slug=SLUG, jurisdiction="State of California",
            officer="Governor", required=RECALL_2021_REQUIRED,
            electorate_counties=sorted(COUNTY_NAMES), sampling_rule=SamplingRule.STATEWIDE,
        )  # fmt: skip
        # Each section is circulated in one county (EC 11047): made first, with its county and
        # the file's circulator (a stored section without one would cost the import an UPDATE
        # each); the import takes them as stored sections.
        circulators = {}
        with lines_path.open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                circulators.setdefault(int(row["section"]), row["circulator"])
        Section.objects.bulk_create(
            (
                Section(
                    petition=petition,
                    serial=serial,
                    county_code=code,
                    circulator_name=circulators.get(serial, ""),
                )
                for code, (first, last) in ranges.items()
                for serial in range(first, last + 1)
            ),
            batch_size=5000,
        )
        started = time.perf_counter()
        report = signatures_import(petition=petition, path=lines_path)
        seconds = time.perf_counter() - started
        if report.lines_created != lines:
            sys.exit(f"{report.lines_created:,} of {lines:,} lines imported: {report}")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE petitions_line")
    return petition, seconds


def dashboard_times(petition, requests: int) -> tuple[dict[str, list[float]], float]:
    """Each page's server times (ms) over `requests` requests, and the breakdowns' refresh (s)."""
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    cache.clear()
    organizer, refresh_seconds = organizer_with_fresh_breakdowns(petition)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(organizer)
    urls = {
        "dashboard page": reverse("petitions:dashboard", args=[SLUG]),
        "progress.json": reverse("petitions:progress", args=[SLUG]),
    }
    times: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(requests):
        for name, url in urls.items():
            started = time.perf_counter()
            response = client.get(url)
            times[name].append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{name}: HTTP {response.status_code}")
    return times, refresh_seconds


def met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="of the state's ~22.7M voters")
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--requests", type=int, default=100, help="of each dashboard page")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--skip-import", action="store_true",
                        help="reuse the active roll and the lines of an earlier run")  # fmt: skip
    parser.add_argument("--validate-for", type=float, metavar="SECONDS",
                        help="stop validating after this long (lines/s over the lines decided, "
                        "the rest left pending); default: until every line is decided")  # fmt: skip
    parser.add_argument("--machines", default="1,4,16,64", help="worker machines to project for")
    args = parser.parse_args()
    if not 0 < args.scale <= 1 or args.lines < 58 or args.workers < 1:
        parser.error("--scale in (0, 1], --lines at least 58 (a line per county), --workers >= 1")
    machines = [int(n) for n in args.machines.split(",")]
    use_own_database("statewide")
    broker = use_redis_db("bench-statewide")
    prepare_database()
    started = time.perf_counter()
    folder, sizes = synthetic_statewide(args.scale, args.seed)
    lines_path, ranges = synthetic_statewide_lines(folder, sizes, args.lines, args.seed)
    generate_seconds = time.perf_counter() - started
    setup_django()
    from petitions.models import Line
    from petitions.progress import status_counts

    voters, import_seconds, import_peak = import_roll(folder / "roll.tsv", args.skip_import)
    if voters != sum(sizes.values()):
        sys.exit(f"the roll holds {voters:,} voters, the extract {sum(sizes.values()):,}")
    petition, lines_seconds = load_lines(lines_path, ranges, args.lines, args.skip_import)
    settle()  # the roll's partition vacuumed and checkpointed before the clock starts
    validate_seconds, peaks = validate_with(
        petition, args.workers, broker, "bench-statewide", args.validate_for
    )
    counts = status_counts(petition)
    pending = counts.get("pending", 0)
    if pending and args.validate_for is None:
        sys.exit(f"{pending:,} lines still pending after validation")
    total = Line.objects.filter(petition=petition).count()
    decided = total - pending
    times, refresh_seconds = dashboard_times(petition, args.requests)

    state = sum(COUNTY_VOTERS.values())  # the roll at --scale 1
    rate = decided / validate_seconds
    per_process = rate / args.workers
    counties = len(sizes)
    sections = sum(last - first + 1 for first, last in ranges.values())
    print(f"statewide roll      {voters:>12,} voters in {counties} counties (scale {args.scale:g})")
    print(f"petition            {total:>12,} lines in {sections:,} sections, every county")
    print(f"(generated or read from the cache in {generate_seconds:.0f} s)")
    print(f"{'stage':<22}{'count':>12}{'seconds':>10}{'per s':>12}{'peak MiB':>10}  target")
    if import_seconds is None:
        print(f"{'import roll':<22}{voters:>12,}{'reused':>10}")
    else:
        projected = import_seconds * state / voters
        print(f"{'import roll':<22}{voters:>12,}{import_seconds:>10.1f}"
              f"{voters / import_seconds:>12,.0f}{import_peak or 0:>10,.0f}  the state under "
              f"{IMPORT_TARGET_S} s in {IMPORT_TARGET_MIB} MiB: "
              f"{met(projected < IMPORT_TARGET_S and (import_peak or 0) < IMPORT_TARGET_MIB)}"
              f"{'' if args.scale == 1 else f' (state: {projected:,.0f} s)'}")  # fmt: skip
    if lines_seconds is None:
        print(f"{'import lines':<22}{total:>12,}{'reused':>10}")
    else:
        print(f"{'import lines':<22}{total:>12,}{lines_seconds:>10.1f}"
              f"{total / lines_seconds:>12,.0f}")  # fmt: skip
    worst = max(peaks.values(), default=0.0)
    print(f"{'validate (celery)':<22}{decided:>12,}{validate_seconds:>10.1f}{rate:>12,.0f}"
          f"{worst:>10,.0f}  {VALIDATE_TARGET:,} lines/s with 2 processes: "
          f"{met(rate * 2 / args.workers >= VALIDATE_TARGET)}")  # fmt: skip
    for pid, peak in sorted(peaks.items()):
        print(f"  worker process {pid:>7}: peak RSS {peak:,.0f} MiB")
    if pending:
        print(f"  (stopped after {args.validate_for:g} s: {pending:,} lines left pending)")
    shares = ", ".join(f"{status} {n:,}" for status, n in sorted(counts.items()) if n)
    print(f"decisions: {shares}")
    print(f"{'request':<22}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  target")
    for name, values in times.items():
        p95 = percentile(values, 95)
        print(f"{name:<22}{len(values):>8}{statistics.median(values):>9.1f}{p95:>9.1f}"
              f"{max(values):>9.1f}  p95 < {DASHBOARD_TARGET_MS} ms: "
              f"{met(p95 < DASHBOARD_TARGET_MS)}")  # fmt: skip
    print(f"breakdowns refresh    {refresh_seconds:8.2f} s  (scheduler, every 5 min)")

    print(f"PROJECTED (not measured) for N worker machines of {args.workers} worker processes "
          f"each, from {per_process:,.0f} lines/s per process measured here:")  # fmt: skip
    print(f"{'machines':>9}{'processes':>11}{'lines/s':>11}{'2M lines':>11}"
          f"{'2021 raw':>11}")  # fmt: skip
    for n in machines:
        projected_rate = per_process * args.workers * n
        print(f"{n:>9}{n * args.workers:>11}{projected_rate:>11,.0f}"
              f"{duration(2_000_000 / projected_rate):>11}"
              f"{duration(RECALL_2021_RAW / projected_rate):>11}")  # fmt: skip
    print("assumptions: throughput grows in proportion to worker processes (Celery workers share "
          "nothing but PostgreSQL and Redis); PostgreSQL sized to keep up (it becomes the limit "
          "as machines are added: not measured here); the roll import is one process whatever "
          "N; the dashboard's times do not depend on the worker machines.")  # fmt: skip
    if args.scale < 1 and import_seconds is not None:
        print(f"PROJECTED import of the state's {state:,} voters: "
              f"{duration(import_seconds * state / voters)} "
              f"(linear in rows from {voters:,}); peak memory does not grow with the rows "
              f"(the importer streams in batches)")  # fmt: skip


def duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


if __name__ == "__main__":
    main()
