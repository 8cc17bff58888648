"""Circulators as records: typed names matched to them, merge proposals and merges, their pages."""

import importlib
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from petitions.entry import section_create
from petitions.models import (
    Circulator,
    CirculatorAlias,
    CirculatorShift,
    Line,
    PayEntry,
    Petition,
    Section,
)
from petitions.selectors.circulators import merge_proposals
from petitions.services import signatures_import
from petitions.services.circulators import (
    circulator_merge,
    circulator_merge_dismiss,
    circulator_update,
)
from petitions.services.pay import pay_period_close, period_start_of
from recall.models import AuditAction, AuditEvent


@pytest.fixture
def petition(db):
    return Petition.objects.create(title="Circ", slug="circ", required_signatures=10)


def new_section(petition, serial, name, address=""):
    return section_create(petition=petition, serial=serial, entered_by=None,
                          circulator_name=name, circulator_address=address)  # fmt: skip


def test_a_typed_circulator_is_matched_by_its_folded_name_or_made(petition):
    first = new_section(petition, 1, "John Smith", "1 Oak St")
    same = new_section(petition, 2, "  john  SMITH. ")
    accented = new_section(petition, 3, "José O'Neil")
    plain = new_section(petition, 4, "JOSE ONEIL")
    other = new_section(petition, 5, "Jon Smith")
    nobody = new_section(petition, 6, "")

    assert first.circulator is not None
    assert same.circulator == first.circulator
    assert accented.circulator == plain.circulator
    assert accented.circulator.name_key == "JOSE ONEIL"
    assert other.circulator not in (None, first.circulator)
    assert nobody.circulator is None
    record = first.circulator
    # Made from the first section: its spelling and address; unpaid until an organizer says.
    assert (record.name, record.name_key, record.address) == (
        "John Smith",
        "JOHN SMITH",
        "1 Oak St",
    )
    assert (record.kind, record.rate) == ("volunteer", Decimal("0.00"))
    # The paper's words stay on the section.
    assert Section.objects.get(pk=same.pk).circulator_name == "john  SMITH."
    assert Circulator.objects.count() == 3


def test_imported_sections_are_matched_too(petition, tmp_path):
    Circulator.objects.create(name="Ann Lee", name_key="ANN LEE", kind="paid")
    path = tmp_path / "s.csv"
    path.write_text(
        "section,line,printed_name,residence_address,city,circulator\n"
        "1,1,Maria Lopez,123 Main St,Los Angeles,ann lee\n"
        "2,1,Bo Diaz,1 A St,Los Angeles,Bo Diaz\n"
        "3,1,Cy Diaz,1 A St,Los Angeles,\n"
    )
    signatures_import(petition=petition, path=path)
    linked = dict(Section.objects.values_list("serial", "circulator__name"))
    assert linked == {1: "Ann Lee", 2: "Bo Diaz", 3: None}


def test_the_migration_backfills_existing_sections(petition):
    Section.objects.bulk_create([
        Section(petition=petition, serial=1, circulator_name="Ann Lee"),
        Section(petition=petition, serial=2, circulator_name="ANN  LEE"),
        Section(petition=petition, serial=3, circulator_name="Bo Diaz"),
        Section(petition=petition, serial=4, circulator_name=""),
    ])  # fmt: skip
    migration = importlib.import_module("petitions.migrations.0017_circulators_and_pay")
    with connection.cursor() as cursor:
        migration.link_sections(cursor)
    linked = dict(Section.objects.values_list("serial", "circulator__name_key"))
    assert linked == {1: "ANN LEE", 2: "ANN LEE", 3: "BO DIAZ", 4: None}
    assert Circulator.objects.get(name_key="ANN LEE").name == "Ann Lee"  # the first section's


def names(proposals):
    return {frozenset((p.first.name, p.second.name)) for p in proposals}


def test_near_identical_names_are_proposed_for_merging(petition):
    for serial, name in enumerate(["John Smith", "J. Smith", "Jon Smith", "Jane Doe",
                                   "Maria Lopez", "Mario Lopez", "Tom Wu"], start=1):  # fmt: skip
        new_section(petition, serial, name)
    proposed = names(merge_proposals())
    assert frozenset(("John Smith", "J. Smith")) in proposed  # an initial
    assert frozenset(("John Smith", "Jon Smith")) in proposed  # a typo
    assert frozenset(("Jon Smith", "J. Smith")) in proposed
    assert not any("Jane Doe" in pair or "Tom Wu" in pair for pair in proposed)


