from django.apps import apps
from django.contrib import admin
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.text import capfirst
from django.utils.translation import get_language


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

    def _url(self, name: str, **kwargs) -> str | None:
        """reverse() of an admin URL, once per process (and URLconf and script prefix):
        the list of apps asks for about 80 of them on every page that shows it."""
        key = (get_urlconf(), get_script_prefix(), get_language(), name, tuple(kwargs.items()))
        urls = self.__dict__.setdefault("_reversed_urls", {})
        if key not in urls:
            try:
                urls[key] = reverse(name, kwargs=kwargs or None, current_app=self.name)
            except NoReverseMatch:
                urls[key] = None
        return urls[key]

    def _build_app_dict(self, request: HttpRequest, label: str | None = None) -> dict:
        """Django's, with each URL reversed once per process and each model's name
        translated once (as a string: sorting lazy names translates them at every
        comparison). The permissions are checked on every request, as Django does."""
        app_dict = {}
        for model, model_admin in self._registry.items():
            app_label = model._meta.app_label
            if label and app_label != label:
                continue
            has_module_perms = model_admin.has_module_permission(request)
            if not has_module_perms:
                continue
            perms = model_admin.get_model_perms(request)
            if True not in perms.values():
                continue
            model_name = model._meta.model_name
            model_dict = {
                "model": model,
                "name": str(capfirst(model._meta.verbose_name_plural)),
                "object_name": model._meta.object_name,
                "perms": perms,
                "admin_url": None,
                "add_url": None,
            }
            if perms.get("change") or perms.get("view"):
                model_dict["view_only"] = not perms.get("change")
                model_dict["admin_url"] = self._url(f"admin:{app_label}_{model_name}_changelist")
            if perms.get("add"):
                model_dict["add_url"] = self._url(f"admin:{app_label}_{model_name}_add")
            if app_label in app_dict:
                app_dict[app_label]["models"].append(model_dict)
            else:
                app_dict[app_label] = {
                    "name": apps.get_app_config(app_label).verbose_name,
                    "app_label": app_label,
                    "app_url": self._url("admin:app_list", app_label=app_label),
                    "has_module_perms": has_module_perms,
                    "models": [model_dict],
                }
        return app_dict


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
