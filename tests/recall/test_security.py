"""Login throttling, sessions, password rules, role changes and imports in the audit log, and
the audit log's append-only guard in Postgres."""

import time
import uuid
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from recall.middleware import SessionActivityMiddleware
from recall.models import AuditEvent, audit
from recall.roles import ADMIN, REVIEWER, VOLUNTEER
from recall.services import user_create_with_role
from tests.conftest import PASSWORD
from tests.voters.factories import many, write_canonical
from voters.services import voter_roll_create

pytestmark = pytest.mark.django_db


def log_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


# Login throttling ---------------------------------------------------------------------------


def test_repeated_failures_lock_the_account_with_a_clear_message(client, volunteer, settings):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        response = log_in(client, volunteer.username, f"wrong-{attempt}")
        assert response.status_code == 200  # the login form again, with its error
        assert "Please enter a correct username and password" in response.content.decode()
    response = log_in(client, volunteer.username, "wrong-last")
    assert response.status_code == 429
    # Now even the right password is refused, and the page says why and for how long.
    response = log_in(client, volunteer.username, PASSWORD)
    body = response.content.decode()
    assert response.status_code == 429
    assert f"{settings.LOGIN_FAILURE_LIMIT} wrong passwords were given for the username" in body
    assert f"Try again in {settings.LOGIN_LOCKOUT_MINUTES} minutes" in body
    assert volunteer.username in body
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="lockout", target=f"user {volunteer.username}").exists()
    # The lock is the username's: the same address still logs in as others.
    assert log_in(client, "someone_else", "whatever-1").status_code == 200


