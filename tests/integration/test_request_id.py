"""One request id finds the web request, the task it enqueued in a real Celery worker
(through Redis), and that task's call to the SMS provider."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from portal.tasks import send_email
from supportpin.services import support_pin_activate
from tests.factories import make_customer, make_user
from tests.integration.waiting import wait_for

pytestmark = pytest.mark.integration


def test_the_worker_logs_the_task_and_the_provider_call_with_the_requests_id(
    celery_worker_on_redis,
    twilio_backend,
    json_logs,
):
    customer = make_customer(name="Logs Ltd", contract_number="C-9016")
    user = make_user("lena.logs", customer=customer, role=User.Role.OWNER, mobile="+306912340016")
    support_pin_activate(user=user, acting_user=user)
    client = Client()
    client.force_login(user)

    response = client.post(reverse("supportpin:send_sms"), HTTP_X_REQUEST_ID="req-worker-0016")

    assert response.status_code == 302
    assert response["X-Request-ID"] == "req-worker-0016"

    def sent() -> list[dict]:
        return [r for r in json_logs.records() if r["logger"] == "sms.services"]

    assert wait_for(sent), "the worker never logged the SMS as sent"
    [record] = sent()
    assert record["request_id"] == "req-worker-0016"
    assert record["user_id"] == user.pk
    provider_call = [r for r in json_logs.records() if r["logger"] == "twilio.http_client"]
    assert provider_call
    assert {r["request_id"] for r in provider_call} == {"req-worker-0016"}

    # The worker's next task, enqueued outside any request, has no id of its own.
    send_email.delay(to="dana@example.com", subject="Later", text="Hello")

    def emailed() -> list[dict]:
        return [r for r in json_logs.records() if r["logger"] == "outbox.services"]

    assert wait_for(emailed), "the worker never logged the email as sent"
    assert [r["request_id"] for r in emailed()] == [None]
