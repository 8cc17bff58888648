from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from recall.models import AuditEvent
from recall.roles import role_of

FLAG_WINDOW = timedelta(days=7)


def recent_lookup_flags() -> int:
    """How many times users were flagged for unusual voter look-ups in the last 7 days."""
    since = timezone.now() - FLAG_WINDOW
    return AuditEvent.objects.filter(action=AuditEvent.Action.LOOKUP_FLAG, at__gte=since).count()


def locked_usernames() -> set[str]:
    """Usernames django-axes refuses now: LOGIN_FAILURE_LIMIT failures within the cool-off, from
    any addresses together (AXES_LOCKOUT_PARAMETERS' "username")."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.LOGIN_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )


@dataclass(frozen=True)
class UserRow:
    user: User
    role: str | None
    locked: bool


def user_rows() -> list[UserRow]:
    """Every account for the users page, with its role and whether its login is locked."""
    locked = locked_usernames()
    users = User.objects.order_by("username").prefetch_related("groups")
    return [UserRow(user=u, role=role_of(u), locked=u.username in locked) for u in users]


def _day_start(day: date) -> datetime:
    """Midnight of a day in the campaign's time zone (settings.TIME_ZONE)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(
    *, username: str = "", action: str = "", since: date | None = None, until: date | None = None
) -> QuerySet[AuditEvent]:
    """The audit log, newest first, filtered by a user (who acted, or whose account it was:
    a failed login as them has no actor), the action and the days (inclusive, in the campaign's
    time zone)."""
    events = AuditEvent.objects.all()
    if username:
        events = events.filter(Q(username=username) | Q(target=f"user {username}"))
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(at__gte=_day_start(since))
    if until:
        events = events.filter(at__lt=_day_start(until + timedelta(days=1)))
    return events.order_by("-at", "-id")
