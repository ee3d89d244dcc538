"""Included by accounts/urls.py, in the `accounts` namespace."""

from django.urls import path

from accounts.privacy import views

urlpatterns = [
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("privacy/export/", views.export_request, name="privacy_export"),
    path("privacy/export/<str:token>/", views.export_download, name="privacy_export_download"),
    path("privacy/delete/", views.LoginDeleteView.as_view(), name="privacy_delete"),
    path("privacy/close/", views.CustomerCloseView.as_view(), name="privacy_close"),
    path("people/transfer/", views.OwnershipTransferView.as_view(), name="ownership_transfer"),
]
