"""Included by accounts/urls.py, in the `accounts` namespace."""

from django.urls import path

from accounts.activity import views as activity_views
from accounts.mfa import views

urlpatterns = [
    path("login/verify/", views.SecondStepView.as_view(), name="second_step"),
    path("login/verify/passkey/", views.passkey_options, name="passkey_options"),
    path("confirm-identity/", views.ReauthenticateView.as_view(), name="reauthenticate"),
    path("security/", views.SecurityView.as_view(), name="security"),
    path("security/app/", views.AuthenticatorAppView.as_view(), name="security_app"),
    path("security/email/", views.EmailCodesView.as_view(), name="security_email"),
    path("security/sms/", views.SmsCodesView.as_view(), name="security_sms"),
    path("security/passkeys/begin/", views.passkey_register_begin, name="passkey_register_begin"),
    path(
        "security/passkeys/complete/",
        views.passkey_register_complete,
        name="passkey_register_complete",
    ),
    path(
        "security/remove/<str:key>/<int:pk>/",
        views.MethodRemoveView.as_view(),
        name="security_remove",
    ),
    path("security/default/", views.default_method_choose, name="security_default"),
    path(
        "security/recovery-codes/",
        views.RecoveryCodesView.as_view(),
        name="security_recovery_show",
    ),
    path(
        "security/browsers/forget/",
        views.remembered_browsers_forget,
        name="security_browsers_forget",
    ),
    path(
        "security/sessions/<int:pk>/sign-out/",
        activity_views.session_end,
        name="security_session_end",
    ),
    path(
        "security/sessions/sign-out-others/",
        activity_views.sessions_end_others,
        name="security_sessions_end_others",
    ),
]
