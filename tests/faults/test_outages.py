"""Redis, the mail server or a worker fails while customers open requests and ask for
their PIN by SMS: every page answers as usual, and every email and SMS goes out once
when the part is back. Outages last seconds here, not minutes: the sweeps run every
second (tests/faults/processes.py), and the paths are those of production."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import User
from outbox.models import OutboundEmail
from sms.models import SmsMessage
from sms.services import sms_close_abandoned
from supportpin.services import support_pin_activate
from tests.factories import make_customer, make_user
from tests.faults.outcomes import everything_went_out_once
from tests.faults.processes import Browser, CeleryWorker, Gunicorn, portal_env, wait_until
from tickets.defaults import install_defaults
from tickets.models import Category, SlaPolicy, Ticket

pytestmark = pytest.mark.faults


@pytest.fixture
def customer_browser(env, started, tmp_path):
    """A customer with an active Support PIN, logged in on a gunicorn of the portal."""
    install_defaults(Category, SlaPolicy)  # the flush of the previous test took them
    customer = make_customer(name="Outage Ltd", contract_number="C-7001")
    user = make_user("olga.outage", customer=customer, role=User.Role.OWNER, mobile="+306912340077")
    support_pin_activate(user=user, acting_user=user)
    web = started(Gunicorn(env, tmp_path))
    client = Client()
    client.force_login(user)
    return Browser(web.url, client.cookies["sessionid"].value)


def open_request(browser: Browser, subject: str) -> None:
    category = Category.objects.order_by("pk").first()
    response = browser.post_form(
        "/tickets/new/",
        {
            "subject": subject,
            "category": category.pk,
            "priority": "4",
            "description": "Every site is down since 10:00.",
            "browser": "Firefox 128",
            "device": "Windows computer",
        },
    )
    assert response.status_code == 302, response.text[:500]
    assert browser.get(response.headers["Location"]).status_code == 200


def ask_for_pin_by_sms(browser: Browser) -> None:
    response = browser.post_form("/support-pin/send/", {}, form_page="/support-pin/")
    assert response.status_code == 302, response.text[:500]
    page = browser.get(response.headers["Location"])
    assert page.status_code == 200
    assert "is on its way" in page.text


def test_with_redis_down_requests_and_pin_sms_are_answered_and_sent_once_it_returns(
    env, redis, customer_browser, smtp_sink, twilio, started, tmp_path
):
    redis.stop()

    open_request(customer_browser, "Outage while Redis is down")
    ask_for_pin_by_sms(customer_browser)

    assert Ticket.objects.filter(subject="Outage while Redis is down").count() == 1
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).exists()
    assert SmsMessage.objects.get().status == SmsMessage.Status.QUEUED

    redis.start()
    started(CeleryWorker(env, tmp_path))

    assert wait_until(lambda: everything_went_out_once(smtp_sink, twilio), 45)
    # Later sweeps find nothing more to send.
    wait_until(lambda: False, 3)
    assert everything_went_out_once(smtp_sink, twilio)
    assert len(twilio.accepted) == 1


def test_with_redis_and_the_mail_server_down_together_nothing_is_lost(
    env, redis, customer_browser, smtp_sink, twilio, started, tmp_path
):
    redis.stop()
    smtp_sink.stop()

    open_request(customer_browser, "Outage of Redis and mail")
    ask_for_pin_by_sms(customer_browser)

    redis.start()
    started(CeleryWorker(env, tmp_path))
    # The worker tries, the mail server is away: the emails wait with its answer.
    assert wait_until(
        lambda: (
            OutboundEmail.objects.exclude(last_error="").exists()
            and not OutboundEmail.objects.exclude(status=OutboundEmail.Status.PENDING).exists()
        ),
        30,
    )
    smtp_sink.start()

    assert wait_until(lambda: everything_went_out_once(smtp_sink, twilio), 45)


def test_an_email_in_flight_when_its_worker_is_killed_goes_out_once_a_new_worker_starts(
    env, customer_browser, smtp_sink, twilio, started, tmp_path
):
    smtp_sink.rcpt_delay = 60  # the mail server is slow: the worker waits in mid-send
    worker = started(CeleryWorker(env, tmp_path))

    open_request(customer_browser, "Outage with a dying worker")
    assert smtp_sink.in_flight.wait(30)
    worker.kill()
    smtp_sink.rcpt_delay = 0
    [email] = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING)

    started(CeleryWorker(env, tmp_path))

    # Well within a minute of the new worker's start, not after the broker's hour.
    assert wait_until(
        lambda: OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.SENT, 30
    )
    assert [m["Message-ID"] for m in smtp_sink.messages].count(email.message_id) == 1


def test_a_pin_sms_in_flight_when_its_worker_is_killed_is_never_sent_twice(
    env, customer_browser, twilio, started, tmp_path
):
    twilio.delay = 60  # the provider is slow: the worker waits in mid-send
    worker = started(CeleryWorker(env, tmp_path))

    ask_for_pin_by_sms(customer_browser)
    assert twilio.received.wait(30)
    worker.kill()
    twilio.delay = 0
    started(CeleryWorker(env, tmp_path))
    wait_until(lambda: False, 5)  # five sweeps

    # The provider may have taken it: it is not sent again, and the agent is told.
    assert len(twilio.arrived) == 1
    [sms] = SmsMessage.objects.all()
    assert sms.status == SmsMessage.Status.SENDING
    sms_close_abandoned(now=timezone.now() + timedelta(minutes=settings.SMS_SENDING_STUCK_MINUTES))
    sms.refresh_from_db()
    assert sms.status == SmsMessage.Status.UNKNOWN
    assert len(twilio.arrived) == 1


def test_a_pin_sms_is_retried_while_the_provider_fails_and_sent_once_when_it_recovers(
    env, customer_browser, twilio, started, tmp_path
):
    twilio.script(
        twilio.error(500, 20500),
        twilio.error(429, 20429, "Too Many Requests"),
        twilio.error(503, 20503),
    )
    started(CeleryWorker(env, tmp_path))

    ask_for_pin_by_sms(customer_browser)

    # Retried 5 s, 10 s and 20 s apart by the worker: the fourth try goes through.
    assert wait_until(lambda: SmsMessage.objects.get().status == SmsMessage.Status.SENT, 60), (
        twilio.requests
    )
    assert len(twilio.requests) == 4
    assert len(twilio.accepted) == 1


def test_with_the_database_unreachable_the_error_page_is_the_portals_own(
    started, tmp_path, same_keys
):
    env = portal_env(
        database_url="postgres://postgres@127.0.0.1:9/portal",  # nothing listens there
        redis_url="",
        smtp_port=9,
        twilio_url="http://127.0.0.1:9",
    )
    web = started(Gunicorn(env, tmp_path, workers=1))

    for language, apology in [("en", "Something went wrong"), ("el", "Κάτι πήγε στραβά")]:
        browser = Browser(web.url, "a-session-the-database-must-look-up", language)
        response = browser.get("/help/")

        assert response.status_code == 500
        assert apology in response.text
        assert 'class="site-header"' in response.text
