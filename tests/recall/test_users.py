"""The users page: admins add users with a one-time set-password link, change roles,
deactivate, reactivate and unlock, every change in the audit log."""

from datetime import UTC, datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from recall.models import AuditEvent
from recall.roles import role_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-long-passphrase-7"


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def _lock(user: User, failures: int) -> None:
    AccessAttempt.objects.create(username=user.username, ip_address="10.0.0.1", user_agent="t",
                                 failures_since_start=failures, attempt_time=timezone.now(),
                                 get_data="", post_data="")  # fmt: skip


def test_the_list_shows_role_activity_last_login_and_lock_outs(
    login, admin_user, volunteer, reviewer, settings, django_assert_num_queries
):
    reviewer.is_active = False
    reviewer.save(update_fields=["is_active"])
    volunteer.last_login = datetime(2026, 7, 4, 3, 5, tzinfo=UTC)
    volunteer.save(update_fields=["last_login"])
    _lock(volunteer, settings.LOGIN_FAILURE_LIMIT)
    client = login(admin_user)
    # The session, the user, their permissions; the lock-outs, the users, their groups.
    with django_assert_num_queries(6):
        response = client.get(reverse("users"))
    assert response.status_code == 200
    rows = {row.user.username: row for row in response.context["rows"]}
    assert (rows["vera_volunteer"].role, rows["vera_volunteer"].locked) == ("Volunteer", True)
    assert (rows["rita_reviewer"].user.is_active, rows["rita_reviewer"].locked) == (False, False)
    body = response.content.decode()
    # 03:05 UTC on 4 July is 20:05 the day before in Los Angeles (summer time).
    assert "2026-07-03 20:05" in body
    assert "Last login (Los Angeles time)" in body
    assert "locked out" in body
    assert "deactivated" in body


def test_failures_below_the_limit_are_not_a_lock_out(login, admin_user, volunteer, settings):
    _lock(volunteer, settings.LOGIN_FAILURE_LIMIT - 1)
    rows = login(admin_user).get(reverse("users")).context["rows"]
    assert not next(r for r in rows if r.user == volunteer).locked


@pytest.mark.parametrize("name", ["users", "user-new"])
def test_a_non_admin_gets_403(login, organizer, name):
    assert login(organizer).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ["user-role", "user-active", "user-unlock", "user-link"])
def test_a_non_admin_changes_nothing(login, organizer, volunteer, name):
    response = login(organizer).post(reverse(name, args=[volunteer.pk]),
                                     {"role": "Admin", "active": "0"})  # fmt: skip
    assert response.status_code == 403
    volunteer.refresh_from_db()
    assert (role_of(volunteer), volunteer.is_active) == ("Volunteer", True)
    done_by_organizer = AuditEvent.objects.filter(username=organizer.username)
    assert not done_by_organizer.exclude(action="login").exists()


def test_adding_a_user_shows_a_link_that_sets_the_password_once(client, login, admin_user):
    response = login(admin_user).post(reverse("user-new"), {
        "username": "nina_new", "first_name": "Nina", "last_name": "Nuevo", "email": "",
        "role": "Reviewer"})  # fmt: skip
    assert response.status_code == 200
    nina = User.objects.get(username="nina_new")
    assert (role_of(nina), nina.get_full_name(), nina.has_usable_password()) == (
        "Reviewer", "Nina Nuevo", False)  # fmt: skip
    [created] = _events("role_change")[-1:]
    assert (created.username, created.target, created.detail["before"]) == (
        "adam_admin", "user nina_new", None)  # fmt: skip
    [made] = _events("password_link")
    assert (made.username, made.target, made.detail) == (
        "adam_admin", "user nina_new", {"emailed": False})  # fmt: skip
    link = response.context["link"]
    assert link.startswith("http://testserver/accounts/set-password/")
    assert link not in str(AuditEvent.objects.values_list("detail", flat=True))
    assert not mail.outbox  # no e-mail configured

    client.logout()
    page = client.get(link, follow=True)  # Django moves the token into the session
    assert page.context["validlink"]
    set_url = page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("login")
    nina.refresh_from_db()
    assert nina.check_password(NEW_PASSWORD)
    [changed] = _events("password_change")
    assert (changed.username, changed.detail["own"]) == ("nina_new", True)
    logged_in = client.post(reverse("login"), {"username": "nina_new", "password": NEW_PASSWORD})
    assert logged_in["Location"] == reverse("home")
    client.logout()

    again = client.get(link, follow=True)
    assert not again.context["validlink"]
    assert "This link does not work" in again.content.decode()


def test_the_link_is_e_mailed_when_e_mail_is_configured(login, admin_user, settings):
    settings.EMAIL_HOST = "smtp.example.org"
    response = login(admin_user).post(reverse("user-new"), {
        "username": "emil", "email": "emil@example.org", "role": "Volunteer"})  # fmt: skip
    assert response.status_code == 200
    [message] = mail.outbox
    assert message.to == ["emil@example.org"]
    assert response.context["link"] in message.body
    assert _events("password_link")[0].detail == {"emailed": True}


def test_a_taken_username_or_a_lookalike_is_refused(login, admin_user, volunteer):
    client = login(admin_user)
    for username in ("VERA_volunteer", "\u0430dmin"):  # a Cyrillic "a"
        response = client.post(reverse("user-new"), {"username": username, "role": "Volunteer"})
        assert response.status_code == 400
        assert response.context["form"].errors["username"]
    assert User.objects.count() == 2


