"""The suspect-sections benchmark runs end to end on a small county and finds its frauds."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_suspects_benchmark_smoke_run_prints_its_figures():
    result = subprocess.run(
        [sys.executable, "bench/bench_suspects.py", "--voters", "20000", "--lines", "2000",
         "--frauds", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    top = re.search(r"top K\s+(\d+) of (\d+) fraudulent", out)
    assert top, out
    assert int(top[2]) == 13  # each pattern once, round-tabling on 4 sections, a pair
    assert int(top[1]) >= 11, out
    recall = float(re.search(r"recall\s+([0-9.]+)", out)[1])
    assert recall >= 0.9, out
    false_flags = float(re.search(r"false-flag rate\s+([0-9.]+)", out)[1])
    assert false_flags <= 0.03, out
