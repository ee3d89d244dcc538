"""Limits per destination and allowed countries (issue 8): a number gets at most
SMS_LIMIT_PER_NUMBER_HOUR SMS an hour and SMS_LIMIT_PER_NUMBER_DAY a day, whoever asks
(many logins, or none); nothing goes outside SMS_ALLOWED_COUNTRIES."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from sms.models import SmsMessage
from sms.services import SmsRefused, sms_queue
from tests.factories import make_user
from tests.portal.test_settings import _run

pytestmark = pytest.mark.django_db
NUMBER = "+306912345678"


@pytest.fixture(autouse=True)
def _generous_other_limits(settings):
    settings.SMS_LIMIT_PER_LOGIN_WINDOW = 100
    settings.SMS_LIMIT_PER_LOGIN_DAY = 100
    settings.SMS_LIMIT_PER_ADDRESS_HOUR = 100


def queue(to: str = NUMBER, user=None, ip_address: str | None = None) -> SmsMessage:
    return sms_queue(to=to, purpose="support_pin", body="text", user=user, ip_address=ip_address)


def test_a_number_gets_five_sms_an_hour_whoever_asks(customer):
    logins = [make_user(f"login{n}", customer=customer) for n in range(6)]
    for n, login in enumerate(logins[:5]):
        queue(user=login, ip_address=f"203.0.113.{n}")

    with pytest.raises(SmsRefused) as refused:
        queue(user=logins[5], ip_address="198.51.100.7")

    assert "most SMS allowed in an hour" in str(refused.value.message)
    queue(to="+306912345670", user=logins[5])


def test_a_number_gets_ten_sms_a_day(settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _hour in range(2):
            for _ in range(5):
                queue()
            clock.shift(timedelta(hours=1, minutes=1))
        with pytest.raises(SmsRefused) as refused:
            queue()
        assert "most SMS allowed in a day" in str(refused.value.message)
        clock.shift(timedelta(hours=23))
        queue()


def test_the_limits_per_number_are_settings(settings):
    settings.SMS_LIMIT_PER_NUMBER_HOUR = 2
    queue()
    queue()
    with pytest.raises(SmsRefused):
        queue()


def test_nothing_goes_outside_the_allowed_countries(settings):
    with pytest.raises(SmsRefused) as refused:
        queue(to="+447400123456")
    assert "GR, CY, IT, SK, CZ" in str(refused.value.message)

    settings.SMS_ALLOWED_COUNTRIES = ["GB"]
    queue(to="+447400123456")
    assert SmsMessage.objects.get().to == "+447400123456"


def test_the_allowed_countries_come_from_the_environment():
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(','.join(settings.SMS_ALLOWED_COUNTRIES))"
    )
    default = _run(["-c", code], {})
    changed = _run(["-c", code], {"SMS_ALLOWED_COUNTRIES": "GR, GB"})

    assert default.stdout.strip() == "GR,CY,IT,SK,CZ"
    assert changed.stdout.strip() == "GR,GB"
