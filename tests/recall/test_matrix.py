"""The permission matrix: every named URL, every role, the status each one gets.

A new page fails test_every_url_has_a_decision until it is entered in MATRIX: what each role
may do is decided for every URL, never left to a default. Anonymous users are sent to the login
page everywhere but the login page, /healthz and the icon (tests/recall/test_access.py).
"""

from datetime import date

import numpy as np
import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from petitions.models import (
    Circulator,
    Line,
    LineEvent,
    PayEntry,
    Petition,
    RegistrarResult,
    SecondEntry,
    Section,
)
from recall.models import AuditEvent
from recall.roles import VOLUNTEER
from scans.imaging import encode_jpeg
from scans.models import LineImage, ScanPage, ScanUpload, scans_storage
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
    "help": EVERYONE,
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
    # Scanned sections: a keyer asks for the next one; an organizer hands one out.
    "petitions:section_next": only(*KEYERS, ok=POST_ONLY),
    "petitions:second_next": only(*KEYERS, ok=POST_ONLY),
    "petitions:section_assign": only(*ORGANIZERS, ok=POST_ONLY),
    "petitions:review": only(*REVIEWERS),
    "petitions:review_line": only(*REVIEWERS),
    "petitions:review_decisions": only(*REVIEWERS),
    "petitions:review_skip": only(*REVIEWERS, ok=POST_ONLY),
    "petitions:transcription": only(*REVIEWERS, ok=POST_ONLY),
    "petitions:undo": only(*REVIEWERS, ok=POST_ONLY),
    "petitions:dashboard": only(*ORGANIZERS),
    "petitions:calibration": only(*ORGANIZERS),
    "petitions:progress": only(*ORGANIZERS),
    # The 30-day reports by county (EC 11104), a page and its CSV: counts, no signer.
    "petitions:reports": only(*ORGANIZERS),
    "petitions:reports_csv": only(*ORGANIZERS),
    "petitions:export": only(*ORGANIZERS),
    "petitions:signer_list": only(*ORGANIZERS),
    "petitions:double_entry": only(*ORGANIZERS, ok=POST_ONLY),
    # The office's last vote by county (the five-county rule): a form for organizers.
    "petitions:county_votes": only(*ORGANIZERS),
    # After filing: the registrar's results beside ours, importing them, the challenge list
    # (a page, and a CSV of signers: exported, so recorded).
    "petitions:registrar": only(*ORGANIZERS),
    "petitions:registrar_import": only(*ORGANIZERS),
    "petitions:registrar_withdraw": only(*ORGANIZERS),
    "petitions:registrar_challenges": only(*ORGANIZERS),
    "petitions:registrar_challenges_csv": only(*ORGANIZERS),
    # Suspect sections (issue 21): the list and its CSV to organizers; holding, releasing and
    # filing sections, POST only.
    "petitions:suspects": only(*ORGANIZERS),
    "petitions:suspects_csv": only(*ORGANIZERS),
    "petitions:section_hold": only(*ORGANIZERS, ok=POST_ONLY),
    "petitions:section_release": only(*ORGANIZERS, ok=POST_ONLY),
    "petitions:sections_file": only(*ORGANIZERS, ok=POST_ONLY),
    # Scans: a section's images to its keyers (the volunteer's section here) and to reviewers,
    # organizers and admins, 404 to anyone else (as for the section); uploading to the section's
    # keyers; the petition's scans, its layout and bulk upload to organizers.
    "scans:line_image": only("volunteer", *REVIEWERS, outsider=404),
    "scans:page_image": only("volunteer", *REVIEWERS, outsider=404),
    # An upload's progress: its uploader (the volunteer here) and organizers.
    "scans:upload_detail": only("volunteer", *ORGANIZERS, outsider=404, reviewer=404),
    "scans:upload_progress": only("volunteer", *ORGANIZERS, outsider=404, reviewer=404),
    "scans:upload": only(*ORGANIZERS),
    "scans:section_upload": only(*KEYERS, ok=POST_ONLY),
    "scans:section_scans": only(*KEYERS, "reviewer", outsider=404),
    "scans:petition": only(*ORGANIZERS),
    "scans:layout": only(*ORGANIZERS),
    # No layout is marked yet: nothing to show.
    "scans:layout_reference": only(*ORGANIZERS, organizer=404, admin=404),
    "scans:layout_sample": only(*ORGANIZERS),
    "scans:page": only(*ORGANIZERS),
    "scans:page_remove": only(*ORGANIZERS, ok=POST_ONLY),
    # Circulators (campaign-wide): their pages, contact and pay terms, merges, pay periods.
    "circulators:list": only(*ORGANIZERS),
    "circulators:detail": only(*ORGANIZERS),
    "circulators:edit": only(*ORGANIZERS, ok=POST_ONLY),
    "circulators:shift": only(*ORGANIZERS, ok=POST_ONLY),
    "circulators:ledger": only(*ORGANIZERS),
    "circulators:merge": only(*ORGANIZERS),
    "circulators:merge_do": only(*ORGANIZERS, ok=POST_ONLY),
    "circulators:merge_dismiss": only(*ORGANIZERS, ok=POST_ONLY),
    "circulators:pay": only(*ORGANIZERS),
    "circulators:pay_close": only(*ORGANIZERS, ok=POST_ONLY),
    "circulators:pay_csv": only(*ORGANIZERS),
    "voters:roll-list": only("admin"),
    "voters:roll-import": only("admin"),
    "voters:roll-detail": only("admin"),
    "voters:roll-progress": only("admin"),
    "voters:roll-report": only("admin"),
    "voters:roll-cancel": only("admin", ok=POST_ONLY),
    "voters:roll-activate": only("admin", ok=POST_ONLY),
    # The sample roll is failed: nothing to confirm, back to its page.
    "voters:roll-activate-confirm": only("admin", ok=302),
    "users": only("admin"),
    "user-new": only("admin"),
    "user-detail": only("admin"),
    "user-role": only("admin", ok=POST_ONLY),
    "user-active": only("admin", ok=POST_ONLY),
    "user-unlock": only("admin", ok=POST_ONLY),
    "user-link": only("admin", ok=POST_ONLY),
    "audit-log": only("admin"),
    "audit-log-csv": only("admin"),
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
    # A circulator with a closed pay period (a Monday's).
    circulator = Circulator.objects.create(name="C", name_key="C", kind="paid")
    PayEntry.objects.create(circulator=circulator, period_start=date(2026, 11, 2), kind="earn",
                            amount=1)  # fmt: skip
    result = RegistrarResult.objects.create(petition=petition, kind="raw", raw_count=1,
                                            as_of=date(2026, 11, 2))  # fmt: skip
    kwargs = {"slug": "sample", "serial": 1, "number": 1, "line_id": line.pk, "pk": roll.pk,
              "second_id": second.pk, "event_id": event.pk, "status": "not_registered",
              "user_id": volunteer.pk, "circulator_id": circulator.pk,
              "period": "2026-11-02", "result_id": result.pk}  # fmt: skip
    users = {"outsider": _persona("otto_no_role", VOLUNTEER), "volunteer": volunteer,
             "reviewer": reviewer, "organizer": organizer, "admin": admin_user}  # fmt: skip
    users["outsider"].groups.clear()
    # The scans of section 1 (a page, its first line's image, the upload), named by the same pk.
    storage = scans_storage()
    data = encode_jpeg(np.full((40, 60), 255, np.uint8))
    name = storage.save(f"matrix/{roll.pk}.jpg", ContentFile(data))
    upload = ScanUpload.objects.create(pk=roll.pk, petition=petition, section=section,
                                       source_name="1.pdf", uploaded_by=volunteer)  # fmt: skip
    page = ScanPage.objects.create(pk=roll.pk, petition=petition, section=section, page_number=1,
                                   sha256="0" * 64, image=name, width=60, height=40,
                                   bytes=len(data), upload=upload, status="flagged")  # fmt: skip
    LineImage.objects.create(pk=roll.pk, page=page, section=section, number=1, image=name,
                             width=60, height=40, bytes=len(data))  # fmt: skip
    yield kwargs, users
    storage.delete(name)


