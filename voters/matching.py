"""Finding voter candidates for a batch of petition lines: set-based blocking in Postgres.

Each pass is one query over the whole batch (lines passed as arrays and unnested), never a query
per line, and runs only for the lines the earlier passes left without a clear match:

1. ``address_pass``: everyone registered at the line's house number and street (households,
   buildings) whose name could be the line's;
2. ``surname_at_number_pass``: the line's surname at its house number on any street (a misspelt
   street, or one written without its type);
3. ``name_pass``: the line's surname (each reading of it) and given name anywhere in the county,
   and the same with first and last name swapped (moved voters); capped per name. Then, for a
   line it found nothing good for, again with the name's letters cut elsewhere
   (``readings=True``: "TeresaJ ohnson" is TERESA JOHNSON; at the address, "ADRIAN AROJAS" is
   ADRIANA ROJAS MONTOYA), the readings' surnames resolved first on the roll's distinct surnames;
   ``street_pass``: for a line with a street and no house number that the name pass did not
   find, the residents of the street in its place whose surname starts like a written word;
   ``house_misread_pass``: the line's surname on its street at a house number a digit off;
   ``given_typo_pass``: the line's (rare enough) surname anywhere with a given name within two
   edits of a written one that is no name of its own (a mover's mistyped name);
   ``street_typo_pass``: at its house number on a street starting with the same four letters;
   ``near_address_pass``: at its house number on a street one typo off anywhere (looked up
   among the roll's streets), and on its street at a house number one digit misread, whatever
   the surname (the surname passes leave common ones out);
4. ``surname_variant_pass``: surnames sharing the line's first part (compound surnames written in
   part) or sound (misspellings), resolved on the roll's table of distinct surnames, then by name;
5. ``trigram_pass``: surnames spelt too differently for the above (pg_trgm on the distinct
   surnames).

``find_candidates`` is the driver that runs them in this order. ``household_pass`` runs after
it, from petitions.validation.batch, which knows the lines signed together: the line's surname at
the addresses where its co-signers' voters are registered (a household that moved).
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings

from matching.compare import (
    COMPOUND,
    DIFFERENT,
    EXACT,
    MATCH,
    Agreement,
    Candidate,
    LineKeys,
    compare,
)
from matching.decide import NAME_CHANCE, RARE_NAME, WEAK, Couple, InPlace
from matching.handwriting import digit_misreadings, digit_readings, shape_readings
from matching.names import RESPLIT_MAX, first_key, resplit_readings
from matching.nicknames import nickname_canon
from matching.places import county_places, place_zips
from matching.spelling import known_given_name
from matching.text import name_key, one_edit_spellings
from recall.db_router import read_connection

NAME_CAP = 6  # more than RARE_NAME: enough to know a name is common without fetching them all
GIVEN_MAX = 12  # letters of a given name and middle initial the readings pass looks up
SURNAME_AT_NUMBER_MAX = 1000  # voters of a surname the surname-at-house-number pass will read
MOVER = 0.9  # matching.decide's person score for a namesake elsewhere

_COLUMNS = """
    v.registrant_id, v.first_name, v.middle_name, v.last_name, v.name_suffix, v.house_number,
    concat_ws(' ', v.house_number || CASE WHEN v.house_fraction <> '' THEN ' '
              || v.house_fraction ELSE '' END, nullif(v.street_predir, ''), v.street_name,
              nullif(v.street_type, ''), nullif(v.street_postdir, '')),
    v.unit_number, v.city, v.zip5, v.status, v.registration_date, v.last_key, v.first_key,
    v.first_canon, v.street_key, v.city_key, v.county_code, v.attribute_set
"""


@dataclass
class Found:
    candidates: dict[int, dict[str, Candidate]]
    name_counts: dict[int, int]
    places: dict[str, set[str]]
    lines: dict[int, LineKeys]
    # Each (line, voter) pair is graded once, when the voter is first found for the line.
    agreements: dict[int, dict[str, Agreement]]
    # How many voters of the line's name chance alone would give (name_chance_pass).
    name_chances: dict[int, float] = field(default_factory=dict)
    # The one voter of the line's common name registered in its place (place_pass).
    in_place: dict[int, InPlace] = field(default_factory=dict)

    def matched_here(self, line_id: int, at_least: float = MATCH) -> bool:
        """A voter registered at the line's address matches it at least this well."""
        return any(a.at_address and a.person >= at_least for a in self.agreements[line_id].values())

    def facts(self, line_id: int) -> dict[str, Any]:
        """What matching.decide weighs beside a line's candidates, as the passes found it: how
        many voters bear its name, the roll's places, its name's chance, the one bearer in its
        place (the batch and every replay of a decision pass the same)."""
        return {
            "name_count": self.name_counts.get(line_id, 0), "places": self.places,
            "name_chance": self.name_chances.get(line_id), "in_place": self.in_place.get(line_id),
        }  # fmt: skip

    def ranked(self, line_id: int) -> list[Agreement]:
        # Best first; equal scores by voter id, so that the order (and the reason that names
        # the candidates) does not depend on which pass found whom first.
        return sorted(
            self.agreements[line_id].values(),
            key=lambda a: (-a.person, a.candidate.registrant_id),
        )


_T = TypeVar("_T")


def _per_roll(cache: dict[Any, tuple[Any, Any]], key: Hashable, roll_id: int,
              load: Callable[[], _T]) -> _T:  # fmt: skip
    """What load reads of a roll, cached per process under key until a county of the roll is
    replaced (a roll by county's places, streets and names change then,
    voters.services.voter_roll_county_replace; a roll's own never do)."""
    version = _county_version(roll_id)
    cached = cache.get(key)
    if cached is None or cached[0] != version:
        cached = cache[key] = (version, load())
    value: _T = cached[1]
    return value


_places_cache: dict[tuple[int, str], tuple[Any, dict[str, set[str]]]] = {}


def _county_version(roll_id: int) -> Any:
    """When a county of the roll was last replaced (None if never): what the per-process caches
    of a roll's places and streets are checked against. One look-up of at most 58 rows by the
    (roll, county) key."""
    return _fetch(
        "SELECT max(replaced_at) FROM voters_voterrollcounty WHERE roll_id = %s", [roll_id]
    )[0][0]


def roll_places(roll_id: int) -> dict[str, set[str]]:
    """Place names -> ZIPs for a roll, with the county's place files (settings.MATCHING_PLACES)
    (cached per process, _per_roll)."""
    folder = str(settings.MATCHING_PLACES)

    def load() -> dict[str, set[str]]:
        with read_connection().cursor() as cursor:
            cursor.execute(
                "SELECT city_key, zip5 FROM voters_voterplace WHERE roll_id = %s", [roll_id]
            )
            pairs = cursor.fetchall()
        return place_zips(pairs, county_places(folder))

    return _per_roll(_places_cache, (roll_id, folder), roll_id, load)


_streets_cache: dict[int, tuple[Any, frozenset[str]]] = {}


