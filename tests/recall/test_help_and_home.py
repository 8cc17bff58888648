"""The help page (each role's how-to, the reader's first), the home page's next steps per role,
and list pages that say why they are empty and what to do."""

import re
from datetime import date

import pytest
from django.urls import reverse

from petitions.models import Line, Section
from petitions.services import petition_create
from voters.models import VoterRoll

pytestmark = pytest.mark.django_db

HOME = reverse("home")
HELP = reverse("help")


def text(response) -> str:
    """The page's words, tags and runs of white space collapsed."""
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html)


def section_ids(response) -> list[str]:
    return re.findall(r'<section class="mb-5" id="help-(\w+)"', response.content.decode())


@pytest.fixture
def petition(db):
    return petition_create(
        title="Recall the DA", slug="la-da", registration_base=5_668_570,
        approved_on=date(2022, 1, 27),
    )  # fmt: skip


def lines(petition, section, statuses):
    start = section.lines.count()
    Line.objects.bulk_create(
        Line(petition=petition, section=section, number=start + n, status=status,
             printed_name=f"Signer {start + n}")
        for n, status in enumerate(statuses, start=1)
    )  # fmt: skip


# The help page


@pytest.mark.parametrize(
    ("persona", "first"),
    [("volunteer", "volunteer"), ("reviewer", "reviewer"), ("organizer", "organizer"),
     ("admin_user", "admin")],
)  # fmt: skip
def test_help_puts_the_readers_role_first_then_the_others(request, login, persona, first):
    response = login(request.getfixturevalue(persona)).get(HELP)
    assert response.status_code == 200
    shown = section_ids(response)
    assert shown[0] == first
    assert sorted(shown) == ["admin", "organizer", "reviewer", "volunteer"]


def test_the_volunteers_help_says_what_to_do_the_keys_the_colours_and_who_to_ask(login, volunteer):
    page = text(login(volunteer).get(HELP))
    assert "You are a volunteer" in page
    for words in (
        "Start a section",  # what to do first
        "Alt + X save the line as blank or crossed out",  # the keys
        "Alt + ↑ fix the line above",
        "green Will likely count",  # what the hint's colours mean
        "grey Unsure: a reviewer will decide",
        "Within seconds a worker checks it against the voter roll",  # after saving
        "Your organizer: which sections to key",  # who to ask
        "After 15 minutes without activity",
    ):
        assert words in page


def test_the_reviewers_help_names_the_review_keys(login, reviewer):
    page = text(login(reviewer).get(HELP))
    assert "N O I not registered, out of county, incomplete" in page
    assert "S skip" in page


def test_the_admins_help_says_when_a_lock_ends(login, admin_user, settings):
    settings.LOGIN_LOCKOUT_MINUTES = 20
    assert "unlocks by itself after 20 minutes" in text(login(admin_user).get(HELP))


def test_someone_without_a_role_reads_every_roles_help_and_whom_to_ask(login, outsider):
    response = login(outsider).get(HELP)
    assert response.status_code == 200
    assert "You have no role yet: an admin gives you one" in text(response)
    assert section_ids(response) == ["volunteer", "reviewer", "organizer", "admin"]


def test_help_needs_a_login_and_takes_get_only(client, login, volunteer):
    assert client.get(HELP)["Location"].startswith(reverse("login"))
    assert login(volunteer).post(HELP).status_code == 405


@pytest.mark.parametrize("page", [HOME, HELP, reverse("petitions:list")])
def test_help_is_linked_from_the_navbar_of_every_page(login, volunteer, page):
    html = login(volunteer).get(page).content.decode()
    assert f'<a class="nav-link{" active" if page == HELP else ""}" href="{HELP}"' in html


def test_the_home_page_links_the_help(login, volunteer):
    assert f'href="{HELP}" id="help-link"' in login(volunteer).get(HOME).content.decode()


# The home page's next steps


