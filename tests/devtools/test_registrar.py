"""The simulated registrar (devtools/synthetic/registrar.py), without a database."""

import csv
from collections import Counter

import pytest

from devtools.synthetic.registrar import (
    REGISTRAR_NAMES,
    RegistrarRules,
    decide,
    write_files,
)
from petitions.sampling import sample_size


def truth(lines: int, *, every: int = 5) -> list[dict[str, str]]:
    """Lines in sections of 20: mostly valid, every `every`th not registered, some movers, a
    nickname or an address typo here and there, and each 50th a voter signing again."""
    rows = []
    for i in range(lines):
        status, noise, voter = "valid", "", str(100_000 + i)
        if i % every == 0:
            status, voter = "not_registered", ""
        elif i % 50 == 1 and i > 50 and rows[i - 2]["status"] == "valid":
            status, voter = "duplicate", rows[i - 2]["voter_id"]
        elif i % 7 == 0:
            status, noise = "address_mismatch", "mover"
        elif i % 11 == 0:
            noise = "nickname"
        elif i % 13 == 0:
            noise = "house_digit;given_typo"
        rows.append({"section": str(i // 20 + 1), "line": str(i % 20 + 1), "status": status,
                     "voter_id": voter, "noise": noise})  # fmt: skip
    return rows


@pytest.mark.parametrize(
    ("raw", "rule", "expected"),
    [(300, "county", 300), (500, "county", 500), (8_000, "county", 500),
     (20_000, "county", 1_000), (20_001, "county", 1_001), (20_000, "statewide", 600)],
)  # fmt: skip
def test_the_sample_is_500_or_5_percent_3_statewide_and_every_line_under_500(raw, rule, expected):
    results = decide(truth(raw), RegistrarRules(), seed=1, sampling_rule=rule)
    assert len(results.sample) == expected == sample_size(raw, rule)
    assert len(set(results.sample)) == expected
    assert sum(results.sample_counts.values()) == expected


@pytest.mark.parametrize("rate", [0.0, 0.02, 0.1])
def test_its_error_rate_is_what_was_asked(rate):
    results = decide(truth(30_000), RegistrarRules(error_rate=rate), seed=2)
    erred = [d for d in results.lines if d.erred]
    assert len(erred) / results.raw == pytest.approx(rate, abs=0.004)
    # A mistake always changes the category its rules gave (a duplicate aside: see decide).
    assert all(d.by_rules != d.category or d.by_rules == "duplicate" for d in erred)


def test_its_rules_move_the_lines_they_apply_to_and_no_others():
    rows = truth(20_000)
    exact = decide(rows, RegistrarRules(), seed=3)
    assert Counter(d.category for d in exact.lines) == Counter(r["status"] for r in rows)
    strict = decide(rows, RegistrarRules(address_noise_rejected=1.0, nicknames_rejected=1.0,
                                         movers_accepted=1.0), seed=3)  # fmt: skip
    by_key = {(int(r["section"]), int(r["line"])): r for r in rows}
    for d in strict.lines:
        row = by_key[(d.section, d.line)]
        if row["status"] == "valid" and "house_digit" in row["noise"]:
            assert d.category == "address_mismatch"
        elif row["status"] == "valid" and "nickname" in row["noise"]:
            assert d.category == "not_registered"
        elif row["status"] == "address_mismatch":
            assert d.category == "valid"
        elif row["status"] == "duplicate":  # counts if the voter's first line did not
            assert d.category in ("duplicate", "valid")
        else:
            assert d.category == row["status"]


def test_a_signature_mismatch_rate_rejects_that_share_of_valid_lines():
    results = decide(truth(30_000), RegistrarRules(signature_mismatch=0.05), seed=4)
    by_rules = Counter(d.by_rules for d in results.lines)
    share = by_rules["signature_mismatch"] / (by_rules["signature_mismatch"] + by_rules["valid"])
    assert share == pytest.approx(0.05, abs=0.006)


def test_the_sample_finds_a_duplicate_only_when_both_lines_are_in_it():
    rows = truth(20_000)
    results = decide(rows, RegistrarRules(), seed=5)
    drawn = [results.lines[i] for i in results.sample]
    voters = Counter(d.voter_id for d in drawn if d.category in ("valid", "duplicate"))
    assert results.sample_counts["duplicate"] == sum(n - 1 for n in voters.values())
    assert results.full_counts["duplicate"] > 0


def test_the_files_are_the_contracts(tmp_path):
    results = decide(truth(2_000), RegistrarRules(error_rate=0.05), seed=6)
    paths = write_files(results, tmp_path)

    def rows(kind):
        with paths[kind].open(encoding="utf-8", newline="") as f:
            return list(csv.reader(f))

    assert rows("raw") == [["raw_count"], ["2000"]]
    sample, full, lines = rows("sample"), rows("full"), rows("lines")
    assert sample[0] == full[0] == ["category", "count"]
    assert sum(int(n) for _, n in sample[1:]) == 500
    assert sum(int(n) for _, n in full[1:]) == 2000
    assert lines[0] == ["section", "line", "status"]
    assert len(lines) == 2001
    assert {name for _, _, name in lines[1:]} <= set(REGISTRAR_NAMES.values())
    assert {"Valid", "Not Registered"} <= {name for name, _ in full[1:]}


def test_only_the_lines_filed_are_decided():
    rows = truth(1_000)
    filed = {(int(r["section"]), int(r["line"])) for r in rows[:600]}
    assert decide(rows, RegistrarRules(), filed=filed).raw == 600
