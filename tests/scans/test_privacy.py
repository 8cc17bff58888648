"""Who sees a scan: the section's keyers, reviewers, organizers and admins; everyone else a 404.
Views by anyone outside the keyers are audited once per image in 10 minutes; the images go out
with private caching, their type and nosniff, through nginx or a signed S3 URL in production."""

import socket
import time
import urllib.request

import boto3
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse

from petitions.models import Petition, Section
from recall.audit_text import detail_rows, event_sentence
from recall.auth import permissions_forget
from recall.models import AuditAction, AuditEvent
from recall.roles import VOLUNTEER
from scans import views as scan_views
from scans.models import LineImage, scans_storage
from tests.conftest import _persona
from tests.scans.images import clean_storage, line_jpeg, store_line, store_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()  # the once-in-10-minutes marks of earlier tests
    yield
    clean_storage()


@pytest.fixture
def keyers(volunteer):
    """The section's four keyers: first and second entry, and the two it is assigned to."""
    return {
        "entered_by": volunteer,
        "second_entered_by": _persona("sam_second", VOLUNTEER),
        "assigned_to": _persona("ada_assigned", VOLUNTEER),
        "second_assigned_to": _persona("sid_second_assigned", VOLUNTEER),
    }


@pytest.fixture
def section(keyers):
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10)
    return Section.objects.create(petition=petition, serial=7, **keyers)


@pytest.fixture
def images(section):
    page = store_page(section)
    line = store_line(page, 3, "Maria Lopez 123 Main St")
    return {"line": reverse("scans:line_image", args=[line.pk]),
            "page": reverse("scans:page_image", args=[page.pk])}  # fmt: skip


def _viewed() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.SCAN_VIEWED).order_by("id"))


@pytest.mark.parametrize("kind", ["line", "page"])
@pytest.mark.parametrize(
    "role", ["entered_by", "second_entered_by", "assigned_to", "second_assigned_to"]
)
def test_each_keyer_sees_the_sections_scans_unaudited(login, keyers, images, kind, role):
    response = login(keyers[role]).get(images[kind])
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body[:3] == b"\xff\xd8\xff" if kind == "line" else body[:8] == b"\x89PNG\r\n\x1a\n"
    assert _viewed() == []


@pytest.mark.parametrize("kind", ["line", "page"])
@pytest.mark.parametrize("persona", ["reviewer", "organizer", "admin_user"])
def test_reviewers_organizers_and_admins_see_it_and_are_audited(request, login, images, kind,
                                                                 persona):  # fmt: skip
    user = request.getfixturevalue(persona)
    response = login(user).get(images[kind])
    assert response.status_code == 200
    (event,) = _viewed()
    assert (event.user, event.detail["image"], event.detail["section"]) == (user, kind, 7)
    number = "line 3" if kind == "line" else "page 1"
    assert event.target == f"petition test: section 7 {number}"


@pytest.mark.parametrize("kind", ["line", "page"])
def test_a_volunteer_keying_other_sections_and_a_user_without_role_get_404(
    login, outsider, images, kind
):
    stranger = _persona("stella_stranger", VOLUNTEER)
    other = Section.objects.create(petition=Petition.objects.get(), serial=8, entered_by=stranger)
    assert other.pk
    for user in (stranger, outsider):
        assert login(user).get(images[kind]).status_code == 404
    assert _viewed() == []


def test_a_keyer_whose_role_was_taken_away_no_longer_sees_it(login, volunteer, images):
    client = login(volunteer)
    assert client.get(images["line"]).status_code == 200
    volunteer.groups.clear()
    permissions_forget(volunteer.pk)  # as a role change made in the app does
    assert client.get(images["line"]).status_code == 404


