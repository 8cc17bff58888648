"""A reviewer's way back: the decision just made with its Undo, their recent decisions, the line's
own page with its section, and history in words."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from petitions.entry import LineInput, line_update
from petitions.models import Line, LineEvent, Petition, SecondEntry, Section
from recall.models import AuditEvent
from recall.roles import REVIEWER
from tests.conftest import _persona
from tests.petitions.helpers import ROLL, add, decided, validate
from tests.voters.factories import write_canonical

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def petition(tmp_path, volunteer):
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10)
    Section.objects.create(petition=petition, serial=1, entered_by=volunteer)
    return petition


def waiting(petition, *names: str) -> list[Line]:
    """Lines put in the review queue, as the matcher sends unsure ones."""
    lines = [add(petition, name, "12 Oak Ave", "Glendale") for name in names]
    validate(petition)
    Line.objects.filter(pk__in=[line.pk for line in lines]).update(
        status="needs_review", counted=False
    )
    return [decided(line) for line in lines]


def line_url(line: Line) -> str:
    return reverse("petitions:review_line", args=["test", line.pk])


QUEUE = reverse("petitions:review", args=["test"])
UNDO_BUTTON = 'data-key="u" id="decided-undo"'


def test_the_decision_just_made_offers_undo_back_to_the_queue(login, reviewer, petition):
    first, second = waiting(petition, "Robert Smithers", "Bob Smithers")
    client = login(reviewer)
    client.post(line_url(first), {"choice": "not_registered", "next": "queue"})
    event = LineEvent.objects.get(line=first, kind="reviewed")

    page = client.get(QUEUE).content.decode()
    assert f'data-line="{second.pk}"' in page  # the queue has moved on...
    assert 'data-decided-line="' + str(first.pk) in page  # ...and says what was decided
    assert "is now <strong>Not registered</strong>" in page
    assert reverse("petitions:undo", args=["test", event.pk]) in page
    assert UNDO_BUTTON in page
    assert '<input type="hidden" name="next" value="queue">' in page
    # U is the decision's undo alone: the shown line's own history has no key on the queue.
    assert page.count('data-key="u"') == 1

    response = client.post(reverse("petitions:undo", args=["test", event.pk]), {"next": "queue"})
    assert (response.status_code, response["Location"]) == (302, QUEUE)
    assert (decided(first).status, decided(first).counted) == ("needs_review", False)
    undo = LineEvent.objects.get(line=first, kind="undone")
    assert (undo.undoes, undo.user) == (event, reviewer)
    assert AuditEvent.objects.filter(action="line_undone", user=reviewer).count() == 1
    page = client.get(QUEUE).content.decode()
    assert "Undone: section 1 line 1 is back in the review queue." in page
    assert "is needs review" not in page
    assert 'id="decided"' not in page  # nothing left to undo
    assert "2 waiting" in page


def test_undo_from_a_lines_page_says_the_earlier_status_in_words(login, reviewer, petition):
    (line,) = waiting(petition, "Robert Smithers")
    client = login(reviewer)
    client.post(line_url(line), {"choice": "voter:BOB", "next": "line"})
    client.post(line_url(line), {"choice": "out_of_jurisdiction", "next": "line"})
    latest = LineEvent.objects.filter(line=line).latest("id")
    page = client.get(line_url(line)).content.decode()
    assert "is now <strong>Out of jurisdiction</strong>" in page
    assert f'action="{reverse("petitions:undo", args=["test", latest.pk])}"' in page
    assert 'name="next" value="queue"' not in page

    response = client.post(reverse("petitions:undo", args=["test", latest.pk]), follow=True)
    assert response.redirect_chain == [(line_url(line), 302)]
    body = response.content.decode()
    assert "Undone: section 1 line 1 has its earlier status again: Valid." in body
    assert decided(line).status == "valid"
    # History in words, never the stored codes.
    assert "· Needs review" in body
    assert "· Out of jurisdiction" in body
    assert "needs_review" not in body
    assert "out_of_jurisdiction</td>" not in body


def test_the_undo_offer_is_only_the_reviewers_own_latest_change(login, reviewer, volunteer,
                                                                petition):  # fmt: skip
    first, second = waiting(petition, "Robert Smithers", "Bob Smithers")
    client = login(reviewer)
    client.post(line_url(first), {"choice": "not_registered", "next": "line"})
    # Another line's page: U there is that line's own, not the decision made elsewhere.
    assert 'id="decided"' not in client.get(line_url(second)).content.decode()
    assert UNDO_BUTTON in client.get(QUEUE).content.decode()
    # Fixed by its keyer since: the reviewer's decision is no longer the latest change.
    line_update(line_id=first.pk, edited_by=volunteer,
                data=LineInput(printed_name="Robert Smithers", residence_address="14 Oak Ave",
                               city="Glendale"))  # fmt: skip
    assert 'id="decided"' not in client.get(QUEUE).content.decode()


def test_recent_decisions_are_the_reviewers_own_each_linking_to_its_line(
    login, reviewer, petition, django_assert_num_queries
):
    lines = waiting(petition, "Robert Smithers", "Bob Smithers", "Rob Smithers")
    other = _persona("rhea_reviewer", REVIEWER)
    login(other).post(line_url(lines[2]), {"choice": "incomplete"})
    client = login(reviewer)
    client.post(line_url(lines[0]), {"choice": "not_registered"})
    client.post(line_url(lines[1]), {"choice": "out_of_jurisdiction"})
    mine = list(LineEvent.objects.filter(user=reviewer).order_by("-id"))
    client.post(reverse("petitions:undo", args=["test", mine[0].pk]))

    url = reverse("petitions:review_decisions", args=["test"])
    with django_assert_num_queries(3):  # the user, the petition, the decisions with their lines
        page = client.get(url).content.decode()
    rows = page.split('<tr id="recent-')[1:]
    assert [row.split('"')[0] for row in rows] == [str(e.pk) for e in mine]  # newest first
    assert line_url(lines[1]) in rows[0]
    assert "Out of jurisdiction" in rows[0]
    assert "undone" in rows[0]
    assert line_url(lines[0]) in rows[1]
    assert "Not registered" in rows[1]
    assert "undone" not in rows[1]
    assert line_url(lines[2]) not in page  # someone else's
    queue = client.get(QUEUE).content.decode()
    assert f'href="{url}"' in queue
    assert f'id="recent-{mine[1].pk}"' in queue


def test_a_reviewer_reads_the_lines_section_without_a_link_that_refuses(
    login, reviewer, organizer, petition
):
    first, second = waiting(petition, "Robert Smithers", "Bob Smithers")
    section_url = reverse("petitions:section", args=["test", 1])
    queue = login(reviewer).get(QUEUE).content.decode()
    assert f'href="{line_url(first)}"' in queue  # the line's own page, from the queue
    page = login(reviewer).get(line_url(first)).content.decode()
    assert section_url not in page  # the entry page is a keyer's: 403 for a reviewer
    assert login(reviewer).get(section_url).status_code == 403
    assert 'href="#section-lines"' in page
    lines = page.split('id="section-lines"')[1]
    assert f'href="{line_url(second)}"' in lines
    assert "BOB SMITHERS" in lines or "Bob Smithers" in lines
    # The row labelled Signed is the line's signature; the voters' registration has its own.
    assert '<th>Signed</th><td id="line-signed">yes</td>' in page
    assert "<th>Registration</th>" in page
    organizers = login(organizer).get(line_url(first)).content.decode()
    assert f'href="{section_url}"' in organizers
    assert login(organizer).get(section_url).status_code == 200


def test_only_reviewers_see_decisions_and_only_by_get(client, login, volunteer, reviewer,
                                                      petition):  # fmt: skip
    url = reverse("petitions:review_decisions", args=["test"])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert "/accounts/login/" in client.get(url)["Location"]
    assert login(volunteer).get(url).status_code == 403
    assert login(reviewer).post(url).status_code == 405
    assert "No decision yet" in login(reviewer).get(url).content.decode()


def test_a_settled_transcription_offers_undo_too(login, reviewer, petition):
    (line,) = waiting(petition, "Robert Smithers")
    second = SecondEntry.objects.create(section=line.section, number=line.number,
                                        printed_name="Robert Smothers",
                                        residence_address="12 Oak Ave", agrees=False)  # fmt: skip
    client = login(reviewer)
    settle = reverse("petitions:transcription", args=["test", second.pk])
    client.post(settle, {"choice": "first"})
    event = LineEvent.objects.get(line=line, kind="transcription")
    page = client.get(QUEUE).content.decode()
    assert "· first transcription kept." in page
    assert f'action="{reverse("petitions:undo", args=["test", event.pk])}"' in page
    client.post(reverse("petitions:undo", args=["test", event.pk]), {"next": "queue"})
    second.refresh_from_db()
    assert second.resolved_at is None
    page = client.get(QUEUE).content.decode()
    assert "Undone: the two transcriptions of section 1 line 1 are back in the review" in page
