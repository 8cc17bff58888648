"""Sections that look wrong: each with a score and the reasons, for organizers (issue 21).

Every pattern is a function over one section's figures (`SectionFigures`, read for the whole
petition in two set-based queries) and the campaign's and the circulator's rates; it returns a
`Reason` when the section is odd beyond the pattern's threshold. Chance patterns give the
probability of a section at least this odd if nothing were wrong (petitions.suspect_stats); the
facts (dates outside the declaration, the same signer elsewhere) count lines. The score is the
sum of the reasons' weights: -log10(p) for a chance (at most 12), a few points a line for a fact.
See the README's "Suspect sections, holds and filing".

A circulator is its record (petitions.Circulator: names typed alike, or merged, are one), or the
name typed on a section not linked to one yet: `circulator_key` (and its SQL twin
`circulator_key_sql`) is the one place that says so.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions.models import LineStatus, Petition, Section
from petitions.suspect_stats import binomial_at_least, binomial_at_most, ordered_run, weight
from recall.cache import forgiving_cache as cache
from recall.db_router import read_connection

# Thresholds (the README lists them with their reasons).
ORDER_P = 1e-4  # roll, ZIP or alphabetical order: flagged below this probability
ORDER_MIN_PAIRS = 8  # ... with at least this many consecutive pairs of differing keys
ROLL_STEP = 3  # consecutive registrant ids: 1 to 3 apart (the roll's own order)
ROLL_ORDER_SHARE = 0.5  # the dashboard's list: half the pairs or more 1-3 apart
ROLL_BASE_FLOOR = 0.02  # the chance of a 1-3 step is at least this (households sign together)
FEW_MISTAKES_P = 1e-3  # not enough mistakes: one section
FEW_MISTAKES_CIRCULATOR_P = 1e-4  # ... or the circulator's lines together
FEW_MISTAKES_MIN_LINES = 15  # a section's decided lines for the test
FEW_MISTAKES_CIRCULATOR_MIN = 40  # a circulator's decided lines for theirs
MISTAKES_FLOOR = 0.5  # the expected invalid share is at least half the campaign's
OWN_RATE_MIN_LINES = 50  # a circulator's other sections give their rate from this many lines
SAME_DAY_MIN_LINES = 10  # every line dated one day, of at least this many dated lines,
SAME_DAY_DECLARED_SPAN = 2  # ... when the declaration spans this many days more than one
OUTSIDE_POINTS = 2.0  # points per line dated outside the declaration (at most MAX_FACT)
GONE_P = 1e-4  # signers moved away or cancelled: flagged below this probability
GONE_MIN = 3  # ... with at least this many such lines
GONE_BASE_FLOOR = 0.02
ELSEWHERE_MIN = 3  # the same signers on another circulator's section the same day: lines
ELSEWHERE_POINTS = 3.0
BAD_NIGHT_P = 1e-4  # one section far worse than the circulator's others
BAD_NIGHT_MIN_LINES = 10
BAD_NIGHT_OTHERS_MIN = 40
BAD_NIGHT_GAP = 0.30  # ... and at least 30 points worse
SAME_DAY_POINTS = 0.25  # a dated line, at most MAX_FACT
MAX_FACT = 10.0

SUSPECTS_TTL = 600  # seconds a list is reused: the scheduler refreshes it every 5 minutes

_NOT_DECIDED = (LineStatus.PENDING, LineStatus.NEEDS_REVIEW, LineStatus.BLANK)


class Pattern:
    """The patterns' slugs (stored in the CSV and the reasons)."""

    ROLL_ORDER = "roll_order"
    ZIP_ORDER = "zip_order"
    NAME_ORDER = "name_order"
    FEW_MISTAKES = "few_mistakes"
    SAME_DAY = "same_day"
    OUTSIDE_DATES = "outside_dates"
    GONE_BEFORE = "gone_before"
    SAME_SIGNER = "same_signer"
    BAD_NIGHT = "bad_night"


