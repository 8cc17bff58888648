"""Validation accuracy against labelled synthetic lines, with the confusion matrix.

    python bench/bench_validate.py [--voters 200000] [--lines 20000] [--seed 3] [--decisions FILE]

Generates a roll and petition lines with their true status (devtools.synthetic), imports the roll
into the benchmark database, validates every line in this process (the same batch code the
workers run) and compares. Targets (issue 4): wrongly valid at most 0.3% of the lines called
valid; valid recall at least 98%; needs_review at most 3% of lines; at least 99% of repeat
signers caught.
"""

import argparse
import csv
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    bench_database_url,
    drop_superseded_rolls,
    prepare_database,
    synthetic_lines,
    synthetic_roll,
    use_redis_db,
)

STATUSES = ["valid", "not_registered", "duplicate", "address_mismatch", "canceled",
            "out_of_jurisdiction", "incomplete", "registered_late", "withdrawn", "needs_review",
            "pending"]  # fmt: skip


def setup_django() -> None:
    os.environ["DATABASE_URL"] = bench_database_url()
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recall.settings")
    import django

    django.setup()


def use_roll(roll_path: Path, max_reject_rate: str = "0.01") -> None:
    """Make this generated roll the active one (imported once, again when the file is newer than
    the import), and drop the others."""
    from django.core.management import call_command

    from voters.models import VoterRoll

    active = VoterRoll.objects.filter(source_name=roll_path.name, state="active").first()
    # The file's name carries the generator's key, but a file made again under the same name
    # (bench/out cleared, another checkout's generator) must not be matched against the old roll.
    if active is None or active.created_at.timestamp() < roll_path.stat().st_mtime:
        # --force: a benchmark's database holds whichever roll its last run used, of any size;
        # the shrink guard (ROLL_SHRINK_CONFIRM_PERCENT) is for people replacing a real roll.
        call_command("import_voters", str(roll_path), force=True, stdout=sys.stderr,
                     max_reject_rate=max_reject_rate)  # fmt: skip
    drop_superseded_rolls()


def clear_petition(slug: str) -> None:
    """Remove an earlier run's petition with its sections and lines."""
    from petitions.models import Line, Petition, Section

    Line.objects.filter(petition__slug=slug).delete()
    Section.objects.filter(petition__slug=slug).delete()
    Petition.objects.filter(slug=slug).delete()


def load(
    roll_path: Path, lines_path: Path, slug: str = "bench-accuracy", title: str = "Benchmark"
) -> int:
    """Import the roll (once) and the lines as a fresh petition; returns the petition id."""
    from petitions.models import Line, Petition, Section

    use_roll(roll_path)
    clear_petition(slug)
    petition = Petition.objects.create(title=title, slug=slug, required_signatures=1000)
    sections: dict[int, Section] = {}
    lines = []
    with lines_path.open(newline="") as f:
        for row in csv.DictReader(f):
            serial = int(row["section"])
            if serial not in sections:
                sections[serial] = Section.objects.create(
                    petition=petition, serial=serial, circulator_name=row["circulator"]
                )
            lines.append(Line(
                petition=petition, section=sections[serial], number=int(row["line"]),
                printed_name=row["printed_name"], residence_address=row["residence_address"],
                city=row["city"], zip=row["zip"], signed=row["signed"] == "yes",
            ))  # fmt: skip
    Line.objects.bulk_create(lines, batch_size=5000)
    # As the import does (petitions/services/signature_import.py): fresh statistics for the
    # lines just loaded, or the planner reads them whole for each voter counted.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE petitions_line")
    return petition.pk


def read_truth(truth_path: Path) -> dict[tuple[int, int], tuple[str, str]]:
    """Every line's true (status, voter id or ""), keyed by (section, line)."""
    truth = {}
    with truth_path.open(newline="") as f:
        for row in csv.DictReader(f):
            truth[(int(row["section"]), int(row["line"]))] = (row["status"], row["voter_id"])
    return truth


def evaluate_rows(rows: Iterable[tuple[int, int, str, str | None]], truth_path: Path) -> dict:
    """Decisions (section, line, status, voter or None) of any matcher against the truth: the
    confusion matrix, valid lines given to another voter, and both sides line by line."""
    truth = read_truth(truth_path)
    matrix: Counter = Counter()
    wrong_voter = 0
    decisions = {}
    for serial, number, status, voter in rows:
        true_status, true_voter = truth[(serial, number)]
        matrix[(true_status, status)] += 1
        decisions[(serial, number)] = (status, voter)
        if status == "valid" and true_status == "valid" and voter != true_voter:
            wrong_voter += 1
    return {"matrix": matrix, "wrong_voter": wrong_voter, "lines": len(truth),
            "decisions": decisions, "truth": truth}  # fmt: skip