def test_a_new_volunteer_is_told_to_start_a_section_and_whose_the_others_are(
    login, volunteer, organizer, petition
):
    for serial in (1, 2, 3):
        Section.objects.create(petition=petition, serial=serial, entered_by=organizer)
    response = login(volunteer).get(HOME)
    page = text(response)
    assert "Start a section take a paper section and type its serial number" in page
    assert "3 sections are other volunteers'" in page
    assert "Continue section" not in page
    assert reverse("petitions:section_new", args=["la-da"]) in response.content.decode()
    assert "Review" not in page  # not a volunteer's part
    assert "Dashboard" not in page


def test_a_volunteer_continues_the_section_they_keyed_last(login, volunteer, petition):
    older = Section.objects.create(petition=petition, serial=12, entered_by=volunteer)
    newer = Section.objects.create(petition=petition, serial=7, entered_by=volunteer)
    lines(petition, newer, ["valid"])
    lines(petition, older, ["valid", "pending"])  # keyed after section 7's line
    response = login(volunteer).get(HOME)
    page = text(response)
    assert "Continue section 12 2 lines keyed so far" in page
    assert "you have started 2" in page
    assert reverse("petitions:section", args=["la-da", 12]) in response.content.decode()


def test_a_volunteer_is_offered_sections_waiting_for_a_second_keyer(
    login, volunteer, organizer, petition
):
    petition.double_entry = True
    petition.save(update_fields=["double_entry"])
    Section.objects.create(petition=petition, serial=4, entered_by=organizer)
    Section.objects.create(petition=petition, serial=5, entered_by=volunteer)  # not their own
    page = text(login(volunteer).get(HOME))
    assert "Key a section a second time 1 waits for a second keyer" in page


def test_a_reviewer_is_told_how_many_lines_wait(login, reviewer, petition, organizer):
    section = Section.objects.create(petition=petition, serial=1, entered_by=organizer)
    lines(petition, section, ["needs_review", "needs_review", "valid", "pending"])
    response = login(reviewer).get(HOME)
    page = text(response)
    assert "Review 2 lines wait for review" in page
    assert reverse("petitions:review", args=["la-da"]) in response.content.decode()
    assert "Start a section" not in page


def test_a_reviewer_with_nothing_to_do_is_told_so(login, reviewer, petition):
    page = text(login(reviewer).get(HOME))
    assert "Nothing waits for review right now" in page


def test_an_organizer_gets_the_dashboard_review_and_sections(login, organizer, petition):
    response = login(organizer).get(HOME)
    page = text(response)
    assert "Dashboard progress towards 566,857 valid signatures" in page
    assert "Start a section" in page
    assert "Nothing waits for review right now" in page
    assert reverse("petitions:dashboard", args=["la-da"]) in response.content.decode()
    assert "other volunteers'" not in page  # an organizer sees every section


def test_an_organizer_without_a_petition_is_told_to_create_one(login, organizer):
    response = login(organizer).get(HOME)
    assert "No petition yet: start one with New petition" in text(response)
    assert reverse("petitions:new") in response.content.decode()


def test_a_volunteer_without_a_petition_is_told_to_wait_for_one(login, volunteer):
    page = text(login(volunteer).get(HOME))
    assert "No petition is open yet. An organizer creates it" in page
    assert "No voter roll is loaded yet" in page


def test_a_volunteer_is_not_told_of_a_missing_roll_when_one_is_active(login, volunteer, petition):
    VoterRoll.objects.create(source_name="la-2026.csv", state=VoterRoll.State.ACTIVE)
    page = text(login(volunteer).get(HOME))
    assert "Start a section" in page
    assert "No voter roll" not in page


def test_an_admin_is_told_to_import_a_roll_when_none_is_active(login, admin_user, petition):
    response = login(admin_user).get(HOME)
    assert "No voter roll is active." in text(response)
    assert reverse("voters:roll-import") in response.content.decode()


def test_an_admin_sees_the_active_roll(login, admin_user, petition):
    VoterRoll.objects.create(source_name="la-2026.csv", state=VoterRoll.State.ACTIVE,
                             rows_imported=6_000_123)  # fmt: skip
    page = text(login(admin_user).get(HOME))
    assert "Voter roll la-2026.csv is active (6,000,123 voters)" in page
    assert "Users : add a volunteer, give each person a role" in page


