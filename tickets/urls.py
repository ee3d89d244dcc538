from django.urls import path

from tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_create, name="create"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path(
        "attachments/<int:pk>/thumbnail/",
        views.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
    path("<str:reference>/", views.ticket_detail, name="detail"),
    path("<str:reference>/close/", views.ticket_close, name="close"),
    path("<str:reference>/reopen/", views.ticket_reopen, name="reopen"),
]
