"""Petition lines drawn from a roll, in the LA County 2022 mix of valid and invalid lines.

Each line is planned (section, circulator, kind), given the roll voter it needs, then written with
transcription noise (noise.py); the truth file records the registrar's verdict for each line and
the noise classes it carries (its `noise` column, ";"-separated): the Writer's transcription
classes, and what the line's signer is: `namesake` (a voter whose full name another voter in the
county shares), `mover` (registered at another address; `common_mover` when the name is shared
too, `household_mover` when other members of the household sign at the new address as well),
`relative` (not registered, at a registered household, a given name unlike any member's).
"""

from __future__ import annotations

import csv
import random
from array import array
from bisect import bisect
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from devtools.synthetic import county
from devtools.synthetic.files import text_file
from devtools.synthetic.noise import Writer, capitalise, plain_upper, published_nicknames
from devtools.synthetic.people import first_part
from devtools.synthetic.roll import ROLL_HEADER
from devtools.synthetic.tables import county_tables, cumulative, zipf

SIGNATURES_HEADER = (
    "section",
    "line",
    "printed_name",
    "residence_address",
    "city",
    "zip",
    "signed",
    "circulator",
)
TRUTH_HEADER = ("section", "line", "status", "voter_id", "noise")

# Target shares of petition lines by the registrar's verdict (LA County 2022 full count; the
# signature-mismatch share is folded into valid because a campaign cannot see signatures).
TARGET_MIX = {
    "valid": 0.7397,
    "not_registered": 0.1236,
    "duplicate": 0.0609,
    "address_mismatch": 0.0450,
    "canceled": 0.0103,
    "out_of_jurisdiction": 0.0075,
    "incomplete": 0.0130,
}
# The handful of careless circulators, and the share of sections they carry.
BAD_CIRCULATOR_MIX = {
    "valid": 0.42,
    "not_registered": 0.26,
    "duplicate": 0.13,
    "address_mismatch": 0.08,
    "canceled": 0.02,
    "out_of_jurisdiction": 0.02,
    "incomplete": 0.07,
}
BAD_CIRCULATOR_SHARE = 0.04
# Of movers: the share drawn among voters whose full name another voter shares, and the share
# whose household members (up to two more) sign the next lines at the new address too.
COMMON_MOVER_SHARE = 0.35
HOUSEHOLD_MOVER_SHARE = 0.25
# People not on the roll sign as those on it do: some with a relative, also not registered, on
# the next line at the same address, and some twice (a later section, the same address). Both
# are "not registered": only a qualifying signature can be a duplicate. Without them, two lines
# at one address or of one name would always mean registered voters.
UNREGISTERED_HOUSEHOLD_SHARE = 0.25
UNREGISTERED_REPEAT_SHARE = 0.07

# The roll columns a petition line is drawn from: the name and address, then ZIP and status.
_KEEP = (*ROLL_HEADER[: ROLL_HEADER.index("city") + 1], "zip", "status")
_SEP = "\x1f"


@contextmanager
def _roll_rows(path: str | Path) -> Iterator[tuple[dict[str, int], Iterator[list[str]]]]:
    """The roll's column positions and an iterator over its data rows."""
    with text_file(path, "r") as f:
        reader = csv.reader(f)
        cols = {name: i for i, name in enumerate(next(reader, []))}
        missing = [c for c in _KEEP if c not in cols]
        if missing:
            raise ValueError(f"{path}: roll is missing columns {', '.join(missing)}")
        yield cols, reader


def _address_key(house_number: str, street: str, unit: str, city: str, zip_code: str) -> int:
    """Identifies one dwelling (unit included) within this process; never written out."""
    return hash((house_number, street.upper(), unit.upper(), city.upper(), zip_code[:5]))


@dataclass(slots=True)
class _Line:
    section: int
    line: int
    kind: str
    bad: bool
    voter: int = -1  # roll index of the voter (or of the household member for "family")
    lead: int = -1  # for "moved_with": roll index of the household's mover on an earlier line
    tags: tuple[str, ...] = ()  # noise classes known from the plan (namesake, movers)


