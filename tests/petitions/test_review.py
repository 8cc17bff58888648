"""Fixing lines, live hints, the review queue and blind double entry, against a small real roll."""

import uuid

import pytest
from django.urls import reverse

from petitions.entry import LineInput, line_update
from petitions.models import Line, LineEvent, Petition, SecondEntry, Section
from petitions.review import event_undo, line_decide
from recall.models import AuditEvent
from recall.roles import VOLUNTEER
from tests.conftest import _persona
from tests.petitions.helpers import ROLL, add, decided, validate
from tests.voters.factories import write_canonical

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def roll(tmp_path):
    from django.core.management import call_command

    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))


@pytest.fixture
def petition(roll, volunteer):
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10)
    Section.objects.create(petition=petition, serial=1, entered_by=volunteer)
    Section.objects.create(petition=petition, serial=2, entered_by=volunteer)
    return petition


def to_review(line: Line) -> Line:
    """A decided line sent to the review queue as the matcher sends unsure ones."""
    Line.objects.filter(pk=line.pk).update(status="needs_review", counted=False)
    return decided(line)


def review_url(line: Line) -> str:
    return reverse("petitions:review_line", args=[line.petition.slug, line.pk])


# Review ------------------------------------------------------------------------------------


def test_picking_a_candidate_counts_the_line_and_is_audited(login, reviewer, petition):
    line = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    validate(petition)
    line = to_review(line)
    client = login(reviewer)
    page = client.get(reverse("petitions:review", args=["test"]))
    assert page.status_code == 200
    body = page.content.decode()
    assert f'data-line="{line.pk}"' in body
    assert "ROBERT SMITHERS" in body
    assert 'id="queue-size">1 waiting' in body

    response = client.post(review_url(line), {"choice": "voter:BOB", "next": "queue"})
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:review", args=["test"])
    line = decided(line)
    assert (line.status, line.counted, line.voter_registrant_id) == ("valid", True, "BOB")
    assert line.reason["rule"] == "manual"
    event = LineEvent.objects.get(line=line)
    assert (event.kind, event.user, event.before["status"], event.after["status"]) == (
        "reviewed", reviewer, "needs_review", "valid",
    )  # fmt: skip
    queue = client.get(reverse("petitions:review", args=["test"])).content.decode()
    assert 'id="queue-empty"' in queue
    assert "1 decision in the last hour" in queue


def test_a_voter_already_counted_makes_the_pick_a_duplicate(reviewer, petition):
    first = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    second = add(petition, "Bob Smithers", "12 Oak Avenue", "Glendale", serial=2)
    validate(petition)
    second = to_review(second)
    line = line_decide(line_id=second.pk, choice="voter:BOB", reviewer=reviewer)
    assert (line.status, line.counted) == ("duplicate", False)
    assert "section 1 line 1" in line.reason["summary"]
    assert decided(first).counted


def test_a_voter_registered_elsewhere_is_a_different_address(reviewer, petition):
    line = add(petition, "Zebediah Quillfeather", "99 Other St", "Long Beach")
    validate(petition)
    assert decided(line).status == "address_mismatch"
    line = line_decide(line_id=to_review(line).pk, choice="voter:MOV", reviewer=reviewer)
    assert (line.status, line.counted, line.voter_registrant_id) == (
        "address_mismatch",
        False,
        "MOV",
    )


def test_reopening_a_counted_line_lets_the_voters_next_line_count_and_undo_restores(
    reviewer, petition
):
    first = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    second = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale", serial=2)
    validate(petition)
    assert (decided(first).counted, decided(second).status) == (True, "duplicate")

    line_decide(line_id=first.pk, choice="not_registered", reviewer=reviewer)
    assert (decided(first).status, decided(first).counted) == ("not_registered", False)
    assert (decided(second).status, decided(second).counted) == ("valid", True)

    event = LineEvent.objects.get(line=first, kind="reviewed")
    event_undo(event_id=event.pk, user=reviewer)
    # The voter is back on the first line's decision; still counted exactly once.
    assert (
        Line.objects.filter(petition=petition, voter_registrant_id="BOB", counted=True).count() == 1
    )
    assert decided(first).status in ("valid", "duplicate")
    undo = LineEvent.objects.get(line=first, kind="undone")
    assert (undo.undoes, undo.user) == (event, reviewer)
    with pytest.raises(Exception, match=r"cannot be undone|later changes"):
        event_undo(event_id=event.pk, user=reviewer)