def roll_streets(roll_id: int) -> frozenset[str]:
    """The roll's street keys (near_streets looks a written one's typos up among them). Read by
    a loose scan of the address index, one descent per street; cached per process (_per_roll:
    a state's few hundred thousand streets, some tens of MB)."""

    def load() -> frozenset[str]:
        rows = _fetch(
            f"""
            WITH RECURSIVE s(key) AS (
                SELECT min(street_key) FROM {_partition(roll_id)}
                UNION ALL
                SELECT (SELECT min(street_key) FROM {_partition(roll_id)} WHERE street_key > s.key)
                FROM s WHERE s.key IS NOT NULL
            )
            SELECT key FROM s WHERE key IS NOT NULL AND key <> ''
            """,  # noqa: S608 - the partition's name is built from an integer
            [],
        )
        return frozenset(key for (key,) in rows)

    return _per_roll(_streets_cache, roll_id, roll_id, load)


def _counts(sql: str, params: list[Any]) -> tuple[dict[str, int], int]:
    """(key -> voters, all of them) from rows of a key and a count."""
    counts = dict(_fetch(sql, params))
    return counts, sum(counts.values())


_given_cache: dict[int, tuple[Any, tuple[dict[str, int], int]]] = {}


def roll_given_names(roll_id: int) -> tuple[dict[str, int], int]:
    """The roll's voters per given name (nicknames folded), and all its voters: how common the
    parts of a name are (name_chance_pass). One pass over the roll, cached per process
    (_per_roll: a state's roll, a few hundred thousand names)."""
    sql = f"SELECT first_canon, count(*) FROM {_partition(roll_id)} GROUP BY first_canon"  # noqa: S608
    return _per_roll(_given_cache, roll_id, roll_id, lambda: _counts(sql, []))


_KEY_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"  # what a street key is made of


def near_streets(streets: frozenset[str], key: str) -> set[str]:
    """The roll's streets one typo from the written key (matching.text.one_edit_spellings:
    about 800 spellings of a key of ten letters, looked up). A key of fewer than
    MIN_NEAR_STREET letters has too many such neighbours to be read this way."""
    if len(key) < MIN_NEAR_STREET:
        return set()
    return one_edit_spellings(key, _KEY_LETTERS) & streets


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    # The primary, except for a read that may be stale (the live hint: recall/db_router.py).
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _add(found: Found, rows: list[tuple[Any, ...]], pass_name: str) -> None:
    for line_id, *values in rows:
        per_line = found.candidates[line_id]
        candidate = per_line.get(values[0])
        if candidate is None:
            candidate = per_line[values[0]] = Candidate(*values)
            found.agreements[line_id][values[0]] = compare(
                found.lines[line_id], candidate, found.places
            )
        candidate.passes.add(pass_name)


def voter_candidate(roll_id: int, registrant_id: str) -> Candidate | None:
    """One voter of a roll as the scoring reads voters (a reviewer's pick)."""
    rows = _fetch(
        f"SELECT {_COLUMNS} FROM voters_voter v WHERE v.roll_id = %s AND v.registrant_id = %s",  # noqa: S608
        [roll_id, registrant_id],
    )
    return Candidate(*rows[0]) if rows else None


def _unresolved(found: Found, lines: dict[int, LineKeys]) -> list[int]:
    """Lines with no candidate that is clearly them at their address."""
    return [line_id for line_id in lines if not found.matched_here(line_id)]


def _household_here(agreements: Iterable[Agreement]) -> bool:
    return any(a.at_address and a.surname in (EXACT, COMPOUND) for a in agreements)


def _misread_here(agreements: Iterable[Agreement]) -> bool:
    return any(a.misread and a.person >= MATCH for a in agreements)


def _surname_readings(keys: LineKeys) -> set[str]:
    readings = set(keys.last_keys)
    for option in keys.last_options:
        readings.update(name_key(part) for part in option.split())
    if keys.first:
        readings.add(name_key(keys.first))
    return {r for r in readings if len(r) > 1}


def _prefixes(keys: LineKeys) -> set[str]:
    """Two-letter starts of every word of the printed name (swapped order, compound parts), also
    with its first two letters swapped back (a typo at its start) or its first letter left out
    (a space shifted), and the first letter alone of the surname's first word and of the first
    word (a typo in its second letter)."""
    words = [keys.first, keys.middle, *(w for o in keys.last_options for w in o.split())]
    found = {w[:2] for w in words if len(w) > 1}
    found.update(w[1] + w[0] for w in words if len(w) > 3)  # EWLLS for WELLS, OLPEZ for LOPEZ
    # A letter of the word before run onto it ("Davi dForddgood", "Adria nPone"): the surname,
    # perhaps misspelt too, starts at its second letter (compare reads the letters again).
    found.update(w[1:3] for w in words if len(w) > 4)
    found.update(o.split()[0][0] for o in keys.last_options if o.split())
    if len(keys.first) > 1:
        found.add(keys.first[0])  # the surname written first, with a typo in its second letter
    found.update(_shape_prefixes(words))
    return found


def _shape_prefixes(words: list[str]) -> set[str]:
    """The starts of the words with a handwriting confusion read back at their start (5ILVA,
    HOVAK for NOVAK, CLIAZ for DIAZ)."""
    return {r[:2] for w in words if len(w) > 1 for r in shape_readings(w) if r[:2] != w[:2]}


def voters_named(roll_id: int, names: set[tuple[str, str]]) -> dict[tuple[str, str], set[str]]:
    """The voters of each name ((last_key, first_canon)): read from the name index alone."""
    if not names:
        return {}
    ordered = sorted(names)
    rows = _fetch(
        f"""
        SELECT n.last_key, n.first_canon, v.registrant_id
        FROM unnest(%s::text[], %s::text[]) AS n(last_key, first_canon)
        JOIN voters_voter_roll_{int(roll_id)} v
            ON v.last_key = n.last_key AND v.first_canon = n.first_canon
        """,  # noqa: S608
        [[n[0] for n in ordered], [n[1] for n in ordered]],
    )
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for last_key, first_canon, registrant_id in rows:
        found[(last_key, first_canon)].add(registrant_id)
    return found


def voter_names(roll_id: int, registrant_ids: set[str]) -> set[tuple[str, str]]:
    """The names ((last_key, first_canon)) of these voters."""
    if not registrant_ids:
        return set()
    # With the roll id, one probe each into the roll partition's primary key (roll_id,
    # registrant_id); without it, no index leads with registrant_id: the whole roll is read.
    rows = _fetch(
        """
        SELECT v.last_key, v.first_canon FROM unnest(%s::text[]) AS r(registrant_id)
        JOIN voters_voter v ON v.roll_id = %s AND v.registrant_id = r.registrant_id
        """,
        [sorted(registrant_ids), roll_id],
    )
    return {(last_key, first_canon) for last_key, first_canon in rows}


def found_start(roll_id: int, lines: dict[int, LineKeys]) -> Found:
    """An empty search over these lines, which the blocking passes fill."""
    return Found(defaultdict(dict), {}, roll_places(roll_id), lines, defaultdict(dict))


