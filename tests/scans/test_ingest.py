"""Reading scans into stored pages: checked by content, stored once, named by section in bulk,
nothing half-written."""

import hashlib
import io
import zipfile

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from petitions.models import Section
from recall.models import AuditAction, AuditEvent
from scans import ingest
from scans.ingest import Kind, ScanFileError, SourceFile
from scans.models import ScanLayout, ScanPage, ScanUpload
from scans.uploads import RunReport, scan_upload_create, scan_upload_run, upload_folder
from tests.scans.conftest import (
    image_bytes,
    make_layout,
    pdf_bytes,
    ruled_page,
    stored_files,
    write,
    zip_bytes,
)


def upload(petition, files, *, section=None, by=None):
    """Files (name -> bytes) uploaded as from the web and read at once, as the task does."""
    sources = [(name, SimpleUploadedFile(name, data)) for name, data in files.items()]
    created = scan_upload_create(petition=petition, files=sources, by=by, section=section,
                                 enqueue=False)  # fmt: skip
    report = RunReport()
    done = scan_upload_run(upload_id=created.pk, report=report)
    done.report = report.lines
    return done


def problems(result, kind="refused"):
    return [p["error"] for p in result.problems if p["kind"] == kind]


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (pdf_bytes(1), Kind.PDF),
        (image_bytes(1), Kind.JPEG),
        (image_bytes(1, "PNG"), Kind.PNG),
        (zip_bytes({"a.txt": b"x"}), Kind.ZIP),
        (b"Dear voter, please sign", None),
        (b"", None),
    ],
)
def test_sniff_reads_the_content(data, kind):
    assert ingest.sniff(data[:1024]) == kind


def test_a_pdf_renders_each_page_grey_at_about_200_dpi(tmp_path):
    path = write(tmp_path / "s.pdf", pdf_bytes(1, 2, 3))
    pages = list(ingest.read_pages(SourceFile("s.pdf", "s.pdf", path, Kind.PDF)))
    assert len(pages) == 3
    # 8.5 by 11 inches at 200 dpi (the stored bound is 2200 pixels tall).
    assert [page.shape for page in pages] == [(2200, 1700)] * 3
    assert all(page.dtype == np.uint8 and page.ndim == 2 for page in pages)


def test_a_phone_photo_is_turned_as_its_exif_says(tmp_path):
    # The sensor's landscape picture of a portrait page, EXIF orientation 6 (turn 90 clockwise).
    sideways = np.rot90(ruled_page(1), 1)
    image = Image.fromarray(sideways)
    exif = image.getexif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    path = write(tmp_path / "IMG_0001.jpg", buffer.getvalue())
    (page,) = ingest.read_pages(SourceFile("IMG_0001.jpg", "IMG_0001.jpg", path, Kind.JPEG))
    assert page.shape == (1100, 850)  # upright: taller than wide
    # The page's number is printed at the top left: ink there, not at the bottom right.
    assert page[100:140, 80:300].min() < 100
    assert page[-140:-100, -300:-80].min() > 200


def test_a_transparent_png_is_paper_not_black(tmp_path):
    rgba = np.zeros((200, 100, 4), np.uint8)  # fully transparent
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, "PNG")
    path = write(tmp_path / "t.png", buffer.getvalue())
    (page,) = ingest.read_pages(SourceFile("t.png", "t.png", path, Kind.PNG))
    assert page.min() == 255


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("12.pdf", (12, None)),
        ("12-2.jpg", (12, 2)),
        ("12_p2.png", (12, 2)),
        ("section 12 page 2.jpeg", (12, 2)),
        ("Section_12_Page_2.JPG", (12, 2)),
        ("sección 7 página 3.jpg", (7, 3)),
        ("IMG_1234.jpg", None),
        ("notes.pdf", None),
        ("12-2-3.jpg", None),
    ],
)
def test_bulk_names(name, expected):
    target = ingest.parse_name(name)
    assert (None if target is None else (target.serial, target.page)) == expected


def test_a_multipage_pdf_becomes_pages_1_to_n_of_its_section(
    scan_store, petition, section, volunteer
):
    result = upload(petition, {"s12.pdf": pdf_bytes(1, 2, 3)}, section=section, by=volunteer)
    assert result.status == ScanUpload.Status.DONE
    pages = list(ScanPage.objects.filter(section=section).order_by("page_number"))
    assert [p.page_number for p in pages] == [1, 2, 3]
    assert {p.status for p in pages} == {ScanPage.Status.WAITING_LAYOUT}
    assert {p.uploaded_by for p in pages} == {volunteer}
    assert {p.upload_id for p in pages} == {result.pk}
    assert result.pages_total == 3
    for page in pages:
        data = page.image.read()
        assert hashlib.sha256(data).hexdigest() == page.sha256
        assert data[:3] == b"\xff\xd8\xff"
        assert page.bytes == len(data)
    assert len(stored_files(scan_store)) == 3
    # The uploaded file is kept only until it is read.
    assert not upload_folder(result.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.SCANS_UPLOADED)
    assert event.user == volunteer
    assert "section 12" in event.target


