from django.contrib import admin

from portal.models import SmsMessage


class ReadOnlyAuditAdmin(admin.ModelAdmin):
    """An audit trail in the admin: listed and opened, never added, changed or deleted
    (rows are written only by the services, with the acting user)."""

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAuditAdmin):
    """The SMS outbox and delivery log; records are written only by the gateway."""

    list_display = ("created_at", "to", "purpose", "status", "error_code", "user", "sent_at")
    list_filter = ("status", "purpose", "created_at")
    search_fields = ("to", "provider_sid", "user__username", "user__email")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