def test_undo_puts_a_reviewed_line_back_in_the_queue(login, reviewer, petition):
    line = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    validate(petition)
    line = to_review(line)
    client = login(reviewer)
    client.post(review_url(line), {"choice": "voter:BOB"})
    event = LineEvent.objects.get(line=line)
    page = client.get(review_url(line)).content.decode()
    assert f'id="undo-{event.pk}"' in page
    response = client.post(reverse("petitions:undo", args=["test", event.pk]))
    assert response.status_code == 302
    line = decided(line)
    assert (line.status, line.counted) == ("needs_review", False)
    assert (
        client.get(reverse("petitions:review", args=["test"]))
        .content.decode()
        .count(f'data-line="{line.pk}"')
        == 1
    )


def test_the_review_page_shows_the_unit_each_candidate_is_registered_in(login, reviewer, petition):
    line = add(petition, "G Okafor", "900 Vermont Ave", "Los Angeles")
    validate(petition)
    line = to_review(line)
    assert "UNI" in {c["voter_id"] for c in line.reason["candidates"]}
    body = login(reviewer).get(review_url(line)).content.decode()
    assert "900 N VERMONT AVE #4B" in body


def test_a_pick_outside_the_candidates_is_refused_and_changes_nothing(login, reviewer, petition):
    line = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    validate(petition)
    line = to_review(line)
    client = login(reviewer)
    response = client.post(review_url(line), {"choice": "voter:CAN"}, follow=True)
    assert "Pick one of the line&#x27;s candidates" in response.content.decode()
    assert decided(line).status == "needs_review"
    assert not LineEvent.objects.exists()
    response = client.post(review_url(line), {"choice": ""}, follow=True)
    assert response.status_code == 200
    assert decided(line).status == "needs_review"


def test_the_queue_is_oldest_first_and_skip_moves_on(login, reviewer, petition):
    old = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    new = add(petition, "Grace Okafor", "900 Vermont Ave Apt 4B", "Los Angeles")
    validate(petition)
    old, new = to_review(old), to_review(new)
    client = login(reviewer)
    queue = reverse("petitions:review", args=["test"])
    assert f'data-line="{old.pk}"' in client.get(queue).content.decode()
    client.post(reverse("petitions:review_skip", args=["test", old.pk]))
    assert f'data-line="{new.pk}"' in client.get(queue).content.decode()
    client.post(reverse("petitions:review_skip", args=["test", new.pk]))
    # Only skipped lines are left: the queue goes round again.
    assert f'data-line="{old.pk}"' in client.get(queue).content.decode()


def test_only_reviewers_and_organizers_review(login, volunteer, organizer, petition):
    line = to_review(add(petition, "Robert Smithers", "12 Oak Ave", "Glendale"))
    client = login(volunteer)
    assert client.get(reverse("petitions:review", args=["test"])).status_code == 403
    assert client.post(review_url(line), {"choice": "not_registered"}).status_code == 403
    assert decided(line).status == "needs_review"
    client = login(organizer)
    assert client.get(reverse("petitions:review", args=["test"])).status_code == 200


# Fixing a saved line ------------------------------------------------------------------------


