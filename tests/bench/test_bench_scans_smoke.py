"""The scans benchmark runs end to end on a few pages and prints its figures; the OCR benchmark
reads a page's names and prints its decision."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_scans_benchmark_smoke_run_prints_its_figures():
    result = subprocess.run(
        [sys.executable, "bench/bench_scans.py", "--pages", "4", "--dpi", "150", "--requests",
         "20"],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "| cut / flagged          | 4 / 0 |" in out
    pages_per_second = float(re.search(r"\| ([\d.]+) pages/s with 2 processes", out)[1])
    assert pages_per_second > 0
    p95 = float(re.search(r"p95 ([\d.]+) ms over 20 GETs", out)[1])
    assert 0 < p95 < 5000
    assert "storage per line image | " in out
    assert re.search(r"70,000 pages: [\d.,]+ [KMGT]B of pages", out)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="make scan-tools installs it")
def test_ocr_benchmark_reads_names_and_decides():
    result = subprocess.run(
        [sys.executable, "bench/bench_ocr.py", "--pages", "1", "--dpi", "150"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\| character error rate +\| [\d.]+% \|", result.stdout)
    assert "decision: pre-fill" in result.stdout