@pytest.mark.parametrize(("name", "arguments"), [u for u in ALL_URLS if u[0] not in PUBLIC])
def test_each_role_gets_what_the_matrix_says(client, world, name, arguments):
    kwargs, users = world
    url = reverse(name, kwargs={key: kwargs[key] for key in arguments})
    got = {}
    for role, user in users.items():
        client.force_login(user)
        got[role] = client.get(url).status_code
    assert got == MATRIX[name]


# The admin site: every URL it has, for every role. Only admins reach it (403 for the others,
# signed in; anonymous visitors go to the login page, tests/recall/test_access.py). An admin
# browses the audit log and the groups but cannot add, change or delete them, manages users
# (deleting one is a superuser's), and deletes a lock-out to unlock a login early.
def admin_only(ok: int) -> dict[str, int]:
    return only("admin", ok=ok)


def model_pages(prefix: str, *, add: int, change: int, delete: int) -> dict[str, dict]:
    return {
        f"{prefix}_changelist": admin_only(200),
        f"{prefix}_add": admin_only(add),
        f"{prefix}_change": admin_only(change),
        f"{prefix}_history": admin_only(200),
        f"{prefix}_delete": admin_only(delete),
    }


ADMIN_MATRIX: dict[str, dict[str, int]] = {
    "index": admin_only(200),
    "logout": admin_only(POST_ONLY),
    "password_change": admin_only(200),
    "password_change_done": admin_only(200),
    "jsi18n": admin_only(200),
    "autocomplete": admin_only(403),  # a search for no field of no model: refused
    "view_on_site": admin_only(404),  # no model of ours has a page of its own to view
    "app_list": admin_only(200),
    **model_pages("recall_auditevent", add=403, change=200, delete=403),  # read-only
    **model_pages("auth_user", add=200, change=200, delete=403),
    "auth_user_password_change": admin_only(200),
    **model_pages("auth_group", add=403, change=200, delete=403),  # roles are kept by code
    **model_pages("axes_accessattempt", add=403, change=200, delete=200),  # delete: unlock
}
ADMIN_PUBLIC = {"login"}  # the admin's login page: it sends everyone to ours


