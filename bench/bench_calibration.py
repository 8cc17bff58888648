"""Calibration against a simulated registrar, on held-out petitions of one synthetic county.

    python bench/bench_calibration.py [--voters 50000] [--lines 5000] [--petitions 5]
        [--rules strict,loose] [--seed 11]

Generates a county roll and several petitions signed in it (devtools.synthetic, each its own
seed), validates every line with our chain (in this process, the workers' batch code), lets the
simulated registrar (devtools/synthetic/registrar.py) decide every line with its own rules and
draw its sample, and loads its line-level results. Then, for each petition held out in turn,
fits the calibration on the other petitions' results and projects the held-out one's valid
lines: the uncalibrated projection (the dashboard's own: valid, and the undecided at that rate)
and the calibrated one with its band, both against the registrar's full count. Its own database
({app's database}_bench_calibration) and Redis database (recall/lib/redis_dbs.py).
"""

import argparse
import csv
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    OUT,
    prepare_database,
    synthetic_lines,
    synthetic_roll,
    use_own_database,
    use_redis_db,
)

PREFIX = "bench-calibration"
TOP = 100  # the challenge list's precision is stated at its top


@dataclass(frozen=True)
class Row:
    """One held-out petition under one registrar's rules."""

    rules: str
    petition: str
    lines: int
    registrar_valid: int  # the registrar's full count
    registrar_sample: int  # the registrar's projection from its random sample (CCR 20540)
    uncalibrated: int
    calibrated: int
    low: int
    high: int
    verdict: int  # the simulated sample on calibrated lines: its median draw
    verdict_low: int
    verdict_high: int
    challenges: int  # lines on the challenge list (the registrar rejected, we found valid)
    top_right: int  # of its first TOP lines, those truly valid (the registrar was wrong)
    top: int  # how many lines the top holds (TOP, or fewer if the list is shorter)
    wrongly_rejected: int  # truly valid lines the registrar rejected (what a challenge could win)

    @property
    def inside(self) -> bool:
        return self.low <= self.registrar_valid <= self.high


def clear(slug: str) -> None:
    """Remove an earlier run's petition, its registrar's results first (they protect lines)."""
    from bench.bench_validate import clear_petition
    from petitions.models import RegistrarResult

    RegistrarResult.objects.filter(petition__slug=slug).delete()
    clear_petition(slug)


def registrar_lines_load(petition_id: int, path: Path) -> int:
    """A registrar's line-level file (SPEC22's `lines`) stored as its result: a loader for this
    benchmark and the tests (the app's import is `import_registrar_results`)."""
    import datetime

    from devtools.synthetic.registrar import REGISTRAR_NAMES
    from petitions.models import Line, RegistrarLine, RegistrarResult

    codes = {name.casefold(): code for code, name in REGISTRAR_NAMES.items()}
    stored = Line.objects.filter(petition_id=petition_id)
    lines = {
        (serial, number): pk
        for pk, serial, number in stored.values_list("pk", "section__serial", "number")
    }
    result = RegistrarResult.objects.create(
        petition_id=petition_id, kind="lines", as_of=datetime.date(2026, 11, 1),
        source_name=path.name,
    )  # fmt: skip
    with path.open(encoding="utf-8", newline="") as f:
        rows = [
            RegistrarLine(
                result=result,
                line_id=lines[(int(row["section"]), int(row["line"]))],
                category=codes[row["status"].casefold()],
                written=row["status"],
            )
            for row in csv.DictReader(f)
        ]
    RegistrarLine.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def prepare(
    roll_path: Path, petitions: list[tuple[Path, Path]], rules: list[str], seed: int
) -> dict[str, list[tuple[int, object]]]:
    """Load and validate each petition, then have each registrar decide it: {rules: [(petition
    id, the registrar's results)]}. A registrar's line-level result is loaded for one rule set
    at a time (the latest counts), so `evaluate` is called right after `load_rules`."""
    from bench.bench_validate import load
    from devtools.synthetic.registrar import RULES, decide, filed_lines, read_truth, write_files
    from petitions.models import Line
    from petitions.validation import petition_validate_pending

    ids = []
    for i, (lines_path, _) in enumerate(petitions, start=1):
        slug = f"{PREFIX}-{i}"
        clear(slug)
        petition_id = load(roll_path, lines_path, slug=slug, title=f"Calibration {i}")
        started = time.perf_counter()
        while petition_validate_pending(petition_id=petition_id):
            pass
        lines = Line.objects.filter(petition_id=petition_id).count()
        print(f"(petition {i}: {lines:,} lines validated in {time.perf_counter() - started:.1f} s)",
              file=sys.stderr, flush=True)  # fmt: skip
        ids.append(petition_id)
    decided: dict[str, list[tuple[int, object]]] = {}
    for name in rules:
        decided[name] = []
        for i, (petition_id, (_, truth_path)) in enumerate(zip(ids, petitions, strict=True), 1):
            folder = OUT / f"registrar-{name}-{truth_path.stem}"
            decisions = folder / "ours.csv"
            folder.mkdir(parents=True, exist_ok=True)
            _write_ours(petition_id, decisions)
            results = decide(read_truth(truth_path), RULES[name], seed=seed * 100 + i,
                             filed=filed_lines(decisions))  # fmt: skip
            write_files(results, folder)
            decided[name].append((petition_id, (results, folder / "lines.csv", truth_path)))
    return decided


