"""The navigation bar (each role sees only the pages it may use), the session's idle limit
for the banner that says a session has ended, and the banner that says what is degraded while
a service is unreachable."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from recall.cache import redis_down

# (label, url name, permission needed); the first matching active prefix is highlighted.
NAVIGATION = (
    (gettext_lazy("Petitions"), "petitions:list", "petitions.view_petition"),
    (gettext_lazy("Circulators"), "circulators:list", "petitions.view_circulator"),
    (gettext_lazy("Voter rolls"), "voters:roll-list", "voters.view_voterroll"),
    (gettext_lazy("Users"), "users", "auth.change_user"),
    (gettext_lazy("Audit log"), "audit-log", "recall.view_auditevent"),
)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, permission in NAVIGATION:
        if user.has_perm(permission):
            url = reverse(url_name)
            items.append({"label": label, "url": url, "active": request.path.startswith(url)})
    if items:  # a user with a role: how that role's work is done (recall/views.py help_page)
        url = reverse("help")
        items.append({"label": _("Help"), "url": url, "active": request.path.startswith(url)})
    return {"nav_items": items, "session_idle_minutes": settings.SESSION_IDLE_MINUTES}


def service_status(request: HttpRequest) -> dict[str, object]:
    """Redis unreachable (this request's session or permissions could not be read from it, or
    it failed moments ago): the page says what that means for the people keying lines."""
    user = getattr(request, "user", None)  # loads the session first: the check is current
    if user is None or not user.is_authenticated or not redis_down():
        return {"degraded": None}
    return {
        "degraded": _(
            "Live checks are paused: the queue service is unreachable. Your lines are "
            "saved and will be checked when it is back."
        )
    }
