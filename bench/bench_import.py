"""Voter-roll import at county scale, against a bare COPY of the same file measured in the same run.

    python bench/bench_import.py [--rows 6000000 --rows 1000000] [--runs 1] [--no-quote]

Prints rows/s, wall time, the bare-COPY time, their ratio and the importing process's peak RSS.
Targets (issue 3): 6M rows at most 5x the bare COPY and at most 90 s; peak RSS under 1 GB.
Each size is imported twice: the plain file, and the same file with one stray quote early (a
nickname `PHILIP "PHIL`, valid for Arrow; issue 15 item 8), which must import as fast. Its ratio
is to the plain file's bare COPY (PostgreSQL's own CSV reader would take the quote as opening a
value and refuse the file).
"""

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    ROOT,
    bench_env,
    connect,
    prepare_database,
    synthetic_roll,
    use_redis_db,
)


def bare_copy_seconds(path: Path) -> float:
    """COPY the file as it is into an unindexed table of text columns, from this client."""
    with path.open() as f:
        header = f.readline().strip().split(",")
    columns = ", ".join(f'"{c}" text' for c in header)
    conn = connect()
    try:
        with conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS bench_bare_copy")
            cur.execute(f"CREATE TABLE bench_bare_copy ({columns})")
            conn.commit()
            started = time.perf_counter()
            with path.open() as f:
                cur.copy_expert("COPY bench_bare_copy FROM STDIN WITH (FORMAT csv, HEADER)", f,
                                size=1 << 20)  # fmt: skip
            conn.commit()
            elapsed = time.perf_counter() - started
            cur.execute("DROP TABLE bench_bare_copy")
            conn.commit()
    finally:
        conn.close()
    return elapsed


def import_seconds(path: Path) -> tuple[float, int, str]:
    """Run import_voters in a child process: wall time, its peak RSS (KiB), its output."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "bench/peak_rss.py", "manage.py", "import_voters", str(path),
         "--no-activate"],
        cwd=ROOT, env=bench_env(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"import failed:\n{result.stdout}\n{result.stderr}")
    peak = int(result.stderr.rsplit("peak_rss_kib=", 1)[1].split()[0])
    return elapsed, peak, result.stdout


def drop_bench_rolls() -> None:
    conn = connect()
    with conn, conn.cursor() as cur:
        cur.execute("SELECT id FROM voters_voterroll")
        for (roll_id,) in cur.fetchall():
            cur.execute(f"DROP TABLE IF EXISTS voters_voter_roll_{int(roll_id)}")
        # The benchmark database only: petitions of bench_validate reference its rolls, and
        # whatever other benchmarks left beside them (scans, the registrar's results, pay):
        # every table that references a petition or a roll goes with them (CASCADE), and the
        # registrar's lines and the tallies, which name theirs without a database key.
        cur.execute(
            "TRUNCATE petitions_registrarline, petitions_linetally, petitions_petition,"
            " voters_votersurname, voters_voterplace, voters_voterattributeset,"
            " voters_voterroll CASCADE"
        )
    conn.close()


def with_stray_quote(path: Path) -> Path:
    """The same file with one literal quote in a first name on its third voter (cached)."""
    target = path.with_name(f"{path.stem}-quote.csv")
    if target.exists():
        return target
    partial = target.with_suffix(".partial")
    with path.open(newline="") as source, partial.open("w", newline="") as out:
        header = source.readline()
        first_name = next(csv.reader([header])).index("first_name")
        out.write(header)
        for _ in range(3):
            line = source.readline()
            if '"' not in line:  # no quoted field: the fields are the text between commas
                fields = line.rstrip("\n").split(",")
                fields[first_name] = f'{fields[first_name]} "{fields[first_name][:4]}'
                line = ",".join(fields) + "\n"
                break
            out.write(line)
        out.write(line)
        shutil.copyfileobj(source, out, 8 << 20)
    partial.rename(target)
    return target


def bench(rows: int, runs: int, quote: bool = False) -> dict:
    plain = synthetic_roll(rows)
    path = with_stray_quote(plain) if quote else plain
    # Warm the page cache so neither side pays for the first read (in pieces: a parent holding
    # the whole file would pass its high-water RSS on to the child being measured).
    with path.open("rb") as f:
        while f.read(8 << 20):
            pass
    bare, imports, peak = [], [], 0
    for _ in range(runs):
        bare.append(bare_copy_seconds(plain))
        seconds, rss, output = import_seconds(path)
        if f"rows imported  {rows:>12,}" not in output:
            sys.exit(f"the import of {path.name} did not import every row:\n{output}")
        imports.append(seconds)
        peak = max(peak, rss)
        drop_bench_rolls()
    bare.append(bare_copy_seconds(plain))
    wall, reference = statistics.median(imports), statistics.median(bare)
    return {
        "file": "quote" if quote else "plain",
        "rows": rows,
        "wall": wall,
        "bare": reference,
        "ratio": wall / reference,
        "rate": rows / wall,
        "peak_mib": peak / 1024,
        "size_mib": path.stat().st_size / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="default: 6M and 1M")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-quote", action="store_true", help="skip the file with a stray quote")
    args = parser.parse_args()
    use_redis_db("bench-import")
    prepare_database()
    drop_bench_rolls()
    print(f"{'file':<6} {'rows':>10} {'file MiB':>9} {'import s':>9} {'rows/s':>10} "
          f"{'bare COPY s':>12} {'ratio':>6} {'peak RSS MiB':>13}")  # fmt: skip
    for rows in args.rows or [6_000_000, 1_000_000]:
        for quote in (False,) if args.no_quote else (False, True):
            r = bench(rows, args.runs, quote)
            print(
                f"{r['file']:<6} {r['rows']:>10,} {r['size_mib']:>9,.0f} {r['wall']:>9.2f} "
                f"{r['rate']:>10,.0f} {r['bare']:>12.2f} {r['ratio']:>6.2f} "
                f"{r['peak_mib']:>13,.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