def _write_ours(petition_id: int, path: Path) -> None:
    from petitions.models import Line

    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["section", "line", "status"])
        out.writerows(Line.objects.filter(petition_id=petition_id).values_list(
            "section__serial", "number", "status"))  # fmt: skip


def load_rules(entries: list[tuple[int, object]]) -> None:
    """These results as each petition's only line-level result."""
    from petitions.models import RegistrarResult

    for petition_id, (_, lines_path, _) in entries:  # type: ignore[misc]
        RegistrarResult.objects.filter(petition_id=petition_id).delete()
        registrar_lines_load(petition_id, lines_path)


def evaluate(name: str, entries: list[tuple[int, object]]) -> list[Row]:
    """Each petition held out in turn: calibrated on the others, against its registrar."""
    from petitions.calibration import project, simulate_calibrated
    from petitions.models import Petition
    from petitions.progress import petition_progress, registrar_population
    from petitions.sampling import projected_valid
    from petitions.selectors.calibration import line_cells, pool_calibration

    petitions = {p.pk: p for p in Petition.objects.filter(pk__in=[pk for pk, _ in entries])}
    rows = []
    for petition_id, (results, _, truth_path) in entries:  # type: ignore[misc]
        held_out = petitions[petition_id]
        others = [p for pk, p in petitions.items() if pk != petition_id]
        calibration = pool_calibration(others)
        cells = line_cells(held_out)
        projection = project(calibration, cells, seed=petition_id)
        progress = petition_progress(held_out)
        repeats = registrar_population(held_out, progress["by_status"]).repeats
        verdict = simulate_calibrated(calibration, cells, repeats, held_out.required_signatures,
                                      seed=petition_id)  # fmt: skip
        sample = results.sample_counts
        rows.append(Row(
            rules=name, petition=held_out.slug, lines=results.raw,
            registrar_valid=results.full_counts["valid"],
            registrar_sample=projected_valid(
                raw=results.raw, sample=sum(sample.values()), valid=sample["valid"]
                + sample["duplicate"], duplicates=sample["duplicate"]),
            uncalibrated=progress["projected_valid"], calibrated=projection.projected,
            low=projection.low, high=projection.high, verdict=verdict.projected_valid,
            verdict_low=verdict.projected_low, verdict_high=verdict.projected_high,
            **_challenges(held_out, results, truth_path),
        ))  # fmt: skip
    return rows


