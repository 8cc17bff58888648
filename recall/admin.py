from typing import Any

from axes.models import AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from recall.models import AuditEvent
from recall.services import (
    role_state,
    user_delete_record,
    user_password_change_record,
    user_role_change_record,
    user_staff_sync,
)


# ModelAdmin[AuditEvent] would fail at run time: Django's admin classes are generic only in
# django-stubs (django_stubs_ext.monkeypatch(), not installed, would make them subscriptable).
@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The audit log for admins to browse and filter; nobody can add, change or delete it."""

    list_display = ("at", "username", "action", "target")
    list_filter = ("action", "at")
    search_fields = ("target", "username")
    date_hierarchy = "at"
    readonly_fields = ("at", "user", "username", "action", "target", "detail")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False


admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):  # type: ignore[type-arg]  # as AuditEventAdmin
    """Django's user admin, with every change of roles or rights in the audit log.

    Rights come from roles: staff status (the admin site) follows the Admin role, and only a
    superuser grants superuser status or single permissions, or changes a superuser's account
    (an admin could otherwise make themselves one, or take over one's password)."""

    # Roles as checkboxes, not the two-pane picker (whose icons carry ARIA labels a screen reader
    # may not read: axe's aria-prohibited-attr); four roles fit in a list.
    filter_horizontal = ("user_permissions",)

    def formfield_for_manytomany(
        self, db_field: "models.ManyToManyField[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> "forms.ModelMultipleChoiceField[Any] | None":
        if db_field.name == "groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        # is_staff is set from the roles on save; the dates are the record's (their split date
        # and time inputs had no labels, either).
        fields = ["is_staff", "last_login", "date_joined"]
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return [*super().get_readonly_fields(request, obj), *fields]

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # the password was set
            user_password_change_record(actor=request.user, user=User.objects.get(pk=id))
        return response

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        # The state before, read from the database: the form has already changed `obj`. Kept on
        # the request (an attribute of our own, for save_related) until the groups are saved.
        before = role_state(User.objects.get(pk=obj.pk)) if change else None
        request.recall_role_before = before  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # groups are saved here
        user_staff_sync(form.instance)
        before = request.recall_role_before  # type: ignore[attr-defined]  # set by save_model
        user_role_change_record(actor=request.user, user=form.instance, before=before)

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        user_delete_record(actor=request.user, user=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            user_delete_record(actor=request.user, user=user)
        super().delete_queryset(request, queryset)


# django-axes registers its access logs too; both are off here (logins are in our audit log).
admin.site.unregister(AccessLog)
admin.site.unregister(AccessFailureLog)
