from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from billing.api import api as billing_api
from portal import views
from sms.views import twilio_status_callback

portal_patterns = (
    [
        path("", views.home, name="home"),
        path("dashboard/", views.dashboard, name="dashboard"),
        path("language/", views.set_language, name="set_language"),
    ],
    "portal",
)

urlpatterns = [
    path("", include(portal_patterns)),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics, name="metrics"),
    path("accounts/", include("accounts.urls")),
    path("tickets/", include("tickets.urls")),
    path("help/", include("helpcentre.urls")),
    path("sms/", include("sms.urls")),
    # Delivery reports of the SMS sent before the gateway moved to /sms/ still come here.
    path("support-pin/sms/status/<int:sms_id>/", twilio_status_callback),
    path("support-pin/", include("supportpin.urls")),
    path("billing/", include("billing.urls")),
    path("api/v1/", billing_api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"

# Read when a page is drawn, in the language of the request.
_site_name = lazy(lambda: settings.SITE_NAME, str)()
admin.site.site_header = format_lazy("{} · {}", _site_name, _("Administration"))
admin.site.site_title = admin.site.site_header