def test_next_upload_takes_the_next_free_page_numbers(scan_store, petition, section):
    upload(petition, {"a.pdf": pdf_bytes(1, 2)}, section=section)
    upload(petition, {"b.jpg": image_bytes(3), "c.png": image_bytes(4, "PNG")}, section=section)
    assert list(section.scan_pages.values_list("page_number", "source_name")) == [
        (1, "a.pdf"), (2, "a.pdf"), (3, "b.jpg"), (4, "c.png"),
    ]  # fmt: skip


def test_with_a_layout_pages_are_queued_and_cut_with_progress(scan_store, petition, section):
    make_layout(petition)
    result = upload(petition, {"a.pdf": pdf_bytes(1, 2)}, section=section)
    pages = list(section.scan_pages.all())
    assert [p.status for p in pages] == [ScanPage.Status.CUT] * 2, [p.problem for p in pages]
    assert (result.pages_total, result.pages_done, result.pages_flagged) == (2, 2, 0)
    assert sorted(section.line_images.values_list("number", flat=True)) == list(range(1, 21))


def test_with_a_layout_not_yet_marked_pages_stay_queued(scan_store, petition, section):
    ScanLayout.objects.create(petition=petition, first_box={}, last_box={})
    result = upload(petition, {"a.jpg": image_bytes(1)}, section=section)
    assert section.scan_pages.get().status == ScanPage.Status.QUEUED
    assert result.status == ScanUpload.Status.DONE


def test_a_pdf_named_jpg_is_read_as_a_pdf(scan_store, petition, section):
    result = upload(petition, {"photo.jpg": pdf_bytes(1, 2)}, section=section)
    assert section.scan_pages.count() == 2
    assert problems(result) == []


def test_a_text_file_named_pdf_is_refused_by_name(scan_store, petition, section):
    with pytest.raises(ScanFileError, match=r"^notes.pdf: not a PDF, JPEG or PNG$"):
        upload(petition, {"notes.pdf": b"just some text"}, section=section)
    assert not ScanUpload.objects.exists()
    assert stored_files(scan_store) == []


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", "broken.pdf: a PDF that cannot be read"),
        ("cut.jpg", image_bytes(1)[:400], "cut.jpg: an image that cannot be read"),
        ("bad.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "bad.png: an image that cannot be read"),
    ],
)
def test_a_corrupt_file_is_refused_with_nothing_left(
    scan_store, petition, section, name, data, message
):
    result = upload(petition, {name: data}, section=section)
    assert result.status == ScanUpload.Status.DONE
    (error,) = problems(result)
    assert error.startswith(message)
    assert not ScanPage.objects.exists()
    assert stored_files(scan_store) == []


def test_a_page_already_stored_is_not_stored_again(scan_store, petition, section):
    upload(petition, {"a.pdf": pdf_bytes(1, 2)}, section=section)
    other = Section.objects.create(petition=petition, serial=13)
    result = upload(petition, {"again.pdf": pdf_bytes(5, 2)}, section=other)
    assert list(other.scan_pages.values_list("page_number", flat=True)) == [1]
    assert result.pages_already_stored == 1
    (note,) = problems(result, "already_stored")
    assert note == "again.pdf: a page already stored, as section 12 page 2; not stored again"
    assert len(stored_files(scan_store)) == 3


def test_bulk_zip_names_sections_and_pages(scan_store, petition, section, organizer):
    data = zip_bytes({
        "batch/12.pdf": pdf_bytes(1, 2),
        "batch/more/13-2.jpg": image_bytes(3),
        "13_p1.png": image_bytes(4, "PNG"),
        "section 14 page 1.jpeg": image_bytes(5),
        "IMG_0001.jpg": image_bytes(6),
        "readme.txt": b"hello",
        "__MACOSX/._12.pdf": b"junk",
        ".DS_Store": b"junk",
    })  # fmt: skip
    result = upload(petition, {"scans.zip": data}, by=organizer)
    pages = ScanPage.objects.order_by("section__serial", "page_number")
    assert [(p.section.serial, p.page_number) for p in pages] == [
        (12, 1), (12, 2), (13, 1), (13, 2), (14, 1),
    ]  # fmt: skip
    created = Section.objects.get(petition=petition, serial=13)
    assert created.entered_by is None
    assert sorted(problems(result, "section_created")) == [
        "scans.zip/13_p1.png: section 13 did not exist; it was created",
        "scans.zip/section 14 page 1.jpeg: section 14 did not exist; it was created",
    ]
    assert sorted(problems(result)) == [
        "scans.zip/IMG_0001.jpg: the name carries no section serial (name files like 12.pdf "
        "for a whole section or 12-2.jpg for its page 2)",
        "scans.zip/readme.txt: not a PDF, JPEG or PNG",
    ]
    assert result.pages_total == 5
    assert len(stored_files(scan_store)) == 5