def circulator_key(section: Section | dict[str, Any]) -> str:
    """Who circulated a section, as one key: its circulator record ("c" and the id: names typed
    alike, or merged, are one), or for a section not linked to one yet (written straight to the
    table) its typed name folded (case, spaces)."""
    if isinstance(section, dict):
        record, name = section.get("circulator_id"), section["circulator_name"]
    else:
        record, name = section.circulator_id, section.circulator_name
    if record is not None:
        return f"c{record}"
    return " ".join((name or "").upper().split())


def circulator_key_sql(alias: str = "s") -> str:
    """circulator_key in SQL, over the petitions_section row `alias`."""
    return (
        f"coalesce('c' || {alias}.circulator_id, "
        f"upper(btrim(regexp_replace({alias}.circulator_name, '\\s+', ' ', 'g'))))"
    )


class Reason(TypedDict):
    pattern: str
    weight: float
    p: float | None  # the probability behind a chance pattern, None for a fact
    text: str  # its sentence's key in REASON_TEXTS
    figures: dict[str, Any]  # the sentence's figures


@dataclass
class SectionFigures:
    """One section's figures, as the queries read them."""

    section_id: int
    serial: int
    circulator: str
    circulator_name: str
    circulated_from: date | None
    circulated_to: date | None
    held: bool
    filed_on: date | None
    lines: int = 0
    decided: int = 0
    invalid: int = 0
    rid_pairs: int = 0
    rid_steps: int = 0  # pairs 1-3 apart
    rid_moves: int = 0  # pairs of differing ids
    rid_up: int = 0
    zip_moves: int = 0
    zip_up: int = 0
    name_moves: int = 0
    name_up: int = 0
    dated: int = 0
    first_day: date | None = None
    last_day: date | None = None
    days: int = 0
    outside: int = 0
    gone: int = 0  # moved away (registered elsewhere before signing) or cancelled
    place: str = ""  # the ZIP a quarter of its lines or more give, if any (same_signer only)
    elsewhere: dict[int, int] = field(default_factory=dict)  # other section id -> shared lines


@dataclass
class Rates:
    """The campaign's shares that the patterns compare a section with."""

    invalid: float
    gone: float
    roll_step: float
    # circulator key -> (decided, invalid) over all their sections
    circulators: dict[str, tuple[int, int]]


