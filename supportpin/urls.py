from django.urls import path

from supportpin import views

app_name = "supportpin"

urlpatterns = [
    path("", views.mobile_services, name="mobile_services"),
    path("activate/", views.activate, name="activate"),
    path("deactivate/", views.deactivate, name="deactivate"),
    path("regenerate/", views.regenerate, name="regenerate"),
    path("send/", views.send_sms, name="send_sms"),
    path("current/", views.current, name="current"),
    path("history/", views.history, name="history"),
    path("sms/inbound/", views.twilio_inbound, name="sms_inbound"),
]