def test_an_inactive_reviewer_and_an_anonymous_caller_get_nothing(client, login, reviewer,
                                                                  images):  # fmt: skip
    response = client.get(images["line"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    reviewer.is_active = False
    reviewer.save(update_fields=["is_active"])
    client.force_login(reviewer)
    assert client.get(images["line"]).status_code in (302, 404)
    assert _viewed() == []


def test_no_such_image_and_a_missing_file_are_404_and_post_is_405(login, reviewer, images):
    client = login(reviewer)
    assert client.get(reverse("scans:line_image", args=[999999])).status_code == 404
    assert client.post(images["line"]).status_code == 405
    line = LineImage.objects.get()
    scans_storage().delete(line.image.name)
    assert client.get(images["line"]).status_code == 404


def test_repeated_views_of_one_image_are_audited_once_per_window(login, reviewer, images,
                                                                 monkeypatch):  # fmt: skip
    client = login(reviewer)
    for _ in range(3):
        assert client.get(images["line"]).status_code == 200
    assert len(_viewed()) == 1
    assert client.get(images["page"]).status_code == 200  # another image: its own event
    assert len(_viewed()) == 2
    # A window of 3 s: two views well within it even on a busy machine, then the window passed.
    monkeypatch.setattr(scan_views, "AUDIT_REPEAT_SECONDS", 3)
    cache.clear()
    before = time.monotonic()
    client.get(images["line"])
    audited = time.monotonic()  # the window opened between `before` and now
    assert len(_viewed()) == 3
    client.get(images["line"])
    assert time.monotonic() - before < 3
    assert len(_viewed()) == 3  # within the window
    time.sleep(max(0.0, audited + 3.2 - time.monotonic()))
    client.get(images["line"])
    assert len(_viewed()) == 4  # the window passed


def test_the_audit_log_says_who_looked_at_which_scan(login, reviewer, admin_user, images):
    login(reviewer).get(images["line"])
    (event,) = _viewed()
    assert event_sentence(event) == (
        "rita_reviewer looked at the scan of petition test: section 7 line 3"
    )
    assert detail_rows(event) == []  # the sentence says it all
    page = login(admin_user).get(reverse("audit-log")).content.decode()
    assert "rita_reviewer looked at the scan of petition test: section 7 line 3" in page


def test_images_are_private_typed_and_not_sniffed(login, volunteer, images):
    client = login(volunteer)
    line = client.get(images["line"])
    assert line["Content-Type"] == "image/jpeg"
    assert line["Cache-Control"] == "private, max-age=3600"
    assert line["X-Content-Type-Options"] == "nosniff"
    page = client.get(images["page"])
    assert page["Content-Type"] == "image/png"
    assert page["Cache-Control"].startswith("private")


def test_in_production_nginx_sends_the_file_after_the_check(login, reviewer, outsider, images,
                                                            settings):  # fmt: skip
    settings.SCANS_ACCEL_REDIRECT = "/protected-scans/"
    line = LineImage.objects.get()
    response = login(reviewer).get(images["line"])
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-scans/{line.image.name}"
    assert response.content == b""  # the app sends no byte of it
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert len(_viewed()) == 1
    refused = login(outsider).get(images["line"])
    assert refused.status_code == 404
    assert "X-Accel-Redirect" not in refused


# S3 (moto's server, on a free loopback port) --------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3_store(settings, monkeypatch):
    """A real S3 API (moto's server) as the scans storage, as production sets it."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(
        Bucket="recall-scans"
    )
    settings.SCANS_S3_BUCKET = "recall-scans"
    settings.STORAGES = {
        **settings.STORAGES,
        "scans": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "recall-scans", "endpoint_url": endpoint,
                "region_name": "us-east-1", "default_acl": "private", "querystring_auth": True,
                "querystring_expire": 300, "file_overwrite": False,
            },
        },
    }  # fmt: skip
    yield endpoint
    server.stop()


def test_with_s3_the_image_is_a_signed_url_that_returns_its_bytes(login, reviewer, outsider,
                                                                  section, s3_store):  # fmt: skip
    storage = scans_storage()
    assert type(storage).__name__ == "S3Storage"
    data = line_jpeg("Maria Lopez 123 Main St", 3)
    name = storage.save(f"lines/{section.petition_id}/{section.pk}/0003-s3.jpg", ContentFile(data))
    page = store_page(section)
    line = LineImage.objects.create(page=page, section=section, number=3, image=name, width=1200,
                                    height=90, bytes=len(data))  # fmt: skip
    url = reverse("scans:line_image", args=[line.pk])

    response = login(reviewer).get(url)
    assert response.status_code == 302
    signed = response["Location"]
    assert signed.startswith(f"{s3_store}/recall-scans/{name}?")
    assert "Signature=" in signed or "X-Amz-Signature=" in signed
    assert response["Cache-Control"] == "private, no-store"
    with urllib.request.urlopen(signed, timeout=10) as got:  # noqa: S310 (our loopback server)
        assert got.read() == data
        assert got.headers["Content-Type"] == "image/jpeg"
    assert len(_viewed()) == 1

    # Unsigned, the store refuses; an outsider never gets a URL.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_store}/recall-scans/{name}", timeout=10)  # noqa: S310
    assert refused.value.code == 403
    assert login(outsider).get(url).status_code == 404
