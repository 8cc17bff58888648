"""Splink 5 on DuckDB, configured by hand as a capable user would: the peer benchmark's other row.

    python bench/peer_splink.py ROLL.csv LINES.csv [--out DECISIONS.csv]

`link(roll_csv, lines_csv)` links every petition line to at most one roll voter (link_only) and
gives it a status in the registrar's categories, by post-rules over Splink's best link:

1. Both files are read and standardised the way a Splink user prepares data: names upper-cased
   without accents or punctuation; a written name exploded into its possible readings (given
   first or surname first, a second word a middle initial or part of the surname; "SURNAME,
   GIVEN" one way), the best reading standing for the line; the line's address split into house
   number and street name (unit, USPS suffix and directions dropped); neighbourhoods and aliases
   read as the registrar's city. Reference data: the `nicknames` package for English given names,
   and the lists of matching/data that any LA user would compile (Spanish and Armenian
   diminutives, JOHN/JUAN pairs, place names, USPS suffixes). Nothing of our matcher's code.
2. The model: given name (exact with term frequencies, nickname, Jaro-Winkler 0.92, one edit,
   initial of the name or of a nickname, Jaro-Winkler 0.8), surname (exact with term
   frequencies, compound part or spacing, Jaro-Winkler, soundex), middle initial, suffix, house
   number, street (exact with term frequencies, Jaro-Winkler), ZIP or city. Blocking on house+
   street, surname+house, given+surname part, soundex surname+given, given+house.
   u by random sampling, lambda from a deterministic rule, m by EM for the middle initial; the
   names' and the address's m are hand-set and fixed (EM learns the household as the "match").
3. "A different first name never links": a link needs the given name at the initial level or
   better and the surname within Jaro-Winkler 0.8; then the best candidate at the line's address
   (house number and street) at match probability THRESHOLD or more, ties to the lowest voter id.
4. Post-rules: unsigned or nameless or addressless lines are incomplete; linked at the voter's
   address: canceled for a cancelled registration, else valid for the voter's first line in paper
   order and duplicate after; outside the county's places (ZIP or city): out_of_jurisdiction;
   a name alone linking to one voter elsewhere (ELSEWHERE, by MARGIN): address_mismatch; else
   not_registered.
"""

from __future__ import annotations

import argparse
import csv
import logging
import math
import re
import sys
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import jellyfish
import pandas as pd  # type: ignore[import-untyped]  # no stubs installed
from nicknames import NickNamer

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "matching" / "data"

THRESHOLD = 0.05  # match probability of the best candidate for a line to link at all
ELSEWHERE = 0.7  # ... and to link to a voter registered at another address (a mover)
MARGIN = 3.0  # ... by a name this many bits (a factor of 8) stronger than the runner-up's
# The lowest comparison levels (gamma) that may link: the given name's initial level (below it
# Jaro-Winkler 0.8 and else), the surname's Jaro-Winkler 0.8 level (below it else).
GIVEN_AT_LEAST = 2
SURNAME_AT_LEAST = 1

SUFFIXES = {"JR", "SR", "II", "III", "IV"}  # not V: far more often an initial
DIRECTIONS = {"N": "N", "S": "S", "E": "E", "W": "W", "NORTH": "N", "SOUTH": "S", "EAST": "E",
              "WEST": "W", "NE": "NE", "NW": "NW", "SE": "SE", "SW": "SW"}  # fmt: skip
UNIT_WORDS = {"APT", "UNIT", "SPC", "SPACE", "SP", "NO", "STE", "SUITE", "RM", "#"}

Key = tuple[int, int]


class Link(NamedTuple):
    voter_id: str | None
    status: str
    probability: float | None


# -- standardising ------------------------------------------------------------------------------