def admin_named_patterns(resolver=None):
    """Every named URL of the admin site with the names of its arguments."""
    if resolver is None:
        resolver = next(
            e for e in get_resolver().url_patterns if getattr(e, "namespace", "") == "admin"
        )
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from admin_named_patterns(entry)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, tuple(entry.pattern.regex.groupindex)


ADMIN_URLS = sorted(dict(admin_named_patterns()).items())


def test_every_admin_url_has_a_decision():
    assert {name for name, _ in ADMIN_URLS if name not in ADMIN_PUBLIC} == set(ADMIN_MATRIX)


@pytest.fixture
def admin_world(world):
    """One object of each model on the admin site; the page for each model's names its own."""
    _, users = world
    event = AuditEvent.objects.create(action="export", target="petition sample: all lines")
    attempt = AccessAttempt.objects.create(username="someone", ip_address="192.0.2.1",
                                           failures_since_start=5)  # fmt: skip
    objects = {"recall_auditevent": event.pk, "auth_user": users["volunteer"].pk,
               "auth_group": Group.objects.get(name=VOLUNTEER).pk,
               "axes_accessattempt": attempt.pk}  # fmt: skip
    return objects, users


def admin_url(name: str, arguments: tuple[str, ...], objects: dict) -> str:
    model = next((prefix for prefix in objects if name.startswith(prefix + "_")), None)
    values = {
        "object_id": objects.get(model),
        "id": objects.get(model),
        "app_label": "recall",
        "content_type_id": ContentType.objects.get_for_model(AuditEvent).pk,
    }
    if name == "view_on_site":
        values["object_id"] = objects["recall_auditevent"]
    return reverse(f"admin:{name}", kwargs={key: values[key] for key in arguments})


@pytest.mark.parametrize(("name", "arguments"), [u for u in ADMIN_URLS if u[0] not in ADMIN_PUBLIC])
def test_each_role_gets_what_the_admin_matrix_says(client, admin_world, name, arguments):
    objects, users = admin_world
    url = admin_url(name, arguments, objects)
    got = {}
    for role, user in users.items():
        client.force_login(user)
        got[role] = client.get(url).status_code
    assert got == ADMIN_MATRIX[name]


@pytest.mark.parametrize(("name", "arguments"), [u for u in ADMIN_URLS if u[0] not in ADMIN_PUBLIC])
def test_anonymous_visitors_of_the_admin_site_are_sent_to_login(client, admin_world, name,
                                                                arguments):  # fmt: skip
    objects, _ = admin_world
    response = client.get(admin_url(name, arguments, objects), follow=True)
    assert response.redirect_chain  # sent on...
    assert response.request["PATH_INFO"] == reverse("login")  # ...to the one login page
    assert response.status_code == 200


def test_the_admin_login_page_is_ours(client, admin_user, volunteer):
    response = client.get(reverse("admin:login") + "?next=/admin/auth/user/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/admin/auth/user/"
    elsewhere = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert elsewhere["Location"] == reverse("login") + "?next=/admin/"
    client.force_login(admin_user)  # already in: on to the page asked for
    assert client.get(reverse("admin:login") + "?next=/admin/auth/user/")["Location"] == (
        "/admin/auth/user/"
    )
    client.force_login(volunteer)  # signed in without the role: to our login, to switch user
    assert client.get(reverse("admin:login"))["Location"].startswith(reverse("login"))


def test_a_role_without_the_admin_site_gets_a_page_that_says_so(client, volunteer):
    client.force_login(volunteer)
    response = client.get("/admin/auth/user/")
    assert response.status_code == 403
    assert b"not open to your role" in response.content
    assert volunteer.username.encode() in response.content
