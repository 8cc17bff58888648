"""The plans of validation's hot queries: index probes, never a read of the whole table, with the
statistics a just-imported petition has (every line pending, no voter)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petitions.models import Line, Petition, Section
from petitions.services import signatures_import
from petitions.validation.counting import _lines_of_voters
from tests.petitions.test_commands import row, write_csv
from tests.voters.factories import many, write_canonical
from voters.matching import voter_names

pytestmark = pytest.mark.django_db

LINES = 5_000  # a petition big enough for the planner to weigh its indexes


@pytest.fixture
def petition(db):
    petition = Petition.objects.create(title="T", slug="t", required_signatures=10)
    section = Section.objects.create(petition=petition, serial=1)
    Line.objects.bulk_create(
        Line(petition=petition, section=section, number=n, printed_name=f"Name {n}",
             residence_address=f"{n} Main St")
        for n in range(1, LINES + 1)
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE petitions_line")  # as the import leaves it: all pending
    return petition


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(r[0] for r in cursor.fetchall())


def _counting_plan(petition) -> str:
    """The plan of counting's read of the lines of a batch's voters (its first statement)."""
    voters = {f"V{n}" for n in range(1000)}
    with CaptureQueriesContext(connection) as queries:
        _lines_of_voters(petition.pk, voters, set())
    return _plan(queries.captured_queries[0]["sql"])


def test_counting_probes_the_voter_index_of_a_just_imported_petition(petition):
    plan = _counting_plan(petition)
    assert "Seq Scan on petitions_line" not in plan, plan
    assert "petitions_line_voter" in plan, plan


def test_without_the_voter_column_statistics_counting_reads_the_whole_petition(petition):
    # The cause the setting fixes: a just-imported petition's statistics say one voter has all
    # its lines (this test fails if the planner someday sees through that on its own).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER waits for no deferred check
        cursor.execute(
            "ALTER TABLE petitions_line ALTER COLUMN voter_registrant_id RESET (n_distinct)"
        )
        cursor.execute("ANALYZE petitions_line")
    assert "Seq Scan on petitions_line" in _counting_plan(petition)


def test_an_import_of_many_lines_takes_the_lines_statistics(db, tmp_path):
    petition = Petition.objects.create(title="T", slug="t", required_signatures=10)
    path = write_csv(tmp_path / "s.csv", [row(1 + n // 100, 1 + n % 100) for n in range(1_200)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE petitions_line")  # the table empty
    signatures_import(petition=petition, path=path)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'petitions_line'")
        assert cursor.fetchone()[0] == 1_200


def test_voter_names_probes_the_roll_partition_by_roll_and_id(tmp_path):
    from django.core.management import call_command

    from voters.models import VoterRoll

    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", many(20_000))))
    roll_id = VoterRoll.objects.get(state=VoterRoll.State.ACTIVE).pk
    with CaptureQueriesContext(connection) as queries:
        names = voter_names(roll_id, {"1", "2", "3"})
    assert len(names) == 3
    plan = _plan(queries.captured_queries[0]["sql"])
    assert "Seq Scan" not in plan, plan
    assert f"voters_voter_roll_{roll_id}_pkey" in plan, plan
