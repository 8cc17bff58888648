"""The audit log: logins and failed logins recorded; admins browse it; nobody edits it."""

import pytest
from django.urls import reverse

from recall.models import AuditEvent, audit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_logins_and_failed_logins_are_recorded_without_the_password(client, volunteer):
    client.post(reverse("login"), {"username": volunteer.username, "password": "wrong-guess-1"})
    client.post(reverse("login"), {"username": volunteer.username, "password": PASSWORD})
    events = list(
        AuditEvent.objects.filter(action__startswith="login")
        .order_by("at", "id")
        .values_list("action", "user", "target")
    )
    assert events == [
        ("login_failed", None, f"user {volunteer.username}"),
        ("login", volunteer.pk, f"user {volunteer.username}"),
    ]
    assert "wrong-guess-1" not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


def test_admins_browse_and_filter_the_log_but_cannot_change_it(client, admin_user, organizer):
    event = audit(user=organizer, action="export", target="petition x: all lines")
    client.force_login(admin_user)
    listing = client.get(reverse("admin:recall_auditevent_changelist") + "?action=export")
    assert listing.status_code == 200
    assert "petition x: all lines" in listing.content.decode()
    change = reverse("admin:recall_auditevent_change", args=[event.pk])
    assert client.get(change).status_code == 200  # view only
    assert client.post(change, {"action": "nothing", "target": "rewritten"}).status_code == 403
    delete = reverse("admin:recall_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:recall_auditevent_add")).status_code == 403
    event.refresh_from_db()
    assert event.target == "petition x: all lines"
    client.force_login(organizer)  # not an admin: the admin site is not open to them
    assert client.get(reverse("admin:recall_auditevent_changelist")).status_code == 403
