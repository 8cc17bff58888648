"""Small voter files written by tests, in both formats."""

import csv
import gzip
from pathlib import Path

from voters.voterfile import CA_SOS_COLUMNS, CANONICAL_COLUMNS

BASE = {
    "first_name": "MARIA", "middle_name": "", "last_name": "GARCIA", "name_suffix": "",
    "house_number": "123", "house_fraction": "", "street_predir": "N", "street_name": "MAIN",
    "street_type": "ST", "street_postdir": "", "unit_type": "", "unit_number": "",
    "city": "LOS ANGELES", "state": "CA", "zip": "900121234", "birth_date": "1980-05-17",
    "registration_date": "2004-09-01", "status": "A", "party": "DEM", "precinct": "9001234",
}  # fmt: skip


def voter(voter_id: str | int, **fields) -> dict:
    return {"voter_id": str(voter_id), **BASE, **fields}


PINE_ZIPS = {"LONG BEACH": "90802", "WHITTIER": "90605", "AVALON": "90704"}


def pine_voter(voter_id: str, first: str, last: str, number: int, city: str = "LONG BEACH") -> dict:
    """An active voter at a house of PINE ST in one of a few places (PINE_ZIPS): the rolls of
    the tests of how common a name is, county-wide or in a place."""
    return {"voter_id": voter_id, "first_name": first, "last_name": last, "status": "A",
            "house_number": str(number), "street_predir": "", "street_name": "PINE",
            "street_type": "ST", "city": city, "zip": PINE_ZIPS[city]}  # fmt: skip


def write_canonical(path: Path, rows: list[dict], columns=None, gz: bool = False) -> Path:
    columns = list(
        columns
        or (*CANONICAL_COLUMNS, *sorted({k for r in rows for k in r} - set(CANONICAL_COLUMNS)))
    )
    opener = gzip.open if gz else open
    with opener(path, "wt", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def many(n: int, start: int = 1) -> list[dict]:
    return [
        voter(start + i, last_name=f"SURNAME{i % 97}", house_number=str(100 + i)) for i in range(n)
    ]


SOS_FROM_CANONICAL = {
    "RegistrantID": "voter_id", "LastName": "last_name", "FirstName": "first_name",
    "MiddleName": "middle_name", "Suffix": "name_suffix", "AddressNumber": "house_number",
    "HouseFractionNumber": "house_fraction", "StreetDirPrefix": "street_predir",
    "StreetName": "street_name", "StreetType": "street_type", "StreetDirSuffix": "street_postdir",
    "UnitType": "unit_type", "UnitNumber": "unit_number", "City": "city", "State": "state",
    "Zip": "zip", "DOB": "birth_date", "RegistrationDate": "registration_date",
    "Status": "status", "PartyCode": "party", "Precinct": "precinct",
}  # fmt: skip


def write_sos(path: Path, rows: list[dict], extra_columns=()) -> Path:
    """A California SoS extract: tab-delimited, latin-1, every documented column."""
    columns = [*CA_SOS_COLUMNS, *extra_columns]
    with open(path, "w", newline="", encoding="latin-1") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            values = []
            for column in columns:
                if column in SOS_FROM_CANONICAL:
                    values.append(row.get(SOS_FROM_CANONICAL[column], ""))
                elif column == "CountyCode":
                    values.append(row.get("county_code", "19"))
                elif column == "Email":
                    values.append("secret@example.org")
                else:
                    values.append(row.get(column, ""))
            writer.writerow(values)
    return path
