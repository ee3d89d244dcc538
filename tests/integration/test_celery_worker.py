import pytest
from django.conf import settings
from django.core import mail

from portal.celery import app
from portal.tasks import send_email
from tests.integration.waiting import wait_for


@pytest.mark.integration
def test_a_task_travels_through_redis_to_a_worker(celery_worker_on_redis, mailoutbox):
    assert app.conf.broker_url.startswith("redis://")
    assert settings.CELERY_TASK_ALWAYS_EAGER is False

    result = send_email.delay(to="dana@example.com", subject="Through Redis", text="Hello")

    assert wait_for(lambda: len(mail.outbox) == 1), "the worker never delivered the email"
    assert mail.outbox[0].to == ["dana@example.com"]
    assert mail.outbox[0].subject == "Through Redis"
    # The message went through the broker: it has an id, and the worker ran it.
    assert result.id
