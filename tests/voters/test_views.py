import csv
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recall.models import AuditEvent
from tests.voters.factories import many, write_canonical
from voters.models import VoterRoll
from voters.services import voter_roll_create, voter_roll_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def roll_file(tmp_path):
    return write_canonical(tmp_path / "county.csv", many(25))


def upload(path, name="county.csv"):
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def test_admin_uploads_a_file_and_the_import_is_queued(
    login, admin_user, roll_file, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    client = login(admin_user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("voters:roll-import"),
            {"upload": upload(roll_file), "format": "auto", "max_reject_rate": "0.01",
             "activate": "on"},
        )  # fmt: skip
    roll = VoterRoll.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("voters:roll-detail", args=[roll.pk])
    assert (roll.state, roll.source_name, roll.imported_by) == ("queued", "county.csv", admin_user)
    assert roll.source_path.startswith(str(tmp_path / "uploads"))
    assert len(callbacks) == 1  # the import task, sent after commit


def test_admin_imports_from_the_server_directory(login, admin_user, settings, tmp_path):
    settings.IMPORT_DIR = tmp_path
    write_canonical(tmp_path / "from-registrar.csv", many(5))
    client = login(admin_user)
    page = client.get(reverse("voters:roll-import"))
    assert b"from-registrar.csv" in page.content
    response = client.post(
        reverse("voters:roll-import"),
        {"server_file": "from-registrar.csv", "format": "auto", "max_reject_rate": "0.01"},
    )
    assert response.status_code == 302
    roll = VoterRoll.objects.get()
    assert roll.source_path == str(tmp_path / "from-registrar.csv")
    assert roll.activate_on_success is False


def test_the_activate_box_is_ticked_only_while_no_roll_is_active(login, admin_user, roll_file):
    client = login(admin_user)
    box = 'name="activate"'

    def ticked() -> bool:
        page = client.get(reverse("voters:roll-import")).content.decode()
        tag = page[page.rindex("<input", 0, page.index(box)) : page.index(">", page.index(box))]
        return "checked" in tag

    assert ticked()  # the first roll replaces nothing
    roll = voter_roll_create(path=roll_file, source_name="county.csv", enqueue=False)
    voter_roll_import(roll_id=roll.pk)
    assert VoterRoll.objects.get(pk=roll.pk).state == "active"
    assert not ticked()  # replacing the active roll is a choice


def test_server_file_outside_the_directory_cannot_be_chosen(login, admin_user, settings, tmp_path):
    settings.IMPORT_DIR = tmp_path
    response = login(admin_user).post(
        reverse("voters:roll-import"),
        {"server_file": "../../etc/passwd", "format": "auto", "max_reject_rate": "0.01"},
    )
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert not VoterRoll.objects.exists()


def test_bad_header_is_refused_on_the_form_and_the_upload_is_not_kept(
    login, admin_user, settings, tmp_path
):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    bad = SimpleUploadedFile("x.csv", b"name,street\nMaria,Main\n", content_type="text/csv")
    response = login(admin_user).post(
        reverse("voters:roll-import"), {"upload": bad, "format": "auto", "max_reject_rate": "0.01"}
    )
    assert response.status_code == 400
    assert b"the header lacks required columns: voter_id" in response.content
    assert not VoterRoll.objects.exists()
    assert list((tmp_path / "uploads").iterdir()) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"format": "auto", "max_reject_rate": "0.01"}, b"Upload a file or choose one"),
        ({"format": "auto", "max_reject_rate": "3"}, b"less than or equal to 1"),
        ({"format": "xml", "max_reject_rate": "0.01"}, b"Select a valid choice"),
    ],
)
def test_invalid_import_form_rerenders_with_errors(login, admin_user, data, message):
    response = login(admin_user).post(reverse("voters:roll-import"), data)
    assert response.status_code == 400
    assert message in response.content
    assert not VoterRoll.objects.exists()