class Suspect(TypedDict):
    section_id: int
    serial: int
    circulator: str
    lines: int
    decided: int
    invalid: int
    score: float
    reasons: list[Reason]
    held: bool
    filed_on: str | None


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def section_figures(petition: Petition) -> dict[int, SectionFigures]:
    """Every section's figures, in two passes over the petition's lines and one over its
    repeat signers (set-based: a window per section, no query per section)."""
    join = _roll_join()
    figures: dict[int, SectionFigures] = {}
    for row in _fetch(
        f"""
        SELECT id, serial, {circulator_key_sql("s")}, circulator_name, circulated_from,
               circulated_to, held_at IS NOT NULL, filed_on
        FROM petitions_section s WHERE petition_id = %s
        """,  # noqa: S608 - fixed SQL
        [petition.pk],
    ):
        figures[row[0]] = SectionFigures(*row)
    rows = _fetch(
        f"""
        WITH lines AS (
            SELECT l.section_id, l.number, l.status, l.date_signed,
                   CASE WHEN l.voter_registrant_id ~ '^[0-9]{{1,18}}$'
                        THEN l.voter_registrant_id::bigint END AS rid,
                   coalesce(nullif(v.zip5, ''), substring(btrim(l.zip) from '^[0-9]{{5}}'))
                       AS zip5,
                   nullif(v.last_key, '') AS surname,
                   v.registration_date
            FROM petitions_line l {join}
            WHERE l.petition_id = %s AND l.status <> 'blank'
        ), paired AS (
            SELECT *, lag(rid) OVER w AS prev_rid, lag(zip5) OVER w AS prev_zip,
                   lag(surname) OVER w AS prev_surname
            FROM lines WINDOW w AS (PARTITION BY section_id ORDER BY number)
        )
        SELECT p.section_id, count(*),
               count(*) FILTER (WHERE p.status NOT IN ('pending', 'needs_review')),
               count(*) FILTER (WHERE p.status NOT IN ('pending', 'needs_review', 'valid')),
               count(*) FILTER (WHERE p.rid IS NOT NULL AND p.prev_rid IS NOT NULL),
               count(*) FILTER (WHERE p.rid - p.prev_rid BETWEEN 1 AND %s),
               count(*) FILTER (WHERE p.rid <> p.prev_rid),
               count(*) FILTER (WHERE p.rid > p.prev_rid),
               count(*) FILTER (WHERE p.zip5 <> p.prev_zip),
               count(*) FILTER (WHERE p.zip5 > p.prev_zip),
               count(*) FILTER (WHERE p.surname <> p.prev_surname),
               count(*) FILTER (WHERE p.surname COLLATE "C" > p.prev_surname COLLATE "C"),
               count(p.date_signed), min(p.date_signed), max(p.date_signed),
               count(DISTINCT p.date_signed),
               count(*) FILTER (WHERE p.date_signed < s.circulated_from
                                   OR p.date_signed > s.circulated_to),
               count(*) FILTER (WHERE p.status = 'canceled'
                                   OR (p.status = 'address_mismatch'
                                       AND p.registration_date <= p.date_signed))
        FROM paired p JOIN petitions_section s ON s.id = p.section_id
        GROUP BY p.section_id
        """,  # noqa: S608 - fixed SQL; the partition name is an integer
        [petition.pk, ROLL_STEP],
    )
    names = ["lines", "decided", "invalid", "rid_pairs", "rid_steps", "rid_moves", "rid_up",
             "zip_moves", "zip_up", "name_moves", "name_up", "dated", "first_day", "last_day",
             "days", "outside", "gone"]  # fmt: skip
    for row in rows:
        figure = figures[row[0]]
        for name, value in zip(names, row[1:], strict=True):
            setattr(figure, name, value)
    _same_signers_elsewhere(petition, figures)
    return figures


def _roll_join() -> str:
    """The voter's ZIP, surname and registration come from the active roll (joined by its
    key, to the lines as `l`); without a roll, what the line says."""
    from voters.selectors import active_roll

    roll = active_roll()
    if roll is None:
        return "LEFT JOIN voters_voter v ON false"
    return (
        f"LEFT JOIN voters_voter_roll_{int(roll.pk)} v ON v.roll_id = {int(roll.pk)} "
        "AND v.registrant_id = l.voter_registrant_id AND l.voter_registrant_id <> ''"
    )


def _places(section_ids: list[int], figures: dict[int, SectionFigures]) -> None:
    """Where these sections were circulated: the ZIP a quarter of their lines or more give (the
    voter's, else the one written), or none. Only for the few sections that share signers."""
    for section_id, zip5, n, total in _fetch(
        f"""
        SELECT DISTINCT ON (section_id) section_id, zip5, n, sum(n) OVER (PARTITION BY section_id)
        FROM (
            SELECT l.section_id,
                   coalesce(nullif(v.zip5, ''), substring(btrim(l.zip) from '^[0-9]{{5}}'))
                       AS zip5, count(*) AS n
            FROM petitions_line l {_roll_join()}
            WHERE l.section_id = ANY(%s) AND l.status <> 'blank'
            GROUP BY 1, 2
        ) AS z
        ORDER BY section_id, zip5 IS NULL, n DESC, zip5
        """,  # noqa: S608 - fixed SQL; the partition name is an integer
        [section_ids],
    ):
        if zip5 and 4 * n >= total:
            figures[section_id].place = zip5


