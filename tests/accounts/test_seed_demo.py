import ast
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import Customer, User
from outbox.models import OutboundEmail
from supportpin.models import SupportPin
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_creates_a_customer_on_each_plan_with_owner_member_and_staff():
    output = _seed()
    assert set(Customer.objects.values_list("plan", flat=True)) == {"basic", "premium", "business"}
    for customer in Customer.objects.all():
        roles = sorted(customer.logins.values_list("role", flat=True))
        assert roles == ["member", "owner"]
    assert User.objects.filter(is_staff=True, is_superuser=False).exists()
    assert User.objects.filter(is_superuser=True).exists()
    assert "basic.owner" in output
    assert "supervisor" in output
    assert "demo-Portal-2026" in output


def test_seed_demo_fills_tickets_in_every_state_and_active_pins():
    _seed()
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert statuses == {"new", "open", "waiting", "resolved", "closed"}
    assert SupportPin.objects.filter(is_active=True).count() == 3


def test_seed_demo_runs_twice_without_duplicating_anything_and_logins_work(client):
    _seed()
    counts = (User.objects.count(), Customer.objects.count(), Ticket.objects.count())
    _seed()
    assert (User.objects.count(), Customer.objects.count(), Ticket.objects.count()) == counts
    response = client.post(
        "/accounts/login/", {"username": "premium.owner", "password": "demo-Portal-2026"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_seed_demo_queues_no_email_so_not_even_a_worker_sends_one(
    django_capture_on_commit_callbacks,
):
    """With a broker, emails are sent by a worker with its own settings: the demo's
    notifications must not reach the outbox at all."""
    with django_capture_on_commit_callbacks(execute=True):
        _seed()

    assert not OutboundEmail.objects.exists()
    assert Customer.objects.count() == 3


def test_production_code_imports_no_test_utilities():
    base = Path(settings.BASE_DIR)
    offenders = []
    for app in ("accounts", "portal", "outbox", "sms", "tickets", "supportpin"):
        for path in (base / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                modules = (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else [alias.name for alias in node.names]
                    if isinstance(node, ast.Import)
                    else []
                )
                offenders += [
                    f"{path.relative_to(base)}: {module}"
                    for module in modules
                    if module == "django.test" or module.startswith("django.test.")
                ]

    assert offenders == []


def test_seed_demo_gives_the_demo_staff_an_authenticator_app_and_prints_its_secret(client):
    from base64 import b32encode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    output = _seed()
    _seed()
    for username in ("agent", "supervisor"):
        [device] = TOTPDevice.objects.filter(user__username=username, confirmed=True)
        assert b32encode(device.bin_key).decode() in output
    code = StringIO()
    call_command("demo_code", "agent", stdout=code)
    client.post("/admin/login/", {"username": "agent", "password": "demo-Portal-2026"})
    second_step = client.get("/admin/")
    response = client.post(second_step["Location"], {"code": code.getvalue().strip()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_demo_owners_mobiles_are_verified_so_their_pin_sms_work():
    _seed()
    owners = User.objects.filter(role=User.Role.OWNER)
    assert owners.count() == 3
    assert all(owner.has_verified_mobile for owner in owners)
