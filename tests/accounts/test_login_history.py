"""Every attempt to log in is recorded (issue 9): on the portal's login, the second step
and the admin's login; shown on the Security page for LOGIN_HISTORY_DAYS, then purged."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from accounts.activity.services import login_attempt_record, login_history_purge
from accounts.mfa import services as mfa_services
from accounts.models import LoginAttempt
from accounts.tasks import purge_login_history
from portal.admin import ReadOnlyAuditAdmin
from tests.factories import PASSWORD, logged_in, totp_code, totp_device

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SECOND_STEP = reverse("accounts:second_step")
SECURITY = reverse("accounts:security")
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def log_in(client, login, password=PASSWORD, agent=FIREFOX_WINDOWS, address="203.0.113.7"):
    return client.post(
        LOGIN,
        {"username": login, "password": password},
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=agent,
    )


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_login_by_password_is_recorded_with_address_browser_and_system(client, owner):
    log_in(client, owner.username)

    attempt = LoginAttempt.objects.get(user=owner)
    assert attempt.outcome == LoginAttempt.Outcome.SUCCESS
    assert attempt.method == LoginAttempt.Method.PASSWORD
    assert attempt.ip_address == "203.0.113.7"
    assert (attempt.browser_family, attempt.browser_version, attempt.system) == (
        "Firefox",
        "128",
        "windows",
    )
    assert attempt.session_id == client.session["signed_in_session"]


def test_a_wrong_password_is_recorded_against_the_login(client, owner):
    log_in(client, owner.email, password="wrong-password-1")

    attempt = LoginAttempt.objects.get()
    assert (attempt.user, attempt.outcome) == (owner, LoginAttempt.Outcome.WRONG_PASSWORD)


def test_an_unknown_login_is_recorded_without_a_user_and_without_the_name_typed(client, owner):
    log_in(client, "nobody-like-this", password="my-password-typed-as-name")

    attempt = LoginAttempt.objects.get()
    assert attempt.user is None
    assert attempt.outcome == LoginAttempt.Outcome.UNKNOWN_LOGIN
    stored = " ".join(str(value) for value in LoginAttempt.objects.values().get().values())
    assert "nobody" not in stored


def test_attempts_past_the_lockout_are_recorded_as_locked(client, owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, owner.username, password="wrong-password-1")
    response = log_in(client, owner.username)

    assert response.status_code == 429
    outcomes = list(LoginAttempt.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes[-1] == LoginAttempt.Outcome.LOCKED
    assert LoginAttempt.Outcome.SUCCESS not in outcomes


def test_the_second_step_records_the_wrong_code_and_the_method_that_logged_in(client, owner):
    device = totp_device(owner)
    log_in(client, owner.username)
    assert not LoginAttempt.objects.exists()

    client.post(SECOND_STEP, {"code": wrong(totp_code(device))}, HTTP_USER_AGENT=FIREFOX_WINDOWS)
    # django-otp makes the device wait a moment after a wrong code.
    with time_machine.travel(timezone.now() + timedelta(seconds=10)):
        client.post(SECOND_STEP, {"code": totp_code(device)}, HTTP_USER_AGENT=FIREFOX_WINDOWS)

    assert list(LoginAttempt.objects.order_by("id").values_list("outcome", "method")) == [
        (LoginAttempt.Outcome.WRONG_CODE, LoginAttempt.Method.APP),
        (LoginAttempt.Outcome.SUCCESS, LoginAttempt.Method.APP),
    ]


def test_a_locked_second_step_is_recorded_as_locked(client, owner, settings):
    device = totp_device(owner)
    log_in(client, owner.username)
    for _ in range(settings.TWO_FACTOR_FAILURE_LIMIT):
        client.post(SECOND_STEP, {"code": wrong(totp_code(device))})

    assert LoginAttempt.objects.order_by("id").last().outcome == LoginAttempt.Outcome.LOCKED


def test_a_remembered_browser_is_recorded_as_such(client, owner):
    device = totp_device(owner)
    log_in(client, owner.username)
    client.post(SECOND_STEP, {"code": totp_code(device), "remember": "on"})
    client.post(reverse("accounts:logout"))

    log_in(client, owner.username)

    assert LoginAttempt.objects.order_by("id").last().method == LoginAttempt.Method.REMEMBERED


def test_the_admin_login_is_recorded_once_with_its_second_step(client, agent):
    device = totp_device(agent)
    failed = client.post(
        reverse("admin:login"), {"username": agent.username, "password": "wrong-password-1"}
    )
    assert failed.status_code == 200
    client.post(reverse("admin:login"), {"username": agent.username, "password": PASSWORD})
    client.get(reverse("admin:index"))
    client.post(SECOND_STEP, {"code": totp_code(device)})

    assert list(LoginAttempt.objects.order_by("id").values_list("user", "outcome", "method")) == [
        (agent.pk, LoginAttempt.Outcome.WRONG_PASSWORD, LoginAttempt.Method.PASSWORD),
        (agent.pk, LoginAttempt.Outcome.SUCCESS, LoginAttempt.Method.APP),
    ]


def test_confirming_identity_again_is_not_a_login(owner):
    client = logged_in(owner)
    client.post(reverse("accounts:reauthenticate"), {"password": "wrong-password-1"})
    assert not LoginAttempt.objects.exists()


def test_the_security_page_lists_the_history_newest_first_and_marks_this_session(client, owner):
    log_in(client, owner.username, agent=SAFARI_IPHONE, address="198.51.100.2")
    client.post(reverse("accounts:logout"))
    log_in(client, owner.username, password="wrong-password-1")
    log_in(client, owner.username)

    page = client.get(SECURITY)

    rows = page.text.split('data-testid="login-attempt"')[1:]
    assert len(rows) == 3
    assert "Firefox 128" in rows[0] and 'data-testid="this-session"' in rows[0]
    assert "Wrong password" in rows[1]
    assert "Safari 17" in rows[2] and "iPhone" in rows[2] and "198.51.100.2" in rows[2]
    assert 'data-testid="this-session"' not in rows[2]


def test_the_history_shows_only_the_logins_own_attempts_and_only_the_kept_days(
    client, owner, other_owner, settings
):
    with time_machine.travel(timezone.now() - timedelta(days=settings.LOGIN_HISTORY_DAYS + 1)):
        login_attempt_record(
            user=owner,
            outcome="success",
            method="password",
            ip_address="192.0.2.99",
            user_agent=FIREFOX_WINDOWS,
        )
    login_attempt_record(
        user=other_owner,
        outcome="success",
        method="password",
        ip_address="192.0.2.55",
        user_agent=FIREFOX_WINDOWS,
    )
    log_in(client, owner.username)

    page = client.get(SECURITY).text
    assert page.count('data-testid="login-attempt"') == 1
    assert "192.0.2.99" not in page and "192.0.2.55" not in page


def test_the_history_is_paginated(client, owner):
    for _ in range(25):
        login_attempt_record(
            user=owner,
            outcome="wrong_password",
            method="password",
            ip_address=None,
            user_agent="",
        )
    log_in(client, owner.username)

    first = client.get(SECURITY).text
    second = client.get(SECURITY, {"history_page": 2}).text
    assert first.count('data-testid="login-attempt"') == 20
    assert second.count('data-testid="login-attempt"') == 6
    assert "Page 2 of 2" in second


def test_the_security_page_takes_the_same_queries_for_many_attempts_and_sessions(
    owner, django_assert_max_num_queries
):
    client = logged_in(owner)
    login_attempt_record(
        user=owner, outcome="success", method="password", ip_address=None, user_agent=""
    )
    with django_assert_max_num_queries(21) as few:
        client.get(SECURITY)
    for index in range(30):
        login_attempt_record(
            user=owner,
            outcome="success",
            method="app",
            ip_address="192.0.2.1",
            user_agent=SAFARI_IPHONE if index % 2 else FIREFOX_WINDOWS,
        )
        logged_in(owner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(SECURITY)
    assert page.text.count('data-testid="signed-in-session"') == 31


def test_the_purge_deletes_the_history_older_than_the_kept_days(owner, settings):
    settings.LOGIN_HISTORY_DAYS = 30
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        old = login_attempt_record(
            user=owner, outcome="success", method="password", ip_address=None, user_agent=""
        )
    with time_machine.travel(timezone.now() - timedelta(days=29)):
        kept = login_attempt_record(
            user=owner, outcome="success", method="password", ip_address=None, user_agent=""
        )

    assert purge_login_history.apply().get() == 1
    assert list(LoginAttempt.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not LoginAttempt.objects.filter(pk=old.pk).exists()
    assert login_history_purge() == 0


def test_the_purge_runs_every_day(settings):
    jobs = {job["task"]: job for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert jobs["accounts.tasks.purge_login_history"]["schedule"] == 24 * 60 * 60


def test_staff_read_any_logins_history_in_the_admin_and_cannot_change_it(supervisor_client, owner):
    attempt = login_attempt_record(
        user=owner,
        outcome="wrong_password",
        method="password",
        ip_address="203.0.113.9",
        user_agent=FIREFOX_WINDOWS,
    )
    assert isinstance(admin.site._registry[LoginAttempt], ReadOnlyAuditAdmin)
    listing = supervisor_client.get(reverse("admin:accounts_loginattempt_changelist"))
    assert "203.0.113.9" in listing.text
    change = reverse("admin:accounts_loginattempt_change", args=[attempt.pk])
    assert supervisor_client.post(change, {"outcome": "success"}).status_code == 403
    delete = reverse("admin:accounts_loginattempt_delete", args=[attempt.pk])
    assert supervisor_client.post(delete, {"post": "yes"}).status_code == 403
    assert LoginAttempt.objects.get().outcome == LoginAttempt.Outcome.WRONG_PASSWORD


def test_the_second_step_by_a_recovery_code_is_recorded_as_such(client, owner):
    totp_device(owner)
    codes = mfa_services.recovery_codes_generate(user=owner, acting_user=owner)
    log_in(client, owner.username)
    client.post(SECOND_STEP, {"code": codes[0], "method": "recovery"})

    assert LoginAttempt.objects.get().method == LoginAttempt.Method.RECOVERY