def _same_signers_elsewhere(petition: Petition, figures: dict[int, SectionFigures]) -> None:
    """Lines of one voter on sections of different circulators the same day: from the voters
    who signed more than once (their later lines are duplicates), then all their lines."""
    rows = _fetch(
        f"""
        WITH repeaters AS (
            SELECT DISTINCT voter_registrant_id FROM petitions_line
            WHERE petition_id = %s AND status = 'duplicate' AND voter_registrant_id <> ''
        ), signed AS (
            SELECT l.section_id, l.voter_registrant_id AS voter, l.date_signed,
                   {circulator_key_sql("s")} AS circulator
            FROM petitions_line l JOIN repeaters r USING (voter_registrant_id)
            JOIN petitions_section s ON s.id = l.section_id
            WHERE l.petition_id = %s AND l.date_signed IS NOT NULL
        )
        SELECT a.section_id, b.section_id, count(*)
        FROM signed a JOIN signed b ON a.voter = b.voter AND a.date_signed = b.date_signed
            AND a.circulator <> b.circulator
        GROUP BY 1, 2
        """,  # noqa: S608 - fixed SQL
        [petition.pk, petition.pk],
    )
    rows = [(a, b, n) for a, b, n in rows if a in figures and b in figures]
    _places(sorted({a for a, _, _ in rows} | {b for _, b, _ in rows}), figures)
    for section_id, other_id, n in rows:
        here, there = figures[section_id], figures[other_id]
        # In different places: unless both were mostly circulated in one and the same ZIP.
        if not (here.place and here.place == there.place):
            here.elsewhere[other_id] = int(n)


