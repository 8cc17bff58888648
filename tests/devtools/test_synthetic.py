"""The synthetic roll and petition-line generators: reproducible, well-formed, realistic mixes."""

import csv
import gzip
import json
import re
from collections import Counter, defaultdict
from datetime import date

import pytest

from devtools import synthetic
from devtools.synthetic import county, tables
from devtools.synthetic import roll as roll_module
from devtools.synthetic.noise import STRIP_ACCENTS
from devtools.synthetic.people import first_part
from matching.addresses import city_key
from matching.places import county_places

ROLL_VOTERS = 20_000
SIGNATURE_LINES = 8_000


def _read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _plain(text):
    return text.upper().translate(STRIP_ACCENTS)


@pytest.fixture(scope="module")
def roll_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("roll") / "roll.csv"
    synthetic.write_roll(path, ROLL_VOTERS, seed=7, workers=1)
    return path


@pytest.fixture(scope="module")
def roll(roll_path):
    return _read(roll_path)


@pytest.fixture(scope="module")
def petition(roll_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("petition")
    out, truth = folder / "lines.csv", folder / "truth.csv"
    counts = synthetic.write_signatures(roll_path, out, SIGNATURE_LINES, seed=11, truth_path=truth)
    return {"out": out, "truth": truth, "counts": counts, "lines": _read(out), "rows": _read(truth)}


def _households(roll):
    """Consecutive rows at one address and unit (the generator writes households together)."""
    groups, key = [], None
    for row in roll:
        k = (row["house_number"], row["street_name"], row["unit_number"], row["city"])
        if k != key:
            groups.append([])
            key = k
        groups[-1].append(row)
    return groups


# ---------------------------------------------------------------------------------------------
# The roll
# ---------------------------------------------------------------------------------------------
def test_roll_header_is_exact(roll_path):
    with open(roll_path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n")
    assert header == (
        "voter_id,first_name,middle_name,last_name,name_suffix,house_number,house_fraction,"
        "street_predir,street_name,street_type,street_postdir,unit_type,unit_number,city,state,"
        "zip,birth_date,registration_date,status,party,precinct,supervisorial_district"
    )


def test_roll_has_the_requested_number_of_voters(roll):
    assert len(roll) == ROLL_VOTERS


def test_same_seed_gives_same_bytes_whatever_the_workers(tmp_path, monkeypatch):
    monkeypatch.setattr(roll_module, "CHUNK_SIZE", 1_000)  # several chunks, so workers interleave
    one, two, other = tmp_path / "one.csv", tmp_path / "two.csv", tmp_path / "other.csv"
    synthetic.write_roll(one, 5_000, seed=3, workers=1)
    synthetic.write_roll(two, 5_000, seed=3, workers=2)
    synthetic.write_roll(other, 5_000, seed=4, workers=1)
    assert one.read_bytes() == two.read_bytes()
    assert one.read_bytes() != other.read_bytes()


def test_gz_output_is_gzip_of_the_same_csv(tmp_path, monkeypatch):
    monkeypatch.setattr(roll_module, "CHUNK_SIZE", 1_000)
    plain, packed = tmp_path / "roll.csv", tmp_path / "roll.csv.gz"
    synthetic.write_roll(plain, 2_500, seed=5, workers=2)
    synthetic.write_roll(packed, 2_500, seed=5, workers=1)
    assert packed.read_bytes()[:2] == b"\x1f\x8b"
    assert gzip.decompress(packed.read_bytes()) == plain.read_bytes()


def test_iter_voters_matches_the_file(roll):
    rows = list(synthetic.iter_voters(ROLL_VOTERS, seed=7))
    assert [dict(zip(synthetic.ROLL_HEADER, r, strict=True)) for r in rows[:500]] == roll[:500]
    assert len(rows) == ROLL_VOTERS


def test_voter_ids_are_unique_numeric_and_increasing(roll):
    ids = [r["voter_id"] for r in roll]
    assert all(i.isdigit() for i in ids)
    assert len(set(ids)) == len(ids)
    numbers = [int(i) for i in ids]
    assert numbers == sorted(numbers)


def test_status_shares(roll):
    shares = {k: v / len(roll) for k, v in Counter(r["status"] for r in roll).items()}
    assert set(shares) == {"A", "I", "C"}
    assert shares["A"] == pytest.approx(0.93, abs=0.01)
    assert shares["I"] == pytest.approx(0.04, abs=0.008)
    assert shares["C"] == pytest.approx(0.03, abs=0.008)


def test_party_shares(roll):
    shares = {k: v / len(roll) for k, v in Counter(r["party"] for r in roll).items()}
    assert set(shares) == set(county.PARTIES)
    assert shares["DEM"] == pytest.approx(0.51, abs=0.03)
    assert shares["NPP"] == pytest.approx(0.25, abs=0.03)
    assert shares["REP"] == pytest.approx(0.175, abs=0.03)


def test_about_forty_percent_hispanic_surnames(roll):
    hispanic = set(county.SURNAMES["H"])
    share = sum(first_part(_plain(r["last_name"])) in hispanic for r in roll) / len(roll)
    # Filipino voters with Spanish surnames (SANTOS, REYES, CRUZ) count here too.
    assert 0.36 <= share <= 0.48


def test_common_surnames_are_very_common_with_a_long_tail(roll):
    counts = Counter(_plain(r["last_name"]) for r in roll)
    top = [name for name, _ in counts.most_common(12)]
    assert {"GARCIA", "HERNANDEZ", "LOPEZ", "SMITH"} <= set(top)
    assert 0.006 <= counts["GARCIA"] / len(roll) <= 0.02
    assert len(counts) > 3_000  # 20k voters: thousands of distinct surnames


def test_asian_armenian_and_middle_eastern_surnames_present(roll):
    counts = Counter(_plain(r["last_name"]) for r in roll)
    for name in ("NGUYEN", "TRAN", "KIM", "PARK", "WONG", "CHEN", "SANTOS", "PATEL"):
        assert counts[name] > 0, name
    armenian = sum(n for s, n in counts.items() if s.endswith(("YAN", "IAN")))
    assert 0.02 <= armenian / len(roll) <= 0.08


def test_accents_kept_by_some_voters_only(roll):
    accented = [r for r in roll if any(ord(c) > 127 for c in r["first_name"] + r["last_name"])]
    assert 0.03 <= len(accented) / len(roll) <= 0.12
    names = Counter(r["first_name"].upper() for r in roll)
    assert names["JOSÉ"] > 0
    assert names["JOSE"] > names["JOSÉ"]
    assert any(c in r["last_name"].upper() for r in accented for c in "ÑÁÉÍÓÚ")


def test_compound_hyphenated_and_particle_surnames(roll):
    lasts = [r["last_name"].upper() for r in roll]
    compound = [s for s in lasts if " " in s and first_part(s) != s]
    assert len(compound) / len(roll) > 0.04  # GARCIA LOPEZ
    assert any("-" in s for s in lasts)
    assert any(s.startswith(("DE LA ", "DEL ", "DE ")) for s in lasts)


def test_names_mostly_uppercase_some_mixed_case(roll):
    mixed = sum(r["last_name"] != r["last_name"].upper() for r in roll) / len(roll)
    assert 0.01 <= mixed <= 0.08


def test_middle_names_often_blank_or_an_initial(roll):
    middles = Counter(
        "blank" if not r["middle_name"] else "initial" if len(r["middle_name"]) == 1 else "full"
        for r in roll
    )
    assert 0.3 <= middles["blank"] / len(roll) <= 0.6
    assert 0.1 <= middles["initial"] / len(roll) <= 0.3
    assert middles["full"] > 0


def test_household_sizes_one_to_six(roll):
    sizes = Counter(len(h) for h in _households(roll))
    total = sum(sizes.values())
    assert max(sizes) <= 6
    assert 0.28 <= sizes[1] / total <= 0.45
    assert 0.28 <= sizes[2] / total <= 0.45
    assert sizes[5] + sizes[6] > 0


def test_households_share_surnames_and_jr_sr_pairs_exist(roll):
    households = [h for h in _households(roll) if len(h) >= 2]
    sharing = sum(len({first_part(_plain(r["last_name"])) for r in h}) < len(h) for h in households)
    assert sharing / len(households) > 0.5
    pairs = 0
    for h in households:
        named = {
            (_plain(r["first_name"]), _plain(r["last_name"]), r["name_suffix"].upper()) for r in h
        }
        pairs += any((f, last, "SR") in named for f, last, s in named if s == "JR")
    assert pairs >= 20


def test_twins_occur(roll):
    twins = 0
    for h in _households(roll):
        births = Counter((r["birth_date"], _plain(r["last_name"])) for r in h)
        twins += any(n >= 2 for n in births.values())
    assert twins >= 3


def test_apartment_buildings_have_many_units(roll):
    with_unit = [r for r in roll if r["unit_number"]]
    assert 0.25 <= len(with_unit) / len(roll) <= 0.55
    assert {r["unit_type"] for r in with_unit} <= {"APT", "UNIT", "#", "SPC"}
    assert {"APT", "UNIT", "#"} <= {r["unit_type"] for r in with_unit}
    assert all(not r["unit_type"] for r in roll if not r["unit_number"])
    buildings = Counter((r["house_number"], r["street_name"], r["city"]) for r in with_unit)
    assert max(buildings.values()) >= 20


def test_house_fractions_are_rare_halves(roll):
    fractions = Counter(r["house_fraction"] for r in roll)
    assert set(fractions) == {"", "1/2"}
    assert 0.0005 <= fractions["1/2"] / len(roll) <= 0.01


def test_dates_are_iso_adults_registered_after_eighteen(roll):
    ref = synthetic.REFERENCE_DATE
    ages = []
    for r in roll:
        born = date.fromisoformat(r["birth_date"])
        registered = date.fromisoformat(r["registration_date"])
        eighteenth = born.replace(year=born.year + 18, day=28 if born.day == 29 else born.day)
        age = ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))
        ages.append(age)
        assert 18 <= age <= 100, r
        assert date(1970, 1, 1) <= registered <= date(2026, 10, 1), r
        assert registered >= eighteenth, r
    assert min(ages) < 21
    assert max(ages) > 90


