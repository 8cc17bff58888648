"""Uploading scans on a section's page and in bulk; an upload's progress; who may."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from petitions.entry import section_create
from scans.models import ScanPage, ScanUpload
from scans.uploads import scan_upload_run, upload_folder
from tests.scans.conftest import image_bytes, make_layout, pdf_bytes, stored_files, zip_bytes


def section_url(serial=12):
    return reverse("petitions:section", args=["la-da", serial])


def post_scans(client, url, *files):
    return client.post(url, {"scans": [SimpleUploadedFile(n, d) for n, d in files]})


def section_upload_url(serial=12):
    return reverse("scans:section_upload", args=["la-da", serial])


def test_a_volunteer_uploads_their_section_and_sees_its_pages(
    scan_store, login, volunteer, section, django_capture_on_commit_callbacks
):
    client = login(volunteer)
    page = client.get(section_url())
    assert b'id="scan-upload-form"' in page.content
    assert b'accept="image/*,application/pdf' in page.content
    assert b"No scanned page yet." in page.content
    with django_capture_on_commit_callbacks() as callbacks:
        response = post_scans(client, section_upload_url(), ("s.pdf", pdf_bytes(1, 2)),
                              ("photo.jpg", image_bytes(3)))  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == section_url()
    assert len(callbacks) == 1  # the reading is queued, not done in the request
    upload = ScanUpload.objects.get()
    assert (upload.section, upload.uploaded_by, upload.status) == (section, volunteer, "received")
    assert not ScanPage.objects.exists()
    # While it is read the panel polls; the worker's run (called here) stores the pages.
    page = client.get(section_url())
    assert b'hx-trigger="every 2s"' in page.content
    scan_upload_run(upload_id=upload.pk)
    fragment = client.get(
        reverse("scans:section_scans", args=["la-da", 12]), HTTP_HX_REQUEST="true"
    )
    assert fragment.status_code == 200
    assert fragment.content.count(b'data-status="waiting_layout"') == 3
    assert b"every 2s" not in fragment.content  # nothing left to wait for but the layout
    assert "waiting for the petition's layout" in fragment.content.decode()


def test_cut_and_flagged_pages_say_so(scan_store, login, organizer, section):
    make_layout(section.petition)
    ScanPage.objects.create(
        petition=section.petition, section=section, page_number=9, sha256="f" * 64,
        image="x.jpg", width=1, height=1, bytes=1, status=ScanPage.Status.FLAGGED,
        problem="no printed lines found on the page",
    )  # fmt: skip
    post_scans(login(organizer), section_upload_url(), ("s.pdf", pdf_bytes(1)))
    scan_upload_run(upload_id=ScanUpload.objects.get().pk)
    content = login(organizer).get(section_url()).content.decode()
    assert "cut into 10 lines" in content
    assert "needs a person:</span> no printed lines found on the page" in content


def test_a_text_file_is_refused_by_name_and_nothing_is_kept(scan_store, login, volunteer, section):
    client = login(volunteer)
    response = post_scans(client, section_upload_url(), ("notes.txt", b"hello"))
    assert response.status_code == 302
    page = client.get(section_url())
    assert "notes.txt: not a PDF, JPEG or PNG" in page.content.decode()
    assert not ScanUpload.objects.exists()
    assert stored_files(scan_store.parent / "uploads") == []


def test_a_file_over_the_size_limit_is_refused(scan_store, login, volunteer, section, settings):
    settings.SCANS_UPLOAD_MAX_BYTES = 1000
    client = login(volunteer)
    post_scans(client, section_upload_url(), ("big.pdf", pdf_bytes(1)))
    content = client.get(section_url()).content.decode()
    assert "big.pdf:" in content
    assert "more than the 0.0 MB a file may be" in content
    assert not ScanUpload.objects.exists()


def test_a_volunteer_cannot_upload_to_someone_elses_section(
    scan_store, login, volunteer, petition, django_user_model
):
    from recall.roles import VOLUNTEER
    from recall.services import user_create_with_role

    other = user_create_with_role(username="val", password="correct-horse-battery-9",
                                  role=VOLUNTEER)  # fmt: skip
    section_create(petition=petition, serial=30, entered_by=other)
    client = login(volunteer)
    response = post_scans(client, section_upload_url(30), ("s.pdf", pdf_bytes(1)))
    assert response.status_code == 404
    assert client.get(reverse("scans:section_scans", args=["la-da", 30])).status_code == 404
    assert not ScanUpload.objects.exists()


def test_a_section_handed_to_a_volunteer_may_be_uploaded(scan_store, login, volunteer, petition):
    section = section_create(petition=petition, serial=31, entered_by=None)
    section.assigned_to = volunteer
    section.save(update_fields=["assigned_to"])
    response = post_scans(login(volunteer), section_upload_url(31), ("s.pdf", pdf_bytes(1)))
    assert response.status_code == 302
    assert ScanUpload.objects.get().section == section


def test_a_reviewer_may_not_upload(scan_store, login, reviewer, section):
    response = post_scans(login(reviewer), section_upload_url(), ("s.pdf", pdf_bytes(1)))
    assert response.status_code == 403


def test_anonymous_is_sent_to_log_in(client, section):
    response = client.get(reverse("scans:upload", args=["la-da"]))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


def test_section_upload_is_post_only(login, volunteer, section):
    assert login(volunteer).get(section_upload_url()).status_code == 405


def test_bulk_upload_page_explains_the_names(login, organizer, petition):
    response = login(organizer).get(reverse("scans:upload", args=["la-da"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<code>12-2.jpg</code>" in content
    assert "import_scans FOLDER --petition la-da" in content


def test_bulk_upload_needs_an_organizer(login, volunteer, petition):
    assert login(volunteer).get(reverse("scans:upload", args=["la-da"])).status_code == 403


def test_bulk_upload_and_its_progress(scan_store, login, organizer, petition):
    client = login(organizer)
    data = zip_bytes({"12.pdf": pdf_bytes(1, 2), "IMG_1.jpg": image_bytes(3)})
    response = post_scans(client, reverse("scans:upload", args=["la-da"]), ("batch.zip", data))
    upload = ScanUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scans:upload_detail", args=[upload.pk])
    assert (upload_folder(upload.pk) / "manifest.json").exists()
    detail = client.get(response["Location"])
    assert b'id="upload-progress"' in detail.content
    progress = client.get(reverse("scans:upload_progress", args=[upload.pk]))
    assert "HX-Refresh" not in progress
    scan_upload_run(upload_id=upload.pk)
    progress = client.get(reverse("scans:upload_progress", args=[upload.pk]))
    assert progress["HX-Refresh"] == "true"
    content = client.get(response["Location"]).content.decode()
    assert "batch.zip/IMG_1.jpg: the name carries no section serial" in content
    assert "batch.zip/12.pdf: section 12 did not exist; it was created" in content
    assert "Section 12: 2 pages" in content


def test_bulk_upload_refuses_a_text_file_with_the_form(scan_store, login, organizer, petition):
    response = post_scans(login(organizer), reverse("scans:upload", args=["la-da"]),
                          ("notes.txt", b"hello"))  # fmt: skip
    assert response.status_code == 400
    assert "notes.txt: not a PDF, JPEG or PNG" in response.content.decode()
    assert not ScanUpload.objects.exists()


def test_bulk_upload_with_no_file(login, organizer, petition):
    response = login(organizer).post(reverse("scans:upload", args=["la-da"]), {})
    assert response.status_code == 400
    assert "Choose at least one file." in response.content.decode()


def test_an_upload_is_seen_by_its_uploader_and_organizers_only(
    scan_store, login, volunteer, organizer, section, django_user_model
):
    post_scans(login(volunteer), section_upload_url(), ("s.pdf", pdf_bytes(1)))
    url = reverse("scans:upload_detail", args=[ScanUpload.objects.get().pk])
    assert login(volunteer).get(url).status_code == 200
    assert login(organizer).get(url).status_code == 200
    from recall.roles import VOLUNTEER
    from recall.services import user_create_with_role

    other = user_create_with_role(username="val", password="correct-horse-battery-9",
                                  role=VOLUNTEER)  # fmt: skip
    assert login(other).get(url).status_code == 404


@pytest.mark.parametrize("status", ["done", "failed"])
def test_progress_stops_polling_when_finished(scan_store, login, organizer, petition, status):
    upload = ScanUpload.objects.create(petition=petition, source_name="x", status=status,
                                       uploaded_by=organizer)  # fmt: skip
    response = login(organizer).get(reverse("scans:upload_detail", args=[upload.pk]))
    assert b"every 1s" not in response.content
