from django.contrib import admin
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


class PortalAdminSite(admin.AdminSite):
    """Django's admin site, with the list of apps (a permission check and a URL for each
    model) built at most once a request, and only when the page shows it: every page's
    context carries it for the navigation sidebar, which the queue leaves out, and the
    home page asked for it twice (its own list, then the sidebar's)."""

    def each_context(self, request: HttpRequest) -> dict:
        request._admin_app_list_lazily = True
        try:
            return super().each_context(request)
        finally:
            del request._admin_app_list_lazily

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list:
        if getattr(request, "_admin_app_list_lazily", False):
            return SimpleLazyObject(lambda: self.get_app_list(request, app_label))
        built = request.__dict__.setdefault("_admin_app_lists", {})
        if app_label not in built:
            built[app_label] = super().get_app_list(request, app_label)
        return built[app_label]


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
