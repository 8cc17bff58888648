"""Holding, releasing and filing sections (issue 21): the counts move, the audit log records,
bad input is refused with a clear message."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from petitions.models import Line, Petition, Section
from petitions.progress import filing, petition_progress, status_counts, tallies_reconcile
from petitions.services.sections import section_hold, section_release, sections_file
from recall.models import AuditEvent

pytestmark = pytest.mark.django_db


def _lines(petition, serial, statuses, voters=None, circulator="Ann"):
    section = Section.objects.create(petition=petition, serial=serial, circulator_name=circulator)
    voters = voters or [""] * len(statuses)
    Line.objects.bulk_create(
        Line(petition=petition, section=section, number=n, status=status, printed_name="X",
             residence_address="1 A St", voter_registrant_id=v,
             counted=status == "valid" and v != "")
        for n, (status, v) in enumerate(zip(statuses, voters, strict=True), 1)
    )  # fmt: skip
    return section


@pytest.fixture
def petition(db):
    petition = Petition.objects.create(
        title="T", slug="t", required_signatures=20, approved_on=dt.date(2026, 1, 5)
    )
    _lines(petition, 1, ["valid"] * 8 + ["not_registered"] * 2)
    _lines(petition, 2, ["valid"] * 3 + ["not_registered"] * 5 + ["pending"] * 2 + ["blank"])
    _lines(petition, 3, ["valid"] * 6)
    return petition


def test_holding_moves_the_counts_and_releasing_restores_them(
    petition, organizer, django_capture_on_commit_callbacks
):
    before = petition_progress(petition)
    assert (before["raw"], before["valid"], before["gathered"], before["held"]) == (26, 17, 26, 0)
    section = petition.sections.get(serial=2)
    section_hold(petition=petition, section_id=section.pk, reason="copied list", by=organizer)
    held = petition_progress(petition)
    assert (held["raw"], held["valid"], held["pending"]) == (16, 14, 0)
    assert (held["gathered"], held["held"]) == (26, 10)
    assert held["by_status"]["not_registered"] == 2
    assert held["projected_valid"] == 14
    # The pace chart's days leave them out too.
    from petitions.progress import pace

    assert sum(point["valid"] for point in pace(petition, held)["series"]) == 14
    assert sum(point["raw"] for point in pace(petition, before)["series"]) == 26
    assert held["validity_rate"] == pytest.approx(14 / 16, abs=1e-4)
    assert held["registrar"]["state"] == "projected"
    # Every line of 16 checked (500 or fewer): the verdict moves with the hold at once.
    assert before["registrar"]["projected_valid"] != held["registrar"]["projected_valid"]
    assert held["registrar"]["projected_valid"] == 14
    # The tallies still count every line gathered: nothing to reconcile.
    assert sum(status_counts(petition).values()) == 27
    assert tallies_reconcile() == []
    section_release(petition=petition, section_id=section.pk, by=organizer, note="paper fine")
    after = petition_progress(petition)
    assert (after["raw"], after["valid"], after["held"]) == (26, 17, 0)
    assert after["registrar"]["projected_valid"] == before["registrar"]["projected_valid"]
    events = AuditEvent.objects.filter(action__in=["section_held", "section_released"])
    assert [(e.action, e.target, e.user) for e in events.order_by("id")] == [
        ("section_held", "petition t: section 2", organizer),
        ("section_released", "petition t: section 2", organizer),
    ]  # fmt: skip
    assert events.order_by("id")[0].detail == {"reason": "copied list", "lines": 11}
    assert events.order_by("id")[1].detail["held_reason"] == "copied list"
    # The audit log page says it in words.
    from recall.audit_text import detail_rows, event_sentence

    held_event = events.order_by("id")[0]
    assert event_sentence(held_event) == f"{organizer.username} held petition t: section 2"
    assert {(r.label, r.value) for r in detail_rows(held_event)} == {
        ("Reason", "copied list"), ("Lines", "11"),
    }  # fmt: skip


def test_a_voter_counted_on_a_held_section_counts_on_their_other_line(petition, organizer):
    held = _lines(petition, 4, ["valid", "valid"], voters=["501", "502"])
    _lines(petition, 5, ["duplicate", "valid"], voters=["501", "503"])
    assert petition_progress(petition)["valid"] == 17 + 3
    section_hold(petition=petition, section_id=held.pk, reason="forged", by=organizer)
    progress = petition_progress(petition)
    # 502 is gone with the hold; 501 counts on section 5 instead of being its duplicate.
    assert progress["valid"] == 17 + 2
    assert progress["by_status"]["duplicate"] == 0


def test_filing_by_selection_and_all_ready(petition, organizer):
    s1, s2, s3 = (petition.sections.get(serial=n) for n in (1, 2, 3))
    section_hold(petition=petition, section_id=s2.pk, reason="check the dates", by=organizer)
    today = timezone.localdate()
    assert sections_file(petition=petition, filed_on=today, by=organizer, section_ids=[s1.pk]) == 1
    figures = filing(petition, petition_progress(petition))
    assert (figures["gathered"], figures["held"], figures["filed"], figures["to_file"]) == (
        26, 10, 10, 6,
    )  # fmt: skip
    assert sections_file(petition=petition, filed_on=today, by=organizer) == 1  # section 3 only
    s3.refresh_from_db()
    assert s3.filed_on == today
    figures = filing(petition, petition_progress(petition))
    assert (figures["filed"], figures["to_file"], figures["sections_filed"]) == (16, 0, 2)
    with pytest.raises(ValidationError, match="every one is held or filed"):
        sections_file(petition=petition, filed_on=today, by=organizer)
    with pytest.raises(ValidationError, match="Held or filed already"):
        sections_file(petition=petition, filed_on=today, by=organizer, section_ids=[s2.pk])
    with pytest.raises(ValidationError, match="filed section cannot be held"):
        section_hold(petition=petition, section_id=s1.pk, reason="late doubts", by=organizer)
    event = AuditEvent.objects.filter(action="sections_filed").order_by("id").first()
    assert event.detail["serials"] == [1]


def test_bad_input_is_refused_clearly(petition, organizer):
    other = Petition.objects.create(title="O", slug="o", required_signatures=5)
    theirs = _lines(other, 1, ["valid"])
    section = petition.sections.get(serial=1)
    with pytest.raises(ValidationError) as err:
        section_hold(petition=petition, section_id=section.pk, reason="   ", by=organizer)
    assert err.value.message_dict == {"reason": ["Say why the section is held."]}
    with pytest.raises(ValidationError, match="no such section in petition t"):
        section_hold(petition=petition, section_id=theirs.pk, reason="x", by=organizer)
    with pytest.raises(ValidationError, match="is not held"):
        section_release(petition=petition, section_id=section.pk, by=organizer)
    with pytest.raises(ValidationError) as err:
        sections_file(petition=petition, filed_on=timezone.localdate() + dt.timedelta(days=1),
                      by=organizer)  # fmt: skip
    assert "after today" in str(err.value)
    theirs.refresh_from_db()
    assert theirs.held_at is None
    assert not AuditEvent.objects.filter(action="section_held").exists()


def test_the_pages_hold_release_and_file(petition, organizer, login):
    client = login(organizer)
    section = petition.sections.get(serial=2)
    page = client.get(reverse("petitions:suspects", args=["t"]))
    assert page.status_code == 200
    hold = reverse("petitions:section_hold", args=["t"])
    refused = client.post(hold, {"section": section.pk, "reason": ""})
    assert refused.status_code == 400
    assert "Say why the section is held." in refused.content.decode()
    other = Petition.objects.create(title="O", slug="o", required_signatures=5)
    theirs = _lines(other, 1, ["valid"])
    refused = client.post(hold, {"section": theirs.pk, "reason": "x"})
    assert refused.status_code == 400
    assert "There is no such section in petition t." in refused.content.decode()
    done = client.post(hold, {"section": section.pk, "reason": "copied"})
    assert done.status_code == 302
    section.refresh_from_db()
    assert (section.hold_reason, section.held_by) == ("copied", organizer)
    page = client.get(reverse("petitions:section", args=["t", section.serial])).content.decode()
    assert 'id="section-held"' in page
    assert "Why: copied" in page
    dashboard = client.get(reverse("petitions:dashboard", args=["t"])).content.decode()
    assert 'id="f-held">10<' in dashboard
    assert 'id="h-valid">14<' in dashboard
    listing = client.get(reverse("petitions:suspects", args=["t"])).content.decode()
    assert 'id="held-2"' in listing
    client.post(reverse("petitions:section_release", args=["t"]), {"section": section.pk})
    section.refresh_from_db()
    assert section.held_at is None
    filed = client.post(
        reverse("petitions:sections_file", args=["t"]),
        {"filed_on": timezone.localdate().isoformat(), "serials": "1-2"},
    )
    assert filed.status_code == 302
    assert sorted(petition.sections.filter(filed_on__isnull=False).values_list(
        "serial", flat=True)) == [1, 2]  # fmt: skip
    bad = client.post(
        reverse("petitions:sections_file", args=["t"]),
        {"filed_on": timezone.localdate().isoformat(), "serials": "3-x"},
    )
    assert bad.status_code == 400
    assert "Not a serial number or range: 3-x" in bad.content.decode()
    # Every section at once only when said so: an empty field files nothing.
    empty = client.post(reverse("petitions:sections_file", args=["t"]),
                        {"filed_on": timezone.localdate().isoformat(), "serials": ""})  # fmt: skip
    assert empty.status_code == 400
    assert "Every section neither held nor filed yet" in empty.content.decode()
    assert petition.sections.filter(filed_on__isnull=False).count() == 2
    # A filing marked by mistake is taken back (the sections must be filed), and logged.
    wrong = client.post(reverse("petitions:sections_file", args=["t"]),
                        {"serials": "2-3", "action": "unfile"})  # fmt: skip
    assert wrong.status_code == 400
    assert "Not filed, nothing to take back: sections 3." in wrong.content.decode()
    taken_back = client.post(reverse("petitions:sections_file", args=["t"]),
                             {"serials": "2", "action": "unfile"})  # fmt: skip
    assert taken_back.status_code == 302
    assert list(petition.sections.filter(filed_on__isnull=False).values_list(
        "serial", flat=True)) == [1]  # fmt: skip
    event = AuditEvent.objects.get(action="sections_unfiled")
    assert event.detail["filed"] == {"2": timezone.localdate().isoformat()}
    csv = b"".join(client.get(reverse("petitions:suspects_csv", args=["t"])).streaming_content)
    assert csv.decode().splitlines()[0].startswith("section,circulator,lines")


@pytest.mark.parametrize(
    ("serials", "error"),
    [
        ("²", "Not a serial number or range: ²"),
        ("3-x", "Not a serial number or range: 3-x"),
        ("1-999999999", "1-999999999: more than 100,000 sections at once; file them in parts."),
    ],
)
def test_the_filing_form_says_what_is_wrong_with_the_serials(serials, error):
    from petitions.forms import FilingForm

    form = FilingForm({"filed_on": "2026-11-02", "serials": serials, "action": "file"})
    assert not form.is_valid()
    assert form.errors["serials"] == [error]
