"""Handing scanned sections out: an organizer assigns, a volunteer asks for the next one (two
asking at once never get the same section), and an assignee may open what was handed to them."""

import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse

from petitions.assignment import (
    FIRST,
    SECOND,
    second_take_next,
    section_assign,
    section_take_next,
)
from petitions.entry import (
    second_entry_sections,
    second_entry_start,
    sections_for,
)
from petitions.models import Line, Section
from petitions.selectors import sections_awaiting_second_entry
from petitions.services import petition_create
from recall.models import AuditAction, AuditEvent
from recall.roles import VOLUNTEER
from tests.conftest import _persona
from tests.scans.line_images import add_line_images, use_scans_dir


@pytest.fixture(autouse=True)
def _scans_dir(settings, monkeypatch, tmp_path):
    use_scans_dir(settings, monkeypatch, tmp_path)


@pytest.fixture
def petition(db):
    return petition_create(title="Recall the DA", slug="la-da", required=1000)


@pytest.fixture
def double(db):
    petition = petition_create(title="Recall the Assessor", slug="double", required=500)
    petition.double_entry = True
    petition.save(update_fields=["double_entry"])
    return petition


@pytest.fixture
def vicky(db):
    return _persona("vicky_volunteer", VOLUNTEER)


def scanned(petition, serial: int, lines: int = 2, **fields) -> Section:
    section = Section.objects.create(petition=petition, serial=serial, **fields)
    add_line_images(section, {n: f"Line {n}" for n in range(1, lines + 1)})
    return section


def key_all(section: Section, user, lines: int = 2) -> None:
    for number in range(1, lines + 1):
        Line.objects.create(petition=section.petition, section=section, number=number,
                            printed_name=f"Signer {number}", entered_by=user)  # fmt: skip


# The service ------------------------------------------------------------------------------


def test_next_takes_the_oldest_scanned_section_nobody_holds_or_started(
    petition, volunteer, vicky, organizer
):
    Section.objects.create(petition=petition, serial=1)  # paper only: no images
    keyed = scanned(petition, 2)
    key_all(keyed, organizer, 1)  # started by someone: not handed out
    held = scanned(petition, 3, assigned_to=vicky)
    oldest = scanned(petition, 4)
    newer = scanned(petition, 5)

    taken = section_take_next(user=volunteer, petition=petition)
    assert taken == oldest
    oldest.refresh_from_db()
    assert oldest.assigned_to == volunteer
    assert oldest.assigned_at is not None
    event = AuditEvent.objects.get(action=AuditAction.SECTION_ASSIGNED)
    assert event.target == "petition la-da: section 4"
    assert event.detail["to"] == volunteer.username
    assert event.detail["asked"] is True
    # Asking again with section 4 unfinished gives it back, not a second one.
    assert section_take_next(user=volunteer, petition=petition) == oldest
    # Once every imaged line of it is keyed, the next one.
    key_all(oldest, volunteer)
    assert section_take_next(user=volunteer, petition=petition) == newer
    key_all(newer, volunteer)
    assert section_take_next(user=volunteer, petition=petition) is None
    assert held.assigned_to == vicky


def test_an_assigned_section_opens_for_its_volunteer_only(petition, volunteer, vicky):
    section = scanned(petition, 7)
    assert not sections_for(volunteer, petition).filter(pk=section.pk).exists()
    section_take_next(user=volunteer, petition=petition)
    assert sections_for(volunteer, petition).filter(pk=section.pk).exists()
    assert sections_for(volunteer, "la-da").filter(pk=section.pk).exists()
    assert not sections_for(vicky, petition).filter(pk=section.pk).exists()