def find_candidates(roll_id: int, lines: dict[int, LineKeys]) -> Found:
    """Candidates per line id for lines of one batch, against one roll: each pass runs only for
    the lines the earlier ones left without a clear match."""
    found = found_start(roll_id, lines)
    # A line missing its house number or its street is still looked up by name (see
    # matching.decide: it stays incomplete, linked to its voter when the rest agrees).
    usable = {
        i: k for i, k in lines.items() if k.has_name and (k.house_number or k.street_key)
    }  # fmt: skip
    if not usable:
        return found
    address_pass(found, roll_id, [i for i, k in usable.items() if k.has_address])
    open_ids = _unresolved(found, usable)
    if open_ids:
        surname_at_number_pass(found, roll_id, [i for i in open_ids if usable[i].house_number])
        open_ids = _unresolved(found, usable)
    if open_ids:
        name_pass(found, roll_id, open_ids)
        misread = _misread(found, open_ids)
        if misread:
            name_pass(found, roll_id, misread, readings=True)
    # A line with a street and no house number whose name the name pass did not find: along
    # its street (a typo in the name).
    street_pass(found, roll_id, [
        i for i in open_ids if not usable[i].house_number
        and not any(a.person >= MATCH for a in found.agreements[i].values())
    ])  # fmt: skip
    # A line whose household is registered at its address (same surname) is a relative or a
    # misspelling there, not a voter registered elsewhere under a variant of the name.
    asked = set(open_ids)
    still_open = [
        i
        for i in _unresolved(found, usable)
        if i in asked and not _household_here(found.agreements[i].values())
    ]
    if still_open:
        house_misread_pass(found, roll_id, still_open)
        still_open = [i for i in still_open if not _misread_here(found.agreements[i].values())]
    typo_open = [
        i for i in still_open if not any(a.person >= MOVER for a in found.agreements[i].values())
    ]  # fmt: skip
    if typo_open:
        given_typo_pass(found, roll_id, typo_open)
    if still_open:
        at_address = [i for i in still_open if usable[i].has_address]
        street_typo_pass(found, roll_id, at_address)
        near_address_pass(found, roll_id, at_address)
        unresolved = set(_unresolved(found, {i: usable[i] for i in still_open}))
        still_open = [i for i in still_open if i in unresolved]
    if still_open:
        surname_variant_pass(found, roll_id, still_open)
    last_open = [i for i in still_open if not found.candidates[i]]
    if last_open:
        trigram_pass(found, roll_id, last_open)
    name_chance_pass(found, roll_id)
    place_pass(found, roll_id)
    return found


def address_pass(found: Found, roll_id: int, line_ids: list[int]) -> None:
    """Residents of the line's house number and street whose surname starts like a word of the
    printed name, or who share its given name: an apartment building's hundred other residents
    are not fetched."""
    keys = [found.lines[i] for i in line_ids]
    prefixes = ["|".join(sorted(_prefixes(k))) for k in keys]
    _add(found, _fetch(
        f"""
        SELECT l.line_id, {_COLUMNS}
        FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[],
                    %s::text[], %s::text[])
            AS l(line_id, street_key, street_alt, house_number, prefixes, first_canon, first_key,
                 given_start)
        JOIN voters_voter v ON v.roll_id = %s
                           AND v.street_key = ANY(ARRAY[l.street_key, nullif(l.street_alt, '')])
                           AND v.house_number = l.house_number
        WHERE left(v.last_key, 2) = ANY(string_to_array(l.prefixes, '|'))
           OR left(v.last_key, 1) = ANY(string_to_array(l.prefixes, '|'))
           OR v.first_canon = l.first_canon OR v.first_key = l.first_key
           OR left(v.first_key, 1) = nullif(l.given_start, '')
        """,  # noqa: S608 - fixed SQL, values are parameters
        [line_ids, [k.street_key for k in keys], [k.street_alt for k in keys],
         [k.house_number for k in keys], prefixes,
         [_given_canon(k) for k in keys], [k.first or k.last_key for k in keys],
         [_one_name_start(k) for k in keys], roll_id],
    ), "address")  # fmt: skip


def _one_name_start(keys: LineKeys) -> str:
    """The first letter of a line of one name only: the residents whose given name starts with
    it are fetched too ("Chlgoe" for CHLOE GROSVENOR, a typo in a given name written alone)."""
    return "" if keys.first or keys.middle else keys.last_key[:1]


def _given_canon(keys: LineKeys) -> str:
    """The line's given name's blocking key; a line of one name only ("Elijah") is also
    looked up by it as a given name (matching.decide links it to the one voter it fits)."""
    if keys.first or keys.middle:
        return keys.first_canon
    return nickname_canon(keys.last_key)


def surname_at_number_pass(found: Found, roll_id: int, line_ids: list[int]) -> None:
    """This surname (any reading, or the first name if swapped), or a compound surname it
    starts (LUCERO for LUCERO RODRIGUEZ), at this house number, on any street: finds the
    household when the street is misspelt or written without its type."""
    pairs = [
        (i, key, found.lines[i].house_number)
        for i in line_ids
        for key in _surname_readings(found.lines[i])
    ]
    _add(found, _fetch(
        f"""
        WITH written AS MATERIALIZED (
            SELECT l.line_id, l.last_key, l.house_number, w.voters
            FROM unnest(%s::bigint[], %s::text[], %s::text[])
                AS l(line_id, last_key, house_number)
            LEFT JOIN voters_votersurname w ON w.roll_id = %s AND w.last_key = l.last_key
        ), readings AS MATERIALIZED (
            -- Rare enough surnames only, decided first: the scan reads every voter of one.
            SELECT l.line_id, l.last_key, l.house_number FROM written l
            WHERE l.voters <= {SURNAME_AT_NUMBER_MAX}
            UNION ALL
            -- The compound surnames a rare one starts (LUCERO RODRIGUEZ for LUCERO), not a
            -- common one's (GARCIA heads hundreds: each read at every line).
            SELECT l.line_id, s.last_key, l.house_number FROM written l
            JOIN voters_votersurname s ON s.roll_id = %s AND s.last_head = l.last_key
                                      AND s.last_key <> l.last_key
                                      AND s.voters <= {SURNAME_AT_NUMBER_MAX}
            WHERE coalesce(l.voters, 0) <= {SURNAME_AT_NUMBER_MAX}
        ), hits AS (
            SELECT r.line_id, v.registrant_id FROM readings r
            JOIN {_partition(roll_id)} v ON v.last_key = r.last_key
                                        AND v.house_number = r.house_number
        )
        SELECT h.line_id, {_COLUMNS} FROM hits h
        JOIN voters_voter v ON v.roll_id = %s AND v.registrant_id = h.registrant_id
        """,  # noqa: S608
        [[p[0] for p in pairs], [p[1] for p in pairs], [p[2] for p in pairs], roll_id, roll_id,
         roll_id],
    ), "surname_at_number")  # fmt: skip