def test_cities_are_real_and_los_angeles_is_the_largest(roll):
    cities = Counter(r["city"] for r in roll)
    known = {a.city for a in tables.county_tables().areas}
    assert set(cities) <= known
    assert 0.34 <= cities["LOS ANGELES"] / len(roll) <= 0.44
    assert len(cities) >= 70
    assert {"EAST LOS ANGELES", "LONG BEACH", "GLENDALE"} <= set(cities)
    assert all(r["state"] == "CA" for r in roll)


def test_data_covers_eighty_cities_with_their_zip_codes():
    cities = county.CITIES
    assert len(cities) + 1 >= 80  # plus Los Angeles itself
    assert all(re.fullmatch(r"9\d{4}( 9\d{4})*", zips) for _, _, _, _, zips, _ in cities)
    hoods = [place[0] for place in county.LA_NEIGHBOURHOODS]
    assert {"HOLLYWOOD", "VAN NUYS", "NORTH HOLLYWOOD", "ENCINO", "SAN PEDRO", "WILMINGTON"} <= set(
        hoods
    )


def test_the_generator_writes_the_places_production_matching_knows():
    known = county_places()
    for name, _, _, _, zips, _ in county.LA_NEIGHBOURHOODS:
        assert known.community_zips[city_key(name)] == set(zips.split()), name
        assert known.community_city[city_key(name)] == "LOS ANGELES"
    for (city, zip5), communities in county.SUB_COMMUNITIES.items():
        assert all(zip5 in known.community_zips[city_key(c)] for c in communities), city
    for city, aliases in county.CITY_ALIASES.items():
        assert all(city_key(city) in known.aliases[city_key(a)] for a in aliases), city
    assert len(county.LA_NEIGHBOURHOODS) == 83
    assert county.SUB_COMMUNITIES[("SANTA CLARITA", "91355")] == ("VALENCIA",)
    assert county.CITY_ALIASES["NORTH HOLLYWOOD"] == ("N HOLLYWOOD", "NOHO", "N. HOLLYWOOD")


