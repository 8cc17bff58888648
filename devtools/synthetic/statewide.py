"""A synthetic statewide roll: California's 58 counties in the Secretary of State's extract format.

Each county's voters are the synthetic county's (roll.py: the same households, names and
streets; every county is drawn from the Los Angeles tables, so a county's cities are not its
own), with the county's SoS code in CountyCode and a RegistrantID unique in the state (the
county's code times 10^9 plus the synthetic voter id). The counties' sizes are approximate
registration figures (COUNTY_VOTERS), scaled by `scale`.

write_statewide writes, in one pass over the rows, the statewide extract (tab-delimited,
latin-1, the documented columns then a SupDist district column, counties in code order) and
each county's canonical CSV roll (what write_signatures draws petition lines from). Chunks of
CHUNK_SIZE voters are rendered by worker processes, as write_roll does: 22 million rows take
minutes, not hours. write_statewide_lines writes a statewide petition's lines: each county's
share of the lines, in sections of that county, numbered on from the previous county's.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import unicodedata
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from devtools.synthetic.roll import (
    CHUNK_SIZE,
    ROLL_HEADER,
    _default_workers,
    _iter_chunk,
    rendered_in_order,
)
from devtools.synthetic.signatures import SIGNATURES_HEADER, write_signatures
from devtools.synthetic.tables import REFERENCE_DATE, county_tables

# Registered voters by SoS county code, rounded: approximate figures of the Secretary of State's
# reports of registration (2024), summing to about 22.7 million (the state had some 22.6M
# registered voters in October 2024). Not exact, and not meant to be:
# they give the benchmark the state's shape (one county of 5.7M, a handful above 1M, a long tail
# down to Alpine's thousand).
COUNTY_VOTERS: dict[str, int] = {
    "01": 950_000, "02": 1_000, "03": 28_000, "04": 130_000, "05": 36_000, "06": 11_000,
    "07": 740_000, "08": 15_000, "09": 145_000, "10": 530_000, "11": 14_000, "12": 90_000,
    "13": 90_000, "14": 12_000, "15": 450_000, "16": 65_000, "17": 40_000, "18": 15_000,
    "19": 5_700_000, "20": 80_000, "21": 180_000, "22": 13_000, "23": 55_000, "24": 130_000,
    "25": 5_000, "26": 8_000, "27": 220_000, "28": 90_000, "29": 80_000, "30": 1_850_000,
    "31": 300_000, "32": 14_000, "33": 1_350_000, "34": 950_000, "35": 40_000, "36": 1_200_000,
    "37": 1_950_000, "38": 520_000, "39": 420_000, "40": 190_000, "41": 450_000, "42": 240_000,
    "43": 1_050_000, "44": 170_000, "45": 120_000, "46": 2_400, "47": 30_000, "48": 280_000,
    "49": 330_000, "50": 300_000, "51": 55_000, "52": 40_000, "53": 9_000, "54": 240_000,
    "55": 40_000, "56": 500_000, "57": 120_000, "58": 45_000,
}  # fmt: skip
# A county keeps at least this many voters at any scale, so every county can be signed for.
MIN_COUNTY_VOTERS = 100

# The extract's documented columns (voters.voterfile.CA_SOS_COLUMNS, repeated here: the generator
# does not import the application), then one district column.
SOS_HEADER = (
    "CountyCode", "RegistrantID", "ExtractDate", "LastName", "FirstName", "MiddleName", "Suffix",
    "AddressNumber", "HouseFractionNumber", "AddressNumberSuffix", "StreetDirPrefix", "StreetName",
    "StreetType", "StreetDirSuffix", "UnitType", "UnitNumber", "City", "State", "Zip",
    "Phone1Area", "Phone1Exchange", "Phone1NumberPart", "Phone2Area", "Phone2Exchange",
    "Phone2NumberPart", "Phone3Area", "Phone3Exchange", "Phone3NumberPart", "Phone4Area",
    "Phone4Exchange", "Phone4NumberPart", "Email", "MailingAddressLine1", "MailingAddressLine2",
    "MailingAddressLine3", "MailingCity", "MailingState", "MailingZip5", "MailingCountry",
    "Language", "DOB", "Gender", "PartyCode", "Status", "RegistrationDate", "Precinct",
    "PrecinctNumber", "RegistrationMethodCode", "PlaceOfBirth", "NamePrefix",
    "NonStandardAddress", "VoterStatusReasonCodeDesc", "AssistanceRequestFlag", "VbmVoterType",
    "EmsVoterId", "PrecinctId", "SupDist",
)  # fmt: skip
EXTRACT_DATE = REFERENCE_DATE.strftime("%m/%d/%Y")
_PHONES_TO_LANGUAGE = "\t" * (SOS_HEADER.index("DOB") - SOS_HEADER.index("Zip"))
_AFTER_PRECINCT = "\t" * (len(SOS_HEADER) - SOS_HEADER.index("Precinct") - 1)
_COL = {name: i for i, name in enumerate(ROLL_HEADER)}


def county_sizes(scale: float) -> dict[str, int]:
    """Each county's voters at this scale (1.0: the full state)."""
    return {
        code: max(MIN_COUNTY_VOTERS, round(voters * scale))
        for code, voters in COUNTY_VOTERS.items()
    }


def _us_date(iso: str) -> str:
    return f"{iso[5:7]}/{iso[8:10]}/{iso[:4]}" if iso else ""


