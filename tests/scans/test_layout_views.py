"""The organizer's scans pages: the petition's overview, marking the layout, a flagged page
marked by hand or removed."""

import numpy as np
import pytest
from django.urls import reverse

from recall.models import AuditAction, AuditEvent
from scans.models import LineImage, ScanLayout, ScanPage, scans_storage
from tests.scans.pages import HEIGHT, WIDTH, line_box, render_page, store_page


def box_post(first, last, **extra) -> dict[str, str]:
    """The form's fields for two boxes (fractions), in percent."""
    data = {}
    for name, box in (("first", first), ("last", last)):
        for part, value in zip(("left", "top", "width", "height"), (box.x, box.y, box.w, box.h),
                               strict=True):  # fmt: skip
            data[f"{name}_{part}"] = f"{value * 100:.2f}"
    return {**data, **{key: str(value) for key, value in extra.items()}}


TRUE_BOXES = box_post(line_box(0), line_box(9), lines_per_page=10)


def blank_page() -> np.ndarray:
    return np.full((HEIGHT, WIDTH), 255, np.uint8)


@pytest.fixture
def pages(scan_section):
    """Two pages of the form and a blank one (which cannot be aligned), waiting for a layout."""
    return [
        store_page(scan_section, 1, render_page(0)),
        store_page(scan_section, 2, render_page(3)),
        store_page(scan_section, 3, blank_page()),
    ]


def urls(petition, page) -> list[tuple[str, str]]:
    return [
        ("get", reverse("scans:petition", args=[petition.slug])),
        ("get", reverse("scans:layout", args=[petition.slug])),
        ("post", reverse("scans:layout", args=[petition.slug])),
        ("get", reverse("scans:layout_sample", args=[petition.slug, page.pk])),
        ("get", reverse("scans:page", args=[petition.slug, page.pk])),
        ("post", reverse("scans:page", args=[petition.slug, page.pk])),
        ("post", reverse("scans:page_remove", args=[petition.slug, page.pk])),
    ]


def test_volunteers_and_reviewers_are_refused_every_organizer_scan_page(
    client, volunteer, reviewer, scan_petition, pages
):
    for user in (volunteer, reviewer):
        client.force_login(user)
        for method, url in urls(scan_petition, pages[0]):
            response = getattr(client, method)(url, TRUE_BOXES if method == "post" else None)
            assert response.status_code == 403, (user, url)
    assert ScanPage.objects.count() == 3
    assert not ScanLayout.objects.exists()


def test_anonymous_goes_to_the_login_page(client, scan_petition, pages):
    for method, url in urls(scan_petition, pages[0]):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_unknown_petition_or_another_petitions_page_is_not_found(
    client, organizer, scan_petition, pages
):
    from petitions.services import petition_create

    other = petition_create(title="Recall the Clerk", slug="clerk", required=10)
    client.force_login(organizer)
    assert client.get(reverse("scans:petition", args=["nope"])).status_code == 404
    assert client.get(reverse("scans:page", args=[other.slug, pages[0].pk])).status_code == 404
    remove = reverse("scans:page_remove", args=[other.slug, pages[0].pk])
    assert client.post(remove).status_code == 404
    assert client.get(remove).status_code == 405
    assert ScanPage.objects.count() == 3


def test_the_overview_without_scans_says_what_to_do(client, organizer, scan_petition):
    client.force_login(organizer)
    response = client.get(reverse("scans:petition", args=[scan_petition.slug]))
    assert response.status_code == 200
    text = response.content.decode().replace("&#x27;", "'")
    assert "Upload scans on a section's page or in bulk" in text
    assert 'id="layout-link"' not in text  # nothing to mark a layout on yet
    layout = client.get(reverse("scans:layout", args=[scan_petition.slug])).content.decode()
    assert 'id="no-sample"' in layout
    assert 'id="layout-form"' not in layout


