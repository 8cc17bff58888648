"""The admin site: Django's, signed into on our own login page, with a 403 for a signed-in user
whose role does not reach it."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


class RecallAdminSite(admin.AdminSite):
    site_header = "Recall signature tracker: administration"
    site_title = "Recall administration"
    index_title = "Users, roles, the audit log and login lock-outs"

    @method_decorator(never_cache)
    @login_not_required
    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """One login page for the whole app, with its lock-out page and its audit: ours."""
        from django.contrib.auth.views import redirect_to_login  # loads models: not at start-up

        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or index
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = index
        if self.has_permission(request):
            return HttpResponseRedirect(next_url)
        return redirect_to_login(next_url)

    def admin_view(self, view: V, cacheable: bool = False) -> V:
        """Django sends anyone without access to the admin's login page, which then asks a
        signed-in volunteer to sign in again as someone else. Here a signed-in user whose role
        does not reach the admin site gets a 403, as on every other page; an anonymous visitor
        still goes to the login page."""
        guarded = super().admin_view(view, cacheable)

        @wraps(guarded)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied("The admin site is for admins.")
            return guarded(request, *args, **kwargs)

        return cast(V, inner)  # wraps() gives it the view's name and attributes


class RecallAdminConfig(AdminConfig):
    """django.contrib.admin (in INSTALLED_APPS) with RecallAdminSite as admin.site."""

    default_site = "recall.sites.RecallAdminSite"