def plain(text: str) -> str:
    """Upper case, no accents, letters digits and single spaces (hyphens become spaces)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).upper()
    text = re.sub("['`\u2019]", "", text)
    return " ".join(re.sub(r"[^A-Z0-9#/ ]", " ", text).split())


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@cache
def street_types() -> dict[str, str]:
    """Every spelling of a USPS street suffix (Publication 28) -> its abbreviation."""
    out = {}
    for row in _rows("usps_suffixes.csv"):
        for spelling in [row["abbreviation"], *row["spellings"].split()]:
            out[spelling] = row["abbreviation"]
    return out


@cache
def place_names() -> tuple[dict[str, str], dict[str, set[str]]]:
    """Place names people write -> the registrar's city, and neighbourhoods' ZIPs."""
    city_of: dict[str, str] = {}
    zips: dict[str, set[str]] = {}
    for row in _rows("places_neighbourhoods.csv"):
        city_of[plain(row["name"])] = "LOS ANGELES"
        zips[plain(row["name"])] = set(row["zips"].split())
    for row in _rows("places_sub_communities.csv"):
        city_of[plain(row["community"])] = plain(row["city"])
    for row in _rows("places_city_aliases.csv"):
        city_of.setdefault(plain(row["alias"]), plain(row["city"]))
    return city_of, zips


def city_key(text: str) -> str | None:
    city = plain(text.replace(".", ""))
    city = re.sub(r"\s+(CA|CALIF|CALIFORNIA)$", "", city)
    if not city:
        return None
    return place_names()[0].get(city, city)


def parse_address(text: str) -> tuple[str | None, str | None]:
    """(house number, street name) of a written address; the unit, type and directions go."""
    words = plain(text.replace(".", " ").replace(",", " ")).split()
    for i, word in enumerate(words):
        if word in UNIT_WORDS or word.startswith("#"):
            words = words[:i]
            break
    if not words:
        return None, None
    house = words[0] if words[0][:1].isdigit() else None
    rest = [w for w in words[1 if house else 0 :] if w != "1/2"]
    # Post-direction, then type, then pre-direction: "90TH STREET EAST", "SOUTH ST", "N ELM".
    if len(rest) > 1 and rest[-1] in DIRECTIONS:
        rest = rest[:-1]
    if len(rest) > 1 and rest[-1] in street_types():
        rest = rest[:-1]
    if len(rest) > 1 and rest[0] in DIRECTIONS:
        rest = rest[1:]
    if len(rest) > 1 and rest[0] in ("AVE", "AV"):
        rest[0] = "AVENUE"
    return house, " ".join(rest) or None


@cache
def nicks(given: str) -> tuple[str, ...]:
    """The given name with its nicknames and the names it is a nickname of: English from the
    `nicknames` package, Spanish and Armenian forms and English-Spanish pairs (JOHN, JUAN) from
    the lists of matching/data, as an LA user of Splink would add them."""
    namer = _namer()
    low = given.lower()
    names = {given, *(n.upper() for n in namer.canonicals_of(low))}
    names |= _local_nicks().get(given, set())
    equivalents = _equivalents()
    names |= {e for n in list(names) for e in equivalents.get(n, ())}
    names |= {n.upper() for n in namer.nicknames_of(low)}
    return tuple(sorted(names))


@cache
def _namer() -> NickNamer:
    return NickNamer()


@cache
def _local_nicks() -> dict[str, set[str]]:
    """Spanish and Armenian diminutives both ways (canonical <-> variant)."""
    out: dict[str, set[str]] = {}
    for row in _rows("nicknames.csv"):
        if row["table"] == "english":
            continue  # the `nicknames` package stands for English
        canonical, variants = row["canonical"], row["variants"].split()
        for v in variants:
            out.setdefault(v, set()).add(canonical)
            out.setdefault(canonical, set()).add(v)
    return out


@cache
def _equivalents() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in _rows("nickname_equivalents.csv"):
        out.setdefault(row["english"], set()).add(row["spanish"])
        out.setdefault(row["spanish"], set()).add(row["english"])
    return out


def soundex(text: str | None) -> str | None:
    return jellyfish.soundex(text) if text else None


@cache
def _given_fields(given: str | None) -> dict[str, Any]:
    return {
        "given": given or None,
        "given_nicks": list(nicks(given)) if given and len(given) > 1 else None,
        "given_initials": sorted({n[0] for n in nicks(given)}) if given else None,
    }


@cache
def _surname_fields(surname: str | None) -> dict[str, Any]:
    return {
        "surname": surname or None,
        "surname_first": surname.split()[0] if surname else None,
        "surname_flat": surname.replace(" ", "") if surname else None,
        "surname_sx": soundex(surname.replace(" ", "")) if surname else None,
    }


def _person(
    given: str | None, middle: str | None, surname: str | None, suffix: str | None = None
) -> dict[str, Any]:
    return {
        "suffix": suffix or None,
        **_given_fields(given or None),
        "middle_initial": middle[:1] if middle else None,
        **_surname_fields(surname or None),
    }


def read_roll(path: Path) -> pd.DataFrame:
    """The roll, standardised column by column (each distinct value once: a million voters
    have a few thousand given names)."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")

    def each(values: Any, fn: Any) -> Any:
        table = {v: fn(v) for v in values.unique()}
        return values.map(lambda v: table[v])

    given = each(raw["first_name"], lambda t: plain(t).split(" ")[0] or None)
    surname = each(raw["last_name"], lambda t: plain(t) or None)
    roll = pd.DataFrame({"unique_id": raw["voter_id"]})
    for name in ("given", "given_nicks", "given_initials"):
        roll[name] = each(given, lambda g, name=name: _given_fields(g)[name])
    roll["middle_initial"] = each(raw["middle_name"], lambda t: plain(t)[:1] or None)
    roll["suffix"] = each(raw["name_suffix"], lambda t: plain(t) or None)
    for name in ("surname", "surname_first", "surname_flat", "surname_sx"):
        roll[name] = each(surname, lambda n, name=name: _surname_fields(n)[name])
    roll["house"] = each(raw["house_number"], lambda t: t.strip() or None)
    roll["street"] = each(raw["street_name"], lambda t: plain(t) or None)
    roll["city"] = each(raw["city"], lambda t: plain(t) or None)
    roll["zip5"] = each(raw["zip"], lambda t: t[:5] or None)
    roll["status"] = raw["status"]
    return roll


