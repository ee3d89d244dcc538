from django.urls import path
from django.views.generic import RedirectView

app_name = "tickets"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:dashboard"), name="list"),
]
