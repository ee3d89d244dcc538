"""The login's signed-in devices (issue 9): listed on the Security page, ended one by one
or all but this one, and ended by a password change or reset and by a 2FA reset."""

from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.activity import flows
from accounts.activity import services as activity_services
from accounts.models import AccountEvent, SignedInSession, TwoFactorState
from tests.factories import PASSWORD, CommittingClient, link_in, logged_in, totp_device

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SECURITY = reverse("accounts:security")
DASHBOARD = reverse("portal:dashboard")
END_OTHERS = reverse("accounts:security_sessions_end_others")
NEW_PASSWORD = "another-Battery-staple-77"
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def signed_in_by_form(user, agent=FIREFOX_WINDOWS, address="203.0.113.7") -> CommittingClient:
    client = CommittingClient(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response["Location"] == DASHBOARD
    return client


def session_of(client) -> SignedInSession:
    return SignedInSession.objects.get(pk=client.session[flows.SESSION_INDEX_KEY])


def is_logged_in(client) -> bool:
    return client.get(DASHBOARD).status_code == 200


def end_url(session: SignedInSession) -> str:
    return reverse("accounts:security_session_end", args=[session.pk])


def test_sessions_stay_in_the_database_so_redis_going_down_signs_nobody_out(owner):
    from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert issubclass(store, DatabaseStore)
    client = signed_in_by_form(owner)
    assert Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()


def test_a_login_is_listed_with_its_browser_system_and_address_as_this_device(owner):
    laptop = signed_in_by_form(owner)
    signed_in_by_form(owner, agent=SAFARI_IPHONE, address="198.51.100.2")

    page = laptop.get(SECURITY).text

    rows = page.split('data-testid="signed-in-session"')[1:]
    assert len(rows) == 2
    this = next(row for row in rows if "Firefox 128" in row)
    other = next(row for row in rows if "Safari 17" in row)
    assert 'data-testid="this-device"' in this and "Windows computer" in this
    assert 'data-testid="this-device"' not in other
    assert "iPhone" in other and "198.51.100.2" in other
    assert "Sign out Safari 17" in other and "Sign out Firefox 128" not in this


def test_logging_out_unlists_the_session(owner):
    client = signed_in_by_form(owner)
    client.post(reverse("accounts:logout"))
    assert not SignedInSession.objects.exists()


def test_sign_out_ends_the_other_device_at_once(owner):
    laptop = signed_in_by_form(owner)
    phone = signed_in_by_form(owner, agent=SAFARI_IPHONE)
    phone_session = session_of(phone)

    response = laptop.post(end_url(phone_session))

    assert response["Location"] == SECURITY
    assert not is_logged_in(phone)
    assert phone.get(DASHBOARD)["Location"].startswith(LOGIN)
    assert is_logged_in(laptop)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert not store().exists(phone_session.session_key)
    assert AccountEvent.objects.filter(
        user=owner, kind=AccountEvent.Kind.SESSIONS_ENDED, actor=owner
    ).exists()


def test_sign_out_everywhere_else_ends_all_others_and_forgets_remembered_browsers(owner):
    laptop = signed_in_by_form(owner)
    others = [signed_in_by_form(owner, agent=SAFARI_IPHONE) for _ in range(3)]
    generation = TwoFactorState.objects.filter(user=owner).values_list("generation", flat=True)
    before = generation.first() or 0

    response = laptop.post(END_OTHERS, follow=True)

    assert "3 other devices are signed out." in response.text
    assert not any(is_logged_in(other) for other in others)
    assert is_logged_in(laptop)
    assert list(SignedInSession.objects.values_list("pk", flat=True)) == [session_of(laptop).pk]
    assert generation.first() == before + 1
    assert AccountEvent.objects.filter(user=owner, kind=AccountEvent.Kind.BROWSERS_FORGOTTEN)


def test_a_session_unlisted_by_sign_out_is_logged_out_even_if_the_store_still_has_it(owner):
    phone = signed_in_by_form(owner)
    SignedInSession.objects.all().delete()
    assert not is_logged_in(phone)


def index_reads(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert is_logged_in(client)
    return sum('FROM "accounts_signedinsession"' in q["sql"] for q in queries)


def test_the_index_is_read_when_last_active_is_due_to_move_not_on_every_request(owner):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = signed_in_by_form(owner)
        assert index_reads(client) == 1
        assert index_reads(client) == 0
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        assert index_reads(client) == 0
    with time_machine.travel(start + timedelta(seconds=60), tick=False):
        assert index_reads(client) == 1
        assert index_reads(client) == 0
    assert session_of(client).last_seen_at == start + timedelta(seconds=60)


def test_sign_out_ends_a_session_at_once_even_just_after_its_index_was_read(owner):
    laptop = signed_in_by_form(owner)
    phone = signed_in_by_form(owner, agent=SAFARI_IPHONE)
    assert is_logged_in(phone)

    laptop.post(end_url(session_of(phone)))

    assert not is_logged_in(phone)


def test_a_new_session_key_reads_the_index_at_once(owner):
    laptop = signed_in_by_form(owner)
    assert is_logged_in(laptop)
    laptop.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert index_reads(laptop) == 1
    assert session_of(laptop).session_key == laptop.session.session_key


def test_a_login_racing_sign_out_everywhere_leaves_no_session_alive(owner, monkeypatch):
    """The worst interleaving: the new session is indexed, then "Sign out everywhere
    else" runs on the laptop before the login's response is sent."""
    laptop = signed_in_by_form(owner)
    keep = session_of(laptop).pk
    real_start = activity_services.session_start

    def start_then_sign_out_elsewhere(**kwargs):
        session = real_start(**kwargs)
        activity_services.sessions_end_others(user=owner, keep_session_id=keep, acting_user=owner)
        return session

    monkeypatch.setattr(activity_services, "session_start", start_then_sign_out_elsewhere)
    racer = CommittingClient(HTTP_USER_AGENT=SAFARI_IPHONE)
    racer.post(LOGIN, {"username": owner.username, "password": PASSWORD})
    monkeypatch.undo()

    assert not is_logged_in(racer)
    assert is_logged_in(laptop)
    assert list(SignedInSession.objects.values_list("pk", flat=True)) == [keep]


def test_another_logins_session_cannot_be_ended_and_answers_404(owner, other_owner):
    mine = signed_in_by_form(owner)
    theirs = signed_in_by_form(other_owner)

    response = mine.post(end_url(session_of(theirs)))

    assert response.status_code == 404
    assert is_logged_in(theirs)


def test_this_device_is_not_ended_by_its_own_sign_out_button(owner):
    laptop = signed_in_by_form(owner)
    assert laptop.post(end_url(session_of(laptop))).status_code == 404
    assert is_logged_in(laptop)


def test_signing_out_needs_a_post_and_a_login(owner, client):
    laptop = signed_in_by_form(owner)
    phone = signed_in_by_form(owner)
    assert laptop.get(end_url(session_of(phone))).status_code == 405
    assert laptop.get(END_OTHERS).status_code == 405
    assert client.post(end_url(session_of(phone)))["Location"].startswith(LOGIN)
    assert client.post(END_OTHERS)["Location"].startswith(LOGIN)
    assert is_logged_in(phone)


def test_last_active_moves_at_most_once_a_minute(owner):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = signed_in_by_form(owner)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get(DASHBOARD)
    assert session_of(client).last_seen_at == start
    with time_machine.travel(start + timedelta(seconds=90), tick=False):
        client.get(DASHBOARD)
    session = session_of(client)
    assert session.last_seen_at == start + timedelta(seconds=90)
    assert session.created_at == start


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(owner):
    laptop = signed_in_by_form(owner)
    phone = signed_in_by_form(owner, agent=SAFARI_IPHONE)

    laptop.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert is_logged_in(laptop)
    assert not is_logged_in(phone)
    [session] = SignedInSession.objects.all()
    assert session.pk == session_of(laptop).pk
    # Django gave the laptop's session a new key; the index follows it, so that signing
    # the laptop out from elsewhere still deletes it from the store.
    assert session.session_key == laptop.session.session_key


def test_a_password_reset_ends_every_session(owner, client, mailoutbox):
    phone = signed_in_by_form(owner)
    client.post(reverse("accounts:password_reset"), {"email": owner.email})
    form = client.get(link_in(mailoutbox[-1], "/accounts/password/reset/"), follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert not is_logged_in(phone)
    assert not SignedInSession.objects.exists()


def test_a_two_factor_reset_by_support_ends_every_session(supervisor_client, owner):
    totp_device(owner)
    phone = logged_in(owner)
    supervisor_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "two_factor_reset", "_selected_action": [owner.pk]},
    )
    assert not SignedInSession.objects.filter(user=owner).exists()
    assert not is_logged_in(phone)


def test_staff_sign_a_session_out_in_the_admin(supervisor_client, supervisor, owner):
    phone = signed_in_by_form(owner)
    response = supervisor_client.post(
        reverse("admin:accounts_signedinsession_changelist"),
        {"action": "sessions_sign_out", "_selected_action": [session_of(phone).pk]},
    )
    assert response.status_code == 302
    assert not is_logged_in(phone)
    assert AccountEvent.objects.filter(
        user=owner, kind=AccountEvent.Kind.SESSIONS_ENDED, actor=supervisor
    ).exists()
