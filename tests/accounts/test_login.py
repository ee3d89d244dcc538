"""Login with email or username, logout by POST, brute-force lockout (issue 2)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
DASHBOARD = reverse("portal:dashboard")


def log_in(client, login: str, password: str = PASSWORD, address: str = "203.0.113.7"):
    return client.post(LOGIN, {"username": login, "password": password}, REMOTE_ADDR=address)


def logged_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_login_page_links_to_forgotten_password_forgotten_username_and_registration(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'for="id_username"' in response.text
    assert 'for="id_password"' in response.text
    assert reverse("accounts:password_reset") in response.text
    assert reverse("accounts:username_reminder") in response.text
    assert reverse("accounts:register") in response.text


@pytest.mark.parametrize(
    "login",
    [
        "olga.owner",
        "OLGA.OWNER",
        "olga.owner@example.com",
        "Olga.Owner@EXAMPLE.com",
        " olga.owner ",
    ],
)
def test_a_customer_logs_in_with_email_or_username_in_any_case(client, owner, login):
    response = log_in(client, login)

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert logged_in_user_id(client) == str(owner.pk)
    event = AccountEvent.objects.get(user=owner, kind=AccountEvent.Kind.LOGGED_IN)
    assert event.ip_address == "203.0.113.7"


def test_login_goes_back_to_the_page_that_asked_for_it(client, owner):
    page = client.get(reverse("accounts:profile"))
    assert page["Location"] == f"{LOGIN}?next={reverse('accounts:profile')}"
    form = client.get(page["Location"])
    assert f'name="next" value="{reverse("accounts:profile")}"' in form.text

    response = client.post(
        LOGIN, {"username": "olga.owner", "password": PASSWORD, "next": reverse("accounts:profile")}
    )

    assert response["Location"] == reverse("accounts:profile")


def test_login_never_redirects_to_another_site(client, owner):
    response = client.post(
        LOGIN, {"username": "olga.owner", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == DASHBOARD


def test_a_wrong_password_is_refused_with_a_clear_message(client, owner):
    response = log_in(client, "olga.owner", "Correct-horse-battery-42")

    assert response.status_code == 200
    assert logged_in_user_id(client) is None
    assert "The login or the password is not correct" in response.text
    assert "Please correct the errors below." in response.text


def test_an_unknown_login_gets_the_same_message_as_a_wrong_password(client, owner):
    unknown = log_in(client, "nobody")
    wrong = log_in(client, "olga.owner", "nope-nope-nope")
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()


def test_an_empty_form_gives_field_errors(client):
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert response.context["form"].errors.keys() == {"username", "password"}
    assert 'id="id_username_error"' in response.text


def test_a_removed_member_cannot_log_in(client, member):
    member.is_active = False
    member.last_login = member.date_joined
    member.save()

    response = log_in(client, member.username)

    assert logged_in_user_id(client) is None
    assert "not activated" not in response.text


def test_logged_in_visitors_skip_the_login_page(owner_client):
    assert owner_client.get(LOGIN)["Location"] == DASHBOARD


def test_logout_is_refused_on_get(owner_client, owner):
    response = owner_client.get(LOGOUT)

    assert response.status_code == 405
    assert logged_in_user_id(owner_client) == str(owner.pk)


def test_logout_by_post_ends_the_session(owner_client):
    response = owner_client.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert logged_in_user_id(owner_client) is None
    assert owner_client.get(DASHBOARD).status_code == 302


def test_the_account_menu_logs_out_with_a_form_that_posts(owner_client):
    page = owner_client.get(DASHBOARD).text
    assert f'<form action="{LOGOUT}" method="post">' in page


def test_five_failures_for_a_login_from_an_address_lock_them_out(client, owner):
    for _attempt in range(4):
        assert log_in(client, "olga.owner", "wrong-password").status_code == 200

    fifth = log_in(client, "OLGA.OWNER", "wrong-password")
    sixth = log_in(client, "olga.owner", PASSWORD)

    assert fifth.status_code == 429
    assert sixth.status_code == 429
    assert logged_in_user_id(client) is None
    assert "Too many failed attempts" in sixth.text
    assert "15 minutes" in sixth.text
    assert reverse("accounts:password_reset") in sixth.text
    assert 'class="site-header"' in sixth.text


def test_lockout_does_not_reach_the_same_login_from_another_address(client, owner):
    for _attempt in range(5):
        log_in(client, "olga.owner", "wrong-password", address="198.51.100.1")

    response = log_in(client, "olga.owner", address="198.51.100.2")

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(owner.pk)


def test_lockout_does_not_reach_another_login_from_the_same_address(client, owner, member):
    for _attempt in range(5):
        log_in(client, "olga.owner", "wrong-password")

    response = log_in(client, member.username)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(member.pk)


def test_lockout_ends_after_fifteen_minutes(client, owner):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _attempt in range(5):
            log_in(client, "olga.owner", "wrong-password")
        traveller.shift(timedelta(minutes=16))

        response = log_in(client, "olga.owner")

    assert response.status_code == 302


def test_a_successful_login_resets_the_failure_count(client, owner):
    for _attempt in range(4):
        log_in(client, "olga.owner", "wrong-password")
    log_in(client, "olga.owner")
    client.post(LOGOUT)

    for _attempt in range(4):
        log_in(client, "olga.owner", "wrong-password")

    assert log_in(client, "olga.owner").status_code == 302


def test_login_sets_the_language_cookie_to_the_preferred_language(client, owner):
    owner.language = "el"
    owner.save()

    response = log_in(client, "olga.owner")

    assert response.cookies["django_language"].value == "el"
    assert client.get(DASHBOARD).headers["Content-Language"] == "el"


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, owner):
    for attempt in range(5):
        client.post(
            LOGIN,
            {"username": "olga.owner", "password": "wrong-password"},
            HTTP_X_FORWARDED_FOR=f"8.8.4.{attempt}",
        )

    response = client.post(
        LOGIN, {"username": "olga.owner", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="8.8.8.8"
    )

    assert response.status_code == 429
    assert logged_in_user_id(client) is None


PROXY = "10.0.0.1"


def log_in_behind_proxy(client, login: str, forwarded_for: str, password: str = PASSWORD):
    return client.post(
        LOGIN,
        {"username": login, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_proxy_a_lockout_reaches_only_the_address_that_failed(client, owner, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _attempt in range(5):
        log_in_behind_proxy(client, "olga.owner", "198.51.100.1", password="wrong-password")

    # The same login from another customer's address, through the same proxy.
    response = log_in_behind_proxy(client, "olga.owner", "198.51.100.2")

    assert response.status_code == 302
    event = AccountEvent.objects.get(user=owner, kind=AccountEvent.Kind.LOGGED_IN)
    assert event.ip_address == "198.51.100.2"


def test_behind_a_proxy_addresses_forged_left_of_it_do_not_escape_the_lockout(
    client, owner, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(5):
        log_in_behind_proxy(
            client, "olga.owner", f"8.8.4.{attempt}, 198.51.100.1", password="wrong-password"
        )

    response = log_in_behind_proxy(client, "olga.owner", "8.8.8.8, 198.51.100.1")

    assert response.status_code == 429
    assert logged_in_user_id(client) is None


def test_guesses_by_username_and_by_email_count_against_the_same_login(client, owner):
    for login in ["olga.owner", "OLGA.owner", "olga.owner", owner.email, owner.email.upper()]:
        assert log_in(client, login, "wrong-password").status_code in (200, 429)

    by_username = log_in(client, "olga.owner")
    by_email = log_in(client, owner.email)

    assert by_username.status_code == by_email.status_code == 429
    assert logged_in_user_id(client) is None


def test_four_guesses_by_username_and_email_leave_the_login_open(client, owner):
    for login in ["olga.owner", "olga.owner", owner.email, owner.email]:
        log_in(client, login, "wrong-password")

    assert log_in(client, owner.email).status_code == 302


def test_unknown_names_are_counted_as_typed_in_any_case(client, owner):
    for login in ["Nobody", "NOBODY", "nobody", "noBody", "nobody"]:
        log_in(client, login, "wrong-password")

    assert log_in(client, "NoBody").status_code == 429
    assert log_in(client, "nobody@example.com").status_code == 200


def test_the_admin_login_counts_guesses_by_username_and_email_with_the_portals(client, agent):
    admin_login = reverse("admin:login")

    def at_admin(login: str, password: str):
        return client.post(
            admin_login, {"username": login, "password": password}, REMOTE_ADDR="203.0.113.7"
        )

    for _attempt in range(3):
        at_admin(agent.username.upper(), "wrong-password")
    log_in(client, agent.email, "wrong-password")
    at_admin(agent.email, "wrong-password")

    assert at_admin(agent.username, PASSWORD).status_code == 429
    assert log_in(client, agent.username).status_code == 429
    assert logged_in_user_id(client) is None
