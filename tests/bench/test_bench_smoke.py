"""Each benchmark runs end to end on a small size, so `make bench` cannot rot unnoticed."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_import_benchmark_smoke_run_prints_its_figures(tmp_path):
    result = subprocess.run(
        [sys.executable, "bench/bench_import.py", "--rows", "20000"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    header, row = result.stdout.strip().splitlines()[-2:]
    assert header.split() == ["rows", "file", "MiB", "import", "s", "rows/s", "bare", "COPY", "s",
                              "ratio", "peak", "RSS", "MiB"]  # fmt: skip
    rows, _size, seconds, _rate, bare, ratio, peak = row.split()
    assert rows == "20,000"
    assert float(seconds) > 0
    assert float(bare) > 0
    assert float(ratio) > 0
    assert 20 < float(peak.replace(",", "")) < 1024
