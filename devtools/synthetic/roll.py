"""The voter roll: households at street addresses, written in parallel chunks as canonical CSV.

The roll is generated in fixed-size chunks, each with its own seeded generator, so chunks can be
rendered in parallel worker processes and still concatenate to the same bytes as a sequential run.
"""

from __future__ import annotations

import csv
import gzip
import io
import multiprocessing
import os
import random
from bisect import bisect
from collections import deque
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import TypeVar

from devtools.synthetic import county
from devtools.synthetic.addresses import draw_address
from devtools.synthetic.people import People
from devtools.synthetic.tables import DATE0, DAYS_18, ORD_1970, REF_ORD, county_tables, cumulative

_Job = TypeVar("_Job")
_Out = TypeVar("_Out")

ROLL_HEADER = (
    "voter_id",
    "first_name",
    "middle_name",
    "last_name",
    "name_suffix",
    "house_number",
    "house_fraction",
    "street_predir",
    "street_name",
    "street_type",
    "street_postdir",
    "unit_type",
    "unit_number",
    "city",
    "state",
    "zip",
    "birth_date",
    "registration_date",
    "status",
    "party",
    "precinct",
    "supervisorial_district",
)

CHUNK_SIZE = 50_000
VOTER_ID_BASE = 100_000_000
# Share of people living alone who bear the full name of someone registered elsewhere in the
# county (a namesake on top of those that common names give by chance); their middle names and
# birth dates stay their own.
NAMESAKE_SHARE = 0.03

_HOUSE_SIZES = cumulative((0.28, 0.38, 0.16, 0.10, 0.05, 0.03))
_APARTMENT_SIZES = cumulative((0.46, 0.33, 0.12, 0.06, 0.02, 0.01))
_MOBILE_SIZES = cumulative((0.50, 0.40, 0.07, 0.03))
_STATUS_CUM = cumulative(county.STATUS_SHARES.values())
_STATUSES = tuple(county.STATUS_SHARES)
_PARTY_CUM = {g: cumulative(p) for g, p in county.PARTY_SHARES_BY_GROUP.items()}


def _units(rnd: Callable[[], float], kind: str) -> list[tuple[str, str, list[float]]]:
    """The households' (unit type, unit number, size distribution) at one street address."""
    if kind == "house":
        return [("", "", _HOUSE_SIZES)]
    if kind == "mobile":
        spaces = 20 + int(rnd() * 180)
        return [("SPC", str(k + 1), _MOBILE_SIZES) for k in range(spaces) if rnd() < 0.7]
    r = rnd()
    n_units = (
        2 + int(rnd() * 3) if r < 0.3 else 5 + int(rnd() * 20) if r < 0.8 else 25 + int(rnd() * 96)
    )
    r = rnd()
    unit_type = "APT" if r < 0.6 else "UNIT" if r < 0.82 else "#"
    style = rnd()
    per_floor = 4 + int(rnd() * 9)
    out = []
    for k in range(n_units):
        if rnd() >= 0.8:
            continue  # no registered voters in this unit
        if n_units <= 4 and style < 0.4:
            label = chr(65 + k)
        elif n_units > 8 and style < 0.5:
            label = f"{k // per_floor + 1}{k % per_floor + 1:02d}"
        else:
            label = str(k + 1)
        out.append((unit_type, label, _APARTMENT_SIZES))
    return out