def house_misread_pass(found: Found, roll_id: int, line_ids: list[int]) -> None:
    """This surname (any reading) on the line's street at a house number within two edits of
    the written one (matching.handwriting.digit_misread decides which are a digit misread):
    1247 written for 1274, 0528 for 6528."""
    pairs = [
        (i, key, found.lines[i].house_number)
        for i in line_ids
        for key in _surname_readings(found.lines[i])
    ]
    streets = {i: (found.lines[i].street_key, found.lines[i].street_alt) for i in line_ids}
    _add(found, _fetch(
        f"""
        WITH readings AS MATERIALIZED (
            -- Rare enough surnames only, as the surname-at-house-number pass.
            SELECT l.line_id, l.last_key, l.house_number, l.street_key, l.street_alt
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])
                AS l(line_id, last_key, house_number, street_key, street_alt)
            JOIN voters_votersurname s ON s.roll_id = %s AND s.last_key = l.last_key
                                      AND s.voters <= {SURNAME_AT_NUMBER_MAX}
        ), hits AS (
            SELECT r.line_id, r.street_key, r.street_alt, v.registrant_id FROM readings r
            JOIN {_partition(roll_id)} v ON v.last_key = r.last_key
            WHERE v.house_number <> r.house_number
              AND abs(length(v.house_number) - length(r.house_number)) <= 1
              AND levenshtein(v.house_number, r.house_number) <= 2
        )
        SELECT DISTINCT h.line_id, {_COLUMNS} FROM hits h
        JOIN voters_voter v ON v.roll_id = %s AND v.registrant_id = h.registrant_id
        WHERE v.street_key = ANY(ARRAY[h.street_key, nullif(h.street_alt, '')])
        """,  # noqa: S608
        [[p[0] for p in pairs], [p[1] for p in pairs], [p[2] for p in pairs],
         [streets[p[0]][0] for p in pairs], [streets[p[0]][1] for p in pairs], roll_id, roll_id],
    ), "house_misread")  # fmt: skip


# The street passes' voter `v` for line `l`: in the line's place (its ZIP, its city, or a ZIP a
# digit off: both written carelessly), of a surname starting like a word of the printed name
# (l.prefixes: _surname_starts) or of its given name.
_NAMED_IN_PLACE = """
    (v.zip5 = l.zip5 OR v.city_key = l.city_key
     OR (l.zip5 <> '' AND levenshtein(v.zip5, l.zip5) = 1))
    AND (left(v.last_key, 2) = ANY(string_to_array(l.prefixes, '|'))
         OR v.first_canon = l.first_canon)
"""


def _surname_starts(keys: LineKeys) -> str:
    """The two-letter starts of the printed name's words (_prefixes), '|'-joined for SQL."""
    return "|".join(sorted(p for p in _prefixes(keys) if len(p) == 2))


STREET_SCAN_MAX = 2000  # voters of one street the street pass reads (a long one: its first)


def street_pass(found: Found, roll_id: int, line_ids: list[int]) -> None:
    """For a line with a street and no house number: residents of that street in its place (ZIP
    or city, the ZIP a digit off) whose surname starts like a word of the printed name or who
    share its given name (matching.decide links the line, incomplete, to the one voter whose
    name it is). The address index read by its street, at most STREET_SCAN_MAX voters of it:
    a long street of a 6M roll holds tens of thousands, and such a line never counts anyway."""
    keys = [found.lines[i] for i in line_ids]
    if not keys:
        return
    _add(found, _fetch(
        f"""
        SELECT l.line_id, c.* FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[],
                                          %s::text[], %s::text[], %s::text[])
            AS l(line_id, street_key, street_alt, prefixes, first_canon, zip5, city_key)
        CROSS JOIN LATERAL (
            SELECT * FROM (
                SELECT {_COLUMNS} FROM {_partition(roll_id)} v
                WHERE v.street_key = ANY(ARRAY[l.street_key, nullif(l.street_alt, '')])
                LIMIT {STREET_SCAN_MAX}
            ) v
            WHERE {_NAMED_IN_PLACE}
            LIMIT {NAME_CAP}
        ) c
        """,  # noqa: S608 - fixed SQL, values are parameters
        [line_ids, [k.street_key for k in keys], [k.street_alt for k in keys],
         [_surname_starts(k) for k in keys], [_given_canon(k) for k in keys],
         [k.zip5 for k in keys], [k.city_key for k in keys]],
    ), "street")  # fmt: skip


STREET_START = 4  # letters of a misspelt street taken as written (BANAMBILS: BANA...)


def street_typo_pass(found: Found, roll_id: int, line_ids: list[int]) -> None:
    """Voters at the line's house number, in its place, on a street starting with the same
    four letters as the written one (BANAMBILS for BANAMBILA, a typo further in), whose surname
    starts like a word of the printed name or who share its given name: the household when both
    the street and the name are misspelt. A range of the address index, read once per line."""
    keys = [found.lines[i] for i in line_ids if len(found.lines[i].street_key) > STREET_START]
    ids = [i for i in line_ids if len(found.lines[i].street_key) > STREET_START]
    if not ids:
        return
    starts = [k.street_key[:STREET_START] for k in keys]
    _add(found, _fetch(
        f"""
        SELECT l.line_id, c.* FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[],
                                          %s::text[], %s::text[], %s::text[], %s::text[])
            AS l(line_id, low, high, house_number, prefixes, first_canon, zip5, city_key)
        CROSS JOIN LATERAL (
            SELECT {_COLUMNS} FROM {_partition(roll_id)} v
            WHERE v.street_key >= l.low AND v.street_key < l.high
              AND v.house_number = l.house_number AND {_NAMED_IN_PLACE}
            LIMIT {NAME_CAP}
        ) c
        """,  # noqa: S608
        [ids, starts, [s[:-1] + chr(ord(s[-1]) + 1) for s in starts],
         [k.house_number for k in keys],
         [_surname_starts(k) for k in keys],
         [k.first_canon for k in keys], [k.zip5 for k in keys], [k.city_key for k in keys]],
    ), "street_typo")  # fmt: skip


MIN_NEAR_STREET = 4  # letters of a written street key read for its near streets (MIN: no)


def near_address_pass(found: Found, roll_id: int, line_ids: list[int]) -> None:
    """Voters one slip from the written address, whose surname starts like a word of the
    printed name or who share its given name: at its house number on a street one typo from
    the written one (RSEEDA for RESEDA, PLUUMMER for PLUMMER; the typo anywhere, where
    street_typo_pass needs the first four letters right), and on its street at a house number
    one digit misread (digit_misreadings: 74755 for 4755). Both read the address index by
    its key, whatever the surname: street_typo_pass and house_misread_pass leave common
    surnames out, whose voters they would read county-wide (MARTINEZ, WILSON at 1M voters)."""
    streets = roll_streets(roll_id) if line_ids else frozenset()
    rows: list[tuple[int, str, list[str], str, str]] = []
    for i in line_ids:
        k = found.lines[i]
        written = {k.street_key, k.street_alt} - {""}
        named = (_surname_starts(k), k.first_canon)
        rows.extend(
            (i, street, [k.house_number], *named)
            for street in sorted(set().union(*(near_streets(streets, w) for w in written)))
        )
        numbers = sorted(digit_misreadings(k.house_number))
        if numbers:
            rows.extend((i, street, numbers, *named) for street in sorted(written))
    if not rows:
        return
    _add(found, _fetch(
        f"""
        SELECT l.line_id, {_COLUMNS}
        FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])
            AS l(line_id, street_key, house_numbers, prefixes, first_canon)
        JOIN {_partition(roll_id)} v
          ON v.street_key = l.street_key
         AND v.house_number = ANY(string_to_array(l.house_numbers, '|'))
        WHERE left(v.last_key, 2) = ANY(string_to_array(l.prefixes, '|'))
           OR v.first_canon = l.first_canon
        """,  # noqa: S608 - the partition's name is built from an integer
        [[r[0] for r in rows], [r[1] for r in rows], ["|".join(r[2]) for r in rows],
         [r[3] for r in rows], [r[4] for r in rows]],
    ), "near_address")  # fmt: skip


