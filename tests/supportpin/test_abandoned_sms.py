"""SMS records that no task will finish are closed by a periodic task, and never resent:
a PIN task that expired in the broker, a worker that died while sending."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from sms.models import SmsMessage
from sms.services import sms_close_abandoned, sms_deliver, sms_status_report
from sms.tasks import close_abandoned_sms
from supportpin.services import support_pin_sms_request
from supportpin.sms import render_pin_sms
from supportpin.tasks import send_support_pin_sms
from tests.factories import activate_pin

pytestmark = pytest.mark.django_db
NOON = datetime(2025, 6, 2, 9, 10, tzinfo=UTC)
PAGE = reverse("admin:supportpin_callerverification_changelist")
Status = SmsMessage.Status


def requested_but_never_run(owner) -> SmsMessage:
    """A PIN SMS whose task the broker never runs (it expired there, or was lost)."""
    with mock.patch.object(send_support_pin_sms, "apply_async"):
        return support_pin_sms_request(user=owner, acting_user=owner)


def claimed_by_a_worker_that_died(owner) -> SmsMessage:
    """A PIN SMS left "sending": the worker claimed it and died before recording how the
    send ended."""
    sms = requested_but_never_run(owner)
    SmsMessage.objects.filter(pk=sms.pk).update(
        status=Status.SENDING, send_attempts=1, status_changed_at=NOON
    )
    return sms


def status_of(sms: SmsMessage) -> str:
    sms.refresh_from_db()
    return sms.status


@pytest.fixture
def owner_with_pin(owner):
    activate_pin(owner)
    return owner


@time_machine.travel(NOON, tick=False)
def test_a_queued_pin_sms_expires_once_its_send_by_time_has_passed(owner_with_pin):
    sms = requested_but_never_run(owner_with_pin)
    with time_machine.travel(sms.expires_at - timedelta(seconds=1), tick=False):
        assert sms_close_abandoned() == (0, 0)
    assert status_of(sms) == Status.QUEUED
    with time_machine.travel(sms.expires_at, tick=False):
        assert sms_close_abandoned() == (1, 0)
    assert status_of(sms) == Status.EXPIRED


def test_a_queued_sms_without_a_send_by_time_is_given_up_after_a_day(owner):
    with time_machine.travel(NOON, tick=False):
        sms = SmsMessage.objects.create(to=owner.mobile, purpose="support_pin", user=owner)
    limit = timedelta(hours=settings.SMS_UNSENT_GIVE_UP_HOURS)
    with time_machine.travel(NOON + limit - timedelta(seconds=1), tick=False):
        sms_close_abandoned()
    assert status_of(sms) == Status.QUEUED
    with time_machine.travel(NOON + limit, tick=False):
        sms_close_abandoned()
    assert status_of(sms) == Status.EXPIRED


@time_machine.travel(NOON, tick=False)
def test_an_sms_stuck_sending_becomes_outcome_unknown_after_15_minutes(owner_with_pin):
    sms = claimed_by_a_worker_that_died(owner_with_pin)
    with time_machine.travel(NOON + timedelta(minutes=14, seconds=59), tick=False):
        assert sms_close_abandoned() == (0, 0)
    assert status_of(sms) == Status.SENDING
    with time_machine.travel(NOON + timedelta(minutes=15), tick=False):
        assert sms_close_abandoned() == (0, 1)
    sms.refresh_from_db()
    assert sms.status == Status.UNKNOWN
    assert "may or may not have gone out" in sms.error_message
    assert sms.status_changed_at == NOON + timedelta(minutes=15)


@time_machine.travel(NOON, tick=False)
def test_closing_abandoned_sms_is_idempotent(owner_with_pin):
    stuck = claimed_by_a_worker_that_died(owner_with_pin)
    queued = requested_but_never_run(owner_with_pin)
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        assert sms_close_abandoned() == (1, 1)
        assert sms_close_abandoned() == (0, 0)
    assert (status_of(stuck), status_of(queued)) == (Status.UNKNOWN, Status.EXPIRED)


@time_machine.travel(NOON, tick=False)
def test_finished_records_are_left_alone(
    owner_with_pin, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = support_pin_sms_request(user=owner_with_pin, acting_user=owner_with_pin)
    failed = SmsMessage.objects.create(
        to=sent.to, purpose="support_pin", status=Status.FAILED, error_message="21211"
    )
    with time_machine.travel(NOON + timedelta(days=2), tick=False):
        assert sms_close_abandoned() == (0, 0)
    assert (status_of(sent), status_of(failed)) == (Status.SENT, Status.FAILED)


@time_machine.travel(NOON, tick=False)
def test_a_closed_record_is_never_sent_by_a_late_task(owner_with_pin, sms_outbox):
    stuck = claimed_by_a_worker_that_died(owner_with_pin)
    with time_machine.travel(NOON + timedelta(minutes=20), tick=False):
        sms_close_abandoned()
        # The broker redelivers the task of the worker that died.
        send_support_pin_sms.apply(args=[stuck.pk])
    assert sms_outbox == []
    assert status_of(stuck) == Status.UNKNOWN


@time_machine.travel(NOON, tick=False)
def test_an_unexpected_error_while_sending_is_outcome_unknown_at_once(owner_with_pin, sms_outbox):
    sms = requested_but_never_run(owner_with_pin)
    with (
        mock.patch("sms.services.send_sms", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        sms_deliver(sms_id=sms.pk, render=render_pin_sms)
    assert status_of(sms) == Status.UNKNOWN
    send_support_pin_sms.apply(args=[sms.pk])
    assert sms_outbox == []


@time_machine.travel(NOON, tick=False)
def test_an_error_before_sending_marks_the_sms_failed(owner_with_pin, sms_outbox):
    sms = requested_but_never_run(owner_with_pin)
    with pytest.raises(RuntimeError):
        sms_deliver(sms_id=sms.pk, render=mock.Mock(side_effect=RuntimeError("boom")))
    sms.refresh_from_db()
    assert (sms.status, sms.error_message) == (Status.FAILED, "the text could not be prepared")
    assert sms_outbox == []


@time_machine.travel(NOON, tick=False)
def test_a_late_delivery_report_settles_an_unknown_outcome(owner_with_pin):
    sms = claimed_by_a_worker_that_died(owner_with_pin)
    with time_machine.travel(NOON + timedelta(minutes=20), tick=False):
        sms_close_abandoned()
    assert sms_status_report(sms_id=sms.pk, provider_sid="SMlate", provider_status="delivered")
    sms.refresh_from_db()
    assert (sms.status, sms.provider_sid, sms.error_message) == (
        Status.DELIVERED,
        "SMlate",
        "",
    )


def test_the_periodic_task_is_scheduled_and_registered():
    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["sms-close-abandoned"]
    assert entry["task"] == close_abandoned_sms.name
    assert entry["task"] in app.tasks
    assert entry["schedule"] <= 15 * 60


@time_machine.travel(NOON, tick=False)
def test_the_periodic_task_closes_abandoned_records(owner_with_pin):
    sms = requested_but_never_run(owner_with_pin)
    with time_machine.travel(sms.expires_at + timedelta(minutes=1), tick=False):
        close_abandoned_sms.apply()
    assert status_of(sms) == Status.EXPIRED


# --- What the agent sees -----------------------------------------------------------------


@time_machine.travel(NOON, tick=False)
def test_the_agent_sees_an_sms_that_expired_before_sending(agent_client, owner_with_pin):
    sms = requested_but_never_run(owner_with_pin)
    with time_machine.travel(sms.expires_at + timedelta(minutes=1), tick=False):
        close_abandoned_sms.apply()
        page = agent_client.get(PAGE, {"login": owner_with_pin.pk})
    assert "Expired before sending" in page.text


@time_machine.travel(NOON, tick=False)
def test_the_agent_is_told_the_outcome_is_unknown_and_nothing_is_resent(
    agent_client, owner_with_pin
):
    claimed_by_a_worker_that_died(owner_with_pin)
    with time_machine.travel(NOON + timedelta(minutes=20), tick=False):
        close_abandoned_sms.apply()
        page = agent_client.get(PAGE, {"login": owner_with_pin.pk})
    assert "Outcome unknown" in page.text
    assert "may or may not have arrived, and it will not be resent" in page.text


def test_the_agent_sees_the_final_status_and_error_of_the_sms_they_sent(
    agent_client, owner_with_pin, sms_outbox
):
    url = reverse("admin:supportpin_callerverification_send_pin", args=[owner_with_pin.pk])
    agent_client.post(url)
    sms = SmsMessage.objects.get()
    sms_status_report(
        sms_id=sms.pk,
        provider_sid=sms_outbox[0].sid,
        provider_status="undelivered",
        error_code="30005",
    )
    page = agent_client.get(PAGE, {"login": owner_with_pin.pk})
    row = page.text.split(f'data-testid="sms-{sms.pk}"')[1].split("</tr>")[0]
    assert "Not delivered" in row
    assert "30005" in row
