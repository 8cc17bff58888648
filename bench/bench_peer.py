"""This project's chain beside Splink on the same generated files: accuracy, speed and memory.

    python bench/bench_peer.py [--voters 50000] [--lines 10000] [--seed 7] [--workers 2]

Generates (or reuses) a roll and petition lines with their truth (bench/common.py), then:
- ours: imports the roll (import_voters, in a process of its own) and meanwhile the lines
  (signatures_import), then validates them through Celery with a real worker of N processes
  (bench_throughput.validate_with), timed end to end; peak memory is the largest process's;
- Splink: bench/peer_splink.py on the same two files in a process of its own, timed end to end
  (loading, training and post-rules included), with its peak memory.
Both are scored against the truth with bench_validate's evaluation and printed as one table;
both decision files go to bench/out/peer-{ours,splink}-V-L-S.csv.

Figures: valid precision (of lines called valid, truly valid), valid recall (of truly valid
lines, called valid), status accuracy (exact status), link precision (of lines linked to a voter,
linked to their true voter), repeat signers caught (voters with several lines, every one of them
right: status, and voter where one is named), needs_review share, lines/s end to end, peak memory.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_validate import (
    clear_petition,
    evaluate,
    evaluate_rows,
    figures,
    setup_django,
    write_decisions,
)
from bench.common import (
    OUT,
    ROOT,
    bench_env,
    drop_superseded_rolls,
    prepare_database,
    synthetic_lines,
    synthetic_roll,
    use_redis_db,
)

HEADER = ("", "valid prec", "valid recall", "status acc", "link prec", "repeat caught",
          "review %", "lines/s", "peak MiB")  # fmt: skip


def peak_mib(stderr: str) -> float:
    """The peak RSS bench/peak_rss.py printed last on stderr, in MiB."""
    for line in reversed(stderr.splitlines()):
        if line.startswith("peak_rss_kib="):
            return int(line.split("=")[1]) / 1024
    return 0.0


def run_measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a Python script under bench/peak_rss.py: (seconds, peak MiB). Its output goes to
    stderr (this benchmark's stdout is its table)."""
    started = time.perf_counter()
    return finish_measured(start_measured(cmd, env), cmd, started)


Started = tuple[subprocess.Popen[str], IO[str]]


def start_measured(cmd: list[str], env: dict[str, str]) -> Started:
    """Start a Python script under bench/peak_rss.py (finish_measured waits for it). Its stderr
    goes to a file, read at the end: a pipe nobody reads meanwhile would stall it."""
    errors = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed by finish_measured
    process = subprocess.Popen(
        [sys.executable, "bench/peak_rss.py", *cmd], cwd=ROOT, env=env, text=True,
        stdout=sys.stderr, stderr=errors,
    )  # fmt: skip
    return process, errors


def finish_measured(started_script: Started, cmd: list[str], started: float) -> tuple[float, float]:
    """Wait for a script start_measured started: (seconds since started, peak MiB)."""
    process, errors = started_script
    process.wait()
    seconds = time.perf_counter() - started
    with errors:
        errors.seek(0)
        stderr = errors.read()
    sys.stderr.write(stderr)
    if process.returncode:
        sys.exit(f"{' '.join(cmd[:2])} failed ({process.returncode})")
    return seconds, peak_mib(stderr)


def run_ours(roll: Path, lines: Path, workers: int, broker: str) -> tuple[int, float, float]:
    """Import the roll and the lines, validate through Celery: (petition id, s, peak MiB)."""
    from bench.bench_throughput import validate_with
    from petitions.services import petition_create, signatures_import

    clear_petition("bench-peer")
    env = bench_env()
    env["REDIS_URL"] = broker
    # The roll's import is part of the chain, as Splink's loading is of its run: --force, as a
    # benchmark database holds whichever roll its last run used. The lines are imported while
    # it runs (in this process: the two files do not depend on each other, as a campaign keys
    # its lines while the county's roll loads); the clock runs until both are in.
    command = ["manage.py", "import_voters", str(roll), "--force"]
    started = time.perf_counter()
    roll_import = start_measured(command, env)
    petition = petition_create(title="Peer benchmark", slug="bench-peer", required=1000)
    signatures_import(petition=petition, path=lines)
    lines_seconds = time.perf_counter() - started
    import_seconds, import_peak = finish_measured(roll_import, command, started)
    imports_seconds = time.perf_counter() - started
    # Off the clock: the benchmark database's housekeeping (the last run's roll dropped and the
    # tables vacuumed), which a deployment does not do while it validates.
    drop_superseded_rolls()
    validate_seconds, peaks = validate_with(petition, workers, broker, "bench-peer")
    seconds = imports_seconds + validate_seconds
    print(f"ours: roll import {import_seconds:.1f} s, lines {lines_seconds:.1f} s beside it, "
          f"validation {validate_seconds:.1f} s", file=sys.stderr)  # fmt: skip
    return petition.pk, seconds, max([import_peak, *peaks.values()])


def row(name: str, f: dict[str, float], rate: float, peak: float) -> str:
    cells = (f"{f['valid_precision']:.4f}", f"{f['valid_recall']:.4f}",
             f"{f['status_accuracy']:.4f}", f"{f['link_precision']:.4f}",
             f"{f['repeat_caught']:.1%}", f"{f['review']:.2%}", f"{rate:,.0f}",
             f"{peak:,.0f}")  # fmt: skip
    return f"{name:<8}" + "".join(f"{c:>14}" for c in cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=50_000)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes (ours)")
    args = parser.parse_args()
    broker = use_redis_db("bench-peer")
    prepare_database()
    roll_path = synthetic_roll(args.voters)
    lines_path, truth_path = synthetic_lines(roll_path, args.lines, args.seed)
    tag = f"{args.voters}-{args.lines}-{args.seed}"
    setup_django()

    petition_id, ours_seconds, ours_peak = run_ours(roll_path, lines_path, args.workers, broker)
    ours = evaluate(petition_id, truth_path)
    write_decisions(petition_id, OUT / f"peer-ours-{tag}.csv")

    from bench.peer_splink import read_decisions

    splink_out = OUT / f"peer-splink-{tag}.csv"
    splink_seconds, splink_peak = run_measured(
        ["bench/peer_splink.py", str(roll_path), str(lines_path), "--out", str(splink_out)],
        dict(os.environ),
    )
    splink = evaluate_rows(read_decisions(splink_out), truth_path)

    lines = ours["lines"]
    print(f"{args.voters:,} voters, {lines:,} lines (seed {args.seed}); ours with "
          f"{args.workers} worker processes")  # fmt: skip
    print(f"{'':<8}" + "".join(f"{h:>14}" for h in HEADER[1:]))
    print(row("ours", figures(ours), lines / ours_seconds, ours_peak))
    print(row("splink", figures(splink), lines / splink_seconds, splink_peak))
    print(f"decisions: {OUT / f'peer-ours-{tag}.csv'}, {splink_out}")


if __name__ == "__main__":
    main()