def test_the_lock_follows_the_username_to_other_addresses(client, volunteer, settings):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, volunteer.username, f"wrong-{attempt}")
    response = client.post(
        reverse("login"),
        {"username": volunteer.username, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 429


def test_random_usernames_do_not_lock_out_admin(client, admin_user, settings):
    """Failures for usernames that are not yours, from your address, never lock you out."""
    for attempt in range(settings.LOGIN_FAILURE_LIMIT + 2):
        response = log_in(client, f"random-{attempt}-{uuid.uuid4().hex[:8]}", "guess-123456")
        assert response.status_code == 200
    response = log_in(client, admin_user.username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin_user.pk)


def test_a_success_forgives_only_its_own_usernames_failures(client, volunteer, organizer, settings):
    """Four wrong passwords for a colleague, a login as yourself, a fifth wrong one: locked."""
    for attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert log_in(client, volunteer.username, f"wrong-{attempt}").status_code == 200
    assert log_in(client, organizer.username, PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, volunteer.username, "wrong-again").status_code == 429
    assert log_in(client, volunteer.username, PASSWORD).status_code == 429


def test_typos_for_other_usernames_in_an_office_do_not_lock_anyone(
    client, volunteer, organizer, settings
):
    """A campaign office shares one address: others' failed logins there lock nobody else."""
    for attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        log_in(client, "typo_volunteer", f"wrong-{attempt}")
    assert log_in(client, organizer.username, PASSWORD).status_code == 302
    client.logout()
    for attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        log_in(client, "another_typo", f"wrong-{attempt}")
    assert log_in(client, volunteer.username, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("trusted", "forwarded", "address"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no trusted proxy: the header is anyone's claim
        # The proxy appends the address it saw; anything left of it is the client's own claim.
        (1, "192.0.2.66, 203.0.113.9", "203.0.113.9"),
    ],
)
def test_the_proxy_header_is_read_only_for_the_trusted_proxies(
    client, volunteer, settings, trusted, forwarded, address
):
    settings.TRUSTED_PROXY_COUNT = trusted
    client.post(
        reverse("login"),
        {"username": volunteer.username, "password": "wrong-1"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert AccessAttempt.objects.get(username=volunteer.username).ip_address == address
    event = AuditEvent.objects.get(action="login_failed")
    assert event.detail["address"] == address


def test_the_lock_ends_after_the_cool_off(client, volunteer, settings):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, volunteer.username, f"wrong-{attempt}")
    assert log_in(client, volunteer.username, PASSWORD).status_code == 429
    past = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)
    AccessAttempt.objects.update(attempt_time=past)
    response = log_in(client, volunteer.username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(volunteer.pk)


def test_an_admin_unlocks_a_user_on_the_admin_site(client, volunteer, admin_user, settings):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, volunteer.username, f"wrong-{attempt}")
    attempt = AccessAttempt.objects.get(username=volunteer.username)
    client.force_login(admin_user)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert volunteer.username in listing.content.decode()
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    client.logout()
    assert log_in(client, volunteer.username, PASSWORD).status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(client, volunteer, settings):
    for _ in range(2):
        for attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
            log_in(client, volunteer.username, f"wrong-{attempt}")
        assert log_in(client, volunteer.username, PASSWORD).status_code == 302
        client.logout()


# Sessions and passwords ---------------------------------------------------------------------


def test_sessions_end_with_the_browser_and_after_a_shift(client, volunteer, settings):
    assert log_in(client, volunteer.username, PASSWORD).status_code == 302
    assert client.session.get_expire_at_browser_close()
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session.set_expiry(-1)  # as the server sees a session past its age
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _signed_in(client, user):
    """A real login, then a first request (it stamps the session's login and activity)."""
    assert log_in(client, user.username, PASSWORD).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    return client


def _age_session(client, *, idle: float, since_login: float | None = None) -> None:
    """As if the last request were `idle` seconds ago (and the login `since_login` ago)."""
    session = client.session
    now = time.time()
    session[SessionActivityMiddleware.ACTIVITY] = now - idle
    session[SessionActivityMiddleware.LOGIN] = now - (since_login or idle)
    session.save()


def test_a_session_idle_for_longer_than_the_limit_ends(client, volunteer, settings):
    assert settings.SESSION_IDLE_MINUTES == 15
    _signed_in(client, volunteer)
    _age_session(client, idle=settings.SESSION_IDLE_MINUTES * 60 + 1)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    # The session is gone for good: a later request is anonymous too.
    assert client.get(reverse("home")).status_code == 302


def test_an_idle_session_answers_htmx_with_401(client, volunteer, settings):
    """The entry row's save gets a 401 (static/js/session.js: log in again in a new tab)."""
    _signed_in(client, volunteer)
    _age_session(client, idle=settings.SESSION_IDLE_MINUTES * 60 + 1)
    assert client.get(reverse("home"), HTTP_HX_REQUEST="true").status_code == 401


def test_an_active_session_goes_on(client, volunteer, settings):
    _signed_in(client, volunteer)
    _age_session(client, idle=settings.SESSION_IDLE_MINUTES * 60 - 30, since_login=3600)
    assert client.get(reverse("home"), HTTP_HX_REQUEST="true").status_code == 200
    stamped = client.session[SessionActivityMiddleware.ACTIVITY]
    assert time.time() - stamped < 5  # the request counted as activity
    _age_session(client, idle=settings.SESSION_IDLE_MINUTES * 60 - 30, since_login=3600)
    assert client.get(reverse("home")).status_code == 200


def test_activity_is_written_to_the_session_at_most_once_a_minute(client, volunteer):
    _signed_in(client, volunteer)
    _age_session(client, idle=20, since_login=600)
    before = client.session[SessionActivityMiddleware.ACTIVITY]
    assert client.get(reverse("home")).status_code == 200
    assert client.session[SessionActivityMiddleware.ACTIVITY] == before  # no session write
    _age_session(client, idle=61, since_login=600)
    assert client.get(reverse("home")).status_code == 200
    assert client.session[SessionActivityMiddleware.ACTIVITY] > before


def test_a_session_ends_a_shift_after_its_login_however_active(client, volunteer, settings):
    _signed_in(client, volunteer)
    _age_session(client, idle=10, since_login=settings.SESSION_COOKIE_AGE + 1)
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("short-1", "too short"),
        ("password123", "too common"),
        ("8412937650", "entirely numeric"),
        ("vera_volunteer1", "too similar to the username"),
        ("vera_volunteervera_volunteer", "contains the username"),
        ("9-VERA_VOLUNTEER-9", "contains the username"),
    ],
)
def test_weak_passwords_are_refused(client, volunteer, password, error):
    client.force_login(volunteer)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.check_password(PASSWORD)


