"""Calibration on held-out petitions (issue 22): a small synthetic county, our chain, the
simulated registrar; and the benchmark's smoke run."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from bench.bench_calibration import evaluate, load_rules, registrar_lines_load
from devtools.synthetic import write_roll, write_signatures
from devtools.synthetic.registrar import RULES, decide, read_truth, write_files
from petitions.models import Line, Petition, RegistrarLine
from tests.petitions.helpers import validate

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_calibrated_on_other_petitions_the_projection_is_closer_to_the_registrar(tmp_path):
    """Four petitions signed in one county, validated by our chain; a registrar stricter than
    us decides each; each petition held out in turn, calibrated on the other three, comes
    closer to the registrar's full count than our own projection, and the count is in the
    band for most of them."""
    roll = tmp_path / "roll.csv"
    write_roll(roll, 8_000, seed=5)
    call_command("import_voters", str(roll))
    entries = []
    for i in range(1, 5):
        lines, truth = tmp_path / f"lines-{i}.csv", tmp_path / f"truth-{i}.csv"
        write_signatures(roll, lines, 700, seed=40 + i, truth_path=truth)
        call_command("create_petition", slug=f"p{i}", title=f"Petition {i}", required="300")
        call_command("import_signatures", str(lines), petition=f"p{i}")
        petition = Petition.objects.get(slug=f"p{i}")
        validate(petition)
        results = decide(read_truth(truth), RULES["strict"], seed=i)
        folder = tmp_path / f"registrar-{i}"
        paths = write_files(results, folder)
        entries.append((petition.pk, (results, paths["lines"], truth)))
    load_rules(entries)
    assert RegistrarLine.objects.count() == Line.objects.count() == 2_800
    rows = evaluate("strict", entries)
    ours = sum(abs(r.uncalibrated - r.registrar_valid) for r in rows)
    calibrated = sum(abs(r.calibrated - r.registrar_valid) for r in rows)
    print(f"\nheld out: uncalibrated off by {ours}, calibrated by {calibrated} in all;",
          f"inside the band: {sum(r.inside for r in rows)} of {len(rows)}")  # fmt: skip
    assert calibrated < ours / 2
    assert all(
        abs(r.calibrated - r.registrar_valid) < abs(r.uncalibrated - r.registrar_valid)
        for r in rows
    )
    assert sum(r.inside for r in rows) >= 3
    assert all(r.low < r.calibrated < r.high for r in rows)
    # The challenge list: the lines the registrar rejected that we found valid, strongest first;
    # at its top, the registrar's wrong rejections (truly valid lines).
    right, top = sum(r.top_right for r in rows), sum(r.top for r in rows)
    print(f"challenge list: {right} of the top {top} truly valid;",
          f"{sum(r.wrongly_rejected for r in rows)} truly valid lines rejected")  # fmt: skip
    assert top >= 40
    assert right / top >= 0.9


@pytest.mark.django_db
def test_the_loader_reads_the_registrar_s_names(tmp_path):
    from petitions.models import Section

    petition = Petition.objects.create(title="T", slug="t", required_signatures=5)
    section = Section.objects.create(petition=petition, serial=3)
    for n in (1, 2):
        Line.objects.create(petition=petition, section=section, number=n, printed_name="X")
    path = tmp_path / "lines.csv"
    path.write_text("section,line,status\n3,1,Valid\n3,2,Max Number of Times Signed\n")
    assert registrar_lines_load(petition.pk, path) == 2
    assert sorted(RegistrarLine.objects.values_list("category", "written")) == [
        ("duplicate", "Max Number of Times Signed"), ("valid", "Valid"),
    ]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_calibration_benchmark_smoke_run_prints_both_figures_and_the_band():
    result = subprocess.run(
        [sys.executable, "bench/bench_calibration.py", "--voters", "20000", "--lines", "1200",
         "--petitions", "3", "--rules", "strict"],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    summary = next(
        line for line in result.stdout.splitlines() if line.startswith("strict: mean distance")
    )
    # "strict: mean distance ...: uncalibrated X, calibrated Y; registrar inside the band N of 3"
    ours = float(summary.split("uncalibrated ")[1].split(",")[0])
    calibrated = float(summary.split(", calibrated ")[1].split(";")[0])
    assert calibrated < ours
    assert summary.endswith("of 3")
    assert result.stdout.count("bench-calibration-") == 3
