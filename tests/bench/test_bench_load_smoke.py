"""The load benchmark runs end to end on a small size: each request type, no error, no lost line."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def number(text: str) -> float:
    return float(text.replace(",", ""))


def test_load_benchmark_smoke_run_prints_its_figures():
    # No django_db mark: this benchmark talks to its own database and server, not the test one.
    result = subprocess.run(
        [sys.executable, "bench/bench_load.py", "--volunteers", "5", "--organizers", "2",
         "--duration", "20", "--voters", "20000", "--spawn-rate", "4"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    rows = {line[:14].strip(): line[14:].split() for line in lines if line[:1].isalpha()}
    # request, requests, req/s, p50, p95, p99, max, failures, server p50 / p95
    assert rows["login"][0] == "7"  # every user logged in once
    assert rows["section"][0] == "5"
    for name in ("hint", "save", "poll", "dashboard", "progress.json", "total"):
        requests, rate, p50, p95, p99, _max, failures, server_p50, _, server_p95 = rows[name]
        assert number(requests) > 0, name
        assert number(rate) > 0, name
        assert 0 < number(p50) <= number(p95) <= number(p99), name
        assert failures == "0", name
        assert 0 < number(server_p50) <= number(server_p95), name
    saves = int(number(rows["save"][0]))
    assert saves >= 5  # a line every 6-10 s each, for 20 s
    assert "errors: 0" in lines
    assert "lost lines: 0" in lines
    assert "duplicates: 0" in lines
    assert any(line.startswith("pending at the end: 0 ") for line in lines)
    confirmed = next(line for line in lines if line.startswith("lines: "))
    assert f"{saves} confirmed to their volunteer" in confirmed, confirmed
    assert next(line for line in lines if line.startswith("save p95: ")).endswith(
        "met" if number(rows["save"][3]) < 200 else "MISSED"
    )
