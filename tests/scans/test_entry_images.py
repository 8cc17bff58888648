"""Entry from a scan: the section page carries its line images (the checked view's URLs, in line
order, with alt text), the second keyer's page too, and nobody else gets them."""

import json
import re
import uuid

import pytest
from django.urls import reverse

from petitions.models import Line, Section
from petitions.services import petition_create
from recall.roles import VOLUNTEER
from tests.conftest import _persona
from tests.scans.line_images import add_line_images, add_page, use_scans_dir

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _scans_dir(settings, monkeypatch, tmp_path):
    use_scans_dir(settings, monkeypatch, tmp_path)


@pytest.fixture
def section(volunteer):
    petition = petition_create(title="Recall the DA", slug="la-da", required=1000)
    return Section.objects.create(petition=petition, serial=5, assigned_to=volunteer)


def page_images(html: str) -> list[dict]:
    found = re.search(r'<script id="line-images" type="application/json">(.*?)</script>', html)
    assert found, "no line images on the page"
    return json.loads(found.group(1))


def test_the_entry_page_carries_the_sections_line_images_in_line_order(client, section, volunteer):
    # Stored out of order, over two pages: the page lists them by line number.
    second_page = add_page(section, 2)
    late = add_line_images(section, {11: "Line 11", 12: "Line 12"}, second_page)
    early = add_line_images(section, {2: "Line 2", 1: "Line 1"})
    other = Section.objects.create(petition=section.petition, serial=6)
    add_line_images(other, {1: "Line 1 of another section"})
    client.force_login(volunteer)
    html = client.get(reverse("petitions:section", args=["la-da", 5])).content.decode()
    by_number = {image.number: image.pk for image in early + late}
    assert page_images(html) == [
        {"number": n, "page": 1 if n < 10 else 2, "url": f"/scans/lines/{by_number[n]}.jpg",
         "alt": f"Line {n} as written on page {1 if n < 10 else 2}"}
        for n in (1, 2, 11, 12)
    ]  # fmt: skip
    # The first image is in the page already; the row says which line it saves.
    assert f'src="/scans/lines/{by_number[1]}.jpg" alt="Line 1 as written on page 1"' in html
    assert 'data-next-number="1"' in html
    assert "Alt+Z zooms the line's image." in html
    assert 'id="line-image-zoom"' in html


def test_after_a_save_the_row_names_the_next_line(client, section, volunteer):
    add_line_images(section, {1: "Line 1", 2: "Line 2"})
    client.force_login(volunteer)
    response = client.post(
        reverse("petitions:line_add", args=["la-da", 5]),
        {"client_token": uuid.uuid4(), "printed_name": "Maria Lopez", "residence_address":
         "12 Oak Ave", "city": "Glendale", "zip": "", "signed": "on"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-next-number="2"' in html
    assert 'id="line-images"' not in html  # the list came with the page, not with each save
    assert Line.objects.get(section=section).number == 1


def test_a_section_without_images_keys_as_before(client, volunteer):
    petition = petition_create(title="Recall the DA", slug="la-da", required=1000)
    Section.objects.create(petition=petition, serial=1, entered_by=volunteer)
    client.force_login(volunteer)
    html = client.get(reverse("petitions:section", args=["la-da", 1])).content.decode()
    assert 'id="line-images"' not in html
    assert 'id="line-image"' not in html
    assert "Alt+Z" not in html
    assert 'id="line-entry"' in html


def test_the_blind_second_keyer_sees_the_images_never_the_first_text(client, volunteer):
    petition = petition_create(title="Recall the DA", slug="double", required=1000)
    petition.double_entry = True
    petition.save(update_fields=["double_entry"])
    first = _persona("fred_first", VOLUNTEER)
    section = Section.objects.create(petition=petition, serial=3, assigned_to=first,
                                     second_assigned_to=volunteer)  # fmt: skip
    images = add_line_images(section, {1: "Line 1"})
    Line.objects.create(petition=petition, section=section, number=1,
                        printed_name="Maria Lopez", entered_by=first)  # fmt: skip
    client.force_login(volunteer)
    html = client.get(reverse("petitions:second", args=["double", 3])).content.decode()
    assert [image["url"] for image in page_images(html)] == [f"/scans/lines/{images[0].pk}.jpg"]
    assert "Maria Lopez" not in html
    assert 'data-next-number="1"' in html  # their own first line, not the first keyer's next
    assert client.get(f"/scans/lines/{images[0].pk}.jpg").status_code == 200


def test_another_volunteer_never_gets_the_sections_images(client, section, volunteer):
    images = add_line_images(section, {1: "Line 1"})
    client.force_login(volunteer)
    response = client.get(reverse("scans:line_image", args=[images[0].pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG
    stranger = _persona("sam_stranger", VOLUNTEER)
    client.force_login(stranger)
    assert client.get(reverse("petitions:section", args=["la-da", 5])).status_code == 404
    assert client.get(reverse("scans:line_image", args=[images[0].pk])).status_code == 404
    # Once the section is handed to them instead, they do.
    Section.objects.filter(pk=section.pk).update(assigned_to=stranger)
    assert client.get(reverse("scans:line_image", args=[images[0].pk])).status_code == 200
    client.force_login(volunteer)
    assert client.get(reverse("scans:line_image", args=[images[0].pk])).status_code == 404
