"""The permission matrix: every named URL, every role, the status each one gets.

A new page fails test_every_url_has_a_decision until it is entered in MATRIX: what each role
may do is decided for every URL, never left to a default. Anonymous users are sent to the login
page everywhere but the login page, /healthz and the icon (tests/recall/test_access.py).
"""

import pytest
from django.urls import reverse

from petitions.models import Line, LineEvent, Petition, SecondEntry, Section
from recall.roles import VOLUNTEER
from tests.conftest import _persona
from tests.recall.test_access import ALL_URLS, PUBLIC
from voters.models import VoterRoll

ROLES = ("outsider", "volunteer", "reviewer", "organizer", "admin")
EVERYONE = dict.fromkeys(ROLES, 200)


def only(*roles: str, ok: int = 200, **exceptions: int) -> dict[str, int]:
    """`ok` for these roles, 403 for the others; exceptions by role (object-level scoping)."""
    return {role: (ok if role in roles else 403) for role in ROLES} | exceptions


KEYERS = ("volunteer", "organizer", "admin")  # add and fix sections and lines
REVIEWERS = ("reviewer", "organizer", "admin")
ORGANIZERS = ("organizer", "admin")
POST_ONLY = 405  # the right role reaches the view, which takes POST only

MATRIX: dict[str, dict[str, int]] = {
    "home": EVERYONE,
    "logout": dict.fromkeys(ROLES, POST_ONLY),
    "password_change": EVERYONE,
    "password_change_done": EVERYONE,
    "petitions:list": only("volunteer", *REVIEWERS),
    "petitions:new": only(*ORGANIZERS),
    "petitions:sections": only(*KEYERS),
    "petitions:section_new": only(*KEYERS),
    "petitions:section": only(*KEYERS),
    "petitions:line_add": only(*KEYERS, ok=POST_ONLY),
    "petitions:line_edit": only(*KEYERS),
    "petitions:hint": only(*KEYERS),
    # The blind second entry is the second keyer's alone (here the volunteer's).
    "petitions:second": only(*KEYERS, organizer=404, admin=404),
    "petitions:second_start": only(*KEYERS, ok=POST_ONLY),
    "petitions:second_line_add": only(*KEYERS, ok=POST_ONLY),
    "petitions:review": only(*REVIEWERS),
    "petitions:review_line": only(*REVIEWERS),
    "petitions:review_skip": only(*REVIEWERS, ok=POST_ONLY),
    "petitions:transcription": only(*REVIEWERS, ok=POST_ONLY),
    "petitions:undo": only(*REVIEWERS, ok=POST_ONLY),
    "petitions:dashboard": only(*ORGANIZERS),
    "petitions:progress": only(*ORGANIZERS),
    "petitions:export": only(*ORGANIZERS),
    "petitions:signer_list": only(*ORGANIZERS),
    "petitions:double_entry": only(*ORGANIZERS, ok=POST_ONLY),
    "voters:roll-list": only("admin"),
    "voters:roll-import": only("admin"),
    "voters:roll-detail": only("admin"),
    "voters:roll-progress": only("admin"),
    "voters:roll-report": only("admin"),
    "voters:roll-cancel": only("admin", ok=POST_ONLY),
    "voters:roll-activate": only("admin", ok=POST_ONLY),
}


def test_every_url_has_a_decision():
    assert {name for name, _ in ALL_URLS if name not in PUBLIC} == set(MATRIX)


@pytest.fixture
def world(db, volunteer, reviewer, organizer, admin_user, tmp_path):
    """One of everything a URL can name, the volunteer's where ownership matters."""
    petition = Petition.objects.create(title="Sample", slug="sample", required_signatures=10,
                                       double_entry=True)  # fmt: skip
    section = Section.objects.create(petition=petition, serial=1, entered_by=volunteer,
                                     second_entered_by=volunteer)  # fmt: skip
    line = Line.objects.create(petition=petition, section=section, number=1, printed_name="A B",
                               residence_address="1 A St", status="needs_review")  # fmt: skip
    event = LineEvent.objects.create(line=line, petition=petition, kind="edited", user=volunteer)
    second = SecondEntry.objects.create(section=section, number=1, printed_name="A C",
                                        residence_address="1 A St", agrees=False)  # fmt: skip
    report = tmp_path / "roll.csv"
    report.write_text("voter_id\n")
    roll = VoterRoll.objects.create(source_name="roll.csv", source_path=str(report),
                                    state="failed", error="sample")  # fmt: skip
    kwargs = {"slug": "sample", "serial": 1, "number": 1, "line_id": line.pk, "pk": roll.pk,
              "second_id": second.pk, "event_id": event.pk, "status": "not_registered"}  # fmt: skip
    users = {"outsider": _persona("otto_no_role", VOLUNTEER), "volunteer": volunteer,
             "reviewer": reviewer, "organizer": organizer, "admin": admin_user}  # fmt: skip
    users["outsider"].groups.clear()
    return kwargs, users


@pytest.mark.parametrize(("name", "arguments"), [u for u in ALL_URLS if u[0] not in PUBLIC])
def test_each_role_gets_what_the_matrix_says(client, world, name, arguments):
    kwargs, users = world
    url = reverse(name, kwargs={key: kwargs[key] for key in arguments})
    got = {}
    for role, user in users.items():
        client.force_login(user)
        got[role] = client.get(url).status_code
    assert got == MATRIX[name]
