"""The audit log page: events in words and in the campaign's time zone, details as a table,
filters by user, action and days, and the same events as CSV."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from recall.audit_text import detail_rows, event_sentence
from recall.models import AuditEvent, audit

pytestmark = pytest.mark.django_db


def _event(user, action: str, target: str, at: datetime, **detail) -> AuditEvent:
    username = user.username if user else ""
    return AuditEvent.objects.create(user=user, username=username, action=action, target=target,
                                     at=at, detail=detail)  # fmt: skip


def _csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def log(admin_user, volunteer, reviewer):
    """Three days of events; times in UTC, the campaign is in Los Angeles (UTC-8 in December)."""
    state = {"roles": ["Volunteer"], "permissions": [], "is_active": True, "is_staff": False,
             "is_superuser": False}  # fmt: skip
    return [
        _event(admin_user, "role_change", f"user {volunteer.username}",
               datetime(2026, 12, 2, 3, 25, tzinfo=UTC),
               before=state, after={**state, "roles": ["Reviewer"]}),
        _event(None, "login_failed", f"user {reviewer.username}",
               datetime(2026, 12, 3, 19, 0, tzinfo=UTC), address="10.1.2.3"),
        _event(volunteer, "export", "petition demo: all lines",
               datetime(2026, 12, 4, 18, 0, tzinfo=UTC)),
    ]  # fmt: skip


def test_events_read_in_words_and_campaign_time(login, admin_user, log):
    response = login(admin_user).get(reverse("audit-log"))
    assert response.status_code == 200
    body = response.content.decode()
    # 03:25 UTC on 2 December is 19:25 on 1 December in Los Angeles.
    assert "2026-12-01 19:25:00" in body
    assert "When (Los Angeles time)" in body
    assert "adam_admin changed vera_volunteer&#x27;s role from Volunteer to Reviewer" in body
    assert "Failed login as rita_reviewer" in body
    assert "{&quot;" not in body  # no raw JSON


def test_a_role_change_is_a_sentence_and_a_table_of_what_changed(log):
    event = log[0]
    assert event_sentence(event) == (
        "adam_admin changed vera_volunteer's role from Volunteer to Reviewer"
    )
    [row] = detail_rows(event)
    assert (row.label, row.before, row.after) == ("Role", "Volunteer", "Reviewer")


def test_sentences_for_other_events(admin_user, organizer):
    export = audit(user=organizer, action="export", target="petition demo: all lines")
    edit = audit(user=organizer, action="line_edited", target="petition demo: section 3 line 4",
                 before={"status": "valid", "printed_name": "Ann Lee"},
                 after={"status": "needs_review", "printed_name": "Anne Lee"})  # fmt: skip
    assert event_sentence(export) == "olga_organizer exported petition demo: all lines"
    assert event_sentence(edit) == "olga_organizer edited petition demo: section 3 line 4"
    assert [(r.label, r.before, r.after) for r in detail_rows(edit)] == [
        ("Status", "valid", "needs_review"), ("Printed name", "Ann Lee", "Anne Lee")]  # fmt: skip


def test_sentences_for_account_events(admin_user, volunteer):
    after = {"roles": ["Reviewer"], "is_active": False}
    made = audit(user=admin_user, action="role_change", target="user nina", before=None,
                 after=after)  # fmt: skip
    off = audit(user=admin_user, action="role_change", target="user nina",
                before={"roles": ["Reviewer"], "is_active": True}, after=after)  # fmt: skip
    own = audit(user=volunteer, action="password_change", target="user vera_volunteer", own=True)
    unlock = audit(user=admin_user, action="unlock", target="user nina", attempts_forgotten=2)
    assert [event_sentence(e) for e in (made, off, own, unlock)] == [
        "adam_admin added user nina as Reviewer",
        "adam_admin deactivated nina",
        "vera_volunteer changed their password",
        "adam_admin unlocked nina's login",
    ]
    # A new account: what it was given, the usual (active, no extra rights) left out.
    given = [(r.label, r.value) for r in detail_rows(made)]
    assert given == [("Role", "Reviewer"), ("Active", "no")]
    assert detail_rows(own) == []  # the sentence says it was their own
    assert [(r.label, r.value) for r in detail_rows(unlock)] == [("Attempts forgotten", "2")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"user": "vera_volunteer"}, {"role_change", "export"}),  # acted, or their account
        ({"user": "rita_reviewer"}, {"login_failed"}),
        ({"action": "export"}, {"export"}),
        # Days in Los Angeles: 3 Dec 19:00 UTC is 11:00 on the 3rd there; 2 Dec 03:25 UTC the 1st.
        ({"since": "2026-12-02", "until": "2026-12-03"}, {"login_failed"}),
        ({"until": "2026-12-01"}, {"role_change"}),
        ({"since": "2026-12-04", "action": "role_change"}, set()),
    ],
)
def test_filters(login, admin_user, log, query, expected):
    response = login(admin_user).get(reverse("audit-log"), query)
    # Of the fixture's events (the personas' creation and the admin's login are events too).
    shown = {e.pk for e, _, _ in response.context["rows"]}
    assert {e.action for e in log if e.pk in shown} == expected


def test_a_backwards_date_range_says_so_and_filters_nothing(login, admin_user, log):
    response = login(admin_user).get(reverse("audit-log"),
                                     {"since": "2026-12-04", "until": "2026-12-01"})  # fmt: skip
    assert "“From” is after “To”." in response.content.decode()
    everything = AuditEvent.objects.count()
    assert response.context["page"].paginator.count == everything


def test_csv_has_the_filtered_events_and_is_recorded(login, admin_user, log):
    client = login(admin_user)
    response = client.get(reverse("audit-log-csv"), {"user": "vera_volunteer"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="audit-log.csv"'
    rows = _csv(response)
    # Newest first: her account's creation (today), her export, her role change.
    assert [r["action_code"] for r in rows] == ["role_change", "export", "role_change"]
    assert rows[-1]["at"] == "2026-12-01T19:25:00-08:00"
    assert rows[-1]["event"] == (
        "adam_admin changed vera_volunteer's role from Volunteer to Reviewer"
    )
    assert rows[-1]["action"] == "role change"
    assert rows[-1]["details"] == "Role: Volunteer -> Reviewer"
    download = AuditEvent.objects.filter(action="download").get()
    assert download.target == "audit log"
    assert download.detail == {"filters": {"user": "vera_volunteer"}}


def test_csv_cells_cannot_run_as_formulas(login, admin_user):
    audit(user=admin_user, action="export", target='=HYPERLINK("http://evil")')
    rows = _csv(login(admin_user).get(reverse("audit-log-csv"), {"action": "export"}))
    assert rows[0]["target"].startswith("'=")


def test_pages_of_a_long_log_keep_the_filters(login, admin_user, settings):
    for n in range(105):
        audit(user=admin_user, action="export", target=f"petition p{n}")
    response = login(admin_user).get(reverse("audit-log"), {"action": "export"})
    assert len(response.context["rows"]) == 100
    assert "?action=export&amp;page=2" in response.content.decode()


def test_the_log_is_admins_only(login, organizer):
    client = login(organizer)
    assert client.get(reverse("audit-log")).status_code == 403
    assert client.get(reverse("audit-log-csv")).status_code == 403


def test_the_home_page_flag_links_to_the_log_filtered(login, admin_user, volunteer):
    audit(user=volunteer, action="lookup_flag", target=f"user {volunteer.username}",
          reason="over 5,000 look-ups today")  # fmt: skip
    client = login(admin_user)
    home = client.get(reverse("home")).content.decode()
    assert f"{reverse('audit-log')}?action=lookup_flag" in home
    listing = client.get(reverse("audit-log"), {"action": "lookup_flag"}).content.decode()
    assert "vera_volunteer made unusually many voter look-ups" in listing
    assert "over 5,000 look-ups today" in listing


def test_the_page_reads_a_fixed_number_of_queries(login, admin_user, log,
                                                  django_assert_num_queries):  # fmt: skip
    client = login(admin_user)
    client.get(reverse("audit-log"))
    for n in range(30):
        audit(user=admin_user, action="export", target=f"petition p{n}")
    # The user (the session and permissions are cached by then); the count, the page of events,
    # the usernames to pick from: however many events there are.
    with django_assert_num_queries(4):
        assert client.get(reverse("audit-log")).status_code == 200
