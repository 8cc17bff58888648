"""The admins' pages: users and roles, and the audit log (the raw Django admin stays for
superusers' rare needs)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required, permission_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recall.audit_text import detail_rows, detail_text, event_sentence
from recall.forms import AuditFilterForm, UserCreateForm, UserRoleForm
from recall.http import AuthenticatedHttpRequest
from recall.lib import csvsafe
from recall.models import AuditEvent, audit
from recall.roles import role_of
from recall.selectors import audit_events, locked_usernames, user_rows
from recall.services import (
    user_active_set,
    user_create_with_role,
    user_password_change_record,
    user_password_link,
    user_role_set,
    user_unlock,
)

can_manage_users = permission_required("auth.change_user", raise_exception=True)
can_read_audit = permission_required("recall.view_auditevent", raise_exception=True)
AUDIT_PAGE_SIZE = 100


def _zone() -> str:
    """The campaign's time zone for column headings ("Los Angeles time"): every time on these
    pages is in it, winter or summer."""
    zone = settings.TIME_ZONE.rsplit("/", 1)[-1].replace("_", " ")
    return gettext("%(zone)s time") % {"zone": zone}


@login_required
@can_manage_users
@require_GET
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {"rows": user_rows(), "zone": _zone(),
               "failure_limit": settings.LOGIN_FAILURE_LIMIT}  # fmt: skip
    return render(request, "recall/users.html", context)


def _link_page(request: AuthenticatedHttpRequest, user: User, *, new: bool) -> HttpResponse:
    base_url = request.build_absolute_uri("/").removesuffix("/")
    link = user_password_link(actor=request.user, user=user, base_url=base_url)
    context = {"subject": user, "link": link, "new": new,
               "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
               "emailed": bool(settings.EMAIL_HOST and user.email)}  # fmt: skip
    return render(request, "recall/user_link.html", context)


@login_required
@can_manage_users
@never_cache  # the answer holds a way into the new account
@require_http_methods(["GET", "POST"])
def user_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_create_with_role(password=None, created_by=request.user, **form.cleaned_data)
        return _link_page(request, user, new=True)
    status = 400 if request.method == "POST" else 200
    return render(request, "recall/user_new.html", {"form": form}, status=status)


@login_required
@can_manage_users
@require_GET
def user_detail(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=user_id)
    context = {
        "subject": subject,
        "role": role_of(subject),
        "locked": subject.username in locked_usernames(),
        "form": UserRoleForm(initial={"role": role_of(subject)}),
        "own": subject.pk == request.user.pk,
        "events": [(e, event_sentence(e)) for e in audit_events(username=subject.username)[:10]],
        "zone": _zone(),
    }
    return render(request, "recall/user_detail.html", context)


def _managed(request: AuthenticatedHttpRequest, user_id: int) -> User:
    """The user an action is for (the services refuse the admin's own account, and a
    superuser's to an admin who is not one)."""
    return get_object_or_404(User, pk=user_id)


@login_required
@can_manage_users
@require_POST
def user_role(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    subject = _managed(request, user_id)
    form = UserRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose one of the roles."))
    elif user_role_set(actor=request.user, user=subject, role=form.cleaned_data["role"]):
        messages.success(request, gettext("%(username)s is now %(role)s.") % {
            "username": subject.username, "role": gettext(form.cleaned_data["role"])})  # fmt: skip
    return redirect("user-detail", user_id=subject.pk)


@login_required
@can_manage_users
@require_POST
def user_active(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    subject = _managed(request, user_id)
    active = request.POST.get("active") == "1"
    user_active_set(actor=request.user, user=subject, active=active)
    if active:
        messages.success(request, gettext("%(username)s can log in again.") % {
            "username": subject.username})  # fmt: skip
    else:
        messages.success(request, gettext(
            "%(username)s is deactivated: they cannot log in, and a session they have open "
            "ends at their next click.") % {"username": subject.username})  # fmt: skip
    return redirect("user-detail", user_id=subject.pk)


@login_required
@can_manage_users
@permission_required("axes.delete_accessattempt", raise_exception=True)
@require_POST
def user_unlock_view(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    subject = _managed(request, user_id)
    user_unlock(actor=request.user, user=subject)
    messages.success(request, gettext("%(username)s may log in again now.") % {
        "username": subject.username})  # fmt: skip
    return redirect("user-detail", user_id=subject.pk)


@login_required
@can_manage_users
@never_cache
@require_POST
def user_link(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """A new set-password link, for a user who has forgotten their password."""
    return _link_page(request, _managed(request, user_id), new=False)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Where a set-password link leads: Django's password-reset page (the token works once),
    the password set recorded, and then the login page."""

    template_name = "registration/set_password.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user_password_change_record(actor=form.user, user=form.user)
        messages.success(self.request, gettext("Your password is set: log in with it now."))
        return response


set_password = login_not_required(SetPasswordView.as_view())


def _filtered(
    request: AuthenticatedHttpRequest,
) -> tuple[AuditFilterForm, dict[str, Any], QuerySet[AuditEvent]]:
    """The filter form, the filters it holds (none if any is invalid) and the events they
    select."""
    form = AuditFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    events = audit_events(username=filters.get("user", ""), action=filters.get("action", ""),
                          since=filters.get("since"), until=filters.get("until"))  # fmt: skip
    return form, filters, events


@login_required
@can_read_audit
@require_GET
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, _, events = _filtered(request)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(e, event_sentence(e), detail_rows(e)) for e in page]
    query = request.GET.copy()
    query.pop("page", None)
    usernames = User.objects.order_by("username").values_list("username", flat=True)
    context = {"form": form, "page": page, "rows": rows, "zone": _zone(),
               "query": query.urlencode(), "usernames": usernames}  # fmt: skip
    return render(request, "recall/audit_log.html", context)


@login_required
@can_read_audit
@require_GET
def audit_log_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """The filtered events as CSV: times in the campaign's zone with their offset, the action's
    code for tools beside its words, the details on one line."""
    _, filters, events = _filtered(request)
    audit(user=request.user, action=AuditEvent.Action.DOWNLOAD, target="audit log",
          filters={k: str(v) for k, v in filters.items()})  # fmt: skip

    def rows() -> Any:
        yield ["at", "user", "action", "action_code", "event", "target", "details"]
        for e in events.iterator(chunk_size=2000):
            yield [timezone.localtime(e.at).isoformat(timespec="seconds"), e.username,
                   e.get_action_display(), e.action, event_sentence(e), e.target,
                   detail_text(detail_rows(e))]  # fmt: skip

    response = StreamingHttpResponse(csvsafe.csv_lines(rows()), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response