def _challenges(petition: object, results: object, truth_path: Path) -> dict[str, int]:
    """The challenge list against the truth: a challenged line is right when the line is truly
    valid (the registrar rejected a good signature, by its rules or by mistake)."""
    from devtools.synthetic.registrar import read_truth
    from petitions.selectors.registrar import challenge_list

    valid = {(int(r["section"]), int(r["line"])) for r in read_truth(truth_path)
             if r["status"] == "valid"}  # fmt: skip
    listed = challenge_list(petition)  # type: ignore[arg-type]
    top = listed[:TOP]
    wrongly = sum(1 for d in results.lines  # type: ignore[attr-defined]
                  if (d.section, d.line) in valid and d.category != "valid")  # fmt: skip
    return {
        "challenges": len(listed),
        "top_right": sum(1 for c in top if (c.serial, c.number) in valid),
        "top": len(top),
        "wrongly_rejected": wrongly,
    }


def report(rows: list[Row]) -> None:
    print(f"{'rules':<7} {'petition':<22} {'lines':>6} {'registrar':>9} {'ours':>6} "
          f"{'calibr.':>7} {'band (90%)':>15} {'in':>3} {'sample':>7} "
          f"{'cal. sample (90%)':>23}")  # fmt: skip
    for r in rows:
        print(f"{r.rules:<7} {r.petition:<22} {r.lines:>6,} {r.registrar_valid:>9,} "
              f"{r.uncalibrated:>6,} {r.calibrated:>7,} {f'{r.low:,}-{r.high:,}':>15} "
              f"{'yes' if r.inside else 'no':>3} {r.registrar_sample:>7,} "
              f"{f'{r.verdict:,} ({r.verdict_low:,}-{r.verdict_high:,})':>23}")  # fmt: skip
    for name in dict.fromkeys(r.rules for r in rows):
        mine = [r for r in rows if r.rules == name]
        ours = statistics.mean(abs(r.uncalibrated - r.registrar_valid) for r in mine)
        calibrated = statistics.mean(abs(r.calibrated - r.registrar_valid) for r in mine)
        inside = sum(r.inside for r in mine)
        print(f"{name}: mean distance to the registrar's full count: uncalibrated "
              f"{ours:.1f}, calibrated {calibrated:.1f}; registrar inside the band "
              f"{inside} of {len(mine)}")  # fmt: skip
        right, top = sum(r.top_right for r in mine), sum(r.top for r in mine)
        print(f"{name}: challenge list: {sum(r.challenges for r in mine):,} lines; of the first "
              f"{TOP} of each petition, {right} of {top} truly valid (precision at the top "
              f"{right / max(top, 1):.3f}); truly valid lines the registrar rejected "
              f"{sum(r.wrongly_rejected for r in mine):,}")  # fmt: skip


def run(
    roll_path: Path, petitions: list[tuple[Path, Path]], rules: list[str], seed: int
) -> list[Row]:
    """Every step after the files exist (Django set up, on whichever database it names)."""
    decided = prepare(roll_path, petitions, rules, seed)
    rows: list[Row] = []
    for name, entries in decided.items():
        load_rules(entries)
        rows.extend(evaluate(name, entries))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=50_000)
    parser.add_argument("--lines", type=int, default=5_000, help="lines per petition")
    parser.add_argument("--petitions", type=int, default=5)
    parser.add_argument("--rules", default="strict,loose", help="the registrar's rule sets")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    use_redis_db("bench-calibration")
    use_own_database("calibration")
    prepare_database()
    roll_path = synthetic_roll(args.voters)
    files = [synthetic_lines(roll_path, args.lines, args.seed * 100 + i)
             for i in range(1, args.petitions + 1)]  # fmt: skip
    from bench.bench_validate import setup_django

    setup_django()
    started = time.perf_counter()
    rows = run(roll_path, files, args.rules.split(","), args.seed)
    report(rows)
    print(f"({args.petitions} petitions of {args.lines:,} lines, {args.voters:,} voters; "
          f"{time.perf_counter() - started:.0f} s)")  # fmt: skip


if __name__ == "__main__":
    os.environ.setdefault("DEBUG", "true")
    main()
