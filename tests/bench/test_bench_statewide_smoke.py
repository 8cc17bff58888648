"""The statewide benchmark runs end to end on a small size and prints its figures."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_statewide_benchmark_smoke_run_prints_its_figures_and_projections():
    result = subprocess.run(
        [sys.executable, "bench/bench_statewide.py", "--scale", "0.0005", "--lines", "300",
         "--requests", "3", "--machines", "1,4"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    # Every county, at least MIN_COUNTY_VOTERS voters each, all of them imported.
    found = re.search(r"statewide roll +([\d,]+) voters in 58 counties", out)
    assert found, out
    voters = int(found[1].replace(",", ""))
    assert voters >= 58 * 100
    row = next(line for line in out.splitlines() if line.startswith("import roll")).split()
    assert int(row[2].replace(",", "")) == voters
    assert float(row[3]) > 0
    assert 20 < float(row[5].replace(",", "")) < 1024  # the importing process's peak MiB
    row = next(line for line in out.splitlines() if line.startswith("validate (celery)")).split()
    assert row[2] == "300"
    assert float(row[4].replace(",", "")) > 0
    assert out.count("  worker process ") == 2  # each process's peak memory
    # Every line decided; signers of their own county count, so most lines are valid.
    decisions = dict(
        part.rsplit(" ", 1)
        for part in next(line for line in out.splitlines() if line.startswith("decisions: "))
        .removeprefix("decisions: ").split(", ")
    )  # fmt: skip
    assert "pending" not in decisions
    assert sum(int(n.replace(",", "")) for n in decisions.values()) == 300
    assert int(decisions["valid"]) > 150
    pages = re.findall(r"^(dashboard page|progress\.json) +(\d+) +([\d.]+) +([\d.]+) +[\d.]+ +"
                       r"p95 < 300 ms: (met|MISSED)$", out, re.M)  # fmt: skip
    assert [(page, count) for page, count, *_ in pages] == [("dashboard page", "3"),
                                                            ("progress.json", "3")]  # fmt: skip
    for _page, _count, p50, p95, verdict in pages:
        assert 0 < float(p50) <= float(p95)
        assert verdict == ("met" if float(p95) < 300 else "MISSED")
    assert "PROJECTED (not measured)" in out
    projected = [line.split() for line in out.splitlines() if re.match(r" +(1|4) +\d", line)]
    assert [p[0] for p in projected] == ["1", "4"]
    # Four machines of two processes: four times one machine's lines/s.
    one, four = (float(p[2].replace(",", "")) for p in projected)
    assert four == pytest.approx(4 * one, rel=0.01)