def test_the_layout_page_shows_the_first_page_straightened(client, organizer, scan_petition, pages):
    client.force_login(organizer)
    response = client.get(reverse("scans:layout", args=[scan_petition.slug]))
    assert response.status_code == 200
    image_url = reverse("scans:layout_sample", args=[scan_petition.slug, pages[0].pk])
    assert image_url in response.content.decode()
    assert response.context["form"]["lines_per_page"].value() == 10
    image = client.get(image_url)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"
    assert b"".join(image).startswith(b"\xff\xd8")  # a JPEG
    # An organizer is not the section's keyer: the view of the scan is audited.
    assert AuditEvent.objects.filter(action=AuditAction.SCAN_VIEWED).count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"first_width": "0"}, "first_width", "the box has no width"),
        ({"first_left": "80", "first_width": "30"}, "first_width", "past the page's right edge"),
        ({"last_top": "95", "last_height": "10"}, "last_height", "past the page's bottom"),
        ({"last_top": "10"}, "last_top", "must lie below the first line's"),
        ({"lines_per_page": "0"}, "lines_per_page", "greater than or equal to 1"),
        ({"lines_per_page": "51"}, "lines_per_page", "less than or equal to 50"),
        ({"lines_per_page": "40"}, "lines_per_page", "more than half of the next"),
        ({"first_top": "abc"}, "first_top", "Enter a number"),
        ({"last_left": "-3"}, "last_left", "greater than or equal to 0"),
        ({"first_height": ""}, "first_height", "required"),
    ],
)
def test_bad_numbers_are_refused_on_their_field(
    client, organizer, scan_petition, pages, change, field, message
):
    client.force_login(organizer)
    url = reverse("scans:layout", args=[scan_petition.slug])
    response = client.post(url, {**TRUE_BOXES, **change})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not ScanLayout.objects.exists()
    assert set(ScanPage.objects.values_list("status", flat=True)) == {"waiting_layout"}


def save_layout(client, petition, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("scans:layout", args=[petition.slug]), data)


