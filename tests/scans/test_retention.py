"""Scans erased SCANS_KEEP_DAYS_AFTER_FILING days after filing: files and rows, audited,
idempotent; a dry run changes nothing; the date the scans overview tells."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from petitions.models import Petition, Section
from recall.audit_text import detail_rows, event_sentence
from recall.models import AuditAction, AuditEvent
from scans.models import LineImage, ScanLayout, ScanPage, scans_storage
from scans.retention import erase_date, petitions_due, scans_erase
from scans.tasks_retention import erase_expired_scans
from tests.scans.images import clean_storage, page_png, store_line, store_page, stored

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.SCANS_KEEP_DAYS_AFTER_FILING = 30
    yield
    clean_storage()


def scanned(slug: str, filed_on: date | None, sections: int = 2) -> Petition:
    """A petition with `sections` scanned sections (a page and two line images each) and its
    layout's reference image."""
    petition = Petition.objects.create(title=slug, slug=slug, required_signatures=10,
                                       filed_on=filed_on)  # fmt: skip
    for serial in range(1, sections + 1):
        section = Section.objects.create(petition=petition, serial=serial)
        page = store_page(section)
        store_line(page, 1, "Maria Lopez 123 Main St")
        store_line(page, 2, "John Roe 9 Elm St")
    reference = scans_storage().save(f"layouts/{petition.pk}.png", ContentFile(page_png()))
    ScanLayout.objects.create(petition=petition, reference=reference,
                              first_box=[0.1, 0.1, 0.9, 0.15], last_box=[0.1, 0.8, 0.9, 0.85],
                              lines_per_page=2)  # fmt: skip
    return petition


def files_of(petition: Petition) -> list[str]:
    names = [*ScanPage.objects.filter(petition=petition).values_list("image", flat=True),
             *LineImage.objects.filter(section__petition=petition).values_list("image", flat=True),
             ScanLayout.objects.get(petition=petition).reference.name]  # fmt: skip
    assert len(names) > 2
    assert all(stored(name) for name in names)
    return names


def test_the_erase_date_is_the_filing_date_plus_the_days_kept(settings):
    assert erase_date(Petition(filed_on=None)) is None  # not filed: kept until it is
    assert erase_date(Petition(filed_on=date(2025, 1, 10))) == date(2025, 2, 9)
    settings.SCANS_KEEP_DAYS_AFTER_FILING = 180
    assert erase_date(Petition(filed_on=date(2025, 1, 10))) == date(2025, 7, 9)


def test_only_petitions_whose_date_has_come_are_due():
    due = scanned("due", TODAY - timedelta(days=30))
    scanned("tomorrow", TODAY - timedelta(days=29))
    scanned("unfiled", None)
    Petition.objects.create(title="no scans", slug="none", required_signatures=1,
                            filed_on=TODAY - timedelta(days=400))  # fmt: skip
    assert list(petitions_due(TODAY)) == [due]
    assert erase_date(due) == TODAY


def test_a_dry_run_counts_and_changes_nothing():
    petition = scanned("due", TODAY - timedelta(days=31))
    names = files_of(petition)
    out = StringIO()
    (erasure,) = scans_erase(today=TODAY, dry_run=True)
    assert (erasure.pages, erasure.line_images, erasure.references, erasure.files) == (2, 4, 1, 7)
    assert all(stored(name) for name in names)
    assert ScanPage.objects.count() == 2
    assert not AuditEvent.objects.filter(action=AuditAction.SCANS_ERASED).exists()
    call_command("erase_scans", "--dry-run", stdout=out)  # today: long after
    assert "would erase 2 page(s), 4 line image(s), 1 layout reference image(s)" in out.getvalue()
    assert LineImage.objects.count() == 4


