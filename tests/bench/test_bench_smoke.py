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


@pytest.mark.django_db(transaction=True)
def test_validation_benchmark_smoke_run_prints_the_confusion_matrix():
    result = subprocess.run(
        [sys.executable, "bench/bench_validate.py", "--voters", "5000", "--lines", "500"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "confusion matrix" in out
    for figure in ("wrongly valid", "valid recall", "needs_review / lines", "repeat signers"):
        assert figure in out
    valid_row = next(
        line for line in out.splitlines()
        if line.split()[:1] == ["valid"] and line.split()[1].replace(",", "").isdigit()
    )  # fmt: skip
    assert sum(int(n.replace(",", "")) for n in valid_row.split()[1:]) > 300


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_throughput_benchmark_smoke_run_times_a_real_worker():
    result = subprocess.run(
        [sys.executable, "bench/bench_throughput.py", "--voters", "5000", "--lines", "300"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    validate = next(line for line in result.stdout.splitlines() if line.startswith("validate"))
    assert "300 in" in validate
    assert "2 worker processes" in validate
    assert result.stdout.count("worker process ") == 2