def test_a_dismissed_pair_is_not_proposed_again(petition, organizer):
    john = new_section(petition, 1, "John Smith").circulator
    jon = new_section(petition, 2, "Jon Smith").circulator
    assert names(merge_proposals()) == {frozenset(("John Smith", "Jon Smith"))}
    circulator_merge_dismiss(first_id=jon.pk, second_id=john.pk, user=organizer)
    circulator_merge_dismiss(first_id=john.pk, second_id=jon.pk, user=organizer)  # once is kept
    assert merge_proposals() == []
    assert AuditEvent.objects.filter(action=AuditAction.CIRCULATOR_MERGE_DISMISSED).count() == 1


def test_merging_moves_sections_and_later_sections_follow(petition, organizer):
    john = new_section(petition, 1, "John Smith").circulator
    j = new_section(petition, 2, "J. Smith", "9 Elm St").circulator
    CirculatorShift.objects.create(circulator=j, day=timezone.localdate(), hours=2)

    kept = circulator_merge(keep_id=john.pk, drop_id=j.pk, user=organizer)

    assert kept == john
    assert not Circulator.objects.filter(pk=j.pk).exists()
    assert set(Section.objects.values_list("circulator_id", flat=True)) == {john.pk}
    assert john.shifts.count() == 1
    john.refresh_from_db()
    assert john.address == "9 Elm St"  # blank here, filled from the merged record
    assert CirculatorAlias.objects.get(name_key="J SMITH").circulator == john
    assert new_section(petition, 3, "j smith").circulator == john  # the alias links
    event = AuditEvent.objects.get(action=AuditAction.CIRCULATORS_MERGED)
    assert event.detail["merged"]["name"] == "J. Smith"
    assert event.detail["sections"] == 1
    with pytest.raises(ValidationError, match="no longer exists"):
        circulator_merge(keep_id=john.pk, drop_id=j.pk, user=organizer)
    with pytest.raises(ValidationError, match="into itself"):
        circulator_merge(keep_id=john.pk, drop_id=john.pk, user=organizer)


def test_a_record_with_pay_is_never_merged_away(petition, organizer):
    paid = new_section(petition, 1, "John Smith").circulator
    other = new_section(petition, 2, "Jon Smith").circulator
    Circulator.objects.filter(pk=paid.pk).update(kind="paid", rate=Decimal("1.00"))
    section = Section.objects.get(serial=1)
    Section.objects.filter(pk=section.pk).update(
        circulated_to=timezone.localdate() - timedelta(days=21)
    )
    Line.objects.create(petition=petition, section=section, number=1, printed_name="A",
                        status="valid", validated_at=timezone.now())  # fmt: skip
    pay_period_close(period_start=period_start_of(timezone.localdate() - timedelta(days=21)),
                     user=organizer)  # fmt: skip
    assert PayEntry.objects.filter(circulator=paid).exists()
    with pytest.raises(ValidationError, match="merge the other record into it instead"):
        circulator_merge(keep_id=other.pk, drop_id=paid.pk, user=organizer)
    circulator_merge(keep_id=paid.pk, drop_id=other.pk, user=organizer)  # this way round is fine


def test_a_negative_rate_is_refused(petition, organizer):
    record = new_section(petition, 1, "Ann Lee").circulator
    with pytest.raises(ValidationError, match="negative"):
        circulator_update(circulator=record, user=organizer, address="", phone="", email="",
                          kind="paid", pay_basis="per_valid_line", rate=Decimal("-1"))  # fmt: skip
    record.refresh_from_db()
    assert record.rate == 0


# The pages.


@pytest.fixture
def record(petition):
    section = new_section(petition, 1, "Ann Lee")
    statuses = ["valid", "valid", "duplicate", "not_registered", "out_of_jurisdiction",
                "needs_review", "blank"]  # fmt: skip
    for number, status in enumerate(statuses, start=1):
        Line.objects.create(petition=petition, section=section, number=number,
                            printed_name=f"S {number}", status=status)  # fmt: skip
    return section.circulator


