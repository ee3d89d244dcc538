"""Supervisors create and revoke the integrations' API tokens in the admin: the secret is
shown once, on creation, and only its hash is kept; agents do not see tokens at all."""

import hashlib

from django.urls import reverse

from billing.models import ApiToken, FeedEvent
from tests.factories import ApiClient, make_api_token

ADD = reverse("admin:billing_apitoken_add")
LIST = reverse("admin:billing_apitoken_changelist")


def create(supervisor_client, name="Billing system"):
    response = supervisor_client.post(ADD, {"name": name})
    return response, response.context["secret"]


def test_a_supervisor_creates_a_token_shown_once_and_kept_only_as_its_hash(
    supervisor_client, supervisor
):
    response, secret = create(supervisor_client)

    assert response.status_code == 200
    assert secret.startswith("pbt_")
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert token.name == "Billing system"
    assert token.created_by == supervisor
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values().get().values()]
    assert not any(secret in value for value in stored)
    assert FeedEvent.objects.get().kind == FeedEvent.Kind.TOKEN_CREATED

    listing = supervisor_client.get(LIST).content.decode()
    page = supervisor_client.get(reverse("admin:billing_apitoken_change", args=[token.pk]))
    assert "Billing system" in listing
    assert secret not in listing
    assert secret not in page.content.decode()


def test_the_secret_shown_opens_the_api(supervisor_client, customer):
    _response, secret = create(supervisor_client)

    response = ApiClient(secret).put(
        "/api/v1/customers/C-1001/numbers", {"numbers": []}, content_type="application/json"
    )

    assert response.status_code == 200


def test_a_revoked_token_no_longer_opens_the_api(supervisor_client, supervisor, customer):
    _response, secret = create(supervisor_client)
    token = ApiToken.objects.get()

    response = supervisor_client.post(
        LIST, {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )

    assert "1 token revoked." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by == supervisor
    assert FeedEvent.objects.filter(kind=FeedEvent.Kind.TOKEN_REVOKED, token=token).exists()
    refused = ApiClient(secret).put(
        "/api/v1/customers/C-1001/numbers", {"numbers": []}, content_type="application/json"
    )
    assert refused.status_code == 401


def test_revoking_again_changes_nothing(supervisor_client, supervisor):
    token, _secret = make_api_token()
    for _ in range(2):
        supervisor_client.post(LIST, {"action": "revoke", "_selected_action": [token.pk]})

    assert FeedEvent.objects.filter(kind=FeedEvent.Kind.TOKEN_REVOKED).count() == 1


def test_a_token_is_never_deleted(supervisor_client):
    token, _secret = make_api_token()

    response = supervisor_client.post(
        reverse("admin:billing_apitoken_delete", args=[token.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_agents_neither_see_nor_create_tokens(agent_client):
    token, _secret = make_api_token()

    assert agent_client.get(LIST).status_code == 403
    assert agent_client.get(ADD).status_code == 403
    assert agent_client.post(ADD, {"name": "Mine"}).status_code == 403
    assert ApiToken.objects.count() == 1
    assert "billing/apitoken" not in agent_client.get(reverse("admin:index")).content.decode()


def test_the_billing_data_is_shown_read_only(supervisor_client, customer):
    from billing.models import Invoice

    invoice = Invoice.objects.create(
        number="2026-1",
        customer=customer,
        issued_on="2026-11-01",
        period_start="2026-10-01",
        period_end="2026-10-31",
        due_on="2026-11-15",
        amount="10.00",
        currency="EUR",
        status="unpaid",
        pdf="billing/x.pdf",
        pdf_size=10,
        pdf_sha256="0" * 64,
    )

    for name in ("invoice", "contractdocument", "customernumber", "feedevent"):
        assert supervisor_client.get(reverse(f"admin:billing_{name}_changelist")).status_code == 200
    page = supervisor_client.get(reverse("admin:billing_invoice_change", args=[invoice.pk]))
    assert page.status_code == 200
    assert "2026-1" in page.content.decode()
    assert supervisor_client.get(reverse("admin:billing_invoice_add")).status_code == 403
