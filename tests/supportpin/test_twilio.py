"""The Twilio backend over real HTTP through the official SDK, against a local stand-in;
and the two Twilio webhooks, signed with Twilio's own RequestValidator."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from twilio.request_validator import RequestValidator

from sms import SmsPermanentError, SmsTransientError
from sms.backends.twilio import TwilioBackend
from sms.models import SmsMessage
from supportpin.pin import format_pin
from tests.factories import TWILIO_TOKEN, activate_pin, pin_of

pytestmark = pytest.mark.django_db


def send(owner_client):
    return owner_client.post(reverse("supportpin:send_sms"), follow=True)


def test_backend_sends_through_the_sdk_and_returns_the_message_sid(twilio_standin):
    sid = TwilioBackend().send(to="+306912345678", body="hello")
    [message] = twilio_standin.accepted
    assert sid.startswith("SM")
    assert (message["To"], message["Body"], message["From"]) == (
        "+306912345678",
        "hello",
        "+15005550006",
    )


def test_backend_uses_the_messaging_service_when_configured(twilio_standin, settings):
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "1" * 32
    TwilioBackend().send(to="+306912345678", body="hello", status_callback="https://x/cb")
    [message] = twilio_standin.accepted
    assert message["MessagingServiceSid"] == "MG" + "1" * 32
    assert "From" not in message
    assert message["StatusCallback"] == "https://x/cb"


@pytest.mark.parametrize("code", [21211, 21610, 21614, 21408])
def test_invalid_unsubscribed_or_unreachable_numbers_are_permanent(twilio_standin, code):
    twilio_standin.script(twilio_standin.error(400, code))
    with pytest.raises(SmsPermanentError) as error:
        TwilioBackend().send(to="+306912345678", body="hello")
    assert error.value.code == str(code)


@pytest.mark.parametrize("status,code", [(429, 20429), (500, 20500), (503, 20503)])
def test_throttling_and_server_errors_are_transient(twilio_standin, status, code):
    twilio_standin.script(twilio_standin.error(status, code))
    with pytest.raises(SmsTransientError):
        TwilioBackend().send(to="+306912345678", body="hello")


def test_client_has_a_10_second_timeout(twilio_standin):
    assert TwilioBackend().client.http_client.timeout == 10


def test_an_unreachable_twilio_is_transient(settings):
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:9"
    with pytest.raises(SmsTransientError):
        TwilioBackend().send(to="+306912345678", body="hello")


def test_pin_is_not_logged_when_sent_through_twilio(owner_client, owner, twilio_standin, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    activate_pin(owner)
    send(owner_client)
    pin = pin_of(owner)
    assert twilio_standin.accepted
    assert all(
        pin not in r.getMessage() and format_pin(pin) not in r.getMessage() for r in caplog.records
    )


def test_pin_sms_arrives_at_twilio(owner_client, owner, twilio_standin):
    activate_pin(owner)
    send(owner_client)
    [message] = twilio_standin.accepted
    assert message["To"] == owner.mobile
    assert format_pin(pin_of(owner)) in message["Body"]
    record = SmsMessage.objects.get()
    assert message["StatusCallback"] == f"{settings.SITE_URL}/sms/status/{record.pk}/"
    assert record.status == SmsMessage.Status.SENT


def test_invalid_number_21211_is_not_retried_and_the_error_is_kept(
    owner_client, owner, twilio_standin
):
    activate_pin(owner)
    twilio_standin.script(twilio_standin.error(400, 21211, "Invalid 'To' Phone Number"))
    send(owner_client)
    assert len(twilio_standin.requests) == 1
    record = SmsMessage.objects.get()
    assert record.status == SmsMessage.Status.FAILED
    assert record.error_code == "21211"


def test_429_then_success_sends_exactly_one_message(
    owner_client, owner, twilio_standin, eager_retries
):
    activate_pin(owner)
    twilio_standin.script(twilio_standin.error(429, 20429, "Too Many Requests"))
    send(owner_client)
    assert len(twilio_standin.requests) == 2
    assert len(twilio_standin.accepted) == 1
    record = SmsMessage.objects.get()
    assert record.status == SmsMessage.Status.SENT
    assert record.send_attempts == 2


def test_server_errors_are_retried_with_backoff_until_success(
    owner_client, owner, twilio_standin, eager_retries
):
    from supportpin import tasks

    activate_pin(owner)
    twilio_standin.script(twilio_standin.error(500, 20500), twilio_standin.error(503, 20503))
    with mock.patch.object(tasks, "retry_delay", wraps=tasks.retry_delay) as delay:
        send(owner_client)
    assert [c.args[0] for c in delay.call_args_list] == [0, 1]
    assert len(twilio_standin.accepted) == 1
    assert SmsMessage.objects.get().status == SmsMessage.Status.SENT


def test_retry_delays_grow_exponentially_and_are_capped_at_a_minute():
    from supportpin.tasks import retry_delay

    assert [retry_delay(n) for n in range(6)] == [5, 10, 20, 40, 60, 60]


@pytest.mark.parametrize("status, code", [(503, 20503), (500, 20500), (429, 20429)])
def test_a_failing_provider_is_tried_until_the_pin_expires_and_nothing_is_sent_after(
    owner_client, owner, twilio_standin, eager_retries, status, code
):
    activate_pin(owner)
    asked_at = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        twilio_standin.script(*[twilio_standin.error(status, code)] * 100)

        def a_few_minutes_pass(form) -> None:
            asked_at.append(timezone.now())
            clock.shift(timedelta(minutes=4))

        twilio_standin.on_request = a_few_minutes_pass
        send(owner_client)

    record = SmsMessage.objects.get()
    assert record.status == SmsMessage.Status.EXPIRED
    assert twilio_standin.accepted == []
    assert len(asked_at) >= 5  # tried again and again while the PIN was good
    assert all(at < record.expires_at for at in asked_at)


# --- Webhooks ------------------------------------------------------------------------


def signed_post(client, path: str, data: dict, token: str = TWILIO_TOKEN, signed_url: str = ""):
    """POST as Twilio does: signed over the full public URL, query string included."""
    url = signed_url or f"{settings.SITE_URL}{path}"
    signature = RequestValidator(token).compute_signature(url, data)
    return client.post(path, data, HTTP_X_TWILIO_SIGNATURE=signature)


def status_url(record: SmsMessage) -> str:
    return reverse("sms:status", args=[record.pk])


def report(client, record: SmsMessage, status: str, sid: str = "SMabc", **extra):
    data = {"MessageSid": sid, "MessageStatus": status, **extra}
    return signed_post(client, status_url(record), data)


def sent_record(owner, **fields) -> SmsMessage:
    fields = {"status": "sent", "provider_sid": "SMabc", **fields}
    return SmsMessage.objects.create(to=owner.mobile, purpose="support_pin", user=owner, **fields)


def test_status_callback_updates_the_record(client, owner):
    record = sent_record(owner)
    assert report(client, record, "delivered").status_code == 204
    record.refresh_from_db()
    assert record.status == SmsMessage.Status.DELIVERED


def test_duplicate_and_out_of_order_callbacks_are_harmless(client, owner):
    record = sent_record(owner)
    for status in ["delivered", "sent", "delivered", "queued", "sending", "undelivered"]:
        assert report(client, record, status).status_code == 204
    record.refresh_from_db()
    assert record.status == SmsMessage.Status.DELIVERED


def test_a_callback_before_the_message_sid_is_saved_finds_the_record(client, owner):
    record = sent_record(owner, status="sending", provider_sid="")
    assert report(client, record, "sent").status_code == 204
    assert report(client, record, "delivered").status_code == 204
    record.refresh_from_db()
    assert (record.status, record.provider_sid) == (SmsMessage.Status.DELIVERED, "SMabc")


def test_out_of_order_callbacks_before_the_sid_is_saved_end_at_the_furthest(client, owner):
    record = sent_record(owner, status="sending", provider_sid="")
    for status in ["delivered", "sent", "queued", "delivered"]:
        assert report(client, record, status).status_code == 204
    record.refresh_from_db()
    assert (record.status, record.provider_sid) == (SmsMessage.Status.DELIVERED, "SMabc")


def test_delivery_reported_while_the_task_is_still_sending_is_kept(
    owner_client, owner, twilio_standin
):
    """Twilio may call back before its API answer reaches the task: the report wins, and
    the task still saves the message SID and the time it was sent."""
    from sms import services as sms_services

    activate_pin(owner)
    real_send = sms_services.send_sms

    def send_and_get_called_back(to, body, *, status_callback):
        sid = real_send(to, body, status_callback=status_callback)
        path = status_callback.removeprefix(settings.SITE_URL)
        data = {"MessageSid": sid, "MessageStatus": "delivered"}
        assert signed_post(Client(), path, data).status_code == 204
        return sid

    with mock.patch.object(sms_services, "send_sms", side_effect=send_and_get_called_back):
        send(owner_client)
    record = SmsMessage.objects.get()
    assert record.status == SmsMessage.Status.DELIVERED
    assert record.provider_sid.startswith("SM")
    assert record.sent_at is not None


def test_a_callback_for_another_message_sid_changes_nothing(client, owner):
    record = sent_record(owner)
    assert report(client, record, "delivered", sid="SMother").status_code == 204
    record.refresh_from_db()
    assert (record.status, record.provider_sid) == (SmsMessage.Status.SENT, "SMabc")


def test_a_callback_for_an_unknown_record_changes_nothing(client, owner):
    record = sent_record(owner)
    path = reverse("sms:status", args=[record.pk + 1])
    data = {"MessageSid": "SMabc", "MessageStatus": "delivered"}
    assert signed_post(client, path, data).status_code == 204
    record.refresh_from_db()
    assert record.status == SmsMessage.Status.SENT


def test_the_signature_covers_the_record_id_in_the_url(client, owner):
    record = sent_record(owner)
    other = sent_record(owner, provider_sid="SMother")
    data = {"MessageSid": "SMabc", "MessageStatus": "delivered"}
    signed_for_other = f"{settings.SITE_URL}{status_url(other)}"
    response = signed_post(client, status_url(record), data, signed_url=signed_for_other)
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.status == SmsMessage.Status.SENT


def test_the_signature_covers_the_query_string(client, owner):
    record = sent_record(owner)
    data = {"MessageSid": "SMabc", "MessageStatus": "delivered"}
    path = f"{status_url(record)}?attempt=2"
    assert signed_post(client, path, data).status_code == 204
    record.refresh_from_db()
    assert record.status == SmsMessage.Status.DELIVERED
    unsigned_query = f"{settings.SITE_URL}{status_url(record)}"
    assert signed_post(client, path, data, signed_url=unsigned_query).status_code == 403


INBOUND = reverse("supportpin:sms_inbound")
WEBHOOKS = [reverse("sms:status", args=[1]), INBOUND]


@pytest.mark.parametrize("path", WEBHOOKS)
def test_webhooks_refuse_unsigned_requests(client, path):
    assert client.post(path, {"MessageSid": "SMabc"}).status_code == 403


@pytest.mark.parametrize("path", WEBHOOKS)
def test_webhooks_refuse_a_wrong_signature(client, path):
    data = {"MessageSid": "SMabc", "MessageStatus": "delivered", "From": "+1", "Body": "PIN"}
    assert signed_post(client, path, data, token="another-token").status_code == 403


def test_webhooks_refuse_everything_without_an_auth_token(client, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    data = {"MessageSid": "SMabc", "MessageStatus": "delivered"}
    assert signed_post(client, WEBHOOKS[0], data, token="").status_code == 403


def test_texting_pin_from_the_registered_mobile_gets_the_pin_back(client, owner, sms_outbox):
    activate_pin(owner)
    data = {"From": owner.mobile, "Body": " pin ", "MessageSid": "SMin"}
    response = signed_post(client, INBOUND, data)
    assert response.status_code == 200
    assert response.content == b"<Response/>"
    [sms] = sms_outbox
    assert sms.to == owner.mobile
    assert format_pin(pin_of(owner)) in sms.body


def test_texting_anything_else_or_from_an_unknown_number_gets_nothing(client, owner, sms_outbox):
    activate_pin(owner)
    for data in [
        {"From": owner.mobile, "Body": "hello", "MessageSid": "SMin1"},
        {"From": "+306999999999", "Body": "PIN", "MessageSid": "SMin2"},
    ]:
        response = signed_post(client, INBOUND, data)
        assert response.content == b"<Response/>"
    assert sms_outbox == []


def test_texting_pin_is_under_the_same_limits(client, owner, sms_outbox):
    activate_pin(owner)
    for number in range(5):
        signed_post(
            client, INBOUND, {"From": owner.mobile, "Body": "PIN", "MessageSid": f"SMin{number}"}
        )
    assert len(sms_outbox) == 3


def test_texting_pin_twice_with_the_same_message_is_answered_once(client, owner, sms_outbox):
    """A signed request replayed (or retried by Twilio) carries the same MessageSid."""
    activate_pin(owner)
    data = {"From": owner.mobile, "Body": "PIN", "MessageSid": "SMreplayed"}
    for _ in range(3):
        response = signed_post(client, INBOUND, data)
        assert response.content == b"<Response/>"
    assert len(sms_outbox) == 1


def test_a_text_without_a_message_sid_is_not_answered(client, owner, sms_outbox):
    activate_pin(owner)
    assert signed_post(client, INBOUND, {"From": owner.mobile, "Body": "PIN"}).status_code == 200
    assert sms_outbox == []


def test_delivery_reports_to_the_support_pin_address_of_older_sms_still_arrive(client, owner):
    """SMS sent before the gateway moved to /sms/ carry the old callback address."""
    record = sent_record(owner)
    old_path = f"/support-pin/sms/status/{record.pk}/"
    data = {"MessageSid": "SMabc", "MessageStatus": "delivered"}
    assert signed_post(client, old_path, data).status_code == 204
    record.refresh_from_db()
    assert record.status == SmsMessage.Status.DELIVERED
    assert signed_post(client, old_path, data, token="another-token").status_code == 403
