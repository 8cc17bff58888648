"""Suspect sections: does the list rank the fraudulent sections first, and how often does it
flag an honest circulator's section?

    python bench/bench_suspects.py [--voters 100000] [--lines 20000] [--frauds 3] [--seed 5]

Generates a county roll and a petition whose circulators differ in quality
(devtools.synthetic.circulators: honest ones of varied skill, and `--frauds` circulators
committing each pattern), imports the roll into the benchmark database and loads the lines
with their true statuses (as a perfect validation would leave them: the list is measured, not
the matcher), then scores every section (petitions.suspects) and prints: the fraudulent
sections in the top K (K = how many there are), the flag's precision and recall, recall by
pattern, the false-flag rate among the honest circulators' sections, and the time taken.
"""

import argparse
import csv
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_validate import clear_petition, setup_django, use_roll
from bench.common import OUT, generator_key, prepare_database, synthetic_roll

SLUG = "bench-suspects"


def synthetic_petition(roll_path: Path, lines: int, frauds: int, seed: int) -> tuple[Path, ...]:
    """The lines, truth and sections files, cached in bench/out under the generator's key."""
    from devtools.synthetic.circulators import write_circulator_petition

    stem = f"suspects-{roll_path.stem}-{lines}-{frauds}-{seed}-{generator_key()}"
    paths = tuple(OUT / f"{stem}.{kind}.csv" for kind in ("lines", "truth", "sections"))
    if not paths[2].exists():
        write_circulator_petition(roll_path, paths[0], lines, seed, truth_path=paths[1],
                                  sections_path=paths[2], frauds=frauds)  # fmt: skip
    return paths


def load(lines_path: Path, truth_path: Path, sections_path: Path) -> tuple[int, dict[int, str]]:
    """The petition with its sections' declarations and its lines at their true status; the
    petition id and each serial's pattern."""
    from django.db import connection

    from petitions.models import Line, Petition, Section

    clear_petition(SLUG)
    petition = Petition.objects.create(title="Suspects benchmark", slug=SLUG,
                                       required_signatures=10_000)  # fmt: skip
    patterns: dict[int, str] = {}
    sections: dict[int, Section] = {}
    with sections_path.open(newline="") as f:
        for row in csv.DictReader(f):
            serial = int(row["section"])
            patterns[serial] = row["pattern"]
            sections[serial] = Section(
                petition=petition, serial=serial, circulator_name=row["circulator"],
                circulated_from=date.fromisoformat(row["circulated_from"]),
                circulated_to=date.fromisoformat(row["circulated_to"]),
            )  # fmt: skip
    Section.objects.bulk_create(sections.values(), batch_size=2000)
    truth = {}
    with truth_path.open(newline="") as f:
        for row in csv.DictReader(f):
            truth[(int(row["section"]), int(row["line"]))] = (row["status"], row["voter_id"])
    counted: set[str] = set()
    lines = []
    with lines_path.open(newline="") as f:
        for row in csv.DictReader(f):
            key = (int(row["section"]), int(row["line"]))
            status, voter = truth[key]
            count = status == "valid" and voter != "" and voter not in counted
            if count:
                counted.add(voter)
            elif status == "valid" and voter:
                status = "duplicate"
            lines.append(Line(
                petition=petition, section=sections[key[0]], number=key[1],
                printed_name=row["printed_name"], residence_address=row["residence_address"],
                city=row["city"], zip=row["zip"], status=status, counted=count,
                voter_registrant_id=voter if status != "not_registered" else "",
                date_signed=date.fromisoformat(row["date_signed"]),
            ))  # fmt: skip
    Line.objects.bulk_create(lines, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE petitions_line")
    return petition.pk, patterns


def measure(petition_id: int, patterns: dict[int, str]) -> dict[str, float]:
    from petitions.models import Petition
    from petitions.suspects import score_sections, section_figures

    petition = Petition.objects.get(pk=petition_id)
    started = time.perf_counter()
    figures = section_figures(petition)
    suspects = score_sections(figures)
    seconds = time.perf_counter() - started
    honest_circulators = {f.circulator for f in figures.values() if patterns[f.serial] == "honest"}
    fraud_circulators = {f.circulator for f in figures.values() if patterns[f.serial] != "honest"}
    honest = {s for s, p in patterns.items() if p == "honest"} - {
        f.serial for f in figures.values() if f.circulator in fraud_circulators
    }
    fraud = {s for s, p in patterns.items() if p != "honest"}
    flagged = {s["serial"] for s in suspects}
    top = [s["serial"] for s in suspects[: len(fraud)]]
    by_pattern: dict[str, list[int]] = defaultdict(list)
    for serial in fraud:
        by_pattern[patterns[serial]].append(serial)
    print(f"sections            {len(patterns):>8,}  honest circulators' {len(honest):,} "
          f"({len(honest_circulators - fraud_circulators):,} circulators), fraudulent "
          f"{len(fraud):,}")  # fmt: skip
    print(f"lines               {sum(f.lines for f in figures.values()):>8,}")
    print(f"scored in           {seconds:>8.2f} s")
    in_top = len(fraud & set(top))
    print(f"top K               {in_top:>8} of {len(fraud)} fraudulent sections in the top "
          f"{len(fraud)}")  # fmt: skip
    precision = len(flagged & fraud) / len(flagged) if flagged else 1.0
    recall = len(flagged & fraud) / len(fraud) if fraud else 1.0
    false_flags = len(flagged & honest)
    print(f"precision           {precision:>8.3f}  ({len(flagged & fraud)} of {len(flagged)} "
          "flagged are fraudulent)")  # fmt: skip
    print(f"recall              {recall:>8.3f}  ({len(flagged & fraud)} of {len(fraud)} "
          "fraudulent flagged)")  # fmt: skip
    rate = false_flags / len(honest) if honest else 0.0
    print(f"false-flag rate     {rate:>8.4f}  ({false_flags} of {len(honest):,} honest "
          "circulators' sections flagged)")  # fmt: skip
    reasons = Counter(r["pattern"] for s in suspects if s["serial"] in honest for r in s["reasons"])
    if reasons:
        print("  honest flagged by: " + ", ".join(f"{p} {n}" for p, n in reasons.most_common()))
    for pattern, serials in sorted(by_pattern.items()):
        hit = sum(1 for s in serials if s in flagged)
        print(f"  {pattern:<17} {hit:>3} of {len(serials)} flagged")
    return {"in_top": in_top, "precision": precision, "recall": recall, "false_flag_rate": rate}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=20_000, help="honest lines")
    parser.add_argument("--frauds", type=int, default=3, help="circulators of each pattern")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    if args.lines > args.voters // 2:
        # The generator draws each signer once while the roll lasts, then again: past that,
        # whole sections are duplicates, honest circulators' later ones "bad nights".
        parser.error(f"--lines {args.lines:,} needs a roll of at least {2 * args.lines:,} voters")
    prepare_database()
    roll_path = synthetic_roll(args.voters)
    paths = synthetic_petition(roll_path, args.lines, args.frauds, args.seed)
    setup_django()
    use_roll(roll_path)
    petition_id, patterns = load(*paths)
    measure(petition_id, patterns)


if __name__ == "__main__":
    main()
