"""The SMS gateway stands alone: it knows no caller, callers name their purpose, and what
people read about a failed SMS is in their language."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from portal.exceptions import Refusal
from sms.errors import error_text
from sms.models import SmsMessage
from sms.services import SmsRefused
from supportpin.services import SupportPinUnavailable
from tests.portal.test_settings import PRINT_SETTINGS, _run

GATEWAY = Path(__file__).resolve().parents[2] / "sms"


def test_the_gateway_imports_reverses_and_renders_nothing_of_the_support_pin():
    sources = [*GATEWAY.rglob("*.py"), *(GATEWAY.parent / "templates" / "sms").rglob("*")]
    mentions = [str(p) for p in sources if p.is_file() and "supportpin" in p.read_text()]
    assert mentions == []


def test_the_status_callback_url_is_the_gateways_own():
    assert reverse("sms:status", args=[7]) == "/sms/status/7/"


@pytest.mark.django_db
def test_the_admin_shows_and_filters_sms_by_the_purpose_its_caller_registered(
    supervisor_client, owner
):
    SmsMessage.objects.create(to=owner.mobile, purpose="support_pin", user=owner)
    changelist = reverse("admin:sms_smsmessage_changelist")
    page = supervisor_client.get(changelist, {"purpose__exact": "support_pin"})
    assert page.context["cl"].result_count == 1
    assert '<td class="field-purpose">Support PIN</td>' in page.text


def test_the_refusals_of_the_gateway_and_the_support_pin_share_one_base():
    assert issubclass(SmsRefused, Refusal)
    assert issubclass(SupportPinUnavailable, Refusal)


def test_a_backend_named_by_its_path_before_the_move_is_the_same_backend():
    result = _run(
        ["-c", PRINT_SETTINGS], {"SMS_BACKEND": "portal.sms.backends.locmem.LocmemBackend"}
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["sms"] == "sms.backends.locmem.LocmemBackend"


@pytest.mark.parametrize(
    "code,text",
    [
        ("21211", "21211: The number is not a valid phone number."),
        ("30005", "30005: The number is unknown or no longer in use."),
        ("39999", "The SMS provider reported error 39999."),
        ("network", "The SMS provider could not be reached."),
        ("", "The SMS could not be sent."),
    ],
)
def test_an_sms_error_is_described_in_words_with_the_providers_code(code, text):
    with translation.override("en"):
        assert error_text(code) == text


def test_an_sms_that_went_out_has_no_error_to_show():
    assert SmsMessage(status=SmsMessage.Status.DELIVERED).error_display == ""
