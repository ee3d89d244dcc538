from django.contrib import admin

from accounts.privacy.models import DataExport, Deletion
from portal.admin import ReadOnlyAuditAdmin


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAuditAdmin):
    """Status only: staff never see or download the content."""

    list_display = ("user", "status", "created_at", "ready_at", "expires_at", "size")
    list_filter = ("status",)
    list_select_related = ("user",)
    search_fields = ("user__username",)
    fields = ("user", "status", "created_at", "ready_at", "expires_at", "size")
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return list(self.fields)


@admin.register(Deletion)
class DeletionAdmin(ReadOnlyAuditAdmin):
    list_display = ("scope", "status", "customer_number", "created_at", "purge_after", "purged_at")
    list_filter = ("scope", "status")
    search_fields = ("customer_number",)
    date_hierarchy = "created_at"
