"""Shared plumbing for benchmarks: a database of their own and the synthetic files."""

import hashlib
import json
import math
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from functools import cache
from pathlib import Path

import dj_database_url
import psycopg2

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def bench_database_url() -> str:
    """The benchmark's own database next to the app's (never the development data)."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/recall")
    config = dj_database_url.parse(base)
    default = config["NAME"] if config["NAME"].endswith("_bench") else f"{config['NAME']}_bench"
    name = os.environ.get("BENCH_DATABASE", default)
    auth = config["USER"] + (f":{config['PASSWORD']}" if config.get("PASSWORD") else "")
    return f"postgres://{auth}@{config['HOST']}:{config['PORT']}/{name}"


def use_own_database(purpose: str) -> str:
    """Keep this benchmark, and everything it starts, to a database of its own beside the shared
    benchmark one: {app's database}_bench_{purpose} (BENCH_DATABASE, which bench_database_url
    reads, is set to it); its name. For a benchmark whose data would crowd the others' (the
    statewide roll's 22 million voters)."""
    config = dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/recall")
    )
    name = f"{config['NAME'].removesuffix('_bench')}_bench_{purpose.replace('-', '_')}"
    os.environ["BENCH_DATABASE"] = name
    print(f"Database: {name} ({purpose}'s own)", flush=True)
    return name


def use_redis_db(purpose: str) -> str:
    """Keep this benchmark, and everything it starts, to its own Redis database (named in
    recall/lib/redis_dbs.py), and say which; its URL. BENCH_REDIS_URL, if set, names another
    (checkouts benchmarking side by side)."""
    from recall.lib.redis_dbs import redis_url

    url = os.environ.get("BENCH_REDIS_URL") or redis_url(purpose)
    os.environ["REDIS_URL"] = url
    print(f"Redis: {url} ({purpose}'s own database)", flush=True)
    return url


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=bench_database_url(), DEBUG=env.get("DEBUG", "true"))
    return env


def prepare_database() -> None:
    env = bench_env()
    run([sys.executable, "scripts/ensure_database.py"], env)
    run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], env)


def connect():
    config = dj_database_url.parse(bench_database_url())
    return psycopg2.connect(
        dbname=config["NAME"], user=config["USER"], host=config["HOST"], port=config["PORT"],
        password=config.get("PASSWORD") or None,
    )  # fmt: skip


def run(cmd: list[str], env: dict[str, str]) -> None:
    # Helpers talk on stderr: a benchmark's stdout is its table of figures only.
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=sys.stderr)


@cache
def generator_key() -> str:
    """A short hash of the synthetic county's code and data (and the matching place tables it
    reads), so cached files are made again when the generator changes."""
    sources = sorted(
        [
            *(ROOT / "devtools" / "synthetic").rglob("*.py"),
            *(ROOT / "devtools" / "synthetic" / "data").iterdir(),
            *(ROOT / "matching" / "data").glob("places_*.csv"),
        ]
    )
    digest = hashlib.sha256()
    for path in sources:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:8]