def _name_pairs(keys: LineKeys) -> list[tuple[str, str]]:
    """(last_key, first_canon) to look up: each reading of the surname against the given name,
    and the swapped order (the surname written first, or a compound surname before the name)."""
    pairs = [(last_key, keys.first_canon) for last_key in keys.last_keys]
    if keys.first and keys.last_options:
        swapped_first = nickname_canon(first_key(keys.last_options[0]))
        pairs.append((name_key(keys.first), swapped_first))
        for leading, given, _ in keys.leading:  # "JIMENEZ PANTOJA ANGELICA"
            pairs.append((leading, nickname_canon(first_key(given))))
    pairs.extend(_joined_name_pairs(keys))
    pairs.extend(_digit_name_pairs(keys))
    return pairs


def given_typo_pass(found: Found, roll_id: int, line_ids: list[int]) -> None:
    """Voters of the line's surname anywhere in the county whose given name is within two edits
    of a written one that is no given name of its own ("Kennth W Allen" for KENNETH W ALLEN, who
    moved): the name pass looks given names up exactly. Rare enough surnames only, as the
    house-number passes; counts what it found per line, as the name pass (matching.decide then
    reads a mover as for an exact name)."""
    pairs = [
        (i, key, found.lines[i].first)
        for i in line_ids
        if len(found.lines[i].first) >= 4 and not known_given_name(found.lines[i].first)
        for key in found.lines[i].last_keys
    ]
    if not pairs:
        return
    rows = _fetch(
        f"""
        WITH readings AS MATERIALIZED (
            SELECT l.line_id, l.last_key, l.first_key
            FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS l(line_id, last_key, first_key)
            JOIN voters_votersurname s ON s.roll_id = %s AND s.last_key = l.last_key
                                      AND s.voters <= {SURNAME_AT_NUMBER_MAX}
        ), hits AS (
            SELECT DISTINCT r.line_id, v.registrant_id FROM readings r
            JOIN {_partition(roll_id)} v ON v.last_key = r.last_key
            WHERE v.first_key <> r.first_key
              AND abs(length(v.first_key) - length(r.first_key)) <= 2
              AND levenshtein(v.first_key, r.first_key) <= 2
        )
        SELECT h.line_id, {_COLUMNS} FROM hits h
        JOIN voters_voter v ON v.roll_id = %s AND v.registrant_id = h.registrant_id
        """,  # noqa: S608
        [[p[0] for p in pairs], [p[1] for p in pairs], [p[2] for p in pairs], roll_id, roll_id],
    )  # fmt: skip
    _add(found, rows, "given_typo")
    counts: dict[int, int] = defaultdict(int)
    for line_id, *_ in rows:
        counts[line_id] += 1
    for line_id, count in counts.items():
        found.name_counts[line_id] = max(found.name_counts.get(line_id, 0), count)


def _digit_name_pairs(keys: LineKeys) -> list[tuple[str, str]]:
    """A digit in the name read as the letter it looks like (DAN1EL, R0DRIGUEZ): no voter's key
    holds a digit."""
    firsts = [keys.first_canon, *(nickname_canon(r) for r in digit_readings(keys.first))]
    lasts = [*keys.last_keys, *(r for k in keys.last_keys for r in digit_readings(k))]
    as_written = {(k, keys.first_canon) for k in keys.last_keys}
    return [(last, first) for last in lasts for first in firsts if (last, first) not in as_written]


def _joined_name_pairs(keys: LineKeys) -> list[tuple[str, str]]:
    """A two-syllable given name written spaced or hyphenated ("Ji Hoon", "Ji-Hoon") looked up
    joined, as JIHOON (a roll's JI HOON is keyed JI, the line's first word, already looked up)."""
    words = keys.given_words
    joined = {words[0]} if words and words[0] != keys.first else set()
    if len(words) > 1 and len(words[1]) > 1:
        joined.add(words[0] + words[1])
    return [(k, nickname_canon(j)) for j in sorted(joined) for k in keys.last_keys]


def _misread(found: Found, line_ids: list[int]) -> list[int]:
    """Lines that may be a name with its spaces shifted or dropped ("TeresaJ ohnson",
    "FelixRosales"): nothing found is a good match for them anywhere."""
    return [
        i
        for i in line_ids
        if found.lines[i].joined
        and not any(a.person >= MATCH for a in found.agreements[i].values())
    ]


def _ends(keys: LineKeys) -> set[str]:
    """The surnames to look up for a reading of the name: the ends of its run of letters cut
    where a space was written, up to two letters either side (a shifted space), or anywhere in
    a word of seven letters or more (a dropped one: "FelixRosales", "patriciagutierrez"); for a
    name written in one word, its starts too ("ROSALESFELIX": a name written in words is joined
    given name first, whatever order it was written in). Not the surname as written."""
    joined = keys.joined
    if len(joined) > RESPLIT_MAX:
        return set()
    words = " ".join(keys.written).split()
    cuts: set[int] = set()
    start = 0
    for word in words:
        end = start + len(word)
        if len(word) >= 7:
            cuts.update(range(start + 2, end - 1))
        cuts.update(range(end - 2, end + 3))
        start = end
    cuts = {k for k in cuts if 2 <= k <= len(joined) - 2} | {1}  # 1: "JGREEN", an initial
    # A given name (with a middle initial) of GIVEN_MAX letters at most: CHRISTOPHER L.
    found = {joined[k:] for k in cuts if k <= GIVEN_MAX}
    if len(words) == 1:
        found.update(joined[:k] for k in cuts if k > 1 and len(joined) - k <= GIVEN_MAX)
    return found - set(keys.last_keys)


def _known_ends(roll_id: int, ends: dict[int, set[str]]) -> tuple[set[str], set[str]]:
    """Of the batch's ends, the surnames of the roll, and the first parts of its compound
    surnames (ROJAS of ROJAS MONTOYA): one query on the roll's table of distinct surnames."""
    keys = sorted(set().union(*ends.values()))
    if not keys:
        return set(), set()
    rows = _fetch(
        """
        SELECT w.key, true FROM unnest(%s::text[]) AS w(key)
        JOIN voters_votersurname s ON s.roll_id = %s AND s.last_key = w.key
        UNION ALL
        SELECT w.key, false FROM unnest(%s::text[]) AS w(key)
        WHERE length(w.key) > 2 AND EXISTS (
            SELECT 1 FROM voters_votersurname s
            WHERE s.roll_id = %s AND s.last_head = w.key AND s.last_key <> w.key)
        """,
        [keys, roll_id, keys, roll_id],
    )
    return {key for key, exact in rows if exact}, {key for key, exact in rows if not exact}


