"""The dashboard benchmark runs end to end on a small size and prints its figures."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_dashboard_benchmark_smoke_run_prints_its_figures():
    result = subprocess.run(
        [sys.executable, "bench/bench_dashboard.py", "--voters", "20000", "--lines", "2000",
         "--requests", "5"],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert rows["dashboard"][2] == "5"  # "dashboard page 5 p50 p95 max"
    assert float(rows["dashboard"][4]) > 0
    assert rows["progress.json"][1] == "5"
    assert "simulation, 1,000 draws" in out
    assert "drift: 0 tallies" in out
