from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views
from accounts.mobile import views as mobile_views

app_name = "accounts"

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("register/done/", views.RegisterDoneView.as_view(), name="register_done"),
    path("activate/resend/", views.ActivationResendView.as_view(), name="activation_resend"),
    path("activate/<str:token>/", views.ActivateView.as_view(), name="activate"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("username/", views.UsernameReminderView.as_view(), name="username_reminder"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("mobile/verify/", mobile_views.MobileVerifyView.as_view(), name="mobile_verify"),
    path("mobile/verify/start/", mobile_views.mobile_verify_start, name="mobile_verify_start"),
    path("email/", views.EmailChangeView.as_view(), name="email_change"),
    path(
        "email/confirm/<str:token>/",
        views.EmailChangeConfirmView.as_view(),
        name="email_change_confirm",
    ),
    path("people/", views.PeopleView.as_view(), name="people"),
    path("people/<int:pk>/permissions/", views.member_permissions, name="member_permissions"),
    path("people/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("invitation/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
]

# Two-factor authentication: the login's second step, re-authentication, the Security page.
urlpatterns += [path("", include("accounts.mfa.urls"))]

# Privacy: the data export, deleting a login, transferring ownership, closing the customer.
urlpatterns += [path("", include("accounts.privacy.urls"))]