def test_a_fixed_line_is_validated_again_with_its_history(login, volunteer, petition):
    line = add(petition, "Robert Smithers", "12 Oak Av", "Glendale", entered_by=volunteer)
    validate(petition)
    client = login(volunteer)
    url = reverse("petitions:line_edit", args=["test", 1, line.number])
    assert client.get(url).status_code == 200
    response = client.post(url, {"printed_name": "Grace Okafor", "signed": "on",
                                 "residence_address": "900 Vermont Ave Apt 4B",
                                 "city": "Los Angeles", "zip": "90029"},
                           headers={"HX-Request": "true"})  # fmt: skip
    assert response.status_code == 200
    line = decided(line)
    assert (line.printed_name, line.status, line.counted) == ("Grace Okafor", "pending", False)
    event = LineEvent.objects.get(line=line)
    assert (event.kind, event.user, event.before["printed_name"]) == (
        "edited", volunteer, "Robert Smithers",
    )  # fmt: skip
    assert event.before["status"] == "valid"
    validate(petition)
    assert (decided(line).status, decided(line).voter_registrant_id) == ("valid", "UNI")
    history = client.get(url).content.decode()
    assert "Robert Smithers" in history
    assert "Edited" in history


def test_fixing_a_counted_line_lets_the_voters_other_line_count(volunteer, petition):
    first = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    second = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale", serial=2)
    validate(petition)
    grace = LineInput("Grace Okafor", "900 Vermont Ave Apt 4B", "Los Angeles")
    line_update(line_id=first.pk, edited_by=volunteer, data=grace)
    assert (decided(second).status, decided(second).counted) == ("valid", True)
    validate(petition)
    assert Line.objects.filter(petition=petition, counted=True).count() == 2


def test_an_invalid_fix_is_refused_on_its_field_and_keeps_the_line(login, volunteer, petition):
    line = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale", entered_by=volunteer)
    client = login(volunteer)
    url = reverse("petitions:line_edit", args=["test", 1, line.number])
    response = client.post(url, {"printed_name": "Bob", "residence_address": "12 Oak Ave",
                                 "zip": "9x"}, headers={"HX-Request": "true"})  # fmt: skip
    assert response.status_code == 422
    assert "is not a ZIP code" in response.content.decode()
    assert decided(line).printed_name == "Robert Smithers"
    assert not LineEvent.objects.exists()


def test_a_volunteer_cannot_fix_another_volunteers_line(login, petition):
    other = _persona("val_other", VOLUNTEER)
    line = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    client = login(other)
    url = reverse("petitions:line_edit", args=["test", 1, line.number])
    assert client.get(url).status_code == 404
    assert client.post(url, {"printed_name": "X", "residence_address": "1 A St"}).status_code == 404
    assert decided(line).printed_name == "Robert Smithers"


def test_an_organizer_fixes_any_volunteers_line(login, organizer, petition):
    line = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    client = login(organizer)
    url = reverse("petitions:line_edit", args=["test", 1, line.number])
    response = client.post(url, {"printed_name": "Robert Smithers", "signed": "on",
                                 "residence_address": "12 Oak Avenue"})  # fmt: skip
    assert response.status_code == 302
    assert decided(line).residence_address == "12 Oak Avenue"
    assert LineEvent.objects.get(line=line).user == organizer


# Live hints --------------------------------------------------------------------------------


def hint(client, serial=1, **fields):
    data = {"printed_name": "", "residence_address": "", "city": "", "zip": "", "signed": "on",
            **fields}  # fmt: skip
    return client.get(reverse("petitions:hint", args=["test", serial]), data)


def test_the_hint_says_whether_a_line_will_count(login, volunteer, petition):
    client = login(volunteer)
    response = hint(client, printed_name="Robert Smithers", residence_address="12 Oak Ave",
                    city="Glendale")  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-outcome="counts"' in body
    assert "ROBERT SMITHERS" in body
    assert "12 N OAK AVE · GLENDALE" in body
    assert "BOB" not in body  # no voter id, birth date or party: name, street and city only
    add(petition, "Robert Smithers", "12 Oak Ave", "Glendale", serial=2)
    validate(petition)
    body = hint(client, printed_name="Bob Smithers", residence_address="12 Oak Ave",
                city="Glendale").content.decode()  # fmt: skip
    assert 'data-outcome="already_signed"' in body
    assert "section 2 line 1" in body
    body = hint(client, printed_name="Nobody Atall", residence_address="12 Oak Ave",
                city="Glendale").content.decode()  # fmt: skip
    assert 'data-outcome="not_found"' in body
    body = hint(client, printed_name="Zebediah Quillfeather", residence_address="5 Main St",
                city="Los Angeles").content.decode()  # fmt: skip
    assert 'data-outcome="other_address"' in body
    assert hint(client, printed_name="Robert").content.decode().strip() == ""


