"""The FEBRL4 benchmark runs end to end on a subset, so `make bench-febrl` cannot rot unnoticed."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_febrl_benchmark_smoke_run_prints_both_rows_and_the_misses():
    result = subprocess.run(
        [sys.executable, "bench/bench_febrl.py", "--records", "300"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("FEBRL4: "))
    assert header.startswith("FEBRL4: 300 originals as the roll")
    assert "300 corrupted copies as lines" in header
    for name in ("this project", "Splink 5 (DuckDB)", "Splink, name rule"):
        row = next(line for line in lines if line.startswith(name))
        precision, recall, linked, right, seconds = row[len(name) :].split()
        assert 0.9 <= float(precision) <= 1
        assert 0.5 <= float(recall) <= 1
        assert int(right) <= int(linked) <= 300
        assert float(recall) == pytest.approx(int(right) / 300, abs=1e-4)
        assert float(seconds) > 0
    ours = next(line for line in lines if line.startswith("this project")).split()
    for title in ("our misses by class (lines not linked to their true voter)",
                  "the same by how the line's name agrees with its true voter's"):  # fmt: skip
        start = lines.index(title) + 1
        end = lines.index("", start) if "" in lines[start:] else len(lines)
        counted = sum(int(line.split()[0].replace(",", "")) for line in lines[start:end])
        assert counted == 300 - int(ours[-2])
