"""A simulated registrar: decides a synthetic petition's lines with its own rules, draws its
random sample, and writes its results as the files `import_registrar_results` reads (SPEC22).

    python -m devtools.synthetic.registrar TRUTH_CSV OUT_DIR [--seed S] [--rules strict|loose|lax]
        [--decisions DECISIONS_CSV]

The generated lines carry their truth (signatures.py's TRUTH.csv: the status a careful registrar
gives each line, the signer's voter and the noise classes). A real registrar is not that careful
registrar: it may read addresses more strictly than the regulation's tolerances (CCR 20931) or
accept a mover's line, refuse a nickname it cannot find in the roll, reject signatures that do
not match the registration card (which a campaign never sees), and its staff make mistakes. Each
of those is a rate in `RegistrarRules`, applied to the lines the truth says it applies to; then
the human errors, at `error_rate`, replace the category its rules gave with another one (a valid
line rejected, an invalid one passed). Every line's category by the rules and whether an error
changed it are kept (`Decided.by_rules`, `Decided.erred`, and the key file), so tests can check
the error rate and what the campaign should challenge.

The files, in OUT_DIR (CSV, UTF-8, a header row, the registrar's names for the categories):
raw.csv (`raw_count`), sample.csv and full.csv (`category,count`), lines.csv
(`section,line,status`), and key.csv (`section,line,category,by_rules,erred`: our codes, for
tests; no registrar gives it).

Given our chain's decisions (a bench_validate --decisions file, or (section, line) pairs), only
the lines we filed are decided (blank lines are not signatures). No Django here.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from petitions.sampling import sample_size

# Our category codes (petitions.models.RegistrarCategory) and the names this registrar writes
# (Los Angeles County's, as in its 2022 results; petitions/data/registrar_categories.csv maps
# them back).
REGISTRAR_NAMES = {
    "valid": "Valid",
    "not_registered": "Not Registered",
    "duplicate": "Max Number of Times Signed",
    "address_mismatch": "Different Address",
    "signature_mismatch": "Signature Mismatch",
    "canceled": "Cancelled",
    "out_of_jurisdiction": "Out of County",
    "incomplete": "Incomplete",
    "withdrawn": "Withdrawn",
    "registered_late": "Registered Late",
    "other": "Other",
}
# A valid line taken for invalid by mistake is called one of these (LA 2022's mix of rejections).
MISTAKEN_REJECTIONS = {"not_registered": 0.6, "address_mismatch": 0.25, "other": 0.15}
ADDRESS_NOISE = frozenset({"house_digit", "street_typo"})
NICKNAME_NOISE = frozenset({"nickname", "published_nickname"})


@dataclass(frozen=True)
class RegistrarRules:
    """How this registrar departs from the truth's careful reading, each a share of the lines
    it applies to."""

    # Valid lines whose address was written with a misread digit or a misspelt street: rejected
    # as a different address (a registrar stricter than CCR 20931's tolerances).
    address_noise_rejected: float = 0.0
    # Valid lines whose given name is a nickname: rejected as not registered (stricter).
    nicknames_rejected: float = 0.0
    # Movers' lines (registered at another address in the county): accepted (looser).
    movers_accepted: float = 0.0
    # Lines valid so far whose signature does not match the registration card.
    signature_mismatch: float = 0.0
    # Lines whose category a person got wrong: a valid one rejected, an invalid one passed.
    error_rate: float = 0.0


RULES = {
    # As careful as the truth: only the signatures a campaign cannot see.
    "exact": RegistrarRules(signature_mismatch=0.013),
    # Stricter than ours on addresses and nicknames, LA 2022's signature-mismatch share, and a
    # little human error.
    "strict": RegistrarRules(
        address_noise_rejected=0.5,
        nicknames_rejected=0.4,
        signature_mismatch=0.018,
        error_rate=0.01,
    ),
    # Looser on movers, a few signatures rejected, more human error.
    "loose": RegistrarRules(movers_accepted=0.6, signature_mismatch=0.01, error_rate=0.02),
}


@dataclass(frozen=True)
class Decided:
    """The registrar's decision for one line: its category (our code) and, for tests, what its
    rules said before any human error."""

    section: int
    line: int
    voter_id: str
    category: str
    by_rules: str
    erred: bool


@dataclass(frozen=True)
class Results:
    """What the registrar reports: every line's decision (paper order), the raw count, and its
    random sample (the lines drawn, by position in `lines`, and its counts by category)."""

    lines: list[Decided]
    sample: list[int]
    sample_counts: Counter[str]

    @property
    def raw(self) -> int:
        return len(self.lines)

    @property
    def full_counts(self) -> Counter[str]:
        return Counter(d.category for d in self.lines)


def read_truth(path: str | Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def filed_lines(decisions_path: str | Path) -> set[tuple[int, int]]:
    """The (section, line) our chain filed: every line of a decisions file but blank ones."""
    with open(decisions_path, encoding="utf-8", newline="") as f:
        return {
            (int(row["section"]), int(row["line"]))
            for row in csv.DictReader(f)
            if row["status"] != "blank"
        }


def decide(
    truth: Iterable[dict[str, str]],
    rules: RegistrarRules,
    *,
    seed: int = 0,
    filed: set[tuple[int, int]] | None = None,
    sampling_rule: str = "county",
) -> Results:
    """Decide each filed line of the truth with these rules, then draw the random sample.

    1. The truth's status, then the rules that apply to the line (in order: its address, its
       nickname, a mover accepted, the signature of a line still valid).
    2. Human error at `error_rate`: another category than the rules'.
    3. A voter counts once: a later line of a voter already counted is a duplicate (a line
       rejected by mistake leaves the voter's next line to count, as the registrar would).
    4. The sample: max(500, 5%) of the lines (3% statewide) drawn at random; in it, a voter's
       second line drawn is the duplicate d, every other line as decided.
    """
    rng = random.Random(f"registrar:{seed}")  # noqa: S311 - test data
    rows = sorted(
        (row for row in truth if filed is None or (int(row["section"]), int(row["line"])) in filed),
        key=lambda row: (int(row["section"]), int(row["line"])),
    )
    counted: set[str] = set()
    decided = []
    for row in rows:
        by_rules = _by_rules(row, rules, rng)
        category, erred = by_rules, False
        if rng.random() < rules.error_rate:
            category, erred = _mistaken(by_rules, rng), True
        voter = row["voter_id"]
        if category == "valid" and voter:
            if voter in counted:
                category = "duplicate"
            counted.add(voter)
        elif category == "duplicate" and voter and voter not in counted:
            # the voter's earlier line did not count: this one does
            category = "valid"
            counted.add(voter)
        decided.append(
            Decided(int(row["section"]), int(row["line"]), voter, category, by_rules, erred)
        )
    s = sample_size(len(decided), sampling_rule)
    sample = sorted(rng.sample(range(len(decided)), s))
    return Results(decided, sample, _sample_counts(decided, sample))


def _by_rules(row: dict[str, str], rules: RegistrarRules, rng: random.Random) -> str:
    status = row["status"]
    noise = set(filter(None, row.get("noise", "").split(";")))
    if status == "valid" and noise & ADDRESS_NOISE and rng.random() < rules.address_noise_rejected:
        return "address_mismatch"
    if status == "valid" and noise & NICKNAME_NOISE and rng.random() < rules.nicknames_rejected:
        return "not_registered"
    if status == "address_mismatch" and "mover" in noise and rng.random() < rules.movers_accepted:
        status = "valid"
    if status == "valid" and rng.random() < rules.signature_mismatch:
        return "signature_mismatch"
    return status


def _mistaken(category: str, rng: random.Random) -> str:
    if category != "valid":
        return "valid"
    r, total = rng.random(), 0.0
    for wrong, share in MISTAKEN_REJECTIONS.items():
        total += share
        if r < total:
            return wrong
    return "other"


def _sample_counts(decided: list[Decided], sample: list[int]) -> Counter[str]:
    """The sample's counts: a line valid or a duplicate in the full count is valid in the sample
    unless another line of its voter came before it in the sample (then it is a duplicate found,
    CCR 20540's d)."""
    counts: Counter[str] = Counter()
    seen: set[str] = set()
    for i in sample:
        d = decided[i]
        if d.category in ("valid", "duplicate") and d.voter_id:
            counts["duplicate" if d.voter_id in seen else "valid"] += 1
            seen.add(d.voter_id)
        else:
            counts[d.category] += 1
    return counts


def write_files(results: Results, folder: str | Path) -> dict[str, Path]:
    """The four files of SPEC22 (raw, sample, full, lines) and the key; {kind: path}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {kind: folder / f"{kind}.csv" for kind in ("raw", "sample", "full", "lines", "key")}

    def write(kind: str, header: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> None:
        with paths[kind].open("w", encoding="utf-8", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(header)
            out.writerows(rows)

    write("raw", ("raw_count",), [(results.raw,)])
    for kind, counts in (("sample", results.sample_counts), ("full", results.full_counts)):
        write(kind, ("category", "count"),
              [(REGISTRAR_NAMES[c], n) for c, n in sorted(counts.items())])  # fmt: skip
    write("lines", ("section", "line", "status"),
          [(d.section, d.line, REGISTRAR_NAMES[d.category]) for d in results.lines])  # fmt: skip
    write("key", ("section", "line", "category", "by_rules", "erred"),
          [(d.section, d.line, d.category, d.by_rules, "yes" if d.erred else "no")
           for d in results.lines])  # fmt: skip
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("truth", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rules", choices=sorted(RULES), default="strict")
    parser.add_argument("--decisions", type=Path, help="our chain's decisions: the lines filed")
    parser.add_argument("--statewide", action="store_true", help="the 500-or-3%% sample")
    args = parser.parse_args(argv)
    filed = filed_lines(args.decisions) if args.decisions else None
    results = decide(
        read_truth(args.truth), RULES[args.rules], seed=args.seed, filed=filed,
        sampling_rule="statewide" if args.statewide else "county",
    )  # fmt: skip
    for kind, path in write_files(results, args.out).items():
        print(f"{kind:>7}: {path}")


if __name__ == "__main__":
    main()
