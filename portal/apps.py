from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        # The active language, time zone and URL prefix without asgiref's lock.
        from portal import locals as request_locals

        request_locals.install()


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the portal's admin site."""

    default = False
    default_site = "portal.admin.PortalAdminSite"
