"""At most REGISTRATION_LIMIT_PER_ADDRESS_HOUR registrations an hour from one client
address (issue 8). Registrations with a known address count like any other, so past the
limit the page says the same to everyone and reveals no account."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.accounts.test_registration import registration
from tests.factories import make_user

pytestmark = pytest.mark.django_db
REGISTER = reverse("accounts:register")


def register_as(client, n: int, address: str = "203.0.113.5", **overrides):
    data = registration(
        **{"username": f"newcomer{n}", "email": f"newcomer{n}@example.net", **overrides}
    )
    return client.post(REGISTER, data, REMOTE_ADDR=address)


def test_the_sixth_registration_in_an_hour_from_one_address_is_asked_to_wait(client, mailoutbox):
    answers = [register_as(client, n) for n in range(6)]

    assert [a.status_code for a in answers] == [302] * 5 + [429]
    assert "Please try again later" in answers[-1].text
    assert not User.objects.filter(username="newcomer5").exists()
    assert len(mailoutbox) == 5


def test_known_addresses_count_and_the_answer_past_the_limit_is_the_same(client, mailoutbox):
    make_user("known", email="known@example.net")
    for n in range(4):
        register_as(client, n)
    register_as(client, 4, email="known@example.net")

    unknown = register_as(client, 5)
    known = register_as(client, 6, email="known@example.net")

    assert (unknown.status_code, known.status_code) == (429, 429)
    for answer in (unknown, known):
        assert answer.context["form"].non_field_errors() == [
            "Too many accounts have been registered from your network in the last hour. "
            "Please try again later."
        ]


def test_another_address_and_the_next_hour_are_not_held_back(client, settings):
    settings.REGISTRATION_LIMIT_PER_ADDRESS_HOUR = 1
    with time_machine.travel(timezone.now(), tick=False) as clock:
        register_as(client, 0)
        assert register_as(client, 1).status_code == 429
        assert register_as(client, 2, address="198.51.100.9").status_code == 302
        clock.shift(timedelta(hours=1))
        assert register_as(client, 3).status_code == 302
