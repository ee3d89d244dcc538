"""Logs: every record of a request carries its id (X-Request-ID, kept when sane and sent
back) and its login, the tasks it enqueues log with the same id, JSON in production and
text in development, and no secret of a full flow reaches the output."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from supportpin.pin import format_pin
from supportpin.services import support_pin_activate
from tests.factories import (
    PASSWORD,
    ApiClient,
    CommittingClient,
    make_api_token,
    pin_of,
    totp_code,
    totp_device,
)

ROOT = Path(__file__).resolve().parents[2]


def test_a_sane_request_id_is_kept_and_sent_back(client, db):
    response = client.get(reverse("portal:home"), HTTP_X_REQUEST_ID="lb-7f3a9c21.0001")

    assert response["X-Request-ID"] == "lb-7f3a9c21.0001"


@pytest.mark.parametrize(
    "incoming", [None, "short", "x" * 129, "has space in it", "new\nline-injected", "<script>"]
)
def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one(client, db, incoming):
    extra = {"HTTP_X_REQUEST_ID": incoming} if incoming is not None else {}

    first = client.get(reverse("portal:home"), **extra)["X-Request-ID"]
    second = client.get(reverse("portal:home"), **extra)["X-Request-ID"]

    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_the_task_a_request_enqueues_logs_with_its_request_id_and_login(
    transactional_db, owner, json_logs
):
    # Committed for real, so that the task is enqueued when the request commits, inside
    # the request, as in production (a CommittingClient would enqueue it afterwards).
    support_pin_activate(user=owner, acting_user=owner)
    client = Client()
    client.force_login(owner)

    response = client.post(reverse("supportpin:send_sms"), HTTP_X_REQUEST_ID="req-sms-000001")

    assert response.status_code == 302
    [sent] = [r for r in json_logs.records() if r["logger"] == "sms.services"]
    assert sent["message"].startswith("SMS ")
    assert sent["request_id"] == "req-sms-000001"
    assert sent["user_id"] == owner.pk
    logging.getLogger("tests").info("after the request")
    assert json_logs.records()[-1]["request_id"] is None


def test_the_redaction_covers_arguments_extra_fields_and_the_portals_own_secrets(
    json_logs, settings
):
    settings.TWILIO_AUTH_TOKEN = "twilio-auth-token-9d8e7f"
    logger = logging.getLogger("tests.redaction")

    logger.info("login %(username)s with %(password)s", {"username": "ann", "password": "pw-1a2b"})
    logger.info("posted", extra={"pin": "483920", "form": {"code": "771204", "name": "Ann"}})
    logger.warning("header Authorization: Bearer tok-5e6f7a8b seen, api_token=tok-99aa88bb")
    logger.error("provider said %s", "bad credentials twilio-auth-token-9d8e7f")
    logger.info("Response Status Code: 201, status_code=404, error code: 21211")

    text = json_logs.text
    for secret in ("pw-1a2b", "483920", "771204", "tok-5e6f7a8b", "tok-99aa88bb", "9d8e7f"):
        assert secret not in text
    records = json_logs.records()
    assert records[0]["message"] == "login ann with [redacted]"
    assert records[1]["pin"] == "[redacted]"
    assert records[1]["form"] == {"code": "[redacted]", "name": "Ann"}
    assert records[3]["message"] == "provider said bad credentials [redacted]"
    # Codes that are no secret stay.
    assert records[4]["message"] == "Response Status Code: 201, status_code=404, error code: 21211"


def test_no_secret_of_a_full_flow_reaches_the_logs(owner, twilio_backend, json_logs, settings):
    device = totp_device(owner)
    support_pin_activate(user=owner, acting_user=owner)
    client = CommittingClient()

    # The password, then the authenticator app's code.
    client.post(reverse("accounts:login"), {"username": owner.username, "password": PASSWORD})
    code = totp_code(device)
    second = client.post(reverse("accounts:second_step"), {"code": code})
    assert second.status_code == 302
    # The PIN shown, and sent by SMS through Twilio (the stand-in).
    pin = pin_of(owner)
    assert format_pin(pin) in client.get(reverse("supportpin:current")).content.decode()
    client.post(reverse("supportpin:send_sms"))
    assert format_pin(pin) in twilio_backend.accepted[0]["Body"]
    # The billing system's API token.
    _token, api_secret = make_api_token()
    numbers = ApiClient(api_secret).put(
        f"/api/v1/customers/{owner.customer.contract_number}/numbers",
        {"numbers": []},
        content_type="application/json",
    )
    assert numbers.status_code == 200
    # A failed login with another password.
    CommittingClient().post(
        reverse("accounts:login"), {"username": owner.username, "password": "Wrong-pass-77"}
    )

    text = json_logs.text
    assert "SMS " in text and "sent" in text  # the flow did log
    secrets = {
        "password": PASSWORD,
        "wrong password": "Wrong-pass-77",
        "PIN": pin,
        "PIN as shown": format_pin(pin),
        "TOTP code": code,
        "TOTP secret": device.key,
        "API token": api_secret,
        "Twilio token": settings.TWILIO_AUTH_TOKEN,
        "SECRET_KEY": settings.SECRET_KEY,
    }
    leaked = [name for name, value in secrets.items() if value in text]
    assert leaked == []


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": "sqlite://",
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


LOG_ONE_LINE = (
    "import django, logging; django.setup(); "
    "logging.getLogger('portal.check').warning('disk at %d%%', 91)"
)


def test_with_debug_off_logs_are_one_json_object_a_line():
    result = _python(
        LOG_ONE_LINE, DEBUG="0", SECRET_KEY="k" * 50, ALLOWED_HOSTS="support.example.com"
    )

    assert result.returncode == 0, result.stderr
    [line] = result.stderr.splitlines()
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "portal.check"
    assert entry["message"] == "disk at 91%"
    assert {"time", "request_id", "user_id"} <= entry.keys()


def test_in_development_logs_are_text_and_log_format_chooses():
    text = _python(LOG_ONE_LINE, DEBUG="1")
    forced = _python(LOG_ONE_LINE, DEBUG="1", LOG_FORMAT="json")

    assert re.fullmatch(r"\S+ \S+ WARNING portal\.check disk at 91%\n", text.stderr)
    assert json.loads(forced.stderr)["message"] == "disk at 91%"
