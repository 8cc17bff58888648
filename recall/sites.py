"""The admin site: Django's, with a 403 for a signed-in user whose role does not reach it."""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied


class RecallAdminSite(admin.AdminSite):
    site_header = "Recall signature tracker: administration"
    site_title = "Recall administration"
    index_title = "Users, roles, the audit log and login lock-outs"

    def admin_view(self, view, cacheable=False):
        """Django sends anyone without access to the admin's login page, which then asks a
        signed-in volunteer to sign in again as someone else. Here a signed-in user whose role
        does not reach the admin site gets a 403, as on every other page; an anonymous visitor
        still goes to the login page."""
        guarded = super().admin_view(view, cacheable)

        @wraps(guarded)
        def inner(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied("The admin site is for admins.")
            return guarded(request, *args, **kwargs)

        return inner


class RecallAdminConfig(AdminConfig):
    """django.contrib.admin (in INSTALLED_APPS) with RecallAdminSite as admin.site."""

    default_site = "recall.sites.RecallAdminSite"