def readings(text: str) -> list[tuple[str, str, str, str]]:
    """The (given, middle, surname, suffix) a written name may be: "SURNAME, GIVEN M" one way;
    without a comma, given first (a second word a middle initial, a middle name or part of the
    surname) and surname first ("REYES ANTHONY", "GUTDORF CHRISTINE L"). The model keeps the
    best."""
    suffix = next((w for w in plain(text).split() if w in SUFFIXES), "")
    if "," in text:
        last, _, rest = text.partition(",")
        words = [w for w in plain(rest).split() if w not in SUFFIXES]
        last_words = [w for w in plain(last).split() if w not in SUFFIXES]
        if not words or not last_words:
            return []
        return [(words[0], " ".join(words[1:2]), " ".join(last_words), suffix)]
    words = [w for w in plain(text).split() if w not in SUFFIXES]
    if len(words) < 2:
        return []
    out = []
    if len(words) >= 3 and len(words[1]) == 1:
        out.append((words[0], words[1], " ".join(words[2:]), suffix))
    else:
        out.append((words[0], "", " ".join(words[1:]), suffix))
        if len(words) >= 3:
            out.append((words[0], words[1], " ".join(words[2:]), suffix))
    if len(words) >= 3 and len(words[-1]) == 1:
        out.append((words[-2], words[-1], " ".join(words[:-2]), suffix))
    else:
        out.append((words[-1], "", " ".join(words[:-1]), suffix))
        if len(words) == 3 and len(words[1]) > 1:  # "ORTIZ ISABEL LESLIE"
            out.append((words[1], words[2], words[0], suffix))
    return out


