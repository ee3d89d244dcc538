"""Every HTML email names its language on the root element (screen readers and mail
clients read it with the right voice and hyphenation): the recipient's language."""

from pathlib import Path

import pytest
from django.conf import settings

from portal.mail import render_email
from tickets import services
from tickets.defaults import install_defaults
from tickets.models import Category, SlaPolicy

HTML_EMAILS = sorted(
    path.relative_to(settings.BASE_DIR / "templates")
    for path in (settings.BASE_DIR / "templates").glob("*/email/*.html")
    if path.name != "base_email.html"
)


def test_the_project_has_html_emails_of_accounts_and_tickets():
    apps = {path.parts[0] for path in HTML_EMAILS}
    assert {"accounts", "tickets"} <= apps


@pytest.mark.parametrize("template", HTML_EMAILS, ids=str)
@pytest.mark.parametrize("language", ["en", "el"])
def test_every_html_email_names_the_recipients_language(template: Path, language):
    prefix = str(template.with_suffix(""))
    numbers = {"days": 3, "hours": 24, "auto_close_days": 7}
    _subject, _text, html = render_email(prefix, numbers, language)
    assert f'<html lang="{language}">' in html


@pytest.mark.django_db
def test_a_greek_customer_gets_the_ticket_emails_marked_as_greek(
    owner, agent, mailoutbox, django_capture_on_commit_callbacks
):
    owner.language = "el"
    owner.save(update_fields=["language"])
    install_defaults(Category, SlaPolicy)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.ticket_create(
            requester=owner,
            subject="Mail bounces",
            description="Since this morning.",
            category=Category.objects.get(name="Email"),
            priority=2,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_reply_as_agent(ticket=ticket, agent=agent, body="Fixed.")
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_status_change(ticket=ticket, acting_user=agent, status="resolved")
    assert len(mailoutbox) == 3
    for mail in mailoutbox:
        [(html, mimetype)] = mail.alternatives
        assert mimetype == "text/html"
        assert html.startswith('<!DOCTYPE html>\n<html lang="el">')