def test_every_zip_belongs_to_its_city(roll):
    zips_of = defaultdict(set)
    for area in tables.county_tables().areas:
        zips_of[area.city].update(area.zips)
    assert all(r["zip"][:5] in zips_of[r["city"]] for r in roll)
    shapes = Counter(len(r["zip"]) for r in roll)
    assert set(shapes) == {5, 9}
    assert 0.8 <= shapes[9] / len(roll) <= 0.9


def test_streets_look_like_los_angeles(roll):
    names = Counter(r["street_name"] for r in roll)
    assert any(re.fullmatch(r"\d+(ST|ND|RD|TH)", n) for n in names)
    assert any(re.fullmatch(r"AVENUE \d+", n) for n in names)
    assert {"ST", "AVE", "BLVD", "DR", "PL"} <= {r["street_type"] for r in roll}
    assert {"N", "S", "E", "W"} <= {r["street_predir"] for r in roll}
    assert not {r["street_type"] for r in roll if r["street_name"].startswith("AVENUE ")} - {""}


def test_precincts_and_districts_are_consistent(roll):
    precinct_of, district_of = {}, {}
    for r in roll:
        assert re.fullmatch(r"\d{7,10}", r["precinct"]), r["precinct"]
        assert r["supervisorial_district"] in {"1", "2", "3", "4", "5"}
        # Street names repeat across the City of Los Angeles, so the ZIP is part of the address.
        address = (r["house_number"], r["street_predir"], r["street_name"], r["zip"][:5])
        assert precinct_of.setdefault(address, r["precinct"]) == r["precinct"]
        district_of.setdefault(r["precinct"], set()).add(r["supervisorial_district"])
        if r["city"] != "LOS ANGELES":
            district_of.setdefault(r["city"], set()).add(r["supervisorial_district"])
    assert all(len(d) == 1 for d in district_of.values())