def read_lines(path: Path) -> pd.DataFrame:
    """One row per reading of each line's name (unique_id "L<section>-<line>/<reading>")."""
    rows = []
    with path.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            house, street = parse_address(r["residence_address"])
            common = {
                "section": int(r["section"]), "line": int(r["line"]),
                "house": house, "street": street, "city": city_key(r["city"]),
                "zip5": r["zip"][:5] or None, "signed": r["signed"] == "yes",
                "has_name": bool(plain(r["printed_name"])),
                "has_address": bool(plain(r["residence_address"])),
            }  # fmt: skip
            names: list[tuple[str | None, str | None, str | None, str | None]] = [
                *readings(r["printed_name"])
            ] or [(None, None, None, None)]
            for i, (given, middle, surname, suffix) in enumerate(names):
                rows.append({"unique_id": f"L{r['section']}-{r['line']}/{i}", **common,
                             **_person(given, middle, surname, suffix)})  # fmt: skip
    return pd.DataFrame(rows)


# -- the model ----------------------------------------------------------------------------------


def settings() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    def start(level: Any, m: float) -> Any:
        return level.configure(m_probability=m)  # a starting m for EM

    def fixed(level: Any, m: float) -> Any:
        # Hand-set m where EM is weak: the names (see predict), and the address, which EM can
        # only learn on a name blocking that movers and namesakes muddle.
        return level.configure(m_probability=m, fix_m_probability=True)

    # An initial agrees with the given name's initial or a nickname's ("B MITCHELL", Bob for
    # ROBERT).
    initial = (
        "(length(given_l) = 1 AND list_contains(given_initials_r, given_l)) OR "
        "(length(given_r) = 1 AND list_contains(given_initials_l, given_r))"
    )
    given = cl.CustomComparison(
        output_column_name="given",
        comparison_levels=[
            cll.NullLevel("given"),
            fixed(cll.ExactMatchLevel("given", term_frequency_adjustments=True), 0.8),
            fixed(cll.ArrayIntersectLevel("given_nicks", 1), 0.05),
            fixed(cll.JaroWinklerLevel("given", 0.92), 0.04),
            # A letter dropped, doubled or swapped: "Babara", "Ojse", "Amry".
            fixed(cll.DamerauLevenshteinLevel("given", 1), 0.03),
            fixed(cll.CustomLevel(initial, "initial"), 0.05),
            fixed(cll.JaroWinklerLevel("given", 0.8), 0.03),
            fixed(cll.ElseLevel(), 0.03),
        ],
    )
    surname = cl.CustomComparison(
        output_column_name="surname",
        comparison_levels=[
            cll.NullLevel("surname"),
            fixed(cll.ExactMatchLevel("surname", term_frequency_adjustments=True), 0.85),
            fixed(
                cll.CustomLevel(
                    "surname_first_l = surname_first_r OR surname_flat_l = surname_flat_r",
                    "compound part or spacing",
                ),
                0.05,
            ),
            fixed(cll.JaroWinklerLevel("surname", 0.92), 0.04),
            fixed(cll.ExactMatchLevel("surname_sx"), 0.01),
            fixed(cll.JaroWinklerLevel("surname", 0.8), 0.02),
            fixed(cll.ElseLevel(), 0.03),
        ],
    )
    middle = cl.CustomComparison(
        output_column_name="middle_initial",
        comparison_levels=[
            cll.NullLevel("middle_initial"),
            start(cll.ExactMatchLevel("middle_initial"), 0.95),
            start(cll.ElseLevel(), 0.05),
        ],
    )
    suffix = cl.CustomComparison(
        output_column_name="suffix",
        comparison_levels=[
            cll.NullLevel("suffix"),  # mostly unwritten: then no evidence either way
            fixed(cll.ExactMatchLevel("suffix"), 0.95),
            fixed(cll.ElseLevel(), 0.05),  # JR against SR: father and son at one address
        ],
    )
    house = cl.CustomComparison(
        output_column_name="house",
        comparison_levels=[
            cll.NullLevel("house"),
            fixed(cll.ExactMatchLevel("house"), 0.93),
            fixed(cll.ElseLevel(), 0.07),  # movers sign at their new address
        ],
    )
    street = cl.CustomComparison(
        output_column_name="street",
        comparison_levels=[
            cll.NullLevel("street"),
            fixed(cll.ExactMatchLevel("street", term_frequency_adjustments=True), 0.86),
            fixed(cll.JaroWinklerLevel("street", 0.9), 0.06),
            fixed(cll.ElseLevel(), 0.08),
        ],
    )
    place = cl.CustomComparison(
        output_column_name="place",
        comparison_levels=[
            cll.CustomLevel("(city_l IS NULL AND zip5_l IS NULL) OR "
                            "(city_r IS NULL AND zip5_r IS NULL)").configure(is_null_level=True),
            fixed(cll.CustomLevel("zip5_l = zip5_r", "ZIP"), 0.15),
            fixed(cll.CustomLevel("city_l = city_r", "city"), 0.78),
            fixed(cll.ElseLevel(), 0.07),
        ],
    )  # fmt: skip
    return SettingsCreator(
        link_type="link_only",
        comparisons=[given, surname, middle, suffix, house, street, place],
        blocking_rules_to_generate_predictions=[
            block_on("house", "street"),
            block_on("surname", "house"),
            block_on("given", "surname_first"),
            block_on("surname_sx", "given"),
            block_on("given", "house"),
        ],
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=[],
    )


