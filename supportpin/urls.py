from django.urls import path
from django.views.generic import RedirectView

app_name = "supportpin"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:dashboard"), name="mobile_services"),
]