# ---------------------------------------------------------------------------------------------
# Petition lines
# ---------------------------------------------------------------------------------------------
def test_petition_headers_are_exact(petition):
    with open(petition["out"], encoding="utf-8") as f:
        assert (
            f.readline()
            == "section,line,printed_name,residence_address,city,zip,signed,circulator\n"
        )
    with open(petition["truth"], encoding="utf-8") as f:
        assert f.readline() == "section,line,status,voter_id,noise\n"


def test_petition_is_reproducible(roll_path, tmp_path):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    synthetic.write_signatures(roll_path, a, 1_500, seed=2, truth_path=tmp_path / "ta.csv")
    synthetic.write_signatures(roll_path, b, 1_500, seed=2, truth_path=tmp_path / "tb.csv")
    synthetic.write_signatures(roll_path, c, 1_500, seed=9)
    assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "ta.csv").read_bytes() == (tmp_path / "tb.csv").read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_petition_reads_a_gzipped_roll(roll_path, tmp_path):
    packed = tmp_path / "roll.csv.gz"
    packed.write_bytes(gzip.compress(roll_path.read_bytes()))
    synthetic.write_signatures(packed, tmp_path / "a.csv", 300, seed=1)
    synthetic.write_signatures(roll_path, tmp_path / "b.csv", 300, seed=1)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_petition_mix_matches_la_county_2022(petition):
    statuses = Counter(r["status"] for r in petition["rows"])
    assert statuses == petition["counts"]
    assert sum(statuses.values()) == SIGNATURE_LINES
    tolerance = {
        "valid": 0.025,
        "not_registered": 0.015,
        "duplicate": 0.012,
        "address_mismatch": 0.01,
        "canceled": 0.005,
        "out_of_jurisdiction": 0.004,
        "incomplete": 0.005,
    }
    # LA County 2022 full count (DOMAIN.md); signature mismatches fold into valid.
    la_2022 = {
        "valid": 0.7265 + 0.0133,
        "not_registered": 0.1236,
        "duplicate": 0.0609,
        "address_mismatch": 0.0450,
        "canceled": 0.0103,
        "out_of_jurisdiction": 0.0075,
        "incomplete": 0.0130,
    }
    for status, target in la_2022.items():
        share = statuses[status] / SIGNATURE_LINES
        assert share == pytest.approx(target, abs=tolerance[status]), status


