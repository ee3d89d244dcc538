"""Every page knows, from the login it has loaded, whether a session that has not given its
second step must give it (User.has_second_factor): a login without a second factor costs
no query of the device tables, and the copy follows every change of the login's devices,
whoever makes it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import services
from accounts.models import User
from tests.factories import logged_in, totp_code, totp_device

pytestmark = pytest.mark.django_db

SECOND_STEP = reverse("accounts:second_step")
DASHBOARD = reverse("portal:dashboard")
DEVICE_TABLES = ("otp_totp", "otp_email", "webauthn", "smsdevice", "recoverycodedevice")


def device_queries(client, url: str = DASHBOARD) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries if any(table in q["sql"] for table in DEVICE_TABLES)]


def flag_of(user: User) -> bool:
    return User.objects.values_list("has_second_factor", flat=True).get(pk=user.pk)


def test_a_page_of_a_login_without_a_second_factor_asks_no_device_table(owner):
    assert device_queries(logged_in(owner)) == []


def test_confirming_a_method_asks_a_session_from_before_for_the_second_step(owner):
    older = logged_in(owner)
    assert older.get(DASHBOARD).status_code == 200

    device = services.authenticator_app_start(user=owner)
    assert not flag_of(owner)
    services.device_confirm(device=device, typed=totp_code(device), acting_user=owner)

    assert flag_of(owner)
    assert older.get(DASHBOARD)["Location"] == SECOND_STEP


def test_removing_the_last_method_lets_the_sessions_be_and_asks_no_device_table(owner):
    device = totp_device(owner)
    assert flag_of(owner)
    EmailDevice.objects.create(user=owner, name="Email", confirmed=True)

    services.method_remove(device=device, acting_user=owner)
    assert flag_of(owner)  # codes by email are still on
    services.method_remove(device=EmailDevice.objects.get(user=owner), acting_user=owner)

    assert not flag_of(owner)
    assert device_queries(logged_in(owner)) == []


def test_a_device_written_outside_the_services_counts_at_once(owner):
    """As django-otp's admin writes them: a save, a save that confirms, a delete."""
    device = TOTPDevice.objects.create(user=owner, name="App", confirmed=False)
    assert not flag_of(owner)
    device.confirmed = True
    device.save()
    assert flag_of(owner)
    device.confirmed = False
    device.save()
    assert not flag_of(owner)
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=owner).delete()
    assert not flag_of(owner)


def test_a_support_reset_turns_the_copy_off(owner, agent):
    totp_device(owner)
    services.two_factor_reset(user=owner, acting_user=agent)
    assert not flag_of(owner)


def test_a_login_saved_from_a_copy_read_before_its_method_was_added_keeps_it_on(owner):
    read_earlier = User.objects.get(pk=owner.pk)
    totp_device(owner)

    read_earlier.full_name = "Maria Papadopoulou-Georgiou"
    read_earlier.save()

    assert flag_of(owner)
    assert User.objects.get(pk=owner.pk).full_name == "Maria Papadopoulou-Georgiou"