def test_a_volunteer_never_sees_a_voters_id_birth_date_or_party(login, volunteer, petition):
    add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    add(petition, "Zebediah Quillfeather", "1200 Main St", "Long Beach")
    validate(petition)
    client = login(volunteer)
    pages = [
        client.get(reverse("petitions:section", args=["test", 1])),
        hint(client, printed_name="Robert Smithers", residence_address="12 Oak Ave"),
        hint(client, printed_name="Zebediah Quillfeather", residence_address="1200 Main St"),
    ]
    body = "".join(page.content.decode() for page in pages)
    # Not even where the voter is registered: a name saved at a made-up address would tell it.
    assert "registered at another address" in body
    assert "PINE" not in body
    for secret in ("BOB", "MOV", "1980-05-17", "1980", "DEM", "9001234"):
        assert secret not in body, secret
    # No page lists voters: the roll pages are the admins'.
    assert client.get(reverse("voters:roll-list")).status_code == 403


def test_hints_are_limited_per_user(login, volunteer, petition, settings):
    settings.VOTER_LOOKUPS_PER_MINUTE = 2
    client = login(volunteer)
    fields = {"printed_name": "Robert Smithers", "residence_address": "12 Oak Ave"}
    assert [hint(client, **fields).status_code for _ in range(3)] == [200, 200, 429]
    assert "Too many voter look-ups" in hint(client, **fields).content.decode()
    # Saving lines is not limited.
    token = str(uuid.uuid4())
    response = client.post(reverse("petitions:line_add", args=["test", 1]),
                           {**fields, "client_token": token, "signed": "on"})  # fmt: skip
    assert response.status_code == 302


def test_unusual_lookup_volume_is_flagged_to_admins(login, volunteer, admin_user, petition,
                                                    settings):  # fmt: skip
    settings.VOTER_LOOKUPS_PER_MINUTE = 3
    settings.VOTER_LOOKUPS_FLAG_PER_DAY = 2
    client = login(volunteer)
    fields = {"printed_name": "Robert Smithers", "residence_address": "12 Oak Ave"}
    assert [hint(client, **fields).status_code for _ in range(5)] == [200, 200, 200, 429, 429]
    flags = AuditEvent.objects.filter(action="lookup_flag").order_by("id")
    # Once for passing the day's level, once (not twice) for going over the minute's limit.
    assert [(e.user, e.detail["reason"]) for e in flags] == [
        (volunteer, "over 2 look-ups today"), (volunteer, "over 3 look-ups a minute"),
    ]  # fmt: skip
    # Admins see it on their start page, with the way to the audit log; volunteers do not.
    assert 'id="lookup-flags"' not in client.get(reverse("home")).content.decode()
    body = login(admin_user).get(reverse("home")).content.decode()
    assert "<strong>2</strong> flags in the last 7 days" in body
    assert "/audit/?action=lookup_flag" in body


def test_a_name_at_a_made_up_address_does_not_tell_where_the_voter_lives(login, volunteer,
                                                                          petition):  # fmt: skip
    body = hint(login(volunteer), printed_name="Zebediah Quillfeather",
                residence_address="5 Main St", city="Los Angeles").content.decode()  # fmt: skip
    assert 'data-outcome="other_address"' in body
    for shown in ("QUILLFEATHER", "PINE", "LONG BEACH", "31 "):
        assert shown not in body, shown