def test_wrong_current_passwords_lock_the_password_form(client, volunteer, settings):
    client.force_login(volunteer)
    url = reverse("password_change")
    new = {"new_password1": "a-fresh-secret-581", "new_password2": "a-fresh-secret-581"}
    for attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        response = client.post(url, {"old_password": f"guess-{attempt}", **new})
        assert response.status_code == 200
        assert "Your old password was entered incorrectly" in response.content.decode()
    response = client.post(url, {"old_password": "guess-last", **new})
    assert response.status_code == 200
    assert "Too many wrong passwords" in response.content.decode()
    # Now the right password is refused too, and nothing changes.
    response = client.post(url, {"old_password": PASSWORD, **new})
    assert "Too many wrong passwords" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.check_password(PASSWORD)
    failures = AuditEvent.objects.filter(action="login_failed", target=f"user {volunteer.username}")
    assert failures.count() == settings.LOGIN_FAILURE_LIMIT
    assert {event.detail["page"] for event in failures} == {url}
    assert AuditEvent.objects.filter(action="lockout", target=f"user {volunteer.username}").exists()


def test_the_password_form_opens_again_after_the_cool_off(client, volunteer, settings):
    client.force_login(volunteer)
    url = reverse("password_change")
    new = {"new_password1": "a-fresh-secret-581", "new_password2": "a-fresh-secret-581"}
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(url, {"old_password": f"guess-{attempt}", **new})
    past = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)
    AccessAttempt.objects.update(attempt_time=past)
    assert client.post(url, {"old_password": PASSWORD, **new}).status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.check_password("a-fresh-secret-581")


# Usernames -----------------------------------------------------------------------------------

LOOKALIKE_ADMIN = "\u0430dmin"  # U+0430, a Cyrillic a, then "dmin"


def test_a_lookalike_username_is_refused_on_the_admin_site(client, admin_user, django_user_model):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": LOOKALIKE_ADMIN, "usable_password": "true",
         "password1": "a-fresh-secret-581", "password2": "a-fresh-secret-581"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "unaccented letters a-z and A-Z" in response.content.decode()
    assert not django_user_model.objects.filter(username=LOOKALIKE_ADMIN).exists()
    # ... and when renaming a user.
    url = reverse("admin:auth_user_change", args=[admin_user.pk])
    response = client.post(url, _change_form(admin_user, username=LOOKALIKE_ADMIN))
    assert response.status_code == 200
    assert "unaccented letters a-z and A-Z" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.username == "adam_admin"


def test_a_lookalike_username_is_refused_by_the_service_and_createsuperuser(django_user_model):
    with pytest.raises(ValidationError) as refused:
        user_create_with_role(username=LOOKALIKE_ADMIN, password=PASSWORD, role=VOLUNTEER)
    assert "unaccented letters a-z and A-Z" in str(refused.value.message_dict["username"])
    with pytest.raises(CommandError, match="unaccented letters"):
        call_command("createsuperuser", username=LOOKALIKE_ADMIN, email="", interactive=False)
    assert not django_user_model.objects.filter(username=LOOKALIKE_ADMIN).exists()


def test_plain_usernames_are_accepted():
    user = user_create_with_role(username="ana.gomez-2_x", password=PASSWORD, role=VOLUNTEER)
    assert user.username == "ana.gomez-2_x"


# Role changes ------------------------------------------------------------------------------


