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

    def _models_shown(self) -> list[tuple]:
        """For every registered model: its admin, app label, name, object name, list and
        add URLs, and its app's name and URL, worked out once per process (and URLconf,
        script prefix and language): the list of apps needs about 80 URLs and 50
        translated names on every page that shows it."""
        key = (get_urlconf(), get_script_prefix(), get_language())
        registry = tuple(self._registry.items())
        built = self.__dict__.setdefault("_models_shown_by_key", {})
        if key in built and built[key][0] == registry:
            return built[key][1]

        def url(name: str, **kwargs) -> str | None:
            try:
                return reverse(name, kwargs=kwargs or None, current_app=self.name)
            except NoReverseMatch:
                return None

        shown = []
        for model, model_admin in registry:
            app_label, model_name = model._meta.app_label, model._meta.model_name
            shown.append(
                (
                    model,
                    model_admin,
                    app_label,
                    str(capfirst(model._meta.verbose_name_plural)),
                    model._meta.object_name,
                    url(f"admin:{app_label}_{model_name}_changelist"),
                    url(f"admin:{app_label}_{model_name}_add"),
                    str(apps.get_app_config(app_label).verbose_name),
                    url("admin:app_list", app_label=app_label),
                )
            )
        built[key] = (registry, shown)
        return shown

    def _build_app_dict(self, request: HttpRequest, label: str | None = None) -> dict:
        """Django's, with the URLs and names of _models_shown(); the permissions are
        checked on every request, as Django does."""
        app_dict = {}
        for (
            model,
            model_admin,
            app_label,
            name,
            object_name,
            admin_url,
            add_url,
            app_name,
            app_url,
        ) in self._models_shown():
            if label and app_label != label:
                continue
            has_module_perms = model_admin.has_module_permission(request)
            if not has_module_perms:
                continue
            perms = model_admin.get_model_perms(request)
            if True not in perms.values():
                continue
            model_dict = {
                "model": model,
                "name": name,
                "object_name": object_name,
                "perms": perms,
                "admin_url": None,
                "add_url": None,
            }
            if perms.get("change") or perms.get("view"):
                model_dict["view_only"] = not perms.get("change")
                model_dict["admin_url"] = admin_url
            if perms.get("add"):
                model_dict["add_url"] = add_url
            if app_label in app_dict:
                app_dict[app_label]["models"].append(model_dict)
            else:
                app_dict[app_label] = {
                    "name": app_name,
                    "app_label": app_label,
                    "app_url": app_url,
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