def test_a_made_up_name_at_a_real_address_lists_nobody_who_lives_there(login, volunteer,
                                                                        petition):  # fmt: skip
    client = login(volunteer)
    # Nobody there of that name, nor of its surname: not found, and no resident named.
    body = hint(client, printed_name="Nobody Atall", residence_address="8048 Foothill Blvd",
                city="Pomona").content.decode()  # fmt: skip
    assert 'data-outcome="not_found"' in body
    assert "MASON" not in body
    assert "FOOTHILL" not in body
    # The right name and street in another of the county's cities: not where that voter lives.
    body = hint(client, printed_name="Mark Mason", residence_address="8048 Foothill Blvd",
                city="Glendale").content.decode()  # fmt: skip
    assert "POMONA" not in body
    # The household's surname with a given name none of them has: still nobody listed.
    body = hint(client, printed_name="Zed Mason", residence_address="8048 Foothill Blvd",
                city="Pomona").content.decode()  # fmt: skip
    assert "MICHELLE" not in body
    assert "MARK" not in body


def test_the_hint_shows_the_voters_the_typed_line_may_be(login, volunteer, petition):
    client = login(volunteer)
    # An initial shared by two of the household: both may be the signer, and only they.
    body = hint(client, printed_name="M Mason", residence_address="8048 Foothill Blvd",
                city="Pomona").content.decode()  # fmt: skip
    assert "MICHELLE MASON · 8048 N FOOTHILL BLVD · POMONA" in body
    assert "MARK MASON · 8048 N FOOTHILL BLVD · POMONA" in body
    body = hint(client, printed_name="Mark Mason", residence_address="8048 Foothill Blvd",
                city="Pomona").content.decode()  # fmt: skip
    assert 'data-outcome="counts"' in body
    assert "MARK MASON" in body
    assert "MICHELLE" not in body


def test_past_the_days_cap_hints_pause_and_the_flag_is_kept(login, volunteer, petition,
                                                             settings):  # fmt: skip
    settings.VOTER_LOOKUPS_FLAG_PER_DAY = 2
    settings.VOTER_LOOKUPS_MAX_PER_DAY = 3
    client = login(volunteer)
    fields = {"printed_name": "Robert Smithers", "residence_address": "12 Oak Ave"}
    responses = [hint(client, **fields) for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429, 429]
    body = responses[-1].content.decode()
    assert 'data-outcome="paused"' in body
    assert "paused for today" in body
    assert "ROBERT" not in body
    flags = AuditEvent.objects.filter(action="lookup_flag")
    assert [e.detail["reason"] for e in flags] == ["over 2 look-ups today"]


def test_line_changes_and_decisions_are_in_the_audit_log(reviewer, volunteer, petition):
    line = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    validate(petition)
    line_update(line_id=line.pk, edited_by=volunteer,
                data=LineInput(printed_name="Robert Smithers", residence_address="14 Oak Ave",
                               city="Glendale"))  # fmt: skip
    validate(petition)
    line = to_review(line)
    line_decide(line_id=line.pk, choice="not_registered", reviewer=reviewer)
    event_undo(event_id=LineEvent.objects.filter(line=line).latest("id").pk, user=reviewer)
    events = list(AuditEvent.objects.filter(action__startswith="line_").order_by("id"))
    assert [(e.action, e.user) for e in events] == [
        ("line_edited", volunteer), ("line_reviewed", reviewer), ("line_undone", reviewer),
    ]  # fmt: skip
    assert {e.target for e in events} == {"petition test: section 1 line 1"}
    edited, reviewed, _ = events
    assert (
        edited.detail["before"]["residence_address"],
        edited.detail["after"]["residence_address"],
    ) == ("12 Oak Ave", "14 Oak Ave")
    assert (reviewed.detail["before"]["status"], reviewed.detail["after"]["status"]) == (
        "needs_review", "not_registered",
    )  # fmt: skip


# Blank lines -------------------------------------------------------------------------------