def _iter_chunk(seed: int, start: int, stop: int) -> Iterator[tuple[str, ...]]:
    """Rows for global voter indices [start, stop); deterministic in (seed, start, stop)."""
    t = county_tables()
    rng = random.Random(f"roll:{seed}:{start}")  # noqa: S311
    rnd = rng.random
    people = People(t, rng)
    areas, area_cum, iso = t.areas, t.area_cum, t.iso
    # Full names of people generated lately (elsewhere in the county), by sex, for namesakes.
    recent: dict[str, deque[tuple[str, str]]] = {"M": deque(maxlen=64), "F": deque(maxlen=64)}
    i = start
    while i < stop:
        area = areas[bisect(area_cum, rnd())]
        r = rnd()
        kind = (
            "mobile"
            if r < area.p_mobile
            else "apt"
            if r < area.p_mobile + area.p_apartment
            else "house"
        )
        addr = draw_address(rnd, area)
        if kind == "house" and rnd() < 0.006:
            addr.fraction = "1/2"
        base = (
            addr.house_number,
            addr.fraction,
            addr.predir,
            addr.street_name,
            addr.street_type,
            addr.postdir,
        )
        zip9 = addr.zip5 + addr.plus4
        tail = (addr.precinct, addr.district)
        for unit_type, unit_number, size_cum in _units(rnd, kind):
            size = bisect(size_cum, rnd()) + 1
            members = people.household(area, size)
            if size == 1 and rnd() < NAMESAKE_SHARE and recent[members[0][6]]:
                pool = recent[members[0][6]]
                members[0][0], members[0][2] = pool[int(rnd() * len(pool))]
            for m in members:
                recent[m[6]].append((m[0], m[2]))
            title = rnd() < 0.04  # this household's records were keyed in mixed case
            for first, middle, last, suffix, birth, g, _sex in members:
                if i >= stop:
                    return
                if title:
                    first, middle, last, suffix = (
                        first.title(),
                        middle.title(),
                        last.title(),
                        suffix.title(),
                    )
                lo = max(ORD_1970, birth + DAYS_18)
                reg = REF_ORD - int((REF_ORD - lo) * rnd())
                yield (
                    str(VOTER_ID_BASE + i * 7 + int(rnd() * 7)),
                    first,
                    middle,
                    last,
                    suffix,
                    *base,
                    unit_type,
                    unit_number,
                    addr.city,
                    "CA",
                    zip9 if rnd() < 0.85 else addr.zip5,
                    iso[birth - DATE0],
                    iso[reg - DATE0],
                    _STATUSES[bisect(_STATUS_CUM, rnd())],
                    county.PARTIES[bisect(_PARTY_CUM[g], rnd())],
                    *tail,
                )
                i += 1


def iter_voters(n: int, seed: int = 0) -> Iterator[tuple[str, ...]]:
    """The roll's rows (without the header), in file order, as tuples in ROLL_HEADER order."""
    for start in range(0, n, CHUNK_SIZE):
        yield from _iter_chunk(seed, start, min(n, start + CHUNK_SIZE))


def _render_chunk(job: tuple[int, int, int, bool]) -> bytes:
    seed, start, stop, compress = job
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if start == 0:
        writer.writerow(ROLL_HEADER)
    writer.writerows(_iter_chunk(seed, start, stop))
    data = buf.getvalue().encode("utf-8")
    # Concatenated gzip members form one valid gzip file; mtime=0 keeps the bytes reproducible.
    return gzip.compress(data, compresslevel=6, mtime=0) if compress else data


def _default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def rendered_in_order(
    render: Callable[[_Job], _Out], jobs: list[_Job], workers: int
) -> Iterator[tuple[_Job, _Out]]:
    """(job, render(job)) for each job, in the jobs' order, rendered by `workers` processes
    (forked, so they inherit the tables built before), at most two per worker in flight: memory
    stays constant however many jobs there are."""
    if workers <= 1:
        for job in jobs:
            yield job, render(job)
        return
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ctx.Pool(workers) as pool:
        queue = iter(jobs)
        pending = deque(
            (job, pool.apply_async(render, (job,))) for job in islice(queue, 2 * workers)
        )
        while pending:
            job, result = pending.popleft()
            data = result.get()
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, pool.apply_async(render, (nxt,))))
            yield job, data


def write_roll(
    path: str | Path,
    n: int,
    seed: int = 0,
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write an n-voter canonical CSV roll to path (gzip when it ends in .gz).

    Chunks are rendered by `workers` processes (default: the CPUs available) and written in
    order, at most two per worker in flight, so memory stays constant whatever n is.
    """
    compress = str(path).endswith(".gz")
    jobs = [(seed, s, min(n, s + CHUNK_SIZE), compress) for s in range(0, max(n, 1), CHUNK_SIZE)]
    workers = max(1, min(workers or _default_workers(), len(jobs)))
    county_tables()  # built once here so forked workers inherit it
    with open(path, "wb") as out:
        for job, data in rendered_in_order(_render_chunk, jobs, workers):
            out.write(data)
            if progress:
                progress(job[2])