def test_upload_over_the_size_limit_is_refused(login, admin_user, roll_file, settings):
    settings.VOTER_UPLOAD_MAX_BYTES = 100
    response = login(admin_user).post(
        reverse("voters:roll-import"),
        {"upload": upload(roll_file), "format": "auto", "max_reject_rate": "0.01"},
    )
    assert response.status_code == 400
    assert b"larger than the" in response.content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("county.xlsx", b"PK\x03\x04rest", "is not a voter file: expected .csv"),
        ("county.csv", b"PK\x03\x04rest", "is a zip archive or an Excel workbook"),
        ("county.csv", b"%PDF-1.7 ...", "is a PDF, not a text file"),
        ("county.csv", b"voter_id,\x00\x01\x02", "is not a text file (it holds binary data)"),
        ("county.csv.gz", b"voter_id,first_name\n", "is not gzip-compressed"),
        ("../../etc/passwd", b"root:x:0:0", "is not a voter file"),
    ],
)
def test_an_upload_that_is_not_a_voter_file_is_refused_and_not_kept(
    login, admin_user, settings, tmp_path, name, content, message
):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    response = login(admin_user).post(
        reverse("voters:roll-import"),
        {"upload": SimpleUploadedFile(name, content), "format": "auto", "max_reject_rate": "0.01"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not VoterRoll.objects.exists()
    assert not (tmp_path / "uploads").exists() or not list((tmp_path / "uploads").iterdir())


@pytest.mark.parametrize("link", ["symlink_to", "hardlink_to"])
def test_a_link_in_the_import_directory_to_a_file_elsewhere_is_not_offered(
    login, admin_user, settings, tmp_path, link
):
    outside = write_canonical(tmp_path / "elsewhere.csv", many(3))
    settings.IMPORT_DIR = tmp_path / "imports"
    settings.IMPORT_DIR.mkdir()
    getattr(settings.IMPORT_DIR / "linked.csv", link)(outside)
    write_canonical(settings.IMPORT_DIR / "real.csv", many(3))
    client = login(admin_user)
    page = client.get(reverse("voters:roll-import")).content.decode()
    assert "real.csv" in page
    assert "linked.csv" not in page
    response = client.post(
        reverse("voters:roll-import"),
        {"server_file": "linked.csv", "format": "auto", "max_reject_rate": "0.01"},
    )
    assert response.status_code == 400
    assert not VoterRoll.objects.exists()


@pytest.mark.parametrize("persona", ["volunteer", "reviewer", "organizer", "outsider"])
def test_only_admins_reach_the_roll_pages(request, login, persona):
    client = login(request.getfixturevalue(persona))
    for name in ("voters:roll-list", "voters:roll-import"):
        assert client.get(reverse(name)).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("voters:roll-detail", args=[1]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_wrong_methods_are_405(login, admin_user):
    client = login(admin_user)
    assert client.post(reverse("voters:roll-list")).status_code == 405
    assert client.get(reverse("voters:roll-cancel", args=[1])).status_code == 405
    assert client.get(reverse("voters:roll-activate", args=[1])).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_detail_progress_and_report_after_an_import(login, admin_user, tmp_path):
    rows = [*many(98), {**many(1)[0], "voter_id": "x", "first_name": ""}]
    path = write_canonical(tmp_path / "r.csv", [*rows, {**many(1)[0], "voter_id": ""}])
    roll = voter_roll_create(path=path, enqueue=False, max_reject_rate=0.05)
    voter_roll_import(roll_id=roll.pk)
    client = login(admin_user)
    detail = client.get(reverse("voters:roll-detail", args=[roll.pk]))
    assert detail.status_code == 200
    assert b"Download the report" in detail.content
    # The row without a given name was imported, and the page says so with its line.
    assert b'<table class="table table-sm w-auto" id="warnings">' in detail.content
    assert b"<td>100</td><td>no given name (first_name is empty)" in detail.content
    assert b"<td>No voter id</td>" in detail.content
    assert b"no_id" not in detail.content  # codes are for tools, not for the page
    progress = client.get(reverse("voters:roll-progress", args=[roll.pk]))
    assert progress["HX-Refresh"] == "true"  # finished: the page reloads to show the report
    report = client.get(reverse("voters:roll-report", args=[roll.pk]))
    assert report["Content-Type"] == "text/csv"
    text = report.content.decode()
    assert "rows_imported,99" in text
    assert "rows_warned,1" in text
    # Reasons in words, the code in a column of its own.
    assert "no given name (imported without one),1,no_given_name" in text
    assert "no voter id,1,no_id" in text
    assert "101,no voter id" in text
    assert "100,no given name (first_name is empty): imported without one" in text
    downloads = AuditEvent.objects.filter(action="download")
    assert list(downloads.values_list("username", "target")) == [
        (admin_user.username, f"voter roll {roll.pk}: r.csv: import report")
    ]
    listing = client.get(reverse("voters:roll-list"))
    assert b"r.csv" in listing.content


def test_the_report_neutralises_a_formula_in_the_file_name(login, admin_user, tmp_path):
    path = write_canonical(tmp_path / "r.csv", many(50))
    roll = voter_roll_create(path=path, enqueue=False, max_reject_rate=0.05,
                             source_name="@SUM(A1).csv")  # fmt: skip
    voter_roll_import(roll_id=roll.pk)
    report = login(admin_user).get(reverse("voters:roll-report", args=[roll.pk]))
    rows = list(csv.reader(io.StringIO(report.content.decode())))
    assert ["source", "'@SUM(A1).csv"] in rows
    cells = [value for row in rows for value in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))], cells


def test_progress_partial_keeps_polling_while_importing(login, admin_user, tmp_path):
    roll = voter_roll_create(path=write_canonical(tmp_path / "r.csv", many(3)), enqueue=False)
    response = login(admin_user).get(reverse("voters:roll-progress", args=[roll.pk]))
    assert response.status_code == 200
    assert "HX-Refresh" not in response
    assert b'hx-trigger="every 1s"' in response.content


def test_cancel_of_a_queued_import(login, admin_user, tmp_path):
    roll = voter_roll_create(path=write_canonical(tmp_path / "r.csv", many(3)), enqueue=False)
    response = login(admin_user).post(reverse("voters:roll-cancel", args=[roll.pk]))
    assert response.status_code == 302
    roll.refresh_from_db()
    assert roll.state == "failed"


def test_roll_list_query_count_is_fixed(login, admin_user, tmp_path, django_assert_num_queries):
    for i in range(5):
        voter_roll_create(path=write_canonical(tmp_path / f"r{i}.csv", many(2)), enqueue=False,
                          imported_by=admin_user)  # fmt: skip
    client = login(admin_user)
    # The user, their own and their groups' permissions (cached from then on), the rolls, and
    # whether one is active (the import form ticks "activate" only while none is).
    with django_assert_num_queries(5):
        assert client.get(reverse("voters:roll-list")).status_code == 200


def test_a_header_of_300000_columns_is_refused_on_the_form_quickly(
    login, admin_user, settings, tmp_path
):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    wide = SimpleUploadedFile("wide.csv", (",".join(["x"] * 300_000) + "\n1\n").encode())
    client = login(admin_user)
    started = time.perf_counter()
    response = client.post(
        reverse("voters:roll-import"), {"upload": wide, "format": "auto", "max_reject_rate": "0.01"}
    )
    assert time.perf_counter() - started < 2
    assert response.status_code == 400
    assert "the header has 300,000 columns, more than the 500" in response.content.decode()
    assert not VoterRoll.objects.exists()


def test_cancel_of_an_import_whose_worker_is_gone(login, admin_user, tmp_path):
    roll = voter_roll_create(path=write_canonical(tmp_path / "r.csv", many(3)), enqueue=False)
    VoterRoll.objects.filter(pk=roll.pk).update(state="importing")
    client = login(admin_user)
    response = client.post(reverse("voters:roll-cancel", args=[roll.pk]), follow=True)
    roll.refresh_from_db()
    assert roll.state == "failed"
    assert "Cancelled: nothing of this import will be used." in response.content.decode()
    again = client.post(reverse("voters:roll-cancel", args=[roll.pk]), follow=True)
    assert "This import has already ended." in again.content.decode()


def test_the_import_page_says_where_the_server_folder_is_and_how_to_fill_it(
    login, admin_user, settings, tmp_path
):
    settings.IMPORT_DIR = tmp_path / "imports"
    client = login(admin_user)
    page = client.get(reverse("voters:roll-import")).content.decode()
    folder = str(settings.IMPORT_DIR)
    assert f'<code id="import-dir">{folder}</code>' in page
    assert f"mkdir -p {folder}" in page  # not there yet
    assert f"scp county-roll.txt.gz you@testserver:{folder}/" in page
    assert "<code>.csv</code>, <code>.txt</code>" in page
    assert "<code>.gz</code>" in page
    assert "No voter file there yet." in page

    settings.IMPORT_DIR.mkdir()
    write_canonical(settings.IMPORT_DIR / "county.csv", many(3))
    page = client.get(reverse("voters:roll-import")).content.decode()
    assert "mkdir -p" not in page
    assert "1 file there now." in page


def test_reasons_read_in_words_on_the_page_and_in_the_report(login, admin_user, tmp_path):
    rows = [*many(60), {**many(1)[0], "voter_id": "x1", "last_name": "", "first_name": ""},
            {**many(1)[0], "voter_id": "x2", "birth_date": "31/31/1999"}]  # fmt: skip
    roll = voter_roll_create(path=write_canonical(tmp_path / "r.csv", rows), enqueue=False,
                             max_reject_rate=0.5)  # fmt: skip
    voter_roll_import(roll_id=roll.pk)
    client = login(admin_user)
    page = client.get(reverse("voters:roll-detail", args=[roll.pk])).content.decode()
    assert "<td>No name (neither given name nor surname)</td>" in page
    assert "<td>A birth or registration date that cannot be read</td>" in page
    assert "bad_date" not in page
    report = client.get(reverse("voters:roll-report", args=[roll.pk])).content.decode()
    rows = list(csv.reader(io.StringIO(report)))
    start = rows.index(["rejected rows by reason", "rows", "code"])
    assert sorted(rows[start + 1 : start + 3]) == [
        ["a birth or registration date that cannot be read", "1", "bad_date"],
        ["no name (neither given name nor surname)", "1", "no_name"],
    ]
