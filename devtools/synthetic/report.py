"""Which noise classes a run of the validator misses: one row per class of the truth file.

    python -m devtools.synthetic.report TRUTH_CSV DECISIONS_CSV

TRUTH_CSV is the generator's truth file (section, line, status, voter_id, noise); DECISIONS_CSV
is a run's decisions (bench/bench_validate.py --decisions: section, line, status, voter, ...).
For every noise class, and for the lines with none: how many lines carry it, how many got
another status than the truth's, how many were linked to another voter than the one who wrote
the line (of those the decision links to a voter), and the commonest wrong statuses.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

NO_NOISE = "(none)"
ALL_LINES = "(all lines)"


@dataclass(slots=True)
class ClassFigures:
    lines: int = 0
    wrong_status: int = 0
    wrong_voter: int = 0
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)


def _rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def tally(truth_path: Path, decisions_path: Path) -> dict[str, ClassFigures]:
    """Figures per noise class; a line counts once in each class it carries."""
    decided = {(r["section"], r["line"]): (r["status"], r["voter"]) for r in _rows(decisions_path)}
    figures: dict[str, ClassFigures] = {}
    for row in _rows(truth_path):
        key = (row["section"], row["line"])
        if key not in decided:
            raise ValueError(f"{decisions_path}: no decision for section {key[0]} line {key[1]}")
        status, voter = decided[key]
        classes = [c for c in row.get("noise", "").split(";") if c] or [NO_NOISE]
        wrong_status = status != row["status"]
        wrong_voter = bool(voter) and voter != row["voter_id"]
        for name in (*classes, ALL_LINES):
            f = figures.setdefault(name, ClassFigures())
            f.lines += 1
            f.wrong_status += wrong_status
            f.wrong_voter += wrong_voter
            if wrong_status:
                f.confusions[row["status"], status] += 1
    return figures


def render(figures: dict[str, ClassFigures]) -> str:
    """A table, classes by their count of wrong statuses, the two totals last."""
    order = sorted(
        (c for c in figures if c not in (NO_NOISE, ALL_LINES)),
        key=lambda c: (-figures[c].wrong_status, c),
    )
    order += [c for c in (NO_NOISE, ALL_LINES) if c in figures]
    out = [
        f"{'noise class':<20} {'lines':>7} {'wrong status':>14} {'wrong voter':>12}  "
        "commonest (truth -> decision)"
    ]
    for name in order:
        f = figures[name]
        share = f.wrong_status / f.lines if f.lines else 0.0
        common = ", ".join(f"{t} -> {d} {n}" for (t, d), n in f.confusions.most_common(2))
        out.append(
            f"{name:<20} {f.lines:>7,} {f.wrong_status:>7,} {share:>6.1%} {f.wrong_voter:>12,}  "
            f"{common}"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("truth", type=Path, help="the generator's truth CSV (with its noise)")
    parser.add_argument("decisions", type=Path, help="a run's decisions CSV")
    args = parser.parse_args(argv)
    try:
        figures = tally(args.truth, args.decisions)
    except (OSError, KeyError, ValueError) as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 2
    print(render(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
