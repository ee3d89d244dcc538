"""The SMS gateway as the Support PIN uses it: stored record, task by id, limits."""

import logging
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.urls import reverse

from sms.models import SmsMessage
from sms.services import sms_deliver, sms_status_report
from supportpin.pin import format_pin
from supportpin.services import support_pin_sms_request
from supportpin.sms import SMS_PURPOSE, render_pin_sms
from tests.factories import activate_pin, pin_of

pytestmark = pytest.mark.django_db
NOON = datetime(2025, 6, 2, 9, 10, tzinfo=UTC)


def send(client, **extra):
    return client.post(reverse("supportpin:send_sms"), **extra)


@time_machine.travel(NOON, tick=False)
def test_send_to_my_mobile_delivers_the_current_pin_to_the_registered_number(
    owner_client, owner, owner_pin, sms_outbox
):
    response = send(owner_client)
    assert response.status_code == 302
    [sms] = sms_outbox
    assert sms.to == "+306912345678"
    assert format_pin(pin_of(owner)) in sms.body
    record = SmsMessage.objects.get()
    assert record.status == SmsMessage.Status.SENT
    assert record.provider_sid == sms.sid
    assert record.purpose == SMS_PURPOSE


@time_machine.travel(NOON, tick=False)
def test_sms_says_until_when_the_pin_works(owner_client, owner_pin, sms_outbox):
    send(owner_client)
    # Sent at 12:10 Athens time: this PIN is accepted until the end of the next window.
    assert "13:00" in sms_outbox[0].body


@time_machine.travel(NOON, tick=False)
def test_sms_is_written_in_the_logins_language(owner_client, owner, owner_pin, sms_outbox):
    from django.utils import translation

    owner.language = "el"
    owner.save()
    languages = []

    def render(template_name, context):
        languages.append(translation.get_language())
        return f"PIN {context['pin']}"

    with mock.patch("sms.text.render_to_string", side_effect=render):
        send(owner_client)
    assert languages and set(languages) == {"el"}
    assert sms_outbox[0].body == f"PIN {format_pin(pin_of(owner))}"


@time_machine.travel(NOON, tick=False)
def test_stored_record_has_the_pin_masked(owner_client, owner, owner_pin):
    send(owner_client)
    record = SmsMessage.objects.get()
    assert "*** ***" in record.body
    assert pin_of(owner) not in record.body
    assert format_pin(pin_of(owner)) not in record.body


@time_machine.travel(NOON, tick=False)
def test_the_task_gets_only_the_record_id(owner_client, owner_pin):
    from supportpin.tasks import send_support_pin_sms

    with mock.patch.object(send_support_pin_sms, "apply_async") as apply_async:
        send(owner_client)
    sms = SmsMessage.objects.get()
    apply_async.assert_called_once()
    assert apply_async.call_args.kwargs["args"] == [sms.pk]
    assert apply_async.call_args.kwargs["expires"] == sms.expires_at


@time_machine.travel(NOON, tick=False)
def test_pin_never_appears_in_logs(owner_client, owner, owner_pin, caplog):
    caplog.set_level(logging.DEBUG)
    send(owner_client)
    pin = pin_of(owner)
    for record in caplog.records:
        text = record.getMessage()
        assert pin not in text
        assert format_pin(pin) not in text


def test_a_redelivered_task_never_sends_twice(
    owner, owner_pin, sms_outbox, django_capture_on_commit_callbacks
):
    from supportpin.tasks import send_support_pin_sms

    with mock.patch.object(send_support_pin_sms, "apply_async"):
        sms = support_pin_sms_request(user=owner, acting_user=owner)
    send_support_pin_sms.apply(args=[sms.pk])
    send_support_pin_sms.apply(args=[sms.pk])
    assert len(sms_outbox) == 1


def test_a_task_that_runs_after_the_pin_expired_sends_nothing(owner, owner_pin, sms_outbox):
    from supportpin.tasks import send_support_pin_sms

    with mock.patch.object(send_support_pin_sms, "apply_async"):
        sms = support_pin_sms_request(user=owner, acting_user=owner)
    with time_machine.travel(sms.expires_at + timedelta(seconds=1)):
        send_support_pin_sms.apply(args=[sms.pk])
    sms.refresh_from_db()
    assert sms.status == SmsMessage.Status.EXPIRED
    assert sms_outbox == []


def test_no_sms_when_the_pin_was_switched_off_before_sending(owner, owner_pin, sms_outbox):
    from supportpin.services import support_pin_deactivate
    from supportpin.tasks import send_support_pin_sms

    with mock.patch.object(send_support_pin_sms, "apply_async"):
        sms = support_pin_sms_request(user=owner, acting_user=owner)
    support_pin_deactivate(user=owner, acting_user=owner)
    sms_deliver(sms_id=sms.pk, render=render_pin_sms)
    sms.refresh_from_db()
    assert sms.status == SmsMessage.Status.FAILED
    assert sms_outbox == []


def test_without_an_active_pin_nothing_is_sent(owner_client, sms_outbox):
    response = send(owner_client, follow=True)
    assert "not active" in response.text
    assert sms_outbox == []
    assert not SmsMessage.objects.exists()


# --- Limits ----------------------------------------------------------------------------