def test_saving_the_layout_stores_it_and_cuts_the_waiting_pages(
    client, organizer, scan_petition, pages, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(organizer)
    response = save_layout(client, scan_petition, TRUE_BOXES, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("scans:petition", args=[scan_petition.slug])
    layout = ScanLayout.objects.get(petition=scan_petition)
    assert layout.lines_per_page == 10
    assert layout.sample_page == pages[0]
    assert layout.updated_by == organizer
    assert layout.first_box["y"] == pytest.approx(line_box(0).y, abs=1e-4)
    assert layout.last_box["y"] == pytest.approx(line_box(9).y, abs=1e-4)
    assert scans_storage().exists(layout.reference.name)
    for page in pages:
        page.refresh_from_db()
    assert [page.status for page in pages] == ["cut", "cut", "flagged"]
    assert "blank" in pages[2].problem
    numbers = list(LineImage.objects.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, 21))  # page 2's lines follow page 1's
    line = LineImage.objects.get(number=13)  # page 2, its third line
    assert line.page == pages[1]
    assert (line.width, line.height) == (980, 100)  # the line's own box, cut at full size
    assert scans_storage().exists(line.image.name)
    event = AuditEvent.objects.get(action=AuditAction.SCAN_LAYOUT)
    assert event.user == organizer
    assert event.detail["lines_per_page"] == 10
    assert event.detail["first_box"] == layout.first_box
    assert event.detail["pages_queued"] == 3

    overview = client.get(response["Location"]).content.decode()
    assert 'id="count-pages">3<' in overview
    assert 'id="count-lines">20<' in overview
    assert 'id="count-flagged" class="text-danger">1<' in overview
    # The page that needs a person first, with the reason and the way to fix it.
    assert overview.index('id="flagged"') < overview.index('id="scanned-sections"')
    assert f'id="flagged-{pages[2].pk}"' in overview
    assert reverse("scans:page", args=[scan_petition.slug, pages[2].pk]) in overview
    assert "cut into 10 lines" in overview
    assert "Change the layout" in overview


def test_changing_the_layout_cuts_every_page_again(
    client, organizer, scan_petition, pages, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(organizer)
    save_layout(client, scan_petition, TRUE_BOXES, django_capture_on_commit_callbacks)
    first_names = set(LineImage.objects.values_list("image", flat=True))
    page = client.get(reverse("scans:layout", args=[scan_petition.slug])).content.decode()
    assert 'id="recut-warning"' in page
    # Five lines a page: the first and the fifth line's boxes.
    five = box_post(line_box(0), line_box(4), lines_per_page=5)
    response = save_layout(client, scan_petition, five, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert ScanLayout.objects.get().lines_per_page == 5
    assert LineImage.objects.filter(page=pages[0]).count() == 5
    assert LineImage.objects.filter(page=pages[1]).count() == 5
    assert not any(scans_storage().exists(name) for name in first_names - set(
        LineImage.objects.values_list("image", flat=True)))  # fmt: skip
    changed = AuditEvent.objects.filter(action=AuditAction.SCAN_LAYOUT).latest("at")
    assert changed.detail["before"]["lines_per_page"] == 10
    assert changed.detail["lines_per_page"] == 5


def test_a_flagged_page_marked_by_hand_is_cut_with_its_own_boxes(
    client, organizer, scan_petition, scan_section, pages, eager_tasks,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client.force_login(organizer)
    save_layout(client, scan_petition, TRUE_BOXES, django_capture_on_commit_callbacks)
    # A page of the form the aligner refused (flagged as if): a person marks it.
    shifted = store_page(scan_section, 4, render_page(5), status=ScanPage.Status.FLAGGED,
                         problem="the page does not match the sample page's form")  # fmt: skip
    url = reverse("scans:page", args=[scan_petition.slug, shifted.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode().replace("&#x27;", "'")
    assert "the page does not match the sample page's form" in text
    assert reverse("scans:page_image", args=[shifted.pk]) in text
    bad = client.post(url, box_post(line_box(9), line_box(0)))
    assert bad.status_code == 400
    assert "last_top" in bad.context["form"].errors
    response = client.post(url, box_post(line_box(0), line_box(9)))
    assert response.status_code == 302
    assert response["Location"] == reverse("scans:petition", args=[scan_petition.slug])
    shifted.refresh_from_db()
    assert shifted.status == ScanPage.Status.CUT
    assert shifted.problem == ""
    assert shifted.alignment["manual"]["first_box"]["y"] == pytest.approx(line_box(0).y, abs=1e-4)
    numbers = list(shifted.line_images.values_list("number", flat=True))
    assert numbers == list(range(31, 41))
    event = AuditEvent.objects.filter(action=AuditAction.SCAN_LAYOUT).latest("at")
    assert event.target == "petition mayor: section 7 page 4"
    assert event.detail["lines"] == 10


def test_removing_a_page_deletes_it_and_its_files(
    client, organizer, scan_petition, pages, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(organizer)
    save_layout(client, scan_petition, TRUE_BOXES, django_capture_on_commit_callbacks)
    page = pages[0]
    names = [page.image.name, *page.line_images.values_list("image", flat=True)]
    assert len(names) == 11
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("scans:page_remove", args=[scan_petition.slug, page.pk]))
    assert response.status_code == 302
    assert not ScanPage.objects.filter(pk=page.pk).exists()
    assert not LineImage.objects.filter(page_id=page.pk).exists()
    assert not any(scans_storage().exists(name) for name in names)
    assert ScanLayout.objects.get().sample_page is None  # the reference stays
    assert scans_storage().exists(ScanLayout.objects.get().reference.name)
    event = AuditEvent.objects.get(action=AuditAction.SCANS_ERASED)
    assert event.target == "petition mayor: section 7 page 1"
    assert event.detail["lines"] == 10
    # The layout page then shows the next page; the reference image is still served.
    reference = client.get(reverse("scans:layout_reference", args=[scan_petition.slug]))
    assert reference.status_code == 200


def test_the_overview_queries_do_not_grow_with_the_sections(
    client, organizer, scan_petition, scan_section
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from petitions.models import Section

    client.force_login(organizer)
    url = reverse("scans:petition", args=[scan_petition.slug])
    store_page(scan_section, 1, blank_page())
    client.get(url)  # the session's first request loads what later ones find cached
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for serial in (8, 9, 10):
        section = Section.objects.create(petition=scan_petition, serial=serial)
        for number in (1, 2):
            image = blank_page()
            image[:40, :40] = serial * 10 + number  # a page of its own content
            store_page(section, number, image)
    with CaptureQueriesContext(connection) as four:
        response = client.get(url)
    assert response.status_code == 200
    assert len(four) == len(one)
    assert response.content.decode().count('<tr id="scanned-') == 4
