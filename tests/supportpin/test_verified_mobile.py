"""The Support PIN goes by SMS only to a verified mobile (issue 8): asked from the panel,
by an agent, or by texting PIN. A number saved before verification existed keeps the
PIN working on the bar, and the page offers to verify it."""

import time
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from sms.models import SmsMessage
from sms.services import sms_deliver
from supportpin.services import SupportPinUnavailable, support_pin_sms_request
from supportpin.sms import render_pin_sms
from tests.factories import activate_pin, logged_in, make_user, sms_code_in
from tests.supportpin.test_twilio import INBOUND, signed_post

pytestmark = pytest.mark.django_db
NOON = datetime(2025, 6, 2, 9, 10, tzinfo=UTC)
PAGE = reverse("supportpin:mobile_services")
MOBILE = "+306912345678"


@pytest.fixture
def unverified(customer) -> User:
    """An owner whose mobile was saved before verification existed."""
    return make_user(
        "ursula.unverified",
        customer=customer,
        role=User.Role.OWNER,
        mobile=MOBILE,
        mobile_verified_at=None,
    )


def test_an_unverified_number_keeps_the_pin_on_the_bar_but_gets_no_sms(unverified, sms_outbox):
    activate_pin(unverified)
    client = logged_in(unverified)

    page = client.get(PAGE)
    response = client.post(reverse("supportpin:send_sms"), follow=True)

    assert "not verified yet" in page.text
    assert 'data-testid="support-pin"' in page.text
    assert "not verified yet" in response.text
    assert sms_outbox == []
    assert not SmsMessage.objects.exists()


def test_the_page_verifies_an_unverified_number_then_the_pin_goes_by_sms(unverified, sms_outbox):
    activate_pin(unverified)
    client = logged_in(unverified)

    response = client.post(reverse("accounts:mobile_verify_start"), {"next": PAGE})
    response = client.post(response["Location"], {"code": sms_code_in(sms_outbox, MOBILE)})
    assert response["Location"] == PAGE
    sms_outbox.clear()
    client.post(reverse("supportpin:send_sms"))

    [sms] = sms_outbox
    assert (sms.to, "Support PIN" in sms.body) == (MOBILE, True)


def test_an_agent_cannot_send_the_pin_to_an_unverified_number(unverified, agent):
    activate_pin(unverified)

    with pytest.raises(SupportPinUnavailable):
        support_pin_sms_request(user=unverified, acting_user=agent)


def test_the_agents_page_says_the_number_is_not_verified(unverified, agent_client):
    activate_pin(unverified)
    page = agent_client.get(
        reverse("admin:supportpin_callerverification_changelist") + f"?login={unverified.pk}"
    )

    assert 'data-testid="mobile-unverified"' in page.text
    assert "Send the PIN to the registered mobile" not in page.text


def test_texting_pin_from_an_unverified_number_gets_nothing(client, unverified, sms_outbox):
    activate_pin(unverified)

    signed_post(client, INBOUND, {"From": MOBILE, "Body": "PIN", "MessageSid": "SMin"})

    assert sms_outbox == []


@time_machine.travel(NOON, tick=False)
def test_a_queued_pin_is_not_sent_once_the_number_is_no_longer_verified(owner, sms_outbox):
    activate_pin(owner)
    record = support_pin_sms_request(user=owner, acting_user=owner)
    User.objects.filter(pk=owner.pk).update(mobile_verified_at=None)

    sms_deliver(sms_id=record.pk, render=render_pin_sms)

    record.refresh_from_db()
    assert record.status == SmsMessage.Status.FAILED
    assert sms_outbox == []


@time_machine.travel(NOON, tick=False)
def test_the_pin_sms_carries_neither_the_login_name_nor_the_company(owner, sms_outbox):
    owner.customer.name = "URGENT call +44 20 7946 0000"
    owner.customer.save()
    activate_pin(owner)
    client = logged_in(owner)

    client.post(reverse("supportpin:send_sms"))

    [sms] = sms_outbox
    assert owner.username not in sms.body
    assert "URGENT" not in sms.body
    assert "+44" not in sms.body


def test_giving_a_first_mobile_asks_for_the_password_again_after_the_window(customer, sms_outbox):
    user = make_user("nomobile", customer=customer, role=User.Role.OWNER)
    client = logged_in(user)
    session = client.session
    session["reauthenticated_at"] = time.time() - 11 * 60
    session.save()

    response = client.post(reverse("supportpin:activate"), {"mobile": "+30 691 234 5670"})

    assert response["Location"] == f"{reverse('accounts:reauthenticate')}?next=%2Fsupport-pin%2F"
    assert sms_outbox == []


def test_regenerating_the_pin_asks_for_the_password_again_after_the_window(owner):
    support_pin = activate_pin(owner)
    secret = support_pin.encrypted_secret
    client = logged_in(owner)
    session = client.session
    session["reauthenticated_at"] = time.time() - 11 * 60
    session.save()

    response = client.post(reverse("supportpin:regenerate"))

    assert response["Location"].startswith(reverse("accounts:reauthenticate"))
    support_pin.refresh_from_db()
    assert support_pin.encrypted_secret == secret


def test_the_page_shows_the_number_waiting_for_its_code(customer, sms_outbox):
    user = make_user("nomobile", customer=customer, role=User.Role.OWNER)
    client = logged_in(user)
    client.post(reverse("supportpin:activate"), {"mobile": "+30 691 234 5670"})

    page = client.get(PAGE)

    assert "We sent a code to +30 691 234 5670" in page.text
    assert 'name="mobile"' not in page.text
    assert User.objects.get(pk=user.pk).mobile_verified_at is None
