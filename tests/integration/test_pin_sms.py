"""A Support PIN SMS requested through the view travels through Redis to a real Celery
worker, which sends it through the official Twilio SDK to the local stand-in."""

import pytest
from django.urls import reverse

from accounts.models import User
from sms.models import SmsMessage
from supportpin.pin import format_pin
from supportpin.services import support_pin_activate
from tests.factories import CommittingClient, make_customer, make_user, pin_of
from tests.integration.waiting import wait_for

pytestmark = pytest.mark.integration


def test_pin_sms_requested_in_the_panel_arrives_at_twilio_through_the_worker(
    celery_worker_on_redis, twilio_backend
):
    customer = make_customer(name="Integration Ltd", contract_number="C-9001")
    user = make_user(
        "ivy.integration", customer=customer, role=User.Role.OWNER, mobile="+306912340001"
    )
    support_pin_activate(user=user, acting_user=user)
    client = CommittingClient()
    client.force_login(user)

    response = client.post(reverse("supportpin:send_sms"))

    assert response.status_code == 302
    assert wait_for(lambda: twilio_backend.accepted), "no SMS reached the Twilio stand-in"
    [message] = twilio_backend.accepted
    assert message["To"] == user.mobile
    assert format_pin(pin_of(user)) in message["Body"]
    record = SmsMessage.objects.get(user=user)
    assert message["StatusCallback"].endswith(f"/sms/status/{record.pk}/")
    assert wait_for(lambda: SmsMessage.objects.get(user=user).status == SmsMessage.Status.SENT)
