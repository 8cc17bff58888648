"""The registrar's results benchmark runs end to end on a small size and prints its figures."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_registrar_benchmark_smoke_run_prints_its_figures():
    result = subprocess.run(
        [sys.executable, "bench/bench_registrar.py", "--lines", "2500", "--runs", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "2,500 lines" in out
    assert re.search(r"import \(COPY, checks, INSERT \.\.\. SELECT, commit\) +[\d.]+ s", out), out
    assert re.search(r"registrar_line_pairs \(streamed\) +[\d.]+ s +2500", out), out
    # Three lines in four are ours valid; the registrar's file says valid seven times in ten.
    agreement = float(re.search(r"agreement ([\d.]+)", out)[1])
    assert 0.4 < agreement < 0.7