def campaign_rates(figures: dict[int, SectionFigures]) -> Rates:
    decided = sum(f.decided for f in figures.values())
    invalid = sum(f.invalid for f in figures.values())
    gone = sum(f.gone for f in figures.values())
    pairs = sum(f.rid_pairs for f in figures.values())
    steps = sum(f.rid_steps for f in figures.values())
    circulators: dict[str, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for f in figures.values():
        d, i = circulators[f.circulator]
        circulators[f.circulator] = (d + f.decided, i + f.invalid)
    return Rates(
        invalid=invalid / decided if decided else 0.0,
        gone=gone / decided if decided else 0.0,
        roll_step=steps / pairs if pairs else 0.0,
        circulators=dict(circulators),
    )


# Each reason in words (read in the reader's language when shown), by its text key.
REASON_TEXTS: dict[str, Any] = {
    "roll_order": _(
        "Signers in the voter roll's own order: %(steps)s of %(pairs)s consecutive signers are "
        "1 to %(step)s registrant ids apart (%(base)s%% of the campaign's are), %(up)s of "
        "%(moves)s steps go one way; by chance: p = %(p).1e."
    ),
    "zip_order": _(
        "Signers in ZIP order: %(up)s of %(moves)s changes of ZIP between consecutive signers go "
        "one way; by chance: p = %(p).1e."
    ),
    "name_order": _(
        "Signers in alphabetical order: %(up)s of %(moves)s changes of surname between "
        "consecutive signers go one way; by chance: p = %(p).1e."
    ),
    "few_mistakes": _(
        "Not enough mistakes: %(invalid)s invalid of %(decided)s decided lines where "
        "%(expected)s%% were expected (the campaign's rate, or half of it at least); by "
        "chance: p = %(p).1e."
    ),
    "few_mistakes_circulator": _(
        "Not enough mistakes, across the circulator's sections: %(invalid)s invalid of "
        "%(decided)s decided lines (this section: %(here)s of %(here_decided)s) where at least "
        "%(floor)s%% (half the campaign's rate) were expected; by chance: p = %(p).1e."
    ),
    "same_day": _(
        "Every one of the %(dated)s dated lines was signed on %(day)s, though the circulator "
        "declares %(days)s days of circulation (%(start)s to %(end)s)."
    ),
    "outside_dates": _(
        "%(outside)s of %(dated)s dated lines fall outside the declared circulation "
        "(%(start)s to %(end)s): signed %(first)s to %(last)s."
    ),
    "gone_before": _(
        "Signers gone before they signed: %(gone)s of %(decided)s decided lines are cancelled "
        "registrations or voters registered at another address before the date signed "
        "(%(base)s%% of the campaign's lines are); by chance: p = %(p).1e."
    ),
    "same_signer": _(
        "%(shared)s signers of this section signed, the same day, a section of another "
        "circulator elsewhere (sections %(others)s)."
    ),
    "bad_night": _(
        "One bad night: %(invalid)s invalid of %(decided)s decided lines, where this "
        "circulator's other sections run at %(rate)s%% invalid (%(others)s lines); by chance: "
        "p = %(p).1e."
    ),
    "few_mistakes_own": _(
        "Not enough mistakes: %(invalid)s invalid of %(decided)s decided lines where "
        "%(expected)s%% were expected (this circulator's other sections); by chance: "
        "p = %(p).1e."
    ),
}


def _chance(pattern: str, p: float, text: str, figures: dict[str, Any]) -> Reason:
    return {"pattern": pattern, "weight": round(weight(p), 2), "p": p, "text": text,
            "figures": _plain(figures)}  # fmt: skip


def _fact(pattern: str, points: float, text: str, figures: dict[str, Any]) -> Reason:
    return {"pattern": pattern, "weight": round(min(MAX_FACT, points), 2), "p": None,
            "text": text, "figures": _plain(figures)}  # fmt: skip


def _plain(figures: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in figures.items()}


def reason_text(reason: Reason) -> str:
    """A reason in words with its figures, in the active language."""
    return str(REASON_TEXTS[reason["text"]]) % reason["figures"]


def roll_order(f: SectionFigures, rates: Rates) -> Reason | None:
    """Signers in the roll's own order: consecutive lines are voters whose registrant ids are
    1 to 3 apart more often than the campaign's lines are (at least ROLL_BASE_FLOOR: a
    household signs together), or the ids run one way. Flagged below ORDER_P."""
    if f.rid_pairs < ORDER_MIN_PAIRS:
        return None
    base = max(rates.roll_step, ROLL_BASE_FLOOR)
    p_steps = binomial_at_least(f.rid_steps, f.rid_pairs, base)
    p_run = ordered_run(f.rid_moves, f.rid_up) if f.rid_moves >= ORDER_MIN_PAIRS else 1.0
    p = min(p_steps, p_run)
    if p >= ORDER_P:
        return None
    return _chance(
        Pattern.ROLL_ORDER,
        p,
        "roll_order",
        {
            "steps": f.rid_steps,
            "pairs": f.rid_pairs,
            "step": ROLL_STEP,
            "base": round(100 * rates.roll_step, 1),
            "up": max(f.rid_up, f.rid_moves - f.rid_up),
            "moves": f.rid_moves,
            "p": p,
        },
    )


def zip_order(f: SectionFigures) -> Reason | None:
    """Signers in ZIP order: where consecutive signers' ZIPs differ, they rise (or fall) far
    more often than a random order does (Eulerian ascents). Flagged below ORDER_P."""
    return _sorted_by(Pattern.ZIP_ORDER, "zip_order", f.zip_moves, f.zip_up)


def name_order(f: SectionFigures) -> Reason | None:
    """Signers in alphabetical order of their surnames (as the roll spells them): the same
    test as ZIP order. Flagged below ORDER_P."""
    return _sorted_by(Pattern.NAME_ORDER, "name_order", f.name_moves, f.name_up)


def _sorted_by(pattern: str, text: str, moves: int, up: int) -> Reason | None:
    """A list sorted by one key: of the `moves` consecutive pairs whose key differs, `up` rise."""
    if moves < ORDER_MIN_PAIRS:
        return None
    p = ordered_run(moves, up)
    if p >= ORDER_P:
        return None
    return _chance(pattern, p, text, {"up": max(up, moves - up), "moves": moves, "p": p})


def _others(f: SectionFigures, rates: Rates) -> tuple[int, int]:
    """The circulator's decided and invalid lines on their other sections."""
    decided, invalid = rates.circulators.get(f.circulator, (0, 0))
    return decided - f.decided, invalid - f.invalid


def few_mistakes(f: SectionFigures, rates: Rates) -> Reason | None:
    """Not enough mistakes: far fewer invalid lines than expected. The expected share is the
    circulator's other sections' (from OWN_RATE_MIN_LINES decided lines), else the campaign's,
    and never under half the campaign's (no honest circulator avoids signers who are not
    registered, moved or signed twice). A section of FEW_MISTAKES_MIN_LINES decided lines is
    flagged when P(so few) < FEW_MISTAKES_P; or the circulator's lines together (at least
    FEW_MISTAKES_CIRCULATOR_MIN) against half the campaign's share fall below
    FEW_MISTAKES_CIRCULATOR_P, for each of their sections under that share."""
    if not f.circulator or f.decided < FEW_MISTAKES_MIN_LINES or rates.invalid <= 0:
        return None
    floor = MISTAKES_FLOOR * rates.invalid
    others_decided, others_invalid = _others(f, rates)
    own = others_invalid / others_decided if others_decided >= OWN_RATE_MIN_LINES else None
    expected = max(floor, own if own is not None else rates.invalid)
    p = binomial_at_most(f.invalid, f.decided, expected)
    if p < FEW_MISTAKES_P:
        text = "few_mistakes_own" if own is not None and own >= floor else "few_mistakes"
        return _chance(
            Pattern.FEW_MISTAKES,
            p,
            text,
            {
                "invalid": f.invalid,
                "decided": f.decided,
                "expected": round(100 * expected, 1),
                "p": p,
            },
        )
    decided, invalid = rates.circulators.get(f.circulator, (0, 0))
    if decided < FEW_MISTAKES_CIRCULATOR_MIN or f.invalid >= floor * f.decided:
        return None
    p = binomial_at_most(invalid, decided, floor)
    if p >= FEW_MISTAKES_CIRCULATOR_P:
        return None
    return _chance(
        Pattern.FEW_MISTAKES,
        p,
        "few_mistakes_circulator",
        {
            "invalid": invalid,
            "decided": decided,
            "here": f.invalid,
            "here_decided": f.decided,
            "floor": round(100 * floor, 1),
            "p": p,
        },
    )


def same_day(f: SectionFigures) -> Reason | None:
    """Every line dated the same day although the declaration spans several: at least
    SAME_DAY_MIN_LINES dated lines, declared over SAME_DAY_DECLARED_SPAN days or more (a fact,
    SAME_DAY_POINTS a line)."""
    if f.dated < SAME_DAY_MIN_LINES or f.days != 1 or not f.circulated_from or not f.circulated_to:
        return None
    span = (f.circulated_to - f.circulated_from).days
    if span < SAME_DAY_DECLARED_SPAN:
        return None
    return _fact(
        Pattern.SAME_DAY,
        SAME_DAY_POINTS * f.dated,
        "same_day",
        {
            "dated": f.dated,
            "day": f.first_day,
            "days": span + 1,
            "start": f.circulated_from,
            "end": f.circulated_to,
        },
    )


def outside_dates(f: SectionFigures) -> Reason | None:
    """Lines dated before or after the circulation dates the circulator declared (a fact,
    OUTSIDE_POINTS a line)."""
    if not f.outside:
        return None
    return _fact(
        Pattern.OUTSIDE_DATES,
        OUTSIDE_POINTS * f.outside,
        "outside_dates",
        {
            "outside": f.outside,
            "dated": f.dated,
            "start": f.circulated_from or "?",
            "end": f.circulated_to or "?",
            "first": f.first_day,
            "last": f.last_day,
        },
    )


def gone_before(f: SectionFigures, rates: Rates) -> Reason | None:
    """Signers whose registration was cancelled, or who were registered at another address
    since before the day they signed (the roll's registration date, when the line has a date),
    far more often than the campaign's lines (at least GONE_BASE_FLOOR): signatures copied from
    an old list. Flagged below GONE_P, with at least GONE_MIN such lines."""
    if f.gone < GONE_MIN or not f.decided:
        return None
    base = max(rates.gone, GONE_BASE_FLOOR)
    p = binomial_at_least(f.gone, f.decided, base)
    if p >= GONE_P:
        return None
    return _chance(
        Pattern.GONE_BEFORE,
        p,
        "gone_before",
        {"gone": f.gone, "decided": f.decided, "base": round(100 * rates.gone, 1), "p": p},
    )


def same_signer(f: SectionFigures, serials: dict[int, int]) -> Reason | None:
    """The same voters on sections of other circulators the same day, in another place (not
    both circulated mostly in one ZIP: _places): ELSEWHERE_MIN lines or more (ELSEWHERE_POINTS
    each)."""
    shared = sum(f.elsewhere.values())
    if shared < ELSEWHERE_MIN:
        return None
    others = ", ".join(str(serials[s]) for s in sorted(f.elsewhere, key=lambda s: serials[s]))
    return _fact(
        Pattern.SAME_SIGNER,
        ELSEWHERE_POINTS * shared,
        "same_signer",
        {"shared": shared, "others": others},
    )


def bad_night(f: SectionFigures, rates: Rates) -> Reason | None:
    """One bad night: a section far more invalid than the circulator's other sections (at least
    BAD_NIGHT_OTHERS_MIN decided lines there): P(this many invalid at their rate) < BAD_NIGHT_P
    and BAD_NIGHT_GAP (30 points) worse."""
    if f.decided < BAD_NIGHT_MIN_LINES or not f.circulator:
        return None
    others_decided, others_invalid = _others(f, rates)
    if others_decided < BAD_NIGHT_OTHERS_MIN:
        return None
    rate = others_invalid / others_decided
    if f.invalid / f.decided - rate < BAD_NIGHT_GAP:
        return None
    p = binomial_at_least(f.invalid, f.decided, max(rate, 0.01))
    if p >= BAD_NIGHT_P:
        return None
    return _chance(
        Pattern.BAD_NIGHT,
        p,
        "bad_night",
        {
            "invalid": f.invalid,
            "decided": f.decided,
            "rate": round(100 * rate, 1),
            "others": others_decided,
            "p": p,
        },
    )


def reasons_for(f: SectionFigures, rates: Rates, serials: dict[int, int]) -> list[Reason]:
    found = [
        roll_order(f, rates), zip_order(f), name_order(f), few_mistakes(f, rates), same_day(f),
        outside_dates(f), gone_before(f, rates), same_signer(f, serials), bad_night(f, rates),
    ]  # fmt: skip
    return sorted((r for r in found if r), key=lambda r: -r["weight"])


def score_sections(figures: dict[int, SectionFigures]) -> list[Suspect]:
    """Every section with a reason, highest score first (then serial)."""
    rates = campaign_rates(figures)
    serials = {f.section_id: f.serial for f in figures.values()}
    suspects: list[Suspect] = []
    for f in figures.values():
        reasons = reasons_for(f, rates, serials)
        if not reasons:
            continue
        suspects.append({
            "section_id": f.section_id, "serial": f.serial, "circulator": f.circulator_name,
            "lines": f.lines, "decided": f.decided, "invalid": f.invalid,
            "score": round(sum(r["weight"] for r in reasons), 2), "reasons": reasons,
            "held": f.held, "filed_on": f.filed_on.isoformat() if f.filed_on else None,
        })  # fmt: skip
    suspects.sort(key=lambda s: (-s["score"], s["serial"]))
    return suspects


def _cache_key(petition: Petition) -> str:
    return f"petitions:suspects:v1:{petition.pk}:{petition.created_at.timestamp()}"


def suspect_sections(petition: Petition, *, refresh: bool = False) -> dict[str, Any]:
    """The petition's suspect sections (cached SUSPECTS_TTL s): {computed_at, sections}. The
    held and filed marks are read afresh on every call (they change under the cache)."""
    cached: dict[str, Any] | None = None if refresh else cache.get(_cache_key(petition))
    if cached is None:
        cached = {
            "computed_at": timezone.now().isoformat(timespec="seconds"),
            "sections": score_sections(section_figures(petition)),
        }
        cache.set(_cache_key(petition), cached, SUSPECTS_TTL)
    shown = [s["section_id"] for s in cached["sections"]]
    marks = {
        pk: (held, filed)
        for pk, held, filed in Section.objects.filter(petition=petition, pk__in=shown).values_list(
            "pk", "held_at", "filed_on"
        )
    }
    for s in cached["sections"]:
        held, filed = marks.get(s["section_id"], (None, None))
        s["held"], s["filed_on"] = held is not None, filed.isoformat() if filed else None
    return cached


SUSPECTS_CSV_HEADER = ("section", "circulator", "lines", "decided", "invalid", "score", "held",
                       "filed_on", "patterns", "reasons")  # fmt: skip


def suspects_csv_rows(suspects: list[Suspect]) -> list[list[Any]]:
    rows: list[list[Any]] = [list(SUSPECTS_CSV_HEADER)]
    for s in suspects:
        rows.append([
            s["serial"], s["circulator"], s["lines"], s["decided"], s["invalid"], s["score"],
            "yes" if s["held"] else "no", s["filed_on"] or "",
            ";".join(r["pattern"] for r in s["reasons"]),
            " | ".join(reason_text(r) for r in s["reasons"]),
        ])  # fmt: skip
    return rows


def as_csv(suspects: list[Suspect]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(suspects_csv_rows(suspects))
    return out.getvalue()


class RollOrderSection(TypedDict):
    serial: int
    circulator: str
    pairs: int
    in_roll_order: int


def roll_order_sections(petition_id: int) -> list[RollOrderSection]:
    """The dashboard's short list: sections whose consecutive lines are voters with consecutive
    registrant ids (1 to 3 apart, the order a roll lists them in) in half their pairs or more.
    Read from the lines alone, without touching the roll; the suspect list (roll_order) tests
    the same against chance."""
    rows = _fetch(
        """
        SELECT serial, circulator_name, count(*) FILTER (WHERE prev_rid IS NOT NULL),
               count(*) FILTER (WHERE rid - prev_rid BETWEEN 1 AND %s)
        FROM (
            SELECT l.section_id, l.voter_registrant_id::bigint AS rid,
                   lag(l.voter_registrant_id::bigint)
                       OVER (PARTITION BY l.section_id ORDER BY l.number) AS prev_rid
            FROM petitions_line l
            WHERE l.petition_id = %s AND l.voter_registrant_id ~ '^[0-9]{1,18}$'
        ) AS paired
        JOIN petitions_section s ON s.id = paired.section_id
        GROUP BY serial, circulator_name
        HAVING count(*) FILTER (WHERE prev_rid IS NOT NULL) >= 4
        ORDER BY serial
        """,
        [ROLL_STEP, petition_id],
    )
    return [
        {"serial": serial, "circulator": name, "pairs": pairs, "in_roll_order": ordered}
        for serial, name, pairs, ordered in rows
        if ordered >= ROLL_ORDER_SHARE * pairs
    ]