def test_the_list_shows_each_circulator_with_their_figures(
    login, organizer, record, django_assert_max_num_queries
):
    client = login(organizer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("circulators:list"))
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert (row.circulator, row.figures.sections, row.figures.lines, row.figures.valid) == (
        record, 1, 6, 2)  # fmt: skip
    assert row.figures.validity_rate == 0.4  # 2 valid of 5 decided (1 waits for review)
    assert reverse("circulators:detail", args=[record.pk]) in response.content.decode()


def test_the_circulator_page_shows_outcomes_trend_and_sections(login, organizer, record):
    response = login(organizer).get(reverse("circulators:detail", args=[record.pk]))
    assert response.status_code == 200
    figures = response.context["figures"]
    counts = [figures.get(s) for s in ("duplicate", "not_registered", "out_of_jurisdiction")]
    assert counts == [1, 1, 1]
    assert figures.get("needs_review") == 1
    (week,) = response.context["trend"]
    assert (week.lines, week.decided, week.valid) == (6, 5, 2)
    assert b"<meter" in response.content
    assert reverse("petitions:section", args=["circ", 1]).encode() in response.content
    # Every status a line has is a row of the table: the rows add up to the lines.
    table = response.content.decode().split('id="figures"')[1].split("</table>")[0]
    cells = [int(n.replace(",", "")) for n in re.findall(r'<td class="num">([\d,]+)</td>', table)]
    _sections, lines, valid, *statuses = cells
    assert valid + sum(statuses) == lines == figures.lines


def test_the_section_page_links_its_circulator(login, organizer, volunteer, record):
    url = reverse("petitions:section", args=["circ", 1])
    link = reverse("circulators:detail", args=[record.pk]).encode()
    assert link in login(organizer).get(url).content
    section = Section.objects.get(serial=1)
    Section.objects.filter(pk=section.pk).update(entered_by=volunteer)
    assert link not in login(volunteer).get(url).content  # a volunteer has no circulator pages


