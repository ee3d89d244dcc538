"""Security emails (issue 9): a sign-in from a new browser and system, and each change to
the security of a login, are emailed to its registered address in its language, saying
what to do if it was not the customer."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.activity.services import login_attempt_record
from accounts.mfa import services as mfa_services
from accounts.mobile import services as mobile_services
from accounts.models import User
from tests.factories import (
    PASSWORD,
    CommittingClient,
    logged_in,
    sms_code_in,
    totp_code,
    totp_device,
)

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
FIREFOX_WINDOWS_NEWER = FIREFOX_WINDOWS.replace("128", "131")
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
NEW_SIGN_IN = "New sign-in to your login"
NOT_YOU = "If it was not you"


def log_in(user, agent, address="203.0.113.7"):
    client = CommittingClient(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    return client


def to(mailoutbox, user, subject_part):
    return [m for m in mailoutbox if m.to == [user.email] and subject_part in m.subject]


def test_a_sign_in_from_a_new_browser_and_system_is_emailed_with_what_to_do(owner, mailoutbox):
    log_in(owner, FIREFOX_WINDOWS)
    assert to(mailoutbox, owner, NEW_SIGN_IN) == []

    log_in(owner, SAFARI_IPHONE, address="198.51.100.2")

    [mail] = to(mailoutbox, owner, NEW_SIGN_IN)
    assert "Safari 17" in mail.body and "iPhone" in mail.body
    assert "198.51.100.2" in mail.body
    assert timezone.localtime().strftime("%Y") in mail.body
    assert f"/accounts{reverse('accounts:security').removeprefix('/accounts')}" in mail.body
    assert NOT_YOU in mail.body


def test_a_known_browser_is_not_emailed_even_after_it_updates(owner, mailoutbox):
    log_in(owner, FIREFOX_WINDOWS)
    log_in(owner, FIREFOX_WINDOWS)
    log_in(owner, FIREFOX_WINDOWS_NEWER)
    assert to(mailoutbox, owner, NEW_SIGN_IN) == []


def test_a_browser_not_seen_within_the_history_days_is_new_again(owner, mailoutbox, settings):
    with time_machine.travel(timezone.now() - timedelta(days=settings.LOGIN_HISTORY_DAYS + 1)):
        log_in(owner, SAFARI_IPHONE)
        log_in(owner, FIREFOX_WINDOWS)
    assert len(to(mailoutbox, owner, NEW_SIGN_IN)) == 1
    log_in(owner, FIREFOX_WINDOWS)
    assert len(to(mailoutbox, owner, NEW_SIGN_IN)) == 2


def test_failed_attempts_do_not_make_a_browser_known(owner, mailoutbox):
    log_in(owner, FIREFOX_WINDOWS)
    login_attempt_record(
        user=owner,
        outcome="wrong_password",
        method="password",
        ip_address=None,
        user_agent=SAFARI_IPHONE,
    )
    log_in(owner, SAFARI_IPHONE)
    assert len(to(mailoutbox, owner, NEW_SIGN_IN)) == 1


def test_the_email_is_in_the_logins_language(owner, mailoutbox):
    log_in(owner, FIREFOX_WINDOWS)
    User.objects.filter(pk=owner.pk).update(language="el")
    client = CommittingClient(HTTP_USER_AGENT=SAFARI_IPHONE, HTTP_ACCEPT_LANGUAGE="en")
    client.post(LOGIN, {"username": owner.username, "password": PASSWORD})

    [mail] = [m for m in mailoutbox if m.to == [owner.email]]
    assert "Αν ήσασταν εσείς, δεν χρειάζεται να κάνετε τίποτε άλλο." in mail.body


def test_adding_and_removing_a_two_factor_method_is_emailed(
    owner, mailoutbox, django_capture_on_commit_callbacks
):
    device = totp_device(owner, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        mfa_services.device_confirm(device=device, typed=totp_code(device), acting_user=owner)
        mfa_services.method_remove(device=device, acting_user=owner)

    bodies = [m.body for m in to(mailoutbox, owner, "Security change")]
    assert any("Two-factor method added: Authenticator app." in b for b in bodies)
    assert any("Two-factor method removed: Authenticator app." in b for b in bodies)
    assert all(NOT_YOU in b for b in bodies)


def test_new_recovery_codes_are_emailed(owner, mailoutbox, django_capture_on_commit_callbacks):
    totp_device(owner)
    with django_capture_on_commit_callbacks(execute=True):
        mfa_services.recovery_codes_generate(user=owner, acting_user=owner)
    [mail] = to(mailoutbox, owner, "Security change")
    assert "New recovery codes were made" in mail.body
    assert NOT_YOU in mail.body


def test_a_new_mobile_and_a_removed_one_are_emailed(
    owner, mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    client = logged_in(owner)
    client.post(
        reverse("accounts:profile"),
        {"full_name": owner.full_name, "mobile": "691 234 5670", "language": owner.language},
    )
    code = sms_code_in(sms_outbox, "+306912345670")
    client.post(reverse("accounts:mobile_verify"), {"code": code})
    with django_capture_on_commit_callbacks(execute=True):
        mobile_services.mobile_remove(user=User.objects.get(pk=owner.pk), acting_user=owner)

    bodies = [m.body for m in to(mailoutbox, owner, "Security change")]
    assert len(bodies) == 2
    assert "Your mobile number is now +30 691 234 5670." in bodies[0]
    assert "The mobile number was removed from your login." in bodies[1]


def test_a_password_change_is_emailed_once(owner_client, owner, mailoutbox):
    new = "another-Battery-staple-77"
    owner_client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    [mail] = [m for m in mailoutbox if m.to == [owner.email]]
    assert "has just been changed" in mail.body and NOT_YOU in mail.body