def test_a_named_page_already_taken_is_refused(scan_store, petition, section):
    upload(petition, {"12-1.jpg": image_bytes(1)})
    result = upload(petition, {"12-1.jpg": image_bytes(2)})
    (error,) = problems(result)
    assert error == "12-1.jpg: section 12 already has a page 1; delete it first to replace it"
    assert section.scan_pages.count() == 1
    assert len(stored_files(scan_store)) == 1


def test_a_file_naming_one_page_but_holding_several_is_refused(scan_store, petition):
    result = upload(petition, {"12-2.pdf": pdf_bytes(1, 2)})
    (error,) = problems(result)
    assert error.startswith("12-2.pdf: names page 2 but holds 2 pages")
    assert not Section.objects.filter(serial=12).exists()
    assert stored_files(scan_store) == []


def test_a_zip_bomb_is_refused(scan_store, petition):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("12.pdf", b"%PDF-" + b"\0" * (200 * 2**20))
    result = upload(petition, {"bomb.zip": buffer.getvalue()})
    (error,) = problems(result)
    assert error.startswith("bomb.zip: expands to 1 files of 200 MB")
    assert not ScanPage.objects.exists()


def test_a_member_expanding_far_beyond_its_size_is_refused(scan_store, petition):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("12.pdf", pdf_bytes(1))
        for n in range(60):  # enough real content that the ZIP as a whole is not refused
            archive.writestr(f"filler-{n}.jpg", np.random.default_rng(n).bytes(40_000))
        archive.writestr("13.pdf", b"%PDF-" + b"\0" * (3 * 2**20))
    result = upload(petition, {"mixed.zip": buffer.getvalue()})
    assert any(e.startswith("mixed.zip/13.pdf: expands") for e in problems(result))
    assert list(ScanPage.objects.values_list("section__serial", flat=True)) == [12]


@pytest.mark.parametrize("member", ["../12.pdf", "/etc/12.pdf", "a/../../12.pdf"])
def test_a_path_leaving_the_zip_is_refused(scan_store, petition, tmp_path, member):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(member), pdf_bytes(1))
    result = upload(petition, {"evil.zip": buffer.getvalue()})
    assert problems(result) == [f"evil.zip/{member}: a path outside the ZIP's folder; refused"]
    assert not ScanPage.objects.exists()
    assert not (tmp_path / "12.pdf").exists()


def test_a_zip_in_a_zip_is_refused(scan_store, petition):
    inner = zip_bytes({"12.pdf": pdf_bytes(1)})
    result = upload(petition, {"outer.zip": zip_bytes({"inner.zip": inner})})
    assert problems(result) == ["outer.zip/inner.zip: a ZIP inside a ZIP; unzip it first"]


def test_a_failure_while_storing_rows_leaves_no_files(scan_store, petition, section, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ScanPage.objects, "bulk_create", broken)
    result = upload(petition, {"a.pdf": pdf_bytes(1, 2)}, section=section)
    assert result.status == ScanUpload.Status.FAILED
    assert "database went away" in result.problems[-1]["error"]
    assert not ScanPage.objects.exists()
    assert stored_files(scan_store) == []


def test_a_section_is_not_created_when_its_file_is_refused(scan_store, petition):
    result = upload(petition, {"40.pdf": b"%PDF-1.4 broken"})
    assert problems(result)
    assert not Section.objects.filter(serial=40).exists()


def test_an_upload_run_twice_does_nothing_the_second_time(scan_store, petition, section):
    result = upload(petition, {"a.pdf": pdf_bytes(1)}, section=section)
    again = scan_upload_run(upload_id=result.pk)
    assert again.status == ScanUpload.Status.DONE
    assert ScanPage.objects.count() == 1


def test_an_upload_read_again_after_a_lost_worker_counts_its_own_pages_once(
    scan_store, petition, section
):
    created = scan_upload_create(
        petition=petition, section=section, enqueue=False, by=None,
        files=[("a.pdf", SimpleUploadedFile("a.pdf", pdf_bytes(1, 2)))],
    )  # fmt: skip
    manifest = (upload_folder(created.pk) / "manifest.json").read_text()
    scan_upload_run(upload_id=created.pk)
    # The worker was lost after storing the pages: the sweep puts it back to received.
    write(upload_folder(created.pk) / "manifest.json", manifest.encode())
    (upload_folder(created.pk) / "0000.upload").write_bytes(pdf_bytes(1, 2))
    ScanUpload.objects.filter(pk=created.pk).update(status=ScanUpload.Status.RECEIVED)
    again = scan_upload_run(upload_id=created.pk)
    assert again.pages_already_stored == 0
    assert again.problems == []
    assert again.pages_total == 2
