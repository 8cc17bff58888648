"""The review pages with the handwriting in view: the line's scanned image above the typed text
and the candidates, both transcriptions of a disagreement under it, a zoom; a line that was not
scanned shows the pages as before."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from petitions.models import Line, Petition, SecondEntry, Section
from recall.models import AuditAction, AuditEvent
from recall.roles import VOLUNTEER
from tests.conftest import _persona
from tests.scans.images import clean_storage, store_line, store_page

pytestmark = pytest.mark.django_db

CANDIDATE = {"voter_id": "JR1", "name": "JOSE MARTINEZ JR", "address": "500 ELM ST",
             "city": "PASADENA", "registration": "A", "fields": {}}  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()
    yield
    clean_storage()


@pytest.fixture
def section(volunteer):
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10)
    return Section.objects.create(petition=petition, serial=4, entered_by=volunteer)


def waiting(section: Section, number: int, name: str = "Jose Martinez") -> Line:
    return Line.objects.create(
        petition=section.petition, section=section, number=number, printed_name=name,
        residence_address="500 Elm St", city="Pasadena", status="needs_review",
        reason={"summary": "two voters could be this signer", "candidates": [CANDIDATE]},
    )  # fmt: skip


def test_the_queue_shows_the_lines_scan_above_the_typed_text_and_candidates(login, reviewer,
                                                                           section):  # fmt: skip
    line = waiting(section, 1)
    image = store_line(store_page(section), 1, "Jose Martinez 500 Elm St")
    body = login(reviewer).get(reverse("petitions:review", args=["test"])).content.decode()
    src = reverse("scans:line_image", args=[image.pk])
    assert f'<img src="{src}" width="1200" height="90"' in body
    assert "The handwriting of section 4, line 1, as scanned" in body
    assert 'id="line-scan-zoom"' in body
    assert "js/review_image.js" in body
    assert "Z zooms the scanned line." in body
    # Above what was typed and the candidates, on the same page as the line.
    assert body.index('id="line-scan"') < body.index('id="candidates"')
    assert f'data-line="{line.pk}"' in body
    # The page only points at the image: the view that serves it is audited, not the page.
    assert not AuditEvent.objects.filter(action=AuditAction.SCAN_VIEWED).exists()


def test_a_lines_own_review_page_shows_its_scan_and_not_its_neighbours(login, reviewer,
                                                                      section):  # fmt: skip
    page = store_page(section)
    first, second = waiting(section, 1), waiting(section, 2, "Grace Okafor")
    store_line(page, 1, "Jose Martinez 500 Elm St")
    other = store_line(page, 2, "Grace Okafor 900 Vermont Ave")
    body = (
        login(reviewer)
        .get(reverse("petitions:review_line", args=["test", second.pk]))
        .content.decode()
    )
    assert reverse("scans:line_image", args=[other.pk]) in body
    assert "section 4, line 2, as scanned" in body
    assert "section 4, line 1, as scanned" not in body
    assert first.pk != second.pk


def test_a_line_without_a_scan_shows_the_page_as_before(login, reviewer, section):
    waiting(section, 1)
    store_line(store_page(section), 2, "someone else")  # the section is scanned, not this line
    body = login(reviewer).get(reverse("petitions:review", args=["test"])).content.decode()
    assert 'id="candidates"' in body
    assert 'id="line-scan"' not in body
    assert "review_image.js" not in body
    assert "Z zooms" not in body


def test_a_disagreement_shows_both_transcriptions_under_the_scan(login, reviewer, section):
    Line.objects.create(
        petition=section.petition, section=section, number=1, printed_name="Grace Okafor",
        residence_address="900 Vermont Ave",
    )  # fmt: skip
    second_keyer = _persona("val_second", VOLUNTEER)
    Section.objects.filter(pk=section.pk).update(second_entered_by=second_keyer)
    SecondEntry.objects.create(section=section, number=1, printed_name="Grace Okafar",
                               residence_address="900 Vermont Ave", entered_by=second_keyer,
                               agrees=False)  # fmt: skip
    image = store_line(store_page(section), 1, "Grace Okafor 900 Vermont Ave")
    body = login(reviewer).get(reverse("petitions:review", args=["test"])).content.decode()
    scan = body.index(f'src="{reverse("scans:line_image", args=[image.pk])}"')
    table = body.index('id="transcriptions"')
    assert scan < table
    assert body.index("Grace Okafor", table) > table
    assert body.index("Grace Okafar", table) > table
    assert "1 keeps the first, 2 takes the second, S skips; Z zooms the scanned line." in body


def test_the_keyers_line_page_shows_the_scan_to_the_keyer_and_an_organizer(
    login, volunteer, organizer, section
):
    Line.objects.create(petition=section.petition, section=section, number=1,
                        printed_name="Jose Martinez", residence_address="500 Elm St")  # fmt: skip
    image = store_line(store_page(section), 1, "Jose Martinez 500 Elm St")
    url = reverse("petitions:line_edit", args=["test", 4, 1])
    src = reverse("scans:line_image", args=[image.pk])
    for user in (volunteer, organizer):
        body = login(user).get(url).content.decode()
        assert f'src="{src}"' in body, user
        assert body.index('id="line-scan"') < body.index('id="line-entry"')
    # The image itself: the keyer sees it unaudited, the organizer audited.
    assert login(volunteer).get(src).status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.SCAN_VIEWED).exists()
    assert login(organizer).get(src).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.SCAN_VIEWED, user=organizer).count() == 1
