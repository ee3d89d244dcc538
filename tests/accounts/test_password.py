"""Forgotten password (Django's four reset steps in our layout) and password change."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, User
from tests.factories import PASSWORD, link_in

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
CHANGE = reverse("accounts:password_change")
LOGIN = reverse("accounts:login")
NEW_PASSWORD = "a-Brand-new-secret-77"


def ask_for_reset(client, email: str):
    return client.post(RESET, {"email": email})


def test_forgotten_password_page_asks_for_the_email_address(client):
    response = client.get(RESET)
    assert response.status_code == 200
    assert 'for="id_email"' in response.text
    assert "Forgot your password?" in response.text


def test_password_reset_goes_through_all_four_steps_with_the_mailed_link(client, owner, mailoutbox):
    sent = ask_for_reset(client, "OLGA.owner@example.com")
    assert sent["Location"] == reverse("accounts:password_reset_done")
    assert "Check your email" in client.get(sent["Location"]).text

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [owner.email]
    assert "Support Portal" in message.subject
    assert f"Hello {owner.full_name}" in message.body
    assert "Support Portal" in message.body
    assert owner.username in message.body
    assert message.alternatives and "Hello Olga Owner" in message.alternatives[0][0]

    link = client.get(link_in(message, "/accounts/password/reset/"))
    assert link.status_code == 302
    form_page = client.get(link["Location"])
    assert form_page.status_code == 200
    assert "Choose a new password" in form_page.text
    assert 'for="id_new_password1"' in form_page.text

    done = client.post(
        link["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == reverse("accounts:password_reset_complete")
    complete = client.get(done["Location"])
    assert "Your new password is set" in complete.text

    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    assert (
        client.post(LOGIN, {"username": "olga.owner", "password": NEW_PASSWORD}).status_code == 302
    )
    assert AccountEvent.objects.filter(
        user=owner, kind=AccountEvent.Kind.PASSWORD_RESET, actor=None
    ).exists()


def test_a_reset_password_is_announced_to_the_login_owner(client, owner, mailoutbox):
    ask_for_reset(client, owner.email)
    link = client.get(link_in(mailoutbox[0], "/accounts/password/reset/"))
    client.post(link["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    notice = mailoutbox[-1]
    assert notice.to == [owner.email]
    assert "has been changed" in notice.subject
    assert f"Hello {owner.full_name}" in notice.body
    assert NEW_PASSWORD not in notice.body


def test_a_reset_link_works_only_once(client, owner, mailoutbox):
    ask_for_reset(client, owner.email)
    path = link_in(mailoutbox[0], "/accounts/password/reset/")
    link = client.get(path)
    client.post(link["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(path)

    assert again.status_code == 200
    assert "Password reset link not valid" in again.text
    assert 'name="new_password1"' not in again.text


def test_a_reset_link_expires(client, owner, mailoutbox, settings):
    settings.PASSWORD_RESET_TIMEOUT = 60 * 60
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        ask_for_reset(client, owner.email)
        traveller.shift(timedelta(hours=1, minutes=1))

        response = client.get(link_in(mailoutbox[0], "/accounts/password/reset/"))

    assert "Password reset link not valid" in response.text


def test_a_bad_new_password_gives_a_field_error_and_changes_nothing(client, owner, mailoutbox):
    ask_for_reset(client, owner.email)
    link = client.get(link_in(mailoutbox[0], "/accounts/password/reset/"))

    response = client.post(link["Location"], {"new_password1": "12345", "new_password2": "12345"})

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, mailoutbox, owner):
    known = ask_for_reset(client, owner.email)
    mailoutbox.clear()

    unknown = ask_for_reset(client, "nobody@example.com")

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert mailoutbox == []


def test_an_invalid_address_gives_a_field_error(client, mailoutbox):
    response = ask_for_reset(client, "not-an-address")
    assert response.context["form"].errors["email"]
    assert mailoutbox == []


def test_password_change_is_in_the_account_menu(owner_client):
    page = owner_client.get(reverse("portal:dashboard")).text
    assert f'<a href="{CHANGE}">' in page


def test_password_change_needs_a_login(client):
    assert client.get(CHANGE)["Location"].startswith(LOGIN)


def test_a_customer_changes_the_password_and_stays_logged_in(owner_client, owner, mailoutbox):
    assert 'for="id_old_password"' in owner_client.get(CHANGE).text

    response = owner_client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response["Location"] == reverse("accounts:profile")
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    profile = owner_client.get(reverse("accounts:profile"))
    assert profile.status_code == 200
    assert "Your password has been changed." in profile.text
    assert AccountEvent.objects.filter(
        user=owner, kind=AccountEvent.Kind.PASSWORD_CHANGED, actor=owner
    ).exists()
    assert len(mailoutbox) == 1
    notice = mailoutbox[0]
    assert notice.to == [owner.email]
    assert f"Hello {owner.full_name}" in notice.body
    assert "Support Portal" in notice.body
    assert NEW_PASSWORD not in notice.body and PASSWORD not in notice.body
    assert reverse("accounts:password_reset") in notice.body


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("old_password", {"old_password": "not-my-password"}),
        ("new_password2", {"new_password2": "a-different-one-77"}),
        ("new_password2", {"new_password1": "olga.owner", "new_password2": "olga.owner"}),
        ("new_password2", {"new_password1": "short", "new_password2": "short"}),
    ],
)
def test_password_change_refuses_bad_input_with_a_field_error(
    owner_client, owner, mailoutbox, field, data
):
    post = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}

    response = owner_client.post(CHANGE, {**post, **data})

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in response.text
    assert User.objects.get(pk=owner.pk).check_password(PASSWORD)
    assert mailoutbox == []


def test_the_reset_link_uses_the_public_address_not_the_host_the_request_named(
    client, owner, mailoutbox, settings
):
    settings.SITE_URL = "https://support.example"

    client.post(RESET, {"email": owner.email}, HTTP_HOST="localhost")

    (message,) = mailoutbox
    assert "https://support.example/accounts/password/reset/" in message.body
    assert "localhost" not in message.body


def test_the_reset_email_speaks_the_language_of_the_login(client, owner, mailoutbox):
    owner.language = "el"
    owner.save()

    client.post(RESET, {"email": owner.email})

    (message,) = mailoutbox
    assert "Επιλέξτε νέο κωδικό πρόσβασης" in message.subject


def change_password(client, old_password: str):
    return client.post(
        CHANGE,
        {
            "old_password": old_password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )


def test_wrong_current_passwords_on_the_password_change_are_limited_like_the_email_change(
    owner_client, owner, mailoutbox
):
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(5):
            refused = change_password(owner_client, "guess-guess-1")
            assert "Your old password was entered incorrectly" in refused.text
        blocked = change_password(owner_client, PASSWORD)

        assert blocked.context["form"].errors["old_password"] == [
            "Too many wrong passwords. Please try again in 15 minutes."
        ]
        assert User.objects.get(pk=owner.pk).check_password(PASSWORD)
        assert mailoutbox == []
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=1), tick=False):
        owner_client.force_login(owner)
        assert change_password(owner_client, PASSWORD)["Location"] == reverse("accounts:profile")
    assert User.objects.get(pk=owner.pk).check_password(NEW_PASSWORD)


def test_the_password_change_limit_and_its_wait_follow_the_settings(owner_client, owner, settings):
    settings.ACCOUNT_PASSWORD_CHECK_LIMIT = 2
    settings.ACCOUNT_PASSWORD_CHECK_MINUTES = 1
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(2):
            change_password(owner_client, "guess-guess-1")
        blocked = change_password(owner_client, PASSWORD)

    assert blocked.context["form"].errors["old_password"] == [
        "Too many wrong passwords. Please try again in 1 minute."
    ]


def test_wrong_passwords_on_the_email_and_password_changes_are_counted_together(
    owner_client, owner
):
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(3):
            change_password(owner_client, "guess-guess-1")
        for _ in range(2):
            owner_client.post(
                reverse("accounts:email_change"),
                {"new_email": "olga@new.example", "current_password": "guess-guess-1"},
            )
        blocked = change_password(owner_client, PASSWORD)

    assert "Too many wrong passwords" in blocked.context["form"].errors["old_password"][0]
