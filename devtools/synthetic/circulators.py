"""A petition whose circulators differ in quality: honest ones of varied skill, and some who
commit each fraud pattern the suspect list looks for (petitions.suspects; issue 21).

The honest part is `write_signatures`' own petition (its circulators already vary: a zipf of
good ones and a few careless ones), given circulation dates and a signing day per line. The
fraudulent sections come after it, each section's pattern in the sections file:

- `roll_copy`: signers copied down the roll, in its order (consecutive rows);
- `zip_sorted` / `name_sorted`: signers copied from a list sorted by ZIP / by surname;
- `round_table`: every line a real voter at their address, no mistake, every line filled;
- `bad_night`: a circulator whose sections are fine but one, mostly invented names;
- `same_day`: every line dated one day, though the declaration spans a week;
- `backdated`: lines dated outside the declared circulation;
- `gone`: signers who had moved away (an old address) or whose registration was cancelled;
- `same_signer`: two circulators whose sections share signers the same day, in two places.

Files: the lines (import_signatures' columns, with `circulator` and `date_signed`), the truth
(`section, line, status, voter_id, pattern`: the registrar's verdict, the pattern or `honest`)
and the sections (`section, circulator, circulated_from, circulated_to, pattern`). No Django.
"""

from __future__ import annotations

import csv
import random
import tempfile
from array import array
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from devtools.synthetic.files import text_file
from devtools.synthetic.noise import Writer, capitalise
from devtools.synthetic.people import first_part
from devtools.synthetic.signatures import (
    _KEEP,
    _SEP,
    SIGNATURES_HEADER,
    _moved_address,
    _roll_rows,
    write_signatures,
)
from devtools.synthetic.tables import county_tables

LINES_HEADER = (*SIGNATURES_HEADER, "date_signed")
CIRCULATOR_TRUTH_HEADER = ("section", "line", "status", "voter_id", "pattern")
SECTIONS_HEADER = ("section", "circulator", "circulated_from", "circulated_to", "pattern")
HONEST = "honest"
PATTERNS = (
    "roll_copy", "zip_sorted", "name_sorted", "round_table", "bad_night", "same_day",
    "backdated", "gone", "same_signer",
)  # fmt: skip
# Each fraudulent circulator's sections, and the lines a fraudulent section holds.
SECTIONS_PER_FRAUD = {"round_table": 4, "bad_night": 5}
FRAUD_LINES = (20, 30)


@dataclass
class _Section:
    serial: int
    circulator: str
    start: date
    end: date
    pattern: str
    # (roll row or -1, kind: valid | invented | moved | canceled | repeat, day)
    lines: list[tuple[int, str, date]] = field(default_factory=list)


def _scan(path: str | Path) -> tuple[bytearray, array[int], list[str]]:
    """Each roll row's status letter and ZIP, and its surname (for the sorted lists)."""
    status, zips, names = bytearray(), array("l"), []
    with _roll_rows(path) as (cols, rows):
        si, zi, li = cols["status"], cols["zip"], cols["last_name"]
        for row in rows:
            status.append(ord(row[si][:1].upper() or " "))
            zips.append(int(row[zi][:5]) if row[zi][:5].isdigit() else 0)
            names.append(row[li].upper())
    return status, zips, names


