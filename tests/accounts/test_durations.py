"""Every duration an account page or email names comes from the setting that enforces it:
change the setting and the text follows, in the singular too."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def lock_out(client, login: str) -> str:
    for _attempt in range(5):
        response = client.post(
            reverse("accounts:login"), {"username": login, "password": "wrong-password"}
        )
    assert response.status_code == 429
    return response.text


@pytest.mark.parametrize(("minutes", "text"), [(30, "30 minutes"), (1, "1 minute.")])
def test_the_lockout_page_names_the_cool_off_of_the_setting(client, owner, settings, minutes, text):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=minutes)

    page = lock_out(client, owner.username)

    assert f"blocked for {text}" in page
    assert "15 minutes" not in page


@pytest.mark.parametrize(("days", "text"), [(5, "expires in 5 days."), (1, "expires in 1 day.")])
def test_the_activation_email_names_the_days_of_the_setting(
    client, mailoutbox, settings, days, text
):
    settings.ACCOUNT_ACTIVATION_DAYS = days

    client.post(
        reverse("accounts:register"),
        {
            "full_name": "Nikos Papadopoulos",
            "email": "nikos@example.com",
            "username": "nikos",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    (message,) = mailoutbox
    assert text in message.body
    assert text in message.alternatives[0][0]


def test_the_invitation_email_names_the_days_of_the_setting(owner_client, mailoutbox, settings):
    settings.ACCOUNT_INVITATION_DAYS = 2

    owner_client.post(
        reverse("accounts:people"),
        {"full_name": "Maria Member", "email": "maria@example.com", "username": "maria"},
    )

    (message,) = mailoutbox
    assert "expires in 2 days." in message.body


def test_the_email_change_link_names_the_hours_of_the_setting(owner_client, mailoutbox, settings):
    settings.ACCOUNT_EMAIL_CHANGE_HOURS = 48

    owner_client.post(
        reverse("accounts:email_change"),
        {"new_email": "olga@new.example", "current_password": PASSWORD},
    )

    (confirm,) = [m for m in mailoutbox if m.to == ["olga@new.example"]]
    assert "expires in 48 hours." in confirm.body


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (3 * 60 * 60, "expires in 3 hours."),
        (60 * 60, "expires in 1 hour."),
        (90 * 60, "expires in 90 minutes."),
    ],
)
def test_the_password_reset_email_names_the_timeout_of_the_setting(
    client, owner, mailoutbox, settings, seconds, text
):
    settings.PASSWORD_RESET_TIMEOUT = seconds

    client.post(reverse("accounts:password_reset"), {"email": owner.email})

    (message,) = mailoutbox
    assert text in message.body
    assert text in message.alternatives[0][0]
    assert "a few hours" not in message.body
