"""The peer benchmark runs end to end on a small size and prints both rows with sane figures."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.worker
def test_peer_benchmark_smoke_run_prints_ours_and_splink():
    # No django_db mark: this benchmark talks to its own database and Redis database.
    result = subprocess.run(
        [sys.executable, "bench/bench_peer.py", "--voters", "3000", "--lines", "600"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if "valid prec" in line)
    assert header.split()[:2] == ["valid", "prec"]
    rows = {line.split()[0]: line.split()[1:] for line in lines
            if line.split()[:1] in (["ours"], ["splink"])}  # fmt: skip
    assert set(rows) == {"ours", "splink"}
    for name, cells in rows.items():
        precision, recall, status, link = (float(c) for c in cells[:4])
        repeat, review = (float(c.rstrip("%")) / 100 for c in cells[4:6])
        rate, peak = (float(c.replace(",", "")) for c in cells[6:8])
        for figure in (precision, recall, status, link, repeat, review):
            assert 0 <= figure <= 1, (name, cells)
        # Most generated lines are valid and either matcher finds most of them.
        assert recall > 0.8, (name, cells)
        assert precision > 0.9, (name, cells)
        assert status > 0.75, (name, cells)
        assert rate > 0, (name, cells)
        assert 20 < peak < 4096, (name, cells)
    assert rows["splink"][5] == "0.00%"  # Splink never sends a line to review
    for who in ("ours", "splink"):
        decisions = ROOT / "bench" / "out" / f"peer-{who}-3000-600-7.csv"
        assert len(decisions.read_text().splitlines()) == 601  # a header and every line
