from django.urls import path

from sms import views

app_name = "sms"

urlpatterns = [
    path("status/<int:sms_id>/", views.twilio_status_callback, name="status"),
]
