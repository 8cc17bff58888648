"""Importing the registrar's line-by-line result, and reading it beside ours.

    python bench/bench_registrar.py [--lines 700000] [--runs 3]

Makes a petition of --lines lines (1,000 a section, written straight into the benchmark
database: no roll, no validation; three in four valid, the rest not registered) and a registrar's
file deciding each line at random (seeded), then imports it --runs times through the service
(COPY, checks, INSERT ... SELECT), each beside a bare COPY of the same file into a temporary
table, the reference measured in the same run. Then times the reads: the confusion matrix, the
differing lines by reason, the challenge list and registrar_line_pairs streamed. Medians.
"""

import argparse
import io
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_validate import setup_django
from bench.common import prepare_database, use_own_database, use_redis_db

SLUG = "bench-registrar"
PER_SECTION = 1000
NAMES = ["Valid"] * 7 + ["Not Registered", "Max Number of Times Signed", "Different Address"]


def petition_with_lines(lines: int):
    """The benchmark petition with exactly `lines` lines (made again if it has another number)."""
    from django.db import connection

    from petitions.models import Line, Petition, RegistrarResult, Section

    petition = Petition.objects.filter(slug=SLUG).first()
    if petition is not None and Line.objects.filter(petition=petition).count() != lines:
        RegistrarResult.objects.filter(petition=petition).delete()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM petitions_line WHERE petition_id = %s", [petition.pk])
            cursor.execute("DELETE FROM petitions_section WHERE petition_id = %s", [petition.pk])
        petition.delete()
        petition = None
    if petition is None:
        petition = Petition.objects.create(
            title="Registrar benchmark", slug=SLUG, required_signatures=max(1, lines // 2)
        )
        sections = -(-lines // PER_SECTION)
        # Through the model (a few thousand rows): every column a migration adds gets its
        # default, which a hand-written INSERT would miss on a freshly migrated database.
        Section.objects.bulk_create(
            (Section(petition=petition, serial=serial, declaration_signed=True)
             for serial in range(1, sections + 1)),
            batch_size=5000,
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO petitions_line (petition_id, section_id, number, printed_name,
                    residence_address, city, zip, signed, withdrawn, status, voter_registrant_id,
                    counted, namesakes, options, score, reason, client_token, entered_at,
                    updated_at)
                SELECT %s, s.id, n, 'X', '1 A St', '', '', true, false,
                       CASE WHEN n %% 4 = 0 THEN 'not_registered' ELSE 'valid' END, '', false,
                       '{}', '{}', 0.95,
                       jsonb_build_object(
                           'rule', CASE WHEN n %% 4 = 0 THEN 'not_found' ELSE 'match' END,
                           'summary', 'surname exact', 'candidates', '[]'::jsonb),
                       gen_random_uuid(), now(), now()
                FROM petitions_section s, generate_series(1, %s) n
                WHERE s.petition_id = %s AND (s.serial - 1) * %s + n <= %s
                """,
                [petition.pk, PER_SECTION, petition.pk, PER_SECTION, lines],
            )
    return petition


def registrar_file(lines: int) -> bytes:
    rng = random.Random(20540)
    out = io.StringIO()
    out.write("section,line,status\n")
    for index in range(lines):
        out.write(f"{index // PER_SECTION + 1},{index % PER_SECTION + 1},{rng.choice(NAMES)}\n")
    return out.getvalue().encode()


def timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=700_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    use_redis_db("bench-registrar")
    use_own_database("registrar")
    prepare_database()
    setup_django()
    from django.db import connection, transaction

    from petitions.models import RegistrarResult
    from petitions.selectors.registrar import (
        challenge_list,
        confusion_matrix,
        differing_by_reason,
        registrar_line_pairs,
    )
    from petitions.services.registrar import registrar_result_import

    petition = petition_with_lines(args.lines)
    data = registrar_file(args.lines)

    def bare_copy() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE bare (a text, b text, c text) ON COMMIT DROP")
            cursor.copy_expert(
                "COPY bare FROM STDIN WITH (FORMAT csv, HEADER true)", io.BytesIO(data)
            )

    def do_import():
        return registrar_result_import(
            petition=petition,
            kind="lines",
            source=io.BytesIO(data),
            source_name="bench.csv",
            as_of=date(2026, 12, 1),
        )

    copies, imports = [], []
    result = None
    for _ in range(args.runs):
        RegistrarResult.objects.filter(petition=petition).delete()  # each run on an empty table
        copies.append(timed(bare_copy)[0])
        seconds, result = timed(do_import)
        imports.append(seconds)
    assert result is not None
    assert result.lines == args.lines
    reads = {
        "confusion matrix": timed(lambda: confusion_matrix(result)),
        "differing lines by reason": timed(lambda: differing_by_reason(result)),
        "challenge list": timed(lambda: challenge_list(petition, result)),
        "registrar_line_pairs (streamed)": timed(
            lambda: sum(1 for _ in registrar_line_pairs([petition]))
        ),
    }
    print(
        f"registrar's result, line by line: {args.lines:,} lines, {len(data) / 1e6:.1f} MB, "
        f"median of {args.runs} runs"
    )
    print(f"  bare COPY of the file     {statistics.median(copies):8.2f} s")
    print(f"  import (COPY, checks, INSERT ... SELECT, commit) {statistics.median(imports):8.2f} s")
    for name, (seconds, value) in reads.items():
        size = value if isinstance(value, int) else len(value) if hasattr(value, "__len__") else ""
        print(f"  {name:<32} {seconds:8.2f} s  {size}")
    matrix = reads["confusion matrix"][1]
    print(f"  agreement {matrix.accuracy.agreement:.4f}")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
