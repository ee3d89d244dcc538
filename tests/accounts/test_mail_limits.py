"""Every form that sends mail to an address the visitor types is limited: at most
MAIL_LIMIT_PER_RECIPIENT_HOUR mails an hour to one address and MAIL_LIMIT_PER_CLIENT_HOUR
asked from one client address. Past a limit the page is the same and nothing is sent."""

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import PASSWORD, logged_in, make_user

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
REMINDER = reverse("accounts:username_reminder")
RESEND = reverse("accounts:activation_resend")
REGISTER = reverse("accounts:register")
EMAIL_CHANGE = reverse("accounts:email_change")
PEOPLE = reverse("accounts:people")


def answer(response) -> tuple:
    """What the visitor sees: the status, where it leads, and the page without its CSRF
    token (which differs on every page)."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return response.status_code, response.get("Location"), text


@pytest.fixture
def frozen():
    # The limits count in windows of an hour: no edge may fall between two requests.
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def password_reset(client, owner, member) -> tuple[Callable, str]:
    return lambda: client.post(RESET, {"email": owner.email}, follow=True), owner.email


def username_reminder(client, owner, member) -> tuple[Callable, str]:
    return lambda: client.post(REMINDER, {"email": owner.email.upper()}), owner.email


def activation_resend(client, owner, member) -> tuple[Callable, str]:
    pending = make_user("nikos", customer=owner.customer, role=User.Role.OWNER, is_active=False)
    return lambda: client.post(RESEND, {"email": pending.email}), pending.email


def registration_with_a_known_address(client, owner, member) -> tuple[Callable, str]:
    data = {
        "full_name": "Nikos Papadopoulos",
        "email": owner.email,
        "username": "nikos",
        "company_name": "",
        "contract_number": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return lambda: client.post(REGISTER, data, follow=True), owner.email


def email_change_to_a_taken_address(client, owner, member) -> tuple[Callable, str]:
    owner_client = logged_in(owner)
    data = {"new_email": member.email, "current_password": PASSWORD}
    return lambda: owner_client.post(EMAIL_CHANGE, data), member.email


def invitation_to_a_taken_address(client, owner, member) -> tuple[Callable, str]:
    owner_client = logged_in(owner)
    data = {"full_name": "Maria", "email": member.email, "username": "maria"}
    return lambda: owner_client.post(PEOPLE, data, follow=True), member.email


FORMS = [
    password_reset,
    username_reminder,
    activation_resend,
    registration_with_a_known_address,
    email_change_to_a_taken_address,
    invitation_to_a_taken_address,
]


def mails_to(mailoutbox, address: str) -> int:
    return sum(1 for message in mailoutbox if message.to == [address])


@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.__name__)
def test_each_form_mails_an_address_three_times_an_hour_then_answers_the_same_and_sends_nothing(
    client, owner, member, mailoutbox, frozen, form, settings
):
    # Six registrations from one client: the limit on registrations (its own test) aside.
    settings.REGISTRATION_LIMIT_PER_ADDRESS_HOUR = 10
    ask, address = form(client, owner, member)
    answers = [answer(ask()) for _ in range(3)]
    assert mails_to(mailoutbox, address) == 3
    sent = len(mailoutbox)

    past_the_limit = [answer(ask()) for _ in range(3)]

    assert len(mailoutbox) == sent
    assert past_the_limit == answers[-1:] * 3
    assert answers[0] == answers[-1]


def test_the_limit_per_address_counts_across_forms_and_whatever_the_case(
    client, owner, mailoutbox, frozen
):
    client.post(RESET, {"email": owner.email})
    client.post(REMINDER, {"email": owner.email.upper()})
    client.post(RESET, {"email": owner.email.title()})
    assert len(mailoutbox) == 3

    client.post(REMINDER, {"email": owner.email})

    assert len(mailoutbox) == 3


def test_addresses_without_a_login_count_too_so_the_limit_tells_nothing(client, mailoutbox, frozen):
    for _ in range(3):
        client.post(REMINDER, {"email": "nobody@example.com"})
    make_user("late.comer", email="nobody@example.com")

    client.post(REMINDER, {"email": "nobody@example.com"})

    assert mailoutbox == []


def test_one_client_may_ask_for_twenty_mails_an_hour_to_any_addresses(
    client, owner, mailoutbox, frozen
):
    for n in range(20):
        client.post(REMINDER, {"email": f"someone{n}@example.com"})
    below = answer(client.post(RESET, {"email": "nobody@example.com"}, follow=True))
    assert mailoutbox == []

    above = answer(client.post(RESET, {"email": owner.email}, follow=True))

    assert mailoutbox == []
    assert above == below


def test_another_client_is_not_held_back_by_the_first(client, owner, mailoutbox, frozen):
    for n in range(21):
        client.post(REMINDER, {"email": f"someone{n}@example.com"}, REMOTE_ADDR="203.0.113.7")

    client.post(REMINDER, {"email": owner.email}, REMOTE_ADDR="198.51.100.9")

    assert [message.to for message in mailoutbox] == [[owner.email]]


def test_a_logged_in_client_shares_the_client_limit_between_forms(
    owner, member, mailoutbox, frozen
):
    owner_client = logged_in(owner)
    for n in range(10):
        owner_client.post(REMINDER, {"email": f"someone{n}@example.com"})
    for n in range(10):
        owner_client.post(
            PEOPLE, {"full_name": "Someone", "email": f"new{n}@example.com", "username": f"new{n}"}
        )
    assert len(mailoutbox) == 10

    owner_client.post(EMAIL_CHANGE, {"new_email": "olga@new.example", "current_password": PASSWORD})

    assert len(mailoutbox) == 10


def test_past_the_limit_an_invitation_creates_no_login(owner, mailoutbox, frozen, settings):
    settings.MAIL_LIMIT_PER_CLIENT_HOUR = 1
    owner_client = logged_in(owner)
    owner_client.post(
        PEOPLE, {"full_name": "Maria", "email": "maria@example.com", "username": "maria"}
    )

    owner_client.post(PEOPLE, {"full_name": "Mia", "email": "mia@example.com", "username": "mia"})

    assert not User.objects.filter(username="mia").exists()
    assert [message.to for message in mailoutbox] == [["maria@example.com"]]


def test_past_the_limit_a_registration_creates_nothing(client, mailoutbox, frozen, settings):
    settings.MAIL_LIMIT_PER_RECIPIENT_HOUR = 0
    response = client.post(
        REGISTER,
        {
            "full_name": "Nikos",
            "email": "nikos@example.com",
            "username": "nikos",
            "company_name": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response["Location"] == reverse("accounts:register_done")
    assert not User.objects.filter(username="nikos").exists()
    assert mailoutbox == []


def test_the_limits_follow_their_settings(client, owner, mailoutbox, frozen, settings):
    settings.MAIL_LIMIT_PER_RECIPIENT_HOUR = 1
    client.post(RESET, {"email": owner.email})
    client.post(RESET, {"email": owner.email})
    assert len(mailoutbox) == 1

    settings.MAIL_LIMIT_PER_RECIPIENT_HOUR = 50
    settings.MAIL_LIMIT_PER_CLIENT_HOUR = 2
    client.post(RESET, {"email": owner.email})
    client.post(RESET, {"email": owner.email})
    client.post(RESET, {"email": owner.email})
    assert len(mailoutbox) == 3


def test_an_hour_later_the_address_gets_mail_again(client, owner, mailoutbox, frozen):
    for _ in range(4):
        client.post(RESET, {"email": owner.email})
    assert len(mailoutbox) == 3

    frozen.shift(timedelta(hours=1, seconds=1))
    client.post(RESET, {"email": owner.email})

    assert len(mailoutbox) == 4