def test_three_sms_per_login_in_30_minutes_then_refused(owner_client, owner_pin, sms_outbox):
    for _ in range(3):
        send(owner_client)
    response = send(owner_client, follow=True)
    assert "Too many SMS for this login" in response.text
    assert len(sms_outbox) == 3
    assert SmsMessage.objects.count() == 3


def test_per_login_half_hour_limit_frees_up_after_30_minutes(owner_client, owner_pin, sms_outbox):
    with time_machine.travel(NOON, tick=False):
        for _ in range(3):
            send(owner_client)
    with time_machine.travel(NOON + timedelta(minutes=31), tick=False):
        send(owner_client)
    assert len(sms_outbox) == 4


def test_the_per_login_window_is_a_setting_and_the_refusal_names_its_length(
    settings, owner_client, owner_pin, sms_outbox
):
    settings.SMS_LIMIT_PER_LOGIN_WINDOW_MINUTES = 45
    with time_machine.travel(NOON, tick=False):
        for _ in range(3):
            send(owner_client)
    with time_machine.travel(NOON + timedelta(minutes=44), tick=False):
        response = send(owner_client, follow=True)
    assert "Too many SMS for this login in the last 45 minutes." in response.text
    with time_machine.travel(NOON + timedelta(minutes=46), tick=False):
        send(owner_client)
    assert len(sms_outbox) == 4


def test_ten_sms_per_login_a_day_then_refused(owner_client, owner_pin, sms_outbox):
    for step in range(10):
        with time_machine.travel(NOON + timedelta(minutes=31 * step), tick=False):
            send(owner_client)
    with time_machine.travel(NOON + timedelta(minutes=31 * 10), tick=False):
        response = send(owner_client, follow=True)
    assert "most SMS allowed in a day" in response.text
    assert len(sms_outbox) == 10


def test_ten_sms_per_client_address_an_hour_then_refused(customer, sms_outbox, client):
    from tests.factories import make_user

    for number in range(11):
        user = make_user(
            f"person{number}", customer=customer, role="owner", mobile=f"+3069123456{number:02d}"
        )
        activate_pin(user)
        client.force_login(user)
        response = send(client, REMOTE_ADDR="203.0.113.9", follow=True)
    assert "from your network" in response.text
    assert len(sms_outbox) == 10


def test_global_daily_cap_stops_sending_and_alerts_supervisors_once(
    settings, owner_client, owner_pin, supervisor, sms_outbox, mailbox
):
    settings.SMS_DAILY_GLOBAL_CAP = 2
    settings.SUPERVISOR_EMAILS = ["duty@example.com"]
    send(owner_client)
    send(owner_client)
    response = send(owner_client, follow=True)
    send(owner_client)
    assert "SMS sending is paused" in response.text
    assert len(sms_outbox) == 2
    alerts = [m for m in mailbox if "daily cap" in m.subject]
    assert len(alerts) == 1
    assert alerts[0].to == ["duty@example.com"]


# --- Delivery reports ------------------------------------------------------------------


def _sent_record(owner) -> SmsMessage:
    return SmsMessage.objects.create(
        to=owner.mobile,
        purpose=SMS_PURPOSE,
        user=owner,
        status=SmsMessage.Status.SENT,
        provider_sid="SM123",
    )


def test_status_reports_only_move_forward(owner):
    record = _sent_record(owner)
    report = {"sms_id": record.pk, "provider_sid": "SM123"}
    assert sms_status_report(**report, provider_status="delivered")
    assert not sms_status_report(**report, provider_status="sent")
    assert not sms_status_report(**report, provider_status="delivered")
    record.refresh_from_db()
    assert record.status == SmsMessage.Status.DELIVERED


def test_failed_report_keeps_the_error_code(owner):
    record = _sent_record(owner)
    sms_status_report(
        sms_id=record.pk, provider_sid="SM123", provider_status="undelivered", error_code="30005"
    )
    record.refresh_from_db()
    assert record.status == SmsMessage.Status.UNDELIVERED
    assert record.error_code == "30005"


def test_unknown_message_or_status_is_ignored(owner):
    record = _sent_record(owner)
    assert not sms_status_report(
        sms_id=record.pk + 1, provider_sid="SM123", provider_status="delivered"
    )
    assert not sms_status_report(sms_id=record.pk, provider_sid="SM123", provider_status="bogus")
    assert not sms_status_report(sms_id=record.pk, provider_sid="", provider_status="delivered")


def test_a_report_for_another_message_id_than_the_one_saved_is_ignored(owner):
    record = _sent_record(owner)
    assert not sms_status_report(
        sms_id=record.pk, provider_sid="SM999", provider_status="delivered"
    )
    record.refresh_from_db()
    assert (record.status, record.provider_sid) == (SmsMessage.Status.SENT, "SM123")


def test_a_report_before_the_message_id_is_saved_saves_it(owner):
    record = SmsMessage.objects.create(
        to=owner.mobile,
        purpose=SMS_PURPOSE,
        user=owner,
        status=SmsMessage.Status.SENDING,
    )
    assert sms_status_report(sms_id=record.pk, provider_sid="SM123", provider_status="sent")
    record.refresh_from_db()
    assert (record.status, record.provider_sid) == (SmsMessage.Status.SENT, "SM123")
