"""report.py: per noise class, the lines a run got wrong; and the benchmarks' generator key."""

import csv

import pytest

from bench import common
from devtools.synthetic import report

TRUTH = [
    ("section", "line", "status", "voter_id", "noise"),
    ("1", "1", "valid", "101", "given_typo"),
    ("1", "2", "valid", "102", "given_typo;space_shift"),
    ("1", "3", "not_registered", "", "relative"),
    ("2", "1", "valid", "103", ""),
    ("2", "2", "address_mismatch", "104", "mover;namesake"),
]
DECISIONS = [
    (
        "section",
        "line",
        "status",
        "voter",
        "counted",
        "score",
        "namesakes",
        "options",
        "rule",
        "summary",
        "reason",
    ),
    ("1", "1", "valid", "101", "True", "0.9", "", "", "r", "s", "{}"),
    ("1", "2", "not_registered", "", "False", "0.2", "", "", "r", "s", "{}"),
    ("1", "3", "address_mismatch", "999", "False", "0.5", "", "", "r", "s", "{}"),
    ("2", "1", "valid", "103", "True", "0.9", "", "", "r", "s", "{}"),
    ("2", "2", "valid", "105", "True", "0.8", "", "", "r", "s", "{}"),
]


def _write(path, rows):
    with path.open("w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


@pytest.fixture
def files(tmp_path):
    return _write(tmp_path / "truth.csv", TRUTH), _write(tmp_path / "decisions.csv", DECISIONS)


def test_tally_counts_each_class_of_each_line(files):
    figures = report.tally(*files)
    assert (figures["given_typo"].lines, figures["given_typo"].wrong_status) == (2, 1)
    assert figures["space_shift"].confusions == {("valid", "not_registered"): 1}
    assert (figures["relative"].wrong_status, figures["relative"].wrong_voter) == (1, 1)
    assert (figures["namesake"].wrong_status, figures["namesake"].wrong_voter) == (1, 1)
    assert (figures[report.NO_NOISE].lines, figures[report.NO_NOISE].wrong_status) == (1, 0)
    everything = figures[report.ALL_LINES]
    assert (everything.lines, everything.wrong_status, everything.wrong_voter) == (5, 3, 2)


def test_main_prints_a_row_per_class_worst_first(files, capsys):
    assert report.main([str(p) for p in files]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("noise class")
    rows = {line.split()[0]: line.split() for line in out[1:]}
    assert rows["given_typo"][1:4] == ["2", "1", "50.0%"]
    assert rows["mover"][1:5] == ["1", "1", "100.0%", "1"]
    assert out[-1].startswith("(all lines)")
    assert out[-2].startswith("(none)")
    # One wrong status each: ties in name order.
    assert [line.split()[0] for line in out[1:6]] == [
        "given_typo",
        "mover",
        "namesake",
        "relative",
        "space_shift",
    ]


def test_a_line_without_a_decision_is_an_error(tmp_path, capsys):
    truth = _write(tmp_path / "truth.csv", TRUTH)
    decisions = _write(tmp_path / "decisions.csv", DECISIONS[:-1])
    assert report.main([str(truth), str(decisions)]) == 2
    assert "section 2 line 2" in capsys.readouterr().err


def test_generator_key_changes_with_the_generator(tmp_path, monkeypatch):
    synthetic = tmp_path / "devtools" / "synthetic"
    (synthetic / "data").mkdir(parents=True)
    (tmp_path / "matching" / "data").mkdir(parents=True)
    (synthetic / "noise.py").write_text("RATE = 0.01\n")
    (synthetic / "data" / "names.json").write_text("{}")
    (tmp_path / "matching" / "data" / "places_cities.csv").write_text("city\n")
    monkeypatch.setattr(common, "ROOT", tmp_path)
    keys = []
    for change in (
        None,
        (synthetic / "noise.py", "RATE = 0.02\n"),
        (synthetic / "data" / "names.json", '{"a": 1}'),
        (tmp_path / "matching" / "data" / "places_cities.csv", "city\nX\n"),
    ):
        if change:
            change[0].write_text(change[1])
        common.generator_key.cache_clear()
        keys.append(common.generator_key())
    common.generator_key.cache_clear()
    assert len(set(keys)) == 4
    assert all(len(k) == 8 for k in keys)