def _latin1(text: str) -> bytes:
    """The extract is latin-1: a character outside it loses its accent (or is dropped)."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        plain = unicodedata.normalize("NFKD", text)
        return plain.encode("latin-1", errors="ignore")


def _render(job: tuple[str, int, int, int, bool]) -> tuple[bytes, bytes]:
    """One chunk of a county: (its extract rows, its canonical CSV rows)."""
    code, seed, start, stop, header = job
    number = int(code)
    canonical = io.StringIO()
    writer = csv.writer(canonical, lineterminator="\n")
    if header:
        writer.writerow(ROLL_HEADER)
    sos = []
    voter_id = _COL["voter_id"]
    for row in _iter_chunk(seed * 100 + number, start, stop):
        registrant = str(number * 1_000_000_000 + int(row[voter_id]))
        row = (registrant, *row[1:])
        writer.writerow(row)
        (_, first, middle, last, suffix, house, fraction, predir, street, stype, postdir,
         unit_type, unit, city, state, zip_code, birth, registered, status, party, precinct,
         district) = row  # fmt: skip
        sos.append(
            f"{code}\t{registrant}\t{EXTRACT_DATE}\t{last}\t{first}\t{middle}\t{suffix}\t{house}"
            f"\t{fraction}\t\t{predir}\t{street}\t{stype}\t{postdir}\t{unit_type}\t{unit}\t{city}"
            f"\t{state}\t{zip_code}{_PHONES_TO_LANGUAGE}{_us_date(birth)}\t\t{party}\t{status}"
            f"\t{_us_date(registered)}\t{precinct}{_AFTER_PRECINCT}{district}\n"
        )
    return _latin1("".join(sos)), canonical.getvalue().encode("utf-8")


def write_statewide(
    extract_path: str | Path,
    county_dir: str | Path,
    scale: float = 1.0,
    seed: int = 0,
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write the statewide extract to extract_path and each county's canonical roll to
    county_dir/county-CC.csv; returns {county code: voters}. Memory stays constant: at most two
    chunks per worker in flight."""
    sizes = county_sizes(scale)
    county_dir = Path(county_dir)
    county_dir.mkdir(parents=True, exist_ok=True)
    jobs = [
        (code, seed, start, min(n, start + CHUNK_SIZE), start == 0)
        for code, n in sizes.items()
        for start in range(0, n, CHUNK_SIZE)
    ]
    workers = max(1, min(workers or _default_workers(), len(jobs)))
    county_tables()  # built once here so forked workers inherit it
    done = 0
    with ExitStack() as stack:
        extract = stack.enter_context(open(extract_path, "wb"))
        extract.write(("\t".join(SOS_HEADER) + "\n").encode("latin-1"))
        files = {
            code: stack.enter_context(open(county_dir / f"county-{code}.csv", "wb"))
            for code in sizes
        }

        def write(job: tuple[str, int, int, int, bool], data: tuple[bytes, bytes]) -> None:
            nonlocal done
            extract.write(data[0])
            files[job[0]].write(data[1])
            done += job[3] - job[2]
            if progress:
                progress(done)

        for job, data in rendered_in_order(_render, jobs, workers):
            write(job, data)
    return sizes


def county_lines(sizes: dict[str, int], lines: int) -> dict[str, int]:
    """Each county's share of the lines, in proportion to its voters (at least one line each;
    the largest county takes what rounding leaves)."""
    total = sum(sizes.values())
    shares = {code: max(1, round(lines * n / total)) for code, n in sizes.items()}
    largest = max(sizes, key=lambda code: sizes[code])
    shares[largest] += lines - sum(shares.values())
    return shares


def _county_signatures(job: tuple[str, str, str, int, int]) -> tuple[str, int]:
    code, roll_path, out_path, lines, seed = job
    write_signatures(roll_path, out_path, lines, seed=seed * 100 + int(code))
    return code, lines


def write_statewide_lines(
    county_dir: str | Path,
    out_path: str | Path,
    sizes: dict[str, int],
    lines: int,
    seed: int = 0,
    *,
    workers: int | None = None,
) -> dict[str, tuple[int, int]]:
    """Write a statewide petition's lines to out_path (the signatures CSV), each county's drawn
    from its own roll in county_dir; returns {county code: (first section, last section)}."""
    county_dir, out_path = Path(county_dir), Path(out_path)
    shares = county_lines(sizes, lines)
    parts = {code: out_path.with_name(f"{out_path.stem}.county-{code}.csv") for code in shares}
    # Largest first, so the last job to finish is a small one.
    jobs = sorted(
        (
            (code, str(county_dir / f"county-{code}.csv"), str(parts[code]), n, seed)
            for code, n in shares.items()
        ),
        key=lambda job: -job[3],
    )
    workers = max(1, min(workers or _default_workers(), len(jobs)))
    if workers == 1:
        for job in jobs:
            _county_signatures(job)
    else:
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with ctx.Pool(workers) as pool:
            list(pool.imap_unordered(_county_signatures, jobs))
    ranges: dict[str, tuple[int, int]] = {}
    offset = 0
    with open(out_path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(SIGNATURES_HEADER)
        for code in sorted(parts):
            last = offset
            with open(parts[code], encoding="utf-8", newline="") as part:
                reader = csv.reader(part)
                next(reader)
                for row in reader:
                    last = offset + int(row[0])
                    writer.writerow((last, *row[1:]))
            ranges[code] = (offset + 1, last)
            offset = last
            parts[code].unlink()
    return ranges
