"""The background side: pages processed after a layout is saved, lost uploads sent again, and an
upload read and cut by a real worker."""

import time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scans.models import ScanPage, ScanUpload
from scans.tasks import process_waiting_pages, scan_upload_task
from scans.uploads import _beat_key, scan_upload_create, scan_uploads_sweep_stale
from tests.scans.conftest import make_layout, pdf_bytes


def _upload(petition, section, *markers):
    files = [("s.pdf", SimpleUploadedFile("s.pdf", pdf_bytes(*markers)))]
    created = scan_upload_create(petition=petition, section=section, files=files, by=None,
                                 enqueue=False)  # fmt: skip
    scan_upload_task(created.pk)  # the task's body, as the worker runs it
    return ScanUpload.objects.get(pk=created.pk)


def test_pages_waiting_for_the_layout_are_cut_once_it_is_saved(scan_store, petition, section):
    upload = _upload(petition, section, 1, 2)
    assert set(section.scan_pages.values_list("status", flat=True)) == {"waiting_layout"}
    assert upload.pages_done == 0
    flagged = section.scan_pages.get(page_number=2)
    flagged.status, flagged.problem = ScanPage.Status.FLAGGED, "could not be aligned"
    flagged.save()
    make_layout(petition)
    process_waiting_pages(petition.pk)
    assert set(section.scan_pages.values_list("status", flat=True)) == {"cut"}
    assert section.scan_pages.get(page_number=2).problem == ""
    upload.refresh_from_db()
    assert (upload.pages_total, upload.pages_done, upload.pages_flagged) == (2, 2, 0)
    assert section.line_images.count() == 20


def test_a_page_a_person_marked_is_not_queued_again(scan_store, petition, section):
    _upload(petition, section, 1)
    page = section.scan_pages.get()
    page.status, page.alignment = ScanPage.Status.FLAGGED, {"manual": {"first_box": {}}}
    page.save()
    make_layout(petition)
    process_waiting_pages(petition.pk)
    page.refresh_from_db()
    assert page.status == ScanPage.Status.FLAGGED


def test_the_sweep_sends_again_an_upload_whose_worker_was_lost(
    scan_store, petition, section, monkeypatch
):
    sent = []
    monkeypatch.setattr(scan_upload_task, "delay", sent.append)
    files = [("s.pdf", SimpleUploadedFile("s.pdf", pdf_bytes(1)))]
    upload = scan_upload_create(petition=petition, section=section, files=files, by=None,
                                enqueue=False)  # fmt: skip
    ScanUpload.objects.filter(pk=upload.pk).update(status=ScanUpload.Status.SPLITTING)
    assert scan_uploads_sweep_stale() == []  # alive: it beat a moment ago
    cache.set(_beat_key(upload.pk), time.time() - 3600)
    assert scan_uploads_sweep_stale() == [upload.pk]
    assert sent == [upload.pk]
    upload.refresh_from_db()
    assert upload.status == ScanUpload.Status.RECEIVED  # read again from the start
    scan_upload_task(upload.pk)
    assert section.scan_pages.count() == 1


def test_the_sweep_sends_a_received_upload_whose_message_was_lost(
    scan_store, petition, section, monkeypatch
):
    sent = []
    monkeypatch.setattr(scan_upload_task, "delay", sent.append)
    upload = ScanUpload.objects.create(petition=petition, source_name="x")
    assert scan_uploads_sweep_stale() == []  # just received
    ScanUpload.objects.filter(pk=upload.pk).update(created_at=upload.created_at.replace(year=2020))
    cache.delete(_beat_key(upload.pk))
    assert scan_uploads_sweep_stale() == [upload.pk]


@pytest.mark.worker
def test_an_upload_is_read_and_cut_by_a_worker(client, organizer, celery_worker_process):
    """The worker, a process of its own, uses the test settings' scans folder and UPLOAD_DIR
    (not scan_store's): its pages are deleted from there afterwards."""
    from petitions.entry import section_create
    from petitions.services import petition_create

    petition = petition_create(title="Recall the DA", slug="la-da", required=1000)
    section_create(petition=petition, serial=12, entered_by=organizer)
    client.force_login(organizer)
    response = client.post(
        reverse("scans:section_upload", args=["la-da", 12]),
        {"scans": [SimpleUploadedFile("s.pdf", pdf_bytes(1, 2, 3))]},
    )
    assert response.status_code == 302
    upload = ScanUpload.objects.get()
    deadline = time.monotonic() + 60
    while upload.status not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.3)
        upload.refresh_from_db()
    assert upload.status == "done", upload.problems or celery_worker_process.log_path.read_text()
    pages = list(ScanPage.objects.order_by("page_number"))
    assert [p.page_number for p in pages] == [1, 2, 3]
    for page in pages:
        page.image.storage.delete(page.image.name)