def test_two_volunteers_asking_while_one_holds_the_lock_get_different_sections(
    transactional_db, volunteer, vicky
):
    """The first request's transaction is still open (its row locked, its change not committed)
    when the second asks: the second skips the locked row, never waits for it or takes it."""
    petition = petition_create(title="Recall the DA", slug="la-da", required=1000)
    first, second = scanned(petition, 1), scanned(petition, 2)
    taken: dict[str, Section | None] = {}
    locked, done = threading.Event(), threading.Event()

    def holder() -> None:
        try:
            with transaction.atomic():
                taken["holder"] = section_take_next(user=volunteer, petition=petition)
                locked.set()
                assert done.wait(20)
        finally:
            connection.close()

    def asker() -> None:
        try:
            assert locked.wait(20)
            taken["asker"] = section_take_next(user=vicky, petition=petition)
        finally:
            done.set()
            connection.close()

    threads = [threading.Thread(target=holder), threading.Thread(target=asker)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert taken == {"holder": first, "asker": second}
    assert {s.serial: s.assigned_to_id for s in Section.objects.all()} == {
        1: volunteer.pk,
        2: vicky.pk,
    }


def test_many_volunteers_asking_at_once_each_get_their_own_section(transactional_db):
    petition = petition_create(title="Recall the DA", slug="la-da", required=1000)
    people = [_persona(f"keyer_{n}", VOLUNTEER) for n in range(4)]
    for serial in range(1, 4):  # three sections for four people
        scanned(petition, serial)
    start = threading.Barrier(len(people))
    taken: list[int | None] = []

    def ask(person) -> None:
        try:
            start.wait(20)
            section = section_take_next(user=person, petition=petition)
            taken.append(section.serial if section else None)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(taken, key=lambda s: s or 0) == [None, 1, 2, 3]
    holders = list(Section.objects.values_list("assigned_to", flat=True))
    assert len(set(holders)) == 3
    assert None not in holders


def test_second_entry_next_takes_a_finished_first_entry_by_someone_else(
    double, volunteer, vicky, organizer
):
    unfinished = scanned(double, 1, assigned_to=organizer)
    key_all(unfinished, organizer, 1)  # line 2 not keyed yet
    own = scanned(double, 2, assigned_to=volunteer)
    key_all(own, volunteer)
    other = scanned(double, 3, assigned_to=vicky)
    key_all(other, vicky)

    assert second_take_next(user=volunteer, petition=double) == other
    other.refresh_from_db()
    assert (other.second_assigned_to, other.second_entered_by) == (volunteer, volunteer)
    assert second_entry_sections(volunteer, double).filter(pk=other.pk).exists()
    # Vicky keyed section 3 first and the volunteer holds its second: only section 2 is left.
    assert second_take_next(user=vicky, petition=double) == own
    assert second_take_next(user=organizer, petition=double) is None


def test_the_first_keyer_of_an_assigned_section_never_keys_it_twice(double, volunteer, vicky):
    section = scanned(double, 1, assigned_to=volunteer)  # uploaded, so entered_by is nobody
    key_all(section, volunteer)
    assert not sections_awaiting_second_entry(volunteer, double).filter(pk=section.pk).exists()
    with pytest.raises(ValidationError, match="You keyed section 1"), transaction.atomic():
        second_entry_start(section=section, user=volunteer)
    assert second_take_next(user=volunteer, petition=double) is None
    # Handed to vicky for the second entry: nobody else takes it from the waiting list.
    section_assign(section_id=section.pk, entry=SECOND, volunteer=vicky, assigned_by=volunteer)
    assert not sections_awaiting_second_entry(volunteer, double).exists()
    assert second_entry_sections(vicky, double).filter(pk=section.pk).exists()


def test_assign_checks_the_volunteer_and_the_entry(double, petition, volunteer, organizer):
    section = scanned(double, 1, assigned_to=volunteer)
    with pytest.raises(ValidationError, match="keys the other entry of section 1"):
        section_assign(section_id=section.pk, entry=SECOND, volunteer=volunteer,
                       assigned_by=organizer)  # fmt: skip
    with pytest.raises(ValidationError, match="not an active volunteer"):
        section_assign(section_id=section.pk, entry=FIRST, volunteer=organizer,
                       assigned_by=organizer)  # fmt: skip
    once = scanned(petition, 2)
    with pytest.raises(ValidationError, match="keyed once"):
        section_assign(section_id=once.pk, entry=SECOND, volunteer=volunteer,
                       assigned_by=organizer)  # fmt: skip
    assert not AuditEvent.objects.filter(action=AuditAction.SECTION_ASSIGNED).exists()


# The pages --------------------------------------------------------------------------------


def test_an_organizer_assigns_and_unassigns_from_the_sections_list(
    client, petition, organizer, volunteer, vicky
):
    section = scanned(petition, 4)
    client.force_login(organizer)
    page = client.get(reverse("petitions:sections", args=["la-da"])).content.decode()
    assert 'id="assign-4-first"' in page
    assert "vicky_volunteer" in page
    assert "olga_organizer</option>" not in page  # volunteers only
    url = reverse("petitions:section_assign", args=["la-da", 4])
    response = client.post(url, {"entry": "first", "volunteer": vicky.pk}, follow=True)
    assert "Section 4 is assigned to vicky_volunteer." in response.content.decode()
    section.refresh_from_db()
    assert section.assigned_to == vicky
    # vicky may open it now; the volunteer may not.
    client.force_login(vicky)
    assert client.get(reverse("petitions:section", args=["la-da", 4])).status_code == 200
    client.force_login(volunteer)
    assert client.get(reverse("petitions:section", args=["la-da", 4])).status_code == 404
    client.force_login(organizer)
    response = client.post(url, {"entry": "first", "volunteer": [vicky.pk, ""]}, follow=True)
    assert "Section 4 is no longer assigned." in response.content.decode()
    section.refresh_from_db()
    assert section.assigned_to is None
    events = AuditEvent.objects.filter(action=AuditAction.SECTION_ASSIGNED).order_by("pk")
    assert [(e.username, e.detail["to"], e.detail["before"]) for e in events] == [
        ("olga_organizer", "vicky_volunteer", None), ("olga_organizer", None, "vicky_volunteer")
    ]  # fmt: skip


def test_bad_assignments_say_what_is_wrong(client, petition, organizer, volunteer):
    scanned(petition, 4)
    client.force_login(organizer)
    url = reverse("petitions:section_assign", args=["la-da", 4])
    for value in ("999999", "abc", str(organizer.pk)):
        response = client.post(url, {"entry": "first", "volunteer": value}, follow=True)
        assert response.status_code == 200
        assert "Section 4: that person is not an active volunteer" in response.content.decode()
    response = client.post(url, {"entry": "third", "volunteer": volunteer.pk}, follow=True)
    assert "Choose the first or the second entry." in response.content.decode()
    assert client.post(reverse("petitions:section_assign", args=["la-da", 5]),
                       {"volunteer": volunteer.pk}).status_code == 404  # fmt: skip
    assert client.get(url).status_code == 405


def test_a_volunteer_cannot_assign(client, petition, volunteer):
    scanned(petition, 4)
    client.force_login(volunteer)
    url = reverse("petitions:section_assign", args=["la-da", 4])
    assert client.post(url, {"volunteer": volunteer.pk}).status_code == 403
    assert Section.objects.get(serial=4).assigned_to is None


def test_key_the_next_from_home_opens_the_section_and_says_when_none_is_left(
    client, petition, volunteer
):
    section = scanned(petition, 9)
    client.force_login(volunteer)
    home = client.get(reverse("home")).content.decode()
    assert "Key the next scanned section" in home
    assert "1 scanned section waits for a keyer" in home
    url = reverse("petitions:section_next", args=["la-da"])
    response = client.post(url, {"from": "home"})
    assert response["Location"] == reverse("petitions:section", args=["la-da", 9])
    home = client.get(reverse("home")).content.decode()
    assert 'id="next-assigned-la-da"' in home
    assert reverse("petitions:section", args=["la-da", 9]) in home
    key_all(section, volunteer)
    response = client.post(url, {"from": "home"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "No scanned section is waiting for a keyer right now" in response.content.decode()
    response = client.post(url, follow=True)  # from the sections list: back to it
    assert response.redirect_chain[-1][0] == reverse("petitions:sections", args=["la-da"])
    assert client.get(url).status_code == 405


def test_no_key_next_on_a_petition_without_scans(client, petition, volunteer):
    Section.objects.create(petition=petition, serial=1, entered_by=volunteer)
    client.force_login(volunteer)
    assert "Key the next scanned section" not in client.get(reverse("home")).content.decode()
    sections = client.get(reverse("petitions:sections", args=["la-da"])).content.decode()
    assert "Key the next scanned section" not in sections


def test_second_next_opens_the_blind_entry(client, double, volunteer, vicky):
    section = scanned(double, 3, assigned_to=vicky)
    key_all(section, vicky)
    client.force_login(volunteer)
    page = client.get(reverse("petitions:sections", args=["double"])).content.decode()
    assert "Key the next scanned section a second time" in page
    response = client.post(reverse("petitions:second_next", args=["double"]))
    assert response["Location"] == reverse("petitions:second", args=["double", 3])
    page = client.get(response["Location"]).content.decode()
    assert "Signer 1" not in page  # blind: never the first entry's text
    response = client.post(reverse("petitions:second_line_add", args=["double", 3]), {
        "client_token": uuid.uuid4(), "printed_name": "Signer 1", "residence_address": "1 Main",
        "city": "", "zip": "", "signed": "on",
    })  # fmt: skip
    assert response.status_code == 302
    assert section.second_lines.get().entered_by == volunteer
