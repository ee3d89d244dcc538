"""Codes by SMS as a second factor (issue 8): only to a verified mobile, enabled by the
first code, usable in the login's second step and in re-authentication, removable, and
never for staff."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.mfa import methods
from accounts.mfa.services import sms_codes_start
from accounts.models import RecoveryCodeDevice, SmsDevice, User
from sms.models import SmsMessage
from tests.factories import PASSWORD, CommittingClient, logged_in, make_user, sms_code_in

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SECOND_STEP = reverse("accounts:second_step")
SECURITY = reverse("accounts:security")
SECURITY_SMS = reverse("accounts:security_sms")
REAUTH = reverse("accounts:reauthenticate")
DASHBOARD = reverse("portal:dashboard")
MOBILE = "+306912345678"


def signed_in(user: User, device=None) -> CommittingClient:
    """A client logged in as `user` a moment ago, past the second step by `device`."""
    client = logged_in(user)
    session = client.session
    if device is not None:
        session["otp_device_id"] = device.persistent_id
    session["reauthenticated_at"] = time.time()
    session.save()
    return client


def digits(code: str) -> str:
    return code.replace(" ", "")


def with_sms_codes(user: User, sms_outbox) -> SmsDevice:
    client = signed_in(user)
    client.post(SECURITY_SMS, {"action": "start"})
    client.post(SECURITY_SMS, {"action": "confirm", "code": sms_code_in(sms_outbox, MOBILE)})
    sms_outbox.clear()
    return SmsDevice.objects.get(user=user, confirmed=True)


def password_step(client, user):
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD})


def test_codes_by_sms_are_enabled_by_the_first_code_sent_to_the_verified_mobile(owner, sms_outbox):
    client = signed_in(owner)
    assert "Use codes by SMS" in client.get(SECURITY).text

    client.post(SECURITY_SMS, {"action": "start"})
    device = SmsDevice.objects.get(user=owner)
    assert not device.confirmed
    [sms] = sms_outbox
    assert sms.to == MOBILE
    assert "login code" in sms.body
    response = client.post(
        SECURITY_SMS, {"action": "confirm", "code": sms_code_in(sms_outbox, MOBILE)}
    )

    device.refresh_from_db()
    assert device.confirmed
    # The first method: recovery codes are shown.
    assert response["Location"] == reverse("accounts:security_recovery_show")
    assert RecoveryCodeDevice.objects.filter(user=owner).exists()
    assert "On: codes go by SMS to +30 691 234 5678." in client.get(SECURITY).text


def test_the_code_is_in_the_sms_only_never_in_the_database(owner, sms_outbox):
    client = signed_in(owner)
    client.post(SECURITY_SMS, {"action": "start"})
    code = digits(sms_code_in(sms_outbox, MOBILE))

    device = SmsDevice.objects.values().get()
    assert not any(code in str(value) for value in device.values())
    record = SmsMessage.objects.get()
    assert code not in record.body.replace(" ", "")
    assert record.get_purpose_display() == "Login code by SMS"


@pytest.mark.parametrize("mobile_verified_at", [None, "none"])
def test_codes_by_sms_are_refused_without_a_verified_mobile(
    customer, sms_outbox, mobile_verified_at
):
    user = (
        make_user("nomobile", customer=customer)
        if mobile_verified_at == "none"
        else make_user("unverified", customer=customer, mobile=MOBILE, mobile_verified_at=None)
    )
    client = signed_in(user)
    page = client.get(SECURITY)
    assert "Codes by SMS need a verified mobile number." in page.text

    response = client.post(SECURITY_SMS, {"action": "start"}, follow=True)

    assert "need a verified mobile number" in response.text
    assert not SmsDevice.objects.exists()
    assert sms_outbox == []


def test_staff_cannot_use_codes_by_sms(agent):
    agent.mobile = MOBILE
    agent.mobile_verified_at = timezone.now()
    agent.save()
    client = signed_in(agent)
    from tests.factories import totp_device

    session = client.session
    session["otp_device_id"] = totp_device(agent).persistent_id
    session.save()

    assert client.post(SECURITY_SMS, {"action": "start"}).status_code == 404
    assert "Use codes by SMS" not in client.get(SECURITY).text
    assert not methods.SMS.staff_allowed


def test_the_second_step_texts_a_code_on_request_and_accepts_it_once(client, owner, sms_outbox):
    with_sms_codes(owner, sms_outbox)
    password_step(client, owner)

    page = client.get(SECOND_STEP)
    assert "Text me a code" in page.text
    assert sms_outbox == []
    client.post(SECOND_STEP, {"method": "sms", "action": "send"})
    code = sms_code_in(sms_outbox, MOBILE)
    response = client.post(SECOND_STEP, {"method": "sms", "code": code})
    assert response["Location"] == DASHBOARD

    other = CommittingClient()
    password_step(other, owner)
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        reused = other.post(SECOND_STEP, {"method": "sms", "code": code})
    assert reused.status_code == 400


def test_a_code_by_sms_expires_after_the_minutes_the_setting_names(
    client, owner, sms_outbox, settings
):
    settings.TWO_FACTOR_SMS_CODE_MINUTES = 5
    with_sms_codes(owner, sms_outbox)
    password_step(client, owner)
    client.post(SECOND_STEP, {"method": "sms", "action": "send"})
    assert "It works for 5 minutes" in sms_outbox[0].body
    code = sms_code_in(sms_outbox, MOBILE)

    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)):
        password_step(client, owner)
        response = client.post(SECOND_STEP, {"method": "sms", "code": code})

    assert response.status_code == 400


def test_another_code_waits_for_the_cooldown(client, owner, sms_outbox):
    with_sms_codes(owner, sms_outbox)
    password_step(client, owner)

    client.post(SECOND_STEP, {"method": "sms", "action": "send"})
    response = client.post(SECOND_STEP, {"method": "sms", "action": "send"}, follow=True)

    assert len(sms_outbox) == 1
    assert "a moment ago" in response.text


def test_codes_go_to_the_new_number_once_it_is_verified(
    owner, sms_outbox, django_capture_on_commit_callbacks
):
    device = with_sms_codes(owner, sms_outbox)
    client = signed_in(owner, device)
    client.post(
        reverse("accounts:profile"),
        {"full_name": owner.full_name, "mobile": "+306912345670", "language": "en"},
    )
    client.post(
        reverse("accounts:mobile_verify"), {"code": sms_code_in(sms_outbox, "+306912345670")}
    )
    sms_outbox.clear()
    owner.refresh_from_db()

    from accounts.mfa.services import sms_code_send

    with django_capture_on_commit_callbacks(execute=True):
        sms_code_send(device=SmsDevice.objects.get(pk=device.pk))

    assert [sms.to for sms in sms_outbox] == ["+306912345670"]


def test_the_mobile_cannot_be_removed_while_codes_go_to_it(owner, sms_outbox):
    device = with_sms_codes(owner, sms_outbox)
    client = signed_in(owner, device)

    response = client.post(
        reverse("accounts:profile"),
        {"full_name": owner.full_name, "mobile": "", "language": "en"},
        follow=True,
    )

    assert "Stop codes by SMS on the Security page first" in response.text
    assert User.objects.get(pk=owner.pk).mobile == MOBILE


def test_re_authentication_accepts_a_code_by_sms(owner, sms_outbox):
    device = with_sms_codes(owner, sms_outbox)
    client = logged_in(owner)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session["reauthenticated_at"] = time.time() - 3600
    session.save()
    url = f"{REAUTH}?next={SECURITY}"

    page = client.get(url)
    assert "Text me a code" in page.text
    client.post(url, {"action": "send", "method": "sms"})
    response = client.post(
        url, {"action": "code", "password": PASSWORD, "code": sms_code_in(sms_outbox, MOBILE)}
    )

    assert response["Location"] == SECURITY


def test_the_last_method_by_sms_is_removed_with_the_password_and_a_texted_code(owner, sms_outbox):
    device = with_sms_codes(owner, sms_outbox)
    client = signed_in(owner, device)
    url = reverse("accounts:security_remove", args=["sms", device.pk])

    assert "Text me a code" in client.get(url).text
    client.post(url, {"action": "send", "method": "sms"})
    client.post(url, {"password": PASSWORD, "code": sms_code_in(sms_outbox, MOBILE)})

    assert not SmsDevice.objects.exists()


def test_no_code_is_sent_to_a_number_no_longer_verified(owner, sms_outbox):
    device = sms_codes_start(user=owner)
    sms_outbox.clear()
    SmsMessage.objects.all().delete()
    User.objects.filter(pk=owner.pk).update(mobile_verified_at=None)
    owner.refresh_from_db()

    from accounts.mfa.services import NoVerifiedMobile, sms_code_send

    with pytest.raises(NoVerifiedMobile):
        sms_code_send(device=SmsDevice.objects.get(pk=device.pk))
    assert sms_outbox == []


def test_re_authentication_after_too_many_wrong_passwords_says_how_long_to_wait(owner):
    client = logged_in(owner)
    session = client.session
    session["reauthenticated_at"] = time.time() - 3600
    session.save()
    url = f"{REAUTH}?next={SECURITY}"
    for _ in range(5):
        client.post(url, {"action": "code", "password": "wrong"})

    response = client.post(url, {"action": "code", "password": PASSWORD})

    assert response.status_code == 429
    assert "Please try again in 15 minutes" in response.text