def predict(roll: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """Splink's scored pairs (line id, voter id, probability, house and street levels)."""
    from splink import DuckDBAPI, Linker, block_on

    columns = ["unique_id", "given", "given_nicks", "given_initials", "middle_initial", "suffix",
               "surname", "surname_first", "surname_flat", "surname_sx", "house", "street", "city",
               "zip5"]  # fmt: skip
    db = DuckDBAPI()
    left = db.register(roll[columns], dataset_display_name="roll")
    right = db.register(lines[columns], dataset_display_name="lines")
    linker = Linker([left, right], settings(), log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given", "surname", "house", "street")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    # EM where it works: the middle initial, on a blocking of whole names at one house. On the
    # names themselves it learns the household as the "match" (a line beside its relatives at
    # one address): their m are hand-set.
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given", "surname", "house"), estimate_without_term_frequencies=True
    )
    # Nothing below -12 is kept below: a link needs p >= THRESHOLD (weight -4.2 or more), a
    # mover's name a weight of 0 or more, which address disagreement lowers by 11 at most.
    pairs = linker.inference.predict(threshold_match_weight=-12)
    # The name's own weight (prior included): how sure the name alone makes a link, for a voter
    # registered at another address (a mover). "A different first name never links": only a
    # given name that agrees exactly, as a nickname, nearly (Jaro-Winkler 0.92) or as an initial
    # links, and a surname no further off than Jaro-Winkler 0.8.
    name_mw = "match_weight - mw_house - mw_street - mw_tf_adj_street - mw_place"
    lines_right = "source_dataset_r = 'lines'"
    # Splink's own table name and our constants: nothing from outside goes into this SQL.
    sql = f"""
        SELECT CASE WHEN {lines_right} THEN unique_id_r ELSE unique_id_l END AS line_id,
               CASE WHEN {lines_right} THEN unique_id_l ELSE unique_id_r END AS voter_id,
               match_probability AS p, match_weight AS mw, {name_mw} AS name_mw,
               gamma_house = 1 AS house_agrees, gamma_street >= 1 AS street_agrees
        FROM {pairs.physical_name}
        WHERE gamma_given >= {GIVEN_AT_LEAST} AND gamma_surname >= {SURNAME_AT_LEAST}
          AND (match_probability >= {THRESHOLD} OR {name_mw} >= 0)
    """  # noqa: S608
    return linker.misc.query_sql(sql, output_type="pandas")


def link(roll_csv: Path, lines_csv: Path) -> dict[Key, Link]:
    """Every line's (voter or None, status, probability), keyed by (section, line)."""
    roll = read_roll(Path(roll_csv))
    lines = read_lines(Path(lines_csv))
    pairs = predict(roll, lines)
    pairs["line_id"] = pairs["line_id"].str.partition("/")[0]  # the best reading stands
    at = pairs[(pairs["p"] >= THRESHOLD) & pairs["house_agrees"]
               & (pairs["street_agrees"] | (pairs["p"] >= 0.5))]  # fmt: skip
    # By match weight (probabilities saturate at 1), then voter id: a tie (JR and SR with no
    # suffix written, one initial for two of a household) goes the same way each time.
    at = at.sort_values(["line_id", "mw", "voter_id"], ascending=[True, False, True])
    best = at.drop_duplicates("line_id").set_index("line_id")
    # A mover: the name alone links (ELSEWHERE or more), to one voter only (the runner-up's name
    # is weaker by MARGIN bits or more).
    by_name = pairs[~pairs["line_id"].isin(best.index)].sort_values(
        ["line_id", "name_mw"], ascending=[True, False]
    )
    by_name = by_name.drop_duplicates(["line_id", "voter_id"])  # one voter, several readings
    by_name["second"] = by_name.groupby("line_id")["name_mw"].shift(-1).fillna(-99.0)
    firsts = by_name.drop_duplicates("line_id")
    floor = math.log2(ELSEWHERE / (1 - ELSEWHERE))
    moved = firsts[(firsts["name_mw"] >= floor) & (firsts["second"] <= firsts["name_mw"] - MARGIN)]
    linked = dict(zip(best.index, zip(best["voter_id"].astype(str), best["p"].tolist(),
                                      strict=True), strict=True))  # fmt: skip
    moved_to = dict(zip(moved["line_id"], zip(moved["voter_id"].astype(str), moved["p"].tolist(),
                                              strict=True), strict=True))  # fmt: skip
    status_of = dict(zip(roll["unique_id"], roll["status"], strict=True))
    roll_zips = set(roll["zip5"].dropna())
    roll_cities = set(roll["city"].dropna())
    _, hood_zips = place_names()
    county_zips = roll_zips.union(*hood_zips.values())
    out: dict[Key, Link] = {}
    counted: set[str] = set()
    lines["line_id"] = lines["unique_id"].str.partition("/")[0]
    lines = lines.drop_duplicates("line_id")
    for row in lines.sort_values(["section", "line"]).itertuples():
        key = (row.section, row.line)
        if not (row.signed and row.has_name and row.has_address):
            out[key] = Link(None, "incomplete", None)
            continue
        if row.line_id in linked:
            voter, p = linked[row.line_id]
            if status_of[voter] == "C":
                out[key] = Link(voter, "canceled", p)
            elif voter in counted:
                out[key] = Link(voter, "duplicate", p)
            else:
                counted.add(voter)
                out[key] = Link(voter, "valid", p)
            continue
        in_county = (row.zip5 in county_zips if row.zip5 else
                     row.city in roll_cities if row.city else True)  # fmt: skip
        if not in_county:  # whoever signs outside the county, registered or not
            out[key] = Link(None, "out_of_jurisdiction", None)
        elif row.line_id in moved_to:
            voter, p = moved_to[row.line_id]
            out[key] = Link(voter, "address_mismatch", p)
        else:
            out[key] = Link(None, "not_registered", None)
    return out


def write_decisions(decisions: dict[Key, Link], path: Path) -> None:
    with Path(path).open("w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["section", "line", "status", "voter", "probability"])
        for (section, line), d in sorted(decisions.items()):
            p = "" if d.probability is None else f"{d.probability:.4f}"
            out.writerow([section, line, d.status, d.voter_id or "", p])


def read_decisions(path: Path) -> Iterable[tuple[int, int, str, str | None]]:
    """(section, line, status, voter) of a decisions file written by write_decisions."""
    with Path(path).open(newline="") as f:
        for r in csv.DictReader(f):
            yield int(r["section"]), int(r["line"]), r["status"], r["voter"] or None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roll", type=Path)
    parser.add_argument("lines", type=Path)
    parser.add_argument("--out", type=Path, help="write every line's decision to this CSV")
    args = parser.parse_args()
    decisions = link(args.roll, args.lines)
    if args.out:
        write_decisions(decisions, args.out)
    counts: dict[str, int] = {}
    for d in decisions.values():
        counts[d.status] = counts.get(d.status, 0) + 1
    print(", ".join(f"{k} {v:,}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])),
          file=sys.stderr)  # fmt: skip


if __name__ == "__main__":
    main()