def test_erasing_removes_files_and_rows_audits_and_is_idempotent():
    old = scanned("old", TODAY - timedelta(days=45))
    kept = scanned("recent", TODAY - timedelta(days=3), sections=1)
    old_files, kept_files = files_of(old), files_of(kept)
    # A file a crash while cutting left behind, named by no row.
    leftover = scans_storage().save(f"lines/{old.pk}/99/0001-orphan.jpg", ContentFile(b"x"))

    (erasure,) = scans_erase(today=TODAY)
    assert (erasure.slug, erasure.pages, erasure.line_images, erasure.references,
            erasure.leftovers) == ("old", 2, 4, 1, 1)  # fmt: skip
    assert not any(stored(name) for name in [*old_files, leftover])
    assert not ScanPage.objects.filter(petition=old).exists()
    assert not LineImage.objects.filter(section__petition=old).exists()
    layout = ScanLayout.objects.get(petition=old)
    assert layout.reference.name == ""  # the boxes stay: they hold no one's writing
    assert layout.lines_per_page == 2
    # The recent petition's scans are untouched.
    assert all(stored(name) for name in kept_files)
    assert LineImage.objects.filter(section__petition=kept).count() == 2

    (event,) = AuditEvent.objects.filter(action=AuditAction.SCANS_ERASED)
    assert event.target == "petition old"
    assert event.detail == {"pages": 2, "line_images": 4, "layout_references": 1,
                            "leftover_files": 1, "filed_on": "2025-04-17", "kept_days": 30,
                            "finished": True}  # fmt: skip
    assert event_sentence(event) == "The system erased the scans of petition old"
    assert {row.label: row.value for row in detail_rows(event)}["Line images"] == "4"

    # Again: nothing is due, nothing happens, nothing is audited.
    assert scans_erase(today=TODAY) == []
    assert AuditEvent.objects.filter(action=AuditAction.SCANS_ERASED).count() == 1


def test_an_erasure_cut_short_goes_on_at_the_next_run():
    petition = scanned("big", TODAY - timedelta(days=40), sections=3)
    names = files_of(petition)
    (first,) = scans_erase(today=TODAY, budget_seconds=-1)  # the time is spent at once
    assert (first.finished, first.pages) == (False, 0)
    assert all(stored(name) for name in names)
    (second,) = scans_erase(today=TODAY)
    assert (second.finished, second.pages, second.line_images) == (True, 3, 6)
    assert not any(stored(name) for name in names)
    finished = AuditEvent.objects.filter(action=AuditAction.SCANS_ERASED).order_by("id")
    assert [e.detail["finished"] for e in finished] == [False, True]


def test_a_row_whose_file_is_already_gone_is_erased_all_the_same():
    petition = scanned("half", TODAY - timedelta(days=40), sections=1)
    line = LineImage.objects.filter(section__petition=petition).first()
    scans_storage().delete(line.image.name)  # as an erasure stopped between file and row
    (erasure,) = scans_erase(today=TODAY)
    assert erasure.line_images == 2
    assert not LineImage.objects.exists()


def test_the_command_and_the_daily_task_erase(settings):
    settings.SCANS_KEEP_DAYS_AFTER_FILING = 10
    today = timezone.localdate()
    first = scanned("first", today - timedelta(days=11), sections=1)
    names = files_of(first)
    out = StringIO()
    call_command("erase_scans", stdout=out)
    assert "petition first" in out.getvalue()
    assert "erased 1 page(s), 2 line image(s), 1 layout reference image(s)" in out.getvalue()
    assert not any(stored(name) for name in names)
    event = AuditEvent.objects.get(action=AuditAction.SCANS_ERASED)
    assert "(manage.py erase_scans)" in event.username
    out = StringIO()
    call_command("erase_scans", stdout=out)
    assert "No scans to erase" in out.getvalue()

    second = scanned("second", today - timedelta(days=12), sections=1)
    names = files_of(second)
    assert erase_expired_scans() == 4  # a page, two lines, the reference
    assert not any(stored(name) for name in names)
    assert AuditEvent.objects.filter(action=AuditAction.SCANS_ERASED).count() == 2


def test_the_daily_task_is_scheduled_and_known_to_the_worker(settings):
    from recall.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["erase-expired-scans"]
    assert entry["task"] == erase_expired_scans.name
    app.loader.import_default_modules()
    assert erase_expired_scans.name in app.tasks