def test_a_blank_line_is_kept_in_its_place_and_never_validated(login, volunteer, petition):
    client = login(volunteer)
    url = reverse("petitions:line_add", args=["test", 1])
    response = client.post(url, {"printed_name": "scribble", "blank": "on",
                                 "client_token": str(uuid.uuid4())},
                           headers={"HX-Request": "true"})  # fmt: skip
    assert response.status_code == 200
    line = Line.objects.get(petition=petition)
    assert (line.number, line.status, line.printed_name) == (1, "blank", "")
    validate(petition)
    assert decided(line).status == "blank"


# Blind double entry -------------------------------------------------------------------------


def test_double_entry_sends_disagreements_to_review(login, volunteer, reviewer, petition):
    petition.double_entry = True
    petition.save(update_fields=["double_entry"])
    first = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    add(petition, "Grace Okafor", "900 Vermont Ave", "Los Angeles")
    second_keyer = _persona("val_second", VOLUNTEER)
    client = login(second_keyer)
    offer = client.post(reverse("petitions:section_new", args=["test"]), {"serial": 1})
    assert 'id="second-offer"' in offer.content.decode()
    assert client.post(reverse("petitions:second_start", args=["test", 1])).status_code == 302
    page = client.get(reverse("petitions:second", args=["test", 1])).content.decode()
    assert "Robert Smithers" not in page  # blind: the first entry is not shown
    url = reverse("petitions:second_line_add", args=["test", 1])
    for name, address in (("ROBERT  SMITHERS", "12 Oak Ave."), ("Grace Okafar", "900 Vermont Ave")):
        client.post(url, {"printed_name": name, "residence_address": address,
                          "city": "Glendale" if name.startswith("R") else "Los Angeles",
                          "signed": "on", "client_token": str(uuid.uuid4())})  # fmt: skip
    agrees = dict(SecondEntry.objects.values_list("number", "agrees"))
    assert agrees == {1: True, 2: False}

    # The first keyer cannot be the second; the queue shows both versions side by side.
    assert (
        login(volunteer).post(reverse("petitions:second_start", args=["test", 2])).status_code
        == 302
    )
    assert not Section.objects.filter(serial=2, second_entered_by__isnull=False).exists()
    client = login(reviewer)
    queue = client.get(reverse("petitions:review", args=["test"])).content.decode()
    assert 'id="transcriptions"' in queue
    assert "Grace Okafar" in queue
    assert "Grace Okafor" in queue
    disagreement = SecondEntry.objects.get(number=2)
    client.post(reverse("petitions:transcription", args=["test", disagreement.pk]),
                {"choice": "second"})  # fmt: skip
    line = Line.objects.get(section__serial=1, number=2)
    assert (line.printed_name, line.status) == ("Grace Okafar", "pending")
    assert list(line.events.values_list("kind", flat=True)) == ["edited", "transcription"]
    assert (
        'id="queue-empty"'
        in client.get(reverse("petitions:review", args=["test"])).content.decode()
    )
    assert decided(first).printed_name == "Robert Smithers"


def test_an_organizer_requires_double_entry_and_volunteers_find_sections_to_key(
    login, volunteer, organizer, petition
):
    toggle = reverse("petitions:double_entry", args=["test"])
    assert login(volunteer).post(toggle, {"required": "on"}).status_code == 403
    assert login(organizer).post(toggle, {"required": "on"}).status_code == 302
    petition.refresh_from_db()
    assert petition.double_entry

    other = _persona("val_other", VOLUNTEER)
    Section.objects.create(petition=petition, serial=3, entered_by=other)
    page = login(volunteer).get(reverse("petitions:sections", args=["test"])).content.decode()
    assert 'id="section-1"' in page
    assert 'id="section-3"' not in page  # not theirs...
    assert "Key section 3" in page  # ...but waiting for a second, blind keying
    assert "Key section 1" not in page  # never their own
    everything = login(organizer).get(reverse("petitions:sections", args=["test"]))
    assert 'id="section-3"' in everything.content.decode()
    login(organizer).post(toggle, {})
    login(organizer).post(toggle, {})  # already off: not a change
    petition.refresh_from_db()
    assert not petition.double_entry
    changes = AuditEvent.objects.filter(action="petition_changed").order_by("id")
    assert [(e.username, e.target, e.detail) for e in changes] == [
        (organizer.username, "petition test", {"before": {"double_entry": False},
                                              "after": {"double_entry": True}}),
        (organizer.username, "petition test", {"before": {"double_entry": True},
                                              "after": {"double_entry": False}}),
    ]  # fmt: skip


