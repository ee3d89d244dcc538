"""Password reset, username reminder and activation resend do the same work for an address
with a login as for one without: the same queries, the same email templates rendered, the
same number of outbox rows written (the worker deletes those addressed to nobody). Measured
by what is done rather than by the clock, which a test cannot trust to milliseconds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from outbox.models import OutboundEmail
from outbox.services import email_deliver, email_queue
from portal import mail
from tests.factories import make_user

pytestmark = pytest.mark.django_db

FORMS = {
    "password_reset": reverse("accounts:password_reset"),
    "username_reminder": reverse("accounts:username_reminder"),
    "activation_resend": reverse("accounts:activation_resend"),
}


@pytest.fixture
def queued(monkeypatch) -> list[dict]:
    """The emails written to the outbox."""
    emails = []
    real = mail.email_queue

    def spy(**email):
        emails.append(email)
        return real(**email)

    monkeypatch.setattr(mail, "email_queue", spy)
    return emails


def known_address(form: str, customer) -> str:
    if form == "activation_resend":
        return make_user("nikos", customer=customer, role=User.Role.OWNER, is_active=False).email
    return make_user("olga.owner", customer=customer, role=User.Role.OWNER).email


def work_done(client, url: str, email: str, queued: list[dict]) -> dict:
    queued.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"email": email})
    return {
        "queries": len(queries),
        # The site's header renders on the first page of its kind in the process, then is
        # kept ({% site_header %}), whatever the address: left out.
        "templates": [
            template.name
            for template in response.templates
            if template.name != "includes/site_header.html"
        ],
        "tasks": len(queued),
        "addressed_to": [message["to"] for message in queued],
    }


@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_known_and_an_unknown_address_get_the_same_work_and_only_one_gets_mail(
    client, customer, mailoutbox, queued, django_assert_num_queries, form
):
    email = known_address(form, customer)
    url = FORMS[form]

    known = work_done(client, url, email, queued)
    with django_assert_num_queries(known["queries"]):
        client.post(url, {"email": "nobody@example.com"})
    unknown = work_done(client, url, "nobody.else@example.com", queued)

    assert known["tasks"] == unknown["tasks"] == 1
    assert known["templates"] == unknown["templates"]
    assert any(name.startswith("accounts/email/") for name in known["templates"])
    assert known["queries"] == unknown["queries"]
    assert known["addressed_to"] == [email]
    assert unknown["addressed_to"] == [""]
    assert [message.to for message in mailoutbox] == [[email]]


def test_an_email_addressed_to_nobody_is_deleted_unsent_by_the_worker(mailoutbox):
    email = email_queue(to="", subject="s", text="t")
    email_deliver(email_id=email.pk)

    assert mailoutbox == []
    assert not OutboundEmail.objects.exists()