def test_someone_without_a_role_is_only_told_to_ask_an_admin(login, outsider, petition):
    page = text(login(outsider).get(HOME))
    assert "none yet (ask an admin to give you one)" in page
    assert "What to do next" not in page


def test_the_home_pages_queries_do_not_grow_with_the_sections(
    login, organizer, petition, django_assert_num_queries
):
    client = login(organizer)
    client.get(HOME)  # the session and permissions cached
    for count in (1, 30):
        for serial in range(Section.objects.count() + 1, count + 1):
            section = Section.objects.create(petition=petition, serial=serial,
                                             entered_by=organizer)  # fmt: skip
            lines(petition, section, ["valid", "needs_review"])
        # The session's user and role, the roll, the petitions, and per petition: its sections
        # counted, the latest, the review queue (lines, transcriptions).
        with django_assert_num_queries(8):
            response = client.get(HOME)
        assert f"Continue section {count}" in text(response)


# Empty states


def test_a_volunteers_empty_sections_say_whose_the_others_are(login, volunteer, organizer,
                                                              petition):  # fmt: skip
    for serial in range(1, 191):
        Section.objects.create(petition=petition, serial=serial, entered_by=organizer)
    response = login(volunteer).get(reverse("petitions:sections", args=["la-da"]))
    assert response.status_code == 200
    assert ("No section of yours yet: 190 sections are other volunteers'. Start one of your own "
            "with New section") in text(response)  # fmt: skip


def test_an_empty_section_list_says_how_to_start(login, volunteer, petition):
    page = text(login(volunteer).get(reverse("petitions:sections", args=["la-da"])))
    assert "No section yet: take a paper section of this petition and key it with New" in page


def test_an_organizers_empty_section_list_says_where_they_come_from(login, organizer, petition):
    page = text(login(organizer).get(reverse("petitions:sections", args=["la-da"])))
    assert "No section yet: volunteers' sections are listed here as they start them" in page


def test_empty_double_entry_lists_say_what_to_do(login, volunteer, organizer, petition):
    petition.double_entry = True
    petition.save(update_fields=["double_entry"])
    Section.objects.create(petition=petition, serial=1, entered_by=volunteer)
    page = text(login(volunteer).get(reverse("petitions:sections", args=["la-da"])))
    assert "Your second entries None yet." in page
    assert "None right now: every section someone else started has its second keyer" in page
    Section.objects.create(petition=petition, serial=2, entered_by=organizer)
    page = text(login(volunteer).get(reverse("petitions:sections", args=["la-da"])))
    assert "None yet: take one of the sections waiting below." in page


def test_an_empty_petition_list_tells_a_volunteer_whom_to_ask(login, volunteer):
    page = text(login(volunteer).get(reverse("petitions:list")))
    assert "No petition yet: an organizer creates it" in page
    assert "create_petition" not in page


def test_an_empty_petition_list_tells_an_organizer_how_to_start(login, organizer):
    response = login(organizer).get(reverse("petitions:list"))
    assert "No petition yet: start one with New petition" in text(response)


@pytest.mark.parametrize(
    ("statuses", "says"),
    [
        ([], "Nothing to review: no line of this petition has been keyed yet."),
        (["pending", "pending", "valid"], "Nothing to review right now: 2 lines are still being"),
        (["pending"], "Nothing to review right now: 1 line is still being checked"),
        (["valid", "duplicate"], "The review queue is empty: every line has a decision."),
    ],
)
def test_an_empty_review_queue_says_why(login, reviewer, organizer, petition, statuses, says):
    section = Section.objects.create(petition=petition, serial=1, entered_by=organizer)
    lines(petition, section, statuses)
    response = login(reviewer).get(reverse("petitions:review", args=["la-da"]))
    assert response.status_code == 200
    assert says in text(response)


def test_an_empty_roll_list_says_lines_wait_and_how_to_import(login, admin_user):
    response = login(admin_user).get(reverse("voters:roll-list"))
    page = text(response)
    assert "No voter roll imported yet, so the lines volunteers key are saved but not" in page
    assert "Start with Import a voter file" in page
    assert reverse("voters:roll-import") in response.content.decode()
