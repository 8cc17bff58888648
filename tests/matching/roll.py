"""A small roll in memory: voters as the importer keys them, and what the blocking passes hand
matching.decide for a line (every voter of the roll, graded, best first)."""

from datetime import date

from matching.addresses import city_key, street_key
from matching.compare import Agreement, Candidate, LineKeys, compare, line_keys
from matching.decide import Outcome, decide
from matching.names import first_key
from matching.nicknames import nickname_canon
from matching.places import place_zips
from matching.text import name_key

BASE = {
    "first_name": "MARIA", "middle_name": "", "last_name": "GARCIA", "name_suffix": "",
    "house_number": "123", "street_predir": "N", "street_name": "MAIN", "street_type": "ST",
    "unit_number": "", "city": "LOS ANGELES", "zip": "90012", "status": "A",
    "registration_date": "2004-09-01",
}  # fmt: skip


# Three LINDA JONESes and three MICHAEL JONESes, one of each registered together at LAURA ST (a
# household that moved together): id, given name, house number, street, city. Shared by the
# engine's mover tests (as candidates) and the batch's (as roll rows).
JONESES = [
    ("L1", "LINDA", "3518", "LAURA", "COMPTON"),
    ("M1", "MICHAEL", "3518", "LAURA", "COMPTON"),
    ("L2", "LINDA", "13464", "SHEFFIELD", "LONG BEACH"),
    ("M2", "MICHAEL", "5805", "ORCHID", "SANTA CLARITA"),
    ("L3", "LINDA", "2075", "FIGUEROA", "LOS ANGELES"),
    ("M3", "MICHAEL", "10864", "CENTRAL", "GLENDALE"),
]


# The hard cases' voters, shared by the engine's tests (as candidates, below) and the petitions'
# end-to-end tests (as rows of a roll file): id, given name, surname, house number, street,
# street type, city, ZIP, then any other field of the roll file.
_HARD_CASES = [
    ("SR1", "JOSE", "MARTINEZ", "500", "ELM", "ST", "PASADENA", "91101", {"name_suffix": "SR"}),
    ("JR1", "JOSE", "MARTINEZ", "500", "ELM", "ST", "PASADENA", "91101", {"name_suffix": "JR"}),
    ("BOB", "ROBERT", "SMITHERS", "12", "OAK", "AVE", "GLENDALE", "91201"),
    ("CMP", "MARIA", "GARCIA LOPEZ", "77", "FIGUEROA", "ST", "LOS ANGELES", "90012"),
    ("ACC", "JOSÉ", "NÚÑEZ", "8", "MAPLE", "DR", "LOS ANGELES", "90026"),
    ("UNI", "GRACE", "OKAFOR", "900", "VERMONT", "AVE", "LOS ANGELES", "90029",
     {"unit_type": "APT", "unit_number": "4B"}),
    ("MOV", "ZEBEDIAH", "QUILLFEATHER", "31", "PINE", "ST", "LONG BEACH", "90802"),
    ("CAN", "HAROLD", "BLUMENTHAL", "4", "ASH", "CT", "TORRANCE", "90501", {"status": "C"}),
    ("LAT", "NORA", "LINDQVIST", "66", "BIRCH", "LN", "BURBANK", "91502",
     {"registration_date": "2026-09-01"}),
    ("HIL", "MARIA", "MALDONADO ESPINOZA", "17019", "INDIAN HILL", "BLVD", "NORWALK", "90650"),
    ("JPA", "ANGELICA", "JIMENEZ PANTOJA", "9296", "SUNNYSIDE", "AVE", "HAWTHORNE", "90250"),
    ("DLF", "DOLORES", "DE LA FUENTE", "9619", "STOCKER", "ST", "LOS ANGELES", "90001"),
    ("AVC", "GABRIELA", "ÁLVAREZ CASTAÑEDA", "4524", "GORDON", "DR", "LYNWOOD", "90262"),
    ("MI1", "MICHELLE", "MASON", "8048", "FOOTHILL", "BLVD", "POMONA", "91767"),
    ("MA1", "MARK", "MASON", "8048", "FOOTHILL", "BLVD", "POMONA", "91767"),
]  # fmt: skip
_HARD_CASE_COLUMNS = (
    "first_name", "last_name", "house_number", "street_name", "street_type", "city", "zip",
)  # fmt: skip
# (id, the roll file's fields) for each.
HARD_CASE_VOTERS: list[tuple[str, dict[str, str]]] = [
    (voter_id, {**dict(zip(_HARD_CASE_COLUMNS, values[:7], strict=True)), **dict(*values[7:])})
    for voter_id, *values in _HARD_CASES
]


def candidate(voter_id: str, **fields: str) -> Candidate:
    """A voter with the keys the importer stores (voters.voterfile computes the same ones)."""
    v = {**BASE, **fields}
    first = first_key(v["first_name"])
    street = " ".join(
        p for p in (v["house_number"], v["street_predir"], v["street_name"], v["street_type"]) if p
    )
    return Candidate(
        registrant_id=voter_id, first_name=v["first_name"], middle_name=v["middle_name"],
        last_name=v["last_name"], name_suffix=v["name_suffix"], house_number=v["house_number"],
        street_line=street, unit_number=v["unit_number"], city=v["city"], zip5=v["zip"][:5],
        status=v["status"], registration_date=date.fromisoformat(v["registration_date"]),
        last_key=name_key(v["last_name"]), first_key=first, first_canon=nickname_canon(first),
        street_key=street_key(v["street_name"]), city_key=city_key(v["city"]),
    )  # fmt: skip


def places(roll: list[Candidate]) -> dict[str, set[str]]:
    return place_zips([(c.city_key, c.zip5) for c in roll])


def graded(keys: LineKeys, roll: list[Candidate]) -> list[Agreement]:
    """Every voter of the roll graded against the line, best person match first."""
    where = places(roll)
    return sorted((compare(keys, c, where) for c in roll), key=lambda a: -a.person)


def name_count(keys: LineKeys, roll: list[Candidate]) -> int:
    """Voters of the line's name (surname and canonical given name) on the roll."""
    return sum(c.last_key in keys.last_keys and c.first_canon == keys.first_canon for c in roll)


def outcome(
    roll: list[Candidate], name: str, address: str, city: str = "", zip_code: str = "",
    *, signed: bool = True,
) -> Outcome:  # fmt: skip
    """What matching.decide makes of a line against the roll."""
    keys = line_keys(name, address, city, zip_code)
    return decide(keys, graded(keys, roll), name_count=name_count(keys, roll),
                  places=places(roll), signed=signed)  # fmt: skip