def evaluate(petition_id: int, truth_path: Path) -> dict:
    from petitions.models import Line

    rows = Line.objects.filter(petition_id=petition_id).values_list(
        "section__serial", "number", "status", "voter_registrant_id"
    )
    return evaluate_rows(rows.iterator(), truth_path)


def write_decisions(petition_id: int, path: Path) -> None:
    """Every line's decision, one CSV row each in paper order, to compare two runs byte for byte."""
    from petitions.models import Line

    rows = Line.objects.filter(petition_id=petition_id).order_by("section__serial", "number")
    with path.open("w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["section", "line", "status", "voter", "counted", "score", "namesakes",
                      "options", "rule", "summary", "reason"])  # fmt: skip
        for row in rows.values_list(
            "section__serial",
            "number",
            "status",
            "voter_registrant_id",
            "counted",
            "score",
            "namesakes",
            "options",
            "reason",
        ):
            *head, namesakes, options, reason = row
            rule, summary = reason.get("rule", ""), reason.get("summary", "")
            reason = json.dumps(reason, sort_keys=True)
            out.writerow([*head, " ".join(namesakes), " ".join(options), rule, summary, reason])


# Issue 17's goals, at 50k voters / 10k lines and 1M / 100k.
GOALS = [
    ("valid precision", "valid_precision", ">= 99.9%"),
    ("valid recall", "valid_recall", ">= 99.5%"),
    ("status accuracy", "status_accuracy", ">= 97%"),
    ("link precision", "link_precision", ">= 98%"),
    ("repeat signers caught", "repeat_caught", ">= 99%"),
    ("needs_review / lines", "review", "<= 3%"),
]


def figures(result: dict) -> dict[str, float]:
    """Issue 17's accuracy figures from the evaluation of one matcher (bench_peer prints them
    for ours and Splink side by side)."""
    matrix: Counter = result["matrix"]
    decisions, truth = result["decisions"], result["truth"]
    lines = result["lines"]
    called_valid = sum(n for (_, c), n in matrix.items() if c == "valid")
    true_valid = sum(n for (t, _), n in matrix.items() if t == "valid")
    exact = sum(n for (t, c), n in matrix.items() if t == c)
    linked = [k for k, (_, voter) in decisions.items() if voter]
    linked_right = sum(1 for k in linked if str(decisions[k][1]) == truth[k][1])
    by_voter: dict[str, list[tuple[int, int]]] = {}
    for key, (_, voter) in truth.items():
        if voter:
            by_voter.setdefault(voter, []).append(key)
    repeaters = [keys for keys in by_voter.values() if len(keys) > 1]

    def line_right(key: tuple[int, int]) -> bool:
        status, voter = decisions[key]
        return status == truth[key][0] and (not voter or str(voter) == truth[key][1])

    caught = sum(1 for keys in repeaters if all(line_right(k) for k in keys))
    review = sum(n for (_, c), n in matrix.items() if c == "needs_review")
    return {
        "valid_precision": matrix[("valid", "valid")] / max(called_valid, 1),
        "valid_recall": matrix[("valid", "valid")] / max(true_valid, 1),
        "status_accuracy": exact / max(lines, 1),
        "link_precision": linked_right / max(len(linked), 1),
        "repeat_caught": caught / max(len(repeaters), 1),
        "review": review / max(lines, 1),
    }


def report(result: dict, seconds: float) -> None:
    matrix, lines = result["matrix"], result["lines"]
    truths = [s for s in STATUSES if any(t == s for t, _ in matrix)]
    called = [s for s in STATUSES if any(c == s for _, c in matrix)]
    print("confusion matrix (rows: truth, columns: decision)")
    print(f"{'':>20}" + "".join(f"{c[:10]:>11}" for c in called))
    for t in truths:
        print(f"{t:>20}" + "".join(f"{matrix[(t, c)]:>11,}" for c in called))
    f = figures(result)
    print()
    for name, key, goal in GOALS:
        print(f"{name:<30} {f[key]:>8.2%}   goal {goal}")
    print(f"{'valid, another voter (namesake)':<30} {result['wrong_voter']:>8,}")
    print(f"{'lines':<30} {lines:>8,}   validated in {seconds:.1f} s ({lines / seconds:,.0f}/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=200_000)
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--decisions", type=Path, help="write every line's decision to this CSV")
    args = parser.parse_args()
    use_redis_db("bench-validate")
    prepare_database()
    roll_path = synthetic_roll(args.voters)
    lines_path, truth_path = synthetic_lines(roll_path, args.lines, args.seed)
    setup_django()
    petition_id = load(roll_path, lines_path)
    from petitions.validation import petition_validate_pending

    started = time.perf_counter()
    while petition_validate_pending(petition_id=petition_id):
        pass
    report(evaluate(petition_id, truth_path), time.perf_counter() - started)
    if args.decisions:
        write_decisions(petition_id, args.decisions)


if __name__ == "__main__":
    main()
