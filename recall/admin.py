from django.contrib import admin

from recall.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log for admins to browse and filter; nobody can add, change or delete it."""

    list_display = ("at", "user", "action", "target")
    list_filter = ("action", "at")
    search_fields = ("target", "user__username")
    date_hierarchy = "at"
    readonly_fields = ("at", "user", "action", "target", "detail")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
