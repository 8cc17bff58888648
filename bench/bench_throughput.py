"""Validation throughput end to end through Celery: lines per second with N worker processes.

    python bench/bench_throughput.py [--voters 6000000] [--lines 100000] [--workers 2]
    python bench/bench_throughput.py --workers 1,2      # scale-out: one, then two processes

Imports a generated roll into the benchmark database (reused if already active), imports
generated petition lines (import_signatures' service), starts a real Celery worker with N
processes on a Redis database of its own, sends the validation and waits until nothing is pending.
Prints lines/s per stage and each worker process's peak memory. Target (issue 17): 100,000 lines
against 6,000,000 voters at 2,500 lines/s or more with two worker processes on two cores, each
under 1 GB at its peak.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_validate import clear_petition, setup_django, use_roll
from bench.common import (
    prepare_database,
    server_env,
    start_worker,
    synthetic_lines,
    synthetic_roll,
    use_redis_db,
)


def peak_rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=6_000_000)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument(
        "--workers", default="2",
        help="worker processes; a list (1,2) validates the same lines once per count",
    )  # fmt: skip
    args = parser.parse_args()
    # Its own Redis database (or BENCH_REDIS_URL's): the worker's broker, emptied before each run.
    broker = use_redis_db("bench-throughput")
    prepare_database()
    roll_path = synthetic_roll(args.voters)
    lines_path, _ = synthetic_lines(roll_path, args.lines, seed=7)
    setup_django()
    from petitions.services import petition_create, signatures_import
    from petitions.validation import lines_reset_for_revalidation

    use_roll(roll_path)
    clear_petition("bench-throughput")
    # Earlier runs' deleted and updated lines leave dead rows autovacuum may not have reached.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE petitions_line")
    petition = petition_create(title="Throughput", slug="bench-throughput", required=1000)
    started = time.perf_counter()
    report = signatures_import(petition=petition, path=lines_path)
    import_seconds = time.perf_counter() - started

    counts = [int(n) for n in args.workers.split(",")]
    lines = report.lines_created
    print(f"roll                {args.voters:>12,} voters")
    print(f"import lines        {lines:>12,} in {import_seconds:6.1f} s  "
          f"({lines / import_seconds:,.0f} lines/s)")  # fmt: skip
    rates = []
    for index, processes in enumerate(counts):
        if index:
            # The same lines again, from pending, on a vacuumed table.
            lines_reset_for_revalidation(petition_id=petition.pk, stale_roll_only=False)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE petitions_line")
        seconds, peaks = validate_with(petition, processes, broker)
        rates.append(lines / seconds)
        print(f"validate (celery)   {lines:>12,} in {seconds:6.1f} s  ({rates[-1]:,.0f} lines/s, "
              f"{processes} worker process{'es' if processes > 1 else ''}"
              f"{f', x{rates[-1] / rates[0]:.2f}' if index else ''})")  # fmt: skip
        for pid, peak in sorted(peaks.items()):
            print(f"  worker process {pid:>7}: peak RSS {peak:,.0f} MiB")


def validate_with(
    petition,
    processes: int,
    broker: str,
    hostname: str = "bench-throughput",
    limit_seconds: float | None = None,
) -> tuple[float, dict[int, float]]:
    """Validate the petition's pending lines with a fresh worker of N processes on the broker
    (the Redis database this process's REDIS_URL names too): (s, each process's peak RSS).
    With limit_seconds, stop the worker after that long even if lines are still pending: the
    time then runs until it has stopped, as the batches it had begun still finish."""
    import redis

    from petitions.models import Line
    from petitions.validation import validation_enqueue

    # Activating the roll (or resetting the lines) queued other work: dropped here so the clock
    # measures this petition's lines only.
    redis.Redis.from_url(broker).flushdb()
    # With production settings (DEBUG off), as a deployment's worker and bench_load's run: with
    # DEBUG on, Django keeps the text of every query it sends (large ones: a batch's arrays).
    worker = start_worker(broker, processes, hostname, server_env(broker), stdout=sys.stderr)
    peaks: dict[int, float] = {}
    stopped = False
    try:
        time.sleep(3)  # let the worker connect before the clock starts
        started = time.perf_counter()
        validation_enqueue(petition_id=petition.pk)
        while Line.objects.filter(petition=petition, status="pending").exists():
            if limit_seconds is not None and time.perf_counter() - started > limit_seconds:
                stopped = True
                break
            for pid in children(worker.pid):
                peaks[pid] = max(peaks.get(pid, 0.0), peak_rss_mib(pid))
            time.sleep(0.5)
        seconds = time.perf_counter() - started
        for pid in children(worker.pid):
            peaks[pid] = max(peaks.get(pid, 0.0), peak_rss_mib(pid))
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    if stopped:
        seconds = time.perf_counter() - started
    return seconds, peaks


if __name__ == "__main__":
    main()