def test_truth_lines_up_with_the_petition(petition):
    keys = [(r["section"], r["line"]) for r in petition["lines"]]
    assert keys == [(r["section"], r["line"]) for r in petition["rows"]]


def test_truth_voters_exist_with_the_right_status(petition, roll):
    by_id = {r["voter_id"]: r for r in roll}
    for t in petition["rows"]:
        if t["status"] in ("not_registered", "out_of_jurisdiction"):
            assert t["voter_id"] == ""
            continue
        voter = by_id[t["voter_id"]]
        if t["status"] == "valid":
            assert voter["status"] in ("A", "I")
        elif t["status"] == "canceled":
            assert voter["status"] == "C"
        elif t["status"] == "address_mismatch":
            assert voter["status"] == "A"


def test_duplicates_point_at_an_earlier_counted_line_in_another_section(petition):
    first_counted = {}
    duplicates = 0
    sections = Counter((t["section"], t["voter_id"]) for t in petition["rows"] if t["voter_id"])
    assert max(sections.values()) == 1  # nobody signs one section twice
    for t in petition["rows"]:
        if t["status"] == "valid":
            assert t["voter_id"] not in first_counted, "a voter counted twice"
            first_counted[t["voter_id"]] = t["section"]
        elif t["status"] in ("address_mismatch", "canceled"):
            # A mover's or a cancelled voter's second line keeps its own defect: only a
            # qualifying signature can be a duplicate.
            if t["voter_id"] in first_counted:
                assert first_counted[t["voter_id"]] != t["section"]
            first_counted[t["voter_id"]] = t["section"]
        elif t["status"] == "duplicate":
            duplicates += 1
            assert t["voter_id"] in first_counted
            assert first_counted[t["voter_id"]] != t["section"]
    assert duplicates > 0


def test_signers_write_their_registered_or_a_different_address(petition, roll):
    by_id = {r["voter_id"]: r for r in roll}
    moved_differs = 0
    moved = 0
    for line, t in zip(petition["lines"], petition["rows"], strict=True):
        if t["status"] in ("valid", "canceled") and "house_digit" not in t["noise"]:
            assert line["residence_address"].split(" ")[0] == by_id[t["voter_id"]]["house_number"]
        if t["status"] == "address_mismatch":
            voter = by_id[t["voter_id"]]
            moved += 1
            written = line["residence_address"].upper()
            moved_differs += (
                written.split(" ")[0] != voter["house_number"]
                or voter["street_name"].split(" ")[0] not in written
            )
    assert moved > 0
    assert moved_differs == moved


def test_sections_circulators_and_line_numbers(petition):
    sections = defaultdict(list)
    for line in petition["lines"]:
        sections[int(line["section"])].append(line)
    assert sorted(sections) == list(range(1, len(sections) + 1))
    sizes = Counter(len(v) for v in sections.values())
    assert max(sizes) <= 30
    assert sum(n for size, n in sizes.items() if 10 <= size <= 20) / len(sections) > 0.6
    for lines in sections.values():
        assert [int(x["line"]) for x in lines] == list(range(1, len(lines) + 1))
        assert len({x["circulator"] for x in lines}) == 1
    circulators = Counter(x["circulator"] for x in petition["lines"])
    assert 50 <= len(circulators) <= 400


