"""Who may call /api/v1/: an integration with a token that is not revoked, over HTTPS
outside DEBUG. Anything else gets 401 (or 403 for plain HTTP) and nothing is written."""

import pytest
from django.utils import timezone

from billing.models import ApiToken, CallRecord, FeedEvent, Invoice
from tests.factories import ApiClient, multipart, ndjson, pdf_bytes, upload

INVOICE = {
    "contract_number": "C-1001",
    "issued_on": "2026-11-01",
    "period_start": "2026-10-01",
    "period_end": "2026-10-31",
    "due_on": "2026-11-15",
    "amount": "10.00",
    "currency": "EUR",
    "status": "unpaid",
}
ROW = {
    "record_id": "r1",
    "contract_number": "C-1001",
    "caller": "+421905111222",
    "callee": "+421905999999",
    "started_at": "2026-11-02T10:00:00+00:00",
    "duration_seconds": 60,
    "cost": "0.12",
    "currency": "EUR",
}


def attempts(client):
    """Each endpoint, called with a body that would be written."""
    return [
        client.put(
            "/api/v1/invoices/2026-1",
            **multipart({**INVOICE, "pdf": upload("i.pdf", pdf_bytes())}),
        ),
        client.put(
            "/api/v1/customers/C-1001/documents/contract",
            **multipart(
                {"title": "Contract", "dated": "2026-01-01", "pdf": upload("c.pdf", pdf_bytes())}
            ),
        ),
        client.put(
            "/api/v1/customers/C-1001/numbers",
            data={"numbers": ["+421905111222"]},
            content_type="application/json",
        ),
        client.post("/api/v1/call-records", ndjson([ROW]), content_type="application/x-ndjson"),
        client.post(
            "/api/v1/traffic-samples",
            ndjson(
                [
                    {
                        "contract_number": "C-1001",
                        "ip_address": "192.0.2.10",
                        "sampled_at": "2026-11-02T10:00:00Z",
                        "bytes_in": 1,
                        "bytes_out": 2,
                    }
                ]
            ),
            content_type="application/x-ndjson",
        ),
    ]


def nothing_written():
    from billing.models import ContractDocument, CustomerNumber, TrafficSample

    for model in (Invoice, ContractDocument, CustomerNumber, CallRecord, TrafficSample, FeedEvent):
        assert not model.objects.exists(), model


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer pbt_not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "pbt_no-scheme"],
    ids=["missing", "unknown", "empty", "basic", "no scheme"],
)
def test_without_a_valid_token_every_endpoint_answers_401_and_writes_nothing(
    customer, authorization
):
    client = ApiClient()
    if authorization:
        client.defaults["HTTP_AUTHORIZATION"] = authorization

    for response in attempts(client):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"
    nothing_written()


def test_a_revoked_token_answers_401_and_writes_nothing(api, api_token, customer):
    token, _secret = api_token
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())

    for response in attempts(api):
        assert response.status_code == 401
    nothing_written()
    token.refresh_from_db()
    assert token.last_used_at is None


def test_the_hash_of_the_secret_is_what_finds_the_token(api_token):
    token, secret = api_token
    assert token.key_hash == ApiToken.hash_of(secret)
    assert secret not in (token.key_hash, token.key_start, token.name)


def test_a_valid_token_is_noted_as_used(api, api_token, customer):
    token, _secret = api_token
    api.put(
        "/api/v1/customers/C-1001/numbers",
        data={"numbers": []},
        content_type="application/json",
    )
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_plain_http_is_refused_outside_debug_even_with_a_valid_token(settings, api_token, customer):
    settings.DEBUG = False
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    _token, secret = api_token
    plain = ApiClient(secret, https=False)

    response = plain.put(
        "/api/v1/customers/C-1001/numbers",
        data={"numbers": ["+421905111222"]},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "HTTPS is required"}
    nothing_written()


def test_https_seen_by_the_proxy_is_accepted_outside_debug(settings, api_token, customer):
    settings.DEBUG = False
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^api/"]
    _token, secret = api_token
    plain = ApiClient(secret, https=False)

    response = plain.put(
        "/api/v1/customers/C-1001/numbers",
        data={"numbers": ["+421905111222"]},
        content_type="application/json",
        headers={"X-Forwarded-Proto": "https"},
    )

    assert response.status_code == 200


def test_the_api_is_exempt_from_the_https_redirect_in_production_settings():
    """A redirect would make a client send its token in clear again; a refusal is seen."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "support.example.com",
    }
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SECURE_REDIRECT_EXEMPT)",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "'^api/'" in out.stdout


def test_the_openapi_schema_lists_every_endpoint(client):
    response = client.get("/api/v1/schema")

    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) == {
        "/api/v1/invoices/{number}",
        "/api/v1/customers/{contract_number}/documents/{key}",
        "/api/v1/customers/{contract_number}/numbers",
        "/api/v1/call-records",
        "/api/v1/traffic-samples",
    }
    assert schema["components"]["securitySchemes"]["IntegrationToken"]["scheme"] == "bearer"
    invoice_form = schema["paths"]["/api/v1/invoices/{number}"]["put"]["requestBody"]
    assert "pdf" in invoice_form["content"]["multipart/form-data"]["schema"]["properties"]
