"""Email travels over real SMTP to a local sink; temporary refusals are retried, permanent
ones are not."""

import smtplib
import socket

import pytest
from aiosmtpd.controller import Controller

from portal.celery import app as celery_app
from portal.tasks import send_email


class Sink:
    """An SMTP server that answers the first `temporary_failures` messages with 451, or
    every message with 550 when `refuse` is set, and keeps what it accepts."""

    def __init__(self, *, temporary_failures: int = 0, refuse: bool = False) -> None:
        self.temporary_failures = temporary_failures
        self.refuse = refuse
        self.attempts = 0
        self.delivered: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.attempts += 1
        if self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        if self.attempts <= self.temporary_failures:
            return "451 4.3.0 Try again later"
        self.delivered.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    def start(**kwargs) -> Sink:
        sink = Sink(**kwargs)
        port = _free_port()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        return sink

    controllers: list[Controller] = []
    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture(autouse=True)
def _retries_run_in_process():
    # Without propagation, an in-process task runs its retries itself (at once) instead of
    # raising Retry to the caller, so a test sees every attempt the worker would make.
    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = previous


def _send():
    return send_email.apply(
        kwargs={"to": "dana@example.com", "subject": "T-26-00001", "text": "Hello", "html": ""}
    )


def test_an_email_is_delivered_over_smtp(smtp_sink):
    sink = smtp_sink()
    assert _send().successful()
    assert len(sink.delivered) == 1
    recipients, content = sink.delivered[0]
    assert recipients == ["dana@example.com"]
    assert b"Subject: T-26-00001" in content


def test_a_temporary_refusal_is_retried_until_the_server_takes_the_message(smtp_sink):
    sink = smtp_sink(temporary_failures=2)
    assert _send().successful()
    assert sink.attempts == 3
    assert len(sink.delivered) == 1


def test_a_permanent_refusal_is_not_retried(smtp_sink):
    sink = smtp_sink(refuse=True)
    result = _send()
    assert result.failed()
    assert isinstance(result.result, smtplib.SMTPDataError)
    assert sink.attempts == 1
    assert sink.delivered == []


@pytest.mark.django_db
def test_with_the_broker_down_the_email_is_sent_in_process_after_commit(
    django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    from kombu.exceptions import OperationalError

    from portal.mail import send_templated_email

    def broker_down(**kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(
            to="dana@example.com",
            template_prefix="accounts/email/password_changed",
            context={"user": {"get_full_name": "Dana"}, "reset_url": "http://x/reset/"},
            language="en",
        )
    assert [message.to for message in mailoutbox] == [["dana@example.com"]]
