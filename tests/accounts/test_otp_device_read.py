"""The session's second-factor device is read by a statement compiled once
(accounts.middleware.OTPMiddleware): the device django-otp reads, read again on every
request, so that a device deleted, unconfirmed or not the login's verifies nothing."""

import pytest
from django.test import RequestFactory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import OTPMiddleware
from tests.factories import logged_in_verified, make_user, totp_device

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"


def fields(device) -> dict:
    return {field.attname: getattr(device, field.attname) for field in device._meta.fields}


def test_the_device_is_the_one_django_otp_reads(agent):
    device = totp_device(agent)
    middleware = OTPMiddleware(lambda request: None)

    for persistent_id in (
        device.persistent_id,
        f"django_otp.plugins.otp_totp.models.TOTPDevice/{device.pk}",  # a legacy id
    ):
        ours = middleware._device_from_persistent_id(persistent_id)
        theirs = Device.from_persistent_id(middleware._normalize_persistent_id(persistent_id))
        assert type(ours) is TOTPDevice and fields(ours) == fields(theirs)
    for nonsense in (
        "otp_totp.totpdevice/999999",
        "otp_totp.totpdevice/x",
        f"otp_totp.totpdevice/{2**64}",
        "nothing.here/1",
        "no-slash",
        "accounts.user/1",  # a model, not a device
    ):
        assert middleware._device_from_persistent_id(nonsense) is None


def test_a_request_is_verified_by_the_sessions_device(agent):
    client = logged_in_verified(agent)
    assert client.get(ADMIN).status_code == 200
    request = RequestFactory().get(ADMIN)
    request.session = client.session
    request.user = agent
    OTPMiddleware(lambda request: None)(request)

    assert request.user.is_verified()
    assert request.user.otp_device.persistent_id == client.session[DEVICE_ID_SESSION_KEY]


def test_a_device_unconfirmed_or_deleted_stops_verifying_the_next_request(agent):
    client = logged_in_verified(agent)
    device = TOTPDevice.objects.get(user=agent)
    assert client.get(ADMIN).status_code == 200

    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    assert client.get(ADMIN).status_code == 302
    assert DEVICE_ID_SESSION_KEY not in client.session

    other = logged_in_verified(make_user("otto.agent", is_staff=True))
    assert other.get(ADMIN).status_code == 200
    TOTPDevice.objects.filter(user__username="otto.agent").delete()
    assert other.get(ADMIN).status_code == 302


def test_another_logins_device_verifies_nothing(agent):
    client = logged_in_verified(agent)
    stranger = make_user("sam.stranger", is_staff=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(stranger).persistent_id
    session.save()

    assert client.get(ADMIN).status_code == 302