def test_changing_a_role_is_recorded_in_words_and_state(login, admin_user, volunteer):
    client = login(admin_user)
    response = client.post(reverse("user-role", args=[volunteer.pk]), {"role": "Reviewer"})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert role_of(volunteer) == "Reviewer"
    [event] = _events("role_change")[-1:]
    assert (event.username, event.detail["before"]["roles"], event.detail["after"]["roles"]) == (
        "adam_admin", ["Volunteer"], ["Reviewer"])  # fmt: skip
    log = client.get(reverse("audit-log")).content.decode()
    assert "adam_admin changed vera_volunteer&#x27;s role from Volunteer to Reviewer" in log


def test_making_someone_an_admin_gives_them_the_admin_site_too(login, admin_user, volunteer):
    login(admin_user).post(reverse("user-role", args=[volunteer.pk]), {"role": "Admin"})
    volunteer.refresh_from_db()
    assert volunteer.is_staff


def test_an_unknown_role_changes_nothing(login, admin_user, volunteer):
    before = len(_events("role_change"))
    response = login(admin_user).post(reverse("user-role", args=[volunteer.pk]), {"role": "Boss"},
                                      follow=True)  # fmt: skip
    assert "Choose one of the roles." in response.content.decode()
    assert role_of(volunteer) == "Volunteer"
    assert len(_events("role_change")) == before


def test_deactivating_ends_the_login_and_reactivating_restores_it(client, admin_user, volunteer):
    client.force_login(admin_user)
    client.post(reverse("user-active", args=[volunteer.pk]), {"active": "0"})
    volunteer.refresh_from_db()
    assert not volunteer.is_active
    client.force_login(admin_user)
    client.post(reverse("user-active", args=[volunteer.pk]), {"active": "1"})
    volunteer.refresh_from_db()
    assert volunteer.is_active
    off, on = _events("role_change")[-2:]
    assert (off.detail["after"]["is_active"], on.detail["after"]["is_active"]) == (False, True)


def test_a_deactivated_user_cannot_log_in(client, admin_user, volunteer):
    client.force_login(admin_user)
    client.post(reverse("user-active", args=[volunteer.pk]), {"active": "0"})
    client.logout()
    response = client.post(reverse("login"), {"username": volunteer.username,
                                              "password": "correct-horse-battery-9"})  # fmt: skip
    assert response.status_code == 200  # the form again, no redirect home


def test_unlocking_forgets_the_failures_and_is_recorded(login, admin_user, volunteer, settings):
    _lock(volunteer, settings.LOGIN_FAILURE_LIMIT)
    client = login(admin_user)
    assert client.get(reverse("user-detail", args=[volunteer.pk])).context["locked"]
    response = client.post(reverse("user-unlock", args=[volunteer.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=volunteer.username).exists()
    [event] = _events("unlock")
    assert (event.username, event.target, event.detail) == (
        "adam_admin", "user vera_volunteer", {"attempts_forgotten": 1})  # fmt: skip


def test_an_admin_cannot_change_their_own_account(login, admin_user):
    client = login(admin_user)
    assert client.post(reverse("user-role", args=[admin_user.pk]),
                       {"role": "Volunteer"}).status_code == 403  # fmt: skip
    assert client.post(reverse("user-active", args=[admin_user.pk]),
                       {"active": "0"}).status_code == 403  # fmt: skip
    admin_user.refresh_from_db()
    assert (role_of(admin_user), admin_user.is_active) == ("Admin", True)
    assert "your own account" in client.get(reverse("user-detail", args=[admin_user.pk])
                                            ).content.decode()  # fmt: skip


def test_only_a_superuser_changes_a_superuser(login, admin_user, django_user_model):
    root = django_user_model.objects.create_superuser(username="root_user", password="x" * 12)
    response = login(admin_user).post(reverse("user-active", args=[root.pk]), {"active": "0"})
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.is_active


def test_a_new_link_for_an_existing_user_is_recorded(login, admin_user, volunteer):
    response = login(admin_user).post(reverse("user-link", args=[volunteer.pk]))
    assert response.status_code == 200
    assert "/accounts/set-password/" in response.context["link"]
    assert [e.target for e in _events("password_link")] == ["user vera_volunteer"]


def test_a_made_up_link_sets_nothing(client, volunteer):
    response = client.get(reverse("set-password", args=["MQ", "nope-nope"]))
    assert response.status_code == 200
    assert not response.context["validlink"]


def test_the_users_pages_take_only_their_methods(login, admin_user, volunteer):
    client = login(admin_user)
    assert client.get(reverse("user-role", args=[volunteer.pk])).status_code == 405
    assert client.post(reverse("users")).status_code == 405


def test_a_deactivated_users_open_session_ends_at_their_next_request(client, admin_user,
                                                                      volunteer):  # fmt: skip
    from django.test import Client

    theirs = Client()
    logged_in = theirs.post(reverse("login"), {"username": volunteer.username,
                                               "password": "correct-horse-battery-9"})  # fmt: skip
    assert logged_in["Location"] == reverse("home")
    assert theirs.get(reverse("home")).status_code == 200
    client.force_login(admin_user)
    client.post(reverse("user-active", args=[volunteer.pk]), {"active": "0"})
    assert theirs.get(reverse("home"))["Location"].startswith(reverse("login"))