def _change_form(user, **overrides) -> dict:
    data = {
        "username": user.username, "first_name": "", "last_name": "", "email": "",
        "is_active": "on", "groups": [g.pk for g in user.groups.all()],
        "last_login_0": "", "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }  # fmt: skip
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_role_changes_on_the_admin_site_are_recorded(client, admin_user, volunteer):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[volunteer.pk])
    reviewer_group = Group.objects.get(name=REVIEWER)
    response = client.post(url, _change_form(volunteer, groups=[reviewer_group.pk]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(volunteer.groups.values_list("name", flat=True)) == [REVIEWER]
    event = AuditEvent.objects.get(action="role_change", target=f"user {volunteer.username}",
                                   user=admin_user)  # fmt: skip
    assert event.detail["before"]["roles"] == [VOLUNTEER]
    assert event.detail["after"]["roles"] == [REVIEWER]
    assert event.username == admin_user.username

    # Saving without a change records nothing; deactivating is a change.
    client.post(url, _change_form(volunteer))
    assert AuditEvent.objects.filter(action="role_change", user=admin_user).count() == 1
    client.post(url, _change_form(volunteer, is_active=None))
    latest = AuditEvent.objects.filter(action="role_change", user=admin_user).first()
    assert (latest.detail["before"]["is_active"], latest.detail["after"]["is_active"]) == (
        True, False,
    )  # fmt: skip


def test_the_admin_role_gives_the_admin_site_and_nothing_beyond_the_roles(
    client, admin_user, volunteer, django_user_model
):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[volunteer.pk])
    admin_group = Group.objects.get(name=ADMIN)
    everything = Permission.objects.values_list("pk", flat=True)
    form = _change_form(volunteer, groups=[admin_group.pk], is_staff="on", is_superuser="on",
                        user_permissions=list(everything))  # fmt: skip
    assert client.post(url, form).status_code == 302
    volunteer.refresh_from_db()
    # The Admin role brings the admin site; superuser status and single permissions are a
    # superuser's to give, and the form's values for them are ignored.
    assert (volunteer.is_staff, volunteer.is_superuser) == (True, False)
    assert not volunteer.user_permissions.exists()
    event = AuditEvent.objects.filter(action="role_change", user=admin_user).first()
    assert (event.detail["before"]["is_staff"], event.detail["after"]["is_staff"]) == (False, True)
    assert event.detail["after"]["roles"] == [ADMIN]
    assert client.post(url, _change_form(volunteer, groups=[])).status_code == 302
    volunteer.refresh_from_db()
    assert not volunteer.is_staff  # the role gone, the admin site goes with it

    # A superuser's account is view-only to an admin: no taking over its password.
    root = django_user_model.objects.create_superuser("root_admin", password=PASSWORD)
    root_url = reverse("admin:auth_user_change", args=[root.pk])
    assert client.get(root_url).status_code == 200
    assert client.post(root_url, _change_form(root, is_active=None)).status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    assert (
        client.post(password_url, {"password1": "x" * 20, "password2": "x" * 20}).status_code == 403
    )
    root.refresh_from_db()
    assert root.is_active
    assert root.check_password(PASSWORD)


def test_a_password_set_by_an_admin_is_recorded(client, admin_user, volunteer):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[volunteer.pk])
    mismatch = {"password1": "first-long-secret-1", "password2": "other-long-secret-2"}
    assert client.post(url, mismatch).status_code == 200  # the form again, with its error
    assert not AuditEvent.objects.filter(action="password_change").exists()
    new = {"password1": "a-new-long-secret-3", "password2": "a-new-long-secret-3"}
    assert client.post(url, new).status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.check_password("a-new-long-secret-3")
    event = AuditEvent.objects.get(action="password_change")
    assert (event.user, event.target, event.detail) == (
        admin_user,
        f"user {volunteer.username}",
        {"own": False},
    )


def test_a_new_user_and_a_deleted_user_are_recorded(
    client, admin_user, volunteer, django_user_model
):
    created = AuditEvent.objects.get(action="role_change", target=f"user {volunteer.username}")
    assert (created.detail["before"], created.detail["after"]["roles"]) == (None, [VOLUNTEER])
    audit(user=volunteer, action="export", target="something the volunteer did")
    delete = reverse("admin:auth_user_delete", args=[volunteer.pk])
    # Admins deactivate users; only a superuser (set up on the command line) deletes one.
    client.force_login(admin_user)
    assert client.post(delete, {"post": "yes"}).status_code == 403
    root = django_user_model.objects.create_superuser("root_admin", password=PASSWORD)
    client.force_login(root)
    assert client.post(delete, {"post": "yes"}).status_code == 302
    gone = AuditEvent.objects.get(action="user_deleted")
    assert (gone.user, gone.target, gone.detail["before"]["roles"]) == (
        root, "user vera_volunteer", [VOLUNTEER],
    )  # fmt: skip
    # The deleted user's own events stay, with the username they had.
    kept = AuditEvent.objects.get(target="something the volunteer did")
    assert (kept.user, kept.username) == (None, "vera_volunteer")


# The audit log is append-only in the database ---------------------------------------------


