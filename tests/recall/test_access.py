"""Every page but login, /healthz and the icon needs a login; each role's navigation shows only
its pages."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from recall.models import AuditEvent

# The language switcher and the scripts' translations serve the login page too.
PUBLIC = {"login", "healthz", "favicon", "set-password", "set_language", "javascript-catalog"}


SAMPLE_VALUES = {
    "int": 1, "slug": "sample", "str": "sample", "string": "sample", "path": "sample", "uuid": None,
}  # fmt: skip


def named_patterns(resolver=None, namespace=""):
    """Every named URL of the project, with its namespaced name and sample arguments."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin has its own login page, tested below.
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            kwargs = {
                key: SAMPLE_VALUES[type(conv).__name__.removesuffix("Converter").lower()]
                for key, conv in entry.pattern.converters.items()
            }
            yield namespace + entry.name, kwargs


ALL_URLS = sorted(dict(named_patterns()).items())


def test_the_url_list_is_not_empty():
    assert {"home", "voters:roll-list", "voters:roll-detail"} <= {n for n, _ in ALL_URLS}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), [u for u in ALL_URLS if u[0] not in PUBLIC])
def test_anonymous_is_sent_to_login(client, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), [u for u in ALL_URLS if u[0] not in PUBLIC])
def test_an_htmx_request_without_a_session_gets_401_not_the_login_page(client, name, kwargs):
    # htmx would follow a redirect and swap the login form into the page; a 401 leaves the page
    # (and the line being typed) alone, and static/js/session.js asks to log in again.
    response = client.get(reverse(name, kwargs=kwargs), headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.content == b"Your session has ended: log in again."


@pytest.mark.django_db
def test_admin_site_needs_staff_login(client):
    response = client.get("/admin/auth/user/")
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
def test_login_page_is_public(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content


@pytest.mark.django_db
def test_login_with_password_lands_on_home(client, volunteer):
    response = client.post(
        reverse("login"), {"username": volunteer.username, "password": "correct-horse-battery-9"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_wrong_password_rerenders_login_with_error(client, volunteer):
    response = client.post(reverse("login"), {"username": volunteer.username, "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


@pytest.mark.django_db
def test_logout_needs_post_and_ends_session(client, volunteer):
    client.force_login(volunteer)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def nav_labels(response) -> list[str]:
    return [item["label"] for item in response.context["nav_items"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected_nav", "role"),
    [
        ("volunteer", ["Petitions", "Help"], "Volunteer"),
        ("reviewer", ["Petitions", "Help"], "Reviewer"),
        ("organizer", ["Petitions", "Circulators", "Help"], "Organizer"),
        (
            "admin_user",
            ["Petitions", "Circulators", "Voter rolls", "Users", "Audit log", "Help"],
            "Admin",
        ),
        ("outsider", [], None),
    ],
)
def test_navigation_shows_each_role_its_pages(request, login, persona, expected_nav, role):
    client = login(request.getfixturevalue(persona))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert nav_labels(response) == expected_nav
    assert response.context["role"] == role


@pytest.mark.django_db
def test_voter_rolls_page_is_admin_only(login, volunteer, admin_user):
    assert login(volunteer).get(reverse("voters:roll-list")).status_code == 403
    assert login(admin_user).get(reverse("voters:roll-list")).status_code == 200


@pytest.mark.django_db
def test_password_change_works(login, organizer):
    client = login(organizer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery-9",
            "new_password1": "another-long-secret-77",
            "new_password2": "another-long-secret-77",
        },
    )
    assert response.status_code == 302
    organizer.refresh_from_db()
    assert organizer.check_password("another-long-secret-77")
    event = AuditEvent.objects.get(action="password_change")
    assert (event.user, event.target, event.detail) == (
        organizer,
        f"user {organizer.username}",
        {"own": True},
    )


@pytest.mark.django_db
def test_password_rules_reject_a_short_password(login, organizer):
    response = login(organizer).post(
        reverse("password_change"),
        {"old_password": "correct-horse-battery-9", "new_password1": "abc", "new_password2": "abc"},
    )
    assert response.status_code == 200
    assert b"too short" in response.content


def test_the_icon_needs_no_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert client.get(response["Location"]).status_code == 200