def _reading_pairs(
    found: Found, surnames: set[str], ends: dict[int, set[str]]
) -> list[tuple[int, str, str]]:
    """(line, last_key, first_canon) of each other reading of a line's name whose surname the
    roll knows (readings worked out only for lines with one)."""
    pairs = []
    for i, line_ends in ends.items():
        if line_ends.isdisjoint(surnames):
            continue
        keys = found.lines[i]
        for reading in resplit_readings(keys.joined, keys.written, surnames):
            pairs.append((i, reading.last, nickname_canon(reading.first)))
    return list(dict.fromkeys(pairs))


def _surnames_at_address(found: Found, roll_id: int, heads: dict[int, set[str]]) -> None:
    """Residents of the line's address whose surname starts with an end of its letters: a
    compound surname written in part ("ADRIAN AROJAS" for ADRIANA ROJAS MONTOYA), the surname
    after an initial run into it ("JGREEN"), or a reading's surname beside a given name the name
    index cannot find ("ANTHNOY ECOOK", "RICK YBATTLE"). Looked up at the address, not
    county-wide: a common first part (GARCIA) heads hundreds of compound surnames, and an initial
    or a misspelt given name is no name to look up."""
    ids = [i for i, line_heads in heads.items() if line_heads]
    if not ids:
        return
    keys = [found.lines[i] for i in ids]
    _add(found, _fetch(
        f"""
        SELECT l.line_id, {_COLUMNS}
        FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])
            AS l(line_id, street_key, street_alt, house_number, heads)
        JOIN voters_voter v ON v.roll_id = %s
                           AND v.street_key = ANY(ARRAY[l.street_key, nullif(l.street_alt, '')])
                           AND v.house_number = l.house_number
        WHERE EXISTS (SELECT 1 FROM unnest(string_to_array(l.heads, '|')) h(head)
                      WHERE starts_with(v.last_key, h.head))
        """,  # noqa: S608 - fixed SQL, values are parameters
        [ids, [k.street_key for k in keys], [k.street_alt for k in keys],
         [k.house_number for k in keys], ["|".join(sorted(heads[i])) for i in ids], roll_id],
    ), "reading")  # fmt: skip


def name_pass(found: Found, roll_id: int, line_ids: list[int], *, readings: bool = False) -> None:
    """The line's name anywhere in the county (moved voters, misspelt streets), capped per name;
    the namesakes at the line's own house number first (a misspelt street), read from the name
    index alone before any row is fetched. Counts what it found per line (a common name).
    readings: look up the name's other readings instead (its letters cut elsewhere), and at the
    line's address the residents of their surnames (compound ones by a first part)."""
    if readings:
        ends = {i: _ends(found.lines[i]) for i in line_ids}
        surnames, compound_heads = _known_ends(roll_id, ends)
        initials = {i: {found.lines[i].joined[1:]} & surnames for i in ends}
        # At the address, a reading's surname whatever its given name: ANTHNOY E COOK for
        # "ANTHNOY ECOOK", RICKY BATTLE for "RICK YBATTLE" (a typo or a nickname beside the
        # shifted space, which the name index below cannot find).
        _surnames_at_address(found, roll_id, {
            i: (e & (compound_heads | surnames)) | initials[i] for i, e in ends.items()
        })  # fmt: skip
        pairs = _reading_pairs(found, surnames, ends)
    else:
        pairs = [(i, *pair) for i in line_ids for pair in _name_pairs(found.lines[i])]
    if not pairs:
        return
    rows = _fetch(
        f"""
        SELECT l.line_id, c.* FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[])
            AS l(line_id, last_key, first_canon, house_number)
        CROSS JOIN LATERAL (
            SELECT {_COLUMNS} FROM (
                SELECT n.registrant_id FROM {_partition(roll_id)} n
                WHERE n.last_key = l.last_key AND n.first_canon = l.first_canon
                ORDER BY n.house_number = l.house_number DESC
                LIMIT {NAME_CAP}
            ) pick
            JOIN voters_voter v ON v.roll_id = %s AND v.registrant_id = pick.registrant_id
        ) c
        """,  # noqa: S608
        [[p[0] for p in pairs], [p[1] for p in pairs], [p[2] for p in pairs],
         [found.lines[p[0]].house_number for p in pairs], roll_id],
    )  # fmt: skip
    _add(found, rows, "reading" if readings else "name")
    counts: dict[int, int] = defaultdict(int)
    for line_id, *_ in rows:
        counts[line_id] += 1
    if readings:
        # Namesakes of a reading add to those of the name as written: a common name either way.
        for line_id, count in counts.items():
            counts[line_id] = count + found.name_counts.get(line_id, 0)
    found.name_counts.update(counts)


def surname_variant_pass(found: Found, roll_id: int, line_ids: list[int]) -> None:
    """Voters of the given name under a surname sharing the line's first part (a compound written
    in part: only when the name pass found no voter bearing the name as written) or its sound
    within two edits (a misspelling), resolved on the roll's table of distinct surnames."""
    keys = [found.lines[i] for i in line_ids]
    _add(found, _fetch(
        f"""
        SELECT l.line_id, c.* FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[],
                                          %s::text[])
            AS l(line_id, head, phon, first_canon, last_key)
        CROSS JOIN LATERAL (
            SELECT {_COLUMNS} FROM (
                SELECT s.last_key FROM voters_votersurname s
                WHERE s.roll_id = %s AND s.last_head = l.head AND s.last_key <> l.last_key
                UNION
                SELECT s.last_key FROM voters_votersurname s
                WHERE s.roll_id = %s AND s.last_phon = l.phon AND s.last_key <> l.last_key
                  AND levenshtein(s.last_key, l.last_key) <= 2
            ) s
            JOIN voters_voter v ON v.roll_id = %s AND v.last_key = s.last_key
                               AND v.first_canon = l.first_canon
            LIMIT 10
        ) c
        """,  # noqa: S608
        [line_ids,
         [found.lines[i].last_head if not found.name_counts.get(i) else "" for i in line_ids],
         [k.last_phon for k in keys], [k.first_canon for k in keys],
         [k.last_key for k in keys], roll_id, roll_id, roll_id],
    ), "surname_variant")  # fmt: skip


def trigram_pass(found: Found, roll_id: int, line_ids: list[int]) -> None:
    """Voters of the given name under the three surnames nearest the line's by trigrams (pg_trgm
    on the distinct surnames): spelt too differently for the other passes. Not for a surname the
    roll knows, which is no misspelling to repair."""
    keys = [found.lines[i] for i in line_ids]
    _add(found, _fetch(
        f"""
        SELECT l.line_id, c.* FROM unnest(%s::bigint[], %s::text[], %s::text[])
            AS l(line_id, last_key, first_canon)
        CROSS JOIN LATERAL (
            SELECT {_COLUMNS} FROM (
                SELECT s.last_key FROM voters_votersurname s
                WHERE s.roll_id = %s AND s.last_key %% l.last_key
                ORDER BY s.last_key <-> l.last_key LIMIT 3
            ) s
            JOIN voters_voter v ON v.roll_id = %s AND v.last_key = s.last_key
                               AND v.first_canon = l.first_canon
            LIMIT 10
        ) c
        WHERE NOT EXISTS (  -- a surname the roll knows is not a misspelling to repair
            SELECT 1 FROM voters_votersurname k WHERE k.roll_id = %s AND k.last_key = l.last_key
        )
        """,  # noqa: S608
        [line_ids, [k.last_key for k in keys], [k.first_canon for k in keys],
         roll_id, roll_id, roll_id],
    ), "trigram")  # fmt: skip