def test_the_poller_gets_only_the_rows_decided_since(login, volunteer, petition):
    first = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    add(petition, "Nobody Atall", "1 Nowhere St", "Pasadena")
    client = login(volunteer)
    url = reverse("petitions:section", args=["test", 1])
    ask = lambda pending: client.get(url, {"part": "decided", "pending": pending},  # noqa: E731
                                     headers={"HX-Request": "true"})  # fmt: skip
    assert ask("1,2").status_code == 204  # nothing decided yet: no rendering at all
    Line.objects.filter(pk=first.pk).update(status="valid", counted=True)
    body = ask("1,2,x,99999,-1").content.decode()
    assert body.count("<tr id=") == 1
    assert '<tr id="line-1" data-status="valid" hx-swap-oob="true">' in body
    assert 'id="section-totals" hx-swap-oob="true"' in body
    assert "Valid: 1" in body
    assert ask("2").status_code == 204
    assert ask("").status_code == 204


def test_the_blind_second_entry_page_asks_for_no_hint(login, volunteer, petition):
    petition.double_entry = True
    petition.save(update_fields=["double_entry"])
    add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    client = login(_persona("val_second", VOLUNTEER))
    assert client.post(reverse("petitions:second_start", args=["test", 1])).status_code == 302
    hint_url = reverse("petitions:hint", args=["test", 1])
    for url in (reverse("petitions:second", args=["test", 1]),
                reverse("petitions:second", args=["test", 1]) + "?part=form"):  # fmt: skip
        page = client.get(url, headers={"HX-Request": "true"}).content.decode()
        assert 'id="line-entry"' in page
        assert hint_url not in page
        assert 'id="hint"' not in page
    # The first keyer's own page still has its hint.
    first = login(volunteer).get(reverse("petitions:section", args=["test", 1])).content.decode()
    assert hint_url in first


def test_a_keyers_fix_sends_a_hand_decided_line_back_to_review(login, volunteer, reviewer,
                                                                 petition, tmp_path):  # fmt: skip
    from django.core.management import call_command

    from petitions.tasks import revalidate_after_roll_change

    line = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale", entered_by=volunteer)
    validate(petition)
    line = line_decide(line_id=to_review(line).pk, choice="not_registered", reviewer=reviewer)
    client = login(volunteer)
    url = reverse("petitions:line_edit", args=["test", 1, line.number])
    response = client.post(url, {"printed_name": "Grace Okafor", "signed": "on",
                                 "residence_address": "900 Vermont Ave Apt 4B",
                                 "city": "Los Angeles", "zip": "90029"},
                           headers={"HX-Request": "true"})  # fmt: skip
    assert response.status_code == 200
    validate(petition)  # a worker does not decide it in the reviewer's place
    line = decided(line)
    assert (line.printed_name, line.status, line.counted) == ("Grace Okafor", "needs_review", False)
    assert line.reason["hand_decision"]["status"] == "not_registered"
    assert "UNI" in {c["voter_id"] for c in line.reason["candidates"]}  # for the new text
    # Both versions in the history: the reviewer's decision before, the keyer's text after.
    event = line.events.get(kind="edited")
    assert (event.before["status"], event.before["printed_name"]) == (
        "not_registered", "Robert Smithers",
    )  # fmt: skip
    assert (event.after["status"], event.after["printed_name"]) == ("needs_review", "Grace Okafor")
    # A roll change leaves it to the reviewer too.
    call_command("import_voters", str(write_canonical(tmp_path / "new.csv", ROLL)))
    revalidate_after_roll_change()
    validate(petition)
    assert decided(line).status == "needs_review"
    queue = login(reviewer).get(reverse("petitions:review", args=["test"])).content.decode()
    assert f'data-line="{line.pk}"' in queue
    line = line_decide(line_id=line.pk, choice="voter:UNI", reviewer=reviewer)
    assert (line.status, line.counted, line.voter_registrant_id) == ("valid", True, "UNI")


