import json
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from petitions.selectors.home import next_steps_for
from recall.forms import ThrottledPasswordChangeForm
from recall.health import health_report
from recall.lib.client_ip import client_address
from recall.middleware import LANGUAGE_SESSION_KEY
from recall.roles import ADMIN, ORGANIZER, REVIEWER, VOLUNTEER, role_of
from recall.selectors import recent_lookup_flags
from recall.services import user_language_set, user_password_change_record
from voters.selectors import active_roll

logger = logging.getLogger(__name__)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What this user's role has to do next, per petition, and whether a voter roll is active."""
    user = request.user
    context: dict[str, object] = {
        "role": role_of(user),
        "next_steps": next_steps_for(user),  # type: ignore[arg-type]
    }
    if user.has_perm("voters.view_voterroll") or user.has_perm("petitions.add_line"):
        context["roll"] = active_roll()  # none: an admin imports one, keyed lines wait for it
    if user.has_perm("recall.view_auditevent"):
        context["lookup_flags"] = recent_lookup_flags()
    return render(request, "recall/home.html", context)


# The help page's sections, one per role, in this order after the reader's own.
HELP_SECTIONS = (
    (VOLUNTEER, "recall/help_volunteer.html"),
    (REVIEWER, "recall/help_reviewer.html"),
    (ORGANIZER, "recall/help_organizer.html"),
    (ADMIN, "recall/help_admin.html"),
)


@login_required
@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    """How each role does its work: the reader's own role first, then the others'."""
    role = role_of(request.user)
    sections = sorted(HELP_SECTIONS, key=lambda section: section[0] != role)
    return render(request, "recall/help.html", {
        "role": role, "sections": sections,
        "login_lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES,
    })  # fmt: skip


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 or 503 with the status, for anyone (a load balancer's probe); the details (worker
    host names, connection errors naming hosts, ports and database roles) only to admins, and
    to the log when something is down."""
    ok, report = health_report()
    if not ok:
        logger.warning("healthz: degraded: %s", json.dumps(report, sort_keys=True))
    if request.user.is_authenticated and role_of(request.user) == ADMIN:
        return JsonResponse(report, status=200 if ok else 503)
    return JsonResponse({"status": report["status"]}, status=200 if ok else 503)


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """What browsers ask for on pages that name no icon (Django's admin site)."""
    return redirect(static("favicon.svg"), permanent=True)


@login_not_required
@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """The navbar's language switcher: Django's set_language (the cookie, back to the page), and
    for a signed-in user the choice kept for their next logins and this session."""
    response = set_language(request)
    code = request.POST.get("language", "")
    if request.user.is_authenticated and translation.check_for_language(code):
        user_language_set(user=request.user, language=code)
        request.session[LANGUAGE_SESSION_KEY] = code
    return response


def locked_out(
    request: HttpRequest,
    response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer to a login for a locked username: what happened and when to retry."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {
        "username": str(username)[:150],
        "failure_limit": settings.LOGIN_FAILURE_LIMIT,
        "minutes": settings.LOGIN_LOCKOUT_MINUTES,
    }
    return render(request, "registration/locked_out.html", context, status=429)


def client_ip(request: HttpRequest) -> str:
    """The client's address for django-axes and the audit log (TRUSTED_PROXY_COUNT decides
    whether X-Forwarded-For is read)."""
    return client_address(request.META, settings.TRUSTED_PROXY_COUNT)


def login_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The username django-axes counts failures for, cut to a username's length (150): a longer
    one is typed by no user, and would not fit its table."""
    source = credentials if credentials is not None else request.POST
    return str(source.get("username") or "")[:150]


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password page, with wrong current passwords throttled (ThrottledPasswordChangeForm)
    and the change in the audit log."""

    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: ThrottledPasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        user_password_change_record(actor=self.request.user, user=form.user)
        return response