def _partition(roll_id: int) -> str:
    """The roll's own partition of voters_voter (its name indexes, without the roll_id key)."""
    return f"voters_voter_roll_{int(roll_id)}"


def household_pass(found: Found, roll_id: int, homes: dict[int, set[tuple[str, str, str]]]) -> None:
    """Voters of the line's surname registered at the addresses (house number, street key, city
    key) where voters its co-signers name are registered: a household that moved together, the
    line's own name perhaps written as an initial ("A Medina" beside "Rosa Medina"), which the
    name pass does not look up county-wide, or with part of a compound surname ("Carmen
    Sanchez" for CARMEN SANCHEZ LOPEZ: a voter whose surname contains the written one)."""
    rows = [(i, *home) for i, line_homes in homes.items() for home in sorted(line_homes)]
    if not rows:
        return
    _add(found, _fetch(
        f"""
        SELECT l.line_id, {_COLUMNS}
        FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])
            AS l(line_id, house_number, street_key, city_key, last_keys)
        JOIN voters_voter v ON v.roll_id = %s AND v.street_key = l.street_key
                           AND v.house_number = l.house_number AND v.city_key = l.city_key
        WHERE EXISTS (SELECT 1 FROM unnest(string_to_array(l.last_keys, '|')) k
                      WHERE strpos(v.last_key, k) > 0)
        """,  # noqa: S608 - fixed SQL, values are parameters
        [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows],
         ["|".join(found.lines[r[0]].last_keys) for r in rows], roll_id],
    ), "household")  # fmt: skip


def voters_pass(
    found: Found, roll_id: int, voters: dict[int, set[str]], source: str = "signed_again"
) -> None:
    """These voters, by registrant id, as candidates of these lines (graded against each): the
    voters other lines at a line's written address were found to be (petitions' signed again),
    or a couple's (couples_pass)."""
    rows = [(i, v) for i, ids in voters.items() for v in sorted(ids)]
    if not rows:
        return
    _add(found, _fetch(
        f"""
        SELECT l.line_id, {_COLUMNS}
        FROM unnest(%s::bigint[], %s::text[]) AS l(line_id, registrant_id)
        JOIN voters_voter v ON v.roll_id = %s AND v.registrant_id = l.registrant_id
        """,  # noqa: S608 - fixed SQL, values are parameters
        [[r[0] for r in rows], [r[1] for r in rows], roll_id],
    ), source)  # fmt: skip


def couples_pass(found: Found, roll_id: int, partners: dict[int, set[int]]) -> dict[int, Couple]:
    """For each line, the one address in the county (the unit too: two flats of a building are
    two households) where a voter of its name (surname and given name, nicknames folded) and a
    voter of one of its partners' names (co-signers at its written address, none found there)
    are registered together, searched through the whole roll, not the name pass's first few
    namesakes: a household that moved together, however common its names
    (matching.decide.Couple). The line's namesake there becomes its candidate. A line whose
    names meet at two addresses, or two namesakes of it at one (JR and SR), has none."""
    pairs = [
        (i, k.last_keys[0], k.first_canon, j, o.last_keys[0], o.first_canon)
        for i, others in partners.items() if _pairable(k := found.lines[i])
        for j in sorted(others) if _pairable(o := found.lines[j])
    ]  # fmt: skip
    if not pairs:
        return {}
    part = _partition(roll_id)
    rows = _fetch(
        f"""
        WITH p AS MATERIALIZED (
            SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::bigint[], %s::text[],
                                 %s::text[]) AS p(a, a_last, a_first, b, b_last, b_first)
        ),
        -- Each name's bearers read once from the name index, then met by house number (a hash
        -- join: JUAN GARCIA's hundreds against MARIA GARCIA's, not one against all per row).
        na AS MATERIALIZED (
            SELECT p.a, p.b, n.registrant_id, n.house_number FROM p
            JOIN {part} n ON n.last_key = p.a_last AND n.first_canon = p.a_first
        ),
        nb AS MATERIALIZED (
            SELECT p.a, p.b, n.registrant_id, n.house_number FROM p
            JOIN {part} n ON n.last_key = p.b_last AND n.first_canon = p.b_first
        )
        SELECT na.a, na.b, na.registrant_id, va.house_number, va.street_key, va.city_key,
               va.unit_number
        FROM na
        JOIN nb ON nb.a = na.a AND nb.b = na.b AND nb.house_number = na.house_number
               AND nb.registrant_id <> na.registrant_id
        JOIN {part} va ON va.roll_id = %s AND va.registrant_id = na.registrant_id
        JOIN {part} vb ON vb.roll_id = %s AND vb.registrant_id = nb.registrant_id
        WHERE va.street_key = vb.street_key AND va.city_key = vb.city_key
          AND va.unit_number = vb.unit_number
        """,  # noqa: S608 - fixed SQL, values are parameters
        [*([p[n] for p in pairs] for n in range(6)), roll_id, roll_id],
    )
    homes: dict[int, dict[tuple[str, ...], set[str]]] = defaultdict(dict)
    met: dict[int, set[int]] = defaultdict(set)
    for a, b, voter, *home in rows:
        homes[a].setdefault(tuple(home), set()).add(voter)
        met[a].add(b)
    settled = {
        a: next(iter(next(iter(at.values()))))
        for a, at in homes.items() if len(at) == 1 and len(next(iter(at.values()))) == 1
    }  # fmt: skip
    if not settled:
        return {}
    voters_pass(found, roll_id, {a: {voter} for a, voter in settled.items()}, "couple")
    chance = _couple_chances(roll_id, {a: (a, *met[a]) for a in settled}, found.lines)
    return {a: Couple(voter, chance[a]) for a, voter in settled.items()}


def name_chance_pass(found: Found, roll_id: int) -> None:
    """For lines whose name only voters at another address bear, a few at most, one of them in
    another place than the line's: how many voters of the name chance alone would give, the
    voters of its given name times those of its surname over the roll's voters
    (matching.decide: a name rarer than its parts is the mover's, one as common as its parts
    may be an unregistered namesake's)."""
    ids = [
        i for i, agreements in found.agreements.items()
        if found.lines[i].has_name and found.lines[i].first_canon
        and found.name_counts.get(i, 0) <= RARE_NAME
        and not found.matched_here(i, WEAK)
        and any(not a.at_address and a.person >= MOVER and a.place == DIFFERENT
                for a in agreements.values())
    ]  # fmt: skip
    if not ids:
        return
    given, voters = roll_given_names(roll_id)
    surnames = _bearers(roll_id, {(found.lines[i].last_keys[0], "") for i in ids})
    for i in ids:
        k = found.lines[i]
        both = given.get(k.first_canon, 0) * surnames[(k.last_keys[0], "")]
        found.name_chances[i] = both / max(voters, 1)


