"""The registrar's results: imports of each kind, bad files refused whole, the comparison, the
confusion matrix, the challenge list and the examination's clock."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from petitions.models import (
    Line,
    Petition,
    RegistrarLine,
    RegistrarResult,
    Section,
)
from petitions.registrar import accuracy, examination_clock
from petitions.selectors.registrar import (
    challenge_list,
    challenge_rows,
    confusion_matrix,
    differing_by_reason,
    latest_registrar_result,
    registrar_comparison,
    registrar_line_pairs,
)
from petitions.services.registrar import registrar_result_import
from tests.recall.test_hostile_input import EXAMPLES, HOSTILE

pytestmark = pytest.mark.django_db


def candidate(voter_id, score, name="agree", address="agree", city="agree"):
    levels = {"agree": "exact", "partial": "initial", "differs": "different"}
    return {
        "voter_id": voter_id,
        "name": f"Voter {voter_id}",
        "address": "1 A St",
        "city": "X",
        "registration": "A",
        "score": score,
        "fields": {
            "surname": levels[name],
            "first": levels[name],
            "number": "agree" if address != "differs" else "differs",
            "street": levels[address],
            "city": levels[city],
        },
    }


@pytest.fixture
def petition(db):
    petition = Petition.objects.create(title="T", slug="t", required_signatures=100)
    for serial in (1, 2):
        Section.objects.create(petition=petition, serial=serial)
    return petition


def line(petition, serial, number, status, rule="", score=None, candidates=(), voter=""):
    return Line.objects.create(
        petition=petition,
        section=Section.objects.get(petition=petition, serial=serial),
        number=number,
        status=status,
        score=score,
        voter_registrant_id=voter,
        printed_name=f"Signer {serial}-{number}",
        residence_address="1 A St",
        reason={"rule": rule, "summary": f"{rule} summary", "candidates": list(candidates)},
    )


def imported(petition, kind, text, as_of=date(2026, 11, 1), **extra):
    return registrar_result_import(
        petition=petition,
        kind=kind,
        source=io.BytesIO(text.encode()),
        source_name=f"{kind}.csv",
        as_of=as_of,
        **extra,
    )


def refused(petition, kind, text) -> list[str]:
    before = (RegistrarResult.objects.count(), RegistrarLine.objects.count())
    with pytest.raises(ValidationError) as caught:
        imported(petition, kind, text)
    assert (RegistrarResult.objects.count(), RegistrarLine.objects.count()) == before
    return caught.value.messages


def test_a_raw_count_is_kept(petition):
    result = imported(petition, "raw", "raw_count\n715,833\n")
    assert (result.kind, result.raw_count, result.as_of) == ("raw", 715_833, date(2026, 11, 1))


def test_a_sample_maps_the_registrars_names(petition):
    result = imported(
        petition,
        "sample",
        "Category,Count\nValid,516\nMax Number of Times Signed,2\n"
        "not  registered,150\nSIGNATURE MISMATCH,54\n",
    )
    assert result.counts == {
        "valid": 516,
        "duplicate": 2,
        "not_registered": 150,
        "signature_mismatch": 54,
    }
    assert result.sample_size == 722


def test_a_full_count_and_earlier_imports_are_all_kept(petition):
    first = imported(petition, "full", "category,count\nValid,10\n", as_of=date(2026, 11, 1))
    second = imported(petition, "full", "category,count\nValid,12\n", as_of=date(2026, 11, 5))
    older = imported(petition, "full", "category,count\nValid,11\n", as_of=date(2026, 10, 1))
    assert RegistrarResult.objects.filter(kind="full").count() == 3
    assert latest_registrar_result(petition, "full") == second
    first.refresh_from_db()
    assert first.counts == {"valid": 10}
    assert older.counts == {"valid": 11}


def test_a_line_by_line_result_joins_the_lines(petition):
    a = line(petition, 1, 1, "valid")
    b = line(petition, 1, 2, "not_registered")
    c = line(petition, 2, 7, "duplicate")
    result = imported(
        petition,
        "lines",
        "\ufeffsection,line,status\n1,1,Valid\n1,2,Not Found\n2 , 7 ,Signed More Than Once\n",
    )
    assert result.lines == 3
    got = dict(RegistrarLine.objects.filter(result=result).values_list("line_id", "category"))
    assert got == {a.pk: "valid", b.pk: "not_registered", c.pk: "duplicate"}
    assert RegistrarLine.objects.get(line=c).written == "Signed More Than Once"
    # Nothing of ours changed.
    assert Line.objects.get(pk=b.pk).status == "not_registered"


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("raw", "count\n5\n", "row 1 (the header): a raw count file's header is raw_count"),
        ("raw", "raw_count\nabout 5\n", "row 2, raw_count: 'about 5' is not a whole number"),
        (
            "sample",
            "category,count\nValid,5\nFraud,2\n",
            "row 3, category: 'Fraud' is not a category name we know; known names: Valid, ",
        ),
        (
            "sample",
            "category,count\nValid,5\nNot Registered,many\n",
            "row 3, count: 'many' is not a whole number",
        ),
        (
            "full",
            "category,count\nCancelled,5\nCanceled,2\n",
            "row 3, category: 'Canceled' is canceled again (first in row 2)",
        ),
        (
            "lines",
            "section,line,category\n1,1,Valid\n",
            "row 1 (the header): a line by line file's",
        ),
        (
            "lines",
            "section,line,status\n1,1,Valid\n1,2,Bogus\n",
            "row 3, status: 'Bogus' is not a category name we know (rows with it: 1); "
            "known names: Valid",
        ),
        (
            "lines",
            "section,line,status\n1,1,Valid\n9,1,Valid\n",
            "row 3, section: the petition has no section 9",
        ),
        (
            "lines",
            "section,line,status\n1,1,Valid\n1,5,Valid\n",
            "row 3, line: section 1 has no line 5",
        ),
        (
            "lines",
            "section,line,status\n1,1,Valid\n1,2,Valid\n1,1,Duplicate\n",
            "row 4, line: section 1 line 1 again (first in row 2)",
        ),
        (
            "lines",
            "section,line,status\n1,1,Valid\n1,two,Valid\n",
            "row 3, line: 'two' is not a whole number",
        ),
        (
            "lines",
            "section,line,status\n1,1,Valid\n1,2,Valid,extra\n",
            "row 3: more values than the header's section,line,status",
        ),
        ("lines", "section,line,status\n", "No lines under the header"),
    ],
)
def test_a_bad_file_is_refused_whole_naming_the_row_and_field(petition, kind, text, expected):
    line(petition, 1, 1, "valid")
    line(petition, 1, 2, "valid")
    messages = refused(petition, kind, text)
    assert any(expected in message for message in messages), messages


def test_a_file_not_utf8_is_refused(petition):
    line(petition, 1, 1, "valid")
    before = RegistrarResult.objects.count()
    with pytest.raises(ValidationError, match="row 3: not UTF-8"):
        registrar_result_import(
            petition=petition,
            kind="lines",
            as_of=date(2026, 11, 1),
            source=io.BytesIO(b"section,line,status\n1,1,Valid\n1,1,Caf\xe9\n"),
        )
    assert RegistrarResult.objects.count() == before


def test_the_command_imports_and_refuses(petition, tmp_path, capsys):
    line(petition, 1, 1, "valid")
    path = tmp_path / "lines.csv"
    path.write_text("section,line,status\n1,1,Valid\n")
    call_command(
        "import_registrar_results",
        str(path),
        "--petition",
        "t",
        "--kind",
        "lines",
        "--date",
        "2026-11-02",
        "--certified",
        "2026-11-03",
    )
    assert "1 lines" in capsys.readouterr().out
    result = RegistrarResult.objects.get()
    assert (result.as_of, result.certified_on) == (date(2026, 11, 2), date(2026, 11, 3))
    path.write_text("section,line,status\n1,3,Valid\n")
    with pytest.raises(CommandError, match="row 2, line: section 1 has no line 3"):
        call_command("import_registrar_results", str(path), "--petition", "t", "--kind", "lines")
    assert RegistrarResult.objects.count() == 1


def test_the_confusion_matrix_and_accuracy_on_a_small_case(petition):
    # The registrar's valid: 4 lines (3 ours valid, 1 in review); its not registered: 3 (1 ours
    # valid, 2 ours not registered); its signature mismatch: 1 (ours valid).
    statuses = [
        ("valid", "Valid"),
        ("valid", "Valid"),
        ("valid", "Valid"),
        ("needs_review", "Valid"),
        ("valid", "Not Registered"),
        ("not_registered", "Not Registered"),
        ("not_registered", "Not Registered"),
        ("valid", "Signature Mismatch"),
    ]
    body = "".join(f"1,{n},{name}\n" for n, (_, name) in enumerate(statuses, start=1))
    for n, (status, _) in enumerate(statuses, start=1):
        line(petition, 1, n, status, rule="match" if status == "valid" else "not_found")
    result = imported(petition, "lines", "section,line,status\n" + body)
    matrix = confusion_matrix(result)
    assert matrix.cells == {
        ("valid", "valid"): 3,
        ("valid", "needs_review"): 1,
        ("not_registered", "valid"): 1,
        ("not_registered", "not_registered"): 2,
        ("signature_mismatch", "valid"): 1,
    }
    assert matrix.categories == ["valid", "not_registered", "signature_mismatch"]
    assert matrix.statuses == ["valid", "not_registered", "needs_review"]
    a = matrix.accuracy
    assert (a.lines, a.decided, a.agreed) == (8, 7, 5)
    assert a.precision == pytest.approx(3 / 5)  # of our 5 valid, 3 are the registrar's
    assert a.recall == pytest.approx(3 / 4)  # of its 4 valid, we found 3
    assert a.agreement == pytest.approx(5 / 7)
    groups = differing_by_reason(result)
    assert [(g.rule, g.lines) for g in groups] == [("match", 2), ("not_found", 1)]
    assert groups[0].pairs == [("valid", "not_registered", 1), ("valid", "signature_mismatch", 1)]
    assert [(d.serial, d.number) for d in groups[0].shown] == [(1, 5), (1, 8)]
    pairs = sorted(registrar_line_pairs([petition]))
    assert pairs[0][1:] == ("valid", "match", "valid")
    assert pairs[3][1:] == ("needs_review", "not_found", "valid")


def test_accuracy_of_nothing_decided_is_none():
    a = accuracy({("valid", "pending"): 3})
    assert (a.agreement, a.precision, a.recall) == (None, None, 0.0)


def test_the_challenge_list_puts_the_strongest_first_and_groups_sections(petition):
    line(petition, 1, 1, "valid", "match", 0.9, [candidate("11", 0.9, city="partial")], "11")
    line(petition, 1, 2, "valid", "match", 1.0, [candidate("12", 1.0)], "12")
    line(petition, 2, 1, "valid", "match", 0.95, [candidate("21", 0.95)], "21")
    # A strong candidate left to review, and a weak one (not listed).
    line(petition, 2, 2, "needs_review", "tie_at_address", None, [candidate("22", 0.99)])
    line(petition, 2, 3, "needs_review", "grey_zone", None, [candidate("23", 0.6, name="partial")])
    line(petition, 1, 3, "valid", "match", 1.0, [candidate("13", 1.0)], "13")  # registrar: valid
    line(petition, 1, 4, "not_registered", "not_found")  # ours invalid too: nothing to challenge
    imported(
        petition,
        "lines",
        "section,line,status\n1,1,Not Registered\n1,2,Different Address\n"
        "2,1,Duplicate\n2,2,Not Registered\n2,3,Not Registered\n1,3,Valid\n"
        "1,4,Not Registered\n",
    )
    challenges = challenge_list(petition)
    assert [(c.rank, c.serial, c.number) for c in challenges] == [
        (1, 1, 2),
        (2, 2, 1),
        (3, 1, 1),
        (4, 2, 2),
    ]
    assert challenges[0].strength == 100
    assert challenges[0].marks["city"] == "agree"
    assert challenges[2].marks == {"name": "agree", "address": "agree", "city": "partial"}
    assert challenges[0].voter["voter_id"] == "12"
    assert challenges[0].category == "address_mismatch"
    rows = list(challenge_rows(challenges))
    assert rows[0][:3] == ("rank", "section", "line")
    # Grouped by section, the section of the strongest line first.
    assert [(r[1], r[2]) for r in rows[1:]] == [(1, 2), (1, 1), (2, 1), (2, 2)]


def test_the_comparison_projects_the_sample_by_ccr_20540(petition):
    for n in range(1, 6):
        line(petition, 1, n, "valid" if n < 5 else "not_registered")
    today = timezone.localdate()  # the lines were entered today: ours of today has them
    imported(petition, "raw", "raw_count\n24034\n", as_of=today)
    imported(
        petition,
        "sample",
        "category,count\nValid,514\nDuplicate,2\nNot Registered,206\n",
        as_of=today,
    )
    imported(petition, "full", "category,count\nValid,15000\nNot Registered,9034\n", as_of=today)
    comparison = registrar_comparison(petition)
    # The regulation's worked example: v = 516 valid signatures (514 + the 2 duplicates found).
    assert comparison.sample.projection == 15_028
    assert comparison.sample.total == 722
    valid_row = comparison.sample.rows[0]
    assert (valid_row.category, valid_row.registrar, valid_row.ours) == ("valid", 514, 4)
    assert valid_row.scaled == round(514 * 24034 / 722)
    assert comparison.sample.ours.projected_valid == 4
    assert comparison.full.rows[1].registrar == 9034
    assert comparison.full.verdict == "sufficient"
    signature = next(r for r in comparison.full.rows if r.category == "signature_mismatch")
    assert signature.ours is None  # a category we never decide


def test_our_counts_are_taken_as_they_stood_on_the_registrars_date(petition):
    line(petition, 1, 1, "valid")
    line(petition, 1, 2, "valid")
    from petitions.models import LineTally

    # One of the lines was entered after the registrar's date.
    LineTally.objects.filter(petition=petition).delete()
    LineTally.objects.create(petition=petition, day=date(2026, 10, 30), status="valid", lines=1)
    LineTally.objects.create(petition=petition, day=date(2026, 11, 3), status="valid", lines=1)
    imported(petition, "full", "category,count\nValid,1\n", as_of=date(2026, 11, 1))
    assert registrar_comparison(petition).full.ours.valid == 1


def test_the_examination_clock():
    # Certified on a Friday: the 5 business days are Fri, Mon-Thu.
    clock = examination_clock(date(2026, 12, 4), today=date(2026, 12, 9))
    assert clock.free_until == date(2026, 12, 10)
    assert clock.last_day == date(2027, 2, 1)
    assert (clock.days_left, clock.free_days_past, clock.over) == (55, False, False)
    later = examination_clock(date(2026, 12, 4), today=date(2026, 12, 11))
    assert later.free_days_past
    assert examination_clock(date(2026, 12, 4), today=date(2027, 2, 1)).days_left == 1
    done = examination_clock(date(2026, 12, 4), today=date(2027, 2, 2))
    assert (done.days_left, done.over) == (0, True)
    before = examination_clock(date(2026, 12, 4), today=date(2026, 12, 1))
    assert (before.started, before.days_left) == (False, 60)


HEADERS = {
    "raw": ["raw_count"],
    "sample": ["category", "count"],
    "full": ["category", "count"],
    "lines": ["section", "line", "status"],
}
CELLS = st.one_of(
    HOSTILE,
    st.sampled_from(
        ["1", "2", " 1 ", "Valid", "Not Found", "0", "-1", "1,000", "99999999999", "1.5"]
    ),
)


@EXAMPLES
@given(
    kind=st.sampled_from(sorted(HEADERS)),
    header=st.one_of(st.none(), st.lists(HOSTILE, max_size=4)),
    rows=st.lists(st.lists(CELLS, min_size=0, max_size=4), max_size=6),
    raw=st.one_of(st.none(), st.binary(max_size=300)),
)
def test_the_importer_refuses_hostile_files_cleanly(petition, kind, header, rows, raw):
    """Whatever the file, a result is stored whole or a clear error is raised and nothing is."""
    if not Line.objects.filter(petition=petition).exists():
        line(petition, 1, 1, "valid")
        line(petition, 1, 2, "not_registered")
    if raw is None:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(HEADERS[kind] if header is None else header)
        writer.writerows(rows)
        raw = out.getvalue().encode("utf-8", "surrogatepass")
    before = (RegistrarResult.objects.count(), RegistrarLine.objects.count())
    try:
        result = registrar_result_import(
            petition=petition, kind=kind, source=io.BytesIO(raw), as_of=date(2026, 11, 1)
        )
    except ValidationError as exc:
        assert exc.messages  # noqa: PT017
        assert all(message.strip() for message in exc.messages)  # noqa: PT017
        assert (RegistrarResult.objects.count(), RegistrarLine.objects.count()) == before
        return
    assert RegistrarResult.objects.count() == before[0] + 1
    assert RegistrarLine.objects.count() == before[1] + result.lines


def test_a_result_dated_in_the_future_or_before_the_approval_is_refused(petition):
    petition.approved_on = date(2026, 6, 1)
    petition.save(update_fields=["approved_on"])
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        imported(petition, "raw", "raw_count\n10\n", as_of=tomorrow)
    assert caught.value.message_dict == {"as_of": [f"{tomorrow.isoformat()} is in the future."]}
    with pytest.raises(ValidationError) as caught:
        imported(petition, "raw", "raw_count\n10\n", as_of=date(2026, 5, 1),
                 certified_on=tomorrow)  # fmt: skip
    assert set(caught.value.message_dict) == {"as_of", "certified_on"}
    assert "before the petition was approved (2026-06-01)" in caught.value.message_dict["as_of"][0]
    assert not RegistrarResult.objects.exists()


def test_a_mistaken_import_is_withdrawn_and_the_clock_follows_the_latest(petition, organizer):
    from petitions.registrar import examination_for
    from petitions.services.registrar import registrar_result_withdraw
    from recall.models import AuditEvent

    today = timezone.localdate()
    first = imported(petition, "raw", "raw_count\n10\n", as_of=today - timedelta(days=9),
                     certified_on=today - timedelta(days=2))  # fmt: skip
    # A later import corrects the certificate date: the clock starts on it, not on the larger.
    second = imported(petition, "full", "category,count\nValid,8\n",
                      as_of=today - timedelta(days=1),
                      certified_on=today - timedelta(days=5))  # fmt: skip
    assert (
        examination_for(petition, today=today)["starts_on"]
        == (today - timedelta(days=5)).isoformat()
    )
    registrar_result_withdraw(result=second, by=organizer)
    assert list(RegistrarResult.objects.all()) == [first]
    assert (
        examination_for(petition, today=today)["starts_on"]
        == (today - timedelta(days=2)).isoformat()
    )
    event = AuditEvent.objects.get(action="registrar_withdrawn")
    assert (event.username, event.detail["kind"], event.detail["counts"]) == (
        organizer.username, "full", {"valid": 8},
    )  # fmt: skip


def test_a_signature_mismatch_comes_after_the_rejections_our_evidence_answers(petition):
    line(petition, 1, 1, "valid", "match", 1.0, [candidate("11", 1.0)], "11")
    line(petition, 1, 2, "valid", "match", 0.9, [candidate("12", 0.9, city="partial")], "12")
    imported(petition, "lines", "section,line,status\n1,1,Signature Mismatch\n1,2,Not Registered\n")
    # The strongest line is a signature the registrar found not matching: we cannot speak to it.
    assert [(c.number, c.category) for c in challenge_list(petition)] == [
        (2, "not_registered"), (1, "signature_mismatch"),
    ]  # fmt: skip
