"""manage.py import_scans: a folder, a ZIP or one file; what it prints and how it exits."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from petitions.models import Section
from recall.models import AuditAction, AuditEvent
from scans.models import ScanPage, ScanUpload
from tests.scans.conftest import image_bytes, make_layout, pdf_bytes, stored_files, write, zip_bytes


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_scans", *args, stdout=out)
    return out.getvalue()


def test_a_folder_of_named_files(scan_store, petition, section, tmp_path):
    folder = tmp_path / "batch"
    write(folder / "12.pdf", pdf_bytes(1, 2))
    write(folder / "office-b" / "13-1.jpg", image_bytes(3))
    write(folder / ".DS_Store", b"junk")
    output = run(str(folder), "--petition", "la-da")
    assert "12.pdf: section 12, pages 1, 2 stored" in output
    assert "office-b/13-1.jpg: section 13 did not exist; it was created" in output
    assert "office-b/13-1.jpg: section 13, page 1 stored" in output
    assert "3 pages stored, 0 already stored" in output
    assert [(p.section.serial, p.page_number) for p in ScanPage.objects.all()] == [
        (12, 1), (12, 2), (13, 1),
    ]  # fmt: skip
    event = AuditEvent.objects.get(action=AuditAction.SCANS_UPLOADED)
    assert event.user is None
    assert "manage.py import_scans" in event.username
    # The server's own files are only read, never moved or deleted.
    assert (folder / "12.pdf").exists()


def test_a_second_run_stores_nothing_again(scan_store, petition, section, tmp_path):
    write(tmp_path / "in" / "12.pdf", pdf_bytes(1, 2))
    run(str(tmp_path / "in"), "--petition", "la-da")
    output = run(str(tmp_path / "in"), "--petition", "la-da")
    assert "12.pdf: a page already stored, as section 12 page 1; not stored again" in output
    assert "0 pages stored, 2 already stored" in output
    assert ScanPage.objects.count() == 2
    assert len(stored_files(scan_store)) == 2


def test_one_file_into_a_section(scan_store, petition, section, tmp_path):
    path = write(tmp_path / "IMG_0042.jpg", image_bytes(1))
    output = run(str(path), "--petition", "la-da", "--section", "12")
    assert "IMG_0042.jpg: section 12, page 1 stored" in output
    assert section.scan_pages.count() == 1


def test_with_the_layout_pages_are_cut_at_once(scan_store, petition, section, tmp_path):
    make_layout(petition)
    path = write(tmp_path / "12.pdf", pdf_bytes(1))
    output = run(str(path), "--petition", "la-da")
    assert "1 cut into lines, 0 need a person" in output
    assert section.line_images.count() == 10


def test_refused_files_are_named_and_the_exit_is_an_error(scan_store, petition, section, tmp_path):
    write(tmp_path / "in" / "notes.txt", b"to do")
    write(tmp_path / "in" / "IMG_1.jpg", image_bytes(1))
    write(tmp_path / "in" / "12.pdf", pdf_bytes(2))
    out = StringIO()
    with pytest.raises(CommandError, match=r"2 file\(s\) or page\(s\) refused"):
        call_command("import_scans", str(tmp_path / "in"), "--petition", "la-da", stdout=out)
    output = out.getvalue()
    assert "notes.txt: not a PDF, JPEG or PNG" in output
    assert "IMG_1.jpg: the name carries no section serial" in output
    assert section.scan_pages.count() == 1  # the good file was stored


def test_a_zip(scan_store, petition, tmp_path):
    path = write(tmp_path / "all.zip", zip_bytes({"7.pdf": pdf_bytes(1)}))
    output = run(str(path), "--petition", "la-da")
    assert "all.zip/7.pdf: section 7, page 1 stored" in output
    assert Section.objects.filter(serial=7, petition=petition).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{tmp}/none", "--petition", "la-da"], r"none: no such file or folder"),
        (["{tmp}", "--petition", "nope"], r"no petition 'nope' \(petitions: la-da\)"),
        (["{tmp}/f.jpg", "--petition", "la-da", "--section", "99"],
         r"petition la-da has no section 99; enter it first"),
        (["{tmp}", "--petition", "la-da", "--section", "12"], r"--section is for one file"),
        (["{tmp}/empty", "--petition", "la-da"], r"empty: an empty folder"),
    ],
)  # fmt: skip
def test_bad_input_is_one_clear_error(scan_store, petition, section, tmp_path, args, message):
    write(tmp_path / "f.jpg", image_bytes(1))
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match=message):
        run(*(a.format(tmp=tmp_path) for a in args))
    assert not ScanUpload.objects.exists()


def test_background_queues_the_upload(
    scan_store, petition, section, tmp_path, django_capture_on_commit_callbacks
):
    write(tmp_path / "in" / "12.pdf", pdf_bytes(1))
    with django_capture_on_commit_callbacks() as callbacks:
        output = run(str(tmp_path / "in"), "--petition", "la-da", "--background")
    upload = ScanUpload.objects.get()
    assert f"Queued upload {upload.pk} of 1 file(s)" in output
    assert upload.status == ScanUpload.Status.RECEIVED
    assert len(callbacks) == 1  # the task, sent after commit
    assert not ScanPage.objects.exists()