def write_circulator_petition(
    roll_path: str | Path,
    out_path: str | Path,
    lines: int,
    seed: int = 0,
    *,
    truth_path: str | Path,
    sections_path: str | Path,
    frauds: int = 1,
    start: date = date(2026, 10, 20),
    days: int = 40,
) -> Counter[str]:
    """Write an honest petition of `lines` lines, then `frauds` circulators committing each
    pattern (a pair for same_signer); return the lines by pattern.

    1. The honest lines (write_signatures), each section given a declared span of 1-14 days
       within the campaign's `days` from `start`, each line a day in it.
    2. The fraudulent sections: voters not used by the honest lines, chosen for the pattern.
    3. Written in section order with the honest lines' writer (no careless hand).
    """
    rng = random.Random(f"circulators:{seed}")  # noqa: S311
    with tempfile.TemporaryDirectory() as tmp:
        honest_lines, honest_truth = Path(tmp) / "lines.csv", Path(tmp) / "truth.csv"
        write_signatures(roll_path, honest_lines, lines, seed, truth_path=honest_truth)
        with text_file(honest_truth, "r") as f:
            truth_rows = list(csv.reader(f))[1:]
        with text_file(honest_lines, "r") as f:
            line_rows = list(csv.reader(f))[1:]
    used = {row[3] for row in truth_rows if row[3]}
    status, zips, names = _scan(roll_path)
    n = len(status)
    ids = _voter_ids(roll_path)
    free = [i for i in range(n) if ids[i] not in used]
    rng.shuffle(free)
    taken: set[int] = set()

    def draw(k: int, allowed: bytes = b"A", where: int | None = None) -> list[int]:
        out: list[int] = []
        for i in free:
            if len(out) == k:
                break
            if i in taken or status[i] not in allowed:
                continue
            if where is not None and abs(zips[i] - where) > 2:
                continue
            out.append(i)
            taken.add(i)
        return out

    writer = Writer(county_tables(), rng)
    honest_serials = sorted({int(r[0]) for r in line_rows})
    spans: dict[int, tuple[date, date]] = {}
    for serial in honest_serials:
        first = start + timedelta(days=rng.randint(0, days - 1))
        spans[serial] = (first, min(first + timedelta(days=rng.randint(0, 13)),
                                    start + timedelta(days=days)))  # fmt: skip
    sections: list[_Section] = []
    serial = honest_serials[-1] if honest_serials else 0

    def circulator() -> str:
        first, _, last, _ = writer.invented_person()
        return capitalise(f"{first} {first_part(last)}")

    def new(name: str, pattern: str, one_day: bool = False) -> _Section:
        nonlocal serial
        serial += 1
        first = start + timedelta(days=rng.randint(0, days - 8))
        end = first if one_day else first + timedelta(days=rng.randint(4, 7))
        section = _Section(serial, name, first, end, pattern)
        sections.append(section)
        return section

    def day_in(s: _Section) -> date:
        return s.start + timedelta(days=rng.randint(0, (s.end - s.start).days))

    def size() -> int:
        return rng.randint(*FRAUD_LINES)

    for _ in range(frauds):
        s = new(circulator(), "roll_copy")
        begin = rng.randrange(0, max(1, n - 60))
        block = [i for i in range(begin, min(n, begin + 60))
                 if status[i] in b"AI" and i not in taken and ids[i] not in used]  # fmt: skip
        block = block[: size()]
        taken.update(block)
        s.lines = [(i, "valid", day_in(s)) for i in block]
        for pattern, key in (("zip_sorted", zips.__getitem__), ("name_sorted", names.__getitem__)):
            s = new(circulator(), pattern)
            s.lines = [(i, "valid", day_in(s)) for i in sorted(draw(size()), key=key)]
        name = circulator()
        for _ in range(SECTIONS_PER_FRAUD["round_table"]):
            s = new(name, "round_table")
            s.lines = [(i, "valid", day_in(s)) for i in draw(FRAUD_LINES[1])]
        name = circulator()
        for k in range(SECTIONS_PER_FRAUD["bad_night"]):
            s = new(name, "bad_night" if k == 2 else HONEST)
            invented = 0.75 if k == 2 else 0.12
            s.lines = [(-1, "invented", day_in(s)) if rng.random() < invented
                       else (i, "valid", day_in(s)) for i in draw(size())]  # fmt: skip
        s = new(circulator(), "same_day")
        day = day_in(s)
        s.lines = [(-1, "invented", day) if rng.random() < 0.2 else (i, "valid", day)
                   for i in draw(size())]  # fmt: skip
        s = new(circulator(), "backdated")
        s.lines = [(i, "valid", s.start - timedelta(days=rng.randint(3, 20)) if rng.random() < 0.5
                    else day_in(s)) for i in draw(size())]  # fmt: skip
        s = new(circulator(), "gone")
        k = size()
        gone = draw(k // 3, b"C") + [(-2 - i) for i in draw(k // 4)]  # negative: a mover
        s.lines = [
            (i, "canceled", day_in(s)) if i >= 0 else (-2 - i, "moved", day_in(s)) for i in gone
        ] + [(i, "valid", day_in(s)) for i in draw(k - len(gone))]
        rng.shuffle(s.lines)
        # Two circulators, two neighbourhoods, one day, the same signers on both.
        a, b = new(circulator(), "same_signer", one_day=True), None
        b = new(circulator(), "same_signer", one_day=True)
        b.start = b.end = a.start
        shared = draw(6)
        here = draw(14, where=zips[shared[0]] if shared else None) or draw(14)
        there = draw(14, where=zips[here[0]] + 500 if here else None) or draw(14)
        a.lines = [(i, "valid", a.start) for i in shared + here]
        b.lines = [(i, "valid", a.start) for i in there[:7] + shared + there[7:]]

    records = _records(roll_path, {i for s in sections for i, _, _ in s.lines if i >= 0})
    counts: Counter[str] = Counter()
    with (
        text_file(out_path, "w") as out_file,
        text_file(truth_path, "w") as truth_file,
        text_file(sections_path, "w") as sections_file,
    ):
        out = csv.writer(out_file, lineterminator="\n")
        truth = csv.writer(truth_file, lineterminator="\n")
        declared = csv.writer(sections_file, lineterminator="\n")
        out.writerow(LINES_HEADER)
        truth.writerow(CIRCULATOR_TRUTH_HEADER)
        declared.writerow(SECTIONS_HEADER)
        circulators: dict[int, str] = {}
        for row, known in zip(line_rows, truth_rows, strict=True):
            section = int(row[0])
            first, end = spans[section]
            day = first + timedelta(days=rng.randint(0, (end - first).days))
            out.writerow((*row, day.isoformat()))
            truth.writerow((*known[:4], HONEST))
            circulators[section] = row[7]
            counts[HONEST] += 1
        for section, (first, end) in spans.items():
            declared.writerow((section, circulators.get(section, ""), first, end, HONEST))
        seen: set[int] = set()
        for s in sections:
            declared.writerow((s.serial, s.circulator, s.start, s.end, s.pattern))
            for number, (i, kind, day) in enumerate(s.lines, start=1):
                writer.new_line()
                verdict, voter_id, (name, addr) = _line(writer, kind, records.get(i))
                if verdict == "valid" and i in seen:
                    verdict = "duplicate"
                seen.add(i)
                street, city, zip_out = "", "", ""
                if addr is not None:
                    street = writer.address(addr, False)
                    city, zip_out = writer.city_zip(addr["city"], addr["zip"], False)
                out.writerow((s.serial, number, name, street, city, zip_out, "yes", s.circulator,
                              day.isoformat()))  # fmt: skip
                truth.writerow((s.serial, number, verdict, voter_id, s.pattern))
                counts[s.pattern] += 1
    return counts


def _line(
    writer: Writer, kind: str, rec: dict[str, str] | None
) -> tuple[str, str, tuple[str, dict[str, str] | None]]:
    """(verdict, voter id, (printed name, address written)) of one fraudulent line."""
    if kind == "invented" or rec is None:
        first, middle, last, suffix = writer.invented_person()
        return "not_registered", "", (writer.name(first, middle, last, suffix, False),
                                      writer.new_address())  # fmt: skip
    name = writer.name(rec["first_name"], rec["middle_name"], rec["last_name"],
                       rec["name_suffix"], False)  # fmt: skip
    if kind == "moved":
        return "address_mismatch", rec["voter_id"], (name, _moved_address(writer, rec))
    return ("canceled" if kind == "canceled" else "valid"), rec["voter_id"], (name, rec)


def _voter_ids(path: str | Path) -> list[str]:
    with _roll_rows(path) as (cols, rows):
        vi = cols["voter_id"]
        return [row[vi] for row in rows]


def _records(path: str | Path, wanted: set[int]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    with _roll_rows(path) as (cols, rows):
        idx = [cols[c] for c in _KEEP]
        for i, row in enumerate(rows):
            if i in wanted:
                out[i] = dict(zip(_KEEP, _SEP.join(row[k] for k in idx).split(_SEP), strict=True))
    return out