def test_a_settled_transcription_changes_only_through_review(login, volunteer, reviewer,
                                                             petition):  # fmt: skip
    petition.double_entry = True
    petition.save(update_fields=["double_entry"])
    line = add(petition, "Grace Okafor", "900 Vermont Ave", "Los Angeles", entered_by=volunteer)
    second_keyer = _persona("val_second", VOLUNTEER)
    Section.objects.filter(serial=1).update(second_entered_by=second_keyer)
    second = SecondEntry.objects.create(
        section=line.section, number=line.number, printed_name="Grace Okafar",
        residence_address="900 Vermont Ave", city="Los Angeles", entered_by=second_keyer,
        agrees=False,
    )  # fmt: skip
    from petitions.entry import transcription_choose

    transcription_choose(second_id=second.pk, choice="second", reviewer=reviewer)
    assert decided(line).printed_name == "Grace Okafar"

    client = login(volunteer)
    url = reverse("petitions:line_edit", args=["test", 1, line.number])
    response = client.post(url, {"printed_name": "Grace Okafor", "signed": "on",
                                 "residence_address": "900 Vermont Ave",
                                 "city": "Los Angeles", "zip": ""},
                           headers={"HX-Request": "true"})  # fmt: skip
    assert response.status_code == 422
    assert "changes only through review" in response.content.decode()
    assert decided(line).printed_name == "Grace Okafar"
    assert list(line.events.values_list("kind", flat=True)) == ["edited", "transcription"]
    # A reviewer reopens it from the history (newest first): the disagreement is open again.
    event_undo(event_id=line.events.get(kind="transcription").pk, user=reviewer)
    event_undo(event_id=line.events.get(kind="edited").pk, user=reviewer)
    second.refresh_from_db()
    assert (decided(line).printed_name, second.resolved_at, second.agrees) == (
        "Grace Okafor", None, False,
    )  # fmt: skip


def test_a_blank_line_stays_blank_through_import_review_and_undo(
    login, volunteer, reviewer, petition, tmp_path
):
    from django.core.exceptions import ValidationError

    from petitions.progress import status_counts
    from petitions.services import signatures_import

    client = login(volunteer)
    client.post(reverse("petitions:line_add", args=["test", 1]),
                {"printed_name": "", "residence_address": "", "city": "", "zip": "",
                 "blank": "on", "client_token": str(uuid.uuid4())})  # fmt: skip
    blank = Line.objects.get(section__serial=1, number=1)
    assert blank.status == "blank"
    # An import into the same section leaves the stored line alone; its validation skips it.
    path = tmp_path / "s.csv"
    path.write_text("section,line,printed_name,residence_address,city\n"
                    "1,2,Robert Smithers,12 Oak Ave,Glendale\n")  # fmt: skip
    assert signatures_import(petition=petition, path=path).lines_created == 1
    validate(petition)
    assert decided(blank).status == "blank"
    counts = status_counts(petition)
    # Review: nothing to decide on a blank line.
    with pytest.raises(ValidationError, match="nothing to decide"):
        line_decide(line_id=blank.pk, choice="incomplete", reviewer=reviewer)
    # A fix typed by mistake, undone: blank again, never validated in between or after.
    line_update(line_id=blank.pk, data=LineInput(printed_name="Robert Smithers",
                residence_address="12 Oak Ave"), edited_by=volunteer)  # fmt: skip
    event_undo(event_id=blank.events.get().pk, user=reviewer)
    validate(petition)
    blank = decided(blank)
    assert (blank.status, blank.validated_at, blank.printed_name) == ("blank", None, "")
    assert status_counts(petition) == counts
