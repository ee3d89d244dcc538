from django.contrib import admin


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