def _plan(rng: random.Random, n_lines: int) -> tuple[list[_Line], list[tuple[int, bool]]]:
    """Sections, their circulators and the kind of every line, in file order."""
    rnd = rng.random
    sizes = []
    total = 0
    while total < n_lines:
        r = rnd()
        size = (
            rng.randint(10, 20)
            if r < 0.75
            else rng.randint(1, 9)
            if r < 0.87
            else rng.randint(21, 30)
        )
        size = min(size, n_lines - total)
        sizes.append(size)
        total += size
    n_circ = max(3, min(400, round(len(sizes) / 5)))
    n_bad = max(1, min(6, n_circ // 40))
    good_cum = cumulative(zipf(n_circ - n_bad, 5.0, 0.8))
    sections: list[tuple[int, bool]] = []  # (circulator number, careless?)
    for _ in sizes:
        if rnd() < BAD_CIRCULATOR_SHARE:
            sections.append((n_circ - n_bad + int(rnd() * n_bad), True))
        else:
            sections.append((bisect(good_cum, rnd()), False))
    good_mix = {
        k: (TARGET_MIX[k] - BAD_CIRCULATOR_SHARE * BAD_CIRCULATOR_MIX[k])
        / (1 - BAD_CIRCULATOR_SHARE)
        for k in TARGET_MIX
    }

    def kinds(mix: dict[str, float]) -> tuple[list[str], list[float]]:
        # Not-registered signers: 55% family members at a registered address, else invented.
        table = {
            "valid": mix["valid"],
            "family": mix["not_registered"] * 0.55,
            "invented": mix["not_registered"] * 0.45,
            "repeat": mix["duplicate"],
            "moved": mix["address_mismatch"],
            "canceled": mix["canceled"],
            "ooj": mix["out_of_jurisdiction"],
            "incomplete": mix["incomplete"],
        }
        return list(table), cumulative(table.values())

    good_kinds, bad_kinds = kinds(good_mix), kinds(BAD_CIRCULATOR_MIX)
    lines = []
    for s, (size, (_, bad)) in enumerate(zip(sizes, sections, strict=True), start=1):
        names, cum = bad_kinds if bad else good_kinds
        for ln in range(1, size + 1):
            lines.append(_Line(s, ln, names[bisect(cum, rnd())], bad))
    return lines, sections


def _scan_roll(path: str | Path) -> tuple[bytearray, array[int], array[int]]:
    """Pass 1: every row's status letter, dwelling key and full-name key, in file order
    (~17 bytes a voter)."""
    status = bytearray()
    keys = array("q")
    names = array("q")
    with _roll_rows(path) as (cols, rows):
        si, fi, li = cols["status"], cols["first_name"], cols["last_name"]
        at = [cols[c] for c in ("house_number", "street_name", "unit_number", "city", "zip")]
        h, st, u, c, z = at
        for row in rows:
            status.append(ord(row[si][:1].upper() or " "))
            keys.append(_address_key(row[h], row[st], row[u], row[c], row[z]))
            names.append(hash(f"{row[fi]}{_SEP}{row[li]}".upper()))
    return status, keys, names


def _shared_names(names: array[int]) -> set[int]:
    """The full-name keys two or more voters bear."""
    seen: set[int] = set()
    shared: set[int] = set()
    for h in names:
        if h in seen:
            shared.add(h)
        else:
            seen.add(h)
    return shared


def _assign_voters(
    rng: random.Random,
    plan: list[_Line],
    status: bytearray,
    keys: array[int],
    names: array[int],
    shared: set[int],
) -> None:
    """Pick the roll voter behind each line that needs one, without reuse while the roll lasts.

    Some movers are drawn among voters with a namesake in the county; some bring their household
    along: its other active members sign the next lines of the section at the new address, and
    the next plain mover lines take the kinds those lines had, so the mix stays as planned.
    """
    rnd = rng.random
    n = len(status)
    used: set[int] = set()
    allowed_for = {"valid": b"AI", "incomplete": b"AI", "moved": b"A", "canceled": b"C"}

    def draw(allowed: bytes, unique: bool, common: bool = False) -> int:
        for _ in range(256 if common else 64):
            j = int(rnd() * n)
            if status[j] in allowed and not (unique and j in used):
                if common and names[j] not in shared:
                    continue
                used.add(j)
                return j
        if common:
            return draw(allowed, unique)
        for _ in range(4096):  # pool exhausted: allow a voter again (a natural duplicate)
            j = int(rnd() * n)
            if status[j] in allowed:
                return j
        return -1

    owed: list[str] = []  # kinds of lines that household movers took over
    owed_unregistered: list[str] = []  # the same, for households not registered
    for i, ln in enumerate(plan):
        if ln.kind == "moved" and owed:
            ln.kind = owed.pop()
        if ln.kind == "invented" and owed_unregistered:
            ln.kind = owed_unregistered.pop()
        if ln.kind == "invented" and rnd() < UNREGISTERED_HOUSEHOLD_SHARE:
            follower = plan[i + 1] if i + 1 < len(plan) else None
            if follower and follower.section == ln.section and follower.kind in allowed_for:
                owed_unregistered.append(follower.kind)
                follower.kind = "invented_with"
        if ln.kind == "moved":
            common = rnd() < COMMON_MOVER_SHARE
            ln.voter = draw(b"A", unique=True, common=common)
            if ln.voter >= 0:
                ln.tags = ("mover", "common_mover") if common else ("mover",)
                if rnd() < HOUSEHOLD_MOVER_SHARE:
                    _household_follows(plan, i, ln, status, keys, used, owed)
        elif ln.kind in allowed_for:
            ln.voter = draw(allowed_for[ln.kind], unique=True)
        elif ln.kind == "family":
            ln.voter = draw(b"AIC", unique=False)  # anyone's home will do
        else:
            continue
        if ln.voter < 0:
            ln.kind = "invented"  # the roll has nobody of the status this line needs


def _household_follows(
    plan: list[_Line],
    i: int,
    lead: _Line,
    status: bytearray,
    keys: array[int],
    used: set[int],
    owed: list[str],
) -> None:
    """Up to two other active members of the mover's household take the section's next lines."""
    j, key = lead.voter, keys[lead.voter]
    # A household's rows are consecutive in the roll.
    members = [
        k
        for k in range(max(0, j - 6), min(len(keys), j + 7))
        if k != j and keys[k] == key and status[k] == ord("A") and k not in used
    ][:2]
    followers = [
        ln
        for ln in plan[i + 1 : i + 1 + len(members)]
        if ln.section == lead.section and ln.kind not in ("moved", "moved_with")
    ]
    if not members or not followers:
        return
    lead.tags = (*lead.tags, "household_mover")
    for member, ln in zip(members, followers, strict=False):
        owed.append(ln.kind)
        ln.kind, ln.voter, ln.lead = "moved_with", member, lead.voter
        ln.tags = ("mover", "household_mover")
        used.add(member)


def _collect(
    path: str | Path, plan: list[_Line], keys: array[int]
) -> tuple[dict[int, str], dict[int, set[str]]]:
    """Pass 2: the chosen voters' records, and who is registered at the family lines' homes."""
    needed = {ln.voter for ln in plan if ln.voter >= 0}
    family_keys = {keys[ln.voter] for ln in plan if ln.kind == "family"}
    records: dict[int, str] = {}  # joined strings: a fraction of the memory of lists
    names_at: dict[int, set[str]] = {}
    with _roll_rows(path) as (cols, rows):
        idx = [cols[c] for c in _KEEP]
        fi = cols["first_name"]
        for i, row in enumerate(rows):
            if i in needed:
                records[i] = _SEP.join(row[k] for k in idx)
            if keys[i] in family_keys:
                names_at.setdefault(keys[i], set()).add(plain_upper(row[fi]))
    return records, names_at


class _Signing:
    """Turns planned lines into written lines and verdicts, in section order."""

    def __init__(
        self,
        writer: Writer,
        records: dict[int, str],
        names_at: dict[int, set[str]],
    ) -> None:
        self.w = writer
        self.records = records
        self.names_at = names_at
        self.counted: set[int] = set()
        self.earlier: list[int] = []  # counted voters of earlier sections, for repeat signers
        self.this_section: list[int] = []
        self.repeated_here: set[int] = set()
        self.section = 0
        self.first_written: dict[int, tuple[int, dict[str, str] | None]] = {}
        # Voters whose first line cannot count (moved, cancelled) -> that line's verdict.
        self.unqualified: dict[int, str] = {}
        self.moved_to: dict[int, dict[str, str]] = {}  # a mover's new address, for the household
        # People not on the roll who signed (their name's parts, the address they wrote), and
        # the last one's (surname, given name, address), for a relative on the next line.
        self.unregistered_earlier: list[tuple[tuple[str, str, str, str], dict[str, str]]] = []
        self.unregistered_here: list[tuple[tuple[str, str, str, str], dict[str, str]]] = []
        self.unregistered_lead: tuple[str, str, dict[str, str]] | None = None

    def sign(self, ln: _Line) -> tuple[str, dict[str, str] | None, str, str, str]:
        """(printed name, address written, signed, verdict, voter_id) for one line."""
        w = self.w
        if ln.section != self.section:
            self.earlier.extend(self.this_section)
            self.this_section = []
            self.unregistered_earlier.extend(self.unregistered_here)
            self.unregistered_here = []
            self.repeated_here.clear()
            self.section = ln.section
        kind = ln.kind
        if kind == "repeat":
            if self.earlier:
                for _ in range(4):  # once per section is the common case
                    ln.voter = self.earlier[int(w.rnd() * len(self.earlier))]
                    if ln.voter not in self.repeated_here:
                        break
                self.repeated_here.add(ln.voter)
            else:
                kind = "invented"  # nobody has signed an earlier section yet
        if kind in ("invented", "invented_with"):
            return self._unregistered(ln)
        if kind == "ooj":
            first, middle, last, suffix = w.invented_person()
            name = w.name(first, middle, last, suffix, ln.bad)
            return name, w.outside_address(), "yes", "out_of_jurisdiction", ""
        rec = dict(zip(_KEEP, self.records[ln.voter].split(_SEP), strict=True))
        if kind == "family":
            home = _address_key(
                rec["house_number"], rec["street_name"], rec["unit_number"], rec["city"], rec["zip"]
            )
            name = _family_member(w, rec, self.names_at.get(home, set()), ln.bad)
            return name, rec, "yes", "not_registered", ""
        name = self._name(rec, ln.bad)
        addr: dict[str, str] | None = rec
        if kind == "moved":
            addr = self.moved_to[ln.voter] = _moved_address(w, rec)
        elif kind == "moved_with":
            addr = self.moved_to.get(ln.lead) or _moved_address(w, rec)
        elif kind == "repeat":
            previous_name, moved_to = self.first_written[ln.voter]
            addr = moved_to or rec  # a mover writes the new address again
            for _ in range(3):  # written a bit differently from the first time
                if hash(name) != previous_name:
                    break
                w.new_line()  # the noise of the name written last
                name = self._name(rec, ln.bad)
        if kind == "incomplete":
            r = w.rnd()
            if r < 0.35:
                w.new_line()  # no name written, none of its noise
                return "", addr, "yes", "incomplete", rec["voter_id"]
            if r < 0.7:
                return name, None, "yes", "incomplete", rec["voter_id"]
            return name, addr, "no", "incomplete", rec["voter_id"]
        if ln.voter in self.counted:
            # Only a qualifying signature can be signed twice (the registrar checks the line
            # against the voter's record first): a mover's second line is a different-address
            # line again, a cancelled voter's is cancelled again.
            verdict = self.unqualified.get(ln.voter, "duplicate")
            return name, addr, "yes", verdict, rec["voter_id"]
        self.counted.add(ln.voter)
        self.this_section.append(ln.voter)
        # Only a hash of the name and a mover's new address: this lives as long as the run.
        moved = kind in ("moved", "moved_with")
        self.first_written[ln.voter] = (hash(name), addr if moved else None)
        verdict = "address_mismatch" if moved else {"valid": "valid", "canceled": "canceled"}[kind]
        if verdict != "valid":
            self.unqualified[ln.voter] = verdict
        return name, addr, "yes", verdict, rec["voter_id"]

    def _unregistered(self, ln: _Line) -> tuple[str, dict[str, str] | None, str, str, str]:
        """Someone not on the roll: new, a relative of the one on the line before (the same
        surname and address, another given name), or one who signed an earlier section, again
        at that address and written anew."""
        w = self.w
        lead = self.unregistered_lead if ln.kind == "invented_with" else None
        if lead is not None:
            last, first, addr = lead
            w.tag("unregistered_household")
            name = _family_member(w, {"last_name": last}, {plain_upper(first)}, ln.bad)
            return name, addr, "yes", "not_registered", ""
        if self.unregistered_earlier and w.rnd() < UNREGISTERED_REPEAT_SHARE:
            person, addr = w.pick(self.unregistered_earlier)
            w.tag("unregistered_repeat")
        else:
            person, addr = w.invented_person(), w.new_address()
        self.unregistered_here.append((person, addr))
        self.unregistered_lead = (person[2], person[0], addr)
        return w.name(*person, ln.bad), addr, "yes", "not_registered", ""

    def _name(self, rec: dict[str, str], bad: bool) -> str:
        return self.w.name(
            rec["first_name"], rec["middle_name"], rec["last_name"], rec["name_suffix"], bad
        )


def write_signatures(
    roll_path: str | Path,
    out_path: str | Path,
    lines: int,
    seed: int = 0,
    *,
    truth_path: str | Path | None = None,
) -> Counter[str]:
    """Write `lines` petition lines drawn from the roll; return the count of each truth status.

    1. Scan the roll for statuses and dwelling keys.
    2. Plan sections, circulators and each line's kind; pick the roll voters they need.
    3. Read the roll again, keeping only those voters and the first names at family homes.
    4. Write the lines in section order: a voter's first counted line counts, later ones are
       duplicates.
    """
    rng = random.Random(f"signatures:{seed}")  # noqa: S311
    status, keys, names = _scan_roll(roll_path)
    if not status:
        raise ValueError(f"{roll_path}: the roll has no voters")
    shared = _shared_names(names)
    plan, sections = _plan(rng, lines)
    _assign_voters(rng, plan, status, keys, names, shared)
    records, names_at = _collect(roll_path, plan, keys)
    namesakes = {v for v in records if names[v] in shared}
    del status, keys, names, shared
    writer = Writer(county_tables(), rng)
    circulators = []
    for _ in range(max(c for c, _ in sections) + 1):
        first, _, last, _ = writer.invented_person()
        circulators.append(capitalise(f"{first} {first_part(last)}"))
    signing = _Signing(writer, records, names_at)
    counts: Counter[str] = Counter()
    with ExitStack() as stack:
        out = csv.writer(stack.enter_context(text_file(out_path, "w")), lineterminator="\n")
        out.writerow(SIGNATURES_HEADER)
        truth = None
        if truth_path:
            truth = csv.writer(stack.enter_context(text_file(truth_path, "w")), lineterminator="\n")
            truth.writerow(TRUTH_HEADER)
        for ln in plan:
            writer.new_line()
            name, addr, signed, verdict, voter_id = signing.sign(ln)
            street = city = zip_out = ""
            if addr is not None:
                street = writer.address(addr, ln.bad)
                city, zip_out = writer.city_zip(addr["city"], addr["zip"], ln.bad)
            circulator = circulators[sections[ln.section - 1][0]]
            out.writerow((ln.section, ln.line, name, street, city, zip_out, signed, circulator))
            if truth:
                signer = "relative" if ln.kind == "family" else ""
                if voter_id and ln.kind != "family" and ln.voter in namesakes:
                    signer = "namesake"
                noise = (*ln.tags, signer, *writer.noise) if signer else (*ln.tags, *writer.noise)
                truth.writerow((ln.section, ln.line, verdict, voter_id, ";".join(noise)))
            counts[verdict] += 1
    return counts


def _moved_address(writer: Writer, rec: dict[str, str]) -> dict[str, str]:
    """A different real-looking address, usually in the same city."""
    same_city = writer.t.areas_by_city.get(rec["city"].upper())
    registered = (rec["house_number"], rec["street_name"].upper())
    while True:
        area = writer.pick(same_city) if same_city and writer.rnd() < 0.55 else None
        new = writer.new_address(area)
        if (new["house_number"], new["street_name"]) != registered:
            return new


def _family_member(writer: Writer, rec: dict[str, str], taken: set[str], bad: bool) -> str:
    """Someone living with a registered voter: same surname, a given name unlike any registered
    there (not one misspelt, not a nickname of one), written without given-name noise."""
    last = rec["last_name"].upper()
    g = writer.t.surname_group.get(plain_upper(first_part(last)), "W")
    for _ in range(24):
        sex = "M" if writer.rnd() < 0.5 else "F"
        first = writer.people.first(g, sex)
        if not any(_alike(plain_upper(first), other) for other in taken):
            break
    return writer.name(first, writer.people.middle(g, sex), last, "", bad, given_noise=False)


@cache  # the same pairs of common given names come up again and again
def _alike(a: str, b: str) -> bool:
    """Could one given name be read as, or be a nickname of, the other?"""
    a, b = a.replace(" ", "").replace("-", ""), b.replace(" ", "").replace("-", "")
    if a[:3] == b[:3] or (abs(len(a) - len(b)) <= 2 and _distance(a, b) <= 2):
        return True
    if a in county.NICKNAMES.get(b, ()) or b in county.NICKNAMES.get(a, ()):
        return True
    return a in published_nicknames(b) or b in published_nicknames(a)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