_city_cache: dict[int, tuple[Any, tuple[dict[str, int], int]]] = {}


def roll_city_voters(roll_id: int) -> tuple[dict[str, int], int]:
    """The roll's voters per city key, and all of them: each place's share of the roll
    (place_pass). From the roll's table of places (voters per city and ZIP), cached per process
    (_per_roll)."""
    sql = "SELECT city_key, sum(voters) FROM voters_voterplace WHERE roll_id = %s GROUP BY city_key"
    return _per_roll(_city_cache, roll_id, roll_id, lambda: _counts(sql, [roll_id]))


def place_pass(found: Found, roll_id: int) -> None:
    """For lines of a common name (more than RARE_NAME bearers), or of an initial and a surname
    of at most SURNAME_AT_NUMBER_MAX voters, that no one at their address matches, nor any
    household of their surname is registered at: the one voter of the name registered in the
    place the line gives (its city), the whole roll searched, when fewer than NAME_CHANCE of the
    name's voters would be there by chance (matching.decide.InPlace). The name's voters are read
    only up to the most that chance allows in that place: a name too common for it stops
    early."""
    cities, voters = roll_city_voters(roll_id)
    names, initials = [], []
    shares: dict[int, float] = {}  # each line's place's share of the roll
    for i, agreements in found.agreements.items():
        k = found.lines[i]
        # A line without an address is incomplete, whatever the place; a blank place is none.
        if not (k.has_name and k.has_address and k.first and k.city_key):
            continue
        if cities.get(k.city_key, 0) <= 0:
            continue
        if found.matched_here(i, WEAK) or _household_here(agreements.values()):
            continue
        shares[i] = cities[k.city_key] / max(voters, 1)
        # More voters of the name than this, and chance alone would put NAME_CHANCE there.
        cap = int(NAME_CHANCE / shares[i])
        if len(k.first) == 1:
            if cap >= 1:
                initials.append((i, k.last_keys[0], k.first, k.city_key, cap + 1))
        elif cap > RARE_NAME and found.name_counts.get(i, 0) > RARE_NAME:
            names.append((i, k.last_keys[0], k.first_canon, k.city_key, cap + 1))
    if initials:
        surnames = _bearers(roll_id, {(w[1], "") for w in initials})
        initials = [w for w in initials if surnames[(w[1], "")] <= SURNAME_AT_NUMBER_MAX]
    rows = _in_place(roll_id, names, "v.first_canon = k.given") + _in_place(
        roll_id, initials, "left(v.first_key, 1) = k.given"
    )
    limits = {w[0]: w[4] for w in (*names, *initials)}
    for i, bearers, here, voter in rows:
        if bearers < limits[i] and here == 1:
            found.in_place[i] = InPlace(voter, bearers * shares[i])
    voters_pass(found, roll_id, {i: {p.voter} for i, p in found.in_place.items()}, "place")


def _in_place(
    roll_id: int, wanted: list[tuple[int, str, str, str, int]], given_sql: str
) -> list[tuple[Any, ...]]:
    """For each (line, surname key, given name, city key, most): the voters of the name (the
    given name matched by given_sql) read up to `most`, those of them in the city, and one of
    those."""
    if not wanted:
        return []
    return _fetch(
        f"""
        SELECT k.line_id, count(*), count(*) FILTER (WHERE v.city_key = k.city),
               min(v.registrant_id) FILTER (WHERE v.city_key = k.city)
        FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::int[])
            AS k(line_id, last, given, city, most)
        CROSS JOIN LATERAL (
            SELECT v.city_key, v.registrant_id FROM {_partition(roll_id)} v
            WHERE v.last_key = k.last AND {given_sql} AND v.status <> 'C'
            LIMIT k.most
        ) v
        GROUP BY k.line_id
        """,  # noqa: S608 - fixed SQL, values are parameters
        [[w[0] for w in wanted], [w[1] for w in wanted], [w[2] for w in wanted],
         [w[3] for w in wanted], [w[4] for w in wanted]],
    )  # fmt: skip


def _bearers(roll_id: int, names: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The roll's voters of each (surname key, canonical given name), counted on the name index,
    or of the surname alone when the given name is empty (the roll's table of surnames)."""
    ordered = sorted(names)
    return {(last, given): n for last, given, n in _fetch(
        f"""
        SELECT k.last, k.given, CASE WHEN k.given = '' THEN
            coalesce((SELECT s.voters FROM voters_votersurname s
                      WHERE s.roll_id = %s AND s.last_key = k.last), 0)
        ELSE
            (SELECT count(*) FROM {_partition(roll_id)} n
             WHERE n.last_key = k.last AND n.first_canon = k.given)
        END
        FROM unnest(%s::text[], %s::text[]) AS k(last, given)
        """,  # noqa: S608 - fixed SQL, values are parameters
        [roll_id, [n[0] for n in ordered], [n[1] for n in ordered]],
    )}  # fmt: skip


def _pairable(line: LineKeys) -> bool:
    """A line whose name the couples pass can look up: a surname and a given name, not an
    initial."""
    return line.has_name and len(line.first_canon) > 1


def _couple_chances(
    roll_id: int, lines: dict[int, tuple[int, ...]], keys: dict[int, LineKeys]
) -> dict[int, float]:
    """For each line (with the partners whose names met its own), the fewest addresses expected
    by chance to hold its name and a partner's (matching.decide.Couple): from the voters of each
    name and of their surname, counted on the name index."""
    names = {
        (k.last_keys[0], given)
        for ids in lines.values() for i in ids
        for k in (keys[i],) for given in (k.first_canon, "")
    }  # fmt: skip
    counts = _bearers(roll_id, names)
    _, voters = roll_given_names(roll_id)

    def chance(a: LineKeys, b: LineKeys) -> float:
        both = counts[(a.last_keys[0], a.first_canon)] * counts[(b.last_keys[0], b.first_canon)]
        if a.last_keys[0] == b.last_keys[0]:
            return both / max(counts[(a.last_keys[0], "")], 1)
        return both / max(voters, 1)

    return {
        a: min(chance(keys[a], keys[b]) for b in ids[1:])
        for a, ids in lines.items()
    }  # fmt: skip


def residents_pass(found: Found, roll_id: int, homes: dict[int, set[tuple[str, str, str]]]) -> None:
    """Every voter registered at these addresses (house number, street key, city key), whatever
    their surname, as candidates of these lines: the households of movers a line may belong to,
    its surname perhaps misspelt (CASTILO beside FERDINAND CASTILLO JR: his father)."""
    rows = [(i, *home) for i, line_homes in homes.items() for home in sorted(line_homes)]
    if not rows:
        return
    _add(found, _fetch(
        f"""
        SELECT l.line_id, {_COLUMNS}
        FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[])
            AS l(line_id, house_number, street_key, city_key)
        JOIN voters_voter v ON v.roll_id = %s AND v.street_key = l.street_key
                           AND v.house_number = l.house_number AND v.city_key = l.city_key
        """,  # noqa: S608 - fixed SQL, values are parameters
        [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows],
         roll_id],
    ), "residents")  # fmt: skip