def test_a_few_circulators_are_much_worse(petition):
    valid_share = defaultdict(lambda: [0, 0])
    for line, t in zip(petition["lines"], petition["rows"], strict=True):
        valid_share[line["circulator"]][0] += t["status"] == "valid"
        valid_share[line["circulator"]][1] += 1
    busy = {c: v / n for c, (v, n) in valid_share.items() if n >= 40}
    assert min(busy.values()) < 0.6
    assert sorted(busy.values())[len(busy) // 2] > 0.7


def test_incomplete_lines_are_the_blank_or_unsigned_ones(petition):
    for line, t in zip(petition["lines"], petition["rows"], strict=True):
        blank = not line["printed_name"] or not line["residence_address"] or line["signed"] == "no"
        assert blank == (t["status"] == "incomplete"), (line, t)
        assert line["signed"] in ("yes", "no")


def test_lines_are_written_as_people_write(petition):
    lines = [x for x in petition["lines"] if x["printed_name"]]
    names = [x["printed_name"] for x in lines]
    assert any(n == n.lower() for n in names)
    assert any(n == n.upper() for n in names)
    assert sum("," in n for n in names) / len(names) > 0.03  # "Last, First"
    nicknames = {_plain(n) for ns in county.NICKNAMES.values() for n in ns}
    assert sum(_plain(n).split(" ")[0] in nicknames for n in names) / len(names) > 0.01
    cities = Counter(_plain(x["city"]) for x in lines)
    assert cities["VAN NUYS"] + cities["HOLLYWOOD"] + cities["NORTH HOLLYWOOD"] > 0
    assert cities["LOS ANGELES"] > 0
    zips = sum(bool(x["zip"]) for x in lines) / len(lines)
    assert 0.05 <= zips <= 0.35
    assert all(x["zip"] for x in lines if x["residence_address"] and not x["city"])
    addresses = [x["residence_address"] for x in lines if x["residence_address"]]
    assert any(re.search(r"\b(Street|Avenue|Boulevard)\b", a, re.IGNORECASE) for a in addresses)
    assert any(re.search(r"(#|Apt\.?|Unit) ?\w+$", a, re.IGNORECASE) for a in addresses)


def test_apartment_dwellers_often_leave_out_the_unit(petition, roll):
    by_id = {r["voter_id"]: r for r in roll}
    in_units = [
        line
        for line, t in zip(petition["lines"], petition["rows"], strict=True)
        if t["status"] == "valid" and by_id[t["voter_id"]]["unit_number"]
    ]
    missing = sum(
        not re.search(r"(#|APT\.?|UNIT|NO\.|SPC|SPACE|SP) ?\S+$", x["residence_address"].upper())
        for x in in_units
    )
    assert 0.2 <= missing / len(in_units) <= 0.45


def test_some_names_have_typos_or_dropped_accents(petition, roll):
    by_id = {r["voter_id"]: r for r in roll}
    accented = dropped = 0
    for line, t in zip(petition["lines"], petition["rows"], strict=True):
        if t["status"] != "valid":
            continue
        last = by_id[t["voter_id"]]["last_name"].upper()
        if any(ord(c) > 127 for c in last):
            accented += 1
            dropped += all(ord(c) < 128 for c in line["printed_name"])
    assert accented > 0
    assert 0.2 <= dropped / accented <= 0.8


def test_not_registered_are_often_family_at_a_registered_address(petition, roll):
    surnames_at = defaultdict(set)
    names_at = defaultdict(set)
    for r in roll:
        address = (r["house_number"], r["street_name"])
        surnames_at[address].add(first_part(_plain(r["last_name"])))
        names_at[address].add(_plain(r["first_name"]))
    family = total = 0
    for line, t in zip(petition["lines"], petition["rows"], strict=True):
        if t["status"] != "not_registered":
            continue
        total += 1
        number = line["residence_address"].split(" ")[0]
        words = set(re.split(r"[ ,]+", _plain(line["printed_name"])))
        family += any(
            surnames_at[a] & words
            for a in surnames_at.keys() & {(number, s) for s in _street_guesses(line)}
        )
    assert 0.35 <= family / total <= 0.75


def _street_guesses(line):
    words = _plain(line["residence_address"]).replace(".", "").split(" ")[1:]
    return {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


def test_out_of_county_signers_name_california_cities_outside_la(petition):
    outside = {city: set(zips) for city, zips in county.OUT_OF_COUNTY}
    for line, t in zip(petition["lines"], petition["rows"], strict=True):
        if t["status"] == "out_of_jurisdiction":
            city = _plain(line["city"])
            assert city in outside or line["zip"] in set().union(*outside.values()), line


def test_every_data_file_names_its_source():
    files = sorted(county.DATA.iterdir())
    assert {f.suffix for f in files} == {".csv", ".json"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            assert json.loads(text)["source"].strip(), path.name
        else:
            assert text.startswith("# source: "), path.name