def synthetic_roll(voters: int, seed: int = 2022) -> Path:
    """A generated canonical roll, cached in bench/out (ignored by git) by size, seed and
    generator_key()."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"roll-{voters}-{seed}-{generator_key()}.csv"
    if not path.exists():
        partial = path.with_suffix(".partial")
        run([sys.executable, "manage.py", "generate_voter_roll", str(partial), "--voters",
             str(voters), "--seed", str(seed)], bench_env())  # fmt: skip
        partial.rename(path)
    return path


def synthetic_lines(roll_path: Path, lines: int, seed: int) -> tuple[Path, Path]:
    """Generated petition lines drawn from a roll, and their truth file, cached in bench/out
    beside the roll (its size, seed and generator key in their name)."""
    key = generator_key()
    roll = roll_path.stem.removeprefix("roll-").removesuffix(f"-{key}")
    lines_path = OUT / f"lines-{roll}-{lines}-{seed}-{key}.csv"
    truth_path = lines_path.with_suffix(".truth.csv")
    if not truth_path.exists():
        partial = lines_path.with_suffix(".partial.csv")
        partial_truth = lines_path.with_suffix(".partial.truth.csv")
        run([sys.executable, "manage.py", "generate_signatures", str(roll_path), str(partial),
             "--lines", str(lines), "--seed", str(seed), "--truth", str(partial_truth)],
            bench_env())  # fmt: skip
        partial.rename(lines_path)
        partial_truth.rename(truth_path)
    return lines_path, truth_path


def synthetic_statewide(scale: float, seed: int = 2022) -> tuple[Path, dict[str, int]]:
    """A generated statewide extract (devtools.synthetic.statewide) and each county's canonical
    roll, cached in bench/out/statewide-SCALE-SEED-KEY/ (roll.tsv, county-CC.csv, sizes.json
    written last): the folder and {county code: voters}."""
    from devtools.synthetic.statewide import write_statewide

    folder = OUT / f"statewide-{scale:g}-{seed}-{generator_key()}"
    done = folder / "sizes.json"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        sizes = write_statewide(folder / "roll.tsv", folder, scale, seed)
        done.write_text(json.dumps(sizes), encoding="utf-8")
        print(f"(generated {sum(sizes.values()):,} voters in {time.perf_counter() - started:.0f} s"
              f" into {folder})", file=sys.stderr, flush=True)  # fmt: skip
    return folder, json.loads(done.read_text(encoding="utf-8"))


def synthetic_statewide_lines(
    folder: Path, sizes: dict[str, int], lines: int, seed: int
) -> tuple[Path, dict[str, tuple[int, int]]]:
    """A statewide petition's generated lines (each county's drawn from its roll, in sections of
    that county), cached beside the roll: the file and {county code: (first, last section)}."""
    from devtools.synthetic.statewide import write_statewide_lines

    path = folder / f"lines-{lines}-{seed}.csv"
    sections = path.with_suffix(".sections.json")
    if not sections.exists():
        started = time.perf_counter()
        partial = folder / f"lines-{lines}-{seed}.partial.csv"
        ranges = write_statewide_lines(folder, partial, sizes, lines, seed)
        partial.rename(path)
        written = sections.with_suffix(".partial")
        written.write_text(json.dumps(ranges), encoding="utf-8")
        written.rename(sections)
        print(f"(generated {lines:,} lines in {time.perf_counter() - started:.0f} s)",
              file=sys.stderr, flush=True)  # fmt: skip
    ranges = json.loads(sections.read_text(encoding="utf-8"))
    return path, {code: (first, last) for code, (first, last) in ranges.items()}


def drop_superseded_rolls() -> None:
    """Keep the benchmark database to its active roll: old 6M-row partitions crowd the cache."""
    conn = connect()
    with conn, conn.cursor() as cur:
        cur.execute("SELECT id FROM voters_voterroll WHERE state <> 'active'")
        for (roll_id,) in cur.fetchall():
            roll_id = int(roll_id)
            cur.execute(
                "UPDATE petitions_line SET validated_roll_id = NULL WHERE validated_roll_id = %s",
                [roll_id],
            )
            cur.execute(f"DROP TABLE IF EXISTS voters_voter_roll_{roll_id}")
            for table in ("voters_votersurname", "voters_voterplace", "voters_voterattributeset"):
                cur.execute(f"DELETE FROM {table} WHERE roll_id = %s", [roll_id])  # noqa: S608
            cur.execute("DELETE FROM voters_voterroll WHERE id = %s", [roll_id])
    # Dead surname rows left in the trigram index would slow every later run's matching.
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE voters_votersurname, voters_voterplace")
    conn.close()


def organizer_with_fresh_breakdowns(petition):
    """The benchmarks' organizer (made once) and the dashboard's breakdowns computed as the
    scheduler does before the pages are read: (the organizer, seconds the refresh took)."""
    from django.contrib.auth import get_user_model

    from petitions.progress import breakdowns
    from recall.roles import ORGANIZER
    from recall.services import user_create_with_role

    organizer = get_user_model().objects.filter(username="bench-organizer").first()
    organizer = organizer or user_create_with_role(
        username="bench-organizer", password=secrets.token_urlsafe(16), role=ORGANIZER
    )
    started = time.perf_counter()
    breakdowns(petition, refresh=True)
    return organizer, time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


def start_worker(
    broker: str, processes: int, hostname: str, env: dict[str, str] | None = None, **popen
) -> subprocess.Popen:
    """A real Celery worker on the default queue, against the benchmark database."""
    env = dict(env or bench_env())
    env["REDIS_URL"] = broker
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "recall", "worker", "--queues", "default",
         "--concurrency", str(processes), "--loglevel", "WARNING", "--without-mingle",
         "--without-gossip", "--hostname", f"{hostname}@%h"],
        cwd=ROOT, env=env, **popen,
    )  # fmt: skip


# Gunicorn's access log: the request's tag (an X-Bench header), method, path, status, microseconds.
ACCESS_FORMAT = "%({x-bench}i)s %(m)s %(U)s %(s)s %(D)s"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(redis: str, **overrides: str) -> dict[str, str]:
    """The benchmark database with production settings (DEBUG off), its own Redis database."""
    env = bench_env()
    env.update(
        DJANGO_SETTINGS_MODULE="recall.settings", DEBUG="false", REDIS_URL=redis,
        SECRET_KEY=env.get("SECRET_KEY") or "bench-" + secrets.token_urlsafe(32), **overrides,
    )  # fmt: skip
    return env


def start_server(port: int, access_log: Path, env: dict[str, str], *, workers: int = 2,
                 threads: int = 1, output=None) -> subprocess.Popen:  # fmt: skip
    """Gunicorn as in production (static files collected for WhiteNoise); threads > 1 makes
    its workers gthread ones. Returns once it answers."""
    output = output or sys.stderr
    run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "recall.wsgi", "--workers", str(workers), "--threads",
         str(threads), "--bind", f"127.0.0.1:{port}", "--access-logfile", str(access_log),
         "--access-logformat", ACCESS_FORMAT, "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=output, stderr=output,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            sys.exit("gunicorn exited before serving")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5):
                return server
        except OSError:
            if time.monotonic() > deadline:
                server.terminate()
                sys.exit("gunicorn did not answer within 60 s")
            time.sleep(0.2)


def settle() -> None:
    """Vacuum the active roll's partition, then checkpoint, before the clock starts (Django set
    up by the caller).

    After an import autovacuum would set the roll's hint bits and visibility map (where it is
    off, requests would do that writing); the import's dirty pages are flushed now, not while
    saves wait for their commits.
    """
    from django.db import connection

    from voters.selectors import active_roll

    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {active_roll().partition_name}")
        cursor.execute("CHECKPOINT")