def test_editing_pay_terms(login, organizer, record):
    client = login(organizer)
    url = reverse("circulators:edit", args=[record.pk])
    data = {"address": "1 Oak St", "phone": "555-0100", "email": "ann@example.org",
            "kind": "paid", "pay_basis": "per_valid_line", "rate": "-2"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 400
    assert "rate" in response.context["form"].errors
    record.refresh_from_db()
    assert (record.kind, record.rate, record.address) == ("volunteer", 0, "")

    response = client.post(url, data | {"rate": "3.25"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.kind, record.rate, record.phone) == ("paid", Decimal("3.25"), "555-0100")
    event = AuditEvent.objects.get(action=AuditAction.CIRCULATOR_CHANGED)
    assert event.detail["after"]["rate"] == "3.25"
    assert event.detail["before"]["rate"] == "0.00"
    assert client.get(url).status_code == 405


def test_adding_a_shift(login, organizer, record):
    client = login(organizer)
    url = reverse("circulators:shift", args=[record.pk])
    today = timezone.localdate()
    response = client.post(url, {"day": today.isoformat(), "hours": "30"})
    assert response.status_code == 400
    # A day in the future, or before the campaign began (its first petition: made today), is
    # refused with the day named: the next close would pay it.
    tomorrow, long_ago = today + timedelta(days=1), date(2020, 1, 1)
    response = client.post(url, {"day": tomorrow.isoformat(), "hours": "3"})
    assert (response.status_code, f"{tomorrow.isoformat()} is in the future.") == (
        400, response.context["shift_form"].errors["day"][0])  # fmt: skip
    response = client.post(url, {"day": long_ago.isoformat(), "hours": "3"})
    assert response.status_code == 400
    assert "2020-01-01 is before the campaign began" in response.content.decode()
    assert not CirculatorShift.objects.exists()
    assert client.post(url, {"day": today.isoformat(), "hours": "3.5"}).status_code == 302
    assert CirculatorShift.objects.get().hours == Decimal("3.50")


def test_the_merge_page_merges_and_dismisses(login, organizer, petition):
    john = new_section(petition, 1, "John Smith").circulator
    jon = new_section(petition, 2, "Jon Smith").circulator
    client = login(organizer)
    page = client.get(reverse("circulators:merge"))
    assert page.status_code == 200
    assert len(page.context["proposals"]) == 1
    response = client.post(reverse("circulators:merge_do"), {"keep": jon.pk, "drop": john.pk})
    assert response.status_code == 302
    assert list(Circulator.objects.all()) == [jon]
    response = client.post(reverse("circulators:merge_do"), {"keep": "x", "drop": ""})
    assert response.status_code == 302  # back with a message, nothing changed
    response = client.post(reverse("circulators:merge_dismiss"), {"first": jon.pk, "second": 999})
    assert response.status_code == 302
    assert "no longer exists" in [str(m) for m in response.wsgi_request._messages][-1]


def test_closing_a_period_from_the_page_and_the_payroll_csv(login, organizer, petition):
    client = login(organizer)
    start = period_start_of(timezone.localdate() - timedelta(days=21))
    section = new_section(petition, 1, "Ann Lee")
    Circulator.objects.filter(pk=section.circulator_id).update(kind="paid", rate=Decimal("4"))
    Section.objects.filter(pk=section.pk).update(circulated_to=start)
    Line.objects.create(petition=petition, section=section, number=1, printed_name="A",
                        status="valid", validated_at=timezone.now())  # fmt: skip

    bad = client.post(reverse("circulators:pay_close"), {"period": (start + timedelta(days=1))})
    assert bad.status_code == 400
    assert "period" in bad.context["form"].errors
    assert client.post(reverse("circulators:pay_close"), {"period": "soon"}).status_code == 400
    assert not PayEntry.objects.exists()

    response = client.post(reverse("circulators:pay_close"), {"period": start.isoformat()})
    assert response.status_code == 302
    assert PayEntry.objects.filter(kind="payment").get().amount == Decimal("3.00")
    page = client.get(reverse("circulators:pay"))
    assert [p.start for p in page.context["periods"]] == [start]

    csv = client.get(reverse("circulators:pay_csv", args=[start.isoformat()]))
    assert csv.status_code == 200
    text = b"".join(csv.streaming_content).decode()
    assert "Ann Lee" in text
    assert ",4.00,1.00,0.00,0.00,3.00,3.00,3.00," in text
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD,
                                     target__startswith="payroll").exists()  # fmt: skip
    ledger = client.get(reverse("circulators:ledger", args=[section.circulator_id, start]))
    assert ledger.status_code == 200
    assert len(ledger.context["rows"]) == 3

    # A period never closed, or not a date: a clear 404, never a 500.
    for period in ((start + timedelta(days=7)).isoformat(), "2026-13-45", "x"):
        response = client.get(reverse("circulators:pay_csv", args=[period]))
        assert response.status_code == 404


def test_the_dashboard_links_each_circulator_record(login, organizer, record, petition):
    response = login(organizer).get(reverse("petitions:dashboard", args=[petition.slug]))
    assert response.status_code == 200
    (row,) = response.context["breakdowns"]["circulators"]
    assert (row["circulator"], row["circulator_id"], row["lines"]) == ("ANN LEE", record.pk, 6)
    assert reverse("circulators:detail", args=[record.pk]).encode() in response.content


def test_the_circulator_page_reads_a_fixed_number_of_queries(
    login, organizer, record, petition, django_assert_max_num_queries
):
    client = login(organizer)
    url = reverse("circulators:detail", args=[record.pk])
    client.get(url)
    for serial in range(2, 12):  # more sections and weeks: the same queries
        section = new_section(petition, serial, "Ann Lee")
        Section.objects.filter(pk=section.pk).update(
            circulated_to=timezone.localdate() - timedelta(days=7 * serial)
        )
        Line.objects.create(petition=petition, section=section, number=1, printed_name="B",
                            status="valid")  # fmt: skip
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert len(response.context["trend"]) == 11


def test_the_audit_log_says_what_was_done_to_circulators(petition, organizer):
    from recall.audit_text import event_sentence

    john = new_section(petition, 1, "John Smith").circulator
    j = new_section(petition, 2, "J. Smith").circulator
    circulator_merge(keep_id=john.pk, drop_id=j.pk, user=organizer)
    event = AuditEvent.objects.get(action=AuditAction.CIRCULATORS_MERGED)
    assert event_sentence(event) == (
        f"olga_organizer merged another record into circulator John Smith (#{john.pk})"
    )
