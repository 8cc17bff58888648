from datetime import timedelta

from django.utils import timezone

from recall.models import AuditEvent

FLAG_WINDOW = timedelta(days=7)


def recent_lookup_flags() -> int:
    """How many times users were flagged for unusual voter look-ups in the last 7 days."""
    since = timezone.now() - FLAG_WINDOW
    return AuditEvent.objects.filter(action=AuditEvent.Action.LOOKUP_FLAG, at__gte=since).count()