def test_the_database_refuses_to_change_or_delete_audit_events(organizer):
    event = audit(user=organizer, action="export", target="petition x: all lines")
    for change in (
        lambda: AuditEvent.objects.filter(pk=event.pk).update(target="rewritten"),
        lambda: AuditEvent.objects.filter(pk=event.pk).update(user=None, target="rewritten"),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    event.refresh_from_db()
    assert (event.target, event.user) == ("petition x: all lines", organizer)


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_truncate_the_audit_log(organizer):
    """As the app's role on a connection like the app's (the test suite's own connections may
    truncate, for Django's flush between tests: settings_test.py)."""
    import psycopg2
    from django.db import connection

    audit(user=organizer, action="export", target="petition x: all lines")
    db = connection.settings_dict
    conn = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"],
                            options="-c lock_timeout=5s")  # fmt: skip
    try:
        for statement in ("TRUNCATE recall_auditevent", "TRUNCATE auth_user CASCADE"):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="append-only"):
                conn.cursor().execute(statement)
            conn.rollback()
    finally:
        conn.close()
    assert AuditEvent.objects.filter(target="petition x: all lines").count() == 1


# Imports ------------------------------------------------------------------------------------


def test_imports_activations_and_cancels_are_recorded(tmp_path, admin_user):
    path = write_canonical(tmp_path / "roll.csv", many(5))
    roll = voter_roll_create(path=path, imported_by=admin_user, enqueue=False)
    event = AuditEvent.objects.get(action="import")
    assert (event.user, event.target) == (admin_user, f"voter roll {roll.pk}: roll.csv")
    assert event.detail["format"] == "canonical"
    from voters.services import voter_roll_cancel

    voter_roll_cancel(roll=roll, by=admin_user)
    assert AuditEvent.objects.filter(action="roll_cancelled", user=admin_user).count() == 1


# Headers -----------------------------------------------------------------------------------


def test_pages_carry_a_strict_content_security_policy_and_security_headers(client, volunteer):
    client.force_login(volunteer)
    for url in (reverse("login"), reverse("home"), reverse("petitions:list")):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_an_inline_script_style_or_handler():
    """What the policy would refuse in a browser, caught in the source too."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|<style|\sstyle=|\son[a-z]+="
    )
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in root.rglob("*.html")
        for match in inline.finditer(path.read_text())
    ]
    assert found == []


def test_every_post_needs_the_csrf_token_htmx_ones_in_a_header(volunteer):
    from django.test import Client

    from petitions.models import Section
    from petitions.services import petition_create

    petition = petition_create(title="T", slug="t", required=5)
    Section.objects.create(petition=petition, serial=1, entered_by=volunteer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer)
    page = client.get(reverse("petitions:section", args=["t", 1]))
    token = page.cookies["csrftoken"].value
    body = page.content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in body  # the page hands htmx its token
    url = reverse("petitions:line_add", args=["t", 1])
    line = {"printed_name": "Ann Lee", "residence_address": "1 A St", "signed": "on",
            "client_token": "6f1c1d0e-8c57-4a43-9d7e-3f1c3a5b9f10"}  # fmt: skip
    refused = client.post(url, line, headers={"HX-Request": "true"})
    assert refused.status_code == 403
    assert "This form was out of date" in refused.content.decode()  # our page, not Django's
    assert not petition.lines.exists()
    saved = client.post(url, line, headers={"HX-Request": "true", "X-CSRFToken": token})
    assert saved.status_code == 200
    assert petition.lines.count() == 1


def test_a_role_change_takes_effect_at_once_despite_the_permission_cache(
    client, admin_user, volunteer
):
    from django.test import Client

    from petitions.services import petition_create

    petition_create(title="T", slug="t", required=5)
    theirs = Client()
    theirs.force_login(volunteer)
    assert theirs.get(reverse("petitions:review", args=["t"])).status_code == 403  # now cached
    client.force_login(admin_user)
    reviewer_group = Group.objects.get(name=REVIEWER)
    url = reverse("admin:auth_user_change", args=[volunteer.pk])
    assert client.post(url, _change_form(volunteer, groups=[reviewer_group.pk])).status_code == 302
    assert theirs.get(reverse("petitions:review", args=["t"])).status_code == 200
    assert theirs.get(reverse("petitions:section_new", args=["t"])).status_code == 403
