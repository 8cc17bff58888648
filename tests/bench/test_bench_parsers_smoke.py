"""bench_parsers runs on a small size: its tables with the two libraries, else how to get them."""

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_parser_benchmark_prints_its_tables_or_how_to_install():
    result = subprocess.run(
        [sys.executable, "bench/bench_parsers.py", "--voters", "5000", "--lines", "500"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    installed = all(importlib.util.find_spec(m) for m in ("nameparser", "usaddress"))
    if not installed:
        assert "pip install nameparser usaddress" in result.stdout
        return
    rows = [line for line in result.stdout.splitlines() if line.startswith("| all |")]
    assert len(rows) == 3  # names by class, addresses by field, addresses by class
    for row in rows:
        cells = [cell.strip() for cell in row.split("|")]
        shares = [float(cell[:-1]) for cell in cells if cell.endswith("%")]
        assert shares
        assert all(50 < share <= 100 for share in shares)
